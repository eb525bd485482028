#!/bin/sh
# tests/trace-programs.sh: `lockstep trace` on the small C programs of
# tests/programs/ (built by make check with -g -pthread), each checked
# headless for its verdict, where it must fire and where it must not.
# Where the verdict depends on the interleaving, --schedule forces it:
# worker 0 is main, then threads and processes in creation order.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
P="$BUILDDIR/tests/programs"
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-trace.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# trace EXPECTED-STATUS JQ-FILTER [lockstep options] -- PROGRAM ARGS
trace() {
	want=$1 filter=$2
	shift 2
	out=$(TMPDIR="$dir" timeout 60 "$LOCKSTEP" trace --headless --json \
	    --stdout "$dir/out" --stderr "$dir/err" "$@")
	rc=$?
	[ "$rc" = "$want" ] || bad "$*: exit $rc, wanted $want: $out"
	echo "$out" | jq -e "$filter" >/dev/null ||
		bad "$*: $filter: $(echo "$out" | jq -c '{verdict,stop,problems,deadlock,stall,potential_deadlocks}')"
}

# Lost update: both adders load before either stores (stepped to their
# usleep in turn); with the mutex the second waits and nothing is lost.
trace 1 '.verdict == "fail" and (.problems[0] | test("exited with status 1"))' \
	--schedule 0,0,0,1,2,1,2 -- "$P/counter"
grep -q 'counter = 1' "$dir/out" || bad "counter: program output not in --stdout file"
trace 0 '.verdict == "pass" and .deadlock == null and .metrics.counter_lock.max_waiters == 1' \
	--schedule 0,0,0,1,2,1,2 -- "$P/counter" lock
grep -q 'counter = 2' "$dir/out" || bad "counter lock: lost an update"

# Two-lock deadlock when each thread holds its first lock; none when one
# runs to the end before the other starts.
trace 1 '.stop == "deadlock" and (.deadlock.text | test("transfer -> lock_b -> refund -> lock_a -> transfer")) and .deadlock.cycle[0].line == 14' \
	--schedule 0,0,0,1,2,1,2,1,2 -- "$P/deadlock"
trace 1 '.deadlock == null and .stop == "finished" and (.potential_deadlocks | length) == 1' \
	--schedule 0,0,0,1,1,1,1,1,1 -- "$P/deadlock"

# --seed steps by a seeded choice to the end: the same seed, the same run.
for seed in 2 3; do
	a=$("$LOCKSTEP" trace --headless --json --seed $seed --stdout /dev/null \
	    -- "$P/deadlock" | jq -c '[.stop, .events, .workers[].line]')
	b=$("$LOCKSTEP" trace --headless --json --seed $seed --stdout /dev/null \
	    -- "$P/deadlock" | jq -c '[.stop, .events, .workers[].line]')
	[ -n "$a" ] && [ "$a" = "$b" ] || bad "--seed $seed: $a, then $b"
done

# Lock-order inversion that did not deadlock, and its consistent twin.
trace 1 '.deadlock == null and .stop == "finished" and .potential_deadlocks[0].first == "lock_b" and .potential_deadlocks[0].second == "lock_a"' \
	-- "$P/lock-order"
trace 0 '.verdict == "pass" and (.potential_deadlocks | length) == 0' \
	-- "$P/lock-order" same

# Condition: the signal sent before the wait is lost without a predicate
# loop (a stall); with the while loop the same order completes.
trace 1 '.stop == "stall" and .stall == true and .deadlock == null' \
	--schedule 0,0,0,2,2,2,2 -- "$P/cond" bare
trace 0 '.verdict == "pass" and .stall == false' \
	--schedule 0,0,0,2,2,2,2 -- "$P/cond" while
trace 0 '.verdict == "pass"' --schedule 0,0,0,1,1,1 -- "$P/cond" bare

# Semaphores: producer-consumer completes and the buffer never holds
# more than its slots; waiting for a slot while holding the mutex stops.
trace 0 '.verdict == "pass" and .metrics.free_slots.max_holders <= 4 and .metrics.filled_slots != null' \
	-- "$P/semaphore"
trace 1 '.stop != "finished" and (.problems | length) > 0' \
	--schedule 0,0,0,0,0,1,1,1 -- "$P/semaphore" wrong

# fork + pipe: end-of-file after the writer closes; a reader that keeps
# its own write end open waits forever (with the parent waiting for it).
trace 0 '.verdict == "pass" and ([.workers[] | select(.kind == "process")] | length) == 1' \
	-- "$P/fork-pipe"
trace 1 '.stop == "stall" or .stop == "deadlock"' -- "$P/fork-pipe" noclose

# TCP over loopback: one object for the connection (both ends meet on
# it), another for the listener; two sides that both wait to receive
# first wait for each other.
trace 0 '.verdict == "pass" and ([.metrics[] | select(.sent == 2 and .received == 2)] | length) == 1' \
	-- "$P/socket"
