#!/bin/sh
# tests/cli.sh: the command line as a user meets it first: --help,
# --version, bad options, `lockstep list` over a catalog directory.
set -u
fail=0
t() { printf '%s\n' "$*"; }
bad() { echo "FAIL: $*"; fail=1; }

out=$("$LOCKSTEP" --help) || bad "--help exit status $?"
for word in run check list record replay export "Exit status"; do
	echo "$out" | grep -q "$word" || bad "--help does not mention $word"
done
out=$("$LOCKSTEP" --version)
echo "$out" | head -1 | grep -Eq '^lockstep [0-9]+\.[0-9]+' || bad "--version"
echo "$out" | grep -q '^Copyright (C) [0-9]' || bad "--version: copyright line"
echo "$out" | grep -q '^License ' || bad "--version: licence line"
echo "$out" | grep -q 'NO WARRANTY' || bad "--version: warranty line"

# A bad option: the GNU hint on stderr, not the whole help, exit 2.
err=$("$LOCKSTEP" --no-such-option 2>&1 >/dev/null)
st=$?
[ $st -eq 2 ] || bad "unknown option should exit 2 (got $st)"
echo "$err" | grep -q "^Try 'lockstep --help' for more information\.$" ||
	bad "unknown option: no Try hint: $err"
[ "$(echo "$err" | wc -l)" -le 2 ] || bad "unknown option prints the whole help"
for c in run check record export replay list; do
	err=$("$LOCKSTEP" $c --no-such-option 2>&1 >/dev/null)
	st=$?
	[ $st -eq 2 ] || bad "$c --no-such-option should exit 2 (got $st)"
	echo "$err" | grep -q "^Try 'lockstep $c --help'" ||
		bad "$c: no Try hint: $err"
	[ "$(echo "$err" | wc -l)" -le 2 ] || bad "$c: bad option prints the help"
done

# An unknown command word is an error, not a file to open.
err=$("$LOCKSTEP" no-such-command-xyz 2>&1 </dev/null)
st=$?
[ $st -eq 2 ] || bad "unknown command should exit 2 (got $st)"
echo "$err" | grep -q "'no-such-command-xyz' is not a command" ||
	bad "unknown command message: $err"

dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-cli.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/scn" "$dir/empty"
cat > "$dir/scn/zeta.scn" <<'SCN'
title "Zeta: the last one"
about """
First sentence here.  Second sentence
is not in the summary.
"""
SCN
printf 'title "Alpha \\"quoted\\""\n' > "$dir/scn/alpha.scn"
# A title line inside the about text is text, not the title.
cat > "$dir/scn/inner.scn" <<'SCN'
about """
title "not the title"
Inner text.
"""
title "Inner: the real title"
SCN
printf 'no title at all\n' > "$dir/scn/plain.scn"
printf 'title "ignored"\n' > "$dir/scn/notes.txt"

