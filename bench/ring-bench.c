/*
 * bench/ring-bench.c: the cost of emitting one trace event.
 *
 * In one run and one process tree, with a live consumer process reading
 * everything, it measures the producer's cost per event of:
 *
 *	clock_gettime	trace_now() alone (CLOCK_MONOTONIC, the vDSO): the
 *			in-run anchor that one producer's emit must not exceed
 *	tsc		the clock read an announcing event (a step, a wait,
 *			a release) pays alone: rdtsc where the TSC is usable
 *	rdtscp		the read an event after an acquire pays (rdtscp)
 *	ring-1		our ring, 1 producer thread
 *	ring-1-mono	the same stamped with CLOCK_MONOTONIC (the old clock)
 *	ring-2t		our ring, 2 producer threads
 *	ring-2p		our ring, 2 producer processes
 *	ring-2t-lossy	our ring in lossy mode, 2 threads (drop counts)
 *	pipe-1		write() of each 32-byte event to a pipe
 *	mutex-1		one ring guarded by a process-shared mutex (with
 *	mutex-2t	condition variables for full/empty), 1 and 2 threads
 *
 * The ring variants stamp with the set's clock (the TSC where the kernel
 * says it is stable, see trace/clock.h); pipe and mutex stamp with
 * trace_now(); all store the same 32 bytes. The consumer is forked per variant, reads in
 * batches and sleeps when there is nothing to read; it checks that it got
 * produced - dropped events. The figure per producer is its own thread
 * CPU time over its event count (what emitting costs the worker, immune
 * to other processes stealing the CPU); wall time is printed beside it.
 * Variants run round-robin for several rounds; medians are reported with
 * the min and max as the spread.
 *
 * Then the merge alone: W rings (2, 8, 64, 256) filled in waves of 2^16
 * events whose stamps interleave the rings, drained by one consumer in
 * reads of 4096, 2^20 events in all; the figure is merged events per
 * second of the consumer's CPU, and the ratio of 64 rings to 2.
 *
 * Usage: ring-bench [--json] [--rounds N] [--events N]
 */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace/ring.h"

#define BENCH_CAP	16384		/* events per ring */
#define BENCH_MAXP	2
#define BENCH_MAXR	32
#define BENCH_BATCH	256
#define BENCH_NAP_NS	100000		/* consumer pacing, see pace() */

enum bench_kind { K_CLOCK, K_TSC, K_TSCP, K_RING, K_PIPE, K_MUTEX };

struct variant {
	const char	*name;
	enum bench_kind	 kind;
	unsigned	 producers;
	int		 processes;
	int		 lossy;
	int		 mono;		/* ring stamped with CLOCK_MONOTONIC */
	/* results, per round */
	double		 cpu[BENCH_MAXR];	/* mean per-producer ns/event */
	double		 wall[BENCH_MAXR];
	uint64_t	 dropped[BENCH_MAXR];
	uint64_t	 consumed[BENCH_MAXR];
	int		 ok[BENCH_MAXR];
};

static struct variant variants[] = {
	{ .name = "clock_gettime", .kind = K_CLOCK, .producers = 1 },
	{ .name = "tsc", .kind = K_TSC, .producers = 1 },
	{ .name = "rdtscp", .kind = K_TSCP, .producers = 1 },
	{ .name = "ring-1", .kind = K_RING, .producers = 1 },
	{ .name = "ring-1-mono", .kind = K_RING, .producers = 1, .mono = 1 },
	{ .name = "ring-2t", .kind = K_RING, .producers = 2 },
	{ .name = "ring-2p", .kind = K_RING, .producers = 2, .processes = 1 },
	{ .name = "ring-2t-lossy", .kind = K_RING, .producers = 2,
	  .lossy = 1 },
	{ .name = "pipe-1", .kind = K_PIPE, .producers = 1 },
	{ .name = "mutex-1", .kind = K_MUTEX, .producers = 1 },
	{ .name = "mutex-2t", .kind = K_MUTEX, .producers = 2 },
};
#define NVARIANTS (sizeof variants / sizeof variants[0])

/* The mutex-guarded ring: the conventional design, for comparison. */
struct mring {
	pthread_mutex_t		 m;
	pthread_cond_t		 not_full;
	pthread_cond_t		 not_empty;
	uint64_t		 head;
	uint64_t		 tail;
	int			 cons_waiting;
	int			 prod_waiting;
	unsigned		 done;
	struct trace_event	 slots[BENCH_CAP];
};

