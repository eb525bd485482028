/*
 * explore/search.c: the interleaving search (see explore.h).
 *
 * One pass (preemption bound k) is a depth-first search over the tree of
 * schedules, run statelessly: the current path is an array of nodes, one
 * per step, each with the workers enabled there, the one chosen, what its
 * step touched, the workers asleep there and the ones already explored
 * ("done", with what their steps touched). An execution replays the path
 * up to the node being varied, takes the new choice there and goes on
 * with the default policy: keep the worker that ran last when it may go on
 * (no preemption), else the lowest enabled worker that is not asleep.
 * When it ends, the search backs up to the deepest node with an enabled
 * worker neither asleep nor done and runs again from the start.
 *
 * Sleep sets: the child reached by worker t's step at node i inherits, of
 * node i's sleeping and done workers, those whose step is independent of
 * t's. An execution in which every enabled worker sleeps is equivalent to
 * one already run: it stops there. Iterating k from 0 makes the first
 * failure found one with the fewest preemptions.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore/explore.h"
#include "util/xmalloc.h"

#define EXPLORE_DEFAULT_MAX_STEPS	20000

struct ex_sleeper {
	uint16_t		w;
	struct explore_accs	acc;
};

struct ex_node {
	uint16_t		*en;		/* enabled, ascending */
	size_t			 nen;
	int			 prev;		/* worker of the step before, or
						   -1 at the start */
	int			 preempt;	/* preemptions before this node */
	uint16_t		 chosen;
	struct explore_accs	 acc;		/* of chosen's step */
	struct ex_sleeper	*sleep;
	size_t			 nsleep;
	struct ex_sleeper	*done;
	size_t			 ndone;
	uint16_t		*bt;		/* DPOR: workers to try here */
	size_t			 nbt;
};

struct ex_search {
	const struct explore_ops	*ops;
	void				*ctx;
	const struct explore_opts	*opt;
	struct explore_result		*res;
	uint64_t			 t0;
	uint64_t			 max_steps;
	int				 bound;

	struct ex_node			*path;
	size_t				 npath, cap;
	uint16_t			*en;	/* scratch: enabled now */

	struct explore_row		*rows;	/* this pass */
	size_t				 nrows;
	int				 cut;	/* this pass cut by bound */
	int				 stop_found;	/* end the pass at the
							   first hazard */
	int				 dpor;	/* try only where races were
						   seen (unbounded passes) */
	size_t				 nexec;	/* steps taken in the last
						   execution */
	/* The first expect failure without a hazard, kept in case no
	   hazard is found. */
	int				 efound;
	uint64_t			 efirst_ms;
	int				 ecut;
	struct explore_schedule		 efail;
	char				*ekey, *edetail;
};

void
explore_accs_add(struct explore_accs *a, uint32_t obj, int write)
{
	int	i;

	for (i = 0; i < a->n; i++) {
		if (a->v[i].obj == obj) {
			a->v[i].write |= write;
			return;
		}
	}
	if (a->n == EXPLORE_MAX_ACC) {
		a->overflow = 1;
		return;
	}
	a->v[a->n].obj = obj;
	a->v[a->n].write = write;
	a->n++;
}

/* Steps commute when they touch no object in common, or only read the
   ones they share. */
int
explore_accs_independent(const struct explore_accs *a,
    const struct explore_accs *b)
{
	int	i, j;

	if (a->overflow || b->overflow)
		return (0);
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++) {
			if (a->v[i].obj == b->v[j].obj &&
			    (a->v[i].write || b->v[j].write))
				return (0);
		}
	}
	return (1);
}

const char *
explore_stop_name(enum explore_stop s)
{
	switch (s) {
	case EXPLORE_EXHAUSTIVE:
		return ("exhaustive");
	case EXPLORE_BOUND:
		return ("bounded by preemptions");
	case EXPLORE_MAX_SCHEDULES:
		return ("stopped at --max-schedules");
	case EXPLORE_TIME_LIMIT:
		return ("stopped at --time-limit");
	case EXPLORE_INTERRUPTED:
		return ("interrupted");
	case EXPLORE_FOUND:
		return ("stopped at the first failure");
	case EXPLORE_STEPS:
		return ("bounded by --max-steps (schedules were cut)");
	}
	return ("?");
}

