/*
 * tests/check_ipc.c: the OS IPC kinds (fifo, mqueue, socket, mmap, shm)
 * and the pipe's "two readers race on one end" misuse.
 *
 * Each test maps a small shared region holding a trace ring set, the sync
 * objects and the workers' blocked words, creates the object's real OS
 * object with its kind's setup op (names go to a registry kept here, as
 * the run's arena keeps them), forks the other party, and drives both
 * through the ops table exactly as the executor does. Blocking is forced,
 * never hoped for: the party that must block raises its blocked word just
 * before its real wait, and the other waits for that word before it acts.
 * A child that must block a second time switches its ctx->blocked to a
 * second word so the parent cannot mistake the first wait for the second.
 *
 * After each test the registry is applied (unlink / shm_unlink /
 * mq_unlink) and the test asserts that nothing is left: the temp dir
 * removes with rmdir (so it is empty), and no entry with the object's
 * name remains in /dev/shm or /dev/mqueue (skipped when /dev/mqueue is
 * not mounted).
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "sync/chan.h"
#include "sync/sync.h"
#include "trace/ring.h"

#define NW	4		/* workers (rings, blocked words) */
#define MAXEV	20000

struct harness {
	void			*mem;
	size_t			 size;
	struct trace_ring_set	*rings;
	struct sync_obj		*objs;
	size_t			 nobjs;
	int64_t			*cells;
	uint32_t		*blocked;	/* NW words */
	uint8_t			*uses;		/* nobjs * NW */
	struct trace_event	*ev;
	size_t			 nev;
};

struct tname {
	enum sync_name_kind	 kind;
	char			 name[256];
};

static struct harness	 H;
/* The registry lives in memory shared with Check's runner process: a
   failed assertion ends the test process with _exit, so the runner's
   tcase teardown (t_sweep) removes whatever the test could not. */
struct tregistry {
	char		 tmp[256];
	int		 nnames;
	struct tname	 names[16];
};

static struct tregistry	*T;

static void
h_init(const struct trace_meta_object *mo, size_t n)
{
	size_t	 ringsz, off, i, ncells = 0;
	int64_t	*cells;
	char	*cause = NULL;

	memset(&H, 0, sizeof H);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++)
		ncells += sync_obj_cells(&mo[i], NW);
	ringsz = trace_ring_set_size(NW, 1 << 12);
	H.size = ringsz + 4096 + n * sizeof(struct sync_obj) +
	    (ncells + 1) * 8 + NW * 4 + n * NW + 4096;
	H.mem = mmap(NULL, H.size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(H.mem != MAP_FAILED);
	H.rings = trace_ring_set_init(H.mem, ringsz, NW, 1 << 12, 0, -1);
	ck_assert(H.rings != NULL);
	off = (ringsz + 63) & ~(size_t)63;
	H.objs = (struct sync_obj *)((char *)H.mem + off);
	off += n * sizeof(struct sync_obj);
	off = (off + 63) & ~(size_t)63;
	H.cells = (int64_t *)((char *)H.mem + off);
	off += (ncells + 1) * 8;
	H.blocked = (uint32_t *)((char *)H.mem + off);
	off += NW * 4;
	H.uses = (uint8_t *)H.mem + off;
	H.nobjs = n;
	cells = H.cells;
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sync_obj_init(&H.objs[i], &mo[i],
		    (uint16_t)i, n, cells, NW, &cause), 0);
		cells += sync_obj_cells(&mo[i], NW);
	}
	H.ev = calloc(MAXEV, sizeof *H.ev);
	ck_assert_ptr_nonnull(H.ev);
}

static int
t_reg(void *arg, enum sync_name_kind kind, const char *name)
{
	(void)arg;
	if (T->nnames >= (int)(sizeof T->names / sizeof T->names[0]))
		return (-1);
	T->names[T->nnames].kind = kind;
	snprintf(T->names[T->nnames].name, sizeof T->names[0].name, "%s",
	    name);
	T->nnames++;
	return (0);
}

/* Forget a registered name (its creation failed: not ours). */
static void
t_unreg(void *arg, const char *name)
{
	int	k;

	(void)arg;
	for (k = 0; k < T->nnames; k++) {
		if (strcmp(T->names[k].name, name) == 0) {
			T->names[k] = T->names[T->nnames - 1];
			T->nnames--;
			return;
		}
	}
}

/* Remove every registered name, and the temp dir once empty. */
static void
t_remove_names(void)
{
	int	k;

	for (k = 0; k < T->nnames; k++) {
		switch (T->names[k].kind) {
		case SYNC_NAME_PATH:
			unlink(T->names[k].name);
			break;
		case SYNC_NAME_SHM:
			shm_unlink(T->names[k].name);
			break;
		case SYNC_NAME_MQUEUE:
			mq_unlink(T->names[k].name);
			break;
		}
	}
	T->nnames = 0;
}

/* Check's runner, after each tcase: remove what a failed test left (its
   names, then its private temp dir and anything in it). */
