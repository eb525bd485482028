#!/bin/sh
# tests/ui-queue.sh: a queue's cells show its contents in order. The clock
# is stepped alone so ticks pile up; then the printer takes the first one;
# then the run goes to the end and the expectations are checked.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario queue-clock)
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_wait "ticks +queue 0/10"

# Step only the clock (worker 1) until three ticks wait in the queue.
ui_step_until 1 "ticks +queue 3/10"
ui_wait "│1 +│2 +│3 +│ +│"
ui_wait "clock +ready"
# The printer (worker 2) takes the head of the queue.
ui_step_until 2 "ticks +queue 2/10" 5
ui_wait "│2 +│3 +│ +│"
ui_wait "printer got 1|printer gets 1|got 1"
# Run to the end.
ui_keys + + + + + + Space
ui_wait "FINISHED" 200
ui_wait "✓ expect received ticks == 10"
ui_wait "✓ expect order_errors ticks == 0"
ui_keys q
ui_exited 0
echo "ok: queue contents shown"
