/*
 * model/waitfor.c: who can wake whom; deadlock, self-deadlock, stall.
 *
 * A blocked worker stands in one of four ways:
 *   - available: what it waits for is there now (a released lock, a slot,
 *     an item, a notify that picked it, a barrier that filled, a joined
 *     worker that ended, a dead owner of a robust mutex). Its own event
 *     just has not arrived yet; it is as good as running.
 *   - held: some workers can still give it what it waits for, its
 *     successors in the wait-for graph. For an owned resource (a mutex,
 *     an rlock, a condition's lock it must take back after a notify) they
 *     are the holders; for a join, the joined worker. For a consumable
 *     one they are its potential producers: the live workers whose
 *     remaining code can still release the semaphore, notify the
 *     condition, arrive at the barrier, put into (or get from) the
 *     channel. The meta lists them per object (writers / readers, from
 *     the scenario text, scenario/meta.c), each with a limit line: a
 *     worker whose current line is past it has no such statement left
 *     (a loop counts to its end), and a dead one none at all. A waiter
 *     is never its own producer unless it holds a slot of the semaphore
 *     (three acquires of S(2): it waits for itself). Any one successor
 *     will do (an OR-wait), except at a barrier, which needs as many as
 *     parties are missing.
 *   - stuck: nobody left can give it (no producer, or fewer than the
 *     barrier needs).
 *   - blind: stuck as far as the model can tell, but the meta does not say
 *     who could act (a meta made by hand, without peer lists): the old
 *     rules, never called hopeless while some worker runs.
 *
 * Channels: a reader blocked on an empty channel is available when an
 * item for its end is there or end-of-file is due: a queue closed by
 * anyone (sync/queue.c: `close Q` closes the whole queue), or for a pipe,
 * fifo or socket every writer serving its end has closed that end, by
 * `close` or by dying (a process takes its descriptors with it, a crash
 * of a thread takes the whole thread host; a thread that just returned
 * keeps its process's descriptor open). A message queue has no
 * end-of-file. Otherwise it is held by the writers that can still write
 * (not ended, not closed, not past their last send or close; a process
 * past it still acts once, its exit closing its end), stuck without any.
 * A putter on a full channel is the mirror image, held by the live
 * readers (and, on a pipe, fifo or socket whose readers all closed,
 * available: the write fails at once).
 *
 * Deadlock is a knot in Holt's general resource graph, found by his
 * reduction run from the other side: the deadlocked set D is the largest
 * set of held workers such that each can only be woken by members of D
 * (every holder or producer it could use is in D; at a barrier, not
 * enough are outside). Anyone outside D is assumed able to go on and do
 * what its code can still do, which is exactly the reduction's
 * assumption; so a semaphore cycle with a free slot, or one whose slot a
 * running worker will post (a slot released by a non-holder is legal), is
 * not a deadlock. D is computed by pruning: start from every held worker
 * reachable from the roots, drop any with too many successors outside,
 * until nothing changes. The same pruning with stuck workers as members
 * gives H, every blocked worker that nobody outside H can ever wake: D
 * plus the stalled ones and those waiting behind them.
 *
 * Stall: D is empty and H holds a non-daemon worker. It is reported as
 * soon as it is certain, even while other workers (a ticking daemon, a
 * worker computing) run on but can never produce what is awaited; the
 * explanation says who runs on. As a safety net, a run in which nothing
 * is runnable, a non-daemon is blocked and no wait is available is a
 * stall too (a deferred worker nobody starts). Blocked daemons neither
 * cause nor prevent a stall (a daemon waiting forever for work is
 * normal).
 *
 * When it is checked: a new cycle can only close, and a worker only
 * become hopeless, when a worker starts a wait (or a notify makes a
 * woken waiter want its lock back, or a channel loses an item or a
 * peer's end), so apply runs the reductions from the workers concerned:
 * the cost is the size of the part of the graph they reach, not of the
 * run. A producer going away (a worker ends, or steps past the limit line
 * of one of its peers while someone waits) reruns them from every
 * blocked worker. While a deadlock or stall stands, events that could
 * break it recheck from every blocked worker (the run is stuck then: few
 * events). A worker waiting with a timeout will leave by itself: the
 * stall or deadlock is then reported with stall_timed / deadlock_timed
 * set, exactly: when D (or H's non-daemons) computed with the timed
 * waiters taken out is empty.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model-int.h"
#include "util/xmalloc.h"

enum model_wf {
	MODEL_WF_GOES,		/* not blocked */
	MODEL_WF_AVAILABLE,
	MODEL_WF_HELD,
	MODEL_WF_STUCK,
	MODEL_WF_BLIND		/* stuck as far as the model can tell, but
				   the meta does not say who could act (no
				   peer lists: a meta made by hand), so
				   never called hopeless while others run */
};

