/*
 * explore/real.c: the search's executor on the real runtime.
 *
 * Each execution is a real scheduled run (runtime/run.h): the scenario's
 * threads and processes, one worker at a time, scenario time. A step is
 * run_step(w); the run is then quiet (no worker holds the turn), so every
 * event of the step can be read at once: they go to a model, and the
 * objects they name become the step's accesses (a shared-int load is a
 * read, anything else on an object a write; start, end and join touch a
 * pseudo-object per worker). At the end, the run is stopped (nothing left
 * behind) and judged as `lockstep run` judges it (headless_judge); the
 * outcome key is the final shared values, the verdict and the failed
 * expectations: what a student would call "a different result".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "explore/real.h"
#include "export/tracefile.h"
#include "model/model.h"
#include "runtime/headless.h"
#include "util/xmalloc.h"

#define REAL_BATCH	1024

struct explore_real {
	const struct scn_file	*file;
	const struct trace_meta	*meta;
	struct headless_result	 res;	/* model, run, errors */
	struct trace_event	*buf;
	int			 live;
	uint64_t		 runs;

	/* A `x += n` under way per worker: its load, and whether another
	   worker stored to the same cell since (its store will lose that
	   update: a cut schedule already has its lost update). */
	struct {
		uint16_t	 last_type;
		uint16_t	 obj;
		int32_t		 cell;
		int		 pending;
		int		 stale;
		uint16_t	 by;
	}			*rmw;

	/* With keep: the last execution's events, strings and choices. */
	int			 keep;
	struct trace_event	*kept;
	size_t			 nkept, kept_cap;
	char			*strtab;
	size_t			 strtab_len;
	uint16_t		*choices;
	size_t			 nchoices;
};

struct explore_real *
explore_real_create(const struct scn_file *file, const struct trace_meta *meta)
{
	struct explore_real	*x = xcalloc(1, sizeof *x);

	x->file = file;
	x->meta = meta;
	x->buf = xcalloc(REAL_BATCH, sizeof *x->buf);
	x->rmw = xcalloc(meta->nworkers + 1, sizeof *x->rmw);
	return (x);
}

static void
real_finish(struct explore_real *x)
{
	if (!x->live)
		return;
	run_stop(x->res.run);
	headless_result_done(&x->res);
	x->live = 0;
}

void
explore_real_free(struct explore_real *x)
{
	if (x == NULL)
		return;
	real_finish(x);
	free(x->buf);
	free(x->rmw);
	free(x->kept);
	free(x->strtab);
	free(x->choices);
	free(x);
}

void
explore_real_keep(struct explore_real *x, int on)
{
	x->keep = on;
}

const struct model *
explore_real_model(const struct explore_real *x)
{
	return (x->live ? x->res.model : NULL);
}

int
explore_real_save(const struct explore_real *x, const char *path,
    char **cause)
{
	return (tracefile_save(path, x->meta, x->kept, x->nkept, x->strtab,
	    x->strtab_len, x->choices, x->nchoices, 0, cause));
}

uint64_t
explore_real_runs(const struct explore_real *x)
{
	return (x->runs);
}

/* Follow the split `x += n` of each worker (see struct explore_real). */
static void
real_rmw(struct explore_real *x, const struct trace_event *ev)
{
	size_t	w;

	if (ev->worker >= x->meta->nworkers)
		return;
	switch (ev->type) {
	case TRACE_MICROSTEP:
		if (x->rmw[ev->worker].last_type == TRACE_SHARED_LOAD) {
			x->rmw[ev->worker].pending = 1;
			x->rmw[ev->worker].stale = 0;
		}
		break;
	case TRACE_SHARED_STORE:
	case TRACE_SHARED_ADD:
		x->rmw[ev->worker].pending = 0;
		for (w = 0; w < x->meta->nworkers; w++) {
			if (w != ev->worker && x->rmw[w].pending &&
			    x->rmw[w].obj == ev->object &&
			    x->rmw[w].cell == ev->a1) {
				x->rmw[w].stale = 1;
				x->rmw[w].by = ev->worker;
			}
		}
		break;
	case TRACE_SHARED_LOAD:
		x->rmw[ev->worker].obj = ev->object;
		x->rmw[ev->worker].cell = ev->a1;
		break;
	}
	x->rmw[ev->worker].last_type = ev->type;
}

/* Read every event published so far into the model; with acc, note what
   they touched. */
