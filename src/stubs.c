/*
 * stubs.c: commands not built yet. Each helper deletes its function from
 * here when its real one lands; this file goes away when it is empty.
 */
#include <stdio.h>

#include "cmd.h"

static int
not_yet(const char *what)
{
	fprintf(stderr, "lockstep: %s: not available in this build\n", what);
	return (EXIT_RUNTIME);
}

int cmd_check(int argc, char **argv) { (void)argc; (void)argv; return (not_yet("check")); }
int cmd_run(int argc, char **argv) { (void)argc; (void)argv; return (not_yet("run")); }
int cmd_record(int argc, char **argv) { (void)argc; (void)argv; return (not_yet("record")); }
int cmd_export(int argc, char **argv) { (void)argc; (void)argv; return (not_yet("export")); }
int cmd_ui(int argc, char **argv) { (void)argc; (void)argv; return (not_yet("the live view")); }
int cmd_replay(int argc, char **argv) { (void)argc; (void)argv; return (not_yet("replay")); }
