#!/bin/sh
# tests/trace-reader.sh: the trace reader looks at what it is given before
# it reads: a FIFO (no writer) or a device is refused at once (exit 2,
# never a hang: `timeout` only guards the test), /dev/zero as a schedule
# does not spin, an empty schedule is refused with a message, and a trace
# that shrinks while `export` reads it never faults (no SIGBUS: the file
# is read into memory), and an export stopped by any signal leaves
# neither the output nor a temporary file.
: "${LOCKSTEP:=src/lockstep}"
: "${SRCDIR:=.}"
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-trr.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT
scn="$SRCDIR/scenarios/deadlock-two-locks.scn"
T="timeout -s KILL 20"

mkfifo "$dir/fifo"
# expect STATUS MESSAGE COMMAND...: exit status and a line of stderr.
expect() {
	want=$1 msg=$2
	shift 2
	$T "$@" >/dev/null 2>"$dir/err" </dev/null
	st=$?
	[ $st -eq "$want" ] || bad "$*: exit $st, want $want ($(cat "$dir/err"))"
	grep -q -- "$msg" "$dir/err" || bad "$*: no '$msg' in: $(cat "$dir/err")"
}

expect 2 'fifo: is a FIFO' "$LOCKSTEP" export "$dir/fifo" --format jsonl
expect 2 'fifo: is a FIFO' "$LOCKSTEP" replay "$dir/fifo"
expect 2 'fifo: is a FIFO' "$LOCKSTEP" run "$scn" --schedule "$dir/fifo"
expect 2 '/dev/zero: is a device' "$LOCKSTEP" run "$scn" --schedule /dev/zero
expect 2 '/dev/zero: is a device' "$LOCKSTEP" export /dev/zero --format jsonl
expect 2 'is a directory' "$LOCKSTEP" export "$dir" --format jsonl

# Empty schedules: no bytes, only comments, a recording with no choices.
: > "$dir/empty"
expect 2 'empty: an empty schedule' "$LOCKSTEP" run "$scn" --schedule "$dir/empty"
printf '# nothing\n\n   \n' > "$dir/comments"
expect 2 'comments: an empty schedule' "$LOCKSTEP" run "$scn" --schedule "$dir/comments"
"$LOCKSTEP" record "$scn" -o "$dir/free.lst" >/dev/null 2>&1 || bad "record free run"
expect 2 'free.lst: the recording has no step choices' "$LOCKSTEP" run "$scn" --schedule "$dir/free.lst"
# A schedule with entries still works.
printf 't1\nt2\n' > "$dir/order"
$T "$LOCKSTEP" run "$scn" --schedule "$dir/order" >/dev/null 2>&1
[ $? -le 1 ] || bad "a text schedule with entries was refused"

# A trace that shrinks while it is exported: exit 0 (read before the cut)
# or 2 (truncated), never a signal.
cat > "$dir/big.scn" <<'SCN'
mutex A
shared int n = 0
thread t x4:
    repeat 20000:
        with A:
            n += 1
SCN
"$LOCKSTEP" record "$dir/big.scn" -q -o "$dir/big.lst" >/dev/null 2>&1 || bad "record big"
i=0
while [ $i -lt 6 ]; do
	cp "$dir/big.lst" "$dir/cut.lst"
	"$LOCKSTEP" export "$dir/cut.lst" --format chrome -o "$dir/cut.json" 2>/dev/null &
	pid=$!
	sleep 0.0$i
	truncate -s 4096 "$dir/cut.lst"
	wait $pid
	st=$?
	[ $st -eq 0 ] || [ $st -eq 2 ] || bad "export of a shrinking trace: exit $st"
	i=$((i + 1))
done
# An export stopped by a signal leaves no output and no temporary file.
dflt=
env --default-signal true 2>/dev/null && dflt="env --default-signal"
"$LOCKSTEP" export "$dir/big.lst" --format chrome -o "$dir/whole.json" || bad "export big"
for sig in INT TERM HUP QUIT USR1 ALRM KILL; do
	$dflt "$LOCKSTEP" export "$dir/big.lst" --format chrome -o "$dir/sig.json" 2>/dev/null &
	pid=$!
	sleep 0.05
	kill -$sig $pid 2>/dev/null
	wait $pid
	st=$?
	# Either nothing, or the whole export (the signal came after it
	# was put in place): never a part of it.
	if [ -e "$dir/sig.json" ]; then
		cmp -s "$dir/sig.json" "$dir/whole.json" ||
		    bad "$sig (exit $st): a partial export was left"
	fi
	rm -f "$dir/sig.json"
done
ls "$dir" | grep -q tmp && bad "temporary files left: $(ls "$dir")"
exit $fail
