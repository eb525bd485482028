/*
 * sync/sched.c: the hand-off between the front end and the one running
 * worker of a scheduled run (see sched.h).
 *
 * The turn word is written by whoever holds the turn and waited on only
 * by the front end; each worker waits on its own go word. A hand-off is a
 * store and a wake on each side. Before sleeping in the kernel both sides
 * spin briefly: a step between two threads is a few microseconds, and a
 * futex sleep costs more than that.
 */
#include <limits.h>

#include "sync/futex.h"
#include "sync/sched.h"

#define SCHED_SPIN	0

static inline void
sched_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Wait until *word != val: spin a little, then sleep on the futex. */
static void
sched_wait_change(uint32_t *word, uint32_t val)
{
	int	i;

	for (i = 0; i < SCHED_SPIN; i++) {
		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != val)
			return;
		sched_relax();
	}
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val)
		sync_futex_wait(word, val, -1);
}

static void
sched_release(struct sync_sched *s)
{
	__atomic_store_n(&s->turn, SYNC_SCHED_NONE, __ATOMIC_SEQ_CST);
	sync_futex_wake(&s->turn, 1);
}

void
sync_sched_park(struct sync_sched *s, uint16_t w, uint32_t status)
{
	struct sync_sched_slot	*sl = &s->slots[w];
	uint32_t		 go;

	go = __atomic_load_n(&sl->go, __ATOMIC_ACQUIRE);
	__atomic_store_n(&sl->status, status, __ATOMIC_RELEASE);
	sched_release(s);
	sched_wait_change(&sl->go, go);
}

void
sync_sched_first(struct sync_sched *s, uint16_t w)
{
	sched_wait_change(&s->slots[w].go, 0);
}

int
sync_sched_block(struct sync_sched *s, uint16_t w, uint32_t key,
    int64_t deadline)
{
	struct sync_sched_slot	*sl = &s->slots[w];

	sl->key = key;
	sl->deadline = deadline;
	sl->timed_out = 0;
	sync_sched_park(s, w, SYNC_S_BLOCKED);
	sl->key = SYNC_KEY_NONE;
	sl->deadline = -1;
	return (sl->timed_out ? 1 : 0);
}

void
sync_sched_wake(struct sync_sched *s, uint32_t key)
{
	uint32_t	w;

	for (w = 0; w < s->nslots; w++) {
		if (s->slots[w].status == SYNC_S_BLOCKED &&
		    s->slots[w].key == key)
			s->slots[w].status = SYNC_S_READY;
	}
}

void
sync_sched_wake_all(struct sync_sched *s)
{
	uint32_t	w;

	for (w = 0; w < s->nslots; w++) {
		if (s->slots[w].status == SYNC_S_BLOCKED &&
		    s->slots[w].key != SYNC_KEY_NONE)
			s->slots[w].status = SYNC_S_READY;
	}
}

void
sync_sched_end(struct sync_sched *s, uint16_t w)
{
	if (__atomic_load_n(&s->slots[w].status, __ATOMIC_ACQUIRE) ==
	    SYNC_S_ENDED)
		return;
	__atomic_store_n(&s->slots[w].status, SYNC_S_ENDED, __ATOMIC_RELEASE);
	sync_sched_wake_all(s);
	if (__atomic_load_n(&s->turn, __ATOMIC_ACQUIRE) == w)
		sched_release(s);
}

int64_t
sync_sched_deadline(const struct sync_sched *s, int64_t timeout_ns)
{
	if (timeout_ns <= 0)
		return (-1);
	return ((int64_t)s->now + timeout_ns);
}

int
sync_sched_give(struct sync_sched *s, uint16_t w, int (*alive)(void *),
    void *arg)
{
	struct sync_sched_slot	*sl = &s->slots[w];
	int			 i;

	sl->status = SYNC_S_RUNNING;
	sl->steps++;
	__atomic_store_n(&s->turn, w, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&sl->go, 1, __ATOMIC_SEQ_CST);
	sync_futex_wake(&sl->go, INT_MAX);
	for (i = 0; i < SCHED_SPIN; i++) {
		if (__atomic_load_n(&s->turn, __ATOMIC_ACQUIRE) != w)
			return (0);
		sched_relax();
	}
	while (__atomic_load_n(&s->turn, __ATOMIC_ACQUIRE) == w) {
		if (sync_futex_wait(&s->turn, w, 100000000) == 1 &&
		    alive != NULL && !alive(arg))
			return (-1);
	}
	return (0);
}
