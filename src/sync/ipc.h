/*
 * sync/ipc.h: helpers shared by the OS IPC channel kinds (fifo, socket,
 * mqueue, mmap / shm): unique names, and honest 8-byte messages over a
 * non-blocking descriptor.
 *
 * Internal to src/sync/: the executor never sees these, only the ops
 * tables of chan.h.
 */
#ifndef LOCKSTEP_SYNC_IPC_H
#define LOCKSTEP_SYNC_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "sync/chan.h"

/* obj->path = "<tmpdir>/<what>-<index>" (the run's private temp dir) and
   registered with env->reg for unlink(2). -1 with *cause if it does not
   fit or cannot be registered. */
int	 sync_ipc_path(struct sync_obj *, const struct trace_meta_object *,
	    const struct sync_setup *, const char *what, char **cause);
/* obj->path = "/lockstep-<pid>-<run>-<index>", unique per run (<run> is
   random), registered with env->reg as kind (SYNC_NAME_SHM or
   SYNC_NAME_MQUEUE). */
int	 sync_ipc_name(struct sync_obj *, const struct trace_meta_object *,
	    const struct sync_setup *, enum sync_name_kind, char **cause);
/* The creation of obj->path failed: forget the name (cleanup must never
   remove what this run did not create) and say why in *cause, with a
   word on EEXIST (someone else holds the name). */
void	 sync_ipc_create_failed(struct sync_obj *,
	    const struct trace_meta_object *, const struct sync_setup *,
	    const char *what, int error, char **cause);

/* Block in poll(2) until fd has events, with the worker marked blocked. */
void	 sync_ipc_poll(struct sync_ctx *, int fd, short events);

/* Send v as 8 bytes on non-blocking fd (pipe, fifo, stream socket): emits
   CHAN_PUT_WAIT (only if the fd is not writable now) and CHAN_PUT (stamped
   before the write) with a1 = end. Partial writes of a stream continue. */
int	 sync_ipc_put_fd(struct sync_ctx *, uint16_t o, int fd, int64_t v,
	    int32_t end, char **cause);
/* Receive 8 bytes: 0 with *v (CHAN_GET after the read), 1 at end-of-file
   (CHAN_EOF), -1 with *cause. CHAN_GET_WAIT once if it had to wait. */
int	 sync_ipc_get_fd(struct sync_ctx *, uint16_t o, int fd, int64_t *v,
	    int32_t end, char **cause);

/* Worker w's bit in a 256-bit set kept in four int64 words. */
int	 sync_ipc_bit(const int64_t *set, uint16_t w);
void	 sync_ipc_set_bit(int64_t *set, uint16_t w);

#endif
