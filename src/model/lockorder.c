/*
 * model/lockorder.c: the lock-order graph and potential deadlocks.
 *
 * As Linux lockdep does, the model remembers over the whole run every
 * order in which locks were taken: an edge A -> B means some worker asked
 * for B while holding A (at the wait, so a run that really deadlocks has
 * its edges too, and again at the acquire). A cycle in this graph is a
 * possible deadlock even when this run completed, because another
 * interleaving of the same code paths would close it.
 *
 * Nodes are mutexes, rlocks, a condition used as its own lock, and binary
 * semaphores used as locks (see below): those are the objects that give
 * mutual exclusion. Counting semaphores
 * are left out: a cycle through a semaphore with free slots is not a
 * deadlock, and the lock-order graph cannot tell how many slots are free.
 * A lock taken again by its owner (rlock re-entry), and a condition's
 * lock taken back after a wait while no other lock is held, add nothing.
 *
 * Edges are few (at most nodes^2, in practice a handful), so a bitmap
 * answers "is this edge known" in O(1) on every acquire, and only a new
 * edge costs a search: a depth-first search from its target for its
 * source, over at most every node once. A path found is reported once, as
 * a struct model_inversion naming both code paths (worker, line of the
 * second lock, line where the first was taken), with the whole cycle of
 * locks when it is longer than two, and every edge of it.
 *
 * Gate locks, as Helgrind recognises them: each edge remembers a lock its
 * worker held besides the edge's own (the first other one it held), and
 * loses it when the edge is made again without that lock. A cycle whose
 * edges all share one gate is not reported: the code paths that make it
 * never run at the same time. A gate may be a semaphore used like a lock
 * of c slots: it then hides a cycle of more than c locks only (c + 1
 * philosophers cannot all sit at a table the footman keeps to c). When an edge loses its gate, the cycles
 * through it are searched again.
 *
 * Semaphores: only a binary semaphore that the scenario uses like a lock
 * (TRACE_OBJF_LOCKLIKE: every acquire given back by a release of the same
 * worker in the same block, or a `with S:`), and only while no worker has
 * posted it without holding it. A semaphore taken by one worker and
 * released by another (a signal, a lightswitch's room_empty) orders
 * nothing: the one who would release it is not the one holding it.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model-int.h"
#include "util/xmalloc.h"

void
model_lockorder_init(struct model *m)
{
	const struct trace_meta	*meta = m->meta;
	struct model_priv	*p = MODEL_PRIV(m);
	const struct trace_meta_object *mo;
	size_t			 i, n = 0;
	int			 node;

	p->node_obj = xcalloc(meta->nobjects, sizeof *p->node_obj);
	for (i = 0; i < meta->nobjects; i++) {
		mo = &meta->objects[i];
		node = 0;
		switch (mo->kind) {
		case TRACE_OBJ_MUTEX:
		case TRACE_OBJ_RLOCK:
			node = 1;
			break;
		case TRACE_OBJ_CONDITION:
			node = model_lock_object(m, (uint16_t)i) == (int)i;
			break;
		case TRACE_OBJ_SEMAPHORE:
			node = mo->capacity == 1 &&
			    (mo->flags & TRACE_OBJF_LOCKLIKE);
			break;
		default:
			break;
		}
		if (node) {
			p->o[i].node = (int)n;
			p->node_obj[n++] = (uint16_t)i;
		}
	}
	p->nnodes = n;
	p->edge_bits = xcalloc((n * n + 7) / 8, 1);
	p->gate_bits = xcalloc((n * n + 7) / 8, 1);
	p->edge_head = xcalloc(n, sizeof *p->edge_head);
	p->lo_seen = xcalloc(n, sizeof *p->lo_seen);
	p->lo_parent = xcalloc(n, sizeof *p->lo_parent);
	p->lo_stack = xcalloc(n, sizeof *p->lo_stack);
}

void
model_lockorder_reset(struct model *m)
{
	struct model_priv	*p = MODEL_PRIV(m);
	size_t			 i;

	memset(p->edge_bits, 0, (p->nnodes * p->nnodes + 7) / 8);
	memset(p->gate_bits, 0, (p->nnodes * p->nnodes + 7) / 8);
	for (i = 0; i < p->nnodes; i++)
		p->edge_head[i] = -1;
	p->nedges = 0;
	p->inv_event = UINT64_MAX;
}

void
model_lockorder_free(struct model *m)
{
	struct model_priv	*p = MODEL_PRIV(m);

	free(p->node_obj);
	free(p->edge_bits);
	free(p->gate_bits);
	free(p->edge_head);
	free(p->edges);
	free(p->lo_seen);
	free(p->lo_parent);
	free(p->lo_stack);
}

/* Whether node dst can be reached from src; leaves lo_parent set along
   the path found. */
