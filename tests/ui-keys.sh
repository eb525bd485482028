#!/bin/sh
# tests/ui-keys.sh: the lecture keys. z zooms the focused pane and back;
# Tab reaches the lesson, whose whole text can then be read; `.` runs to
# the next event worth a look; PgDn steps as a clicker's "next", PgUp
# goes back (or says why it cannot), b blanks the screen; the worker-list
# cursor steps worker 11, which no digit key reaches. TERM=dumb is
# refused with exit status 2. A failed expectation shows the value found.
. "${SRCDIR:-.}/tests/ui-lib.sh"

# The event count: in the header, or (at 80 columns, where the header
# keeps the state and the scenario time) under the timeline.
events() {
	ui_screen | sed -n 's/.*events \([0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p;
	    s/.*0 → \([0-9][0-9]*\) events.*/\1/p' | head -1
}

# Zoom and the lesson, at 80x24.
scn=$(ui_scenario deadlock-two-locks)
ui_start 80 24 "$scn"
ui_wait "PAUSED"
ui_wait "^─ Workers"
ui_wait "Lesson.*[0-9]+ more \(Tab, z\)"
ui_keys z
ui_wait_not "Objects"
ui_wait "^─ Workers"
ui_keys z
ui_wait "Objects"
# Tab to the lesson (after workers, source, objects, graph, log,
# timeline), zoomed: its last words are on screen.
ui_keys Tab Tab Tab Tab Tab Tab
ui_keys z
ui_wait "same order\."
ui_wait_not "^─ Workers"
ui_keys z
ui_wait "^─ Workers"

# PgDn steps (the event count moves); PgUp goes back or says how.
n=$(events)
ui_keys NPage
m=0
while [ "$(events)" = "$n" ] && [ $m -lt 50 ]; do sleep 0.1; m=$((m + 1)); done
[ "$(events)" != "$n" ] || ui_fail "PgDn did not step"
n=$(events)
ui_keys PPage
ui_wait "Stepping back|Already at the first|events [0-9]+ |→ [0-9]+ events"
[ "$(events)" -le "$n" ] || ui_fail "PgUp stepped forward"

# `.`: to the first block, in one key (the other thread, already past
# its gate, may close the cycle right after).
ui_keys .
ui_wait "Stopped after [0-9]+ events: t[12] waits for [AB]"
ui_wait "PAUSED|DEADLOCK"

# b blanks the screen, any key brings it back.
ui_keys b
ui_wait_not "Workers"
ui_wait_not "PAUSED"
ui_keys Escape
ui_wait "^─ Workers"
ui_keys q
ui_exited 0

# The worker-list cursor reaches worker 11 and Enter steps it.
cp "$SRCDIR/tests/data/twelve-long-names.scn" "$UI_TMP/" || exit 99
ui_start 80 24 "$UI_TMP/twelve-long-names.scn"
ui_wait "PAUSED"
ui_keys Down Down Down Down Down Down Down Down Down Down
ui_wait "11 ▷ check[a-z_]*…[a-z_]*ly ready"
ui_keys Enter
ui_wait "checkpoint_writer_nightly takes L"
ui_wait "11 ▷ check[a-z_]*…[a-z_]*ly .* holds L"
ui_keys q
ui_exited 0

# A failed expectation says what it found, in the banner and the list.
cp "$SRCDIR/tests/data/expect-fails.scn" "$UI_TMP/" || exit 99
ui_start 80 24 "$UI_TMP/expect-fails.scn"
ui_wait "PAUSED"
ui_keys + + + + + + + + Space
ui_wait "EXPECTATION FAILED  expect x == 3  \(it is 5\)"
ui_wait "✗ expect x == 3 \(it is 5\)"
ui_keys q
ui_exited 0

# A terminal that cannot move the cursor: a message and exit status 2.
real=$LOCKSTEP
LOCKSTEP=$UI_TMP/dumb-lockstep
printf '#!/bin/sh\nTERM=dumb exec "%s" "$@"\n' "$real" > "$LOCKSTEP"
chmod +x "$LOCKSTEP"
ui_start 80 24 "$scn"
ui_wait "cannot move the cursor"
ui_exited 2
echo "ok: zoom, lesson, next event, clicker keys, worker 11, TERM=dumb"
