#!/bin/sh
# tests/determinism.sh: a scheduled run is a function of (scenario, seed)
# and of (scenario, schedule).
#
# Every catalog scenario runs with 3 seeds, REPS times each (default 2;
# bench/determinism.sh runs the 20), recorded with -o and exported
# as JSONL: every run of one (scenario, seed) must give the same bytes,
# once what the OS picks, not the run, is masked: process ids
# (worker-start) and TCP ports (chan-open). Then the first recording is replayed with --schedule and
# its export must equal the original: the same events in the same order,
# with the same values and stamps (scenario time). Scenarios of 100000
# iterations are cut to 1000 here (the same statements; the full size is
# in bench/determinism.sh, FULL=1).
set -u
: "${LOCKSTEP:=./src/lockstep}"
: "${SRCDIR:=.}"
: "${REPS:=2}"
: "${SEEDS:=1 7 42}"
: "${FULL:=0}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-det.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0
runs=0

# The export of trace $1 with OS process ids and ports masked, to stdout
# (also where a scenario prints them: `pid` and `ppid` are the OS's).
canon() {
	"$LOCKSTEP" export "$1" --format jsonl -o "$dir/x.jsonl" >/dev/null 2>&1 ||
		return 1
	jq -c 'if .type == "worker-start" or .type == "chan-open" then .a0 = 0
	    else . end | if .type == "note" or .type == "error" then .a0 = 0
	    else . end | if .type == "print" then
	    .text |= gsub("pid [0-9]+"; "pid N") | .a0 = 0 else . end' \
	    "$dir/x.jsonl"
}

for scn in "$SRCDIR"/scenarios/*.scn; do
	name=$(basename "$scn" .scn)
	src=$scn
	if [ "$FULL" != 1 ] && grep -q 'repeat 100000' "$scn"; then
		src=$dir/$name.scn
		sed 's/repeat 100000:/repeat 1000:/' "$scn" >"$src"
	fi
	for seed in $SEEDS; do
		first=
		r=0
		while [ $r -lt "$REPS" ]; do
			r=$((r + 1))
			t=$dir/$name-$seed-$r.trace
			"$LOCKSTEP" run -q --seed "$seed" --timeout 120 "$src" \
			    -o "$t" >/dev/null 2>"$dir/err"
			rc=$?
			if [ $rc -gt 1 ]; then
				echo "FAIL: $name seed $seed run $r: exit $rc"
				cat "$dir/err"
				fail=1
				break
			fi
			runs=$((runs + 1))
			canon "$t" >"$dir/$name-$seed-$r.jsonl" || {
				echo "FAIL: $name seed $seed run $r: export"
				fail=1
				break
			}
			if [ -z "$first" ]; then
				first=$dir/$name-$seed-$r.jsonl
				continue
			fi
			if ! cmp -s "$first" "$dir/$name-$seed-$r.jsonl"; then
				echo "FAIL: $name seed $seed: run $r differs from run 1"
				diff "$first" "$dir/$name-$seed-$r.jsonl" | head -6
				fail=1
			fi
			rm -f "$t"
		done
		[ -n "$first" ] || continue
		# Record, then replay the recording's choices.
		t1=$dir/$name-$seed-1.trace
		t2=$dir/$name-$seed-replay.trace
		"$LOCKSTEP" run -q --schedule "$t1" --timeout 120 "$src" \
		    -o "$t2" >/dev/null 2>"$dir/err"
		if [ $? -gt 1 ] || ! canon "$t2" >"$dir/replay.jsonl"; then
			echo "FAIL: $name seed $seed: replay did not run"
			cat "$dir/err"
			fail=1
		elif ! cmp -s "$first" "$dir/replay.jsonl"; then
			echo "FAIL: $name seed $seed: replay differs from the recording"
			diff "$first" "$dir/replay.jsonl" | head -6
			fail=1
		fi
		rm -f "$dir"/$name-$seed-*
	done
	echo "ok: $name ($SEEDS) x $REPS"
done
echo "$runs runs compared"
exit $fail
