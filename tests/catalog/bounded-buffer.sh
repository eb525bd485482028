#!/bin/sh
# tests/catalog/bounded-buffer.sh: 2 producers, 2 consumers, a queue of 4.
# No item lost or duplicated (the 40 items got are exactly 101..120 and
# 201..220, total 6420), producers blocked on the full queue and consumers
# on the empty one.
# covers: bounded-buffer
. "$SRCDIR/tests/catalog/lib.sh"
cat_init bounded-buffer
cat_run run "$T/bounded-buffer.scn"
all_held
want "total == 6420 (every item once)" \
    '.shared[] | select(.name == "total") | .value == 6420'
held "max_len buf == 4"
held "max_waiters buf >= 2"
want "all four workers done" '.stop == "finished" and
    ([.workers[] | .state] | length == 4 and all(. == "done"))'
cat_record rec "$T/bounded-buffer.scn"
all_held
ev_want "the items got are exactly 101..120 and 201..220, each once" \
    '[.[] | select(.type == "chan-get" and .object == "buf") | .a0] | sort
    == ([range(101; 121)] + [range(201; 221)])'
ev_want "each producer put its items in order" \
    '([.[] | select(.type == "chan-put" and .worker == "producer.1") | .a0]
    == [range(101; 121)]) and
    ([.[] | select(.type == "chan-put" and .worker == "producer.2") | .a0]
    == [range(201; 221)])'
ev_want "full: a producer blocked putting into buf" \
    '[.[] | select(.type == "chan-put-wait" and .object == "buf" and
    (.worker | startswith("producer.")))] | length >= 1'
ev_want "empty: a consumer blocked getting from buf" \
    '[.[] | select(.type == "chan-get-wait" and .object == "buf" and
    (.worker | startswith("consumer.")))] | length >= 1'
note "put-waits $(evv '[.[] | select(.type == "chan-put-wait")] | length')," \
    "get-waits $(evv '[.[] | select(.type == "chan-get-wait")] | length')"
cat_finish