static void
t_sweep(void)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[512];

	t_remove_names();
	if (T->tmp[0] == '\0')
		return;
	if ((d = opendir(T->tmp)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", T->tmp,
			    de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(T->tmp);
	T->tmp[0] = '\0';
}

/* A private temp dir and a registry, as the run's arena provides. */
static void
t_env(struct sync_setup *env)
{
	const char	*tmp = getenv("TMPDIR");

	t_sweep();		/* an earlier test of this tcase failed */

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(T->tmp, sizeof T->tmp, "%s/lockstep-ipc-XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(T->tmp));
	T->nnames = 0;
	memset(env, 0, sizeof *env);
	env->tmpdir = T->tmp;
	env->run_id = (unsigned)getpid() * 2654435761u;
	env->reg = t_reg;
	env->unreg = t_unreg;
}

/* Create object o's OS object; must succeed. */
static void
t_setup(const struct sync_setup *env, const struct trace_meta_object *mo,
    size_t o)
{
	const struct sync_chan_ops	*ops = sync_chan_ops(H.objs[o].kind);
	char				*cause = NULL;

	ck_assert_ptr_nonnull(ops);
	ck_assert_ptr_nonnull(ops->setup);
	if (ops->setup(&H.objs[o], &mo[o], env, &cause) != 0)
		ck_abort_msg("setup: %s", cause);
}

/* Entries named like o in its global directory, or -1 if unlistable. */
static int
t_global_entries(const struct sync_obj *obj)
{
	const char	*dir;

	if (obj->kind == TRACE_OBJ_SHM)
		dir = "/dev/shm";
	else if (obj->kind == TRACE_OBJ_MQUEUE)
		dir = "/dev/mqueue";
	else
		return (-1);
	return (lib_count_entries(dir, obj->path + 1));
}

/* Tear down, remove every registered name, and check nothing is left. */
static void
t_cleanup(void)
{
	const struct sync_chan_ops	*ops;
	size_t				 i;
	int				 k;

	for (i = 0; i < H.nobjs; i++) {
		ops = sync_chan_ops(H.objs[i].kind);
		if (ops != NULL && ops->teardown != NULL)
			ops->teardown(&H.objs[i]);
	}
	t_remove_names();
	if (rmdir(T->tmp) != 0)
		ck_abort_msg("temp dir %s not empty: %s", T->tmp,
		    strerror(errno));
	T->tmp[0] = '\0';
	for (i = 0; i < H.nobjs; i++) {
		k = t_global_entries(&H.objs[i]);
		ck_assert(k == 0 || k == -1);
	}
	free(H.ev);
	munmap(H.mem, H.size);
}

static void
h_ctx(struct sync_ctx *ctx, struct trace_producer *tp, uint16_t w,
    struct sync_proc *proc)
{
	memset(ctx, 0, sizeof *ctx);
	trace_producer_init(tp, H.rings, w, w);
	ctx->tp = tp;
	ctx->worker = w;
	ctx->blocked = &H.blocked[w];
	ctx->objs = H.objs;
	ctx->nobjs = H.nobjs;
	ctx->nworkers = NW;
	ctx->proc = proc;
}

/* The channel ends of the process running worker w (after fork). */
static struct sync_proc *
h_proc(uint16_t w)
{
	uint8_t	member[NW] = { 0 };

	member[w] = 1;
	return (sync_proc_create(H.objs, H.nobjs, NW, H.uses, member));
}

static void
h_read(void)
{
	struct trace_consumer	*c = trace_consumer_create(H.rings);
	size_t			 n;

	H.nev = 0;
	while ((n = trace_consumer_read(c, H.ev + H.nev, MAXEV - H.nev)) > 0)
		H.nev += n;
	trace_consumer_free(c);
}

static void
h_wait_word(unsigned word)
{
	while (!__atomic_load_n(&H.blocked[word], __ATOMIC_ACQUIRE))
		sched_yield();
}

static int
h_find(uint16_t w, enum trace_type type, int k)
{
	size_t	i;

	for (i = 0; i < H.nev; i++) {
		if (H.ev[i].worker == w && H.ev[i].type == type && k-- == 0)
			return ((int)i);
	}
	return (-1);
}

/* The k-th event of type by w, which must exist. */
static const struct trace_event *
h_ev(uint16_t w, enum trace_type type, int k)
{
	int	i = h_find(w, type, k);

	ck_assert_msg(i >= 0, "no event %d #%d of worker %u", (int)type, k,
	    (unsigned)w);
	return (&H.ev[i]);
}

static int
h_count(uint16_t w, enum trace_type type)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < H.nev; i++) {
		if ((w == TRACE_NO_WORKER || H.ev[i].worker == w) &&
		    H.ev[i].type == type)
			n++;
	}
	return (n);
}

static int
h_reap(pid_t pid)
{
	int	status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died by signal %d",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return (WEXITSTATUS(status));
}

#define OPS(o)	sync_chan_ops(H.objs[(o)].kind)

/* fifo */

