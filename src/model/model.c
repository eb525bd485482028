/*
 * model/model.c: the run's state, changed only by model_apply().
 *
 * Every event is checked before it touches anything: its type, its worker,
 * its object and the object's kind, array cells and task numbers must fit
 * the meta, and a worker that has ended sends nothing more. What does not
 * fit is counted in model->ignored and otherwise has no effect, so a fuzzed
 * trace file cannot crash the model or make it read out of bounds.
 *
 * Every per-object array is sized from the meta at create time (waiters
 * and lock holders by the number of workers, semaphore holders by the
 * capacity, cells, tasks), so apply never allocates on the common path.
 * Channel contents are kept in a buffer that slides (items points into
 * it), grows by doubling up to MODEL_MAX_ITEMS and counts the rest.
 *
 * Worker states follow the events: a STEP makes a worker READY (it may
 * wait at its step gate), a *_WAIT makes it BLOCKED (blocked_on,
 * blocked_op, blocked_line, timeout), SLEEP / COMPUTE / AWAKE and the
 * life events set theirs, anything else makes it RUNNING. Leaving BLOCKED
 * always takes the worker off its object's waiter list, whatever event
 * made it leave, so the lists stay true even when an event was lost.
 *
 * Detection (waitfor.c, lockorder.c) is driven from here: a new wait on a
 * lock, a semaphore, a join or a channel runs a local deadlock check from
 * that worker, and so does, from the channel's waiters, a get or a close
 * on a channel somebody waits on, and from the channel waiters a worker's
 * end (it may have been the writer they counted on); while a deadlock
 * stands, any event that could break it rechecks it; a stall is only
 * evaluated when no worker is runnable, which a pair of counters kept by
 * set_state() tells in O(1).
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "model/model-int.h"
#include "util/xmalloc.h"

#define K(k)	(1u << (k))
#define K_LOCK	(K(TRACE_OBJ_MUTEX) | K(TRACE_OBJ_RLOCK) | \
		 K(TRACE_OBJ_CONDITION))
#define K_CHAN	(K(TRACE_OBJ_QUEUE) | K(TRACE_OBJ_PIPE) | K(TRACE_OBJ_FIFO) | \
		 K(TRACE_OBJ_MQUEUE) | K(TRACE_OBJ_SOCKET))
#define K_VALUE	(K(TRACE_OBJ_SHARED) | K(TRACE_OBJ_LOCAL) | \
		 K(TRACE_OBJ_MMAP) | K(TRACE_OBJ_SHM))

/* Object kinds each event type accepts; 0 = the event names no object. */
static const uint32_t model_kinds[TRACE_TYPE_COUNT] = {
	[TRACE_LOCK_WAIT] = K_LOCK,
	[TRACE_LOCK_ACQUIRED] = K_LOCK,
	[TRACE_LOCK_RELEASE] = K_LOCK,
	[TRACE_LOCK_OWNER_DIED] = K_LOCK,
	[TRACE_LOCK_TIMEOUT] = K_LOCK,
	[TRACE_SEM_WAIT] = K(TRACE_OBJ_SEMAPHORE),
	[TRACE_SEM_ACQUIRED] = K(TRACE_OBJ_SEMAPHORE),
	[TRACE_SEM_RELEASE] = K(TRACE_OBJ_SEMAPHORE),
	[TRACE_SEM_TIMEOUT] = K(TRACE_OBJ_SEMAPHORE),
	[TRACE_COND_WAIT] = K(TRACE_OBJ_CONDITION),
	[TRACE_COND_WOKEN] = K(TRACE_OBJ_CONDITION),
	[TRACE_COND_NOTIFY] = K(TRACE_OBJ_CONDITION),
	[TRACE_BARRIER_WAIT] = K(TRACE_OBJ_BARRIER),
	[TRACE_BARRIER_PASS] = K(TRACE_OBJ_BARRIER),
	[TRACE_CHAN_OPEN_WAIT] = K_CHAN,
	[TRACE_CHAN_OPEN] = K_CHAN,
	[TRACE_CHAN_PUT_WAIT] = K_CHAN,
	[TRACE_CHAN_PUT] = K_CHAN,
	[TRACE_CHAN_GET_WAIT] = K_CHAN,
	[TRACE_CHAN_GET] = K_CHAN,
	[TRACE_CHAN_CLOSE] = K_CHAN,
	[TRACE_CHAN_EOF] = K_CHAN,
	[TRACE_CHAN_TIMEOUT] = K_CHAN,
	[TRACE_SHARED_LOAD] = K_VALUE,
	[TRACE_SHARED_STORE] = K_VALUE,
	[TRACE_SHARED_ADD] = K_VALUE,
	[TRACE_LOCAL_SET] = K(TRACE_OBJ_LOCAL),
	[TRACE_TASK_BEGIN] = K(TRACE_OBJ_POOL),
	[TRACE_TASK_END] = K(TRACE_OBJ_POOL),
};

/* States in which a worker can make progress without anyone's help. */
static const int model_runnable_state[MODEL_W_STATE_COUNT] = {
	[MODEL_W_READY] = 1,
	[MODEL_W_RUNNING] = 1,
	[MODEL_W_SLEEPING] = 1,
	[MODEL_W_COMPUTING] = 1,
};

/* Event types that can break a standing deadlock (besides any event from
   a worker that was blocked): recheck on them while one stands. */
#define B(t)	(1ull << (t))
static const uint64_t model_breaking =
    B(TRACE_WORKER_END) | B(TRACE_WORKER_CRASH) | B(TRACE_WORKER_KILLED) |
    B(TRACE_LOCK_WAIT) | B(TRACE_LOCK_ACQUIRED) | B(TRACE_LOCK_RELEASE) |
    B(TRACE_LOCK_OWNER_DIED) | B(TRACE_LOCK_TIMEOUT) | B(TRACE_SEM_WAIT) |
    B(TRACE_SEM_ACQUIRED) | B(TRACE_SEM_RELEASE) | B(TRACE_SEM_TIMEOUT) |
    B(TRACE_COND_WAIT) | B(TRACE_COND_WOKEN) | B(TRACE_COND_NOTIFY) |
    B(TRACE_JOIN_WAIT) | B(TRACE_JOINED) | B(TRACE_JOIN_TIMEOUT) |
    B(TRACE_START) | B(TRACE_CHAN_OPEN_WAIT) | B(TRACE_CHAN_OPEN) |
    B(TRACE_CHAN_PUT_WAIT) | B(TRACE_CHAN_PUT) | B(TRACE_CHAN_GET_WAIT) |
    B(TRACE_CHAN_GET) | B(TRACE_CHAN_CLOSE) | B(TRACE_CHAN_EOF) |
    B(TRACE_CHAN_TIMEOUT);

_Static_assert(TRACE_TYPE_COUNT <= 64, "model_breaking is a 64-bit mask");

static int
model_is_chan(enum trace_obj_kind k)
{
	return ((unsigned)k < TRACE_OBJ_KIND_COUNT && (K(k) & K_CHAN) != 0);
}

int
model_worker_dead(const struct model *m, uint16_t w)
{
	enum model_wstate	s = m->workers[w].state;

	return (s == MODEL_W_DONE || s == MODEL_W_CRASHED ||
	    s == MODEL_W_KILLED);
}

/* The object whose holders a lock event on o changes: o itself, or for a
   condition its own lock when the meta names a mutex or rlock. */
int
model_lock_object(const struct model *m, uint16_t o)
{
	const struct trace_meta	*meta = m->meta;
	uint16_t		 l;

	if (o >= meta->nobjects)
		return (TRACE_NO_OBJECT);
	switch (meta->objects[o].kind) {
	case TRACE_OBJ_MUTEX:
	case TRACE_OBJ_RLOCK:
		return (o);
	case TRACE_OBJ_CONDITION:
		l = meta->objects[o].lock;
		if (l < meta->nobjects &&
		    (meta->objects[l].kind == TRACE_OBJ_MUTEX ||
		    meta->objects[l].kind == TRACE_OBJ_RLOCK))
			return (l);
		return (o);
	default:
		return (TRACE_NO_OBJECT);
	}
}

