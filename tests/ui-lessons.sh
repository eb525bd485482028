#!/bin/sh
# tests/ui-lessons.sh: tempo only paces the screen. Four catalog lessons
# whose outcome used to depend on how fast the screen was driven (sleeps
# and timeouts ran on the wall clock while the workers waited for it) are
# played in the live view two ways, and each must show its lesson:
#   step    `n` only, one step per key (the policy's next worker);
#   tempo   Space at the default tempo, the front end stepping by itself.
# Usage: ui-lessons.sh [step|tempo] (default: both). ui-lessons-step.sh
# and ui-lessons-tempo.sh run one way each, so make check runs them in
# parallel.
. "${SRCDIR:-.}/tests/ui-lib.sh"

modes=${1:-step tempo}

# lesson NAME MODE PATTERN...: play NAME one way to the end; every
# PATTERN must then be on the screen (each is an extended regex).
lesson() {
	name=$1
	mode=$2
	shift 2
	scn=$(ui_scenario "$name")
	ui_start 150 60 "$scn"
	ui_wait "PAUSED"
	if [ "$mode" = step ]; then
		k=0
		while ! ui_screen | grep -q "FINISHED"; do
			k=$((k + 1))
			[ $k -le 150 ] || ui_fail "$name: n never finished"
			ui_keys n n n n n
			sleep 0.1
		done
	else
		ui_wait "tempo 250ms"
		ui_keys Space
		ui_wait "RUNNING"
		ui_wait "FINISHED" 1500
	fi
	for p in "$@"; do
		ui_wait "$p" 30
	done
	ui_keys q
	ui_exited 0
	tm kill-session -t ui
	echo "ok: $name ($mode)"
}

for mode in $modes; do
	# The join times out after 300 ms of scenario time, whatever the
	# screen did: the clock has ticked by then, and the printer starts
	# only after it (its first line shows a time of 10 or more).
	lesson join-pitfall "$mode" "FINISHED  every expectation holds" \
	    "✓ expect completes" "Time: [1-9][0-9]"
	# 100 ms of join timeout at 20 ms per tick: five ticks, as headless;
	# the header shows the scenario time at the end (100 + 50 ms).
	lesson daemon-and-timeout "$mode" "main reads ticks = 5" "time 0\.15[0-9]s" \
	    "✓ expect ticks >= 1"
	lesson bounded-buffer "$mode" "FINISHED  every expectation holds" \
	    "✓ expect max_len buf == 4" "✓ expect max_waiters buf >= 2"
	# t2 starts late (it sleeps 100 ms first): no deadlock, but the
	# reversed order is reported.
	lesson lock-order-inversion "$mode" "✓ expect completes" \
	    "✓ expect potential_deadlock"
done
