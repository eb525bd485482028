/*
 * scenario/parse.c: tokens to the AST of ast.h.
 *
 * A recursive-descent parser over the token array of lex.c. The top level
 * is a list of declarations (title, about, objects, pools, workers,
 * expectations); worker and pool bodies are blocks of statements, one per
 * line, a compound statement's body being the INDENT ... DEDENT block that
 * follows its `:` (or one simple statement on the same line).
 *
 * Error recovery: a statement that fails reports its first error and is
 * dropped; the parser then skips to the end of its line and, if an
 * indented block follows, parses and drops that block too (it was most
 * likely the failed header's body). Nothing here resolves names: the
 * parser does not know whether `x = 1` stores into a shared int or a
 * worker-local variable, so it keeps the name in `target` and the
 * validator decides.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parse.h"
#include "util/xmalloc.h"

struct parser {
	struct scn_file		*file;
	struct scn_diags	*diags;
	const struct scn_tok	*toks;
	size_t			 n, pos;
	int			 edepth;	/* expression nesting */
	int			 depth;		/* block nesting */
	int			 deep_said;	/* "nested too deeply" said */
	int			 failed;	/* this statement reported */
	int			 dur_ok;	/* units allowed in expressions */
	int			 dur_units;	/* unit literals seen */
};

static struct scn_stmt	*parse_stmt(struct parser *);
static struct scn_expr	*parse_expr(struct parser *);

static const struct scn_tok *
peek(const struct parser *p)
{
	return (&p->toks[p->pos]);
}

static const struct scn_tok *
peek_at(const struct parser *p, size_t k)
{
	if (p->pos + k >= p->n)
		return (&p->toks[p->n - 1]);
	return (&p->toks[p->pos + k]);
}

static const struct scn_tok *
next(struct parser *p)
{
	const struct scn_tok	*t = &p->toks[p->pos];

	if (t->kind != SCN_TOK_EOF)
		p->pos++;
	return (t);
}

static int
is_kw(const struct scn_tok *t, const char *kw)
{
	return (t->kind == SCN_TOK_NAME && strcmp(t->str, kw) == 0);
}

static int
at_eol(const struct parser *p)
{
	enum scn_tok_kind	k = peek(p)->kind;

	return (k == SCN_TOK_NEWLINE || k == SCN_TOK_EOF);
}

/* Report at t, once per statement; an ERROR token was reported already. */
static void __attribute__((format(printf, 3, 4)))
perr(struct parser *p, const struct scn_tok *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (!p->failed && t->kind != SCN_TOK_ERROR) {
		va_start(ap, fmt);
		if (vasprintf(&msg, fmt, ap) != -1) {
			scenario_diag_add(p->diags, t->line, t->col, "%s", msg);
			free(msg);
		}
		va_end(ap);
	}
	p->failed = 1;
}

/* How a token reads in "found ..." messages. */
static const char *
tokdesc(const struct parser *p, const struct scn_tok *t, char *buf,
    size_t size)
{
	switch (t->kind) {
	case SCN_TOK_NAME:
		snprintf(buf, size, "`%.40s`", t->str);
		break;
	case SCN_TOK_INT:
		snprintf(buf, size, "`%.*s`", (int)(t->len > 40 ? 40 : t->len),
		    p->file->source + t->off);
		break;
	case SCN_TOK_STRING:
		snprintf(buf, size, "a string");
		break;
	default:
		snprintf(buf, size, "%s", scenario_tok_kind_name(t->kind));
		break;
	}
	return (buf);
}

static void
perr_expected(struct parser *p, const char *what)
{
	char	buf[64];

	perr(p, peek(p), "expected %s, found %s", what,
	    tokdesc(p, peek(p), buf, sizeof buf));
}

static void
skip_block(struct parser *p)
{
	struct scn_stmt	*s;

	next(p);	/* INDENT */
	while (peek(p)->kind != SCN_TOK_DEDENT && peek(p)->kind != SCN_TOK_EOF) {
		if ((s = parse_stmt(p)) != NULL)
			scenario_stmt_free(s);
	}
	if (peek(p)->kind == SCN_TOK_DEDENT)
		next(p);
}

/* After an error: drop the rest of the line and the block under it. */
static void
sync_line(struct parser *p)
{
	while (!at_eol(p))
		next(p);
	if (peek(p)->kind == SCN_TOK_NEWLINE)
		next(p);
	if (peek(p)->kind == SCN_TOK_INDENT)
		skip_block(p);
}

/* A name (not a keyword) to declare or refer to; NULL after an error. */
static const struct scn_tok *
expect_name(struct parser *p, const char *after)
{
	const struct scn_tok	*t = peek(p);
	char			 what[64];

	if (t->kind != SCN_TOK_NAME) {
		snprintf(what, sizeof what, "a name after `%s`", after);
		perr_expected(p, what);
		return (NULL);
	}
	if (scenario_keyword(t->str)) {
		perr(p, t, "`%s` is a keyword and cannot be used as a name",
		    t->str);
		return (NULL);
	}
	return (next(p));
}

#define NWORDS(a) (sizeof (a) / sizeof (a)[0])

/* Words that may follow a statement or header: a misspelling of one gets
   a "did you mean". */
static const char *const option_words[] = {
	"timeout", "blocking", "note", "priority", "as", "daemon", "duplex",
	"tcp", "unix", "threads", "tasks", "read", "write"
};

/*
 * `S.acquire()`, `x = Q.get()`: Python's method calls, written by anyone
 * who knows the seeds. Report t with the scenario spelling, if the method
 * is one we have; else return -1.
 */
static int
perr_python(struct parser *p, const struct scn_tok *t)
{
	static const struct {
		const char	*method;
		const char	*before, *after;	/* around the object */
	} calls[] = {
		{ "acquire", "acquire ", "" }, { "release", "release ", "" },
		{ "wait", "wait ", "" }, { "notify", "notify ", "" },
		{ "notify_all", "notify_all ", "" }, { "put", "put ", " VALUE" },
		{ "get", "x = get ", "" }, { "send", "send ", " VALUE" },
		{ "recv", "x = recv ", "" }, { "close", "close ", "" },
		{ "join", "join ", "" }, { "start", "start ", "" },
		{ "append", "append ", " VALUE" }, { "locked", "locked ", "" },
		{ "get_nowait", "x = try get ", "" },
	};
	const char	*dot;
	char		 form[160];
	size_t		 i;

	if (t->kind != SCN_TOK_NAME || (dot = strrchr(t->str, '.')) == NULL)
		return (-1);
	for (i = 0; i < NWORDS(calls); i++) {
		if (strcmp(dot + 1, calls[i].method) == 0)
			break;
	}
	if (i == NWORDS(calls))
		return (-1);
	snprintf(form, sizeof form, "%s%.*s%s", calls[i].before,
	    (int)(dot - t->str > 64 ? 64 : dot - t->str), t->str,
	    calls[i].after);
	perr(p, t, "`%s()` is Python's spelling: write `%s`", t->str, form);
	return (0);
}

/* End of a simple statement: optional note "...", then the newline. */
static int
end_simple(struct parser *p, const char *what, char **note)
{
	const struct scn_tok	*t;
	const char		*sug;
	char			 buf[64];

	if (note != NULL && is_kw(peek(p), "note")) {
		next(p);
		t = peek(p);
		if (t->kind != SCN_TOK_STRING) {
			perr_expected(p, "a string after `note`");
			return (-1);
		}
		next(p);
		free(*note);
		*note = xstrdup(t->str);
	}
	if (!at_eol(p)) {
		t = peek(p);
		if (is_kw(t, "note") && note == NULL)
			perr(p, t, "a `note` goes after a statement inside a "
			    "body, not on a `%s` line", what);
		else if (t->kind == SCN_TOK_NAME && !scenario_keyword(t->str) &&
		    (sug = scenario_closest(t->str, option_words,
		    NWORDS(option_words))) != NULL)
			perr(p, t, "unexpected `%s` at the end of the `%s` %s; "
			    "did you mean `%s`?", t->str, what, note != NULL ?
			    "statement" : "line", sug);
		else
			perr(p, t, "unexpected %s at the end of the `%s` %s",
			    tokdesc(p, t, buf, sizeof buf), what,
			    note != NULL ? "statement" : "line");
		return (-1);
	}
	next(p);
	return (0);
}

/* A plain integer (no unit); sign allowed when negative_ok. */
static int
parse_int(struct parser *p, const char *what, int negative_ok, int64_t *out)
{
	const struct scn_tok	*t = peek(p), *minus = NULL;
	char			 buf[96];

	if (negative_ok && t->kind == SCN_TOK_MINUS) {
		minus = next(p);
		t = peek(p);
	}
	if (t->kind != SCN_TOK_INT) {
		snprintf(buf, sizeof buf, "%s (a number)", what);
		perr_expected(p, buf);
		return (-1);
	}
	if (t->unit != NULL) {
		perr(p, t, "unexpected `%s` after the number %lld: %s is a "
		    "plain number", t->unit, (long long)t->ival, what);
		return (-1);
	}
	next(p);
	*out = minus != NULL ? -t->ival : t->ival;
	return (0);
}