/* The lock a condition event refers to: a1 when it names a lock, else the
   condition's own. */
static uint16_t
model_cond_lock(const struct model *m, uint16_t c, int32_t a1)
{
	int	l;

	if (a1 >= 0 && (size_t)a1 < m->meta->nobjects &&
	    (l = model_lock_object(m, (uint16_t)a1)) != TRACE_NO_OBJECT)
		return ((uint16_t)l);
	return ((uint16_t)model_lock_object(m, c));
}

static int
model_holder_index(const struct model_object *obj, uint16_t w)
{
	int	i;

	for (i = obj->nholders - 1; i >= 0; i--) {
		if (obj->holders[i] == w)
			return (i);
	}
	return (-1);
}

static void
model_holder_remove(struct model_object *obj, int i)
{
	memmove(&obj->holders[i], &obj->holders[i + 1],
	    (size_t)(obj->nholders - i - 1) * sizeof *obj->holders);
	obj->nholders--;
}

static void
model_held_add(struct model *m, uint16_t w, uint16_t o)
{
	struct model_worker	*mw = &m->workers[w];

	if (mw->nheld < MODEL_MAX_HELD) {
		MODEL_PRIV(m)->w[w].held_line[mw->nheld] = mw->line;
		mw->held[mw->nheld++] = o;
	} else
		mw->held_untracked++;
}

static void
model_held_remove(struct model *m, uint16_t w, uint16_t o)
{
	struct model_worker	*mw = &m->workers[w];
	int			*lines = MODEL_PRIV(m)->w[w].held_line;
	int			 i, n;

	for (i = mw->nheld - 1; i >= 0; i--) {
		if (mw->held[i] != o)
			continue;
		n = mw->nheld - i - 1;
		memmove(&mw->held[i], &mw->held[i + 1], n * sizeof *mw->held);
		memmove(&lines[i], &lines[i + 1], n * sizeof *lines);
		mw->nheld--;
		return;
	}
	if (mw->held_untracked > 0)
		mw->held_untracked--;
}

/* Take w off the waiter list of what it was blocked on. */
static void
model_unblock(struct model *m, uint16_t w)
{
	struct model_worker	*mw = &m->workers[w];
	struct model_object	*obj;
	int			 i;

	if (mw->blocked_op != TRACE_JOIN_WAIT &&
	    mw->blocked_on < m->meta->nobjects) {
		obj = &m->objects[mw->blocked_on];
		for (i = 0; i < obj->nwaiters; i++) {
			if (obj->waiters[i] != w)
				continue;
			memmove(&obj->waiters[i], &obj->waiters[i + 1],
			    (size_t)(obj->nwaiters - i - 1) *
			    sizeof *obj->waiters);
			obj->nwaiters--;
			break;
		}
	}
	mw->blocked_on = TRACE_NO_OBJECT;
	mw->blocked_op = TRACE_NONE;
	mw->woken = 0;
	mw->timeout = 0;
}

/* Change w's state, keeping the counters stall detection reads. */
static void
model_set_state(struct model *m, uint16_t w, enum model_wstate st)
{
	struct model_worker	*mw = &m->workers[w];
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_wpriv	*pw = &p->w[w];
	enum model_wstate	 old = mw->state;

	if (old == st)
		return;
	if (old == MODEL_W_BLOCKED) {
		model_unblock(m, w);
		if (!pw->daemon)
			p->nblocked_nd--;
	} else if (old == MODEL_W_NOT_STARTED && pw->startable) {
		pw->startable = 0;
		p->nrunnable--;
	}
	if (st == MODEL_W_BLOCKED && !pw->daemon)
		p->nblocked_nd++;
	p->nrunnable += model_runnable_state[st] - model_runnable_state[old];
	m->nstate[old]--;
	m->nstate[st]++;
	mw->state = st;
	mw->since = m->now;
}

/* w starts waiting on o (an object, or a worker for a join). */
static void
model_block(struct model *m, uint16_t w, uint16_t o, enum trace_type op,
    int64_t timeout)
{
	struct model_worker	*mw = &m->workers[w];
	struct model_object	*obj;

	if (mw->state == MODEL_W_BLOCKED) {
		model_unblock(m, w);
		mw->since = m->now;
	} else
		model_set_state(m, w, MODEL_W_BLOCKED);
	mw->blocked_on = o;
	mw->blocked_op = op;
	mw->blocked_line = mw->line;
	mw->timeout = timeout > 0 ? timeout : 0;
	mw->woken = 0;
	if (op == TRACE_JOIN_WAIT)
		return;
	obj = &m->objects[o];
	obj->stat[TRACE_METRIC_CONTENDED]++;
	if (obj->waiters != NULL && (size_t)obj->nwaiters < m->meta->nworkers)
		obj->waiters[obj->nwaiters++] = w;
	if (obj->nwaiters > obj->stat[TRACE_METRIC_MAX_WAITERS])
		obj->stat[TRACE_METRIC_MAX_WAITERS] = obj->nwaiters;
}

static struct model_fx *
model_fx(struct model *m)
{
	struct model_priv	*p = MODEL_PRIV(m);

	if (p->fx.index != p->index) {
		memset(&p->fx, 0, sizeof p->fx);
		p->fx.index = p->index;
	}
	return (&p->fx);
}

/* Locks. */

/* Holders that have died no longer hold a robust mutex: the next locker
   gets it (EOWNERDEAD). */
static void
model_purge_dead(struct model *m, struct model_object *obj)
{
	int	i;

	for (i = obj->nholders - 1; i >= 0; i--) {
		if (model_worker_dead(m, obj->holders[i]))
			model_holder_remove(obj, i);
	}
}

/* shared: a reader of an rwlock, one holder among several, outside the
   lock order. */
static void
model_lock_take(struct model *m, uint16_t w, uint16_t l, int64_t depth,
    int shared)
{
	struct model_object	*obj = &m->objects[l];
	struct model_opriv	*op = &MODEL_PRIV(m)->o[l];

	if (model_holder_index(obj, w) >= 0) {
		/* Trust the event's depth when sane; else count, saturating
		   (a fuzzed trace may carry any depth). */
		if (depth > 0 && depth < INT32_MAX)
			obj->depth = (int)depth;
		else if (obj->depth < INT32_MAX)
			obj->depth++;
		obj->owner = w;
		return;
	}
	if (obj->nholders > 0)
		model_purge_dead(m, obj);
	if (!shared)
		model_lockorder_acquire(m, w, l, m->workers[w].line);
	if ((size_t)obj->nholders < op->hcap)
		obj->holders[obj->nholders++] = w;
	model_held_add(m, w, l);
	obj->owner = w;
	obj->depth = depth > 0 && depth < INT32_MAX ? (int)depth : 1;
	if (obj->nholders > obj->stat[TRACE_METRIC_MAX_HOLDERS])
		obj->stat[TRACE_METRIC_MAX_HOLDERS] = obj->nholders;
}

static void
model_lock_give(struct model *m, uint16_t w, uint16_t l, int64_t left)
{
	struct model_object	*obj = &m->objects[l];
	int			 i;

	if ((i = model_holder_index(obj, w)) < 0)
		return;
	if (left > 0) {
		obj->depth = left < INT32_MAX ? (int)left : INT32_MAX;
		return;
	}
	model_holder_remove(obj, i);
	model_held_remove(m, w, l);
	if (obj->nholders > 0) {
		obj->owner = obj->holders[obj->nholders - 1];
		obj->depth = 1;
	} else {
		obj->owner = TRACE_NO_WORKER;
		obj->depth = 0;
	}
}

static void
model_owner_died_add(struct model *m, uint16_t o, uint16_t dead,
    uint16_t to)
{
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_detect	*d = &m->detect;

	if (d->nowner_died >= MODEL_MAX_REPORTS)
		return;
	if (d->nowner_died == p->od_cap) {
		p->od_cap = p->od_cap == 0 ? 8 : p->od_cap * 2;
		d->owner_died = xreallocarray(d->owner_died, p->od_cap,
		    sizeof *d->owner_died);
	}
	d->owner_died[d->nowner_died].object = o;
	d->owner_died[d->nowner_died].dead_worker = dead;
	d->owner_died[d->nowner_died].new_owner = to;
	d->nowner_died++;
}

