#!/bin/sh
# tests/catalog/check.sh: `lockstep check` over the whole catalog exits 0
# and prints nothing; `check -v` says ok for every file; and check is not
# a no-op (a broken copy of a scenario is rejected with FILE:LINE:COL).
# covers:
. "$SRCDIR/tests/catalog/lib.sh"
cat_init
set -- "$SRCDIR"/scenarios/*.scn
n=$#
"$LOCKSTEP" check "$@" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "check over $n scenarios: exit 0" ||
    bad "check over $n scenarios: exit $rc"
if [ -s "$T/out" ] || [ -s "$T/err" ]; then
	bad "check printed something:"
	head -c 3000 "$T/out" "$T/err"
else
	ok "check printed nothing"
fi
"$LOCKSTEP" check -v "$@" >"$T/out" 2>"$T/err"
rc=$?
good=$(grep -c ': ok$' "$T/out")
[ $rc -eq 0 ] && [ "$good" -eq $n ] &&
    ok "check -v: $good of $n files ok" ||
    bad "check -v: exit $rc, $good of $n files ok"

# A scenario with an undeclared lock and a bad statement must be refused.
sed -e 's/with L:/with NoSuchLock:/' -e 's/^\( *\)counter += 1/\1counter +=/' \
    "$SRCDIR/scenarios/counter-lock.scn" >"$T/broken.scn"
"$LOCKSTEP" check "$T/broken.scn" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && ok "a broken scenario: exit 2" ||
    bad "a broken scenario: exit $rc (want 2)"
grep -q "broken.scn:[0-9][0-9]*:[0-9][0-9]*: error" "$T/out" "$T/err" &&
    ok "a broken scenario: FILE:LINE:COL: error" ||
    bad "a broken scenario: no FILE:LINE:COL: error message"
cat_finish
