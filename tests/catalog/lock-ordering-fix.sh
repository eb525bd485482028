#!/bin/sh
# tests/catalog/lock-ordering-fix.sh: both threads take A then B: the run
# completes and no lock-order inversion (potential deadlock) is reported.
# covers: lock-ordering-fix
. "$SRCDIR/tests/catalog/lib.sh"
cat_init lock-ordering-fix
cat_run run "$T/lock-ordering-fix.scn"
all_held
want "completes: both threads done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
want "no deadlock and no potential deadlock" \
    '.deadlock == null and .potential_deadlocks == []'
want "A and B each had one holder at a time" \
    '.max_holders == {"A": 1, "B": 1}'
cat_finish
