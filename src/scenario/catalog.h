/*
 * scenario/catalog.h: the scenarios a user can pick from.
 *
 * The catalog is every *.scn file in, in order: the directories listed in
 * $LOCKSTEP_SCENARIOS (colon-separated), ./scenarios, the user's own
 * $XDG_DATA_HOME/lockstep/scenarios (~/.local/share/lockstep/scenarios when
 * XDG_DATA_HOME is unset), and the installed $(pkgdatadir)/scenarios. A
 * name found twice is listed once (the first wins, so a student's edited
 * copy in ./scenarios shadows the installed one). Titles and summaries
 * come from the lexer's tokens (top-level `title` and `about` strings),
 * not a full parse, so one broken file cannot hide the others.
 */
#ifndef LOCKSTEP_SCENARIO_CATALOG_H
#define LOCKSTEP_SCENARIO_CATALOG_H

#include <stddef.h>

struct catalog_entry {
	char	*path;		/* as found: "scenarios/rlock.scn" */
	char	*name;		/* file name without .scn: "rlock" */
	char	*title;		/* the title line, or the name */
	char	*summary;	/* first sentence of about, or "" */
};

struct catalog {
	struct catalog_entry	*v;
	size_t			 n;
};

/* Scan the catalog directories; entries sorted by name. */
void	catalog_scan(struct catalog *);
/* Scan only the given directories (colon-separated list). */
void	catalog_scan_dirs(struct catalog *, const char *dirs);
void	catalog_done(struct catalog *);
/* The file of the catalog scenario called name ("barrier" or
   "barrier.scn"; a name with a '/' is a path, never looked up), newly
   allocated, or NULL if the catalog has none. */
char	*catalog_find(const char *name);
/* The catalog directories, colon-separated, in search order (allocated). */
char	*catalog_dirs(void);

#endif