static uint64_t
ex_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static int
ex_has(const uint16_t *v, size_t n, uint16_t w)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i] == w)
			return (1);
	}
	return (0);
}

static const struct ex_sleeper *
ex_find(const struct ex_sleeper *v, size_t n, uint16_t w)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].w == w)
			return (&v[i]);
	}
	return (NULL);
}

static void
ex_node_clear(struct ex_node *n)
{
	free(n->en);
	free(n->sleep);
	free(n->done);
	free(n->bt);
	memset(n, 0, sizeof *n);
}

static void
ex_schedule_copy(struct explore_schedule *dst, const struct ex_search *s,
    size_t n)
{
	size_t	i, np = 0;

	dst->v = xreallocarray(NULL, n + 1, sizeof *dst->v);
	dst->at = xreallocarray(NULL, n + 1, sizeof *dst->at);
	for (i = 0; i < n; i++) {
		dst->v[i] = s->path[i].chosen;
		if (s->path[i].prev >= 0 && s->path[i].chosen !=
		    (uint16_t)s->path[i].prev && ex_has(s->path[i].en,
		    s->path[i].nen, (uint16_t)s->path[i].prev))
			dst->at[np++] = i;
	}
	dst->n = n;
	dst->preemptions = (int)np;
}

static void
ex_schedule_free(struct explore_schedule *sc)
{
	free(sc->v);
	free(sc->at);
	memset(sc, 0, sizeof *sc);
}

static void
ex_rows_free(struct explore_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(rows[i].key);
		free(rows[i].detail);
		ex_schedule_free(&rows[i].example);
	}
	free(rows);
}

/* One execution's outcome into this pass's table. */
static void
ex_record(struct ex_search *s, struct explore_outcome *oc, int cut)
{
	struct explore_result	*res = s->res;
	struct explore_row	*r;
	size_t			 i;

	for (i = 0; i < s->nrows; i++) {
		if (strcmp(s->rows[i].key, oc->key) == 0)
			break;
	}
	if (i < s->nrows) {
		r = &s->rows[i];
		r->count++;
		free(oc->key);
		free(oc->detail);
		oc->key = r->key;
		oc->detail = r->detail;
	} else {
		s->rows = xreallocarray(s->rows, s->nrows + 1,
		    sizeof *s->rows);
		r = &s->rows[s->nrows++];
		memset(r, 0, sizeof *r);
		r->key = oc->key;
		r->detail = oc->detail;
		r->failed = oc->failed;
		r->hazard = oc->hazard;
		r->cut = cut;
		r->count = 1;
		ex_schedule_copy(&r->example, s, s->npath);
	}
	if (oc->hazard && !res->found) {
		res->found = 1;
		res->found_hazard = 1;
		res->failure_cut = cut;
		res->first_ms = ex_now_ms() - s->t0;
		ex_schedule_copy(&res->failure, s, s->npath);
		res->failure_key = xstrdup(oc->key);
		res->failure_detail = oc->detail != NULL ?
		    xstrdup(oc->detail) : NULL;
	} else if (oc->failed && !oc->hazard && !s->efound) {
		s->efound = 1;
		s->ecut = cut;
		s->efirst_ms = ex_now_ms() - s->t0;
		ex_schedule_copy(&s->efail, s, s->npath);
		s->ekey = xstrdup(oc->key);
		s->edetail = oc->detail != NULL ? xstrdup(oc->detail) : NULL;
	}
	memset(oc, 0, sizeof *oc);
}

static struct ex_node *
ex_push(struct ex_search *s)
{
	struct ex_node	*n;

	if (s->npath == s->cap) {
		s->cap = s->cap == 0 ? 64 : s->cap * 2;
		s->path = xreallocarray(s->path, s->cap, sizeof *s->path);
	}
	n = &s->path[s->npath++];
	memset(n, 0, sizeof *n);
	return (n);
}

