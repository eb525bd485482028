/*
 * scenario/ast.h: the parsed form of a .scn file.
 *
 * The parser (parse.c) builds it, the validator (validate.c) resolves every
 * name to an index and checks kinds, scenario_meta_build() derives the
 * run's trace_meta from it, and the executor (exec.c) runs a worker's
 * statements. Every node keeps its line and column so errors and the live
 * view can point at the source.
 *
 * The language, in brief (doc/scenario-language.md is the reference):
 *
 *   title "text"                       about """ multi-line text """
 *   mutex A, B          rlock R          semaphore S(5)      barrier B(4)
 *   semaphore S = 5     (Downey's spelling of S(5))
 *   condition C         condition C(L)   (C uses mutex/rlock L as its lock)
 *   queue Q(4)          pipe P           pipe P duplex       fifo F
 *   mqueue M(10)        socket S unix    socket S tcp
 *   mmap M(16)          shm S(8)         (arrays of int cells, M[i])
 *   shared int counter = 0               local int id = 0   (thread-local)
 *   int x = 0            (plain: shared by threads, copied into processes)
 *   manager M            (a server process M.server owning M.value, M.list,
 *                         M.dict; every use is a request on queue M and a
 *                         reply on M.to.WORKER; M.lock is a mutex)
 *   pool P(5) tasks 20:                  (body runs once per task; `task`
 *       result task * task                is the task index; results kept;
 *   pool P(5) threads tasks 20:           members are processes unless
 *                                         `threads` is given)
 *   thread NAME [xN] [daemon]:           process NAME [xN] [daemon]:
 *   main:                                (a thread; workers named by a
 *                                         `start` in any body are deferred)
 *   expect deadlock | stall | self_deadlock | completes
 *   expect potential_deadlock | no potential_deadlock
 *   expect [METRIC] NAME OP INT          (METRIC defaults to value;
 *                                         max/min: over the run)
 *   expect A before B                    (marks: A was reached first)
 *
 * Statements (one per line, indented bodies after ':', `# comment`,
 * optional trailing `note "caption"` on any simple statement):
 *   pass   break   crash
 *   lock X [timeout D]   unlock X   acquire S [timeout D]   release S [N]
 *   OK = lock X timeout D | blocking false     (OK = 1 taken, 0 not;
 *   OK = acquire S timeout D | blocking false   the same for acquire)
 *   signal S (= release S)   wait S (= acquire S, on a semaphore)
 *   assert EXPR          (the run fails at this line when EXPR is 0)
 *   mark NAME            (a point of the program, for `expect A before B`)
 *   append M.list EXPR   (one request; M.value += 1 is two)
 *   with X:              (mutex, rlock, semaphore, or condition's lock)
 *   wait C [timeout D]   (condition; must hold its lock)   wait B (barrier)
 *   notify C [N]         notify_all C
 *   put Q EXPR           [VAR =] get Q
 *   send P EXPR [priority N]   [VAR =] recv P   close P
 *   open F read|write    (fifo; blocks until the other end opens)
 *   listen S   accept S   connect S   (socket set-up, blocking)
 *   sleep D   compute D  (D: 10ns 5us 100ms 2s, or an expression
 *                        with units: copy * 10ms)
 *   print "text {EXPR} text"
 *   repeat N [as VAR]:   forever:   while COND:
 *   if COND: ... [elif COND: ...] [else: ...]
 *   (a body of one simple statement may follow the ':' on the same line)
 *   VAR = EXPR           (worker-local variable, created on first set)
 *   NAME = EXPR          (shared / local int / M[i]: a plain store)
 *   NAME += EXPR         (shared: load, then add and store: two steps)
 *   atomic NAME += EXPR  (one atomic add; `-=` works wherever `+=` does)
 *   start W   join W [timeout D]
 *   result EXPR          (pool body: the task's result)
 *
 * Expressions: integers, names (local variables, shared/local ints, loop
 * variables, `task`, `copy`; `now`, `pid`, `ppid` unless declared), M[EXPR], len(Q), locked L, + - * / %,
 * == != < <= > >=,
 * and, or, not, parentheses.
 */
#ifndef LOCKSTEP_SCENARIO_AST_H
#define LOCKSTEP_SCENARIO_AST_H

