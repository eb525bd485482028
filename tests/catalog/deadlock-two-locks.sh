#!/bin/sh
# tests/catalog/deadlock-two-locks.sh: opposite lock order deadlocks. The
# cycle is exactly t1 waits for B, t2 waits for A (text t1 -> B -> t2 ->
# A -> t1, up to where it starts), both workers blocked on the `lock` lines
# of the file. Once at full speed (the sleeps make it deadlock), once forced
# by a schedule (t1 lock A, t2 lock B, both sleep, both lock), which
# deadlocks whatever the machine's timing.
# covers: deadlock-two-locks
. "$SRCDIR/tests/catalog/lib.sh"
cat_init deadlock-two-locks
f=$T/deadlock-two-locks.scn
l1=$(cat_line_of "$f" 'note "t1 waits for B')
l2=$(cat_line_of "$f" 'note "t2 waits for A')
cat_schedule "$T/forced.sched" t1 t2 t1 t2 t1 t2
for how in full forced; do
	if [ $how = full ]; then
		cat_run $how "$f"
	else
		cat_run $how "$f" --schedule "$T/forced.sched"
	fi
	all_held
	want "$how: the run stopped on the deadlock" \
	    '.stop == "deadlock" and .stall == false and
	    .self_deadlock == null'
	want "$how: cycle is exactly t1 waits for B, t2 waits for A" \
	    '[.deadlock.cycle[] | [.worker, .waits_for]] | sort ==
	    [["t1", "B"], ["t2", "A"]]'
	want "$how: cycle lines are the second lock of each ($l1, $l2)" \
	    "[.deadlock.cycle[] | [.worker, .line]] | sort ==
	    [[\"t1\", $l1], [\"t2\", $l2]]"
	want "$how: text is t1 -> B -> t2 -> A -> t1 (a rotation)" \
	    "$(cat_cycle_filter 't1 -> B -> t2 -> A -> t1')"
	want "$how: both workers blocked, t1 on B and t2 on A" \
	    '[.workers[] | [.name, .state, .waiting_on]] ==
	    [["t1", "blocked", "B"], ["t2", "blocked", "A"]]'
	want "$how: each lock had one holder" \
	    '.max_holders == {"A": 1, "B": 1}'
	note "$how: $(jv .deadlock.text)"
done
cat_finish
