/*
 * trace/ring.c: the shared-memory trace ring (one ring per producer).
 *
 * Layout of a set, in one MAP_SHARED mapping created before fork:
 *
 *	header	magic, sizes, flags, wake fd	(read-only after init)
 *		consumer_sleeping		(own line)
 *	ring 0	producer line: head, tail_cache, dropped, mask, flags
 *		consumer line: tail, producer_waiting
 *		slots[capacity]			(32-byte events)
 *	ring 1	...
 *
 * Lines are RING_LINE (128) bytes apart, so the producer's line, the
 * consumer's line and the adjacent-line prefetcher never make two cores
 * fight over one line. head and tail are free-running 32-bit counters
 * (the fill is head - tail, modulo 2^32) so that tail can be a futex word.
 *
 * Emit (single producer per ring, no lock, no RMW, no system call): read
 * the own head, compare it with the cached tail (the consumer's line is
 * read only when the ring looks full), write the slot, release-store
 * head + 1. A slot is therefore visible only once complete: a producer
 * killed mid-emit leaves an unpublished slot that the next producer bound
 * to the ring overwrites. Full ring: lossy mode counts a drop (the
 * producer is the only writer of its counter, so it is exact); lossless
 * mode sets producer_waiting and sleeps on the tail futex (shared, not
 * PRIVATE: the memory crosses fork) with a 50 ms bound so that a dead
 * consumer cannot wedge it forever.
 *
 * Consumer wake-up: after publishing, the producer loads consumer_sleeping
 * (relaxed; 0 while the consumer keeps up, so no syscall) and, if set,
 * exchanges it to 0 and writes the eventfd (or futex-wakes the word when
 * the set has no fd). This is a Dekker handshake (producer: store head,
 * load sleeping; consumer: store sleeping, load heads), which needs a
 * StoreLoad barrier on both sides. Rather than a full fence per event,
 * the producer has only a compiler barrier and the consumer, when it is
 * about to sleep (rare), runs membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED),
 * which makes every registered process execute a full barrier: the
 * asymmetric-fence technique of liburcu. Registration is inherited across
 * fork; trace_producer_init() registers again in case the producer came
 * from elsewhere. Where membarrier is missing, producers use a real
 * seq_cst fence (per-ring flag) and the protocol stays correct.
 *
 * Merge and watermark: trace_consumer_read() reads T = trace_now() FIRST,
 * then snapshots every head, and delivers in timestamp order only events
 * stamped before T. If e2 causally follows e1 (e1 was published before
 * the operation that let e2's worker go on, and e2 is stamped after it),
 * and e1 was not in the snapshot, then e2 was stamped after the snapshot,
 * hence after T, and is held back until e1 can be delivered with it. The
 * merge is a linear minimum over the rings that have deliverable events
 * (k is small). Events not causally related may still come out of global
 * time order across two reads (a producer preempted between its clock
 * read and its publish); per-producer order is always kept.
 */
#include <sys/syscall.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace/ring.h"
#include "util/xmalloc.h"

#define RING_MAGIC		0x4c4b5354u	/* "LKST" */
#define RING_LINE		128
#define RING_WAIT_NS		(50 * 1000 * 1000)
#define RING_MAX_CAPACITY	(1u << 30)
#define RING_MAX_PRODUCERS	65535

#define RING_F_LOSSY		0x1	/* per-ring copy of TRACE_RING_LOSSY */
#define RING_F_FENCE		0x2	/* producer needs a real fence */

struct ring_header {
	uint32_t		 magic;
	uint32_t		 nproducers;
	uint32_t		 capacity;
	uint32_t		 flags;
	int32_t			 wake_fd;
	uint32_t		 membarrier;	/* consumer may use membarrier */
	uint64_t		 stride;	/* bytes from one ring to the next */
	char			 pad0[RING_LINE - 32];

	_Atomic uint32_t	 consumer_sleeping;
	char			 pad1[RING_LINE - 4];
};

struct ring {
	/* Producer's line: written by the producer only. */
	_Atomic uint32_t	 head;		/* events published, ever */
	uint32_t		 tail_cache;	/* last tail the producer saw */
	_Atomic uint64_t	 dropped;	/* lossy: events not stored */
	uint32_t		 mask;		/* capacity - 1 */
	_Atomic uint32_t	 flags;		/* RING_F_* */
	char			 pad0[RING_LINE - 24];

