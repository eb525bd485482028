/*
 * scenario/validate.c: names, kinds and plain misuse, before anything runs.
 *
 * Objects and workers share one namespace (a duplicate is reported with
 * where the first was declared). Each worker body, and each pool's task
 * body, has its own worker-local variables: a variable exists from its
 * first assignment in the text onwards (`x = ...`, `x = get Q`,
 * `x = recv P`, `repeat N as x`) and gets the next slot; reading it before
 * that is an undeclared name, as in Python. A name is looked up as an
 * object first, then as a worker, then as a variable, so `counter = 5`
 * stores into the shared int and `x = 5` makes a variable. A worker-local
 * `x += e` becomes `x = x + e` (the executor only adds to objects).
 *
 * Then each operation is checked against the kind of its object, and the
 * statically visible lock misuse is flagged: an `unlock` (or `release`)
 * of a mutex or rlock that this worker certainly does not hold at that
 * point. "Certainly" is kept conservative: the walk counts locks through
 * straight-line code, `with` and both arms of an `if` (merging to
 * "unknown" where they differ), and forgets everything a loop body
 * touches, so it never reports an error that depends on how many times a
 * loop ran or which branch was taken. After `ok = lock X ...` (a try or a
 * timed take with a result) X counts as held only inside `if ok:`.
 *
 * Some names are declared by the validator itself, before anything else
 * is checked: each `mark NAME` declares a shared int NAME; each `manager
 * M` gets its server process M.server and a reply queue M.to.W for every
 * other worker W. Dotted names (M.value, M.list, M.dict) resolve to a
 * manager's proxies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parse.h"
#include "trace/event.h"
#include "util/xmalloc.h"

#define NWORDS(a)	(sizeof (a) / sizeof (a)[0])
#define K(k)		(1u << TRACE_OBJ_##k)
#define K_LOCKS		(K(MUTEX) | K(RLOCK))
#define K_CHANNELS	(K(PIPE) | K(FIFO) | K(MQUEUE) | K(SOCKET))
#define K_NUMBERS	(K(SHARED) | K(LOCAL))
#define K_CELLS		(K(MMAP) | K(SHM))
#define K_WAITABLE	(K_LOCKS | K(SEMAPHORE) | K(CONDITION) | K(BARRIER) | \
			 K(QUEUE) | K_CHANNELS)

/* A declared name: object or worker. */
struct vname {
	const char	*name;
	int		 line, col;
	int		 worker;	/* 1 worker, 2 plain int, else
					   object */
	int		 index;
};

struct vctx {
	struct scn_file		*file;
	struct scn_diags	*diags;
	struct vname		*names;		/* sorted by name, first wins */
	size_t			 nnames;

	int			 worker;	/* scn_worker being checked */
	int			 pool;		/* or pool object */
	const char		*who;		/* its name */
	char			**vars;
	int			*nvars;
	int			 loops;
	int			 full;		/* "too many variables" said */
};

static int
vname_cmp(const void *a, const void *b)
{
	const struct vname	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return (c);
	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	return (x->col < y->col ? -1 : x->col > y->col);
}