/* An integer within [lo, hi]; the message names what it counts. */
static int
parse_count(struct parser *p, const char *what, int64_t lo, int64_t hi,
    int64_t *out)
{
	const struct scn_tok	*t = peek(p);

	if (parse_int(p, what, 0, out) != 0)
		return (-1);
	if (*out < lo || *out > hi) {
		perr(p, t, "%s %lld is out of range (%lld to %lld)", what,
		    (long long)*out, (long long)lo, (long long)hi);
		return (-1);
	}
	return (0);
}

static const struct {
	const char	*unit;
	int64_t		 ns;
} units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }
};

/* A number with a unit inside a duration expression (`copy * 10ms`): its
   value in ns. */
static int
duration_literal(struct parser *p, const struct scn_tok *t, int64_t *out)
{
	size_t	i;

	for (i = 0; i < NWORDS(units); i++) {
		if (strcmp(t->unit, units[i].unit) == 0)
			break;
	}
	if (i == NWORDS(units)) {
		perr(p, t, "unknown duration unit `%s` in `%lld%s` (use ns, "
		    "us, ms or s)", t->unit, (long long)t->ival, t->unit);
		return (-1);
	}
	if (t->ival > SCN_MAX_DURATION / units[i].ns) {
		perr(p, t, "the duration %lld%s is out of range (the limit "
		    "is one day, 86400s)", (long long)t->ival, t->unit);
		return (-1);
	}
	*out = t->ival * units[i].ns;
	return (0);
}

/* A duration: a number with a unit ns, us, ms or s. */
static int
parse_duration(struct parser *p, const char *what, int zero_ok,
    int64_t *out)
{
	const struct scn_tok	*t = peek(p);
	size_t			 i;
	char			 buf[96];

	if (t->kind != SCN_TOK_INT) {
		snprintf(buf, sizeof buf, "a duration after `%s` (such as "
		    "100ms)", what);
		perr_expected(p, buf);
		return (-1);
	}
	if (t->unit == NULL) {
		perr(p, t, "the duration %lld needs a unit: write %lldms, "
		    "for example (units: ns, us, ms, s)", (long long)t->ival,
		    (long long)t->ival);
		return (-1);
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(t->unit, units[i].unit) == 0)
			break;
	}
	if (i == sizeof units / sizeof units[0]) {
		perr(p, t, "unknown duration unit `%s` in `%lld%s` (use ns, "
		    "us, ms or s)", t->unit, (long long)t->ival, t->unit);
		return (-1);
	}
	if (t->ival > SCN_MAX_DURATION / units[i].ns) {
		perr(p, t, "the duration %lld%s is out of range (the limit "
		    "is one day, 86400s)", (long long)t->ival, t->unit);
		return (-1);
	}
	if (t->ival == 0 && !zero_ok) {
		perr(p, t, "a timeout must be longer than 0");
		return (-1);
	}
	next(p);
	*out = t->ival * units[i].ns;
	return (0);
}

static int
parse_timeout(struct parser *p, int64_t *out)
{
	*out = 0;
	if (!is_kw(peek(p), "timeout"))
		return (0);
	next(p);
	return (parse_duration(p, "timeout", 0, out));
}

/* `timeout D` or `blocking false|true` after lock or acquire. */
static int
parse_take_opts(struct parser *p, struct scn_stmt *s)
{
	const struct scn_tok	*t;

	if (!is_kw(peek(p), "blocking"))
		return (parse_timeout(p, &s->timeout_ns));
	next(p);
	t = peek(p);
	if (t->kind == SCN_TOK_NAME && (strcmp(t->str, "false") == 0 ||
	    strcmp(t->str, "False") == 0))
		s->timeout_ns = SCN_TIMEOUT_TRY;
	else if (t->kind == SCN_TOK_NAME && (strcmp(t->str, "true") == 0 ||
	    strcmp(t->str, "True") == 0))
		s->timeout_ns = 0;
	else {
		perr_expected(p, "`false` or `true` after `blocking`");
		return (-1);
	}
	next(p);
	if (is_kw(peek(p), "timeout")) {
		perr(p, peek(p), "`blocking %s` takes no timeout: write "
		    "either `blocking false` (try once) or `timeout D` (wait "
		    "at most D)", t->str);
		return (-1);
	}
	return (0);
}

/* Expressions. */

static struct scn_expr *
expr_new(enum scn_expr_kind kind, const struct scn_tok *t)
{
	struct scn_expr	*e;

	e = xcalloc(1, sizeof *e);
	e->kind = kind;
	e->line = t->line;
	e->col = t->col;
	e->ref.index = -1;
	return (e);
}

static int
deeper(struct parser *p)
{
	if (++p->edepth > SCN_MAX_EXPR_DEPTH) {
		perr(p, peek(p), "expression nested too deeply (the limit is "
		    "%d levels)", SCN_MAX_EXPR_DEPTH);
		return (-1);
	}
	return (0);
}

static struct scn_expr *
parse_primary(struct parser *p)
{
	const struct scn_tok	*t = peek(p), *n;
	struct scn_expr		*e, *inner;
	int			 paren;

	switch (t->kind) {
	case SCN_TOK_INT:
		if (t->unit != NULL && p->dur_ok) {
			e = expr_new(SCN_EXPR_INT, t);
			if (duration_literal(p, t, &e->ival) != 0) {
				free(e);
				return (NULL);
			}
			next(p);
			p->dur_units++;
			return (e);
		}
		if (t->unit != NULL) {
			perr(p, t, "unexpected `%s` after the number %lld in "
			    "an expression (durations go only after sleep, "
			    "compute and timeout)", t->unit,
			    (long long)t->ival);
			return (NULL);
		}
		next(p);
		e = expr_new(SCN_EXPR_INT, t);
		e->ival = t->ival;
		return (e);
	case SCN_TOK_LPAREN:
		next(p);
		if ((inner = parse_expr(p)) == NULL)
			return (NULL);
		if (peek(p)->kind != SCN_TOK_RPAREN) {
			perr_expected(p, "`)`");
			scenario_expr_free(inner);
			return (NULL);
		}
		next(p);
		return (inner);
	case SCN_TOK_NAME:
		break;
	default:
		perr_expected(p, "an expression");
		return (NULL);
	}
	if (is_kw(t, "len")) {
		next(p);
		if (peek(p)->kind != SCN_TOK_LPAREN) {
			perr_expected(p, "`(` after `len`");
			return (NULL);
		}
		next(p);
		if ((n = expect_name(p, "len(")) == NULL)
			return (NULL);
		if (peek(p)->kind != SCN_TOK_RPAREN) {
			perr_expected(p, "`)`");
			return (NULL);
		}
		next(p);
		e = expr_new(SCN_EXPR_LEN, t);
		e->name = xstrdup(n->str);
		return (e);
	}
	if (is_kw(t, "locked")) {
		next(p);
		paren = peek(p)->kind == SCN_TOK_LPAREN;
		if (paren)
			next(p);
		if ((n = expect_name(p, "locked")) == NULL)
			return (NULL);
		if (paren && peek(p)->kind != SCN_TOK_RPAREN) {
			perr_expected(p, "`)`");
			return (NULL);
		}
		if (paren)
			next(p);
		e = expr_new(SCN_EXPR_LOCKED, t);
		e->name = xstrdup(n->str);
		return (e);
	}
	if (scenario_keyword(t->str) && !is_kw(t, "task") &&
	    !is_kw(t, "copy")) {
		perr(p, t, "expected an expression, found the keyword `%s`",
		    t->str);
		return (NULL);
	}
	next(p);
	if (peek(p)->kind == SCN_TOK_LBRACKET) {
		next(p);
		if ((inner = parse_expr(p)) == NULL)
			return (NULL);
		if (peek(p)->kind != SCN_TOK_RBRACKET) {
			perr_expected(p, "`]`");
			scenario_expr_free(inner);
			return (NULL);
		}
		next(p);
		e = expr_new(SCN_EXPR_INDEX, t);
		e->name = xstrdup(t->str);
		e->left = inner;
		return (e);
	}
	if (peek(p)->kind == SCN_TOK_LPAREN && perr_python(p, t) == 0)
		return (NULL);
	e = expr_new(SCN_EXPR_NAME, t);
	e->name = xstrdup(t->str);
	return (e);
}

static struct scn_expr *
parse_unary(struct parser *p)
{
	const struct scn_tok	*t = peek(p);
	struct scn_expr		*e, *inner;

	if (t->kind != SCN_TOK_MINUS)
		return (parse_primary(p));
	next(p);
	if (deeper(p) != 0)
		return (NULL);
	inner = parse_unary(p);
	p->edepth--;
	if (inner == NULL)
		return (NULL);
	e = expr_new(SCN_EXPR_UNARY, t);
	e->op = SCN_OP_SUB;
	e->left = inner;
	return (e);
}

