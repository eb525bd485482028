/*
 * runtime/headless.c: the run loop and the judging of `lockstep run
 * --headless` (and of `lockstep record`, which passes a callback to save
 * events; of `lockstep explore` and `lockstep trace`). The summary printed
 * about the result is cli/summary.c.
 *
 * The loop reads merged events in batches, applies them to the model and
 * sleeps in run_wait() when there is nothing to read. It ends when:
 *   - the runner has exited and every event has been read (finished);
 *   - the model shows a deadlock, self-deadlock or stall in which no
 *     member waits with a timeout, and no event arrived for the grace
 *     period (the workers sit in real kernel waits and never will move);
 *   - the timeout expired: by default when no event arrived for it (a
 *     long run that keeps going is never cut short), with --timeout when
 *     the whole run took it;
 *   - the runner died without its end marker (killed, crashed): the end
 *     of such a run is not known, so it is an error (HEADLESS_LOST, exit
 *     status 3), never a pass, whatever the model says.
 * In every case run_stop() then kills the runner's process group and
 * removes what the run created, and the events still in the rings are
 * applied. In step mode (--seed / --schedule) the run is scheduled (one
 * worker at a time, scenario time: sync/sched.h) and headless_step() is
 * the stepper: the schedule first, then the seeded policy.
 *
 * Judging: every expectation is evaluated on the final model; besides, an
 * unexpected outcome is a failure even if no expect line mentions it: a
 * deadlock or stall nobody expected, a crash in a scenario without a
 * `crash` statement, a worker that ended with a runtime error (named,
 * with the error), or a timeout.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/headless.h"
#include "scenario/exec.h"
#include "util/xmalloc.h"

#define HEADLESS_BATCH		4096
#define HEADLESS_GRACE_MS	200
#define HEADLESS_STEPS		1024	/* steps between two reads */

static uint64_t
headless_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

void
headless_collect(struct headless_result *res, const struct trace_event *ev,
    size_t n)
{
	struct headless_error	*e;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (ev[i].type != TRACE_ERROR || res->nerrors >= 1000)
			continue;
		res->errors = xreallocarray(res->errors, res->nerrors + 1,
		    sizeof *res->errors);
		e = &res->errors[res->nerrors++];
		e->worker = ev[i].worker;
		e->line = ev[i].a1;
		e->text = xstrdup(run_string(res->run, ev[i].a0));
	}
}

static size_t
headless_drain(struct headless_result *res, const struct headless_opts *o,
    struct trace_event *buf)
{
	size_t	n, i, total = 0;

	while ((n = run_read(res->run, buf, HEADLESS_BATCH)) > 0) {
		for (i = 0; i < n; i++)
			model_apply(res->model, &buf[i]);
		headless_collect(res, buf, n);
		if (o->on_events != NULL)
			o->on_events(o->arg, res->run, buf, n);
		total += n;
	}
	res->events += total;
	return (total);
}

/* Whether a non-daemon worker can still run (not ended, not blocked):
   the run goes on until it has, so that what it does still counts. */
static int
headless_others_run(const struct model *m)
{
	size_t	i;

	for (i = 0; i < m->meta->nworkers; i++) {
		if (m->meta->workers[i].flags & TRACE_WORKERF_DAEMON)
			continue;
		switch (m->workers[i].state) {
		case MODEL_W_BLOCKED:
		case MODEL_W_DONE:
		case MODEL_W_CRASHED:
		case MODEL_W_KILLED:
			break;
		case MODEL_W_NOT_STARTED:
			if (m->workers[i].start_requested ||
			    !(m->meta->workers[i].flags &
			    TRACE_WORKERF_DEFERRED))
				return (1);
			break;
		default:
			return (1);
		}
	}
	return (0);
}

/* A detection that will never resolve by itself, once no non-daemon
   worker is left running (daemons never end by themselves). */
static enum headless_stop
headless_stuck(const struct model *m)
{
	const struct model_detect	*d = &m->detect;

	if (headless_others_run(m))
		return (HEADLESS_FINISHED);

	if (d->deadlock && !d->deadlock_timed)
		return (HEADLESS_DEADLOCK);
	if (d->self_deadlock)
		return (HEADLESS_DEADLOCK);
	if (d->stall && !d->stall_timed)
		return (HEADLESS_STALL);
	return (HEADLESS_FINISHED);
}

/*
 * The stepper of a scheduled run: steps by the schedule, then the seeded
 * policy, in batches (events are read between batches, when no worker
 * runs, so the merge is exact), until every non-daemon ended, no worker
 * can move (the model says why: deadlock, stall), or the timeout.
 */
static void
headless_step(struct headless_result *res, const struct headless_opts *o,
    struct trace_event *buf, uint64_t t0)
{
	enum headless_stop	stuck;

