#!/bin/sh
# tests/verdicts-json.sh: the verdicts' words through `run --headless
# --json`, as a script would read them: every edge of a lock-order cycle
# (no "..." elision), the deadlock's why, the stall's why naming who runs
# on, and the text summary's why line.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-vjson.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
V="$SRCDIR/tests/verdicts"

printf 't1\nt1\nt1\nt2\nt2\nt2\n' > "$dir/three.sched"
out=$("$LOCKSTEP" run --headless --json --timeout 20 --schedule "$dir/three.sched" "$V/inversion-three.scn")
[ "$(echo "$out" | jq '.potential_deadlocks | length')" = 1 ] || bad "one 3-lock cycle: $out"
[ "$(echo "$out" | jq '.potential_deadlocks[0].edges | length')" = 3 ] || bad "three edges: $out"
echo "$out" | jq -e '.potential_deadlocks[0].edges | map(.worker) | sort == ["t1", "t2", "t3"]' >/dev/null ||
	bad "each thread's edge"
echo "$out" | jq -e '.potential_deadlocks[0].edges[] | select(.worker == "t2") |
	.takes == "C" and .line == 12 and .holding == "B" and .hold_line == 11' >/dev/null ||
	bad "t2 takes C at 12 holding B from 11"
echo "$out" | jq -r '.potential_deadlocks[0].text' | grep -q '\.\.\.' && bad "text elided"
for w in t1 t2 t3; do
	echo "$out" | jq -r '.potential_deadlocks[0].text' | grep -q "$w takes" || bad "text lacks $w's edge"
done

printf 't1\nt1\nt2\n' > "$dir/sig.sched"
out=$("$LOCKSTEP" run --headless --json --timeout 20 --schedule "$dir/sig.sched" "$V/sem-signal-deadlock.scn")
[ "$(echo "$out" | jq -r .stop)" = deadlock ] || bad "signal under a lock: $(echo "$out" | jq -r .stop)"
echo "$out" | jq -r .deadlock.why | grep -q "t1 waits for S (line 8), released only by t2; t2 waits for L (line 12), held by t1" ||
	bad "deadlock.why: $(echo "$out" | jq -r .deadlock.why)"
[ "$(echo "$out" | jq -r .stall_why)" = null ] || bad "stall_why set for a deadlock"

printf 'producer\nproducer\nproducer\n' > "$dir/lw.sched"
out=$("$LOCKSTEP" run --headless --json --timeout 20 --schedule "$dir/lw.sched" "$V/lost-wakeup-daemon.scn")
[ "$(echo "$out" | jq -r .stop)" = stall ] || bad "lost wake-up with a daemon: $(echo "$out" | jq -r .stop)"
[ "$(echo "$out" | jq -r .timed_out)" = false ] || bad "timed out"
echo "$out" | jq -r .stall_why | grep -q "ticker runs on but can never wake consumer" ||
	bad "stall_why: $(echo "$out" | jq -r .stall_why)"

txt=$("$LOCKSTEP" run --headless --timeout 20 --schedule "$dir/lw.sched" "$V/lost-wakeup-daemon.scn")
echo "$txt" | grep -q "^stall: consumer waits for C (line 16), which nobody left can notify (producer has ended)" ||
	bad "text stall line: $txt"
exit $fail
