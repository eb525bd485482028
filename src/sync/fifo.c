/*
 * sync/fifo.c: a named pipe (mkfifo) in the run's temp dir.
 *
 * The front end creates the FIFO before the runner forks (its path is
 * registered first, so every exit path unlinks it). Nothing is inherited:
 * like two unrelated programs, each worker opens it by name with
 * `open F read` or `open F write`, and the OS makes an open block until
 * the other end is open too. Opens are honest: each side counts itself in
 * the object's shared state (READERS, WRITERS: opening or open) before it
 * calls open(2), then looks at the other side's count:
 *
 *   other side there  its open returns at once, and may be what lets the
 *                     other side's blocked open return, so CHAN_OPEN is
 *                     emitted first (published before the real open, as
 *                     the ring's merge needs), then open(2).
 *   nobody there      a writer tries open(O_WRONLY|O_NONBLOCK), which fails
 *                     with ENXIO exactly when no reader has the FIFO open;
 *                     a reader cannot try (a non-blocking read open always
 *                     succeeds). Then CHAN_OPEN_WAIT, a real blocking
 *                     open(2) with the worker marked blocked, CHAN_OPEN.
 *
 * Of two sides arriving together at least one sees the other's count, so
 * they never both wait for nothing. End 0 reads, end 1 writes (a1).
 *
 * After the open the descriptor is made non-blocking and behaves as a
 * pipe (see pipe.c): recv tries, emits CHAN_GET_WAIT and waits in poll
 * when empty, and returns end-of-file once every writer closed. Threads
 * of one process share the process's descriptor for an end, as threads
 * share every file descriptor: the first opener really opens it, it is
 * closed when the last of them closes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync/ipc.h"
#include "util/xmalloc.h"

#define FIFO_READERS(obj)	((obj)->spare[0])	/* opening or open */
#define FIFO_WRITERS(obj)	((obj)->spare[1])

static int
fifo_setup(struct sync_obj *obj, const struct trace_meta_object *mo,
    const struct sync_setup *env, char **cause)
{
	if (sync_ipc_path(obj, mo, env, "fifo", cause) != 0)
		return (-1);
	if (mkfifo(obj->path, 0600) != 0) {
		xasprintf(cause, "line %d: %s: mkfifo %s: %s", mo->line,
		    mo->name, obj->path, strerror(errno));
		return (-1);
	}
	return (0);
}

/* open(2) that restarts after a signal. */
static int
fifo_open_path(const char *path, int flags)
{
	int	fd;

	do
		fd = open(path, flags | O_CLOEXEC);
	while (fd == -1 && errno == EINTR);
	return (fd);
}

/* Keep fd as this process's descriptor for end (or share the one another
   thread opened meanwhile). */
static void
fifo_keep(struct sync_ctx *ctx, uint16_t o, int end, int fd)
{
	struct sync_proc_obj	*po = &ctx->proc->o[o];

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	pthread_mutex_lock(&ctx->proc->lock);
	if (po->fd[end] == -1)
		po->fd[end] = fd;
	else
		close(fd);
	po->refs[end]++;
	pthread_mutex_unlock(&ctx->proc->lock);
}

static int
fifo_open(struct sync_ctx *ctx, uint16_t o, int write, char **cause)
{
	struct sync_obj		*obj = &ctx->objs[o];
	struct sync_proc_obj	*po = &ctx->proc->o[o];
	int64_t			*mine, *other;
	int			 end = write ? 1 : 0, fd, opened = 0;

	if (sync_chan_closed(obj, ctx->worker)) {
		xasprintf(cause, "open of a fifo this worker closed");
		return (-1);
	}
	mine = write ? &FIFO_WRITERS(obj) : &FIFO_READERS(obj);
	other = write ? &FIFO_READERS(obj) : &FIFO_WRITERS(obj);
	__atomic_add_fetch(mine, 1, __ATOMIC_SEQ_CST);

	pthread_mutex_lock(&ctx->proc->lock);
	if (po->fd[end] != -1) {
		/* Another thread of this process has that end open. */
		po->refs[end]++;
		pthread_mutex_unlock(&ctx->proc->lock);
		trace_emit(ctx->tp, TRACE_CHAN_OPEN, o, 0, end);
		return (0);
	}
	pthread_mutex_unlock(&ctx->proc->lock);

	if (__atomic_load_n(other, __ATOMIC_SEQ_CST) > 0) {
		/* The other end is open or being opened: this open returns
		   at once, and may be what lets the other side's open
		   return, so its event goes first. */
		trace_emit(ctx->tp, TRACE_CHAN_OPEN, o, 0, end);
		opened = 1;
		/* Scheduled, a reader never blocks in open: the writer it
		   counted may be parked before its own open. */
		fd = fifo_open_path(obj->path, write ? O_WRONLY : O_RDONLY |
		    (ctx->sched != NULL ? O_NONBLOCK : 0));
	} else if (ctx->sched != NULL) {
		/* Scheduled: park until the other side counts itself (its
		   open wakes SYNC_KEY_IO), then open without blocking. */
		trace_emit(ctx->tp, TRACE_CHAN_OPEN_WAIT, o, 0, end);
		if (write) {
			while ((fd = fifo_open_path(obj->path, O_WRONLY |
			    O_NONBLOCK)) == -1 && errno == ENXIO)
				sync_sched_wait(ctx, SYNC_KEY_IO, -1);
		} else {
			fd = fifo_open_path(obj->path, O_RDONLY | O_NONBLOCK);
			while (fd != -1 && __atomic_load_n(other,
			    __ATOMIC_SEQ_CST) == 0)
				sync_sched_wait(ctx, SYNC_KEY_IO, -1);
		}
	} else {
		fd = -1;
		errno = ENXIO;
		if (write)
			fd = fifo_open_path(obj->path, O_WRONLY | O_NONBLOCK);
		if (fd == -1 && errno == ENXIO) {
			trace_emit(ctx->tp, TRACE_CHAN_OPEN_WAIT, o, 0, end);
			sync_block_begin(ctx);
			fd = fifo_open_path(obj->path, write ? O_WRONLY :
			    O_RDONLY);
			sync_block_end(ctx);
		}
	}
	if (fd == -1) {
		__atomic_sub_fetch(mine, 1, __ATOMIC_SEQ_CST);
		xasprintf(cause, "open %s for %s: %s", obj->path, write ?
		    "writing" : "reading", strerror(errno));
		return (-1);
	}
	if (!opened)
		trace_emit(ctx->tp, TRACE_CHAN_OPEN, o, 0, end);
	fifo_keep(ctx, o, end, fd);
	return (0);
}