#include <stddef.h>
#include <stdint.h>

#include "trace/meta.h"

#define SCN_MAX_VARS	64	/* worker-local variable slots per worker */
#define SCN_MAX_DURATION	(86400LL * 1000000000LL)	/* one day, ns */

enum scn_expr_kind {
	SCN_EXPR_INT,		/* ival */
	SCN_EXPR_NAME,		/* name; resolved to ref */
	SCN_EXPR_INDEX,		/* name[left]: mmap/shm cell */
	SCN_EXPR_LEN,		/* len(name): items in a channel */
	SCN_EXPR_UNARY,		/* op left: '-' or SCN_OP_NOT */
	SCN_EXPR_BINARY,	/* left op right */
	SCN_EXPR_LOCKED		/* locked NAME: 1 while anyone holds the
				   mutex or rlock */
};

enum scn_op {
	SCN_OP_ADD = '+', SCN_OP_SUB = '-', SCN_OP_MUL = '*',
	SCN_OP_DIV = '/', SCN_OP_MOD = '%',
	SCN_OP_EQ = 256, SCN_OP_NE, SCN_OP_LT, SCN_OP_LE, SCN_OP_GT,
	SCN_OP_GE, SCN_OP_AND, SCN_OP_OR, SCN_OP_NOT
};

/* What a name resolved to. */
enum scn_ref_kind {
	SCN_REF_NONE,		/* not resolved yet */
	SCN_REF_OBJECT,		/* index = trace_meta object (shared, local,
				   mmap, shm, channel...) */
	SCN_REF_VAR,		/* index = worker-local variable slot */
	SCN_REF_TASK,		/* the pool task index */
	SCN_REF_COPY,		/* the worker's 1-based copy number */
	SCN_REF_WORKER,		/* index = scn_file worker (start/join) */
	SCN_REF_BUILTIN,	/* index = enum scn_builtin (now, pid...) */
	SCN_REF_GLOBAL,		/* index = scn_file global (`int x`) */
	SCN_REF_PROXY		/* index = a manager's object; the field
				   (enum scn_field) is the expression's op
				   or the statement's field */
};

/* What a manager's proxy names: M.value, M.list, M.dict. */
enum scn_field {
	SCN_FIELD_VALUE,
	SCN_FIELD_LIST,
	SCN_FIELD_DICT
};

/* Names that read the world, when nothing declared has the name. */
enum scn_builtin {
	SCN_BUILTIN_NOW,	/* the run's clock, ms (compare two readings) */
	SCN_BUILTIN_PID,	/* this worker's process id */
	SCN_BUILTIN_PPID	/* its parent's */
};

struct scn_ref {
	enum scn_ref_kind	 kind;
	int			 index;
};

struct scn_expr {
	enum scn_expr_kind	 kind;
	int			 line, col;
	int64_t			 ival;
	int			 op;		/* enum scn_op */
	char			*name;
	struct scn_ref		 ref;
	struct scn_expr		*left, *right;
};

