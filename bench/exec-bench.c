/*
 * bench/exec-bench.c: cost of the interpreter per traced statement.
 *
 * Runs small scenarios headless at tempo 0 (gates open, lossless tracing,
 * the model applying every event on the front end) and measures, from the
 * events' own timestamps, the time from the worker's first to its last
 * event: ns per statement as the worker saw it. A plain C loop doing the
 * same increments on a volatile counter is the baseline; a lock/unlock
 * pair (its row is per pair: two statements, four events, three clock
 * reads with held stamps) shows what blocking statements cost. Also: the
 * whole
 * two-process race of the catalog (2 x 100000 non-atomic +=), its wall
 * time and how many updates were lost.
 *
 *   bench/exec-bench [N]     (default N = 1000000 statements)
 *
 * Prints a table, then one JSON object on the last line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>

#include "model/model.h"
#include "scenario/exec.h"
#include "sync/sync.h"
#include "runtime/headless.h"
#include "runtime/run.h"
#include "scenario/ast.h"

struct span {
	uint64_t	first, last;
	uint64_t	events;
};

static uint64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}

static void
on_events(void *arg, struct run *run, const struct trace_event *ev, size_t n)
{
	struct span	*s = arg;
	size_t		 i;

	(void)run;
	for (i = 0; i < n; i++) {
		if (ev[i].worker != 0)
			continue;
		if (ev[i].type == TRACE_WORKER_START)
			s->first = ev[i].time;
		if (ev[i].type == TRACE_WORKER_END)
			s->last = ev[i].time;
		s->events++;
	}
}

static void
ip_gate(void *arg)
{
	(void)arg;
}

static int
ip_start(void *arg, uint16_t first, int n, char **cause)
{
	(void)arg; (void)first; (void)n; (void)cause;
	return (-1);
}

static int
ip_join(void *arg, uint16_t w, int64_t timeout_ns, char **cause)
{
	(void)arg; (void)w; (void)timeout_ns; (void)cause;
	return (-1);
}

static int64_t
ip_intern(void *arg, const char *s, size_t len)
{
	(void)arg; (void)s; (void)len;
	return (0);
}

static int64_t
ip_note(void *arg, const struct scn_stmt *st)
{
	(void)arg; (void)st;
	return (0);
}

static void __attribute__((noreturn))
ip_crash(void *arg)
{
	(void)arg;
	abort();
}

static const struct exec_hooks ip_hooks = {
	.gate = ip_gate, .start = ip_start, .join = ip_join,
	.intern = ip_intern, .note = ip_note, .crash = ip_crash,
};

/*
 * The interpreter alone, in this process: worker 0's statements run by
 * exec_worker() into a ring large enough for every event (no consumer
 * while timing), timed in CPU time so that other load on the machine does
 * not count. This is the per-statement cost of the executor plus tracing.
 */
static double
bench_inproc(const char *text, double nstmt, unsigned capacity)
{
	struct scn_diags	 d;
	struct scn_file		*f;
	struct trace_meta	 meta;
	struct trace_producer	 tp;
	struct sync_ctx		 sc;
	struct exec_env		 env;
	struct sync_obj		*objs;
	struct trace_ring_set	*set;
	struct timespec		 a, b;
	uint32_t		 gate_fast = 1;
	int32_t			 line = 0, col = 0;
	int64_t			 cells[64];
	size_t			 size, i;
	char			*cause = NULL;
	void			*mem;

	memset(&d, 0, sizeof d);
	f = scenario_load_text("bench.scn", text, strlen(text), &d);
	scenario_diags_done(&d);
	if (f == NULL)
		exit(1);
	scenario_meta_build(f, &meta);
	size = trace_ring_set_size(1, capacity);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	set = trace_ring_set_init(mem, size, 1, capacity, 0, -1);
	objs = calloc(meta.nobjects, sizeof *objs);
	for (i = 0; i < meta.nobjects; i++)
		sync_obj_init(&objs[i], &meta.objects[i], (uint16_t)i,
		    meta.nobjects, cells, 1, &cause);
	trace_producer_init(&tp, set, 0, 0);
	memset(&sc, 0, sizeof sc);
	sc.tp = &tp;
	sc.objs = objs;
	sc.nobjs = meta.nobjects;
	sc.nworkers = 1;
	memset(&env, 0, sizeof env);
	env.file = f;
	env.meta = &meta;
	env.sync = &sc;
	env.tp = &tp;
	env.gate_fast = &gate_fast;
	env.pos_line = &line;
	env.pos_col = &col;
	env.hooks = &ip_hooks;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	exec_worker(&env);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	free(objs);
	munmap(mem, size);
	trace_meta_done(&meta);
	scenario_free(f);
	return (((double)(b.tv_sec - a.tv_sec) * 1e9 +
	    (double)(b.tv_nsec - a.tv_nsec)) / nstmt);
}

