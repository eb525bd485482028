/*
 * model/explain.c: what an event did, in plain words a student reads.
 *
 * model_explain() is called right after an event was applied and reads
 * the state it left: "t2 waits for B, held by t1", "producer puts 7 into
 * q (3/4)", "t1 releases B; t2 can take it". What that state no longer
 * shows (the value a lost update overwrote, the item that should have
 * come first, how many a notify woke) was kept by apply for that one
 * event; for any older event that detail is left out rather than guessed.
 * Workers and objects are named by their meta names. The cycle and
 * inversion strings are the one-line forms the banner and the headless
 * summary print; an inversion names every edge of its cycle.
 *
 * The why of a verdict (model_explain_why, kept in detect.why for a
 * deadlock, detect.stall_why for a stall) is built
 * when the deadlock or stall is found, from the reduced wait-for graph:
 * for a deadlock, each worker of the cycle, what it waits for and who
 * alone could give it ("held by", "released only by", "notified only
 * by"); for a stall, each stalled worker, why nobody left can give it
 * what it waits for (each producer the scenario names has ended, is past
 * its last such statement, or is waiting there already) and who runs on
 * without being able to help. It is kept as text because the workers are
 * stopped afterwards and the graph it describes is gone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/model-int.h"

struct model_text {
	char	*buf;
	size_t	 len, off;
};

static void __attribute__((format(printf, 2, 3)))
model_text_add(struct model_text *t, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (t->len == 0 || t->off >= t->len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->off, t->len - t->off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->off += (size_t)n < t->len - t->off ? (size_t)n :
	    t->len - t->off - 1;
}

/* Whether ev is the event just applied (what the fx record is about). */
static int
model_is_last(const struct model *m, const struct trace_event *ev)
{
	return (m->nevents > 0 &&
	    memcmp(&MODEL_PRIV(m)->cur, ev, sizeof *ev) == 0);
}

static const char *
model_wname(const struct model *m, uint16_t w)
{
	if (w < m->meta->nworkers)
		return (m->meta->workers[w].name);
	return ("someone");
}

static const char *
model_oname(const struct model *m, uint16_t o)
{
	if (o < m->meta->nobjects)
		return (m->meta->objects[o].name);
	return ("something");
}

/* "100 ms", "1.5 s", "20 us". */
static void
model_text_duration(struct model_text *t, int64_t ns)
{
	if (ns >= 1000000000 && ns % 100000000 == 0)
		model_text_add(t, "%g s", (double)ns / 1e9);
	else if (ns >= 1000000)
		model_text_add(t, "%g ms", (double)(ns / 1000) / 1e3);
	else if (ns >= 1000)
		model_text_add(t, "%g us", (double)ns / 1e3);
	else
		model_text_add(t, "%lld ns", (long long)ns);
}

static void
model_text_timeout(struct model_text *t, int64_t ns)
{
	if (ns <= 0)
		return;
	model_text_add(t, " (gives up after ");
	model_text_duration(t, ns);
	model_text_add(t, ")");
}

/* ", held by t1 and t2" for the holders of o. */
static void
model_text_holders(struct model_text *t, const struct model *m, uint16_t o)
{
	const struct model_object	*obj = &m->objects[o];
	int				 i;

	for (i = 0; i < obj->nholders && i < 4; i++) {
		model_text_add(t, "%s%s", i == 0 ? ", held by " :
		    i == obj->nholders - 1 ? " and " : ", ",
		    model_wname(m, obj->holders[i]));
	}
	if (obj->nholders > 4)
		model_text_add(t, " and %d more", obj->nholders - 4);
}

/* "; t2 can take it" when someone waits to take o (the first in arrival
   order; a condition that is its own lock also lists its waiters). */
static void
model_text_next(struct model_text *t, const struct model *m, uint16_t o)
{
	const struct model_object	*obj = &m->objects[o];
	uint16_t			 w;
	int				 i;

	for (i = 0; i < obj->nwaiters; i++) {
		w = obj->waiters[i];
		if (m->workers[w].blocked_op == TRACE_LOCK_WAIT ||
		    m->workers[w].blocked_op == TRACE_SEM_WAIT) {
			model_text_add(t, "; %s can take it", model_wname(m, w));
			return;
		}
	}
}