enum scn_stmt_kind {
	SCN_STMT_PASS,
	SCN_STMT_BREAK,
	SCN_STMT_CRASH,		/* the worker kills itself (SIGKILL) */
	SCN_STMT_LOCK,		/* target; timeout_ns (0 = none) */
	SCN_STMT_UNLOCK,
	SCN_STMT_ACQUIRE,
	SCN_STMT_RELEASE,
	SCN_STMT_WITH,		/* target; body. A condition target means
				   its lock (scenario_condition_lock()) */
	SCN_STMT_WAIT,		/* target condition or barrier; timeout_ns */
	SCN_STMT_NOTIFY,	/* target; value = count (NULL = 1) */
	SCN_STMT_NOTIFY_ALL,
	SCN_STMT_PUT,		/* target; value */
	SCN_STMT_GET,		/* target; var (may be none: var_slot -1) */
	SCN_STMT_SEND,		/* target; value; priority (NULL = 0) */
	SCN_STMT_RECV,		/* target; var */
	SCN_STMT_CLOSE,
	SCN_STMT_OPEN,		/* target fifo; open_write */
	SCN_STMT_LISTEN,
	SCN_STMT_ACCEPT,
	SCN_STMT_CONNECT,
	SCN_STMT_SLEEP,		/* duration_ns */
	SCN_STMT_COMPUTE,	/* duration_ns */
	SCN_STMT_PRINT,		/* text (with {EXPR} parts), parts */
	SCN_STMT_REPEAT,	/* value = count; var (may be none); body */
	SCN_STMT_FOREVER,	/* body */
	SCN_STMT_WHILE,		/* cond; body */
	SCN_STMT_IF,		/* cond; body; orelse */
	SCN_STMT_ASSIGN,	/* var or target (+ index); value. A local
				   `x += e` arrives as x = x + e */
	SCN_STMT_ADD,		/* target (+ index); value; atomic. `-= e`
				   arrives as += of (-e) */
	SCN_STMT_START,		/* target = worker name, target_ref =
				   SCN_REF_WORKER (every copy of it) */
	SCN_STMT_JOIN,		/* the same; timeout_ns */
	SCN_STMT_RESULT,	/* value */
	SCN_STMT_ASSERT,	/* value; text = the expression as written */
	SCN_STMT_MARK,		/* target = the mark (a shared int the
				   validator declares: reached N times) */
	SCN_STMT_APPEND		/* target = M.list (a proxy); value */
};

/* timeout_ns of `lock X blocking false`: give up at once. Passed to the
   sync calls as is (a negative timeout there means "try"). */
#define SCN_TIMEOUT_TRY	(-1)

struct scn_stmt;

struct scn_block {
	struct scn_stmt	**v;
	size_t		  n;
};

/* A print's text split into literal and {expression} parts. */
struct scn_print_part {
	char		*literal;	/* or NULL when expr is set */
	struct scn_expr	*expr;
};

struct scn_stmt {
	enum scn_stmt_kind	 kind;
	int			 line, col;
	char			*note;		/* trailing note "..." or NULL */

	char			*target;	/* object name as written */
	struct scn_ref		 target_ref;	/* resolved object */
	int			 target_line, target_col;
	struct scn_expr		*index;		/* M[index] = ... */

	char			*var;		/* local variable name or NULL */
	int			 var_slot;	/* its slot, or -1 */

	struct scn_expr		*value;
	struct scn_expr		*priority;
	struct scn_expr		*cond;
	int64_t			 duration_ns;
	struct scn_expr		*duration;	/* sleep/compute D written as an
						   expression (copy * 10ms);
						   its unit literals are ns */
	int64_t			 timeout_ns;	/* 0 = wait forever,
						   SCN_TIMEOUT_TRY = try */
	int			 alias;		/* written in Downey's words
						   (signal S, wait S) */
	int			 field;		/* enum scn_field of a proxy
						   target */
	int			 atomic;
	int			 open_write;

	char			*text;		/* print: the raw text */
	struct scn_print_part	*parts;
	size_t			 nparts;

	struct scn_block	 body;
	struct scn_block	 orelse;
};

struct scn_object {
	char			*name;
	enum trace_obj_kind	 kind;
	int64_t			 capacity;
	int64_t			 initial;
	int64_t			 tasks;		/* pool */
	char			*lock_name;	/* condition C(L) */
	int			 lock;		/* resolved, or -1 = own lock */
	uint32_t		 flags;		/* TRACE_OBJF_* */
	int			 line, col;
	struct scn_block	 body;		/* pool: the task body */
	int			 nvars;		/* pool body: variable slots */
	int			 lock_line, lock_col;	/* C(L): where L is */
	int			 mark;		/* declared by `mark NAME` */
	/* `manager M`: this object is the queue of M's requests. Its
	   server is worker serves - 1 ... see scn_worker; replies[w] is the
	   queue that carries meta worker w's replies (-1: none). */
	int			 manager;
	int			*replies;
	int			 nreplies;
};

struct scn_worker {
	char			*name;
	enum trace_worker_kind	 kind;
	int			 copies;	/* xN, default 1 */
	int			 daemon;
	int			 deferred;	/* set by the validator */
	int			 line, col;
	struct scn_block	 body;
	int			 nvars;		/* variable slots used */
	int			 serves;	/* manager object + 1 whose
						   server this is, or 0 */
	char			*vars[SCN_MAX_VARS];	/* slot names */
};