static struct scn_expr *
binary(const struct scn_tok *t, int op, struct scn_expr *l,
    struct scn_expr *r)
{
	struct scn_expr	*e;

	e = expr_new(SCN_EXPR_BINARY, t);
	e->line = l->line;
	e->col = l->col;
	e->op = op;
	e->left = l;
	e->right = r;
	return (e);
}

static struct scn_expr *
parse_mul(struct parser *p)
{
	struct scn_expr		*l, *r;
	const struct scn_tok	*t;
	int			 op;

	if ((l = parse_unary(p)) == NULL)
		return (NULL);
	for (;;) {
		t = peek(p);
		if (t->kind == SCN_TOK_STAR)
			op = SCN_OP_MUL;
		else if (t->kind == SCN_TOK_SLASH)
			op = SCN_OP_DIV;
		else if (t->kind == SCN_TOK_PERCENT)
			op = SCN_OP_MOD;
		else
			return (l);
		next(p);
		if ((r = parse_unary(p)) == NULL) {
			scenario_expr_free(l);
			return (NULL);
		}
		l = binary(t, op, l, r);
	}
}

static struct scn_expr *
parse_add(struct parser *p)
{
	struct scn_expr		*l, *r;
	const struct scn_tok	*t;
	int			 op;

	if ((l = parse_mul(p)) == NULL)
		return (NULL);
	for (;;) {
		t = peek(p);
		if (t->kind == SCN_TOK_PLUS)
			op = SCN_OP_ADD;
		else if (t->kind == SCN_TOK_MINUS)
			op = SCN_OP_SUB;
		else
			return (l);
		next(p);
		if ((r = parse_mul(p)) == NULL) {
			scenario_expr_free(l);
			return (NULL);
		}
		l = binary(t, op, l, r);
	}
}

static int
cmp_op(enum scn_tok_kind kind)
{
	switch (kind) {
	case SCN_TOK_EQ: return (SCN_OP_EQ);
	case SCN_TOK_NE: return (SCN_OP_NE);
	case SCN_TOK_LT: return (SCN_OP_LT);
	case SCN_TOK_LE: return (SCN_OP_LE);
	case SCN_TOK_GT: return (SCN_OP_GT);
	case SCN_TOK_GE: return (SCN_OP_GE);
	default: return (0);
	}
}

static struct scn_expr *
parse_cmp(struct parser *p)
{
	struct scn_expr		*l, *r;
	const struct scn_tok	*t;
	int			 op;

	if ((l = parse_add(p)) == NULL)
		return (NULL);
	t = peek(p);
	if (t->kind == SCN_TOK_ASSIGN) {
		perr(p, t, "unexpected `=` in an expression: write `==` to "
		    "compare");
		scenario_expr_free(l);
		return (NULL);
	}
	if ((op = cmp_op(t->kind)) == 0)
		return (l);
	next(p);
	if ((r = parse_add(p)) == NULL) {
		scenario_expr_free(l);
		return (NULL);
	}
	l = binary(t, op, l, r);
	if (cmp_op(peek(p)->kind) != 0) {
		perr(p, peek(p), "comparisons cannot be chained: write "
		    "`a < b and b < c`");
		scenario_expr_free(l);
		return (NULL);
	}
	return (l);
}

static struct scn_expr *
parse_not(struct parser *p)
{
	const struct scn_tok	*t = peek(p);
	struct scn_expr		*e, *inner;

	if (!is_kw(t, "not"))
		return (parse_cmp(p));
	next(p);
	if (deeper(p) != 0)
		return (NULL);
	inner = parse_not(p);
	p->edepth--;
	if (inner == NULL)
		return (NULL);
	e = expr_new(SCN_EXPR_UNARY, t);
	e->op = SCN_OP_NOT;
	e->left = inner;
	return (e);
}

static struct scn_expr *
parse_and(struct parser *p)
{
	struct scn_expr		*l, *r;
	const struct scn_tok	*t;

	if ((l = parse_not(p)) == NULL)
		return (NULL);
	while (is_kw(peek(p), "and")) {
		t = next(p);
		if ((r = parse_not(p)) == NULL) {
			scenario_expr_free(l);
			return (NULL);
		}
		l = binary(t, SCN_OP_AND, l, r);
	}
	return (l);
}

static struct scn_expr *
parse_expr(struct parser *p)
{
	struct scn_expr		*l, *r;
	const struct scn_tok	*t;

	if (deeper(p) != 0)
		return (NULL);
	if ((l = parse_and(p)) != NULL) {
		while (is_kw(peek(p), "or")) {
			t = next(p);
			if ((r = parse_and(p)) == NULL) {
				scenario_expr_free(l);
				l = NULL;
				break;
			}
			l = binary(t, SCN_OP_OR, l, r);
		}
	}
	p->edepth--;
	return (l);
}

/* Statements. */

static struct scn_stmt *
stmt_new(enum scn_stmt_kind kind, const struct scn_tok *t)
{
	struct scn_stmt	*s;

	s = xcalloc(1, sizeof *s);
	s->kind = kind;
	s->line = t->line;
	s->col = t->col;
	s->var_slot = -1;
	s->target_ref.index = -1;
	return (s);
}

static void
block_add(struct scn_block *b, struct scn_stmt *s)
{
	b->v = scenario_grow(b->v, b->n, sizeof *b->v);
	b->v[b->n++] = s;
}

static int
is_compound(const struct scn_tok *t)
{
	return (is_kw(t, "with") || is_kw(t, "repeat") ||
	    is_kw(t, "forever") || is_kw(t, "while") || is_kw(t, "if"));
}

/*
 * The `:` and body of a block header (hdr names it in messages). The body
 * is an indented block on the following lines, or one simple statement on
 * the same line. An empty block is reported and left empty.
 */
static int
parse_body(struct parser *p, const struct scn_tok *hdr, const char *what,
    struct scn_block *out)
{
	struct scn_stmt	*s;

	if (peek(p)->kind != SCN_TOK_COLON) {
		if (at_eol(p))
			perr(p, peek(p), "missing `:` at the end of the `%s` "
			    "line", what);
		else
			perr_expected(p, "`:`");
		return (-1);
	}
	next(p);
	if (!at_eol(p)) {
		if (is_compound(peek(p))) {
			perr(p, peek(p), "`%s` must start its own line: put "
			    "it on the next line, indented", peek(p)->str);
			return (-1);
		}
		if ((s = parse_stmt(p)) != NULL)
			block_add(out, s);
		p->failed = 0;
		return (0);
	}
	next(p);
	if (peek(p)->kind != SCN_TOK_INDENT) {
		scenario_diag_add(p->diags, hdr->line, hdr->col, "empty block: "
		    "indent at least one statement under the `%s` line (write "
		    "`pass` for nothing)", what);
		return (0);
	}
	if (++p->depth > SCN_MAX_DEPTH) {
		if (!p->deep_said)
			scenario_diag_add(p->diags, peek(p)->line,
			    peek(p)->col, "blocks nested too deeply (the limit "
			    "is %d)", SCN_MAX_DEPTH);
		p->deep_said = 1;
		skip_block(p);
		p->depth--;
		p->failed = 0;
		return (0);
	}
	next(p);
	while (peek(p)->kind != SCN_TOK_DEDENT && peek(p)->kind != SCN_TOK_EOF) {
		if ((s = parse_stmt(p)) != NULL)
			block_add(out, s);
	}
	if (peek(p)->kind == SCN_TOK_DEDENT)
		next(p);
	if (--p->depth <= SCN_MAX_DEPTH)
		p->deep_said = 0;
	p->failed = 0;	/* errors inside were the body's own */
	return (0);
}

/* `op TARGET` where TARGET names an object. */
static int
parse_target(struct parser *p, struct scn_stmt *s, const char *op)
{
	const struct scn_tok	*t = peek(p);

	/* `start main` is a keyword but deserves the validator's answer. */
	if (is_kw(t, "main") && (s->kind == SCN_STMT_START ||
	    s->kind == SCN_STMT_JOIN))
		next(p);
	else if ((t = expect_name(p, op)) == NULL)
		return (-1);
	s->target = xstrdup(t->str);
	s->target_line = t->line;
	s->target_col = t->col;
	return (0);
}

