/*
 * tests/check_runtime.c: runs of real scenarios (src/runtime/, the
 * executor in src/scenario/exec.c).
 *
 * Scenarios are given as text and run on real threads and processes.
 * Interleavings are forced with the step gates (pause, step one worker,
 * wait until the run is settled), with barriers inside the scenario, or
 * with joins; nothing depends on sleeping long enough. After every run
 * the test asserts that nothing is left: no child process (the front end
 * is a subreaper, so even orphans would be its children), nothing new in
 * /dev/shm, and the run's private TMPDIR is empty.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "lib.h"
#include "model/model.h"
#include "runtime/headless.h"
#include "runtime/run.h"
#include "scenario/ast.h"
#include "scenario/exec.h"
#include "sync/sync.h"
#include "trace/ring.h"

#define RT_MAXEV	(1 << 20)

struct rt {
	struct scn_file		*f;
	struct trace_meta	 meta;
	struct run		*run;
	struct model		*m;
	struct trace_event	*ev;		/* every event, in order */
	size_t			 nev;
	char			 tmpdir[64];
	int			 shm_before;
	char			 shm_prefix[64];
};

static int
rt_children(void)
{
	char		 path[300], buf[512], *p;
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	long		 ppid;
	int		 n = 0;

	d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof buf, f) != NULL &&
		    (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 2, "%*c %ld", &ppid) == 1 && ppid == getpid())
			n++;
		fclose(f);
	}
	closedir(d);
	return (n);
}

/* Private TMPDIR so that "the temp dir is clean" is exact. */
static void
rt_env(struct rt *rt)
{
	snprintf(rt->tmpdir, sizeof rt->tmpdir, "/tmp/rt-check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(rt->tmpdir));
	setenv("TMPDIR", rt->tmpdir, 1);
	/* Count only this process's names: other test programs run at the
	   same time (make check -j) and have their own objects. */
	snprintf(rt->shm_prefix, sizeof rt->shm_prefix, "lockstep-%ld-",
	    (long)getpid());
	rt->shm_before = lib_count_entries("/dev/shm", rt->shm_prefix);
}

static void
rt_load(struct rt *rt, const char *text)
{
	struct scn_diags	d;

	memset(rt, 0, sizeof *rt);
	memset(&d, 0, sizeof d);
	rt->f = scenario_load_text("test.scn", text, strlen(text), &d);
	if (rt->f == NULL) {
		scenario_diags_print(&d, "test.scn", text, stderr);
		ck_abort_msg("scenario did not load");
	}
	scenario_diags_done(&d);
	scenario_meta_build(rt->f, &rt->meta);
	rt->m = model_create(&rt->meta);
	rt->ev = calloc(RT_MAXEV, sizeof *rt->ev);
	rt_env(rt);
}

static void
rt_start(struct rt *rt, int paused, const uint16_t *sched, size_t nsched,
    uint64_t seed)
{
	struct run_options	 o;
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.paused = paused;
	o.schedule = sched;
	o.nschedule = nsched;
	o.seed = seed;
	rt->run = run_create(rt->f, &rt->meta, &o);
	if (run_start(rt->run, &cause) != 0)
		ck_abort_msg("run_start: %s", cause);
}

static size_t
rt_pump(struct rt *rt)
{
	struct trace_event	buf[1024];
	size_t			n, i, total = 0;

	while ((n = run_read(rt->run, buf, 1024)) > 0) {
		for (i = 0; i < n; i++) {
			model_apply(rt->m, &buf[i]);
			if (rt->nev < RT_MAXEV)
				rt->ev[rt->nev++] = buf[i];
		}
		total += n;
	}
	return (total);
}

/* Wait until every live worker is at its gate or really blocked, with
   every event it produced so far applied. */
static void
rt_settle(struct rt *rt)
{
	for (;;) {
		rt_pump(rt);
		if (run_settled(rt->run)) {
			run_wait(rt->run, 1);
			rt_pump(rt);
			if (run_settled(rt->run))
				return;
		}
		run_wait(rt->run, 5);
	}
}

static void
rt_step(struct rt *rt, int w)
{
	ck_assert_int_eq(run_step(rt->run, w), w);
	rt_settle(rt);
}

static void
rt_finish(struct rt *rt)
{
	while (!run_finished(rt->run)) {
		rt_pump(rt);
		run_wait(rt->run, 20);
	}
	rt_pump(rt);
	ck_assert(rt->m->run_ended);
}

/* Stop, and prove nothing is left behind. */
static void
rt_done(struct rt *rt)
{
	if (rt->run != NULL) {
		run_stop(rt->run);
		ck_assert_int_eq(rt_children(), 0);
		ck_assert_int_eq(lib_count_entries(rt->tmpdir, NULL), 0);
		run_free(rt->run);
	}
	ck_assert_int_eq(rt_children(), 0);
	ck_assert_int_eq(lib_count_entries("/dev/shm", rt->shm_prefix),
	    rt->shm_before);
	ck_assert_int_eq(lib_count_entries(rt->tmpdir, NULL), 0);
	rmdir(rt->tmpdir);
	model_free(rt->m);
	trace_meta_done(&rt->meta);
	scenario_free(rt->f);
	free(rt->ev);
}

static int
rt_w(struct rt *rt, const char *name)
{
	int	w = trace_meta_find_worker(&rt->meta, name);

	ck_assert_int_ge(w, 0);
	return (w);
}

static int64_t
rt_value(struct rt *rt, const char *name)
{
	int	o = trace_meta_find_object(&rt->meta, name);

	ck_assert_int_ge(o, 0);
	return (rt->m->objects[o].value);
}

static int
rt_count(struct rt *rt, int w, enum trace_type type)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < rt->nev; i++) {
		if ((w < 0 || rt->ev[i].worker == w) && rt->ev[i].type == type)
			n++;
	}
	return (n);
}