static void
real_drain(struct explore_real *x, struct explore_accs *acc)
{
	const struct trace_event	*ev;
	size_t				 n, i;

	while ((n = run_read(x->res.run, x->buf, REAL_BATCH)) > 0) {
		for (i = 0; i < n; i++) {
			ev = &x->buf[i];
			model_apply(x->res.model, ev);
			real_rmw(x, ev);
			if (acc == NULL)
				continue;
			switch (trace_event_refers(ev->type)) {
			case TRACE_REFERS_OBJECT:
				if (ev->object < x->meta->nobjects)
					explore_accs_add(acc, ev->object,
					    ev->type != TRACE_SHARED_LOAD);
				break;
			case TRACE_REFERS_WORKER:
				if (ev->object < x->meta->nworkers)
					explore_accs_add(acc,
					    EXPLORE_OBJ_WORKER + ev->object, 1);
				break;
			default:
				break;
			}
			if ((ev->type == TRACE_WORKER_END ||
			    ev->type == TRACE_WORKER_CRASH ||
			    ev->type == TRACE_WORKER_START) &&
			    ev->worker < x->meta->nworkers)
				explore_accs_add(acc,
				    EXPLORE_OBJ_WORKER + ev->worker, 1);
		}
		headless_collect(&x->res, x->buf, n);
		x->res.events += n;
		if (x->keep) {
			if (x->nkept + n > x->kept_cap) {
				x->kept_cap = (x->nkept + n) * 2;
				x->kept = xreallocarray(x->kept, x->kept_cap,
				    sizeof *x->kept);
			}
			memcpy(x->kept + x->nkept, x->buf, n * sizeof *x->buf);
			x->nkept += n;
		}
	}
}

static int
real_begin(void *arg, char **cause)
{
	struct explore_real	*x = arg;
	struct run_options	 ro;

	real_finish(x);
	memset(&x->res, 0, sizeof x->res);
	memset(&ro, 0, sizeof ro);
	ro.paused = 1;		/* scheduled: only run_step moves it */
	x->res.model = model_create(x->meta);
	x->res.run = run_create(x->file, x->meta, &ro);
	if (run_start(x->res.run, cause) != 0) {
		run_free(x->res.run);
		model_free(x->res.model);
		memset(&x->res, 0, sizeof x->res);
		return (-1);
	}
	x->live = 1;
	x->runs++;
	x->nkept = 0;
	memset(x->rmw, 0, (x->meta->nworkers + 1) * sizeof *x->rmw);
	real_drain(x, NULL);
	return (0);
}

static size_t
real_enabled(void *arg, uint16_t *ws)
{
	struct explore_real	*x = arg;
	size_t			 n = 0, w;

	if (run_sched_state(x->res.run) != RUN_SCHED_READY)
		return (0);
	for (w = 0; w < x->meta->nworkers; w++) {
		if (run_at_gate(x->res.run, (int)w))
			ws[n++] = (uint16_t)w;
	}
	return (n);
}

static int
real_step(void *arg, uint16_t w, struct explore_accs *acc, char **cause)
{
	struct explore_real	*x = arg;

	if (run_step(x->res.run, w) != w) {
		xasprintf(cause, "worker %s could not be stepped",
		    x->meta->workers[w].name);
		return (-1);
	}
	real_drain(x, acc);
	return (0);
}

static void
real_add(char **detail, const char *what)
{
	char	*t;

	xasprintf(&t, "%s%s%s", *detail, **detail ? "; " : "", what);
	free(*detail);
	*detail = t;
}

/* What went wrong whatever the expect lines say: deadlock, stall, a lost
   update, a crash, a runtime error. Appended to *detail; 1 if any. */
static int
real_hazards(const struct trace_meta *meta, const struct headless_result *res,
    char **detail)
{
	const struct model		*m = res->model;
	const struct model_detect	*d = &m->detect;
	char				 buf[256];
	uint64_t			 lost = 0;
	size_t				 i;
	int				 n = 0, crashed = 0;

	/* Deadlock and stall are in the key's verdict already. */
	if (d->deadlocks_seen > 0 || d->self_deadlocks_seen > 0 ||
	    d->stalls_seen > 0)
		n++;
	for (i = 0; i < meta->nobjects; i++)
		lost += m->objects[i].lost_updates;
	if (lost > 0) {
		snprintf(buf, sizeof buf, "%" PRIu64 " lost update%s", lost,
		    lost == 1 ? "" : "s");
		real_add(detail, buf);
		n++;
	}
	for (i = 0; i < meta->nworkers; i++)
		crashed += m->workers[i].state == MODEL_W_CRASHED;
	if (crashed > 0) {
		snprintf(buf, sizeof buf, "%d worker%s crashed", crashed,
		    crashed == 1 ? "" : "s");
		real_add(detail, buf);
		n++;
	}
	if (res->nerrors > 0) {
		snprintf(buf, sizeof buf, "runtime error: %s",
		    res->errors[0].text);
		real_add(detail, buf);
		n++;
	}
	return (n > 0);
}

