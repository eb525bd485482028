#!/bin/sh
# tests/explore.sh: `lockstep explore` on real threads and processes.
# Exact outcome sets of small races (the combinatorial answer), the known
# failure of broken scenarios with the fewest preemptions, nothing found
# in fixed ones searched exhaustively, the found schedule replaying to the
# same failure, bad input, Ctrl-C, and nothing left behind.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok - $*"; }
D="$SRCDIR/tests/explore"
C="$SRCDIR/scenarios"
T=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-explore.XXXXXX")
trap 'rm -rf "$T"' EXIT
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"

# explore FILE [OPTS]: JSON in $T/out.json, exit status in RC.
explore() {
	f=$1
	shift
	"$LOCKSTEP" explore "$f" --json "$@" > "$T/out.json" 2> "$T/err"
	RC=$?
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
		"$T/out.json" || bad "$f: not one JSON object: $(cat "$T/err")"
}
j() { jq -r "$1" "$T/out.json"; }

# Outcome sets of the races: every counter value from k (the worst lost
# updates) to n*k, and no other, exhaustively; on processes too.
explore "$D/race-2x3.scn"
[ $RC -eq 1 ] || bad "race 2x3: exit $RC"
[ "$(j '[.outcomes[].outcome | capture("counter=(?<v>[0-9]+)").v | tonumber]
	| unique | map(tostring) | join(",")')" = "2,3,4,5,6" ] &&
	ok "race 2x3: counter in {2..6}" || bad "race 2x3 outcomes: $(j '.outcomes')"
[ "$(j .search.exhaustive)" = true ] || bad "race 2x3 not exhaustive"
[ "$(j .first_failure.schedule.preemptions)" = 1 ] ||
	bad "race 2x3: first failure should need 1 preemption"
explore "$D/race-2x2.scn"
[ "$(j '[.outcomes[].outcome | capture("counter=(?<v>[0-9]+)").v] | unique
	| join(",")')" = "2,3,4" ] && ok "race 2x2: counter in {2,3,4}" ||
	bad "race 2x2 outcomes: $(j '.outcomes')"
explore "$D/race-procs-2x2.scn"
[ "$(j '[.outcomes[].outcome | capture("counter=(?<v>[0-9]+)").v] | unique
	| join(",")')" = "2,3,4" ] && ok "race 2x2 processes: {2,3,4}" ||
	bad "race 2x2 processes outcomes: $(j '.outcomes')"

# A deadlock that needs one preemption, saved and replayed.
explore "$D/two-locks-nosleep.scn" -o "$T/found.lst"
[ $RC -eq 1 ] || bad "two-locks: exit $RC"
j .first_failure.outcome | grep -q "deadlock: t1 -> B -> t2 -> A -> t1" &&
	ok "two-locks: deadlock found" || bad "two-locks: $(j .first_failure)"
[ "$(j .first_failure.schedule.preemptions)" = 1 ] ||
	bad "two-locks: preemptions $(j .first_failure.schedule.preemptions)"
j '.first_failure.captions[0]' | grep -q "runs while .* could go on" ||
	bad "two-locks: no caption at the preemption"
[ -s "$T/found.lst" ] || bad "-o FOUND not written"
"$LOCKSTEP" run "$D/two-locks-nosleep.scn" --schedule "$T/found.lst" --json \
	> "$T/replay.json"
jq -e '.stop == "deadlock"' "$T/replay.json" >/dev/null &&
	ok "the saved schedule replays to the deadlock" ||
	bad "replay of FOUND: $(cat "$T/replay.json")"
"$LOCKSTEP" export "$T/found.lst" --format jsonl > "$T/found.jsonl" ||
	bad "export of FOUND"

# Known failures of broken catalog scenarios.
for s in deadlock-two-locks dining-philosophers lost-wakeup rlock-mutex-twice; do
	explore "$C/$s.scn" --time-limit 20
	[ $RC -eq 1 ] && [ "$(j .first_failure.outcome)" != null ] &&
		ok "$s: $(j .first_failure.outcome)" ||
		bad "$s: exit $RC, $(j .first_failure)"
done
explore "$C/race-threads.scn" --time-limit 20
[ $RC -eq 1 ] && j .first_failure.outcome | grep -q "lost update" &&
	ok "race-threads: a lost update" || bad "race-threads: $(j .first_failure)"
# Its schedules are cut at --max-steps: never called exhaustive.
[ "$(j .search.exhaustive)" = false ] || bad "race-threads: cut, yet exhaustive"

# Fixed scenarios: nothing fails, exhaustively.
for f in "$C/lock-ordering-fix.scn" "$D/counter-lock-small.scn"; do
	explore "$f" --time-limit 60
	[ $RC -eq 0 ] && [ "$(j .search.exhaustive)" = true ] &&
		[ "$(j .first_failure)" = null ] && ok "$f: nothing fails" ||
		bad "$f: exit $RC, $(j .search)"
done

# --jobs shares the subtrees out: the same table, the same first failure.
for J in 1 2; do
	explore "$D/race-2x3.scn" --jobs $J
	j '[.outcomes | sort_by(.outcome)[] | [.outcome, .count]],
		.first_failure.schedule.preemptions' > "$T/jobs$J"
done
cmp -s "$T/jobs1" "$T/jobs2" && ok "--jobs 2 gives the table of --jobs 1" ||
	bad "--jobs: $(diff "$T/jobs1" "$T/jobs2")"

# Bounds and limits are stated.
explore "$D/race-2x3.scn" --preemptions 0
[ "$(j .search.stop)" = "bounded by preemptions" ] && [ $RC -eq 0 ] &&
	ok "--preemptions 0: no failure, bounded" ||
	bad "--preemptions 0: exit $RC, $(j .search)"
explore "$D/race-2x3.scn" --max-schedules 3
j .search.stop | grep -q max-schedules || bad "--max-schedules: $(j .search)"

# Text report.
"$LOCKSTEP" explore "$D/two-locks-nosleep.scn" > "$T/out.txt"
grep -q "^first failure: 1 preemption" "$T/out.txt" &&
	grep -q "^  step 2: t2 runs while t1 could go on (t1 is at line 7: lock B)" \
	"$T/out.txt" && ok "text report" || { bad "text report"; cat "$T/out.txt"; }

# Bad input: exit 2, a message.
"$LOCKSTEP" explore "$T/nonexistent.scn" 2> "$T/err"
[ $? -eq 2 ] && grep -q "cannot open" "$T/err" || bad "missing file"
"$LOCKSTEP" explore "$D/race-2x2.scn" --preemptions x 2> "$T/err"
[ $? -eq 2 ] && grep -q "bad --preemptions" "$T/err" || bad "bad --preemptions"
"$LOCKSTEP" explore "$D/race-2x2.scn" --time-limit nan 2> "$T/err"
[ $? -eq 2 ] || bad "--time-limit nan accepted"
"$LOCKSTEP" explore 2> "$T/err"
[ $? -eq 2 ] || bad "no file"

# Ctrl-C: the report of what was searched, nothing left behind.
"$LOCKSTEP" explore "$D/smokers-naive.scn" --json > "$T/int.json" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
jq -e '.search.stop == "interrupted"' "$T/int.json" >/dev/null &&
	ok "Ctrl-C ends with a report" || bad "Ctrl-C: $(cat "$T/int.json")"

sleep 0.2
[ -z "$(ls -A "$TMPDIR")" ] || bad "left in TMPDIR: $(ls "$TMPDIR")"
left=$(ls /dev/shm 2>/dev/null | grep -c "^lockstep-$$" || true)
pgrep -f "$T/" >/dev/null && bad "processes left"
exit $fail
