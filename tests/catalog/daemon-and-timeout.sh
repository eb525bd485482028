#!/bin/sh
# tests/catalog/daemon-and-timeout.sh: join(timeout) returns while the
# worker still runs, and a daemon worker ends with main: main's join on
# ticker times out, the ticker keeps ticking after it, main ends, and the
# daemon ticker is killed (state killed, main done, ticks >= 1).
# covers: daemon-and-timeout
. "$SRCDIR/tests/catalog/lib.sh"
cat_init daemon-and-timeout
cat_run run "$T/daemon-and-timeout.scn"
all_held
held "ticks >= 1"
want "ticker is a daemon and was killed; main done" \
    '.stop == "finished" and [.workers[] | [.name, .daemon, .state]] ==
    [["ticker", true, "killed"], ["main", false, "done"]]'
cat_record rec "$T/daemon-and-timeout.scn"
all_held
ev_want "main's join on ticker timed out" \
    '[.[] | select(.worker == "main" and .type == "join-timeout" and
    .object == "ticker")] | length == 1'
ev_want "the ticker still ran after the join returned" \
    '([.[] | select(.type == "join-timeout")][0].i) as $to |
    [.[] | select(.worker == "ticker" and .type == "shared-store" and
    .i > $to)] | length >= 1'
ev_want "the ticker was killed after main ended" \
    '([.[] | select(.worker == "main" and .type == "worker-end")][0].i) <
    ([.[] | select(.worker == "ticker" and .type == "worker-killed")][0].i)'
cat_finish