/* w ended or crashed: every lock it still holds has a dead owner. */
static void
model_owner_died_record(struct model *m, uint16_t w)
{
	struct model_worker	*mw = &m->workers[w];
	int			 i;

	for (i = 0; i < mw->nheld; i++) {
		if (model_lock_object(m, mw->held[i]) == mw->held[i])
			model_owner_died_add(m, mw->held[i], w,
			    TRACE_NO_WORKER);
	}
}

static void
model_owner_died_taken(struct model *m, uint16_t w, uint16_t l, int64_t a0)
{
	struct model_detect	*d = &m->detect;
	size_t			 i;

	for (i = 0; i < d->nowner_died; i++) {
		if (d->owner_died[i].object == l &&
		    d->owner_died[i].new_owner == TRACE_NO_WORKER) {
			d->owner_died[i].new_owner = w;
			return;
		}
	}
	model_owner_died_add(m, l, a0 >= 0 && (uint64_t)a0 <
	    m->meta->nworkers ? (uint16_t)a0 : TRACE_NO_WORKER, w);
}

/* Semaphores. */

static void
model_sem_take(struct model *m, uint16_t w, uint16_t s, int64_t value)
{
	struct model_object	*obj = &m->objects[s];
	struct model_opriv	*op = &MODEL_PRIV(m)->o[s];

	if (model_holder_index(obj, w) >= 0 ||
	    value > m->meta->objects[s].capacity)
		obj->signalling = 1;
	obj->value = value;
	if (!obj->signalling)
		model_lockorder_acquire(m, w, s, m->workers[w].line);
	if ((size_t)obj->nholders < op->hcap)
		obj->holders[obj->nholders++] = w;
	else
		obj->untracked++;
	model_held_add(m, w, s);
	if (obj->nholders > obj->stat[TRACE_METRIC_MAX_HOLDERS])
		obj->stat[TRACE_METRIC_MAX_HOLDERS] = obj->nholders;
}

/* A post by a worker that holds no slot (allowed by POSIX) gives back the
   oldest slot taken: in the signalling pattern (one side waits, the other
   posts) that pairs each post with the earliest wait still unmatched, and
   keeps the holder list bounded. */
static void
model_sem_give(struct model *m, uint16_t w, uint16_t s, int64_t value)
{
	struct model_object	*obj = &m->objects[s];
	uint16_t		 victim;
	int			 i;

	obj->value = value;
	if (value > m->meta->objects[s].capacity)
		obj->signalling = 1;
	if ((i = model_holder_index(obj, w)) >= 0) {
		model_holder_remove(obj, i);
		model_held_remove(m, w, s);
		return;
	}
	obj->signalling = 1;
	if (obj->untracked > 0)
		obj->untracked--;
	else if (obj->nholders > 0) {
		victim = obj->holders[0];
		model_holder_remove(obj, 0);
		model_held_remove(m, victim, s);
	}
}

/* Conditions. */

static void
model_cond_wait(struct model *m, uint16_t w, uint16_t c,
    const struct trace_event *ev)
{
	struct model_wpriv	*pw = &MODEL_PRIV(m)->w[w];
	struct model_object	*lobj;
	uint16_t		 l;

	l = model_cond_lock(m, c, ev->a1);
	pw->cond_lock = l;
	pw->cond_depth = 1;
	if (l != TRACE_NO_OBJECT) {
		lobj = &m->objects[l];
		if (model_holder_index(lobj, w) >= 0) {
			if (lobj->owner == w && lobj->depth > 1)
				pw->cond_depth = lobj->depth;
			model_lock_give(m, w, l, 0);
		}
	}
	model_block(m, w, c, TRACE_COND_WAIT, ev->a0);
}

static void
model_cond_woken(struct model *m, uint16_t w, uint16_t c,
    const struct trace_event *ev)
{
	struct model_wpriv	*pw = &MODEL_PRIV(m)->w[w];
	uint16_t		 l;

	model_set_state(m, w, MODEL_W_RUNNING);
	if (ev->a0 == 1)
		m->objects[c].stat[TRACE_METRIC_WOKEN]++;
	l = model_cond_lock(m, c, ev->a1);
	if (l == TRACE_NO_OBJECT)
		l = pw->cond_lock;
	if (l != TRACE_NO_OBJECT)
		model_lock_take(m, w, l, pw->cond_depth, 0);
	pw->cond_lock = TRACE_NO_OBJECT;
	pw->cond_depth = 1;
}

/* Whether w waits on a condition and no notify picked it yet. */
static int
model_cond_waiting(const struct model *m, uint16_t w)
{
	return (m->workers[w].blocked_op == TRACE_COND_WAIT &&
	    !m->workers[w].woken);
}

/* a1 is the number of waiters the condition itself counted; trust it over
   the model's list, which may lag. The first waiters (arrival order) that
   the notify wakes become "woken": runnable as soon as the lock is free,
   though their COND_WOKEN has not arrived yet. */
static int
model_cond_notify(struct model *m, uint16_t c, const struct trace_event *ev)
{
	struct model_object	*obj = &m->objects[c];
	struct model_fx		*fx;
	int			 i, count = 0, waiting, wake;

	/* (A condition that is its own lock also lists its lock waiters.) */
	for (i = 0; i < obj->nwaiters; i++)
		count += model_cond_waiting(m, obj->waiters[i]);
	waiting = ev->a1 >= 0 ? ev->a1 : count;
	if (waiting == 0) {
		obj->stat[TRACE_METRIC_LOST_NOTIFIES]++;
		model_fx(m)->lost_notify = 1;
		return (0);
	}
	wake = ev->a0 < 0 || ev->a0 > count ? count : (int)ev->a0;
	if (wake == 0)
		return (0);
	fx = model_fx(m);
	for (i = 0; i < obj->nwaiters && fx->woke < wake; i++) {
		if (!model_cond_waiting(m, obj->waiters[i]))
			continue;
		m->workers[obj->waiters[i]].woken = 1;
		if (fx->woke++ == 0)
			fx->woken_first = obj->waiters[i];
	}
	return (fx->woke);
}

/* Barriers: a pass is early when the generation the worker arrived in has
   not filled up yet. */
static void
model_barrier_wait(struct model *m, uint16_t w, uint16_t b)
{
	struct model_object	*obj = &m->objects[b];
	int64_t			 parties = m->meta->objects[b].capacity;

	MODEL_PRIV(m)->w[w].bar_gen = obj->generation;
	obj->arrived++;
	if (obj->arrived >= parties) {
		obj->generation++;
		obj->arrived = 0;
		model_fx(m)->released_all = 1;
		model_set_state(m, w, MODEL_W_RUNNING);
	} else
		model_block(m, w, b, TRACE_BARRIER_WAIT, 0);
}

static void
model_barrier_pass(struct model *m, uint16_t w, uint16_t b)
{
	struct model_object	*obj = &m->objects[b];
	struct model_wpriv	*pw = &MODEL_PRIV(m)->w[w];

	model_set_state(m, w, MODEL_W_RUNNING);
	if (pw->bar_gen >= 0 && obj->generation <= pw->bar_gen) {
		obj->stat[TRACE_METRIC_EARLY_PASSES]++;
		model_fx(m)->early = 1;
	}
	pw->bar_gen = -1;
}

/* Channels. */

static int
model_chan_duplex(const struct trace_meta_object *mo)
{
	return (mo->kind == TRACE_OBJ_SOCKET ||
	    (mo->kind == TRACE_OBJ_PIPE && (mo->flags & TRACE_OBJF_DUPLEX)));
}

/* Make room for one more item at the end of the buffer: slide the items
   back to its start when that frees at least half, else double it. */
