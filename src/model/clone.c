/*
 * model/clone.c: a deep copy of a model, for replay checkpoints.
 *
 * Stepping back in a recording used to rebuild the model from the first
 * event (the model is pure: the same events give the same state), which
 * costs the whole recording on each step. A checkpoint is a copy of the
 * model every K events; going back is then a copy plus at most K applies.
 *
 * model_copy() makes dst the same state as src. Both must have been made
 * by model_create() for the same meta, so every array sized by the meta
 * (per worker, per object, the lock-order matrices) is already there and
 * is copied in place; what grows as events come (channel buffers, the
 * lock-order edges, inversions, owner-died entries) is resized to src's.
 * Scratch space is copied too (the wait-for and lock-order epochs index
 * their seen arrays), so the copy behaves exactly as src from here on:
 * tests/check_model.c applies the rest of a run to both and compares.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model-int.h"
#include "util/xmalloc.h"

#define MODEL_COPY(d, s, n) do {					\
	if ((n) > 0)							\
		memcpy((d), (s), (n) * sizeof *(d));			\
} while (0)

/* One object: its scalars, then its arrays into dst's own. */
static void
model_copy_object(struct model *dst, const struct model *src, size_t i)
{
	struct model_object		*d = &dst->objects[i];
	const struct model_object	*s = &src->objects[i];
	struct model_opriv		*dp = &MODEL_PRIV(dst)->o[i];
	const struct model_opriv	*sp = &MODEL_PRIV(src)->o[i];
	struct model_object		 keep = *d;
	struct model_opriv		 pkeep = *dp;
	size_t				 nw = src->meta->nworkers;

	*d = *s;
	d->holders = keep.holders;
	d->waiters = keep.waiters;
	d->cells = keep.cells;
	d->task_worker = keep.task_worker;
	d->results = keep.results;
	d->result_done = keep.result_done;
	MODEL_COPY(d->holders, s->holders, sp->hcap);
	if (s->waiters != NULL)
		MODEL_COPY(d->waiters, s->waiters, nw);
	MODEL_COPY(d->cells, s->cells, s->ncells);
	MODEL_COPY(d->task_worker, s->task_worker, s->ntasks);
	MODEL_COPY(d->results, s->results, s->ntasks);
	MODEL_COPY(d->result_done, s->result_done, s->ntasks);

	*dp = *sp;
	dp->cell_ver = pkeep.cell_ver;
	dp->touched = pkeep.touched;
	dp->closed_by = pkeep.closed_by;
	dp->buf = pkeep.buf;
	MODEL_COPY(dp->cell_ver, sp->cell_ver, s->ncells);
	if (sp->touched != NULL)
		MODEL_COPY(dp->touched, sp->touched, nw);
	if (sp->closed_by != NULL)
		MODEL_COPY(dp->closed_by, sp->closed_by, nw > 0 ? nw : 1);
	d->items = NULL;
	if (sp->buf != NULL) {
		if (pkeep.bufsize != sp->bufsize)
			dp->buf = xreallocarray(dp->buf, sp->bufsize,
			    sizeof *dp->buf);
		MODEL_COPY(dp->buf, sp->buf, sp->bufsize);
		d->items = dp->buf + (s->items - sp->buf);
	}
}

static void
model_copy_inversion(struct model_inversion *d,
    const struct model_inversion *s)
{
	*d = *s;
	d->locks = xreallocarray(NULL, s->nlocks + 1, sizeof *d->locks);
	d->workers = xreallocarray(NULL, s->nlocks + 1, sizeof *d->workers);
	d->lines = xreallocarray(NULL, s->nlocks + 1, sizeof *d->lines);
	d->hold_lines = xreallocarray(NULL, s->nlocks + 1,
	    sizeof *d->hold_lines);
	MODEL_COPY(d->locks, s->locks, s->nlocks);
	MODEL_COPY(d->workers, s->workers, s->nlocks);
	MODEL_COPY(d->lines, s->lines, s->nlocks);
	MODEL_COPY(d->hold_lines, s->hold_lines, s->nlocks);
}

static void
model_copy_detect(struct model *dst, const struct model *src)
{
	struct model_detect		*d = &dst->detect;
	const struct model_detect	*s = &src->detect;
	struct model_detect		 keep = *d;
	size_t				 nw = src->meta->nworkers, i;

	for (i = 0; i < keep.ninversions; i++) {
		free(keep.inversions[i].locks);
		free(keep.inversions[i].workers);
		free(keep.inversions[i].lines);
		free(keep.inversions[i].hold_lines);
	}
	*d = *s;
	d->cycle.workers = keep.cycle.workers;
	d->cycle.objects = keep.cycle.objects;
	d->cycle.lines = keep.cycle.lines;
	d->cycle.ops = keep.cycle.ops;
	d->stalled = keep.stalled;
	d->deadlocked = keep.deadlocked;
	d->why = keep.why;
	d->stall_why = keep.stall_why;
	MODEL_COPY(d->cycle.workers, s->cycle.workers, nw);
	MODEL_COPY(d->cycle.objects, s->cycle.objects, nw);
	MODEL_COPY(d->cycle.lines, s->cycle.lines, nw);
	MODEL_COPY(d->cycle.ops, s->cycle.ops, nw);
	MODEL_COPY(d->stalled, s->stalled, nw);
	MODEL_COPY(d->deadlocked, s->deadlocked, nw);
	memcpy(d->why, s->why, MODEL_WHY_LEN);
	memcpy(d->stall_why, s->stall_why, MODEL_WHY_LEN);

	/* Grown arrays: sized to src's capacity, so apply grows them as it
	   would have grown src's. */
	d->inversions = xreallocarray(keep.inversions,
	    MODEL_PRIV(src)->inv_cap + 1, sizeof *d->inversions);
	for (i = 0; i < s->ninversions; i++)
		model_copy_inversion(&d->inversions[i], &s->inversions[i]);
	d->owner_died = xreallocarray(keep.owner_died,
	    MODEL_PRIV(src)->od_cap + 1, sizeof *d->owner_died);
	MODEL_COPY(d->owner_died, s->owner_died, s->nowner_died);
}

