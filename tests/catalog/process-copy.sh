#!/bin/sh
# tests/catalog/process-copy.sh: a child process has its own pid and a
# copy of memory. The order is forced by start/join: helper (a thread)
# sets plain = 7 and ends, then child (a process) sets plain = 99 and
# shared_value = 99 and ends, then main prints. Main must see 7 (the
# thread's change, not the child's) and 99 for the shared int.
# covers: process-copy
. "$SRCDIR/tests/catalog/lib.sh"
cat_init process-copy
cat_record rec "$T/process-copy.scn"
all_held
held "shared_value == 99"
ev_want "the child changed its own copy: plain = 99 there" \
    '[.[] | select(.type == "print" and .worker == "child") | .text][1] ==
    "child: plain = 99, shared_value = 99"'
ev_want "main sees the thread's plain = 7, not the child's 99, and the
    shared 99" \
    '[.[] | select(.type == "print" and .worker == "main") | .text][1] ==
    "main: plain = 7, shared_value = 99"'
pids='[.[] | select(.type == "print") | .text |
    capture("^(?<who>main|child): pid (?<pid>[0-9]+), parent pid (?<ppid>[0-9]+)$")]'
ev_want "main and the child print different pids" \
    "$pids | length == 2 and .[0].pid != .[1].pid"
ev_want "both have the same parent (the runner), not each other" \
    "$pids | .[0].ppid == .[1].ppid and .[1].ppid != .[0].pid"
want "no worker failed an assert" '.errors == []'
cat_finish
