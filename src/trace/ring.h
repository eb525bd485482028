/*
 * trace/ring.h: the shared-memory trace ring (one ring per producer).
 *
 * A ring set lives in memory shared by the front end, the runner and every
 * worker (mmap MAP_SHARED|MAP_ANONYMOUS before fork). Each producer (one
 * per worker, plus one for the runner) owns a single-producer ring, so an
 * emit is a clock read, a 32-byte store and a release-store of the head:
 * no lock, no shared fetch_add, no system call. The one consumer (the
 * front end) merges the rings by timestamp up to a watermark so that an
 * event is never overtaken by a later-stamped one from another producer.
 *
 * Modes: lossless (default; a producer whose ring is full sleeps on a futex
 * until the consumer frees space) and lossy (the event is dropped and
 * counted exactly per producer). The consumer sleeps when there is
 * nothing to read: producers write to an eventfd only when the consumer
 * has said it is about to sleep, so the wake-up costs nothing while the
 * consumer keeps up. doc/trace-ring.md has the design and figures.
 */
#ifndef LOCKSTEP_TRACE_RING_H
#define LOCKSTEP_TRACE_RING_H

#include <stddef.h>
#include <stdint.h>

#include "trace/clock.h"
#include "trace/event.h"

struct trace_ring_set;		/* shared; layout private to ring.c */
struct trace_consumer;		/* front end's private merge state */

#define TRACE_RING_LOSSY		0x1
#define TRACE_RING_CLOCK_MONOTONIC	0x2	/* never the TSC */
#define TRACE_RING_CLOCK_EXTERNAL	0x4	/* the run gives the time */

/* Per-producer handle, kept in the producer's own (thread-local or
   process-private) memory; caches everything the emit path needs, so the
   emit reads nothing on a shared line but the consumer's sleep word. */
struct trace_producer {
	struct trace_ring_set	*set;
	void			*ring;	/* this producer's ring */
	uint32_t		 head;	/* own copy of the ring's head */
	uint32_t		 tail_cache; /* last tail seen */
	uint32_t		 mask;	/* capacity - 1 */
	uint32_t		 flags;	/* private to ring.c */
	uint32_t		 seq;
	uint16_t		 worker;
	uint8_t			 clock;	/* enum trace_clock_kind */
	uint8_t			 held;	/* stamp is held (trace_producer_hold) */
	uint8_t			 step;	/* scheduled run: every emit stamps
					   ++ the set's external time (see
					   trace_producer_step) */
	uint64_t		 stamp;	/* the held stamp */
	uint64_t		 last;	/* stamp of the last event published */
};

/* Bytes needed for nproducers rings of capacity events (a power of two). */
size_t		 trace_ring_set_size(unsigned nproducers, unsigned capacity);
/* Lay out a set in mem (zeroed, shared, 128-byte aligned: mmap'd). wake_fd
   is an eventfd the consumer polls (-1: none, the consumer sleeps on a
   futex); it must be open in every producer. NULL on bad sizes (nproducers
   1..65535, capacity a power of two 2..2^30) or a too small size. */
struct trace_ring_set *trace_ring_set_init(void *mem, size_t size,
		    unsigned nproducers, unsigned capacity, int flags,
		    int wake_fd);
unsigned	 trace_ring_set_producers(const struct trace_ring_set *);

/* Bind a producer handle to ring index (0 .. nproducers-1) for worker.
   Call it in the producing process (it registers the process for the
   consumer's membarrier). One producer per ring at a time; a ring whose
   producer died may be bound again, the sequence goes on. */
void		 trace_producer_init(struct trace_producer *,
		    struct trace_ring_set *, unsigned ring, uint16_t worker);
/* Stamp and publish one event. The stamp is the held one (see below) or
   a fresh read of the set's clock. */
void		 trace_emit(struct trace_producer *, enum trace_type,
		    uint16_t object, int64_t a0, int32_t a1);
/* Publish an event whose stamp the caller already took, in the set's
   unit (trace_ring_now(), trace_producer_hold(); nanoseconds with
   TRACE_RING_CLOCK_EXTERNAL). */
void		 trace_emit_at(struct trace_producer *, uint64_t time,
		    enum trace_type, uint16_t object, int64_t a0, int32_t a1);
