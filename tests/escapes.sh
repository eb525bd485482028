#!/bin/sh
# tests/escapes.sh: control characters in scenario text never reach the
# terminal raw. A title, print text, expect line and file name holding
# ESC / OSC / CSI (C0), DEL and C1 (U+009B) come out as visible escapes
# (\e, \x7f, \u009b) in `run`'s summary and live print echo, `list`,
# and `check` messages; ordinary UTF-8 text is unchanged.
: "${LOCKSTEP:=src/lockstep}"
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-esc.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT

esc=$(printf '\033')
c1=$(printf '\302\233')
# No raw ESC, DEL, BEL or C1 byte pair in the file.
raw() { grep -q "$esc\|$(printf '\177')\|$(printf '\007')\|$c1" "$1"; }

mkdir "$dir/scenarios"
printf 'title "T\033]0;pwned\007 \302\2332J caf\303\251"\nabout "A\033[2J"\nmutex A\nthread t:\n    print "P\033]52;c;eA==\007 \177"\n    with A:\n        pass\nexpect max_holders A == 1\n' \
    > "$dir/scenarios/evil.scn"
"$LOCKSTEP" check "$dir/scenarios/evil.scn" || bad "evil.scn does not check"

"$LOCKSTEP" run --headless "$dir/scenarios/evil.scn" > "$dir/out" 2>&1 || bad "run: $(cat "$dir/out")"
raw "$dir/out" && bad "run summary has raw control bytes: $(od -c "$dir/out" | head)"
grep -q 'T\\e\]0;pwned\\x07 \\u009b2J café' "$dir/out" || bad "title not escaped: $(cat "$dir/out")"
grep -q '\[t\] P\\e\]52;c;eA==\\x07 \\x7f' "$dir/out" || bad "print not escaped: $(cat "$dir/out")"

(cd "$dir" && "$LOCKSTEP" list) > "$dir/list" 2>&1
raw "$dir/list" && bad "list has raw control bytes"
grep -q 'evil.*T\\e\]0;pwned' "$dir/list" || bad "list: $(cat "$dir/list")"

# A file name with an escape, and an error message quoting the text.
bad_name="$dir/x$(printf '\033')[31m.scn"
printf 'thread t:\n    lock N\033[2J\n' > "$bad_name"
"$LOCKSTEP" check "$bad_name" > "$dir/check" 2>&1
[ $? -eq 2 ] || bad "check of a broken file: not exit 2"
raw "$dir/check" && bad "check output has raw control bytes: $(od -c "$dir/check" | head)"
grep -q 'x\\e\[31m.scn:2:' "$dir/check" || bad "check: $(cat "$dir/check")"
"$LOCKSTEP" run --headless "$bad_name" > "$dir/check" 2>&1
raw "$dir/check" && bad "run's diagnostics have raw control bytes"
exit $fail
