#!/bin/sh
# tests/catalog/counter-lock.sh: a mutex around `counter += 1`.
#  - Full speed, 3 runs: exactly 200000 every run, L never held by two.
#  - Forced: with one add each, the schedule that makes race-processes
#    lose an update (adder.2 goes in while adder.1 is inside) leaves
#    adder.2 waiting for L: counter 2 of 2.
#  - Seeded step mode (50 adds each, seeds 1-3): the same random
#    interleavings that lose updates in race-processes (shown here as the
#    contrast) lose none with the lock: 100 of 100 each time.
# covers: counter-lock
. "$SRCDIR/tests/catalog/lib.sh"
cat_init counter-lock race-processes
for i in 1 2 3; do
	cat_run "run$i" "$T/counter-lock.scn"
	all_held
	want "run$i: counter is exactly 200000" \
	    '.shared[] | select(.name == "counter") |
	    .value == 200000 and .lost_updates == 0'
	want "run$i: L had one holder at a time" '.max_holders.L == 1'
	want "run$i: both processes did all their adds" \
	    '[.workers[] | [.kind, .state]] ==
	    [["process", "done"], ["process", "done"]]'
	want "run$i: finished, nothing detected" '.stop == "finished" and
	    .deadlock == null and .potential_deadlocks == [] and
	    .errors == []'
done

cat_variant "$T/counter-lock.scn" "$T/one.scn" 's/repeat 100000:/repeat 1:/'
# repeat, repeat, with L (adder.1 inside), with L (adder.2 blocks), adder.1
# load and store (then leaves), adder.2 load and store.
cat_schedule "$T/forced.sched" adder.1 adder.2 adder.1 adder.2 \
    adder.1 adder.1 adder.2 adder.2
cat_run forced "$T/one.scn" --schedule "$T/forced.sched"
want "forced: adder.2 had to wait for L: counter 2 of 2, nothing lost" \
    '.stop == "finished" and (.shared[] | select(.name == "counter") |
    .value == 2 and .lost_updates == 0) and .max_holders.L == 1'

cat_variant "$T/counter-lock.scn" "$T/fifty.scn" 's/repeat 100000:/repeat 50:/'
cat_variant "$T/race-processes.scn" "$T/race50.scn" \
    's/repeat 100000:/repeat 50:/'
for seed in 1 2 3; do
	cat_run "race-seed$seed" "$T/race50.scn" --seed $seed
	want "seed $seed without the lock: updates lost (counter < 100)" \
	    '.shared[] | select(.name == "counter") | .value < 100'
	note "seed $seed without the lock: counter $(shared_value counter)"
	cat_run "lock-seed$seed" "$T/fifty.scn" --seed $seed
	want "seed $seed with the lock: counter == 100" \
	    '.stop == "finished" and (.shared[] | select(.name == "counter")
	    | .value == 100)'
done
cat_finish
