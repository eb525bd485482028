/*
 * tests/check_ring.c: the trace ring (src/trace/ring.c).
 *
 * Producers are real threads and real forked processes writing into one
 * MAP_SHARED set while the test's main thread consumes. Every event
 * carries its producer's sequence number and a payload derived from it, so
 * the consumer can prove exactly-once delivery, per-producer order and the
 * absence of torn events (payload and check field) without trusting the
 * ring. Interleavings that matter are forced with barriers, futex
 * hand-offs and "wait until the ring says so" loops, never with sleeps;
 * the only sleeps make a consumer slow, which no assertion depends on.
 * Every child is reaped, every mapping and fd released.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"
#include "trace/keep.h"
#include "trace/ring.h"

#define MAXW		16
#define BATCH		64

/* ck_assert() records its location through a pipe on every call in
   CK_FORK mode (a syscall); per-event checks only report failures. */
#define EXPECT(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: expected %s", __FILE__, __LINE__, #c); \
} while (0)

struct fixture {
	void			*mem;
	size_t			 size;
	struct trace_ring_set	*set;
	int			 efd;
};

/* Shared between the test and its producers (threads and processes). */
struct shared {
	pthread_barrier_t	 barrier;
	pthread_mutex_t		 mutex;
	_Atomic uint32_t	 token;		/* hand-off: whose turn */
	_Atomic uint32_t	 done;		/* producers finished */
	int64_t			 counter;	/* guarded by mutex */
};

struct producer_arg {
	struct trace_ring_set	*set;
	struct shared		*sh;
	unsigned		 ring;
	uint16_t		 worker;
	uint32_t		 n;
	uint32_t		 half;		/* wait at barrier after half */
	unsigned		 nworkers;	/* hand-off tests */
};

struct expect {
	uint32_t	next[MAXW];
	uint64_t	got[MAXW];
	uint64_t	gaps[MAXW];
	uint64_t	last_time;
};

static int64_t
payload(uint16_t worker, uint32_t seq)
{
	return ((int64_t)((uint64_t)worker << 40 ^ (uint64_t)seq * 7919));
}

static void
fixture_init(struct fixture *f, unsigned np, unsigned cap, int flags,
    int with_fd)
{
	f->size = trace_ring_set_size(np, cap);
	ck_assert_uint_gt(f->size, 0);
	f->mem = mmap(NULL, f->size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(f->mem, MAP_FAILED);
	f->efd = -1;
	if (with_fd) {
		f->efd = eventfd(0, EFD_CLOEXEC);
		ck_assert_int_ge(f->efd, 0);
	}
	f->set = trace_ring_set_init(f->mem, f->size, np, cap, flags, f->efd);
	ck_assert_ptr_nonnull(f->set);
}

static void
fixture_done(struct fixture *f)
{
	if (f->efd >= 0)
		close(f->efd);
	munmap(f->mem, f->size);
}

static struct shared *
shared_new(unsigned parties)
{
	struct shared		*sh;
	pthread_barrierattr_t	 ba;
	pthread_mutexattr_t	 ma;

	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&sh->barrier, &ba, parties);
	pthread_barrierattr_destroy(&ba);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->mutex, &ma);
	pthread_mutexattr_destroy(&ma);
	return (sh);
}

static void
shared_free(struct shared *sh)
{
	pthread_barrier_destroy(&sh->barrier);
	pthread_mutex_destroy(&sh->mutex);
	munmap(sh, sizeof *sh);
}

/* A plain producer: n events whose payload follows from the sequence. */
static void *
produce(void *arg)
{
	struct producer_arg	*a = arg;
	struct trace_producer	 p;
	uint32_t		 i;

	trace_producer_init(&p, a->set, a->ring, a->worker);
	for (i = 0; i < a->n; i++) {
		if (a->half != 0 && i == a->half)
			pthread_barrier_wait(&a->sh->barrier);
		trace_emit(&p, TRACE_STEP, a->worker, payload(a->worker,
		    p.seq), (int32_t)(p.seq ^ 0x55aa));
	}
	if (a->sh != NULL)
		atomic_fetch_add(&a->sh->done, 1);
	return (NULL);
}

static pid_t
fork_producer(void *(*fn)(void *), struct producer_arg *a)
{
	pid_t	pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		fn(a);
		_exit(0);
	}
	return (pid);
}

