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
 *   lockstep export T --format F     Chrome JSON, DOT or JSON lines
 *
 * Global options come before the command; each command parses the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "util/log.h"

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: lockstep [OPTION]... [FILE.scn]\n"
"       lockstep COMMAND [ARG]...\n"
"Watch real threads and processes race, lock, wait and deadlock, one step\n"
"at a time.\n"
"\n"
"With no FILE, open the scenario picker (the installed catalog plus\n"
"./scenarios). With FILE, open it in the live view, paused at its first\n"
"statement.\n"
"\n"
"Commands:\n"
"  run FILE --headless [--json] [--tempo MS] [--timeout S] [--seed N]\n"
"                     [--schedule FILE] [--lossy] [-o TRACE] [-q]\n"
"                     run without a UI; print a summary and a verdict\n"
"  check FILE...      parse and validate; errors as FILE:LINE:COL\n"
"  list               the scenario catalog, one line each\n"
"  record FILE -o TRACE [run options]   run headless and save the trace\n"
"  replay TRACE       open a saved trace in the live view\n"
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
"Environment: NO_COLOR disables colour; LOCKSTEP_LOG names a log file.\n"
"Report bugs to: " PACKAGE_BUGREPORT "\n");
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
			printf("lockstep %s\n", PACKAGE_VERSION);
			return (0);
		case 'v':
			log_open(optarg);
			break;
		case 't':
			setenv("LOCKSTEP_THEME", optarg, 1);
			break;
		default:
			usage(stderr);
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
	}
	/* No command word: the picker, or the live view on a file. */
	optind = 0;
	return (cmd_ui(argc, argv));
}