/* What a worker that ended or crashed leaves locked. */
static void
model_text_died_holding(struct model_text *t, const struct model *m,
    uint16_t w)
{
	const struct model_worker	*mw = &m->workers[w];
	int				 i, n = 0;

	for (i = 0; i < mw->nheld; i++) {
		if (model_lock_object(m, mw->held[i]) != mw->held[i])
			continue;
		model_text_add(t, "%s%s", n++ == 0 ? " still holding " : ", ",
		    model_oname(m, mw->held[i]));
	}
	if (n > 0)
		model_text_add(t, ": %s has a dead owner",
		    n == 1 ? "it" : "each");
}

static const char *
model_chan_word(const struct model *m, uint16_t o)
{
	return (trace_obj_kind_name(m->meta->objects[o].kind));
}

static void
model_text_fill(struct model_text *t, const struct model *m, uint16_t o)
{
	const struct model_object	*obj = &m->objects[o];
	int64_t				 cap = m->meta->objects[o].capacity;
	size_t				 len = obj->nitems + obj->untracked;

	if (cap > 0)
		model_text_add(t, " (%zu/%lld)", len, (long long)cap);
	else
		model_text_add(t, " (%zu in it)", len);
}

static void
model_text_cell(struct model_text *t, const struct model *m, uint16_t o,
    int32_t cell)
{
	enum trace_obj_kind	kind = m->meta->objects[o].kind;

	if (kind == TRACE_OBJ_MMAP || kind == TRACE_OBJ_SHM)
		model_text_add(t, "%s[%d]", model_oname(m, o), (int)cell);
	else
		model_text_add(t, "%s", model_oname(m, o));
}

static void
model_explain_lock(struct model_text *t, const struct model *m,
    const struct trace_event *ev, const char *who)
{
	const struct model_detect	*d = &m->detect;
	const struct model_inversion	*inv;
	const struct model_priv		*p = MODEL_PRIV(m);
	int				 l = model_lock_object(m, ev->object);
	const struct model_object	*obj = &m->objects[l];
	const char			*what = model_oname(m, (uint16_t)l);

	switch (ev->type) {
	case TRACE_LOCK_WAIT:
		if (obj->owner == ev->worker &&
		    m->meta->objects[l].kind == TRACE_OBJ_MUTEX)
			model_text_add(t, "%s waits for %s, which it already "
			    "holds: it waits for itself (self-deadlock)", who,
			    what);
		else if (obj->owner != TRACE_NO_WORKER)
			model_text_add(t, "%s waits for %s, held by %s", who,
			    what, model_wname(m, obj->owner));
		else
			model_text_add(t, "%s waits for %s", who, what);
		model_text_timeout(t, ev->a0);
		break;
	case TRACE_LOCK_ACQUIRED:
		if (ev->a0 > 1)
			model_text_add(t, "%s takes %s again (depth %lld)", who,
			    what, (long long)ev->a0);
		else
			model_text_add(t, "%s takes %s", who, what);
		break;
	case TRACE_LOCK_RELEASE:
		if (ev->a0 > 0) {
			model_text_add(t, "%s releases %s once (still holds "
			    "it, depth %lld)", who, what, (long long)ev->a0);
			break;
		}
		model_text_add(t, "%s releases %s", who, what);
		model_text_next(t, m, (uint16_t)l);
		break;
	case TRACE_LOCK_OWNER_DIED:
		model_text_add(t, "%s takes %s, whose owner %s died holding it",
		    who, what, model_wname(m, (uint16_t)(ev->a0 >= 0 &&
		    ev->a0 < TRACE_NO_WORKER ? ev->a0 : TRACE_NO_WORKER)));
		break;
	case TRACE_LOCK_TIMEOUT:
		model_text_add(t, "%s gives up waiting for %s (timeout)", who,
		    what);
		break;
	}
	if (model_is_last(m, ev) && p->inv_event == m->nevents - 1 &&
	    d->ninversions > 0) {
		inv = &d->inversions[d->ninversions - 1];
		if (inv->nlocks > 2)
			model_text_add(t, "; it holds %s: %zu locks are taken "
			    "in a cycle (a potential deadlock, see the lock "
			    "order)", model_oname(m, inv->first),
			    inv->nlocks);
		else
			model_text_add(t, "; it holds %s, and %s took them in "
			    "the other order (line %d): a potential deadlock",
			    model_oname(m, inv->first),
			    model_wname(m, inv->worker_ba), inv->line_ba);
	}
}

/* "; only a and b can release it" (the producers that can still act),
   or "; nobody left can release it". */