static const struct vname *
lookup(const struct vctx *c, const char *name)
{
	size_t	lo = 0, hi = c->nnames, mid;
	int	r;

	/* Lower bound, so the first declaration of a duplicate wins. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		r = strcmp(c->names[mid].name, name);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nnames && strcmp(c->names[lo].name, name) == 0)
		return (&c->names[lo]);
	return (NULL);
}

static int
find_object(const struct vctx *c, const char *name)
{
	const struct vname	*n = lookup(c, name);

	return (n != NULL && !n->worker ? n->index : -1);
}

static int
find_worker(const struct vctx *c, const char *name)
{
	const struct vname	*n = lookup(c, name);

	return (n != NULL && n->worker == 1 ? n->index : -1);
}

static int
find_global(const struct vctx *c, const char *name)
{
	const struct vname	*n = lookup(c, name);

	return (n != NULL && n->worker == 2 ? n->index : -1);
}

static int
find_var(const struct vctx *c, const char *name)
{
	int	i;

	if (c->vars == NULL)
		return (-1);
	for (i = 0; i < *c->nvars; i++) {
		if (strcmp(c->vars[i], name) == 0)
			return (i);
	}
	return (-1);
}

static const char *
worker_desc(const struct scn_worker *w)
{
	switch (w->kind) {
	case TRACE_WORKER_THREAD:
		return ("a thread");
	case TRACE_WORKER_PROCESS:
		return ("a process");
	default:
		return ("the main worker");
	}
}

/* What name is, for "but NAME is ..." ; NULL if undeclared. */
static const char *
describe(const struct vctx *c, const char *name, char *buf, size_t size)
{
	const struct vname	*n = lookup(c, name);
	const struct scn_object	*o;

	if (n != NULL && n->worker == 2)
		return ("a plain int");
	if (n != NULL && n->worker)
		return (worker_desc(&c->file->workers[n->index]));
	if (n != NULL) {
		o = &c->file->objects[n->index];
		snprintf(buf, size, "%s %s", scenario_kind_article(o->kind),
		    scenario_kind_name(o->kind));
		return (buf);
	}
	if (find_var(c, name) >= 0)
		return ("a local variable");
	if (strcmp(name, "task") == 0)
		return ("the pool's task number");
	if (strcmp(name, "copy") == 0)
		return ("the worker's copy number");
	return (NULL);
}

/* "undeclared name `x`", with the closest name of the right kind. */
static void
undeclared(struct vctx *c, const char *name, int line, int col,
    uint32_t kinds, int workers, int vars, const char *what)
{
	const char	**cand, *sug;
	size_t		  n = 0, i;
	int		  j;

	if (!scenario_diag_wanted(c->diags, line))
		return;
	cand = xcalloc(c->nnames + SCN_MAX_VARS + 2, sizeof *cand);
	for (i = 0; i < c->nnames; i++) {
		const struct vname *v = &c->names[i];

		if (v->worker == 2 ? vars : v->worker ? workers :
		    (kinds & (1u << c->file->objects[v->index].kind)) != 0)
			cand[n++] = v->name;
	}
	if (vars && c->vars != NULL) {
		for (j = 0; j < *c->nvars; j++)
			cand[n++] = c->vars[j];
		cand[n++] = "copy";
		if (c->pool >= 0)
			cand[n++] = "task";
	}
	sug = scenario_closest(name, cand, n);
	if (sug != NULL)
		scenario_diag_add(c->diags, line, col, "undeclared %s `%s`; did "
		    "you mean `%s`?", what, name, sug);
	else
		scenario_diag_add(c->diags, line, col, "undeclared %s `%s`",
		    what, name);
	free(cand);
}

/* The object an operation names, of one of kinds; -1 after an error. */
static int
want_object(struct vctx *c, const char *name, int line, int col,
    uint32_t kinds, const char *op, const char *need)
{
	const char	*what;
	char		 buf[64];
	int		 i;

	if ((i = find_object(c, name)) >= 0 && c->file->objects[i].manager) {
		scenario_diag_add(c->diags, line, col, "`%s` needs %s, but %s "
		    "is a manager: use %s.value, %s.list, %s.dict or %s.lock",
		    op, need, name, name, name, name, name);
		return (-1);
	}
	if ((i = find_object(c, name)) >= 0 &&
	    (kinds & (1u << c->file->objects[i].kind)) != 0)
		return (i);
	if ((what = describe(c, name, buf, sizeof buf)) != NULL) {
		scenario_diag_add(c->diags, line, col, "`%s` needs %s, but %s "
		    "is %s", op, need, name, what);
		return (-1);
	}
	undeclared(c, name, line, col, kinds, 0, 0, "name");
	return (-1);
}

static int
target(struct vctx *c, struct scn_stmt *s, uint32_t kinds, const char *op,
    const char *need)
{
	int	i;

	if (s->target == NULL)
		return (-1);
	i = want_object(c, s->target, s->target_line, s->target_col, kinds,
	    op, need);
	if (i >= 0) {
		s->target_ref.kind = SCN_REF_OBJECT;
		s->target_ref.index = i;
	}
	return (i);
}

static void	check_expr(struct vctx *, struct scn_expr *);

/*
 * A dotted name: the manager it belongs to and the part it names. Returns
 * the manager's object, -1 after an error (reported), or -2 when name
 * has no dot.
 */
static int
proxy_of(struct vctx *c, const char *name, int line, int col, int *field)
{
	static const char *const fields[] = { "value", "list", "dict" };
	const char	*dot = strchr(name, '.');
	char		*base;
	size_t		 k;
	int		 m;

	if (dot == NULL)
		return (-2);
	base = xstrndup(name, (size_t)(dot - name));
	m = find_object(c, base);
	if (m < 0 || !c->file->objects[m].manager) {
		if (m < 0 && find_object(c, name) < 0)
			scenario_diag_add(c->diags, line, col, "`%s`: %s is not a "
			    "manager (`manager %s` declares one)", name, base,
			    base);
		else if (m >= 0)
			scenario_diag_add(c->diags, line, col, "`%s`: only a "
			    "manager has parts, and %s is %s %s", name, base,
			    scenario_kind_article(c->file->objects[m].kind),
			    scenario_kind_name(c->file->objects[m].kind));
		free(base);
		return (-1);
	}
	for (k = 0; k < NWORDS(fields); k++) {
		if (strcmp(dot + 1, fields[k]) == 0)
			break;
	}
	if (k == NWORDS(fields)) {
		scenario_diag_add(c->diags, line, col, "`%s`: a manager has "
		    "%s.value, %s.list, %s.dict and %s.lock", name, base, base,
		    base, base);
		free(base);
		return (-1);
	}
	free(base);
	*field = (int)k;
	return (m);
}

/* The same for an expression, which must name one of fields (a mask). */
static int
proxy_expr(struct vctx *c, struct scn_expr *e, unsigned fields,
    const char *how)
{
	int	m, field;

	if ((m = proxy_of(c, e->name, e->line, e->col, &field)) < 0)
		return (m);
	if ((fields & (1u << field)) == 0) {
		scenario_diag_add(c->diags, e->line, e->col, "`%s`: %s", e->name,
		    how);
		return (-1);
	}
	e->ref.kind = SCN_REF_PROXY;
	e->ref.index = m;
	e->op = field;
	return (m);
}

/* A constant cell index must fall inside the array. */
static void
check_cell(struct vctx *c, int obj, struct scn_expr *index)
{
	const struct scn_object	*o = &c->file->objects[obj];

	check_expr(c, index);
	if (index->kind == SCN_EXPR_INT &&
	    (index->ival < 0 || index->ival >= o->capacity))
		scenario_diag_add(c->diags, index->line, index->col, "index "
		    "%lld is out of range: %s has %lld cells (0 to %lld)",
		    (long long)index->ival, o->name, (long long)o->capacity,
		    (long long)o->capacity - 1);
	if (index->kind == SCN_EXPR_UNARY && index->op == SCN_OP_SUB &&
	    index->left->kind == SCN_EXPR_INT)
		scenario_diag_add(c->diags, index->line, index->col, "index "
		    "-%lld is out of range: %s has %lld cells (0 to %lld)",
		    (long long)index->left->ival, o->name,
		    (long long)o->capacity, (long long)o->capacity - 1);
}

/* By enum scn_builtin. Not keywords: a declared name of the same
   spelling wins (join-pitfall-fixed has a `shared int now`). */
static const char *const builtins[] = { "now", "pid", "ppid" };

static void
check_name(struct vctx *c, struct scn_expr *e)
{
	const struct scn_object	*o;
	int			 i;

	if (find_object(c, e->name) < 0 && proxy_expr(c, e,
	    1u << SCN_FIELD_VALUE, "a list or dict is read one item at a "
	    "time (M.list[0], M.dict[key]) or measured (len(M.list))") != -2)
		return;

	if (strcmp(e->name, "task") == 0) {
		if (c->pool < 0) {
			scenario_diag_add(c->diags, e->line, e->col, "`task` "
			    "is only defined inside a pool body");
			return;
		}
		e->ref.kind = SCN_REF_TASK;
		e->ref.index = 0;
		return;
	}
	if (strcmp(e->name, "copy") == 0) {
		e->ref.kind = SCN_REF_COPY;
		e->ref.index = 0;
		return;
	}
	if ((i = find_object(c, e->name)) >= 0) {
		o = &c->file->objects[i];
		if ((K_NUMBERS & (1u << o->kind)) != 0) {
			e->ref.kind = SCN_REF_OBJECT;
			e->ref.index = i;
		} else if ((K_CELLS & (1u << o->kind)) != 0) {
			scenario_diag_add(c->diags, e->line, e->col, "%s is "
			    "%s %s: read one cell, as %s[0]", o->name,
			    scenario_kind_article(o->kind),
			    scenario_kind_name(o->kind), o->name);
		} else if (((K(QUEUE) | K_CHANNELS) & (1u << o->kind)) != 0) {
			scenario_diag_add(c->diags, e->line, e->col, "%s is "
			    "%s %s, not a number (len(%s) is how many items it "
			    "holds)", o->name, scenario_kind_article(o->kind),
			    scenario_kind_name(o->kind), o->name);
		} else {
			scenario_diag_add(c->diags, e->line, e->col, "%s is "
			    "%s %s, not a number", o->name,
			    scenario_kind_article(o->kind),
			    scenario_kind_name(o->kind));
		}
		return;
	}
	if ((i = find_worker(c, e->name)) >= 0) {
		scenario_diag_add(c->diags, e->line, e->col, "%s is %s, not a "
		    "number", e->name, worker_desc(&c->file->workers[i]));
		return;
	}
	if ((i = find_global(c, e->name)) >= 0) {
		e->ref.kind = SCN_REF_GLOBAL;
		e->ref.index = i;
		return;
	}
	if ((i = find_var(c, e->name)) >= 0) {
		e->ref.kind = SCN_REF_VAR;
		e->ref.index = i;
		return;
	}
	for (i = 0; i < (int)NWORDS(builtins); i++) {
		if (strcmp(e->name, builtins[i]) == 0) {
			e->ref.kind = SCN_REF_BUILTIN;
			e->ref.index = i;
			return;
		}
	}
	undeclared(c, e->name, e->line, e->col, K_NUMBERS, 0, 1, "name");
}

static void
check_expr(struct vctx *c, struct scn_expr *e)
{
	int	i;

	if (e == NULL)
		return;
	switch (e->kind) {
	case SCN_EXPR_INT:
		break;
	case SCN_EXPR_NAME:
		check_name(c, e);
		break;
	case SCN_EXPR_INDEX:
		if ((i = proxy_expr(c, e, (1u << SCN_FIELD_LIST) |
		    (1u << SCN_FIELD_DICT), "a value has no items: read it as "
		    "M.value")) != -2) {
			check_expr(c, e->left);
			break;
		}
		i = want_object(c, e->name, e->line, e->col, K_CELLS,
		    "[...]", "an mmap or shm");
		if (i >= 0) {
			e->ref.kind = SCN_REF_OBJECT;
			e->ref.index = i;
			check_cell(c, i, e->left);
		} else
			check_expr(c, e->left);
		break;
	case SCN_EXPR_LEN:
		if (proxy_expr(c, e, (1u << SCN_FIELD_LIST) |
		    (1u << SCN_FIELD_DICT), "len() of a list or dict, not of "
		    "a value") != -2)
			break;
		i = want_object(c, e->name, e->line, e->col,
		    K(QUEUE) | K_CHANNELS, "len()",
		    "a queue, pipe, fifo, mqueue or socket");
		if (i >= 0) {
			e->ref.kind = SCN_REF_OBJECT;
			e->ref.index = i;
		}
		break;
	case SCN_EXPR_LOCKED:
		i = want_object(c, e->name, e->line, e->col, K_LOCKS,
		    "locked", "a mutex or rlock");
		if (i >= 0) {
			e->ref.kind = SCN_REF_OBJECT;
			e->ref.index = i;
		}
		break;
	case SCN_EXPR_UNARY:
		check_expr(c, e->left);
		break;
	case SCN_EXPR_BINARY:
		check_expr(c, e->left);
		check_expr(c, e->right);
		if ((e->op == SCN_OP_DIV || e->op == SCN_OP_MOD) &&
		    e->right->kind == SCN_EXPR_INT && e->right->ival == 0)
			scenario_diag_add(c->diags, e->right->line,
			    e->right->col, "division by zero");
		break;
	}
}

/* The slot of variable name, created on first use; -1 when full. */
static int
var_slot(struct vctx *c, const char *name, int line, int col)
{
	int	i;

	if ((i = find_var(c, name)) >= 0)
		return (i);
	if (*c->nvars == SCN_MAX_VARS) {
		if (!c->full)
			scenario_diag_add(c->diags, line, col, "too many "
			    "variables in %s (the limit is %d)", c->who,
			    SCN_MAX_VARS);
		c->full = 1;
		return (-1);
	}
	c->vars[*c->nvars] = xstrdup(name);
	return ((*c->nvars)++);
}

/* A statement's new variable (get, recv, repeat ... as). */
static void
store_var(struct vctx *c, struct scn_stmt *s, const char *op)
{
	const char	*what;
	char		 buf[64];

	if (s->var == NULL)
		return;
	what = describe(c, s->var, buf, sizeof buf);
	if (what != NULL && find_var(c, s->var) < 0) {
		scenario_diag_add(c->diags, s->line, s->col, "`%s` stores into "
		    "a local variable, but %s is %s: use a new name, then "
		    "assign it", op, s->var, what);
		return;
	}
	s->var_slot = var_slot(c, s->var, s->line, s->col);
}

/* `NAME = e`, `NAME[i] = e`, `NAME += e` after the value was checked. */
static void
check_store(struct vctx *c, struct scn_stmt *s)
{
	const struct scn_object	*o;
	struct scn_expr		*e, *sum;
	const char		*op = s->kind == SCN_STMT_ASSIGN ? "=" : "+=";
	char			 buf[64];
	int			 i, field;

	if (find_object(c, s->target) < 0 &&
	    (i = proxy_of(c, s->target, s->target_line, s->target_col,
	    &field)) != -2) {
		if (i < 0)
			return;
		if (s->atomic)
			scenario_diag_add(c->diags, s->line, s->col, "`atomic "
			    "%s %s`: a manager has no atomic add (hold %s.lock "
			    "around it)", s->target, op,
			    c->file->objects[i].name);
		else if (field == SCN_FIELD_VALUE && s->index != NULL)
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "`%s` is a value, not a list: write "
			    "`%s %s ...`", s->target, s->target, op);
		else if (field != SCN_FIELD_VALUE && s->index == NULL)
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "`%s %s`: set one item, as `%s[0] %s "
			    "...`%s", s->target, op, s->target, op,
			    field == SCN_FIELD_LIST ? " (or `append`)" : "");
		else {
			s->target_ref.kind = SCN_REF_PROXY;
			s->target_ref.index = i;
			s->field = field;
			check_expr(c, s->index);
		}
		return;
	}
	if ((i = find_object(c, s->target)) >= 0) {
		o = &c->file->objects[i];
		if ((K_NUMBERS & (1u << o->kind)) != 0 && s->index != NULL) {
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "%s is %s %s, not an array: write "
			    "`%s %s ...`", o->name,
			    scenario_kind_article(o->kind),
			    scenario_kind_name(o->kind), o->name, op);
			return;
		}
		if ((K_CELLS & (1u << o->kind)) != 0 && s->index == NULL) {
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "%s is %s %s: %s one cell, as "
			    "`%s[0] %s ...`", o->name,
			    scenario_kind_article(o->kind),
			    scenario_kind_name(o->kind),
			    s->kind == SCN_STMT_ASSIGN ? "assign to" : "add to",
			    o->name, op);
			return;
		}
		if (((K_NUMBERS | K_CELLS) & (1u << o->kind)) == 0) {
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "`%s` needs a shared int, local int "
			    "or mmap/shm cell, but %s is %s %s", op, o->name,
			    scenario_kind_article(o->kind),
			    scenario_kind_name(o->kind));
			return;
		}
		if (s->atomic && o->kind == TRACE_OBJ_LOCAL) {
			scenario_diag_add(c->diags, s->line, s->col, "`atomic "
			    "+=` needs a shared int or an mmap/shm cell, but %s "
			    "is a local int (each thread has its own: there is "
			    "nothing to race on)", o->name);
			return;
		}
		if (s->index != NULL)
			check_cell(c, i, s->index);
		s->target_ref.kind = SCN_REF_OBJECT;
		s->target_ref.index = i;
		return;
	}
	if ((i = find_global(c, s->target)) >= 0) {
		if (s->index != NULL || s->atomic) {
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "%s is a plain int: %s", s->target,
			    s->atomic ? "`atomic` needs a shared int (a plain "
			    "int is never shared between processes)" :
			    "it has no cells");
			return;
		}
		s->target_ref.kind = SCN_REF_GLOBAL;
		s->target_ref.index = i;
		return;
	}
	if (strcmp(s->target, "task") == 0 || strcmp(s->target, "copy") == 0 ||
	    find_worker(c, s->target) >= 0) {
		scenario_diag_add(c->diags, s->target_line, s->target_col,
		    "cannot assign to %s: it is %s", s->target,
		    describe(c, s->target, buf, sizeof buf));
		return;
	}
	if (s->index != NULL) {
		undeclared(c, s->target, s->target_line, s->target_col, K_CELLS,
		    0, 0, "name");
		return;
	}
	if (s->kind == SCN_STMT_ADD) {
		if ((i = find_var(c, s->target)) < 0) {
			undeclared(c, s->target, s->target_line, s->target_col,
			    K_NUMBERS | K_CELLS, 0, 1, "name");
			return;
		}
		if (s->atomic) {
			scenario_diag_add(c->diags, s->line, s->col, "`atomic "
			    "+=` needs a shared int or an mmap/shm cell, but %s "
			    "is a local variable", s->target);
			return;
		}
		/* x += e is x = x + e on a worker-local variable. */
		e = xcalloc(1, sizeof *e);
		e->kind = SCN_EXPR_NAME;
		e->line = s->target_line;
		e->col = s->target_col;
		e->name = xstrdup(s->target);
		e->ref.kind = SCN_REF_VAR;
		e->ref.index = i;
		sum = xcalloc(1, sizeof *sum);
		sum->kind = SCN_EXPR_BINARY;
		sum->line = s->line;
		sum->col = s->col;
		sum->op = SCN_OP_ADD;
		sum->ref.index = -1;
		sum->left = e;
		sum->right = s->value;
		s->value = sum;
		s->kind = SCN_STMT_ASSIGN;
	}
	s->var_slot = var_slot(c, s->target, s->target_line, s->target_col);
	s->var = s->target;
	s->target = NULL;
}

