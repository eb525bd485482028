#!/bin/sh
# tests/catalog/pool-map.sh: Pool(4).map over 12 inputs. Input 0 sleeps
# 300 ms, the other eleven 10 ms (110 ms in all over three free workers),
# so input 0 ends last in any run; still result x is f(x) = 10x + 1 at
# place x. The worker holding input 0 runs nothing else; the other three
# take the next input as soon as they are free.
# covers: pool-map
. "$SRCDIR/tests/catalog/lib.sh"
cat_init pool-map
cat_record rec "$T/pool-map.scn"
all_held
held "tasks_done P == 12"
ev_want "tasks finish out of order: input 0 ends last" \
    '[.[] | select(.type == "task-end") | .a1] | length == 12 and
    .[-1] == 0 and . != sort'
ev_want "results in input order are f(x) = 10x + 1" \
    '[.[] | select(.type == "task-end")] | sort_by(.a1) |
    map(.a0) == [range(0; 12) | 10 * . + 1]'
ev_want "the worker on input 0 runs only it; inputs are handed out in order" \
    '[.[] | select(.type == "task-begin")] as $b |
    ($b | map(.a0)) == [range(0; 12)] and
    ([$b[] | select(.worker == ($b[0].worker))] | length) == 1'
cat_finish