static void
model_text_producers(struct model_text *t, const struct model *m,
    uint16_t w, const char *verb)
{
	uint16_t	out[TRACE_MAX_WORKERS];
	size_t		n, i;

	if (model_waitfor_runnable(m, w))
		return;
	n = model_waitfor_edges(m, w, out, TRACE_MAX_WORKERS);
	if (n > TRACE_MAX_WORKERS)
		n = TRACE_MAX_WORKERS;
	if (n == 0) {
		model_text_add(t, "; nobody left can %s it", verb);
		return;
	}
	model_text_add(t, "; only ");
	for (i = 0; i < n; i++)
		model_text_add(t, "%s%s", i == 0 ? "" : i + 1 == n ? " and " :
		    ", ", model_wname(m, out[i]));
	model_text_add(t, " can %s it", verb);
}

static void
model_explain_sem(struct model_text *t, const struct model *m,
    const struct trace_event *ev, const char *who)
{
	const struct model_object	*obj = &m->objects[ev->object];
	const char			*what = model_oname(m, ev->object);

	switch (ev->type) {
	case TRACE_SEM_WAIT:
		model_text_add(t, "%s waits: semaphore %s has no free slot",
		    who, what);
		if (model_is_last(m, ev) && (m->meta->objects[ev->object].
		    nwriters > 0 || m->meta->objects[ev->object].nreaders > 0))
			model_text_producers(t, m, ev->worker, "release");
		else
			model_text_holders(t, m, ev->object);
		model_text_timeout(t, ev->a0);
		break;
	case TRACE_SEM_ACQUIRED:
		model_text_add(t, "%s takes a slot of %s (%lld left)", who, what,
		    (long long)ev->a0);
		break;
	case TRACE_SEM_RELEASE:
		if (obj->signalling)
			model_text_add(t, "%s posts %s (value %lld)", who, what,
			    (long long)ev->a0);
		else
			model_text_add(t, "%s gives back a slot of %s (%lld "
			    "free)", who, what, (long long)ev->a0);
		model_text_next(t, m, ev->object);
		break;
	case TRACE_SEM_TIMEOUT:
		model_text_add(t, "%s gives up waiting for %s (timeout)", who,
		    what);
		break;
	}
}

static void
model_explain_cond(struct model_text *t, const struct model *m,
    const struct trace_event *ev, const char *who, const struct model_fx *fx)
{
	const char	*what = model_oname(m, ev->object);
	int		 l = model_lock_object(m, ev->object);

	if (ev->a1 >= 0 && (size_t)ev->a1 < m->meta->nobjects &&
	    model_lock_object(m, (uint16_t)ev->a1) != TRACE_NO_OBJECT)
		l = model_lock_object(m, (uint16_t)ev->a1);
	switch (ev->type) {
	case TRACE_COND_WAIT:
		if (l != ev->object && l != TRACE_NO_OBJECT)
			model_text_add(t, "%s releases %s and waits on %s", who,
			    model_oname(m, (uint16_t)l), what);
		else
			model_text_add(t, "%s waits on %s", who, what);
		if (model_is_last(m, ev) && (m->meta->objects[ev->object].
		    nwriters > 0 || m->meta->objects[ev->object].nreaders > 0))
			model_text_producers(t, m, ev->worker, "notify");
		model_text_timeout(t, ev->a0);
		break;
	case TRACE_COND_WOKEN:
		if (ev->a0 == 1)
			model_text_add(t, "%s is woken on %s", who, what);
		else
			model_text_add(t, "%s stops waiting on %s (timeout)",
			    who, what);
		if (l != ev->object && l != TRACE_NO_OBJECT)
			model_text_add(t, " and holds %s again",
			    model_oname(m, (uint16_t)l));
		break;
	case TRACE_COND_NOTIFY:
		if (fx != NULL && fx->lost_notify)
			model_text_add(t, "%s notifies %s but nobody is waiting "
			    "(the wake-up is lost)", who, what);
		else if (fx != NULL && fx->woke == 1)
			model_text_add(t, "%s notifies %s: %s wakes up", who,
			    what, model_wname(m, fx->woken_first));
		else if (fx != NULL && fx->woke > 1)
			model_text_add(t, "%s notifies %s %s: %d wake up", who,
			    ev->a0 < 0 ? "(all)" : "", what, fx->woke);
		else
			model_text_add(t, "%s notifies %s%s", who,
			    ev->a0 < 0 ? "all on " : "", what);
		break;
	}
}