static const struct trace_meta_object fifo_obj[] = {
	{ .name = (char *)"F", .kind = TRACE_OBJ_FIFO, .line = 3 },
};

/* The reader opens first and blocks until the writer opens; data in
   order, then end-of-file when the writer closes. */
START_TEST(test_fifo_reader_first)
{
	struct sync_setup	 env;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	struct sync_proc	*proc;
	struct stat		 st;
	char			*cause = NULL;
	int64_t			 v, i;
	pid_t			 pid;
	int			 k;

	h_init(fifo_obj, 1);
	t_env(&env);
	t_setup(&env, fifo_obj, 0);
	ck_assert_int_eq(stat(H.objs[0].path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert(strncmp(H.objs[0].path, T->tmp, strlen(T->tmp)) == 0);
	H.uses[0 * NW + 0] = SYNC_USE_SEND | SYNC_USE_OTHER;	/* writer */
	H.uses[0 * NW + 1] = SYNC_USE_RECV | SYNC_USE_OTHER;	/* reader */

	if ((pid = fork()) == 0) {
		proc = h_proc(1);
		h_ctx(&ctx, &tp, 1, proc);
		if (OPS(0)->open(&ctx, 0, 0, &cause) != 0)
			_exit(10);
		ctx.blocked = &H.blocked[3];	/* second wait: recv */
		for (i = 1; i <= 3; i++) {
			if (OPS(0)->get(&ctx, 0, &v, &cause) != 0 || v != i)
				_exit(11);
		}
		if (OPS(0)->get(&ctx, 0, &v, &cause) != 1)
			_exit(12);
		if (OPS(0)->close(&ctx, 0, &cause) != 0)
			_exit(13);
		sync_proc_free(proc);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	h_wait_word(1);			/* the reader sits in open(2) */
	proc = h_proc(0);
	h_ctx(&ctx, &tp, 0, proc);
	ck_assert_int_eq(OPS(0)->open(&ctx, 0, 1, &cause), 0);
	h_wait_word(3);			/* the reader sits in recv */
	ck_assert_int_eq(OPS(0)->len(&ctx, 0), 0);
	for (i = 1; i <= 3; i++)
		ck_assert_int_eq(OPS(0)->put(&ctx, 0, i, 0, &cause), 0);
	ck_assert_int_eq(OPS(0)->close(&ctx, 0, &cause), 0);
	/* A send after close is an error, not a crash. */
	ck_assert_int_eq(OPS(0)->put(&ctx, 0, 9, 0, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(h_reap(pid), 0);
	sync_proc_free(proc);

	h_read();
	ck_assert_int_eq(h_count(1, TRACE_CHAN_OPEN_WAIT), 1);
	ck_assert_int_eq(h_count(0, TRACE_CHAN_OPEN_WAIT), 0);
	ck_assert_int_eq(h_ev(1, TRACE_CHAN_OPEN_WAIT, 0)->a1, 0);
	/* wait, then the writer's open, then the reader's open returns */
	ck_assert_int_lt(h_find(1, TRACE_CHAN_OPEN_WAIT, 0),
	    h_find(0, TRACE_CHAN_OPEN, 0));
	ck_assert_int_lt(h_find(0, TRACE_CHAN_OPEN, 0),
	    h_find(1, TRACE_CHAN_OPEN, 0));
	ck_assert_int_eq(h_ev(0, TRACE_CHAN_OPEN, 0)->a1, 1);
	ck_assert_int_ge(h_count(1, TRACE_CHAN_GET_WAIT), 1);
	ck_assert_int_eq(h_count(1, TRACE_CHAN_GET), 3);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(h_ev(1, TRACE_CHAN_GET, k)->a0, k + 1);
		ck_assert_int_lt(h_find(0, TRACE_CHAN_PUT, k),
		    h_find(1, TRACE_CHAN_GET, k));
	}
	ck_assert_int_eq(h_count(1, TRACE_CHAN_EOF), 1);
	ck_assert_int_lt(h_find(0, TRACE_CHAN_CLOSE, 0),
	    h_find(1, TRACE_CHAN_EOF, 0));
	t_cleanup();
}
END_TEST

/* The writer opens first: O_NONBLOCK fails with ENXIO, so it waits; the
   late reader's open does not wait. */
START_TEST(test_fifo_writer_first)
{
	struct sync_setup	 env;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	struct sync_proc	*proc;
	char			*cause = NULL;
	int64_t			 v;
	pid_t			 pid;

	h_init(fifo_obj, 1);
	t_env(&env);
	t_setup(&env, fifo_obj, 0);
	H.uses[0 * NW + 0] = SYNC_USE_RECV | SYNC_USE_OTHER;	/* reader */
	H.uses[0 * NW + 1] = SYNC_USE_SEND | SYNC_USE_OTHER;	/* writer */

	if ((pid = fork()) == 0) {
		proc = h_proc(1);
		h_ctx(&ctx, &tp, 1, proc);
		if (OPS(0)->open(&ctx, 0, 1, &cause) != 0)
			_exit(10);
		if (OPS(0)->put(&ctx, 0, 42, 0, &cause) != 0)
			_exit(11);
		if (OPS(0)->close(&ctx, 0, &cause) != 0)
			_exit(12);
		_exit(0);
	}
	h_wait_word(1);			/* the writer sits in open(2) */
	proc = h_proc(0);
	h_ctx(&ctx, &tp, 0, proc);
	/* recv before open: an error with a hint. */
	ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "open"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(OPS(0)->open(&ctx, 0, 0, &cause), 0);
	ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), 1);
	ck_assert_int_eq(h_reap(pid), 0);
	sync_proc_free(proc);

	h_read();
	ck_assert_int_eq(h_count(1, TRACE_CHAN_OPEN_WAIT), 1);
	ck_assert_int_eq(h_ev(1, TRACE_CHAN_OPEN_WAIT, 0)->a1, 1);
	ck_assert_int_eq(h_count(0, TRACE_CHAN_OPEN_WAIT), 0);
	ck_assert_int_lt(h_find(0, TRACE_CHAN_OPEN, 0),
	    h_find(1, TRACE_CHAN_OPEN, 0));
	ck_assert_int_eq(h_count(0, TRACE_CHAN_EOF), 1);
	t_cleanup();
}
END_TEST

/* mqueue */

static const struct trace_meta_object mq_obj[] = {
	{ .name = (char *)"M", .kind = TRACE_OBJ_MQUEUE, .capacity = 10,
	  .line = 7 },
};

static const struct trace_meta_object mq_small[] = {
	{ .name = (char *)"M", .kind = TRACE_OBJ_MQUEUE, .capacity = 2,
	  .line = 7 },
};

/* Highest priority first, FIFO within a priority; a real queue by name. */
START_TEST(test_mqueue_priority)
{
	static const int	 send_v[] = { 1, 2, 3, 4, 5, 6 };
	static const int	 send_p[] = { 0, 0, 5, 1, 5, 1 };
	static const int	 want_v[] = { 3, 5, 4, 6, 1, 2 };
	static const int	 want_p[] = { 5, 5, 1, 1, 0, 0 };
	struct sync_setup	 env;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	struct sync_proc	*proc;
	char			*cause = NULL;
	int64_t			 v;
	int			 i, n;

	h_init(mq_obj, 1);
	t_env(&env);
	t_setup(&env, mq_obj, 0);
	ck_assert(strncmp(H.objs[0].path, "/lockstep-", 10) == 0);
	ck_assert_int_eq(T->nnames, 1);
	ck_assert_int_eq(T->names[0].kind, SYNC_NAME_MQUEUE);
	n = t_global_entries(&H.objs[0]);
	ck_assert(n == 1 || n == -1);		/* -1: /dev/mqueue absent */
	H.uses[0] = SYNC_USE_SEND | SYNC_USE_RECV;
	proc = h_proc(0);
	h_ctx(&ctx, &tp, 0, proc);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(OPS(0)->put(&ctx, 0, send_v[i], send_p[i],
		    &cause), 0);
	ck_assert_int_eq(OPS(0)->len(&ctx, 0), 6);
	for (i = 0; i < 6; i++) {
		ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), 0);
		ck_assert_int_eq(v, want_v[i]);
	}
	ck_assert_int_eq(OPS(0)->len(&ctx, 0), 0);
	/* Out-of-range priorities are errors, not truncations. */
	ck_assert_int_eq(OPS(0)->put(&ctx, 0, 1, -1, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(OPS(0)->put(&ctx, 0, 1, 1 << 20, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "priority"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(OPS(0)->close(&ctx, 0, &cause), 0);
	ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), -1);
	free(cause);
	sync_proc_free(proc);

	h_read();
	ck_assert_int_eq(h_count(0, TRACE_CHAN_PUT), 6);
	for (i = 0; i < 6; i++) {
		ck_assert_int_eq(h_ev(0, TRACE_CHAN_PUT, i)->a1,
		    send_p[i]);
		ck_assert_int_eq(h_ev(0, TRACE_CHAN_GET, i)->a0,
		    want_v[i]);
		ck_assert_int_eq(h_ev(0, TRACE_CHAN_GET, i)->a1,
		    want_p[i]);
	}
	ck_assert_int_eq(h_count(0, TRACE_CHAN_GET_WAIT), 0);
	ck_assert_int_eq(h_count(0, TRACE_CHAN_PUT_WAIT), 0);
	t_cleanup();
}
END_TEST

/* recv on an empty queue and send on a full one block for real, across
   processes, and say so first. */
START_TEST(test_mqueue_blocking)
{
	struct sync_setup	 env;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	struct sync_proc	*proc;
	char			*cause = NULL;
	int64_t			 v, i;
	pid_t			 pid;

	h_init(mq_small, 1);
	t_env(&env);
	t_setup(&env, mq_small, 0);
	H.uses[0 * NW + 0] = SYNC_USE_SEND | SYNC_USE_RECV;
	H.uses[0 * NW + 1] = SYNC_USE_SEND | SYNC_USE_RECV;

	if ((pid = fork()) == 0) {
		proc = h_proc(1);
		h_ctx(&ctx, &tp, 1, proc);
		if (OPS(0)->get(&ctx, 0, &v, &cause) != 0 || v != 7)
			_exit(10);
		ctx.blocked = &H.blocked[3];
		for (i = 1; i <= 3; i++) {	/* the third one blocks */
			if (OPS(0)->put(&ctx, 0, i, 0, &cause) != 0)
				_exit(11);
		}
		_exit(0);
	}
	h_wait_word(1);			/* the child waits in recv */
	proc = h_proc(0);
	h_ctx(&ctx, &tp, 0, proc);
	ck_assert_int_eq(OPS(0)->put(&ctx, 0, 7, 0, &cause), 0);
	h_wait_word(3);			/* the child waits in send */
	ck_assert_int_eq(OPS(0)->len(&ctx, 0), 2);
	for (i = 1; i <= 3; i++) {
		ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), 0);
		ck_assert_int_eq(v, i);
	}
	ck_assert_int_eq(h_reap(pid), 0);
	sync_proc_free(proc);

	h_read();
	ck_assert_int_eq(h_count(1, TRACE_CHAN_GET_WAIT), 1);
	ck_assert_int_lt(h_find(1, TRACE_CHAN_GET_WAIT, 0),
	    h_find(0, TRACE_CHAN_PUT, 0));
	ck_assert_int_lt(h_find(0, TRACE_CHAN_PUT, 0),
	    h_find(1, TRACE_CHAN_GET, 0));
	ck_assert_int_eq(h_count(1, TRACE_CHAN_PUT_WAIT), 1);
	ck_assert_int_eq(h_ev(1, TRACE_CHAN_PUT_WAIT, 0)->a0, 3);
	ck_assert_int_lt(h_find(1, TRACE_CHAN_PUT_WAIT, 0),
	    h_find(1, TRACE_CHAN_PUT, 2));
	t_cleanup();
}
END_TEST

