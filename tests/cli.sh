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
"$LOCKSTEP" --version | grep -Eq '^lockstep [0-9]+\.[0-9]+' || bad "--version"

"$LOCKSTEP" --no-such-option >/dev/null 2>&1
[ $? -eq 2 ] || bad "unknown option should exit 2"

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
printf 'no title at all\n' > "$dir/scn/plain.scn"
printf 'title "ignored"\n' > "$dir/scn/notes.txt"

out=$(cd "$dir/empty" && LOCKSTEP_SCENARIOS="$dir/scn" "$LOCKSTEP" list) ||
	bad "list exit status"
t "$out"
[ "$(echo "$out" | wc -l)" -eq 3 ] || bad "list should show 3 scenarios"
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

exit $fail
