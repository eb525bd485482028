#!/bin/sh
# tests/ui-semaphore.sh: run the semaphore pool and see its slot boxes:
# five boxes with a holder's name in each, and the two threads that wait.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario semaphore-pool)
ui_start 120 40 "$scn"
ui_wait "PAUSED"
ui_wait "Semaphores"
# Empty slot boxes before anything runs.
ui_wait "slots +0/5 taken"
ui_wait "│ +│ +│ +│ +│ +│"
# Run: five get in, two wait.
ui_keys Space
ui_wait "RUNNING"
ui_wait "slots +5/5 taken" 150
ui_wait "user\.[1-7] +blocked .*wants slots" 150
ui_keys Space
ui_wait "PAUSED"
ui_wait "slots +5/5 taken"
ui_wait "│user\.[1-7]│user\.[1-7]│user\.[1-7]│user\.[1-7]│user\.[1-7]│"
ui_wait "user\.[1-7] +blocked .*wants slots"
# To the end at full speed: every expectation holds.
ui_keys + + + + + + Space
ui_wait "FINISHED" 200
ui_wait "FINISHED  every expectation holds"
ui_keys q
ui_exited 0
echo "ok: semaphore slot boxes shown"
