#!/bin/sh
# tests/catalog/counter-atomic.sh: one atomic add per increment, no lock:
# exactly 200000 every run (3 full-speed runs), and exactly 100 of 100
# under three seeded step-mode interleavings (50 adds each).
# covers: counter-atomic
. "$SRCDIR/tests/catalog/lib.sh"
cat_init counter-atomic
for i in 1 2 3; do
	cat_run "run$i" "$T/counter-atomic.scn"
	all_held
	want "run$i: counter is exactly 200000" \
	    '.shared[] | select(.name == "counter") |
	    .value == 200000 and .lost_updates == 0'
	want "run$i: no lock was used" '.max_holders == {}'
	want "run$i: both processes did all their adds, one step each" \
	    '[.workers[] | [.kind, .state, .steps]] ==
	    [["process", "done", 100001], ["process", "done", 100001]]'
done
cat_variant "$T/counter-atomic.scn" "$T/fifty.scn" \
    's/repeat 100000:/repeat 50:/'
for seed in 1 2 3; do
	cat_run "seed$seed" "$T/fifty.scn" --seed $seed
	want "seed $seed: counter == 100" \
	    '.stop == "finished" and (.shared[] | select(.name == "counter")
	    | .value == 100)'
done
cat_finish