	/* A scheduled run always makes progress (steps): only an explicit
	   --timeout bounds it; the no-progress default cannot fire. */
	for (;;) {
		run_steps(res->run, HEADLESS_STEPS);
		headless_drain(res, o, buf);
		switch (run_sched_state(res->run)) {
		case RUN_SCHED_STUCK:
			stuck = headless_stuck(res->model);
			res->stop = stuck != HEADLESS_FINISHED ? stuck :
			    HEADLESS_STALL;
			return;
		case RUN_SCHED_DONE:
			/* The runner ends the daemons and exits. */
			while (!run_finished(res->run)) {
				if (o->timeout_ms > 0 && headless_now_ms() -
				    t0 >= (uint64_t)o->timeout_ms) {
					res->stop = HEADLESS_TIMEOUT;
					return;
				}
				run_wait(res->run, 50);
				headless_drain(res, o, buf);
			}
			headless_drain(res, o, buf);
			return;
		default:
			break;
		}
		/* A deadlock or stall the model is sure of, while a daemon
		   (or a worker nobody waits for) still runs on. */
		if ((stuck = headless_stuck(res->model)) != HEADLESS_FINISHED) {
			res->stop = stuck;
			return;
		}
		if (o->timeout_ms > 0 && !o->timeout_idle &&
		    headless_now_ms() - t0 >= (uint64_t)o->timeout_ms) {
			res->stop = HEADLESS_TIMEOUT;
			return;
		}
	}
}

int
headless_run(const struct scn_file *file, const struct trace_meta *meta,
    const struct headless_opts *o, struct headless_result *res, char **cause)
{
	struct run_options	 ro;
	struct trace_event	*buf;
	enum headless_stop	 stuck;
	uint64_t		 t0, now, last, since = 0;
	int			 grace;

	memset(res, 0, sizeof *res);
	memset(&ro, 0, sizeof ro);
	ro.paused = o->stepped;
	ro.tempo_ms = o->tempo_ms;
	ro.lossy = o->lossy;
	ro.seed = o->seed;
	ro.schedule = o->schedule;
	ro.nschedule = o->nschedule;
	grace = o->grace_ms > 0 ? o->grace_ms : HEADLESS_GRACE_MS;

	res->model = model_create(meta);
	res->run = run_create(file, meta, &ro);
	if (run_start(res->run, cause) != 0) {
		run_free(res->run);
		model_free(res->model);
		memset(res, 0, sizeof *res);
		return (-1);
	}
	buf = xcalloc(HEADLESS_BATCH, sizeof *buf);
	t0 = last = headless_now_ms();
	res->stop = HEADLESS_FINISHED;
	res->timeout_ms = o->timeout_ms;
	res->timeout_idle = o->timeout_idle;
	if (o->stepped) {
		headless_step(res, o, buf, t0);
		goto out;
	}
	for (;;) {
		now = headless_now_ms();
		/* A detection that stands for the grace period ends the
		   run even while a daemon keeps ticking. */
		stuck = headless_stuck(res->model);
		if (stuck == HEADLESS_FINISHED)
			since = 0;
		else if (since == 0)
			since = now;
		else if (now - since >= (uint64_t)grace) {
			res->stop = stuck;
			break;
		}
		if (headless_drain(res, o, buf) > 0) {
			last = now;
			continue;
		}
		if (run_finished(res->run)) {
			/* Events published just before the end. */
			if (headless_drain(res, o, buf) > 0)
				continue;
			break;
		}
		stuck = headless_stuck(res->model);
		if (stuck != HEADLESS_FINISHED && now - last >= (uint64_t)grace) {
			res->stop = stuck;
			break;
		}
		if (o->timeout_ms > 0 && now - (o->timeout_idle ? last : t0) >=
		    (uint64_t)o->timeout_ms) {
			res->stop = HEADLESS_TIMEOUT;
			break;
		}
		run_wait(res->run, 50);
	}
out:
	if (run_start_failed(res->run, res->lost, sizeof res->lost))
		res->stop = HEADLESS_START_FAILED;
	else if (res->stop == HEADLESS_FINISHED &&
	    run_runner_lost(res->run, res->lost, sizeof res->lost))
		res->stop = HEADLESS_LOST;
	res->scheduled = run_sched_state(res->run) != RUN_SCHED_FREE;
	res->scenario_ns = run_scenario_ns(res->run);
	run_stop(res->run);
	headless_drain(res, o, buf);
	free(buf);
	res->elapsed_ms = headless_now_ms() - t0;
	res->dropped = run_dropped(res->run);
	res->model->dropped = res->dropped;
	return (0);
}

