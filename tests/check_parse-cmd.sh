#!/bin/sh
# tests/check_parse-cmd.sh: `lockstep check` as a user runs it.
#
# Exit statuses, the FILE:LINE:COL: error: format with the source line
# and caret, -v, --help, usage errors, unreadable input; and, when
# valgrind is here and the binary is not built with ASan, no leak or
# memory error on a valid and an invalid file.
set -u
: "${LOCKSTEP:?}" "${SRCDIR:?}"
corpus="$SRCDIR/tests/fuzz/corpus"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_parse-cmd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect STATUS CMD...: run CMD, keep stdout/stderr in $tmp/out, $tmp/err.
expect() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $* exited $got, expected $want"
		cat "$tmp/err"
		fail=1
	fi
}

# has FILE TEXT: FILE contains the fixed line TEXT.
has() {
	if ! grep -qxF -- "$2" "$1"; then
		echo "FAIL: expected line in $1: $2"
		echo "--- got:"
		cat "$1"
		fail=1
	fi
}

expect 0 "$LOCKSTEP" check "$corpus/valid-locks.scn" "$corpus/valid-pool.scn"
[ -s "$tmp/out" ] || [ -s "$tmp/err" ] && { echo "FAIL: output on success"; fail=1; }

expect 0 "$LOCKSTEP" check -v "$corpus/valid-queue.scn"
has "$tmp/out" "$corpus/valid-queue.scn: ok"

cat >"$tmp/bad.scn" <<'EOF'
mutex A
queue Q(2)
thread t:
    lock Q
    unlock A
    sleep 5
EOF
expect 2 "$LOCKSTEP" check "$tmp/bad.scn" "$corpus/valid-locks.scn"
has "$tmp/err" "$tmp/bad.scn:4:10: error: \`lock\` needs a mutex or rlock, but Q is a queue"
has "$tmp/err" "    4 |     lock Q"
has "$tmp/err" "      |          ^"
has "$tmp/err" "$tmp/bad.scn:5:5: error: \`unlock A\`: A is not held here (this worker has not locked it before this line)"
has "$tmp/err" "$tmp/bad.scn:6:11: error: the duration 5 needs a unit: write 5ms, for example (units: ns, us, ms, s)"
[ "$(grep -c ': error: ' "$tmp/err")" = 3 ] || { echo "FAIL: expected 3 errors"; fail=1; }

expect 2 "$LOCKSTEP" check "$tmp/missing.scn"
has "$tmp/err" "$tmp/missing.scn: error: cannot open: No such file or directory"
expect 2 "$LOCKSTEP" check "$tmp"
has "$tmp/err" "$tmp: error: cannot read: Is a directory"
: >"$tmp/empty.scn"
expect 2 "$LOCKSTEP" check "$tmp/empty.scn"
has "$tmp/err" "$tmp/empty.scn:1:1: error: empty file: a scenario needs at least one worker (a thread, process, main: or pool block)"

expect 2 "$LOCKSTEP" check
has "$tmp/err" "lockstep check: no file given"
expect 2 "$LOCKSTEP" check --bogus "$corpus/valid-locks.scn"
expect 0 "$LOCKSTEP" check --help
grep -q "Usage: lockstep check" "$tmp/out" || { echo "FAIL: --help"; fail=1; }

# Every invalid seed fails with status 2 and never crashes.
for f in "$corpus"/invalid-*.scn; do
	expect 2 "$LOCKSTEP" check "$f"
done

if command -v valgrind >/dev/null 2>&1 &&
    ! ldd "$LOCKSTEP" 2>/dev/null | grep -q asan; then
	for args in "$corpus/valid-queue.scn" "$tmp/bad.scn" \
	    "$corpus/invalid-string.scn $corpus/invalid-utf8.scn"; do
		# shellcheck disable=SC2086
		valgrind -q --leak-check=full --error-exitcode=9 \
		    "$LOCKSTEP" check $args >/dev/null 2>"$tmp/vg"
		st=$?
		if [ $st = 9 ]; then
			echo "FAIL: valgrind on $args"
			cat "$tmp/vg"
			fail=1
		fi
	done
fi

exit $fail
