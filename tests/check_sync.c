/*
 * tests/check_sync.c: the instrumented primitives (src/sync/).
 *
 * Each test maps a small shared region with a trace ring set and a few
 * sync objects, then drives real threads and forked processes through
 * them. Blocking is forced, never hoped for: the blocked party raises its
 * ctx->blocked word just before the real wait, and the test waits for that
 * word before releasing it. Assertions read the merged events back and
 * check honesty: no *_WAIT when the object was free, *_WAIT then
 * *_ACQUIRED when the worker had to block, and a release stamped before
 * the acquire it enabled.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "sync/chan.h"
#include "sync/sync.h"
#include "trace/ring.h"

#define NW	4		/* workers (rings) per harness */
#define MAXEV	200000

struct harness {
	void			*mem;
	size_t			 size;
	struct trace_ring_set	*rings;
	struct sync_obj		*objs;
	size_t			 nobjs;
	int64_t			*cells;
	uint32_t		*blocked;	/* NW words */
	uint8_t			*uses;		/* nobjs * NW */
	struct trace_event	*ev;		/* events read back */
	size_t			 nev;
};

static struct harness	 H;

static void
h_init(const struct trace_meta_object *mo, size_t n)
{
	size_t	ringsz, off, i, ncells = 0;
	int64_t	*cells;
	char	*cause = NULL;

	memset(&H, 0, sizeof H);
	for (i = 0; i < n; i++)
		ncells += sync_obj_cells(&mo[i], NW);
	ringsz = trace_ring_set_size(NW, 1 << 16);
	H.size = ringsz + 4096 + n * sizeof(struct sync_obj) +
	    (ncells + 1) * 8 + NW * 4 + n * NW + 4096;
	H.mem = mmap(NULL, H.size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(H.mem != MAP_FAILED);
	H.rings = trace_ring_set_init(H.mem, ringsz, NW, 1 << 16, 0, -1);
	ck_assert(H.rings != NULL);
	off = (ringsz + 63) & ~(size_t)63;
	H.objs = (struct sync_obj *)((char *)H.mem + off);
	off += n * sizeof(struct sync_obj);
	off = (off + 63) & ~(size_t)63;
	H.cells = (int64_t *)((char *)H.mem + off);
	off += (ncells + 1) * 8;
	H.blocked = (uint32_t *)((char *)H.mem + off);
	off += NW * 4;
	H.uses = (uint8_t *)H.mem + off;
	H.nobjs = n;
	cells = H.cells;
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sync_obj_init(&H.objs[i], &mo[i],
		    (uint16_t)i, n, cells, NW, &cause), 0);
		cells += sync_obj_cells(&mo[i], NW);
	}
	H.ev = calloc(MAXEV, sizeof *H.ev);
}

static void
h_done(void)
{
	free(H.ev);
	munmap(H.mem, H.size);
}

static void
h_ctx(struct sync_ctx *ctx, struct trace_producer *tp, uint16_t w,
    struct sync_proc *proc)
{
	memset(ctx, 0, sizeof *ctx);
	trace_producer_init(tp, H.rings, w, w);
	ctx->tp = tp;
	ctx->worker = w;
	ctx->blocked = &H.blocked[w];
	ctx->objs = H.objs;
	ctx->nobjs = H.nobjs;
	ctx->nworkers = NW;
	ctx->proc = proc;
}

/* Read every published event (producers have finished). */
static void
h_read(void)
{
	struct trace_consumer	*c = trace_consumer_create(H.rings);
	size_t			 n;

	H.nev = 0;
	while ((n = trace_consumer_read(c, H.ev + H.nev, MAXEV - H.nev)) > 0)
		H.nev += n;
	trace_consumer_free(c);
}

/* Wait until worker w sits in a real wait. */
static void
h_wait_blocked(uint16_t w)
{
	while (!__atomic_load_n(&H.blocked[w], __ATOMIC_ACQUIRE))
		sched_yield();
}

/* Index of the k-th event (0-based) of type by worker w, or -1. */
static int
h_find(uint16_t w, enum trace_type type, int k)
{
	size_t	i;

	for (i = 0; i < H.nev; i++) {
		if (H.ev[i].worker == w && H.ev[i].type == type && k-- == 0)
			return ((int)i);
	}
	return (-1);
}

