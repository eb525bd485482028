#!/bin/sh
# tests/dead-waiter-free.sh: a waiter killed inside a condition wait in a
# free run (issue 14, item 1) wedges nothing. Process a waits on C and is
# SIGKILLed from outside (it printed its pid); b then waits on C with a
# timeout of 3 s; n notifies once, then notifies all. Conditions wait on a
# futex word, not a process-shared pthread condition variable (which a
# dead waiter can wedge), and a notify passes over a dead waiter: the one
# notify reaches b, n does not hang, and the run ends on its own.
set -u
: "${LOCKSTEP:=./src/lockstep}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-dwf.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0

cat > "$dir/dw.scn" <<'SCN'
title "A waiting process is killed"
condition C
process a:
    print "a {pid}"
    with C:
        wait C
process b:
    sleep 500ms
    with C:
        wait C timeout 3s
process n:
    sleep 1s
    with C:
        notify C
    with C:
        notify_all C
SCN

TMPDIR="$dir" "$LOCKSTEP" run "$dir/dw.scn" -o "$dir/t.trace" --timeout 20 \
    > "$dir/out" 2>&1 &
run=$!
i=0
while ! grep -q '^\[a\] a [0-9]' "$dir/out" && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
pid=$(sed -n 's/^\[a\] a \([0-9]*\).*/\1/p' "$dir/out")
[ -n "$pid" ] || { echo "FAIL: a never printed its pid"; cat "$dir/out"; exit 1; }
sleep 0.3
kill -KILL "$pid"
wait $run
rc=$?
cat "$dir/out"
grep -q "timed out\|--timeout ran out" "$dir/out" &&
	{ echo "FAIL: the run had to be stopped by --timeout"; fail=1; }
"$LOCKSTEP" export "$dir/t.trace" --format jsonl -o "$dir/t.jsonl" ||
	{ echo "FAIL: no trace (exit $rc)"; exit 1; }
got=$(jq -c -s '[.[] | select(.type == "cond-notify" or
    .type == "cond-woken") | [.worker, .type, .a0, .a1]]' "$dir/t.jsonl")
# n's first notify finds one live waiter (b) and wakes it, notified (a0
# 1); notify_all then finds none. (b takes the lock back before or after
# n's second `with C`: a free run.)
got=$(echo "$got" | jq -c 'sort')
want='[["b","cond-woken",1,1],["n","cond-notify",-1,0],["n","cond-notify",1,1]]'
if [ "$got" != "$want" ]; then
	echo "FAIL: $got (want $want)"
	fail=1
fi
jq -e -s '[.[] | select(.worker == "a" and (.type == "worker-crash" or
    .type == "worker-killed"))] | length == 1' "$dir/t.jsonl" >/dev/null ||
	{ echo "FAIL: a's death is not in the trace"; fail=1; }
[ $fail = 0 ] && echo "ok: a killed waiter wedges nothing"
exit $fail