	/* Consumer's line. */
	_Atomic uint32_t	 tail;		/* events consumed; futex word */
	_Atomic uint32_t	 producer_waiting;
	char			 pad1[RING_LINE - 8];

	struct trace_event	 slots[];
};

struct trace_ring_set {
	struct ring_header	 hdr;
};

struct trace_consumer {
	struct trace_ring_set	 *set;
	unsigned		  n;
	struct ring		**rings;
	uint32_t		 *tail;		/* private copies of the tails */
	uint32_t		 *head;		/* snapshot of this read */
	unsigned		 *active;	/* rings with deliverable events */
	unsigned char		 *moved;	/* tail advanced in this read */
	uint64_t		  corrupt;
	void			(*hook)(unsigned, void *);
	void			 *hook_arg;
};

_Static_assert(sizeof(struct ring_header) == 2 * RING_LINE, "header lines");
_Static_assert(sizeof(struct ring) == 2 * RING_LINE, "ring lines");

static long
ring_futex(_Atomic uint32_t *word, int op, uint32_t val,
    const struct timespec *ts)
{
	return (syscall(SYS_futex, (uint32_t *)word, op, val, ts, NULL, 0));
}

static int
ring_membarrier(int cmd)
{
	return ((int)syscall(SYS_membarrier, cmd, 0, 0));
}

static struct ring *
ring_at(const struct trace_ring_set *set, unsigned i)
{
	return ((struct ring *)((char *)set + sizeof set->hdr +
	    (size_t)i * set->hdr.stride));
}

static int
ring_sizes_ok(unsigned nproducers, unsigned capacity)
{
	if (nproducers == 0 || nproducers > RING_MAX_PRODUCERS)
		return (0);
	if (capacity < 2 || capacity > RING_MAX_CAPACITY)
		return (0);
	return ((capacity & (capacity - 1)) == 0);
}

static size_t
ring_stride(unsigned capacity)
{
	size_t	size;

	size = sizeof(struct ring) + (size_t)capacity *
	    sizeof(struct trace_event);
	return ((size + RING_LINE - 1) / RING_LINE * RING_LINE);
}

/* Mix the 28 bytes beside check into 16 bits (multiply-xor, ~2 ns). */
static inline uint16_t
ring_check_fields(uint64_t time, int64_t a0, int32_t a1, uint32_t seq,
    uint16_t worker, uint16_t type, uint16_t object)
{
	uint64_t	x;

	x = time * 0x9e3779b97f4a7c15ULL;
	x ^= (uint64_t)a0 * 0xc2b2ae3d27d4eb4fULL;
	x ^= ((uint64_t)(uint32_t)a1 << 32 | seq) * 0x165667b19e3779f9ULL;
	x ^= ((uint64_t)worker | (uint64_t)type << 16 |
	    (uint64_t)object << 32) * 0x27d4eb2f165667c5ULL;
	x ^= x >> 32;
	x ^= x >> 16;
	return ((uint16_t)(x ^ 0x5a3c));	/* an all-zero slot fails */
}

uint16_t
trace_ring_check(const struct trace_event *e)
{
	return (ring_check_fields(e->time, e->a0, e->a1, e->seq, e->worker,
	    e->type, e->object));
}

int
trace_ring_event_valid(const struct trace_event *e)
{
	return (e->check == trace_ring_check(e));
}

uint64_t
trace_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

size_t
trace_ring_set_size(unsigned nproducers, unsigned capacity)
{
	if (!ring_sizes_ok(nproducers, capacity))
		return (0);
	return (sizeof(struct ring_header) +
	    (size_t)nproducers * ring_stride(capacity));
}

struct trace_ring_set *
trace_ring_set_init(void *mem, size_t size, unsigned nproducers,
    unsigned capacity, int flags, int wake_fd)
{
	struct trace_ring_set	*set = mem;
	struct ring		*r;
	uint32_t		 rflags = 0;
	unsigned		 i;

	if (mem == NULL || ((uintptr_t)mem % RING_LINE) != 0)
		return (NULL);
	if (!ring_sizes_ok(nproducers, capacity) ||
	    size < trace_ring_set_size(nproducers, capacity))
		return (NULL);

	memset(&set->hdr, 0, sizeof set->hdr);
	set->hdr.nproducers = nproducers;
	set->hdr.capacity = capacity;
	set->hdr.flags = flags;
	set->hdr.wake_fd = wake_fd;
	set->hdr.stride = ring_stride(capacity);

	/* Registered here, before fork, children inherit it. */
	if (ring_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) == 0)
		set->hdr.membarrier = 1;
	else
		rflags |= RING_F_FENCE;
	if (flags & TRACE_RING_LOSSY)
		rflags |= RING_F_LOSSY;

	for (i = 0; i < nproducers; i++) {
		r = ring_at(set, i);
		memset(r, 0, sizeof *r);
		r->mask = capacity - 1;
		atomic_init(&r->flags, rflags);
	}
	atomic_thread_fence(memory_order_seq_cst);
	set->hdr.magic = RING_MAGIC;
	return (set);
}

