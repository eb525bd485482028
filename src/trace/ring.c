/*
 * trace/ring.c: the shared-memory trace ring (one ring per producer).
 *
 * Layout of a set, in one MAP_SHARED mapping created before fork:
 *
 *	header	magic, sizes, flags, wake fd, clock	(read-only after init)
 *		consumer_sleeping			(own line)
 *		external time				(own line)
 *	ring 0	producer line: head, dropped
 *		consumer line: tail, producer_waiting
 *		slots[capacity]				(32-byte events)
 *	ring 1	...
 *
 * Lines are RING_LINE (128) bytes apart, so the producer's line, the
 * consumer's line and the adjacent-line prefetcher never make two cores
 * fight over one line. The producer's line holds only what the consumer
 * must see (head, and the drop count read at the end); everything the
 * emit path reads (its own head, the cached tail, the mask, the flags,
 * the clock kind) is in the producer's private handle, so the consumer's
 * one head load per read costs the producer one line transfer per batch,
 * not a miss on every emit. head and tail are free-running 32-bit
 * counters (the fill is head - tail, modulo 2^32) so that tail can be a
 * futex word.
 *
 * Emit (single producer per ring, no lock, no RMW, no system call): take
 * the stamp (held, or one clock read), compare the own head with the
 * cached tail (the consumer's line is read only when the ring looks
 * full), write the slot, release-store head + 1. A slot is therefore
 * visible only once complete: a producer killed mid-emit leaves an
 * unpublished slot that the next producer bound to the ring overwrites.
 * Full ring: lossy mode counts a drop (the producer is the only writer of
 * its counter, so it is exact); lossless mode sets producer_waiting and
 * sleeps on the tail futex (shared, not PRIVATE: the memory crosses fork)
 * with a 50 ms bound so that a dead consumer cannot wedge it forever.
 *
 * Stamps are in the set's clock unit (trace/clock.h): TSC ticks where
 * the TSC is usable, else CLOCK_MONOTONIC ns, or the run's own time. The
 * consumer compares raw stamps (the conversion is monotonic) and turns
 * each delivered stamp into ns, refreshing the event's check.
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
 * seq_cst fence (flag in the handle) and the protocol stays correct.
 *
 * Merge and watermark: trace_consumer_read() reads T = the set's clock
 * FIRST (ordered before the loads that follow), then snapshots every
 * head, and delivers in timestamp order only events stamped before T.
 * If e2 causally follows e1 (e1 was published before the operation that
 * let e2's worker go on, and e2 is stamped after it), and e1 was not in
 * the snapshot, then e2 was stamped after the snapshot, hence after T,
 * and is held back until e1 can be delivered with it. The merge is a
 * binary min-heap of the rings that have events, keyed by the stamp of
 * the ring's next event: O(log W) per event, O(1) while one ring's run
 * of events stays the earliest. The heap persists
 * across reads (a ring's next slot cannot change until it is consumed);
 * each read loads every head once and pushes the rings that became
 * non-empty. A read stops when the heap's minimum is at or after T, so a
 * ring whose next event is held back holds its later events back too:
 * per-producer order is always kept. Events not causally related may
 * still come out of global time order across two reads (a producer
 * preempted between its clock read and its publish).
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

#include "trace/clock.h"
#include "trace/ring.h"
#include "util/xmalloc.h"

#define RING_MAGIC		0x4c4b5354u	/* "LKST" */
#define RING_LINE		128
#define RING_WAIT_NS		(50 * 1000 * 1000)
#define RING_MAX_CAPACITY	(1u << 30)
#define RING_MAX_PRODUCERS	65535

#define RING_F_LOSSY		0x1	/* handle copy of TRACE_RING_LOSSY */
#define RING_F_FENCE		0x2	/* producer needs a real fence */

/* Event types stamped afresh even while a stamp is held: they report
   having got past a wait or having read what another worker did, so
   their stamp must be taken after that operation (event.h's rule). */
