/*
 * runtime/run-cmd.c: `lockstep run FILE --headless [options]`.
 *
 *   --headless        run without a UI (also the default: `lockstep run`
 *                     has no UI; the live view is `lockstep FILE`)
 *   --json            print one JSON object instead of the summary
 *   --tempo MS        delay per statement (default 0: full speed)
 *   --timeout S       give up after S seconds (default 30; 0 = never)
 *   --seed N          step mode: one statement at a time, each step chosen
 *                     by a PRNG seeded with N (a reproducible interleaving)
 *   --schedule FILE   step mode replaying FILE: worker names or indices,
 *                     one per line (# comments); after its last entry the
 *                     seeded policy goes on
 *   --lossy           drop events when a ring is full (counted) instead of
 *                     making workers wait
 *   -q, --quiet       no live `print` output in the human summary mode
 *
 * Exit status: 0 every expectation held, 1 an expectation failed (or an
 * unexpected deadlock, stall, crash, error or timeout), 2 usage error or
 * invalid scenario (diagnostics as `lockstep check` prints them), 3 the run
 * could not be carried out.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "export/tracefile.h"
#include "runtime/headless.h"
#include "util/xmalloc.h"

static void
run_cmd_usage(FILE *f)
{
	fprintf(f,
"Usage: lockstep run FILE.scn [--headless] [--json] [--tempo MS]\n"
"                    [--timeout S] [--seed N] [--schedule FILE] [--lossy]\n"
"Run a scenario without a UI and print a summary and a verdict.\n"
"Exit status: 0 every expectation held, 1 one failed, 2 usage error or\n"
"invalid scenario, 3 the run could not be carried out.\n");
}

/* Live output of `print` statements in the human mode. */
static void
run_cmd_events(void *arg, struct run *run, const struct trace_event *ev,
    size_t n)
{
	const struct trace_meta	*meta = arg;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (ev[i].type != TRACE_PRINT)
			continue;
		printf("[%s] %s\n", ev[i].worker < meta->nworkers ?
		    meta->workers[ev[i].worker].name : "?",
		    run_string(run, ev[i].a0));
	}
	fflush(stdout);
}

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "headless", no_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "tempo", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "seed", required_argument, NULL, 's' },
		{ "schedule", required_argument, NULL, 'S' },
		{ "lossy", no_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct headless_opts	 o;
	struct headless_result	 res;
	struct scn_diags	 diags;
	struct scn_file		*file;
	struct trace_meta	 meta;
	const char		*schedule_path = NULL;
	uint16_t		*schedule = NULL;
	size_t			 nschedule = 0;
	char			*end, *cause = NULL;
	double			 timeout = 30.0;
	long			 tempo = 0;
	int			 ch, json = 0, quiet = 0, status;

	memset(&o, 0, sizeof o);
	while ((ch = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			break;
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			errno = 0;
			tempo = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || tempo < 0 ||
			    tempo > 600000) {
				fprintf(stderr, "lockstep: bad --tempo '%s' "
				    "(milliseconds per statement)\n", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'T':
			errno = 0;
			timeout = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || timeout < 0 ||
			    timeout > 1e6) {
				fprintf(stderr, "lockstep: bad --timeout '%s' "
				    "(seconds)\n", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 's':
			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (errno != 0 || *end != '\0' || *optarg == '-') {
				fprintf(stderr, "lockstep: bad --seed '%s'\n",
				    optarg);
				return (EXIT_USAGE);
			}
			o.stepped = 1;
			break;
		case 'S':
			schedule_path = optarg;
			o.stepped = 1;
			break;
		case 'l':
			o.lossy = 1;
			break;
		case 'h':
			run_cmd_usage(stdout);
			return (0);
		default:
			run_cmd_usage(stderr);
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		run_cmd_usage(stderr);
		return (EXIT_USAGE);
	}

	memset(&diags, 0, sizeof diags);
	if ((file = scenario_load(argv[0], &diags)) == NULL) {
		scenario_diags_print(&diags, argv[0], NULL, stderr);
		scenario_diags_done(&diags);
		return (EXIT_USAGE);
	}
	scenario_diags_done(&diags);
	scenario_meta_build(file, &meta);
	if (schedule_path != NULL && tracefile_read_schedule(schedule_path,
	    &meta, &schedule, &nschedule, &cause) != 0) {
		fprintf(stderr, "lockstep: %s\n", cause);
		free(cause);
		trace_meta_done(&meta);
		scenario_free(file);
		return (EXIT_USAGE);
	}

	o.tempo_ms = (int)tempo;
	o.timeout_ms = (int)(timeout * 1000.0);
	o.schedule = schedule;
	o.nschedule = nschedule;
	if (!json && !quiet) {
		o.on_events = run_cmd_events;
		o.arg = &meta;
	}
	if (headless_run(file, &meta, &o, &res, &cause) != 0) {
		fprintf(stderr, "lockstep: %s: %s\n", argv[0], cause);
		free(cause);
		free(schedule);
		trace_meta_done(&meta);
		scenario_free(file);
		return (EXIT_RUNTIME);
	}
	headless_judge(file, &meta, &res);
	if (json)
		headless_print_json(stdout, &meta, &res);
	else
		headless_print_text(stdout, &meta, &res);
	fflush(stdout);
	status = res.pass ? 0 : EXIT_EXPECT;
	headless_result_done(&res);
	free(schedule);
	trace_meta_done(&meta);
	scenario_free(file);
	return (status);
}
