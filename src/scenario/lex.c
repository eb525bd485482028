/*
 * scenario/lex.c: scenario text to tokens.
 *
 * The lexer works as Python's does: at the start of each line that holds
 * something other than blanks and a comment it measures the indentation
 * and emits INDENT when it grew, one DEDENT per block closed when it
 * shrank, and an error when it shrank to a width no enclosing block has.
 * Each non-blank line ends with a NEWLINE token placed just after its last
 * token, which is where "missing `:`" should point.
 *
 * Indentation is spaces or tabs: the first indented line decides which,
 * and a line that uses the other (or both) is an error. Such a line is
 * laid at the current level so the lines after it still parse.
 *
 * A number is digits (with optional `_` between them) and may carry a
 * unit glued to it (`100ms`): the parser decides whether a unit belongs
 * there. Strings are "..." on one line with \" \\ \n \t escapes, or
 * """...""" over several lines, which are de-indented like a Python
 * docstring (inspect.cleandoc).
 *
 * The text was already checked to be UTF-8 without NUL bytes or overlong
 * lines (load.c); columns count bytes from 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parse.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

struct lexer {
	const char		*text;
	size_t			 end;
	size_t			 pos;
	int			 line;
	size_t			 linestart;
	struct scn_diags	*diags;
	struct scn_toks		*out;

	int			 indent[SCN_MAX_INDENT + 1];
	int			 nindent;
	char			 indent_char;	/* ' ' or '\t' once known */
	int			 indent_line;	/* where it was decided */

	int			 line_tokens;	/* tokens on this line */
	int			 last_line, last_col;	/* after last token */
};

static const char *const tok_kind_names[] = {
	[SCN_TOK_EOF] = "end of file",
	[SCN_TOK_NEWLINE] = "end of line",
	[SCN_TOK_INDENT] = "indentation",
	[SCN_TOK_DEDENT] = "end of block",
	[SCN_TOK_NAME] = "name",
	[SCN_TOK_INT] = "number",
	[SCN_TOK_STRING] = "string",
	[SCN_TOK_COLON] = "`:`",
	[SCN_TOK_COMMA] = "`,`",
	[SCN_TOK_LPAREN] = "`(`",
	[SCN_TOK_RPAREN] = "`)`",
	[SCN_TOK_LBRACKET] = "`[`",
	[SCN_TOK_RBRACKET] = "`]`",
	[SCN_TOK_ASSIGN] = "`=`",
	[SCN_TOK_PLUSEQ] = "`+=`",
	[SCN_TOK_MINUSEQ] = "`-=`",
	[SCN_TOK_PLUS] = "`+`",
	[SCN_TOK_MINUS] = "`-`",
	[SCN_TOK_STAR] = "`*`",
	[SCN_TOK_SLASH] = "`/`",
	[SCN_TOK_PERCENT] = "`%`",
	[SCN_TOK_EQ] = "`==`",
	[SCN_TOK_NE] = "`!=`",
	[SCN_TOK_LT] = "`<`",
	[SCN_TOK_LE] = "`<=`",
	[SCN_TOK_GT] = "`>`",
	[SCN_TOK_GE] = "`>=`",
	[SCN_TOK_ERROR] = "error",
};

const char *
scenario_tok_kind_name(enum scn_tok_kind kind)
{
	if ((unsigned)kind >= sizeof tok_kind_names / sizeof tok_kind_names[0])
		return ("token");
	return (tok_kind_names[kind]);
}

static int
lex_col(const struct lexer *lx, size_t pos)
{
	return ((int)(pos - lx->linestart) + 1);
}

static int
lex_peek(const struct lexer *lx, size_t ahead)
{
	if (lx->pos + ahead >= lx->end)
		return (-1);
	return ((unsigned char)lx->text[lx->pos + ahead]);
}