/* Over the system limit: a clear error naming the line and the limit. */
START_TEST(test_mqueue_limit)
{
	static const struct trace_meta_object big[] = {
		{ .name = (char *)"Big", .kind = TRACE_OBJ_MQUEUE,
		  .capacity = 1 << 20, .line = 12 },
	};
	struct sync_setup	 env;
	char			*cause = NULL;

	h_init(big, 1);
	t_env(&env);
	ck_assert_int_eq(OPS(0)->setup(&H.objs[0], &big[0], &env, &cause),
	    -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, "line 12: Big:") != NULL, "%s", cause);
	ck_assert_msg(strstr(cause, "msg_max") != NULL, "%s", cause);
	free(cause);
	/* Registered before the attempt, forgotten after it failed: the
	   name is not this run's, cleanup must not remove it. */
	ck_assert_int_eq(T->nnames, 0);
	t_cleanup();
}
END_TEST

/* socket */

static const struct trace_meta_object sock_objs[] = {
	{ .name = (char *)"S", .kind = TRACE_OBJ_SOCKET, .line = 2 },
	{ .name = (char *)"S", .kind = TRACE_OBJ_SOCKET,
	  .flags = TRACE_OBJF_TCP, .line = 2 },
};

/* Server listens and blocks in accept; the client connects, sends, gets
   the echo back doubled, closes; the server reads end-of-file. */
