#!/bin/sh
# tests/export-dot.sh: `lockstep export --format dot` gives a wait-for
# graph that Graphviz's dot renders, with the deadlock cycle in red and
# --at N showing the graph after N events. Skips (77) without dot.
set -u
command -v dot >/dev/null 2>&1 || { echo "graphviz not installed: skip"; exit 77; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
corpus="$SRCDIR/tests/fuzz/trace-corpus"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-dot.XXXXXX")
trap 'rm -rf "$dir"' EXIT

"$LOCKSTEP" export "$corpus/ok-deadlock.lst" --format dot -o "$dir/d.dot" ||
	bad "export: exit $?"
cat "$dir/d.dot"
dot -Tsvg "$dir/d.dot" -o "$dir/d.svg" || bad "dot could not render it"
grep -q '<svg' "$dir/d.svg" || bad "no svg"
grep -q 'Deadlock: two locks in opposite order' "$dir/d.svg" || bad "title label"
grep -q 'events: DEADLOCK: ' "$dir/d.svg" || bad "verdict in the rendered label"
grep 'graph \[label=' "$dir/d.dot" | grep -q 't1 -> B -> t2\|t2 -> A -> t1' ||
	bad "cycle in the label"
# The four cycle edges are red, the other worker's node is not.
for e in 'w0 -> o1' 'o1 -> w1' 'w1 -> o0' 'o0 -> w0'; do
	grep -F "$e [" "$dir/d.dot" | grep -q 'd01c1c' || bad "edge $e not red"
done
[ "$(grep -c 'd01c1c' "$dir/d.dot")" -eq 8 ] || bad "exactly 4 red nodes and 4 red edges"
grep 'w2 \[' "$dir/d.dot" | grep -q 'dashed' || bad "finished t3 is dashed"
grep -F 'w0 [' "$dir/d.dot" | grep -q 'shape=ellipse' || bad "workers are ellipses"
grep -F 'o0 [' "$dir/d.dot" | grep -q 'shape=box' || bad "objects are boxes"

# After 6 events t1 holds A and nothing waits: no red, no wait edge.
"$LOCKSTEP" export "$corpus/ok-deadlock.lst" --format dot --at 6 > "$dir/a.dot" ||
	bad "--at 6: exit $?"
dot -Tsvg "$dir/a.dot" > /dev/null || bad "dot could not render --at 6"
grep -q d01c1c "$dir/a.dot" && bad "--at 6 has red"
grep -q 'o0 -> w0 \[label="held by"' "$dir/a.dot" || bad "--at 6: A held by t1"
grep -q 'waits for' "$dir/a.dot" && bad "--at 6: nobody waits yet"
grep -q 'after 6 of 17 events' "$dir/a.dot" || bad "--at 6 label"

"$LOCKSTEP" export "$corpus/ok-deadlock.lst" --format dot --at 18 > "$dir/x" 2> "$dir/err"
[ $? -eq 2 ] || bad "--at past the end: exit 2"
grep -q 'ok-deadlock.lst: --at 18: the trace has 17 events' "$dir/err" || bad "--at message"

# Semaphore holders: after the hand-off the consumer holds S's slot.
"$LOCKSTEP" export "$corpus/ok-handoff.lst" --format dot --at 22 > "$dir/h.dot" || bad "handoff"
dot -Tsvg "$dir/h.dot" > /dev/null || bad "dot could not render handoff"
grep -q 'o1 -> w1 \[label="holds a slot"' "$dir/h.dot" || bad "S slot held by consumer"

# A channel deadlock: the "can write" edge is dashed and red, with one
# style attribute (Graphviz keeps only the last of two).
"$LOCKSTEP" record "$SRCDIR/tests/data/pipe-lock-deadlock.scn" -q \
	-o "$dir/p.lst" >/dev/null || bad "record pipe-lock-deadlock"
"$LOCKSTEP" export "$dir/p.lst" --format dot > "$dir/p.dot" || bad "export p"
dot -Tsvg "$dir/p.dot" > /dev/null || bad "dot could not render p"
grep -F 'label="can write"' "$dir/p.dot" | grep -q 'style="dashed,bold"' ||
	bad "red can-write edge is not dashed and bold"
for f in "$dir"/*.dot; do
	if grep -E 'style=.*style=' "$f"; then bad "two styles on one element in $f"; fi
done
exit $fail
