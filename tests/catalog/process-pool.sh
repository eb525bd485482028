#!/bin/sh
# tests/catalog/process-pool.sh: Pool(5) over 20 tasks. All 20 results,
# task i giving i * i, each task run once; never more than 5 tasks busy at
# once, and the tasks spread over several workers.
# covers: process-pool
. "$SRCDIR/tests/catalog/lib.sh"
cat_init process-pool
cat_run run "$T/process-pool.scn"
all_held
held "tasks_done P == 20"
held "max_busy P <= 5"
want "completes: the five pool workers done" '.stop == "finished" and
    [.workers[] | [.name, .state]] == [range(1; 6) | ["P.\(.)", "done"]]'
cat_record rec "$T/process-pool.scn"
all_held
ev_want "20 results: task i gave i * i, each task once" \
    '[.[] | select(.type == "task-end" and .object == "P") | [.a1, .a0]] |
    sort == [range(0; 20) | [., . * .]]'
ev_want "at most 5 tasks busy at any moment (and more than one)" \
    '[.[] | select(.object == "P") | if .type == "task-begin" then 1
    elif .type == "task-end" then -1 else empty end] |
    reduce .[] as $d ({c: 0, m: 0}; .c += $d | .m = ([.m, .c] | max)) |
    .m <= 5 and .m >= 2'
ev_want "tasks were handed to several workers" \
    '[.[] | select(.type == "task-begin") | .worker] | unique | length >= 2'
note "tasks per worker: $(evv '[.[] | select(.type == "task-begin") |
    .worker] | group_by(.) | map("\(.[0]) \(length)") | join(", ")')"
cat_finish
