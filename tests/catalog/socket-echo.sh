#!/bin/sh
# tests/catalog/socket-echo.sh: a TCP echo on loopback. Echoed bytes equal
# sent bytes: the client sent 1000..1004 and got back 1000..1004, the
# server received them in that order; mismatches == 0.
# covers: socket-echo
. "$SRCDIR/tests/catalog/lib.sh"
cat_init socket-echo
cat_run run "$T/socket-echo.scn"
all_held
want "no runtime errors" '.errors == [] and .problems == []'
want "mismatches == 0" \
    '.shared[] | select(.name == "mismatches") | .value == 0'
held "sent S == 10"
held "received S == 10"
want "completes: server and client done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
cat_record rec "$T/socket-echo.scn"
ev_want "the client sent 1000..1004" \
    '[.[] | select(.type == "chan-put" and .worker == "client") | .a0] ==
    [range(1000; 1005)]'
ev_want "the server received 1000..1004 in order" \
    '[.[] | select(.type == "chan-get" and .worker == "server") | .a0] ==
    [range(1000; 1005)]'
ev_want "the client got back exactly what it sent" \
    '[.[] | select(.type == "chan-get" and .worker == "client") | .a0] ==
    [range(1000; 1005)]'
cat_finish