START_TEST(test_socket_echo)
{
	const struct trace_meta_object	*mo = &sock_objs[_i];
	struct sync_setup		 env;
	struct sync_ctx			 ctx;
	struct trace_producer		 tp;
	struct sync_proc		*proc;
	struct stat			 st;
	char				*cause = NULL;
	int64_t				 v;
	pid_t				 pid;
	int				 acc;

	h_init(mo, 1);
	t_env(&env);
	t_setup(&env, mo, 0);
	H.uses[0 * NW + 0] = SYNC_USE_SEND | SYNC_USE_RECV | SYNC_USE_OTHER;
	H.uses[0 * NW + 1] = SYNC_USE_SEND | SYNC_USE_RECV | SYNC_USE_OTHER;

	if ((pid = fork()) == 0) {		/* server, worker 1 */
		proc = h_proc(1);
		h_ctx(&ctx, &tp, 1, proc);
		if (OPS(0)->listen(&ctx, 0, &cause) != 0)
			_exit(10);
		if (OPS(0)->listen(&ctx, 0, &cause) != -1)
			_exit(11);	/* twice: an error */
		if (OPS(0)->accept(&ctx, 0, &cause) != 0)
			_exit(12);
		ctx.blocked = &H.blocked[3];
		if (OPS(0)->get(&ctx, 0, &v, &cause) != 0)
			_exit(13);
		if (OPS(0)->put(&ctx, 0, v * 2, 0, &cause) != 0)
			_exit(14);
		if (OPS(0)->get(&ctx, 0, &v, &cause) != 1)
			_exit(15);	/* end-of-file */
		if (OPS(0)->close(&ctx, 0, &cause) != 0)
			_exit(16);
		sync_proc_free(proc);
		_exit(0);
	}
	h_wait_word(1);			/* the server sits in accept */
	if (!(mo->flags & TRACE_OBJF_TCP)) {
		ck_assert_int_eq(stat(H.objs[0].path, &st), 0);
		ck_assert(S_ISSOCK(st.st_mode));
	} else
		ck_assert_int_gt(H.objs[0].spare[0], 0);	/* the port */
	proc = h_proc(0);
	h_ctx(&ctx, &tp, 0, proc);
	ck_assert_int_eq(OPS(0)->put(&ctx, 0, 1, 0, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(OPS(0)->connect(&ctx, 0, &cause), 0);
	h_wait_word(3);			/* the server sits in recv */
	ck_assert_int_eq(OPS(0)->put(&ctx, 0, 21, 0, &cause), 0);
	ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(OPS(0)->close(&ctx, 0, &cause), 0);
	ck_assert_int_eq(h_reap(pid), 0);
	sync_proc_free(proc);

	h_read();
	/* listen is an open of end 0; accept waits, then opens end 0 */
	ck_assert_int_eq(h_count(1, TRACE_CHAN_OPEN), 2);
	ck_assert_int_eq(h_count(1, TRACE_CHAN_OPEN_WAIT), 1);
	ck_assert_int_eq(h_ev(1, TRACE_CHAN_OPEN_WAIT, 0)->a1, 0);
	ck_assert_int_eq(h_count(0, TRACE_CHAN_OPEN_WAIT), 0);
	ck_assert_int_eq(h_ev(0, TRACE_CHAN_OPEN, 0)->a1, 1);
	acc = h_find(1, TRACE_CHAN_OPEN, 1);
	ck_assert_int_lt(h_find(1, TRACE_CHAN_OPEN_WAIT, 0),
	    h_find(0, TRACE_CHAN_OPEN, 0));
	ck_assert_int_lt(h_find(0, TRACE_CHAN_OPEN, 0), acc);
	/* data both ways, tagged with the sender's end */
	ck_assert_int_eq(h_ev(0, TRACE_CHAN_PUT, 0)->a1, 1);
	ck_assert_int_eq(h_ev(1, TRACE_CHAN_GET, 0)->a0, 21);
	ck_assert_int_eq(h_ev(1, TRACE_CHAN_PUT, 0)->a1, 0);
	ck_assert_int_eq(h_ev(0, TRACE_CHAN_GET, 0)->a0, 42);
	ck_assert_int_ge(h_count(1, TRACE_CHAN_GET_WAIT), 1);
	ck_assert_int_eq(h_count(1, TRACE_CHAN_EOF), 1);
	ck_assert_int_lt(h_find(0, TRACE_CHAN_CLOSE, 0),
	    h_find(1, TRACE_CHAN_EOF, 0));
	t_cleanup();
}
END_TEST

/* A client that comes before the server waits for the listen. */
START_TEST(test_socket_connect_waits)
{
	const struct trace_meta_object	*mo = &sock_objs[_i];
	struct sync_setup		 env;
	struct sync_ctx			 ctx;
	struct trace_producer		 tp;
	struct sync_proc		*proc;
	char				*cause = NULL;
	int64_t				 v;
	pid_t				 pid;

	h_init(mo, 1);
	t_env(&env);
	t_setup(&env, mo, 0);
	H.uses[0 * NW + 0] = SYNC_USE_RECV | SYNC_USE_OTHER;
	H.uses[0 * NW + 1] = SYNC_USE_SEND | SYNC_USE_OTHER;

	if ((pid = fork()) == 0) {		/* client, worker 1 */
		proc = h_proc(1);
		h_ctx(&ctx, &tp, 1, proc);
		if (OPS(0)->connect(&ctx, 0, &cause) != 0)
			_exit(10);
		if (OPS(0)->put(&ctx, 0, 5, 0, &cause) != 0)
			_exit(11);
		if (OPS(0)->close(&ctx, 0, &cause) != 0)
			_exit(12);
		_exit(0);
	}
	h_wait_word(1);			/* the client waits for a listener */
	proc = h_proc(0);
	h_ctx(&ctx, &tp, 0, proc);
	ck_assert_int_eq(OPS(0)->accept(&ctx, 0, &cause), -1);	/* no listen */
	free(cause);
	cause = NULL;
	ck_assert_int_eq(OPS(0)->listen(&ctx, 0, &cause), 0);
	ck_assert_int_eq(OPS(0)->accept(&ctx, 0, &cause), 0);
	ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), 0);
	ck_assert_int_eq(v, 5);
	ck_assert_int_eq(OPS(0)->get(&ctx, 0, &v, &cause), 1);
	ck_assert_int_eq(OPS(0)->close(&ctx, 0, &cause), 0);
	ck_assert_int_eq(h_reap(pid), 0);
	sync_proc_free(proc);

	h_read();
	ck_assert_int_eq(h_count(1, TRACE_CHAN_OPEN_WAIT), 1);
	ck_assert_int_eq(h_ev(1, TRACE_CHAN_OPEN_WAIT, 0)->a1, 1);
	/* listen (server's first open) comes before the client's open */
	ck_assert_int_lt(h_find(0, TRACE_CHAN_OPEN, 0),
	    h_find(1, TRACE_CHAN_OPEN, 0));
	t_cleanup();
}
END_TEST