/* The {EXPR} parts of a print string, from its raw source text. */
static int
parse_print_parts(struct parser *p, const struct scn_tok *t,
    struct scn_stmt *s)
{
	const char		*src = p->file->source;
	size_t			 i = t->raw_off, end = t->raw_off + t->raw_len, j;
	struct buf {
		char	*s;
		size_t	 n;
	}			 lit = { NULL, 0 };
	int			 col0 = t->col + 1, rc = 0;
	char			 c;
	struct scn_toks		 sub = { NULL, 0 };
	struct parser		 sp;
	struct scn_expr		*e;

#define LIT_ADD(ch) do {						\
	lit.s = xreallocarray(lit.s, lit.n + 2, 1);			\
	lit.s[lit.n++] = (ch);						\
	lit.s[lit.n] = '\0';						\
} while (0)
#define PART_ADD(l, x) do {						\
	s->parts = xreallocarray(s->parts, s->nparts + 1,		\
	    sizeof *s->parts);						\
	s->parts[s->nparts].literal = (l);				\
	s->parts[s->nparts].expr = (x);					\
	s->nparts++;							\
} while (0)

	while (i < end) {
		c = src[i];
		if (c == '\\' && i + 1 < end) {
			c = src[i + 1];
			LIT_ADD(c == 'n' ? '\n' : c == 't' ? '\t' : c);
			i += 2;
			continue;
		}
		if (c == '}') {
			if (i + 1 < end && src[i + 1] == '}') {
				LIT_ADD('}');
				i += 2;
				continue;
			}
			scenario_diag_add(p->diags, t->line, col0 +
			    (int)(i - t->raw_off), "single `}` in print text "
			    "(write `}}` for a brace)");
			rc = -1;
			break;
		}
		if (c != '{') {
			LIT_ADD(c);
			i++;
			continue;
		}
		if (i + 1 < end && src[i + 1] == '{') {
			LIT_ADD('{');
			i += 2;
			continue;
		}
		for (j = i + 1; j < end && src[j] != '}'; j++)
			;
		if (j == end) {
			scenario_diag_add(p->diags, t->line, col0 +
			    (int)(i - t->raw_off), "unclosed `{` in print text "
			    "(write `{{` for a brace)");
			rc = -1;
			break;
		}
		if (lit.s != NULL) {
			PART_ADD(lit.s, NULL);
			lit.s = NULL;
			lit.n = 0;
		}
		scenario_lex_inline(src, i + 1, j, t->line,
		    col0 + (int)(i + 1 - t->raw_off), p->diags, &sub);
		memset(&sp, 0, sizeof sp);
		sp.file = p->file;
		sp.diags = p->diags;
		sp.toks = sub.v;
		sp.n = sub.n;
		if (sub.v[0].kind == SCN_TOK_NEWLINE) {
			scenario_diag_add(p->diags, t->line, col0 +
			    (int)(i - t->raw_off), "empty `{}` in print text "
			    "(write `{{}}` for braces)");
			e = NULL;
		} else if ((e = parse_expr(&sp)) != NULL && !at_eol(&sp)) {
			perr(&sp, peek(&sp), "unexpected %s in `{...}` of a "
			    "print", scenario_tok_kind_name(peek(&sp)->kind));
			scenario_expr_free(e);
			e = NULL;
		}
		scenario_toks_free(&sub);
		if (e == NULL) {
			rc = -1;
			break;
		}
		PART_ADD(NULL, e);
		i = j + 1;
	}
	if (rc == 0 && lit.s != NULL)
		PART_ADD(lit.s, NULL);
	else
		free(lit.s);
	if (rc != 0)
		p->failed = 1;
	return (rc);
#undef LIT_ADD
#undef PART_ADD
}

/*
 * The D of `sleep D` / `compute D`: one duration literal, or an expression
 * whose unit literals count in ns (`copy * 10ms`, `base + 5ms`). An
 * expression with no unit at all is refused as `sleep 100` is.
 */
static int
parse_sleep(struct parser *p, struct scn_stmt *s, const char *w)
{
	const struct scn_tok	*t = peek(p), *n = peek_at(p, 1);

	if (t->kind == SCN_TOK_INT && (n->kind == SCN_TOK_NEWLINE ||
	    n->kind == SCN_TOK_EOF || is_kw(n, "note")))
		return (parse_duration(p, w, 1, &s->duration_ns));
	if (at_eol(p) || is_kw(t, "note"))
		return (parse_duration(p, w, 1, &s->duration_ns));
	p->dur_ok = 1;
	p->dur_units = 0;
	s->duration = parse_expr(p);
	p->dur_ok = 0;
	if (s->duration == NULL)
		return (-1);
	if (p->dur_units == 0) {
		perr(p, t, "the duration of `%s` needs a unit: write `%s "
		    "%.*s * 1ms`, for example (units: ns, us, ms, s)", w, w,
		    (int)(p->toks[p->pos - 1].off + p->toks[p->pos - 1].len -
		    t->off), p->file->source + t->off);
		return (-1);
	}
	return (0);
}

static struct scn_stmt *
parse_if(struct parser *p, const struct scn_tok *kw)
{
	struct scn_stmt		*s, *elif;
	const struct scn_tok	*t;

	s = stmt_new(SCN_STMT_IF, kw);
	if ((s->cond = parse_expr(p)) == NULL ||
	    parse_body(p, kw, kw->str, &s->body) != 0) {
		scenario_stmt_free(s);
		return (NULL);
	}
	t = peek(p);
	if (is_kw(t, "elif")) {
		next(p);
		p->failed = 0;
		if ((elif = parse_if(p, t)) != NULL)
			block_add(&s->orelse, elif);
		else
			sync_line(p);
	} else if (is_kw(t, "else")) {
		next(p);
		p->failed = 0;
		if (parse_body(p, t, "else", &s->orelse) != 0)
			sync_line(p);
	}
	return (s);
}

/* `NAME = ...`, `NAME[i] = ...`, `NAME += ...`, `x = get Q`. */
static struct scn_stmt *
parse_assign(struct parser *p, int atomic)
{
	const struct scn_tok	*name = next(p), *op, *t;
	struct scn_expr		*index = NULL, *value;
	struct scn_stmt		*s;

	if (peek(p)->kind == SCN_TOK_LBRACKET) {
		next(p);
		if ((index = parse_expr(p)) == NULL)
			return (NULL);
		if (peek(p)->kind != SCN_TOK_RBRACKET) {
			perr_expected(p, "`]`");
			scenario_expr_free(index);
			return (NULL);
		}
		next(p);
	}
	op = peek(p);
	if (op->kind != SCN_TOK_ASSIGN && op->kind != SCN_TOK_PLUSEQ &&
	    op->kind != SCN_TOK_MINUSEQ) {
		perr_expected(p, "`=`, `+=` or `-=`");
		scenario_expr_free(index);
		return (NULL);
	}
	next(p);
	if (atomic && op->kind == SCN_TOK_ASSIGN) {
		perr(p, op, "`atomic` goes only with `+=` or `-=`");
		scenario_expr_free(index);
		return (NULL);
	}
	t = peek(p);
	if (op->kind == SCN_TOK_ASSIGN && (is_kw(t, "lock") ||
	    is_kw(t, "acquire"))) {
		if (index != NULL) {
			perr(p, t, "`%s` stores its result into a variable, "
			    "not into %s[...]", t->str, name->str);
			scenario_expr_free(index);
			return (NULL);
		}
		next(p);
		s = stmt_new(is_kw(t, "lock") ? SCN_STMT_LOCK :
		    SCN_STMT_ACQUIRE, name);
		s->var = xstrdup(name->str);
		if (parse_target(p, s, t->str) != 0 ||
		    parse_take_opts(p, s) != 0) {
			scenario_stmt_free(s);
			return (NULL);
		}
		if (s->timeout_ns == 0) {
			perr(p, t, "`%s = %s %s` always succeeds: give it "
			    "`timeout D` or `blocking false`, or drop the `%s "
			    "=`", name->str, t->str, s->target, name->str);
			scenario_stmt_free(s);
			return (NULL);
		}
		if (end_simple(p, t->str, &s->note) != 0) {
			scenario_stmt_free(s);
			return (NULL);
		}
		return (s);
	}
	if (op->kind == SCN_TOK_ASSIGN && is_kw(t, "try") &&
	    is_kw(peek_at(p, 1), "get")) {
		/* `x = try get Q`: get_nowait, -1 when empty. */
		next(p);
		if (index != NULL) {
			perr(p, t, "`try get` stores into a variable, not into "
			    "%s[...]", name->str);
			scenario_expr_free(index);
			return (NULL);
		}
		t = next(p);
		s = stmt_new(SCN_STMT_GET, name);
		s->var = xstrdup(name->str);
		s->timeout_ns = SCN_TIMEOUT_TRY;
		if (parse_target(p, s, "get") != 0 ||
		    end_simple(p, "try get", &s->note) != 0) {
			scenario_stmt_free(s);
			return (NULL);
		}
		return (s);
	}
	if (op->kind == SCN_TOK_ASSIGN && (is_kw(t, "get") ||
	    is_kw(t, "recv"))) {
		if (index != NULL) {
			perr(p, t, "`%s` stores into a variable, not into "
			    "%s[...]: write `x = %s ...`, then `%s[i] = x`",
			    t->str, name->str, t->str, name->str);
			scenario_expr_free(index);
			return (NULL);
		}
		next(p);
		s = stmt_new(is_kw(t, "get") ? SCN_STMT_GET : SCN_STMT_RECV,
		    name);
		s->var = xstrdup(name->str);
		if (parse_target(p, s, t->str) == 0 &&
		    is_kw(peek(p), "timeout")) {
			if (s->kind != SCN_STMT_GET) {
				perr(p, peek(p), "`recv` takes no timeout: a "
				    "queue's `%s = get Q timeout D` does",
				    name->str);
				scenario_stmt_free(s);
				return (NULL);
			}
			/* get(timeout=): the item, or -1 when none came. */
			if (parse_timeout(p, &s->timeout_ns) != 0) {
				scenario_stmt_free(s);
				return (NULL);
			}
		}
		if (p->failed ||
		    end_simple(p, t->str, &s->note) != 0) {
			scenario_stmt_free(s);
			return (NULL);
		}
		return (s);
	}
	if ((value = parse_expr(p)) == NULL) {
		scenario_expr_free(index);
		return (NULL);
	}
	if (op->kind == SCN_TOK_MINUSEQ) {
		struct scn_expr	*neg = expr_new(SCN_EXPR_UNARY, op);

		neg->op = SCN_OP_SUB;
		neg->left = value;
		value = neg;
	}
	s = stmt_new(op->kind == SCN_TOK_ASSIGN ? SCN_STMT_ASSIGN :
	    SCN_STMT_ADD, name);
	s->target = xstrdup(name->str);
	s->target_line = name->line;
	s->target_col = name->col;
	s->index = index;
	s->value = value;
	s->atomic = atomic;
	if (end_simple(p, op->kind == SCN_TOK_ASSIGN ? "assignment" :
	    op->kind == SCN_TOK_PLUSEQ ? "+=" : "-=", &s->note) != 0) {
		scenario_stmt_free(s);
		return (NULL);
	}
	return (s);
}