static void
reap(pid_t pid)
{
	int	status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Check one consumed event against everything its producer promised. */
static void
expect_event(struct expect *ex, const struct trace_event *e, int lossy)
{
	EXPECT(trace_ring_event_valid(e));
	EXPECT(e->worker < MAXW);
	if (lossy)
		EXPECT(e->seq >= ex->next[e->worker]);
	else
		EXPECT(e->seq == ex->next[e->worker]);
	EXPECT(e->a0 == payload(e->worker, e->seq));
	EXPECT(e->a1 == (int32_t)(e->seq ^ 0x55aa));
	EXPECT(e->type == TRACE_STEP);
	EXPECT(e->object == e->worker);
	ex->gaps[e->worker] += e->seq - ex->next[e->worker];
	ex->next[e->worker] = e->seq + 1;
	ex->got[e->worker]++;
}

/* Read one batch and check it; events in a batch are in time order. */
static size_t
consume_batch(struct trace_consumer *c, struct expect *ex, size_t max,
    int lossy)
{
	struct trace_event	buf[BATCH];
	size_t			n, i;

	n = trace_consumer_read(c, buf, max > BATCH ? BATCH : max);
	for (i = 0; i < n; i++) {
		if (i > 0)
			EXPECT(buf[i - 1].time <= buf[i].time);
		expect_event(ex, &buf[i], lossy);
	}
	return (n);
}

START_TEST(test_layout)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct trace_producer	 p;
	struct trace_event	 e[4];
	char			 small[1024] __attribute__((aligned(128)));
	uint64_t		 before, after;

	ck_assert_uint_eq(trace_ring_set_size(0, 8), 0);
	ck_assert_uint_eq(trace_ring_set_size(1, 6), 0);
	ck_assert_uint_eq(trace_ring_set_size(1, 1), 0);
	ck_assert_uint_gt(trace_ring_set_size(3, 8), 3 * 8 * 32);
	ck_assert_ptr_null(trace_ring_set_init(small, sizeof small, 4, 1024,
	    0, -1));

	fixture_init(&f, 3, 8, 0, 1);
	ck_assert_uint_eq(trace_ring_set_producers(f.set), 3);
	ck_assert_uint_eq(trace_ring_set_capacity(f.set), 8);
	c = trace_consumer_create(f.set);
	ck_assert_int_eq(trace_consumer_fd(c), f.efd);
	ck_assert_uint_eq(trace_consumer_read(c, e, 4), 0);
	ck_assert_uint_eq(trace_ring_pending(f.set), 0);

	trace_producer_init(&p, f.set, 1, 7);
	before = trace_now();
	trace_emit(&p, TRACE_LOCK_ACQUIRED, 42, -5, 9);
	ck_assert_uint_eq(trace_ring_pending(f.set), 1);
	ck_assert_uint_eq(trace_consumer_read(c, e, 4), 1);
	after = trace_now();
	ck_assert_uint_eq(e[0].worker, 7);
	ck_assert_uint_eq(e[0].type, TRACE_LOCK_ACQUIRED);
	ck_assert_uint_eq(e[0].object, 42);
	ck_assert_int_eq(e[0].a0, -5);
	ck_assert_int_eq(e[0].a1, 9);
	ck_assert_uint_eq(e[0].seq, 0);
	ck_assert(trace_ring_event_valid(&e[0]));
	/* Delivered in CLOCK_MONOTONIC ns whatever the set stamps with (the
	   TSC conversion is calibrated to within some 10 ppm: allow 1 ms). */
	ck_assert_uint_ge(e[0].time + 1000000, before);
	ck_assert_uint_le(e[0].time, after + 1000000);

	/* Any changed field, or an all-zero slot, fails the check. */
	e[1] = e[0];
	e[1].a1 ^= 0x100;
	ck_assert(!trace_ring_event_valid(&e[1]));
	e[1] = e[0];
	e[1].time++;
	ck_assert(!trace_ring_event_valid(&e[1]));
	memset(&e[1], 0, sizeof e[1]);
	ck_assert(!trace_ring_event_valid(&e[1]));
	ck_assert_uint_eq(trace_consumer_corrupt(c), 0);
	ck_assert_uint_eq(trace_ring_pending(f.set), 0);
	ck_assert_uint_eq(trace_ring_dropped_total(f.set), 0);

	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* Merge order, the watermark, and per-producer order with odd stamps. */
START_TEST(test_merge_watermark)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct trace_producer	 p0, p1;
	struct trace_event	 e[8];
	uint64_t		 now;

	fixture_init(&f, 2, 8, 0, 1);
	now = trace_ring_now(f.set);	/* stamps are in the set's unit */
	c = trace_consumer_create(f.set);
	trace_producer_init(&p0, f.set, 0, 0);
	trace_producer_init(&p1, f.set, 1, 1);

	trace_emit_at(&p0, now - 100, TRACE_STEP, 0, 1, 0);
	trace_emit_at(&p1, now - 150, TRACE_STEP, 0, 2, 0);
	trace_emit_at(&p0, now - 50, TRACE_STEP, 0, 3, 0);
	trace_emit_at(&p1, now + 3600000000000ULL, TRACE_STEP, 0, 4, 0);
	ck_assert_uint_eq(trace_consumer_read(c, e, 8), 3);
	ck_assert_int_eq(e[0].a0, 2);
	ck_assert_int_eq(e[1].a0, 1);
	ck_assert_int_eq(e[2].a0, 3);
	/* Stamped an hour ahead: held back by the watermark, and it holds
	   back what its producer emitted after it. */
	trace_emit_at(&p1, now - 10, TRACE_STEP, 0, 5, 0);
	ck_assert_uint_eq(trace_consumer_read(c, e, 8), 0);
	ck_assert_uint_eq(trace_ring_pending(f.set), 2);
	ck_assert_int_eq(trace_consumer_prepare_sleep(c), 1);
	trace_consumer_free(c);

	/* Per-producer order wins over a stamp that goes backwards. */
	fixture_done(&f);
	fixture_init(&f, 2, 8, 0, 1);
	c = trace_consumer_create(f.set);
	trace_producer_init(&p0, f.set, 0, 0);
	trace_producer_init(&p1, f.set, 1, 1);
	trace_emit_at(&p0, now - 300, TRACE_STEP, 0, 1, 0);
	trace_emit_at(&p0, now - 400, TRACE_STEP, 0, 2, 0);
	trace_emit_at(&p1, now - 350, TRACE_STEP, 0, 3, 0);
	ck_assert_uint_eq(trace_consumer_read(c, e, 8), 3);
	ck_assert_int_eq(e[0].a0, 3);
	ck_assert_int_eq(e[1].a0, 1);
	ck_assert_int_eq(e[2].a0, 2);

	/* A read stops at max and resumes where it stopped. */
	trace_emit_at(&p0, now - 30, TRACE_STEP, 0, 10, 0);
	trace_emit_at(&p1, now - 20, TRACE_STEP, 0, 11, 0);
	trace_emit_at(&p0, now - 10, TRACE_STEP, 0, 12, 0);
	ck_assert_uint_eq(trace_consumer_read(c, e, 2), 2);
	ck_assert_int_eq(e[0].a0, 10);
	ck_assert_int_eq(e[1].a0, 11);
	ck_assert_uint_eq(trace_consumer_read(c, e, 2), 1);
	ck_assert_int_eq(e[0].a0, 12);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* The interleaving the watermark is for, forced: the consumer has
   snapshotted ring 0 (empty) when worker 0 releases (ring 0) and hands
   off to worker 1, which acquires (ring 1) before the consumer reads
   ring 1's head. Ring 1's event is visible, ring 0's is not: delivering
   it now would show the acquire before the release. */
struct race {
	struct trace_producer	p0, p1;
	int			fired;
};

static void
race_hook(unsigned ring, void *arg)
{
	struct race	*rc = arg;

	if (ring != 0 || rc->fired++)
		return;
	trace_emit(&rc->p0, TRACE_LOCK_RELEASE, 0, 0, 0);
	trace_emit(&rc->p1, TRACE_LOCK_ACQUIRED, 0, 1, 0);
}

START_TEST(test_watermark_race)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct race		 rc;
	struct trace_event	 e[4];
	size_t			 n;

	fixture_init(&f, 2, 8, 0, 1);
	c = trace_consumer_create(f.set);
	memset(&rc, 0, sizeof rc);
	trace_producer_init(&rc.p0, f.set, 0, 0);
	trace_producer_init(&rc.p1, f.set, 1, 1);
	trace_consumer_set_hook(c, race_hook, &rc);
	n = trace_consumer_read(c, e, 4);
	ck_assert_int_eq(rc.fired, 1);
	ck_assert_uint_eq(n, 0);	/* both stamped after the watermark */
	trace_consumer_set_hook(c, NULL, NULL);
	ck_assert_uint_eq(trace_consumer_read(c, e, 4), 2);
	ck_assert_uint_eq(e[0].type, TRACE_LOCK_RELEASE);
	ck_assert_uint_eq(e[1].type, TRACE_LOCK_ACQUIRED);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* The heap merge over many rings: events whose global rank is spread
   over 64 rings by a hash come out in exactly rank order, read 7 at a
   time, and a second wave emitted between reads (rings that emptied and
   refilled, rings still in the heap) joins in order too. */
#define MERGE_RINGS	64
#define MERGE_WAVE	2000

static void
merge_wave(struct trace_producer *p, uint64_t base, uint32_t from,
    uint32_t to)
{
	uint32_t	r, ring;

	for (r = from; r < to; r++) {
		ring = (r * 2654435761u >> 7) % MERGE_RINGS;
		if (r % 97 == 0)
			ring = 5;	/* one ring much fuller than the rest */
		trace_emit_at(&p[ring], base + 2 * (uint64_t)r, TRACE_STEP,
		    0, r, 0);
	}
}

START_TEST(test_merge_heap)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct trace_producer	 p[MERGE_RINGS];
	struct trace_event	 e[7];
	uint64_t		 base, last = 0;
	uint32_t		 want = 0;
	size_t			 n, i;
	unsigned		 k;

	fixture_init(&f, MERGE_RINGS, 256, 0, 1);
	c = trace_consumer_create(f.set);
	for (k = 0; k < MERGE_RINGS; k++)
		trace_producer_init(&p[k], f.set, k, (uint16_t)k);
	base = trace_ring_now(f.set) - 4 * MERGE_WAVE - 100;

	merge_wave(p, base, 0, MERGE_WAVE);
	while (want < MERGE_WAVE / 2) {
		n = trace_consumer_read(c, e, 7);
		ck_assert_uint_gt(n, 0);
		for (i = 0; i < n; i++) {
			EXPECT(e[i].a0 == want);
			EXPECT(e[i].time >= last);
			last = e[i].time;
			want++;
		}
	}
	merge_wave(p, base, MERGE_WAVE, 2 * MERGE_WAVE);
	while ((n = trace_consumer_read(c, e, 7)) > 0) {
		for (i = 0; i < n; i++) {
			EXPECT(e[i].a0 == want);
			EXPECT(e[i].time >= last);
			last = e[i].time;
			want++;
		}
	}
	ck_assert_uint_eq(want, 2 * MERGE_WAVE);
	ck_assert_uint_eq(trace_ring_pending(f.set), 0);
	ck_assert_uint_eq(trace_consumer_corrupt(c), 0);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* The heap under churn: rings of very different lengths empty and refill
   at random (a fixed-seed generator) while reads of random size take
   events; every event must still come out in stamp order. Stamps are
   distinct ranks handed out in emit order, so any misplaced heap entry
   shows as a rank out of order. */
static uint32_t
churn_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8);
}