/* One clock read shared by the events of a statement: read the clock
   once, return the stamp and hold it, so that the producer's following
   events carry it too, except those that report having got past a wait
   or having read another worker's doing (acquired, got, woken, passed,
   joined, loaded, timed out, awake): they read the clock afresh, after
   the operation, as causality requires, and the fresh stamp is held from
   then on. The next hold replaces it; unhold goes back to a read per
   event. */
/* A scheduled run (one worker runs at a time; TRACE_RING_CLOCK_EXTERNAL):
   every event of this producer is stamped with the set's external time
   plus one, which it then becomes. Stamps are then scenario time (a clock
   jump raises the time with trace_ring_set_time), strictly increasing in
   the order the events happened, and the same on every run of the same
   schedule. */
void		 trace_producer_step(struct trace_producer *);
uint64_t	 trace_producer_hold(struct trace_producer *);
void		 trace_producer_unhold(struct trace_producer *);

/* Monotonic nanoseconds (CLOCK_MONOTONIC through the vDSO), for
   durations; event stamps are in the set's unit (trace_ring_now()). */
uint64_t	 trace_now(void);
/* A stamp in the set's unit, read now (ordered: no later load of this
   thread runs before it). */
uint64_t	 trace_ring_now(const struct trace_ring_set *);
/* The set's clock: its kind and the stamp-to-ns conversion that the
   consumer applies to every event it delivers. */
const struct trace_clock *trace_ring_set_clock(const struct trace_ring_set *);
/* TRACE_RING_CLOCK_EXTERNAL: set the time that clock reads return (ns;
   the run's scenario time). Producers read it with acquire. */
void		 trace_ring_set_time(struct trace_ring_set *, uint64_t);

/* The one consumer; NULL if set is not an initialised set. Sets
   O_NONBLOCK on the wake fd (producers' 8-byte eventfd writes never
   block either way). */
struct trace_consumer *trace_consumer_create(struct trace_ring_set *);
void		 trace_consumer_free(struct trace_consumer *);
/* Copy up to max events, merged in timestamp order, that are safe to
   deliver (see the watermark in ring.c), their times converted to
   nanoseconds. Never blocks. Frees ring space and wakes producers
   waiting in lossless mode. O(W) head loads per call, O(log W) per event
   (a heap over the rings' next stamps). */
size_t		 trace_consumer_read(struct trace_consumer *,
		    struct trace_event *, size_t max);
/* Announce that the caller will sleep on the wake fd; returns 0 if it may
   sleep now, or 1 if events arrived meanwhile (read again instead). After
   waking, drain the fd with trace_consumer_drain_wake(). */
int		 trace_consumer_prepare_sleep(struct trace_consumer *);
void		 trace_consumer_drain_wake(struct trace_consumer *);
/* Block up to timeout_ms (-1 = forever) until events may be read:
   1 if events are waiting, 0 on timeout, -1 on a poll error. */
int		 trace_consumer_wait(struct trace_consumer *, int timeout_ms);
/* Events dropped in lossy mode: by one producer, and in total. */
uint64_t	 trace_ring_dropped(const struct trace_ring_set *, unsigned ring);
uint64_t	 trace_ring_dropped_total(const struct trace_ring_set *);
/* Events waiting in all rings (approximate while producers run). */
uint64_t	 trace_ring_pending(const struct trace_ring_set *);

/* Additions (after the first outline; nothing above changed meaning). */

/* Events per ring, as given to trace_ring_set_init(). */
unsigned	 trace_ring_set_capacity(const struct trace_ring_set *);
/* The torn-write check of an event (over every field but check), and
   whether e->check matches it. The ring fills check on every emit; the
   consumer skips (and counts) an event whose check does not match. */
uint16_t	 trace_ring_check(const struct trace_event *);
int		 trace_ring_event_valid(const struct trace_event *);
/* The fd to poll for wake-ups (the set's wake_fd; -1 if it has none, in
   which case trace_consumer_wait() sleeps on a futex instead). */
int		 trace_consumer_fd(const struct trace_consumer *);
/* Events the consumer skipped because their check did not match (always
   0 unless memory was corrupted; a killed producer never causes it). */
uint64_t	 trace_consumer_corrupt(const struct trace_consumer *);
/* Tests only: call hook(ring, arg) in trace_consumer_read() right after
   that ring's head was snapshotted, to force the interleavings the
   watermark exists for. NULL removes it. */
void		 trace_consumer_set_hook(struct trace_consumer *,
		    void (*)(unsigned, void *), void *);

#endif
