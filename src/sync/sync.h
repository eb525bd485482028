/*
 * sync/sync.h: instrumented, process-shared synchronisation primitives.
 *
 * Every scenario object lives in the run's shared arena as one struct
 * sync_obj: a real pthread mutex / condition variable / POSIX semaphore
 * initialised PTHREAD_PROCESS_SHARED (mutexes also PTHREAD_MUTEX_ROBUST),
 * so the same object works between thread workers and forked process
 * workers. Each operation is honest about blocking: it tries first
 * (trylock, sem_trywait, a non-blocking read) and emits a *_WAIT event only
 * when that fails, then blocks for real and emits the *_ACQUIRED event when
 * the real call returns. Events that let another worker proceed (release,
 * post, put, notify) are stamped before the real operation, so merged by
 * time a release always precedes the acquire it enabled.
 *
 * A worker calls these with its struct sync_ctx: its trace producer, its
 * worker index, the object table, and the word it raises while it sits in
 * a real wait (the front end's step logic reads it). Errors that are the
 * scenario's fault (unlock of a lock not held, notify without the lock)
 * return -1 with a message in *cause; the executor turns them into
 * TRACE_ERROR and ends the worker.
 *
 * In a scheduled run (ctx->sched set, see sync/sched.h) nothing waits in the
 * kernel for another worker: an operation that would block parks the
 * worker on what it waits for and tries again when an operation on that
 * object wakes it; timeouts are scenario time.
 *
 * Channels (queue, pipe, and the IPC kinds added later) go through a per
 * kind ops table: see sync/chan.h.
 */
#ifndef LOCKSTEP_SYNC_SYNC_H
#define LOCKSTEP_SYNC_SYNC_H

#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sync/sched.h"
#include "trace/meta.h"
#include "trace/ring.h"

#define SYNC_NO_OWNER	(-1)

/* One scenario object in shared memory. Fields are used per kind. */
struct sync_obj {
	uint32_t		 kind;		/* enum trace_obj_kind */
	uint16_t		 index;		/* its object index */
	uint16_t		 lock;		/* condition: lock object (may be
						   itself: its own rlock) */
	uint32_t		 flags;		/* TRACE_OBJF_* */
	int64_t			 capacity;
	int64_t			 initial;

	/* Locks (mutex, rlock, condition's own lock), barrier, queue. */
	pthread_mutex_t		 mutex;
	/* Wait words (sync_cv_wait): a sequence a change to the state it
	   guards bumps. Not pthread condition variables: a process-shared
	   one is not robust (a waiter killed inside it can wedge it for
	   every other process, timeouts included); a futex word holds no
	   state a dead waiter can leave half-updated. */
	uint32_t		 cond;		/* condition / barrier /
						   queue not-empty */
	uint32_t		 cond2;		/* queue not-full */
	int32_t			 owner;		/* worker or SYNC_NO_OWNER */
	int32_t			 depth;		/* rlock recursion */

	sem_t			 sem;		/* semaphore */

	volatile int64_t	 value;		/* shared int */

	/* Cells: local ints (one per worker), queue slots, mmap/shm
	   arrays. Points into shared memory mapped before fork. */
	int64_t			*cells;
	size_t			 ncells;

	/* Condition: workers waiting, in arrival (wake-up) order. */
	uint16_t		 wq[TRACE_MAX_WORKERS];
	int32_t			 nwq;

	/* Barrier. */
	int32_t			 arrived;
	uint32_t		 generation;

	/* Queue. */
	uint32_t		 head;
	uint32_t		 count;

	/* Pool: the next task to hand out. */
	uint32_t		 next_task;

	/* Channels: OS handles made before fork, the first worker using
	   the object (a duplex pipe gives it end 0, the others end 1),
	   and which workers have closed their end. */
	int			 fd[4];
	int32_t			 first_user;
	uint64_t		 closed[TRACE_MAX_WORKERS / 64];
	char			 path[108];	/* fifo / socket / shm / mqueue
						   name, for the IPC kinds */
	int64_t			 spare[8];	/* for the IPC kinds */
};

/* What a process keeps of each channel object (set up after fork). */
struct sync_proc_obj {
	int			 fd[4];		/* ends it kept, or -1 */
	int			 refs[4];	/* its workers using each end */
};

/* A process's view of the channels: which ends it kept and which of its
   workers use them. uses[o * nworkers + w] is worker w's SYNC_USE_* on
   object o (derived from the scenario text, the same in every process). */
struct sync_proc {
	size_t			 nobjs;
	size_t			 nworkers;
	struct sync_proc_obj	*o;
	const uint8_t		*uses;
	uint8_t			*member;	/* workers running here */
	pthread_mutex_t		 lock;		/* between a process's threads */
};

#define SYNC_USE_SEND	TRACE_USE_SEND
#define SYNC_USE_RECV	TRACE_USE_RECV
#define SYNC_USE_OTHER	TRACE_USE_OTHER

struct sync_ctx {
	struct trace_producer	*tp;
	uint16_t		 worker;
	uint32_t		*blocked;	/* raised while in a real wait */
	struct sync_obj		*objs;
	size_t			 nobjs;
	size_t			 nworkers;
	struct sync_proc	*proc;		/* this process's channel ends */
	struct sync_sched	*sched;		/* scheduled run, or NULL */
	/* Wait (bounded) until worker w's end has been reported: a lock
	   whose owner died is reported after the owner's crash. */
	void			(*await_end)(struct sync_ctx *, uint16_t w);
	/* Whether worker w has ended (crashed, killed): a condition's
	   notify passes over a dead waiter instead of spending itself on
	   it. NULL: assume alive. */
	int			(*ended)(struct sync_ctx *, uint16_t w);
	void			*arg;
};

