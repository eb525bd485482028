#!/bin/sh
# tests/layers.sh: the house has no arrow running back up, no circle
# between rooms, and none between the files of ui/.
#
# Each folder of src/ is a room on a floor, lowest first (a file may only
# include, with #include "...", headers of its own room and of the rooms
# below it):
#
#   util      allocation, log, UTF-8, JSON writer, escapes
#   trace     events, the ring, the clock, the run's meta
#   sync      the instrumented primitives (they write to the ring)
#   scenario  lexer, parser, validator, catalog, executor
#   model     state from events: wait-for graph, lock order, metrics
#   runtime   arena, runner, workers, gates, the headless run and judge
#   export    trace file, Chrome JSON, DOT, JSON lines
#   explore   the interleaving search (drives headless runs)
#   ui        curses: the live view, its panes, its event sources
#   preload   the LD_PRELOAD tracer, and its source for the live view
#   cli       every command's front: options, set-up, what it prints
#   main      src/main.c (a header with no folder is main's)
#
# The room graph (A -> B when a file of A includes a header of B) must
# also sort (tsort): no circle, whatever the floors say. A new folder must
# be given a floor here.
#
# Inside ui/ every file includes ui/ui.h, so the includes say nothing:
# there the calls are read from the built objects (nm src/ui/libui.a:
# file A -> file B when A uses a symbol B defines), and they must not
# form a circle either. The loop (live.c) calls the layout, the views,
# the words and the hand-off; they read its state through state.c and
# never call back (a view's key returns UI_VIEW_STEP, the hand-off is
# given ui_apply). Skipped, with a note, when nm or the build is absent.
set -u
: "${SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

floor() {
	case $1 in
	util) echo 0 ;; trace) echo 1 ;; sync) echo 2 ;; scenario) echo 3 ;;
	model) echo 4 ;; runtime) echo 5 ;; export) echo 6 ;;
	explore) echo 7 ;; ui) echo 8 ;; preload) echo 9 ;; cli) echo 10 ;;
	main) echo 11 ;; *) echo -1 ;;
	esac
}

# tsort's report of each circle as "| a b c".
loops() {
	echo "$1" | sed -e 's/^tsort: -: input contains a loop:/|/' \
	    -e 's/^tsort: //'
}

# "room", from a path under src/.
room() {
	case $1 in
	*/*) echo "${1%%/*}" ;;
	*) echo main ;;
	esac
}

cd "$SRCDIR/src" || exit 99
edges=$(mktemp) || exit 99
trap 'rm -f "$edges" "$edges.ui"' EXIT

for f in $(find . -name '*.[ch]' | sed 's|^\./||' | LC_ALL=C sort); do
	from=$(room "$f")
	ff=$(floor "$from")
	[ "$ff" -ge 0 ] || { bad "$f: room '$from' has no floor in $0"; continue; }
	for inc in $(sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		to=$(room "$inc")
		tf=$(floor "$to")
		if [ "$tf" -lt 0 ]; then
			bad "$f includes $inc: room '$to' has no floor"
		elif [ "$tf" -gt "$ff" ]; then
			bad "$f ($from) includes $inc ($to, a floor above)"
		fi
		echo "$from $to" >>"$edges"
	done
done

if ! loop=$(LC_ALL=C sort -u "$edges" | tsort 2>&1 >/dev/null) ||
    [ -n "$loop" ]; then
	bad "a circle between rooms:" $(loops "$loop")
fi
# Calls between the files of ui/, from the objects in the library.
lib=${BUILDDIR:-$SRCDIR}/src/ui/libui.a
if ! command -v nm >/dev/null 2>&1 || [ ! -f "$lib" ]; then
	echo "layers: no nm or no $lib: ui calls not checked"
else
	nm "$lib" 2>/dev/null | awk '
	/^$/ { next }
	/:$/ {
		f = $0; sub(/:$/, "", f); sub(/^libui_a-/, "", f); sub(/\.o$/, "", f)
		next
	}
	$1 == "U" { use[++n] = f " " $2; next }
	$2 ~ /^[TDRBGSCV]$/ { def[$3] = f }
	END {
		for (i = 1; i <= n; i++) {
			split(use[i], a, " ")
			if ((a[2] in def) && def[a[2]] != a[1])
				print a[1], def[a[2]]
		}
	}' | LC_ALL=C sort -u >"$edges.ui"
	[ -s "$edges.ui" ] || bad "no calls between ui files found in $lib"
	if ! loop=$(tsort <"$edges.ui" 2>&1 >/dev/null) || [ -n "$loop" ]; then
		bad "a circle of calls between ui files:" $(loops "$loop")
	fi
fi

[ $fail -eq 0 ] && echo "layers: every include goes down a floor or stays"
exit $fail
