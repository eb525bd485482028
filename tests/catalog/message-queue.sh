#!/bin/sh
# tests/catalog/message-queue.sh: a POSIX message queue with priorities.
# The late receiver gets the six messages by priority, then in send order:
# 3, 5 (priority 5), 4, 6 (priority 1), 1, 2 (priority 0).
# covers: message-queue
. "$SRCDIR/tests/catalog/lib.sh"
cat_init message-queue
cat_run run "$T/message-queue.scn"
all_held
want "no runtime errors" '.errors == [] and .problems == []'
held "received M == 6"
held "order_errors M == 0"
want "completes: sender and receiver done" '.stop == "finished" and
    [.workers[] | .state] == ["done", "done"]'
cat_record rec "$T/message-queue.scn"
ev_want "the sender sent 1..6" \
    '[.[] | select(.type == "chan-put" and .worker == "sender") | .a0] ==
    [1, 2, 3, 4, 5, 6]'
ev_want "received by priority then FIFO: 3 5 4 6 1 2" \
    '[.[] | select(.type == "chan-get" and .worker == "receiver") | .a0] ==
    [3, 5, 4, 6, 1, 2]'
ev_want "printed in that order" \
    '[.[] | select(.type == "print" and .worker == "receiver") | .text] ==
    ["got 3", "got 5", "got 4", "got 6", "got 1", "got 2"]'
cat_finish