/* In a scheduled run: park blocked on key until woken (0) or past the
   deadline (1). See sync/sched.h. */
static inline int
sync_sched_wait(struct sync_ctx *ctx, uint32_t key, int64_t deadline)
{
	return (sync_sched_block(ctx->sched, ctx->worker, key, deadline));
}

/* Cells of shared storage object o needs (locals, queue slots). */
size_t		 sync_obj_cells(const struct trace_meta_object *, size_t nworkers);
/* Initialise o in shared memory (front end, before fork). cells points to
   sync_obj_cells() zeroed int64s in shared memory. */
int		 sync_obj_init(struct sync_obj *, const struct trace_meta_object *,
		    uint16_t index, size_t nobjects, int64_t *cells,
		    size_t nworkers, char **cause);
void		 sync_obj_done(struct sync_obj *);

/* mutex, rlock, or a condition's lock. 0 acquired, 1 timed out, -1 error.
   timeout_ns 0 waits for ever; a negative timeout_ns only tries (1 at once
   when it is held, after its LOCK_WAIT and LOCK_TIMEOUT events). */
int		 sync_lock(struct sync_ctx *, uint16_t o, int64_t timeout_ns,
		    char **cause);
int		 sync_unlock(struct sync_ctx *, uint16_t o, char **cause);
/* Whether the caller holds lock o (or condition o's lock). */
int		 sync_holds(struct sync_ctx *, uint16_t o);

/* Semaphore: 0 acquired, 1 timed out, -1 error. Timeouts as sync_lock. */
int		 sync_sem_acquire(struct sync_ctx *, uint16_t o, int64_t timeout_ns,
		    char **cause);
int		 sync_sem_release(struct sync_ctx *, uint16_t o, char **cause);
int64_t		 sync_sem_value(struct sync_ctx *, uint16_t o);

/* Condition: the caller must hold its lock. wait: 0 notified, 1 timed
   out. notify n (-1 = all). */
int		 sync_cond_wait(struct sync_ctx *, uint16_t o, int64_t timeout_ns,
		    char **cause);
int		 sync_cond_notify(struct sync_ctx *, uint16_t o, int n,
		    char **cause);

/* Take worker w, which died, off every condition's wait list (it would
   eat a notify). Only while no worker runs: a scheduled run's front end
   between steps. */
void		 sync_cond_forget(struct sync_obj *, size_t nobjs, uint16_t w);

/* Barrier: blocks until `capacity` workers arrived. */
int		 sync_barrier_wait(struct sync_ctx *, uint16_t o, char **cause);

/* Shared ints, thread-locals and array cells. A plain read or write is one
   memory access; sync_shared_add is one atomic add. Each emits its event
   (load: after the read; store / add: stamped before the write). */
int64_t		 sync_shared_load(struct sync_ctx *, uint16_t o, int cell);
void		 sync_shared_store(struct sync_ctx *, uint16_t o, int cell,
		    int64_t);
int64_t		 sync_shared_add(struct sync_ctx *, uint16_t o, int cell,
		    int64_t);
/* The cell an array index or local refers to, or NULL (out of range). */
volatile int64_t *sync_cell(struct sync_ctx *, uint16_t o, int64_t index);

/* Raise / lower ctx->blocked around a real wait. */
static inline void
sync_block_begin(struct sync_ctx *ctx)
{
	if (ctx->blocked != NULL)
		__atomic_store_n(ctx->blocked, 1, __ATOMIC_SEQ_CST);
}

static inline void
sync_block_end(struct sync_ctx *ctx)
{
	if (ctx->blocked != NULL)
		__atomic_store_n(ctx->blocked, 0, __ATOMIC_RELEASE);
}

/* Lock / unlock an object's internal mutex (barrier, queue), making it
   consistent if a worker died holding it. */
void		 sync_obj_lock(struct sync_obj *);
void		 sync_obj_unlock(struct sync_obj *);
/* Wait for a change of the word cv with the (robust, process-shared)
   mutex m held: release m, sleep on cv until it changes (or the absolute
   CLOCK_MONOTONIC deadline, NULL = forever), take m back. As with a
   condition variable, the caller rechecks its predicate in a loop (a
   wake-up may be spurious). Returns 0, ETIMEDOUT (deadline passed), or
   EOWNERDEAD (m taken back from a dead owner: made consistent). */
int		 sync_cv_wait(pthread_mutex_t *m, uint32_t *cv,
		    const struct timespec *deadline);
/* Wake every waiter on cv (with m held, so no wake-up is lost). */
void		 sync_cv_wake(uint32_t *cv);
/* sync_cv_wait on obj's own mutex; returns 0 or ETIMEDOUT. */
int		 sync_obj_wait(struct sync_obj *, uint32_t *cv,
		    const struct timespec *deadline);

/* Scheduled run: park until fd is ready for events (sync/ipc.c). */
void		 sync_sched_poll(struct sync_ctx *, int fd, short events);

/* Absolute CLOCK_MONOTONIC time timeout_ns from now. */
void		 sync_deadline(struct timespec *, int64_t timeout_ns);

#endif
