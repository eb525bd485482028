/*
 * sync/chan.h: channels (queue, pipe, fifo, mqueue, socket) as pluggable
 * kinds behind one ops table.
 *
 * The executor never knows how a channel is built: `put Q v`, `x = recv P`,
 * `close P`, `open F write`, `len(Q)` all go to sync_chan_ops(kind). A kind
 * is one const table with designated initialisers (queue.c, pipe.c; the IPC
 * kinds add theirs to the list in chan.c). Its life:
 *
 *   setup     front end, before the runner forks: create the OS object
 *             (pipe(2), mkfifo, mq_open...) in the object's sync_obj and
 *             register every name with env->reg() so that run_stop()
 *             unlinks it on every exit path, signals included.
 *   attach    in each process after fork (front end, runner, thread
 *             host, every process worker): keep only the ends the
 *             process's workers use (see struct sync_proc) and count the
 *             users of each kept end; close the rest, so that EOF comes
 *             when the last writer closes.
 *   open ... len   in a worker. Each emits honest events: *_WAIT only
 *             after a non-blocking try failed, PUT stamped before the
 *             write, GET after the read.
 *   teardown  front end after the run: close what setup opened.
 *
 * get returns 0 with a value, 1 at end-of-file (every writer closed; it
 * emitted TRACE_CHAN_EOF), or -1 with *cause.
 */
#ifndef LOCKSTEP_SYNC_CHAN_H
#define LOCKSTEP_SYNC_CHAN_H

#include <stdint.h>

#include "sync/sync.h"

/* Registry kinds for names that must be removed after a run. */
enum sync_name_kind {
	SYNC_NAME_PATH,		/* unlink(2): fifo, socket, mapped file */
	SYNC_NAME_SHM,		/* shm_unlink(3) */
	SYNC_NAME_MQUEUE	/* mq_unlink(3) */
};

struct sync_setup {
	const char	*tmpdir;	/* the run's private temp dir */
	unsigned	 run_id;	/* unique per run and unpredictable
					   (random), for global names */
	/* Record a name to remove at the end of the run, before creating
	   it; forget it again if the creation failed (the name is then
	   not this run's: cleanup must leave it alone). */
	int		(*reg)(void *arg, enum sync_name_kind, const char *name);
	void		(*unreg)(void *arg, const char *name);
	void		*arg;
};

struct sync_chan_ops {
	const char	*name;
	int		(*setup)(struct sync_obj *, const struct trace_meta_object *,
			    const struct sync_setup *, char **cause);
	void		(*attach)(struct sync_obj *, struct sync_proc *,
			    struct sync_proc_obj *);
	int		(*open)(struct sync_ctx *, uint16_t o, int write,
			    char **cause);
	int		(*put)(struct sync_ctx *, uint16_t o, int64_t v,
			    int32_t priority, char **cause);
	int		(*get)(struct sync_ctx *, uint16_t o, int64_t *v,
			    char **cause);
	/* get without waiting: 0 got *v, 1 end-of-file, 2 empty (nothing
	   emitted). Optional (a queue's get_nowait). */
	int		(*try_get)(struct sync_ctx *, uint16_t o, int64_t *v,
			    char **cause);
	/* get waiting at most timeout_ns (scenario time in a scheduled
	   run): 0 got *v, 1 end-of-file, 3 timed out (CHAN_TIMEOUT
	   emitted). Optional (a queue's get(timeout=)). */
	int		(*timed_get)(struct sync_ctx *, uint16_t o, int64_t *v,
			    int64_t timeout_ns, char **cause);
	int		(*close)(struct sync_ctx *, uint16_t o, char **cause);
	int64_t		(*len)(struct sync_ctx *, uint16_t o);
	int		(*listen)(struct sync_ctx *, uint16_t o, char **cause);
	int		(*accept)(struct sync_ctx *, uint16_t o, char **cause);
	int		(*connect)(struct sync_ctx *, uint16_t o, char **cause);
	void		(*teardown)(struct sync_obj *);
};

/* The ops of a kind, or NULL if it is not a channel (or not built). */
const struct sync_chan_ops *sync_chan_ops(enum trace_obj_kind);

extern const struct sync_chan_ops sync_queue_ops;
extern const struct sync_chan_ops sync_pipe_ops;
/* The OS IPC kinds (fifo.c, mqueue.c, socket.c, mapped.c). mmap and shm
   are not channels: only setup (map the memory) and teardown. */
extern const struct sync_chan_ops sync_fifo_ops;
extern const struct sync_chan_ops sync_mqueue_ops;
extern const struct sync_chan_ops sync_socket_ops;
extern const struct sync_chan_ops sync_mmap_ops;
extern const struct sync_chan_ops sync_shm_ops;

/* Per-process channel state: the uses matrix (see struct sync_proc) and
   which workers run in this process (NULL: none, as in the front end and
   the runner). Attaches every channel object, closing unused ends. */
struct sync_proc *sync_proc_create(struct sync_obj *, size_t nobjs,
		    size_t nworkers, const uint8_t *uses, const uint8_t *member);
void		 sync_proc_free(struct sync_proc *);
/* Worker w's uses of object o in proc. */
static inline unsigned
sync_proc_uses(const struct sync_proc *proc, uint16_t o, uint16_t w)
{
	return (proc->uses[(size_t)o * proc->nworkers + w]);
}

/* Whether worker w closed its end of o (and mark it). */
int		 sync_chan_closed(const struct sync_obj *, uint16_t w);
void		 sync_chan_mark_closed(struct sync_obj *, uint16_t w);

/* The end (0 or 1) worker w uses of a duplex object. */
static inline int
sync_chan_end(const struct sync_obj *obj, uint16_t w)
{
	return (obj->first_user == (int32_t)w ? 0 : 1);
}

#endif
