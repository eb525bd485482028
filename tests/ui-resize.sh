#!/bin/sh
# tests/ui-resize.sh: the live view fits 80x24, says when the terminal is
# too small, uses a large one (timeline), and survives resizes at any
# moment, including in the middle of a run and with an overlay open.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario deadlock-two-locks)
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_wait "Wait-for graph"

# 80x24: workers, source, objects, caption and key bar; graph by Tab.
ui_resize 80 24
ui_wait "Objects"
ui_wait "Workers 2/2"
ui_wait "Source"
ui_wait "q Quit"
ui_wait_not "Wait-for graph"
ui_keys Tab Tab Tab
ui_wait "Wait-for graph"
ui_keys Tab
ui_wait "Events"
[ "$(ui_screen | wc -L)" -le 80 ] || ui_fail "wider than 80"

# Too small, then back.
ui_resize 50 15
ui_wait "Terminal too small: 50x15"
ui_wait "at least 64x18"
ui_resize 80 24
ui_wait "Workers 2/2"

# Large: everything, with the timeline.
ui_resize 200 60
ui_wait "Timeline"
ui_wait "Events"
ui_wait "Wait-for graph"
ui_wait "Objects"

# Resize while running and with help open, then step into the deadlock.
ui_keys Space
ui_resize 90 26
ui_keys '?'
ui_wait "step the next worker"
ui_resize 130 35
ui_wait "step the next worker"
ui_keys Escape
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1" 150
ui_resize 80 24
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
# At 80x24 the graph takes the objects' place when the cycle closes.
ui_wait "back to t1"
ui_keys q
ui_exited 0
echo "ok: layouts and resizes"
