#!/bin/sh
# tests/catalog/queue-clock.sh: ticks through a queue. All 10 ticks arrive
# in order (the printer gets 1..10 and prints Time: 1..10), and the printer
# was seen blocked on the empty queue.
# covers: queue-clock
. "$SRCDIR/tests/catalog/lib.sh"
cat_init queue-clock
cat_run run "$T/queue-clock.scn"
all_held
held "received ticks == 10"
held "order_errors ticks == 0"
held "max_waiters ticks >= 1"
want "completes: clock and printer done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
cat_record rec "$T/queue-clock.scn"
all_held
ev_want "the printer got 1..10, in order" \
    '[.[] | select(.type == "chan-get" and .worker == "printer") | .a0] ==
    [range(1; 11)]'
ev_want "the printer printed Time: 1 .. Time: 10" \
    '[.[] | select(.type == "print" and .worker == "printer") | .text] ==
    [range(1; 11) | "Time: \(.)"]'
ev_want "the printer blocked on the empty queue" \
    '[.[] | select(.type == "chan-get-wait" and .worker == "printer" and
    .object == "ticks")] | length >= 1'
cat_finish
