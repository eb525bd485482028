/*
 * model/metric.c: metrics and expectations, read from the model's state.
 *
 * Most metrics are kept up to date by apply in each object's stat[]; this
 * file only says which metric applies to which kind of object, adds or
 * takes the maximum over all objects when an expectation names none, and
 * computes the one metric that is cheaper to count at the end (distinct
 * values of a thread-local).
 *
 * Expectations about detection read the *_seen records, not the current
 * state, so they still hold after the run was stopped and its workers
 * killed: `expect deadlock` holds once any deadlock was seen (even one a
 * timeout broke), while `expect completes` fails only on a deadlock or
 * stall that was not going to break by itself (hard_*_seen), a crash, or
 * a non-daemon worker that did not end normally: still running or
 * blocked, killed, or ended with a non-zero exit status (the executor
 * ends a worker with status 1 after a runtime error). A deferred worker that
 * nobody started is not counted against completion: it was never part
 * of the run.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model-int.h"

#define K(k)	(1u << (k))
#define K_LOCKS	(K(TRACE_OBJ_MUTEX) | K(TRACE_OBJ_RLOCK) | \
		 K(TRACE_OBJ_CONDITION) | K(TRACE_OBJ_SEMAPHORE))
#define K_CHAN	(K(TRACE_OBJ_QUEUE) | K(TRACE_OBJ_PIPE) | K(TRACE_OBJ_FIFO) | \
		 K(TRACE_OBJ_MQUEUE) | K(TRACE_OBJ_SOCKET))
#define K_WAIT	(K_LOCKS | K_CHAN | K(TRACE_OBJ_BARRIER))

/* Kinds of object each metric applies to. */
static const uint32_t model_metric_kinds[TRACE_METRIC_COUNT] = {
	[TRACE_METRIC_VALUE] = K(TRACE_OBJ_SHARED) | K(TRACE_OBJ_LOCAL) |
	    K(TRACE_OBJ_MMAP) | K(TRACE_OBJ_SHM) | K(TRACE_OBJ_SEMAPHORE),
	[TRACE_METRIC_MAX_HOLDERS] = K_LOCKS,
	[TRACE_METRIC_MAX_WAITERS] = K_WAIT,
	[TRACE_METRIC_CONTENDED] = K_WAIT,
	[TRACE_METRIC_SENT] = K_CHAN,
	[TRACE_METRIC_RECEIVED] = K_CHAN,
	[TRACE_METRIC_ORDER_ERRORS] = K_CHAN,
	[TRACE_METRIC_MAX_LEN] = K_CHAN,
	[TRACE_METRIC_LOST_NOTIFIES] = K(TRACE_OBJ_CONDITION),
	[TRACE_METRIC_WOKEN] = K(TRACE_OBJ_CONDITION),
	[TRACE_METRIC_MAX_BUSY] = K(TRACE_OBJ_POOL),
	[TRACE_METRIC_TASKS_DONE] = K(TRACE_OBJ_POOL),
	[TRACE_METRIC_EARLY_PASSES] = K(TRACE_OBJ_BARRIER),
	[TRACE_METRIC_DISTINCT_LOCALS] = K(TRACE_OBJ_LOCAL),
	[TRACE_METRIC_MAX_VALUE] = K(TRACE_OBJ_SHARED),
	[TRACE_METRIC_MIN_VALUE] = K(TRACE_OBJ_SHARED),
};

int
model_live_workers(const struct model *m)
{
	return ((int)m->meta->nworkers - m->nstate[MODEL_W_DONE] -
	    m->nstate[MODEL_W_CRASHED] - m->nstate[MODEL_W_KILLED]);
}

static int
model_metric_maximum(enum trace_metric metric)
{
	switch (metric) {
	case TRACE_METRIC_MAX_HOLDERS:
	case TRACE_METRIC_MAX_WAITERS:
	case TRACE_METRIC_MAX_LEN:
	case TRACE_METRIC_MAX_BUSY:
		return (1);
	default:
		return (0);
	}
}

static int64_t
model_metric_distinct(const struct model *m, uint16_t o)
{
	const struct model_object	*obj = &m->objects[o];
	const uint8_t			*touched = MODEL_PRIV(m)->o[o].touched;
	size_t				 i, j;
	int64_t				 n = 0;

	for (i = 0; i < obj->ncells; i++) {
		if (!touched[i])
			continue;
		for (j = 0; j < i; j++) {
			if (touched[j] && obj->cells[j] == obj->cells[i])
				break;
		}
		n += j == i;
	}
	return (n);
}