/* Run text with a consumer that only reads (no model): the worker's own
   cost, not limited by the front end. Returns worker ns per statement. */
static double
bench_raw(const char *text, double nstmt)
{
	struct trace_event	 buf[4096];
	struct run_options	 ro;
	struct scn_diags	 d;
	struct scn_file		*f;
	struct trace_meta	 meta;
	struct run		*run;
	struct span		 s;
	char			*cause = NULL;
	size_t			 n;

	memset(&d, 0, sizeof d);
	f = scenario_load_text("bench.scn", text, strlen(text), &d);
	scenario_diags_done(&d);
	if (f == NULL)
		exit(1);
	scenario_meta_build(f, &meta);
	memset(&ro, 0, sizeof ro);
	memset(&s, 0, sizeof s);
	run = run_create(f, &meta, &ro);
	if (run_start(run, &cause) != 0) {
		fprintf(stderr, "exec-bench: %s\n", cause);
		exit(1);
	}
	for (;;) {
		if ((n = run_read(run, buf, 4096)) > 0) {
			on_events(&s, run, buf, n);
			continue;
		}
		if (run_finished(run))
			break;
		run_wait(run, 10);
	}
	run_free(run);
	trace_meta_done(&meta);
	scenario_free(f);
	return ((double)(s.last - s.first) / nstmt);
}

/* Run text headless; returns worker ns per statement (nstmt statements),
   fills wall ms and the final value of object 0. */
static double
bench_run(const char *text, double nstmt, double *wall_ms, int64_t *value,
    uint64_t *events)
{
	struct headless_opts	 o;
	struct headless_result	 res;
	struct scn_diags	 d;
	struct scn_file		*f;
	struct trace_meta	 meta;
	struct span		 s;
	char			*cause = NULL;
	uint64_t		 t0;

	memset(&d, 0, sizeof d);
	if ((f = scenario_load_text("bench.scn", text, strlen(text), &d)) ==
	    NULL) {
		scenario_diags_print(&d, "bench.scn", text, stderr);
		exit(1);
	}
	scenario_diags_done(&d);
	scenario_meta_build(f, &meta);
	memset(&o, 0, sizeof o);
	memset(&s, 0, sizeof s);
	o.on_events = on_events;
	o.arg = &s;
	t0 = now_ns();
	if (headless_run(f, &meta, &o, &res, &cause) != 0) {
		fprintf(stderr, "exec-bench: %s\n", cause);
		exit(1);
	}
	*wall_ms = (double)(now_ns() - t0) / 1e6;
	*value = res.model->objects[0].value;
	*events = res.events;
	if (res.dropped != 0) {
		fprintf(stderr, "exec-bench: %" PRIu64 " events dropped\n",
		    res.dropped);
		exit(1);
	}
	headless_result_done(&res);
	trace_meta_done(&meta);
	scenario_free(f);
	return ((double)(s.last - s.first) / nstmt);
}

