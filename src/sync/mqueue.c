/*
 * sync/mqueue.c: a POSIX message queue (mq_open) with priorities.
 *
 * The front end creates the queue before the runner forks, under a name
 * unique to the run ("/lockstep-<pid>-<run>-<object>", registered first so
 * that every exit path mq_unlinks it), non-blocking, holding `capacity`
 * messages of 8 bytes. The descriptor is inherited through fork; attach
 * keeps it only in processes whose workers use the queue.
 *
 * The kernel keeps the messages sorted: highest priority first, FIFO
 * within a priority. send tries first: when poll(2) says the queue is full
 * it emits CHAN_PUT_WAIT and waits in poll, then emits CHAN_PUT (before
 * mq_send, a1 = priority). recv does the same on an empty queue
 * (CHAN_GET_WAIT) and emits CHAN_GET after mq_receive with the priority
 * the message carried. A message queue has no end-of-file: `close M` only
 * closes this worker's use of it.
 *
 * Limits: a queue larger than /proc/sys/fs/mqueue/msg_max (10 by default)
 * is refused by the kernel for unprivileged users, and the number of
 * queues by queues_max and RLIMIT_MSGQUEUE; such failures are reported
 * with the declaration's line and the limit that applies.
 */
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sync/ipc.h"
#include "util/xmalloc.h"

#define MQ_MSGSIZE	((long)sizeof(int64_t))

/* A number from /proc/sys/fs/mqueue, or -1. */
static long
mqueue_sysctl(const char *name)
{
	char	 path[128];
	FILE	*f;
	long	 v = -1;

	snprintf(path, sizeof path, "/proc/sys/fs/mqueue/%s", name);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return (v);
}

/* A resource limit as text ("unlimited" or the number). */
static const char *
mqueue_rlim(rlim_t v, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		return ("unlimited");
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return (buf);
}

static int
mqueue_setup(struct sync_obj *obj, const struct trace_meta_object *mo,
    const struct sync_setup *env, char **cause)
{
	struct mq_attr	attr;
	struct rlimit	nofile, msgq;
	mqd_t		mq;
	long		max;
	char		lim1[32], lim2[32];
	int		saved;

	if (sync_ipc_name(obj, mo, env, SYNC_NAME_MQUEUE, cause) != 0)
		return (-1);
	memset(&attr, 0, sizeof attr);
	attr.mq_maxmsg = obj->capacity > 0 ? (long)obj->capacity : 1;
	attr.mq_msgsize = MQ_MSGSIZE;
	mq = mq_open(obj->path, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600,
	    &attr);
	if (mq != (mqd_t)-1) {
		obj->fd[0] = (int)mq;
		return (0);
	}
	saved = errno;
	if (env->unreg != NULL)
		env->unreg(env->arg, obj->path);
	switch (saved) {
	case EINVAL:
		max = mqueue_sysctl("msg_max");
		xasprintf(cause, "line %d: %s: a message queue of %ld messages "
		    "is over the system limit (/proc/sys/fs/mqueue/msg_max "
		    "= %ld)", mo->line, mo->name, attr.mq_maxmsg, max);
		break;
	case EEXIST:
		xasprintf(cause, "line %d: %s: mq_open %s: the name exists "
		    "already (not created by this run: left alone)", mo->line,
		    mo->name, obj->path);
		break;
	case EMFILE:
		/* Descriptors (RLIMIT_NOFILE) or, from the kernel's
		   mqueue_get_inode, the bytes of this user's queues
		   (RLIMIT_MSGQUEUE): not queues_max. */
		getrlimit(RLIMIT_NOFILE, &nofile);
		getrlimit(RLIMIT_MSGQUEUE, &msgq);
		xasprintf(cause, "line %d: %s: mq_open %s: %s (the open files "
		    "limit, RLIMIT_NOFILE = %s, or this user's message queue "
		    "bytes, RLIMIT_MSGQUEUE = %s)", mo->line, mo->name,
		    obj->path, strerror(saved), mqueue_rlim(nofile.rlim_cur,
		    lim1, sizeof lim1), mqueue_rlim(msgq.rlim_cur, lim2,
		    sizeof lim2));
		break;
	case ENOSPC:
	case ENOMEM:
		max = mqueue_sysctl("queues_max");
		if (max < 0)
			xasprintf(cause, "line %d: %s: mq_open %s: %s (the "
			    "system's limit on queues, /proc/sys/fs/mqueue/"
			    "queues_max)", mo->line, mo->name, obj->path,
			    strerror(saved));
		else
			xasprintf(cause, "line %d: %s: mq_open %s: %s (the "
			    "system's limit on queues: queues_max = %ld)",
			    mo->line, mo->name, obj->path, strerror(saved),
			    max);
		break;
	default:
		xasprintf(cause, "line %d: %s: mq_open %s: %s", mo->line,
		    mo->name, obj->path, strerror(saved));
		break;
	}
	return (-1);
}

static void
mqueue_attach(struct sync_obj *obj, struct sync_proc *proc,
    struct sync_proc_obj *po)
{
	size_t	w;