static int
h_count(uint16_t w, enum trace_type type)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < H.nev; i++) {
		if ((w == TRACE_NO_WORKER || H.ev[i].worker == w) &&
		    H.ev[i].type == type)
			n++;
	}
	return (n);
}

static void
h_reap(pid_t pid, int want)
{
	int	status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), want);
}

static const struct trace_meta_object mutex_obj[] = {
	{ .name = (char *)"M", .kind = TRACE_OBJ_MUTEX },
};

START_TEST(test_mutex_uncontended)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	char			*cause = NULL;

	h_init(mutex_obj, 1);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert(sync_holds(&ctx, 0));
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	ck_assert(!sync_holds(&ctx, 0));
	/* Unlock of a lock not held: an error, no event. */
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	h_read();
	ck_assert_int_eq(H.nev, 2);
	ck_assert_int_eq(H.ev[0].type, TRACE_LOCK_ACQUIRED);
	ck_assert_int_eq(H.ev[1].type, TRACE_LOCK_RELEASE);
	ck_assert_int_eq(h_count(0, TRACE_LOCK_WAIT), 0);
	h_done();
}
END_TEST

/* A child process blocks on a mutex the parent holds. */
START_TEST(test_mutex_contended_process)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	char			*cause = NULL;
	pid_t			 pid;
	int			 wait1, rel0, acq1;

	h_init(mutex_obj, 1);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	if ((pid = fork()) == 0) {
		h_ctx(&ctx, &tp, 1, NULL);
		if (sync_lock(&ctx, 0, 0, &cause) != 0)
			_exit(1);
		if (sync_unlock(&ctx, 0, &cause) != 0)
			_exit(2);
		_exit(0);
	}
	h_wait_blocked(1);
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	h_reap(pid, 0);
	h_read();
	wait1 = h_find(1, TRACE_LOCK_WAIT, 0);
	rel0 = h_find(0, TRACE_LOCK_RELEASE, 0);
	acq1 = h_find(1, TRACE_LOCK_ACQUIRED, 0);
	ck_assert_int_ge(wait1, 0);
	ck_assert_int_gt(rel0, wait1);
	ck_assert_int_gt(acq1, rel0);
	ck_assert_int_eq(h_count(0, TRACE_LOCK_WAIT), 0);
	h_done();
}
END_TEST

/* A process killed while holding the mutex: the next locker is told. */
START_TEST(test_mutex_owner_died)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	char			*cause = NULL;
	pid_t			 pid;
	int			 status, died, acq;

	h_init(mutex_obj, 1);
	if ((pid = fork()) == 0) {
		h_ctx(&ctx, &tp, 2, NULL);
		if (sync_lock(&ctx, 0, 0, &cause) != 0)
			_exit(1);
		raise(SIGKILL);
		_exit(2);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	/* Consistent again: a plain lock / unlock works. */
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	h_read();
	died = h_find(0, TRACE_LOCK_OWNER_DIED, 0);
	acq = h_find(0, TRACE_LOCK_ACQUIRED, 0);
	ck_assert_int_ge(died, 0);
	ck_assert_int_eq(H.ev[died].a0, 2);
	ck_assert_int_gt(acq, died);
	ck_assert_int_eq(h_count(0, TRACE_LOCK_OWNER_DIED), 1);
	h_done();
}
END_TEST

/* A lock with a timeout gives up while another process holds it. */
START_TEST(test_mutex_timeout)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	char			*cause = NULL;
	pid_t			 pid;

	h_init(mutex_obj, 1);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	if ((pid = fork()) == 0) {
		h_ctx(&ctx, &tp, 1, NULL);
		_exit(sync_lock(&ctx, 0, 20000000, &cause) == 1 ? 0 : 1);
	}
	h_reap(pid, 0);
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	h_read();
	ck_assert_int_ge(h_find(1, TRACE_LOCK_WAIT, 0), 0);
	ck_assert_int_eq(H.ev[h_find(1, TRACE_LOCK_WAIT, 0)].a0, 20000000);
	ck_assert_int_ge(h_find(1, TRACE_LOCK_TIMEOUT, 0), 0);
	ck_assert_int_eq(h_count(1, TRACE_LOCK_ACQUIRED), 0);
	h_done();
}
END_TEST

