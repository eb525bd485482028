#!/bin/sh
# bench/live-rss.sh: memory of the live view after a long run. Two
# threads run 2 x 5 000 000 `counter += 1` (4 x 10^7 events) in the live
# view (a tmux pane, + to the fastest tempo, Space to run) until FINISHED; then the
# process's VmRSS and VmHWM (peak) are read from /proc; then w saves the
# run, timed until the view says so, and the peak is read again. LOCKSTEP_BASE, if
# set, is an older build measured the same way (the in-run anchor).
# Skipped without tmux. Needs LOCKSTEP and SRCDIR (make bench sets them).
set -u
: "${LOCKSTEP:?}" "${SRCDIR:?}"
if ! command -v tmux >/dev/null 2>&1; then
	echo "live view memory: tmux not found, skipped"
	exit 0
fi
EVENTS=${EVENTS:-5000000}
. "$SRCDIR/tests/ui-lib.sh"

scn="$UI_TMP/long.scn"
printf 'shared int counter = 0\nthread adder x2:\n    repeat %d:\n        counter += 1\n' \
    "$EVENTS" >"$scn"

# One run of binary $1: prints "rss_kb hwm_kb seconds".
measure() {
	LOCKSTEP=$1
	t0=$(date +%s)
	ui_start 120 40 "$scn"
	ui_wait "PAUSED"
	for k in 1 2 3 4 5 6 7 8 9; do ui_keys +; done	# tempo 0: full speed
	ui_keys Space
	ui_wait "FINISHED" 6000
	pid=$(cat "$UI_TMP/pid")
	t1=$(date +%s)
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	# w: save the whole run (into the pane's directory, $UI_TMP).
	s0=$(date +%s.%N)
	ui_keys w
	ui_wait "Saved [0-9]+ events" 6000
	s1=$(date +%s.%N)
	save=$(echo "$s0 $s1" | awk '{ printf "%.1f", $2 - $1 }')
	shwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	rm -f "$UI_TMP"/long-*.lst
	ui_keys q
	n=100
	while [ ! -f "$UI_TMP/status" ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	tm kill-server 2>/dev/null
	echo "$rss $hwm $((t1 - t0)) $save $shwm"
}

echo "live view after $((EVENTS * 8)) events (noisy: shared machine)"
exec </dev/null
set -- $(measure "$LOCKSTEP")
echo "  this build: RSS $(($1 / 1024)) MB, peak $(($2 / 1024)) MB, $3 s (target: <= 64 MB); w: $4 s, peak after $(($5 / 1024)) MB"
if [ -n "${LOCKSTEP_BASE:-}" ]; then
	set -- $(measure "$LOCKSTEP_BASE")
	echo "  base:       RSS $(($1 / 1024)) MB, peak $(($2 / 1024)) MB, $3 s; w: $4 s, peak after $(($5 / 1024)) MB"
fi