/* headless_run with the same leftovers checks. */
static void
rt_headless(struct rt *rt, const struct headless_opts *o,
    struct headless_result *res)
{
	char	*cause = NULL;

	if (headless_run(rt->f, &rt->meta, o, res, &cause) != 0)
		ck_abort_msg("headless_run: %s", cause);
	headless_judge(rt->f, &rt->meta, res);
	ck_assert_int_eq(rt_children(), 0);
	ck_assert_int_eq(lib_count_entries(rt->tmpdir, NULL), 0);
}

static const char race_threads[] =
"shared int counter = 0\n"
"thread a:\n"
"    counter += 1\n"
"thread b:\n"
"    counter += 1\n"
"expect counter == 2\n";

/* Pause: nothing runs. Step: exactly one statement. The forced lost
   update: a-load, b-load, a-store, b-store leaves counter == 1. */
START_TEST(test_forced_lost_update)
{
	struct rt	rt;
	int		a, b;

	rt_load(&rt, race_threads);
	a = rt_w(&rt, "a");
	b = rt_w(&rt, "b");
	rt_start(&rt, 1, NULL, 0, 0);
	rt_settle(&rt);
	ck_assert(run_at_gate(rt.run, a));
	ck_assert(run_at_gate(rt.run, b));
	ck_assert_int_eq(rt_count(&rt, -1, TRACE_SHARED_LOAD), 0);

	rt_step(&rt, a);		/* a loads 0, stops before its store */
	ck_assert_int_eq(rt_count(&rt, a, TRACE_SHARED_LOAD), 1);
	ck_assert_int_eq(rt_count(&rt, a, TRACE_SHARED_STORE), 0);
	ck_assert_int_eq(rt_count(&rt, a, TRACE_MICROSTEP), 1);
	ck_assert_int_eq(rt_count(&rt, b, TRACE_SHARED_LOAD), 0);
	rt_step(&rt, b);		/* b loads 0 too */
	rt_step(&rt, a);		/* a stores 1 */
	ck_assert_int_eq(rt_value(&rt, "counter"), 1);
	rt_step(&rt, b);		/* b stores 1: a's add is lost */
	rt_finish(&rt);
	ck_assert_int_eq(rt_value(&rt, "counter"), 1);
	ck_assert_int_eq(rt_count(&rt, -1, TRACE_SHARED_STORE), 2);
	ck_assert(!model_expect_holds(rt.m, &rt.meta.expects[0]));
	rt_done(&rt);
}
END_TEST

START_TEST(test_pause_step_one_statement)
{
	static const char text[] =
	    "shared int x = 0\n"
	    "thread t:\n"
	    "    x = 1\n"
	    "    x = 2\n"
	    "    x = 3\n";
	struct rt	 rt;
	char		*cause = NULL;
	int		 t;

	rt_load(&rt, text);
	t = rt_w(&rt, "t");
	rt_start(&rt, 1, NULL, 0, 0);
	rt_settle(&rt);
	ck_assert_int_eq(rt.m->workers[t].line, 3);
	/* Paused: it stays at its gate. */
	run_wait(rt.run, 30);
	rt_pump(&rt);
	ck_assert_int_eq(rt_value(&rt, "x"), 0);
	ck_assert_int_eq(rt_count(&rt, t, TRACE_STEP), 1);
	ck_assert(run_paused(rt.run));
	rt_step(&rt, t);
	ck_assert_int_eq(rt_value(&rt, "x"), 1);
	ck_assert_int_eq(rt.m->workers[t].line, 4);
	ck_assert_int_eq(rt_count(&rt, t, TRACE_SHARED_STORE), 1);
	/* No step when the worker is not at its gate (bad index). */
	ck_assert_int_eq(run_step(rt.run, 99), -1);
	run_resume(rt.run);
	rt_finish(&rt);
	ck_assert_int_eq(rt_value(&rt, "x"), 3);
	ck_assert_int_eq(rt.m->workers[t].state, MODEL_W_DONE);

	/* Restart: a fresh run of the same scenario, in the current mode. */
	run_pause(rt.run);
	ck_assert_int_eq(run_restart(rt.run, &cause), 0);
	/* The new runner, and the guard that cleans up if we die. */
	ck_assert_int_eq(rt_children(), 2);
	model_reset(rt.m);
	rt.nev = 0;
	rt_settle(&rt);
	ck_assert_int_eq(rt_value(&rt, "x"), 0);
	ck_assert(run_at_gate(rt.run, t));
	run_resume(rt.run);
	rt_finish(&rt);
	ck_assert_int_eq(rt_value(&rt, "x"), 3);
	rt_done(&rt);
}
END_TEST

/* A seeded step sequence, replayed as a schedule, gives the same
   interleaving and the same lost updates. */
START_TEST(test_schedule_replay)
{
	static const char text[] =
	    "shared int counter = 0\n"
	    "thread a:\n"
	    "    repeat 4:\n"
	    "        counter += 1\n"
	    "thread b:\n"
	    "    repeat 4:\n"
	    "        counter += 1\n";
	struct rt	 rt;
	uint16_t	*choices;
	const uint16_t	*c;
	size_t		 n, n2;
	int64_t		 value;
	int		 round;

	rt_load(&rt, text);
	choices = NULL;
	n = 0;
	value = -1;
	for (round = 0; round < 2; round++) {
		rt_start(&rt, 1, choices, n, 12345);
		for (;;) {
			rt_settle(&rt);
			if (run_step(rt.run, -1) < 0)
				break;
		}
		rt_finish(&rt);
		c = run_choices(rt.run, &n2);
		if (round == 0) {
			choices = malloc(n2 * sizeof *choices);
			memcpy(choices, c, n2 * sizeof *choices);
			n = n2;
			value = rt_value(&rt, "counter");
			ck_assert_int_ge(n, 18);  /* 2 x (1 + 4 x 2) steps */
		} else {
			ck_assert_int_eq(n2, n);
			ck_assert(memcmp(c, choices, n * sizeof *c) == 0);
			ck_assert_int_eq(rt_value(&rt, "counter"), value);
		}
		run_stop(rt.run);
		ck_assert_int_eq(rt_children(), 0);
		run_free(rt.run);
		rt.run = NULL;
		model_reset(rt.m);
		rt.nev = 0;
	}
	free(choices);
	rt_done(&rt);
}
END_TEST