static const char *const decl_words[] = {
	"title", "about", "mutex", "rlock", "semaphore", "barrier",
	"condition", "queue", "pipe", "fifo", "mqueue", "socket", "mmap",
	"shm", "shared", "local", "int", "pool", "thread", "process", "main",
	"expect", "manager"
};

static const char *const stmt_words[] = {
	"pass", "break", "crash", "lock", "unlock", "acquire", "release",
	"with", "wait", "notify", "notify_all", "put", "get", "send", "recv",
	"close", "open", "listen", "accept", "connect", "sleep", "compute",
	"print", "repeat", "forever", "while", "if", "atomic", "start", "join",
	"result", "signal", "assert", "mark", "append"
};

static int
word_in(const char *w, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(w, list[i]) == 0)
			return (1);
	}
	return (0);
}

/* The statement keyword's kind, for the simple `KW TARGET` forms. */
static int
target_only(const char *w, enum scn_stmt_kind *kind)
{
	static const struct {
		const char		*word;
		enum scn_stmt_kind	 kind;
	} forms[] = {
		{ "unlock", SCN_STMT_UNLOCK },
		{ "notify_all", SCN_STMT_NOTIFY_ALL },
		{ "close", SCN_STMT_CLOSE }, { "listen", SCN_STMT_LISTEN },
		{ "accept", SCN_STMT_ACCEPT }, { "connect", SCN_STMT_CONNECT },
		{ "get", SCN_STMT_GET }, { "recv", SCN_STMT_RECV },
		{ "start", SCN_STMT_START },
	};
	size_t	i;

	for (i = 0; i < NWORDS(forms); i++) {
		if (strcmp(w, forms[i].word) == 0) {
			*kind = forms[i].kind;
			return (1);
		}
	}
	return (0);
}

/* One statement of a body; NULL (after syncing) when it failed. */
static struct scn_stmt *
parse_stmt_inner(struct parser *p)
{
	const struct scn_tok	*t = peek(p), *kw, *n;
	struct scn_stmt		*s = NULL;
	enum scn_stmt_kind	 kind;
	const char		*w, *sug;
	char			 buf[64];

	if (t->kind != SCN_TOK_NAME) {
		perr(p, t, "expected a statement, found %s",
		    tokdesc(p, t, buf, sizeof buf));
		return (NULL);
	}
	w = t->str;
	n = peek_at(p, 1);
	if (n->kind == SCN_TOK_ASSIGN || n->kind == SCN_TOK_PLUSEQ ||
	    n->kind == SCN_TOK_MINUSEQ || n->kind == SCN_TOK_LBRACKET) {
		if (scenario_keyword(w) && strcmp(w, "task") != 0 &&
		    strcmp(w, "copy") != 0) {
			perr(p, t, "`%s` is a keyword and cannot be assigned "
			    "to", w);
			return (NULL);
		}
		return (parse_assign(p, 0));
	}
	kw = next(p);

	if (strcmp(w, "pass") == 0 || strcmp(w, "break") == 0 ||
	    strcmp(w, "crash") == 0) {
		s = stmt_new(w[0] == 'p' ? SCN_STMT_PASS : w[0] == 'b' ?
		    SCN_STMT_BREAK : SCN_STMT_CRASH, kw);
	} else if (strcmp(w, "lock") == 0 || strcmp(w, "acquire") == 0) {
		s = stmt_new(w[0] == 'l' ? SCN_STMT_LOCK : SCN_STMT_ACQUIRE, kw);
		if (parse_target(p, s, w) != 0 || parse_take_opts(p, s) != 0)
			goto fail;
		if (s->timeout_ns == SCN_TIMEOUT_TRY) {
			perr(p, kw, "`%s %s blocking false` gives up at once "
			    "when it is taken: keep its result, as `ok = %s %s "
			    "blocking false`, and test it", w, s->target, w,
			    s->target);
			goto fail;
		}
	} else if (strcmp(w, "wait") == 0) {
		s = stmt_new(SCN_STMT_WAIT, kw);
		if (parse_target(p, s, w) != 0 ||
		    parse_timeout(p, &s->timeout_ns) != 0)
			goto fail;
	} else if (strcmp(w, "join") == 0) {
		s = stmt_new(SCN_STMT_JOIN, kw);
		if (parse_target(p, s, w) != 0 ||
		    parse_timeout(p, &s->timeout_ns) != 0)
			goto fail;
	} else if (target_only(w, &kind)) {
		s = stmt_new(kind, kw);
		if (parse_target(p, s, w) != 0)
			goto fail;
	} else if (strcmp(w, "notify") == 0) {
		s = stmt_new(SCN_STMT_NOTIFY, kw);
		if (parse_target(p, s, w) != 0)
			goto fail;
		if (!at_eol(p) && !is_kw(peek(p), "note") &&
		    (s->value = parse_expr(p)) == NULL)
			goto fail;
	} else if (strcmp(w, "put") == 0 || strcmp(w, "send") == 0) {
		s = stmt_new(w[0] == 'p' ? SCN_STMT_PUT : SCN_STMT_SEND, kw);
		if (parse_target(p, s, w) != 0)
			goto fail;
		if (at_eol(p) || is_kw(peek(p), "note")) {
			perr(p, peek(p), "`%s` needs a value: `%s %s 42`", w,
			    w, s->target);
			goto fail;
		}
		if ((s->value = parse_expr(p)) == NULL)
			goto fail;
		if (s->kind == SCN_STMT_SEND && is_kw(peek(p), "priority")) {
			next(p);
			if ((s->priority = parse_expr(p)) == NULL)
				goto fail;
		}
	} else if (strcmp(w, "open") == 0) {
		s = stmt_new(SCN_STMT_OPEN, kw);
		if (parse_target(p, s, w) != 0)
			goto fail;
		if (is_kw(peek(p), "read"))
			s->open_write = 0;
		else if (is_kw(peek(p), "write"))
			s->open_write = 1;
		else {
			perr_expected(p, "`read` or `write` after the fifo");
			goto fail;
		}
		next(p);
	} else if (strcmp(w, "sleep") == 0 || strcmp(w, "compute") == 0) {
		s = stmt_new(w[0] == 's' ? SCN_STMT_SLEEP : SCN_STMT_COMPUTE,
		    kw);
		if (parse_sleep(p, s, w) != 0)
			goto fail;
	} else if (strcmp(w, "append") == 0) {
		s = stmt_new(SCN_STMT_APPEND, kw);
		if (parse_target(p, s, w) != 0)
			goto fail;
		if (at_eol(p) || is_kw(peek(p), "note")) {
			perr(p, peek(p), "`append` needs a value: `append %s 42`",
			    s->target);
			goto fail;
		}
		if ((s->value = parse_expr(p)) == NULL)
			goto fail;
	} else if (strcmp(w, "mark") == 0) {
		s = stmt_new(SCN_STMT_MARK, kw);
		if (parse_target(p, s, w) != 0)
			goto fail;
	} else if (strcmp(w, "assert") == 0) {
		s = stmt_new(SCN_STMT_ASSERT, kw);
		t = peek(p);
		if (at_eol(p) || is_kw(t, "note")) {
			perr(p, t, "`assert` needs a condition: `assert "
			    "inside <= 3`");
			goto fail;
		}
		if ((s->value = parse_expr(p)) == NULL)
			goto fail;
		s->text = xstrndup(p->file->source + t->off,
		    p->toks[p->pos - 1].off + p->toks[p->pos - 1].len - t->off);
	} else if (strcmp(w, "release") == 0 || strcmp(w, "signal") == 0) {
		s = stmt_new(SCN_STMT_RELEASE, kw);
		s->alias = w[0] == 's';
		if (parse_target(p, s, w) != 0)
			goto fail;
		if (!at_eol(p) && !is_kw(peek(p), "note") &&
		    (s->value = parse_expr(p)) == NULL)
			goto fail;
	} else if (strcmp(w, "print") == 0) {
		s = stmt_new(SCN_STMT_PRINT, kw);
		t = peek(p);
		if (t->kind != SCN_TOK_STRING) {
			perr_expected(p, "a string after `print`");
			goto fail;
		}
		if (t->triple) {
			perr(p, t, "`print` takes a one-line \"...\" string");
			goto fail;
		}
		next(p);
		s->text = xstrdup(t->str);
		if (parse_print_parts(p, t, s) != 0)
			goto fail;
	} else if (strcmp(w, "result") == 0) {
		s = stmt_new(SCN_STMT_RESULT, kw);
		if ((s->value = parse_expr(p)) == NULL)
			goto fail;
	} else if (strcmp(w, "atomic") == 0) {
		t = peek(p);
		if (t->kind != SCN_TOK_NAME) {
			perr_expected(p, "a name after `atomic`");
			return (NULL);
		}
		if (scenario_keyword(t->str)) {
			perr(p, t, "`%s` is a keyword and cannot be assigned "
			    "to", t->str);
			return (NULL);
		}
		if ((s = parse_assign(p, 1)) != NULL) {
			s->line = kw->line;
			s->col = kw->col;
		}
		return (s);
	} else if (strcmp(w, "with") == 0) {
		s = stmt_new(SCN_STMT_WITH, kw);
		if (parse_target(p, s, w) != 0 ||
		    parse_body(p, kw, "with", &s->body) != 0)
			goto fail;
		return (s);
	} else if (strcmp(w, "repeat") == 0) {
		s = stmt_new(SCN_STMT_REPEAT, kw);
		if ((s->value = parse_expr(p)) == NULL)
			goto fail;
		if (is_kw(peek(p), "as")) {
			next(p);
			if ((t = expect_name(p, "as")) == NULL)
				goto fail;
			s->var = xstrdup(t->str);
		}
		if (parse_body(p, kw, "repeat", &s->body) != 0)
			goto fail;
		return (s);
	} else if (strcmp(w, "forever") == 0) {
		s = stmt_new(SCN_STMT_FOREVER, kw);
		if (parse_body(p, kw, "forever", &s->body) != 0)
			goto fail;
		return (s);
	} else if (strcmp(w, "while") == 0) {
		s = stmt_new(SCN_STMT_WHILE, kw);
		if ((s->cond = parse_expr(p)) == NULL ||
		    parse_body(p, kw, "while", &s->body) != 0)
			goto fail;
		return (s);
	} else if (strcmp(w, "if") == 0) {
		return (parse_if(p, kw));
	} else if (strcmp(w, "else") == 0 || strcmp(w, "elif") == 0) {
		perr(p, kw, "`%s` without a matching `if` just above it", w);
		return (NULL);
	} else if (strcmp(w, "note") == 0) {
		perr(p, kw, "a `note` goes at the end of a statement, on the "
		    "same line");
		return (NULL);
	} else if (strcmp(w, "try") == 0 && is_kw(peek(p), "get")) {
		perr(p, kw, "`try get` answers with the item or -1: keep it, "
		    "as `x = try get Q`");
		return (NULL);
	} else if (word_in(w, decl_words, NWORDS(decl_words))) {
		perr(p, kw, "`%s` belongs at the top level of the file, not "
		    "inside a body", w);
		return (NULL);
	} else if (perr_python(p, kw) == 0) {
		return (NULL);
	} else if (word_in(w, option_words, NWORDS(option_words))) {
		perr(p, kw, "`%s` is not a statement: it goes at the end of one, "
		    "as in `lock A timeout 5ms` or `print \"x\" note \"...\"`",
		    w);
		return (NULL);
	} else {
		sug = scenario_closest(w, stmt_words, NWORDS(stmt_words));
		if (scenario_keyword(w) || sug == NULL)
			perr(p, kw, "unknown statement `%s`", w);
		else
			perr(p, kw, "unknown statement `%s`; did you mean "
			    "`%s`?", w, sug);
		return (NULL);
	}
	if (end_simple(p, w, &s->note) != 0)
		goto fail;
	return (s);
fail:
	scenario_stmt_free(s);
	return (NULL);
}