trace 1 '.stop == "deadlock" and (.deadlock.text | test("server -> socket@[0-9.]+ -> client -> socket@[0-9.]+ -> server"))' \
	-- "$P/socket" both-wait

# Every other kind used correctly: recursive, error-checking, robust
# (owner died), timed and try locks, rwlock, barrier, a named semaphore
# across fork. The wrappers keep each call's meaning.
trace 0 '.verdict == "pass" and .owner_died[0].object == "robust_lock" and (.max_holders | has("table_lock")) and ([.workers[].state] | all(. == "done"))' \
	-- "$P/kinds"

# A program that closes every descriptor, ours included: the close is
# refused and said, and what follows is still traced.
trace 1 '(.problems[0] | test("tried to close lockstep.s trace descriptor")) and .max_holders.after_close == 1 and .workers[0].state == "done"' \
	-- "$P/closefds"

# A crash is reported with its signal; a forked child that execs another
# dynamically linked program rejoins the trace as the same worker.
trace 1 '(.problems[0] | test("killed by signal 6")) and .workers[0].state == "crashed" and .workers[0].signal == 6' \
	-- "$P/crash"
trace 0 '.verdict == "pass" and .workers[1].kind == "process" and .workers[1].state == "done" and (.workers | length) == 2' \
	-- "$P/crash" exec

# Read-write locks: readers hold together (two holders) and the writer
# waits for both; a reader holding its read lock and waiting for a mutex
# whose owner waits to write is a deadlock through the read lock (a
# cycle, not a stall); asking to write while reading waits for oneself.
trace 0 '.verdict == "pass" and .metrics.table.max_holders == 2 and (.potential_deadlocks | length) == 0' \
	--schedule 0,0,0,0,1,1,2,2,3,3 -- "$P/rwlock"
trace 1 '.stop == "deadlock" and (.deadlock.text | test("reader -> log_lock -> writer -> table -> reader"))' \
	--schedule 0,0,0,0,1,1,3,3,3,1 -- "$P/rwlock" cycle
# (Free run: one reader upgrading waits for itself; when both got their
# read lock first, each waits for both.)
trace 1 '.stop == "deadlock" and (.problems[0] | test("^(self-)?deadlock$")) and (.deadlock.text | test("^reader(\\.2)? -> table -> reader(\\.2)?"))' \
	-- "$P/rwlock" upgrade
trace 1 '.stop == "deadlock" and .problems[0] == "self-deadlock" and .deadlock.text == "reader -> table -> reader"' \
	--schedule 0,0,0,0,1,1,1 -- "$P/rwlock" upgrade
# The same schedule, stepped again and again, gives the same run: the
# front end never steps a worker that has only just left its gate.
for i in 1 2 3 4 5; do
	"$LOCKSTEP" trace --headless --json --stdout /dev/null \
	    --schedule 0,0,0,0,1,1,3,3,3,1 -- "$P/rwlock" cycle |
	    jq -c '[.stop, .events]'
done | sort -u > "$dir/runs"
[ "$(cat "$dir/runs")" = '["deadlock",32]' ] ||
	bad "rwlock cycle: one schedule, different runs: $(cat "$dir/runs")"
rm -f "$dir/runs"

# C11 <threads.h>: glibc's mtx_lock and cnd_wait never pass through the
# pthread entry points; they are traced by name, with the same verdicts.
trace 1 '.stop == "deadlock" and (.deadlock.text | test("transfer -> lock_b -> refund -> lock_a -> transfer"))' \
	--schedule 0,0,0,1,2,1,2,1,2 -- "$P/c11"
trace 1 '.stop == "finished" and .potential_deadlocks[0].first == "lock_b"' \
	--schedule 0,0,0,1,1,1,1,1,1 -- "$P/c11"
grep -q 'results 1 2' "$dir/out" || bad "c11: thrd_join lost the int results"
trace 0 '.verdict == "pass" and .metrics.ready != null' -- "$P/c11" cond
grep -q 'results 42 0' "$dir/out" || bad "c11 cond: $(cat "$dir/out")"

# Spin locks are locks: a counter under one is whole; taking it again
# while holding it spins on oneself, a self-deadlock.
trace 0 '.verdict == "pass" and .metrics.counter_lock.max_holders == 1' \
	-- "$P/spin"
grep -q 'counter = 6' "$dir/out" || bad "spin: $(cat "$dir/out")"
trace 1 '.stop == "deadlock" and .problems[0] == "self-deadlock"' \
	-- "$P/spin" twice