static const char two_locks[] =
"mutex A, B\n"
"thread t1:\n"
"    lock A\n"
"    lock B\n"
"    unlock B\n"
"    unlock A\n"
"thread t2:\n"
"    lock B\n"
"    lock A\n"
"    unlock A\n"
"    unlock B\n"
"expect deadlock\n";

/* Stepped into the deadlock; the model sees the cycle; run_stop leaves
   nothing. */
START_TEST(test_deadlock_detected_and_stopped)
{
	struct rt	rt;
	int		t1, t2;

	rt_load(&rt, two_locks);
	t1 = rt_w(&rt, "t1");
	t2 = rt_w(&rt, "t2");
	rt_start(&rt, 1, NULL, 0, 0);
	rt_settle(&rt);
	rt_step(&rt, t1);
	rt_step(&rt, t2);
	rt_step(&rt, t1);
	ck_assert_int_eq(rt.m->workers[t1].state, MODEL_W_BLOCKED);
	ck_assert(!rt.m->detect.deadlock);
	rt_step(&rt, t2);
	ck_assert(rt.m->detect.deadlock);
	ck_assert_int_eq(rt.m->detect.cycle.n, 2);
	ck_assert_int_eq(run_step(rt.run, -1), -1);	/* nobody at a gate */
	ck_assert(!run_finished(rt.run));
	rt_done(&rt);
}
END_TEST

/* The same through headless_run with a schedule file's worth of choices:
   stopped after the grace period, verdict pass (deadlock expected). */
START_TEST(test_headless_deadlock_schedule)
{
	struct rt		rt;
	struct headless_opts	o;
	struct headless_result	res;
	uint16_t		sched[4];

	rt_load(&rt, two_locks);
	sched[0] = sched[2] = (uint16_t)rt_w(&rt, "t1");
	sched[1] = sched[3] = (uint16_t)rt_w(&rt, "t2");
	memset(&o, 0, sizeof o);
	o.stepped = 1;
	o.schedule = sched;
	o.nschedule = 4;
	o.timeout_ms = 15000;
	rt_headless(&rt, &o, &res);
	ck_assert_int_eq(res.stop, HEADLESS_DEADLOCK);
	ck_assert(res.pass);
	ck_assert_int_eq(res.dropped, 0);
	ck_assert_int_eq(res.model->detect.cycle.n, 2);
	headless_result_done(&res);
	rt_done(&rt);
}
END_TEST

/* A process killed holding a robust mutex: the next locker gets it,
   owner died is reported, the run goes on to the end. */
START_TEST(test_owner_died)
{
	static const char text[] =
	    "mutex M\n"
	    "shared int after = 0\n"
	    "process p1:\n"
	    "    lock M\n"
	    "    crash\n"
	    "process p2:\n"
	    "    lock M\n"
	    "    after = 1\n"
	    "    unlock M\n"
	    "main:\n"
	    "    start p1\n"
	    "    join p1\n"
	    "    start p2\n"
	    "    join p2\n"
	    "expect after == 1\n";
	struct rt		rt;
	struct headless_opts	o;
	struct headless_result	res;
	int			p1, p2;

	rt_load(&rt, text);
	p1 = rt_w(&rt, "p1");
	p2 = rt_w(&rt, "p2");
	memset(&o, 0, sizeof o);
	o.timeout_ms = 15000;
	rt_headless(&rt, &o, &res);
	ck_assert_int_eq(res.stop, HEADLESS_FINISHED);
	ck_assert_int_eq(res.model->workers[p1].state, MODEL_W_CRASHED);
	ck_assert_int_eq(res.model->workers[p1].signal, SIGKILL);
	ck_assert_int_eq(res.model->workers[p2].state, MODEL_W_DONE);
	ck_assert_int_eq(res.model->detect.nowner_died, 1);
	ck_assert_int_eq(res.model->detect.owner_died[0].dead_worker, p1);
	ck_assert_int_eq(res.model->detect.owner_died[0].new_owner, p2);
	ck_assert(res.pass);	/* the crash is the scenario's own */
	headless_result_done(&res);
	rt_done(&rt);
}
END_TEST

/* Workers crashing by SIGSEGV and abort are reported with their signal;
   a crash in a thread takes the whole thread host. */
