#!/bin/sh
# tests/catalog/rlock.sh: taking a lock you hold.
#  - rlock: the owner takes R again (depth 2, seen in the events), the run
#    completes, no self-deadlock.
#  - rlock-mutex-twice: the same with a plain mutex is reported as a
#    self-deadlock of reverse on R, reverse blocked on R.
# covers: rlock rlock-mutex-twice
. "$SRCDIR/tests/catalog/lib.sh"
cat_init rlock rlock-mutex-twice
cat_record rlock "$T/rlock.scn"
all_held
want "rlock: completes, both threads done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
want "rlock: no deadlock, no self-deadlock" \
    '.deadlock == null and .self_deadlock == null'
want "rlock: R had one holder at a time" '.max_holders.R == 1'
ev_want "rlock: reverse took R at depth 1, then 2, released to 1, then 0" \
    '[.[] | select(.worker == "reverse" and .object == "R" and
    (.type == "lock-acquired" or .type == "lock-release")) |
    [.type, .a0]] == [["lock-acquired", 1], ["lock-acquired", 2],
    ["lock-release", 1], ["lock-release", 0]]'

cat_run twice "$T/rlock-mutex-twice.scn"
all_held
want "mutex twice: stopped as a self-deadlock of reverse on R" \
    '.stop == "deadlock" and
    .self_deadlock == {"worker": "reverse", "object": "R"}'
want "mutex twice: reverse is blocked on R" \
    '.workers[] | select(.name == "reverse") |
    .state == "blocked" and .waiting_on == "R"'
want "mutex twice: the cycle is reverse waiting for itself" \
    '[.deadlock.cycle[] | [.worker, .waits_for]] == [["reverse", "R"]]'
cat_finish
