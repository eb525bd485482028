/*
 * preload/interpose.c: the LD_PRELOAD library of `lockstep trace`.
 *
 * Loaded into a real C program, it wraps the pthread, semaphore, fork and
 * pipe/socket calls a teaching program uses and turns each into the trace
 * events a scenario worker emits (trace/event.h), written into the rings
 * of the shared memory `lockstep trace` created (preload/shm.h). Every
 * wrapped call is first a gate: it emits TRACE_STEP naming its call site
 * (the front end turns the site into file:line) and, when the front end
 * has paused the run, waits for a step credit.
 *
 * Blocking is reported honestly, as src/sync does: try first (trylock,
 * trywait, a zero-timeout poll), emit the "waiting" event only if that
 * fails, then block for real. Releases are stamped before the real
 * unlock / post / write, acquisitions after the real call returns.
 *
 * The real functions come from dlsym(RTLD_NEXT) (dlvsym for the condition
 * calls, whose unversioned lookup finds glibc's old ABI). A thread-local
 * guard makes every wrapper a plain pass-through while the library itself
 * is working (the ring's eventfd write, dladdr), and everything passes
 * through when LOCKSTEP_TRACE_FD is not set or does not name our memory.
 * Only the wrapped libc names are exported (-fvisibility=hidden).
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include "preload/shm.h"
#include "trace/meta.h"
#include "trace/ring.h"

#define EXPORT	__attribute__((visibility("default")))
#define CALLER	((uintptr_t)__builtin_return_address(0))

#define PRELOAD_KEY_NAME	(1ULL << 62)	/* named semaphore */
#define PRELOAD_KEY_FILE	(1ULL << 61)	/* pipe inode */
#define PRELOAD_KEY_SOCK	(3ULL << 60)	/* socket address */
#define PRELOAD_KEY_MQ		(1ULL << 60)	/* message queue inode */

static struct preload_shm	*shm;
static struct trace_ring_set	*rings;
static int			 trace_fd = -1;

static __thread int			 tl_worker = -1;
static __thread int			 tl_guard;
static __thread struct trace_producer	 tl_prod;

/* The real functions. */
static int	(*real_mutex_lock)(pthread_mutex_t *);
static int	(*real_mutex_trylock)(pthread_mutex_t *);
static int	(*real_mutex_timedlock)(pthread_mutex_t *,
		    const struct timespec *);
static int	(*real_mutex_unlock)(pthread_mutex_t *);
static int	(*real_rw_rdlock)(pthread_rwlock_t *);
static int	(*real_rw_wrlock)(pthread_rwlock_t *);
static int	(*real_rw_tryrdlock)(pthread_rwlock_t *);
static int	(*real_rw_trywrlock)(pthread_rwlock_t *);
static int	(*real_rw_unlock)(pthread_rwlock_t *);
static int	(*real_cond_wait)(pthread_cond_t *, pthread_mutex_t *);
static int	(*real_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *,
		    const struct timespec *);
static int	(*real_cond_signal)(pthread_cond_t *);
static int	(*real_cond_broadcast)(pthread_cond_t *);
static int	(*real_barrier_init)(pthread_barrier_t *,
		    const pthread_barrierattr_t *, unsigned);
static int	(*real_barrier_wait)(pthread_barrier_t *);
static int	(*real_create)(pthread_t *, const pthread_attr_t *,
		    void *(*)(void *), void *);
static int	(*real_join)(pthread_t, void **);
static int	(*real_detach)(pthread_t);
static void	(*real_pthread_exit)(void *) __attribute__((noreturn));
static int	(*real_sem_init)(sem_t *, int, unsigned);
static sem_t	*(*real_sem_open)(const char *, int, ...);
static int	(*real_sem_wait)(sem_t *);
static int	(*real_sem_trywait)(sem_t *);
static int	(*real_sem_timedwait)(sem_t *, const struct timespec *);
static int	(*real_sem_post)(sem_t *);
static pid_t	(*real_fork)(void);
static pid_t	(*real_waitpid)(pid_t, int *, int);
static void	(*real_exit)(int) __attribute__((noreturn));
static ssize_t	(*real_read)(int, void *, size_t);
static ssize_t	(*real_write)(int, const void *, size_t);
static ssize_t	(*real_recv)(int, void *, size_t, int);
static ssize_t	(*real_send)(int, const void *, size_t, int);
static int	(*real_accept)(int, struct sockaddr *, socklen_t *);
static int	(*real_connect)(int, const struct sockaddr *, socklen_t);
static int	(*real_close)(int);
static int	(*real_pipe)(int *);
static int	(*real_socketpair)(int, int, int, int *);
static int	(*real_nanosleep)(const struct timespec *, struct timespec *);
static int	(*real_usleep)(useconds_t);
static unsigned	(*real_sleep)(unsigned);
static int	(*real_sched_yield)(void);
static int	(*real_spin_lock)(pthread_spinlock_t *);
static int	(*real_spin_trylock)(pthread_spinlock_t *);
static int	(*real_spin_unlock)(pthread_spinlock_t *);

static void *
preload_sym(const char *name, const char *version)
{
	void	*p = NULL;

	if (version != NULL)
		p = dlvsym(RTLD_NEXT, name, version);
	if (p == NULL)
		p = dlsym(RTLD_NEXT, name);
	if (p == NULL) {
		fprintf(stderr, "lockstep-preload: %s not found\n", name);
		abort();
	}
	return (p);
}

#define RESOLVE(var, name)	(var) = preload_sym(name, NULL)

static void
preload_resolve(void)
{
	RESOLVE(real_mutex_lock, "pthread_mutex_lock");
	RESOLVE(real_mutex_trylock, "pthread_mutex_trylock");
	RESOLVE(real_mutex_timedlock, "pthread_mutex_timedlock");
	RESOLVE(real_mutex_unlock, "pthread_mutex_unlock");
	RESOLVE(real_rw_rdlock, "pthread_rwlock_rdlock");
	RESOLVE(real_rw_wrlock, "pthread_rwlock_wrlock");
	RESOLVE(real_rw_tryrdlock, "pthread_rwlock_tryrdlock");
	RESOLVE(real_rw_trywrlock, "pthread_rwlock_trywrlock");
	RESOLVE(real_rw_unlock, "pthread_rwlock_unlock");
	real_cond_wait = preload_sym("pthread_cond_wait", "GLIBC_2.3.2");
	real_cond_timedwait = preload_sym("pthread_cond_timedwait",
	    "GLIBC_2.3.2");
	real_cond_signal = preload_sym("pthread_cond_signal", "GLIBC_2.3.2");
	real_cond_broadcast = preload_sym("pthread_cond_broadcast",
	    "GLIBC_2.3.2");
	RESOLVE(real_barrier_init, "pthread_barrier_init");
	RESOLVE(real_barrier_wait, "pthread_barrier_wait");
	RESOLVE(real_create, "pthread_create");
	RESOLVE(real_join, "pthread_join");
	RESOLVE(real_detach, "pthread_detach");
	RESOLVE(real_pthread_exit, "pthread_exit");
	RESOLVE(real_sem_init, "sem_init");
	RESOLVE(real_sem_open, "sem_open");
	RESOLVE(real_sem_wait, "sem_wait");
	RESOLVE(real_sem_trywait, "sem_trywait");
	RESOLVE(real_sem_timedwait, "sem_timedwait");
	RESOLVE(real_sem_post, "sem_post");
	RESOLVE(real_fork, "fork");
	RESOLVE(real_waitpid, "waitpid");
	RESOLVE(real_exit, "exit");
	RESOLVE(real_read, "read");
	RESOLVE(real_write, "write");
	RESOLVE(real_recv, "recv");
	RESOLVE(real_send, "send");
	RESOLVE(real_accept, "accept");
	RESOLVE(real_connect, "connect");
	RESOLVE(real_close, "close");
	RESOLVE(real_pipe, "pipe");
	RESOLVE(real_socketpair, "socketpair");
	RESOLVE(real_nanosleep, "nanosleep");
	RESOLVE(real_usleep, "usleep");
	RESOLVE(real_sleep, "sleep");
	RESOLVE(real_sched_yield, "sched_yield");
	RESOLVE(real_spin_lock, "pthread_spin_lock");
	RESOLVE(real_spin_trylock, "pthread_spin_trylock");
	RESOLVE(real_spin_unlock, "pthread_spin_unlock");
}

/* Whether this call is traced: our memory is mapped, the thread is a
   worker, and the library is not already inside a wrapper. */
static int
preload_on(void)
{
	if (__builtin_expect(real_socketpair == NULL, 0))
		preload_resolve();	/* called before our constructor */
	return (shm != NULL && tl_worker >= 0 && tl_guard == 0);
}

static struct preload_worker *
preload_me(void)
{
	return (&shm->workers[tl_worker]);
}

static void
preload_emit(enum trace_type type, uint16_t object, int64_t a0, int32_t a1)
{
	trace_emit(&tl_prod, type, object, a0, a1);
}

/* Emit on this thread's ring an event that speaks for worker w (a child
   the runtime saw end, a thread killed by the process's exit). */