START_TEST(test_crash_signals)
{
	static const char text[] =
	    "process v1:\n"
	    "    sleep 20s\n"
	    "process v2:\n"
	    "    sleep 20s\n"
	    "thread t:\n"
	    "    sleep 1ms\n"
	    "    crash\n"
	    "thread u:\n"
	    "    sleep 20s\n";
	struct rt	rt;
	int		v1, v2, t, u;
	long		pid1 = 0, pid2 = 0;

	rt_load(&rt, text);
	v1 = rt_w(&rt, "v1");
	v2 = rt_w(&rt, "v2");
	t = rt_w(&rt, "t");
	u = rt_w(&rt, "u");
	rt_start(&rt, 0, NULL, 0, 0);
	while (rt_count(&rt, v1, TRACE_SLEEP) == 0 ||
	    rt_count(&rt, v2, TRACE_SLEEP) == 0) {
		rt_pump(&rt);
		run_wait(rt.run, 5);
	}
	pid1 = run_worker_pid(rt.run, v1);
	pid2 = run_worker_pid(rt.run, v2);
	ck_assert_int_gt(pid1, 0);
	ck_assert_int_gt(pid2, 0);
	kill((pid_t)pid1, SIGSEGV);	/* ASan prints a report here */
	kill((pid_t)pid2, SIGABRT);
	rt_finish(&rt);
	ck_assert_int_eq(rt.m->workers[v1].state, MODEL_W_CRASHED);
#if defined(__SANITIZE_ADDRESS__)
	/* ASan's SEGV handler reports and exits(1) instead of dying by the
	   signal: still a crash, with no signal to report. */
	ck_assert(rt.m->workers[v1].signal == SIGSEGV ||
	    rt.m->workers[v1].signal == 0);
#else
	ck_assert_int_eq(rt.m->workers[v1].signal, SIGSEGV);
#endif
	ck_assert_int_eq(rt.m->workers[v2].state, MODEL_W_CRASHED);
	ck_assert_int_eq(rt.m->workers[v2].signal, SIGABRT);
	ck_assert_int_eq(rt.m->workers[t].state, MODEL_W_CRASHED);
	ck_assert_int_eq(rt.m->workers[u].state, MODEL_W_CRASHED);
	ck_assert_int_eq(rt.m->workers[u].signal, SIGKILL);
	rt_done(&rt);
}
END_TEST

/* Daemons (thread and process) are killed when main ends; join with a
   timeout returns while its worker still runs. */
START_TEST(test_daemon_and_join_timeout)
{
	static const char text[] =
	    "shared int ticks = 0\n"
	    "thread d daemon:\n"
	    "    forever:\n"
	    "        atomic ticks += 1\n"
	    "        sleep 2ms\n"
	    "process pd daemon:\n"
	    "    forever:\n"
	    "        sleep 2ms\n"
	    "main:\n"
	    "    start d\n"
	    "    join d timeout 20ms\n"
	    "    print \"main goes on\"\n"
	    "expect completes\n";
	struct rt		rt;
	struct headless_opts	o;
	struct headless_result	res;
	struct model		*m;
	int			d, pd, mn;

	rt_load(&rt, text);
	d = rt_w(&rt, "d");
	pd = rt_w(&rt, "pd");
	mn = rt_w(&rt, "main");
	memset(&o, 0, sizeof o);
	o.timeout_ms = 15000;
	rt_headless(&rt, &o, &res);
	m = res.model;
	ck_assert_int_eq(res.stop, HEADLESS_FINISHED);
	ck_assert_int_eq(m->workers[mn].state, MODEL_W_DONE);
	ck_assert_int_eq(m->workers[d].state, MODEL_W_KILLED);
	ck_assert_int_eq(m->workers[pd].state, MODEL_W_KILLED);
	ck_assert(res.pass);
	headless_result_done(&res);
	rt_done(&rt);

	/* The join events, read directly. */
	rt_load(&rt, text);
	mn = rt_w(&rt, "main");
	rt_start(&rt, 0, NULL, 0, 0);
	rt_finish(&rt);
	ck_assert_int_eq(rt_count(&rt, mn, TRACE_JOIN_WAIT), 1);
	ck_assert_int_eq(rt_count(&rt, mn, TRACE_JOIN_TIMEOUT), 1);
	ck_assert_int_eq(rt_count(&rt, mn, TRACE_JOINED), 0);
	ck_assert_int_eq(rt_count(&rt, mn, TRACE_PRINT), 1);
	ck_assert_int_eq(rt_count(&rt, -1, TRACE_WORKER_KILLED), 2);
	rt_done(&rt);
}
END_TEST

/* The default timeout counts time without an event: a run that keeps
   progressing runs past it; an explicit --timeout bounds the whole run;
   each says what ran out. (The margins are wide: an event every 40 ms
   against a 1.5 s limit.) */
static int
rt_problem_has(const struct headless_result *res, const char *text)
{
	size_t	i;

	for (i = 0; i < res->nproblems; i++) {
		if (strstr(res->problems[i], text) != NULL)
			return (1);
	}
	return (0);
}

START_TEST(test_timeout_progress)
{
	static const char busy[] =
	    "shared int n = 0\n"
	    "thread t:\n"
	    "    repeat 40:\n"
	    "        sleep 40ms\n"
	    "        n += 1\n"
	    "expect n == 40\n";
	static const char idle[] =
	    "thread t:\n"
	    "    sleep 60s\n";
	struct rt		rt;
	struct headless_opts	o;
	struct headless_result	res;

	/* Idle limit 1.5 s, the run takes 1.6 s: it finishes and passes. */
	rt_load(&rt, busy);
	memset(&o, 0, sizeof o);
	o.timeout_ms = 1500;
	o.timeout_idle = 1;
	rt_headless(&rt, &o, &res);
	ck_assert_int_eq(res.stop, HEADLESS_FINISHED);
	ck_assert(res.pass);
	headless_result_done(&res);
	rt_done(&rt);

	/* The same with a whole-run limit: stopped, and it says so. */
	rt_load(&rt, busy);
	o.timeout_ms = 300;
	o.timeout_idle = 0;
	rt_headless(&rt, &o, &res);
	ck_assert_int_eq(res.stop, HEADLESS_TIMEOUT);
	ck_assert(!res.pass);
	ck_assert(rt_problem_has(&res, "--timeout ran out"));
	ck_assert(rt_problem_has(&res, "still running"));
	headless_result_done(&res);
	rt_done(&rt);

	/* No event at all for the idle limit: no progress, said plainly. */
	rt_load(&rt, idle);
	o.timeout_ms = 300;
	o.timeout_idle = 1;
	rt_headless(&rt, &o, &res);
	ck_assert_int_eq(res.stop, HEADLESS_TIMEOUT);
	ck_assert(!res.pass);
	ck_assert(rt_problem_has(&res, "no progress: no event for"));
	headless_result_done(&res);
	rt_done(&rt);
}
END_TEST