struct model_wf_wait {
	const uint16_t	*succ;		/* workers holding what it wants, or
					   that can still produce it */
	int		 nsucc;
	int		 need;		/* how many of them must act: 1 (any
					   one will do), more for a barrier
					   (every missing party) */
	uint16_t	 what;		/* object, or worker for a join */
	uint16_t	 one;		/* storage for a join's successor */
};

static enum model_wf
model_wf_lock(const struct model *m, uint16_t u, uint16_t l,
    struct model_wf_wait *wt)
{
	const struct model_object	*obj = &m->objects[l];
	int				 i, mine = 0;

	wt->what = l;
	if (obj->nholders == 0)
		return (MODEL_WF_AVAILABLE);
	for (i = 0; i < obj->nholders; i++) {
		if (model_worker_dead(m, obj->holders[i]))
			return (MODEL_WF_AVAILABLE);	/* robust: EOWNERDEAD */
		mine += obj->holders[i] == u;
	}
	if (mine == obj->nholders &&
	    m->meta->objects[l].kind != TRACE_OBJ_MUTEX)
		return (MODEL_WF_AVAILABLE);		/* re-entrant */
	wt->succ = obj->holders;
	wt->nsucc = obj->nholders;
	return (MODEL_WF_HELD);
}

/* Whether a duplex channel has an item for a reader at end `end`. */
static int
model_wf_has_item(const struct model *m, uint16_t o, int32_t end)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	const struct model_object	*obj = &m->objects[o];
	size_t				 i;

	if (obj->untracked > 0)
		return (1);
	if (mo->kind != TRACE_OBJ_SOCKET && !(mo->kind == TRACE_OBJ_PIPE &&
	    (mo->flags & TRACE_OBJF_DUPLEX)))
		return (obj->nitems > 0);
	for (i = 0; i < obj->nitems; i++) {
		if (obj->items[i].end != end)
			return (1);
	}
	return (0);
}

/* Whether a peer at end `pend` serves a worker at end `end` (a writer
   fills the other end's inbox). -1 on either side: ends not told apart. */
static int
model_wf_serves(int pend, int32_t end)
{
	return (pend < 0 || end < 0 || pend != end);
}

/* Whether w's end of channel o is closed: it ran `close`, or it died and
   its descriptors went with it (a process; a crashed thread took the
   whole thread host down). */
static int
model_wf_end_closed(const struct model *m, uint16_t o, uint16_t w)
{
	enum model_wstate	st = m->workers[w].state;

	if (MODEL_PRIV(m)->o[o].closed_by[w])
		return (1);
	if (st == MODEL_W_CRASHED)
		return (1);
	return ((st == MODEL_W_DONE || st == MODEL_W_KILLED) &&
	    m->meta->workers[w].kind == TRACE_WORKER_PROCESS);
}

/* Whether end-of-file is due for a reader at end `end` of o. */
static int
model_wf_eof(const struct model *m, uint16_t o, int32_t end)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	size_t				 i;

	switch (mo->kind) {
	case TRACE_OBJ_QUEUE:
		return (m->objects[o].closed);
	case TRACE_OBJ_PIPE:
	case TRACE_OBJ_FIFO:
	case TRACE_OBJ_SOCKET:
		for (i = 0; i < mo->nwriters; i++) {
			if (mo->writers[i].worker < m->meta->nworkers &&
			    model_wf_serves(mo->writers[i].end, end) &&
			    !model_wf_end_closed(m, o, mo->writers[i].worker))
				return (0);
		}
		return (1);
	default:
		return (0);		/* mqueue: no end-of-file */
	}
}

/* Whether peer v can still act: alive, and not past its last statement
   on the object (its limit line). */
static int
model_wf_active(const struct model *m, const struct trace_meta_peer *v)
{
	const struct model_worker	*mw = &m->workers[v->worker];

	if (model_worker_dead(m, v->worker))
		return (0);
	return (v->limit == 0 || mw->state == MODEL_W_NOT_STARTED ||
	    mw->line <= v->limit);
}

/* Whether w has arrived at barrier b in its current generation and waits
   there (not one of the last generation whose pass has not arrived
   yet). */
int
model_waitfor_arrived(const struct model *m, uint16_t w, uint16_t b)
{
	return (m->workers[w].state == MODEL_W_BLOCKED &&
	    m->workers[w].blocked_on == b &&
	    m->workers[w].blocked_op == TRACE_BARRIER_WAIT &&
	    MODEL_PRIV(m)->w[w].bar_gen == m->objects[b].generation);
}

/* A wait of u for what only o's producers (its writers: who release a
   semaphore, notify a condition, arrive at a barrier) can give: held by
   those that can still act, need of them; stuck when fewer are left. u
   itself counts only when self is set (it holds a slot it will give
   back); a worker waiting at the barrier has arrived already. */