static void
preload_emit_for(uint16_t w, enum trace_type type, int64_t a0)
{
	uint16_t	self = tl_prod.worker;

	/* The same producer (its ring position and sequence are private
	   state: a copy would publish into a slot the next event reuses),
	   speaking for w for one event. */
	tl_prod.worker = w;
	trace_emit(&tl_prod, type, TRACE_NO_OBJECT, a0, 0);
	tl_prod.worker = self;
}

static long
preload_futex(uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
	return (syscall(SYS_futex, word, op, val, ts, NULL, 0));
}

/* Module of an address: its path and the address relative to it (what
   addr2line and the symbol table speak). 0 when it is in no module. */
static int
preload_module(uintptr_t addr, char *file, uint64_t *rel)
{
	Dl_info	info;

	if (dladdr((void *)addr, &info) == 0 || info.dli_fname == NULL) {
		file[0] = '\0';
		*rel = addr;
		return (0);
	}
	snprintf(file, PRELOAD_PATH_MAX, "%s", info.dli_fname);
	*rel = addr - (uintptr_t)info.dli_fbase;
	return (1);
}

/* Index of the call site pc (open addressing on the pc). */
static uint32_t
preload_site(uintptr_t pc)
{
	struct preload_site	*s;
	uint64_t		 expect;
	uint32_t		 i, n;

	i = (uint32_t)((pc * 0x9e3779b97f4a7c15ULL) >> 52) &
	    (PRELOAD_MAX_SITES - 1);
	for (n = 0; n < PRELOAD_MAX_SITES; n++) {
		s = &shm->sites[i];
		expect = 0;
		if (atomic_load_explicit((_Atomic uint64_t *)&s->pc,
		    memory_order_acquire) == pc) {
			while (!atomic_load_explicit((_Atomic uint32_t *)
			    &s->ready, memory_order_acquire))
				sched_yield();
			return (i);
		}
		if (atomic_compare_exchange_strong((_Atomic uint64_t *)
		    &s->pc, &expect, (uint64_t)pc)) {
			preload_module(pc - 1, s->file, &s->rel);
			atomic_store_explicit((_Atomic uint32_t *)&s->ready, 1,
			    memory_order_release);
			return (i);
		}
		if (expect == pc)
			continue;	/* re-read: now ours */
		i = (i + 1) & (PRELOAD_MAX_SITES - 1);
	}
	return (0);
}

/* Run mode at a tempo: the live view's slow motion. */
static void
preload_tempo(void)
{
	struct timespec	ts;
	int32_t		ms;

	ms = atomic_load((_Atomic int32_t *)&shm->hdr.tempo_ms);
	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	real_nanosleep(&ts, NULL);
}

/* The gate every wrapped call passes: announce the call site, then, when
   the run is paused, wait for a step credit. */
static void
preload_gate(uintptr_t pc)
{
	struct preload_worker	*w = preload_me();
	struct timespec		 ts = { 0, 100 * 1000 * 1000 };
	uint32_t		 g;

	preload_emit(TRACE_STEP, TRACE_NO_OBJECT, pc != 0 ?
	    (int64_t)preload_site(pc) :
	    -1, 0);
	for (;;) {
		g = atomic_load((_Atomic uint32_t *)&w->gate);
		if (g > 0) {
			/* Leave the gate before taking the credit: the front
			   end takes "at the gate with no credit" for "settled
			   here", and would step someone else while this
			   worker is already running on. */
			atomic_store((_Atomic uint32_t *)&w->at_gate, 0);
			if (atomic_compare_exchange_weak((_Atomic uint32_t *)
			    &w->gate, &g, g - 1))
				break;
			continue;
		}
		if (atomic_load((_Atomic uint32_t *)&shm->hdr.mode) ==
		    PRELOAD_RUN) {
			preload_tempo();
			break;
		}
		atomic_store((_Atomic uint32_t *)&w->at_gate, 1);
		preload_futex(&w->gate, FUTEX_WAIT, 0, &ts);
	}
	atomic_store((_Atomic uint32_t *)&w->at_gate, 0);
}

static void
preload_blocked(int on)
{
	atomic_store((_Atomic uint32_t *)&preload_me()->blocked, (uint32_t)on);
}

/* Claim a worker entry (kind, parent); -1 when the table is full. */
static int
preload_claim_worker(enum preload_wkind kind, int parent, uintptr_t start)
{
	struct preload_worker	*w;
	uint32_t		 i;

	i = atomic_fetch_add((_Atomic uint32_t *)&shm->hdr.nworkers, 1);
	if (i >= PRELOAD_MAX_WORKERS) {
		atomic_fetch_add((_Atomic uint32_t *)&shm->hdr.overflow, 1);
		return (-1);
	}
	w = &shm->workers[i];
	w->kind = kind;
	w->pid = getpid();
	w->parent = parent >= 0 ? (uint16_t)parent : TRACE_NO_WORKER;
	if (start != 0)
		preload_module(start, w->file, &w->start_rel);
	atomic_store_explicit((_Atomic uint32_t *)&w->ready, 1,
	    memory_order_release);
	return ((int)i);
}

/* Make this thread worker w: bind its ring, announce its start. */
static void
preload_become(int w, int is_thread)
{
	tl_worker = w;
	trace_producer_init(&tl_prod, rings, (unsigned)w, (uint16_t)w);
	shm->workers[w].pid = getpid();
	shm->workers[w].thread = (uint64_t)pthread_self();
	atomic_store((_Atomic uint32_t *)&shm->workers[w].started, 1);
	preload_emit(TRACE_WORKER_START, TRACE_NO_OBJECT, getpid(),
	    is_thread);
}

static void
preload_end(int w, int64_t status)
{
	if (atomic_exchange((_Atomic uint32_t *)&shm->workers[w].ended, 1))
		return;
	if (w == tl_worker)
		preload_emit(TRACE_WORKER_END, TRACE_NO_OBJECT, status, 0);
	else
		preload_emit_for((uint16_t)w, TRACE_WORKER_END, status);
}

/* Object index for key (claiming and filling an entry the first time):
   TRACE_NO_OBJECT when the table is full. */
static uint16_t
preload_object(uint64_t key, enum trace_obj_kind kind, uintptr_t addr,
    uintptr_t pc, int64_t capacity, uint32_t flags, const char *name)
{
	struct preload_bucket	*b;
	struct preload_object	*o;
	uint64_t		 expect;
	uint32_t		 i, n, idx;

	i = (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 52) &
	    (PRELOAD_HASH - 1);
	for (n = 0; n < PRELOAD_HASH; n++) {
		b = &shm->buckets[i];
		expect = atomic_load((_Atomic uint64_t *)&b->key);
		if (expect == 0 && atomic_compare_exchange_strong(
		    (_Atomic uint64_t *)&b->key, &expect, key))
			break;			/* ours to fill */
		if (expect == key) {
			while ((idx = atomic_load((_Atomic uint32_t *)
			    &b->index)) == 0)
				sched_yield();
			return (idx == UINT32_MAX ? TRACE_NO_OBJECT :
			    (uint16_t)(idx - 1));
		}
		i = (i + 1) & (PRELOAD_HASH - 1);
	}
	if (n == PRELOAD_HASH)
		return (TRACE_NO_OBJECT);

	idx = atomic_fetch_add((_Atomic uint32_t *)&shm->hdr.nobjects, 1);
	if (idx >= PRELOAD_MAX_OBJECTS) {
		atomic_fetch_add((_Atomic uint32_t *)&shm->hdr.overflow, 1);
		atomic_store((_Atomic uint32_t *)&b->index, UINT32_MAX);
		return (TRACE_NO_OBJECT);
	}
	o = &shm->objects[idx];
	o->kind = kind;
	o->addr = addr;
	o->capacity = capacity;
	o->flags = flags;
	o->site = pc != 0 ? preload_site(pc) : 0;
	if (addr != 0 && !preload_module(addr, o->file, &o->rel))
		o->flags |= PRELOAD_OBJF_HEAP;
	if (name != NULL)
		snprintf(o->name, sizeof o->name, "%s", name);
	atomic_store_explicit((_Atomic uint32_t *)&o->ready, 1,
	    memory_order_release);
	atomic_store((_Atomic uint32_t *)&b->index, idx + 1);
	return ((uint16_t)idx);
}

/* Point an extra key (a named semaphore's address) at object o. */
static void
preload_alias(uint64_t key, uint16_t o)
{
	struct preload_bucket	*b;
	uint64_t		 expect;
	uint32_t		 i, n;

	i = (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 52) &
	    (PRELOAD_HASH - 1);
	for (n = 0; n < PRELOAD_HASH; n++) {
		b = &shm->buckets[i];
		expect = 0;
		if (atomic_compare_exchange_strong((_Atomic uint64_t *)&b->key,
		    &expect, key) || expect == key) {
			atomic_store((_Atomic uint32_t *)&b->index,
			    (uint32_t)o + 1);
			return;
		}
		i = (i + 1) & (PRELOAD_HASH - 1);
	}
}

static struct preload_object *
preload_obj(uint16_t o)
{
	return (&shm->objects[o]);
}

