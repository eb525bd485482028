#!/bin/sh
# tests/catalog/pipe-shared-end.sh: two writers on one pipe end. Every
# send is one atomic write, so every item arrives whole and once; a
# three-piece message is torn when the schedule lets the other writer in
# between its pieces (forced: w1 small, piece 1; w2 small, piece 1; w1
# piece 2; w2 piece 2...: 4 pieces out of place); holding L for the whole
# message keeps locked_end in order in every run.
# covers: pipe-shared-end
. "$SRCDIR/tests/catalog/lib.sh"
cat_init pipe-shared-end
got='[.[] | select(.type == "chan-get" and .object == "shared_end") | .a0]'
cat_record free "$T/pipe-shared-end.scn"
all_held
held "torn_locked == 0"
ev_want "every small message and every piece arrives whole, once" \
    "$got | sort == [1, 2, 101, 102, 103, 201, 202, 203]"
ev_want "with L, each writer's three pieces arrive together" \
    '[.[] | select(.type == "chan-get" and .object == "locked_end") | .a0]
    | (. == [101, 102, 103, 201, 202, 203]) or
    (. == [201, 202, 203, 101, 102, 103])'
cat_schedule "$T/torn.sched" writer.1 writer.1 writer.1 writer.2 writer.2 \
    writer.2 writer.1 writer.2 writer.1 writer.2
for k in 1 2; do
	cat_record "forced$k" "$T/pipe-shared-end.scn" --schedule "$T/torn.sched"
	all_held
	ev_want "forced$k: the pieces interleave: both messages torn" \
	    "$got == [1, 101, 2, 201, 102, 202, 103, 203]"
	want "forced$k: the reader counted 4 pieces out of place, 0 with L" \
	    '[.shared[] | select(.name == "torn" or .name == "torn_locked") |
	    .value] == [4, 0]'
done
cat_finish
