#!/bin/sh
# tests/catalog/race-processes.sh: two processes, one counter, no lock.
# Lost updates at full speed in most runs, and one lost update forced in
# step mode by a schedule (load, load, store, store). See cat_race.
# covers: race-processes
. "$SRCDIR/tests/catalog/lib.sh"
cat_init race-processes
cat_race race-processes
want "adders are processes" '[.workers[].kind] == ["process", "process"]'
cat_finish
