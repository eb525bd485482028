#!/bin/sh
# tests/catalog/lock-order-inversion.sh: t1 takes A then B, later t2 takes
# B then A. The run completes (no deadlock this time) AND the opposite
# orders are reported as a potential deadlock over A and B, naming both
# threads.
# covers: lock-order-inversion
. "$SRCDIR/tests/catalog/lib.sh"
cat_init lock-order-inversion
cat_run run "$T/lock-order-inversion.scn"
all_held
want "completes: both threads done, no deadlock" '.stop == "finished" and
    .deadlock == null and [.workers[] | .state] == ["done", "done"]'
want "one potential deadlock, over A and B" \
    '(.potential_deadlocks | length) == 1 and
    ([.potential_deadlocks[0] | .first, .second] | sort) == ["A", "B"]'
want "the report names t1 and t2" \
    '.potential_deadlocks[0].text | test("\\bt1\\b") and test("\\bt2\\b")'
note "$(jv '.potential_deadlocks[0].text')"
cat_finish
