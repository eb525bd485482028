#!/bin/sh
# tests/catalog/lost-wakeup.sh: a notify nobody heard.
#  - lost-wakeup: a stall (every live worker blocked) with no deadlock
#    cycle: the consumer waits on C forever, its notify was lost before it
#    waited. At full speed (sleeps) and forced by a schedule (consumer
#    checks, producer stores and notifies, consumer waits).
#  - lost-wakeup-fixed: completes, at full speed and under three seeded
#    step-mode interleavings.
# covers: lost-wakeup lost-wakeup-fixed
. "$SRCDIR/tests/catalog/lib.sh"
cat_init lost-wakeup lost-wakeup-fixed
# consumer: if, print; producer: sleep, with, item = 42, notify (ends);
# consumer: sleep, with, wait.
cat_schedule "$T/forced.sched" consumer consumer \
    producer producer producer producer consumer consumer consumer
for how in full forced; do
	if [ $how = full ]; then
		cat_record $how "$T/lost-wakeup.scn"
	else
		# record --schedule takes a trace, not a list: run it.
		cat_run $how "$T/lost-wakeup.scn" --schedule "$T/forced.sched"
	fi
	all_held
	want "$how: a stall, not a deadlock" '.stop == "stall" and
	    .stall == true and .deadlock == null and .self_deadlock == null'
	want "$how: producer done, consumer blocked on C" \
	    '[.workers[] | [.name, .state, .waiting_on]] ==
	    [["producer", "done", null], ["consumer", "blocked", "C"]]'
	want "$how: item was set" \
	    '.shared[] | select(.name == "item") | .value == 42'
	[ $how = full ] && ev_want "$how: the notify came before the consumer's wait" \
	    '([.[] | select(.type == "cond-notify")][0].i) <
	    ([.[] | select(.type == "cond-wait" and
	    .worker == "consumer")][0].i)'
done
cat_run fixed "$T/lost-wakeup-fixed.scn"
all_held
want "fixed: completes, both done" '.stop == "finished" and
    .stall == false and [.workers[] | .state] == ["done", "done"]'
for seed in 1 2 3; do
	cat_run "seed$seed" "$T/lost-wakeup-fixed.scn" --seed $seed
	want "fixed, seed $seed: completes" '.stop == "finished" and
	    .stall == false and [.workers[] | .state] == ["done", "done"]'
done
cat_finish
