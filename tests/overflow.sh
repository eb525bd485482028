#!/bin/sh
# tests/overflow.sh: arithmetic is defined for every value. Overflow of
# +, -, *, unary minus, INT64_MIN / -1 and `x += n` (plain, atomic, local,
# at full speed and stepped) is the runtime error "line N: integer
# overflow" (exit 1, named in the summary), never undefined behaviour: in
# the sanitizer build (-fno-sanitize-recover=all) UB would kill the
# worker instead and the error would be missing. The recording exports.
: "${LOCKSTEP:=src/lockstep}"
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-ovf.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT

# case NAME LINE MESSAGE [run options]: the scenario in $dir/NAME.scn
# ends its worker at LINE with MESSAGE.
case_() {
	name=$1 line=$2 msg=$3
	shift 3
	"$LOCKSTEP" run --headless --json --timeout 20 "$@" "$dir/$name.scn" >"$dir/out" 2>"$dir/err"
	st=$?
	[ $st -eq 1 ] || bad "$name: exit $st, want 1: $(cat "$dir/out" "$dir/err")"
	grep -q "\"line\":$line,\"text\":\"line $line: $msg" "$dir/out" ||
	    bad "$name: no '$msg' at line $line: $(cat "$dir/out")"
	grep -q '"state":"crashed"' "$dir/out" && bad "$name: a worker crashed"
}

cat > "$dir/add.scn" <<'SCN'
shared int s = 9223372036854775807
thread t:
    s += 1
SCN
case_ add 3 'integer overflow (9223372036854775807 + 1)'
case_ add 3 'integer overflow (9223372036854775807 + 1)' --seed 1
grep -q '"name":"s","value":9223372036854775807' "$dir/out" || bad "add: s changed: $(cat "$dir/out")"

cat > "$dir/atomic.scn" <<'SCN'
shared int s = 9223372036854775807
thread t:
    atomic s += 1
SCN
case_ atomic 3 'integer overflow (atomic s += 1 wrapped to -9223372036854775808)'
case_ atomic 3 'integer overflow (atomic s += 1 wrapped to -9223372036854775808)' --seed 2

cat > "$dir/sub.scn" <<'SCN'
shared int s = 0
thread t:
    v = 0 - 9223372036854775807
    v = v - 1
    s = v
    w = v - 1
SCN
case_ sub 6 'integer overflow (-9223372036854775808 - 1)'

cat > "$dir/neg.scn" <<'SCN'
thread t:
    v = 0 - 9223372036854775807
    v -= 1
    w = - v
SCN
case_ neg 4 'integer overflow (0 - -9223372036854775808)'

cat > "$dir/div.scn" <<'SCN'
thread t:
    v = 0 - 9223372036854775807
    v = v - 1
    r = v % (0 - 1)
    print "r={r}"
    w = v / (0 - 1)
SCN
case_ div 6 'integer overflow (-9223372036854775808 / -1)'
grep -q '"r=0"' "$dir/out" 2>/dev/null || true

cat > "$dir/mul.scn" <<'SCN'
thread t:
    v = 4294967296
    w = v * v
SCN
case_ mul 3 'integer overflow (4294967296 \* 4294967296)'

cat > "$dir/local.scn" <<'SCN'
thread t:
    v = 9223372036854775807
    v += 1
SCN
case_ local 3 'integer overflow (9223372036854775807 + 1)'

cat > "$dir/cell.scn" <<'SCN'
shm M(2)
thread t:
    M[1] = 9223372036854775807
    M[1] += 1
SCN
case_ cell 4 'integer overflow (9223372036854775807 + 1)'

# The model and the exporters take the recording of an overflow.
"$LOCKSTEP" record "$dir/atomic.scn" -q -o "$dir/a.lst" >/dev/null 2>&1
[ $? -eq 1 ] || bad "record atomic overflow"
"$LOCKSTEP" export "$dir/a.lst" --format chrome -o "$dir/a.json" || bad "export chrome"
"$LOCKSTEP" export "$dir/a.lst" --format jsonl -o "$dir/a.jsonl" || bad "export jsonl"
exit $fail