/* The glibc mutex kind (recursive, robust) from its public layout. */
static uint32_t
preload_mutex_flags(const pthread_mutex_t *m)
{
	uint32_t	flags = 0;
#ifdef __GLIBC__
	int		kind = m->__data.__kind;

	if ((kind & 3) == PTHREAD_MUTEX_RECURSIVE)
		flags |= PRELOAD_OBJF_RECURSIVE;
	if (kind & 16)
		flags |= PRELOAD_OBJF_ROBUST;
#else
	(void)m;
#endif
	return (flags);
}

static int
preload_mutex_errorcheck(const pthread_mutex_t *m)
{
#ifdef __GLIBC__
	return ((m->__data.__kind & 3) == PTHREAD_MUTEX_ERRORCHECK);
#else
	(void)m;
	return (0);
#endif
}

static uint16_t
preload_mutex(pthread_mutex_t *m, uintptr_t pc)
{
	uint32_t	flags = preload_mutex_flags(m);

	return (preload_object((uint64_t)(uintptr_t)m, flags &
	    PRELOAD_OBJF_RECURSIVE ? TRACE_OBJ_RLOCK : TRACE_OBJ_MUTEX,
	    (uintptr_t)m, pc, 0, flags, NULL));
}

/* After the real lock returned r: record the owner, emit the event. */
static void
preload_locked(uint16_t o, int r)
{
	struct preload_object	*obj = preload_obj(o);
	uint32_t		 me = (uint32_t)tl_worker + 1, dead;

	if (r == EOWNERDEAD) {
		dead = obj->owner;
		obj->owner = me;
		obj->depth = 1;
		preload_emit(TRACE_LOCK_OWNER_DIED, o, dead != 0 ?
		    (int64_t)dead - 1 : TRACE_NO_WORKER, 0);
		return;
	}
	if (r != 0)
		return;
	if (obj->owner == me)
		obj->depth++;
	else {
		obj->owner = me;
		obj->depth = 1;
	}
	preload_emit(TRACE_LOCK_ACQUIRED, o, obj->depth, 0);
}

/* Nanoseconds from now until abstime (CLOCK_REALTIME), at least 1. */
static int64_t
preload_timeout(const struct timespec *abstime)
{
	struct timespec	now;
	int64_t		ns;

	if (abstime == NULL)
		return (1);
	clock_gettime(CLOCK_REALTIME, &now);
	ns = (int64_t)(abstime->tv_sec - now.tv_sec) * 1000000000 +
	    (abstime->tv_nsec - now.tv_nsec);
	return (ns > 0 ? ns : 1);
}

static int
preload_mutex_acquire(pthread_mutex_t *m, const struct timespec *abstime,
    uintptr_t pc)
{
	uint16_t	o;
	int		r;

	tl_guard++;
	o = preload_mutex(m, pc);
	preload_gate(pc);
	r = real_mutex_trylock(m);
	if (r == EBUSY && o != TRACE_NO_OBJECT && preload_mutex_errorcheck(m)
	    && preload_obj(o)->owner == (uint32_t)tl_worker + 1) {
		tl_guard--;
		return (EDEADLK);
	}
	if (r == EBUSY) {
		preload_emit(TRACE_LOCK_WAIT, o, abstime != NULL ?
		    preload_timeout(abstime) : 0, 0);
		preload_blocked(1);
		r = abstime != NULL ? real_mutex_timedlock(m, abstime) :
		    real_mutex_lock(m);
		preload_blocked(0);
		if (r == ETIMEDOUT)
			preload_emit(TRACE_LOCK_TIMEOUT, o, 0, 0);
	}
	if (o != TRACE_NO_OBJECT)
		preload_locked(o, r);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_mutex_lock(pthread_mutex_t *m)
{
	if (!preload_on())
		return (real_mutex_lock(m));
	return (preload_mutex_acquire(m, NULL, CALLER));
}

EXPORT int
pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	if (!preload_on())
		return (real_mutex_timedlock(m, abstime));
	return (preload_mutex_acquire(m, abstime, CALLER));
}

static int
preload_mutex_try(pthread_mutex_t *m, uintptr_t pc)
{
	uint16_t	o;
	int		r;

	tl_guard++;
	o = preload_mutex(m, pc);
	preload_gate(pc);
	r = real_mutex_trylock(m);
	if (o != TRACE_NO_OBJECT && (r == 0 || r == EOWNERDEAD))
		preload_locked(o, r);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (!preload_on())
		return (real_mutex_trylock(m));
	return (preload_mutex_try(m, CALLER));
}

/* Before the real unlock of a lock this worker owns: one level less,
   the release event. Nothing if it is not the owner (the real call then
   fails or is the program's bug, which the model should not hide). */
static void
preload_unlocking(uint16_t o)
{
	struct preload_object	*obj;

	if (o == TRACE_NO_OBJECT ||
	    (obj = preload_obj(o))->owner != (uint32_t)tl_worker + 1)
		return;
	if (--obj->depth <= 0) {
		obj->depth = 0;
		obj->owner = 0;
	}
	preload_emit(TRACE_LOCK_RELEASE, o, obj->depth, 0);
}

static int
preload_mutex_release(pthread_mutex_t *m, uintptr_t pc)
{
	uint16_t		 o;
	int			 r;

	tl_guard++;
	o = preload_mutex(m, pc);
	preload_gate(pc);
	preload_unlocking(o);
	r = real_mutex_unlock(m);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (!preload_on())
		return (real_mutex_unlock(m));
	return (preload_mutex_release(m, CALLER));
}

/* Read-write locks: one lock object to the model. The writer is its
   holder as a mutex's owner is; each reader is a holder too, marked
   shared (TRACE_LOCK_SHARED), so readers hold it together, a writer waits
   for all of them in the wait-for graph and a reader for the writer. A
   thread's read holds are counted here, thread-locally (a reader may
   take the same read lock again), the write hold in the object's owner
   word, so unlock can tell which one it ends. */
#define PRELOAD_MAX_READS	32

struct preload_read {
	uint16_t	object;
	int32_t		depth;
};
static __thread struct preload_read	tl_reads[PRELOAD_MAX_READS];
static __thread int			tl_nreads;

static struct preload_read *
preload_read_find(uint16_t o)
{
	int	i;

	for (i = 0; i < tl_nreads; i++) {
		if (tl_reads[i].object == o)
			return (&tl_reads[i]);
	}
	return (NULL);
}

static uint16_t
preload_rwlock(pthread_rwlock_t *l, uintptr_t pc)
{
	return (preload_object((uint64_t)(uintptr_t)l, TRACE_OBJ_MUTEX,
	    (uintptr_t)l, pc, 0, PRELOAD_OBJF_RWLOCK, NULL));
}

/* After a read lock returned r: count it, emit the shared acquisition. */
static void
preload_read_locked(uint16_t o, int r)
{
	struct preload_read	*rd;

	if (r != 0 || o == TRACE_NO_OBJECT)
		return;
	if ((rd = preload_read_find(o)) == NULL) {
		if (tl_nreads == PRELOAD_MAX_READS)
			return;		/* untracked: the real lock still works */
		rd = &tl_reads[tl_nreads++];
		rd->object = o;
		rd->depth = 0;
	}
	rd->depth++;
	preload_emit(TRACE_LOCK_ACQUIRED, o, rd->depth, TRACE_LOCK_SHARED);
}

static int
preload_rw_acquire(pthread_rwlock_t *l, int write, uintptr_t pc)
{
	uint16_t	o;
	int		r;

	tl_guard++;
	o = preload_rwlock(l, pc);
	preload_gate(pc);
	r = write ? real_rw_trywrlock(l) : real_rw_tryrdlock(l);
	if (r == EBUSY) {
		preload_emit(TRACE_LOCK_WAIT, o, 0, write ? 0 :
		    TRACE_LOCK_SHARED);
		preload_blocked(1);
		r = write ? real_rw_wrlock(l) : real_rw_rdlock(l);
		preload_blocked(0);
	}
	if (write && o != TRACE_NO_OBJECT)
		preload_locked(o, r);
	else if (!write)
		preload_read_locked(o, r);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	if (!preload_on())
		return (real_rw_rdlock(l));
	return (preload_rw_acquire(l, 0, CALLER));
}

EXPORT int
pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	if (!preload_on())
		return (real_rw_wrlock(l));
	return (preload_rw_acquire(l, 1, CALLER));
}

EXPORT int
pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
	uint16_t	o;
	int		r;

	if (!preload_on())
		return (real_rw_tryrdlock(l));
	tl_guard++;
	o = preload_rwlock(l, CALLER);
	preload_gate(CALLER);
	r = real_rw_tryrdlock(l);
	preload_read_locked(o, r);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	uint16_t	o;
	int		r;

	if (!preload_on())
		return (real_rw_trywrlock(l));
	tl_guard++;
	o = preload_rwlock(l, CALLER);
	preload_gate(CALLER);
	r = real_rw_trywrlock(l);
	if (r == 0 && o != TRACE_NO_OBJECT)
		preload_locked(o, r);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	struct preload_read	*rd;
	uint16_t		 o;
	int			 r;

	if (!preload_on())
		return (real_rw_unlock(l));
	tl_guard++;
	o = preload_rwlock(l, CALLER);
	preload_gate(CALLER);
	if (o != TRACE_NO_OBJECT &&
	    preload_obj(o)->owner == (uint32_t)tl_worker + 1)
		preload_unlocking(o);
	else if (o != TRACE_NO_OBJECT && (rd = preload_read_find(o)) != NULL) {
		rd->depth--;
		preload_emit(TRACE_LOCK_RELEASE, o, rd->depth, 0);
		if (rd->depth <= 0)
			*rd = tl_reads[--tl_nreads];
	}
	r = real_rw_unlock(l);
	tl_guard--;
	return (r);
}