static const struct trace_meta_object rlock_obj[] = {
	{ .name = (char *)"R", .kind = TRACE_OBJ_RLOCK },
};

START_TEST(test_rlock_depth)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	char			*cause = NULL;

	h_init(rlock_obj, 1);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	ck_assert(sync_holds(&ctx, 0));
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	ck_assert(!sync_holds(&ctx, 0));
	h_read();
	ck_assert_int_eq(H.nev, 4);
	ck_assert_int_eq(H.ev[0].a0, 1);
	ck_assert_int_eq(H.ev[1].type, TRACE_LOCK_ACQUIRED);
	ck_assert_int_eq(H.ev[1].a0, 2);
	ck_assert_int_eq(H.ev[2].type, TRACE_LOCK_RELEASE);
	ck_assert_int_eq(H.ev[2].a0, 1);
	ck_assert_int_eq(H.ev[3].a0, 0);
	ck_assert_int_eq(h_count(0, TRACE_LOCK_WAIT), 0);
	h_done();
}
END_TEST

static const struct trace_meta_object sem_obj[] = {
	{ .name = (char *)"S", .kind = TRACE_OBJ_SEMAPHORE, .capacity = 1 },
};

struct targ {
	uint16_t	 w;
	int		 op;
	int		 result;
	int64_t		 value;
	struct sync_proc *proc;
};

static void *
sem_thread(void *arg)
{
	struct targ		*t = arg;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	char			*cause = NULL;

	h_ctx(&ctx, &tp, t->w, NULL);
	t->result = sync_sem_acquire(&ctx, 0, 0, &cause);
	if (t->result == 0)
		t->result = sync_sem_release(&ctx, 0, &cause);
	return (NULL);
}

START_TEST(test_semaphore)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	struct targ		t = { .w = 1 };
	pthread_t		th;
	char			*cause = NULL;

	h_init(sem_obj, 1);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_sem_acquire(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_sem_value(&ctx, 0), 0);
	pthread_create(&th, NULL, sem_thread, &t);
	h_wait_blocked(1);
	ck_assert_int_eq(sync_sem_release(&ctx, 0, &cause), 0);
	pthread_join(th, NULL);
	ck_assert_int_eq(t.result, 0);
	/* Timed out while the slot is taken. */
	ck_assert_int_eq(sync_sem_acquire(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_sem_acquire(&ctx, 0, 10000000, &cause), 1);
	h_read();
	ck_assert_int_eq(h_count(0, TRACE_SEM_WAIT), 1);	/* the timed one */
	ck_assert_int_eq(h_count(0, TRACE_SEM_TIMEOUT), 1);
	ck_assert_int_ge(h_find(1, TRACE_SEM_WAIT, 0), 0);
	ck_assert_int_gt(h_find(0, TRACE_SEM_RELEASE, 0),
	    h_find(1, TRACE_SEM_WAIT, 0));
	ck_assert_int_gt(h_find(1, TRACE_SEM_ACQUIRED, 0),
	    h_find(0, TRACE_SEM_RELEASE, 0));
	ck_assert_int_eq(H.ev[h_find(0, TRACE_SEM_ACQUIRED, 0)].a0, 0);
	h_done();
}
END_TEST

static const struct trace_meta_object cond_objs[] = {
	{ .name = (char *)"L", .kind = TRACE_OBJ_MUTEX },
	{ .name = (char *)"C", .kind = TRACE_OBJ_CONDITION, .lock = 0 },
};

static void *
cond_thread(void *arg)
{
	struct targ		*t = arg;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	char			*cause = NULL;

	h_ctx(&ctx, &tp, t->w, NULL);
	if (sync_lock(&ctx, 0, 0, &cause) != 0)
		return (NULL);
	t->result = sync_cond_wait(&ctx, 1, 0, &cause);
	sync_unlock(&ctx, 0, &cause);
	return (NULL);
}

