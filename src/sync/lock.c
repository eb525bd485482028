/*
 * sync/lock.c: mutex and rlock (and a condition's own lock).
 *
 * Both sit on one robust, process-shared pthread mutex of the default
 * (normal) type, with the owning worker's index kept beside it: a plain
 * mutex locked again by its owner blocks in the kernel for ever, as
 * Python's Lock does (the model reports it as a self-deadlock); an rlock
 * (and a condition's own lock, an RLock as in Python) counts depth on top.
 *
 * Honesty: pthread_mutex_trylock first; only if it fails is LOCK_WAIT
 * emitted and the real lock (or clocklock, for `lock X timeout D`) called.
 * LOCK_ACQUIRED is stamped after it returns, LOCK_RELEASE before the
 * unlock. EOWNERDEAD (the owner was killed while holding it) is made
 * consistent and reported as LOCK_OWNER_DIED naming the dead owner, then
 * the lock is acquired as usual: the run goes on.
 *
 * In a scheduled run a lock that is taken parks the worker blocked on the
 * lock (sync/sched.h) and tries again when an unlock wakes it.
 *
 * Unlocking a lock the worker does not hold is a runtime error (a pthread
 * mutex cannot be released by another thread, unlike Python's Lock).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "sync/sync.h"
#include "util/xmalloc.h"

static struct sync_obj *
lock_obj(struct sync_ctx *ctx, uint16_t o)
{
	struct sync_obj	*obj = &ctx->objs[o];

	if (obj->kind == TRACE_OBJ_CONDITION)
		obj = &ctx->objs[obj->lock];
	return (obj);
}

static int
lock_reentrant(const struct sync_obj *obj)
{
	return (obj->kind == TRACE_OBJ_RLOCK ||
	    obj->kind == TRACE_OBJ_CONDITION);
}

/* The previous owner died holding obj: make the mutex usable again. */
static void
lock_owner_died(struct sync_ctx *ctx, struct sync_obj *obj)
{
	int32_t	dead = __atomic_load_n(&obj->owner, __ATOMIC_RELAXED);

	pthread_mutex_consistent(&obj->mutex);
	trace_emit(ctx->tp, TRACE_LOCK_OWNER_DIED, obj->index,
	    dead >= 0 ? dead : TRACE_NO_WORKER, 0);
}

/* Take obj's real mutex, honestly. Returns 0, 1 on timeout, or an errno. */
static int
lock_mutex(struct sync_ctx *ctx, struct sync_obj *obj, int64_t timeout_ns)
{
	struct timespec	ts;
	int		r;

	r = pthread_mutex_trylock(&obj->mutex);
	if (r == EBUSY && ctx->sched != NULL) {
		/* Scheduled: never block in the kernel; wait for an unlock
		   (or the scenario clock) parked, then try again. */
		int64_t	deadline = sync_sched_deadline(ctx->sched, timeout_ns);

		trace_emit(ctx->tp, TRACE_LOCK_WAIT, obj->index, timeout_ns, 0);
		while ((r = pthread_mutex_trylock(&obj->mutex)) == EBUSY) {
			if (sync_sched_wait(ctx, obj->index, deadline) == 1) {
				trace_emit(ctx->tp, TRACE_LOCK_TIMEOUT,
				    obj->index, 0, 0);
				return (1);
			}
		}
	} else if (r == EBUSY) {
		trace_emit(ctx->tp, TRACE_LOCK_WAIT, obj->index, timeout_ns, 0);
		sync_block_begin(ctx);
		if (timeout_ns > 0) {
			sync_deadline(&ts, timeout_ns);
			r = pthread_mutex_clocklock(&obj->mutex,
			    CLOCK_MONOTONIC, &ts);
		} else
			r = pthread_mutex_lock(&obj->mutex);
		sync_block_end(ctx);
		if (r == ETIMEDOUT) {
			trace_emit(ctx->tp, TRACE_LOCK_TIMEOUT, obj->index,
			    0, 0);
			return (1);
		}
	}
	if (r == EOWNERDEAD) {
		lock_owner_died(ctx, obj);
		r = 0;
	}
	if (r != 0)
		return (r);
	__atomic_store_n(&obj->owner, ctx->worker, __ATOMIC_RELAXED);
	obj->depth = 1;
	trace_emit(ctx->tp, TRACE_LOCK_ACQUIRED, obj->index, 1, 0);
	return (0);
}

int
sync_lock(struct sync_ctx *ctx, uint16_t o, int64_t timeout_ns, char **cause)
{
	struct sync_obj	*obj = lock_obj(ctx, o);
	int		 r;

	if (lock_reentrant(obj) &&
	    __atomic_load_n(&obj->owner, __ATOMIC_RELAXED) == ctx->worker) {
		obj->depth++;
		trace_emit(ctx->tp, TRACE_LOCK_ACQUIRED, obj->index,
		    obj->depth, 0);
		return (0);
	}
	r = lock_mutex(ctx, obj, timeout_ns);
	if (r == 0 || r == 1)
		return (r);
	xasprintf(cause, "lock: %s", strerror(r));
	return (-1);
}

int
sync_unlock(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj	*obj = lock_obj(ctx, o);

	if (__atomic_load_n(&obj->owner, __ATOMIC_RELAXED) != ctx->worker) {
		xasprintf(cause, "unlock of a lock this worker does not hold");
		return (-1);
	}
	if (obj->depth > 1) {
		obj->depth--;
		trace_emit(ctx->tp, TRACE_LOCK_RELEASE, obj->index,
		    obj->depth, 0);
		return (0);
	}
	trace_emit(ctx->tp, TRACE_LOCK_RELEASE, obj->index, 0, 0);
	obj->depth = 0;
	__atomic_store_n(&obj->owner, SYNC_NO_OWNER, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&obj->mutex);
	if (ctx->sched != NULL)
		sync_sched_wake(ctx->sched, obj->index);
	return (0);
}

int
sync_holds(struct sync_ctx *ctx, uint16_t o)
{
	struct sync_obj	*obj = lock_obj(ctx, o);

	return (__atomic_load_n(&obj->owner, __ATOMIC_RELAXED) == ctx->worker);
}