static int
preload_cond_wait(pthread_cond_t *c, pthread_mutex_t *m,
    const struct timespec *abstime, uintptr_t pc)
{
	struct preload_object	*mo = NULL;
	uint16_t		 oc, om;
	int32_t			 depth = 0;
	int			 r;

	tl_guard++;
	oc = preload_object((uint64_t)(uintptr_t)c, TRACE_OBJ_CONDITION,
	    (uintptr_t)c, pc, 0, 0, NULL);
	om = preload_mutex(m, pc);
	preload_gate(pc);
	if (om != TRACE_NO_OBJECT) {
		mo = preload_obj(om);
		if (mo->owner == (uint32_t)tl_worker + 1)
			depth = mo->depth;
		mo->owner = 0;
		mo->depth = 0;
	}
	if (oc != TRACE_NO_OBJECT)
		atomic_fetch_add((_Atomic int32_t *)&preload_obj(oc)->waiters,
		    1);
	preload_emit(TRACE_COND_WAIT, oc, abstime != NULL ?
	    preload_timeout(abstime) : 0, om);
	preload_blocked(1);
	r = abstime != NULL ? real_cond_timedwait(c, m, abstime) :
	    real_cond_wait(c, m);
	preload_blocked(0);
	if (mo != NULL) {
		mo->owner = (uint32_t)tl_worker + 1;
		mo->depth = depth > 0 ? depth : 1;
	}
	preload_emit(TRACE_COND_WOKEN, oc, r == ETIMEDOUT ? 0 : 1, om);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (!preload_on())
		return (real_cond_wait(c, m));
	return (preload_cond_wait(c, m, NULL, CALLER));
}

EXPORT int
pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
    const struct timespec *abstime)
{
	if (!preload_on())
		return (real_cond_timedwait(c, m, abstime));
	return (preload_cond_wait(c, m, abstime, CALLER));
}

static int
preload_cond_notify(pthread_cond_t *c, int all, uintptr_t pc)
{
	_Atomic int32_t	*waiters;
	uint16_t	 o;
	int32_t		 n = 0;
	int		 r;

	tl_guard++;
	o = preload_object((uint64_t)(uintptr_t)c, TRACE_OBJ_CONDITION,
	    (uintptr_t)c, pc, 0, 0, NULL);
	preload_gate(pc);
	if (o != TRACE_NO_OBJECT) {
		waiters = (_Atomic int32_t *)&preload_obj(o)->waiters;
		if (all)
			n = atomic_exchange(waiters, 0);
		else {
			n = atomic_load(waiters);
			while (n > 0 && !atomic_compare_exchange_weak(waiters,
			    &n, n - 1))
				;
		}
	}
	preload_emit(TRACE_COND_NOTIFY, o, all ? -1 : 1, n);
	r = all ? real_cond_broadcast(c) : real_cond_signal(c);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_cond_signal(pthread_cond_t *c)
{
	if (!preload_on())
		return (real_cond_signal(c));
	return (preload_cond_notify(c, 0, CALLER));
}

EXPORT int
pthread_cond_broadcast(pthread_cond_t *c)
{
	if (!preload_on())
		return (real_cond_broadcast(c));
	return (preload_cond_notify(c, 1, CALLER));
}

EXPORT int
pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a,
    unsigned count)
{
	int	r, on;

	on = preload_on();
	r = real_barrier_init(b, a, count);
	if (r == 0 && on) {
		tl_guard++;
		preload_object((uint64_t)(uintptr_t)b, TRACE_OBJ_BARRIER,
		    (uintptr_t)b, CALLER, count, 0, NULL);
		tl_guard--;
	}
	return (r);
}

EXPORT int
pthread_barrier_wait(pthread_barrier_t *b)
{
	struct preload_object	*obj;
	uint16_t		 o;
	int32_t			 n;
	int64_t			 gen;
	int			 r;

	if (!preload_on())
		return (real_barrier_wait(b));
	tl_guard++;
	o = preload_object((uint64_t)(uintptr_t)b, TRACE_OBJ_BARRIER,
	    (uintptr_t)b, CALLER, 0, 0, NULL);
	preload_gate(CALLER);
	if (o == TRACE_NO_OBJECT) {
		tl_guard--;
		return (real_barrier_wait(b));
	}
	obj = preload_obj(o);
	gen = atomic_load((_Atomic int64_t *)&obj->generation);
	n = atomic_fetch_add((_Atomic int32_t *)&obj->arrived, 1) + 1;
	if (obj->capacity > 0 && n >= obj->capacity) {
		atomic_store((_Atomic int32_t *)&obj->arrived, 0);
		atomic_fetch_add((_Atomic int64_t *)&obj->generation, 1);
	}
	preload_emit(TRACE_BARRIER_WAIT, o, n, 0);
	preload_blocked(1);
	r = real_barrier_wait(b);
	preload_blocked(0);
	preload_emit(TRACE_BARRIER_PASS, o, gen + 1, 0);
	tl_guard--;
	return (r);
}

/* box: the start routine, its argument, the worker, and whether it is a
   C11 thrd_start_t (returns int, as glibc's own thrd_create calls it). */
static void *
preload_thread_main(void *arg)
{
	void	*(*fn)(void *), *fnarg, **box = arg, *ret;
	int	 w, c11;

	fn = (void *(*)(void *))(uintptr_t)box[0];
	fnarg = box[1];
	w = (int)(intptr_t)box[2];
	c11 = box[3] != NULL;
	free(box);
	preload_become(w, 1);
	tl_guard++;
	preload_gate((uintptr_t)fn + 1);
	tl_guard--;
	if (c11)
		ret = (void *)(intptr_t)((int (*)(void *))(uintptr_t)fn)(fnarg);
	else
		ret = fn(fnarg);
	tl_guard++;
	preload_end(w, 0);
	tl_guard--;
	return (ret);
}

static int
preload_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg, int c11, uintptr_t pc)
{
	void	**box;
	int	  w, r;

	tl_guard++;
	preload_gate(pc);
	w = preload_claim_worker(PRELOAD_W_THREAD, tl_worker,
	    (uintptr_t)fn);
	if (w < 0) {
		tl_guard--;
		return (real_create(t, attr, fn, arg));
	}
	box = malloc(4 * sizeof *box);
	if (box == NULL) {
		tl_guard--;
		return (EAGAIN);
	}
	box[0] = (void *)(uintptr_t)fn;
	box[1] = arg;
	box[2] = (void *)(intptr_t)w;
	box[3] = c11 ? box : NULL;
	preload_emit(TRACE_START, (uint16_t)w, 0, 0);
	r = real_create(t, attr, preload_thread_main, box);
	if (r != 0) {
		free(box);
		preload_end(w, -1);
	} else
		shm->workers[w].thread = (uint64_t)*t;
	tl_guard--;
	return (r);
}

EXPORT int
pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	if (!preload_on())
		return (real_create(t, attr, fn, arg));
	return (preload_create(t, attr, fn, arg, 0, CALLER));
}

/* Worker of a thread or a child process, or -1. */
static int
preload_find_worker(uint64_t thread, pid_t pid)
{
	uint32_t	i, n;

	n = atomic_load((_Atomic uint32_t *)&shm->hdr.nworkers);
	if (n > PRELOAD_MAX_WORKERS)
		n = PRELOAD_MAX_WORKERS;
	for (i = 0; i < n; i++) {
		if (!shm->workers[i].ready)
			continue;
		if (pid == 0 && shm->workers[i].kind == PRELOAD_W_THREAD &&
		    shm->workers[i].thread == thread &&
		    shm->workers[i].pid == getpid())
			return ((int)i);
		if (pid != 0 && shm->workers[i].kind != PRELOAD_W_THREAD &&
		    shm->workers[i].pid == pid && !shm->workers[i].ended)
			return ((int)i);
	}
	return (-1);
}

static int
preload_join(pthread_t t, void **ret, uintptr_t pc)
{
	int	w, r;

	tl_guard++;
	preload_gate(pc);
	w = preload_find_worker((uint64_t)t, 0);
	if (w >= 0 && !shm->workers[w].ended)
		preload_emit(TRACE_JOIN_WAIT, (uint16_t)w, 0, 0);
	preload_blocked(1);
	r = real_join(t, ret);
	preload_blocked(0);
	if (w >= 0 && r == 0)
		preload_emit(TRACE_JOINED, (uint16_t)w, 0, 0);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_join(pthread_t t, void **ret)
{
	if (!preload_on())
		return (real_join(t, ret));
	return (preload_join(t, ret, CALLER));
}

EXPORT int
pthread_detach(pthread_t t)
{
	if (preload_on()) {
		tl_guard++;
		preload_gate(CALLER);
		tl_guard--;
	}
	return (real_detach(t));
}

EXPORT void
pthread_exit(void *ret)
{
	if (preload_on()) {
		tl_guard++;
		preload_end(tl_worker, 0);
	}
	real_pthread_exit(ret);
}

EXPORT int
sem_init(sem_t *s, int pshared, unsigned value)
{
	int	r, on;

	on = preload_on();
	r = real_sem_init(s, pshared, value);
	if (r == 0 && on) {
		tl_guard++;
		preload_object((uint64_t)(uintptr_t)s, TRACE_OBJ_SEMAPHORE,
		    (uintptr_t)s, CALLER, value, 0, NULL);
		tl_guard--;
	}
	return (r);
}

static uint64_t
preload_name_key(const char *name)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	while (*name != '\0')
		h = (h ^ (unsigned char)*name++) * 0x100000001b3ULL;
	return ((h & ((1ULL << 60) - 1)) | PRELOAD_KEY_NAME);
}