static int
headless_expects(const struct trace_meta *meta, enum trace_expect_kind k)
{
	size_t	i;

	for (i = 0; i < meta->nexpects; i++) {
		if (meta->expects[i].kind == k)
			return (1);
	}
	return (0);
}

static void
headless_problem(struct headless_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
headless_problem(struct headless_result *res, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = xstrdup("?");
	va_end(ap);
	res->problems = xreallocarray(res->problems, res->nproblems + 1,
	    sizeof *res->problems);
	res->problems[res->nproblems++] = s;
}

void
headless_judge(const struct scn_file *file, const struct trace_meta *meta,
    struct headless_result *res)
{
	const struct model_detect	*d = &res->model->detect;
	const struct model_worker	*mw;
	size_t				 i, w, other;
	int				 deliberate = 0, crashed = 0;

	free(res->held);
	res->held = xcalloc(meta->nexpects + 1, sizeof *res->held);
	res->pass = 1;
	for (i = 0; i < meta->nexpects; i++) {
		res->held[i] = model_expect_holds(res->model, &meta->expects[i]);
		if (!res->held[i])
			res->pass = 0;
	}

	if (d->hard_deadlock_seen && !d->self_deadlocks_seen &&
	    !headless_expects(meta, TRACE_EXPECT_DEADLOCK))
		headless_problem(res, "unexpected deadlock");
	if (d->self_deadlocks_seen &&
	    !headless_expects(meta, TRACE_EXPECT_SELF_DEADLOCK) &&
	    !headless_expects(meta, TRACE_EXPECT_DEADLOCK))
		headless_problem(res, "unexpected self-deadlock");
	if (d->hard_stall_seen && !headless_expects(meta, TRACE_EXPECT_STALL))
		headless_problem(res, "unexpected stall");
	for (w = 0; w < meta->nworkers; w++) {
		if (exec_has_crash(file, meta, (uint16_t)w))
			deliberate = 1;
		if (res->model->workers[w].state == MODEL_W_CRASHED)
			crashed++;
	}
	/* Workers never started are not crashes: START_FAILED says why. */
	if (crashed > 0 && !deliberate && res->stop != HEADLESS_START_FAILED)
		headless_problem(res, "%d worker%s crashed", crashed,
		    crashed == 1 ? "" : "s");
	/* A worker that ended with a non-zero status (after a runtime
	   error) is named, with its first error; errors of workers that did
	   not end that way (the run was stopped first) are counted. */
	for (w = 0; w < meta->nworkers; w++) {
		mw = &res->model->workers[w];
		if (mw->state != MODEL_W_DONE || mw->exit_status == 0)
			continue;
		for (i = 0; i < res->nerrors; i++) {
			if (res->errors[i].worker == w)
				break;
		}
		if (i < res->nerrors)
			headless_problem(res, "%s ended with a runtime error "
			    "(%s)", meta->workers[w].name,
			    res->errors[i].text);
		else
			headless_problem(res, "%s ended with exit status %"
			    PRId64, meta->workers[w].name, mw->exit_status);
	}
	for (i = 0, other = 0; i < res->nerrors; i++) {
		w = res->errors[i].worker;
		if (w >= meta->nworkers ||
		    res->model->workers[w].state != MODEL_W_DONE ||
		    res->model->workers[w].exit_status == 0)
			other++;
	}
	if (other > 0)
		headless_problem(res, "%zu runtime error%s", other,
		    other == 1 ? "" : "s");
	if (res->stop == HEADLESS_TIMEOUT && res->timeout_idle)
		headless_problem(res, "no progress: no event for %g s (after "
		    "%" PRIu64 " events in %" PRIu64 " ms)",
		    res->timeout_ms / 1000.0, res->events, res->elapsed_ms);
	else if (res->stop == HEADLESS_TIMEOUT)
		headless_problem(res, "--timeout ran out: %g s elapsed, still "
		    "running after %" PRIu64 " events",
		    res->timeout_ms / 1000.0, res->events);
	if (res->stop == HEADLESS_LOST || res->stop == HEADLESS_START_FAILED)
		headless_problem(res, "%s", res->lost);
	if (res->dropped > 0)
		headless_problem(res, "%" PRIu64 " events dropped (lossy "
		    "mode): the verdict may be wrong", res->dropped);
	if (res->nproblems > 0)
		res->pass = 0;
}

void
headless_result_done(struct headless_result *res)
{
	size_t	i;

	for (i = 0; i < res->nerrors; i++)
		free(res->errors[i].text);
	free(res->errors);
	for (i = 0; i < res->nproblems; i++)
		free(res->problems[i]);
	free(res->problems);
	free(res->held);
	if (res->run != NULL)
		run_free(res->run);
	if (res->model != NULL)
		model_free(res->model);
	memset(res, 0, sizeof *res);
}