static enum model_wf
model_wf_producers(const struct model *m, uint16_t u, uint16_t o, int self,
    int need, struct model_wf_wait *wt)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	uint16_t			*succ = MODEL_PRIV(m)->wf_succ;
	uint16_t			 w;
	size_t				 i;
	int				 k = 0;

	for (i = 0; i < mo->nwriters; i++) {
		w = mo->writers[i].worker;
		if (w >= m->meta->nworkers || (w == u && !self) ||
		    !model_wf_active(m, &mo->writers[i]))
			continue;
		if (mo->kind == TRACE_OBJ_BARRIER && model_waitfor_arrived(m, w, o))
			continue;
		succ[k++] = w;
	}
	if (k < need || k == 0)
		return (MODEL_WF_STUCK);
	wt->succ = succ;
	wt->nsucc = k;
	wt->need = need;
	return (MODEL_WF_HELD);
}

/* A channel wait of u at end `end` on o: held by the peers (writers for
   a get, readers for a put) that can still act, stuck without any. A
   worker that closed its end can no longer act, except a reader of a
   queue: `close Q` stops the puts, not the gets. */
static enum model_wf
model_wf_peers(const struct model *m, uint16_t u, uint16_t o, int32_t end,
    int reader, struct model_wf_wait *wt)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	const struct trace_meta_peer	*v = reader ? mo->readers :
					    mo->writers;
	size_t				 n = reader ? mo->nreaders :
					    mo->nwriters, i;
	const uint8_t			*closed = MODEL_PRIV(m)->o[o].closed_by;
	uint16_t			*succ = MODEL_PRIV(m)->wf_succ;
	uint16_t			 w;
	int				 k = 0, gets_on, ends_at_exit;

	gets_on = reader && mo->kind == TRACE_OBJ_QUEUE;
	ends_at_exit = mo->kind == TRACE_OBJ_PIPE ||
	    mo->kind == TRACE_OBJ_FIFO || mo->kind == TRACE_OBJ_SOCKET;
	for (i = 0; i < n; i++) {
		w = v[i].worker;
		if (w == u || w >= m->meta->nworkers ||
		    !model_wf_serves(v[i].end, end) ||
		    (closed[w] && !gets_on))
			continue;
		/* Past its last send (or get) a process still acts once:
		   its end closes when it exits (end-of-file, or a failed
		   write). */
		if (!model_wf_active(m, &v[i]) && (model_worker_dead(m, w) ||
		    !ends_at_exit || m->meta->workers[w].kind !=
		    TRACE_WORKER_PROCESS))
			continue;
		succ[k++] = w;
	}
	if (k == 0)
		return (MODEL_WF_STUCK);
	wt->succ = succ;
	wt->nsucc = k;
	return (MODEL_WF_HELD);
}

/* A reader blocked on an empty channel. */
static enum model_wf
model_wf_get(const struct model *m, uint16_t u, uint16_t o,
    struct model_wf_wait *wt)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	int32_t				 end = MODEL_PRIV(m)->w[u].blocked_end;

	if (model_wf_has_item(m, o, end))
		return (MODEL_WF_AVAILABLE);
	if (mo->nwriters == 0 && mo->nreaders == 0)
		return (m->objects[o].closed ? MODEL_WF_AVAILABLE :
		    MODEL_WF_BLIND);
	if (model_wf_eof(m, o, end))
		return (MODEL_WF_AVAILABLE);
	return (model_wf_peers(m, u, o, end, 0, wt));
}

/* A putter blocked on a full channel. */
static enum model_wf
model_wf_put(const struct model *m, uint16_t u, uint16_t o,
    struct model_wf_wait *wt)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	const struct model_object	*obj = &m->objects[o];
	int32_t				 end = MODEL_PRIV(m)->w[u].blocked_end;
	size_t				 len, i;

	len = obj->nitems + obj->untracked;
	if (len < MODEL_PRIV(m)->w[u].wait_len ||
	    (mo->capacity > 0 && (int64_t)len < mo->capacity))
		return (MODEL_WF_AVAILABLE);
	if (mo->nwriters == 0 && mo->nreaders == 0)
		return (obj->closed ? MODEL_WF_AVAILABLE : MODEL_WF_BLIND);
	switch (mo->kind) {
	case TRACE_OBJ_PIPE:
	case TRACE_OBJ_FIFO:
	case TRACE_OBJ_SOCKET:
		/* Every reader gone: the write fails (EPIPE) at once. */
		for (i = 0; i < mo->nreaders; i++) {
			if (mo->readers[i].worker < m->meta->nworkers &&
			    model_wf_serves(mo->readers[i].end, end) &&
			    !model_wf_end_closed(m, o, mo->readers[i].worker))
				break;
		}
		if (i == mo->nreaders)
			return (MODEL_WF_AVAILABLE);
		break;
	default:
		break;
	}
	return (model_wf_peers(m, u, o, end, 1, wt));
}

