/*
 * sync/pipe.c: Python's multiprocessing.Pipe on real file descriptors.
 *
 * `pipe P` is a pipe(2): end 0 reads, end 1 writes; `send` is done by
 * every worker whose body sends on P, `recv` by those that receive.
 * `pipe P duplex` is a SOCK_SEQPACKET socketpair: the first worker (in
 * meta order) that uses P holds end 0, every other user end 1, and each
 * end both sends and receives. Messages are 8-byte integers; writes of
 * 8 <= PIPE_BUF bytes are atomic, so messages never interleave.
 *
 * Ends are created by the front end before the runner forks and inherited
 * by every process; after fork each process keeps only the ends its
 * workers use (attach), so end-of-file works as the OS defines it: a recv
 * returns EOF once every holder of the write end has closed it, i.e. when
 * the last sending worker ran `close P` (or ended, for a process). In the
 * thread host the threads share one descriptor: it is closed when the last
 * of its threads using it closes P. `close P` closes the end(s) the worker
 * uses; a send after it is a runtime error.
 *
 * Descriptors are non-blocking so a recv can try first: a read that would
 * block emits CHAN_GET_WAIT and waits in poll(2) (the real wait), then
 * reads. A send on a full pipe emits CHAN_PUT_WAIT the same way. CHAN_PUT
 * is stamped before the write, CHAN_GET after the read. At EOF the worker
 * gets CHAN_EOF and `v = recv P` stores -1 (see doc/scenario-language.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync/chan.h"
#include "util/xmalloc.h"

static int
pipe_duplex(const struct sync_obj *obj)
{
	return ((obj->flags & TRACE_OBJF_DUPLEX) != 0);
}

static int
pipe_setup(struct sync_obj *obj, const struct trace_meta_object *mo,
    const struct sync_setup *env, char **cause)
{
	int	fd[2];

	(void)env;
	if (pipe_duplex(obj)) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0, fd) != 0) {
			xasprintf(cause, "%s: socketpair: %s", mo->name,
			    strerror(errno));
			return (-1);
		}
	} else if (pipe2(fd, O_NONBLOCK | O_CLOEXEC) != 0) {
		xasprintf(cause, "%s: pipe: %s", mo->name, strerror(errno));
		return (-1);
	}
	obj->fd[0] = fd[0];
	obj->fd[1] = fd[1];
	return (0);
}

static void
pipe_attach(struct sync_obj *obj, struct sync_proc *proc,
    struct sync_proc_obj *po)
{
	unsigned	u;
	size_t		w;
	int		i;

	for (w = 0; w < proc->nworkers; w++) {
		if (!proc->member[w])
			continue;
		u = sync_proc_uses(proc, obj->index, (uint16_t)w);
		if (pipe_duplex(obj)) {
			if (u != 0)
				po->refs[sync_chan_end(obj, (uint16_t)w)]++;
		} else {
			if (u & SYNC_USE_RECV)
				po->refs[0]++;
			if (u & SYNC_USE_SEND)
				po->refs[1]++;
		}
	}
	for (i = 0; i < 2; i++) {
		if (obj->fd[i] == -1)
			continue;
		if (po->refs[i] > 0)
			po->fd[i] = obj->fd[i];
		else
			close(obj->fd[i]);
	}
}

/* The descriptor worker w sends (write) or receives on, or -1. */
static int
pipe_fd(struct sync_ctx *ctx, uint16_t o, int write)
{
	struct sync_obj		*obj = &ctx->objs[o];
	struct sync_proc_obj	*po = &ctx->proc->o[o];
	int			 fd;

	pthread_mutex_lock(&ctx->proc->lock);
	if (pipe_duplex(obj))
		fd = po->fd[sync_chan_end(obj, ctx->worker)];
	else
		fd = po->fd[write ? 1 : 0];
	pthread_mutex_unlock(&ctx->proc->lock);
	return (fd);
}

static int
pipe_end(struct sync_ctx *ctx, uint16_t o, int write)
{
	struct sync_obj	*obj = &ctx->objs[o];

	if (pipe_duplex(obj))
		return (sync_chan_end(obj, ctx->worker));
	return (write ? 1 : 0);
}

/* Block in poll until fd is ready for events. */
static void
pipe_poll(struct sync_ctx *ctx, int fd, short events)
{
	struct pollfd	pfd = { .fd = fd, .events = events };

	if (ctx->sched != NULL) {
		sync_sched_poll(ctx, fd, events);
		return;
	}
	sync_block_begin(ctx);
	while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
		;
	sync_block_end(ctx);
}

