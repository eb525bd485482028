/*
 * main.c: the lockstep command line.
 *
 *   lockstep                         the scenario picker
 *   lockstep FILE.scn                the live view, paused at the start
 *   lockstep run FILE.scn --headless run without a UI, print a verdict
 *   lockstep check FILE.scn...       validate scenarios
 *   lockstep list                    the catalog, one line each
 *   lockstep record FILE.scn -o T    run and save the trace
 *   lockstep replay T                step through a saved trace
 *   lockstep trace -- PROG           watch and step a real C program
 *   lockstep export T --format F     Chrome JSON, DOT or JSON lines
 *
 * Global options come before the command; each command parses the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cli/cmd.h"
#include "scenario/catalog.h"
#include "util/log.h"

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: lockstep [OPTION]... [FILE.scn [--schedule TRACE]]\n"
"       lockstep COMMAND [ARG]...\n"
"Watch real threads and processes race, lock, wait and deadlock, one step\n"
"at a time.\n"
"\n"
"With no FILE, open the scenario picker (the installed catalog plus\n"
"./scenarios). With FILE, open it in the live view, paused at its first\n"
"statement; with --schedule, n steps by a saved schedule (explore -o).\n"
"\n"
"Commands:\n"
"  run FILE --headless [--json] [--tempo MS] [--timeout S] [--seed N]\n"
"                     [--schedule FILE] [--lossy] [-o TRACE] [-q]\n"
"                     run without a UI; print a summary and a verdict\n"
"  check [-v] FILE... parse and validate; errors as FILE:LINE:COL\n"
"                     (-v: print \"FILE: ok\" for each valid file)\n"
"  list [--paths]     the scenario catalog, one line each (--paths: files)\n"
"  record FILE -o TRACE [run options]   run headless and save the trace\n"
"  replay TRACE       open a saved trace in the live view\n"
"  trace [--headless [--json]] -- PROGRAM [ARGS]\n"
"                     run a real C program under lockstep's tracer\n"
"  export TRACE --format chrome|dot|jsonl [-o OUT] [--at N]\n"
"  explore FILE [--preemptions K] [--max-schedules N] [--time-limit S]\n"
"               [--json] [-o FOUND]\n"
"                     search the interleavings: every outcome, and the\n"
"                     failing schedule with the fewest preemptions\n"
"\n"
"Options:\n"
"  -t, --theme NAME   colour theme: default, contrast, mono\n"
"  -v, --log FILE     write a debug log to FILE (also LOCKSTEP_LOG)\n"
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n"
"\n"
"Exit status: 0 success, 1 an expectation failed, 2 usage error or\n"
"invalid input, 3 the run could not be carried out.\n"
"\n"
"A FILE that does not exist may name a catalog scenario: 'lockstep barrier',\n"
"'lockstep run barrier --headless'. 'lockstep list' shows the catalog.\n"
"\n"
"Environment: NO_COLOR disables colour; LOCKSTEP_LOG names a log file;\n"
"LOCKSTEP_SCENARIOS adds scenario folders (also searched: ./scenarios,\n"
"$XDG_DATA_HOME/lockstep/scenarios and the installed catalog).\n"
"Report bugs to: " PACKAGE_BUGREPORT "\n");
}

static void
version(void)
{
	printf("lockstep %s\n"
	    "Copyright (C) 2026 the lockstep authors.\n"
	    "License ISC: <https://opensource.org/license/isc-license-txt>.\n"
	    "This is free software: you are free to change and redistribute "
	    "it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n",
	    PACKAGE_VERSION);
}

/* A word with no command of that name opens the live view if it can name
   a scenario: an existing path, something that looks like a path or a
   .scn file (so its own error is "cannot open"), or a catalog name. */
static int
names_scenario(const char *arg)
{
	struct stat	 sb;
	size_t		 len = strlen(arg);
	char		*path;

	if (stat(arg, &sb) == 0 || strchr(arg, '/') != NULL ||
	    (len > 4 && strcmp(arg + len - 4, ".scn") == 0))
		return (1);
	if ((path = catalog_find(arg)) == NULL)
		return (0);
	free(path);
	return (1);
}

static const struct {
	const char	*name;
	int		 (*fn)(int, char **);
} commands[] = {
	{ "run", cmd_run },
	{ "check", cmd_check },
	{ "list", cmd_list },
	{ "record", cmd_record },
	{ "replay", cmd_replay },
	{ "export", cmd_export },
	{ "trace", cmd_trace },
	{ "explore", cmd_explore },
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "log", required_argument, NULL, 'v' },
		{ "theme", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	size_t	 i;
	int	 ch;

	log_open(getenv("LOCKSTEP_LOG"));
	/* '+': stop at the first non-option so commands get their own. */
	while ((ch = getopt_long(argc, argv, "+hVv:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return (0);
		case 'V':
			version();
			return (0);
		case 'v':
			log_open(optarg);
			break;
		case 't':
			setenv("LOCKSTEP_THEME", optarg, 1);
			break;
		default:
			cmd_try_help(NULL);
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (argc > 0) {
		for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
			if (strcmp(argv[0], commands[i].name) == 0) {
				optind = 0;	/* reset getopt for the command */
				return (commands[i].fn(argc, argv));
			}
		}
		if (!names_scenario(argv[0])) {
			fprintf(stderr, "lockstep: '%s' is not a command, a "
			    "scenario file or a catalog scenario\n", argv[0]);
			cmd_try_help(NULL);
			return (EXIT_USAGE);
		}
	}
	/* No command word: the picker, or the live view on a file. */
	optind = 0;
	return (cmd_ui(argc, argv));
}
