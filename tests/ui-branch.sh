#!/bin/sh
# tests/ui-branch.sh: step back in a live run, then take another branch.
# Two threads lock A and B in opposite orders. t1 takes A, t2 takes B:
# the deadlock is coming. Left steps back (the run again, all but the last
# choice, silently: t2 has not taken B), and from there t1 goes on alone:
# it takes both locks, and t2 never meets the cycle.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario deadlock-two-locks)
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_keys 1
ui_wait "t1 +[a-z]+ .*holds A"
ui_keys 2
ui_wait "t2 +[a-z]+ .*holds B"
ui_wait "B +mutex +held by t2"

# Back one step: B is free again, t2 is back at its first lock.
ui_keys Left
ui_wait "t2 +ready .* 25 "
ui_wait "t1 +[a-z]+ .*holds A"
ui_wait_not "held by t2"

# Another branch: t1 sleeps (two steps: start, then time passes), takes
# B, and so holds both locks; no deadlock this time.
ui_keys 1
ui_wait "t1 +sleep"
ui_keys 1
ui_wait "t1 +ready .* 19 holds A"
ui_keys 1
ui_wait "t1 +[a-z]+ .*holds A, ?B"
ui_wait "B +mutex +held by t1"
ui_screen | grep -q "DEADLOCK" && ui_fail "deadlock on the other branch"

# Back once more: t1 has not taken B yet.
ui_keys Left
ui_wait "t1 +ready .* 19 holds A"
ui_wait_not "B +mutex +held by t1"
ui_keys q
ui_exited 0
echo "ok: step back, then another branch"