/* The sleep set of the child of node i reached by its chosen step. */
static void
ex_child_sleep(const struct ex_node *p, struct ex_node *c)
{
	size_t	k;

	c->sleep = xreallocarray(NULL, p->nsleep + p->ndone + 1,
	    sizeof *c->sleep);
	c->nsleep = 0;
	for (k = 0; k < p->nsleep; k++) {
		if (p->sleep[k].w != p->chosen &&
		    explore_accs_independent(&p->sleep[k].acc, &p->acc))
			c->sleep[c->nsleep++] = p->sleep[k];
	}
	for (k = 0; k < p->ndone; k++) {
		if (p->done[k].w != p->chosen &&
		    explore_accs_independent(&p->done[k].acc, &p->acc) &&
		    ex_find(c->sleep, c->nsleep, p->done[k].w) == NULL)
			c->sleep[c->nsleep++] = p->done[k];
	}
}

static int
ex_is_preemption(const struct ex_node *n, uint16_t w)
{
	return (n->prev >= 0 && w != (uint16_t)n->prev &&
	    ex_has(n->en, n->nen, (uint16_t)n->prev));
}

enum ex_end {
	EX_COMPLETE,
	EX_EQUIVALENT,
	EX_BOUNDED,
	EX_TRUNCATED,
	EX_ERROR
};

/*
 * One execution: replay path[0..replay) as it was, then at node `replay`
 * (if vary) take path[replay].chosen, which the caller set to the new
 * alternative, and go on with the default policy.
 */
static enum ex_end
ex_execute(struct ex_search *s, size_t replay, int vary, char **cause)
{
	struct ex_node	*n, *c;
	size_t		 i, nen, k;
	uint16_t	 w;
	int		 found, p;

	s->nexec = 0;
	if (s->ops->begin(s->ctx, cause) != 0)
		return (EX_ERROR);
	for (i = 0;; i++) {
		s->nexec = i;
		nen = s->ops->enabled(s->ctx, s->en);
		if (i < s->npath && (i < replay || (i == replay && vary))) {
			n = &s->path[i];
			if (nen != n->nen ||
			    memcmp(s->en, n->en, nen * sizeof *s->en) != 0) {
				xasprintf(cause, "the run did not reproduce: at "
				    "step %zu a replay found %zu workers "
				    "enabled where the first run found %zu "
				    "(the scenario or the runtime is not "
				    "deterministic)", i + 1, nen, n->nen);
				s->ops->end(s->ctx, EXPLORE_END_ABORT, NULL);
				return (EX_ERROR);
			}
			w = n->chosen;
		} else {
			if (nen == 0)
				break;
			while (s->npath > i)
				ex_node_clear(&s->path[--s->npath]);
			n = ex_push(s);
			n->en = xreallocarray(NULL, nen, sizeof *n->en);
			memcpy(n->en, s->en, nen * sizeof *n->en);
			n->nen = nen;
			if (i == 0) {
				n->prev = -1;
				n->preempt = 0;
			} else {
				/* Switches inside a forced prefix (the live
				   view's run so far) are not the search's. */
				c = &s->path[i - 1];
				n->prev = c->chosen;
				n->preempt = i <= s->opt->nprefix ? 0 :
				    c->preempt + ex_is_preemption(c, c->chosen);
				ex_child_sleep(c, n);
			}
			if (i < s->opt->nprefix) {
				w = s->opt->prefix[i];
				if (!ex_has(n->en, n->nen, w)) {
					xasprintf(cause, "the starting point "
					    "does not reproduce: worker %u is "
					    "not enabled at step %zu", w,
					    i + 1);
					s->ops->end(s->ctx, EXPLORE_END_ABORT, NULL);
					return (EX_ERROR);
				}
			} else {
				/* Default: the last worker, else the lowest
				   awake one. */
				found = 0;
				w = 0;
				if (n->prev >= 0 && ex_has(n->en, n->nen,
				    (uint16_t)n->prev) && ex_find(n->sleep,
				    n->nsleep, (uint16_t)n->prev) == NULL) {
					w = (uint16_t)n->prev;
					found = 1;
				}
				for (k = 0; !found && k < n->nen; k++) {
					if (ex_find(n->sleep, n->nsleep,
					    n->en[k]) == NULL) {
						w = n->en[k];
						found = 1;
					}
				}
				if (!found) {
					s->ops->end(s->ctx, EXPLORE_END_ABORT, NULL);
					return (EX_EQUIVALENT);
				}
				p = n->preempt + ex_is_preemption(n, w);
				if (s->bound >= 0 && p > s->bound) {
					s->cut = 1;
					s->ops->end(s->ctx, EXPLORE_END_ABORT, NULL);
					return (EX_BOUNDED);
				}
			}
			n->chosen = w;
			if (i + 1 == s->opt->nprefix && s->opt->nsiblings > 0) {
				n->done = xreallocarray(NULL,
				    s->opt->nsiblings + 1, sizeof *n->done);
				for (k = 0; k < s->opt->nsiblings; k++) {
					n->done[k].w = s->opt->siblings[k].w;
					n->done[k].acc = s->opt->siblings[k].acc;
				}
				n->ndone = s->opt->nsiblings;
			}
		}
		s->res->steps++;
		if (i >= s->max_steps) {
			/* The caller judges what happened so far. */
			while (s->npath > i)
				ex_node_clear(&s->path[--s->npath]);
			return (EX_TRUNCATED);
		}
		memset(&n->acc, 0, sizeof n->acc);
		if (s->ops->step(s->ctx, w, &n->acc, cause) != 0) {
			s->ops->end(s->ctx, EXPLORE_END_ABORT, NULL);
			return (EX_ERROR);
		}
		s->nexec = i + 1;
		if (!ex_has(n->bt, n->nbt, w)) {
			n->bt = xreallocarray(n->bt, n->nbt + 1,
			    sizeof *n->bt);
			n->bt[n->nbt++] = w;
		}
		if (ex_find(n->done, n->ndone, w) == NULL) {
			n->done = xreallocarray(n->done, n->ndone + 1,
			    sizeof *n->done);
			n->done[n->ndone].w = w;
			n->done[n->ndone].acc = n->acc;
			n->ndone++;
		}
	}
	/* Every worker ended or waits for ever: drop nodes past the end. */
	while (s->npath > i)
		ex_node_clear(&s->path[--s->npath]);
	return (EX_COMPLETE);
}

