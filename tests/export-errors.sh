#!/bin/sh
# tests/export-errors.sh: bad trace files and bad arguments give a clear
# message and exit status 2, never a crash, and leave no output file.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
corpus="$SRCDIR/tests/fuzz/trace-corpus"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-experr.XXXXXX")
trap 'rm -rf "$dir"' EXIT

expect2() {	# MESSAGE-PATTERN ARGS...: exit 2, message on stderr, no out
	pat=$1; shift
	"$LOCKSTEP" "$@" > "$dir/stdout" 2> "$dir/stderr"
	st=$?
	[ $st -eq 2 ] || bad "$*: exit $st, not 2"
	grep -q -- "$pat" "$dir/stderr" || { bad "$*: no '$pat' in:"; cat "$dir/stderr"; }
	[ -e "$dir/out" ] && { bad "$*: output file written"; rm -f "$dir/out"; }
}

expect2 'bad-truncated.lst: truncated trace file' export "$corpus/bad-truncated.lst" --format jsonl -o "$dir/out"
expect2 'bad-flipped.lst: corrupted trace file' export "$corpus/bad-flipped.lst" --format chrome -o "$dir/out"
expect2 'bad-version.lst: trace file version 3 is newer than this lockstep (2)' export "$corpus/bad-version.lst" --format dot -o "$dir/out"
printf 'title "x"\nmutex A\n' > "$dir/x.scn"
expect2 'x.scn: not a lockstep trace file' export "$dir/x.scn" --format jsonl -o "$dir/out"
: > "$dir/empty.lst"
expect2 'empty.lst: empty file, not a lockstep trace file' export "$dir/empty.lst" --format jsonl -o "$dir/out"
expect2 'nope.lst: No such file or directory' export "$dir/nope.lst" --format jsonl -o "$dir/out"
expect2 'unknown format' export "$corpus/ok-deadlock.lst" --format svg -o "$dir/out"
expect2 'format chrome, dot or jsonl is needed' export "$corpus/ok-deadlock.lst"
expect2 'which trace file' export --format dot
expect2 '--at applies to --format dot only' export "$corpus/ok-deadlock.lst" --format chrome --at 3
expect2 'not an event count' export "$corpus/ok-deadlock.lst" --format dot --at x3

# jsonl: one line per event, each a JSON object.
"$LOCKSTEP" export "$corpus/ok-deadlock.lst" --format jsonl -o "$dir/d.jsonl" || bad "jsonl exit $?"
[ "$(wc -l < "$dir/d.jsonl")" -eq 17 ] || bad "jsonl: 17 lines"
if command -v jq >/dev/null 2>&1; then
	jq -e -s 'length == 17 and .[16].type == "lock-wait" and
		.[16].worker == "t2" and .[16].object == "A" and
		.[11].text == "t1 now waits for B, which t2 holds"' \
		"$dir/d.jsonl" >/dev/null || bad "jsonl content"
fi
"$LOCKSTEP" export --help | grep -q 'chrome' || bad "export --help"
ls "$dir" | grep -q tmp && bad "temporary file left behind"
exit $fail
