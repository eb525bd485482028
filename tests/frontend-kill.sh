#!/bin/sh
# tests/frontend-kill.sh: a front end killed with SIGKILL can clean up
# nothing itself, yet nothing of its run may remain: the runner notices its
# parent died and kills the workers, removes every named object (fifo and
# unix socket in the temp dir, message queue, shm block) and the temp dir.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-fk.XXXXXX")
mkdir "$dir/tmp"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
cleanup() {
	pkill -9 -f "$dir/" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

cat > "$dir/forever.scn" <<'SCN'
title "Holds OS objects and never ends"
fifo F
mqueue M(4)
shm S(4)
socket K unix
thread server:
    listen K
    accept K
process ticker x2:
    forever:
        atomic S[0] += 1
        sleep 5ms
thread opener:
    open F read
SCN

TMPDIR="$dir/tmp" "$LOCKSTEP" run --headless --timeout 60 "$dir/forever.scn" \
	>/dev/null 2>&1 &
fe=$!
# Wait until the run exists: its temp dir holds the fifo and the socket.
i=0
while [ $i -lt 100 ] && [ "$(find "$dir/tmp" -mindepth 2 2>/dev/null | wc -l)" -lt 2 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ "$(find "$dir/tmp" -mindepth 2 | wc -l)" -ge 2 ] || bad "run never set up: $(find "$dir/tmp")"
ls /dev/shm | grep -q "^lockstep-$fe-" || bad "no shm object while running"

kill -9 $fe
wait $fe 2>/dev/null

# Everything must go, promptly (bounded wait, no timing assertion).
i=0
while [ $i -lt 100 ]; do
	left=$(find "$dir/tmp" -mindepth 1 | wc -l)
	procs=$(pgrep -f "$dir/" | wc -l)
	names=$(ls /dev/shm /dev/mqueue 2>/dev/null | grep -c "^lockstep-$fe-")
	[ "$left" -eq 0 ] && [ "$procs" -eq 0 ] && [ "$names" -eq 0 ] && break
	sleep 0.05
	i=$((i + 1))
done
[ "$left" -eq 0 ] || bad "temp dir not removed: $(find "$dir/tmp" -mindepth 1)"
[ "$procs" -eq 0 ] || bad "processes left: $(pgrep -af "$dir/")"
[ "$names" -eq 0 ] || bad "names left: $(ls /dev/shm /dev/mqueue 2>/dev/null | grep "^lockstep-$fe-")"
exit $fail
