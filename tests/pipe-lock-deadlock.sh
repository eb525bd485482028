#!/bin/sh
# tests/pipe-lock-deadlock.sh: deadlocks and stalls through channels are
# seen, and the headless run stops on them instead of running into its
# --timeout. The model knows who can write to a channel:
#   - tests/data/pipe-lock-deadlock.scn: reader holds L and waits on pipe
#     P whose only writer waits for L: the cycle reader -> P -> writer ->
#     L -> reader (either rotation);
#   - a message queue whose only writer closed it and ended: no end-of-file
#     ever comes (mqueues have none), so the reader's second recv is a
#     stall, not a wait for "some future action".
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-chan.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$LOCKSTEP" run --headless --json --timeout 30000 \
    "$SRCDIR/tests/data/pipe-lock-deadlock.scn" > "$dir/d.json"
st=$?
cat "$dir/d.json"
[ "$st" = 0 ] || bad "expect deadlock should pass: exit $st"
jq -e '.verdict == "pass" and .problems == []' "$dir/d.json" >/dev/null ||
	bad "verdict pass, no problems"
jq -e '.stop == "deadlock" and .timed_out == false' "$dir/d.json" >/dev/null ||
	bad "stopped on the deadlock, not at the timeout"
jq -e '[.deadlock.cycle[] | [.worker, .waits_for]] | sort ==
    [["reader", "P"], ["writer", "L"]]' "$dir/d.json" >/dev/null ||
	bad "cycle: reader waits for P, writer waits for L"
jq -e '.deadlock.text == "reader -> P -> writer -> L -> reader" or
    .deadlock.text == "writer -> L -> reader -> P -> writer"' \
    "$dir/d.json" >/dev/null || bad "cycle text"

# Recorded and exported as DOT: the cycle runs through the channel, whose
# writer is drawn (dashed "can write" edge), red like the rest.
"$LOCKSTEP" record -q "$SRCDIR/tests/data/pipe-lock-deadlock.scn" \
    -o "$dir/d.lst" --timeout 30000 >/dev/null || bad "record: exit $?"
"$LOCKSTEP" export "$dir/d.lst" --format dot -o "$dir/d.dot" ||
	bad "export dot: exit $?"
grep -F 'can write' "$dir/d.dot" | grep -q 'd01c1c' ||
	bad "the channel's writer edge is on the red cycle"
grep -q 'DEADLOCK: ' "$dir/d.dot" || bad "DOT label says DEADLOCK"

cat > "$dir/mq.scn" <<'SCN'
title "A closed message queue never says end-of-file"
mqueue M(4)
thread writer:
    send M 1
    close M
thread reader:
    v = recv M
    w = recv M
expect stall
SCN
"$LOCKSTEP" run --headless --json --timeout 30000 "$dir/mq.scn" > "$dir/s.json"
st=$?
cat "$dir/s.json"
[ "$st" = 0 ] || bad "expect stall should pass: exit $st"
jq -e '.stop == "stall" and .stall == true and .timed_out == false' \
    "$dir/s.json" >/dev/null || bad "stopped on the stall, not at the timeout"
jq -e '[.workers[] | select(.name == "reader") | .waiting_on] == ["M"]' \
    "$dir/s.json" >/dev/null || bad "reader left waiting on M"
exit $fail