static int
pipe_put(struct sync_ctx *ctx, uint16_t o, int64_t v, int32_t prio,
    char **cause)
{
	struct pollfd	pfd;
	ssize_t		n;
	int		fd, end = pipe_end(ctx, o, 1);

	(void)prio;
	if (sync_chan_closed(&ctx->objs[o], ctx->worker) ||
	    (fd = pipe_fd(ctx, o, 1)) == -1) {
		xasprintf(cause, "send on a pipe this worker closed");
		return (-1);
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, 0) == 0) {
		trace_emit(ctx->tp, TRACE_CHAN_PUT_WAIT, o, v, end);
		pipe_poll(ctx, fd, POLLOUT);
	}
	trace_emit(ctx->tp, TRACE_CHAN_PUT, o, v, end);
	for (;;) {
		n = write(fd, &v, sizeof v);
		if (n == (ssize_t)sizeof v)
			return (0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			pipe_poll(ctx, fd, POLLOUT);
			continue;
		}
		if (n == -1 && errno == EPIPE)
			xasprintf(cause, "send on a pipe nobody receives from");
		else
			xasprintf(cause, "send: %s", n == -1 ?
			    strerror(errno) : "short write");
		return (-1);
	}
}

static int
pipe_get(struct sync_ctx *ctx, uint16_t o, int64_t *v, char **cause)
{
	ssize_t	n;
	int	fd, waited = 0, end = pipe_end(ctx, o, 0);

	if (sync_chan_closed(&ctx->objs[o], ctx->worker) ||
	    (fd = pipe_fd(ctx, o, 0)) == -1) {
		xasprintf(cause, "recv on a pipe this worker closed");
		return (-1);
	}
	for (;;) {
		n = read(fd, v, sizeof *v);
		if (n == (ssize_t)sizeof *v) {
			trace_emit(ctx->tp, TRACE_CHAN_GET, o, *v, end);
			return (0);
		}
		if (n == 0) {
			trace_emit(ctx->tp, TRACE_CHAN_EOF, o, 0, end);
			return (1);
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if (!waited) {
				trace_emit(ctx->tp, TRACE_CHAN_GET_WAIT, o, 0,
				    end);
				waited = 1;
			}
			pipe_poll(ctx, fd, POLLIN);
			continue;
		}
		xasprintf(cause, "recv: %s", n == -1 ? strerror(errno) :
		    "short read");
		return (-1);
	}
}

static int
pipe_close(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj		*obj = &ctx->objs[o];
	struct sync_proc_obj	*po = &ctx->proc->o[o];
	unsigned		 u = sync_proc_uses(ctx->proc, o, ctx->worker);
	int			 slot[2], nslot = 0, i;

	if (sync_chan_closed(obj, ctx->worker)) {
		xasprintf(cause, "close of a pipe this worker already closed");
		return (-1);
	}
	sync_chan_mark_closed(obj, ctx->worker);
	if (pipe_duplex(obj))
		slot[nslot++] = sync_chan_end(obj, ctx->worker);
	else {
		if (u & SYNC_USE_SEND)
			slot[nslot++] = 1;
		if (u & SYNC_USE_RECV)
			slot[nslot++] = 0;
	}
	trace_emit(ctx->tp, TRACE_CHAN_CLOSE, o, 0, nslot > 0 ? slot[0] :
	    pipe_end(ctx, o, 1));
	pthread_mutex_lock(&ctx->proc->lock);
	for (i = 0; i < nslot; i++) {
		if (po->refs[slot[i]] > 0 && --po->refs[slot[i]] == 0 &&
		    po->fd[slot[i]] != -1) {
			close(po->fd[slot[i]]);
			po->fd[slot[i]] = -1;
		}
	}
	pthread_mutex_unlock(&ctx->proc->lock);
	return (0);
}

static int64_t
pipe_len(struct sync_ctx *ctx, uint16_t o)
{
	struct sync_proc_obj	*po = &ctx->proc->o[o];
	int			 fd, n = 0;

	fd = po->fd[0] != -1 ? po->fd[0] : po->fd[1];
	if (fd == -1 || ioctl(fd, FIONREAD, &n) != 0)
		return (0);
	return (n / (int)sizeof(int64_t));
}

const struct sync_chan_ops sync_pipe_ops = {
	.name = "pipe",
	.setup = pipe_setup,
	.attach = pipe_attach,
	.put = pipe_put,
	.get = pipe_get,
	.close = pipe_close,
	.len = pipe_len,
};
