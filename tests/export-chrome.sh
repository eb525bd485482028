#!/bin/sh
# tests/export-chrome.sh: `lockstep export --format chrome` gives Chrome
# Trace Event JSON that real JSON parsers (jq, and Python's json when
# present) read, with the fields Perfetto and chrome://tracing need: a
# thread track per worker, blocked intervals named by the object waited on,
# flow arrows from a release to the acquire it allowed, and the deadlock as
# a global instant event. Skips (77) without jq.
set -u
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skip"; exit 77; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
corpus="$SRCDIR/tests/fuzz/trace-corpus"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-chrome.XXXXXX")
trap 'rm -rf "$dir"' EXIT

check_common() {	# FILE: fields every Chrome trace event must have
	jq -e '.traceEvents | type == "array" and length > 0' "$1" >/dev/null ||
		bad "$1: no traceEvents array"
	jq -e '[.traceEvents[] | select((has("name") and has("ph") and
		has("pid") and has("tid")) | not)] | length == 0' "$1" >/dev/null ||
		bad "$1: an event lacks name/ph/pid/tid"
	jq -e '[.traceEvents[] | select(.ph != "M") |
		select((.ts | type) != "number" or .ts < 0)] | length == 0' \
		"$1" >/dev/null || bad "$1: an event lacks a numeric ts >= 0"
	jq -e '[.traceEvents[] | select(.ph == "X") |
		select((.dur | type) != "number" or .dur < 0)] | length == 0' \
		"$1" >/dev/null || bad "$1: an X slice lacks dur"
	jq -e '[.traceEvents[] | select(.ph == "s" or .ph == "f") | .id] |
		group_by(.) | all(length == 2)' "$1" >/dev/null ||
		bad "$1: flow ids do not pair s with f"
	if command -v python3 >/dev/null 2>&1; then
		python3 "$SRCDIR/tests/trace-event-check.py" "$1" ||
			bad "$1: not valid Trace Event JSON"
	fi
}

# Hand-off: consumer (tid 2) waits on M, then on S; producer releases both.
"$LOCKSTEP" export "$corpus/ok-handoff.lst" --format chrome -o "$dir/h.json" ||
	bad "export handoff: exit $?"
check_common "$dir/h.json"
jq -e '[.traceEvents[] | select(.ph == "M" and .name == "thread_name") |
	.args.name] == ["producer", "consumer"]' "$dir/h.json" >/dev/null ||
	bad "thread names"
jq -e '.traceEvents[] | select(.ph == "M" and .name == "process_name") |
	.args.name | startswith("lockstep: Hand-off \"with\" a lock\tand")' \
	"$dir/h.json" >/dev/null || bad "process name with escaped title"
jq -e '[.traceEvents[] | select(.ph == "X" and .cat == "blocked" and
	.tid == 2) | .name] == ["M", "S"]' "$dir/h.json" >/dev/null ||
	bad "consumer's blocked slices are M then S"
# M: wait at 9.000 us (event 6), acquired at 16.500 us (event 11).
jq -e '.traceEvents[] | select(.ph == "X" and .name == "M") |
	.ts == 9 and .dur == 7.5 and .args.op == "lock-wait" and
	.args.outcome == "lock-acquired" and .args.line == 11' \
	"$dir/h.json" >/dev/null || bad "M slice times and args"
# Flow arrows: producer's release of M -> consumer's acquire; post -> take.
jq -e '[.traceEvents[] | select(.ph == "s")] | length == 2 and
	all(.tid == 1)' "$dir/h.json" >/dev/null || bad "two flows from producer"
jq -e '[.traceEvents[] | select(.ph == "f")] | length == 2 and
	all(.tid == 2 and .bp == "e")' "$dir/h.json" >/dev/null ||
	bad "two flows into consumer"
jq -e '[.traceEvents[] | select(.ph == "s")][0].ts == 15' "$dir/h.json" \
	>/dev/null || bad "first flow starts at the release (15 us)"
