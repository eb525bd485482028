/*
 * sync/socket.c: a stream socket between a server and its clients.
 *
 * `socket S unix` is a unix-domain stream socket bound to a path in the
 * run's temp dir (registered at set-up, so it is unlinked on every exit
 * path); `socket S tcp` listens on 127.0.0.1 on an ephemeral port (bind
 * port 0, getsockname) that the server publishes in the object's shared
 * state, where connect finds it. Everything is real and happens in the
 * worker that runs the statement:
 *
 *   listen S   socket + bind + listen; emits CHAN_OPEN (end 0) and then
 *              marks S listening in shared memory (waking clients that
 *              wait for that).
 *   accept S   tries accept4 on the non-blocking listening socket; when
 *              no client is pending it emits CHAN_OPEN_WAIT (end 0) and
 *              waits in poll. CHAN_OPEN (end 0) once it has a connection.
 *   connect S  if nobody listens yet it emits CHAN_OPEN_WAIT (end 1) and
 *              waits on the object's process-shared condition for the
 *              listen; then CHAN_OPEN (end 1), published before connect(2)
 *              since it is what lets the server's accept return. As
 *              with any OS, a connect to a listening socket completes in
 *              the backlog without waiting for accept.
 *   send/recv  8-byte messages over the connection (sync/ipc.c): PUT /
 *              GET with a1 = end (0 server, 1 client), *_WAIT only when
 *              the socket is really not ready, EOF when the peer closed.
 *   close S    closes this worker's connection (a server with none closes
 *              its listening socket); the peer's recv then sees EOF.
 *
 * Peers are checked, so another local user cannot take a run's
 * connection: on a unix socket the server reads the connecting process's
 * credentials (SO_PEERCRED) and takes only a process of this run's
 * process group (every worker is in the runner's group); on TCP every
 * client sends a per-run token first (64 random bits made at set-up, in
 * the object's shared state, which only the run's processes map), and the
 * server takes a connection only once it has read that token, within a
 * second. A connection that fails the check is closed and the accept goes
 * on waiting for the real client; nothing of it is traced.
 *
 * Per process the connection descriptors live in struct sync_proc_obj:
 * fd[0] the server's accepted connection, fd[1] the client's, fd[2] the
 * listening socket. Which one a worker uses is recorded in the object: the
 * workers that connected are clients (a bit set in shared memory), the
 * others use the server side. One object is one connection per process at
 * a time: a second accept replaces (closes) the first connection.
 */
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "sync/ipc.h"
#include "util/xmalloc.h"

#define SOCK_PORT(obj)		((obj)->spare[0])
#define SOCK_LISTENING(obj)	((obj)->spare[1])
#define SOCK_TOKEN(obj)		((obj)->spare[2])	/* TCP: per run */
#define SOCK_CLIENTS(obj)	(&(obj)->spare[4])	/* 4 words: 256 bits */

#define SOCK_SERVER	0
#define SOCK_CLIENT	1
#define SOCK_LISTENER	2

#define SOCK_TOKEN_MS	1000	/* a TCP client's token must come by then */

static int
sock_tcp(const struct sync_obj *obj)
{
	return ((obj->flags & TRACE_OBJF_TCP) != 0);
}

static int
sock_setup(struct sync_obj *obj, const struct trace_meta_object *mo,
    const struct sync_setup *env, char **cause)
{
	struct sockaddr_un	sun;
	uint64_t		token;

	if (sock_tcp(obj)) {
		if (getrandom(&token, sizeof token, 0) != (ssize_t)sizeof token) {
			xasprintf(cause, "line %d: %s: getrandom: %s",
			    mo->line, mo->name, strerror(errno));
			return (-1);
		}
		SOCK_TOKEN(obj) = (int64_t)token;
		return (0);
	}
	if (sync_ipc_path(obj, mo, env, "socket", cause) != 0)
		return (-1);
	if (strlen(obj->path) >= sizeof sun.sun_path) {
		xasprintf(cause, "line %d: %s: socket path too long: %s",
		    mo->line, mo->name, obj->path);
		return (-1);
	}
	return (0);
}

/* The address clients connect to (after listen published it). */
static socklen_t
sock_addr(const struct sync_obj *obj, struct sockaddr_storage *ss)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof *ss);
	if (sock_tcp(obj)) {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons((uint16_t)SOCK_PORT(obj));
		return (sizeof *sin);
	}
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, obj->path, strlen(obj->path) + 1);
	return (sizeof *sun);
}

/* This process's descriptor in slot, swapped for fd (-1 to take it). */
static int
sock_swap(struct sync_ctx *ctx, uint16_t o, int slot, int fd)
{
	struct sync_proc_obj	*po = &ctx->proc->o[o];
	int			 old;

	pthread_mutex_lock(&ctx->proc->lock);
	old = po->fd[slot];
	po->fd[slot] = fd;
	pthread_mutex_unlock(&ctx->proc->lock);
	return (old);
}

