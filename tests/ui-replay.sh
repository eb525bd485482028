#!/bin/sh
# tests/ui-replay.sh: `lockstep replay` moves through a recording: it
# opens at the start, G jumps to the end (the deadlock), b steps back one
# step, g goes back to the start, d and D jump to the next and previous
# detection, Space plays at the tempo, w writes the recording again; the
# header counts the position. A damaged trace file is refused with a
# message and status 2 before the terminal is touched.
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario deadlock-two-locks)
trace="$UI_TMP/two.lst"

# A recording with a forced interleaving (t1 A, t2 B, sleeps, t1 waits
# for B, t2 for A), so every position below is known.
printf 't1\nt2\nt1\nt2\nt1\nt2\n' > "$UI_TMP/order" || exit 99
"$LOCKSTEP" record --schedule "$UI_TMP/order" "$scn" -o "$trace" \
    > "$UI_TMP/record.out" 2>&1 || ui_fail "record: $(cat "$UI_TMP/record.out")"
"$LOCKSTEP" export "$trace" --format jsonl > "$UI_TMP/events.jsonl" ||
    ui_fail "export of the recording"
total=$(wc -l < "$UI_TMP/events.jsonl")
# Positions count released events: the event at index i is on screen at
# position i + 1.
first=$(jq -r 'select(.type == "lock-wait") | .i + 1' "$UI_TMP/events.jsonl" | sed -n 1p)
cycle=$(jq -r 'select(.type == "lock-wait") | .i + 1' "$UI_TMP/events.jsonl" | sed -n 2p)
[ "$first" -ge 1 ] && [ "$cycle" = "$total" ] ||
    ui_fail "unexpected recording: waits at $first and $cycle of $total"

ui_start 100 30 replay "$trace"

# At the start: both workers at their first statement, no banner.
ui_wait "PAUSED +replay [0-9]+/$total "
start=$(ui_screen | sed -n "s|.*replay \([0-9]*\)/$total .*|\1|p")
ui_wait "t1 +ready .*lock A"
ui_wait_not "DEADLOCK  t1"
ui_wait "g Start"

# G: the end, where the cycle has closed.
ui_keys G
ui_wait "DEADLOCK +replay $total/$total "
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
ui_wait "t2 +blocked .*holds B +wants A"
# n at the end says so.
ui_keys n
ui_wait "End of the recording"

# Left (or PgUp): one step back, t2 has not asked for A yet: no cycle, no banner.
ui_keys Left
ui_wait "PAUSED +replay $first/$total "
ui_wait_not "DEADLOCK  t1"
ui_wait "t1 +blocked .*holds A +wants B"
ui_wait "t2 +ready .*holds B .*lock A"

# g: the start again.
ui_keys g
ui_wait "PAUSED +replay $start/$total "
ui_wait "t1 +ready .*lock A"

# d: the first detection is t1 having to wait for B (contention), the
# next the deadlock; D goes back to the first; past the last, d says so.
ui_keys d
ui_wait "replay $first/$total "
ui_wait "Event $first of $total: contention, t1 has to wait for B"
ui_wait_not "DEADLOCK  t1"
ui_keys d
ui_wait "DEADLOCK +replay $cycle/$total "
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
ui_wait "Event $cycle of $total: deadlock"
ui_keys d
ui_wait "No further detection"
ui_keys D
ui_wait "PAUSED +replay $first/$total "
ui_wait_not "DEADLOCK  t1"
ui_keys D
ui_wait "No earlier detection"

# n steps on from a detection: the next step closes the cycle.
ui_keys n
ui_wait "DEADLOCK +replay $total/$total "

# Space plays from the start at the fastest tempo; the deadlock
# breakpoint stops it at the cycle.
ui_keys g
ui_wait "PAUSED +replay $start/$total "
ui_keys + + + + + + + + +
ui_wait "tempo max"
ui_keys Space
ui_wait "DEADLOCK +replay $total/$total "
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"

# w writes the recording again, whole, into the current directory.
ui_keys w
ui_wait "Saved $total events to"
ui_keys q
ui_exited 0
set -- "$UI_TMP"/deadlock-two-locks-*.lst
[ $# -eq 1 ] && [ -f "$1" ] || ui_fail "expected one saved file, got: $*"
"$LOCKSTEP" export "$1" --format jsonl > "$UI_TMP/again.jsonl" ||
    ui_fail "export of the file saved from the replay"
cmp -s "$UI_TMP/events.jsonl" "$UI_TMP/again.jsonl" ||
    ui_fail "the saved replay differs from the recording"

# A damaged trace: a message naming the file, status 2, nothing on
# stdout, the terminal never taken.
cp "$trace" "$UI_TMP/bad.lst" || exit 99
size=$(wc -c < "$UI_TMP/bad.lst")
printf '\377\377\377\377' | dd of="$UI_TMP/bad.lst" bs=1 seek=$((size / 2)) \
    conv=notrunc 2>/dev/null || exit 99
"$LOCKSTEP" replay "$UI_TMP/bad.lst" > "$UI_TMP/out" 2> "$UI_TMP/err" < /dev/null
status=$?
[ "$status" -eq 2 ] || ui_fail "damaged trace: exit status $status, expected 2"
[ ! -s "$UI_TMP/out" ] || ui_fail "damaged trace: wrote to stdout: $(cat "$UI_TMP/out")"
grep -q "^lockstep: $UI_TMP/bad.lst: .*corrupted" "$UI_TMP/err" ||
    ui_fail "damaged trace: message: $(cat "$UI_TMP/err")"
head -c 100 "$trace" > "$UI_TMP/short.lst"
"$LOCKSTEP" replay "$UI_TMP/short.lst" 2> "$UI_TMP/err" < /dev/null
status=$?
[ "$status" -eq 2 ] && grep -q "short.lst: truncated" "$UI_TMP/err" ||
    ui_fail "truncated trace: status $status: $(cat "$UI_TMP/err")"
# In a terminal: the same message, the modes untouched, no screen.
tm kill-session -t ui
ui_start 80 24 replay "$UI_TMP/bad.lst"
ui_exited 2
ui_wait "bad.lst: corrupted trace file"

# A recording cut while it is shown (replay maps the file): what was cut
# reads as nothing, never a crash; on quitting, a message and status 2.
cat > "$UI_TMP/big.scn" <<'SCN'
mutex A
shared int n = 0
thread t x2:
    repeat 5000:
        with A:
            n += 1
SCN
"$LOCKSTEP" record "$UI_TMP/big.scn" -q -o "$UI_TMP/big.lst" >/dev/null 2>&1 ||
    ui_fail "record big"
ui_start 100 30 replay "$UI_TMP/big.lst"
ui_wait "PAUSED +replay [0-9]+/[0-9]+ "
ui_keys G
ui_wait "replay ([0-9]+)/\\1 "
truncate -s 4096 "$UI_TMP/big.lst" || exit 99
ui_keys g
ui_wait "PAUSED +replay [0-9]+/[0-9]+ "
ui_keys G
ui_wait "replay ([0-9]+)/\\1 "
ui_keys Left Left g
ui_wait "PAUSED +replay [0-9]+/[0-9]+ "
ui_keys q
ui_exited 2
ui_wait "big.lst: the file shrank while it was replayed"
echo "ok: replay G, b, g, d, D, Space, w; damaged traces refused; a cut file"