# POSIX message queues (where the system has them: the program exits 77
# otherwise): the bounded queue between a parent and its child carries
# five ints in order; a child waiting on a queue nobody sends to, with
# its parent waiting for it, is a deadlock through the queue.
"$P/mqueue" >/dev/null 2>&1
if [ $? != 77 ]; then
	trace 0 '.verdict == "pass" and ([.metrics[] | select(.sent == 5 and .received == 5 and .order_errors == 0)] | length) == 1' \
		-- "$P/mqueue"
	grep -q 'sum = 15' "$dir/out" || bad "mqueue: $(cat "$dir/out")"
	trace 1 '.stop == "deadlock" and (.deadlock.text | test("main -> join\\(child\\) -> child -> /lockstep-test-[0-9]+ -> main"))' \
		-- "$P/mqueue" nosend
else
	echo "SKIP: no POSIX message queues here"
fi

# A busy-wait loop never reaches a gate: stepped, the worker it waits for
# is stepped beside it (after 50 ms of running without a call) instead of
# the run waiting for it to settle until the timeout.
for seed in 1 2; do
	trace 0 '.verdict == "pass" and .stop == "finished"' --seed $seed --timeout 8 \
		-- "$P/spinwait"
	grep -q 'got 42' "$dir/out" || bad "spinwait: $(cat "$dir/out")"
done

# Helpers started without a traced fork (system, popen) are not workers:
# before, each shell became a worker reported killed and the finished run
# was judged a stall.
trace 0 '.verdict == "pass" and (.workers | length) == 2 and ([.workers[].state] | all(. == "done"))' \
	-- "$P/spawn" </dev/null
grep -q 'from-system' "$dir/out" && grep -q 'from-popen' "$dir/out" &&
	grep -q 'stdin gives -1' "$dir/out" || bad "spawn: $(cat "$dir/out")"

# A daemon's grandchild leaves the process group (setsid): it is found
# all the same (the front end is a subreaper), killed, and reported.
cp "$P/daemon" "$dir/daemon"
trace 1 '.stop == "finished" and (.problems[0] | test("1 process left the program.s process group"))' \
	-- "$dir/daemon"
sleep 0.2
! pgrep -f "$dir/daemon" >/dev/null || bad "daemon left running: $(pgrep -af "$dir/daemon")"
rm -f "$dir/daemon"

# --timeout is in seconds, as for run (a fraction allowed).
start=$(date +%s)
trace 1 '.stop == "timeout" and (.problems[0] | test("timed out"))' \
	--timeout 0.5 -- sleep 5
[ $(( $(date +%s) - start )) -lt 4 ] || bad "--timeout 0.5 did not stop sleep 5 early"
"$LOCKSTEP" trace --headless --timeout 1x -- sleep 0 2>"$dir/msg"
[ $? = 2 ] && grep -q "bad --timeout" "$dir/msg" && grep -q "Try 'lockstep trace --help'" "$dir/msg" ||
	bad "bad --timeout: $(cat "$dir/msg")"

# Safety: exit status, a static binary, a missing program, usage.
"$LOCKSTEP" trace --headless -- /nonexistent/prog 2>"$dir/msg"
[ $? = 2 ] && grep -q 'prog' "$dir/msg" || bad "missing program: $(cat "$dir/msg")"
"$LOCKSTEP" trace --headless -- "$SRCDIR/README.md" 2>"$dir/msg"
[ $? = 2 ] && grep -q 'not an ELF' "$dir/msg" || bad "not ELF: $(cat "$dir/msg")"
if [ -x "$P/static" ]; then
	"$LOCKSTEP" trace --headless -- "$P/static" 2>"$dir/msg"
	[ $? = 2 ] && grep -q 'statically linked' "$dir/msg" ||
		bad "static: $(cat "$dir/msg")"
fi
"$LOCKSTEP" trace --headless 2>/dev/null
[ $? = 2 ] || bad "no program: not a usage error"
# A truncated ELF file: a message, not a crash.
head -c 100 "$P/deadlock" > "$dir/trunc" && chmod +x "$dir/trunc"
"$LOCKSTEP" trace --headless -- "$dir/trunc" 2>"$dir/msg"
[ $? = 2 ] && grep -q 'not a 64-bit ELF' "$dir/msg" || bad "truncated: $(cat "$dir/msg")"
rm -f "$dir/trunc"

# -o: the run is a trace file that export reads.
trace 1 '.stop == "deadlock"' -o "$dir/run.lst" \
	--schedule 0,0,0,1,2,1,2,1,2 -- "$P/deadlock"
"$LOCKSTEP" export "$dir/run.lst" --format dot -o "$dir/run.dot" ||
	bad "export of a traced run failed"
grep -q 'lock_b' "$dir/run.dot" || bad "dot has no lock_b"

# Nothing left behind: no process of the programs, nothing in the temp
# dir (the run's memory is a memfd: no name anywhere).
sleep 0.2
if pgrep -f "$P/" >/dev/null; then
	bad "processes left: $(pgrep -af "$P/")"
fi
left=$(ls "$dir" | grep -v -x -e out -e err -e msg -e run.lst -e run.dot)
[ -z "$left" ] || bad "left in the temp dir: $left"
exit $fail
