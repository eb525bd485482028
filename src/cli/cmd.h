/*
 * cli/cmd.h: the commands of the lockstep program.
 *
 * main.c parses the global options and hands argv (starting at the command
 * word, or at the file for the live view) to one of these. Each parses its
 * own options with getopt_long and returns the process exit status:
 *
 *   0  success: the scenario is valid / every expectation held
 *   1  an expectation failed (including an unexpected deadlock or stall)
 *   2  usage error, invalid scenario or trace file, unreadable input
 *   3  the run could not be carried out (fork, mmap, OS object failed)
 */
#ifndef LOCKSTEP_CLI_CMD_H
#define LOCKSTEP_CLI_CMD_H

#include <stdio.h>

#define EXIT_EXPECT	1
#define EXIT_USAGE	2
#define EXIT_RUNTIME	3

int	cmd_check(int argc, char **argv);	/* cli/check-cmd.c */
int	cmd_list(int argc, char **argv);	/* cli/list-cmd.c */
int	cmd_run(int argc, char **argv);		/* cli/run-cmd.c */
int	cmd_record(int argc, char **argv);	/* cli/run-cmd.c */
int	cmd_export(int argc, char **argv);	/* cli/export-cmd.c */
int	cmd_ui(int argc, char **argv);		/* cli/ui-cmd.c: picker / live */
int	cmd_replay(int argc, char **argv);	/* cli/ui-cmd.c */
int	cmd_trace(int argc, char **argv);	/* cli/trace-cmd.c */
int	cmd_explore(int argc, char **argv);	/* cli/explore-cmd.c */

/* After getopt has named a bad option: the GNU hint, not the whole help. */
static inline void
cmd_try_help(const char *command)
{
	fprintf(stderr, "Try 'lockstep%s%s --help' for more information.\n",
	    command != NULL ? " " : "", command != NULL ? command : "");
}

#endif