static void
model_chan_room(struct model_object *obj, struct model_opriv *op)
{
	if (op->head + obj->nitems < op->bufsize)
		return;
	if (obj->nitems < op->bufsize / 2) {
		memmove(op->buf, op->buf + op->head,
		    obj->nitems * sizeof *op->buf);
		op->head = 0;
	} else {
		op->bufsize *= 2;
		op->buf = xreallocarray(op->buf, op->bufsize, sizeof *op->buf);
	}
	obj->items = op->buf + op->head;
}

static void
model_chan_put(struct model *m, uint16_t w, uint16_t o,
    const struct trace_event *ev)
{
	struct model_object	*obj = &m->objects[o];
	struct model_opriv	*op = &MODEL_PRIV(m)->o[o];
	struct model_item	*it;
	size_t			 i, len;
	int32_t			 prio = 0;

	if (m->meta->objects[o].kind == TRACE_OBJ_MQUEUE)
		prio = ev->a1;
	if (obj->nitems >= MODEL_MAX_ITEMS)
		obj->untracked++;
	else {
		model_chan_room(obj, op);
		i = obj->nitems;
		while (i > 0 && obj->items[i - 1].priority < prio)
			i--;
		memmove(&obj->items[i + 1], &obj->items[i],
		    (obj->nitems - i) * sizeof *obj->items);
		it = &obj->items[i];
		it->value = ev->a0;
		it->priority = prio;
		it->from = w;
		it->seq = op->seq;
		it->end = ev->a1;
		obj->nitems++;
	}
	op->seq++;
	obj->stat[TRACE_METRIC_SENT]++;
	len = obj->nitems + obj->untracked;
	if ((int64_t)len > obj->stat[TRACE_METRIC_MAX_LEN])
		obj->stat[TRACE_METRIC_MAX_LEN] = (int64_t)len;
}

/* The item a get of value v at end `end` took: the first from the head
   with that value (and priority for an mqueue, other end for a duplex
   channel), then any with that value. -1 if the mirror does not have it. */
static ssize_t
model_chan_find(const struct model *m, uint16_t o, int64_t v, int32_t a1)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	const struct model_object	*obj = &m->objects[o];
	int				 duplex = model_chan_duplex(mo);
	int				 mq = mo->kind == TRACE_OBJ_MQUEUE;
	size_t				 i;

	for (i = 0; i < obj->nitems; i++) {
		if (obj->items[i].value != v)
			continue;
		if (duplex && obj->items[i].end == a1)
			continue;
		if (mq && obj->items[i].priority != a1)
			continue;
		return ((ssize_t)i);
	}
	for (i = 0; i < obj->nitems; i++) {
		if (obj->items[i].value == v)
			return ((ssize_t)i);
	}
	return (-1);
}

/* A get is out of order when an item from the same producer, put earlier
   and going the same way, is still ahead of it: only then is the order
   certainly wrong. Items from different producers may sit in the mirror
   in stamp order while the channel has them the other way round (a put is
   stamped before its write), so they are not compared. */
static void
model_chan_get(struct model *m, uint16_t w, uint16_t o,
    const struct trace_event *ev)
{
	struct model_object	*obj = &m->objects[o];
	struct model_opriv	*op = &MODEL_PRIV(m)->o[o];
	struct model_item	*got;
	struct model_fx		*fx;
	ssize_t			 k, i;

	obj->stat[TRACE_METRIC_RECEIVED]++;
	m->workers[w].last_value = ev->a0;
	if ((k = model_chan_find(m, o, ev->a0, ev->a1)) < 0) {
		if (obj->untracked > 0)
			obj->untracked--;
		return;
	}
	got = &obj->items[k];
	for (i = 0; i < k; i++) {
		if (obj->items[i].from == got->from &&
		    obj->items[i].seq < got->seq &&
		    obj->items[i].end == got->end) {
			obj->stat[TRACE_METRIC_ORDER_ERRORS]++;
			fx = model_fx(m);
			fx->order_error = 1;
			fx->head_value = obj->items[i].value;
			break;
		}
	}
	if (k == 0) {
		op->head++;
		obj->items++;
	} else
		memmove(&obj->items[k], &obj->items[k + 1],
		    (obj->nitems - (size_t)k - 1) * sizeof *obj->items);
	if (--obj->nitems == 0) {
		op->head = 0;
		obj->items = op->buf;
	}
}

/* Shared and local values. */

/* Where event ev's value lives: *ver is the cell's store count (NULL for
   a local, which nobody else writes). */
static int64_t *
model_value_slot(struct model *m, uint16_t w, uint16_t o, int32_t cell,
    uint64_t **ver)
{
	struct model_object	*obj = &m->objects[o];
	struct model_opriv	*op = &MODEL_PRIV(m)->o[o];

	switch (m->meta->objects[o].kind) {
	case TRACE_OBJ_SHARED:
		*ver = &op->ver;
		return (&obj->value);
	case TRACE_OBJ_LOCAL:
		*ver = NULL;
		op->touched[w] = 1;
		return (&obj->cells[w]);
	default:
		*ver = &op->cell_ver[cell];
		return (&obj->cells[cell]);
	}
}

static void
model_value_write(struct model *m, uint16_t w, uint16_t o,
    const struct trace_event *ev, int store)
{
	struct model_object	*obj = &m->objects[o];
	struct model_wpriv	*pw = &MODEL_PRIV(m)->w[w];
	enum trace_obj_kind	 kind = m->meta->objects[o].kind;
	struct model_opriv	*op = &MODEL_PRIV(m)->o[o];
	struct model_fx		*fx;
	uint64_t		*ver;
	int64_t			*slot, old;
	int			 own;
	int32_t			 cell = kind == TRACE_OBJ_SHARED ? 0 : ev->a1;

	slot = model_value_slot(m, w, o, cell, &ver);
	old = *slot;
	if (ver != NULL) {
		/* A store that follows this worker's own load of the cell
		   (x += 1: load, then store; or t = x ... x = t + 1) throws
		   away what other workers stored since that load, and the
		   store its load was too early to see (a load is stamped
		   after it reads). That is the moment to explain. */
		own = store && pw->load_obj == o && pw->load_cell ==
		    (uint32_t)cell;
		if (own && (*ver != pw->load_ver || pw->load_stale) &&
		    obj->last_writer != w &&
		    obj->last_writer != TRACE_NO_WORKER) {
			fx = model_fx(m);
			fx->lost_update = 1;
			fx->prev_value = old;
			fx->prev_writer = obj->last_writer;
		}
		/* How many are lost in all: each update meant to move the
		   value by its own delta (store minus its load; an atomic
		   add by what it added), so the value they meant is the
		   start plus every delta, and the loss is how far memory is
		   behind it. A plain set, with no load of its own, means its
		   value. Exact however the events of a race interleave. */
		if (kind == TRACE_OBJ_SHARED) {
			/* Two's complement, defined for any value a trace
			   file holds (UINT64 arithmetic wraps). */
			if (own)
				op->intended = (int64_t)((uint64_t)op->intended +
				    (uint64_t)ev->a0 - (uint64_t)pw->load_value);
			else if (store)
				op->intended = ev->a0;
			else
				op->intended = (int64_t)((uint64_t)op->intended +
				    (uint64_t)ev->a0 - (uint64_t)old);
			obj->lost_updates = op->intended > ev->a0 ?
			    (uint64_t)op->intended - (uint64_t)ev->a0 : 0;
		}
		(*ver)++;
	}
	pw->load_obj = TRACE_NO_OBJECT;
	*slot = ev->a0;
	obj->last_writer = w;
	if (obj->first_write == 0)
		obj->first_write = m->nevents + 1;
	if (kind == TRACE_OBJ_MMAP || kind == TRACE_OBJ_SHM)
		obj->stat[TRACE_METRIC_VALUE] = (int64_t)((uint64_t)
		    obj->stat[TRACE_METRIC_VALUE] + (uint64_t)ev->a0 -
		    (uint64_t)old);
	else
		obj->stat[TRACE_METRIC_VALUE] = ev->a0;
	/* `expect max inside <= 3`: the extremes over the run. */
	if (ev->a0 > obj->stat[TRACE_METRIC_MAX_VALUE])
		obj->stat[TRACE_METRIC_MAX_VALUE] = ev->a0;
	if (ev->a0 < obj->stat[TRACE_METRIC_MIN_VALUE])
		obj->stat[TRACE_METRIC_MIN_VALUE] = ev->a0;
}

