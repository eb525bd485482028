/*
 * sync/shared.c: shared ints, thread-locals and array cells.
 *
 * A shared int is a volatile int64_t in the arena: a plain read is one
 * load and a plain write one store, so `x += 1` done as load, then store
 * (two steps in the executor) loses updates for real when two workers
 * interleave. `atomic x += n` is one __atomic_add_fetch. A thread-local
 * (`local int`) is one cell per worker. mmap / shm arrays are cells in
 * memory their kind maps before fork.
 *
 * Stamps: a load is stamped after the read, a store before the write, and
 * an atomic add with a time taken just before it (it is both).
 */
#include "sync/sync.h"

volatile int64_t *
sync_cell(struct sync_ctx *ctx, uint16_t o, int64_t index)
{
	struct sync_obj	*obj = &ctx->objs[o];

	switch (obj->kind) {
	case TRACE_OBJ_SHARED:
		return (&obj->value);
	case TRACE_OBJ_LOCAL:
		if (obj->cells == NULL || ctx->worker >= obj->ncells)
			return (NULL);
		return (&obj->cells[ctx->worker]);
	default:
		if (obj->cells == NULL || index < 0 ||
		    (uint64_t)index >= obj->ncells)
			return (NULL);
		return (&obj->cells[index]);
	}
}

int64_t
sync_shared_load(struct sync_ctx *ctx, uint16_t o, int cell)
{
	volatile int64_t	*p = sync_cell(ctx, o, cell);
	int64_t			 v = *p;

	trace_emit(ctx->tp, TRACE_SHARED_LOAD, o, v, cell);
	return (v);
}

void
sync_shared_store(struct sync_ctx *ctx, uint16_t o, int cell, int64_t v)
{
	volatile int64_t	*p = sync_cell(ctx, o, cell);

	if (ctx->objs[o].kind == TRACE_OBJ_LOCAL)
		trace_emit(ctx->tp, TRACE_LOCAL_SET, o, v, 0);
	else
		trace_emit(ctx->tp, TRACE_SHARED_STORE, o, v, cell);
	*p = v;
}

int64_t
sync_shared_add(struct sync_ctx *ctx, uint16_t o, int cell, int64_t n)
{
	volatile int64_t	*p = sync_cell(ctx, o, cell);
	uint64_t		 t = trace_now();
	int64_t			 v;

	v = __atomic_add_fetch(p, n, __ATOMIC_SEQ_CST);
	trace_emit_at(ctx->tp, t, TRACE_SHARED_ADD, o, v, cell);
	return (v);
}
