#!/bin/sh
# tests/ui-producers.sh: the wait-for pane names who alone can wake a
# waiter. Downey's naive cigarette smokers, stepped into their deadlock:
# the agents wait for `agent`, which only the smokers release; the cycle
# reads "released only by", and no agent is drawn waiting for itself.
. "${SRCDIR:-.}/tests/ui-lib.sh"

cp "$SRCDIR/tests/verdicts/smokers-naive.scn" "$UI_TMP/smokers.scn" || exit 99
ui_start 160 50 "$UI_TMP/smokers.scn"
ui_wait "PAUSED"
ui_wait "agent_a +ready"

# agent_a puts out tobacco and paper; smoker_with_paper grabs the
# tobacco, smoker_with_tobacco the paper.
for k in 1 1 1 1 5 5 6 6; do
	before=$(ui_screen | grep -Eo "events [0-9]+")
	ui_keys "$k"
	n=0
	while [ "$(ui_screen | grep -Eo "events [0-9]+")" = "$before" ] &&
	    [ "$n" -lt 30 ]; do
		sleep 0.1
		n=$((n + 1))
	done
done
ui_keys Space
ui_wait "DEADLOCK"
ui_wait "released only by"
ui_wait "agent_b → agent  \(waits for a release\) → smoke"
ui_screen | grep -Eq "(agent_[abc]) → agent .*→ .*\1" &&
    ui_fail "an agent drawn as waiting for itself"
ui_keys q
ui_exited 0
echo "ok: producer edges in the wait-for pane"