static void
model_value_load(struct model *m, uint16_t w, uint16_t o,
    const struct trace_event *ev)
{
	struct model_wpriv	*pw = &MODEL_PRIV(m)->w[w];
	enum trace_obj_kind	 kind = m->meta->objects[o].kind;
	uint64_t		*ver;
	int64_t			*slot;
	int32_t			 cell = kind == TRACE_OBJ_SHARED ? 0 : ev->a1;

	m->workers[w].last_value = ev->a0;
	if (kind == TRACE_OBJ_LOCAL)
		return;
	slot = model_value_slot(m, w, o, cell, &ver);
	pw->load_obj = o;
	pw->load_cell = (uint32_t)cell;
	pw->load_ver = *ver;
	pw->load_value = ev->a0;
	/* Stores are stamped before they reach memory, so a load stamped
	   after another worker's store can still read the older value. */
	pw->load_stale = ev->a0 != *slot && m->objects[o].last_writer != w &&
	    m->objects[o].last_writer != TRACE_NO_WORKER;
}

/* Whether ev fits the meta: the checks that keep a fuzzed trace harmless. */
static int
model_fits(const struct model *m, const struct trace_event *ev)
{
	const struct trace_meta		*meta = m->meta;
	const struct trace_meta_object	*mo;
	const struct model_object	*obj;
	uint32_t			 kinds = model_kinds[ev->type];

	switch (ev->type) {
	case TRACE_START:
	case TRACE_JOIN_WAIT:
	case TRACE_JOINED:
	case TRACE_JOIN_TIMEOUT:
		return (ev->object < meta->nworkers &&
		    ev->object != ev->worker);
	}
	if (kinds == 0)
		return (1);
	if (ev->object >= meta->nobjects)
		return (0);
	mo = &meta->objects[ev->object];
	obj = &m->objects[ev->object];
	if ((unsigned)mo->kind >= TRACE_OBJ_KIND_COUNT ||
	    (kinds & K(mo->kind)) == 0)
		return (0);
	switch (ev->type) {
	case TRACE_SHARED_LOAD:
	case TRACE_SHARED_STORE:
	case TRACE_SHARED_ADD:
		if (mo->kind == TRACE_OBJ_MMAP || mo->kind == TRACE_OBJ_SHM)
			return (ev->a1 >= 0 && (size_t)ev->a1 < obj->ncells);
		break;
	case TRACE_TASK_BEGIN:
		return (ev->a0 >= 0 && (uint64_t)ev->a0 < obj->ntasks);
	case TRACE_TASK_END:
		return (ev->a1 >= 0 && (size_t)ev->a1 < obj->ntasks);
	}
	return (1);
}

static int
model_int_cmp(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return (x < y ? -1 : x > y);
}

/* Every worker's limit lines, sorted (see model-int.h). */
static void
model_limits_init(struct model *m)
{
	const struct trace_meta		*meta = m->meta;
	const struct trace_meta_object	*mo;
	struct model_priv		*p = MODEL_PRIV(m);
	size_t				 i, j, k, n = 0, nw = meta->nworkers;

	p->lim_off = xcalloc(nw + 2, sizeof *p->lim_off);
	for (i = 0; i < meta->nobjects; i++) {
		mo = &meta->objects[i];
		for (j = 0; j < mo->nwriters; j++) {
			if (mo->writers[j].limit > 0 &&
			    mo->writers[j].worker < nw)
				p->lim_off[mo->writers[j].worker + 2]++;
		}
		for (j = 0; j < mo->nreaders; j++) {
			if (mo->readers[j].limit > 0 &&
			    mo->readers[j].worker < nw)
				p->lim_off[mo->readers[j].worker + 2]++;
		}
	}
	for (i = 2; i < nw + 2; i++)
		p->lim_off[i] += p->lim_off[i - 1];
	n = p->lim_off[nw + 1];
	p->lim = xcalloc(n + 1, sizeof *p->lim);
	for (i = 0; i < meta->nobjects; i++) {
		mo = &meta->objects[i];
		for (j = 0; j < mo->nwriters; j++) {
			if (mo->writers[j].limit > 0 &&
			    mo->writers[j].worker < nw) {
				k = p->lim_off[mo->writers[j].worker + 1]++;
				p->lim[k] = mo->writers[j].limit;
			}
		}
		for (j = 0; j < mo->nreaders; j++) {
			if (mo->readers[j].limit > 0 &&
			    mo->readers[j].worker < nw) {
				k = p->lim_off[mo->readers[j].worker + 1]++;
				p->lim[k] = mo->readers[j].limit;
			}
		}
	}
	for (i = 0; i < nw; i++)
		qsort(p->lim + p->lim_off[i], p->lim_off[i + 1] -
		    p->lim_off[i], sizeof *p->lim, model_int_cmp);
}

/* Whether w stepping from line `from` to line `to` passed the limit of
   one of its peers: some limit L with from <= L < to. */
static int
model_passed_limit(const struct model *m, uint16_t w, int from, int to)
{
	const struct model_priv	*p = MODEL_PRIV(m);
	size_t			 i;

	if (to <= from)
		return (0);
	for (i = p->lim_off[w]; i < p->lim_off[w + 1]; i++) {
		if (p->lim[i] >= to)
			return (0);
		if (p->lim[i] >= from)
			return (1);
	}
	return (0);
}

static void
model_inversion_free(struct model_inversion *inv)
{
	free(inv->locks);
	free(inv->workers);
	free(inv->lines);
	free(inv->hold_lines);
}

/*
 * One event family each: the handlers below change the state for their
 * event types and say what the wait-for graph needs to look at next.
 * model_apply_worker() picks the handler from model_families[] (types
 * with none, such as PRINT, NOTE, AWAKE, JOINED and the timeouts, only
 * make the worker RUNNING) and then runs the detection it asked for.
 */
enum model_recheck {
	MODEL_RE_NONE,
	MODEL_RE_LOCAL,		/* the worker blocked: check from it */
	MODEL_RE_WOKE,		/* a notify: the woken want their lock */
	MODEL_RE_CHAN_GET,	/* a channel somebody waits on lost an item */
	MODEL_RE_CHAN_CLOSE,	/* ... or a peer */
	MODEL_RE_GONE		/* a worker ended or passed a last use */
};

typedef enum model_recheck model_apply_fn(struct model *,
    const struct trace_event *);

/* Life: start, end, crash, kill, steps, errors, sleep, start / join of
   another worker, and every event no family claims. */
