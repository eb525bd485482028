#!/bin/sh
# tests/outputs.sh: output files are written safely (export/outfile.h),
# the same way by `export -o`, `run -o` and `record -o`: a symlink is
# refused and left as it was (unless it leads to a FIFO or a device: then
# written through); a device node or a FIFO is written through,
# never replaced (a trace file, which must be seekable, refuses a FIFO);
# a directory is refused; a new file gets 0666 & ~umask; an existing file
# keeps its mode; nothing is left under a temporary name.
: "${LOCKSTEP:=src/lockstep}"
: "${SRCDIR:=.}"
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-out.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT
scn="$SRCDIR/scenarios/deadlock-two-locks.scn"

"$LOCKSTEP" record "$scn" -o "$dir/t.lst" >/dev/null 2>&1 || bad "record"
mode() { stat -c %a "$1"; }

# A new file: 0666 & ~umask, for export and for a trace.
(umask 027; "$LOCKSTEP" export "$dir/t.lst" --format jsonl -o "$dir/new.jsonl") ||
    bad "export to a new file"
[ "$(mode "$dir/new.jsonl")" = 640 ] || bad "export new file mode $(mode "$dir/new.jsonl"), want 640"
(umask 077; "$LOCKSTEP" record "$scn" -o "$dir/new.lst" >/dev/null 2>&1) ||
    bad "record to a new file"
[ "$(mode "$dir/new.lst")" = 600 ] || bad "record new file mode $(mode "$dir/new.lst"), want 600"
(umask 0; "$LOCKSTEP" export "$dir/t.lst" --format dot -o "$dir/new.dot") ||
    bad "export, umask 0"
[ "$(mode "$dir/new.dot")" = 666 ] || bad "umask 0: mode $(mode "$dir/new.dot"), want 666"

# An existing file keeps its mode.
echo old > "$dir/keep.json"; chmod 600 "$dir/keep.json"
"$LOCKSTEP" export "$dir/t.lst" --format chrome -o "$dir/keep.json" || bad "export over a file"
[ "$(mode "$dir/keep.json")" = 600 ] || bad "existing file mode $(mode "$dir/keep.json"), want 600"
grep -q traceEvents "$dir/keep.json" || bad "existing file not replaced"
echo old > "$dir/keep.lst"; chmod 604 "$dir/keep.lst"
"$LOCKSTEP" record "$scn" -o "$dir/keep.lst" >/dev/null 2>&1 || bad "record over a file"
[ "$(mode "$dir/keep.lst")" = 604 ] || bad "existing trace mode $(mode "$dir/keep.lst"), want 604"

# A symlink is refused, for both kinds of output, and left alone.
echo target > "$dir/target"
ln -s target "$dir/link.jsonl"
"$LOCKSTEP" export "$dir/t.lst" --format jsonl -o "$dir/link.jsonl" 2>"$dir/err"
st=$?
[ $st -eq 3 ] || bad "export to a symlink: exit $st, want 3"
grep -q 'link.jsonl: is a symbolic link' "$dir/err" || bad "symlink message: $(cat "$dir/err")"
[ -L "$dir/link.jsonl" ] || bad "the symlink was replaced"
[ "$(cat "$dir/target")" = target ] || bad "the symlink's target was written"
ln -s target "$dir/link.lst"
"$LOCKSTEP" record "$scn" -o "$dir/link.lst" >/dev/null 2>"$dir/err"
st=$?
[ $st -eq 3 ] || bad "record to a symlink: exit $st, want 3"
[ -L "$dir/link.lst" ] || bad "record replaced the symlink"
[ "$(cat "$dir/target")" = target ] || bad "record wrote the symlink's target"

# A link to a FIFO or a device is written through (as /dev/stdout on a
# pipe is); a link to a regular file is refused even then. Private links
# only: a regression must never get to replace the system's /dev/stdout.
ln -s /proc/self/fd/1 "$dir/stdout"
"$LOCKSTEP" export "$dir/t.lst" --format jsonl -o "$dir/stdout" | cat > "$dir/piped" ||
    bad "export through a link to a pipe"
