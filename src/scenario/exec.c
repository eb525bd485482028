/*
 * scenario/exec.c: the interpreter every worker runs.
 *
 * A worker walks its (validated) statement tree. Before each statement it
 * publishes its source position, emits TRACE_STEP and passes its step gate
 * (exec_gate): with the gates open at full speed that is one relaxed load
 * of env->gate_fast; otherwise the runtime's gate hook waits (pause, step,
 * tempo). Compound statements (with, repeat, while, if) pass the gate at
 * their header; `while` passes it again at every test of its condition.
 *
 * `x += n` on a shared int or array cell is split as Python's bytecode is:
 * load (SHARED_LOAD with the value read), a second gate (TRACE_MICROSTEP),
 * then the store (SHARED_STORE). Stepping two workers load, load, store,
 * store therefore loses an update for real. At full speed the split
 * statement takes one clock read for all four events: the time is taken
 * between the load and the store, which is a correct stamp for each of
 * them (a load is stamped after the read, a store before the write).
 *
 * Time: in a scheduled run (sync/sched.h) `sleep D` and `compute D` both
 * take D of scenario time: the worker parks until the front end's clock
 * reaches its deadline, so threads under one lock take turns and
 * processes overlap exactly. A free run sleeps on the wall clock and
 * burns real CPU.
 *
 * Runtime errors (unlock of a lock not held, division by zero, an index out
 * of range, a send on a closed pipe...) emit TRACE_ERROR with the text
 * "line N: message" and end the worker with status 1. `with` releases what
 * it took on the way out, also on an error. `v = recv P` stores -1 at
 * end-of-file. Division truncates toward zero (C, not Python's floor).
 * `assert` is such an error too, with the values it compared.
 *
 * A manager's proxies (M.value, M.list, M.dict) are requests: one item put
 * on queue M, one reply got from the worker's own queue; the manager's
 * server process runs exec_serve instead of a body. `M.value += 1` is two
 * requests with a microstep between them, as `shared += 1` is split.
 *
 * Arithmetic is defined for every value: a result outside the 64-bit
 * signed range (+, -, *, unary minus, INT64_MIN / -1, `x += n`) is the
 * runtime error "line N: integer overflow (A op B)" and the value is not
 * stored; an `atomic x += n` that overflows has already wrapped in memory
 * (the hardware's add) and ends the worker with the same error.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scenario/exec.h"
#include "sync/chan.h"
#include "util/xmalloc.h"

enum {
	EX_OK,
	EX_BREAK,
	EX_END		/* runtime error: the worker ends */
};

static int	exec_block(struct exec_env *, const struct scn_block *);

/* Publish the position, emit the step event and pass the gate. */
static inline void
exec_gate(struct exec_env *env, enum trace_type type, int line, int col)
{
	__atomic_store_n(env->pos_line, line, __ATOMIC_RELAXED);
	__atomic_store_n(env->pos_col, col, __ATOMIC_RELAXED);
	/* One clock read for the statement's events (see
	   trace_producer_hold()); read again once past a waiting gate. */
	trace_producer_hold(env->tp);
	trace_emit(env->tp, type, TRACE_NO_OBJECT, line, col);
	if (!__atomic_load_n(env->gate_fast, __ATOMIC_RELAXED)) {
		env->hooks->gate(env->arg);
		trace_producer_hold(env->tp);
	}
}

