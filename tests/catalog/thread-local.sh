#!/bin/sh
# tests/catalog/thread-local.sh: a local int has one copy per thread, a
# shared int one copy for all. Each worker.k sets and prints its own idx
# k (five distinct values, each starting at 0); the shared last ends as
# the last writer's value (worker.5, last == 5).
# covers: thread-local
. "$SRCDIR/tests/catalog/lib.sh"
cat_init thread-local
# Scheduled (--seed): the 10 ms sleeps order the writers in scenario
# time, so the last writer is worker.5 however loaded the machine is.
cat_run run "$T/thread-local.scn" --seed 1
all_held
held "distinct idx == 5"
want "last == 5 (the last writer)" \
    '.shared[] | select(.name == "last") | .value == 5'
want "completes: all five done" '.stop == "finished" and
    ([.workers[] | .state] | length == 5 and all(. == "done"))'
cat_record rec "$T/thread-local.scn" --seed 1
all_held
ev_want "worker.k set its own idx to k: five distinct values" \
    '[.[] | select(.type == "local-set" and .object == "idx") |
    [.worker, .a0]] | sort == [range(1; 6) | ["worker.\(.)", .]]'
ev_want "every worker saw its own idx start at 0" \
    '[.[] | select(.type == "print" and
    (.text | startswith("my idx before"))) | .text] | length == 5 and
    all(. == "my idx before: 0")'
ev_want "worker.k printed idx = k at the end (its copy untouched)" \
    '[.[] | select(.type == "print" and (.text | startswith("idx = ")))
    | [.worker, (.text | capture("idx = (?<n>[0-9]+)").n | tonumber)]] |
    sort == [range(1; 6) | ["worker.\(.)", .]]'
ev_want "the last store to the shared last was worker.5 storing 5" \
    '[.[] | select(.type == "shared-store" and .object == "last")][-1] |
    .worker == "worker.5" and .a0 == 5'
cat_finish