static struct scn_tok *
lex_push(struct lexer *lx, enum scn_tok_kind kind, size_t start, int line,
    int col)
{
	struct scn_tok	*t;

	lx->out->v = scenario_grow(lx->out->v, lx->out->n,
	    sizeof *lx->out->v);
	t = &lx->out->v[lx->out->n++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->off = start;
	t->len = start < lx->pos ? lx->pos - start : 0;
	t->line = line;
	t->col = col;
	if (kind != SCN_TOK_NEWLINE && kind != SCN_TOK_INDENT &&
	    kind != SCN_TOK_DEDENT && kind != SCN_TOK_EOF) {
		lx->line_tokens++;
		lx->last_line = lx->line;
		lx->last_col = lex_col(lx, lx->pos);
	}
	return (t);
}

static int
is_name_start(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_');
}

static int
is_name_char(int c)
{
	return (is_name_start(c) || (c >= '0' && c <= '9'));
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

static void
lex_name(struct lexer *lx)
{
	size_t		 start = lx->pos;
	int		 col = lex_col(lx, start);
	struct scn_tok	*t;

	for (;;) {
		while (lx->pos < lx->end && is_name_char(lex_peek(lx, 0)))
			lx->pos++;
		/* A manager's proxies are dotted: M.value, M.list. */
		if (lx->pos + 1 < lx->end && lex_peek(lx, 0) == '.' &&
		    is_name_start(lex_peek(lx, 1)))
			lx->pos++;
		else
			break;
	}
	t = lex_push(lx, SCN_TOK_NAME, start, lx->line, col);
	t->str = xstrndup(lx->text + start, lx->pos - start);
}

/* Digits with `_` between them, then an optional glued unit. */
static void
lex_number(struct lexer *lx)
{
	size_t		 start = lx->pos, ustart;
	int		 col = lex_col(lx, start), overflow = 0, d;
	uint64_t	 v = 0;
	struct scn_tok	*t;

	for (;;) {
		d = lex_peek(lx, 0);
		if (d == '_' && is_digit(lex_peek(lx, 1))) {
			lx->pos++;
			continue;
		}
		if (!is_digit(d))
			break;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(d - '0')) / 10)
			overflow = 1;
		else
			v = v * 10 + (uint64_t)(d - '0');
		lx->pos++;
	}
	if (lex_peek(lx, 0) == '.' && is_digit(lex_peek(lx, 1))) {
		lx->pos++;
		while (lx->pos < lx->end && is_name_char(lex_peek(lx, 0)))
			lx->pos++;
		scenario_diag_add(lx->diags, lx->line, col, "`%.*s`: numbers "
		    "are whole; for a duration use a smaller unit (1500ms, "
		    "not 1.5s)", (int)(lx->pos - start), lx->text + start);
		lex_push(lx, SCN_TOK_ERROR, start, lx->line, col);
		return;
	}
	ustart = lx->pos;
	while (lx->pos < lx->end && is_name_char(lex_peek(lx, 0)))
		lx->pos++;
	if (overflow) {
		scenario_diag_add(lx->diags, lx->line, col,
		    "number `%.*s` is out of range (the largest is "
		    "9223372036854775807)", (int)(ustart - start),
		    lx->text + start);
		lex_push(lx, SCN_TOK_ERROR, start, lx->line, col);
		return;
	}
	t = lex_push(lx, SCN_TOK_INT, start, lx->line, col);
	t->ival = (int64_t)v;
	if (lx->pos > ustart)
		t->unit = xstrndup(lx->text + ustart, lx->pos - ustart);
}

