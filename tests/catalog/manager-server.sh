#!/bin/sh
# tests/catalog/manager-server.sh: a manager's server process owns the
# list and serves 2 clients. Exact result (2000 items, no lock), and the
# requests are serialised: only M.server takes requests from M, it answers
# each on the asker's own reply queue, and each client waits for every
# reply before it asks again (put, get, put, get...).
# covers: manager-server
. "$SRCDIR/tests/catalog/lib.sh"
cat_init manager-server
cat_run run "$T/manager-server.scn"
all_held
held "received M == 2001"
want "completes: clients and main done, the server stopped at the end" \
    '.stop == "finished" and [.workers[] | [.name, .state]] ==
    [["client.1", "done"], ["client.2", "done"], ["main", "done"],
    ["M.server", "killed"]]'
want "no assert failed" '.errors == []'
cat_record rec "$T/manager-server.scn"
all_held
ev_want "main saw all 2000 items" \
    '[.[] | select(.type == "print") | .text] == ["the list has 2000 items"]'
ev_want "only the server takes requests" \
    '[.[] | select(.type == "chan-get" and .object == "M") | .worker] |
    unique == ["M.server"]'
ev_want "each client: request, reply, request, reply... 1000 times" \
    '[.[] | select(.worker == "client.1" and
    (.type == "chan-put" or .type == "chan-get")) | [.type, .object]] ==
    [range(0; 1000) | ["chan-put", "M"], ["chan-get", "M.to.client.1"]]'
ev_want "the server answers each request, in arrival order, to its asker" \
    '[.[] | select(.worker == "M.server" and
    (.type == "chan-get" or .type == "chan-put"))] |
    [range(0; length; 2) as $k | [.[$k].type, .[$k + 1].type,
    .[$k + 1].object]] | length == 2001 and
    all(.[0] == "chan-get" and .[1] == "chan-put")'
cat_finish