"$LOCKSTEP" export "$dir/t.lst" --format jsonl > "$dir/direct0"
cmp -s "$dir/piped" "$dir/direct0" || bad "what came through the link differs"
[ -L "$dir/stdout" ] || bad "the link to stdout was replaced"
"$LOCKSTEP" export "$dir/t.lst" --format jsonl -o "$dir/stdout" > "$dir/plain" 2>"$dir/err"
st=$?
[ $st -eq 3 ] && grep -q 'stdout: is a symbolic link' "$dir/err" ||
    bad "a link to a regular file (stdout redirected): exit $st: $(cat "$dir/err")"
[ -L "$dir/stdout" ] || bad "the link to stdout was replaced (regular file)"
[ -s "$dir/plain" ] && bad "written through a link to a regular file"

# A directory is refused.
mkdir "$dir/d.json"
"$LOCKSTEP" export "$dir/t.lst" --format chrome -o "$dir/d.json" 2>"$dir/err"
[ $? -eq 3 ] && grep -q 'd.json: is a directory' "$dir/err" || bad "directory: $(cat "$dir/err")"

# A device node is written through, never replaced. As root the test uses
# a node of its own (mknod in the temp dir): a regression must never get
# the chance to replace the system's /dev/null. Otherwise /dev/null itself
# (a user cannot replace it anyway).
if [ "$(id -u)" = 0 ]; then
	if mknod "$dir/null" c 1 3 2>/dev/null; then
		"$LOCKSTEP" export "$dir/t.lst" --format dot -o "$dir/null" || bad "export to a device node"
		"$LOCKSTEP" export "$dir/t.lst" --format jsonl -o "$dir/null" || bad "export jsonl to a device node"
		"$LOCKSTEP" record "$scn" -o "$dir/null" >/dev/null 2>&1 || bad "record to a device node"
		[ -c "$dir/null" ] || bad "the device node was replaced"
		ln -s null "$dir/linknull"
		"$LOCKSTEP" record "$scn" -o "$dir/linknull" >/dev/null 2>&1 ||
		    bad "record through a link to a device"
		[ -L "$dir/linknull" ] && [ -c "$dir/null" ] ||
		    bad "the link or the node was replaced"
	fi
else
	"$LOCKSTEP" export "$dir/t.lst" --format jsonl -o /dev/null || bad "export -o /dev/null"
	"$LOCKSTEP" record "$scn" -o /dev/null >/dev/null 2>&1 || bad "record -o /dev/null"
	[ -c /dev/null ] || bad "/dev/null is no longer a device"
fi

# A FIFO with a reader gets the export; a trace file refuses it.
mkfifo "$dir/fifo"
cat "$dir/fifo" > "$dir/fromfifo" &
reader=$!
"$LOCKSTEP" export "$dir/t.lst" --format jsonl -o "$dir/fifo" || bad "export to a FIFO"
wait $reader
[ -p "$dir/fifo" ] || bad "the FIFO was replaced"
"$LOCKSTEP" export "$dir/t.lst" --format jsonl > "$dir/direct"
cmp -s "$dir/fromfifo" "$dir/direct" || bad "what came through the FIFO differs"
"$LOCKSTEP" record "$scn" -o "$dir/fifo" >/dev/null 2>"$dir/err" &
rec=$!
cat "$dir/fifo" > /dev/null &
wait $rec
st=$?
[ $st -eq 3 ] && grep -q 'fifo: a trace file needs a regular file' "$dir/err" ||
    bad "record to a FIFO: exit $st: $(cat "$dir/err")"
[ -p "$dir/fifo" ] || bad "record replaced the FIFO"
wait

# Nothing under a temporary name.
ls "$dir" | grep -q tmp && bad "temporary files left: $(ls "$dir")"
exit $fail