unsigned
trace_ring_set_producers(const struct trace_ring_set *set)
{
	return (set->hdr.nproducers);
}

unsigned
trace_ring_set_capacity(const struct trace_ring_set *set)
{
	return (set->hdr.capacity);
}

/* Bind a handle; the sequence goes on from whatever the ring holds, so a
   ring whose producer died can be bound again. */
void
trace_producer_init(struct trace_producer *p, struct trace_ring_set *set,
    unsigned ring, uint16_t worker)
{
	struct ring	*r = ring_at(set, ring);

	/* Idempotent; covers a producer whose process was not forked from
	   the one that created the set. */
	if (set->hdr.membarrier == 0 ||
	    ring_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) != 0)
		atomic_fetch_or(&r->flags, RING_F_FENCE);

	p->set = set;
	p->ring = r;
	p->worker = worker;
	p->clock = NULL;
	p->seq = atomic_load(&r->head) +
	    (uint32_t)atomic_load(&r->dropped);
	r->tail_cache = atomic_load(&r->tail);
}

/* Called when consumer_sleeping was seen set: one wake-up per sleep. */
static void
ring_wake_consumer(struct trace_ring_set *set)
{
	uint64_t	one = 1;

	if (atomic_exchange(&set->hdr.consumer_sleeping, 0) == 0)
		return;
	if (set->hdr.wake_fd >= 0) {
		if (write(set->hdr.wake_fd, &one, sizeof one) < 0) {
			/* EAGAIN: a wake-up is already pending. */
		}
	} else
		ring_futex(&set->hdr.consumer_sleeping, FUTEX_WAKE, INT_MAX,
		    NULL);
}

/* Slow path: the ring looked full. Returns 1 when the slot at head is
   free, 0 when the event must be dropped (lossy). */
static int
ring_make_room(struct trace_ring_set *set, struct ring *r, uint32_t h)
{
	struct timespec	ts = { 0, RING_WAIT_NS };
	uint32_t	t;
	int		waited = 0;

	for (;;) {
		t = atomic_load_explicit(&r->tail, memory_order_acquire);
		r->tail_cache = t;
		if (h - t <= r->mask)
			break;
		if (atomic_load_explicit(&r->flags, memory_order_relaxed) &
		    RING_F_LOSSY)
			return (0);

		/* Lossless: the consumer must run to free space. */
		if (atomic_load(&set->hdr.consumer_sleeping))
			ring_wake_consumer(set);
		atomic_store(&r->producer_waiting, 1);
		atomic_thread_fence(memory_order_seq_cst);
		t = atomic_load(&r->tail);
		if (h - t > r->mask)
			ring_futex(&r->tail, FUTEX_WAIT, t, &ts);
		waited = 1;
	}
	if (waited)
		atomic_store_explicit(&r->producer_waiting, 0,
		    memory_order_relaxed);
	return (1);
}

static inline void
ring_publish(struct trace_producer *p, uint64_t time, enum trace_type type,
    uint16_t object, int64_t a0, int32_t a1)
{
	struct trace_ring_set	*set = p->set;
	struct ring		*r = p->ring;
	struct trace_event	*e;
	uint32_t		 h, seq, flags;

	h = atomic_load_explicit(&r->head, memory_order_relaxed);
	seq = p->seq++;
	if (__builtin_expect(h - r->tail_cache > r->mask, 0) &&
	    !ring_make_room(set, r, h)) {
		atomic_store_explicit(&r->dropped, atomic_load_explicit(
		    &r->dropped, memory_order_relaxed) + 1,
		    memory_order_relaxed);
		return;
	}

	e = &r->slots[h & r->mask];
	e->time = time;
	e->a0 = a0;
	e->a1 = a1;
	e->seq = seq;
	e->worker = p->worker;
	e->type = (uint16_t)type;
	e->object = object;
	e->check = ring_check_fields(time, a0, a1, seq, p->worker,
	    (uint16_t)type, object);
	atomic_store_explicit(&r->head, h + 1, memory_order_release);

	/* StoreLoad against trace_consumer_prepare_sleep(): a compiler
	   barrier paired with the consumer's membarrier, or a real fence. */
	flags = atomic_load_explicit(&r->flags, memory_order_relaxed);
	if (__builtin_expect(flags & RING_F_FENCE, 0))
		atomic_thread_fence(memory_order_seq_cst);
	else
		atomic_signal_fence(memory_order_seq_cst);
	if (__builtin_expect(atomic_load_explicit(&set->hdr.consumer_sleeping,
	    memory_order_relaxed) != 0, 0))
		ring_wake_consumer(set);
}

