/*
 * sync/chan.c: the table of channel kinds and per-process channel ends.
 *
 * sync_chan_ops() maps an object kind to its ops; the IPC kinds (fifo,
 * mqueue, socket, mmap, shm) add their tables to chan_kinds[] below. Each
 * process (front end, runner, thread host, process workers) builds a
 * struct sync_proc after fork: every channel kind's attach then keeps the
 * ends that process's workers use and closes the others.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "sync/chan.h"
#include "util/xmalloc.h"

static const struct sync_chan_ops *const chan_kinds[TRACE_OBJ_KIND_COUNT] = {
	[TRACE_OBJ_QUEUE] = &sync_queue_ops,
	[TRACE_OBJ_PIPE] = &sync_pipe_ops,
	[TRACE_OBJ_FIFO] = &sync_fifo_ops,
	[TRACE_OBJ_MQUEUE] = &sync_mqueue_ops,
	[TRACE_OBJ_SOCKET] = &sync_socket_ops,
	[TRACE_OBJ_MMAP] = &sync_mmap_ops,
	[TRACE_OBJ_SHM] = &sync_shm_ops,
};

const struct sync_chan_ops *
sync_chan_ops(enum trace_obj_kind kind)
{
	if ((unsigned)kind >= TRACE_OBJ_KIND_COUNT)
		return (NULL);
	return (chan_kinds[kind]);
}

struct sync_proc *
sync_proc_create(struct sync_obj *objs, size_t nobjs, size_t nworkers,
    const uint8_t *uses, const uint8_t *member)
{
	const struct sync_chan_ops	*ops;
	struct sync_proc		*proc;
	pthread_mutexattr_t		 ma;
	size_t				 i, j;

	proc = xcalloc(1, sizeof *proc);
	proc->nobjs = nobjs;
	proc->nworkers = nworkers;
	proc->o = xcalloc(nobjs > 0 ? nobjs : 1, sizeof *proc->o);
	proc->uses = uses;
	proc->member = xcalloc(nworkers > 0 ? nworkers : 1, 1);
	if (member != NULL) {
		for (i = 0; i < nworkers; i++)
			proc->member[i] = member[i];
	}
	pthread_mutexattr_init(&ma);
	pthread_mutex_init(&proc->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	for (i = 0; i < nobjs; i++) {
		for (j = 0; j < 4; j++)
			proc->o[i].fd[j] = -1;
		ops = sync_chan_ops(objs[i].kind);
		if (ops != NULL && ops->attach != NULL)
			ops->attach(&objs[i], proc, &proc->o[i]);
	}
	return (proc);
}

void
sync_proc_free(struct sync_proc *proc)
{
	size_t	i, j;

	if (proc == NULL)
		return;
	for (i = 0; i < proc->nobjs; i++) {
		for (j = 0; j < 4; j++) {
			if (proc->o[i].fd[j] != -1)
				close(proc->o[i].fd[j]);
		}
	}
	pthread_mutex_destroy(&proc->lock);
	free(proc->member);
	free(proc->o);
	free(proc);
}

int
sync_chan_closed(const struct sync_obj *obj, uint16_t w)
{
	return ((__atomic_load_n(&obj->closed[w / 64], __ATOMIC_RELAXED) >>
	    (w % 64)) & 1);
}

void
sync_chan_mark_closed(struct sync_obj *obj, uint16_t w)
{
	__atomic_fetch_or(&obj->closed[w / 64], (uint64_t)1 << (w % 64),
	    __ATOMIC_RELAXED);
}