/* mmap and shm */

static const struct trace_meta_object map_objs[] = {
	{ .name = (char *)"M", .kind = TRACE_OBJ_MMAP, .capacity = 16,
	  .line = 4 },
	{ .name = (char *)"S", .kind = TRACE_OBJ_SHM, .capacity = 16,
	  .line = 4 },
};

/* A child's stores land in the real mapping: the parent sees them, the
   file holds them, and atomic adds from two processes all count. */
START_TEST(test_mapped_shared)
{
	const struct trace_meta_object	*mo = &map_objs[_i];
	struct sync_setup		 env;
	struct sync_ctx			 ctx;
	struct trace_producer		 tp;
	int64_t				 buf[16];
	pid_t				 pid[2];
	int				 i, fd, c;

	h_init(mo, 1);
	t_env(&env);
	ck_assert_ptr_eq(H.objs[0].cells, H.cells);
	t_setup(&env, mo, 0);
	ck_assert_ptr_ne(H.objs[0].cells, H.cells);	/* its own mapping */
	ck_assert_uint_eq(H.objs[0].ncells, 16);
	if (mo->kind == TRACE_OBJ_SHM) {
		i = t_global_entries(&H.objs[0]);
		ck_assert_int_eq(i, 1);
	}

	for (c = 0; c < 2; c++) {
		if ((pid[c] = fork()) == 0) {
			h_ctx(&ctx, &tp, (uint16_t)(c + 1), NULL);
			if (c == 0) {
				for (i = 1; i < 16; i++)
					sync_shared_store(&ctx, 0, i, i * 10);
			}
			for (i = 0; i < 1000; i++)
				sync_shared_add(&ctx, 0, 0, 1);
			_exit(0);
		}
	}
	ck_assert_int_eq(h_reap(pid[0]), 0);
	ck_assert_int_eq(h_reap(pid[1]), 0);
	ck_assert_int_eq(H.objs[0].cells[0], 2000);
	for (i = 1; i < 16; i++)
		ck_assert_int_eq(H.objs[0].cells[i], i * 10);

	/* The same bytes are in the file / shm object itself. */
	if (mo->kind == TRACE_OBJ_SHM)
		fd = shm_open(H.objs[0].path, O_RDONLY, 0);
	else
		fd = open(H.objs[0].path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, buf, sizeof buf, 0), sizeof buf);
	close(fd);
	ck_assert_int_eq(buf[0], 2000);
	ck_assert_int_eq(buf[15], 150);

	h_read();
	ck_assert_int_eq(h_count(1, TRACE_SHARED_STORE), 15);
	ck_assert_int_eq(h_ev(1, TRACE_SHARED_STORE, 4)->a1, 5);
	ck_assert_int_eq(h_ev(1, TRACE_SHARED_STORE, 4)->a0, 50);
	ck_assert_int_eq(h_count(TRACE_NO_WORKER, TRACE_SHARED_ADD), 2000);
	t_cleanup();
	/* teardown unmapped it and forgot the pointer */
}
END_TEST

