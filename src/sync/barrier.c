/*
 * sync/barrier.c: a barrier for `capacity` parties, on the object's own
 * mutex and condition variable (not pthread_barrier_t) so that its events
 * are exact: BARRIER_WAIT on every arrival with the count so far, and
 * BARRIER_PASS when a worker leaves. The last arriver stamps its pass
 * before it wakes the others, so no pass can appear before the last
 * arrival. A barrier is reusable: each round is one generation.
 */
#include <pthread.h>

#include "sync/sync.h"

int
sync_barrier_wait(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj	*b = &ctx->objs[o];
	uint32_t	 gen;

	(void)cause;
	sync_obj_lock(b);
	gen = b->generation;
	b->arrived++;
	trace_emit(ctx->tp, TRACE_BARRIER_WAIT, o, b->arrived, 0);
	if (b->arrived >= b->capacity) {
		b->arrived = 0;
		b->generation++;
		trace_emit(ctx->tp, TRACE_BARRIER_PASS, o, gen, 0);
		sync_cv_wake(&b->cond);
		sync_obj_unlock(b);
		if (ctx->sched != NULL)
			sync_sched_wake(ctx->sched, o);
		return (0);
	}
	if (ctx->sched != NULL) {
		/* Scheduled: park (never holding the mutex) until the last
		   arrival opens this generation. */
		sync_obj_unlock(b);
		while (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) == gen)
			sync_sched_wait(ctx, o, -1);
		trace_emit(ctx->tp, TRACE_BARRIER_PASS, o, gen, 0);
		return (0);
	}
	sync_block_begin(ctx);
	while (b->generation == gen)
		sync_obj_wait(b, &b->cond, NULL);
	sync_block_end(ctx);
	sync_obj_unlock(b);
	trace_emit(ctx->tp, TRACE_BARRIER_PASS, o, gen, 0);
	return (0);
}