/* An open waits for the other end: opened already, or being opened. */
static int
model_wf_other_end(const struct model *m, uint16_t u, uint16_t o)
{
	const struct model_object	*obj = &m->objects[o];
	const struct model_priv		*p = MODEL_PRIV(m);
	int32_t				 end = p->w[u].blocked_end;
	uint16_t			 v;
	int				 i;

	if ((obj->ends_open & ~(1u << (end & 31))) != 0)
		return (1);
	for (i = 0; i < obj->nwaiters; i++) {
		v = obj->waiters[i];
		if (v != u && m->workers[v].blocked_op ==
		    TRACE_CHAN_OPEN_WAIT && p->w[v].blocked_end != end)
			return (1);
	}
	return (0);
}

/* Whether the meta says nothing of who acts on o (made by hand). */
static int
model_wf_blind(const struct model *m, uint16_t o)
{
	return (m->meta->objects[o].nwriters == 0 &&
	    m->meta->objects[o].nreaders == 0);
}

/* Whether u holds a slot of semaphore obj. */
static int
model_wf_holds(const struct model_object *obj, uint16_t u)
{
	int	i;

	for (i = 0; i < obj->nholders; i++) {
		if (obj->holders[i] == u)
			return (1);
	}
	return (0);
}

static enum model_wf
model_wf_classify(const struct model *m, uint16_t u, struct model_wf_wait *wt)
{
	const struct model_worker	*mw = &m->workers[u];
	const struct model_wpriv	*pw = &MODEL_PRIV(m)->w[u];
	const struct model_object	*obj;
	uint16_t			 o = mw->blocked_on;

	wt->succ = NULL;
	wt->nsucc = 0;
	wt->need = 1;
	wt->what = o;
	if (mw->state != MODEL_W_BLOCKED)
		return (MODEL_WF_GOES);
	if (mw->blocked_op == TRACE_JOIN_WAIT) {
		if (o >= m->meta->nworkers || model_worker_dead(m, o))
			return (MODEL_WF_AVAILABLE);
		wt->one = o;
		wt->succ = &wt->one;
		wt->nsucc = 1;
		return (MODEL_WF_HELD);
	}
	if (o >= m->meta->nobjects)
		return (MODEL_WF_BLIND);
	obj = &m->objects[o];
	switch (mw->blocked_op) {
	case TRACE_LOCK_WAIT:
		return (model_wf_lock(m, u, o, wt));
	case TRACE_COND_WAIT:
		if (!mw->woken && model_wf_blind(m, o))
			return (MODEL_WF_BLIND);
		if (!mw->woken)
			return (model_wf_producers(m, u, o, 0, 1, wt));
		if (pw->cond_lock == TRACE_NO_OBJECT)
			return (MODEL_WF_AVAILABLE);
		return (model_wf_lock(m, u, pw->cond_lock, wt));
	case TRACE_SEM_WAIT:
		if (obj->value > 0)
			return (MODEL_WF_AVAILABLE);
		if (m->meta->objects[o].nwriters > 0 ||
		    m->meta->objects[o].nreaders > 0)
			return (model_wf_producers(m, u, o,
			    model_wf_holds(obj, u), 1, wt));
		/* A meta without producer lists (made by hand): holders of
		   a pool of slots, or stuck. */
		if (obj->signalling || obj->untracked > 0 ||
		    obj->nholders == 0 ||
		    obj->nholders < m->meta->objects[o].capacity)
			return (MODEL_WF_BLIND);
		wt->succ = obj->holders;
		wt->nsucc = obj->nholders;
		return (MODEL_WF_HELD);
	case TRACE_BARRIER_WAIT:
		if (obj->generation > pw->bar_gen)
			return (MODEL_WF_AVAILABLE);
		if (model_wf_blind(m, o))
			return (MODEL_WF_BLIND);
		return (model_wf_producers(m, u, o, 0,
		    (int)(m->meta->objects[o].capacity - obj->arrived), wt));
	case TRACE_CHAN_GET_WAIT:
		return (model_wf_get(m, u, o, wt));
	case TRACE_CHAN_PUT_WAIT:
		return (model_wf_put(m, u, o, wt));
	case TRACE_CHAN_OPEN_WAIT:
		return (model_wf_other_end(m, u, o) ? MODEL_WF_AVAILABLE :
		    MODEL_WF_BLIND);
	default:
		return (MODEL_WF_BLIND);
	}
}

