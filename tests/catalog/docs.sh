#!/bin/sh
# tests/catalog/docs.sh: every scenario documents itself: a non-empty
# title, a non-empty about """...""" block, at least one note caption and
# at least one expect; and every scenario is described in doc/scenarios.md.
# covers:
. "$SRCDIR/tests/catalog/lib.sh"
cat_init
for f in "$SRCDIR"/scenarios/*.scn; do
	n=$(basename "$f" .scn)
	# Prints the problems of one file, nothing when it is complete.
	problems=$(awk '
	/^title "[^"]*[^" ][^"]*"/ { title++ }
	/^about """/ { inabout = 1; sub(/^about """/, "") }
	inabout {
		if (index($0, "\"\"\"") > 0) {
			sub(/""".*/, ""); inabout = 0; closed = 1
		}
		if ($0 ~ /[^ \t]/) abouttext++
		next
	}
	/note "[^"]+"/ { notes++ }
	/^expect / { expects++ }
	END {
		if (title != 1) print "title lines: " title + 0
		if (!closed) print "no closed about \"\"\" block"
		else if (!abouttext) print "about is empty"
		if (!notes) print "no note"
		if (!expects) print "no expect"
	}' "$f")
	if [ -z "$problems" ]; then
		ok "$n: title, about, $(grep -c 'note "' "$f") notes," \
		    "$(grep -c '^expect ' "$f") expects"
	else
		bad "$n: $(echo "$problems" | tr '\n' ';')"
	fi
	grep -q "\\b$n\\b" "$SRCDIR/doc/scenarios.md" &&
	    ok "$n: described in doc/scenarios.md" ||
	    bad "$n: not mentioned in doc/scenarios.md"
done
cat_finish