#define RING_FRESH(t)		(1ULL << (t))
#define RING_FRESH_TYPES						\
	(RING_FRESH(TRACE_LOCK_ACQUIRED) | RING_FRESH(TRACE_LOCK_OWNER_DIED) | \
	RING_FRESH(TRACE_LOCK_TIMEOUT) | RING_FRESH(TRACE_SEM_ACQUIRED) |	\
	RING_FRESH(TRACE_SEM_TIMEOUT) | RING_FRESH(TRACE_COND_WOKEN) |	\
	RING_FRESH(TRACE_BARRIER_PASS) | RING_FRESH(TRACE_CHAN_OPEN) |	\
	RING_FRESH(TRACE_CHAN_PUT) | RING_FRESH(TRACE_CHAN_GET) |		\
	RING_FRESH(TRACE_CHAN_EOF) | RING_FRESH(TRACE_SHARED_LOAD) |		\
	RING_FRESH(TRACE_SHARED_ADD) | RING_FRESH(TRACE_AWAKE) |		\
	RING_FRESH(TRACE_JOINED) | RING_FRESH(TRACE_JOIN_TIMEOUT) |		\
	RING_FRESH(TRACE_TASK_BEGIN) | RING_FRESH(TRACE_WORKER_START))

_Static_assert(TRACE_TYPE_COUNT <= 64, "fresh-type mask fits 64 bits");

struct ring_header {
	uint32_t		 magic;
	uint32_t		 nproducers;
	uint32_t		 capacity;
	uint32_t		 flags;
	int32_t			 wake_fd;
	uint32_t		 membarrier;	/* consumer may use membarrier */
	uint64_t		 stride;	/* bytes from one ring to the next */
	struct trace_clock	 clock;
	char			 pad0[RING_LINE - 32 -
				     sizeof(struct trace_clock)];

	_Atomic uint32_t	 consumer_sleeping;
	char			 pad1[RING_LINE - 4];

	_Atomic uint64_t	 external_now;	/* TRACE_CLOCK_EXTERNAL */
	char			 pad2[RING_LINE - 8];
};

struct ring {
	/* Producer's line: written by the producer only; the consumer loads
	   head once per read. */
	_Atomic uint32_t	 head;		/* events published, ever */
	uint32_t		 unused;
	_Atomic uint64_t	 dropped;	/* lossy: events not stored */
	char			 pad0[RING_LINE - 16];

	/* Consumer's line. */
	_Atomic uint32_t	 tail;		/* events consumed; futex word */
	_Atomic uint32_t	 producer_waiting;
	char			 pad1[RING_LINE - 8];

	struct trace_event	 slots[];
};

struct trace_ring_set {
	struct ring_header	 hdr;
};

/* A heap entry: a ring that has events, keyed by its next stamp. */
struct ring_next {
	uint64_t		 time;
	unsigned		 ring;
};

struct trace_consumer {
	struct trace_ring_set	 *set;
	unsigned		  n;
	uint32_t		  mask;
	struct trace_clock	  clock;
	struct ring		**rings;
	uint32_t		 *tail;		/* private copies of the tails */
	uint32_t		 *head;		/* snapshot of this read */
	struct ring_next	 *heap;		/* min-heap of non-empty rings */
	unsigned		  nheap;
	unsigned char		 *inheap;
	unsigned		 *moved;	/* rings whose tail advanced */
	unsigned char		 *ismoved;
	uint64_t		  corrupt;
	void			(*hook)(unsigned, void *);
	void			 *hook_arg;
};

_Static_assert(sizeof(struct ring_header) == 3 * RING_LINE, "header lines");
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

/* The time's share of the check: the mix is xor of per-field products
   and the folding is linear over xor, so a new time changes the check by
   exactly fold(old) ^ fold(new) (the consumer's conversion to ns). */
static inline uint16_t
ring_check_time(uint64_t time)
{
	uint64_t	x = time * 0x9e3779b97f4a7c15ULL;

	x ^= x >> 32;
	x ^= x >> 16;
	return ((uint16_t)x);
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
	return (trace_clock_monotonic());
}