/* `int x = 0`: a plain variable of the program. Threads share it (they
   share their process's memory); each process has its own copy. Not an
   object: nothing is traced when it is read or written. */
struct scn_global {
	char			*name;
	int64_t			 initial;
	int			 line, col;
};

#define SCN_MAX_GLOBALS	64

struct scn_expect {
	enum trace_expect_kind	 kind;
	enum trace_metric	 metric;
	char			*name;		/* object name or NULL */
	int			 object;	/* resolved, or -1 */
	enum trace_cmp		 cmp;
	int64_t			 value;
	int			 line, col;
	char			*text;
	int			 name_line, name_col;	/* the object name */
	char			*name2;		/* `a before b`: b */
	int			 name2_line, name2_col;
};

struct scn_file {
	char			*path;
	char			*source;	/* whole text, NUL-terminated */
	size_t			 source_len;
	char			*title;
	char			*about;

	struct scn_object	*objects;
	size_t			 nobjects;
	struct scn_worker	*workers;
	size_t			 nworkers;
	struct scn_expect	*expects;
	size_t			 nexpects;
	struct scn_global	*globals;
	size_t			 nglobals;

	size_t			*line_off;	/* start of each line */
	int			 nlines;
};

/*
 * Diagnostics: every error found, in file order. The parser keeps going
 * after an error where it can (it skips to the next line at the same or
 * lower indentation).
 */
struct scn_diag {
	int	 line, col;
	char	*message;
};

struct scn_diags {
	struct scn_diag	*v;
	size_t		 n;
	char		*source;	/* the text the errors point into (set
					   by scenario_load*: a copy, freed by
					   scenario_diags_done), or NULL */
};

/* Parse and validate PATH. Returns the file, or NULL when any error was
   found (all of them are in diags). */
struct scn_file	*scenario_load(const char *path, struct scn_diags *);
/* The same on text already in memory (tests, fuzzing); path is a label. */
struct scn_file	*scenario_load_text(const char *path, const char *text,
		    size_t len, struct scn_diags *);
void		 scenario_free(struct scn_file *);
void		 scenario_diags_done(struct scn_diags *);
/* Print "path:line:col: error: msg", the source line and a caret (gcc's
   layout); errors with line 0 (unreadable file) print as "path: error:
   msg". A NULL source means diags->source. */
void		 scenario_diags_print(const struct scn_diags *,
		    const char *path, const char *source, void *stdio_file);

/*
 * Derive the run's tables. Meta workers come in a fixed order: first every
 * scn_worker in file order, each as `copies` consecutive entries (named
 * NAME when copies == 1, else NAME.1 .. NAME.N), then for every pool object
 * in declaration order its `capacity` members (named POOL.1 .. POOL.K,
 * TRACE_WORKERF_POOL, pool = the object; processes, or threads for a pool
 * with TRACE_OBJF_THREADS). Object index = scn_object index. Channel
 * objects get their writers and readers (trace_meta_object).
 */
void		 scenario_meta_build(const struct scn_file *, struct trace_meta *);
/* The statements meta worker W runs (its scn_worker's body, or its pool's
   task body) and how many variable slots it needs. */
const struct scn_block *scenario_worker_body(const struct scn_file *,
		    const struct trace_meta *, uint16_t w, int *nvars);
/* Fill uses[o * meta->nworkers + w] with TRACE_USE_* for every object o
   and worker w, from the statements each worker can run. */
void		 scenario_uses(const struct scn_file *, const struct trace_meta *,
		    uint8_t *uses);
/* The first meta worker index of scn_worker I; its copies follow it. */
uint16_t	 scenario_worker_first(const struct scn_file *, int i);

/* The text of source line N (1-based), without its newline; its length in
   *len. NULL if out of range. */
const char	*scenario_line(const struct scn_file *, int line, size_t *len);

/* The meta object index of condition I's lock: its C(L) lock, or the
   hidden "<C>.lock" mutex scenario_meta_build() appends after the declared
   objects for a condition with its own lock. -1 if I is not a condition. */
int		 scenario_condition_lock(const struct scn_file *, int i);

#endif
