#!/bin/sh
# tests/catalog/join-pitfall.sh: join before start.
#  - join-pitfall: main joins the endless clock before starting the
#    printer: the printer has no event at all (not started) until main's
#    join times out; then it runs, main ends, the daemon clock is killed.
#  - join-pitfall-fixed: main starts both first: the printer starts before
#    main waits for anything, and no join times out.
# covers: join-pitfall join-pitfall-fixed
. "$SRCDIR/tests/catalog/lib.sh"
cat_init join-pitfall join-pitfall-fixed
cat_run run "$T/join-pitfall.scn"
all_held
want "completes: printer and main done, daemon clock killed" \
    '.stop == "finished" and [.workers[] | [.name, .state]] ==
    [["clock", "killed"], ["printer", "done"], ["main", "done"]]'
cat_record rec "$T/join-pitfall.scn"
all_held
ev_want "main's join on clock timed out" \
    '[.[] | select(.worker == "main" and .type == "join-timeout" and
    .object == "clock")] | length == 1'
ev_want "the printer did nothing before that: not started" \
    '([.[] | select(.type == "join-timeout")][0].i) as $to |
    [.[] | select(.worker == "printer" and .i < $to)] == []'
ev_want "main started the printer only after the timeout" \
    '([.[] | select(.type == "join-timeout")][0].i) <
    ([.[] | select(.worker == "main" and .type == "start" and
    .object == "printer")][0].i)'
ev_want "meanwhile the clock kept ticking" \
    '([.[] | select(.type == "join-timeout")][0].i) as $to |
    [.[] | select(.worker == "clock" and .type == "shared-store" and
    .i < $to)] | length >= 2'
note "pitfall: the printer's first line: $(evv '[.[] |
    select(.worker == "printer" and .type == "print")][0].text')"

cat_run fixed "$T/join-pitfall-fixed.scn"
all_held
want "fixed: completes, daemon clock killed" \
    '.stop == "finished" and [.workers[] | [.name, .state]] ==
    [["clock", "killed"], ["printer", "done"], ["main", "done"]]'
cat_record fixedrec "$T/join-pitfall-fixed.scn"
all_held
ev_want "fixed: main started clock and printer before joining anything" \
    '([.[] | select(.worker == "main" and .type == "start") | .object] ==
    ["clock", "printer"]) and
    ([.[] | select(.worker == "main" and .type == "start")][-1].i) <
    ([.[] | select(.worker == "main" and .type == "join-wait")][0].i)'
ev_want "fixed: no join timed out" \
    '[.[] | select(.type == "join-timeout")] == []'
note "fixed: the printer's first line: $(evv '[.[] |
    select(.worker == "printer" and .type == "print")][0].text')"
cat_finish
