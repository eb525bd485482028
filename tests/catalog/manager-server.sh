#!/bin/sh
# tests/catalog/manager-server.sh: a server process owns the counter and
# serves 2 clients. Exact result (2000), and the updates are serialised:
# only the server touches counter, and its stores are 1, 2, ... 2000.
# covers: manager-server
. "$SRCDIR/tests/catalog/lib.sh"
cat_init manager-server
cat_run run "$T/manager-server.scn"
all_held
want "counter == 2000 exactly, no lost update" \
    '.shared[] | select(.name == "counter") |
    .value == 2000 and .lost_updates == 0'
held "received requests == 2000"
want "completes: server and both clients done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done", "done"]'
cat_record rec "$T/manager-server.scn"
all_held
ev_want "only the server loads and stores counter" \
    '[.[] | select(.object == "counter" and
    (.type == "shared-load" or .type == "shared-store")) | .worker] |
    unique == ["server"]'
ev_want "the server stored 1, 2, ... 2000, one request at a time" \
    '[.[] | select(.type == "shared-store" and .object == "counter") |
    .a0] == [range(1; 2001)]'
ev_want "each client got 1000 replies, each larger than the last" \
    '[.[] | select(.type == "chan-get" and .object == "reply1") | .a0] as $a
    | [.[] | select(.type == "chan-get" and .object == "reply2") | .a0] as $b
    | ($a | length) == 1000 and ($b | length) == 1000 and
    ([range(1; 1000) as $k | $a[$k] > $a[$k - 1] and $b[$k] > $b[$k - 1]]
    | all)'
cat_finish
