/*
 * trace/meta.c: the run's tables of workers, objects and expectations.
 *
 * Every string and array an entry points to is owned by the meta: the
 * add functions copy what they are given, trace_meta_done frees it.
 */
#include <stdlib.h>
#include <string.h>

#include "trace/event.h"
#include "trace/meta.h"
#include "util/xmalloc.h"

static const char *const trace_obj_kind_names[TRACE_OBJ_KIND_COUNT] = {
	[TRACE_OBJ_MUTEX] = "mutex",
	[TRACE_OBJ_RLOCK] = "rlock",
	[TRACE_OBJ_SEMAPHORE] = "semaphore",
	[TRACE_OBJ_CONDITION] = "condition",
	[TRACE_OBJ_BARRIER] = "barrier",
	[TRACE_OBJ_QUEUE] = "queue",
	[TRACE_OBJ_PIPE] = "pipe",
	[TRACE_OBJ_FIFO] = "fifo",
	[TRACE_OBJ_MQUEUE] = "mqueue",
	[TRACE_OBJ_SOCKET] = "socket",
	[TRACE_OBJ_MMAP] = "mmap",
	[TRACE_OBJ_SHM] = "shm",
	[TRACE_OBJ_SHARED] = "shared",
	[TRACE_OBJ_LOCAL] = "local",
	[TRACE_OBJ_POOL] = "pool",
};

static const char *const trace_metric_names[TRACE_METRIC_COUNT] = {
	[TRACE_METRIC_VALUE] = "value",
	[TRACE_METRIC_MAX_HOLDERS] = "max_holders",
	[TRACE_METRIC_MAX_WAITERS] = "max_waiters",
	[TRACE_METRIC_CONTENDED] = "contended",
	[TRACE_METRIC_SENT] = "sent",
	[TRACE_METRIC_RECEIVED] = "received",
	[TRACE_METRIC_ORDER_ERRORS] = "order_errors",
	[TRACE_METRIC_MAX_LEN] = "max_len",
	[TRACE_METRIC_LOST_NOTIFIES] = "lost_notifies",
	[TRACE_METRIC_WOKEN] = "woken",
	[TRACE_METRIC_MAX_BUSY] = "max_busy",
	[TRACE_METRIC_TASKS_DONE] = "tasks_done",
	[TRACE_METRIC_EARLY_PASSES] = "early_passes",
	[TRACE_METRIC_DISTINCT_LOCALS] = "distinct",
	[TRACE_METRIC_MAX_VALUE] = "max",
	[TRACE_METRIC_MIN_VALUE] = "min",
};

static const char *const trace_cmp_names[] = {
	[TRACE_CMP_EQ] = "==", [TRACE_CMP_NE] = "!=", [TRACE_CMP_LT] = "<",
	[TRACE_CMP_LE] = "<=", [TRACE_CMP_GT] = ">", [TRACE_CMP_GE] = ">=",
};

static struct trace_meta_peer *
trace_meta_peers_copy(const struct trace_meta_peer *v, size_t n)
{
	struct trace_meta_peer	*c;

	if (v == NULL || n == 0)
		return (NULL);
	c = xreallocarray(NULL, n, sizeof *c);
	memcpy(c, v, n * sizeof *c);
	return (c);
}

void
trace_meta_init(struct trace_meta *meta)
{
	memset(meta, 0, sizeof *meta);
}

void
trace_meta_done(struct trace_meta *meta)
{
	size_t	i;

	for (i = 0; i < meta->nworkers; i++)
		free(meta->workers[i].name);
	for (i = 0; i < meta->nobjects; i++) {
		free(meta->objects[i].name);
		free(meta->objects[i].writers);
		free(meta->objects[i].readers);
	}
	for (i = 0; i < meta->nexpects; i++)
		free(meta->expects[i].text);
	free(meta->workers);
	free(meta->objects);
	free(meta->expects);
	free(meta->path);
	free(meta->source);
	free(meta->title);
	free(meta->about);
	memset(meta, 0, sizeof *meta);
}

uint16_t
trace_meta_add_worker(struct trace_meta *meta,
    const struct trace_meta_worker *w)
{
	struct trace_meta_worker	*nw;

	meta->workers = xreallocarray(meta->workers, meta->nworkers + 1,
	    sizeof *meta->workers);
	nw = &meta->workers[meta->nworkers];
	*nw = *w;
	nw->name = xstrdup(w->name != NULL ? w->name : "");
	return ((uint16_t)meta->nworkers++);
}