START_TEST(test_condition)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	struct targ		a = { .w = 1, .result = -2 };
	struct targ		b = { .w = 2, .result = -2 };
	pthread_t		ta, tb;
	char			*cause = NULL;
	int			i;

	h_init(cond_objs, 2);
	h_ctx(&ctx, &tp, 0, NULL);
	/* Without the lock: errors, as in Python. */
	ck_assert_int_eq(sync_cond_notify(&ctx, 1, 1, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(sync_cond_wait(&ctx, 1, 0, &cause), -1);
	free(cause);
	cause = NULL;

	/* A notify with nobody waiting is lost (a1 = 0). */
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_cond_notify(&ctx, 1, 1, &cause), 0);
	/* A timed wait nobody notifies. */
	ck_assert_int_eq(sync_cond_wait(&ctx, 1, 5000000, &cause), 1);
	ck_assert(sync_holds(&ctx, 0));
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);

	/* Two waiters, in order a then b; notify(1) wakes a only. */
	pthread_create(&ta, NULL, cond_thread, &a);
	h_wait_blocked(1);
	pthread_create(&tb, NULL, cond_thread, &b);
	h_wait_blocked(2);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_cond_notify(&ctx, 1, 1, &cause), 0);
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	pthread_join(ta, NULL);
	ck_assert_int_eq(a.result, 0);
	/* b is still waiting: only one was notified. */
	for (i = 0; i < 1000; i++)
		sched_yield();
	ck_assert_int_eq(b.result, -2);
	ck_assert_int_eq(__atomic_load_n(&H.blocked[2], __ATOMIC_ACQUIRE), 1);
	ck_assert_int_eq(sync_lock(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(sync_cond_notify(&ctx, 1, -1, &cause), 0);
	ck_assert_int_eq(sync_unlock(&ctx, 0, &cause), 0);
	pthread_join(tb, NULL);
	ck_assert_int_eq(b.result, 0);

	h_read();
	ck_assert_int_eq(h_count(0, TRACE_COND_NOTIFY), 3);
	ck_assert_int_eq(H.ev[h_find(0, TRACE_COND_NOTIFY, 0)].a1, 0);
	ck_assert_int_eq(H.ev[h_find(0, TRACE_COND_NOTIFY, 1)].a1, 2);
	ck_assert_int_eq(H.ev[h_find(0, TRACE_COND_NOTIFY, 1)].a0, 1);
	ck_assert_int_eq(H.ev[h_find(0, TRACE_COND_NOTIFY, 2)].a0, -1);
	ck_assert_int_eq(H.ev[h_find(0, TRACE_COND_NOTIFY, 2)].a1, 1);
	ck_assert_int_eq(H.ev[h_find(0, TRACE_COND_WOKEN, 0)].a0, 0);
	ck_assert_int_eq(H.ev[h_find(1, TRACE_COND_WOKEN, 0)].a0, 1);
	ck_assert_int_eq(H.ev[h_find(2, TRACE_COND_WOKEN, 0)].a0, 1);
	ck_assert_int_eq(H.ev[h_find(1, TRACE_COND_WAIT, 0)].a1, 0);
	/* a woke after the first real notify, b after the second. */
	ck_assert_int_gt(h_find(1, TRACE_COND_WOKEN, 0),
	    h_find(0, TRACE_COND_NOTIFY, 1));
	ck_assert_int_gt(h_find(2, TRACE_COND_WOKEN, 0),
	    h_find(0, TRACE_COND_NOTIFY, 2));
	h_done();
}
END_TEST

static const struct trace_meta_object barrier_obj[] = {
	{ .name = (char *)"B", .kind = TRACE_OBJ_BARRIER, .capacity = 3 },
};

START_TEST(test_barrier_processes)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	char			*cause = NULL;
	pid_t			 pid[2];
	uint64_t		 last_arrival = 0;
	size_t			 i;
	int			 k;

	h_init(barrier_obj, 1);
	for (k = 0; k < 2; k++) {
		if ((pid[k] = fork()) == 0) {
			h_ctx(&ctx, &tp, (uint16_t)(k + 1), NULL);
			_exit(sync_barrier_wait(&ctx, 0, &cause) == 0 ? 0 : 1);
		}
	}
	/* Nobody passes before the third arrives. */
	h_wait_blocked(1);
	h_wait_blocked(2);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_barrier_wait(&ctx, 0, &cause), 0);
	for (k = 0; k < 2; k++)
		h_reap(pid[k], 0);
	h_read();
	ck_assert_int_eq(h_count(TRACE_NO_WORKER, TRACE_BARRIER_WAIT), 3);
	ck_assert_int_eq(h_count(TRACE_NO_WORKER, TRACE_BARRIER_PASS), 3);
	for (i = 0; i < H.nev; i++) {
		if (H.ev[i].type == TRACE_BARRIER_WAIT &&
		    H.ev[i].time > last_arrival)
			last_arrival = H.ev[i].time;
	}
	for (i = 0; i < H.nev; i++) {
		if (H.ev[i].type == TRACE_BARRIER_PASS)
			ck_assert_uint_ge(H.ev[i].time, last_arrival);
	}
	ck_assert_int_eq(H.ev[h_find(0, TRACE_BARRIER_WAIT, 0)].a0, 3);
	h_done();
}
END_TEST

