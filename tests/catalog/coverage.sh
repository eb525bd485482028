#!/bin/sh
# tests/catalog/coverage.sh: the catalog and its tests stay complete.
# Every one of the scenarios of the catalog (SCENARIOS.md) has a file in
# scenarios/; every scenarios/*.scn is covered by a test here (its
# "# covers:" line); every test here is registered in tests/catalog.am.
# covers:
. "$SRCDIR/tests/catalog/lib.sh"
cat_init
catalog="race-processes race-threads counter-lock counter-semaphore2
counter-atomic ten-clocks manager-server join-pitfall queue-clock
bounded-buffer pipe-clock pipe-duplex semaphore-pool rlock
condition-notify lost-wakeup thread-local deadlock-two-locks
lock-ordering-fix lock-order-inversion dining-philosophers socket-echo
named-pipe message-queue shared-memory-sum mmap-file process-pool gil
daemon-and-timeout barrier nonblocking-acquire process-copy pool-map
manager-value-race manager-list pipe-shared-end"
count=0
for n in $catalog; do
	count=$((count + 1))
	[ -f "$SRCDIR/scenarios/$n.scn" ] || bad "catalog scenario $n: no scenarios/$n.scn"
done
[ $count -eq 36 ] && ok "the catalog lists 36 scenarios" ||
    bad "the catalog list has $count names"

covered=$(sed -n 's/^# covers://p' "$SRCDIR"/tests/catalog/*.sh | tr ' ' '\n' |
    sed '/^$/d' | sort)
for f in "$SRCDIR"/scenarios/*.scn; do
	n=$(basename "$f" .scn)
	echo "$covered" | grep -qxF "$n" && ok "$n is tested" ||
	    bad "$n: no tests/catalog/*.sh covers it"
done
for n in $covered; do
	[ -f "$SRCDIR/scenarios/$n.scn" ] ||
	    bad "a test covers $n, which is not in scenarios/"
done
dup=$(echo "$covered" | uniq -d)
[ -z "$dup" ] || bad "covered twice: $dup"

am=$SRCDIR/tests/catalog.am
for f in "$SRCDIR"/tests/catalog/*.sh; do
	b=tests/catalog/$(basename "$f")
	grep -qF "$b" "$am" && ok "$b is in tests/catalog.am" ||
	    bad "$b is not in tests/catalog.am"
done
cat_finish