static void
model_explain_chan(struct model_text *t, const struct model *m,
    const struct trace_event *ev, const char *who, const struct model_fx *fx)
{
	const struct model_object	*obj = &m->objects[ev->object];
	const char			*what = model_oname(m, ev->object);
	const char			*kind = model_chan_word(m, ev->object);
	int				 mq = m->meta->objects[ev->object].kind ==
					    TRACE_OBJ_MQUEUE;

	switch (ev->type) {
	case TRACE_CHAN_OPEN_WAIT:
		model_text_add(t, "%s waits for the other end of %s to open",
		    who, what);
		break;
	case TRACE_CHAN_OPEN:
		model_text_add(t, "%s opens %s", who, what);
		break;
	case TRACE_CHAN_PUT_WAIT:
		model_text_add(t, "%s waits: %s %s is full", who, kind, what);
		model_text_fill(t, m, ev->object);
		break;
	case TRACE_CHAN_PUT:
		model_text_add(t, "%s puts %lld into %s", who,
		    (long long)ev->a0, what);
		if (mq)
			model_text_add(t, " with priority %d", (int)ev->a1);
		model_text_fill(t, m, ev->object);
		break;
	case TRACE_CHAN_GET_WAIT:
		model_text_add(t, "%s waits: %s %s is empty", who, kind, what);
		break;
	case TRACE_CHAN_GET:
		model_text_add(t, "%s gets %lld from %s", who,
		    (long long)ev->a0, what);
		if (fx != NULL && fx->order_error)
			model_text_add(t, " out of order: %lld was put before "
			    "it", (long long)fx->head_value);
		model_text_add(t, " (%zu left)", obj->nitems + obj->untracked);
		break;
	case TRACE_CHAN_CLOSE:
		model_text_add(t, "%s closes its end of %s", who, what);
		break;
	case TRACE_CHAN_EOF:
		model_text_add(t, "%s reads end-of-file from %s: the writers "
		    "have closed it", who, what);
		break;
	case TRACE_CHAN_TIMEOUT:
		model_text_add(t, "%s gives up waiting for %s (timeout): its "
		    "get returns -1", who, what);
		break;
	}
}

static void
model_explain_value(struct model_text *t, const struct model *m,
    const struct trace_event *ev, const char *who, const struct model_fx *fx)
{
	switch (ev->type) {
	case TRACE_SHARED_LOAD:
		model_text_add(t, "%s reads ", who);
		model_text_cell(t, m, ev->object, ev->a1);
		model_text_add(t, " = %lld", (long long)ev->a0);
		break;
	case TRACE_SHARED_STORE:
		model_text_add(t, "%s writes ", who);
		model_text_cell(t, m, ev->object, ev->a1);
		model_text_add(t, " = %lld", (long long)ev->a0);
		if (fx != NULL && fx->lost_update)
			model_text_add(t, " (overwrites %s's %lld: an update "
			    "is lost)", model_wname(m, fx->prev_writer),
			    (long long)fx->prev_value);
		break;
	case TRACE_SHARED_ADD:
		model_text_add(t, "%s atomically adds to ", who);
		model_text_cell(t, m, ev->object, ev->a1);
		model_text_add(t, ": now %lld", (long long)ev->a0);
		break;
	case TRACE_LOCAL_SET:
		model_text_add(t, "%s sets its own %s = %lld", who,
		    model_oname(m, ev->object), (long long)ev->a0);
		break;
	}
}