static void
check_worker_ref(struct vctx *c, struct scn_stmt *s, const char *op)
{
	const struct scn_worker	*w;
	const char		*what;
	char			 buf[64];
	int			 i;

	if ((i = find_worker(c, s->target)) < 0) {
		if ((what = describe(c, s->target, buf, sizeof buf)) != NULL) {
			int	o = find_object(c, s->target);

			if (o >= 0 && c->file->objects[o].kind ==
			    TRACE_OBJ_POOL)
				scenario_diag_add(c->diags, s->target_line,
				    s->target_col, "`%s` needs a thread or "
				    "process, but %s is a pool (its workers "
				    "start with the run and end with its tasks)",
				    op, s->target);
			else
				scenario_diag_add(c->diags, s->target_line,
				    s->target_col, "`%s` needs a thread or "
				    "process, but %s is %s", op, s->target,
				    what);
		} else
			undeclared(c, s->target, s->target_line, s->target_col,
			    0, 1, 0, "worker");
		return;
	}
	w = &c->file->workers[i];
	if (w->kind == TRACE_WORKER_MAIN) {
		scenario_diag_add(c->diags, s->target_line, s->target_col,
		    "`%s` needs a thread or process, but main is the main "
		    "worker (it runs from the beginning to the end)", op);
		return;
	}
	if (i == c->worker) {
		scenario_diag_add(c->diags, s->target_line, s->target_col,
		    "%s cannot %s itself", w->name, op);
		return;
	}
	if (s->kind == SCN_STMT_START)
		c->file->workers[i].deferred = 1;
	s->target_ref.kind = SCN_REF_WORKER;
	s->target_ref.index = i;
}