static struct scn_stmt *
parse_stmt(struct parser *p)
{
	struct scn_stmt	*s;

	p->failed = 0;
	p->edepth = 0;
	switch (peek(p)->kind) {
	case SCN_TOK_NEWLINE:
		next(p);
		return (NULL);
	case SCN_TOK_INDENT:
		perr(p, peek(p), "unexpected indentation: this line is "
		    "indented more than the one above");
		skip_block(p);
		return (NULL);
	default:
		break;
	}
	if ((s = parse_stmt_inner(p)) == NULL)
		sync_line(p);
	return (s);
}

/* Top level. */

static struct scn_object *
object_add(struct parser *p, const struct scn_tok *name,
    enum trace_obj_kind kind)
{
	struct scn_file		*f = p->file;
	struct scn_object	*o;

	f->objects = scenario_grow(f->objects, f->nobjects,
	    sizeof *f->objects);
	o = &f->objects[f->nobjects++];
	memset(o, 0, sizeof *o);
	if (strchr(name->str, '.') != NULL)
		perr(p, name, "`%s`: a declared name cannot contain `.` (dots "
		    "name a manager's parts, as M.value)", name->str);
	o->name = xstrdup(name->str);
	o->kind = kind;
	o->lock = -1;
	o->line = name->line;
	o->col = name->col;
	return (o);
}

static const struct {
	const char		*word;
	enum trace_obj_kind	 kind;
	const char		*count;		/* "(N)" meaning, or NULL */
	int64_t			 lo, hi;
} decls[] = {
	{ "mutex", TRACE_OBJ_MUTEX, NULL, 0, 0 },
	{ "rlock", TRACE_OBJ_RLOCK, NULL, 0, 0 },
	{ "semaphore", TRACE_OBJ_SEMAPHORE, "semaphore count", 0, 1000000 },
	{ "barrier", TRACE_OBJ_BARRIER, "barrier parties", 1,
	    TRACE_MAX_WORKERS },
	{ "condition", TRACE_OBJ_CONDITION, NULL, 0, 0 },
	{ "queue", TRACE_OBJ_QUEUE, "queue capacity", 1, 1024 },
	{ "pipe", TRACE_OBJ_PIPE, NULL, 0, 0 },
	{ "fifo", TRACE_OBJ_FIFO, NULL, 0, 0 },
	{ "mqueue", TRACE_OBJ_MQUEUE, "mqueue capacity", 1, 10 },
	{ "socket", TRACE_OBJ_SOCKET, NULL, 0, 0 },
	{ "mmap", TRACE_OBJ_MMAP, "mmap size", 1, 65536 },
	{ "shm", TRACE_OBJ_SHM, "shm size", 1, 65536 },
	{ "shared", TRACE_OBJ_SHARED, NULL, 0, 0 },
	{ "local", TRACE_OBJ_LOCAL, NULL, 0, 0 },
};

/*
 * The (N) after a counted object's name. A semaphore may also be written
 * as Downey writes it, `semaphore S = 0`. A count written any other way
 * gets a hint with the count the author wrote.
 */
static int
parse_object_count(struct parser *p, const struct scn_tok *kw,
    const struct scn_tok *name, size_t d, int64_t *v)
{
	const struct scn_tok	*t = peek(p), *n = peek_at(p, 1);
	long long		 hint;

	if (t->kind == SCN_TOK_ASSIGN && decls[d].kind == TRACE_OBJ_SEMAPHORE) {
		next(p);
		return (parse_count(p, decls[d].count, decls[d].lo,
		    decls[d].hi, v));
	}
	if (t->kind != SCN_TOK_LPAREN) {
		hint = decls[d].lo > 0 ? decls[d].lo + 1 : 1;
		if (t->kind == SCN_TOK_INT && t->unit == NULL)
			hint = (long long)t->ival;
		else if (t->kind == SCN_TOK_ASSIGN && n->kind == SCN_TOK_INT &&
		    n->unit == NULL)
			hint = (long long)n->ival;
		perr(p, t, "%s %s needs its %s in parentheses: %s %s(%lld)",
		    kw->str, name->str, strchr(decls[d].count, ' ') + 1,
		    kw->str, name->str, hint);
		return (-1);
	}
	next(p);
	if (parse_count(p, decls[d].count, decls[d].lo, decls[d].hi, v) != 0)
		return (-1);
	if (peek(p)->kind != SCN_TOK_RPAREN) {
		perr_expected(p, "`)`");
		return (-1);
	}
	next(p);
	return (0);
}

