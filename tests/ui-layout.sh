#!/bin/sh
# tests/ui-layout.sh: nothing that matters is cut, at 80x24, 120x40 and
# 200x60, for a scenario of each kind (locks, semaphore, channel, socket,
# pool, mmap, and twelve workers with long names that begin alike). Each
# runs to its verdict at full speed; then every worker name, every value
# the lesson is about and the verdict line must be on the screen whole.
# Where the view has no room for all of them (twelve workers in a pane of
# seven rows), the pane says how many more there are, and `z` zooms it to
# the whole screen, where they must all be.
. "${SRCDIR:-.}/tests/ui-lib.sh"

# has TEXT: the screen holds TEXT (fixed string) with no letter, digit,
# '_' or '.' right before or after it: whole, not a piece of a longer word
# nor a cut one.
has() {
	ui_screen > "$UI_TMP/screen"
	awk -v t="$1" '
	BEGIN { found = 0 }
	{
		s = $0
		while ((i = index(s, t)) > 0) {
			b = i > 1 ? substr(s, i - 1, 1) : " "
			a = substr(s, i + length(t), 1)
			if (b !~ /[A-Za-z0-9_.]/ && a !~ /[A-Za-z0-9_.]/) {
				found = 1
				exit
			}
			s = substr(s, i + 1)
		}
	}
	END { exit !found }' "$UI_TMP/screen"
}

# expect_all WHAT TEXT...: each TEXT whole on the screen.
expect_all() {
	what=$1
	shift
	for t in "$@"; do
		has "$t" || ui_fail "$what: '$t' not on the screen whole"
	done
}

# run_to_verdict SCENARIO COLS ROWS VERDICT: open, run at full speed,
# wait for the verdict line.
run_to_verdict() {
	case $1 in
	*/*)	cp "$SRCDIR/$1.scn" "$UI_TMP/" || exit 99
		scn="$UI_TMP/$(basename "$1").scn" ;;
	*)	scn=$(ui_scenario "$1") ;;
	esac
	ui_start "$2" "$3" "$scn"
	ui_wait "PAUSED"
	ui_keys + + + + + + + + Space
	ui_wait "$4" 300
	has "$(echo "$4" | sed 's/\\//g')" || ui_fail "verdict not whole: $4"
}

# zoom_objects: the focus starts on the workers; Tab Tab moves it to the
# objects, z zooms them to the whole screen.
zoom_objects() {
	ui_keys Tab Tab z
	ui_wait "^─ Objects"
	ui_wait_not "Workers [0-9]"
}

for size in "80 24" "120 40" "200 60"; do
	set -- $size
	c=$1
	r=$2

	# Locks: the deadlock, its cycle, both holders.
	run_to_verdict deadlock-two-locks "$c" "$r" \
	    "DEADLOCK  t1 -> B -> t2 -> A -> t1"
	expect_all "locks $c x $r" t1 t2 "held by t1" "held by t2"
	ui_keys q
	ui_exited 0

	# Semaphore: seven users, the count and the value.
	run_to_verdict semaphore-pool "$c" "$r" \
	    "FINISHED  every expectation holds"
	expect_all "semaphore $c x $r" user.1 user.2 user.3 user.4 user.5 \
	    user.6 user.7
	zoom_objects
	expect_all "semaphore values $c x $r" "0/5 taken" "value 5" \
	    "inside = 0"
	ui_keys z q
	ui_exited 0

	# Channel: the queue's count at the end.
	run_to_verdict queue-clock "$c" "$r" \
	    "FINISHED  every expectation holds"
	expect_all "queue $c x $r" clock printer "0/10"
	ui_keys q
	ui_exited 0

	# Socket: both directions, the value, the connection state.
	run_to_verdict socket-echo "$c" "$r" \
	    "FINISHED  every expectation holds"
	expect_all "socket $c x $r" server client "mismatches = 0"
	zoom_objects
	expect_all "socket boxes $c x $r" "server → client: 0" \
	    "client → server: 0"
	ui_keys z q
	ui_exited 0

	# Pool: every result, in task order, whole.
	run_to_verdict process-pool "$c" "$r" \
	    "FINISHED  every expectation holds"
	expect_all "pool $c x $r" P.1 P.2 P.3 P.4 P.5 "20/20 done" \
	    "queue (0):"
	ui_screen | grep -q "results: 0 1 4 9 16 25" ||
	    ui_fail "pool results not in order"
	expect_all "pool results $c x $r" 0 1 4 9 16 25 36 49 64 81 100 \
	    121 144 169 196 225 256 289 324 361
	ui_keys q
	ui_exited 0

	# mmap: every cell and the total the reader saw.
	run_to_verdict mmap-file "$c" "$r" \
	    "FINISHED  every expectation holds"
	expect_all "mmap $c x $r" writer reader "seen = 1200" 10 20 30 40 \
	    50 60 70 80 90 100 110 120 130 140 150
	ui_keys q
	ui_exited 0

	# Twelve long names: all twelve whole when the workers pane is
	# zoomed, distinct (elided in the middle) when it is not.
	run_to_verdict tests/data/twelve-long-names "$c" "$r" \
	    "FINISHED  every expectation holds"
	if [ "$c" -lt 200 ]; then
		ui_wait "Workers 0/12 live.*[0-9]+ more"
		ui_keys z
		ui_wait_not "Objects"
	fi
	expect_all "twelve $c x $r" smoker_with_tobacco smoker_with_paper \
	    smoker_with_matches philosopher_aristotle philosopher_confucius \
	    philosopher_descartes printer_spooler_main printer_spooler_backup \
	    network_listener_ipv4 network_listener_ipv6 \
	    checkpoint_writer_nightly checkpoint_writer_hourly
	if [ "$c" -lt 200 ]; then
		ui_keys z
		ui_wait "Objects"
	fi
	zoom_objects
	expect_all "twelve values $c x $r" "total = 78"
	ui_keys q
	ui_exited 0
done
echo "ok: names, values and verdicts whole at 80x24, 120x40, 200x60"