void
model_waitfor_init(struct model *m)
{
	struct model_priv	*p = MODEL_PRIV(m);
	size_t			 i, nw = m->meta->nworkers;

	p->wf_seen = xcalloc(nw, sizeof *p->wf_seen);
	p->wf_in = xcalloc(nw, 1);
	p->wf_list = xcalloc(nw, sizeof *p->wf_list);
	p->wf_roots = xcalloc(nw, sizeof *p->wf_roots);
	p->wf_path = xcalloc(nw, sizeof *p->wf_path);
	p->wf_pos = xcalloc(nw, sizeof *p->wf_pos);
	p->wf_succ = xcalloc(nw, sizeof *p->wf_succ);
	for (i = 0; i < nw; i++)
		p->wf_pos[i] = -1;
}

void
model_waitfor_free(struct model *m)
{
	struct model_priv	*p = MODEL_PRIV(m);

	free(p->wf_seen);
	free(p->wf_in);
	free(p->wf_list);
	free(p->wf_roots);
	free(p->wf_path);
	free(p->wf_pos);
	free(p->wf_succ);
}

#define MODEL_WF_TIMED_OUT	0x1	/* timed waiters count as leaving */
#define MODEL_WF_HOPELESS	0x2	/* stuck waiters count as members */

/* The deadlocked part of what roots reach: fills wf_list (reached) and
   wf_in (member of D); returns |D|. With MODEL_WF_TIMED_OUT, workers in a
   timed wait count as leaving it (what remains will not break by
   itself). With MODEL_WF_HOPELESS, the set is H instead of D: stuck
   waiters are members too, so H is every blocked worker that nobody
   outside H can ever wake (D plus the stalled). A member leaves when as
   many of its successors as it needs are outside. */
static size_t
model_wf_reduce(struct model *m, const uint16_t *roots, size_t nroots,
    int mode, size_t *nlist)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_wf_wait	 wt;
	enum model_wf		 how;
	size_t			 i, n = 0, count;
	uint16_t		 u, s;
	int			 j, changed, out;

	if (++p->wf_epoch == 0) {
		memset(p->wf_seen, 0, m->meta->nworkers * sizeof *p->wf_seen);
		p->wf_epoch = 1;
	}
	for (i = 0; i < nroots; i++) {
		if (roots[i] < m->meta->nworkers &&
		    p->wf_seen[roots[i]] != p->wf_epoch) {
			p->wf_seen[roots[i]] = p->wf_epoch;
			p->wf_list[n++] = roots[i];
		}
	}
	p->wf_stuck = 0;
	for (i = 0; i < n; i++) {
		u = p->wf_list[i];
		how = model_wf_classify(m, u, &wt);
		p->wf_stuck |= how == MODEL_WF_STUCK;
		p->wf_in[u] = (how == MODEL_WF_HELD ||
		    ((mode & MODEL_WF_HOPELESS) && how == MODEL_WF_STUCK)) &&
		    !((mode & MODEL_WF_TIMED_OUT) && m->workers[u].timeout > 0);
		if (!p->wf_in[u])
			continue;
		for (j = 0; j < wt.nsucc; j++) {
			s = wt.succ[j];
			if (p->wf_seen[s] != p->wf_epoch) {
				p->wf_seen[s] = p->wf_epoch;
				p->wf_list[n++] = s;
			}
		}
	}
	do {
		changed = 0;
		for (i = 0; i < n; i++) {
			u = p->wf_list[i];
			if (!p->wf_in[u])
				continue;
			model_wf_classify(m, u, &wt);
			for (j = out = 0; j < wt.nsucc; j++)
				out += !p->wf_in[wt.succ[j]];
			if (wt.nsucc > 0 && out >= wt.need) {
				p->wf_in[u] = 0;
				changed = 1;
			}
		}
	} while (changed);
	for (i = count = 0; i < n; i++)
		count += p->wf_in[p->wf_list[i]];
	*nlist = n;
	return (count);
}

/* A member of D waiting only on itself (a mutex it holds). */
static int
model_wf_self(const struct model *m, uint16_t u)
{
	struct model_wf_wait	wt;
	int			j;

	model_wf_classify(m, u, &wt);
	if (wt.nsucc == 0)
		return (0);
	for (j = 0; j < wt.nsucc; j++) {
		if (wt.succ[j] != u)
			return (0);
	}
	return (1);
}

/* Rotate a[0..n) left by k (0 < k < n): three reversals, in place. */
static void
model_wf_rot16(uint16_t *a, size_t n, size_t k)
{
	size_t		 lo, hi, r[3][2] = { { 0, k - 1 }, { k, n - 1 },
			     { 0, n - 1 } };
	uint16_t	 t;
	int		 i;

	for (i = 0; i < 3; i++) {
		for (lo = r[i][0], hi = r[i][1]; lo < hi; lo++, hi--) {
			t = a[lo];
			a[lo] = a[hi];
			a[hi] = t;
		}
	}
}