static void	check_block(struct vctx *, struct scn_block *);

/* `release X [N]`, and Downey's `signal S [N]`. */
static void
check_release(struct vctx *c, struct scn_stmt *s)
{
	const struct scn_object	*o;
	int			 i;

	check_expr(c, s->value);
	if (s->alias) {
		i = find_object(c, s->target);
		if (i >= 0 && c->file->objects[i].kind == TRACE_OBJ_CONDITION) {
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "`signal` is a semaphore's release, "
			    "but %s is a condition: write `notify %s`",
			    s->target, s->target);
			return;
		}
		target(c, s, K(SEMAPHORE), "signal", "a semaphore");
		return;
	}
	if ((i = target(c, s, K(SEMAPHORE) | K_LOCKS, "release",
	    "a semaphore, mutex or rlock")) < 0 || s->value == NULL)
		return;
	o = &c->file->objects[i];
	if (o->kind != TRACE_OBJ_SEMAPHORE) {
		scenario_diag_add(c->diags, s->value->line, s->value->col,
		    "`release %s N`: only a semaphore is released N at a "
		    "time, but %s is %s %s", s->target, s->target,
		    scenario_kind_article(o->kind), scenario_kind_name(o->kind));
		return;
	}
	if ((s->value->kind == SCN_EXPR_INT && s->value->ival < 1) ||
	    (s->value->kind == SCN_EXPR_UNARY && s->value->op == SCN_OP_SUB &&
	    s->value->left->kind == SCN_EXPR_INT))
		scenario_diag_add(c->diags, s->value->line, s->value->col,
		    "`release %s N` releases N slots: N must be 1 or more",
		    s->target);
}