EXPORT sem_t *
sem_open(const char *name, int oflag, ...)
{
	va_list		 ap;
	mode_t		 mode = 0;
	unsigned	 value = 0;
	sem_t		*s;
	uint16_t	 o;
	int		 on;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = (mode_t)va_arg(ap, int);
		value = va_arg(ap, unsigned);
		va_end(ap);
	}
	on = preload_on();
	s = real_sem_open(name, oflag, mode, value);
	if (s != SEM_FAILED && on) {
		tl_guard++;
		o = preload_object(preload_name_key(name), TRACE_OBJ_SEMAPHORE,
		    0, CALLER, value, 0, name);
		if (o != TRACE_NO_OBJECT)
			preload_alias((uint64_t)(uintptr_t)s, o);
		tl_guard--;
	}
	return (s);
}

static uint16_t
preload_sem(sem_t *s, uintptr_t pc)
{
	int	v = 0;

	sem_getvalue(s, &v);
	return (preload_object((uint64_t)(uintptr_t)s, TRACE_OBJ_SEMAPHORE,
	    (uintptr_t)s, pc, v, 0, NULL));
}

static void
preload_sem_taken(uint16_t o, sem_t *s)
{
	int	v = 0;

	sem_getvalue(s, &v);
	preload_emit(TRACE_SEM_ACQUIRED, o, v, 0);
}

static int
preload_sem_wait(sem_t *s, const struct timespec *abstime, uintptr_t pc)
{
	uint16_t	o;
	int		r, e;

	tl_guard++;
	o = preload_sem(s, pc);
	preload_gate(pc);
	r = real_sem_trywait(s);
	if (r == -1 && errno == EAGAIN) {
		preload_emit(TRACE_SEM_WAIT, o, abstime != NULL ?
		    preload_timeout(abstime) : 0, 0);
		preload_blocked(1);
		r = abstime != NULL ? real_sem_timedwait(s, abstime) :
		    real_sem_wait(s);
		e = errno;
		preload_blocked(0);
		if (r == -1 && e == ETIMEDOUT)
			preload_emit(TRACE_SEM_TIMEOUT, o, 0, 0);
		errno = e;
	}
	if (r == 0)
		preload_sem_taken(o, s);
	tl_guard--;
	return (r);
}

EXPORT int
sem_wait(sem_t *s)
{
	if (!preload_on())
		return (real_sem_wait(s));
	return (preload_sem_wait(s, NULL, CALLER));
}

EXPORT int
sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	if (!preload_on())
		return (real_sem_timedwait(s, abstime));
	return (preload_sem_wait(s, abstime, CALLER));
}

EXPORT int
sem_trywait(sem_t *s)
{
	uint16_t	o;
	int		r, e;

	if (!preload_on())
		return (real_sem_trywait(s));
	tl_guard++;
	o = preload_sem(s, CALLER);
	preload_gate(CALLER);
	r = real_sem_trywait(s);
	e = errno;
	if (r == 0)
		preload_sem_taken(o, s);
	errno = e;
	tl_guard--;
	return (r);
}

EXPORT int
sem_post(sem_t *s)
{
	uint16_t	o;
	int		r, v = 0;

	if (!preload_on())
		return (real_sem_post(s));
	tl_guard++;
	o = preload_sem(s, CALLER);
	preload_gate(CALLER);
	sem_getvalue(s, &v);
	preload_emit(TRACE_SEM_RELEASE, o, v + 1, 0);
	r = real_sem_post(s);
	tl_guard--;
	return (r);
}

EXPORT pid_t
fork(void)
{
	pid_t	pid;
	int	w;

	if (!preload_on())
		return (real_fork());
	tl_guard++;
	preload_gate(CALLER);
	w = preload_claim_worker(PRELOAD_W_PROCESS, tl_worker, 0);
	if (w >= 0)
		preload_emit(TRACE_START, (uint16_t)w, 0, 0);
	pid = real_fork();
	if (pid == 0 && w >= 0) {
		preload_become(w, 0);
		tl_guard--;
		return (0);
	}
	if (w >= 0) {
		if (pid > 0)
			shm->workers[w].pid = pid;
		else
			preload_end(w, -1);
	}
	tl_guard--;
	return (pid);
}

/* The child process worker a wait for pid is about: pid itself, or for
   -1 the only live child of this worker. */
static int
preload_wait_target(pid_t pid)
{
	uint32_t	i, n;
	int		found = -1;

	if (pid > 0)
		return (preload_find_worker(0, pid));
	if (pid != -1)
		return (-1);
	n = atomic_load((_Atomic uint32_t *)&shm->hdr.nworkers);
	for (i = 0; i < n && i < PRELOAD_MAX_WORKERS; i++) {
		if (shm->workers[i].kind != PRELOAD_W_PROCESS ||
		    shm->workers[i].parent != tl_worker ||
		    shm->workers[i].ended)
			continue;
		if (found >= 0)
			return (-1);
		found = (int)i;
	}
	return (found);
}

EXPORT pid_t
waitpid(pid_t pid, int *status, int options)
{
	pid_t	r;
	int	w, st = 0, e;

	if (!preload_on())
		return (real_waitpid(pid, status, options));
	tl_guard++;
	if (!(options & WNOHANG))
		preload_gate(CALLER);
	w = preload_wait_target(pid);
	if (w >= 0 && !(options & WNOHANG) && !shm->workers[w].ended)
		preload_emit(TRACE_JOIN_WAIT, (uint16_t)w, 0, 0);
	preload_blocked(1);
	r = real_waitpid(pid, &st, options);
	e = errno;
	preload_blocked(0);
	if (r > 0) {
		if (w < 0 || shm->workers[w].pid != r)
			w = preload_find_worker(0, r);
		if (w >= 0) {
			if (WIFSIGNALED(st) && !atomic_exchange((_Atomic
			    uint32_t *)&shm->workers[w].ended, 1))
				preload_emit_for((uint16_t)w,
				    TRACE_WORKER_CRASH, WTERMSIG(st));
			else if (WIFEXITED(st))
				preload_end(w, WEXITSTATUS(st));
			preload_emit(TRACE_JOINED, (uint16_t)w, 0, 0);
		}
	}
	if (status != NULL)
		*status = st;
	errno = e;
	tl_guard--;
	return (r);
}

EXPORT pid_t
wait(int *status)
{
	return (waitpid(-1, status, 0));
}

EXPORT void
exit(int status)
{
	uint32_t	i, n;
	pid_t		me = getpid();

	if (preload_on()) {
		tl_guard++;
		preload_gate(CALLER);
		preload_end(tl_worker, status);
		/* The process's other threads end with it. */
		n = atomic_load((_Atomic uint32_t *)&shm->hdr.nworkers);
		for (i = 0; i < n && i < PRELOAD_MAX_WORKERS; i++) {
			if (shm->workers[i].pid != me ||
			    shm->workers[i].kind != PRELOAD_W_THREAD ||
			    !shm->workers[i].started ||
			    atomic_exchange((_Atomic uint32_t *)
			    &shm->workers[i].ended, 1))
				continue;
			preload_emit_for((uint16_t)i, TRACE_WORKER_KILLED, 0);
		}
	}
	real_exit(status);
}

/* Sleeps and yields: the places a teaching program makes a race
   visible (`tmp = x; usleep(1); x = tmp + 1`), so they are gates too. */
static void
preload_sleep_begin(int64_t ns, uintptr_t pc)
{
	tl_guard++;
	preload_gate(pc);
	preload_emit(TRACE_SLEEP, TRACE_NO_OBJECT, ns, 0);
	tl_guard--;
}