/* Object -> its last write and the reads since, for ex_races. */
struct ex_obj {
	uint32_t	 obj;
	int		 used;
	ssize_t		 write;		/* step, or -1 */
	size_t		*reads;
	size_t		 nreads;
};

static struct ex_obj *
ex_obj_get(struct ex_obj *tab, size_t cap, uint32_t obj)
{
	size_t	h = (obj * 2654435761u) & (cap - 1);

	while (tab[h].used && tab[h].obj != obj)
		h = (h + 1) & (cap - 1);
	if (!tab[h].used) {
		tab[h].used = 1;
		tab[h].obj = obj;
		tab[h].write = -1;
	}
	return (&tab[h]);
}

/* Node i's step races with a later step of worker q: q (or, if q could
   not move there, every worker that could) must be tried at node i. */
static void
ex_add_bt(struct ex_node *n, uint16_t q)
{
	size_t	k;

	if (ex_has(n->en, n->nen, q)) {
		if (!ex_has(n->bt, n->nbt, q)) {
			n->bt = xreallocarray(n->bt, n->nbt + 1,
			    sizeof *n->bt);
			n->bt[n->nbt++] = q;
		}
		return;
	}
	for (k = 0; k < n->nen; k++)
		ex_add_bt(n, n->en[k]);
}

/*
 * DPOR (Flanagan and Godefroid): after an execution, find each pair of
 * steps i < j of different workers that conflict (touch one object, one
 * writes) and are not ordered by happens-before through other steps
 * (vector clocks, one entry per worker); the other order is then worth
 * running, so j's worker joins node i's backtrack set. Alternatives no
 * race asks for are equivalent to what was run: not tried at all.
 */