/* This process's descriptor for end, or -1. */
static int
fifo_fd(struct sync_ctx *ctx, uint16_t o, int end)
{
	int	fd;

	pthread_mutex_lock(&ctx->proc->lock);
	fd = ctx->proc->o[o].fd[end];
	pthread_mutex_unlock(&ctx->proc->lock);
	return (fd);
}

static int
fifo_put(struct sync_ctx *ctx, uint16_t o, int64_t v, int32_t prio,
    char **cause)
{
	int	fd;

	(void)prio;
	if (sync_chan_closed(&ctx->objs[o], ctx->worker)) {
		xasprintf(cause, "send on a fifo this worker closed");
		return (-1);
	}
	if ((fd = fifo_fd(ctx, o, 1)) == -1) {
		xasprintf(cause, "send on a fifo not open for writing "
		    "(`open ... write` first)");
		return (-1);
	}
	return (sync_ipc_put_fd(ctx, o, fd, v, 1, cause));
}

static int
fifo_get(struct sync_ctx *ctx, uint16_t o, int64_t *v, char **cause)
{
	int	fd;

	if (sync_chan_closed(&ctx->objs[o], ctx->worker)) {
		xasprintf(cause, "recv on a fifo this worker closed");
		return (-1);
	}
	if ((fd = fifo_fd(ctx, o, 0)) == -1) {
		xasprintf(cause, "recv on a fifo not open for reading "
		    "(`open ... read` first)");
		return (-1);
	}
	return (sync_ipc_get_fd(ctx, o, fd, v, 0, cause));
}

static int
fifo_close(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj		*obj = &ctx->objs[o];
	struct sync_proc_obj	*po = &ctx->proc->o[o];
	unsigned		 u = sync_proc_uses(ctx->proc, o, ctx->worker);
	int			 slot[2], nslot = 0, i;

	if (sync_chan_closed(obj, ctx->worker)) {
		xasprintf(cause, "close of a fifo this worker already closed");
		return (-1);
	}
	pthread_mutex_lock(&ctx->proc->lock);
	if ((u & SYNC_USE_SEND) && po->refs[1] > 0)
		slot[nslot++] = 1;
	if ((u & SYNC_USE_RECV) && po->refs[0] > 0)
		slot[nslot++] = 0;
	pthread_mutex_unlock(&ctx->proc->lock);
	if (nslot == 0) {
		xasprintf(cause, "close of a fifo this worker did not open");
		return (-1);
	}
	sync_chan_mark_closed(obj, ctx->worker);
	trace_emit(ctx->tp, TRACE_CHAN_CLOSE, o, 0, slot[0]);
	pthread_mutex_lock(&ctx->proc->lock);
	for (i = 0; i < nslot; i++) {
		__atomic_sub_fetch(slot[i] == 1 ? &FIFO_WRITERS(obj) :
		    &FIFO_READERS(obj), 1, __ATOMIC_SEQ_CST);
		if (--po->refs[slot[i]] == 0 && po->fd[slot[i]] != -1) {
			close(po->fd[slot[i]]);
			po->fd[slot[i]] = -1;
		}
	}
	pthread_mutex_unlock(&ctx->proc->lock);
	return (0);
}

static int64_t
fifo_len(struct sync_ctx *ctx, uint16_t o)
{
	struct sync_proc_obj	*po = &ctx->proc->o[o];
	int			 fd, n = 0;

	pthread_mutex_lock(&ctx->proc->lock);
	fd = po->fd[0] != -1 ? po->fd[0] : po->fd[1];
	if (fd == -1 || ioctl(fd, FIONREAD, &n) != 0)
		n = 0;
	pthread_mutex_unlock(&ctx->proc->lock);
	return (n / (int)sizeof(int64_t));
}

const struct sync_chan_ops sync_fifo_ops = {
	.name = "fifo",
	.setup = fifo_setup,
	.open = fifo_open,
	.put = fifo_put,
	.get = fifo_get,
	.close = fifo_close,
	.len = fifo_len,
};