static void
check_stmt(struct vctx *c, struct scn_stmt *s)
{
	size_t	i;
	int	o, field;

	switch (s->kind) {
	case SCN_STMT_PASS:
	case SCN_STMT_CRASH:
		break;
	case SCN_STMT_SLEEP:
	case SCN_STMT_COMPUTE:
		check_expr(c, s->duration);
		break;
	case SCN_STMT_ASSERT:
		check_expr(c, s->value);
		break;
	case SCN_STMT_APPEND:
		check_expr(c, s->value);
		if ((o = proxy_of(c, s->target, s->target_line, s->target_col,
		    &field)) == -2)
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "`append` needs a manager's list, "
			    "as M.list, but %s is not one", s->target);
		else if (o >= 0 && field != SCN_FIELD_LIST)
			scenario_diag_add(c->diags, s->target_line,
			    s->target_col, "`append` needs a manager's list, "
			    "as %s.list", c->file->objects[o].name);
		else if (o >= 0) {
			s->target_ref.kind = SCN_REF_PROXY;
			s->target_ref.index = o;
			s->field = field;
		}
		break;
	case SCN_STMT_MARK:
		o = find_object(c, s->target);
		if (o >= 0 && c->file->objects[o].mark) {
			s->target_ref.kind = SCN_REF_OBJECT;
			s->target_ref.index = o;
		}
		break;
	case SCN_STMT_BREAK:
		if (c->loops == 0)
			scenario_diag_add(c->diags, s->line, s->col, "`break` "
			    "outside a loop (repeat, forever or while)");
		break;
	case SCN_STMT_LOCK:
		target(c, s, K_LOCKS, "lock", "a mutex or rlock");
		store_var(c, s, "lock");
		break;
	case SCN_STMT_UNLOCK:
		target(c, s, K_LOCKS, "unlock", "a mutex or rlock");
		break;
	case SCN_STMT_ACQUIRE:
		target(c, s, K(SEMAPHORE) | K_LOCKS, "acquire",
		    "a semaphore, mutex or rlock");
		store_var(c, s, "acquire");
		break;
	case SCN_STMT_RELEASE:
		check_release(c, s);
		break;
	case SCN_STMT_WITH:
		target(c, s, K_LOCKS | K(SEMAPHORE) | K(CONDITION), "with",
		    "a mutex, rlock, semaphore or condition");
		check_block(c, &s->body);
		break;
	case SCN_STMT_WAIT:
		/* Downey's `wait S` on a semaphore is an acquire. */
		o = target(c, s, K(CONDITION) | K(BARRIER) | K(SEMAPHORE),
		    "wait", "a condition, barrier or semaphore");
		if (o >= 0 && c->file->objects[o].kind == TRACE_OBJ_SEMAPHORE) {
			s->kind = SCN_STMT_ACQUIRE;
			s->alias = 1;
		} else if (o >= 0 && s->timeout_ns != 0 &&
		    c->file->objects[o].kind == TRACE_OBJ_BARRIER)
			scenario_diag_add(c->diags, s->line, s->col, "`wait %s "
			    "timeout`: a barrier wait has no timeout", s->target);
		break;
	case SCN_STMT_NOTIFY:
		target(c, s, K(CONDITION), "notify", "a condition");
		check_expr(c, s->value);
		break;
	case SCN_STMT_NOTIFY_ALL:
		target(c, s, K(CONDITION), "notify_all", "a condition");
		break;
	case SCN_STMT_PUT:
		check_expr(c, s->value);
		target(c, s, K(QUEUE), "put", "a queue");
		break;
	case SCN_STMT_GET:
		target(c, s, K(QUEUE), "get", "a queue");
		store_var(c, s, "get");
		break;
	case SCN_STMT_SEND:
		check_expr(c, s->value);
		check_expr(c, s->priority);
		o = target(c, s, K_CHANNELS, "send",
		    "a pipe, fifo, mqueue or socket");
		if (o >= 0 && s->priority != NULL &&
		    c->file->objects[o].kind != TRACE_OBJ_MQUEUE)
			scenario_diag_add(c->diags, s->priority->line,
			    s->priority->col, "`priority` applies only to an "
			    "mqueue, but %s is %s %s", s->target,
			    scenario_kind_article(c->file->objects[o].kind),
			    scenario_kind_name(c->file->objects[o].kind));
		break;
	case SCN_STMT_RECV:
		target(c, s, K_CHANNELS, "recv",
		    "a pipe, fifo, mqueue or socket");
		store_var(c, s, "recv");
		break;
	case SCN_STMT_CLOSE:
		target(c, s, K_CHANNELS, "close",
		    "a pipe, fifo, mqueue or socket");
		break;
	case SCN_STMT_OPEN:
		target(c, s, K(FIFO), "open", "a fifo");
		break;
	case SCN_STMT_LISTEN:
		target(c, s, K(SOCKET), "listen", "a socket");
		break;
	case SCN_STMT_ACCEPT:
		target(c, s, K(SOCKET), "accept", "a socket");
		break;
	case SCN_STMT_CONNECT:
		target(c, s, K(SOCKET), "connect", "a socket");
		break;
	case SCN_STMT_PRINT:
		for (i = 0; i < s->nparts; i++)
			check_expr(c, s->parts[i].expr);
		break;
	case SCN_STMT_REPEAT:
		check_expr(c, s->value);
		if (s->value->kind == SCN_EXPR_UNARY &&
		    s->value->op == SCN_OP_SUB &&
		    s->value->left->kind == SCN_EXPR_INT &&
		    s->value->left->ival > 0)
			scenario_diag_add(c->diags, s->value->line,
			    s->value->col, "`repeat -%lld`: a repeat count "
			    "cannot be negative", (long long)s->value->left->ival);
		store_var(c, s, "repeat ... as");
		c->loops++;
		check_block(c, &s->body);
		c->loops--;
		break;
	case SCN_STMT_FOREVER:
		c->loops++;
		check_block(c, &s->body);
		c->loops--;
		break;
	case SCN_STMT_WHILE:
		check_expr(c, s->cond);
		c->loops++;
		check_block(c, &s->body);
		c->loops--;
		break;
	case SCN_STMT_IF:
		check_expr(c, s->cond);
		check_block(c, &s->body);
		check_block(c, &s->orelse);
		break;
	case SCN_STMT_ASSIGN:
	case SCN_STMT_ADD:
		check_expr(c, s->value);
		if (s->target != NULL)
			check_store(c, s);
		break;
	case SCN_STMT_START:
		check_worker_ref(c, s, "start");
		break;
	case SCN_STMT_JOIN:
		check_worker_ref(c, s, "join");
		break;
	case SCN_STMT_RESULT:
		if (c->pool < 0)
			scenario_diag_add(c->diags, s->line, s->col, "`result` "
			    "is only allowed in a pool body");
		check_expr(c, s->value);
		break;
	}
}

static void
check_block(struct vctx *c, struct scn_block *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		check_stmt(c, b->v[i]);
}

/*
 * The held-lock walk. held[o] is how many times this worker certainly
 * holds mutex/rlock o here, or -1 when that depends on the path taken;
 * freed[o] is the line of the unlock that last freed it.
 */
struct lwalk {
	struct vctx	*c;
	size_t		 n;
	int		*tried;		/* per lock: the variable slot that
					   holds whether `OK = lock X ...`
					   took it, or -1 */
	int		*tried_line;	/* and that statement's line */
	const char	**tried_var;	/* and the variable's name */
};

/* The variable an `if` tests, as `if ok:` (1) or `if not ok:` (0); -1 if
   the condition is anything else. */
static int
lock_tested(const struct scn_expr *e, int *positive)
{
	*positive = 1;
	if (e->kind == SCN_EXPR_UNARY && e->op == SCN_OP_NOT) {
		*positive = 0;
		e = e->left;
	}
	if (e->kind == SCN_EXPR_NAME && e->ref.kind == SCN_REF_VAR)
		return (e->ref.index);
	return (-1);
}

static int
lock_of(const struct lwalk *lw, const struct scn_stmt *s)
{
	const struct scn_object	*o;

	if (s->target_ref.kind != SCN_REF_OBJECT)
		return (-1);
	o = &lw->c->file->objects[s->target_ref.index];
	if ((K_LOCKS & (1u << o->kind)) != 0)
		return (s->target_ref.index);
	if (s->kind == SCN_STMT_WITH && o->kind == TRACE_OBJ_CONDITION)
		return (o->lock);
	return (-1);
}

/* Forget what a loop body does to any lock. */
static void
lock_forget(const struct lwalk *lw, const struct scn_block *b, int *held)
{
	size_t	i;
	int	o;

	for (i = 0; i < b->n; i++) {
		const struct scn_stmt *s = b->v[i];

		if ((o = lock_of(lw, s)) >= 0)
			held[o] = -1;
		lock_forget(lw, &s->body, held);
		lock_forget(lw, &s->orelse, held);
	}
}

/* Whether a block does anything to a mutex or rlock (else an `if` over
   it cannot change what is held, and needs no copy of the state). */