void
trace_emit(struct trace_producer *p, enum trace_type type, uint16_t object,
    int64_t a0, int32_t a1)
{
	ring_publish(p, p->clock != NULL ? __atomic_add_fetch(p->clock, 1,
	    __ATOMIC_RELAXED) : trace_now(), type, object, a0, a1);
}

void
trace_emit_at(struct trace_producer *p, uint64_t time, enum trace_type type,
    uint16_t object, int64_t a0, int32_t a1)
{
	if (p->clock != NULL)
		time = __atomic_add_fetch(p->clock, 1, __ATOMIC_RELAXED);
	ring_publish(p, time, type, object, a0, a1);
}

struct trace_consumer *
trace_consumer_create(struct trace_ring_set *set)
{
	struct trace_consumer	*c;
	unsigned		 i;
	int			 fl;

	if (set == NULL || set->hdr.magic != RING_MAGIC)
		return (NULL);
	c = xcalloc(1, sizeof *c);
	c->set = set;
	c->n = set->hdr.nproducers;
	c->rings = xcalloc(c->n, sizeof *c->rings);
	c->tail = xcalloc(c->n, sizeof *c->tail);
	c->head = xcalloc(c->n, sizeof *c->head);
	c->active = xcalloc(c->n, sizeof *c->active);
	c->moved = xcalloc(c->n, sizeof *c->moved);
	for (i = 0; i < c->n; i++) {
		c->rings[i] = ring_at(set, i);
		c->tail[i] = atomic_load(&c->rings[i]->tail);
	}

	/* Draining must never block; producers' writes of 8 bytes to an
	   eventfd never block either way. */
	if (set->hdr.wake_fd >= 0 &&
	    (fl = fcntl(set->hdr.wake_fd, F_GETFL)) != -1)
		fcntl(set->hdr.wake_fd, F_SETFL, fl | O_NONBLOCK);
	return (c);
}

void
trace_consumer_free(struct trace_consumer *c)
{
	if (c == NULL)
		return;
	free(c->rings);
	free(c->tail);
	free(c->head);
	free(c->active);
	free(c->moved);
	free(c);
}

int
trace_consumer_fd(const struct trace_consumer *c)
{
	return (c->set->hdr.wake_fd);
}

void
trace_consumer_set_hook(struct trace_consumer *c,
    void (*hook)(unsigned, void *), void *arg)
{
	c->hook = hook;
	c->hook_arg = arg;
}

uint64_t
trace_consumer_corrupt(const struct trace_consumer *c)
{
	return (c->corrupt);
}

/* Whether ring i's next event may be delivered in this read. */
static inline int
ring_deliverable(struct trace_consumer *c, unsigned i, uint64_t watermark)
{
	struct ring	*r = c->rings[i];

	if (c->tail[i] == c->head[i])
		return (0);
	return (r->slots[c->tail[i] & r->mask].time < watermark);
}