jq -e '[.traceEvents[] | select(.ph == "i" and .cat == "print")][0].args.text ==
	"hello \"world\"\n"' "$dir/h.json" >/dev/null || bad "print instant"
jq -e '[.traceEvents[] | select(.ph == "X" and .cat == "worker")] | length == 2' \
	"$dir/h.json" >/dev/null || bad "one life slice per worker"

# Deadlock: a global DEADLOCK instant; t1 and t2 stay blocked to the end.
"$LOCKSTEP" export "$corpus/ok-deadlock.lst" --format chrome > "$dir/d.json" ||
	bad "export deadlock to stdout: exit $?"
check_common "$dir/d.json"
jq -e '[.traceEvents[] | select(.ph == "i" and .s == "g" and
	(.name | startswith("DEADLOCK")))] | length == 1' "$dir/d.json" \
	>/dev/null || bad "one global DEADLOCK instant"
jq -e '[.traceEvents[] | select(.ph == "X" and .cat == "blocked" and
	.args.unfinished == true) | .name] | sort == ["A", "B"]' \
	"$dir/d.json" >/dev/null || bad "unfinished waits on A and B"
jq -e '.otherData.events == 17 and .otherData.format_version == 2' \
	"$dir/d.json" >/dev/null || bad "otherData"

# Perfetto tracks: a process per process worker, the threads in the
# runner's pid 1, counters for shared values, semaphores and channel
# lengths, and an async "held" span per lock holding.
"$LOCKSTEP" record "$SRCDIR/tests/data/perfetto-tracks.scn" -q \
	-o "$dir/p.lst" >/dev/null || bad "record perfetto-tracks"
"$LOCKSTEP" export "$dir/p.lst" --format chrome -o "$dir/p.json" ||
	bad "export perfetto-tracks"
check_common "$dir/p.json"
jq -e '[.traceEvents[] | select(.ph == "M" and .name == "process_name") |
	[.pid, .args.name]] | .[1:] == [[2, "p.1"], [3, "p.2"]]' "$dir/p.json" \
	>/dev/null || bad "process workers have their own pids"
jq -e '[.traceEvents[] | select(.ph == "M" and .name == "thread_name") |
	[.pid, .tid, .args.name]] == [[2, 1, "p.1"], [3, 2, "p.2"], [1, 3, "t"]]' \
	"$dir/p.json" >/dev/null || bad "thread t in the runner, p.k in its own"
jq -e '[.traceEvents[] | select(.ph == "X" and .cat == "worker") | [.pid, .tid]]
	| sort == [[1, 3], [2, 1], [3, 2]]' "$dir/p.json" >/dev/null ||
	bad "each worker's slices on its own process and thread"
jq -e '[.traceEvents[] | select(.ph == "C" and .name == "n value") |
	.args.value] | .[0] == 0 and .[-1] == 12' "$dir/p.json" >/dev/null ||
	bad "counter n goes from 0 to 12"
jq -e '[.traceEvents[] | select(.ph == "C" and .name == "S semaphore value") |
	.args.value] | .[0] == 2 and .[-1] == 2 and min < 2' \
	"$dir/p.json" >/dev/null || bad "semaphore counter starts and ends at 2"
jq -e '[.traceEvents[] | select(.ph == "C" and .name == "Q length") |
	.args.value] | max >= 1 and .[-1] == 0' "$dir/p.json" >/dev/null ||
	bad "queue length counter"
jq -e '[.traceEvents[] | select(.cat == "held" and .ph == "b") | .args.holder]
	| sort == ["p.1", "p.2", "t"]' "$dir/p.json" >/dev/null ||
	bad "one held span per holding of L"
jq -e '[.traceEvents[] | select(.cat == "held")] | length == 6' \
	"$dir/p.json" >/dev/null || bad "held spans are b/e pairs"

# Format from the extension.
"$LOCKSTEP" export "$corpus/ok-deadlock.lst" -o "$dir/e.json" &&
	jq -e '.traceEvents' "$dir/e.json" >/dev/null || bad ".json means chrome"
ls "$dir" | grep -q tmp && bad "temporary file left behind"
exit $fail