/* Pipes: EOF after the last sender closes, between processes and between
   threads of the thread host. */
START_TEST(test_pipe_eof_runtime)
{
	static const char *const texts[] = {
	    "pipe P\nshared int got = 0\nshared int eof = 0\n"
	    "process s:\n    send P 1\n    send P 2\n    close P\n"
	    "process r:\n    a = recv P\n    b = recv P\n    c = recv P\n"
	    "    got = a + b * 10\n    eof = c\n"
	    "expect got == 21\nexpect eof == -1\nexpect completes\n",
	    "pipe P\nshared int got = 0\nshared int eof = 0\n"
	    "thread s:\n    send P 1\n    send P 2\n    close P\n"
	    "thread r:\n    a = recv P\n    b = recv P\n    c = recv P\n"
	    "    got = a + b * 10\n    eof = c\n"
	    "expect got == 21\nexpect eof == -1\nexpect completes\n",
	};
	struct rt		rt;
	struct headless_opts	o;
	struct headless_result	res;
	size_t			i;

	for (i = 0; i < 2; i++) {
		rt_load(&rt, texts[i]);
		memset(&o, 0, sizeof o);
		o.timeout_ms = 15000;
		rt_headless(&rt, &o, &res);
		ck_assert_int_eq(res.stop, HEADLESS_FINISHED);
		ck_assert_msg(res.pass, "pipe scenario %zu failed", i);
		headless_result_done(&res);
		rt_done(&rt);
	}
}
END_TEST

/* Two processes x 100000 plain += at full speed: lost updates for real
   (in most runs; one of five is required), every event delivered. */
START_TEST(test_race_processes)
{
	static const char text[] =
	    "shared int counter = 0\n"
	    "process adder x2:\n"
	    "    repeat 100000:\n"
	    "        counter += 1\n";
	struct rt		rt;
	struct headless_opts	o;
	struct headless_result	res;
	int			run, lost = 0;
	int64_t			v;

	rt_load(&rt, text);
	for (run = 0; run < 5 && !lost; run++) {
		memset(&o, 0, sizeof o);
		o.timeout_ms = 15000;
		rt_headless(&rt, &o, &res);
		ck_assert_int_eq(res.stop, HEADLESS_FINISHED);
		ck_assert_int_eq(res.dropped, 0);
		/* run begin/end + per worker start/end + 4 per += */
		ck_assert_uint_eq(res.events, 2 + 2 * 2 + 200000 * 4 + 2);
		v = res.model->objects[0].value;
		ck_assert_int_le(v, 200000);
		ck_assert_int_ge(v, 2);
		if (v < 200000)
			lost = 1;
		headless_result_done(&res);
	}
	ck_assert_msg(lost, "no update lost in 5 runs");
	rt_done(&rt);
}
END_TEST

/* SIGTERM / SIGINT / SIGHUP to a front end running a scenario: no process
   of the run's group remains, its temp dir is gone. */
static const char forever_text[] =
"shared int x = 0\n"
"pipe P\n"
"process p:\n"
"    forever:\n"
"        x += 1\n"
"        sleep 1ms\n"
"thread t:\n"
"    forever:\n"
"        sleep 1ms\n"
"process q:\n"
"    send P 1\n"
"    v = recv P\n"
"    recv P\n";

static void
fe_events(void *arg, struct run *run, const struct trace_event *ev,
    size_t n)
{
	int	*fd = arg;
	pid_t	 pid;
	size_t	 i;

	(void)run;
	for (i = 0; i < n && *fd != -1; i++) {
		if (ev[i].type == TRACE_WORKER_START && ev[i].a1 == 0) {
			pid = (pid_t)ev[i].a0;
			if (write(*fd, &pid, sizeof pid) != sizeof pid)
				_exit(99);
			close(*fd);
			*fd = -1;
		}
	}
}

START_TEST(test_signal_front_end)
{
	static const int	 sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct rt		 rt;
	struct headless_opts	 o;
	struct headless_result	 res;
	char			*cause = NULL;
	pid_t			 fe, worker, pgid;
	size_t			 i;
	int			 p[2], status, wfd;

	rt_load(&rt, forever_text);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		ck_assert_int_eq(pipe(p), 0);
		if ((fe = fork()) == 0) {
			/* A front end as started from a shell (Check's own
			   handlers would forward the signal to the test). */
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			close(p[0]);
			wfd = p[1];
			memset(&o, 0, sizeof o);
			o.on_events = fe_events;
			o.arg = &wfd;
			headless_run(rt.f, &rt.meta, &o, &res, &cause);
			_exit(98);
		}
		close(p[1]);
		ck_assert_int_eq(read(p[0], &worker, sizeof worker),
		    sizeof worker);
		close(p[0]);
		pgid = getpgid(worker);
		ck_assert_int_gt(pgid, 0);
		ck_assert_int_ne(pgid, getpgid(0));
		ck_assert_int_eq(lib_count_entries(rt.tmpdir, "lockstep-"), 1);
		kill(fe, sigs[i]);
		ck_assert_int_eq(waitpid(fe, &status, 0), fe);
		ck_assert(WIFSIGNALED(status));
		ck_assert_int_eq(WTERMSIG(status), sigs[i]);
		/* Nothing of the run's process group is left. */
		ck_assert_int_eq(kill(-pgid, 0), -1);
		ck_assert_int_eq(errno, ESRCH);
		ck_assert_int_eq(kill(worker, 0), -1);
		ck_assert_int_eq(lib_count_entries(rt.tmpdir, NULL), 0);
	}
	rt_done(&rt);
}
END_TEST

