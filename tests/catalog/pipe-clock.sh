#!/bin/sh
# tests/catalog/pipe-clock.sh: a one-way pipe. The printer receives 1..10
# in order, then end-of-file (after the clock closed its end) and leaves
# its loop.
# covers: pipe-clock
. "$SRCDIR/tests/catalog/lib.sh"
cat_init pipe-clock
cat_run run "$T/pipe-clock.scn"
all_held
held "received P == 10"
held "order_errors P == 0"
want "completes: clock and printer done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
cat_record rec "$T/pipe-clock.scn"
all_held
ev_want "the printer received 1..10 in order" \
    '[.[] | select(.type == "chan-get" and .worker == "printer") | .a0] ==
    [range(1; 11)]'
ev_want "EOF seen by the printer, after the clock closed P" \
    '([.[] | select(.type == "chan-close" and .worker == "clock")][0].i) <
    ([.[] | select(.type == "chan-eof" and .worker == "printer")][0].i)'
ev_want "EOF came after the last tick was received" \
    '([.[] | select(.type == "chan-get" and .worker == "printer")][-1].i) <
    ([.[] | select(.type == "chan-eof")][0].i)'
ev_want "the printer left its loop: its last print is the EOF line" \
    '[.[] | select(.type == "print" and .worker == "printer")][-1].text |
    startswith("end-of-file")'
cat_finish