static enum model_recheck
model_apply_life(struct model *m, const struct trace_event *ev)
{
	struct model_priv	*p = MODEL_PRIV(m);
	uint16_t		 w = ev->worker, o = ev->object;
	struct model_worker	*mw = &m->workers[w];
	int			 line, gone;

	switch (ev->type) {
	case TRACE_WORKER_START:
		model_set_state(m, w, MODEL_W_RUNNING);
		break;
	case TRACE_WORKER_END:
		mw->exit_status = ev->a0;
		model_owner_died_record(m, w);
		model_set_state(m, w, MODEL_W_DONE);
		mw->task = -1;
		return (MODEL_RE_GONE);
	case TRACE_WORKER_CRASH:
		mw->signal = (int)ev->a0;
		model_owner_died_record(m, w);
		model_set_state(m, w, MODEL_W_CRASHED);
		mw->task = -1;
		return (MODEL_RE_GONE);
	case TRACE_WORKER_KILLED:
		model_set_state(m, w, MODEL_W_KILLED);
		mw->task = -1;
		return (MODEL_RE_GONE);
	case TRACE_STEP:
		mw->steps++;
		/* FALLTHROUGH */
	case TRACE_MICROSTEP:
		line = mw->line;
		mw->line = ev->a0 >= 0 && ev->a0 <= INT32_MAX ? (int)ev->a0 :
		    0;
		gone = m->nstate[MODEL_W_BLOCKED] > 0 &&
		    model_passed_limit(m, w, line, mw->line);
		mw->col = ev->a1;
		model_set_state(m, w, MODEL_W_READY);
		return (gone ? MODEL_RE_GONE : MODEL_RE_NONE);
	case TRACE_ERROR:
		m->errors++;
		model_set_state(m, w, MODEL_W_RUNNING);
		break;
	case TRACE_SLEEP:
		model_set_state(m, w, MODEL_W_SLEEPING);
		break;
	case TRACE_COMPUTE:
		model_set_state(m, w, MODEL_W_COMPUTING);
		break;
	case TRACE_START:
		model_set_state(m, w, MODEL_W_RUNNING);
		m->workers[o].start_requested = 1;
		if (m->workers[o].state == MODEL_W_NOT_STARTED &&
		    !p->w[o].startable) {
			p->w[o].startable = 1;
			p->nrunnable++;
		}
		break;
	case TRACE_JOIN_WAIT:
		model_block(m, w, o, TRACE_JOIN_WAIT, ev->a0);
		return (MODEL_RE_LOCAL);
	default:	/* PRINT, NOTE, AWAKE, JOINED, timeouts, ... */
		model_set_state(m, w, MODEL_W_RUNNING);
		break;
	}
	return (MODEL_RE_NONE);
}

/* Locks (mutex, rlock, and a condition's lock). */
static enum model_recheck
model_apply_lock(struct model *m, const struct trace_event *ev)
{
	uint16_t	w = ev->worker;
	uint16_t	l = (uint16_t)model_lock_object(m, ev->object);

	switch (ev->type) {
	case TRACE_LOCK_WAIT:
		if (model_holder_index(&m->objects[l], w) < 0 &&
		    ev->a1 != TRACE_LOCK_SHARED)
			model_lockorder_acquire(m, w, l, m->workers[w].line);
		model_block(m, w, l, TRACE_LOCK_WAIT, ev->a0);
		return (MODEL_RE_LOCAL);
	case TRACE_LOCK_ACQUIRED:
		model_set_state(m, w, MODEL_W_RUNNING);
		model_lock_take(m, w, l, ev->a0, ev->a1 == TRACE_LOCK_SHARED);
		break;
	case TRACE_LOCK_RELEASE:
		model_set_state(m, w, MODEL_W_RUNNING);
		model_lock_give(m, w, l, ev->a0);
		break;
	case TRACE_LOCK_OWNER_DIED:
		model_set_state(m, w, MODEL_W_RUNNING);
		model_purge_dead(m, &m->objects[l]);
		model_lock_take(m, w, l, 1, 0);
		model_owner_died_taken(m, w, l, ev->a0);
		break;
	default:
		break;
	}
	return (MODEL_RE_NONE);
}

/* Semaphores. A wait by a holder makes it a signalling semaphore, which
   takes no part in lock order. */
static enum model_recheck
model_apply_sem(struct model *m, const struct trace_event *ev)
{
	uint16_t		 w = ev->worker, o = ev->object;
	struct model_object	*obj = &m->objects[o];

	switch (ev->type) {
	case TRACE_SEM_WAIT:
		if (model_holder_index(obj, w) >= 0)
			obj->signalling = 1;
		else if (!obj->signalling)
			model_lockorder_acquire(m, w, o, m->workers[w].line);
		model_block(m, w, o, TRACE_SEM_WAIT, ev->a0);
		return (MODEL_RE_LOCAL);
	case TRACE_SEM_ACQUIRED:
		model_set_state(m, w, MODEL_W_RUNNING);
		model_sem_take(m, w, o, ev->a0);
		break;
	case TRACE_SEM_RELEASE:
		model_set_state(m, w, MODEL_W_RUNNING);
		model_sem_give(m, w, o, ev->a0);
		break;
	default:
		break;
	}
	return (MODEL_RE_NONE);
}

/* Conditions. */
static enum model_recheck
model_apply_cond(struct model *m, const struct trace_event *ev)
{
	uint16_t	w = ev->worker, o = ev->object;

	switch (ev->type) {
	case TRACE_COND_WAIT:
		model_cond_wait(m, w, o, ev);
		return (MODEL_RE_LOCAL);
	case TRACE_COND_WOKEN:
		model_cond_woken(m, w, o, ev);
		break;
	case TRACE_COND_NOTIFY:
		model_set_state(m, w, MODEL_W_RUNNING);
		if (model_cond_notify(m, o, ev))
			return (MODEL_RE_WOKE);
		break;
	default:
		break;
	}
	return (MODEL_RE_NONE);
}

/* Barriers. */
static enum model_recheck
model_apply_barrier(struct model *m, const struct trace_event *ev)
{
	uint16_t	w = ev->worker, o = ev->object;

	if (ev->type == TRACE_BARRIER_PASS) {
		model_barrier_pass(m, w, o);
		return (MODEL_RE_NONE);
	}
	model_barrier_wait(m, w, o);
	if (m->workers[w].state == MODEL_W_BLOCKED)
		return (MODEL_RE_LOCAL);
	return (MODEL_RE_NONE);
}

/* Channels: queues, pipes, FIFOs, message queues, sockets. */
static enum model_recheck
model_apply_chan(struct model *m, const struct trace_event *ev)
{
	struct model_priv	*p = MODEL_PRIV(m);
	uint16_t		 w = ev->worker, o = ev->object;
	struct model_object	*obj = &m->objects[o];

	switch (ev->type) {
	case TRACE_CHAN_OPEN_WAIT:
	case TRACE_CHAN_GET_WAIT:
		/* A get's a0 is its timeout (0: none). */
		model_block(m, w, o, ev->type,
		    ev->type == TRACE_CHAN_GET_WAIT ? ev->a0 : 0);
		p->w[w].blocked_end = ev->a1;
		if (ev->type == TRACE_CHAN_GET_WAIT)
			return (MODEL_RE_LOCAL);
		break;
	case TRACE_CHAN_PUT_WAIT:
		model_block(m, w, o, ev->type, 0);
		p->w[w].blocked_end = ev->a1;
		p->w[w].wait_len = obj->nitems + obj->untracked;
		return (MODEL_RE_LOCAL);
	case TRACE_CHAN_OPEN:
		model_set_state(m, w, MODEL_W_RUNNING);
		obj->ends_open |= 1u << (ev->a1 & 31);
		break;
	case TRACE_CHAN_PUT:
		model_set_state(m, w, MODEL_W_RUNNING);
		model_chan_put(m, w, o, ev);
		break;
	case TRACE_CHAN_GET:
		model_set_state(m, w, MODEL_W_RUNNING);
		model_chan_get(m, w, o, ev);
		if (obj->nwaiters > 0)
			return (MODEL_RE_CHAN_GET);
		break;
	case TRACE_CHAN_CLOSE:
		model_set_state(m, w, MODEL_W_RUNNING);
		obj->closed = 1;
		p->o[o].closed_by[w] = 1;
		if (obj->nwaiters > 0)
			return (MODEL_RE_CHAN_CLOSE);
		break;
	case TRACE_CHAN_EOF:
		model_set_state(m, w, MODEL_W_RUNNING);
		obj->eof_seen = 1;
		break;
	default:
		break;
	}
	return (MODEL_RE_NONE);
}

/* Shared values, locals and mapped memory. */
static enum model_recheck
model_apply_value(struct model *m, const struct trace_event *ev)
{
	uint16_t	w = ev->worker, o = ev->object;

	model_set_state(m, w, MODEL_W_RUNNING);
	if (ev->type == TRACE_SHARED_LOAD)
		model_value_load(m, w, o, ev);
	else
		model_value_write(m, w, o, ev, ev->type == TRACE_SHARED_STORE);
	return (MODEL_RE_NONE);
}

