#!/bin/sh
# bench/merge-bench.sh: merged events per second of a real headless run
# at 2, 8, 64 and 256 workers: W threads share 2^20 `counter += 1`
# statements (4 events each), so every run carries the same ~4.2 M
# events; the figure is events over the run's elapsed time, median of
# ROUNDS (default 3). LOCKSTEP_BASE, if set, is another lockstep binary
# run the same way in the same rounds (the in-run anchor: the build
# before a change). Needs LOCKSTEP (make bench sets it).
set -u
: "${LOCKSTEP:?}"
ROUNDS=${ROUNDS:-3}
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# events/s (millions) of one run of binary $1 on scenario $2.
rate() {
	"$1" run "$2" --headless --json >"$tmp/out" 2>/dev/null
	sed -n 's/.*"events":\([0-9]*\).*"elapsed_ms":\([0-9]*\).*/\1 \2/p' \
	    "$tmp/out" | awk '{ printf "%.2f\n", $1 / ($2 > 0 ? $2 : 1) / 1000 }'
}

echo "merge, real runs: M events/s, median of $ROUNDS (noisy: shared machine)"
for w in 2 8 64 256; do
	printf 'shared int counter = 0\nthread adder x%d:\n    repeat %d:\n        counter += 1\n' \
	    $w $((1048576 / w)) >"$tmp/w$w.scn"
done
for w in 2 8 64 256; do
	: >"$tmp/r$w"; : >"$tmp/b$w"
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		rate "$LOCKSTEP" "$tmp/w$w.scn" >>"$tmp/r$w"
		[ -n "${LOCKSTEP_BASE:-}" ] &&
		    rate "$LOCKSTEP_BASE" "$tmp/w$w.scn" >>"$tmp/b$w"
		i=$((i + 1))
	done
	r=$(median <"$tmp/r$w")
	eval "r$w=$r"
	if [ -n "${LOCKSTEP_BASE:-}" ]; then
		echo "  $w workers: $r M/s (base: $(median <"$tmp/b$w") M/s)"
	else
		echo "  $w workers: $r M/s"
	fi
done
awk -v a="$r64" -v b="$r2" 'BEGIN { printf "  64 over 2: %.2f (target >= 0.7)\n", a / (b > 0 ? b : 1) }'
