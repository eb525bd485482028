#!/bin/sh
# tests/ui-lessons-step.sh: tests/ui-lessons.sh, stepped with n only.
exec sh "${SRCDIR:-.}/tests/ui-lessons.sh" step