START_TEST(test_merge_heap_churn)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct trace_producer	 p[37];
	struct trace_event	 e[64];
	uint64_t		 base, rank = 0, want = 0;
	uint32_t		 seed = 20, r, k, burst, j;
	size_t			 n, i;

	fixture_init(&f, 37, 64, 0, 1);
	c = trace_consumer_create(f.set);
	for (k = 0; k < 37; k++)
		trace_producer_init(&p[k], f.set, k, (uint16_t)k);
	base = trace_ring_now(f.set) - 10000000;
	for (r = 0; r < 3000; r++) {
		/* A few rings get a burst each (at most 16: never full). */
		for (j = churn_rand(&seed) % 4; j > 0; j--) {
			k = churn_rand(&seed) % 37;
			if (trace_ring_pending(f.set) > 37 * 40)
				break;
			for (burst = 1 + churn_rand(&seed) % 3; burst > 0;
			    burst--, rank++)
				trace_emit_at(&p[k], base + rank, TRACE_STEP,
				    0, (int64_t)rank, 0);
		}
		n = trace_consumer_read(c, e, 1 + churn_rand(&seed) % 64);
		for (i = 0; i < n; i++, want++)
			EXPECT(e[i].a0 == (int64_t)want);
	}
	while ((n = trace_consumer_read(c, e, 64)) > 0) {
		for (i = 0; i < n; i++, want++)
			EXPECT(e[i].a0 == (int64_t)want);
	}
	ck_assert_uint_eq(want, rank);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* The TSC conversion: anchored at its calibration point, monotonic on
   both sides of it, and within 1 ms of CLOCK_MONOTONIC read around it
   (the calibration is good to some 10 ppm). Without a usable TSC (or
   with LOCKSTEP_CLOCK=monotonic) the clock is the identity. */
