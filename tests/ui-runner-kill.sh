#!/bin/sh
# tests/ui-runner-kill.sh: in the live view, a runner killed from outside
# is shown for what it is: the header says RUNNER DIED and the banner
# "the runner died: signal 9", never FINISHED; q still quits cleanly.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario semaphore-pool)
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_keys Space
ui_wait "RUNNING"
fe=$(cat "$UI_TMP/pid")
runner=$(ps -o pid=,pgid= --ppid "$fe" | awk '$1 == $2 { print $1; exit }')
[ -n "$runner" ] || ui_fail "no runner found"
kill -KILL "$runner"
ui_wait "RUNNER DIED"
ui_wait "the runner died: signal 9"
tm capture-pane -p -t ui | grep -q "FINISHED" && ui_fail "FINISHED shown for a killed runner"
ui_keys q
ui_exited 0
echo "ok: a killed runner is shown as such"