/* One read of a set's clock, in its unit. */
static inline uint64_t
ring_clock(const struct trace_ring_set *set, unsigned kind)
{
	if (__builtin_expect(kind == TRACE_CLOCK_TSC, 1))
		return (trace_clock_tsc());
	if (kind == TRACE_CLOCK_EXTERNAL)
		return (atomic_load_explicit(&set->hdr.external_now,
		    memory_order_acquire));
	return (trace_clock_monotonic());
}

uint64_t
trace_ring_now(const struct trace_ring_set *set)
{
	uint64_t	t;

	switch (set->hdr.clock.kind) {
	case TRACE_CLOCK_TSC:
		return (trace_clock_tsc_fenced());
	case TRACE_CLOCK_EXTERNAL:
		t = atomic_load(&set->hdr.external_now);
		break;
	default:
		t = trace_clock_monotonic();
		break;
	}
	atomic_thread_fence(memory_order_seq_cst);
	return (t);
}

const struct trace_clock *
trace_ring_set_clock(const struct trace_ring_set *set)
{
	return (&set->hdr.clock);
}

void
trace_ring_set_time(struct trace_ring_set *set, uint64_t ns)
{
	atomic_store_explicit(&set->hdr.external_now, ns,
	    memory_order_release);
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
	enum trace_clock_kind	 kind = TRACE_CLOCK_TSC;
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
	if (flags & TRACE_RING_CLOCK_EXTERNAL)
		kind = TRACE_CLOCK_EXTERNAL;
	else if (flags & TRACE_RING_CLOCK_MONOTONIC)
		kind = TRACE_CLOCK_MONOTONIC;
	trace_clock_init(&set->hdr.clock, kind);

	/* Registered here, before fork, children inherit it. */
	if (ring_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) == 0)
		set->hdr.membarrier = 1;

	for (i = 0; i < nproducers; i++) {
		r = ring_at(set, i);
		memset(r, 0, sizeof *r);
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

	memset(p, 0, sizeof *p);
	/* Idempotent; covers a producer whose process was not forked from
	   the one that created the set. */
	if (set->hdr.membarrier == 0 ||
	    ring_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) != 0)
		p->flags |= RING_F_FENCE;
	if (set->hdr.flags & TRACE_RING_LOSSY)
		p->flags |= RING_F_LOSSY;

	p->set = set;
	p->ring = r;
	p->worker = worker;
	p->mask = set->hdr.capacity - 1;
	p->clock = (uint8_t)set->hdr.clock.kind;
	p->head = atomic_load(&r->head);
	p->seq = p->head + (uint32_t)atomic_load(&r->dropped);
	p->tail_cache = atomic_load(&r->tail);
}

void
trace_producer_step(struct trace_producer *p)
{
	p->step = 1;
}

uint64_t
trace_producer_hold(struct trace_producer *p)
{
	p->stamp = ring_clock(p->set, p->clock);
	p->held = 1;
	return (p->stamp);
}