struct buf {
	char	*s;
	size_t	 n, size;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->size) {
		b->size = (b->n + n + 1) * 2;
		b->s = xreallocarray(b->s, b->size, 1);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/* Leading blanks of a line of text. */
static size_t
blank_prefix(const char *s, size_t n)
{
	size_t	i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return (i);
}

/*
 * De-indent the body of a """ string as Python's inspect.cleandoc: drop a
 * blank first line, remove the common indentation of the following lines,
 * drop trailing blank lines and trailing blanks.
 */
static char *
cleandoc(const char *s)
{
	struct buf	 out = { NULL, 0, 0 };
	const char	*p, *nl;
	size_t		 n, lead, common = (size_t)-1, len;
	int		 first = 1;

	/* Common indentation of every non-blank line after the first. */
	for (p = s; (nl = strchr(p, '\n')) != NULL; ) {
		p = nl + 1;
		len = strcspn(p, "\n");
		lead = blank_prefix(p, len);
		if (lead < len && lead < common)
			common = lead;
	}
	if (common == (size_t)-1)
		common = 0;

	for (p = s; ; first = 0) {
		len = strcspn(p, "\n");
		lead = blank_prefix(p, len);
		if (first) {
			p += lead;
			len -= lead;
		} else if (lead >= common) {
			p += common;
			len -= common;
		} else {
			p += lead;
			len -= lead;
		}
		/* A blank first line is not part of the text. */
		if (!(first && len == 0)) {
			if (out.n > 0 || !first)
				buf_add(&out, "\n", 1);
			buf_add(&out, p, len);
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (out.s == NULL)
		return (xstrdup(""));
	/* Leading newline left by a blank first line, trailing blanks. */
	n = out.n;
	while (n > 0 && (out.s[n - 1] == '\n' || out.s[n - 1] == ' ' ||
	    out.s[n - 1] == '\t'))
		n--;
	out.s[n] = '\0';
	p = out.s;
	while (*p == '\n')
		p++;
	nl = xstrdup(p);
	free(out.s);
	return ((char *)nl);
}

/* A "..." or """...""" string. */
static void
lex_string(struct lexer *lx)
{
	size_t		 start = lx->pos, cstart;
	int		 line = lx->line, col = lex_col(lx, start);
	int		 triple = 0, bad = 0, c, e;
	struct buf	 b = { NULL, 0, 0 };
	struct scn_tok	*t;
	char		 ch;

	if (lex_peek(lx, 1) == '"' && lex_peek(lx, 2) == '"') {
		triple = 1;
		lx->pos += 3;
	} else
		lx->pos++;
	cstart = lx->pos;
	for (;;) {
		c = lex_peek(lx, 0);
		if (c == -1 || (!triple && (c == '\n' || (c == '\r' &&
		    lex_peek(lx, 1) == '\n')))) {
			if (triple) {
				scenario_diag_add(lx->diags, line, col,
				    "unterminated string: no closing `\"\"\"` "
				    "before the end of the file");
			} else {
				scenario_diag_add(lx->diags, line, col,
				    "unterminated string: no closing `\"` on "
				    "this line");
			}
			free(b.s);
			lex_push(lx, SCN_TOK_ERROR, start, line, col);
			return;
		}
		if (c == '"' && (!triple || (lex_peek(lx, 1) == '"' &&
		    lex_peek(lx, 2) == '"')))
			break;
		if (c == '\\') {
			e = lex_peek(lx, 1);
			ch = 0;
			switch (e) {
			case '"':
				ch = '"';
				break;
			case '\\':
				ch = '\\';
				break;
			case 'n':
				ch = '\n';
				break;
			case 't':
				ch = '\t';
				break;
			}
			if (ch == 0) {
				if (!bad) {
					scenario_diag_add(lx->diags, lx->line,
					    lex_col(lx, lx->pos), "unknown "
					    "escape `\\%c` in a string (use "
					    "\\\", \\\\, \\n or \\t)",
					    e >= 0x20 && e < 0x7f ? e : '?');
				}
				bad = 1;
				lx->pos++;
				continue;
			}
			buf_add(&b, &ch, 1);
			lx->pos += 2;
			continue;
		}
		if (c == '\n') {
			lx->line++;
			lx->linestart = lx->pos + 1;
		}
		ch = (char)c;
		if (c != '\r' || lex_peek(lx, 1) != '\n')
			buf_add(&b, &ch, 1);
		lx->pos++;
	}
	lx->pos += triple ? 3 : 1;
	if (bad) {
		free(b.s);
		lex_push(lx, SCN_TOK_ERROR, start, line, col);
		return;
	}
	t = lex_push(lx, SCN_TOK_STRING, start, line, col);
	t->triple = triple;
	t->raw_off = cstart;
	t->raw_len = lx->pos - (triple ? 3 : 1) - cstart;
	if (triple) {
		t->str = cleandoc(b.s != NULL ? b.s : "");
		free(b.s);
	} else
		t->str = b.s != NULL ? b.s : xstrdup("");
}

/* An operator, or an error for a character that has no place here. */
static void
lex_punct(struct lexer *lx)
{
	size_t			 start = lx->pos, n;
	int			 col = lex_col(lx, start);
	int			 c = lex_peek(lx, 0), c1 = lex_peek(lx, 1);
	enum scn_tok_kind	 kind;

	switch (c) {
	case ':': kind = SCN_TOK_COLON; break;
	case ',': kind = SCN_TOK_COMMA; break;
	case '(': kind = SCN_TOK_LPAREN; break;
	case ')': kind = SCN_TOK_RPAREN; break;
	case '[': kind = SCN_TOK_LBRACKET; break;
	case ']': kind = SCN_TOK_RBRACKET; break;
	case '*': kind = SCN_TOK_STAR; break;
	case '/': kind = SCN_TOK_SLASH; break;
	case '%': kind = SCN_TOK_PERCENT; break;
	case '+':
		kind = c1 == '=' ? SCN_TOK_PLUSEQ : SCN_TOK_PLUS;
		break;
	case '-':
		kind = c1 == '=' ? SCN_TOK_MINUSEQ : SCN_TOK_MINUS;
		break;
	case '=':
		kind = c1 == '=' ? SCN_TOK_EQ : SCN_TOK_ASSIGN;
		break;
	case '<':
		kind = c1 == '=' ? SCN_TOK_LE : SCN_TOK_LT;
		break;
	case '>':
		kind = c1 == '=' ? SCN_TOK_GE : SCN_TOK_GT;
		break;
	case '!':
		if (c1 == '=') {
			kind = SCN_TOK_NE;
			break;
		}
		scenario_diag_add(lx->diags, lx->line, col,
		    "unexpected `!`: write `not` (or `!=` to compare)");
		goto bad;
	case '&':
		scenario_diag_add(lx->diags, lx->line, col,
		    "unexpected `&`: write `and`");
		goto bad;
	case '|':
		scenario_diag_add(lx->diags, lx->line, col,
		    "unexpected `|`: write `or`");
		goto bad;
	case '\'':
		scenario_diag_add(lx->diags, lx->line, col,
		    "unexpected `'`: strings use double quotes (\"...\")");
		goto bad;
	default:
		if (c >= 0x80) {
			/* The loader let only valid UTF-8 through; a byte
			   that starts none is shown alone all the same. */
			if ((n = utf8_decode((const unsigned char *)lx->text +
			    lx->pos, lx->end - lx->pos, NULL)) == 0)
				n = 1;
			scenario_diag_add(lx->diags, lx->line, col,
			    "unexpected character `%.*s`", (int)n,
			    lx->text + lx->pos);
			lx->pos += n;
			lex_push(lx, SCN_TOK_ERROR, start, lx->line, col);
			return;
		}
		if (c < 0x20 || c == 0x7f) {
			scenario_diag_add(lx->diags, lx->line, col,
			    "unexpected control character 0x%02x", c);
		} else {
			scenario_diag_add(lx->diags, lx->line, col,
			    "unexpected character `%c`", c);
		}
		goto bad;
	}
	lx->pos++;
	if (kind == SCN_TOK_PLUSEQ || kind == SCN_TOK_MINUSEQ ||
	    kind == SCN_TOK_EQ || kind == SCN_TOK_LE || kind == SCN_TOK_GE ||
	    kind == SCN_TOK_NE)
		lx->pos++;
	lex_push(lx, kind, start, lx->line, col);
	return;
bad:
	lx->pos++;
	lex_push(lx, SCN_TOK_ERROR, start, lx->line, col);
}

/* One token that is not a blank, comment or newline. */
static void
lex_token(struct lexer *lx)
{
	int	c = lex_peek(lx, 0);

	if (is_name_start(c))
		lex_name(lx);
	else if (is_digit(c))
		lex_number(lx);
	else if (c == '"')
		lex_string(lx);
	else
		lex_punct(lx);
}

static void
lex_levels(const struct lexer *lx, char *buf, size_t size)
{
	int	i;
	size_t	used = 0;

	buf[0] = '\0';
	for (i = 0; i < lx->nindent && used < size; i++) {
		used += (size_t)snprintf(buf + used, size - used, "%s%d",
		    i == 0 ? "" : (i == lx->nindent - 1 ? " or " : ", "),
		    lx->indent[i]);
	}
}

/*
 * The indentation of a line that has a token on it: emit INDENT/DEDENT.
 * pos is at the first non-blank character.
 */
static void
lex_indent(struct lexer *lx, size_t first)
{
	size_t		 i;
	int		 spaces = 0, tabs = 0, width, bad = 0, top;
	int		 line = lx->line, col;
	char		 levels[128];
	const char	*unit;

	for (i = lx->linestart; i < first; i++) {
		if (lx->text[i] == ' ')
			spaces++;
		else if (lx->text[i] == '\t')
			tabs++;
	}
	width = spaces + tabs;
	if (spaces > 0 && tabs > 0) {
		for (i = lx->linestart + 1; i < first; i++) {
			if (lx->text[i] != lx->text[lx->linestart])
				break;
		}
		scenario_diag_add(lx->diags, line, lex_col(lx, i),
		    "indentation mixes tabs and spaces");
		bad = 1;
	} else if (width > 0) {
		char	c = spaces > 0 ? ' ' : '\t';

		if (lx->indent_char == 0) {
			lx->indent_char = c;
			lx->indent_line = line;
		} else if (c != lx->indent_char) {
			scenario_diag_add(lx->diags, line, 1,
			    "this line is indented with %s, but the file "
			    "indents with %s (since line %d): do not mix tabs "
			    "and spaces", c == ' ' ? "spaces" : "tabs",
			    c == ' ' ? "tabs" : "spaces", lx->indent_line);
			bad = 1;
		}
	}
	top = lx->indent[lx->nindent - 1];
	if (bad) {
		/* Lay the line where it most likely belongs: first line of a
		   block just opened by a header ending in ':', or else the
		   current block, so the lines after it still parse. */
		if (lx->out->n >= 2 &&
		    lx->out->v[lx->out->n - 1].kind == SCN_TOK_NEWLINE &&
		    lx->out->v[lx->out->n - 2].kind == SCN_TOK_COLON)
			width = top + 1;
		else
			width = top;
	}
	col = width + 1;

	if (width > top) {
		if (lx->nindent == SCN_MAX_INDENT + 1) {
			scenario_diag_add(lx->diags, line, col,
			    "blocks nested too deeply (the limit is %d)",
			    SCN_MAX_DEPTH);
			return;
		}
		lx->indent[lx->nindent++] = width;
		lex_push(lx, SCN_TOK_INDENT, first, line, col);
		return;
	}
	if (width == top)
		return;
	lex_levels(lx, levels, sizeof levels);
	while (lx->nindent > 1 && lx->indent[lx->nindent - 1] > width) {
		lx->nindent--;
		lex_push(lx, SCN_TOK_DEDENT, first, line, col);
	}
	if (lx->indent[lx->nindent - 1] != width) {
		unit = lx->indent_char == '\t' ? "tabs" : "spaces";
		scenario_diag_add(lx->diags, line, col, "inconsistent dedent: "
		    "this line is indented by %d %s, which matches no enclosing "
		    "block (they are at %s)", width, unit, levels);
	}
}

static void
lex_newline(struct lexer *lx)
{
	if (lx->line_tokens > 0) {
		lex_push(lx, SCN_TOK_NEWLINE, lx->pos, lx->last_line,
		    lx->last_col);
	}
	lx->line_tokens = 0;
}

void
scenario_lex(const char *text, size_t len, struct scn_diags *diags,
    struct scn_toks *out)
{
	struct lexer	 lx;
	int		 c, at_start = 1;
	size_t		 p;

	memset(&lx, 0, sizeof lx);
	lx.text = text;
	lx.end = len;
	lx.line = 1;
	lx.diags = diags;
	lx.out = out;
	lx.nindent = 1;
	/* A UTF-8 byte order mark, as some editors write: not text. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		lx.pos = lx.linestart = 3;

	for (;;) {
		if (at_start) {
			at_start = 0;
			p = lx.pos;
			while (p < lx.end && (text[p] == ' ' || text[p] == '\t'))
				p++;
			if (p < lx.end && text[p] != '#' && text[p] != '\n' &&
			    !(text[p] == '\r' && (p + 1 == lx.end ||
			    text[p + 1] == '\n')))
				lex_indent(&lx, p);
			lx.pos = p;
		}
		c = lex_peek(&lx, 0);
		if (c == -1)
			break;
		if (c == ' ' || c == '\t' || c == '\r') {
			lx.pos++;
			continue;
		}
		if (c == '#') {
			while (lx.pos < lx.end && text[lx.pos] != '\n')
				lx.pos++;
			continue;
		}
		if (c == '\n') {
			lex_newline(&lx);
			lx.pos++;
			lx.line++;
			lx.linestart = lx.pos;
			at_start = 1;
			continue;
		}
		lex_token(&lx);
	}
	lex_newline(&lx);
	while (lx.nindent > 1) {
		lx.nindent--;
		lex_push(&lx, SCN_TOK_DEDENT, lx.pos, lx.line,
		    lex_col(&lx, lx.pos));
	}
	lex_push(&lx, SCN_TOK_EOF, lx.pos, lx.line, lex_col(&lx, lx.pos));
}

void
scenario_lex_inline(const char *text, size_t off, size_t end, int line,
    int col, struct scn_diags *diags, struct scn_toks *out)
{
	struct lexer	lx;
	int		c;

	memset(&lx, 0, sizeof lx);
	lx.text = text;
	lx.pos = off;
	lx.end = end;
	lx.line = line;
	/* So that lex_col(off) == col. */
	lx.linestart = off - (size_t)(col - 1);
	lx.diags = diags;
	lx.out = out;
	lx.nindent = 1;
	while ((c = lex_peek(&lx, 0)) != -1) {
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			lx.pos++;
			continue;
		}
		lex_token(&lx);
	}
	lex_push(&lx, SCN_TOK_NEWLINE, lx.pos, lx.line, lex_col(&lx, lx.pos));
	lex_push(&lx, SCN_TOK_EOF, lx.pos, lx.line, lex_col(&lx, lx.pos));
}

void
scenario_toks_free(struct scn_toks *toks)
{
	size_t	i;

	for (i = 0; i < toks->n; i++) {
		free(toks->v[i].str);
		free(toks->v[i].unit);
	}
	free(toks->v);
	toks->v = NULL;
	toks->n = 0;
}