/* Run `lockstep run ARGS` (cmd_run) in a child with stdout to a file;
   returns the exit status, the output in out. */
static int
rt_cmd(const char *const *args, char *out, size_t outlen)
{
	char	 path[] = "/tmp/rt-cmd-XXXXXX";
	char	*argv[16];
	pid_t	 pid;
	ssize_t	 n;
	int	 fd, status, argc = 0, nul;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	while (args[argc] != NULL && argc < 15) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	if ((pid = fork()) == 0) {
		dup2(fd, 1);
		nul = open("/dev/null", O_WRONLY);
		dup2(nul, 2);
		optind = 0;
		_exit(cmd_run(argc, argv));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, outlen - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return (WEXITSTATUS(status));
}

static void
rt_write(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_headless_json_exit)
{
	static const char pass_text[] =
	    "title \"counter with a lock\"\n"
	    "mutex L\n"
	    "shared int n = 0\n"
	    "thread a x2:\n"
	    "    repeat 100:\n"
	    "        with L:\n"
	    "            n += 1\n"
	    "expect n == 200\n"
	    "expect max_holders L == 1\n";
	static const char fail_text[] =
	    "shared int n = 0\n"
	    "thread a:\n"
	    "    n = 5\n"
	    "expect n == 6\n";
	/* The barrier makes the deadlock certain at full speed. */
	static const char deadlock_text[] =
	    "mutex A, B\n"
	    "barrier G(2)\n"
	    "thread t1:\n"
	    "    lock A\n"
	    "    wait G\n"
	    "    lock B\n"
	    "thread t2:\n"
	    "    lock B\n"
	    "    wait G\n"
	    "    lock A\n";
	static const char error_text[] =
	    "shared int z = 0\n"
	    "thread t:\n"
	    "    z = 1 / z\n"
	    "expect completes\n";
	struct rt	 rt;
	char		 dir[128], pass[192], fail[192], dl[192], bad[192];
	char		 err[192], *out;
	const char	*args[8];

	rt_load(&rt, pass_text);
	out = malloc(1 << 16);
	snprintf(dir, sizeof dir, "%s", rt.tmpdir);
	snprintf(pass, sizeof pass, "%s/../rt-pass-%ld.scn", dir,
	    (long)getpid());
	snprintf(fail, sizeof fail, "%s/../rt-fail-%ld.scn", dir,
	    (long)getpid());
	snprintf(dl, sizeof dl, "%s/../rt-dl-%ld.scn", dir, (long)getpid());
	snprintf(bad, sizeof bad, "%s/../rt-bad-%ld.scn", dir, (long)getpid());
	snprintf(err, sizeof err, "%s/../rt-err-%ld.scn", dir, (long)getpid());
	rt_write(pass, pass_text);
	rt_write(fail, fail_text);
	rt_write(dl, deadlock_text);
	rt_write(bad, "thread t:\n    lock Nope\n");
	rt_write(err, error_text);

	args[0] = "run"; args[1] = pass; args[2] = "--headless";
	args[3] = "--json"; args[4] = NULL;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"scenario\":"));
	ck_assert_ptr_nonnull(strstr(out, "\"verdict\":\"pass\""));
	ck_assert_ptr_nonnull(strstr(out, "\"expectations\":[{\"text\":"));
	ck_assert_ptr_nonnull(strstr(out, "\"held\":true"));
	ck_assert_ptr_nonnull(strstr(out, "\"workers\":[{\"name\":\"a.1\""));
	ck_assert_ptr_nonnull(strstr(out, "\"shared\":[{\"name\":\"n\","
	    "\"value\":200,\"expected\":200"));
	ck_assert_ptr_nonnull(strstr(out, "\"deadlock\":null"));
	ck_assert_ptr_nonnull(strstr(out, "\"stall\":false"));
	ck_assert_ptr_nonnull(strstr(out, "\"potential_deadlocks\":[]"));
	ck_assert_ptr_nonnull(strstr(out, "\"dropped\":0"));
	ck_assert_ptr_nonnull(strstr(out, "\"events\":"));
	ck_assert_ptr_nonnull(strstr(out, "\"elapsed_ms\":"));
	ck_assert_ptr_nonnull(strstr(out, "\"L\":1"));
	ck_assert_int_eq(out[strlen(out) - 1], '\n');

	args[1] = fail;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), 1);
	ck_assert_ptr_nonnull(strstr(out, "\"verdict\":\"fail\""));
	ck_assert_ptr_nonnull(strstr(out, "\"held\":false"));

	/* An unexpected deadlock fails, and is reported with its cycle. */
	args[1] = dl;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), 1);
	ck_assert_ptr_nonnull(strstr(out, "\"deadlock\":{\"text\":"));
	ck_assert_ptr_nonnull(strstr(out, "\"cycle\":[{\"worker\":"));
	ck_assert_ptr_nonnull(strstr(out, "unexpected deadlock"));

	/* A runtime error fails. */
	args[1] = err;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), 1);
	ck_assert_ptr_nonnull(strstr(out, "\"errors\":[{\"worker\":\"t\","
	    "\"line\":3,\"text\":\"line 3: division by zero\"}"));
	/* The worker that ended with it is named as a problem, and
	   `expect completes` does not hold. */
	ck_assert_ptr_nonnull(strstr(out, "\"problems\":[\"t ended with a "
	    "runtime error (line 3: division by zero)\"]"));
	ck_assert_ptr_nonnull(strstr(out, "{\"text\":\"expect completes\","
	    "\"line\":4,\"held\":false}"));

	/* Human summary. */
	args[1] = pass;
	args[3] = NULL;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), 0);
	ck_assert_ptr_nonnull(strstr(out, "verdict: PASS"));
	ck_assert_ptr_nonnull(strstr(out, "dropped: 0"));

	/* Usage errors and invalid scenarios: 2. */
	args[1] = bad;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), EXIT_USAGE);
	args[1] = pass;
	args[2] = "--tempo";
	args[3] = "fast";
	args[4] = NULL;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), EXIT_USAGE);
	args[1] = NULL;
	ck_assert_int_eq(rt_cmd(args, out, 1 << 16), EXIT_USAGE);

	unlink(pass);
	unlink(fail);
	unlink(dl);
	unlink(bad);
	unlink(err);
	free(out);
	rt_done(&rt);
}
END_TEST