/* The private part: per-worker bookkeeping, scratch, lock-order graph. */
static void
model_copy_priv(struct model *dst, const struct model *src)
{
	struct model_priv	*d = MODEL_PRIV(dst);
	const struct model_priv	*s = MODEL_PRIV(src);
	struct model_priv	 keep = *d;
	size_t			 nw = src->meta->nworkers, nn = s->nnodes;

	*d = *s;
	d->w = keep.w;
	d->o = keep.o;		/* copied object by object */
	d->lim = keep.lim;	/* from the meta: the same */
	d->lim_off = keep.lim_off;
	d->wf_seen = keep.wf_seen;
	d->wf_in = keep.wf_in;
	d->wf_list = keep.wf_list;
	d->wf_roots = keep.wf_roots;
	d->wf_path = keep.wf_path;
	d->wf_pos = keep.wf_pos;
	d->wf_succ = keep.wf_succ;
	d->node_obj = keep.node_obj;
	d->edge_bits = keep.edge_bits;
	d->gate_bits = keep.gate_bits;
	d->edge_head = keep.edge_head;
	d->lo_seen = keep.lo_seen;
	d->lo_parent = keep.lo_parent;
	d->lo_stack = keep.lo_stack;
	MODEL_COPY(d->w, s->w, nw);
	MODEL_COPY(d->wf_seen, s->wf_seen, nw);
	MODEL_COPY(d->wf_in, s->wf_in, nw);
	MODEL_COPY(d->wf_list, s->wf_list, nw);
	MODEL_COPY(d->wf_roots, s->wf_roots, nw);
	MODEL_COPY(d->wf_path, s->wf_path, nw);
	MODEL_COPY(d->wf_pos, s->wf_pos, nw);
	MODEL_COPY(d->wf_succ, s->wf_succ, nw);
	MODEL_COPY(d->edge_bits, s->edge_bits, (nn * nn + 7) / 8);
	MODEL_COPY(d->gate_bits, s->gate_bits, (nn * nn + 7) / 8);
	MODEL_COPY(d->edge_head, s->edge_head, nn);
	MODEL_COPY(d->lo_seen, s->lo_seen, nn);
	MODEL_COPY(d->lo_parent, s->lo_parent, nn);
	MODEL_COPY(d->lo_stack, s->lo_stack, nn);
	d->edges = xreallocarray(keep.edges, s->edge_cap + 1,
	    sizeof *d->edges);
	MODEL_COPY(d->edges, s->edges, s->nedges);
}

void
model_copy(struct model *dst, const struct model *src)
{
	void	*priv = dst->priv;
	struct model_worker *workers = dst->workers;
	struct model_object *objects = dst->objects;
	struct model_detect detect = dst->detect;
	size_t	 i;

	if (dst == src)
		return;
	/* Scalars first (keeping dst's arrays), then the arrays. */
	*dst = *src;
	dst->priv = priv;
	dst->workers = workers;
	dst->objects = objects;
	dst->detect = detect;
	MODEL_COPY(dst->workers, src->workers, src->meta->nworkers);
	model_copy_detect(dst, src);
	model_copy_priv(dst, src);
	for (i = 0; i < src->meta->nobjects; i++)
		model_copy_object(dst, src, i);
}

struct model *
model_clone(const struct model *src)
{
	struct model	*m;

	m = model_create(src->meta);
	model_copy(m, src);
	return (m);
}

/* Bytes a copy of m holds (for a checkpoint budget): its arrays. */
size_t
model_clone_size(const struct model *m)
{
	const struct model_priv	*p = MODEL_PRIV(m);
	size_t			 n, i, nw = m->meta->nworkers;

	n = sizeof *m + sizeof *p + nw * (sizeof *m->workers +
	    sizeof *p->w + 12 * sizeof (uint32_t)) + 2 * MODEL_WHY_LEN;
	n += (p->nnodes * p->nnodes + 7) / 4 + p->edge_cap *
	    sizeof *p->edges + p->inv_cap * sizeof *m->detect.inversions;
	for (i = 0; i < m->meta->nobjects; i++) {
		n += sizeof m->objects[i] + sizeof p->o[i] + nw * 4;
		n += m->objects[i].ncells * 16 + m->objects[i].ntasks * 13;
		n += p->o[i].hcap * 2 + p->o[i].bufsize *
		    sizeof *p->o[i].buf;
	}
	return (n);
}
