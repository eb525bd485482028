#!/bin/sh
# tests/catalog/gil.sh: CPU work under one global lock (threads) vs no
# lock (processes). The scenario prints both phases' times and their ratio
# (read with `now`); the printed line must be consistent and the threads'
# time at least the work. The JSON summary has no per-phase times, so the run is
# also recorded and the phases are timed from main's events: threads =
# start t.1 .. joined t.2, processes = start p.1 .. joined p.2. Asserted:
# the threads' compute intervals never overlap (one at a time under GIL)
# while the processes' do, and the threads phase lasts at least the sum of
# the work (compute burns the thread's own CPU time, and the lock lets one
# thread burn at a time). The elapsed ratio threads / processes is printed:
# about 2 on an idle 2-core machine (sum of the work vs the longest job),
# but it depends on how many cores are free, so it is not asserted there;
# a scheduled run (scenario time) asserts it exactly.
# covers: gil
. "$SRCDIR/tests/catalog/lib.sh"
cat_init gil
cat_run run "$T/gil.scn"
all_held
want "completes: t.1, t.2, p.1, p.2 and main done" '.stop == "finished" and
    [.workers[] | [.name, .kind, .state]] == [["t.1", "thread", "done"],
    ["t.2", "thread", "done"], ["p.1", "process", "done"],
    ["p.2", "process", "done"], ["main", "main", "done"]]'
want "GIL had one holder at a time" '.max_holders.GIL == 1'
note "elapsed (whole run): $(jv .elapsed_ms) ms"

cat_record rec "$T/gil.scn"
all_held
# [start, end] of each compute of worker W, in ns.
intervals='def iv(w): [.[] | select(.worker == w and
    (.type == "compute" or .type == "awake")) | .time] |
    [range(0; length; 2) as $k | [.[$k], .[$k + 1]]];
    def overlap(a; b): [a[] as $x | b[] | select($x[0] < .[1] and
    .[0] < $x[1])] | length > 0;'
phases='def at(t; o): [.[] | select(.worker == "main" and .type == t and
    .object == o)][0].time;
    ((at("joined"; "t.2") - at("start"; "t.1")) / 1e6) as $threads |
    ((at("joined"; "p.2") - at("start"; "p.1")) / 1e6) as $procs |'
ev_want "threads: 15 computes each, never two at once (GIL)" \
    "$intervals (iv(\"t.1\") | length) == 15 and (iv(\"t.2\") | length) == 15
    and (overlap(iv(\"t.1\"); iv(\"t.2\")) | not)"
ev_want "threads: one waited for GIL while the other computed" \
    '[.[] | select(.type == "lock-wait" and .object == "GIL")] | length >= 1'
ev_want "processes: 15 computes each, running at the same time" \
    "$intervals (iv(\"p.1\") | length) == 15 and (iv(\"p.2\") | length) == 15
    and overlap(iv(\"p.1\"); iv(\"p.2\"))"
ratio=$(evv "$phases \"\\(\$threads | floor) \\(\$procs | floor) \\(\$threads / \$procs * 100 | floor / 100)\"")
set -- $ratio
note "threads phase ${1:-?} ms, processes phase ${2:-?} ms," \
    "ratio threads/processes = ${3:-?} (work: 2 x 300 ms)"
ev_want "threads phase >= the sum of the work (600 ms)" \
    "$phases \$threads >= 600"
# The scenario prints its own figures, read with `now` around each phase.
ev_want "main prints both phases' times and their ratio, consistent" \
    '[.[] | select(.type == "print" and .worker == "main") | .text |
    capture("^threads (?<t>[0-9]+) ms, processes (?<p>[0-9]+) ms, ratio (?<r>[0-9]+[.][0-9][0-9])$")] |
    length == 1 and (.[0] | (.t | tonumber) >= 600 and
    (.r | tonumber * 100 | round) ==
    ((.t | tonumber) * 100 / (.p | tonumber) | floor))'
note "printed by the scenario: $(evv '.[] | select(.type == "print") | .text')"

# Scheduled (--seed): compute takes its duration of scenario time, so the
# lesson holds exactly: threads 600 ms (one at a time under GIL),
# processes 300 ms (side by side), ratio 2. Event stamps are scenario time
# plus 1 ns per event, hence the rounding.
cat_record sched "$T/gil.scn" --seed 7
all_held
want "scenario time: 900 ms in all (600 + 300)" '.scenario_ns == 900000000'
ev_want "scheduled: threads phase 600 ms, processes 300 ms, ratio 2" \
    "$phases (\$threads | round) == 600 and (\$procs | round) == 300 and
    (\$threads / \$procs - 2 | fabs) < 0.001"
ev_want "scheduled threads: never two computes at once" \
    "$intervals (overlap(iv(\"t.1\"); iv(\"t.2\")) | not)"
ev_want "scheduled processes: computing at the same time" \
    "$intervals overlap(iv(\"p.1\"); iv(\"p.2\"))"
cat_finish