static int
sock_get_slot(struct sync_ctx *ctx, uint16_t o, int slot)
{
	int	fd;

	pthread_mutex_lock(&ctx->proc->lock);
	fd = ctx->proc->o[o].fd[slot];
	pthread_mutex_unlock(&ctx->proc->lock);
	return (fd);
}

static int
sock_listen(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj		*obj = &ctx->objs[o];
	struct sockaddr_storage	 ss;
	struct sockaddr_in	 sin;
	socklen_t		 len;
	int			 fd, one = 1;

	sync_obj_lock(obj);
	if (SOCK_LISTENING(obj)) {
		sync_obj_unlock(obj);
		xasprintf(cause, "listen on a socket that is already "
		    "listening");
		return (-1);
	}
	fd = socket(sock_tcp(obj) ? AF_INET : AF_UNIX, SOCK_STREAM |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		sync_obj_unlock(obj);
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	if (sock_tcp(obj)) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		SOCK_PORT(obj) = 0;	/* bind: any free port */
	}
	len = sock_addr(obj, &ss);
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    listen(fd, 16) != 0) {
		xasprintf(cause, "%s %s: %s", "bind/listen", sock_tcp(obj) ?
		    "127.0.0.1" : obj->path, strerror(errno));
		close(fd);
		sync_obj_unlock(obj);
		return (-1);
	}
	if (sock_tcp(obj)) {
		len = sizeof sin;
		if (getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
			xasprintf(cause, "getsockname: %s", strerror(errno));
			close(fd);
			sync_obj_unlock(obj);
			return (-1);
		}
		SOCK_PORT(obj) = ntohs(sin.sin_port);
	}
	if ((fd = sock_swap(ctx, o, SOCK_LISTENER, fd)) != -1)
		close(fd);
	trace_emit(ctx->tp, TRACE_CHAN_OPEN, o, SOCK_PORT(obj), SOCK_SERVER);
	SOCK_LISTENING(obj) = 1;
	sync_cv_wake(&obj->cond);
	sync_obj_unlock(obj);
	return (0);
}

/* Whether the peer on a fresh connection fd is one of this run's
   workers: its process group (unix) or its token (TCP). */
static int
sock_peer_ok(struct sync_obj *obj, int fd)
{
	struct ucred	cred;
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	socklen_t	len = sizeof cred;
	int64_t		token;
	size_t		done = 0;
	ssize_t		n;
	int		left = SOCK_TOKEN_MS;

	if (!sock_tcp(obj)) {
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
			return (0);
		return (cred.uid == geteuid() && cred.pid > 0 &&
		    getpgid(cred.pid) == getpgrp());
	}
	while (done < sizeof token) {
		n = read(fd, (char *)&token + done, sizeof token - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR))
			return (0);
		if (left <= 0)
			return (0);
		if (poll(&pfd, 1, 100) == -1 && errno != EINTR)
			return (0);
		left -= 100;
	}
	return (token == SOCK_TOKEN(obj));
}

static int
sock_accept(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	int	lfd, fd, waited = 0;

	if ((lfd = sock_get_slot(ctx, o, SOCK_LISTENER)) == -1) {
		xasprintf(cause, "accept on a socket not listening in this "
		    "process (`listen` it first)");
		return (-1);
	}
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1 && sock_peer_ok(&ctx->objs[o], fd))
			break;
		if (fd != -1) {
			/* A stranger: drop it, wait for the real client. */
			close(fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			xasprintf(cause, "accept: %s", strerror(errno));
			return (-1);
		}
		if (!waited) {
			trace_emit(ctx->tp, TRACE_CHAN_OPEN_WAIT, o, 0,
			    SOCK_SERVER);
			waited = 1;
		}
		sync_ipc_poll(ctx, lfd, POLLIN);
	}
	trace_emit(ctx->tp, TRACE_CHAN_OPEN, o, 0, SOCK_SERVER);
	if ((fd = sock_swap(ctx, o, SOCK_SERVER, fd)) != -1)
		close(fd);	/* one connection at a time */
	return (0);
}

/* Wait until the connect in progress on fd has finished: 0 or errno. */
static int
sock_finish_connect(struct sync_ctx *ctx, int fd)
{
	socklen_t	len;
	int		error = 0;
	struct pollfd	pfd = { .fd = fd, .events = POLLOUT };

	/* Only the kernel finishes a handshake: a scheduled run waits for
	   it for real instead of parking for another worker. */
	if (ctx->sched != NULL) {
		while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
			;
	} else
		sync_ipc_poll(ctx, fd, POLLOUT);
	len = sizeof error;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
		error = errno;
	return (error);
}