uint16_t
trace_meta_add_object(struct trace_meta *meta,
    const struct trace_meta_object *o)
{
	struct trace_meta_object	*no;

	meta->objects = xreallocarray(meta->objects, meta->nobjects + 1,
	    sizeof *meta->objects);
	no = &meta->objects[meta->nobjects];
	*no = *o;
	no->name = xstrdup(o->name != NULL ? o->name : "");
	no->writers = trace_meta_peers_copy(o->writers, o->nwriters);
	no->nwriters = no->writers != NULL ? o->nwriters : 0;
	no->readers = trace_meta_peers_copy(o->readers, o->nreaders);
	no->nreaders = no->readers != NULL ? o->nreaders : 0;
	return ((uint16_t)meta->nobjects++);
}

void
trace_meta_add_peer(struct trace_meta *meta, uint16_t o, int reader,
    uint16_t worker, int end)
{
	trace_meta_add_peer_at(meta, o, reader, worker, end, 0);
}

void
trace_meta_add_peer_at(struct trace_meta *meta, uint16_t o, int reader,
    uint16_t worker, int end, int limit)
{
	struct trace_meta_object	*mo = &meta->objects[o];
	struct trace_meta_peer		**v;
	size_t				 *n;

	v = reader ? &mo->readers : &mo->writers;
	n = reader ? &mo->nreaders : &mo->nwriters;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].worker = worker;
	(*v)[*n].end = (int8_t)(end < 0 ? -1 : end);
	(*v)[*n].limit = limit > 0 ? limit : 0;
	(*n)++;
}

size_t
trace_meta_add_expect(struct trace_meta *meta,
    const struct trace_meta_expect *e)
{
	struct trace_meta_expect	*ne;

	meta->expects = xreallocarray(meta->expects, meta->nexpects + 1,
	    sizeof *meta->expects);
	ne = &meta->expects[meta->nexpects];
	*ne = *e;
	ne->text = xstrdup(e->text != NULL ? e->text : "");
	return (meta->nexpects++);
}

int
trace_meta_find_worker(const struct trace_meta *meta, const char *name)
{
	size_t	i;

	for (i = 0; i < meta->nworkers; i++) {
		if (strcmp(meta->workers[i].name, name) == 0)
			return ((int)i);
	}
	return (-1);
}

int
trace_meta_find_object(const struct trace_meta *meta, const char *name)
{
	size_t	i;

	for (i = 0; i < meta->nobjects; i++) {
		if (strcmp(meta->objects[i].name, name) == 0)
			return ((int)i);
	}
	return (-1);
}

const char *
trace_obj_kind_name(enum trace_obj_kind kind)
{
	if ((unsigned)kind >= TRACE_OBJ_KIND_COUNT)
		return ("unknown");
	return (trace_obj_kind_names[kind]);
}

const char *
trace_obj_label(const struct trace_meta_object *mo)
{
	if (mo->kind == TRACE_OBJ_MUTEX && (mo->flags & TRACE_OBJF_RWLOCK))
		return ("rwlock");
	if (mo->kind == TRACE_OBJ_MUTEX && (mo->flags & TRACE_OBJF_SPIN))
		return ("spin");
	return (trace_obj_kind_name(mo->kind));
}

const char *
trace_metric_name(enum trace_metric metric)
{
	if ((unsigned)metric >= TRACE_METRIC_COUNT)
		return ("unknown");
	return (trace_metric_names[metric]);
}

int
trace_metric_from_name(const char *name)
{
	int	i;

	for (i = 0; i < TRACE_METRIC_COUNT; i++) {
		if (strcmp(trace_metric_names[i], name) == 0)
			return (i);
	}
	return (-1);
}

const char *
trace_cmp_name(enum trace_cmp cmp)
{
	if ((unsigned)cmp > TRACE_CMP_GE)
		return ("?");
	return (trace_cmp_names[cmp]);
}

int
trace_cmp_eval(enum trace_cmp cmp, int64_t a, int64_t b)
{
	switch (cmp) {
	case TRACE_CMP_EQ:
		return (a == b);
	case TRACE_CMP_NE:
		return (a != b);
	case TRACE_CMP_LT:
		return (a < b);
	case TRACE_CMP_LE:
		return (a <= b);
	case TRACE_CMP_GT:
		return (a > b);
	case TRACE_CMP_GE:
		return (a >= b);
	}
	return (0);
}