/* A global name someone else holds already (another user could, with a
   guessable name): set-up fails with a clear message and forgets the name,
   so the run's cleanup leaves the other's object alone. */
static const struct trace_meta_object taken_objs[] = {
	{ .name = (char *)"S", .kind = TRACE_OBJ_SHM, .capacity = 4,
	  .line = 3 },
	{ .name = (char *)"Q", .kind = TRACE_OBJ_MQUEUE, .capacity = 2,
	  .line = 3 },
};

START_TEST(test_name_taken)
{
	const struct trace_meta_object	*mo = &taken_objs[_i];
	const struct sync_chan_ops	*ops;
	struct sync_setup		 env;
	struct mq_attr			 attr;
	char				 name[108], *cause = NULL;
	mqd_t				 mq;
	int				 fd;

	h_init(mo, 1);
	t_env(&env);
	snprintf(name, sizeof name, "/lockstep-%ld-%08x-0", (long)getpid(),
	    env.run_id);
	if (mo->kind == TRACE_OBJ_SHM) {
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		ck_assert_int_ge(fd, 0);
		close(fd);
	} else {
		memset(&attr, 0, sizeof attr);
		attr.mq_maxmsg = 1;
		attr.mq_msgsize = 8;
		mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
		ck_assert_int_ne(mq, (mqd_t)-1);
		mq_close(mq);
	}
	ops = sync_chan_ops(H.objs[0].kind);
	ck_assert_int_eq(ops->setup(&H.objs[0], mo, &env, &cause), -1);
	ck_assert_msg(strstr(cause, "the name exists already (not created "
	    "by this run: left alone)") != NULL, "%s", cause);
	ck_assert_msg(strncmp(cause, "line 3: ", 8) == 0, "%s", cause);
	free(cause);
	ck_assert_int_eq(T->nnames, 0);		/* forgotten */
	/* The run's cleanup removes what it registered: the other's object
	   is still there after it; then remove it ourselves. */
	t_remove_names();
	if (mo->kind == TRACE_OBJ_SHM)
		ck_assert_int_eq(shm_unlink(name), 0);
	else
		ck_assert_int_eq(mq_unlink(name), 0);
	t_cleanup();
}
END_TEST

