/*
 * sync/ipc.c: names and descriptor I/O shared by the OS IPC kinds.
 *
 * Names. Objects that live in the file system (fifo, unix socket, mapped
 * file) get a path in the run's private temp dir (mkdtemp, so unique per
 * run); global names (POSIX shm, message queues) get
 * "/lockstep-<front end pid>-<run id>-<object index>". Every name is
 * registered with the run's registry (env->reg) *before* the object is
 * created, so whatever exit path the run takes, run_stop() removes it.
 *
 * Messages. A channel carries 64-bit integers as 8 raw bytes. Descriptors
 * are non-blocking so an operation can try first: only when poll(2) says
 * the descriptor is not ready does the worker emit the *_WAIT event and
 * block for real in poll, with its blocked word raised. A stream socket
 * may deliver a message in pieces, so both directions loop until all 8
 * bytes moved; on a pipe or fifo a write of 8 <= PIPE_BUF bytes is atomic
 * and never split.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sync/ipc.h"
#include "util/xmalloc.h"

int
sync_ipc_path(struct sync_obj *obj, const struct trace_meta_object *mo,
    const struct sync_setup *env, const char *what, char **cause)
{
	int	n;

	n = snprintf(obj->path, sizeof obj->path, "%s/%s-%u", env->tmpdir,
	    what, (unsigned)obj->index);
	if (n < 0 || (size_t)n >= sizeof obj->path) {
		xasprintf(cause, "line %d: %s: temp dir path too long for a "
		    "%s (%s)", mo->line, mo->name, what, env->tmpdir);
		obj->path[0] = '\0';
		return (-1);
	}
	if (env->reg != NULL && env->reg(env->arg, SYNC_NAME_PATH,
	    obj->path) != 0) {
		xasprintf(cause, "line %d: %s: too many named objects in one "
		    "run", mo->line, mo->name);
		obj->path[0] = '\0';
		return (-1);
	}
	return (0);
}

int
sync_ipc_name(struct sync_obj *obj, const struct trace_meta_object *mo,
    const struct sync_setup *env, enum sync_name_kind kind, char **cause)
{
	snprintf(obj->path, sizeof obj->path, "/lockstep-%ld-%u-%u",
	    (long)getpid(), env->run_id, (unsigned)obj->index);
	if (env->reg != NULL && env->reg(env->arg, kind, obj->path) != 0) {
		xasprintf(cause, "line %d: %s: too many named objects in one "
		    "run", mo->line, mo->name);
		obj->path[0] = '\0';
		return (-1);
	}
	return (0);
}

/* Scheduled: a descriptor that is not ready parks the worker on
   SYNC_KEY_IO, which every channel operation and every worker's end wakes
   (with one worker running at a time, a local write is visible when the
   writer's step ends). */
void
sync_sched_poll(struct sync_ctx *ctx, int fd, short events)
{
	struct pollfd	pfd = { .fd = fd, .events = events };

	for (;;) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) > 0)
			return;
		sync_sched_wait(ctx, SYNC_KEY_IO, -1);
	}
}

void
sync_ipc_poll(struct sync_ctx *ctx, int fd, short events)
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

int
sync_ipc_put_fd(struct sync_ctx *ctx, uint16_t o, int fd, int64_t v,
    int32_t end, char **cause)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLOUT };
	const char	*p = (const char *)&v;
	size_t		 done = 0;
	ssize_t		 n;

	if (poll(&pfd, 1, 0) == 0) {
		trace_emit(ctx->tp, TRACE_CHAN_PUT_WAIT, o, v, end);
		sync_ipc_poll(ctx, fd, POLLOUT);
	}
	trace_emit(ctx->tp, TRACE_CHAN_PUT, o, v, end);
	while (done < sizeof v) {
		n = write(fd, p + done, sizeof v - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			sync_ipc_poll(ctx, fd, POLLOUT);
			continue;
		}
		if (n == -1 && (errno == EPIPE || errno == ECONNRESET))
			xasprintf(cause, "send: the other end is closed (%s)",
			    strerror(errno));
		else
			xasprintf(cause, "send: %s", n == -1 ?
			    strerror(errno) : "nothing written");
		return (-1);
	}
	return (0);
}

int
sync_ipc_get_fd(struct sync_ctx *ctx, uint16_t o, int fd, int64_t *v,
    int32_t end, char **cause)
{
	char	*p = (char *)v;
	size_t	 done = 0;
	ssize_t	 n;
	int	 waited = 0;

	while (done < sizeof *v) {
		n = read(fd, p + done, sizeof *v - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0 && done == 0) {
			trace_emit(ctx->tp, TRACE_CHAN_EOF, o, 0, end);
			return (1);
		}
		if (n == 0) {
			xasprintf(cause, "recv: end-of-file in the middle of "
			    "a message (%zu of 8 bytes)", done);
			return (-1);
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (!waited && done == 0) {
				trace_emit(ctx->tp, TRACE_CHAN_GET_WAIT, o, 0,
				    end);
				waited = 1;
			}
			sync_ipc_poll(ctx, fd, POLLIN);
			continue;
		}
		if (errno == ECONNRESET && done == 0) {
			/* The peer closed with data unread: the stream is
			   over, as at end-of-file. */
			trace_emit(ctx->tp, TRACE_CHAN_EOF, o, 0, end);
			return (1);
		}
		xasprintf(cause, "recv: %s", strerror(errno));
		return (-1);
	}
	trace_emit(ctx->tp, TRACE_CHAN_GET, o, *v, end);
	return (0);
}

int
sync_ipc_bit(const int64_t *set, uint16_t w)
{
	uint64_t	word;

	word = (uint64_t)__atomic_load_n(&set[(w / 64) % 4], __ATOMIC_ACQUIRE);
	return ((int)((word >> (w % 64)) & 1));
}

void
sync_ipc_set_bit(int64_t *set, uint16_t w)
{
	__atomic_fetch_or(&set[(w / 64) % 4], (int64_t)((uint64_t)1 <<
	    (w % 64)), __ATOMIC_RELEASE);
}