static void
preload_sleep_end(void)
{
	tl_guard++;
	preload_emit(TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
	tl_guard--;
}

EXPORT int
nanosleep(const struct timespec *req, struct timespec *rem)
{
	int	r, e;

	if (!preload_on() || req == NULL)
		return (real_nanosleep(req, rem));
	preload_sleep_begin((int64_t)req->tv_sec * 1000000000 + req->tv_nsec,
	    CALLER);
	r = real_nanosleep(req, rem);
	e = errno;
	preload_sleep_end();
	errno = e;
	return (r);
}

EXPORT int
usleep(useconds_t us)
{
	int	r, e;

	if (!preload_on())
		return (real_usleep(us));
	preload_sleep_begin((int64_t)us * 1000, CALLER);
	r = real_usleep(us);
	e = errno;
	preload_sleep_end();
	errno = e;
	return (r);
}

EXPORT unsigned
sleep(unsigned s)
{
	unsigned	r;

	if (!preload_on())
		return (real_sleep(s));
	preload_sleep_begin((int64_t)s * 1000000000, CALLER);
	r = real_sleep(s);
	preload_sleep_end();
	return (r);
}

EXPORT int
sched_yield(void)
{
	if (preload_on()) {
		tl_guard++;
		preload_gate(CALLER);
		tl_guard--;
	}
	return (real_sched_yield());
}

/* Spin locks: a mutex to the model. A thread spinning for one is in a
   wait as real as a futex one (it cannot pass until the owner unlocks),
   so it is reported waiting and marked blocked like a mutex waiter. */
static uint16_t
preload_spin(pthread_spinlock_t *l, uintptr_t pc)
{
	return (preload_object((uint64_t)(uintptr_t)l, TRACE_OBJ_MUTEX,
	    (uintptr_t)l, pc, 0, PRELOAD_OBJF_SPIN, NULL));
}

EXPORT int
pthread_spin_lock(pthread_spinlock_t *l)
{
	uint16_t	o;
	int		r;

	if (!preload_on())
		return (real_spin_lock(l));
	tl_guard++;
	o = preload_spin(l, CALLER);
	preload_gate(CALLER);
	r = real_spin_trylock(l);
	if (r == EBUSY) {
		preload_emit(TRACE_LOCK_WAIT, o, 0, 0);
		preload_blocked(1);
		r = real_spin_lock(l);
		preload_blocked(0);
	}
	if (o != TRACE_NO_OBJECT)
		preload_locked(o, r);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_spin_trylock(pthread_spinlock_t *l)
{
	uint16_t	o;
	int		r;

	if (!preload_on())
		return (real_spin_trylock(l));
	tl_guard++;
	o = preload_spin(l, CALLER);
	preload_gate(CALLER);
	r = real_spin_trylock(l);
	if (o != TRACE_NO_OBJECT && r == 0)
		preload_locked(o, r);
	tl_guard--;
	return (r);
}

EXPORT int
pthread_spin_unlock(pthread_spinlock_t *l)
{
	int	r;

	if (!preload_on())
		return (real_spin_unlock(l));
	tl_guard++;
	preload_unlocking(preload_spin(l, CALLER));
	r = real_spin_unlock(l);
	tl_guard--;
	return (r);
}

/* C11 threads (<threads.h>). glibc implements them on its internal
   pthread entry points, which an interposed pthread_mutex_lock never
   sees, so they are wrapped by name here and traced as their pthread
   twins: mtx_t and cnd_t have the layout of pthread_mutex_t and
   pthread_cond_t (glibc casts one to the other), a thrd_t is a
   pthread_t. The real C11 functions are looked up only for the
   pass-through (a program that calls them links them). */
static int
preload_thrd(int r)
{
	switch (r) {
	case 0:
		return (thrd_success);
	case EBUSY:
		return (thrd_busy);
	case ETIMEDOUT:
		return (thrd_timedout);
	case ENOMEM:
	case EAGAIN:
		return (thrd_nomem);
	default:
		return (thrd_error);
	}
}

#define C11_REAL(var, name) \
	((var) != NULL ? (var) : ((var) = dlsym(RTLD_NEXT, name)))

EXPORT int
thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
	static int	(*real)(thrd_t *, thrd_start_t, void *);

	if (!preload_on() && C11_REAL(real, "thrd_create") != NULL)
		return (real(thr, fn, arg));
	return (preload_thrd(preload_create((pthread_t *)thr, NULL,
	    (void *(*)(void *))(uintptr_t)fn, arg, 1, CALLER)));
}

EXPORT int
thrd_join(thrd_t thr, int *res)
{
	static int	(*real)(thrd_t, int *);
	void		*ret = NULL;
	int		 r;

	if (!preload_on() && C11_REAL(real, "thrd_join") != NULL)
		return (real(thr, res));
	r = preload_on() ? preload_join((pthread_t)thr, &ret, CALLER) :
	    real_join((pthread_t)thr, &ret);
	if (r == 0 && res != NULL)
		*res = (int)(intptr_t)ret;
	return (preload_thrd(r));
}

EXPORT void
thrd_exit(int res)
{
	if (preload_on()) {
		tl_guard++;
		preload_end(tl_worker, res);
	}
	real_pthread_exit((void *)(intptr_t)res);
}

EXPORT int
thrd_sleep(const struct timespec *req, struct timespec *rem)
{
	int	r, e;

	if (!preload_on() || req == NULL) {
		r = real_nanosleep(req, rem);
		return (r == 0 ? 0 : errno == EINTR ? -1 : -2);
	}
	preload_sleep_begin((int64_t)req->tv_sec * 1000000000 + req->tv_nsec,
	    CALLER);
	r = real_nanosleep(req, rem);
	e = errno;
	preload_sleep_end();
	return (r == 0 ? 0 : e == EINTR ? -1 : -2);
}

EXPORT void
thrd_yield(void)
{
	if (preload_on()) {
		tl_guard++;
		preload_gate(CALLER);
		tl_guard--;
	}
	real_sched_yield();
}

EXPORT int
mtx_lock(mtx_t *m)
{
	if (!preload_on())
		return (preload_thrd(real_mutex_lock((pthread_mutex_t *)m)));
	return (preload_thrd(preload_mutex_acquire((pthread_mutex_t *)m,
	    NULL, CALLER)));
}

EXPORT int
mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict abstime)
{
	if (!preload_on())
		return (preload_thrd(real_mutex_timedlock(
		    (pthread_mutex_t *)m, abstime)));
	return (preload_thrd(preload_mutex_acquire((pthread_mutex_t *)m,
	    abstime, CALLER)));
}

EXPORT int
mtx_trylock(mtx_t *m)
{
	if (!preload_on())
		return (preload_thrd(real_mutex_trylock((pthread_mutex_t *)m)));
	return (preload_thrd(preload_mutex_try((pthread_mutex_t *)m,
	    CALLER)));
}

EXPORT int
mtx_unlock(mtx_t *m)
{
	if (!preload_on())
		return (preload_thrd(real_mutex_unlock((pthread_mutex_t *)m)));
	return (preload_thrd(preload_mutex_release((pthread_mutex_t *)m,
	    CALLER)));
}

EXPORT int
cnd_wait(cnd_t *c, mtx_t *m)
{
	if (!preload_on())
		return (preload_thrd(real_cond_wait((pthread_cond_t *)c,
		    (pthread_mutex_t *)m)));
	return (preload_thrd(preload_cond_wait((pthread_cond_t *)c,
	    (pthread_mutex_t *)m, NULL, CALLER)));
}

EXPORT int
cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m,
    const struct timespec *restrict abstime)
{
	if (!preload_on())
		return (preload_thrd(real_cond_timedwait((pthread_cond_t *)c,
		    (pthread_mutex_t *)m, abstime)));
	return (preload_thrd(preload_cond_wait((pthread_cond_t *)c,
	    (pthread_mutex_t *)m, abstime, CALLER)));
}

EXPORT int
cnd_signal(cnd_t *c)
{
	if (!preload_on())
		return (preload_thrd(real_cond_signal((pthread_cond_t *)c)));
	return (preload_thrd(preload_cond_notify((pthread_cond_t *)c, 0,
	    CALLER)));
}

EXPORT int
cnd_broadcast(cnd_t *c)
{
	if (!preload_on())
		return (preload_thrd(real_cond_broadcast(
		    (pthread_cond_t *)c)));
	return (preload_thrd(preload_cond_notify((pthread_cond_t *)c, 1,
	    CALLER)));
}

/* POSIX message queues: a queue is one object in every process that
   uses it (keyed by its inode, as a pipe is), bounded by its mq_maxmsg,
   its messages ordered by priority as the model orders a scenario's
   mqueue. A message of the size of an int or a long is shown as that
   number, any other as its length in bytes. The real functions are
   looked up by name: a program that calls them links them. */
typedef int	(*preload_mq_getattr_fn)(mqd_t, struct mq_attr *);

static int
preload_mq_attr(mqd_t q, struct mq_attr *a)
{
	static preload_mq_getattr_fn	real;

	if (real == NULL)
		real = (preload_mq_getattr_fn)dlsym(RTLD_NEXT, "mq_getattr");
	return (real != NULL ? real(q, a) : -1);
}

static uint16_t
preload_mq(mqd_t q, const char *name, uintptr_t pc)
{
	struct stat	st;
	struct mq_attr	a;

	if (fstat((int)q, &st) != 0)
		return (TRACE_NO_OBJECT);
	if (preload_mq_attr(q, &a) != 0)
		a.mq_maxmsg = 0;
	return (preload_object(((uint64_t)st.st_ino & ((1ULL << 60) - 1)) |
	    PRELOAD_KEY_MQ, TRACE_OBJ_MQUEUE, 0, pc, a.mq_maxmsg, 0, name));
}

static int64_t
preload_mq_value(const char *msg, size_t len)
{
	int	i;
	long	l;

	if (len == sizeof i) {
		memcpy(&i, msg, sizeof i);
		return (i);
	}
	if (len == sizeof l) {
		memcpy(&l, msg, sizeof l);
		return (l);
	}
	return ((int64_t)len);
}