/* A thread pool over tasks, a queue, semaphores and conditions at full
   speed: the common kinds work together end to end. */
START_TEST(test_mixed_scenario)
{
	static const char text[] =
	    "queue Q(2)\n"
	    "semaphore S(2)\n"
	    "condition C\n"
	    "shared int sum = 0\n"
	    "shared int ready = 0\n"
	    "local int mine = 0\n"
	    "pool W(3) tasks 6:\n"
	    "    result task * task\n"
	    "thread prod:\n"
	    "    repeat 10 as i:\n"
	    "        put Q i\n"
	    "    put Q -1\n"
	    "thread cons:\n"
	    "    forever:\n"
	    "        v = get Q\n"
	    "        if v == -1:\n"
	    "            break\n"
	    "        with S:\n"
	    "            atomic sum += v\n"
	    "        mine = v\n"
	    "    with C:\n"
	    "        ready = 1\n"
	    "        notify_all C\n"
	    "thread waiter:\n"
	    "    with C:\n"
	    "        while ready == 0:\n"
	    "            wait C timeout 50ms\n"
	    "expect sum == 45\n"
	    "expect tasks_done W == 6\n"
	    "expect completes\n";
	struct rt		rt;
	struct headless_opts	o;
	struct headless_result	res;
	size_t			i;

	rt_load(&rt, text);
	memset(&o, 0, sizeof o);
	o.timeout_ms = 15000;
	rt_headless(&rt, &o, &res);
	for (i = 0; i < res.nproblems; i++)
		fprintf(stderr, "problem: %s\n", res.problems[i]);
	for (i = 0; i < res.nerrors; i++)
		fprintf(stderr, "error: %s\n", res.errors[i].text);
	ck_assert_int_eq(res.stop, HEADLESS_FINISHED);
	ck_assert(res.pass);
	headless_result_done(&res);
	rt_done(&rt);
}
END_TEST

/* Pools are process pools, as multiprocessing.Pool is: every member is
   its own process (distinct pids), tasks are handed out once each from
   the counter in the arena, and every result comes back under its task
   number. `threads` makes a pool of threads in the thread host. */
START_TEST(test_pool_processes)
{
	static const char text[] =
	    "pool P(3) tasks 12:\n"
	    "    compute 1ms\n"
	    "    result task * task + 1\n"
	    "pool T(2) threads tasks 4:\n"
	    "    result task + 100\n"
	    "expect tasks_done P == 12\n"
	    "expect completes\n";
	struct rt	 rt;
	long		 pids[3];
	int		 o, t, w, i, j, begun[12];
	size_t		 k;

	rt_load(&rt, text);
	for (i = 0; i < 3; i++) {
		w = (int)rt.meta.nworkers - 5 + i;
		ck_assert_int_eq(rt.meta.workers[w].kind, TRACE_WORKER_PROCESS);
		ck_assert(rt.meta.workers[w].flags & TRACE_WORKERF_POOL);
	}
	ck_assert_int_eq(rt.meta.workers[rt_w(&rt, "T.1")].kind,
	    TRACE_WORKER_THREAD);
	rt_start(&rt, 0, NULL, 0, 0);
	rt_finish(&rt);
	o = trace_meta_find_object(&rt.meta, "P");
	t = trace_meta_find_object(&rt.meta, "T");

	/* Each member started in a process of its own, not the front end. */
	memset(pids, 0, sizeof pids);
	for (k = 0; k < rt.nev; k++) {
		if (rt.ev[k].type != TRACE_WORKER_START)
			continue;
		w = rt.ev[k].worker;
		if (w == rt_w(&rt, "T.1") || w == rt_w(&rt, "T.2")) {
			ck_assert_int_eq(rt.ev[k].a1, 1);
			continue;
		}
		i = w - rt_w(&rt, "P.1");
		ck_assert(i >= 0 && i < 3);
		ck_assert_int_eq(rt.ev[k].a1, 0);	/* not a thread */
		pids[i] = (long)rt.ev[k].a0;
		ck_assert_int_eq(run_worker_pid(rt.run, w), pids[i]);
	}
	for (i = 0; i < 3; i++) {
		ck_assert_int_gt(pids[i], 0);
		ck_assert_int_ne(pids[i], (long)getpid());
		for (j = 0; j < i; j++)
			ck_assert_int_ne(pids[i], pids[j]);
	}

	/* Every task once, every result under its task number. */
	memset(begun, 0, sizeof begun);
	for (k = 0; k < rt.nev; k++) {
		if (rt.ev[k].type == TRACE_TASK_BEGIN && rt.ev[k].object == o) {
			ck_assert(rt.ev[k].a0 >= 0 && rt.ev[k].a0 < 12);
			begun[rt.ev[k].a0]++;
		}
	}
	for (i = 0; i < 12; i++) {
		ck_assert_int_eq(begun[i], 1);
		ck_assert(rt.m->objects[o].result_done[i]);
		ck_assert_int_eq(rt.m->objects[o].results[i], i * i + 1);
	}
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(rt.m->objects[t].results[i], i + 100);
	ck_assert(model_expect_holds(rt.m, &rt.meta.expects[0]));
	ck_assert(model_expect_holds(rt.m, &rt.meta.expects[1]));
	rt_done(&rt);
}
END_TEST