static void
ex_races(struct ex_search *s)
{
	struct ex_obj	*tab, *e;
	size_t		 m = s->nexec, nw = 1, cap = 64, i, j, k, a, r;
	uint32_t	*vc, *clock, *cur;
	uint16_t	 q, p;
	ssize_t		 cand;

	for (j = 0; j < m; j++) {
		if (s->path[j].acc.overflow) {
			/* Unknown accesses: everything may race. */
			for (i = 0; i < j; i++)
				for (k = 0; k < s->path[i].nen; k++)
					ex_add_bt(&s->path[i],
					    s->path[i].en[k]);
			return;
		}
		for (k = 0; k < s->path[j].nen; k++)
			if (s->path[j].en[k] + 1u > nw)
				nw = s->path[j].en[k] + 1u;
		if (s->path[j].chosen + 1u > nw)
			nw = s->path[j].chosen + 1u;
	}
	while (cap < 4 * (m + 1) * EXPLORE_MAX_ACC && cap < (1u << 20))
		cap *= 2;
	tab = xcalloc(cap, sizeof *tab);
	vc = xcalloc((m + 1) * nw, sizeof *vc);
	clock = xcalloc(nw * nw, sizeof *clock);
	cur = xcalloc(nw, sizeof *cur);
	for (j = 0; j < m; j++) {
		q = s->path[j].chosen;
		memcpy(cur, clock + (size_t)q * nw, nw * sizeof *cur);
		for (a = 0; a < (size_t)s->path[j].acc.n; a++) {
			e = ex_obj_get(tab, cap, s->path[j].acc.v[a].obj);
			/* What j conflicts with: the last write, and for a
			   write the reads since. */
			for (r = 0; r <= (s->path[j].acc.v[a].write ?
			    e->nreads : 0); r++) {
				cand = r == 0 ? e->write :
				    (ssize_t)e->reads[r - 1];
				if (cand < 0)
					continue;
				i = (size_t)cand;
				p = s->path[i].chosen;
				if (p != q && vc[i * nw + p] >
				    clock[(size_t)q * nw + p])
					ex_add_bt(&s->path[i], q);
				for (k = 0; k < nw; k++)
					if (vc[i * nw + k] > cur[k])
						cur[k] = vc[i * nw + k];
			}
		}
		cur[q] = (uint32_t)j + 1;
		memcpy(vc + j * nw, cur, nw * sizeof *cur);
		memcpy(clock + (size_t)q * nw, cur, nw * sizeof *cur);
		for (a = 0; a < (size_t)s->path[j].acc.n; a++) {
			e = ex_obj_get(tab, cap, s->path[j].acc.v[a].obj);
			if (s->path[j].acc.v[a].write) {
				e->write = (ssize_t)j;
				e->nreads = 0;
			} else {
				e->reads = xreallocarray(e->reads,
				    e->nreads + 1, sizeof *e->reads);
				e->reads[e->nreads++] = j;
			}
		}
	}
	for (k = 0; k < cap; k++)
		free(tab[k].reads);
	free(tab);
	free(vc);
	free(clock);
	free(cur);
}

/* The deepest node with an alternative within the bound: set it as that
   node's choice and return its index, or -1 when the pass is over. */
static ssize_t
ex_backtrack(struct ex_search *s)
{
	struct ex_node	*n;
	size_t		 i, k;
	uint16_t	 t;

	for (i = s->npath; i-- > s->opt->nprefix;) {
		n = &s->path[i];
		for (k = 0; k < n->nen; k++) {
			t = n->en[k];
			if (ex_find(n->done, n->ndone, t) != NULL ||
			    ex_find(n->sleep, n->nsleep, t) != NULL)
				continue;
			if (s->dpor && !ex_has(n->bt, n->nbt, t))
				continue;
			if (s->bound >= 0 &&
			    n->preempt + ex_is_preemption(n, t) > s->bound) {
				s->cut = 1;
				s->res->bounded++;
				/* Counted once: mark it done for this pass. */
				n->done = xreallocarray(n->done, n->ndone + 1,
				    sizeof *n->done);
				memset(&n->done[n->ndone], 0,
				    sizeof n->done[n->ndone]);
				n->done[n->ndone].w = t;
				n->done[n->ndone].acc.overflow = 1;
				n->ndone++;
				continue;
			}
			n->chosen = t;
			return ((ssize_t)i);
		}
	}
	return (-1);
}

