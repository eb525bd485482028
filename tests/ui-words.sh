#!/bin/sh
# tests/ui-words.sh: what the screen says, stepped by hand.
# - A put to a waiting getter is two steps: the item is seen in the queue
#   cell first, with who will take it; the next step shows it taken.
# - Socket connect, listen and accept are states with their own words,
#   and a socket wait is a connect, not "waits for a put".
# - A duplex pipe shows each direction apart, and sends and receives.
# - A sleep ends with "wakes up after sleeping", not "done waiting".
# - A step that does nothing to show names the line it ran and the line
#   it is about to run.
. "${SRCDIR:-.}/tests/ui-lib.sh"

# The hand-off.
scn=$(ui_scenario queue-clock)
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_step_until n "sits there until printer takes it" 60
ui_wait "clock put [0-9]+ into ticks: it sits there until printer takes it"
ui_wait "ticks +queue 1/10"
ui_wait "│[0-9]+ +│ +│"
ui_wait "printer +blocked .*wants get ticks"
ui_keys n
ui_wait "printer gets [0-9]+ from ticks"
ui_wait "ticks +queue 0/10"
ui_keys q
ui_exited 0

# Socket states: client first (nobody listens), then the server.
scn=$(ui_scenario socket-echo)
ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_wait "S +socket not listening"
ui_keys 2
ui_wait "client waits in connect: nobody listens on S yet"
ui_wait "client +blocked .*wants connect S"
ui_wait "waits in connect: nobody listens"
ui_screen | grep -q "waits for a put" && ui_fail "a socket wait reads as a put"
ui_keys 1
ui_wait "server listens on S: clients can now connect"
# Scheduled: the waiting client is woken, and connects on its next step.
ui_keys 2
ui_wait "client connects to S"
ui_wait "S +socket connected, not accepted yet"
ui_keys 1
ui_wait "server accepts a connection on S"
ui_wait "S +socket connected"
ui_wait_not "not accepted"
ui_keys q
ui_exited 0

# Duplex pipe: a box per direction, sends and receives.
scn=$(ui_scenario pipe-duplex)
ui_start 120 40 "$scn"
ui_wait "PAUSED"
ui_wait "client → server: 0"
ui_wait "server → client: 0"
ui_step_until n "client sen(ds|t) 0 (to server over|into) P" 20
ui_step_until n "server receives 0 from P" 20
ui_step_until n "server sent 0 into P: it sits there until client receives it" 20
ui_wait "server → client: 1"
ui_keys n
ui_wait "client receives 0 from P"
ui_keys q
ui_exited 0

# A sleep ends in the right words; a step that only moves on says which
# line ran and which is next.
scn=$(ui_scenario thread-local)
ui_start 120 40 "$scn"
ui_wait "PAUSED"
ui_step_until 1 "worker\.1 ran line 19 \(repeat copy:\); next it runs line 20: sleep 10ms" 20
# A sleep is two steps in scenario time: one starts it, the next lets
# its time pass and ends it.
ui_keys 1
ui_wait "worker\.1 sleeps 10 ms"
ui_keys 1
ui_wait "worker\.1 wakes up after sleeping"
ui_screen | grep -q "done waiting and goes on" &&
    ui_fail "a sleep ends with 'done waiting'"
ui_keys q
ui_exited 0
echo "ok: hand-off, socket states, duplex directions, sleep and step words"