	for (w = 0; w < proc->nworkers; w++) {
		if (proc->member[w] &&
		    sync_proc_uses(proc, obj->index, (uint16_t)w) != 0)
			po->refs[0]++;
	}
	if (obj->fd[0] == -1)
		return;
	if (po->refs[0] > 0)
		po->fd[0] = obj->fd[0];
	else
		mq_close((mqd_t)obj->fd[0]);
}

/* This process's descriptor, or -1 (with *cause) when the worker closed
   it or never had it. */
static int
mqueue_fd(struct sync_ctx *ctx, uint16_t o, const char *what, char **cause)
{
	int	fd;

	if (sync_chan_closed(&ctx->objs[o], ctx->worker)) {
		xasprintf(cause, "%s on a message queue this worker closed",
		    what);
		return (-1);
	}
	pthread_mutex_lock(&ctx->proc->lock);
	fd = ctx->proc->o[o].fd[0];
	pthread_mutex_unlock(&ctx->proc->lock);
	if (fd == -1)
		xasprintf(cause, "%s on a message queue not open here", what);
	return (fd);
}

static int
mqueue_put(struct sync_ctx *ctx, uint16_t o, int64_t v, int32_t prio,
    char **cause)
{
	struct pollfd	pfd;
	long		prio_max = sysconf(_SC_MQ_PRIO_MAX);
	int		fd;

	if (prio_max <= 0)
		prio_max = 32768;
	if (prio < 0 || prio >= prio_max) {
		xasprintf(cause, "priority %d out of range (0 to %ld)",
		    (int)prio, prio_max - 1);
		return (-1);
	}
	if ((fd = mqueue_fd(ctx, o, "send", cause)) == -1)
		return (-1);
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, 0) == 0) {
		trace_emit(ctx->tp, TRACE_CHAN_PUT_WAIT, o, v, prio);
		sync_ipc_poll(ctx, fd, POLLOUT);
	}
	trace_emit(ctx->tp, TRACE_CHAN_PUT, o, v, prio);
	for (;;) {
		if (mq_send((mqd_t)fd, (const char *)&v, sizeof v,
		    (unsigned)prio) == 0)
			return (0);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			/* Another sender took the free slot first. */
			sync_ipc_poll(ctx, fd, POLLOUT);
			continue;
		}
		xasprintf(cause, "mq_send: %s", strerror(errno));
		return (-1);
	}
}

static int
mqueue_get(struct sync_ctx *ctx, uint16_t o, int64_t *v, char **cause)
{
	unsigned	prio;
	ssize_t		n;
	int		fd, waited = 0;

	if ((fd = mqueue_fd(ctx, o, "recv", cause)) == -1)
		return (-1);
	for (;;) {
		n = mq_receive((mqd_t)fd, (char *)v, sizeof *v, &prio);
		if (n == (ssize_t)sizeof *v) {
			trace_emit(ctx->tp, TRACE_CHAN_GET, o, *v,
			    (int32_t)prio);
			return (0);
		}
		if (n >= 0) {
			xasprintf(cause, "mq_receive: a message of %zd bytes",
			    n);
			return (-1);
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			if (!waited) {
				trace_emit(ctx->tp, TRACE_CHAN_GET_WAIT, o, 0,
				    0);
				waited = 1;
			}
			sync_ipc_poll(ctx, fd, POLLIN);
			continue;
		}
		xasprintf(cause, "mq_receive: %s", strerror(errno));
		return (-1);
	}
}

static int
mqueue_close(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj		*obj = &ctx->objs[o];
	struct sync_proc_obj	*po = &ctx->proc->o[o];

	if (sync_chan_closed(obj, ctx->worker)) {
		xasprintf(cause, "close of a message queue this worker "
		    "already closed");
		return (-1);
	}
	sync_chan_mark_closed(obj, ctx->worker);
	trace_emit(ctx->tp, TRACE_CHAN_CLOSE, o, 0, 0);
	pthread_mutex_lock(&ctx->proc->lock);
	if (po->refs[0] > 0 && --po->refs[0] == 0 && po->fd[0] != -1) {
		mq_close((mqd_t)po->fd[0]);
		po->fd[0] = -1;
	}
	pthread_mutex_unlock(&ctx->proc->lock);
	return (0);
}

static int64_t
mqueue_len(struct sync_ctx *ctx, uint16_t o)
{
	struct mq_attr	attr;
	int		fd;
	int64_t		n = 0;

	pthread_mutex_lock(&ctx->proc->lock);
	fd = ctx->proc->o[o].fd[0];
	if (fd != -1 && mq_getattr((mqd_t)fd, &attr) == 0)
		n = attr.mq_curmsgs;
	pthread_mutex_unlock(&ctx->proc->lock);
	return (n);
}

const struct sync_chan_ops sync_mqueue_ops = {
	.name = "mqueue",
	.setup = mqueue_setup,
	.attach = mqueue_attach,
	.put = mqueue_put,
	.get = mqueue_get,
	.close = mqueue_close,
	.len = mqueue_len,
};
