#!/bin/sh
# tests/ipc-scenarios.sh: the OS IPC kinds end to end, through the real
# program: the catalog's IPC scenarios pass headless; the same objects
# work between threads of one process; an OS error reaches the user with
# its scenario line; and nothing is left behind -- no file in the run's
# temp dir, no /lockstep-<pid>-* entry in /dev/shm or /dev/mqueue, no
# process of the run -- after a normal end, a stall, and a SIGTERM while
# workers sit in blocking opens, accepts and receives.
#
# Each run gets a private TMPDIR, so "the temp dir is empty afterwards"
# is exact even while other tests run. /dev/mqueue is checked only when
# it is mounted (mount -t mqueue none /dev/mqueue).

: "${LOCKSTEP:=src/lockstep}"
: "${SRCDIR:=.}"

fail=0
work=$(mktemp -d "${TMPDIR:-/tmp}/ipc-test-XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM

bad() {
	echo "FAIL: $*"
	fail=1
}

# No named object of the front end with pid $1 is left.
check_names() {
	for d in /dev/shm /dev/mqueue; do
		[ -d "$d" ] || continue
		left=$(ls "$d" 2>/dev/null | grep "^lockstep-$1-")
		[ -z "$left" ] || bad "$2: left in $d: $left"
	done
}

# The run's private temp dir holds nothing any more.
check_tmp() {
	left=$(ls -A "$1")
	[ -z "$left" ] || bad "$2: left in the temp dir: $left"
}

# Run scenario $1 headless in the background; sets $pid and $tmp.
start_run() {
	tmp="$work/tmp.$2"
	mkdir -p "$tmp"
	TMPDIR="$tmp" "$LOCKSTEP" run "$1" --headless --timeout 20 \
	    >"$work/out.$2" 2>&1 &
	pid=$!
}

# Expect scenario $1 to pass headless and clean up after itself.
expect_pass() {
	name=$(basename "$1" .scn)
	start_run "$1" "$name"
	wait "$pid"
	status=$?
	if [ "$status" -ne 0 ] || ! grep -q '^verdict: PASS' "$work/out.$name"
	then
		bad "$name: exit $status"
		cat "$work/out.$name"
	fi
	check_tmp "$tmp" "$name"
	check_names "$pid" "$name"
}

for s in named-pipe message-queue socket-echo mmap-file shared-memory-sum
do
	expect_pass "$SRCDIR/scenarios/$s.scn"
done

# The same kinds between threads of one process (they share descriptors).
cat >"$work/threads.scn" <<'EOF'
title "IPC between threads"
fifo F
mqueue M(4)
socket U unix
socket T tcp
shm A(4)
shared int sum = 0, echo = 0, order = 0
thread reader:
    open F read
    x = recv F
    while x != -1:
        atomic A[0] += x
        x = recv F
    sum = A[0]
thread writer:
    open F write
    repeat 5 as i:
        send F i + 1
    close F
thread server:
    listen U
    accept U
    listen T
    accept T
    v = recv U
    send T v * 2
    close U
    close T
thread client:
    connect U
    connect T
    send U 21
    y = recv T
    A[1] = y
    echo = A[1]
thread mq:
    repeat 4 as i:
        send M i priority i
    o = 0
    repeat 4:
        m = recv M
        o = o * 10 + m
    order = o
expect sum == 15
expect echo == 42
expect order == 3210      # highest priority first
expect completes
EOF
expect_pass "$work/threads.scn"

# An error from the OS names the scenario line, and the run still ends
# cleanly.
cat >"$work/error.scn" <<'EOF'
title "priority out of range"
mqueue M(4)
process p:
    send M 1 priority 99999
expect completes
EOF
start_run "$work/error.scn" error
wait "$pid"
status=$?
[ "$status" -eq 1 ] || bad "error: exit $status, want 1"
grep -q 'line 4: M: priority 99999 out of range' "$work/out.error" ||
    { bad "error: no line-4 message"; cat "$work/out.error"; }
check_tmp "$tmp" error
check_names "$pid" error

# A stall inside blocking IPC calls: detected, stopped, cleaned up.
cat >"$work/stall.scn" <<'EOF'
title "everyone waits on IPC"
fifo F
mqueue M(2)
socket S unix
process reader:
    open F read
process receiver:
    x = recv M
process server:
    listen S
    accept S
expect stall
EOF
expect_pass "$work/stall.scn"

# SIGTERM while workers sit in blocking IPC calls and a mapping is live.
cat >"$work/term.scn" <<'EOF'
title "killed while waiting"
fifo F
mqueue M(2)
socket S tcp
mmap A(8)
shm B(8)
process reader:
    open F read
process receiver:
    x = recv M
process server:
    listen S
    accept S
process sleeper:
    A[0] = 1
    B[0] = 1
    sleep 60s
EOF
start_run "$work/term.scn" term
# Wait for the runner and its four workers (the run's whole tree).
i=0
while [ $i -lt 200 ]; do
	kids=$(ps -eo pid=,ppid= | awk -v p="$pid" '
		{ parent[$1] = $2 }
		END {
			n = 1; want[p] = 1
			while (n > 0) {
				n = 0
				for (c in parent)
					if (want[parent[c]] == 1 && want[c] != 1) {
						want[c] = 1; n++
					}
			}
			for (c in want) if (want[c] == 1 && c != p) print c
		}')
	[ "$(echo "$kids" | grep -c .)" -ge 5 ] && break
	sleep 0.05
	i=$((i + 1))
done
[ "$(echo "$kids" | grep -c .)" -ge 5 ] ||
    bad "term: the run's processes not found: $kids"
ls -A "$tmp"/lockstep-* >/dev/null 2>&1 || bad "term: no temp dir seen"
kill -TERM "$pid"
wait "$pid"
for k in $kids; do
	if kill -0 "$k" 2>/dev/null; then
		bad "term: process $k of the run still alive"
	fi
done
check_tmp "$tmp" term
check_names "$pid" term

exit $fail
