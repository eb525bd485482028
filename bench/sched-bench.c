/*
 * bench/sched-bench.c: how fast a scheduled run hands the turn over.
 *
 * Two workers (threads, then processes) each run `repeat N: counter += 1`
 * (two steps per iteration: the load, then the store). Three ways:
 *
 *   seeded      headless --seed: the workers pass the turn among
 *               themselves by the seeded policy (delegated hand-off),
 *               the front end reads events between batches;
 *   front end   run_step(-1) in a loop: every step is a round trip
 *               through the front end (as stepping in the live view);
 *   free        headless without a seed: free-running, wall clock.
 *
 * Scheduled figures are steps/s (steps = the choices made), free-running
 * ones events/s, both over wall time (machine load shows in them).
 *
 *   bench/sched-bench [N]     (default N = 100000 iterations per worker)
 *
 * Prints a table, then one JSON object on the last line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "runtime/headless.h"
#include "runtime/run.h"
#include "scenario/ast.h"
#include "scenario/exec.h"

static uint64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}

static struct scn_file *
load(const char *text, struct trace_meta *meta)
{
	struct scn_diags	 d;
	struct scn_file		*f;

	memset(&d, 0, sizeof d);
	if ((f = scenario_load_text("bench.scn", text, strlen(text), &d)) ==
	    NULL) {
		scenario_diags_print(&d, "bench.scn", text, stderr);
		exit(1);
	}
	scenario_diags_done(&d);
	scenario_meta_build(f, meta);
	return (f);
}

/* Headless, seeded (stepped) or free: per second of wall time, steps
   (stepped) or events (free). */
static double
headless_rate(const char *text, int stepped, uint64_t *count)
{
	struct headless_opts	 o;
	struct headless_result	 res;
	struct trace_meta	 meta;
	struct scn_file		*f;
	char			*cause = NULL;
	size_t			 n;
	uint64_t		 t0, t;

	f = load(text, &meta);
	memset(&o, 0, sizeof o);
	o.stepped = stepped;
	o.seed = 42;
	o.timeout_ms = 120000;
	t0 = now_ns();
	if (headless_run(f, &meta, &o, &res, &cause) != 0) {
		fprintf(stderr, "sched-bench: %s\n", cause);
		exit(1);
	}
	t = now_ns() - t0;
	if (stepped) {
		run_choices(res.run, &n);
		*count = n;
	} else
		*count = res.events;
	headless_result_done(&res);
	trace_meta_done(&meta);
	scenario_free(f);
	return ((double)*count * 1e9 / (double)t);
}

/* Every step a round trip through the front end: steps per second. */
static double
frontend_rate(const char *text, uint64_t *count)
{
	struct run_options	 o;
	struct trace_meta	 meta;
	struct trace_event	 buf[4096];
	struct scn_file		*f;
	struct run		*run;
	char			*cause = NULL;
	uint64_t		 t0, t, steps = 0;

	f = load(text, &meta);
	memset(&o, 0, sizeof o);
	o.paused = 1;
	o.seed = 42;
	run = run_create(f, &meta, &o);
	if (run_start(run, &cause) != 0) {
		fprintf(stderr, "sched-bench: %s\n", cause);
		exit(1);
	}
	t0 = now_ns();
	while (run_step(run, -1) >= 0) {
		if ((++steps & 255) == 0)
			while (run_read(run, buf, 4096) > 0)
				;
	}
	t = now_ns() - t0;
	while (!run_finished(run)) {
		while (run_read(run, buf, 4096) > 0)
			;
		run_wait(run, 10);
	}
	run_free(run);
	trace_meta_done(&meta);
	scenario_free(f);
	*count = steps;
	return ((double)steps * 1e9 / (double)t);
}

int
main(int argc, char **argv)
{
	static const char *const kinds[] = { "thread", "process" };
	char		 text[256];
	double		 seeded[2], fe[2], freer[2];
	uint64_t	 ns[2], nf[2], ne[2];
	long		 n = 100000;
	int		 k;

	if (argc > 1)
		n = strtol(argv[1], NULL, 10);
	if (n <= 0)
		n = 100000;
	for (k = 0; k < 2; k++) {
		snprintf(text, sizeof text, "shared int counter = 0\n"
		    "%s adder x2:\n    repeat %ld:\n        counter += 1\n",
		    kinds[k], n);
		seeded[k] = headless_rate(text, 1, &ns[k]);
		fe[k] = frontend_rate(text, &nf[k]);
		freer[k] = headless_rate(text, 0, &ne[k]);
	}
	printf("2 workers x %ld `counter += 1` (wall time; machine load "
	    "shows)\n", n);
	printf("%-10s %16s %16s %16s\n", "workers", "seeded steps/s",
	    "front end st/s", "free events/s");
	for (k = 0; k < 2; k++)
		printf("%-10s %16.0f %16.0f %16.0f\n", kinds[k], seeded[k],
		    fe[k], freer[k]);
	printf("{\"bench\":\"sched\",\"n\":%ld,"
	    "\"thread_seeded_steps_per_s\":%.0f,"
	    "\"thread_frontend_steps_per_s\":%.0f,"
	    "\"thread_free_events_per_s\":%.0f,"
	    "\"process_seeded_steps_per_s\":%.0f,"
	    "\"process_frontend_steps_per_s\":%.0f,"
	    "\"process_free_events_per_s\":%.0f}\n", n, seeded[0], fe[0],
	    freer[0], seeded[1], fe[1], freer[1]);
	return (0);
}
