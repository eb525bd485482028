/*
 * sync/sem.c: counting semaphore on a process-shared POSIX semaphore.
 *
 * acquire: sem_trywait first; only if the count is zero is SEM_WAIT emitted
 * before the real sem_wait (sem_clockwait for `acquire S timeout D`).
 * SEM_ACQUIRED is stamped after it returns, SEM_RELEASE before sem_post.
 * The value carried by the events is read with sem_getvalue, so with
 * several workers moving at once it is a snapshot; the model keeps its own
 * exact count from the acquire/release events.
 */
#include <errno.h>
#include <semaphore.h>
#include <string.h>

#include "sync/sync.h"
#include "util/xmalloc.h"

int64_t
sync_sem_value(struct sync_ctx *ctx, uint16_t o)
{
	int	v = 0;

	sem_getvalue(&ctx->objs[o].sem, &v);
	return (v);
}

/* Scheduled: park until a release wakes us, try again. */
static int
sem_sched_wait(struct sync_ctx *ctx, uint16_t o, int64_t timeout_ns,
    char **cause)
{
	int64_t	deadline = sync_sched_deadline(ctx->sched, timeout_ns);

	while (sem_trywait(&ctx->objs[o].sem) != 0) {
		if (errno != EAGAIN) {
			xasprintf(cause, "acquire: %s", strerror(errno));
			return (-1);
		}
		if (sync_sched_wait(ctx, o, deadline) == 1) {
			trace_emit(ctx->tp, TRACE_SEM_TIMEOUT, o, 0, 0);
			return (1);
		}
	}
	trace_emit(ctx->tp, TRACE_SEM_ACQUIRED, o, sync_sem_value(ctx, o), 0);
	return (0);
}

int
sync_sem_acquire(struct sync_ctx *ctx, uint16_t o, int64_t timeout_ns,
    char **cause)
{
	struct sync_obj	*obj = &ctx->objs[o];
	struct timespec	 ts;
	int		 r;

	if (sem_trywait(&obj->sem) != 0) {
		if (errno != EAGAIN) {
			xasprintf(cause, "acquire: %s", strerror(errno));
			return (-1);
		}
		trace_emit(ctx->tp, TRACE_SEM_WAIT, o, timeout_ns, 0);
		if (ctx->sched != NULL)
			return (sem_sched_wait(ctx, o, timeout_ns, cause));
		if (timeout_ns > 0)
			sync_deadline(&ts, timeout_ns);
		sync_block_begin(ctx);
		do {
			if (timeout_ns > 0)
				r = sem_clockwait(&obj->sem, CLOCK_MONOTONIC,
				    &ts);
			else
				r = sem_wait(&obj->sem);
		} while (r != 0 && errno == EINTR);
		sync_block_end(ctx);
		if (r != 0 && errno == ETIMEDOUT) {
			trace_emit(ctx->tp, TRACE_SEM_TIMEOUT, o, 0, 0);
			return (1);
		}
		if (r != 0) {
			xasprintf(cause, "acquire: %s", strerror(errno));
			return (-1);
		}
	}
	trace_emit(ctx->tp, TRACE_SEM_ACQUIRED, o, sync_sem_value(ctx, o), 0);
	return (0);
}

int
sync_sem_release(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj	*obj = &ctx->objs[o];

	trace_emit(ctx->tp, TRACE_SEM_RELEASE, o, sync_sem_value(ctx, o) + 1,
	    0);
	if (sem_post(&obj->sem) != 0) {
		xasprintf(cause, "release: %s", strerror(errno));
		return (-1);
	}
	if (ctx->sched != NULL)
		sync_sched_wake(ctx->sched, o);
	return (0);
}
