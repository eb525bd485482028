#!/bin/sh
# tests/ui-picker.sh: `lockstep` with no argument lists the catalog with
# titles and summaries, searches it, opens a scenario in the live view and
# comes back to the list when the view is closed.
. "${SRCDIR:-.}/tests/ui-lib.sh"

mkdir "$UI_TMP/cat" || exit 99
for s in deadlock-two-locks semaphore-pool queue-clock; do
	cp "$SRCDIR/scenarios/$s.scn" "$UI_TMP/cat/" || exit 99
done
LOCKSTEP_SCENARIOS="$UI_TMP/cat"
export LOCKSTEP_SCENARIOS
ui_start 100 30
ui_wait "Pick a scenario"
ui_wait "deadlock-two-locks +Deadlock: two locks taken in opposite order"
ui_wait "queue-clock +Queue"
ui_wait "semaphore-pool +Semaphore"
# Search narrows the list.
ui_keys / s e m a
ui_wait "Search: sema"
ui_wait_not "queue-clock"
ui_keys Escape
ui_wait "queue-clock"
ui_keys / d e a d Enter
ui_wait "Workers 2/2"
ui_wait "t1 +ready .*lock A"
# q goes back to the list; q again quits.
ui_keys q
ui_wait "Pick a scenario"
ui_keys q
ui_exited 0
echo "ok: picker"
