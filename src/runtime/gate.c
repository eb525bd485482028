/*
 * runtime/gate.c: step gates.
 *
 * Before each statement a worker passes its gate. In run mode at tempo 0
 * the executor does not even call in here (hdr->gate_fast is 1: one
 * relaxed load). Otherwise:
 *
 *   run, tempo T   sleep T ms in a futex wait on the worker's gate word,
 *                  so a pause (which bumps every gate word's epoch and
 *                  wakes it) takes effect at once;
 *   pause          raise at_gate and sleep until the gate word carries a
 *                  credit; take exactly one (compare-and-swap) and go.
 *
 * run_step() gives one credit to a worker that is at its gate, so it runs
 * exactly one statement (or one half of a split `x += n`) and stops at its
 * next gate. Pausing clears unused credits, so a step given just before a
 * resume cannot leak into the next pause.
 */
#include <limits.h>

#include "runtime/arena.h"
#include "sync/futex.h"

void
arena_gate_wait(struct arena *a, uint16_t w)
{
	struct arena_worker	*aw = &a->workers[w];
	struct arena_hdr	*h = a->hdr;
	int64_t			 deadline = -1, now;
	uint32_t		 g;
	int			 tempo;

	for (;;) {
		g = __atomic_load_n(&aw->gate, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&h->mode, __ATOMIC_ACQUIRE) == ARENA_RUN) {
			__atomic_store_n(&aw->at_gate, 0, __ATOMIC_RELEASE);
			tempo = __atomic_load_n(&h->tempo_ms, __ATOMIC_RELAXED);
			if (tempo <= 0)
				return;
			now = sync_now_ns();
			if (deadline < 0)
				deadline = now + (int64_t)tempo * 1000000;
			if (now >= deadline)
				return;
			sync_futex_wait(&aw->gate, g, deadline - now);
			continue;
		}
		__atomic_store_n(&aw->at_gate, 1, __ATOMIC_SEQ_CST);
		if (ARENA_GATE_CREDIT(g) > 0) {
			if (__atomic_compare_exchange_n(&aw->gate, &g, g - 1,
			    0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
				__atomic_store_n(&aw->at_gate, 0,
				    __ATOMIC_RELEASE);
				return;
			}
			continue;
		}
		sync_futex_wait(&aw->gate, g, -1);
	}
}

/* Make every worker re-read the mode and tempo. */
void
arena_gate_kick(struct arena *a)
{
	size_t	w;

	for (w = 0; w < a->nworkers; w++) {
		__atomic_fetch_add(&a->workers[w].gate, ARENA_GATE_EPOCH,
		    __ATOMIC_ACQ_REL);
		sync_futex_wake(&a->workers[w].gate, INT_MAX);
	}
}

void
arena_set_mode(struct arena *a, enum arena_mode mode)
{
	size_t	w;

	if (mode == ARENA_PAUSE) {
		__atomic_store_n(&a->hdr->gate_fast, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&a->hdr->mode, ARENA_PAUSE, __ATOMIC_SEQ_CST);
		for (w = 0; w < a->nworkers; w++)
			__atomic_fetch_and(&a->workers[w].gate, ~0xffffu,
			    __ATOMIC_ACQ_REL);
	} else {
		__atomic_store_n(&a->hdr->mode, ARENA_RUN, __ATOMIC_SEQ_CST);
		__atomic_store_n(&a->hdr->gate_fast,
		    __atomic_load_n(&a->hdr->tempo_ms, __ATOMIC_RELAXED) <= 0,
		    __ATOMIC_SEQ_CST);
	}
	arena_gate_kick(a);
}

void
arena_set_tempo(struct arena *a, int tempo_ms)
{
	__atomic_store_n(&a->hdr->tempo_ms, tempo_ms < 0 ? 0 : tempo_ms,
	    __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&a->hdr->mode, __ATOMIC_SEQ_CST) == ARENA_RUN)
		__atomic_store_n(&a->hdr->gate_fast, tempo_ms <= 0,
		    __ATOMIC_SEQ_CST);
	arena_gate_kick(a);
}

int
arena_gate_ready(const struct arena *a, uint16_t w)
{
	const struct arena_worker	*aw = &a->workers[w];

	if (w >= a->nworkers)
		return (0);
	return (__atomic_load_n(&aw->state, __ATOMIC_ACQUIRE) ==
	    ARENA_W_RUNNING &&
	    __atomic_load_n(&aw->at_gate, __ATOMIC_ACQUIRE) &&
	    ARENA_GATE_CREDIT(__atomic_load_n(&aw->gate, __ATOMIC_ACQUIRE)) ==
	    0);
}

int
arena_gate_give(struct arena *a, uint16_t w)
{
	if (!arena_gate_ready(a, w))
		return (-1);
	__atomic_fetch_add(&a->workers[w].gate, 1, __ATOMIC_ACQ_REL);
	sync_futex_wake(&a->workers[w].gate, INT_MAX);
	return (0);
}