/* Shared by the bench, its producers and its consumer. */
struct shared {
	pthread_barrier_t	 start;
	double			 cpu_ns[BENCH_MAXP];
	double			 wall_ns[BENCH_MAXP];
	_Atomic unsigned	 done;
	uint64_t		 consumed;
	uint64_t		 corrupt;
	struct mring		 mr;
};

struct prod {
	struct variant		*v;
	struct shared		*sh;
	struct trace_ring_set	*set;
	int			 pipe_fd;
	unsigned		 idx;
	uint64_t		 n;
};

static uint64_t
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

static void *
xmap(size_t size)
{
	void	*p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return (p);
}

static void
emit_clock(struct prod *a)
{
	uint64_t	i, sink = 0;

	for (i = 0; i < a->n; i++)
		sink += trace_now();
	__asm__ volatile("" : : "r"(sink));
}

static void
emit_tsc(struct prod *a)
{
	uint64_t	i, sink = 0;

	for (i = 0; i < a->n; i++)
		sink += trace_clock_tsc_early();
	__asm__ volatile("" : : "r"(sink));
}

static void
emit_tscp(struct prod *a)
{
	uint64_t	i, sink = 0;

	for (i = 0; i < a->n; i++)
		sink += trace_clock_tsc();
	__asm__ volatile("" : : "r"(sink));
}

static void
emit_ring(struct prod *a)
{
	struct trace_producer	p;
	uint64_t		i;

	trace_producer_init(&p, a->set, a->idx, (uint16_t)a->idx);
	for (i = 0; i < a->n; i++)
		trace_emit(&p, TRACE_STEP, 0, (int64_t)i, 0);
}

static void
emit_pipe(struct prod *a)
{
	struct trace_event	e;
	uint64_t		i;

	memset(&e, 0, sizeof e);
	e.worker = (uint16_t)a->idx;
	e.type = TRACE_STEP;
	for (i = 0; i < a->n; i++) {
		e.time = trace_now();
		e.a0 = (int64_t)i;
		e.seq = (uint32_t)i;
		e.check = trace_ring_check(&e);
		if (write(a->pipe_fd, &e, sizeof e) != (ssize_t)sizeof e) {
			perror("write");
			exit(1);
		}
	}
}

static void
emit_mutex(struct prod *a)
{
	struct mring		*mr = &a->sh->mr;
	struct trace_event	*e;
	uint64_t		 i, t;

	for (i = 0; i < a->n; i++) {
		t = trace_now();
		pthread_mutex_lock(&mr->m);
		while (mr->head - mr->tail == BENCH_CAP) {
			mr->prod_waiting++;
			pthread_cond_wait(&mr->not_full, &mr->m);
			mr->prod_waiting--;
		}
		e = &mr->slots[mr->head % BENCH_CAP];
		e->time = t;
		e->a0 = (int64_t)i;
		e->a1 = 0;
		e->seq = (uint32_t)i;
		e->worker = (uint16_t)a->idx;
		e->type = TRACE_STEP;
		e->object = 0;
		e->check = trace_ring_check(e);
		mr->head++;
		if (mr->cons_waiting)
			pthread_cond_signal(&mr->not_empty);
		pthread_mutex_unlock(&mr->m);
	}
}

/* One producer: wait for the others, emit, record own CPU and wall. */
static void *
producer(void *arg)
{
	struct prod	*a = arg;
	uint64_t	 c0, w0;

	pthread_barrier_wait(&a->sh->start);
	c0 = cpu_now();
	w0 = trace_now();
	switch (a->v->kind) {
	case K_CLOCK:
		emit_clock(a);
		break;
	case K_TSC:
		emit_tsc(a);
		break;
	case K_TSCP:
		emit_tscp(a);
		break;
	case K_RING:
		emit_ring(a);
		break;
	case K_PIPE:
		emit_pipe(a);
		break;
	case K_MUTEX:
		emit_mutex(a);
		break;
	}
	a->sh->cpu_ns[a->idx] = (double)(cpu_now() - c0) / (double)a->n;
	a->sh->wall_ns[a->idx] = (double)(trace_now() - w0) / (double)a->n;
	if (a->v->kind == K_MUTEX) {
		pthread_mutex_lock(&a->sh->mr.m);
		a->sh->mr.done++;
		pthread_cond_signal(&a->sh->mr.not_empty);
		pthread_mutex_unlock(&a->sh->mr.m);
	}
	atomic_fetch_add(&a->sh->done, 1);
	return (NULL);
}