static void
model_explain_worker(struct model_text *t, const struct model *m,
    const struct trace_event *ev, const char *who, const struct model_fx *fx)
{
	const struct model_object	*obj = ev->object < m->meta->nobjects ?
					    &m->objects[ev->object] : NULL;

	switch (ev->type) {
	case TRACE_WORKER_START:
		model_text_add(t, "%s starts", who);
		break;
	case TRACE_WORKER_END:
		model_text_add(t, "%s ends", who);
		if (ev->a0 != 0)
			model_text_add(t, " (exit status %lld)",
			    (long long)ev->a0);
		model_text_died_holding(t, m, ev->worker);
		break;
	case TRACE_WORKER_CRASH:
		model_text_add(t, "%s crashes (signal %d)", who, (int)ev->a0);
		model_text_died_holding(t, m, ev->worker);
		break;
	case TRACE_WORKER_KILLED:
		model_text_add(t, "%s is stopped by the runner", who);
		break;
	case TRACE_STEP:
		model_text_add(t, "%s is at line %lld", who, (long long)ev->a0);
		break;
	case TRACE_MICROSTEP:
		model_text_add(t, "%s is at line %lld, second half (the store)",
		    who, (long long)ev->a0);
		break;
	case TRACE_ERROR:
		model_text_add(t, "%s: runtime error at line %d", who,
		    (int)ev->a1);
		break;
	case TRACE_PRINT:
		model_text_add(t, "%s prints", who);
		break;
	case TRACE_NOTE:
		model_text_add(t, "%s: note at line %d", who, (int)ev->a1);
		break;
	case TRACE_BARRIER_WAIT:
		if (fx != NULL && fx->released_all)
			model_text_add(t, "%s arrives at %s, the last one: "
			    "everyone may pass", who, model_oname(m,
			    ev->object));
		else
			model_text_add(t, "%s arrives at %s and waits (%lld of "
			    "%lld here)", who, model_oname(m, ev->object),
			    (long long)obj->arrived, (long long)
			    m->meta->objects[ev->object].capacity);
		break;
	case TRACE_BARRIER_PASS:
		if (fx != NULL && fx->early)
			model_text_add(t, "%s passes %s before everyone arrived",
			    who, model_oname(m, ev->object));
		else
			model_text_add(t, "%s passes %s", who,
			    model_oname(m, ev->object));
		break;
	case TRACE_SLEEP:
		model_text_add(t, "%s sleeps ", who);
		model_text_duration(t, ev->a0);
		break;
	case TRACE_COMPUTE:
		model_text_add(t, "%s computes for ", who);
		model_text_duration(t, ev->a0);
		break;
	case TRACE_AWAKE:
		model_text_add(t, "%s is done waiting and goes on", who);
		break;
	case TRACE_START:
		model_text_add(t, "%s starts %s", who,
		    model_wname(m, ev->object));
		break;
	case TRACE_JOIN_WAIT:
		model_text_add(t, "%s waits for %s to end", who,
		    model_wname(m, ev->object));
		model_text_timeout(t, ev->a0);
		break;
	case TRACE_JOINED:
		model_text_add(t, "%s has ended: %s's join returns",
		    model_wname(m, ev->object), who);
		break;
	case TRACE_JOIN_TIMEOUT:
		model_text_add(t, "%s stops waiting for %s (timeout); %s still "
		    "runs", who, model_wname(m, ev->object),
		    model_wname(m, ev->object));
		break;
	case TRACE_TASK_BEGIN:
		model_text_add(t, "%s runs task %lld of %s", who,
		    (long long)ev->a0, model_oname(m, ev->object));
		break;
	case TRACE_TASK_END:
		model_text_add(t, "%s finishes task %d of %s: result %lld", who,
		    (int)ev->a1, model_oname(m, ev->object),
		    (long long)ev->a0);
		break;
	}
}

static size_t
model_explain_event(const struct model *m, const struct trace_event *ev,
    char *buf, size_t len)
{
	const struct model_priv	*p = MODEL_PRIV(m);
	const struct model_fx	*fx = NULL;
	struct model_text	 t = { buf, len, 0 };
	const char		*who;
	uint16_t		 type = ev->type;

	if (len > 0)
		buf[0] = '\0';
	if (model_is_last(m, ev) && p->fx.index == m->nevents - 1)
		fx = &p->fx;
	if (type == TRACE_RUN_BEGIN) {
		model_text_add(&t, "the run begins");
		return (t.off);
	}
	if (type == TRACE_RUN_END) {
		model_text_add(&t, ev->a0 == 0 ? "the run ends: every worker "
		    "has ended" : "the run is stopped");
		return (t.off);
	}
	/* Only events the model accepted are described from its state. */
	if (type == TRACE_NONE || type >= TRACE_TYPE_COUNT ||
	    ev->worker >= m->meta->nworkers) {
		model_text_add(&t, "an event that does not fit this run "
		    "(ignored)");
		return (t.off);
	}
	who = model_wname(m, ev->worker);
	switch (type) {
	case TRACE_LOCK_WAIT:
	case TRACE_LOCK_ACQUIRED:
	case TRACE_LOCK_RELEASE:
	case TRACE_LOCK_OWNER_DIED:
	case TRACE_LOCK_TIMEOUT:
		if (model_lock_object(m, ev->object) == TRACE_NO_OBJECT)
			break;
		model_explain_lock(&t, m, ev, who);
		return (t.off);
	case TRACE_SEM_WAIT:
	case TRACE_SEM_ACQUIRED:
	case TRACE_SEM_RELEASE:
	case TRACE_SEM_TIMEOUT:
		if (ev->object >= m->meta->nobjects ||
		    m->meta->objects[ev->object].kind != TRACE_OBJ_SEMAPHORE)
			break;
		model_explain_sem(&t, m, ev, who);
		return (t.off);
	case TRACE_COND_WAIT:
	case TRACE_COND_WOKEN:
	case TRACE_COND_NOTIFY:
		if (ev->object >= m->meta->nobjects ||
		    m->meta->objects[ev->object].kind != TRACE_OBJ_CONDITION)
			break;
		model_explain_cond(&t, m, ev, who, fx);
		return (t.off);
	case TRACE_CHAN_OPEN_WAIT:
	case TRACE_CHAN_OPEN:
	case TRACE_CHAN_PUT_WAIT:
	case TRACE_CHAN_PUT:
	case TRACE_CHAN_GET_WAIT:
	case TRACE_CHAN_GET:
	case TRACE_CHAN_CLOSE:
	case TRACE_CHAN_EOF:
	case TRACE_CHAN_TIMEOUT:
		if (ev->object >= m->meta->nobjects)
			break;
		model_explain_chan(&t, m, ev, who, fx);
		return (t.off);
	case TRACE_SHARED_LOAD:
	case TRACE_SHARED_STORE:
	case TRACE_SHARED_ADD:
	case TRACE_LOCAL_SET:
		if (ev->object >= m->meta->nobjects)
			break;
		model_explain_value(&t, m, ev, who, fx);
		return (t.off);
	case TRACE_BARRIER_WAIT:
	case TRACE_BARRIER_PASS:
	case TRACE_TASK_BEGIN:
	case TRACE_TASK_END:
		if (ev->object >= m->meta->nobjects)
			break;
		model_explain_worker(&t, m, ev, who, fx);
		return (t.off);
	case TRACE_START:
	case TRACE_JOIN_WAIT:
	case TRACE_JOINED:
	case TRACE_JOIN_TIMEOUT:
		if (ev->object >= m->meta->nworkers)
			break;
		model_explain_worker(&t, m, ev, who, fx);
		return (t.off);
	default:
		model_explain_worker(&t, m, ev, who, fx);
		return (t.off);
	}
	model_text_add(&t, "an event that does not fit this run (ignored)");
	return (t.off);
}

