#!/bin/sh
# tests/limits.sh: limits and bad numbers get a clear message and the
# documented exit status: --timeout / --tempo nan, inf or negative (2);
# more than 256 named objects refused by `check` as by `run` (2); the
# nesting message names the parser's limit (32); EMFILE from mq_open is
# blamed on the open files limit; a long TMPDIR still runs fifo and unix
# socket scenarios; a fork failure (RLIMIT_NPROC, as a non-root user) is
# exit 3 with its cause, not "N workers crashed".
: "${LOCKSTEP:=src/lockstep}"
: "${SRCDIR:=.}"
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-lim.XXXXXX") || exit 99
chmod 755 "$dir"
trap 'rm -rf "$dir"' EXIT
scn="$SRCDIR/scenarios/counter-lock.scn"

for opt in --timeout --tempo; do
	for v in nan NaN inf -inf -1 1e400 ''; do
		"$LOCKSTEP" run "$scn" $opt "$v" >/dev/null 2>"$dir/err"
		st=$?
		[ $st -eq 2 ] || bad "$opt '$v': exit $st, want 2"
		grep -q "bad $opt" "$dir/err" || bad "$opt '$v': $(cat "$dir/err")"
	done
done

# 257 named objects: check says so, as run does.
{ i=0; while [ $i -lt 257 ]; do echo "mqueue Q$i(1)"; i=$((i + 1)); done
  echo 'thread t:'; echo '    pass'; } > "$dir/many.scn"
"$LOCKSTEP" check "$dir/many.scn" 2>"$dir/err"
st=$?
[ $st -eq 2 ] || bad "check of 257 mqueues: exit $st, want 2"
grep -q 'many.scn:257:[0-9]*: error: too many named objects.*the limit is 256' "$dir/err" ||
    bad "check: $(cat "$dir/err")"
"$LOCKSTEP" run "$dir/many.scn" >/dev/null 2>&1
[ $? -eq 2 ] || bad "run of 257 mqueues: not exit 2"
sed -i '1d' "$dir/many.scn"
"$LOCKSTEP" check "$dir/many.scn" || bad "256 mqueues refused"

# Nesting: the message names 32, at 33 levels and at 120.
for depth in 33 120; do
	{ echo 'thread t:'; i=1; ind='    '
	  while [ $i -lt $depth ]; do echo "${ind}if 1:"; ind="$ind    "; i=$((i + 1)); done
	  echo "${ind}pass"; } > "$dir/deep.scn"
	"$LOCKSTEP" check "$dir/deep.scn" 2>"$dir/err"
	[ $? -eq 2 ] || bad "depth $depth: not exit 2"
	grep -q 'nested too deeply (the limit is 32)' "$dir/err" || bad "depth $depth: $(cat "$dir/err")"
	grep -q 'limit is 100' "$dir/err" && bad "depth $depth: says 100"
done

# EMFILE from mq_open: the open files limit, not queues_max.
{ i=0; while [ $i -lt 40 ]; do echo "mqueue Q$i(1)"; i=$((i + 1)); done
  echo 'thread t:'; echo '    pass'; } > "$dir/mq40.scn"
(ulimit -n 24; "$LOCKSTEP" run "$dir/mq40.scn" >/dev/null 2>"$dir/err")
st=$?
[ $st -eq 3 ] || bad "mq_open EMFILE: exit $st, want 3"
grep -q 'Too many open files (the open files limit, RLIMIT_NOFILE = 24' "$dir/err" ||
    bad "EMFILE message: $(cat "$dir/err")"
grep -q 'queues_max' "$dir/err" && bad "EMFILE blamed on queues_max"
ls /dev/shm /dev/mqueue 2>/dev/null | grep -q "^lockstep-$$-" && bad "names left"

# A TMPDIR of 120 characters: fifo and unix socket scenarios still run.
long="$dir/$(printf '%0100d' 0)"
mkdir -p "$long"
for s in named-pipe socket-echo; do
	TMPDIR="$long" "$LOCKSTEP" run --headless -q "$SRCDIR/scenarios/$s.scn" >"$dir/out" 2>&1 ||
	    bad "$s with a long TMPDIR: $(cat "$dir/out")"
done
[ -z "$(ls -A "$long")" ] || bad "long TMPDIR not left empty"

# A fork failure: RLIMIT_NPROC applies to a non-root user only.
# (Only where that user can reach the binary: a build in a private
# directory cannot be run by it.)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && command -v bash >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$LOCKSTEP"; then
	mkdir "$dir/np" && chmod 777 "$dir/np"
	printf 'title "Many processes"\nprocess p x40:\n    sleep 100ms\n' > "$dir/np/p.scn"
	chmod 644 "$dir/np/p.scn"
	TMPDIR="$dir/np" setpriv --reuid=65534 --regid=65534 --clear-groups \
	    bash -c "ulimit -u 10; exec '$LOCKSTEP' run --headless --json '$dir/np/p.scn'" >"$dir/out" 2>&1
	st=$?
	[ $st -eq 3 ] || bad "fork failure: exit $st, want 3: $(cat "$dir/out")"
	grep -q '"stop":"start-failed","error":"a worker could not be started: fork: Resource temporarily unavailable' "$dir/out" ||
	    bad "fork failure: $(cat "$dir/out")"
	grep -q 'workers crashed' "$dir/out" && bad "fork failure counted as crashes"
fi
exit $fail
