# tests/ui-lib.sh: helpers for the end-to-end tests of the terminal UI.
#
# Sourced by tests/ui-*.sh. Each test drives the real program in a tmux
# pane on its own tmux server (-L lockstep-test-PID), reads the screen with
# capture-pane, and waits for what it expects with a bounded retry loop,
# never a fixed sleep. The program runs inside a small shell script that
# records its pid, its exit status and the terminal modes before and after,
# so a test can check that quitting restored the terminal exactly and left
# no process and no named OS object behind.

if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux not found: skipped"
	exit 77
fi
: "${LOCKSTEP:?LOCKSTEP must name the built program}"
: "${SRCDIR:?SRCDIR must name the source tree}"

UI_SOCK="lockstep-test-$$"
UI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-ui.XXXXXX")
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR LOCKSTEP_THEME

tm() {
	tmux -L "$UI_SOCK" -f /dev/null "$@"
}

ui_cleanup() {
	if [ -f "$UI_TMP/pid" ]; then
		kill -9 "$(cat "$UI_TMP/pid")" 2>/dev/null
	fi
	tm kill-server 2>/dev/null
	rm -rf "$UI_TMP"
}
trap ui_cleanup EXIT
trap 'exit 1' INT TERM HUP

ui_fail() {
	echo "FAIL: $*"
	echo "---- screen ----"
	tm capture-pane -p -t ui 2>/dev/null
	echo "----------------"
	exit 1
}

# ui_scenario NAME: a private copy of scenarios/NAME.scn (so that any
# process left behind can be found by its path); prints the copy's path.
ui_scenario() {
	cp "$SRCDIR/scenarios/$1.scn" "$UI_TMP/$1.scn" || exit 99
	echo "$UI_TMP/$1.scn"
}

# ui_start COLS ROWS ARG...: run lockstep ARG... in a fresh pane.
ui_start() {
	cols=$1
	rows=$2
	shift 2
	rm -f "$UI_TMP/status" "$UI_TMP/status.tmp" "$UI_TMP/pid" \
	    "$UI_TMP/stty.before" "$UI_TMP/stty.after"
	cat > "$UI_TMP/run.sh" <<EOF
trap ':' INT TERM HUP
stty -g > "$UI_TMP/stty.before"
sh -c 'echo \$\$ > "\$0"; exec "\$@"' "$UI_TMP/pid" "$LOCKSTEP" "\$@"
echo "\$?" > "$UI_TMP/status.tmp"
stty -g > "$UI_TMP/stty.after"
mv "$UI_TMP/status.tmp" "$UI_TMP/status"
echo "lockstep has exited"
exec sleep 600
EOF
	# A second pane in one test: a new tmux server on a socket of its
	# own (a new session right after kill-server can meet the old
	# server still exiting: "server exited unexpectedly").
	if tm has-session -t ui 2>/dev/null; then
		tm kill-server
		UI_N=$((${UI_N:-0} + 1))
		UI_SOCK="lockstep-test-$$-$UI_N"
	fi
	tm new-session -d -s ui -x "$cols" -y "$rows" -c "$UI_TMP" \
	    "sh $UI_TMP/run.sh $*" || exit 99
	tm set-option -t ui -g window-size manual >/dev/null 2>&1
}

# ui_wait PATTERN [TENTHS]: until the screen matches the extended regex
# (default: 10 s).
ui_wait() {
	n=${2:-100}
	while [ "$n" -gt 0 ]; do
		if tm capture-pane -p -t ui 2>/dev/null | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	ui_fail "timed out waiting for: $1"
}

# ui_wait_not PATTERN: until the screen no longer matches.
ui_wait_not() {
	n=${2:-100}
	while [ "$n" -gt 0 ]; do
		if ! tm capture-pane -p -t ui 2>/dev/null | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	ui_fail "still on screen: $1"
}

# ui_step_until KEY PATTERN [MAX]: press KEY (a step key), wait for the
# event count to move, until the screen matches PATTERN.
ui_step_until() {
	n=0
	while ! ui_screen | grep -Eq -- "$2"; do
		n=$((n + 1))
		[ "$n" -le "${3:-40}" ] || ui_fail "stepping $1 never showed: $2"
		before=$(ui_screen | grep -Eo "events [0-9]+")
		ui_keys "$1"
		m=0
		while [ "$(ui_screen | grep -Eo "events [0-9]+")" = "$before" ] &&
		    [ "$m" -lt 30 ]; do
			sleep 0.1
			m=$((m + 1))
		done
	done
}

ui_screen() {
	tm capture-pane -p -t ui
}

ui_keys() {
	tm send-keys -t ui "$@"
}

ui_resize() {
	tm resize-window -t ui -x "$1" -y "$2" || ui_fail "resize-window"
}

# ui_exited STATUS: the program ended with STATUS, the terminal modes are
# what they were, and nothing of the run is left: no process started from
# the private scenario copy, no /dev/shm or /dev/mqueue name of its pid.
ui_exited() {
	n=100
	while [ ! -f "$UI_TMP/status" ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	[ -f "$UI_TMP/status" ] || ui_fail "lockstep did not exit"
	status=$(cat "$UI_TMP/status")
	[ "$status" = "$1" ] || ui_fail "exit status $status, expected $1"
	cmp -s "$UI_TMP/stty.before" "$UI_TMP/stty.after" ||
	    ui_fail "terminal modes not restored"
	pid=$(cat "$UI_TMP/pid")
	rm -f "$UI_TMP/pid"
	n=50
	while pgrep -f "^$LOCKSTEP .*$UI_TMP" >/dev/null 2>&1 &&
	    [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	if pgrep -f "^$LOCKSTEP .*$UI_TMP" >/dev/null 2>&1; then
		pgrep -af "^$LOCKSTEP .*$UI_TMP"
		ui_fail "processes left behind"
	fi
	for d in /dev/shm /dev/mqueue; do
		if ls "$d" 2>/dev/null | grep -q "^lockstep-$pid-"; then
			ui_fail "left in $d: $(ls "$d" | grep "^lockstep-$pid-")"
		fi
	done
	# The alternate screen is gone: the pane shows the shell's text.
	ui_wait "lockstep has exited" 50
	if ui_screen | grep -q "Workers"; then
		ui_fail "the UI is still on the screen after exit"
	fi
}
