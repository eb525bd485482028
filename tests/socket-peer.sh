#!/bin/sh
# tests/socket-peer.sh: a stranger cannot take a run's TCP connection.
# The server listens; before the real client connects (it first waits on
# a FIFO that this test opens only afterwards; a ticker keeps the run from
# being a stall meanwhile), a process outside the run
# connects to the listening port and sends 8 bytes. The server must drop
# it (no run token) and accept the real client, which sends 42: the run
# passes and prints "got 42". A stranger that connects and sends nothing
# is dropped too. Without the check the server took the stranger's bytes
# as the message. (bash's /dev/tcp plays the stranger.) The same on a
# unix socket, where the check is the peer's process group (SO_PEERCRED).
: "${LOCKSTEP:=src/lockstep}"
set -u
command -v bash >/dev/null || { echo "no bash: skipped"; exit 77; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-peer.XXXXXX") || exit 99
mkdir "$dir/tmp"
trap 'exec 3>&- 4>&- 5>&-; rm -rf "$dir"' EXIT

cat > "$dir/tcp.scn" <<'SCN'
title "A TCP server and its one client"
fifo F
socket K tcp
thread server:
    listen K
    accept K
    v = recv K
    print "got {v}"
    close K
thread client:
    open F read
    connect K
    send K 42
    close K
thread ticker:
    repeat 300:
        sleep 10ms
SCN

TMPDIR="$dir/tmp" "$LOCKSTEP" run --headless --timeout 30 "$dir/tcp.scn" >"$dir/out" 2>&1 &
fe=$!

# The run's listening port: a LISTEN socket on 127.0.0.1 whose inode one
# of the run's processes holds.
port=
i=0
while [ $i -lt 200 ] && [ -z "$port" ]; do
	# The runner leads its own process group; the workers are in it.
	runner=$(ps -o pid=,pgid= --ppid $fe 2>/dev/null | awk '$1 == $2 { print $1; exit }')
	inodes=$([ -n "$runner" ] && for p in $(pgrep -g "$runner"); do
		ls -l /proc/$p/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p'
	done | sort -u)
	for ino in $inodes; do
		hex=$(awk -v ino="$ino" '$4 == "0A" && $10 == ino { split($2, a, ":"); print a[2] }' /proc/net/tcp)
		[ -n "$hex" ] && port=$((0x$hex))
	done
	[ -n "$port" ] || sleep 0.05
	i=$((i + 1))
done
[ -n "$port" ] || { bad "no listening port found"; kill $fe; wait $fe; exit 1; }

# Two strangers: one sends 8 bytes, one sends nothing. Both hold their
# connection open until the end.
# Each stranger leaves a mark once connected (and its bytes sent).
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'STRANGER' >&3; : > '$dir/s1'; sleep 4" &
s1=$!
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; : > '$dir/s2'; sleep 4" &
s2=$!
i=0
while [ $i -lt 200 ] && ! { [ -e "$dir/s1" ] && [ -e "$dir/s2" ]; }; do sleep 0.05; i=$((i + 1)); done
[ -e "$dir/s1" ] && [ -e "$dir/s2" ] || bad "the strangers could not connect"
# Now the real client may go: open the FIFO for writing.
fifo=$(find "$dir/tmp" -name 'fifo-*' | head -1)
[ -n "$fifo" ] || bad "no fifo in the run's temp dir"
exec 5>"$fifo"
wait $fe
st=$?
exec 5>&-
kill $s1 $s2 2>/dev/null
wait $s1 $s2 2>/dev/null
[ $st -eq 0 ] || bad "run: exit $st: $(cat "$dir/out")"
grep -q '^\[server\] got 42$' "$dir/out" || bad "the server did not get the real client's 42: $(cat "$dir/out")"
[ -z "$(find "$dir/tmp" -mindepth 1)" ] || bad "temp dir not emptied"

# The same on a unix socket: a process outside the run (not in its
# process group: SO_PEERCRED) is dropped. python3 plays the stranger.
if command -v python3 >/dev/null; then
	sed 's/socket K tcp/socket K unix/' "$dir/tcp.scn" > "$dir/unix.scn"
	TMPDIR="$dir/tmp" "$LOCKSTEP" run --headless --timeout 30 "$dir/unix.scn" >"$dir/out" 2>&1 &
	fe=$!
	i=0; sock=
	while [ $i -lt 200 ] && [ -z "$sock" ]; do
		sock=$(find "$dir/tmp" -type s -name 'socket-*' | head -1)
		[ -n "$sock" ] || sleep 0.05
		i=$((i + 1))
	done
	[ -n "$sock" ] || bad "unix: no socket"
	python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
try:
    s.sendall(b"STRANGER")
except OSError:
    pass
open(sys.argv[2], "w").close(); time.sleep(4)' "$sock" "$dir/u1" &
	s1=$!
	i=0
	while [ $i -lt 200 ] && ! [ -e "$dir/u1" ]; do sleep 0.05; i=$((i + 1)); done
	[ -e "$dir/u1" ] || bad "unix: the stranger could not connect"
	fifo=$(find "$dir/tmp" -name 'fifo-*' | head -1)
	exec 5>"$fifo"
	wait $fe
	st=$?
	exec 5>&-
	kill $s1 2>/dev/null
	wait $s1 2>/dev/null
	[ $st -eq 0 ] || bad "unix run: exit $st: $(cat "$dir/out")"
	grep -q '^\[server\] got 42$' "$dir/out" || bad "unix: the server did not get the real client's 42: $(cat "$dir/out")"
fi
exit $fail