START_TEST(test_clock_calibration)
{
	struct trace_clock	 c;
	uint64_t		 m1, m2, t, ns, prev = 0;
	int64_t			 d;

	trace_clock_init(&c, TRACE_CLOCK_TSC);
	if (!trace_clock_tsc_usable()) {
		ck_assert_uint_eq(c.kind, TRACE_CLOCK_MONOTONIC);
		ck_assert_uint_eq(trace_clock_ns(&c, 12345), 12345);
	} else {
		ck_assert_uint_eq(c.kind, TRACE_CLOCK_TSC);
		/* Between 0.01 and 100 ns per tick. */
		ck_assert_uint_gt(c.mult, (1ULL << 32) / 100);
		ck_assert_uint_lt(c.mult, 100ULL << 32);
		ck_assert_uint_eq(trace_clock_ns(&c, c.tick0), c.ns0);
		for (d = -1000000; d <= 1000000; d += 997) {
			ns = trace_clock_ns(&c, c.tick0 + (uint64_t)d);
			if (d != -1000000)
				ck_assert_uint_ge(ns, prev);
			prev = ns;
		}
		m1 = trace_clock_monotonic();
		t = trace_clock_tsc();
		m2 = trace_clock_monotonic();
		ns = trace_clock_ns(&c, t);
		ck_assert_uint_ge(ns + 1000000, m1);
		ck_assert_uint_le(ns, m2 + 1000000);
	}
	ck_assert_str_eq(trace_clock_name(c.kind),
	    c.kind == TRACE_CLOCK_TSC ? "tsc" : "monotonic");

	trace_clock_init(&c, TRACE_CLOCK_MONOTONIC);
	ck_assert_uint_eq(c.kind, TRACE_CLOCK_MONOTONIC);
	ck_assert_uint_eq(trace_clock_ns(&c, 777), 777);

}
END_TEST

/* The override must be seen by a process that has not chosen yet: the
   test runs in its own CK_FORK child before anything reads the clock. */
START_TEST(test_clock_env_override)
{
	struct trace_clock	c;

	setenv("LOCKSTEP_CLOCK", "monotonic", 1);
	trace_clock_init(&c, TRACE_CLOCK_TSC);
	ck_assert_uint_eq(c.kind, TRACE_CLOCK_MONOTONIC);
	ck_assert(!trace_clock_tsc_usable());
}
END_TEST

/* Causal order of stamps across processes: two processes pass a token
   back and forth 20000 times; each reads the set's clock after seeing
   the other's stamp and must never get a smaller one. This is the
   property the merge's watermark relies on (rdtscp after the acquire). */
struct pingpong {
	_Atomic uint64_t	stamp;
	_Atomic uint32_t	turn;
	_Atomic uint32_t	bad;
};

static void
pingpong_run(struct pingpong *pp, struct trace_ring_set *set, uint32_t me,
    uint32_t rounds)
{
	uint64_t	seen, t;
	uint32_t	i;

	for (i = 0; i < rounds; i++) {
		while (atomic_load(&pp->turn) != me)
			sched_yield();
		seen = atomic_load(&pp->stamp);
		t = trace_ring_now(set);
		if (t < seen)
			atomic_fetch_add(&pp->bad, 1);
		atomic_store(&pp->stamp, trace_ring_now(set));
		atomic_store(&pp->turn, 1 - me);
	}
}

START_TEST(test_clock_causal_order)
{
	struct fixture		 f;
	struct pingpong		*pp;
	pid_t			 pid;
	int			 status;

	fixture_init(&f, 1, 8, 0, 0);
	pp = mmap(NULL, sizeof *pp, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(pp, MAP_FAILED);
	memset(pp, 0, sizeof *pp);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pingpong_run(pp, f.set, 1, 20000);
		_exit(0);
	}
	pingpong_run(pp, f.set, 0, 20000);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_uint_eq(atomic_load(&pp->bad), 0);
	munmap(pp, sizeof *pp);
	fixture_done(&f);
}
END_TEST

/* A held stamp is shared by the statement's events; an event that
   reports having got past a wait takes a fresh one, which is held from
   then on. Run on the external clock, whose time the test sets. */
START_TEST(test_stamp_sharing)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct trace_producer	 p;
	struct trace_event	 e[16];
	uint64_t		 t;

	fixture_init(&f, 1, 16, TRACE_RING_CLOCK_EXTERNAL, 1);
	ck_assert_uint_eq(trace_ring_set_clock(f.set)->kind,
	    TRACE_CLOCK_EXTERNAL);
	c = trace_consumer_create(f.set);
	trace_producer_init(&p, f.set, 0, 0);

	trace_ring_set_time(f.set, 100);
	trace_emit(&p, TRACE_NOTE, TRACE_NO_OBJECT, 0, 0);	/* 100 */
	ck_assert_uint_eq(trace_producer_hold(&p), 100);
	trace_ring_set_time(f.set, 200);
	trace_emit(&p, TRACE_STEP, TRACE_NO_OBJECT, 1, 0);	/* held 100 */
	trace_emit(&p, TRACE_LOCK_RELEASE, 3, 0, 0);		/* 100 */
	trace_emit(&p, TRACE_SHARED_STORE, 4, 0, 0);		/* 100 */
	trace_emit(&p, TRACE_LOCK_ACQUIRED, 3, 1, 0);		/* fresh 200 */
	trace_ring_set_time(f.set, 300);
	trace_emit(&p, TRACE_CHAN_PUT_WAIT, 5, 0, 0);		/* held 200 */
	trace_emit(&p, TRACE_CHAN_GET, 5, 0, 0);		/* fresh 300 */
	trace_ring_set_time(f.set, 400);
	trace_emit(&p, TRACE_PRINT, TRACE_NO_OBJECT, 0, 0);	/* held 300 */
	trace_producer_unhold(&p);
	trace_emit(&p, TRACE_PRINT, TRACE_NO_OBJECT, 0, 0);	/* 400 */
	t = trace_producer_hold(&p);
	ck_assert_uint_eq(t, 400);
	trace_emit_at(&p, 50, TRACE_STEP, TRACE_NO_OBJECT, 0, 0); /* given */

	/* The external watermark delivers up to the current time. */
	ck_assert_uint_eq(trace_consumer_read(c, e, 16), 10);
	ck_assert_uint_eq(e[0].time, 100);
	ck_assert_uint_eq(e[1].time, 100);
	ck_assert_uint_eq(e[2].time, 100);
	ck_assert_uint_eq(e[3].time, 100);
	ck_assert_uint_eq(e[4].time, 200);
	ck_assert_uint_eq(e[5].time, 200);
	ck_assert_uint_eq(e[6].time, 300);
	ck_assert_uint_eq(e[7].time, 300);
	ck_assert_uint_eq(e[8].time, 400);
	ck_assert_uint_eq(e[9].time, 50);
	ck_assert_uint_eq(e[9].type, TRACE_STEP);
	trace_consumer_free(c);
	fixture_done(&f);

	/* On the real clock: one read for the held events, none smaller
	   for the fresh one. */
	fixture_init(&f, 1, 16, 0, 1);
	c = trace_consumer_create(f.set);
	trace_producer_init(&p, f.set, 0, 0);
	trace_producer_hold(&p);
	trace_emit(&p, TRACE_STEP, TRACE_NO_OBJECT, 1, 0);
	trace_emit(&p, TRACE_SHARED_STORE, 4, 0, 0);
	trace_emit(&p, TRACE_MICROSTEP, TRACE_NO_OBJECT, 1, 0);
	trace_emit(&p, TRACE_SEM_ACQUIRED, 2, 0, 0);
	ck_assert_uint_eq(trace_consumer_read(c, e, 16), 4);
	ck_assert_uint_eq(e[0].time, e[1].time);
	ck_assert_uint_eq(e[0].time, e[2].time);
	ck_assert_uint_ge(e[3].time, e[2].time);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* The keep: every event addressable, only the window resident. */
