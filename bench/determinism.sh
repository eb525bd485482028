#!/bin/sh
# bench/determinism.sh: tests/determinism.sh at the size: every
# catalog scenario, 3 seeds, 20 runs each with identical JSONL exports,
# plus the replay of a recording. Too slow for make check on 2 cores, so
# .ci/run runs it as its own stage. FULL=1 also runs the 100000-iteration
# scenarios at full size (about 10 minutes more).
#   LOCKSTEP=src/lockstep SRCDIR=. sh bench/determinism.sh
: "${REPS:=20}"
export REPS
exec sh "${SRCDIR:-.}/tests/determinism.sh"
