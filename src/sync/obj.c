/*
 * sync/obj.c: setting up scenario objects in shared memory.
 *
 * The front end initialises every object in the arena before the runner
 * forks: mutexes process-shared and robust (a worker killed while holding
 * one leaves EOWNERDEAD for the next locker instead of a hang), condition
 * variables process-shared on CLOCK_MONOTONIC (timeouts are monotonic like
 * every other time in a run), semaphores process-shared.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>

#include "sync/futex.h"
#include "sync/sync.h"
#include "util/xmalloc.h"

size_t
sync_obj_cells(const struct trace_meta_object *mo, size_t nworkers)
{
	switch (mo->kind) {
	case TRACE_OBJ_LOCAL:
		return (nworkers);
	case TRACE_OBJ_QUEUE:
	case TRACE_OBJ_MMAP:
	case TRACE_OBJ_SHM:
		return (mo->capacity > 0 ? (size_t)mo->capacity : 1);
	default:
		return (0);
	}
}

int
sync_obj_init(struct sync_obj *obj, const struct trace_meta_object *mo,
    uint16_t index, size_t nobjects, int64_t *cells, size_t nworkers,
    char **cause)
{
	pthread_mutexattr_t	ma;
	size_t			i;
	int			error;

	memset(obj, 0, sizeof *obj);
	obj->kind = mo->kind;
	obj->index = index;
	obj->flags = mo->flags;
	obj->capacity = mo->capacity;
	obj->initial = mo->initial;
	obj->owner = SYNC_NO_OWNER;
	obj->first_user = -1;
	obj->value = mo->initial;
	for (i = 0; i < 4; i++)
		obj->fd[i] = -1;
	obj->lock = index;
	if (mo->kind == TRACE_OBJ_CONDITION && mo->lock < nobjects &&
	    mo->lock != TRACE_NO_OBJECT)
		obj->lock = mo->lock;

	obj->cells = cells;
	obj->ncells = sync_obj_cells(mo, nworkers);
	if (mo->kind == TRACE_OBJ_LOCAL) {
		for (i = 0; i < obj->ncells; i++)
			cells[i] = mo->initial;
	}

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	error = pthread_mutex_init(&obj->mutex, &ma);
	pthread_mutexattr_destroy(&ma);
	if (error != 0) {
		xasprintf(cause, "%s: mutex: %s", mo->name, strerror(error));
		return (-1);
	}
	obj->cond = obj->cond2 = 0;

	if (mo->kind == TRACE_OBJ_SEMAPHORE) {
		if (mo->capacity < 0 || mo->capacity > SEM_VALUE_MAX) {
			xasprintf(cause, "%s: bad semaphore value %lld",
			    mo->name, (long long)mo->capacity);
			return (-1);
		}
		if (sem_init(&obj->sem, 1, (unsigned)mo->capacity) != 0) {
			xasprintf(cause, "%s: sem_init: %s", mo->name,
			    strerror(errno));
			return (-1);
		}
	}
	return (0);
}

void
sync_obj_done(struct sync_obj *obj)
{
	/* Destroying a robust mutex whose owner died, or a condition with
	   waiters that were killed, is undefined: the memory is unmapped
	   right after, so nothing is destroyed. */
	(void)obj;
}

void
sync_deadline(struct timespec *ts, int64_t timeout_ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += timeout_ns / 1000000000;
	ts->tv_nsec += timeout_ns % 1000000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

void
sync_obj_lock(struct sync_obj *obj)
{
	if (pthread_mutex_lock(&obj->mutex) == EOWNERDEAD)
		pthread_mutex_consistent(&obj->mutex);
}

void
sync_obj_unlock(struct sync_obj *obj)
{
	pthread_mutex_unlock(&obj->mutex);
}

int
sync_cv_wait(pthread_mutex_t *m, uint32_t *cv, const struct timespec *deadline)
{
	struct timespec	now;
	int64_t		left = -1;
	uint32_t	seq;
	int		r;

	/* Read under m: a change made after this read (under m too) makes
	   the futex wait return at once, so no wake-up is lost. */
	seq = __atomic_load_n(cv, __ATOMIC_ACQUIRE);
	if (deadline != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (int64_t)(deadline->tv_sec - now.tv_sec) * 1000000000 +
		    (deadline->tv_nsec - now.tv_nsec);
		if (left <= 0)
			return (ETIMEDOUT);
	}
	pthread_mutex_unlock(m);
	sync_futex_wait(cv, seq, left);
	r = pthread_mutex_lock(m);
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(m);
	if (deadline != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline->tv_sec ||
		    (now.tv_sec == deadline->tv_sec &&
		    now.tv_nsec >= deadline->tv_nsec))
			return (r == EOWNERDEAD ? EOWNERDEAD : ETIMEDOUT);
	}
	return (r == EOWNERDEAD ? EOWNERDEAD : 0);
}

void
sync_cv_wake(uint32_t *cv)
{
	__atomic_add_fetch(cv, 1, __ATOMIC_RELEASE);
	sync_futex_wake(cv, INT_MAX);
}

int
sync_obj_wait(struct sync_obj *obj, uint32_t *cv,
    const struct timespec *deadline)
{
	return (sync_cv_wait(&obj->mutex, cv, deadline) == ETIMEDOUT ?
	    ETIMEDOUT : 0);
}