static int
ex_limit(struct ex_search *s)
{
	const struct explore_opts	*o = s->opt;
	struct explore_result		*res = s->res;

	if (o->interrupted != NULL && *o->interrupted) {
		res->stop = EXPLORE_INTERRUPTED;
		return (1);
	}
	if (o->max_schedules > 0 && res->schedules >= o->max_schedules) {
		res->stop = EXPLORE_MAX_SCHEDULES;
		return (1);
	}
	if (o->time_limit_ms > 0 && ex_now_ms() - s->t0 >= o->time_limit_ms) {
		res->stop = EXPLORE_TIME_LIMIT;
		return (1);
	}
	if ((o->stop_at_failure || s->stop_found) && res->found) {
		res->stop = EXPLORE_FOUND;
		return (1);
	}
	if (o->stop_at_failure && s->efound) {
		res->stop = EXPLORE_FOUND;
		return (1);
	}
	return (0);
}

/* One pass with preemption bound s->bound. 1 if a limit stopped it. */
static int
ex_pass(struct ex_search *s, char **cause)
{
	struct explore_outcome	 oc;
	enum ex_end		 e;
	ssize_t			 at = -1;

	while (s->npath > 0)
		ex_node_clear(&s->path[--s->npath]);
	for (;;) {
		e = ex_execute(s, at < 0 ? 0 : (size_t)at, at >= 0, cause);
		switch (e) {
		case EX_ERROR:
			return (-1);
		case EX_COMPLETE:
		case EX_TRUNCATED:
			memset(&oc, 0, sizeof oc);
			s->ops->end(s->ctx, e == EX_COMPLETE ?
			    EXPLORE_END_COMPLETE : EXPLORE_END_CUT, &oc);
			if (oc.key == NULL)
				oc.key = xstrdup("?");
			if (e == EX_COMPLETE)
				s->res->schedules++;
			else
				s->res->truncated++;
			ex_record(s, &oc, e == EX_TRUNCATED);
			break;
		case EX_EQUIVALENT:
			s->res->equivalent++;
			break;
		case EX_BOUNDED:
			break;
		}
		if (s->opt->progress != NULL)
			s->opt->progress(s->opt->arg, s->res->schedules,
			    s->bound);
		if (ex_limit(s))
			return (1);
		if (s->dpor)
			ex_races(s);
		if ((at = ex_backtrack(s)) < 0)
			return (0);
	}
}

/* Make the pass's table the result's; a pass cut short by a limit keeps
   the table only if it saw more than the last whole pass. */
static void
ex_keep_table(struct ex_search *s, int whole)
{
	if (!whole && s->nrows < s->res->nrows) {
		ex_rows_free(s->rows, s->nrows);
		s->rows = NULL;
		s->nrows = 0;
		return;
	}
	ex_rows_free(s->res->rows, s->res->nrows);
	s->res->rows = s->rows;
	s->res->nrows = s->nrows;
	if (whole)
		s->res->bound = s->bound;
	s->rows = NULL;
	s->nrows = 0;
}

/* Bounds searched one pass each before one wide pass: enough for most
   first failures, and a scenario without failures is not searched again
   and again with bound 3, 4, 5... */
#define EX_NARROW	2

static void
ex_failure_swap(struct ex_search *s, struct explore_schedule *sc, char **key,
    char **detail, int *cut, int *found, uint64_t *ms)
{
	struct explore_result	*res = s->res;
	struct explore_schedule	 t;
	char			*k, *d;
	int			 c, f;
	uint64_t		 m;

	t = res->failure, res->failure = *sc, *sc = t;
	k = res->failure_key, res->failure_key = *key, *key = k;
	d = res->failure_detail, res->failure_detail = *detail, *detail = d;
	c = res->failure_cut, res->failure_cut = *cut, *cut = c;
	f = res->found, res->found = *found, *found = f;
	m = res->first_ms, res->first_ms = *ms, *ms = m;
}

/*
 * Passes with bound 0, 1, 2 look for a hazard; the first one found has
 * the fewest preemptions. Then one wide pass (the bound asked for, none
 * by default) gives the table of outcomes. If the narrow passes found no
 * hazard but the wide pass did, with p preemptions, passes with the
 * bounds in between make sure none has fewer. An expect failure without
 * a hazard is reported only when no hazard is found (struct ex_search).
 */