static long
keep_rss_kb(void)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 kb = -1;

	if (f == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	return (kb);
}

static void
keep_fill(struct trace_event *ev, size_t n, uint64_t first)
{
	size_t	i;

	memset(ev, 0, n * sizeof *ev);
	for (i = 0; i < n; i++) {
		ev[i].a0 = (int64_t)(first + i);
		ev[i].seq = (uint32_t)(first + i);
		ev[i].type = TRACE_STEP;
	}
}

START_TEST(test_keep_window)
{
	static struct trace_event	 batch[4096];
	const struct trace_event	*ev;
	struct trace_keep		*k;
	size_t				 n, i, total = (size_t)1 << 20;
	long				 rss0, rss1;

	/* The file is unlinked at once: nothing in TMPDIR, ever. */
	setenv("TMPDIR", lib_tmpdir, 1);
	k = trace_keep_create((size_t)1 << 15, (size_t)1 << 24);
	ck_assert(trace_keep_spills(k));
	ck_assert_int_eq(lib_count_entries(lib_tmpdir, NULL), 0);

	rss0 = keep_rss_kb();
	for (i = 0; i < total; i += 4096) {
		keep_fill(batch, 4096, i);
		trace_keep_append(k, batch, 4096);
	}
	rss1 = keep_rss_kb();
	/* 32 MB appended, a 1 MB window: well under 16 MB stays mapped. */
	ck_assert_int_ge(rss0, 0);
	ck_assert_int_lt(rss1 - rss0, 16 * 1024);

	/* Every event is still there, in order, dropped pages included. */
	ev = trace_keep_events(k, &n);
	ck_assert_uint_eq(n, total);
	for (i = 0; i < n; i++)
		EXPECT(ev[i].a0 == (int64_t)i && ev[i].seq == (uint32_t)i);
	trace_keep_trim(k);
	ck_assert_int_lt(keep_rss_kb() - rss0, 16 * 1024);
	ck_assert_uint_eq(trace_keep_cut(k), 0);

	/* A restart forgets, and keeps again from the start. */
	trace_keep_reset(k);
	ev = trace_keep_events(k, &n);
	ck_assert_uint_eq(n, 0);
	keep_fill(batch, 10, 77);
	trace_keep_append(k, batch, 10);
	ev = trace_keep_events(k, &n);
	ck_assert_uint_eq(n, 10);
	ck_assert_int_eq(ev[0].a0, 77);
	ck_assert_int_eq(ev[9].a0, 86);
	trace_keep_free(k);
	ck_assert_int_eq(lib_count_entries(lib_tmpdir, NULL), 0);
}
END_TEST

/* The cap counts what it could not keep; with no usable directory the
   keep is a heap array (no file, the same answers). */
START_TEST(test_keep_cap_and_heap)
{
	struct trace_event		 batch[700];
	const struct trace_event	*ev;
	struct trace_keep		*k;
	size_t				 n;
	int				 spill;

	for (spill = 1; spill >= 0; spill--) {
		setenv("TMPDIR", spill ? lib_tmpdir : "/nonexistent-dir", 1);
		k = trace_keep_create(100, 1000);
		ck_assert_int_eq(trace_keep_spills(k), spill);
		keep_fill(batch, 700, 0);
		trace_keep_append(k, batch, 700);
		keep_fill(batch, 700, 700);
		trace_keep_append(k, batch, 700);
		ev = trace_keep_events(k, &n);
		ck_assert_uint_eq(n, 1000);
		ck_assert_uint_eq(trace_keep_cut(k), 400);
		ck_assert_int_eq(ev[999].a0, 999);
		ck_assert_int_eq(ev[0].a0, 0);
		trace_keep_free(k);
	}
}
END_TEST

/* The sleep handshake: a publish after prepare_sleep signals the fd. */
START_TEST(test_wakeup_fd)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct trace_producer	 p;
	struct trace_event	 e[4];
	struct pollfd		 pfd;

	fixture_init(&f, 1, 8, 0, 1);
	c = trace_consumer_create(f.set);
	trace_producer_init(&p, f.set, 0, 0);
	pfd.fd = trace_consumer_fd(c);
	pfd.events = POLLIN;

	ck_assert_int_eq(trace_consumer_prepare_sleep(c), 0);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	trace_emit(&p, TRACE_STEP, 0, 0, 0);
	ck_assert_int_eq(poll(&pfd, 1, 0), 1);
	trace_emit(&p, TRACE_STEP, 0, 0, 0);	/* one write per sleep */
	trace_consumer_drain_wake(c);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	ck_assert_uint_eq(trace_consumer_read(c, e, 4), 2);

	/* While the consumer is awake, publishing writes nothing. */
	trace_emit(&p, TRACE_STEP, 0, 0, 0);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	ck_assert_int_eq(trace_consumer_prepare_sleep(c), 1);
	ck_assert_int_eq(trace_consumer_wait(c, 0), 1);
	ck_assert_uint_eq(trace_consumer_read(c, e, 4), 1);
	ck_assert_int_eq(trace_consumer_wait(c, 1), 0);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* Without a wake fd, trace_consumer_wait() sleeps on a futex. */
