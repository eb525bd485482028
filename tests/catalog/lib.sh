# tests/catalog/lib.sh: helpers sourced by every catalog test.
#
# A catalog test copies its scenario(s) into a private temp dir $T (so that
# `pgrep -f $T/` finds exactly this test's processes), runs them with
# `lockstep run --headless --json` and asserts on the parsed JSON with jq.
# Where the lesson is an order of events (who started when, who woke after
# which notify), it also runs `lockstep record --json` and reads the events
# back with `lockstep export --format jsonl`.
#
# After every run, cat_after_run checks what any run must satisfy: stdout is
# one JSON object whose verdict matches the exit status (pass 0, fail 1),
# dropped == 0, no time-out, no process of the run left, the run's temp dir
# (under TMPDIR=$T/tmp) removed, and no /dev/shm or /dev/mqueue entry of
# the run left (they are named /lockstep-<front end pid>-...).
#
# Assertions print "ok - ..." or "FAIL - ..." so the .log says what held.
# They are queued and judged by one jq process per batch (jq takes tens of
# milliseconds to start on a busy machine): the queue is flushed before
# each run and at the end, never inside $(...) (its state is in shell
# variables), so jv/evv, which read the last output, do not flush.
#
#   cat_init NAME...             copies scenarios/NAME.scn to $T/NAME.scn
#   cat_run LABEL FILE [OPT]     run --headless --json: sets J, RC
#   cat_record LABEL FILE [OPT]  record --json + export jsonl: sets J, E, RC
#   want DESC FILTER             jq FILTER on $J must be true
#   ev_want DESC FILTER          jq -s FILTER on $E (array of events) too
#   held TEXT                    the expectation "expect TEXT" held
#   all_held                     verdict pass, every expectation held
#   jv FILTER / evv FILTER       jq -r on $J / jq -r -s on $E (to print)
#   cat_finish                   exit 0 (every assertion held) or 1
#
# Names starting with cat_ or _ belong to this file; tests use others.

set -u

cat_fail=0
cat_nok=0
cat_q=		# "json" or "events": what the queued filters read
cat_qn=0
T=
J=
E=
RC=0

if [ -z "${LOCKSTEP:-}" ] || [ -z "${SRCDIR:-}" ]; then
	echo "FAIL - LOCKSTEP and SRCDIR must be set (make check sets them)"
	exit 1
fi
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq is not installed"; exit 77; }
command -v pgrep >/dev/null 2>&1 || { echo "SKIP: pgrep is not installed"; exit 77; }
if [ ! -x "$LOCKSTEP" ]; then
	echo "FAIL - $LOCKSTEP is not an executable"
	exit 1
fi

# Messages go to fd 3, the test's stdout, so that they reach the log even
# from inside $(...).
exec 3>&1

ok() {
	cat_nok=$((cat_nok + 1))
	echo "ok - $*" >&3
}

bad() {
	cat_fail=1
	[ -n "$T" ] && : >"$T/failed"	# also when called in a subshell
	echo "FAIL - $*" >&3
}

note() {
	echo "# $*" >&3
}

cat_cleanup() {
	if [ -n "$T" ]; then
		cat_kill_left
		rm -rf "$T"
	fi
}

# Kill (by pid) any process whose command line names our temp dir: only
# processes of our own runs can, since the dir name is unique. Returns 0
# if there was one.
cat_kill_left() {
	_left=$(pgrep -f "$T/" 2>/dev/null)
	[ -z "$_left" ] && return 1
	for _p in $_left; do
		kill -KILL "$_p" 2>/dev/null
	done
	return 0
}

cat_init() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-cat.XXXXXX") || {
		echo "FAIL - mktemp"; exit 1; }
	trap 'cat_cleanup' EXIT
	trap 'exit 1' HUP INT TERM
	mkdir "$T/tmp"
	for _n in "$@"; do
		if [ ! -f "$SRCDIR/scenarios/$_n.scn" ]; then
			bad "scenarios/$_n.scn does not exist"
			continue
		fi
		cp "$SRCDIR/scenarios/$_n.scn" "$T/$_n.scn"
	done
}