/* Every consumer (ring, pipe, mutex) paces itself the same way, as the
   UI does by reading once per frame: after a read that did not fill its
   buffer it naps 100 us. A consumer that chases the producer event by
   event steals the cache lines the producer is writing. */
static void
pace(size_t got, size_t batch)
{
	struct timespec	ts = { 0, BENCH_NAP_NS };

	if (got < batch)
		nanosleep(&ts, NULL);
}

static void
consume_ring(struct shared *sh, struct trace_ring_set *set,
    unsigned nproducers)
{
	struct trace_consumer	*c;
	struct trace_event	 buf[BENCH_BATCH];
	size_t			 n;

	c = trace_consumer_create(set);
	for (;;) {
		n = trace_consumer_read(c, buf, BENCH_BATCH);
		sh->consumed += n;
		if (n != 0) {
			pace(n, BENCH_BATCH);
			continue;
		}
		if (atomic_load(&sh->done) == nproducers &&
		    trace_ring_pending(set) == 0)
			break;
		trace_consumer_wait(c, 10);
	}
	sh->corrupt = trace_consumer_corrupt(c);
	trace_consumer_free(c);
}

static void
consume_pipe(struct shared *sh, int fd)
{
	static char	buf[65536];
	ssize_t		n;
	uint64_t	bytes = 0;

	while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
		if (n > 0) {
			bytes += (uint64_t)n;
			pace((size_t)n, sizeof buf);
		}
	}
	sh->consumed = bytes / sizeof(struct trace_event);
}

static void
consume_mutex(struct shared *sh, unsigned nproducers)
{
	struct mring		*mr = &sh->mr;
	struct trace_event	 buf[BENCH_BATCH];
	uint64_t		 n;

	pthread_mutex_lock(&mr->m);
	for (;;) {
		while (mr->head == mr->tail && mr->done < nproducers) {
			mr->cons_waiting = 1;
			pthread_cond_wait(&mr->not_empty, &mr->m);
			mr->cons_waiting = 0;
		}
		if (mr->head == mr->tail)
			break;
		for (n = 0; n < BENCH_BATCH && mr->tail != mr->head; n++)
			buf[n] = mr->slots[mr->tail++ % BENCH_CAP];
		sh->consumed += n;
		if (mr->prod_waiting)
			pthread_cond_broadcast(&mr->not_full);
		/* drop the lock while "using" the batch, as a UI would */
		pthread_mutex_unlock(&mr->m);
		__asm__ volatile("" : : "r"(buf) : "memory");
		pace(n, BENCH_BATCH);
		pthread_mutex_lock(&mr->m);
	}
	pthread_mutex_unlock(&mr->m);
}

static void
shared_reset(struct shared *sh, unsigned parties)
{
	pthread_barrierattr_t	ba;
	pthread_mutexattr_t	ma;
	pthread_condattr_t	ca;

	memset(sh, 0, sizeof *sh);
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&sh->start, &ba, parties);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->mr.m, &ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&sh->mr.not_full, &ca);
	pthread_cond_init(&sh->mr.not_empty, &ca);
}

static void
shared_done(struct shared *sh)
{
	pthread_barrier_destroy(&sh->start);
	pthread_cond_destroy(&sh->mr.not_full);
	pthread_cond_destroy(&sh->mr.not_empty);
	pthread_mutex_destroy(&sh->mr.m);
}

static int
reap(pid_t pid)
{
	int	status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return (-1);
	}
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1);
}

