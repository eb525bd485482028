#!/bin/sh
# tests/catalog/mmap-file.sh: a file mapped shared by two processes. The
# reader sees the writer's data: seen == 1200 (10 + 20 + ... + 150), and
# it summed only after the writer set the flag M[0] = 1.
# covers: mmap-file
. "$SRCDIR/tests/catalog/lib.sh"
cat_init mmap-file
cat_run run "$T/mmap-file.scn"
all_held
want "seen == 1200" '.shared[] | select(.name == "seen") | .value == 1200'
want "completes: writer and reader are processes, done" \
    '.stop == "finished" and [.workers[] | [.kind, .state]] ==
    [["process", "done"], ["process", "done"]]'
cat_record rec "$T/mmap-file.scn"
all_held
ev_want "the writer stored 10, 20 ... 150 in M[1..15], then the flag" \
    '[.[] | select(.type == "shared-store" and .object == "M") |
    [.a1, .a0]] == ([range(1; 16) | [., . * 10]] + [[0, 1]])'
ev_want "the reader summed only after the flag, seeing every value" \
    '([.[] | select(.type == "shared-store" and .object == "M" and
    .a1 == 0)][0].i) as $flag |
    [.[] | select(.type == "shared-store" and .object == "seen")] |
    all(.i > $flag) and ([.[].a0] ==
    [range(1; 16) | . * (. + 1) * 5])'
cat_finish