static void
model_wf_rotint(int *a, size_t n, size_t k)
{
	size_t	 lo, hi, r[3][2] = { { 0, k - 1 }, { k, n - 1 }, { 0, n - 1 } };
	int	 t, i;

	for (i = 0; i < 3; i++) {
		for (lo = r[i][0], hi = r[i][1]; lo < hi; lo++, hi--) {
			t = a[lo];
			a[lo] = a[hi];
			a[hi] = t;
		}
	}
}

/* Start a reported cycle at its lowest-numbered worker, so the same
   deadlock reads the same way ("t1 -> B -> t2 -> A -> t1") whichever
   worker happened to close it. */
static void
model_wf_rotate(struct model_cycle *c)
{
	size_t	i, k = 0;

	for (i = 1; i < c->n; i++) {
		if (c->workers[i] < c->workers[k])
			k = i;
	}
	if (k == 0)
		return;
	model_wf_rot16(c->workers, c->n, k);
	model_wf_rot16(c->objects, c->n, k);
	model_wf_rot16(c->ops, c->n, k);
	model_wf_rotint(c->lines, c->n, k);
}

/* Follow members of D from start until one repeats: that loop is the
   cycle to report. Every member has a successor in D, so it ends. */
static void
model_wf_cycle(struct model *m, uint16_t start)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_cycle	*c = &m->detect.cycle;
	struct model_wf_wait	 wt;
	size_t			 len = 0, i, first;
	uint16_t		 u = start, next;
	int			 j;

	while (p->wf_pos[u] < 0 && len < m->meta->nworkers) {
		p->wf_pos[u] = (int)len;
		p->wf_path[len++] = u;
		model_wf_classify(m, u, &wt);
		next = u;
		for (j = 0; j < wt.nsucc; j++) {
			if (p->wf_in[wt.succ[j]]) {
				next = wt.succ[j];
				break;
			}
		}
		u = next;
	}
	first = p->wf_pos[u] >= 0 ? (size_t)p->wf_pos[u] : 0;
	c->n = 0;
	for (i = first; i < len; i++) {
		u = p->wf_path[i];
		model_wf_classify(m, u, &wt);
		c->workers[c->n] = u;
		c->objects[c->n] = wt.what;
		c->ops[c->n] = m->workers[u].blocked_op;
		c->lines[c->n] = m->workers[u].blocked_line;
		c->n++;
	}
	for (i = 0; i < len; i++)
		p->wf_pos[p->wf_path[i]] = -1;
	model_wf_rotate(c);
}

/* D (in wf_list / wf_in) is not empty: record the deadlock, preferring a
   self-deadlock, then the worker `prefer`, as the start of the cycle. */
static void
model_wf_set(struct model *m, const uint16_t *roots, size_t nroots,
    size_t nlist, uint16_t prefer)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_detect	*d = &m->detect;
	size_t			 i, dummy;
	uint16_t		 u, start = TRACE_NO_WORKER, self = TRACE_NO_WORKER;
	int			 timed = 0;

	d->ndeadlocked = 0;
	for (i = 0; i < nlist; i++) {
		u = p->wf_list[i];
		if (!p->wf_in[u])
			continue;
		d->deadlocked[d->ndeadlocked++] = u;
		if (start == TRACE_NO_WORKER)
			start = u;
		if (self == TRACE_NO_WORKER && model_wf_self(m, u))
			self = u;
		if (m->workers[u].timeout > 0)
			timed = 1;
	}
	if (self != TRACE_NO_WORKER)
		start = self;
	else if (prefer < m->meta->nworkers && p->wf_seen[prefer] ==
	    p->wf_epoch && p->wf_in[prefer])
		start = prefer;
	model_wf_cycle(m, start);

	if (self != TRACE_NO_WORKER) {
		if (!d->self_deadlock)
			d->self_deadlocks_seen++;
		d->self_deadlock = 1;
		d->self_worker = self;
		d->self_object = m->workers[self].blocked_on;
	} else
		d->self_deadlock = 0;

	/* Will it break by itself? Only if the timed waiters leaving
	   dissolves all of it. */
	if (timed)
		timed = model_wf_reduce(m, roots, nroots,
		    MODEL_WF_TIMED_OUT, &dummy) == 0;
	if (!d->deadlock) {
		d->deadlocks_seen++;
		d->deadlock_event = p->index;
	}
	d->deadlock = 1;
	d->deadlock_timed = timed;
	if (!timed)
		d->hard_deadlock_seen = 1;
	d->stall = d->stall_timed = 0;
	model_explain_why(m);
}

/* After a MODEL_WF_HOPELESS reduction: list its non-daemon members in
   detect.stalled; returns how many. */
