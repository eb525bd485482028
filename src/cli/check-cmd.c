/*
 * cli/check-cmd.c: `lockstep check FILE...`.
 *
 * Parses and validates each file, never runs anything. Every error is
 * printed to stderr as "FILE:LINE:COL: error: message" followed by the
 * source line and a caret (gcc's layout), so editors can jump to it. The
 * exit status is 0 when every file is valid and 2 otherwise (and for a
 * usage error), as for every lockstep command given invalid input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd.h"
#include "scenario/ast.h"
#include "util/esc.h"

static void
check_usage(FILE *f)
{
	fprintf(f,
"Usage: lockstep check [-v] FILE.scn...\n"
"Parse and validate scenario files without running them.\n"
"\n"
"Each error is printed as FILE:LINE:COL: error: MESSAGE, with the line\n"
"and a caret under the column. Checking goes on after an error, so one\n"
"run lists every mistake it can find.\n"
"\n"
"  -v, --verbose   print \"FILE: ok\" for each valid file\n"
"  -h, --help      show this help and exit\n"
"\n"
"Exit status: 0 every file is valid, 2 an error was found or the\n"
"command line is wrong.\n");
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct scn_diags	 diags;
	struct scn_file		*f;
	int			 ch, verbose = 0, status = 0, i;

	while ((ch = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'v':
			verbose = 1;
			break;
		case 'h':
			check_usage(stdout);
			return (0);
		default:
			cmd_try_help("check");
			return (EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "lockstep check: no file given\n");
		check_usage(stderr);
		return (EXIT_USAGE);
	}
	for (i = optind; i < argc; i++) {
		diags.v = NULL;
		diags.n = 0;
		diags.source = NULL;
		if ((f = scenario_load(argv[i], &diags)) != NULL) {
			if (verbose) {
				esc_fputs(argv[i], stdout);
				fputs(": ok\n", stdout);
			}
			scenario_free(f);
		} else {
			scenario_diags_print(&diags, argv[i], NULL, stderr);
			status = EXIT_USAGE;
		}
		scenario_diags_done(&diags);
	}
	return (status);
}
