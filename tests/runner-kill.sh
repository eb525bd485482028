#!/bin/sh
# tests/runner-kill.sh: a run's end is known, not assumed. SIGKILL of the
# runner (the scenario host, a child of the front end in its own process
# group) during `run --headless` is an error verdict: exit status 3 and
# "the runner died: signal 9" in the JSON and the text summary, never a
# pass; and nothing of the run is left behind.
: "${LOCKSTEP:=src/lockstep}"
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-rk.XXXXXX") || exit 99
mkdir "$dir/tmp"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
trap 'rm -rf "$dir"' EXIT

cat > "$dir/long.scn" <<'SCN'
title "Runs until stopped"
mutex A
shm S(4)
process p:
    forever:
        with A:
            atomic S[0] += 1
        sleep 5ms
thread t:
    forever:
        sleep 5ms
SCN

# The runner: the front end's child that leads its own process group.
runner_of() {
	ps -o pid=,pgid= --ppid "$1" 2>/dev/null |
	    awk '$1 == $2 { print $1; exit }'
}

for mode in json text; do
	if [ $mode = json ]; then opt=--json; else opt=-q; fi
	TMPDIR="$dir/tmp" "$LOCKSTEP" run --headless $opt --timeout 60 \
	    "$dir/long.scn" >"$dir/out" 2>"$dir/err" &
	fe=$!
	i=0; r=
	while [ $i -lt 200 ] && [ -z "$r" ]; do
		r=$(runner_of $fe)
		[ -n "$r" ] || sleep 0.05
		i=$((i + 1))
	done
	[ -n "$r" ] || { bad "$mode: no runner found"; kill $fe; wait $fe; continue; }
	# Let it run a little: the workers are up and tracing.
	sleep 0.3
	kill -KILL "$r"
	wait $fe
	st=$?
	[ $st -eq 3 ] || bad "$mode: exit status $st, want 3: $(cat "$dir/out")"
	if [ $mode = json ]; then
		grep -q '"verdict":"error"' "$dir/out" || bad "json: no error verdict: $(cat "$dir/out")"
		grep -q '"stop":"runner-died"' "$dir/out" || bad "json: stop is not runner-died"
		grep -q '"error":"the runner died: signal 9"' "$dir/out" || bad "json: no cause"
	else
		grep -q '^verdict: ERROR (the runner died: signal 9)' "$dir/out" || bad "text: no ERROR verdict: $(cat "$dir/out")"
	fi
	i=0
	while [ $i -lt 100 ]; do
		left=$(find "$dir/tmp" -mindepth 1 | wc -l)
		names=$(ls /dev/shm /dev/mqueue 2>/dev/null | grep -c "^lockstep-$fe-[0-9a-f]\{8\}-")
		[ "$left" -eq 0 ] && [ "$names" -eq 0 ] && break
		sleep 0.05
		i=$((i + 1))
	done
	[ "$left" -eq 0 ] || bad "$mode: temp dir not emptied: $(find "$dir/tmp" -mindepth 1)"
	[ "$names" -eq 0 ] || bad "$mode: names left"
done

# A run that ends by itself is still a pass (the marker is there).
cat > "$dir/short.scn" <<'SCN'
mutex A
thread t:
    with A:
        pass
expect max_holders A == 1
SCN
"$LOCKSTEP" run --headless --json "$dir/short.scn" >"$dir/out" 2>&1 ||
    bad "short run failed: $(cat "$dir/out")"
grep -q '"verdict":"pass"' "$dir/out" || bad "short run: $(cat "$dir/out")"
exit $fail