static const struct trace_meta_object queue_obj[] = {
	{ .name = (char *)"Q", .kind = TRACE_OBJ_QUEUE, .capacity = 1 },
};

static void *
queue_thread(void *arg)
{
	struct targ		*t = arg;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	char			*cause = NULL;

	h_ctx(&ctx, &tp, t->w, NULL);
	if (t->op == 0)
		t->result = sync_queue_ops.put(&ctx, 0, t->value, 0, &cause);
	else
		t->result = sync_queue_ops.get(&ctx, 0, &t->value, &cause);
	return (NULL);
}

START_TEST(test_queue)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	struct targ		p = { .w = 1, .op = 0, .value = 2 };
	struct targ		g = { .w = 2, .op = 1 };
	pthread_t		th;
	char			*cause = NULL;
	int64_t			v;

	h_init(queue_obj, 1);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_queue_ops.put(&ctx, 0, 1, 0, &cause), 0);
	ck_assert_int_eq(sync_queue_ops.len(&ctx, 0), 1);
	/* Full: the second put blocks until a get. */
	pthread_create(&th, NULL, queue_thread, &p);
	h_wait_blocked(1);
	ck_assert_int_eq(sync_queue_ops.get(&ctx, 0, &v, &cause), 0);
	ck_assert_int_eq(v, 1);
	pthread_join(th, NULL);
	ck_assert_int_eq(p.result, 0);
	ck_assert_int_eq(sync_queue_ops.get(&ctx, 0, &v, &cause), 0);
	ck_assert_int_eq(v, 2);
	/* Empty: a get blocks until a put. */
	pthread_create(&th, NULL, queue_thread, &g);
	h_wait_blocked(2);
	ck_assert_int_eq(sync_queue_ops.put(&ctx, 0, 3, 0, &cause), 0);
	pthread_join(th, NULL);
	ck_assert_int_eq(g.result, 0);
	ck_assert_int_eq(g.value, 3);
	/* Closed and empty: end-of-file. */
	ck_assert_int_eq(sync_queue_ops.close(&ctx, 0, &cause), 0);
	ck_assert_int_eq(sync_queue_ops.get(&ctx, 0, &v, &cause), 1);

	h_read();
	ck_assert_int_eq(h_count(0, TRACE_CHAN_PUT_WAIT), 0);
	ck_assert_int_eq(h_count(0, TRACE_CHAN_GET_WAIT), 0);
	ck_assert_int_eq(h_count(1, TRACE_CHAN_PUT_WAIT), 1);
	ck_assert_int_eq(h_count(2, TRACE_CHAN_GET_WAIT), 1);
	/* The get that freed the slot precedes the put that used it. */
	ck_assert_int_gt(h_find(1, TRACE_CHAN_PUT, 0),
	    h_find(0, TRACE_CHAN_GET, 0));
	ck_assert_int_gt(h_find(2, TRACE_CHAN_GET, 0),
	    h_find(0, TRACE_CHAN_PUT, 1));
	ck_assert_int_eq(h_count(0, TRACE_CHAN_EOF), 1);
	h_done();
}
END_TEST