static int
lock_touches(const struct lwalk *lw, const struct scn_block *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		const struct scn_stmt *s = b->v[i];

		if (lock_of(lw, s) >= 0 || s->kind == SCN_STMT_BREAK ||
		    s->kind == SCN_STMT_CRASH ||
		    lock_touches(lw, &s->body) || lock_touches(lw, &s->orelse))
			return (1);
	}
	return (0);
}

static void
lock_walk(struct lwalk *lw, const struct scn_block *b, int *held, int *freed)
{
	const struct scn_stmt	*s;
	int			*h2, *f2;
	size_t			 i, k;
	int			 o, v, pos;

	for (i = 0; i < b->n; i++) {
		s = b->v[i];
		o = lock_of(lw, s);
		switch (s->kind) {
		case SCN_STMT_LOCK:
		case SCN_STMT_ACQUIRE:
			if (o >= 0 && s->var_slot >= 0) {
				/* Held only where the result says so. */
				lw->tried[o] = s->var_slot;
				lw->tried_line[o] = s->line;
				lw->tried_var[o] = s->var;
			} else if (o >= 0 && held[o] >= 0)
				held[o] = s->timeout_ns != 0 ? -1 : held[o] + 1;
			break;
		case SCN_STMT_ASSIGN:
			for (k = 0; k < lw->n && s->var_slot >= 0; k++) {
				if (lw->tried[k] == s->var_slot)
					lw->tried[k] = -1;
			}
			break;
		case SCN_STMT_UNLOCK:
		case SCN_STMT_RELEASE:
			if (o < 0 || held[o] < 0)
				break;
			if (held[o] > 0) {
				if (--held[o] == 0)
					freed[o] = s->line;
				break;
			}
			if (lw->tried[o] >= 0)
				scenario_diag_add(lw->c->diags, s->line, s->col,
				    "`%s %s`: %s may not be held here: the try "
				    "at line %d may have failed (unlock it under "
				    "`if %s:`)", s->kind == SCN_STMT_UNLOCK ?
				    "unlock" : "release", s->target, s->target,
				    lw->tried_line[o], lw->tried_var[o]);
			else if (freed[o] > 0)
				scenario_diag_add(lw->c->diags, s->line, s->col,
				    "`%s %s`: %s is not held here (it was "
				    "already unlocked at line %d)", s->kind ==
				    SCN_STMT_UNLOCK ? "unlock" : "release",
				    s->target, s->target, freed[o]);
			else
				scenario_diag_add(lw->c->diags, s->line, s->col,
				    "`%s %s`: %s is not held here (this worker "
				    "has not locked it before this line)",
				    s->kind == SCN_STMT_UNLOCK ? "unlock" :
				    "release", s->target, s->target);
			break;
		case SCN_STMT_WITH:
			if (o >= 0 && held[o] >= 0)
				held[o]++;
			lock_walk(lw, &s->body, held, freed);
			if (o >= 0 && held[o] > 0)
				held[o]--;
			break;
		case SCN_STMT_IF:
			if (!lock_touches(lw, &s->body) &&
			    !lock_touches(lw, &s->orelse))
				break;
			h2 = xcalloc(lw->n, sizeof *h2);
			f2 = xcalloc(lw->n, sizeof *f2);
			memcpy(h2, held, lw->n * sizeof *h2);
			memcpy(f2, freed, lw->n * sizeof *f2);
			/* `if ok:` after `ok = lock X ...`: X is held in the
			   branch where ok is true. */
			if ((v = lock_tested(s->cond, &pos)) >= 0) {
				for (k = 0; k < lw->n; k++) {
					if (lw->tried[k] != v)
						continue;
					lw->tried[k] = -1;
					if (pos && held[k] >= 0)
						held[k]++;
					else if (!pos && h2[k] >= 0)
						h2[k]++;
				}
			}
			lock_walk(lw, &s->body, held, freed);
			lock_walk(lw, &s->orelse, h2, f2);
			for (k = 0; k < lw->n; k++) {
				if (held[k] != h2[k])
					held[k] = -1;
				if (f2[k] > freed[k])
					freed[k] = f2[k];
			}
			free(h2);
			free(f2);
			break;
		case SCN_STMT_REPEAT:
		case SCN_STMT_FOREVER:
		case SCN_STMT_WHILE:
			lock_forget(lw, &s->body, held);
			lock_walk(lw, &s->body, held, freed);
			lock_forget(lw, &s->body, held);
			break;
		case SCN_STMT_BREAK:
		case SCN_STMT_CRASH:
			for (k = 0; k < lw->n; k++)
				held[k] = -1;
			break;
		default:
			break;
		}
	}
}

static void
check_locks(struct vctx *c, const struct scn_block *b)
{
	struct lwalk	 lw;
	int		*held, *freed;
	size_t		 k;

	/* Over the object limit it is an error anyway: skip the cost. */
	if (c->file->nobjects == 0 || c->file->nobjects > TRACE_MAX_OBJECTS)
		return;
	lw.c = c;
	lw.n = c->file->nobjects;
	held = xcalloc(lw.n, sizeof *held);
	freed = xcalloc(lw.n, sizeof *freed);
	lw.tried = xcalloc(lw.n, sizeof *lw.tried);
	lw.tried_line = xcalloc(lw.n, sizeof *lw.tried_line);
	lw.tried_var = xcalloc(lw.n, sizeof *lw.tried_var);
	for (k = 0; k < lw.n; k++)
		lw.tried[k] = -1;
	lock_walk(&lw, b, held, freed);
	free(held);
	free(freed);
	free(lw.tried);
	free(lw.tried_line);
	free(lw.tried_var);
}

/* Which object kinds each metric makes sense for. */
static const uint32_t metric_kinds[TRACE_METRIC_COUNT] = {
	[TRACE_METRIC_VALUE] = K(SHARED) | K(SEMAPHORE),
	[TRACE_METRIC_MAX_HOLDERS] = K_LOCKS | K(SEMAPHORE),
	[TRACE_METRIC_MAX_WAITERS] = K_WAITABLE,
	[TRACE_METRIC_CONTENDED] = K_WAITABLE,
	[TRACE_METRIC_SENT] = K(QUEUE) | K_CHANNELS,
	[TRACE_METRIC_RECEIVED] = K(QUEUE) | K_CHANNELS,
	[TRACE_METRIC_ORDER_ERRORS] = K(QUEUE) | K_CHANNELS,
	[TRACE_METRIC_MAX_LEN] = K(QUEUE) | K_CHANNELS,
	[TRACE_METRIC_LOST_NOTIFIES] = K(CONDITION),
	[TRACE_METRIC_WOKEN] = K(CONDITION),
	[TRACE_METRIC_MAX_BUSY] = K(POOL),
	[TRACE_METRIC_TASKS_DONE] = K(POOL),
	[TRACE_METRIC_EARLY_PASSES] = K(BARRIER),
	[TRACE_METRIC_DISTINCT_LOCALS] = K(LOCAL),
	[TRACE_METRIC_MAX_VALUE] = K(SHARED),
	[TRACE_METRIC_MIN_VALUE] = K(SHARED),
};

