#!/bin/sh
# tests/json.sh: the headless JSON carries every metric an `expect` can
# name, per object, so scripts read numbers instead of parsing prose.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-json.XXXXXX")
trap 'rm -rf "$dir"' EXIT

out=$(TMPDIR="$dir" "$LOCKSTEP" run --headless --json "$SRCDIR/scenarios/bounded-buffer.scn") ||
	bad "bounded-buffer run failed"
echo "$out" | jq -e '.metrics.buf.sent == 40 and .metrics.buf.received == 40
    and .metrics.buf.max_len == 4 and .metrics.buf.order_errors == 0
    and .metrics.buf.max_waiters >= 2 and .metrics.total.value == 6420' \
	>/dev/null || bad "queue metrics: $(echo "$out" | jq -c .metrics)"

out=$(TMPDIR="$dir" "$LOCKSTEP" run --headless --json "$SRCDIR/scenarios/semaphore-pool.scn") ||
	bad "semaphore-pool run failed"
echo "$out" | jq -e '.metrics.slots.max_holders == 5 and
    .metrics.slots.max_waiters >= 2 and (.metrics.slots | has("sent") | not)' \
	>/dev/null || bad "semaphore metrics: $(echo "$out" | jq -c .metrics)"
exit $fail
