#!/bin/sh
# tests/catalog/named-pipe.sh: a FIFO by name. An open blocks until the
# other end is opened (the writer is 50 ms late), then 1..10 arrive in
# order and end-of-file ends the reader's loop.
# covers: named-pipe
. "$SRCDIR/tests/catalog/lib.sh"
cat_init named-pipe
cat_run run "$T/named-pipe.scn"
all_held
want "no runtime errors" '.errors == [] and .problems == []'
held "received F == 10"
held "order_errors F == 0"
want "completes: writer and reader done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
cat_record rec "$T/named-pipe.scn"
# The writer is 50 ms late, so the reader's open is the one that blocks;
# on a very slow machine it could be the writer's, which is the same lesson.
ev_want "an open of F blocked until the other end was opened" \
    '[.[] | select(.type == "chan-open-wait" and .object == "F")] |
    length >= 1'
ev_want "both ends opened before anything was received" \
    '([.[] | select(.type == "chan-open" and .object == "F") | .worker] |
    sort == ["reader", "writer"]) and
    ([.[] | select(.type == "chan-open" and .object == "F")][-1].i) <
    ([.[] | select(.type == "chan-get" and .object == "F")][0].i)'
ev_want "the reader received 1..10 in order" \
    '[.[] | select(.type == "chan-get" and .worker == "reader") | .a0] ==
    [range(1; 11)]'
ev_want "the reader saw end-of-file after the writer closed F" \
    '([.[] | select(.type == "chan-close" and .worker == "writer")][0].i) <
    ([.[] | select(.type == "chan-eof" and .worker == "reader")][0].i)'
cat_finish