static size_t
model_wf_stalled(struct model *m, size_t nlist)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_detect	*d = &m->detect;
	size_t			 i;
	uint16_t		 u;

	d->nstalled = 0;
	for (i = 0; i < nlist; i++) {
		u = p->wf_list[i];
		if (p->wf_in[u] && !p->w[u].daemon)
			d->stalled[d->nstalled++] = u;
	}
	return (d->nstalled);
}

/* Record a stall; timed unless the hopeless non-daemons stay hopeless
   with every timed waiter gone. */
static void
model_wf_stall_set(struct model *m, const uint16_t *roots, size_t nroots,
    int timed)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_detect	*d = &m->detect;
	size_t			 i, nlist, nstalled = d->nstalled;
	int			 fresh = !d->stall;

	if (timed) {
		model_wf_reduce(m, roots, nroots,
		    MODEL_WF_HOPELESS | MODEL_WF_TIMED_OUT, &nlist);
		for (i = 0; i < nlist; i++) {
			if (p->wf_in[p->wf_list[i]] &&
			    !p->w[p->wf_list[i]].daemon)
				timed = 0;
		}
	}
	if (!d->stall) {
		d->stalls_seen++;
		d->stall_event = p->index;
	}
	d->stall = 1;
	d->stall_timed = timed;
	if (!timed)
		d->hard_stall_seen = 1;
	if (fresh || nstalled != d->nstalled)
		model_explain_why(m);
}

/* Whether a worker in the hopeless set (left in wf_list / wf_in) waits
   with a timeout. */
static int
model_wf_any_timed(const struct model *m, size_t nlist)
{
	const struct model_priv	*p = MODEL_PRIV(m);
	size_t			 i;

	for (i = 0; i < nlist; i++) {
		if (p->wf_in[p->wf_list[i]] &&
		    m->workers[p->wf_list[i]].timeout > 0)
			return (1);
	}
	return (0);
}

/* A wait began (or a notify woke waiters, or a producer went away): a
   new cycle, if any, goes through these workers; if none, they may be
   hopeless: waiting for what nobody left can give (a stall, reported at
   once even while other workers run on). Never clears a deadlock or a
   stall. */
void
model_waitfor_check(struct model *m, const uint16_t *roots, size_t nroots)
{
	size_t	nlist;

	if (nroots == 0)
		return;
	if (model_wf_reduce(m, roots, nroots, 0, &nlist) > 0) {
		model_wf_set(m, roots, nroots, nlist, roots[0]);
		m->detect.stall = m->detect.stall_timed = 0;
		return;
	}
	/* Hopeless from here: the whole verdict, so that the workers
	   waiting behind these are listed too. Stuck workers have no
	   successors, so both reductions reach the same workers: without a
	   stuck one among them, H is D, empty. */
	if (!MODEL_PRIV(m)->wf_stuck)
		return;
	if (model_wf_reduce(m, roots, nroots, MODEL_WF_HOPELESS, &nlist) > 0 &&
	    model_wf_stalled(m, nlist) > 0)
		model_waitfor_stall(m);
}

/* A deadlock stands and something changed: recompute it from every
   blocked worker, clear it if it is gone. */
void
model_waitfor_recheck(struct model *m)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_detect	*d = &m->detect;
	size_t			 i, n = 0, nlist;
	uint16_t		 prefer;

	for (i = 0; i < m->meta->nworkers; i++) {
		if (m->workers[i].state == MODEL_W_BLOCKED)
			p->wf_roots[n++] = (uint16_t)i;
	}
	if (model_wf_reduce(m, p->wf_roots, n, 0, &nlist) == 0) {
		d->deadlock = d->deadlock_timed = d->self_deadlock = 0;
		return;
	}
	prefer = d->cycle.n > 0 ? d->cycle.workers[0] : TRACE_NO_WORKER;
	model_wf_set(m, p->wf_roots, n, nlist, prefer);
}

/* A channel lost an item (getters_only: a get) or a peer's end (a
   close): its blocked readers (and putters) may now wait only on workers
   that wait on them. */
void
model_waitfor_chan(struct model *m, uint16_t o, int getters_only)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_object	*obj = &m->objects[o];
	size_t			 n = 0;
	int			 i;

	for (i = 0; i < obj->nwaiters; i++) {
		if (!getters_only || m->workers[obj->waiters[i]].blocked_op ==
		    TRACE_CHAN_GET_WAIT)
			p->wf_roots[n++] = obj->waiters[i];
	}
	model_waitfor_check(m, p->wf_roots, n);
}

/* The whole verdict again, from every blocked worker: called when no
   worker is runnable and a non-daemon is blocked, when a stall stands and
   something changed, and when a producer went away (ended, or passed its
   last statement on an object) while someone waits. A deadlock if the
   reduction finds one (a safety net behind the incremental checks); else
   a stall if a non-daemon is hopeless, or, with nothing runnable, unless
   some blocked worker's wait is already satisfied; else no stall. */