START_TEST(test_wakeup_futex)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct producer_arg	 a = { 0 };
	struct expect		 ex = { 0 };
	pthread_t		 t;
	uint64_t		 got = 0;

	fixture_init(&f, 1, 16, 0, 0);
	c = trace_consumer_create(f.set);
	ck_assert_int_eq(trace_consumer_fd(c), -1);
	ck_assert_int_eq(trace_consumer_wait(c, 1), 0);
	a.set = f.set;
	a.n = 20000;
	pthread_create(&t, NULL, produce, &a);
	while (got < a.n) {
		got += consume_batch(c, &ex, BATCH, 0);
		if (got < a.n)
			EXPECT(trace_consumer_wait(c, -1) >= 0);
	}
	pthread_join(t, NULL);
	ck_assert_uint_eq(ex.got[0], a.n);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* Two threads and two processes, lossless, small rings: all delivered
   once and in order. The consumer waits without a timeout, so a lost
   wake-up would hang the test (and fail it by timeout). */
START_TEST(test_mixed_lossless)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct producer_arg	 a[4];
	struct expect		 ex = { 0 };
	pthread_t		 t[2];
	pid_t			 pid[2];
	uint64_t		 got = 0, total;
	unsigned		 i;

	fixture_init(&f, 4, 64, 0, 1);
	memset(a, 0, sizeof a);
	for (i = 0; i < 4; i++) {
		a[i].set = f.set;
		a[i].ring = i;
		a[i].worker = (uint16_t)(i + 3);
		a[i].n = 150000;
	}
	total = 4 * (uint64_t)a[0].n;
	c = trace_consumer_create(f.set);
	for (i = 0; i < 2; i++)		/* fork before any thread */
		pid[i] = fork_producer(produce, &a[i]);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, produce, &a[2 + i]);
	while (got < total) {
		got += consume_batch(c, &ex, BATCH, 0);
		if (got < total)
			EXPECT(trace_consumer_wait(c, -1) >= 0);
	}
	for (i = 0; i < 2; i++) {
		reap(pid[i]);
		pthread_join(t[i], NULL);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(ex.got[i + 3], a[i].n);
		ck_assert_uint_eq(ex.gaps[i + 3], 0);
		ck_assert_uint_eq(trace_ring_dropped(f.set, i), 0);
	}
	ck_assert_uint_eq(trace_ring_pending(f.set), 0);
	ck_assert_uint_eq(trace_consumer_corrupt(c), 0);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* Lossless with rings of 4 and a consumer that reads 3 at a time and
   naps: producers must wait (on the futex), never drop. */
START_TEST(test_lossless_slow_consumer)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct producer_arg	 a[3];
	struct expect		 ex = { 0 };
	struct timespec		 nap = { 0, 20000 };
	pthread_t		 t;
	pid_t			 pid[2];
	uint64_t		 got = 0, total, reads = 0;
	unsigned		 i;

	fixture_init(&f, 3, 4, 0, 1);
	memset(a, 0, sizeof a);
	for (i = 0; i < 3; i++) {
		a[i].set = f.set;
		a[i].ring = i;
		a[i].worker = (uint16_t)i;
		a[i].n = 4000;
	}
	total = 3 * (uint64_t)a[0].n;
	c = trace_consumer_create(f.set);
	for (i = 0; i < 2; i++)
		pid[i] = fork_producer(produce, &a[i]);
	pthread_create(&t, NULL, produce, &a[2]);
	while (got < total) {
		got += consume_batch(c, &ex, 3, 0);
		if (++reads % 4 == 0)
			nanosleep(&nap, NULL);
		if (got < total && trace_ring_pending(f.set) == 0)
			EXPECT(trace_consumer_wait(c, -1) >= 0);
	}
	for (i = 0; i < 2; i++)
		reap(pid[i]);
	pthread_join(t, NULL);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(ex.got[i], a[i].n);
		ck_assert_uint_eq(trace_ring_dropped(f.set, i), 0);
	}
	ck_assert_uint_eq(trace_ring_dropped_total(f.set), 0);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* Lossy, single thread: exactly what does not fit is dropped and
   counted, and the sequence shows where. */
START_TEST(test_lossy_exact)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct trace_producer	 p;
	struct trace_event	 e[32];
	uint32_t		 i;

	fixture_init(&f, 2, 16, TRACE_RING_LOSSY, 1);
	c = trace_consumer_create(f.set);
	trace_producer_init(&p, f.set, 1, 1);
	for (i = 0; i < 100; i++)
		trace_emit(&p, TRACE_STEP, 1, i, 0);
	ck_assert_uint_eq(trace_ring_dropped(f.set, 1), 84);
	ck_assert_uint_eq(trace_ring_dropped(f.set, 0), 0);
	ck_assert_uint_eq(trace_ring_pending(f.set), 16);
	ck_assert_uint_eq(trace_consumer_read(c, e, 32), 16);
	for (i = 0; i < 16; i++) {
		ck_assert_uint_eq(e[i].seq, i);
		ck_assert_int_eq(e[i].a0, i);
	}
	trace_emit(&p, TRACE_STEP, 1, 100, 0);
	ck_assert_uint_eq(trace_consumer_read(c, e, 32), 1);
	ck_assert_uint_eq(e[0].seq, 100);	/* 84 dropped in the gap */
	ck_assert_uint_eq(trace_ring_dropped_total(f.set), 84);
	trace_consumer_free(c);
	fixture_done(&f);
}
END_TEST

/* Lossy, concurrent: every producer fills its ring past capacity before
   the consumer starts (barrier), then runs on alongside it. For each
   producer, produced == consumed + dropped, and the gaps in its sequence
   add up to its dropped count. */
