/*
 * sync/cond.c: condition variables with Python's semantics.
 *
 * A condition is a wait word (sync_cv_wait: a futex, robust where a
 * process-shared pthread condition variable is not) used with its lock's
 * mutex (a mutex/rlock named in `condition C(L)`, or the condition's own
 * re-entrant lock). Waiters are kept in arrival order in
 * the condition's wq array (protected by that lock): notify(n) removes the
 * first n and broadcasts, and a waiter returns only once it has been
 * removed, so exactly the notified workers wake, in FIFO order, as with
 * Python's Condition; a spurious wake-up just waits again. A waiter whose
 * timeout expires takes itself out of the list (it was not notified), and
 * a notify passes over waiters that died waiting (sync_ctx.ended).
 *
 * In a scheduled run nothing waits on the wait word: see
 * cond_sched_wait().
 *
 * Events: COND_WAIT when the waiter has released its lock (it is stamped
 * while the lock is still held, so it precedes the next owner's acquire),
 * COND_WOKEN once the waiter has its lock again,
 * COND_NOTIFY before the real broadcast, with a1 = waiters at that moment
 * (0: a lost notify). wait and notify without holding the lock are
 * runtime errors, as in Python.
 */
#include <errno.h>
#include <pthread.h>

#include "sync/sync.h"
#include "util/xmalloc.h"

static int
cond_queued(const struct sync_obj *c, uint16_t w)
{
	int32_t	i;

	for (i = 0; i < c->nwq; i++) {
		if (c->wq[i] == w)
			return (1);
	}
	return (0);
}

static void
cond_remove(struct sync_obj *c, uint16_t w)
{
	int32_t	i, j;

	for (i = 0, j = 0; i < c->nwq; i++) {
		if (c->wq[i] != w)
			c->wq[j++] = c->wq[i];
	}
	c->nwq = j;
}

/* Scheduled: the lock is really released, the waiter parks on the
   condition until a notify takes it off the list (or the scenario clock
   passes its deadline), then parks on the lock until it can take it back.
   Returns 1 if it was notified, 0 if it timed out. */
static int
cond_sched_wait(struct sync_ctx *ctx, struct sync_obj *c, struct sync_obj *l,
    int64_t timeout_ns)
{
	int64_t	deadline = sync_sched_deadline(ctx->sched, timeout_ns);
	int	notified = 1, r;

	pthread_mutex_unlock(&l->mutex);
	sync_sched_wake(ctx->sched, l->index);
	while (cond_queued(c, ctx->worker)) {
		if (sync_sched_wait(ctx, c->index, deadline) == 1 &&
		    cond_queued(c, ctx->worker)) {
			cond_remove(c, ctx->worker);
			notified = 0;
			break;
		}
	}
	while ((r = pthread_mutex_trylock(&l->mutex)) == EBUSY)
		sync_sched_wait(ctx, l->index, -1);
	if (r == EOWNERDEAD) {
		pthread_mutex_consistent(&l->mutex);
		trace_emit(ctx->tp, TRACE_LOCK_OWNER_DIED, l->index,
		    TRACE_NO_WORKER, 0);
	}
	return (notified);
}

int
sync_cond_wait(struct sync_ctx *ctx, uint16_t o, int64_t timeout_ns,
    char **cause)
{
	struct sync_obj	*c = &ctx->objs[o];
	struct sync_obj	*l = &ctx->objs[c->lock];
	struct timespec	 ts;
	int32_t		 depth;
	int		 r, notified = 0;

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != ctx->worker) {
		xasprintf(cause, "wait on a condition without holding its "
		    "lock");
		return (-1);
	}
	if (c->nwq >= TRACE_MAX_WORKERS) {
		xasprintf(cause, "wait: too many waiters");
		return (-1);
	}
	c->wq[c->nwq++] = ctx->worker;
	trace_emit(ctx->tp, TRACE_COND_WAIT, o, timeout_ns, c->lock);
	depth = l->depth;
	l->depth = 0;
	__atomic_store_n(&l->owner, SYNC_NO_OWNER, __ATOMIC_RELAXED);
	if (ctx->sched != NULL) {
		notified = cond_sched_wait(ctx, c, l, timeout_ns);
		goto back;
	}
	if (timeout_ns > 0)
		sync_deadline(&ts, timeout_ns);
	sync_block_begin(ctx);
	for (;;) {
		if (!cond_queued(c, ctx->worker)) {
			notified = 1;
			break;
		}
		r = sync_cv_wait(&l->mutex, &c->cond, timeout_ns > 0 ? &ts :
		    NULL);
		if (r == EOWNERDEAD) {
			/* Back with the lock, whose last owner died. */
			pthread_mutex_consistent(&l->mutex);
			trace_emit(ctx->tp, TRACE_LOCK_OWNER_DIED, l->index,
			    TRACE_NO_WORKER, 0);
		} else if (r == ETIMEDOUT) {
			notified = !cond_queued(c, ctx->worker);
			cond_remove(c, ctx->worker);
			break;
		}
	}
	sync_block_end(ctx);
back:
	__atomic_store_n(&l->owner, ctx->worker, __ATOMIC_RELAXED);
	l->depth = depth;
	trace_emit(ctx->tp, TRACE_COND_WOKEN, o, notified, c->lock);
	return (notified ? 0 : 1);
}

int
sync_cond_notify(struct sync_ctx *ctx, uint16_t o, int n, char **cause)
{
	struct sync_obj	*c = &ctx->objs[o];
	struct sync_obj	*l = &ctx->objs[c->lock];
	int32_t		 k, i;

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != ctx->worker) {
		xasprintf(cause, "notify of a condition without holding its "
		    "lock");
		return (-1);
	}
	/* A waiter that died waiting is no waiter: it leaves the list, and
	   the notify goes to the living (free runs; a scheduled run's front
	   end takes the dead off between steps). */
	if (ctx->ended != NULL) {
		for (i = 0, k = 0; i < c->nwq; i++) {
			if (!ctx->ended(ctx, c->wq[i]))
				c->wq[k++] = c->wq[i];
		}
		c->nwq = k;
	}
	trace_emit(ctx->tp, TRACE_COND_NOTIFY, o, n < 0 ? -1 : n, c->nwq);
	k = (n < 0 || n > c->nwq) ? c->nwq : n;
	if (k == 0)
		return (0);
	for (i = k; i < c->nwq; i++)
		c->wq[i - k] = c->wq[i];
	c->nwq -= k;
	if (ctx->sched != NULL)
		sync_sched_wake(ctx->sched, o);
	else
		sync_cv_wake(&c->cond);
	return (0);
}

void
sync_cond_forget(struct sync_obj *objs, size_t nobjs, uint16_t w)
{
	size_t	o;

	for (o = 0; o < nobjs; o++) {
		if (objs[o].kind == TRACE_OBJ_CONDITION)
			cond_remove(&objs[o], w);
	}
}