# Checks every run must pass: $1 label, $2 "run" or "record", $3 the front
# end's pid.
cat_after_run() {
	case $RC in
	0|1)	;;
	*)	bad "$1: exit status $RC (not 0 or 1):"
		head -c 2000 "$T/$1.err" >&3 ;;
	esac
	want "$1: one JSON object; exit status $RC matches the verdict" \
	    "type == \"object\" and
	    ((.verdict == \"pass\" and $RC == 0) or
	    (.verdict == \"fail\" and $RC == 1))"
	want "$1: dropped == 0" '.dropped == 0'
	want "$1: did not time out" '.timed_out == false'
	# Nothing on stderr (sanitizer reports land there), except record's
	# own last line.
	if [ "$2" = record ]; then
		grep -v '^lockstep: recorded [0-9]* events\( and the step choices\)\{0,1\} to ' "$T/$1.err" \
		    >"$T/$1.err2"
		mv "$T/$1.err2" "$T/$1.err"
	fi
	if [ -s "$T/$1.err" ]; then
		bad "$1: $2 --json wrote to stderr:"
		head -c 2000 "$T/$1.err" >&3
	fi
	if cat_kill_left; then
		bad "$1: processes of the run were left behind (killed)"
	else
		ok "$1: no process of the run left"
	fi
	for _x in "$T"/tmp/* "$T"/tmp/.[!.]* /dev/shm/lockstep-"$3"-* \
	    /dev/mqueue/lockstep-"$3"-*; do
		if [ -e "$_x" ]; then
			bad "$1: the run left $_x behind"
			rm -rf "$_x"
		fi
	done
}

# cat_run LABEL FILE [OPTIONS...]: lockstep run --headless --json.
cat_run() {
	cat_flush
	_l=$1
	_f=$2
	shift 2
	J=$T/$_l.json
	note "lockstep run --headless --json $* ${_f##*/}"
	TMPDIR=$T/tmp "$LOCKSTEP" run --headless --json --timeout 20 "$@" \
	    "$_f" >"$J" 2>"$T/$_l.err" &
	_pid=$!
	wait $_pid
	RC=$?
	cat_after_run "$_l" run $_pid
}

# cat_record LABEL FILE [OPTIONS...]: the same run, recorded; the JSON
# summary in $J and the events, one JSON object a line, in $E.
cat_record() {
	cat_flush
	_l=$1
	_f=$2
	shift 2
	J=$T/$_l.json
	E=$T/$_l.jsonl
	note "lockstep record --json $* ${_f##*/} (+ export --format jsonl)"
	TMPDIR=$T/tmp "$LOCKSTEP" record "$_f" -o "$T/$_l.trace" --json \
	    --timeout 20 "$@" >"$J" 2>"$T/$_l.err" &
	_pid=$!
	wait $_pid
	RC=$?
	cat_after_run "$_l" record $_pid
	if ! "$LOCKSTEP" export "$T/$_l.trace" --format jsonl >"$E" \
	    2>"$T/$_l.export.err"; then
		bad "$_l: export --format jsonl failed:"
		head -c 500 "$T/$_l.export.err" >&3
		: >"$E"
	fi
}

# Print the last run's JSON, without the long parts, after a failure.
cat_show() {
	{
		jq -c 'del(.workers) | del(.expectations)' "$J" |
		    head -c 3000
		echo
		jq -c '[.workers[]? | [.name, .state, .waiting_on, .steps]]' \
		    "$J" | head -c 1500
		echo
		jq -c '[.expectations[]? | [.text, .held]]' "$J" |
		    head -c 1500
		echo
	} >&3 2>/dev/null
}

# cat_queue TARGET DESC FILTER
cat_queue() {
	if [ -n "$cat_q" ] && [ "$cat_q" != "$1" ]; then
		cat_flush
	fi
	cat_q=$1
	cat_qn=$((cat_qn + 1))
	printf '%s\n' "$2" >"$T/q.desc.$cat_qn"
	printf '%s\n' "$3" >"$T/q.one.$cat_qn"
	[ $cat_qn -gt 1 ] && printf ',\n' >>"$T/q.jq"
	# One output line per filter: "1" if its last output is true-ish
	# (what jq -e would say), "0" otherwise or on a run-time error.
	printf '(try ([(\n%s\n)] | length > 0 and (last | . != false and
	    . != null)) catch false | if . then "1" else "0" end)\n' "$3" \
	    >>"$T/q.jq"
}