START_TEST(test_lossy_concurrent)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct shared		*sh;
	struct producer_arg	 a[3];
	struct expect		 ex = { 0 };
	pthread_t		 t[2];
	pid_t			 pid;
	unsigned		 i;

	fixture_init(&f, 3, 16, TRACE_RING_LOSSY, 1);
	sh = shared_new(4);
	memset(a, 0, sizeof a);
	for (i = 0; i < 3; i++) {
		a[i].set = f.set;
		a[i].sh = sh;
		a[i].ring = i;
		a[i].worker = (uint16_t)i;
		a[i].n = 100000;
		a[i].half = 1000;
	}
	c = trace_consumer_create(f.set);
	pid = fork_producer(produce, &a[0]);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, produce, &a[1 + i]);
	pthread_barrier_wait(&sh->barrier);
	while (atomic_load(&sh->done) < 3) {
		if (consume_batch(c, &ex, BATCH, 1) == 0)
			EXPECT(trace_consumer_wait(c, 10) >= 0);
	}
	while (consume_batch(c, &ex, BATCH, 1) != 0)
		continue;
	reap(pid);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_ge(trace_ring_dropped(f.set, i), 1000 - 16);
		ck_assert_uint_eq(ex.got[i] + trace_ring_dropped(f.set, i),
		    a[i].n);
		/* trailing drops after the last consumed event count too */
		ck_assert_uint_eq(ex.gaps[i] + (a[i].n - ex.next[i]),
		    trace_ring_dropped(f.set, i));
	}
	ck_assert_uint_eq(trace_ring_pending(f.set), 0);
	ck_assert_uint_eq(trace_consumer_corrupt(c), 0);
	trace_consumer_free(c);
	shared_free(sh);
	fixture_done(&f);
}
END_TEST

/* Emit until killed; the payload follows the sequence like produce(). */
static void *
produce_forever(void *arg)
{
	struct producer_arg	*a = arg;
	struct trace_producer	 p;

	trace_producer_init(&p, a->set, a->ring, a->worker);
	for (;;) {
		trace_emit(&p, TRACE_STEP, a->worker, payload(a->worker,
		    p.seq), (int32_t)(p.seq ^ 0x55aa));
	}
	return (NULL);
}

/* SIGKILL a producer at many points of its stream (lossless and lossy);
   the consumer sees only whole, valid events, and the ring works on
   when bound again. */
START_TEST(test_killed_producer)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct producer_arg	 a = { 0 };
	struct trace_producer	 p;
	struct expect		 ex;
	uint64_t		 target;
	uint32_t		 i, before;
	pid_t			 pid;
	int			 round, status, lossy;

	for (round = 0; round < 16; round++) {
		lossy = round & 1;
		fixture_init(&f, 2, 64, lossy ? TRACE_RING_LOSSY : 0, 1);
		c = trace_consumer_create(f.set);
		memset(&ex, 0, sizeof ex);
		a.set = f.set;
		a.ring = 1;
		a.worker = 1;
		pid = fork_producer(produce_forever, &a);
		target = 500 + (uint64_t)round * 997;
		while (ex.got[1] < target) {
			if (consume_batch(c, &ex, BATCH, lossy) == 0)
				EXPECT(trace_consumer_wait(c, -1) >= 0);
		}
		ck_assert_int_eq(kill(pid, SIGKILL), 0);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFSIGNALED(status));
		while (consume_batch(c, &ex, BATCH, lossy) != 0)
			continue;
		ck_assert_uint_eq(trace_ring_pending(f.set), 0);
		ck_assert_uint_eq(trace_consumer_corrupt(c), 0);
		if (!lossy)
			ck_assert_uint_eq(ex.gaps[1], 0);

		/* Bind the ring again: the sequence goes on from what was
		   published (or dropped), and a full lap shows no stale slot. */
		trace_producer_init(&p, f.set, 1, 1);
		if (!lossy)
			ck_assert_uint_eq(p.seq, ex.next[1]);
		before = p.seq;
		for (i = 0; i < 64; i++) {
			trace_emit(&p, TRACE_STEP, 1, payload(1, p.seq),
			    (int32_t)(p.seq ^ 0x55aa));
		}
		ex.next[1] = before;
		ex.got[1] = 0;
		while (consume_batch(c, &ex, BATCH, 0) != 0)
			continue;
		ck_assert_uint_eq(ex.got[1], 64);
		trace_consumer_free(c);
		fixture_done(&f);
	}
}
END_TEST

/* Hand a token round the workers (a futex word, no lock): each emits
   "acquired k" after taking its turn and "released k" before passing it.
   The front end merges per-producer rings; the stream must read
   acquired 0, released 0, acquired 1, ... whatever the interleaving. */
static void *
produce_handoff(void *arg)
{
	struct producer_arg	*a = arg;
	struct trace_producer	 p;
	_Atomic uint32_t	*tok = &a->sh->token;
	uint32_t		 k, v;

	trace_producer_init(&p, a->set, a->ring, a->worker);
	for (k = a->worker; k < a->n; k += a->nworkers) {
		while ((v = atomic_load(tok)) != k)
			syscall(SYS_futex, (uint32_t *)tok, FUTEX_WAIT, v,
			    NULL, NULL, 0);
		trace_emit(&p, TRACE_LOCK_ACQUIRED, 0, k, 0);
		trace_emit(&p, TRACE_STEP, 0, k, 0);	/* some work */
		trace_emit(&p, TRACE_LOCK_RELEASE, 0, k, 0);
		atomic_store(tok, k + 1);
		syscall(SYS_futex, (uint32_t *)tok, FUTEX_WAKE, INT_MAX, NULL,
		    NULL, 0);
	}
	return (NULL);
}

