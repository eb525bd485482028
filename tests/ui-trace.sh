#!/bin/sh
# tests/ui-trace.sh: `lockstep trace` on a real C program in the live
# view: paused before main, the C source in the source pane, stepping
# one wrapped call per key into the two-lock deadlock, the cycle and the
# DEADLOCK banner on screen, stepping back out of it and in again the
# other way, restart, then a clean quit with nothing left running.
. "${SRCDIR:-.}/tests/ui-lib.sh"

# A private copy, so that a process left behind is found by its path
# (the copy's source file is found through its debug information).
prog="$UI_TMP/deadlock"
cp "$BUILDDIR/tests/programs/deadlock" "$prog" || exit 99
ui_start 120 44 trace -- "$prog"

ui_wait "PAUSED"
ui_wait "Source deadlock.c"
ui_wait "1 . main +ready"
# main: past its start, then the two pthread_create calls.
ui_keys 1
ui_wait "main +ready .* 36 +pthread_create"
ui_keys 1
ui_wait "transfer +ready .* 11 "
ui_keys 1
ui_wait "main +ready .* 38 +pthread_join"
ui_wait "refund +ready .* 22 "
# Each thread takes its first lock.
ui_keys 2
ui_wait "transfer +ready .* 13 +pthread_mutex_lock"
ui_keys 3
ui_wait "refund +ready .* 24 +pthread_mutex_lock"
ui_keys 2
ui_wait "transfer +ready .* 14 holds lock_a"
ui_keys 3
ui_wait "refund +ready .* 25 holds lock_b"
ui_wait "lock_a +mutex +held by transfer"
# Each asks for the other's: the cycle closes.
ui_keys 2
ui_wait "transfer +blocked"
ui_keys 3
ui_wait "DEADLOCK  transfer -> lock_b -> refund -> lock_a -> transfer"
ui_wait "refund +blocked"
ui_wait "transfer  waits for lock_b  \(line 14\)"
ui_wait "refund  waits for lock_a  \(line 25\)"

# Step back out of the deadlock: the program runs again from its start
# through every step but the last, so refund has not asked for lock_a
# yet and nothing is deadlocked; again, and transfer no longer waits.
ui_keys Left
ui_wait "One step back: the program ran again"
ui_wait "refund +ready .* 25 holds lock_b"
ui_wait "transfer +blocked"
ui_wait_not "DEADLOCK"
ui_keys Left
ui_wait "transfer +ready .* 14 holds lock_a"
ui_wait "lock_b +mutex +held by refund"
# Forward again by the other order: refund first, and the cycle closes
# the same way.
ui_keys 3
ui_wait "refund +blocked"
ui_keys 2
ui_wait "DEADLOCK  transfer -> lock_b -> refund -> lock_a -> transfer"
# r: the program from its start, paused, one worker.
ui_keys r
ui_wait "Restarted: paused at the first statement"
ui_wait "Workers 1/1 live"
ui_wait_not "DEADLOCK"

ui_keys q
ui_exited 0
sleep 0.2
if pgrep -xf "$prog" >/dev/null; then
	ui_fail "the traced program is still running"
fi

# Run freely: the program's output comes back line by line in the events
# pane (Tab brings it into the flexible slot).
tm kill-session -t ui 2>/dev/null
cp "$BUILDDIR/tests/programs/counter" "$UI_TMP/counter" || exit 99
ui_start 120 44 trace -- "$UI_TMP/counter" lock
ui_wait "PAUSED"
ui_keys Space
ui_wait "main +done"
n=0
while ! ui_screen | grep -q "prints: counter = 2 (expected 2)"; do
	n=$((n + 1))
	[ "$n" -le 6 ] || ui_fail "the program's output is not in the events pane"
	ui_keys Tab
	sleep 0.3
done
ui_keys q
ui_exited 0
# Readers of an rwlock hold it together, on screen: the objects pane
# names both readers, the waits line the writer waiting for both.
tm kill-session -t ui 2>/dev/null
cp "$BUILDDIR/tests/programs/rwlock" "$UI_TMP/rwlock" || exit 99
ui_start 80 24 trace -- "$UI_TMP/rwlock"
ui_wait "PAUSED"
for k in 1 1 1 1 2 2 3 3 4 4 4; do
	ui_keys $k
	sleep 0.2
done
ui_wait "table +rwlock +read by reader"
ui_wait "writer +blocked"
ui_wait "writer → table \(held by reader,reader.2\)"
ui_keys q
ui_exited 0
echo "ok: traced program stepped into a deadlock, back and again, restarted, readers shown, quit cleanly"