cat_flush() {
	[ $cat_qn -eq 0 ] && return 0
	if [ "$cat_q" = events ]; then
		set -- -s "$E"
	else
		set -- "$J"
	fi
	# One line per filter, or (a filter does not compile, the input is
	# not one JSON value) judge them one by one: the message then names
	# the broken one, and an empty input fails every filter.
	_k=0
	if jq -r -f "$T/q.jq" "$@" >"$T/q.out" 2>"$T/q.err"; then
		while read -r _res; do
			_k=$((_k + 1))
		done <"$T/q.out"
	fi
	if [ $_k -ne $cat_qn ]; then
		: >"$T/q.out"
		_k=0
		while [ $_k -lt $cat_qn ]; do
			_k=$((_k + 1))
			if jq -e -f "$T/q.one.$_k" "$@" >/dev/null 2>&1; then
				echo 1 >>"$T/q.out"
			else
				echo 0 >>"$T/q.out"
			fi
		done
	fi
	_k=0
	_shown=0
	while read -r _res; do
		_k=$((_k + 1))
		read -r _desc <"$T/q.desc.$_k"
		if [ "$_res" = 1 ]; then
			ok "$_desc"
			continue
		fi
		bad "$_desc"
		printf '    jq%s: ' "$([ "$cat_q" = events ] && echo ' -s')" >&3
		tr -s '\n\t ' '   ' <"$T/q.one.$_k" >&3
		echo >&3
		if [ "$cat_q" = json ] && [ $_shown -eq 0 ]; then
			cat_show
			_shown=1
		fi
	done <"$T/q.out"
	rm -f "$T"/q.*
	cat_q=
	cat_qn=0
}

want() {
	cat_queue json "$1" "$2"
}

ev_want() {
	cat_queue events "$1" "$2"
}

jv() {
	jq -r "$1" "$J" 2>/dev/null
}

evv() {
	jq -r -s "$1" "$E" 2>/dev/null
}

# held TEXT: the scenario's "expect TEXT" was judged and held.
held() {
	want "expect $1: held" "[.expectations[] | select(.text == \"expect $1\")
	    | .held] == [true]"
}

all_held() {
	want "verdict pass, every expectation held" '.verdict == "pass" and
	    (.expectations | length > 0 and all(.held))'
}

# The value of a shared int in the last run's JSON.
shared_value() {
	jv ".shared[] | select(.name == \"$1\") | .value"
}

# cat_schedule FILE WORKER...: a --schedule file, one worker a line.
cat_schedule() {
	_sf=$1
	shift
	: >"$_sf"
	for _w in "$@"; do
		echo "$_w" >>"$_sf"
	done
}

# cat_variant SRC DST SED-EXPR: DST is SRC edited by SED-EXPR, which must
# change something (so that a change to the scenario cannot silently make
# the variant the same as the original).
cat_variant() {
	sed "$3" "$1" >"$2"
	if cmp -s "$1" "$2"; then
		bad "variant of ${1##*/}: '$3' changed nothing"
		return 1
	fi
	return 0
}

cat_finish() {
	cat_flush
	[ -f "$T/failed" ] && cat_fail=1
	if [ $cat_fail -eq 0 ]; then
		echo "PASS: $cat_nok assertions held"
		exit 0
	fi
	echo "FAIL: at least one assertion failed ($cat_nok held)"
	exit 1
}