/* pipe: two readers racing on one end. Each message goes to exactly one
   of them (8-byte writes are atomic), who got what is in the events, and
   both see end-of-file once the writer closes. */
static const struct trace_meta_object pipe_obj[] = {
	{ .name = (char *)"P", .kind = TRACE_OBJ_PIPE, .line = 1 },
};

START_TEST(test_pipe_two_readers)
{
	struct sync_setup	 env;
	struct sync_ctx		 ctx;
	struct trace_producer	 tp;
	struct sync_proc	*proc;
	char			*cause = NULL;
	int64_t			 v;
	pid_t			 pid[2];
	int			 seen[11] = { 0 }, c, n, total = 0;
	size_t			 i;

	h_init(pipe_obj, 1);
	t_env(&env);
	t_setup(&env, pipe_obj, 0);
	H.uses[0 * NW + 0] = SYNC_USE_SEND | SYNC_USE_OTHER;
	H.uses[0 * NW + 1] = SYNC_USE_RECV;
	H.uses[0 * NW + 2] = SYNC_USE_RECV;
	for (c = 0; c < 2; c++) {
		if ((pid[c] = fork()) == 0) {
			proc = h_proc((uint16_t)(c + 1));
			h_ctx(&ctx, &tp, (uint16_t)(c + 1), proc);
			n = 0;
			while (OPS(0)->get(&ctx, 0, &v, &cause) == 0)
				n++;
			_exit(n);
		}
	}
	h_wait_word(1);			/* both readers wait on the pipe */
	h_wait_word(2);
	proc = h_proc(0);
	h_ctx(&ctx, &tp, 0, proc);
	for (v = 1; v <= 10; v++)
		ck_assert_int_eq(OPS(0)->put(&ctx, 0, v, 0, &cause), 0);
	ck_assert_int_eq(OPS(0)->close(&ctx, 0, &cause), 0);
	total = h_reap(pid[0]) + h_reap(pid[1]);
	ck_assert_int_eq(total, 10);
	sync_proc_free(proc);

	h_read();
	ck_assert_int_ge(h_count(1, TRACE_CHAN_GET_WAIT), 1);
	ck_assert_int_ge(h_count(2, TRACE_CHAN_GET_WAIT), 1);
	ck_assert_int_eq(h_count(1, TRACE_CHAN_GET) +
	    h_count(2, TRACE_CHAN_GET), 10);
	for (i = 0; i < H.nev; i++) {
		if (H.ev[i].type == TRACE_CHAN_GET) {
			ck_assert(H.ev[i].a0 >= 1 && H.ev[i].a0 <= 10);
			seen[H.ev[i].a0]++;
		}
	}
	for (c = 1; c <= 10; c++)
		ck_assert_int_eq(seen[c], 1);	/* none lost, none twice */
	ck_assert_int_eq(h_count(1, TRACE_CHAN_EOF), 1);
	ck_assert_int_eq(h_count(2, TRACE_CHAN_EOF), 1);
	t_cleanup();
}
END_TEST

static Suite *
suite_ipc(void)
{
	Suite	*s = suite_create("ipc");
	TCase	*tc;

	tc = tcase_create("fifo");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, NULL, t_sweep);
	tcase_add_test(tc, test_fifo_reader_first);
	tcase_add_test(tc, test_fifo_writer_first);
	suite_add_tcase(s, tc);

	tc = tcase_create("mqueue");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, NULL, t_sweep);
	tcase_add_test(tc, test_mqueue_priority);
	tcase_add_test(tc, test_mqueue_blocking);
	tcase_add_test(tc, test_mqueue_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("socket");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, NULL, t_sweep);
	tcase_add_loop_test(tc, test_socket_echo, 0, 2);
	tcase_add_loop_test(tc, test_socket_connect_waits, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("mapped");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, NULL, t_sweep);
	tcase_add_loop_test(tc, test_mapped_shared, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, NULL, t_sweep);
	tcase_add_loop_test(tc, test_name_taken, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("pipe");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, NULL, t_sweep);
	tcase_add_test(tc, test_pipe_two_readers);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	T = mmap(NULL, sizeof *T, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (T == MAP_FAILED)
		return (99);
	return (lib_run_suite(suite_ipc()));
}
