#!/bin/sh
# bench/explore-bench.sh: lockstep explore's speed, beside Spin on the same
# problems (bench/anchors/*.pml) measured in the same run.
#
# For each problem: time to the first counterexample (real runs included,
# from the JSON), the whole search (schedules run to the end, per second),
# and, when spin is installed (apt-get install spin), Spin's time to its
# counterexample: pan alone, and spin + gcc + pan. Median of 3 rounds.
set -u
LOCKSTEP=${LOCKSTEP:-src/lockstep}
SRCDIR=${SRCDIR:-.}
work=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-xbench.XXXXXX")
trap 'rm -rf "$work"' EXIT

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | sed -n 2p; }

# name scenario [spin-model]
rows="deadlock-two-locks $SRCDIR/scenarios/deadlock-two-locks.scn -
dining-philosophers-5 $SRCDIR/scenarios/dining-philosophers.scn philosophers
smokers-naive $SRCDIR/tests/explore/smokers-naive.scn smokers
lost-wakeup $SRCDIR/scenarios/lost-wakeup.scn -
race-2x2 $SRCDIR/tests/explore/race-2x2.scn -
race-2x3 $SRCDIR/tests/explore/race-2x3.scn race-2x3
two-locks-nosleep $SRCDIR/tests/explore/two-locks-nosleep.scn -
dining-philosophers-fixed $SRCDIR/scenarios/dining-philosophers-fixed.scn -"

printf '%-26s %9s %9s %10s %11s %9s %10s %8s\n' problem first_ms total_ms \
    schedules sched_per_s pan_ms spin_all_ms vs_pan
echo "$rows" | while read -r name scn model; do
	firsts=""; totals=""; n=0
	for r in 1 2 3; do
		"$LOCKSTEP" explore "$scn" --json --time-limit 60 > "$work/o.json" 2>/dev/null
		firsts="$firsts $(jq -r '.search.first_failure_ms' "$work/o.json")"
		totals="$totals $(jq -r '.search.elapsed_ms' "$work/o.json")"
		n=$(jq -r '.search.schedules + .search.equivalent_pruned' "$work/o.json")
	done
	first=$(echo $firsts | tr ' ' '\n' | median)
	total=$(echo $totals | tr ' ' '\n' | median)
	found=$(jq -r '.first_failure != null' "$work/o.json")
	[ "$found" = true ] || first="-"
	rate=$(awk -v n="$n" -v t="$total" 'BEGIN { printf "%.0f", (t > 0 ? n * 1000 / t : 0) }')
	pan="-"; all="-"; ratio="-"
	if [ "$model" != - ] && command -v spin >/dev/null 2>&1 &&
	    command -v gcc >/dev/null 2>&1; then
		pans=""; alls=""
		for r in 1 2 3; do
			d="$work/spin-$name-$r"
			mkdir -p "$d"
			cp "$SRCDIR/bench/anchors/$model.pml" "$d/"
			t0=$(date +%s%N)
			(cd "$d" && spin -a "$model.pml" >/dev/null &&
			    gcc -O2 -o pan pan.c 2>/dev/null)
			t1=$(date +%s%N)
			(cd "$d" && ./pan > out.txt 2>&1)
			pans="$pans $(ms "$t1")"
			alls="$alls $(ms "$t0")"
		done
		pan=$(echo $pans | tr ' ' '\n' | median)
		all=$(echo $alls | tr ' ' '\n' | median)
		[ "$first" != - ] && ratio=$(awk -v a="$first" -v b="$pan" \
		    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	fi
	printf '%-26s %9s %9s %10s %11s %9s %10s %8s\n' "$name" "$first" \
	    "$total" "$n" "$rate" "$pan" "$all" "$ratio"
done
command -v spin >/dev/null 2>&1 ||
	echo "(spin not installed: apt-get install spin for the anchor columns)"