size_t
model_explain(const struct model *m, const struct trace_event *ev, char *buf,
    size_t len)
{
	const struct model_detect	*d = &m->detect;
	struct model_text		 t = { buf, len, 0 };
	int				 last;

	t.off = model_explain_event(m, ev, buf, len);
	if (t.off >= len)
		return (t.off);
	/* The event that closed a deadlock or made a stall certain: say
	   what the reduced graph says, the whole cycle. */
	last = model_is_last(m, ev);
	if (last && d->deadlock && d->deadlock_event == m->nevents - 1 &&
	    !d->self_deadlock && d->why[0] != '\0')
		model_text_add(&t, ". Deadlock: %s", d->why);
	else if (last && d->stall && d->stall_event == m->nevents - 1 &&
	    d->stall_why[0] != '\0')
		model_text_add(&t, ". Stall: %s", d->stall_why);
	return (t.off);
}

/* What a producer of the object w waits on does: "release" ... */
static const char *
model_why_verb(uint16_t op)
{
	switch (op) {
	case TRACE_SEM_WAIT:
		return ("release");
	case TRACE_COND_WAIT:
		return ("notify");
	case TRACE_BARRIER_WAIT:
		return ("arrive at");
	case TRACE_CHAN_GET_WAIT:
		return ("send to");
	case TRACE_CHAN_PUT_WAIT:
		return ("take from");
	case TRACE_CHAN_OPEN_WAIT:
		return ("open the other end of");
	default:
		return ("give back");
	}
}

/* "w waits for o (line L)" */
static void
model_why_wait(struct model_text *t, const struct model *m, uint16_t w)
{
	const struct model_worker	*mw = &m->workers[w];

	if (mw->blocked_op == TRACE_JOIN_WAIT)
		model_text_add(t, "%s waits for %s to end", model_wname(m, w),
		    model_wname(m, mw->blocked_on));
	else
		model_text_add(t, "%s waits for %s", model_wname(m, w),
		    model_oname(m, mw->blocked_on));
	if (mw->blocked_line > 0)
		model_text_add(t, " (line %d)", mw->blocked_line);
}

/* ", released only by a, b" from the reduced graph's edges. */
static void
model_why_edges(struct model_text *t, const struct model *m, uint16_t w)
{
	uint16_t	out[TRACE_MAX_WORKERS];
	size_t		n, i;
	const char	*how = model_waitfor_how(m, w);

	n = model_waitfor_edges(m, w, out, TRACE_MAX_WORKERS);
	if (n == 0 || how == NULL)
		return;
	if (n > TRACE_MAX_WORKERS)
		n = TRACE_MAX_WORKERS;
	if (m->workers[w].blocked_op == TRACE_JOIN_WAIT)
		return;
	model_text_add(t, ", %s ", how);
	for (i = 0; i < n; i++)
		model_text_add(t, "%s%s", i == 0 ? "" : i + 1 == n ? " and " :
		    ", ", model_wname(m, out[i]));
}

