#!/bin/sh
# bench/race-bench.sh: the race lesson (2 processes x 100000 adds) run
# headless by lockstep, against the same program in Python
# (bench/anchors/race.py, multiprocessing.Value), when python3 exists.
# Wall time and peak RSS (the largest process, from /usr/bin/time when it
# exists), median of ROUNDS (default 5), interleaved; ratios Python over
# lockstep. Needs LOCKSTEP and SRCDIR (make bench sets them).
set -u
: "${LOCKSTEP:?}" "${SRCDIR:?}"
ROUNDS=${ROUNDS:-5}
scn="$SRCDIR/scenarios/race-processes.scn"
py="$SRCDIR/bench/anchors/race.py"
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM

# One timed run: prints "ms rss_kb" (rss 0 without /usr/bin/time).
timed() {
	t0=$(date +%s%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1
	else
		"$@" >/dev/null 2>&1
		echo 0 >"$tmp/rss"
	fi
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / 1000000 )) $(tail -1 "$tmp/rss")"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

havepy=0
command -v python3 >/dev/null 2>&1 && havepy=1
i=0
while [ $i -lt "$ROUNDS" ]; do
	timed "$LOCKSTEP" run "$scn" --headless >>"$tmp/ls"
	[ $havepy = 1 ] && timed python3 "$py" 100000 >>"$tmp/py"
	i=$((i + 1))
done
ls_ms=$(cut -d' ' -f1 "$tmp/ls" | median)
ls_kb=$(cut -d' ' -f2 "$tmp/ls" | median)
echo "race lesson, 2 processes x 100000, median of $ROUNDS (noisy: shared machine)"
echo "  lockstep run --headless: $ls_ms ms, peak RSS $ls_kb kB"
if [ $havepy = 1 ]; then
	py_ms=$(cut -d' ' -f1 "$tmp/py" | median)
	py_kb=$(cut -d' ' -f2 "$tmp/py" | median)
	echo "  python3 multiprocessing: $py_ms ms, peak RSS $py_kb kB"
	awk -v a="$py_ms" -v b="$ls_ms" -v c="$py_kb" -v d="$ls_kb" 'BEGIN {
	    printf "  python over lockstep: time %.1fx", a / (b > 0 ? b : 1)
	    if (d > 0) printf ", RSS %.1fx", c / d
	    printf "\n" }'
else
	echo "  python3 not found: no anchor"
fi
