#!/bin/sh
# tests/ui-explore.sh: `e` in the live view explores the continuations of
# the run so far and loads the first failing one: two threads take two
# locks in opposite orders with nothing forcing the interleaving; from the
# start, `e` finds the deadlock (one preemption), the caption marks the
# switch, and `n` steps into the cycle. A fixed scenario says that
# nothing from there fails.
. "${SRCDIR:-.}/tests/ui-lib.sh"

# n until the cycle closes (a few steps; at most 8).
step_to_deadlock() {
	k=0
	while ! ui_screen | grep -q "DEADLOCK  t1 -> B -> t2 -> A -> t1" &&
	    [ $k -lt 8 ]; do
		ui_keys n
		sleep 0.3
		k=$((k + 1))
	done
	ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
}

cp "$SRCDIR/tests/explore/two-locks-nosleep.scn" "$UI_TMP/two.scn" || exit 99
ui_start 120 40 "$UI_TMP/two.scn"
ui_wait "PAUSED"
ui_keys e
ui_wait "Found: deadlock: t1 -> B -> t2 -> A -> t1.*1 preemption" 100
ui_keys n
ui_wait "The switch the explorer found: t2 runs now, while t1 could go on"
step_to_deadlock
ui_keys q
ui_exited 0

# The schedule explore -o saved: the live view opens on it, n follows it.
"$LOCKSTEP" explore "$UI_TMP/two.scn" -q -o "$UI_TMP/found.lst" >/dev/null
ui_start 120 40 "$UI_TMP/two.scn" --schedule "$UI_TMP/found.lst"
ui_wait "PAUSED"
ui_keys n
ui_wait "Next, the schedule switches: t2 runs while t1 could go on"
step_to_deadlock
ui_keys q
ui_exited 0

# A fixed scenario: nothing from the start fails, and the view says so.
ui_start 120 40 "$(ui_scenario lock-ordering-fix)"
ui_wait "PAUSED"
ui_keys e
ui_wait "No schedule from here fails" 150
ui_keys q
ui_exited 0
echo "ok: e explores from here and loads the failing schedule"