void
model_waitfor_stall(struct model *m)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_detect	*d = &m->detect;
	struct model_wf_wait	 wt;
	size_t			 i, n = 0, nlist;
	int			 timed = 0, fresh;

	for (i = 0; i < m->meta->nworkers; i++) {
		if (m->workers[i].state == MODEL_W_BLOCKED)
			p->wf_roots[n++] = (uint16_t)i;
	}
	if (model_wf_reduce(m, p->wf_roots, n, 0, &nlist) > 0) {
		model_wf_set(m, p->wf_roots, n, nlist, TRACE_NO_WORKER);
		d->stall = d->stall_timed = 0;
		return;
	}
	if (model_wf_reduce(m, p->wf_roots, n, MODEL_WF_HOPELESS,
	    &nlist) > 0 && model_wf_stalled(m, nlist) > 0) {
		model_wf_stall_set(m, p->wf_roots, n,
		    model_wf_any_timed(m, nlist));
		return;
	}
	if (p->nrunnable > 0 || p->nblocked_nd == 0) {
		d->stall = d->stall_timed = 0;
		return;
	}
	fresh = !d->stall || d->nstalled == 0;
	d->nstalled = 0;
	for (i = 0; i < m->meta->nworkers; i++) {
		if (m->workers[i].state != MODEL_W_BLOCKED)
			continue;
		if (model_wf_classify(m, (uint16_t)i, &wt) ==
		    MODEL_WF_AVAILABLE) {
			d->stall = d->stall_timed = 0;
			return;
		}
		if (m->workers[i].timeout > 0)
			timed = 1;
		if (!p->w[i].daemon)
			d->stalled[d->nstalled++] = (uint16_t)i;
	}
	if (!d->stall) {
		d->stalls_seen++;
		d->stall_event = p->index;
	}
	d->stall = 1;
	d->stall_timed = timed;
	if (!timed)
		d->hard_stall_seen = 1;
	if (fresh)
		model_explain_why(m);
}

size_t
model_verdict_string(const struct model *m, char *buf, size_t len)
{
	const char	*why = m->detect.deadlock || (!m->detect.stall &&
			    m->detect.deadlocks_seen > 0) ? m->detect.why :
			    m->detect.stall_why;
	size_t		 n = strlen(why);

	if (len == 0)
		return (n);
	if (n >= len)
		n = len - 1;
	memcpy(buf, why, n);
	buf[n] = '\0';
	return (n);
}

size_t
model_waitfor_edges(const struct model *m, uint16_t w, uint16_t *out,
    size_t max)
{
	struct model_wf_wait	wt;
	size_t			i;

	if (w >= m->meta->nworkers ||
	    model_wf_classify(m, w, &wt) != MODEL_WF_HELD)
		return (0);
	for (i = 0; i < (size_t)wt.nsucc && i < max; i++)
		out[i] = wt.succ[i];
	return ((size_t)wt.nsucc);
}

const char *
model_waitfor_how(const struct model *m, uint16_t w)
{
	const struct model_worker	*mw;

	if (w >= m->meta->nworkers)
		return (NULL);
	mw = &m->workers[w];
	if (mw->state != MODEL_W_BLOCKED)
		return (NULL);
	switch (mw->blocked_op) {
	case TRACE_JOIN_WAIT:
		return ("ends only when it returns");
	case TRACE_LOCK_WAIT:
		return ("held by");
	case TRACE_SEM_WAIT:
		if (m->meta->objects[mw->blocked_on].nwriters == 0 &&
		    m->meta->objects[mw->blocked_on].nreaders == 0)
			return ("held by");
		return ("released only by");
	case TRACE_COND_WAIT:
		return (mw->woken ? "(its lock) held by" : "notified only by");
	case TRACE_BARRIER_WAIT:
		return ("still to arrive:");
	case TRACE_CHAN_GET_WAIT:
		return ("fed only by");
	case TRACE_CHAN_PUT_WAIT:
		return ("emptied only by");
	default:
		return ("waits for");
	}
}

int
model_waitfor_runnable(const struct model *m, uint16_t w)
{
	struct model_wf_wait	wt;

	if (w >= m->meta->nworkers)
		return (0);
	switch (m->workers[w].state) {
	case MODEL_W_NOT_STARTED:
		return (MODEL_PRIV(m)->w[w].startable);
	case MODEL_W_BLOCKED:
		return (model_wf_classify(m, w, &wt) == MODEL_WF_AVAILABLE);
	case MODEL_W_DONE:
	case MODEL_W_CRASHED:
	case MODEL_W_KILLED:
		return (0);
	default:
		return (1);
	}
}