static const struct trace_meta_object pipe_obj[] = {
	{ .name = (char *)"P", .kind = TRACE_OBJ_PIPE },
};

/* A one-way pipe between processes: recv blocks honestly, then EOF after
   the only sender closes. */
START_TEST(test_pipe_eof)
{
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	struct sync_proc	*proc;
	struct sync_setup	 env;
	uint8_t			 member[NW] = { 0 };
	char			*cause = NULL;
	int64_t			 v;
	pid_t			 pid;
	int			 fds_before;

	fds_before = lib_count_entries("/proc/self/fd", NULL);
	h_init(pipe_obj, 1);
	H.uses[0 * NW + 0] = SYNC_USE_SEND | SYNC_USE_OTHER;
	H.uses[0 * NW + 1] = SYNC_USE_RECV;
	H.objs[0].first_user = 0;
	memset(&env, 0, sizeof env);
	ck_assert_int_eq(sync_pipe_ops.setup(&H.objs[0], &pipe_obj[0], &env,
	    &cause), 0);
	if ((pid = fork()) == 0) {
		member[1] = 1;
		proc = sync_proc_create(H.objs, 1, NW, H.uses, member);
		h_ctx(&ctx, &tp, 1, proc);
		if (sync_pipe_ops.get(&ctx, 0, &v, &cause) != 0 || v != 7)
			_exit(1);
		if (sync_pipe_ops.get(&ctx, 0, &v, &cause) != 0 || v != 8)
			_exit(2);
		if (sync_pipe_ops.get(&ctx, 0, &v, &cause) != 1)
			_exit(3);
		_exit(0);
	}
	member[0] = 1;
	proc = sync_proc_create(H.objs, 1, NW, H.uses, member);
	h_ctx(&ctx, &tp, 0, proc);
	h_wait_blocked(1);
	ck_assert_int_eq(sync_pipe_ops.put(&ctx, 0, 7, 0, &cause), 0);
	ck_assert_int_eq(sync_pipe_ops.put(&ctx, 0, 8, 0, &cause), 0);
	ck_assert_int_eq(sync_pipe_ops.close(&ctx, 0, &cause), 0);
	/* Sending after close is an error. */
	ck_assert_int_eq(sync_pipe_ops.put(&ctx, 0, 9, 0, &cause), -1);
	free(cause);
	h_reap(pid, 0);
	sync_proc_free(proc);
	ck_assert_int_eq(lib_count_entries("/proc/self/fd", NULL), fds_before);
	h_read();
	ck_assert_int_ge(h_find(1, TRACE_CHAN_GET_WAIT, 0), 0);
	ck_assert_int_gt(h_find(0, TRACE_CHAN_PUT, 0),
	    h_find(1, TRACE_CHAN_GET_WAIT, 0));
	ck_assert_int_gt(h_find(1, TRACE_CHAN_GET, 0),
	    h_find(0, TRACE_CHAN_PUT, 0));
	ck_assert_int_eq(H.ev[h_find(1, TRACE_CHAN_GET, 1)].a0, 8);
	ck_assert_int_gt(h_find(1, TRACE_CHAN_EOF, 0),
	    h_find(0, TRACE_CHAN_CLOSE, 0));
	h_done();
}
END_TEST