/* `KIND NAME [args], NAME [args]...` */
static void
parse_objects(struct parser *p, const struct scn_tok *kw, size_t d)
{
	const struct scn_tok	*name, *t;
	struct scn_object	*o;
	enum trace_obj_kind	 kind = decls[d].kind;
	int64_t			 v;

	if (kind == TRACE_OBJ_SHARED || kind == TRACE_OBJ_LOCAL) {
		if (!is_kw(peek(p), "int")) {
			perr_expected(p, "`int` (the only type)");
			return;
		}
		next(p);
	}
	for (;;) {
		if ((name = expect_name(p, kw->str)) == NULL)
			return;
		if (decls[d].count != NULL) {
			if (parse_object_count(p, kw, name, d, &v) != 0) {
				/* Declared all the same, so that its uses are
				   not "undeclared" too: one mistake, one
				   error. The file is refused anyway. */
				o = object_add(p, name, kind);
				o->capacity = o->initial = decls[d].lo > 0 ?
				    decls[d].lo : 1;
				return;
			}
			o = object_add(p, name, kind);
			o->capacity = v;
			if (kind == TRACE_OBJ_SEMAPHORE)
				o->initial = v;
		} else {
			o = object_add(p, name, kind);
		}
		t = peek(p);
		switch (kind) {
		case TRACE_OBJ_CONDITION:
			if (t->kind != SCN_TOK_LPAREN)
				break;
			next(p);
			if ((t = expect_name(p, "(")) == NULL)
				return;
			o->lock_name = xstrdup(t->str);
			o->lock_line = t->line;
			o->lock_col = t->col;
			if (peek(p)->kind != SCN_TOK_RPAREN) {
				perr_expected(p, "`)`");
				return;
			}
			next(p);
			break;
		case TRACE_OBJ_PIPE:
			if (is_kw(t, "duplex")) {
				next(p);
				o->flags |= TRACE_OBJF_DUPLEX;
			}
			break;
		case TRACE_OBJ_SOCKET:
			if (is_kw(t, "tcp")) {
				next(p);
				o->flags |= TRACE_OBJF_TCP;
			} else if (is_kw(t, "unix"))
				next(p);
			break;
		case TRACE_OBJ_SHARED:
		case TRACE_OBJ_LOCAL:
			if (t->kind != SCN_TOK_ASSIGN)
				break;
			next(p);
			if (parse_int(p, "the initial value", 1, &v) != 0)
				return;
			o->initial = v;
			break;
		default:
			break;
		}
		if (peek(p)->kind != SCN_TOK_COMMA)
			break;
		next(p);
	}
	end_simple(p, kw->str, NULL);
}

/*
 * `manager M`: the queue M of its requests and the mutex M.lock. The
 * validator adds its server process M.server and the reply queues, once
 * it knows the workers.
 */
static void
parse_manager(struct parser *p, const struct scn_tok *kw)
{
	const struct scn_tok	*name;
	struct scn_object	*o;
	char			*lock;

	for (;;) {
		if ((name = expect_name(p, "manager")) == NULL)
			return;
		o = object_add(p, name, TRACE_OBJ_QUEUE);
		o->capacity = 16;
		o->manager = 1;
		xasprintf(&lock, "%s.lock", name->str);
		o = object_add(p, name, TRACE_OBJ_MUTEX);
		free(o->name);
		o->name = lock;
		if (peek(p)->kind != SCN_TOK_COMMA)
			break;
		next(p);
	}
	end_simple(p, kw->str, NULL);
}

/* `int x = 0, y`: plain variables. */
static void
parse_globals(struct parser *p, const struct scn_tok *kw)
{
	struct scn_file		*f = p->file;
	const struct scn_tok	*name;
	struct scn_global	*g;
	int64_t			 v;

	for (;;) {
		if ((name = expect_name(p, "int")) == NULL)
			return;
		if (strchr(name->str, '.') != NULL) {
			perr(p, name, "`%s`: a declared name cannot contain `.` "
			    "(dots name a manager's parts, as M.value)",
			    name->str);
			return;
		}
		v = 0;
		if (peek(p)->kind == SCN_TOK_ASSIGN) {
			next(p);
			if (parse_int(p, "the initial value", 1, &v) != 0)
				return;
		}
		if (f->nglobals == SCN_MAX_GLOBALS) {
			perr(p, name, "too many plain ints (the limit is %d)",
			    SCN_MAX_GLOBALS);
			return;
		}
		f->globals = scenario_grow(f->globals, f->nglobals,
		    sizeof *f->globals);
		g = &f->globals[f->nglobals++];
		g->name = xstrdup(name->str);
		g->initial = v;
		g->line = name->line;
		g->col = name->col;
		if (peek(p)->kind != SCN_TOK_COMMA)
			break;
		next(p);
	}
	end_simple(p, kw->str, NULL);
}

static void
parse_pool(struct parser *p, const struct scn_tok *kw)
{
	const struct scn_tok	*name;
	int64_t			 members, tasks;
	struct scn_object	*o;
	struct scn_block	 body = { NULL, 0 };
	int			 threads = 0;

	if ((name = expect_name(p, "pool")) == NULL)
		return;
	if (peek(p)->kind != SCN_TOK_LPAREN) {
		perr(p, peek(p), "pool %s needs its number of workers in "
		    "parentheses: pool %s(4) tasks 10:", name->str, name->str);
		return;
	}
	next(p);
	if (parse_count(p, "pool size", 1, 64, &members) != 0)
		return;
	if (peek(p)->kind != SCN_TOK_RPAREN) {
		perr_expected(p, "`)`");
		return;
	}
	next(p);
	if (is_kw(peek(p), "threads")) {
		threads = 1;
		next(p);
	}
	if (!is_kw(peek(p), "tasks")) {
		perr_expected(p, "`tasks N` after the pool size");
		return;
	}
	next(p);
	if (parse_count(p, "task count", 1, 100000, &tasks) != 0)
		return;
	if (parse_body(p, kw, "pool", &body) != 0) {
		scenario_block_free(&body);
		return;
	}
	o = object_add(p, name, TRACE_OBJ_POOL);
	o->capacity = members;
	o->tasks = tasks;
	o->body = body;
	if (threads)
		o->flags |= TRACE_OBJF_THREADS;
}

static const char *const worker_words[] = { "daemon" };

static void
parse_worker(struct parser *p, const struct scn_tok *kw)
{
	struct scn_file		*f = p->file;
	struct scn_worker	 w;
	const struct scn_tok	*name, *t;
	char			*end;
	long long		 n;

	memset(&w, 0, sizeof w);
	w.copies = 1;
	if (is_kw(kw, "main")) {
		w.kind = TRACE_WORKER_MAIN;
		w.name = xstrdup("main");
		w.line = kw->line;
		w.col = kw->col;
	} else {
		w.kind = is_kw(kw, "thread") ? TRACE_WORKER_THREAD :
		    TRACE_WORKER_PROCESS;
		if ((name = expect_name(p, kw->str)) == NULL)
			return;
		if (strchr(name->str, '.') != NULL) {
			perr(p, name, "`%s`: a declared name cannot contain `.` "
			    "(dots name a manager's parts, as M.value)",
			    name->str);
			return;
		}
		w.name = xstrdup(name->str);
		w.line = name->line;
		w.col = name->col;
		for (;;) {
			t = peek(p);
			if (is_kw(t, "daemon") && !w.daemon) {
				next(p);
				w.daemon = 1;
				continue;
			}
			if (t->kind == SCN_TOK_NAME && t->str[0] == 'x' &&
			    t->str[1] >= '0' && t->str[1] <= '9') {
				errno = 0;
				n = strtoll(t->str + 1, &end, 10);
				if (*end != '\0')
					break;
				if (n < 1 || n > TRACE_MAX_WORKERS ||
				    errno != 0) {
					perr(p, t, "copy count %s is out of "
					    "range (x1 to x%d)", t->str + 1,
					    TRACE_MAX_WORKERS);
					free(w.name);
					return;
				}
				next(p);
				w.copies = (int)n;
				continue;
			}
			t = peek(p);
			if (t->kind == SCN_TOK_NAME &&
			    !scenario_keyword(t->str) &&
			    scenario_closest(t->str, worker_words,
			    NWORDS(worker_words)) != NULL) {
				perr(p, t, "unexpected `%s` after the %s's name; "
				    "did you mean `daemon`?", t->str, kw->str);
				break;
			}
			break;
		}
	}
	if (p->failed || parse_body(p, kw, kw->str, &w.body) != 0) {
		/* Kept with an empty body so that `start NAME` elsewhere is
		   not "undeclared" too (the file is refused anyway). */
		scenario_block_free(&w.body);
		memset(&w.body, 0, sizeof w.body);
		f->workers = scenario_grow(f->workers, f->nworkers,
		    sizeof *f->workers);
		f->workers[f->nworkers++] = w;
		return;
	}
	f->workers = scenario_grow(f->workers, f->nworkers,
	    sizeof *f->workers);
	f->workers[f->nworkers++] = w;
}