/* "a mutex, rlock or semaphore" for a kind mask. */
static void
kinds_text(uint32_t kinds, char *buf, size_t size)
{
	int	k, n = 0, total = 0;
	size_t	used = 0;

	for (k = 0; k < TRACE_OBJ_KIND_COUNT; k++)
		total += (kinds >> k) & 1;
	buf[0] = '\0';
	for (k = 0; k < TRACE_OBJ_KIND_COUNT && used < size; k++) {
		if (((kinds >> k) & 1) == 0)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s%s",
		    n == 0 ? scenario_kind_article((enum trace_obj_kind)k) :
		    (n == total - 1 ? " or" : ","), " ",
		    scenario_kind_name((enum trace_obj_kind)k));
		n++;
	}
}

/* The mark named by `expect a before b`; -1 after an error. */
static int
want_mark(struct vctx *c, const char *name, int line, int col)
{
	const char	*what;
	char		 buf[64];
	int		 k;

	if ((k = find_object(c, name)) >= 0 && c->file->objects[k].mark)
		return (k);
	if ((what = describe(c, name, buf, sizeof buf)) != NULL)
		scenario_diag_add(c->diags, line, col, "`before` orders marks, "
		    "but %s is %s: put `mark %s` where it happens", name, what,
		    name);
	else
		scenario_diag_add(c->diags, line, col, "`%s` is not a mark: no "
		    "body has `mark %s`", name, name);
	return (-1);
}

static void
check_before(struct vctx *c, struct scn_expect *e)
{
	int	a, b;

	a = want_mark(c, e->name, e->name_line, e->name_col);
	b = want_mark(c, e->name2, e->name2_line, e->name2_col);
	if (a >= 0 && a == b)
		scenario_diag_add(c->diags, e->name2_line, e->name2_col,
		    "`expect %s before %s`: a mark cannot come before itself",
		    e->name, e->name2);
	if (a < 0 || b < 0 || a == b)
		return;
	e->object = a;
	e->value = b;
}

static void
check_expects(struct vctx *c)
{
	struct scn_expect	*e;
	const struct scn_object	*o;
	size_t			 i;
	int			 k;
	char			 buf[160];

	for (i = 0; i < c->file->nexpects; i++) {
		e = &c->file->expects[i];
		if (e->kind == TRACE_EXPECT_BEFORE) {
			check_before(c, e);
			continue;
		}
		if (e->kind != TRACE_EXPECT_METRIC || e->name == NULL)
			continue;
		if ((k = find_object(c, e->name)) < 0) {
			if (find_global(c, e->name) >= 0)
				scenario_diag_add(c->diags, e->name_line,
				    e->name_col, "expectations read what every "
				    "worker shares, but %s is a plain int (each "
				    "process has its own copy): print it or "
				    "assert on it instead", e->name);
			else if (find_worker(c, e->name) >= 0)
				scenario_diag_add(c->diags, e->name_line,
				    e->name_col, "expectations compare objects, "
				    "but %s is %s", e->name, worker_desc(
				    &c->file->workers[find_worker(c, e->name)]));
			else
				undeclared(c, e->name, e->name_line,
				    e->name_col, metric_kinds[e->metric], 0, 0,
				    "name");
			continue;
		}
		o = &c->file->objects[k];
		if ((metric_kinds[e->metric] & (1u << o->kind)) == 0) {
			kinds_text(metric_kinds[e->metric], buf, sizeof buf);
			scenario_diag_add(c->diags, e->name_line, e->name_col,
			    "the metric `%s` does not apply to %s, %s %s (it "
			    "applies to %s)", trace_metric_name(e->metric),
			    o->name, scenario_kind_article(o->kind),
			    scenario_kind_name(o->kind), buf);
			continue;
		}
		e->object = k;
	}
}

/* Duplicate names, condition locks, and the size of the run. */
static void
check_declarations(struct vctx *c)
{
	struct scn_file		*f = c->file;
	struct scn_object	*o;
	struct vname		*v;
	size_t			 i, n = 0, total = 0, objs, first, named;

	c->names = xcalloc(f->nobjects + f->nworkers + f->nglobals + 1,
	    sizeof *c->names);
	for (i = 0; i < f->nglobals; i++) {
		v = &c->names[n++];
		v->name = f->globals[i].name;
		v->line = f->globals[i].line;
		v->col = f->globals[i].col;
		v->worker = 2;
		v->index = (int)i;
	}
	for (i = 0; i < f->nobjects; i++) {
		v = &c->names[n++];
		v->name = f->objects[i].name;
		v->line = f->objects[i].line;
		v->col = f->objects[i].col;
		v->index = (int)i;
	}
	for (i = 0; i < f->nworkers; i++) {
		v = &c->names[n++];
		v->name = f->workers[i].name;
		v->line = f->workers[i].line;
		v->col = f->workers[i].col;
		v->worker = 1;
		v->index = (int)i;
	}
	qsort(c->names, n, sizeof *c->names, vname_cmp);
	c->nnames = n;
	for (i = 1, first = 0; i < n; i++) {
		if (strcmp(c->names[i].name, c->names[i - 1].name) != 0) {
			first = i;
			continue;
		}
		scenario_diag_add(c->diags, c->names[i].line, c->names[i].col,
		    "duplicate name `%s`: it was already declared at line %d",
		    c->names[i].name, c->names[first].line);
	}

	objs = f->nobjects;
	for (i = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		if (o->kind == TRACE_OBJ_POOL) {
			total += (size_t)o->capacity;
			if (total > TRACE_MAX_WORKERS)
				scenario_diag_add(c->diags, o->line, o->col,
				    "too many workers: %zu with this pool (the "
				    "limit is %d)", total, TRACE_MAX_WORKERS);
		}
		if (o->kind != TRACE_OBJ_CONDITION)
			continue;
		if (o->lock_name == NULL) {
			objs++;		/* its hidden lock */
			continue;
		}
		o->lock = want_object(c, o->lock_name, o->lock_line,
		    o->lock_col, K_LOCKS, "condition", "a mutex or rlock as "
		    "its lock");
	}
	/* Objects with an OS name (fifo, mqueue, shm, mmap, unix socket):
	   a run records each for cleanup and has room for
	   TRACE_MAX_NAMED; said here, not first at `run`. */
	for (i = 0, named = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		if (o->kind == TRACE_OBJ_FIFO || o->kind == TRACE_OBJ_MQUEUE ||
		    o->kind == TRACE_OBJ_SHM || o->kind == TRACE_OBJ_MMAP ||
		    (o->kind == TRACE_OBJ_SOCKET &&
		    !(o->flags & TRACE_OBJF_TCP))) {
			if (++named == TRACE_MAX_NAMED + 1)
				scenario_diag_add(c->diags, o->line, o->col,
				    "too many named objects (fifo, mqueue, "
				    "shm, mmap, unix socket): the limit is %d",
				    TRACE_MAX_NAMED);
		}
	}
	if (objs > TRACE_MAX_OBJECTS)
		scenario_diag_add(c->diags, f->objects[f->nobjects - 1].line,
		    f->objects[f->nobjects - 1].col, "too many objects: %zu, "
		    "counting a hidden lock for each condition without one "
		    "(the limit is %d)", objs, TRACE_MAX_OBJECTS);
	for (i = 0; i < f->nworkers; i++) {
		total += (size_t)f->workers[i].copies;
		if (total > TRACE_MAX_WORKERS)
			scenario_diag_add(c->diags, f->workers[i].line,
			    f->workers[i].col, "too many workers: %zu with "
			    "this one (the limit is %d)", total,
			    TRACE_MAX_WORKERS);
	}
}