/* A duplex pipe: each end sends to the other. */
START_TEST(test_pipe_duplex)
{
	static const struct trace_meta_object dp[] = {
		{ .name = (char *)"D", .kind = TRACE_OBJ_PIPE,
		  .flags = TRACE_OBJF_DUPLEX },
	};
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	struct sync_proc	*proc;
	struct sync_setup	 env;
	uint8_t			 member[NW] = { 0 };
	char			*cause = NULL;
	int64_t			 v;
	pid_t			 pid;

	h_init(dp, 1);
	H.uses[0] = SYNC_USE_SEND | SYNC_USE_RECV;
	H.uses[1] = SYNC_USE_SEND | SYNC_USE_RECV;
	H.objs[0].first_user = 0;
	memset(&env, 0, sizeof env);
	ck_assert_int_eq(sync_pipe_ops.setup(&H.objs[0], &dp[0], &env,
	    &cause), 0);
	if ((pid = fork()) == 0) {
		member[1] = 1;
		proc = sync_proc_create(H.objs, 1, NW, H.uses, member);
		h_ctx(&ctx, &tp, 1, proc);
		if (sync_pipe_ops.get(&ctx, 0, &v, &cause) != 0)
			_exit(1);
		if (sync_pipe_ops.put(&ctx, 0, v * 10, 0, &cause) != 0)
			_exit(2);
		_exit(0);
	}
	member[0] = 1;
	proc = sync_proc_create(H.objs, 1, NW, H.uses, member);
	h_ctx(&ctx, &tp, 0, proc);
	ck_assert_int_eq(sync_pipe_ops.put(&ctx, 0, 4, 0, &cause), 0);
	ck_assert_int_eq(sync_pipe_ops.get(&ctx, 0, &v, &cause), 0);
	ck_assert_int_eq(v, 40);
	h_reap(pid, 0);
	/* The other end is gone: end-of-file. */
	ck_assert_int_eq(sync_pipe_ops.get(&ctx, 0, &v, &cause), 1);
	sync_proc_free(proc);
	h_done();
}
END_TEST

static const struct trace_meta_object shared_objs[] = {
	{ .name = (char *)"x", .kind = TRACE_OBJ_SHARED, .initial = 5 },
	{ .name = (char *)"l", .kind = TRACE_OBJ_LOCAL, .initial = 3 },
};

START_TEST(test_shared_atomic_processes)
{
	struct sync_ctx		ctx;
	struct trace_producer	tp;
	pid_t			pid[2];
	int			k, i;

	h_init(shared_objs, 2);
	for (k = 0; k < 2; k++) {
		if ((pid[k] = fork()) == 0) {
			h_ctx(&ctx, &tp, (uint16_t)(k + 1), NULL);
			for (i = 0; i < 20000; i++)
				sync_shared_add(&ctx, 0, 0, 1);
			_exit(0);
		}
	}
	for (k = 0; k < 2; k++)
		h_reap(pid[k], 0);
	ck_assert_int_eq(H.objs[0].value, 40005);
	h_ctx(&ctx, &tp, 0, NULL);
	ck_assert_int_eq(sync_shared_load(&ctx, 0, 0), 40005);
	sync_shared_store(&ctx, 0, 0, 1);
	ck_assert_int_eq(H.objs[0].value, 1);
	/* Thread-locals: one cell per worker. */
	ck_assert_int_eq(*sync_cell(&ctx, 1, 0), 3);
	sync_shared_store(&ctx, 1, 0, 9);
	ck_assert_int_eq(H.cells[0], 9);
	ck_assert_int_eq(H.cells[1], 3);
	h_read();
	ck_assert_int_eq(h_count(TRACE_NO_WORKER, TRACE_SHARED_ADD), 40000);
	ck_assert_int_eq(h_count(0, TRACE_SHARED_LOAD), 1);
	ck_assert_int_eq(h_count(0, TRACE_SHARED_STORE), 1);
	ck_assert_int_eq(h_count(0, TRACE_LOCAL_SET), 1);
	h_done();
}
END_TEST

static Suite *
suite_sync(void)
{
	Suite	*s = suite_create("sync");
	TCase	*tc = tcase_create("primitives");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_mutex_uncontended);
	tcase_add_test(tc, test_mutex_contended_process);
	tcase_add_test(tc, test_mutex_owner_died);
	tcase_add_test(tc, test_mutex_timeout);
	tcase_add_test(tc, test_rlock_depth);
	tcase_add_test(tc, test_semaphore);
	tcase_add_test(tc, test_condition);
	tcase_add_test(tc, test_barrier_processes);
	tcase_add_test(tc, test_queue);
	tcase_add_test(tc, test_pipe_eof);
	tcase_add_test(tc, test_pipe_duplex);
	tcase_add_test(tc, test_shared_atomic_processes);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_sync()));
}
