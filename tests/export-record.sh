#!/bin/sh
# tests/export-record.sh: `lockstep record` as a user runs it: the trace is
# written under its final name only when complete, the summary and exit
# status are those of `lockstep run`, bad arguments exit 2, an unwritable
# output exits 3, and a recording stopped by SIGINT leaves nothing behind.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
scn="$SRCDIR/scenarios"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-rec.XXXXXX")
trap 'rm -rf "$dir"' EXIT

"$LOCKSTEP" record "$scn/deadlock-two-locks.scn" -o "$dir/d.lst" > "$dir/out" 2> "$dir/err"
st=$?
cat "$dir/out" "$dir/err"
[ $st -eq 0 ] || bad "record deadlock: exit $st (expect deadlock holds)"
grep -q 'verdict: PASS' "$dir/out" || bad "summary printed"
grep -q "recorded [0-9]* events to $dir/d.lst" "$dir/err" || bad "recorded line"
[ -s "$dir/d.lst" ] || bad "no trace file"
[ "$(ls "$dir" | grep -c tmp)" -eq 0 ] || bad "temporary file left"
head -c 14 "$dir/d.lst" | grep -q 'LOCKSTEP-TRACE' || bad "magic"
"$LOCKSTEP" export "$dir/d.lst" --format dot | grep -q 'DEADLOCK' || bad "export of the recording shows the deadlock"

# --json keeps stdout one JSON object.
"$LOCKSTEP" record "$scn/lost-wakeup.scn" -o "$dir/l.lst" --json > "$dir/out" 2>/dev/null
if command -v jq >/dev/null 2>&1; then
	jq -e . "$dir/out" >/dev/null || bad "--json output is not JSON"
fi

# Step mode: the choices are saved; a schedule from another scenario is refused.
"$LOCKSTEP" record "$scn/dining-philosophers.scn" --seed 3 -q -o "$dir/s.lst" > /dev/null 2> "$dir/err" ||
	bad "record --seed: exit $?"
grep -q 'and the step choices' "$dir/err" || bad "choices saved"
"$LOCKSTEP" record "$scn/dining-philosophers.scn" --schedule "$dir/s.lst" -q -o "$dir/s2.lst" > /dev/null 2>&1 ||
	bad "record --schedule TRACE: exit $?"
"$LOCKSTEP" record "$scn/deadlock-two-locks.scn" --schedule "$dir/s.lst" -o "$dir/x.lst" > /dev/null 2> "$dir/err"
[ $? -eq 2 ] || bad "mismatched schedule: exit 2"
grep -q 's.lst: recorded with 5 workers, this scenario has 2' "$dir/err" || { bad "mismatch message"; cat "$dir/err"; }
[ -e "$dir/x.lst" ] && bad "file written despite the error"

# Usage errors and an unwritable output.
"$LOCKSTEP" record "$scn/deadlock-two-locks.scn" > /dev/null 2> "$dir/err"
[ $? -eq 2 ] && grep -q -- '-o TRACE is needed' "$dir/err" || bad "missing -o"
printf 'title "broken"\nthread t:\n    lock Nope\n' > "$dir/broken.scn"
"$LOCKSTEP" record "$dir/broken.scn" -o "$dir/b.lst" > /dev/null 2> "$dir/err"
[ $? -eq 2 ] && grep -q 'broken.scn:3:' "$dir/err" || { bad "invalid scenario"; cat "$dir/err"; }
[ -e "$dir/b.lst" ] && bad "trace written for an invalid scenario"
"$LOCKSTEP" record "$scn/deadlock-two-locks.scn" -o "$dir/no/such/dir.lst" > /dev/null 2> "$dir/err"
[ $? -eq 3 ] && grep -q 'dir.lst: No such file or directory' "$dir/err" || bad "unwritable output: exit 3"

# A signal in the middle: no trace, no temporary file, for every
# catchable fatal signal and for SIGKILL (the file has no name until it
# is complete). (Not QUIT: a background job of a non-interactive shell
# starts with SIGQUIT ignored.)
for sig in INT TERM HUP USR1 USR2 ALRM KILL; do
	"$LOCKSTEP" record "$scn/bounded-buffer.scn" --tempo 300 -q -o "$dir/i.lst" > /dev/null 2>&1 &
	pid=$!
	n=0
	# Recording: the runner (a child of the recorder) is up.
	while [ $n -lt 50 ] && [ -z "$(pgrep -P $pid)" ]; do sleep 0.1; n=$((n + 1)); done
	[ -n "$(pgrep -P $pid)" ] || bad "$sig: never started recording"
	sleep 0.3
	kill -$sig $pid
	wait $pid
	st=$?
	[ $st -ne 0 ] || bad "$sig: interrupted record exited 0"
	ls "$dir" | grep -q 'i.lst' && { bad "$sig: interrupted record left:"; ls "$dir"; }
	# SIGKILL: the runner notices and cleans up by itself.
	n=0
	while [ $n -lt 50 ] && pgrep -f "record $scn/bounded-buffer.scn" >/dev/null; do sleep 0.1; n=$((n + 1)); done
	rm -f "$dir"/i.lst*
done
exit $fail
