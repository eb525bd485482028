/*
 * cli/list-cmd.c: `lockstep list`, the scenario catalog one line each.
 *
 * The scan itself (directories, names, titles from the lexer's tokens) is
 * scenario/catalog.c; this is only the command's options and its output,
 * every string escaped on its way to the terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd.h"
#include "scenario/catalog.h"
#include "util/esc.h"

/* lockstep list [--paths]: the catalog, one line each. */
int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "paths", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct catalog	 c;
	size_t		 i;
	char		*dirs;
	char		*name;
	int		 ch, paths = 0;

	while ((ch = getopt_long(argc, argv, "ph", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			paths = 1;
			break;
		case 'h':
			printf("Usage: lockstep list [--paths]\n"
			    "List the scenario catalog: name, title and summary "
			    "(with --paths, the file\ninstead of the summary). "
			    "Searched: $LOCKSTEP_SCENARIOS, ./scenarios,\n"
			    "$XDG_DATA_HOME/lockstep/scenarios, %s/"
			    "scenarios.\n", PKGDATADIR);
			return (0);
		default:
			cmd_try_help("list");
			return (EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "lockstep list: unexpected argument '%s'\n",
		    argv[optind]);
		return (EXIT_USAGE);
	}
	catalog_scan(&c);
	if (c.n == 0) {
		dirs = catalog_dirs();
		fprintf(stderr, "lockstep list: no scenarios found "
		    "(looked in %s)\n", dirs);
		free(dirs);
		catalog_done(&c);
		return (EXIT_USAGE);
	}
	for (i = 0; i < c.n; i++) {
		/* Names and texts escaped: a title with ESC in it must not
		   reach the terminal raw (util/esc.h). */
		name = esc_str(c.v[i].name);
		printf("%-26s ", name);
		free(name);
		esc_fputs(c.v[i].title, stdout);
		if (paths) {
			fputs("  (", stdout);
			esc_fputs(c.v[i].path, stdout);
			putchar(')');
		} else if (*c.v[i].summary != '\0') {
			fputs(" - ", stdout);
			esc_fputs(c.v[i].summary, stdout);
		}
		putchar('\n');
	}
	catalog_done(&c);
	return (0);
}
