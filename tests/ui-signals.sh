#!/bin/sh
# tests/ui-signals.sh: Ctrl-C, SIGTERM and SIGHUP end the live view from
# any state (paused, running, deadlocked) with the terminal restored and
# every process of the run gone; F10 quits like q.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario deadlock-two-locks)

# Ctrl-C while paused: ends as SIGINT would (status 130).
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_keys C-c
ui_exited 130
tm kill-server

# SIGTERM while deadlocked.
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_keys Space
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1" 150
kill -TERM "$(cat "$UI_TMP/pid")"
ui_exited 143
tm kill-server

# SIGHUP while running (a run that never deadlocks on its own).
scn=$(ui_scenario semaphore-pool)
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_keys Space
ui_wait "RUNNING"
kill -HUP "$(cat "$UI_TMP/pid")"
ui_exited 129
tm kill-server

# F10 in the middle of a step.
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_keys n F10
ui_exited 0
echo "ok: signals and quit keys"
