#!/bin/sh
# tests/ui-save.sh: `w` in the live view saves the run so far as a trace
# file that the other commands take: step two threads into a deadlock,
# press w, and check the file: export reads it and holds both lock waits,
# `run --schedule FILE` replays the saved step choices into the same
# deadlock, and `lockstep replay FILE` at its end draws the panes exactly
# as the live view drew them (same events, same model, same screen).
. "${SRCDIR:-.}/tests/ui-lib.sh"

scn=$(ui_scenario deadlock-two-locks)
# Saved files go to LOCKSTEP_SAVE_DIR, not the current directory (the
# pane's, $UI_TMP); both are private and removed with $UI_TMP.
saves="$UI_TMP/saves"
mkdir "$saves" || exit 99
LOCKSTEP_SAVE_DIR=$saves
export LOCKSTEP_SAVE_DIR

# The panes between the header and the caption's banner (the header
# counts "events N" live and "replay N/T" in a replay; the caption and
# key bar answer the last key).
middle() {
	ui_screen | awk 'NR == 1 { next } /^ DEADLOCK  t1 -> / { exit } { print }'
}

# The screen as one line (a long message wraps over two rows).
joined() {
	ui_screen | tr '\n' ' ' | tr -s ' '
}
wait_joined() {
	n=100
	while ! joined | grep -Eq -- "$1"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || ui_fail "timed out waiting for: $1"
		sleep 0.1
	done
}

ui_start 100 30 "$scn"
ui_wait "PAUSED"
ui_wait "t1 +ready .*lock A"
ui_wait "t2 +ready .*lock B"

# Nothing to save yet but the start: w works anyway.
ui_keys w
wait_joined "Saved [0-9]+ events to $saves/deadlock-two-locks-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.lst \(lockstep replay $saves/deadlock-two-locks-"
rm -f "$saves"/*.lst

# t1 takes A, t2 takes B, both sleep, t1 waits for B, t2 for A.
ui_keys 1
ui_wait "t1 +[a-z]+ .*holds A"
ui_keys 2
ui_wait "t2 +[a-z]+ .*holds B"
# A sleep is two steps in scenario time: one starts it (both sleep, so
# the clock moves on to their wake-up), one ends it.
ui_keys 1
ui_wait "t1 +sleep"
ui_keys 2
ui_wait "t2 +sleep"
ui_keys 1
ui_wait "t1 +ready .* 19 holds A"
ui_keys 2
ui_wait "t2 +ready .* 27 holds B"
ui_keys 1
ui_wait "t1 +blocked .*holds A +wants B"
ui_keys 2
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
ui_wait "back to t1"
ui_wait "t2 +blocked .*holds B +wants A"
live=$(middle)
nlive=$(ui_screen | sed -n 's/.*DEADLOCK  events \([0-9]*\) .*/\1/p')
[ -n "$nlive" ] || ui_fail "no event count in the header"

ui_keys w
wait_joined "Saved $nlive events to $saves/deadlock-two-locks-[-0-9]+\.lst \(lockstep replay $saves/"
ui_keys q
ui_exited 0

set -- "$saves"/deadlock-two-locks-*.lst
[ $# -eq 1 ] && [ -f "$1" ] || ui_fail "expected one saved file, got: $*"
file=$1
[ -z "$(ls "$saves" | grep -v '\.lst$')" ] || ui_fail "temporary files left: $(ls "$saves")"
[ -z "$(ls "$UI_TMP" | grep '\.lst')" ] || ui_fail "saved in the current directory"

# export reads it: every event, both lock waits.
"$LOCKSTEP" export "$file" --format jsonl > "$UI_TMP/events.jsonl" ||
    ui_fail "export cannot read the saved file"
[ "$(wc -l < "$UI_TMP/events.jsonl")" -eq "$nlive" ] ||
    ui_fail "export has $(wc -l < "$UI_TMP/events.jsonl") events, the view read $nlive"
waits=$(jq -r 'select(.type == "lock-wait") | "\(.worker) \(.object)"' \
    "$UI_TMP/events.jsonl" | tr '\n' ',')
[ "$waits" = "t1 B,t2 A," ] || ui_fail "lock waits in the file: $waits"

# The saved step choices force the same interleaving on real threads.
for i in 1 2; do
	"$LOCKSTEP" run "$scn" --headless --json --schedule "$file" \
	    > "$UI_TMP/run.json" 2> "$UI_TMP/run.err"
	jq -e '.deadlock != null' "$UI_TMP/run.json" >/dev/null ||
	    ui_fail "run --schedule FILE did not deadlock (run $i): $(cat "$UI_TMP/run.err")"
done

# The replay at its end shows what the live view showed.
tm kill-session -t ui
ui_start 100 30 replay "$file"
ui_wait "PAUSED +replay [0-9]+/$nlive "
ui_wait_not "DEADLOCK  t1"
ui_keys G
ui_wait "DEADLOCK +replay $nlive/$nlive "
ui_wait "DEADLOCK  t1 -> B -> t2 -> A -> t1"
ui_wait "back to t1"
replay=$(middle)
if [ "$live" != "$replay" ]; then
	printf '%s\n' "$live" > "$UI_TMP/live.txt"
	printf '%s\n' "$replay" > "$UI_TMP/replay.txt"
	diff "$UI_TMP/live.txt" "$UI_TMP/replay.txt"
	ui_fail "the replay at event $nlive differs from the live view"
fi
ui_keys q
ui_exited 0
echo "ok: w saved $nlive events; export, run --schedule and replay take the file"