int
main(int argc, char **argv)
{
	static const char *const names[] = {
		"shared += 1 (load, store: 4 events)",
		"atomic += 1 (1 step + 1 add)",
		"local v = v + 1 (1 step)",
		"lock L, unlock L (a pair: 4 events)",
	};
	static const char *const bodies[] = {
		"        counter += 1\n",
		"        atomic counter += 1\n",
		"        v = v + 1\n",
		"        lock L\n        unlock L\n",
	};
	char			 text[512];
	volatile int64_t	 plain = 0;
	double			 ns[4], raw[4], wall[4], ip[4], plain_ns, race_ms;
	double			 clock_ns, w;
	struct timespec		 ts;
	int64_t			 value, race_value;
	uint64_t		 events[4], ev, t0;
	long			 n = 1000000, i;
	int			 k;

	if (argc > 1)
		n = strtol(argv[1], NULL, 10);
	if (n <= 0)
		n = 1000000;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		plain += 1;
	plain_ns = (double)(now_ns() - t0) / (double)n;

	t0 = now_ns();
	for (i = 0; i < 1000000; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	clock_ns = (double)(now_ns() - t0) / 1e6;

	for (k = 0; k < 4; k++) {
		snprintf(text, sizeof text, "mutex L\nshared int counter = 0\n"
		    "thread t:\n    v = 0\n    repeat %ld:\n%s", n, bodies[k]);
		ns[k] = bench_run(text, (double)n, &wall[k], &value,
		    &events[k]);
		raw[k] = bench_raw(text, (double)n);
		snprintf(text, sizeof text, "mutex L\nshared int counter = 0\n"
		    "thread t:\n    v = 0\n    repeat %d:\n%s", 200000,
		    bodies[k]);
		ip[k] = bench_inproc(text, 200000, 1u << 20);
	}
	race_ms = 0;
	snprintf(text, sizeof text, "shared int counter = 0\n"
	    "process adder x2:\n    repeat 100000:\n        counter += 1\n");
	bench_run(text, 1, &race_ms, &race_value, &ev);

	printf("clock_gettime(CLOCK_MONOTONIC): %.1f ns per call\n", clock_ns);
	printf("interpreter alone (CPU time; ns per statement, statements/s);"
	    "\nthen a real run: worker-side ns per statement with a reading "
	    "front end,\nand with the model applying every event (wall "
	    "time, depends on machine load)\n");
	printf("%-38s %9s %12s %9s %10s %9s %9s\n", "statement", "exec ns",
	    "exec st/s", "run ns", "+model ns", "wall ms", "events");
	printf("%-38s %9.2f %12.0f\n", "plain C loop (volatile += 1)",
	    plain_ns, 1e9 / plain_ns);
	for (k = 0; k < 4; k++)
		printf("%-38s %9.2f %12.0f %9.2f %10.2f %9.1f %9" PRIu64 "\n",
		    names[k], ip[k], 1e9 / ip[k], raw[k], ns[k], wall[k],
		    events[k]);
	printf("race: 2 processes x 100000 +=: %.1f ms wall, counter %" PRId64
	    " of 200000 (%" PRId64 " lost)\n", race_ms, race_value,
	    200000 - race_value);
	w = ip[0] / (plain_ns > 0 ? plain_ns : 1);
	printf("{\"bench\":\"exec\",\"n\":%ld,\"clock_ns\":%.1f,"
	    "\"exec_shared_add_ns\":%.2f,\"exec_atomic_add_ns\":%.2f,"
	    "\"exec_local_assign_ns\":%.2f,\"exec_shared_add_per_s\":%.0f,"
	    "\"plain_ns\":%.2f,\"shared_add_ns\":%.2f,"
	    "\"shared_add_per_s\":%.0f,\"atomic_add_ns\":%.2f,"
	    "\"local_assign_ns\":%.2f,\"shared_add_model_ns\":%.2f,"
	    "\"atomic_add_model_ns\":%.2f,\"local_assign_model_ns\":%.2f,"
	    "\"lock_pair_ns\":%.2f,\"exec_lock_pair_ns\":%.2f,"
	    "\"ratio_vs_plain\":%.1f,\"wall_ms\":%.1f,"
	    "\"race_ms\":%.1f,\"race_counter\":%" PRId64 "}\n", n, clock_ns,
	    ip[0], ip[1], ip[2], 1e9 / ip[0], plain_ns, raw[0], 1e9 / raw[0], raw[1], raw[2], ns[0], ns[1],
	    ns[2], raw[3], ip[3], w, wall[0], race_ms, race_value);
	return (0);
}
