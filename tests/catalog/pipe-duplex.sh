#!/bin/sh
# tests/catalog/pipe-duplex.sh: request and reply on one two-way pipe.
# Every reply matches its request (mismatches == 0; the client got the
# squares of 0..9 in order; the server got 0..9).
# covers: pipe-duplex
. "$SRCDIR/tests/catalog/lib.sh"
cat_init pipe-duplex
cat_run run "$T/pipe-duplex.scn"
all_held
want "mismatches == 0" \
    '.shared[] | select(.name == "mismatches") | .value == 0'
held "sent P == 20"
held "received P == 20"
want "completes: client and server done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
cat_record rec "$T/pipe-duplex.scn"
all_held
ev_want "the server received the requests 0..9 in order" \
    '[.[] | select(.type == "chan-get" and .worker == "server") | .a0] ==
    [range(0; 10)]'
ev_want "the client received the replies 0, 1, 4, ... 81 in order" \
    '[.[] | select(.type == "chan-get" and .worker == "client") | .a0] ==
    [range(0; 10) | . * .]'
cat_finish
