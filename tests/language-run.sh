#!/bin/sh
# tests/language-run.sh: the textbook statements do what they say when run.
# `assert` fails the run at its line with the values it compared; a try
# that finds the lock taken stores 0 and the worker goes on; a timed lock
# that gives up stores 0 (and `if ok:` keeps the unlock valid); Downey's
# `signal S 2` / `wait S` are release and acquire; `sleep copy * 10ms`
# sleeps an expression; a negative repeat count computed at run time is
# an error. The orders are forced: the holder takes A before the trier
# tries (the trier starts only after the holder's `start`).
. "$SRCDIR/tests/catalog/lib.sh"
cat_init

cat >"$T/assert.scn" <<'SCN'
title "assert"
shared int inside = 0
thread t:
    x = 2
    inside += 3
    assert x * 2 == 4
    assert inside + x <= 4
    print "not reached"
SCN
cat_run assert "$T/assert.scn"
want "a false assert fails the run" '.verdict == "fail"'
want "the error names the line, the text and both values" \
    '.errors == [{"worker": "t", "line": 7,
    "text": "line 7: assertion failed: inside + x <= 4 (5 <= 4)"}]'
want "a true assert goes on, a false one ends the worker" \
    '.workers[0].exit_status == 1 and .workers[0].line == 7'

cat >"$T/try.scn" <<'SCN'
title "tries"
mutex A
semaphore S = 0
queue Q(2)
thread holder:
    lock A
    start trier
    join trier
    unlock A
thread trier:
    ok = lock A blocking false
    print "try {ok} locked {locked A}"
    ok = lock A timeout 30ms
    print "timed {ok}"
    if ok:
        unlock A
    got = acquire S blocking false
    signal S 2
    wait S
    got2 = acquire S timeout 1s
    print "sem {got} {got2} {locked A}"
    put Q 7
    a = try get Q
    b = try get Q
    print "queue {a} {b}"
expect completes
expect value S == 0
SCN
cat_record try "$T/try.scn"
all_held
ev_want "the failed try returns 0 and the worker goes on" \
    '[.[] | select(.type == "print") | .text] ==
    ["try 0 locked 1", "timed 0", "sem 0 1 1", "queue 7 -1"]'
ev_want "both failed lock attempts show as a wait then a timeout" \
    '[.[] | select(.worker == "trier" and .object == "A") | .type] ==
    ["lock-wait", "lock-timeout", "lock-wait", "lock-timeout"]'
ev_want "signal S 2 is two releases" \
    '[.[] | select(.type == "sem-release")] | length == 2'

cat >"$T/dur.scn" <<'SCN'
title "durations"
thread w x3:
    sleep copy * 10ms + 1ms
    n = 2 - copy * 2
    repeat n:
        pass
SCN
cat_record dur "$T/dur.scn"
ev_want "sleep copy * 10ms + 1ms sleeps 11, 21 and 31 ms" \
    '[.[] | select(.type == "sleep") | .a0] | sort ==
    [11000000, 21000000, 31000000]'
want "copies 2 and 3 fail at the negative repeat, copy 1 repeats 0 times" \
    '[.errors[] | .text] | sort ==
    ["line 5: repeat -2: a repeat count cannot be negative",
    "line 5: repeat -4: a repeat count cannot be negative"]'
# expect max/min: over the run, not at the end. Four holders of a
# semaphore(4) meet at a barrier(4) inside, so `inside` reaches 4 in every
# run; with a semaphore(1) it never passes 1.
cat >"$T/max4.scn" <<'SCN'
title "max fires"
semaphore room = 4
barrier B(4)
shared int inside = 0
thread t x4:
    wait room
    atomic inside += 1
    wait B
    atomic inside -= 1
    signal room
expect max inside <= 3
expect max inside == 4
expect min inside == 0
expect inside == 0
SCN
cat_run max4 "$T/max4.scn"
want "max inside <= 3 fails: four were inside at once" \
    '.verdict == "fail" and ([.expectations[] | select(.held | not) |
    .text] == ["expect max inside <= 3"])'
sed 's/room = 4/room = 1/; s/barrier B(4)/barrier B(1)/' "$T/max4.scn" \
    >"$T/max1.scn"
cat_run max1 "$T/max1.scn"
want "with one slot, max inside <= 3 holds (and == 4 does not)" \
    '[.expectations[] | select(.held | not) | .text] ==
    ["expect max inside == 4"]'
# mark / expect a before b: Downey's rendezvous orders a1 before b2 and
# b1 before a2 in every run; without it, main's b2 comes first because A
# only starts after it (forced by start/join).
cat >"$T/rendezvous.scn" <<'SCN'
title "rendezvous"
semaphore a_arrived = 0, b_arrived = 0
thread A:
    mark a1
    signal a_arrived
    wait b_arrived
    mark a2
thread B:
    mark b1
    signal b_arrived
    wait a_arrived
    mark b2
expect a1 before b2
expect b1 before a2
expect a2 after b1
expect completes
SCN
cat_run rendezvous "$T/rendezvous.scn"
all_held
want "marks count how often they were reached" \
    '[.shared[] | select(.name | test("^[ab][12]$")) | .value] == [1, 1, 1, 1]'
cat >"$T/no-rendezvous.scn" <<'SCN'
title "b2 first"
thread A:
    mark a1
main:
    mark b2
    start A
    join A
expect a1 before b2
expect b2 before a1
SCN
cat_record order "$T/no-rendezvous.scn"
want "a1 before b2 fails when b2 came first; b2 before a1 holds" \
    '[.expectations[] | [.text, .held]] == [["expect a1 before b2", false],
    ["expect b2 before a1", true]]'
# get(timeout=): nothing comes within 20 ms (-1), the item comes within
# the next 100 ms; scheduled, so the producer's 50 ms sleep is exact.
cat >"$T/timed-get.scn" <<'SCN'
title "get with a timeout"
queue Q(2)
shared int first = 0
shared int second = 0
thread producer:
    sleep 50ms
    put Q 7
thread consumer:
    x = get Q timeout 20ms
    first = x
    y = get Q timeout 100ms
    second = y
expect first == -1
expect second == 7
expect completes
SCN
cat_record timed "$T/timed-get.scn" --seed 1
all_held
ev_want "the first get gives up (chan-timeout), the second gets 7" \
    '[.[] | select(.worker == "consumer" and (.type | startswith("chan-")))
    | .type] == ["chan-get-wait", "chan-timeout", "chan-get-wait",
    "chan-get"]'
ev_want "the first wait's a0 is its timeout" \
    '[.[] | select(.type == "chan-get-wait")][0].a0 == 20000000'
cat_finish