/* A pool's tasks. */
static enum model_recheck
model_apply_task(struct model *m, const struct trace_event *ev)
{
	uint16_t		 w = ev->worker;
	struct model_worker	*mw = &m->workers[w];
	struct model_object	*obj = &m->objects[ev->object];

	model_set_state(m, w, MODEL_W_RUNNING);
	if (ev->type == TRACE_TASK_BEGIN) {
		obj->task_worker[ev->a0] = w;
		mw->task = (int)ev->a0;
		if (++obj->busy > obj->stat[TRACE_METRIC_MAX_BUSY])
			obj->stat[TRACE_METRIC_MAX_BUSY] = obj->busy;
		return (MODEL_RE_NONE);
	}
	obj->task_worker[ev->a1] = -1;
	obj->results[ev->a1] = ev->a0;
	obj->result_done[ev->a1] = 1;
	if (obj->busy > 0)
		obj->busy--;
	obj->stat[TRACE_METRIC_TASKS_DONE]++;
	mw->task = -1;
	return (MODEL_RE_NONE);
}

static model_apply_fn *const model_families[TRACE_TYPE_COUNT] = {
	[TRACE_LOCK_WAIT] = model_apply_lock,
	[TRACE_LOCK_ACQUIRED] = model_apply_lock,
	[TRACE_LOCK_RELEASE] = model_apply_lock,
	[TRACE_LOCK_OWNER_DIED] = model_apply_lock,
	[TRACE_SEM_WAIT] = model_apply_sem,
	[TRACE_SEM_ACQUIRED] = model_apply_sem,
	[TRACE_SEM_RELEASE] = model_apply_sem,
	[TRACE_COND_WAIT] = model_apply_cond,
	[TRACE_COND_WOKEN] = model_apply_cond,
	[TRACE_COND_NOTIFY] = model_apply_cond,
	[TRACE_BARRIER_WAIT] = model_apply_barrier,
	[TRACE_BARRIER_PASS] = model_apply_barrier,
	[TRACE_CHAN_OPEN_WAIT] = model_apply_chan,
	[TRACE_CHAN_OPEN] = model_apply_chan,
	[TRACE_CHAN_PUT_WAIT] = model_apply_chan,
	[TRACE_CHAN_PUT] = model_apply_chan,
	[TRACE_CHAN_GET_WAIT] = model_apply_chan,
	[TRACE_CHAN_GET] = model_apply_chan,
	[TRACE_CHAN_CLOSE] = model_apply_chan,
	[TRACE_CHAN_EOF] = model_apply_chan,
	[TRACE_SHARED_LOAD] = model_apply_value,
	[TRACE_SHARED_STORE] = model_apply_value,
	[TRACE_SHARED_ADD] = model_apply_value,
	[TRACE_LOCAL_SET] = model_apply_value,
	[TRACE_TASK_BEGIN] = model_apply_task,
	[TRACE_TASK_END] = model_apply_task,
};

/* Apply one event from worker w (already checked by model_fits): its
   family's handler, then the detection the handler asked for. */
static void
model_apply_worker(struct model *m, const struct trace_event *ev)
{
	model_apply_fn		*fn = model_families[ev->type];
	uint16_t		 w = ev->worker, o = ev->object;
	struct model_object	*obj;
	enum model_wstate	 old = m->workers[w].state;
	enum model_recheck	 re;

	re = (fn != NULL ? fn : model_apply_life)(m, ev);

	if (m->detect.deadlock) {
		if ((model_breaking & B(ev->type)) || old == MODEL_W_BLOCKED)
			model_waitfor_recheck(m);
	} else if (m->detect.stall)
		model_waitfor_stall(m);		/* the run is stuck: few events */
	else if (re == MODEL_RE_LOCAL)
		model_waitfor_check(m, &w, 1);
	else if (re == MODEL_RE_WOKE) {
		/* Woken waiters now want the condition's lock back. */
		obj = &m->objects[o];
		model_waitfor_check(m, obj->waiters, (size_t)obj->nwaiters);
	} else if (re == MODEL_RE_CHAN_GET || re == MODEL_RE_CHAN_CLOSE) {
		/* The channel lost an item (a get) or a peer (a close). */
		model_waitfor_chan(m, o, re == MODEL_RE_CHAN_GET);
	} else if (re == MODEL_RE_GONE && m->nstate[MODEL_W_BLOCKED] > 0) {
		/* A producer ended or passed its last statement on an
		   object: its waiters may have nobody left. */
		model_waitfor_stall(m);
	}
}

void
model_apply(struct model *m, const struct trace_event *ev)
{
	struct model_priv	*p = MODEL_PRIV(m);

	p->index = m->nevents++;
	p->cur = *ev;
	if (p->index == 0)
		m->t0 = ev->time;
	m->now = ev->time;

	if (ev->type == TRACE_NONE || ev->type >= TRACE_TYPE_COUNT) {
		m->ignored++;
		return;
	}
	if (ev->type == TRACE_RUN_BEGIN)
		return;
	if (ev->type == TRACE_RUN_END) {
		m->run_ended = 1;
		return;
	}
	if (ev->worker >= m->meta->nworkers ||
	    model_worker_dead(m, ev->worker) || !model_fits(m, ev)) {
		m->ignored++;
		return;
	}
	model_apply_worker(m, ev);

	if (m->detect.deadlock) {
		if (m->detect.stall)
			m->detect.stall = m->detect.stall_timed = 0;
	} else if (!m->detect.stall && p->nrunnable == 0 &&
	    p->nblocked_nd > 0)
		model_waitfor_stall(m);
}

/* Allocation of per-object arrays, sized from the meta once. */
static void
model_alloc_object(struct model *m, uint16_t o)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	struct model_object		*obj = &m->objects[o];
	struct model_opriv		*op = &MODEL_PRIV(m)->o[o];
	size_t				 nw = m->meta->nworkers;
	int64_t				 cap = mo->capacity;

	op->node = -1;
	switch (mo->kind) {
	case TRACE_OBJ_MUTEX:
	case TRACE_OBJ_RLOCK:
	case TRACE_OBJ_CONDITION:
		op->hcap = nw;
		break;
	case TRACE_OBJ_SEMAPHORE:
		op->hcap = (cap > 0 && cap < MODEL_MAX_SLOTS ?
		    (size_t)cap : cap > 0 ? MODEL_MAX_SLOTS : 0) + nw;
		break;
	case TRACE_OBJ_MMAP:
	case TRACE_OBJ_SHM:
		obj->ncells = cap > 0 ? (cap < MODEL_MAX_CELLS ? (size_t)cap :
		    MODEL_MAX_CELLS) : 0;
		obj->cells = xcalloc(obj->ncells, sizeof *obj->cells);
		op->cell_ver = xcalloc(obj->ncells, sizeof *op->cell_ver);
		break;
	case TRACE_OBJ_LOCAL:
		obj->ncells = nw;
		obj->cells = xcalloc(nw, sizeof *obj->cells);
		op->touched = xcalloc(nw, 1);
		break;
	case TRACE_OBJ_POOL:
		obj->ntasks = mo->tasks > 0 ? (mo->tasks < MODEL_MAX_TASKS ?
		    (size_t)mo->tasks : MODEL_MAX_TASKS) : 0;
		obj->task_worker = xcalloc(obj->ntasks,
		    sizeof *obj->task_worker);
		obj->results = xcalloc(obj->ntasks, sizeof *obj->results);
		obj->result_done = xcalloc(obj->ntasks, 1);
		break;
	default:
		break;
	}
	if (op->hcap > 0)
		obj->holders = xcalloc(op->hcap, sizeof *obj->holders);
	if (model_is_chan(mo->kind)) {
		op->bufsize = cap > 8 && cap < MODEL_MAX_ITEMS ?
		    (size_t)cap * 2 : cap >= MODEL_MAX_ITEMS ?
		    MODEL_MAX_ITEMS * 2 : 16;
		op->buf = xcalloc(op->bufsize, sizeof *op->buf);
		op->closed_by = xcalloc(nw > 0 ? nw : 1, 1);
	}
	switch (mo->kind) {
	case TRACE_OBJ_SHARED:
	case TRACE_OBJ_LOCAL:
	case TRACE_OBJ_MMAP:
	case TRACE_OBJ_SHM:
	case TRACE_OBJ_POOL:
		break;
	default:
		obj->waiters = xcalloc(nw, sizeof *obj->waiters);
		break;
	}
}