static const char *const outcome_words[] = {
	"deadlock", "stall", "self_deadlock", "completes",
	"potential_deadlock"
};

/* `expect a1 before b2` (or `b2 after a1`): two marks in order. */
static int
parse_before(struct parser *p, struct scn_expect *e)
{
	const struct scn_tok	*a, *op, *b;

	if ((a = expect_name(p, "expect")) == NULL)
		return (-1);
	op = next(p);
	if ((b = expect_name(p, op->str)) == NULL)
		return (-1);
	if (is_kw(op, "after")) {
		const struct scn_tok *t = a;

		a = b;
		b = t;
	}
	e->kind = TRACE_EXPECT_BEFORE;
	e->name = xstrdup(a->str);
	e->name_line = a->line;
	e->name_col = a->col;
	e->name2 = xstrdup(b->str);
	e->name2_line = b->line;
	e->name2_col = b->col;
	return (0);
}

static void
parse_expect(struct parser *p, const struct scn_tok *kw)
{
	struct scn_file		*f = p->file;
	struct scn_expect	 e;
	const struct scn_tok	*t = peek(p), *name, *last;
	const char		*sug;
	int			 metric, op;
	size_t			 i;
	char			 buf[64];

	memset(&e, 0, sizeof e);
	e.object = -1;
	e.line = kw->line;
	e.col = kw->col;
	if (t->kind != SCN_TOK_NAME) {
		perr_expected(p, "an outcome (deadlock, stall, completes...) "
		    "or a comparison after `expect`");
		return;
	}
	if (is_kw(t, "no") && is_kw(peek_at(p, 1), "potential_deadlock")) {
		next(p);
		next(p);
		e.kind = TRACE_EXPECT_NO_POTENTIAL;
	} else if (is_kw(peek_at(p, 1), "before") ||
	    is_kw(peek_at(p, 1), "after")) {
		if (parse_before(p, &e) != 0)
			return;
	} else if (peek_at(p, 1)->kind == SCN_TOK_NEWLINE ||
	    peek_at(p, 1)->kind == SCN_TOK_EOF) {
		for (i = 0; i < NWORDS(outcome_words); i++) {
			if (strcmp(t->str, outcome_words[i]) == 0)
				break;
		}
		if (i == NWORDS(outcome_words)) {
			sug = scenario_closest(t->str, outcome_words,
			    NWORDS(outcome_words));
			if (sug != NULL)
				perr(p, t, "unknown outcome `%s`; did you mean "
				    "`%s`?", t->str, sug);
			else
				perr(p, t, "unknown outcome `%s` (expect "
				    "deadlock, stall, self_deadlock, completes, "
				    "potential_deadlock, no potential_deadlock, "
				    "or NAME == VALUE)", t->str);
			return;
		}
		next(p);
		e.kind = (enum trace_expect_kind)i;	/* same order */
	} else {
		e.kind = TRACE_EXPECT_METRIC;
		e.metric = TRACE_METRIC_VALUE;
		name = t;
		if (peek_at(p, 1)->kind == SCN_TOK_NAME) {
			if ((metric = trace_metric_from_name(t->str)) < 0) {
				perr(p, t, "unknown metric `%s` (metrics: "
				    "value, max_holders, max_waiters, "
				    "contended, sent, received, order_errors, "
				    "max_len, lost_notifies, woken, max_busy, "
				    "tasks_done, early_passes, distinct, max, "
				    "min)",
				    t->str);
				return;
			}
			e.metric = (enum trace_metric)metric;
			next(p);
			name = peek(p);
		}
		if (scenario_keyword(name->str)) {
			perr(p, name, "expected an object name, found the "
			    "keyword `%s`", name->str);
			return;
		}
		next(p);
		e.name_line = name->line;
		e.name_col = name->col;
		t = peek(p);
		if (t->kind == SCN_TOK_ASSIGN) {
			perr(p, t, "write `==` to compare, not `=`");
			return;
		}
		if ((op = cmp_op(t->kind)) == 0) {
			perr(p, t, "expected a comparison (== != < <= > >=) "
			    "after `%s`, found %s", name->str,
			    tokdesc(p, t, buf, sizeof buf));
			return;
		}
		next(p);
		e.cmp = (enum trace_cmp)(op - SCN_OP_EQ);
		if (parse_int(p, "the expected value", 1, &e.value) != 0)
			return;
		e.name = xstrdup(name->str);
	}
	last = &p->toks[p->pos - 1];
	if (!at_eol(p)) {
		perr(p, peek(p), "unexpected %s at the end of the `expect` "
		    "line", tokdesc(p, peek(p), buf, sizeof buf));
		free(e.name);
		free(e.name2);
		return;
	}
	next(p);
	e.text = xstrndup(f->source + kw->off, last->off + last->len - kw->off);
	f->expects = scenario_grow(f->expects, f->nexpects,
	    sizeof *f->expects);
	f->expects[f->nexpects++] = e;
}

static void
parse_text(struct parser *p, const struct scn_tok *kw, char **out)
{
	const struct scn_tok	*t = peek(p);
	char			 buf[64];

	if (*out != NULL) {
		perr(p, kw, "a second `%s`: a file has only one", kw->str);
		return;
	}
	if (t->kind != SCN_TOK_STRING) {
		snprintf(buf, sizeof buf, "a string after `%s`", kw->str);
		perr_expected(p, buf);
		return;
	}
	next(p);
	if (end_simple(p, kw->str, NULL) == 0)
		*out = xstrdup(t->str);
}

static void
parse_toplevel(struct parser *p)
{
	const struct scn_tok	*kw = peek(p);
	const char		*sug;
	size_t			 d;
	char			 buf[64];

	if (kw->kind != SCN_TOK_NAME) {
		perr(p, kw, "expected a declaration, found %s",
		    tokdesc(p, kw, buf, sizeof buf));
		return;
	}
	next(p);
	if (is_kw(kw, "title")) {
		parse_text(p, kw, &p->file->title);
		return;
	}
	if (is_kw(kw, "about")) {
		parse_text(p, kw, &p->file->about);
		return;
	}
	for (d = 0; d < NWORDS(decls); d++) {
		if (strcmp(kw->str, decls[d].word) == 0) {
			parse_objects(p, kw, d);
			return;
		}
	}
	if (is_kw(kw, "pool")) {
		parse_pool(p, kw);
		return;
	}
	if (is_kw(kw, "int")) {
		parse_globals(p, kw);
		return;
	}
	if (is_kw(kw, "manager")) {
		parse_manager(p, kw);
		return;
	}
	if (is_kw(kw, "thread") || is_kw(kw, "process") || is_kw(kw, "main")) {
		parse_worker(p, kw);
		return;
	}
	if (is_kw(kw, "expect")) {
		parse_expect(p, kw);
		return;
	}
	if (word_in(kw->str, stmt_words, NWORDS(stmt_words)) ||
	    peek(p)->kind == SCN_TOK_ASSIGN || peek(p)->kind == SCN_TOK_PLUSEQ) {
		perr(p, kw, "`%s` must be inside a body: indent it under a "
		    "thread, process, main: or pool line", kw->str);
		return;
	}
	sug = scenario_closest(kw->str, decl_words, NWORDS(decl_words));
	if (sug != NULL)
		perr(p, kw, "unknown declaration `%s`; did you mean `%s`?",
		    kw->str, sug);
	else
		perr(p, kw, "unknown declaration `%s` (a file declares title, "
		    "about, objects such as mutex or queue, thread, process, "
		    "main:, pool and expect)", kw->str);
}

void
scenario_parse(struct scn_file *f, const struct scn_toks *toks,
    struct scn_diags *diags)
{
	struct parser	p;
	size_t		before;

	memset(&p, 0, sizeof p);
	p.file = f;
	p.diags = diags;
	p.toks = toks->v;
	p.n = toks->n;
	while (peek(&p)->kind != SCN_TOK_EOF) {
		p.failed = 0;
		p.edepth = 0;
		switch (peek(&p)->kind) {
		case SCN_TOK_NEWLINE:
		case SCN_TOK_DEDENT:
			next(&p);
			continue;
		case SCN_TOK_INDENT:
			perr(&p, peek(&p), "unexpected indentation: a "
			    "declaration starts at the left margin");
			skip_block(&p);
			continue;
		default:
			break;
		}
		before = p.pos;
		parse_toplevel(&p);
		if (p.failed || p.pos == before)
			sync_line(&p);
	}
}
