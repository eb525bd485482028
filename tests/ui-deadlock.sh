#!/bin/sh
# tests/ui-deadlock.sh: step two threads into a deadlock with the keys a
# lecturer would press, and see what the room should see: both workers
# blocked, the cycle in the wait-for graph, the DEADLOCK banner; then the
# help and breakpoint overlays, and a clean quit.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario deadlock-two-locks)
ui_start 100 30 "$scn"

# Paused at the first statement, both workers ready to step.
ui_wait "PAUSED"
ui_wait "t1 +ready .*lock A"
ui_wait "t2 +ready .*lock B"
ui_wait "Source"

# t1 takes A, t2 takes B.
ui_keys 1
ui_wait "t1 +[a-z]+ .*holds A"
ui_keys 2
ui_wait "t2 +[a-z]+ .*holds B"
ui_wait "B +mutex +held by t2"
# Both sleep, then reach their second lock.
# A sleep is two steps in scenario time: one starts it (both sleep, so
# the clock moves on to their wake-up), one ends it.
ui_keys 1
ui_wait "t1 +sleep"
ui_keys 2
ui_wait "t2 +sleep"
ui_keys 1
ui_wait "t1 +ready .* 19 holds A"
ui_keys 2
ui_wait "t2 +ready .* 27 holds B"
# t1 blocks on B; the caption explains why.
ui_keys 1
ui_wait "t1 +blocked .*holds A +wants B"
ui_wait "t1 waits for B"
# t2 blocks on A: the cycle closes.
ui_keys 2
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
ui_wait "t2 +blocked .*holds B +wants A"
ui_screen | grep -Eq "t1 +blocked .*holds A +wants B" ||
    ui_fail "t1 not shown blocked"
ui_screen | grep -q "DEADLOCK  events" || ui_fail "no DEADLOCK state"
# The graph draws the loop: t1 waits for B, held by t2, waits for A...
ui_wait "t1  waits for B"
ui_wait "B  held by t2"
ui_wait "t2  waits for A"
ui_wait "A  held by t1"
ui_wait "back to t1"
ui_wait "✓ expect deadlock"

# Nobody can move now, and the screen says so.
ui_keys n
ui_wait "deadlocked"

# Help and breakpoints overlays open and close.
ui_keys '?'
ui_wait "step the next worker"
ui_keys Escape
ui_wait_not "step the next worker"
ui_keys x
ui_wait "\[x\] +deadlock"
ui_wait "\[ \] +contention"
ui_keys c
ui_wait "\[x\] +contention"
# Back to the default (off): a running restart must reach the deadlock,
# not pause at the first lock wait.
ui_keys c
ui_wait "\[ \] +contention"
ui_keys Escape
ui_wait_not "contention"

# Restart: back to the start, paused, no banner.
ui_keys r
ui_wait "t1 +ready .*lock A"
ui_wait_not "DEADLOCK"

# Deadlock it again running (the breakpoint pauses it), then quit.
ui_keys Space
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
ui_keys q
ui_exited 0
echo "ok: deadlock stepped, shown, quit cleanly"