/* Back to the state before any event, keeping every allocation. */
static void
model_init_state(struct model *m)
{
	const struct trace_meta	*meta = m->meta;
	struct model_priv	*p = MODEL_PRIV(m);
	struct model_object	*obj;
	struct model_opriv	*op;
	size_t			 i, j;

	p->nrunnable = p->nblocked_nd = 0;
	p->fx.index = UINT64_MAX;
	memset(m->nstate, 0, sizeof m->nstate);
	for (i = 0; i < meta->nworkers; i++) {
		memset(&m->workers[i], 0, sizeof m->workers[i]);
		m->workers[i].state = MODEL_W_NOT_STARTED;
		m->workers[i].blocked_on = TRACE_NO_OBJECT;
		m->workers[i].task = -1;
		memset(&p->w[i], 0, sizeof p->w[i]);
		p->w[i].load_obj = TRACE_NO_OBJECT;
		p->w[i].bar_gen = -1;
		p->w[i].cond_lock = TRACE_NO_OBJECT;
		p->w[i].daemon = (meta->workers[i].flags &
		    TRACE_WORKERF_DAEMON) != 0;
		p->w[i].startable = (meta->workers[i].flags &
		    TRACE_WORKERF_DEFERRED) == 0;
		p->nrunnable += p->w[i].startable;
	}
	m->nstate[MODEL_W_NOT_STARTED] = (int)meta->nworkers;
	for (i = 0; i < meta->nobjects; i++) {
		obj = &m->objects[i];
		op = &p->o[i];
		obj->owner = TRACE_NO_WORKER;
		obj->depth = 0;
		obj->nholders = obj->nwaiters = 0;
		obj->nitems = 0;
		obj->closed = obj->eof_seen = 0;
		obj->last_writer = TRACE_NO_WORKER;
		obj->first_write = 0;
		memset(obj->stat, 0, sizeof obj->stat);
		obj->signalling = meta->objects[i].kind ==
		    TRACE_OBJ_SEMAPHORE && meta->objects[i].capacity <= 0;
		obj->untracked = 0;
		obj->arrived = obj->generation = obj->busy = 0;
		obj->lost_updates = 0;
		op->intended = meta->objects[i].initial;
		obj->ends_open = 0;
		obj->value = meta->objects[i].kind == TRACE_OBJ_SEMAPHORE ?
		    meta->objects[i].capacity : meta->objects[i].initial;
		for (j = 0; j < obj->ncells; j++)
			obj->cells[j] = meta->objects[i].initial;
		if (op->cell_ver != NULL)
			memset(op->cell_ver, 0, obj->ncells *
			    sizeof *op->cell_ver);
		if (op->touched != NULL)
			memset(op->touched, 0, obj->ncells);
		if (op->closed_by != NULL)
			memset(op->closed_by, 0, meta->nworkers);
		for (j = 0; j < obj->ntasks; j++) {
			obj->task_worker[j] = -1;
			obj->results[j] = 0;
			obj->result_done[j] = 0;
		}
		switch (meta->objects[i].kind) {
		case TRACE_OBJ_SHARED:
		case TRACE_OBJ_LOCAL:
			obj->stat[TRACE_METRIC_VALUE] = obj->value;
			obj->stat[TRACE_METRIC_MAX_VALUE] = obj->value;
			obj->stat[TRACE_METRIC_MIN_VALUE] = obj->value;
			break;
		case TRACE_OBJ_MMAP:
		case TRACE_OBJ_SHM:
			/* Wraps (a trace file may hold any initial). */
			obj->stat[TRACE_METRIC_VALUE] = (int64_t)((uint64_t)
			    meta->objects[i].initial * (uint64_t)obj->ncells);
			break;
		case TRACE_OBJ_SEMAPHORE:
			obj->stat[TRACE_METRIC_VALUE] = obj->value;
			break;
		default:
			break;
		}
		op->ver = 0;
		op->head = 0;
		op->seq = 0;
		obj->items = op->buf;
	}
	m->detect.deadlock = m->detect.stall = m->detect.self_deadlock = 0;
	m->detect.deadlock_timed = m->detect.stall_timed = 0;
	m->detect.deadlock_event = m->detect.stall_event = 0;
	m->detect.self_worker = TRACE_NO_WORKER;
	m->detect.self_object = TRACE_NO_OBJECT;
	m->detect.cycle.n = 0;
	m->detect.nstalled = m->detect.ndeadlocked = 0;
	m->detect.why[0] = m->detect.stall_why[0] = '\0';
	for (i = 0; i < m->detect.ninversions; i++)
		model_inversion_free(&m->detect.inversions[i]);
	m->detect.ninversions = 0;
	m->detect.nowner_died = 0;
	m->detect.deadlocks_seen = m->detect.stalls_seen = 0;
	m->detect.self_deadlocks_seen = 0;
	m->detect.hard_deadlock_seen = m->detect.hard_stall_seen = 0;
	m->nevents = m->t0 = m->now = 0;	/* dropped is the ring's count */
	m->run_ended = 0;
	m->ignored = m->errors = 0;
	model_lockorder_reset(m);
}

struct model *
model_create(const struct trace_meta *meta)
{
	struct model		*m;
	struct model_priv	*p;
	size_t			 i, nw = meta->nworkers;

	m = xcalloc(1, sizeof *m);
	m->meta = meta;
	m->priv = p = xcalloc(1, sizeof *p);
	m->workers = xcalloc(nw, sizeof *m->workers);
	m->objects = xcalloc(meta->nobjects, sizeof *m->objects);
	p->w = xcalloc(nw, sizeof *p->w);
	p->o = xcalloc(meta->nobjects, sizeof *p->o);
	p->nobjects = meta->nobjects;
	for (i = 0; i < meta->nobjects; i++)
		model_alloc_object(m, (uint16_t)i);
	m->detect.cycle.workers = xcalloc(nw, sizeof (uint16_t));
	m->detect.cycle.objects = xcalloc(nw, sizeof (uint16_t));
	m->detect.cycle.ops = xcalloc(nw, sizeof (uint16_t));
	m->detect.cycle.lines = xcalloc(nw, sizeof (int));
	m->detect.stalled = xcalloc(nw, sizeof (uint16_t));
	m->detect.deadlocked = xcalloc(nw, sizeof (uint16_t));
	m->detect.why = xcalloc(1, MODEL_WHY_LEN);
	m->detect.stall_why = xcalloc(1, MODEL_WHY_LEN);
	model_limits_init(m);
	model_waitfor_init(m);
	model_lockorder_init(m);
	model_init_state(m);
	return (m);
}

void
model_reset(struct model *m)
{
	model_init_state(m);
}

void
model_free(struct model *m)
{
	struct model_priv	*p;
	size_t			 i;

	if (m == NULL)
		return;
	p = MODEL_PRIV(m);
	for (i = 0; i < p->nobjects; i++) {
		free(m->objects[i].holders);
		free(m->objects[i].waiters);
		free(m->objects[i].cells);
		free(m->objects[i].task_worker);
		free(m->objects[i].results);
		free(m->objects[i].result_done);
		free(p->o[i].cell_ver);
		free(p->o[i].touched);
		free(p->o[i].buf);
		free(p->o[i].closed_by);
	}
	for (i = 0; i < m->detect.ninversions; i++)
		model_inversion_free(&m->detect.inversions[i]);
	free(m->detect.inversions);
	free(m->detect.owner_died);
	free(m->detect.cycle.workers);
	free(m->detect.cycle.objects);
	free(m->detect.cycle.ops);
	free(m->detect.cycle.lines);
	free(m->detect.stalled);
	free(m->detect.deadlocked);
	free(m->detect.why);
	free(m->detect.stall_why);
	free(p->lim);
	free(p->lim_off);
	model_waitfor_free(m);
	model_lockorder_free(m);
	free(p->w);
	free(p->o);
	free(p);
	free(m->workers);
	free(m->objects);
	free(m);
}