int
explore_run(const struct explore_ops *ops, void *ctx,
    const struct explore_opts *opt, struct explore_result *res,
    char **cause)
{
	struct ex_search	 s;
	struct explore_schedule	 keep_sc;
	char			*keep_key, *keep_detail;
	int			 r, max, narrow = -1, b, keep_cut, keep_found;
	uint64_t		 keep_ms;

	memset(res, 0, sizeof *res);
	memset(&s, 0, sizeof s);
	s.ops = ops;
	s.ctx = ctx;
	s.opt = opt;
	s.res = res;
	s.t0 = ex_now_ms();
	s.max_steps = opt->max_steps > 0 ? opt->max_steps :
	    EXPLORE_DEFAULT_MAX_STEPS;
	s.en = xcalloc(65536, sizeof *s.en);
	max = opt->max_preemptions;
	res->bound = -1;
	for (s.bound = 0; s.bound <= EX_NARROW; s.bound++) {
		if (max >= 0 && s.bound > max)
			break;
		s.cut = 0;
		s.stop_found = 1;
		r = ex_pass(&s, cause);
		if (r < 0)
			goto out;
		ex_keep_table(&s, r == 0);
		if (r == 1 && !(res->found && res->stop == EXPLORE_FOUND &&
		    !opt->stop_at_failure))
			goto out;	/* a limit */
		if (res->found)
			break;
		narrow = s.bound;
		if (!s.cut) {
			res->stop = EXPLORE_EXHAUSTIVE;
			goto out;
		}
		if (max >= 0 && s.bound >= max) {
			res->stop = EXPLORE_BOUND;
			goto out;
		}
	}
	s.bound = max;
	s.cut = 0;
	s.stop_found = 0;
	s.dpor = max < 0;	/* DPOR is exact without a bound */
	r = ex_pass(&s, cause);
	s.dpor = 0;
	if (r < 0)
		goto out;
	ex_keep_table(&s, r == 0);
	if (r == 0)
		res->stop = !s.cut ? EXPLORE_EXHAUSTIVE : EXPLORE_BOUND;
	if (!res->found || res->failure.preemptions <= narrow + 1)
		goto out;
	/* Found by the wide pass: is there one with fewer preemptions? */
	memset(&keep_sc, 0, sizeof keep_sc);
	keep_key = keep_detail = NULL;
	keep_cut = keep_found = 0;
	keep_ms = 0;
	ex_failure_swap(&s, &keep_sc, &keep_key, &keep_detail, &keep_cut,
	    &keep_found, &keep_ms);
	for (b = narrow + 1; b < keep_sc.preemptions; b++) {
		s.bound = b;
		s.cut = 0;
		s.stop_found = 1;
		r = ex_pass(&s, cause);
		ex_rows_free(s.rows, s.nrows);
		s.rows = NULL;
		s.nrows = 0;
		if (r < 0 || res->found)
			break;
		if (r == 1)
			break;	/* a limit: keep what the wide pass found */
	}
	if (!res->found)
		ex_failure_swap(&s, &keep_sc, &keep_key, &keep_detail,
		    &keep_cut, &keep_found, &keep_ms);
	ex_schedule_free(&keep_sc);
	free(keep_key);
	free(keep_detail);
	if (r >= 0)
		r = 0;
out:
	if (!res->found && s.efound) {
		res->found = 1;
		res->failure = s.efail;
		res->failure_key = s.ekey;
		res->failure_detail = s.edetail;
		res->failure_cut = s.ecut;
		res->first_ms = s.efirst_ms;
	} else {
		ex_schedule_free(&s.efail);
		free(s.ekey);
		free(s.edetail);
	}
	ex_rows_free(s.rows, s.nrows);
	while (s.npath > 0)
		ex_node_clear(&s.path[--s.npath]);
	free(s.path);
	free(s.en);
	/* A search whose schedules were cut has not seen their ends. */
	if (res->truncated > 0 && res->stop == EXPLORE_EXHAUSTIVE)
		res->stop = EXPLORE_STEPS;
	res->elapsed_ms = ex_now_ms() - s.t0;
	return (r < 0 ? -1 : 0);
}

void
explore_result_done(struct explore_result *res)
{
	ex_rows_free(res->rows, res->nrows);
	ex_schedule_free(&res->failure);
	free(res->failure_key);
	free(res->failure_detail);
	memset(res, 0, sizeof *res);
}
