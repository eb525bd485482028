/*
 * sync/queue.c: a bounded FIFO queue in shared memory (Python's
 * queue.Queue(N) / multiprocessing.Queue(N) lesson).
 *
 * The slots are cells in the arena; one internal mutex and two condition
 * variables (not empty, not full) guard them. put on a full queue emits
 * PUT_WAIT and blocks; get on an empty one emits GET_WAIT and blocks. Both
 * PUT and GET are emitted while the internal mutex is held, after the
 * wait and next to the real change, so the merged trace orders every put
 * and get exactly as they happened (a put into a slot just freed never
 * appears before the get that freed it).
 *
 * In a scheduled run a full or empty queue parks the worker on the queue
 * (never holding the mutex); every channel operation wakes it (exec.c).
 *
 * `close Q` marks the queue closed (spare[0]); a get on an empty closed
 * queue returns end-of-file (like a pipe), a put into it is an error.
 * `x = get Q timeout D` waits at most D (scenario time when scheduled)
 * and emits CHAN_TIMEOUT when it gives up; `x = try get Q` never waits.
 */
#include <errno.h>
#include <pthread.h>

#include "sync/chan.h"
#include "util/xmalloc.h"

#define QUEUE_CLOSED(obj)	((obj)->spare[0])

static int
queue_put(struct sync_ctx *ctx, uint16_t o, int64_t v, int32_t prio,
    char **cause)
{
	struct sync_obj	*q = &ctx->objs[o];
	uint32_t	 cap = (uint32_t)q->ncells;

	sync_obj_lock(q);
	if (QUEUE_CLOSED(q)) {
		sync_obj_unlock(q);
		xasprintf(cause, "put into a closed queue");
		return (-1);
	}
	if (q->count >= cap && ctx->sched != NULL) {
		trace_emit(ctx->tp, TRACE_CHAN_PUT_WAIT, o, v, 0);
		while (q->count >= cap) {
			sync_obj_unlock(q);
			sync_sched_wait(ctx, o, -1);
			sync_obj_lock(q);
		}
	} else if (q->count >= cap) {
		trace_emit(ctx->tp, TRACE_CHAN_PUT_WAIT, o, v, 0);
		sync_block_begin(ctx);
		while (q->count >= cap)
			sync_obj_wait(q, &q->cond2, NULL);
		sync_block_end(ctx);
	}
	trace_emit(ctx->tp, TRACE_CHAN_PUT, o, v, prio);
	q->cells[(q->head + q->count) % cap] = v;
	q->count++;
	sync_cv_wake(&q->cond);
	sync_obj_unlock(q);
	return (0);
}

/* get, waiting for ever (timeout_ns 0) or at most timeout_ns: 0 got, 1
   end-of-file, 3 timed out. */
static int
queue_get_within(struct sync_ctx *ctx, uint16_t o, int64_t *v,
    int64_t timeout_ns)
{
	struct sync_obj	*q = &ctx->objs[o];
	uint32_t	 cap = (uint32_t)q->ncells;
	struct timespec	 ts;
	int64_t		 deadline;
	int		 timed_out = 0;

	sync_obj_lock(q);
	if (q->count == 0 && !QUEUE_CLOSED(q) && ctx->sched != NULL) {
		trace_emit(ctx->tp, TRACE_CHAN_GET_WAIT, o, timeout_ns, 0);
		deadline = sync_sched_deadline(ctx->sched, timeout_ns);
		while (q->count == 0 && !QUEUE_CLOSED(q) && !timed_out) {
			sync_obj_unlock(q);
			timed_out = sync_sched_wait(ctx, o, deadline) == 1;
			sync_obj_lock(q);
		}
	} else if (q->count == 0 && !QUEUE_CLOSED(q)) {
		trace_emit(ctx->tp, TRACE_CHAN_GET_WAIT, o, timeout_ns, 0);
		if (timeout_ns > 0)
			sync_deadline(&ts, timeout_ns);
		sync_block_begin(ctx);
		while (q->count == 0 && !QUEUE_CLOSED(q) && !timed_out)
			timed_out = sync_obj_wait(q, &q->cond, timeout_ns > 0 ?
			    &ts : NULL) == ETIMEDOUT;
		sync_block_end(ctx);
	}
	if (q->count == 0 && timed_out && !QUEUE_CLOSED(q)) {
		trace_emit(ctx->tp, TRACE_CHAN_TIMEOUT, o, 0, 0);
		sync_obj_unlock(q);
		return (3);
	}
	if (q->count == 0) {
		trace_emit(ctx->tp, TRACE_CHAN_EOF, o, 0, 0);
		sync_obj_unlock(q);
		return (1);
	}
	*v = q->cells[q->head];
	q->head = (q->head + 1) % cap;
	q->count--;
	trace_emit(ctx->tp, TRACE_CHAN_GET, o, *v, 0);
	sync_cv_wake(&q->cond2);
	sync_obj_unlock(q);
	return (0);
}

static int
queue_get(struct sync_ctx *ctx, uint16_t o, int64_t *v, char **cause)
{
	(void)cause;
	return (queue_get_within(ctx, o, v, 0));
}

/* get(timeout=): the item, end-of-file, or 3 when the time ran out. */
static int
queue_timed_get(struct sync_ctx *ctx, uint16_t o, int64_t *v,
    int64_t timeout_ns, char **cause)
{
	(void)cause;
	return (queue_get_within(ctx, o, v, timeout_ns > 0 ? timeout_ns : 1));
}

/* get_nowait: an empty queue is an answer (2), not a wait. */
static int
queue_try_get(struct sync_ctx *ctx, uint16_t o, int64_t *v, char **cause)
{
	struct sync_obj	*q = &ctx->objs[o];

	(void)cause;
	sync_obj_lock(q);
	if (q->count == 0) {
		sync_obj_unlock(q);
		return (QUEUE_CLOSED(q) ? 1 : 2);
	}
	*v = q->cells[q->head];
	q->head = (q->head + 1) % (uint32_t)q->ncells;
	q->count--;
	trace_emit(ctx->tp, TRACE_CHAN_GET, o, *v, 0);
	sync_cv_wake(&q->cond2);
	sync_obj_unlock(q);
	return (0);
}

static int
queue_close(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj	*q = &ctx->objs[o];

	(void)cause;
	sync_obj_lock(q);
	trace_emit(ctx->tp, TRACE_CHAN_CLOSE, o, 0, 0);
	QUEUE_CLOSED(q) = 1;
	sync_cv_wake(&q->cond);
	sync_obj_unlock(q);
	return (0);
}

static int64_t
queue_len(struct sync_ctx *ctx, uint16_t o)
{
	return (__atomic_load_n(&ctx->objs[o].count, __ATOMIC_RELAXED));
}

const struct sync_chan_ops sync_queue_ops = {
	.name = "queue",
	.put = queue_put,
	.get = queue_get,
	.try_get = queue_try_get,
	.timed_get = queue_timed_get,
	.close = queue_close,
	.len = queue_len,
};