static int
model_lo_path(struct model *m, int src, int dst)
{
	struct model_priv	*p = MODEL_PRIV(m);
	size_t			 sp = 0;
	int			 n, e, t;

	if (++p->lo_epoch == 0) {
		memset(p->lo_seen, 0, p->nnodes * sizeof *p->lo_seen);
		p->lo_epoch = 1;
	}
	p->lo_seen[src] = p->lo_epoch;
	p->lo_parent[src] = -1;
	p->lo_stack[sp++] = (uint16_t)src;
	while (sp > 0) {
		n = p->lo_stack[--sp];
		for (e = p->edge_head[n]; e >= 0; e = p->edges[e].next) {
			t = p->edges[e].to;
			if (p->lo_seen[t] == p->lo_epoch)
				continue;
			p->lo_seen[t] = p->lo_epoch;
			p->lo_parent[t] = e;
			if (t == dst)
				return (1);
			p->lo_stack[sp++] = (uint16_t)t;
		}
	}
	return (0);
}

/* The new edge ab (A -> B) closed a cycle with the path B -> ... -> A
   found by model_lo_path: report it. */
static int
model_lo_report(struct model *m, int ab)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_detect	*d = &m->detect;
	const struct model_edge	*e = &p->edges[ab], *last;
	struct model_inversion	*inv;
	size_t			 k = 0, n;
	int			 node, pe;
	uint16_t		 gate;

	if (d->ninversions >= MODEL_MAX_REPORTS)
		return (0);
	gate = e->gate;
	for (node = e->from; node != e->to; node = p->edges[pe].from) {
		pe = p->lo_parent[node];
		if (p->edges[pe].gate != gate)
			gate = TRACE_NO_OBJECT;
		k++;
	}
	/* Every edge made under one common outer lock: the paths can
	   never all run at the same time (a gate lock, as Helgrind says).
	   A lock-like semaphore of c slots gates a cycle of more than c
	   edges (the footman of the dining philosophers). */
	if (gate != TRACE_NO_OBJECT && (m->meta->objects[gate].kind !=
	    TRACE_OBJ_SEMAPHORE || (int64_t)(k + 1) >
	    m->meta->objects[gate].capacity))
		return (0);
	if (d->ninversions == p->inv_cap) {
		p->inv_cap = p->inv_cap == 0 ? 4 : p->inv_cap * 2;
		d->inversions = xreallocarray(d->inversions, p->inv_cap,
		    sizeof *d->inversions);
	}
	inv = &d->inversions[d->ninversions++];
	last = &p->edges[p->lo_parent[e->from]];
	inv->first = p->node_obj[e->from];
	inv->second = p->node_obj[e->to];
	inv->worker_ab = e->worker;
	inv->line_ab = e->line;
	inv->hold_line_ab = e->from_line;
	inv->worker_ba = last->worker;
	inv->line_ba = last->line;
	inv->hold_line_ba = last->from_line;
	/* Locks in cycle order: A, B, then the path from B back to A, which
	   the parent links give backwards. */
	inv->nlocks = k + 1;
	inv->locks = xcalloc(inv->nlocks, sizeof *inv->locks);
	inv->workers = xcalloc(inv->nlocks, sizeof *inv->workers);
	inv->lines = xcalloc(inv->nlocks, sizeof *inv->lines);
	inv->hold_lines = xcalloc(inv->nlocks, sizeof *inv->hold_lines);
	inv->locks[0] = inv->first;
	inv->workers[0] = e->worker;
	inv->lines[0] = e->line;
	inv->hold_lines[0] = e->from_line;
	n = inv->nlocks;
	for (node = e->from; node != e->to; node = p->edges[pe].from) {
		pe = p->lo_parent[node];
		--n;
		inv->locks[n] = p->node_obj[p->edges[pe].from];
		inv->workers[n] = p->edges[pe].worker;
		inv->lines[n] = p->edges[pe].line;
		inv->hold_lines[n] = p->edges[pe].from_line;
	}
	p->inv_event = p->index;
	return (1);
}

/* Add edge from -> to; look for a cycle through it when asked. Returns
   whether one was reported. */
