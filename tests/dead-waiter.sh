#!/bin/sh
# tests/dead-waiter.sh: a worker killed while it waits on a condition does
# not stay on the condition's list (issue 14, item 1, for scheduled runs).
# Thread a waits on C; thread x crashes, which takes the thread host and
# so a with it; process b then waits on C with a timeout and process n
# notifies once. The one notify must reach b (one waiter), not the dead a:
# b is notified instead of timing out. (Free runs still use the OS's
# process-shared condition variable: not covered.)
set -u
: "${LOCKSTEP:=./src/lockstep}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-dw.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0

cat > "$dir/dw.scn" <<'SCN'
title "A waiter dies in a condition's queue"
condition C
thread a:
    with C:
        wait C
thread x:
    sleep 100ms
    crash
process b:
    sleep 200ms
    with C:
        wait C timeout 3s
process n:
    sleep 1s
    with C:
        notify C
SCN

for seed in 1 2 3; do
	"$LOCKSTEP" run -q --seed "$seed" "$dir/dw.scn" -o "$dir/t.trace" \
	    >/dev/null 2>&1
	"$LOCKSTEP" export "$dir/t.trace" --format jsonl -o "$dir/t.jsonl" \
	    >/dev/null 2>&1 || { echo "FAIL: seed $seed: no trace"; fail=1; }
	got=$(jq -c -s '[.[] | select(.type == "cond-notify" or
	    .type == "cond-woken") | [.worker, .type, .a0, .a1]]' "$dir/t.jsonl")
	want='[["n","cond-notify",1,1],["b","cond-woken",1,1]]'
	if [ "$got" != "$want" ]; then
		echo "FAIL: seed $seed: $got (want $want)"
		fail=1
	fi
done
[ $fail = 0 ] && echo "ok: a dead waiter does not eat a notify"
exit $fail
