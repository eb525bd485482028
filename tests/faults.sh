#!/bin/sh
# tests/faults.sh: random kills over an IPC scenario (fifo, mqueue, shm,
# mmap, unix and TCP sockets, pipe, between processes). Each round starts
# `run --headless --json`, waits a random moment, and sends SIGKILL or
# SIGTERM to the front end, the runner or one worker. Whatever the
# moment, nothing may be left (no /lockstep-<pid>-* in /dev/shm or
# /dev/mqueue, nothing in the private temp dir, no process of the run),
# and the verdict must say what happened:
#   front end  killed by that signal (exit 128+N), or it had finished;
#   runner     exit 3, "the runner died: signal N" (or it had finished);
#   worker     that worker "crashed" with signal N, exit 1 (or it had
#              ended before the signal).
# FAULTS_N rounds (default 12: a few seconds); FAULTS_SEED to replay.
: "${LOCKSTEP:=src/lockstep}"
: "${SRCDIR:=.}"
: "${FAULTS_N:=12}"
set -u
fail=0
bad() { echo "FAIL: round $round ($what $sig at ${delay}s): $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-faults.XXXXXX") || exit 99
mkdir "$dir/tmp"
trap 'rm -rf "$dir"' EXIT
seed=${FAULTS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "faults: $FAULTS_N rounds, FAULTS_SEED=$seed"

# A deterministic stream of small random numbers from the seed.
rnd_state=$seed
rnd() {	# rnd N: sets r to 0..N-1 (no subshell: the state must move)
	rnd_state=$(( (rnd_state * 1103515245 + 12345) % 2147483648 ))
	r=$(( (rnd_state / 65536) % $1 ))
}

runner_of() {
	ps -o pid=,pgid= --ppid "$1" 2>/dev/null | awk '$1 == $2 { print $1; exit }'
}

# What is left of the run of front end $1: its temp dir's content and its
# global names (pid, then 8 hex digits: a name of another program's run
# that happens to have had the same pid is not counted).
left_of() {
	n=$(find "$dir/tmp" -mindepth 1 | wc -l)
	for d in /dev/shm /dev/mqueue; do
		[ -d "$d" ] || continue
		n=$((n + $(ls "$d" 2>/dev/null | grep -c "^lockstep-$1-[0-9a-f]\{8\}-")))
	done
	echo $n
}

round=0
hits=0
while [ $round -lt "$FAULTS_N" ]; do
	scn="$dir/round$round.scn"
	cp "$SRCDIR/tests/data/faults-ipc.scn" "$scn"
	rnd 3
	case $r in 0) what=frontend ;; 1) what=runner ;; *) what=worker ;; esac
	rnd 2
	case $r in 0) sig=KILL; signo=9 ;; *) sig=TERM; signo=15 ;; esac
	rnd 25
	delay=$(printf '0.%02d' $r)
	rnd 8
	pick=$r
	TMPDIR="$dir/tmp" "$LOCKSTEP" run --headless --json --timeout 20 "$scn" \
	    >"$dir/out" 2>"$dir/err" &
	fe=$!
	sleep "$delay"
	target=
	case $what in
	frontend) target=$fe ;;
	runner) target=$(runner_of $fe) ;;
	worker)
		r=$(runner_of $fe)
		[ -n "$r" ] && target=$(pgrep -P "$r" | awk -v n="$pick" '{ a[NR] = $1 } END { if (NR) print a[n % NR + 1] }')
		;;
	esac
	hit=0
	[ -n "$target" ] && kill -$sig "$target" 2>/dev/null && hit=1
	hits=$((hits + hit))
	wait $fe
	st=$?

	echo "round $round: $sig $what at ${delay}s: $([ $hit -eq 1 ] && echo hit || echo missed), exit $st"
	if [ $hit -eq 1 ]; then
		case $what in
		frontend)
			[ $st -eq $((128 + signo)) ] || [ $st -eq 0 ] ||
			    bad "front end: exit $st"
			;;
		runner)
			if [ $st -eq 3 ]; then
				grep -q "\"stop\":\"runner-died\",\"error\":\"the runner died: signal $signo\"" "$dir/out" ||
				    bad "runner: $(cat "$dir/out")"
			else
				# Only a run that was over: every worker done.
				[ $st -eq 0 ] && grep -q '"stop":"finished"' "$dir/out" &&
				    [ "$(grep -o '"state":"done"' "$dir/out" | wc -l)" -eq 8 ] ||
				    bad "runner killed, exit $st: $(cat "$dir/out" "$dir/err")"
			fi
			;;
		worker)
			if grep -q "\"state\":\"crashed\",\"exit_status\":0,\"signal\":$signo" "$dir/out"; then
				[ $st -eq 1 ] || bad "a crashed worker, exit $st"
				grep -q 'worker crashed' "$dir/out" || bad "no crash problem: $(cat "$dir/out")"
			else
				# It had ended (a zombie takes no signal).
				[ $st -eq 0 ] || [ $st -eq 1 ] ||
				    bad "worker killed, exit $st: $(cat "$dir/out" "$dir/err")"
			fi
			;;
		esac
	else
		[ $st -eq 0 ] || bad "no kill, exit $st: $(cat "$dir/out" "$dir/err")"
	fi

	i=0
	while [ $i -lt 100 ]; do
		n=$(left_of $fe 2>/dev/null)
		procs=$(pgrep -f "$scn" | wc -l)
		[ "$n" -eq 0 ] && [ "$procs" -eq 0 ] && break
		sleep 0.05
		i=$((i + 1))
	done
	[ "$n" -eq 0 ] || bad "$n names left: $(find "$dir/tmp" -mindepth 1; ls /dev/shm /dev/mqueue 2>/dev/null | grep "^lockstep-$fe-")"
	if [ "$procs" -ne 0 ]; then
		bad "processes left: $(pgrep -af "$scn")"
		kill -9 $(pgrep -f "$scn") 2>/dev/null
	fi
	round=$((round + 1))
done
echo "faults: $hits of $FAULTS_N signals hit a live process"
exit $fail