static int
model_metric_one(const struct model *m, enum trace_metric metric,
    uint16_t o, int64_t *out)
{
	enum trace_obj_kind	kind = m->meta->objects[o].kind;
	int			l;

	if ((unsigned)kind >= TRACE_OBJ_KIND_COUNT ||
	    (model_metric_kinds[metric] & K(kind)) == 0)
		return (-1);
	switch (metric) {
	case TRACE_METRIC_DISTINCT_LOCALS:
		*out = model_metric_distinct(m, o);
		break;
	case TRACE_METRIC_VALUE:
		*out = kind == TRACE_OBJ_SEMAPHORE ? m->objects[o].value :
		    m->objects[o].stat[metric];
		break;
	case TRACE_METRIC_MAX_HOLDERS:
		/* A condition's holders are its lock's. */
		l = model_lock_object(m, o);
		if (kind == TRACE_OBJ_CONDITION && l != TRACE_NO_OBJECT)
			o = (uint16_t)l;
		*out = m->objects[o].stat[metric];
		break;
	default:
		*out = m->objects[o].stat[metric];
		break;
	}
	return (0);
}

int
model_metric(const struct model *m, enum trace_metric metric,
    uint16_t object, int64_t *out)
{
	size_t	i;
	int64_t	v, total = 0;
	int	any = 0;

	if ((unsigned)metric >= TRACE_METRIC_COUNT)
		return (-1);
	if (object != TRACE_NO_OBJECT) {
		if (object >= m->meta->nobjects)
			return (-1);
		return (model_metric_one(m, metric, object, out));
	}
	/* The whole run: the sum of a count, the largest of a maximum. */
	if (metric == TRACE_METRIC_VALUE ||
	    metric == TRACE_METRIC_DISTINCT_LOCALS ||
	    metric == TRACE_METRIC_MAX_VALUE ||
	    metric == TRACE_METRIC_MIN_VALUE)
		return (-1);
	for (i = 0; i < m->meta->nobjects; i++) {
		if (model_metric_one(m, metric, (uint16_t)i, &v) != 0)
			continue;
		if (model_metric_maximum(metric))
			total = !any || v > total ? v : total;
		else
			total = (int64_t)((uint64_t)total + (uint64_t)v);
		any = 1;
	}
	*out = total;
	return (0);
}

static int
model_completes(const struct model *m)
{
	const struct trace_meta	*meta = m->meta;
	size_t			 i;

	if (m->detect.hard_deadlock_seen || m->detect.hard_stall_seen ||
	    m->nstate[MODEL_W_CRASHED] > 0)
		return (0);
	for (i = 0; i < meta->nworkers; i++) {
		if (meta->workers[i].flags & TRACE_WORKERF_DAEMON)
			continue;
		if (m->workers[i].state == MODEL_W_NOT_STARTED &&
		    (meta->workers[i].flags & TRACE_WORKERF_DEFERRED) &&
		    !m->workers[i].start_requested)
			continue;
		if (m->workers[i].state != MODEL_W_DONE ||
		    m->workers[i].exit_status != 0)
			return (0);
	}
	return (1);
}

int
model_expect_holds(const struct model *m, const struct trace_meta_expect *e)
{
	const struct model_detect	*d = &m->detect;
	int64_t				 v;

	if (e == NULL)
		return (0);
	switch (e->kind) {
	case TRACE_EXPECT_DEADLOCK:
		return (d->deadlocks_seen > 0);
	case TRACE_EXPECT_STALL:
		return (d->stalls_seen > 0);
	case TRACE_EXPECT_SELF_DEADLOCK:
		return (d->self_deadlocks_seen > 0);
	case TRACE_EXPECT_COMPLETES:
		return (model_completes(m));
	case TRACE_EXPECT_POTENTIAL:
		return (d->ninversions > 0);
	case TRACE_EXPECT_NO_POTENTIAL:
		return (d->ninversions == 0);
	case TRACE_EXPECT_METRIC:
		if (model_metric(m, e->metric, e->object, &v) != 0)
			return (0);
		return (trace_cmp_eval(e->cmp, v, e->value));
	case TRACE_EXPECT_BEFORE:
		/* `expect a1 before b2`: both marks reached, a1 first. */
		if (e->object >= m->meta->nobjects || e->value < 0 ||
		    (uint64_t)e->value >= m->meta->nobjects)
			return (0);
		return (m->objects[e->object].first_write != 0 &&
		    m->objects[e->value].first_write != 0 &&
		    m->objects[e->object].first_write <
		    m->objects[e->value].first_write);
	default:
		return (0);
	}
}

int
model_metric_expected(const struct model *m, uint16_t object, int64_t *out)
{
	const struct trace_meta	*meta = m->meta;
	size_t			 i;

	for (i = 0; i < meta->nexpects; i++) {
		if (meta->expects[i].kind == TRACE_EXPECT_METRIC &&
		    meta->expects[i].metric == TRACE_METRIC_VALUE &&
		    meta->expects[i].object == object &&
		    meta->expects[i].cmp == TRACE_CMP_EQ) {
			*out = meta->expects[i].value;
			return (0);
		}
	}
	return (-1);
}
