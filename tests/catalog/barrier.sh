#!/bin/sh
# tests/catalog/barrier.sh: 4 runners at a barrier. Nobody passes (or
# prints "passed") before the last one arrives; all four pass.
# covers: barrier
. "$SRCDIR/tests/catalog/lib.sh"
cat_init barrier
cat_run run "$T/barrier.scn"
all_held
held "early_passes B == 0"
held "max_waiters B >= 3"
want "completes: all four done" '.stop == "finished" and
    ([.workers[] | .state] | length == 4 and all(. == "done"))'
cat_record rec "$T/barrier.scn"
all_held
ev_want "four arrivals counted 1, 2, 3, 4" \
    '[.[] | select(.type == "barrier-wait" and .object == "B") | .a0] ==
    [1, 2, 3, 4]'
ev_want "every pass comes after the fourth arrival" \
    '([.[] | select(.type == "barrier-wait")][-1].i) as $last |
    [.[] | select(.type == "barrier-pass")] | length == 4 and
    all(.i > $last)'
ev_want "no \"passed\" printed before the fourth arrival" \
    '([.[] | select(.type == "barrier-wait")][-1].i) as $last |
    [.[] | select(.type == "print" and .text == "passed")] | length == 4
    and all(.i > $last)'
cat_finish