/* In-process executor hooks (no runtime: nothing to start or join). */
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
ip_intern(void *arg, const char *str, size_t len)
{
	(void)arg; (void)str; (void)len;
	return (0);
}

static int64_t
ip_note(void *arg, const struct scn_stmt *st)
{
	(void)arg; (void)st;
	return (-1);
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

static volatile int	spin_stop;

/* Competes for the one CPU the test runs on. */
static void *
spin_main(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&spin_stop, __ATOMIC_RELAXED))
		;
	return (NULL);
}

static uint64_t
thread_cpu_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}

/* `compute 50ms` burns 50 ms of the worker's own CPU time, however long
   that takes: here it shares one CPU with a busy thread, so a compute
   that watched the wall clock would stop after about half of that. CPU
   time used is what is asserted (deterministic), never wall time. */
START_TEST(test_compute_cpu_time)
{
	static const char text[] = "thread t:\n    compute 50ms\n";
	struct scn_diags	 d;
	struct scn_file		*f;
	struct trace_meta	 meta;
	struct trace_producer	 tp;
	struct trace_ring_set	*set;
	struct sync_ctx		 sc;
	struct exec_env		 env;
	struct sync_obj		 objs[1];
	pthread_t		 spinner;
	cpu_set_t		 cpus;
	uint32_t		 gate_fast = 1;
	int32_t			 line = 0, col = 0;
	uint64_t		 used;
	size_t			 size;
	void			*mem;
	int			 cpu;

	/* This process (a CK_FORK child) and its spinner on one CPU. */
	ck_assert_int_eq(sched_getaffinity(0, sizeof cpus, &cpus), 0);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &cpus); cpu++)
		;
	ck_assert_int_lt(cpu, CPU_SETSIZE);
	CPU_ZERO(&cpus);
	CPU_SET(cpu, &cpus);
	ck_assert_int_eq(sched_setaffinity(0, sizeof cpus, &cpus), 0);

	memset(&d, 0, sizeof d);
	f = scenario_load_text("compute.scn", text, strlen(text), &d);
	ck_assert_ptr_nonnull(f);
	scenario_diags_done(&d);
	scenario_meta_build(f, &meta);
	size = trace_ring_set_size(1, 1024);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	ck_assert(mem != MAP_FAILED);
	set = trace_ring_set_init(mem, size, 1, 1024, 0, -1);
	ck_assert_ptr_nonnull(set);
	trace_producer_init(&tp, set, 0, 0);
	memset(objs, 0, sizeof objs);
	memset(&sc, 0, sizeof sc);
	sc.tp = &tp;
	sc.objs = objs;
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

	spin_stop = 0;
	ck_assert_int_eq(pthread_create(&spinner, NULL, spin_main, NULL), 0);
	used = thread_cpu_ns();
	ck_assert_int_eq(exec_worker(&env), 0);
	used = thread_cpu_ns() - used;
	__atomic_store_n(&spin_stop, 1, __ATOMIC_RELAXED);
	pthread_join(spinner, NULL);
	ck_assert_msg(used >= 45000000, "compute 50ms used %llu ns of CPU",
	    (unsigned long long)used);

	munmap(mem, size);
	trace_meta_done(&meta);
	scenario_free(f);
}
END_TEST

static int
rt_open_fds(void)
{
	return (lib_count_entries("/proc/self/fd", NULL));
}

/* The second object's set-up fails (no message queue may be created under
   RLIMIT_MSGQUEUE 0): the pipe the first object's set-up opened is closed
   again, and nothing else is left. */
START_TEST(test_setup_failure_closes_fds)
{
	static const char text[] =
	    "pipe P\n"
	    "mqueue M(4)\n"
	    "thread t:\n"
	    "    send P 1\n"
	    "    send M 2\n";
	struct rlimit	 rl = { 0, 0 };
	struct rt	 rt;
	char		*cause = NULL;
	int		 before;

	ck_assert_int_eq(setrlimit(RLIMIT_MSGQUEUE, &rl), 0);
	rt_load(&rt, text);
	before = rt_open_fds();
	rt.run = run_create(rt.f, &rt.meta, NULL);
	ck_assert_int_eq(run_start(rt.run, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "M"));
	free(cause);
	ck_assert_int_eq(rt_open_fds(), before);
	run_free(rt.run);
	rt.run = NULL;
	ck_assert_int_eq(rt_open_fds(), before);
	rt_done(&rt);
}
END_TEST

static Suite *
suite_runtime(void)
{
	Suite	*s = suite_create("runtime");
	TCase	*tc = tcase_create("runs");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_forced_lost_update);
	tcase_add_test(tc, test_pause_step_one_statement);
	tcase_add_test(tc, test_schedule_replay);
	tcase_add_test(tc, test_deadlock_detected_and_stopped);
	tcase_add_test(tc, test_headless_deadlock_schedule);
	tcase_add_test(tc, test_owner_died);
	tcase_add_test(tc, test_crash_signals);
	tcase_add_test(tc, test_daemon_and_join_timeout);
	tcase_add_test(tc, test_timeout_progress);
	tcase_add_test(tc, test_pipe_eof_runtime);
	tcase_add_test(tc, test_race_processes);
	tcase_add_test(tc, test_signal_front_end);
	tcase_add_test(tc, test_headless_json_exit);
	tcase_add_test(tc, test_mixed_scenario);
	tcase_add_test(tc, test_pool_processes);
	tcase_add_test(tc, test_compute_cpu_time);
	tcase_add_test(tc, test_setup_failure_closes_fds);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_runtime()));
}