/* Why nobody can give w what it waits for: the producers the scenario
   names, each ended or past its last such statement. */
static void
model_why_nobody(struct model_text *t, const struct model *m, uint16_t w)
{
	const struct model_worker	*mw = &m->workers[w];
	const struct trace_meta_object	*mo;
	const struct trace_meta_peer	*v;
	size_t				 i, n, k = 0;
	uint16_t			 op = mw->blocked_op;

	if (op == TRACE_JOIN_WAIT || mw->blocked_on >= m->meta->nobjects)
		return;
	mo = &m->meta->objects[mw->blocked_on];
	v = op == TRACE_CHAN_PUT_WAIT ? mo->readers : mo->writers;
	n = op == TRACE_CHAN_PUT_WAIT ? mo->nreaders : mo->nwriters;
	if (op == TRACE_LOCK_WAIT)
		n = 0;
	if (op == TRACE_BARRIER_WAIT) {
		model_text_add(t, ", which %lld more must arrive at, and "
		    "fewer can", (long long)(mo->capacity -
		    m->objects[mw->blocked_on].arrived));
		k = 0;
	} else
		model_text_add(t, ", which nobody left can %s",
		    model_why_verb(op));
	for (i = 0; i < n; i++) {
		if (v[i].worker == w || v[i].worker >= m->meta->nworkers)
			continue;
		model_text_add(t, "%s%s", k++ == 0 ? " (" : "; ",
		    model_wname(m, v[i].worker));
		if (model_worker_dead(m, v[i].worker) &&
		    op == TRACE_CHAN_GET_WAIT && mo->kind != TRACE_OBJ_QUEUE &&
		    mo->kind != TRACE_OBJ_MQUEUE)
			model_text_add(t, " has ended without closing its "
			    "end");
		else if (model_worker_dead(m, v[i].worker))
			model_text_add(t, " has ended");
		else if (op == TRACE_BARRIER_WAIT &&
		    model_waitfor_arrived(m, v[i].worker, mw->blocked_on))
			model_text_add(t, " is there already");
		else if (v[i].limit > 0 &&
		    m->workers[v[i].worker].line > v[i].limit)
			model_text_add(t, " is past its last %s (line %d)",
			    model_why_verb(op), v[i].limit);
		else if (op == TRACE_BARRIER_WAIT)
			model_text_add(t, " can still arrive");
		else
			model_text_add(t, " cannot any more");
	}
	if (k > 0)
		model_text_add(t, ")");
	else if (n > 0 && op != TRACE_LOCK_WAIT)
		model_text_add(t, " (only %s itself does, and it is the one "
		    "waiting)", model_wname(m, w));
	else if (op != TRACE_LOCK_WAIT && mo->nreaders > 0)
		model_text_add(t, " (no worker ever does)");
}

/* Live workers not stuck: they run on but cannot help. */
static void
model_why_runs_on(struct model_text *t, const struct model *m)
{
	const struct model_detect	*d = &m->detect;
	size_t				 i, j, k = 0;
	int				 stuck;

	for (i = 0; i < m->meta->nworkers; i++) {
		if (model_worker_dead(m, (uint16_t)i) ||
		    m->workers[i].state == MODEL_W_BLOCKED)
			continue;
		for (j = 0, stuck = 0; j < d->nstalled; j++)
			stuck |= d->stalled[j] == i;
		if (stuck)
			continue;
		model_text_add(t, "%s%s", k++ == 0 ? "; " : ", ",
		    model_wname(m, (uint16_t)i));
	}
	if (k > 0)
		model_text_add(t, " %s on but can never wake %s",
		    k == 1 ? "runs" : "run", d->nstalled > 1 ? "them" :
		    d->nstalled == 1 ? model_wname(m, d->stalled[0]) : "it");
}

/* Fill detect.why (a deadlock) or detect.stall_why (a stall) from the
   state now, when it was just found: the words stay when the workers are
   stopped afterwards. */
