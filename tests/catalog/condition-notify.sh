#!/bin/sh
# tests/catalog/condition-notify.sh: 5 waiters, notify(1) then notify_all.
# All five wait before the first notify; notify(1) wakes exactly one,
# notify_all the other four; woke == 5, no notify lost.
# covers: condition-notify
. "$SRCDIR/tests/catalog/lib.sh"
cat_init condition-notify
cat_run run "$T/condition-notify.scn"
all_held
held "max_waiters C == 5"
held "woken C == 5"
held "lost_notifies C == 0"
want "woke == 5" '.shared[] | select(.name == "woke") | .value == 5'
want "completes: all six done" '.stop == "finished" and
    ([.workers[] | .state] | length == 6 and all(. == "done"))'
cat_record rec "$T/condition-notify.scn"
all_held
# n1, n2: positions of the two notifies; waits and wakes counted around.
ev_want "two notifies: first asks for 1, second for all" \
    '[.[] | select(.type == "cond-notify" and .object == "C") | .a0] |
    length == 2 and .[0] == 1 and .[1] != 1'
ev_want "all five receivers waited before the first notify" \
    '([.[] | select(.type == "cond-notify")][0].i) as $n1 |
    [.[] | select(.type == "cond-wait" and .i < $n1) | .worker] | unique ==
    [range(1; 6) | "receiver.\(.)"]'
ev_want "notify(1) woke exactly one receiver" \
    '([.[] | select(.type == "cond-notify")] | [.[0].i, .[1].i]) as [$n1, $n2]
    | [.[] | select(.type == "cond-woken" and .i > $n1 and .i < $n2)] |
    length == 1'
ev_want "notify_all woke the other four" \
    '([.[] | select(.type == "cond-notify")][1].i) as $n2 |
    [.[] | select(.type == "cond-woken" and .i > $n2) | .worker] | unique |
    length == 4'
ev_want "each receiver woke exactly once" \
    '[.[] | select(.type == "cond-woken") | .worker] | sort ==
    [range(1; 6) | "receiver.\(.)"]'
cat_finish