static int
model_lo_add(struct model *m, int from, int to, uint16_t w, int line,
    int from_line, uint16_t gate, int search)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_edge	*e;
	size_t			 bit = (size_t)from * p->nnodes + (size_t)to;

	p->edge_bits[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	if (p->nedges == p->edge_cap) {
		p->edge_cap = p->edge_cap == 0 ? 16 : p->edge_cap * 2;
		p->edges = xreallocarray(p->edges, p->edge_cap,
		    sizeof *p->edges);
	}
	e = &p->edges[p->nedges];
	e->from = (uint16_t)from;
	e->to = (uint16_t)to;
	e->worker = w;
	e->line = line;
	e->from_line = from_line;
	e->gate = gate;
	if (gate != TRACE_NO_OBJECT)
		p->gate_bits[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	e->next = p->edge_head[from];
	p->edge_head[from] = (int)p->nedges;
	p->nedges++;
	if (!search || !model_lo_path(m, to, from))
		return (0);
	return (model_lo_report(m, (int)p->nedges - 1));
}

/* Whether w holds lock object o. */
static int
model_lo_holds(const struct model *m, uint16_t w, uint16_t o)
{
	const struct model_worker	*mw = &m->workers[w];
	int				 i;

	for (i = 0; i < mw->nheld; i++) {
		if (mw->held[i] == o)
			return (1);
	}
	return (0);
}

/* The known gated edge from -> to is made again by w: if w does not hold
   its gate, the edge has none any more, and a cycle that the gate hid may
   now be reported. */
static int
model_lo_regate(struct model *m, int from, int to, uint16_t w, int search)
{
	struct model_priv	*p = MODEL_PRIV(m);
	size_t			 bit = (size_t)from * p->nnodes + (size_t)to;
	int			 e;

	for (e = p->edge_head[from]; e >= 0; e = p->edges[e].next) {
		if (p->edges[e].to == to)
			break;
	}
	if (e < 0 || model_lo_holds(m, w, p->edges[e].gate))
		return (0);
	p->edges[e].gate = TRACE_NO_OBJECT;
	p->gate_bits[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	if (!search || !model_lo_path(m, to, from))
		return (0);
	return (model_lo_report(m, e));
}

/* The gate of a new edge from -> to made by w: the first other lock (or
   lock-like semaphore, of any size) it holds. */
static uint16_t
model_lo_gate(const struct model *m, uint16_t w, int from, int to)
{
	const struct model_priv		*p = MODEL_PRIV(m);
	const struct model_worker	*mw = &m->workers[w];
	int				 i, n;
	uint16_t			 h;

	for (i = 0; i < mw->nheld; i++) {
		h = mw->held[i];
		n = p->o[h].node;
		if (m->objects[h].signalling || (n >= 0 &&
		    (n == from || n == to)))
			continue;
		if (n >= 0 || (m->meta->objects[h].kind == TRACE_OBJ_SEMAPHORE &&
		    (m->meta->objects[h].flags & TRACE_OBJF_LOCKLIKE)))
			return (h);
	}
	return (TRACE_NO_OBJECT);
}

/* w asks for (or takes) o while holding what its held list says: add the
   edges not seen before. Called before o joins the held list. One
   acquisition reports at most one cycle: with A and B held, taking C can
   close A -> C -> ... and B -> C -> ..., but the second is usually the
   first seen through a lock held inside A (outermost first). */
void
model_lockorder_acquire(struct model *m, uint16_t w, uint16_t o, int line)
{
	struct model_priv	*p = MODEL_PRIV(m);
	const struct model_worker *mw = &m->workers[w];
	size_t			 bit;
	int			 i, from, to = p->o[o].node, found = 0;
	uint16_t		 h;

	if (to < 0)
		return;
	for (i = 0; i < mw->nheld; i++) {
		h = mw->held[i];
		if ((from = p->o[h].node) < 0 || from == to ||
		    m->objects[h].signalling)
			continue;
		bit = (size_t)from * p->nnodes + (size_t)to;
		if (p->edge_bits[bit >> 3] & (1u << (bit & 7))) {
			if (p->gate_bits[bit >> 3] & (1u << (bit & 7)))
				found |= model_lo_regate(m, from, to, w,
				    !found);
			continue;
		}
		found |= model_lo_add(m, from, to, w, line,
		    p->w[w].held_line[i], model_lo_gate(m, w, from, to),
		    !found);
	}
}
