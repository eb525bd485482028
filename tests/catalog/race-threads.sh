#!/bin/sh
# tests/catalog/race-threads.sh: two threads, one counter, no lock.
# Lost updates at full speed in most runs, and one lost update forced in
# step mode by a schedule (load, load, store, store). See cat_race.
# covers: race-threads
. "$SRCDIR/tests/catalog/lib.sh"
cat_init race-threads
cat_race race-threads
want "adders are threads" '[.workers[].kind] == ["thread", "thread"]'
cat_finish