/* "counter=4 | deadlock t1 -> B -> t2 -> A -> t1 | ..." */
void
explore_real_outcome(const struct trace_meta *meta,
    const struct headless_result *res, struct explore_outcome *oc)
{
	const struct model		*m = res->model;
	const struct model_detect	*d = &m->detect;
	char				*key, *detail, *t, buf[1024];
	size_t				 i, nfail = 0;
	int				 hazard;

	key = xstrdup("");
	for (i = 0; i < meta->nobjects; i++) {
		if (meta->objects[i].kind != TRACE_OBJ_SHARED)
			continue;
		xasprintf(&t, "%s%s%s=%" PRId64, key, *key ? " " : "",
		    meta->objects[i].name, m->objects[i].value);
		free(key);
		key = t;
	}
	if (d->deadlock || d->self_deadlock) {
		model_cycle_string(m, buf, sizeof buf);
		xasprintf(&t, "%s%sdeadlock%s%s", key, *key ? " | " : "",
		    *buf ? ": " : "", buf);
	} else if (d->stall)
		xasprintf(&t, "%s%sstall", key, *key ? " | " : "");
	else
		xasprintf(&t, "%s%scompletes", key, *key ? " | " : "");
	free(key);
	key = t;

	/* Hazards first, in the words of the summary. */
	detail = xstrdup("");
	hazard = real_hazards(meta, res, &detail);
	for (i = 0; i < meta->nexpects; i++) {
		if (res->held == NULL || res->held[i])
			continue;
		xasprintf(&t, "%s%s%s (line %d) fails", detail,
		    *detail ? "; " : "", meta->expects[i].text,
		    meta->expects[i].line);
		free(detail);
		detail = t;
		nfail++;
	}
	if (*detail != '\0') {
		xasprintf(&t, "%s | %s", key, detail);
		free(key);
		key = t;
	}
	oc->key = key;
	oc->detail = detail;
	oc->hazard = hazard;
	oc->failed = hazard || nfail > 0;
}

static void
real_pending_lost(struct explore_real *x, struct explore_outcome *oc)
{
	char	*t;
	size_t	 w;

	for (w = 0; w < x->meta->nworkers; w++) {
		if (!x->rmw[w].pending || !x->rmw[w].stale)
			continue;
		xasprintf(&t, "%s%sa lost update under way: %s loaded %s, "
		    "%s stored to it since, and %s stores next", oc->detail,
		    *oc->detail ? "; " : "", x->meta->workers[w].name,
		    x->meta->objects[x->rmw[w].obj].name,
		    x->meta->workers[x->rmw[w].by].name,
		    x->meta->workers[w].name);
		free(oc->detail);
		oc->detail = t;
		oc->hazard = 1;
		return;
	}
}

static void
real_end(void *arg, enum explore_end how, struct explore_outcome *oc)
{
	struct explore_real	*x = arg;
	char			*t;

	if (!x->live)
		return;
	if (how == EXPLORE_END_COMPLETE) {
		switch (run_sched_state(x->res.run)) {
		case RUN_SCHED_STUCK:
			x->res.stop = x->res.model->detect.deadlock ||
			    x->res.model->detect.self_deadlock ?
			    HEADLESS_DEADLOCK : HEADLESS_STALL;
			break;
		default:
			x->res.stop = HEADLESS_FINISHED;
			break;
		}
	}
	run_stop(x->res.run);
	real_drain(x, NULL);
	if (x->keep) {
		const char	*tab;
		const uint16_t	*ch;

		tab = run_strtab(x->res.run, &x->strtab_len);
		free(x->strtab);
		x->strtab = xmalloc(x->strtab_len + 1);
		if (x->strtab_len > 0)
			memcpy(x->strtab, tab, x->strtab_len);
		ch = run_choices(x->res.run, &x->nchoices);
		free(x->choices);
		x->choices = xreallocarray(NULL, x->nchoices + 1,
		    sizeof *x->choices);
		if (x->nchoices > 0)
			memcpy(x->choices, ch, x->nchoices *
			    sizeof *x->choices);
	}
	if (how != EXPLORE_END_ABORT && oc != NULL) {
		headless_judge(x->file, x->meta, &x->res);
		explore_real_outcome(x->meta, &x->res, oc);
		if (how == EXPLORE_END_CUT) {
			/* Not ended: only a hazard already seen counts, or
			   one that is bound to happen: a worker whose next
			   step stores a value gone stale. */
			real_pending_lost(x, oc);
			oc->failed = oc->hazard;
			xasprintf(&t, "cut at --max-steps%s%s",
			    oc->hazard ? " | " : "", oc->hazard ?
			    oc->detail : "");
			free(oc->key);
			oc->key = t;
		}
	}
	headless_result_done(&x->res);
	x->live = 0;
}

const struct explore_ops explore_real_ops = {
	.begin = real_begin,
	.enabled = real_enabled,
	.step = real_step,
	.end = real_end,
};
