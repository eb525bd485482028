#!/bin/sh
# tests/catalog/counter-semaphore2.sh: Semaphore(2) is not a lock.
#  - Full speed: both adders held S at once (max_holders S == 2); the
#    counter is printed (lost updates are possible, not certain there).
#  - Forced: with one add each, both take S, both load, both store: both
#    are inside at once and one update is lost (counter 1 of 2).
# covers: counter-semaphore2
. "$SRCDIR/tests/catalog/lib.sh"
cat_init counter-semaphore2
cat_run run "$T/counter-semaphore2.scn"
all_held
held "max_holders S == 2"
want "both adders held S at the same time: max_holders.S == 2" \
    '.max_holders.S == 2'
want "both processes did all their adds" \
    '[.workers[] | [.kind, .state]] == [["process", "done"], ["process", "done"]]'
want "counter <= 200000" \
    '.shared[] | select(.name == "counter") | .value <= 200000'
note "counter = $(shared_value counter) of 200000 (no mutual exclusion)"

cat_variant "$T/counter-semaphore2.scn" "$T/one.scn" \
    's/repeat 100000:/repeat 1:/'
# repeat, repeat, with S, with S (both inside), load, load, store, store.
cat_schedule "$T/forced.sched" adder.1 adder.2 adder.1 adder.2 \
    adder.1 adder.2 adder.1 adder.2
cat_run forced "$T/one.scn" --schedule "$T/forced.sched"
want "forced: both inside S at once" '.max_holders.S == 2'
want "forced: one update lost (counter 1 of 2)" \
    '.stop == "finished" and (.shared[] | select(.name == "counter") |
    .value == 1 and .lost_updates == 1)'
cat_finish