void
trace_producer_unhold(struct trace_producer *p)
{
	p->held = 0;
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
ring_make_room(struct trace_producer *p, struct ring *r, uint32_t h)
{
	struct trace_ring_set	*set = p->set;
	struct timespec		 ts = { 0, RING_WAIT_NS };
	uint32_t		 t;
	int			 waited = 0;

	for (;;) {
		t = atomic_load_explicit(&r->tail, memory_order_acquire);
		p->tail_cache = t;
		if (h - t <= p->mask)
			break;
		if (p->flags & RING_F_LOSSY)
			return (0);

		/* Lossless: the consumer must run to free space. */
		if (atomic_load(&set->hdr.consumer_sleeping))
			ring_wake_consumer(set);
		atomic_store(&r->producer_waiting, 1);
		atomic_thread_fence(memory_order_seq_cst);
		t = atomic_load(&r->tail);
		if (h - t > p->mask)
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
	uint32_t		 h = p->head, seq;

	seq = p->seq++;
	if (__builtin_expect(h - p->tail_cache > p->mask, 0) &&
	    !ring_make_room(p, r, h)) {
		atomic_store_explicit(&r->dropped, atomic_load_explicit(
		    &r->dropped, memory_order_relaxed) + 1,
		    memory_order_relaxed);
		return;
	}

	e = &r->slots[h & p->mask];
	e->time = time;
	e->a0 = a0;
	e->a1 = a1;
	e->seq = seq;
	e->worker = p->worker;
	e->type = (uint16_t)type;
	e->object = object;
	e->check = ring_check_fields(time, a0, a1, seq, p->worker,
	    (uint16_t)type, object);
	p->last = time;
	p->head = h + 1;
	atomic_store_explicit(&r->head, h + 1, memory_order_release);

	/* StoreLoad against trace_consumer_prepare_sleep(): a compiler
	   barrier paired with the consumer's membarrier, or a real fence. */
	if (__builtin_expect(p->flags & RING_F_FENCE, 0))
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
	uint64_t	t;

	if (p->step)
		t = atomic_fetch_add_explicit(&p->set->hdr.external_now, 1,
		    memory_order_acq_rel) + 1;
	else if (!p->held && p->clock == TRACE_CLOCK_TSC &&
	    !(RING_FRESH_TYPES & RING_FRESH((unsigned)type & 63))) {
		/* An announcing event needs only a stamp no later than what
		   follows it: rdtsc, which may read early, never below this
		   ring's last stamp (a ring's stamps do not go back). */
		t = trace_clock_tsc_early();
		if (t < p->last)
			t = p->last;
	} else if (!p->held)
		t = ring_clock(p->set, p->clock);
	else if (RING_FRESH_TYPES & RING_FRESH((unsigned)type & 63))
		t = p->stamp = ring_clock(p->set, p->clock);
	else
		t = p->stamp;
	ring_publish(p, t, type, object, a0, a1);
}

void
trace_emit_at(struct trace_producer *p, uint64_t time, enum trace_type type,
    uint16_t object, int64_t a0, int32_t a1)
{
	if (p->step)
		time = atomic_fetch_add_explicit(&p->set->hdr.external_now, 1,
		    memory_order_acq_rel) + 1;
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
	c->mask = set->hdr.capacity - 1;
	c->clock = set->hdr.clock;
	c->rings = xcalloc(c->n, sizeof *c->rings);
	c->tail = xcalloc(c->n, sizeof *c->tail);
	c->head = xcalloc(c->n, sizeof *c->head);
	c->heap = xcalloc(c->n, sizeof *c->heap);
	c->inheap = xcalloc(c->n, sizeof *c->inheap);
	c->moved = xcalloc(c->n, sizeof *c->moved);
	c->ismoved = xcalloc(c->n, sizeof *c->ismoved);
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
	free(c->heap);
	free(c->inheap);
	free(c->moved);
	free(c->ismoved);
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

/* Put x at the root in place of the ring just taken from. A ring that
   goes on being the earliest (a run of its events, the common case: a
   statement's events share a stamp, a worker runs a whole time slice)
   stays at the root after two compares. Otherwise Floyd's bottom-up
   sift: move the hole down along the smaller children (one compare per
   level, without a branch to mispredict) to a leaf, then let x climb
   back (usually a step or two: the ring's next stamp is late). Ties
   between rings fall either way; a ring's own order never changes, as
   only its next event is in the heap. */
static void
ring_heap_top(struct trace_consumer *c, struct ring_next x)
{
	struct ring_next	*h = c->heap;
	unsigned		 i = 0, k, parent, n = c->nheap;

	if (n <= 1 || (x.time <= h[1].time &&
	    (n == 2 || x.time <= h[2].time))) {
		h[0] = x;
		return;
	}
	while ((k = 2 * i + 1) < n) {
		if (k + 1 < n)		/* false only at the last leaf */
			k += h[k + 1].time < h[k].time;
		h[i] = h[k];
		i = k;
	}
	while (i > 0) {
		parent = (i - 1) / 2;
		if (h[parent].time <= x.time)
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = x;
}

static void
ring_heap_push(struct trace_consumer *c, unsigned ring, uint64_t time)
{
	struct ring_next	*h = c->heap, x = { time, ring };
	unsigned		 i = c->nheap++, parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (h[parent].time <= x.time)
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = x;
	c->inheap[ring] = 1;
}

/* The consumer's watermark: the set's clock, read before any head. */
static inline uint64_t
ring_watermark(const struct trace_consumer *c)
{
	uint64_t	t;

	if (c->clock.kind == TRACE_CLOCK_TSC)
		t = trace_clock_tsc_fenced();
	else if (c->clock.kind == TRACE_CLOCK_EXTERNAL)
		t = atomic_load(&c->set->hdr.external_now) + 1;
	else
		t = trace_clock_monotonic();
	atomic_thread_fence(memory_order_seq_cst);
	return (t);
}

size_t
trace_consumer_read(struct trace_consumer *c, struct trace_event *out,
    size_t max)
{
	struct ring		*r;
	struct trace_event	*e;
	struct ring_next	 next;
	uint64_t		 watermark, tm;
	size_t			 n = 0;
	unsigned		 i, k, nmoved = 0;
	int			 convert = c->clock.kind == TRACE_CLOCK_TSC;

	if (atomic_load_explicit(&c->set->hdr.consumer_sleeping,
	    memory_order_relaxed))
		atomic_store(&c->set->hdr.consumer_sleeping, 0);

	/* The clock first, then the heads: see the top comment. */
	watermark = ring_watermark(c);
	for (i = 0; i < c->n; i++) {
		c->head[i] = atomic_load_explicit(&c->rings[i]->head,
		    memory_order_acquire);
		if (__builtin_expect(c->hook != NULL, 0))
			c->hook(i, c->hook_arg);
		if (!c->inheap[i] && c->tail[i] != c->head[i]) {
			r = c->rings[i];
			ring_heap_push(c, i,
			    r->slots[c->tail[i] & c->mask].time);
		}
	}

	while (n < max && c->nheap > 0 && c->heap[0].time < watermark) {
		i = c->heap[0].ring;
		r = c->rings[i];
		out[n] = r->slots[c->tail[i] & c->mask];
		e = &out[n];
		if (trace_ring_event_valid(e)) {
			if (convert) {
				tm = trace_clock_ns(&c->clock, e->time);
				e->check ^= ring_check_time(e->time) ^
				    ring_check_time(tm);
				e->time = tm;
			}
			n++;
		} else
			c->corrupt++;
		c->tail[i]++;
		if (!c->ismoved[i]) {
			c->ismoved[i] = 1;
			c->moved[nmoved++] = i;
		}
		if (c->tail[i] != c->head[i]) {
			/* The ring is visited again only after the others
			   had their turn: fetch its next line meanwhile. */
			__builtin_prefetch(&r->slots[(c->tail[i] + 4) &
			    c->mask]);
			next.ring = i;
			next.time = r->slots[c->tail[i] & c->mask].time;
			ring_heap_top(c, next);
		} else {
			c->inheap[i] = 0;
			if (--c->nheap > 0)
				ring_heap_top(c, c->heap[c->nheap]);
		}
	}
	if (nmoved == 0)
		return (n);

	for (k = 0; k < nmoved; k++) {
		i = c->moved[k];
		atomic_store_explicit(&c->rings[i]->tail, c->tail[i],
		    memory_order_release);
	}
	/* Pairs with the fence in ring_make_room(): either the producer
	   sees the new tail or we see its producer_waiting. */
	atomic_thread_fence(memory_order_seq_cst);
	for (k = 0; k < nmoved; k++) {
		i = c->moved[k];
		c->ismoved[i] = 0;
		r = c->rings[i];
		if (atomic_load_explicit(&r->producer_waiting,
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