/* Would q block for a put (full) or a get (empty)? Never when it was
   opened O_NONBLOCK (the call returns EAGAIN instead). */
static int
preload_mq_would_block(mqd_t q, int put)
{
	struct mq_attr	a;

	if (preload_mq_attr(q, &a) != 0 || (a.mq_flags & O_NONBLOCK))
		return (0);
	return (put ? a.mq_curmsgs >= a.mq_maxmsg : a.mq_curmsgs == 0);
}

EXPORT mqd_t
mq_open(const char *name, int oflag, ...)
{
	static mqd_t	(*real)(const char *, int, ...);
	struct mq_attr	*attr = NULL;
	va_list		 ap;
	mode_t		 mode = 0;
	mqd_t		 q;
	uint16_t	 o;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = (mode_t)va_arg(ap, int);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	if (real == NULL && (real = dlsym(RTLD_NEXT, "mq_open")) == NULL) {
		errno = ENOSYS;
		return ((mqd_t)-1);
	}
	q = real(name, oflag, mode, attr);
	if (q != (mqd_t)-1 && preload_on()) {
		tl_guard++;
		o = preload_mq(q, name, CALLER);
		preload_gate(CALLER);
		if (o != TRACE_NO_OBJECT)
			preload_emit(TRACE_CHAN_OPEN, o, 0, -1);
		tl_guard--;
	}
	return (q);
}

/* A put is stamped before the message is in the queue (as a pipe write
   is), so a receiver's get, stamped after its receive returns, always
   follows it: a full queue is waited on with poll() (a queue descriptor
   polls writable when it has room), then the put, then the send. */
static int
preload_mq_send(mqd_t q, const char *msg, size_t len, unsigned prio,
    const struct timespec *abstime, uintptr_t pc)
{
	static int	(*real)(mqd_t, const char *, size_t, unsigned,
			    const struct timespec *);
	struct pollfd	 pfd = { .fd = (int)q, .events = POLLOUT };
	struct mq_attr	 a;
	uint16_t	 o;
	int64_t		 ms;
	int		 r, e;

	if (real == NULL && (real = dlsym(RTLD_NEXT, "mq_timedsend")) ==
	    NULL) {
		errno = ENOSYS;
		return (-1);
	}
	if (!preload_on())
		return (real(q, msg, len, prio, abstime));
	tl_guard++;
	o = preload_mq(q, NULL, pc);
	preload_gate(pc);
	if (o == TRACE_NO_OBJECT || preload_mq_attr(q, &a) != 0 ||
	    len > (size_t)a.mq_msgsize) {
		r = real(q, msg, len, prio, abstime);	/* fails as it will */
		tl_guard--;
		return (r);
	}
	if (preload_mq_would_block(q, 1)) {
		preload_emit(TRACE_CHAN_PUT_WAIT, o, 0, (int32_t)prio);
		preload_blocked(1);
		do {
			ms = abstime != NULL ? preload_timeout(abstime) /
			    1000000 + 1 : -1;
			r = poll(&pfd, 1, ms > INT32_MAX ? INT32_MAX :
			    (int)ms);
		} while ((r == -1 && errno == EINTR) || (r == 0 &&
		    abstime != NULL && preload_timeout(abstime) > 1));
		preload_blocked(0);
		if (r == 0) {
			preload_emit(TRACE_CHAN_TIMEOUT, o, 0, 0);
			r = real(q, msg, len, prio, abstime);
			tl_guard--;
			return (r);
		}
	}
	preload_emit(TRACE_CHAN_PUT, o, preload_mq_value(msg, len),
	    (int32_t)prio);
	preload_blocked(1);	/* another sender may have taken the room */
	r = real(q, msg, len, prio, abstime);
	e = errno;
	preload_blocked(0);
	tl_guard--;
	errno = e;
	return (r);
}

static ssize_t
preload_mq_receive(mqd_t q, char *msg, size_t len, unsigned *prio,
    const struct timespec *abstime, uintptr_t pc)
{
	static ssize_t	(*real)(mqd_t, char *, size_t, unsigned *,
			    const struct timespec *);
	uint16_t	 o;
	unsigned	 p = 0;
	ssize_t		 r;
	int		 e;

	if (real == NULL && (real = dlsym(RTLD_NEXT, "mq_timedreceive")) ==
	    NULL) {
		errno = ENOSYS;
		return (-1);
	}
	if (!preload_on())
		return (real(q, msg, len, prio, abstime));
	tl_guard++;
	o = preload_mq(q, NULL, pc);
	preload_gate(pc);
	if (o != TRACE_NO_OBJECT && preload_mq_would_block(q, 0)) {
		preload_emit(TRACE_CHAN_GET_WAIT, o, 0, 0);
		preload_blocked(1);
	}
	r = real(q, msg, len, &p, abstime);
	e = errno;
	preload_blocked(0);
	if (prio != NULL && r >= 0)
		*prio = p;
	if (o != TRACE_NO_OBJECT && r >= 0)
		preload_emit(TRACE_CHAN_GET, o, preload_mq_value(msg,
		    (size_t)r), (int32_t)p);
	else if (o != TRACE_NO_OBJECT && e == ETIMEDOUT)
		preload_emit(TRACE_CHAN_TIMEOUT, o, 0, 0);
	tl_guard--;
	errno = e;
	return (r);
}

EXPORT int
mq_send(mqd_t q, const char *msg, size_t len, unsigned prio)
{
	return (preload_mq_send(q, msg, len, prio, NULL, CALLER));
}

EXPORT int
mq_timedsend(mqd_t q, const char *msg, size_t len, unsigned prio,
    const struct timespec *abstime)
{
	return (preload_mq_send(q, msg, len, prio, abstime, CALLER));
}

EXPORT ssize_t
mq_receive(mqd_t q, char *msg, size_t len, unsigned *prio)
{
	return (preload_mq_receive(q, msg, len, prio, NULL, CALLER));
}

EXPORT ssize_t
mq_timedreceive(mqd_t q, char *msg, size_t len, unsigned *prio,
    const struct timespec *abstime)
{
	return (preload_mq_receive(q, msg, len, prio, abstime, CALLER));
}

/* Pipes and sockets. */

struct preload_chan {
	uint16_t	object;
	int32_t		end;
};

static uint64_t
preload_addr_key(const struct sockaddr_storage *ss, socklen_t len)
{
	const unsigned char	*p = (const unsigned char *)ss;
	uint64_t		 h = 0xcbf29ce484222325ULL;
	socklen_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return ((h & ((1ULL << 60) - 1)) | PRELOAD_KEY_SOCK);
}

/* The channel object of fd, if it is a pipe or a connected (or listening)
   socket; 0 and nothing else for anything else. A socket's object is its
   server address (the listener's, the accepted end's own, the connecting
   end's peer), so both ends of a connection meet on one object; end 0 is
   the server side, 1 the client. */
static int
preload_chan(int fd, uintptr_t pc, struct preload_chan *ch)
{
	struct sockaddr_storage	 ss, peer;
	struct stat		 st;
	socklen_t		 len = sizeof ss, plen = sizeof peer;
	uint64_t		 key, mine, theirs;
	int			 havepeer;

	if (fd < 0 || fstat(fd, &st) != 0)
		return (0);
	if (S_ISFIFO(st.st_mode)) {
		if ((uint64_t)st.st_ino == shm->hdr.skip_ino[0] ||
		    (uint64_t)st.st_ino == shm->hdr.skip_ino[1])
			return (0);
		key = ((uint64_t)st.st_ino & ((1ULL << 60) - 1)) |
		    PRELOAD_KEY_FILE;
		ch->object = preload_object(key, TRACE_OBJ_PIPE, 0, pc, 0, 0,
		    NULL);
		ch->end = -1;
		return (ch->object != TRACE_NO_OBJECT);
	}
	if (!S_ISSOCK(st.st_mode))
		return (0);
	memset(&ss, 0, sizeof ss);
	memset(&peer, 0, sizeof peer);
	havepeer = getpeername(fd, (struct sockaddr *)&peer, &plen) == 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return (0);
	if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) {
		/* TCP: a listener is its address; a connection is the pair
		   of addresses, which both ends see (swapped), end 0 being
		   the side with the lower address. */
		mine = preload_addr_key(&ss, len);
		ch->end = 0;
		key = mine;
		if (havepeer) {
			theirs = preload_addr_key(&peer, plen);
			ch->end = mine < theirs ? 0 : 1;
			key = ((mine < theirs ? mine : theirs) * 31 +
			    (mine < theirs ? theirs : mine)) &
			    ((1ULL << 60) - 1);
			key |= PRELOAD_KEY_SOCK;
		}
		ch->object = preload_object(key, TRACE_OBJ_SOCKET, 0, pc, 0,
		    TRACE_OBJF_TCP, NULL);
		return (ch->object != TRACE_NO_OBJECT);
	}
	if (havepeer && plen > sizeof(sa_family_t) + 1) {
		ch->end = 1;	/* unix: connected to a named server */
		key = preload_addr_key(&peer, plen);
	} else if (len > sizeof(sa_family_t) + 1) {
		ch->end = 0;	/* unix: the server's end, or its listener */
		key = preload_addr_key(&ss, len);
	} else {
		/* Unnamed (socketpair): keyed by inode, the second end an
		   alias of the first (socketpair()). */
		ch->end = 0;
		key = ((uint64_t)st.st_ino & ((1ULL << 60) - 1)) |
		    PRELOAD_KEY_FILE;
	}
	ch->object = preload_object(key, TRACE_OBJ_SOCKET, 0, pc, 0, 0, NULL);
	return (ch->object != TRACE_NO_OBJECT);
}

