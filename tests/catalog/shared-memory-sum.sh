#!/bin/sh
# tests/catalog/shared-memory-sum.sh: two processes add partial sums into
# shared memory under a semaphore: exact total 20100 (5050 + 15050), each
# part in its own cell, the shared add one process at a time.
# covers: shared-memory-sum
. "$SRCDIR/tests/catalog/lib.sh"
cat_init shared-memory-sum
cat_run run "$T/shared-memory-sum.scn"
all_held
want "total == 20100" \
    '.shared[] | select(.name == "total") | .value == 20100'
want "the guard had one holder at a time" '.max_holders.guard == 1'
want "completes: both summers and main done" '.stop == "finished" and
    [.workers[] | [.name, .kind, .state]] == [["summer.1", "process", "done"],
    ["summer.2", "process", "done"], ["main", "main", "done"]]'
cat_record rec "$T/shared-memory-sum.scn"
all_held
ev_want "summer.1 wrote 5050 in S[1], summer.2 15050 in S[2]" \
    '[.[] | select(.type == "shared-store" and .object == "S" and
    .a1 != 0) | [.worker, .a1, .a0]] | sort ==
    [["summer.1", 1, 5050], ["summer.2", 2, 15050]]'
ev_want "S[0] ended at 20100, written under the guard" \
    '[.[] | select(.type == "shared-store" and .object == "S" and
    .a1 == 0)] | length == 2 and .[-1].a0 == 20100'
cat_finish