# A jq filter: the deadlock's text is a closed walk that agrees with its
# cycle list, and is a rotation of CANON ("w1 -> o1 -> w2 -> ... -> w1";
# the model starts it at whichever worker closed the cycle).
cat_cycle_filter() {
	printf '%s' '(.deadlock.text | split(" -> ")) as $t |
	    ("'"$1"'" | split(" -> ")) as $c |
	    ($t | length) == ($c | length) and $t[0] == $t[-1] and
	    ([.deadlock.cycle[] | .worker, .waits_for] + [$t[0]] == $t) and
	    ($c[:-1] as $r | [range(0; $r | length)] |
	    any(. as $k | ($r[$k:] + $r[:$k]) == $t[:-1]))'
}

# The number of the first line of FILE that contains TEXT.
cat_line_of() {
	grep -nF "$2" "$1" | head -1 | cut -d: -f1
}

# cat_race NAME: the race lesson of race-processes / race-threads, shown
# both ways the catalog asks for.
#  1. Statistical: NAME.scn at full speed, CAT_RACE_RUNS times (5): every
#     run finishes both adders' 100000 adds, and updates are lost
#     (counter < 200000) in at least 3 of 5 runs.
#  2. Forced: the same file with 2 adds per adder, run in step mode with a
#     schedule: adder.1 load, adder.2 load, adder.1 store, adder.2 store
#     loses one add (counter 3 of 4), every time; the serial schedule is
#     the control (4 of 4, no loss).
cat_race() {
	_name=$1
	_runs=${CAT_RACE_RUNS:-5}
	_lost=0
	_values=
	_i=0
	while [ $_i -lt "$_runs" ]; do
		_i=$((_i + 1))
		cat_run "full$_i" "$T/$_name.scn"
		want "full$_i: both adders did all 100000 adds" \
		    '[.workers[] | select(.name | startswith("adder.")) |
		    [.state, .steps]] == [["done", 100001], ["done", 100001]]'
		_v=$(shared_value counter)
		_values="$_values $_v"
		note "full$_i: counter = $_v (lost $((200000 - _v)));" \
		    "model lost_updates = $(jv '.shared[] |
		    select(.name == "counter") | .lost_updates')"
		want "full$_i: counter <= 200000" \
		    '.shared[] | select(.name == "counter") | .value <= 200000'
		[ "$_v" -lt 200000 ] 2>/dev/null && _lost=$((_lost + 1))
	done
	note "counter over $_runs full-speed runs:$_values"
	if [ $_lost -ge 3 ]; then
		ok "lost updates in $_lost of $_runs full-speed runs (>= 3)"
	else
		bad "lost updates in only $_lost of $_runs full-speed runs" \
		    "(counter:$_values)"
	fi

	_small=$T/$_name-forced.scn
	cat_variant "$T/$_name.scn" "$_small" 's/repeat 100000:/repeat 2:/'
	# Each adder: the repeat (1 step), then per add a load and a store.
	cat_schedule "$T/lossy.sched" \
	    adder.1 adder.2 \
	    adder.1 adder.2 adder.1 adder.2 \
	    adder.1 adder.1 adder.2 adder.2
	cat_schedule "$T/serial.sched" \
	    adder.1 adder.1 adder.1 adder.1 adder.1 \
	    adder.2 adder.2 adder.2 adder.2 adder.2
	for _k in 1 2; do
		cat_run "forced$_k" "$_small" --schedule "$T/lossy.sched"
		want "forced$_k: load, load, store, store loses one add (counter == 3 of 4)" \
		    '.shared[] | select(.name == "counter") | .value == 3'
		want "forced$_k: the model counts exactly one lost update" \
		    '.shared[] | select(.name == "counter") |
		    .lost_updates == 1'
		want "forced$_k: both adders ran to the end" \
		    '[.workers[] | .state] == ["done", "done"]'
	done
	cat_run serial "$_small" --schedule "$T/serial.sched"
	want "serial schedule (control): counter == 4, nothing lost" \
	    '.shared[] | select(.name == "counter") |
	    .value == 4 and .lost_updates == 0'
}