/* Whether fd would block for events: a zero-timeout poll, and never for
   a non-blocking fd (its call returns EAGAIN instead of waiting). */
static int
preload_would_block(int fd, short events)
{
	struct pollfd	pfd = { .fd = fd, .events = events };
	int		fl;

	if (poll(&pfd, 1, 0) != 0)
		return (0);
	fl = fcntl(fd, F_GETFL);
	return (fl != -1 && !(fl & O_NONBLOCK));
}

static ssize_t
preload_get(int fd, void *buf, size_t n, int flags, int sock, uintptr_t pc)
{
	struct preload_chan	ch;
	ssize_t			r;
	int			e;

	tl_guard++;
	if (!preload_chan(fd, pc, &ch)) {
		tl_guard--;
		return (sock ? real_recv(fd, buf, n, flags) :
		    real_read(fd, buf, n));
	}
	preload_gate(pc);
	if (preload_would_block(fd, POLLIN)) {
		preload_emit(TRACE_CHAN_GET_WAIT, ch.object, 0, ch.end);
		preload_blocked(1);
	}
	r = sock ? real_recv(fd, buf, n, flags) : real_read(fd, buf, n);
	e = errno;
	preload_blocked(0);
	if (r > 0)
		preload_emit(TRACE_CHAN_GET, ch.object, r, ch.end);
	else if (r == 0 && n > 0)
		preload_emit(TRACE_CHAN_EOF, ch.object, 0, ch.end);
	errno = e;
	tl_guard--;
	return (r);
}

static ssize_t
preload_put(int fd, const void *buf, size_t n, int flags, int sock,
    uintptr_t pc)
{
	struct preload_chan	ch;
	ssize_t			r;
	int			e;

	tl_guard++;
	if (!preload_chan(fd, pc, &ch)) {
		tl_guard--;
		return (sock ? real_send(fd, buf, n, flags) :
		    real_write(fd, buf, n));
	}
	preload_gate(pc);
	if (preload_would_block(fd, POLLOUT)) {
		preload_emit(TRACE_CHAN_PUT_WAIT, ch.object, 0, ch.end);
		preload_blocked(1);
	}
	preload_emit(TRACE_CHAN_PUT, ch.object, (int64_t)n, ch.end);
	r = sock ? real_send(fd, buf, n, flags) : real_write(fd, buf, n);
	e = errno;
	preload_blocked(0);
	errno = e;
	tl_guard--;
	return (r);
}

EXPORT ssize_t
read(int fd, void *buf, size_t n)
{
	if (!preload_on())
		return (real_read(fd, buf, n));
	return (preload_get(fd, buf, n, 0, 0, CALLER));
}

EXPORT ssize_t
recv(int fd, void *buf, size_t n, int flags)
{
	if (!preload_on())
		return (real_recv(fd, buf, n, flags));
	return (preload_get(fd, buf, n, flags, 1, CALLER));
}

EXPORT ssize_t
write(int fd, const void *buf, size_t n)
{
	if (!preload_on())
		return (real_write(fd, buf, n));
	return (preload_put(fd, buf, n, 0, 0, CALLER));
}

EXPORT ssize_t
send(int fd, const void *buf, size_t n, int flags)
{
	if (!preload_on())
		return (real_send(fd, buf, n, flags));
	return (preload_put(fd, buf, n, flags, 1, CALLER));
}

EXPORT int
accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct preload_chan	ch, conn;
	int			r, e, traced;

	if (!preload_on())
		return (real_accept(fd, addr, len));
	tl_guard++;
	traced = preload_chan(fd, CALLER, &ch);
	/* No OPEN_WAIT: the listener is not the connection, so the model
	   could not see that a connect already satisfied the accept (a
	   false stall). The thread counts as running until accept returns. */
	if (traced)
		preload_gate(CALLER);
	r = real_accept(fd, addr, len);
	e = errno;
	/* The connection is its own object: both ends meet there. */
	if (traced && r >= 0 && preload_chan(r, CALLER, &conn))
		preload_emit(TRACE_CHAN_OPEN, conn.object, 0, conn.end);
	else if (traced && r >= 0)
		preload_emit(TRACE_CHAN_OPEN, ch.object, 0, 0);
	errno = e;
	tl_guard--;
	return (r);
}

EXPORT int
connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct preload_chan	ch;
	int			r, e;

	if (!preload_on())
		return (real_connect(fd, addr, len));
	tl_guard++;
	preload_gate(CALLER);
	r = real_connect(fd, addr, len);
	e = errno;
	if (r == 0 && preload_chan(fd, CALLER, &ch))
		preload_emit(TRACE_CHAN_OPEN, ch.object, 0, ch.end);
	errno = e;
	tl_guard--;
	return (r);
}

EXPORT int
pipe(int fds[2])
{
	struct preload_chan	ch;
	int			r, on;

	on = preload_on();
	r = real_pipe(fds);
	if (r == 0 && on) {
		tl_guard++;
		if (preload_chan(fds[0], CALLER, &ch))
			preload_emit(TRACE_CHAN_OPEN, ch.object, 0, 0);
		tl_guard--;
	}
	return (r);
}

EXPORT int
socketpair(int domain, int type, int proto, int fds[2])
{
	struct preload_chan	ch;
	struct stat		st0, st1;
	int			r, on;

	on = preload_on();
	r = real_socketpair(domain, type, proto, fds);
	if (r == 0 && on) {
		tl_guard++;
		if (fstat(fds[0], &st0) == 0 && fstat(fds[1], &st1) == 0 &&
		    preload_chan(fds[0], CALLER, &ch)) {
			preload_alias(((uint64_t)st1.st_ino &
			    ((1ULL << 60) - 1)) | PRELOAD_KEY_FILE, ch.object);
			preload_emit(TRACE_CHAN_OPEN, ch.object, 0, 0);
		}
		tl_guard--;
	}
	return (r);
}

/* Closing the trace fd would cut the program off from lockstep: refuse,
   tell the front end, and pretend it worked. Closing the write end of a
   pipe is what lets its readers see end-of-file: traced. */
EXPORT int
close(int fd)
{
	struct preload_chan	ch;
	int			fl;

	(void)preload_on();	/* resolves real_close if need be */
	if (shm != NULL && (fd == trace_fd || fd == shm->hdr.wake_fd)) {
		atomic_store((_Atomic uint32_t *)&shm->hdr.closed_fd, 1);
		return (0);
	}
	if (!preload_on())
		return (real_close(fd));
	tl_guard++;
	fl = fcntl(fd, F_GETFL);
	if (fl != -1 && (fl & O_ACCMODE) != O_RDONLY &&
	    preload_chan(fd, CALLER, &ch)) {
		preload_gate(CALLER);
		preload_emit(TRACE_CHAN_CLOSE, ch.object, 0, ch.end);
	}
	tl_guard--;
	return (real_close(fd));
}

/* Map the front end's memory and become worker 0 (or, after an exec in
   a traced child, the worker that child already is). */
__attribute__((constructor)) static void
preload_init(void)
{
	struct preload_shm	*m;
	struct stat		 st;
	const char		*env;
	char			*end;
	long			 fd;
	int			 w;

	preload_resolve();
	env = getenv(PRELOAD_ENV_FD);
	if (env == NULL || *env == '\0')
		return;
	fd = strtol(env, &end, 10);
	if (*end != '\0' || fd < 0 || fd > 65535 || fstat((int)fd, &st) != 0)
		return;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    (int)fd, 0);
	if (m == MAP_FAILED)
		return;
	if (m->hdr.magic != PRELOAD_MAGIC || m->hdr.version !=
	    PRELOAD_VERSION || m->hdr.size != (uint64_t)st.st_size) {
		munmap(m, (size_t)st.st_size);
		return;
	}
	trace_fd = (int)fd;
	rings = (struct trace_ring_set *)((char *)m + m->hdr.ring_off);
	shm = m;
	tl_guard++;
	w = preload_find_worker(0, getpid());
	/* Not forked by a traced fork (a shell of system() or popen(), a
	   posix_spawn child) and not the program itself: it runs untraced,
	   as any helper program the program starts. */
	if (w < 0 && atomic_load((_Atomic uint32_t *)&shm->hdr.nworkers) == 0)
		w = preload_claim_worker(PRELOAD_W_MAIN, -1, 0);
	if (w < 0) {
		shm = NULL;
		rings = NULL;
		trace_fd = -1;
		munmap(m, (size_t)st.st_size);
		tl_guard--;
		return;
	}
	preload_become(w, 0);
	preload_gate(0);	/* before main: no line of its own */
	tl_guard--;
}
