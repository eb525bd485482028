#!/bin/sh
# tests/catalog/semaphore-pool.sh: 7 threads, Semaphore(5). At most 5
# inside and exactly 5 at the peak (max_holders slots == 5), waiters
# observed (2 users blocked on slots), inside back to 0 at the end.
# covers: semaphore-pool
. "$SRCDIR/tests/catalog/lib.sh"
cat_init semaphore-pool
cat_run run "$T/semaphore-pool.scn"
all_held
want "max concurrent holders of slots == 5" '.max_holders.slots == 5'
held "max_waiters slots >= 2"
want "inside == 0 at the end" \
    '.shared[] | select(.name == "inside") | .value == 0'
want "completes: all 7 users done" '.stop == "finished" and
    ([.workers[] | .state] | length == 7 and all(. == "done"))'
cat_record rec "$T/semaphore-pool.scn"
all_held
ev_want "two users waited for a slot (sem-wait on slots)" \
    '[.[] | select(.type == "sem-wait" and .object == "slots") | .worker] |
    unique | length >= 2'
ev_want "inside never went above 5" \
    '[.[] | select(.type == "shared-store" and .object == "inside") | .a0]
    | max <= 5'
ev_want "every user took and gave back one slot" \
    '([.[] | select(.type == "sem-acquired" and .object == "slots") |
    .worker] | sort) == ([range(1; 8) | "user.\(.)"]) and
    ([.[] | select(.type == "sem-release" and .object == "slots")] |
    length) == 7'
cat_finish