void
model_explain_why(struct model *m)
{
	struct model_detect		*d = &m->detect;
	const struct model_cycle	*c = &d->cycle;
	struct model_text		 t = { d->why, MODEL_WHY_LEN, 0 };
	struct model_worker		*mw;
	size_t				 i, j;
	uint16_t			 u;

	if (d->deadlock) {
		d->why[0] = '\0';
		for (i = 0; i < c->n; i++) {
			if (i > 0)
				model_text_add(&t, "; ");
			model_why_wait(&t, m, c->workers[i]);
			model_why_edges(&t, m, c->workers[i]);
		}
		/* Members of the set that are not on the cycle shown. */
		for (j = 0; j < d->ndeadlocked; j++) {
			u = d->deadlocked[j];
			for (i = 0; i < c->n && c->workers[i] != u; i++)
				continue;
			if (i < c->n)
				continue;
			model_text_add(&t, "; ");
			model_why_wait(&t, m, u);
			model_why_edges(&t, m, u);
		}
		if (d->self_deadlock)
			model_text_add(&t, ": it waits for itself");
		else
			model_text_add(&t, ": each can only be woken by "
			    "another of them");
		return;
	}
	if (!d->stall)
		return;
	t.buf = d->stall_why;
	d->stall_why[0] = '\0';
	for (i = 0; i < d->nstalled; i++) {
		u = d->stalled[i];
		mw = &m->workers[u];
		if (i > 0)
			model_text_add(&t, "; ");
		model_why_wait(&t, m, u);
		if (model_waitfor_edges(m, u, NULL, 0) > 0) {
			model_why_edges(&t, m, u);
			model_text_add(&t, ", stuck itself");
		} else if (mw->blocked_op == TRACE_COND_WAIT && mw->woken)
			model_text_add(&t, " (its lock)");
		else
			model_why_nobody(&t, m, u);
	}
	model_why_runs_on(&t, m);
}

size_t
model_cycle_string(const struct model *m, char *buf, size_t len)
{
	const struct model_cycle	*c = &m->detect.cycle;
	struct model_text		 t = { buf, len, 0 };
	size_t				 i;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < c->n; i++) {
		model_text_add(&t, "%s -> ", model_wname(m, c->workers[i]));
		if (c->ops[i] == TRACE_JOIN_WAIT)
			model_text_add(&t, "join(%s) -> ",
			    model_wname(m, c->objects[i]));
		else
			model_text_add(&t, "%s -> ",
			    model_oname(m, c->objects[i]));
	}
	if (c->n > 0)
		model_text_add(&t, "%s", model_wname(m, c->workers[0]));
	return (t.off);
}

size_t
model_inversion_string(const struct model *m,
    const struct model_inversion *inv, char *buf, size_t len)
{
	struct model_text	t = { buf, len, 0 };
	size_t			i, n = inv->nlocks;

	if (len > 0)
		buf[0] = '\0';
	if (n > 2 && inv->workers != NULL) {
		/* Every edge, in cycle order. */
		model_text_add(&t, "lock-order cycle ");
		for (i = 0; i < n; i++)
			model_text_add(&t, "%s -> ",
			    model_oname(m, inv->locks[i]));
		model_text_add(&t, "%s: ", model_oname(m, inv->first));
		for (i = 0; i < n; i++)
			model_text_add(&t, "%s%s takes %s (line %d) while "
			    "holding %s (line %d)", i > 0 ? "; " : "",
			    model_wname(m, inv->workers[i]),
			    model_oname(m, inv->locks[(i + 1) % n]),
			    inv->lines[i], model_oname(m, inv->locks[i]),
			    inv->hold_lines[i]);
		return (t.off);
	}
	model_text_add(&t, "%s takes %s (line %d) while holding %s (line %d); ",
	    model_wname(m, inv->worker_ab), model_oname(m, inv->second),
	    inv->line_ab, model_oname(m, inv->first), inv->hold_line_ab);
	model_text_add(&t, "%s takes %s (line %d) while holding %s (line %d)",
	    model_wname(m, inv->worker_ba), model_oname(m, inv->first),
	    inv->line_ba, model_oname(m, n > 0 ?
	    inv->locks[n - 1] : inv->second), inv->hold_line_ba);
	return (t.off);
}

static const char *const model_wstate_names[MODEL_W_STATE_COUNT] = {
	[MODEL_W_NOT_STARTED] = "not started",
	[MODEL_W_READY] = "ready",
	[MODEL_W_RUNNING] = "running",
	[MODEL_W_BLOCKED] = "blocked",
	[MODEL_W_SLEEPING] = "sleeping",
	[MODEL_W_COMPUTING] = "computing",
	[MODEL_W_DONE] = "done",
	[MODEL_W_CRASHED] = "crashed",
	[MODEL_W_KILLED] = "killed",
};

const char *
model_wstate_name(enum model_wstate s)
{
	if ((unsigned)s >= MODEL_W_STATE_COUNT)
		return ("unknown");
	return (model_wstate_names[s]);
}