out=$(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$dir/scn" "$LOCKSTEP" list) ||
	bad "list exit status"
t "$out"
[ "$(echo "$out" | wc -l)" -eq 4 ] || bad "list should show 4 scenarios"
echo "$out" | grep -q '^inner  *Inner: the real title - title "not the title" Inner text\.$' ||
	bad "a title line inside about was taken as the title"
echo "$out" | head -1 | grep -q '^alpha .*Alpha "quoted"' || bad "alpha first, title unescaped"
echo "$out" | grep -q '^plain  *plain$' || bad "a file without title is listed by name"
echo "$out" | grep -q 'Zeta: the last one - First sentence here\.$' || bad "summary is the first sentence"
echo "$out" | grep -q notes && bad "non-.scn files are not listed"

out=$(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$dir/scn" "$LOCKSTEP" list --paths)
echo "$out" | grep -q "($dir/scn/zeta.scn)" || bad "list --paths shows the file"

(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$dir/empty" "$LOCKSTEP" list >/dev/null 2>&1)
st=$?
# The installed catalog may exist on this machine; only check when it does not.
if [ ! -d "$(dirname "$LOCKSTEP")/../share/lockstep/scenarios" ]; then :; fi
[ $st -eq 0 ] || [ $st -eq 2 ] || bad "list with no scenarios: exit $st"

"$LOCKSTEP" list extra >/dev/null 2>&1
[ $? -eq 2 ] || bad "list with an argument should exit 2"

# Catalog scenarios open by name, with or without .scn, from any folder.
out=$(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$dir/scn" "$LOCKSTEP" check -v zeta 2>&1)
# zeta has no workers: check names the real file in the catalog.
echo "$out" | grep -q "zeta" || bad "check zeta (catalog name): $out"
out=$(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$SRCDIR/scenarios" \
	"$LOCKSTEP" run barrier --headless -q 2>&1)
st=$?
[ $st -eq 0 ] || bad "run barrier (catalog name) exit $st: $out"
(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$SRCDIR/scenarios" \
	"$LOCKSTEP" check barrier.scn) || bad "check barrier.scn by catalog name"
err=$(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$dir/scn" \
	"$LOCKSTEP" run no-such-scenario 2>&1)
[ $? -eq 2 ] || bad "run of an unknown name should exit 2"
echo "$err" | grep -q "no catalog scenario has that name" ||
	bad "unknown name message: $err"
# A path is never looked up in the catalog.
(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$SRCDIR/scenarios" \
	"$LOCKSTEP" check ./barrier >/dev/null 2>&1) && bad "./barrier found in catalog"

# $XDG_DATA_HOME/lockstep/scenarios is searched, and ~/.local/share when unset.
mkdir -p "$dir/xdg/lockstep/scenarios" "$dir/home/.local/share/lockstep/scenarios"
printf 'title "Mine"\n' > "$dir/xdg/lockstep/scenarios/mine.scn"
printf 'title "Home"\n' > "$dir/home/.local/share/lockstep/scenarios/homeone.scn"
out=$(cd "$dir/empty" && env -u LOCKSTEP_SCENARIOS XDG_DATA_HOME="$dir/xdg" \
	"$LOCKSTEP" list 2>&1)
echo "$out" | grep -q '^mine  *Mine$' || bad "XDG_DATA_HOME scenarios not listed: $out"
out=$(cd "$dir/empty" && env -u LOCKSTEP_SCENARIOS -u XDG_DATA_HOME \
	HOME="$dir/home" "$LOCKSTEP" list 2>&1)
echo "$out" | grep -q '^homeone  *Home$' || bad "~/.local/share scenarios not listed: $out"

# A file name that is not UTF-8 still gives valid JSON (U+FFFD).
bad_name=$(printf "$dir/empty/caf\351.scn")
cp "$SRCDIR/tests/data/perfetto-tracks.scn" "$bad_name"
"$LOCKSTEP" run "$bad_name" --headless --json > "$dir/bad.json" 2>&1
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8"))
assert d["scenario"].endswith("caf\ufffd.scn"), d["scenario"]' "$dir/bad.json" ||
		bad "run --json with a Latin-1 file name is not valid JSON"
fi

# Bash completion: commands, then each command's options.
comp="$SRCDIR/contrib/bash-completion/lockstep"
if command -v bash >/dev/null; then
	out=$(PATH="$(dirname "$LOCKSTEP"):$PATH" LOCKSTEP_SCENARIOS="$dir/scn" bash -c '
		. "$1"
		COMP_WORDS=(lockstep re); COMP_CWORD=1; _lockstep
		echo "${COMPREPLY[*]}"
		COMP_WORDS=(lockstep run --he); COMP_CWORD=2; _lockstep
		echo "${COMPREPLY[*]}"
		COMP_WORDS=(lockstep export x --format ""); COMP_CWORD=4; _lockstep
		echo "${COMPREPLY[*]}"
		COMP_WORDS=(lockstep run ze); COMP_CWORD=2; _lockstep
		echo "${COMPREPLY[*]}"' sh "$comp")
	t "$out"
	echo "$out" | sed -n 1p | grep -qw record || bad "completion: record"
	echo "$out" | sed -n 1p | grep -qw replay || bad "completion: replay"
	echo "$out" | sed -n 2p | grep -qw -- --headless || bad "completion: run --headless"
	[ "$(echo "$out" | sed -n 3p)" = "chrome dot jsonl" ] || bad "completion: formats"
	echo "$out" | sed -n 4p | grep -qw zeta || bad "completion: catalog names"
fi

exit $fail
