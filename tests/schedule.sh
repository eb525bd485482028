#!/bin/sh
# tests/schedule.sh: an interleaving forced by a schedule is reproduced
# exactly: a text schedule forces the lost update (a loads, b loads, a
# stores, b stores), `record` saves the choices, and `run --schedule` on
# the trace file replays them on real threads again.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-sched.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

cat > "$dir/lost.scn" <<'SCN'
title "Forced lost update"
shared int c = 0
thread a:
    c += 1
thread b:
    c += 1
SCN
printf 'a\nb\na\nb\n' > "$dir/lost.sched"
printf 'a\na\nb\nb\n' > "$dir/serial.sched"

val() { jq -r '.shared[] | select(.name == "c") | .value'; }

v=$("$LOCKSTEP" run --headless --json --schedule "$dir/lost.sched" "$dir/lost.scn" | val)
[ "$v" = 1 ] || bad "text schedule a,b,a,b should lose an update: c=$v"
v=$("$LOCKSTEP" run --headless --json --schedule "$dir/serial.sched" "$dir/lost.scn" | val)
[ "$v" = 2 ] || bad "text schedule a,a,b,b should not lose one: c=$v"

"$LOCKSTEP" record -q --schedule "$dir/lost.sched" "$dir/lost.scn" -o "$dir/lost.lst" >/dev/null ||
	bad "record with a text schedule"
for i in 1 2 3; do
	v=$("$LOCKSTEP" run --headless --json --schedule "$dir/lost.lst" "$dir/lost.scn" | val)
	[ "$v" = 1 ] || bad "replaying the recorded choices (run $i): c=$v"
done

# A schedule may name a worker that is blocked when its turn comes (b
# asks for L while a holds it): that entry is skipped, the run goes on.
cat > "$dir/lock.scn" <<'SCN'
title "Schedule meets a blocked worker"
mutex L
shared int c = 0
thread a:
    with L:
        c += 1
thread b:
    with L:
        c += 1
SCN
printf 'a\nb\na\nb\na\nb\na\nb\n' > "$dir/lock.sched"
out=$("$LOCKSTEP" run --headless --json --timeout 20 --schedule "$dir/lock.sched" "$dir/lock.scn")
[ "$(echo "$out" | jq -r .timed_out)" = false ] || bad "blocked entry made the run wait for the timeout"
[ "$(echo "$out" | val)" = 2 ] || bad "locked adds: c=$(echo "$out" | val)"

# A schedule that runs out (a live session stepped a little, then ran):
# the rest runs freely, as it did live, not one gated step at a time.
printf 'adder.1\n' > "$dir/short.sched"
out=$("$LOCKSTEP" run --headless --json --timeout 10 --schedule "$dir/short.sched" \
	"$SRCDIR/scenarios/counter-lock.scn")
[ "$(echo "$out" | jq -r '.stop')" = finished ] ||
	bad "after a short schedule the run should finish: $(echo "$out" | jq -c '[.stop, .shared]')"

printf 'a\nnobody\n' > "$dir/bad.sched"
err=$("$LOCKSTEP" run --headless --schedule "$dir/bad.sched" "$dir/lost.scn" 2>&1 >/dev/null)
st=$?
[ $st -eq 2 ] || bad "unknown worker in a schedule: exit $st"
echo "$err" | grep -q "bad.sched:2: unknown worker 'nobody'" || bad "message: $err"
exit $fail
