#!/bin/sh
# tests/catalog/manager-list.sh: a managed list and dict. Every append
# arrives exactly once (the server carries out one request at a time), and
# reading the list back gives each appended number once; the dict holds
# each client's own count.
# covers: manager-list
. "$SRCDIR/tests/catalog/lib.sh"
cat_init manager-list
cat_record rec "$T/manager-list.scn"
all_held
want "no assert failed" '.errors == []'
ev_want "main read back 20 items, sum 3110, and 10 for each client" \
    '[.[] | select(.type == "print") | .text] ==
    ["list: 20 items, sum 3110; dict: 10 and 10"]'
# Requests: op in bits 60-63 (2 append; the argument, in the low bits,
# is beyond a JSON number's precision: the read-back below checks it).
ev_want "10 append requests from each client" \
    '[.[] | select(.type == "chan-put" and .object == "M" and
    (.a0 / 1152921504606846976 | floor) == 2) | .worker] | group_by(.) |
    map([.[0], length]) == [["client.1", 10], ["client.2", 10]]'
ev_want "the items main read back are the appended ones, each once" \
    '[.[] | select(.type == "chan-get" and .object == "M.to.main") | .a0] |
    .[1:21] | sort == ([range(101; 111)] + [range(201; 211)])'
ev_want "only the server takes requests, one at a time" \
    '[.[] | select(.type == "chan-get" and .object == "M") | .worker] |
    unique == ["M.server"]'
cat_finish