static int
sock_connect(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	struct sync_obj		*obj = &ctx->objs[o];
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int64_t			 token;
	int			 fd, error = 0;

	if (sync_ipc_bit(SOCK_CLIENTS(obj), ctx->worker) &&
	    sock_get_slot(ctx, o, SOCK_CLIENT) != -1) {
		xasprintf(cause, "connect on a socket already connected");
		return (-1);
	}
	sync_obj_lock(obj);
	if (!SOCK_LISTENING(obj) && ctx->sched != NULL) {
		trace_emit(ctx->tp, TRACE_CHAN_OPEN_WAIT, o, 0, SOCK_CLIENT);
		while (!SOCK_LISTENING(obj)) {
			sync_obj_unlock(obj);
			sync_sched_wait(ctx, SYNC_KEY_IO, -1);
			sync_obj_lock(obj);
		}
	} else if (!SOCK_LISTENING(obj)) {
		trace_emit(ctx->tp, TRACE_CHAN_OPEN_WAIT, o, 0, SOCK_CLIENT);
		sync_block_begin(ctx);
		while (!SOCK_LISTENING(obj))
			sync_obj_wait(obj, &obj->cond, NULL);
		sync_block_end(ctx);
	}
	len = sock_addr(obj, &ss);
	sync_obj_unlock(obj);

	fd = socket(sock_tcp(obj) ? AF_INET : AF_UNIX, SOCK_STREAM |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	/* Published before connect(2): it is what lets accept return. */
	trace_emit(ctx->tp, TRACE_CHAN_OPEN, o, SOCK_PORT(obj), SOCK_CLIENT);
	if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
		error = errno;
		if (error == EINTR || error == EINPROGRESS)
			error = sock_finish_connect(ctx, fd);
	}
	if (error != 0) {
		xasprintf(cause, "connect %s: %s", sock_tcp(obj) ?
		    "127.0.0.1" : obj->path, strerror(error));
		close(fd);
		return (-1);
	}
	if (sock_tcp(obj)) {
		/* The run's token first: the server takes nobody without it
		   (a fresh connection's buffer has room for 8 bytes). */
		token = SOCK_TOKEN(obj);
		if (write(fd, &token, sizeof token) != (ssize_t)sizeof token) {
			xasprintf(cause, "connect 127.0.0.1: sending the run's "
			    "token: %s", strerror(errno));
			close(fd);
			return (-1);
		}
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	sync_ipc_set_bit(SOCK_CLIENTS(obj), ctx->worker);
	if ((fd = sock_swap(ctx, o, SOCK_CLIENT, fd)) != -1)
		close(fd);
	return (0);
}

/* The connection worker uses and its end, or -1. */
static int
sock_conn(struct sync_ctx *ctx, uint16_t o, int *end)
{
	struct sync_obj	*obj = &ctx->objs[o];
	int		 fd;

	if (sync_ipc_bit(SOCK_CLIENTS(obj), ctx->worker)) {
		*end = SOCK_CLIENT;
		return (sock_get_slot(ctx, o, SOCK_CLIENT));
	}
	*end = SOCK_SERVER;
	if ((fd = sock_get_slot(ctx, o, SOCK_SERVER)) != -1)
		return (fd);
	/* A thread of a client process that did not connect itself. */
	*end = SOCK_CLIENT;
	return (sock_get_slot(ctx, o, SOCK_CLIENT));
}

static int
sock_put(struct sync_ctx *ctx, uint16_t o, int64_t v, int32_t prio,
    char **cause)
{
	int	fd, end;

	(void)prio;
	if ((fd = sock_conn(ctx, o, &end)) == -1) {
		xasprintf(cause, "send on a socket with no connection here "
		    "(closed, or no accept / connect yet)");
		return (-1);
	}
	return (sync_ipc_put_fd(ctx, o, fd, v, end, cause));
}

static int
sock_get(struct sync_ctx *ctx, uint16_t o, int64_t *v, char **cause)
{
	int	fd, end;

	if ((fd = sock_conn(ctx, o, &end)) == -1) {
		xasprintf(cause, "recv on a socket with no connection here "
		    "(closed, or no accept / connect yet)");
		return (-1);
	}
	return (sync_ipc_get_fd(ctx, o, fd, v, end, cause));
}

static int
sock_close(struct sync_ctx *ctx, uint16_t o, char **cause)
{
	int	fd, end, slot;

	if ((fd = sock_conn(ctx, o, &end)) != -1)
		slot = end;
	else if ((fd = sock_get_slot(ctx, o, SOCK_LISTENER)) != -1) {
		slot = SOCK_LISTENER;
		end = SOCK_SERVER;
	} else {
		xasprintf(cause, "close of a socket this worker has not "
		    "opened (or already closed)");
		return (-1);
	}
	trace_emit(ctx->tp, TRACE_CHAN_CLOSE, o, 0, end);
	if ((fd = sock_swap(ctx, o, slot, -1)) != -1)
		close(fd);
	return (0);
}

static int64_t
sock_len(struct sync_ctx *ctx, uint16_t o)
{
	int	fd, end, n = 0;

	if ((fd = sock_conn(ctx, o, &end)) == -1 ||
	    ioctl(fd, FIONREAD, &n) != 0)
		return (0);
	return (n / (int)sizeof(int64_t));
}

const struct sync_chan_ops sync_socket_ops = {
	.name = "socket",
	.setup = sock_setup,
	.put = sock_put,
	.get = sock_get,
	.close = sock_close,
	.len = sock_len,
	.listen = sock_listen,
	.accept = sock_accept,
	.connect = sock_connect,
};