/* The same with a process-shared mutex and a counter it guards. */
static void *
produce_mutex(void *arg)
{
	struct producer_arg	*a = arg;
	struct trace_producer	 p;
	int64_t			 k;
	uint32_t		 i;

	trace_producer_init(&p, a->set, a->ring, a->worker);
	for (i = 0; i < a->n; i++) {
		pthread_mutex_lock(&a->sh->mutex);
		k = a->sh->counter++;
		trace_emit(&p, TRACE_LOCK_ACQUIRED, 1, k, 0);
		trace_emit(&p, TRACE_LOCK_RELEASE, 1, k, 0);
		pthread_mutex_unlock(&a->sh->mutex);
	}
	atomic_fetch_add(&a->sh->done, 1);
	return (NULL);
}

/* Replays the merged stream against the lock's rules. */
struct causal {
	int64_t		next[2];	/* next acquire number per object */
	int		held[2];
	uint16_t	owner[2];
	uint64_t	acquires;
};

static void
causal_event(struct causal *cs, const struct trace_event *e)
{
	unsigned	o = e->object;

	EXPECT(trace_ring_event_valid(e));
	EXPECT(o < 2);
	switch (e->type) {
	case TRACE_LOCK_ACQUIRED:
		if (cs->held[o])
			ck_abort_msg("acquire %lld by %u while held by %u",
			    (long long)e->a0, e->worker, cs->owner[o]);
		EXPECT(e->a0 == cs->next[o]);
		cs->held[o] = 1;
		cs->owner[o] = e->worker;
		cs->acquires++;
		break;
	case TRACE_LOCK_RELEASE:
		EXPECT(cs->held[o]);
		EXPECT(e->worker == cs->owner[o]);
		EXPECT(e->a0 == cs->next[o]);
		cs->held[o] = 0;
		cs->next[o]++;
		break;
	default:
		EXPECT(cs->held[o]);
		EXPECT(e->worker == cs->owner[o]);
		break;
	}
}

static void
causal_consume(struct trace_consumer *c, struct causal *cs, uint64_t want)
{
	struct trace_event	buf[BATCH];
	size_t			n, i;

	while (cs->acquires < want || cs->held[0] || cs->held[1]) {
		/* small batches, many reads: the watermark does the work */
		n = trace_consumer_read(c, buf, 7);
		for (i = 0; i < n; i++)
			causal_event(cs, &buf[i]);
		if (n == 0)
			EXPECT(trace_consumer_wait(c, -1) >= 0);
	}
}

START_TEST(test_causality_handoff)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct shared		*sh;
	struct producer_arg	 a[4];
	struct causal		 cs = { 0 };
	pthread_t		 t[2];
	pid_t			 pid[2];
	unsigned		 i;

	fixture_init(&f, 4, 32, 0, 1);
	sh = shared_new(1);
	memset(a, 0, sizeof a);
	for (i = 0; i < 4; i++) {
		a[i].set = f.set;
		a[i].sh = sh;
		a[i].ring = i;
		a[i].worker = (uint16_t)i;
		a[i].n = 8000;
		a[i].nworkers = 4;
	}
	c = trace_consumer_create(f.set);
	for (i = 0; i < 2; i++)
		pid[i] = fork_producer(produce_handoff, &a[i]);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, produce_handoff, &a[2 + i]);
	causal_consume(c, &cs, a[0].n);
	for (i = 0; i < 2; i++) {
		reap(pid[i]);
		pthread_join(t[i], NULL);
	}
	ck_assert_int_eq(cs.next[0], a[0].n);
	ck_assert_uint_eq(trace_ring_pending(f.set), 0);
	trace_consumer_free(c);
	shared_free(sh);
	fixture_done(&f);
}
END_TEST

START_TEST(test_causality_mutex)
{
	struct fixture		 f;
	struct trace_consumer	*c;
	struct shared		*sh;
	struct producer_arg	 a[4];
	struct causal		 cs = { 0 };
	pthread_t		 t[2];
	pid_t			 pid[2];
	unsigned		 i;

	fixture_init(&f, 4, 32, 0, 1);
	sh = shared_new(1);
	memset(a, 0, sizeof a);
	for (i = 0; i < 4; i++) {
		a[i].set = f.set;
		a[i].sh = sh;
		a[i].ring = i;
		a[i].worker = (uint16_t)i;
		a[i].n = 20000;
	}
	c = trace_consumer_create(f.set);
	for (i = 0; i < 2; i++)
		pid[i] = fork_producer(produce_mutex, &a[i]);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, produce_mutex, &a[2 + i]);
	causal_consume(c, &cs, 4 * (uint64_t)a[0].n);
	for (i = 0; i < 2; i++) {
		reap(pid[i]);
		pthread_join(t[i], NULL);
	}
	ck_assert_int_eq(cs.next[1], 4 * (int64_t)a[0].n);
	ck_assert_int_eq(sh->counter, 4 * (int64_t)a[0].n);
	trace_consumer_free(c);
	shared_free(sh);
	fixture_done(&f);
}
END_TEST

static Suite *
suite_ring(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("ring");

	tc = tcase_create("basic");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_merge_watermark);
	tcase_add_test(tc, test_watermark_race);
	tcase_add_test(tc, test_merge_heap);
	tcase_add_test(tc, test_merge_heap_churn);
	tcase_add_test(tc, test_stamp_sharing);
	tcase_add_test(tc, test_clock_calibration);
	tcase_add_test(tc, test_clock_env_override);
	tcase_add_test(tc, test_clock_causal_order);
	tcase_add_test(tc, test_wakeup_fd);
	tcase_add_test(tc, test_wakeup_futex);
	tcase_add_test(tc, test_lossy_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("keep");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, lib_setup_top, lib_teardown_top);
	tcase_add_checked_fixture(tc, lib_setup_tmp, lib_teardown_tmp);
	tcase_add_test(tc, test_keep_window);
	tcase_add_test(tc, test_keep_cap_and_heap);
	suite_add_tcase(s, tc);

	tc = tcase_create("concurrent");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_mixed_lossless);
	tcase_add_test(tc, test_lossless_slow_consumer);
	tcase_add_test(tc, test_lossy_concurrent);
	tcase_add_test(tc, test_killed_producer);
	suite_add_tcase(s, tc);

	tc = tcase_create("causality");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_causality_handoff);
	tcase_add_test(tc, test_causality_mutex);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_ring()));
}
