#!/bin/sh
# tests/catalog/dining-philosophers.sh: five philosophers, five forks.
#  - dining-philosophers: a 5-cycle over the 5 forks (p1 waits for f2, ...
#    p5 for f1), every philosopher blocked; at full speed and forced by a
#    schedule (everyone takes the left fork, sleeps, reaches right).
#  - dining-philosophers-fixed: completes, no potential deadlock.
#  - dining-philosophers-waiter: completes, at most 4 seated, and the
#    fork-order cycle is not a potential deadlock: every edge of it is
#    taken under the 4 seats, a gate for a cycle of 5 (issue 13).
# covers: dining-philosophers dining-philosophers-fixed dining-philosophers-waiter
. "$SRCDIR/tests/catalog/lib.sh"
cat_init dining-philosophers dining-philosophers-fixed \
    dining-philosophers-waiter
: >"$T/forced.sched"
for step in lock sleep lock; do
	for p in p1 p2 p3 p4 p5; do
		echo $p >>"$T/forced.sched"
	done
done
for how in full forced; do
	if [ $how = full ]; then
		cat_run $how "$T/dining-philosophers.scn"
	else
		cat_run $how "$T/dining-philosophers.scn" \
		    --schedule "$T/forced.sched"
	fi
	all_held
	want "$how: stopped on a deadlock" '.stop == "deadlock"'
	want "$how: a 5-cycle: each philosopher waits for its right fork" \
	    '[.deadlock.cycle[] | [.worker, .waits_for]] | sort ==
	    [["p1", "f2"], ["p2", "f3"], ["p3", "f4"], ["p4", "f5"],
	    ["p5", "f1"]]'
	want "$how: text p1 -> f2 -> p2 -> ... -> p5 -> f1 -> p1 (a rotation)" \
	    "$(cat_cycle_filter 'p1 -> f2 -> p2 -> f3 -> p3 -> f4 -> p4 -> f5 -> p5 -> f1 -> p1')"
	want "$how: all five blocked, each on its right fork" \
	    '[.workers[] | [.name, .state, .waiting_on]] ==
	    [["p1", "blocked", "f2"], ["p2", "blocked", "f3"],
	    ["p3", "blocked", "f4"], ["p4", "blocked", "f5"],
	    ["p5", "blocked", "f1"]]'
	note "$how: $(jv .deadlock.text)"
done

cat_run fixed "$T/dining-philosophers-fixed.scn"
all_held
want "fixed: completes, all five done" '.stop == "finished" and
    ([.workers[] | .state] == ["done", "done", "done", "done", "done"])'
want "fixed: no deadlock, no potential deadlock" \
    '.deadlock == null and .potential_deadlocks == []'

cat_run waiter "$T/dining-philosophers-waiter.scn"
all_held
want "waiter: completes, all five done" '.stop == "finished" and
    ([.workers[] | .state] == ["done", "done", "done", "done", "done"])'
want "waiter: at most four seated at once (max_holders seats <= 4)" \
    '.max_holders.seats <= 4'
want "waiter: no deadlock happened" '.deadlock == null'
want "waiter: the fork order cycle under the seats is no potential deadlock" \
    '.potential_deadlocks == []'
note "waiter: max seats $(jv .max_holders.seats)"
cat_finish