/*
 * Every `mark NAME` declares NAME once (however many statements name it)
 * as a shared int counting how often it was reached, appended after the
 * declared objects; `expect a before b` compares their first updates. A
 * mark spelled like a declared name is left for the duplicate check.
 */
static void
declare_marks(struct scn_file *f, const struct scn_block *b)
{
	struct scn_object	*o;
	size_t			 i, k;

	for (i = 0; i < b->n; i++) {
		const struct scn_stmt *s = b->v[i];

		declare_marks(f, &s->body);
		declare_marks(f, &s->orelse);
		if (s->kind != SCN_STMT_MARK)
			continue;
		for (k = 0; k < f->nobjects; k++) {
			if (f->objects[k].mark &&
			    strcmp(f->objects[k].name, s->target) == 0)
				break;
		}
		if (k < f->nobjects)
			continue;
		f->objects = scenario_grow(f->objects, f->nobjects,
		    sizeof *f->objects);
		o = &f->objects[f->nobjects++];
		memset(o, 0, sizeof *o);
		o->name = xstrdup(s->target);
		o->kind = TRACE_OBJ_SHARED;
		o->lock = -1;
		o->mark = 1;
		o->line = s->target_line;
		o->col = s->target_col;
	}
}

static void
object_append(struct scn_file *f, char *name, enum trace_obj_kind kind,
    int64_t capacity, int line, int col)
{
	struct scn_object	*o;

	f->objects = scenario_grow(f->objects, f->nobjects, sizeof *f->objects);
	o = &f->objects[f->nobjects++];
	memset(o, 0, sizeof *o);
	o->name = name;
	o->kind = kind;
	o->capacity = capacity;
	o->lock = -1;
	o->line = line;
	o->col = col;
}

/*
 * Each `manager M` gets its server, a daemon process M.server appended to
 * the workers, and one reply queue per other worker, M.to.NAME (NAME as
 * the run names the worker), appended to the objects: a client puts its
 * request on M and waits on its own reply queue, so every proxy operation
 * is one request and one reply in the trace.
 */
static void
declare_managers(struct scn_file *f)
{
	struct scn_worker	*w;
	char			**names, *name;
	size_t			 i, k, nobj = f->nobjects, total = 0, n;
	int			 c;

	for (i = 0; i < nobj; i++) {
		if (!f->objects[i].manager)
			continue;
		f->workers = scenario_grow(f->workers, f->nworkers,
		    sizeof *f->workers);
		w = &f->workers[f->nworkers++];
		memset(w, 0, sizeof *w);
		xasprintf(&w->name, "%s.server", f->objects[i].name);
		w->kind = TRACE_WORKER_PROCESS;
		w->copies = 1;
		w->daemon = 1;
		w->serves = (int)i + 1;
		w->line = f->objects[i].line;
		w->col = f->objects[i].col;
	}
	if (f->nworkers == 0 || f->workers[f->nworkers - 1].serves == 0)
		return;
	/* The run's worker names, in its order (scenario_meta_build). */
	for (i = 0; i < f->nworkers; i++)
		total += (size_t)f->workers[i].copies;
	for (i = 0; i < nobj; i++) {
		if (f->objects[i].kind == TRACE_OBJ_POOL)
			total += (size_t)f->objects[i].capacity;
	}
	if (total > TRACE_MAX_WORKERS)
		return;		/* reported by check_declarations */
	names = xcalloc(total, sizeof *names);
	n = 0;
	for (i = 0; i < f->nworkers; i++) {
		w = &f->workers[i];
		for (c = 1; c <= w->copies; c++, n++) {
			if (w->serves != 0)
				names[n] = NULL;
			else if (w->copies == 1)
				names[n] = xstrdup(w->name);
			else
				xasprintf(&names[n], "%s.%d", w->name, c);
		}
	}
	for (i = 0; i < nobj; i++) {
		if (f->objects[i].kind != TRACE_OBJ_POOL)
			continue;
		for (c = 1; c <= f->objects[i].capacity; c++, n++)
			xasprintf(&names[n], "%s.%d", f->objects[i].name, c);
	}
	for (i = 0; i < nobj; i++) {
		if (!f->objects[i].manager)
			continue;
		f->objects[i].replies = xcalloc(total, sizeof (int));
		f->objects[i].nreplies = (int)total;
		for (k = 0; k < total; k++) {
			f->objects[i].replies[k] = -1;
			if (names[k] == NULL)
				continue;
			xasprintf(&name, "%s.to.%s", f->objects[i].name,
			    names[k]);
			object_append(f, name, TRACE_OBJ_QUEUE, 1,
			    f->objects[i].line, f->objects[i].col);
			f->objects[i].replies[k] = (int)f->nobjects - 1;
		}
	}
	for (k = 0; k < total; k++)
		free(names[k]);
	free(names);
}

void
scenario_validate(struct scn_file *f, struct scn_diags *diags)
{
	struct vctx	 c;
	char		*pvars[SCN_MAX_VARS];
	size_t		 i;
	int		 j;

	memset(&c, 0, sizeof c);
	c.file = f;
	c.diags = diags;
	for (i = 0; i < f->nworkers; i++)
		declare_marks(f, &f->workers[i].body);
	for (i = 0; i < f->nobjects; i++) {
		/* A copy: declaring a mark may move f->objects. */
		struct scn_block body = f->objects[i].body;

		if (f->objects[i].kind == TRACE_OBJ_POOL)
			declare_marks(f, &body);
	}
	declare_managers(f);
	check_declarations(&c);

	for (i = 0; i < f->nworkers; i++) {
		struct scn_worker *w = &f->workers[i];

		c.worker = (int)i;
		c.pool = -1;
		c.who = w->name;
		c.vars = w->vars;
		c.nvars = &w->nvars;
		c.loops = 0;
		c.full = 0;
		check_block(&c, &w->body);
	}
	for (i = 0; i < f->nobjects; i++) {
		struct scn_object *o = &f->objects[i];

		if (o->kind != TRACE_OBJ_POOL)
			continue;
		c.worker = -1;
		c.pool = (int)i;
		c.who = o->name;
		c.vars = pvars;
		c.nvars = &o->nvars;
		c.loops = 0;
		c.full = 0;
		check_block(&c, &o->body);
		for (j = 0; j < o->nvars; j++)
			free(pvars[j]);
	}
	/* Variables are gone for pools now; the walk needs none. */
	c.vars = NULL;
	for (i = 0; i < f->nworkers; i++)
		check_locks(&c, &f->workers[i].body);
	for (i = 0; i < f->nobjects; i++) {
		if (f->objects[i].kind == TRACE_OBJ_POOL)
			check_locks(&c, &f->objects[i].body);
	}
	check_expects(&c);
	free(c.names);
}
