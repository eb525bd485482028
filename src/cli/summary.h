/*
 * cli/summary.h: the summary of a headless run, as the commands print it.
 *
 * headless_run() and headless_judge() (runtime/headless.h) run and judge;
 * these write the result: the human summary, or for --json one JSON
 * object.
 */
#ifndef LOCKSTEP_CLI_SUMMARY_H
#define LOCKSTEP_CLI_SUMMARY_H

#include <stdio.h>

#include "runtime/headless.h"
#include "trace/meta.h"

void	summary_print_text(FILE *, const struct trace_meta *,
	    const struct headless_result *);
void	summary_print_json(FILE *, const struct trace_meta *,
	    const struct headless_result *);

#endif
