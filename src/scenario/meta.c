/*
 * scenario/meta.c: a validated scenario's run tables (trace/meta.h).
 *
 * Objects keep their declaration index, so an scn_ref of kind
 * SCN_REF_OBJECT is also the meta object index. A condition declared
 * without a lock (`condition C`) still needs one to wait with; it gets a
 * hidden mutex named "C.lock", appended after every declared object in
 * the order of the conditions, and meta.objects[C].lock points at it. The
 * views show that mutex like any other, which is what it is.
 *
 * Workers: each scn_worker in file order as `copies` consecutive entries
 * (NAME, or NAME.1 .. NAME.N), then each pool's members POOL.1 .. POOL.K.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parse.h"
#include "trace/event.h"
#include "util/xmalloc.h"

int
scenario_condition_lock(const struct scn_file *f, int i)
{
	size_t	k;
	int	hidden = 0;

	if (i < 0 || (size_t)i >= f->nobjects ||
	    f->objects[i].kind != TRACE_OBJ_CONDITION)
		return (-1);
	if (f->objects[i].lock >= 0)
		return (f->objects[i].lock);
	for (k = 0; k < (size_t)i; k++) {
		if (f->objects[k].kind == TRACE_OBJ_CONDITION &&
		    f->objects[k].lock < 0)
			hidden++;
	}
	return ((int)f->nobjects + hidden);
}

void
scenario_meta_build(const struct scn_file *f, struct trace_meta *meta)
{
	struct trace_meta_object	 mo;
	struct trace_meta_worker	 mw;
	struct trace_meta_expect	 me;
	const struct scn_object		*o;
	const struct scn_worker		*w;
	char				*name;
	size_t				 i;
	int				 c, lock;

	trace_meta_init(meta);
	meta->path = xstrdup(f->path != NULL ? f->path : "");
	meta->source = xstrdup(f->source != NULL ? f->source : "");
	meta->title = f->title != NULL ? xstrdup(f->title) : NULL;
	meta->about = f->about != NULL ? xstrdup(f->about) : NULL;

	for (i = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		memset(&mo, 0, sizeof mo);
		mo.name = o->name;
		mo.kind = o->kind;
		mo.capacity = o->capacity;
		mo.initial = o->initial;
		mo.tasks = o->tasks;
		mo.flags = o->flags;
		mo.line = o->line;
		lock = scenario_condition_lock(f, (int)i);
		mo.lock = lock >= 0 ? (uint16_t)lock : TRACE_NO_OBJECT;
		trace_meta_add_object(meta, &mo);
	}
	for (i = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		if (o->kind != TRACE_OBJ_CONDITION || o->lock >= 0)
			continue;
		memset(&mo, 0, sizeof mo);
		xasprintf(&name, "%s.lock", o->name);
		mo.name = name;
		mo.kind = TRACE_OBJ_MUTEX;
		mo.lock = TRACE_NO_OBJECT;
		mo.line = o->line;
		trace_meta_add_object(meta, &mo);
		free(name);
	}

	for (i = 0; i < f->nworkers; i++) {
		w = &f->workers[i];
		for (c = 1; c <= w->copies; c++) {
			memset(&mw, 0, sizeof mw);
			if (w->copies == 1)
				name = xstrdup(w->name);
			else
				xasprintf(&name, "%s.%d", w->name, c);
			mw.name = name;
			mw.kind = w->kind;
			mw.flags = (w->daemon ? TRACE_WORKERF_DAEMON : 0) |
			    (w->deferred ? TRACE_WORKERF_DEFERRED : 0);
			mw.copy = c;
			mw.pool = TRACE_NO_OBJECT;
			mw.line = w->line;
			trace_meta_add_worker(meta, &mw);
			free(name);
		}
	}
	for (i = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		if (o->kind != TRACE_OBJ_POOL)
			continue;
		for (c = 1; c <= o->capacity; c++) {
			memset(&mw, 0, sizeof mw);
			xasprintf(&name, "%s.%d", o->name, c);
			mw.name = name;
			mw.kind = TRACE_WORKER_THREAD;
			mw.flags = TRACE_WORKERF_POOL;
			mw.copy = c;
			mw.pool = (uint16_t)i;
			mw.line = o->line;
			trace_meta_add_worker(meta, &mw);
			free(name);
		}
	}

	for (i = 0; i < f->nexpects; i++) {
		memset(&me, 0, sizeof me);
		me.kind = f->expects[i].kind;
		me.metric = f->expects[i].metric;
		me.object = f->expects[i].object >= 0 ?
		    (uint16_t)f->expects[i].object : TRACE_NO_OBJECT;
		me.cmp = f->expects[i].cmp;
		me.value = f->expects[i].value;
		me.line = f->expects[i].line;
		me.text = f->expects[i].text;
		trace_meta_add_expect(meta, &me);
	}
}

uint16_t
scenario_worker_first(const struct scn_file *f, int i)
{
	int	k, first = 0;

	for (k = 0; k < i && (size_t)k < f->nworkers; k++)
		first += f->workers[k].copies;
	return ((uint16_t)first);
}

const struct scn_block *
scenario_worker_body(const struct scn_file *f, const struct trace_meta *meta,
    uint16_t w, int *nvars)
{
	const struct trace_meta_worker	*mw;
	size_t				 i;
	int				 first = 0;

	if (w >= meta->nworkers)
		return (NULL);
	mw = &meta->workers[w];
	if (mw->flags & TRACE_WORKERF_POOL) {
		if (mw->pool >= f->nobjects ||
		    f->objects[mw->pool].kind != TRACE_OBJ_POOL)
			return (NULL);
		if (nvars != NULL)
			*nvars = f->objects[mw->pool].nvars;
		return (&f->objects[mw->pool].body);
	}
	for (i = 0; i < f->nworkers; i++) {
		if (w < first + f->workers[i].copies) {
			if (nvars != NULL)
				*nvars = f->workers[i].nvars;
			return (&f->workers[i].body);
		}
		first += f->workers[i].copies;
	}
	return (NULL);
}
