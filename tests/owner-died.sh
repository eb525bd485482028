#!/bin/sh
# tests/owner-died.sh: a lock whose owner crashed has one holder at a
# time, and its owner-died report names the dead owner and the new one
# once (issue 14, item 5). The kernel hands a robust mutex to the next
# locker as its owner dies, before the runner has reaped the owner and
# reported its crash; the new owner now waits for that report before it
# says "owner died", so the model sees the crash first. Free runs (where
# the race was) and scheduled ones.
set -u
: "${LOCKSTEP:=./src/lockstep}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-od.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0

cat > "$dir/od.scn" <<'SCN'
title "A lock whose owner crashes"
mutex A
process p1:
    lock A
    sleep 100ms
    crash
process p2:
    sleep 50ms
    lock A
    unlock A
expect max_holders A == 1
SCN

check() {
	out=$("$LOCKSTEP" run --headless --json "$@" "$dir/od.scn")
	got=$(printf '%s\n' "$out" | jq -c '[.verdict, .owner_died,
	    .max_holders.A]')
	want='["pass",[{"object":"A","dead":"p1","new_owner":"p2"}],1]'
	if [ "$got" != "$want" ]; then
		echo "FAIL: run $*: $got (want $want)"
		fail=1
	fi
}

for i in 1 2 3 4 5 6 7 8; do
	check
done
for seed in 1 2 3; do
	check --seed "$seed"
done
[ $fail = 0 ] && echo "ok: owner died reported once, after the crash"
exit $fail