size_t
trace_consumer_read(struct trace_consumer *c, struct trace_event *out,
    size_t max)
{
	struct ring	*r;
	uint64_t	 watermark, best_time, tm;
	size_t		 n = 0;
	unsigned	 i, j, nactive = 0, best, nmoved = 0;

	if (atomic_load_explicit(&c->set->hdr.consumer_sleeping,
	    memory_order_relaxed))
		atomic_store(&c->set->hdr.consumer_sleeping, 0);

	/* The clock first, then the heads: see the top comment. */
	watermark = trace_now();
	atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < c->n; i++) {
		c->head[i] = atomic_load_explicit(&c->rings[i]->head,
		    memory_order_acquire);
		if (__builtin_expect(c->hook != NULL, 0))
			c->hook(i, c->hook_arg);
		c->moved[i] = 0;
		if (ring_deliverable(c, i, watermark))
			c->active[nactive++] = i;
	}

	while (n < max && nactive > 0) {
		best = 0;
		r = c->rings[c->active[0]];
		best_time = r->slots[c->tail[c->active[0]] & r->mask].time;
		for (j = 1; j < nactive; j++) {
			r = c->rings[c->active[j]];
			tm = r->slots[c->tail[c->active[j]] & r->mask].time;
			if (tm < best_time) {
				best_time = tm;
				best = j;
			}
		}
		i = c->active[best];
		r = c->rings[i];
		out[n] = r->slots[c->tail[i] & r->mask];
		if (trace_ring_event_valid(&out[n]))
			n++;
		else
			c->corrupt++;
		c->tail[i]++;
		if (!c->moved[i]) {
			c->moved[i] = 1;
			nmoved++;
		}
		if (!ring_deliverable(c, i, watermark))
			c->active[best] = c->active[--nactive];
	}
	if (nmoved == 0)
		return (n);

	for (i = 0; i < c->n; i++) {
		if (c->moved[i])
			atomic_store_explicit(&c->rings[i]->tail, c->tail[i],
			    memory_order_release);
	}
	/* Pairs with the fence in ring_make_room(): either the producer
	   sees the new tail or we see its producer_waiting. */
	atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < c->n; i++) {
		r = c->rings[i];
		if (c->moved[i] && atomic_load_explicit(&r->producer_waiting,
		    memory_order_relaxed) &&
		    atomic_exchange(&r->producer_waiting, 0))
			ring_futex(&r->tail, FUTEX_WAKE, INT_MAX, NULL);
	}
	return (n);
}

int
trace_consumer_prepare_sleep(struct trace_consumer *c)
{
	struct trace_ring_set	*set = c->set;
	unsigned		 i;

	atomic_store(&set->hdr.consumer_sleeping, 1);
	/* The heavy half of the asymmetric fence (see the top comment). */
	if (set->hdr.membarrier == 0 ||
	    ring_membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED) != 0)
		atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < c->n; i++) {
		if (atomic_load(&c->rings[i]->head) != c->tail[i]) {
			atomic_store(&set->hdr.consumer_sleeping, 0);
			return (1);
		}
	}
	return (0);
}

void
trace_consumer_drain_wake(struct trace_consumer *c)
{
	uint64_t	buf[8];
	int		fd = c->set->hdr.wake_fd;

	atomic_store(&c->set->hdr.consumer_sleeping, 0);
	if (fd >= 0) {
		while (read(fd, buf, sizeof buf) > 0)
			continue;
	}
}

/* Headless use: sleep (no polling) until something may be read. Returns
   1 if events are waiting, 0 on timeout, -1 on a poll error. */
int
trace_consumer_wait(struct trace_consumer *c, int timeout_ms)
{
	struct trace_ring_set	*set = c->set;
	struct pollfd		 pfd;
	struct timespec		 ts, *tsp = NULL;
	int			 fd = set->hdr.wake_fd, rv = 0;

	if (trace_consumer_prepare_sleep(c))
		return (1);
	if (fd >= 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, timeout_ms) == -1 && errno != EINTR)
			rv = -1;
	} else {
		if (timeout_ms >= 0) {
			ts.tv_sec = timeout_ms / 1000;
			ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
			tsp = &ts;
		}
		ring_futex(&set->hdr.consumer_sleeping, FUTEX_WAIT, 1, tsp);
	}
	trace_consumer_drain_wake(c);
	if (rv == -1)
		return (-1);
	return (trace_ring_pending(set) > 0);
}

uint64_t
trace_ring_dropped(const struct trace_ring_set *set, unsigned ring)
{
	return (atomic_load(&ring_at(set, ring)->dropped));
}

uint64_t
trace_ring_dropped_total(const struct trace_ring_set *set)
{
	uint64_t	total = 0;
	unsigned	i;

	for (i = 0; i < set->hdr.nproducers; i++)
		total += atomic_load(&ring_at(set, i)->dropped);
	return (total);
}

uint64_t
trace_ring_pending(const struct trace_ring_set *set)
{
	struct ring	*r;
	uint64_t	 total = 0;
	unsigned	 i;

	for (i = 0; i < set->hdr.nproducers; i++) {
		r = ring_at(set, i);
		total += (uint32_t)(atomic_load(&r->head) -
		    atomic_load(&r->tail));
	}
	return (total);
}