/* Emit "line N: message" as TRACE_ERROR and end the worker. */
static int __attribute__((format(printf, 3, 4)))
exec_error(struct exec_env *env, int line, const char *fmt, ...)
{
	char	 buf[512];
	int	 n;
	va_list	 ap;

	n = snprintf(buf, sizeof buf, "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
	va_end(ap);
	trace_emit(env->tp, TRACE_ERROR, TRACE_NO_OBJECT,
	    env->hooks->intern(env->arg, buf, strlen(buf)), line);
	env->status = 1;
	return (EX_END);
}

/* The same with a cause from sync/ (freed here). */
static int
exec_error_cause(struct exec_env *env, const struct scn_stmt *s, char *cause)
{
	int	r;

	if (s->target != NULL)
		r = exec_error(env, s->line, "%s: %s", s->target,
		    cause != NULL ? cause : "error");
	else
		r = exec_error(env, s->line, "%s", cause != NULL ? cause :
		    "error");
	free(cause);
	return (r);
}

/* a op b for op in + - * /, or -1 after "line N: integer overflow". */
static int
exec_arith(struct exec_env *env, int line, int op, int64_t a, int64_t b,
    int64_t *out)
{
	const char	*sym;
	int		 over;

	switch (op) {
	case '+':
		over = __builtin_add_overflow(a, b, out);
		break;
	case '-':
		over = __builtin_sub_overflow(a, b, out);
		break;
	case '*':
		over = __builtin_mul_overflow(a, b, out);
		break;
	default:
		over = a == INT64_MIN && b == -1;
		if (!over)
			*out = a / b;
		break;
	}
	if (!over)
		return (0);
	sym = op == '+' ? "+" : op == '-' ? "-" : op == '*' ? "*" : "/";
	exec_error(env, line, "integer overflow (%" PRId64 " %s %" PRId64 ")",
	    a, sym, b);
	return (-1);
}

/* Whether an atomic add of b that returned (wrapped) v overflowed. */
static int
exec_add_wrapped(int64_t v, int64_t b)
{
	return ((b > 0 && v < INT64_MIN + b) || (b < 0 && v > INT64_MAX + b));
}

static const char *
exec_op_name(int op)
{
	switch (op) {
	case SCN_OP_EQ: return ("==");
	case SCN_OP_NE: return ("!=");
	case SCN_OP_LT: return ("<");
	case SCN_OP_LE: return ("<=");
	case SCN_OP_GT: return (">");
	default: return (">=");
	}
}

static const char *
exec_kind_name(const struct exec_env *env, uint16_t o)
{
	return (trace_obj_kind_name(env->meta->objects[o].kind));
}

/*
 * The plain ints (`int x`) of this process: ordinary process memory, so
 * the threads of the thread host share them and every process worker
 * has its own copy. The runner forks workers before any scenario code
 * runs and never runs any itself, so each process sets the initial values
 * once, on first use (pthread_once: threads may race to be first).
 */
static int64_t			 exec_plain[SCN_MAX_GLOBALS];
static const struct scn_file	*exec_plain_file;
static pthread_once_t		 exec_plain_once = PTHREAD_ONCE_INIT;

static void
exec_plain_init(void)
{
	size_t	i;

	for (i = 0; i < exec_plain_file->nglobals; i++)
		exec_plain[i] = exec_plain_file->globals[i].initial;
}

static int64_t *
exec_globals(const struct scn_file *file)
{
	exec_plain_file = file;
	pthread_once(&exec_plain_once, exec_plain_init);
	return (exec_plain);
}

/*
 * `manager M`. A proxy operation is one request put on queue M and one
 * reply got from this worker's own queue M.to.NAME. A request is one
 * int64: the operation (bits 60-63), the asking meta worker (51-59), the
 * list index or dict key (32-50) and a 32-bit argument (0-31). The server
 * (exec_serve, in process M.server) keeps the value, the list and the dict
 * in its own memory and answers in arrival order, one request at a time.
 */
enum {
	MGR_GET_VALUE, MGR_SET_VALUE, MGR_LIST_APPEND, MGR_LIST_GET,
	MGR_LIST_SET, MGR_LIST_LEN, MGR_DICT_GET, MGR_DICT_SET, MGR_DICT_LEN
};
#define MGR_KEY_MAX	((1 << 19) - 1)
#define MGR_LIST_MAX	4096
#define MGR_DICT_MAX	1024
#define MGR_MISSING	INT64_MIN	/* reply: no such item */
#define MGR_FULL	(INT64_MIN + 1)	/* reply: list or dict full */

static int	exec_eval(struct exec_env *, const struct scn_expr *, int64_t *);
static void	exec_chan_wake(struct exec_env *, uint16_t);

/* One request to manager m and its reply; -1 after an error. */
static int
exec_request(struct exec_env *env, int line, uint16_t m, int op, int64_t key,
    int64_t arg, int64_t *reply)
{
	const struct scn_object		*mo = &env->file->objects[m];
	const struct sync_chan_ops	*ops = sync_chan_ops(TRACE_OBJ_QUEUE);
	char				*cause = NULL;
	uint64_t			 req;
	int				 r;

	if (env->worker >= mo->nreplies || mo->replies[env->worker] < 0) {
		exec_error(env, line, "%s: this worker has no reply queue",
		    mo->name);
		return (-1);
	}
	if (key < 0 || key > MGR_KEY_MAX) {
		exec_error(env, line, "%s: index or key %" PRId64 " is out of "
		    "range (0 to %d)", mo->name, key, MGR_KEY_MAX);
		return (-1);
	}
	if (arg < INT32_MIN || arg > INT32_MAX) {
		exec_error(env, line, "%s: %" PRId64 " does not fit a managed "
		    "value (32 bits)", mo->name, arg);
		return (-1);
	}
	req = (uint64_t)op << 60 | (uint64_t)env->worker << 51 |
	    (uint64_t)key << 32 | (uint32_t)(int32_t)arg;
	/* As every channel operation in a scheduled run: wake whoever
	   waits on the queue just changed (the server, or a full queue's
	   putters). */
	if (ops->put(env->sync, m, (int64_t)req, 0, &cause) != 0 ||
	    (exec_chan_wake(env, m), r = ops->get(env->sync,
	    (uint16_t)mo->replies[env->worker], reply, &cause)) < 0) {
		exec_error(env, line, "%s: %s", mo->name, cause != NULL ?
		    cause : "error");
		free(cause);
		return (-1);
	}
	exec_chan_wake(env, (uint16_t)mo->replies[env->worker]);
	if (r == 1 || *reply == MGR_MISSING || *reply == MGR_FULL) {
		exec_error(env, line, "%s: %s", mo->name, r == 1 ? "the server "
		    "is gone" : *reply == MGR_FULL ? "the list or dict is full" :
		    op == MGR_DICT_GET ? "no such key (KeyError)" :
		    "index out of range (IndexError)");
		return (-1);
	}
	return (0);
}

/* Read a proxy: M.value, M.list[i], M.dict[k], len(M.list). */
static int
exec_proxy_read(struct exec_env *env, const struct scn_expr *e, int64_t *out)
{
	int64_t	key = 0;
	int	op;

	if (e->kind == SCN_EXPR_LEN)
		op = e->op == SCN_FIELD_LIST ? MGR_LIST_LEN : MGR_DICT_LEN;
	else if (e->kind == SCN_EXPR_INDEX) {
		if (exec_eval(env, e->left, &key) != 0)
			return (-1);
		op = e->op == SCN_FIELD_LIST ? MGR_LIST_GET : MGR_DICT_GET;
	} else
		op = MGR_GET_VALUE;
	return (exec_request(env, e->line, (uint16_t)e->ref.index, op, key, 0,
	    out));
}

/* `M.value = v`, `M.value += v` (a read request, then a write request:
   another client's write can fall between them), `M.dict[k] = v`, ... */
static int
exec_proxy_store(struct exec_env *env, const struct scn_stmt *s, int add)
{
	uint16_t	m = (uint16_t)s->target_ref.index;
	int64_t		v, key = 0, old, reply;
	int		get, set;

	if (exec_eval(env, s->value, &v) != 0)
		return (-1);
	if (s->index != NULL && exec_eval(env, s->index, &key) != 0)
		return (-1);
	get = s->field == SCN_FIELD_VALUE ? MGR_GET_VALUE :
	    s->field == SCN_FIELD_LIST ? MGR_LIST_GET : MGR_DICT_GET;
	set = s->field == SCN_FIELD_VALUE ? MGR_SET_VALUE :
	    s->field == SCN_FIELD_LIST ? MGR_LIST_SET : MGR_DICT_SET;
	if (add) {
		if (exec_request(env, s->line, m, get, key, 0, &old) != 0)
			return (-1);
		exec_gate(env, TRACE_MICROSTEP, s->line, s->col);
		v = (int64_t)((uint64_t)old + (uint64_t)v);
	}
	return (exec_request(env, s->line, m, set, key, v, &reply));
}

/* The server loop of manager m, run by its process M.server. */
static int
exec_serve(struct exec_env *env, uint16_t m)
{
	const struct scn_object		*mo = &env->file->objects[m];
	const struct sync_chan_ops	*ops = sync_chan_ops(TRACE_OBJ_QUEUE);
	int64_t				*list, *keys, *vals, value = 0, req;
	int64_t				 arg, key, reply;
	size_t				 nlist = 0, ndict = 0, i;
	char				*cause = NULL;
	unsigned			 who;
	int				 op, r;

	list = xcalloc(MGR_LIST_MAX, sizeof *list);
	keys = xcalloc(MGR_DICT_MAX, sizeof *keys);
	vals = xcalloc(MGR_DICT_MAX, sizeof *vals);
	for (;;) {
		exec_gate(env, TRACE_STEP, mo->line, mo->col);
		if ((r = ops->get(env->sync, m, &req, &cause)) != 0)
			break;
		exec_chan_wake(env, m);
		op = (int)((uint64_t)req >> 60);
		who = (unsigned)((uint64_t)req >> 51 & 0x1ff);
		key = (int64_t)((uint64_t)req >> 32 & MGR_KEY_MAX);
		arg = (int32_t)(uint32_t)req;
		for (i = 0; i < ndict && keys[i] != key; i++)
			;
		reply = 0;
		switch (op) {
		case MGR_GET_VALUE:
			reply = value;
			break;
		case MGR_SET_VALUE:
			value = arg;
			break;
		case MGR_LIST_APPEND:
			if (nlist == MGR_LIST_MAX)
				reply = MGR_FULL;
			else
				list[nlist++] = arg;
			break;
		case MGR_LIST_GET:
		case MGR_LIST_SET:
			if ((size_t)key >= nlist)
				reply = MGR_MISSING;
			else if (op == MGR_LIST_GET)
				reply = list[key];
			else
				list[key] = arg;
			break;
		case MGR_LIST_LEN:
			reply = (int64_t)nlist;
			break;
		case MGR_DICT_GET:
			reply = i < ndict ? vals[i] : MGR_MISSING;
			break;
		case MGR_DICT_SET:
			if (i == ndict && ndict == MGR_DICT_MAX) {
				reply = MGR_FULL;
				break;
			}
			if (i == ndict)
				keys[ndict++] = key;
			vals[i] = arg;
			break;
		case MGR_DICT_LEN:
			reply = (int64_t)ndict;
			break;
		default:
			reply = MGR_MISSING;
			break;
		}
		if (who >= (unsigned)mo->nreplies || mo->replies[who] < 0)
			continue;
		if (ops->put(env->sync, (uint16_t)mo->replies[who], reply, 0,
		    &cause) != 0)
			break;
		exec_chan_wake(env, (uint16_t)mo->replies[who]);
	}
	free(list);
	free(keys);
	free(vals);
	if (r < 0 || cause != NULL) {
		exec_error(env, mo->line, "%s: %s", mo->name, cause != NULL ?
		    cause : "error");
		free(cause);
		return (1);
	}
	return (0);
}

/* `now` (the run's clock in ms: scenario time in a scheduled run, so
   the same on every run of a schedule; only differences mean anything),
   `pid` and `ppid`. */
static int64_t
exec_builtin(struct exec_env *env, int which)
{
	switch (which) {
	case SCN_BUILTIN_NOW:
		if (env->sync->sched != NULL)
			return ((int64_t)(__atomic_load_n(&env->sync->sched->now,
			    __ATOMIC_ACQUIRE) / 1000000));
		return ((int64_t)(trace_now() / 1000000));
	case SCN_BUILTIN_PID:
		return ((int64_t)getpid());
	default:
		return ((int64_t)getppid());
	}
}

/* Evaluate e into *out; on error emit it and return -1. */
static int
exec_eval(struct exec_env *env, const struct scn_expr *e, int64_t *out)
{
	const struct sync_chan_ops	*ops;
	volatile int64_t		*p;
	int64_t				 a, b;
	uint16_t			 o;

	switch (e->kind) {
	case SCN_EXPR_INT:
		*out = e->ival;
		return (0);
	case SCN_EXPR_NAME:
		switch (e->ref.kind) {
		case SCN_REF_VAR:
			*out = env->vars[e->ref.index];
			return (0);
		case SCN_REF_TASK:
			*out = env->task;
			return (0);
		case SCN_REF_COPY:
			*out = env->meta->workers[env->worker].copy;
			return (0);
		case SCN_REF_BUILTIN:
			*out = exec_builtin(env, e->ref.index);
			return (0);
		case SCN_REF_GLOBAL:
			*out = exec_globals(env->file)[e->ref.index];
			return (0);
		case SCN_REF_PROXY:
			return (exec_proxy_read(env, e, out));
		case SCN_REF_OBJECT:
			o = (uint16_t)e->ref.index;
			p = sync_cell(env->sync, o, 0);
			if (p == NULL || (env->sync->objs[o].kind !=
			    TRACE_OBJ_SHARED && env->sync->objs[o].kind !=
			    TRACE_OBJ_LOCAL)) {
				exec_error(env, e->line, "%s is a %s, not a "
				    "value", e->name, exec_kind_name(env, o));
				return (-1);
			}
			*out = *p;
			/* Reading shared memory is an event: the model needs it
			   to see `t = x ... x = t + 1` lose updates. */
			if (env->sync->objs[o].kind == TRACE_OBJ_SHARED)
				trace_emit(env->tp, TRACE_SHARED_LOAD, o, *out, 0);
			return (0);
		default:
			exec_error(env, e->line, "%s has no value", e->name);
			return (-1);
		}
	case SCN_EXPR_INDEX:
		if (e->ref.kind == SCN_REF_PROXY)
			return (exec_proxy_read(env, e, out));
		if (exec_eval(env, e->left, &a) != 0)
			return (-1);
		o = (uint16_t)e->ref.index;
		if ((p = sync_cell(env->sync, o, a)) == NULL) {
			exec_error(env, e->line, "%s[%" PRId64 "]: index out "
			    "of range", e->name, a);
			return (-1);
		}
		*out = *p;
		trace_emit(env->tp, TRACE_SHARED_LOAD, o, *out, (int32_t)a);
		return (0);
	case SCN_EXPR_LEN:
		if (e->ref.kind == SCN_REF_PROXY)
			return (exec_proxy_read(env, e, out));
		o = (uint16_t)e->ref.index;
		ops = sync_chan_ops(env->sync->objs[o].kind);
		if (ops == NULL || ops->len == NULL) {
			exec_error(env, e->line, "len(%s): not a channel",
			    e->name);
			return (-1);
		}
		*out = ops->len(env->sync, o);
		return (0);
	case SCN_EXPR_LOCKED:
		o = (uint16_t)e->ref.index;
		*out = __atomic_load_n(&env->sync->objs[o].owner,
		    __ATOMIC_RELAXED) != SYNC_NO_OWNER;
		return (0);
	case SCN_EXPR_UNARY:
		if (exec_eval(env, e->left, &a) != 0)
			return (-1);
		if (e->op == SCN_OP_NOT) {
			*out = !a;
			return (0);
		}
		return (exec_arith(env, e->line, '-', 0, a, out));
	case SCN_EXPR_BINARY:
		if (exec_eval(env, e->left, &a) != 0)
			return (-1);
		if (e->op == SCN_OP_AND && !a) {
			*out = 0;
			return (0);
		}
		if (e->op == SCN_OP_OR && a) {
			*out = 1;
			return (0);
		}
		if (exec_eval(env, e->right, &b) != 0)
			return (-1);
		switch (e->op) {
		case SCN_OP_ADD:
			return (exec_arith(env, e->line, '+', a, b, out));
		case SCN_OP_SUB:
			return (exec_arith(env, e->line, '-', a, b, out));
		case SCN_OP_MUL:
			return (exec_arith(env, e->line, '*', a, b, out));
		case SCN_OP_DIV:
		case SCN_OP_MOD:
			if (b == 0) {
				exec_error(env, e->line, "division by zero");
				return (-1);
			}
			if (e->op == SCN_OP_DIV)
				return (exec_arith(env, e->line, '/', a, b,
				    out));
			/* INT64_MIN % -1 is 0, but C leaves it undefined. */
			*out = b == -1 ? 0 : a % b;
			break;
		case SCN_OP_EQ:
			*out = a == b;
			break;
		case SCN_OP_NE:
			*out = a != b;
			break;
		case SCN_OP_LT:
			*out = a < b;
			break;
		case SCN_OP_LE:
			*out = a <= b;
			break;
		case SCN_OP_GT:
			*out = a > b;
			break;
		case SCN_OP_GE:
			*out = a >= b;
			break;
		case SCN_OP_AND:
		case SCN_OP_OR:
			*out = b != 0;
			break;
		default:
			exec_error(env, e->line, "unknown operator");
			return (-1);
		}
		return (0);
	}
	exec_error(env, e->line, "bad expression");
	return (-1);
}

static void
exec_note(struct exec_env *env, const struct scn_stmt *s)
{
	int64_t	off;

	if (s->note == NULL)
		return;
	off = env->hooks->note(env->arg, s);
	if (off < 0)
		off = env->hooks->intern(env->arg, s->note, strlen(s->note));
	trace_emit(env->tp, TRACE_NOTE, TRACE_NO_OBJECT, off, s->line);
}

static void
exec_sleep_ns(int64_t ns)
{
	struct timespec	ts;

	ts.tv_sec = ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* This thread's CPU time, ns. */
static uint64_t
exec_cpu_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}

/* `compute D`: burn D of this thread's own CPU time, not of the wall
   clock, so a worker that gets no CPU (threads under one lock, more
   workers than cores) takes longer, as real work does. The loop does a
   little arithmetic between clock reads (a vDSO call, no syscall). */
static void
exec_compute_ns(int64_t ns)
{
	uint64_t		until = exec_cpu_ns() + (uint64_t)ns;
	volatile uint64_t	x = 0;
	int			i;

	while (exec_cpu_ns() < until) {
		for (i = 0; i < 64; i++)
			x += (uint64_t)i;
	}
}

/* A channel operation on o may let workers parked on o, or on a
   descriptor (SYNC_KEY_IO), go on: in a scheduled run they retry. */
static void
exec_chan_wake(struct exec_env *env, uint16_t o)
{
	if (env->sync->sched == NULL)
		return;
	sync_sched_wake(env->sync->sched, o);
	sync_sched_wake(env->sync->sched, SYNC_KEY_IO);
}

/* `sleep D` / `compute D` in a scheduled run: D of scenario time, parked
   until the front end's clock reaches it. */
static void
exec_sched_pause(struct exec_env *env, int64_t ns)
{
	sync_sched_wait(env->sync, SYNC_KEY_NONE,
	    sync_sched_deadline(env->sync->sched, ns > 0 ? ns : 1));
}

static int
exec_print(struct exec_env *env, const struct scn_stmt *s)
{
	char	 buf[1024];
	size_t	 len = 0, i, n;
	int64_t	 v;

	for (i = 0; i < s->nparts; i++) {
		if (s->parts[i].expr != NULL) {
			if (exec_eval(env, s->parts[i].expr, &v) != 0)
				return (EX_END);
			snprintf(buf + len, sizeof buf - len, "%" PRId64, v);
		} else
			snprintf(buf + len, sizeof buf - len, "%s",
			    s->parts[i].literal);
		n = strlen(buf + len);
		len += n;
	}
	if (s->nparts == 0 && s->text != NULL)
		len = (size_t)snprintf(buf, sizeof buf, "%s", s->text);
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	trace_emit(env->tp, TRACE_PRINT, TRACE_NO_OBJECT,
	    env->hooks->intern(env->arg, buf, len), s->line);
	return (EX_OK);
}

/* Take what `with X` / `lock` / `acquire` names, by its kind. */
static int
exec_take(struct exec_env *env, const struct scn_stmt *s, uint16_t o,
    int64_t timeout_ns)
{
	char	*cause = NULL;
	int	 r;

	if (env->sync->objs[o].kind == TRACE_OBJ_SEMAPHORE)
		r = sync_sem_acquire(env->sync, o, timeout_ns, &cause);
	else
		r = sync_lock(env->sync, o, timeout_ns, &cause);
	if (r < 0)
		return (exec_error_cause(env, s, cause));
	return (r == 1 ? EX_BREAK : EX_OK);	/* EX_BREAK: timed out */
}

static int
exec_give(struct exec_env *env, const struct scn_stmt *s, uint16_t o)
{
	char	*cause = NULL;
	int	 r;

	if (env->sync->objs[o].kind == TRACE_OBJ_SEMAPHORE)
		r = sync_sem_release(env->sync, o, &cause);
	else
		r = sync_unlock(env->sync, o, &cause);
	if (r < 0)
		return (exec_error_cause(env, s, cause));
	return (EX_OK);
}

/* `OK = lock X timeout D` / `OK = acquire S blocking false`: the result
   (1 taken, 0 not) goes into the variable; giving up is no error. */
static int
exec_take_result(struct exec_env *env, const struct scn_stmt *s, uint16_t o)
{
	int	r;

	if ((r = exec_take(env, s, o, s->timeout_ns)) == EX_END)
		return (r);
	env->vars[s->var_slot] = r == EX_OK;
	return (EX_OK);
}

/* `x = try get Q`: the item, or -1 when the queue is empty or closed. */
static int
exec_try_get(struct exec_env *env, const struct scn_stmt *s,
    const struct sync_chan_ops *ops, uint16_t o)
{
	char	*cause = NULL;
	int64_t	 v;
	int	 r;

	if (ops->try_get == NULL)
		return (exec_error(env, s->line, "%s: a %s has no try get",
		    s->target, ops->name));
	if ((r = ops->try_get(env->sync, o, &v, &cause)) < 0)
		return (exec_error_cause(env, s, cause));
	env->vars[s->var_slot] = r == 0 ? v : -1;
	return (EX_OK);
}

/* `release S N` / `signal S N`: N releases, one event each. */
static int
exec_release_n(struct exec_env *env, const struct scn_stmt *s, uint16_t o)
{
	int64_t	n, i;

	if (exec_eval(env, s->value, &n) != 0)
		return (EX_END);
	if (n < 1)
		return (exec_error(env, s->line, "release %s %" PRId64 ": the "
		    "count must be 1 or more", s->target, n));
	for (i = 0; i < n; i++) {
		if (exec_give(env, s, o) == EX_END)
			return (EX_END);
	}
	return (EX_OK);
}

/* `assert EXPR`: a false condition ends the worker with an error that
   shows the values compared (each side read once, the values tested). */
static int
exec_assert(struct exec_env *env, const struct scn_stmt *s)
{
	const struct scn_expr	*e = s->value;
	struct scn_expr		 l, r, cmp;
	int64_t			 a, b, v;

	if (e->kind == SCN_EXPR_BINARY && e->op >= SCN_OP_EQ &&
	    e->op <= SCN_OP_GE) {
		if (exec_eval(env, e->left, &a) != 0 ||
		    exec_eval(env, e->right, &b) != 0)
			return (EX_END);
		memset(&l, 0, sizeof l);
		memset(&r, 0, sizeof r);
		l.kind = r.kind = SCN_EXPR_INT;
		l.ival = a;
		r.ival = b;
		cmp = *e;
		cmp.left = &l;
		cmp.right = &r;
		if (exec_eval(env, &cmp, &v) != 0)
			return (EX_END);
		if (v)
			return (EX_OK);
		return (exec_error(env, s->line, "assertion failed: %s (%"
		    PRId64 " %s %" PRId64 ")", s->text, a, exec_op_name(e->op),
		    b));
	}
	if (exec_eval(env, e, &v) != 0)
		return (EX_END);
	if (v)
		return (EX_OK);
	return (exec_error(env, s->line, "assertion failed: %s (it is %"
	    PRId64 ")", s->text, v));
}

/* The ns of `sleep D` / `compute D`, D a literal or an expression. */
static int
exec_duration(struct exec_env *env, const struct scn_stmt *s, int64_t *ns)
{
	*ns = s->duration_ns;
	if (s->duration == NULL)
		return (0);
	if (exec_eval(env, s->duration, ns) != 0)
		return (-1);
	if (*ns < 0 || *ns > SCN_MAX_DURATION) {
		exec_error(env, s->line, "%s: the duration %" PRId64 "ns is "
		    "out of range (0 to one day)", s->kind == SCN_STMT_SLEEP ?
		    "sleep" : "compute", *ns);
		return (-1);
	}
	return (0);
}

static const struct sync_chan_ops *
exec_chan(struct exec_env *env, const struct scn_stmt *s, uint16_t o)
{
	const struct sync_chan_ops	*ops;

	ops = sync_chan_ops(env->sync->objs[o].kind);
	if (ops == NULL)
		exec_error(env, s->line, "%s: a %s is not available in this "
		    "build", s->target, exec_kind_name(env, o));
	return (ops);
}

/* `x += n` / `x = v` on a shared int, local or array cell. */
static int
exec_store(struct exec_env *env, const struct scn_stmt *s, int add)
{
	volatile int64_t	*p;
	struct sync_obj		*obj;
	int64_t			 v, idx = 0, old, sum;
	uint64_t		 t;
	uint16_t		 o = (uint16_t)s->target_ref.index;

	if (s->target_ref.kind == SCN_REF_PROXY)
		return (exec_proxy_store(env, s, add) == 0 ? EX_OK : EX_END);
	if (s->target_ref.kind == SCN_REF_GLOBAL) {
		if (exec_eval(env, s->value, &v) != 0)
			return (EX_END);
		p = &exec_globals(env->file)[s->target_ref.index];
		*p = add ? (int64_t)((uint64_t)*p + (uint64_t)v) : v;
		return (EX_OK);
	}
	if (s->target_ref.kind != SCN_REF_OBJECT && s->var_slot >= 0) {
		if (exec_eval(env, s->value, &v) != 0)
			return (EX_END);
		if (add && exec_arith(env, s->line, '+',
		    env->vars[s->var_slot], v, &v) != 0)
			return (EX_END);
		env->vars[s->var_slot] = v;
		return (EX_OK);
	}
	if (s->target_ref.kind != SCN_REF_OBJECT)
		return (exec_error(env, s->line, "cannot assign to %s",
		    s->target != NULL ? s->target : "?"));
	obj = &env->sync->objs[o];
	if (s->index != NULL && exec_eval(env, s->index, &idx) != 0)
		return (EX_END);
	if ((p = sync_cell(env->sync, o, idx)) == NULL ||
	    (s->index == NULL && obj->kind != TRACE_OBJ_SHARED &&
	    obj->kind != TRACE_OBJ_LOCAL))
		return (exec_error(env, s->line, "%s: not a value or index "
		    "%" PRId64 " out of range", s->target, idx));
	if (exec_eval(env, s->value, &v) != 0)
		return (EX_END);
	if (!add) {
		sync_shared_store(env->sync, o, (int)idx, v);
		return (EX_OK);
	}
	if (s->atomic) {
		sum = sync_shared_add(env->sync, o, (int)idx, v);
		if (exec_add_wrapped(sum, v))
			return (exec_error(env, s->line, "integer overflow "
			    "(atomic %s += %" PRId64 " wrapped to %" PRId64 ")",
			    s->target, v, sum));
		return (EX_OK);
	}
	if (obj->kind == TRACE_OBJ_LOCAL) {
		/* The worker's own cell: nobody else can interleave. */
		old = *p;
		if (exec_arith(env, s->line, '+', old, v, &sum) != 0)
			return (EX_END);
		sync_shared_store(env->sync, o, 0, sum);
		return (EX_OK);
	}
	/* The race, for real: load, (gate), store. */
	old = *p;
	t = trace_producer_hold(env->tp);
	trace_emit_at(env->tp, t, TRACE_SHARED_LOAD, o, old, (int32_t)idx);
	exec_gate(env, TRACE_MICROSTEP, s->line, s->col);
	if (exec_arith(env, s->line, '+', old, v, &sum) != 0)
		return (EX_END);
	trace_emit(env->tp, TRACE_SHARED_STORE, o, sum, (int32_t)idx);
	*p = sum;
	return (EX_OK);
}

/* The full-speed `shared += constant`: four events, one clock read. */
static inline int
exec_add_fast(struct exec_env *env, const struct scn_stmt *s)
{
	volatile int64_t	*p;
	int64_t			 old, sum;
	uint64_t		 t;
	uint16_t		 o = (uint16_t)s->target_ref.index;

	p = &env->sync->objs[o].value;
	__atomic_store_n(env->pos_line, s->line, __ATOMIC_RELAXED);
	__atomic_store_n(env->pos_col, s->col, __ATOMIC_RELAXED);
	old = *p;
	t = trace_producer_hold(env->tp);
	trace_emit_at(env->tp, t, TRACE_STEP, TRACE_NO_OBJECT, s->line, s->col);
	trace_emit_at(env->tp, t, TRACE_SHARED_LOAD, o, old, 0);
	trace_emit_at(env->tp, t, TRACE_MICROSTEP, TRACE_NO_OBJECT, s->line,
	    s->col);
	if (exec_arith(env, s->line, '+', old, s->value->ival, &sum) != 0)
		return (EX_END);
	trace_emit_at(env->tp, t, TRACE_SHARED_STORE, o, sum, 0);
	*p = sum;
	return (EX_OK);
}

/* The full-speed `atomic shared += constant`: one clock read taken before
   the add stamps both the step and the add. */
static inline int
exec_atomic_fast(struct exec_env *env, const struct scn_stmt *s)
{
	volatile int64_t	*p;
	int64_t			 v;
	uint64_t		 t;
	uint16_t		 o = (uint16_t)s->target_ref.index;

	p = &env->sync->objs[o].value;
	__atomic_store_n(env->pos_line, s->line, __ATOMIC_RELAXED);
	__atomic_store_n(env->pos_col, s->col, __ATOMIC_RELAXED);
	t = trace_producer_hold(env->tp);
	trace_emit_at(env->tp, t, TRACE_STEP, TRACE_NO_OBJECT, s->line, s->col);
	v = __atomic_add_fetch(p, s->value->ival, __ATOMIC_SEQ_CST);
	trace_emit_at(env->tp, t, TRACE_SHARED_ADD, o, v, 0);
	if (exec_add_wrapped(v, s->value->ival))
		return (exec_error(env, s->line, "integer overflow (atomic %s "
		    "+= %" PRId64 " wrapped to %" PRId64 ")", s->target,
		    s->value->ival, v));
	return (EX_OK);
}

static int
exec_stmt(struct exec_env *env, const struct scn_stmt *s)
{
	const struct sync_chan_ops	*ops;
	struct sync_obj			*obj;
	char				*cause = NULL;
	int64_t				 v, n, i, prio;
	uint16_t			 o = (uint16_t)s->target_ref.index;
	int				 r;

	if (s->kind == SCN_STMT_ADD && s->index == NULL &&
	    s->target_ref.kind == SCN_REF_OBJECT &&
	    s->value->kind == SCN_EXPR_INT &&
	    env->sync->objs[o].kind == TRACE_OBJ_SHARED &&
	    __atomic_load_n(env->gate_fast, __ATOMIC_RELAXED)) {
		if (s->atomic)
			r = exec_atomic_fast(env, s);
		else
			r = exec_add_fast(env, s);
		if (r == EX_OK)
			exec_note(env, s);
		return (r);
	}

	exec_gate(env, TRACE_STEP, s->line, s->col);
	obj = s->target_ref.kind == SCN_REF_OBJECT ? &env->sync->objs[o] :
	    NULL;

	switch (s->kind) {
	case SCN_STMT_PASS:
		break;
	case SCN_STMT_BREAK:
		exec_note(env, s);
		return (EX_BREAK);
	case SCN_STMT_CRASH:
		exec_note(env, s);
		env->hooks->crash(env->arg);
		return (EX_END);
	case SCN_STMT_LOCK:
	case SCN_STMT_ACQUIRE:
		if (s->var_slot >= 0)
			r = exec_take_result(env, s, o);
		else
			r = exec_take(env, s, o, s->timeout_ns);
		if (r == EX_END)
			return (r);
		break;
	case SCN_STMT_UNLOCK:
	case SCN_STMT_RELEASE:
		if (s->value != NULL)
			r = exec_release_n(env, s, o);
		else
			r = exec_give(env, s, o);
		if (r == EX_END)
			return (r);
		break;
	case SCN_STMT_ASSERT:
		if (exec_assert(env, s) != EX_OK)
			return (EX_END);
		break;
	case SCN_STMT_APPEND:
		if (exec_eval(env, s->value, &v) != 0 ||
		    exec_request(env, s->line, o, MGR_LIST_APPEND, 0, v,
		    &n) != 0)
			return (EX_END);
		break;
	case SCN_STMT_MARK:
		/* One atomic add: the model orders marks by their first. */
		if (s->target_ref.kind != SCN_REF_OBJECT)
			return (exec_error(env, s->line, "%s is not a mark",
			    s->target));
		sync_shared_add(env->sync, o, 0, 1);
		break;
	case SCN_STMT_WITH:
		if ((r = exec_take(env, s, o, 0)) != EX_OK)
			return (r);
		exec_note(env, s);
		r = exec_block(env, &s->body);
		if (exec_give(env, s, o) == EX_END)
			return (EX_END);
		return (r);
	case SCN_STMT_WAIT:
		if (obj != NULL && obj->kind == TRACE_OBJ_BARRIER)
			r = sync_barrier_wait(env->sync, o, &cause);
		else
			r = sync_cond_wait(env->sync, o, s->timeout_ns, &cause);
		if (r < 0)
			return (exec_error_cause(env, s, cause));
		break;
	case SCN_STMT_NOTIFY:
	case SCN_STMT_NOTIFY_ALL:
		n = -1;
		if (s->kind == SCN_STMT_NOTIFY) {
			n = 1;
			if (s->value != NULL && exec_eval(env, s->value, &n) != 0)
				return (EX_END);
			if (n < 0)
				n = 0;
		}
		if (sync_cond_notify(env->sync, o, (int)n, &cause) != 0)
			return (exec_error_cause(env, s, cause));
		break;
	case SCN_STMT_PUT:
	case SCN_STMT_SEND:
		if ((ops = exec_chan(env, s, o)) == NULL)
			return (EX_END);
		if (exec_eval(env, s->value, &v) != 0)
			return (EX_END);
		prio = 0;
		if (s->priority != NULL &&
		    exec_eval(env, s->priority, &prio) != 0)
			return (EX_END);
		if (ops->put == NULL || ops->put(env->sync, o, v,
		    (int32_t)prio, &cause) != 0)
			return (exec_error_cause(env, s, cause));
		exec_chan_wake(env, o);
		break;
	case SCN_STMT_GET:
	case SCN_STMT_RECV:
		if ((ops = exec_chan(env, s, o)) == NULL)
			return (EX_END);
		if (s->timeout_ns == SCN_TIMEOUT_TRY) {
			if ((r = exec_try_get(env, s, ops, o)) != EX_OK)
				return (r);
			break;
		}
		if (s->timeout_ns > 0) {
			/* get(timeout=): -1 when nothing came in time. */
			if (ops->timed_get == NULL)
				return (exec_error(env, s->line, "%s: a %s "
				    "get has no timeout", s->target,
				    ops->name));
			if ((r = ops->timed_get(env->sync, o, &v,
			    s->timeout_ns, &cause)) < 0)
				return (exec_error_cause(env, s, cause));
			exec_chan_wake(env, o);
			if (r != 0)
				v = -1;
			if (s->var_slot >= 0)
				env->vars[s->var_slot] = v;
			break;
		}
		if (ops->get == NULL ||
		    (r = ops->get(env->sync, o, &v, &cause)) < 0)
			return (exec_error_cause(env, s, cause));
		exec_chan_wake(env, o);
		if (r == 1)
			v = -1;		/* end-of-file */
		if (s->var_slot >= 0)
			env->vars[s->var_slot] = v;
		break;
	case SCN_STMT_CLOSE:
	case SCN_STMT_OPEN:
	case SCN_STMT_LISTEN:
	case SCN_STMT_ACCEPT:
	case SCN_STMT_CONNECT:
		if ((ops = exec_chan(env, s, o)) == NULL)
			return (EX_END);
		r = -1;
		if (s->kind == SCN_STMT_CLOSE && ops->close != NULL)
			r = ops->close(env->sync, o, &cause);
		else if (s->kind == SCN_STMT_OPEN && ops->open != NULL)
			r = ops->open(env->sync, o, s->open_write, &cause);
		else if (s->kind == SCN_STMT_LISTEN && ops->listen != NULL)
			r = ops->listen(env->sync, o, &cause);
		else if (s->kind == SCN_STMT_ACCEPT && ops->accept != NULL)
			r = ops->accept(env->sync, o, &cause);
		else if (s->kind == SCN_STMT_CONNECT && ops->connect != NULL)
			r = ops->connect(env->sync, o, &cause);
		else
			xasprintf(&cause, "not supported by a %s",
			    ops->name);
		if (r != 0)
			return (exec_error_cause(env, s, cause));
		exec_chan_wake(env, o);
		break;
	case SCN_STMT_SLEEP:
		if (exec_duration(env, s, &v) != 0)
			return (EX_END);
		trace_emit(env->tp, TRACE_SLEEP, TRACE_NO_OBJECT, v, 0);
		if (env->sync->sched != NULL)
			exec_sched_pause(env, v);
		else
			exec_sleep_ns(v);
		trace_emit(env->tp, TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
		break;
	case SCN_STMT_COMPUTE:
		if (exec_duration(env, s, &v) != 0)
			return (EX_END);
		trace_emit(env->tp, TRACE_COMPUTE, TRACE_NO_OBJECT, v, 0);
		if (env->sync->sched != NULL)
			exec_sched_pause(env, v);
		else
			exec_compute_ns(v);
		trace_emit(env->tp, TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
		break;
	case SCN_STMT_PRINT:
		if (exec_print(env, s) != EX_OK)
			return (EX_END);
		break;
	case SCN_STMT_REPEAT:
		if (exec_eval(env, s->value, &n) != 0)
			return (EX_END);
		if (n < 0)
			return (exec_error(env, s->line, "repeat %" PRId64 ": a "
			    "repeat count cannot be negative", n));
		exec_note(env, s);
		for (i = 0; i < n; i++) {
			if (s->var_slot >= 0)
				env->vars[s->var_slot] = i;
			r = exec_block(env, &s->body);
			if (r == EX_BREAK)
				break;
			if (r == EX_END)
				return (r);
		}
		return (EX_OK);
	case SCN_STMT_FOREVER:
		exec_note(env, s);
		for (;;) {
			r = exec_block(env, &s->body);
			if (r == EX_BREAK)
				break;
			if (r == EX_END)
				return (r);
		}
		return (EX_OK);
	case SCN_STMT_WHILE:
		exec_note(env, s);
		for (i = 0;; i++) {
			if (i > 0)
				exec_gate(env, TRACE_STEP, s->line, s->col);
			if (exec_eval(env, s->cond, &v) != 0)
				return (EX_END);
			if (!v)
				break;
			r = exec_block(env, &s->body);
			if (r == EX_BREAK)
				break;
			if (r == EX_END)
				return (r);
		}
		return (EX_OK);
	case SCN_STMT_IF:
		if (exec_eval(env, s->cond, &v) != 0)
			return (EX_END);
		exec_note(env, s);
		return (exec_block(env, v ? &s->body : &s->orelse));
	case SCN_STMT_ASSIGN:
	case SCN_STMT_ADD:
		if ((r = exec_store(env, s, s->kind == SCN_STMT_ADD)) != EX_OK)
			return (r);
		break;
	case SCN_STMT_START:
		if (s->target_ref.kind != SCN_REF_WORKER)
			return (exec_error(env, s->line, "%s is not a worker",
			    s->target));
		if (env->hooks->start(env->arg,
		    scenario_worker_first(env->file, s->target_ref.index),
		    env->file->workers[s->target_ref.index].copies,
		    &cause) != 0)
			return (exec_error_cause(env, s, cause));
		break;
	case SCN_STMT_JOIN:
		if (s->target_ref.kind != SCN_REF_WORKER)
			return (exec_error(env, s->line, "%s is not a worker",
			    s->target));
		n = env->file->workers[s->target_ref.index].copies;
		v = scenario_worker_first(env->file, s->target_ref.index);
		for (i = 0; i < n; i++) {
			r = env->hooks->join(env->arg, (uint16_t)(v + i),
			    s->timeout_ns, &cause);
			if (r < 0)
				return (exec_error_cause(env, s, cause));
			if (r == 1)
				break;
		}
		break;
	case SCN_STMT_RESULT:
		if (exec_eval(env, s->value, &env->result) != 0)
			return (EX_END);
		break;
	}
	exec_note(env, s);
	return (EX_OK);
}

static int
exec_block(struct exec_env *env, const struct scn_block *b)
{
	size_t	i;
	int	r;

	for (i = 0; i < b->n; i++) {
		if ((r = exec_stmt(env, b->v[i])) != EX_OK)
			return (r);
	}
	return (EX_OK);
}

/* The manager object + 1 that this worker serves, or 0. */
static int
exec_serves(const struct exec_env *env)
{
	const struct scn_file	*f = env->file;
	size_t			 i;
	uint16_t		 first;

	for (i = 0; i < f->nworkers; i++) {
		first = scenario_worker_first(f, (int)i);
		if (env->worker >= first &&
		    env->worker < first + f->workers[i].copies)
			return (f->workers[i].serves);
	}
	return (0);
}

int
exec_worker(struct exec_env *env)
{
	const struct trace_meta_worker	*mw = &env->meta->workers[env->worker];
	const struct scn_block		*body;
	struct sync_obj			*pool;
	uint32_t			 task;
	int				 nvars, serves;

	env->status = 0;
	env->task = -1;
	memset(env->vars, 0, sizeof env->vars);
	body = scenario_worker_body(env->file, env->meta, env->worker, &nvars);
	if (body == NULL)
		return (0);
	if ((serves = exec_serves(env)) > 0)
		return (exec_serve(env, (uint16_t)(serves - 1)));
	if (!(mw->flags & TRACE_WORKERF_POOL) ||
	    mw->pool >= env->meta->nobjects) {
		exec_block(env, body);
		return (env->status);
	}
	pool = &env->sync->objs[mw->pool];
	for (;;) {
		task = __atomic_fetch_add(&pool->next_task, 1,
		    __ATOMIC_RELAXED);
		if ((int64_t)task >= env->meta->objects[mw->pool].tasks)
			break;
		env->task = (int)task;
		env->result = 0;
		memset(env->vars, 0, sizeof env->vars);
		trace_emit(env->tp, TRACE_TASK_BEGIN, mw->pool, task, 0);
		if (exec_block(env, body) == EX_END)
			break;
		trace_emit(env->tp, TRACE_TASK_END, mw->pool, env->result,
		    (int32_t)task);
	}
	return (env->status);
}

/* Static walks over the statements, for the runtime's set-up. */

static void
exec_notes_block(const struct scn_block *b,
    void (*fn)(void *, const struct scn_stmt *), void *arg)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i]->note != NULL)
			fn(arg, b->v[i]);
		exec_notes_block(&b->v[i]->body, fn, arg);
		exec_notes_block(&b->v[i]->orelse, fn, arg);
	}
}

void
exec_walk_notes(const struct scn_file *file,
    void (*fn)(void *, const struct scn_stmt *), void *arg)
{
	size_t	i;

	for (i = 0; i < file->nworkers; i++)
		exec_notes_block(&file->workers[i].body, fn, arg);
	for (i = 0; i < file->nobjects; i++)
		exec_notes_block(&file->objects[i].body, fn, arg);
}

static int
exec_crash_block(const struct scn_block *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i]->kind == SCN_STMT_CRASH ||
		    exec_crash_block(&b->v[i]->body) ||
		    exec_crash_block(&b->v[i]->orelse))
			return (1);
	}
	return (0);
}

int
exec_has_crash(const struct scn_file *file, const struct trace_meta *meta,
    uint16_t w)
{
	const struct scn_block	*body;
	int			 nvars;

	body = scenario_worker_body(file, meta, w, &nvars);
	return (body != NULL && exec_crash_block(body));
}
