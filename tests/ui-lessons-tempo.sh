#!/bin/sh
# tests/ui-lessons-tempo.sh: tests/ui-lessons.sh, animated at the default
# tempo.
exec sh "${SRCDIR:-.}/tests/ui-lessons.sh" tempo
