#!/bin/sh
# tests/setup-signals.sh: set-up is covered by the same cleanup as a run.
# A scenario with 200 shm blocks and 8 message queues takes a while to set
# up; SIGTERM, SIGINT, SIGHUP and SIGKILL of the front end at moments
# spread over set-up and the start of the run must leave nothing: no
# /lockstep-<pid>-* in /dev/shm or /dev/mqueue (when mounted), nothing in
# the (private) temp dir, no process of the run. The set-up guard
# (runtime/arena.c) cleans up after a front end that died during set-up.
: "${LOCKSTEP:=src/lockstep}"
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-sus.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/tmp"

{
	echo 'title "Much to set up"'
	i=0
	while [ $i -lt 200 ]; do echo "shm S$i(32768)"; i=$((i + 1)); done
	i=0
	while [ $i -lt 8 ]; do echo "mqueue Q$i(4)"; i=$((i + 1)); done
	echo 'fifo F'
	echo 'thread t:'
	echo '    atomic S0[0] += 1'
	echo '    send Q0 1'
	echo '    sleep 200ms'
} > "$dir/big.scn"
"$LOCKSTEP" check "$dir/big.scn" || bad "big.scn does not check"

# A background job of a non-interactive shell starts with SIGINT ignored:
# give the front end the default back where env can.
dflt=
env --default-signal true 2>/dev/null && dflt="env --default-signal"

# What is left of the run of front end $1: its temp dir's content and its
# global names (pid, then 8 hex digits: a name of another program's run
# that happens to have had the same pid is not counted).
left_of() {
	n=$(find "$dir/tmp" -mindepth 1 | wc -l)
	for d in /dev/shm /dev/mqueue; do
		[ -d "$d" ] || continue
		n=$((n + $(ls "$d" 2>/dev/null | grep -c "^lockstep-$1-[0-9a-f]\{8\}-")))
	done
	echo $n
}

k=0
for delay in 0.02 0.1 0.2 0.3; do
	for sig in TERM INT HUP KILL; do
		TMPDIR="$dir/tmp" $dflt "$LOCKSTEP" run --headless -q --timeout 20 \
		    "$dir/big.scn" >/dev/null 2>&1 &
		fe=$!
		sleep $delay
		kill -$sig $fe 2>/dev/null
		wait $fe
		i=0
		while [ $i -lt 100 ] && [ "$(left_of $fe)" -ne 0 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		n=$(left_of $fe)
		[ "$n" -eq 0 ] || bad "$sig after ${delay}s: $n names left: $(find "$dir/tmp" -mindepth 1; ls /dev/shm /dev/mqueue 2>/dev/null | grep "^lockstep-$fe-" | head -3)"
		k=$((k + 1))
	done
done
# No process of any of these runs is left (they all used this scenario).
i=0
while [ $i -lt 100 ] && pgrep -f "$dir/big.scn" >/dev/null; do sleep 0.05; i=$((i + 1)); done
pgrep -af "$dir/big.scn" && bad "processes left"
echo "$k kills"
exit $fail