/* One round of one variant: consumer process, producers, results. */
static void
run_variant(struct variant *v, int round, struct shared *sh, uint64_t n)
{
	struct trace_ring_set	*set = NULL;
	struct prod		 a[BENCH_MAXP];
	pthread_t		 t[BENCH_MAXP];
	pid_t			 cons, pid[BENCH_MAXP];
	void			*mem = NULL;
	size_t			 size = 0;
	unsigned		 i;
	int			 efd = -1, pfd[2] = { -1, -1 }, ok = 1;
	double			 cpu = 0, wall = 0;

	shared_reset(sh, v->producers);
	if (v->kind == K_RING) {
		efd = eventfd(0, EFD_CLOEXEC);
		size = trace_ring_set_size(v->producers, BENCH_CAP);
		mem = xmap(size);
		set = trace_ring_set_init(mem, size, v->producers, BENCH_CAP,
		    (v->lossy ? TRACE_RING_LOSSY : 0) |
		    (v->mono ? TRACE_RING_CLOCK_MONOTONIC : 0), efd);
	} else if (v->kind == K_PIPE && pipe(pfd) != 0) {
		perror("pipe");
		exit(1);
	}

	if ((cons = fork()) == 0) {
		if (v->kind == K_CLOCK || v->kind == K_TSC ||
		    v->kind == K_TSCP)
			sh->consumed = n;
		else if (v->kind == K_RING)
			consume_ring(sh, set, v->producers);
		else if (v->kind == K_PIPE) {
			close(pfd[1]);
			consume_pipe(sh, pfd[0]);
		} else
			consume_mutex(sh, v->producers);
		_exit(0);
	}
	if (v->kind == K_PIPE)
		close(pfd[0]);

	for (i = 0; i < v->producers; i++) {
		a[i].v = v;
		a[i].sh = sh;
		a[i].set = set;
		a[i].pipe_fd = pfd[1];
		a[i].idx = i;
		a[i].n = n;
		if (v->processes) {
			if ((pid[i] = fork()) == 0) {
				producer(&a[i]);
				_exit(0);
			}
		} else
			pthread_create(&t[i], NULL, producer, &a[i]);
	}
	for (i = 0; i < v->producers; i++) {
		if (v->processes) {
			if (reap(pid[i]) != 0)
				ok = 0;
		} else
			pthread_join(t[i], NULL);
	}
	if (v->kind == K_PIPE)
		close(pfd[1]);
	if (reap(cons) != 0)
		ok = 0;

	for (i = 0; i < v->producers; i++) {
		cpu += sh->cpu_ns[i];
		wall += sh->wall_ns[i];
	}
	v->cpu[round] = cpu / v->producers;
	v->wall[round] = wall / v->producers;
	v->dropped[round] = set != NULL ? trace_ring_dropped_total(set) : 0;
	v->consumed[round] = sh->consumed;
	if (sh->consumed + v->dropped[round] != n * v->producers ||
	    sh->corrupt != 0 || (!v->lossy && v->dropped[round] != 0))
		ok = 0;
	v->ok[round] = ok;

	shared_done(sh);
	if (mem != NULL)
		munmap(mem, size);
	if (efd >= 0)
		close(efd);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

struct stat3 {
	double	med, min, max;
};

static struct stat3
stats(const double *v, int n)
{
	double		s[BENCH_MAXR];
	struct stat3	st;

	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	st.min = s[0];
	st.max = s[n - 1];
	st.med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	return (st);
}

static struct variant *
find(const char *name)
{
	size_t	i;

	for (i = 0; i < NVARIANTS; i++) {
		if (strcmp(variants[i].name, name) == 0)
			return (&variants[i]);
	}
	abort();
}

static double
med_cpu(const char *name, int rounds)
{
	return (stats(find(name)->cpu, rounds).med);
}

#define MERGE_EVENTS	(1u << 20)
#define MERGE_WAVE	(1u << 16)
#define MERGE_BATCH	4096
static const unsigned	merge_widths[] = { 2, 8, 64, 256 };
#define NMERGE		(sizeof merge_widths / sizeof merge_widths[0])
static double		merge_rate[NMERGE][BENCH_MAXR];

/* The merge alone: w rings, one consumer. The rings are filled with
   MERGE_WAVE events (2 MB, as a live run's rings hold while the consumer
   keeps up), drained, and filled again until MERGE_EVENTS have passed;
   the figure is merged events per second of the consumer's CPU while
   draining, or -1 if any went missing. Row j of a wave gives every ring
   one event, in an order that changes per row (multiplying by an odd
   number permutes 0..w-1 for w a power of two), stamped in emit order:
   the worst case for the merge, which must switch rings at every event. */
static double
bench_merge(unsigned w)
{
	static struct trace_event	 buf[MERGE_BATCH];
	struct trace_producer		*p;
	struct trace_ring_set		*set;
	struct trace_consumer		*c;
	void				*mem;
	uint64_t			 base, c0, cpu = 0, total = 0, row = 0;
	unsigned			 per = MERGE_WAVE / w, cap = 2, j, q, k;
	unsigned			 wave;
	size_t				 size, n;

	while (cap < per)
		cap <<= 1;
	size = trace_ring_set_size(w, cap);
	mem = xmap(size);
	set = trace_ring_set_init(mem, size, w, cap, 0, -1);
	p = calloc(w, sizeof *p);
	if (set == NULL || p == NULL) {
		fprintf(stderr, "merge set-up failed\n");
		exit(1);
	}
	for (k = 0; k < w; k++)
		trace_producer_init(&p[k], set, k, (uint16_t)k);
	c = trace_consumer_create(set);
	base = trace_ring_now(set) - 4 * (uint64_t)MERGE_EVENTS;
	for (wave = 0; wave < MERGE_EVENTS / MERGE_WAVE; wave++) {
		for (j = 0; j < per; j++, row++) {
			for (q = 0; q < w; q++) {
				k = (q * 37 + (unsigned)row * 11) % w;
				trace_emit_at(&p[k], base + row * w + q,
				    TRACE_STEP, 0, (int64_t)row, 0);
			}
		}
		c0 = cpu_now();
		while ((n = trace_consumer_read(c, buf, MERGE_BATCH)) > 0)
			total += n;
		cpu += cpu_now() - c0;
	}
	trace_consumer_free(c);
	free(p);
	munmap(mem, size);
	if (total != (uint64_t)per * w * (MERGE_EVENTS / MERGE_WAVE))
		return (-1);
	return ((double)total / ((double)cpu / 1e9));
}

int
main(int argc, char **argv)
{
	struct shared	*sh;
	struct variant	*v;
	struct stat3	 c, w;
	uint64_t	 n = 1000000, dropped, consumed, lossless_dropped = 0;
	double		 clk, tsc, mono, over[BENCH_MAXR], overhead, ring1;
	double		 pipe_r, mutex_r, mutex2_r, two_t, two_p;
	double		 merge_med[NMERGE];
	const char	*clock_name;
	int		 json = 0, rounds = 5, r, i, all_ok = 1, j;
	size_t		 k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
			n = strtoull(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: %s [--json] [--rounds N] "
			    "[--events N]\n", argv[0]);
			return (2);
		}
	}
	if (rounds < 1 || rounds > BENCH_MAXR || n == 0) {
		fprintf(stderr, "%s: rounds 1..%d, events > 0\n", argv[0],
		    BENCH_MAXR);
		return (2);
	}

	sh = xmap(sizeof *sh);
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < NVARIANTS; k++) {
			/* the pipe is ~10x slower: fewer events suffice */
			run_variant(&variants[k], r, sh,
			    variants[k].kind == K_PIPE ? n / 8 : n);
		}
	}
	munmap(sh, sizeof *sh);
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < NMERGE; k++) {
			merge_rate[k][r] = bench_merge(merge_widths[k]);
			if (merge_rate[k][r] < 0)
				all_ok = 0;
		}
	}
	for (k = 0; k < NMERGE; k++)
		merge_med[k] = stats(merge_rate[k], rounds).med;

	clk = med_cpu("clock_gettime", rounds);
	tsc = med_cpu("tsc", rounds);
	mono = med_cpu("ring-1-mono", rounds);
	for (r = 0; r < rounds; r++)
		over[r] = find("ring-1")->cpu[r] - find("tsc")->cpu[r];
	overhead = stats(over, rounds).med;
	ring1 = med_cpu("ring-1", rounds);
	pipe_r = med_cpu("pipe-1", rounds) / ring1;
	mutex_r = med_cpu("mutex-1", rounds) / ring1;
	mutex2_r = med_cpu("mutex-2t", rounds) / med_cpu("ring-2t", rounds);
	two_t = med_cpu("ring-2t", rounds) / ring1;
	two_p = med_cpu("ring-2p", rounds) / ring1;
	clock_name = trace_clock_name(trace_clock_tsc_usable() ?
	    TRACE_CLOCK_TSC : TRACE_CLOCK_MONOTONIC);

	if (json) {
		printf("{\n  \"events_per_producer\": %llu,\n"
		    "  \"rounds\": %d,\n  \"clock\": \"%s\",\n"
		    "  \"clock_gettime_ns\": %.1f,\n  \"tsc_ns\": %.1f,\n"
		    "  \"metric\": \"producer thread "
		    "CPU ns per event, median over rounds\",\n"
		    "  \"variants\": {\n", (unsigned long long)n, rounds,
		    clock_name, clk, tsc);
	} else {
		printf("ring clock: %s; clock_gettime alone %.1f ns, rdtsc "
		    "alone %.1f ns, rdtscp %.1f ns; %llu events per producer, "
		    "%d rounds\n\n", clock_name, clk, tsc,
		    med_cpu("rdtscp", rounds), (unsigned long long)n, rounds);
		printf("%-14s %4s %-8s %22s %10s %10s %s\n", "variant", "prod",
		    "kind", "cpu ns/ev med [min-max]", "wall ns/ev", "dropped",
		    "check");
	}
	for (k = 0; k < NVARIANTS; k++) {
		v = &variants[k];
		c = stats(v->cpu, rounds);
		w = stats(v->wall, rounds);
		dropped = consumed = 0;
		for (j = 0; j < rounds; j++) {
			dropped += v->dropped[j];
			if (!v->lossy)
				lossless_dropped += v->dropped[j];
			consumed += v->consumed[j];
			all_ok &= v->ok[j];
		}
		if (json) {
			printf("    \"%s\": {\"producers\": %u, \"kind\": \"%s\","
			    " \"ns_per_event\": %.1f, \"ns_min\": %.1f, "
			    "\"ns_max\": %.1f, \"wall_ns_per_event\": %.1f, "
			    "\"dropped\": %llu, \"consumed\": %llu}%s\n",
			    v->name, v->producers, v->processes ? "processes" :
			    "threads", c.med, c.min, c.max, w.med,
			    (unsigned long long)dropped,
			    (unsigned long long)consumed,
			    k + 1 < NVARIANTS ? "," : "");
		} else {
			printf("%-14s %4u %-8s %8.1f [%5.1f-%6.1f] %10.1f "
			    "%10llu %s\n", v->name, v->producers,
			    v->processes ? "process" : "thread", c.med, c.min,
			    c.max, w.med, (unsigned long long)dropped,
			    all_ok ? "ok" : "FAILED");
		}
	}
	if (json) {
		printf("  },\n  \"merge_events_per_s\": {");
		for (k = 0; k < NMERGE; k++)
			printf("%s\"%u\": %.0f", k ? ", " : "",
			    merge_widths[k], merge_med[k]);
		printf("},\n  \"merge_64_over_2\": %.2f,\n"
		    "  \"ring_1_over_clock_gettime\": %.2f,\n"
		    "  \"ring_1_mono_ns_per_event\": %.1f,\n"
		    "  \"pipe_over_ring\": %.2f,\n"
		    "  \"mutex_over_ring\": %.2f,\n"
		    "  \"mutex_over_ring_2t\": %.2f,\n"
		    "  \"two_over_one\": %.2f,\n"
		    "  \"two_over_one_threads\": %.2f,\n"
		    "  \"two_over_one_processes\": %.2f,\n"
		    "  \"ring_1_ns_per_event\": %.1f,\n"
		    "  \"ring_1_over_clock_ns\": %.1f,\n"
		    "  \"lossless_dropped\": %llu,\n"
		    "  \"all_consumed\": %s\n}\n", merge_med[2] / merge_med[0],
		    ring1 / clk, mono, pipe_r, mutex_r, mutex2_r,
		    two_t > two_p ? two_t : two_p, two_t, two_p, ring1,
		    overhead,
		    (unsigned long long)lossless_dropped,
		    all_ok ? "true" : "false");
	} else {
		printf("\nring-1 %.1f ns/event = %.2fx the clock_gettime row "
		    "(target <= 1; %.1f above the clock it reads; stamped "
		    "with clock_gettime: %.1f)\n", ring1, ring1 / clk,
		    overhead, mono);
		printf("two_over_one %.2f threads / %.2f processes (target "
		    "<= 1.2), pipe_over_ring %.2f (target >= 8), "
		    "mutex_over_ring %.2f (2 threads: %.2f), lossless drops "
		    "%llu (target 0)\n", two_t, two_p, pipe_r, mutex_r,
		    mutex2_r, (unsigned long long)lossless_dropped);
		printf("merge, consumer CPU, %u events:", MERGE_EVENTS);
		for (k = 0; k < NMERGE; k++)
			printf(" %u rings %.1f M/s%s", merge_widths[k],
			    merge_med[k] / 1e6, k + 1 < NMERGE ? "," : "");
		printf("; 64 over 2: %.2f (target >= 0.7)\n",
		    merge_med[2] / merge_med[0]);
	}
	return (all_ok ? 0 : 1);
}
