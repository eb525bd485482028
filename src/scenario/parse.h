/*
 * scenario/parse.h: internals shared by the lexer, parser, validator and
 * loader of the scenario language. Nothing outside src/scenario/ includes
 * this; the public interface is ast.h.
 *
 * The pipeline is: load.c checks the raw bytes (size, UTF-8, line length),
 * lex.c turns the text into tokens with Python-style INDENT / DEDENT /
 * NEWLINE tokens, parse.c builds the AST from them, validate.c resolves
 * names and checks kinds. Every stage adds to one scn_diags and keeps going
 * after an error; at most one error is kept per line, so one mistake does
 * not bury the next one under its echoes.
 */
#ifndef LOCKSTEP_SCENARIO_PARSE_H
#define LOCKSTEP_SCENARIO_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/ast.h"

/* Limits of the language; the reference (doc/scenario-language.md) lists
   them too. */
#define SCN_MAX_FILE		(1024 * 1024)	/* bytes */
#define SCN_MAX_LINE		4096		/* bytes per line */
#define SCN_MAX_ERRORS		50		/* then "too many errors" */
#define SCN_MAX_DEPTH		32		/* nested blocks */
#define SCN_MAX_INDENT		100		/* indentation levels the
						   lexer tracks (bounds the
						   parser's recursion) */
#define SCN_MAX_EXPR_DEPTH	64		/* nested sub-expressions */

enum scn_tok_kind {
	SCN_TOK_EOF,
	SCN_TOK_NEWLINE,
	SCN_TOK_INDENT,
	SCN_TOK_DEDENT,
	SCN_TOK_NAME,		/* str */
	SCN_TOK_INT,		/* ival; unit (e.g. "ms") or NULL */
	SCN_TOK_STRING,		/* str decoded; raw_off/raw_len = content */
	SCN_TOK_COLON,
	SCN_TOK_COMMA,
	SCN_TOK_LPAREN,
	SCN_TOK_RPAREN,
	SCN_TOK_LBRACKET,
	SCN_TOK_RBRACKET,
	SCN_TOK_ASSIGN,		/* = */
	SCN_TOK_PLUSEQ,		/* += */
	SCN_TOK_MINUSEQ,	/* -= */
	SCN_TOK_PLUS,
	SCN_TOK_MINUS,
	SCN_TOK_STAR,
	SCN_TOK_SLASH,
	SCN_TOK_PERCENT,
	SCN_TOK_EQ,		/* == */
	SCN_TOK_NE,		/* != */
	SCN_TOK_LT,
	SCN_TOK_LE,
	SCN_TOK_GT,
	SCN_TOK_GE,
	SCN_TOK_ERROR		/* a bad token, already reported */
};

struct scn_tok {
	enum scn_tok_kind	 kind;
	int			 line, col;
	size_t			 off, len;	/* source span */
	int64_t			 ival;
	char			*str;		/* NAME, STRING */
	char			*unit;		/* INT: letters right after it */
	int			 triple;	/* STRING: """...""" */
	size_t			 raw_off, raw_len;	/* STRING content */
};

struct scn_toks {
	struct scn_tok	*v;
	size_t		 n;
};

/* diag.c */
void	scenario_diag_add(struct scn_diags *, int line, int col,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int	scenario_diag_has_line(const struct scn_diags *, int line);
void	scenario_diags_sort(struct scn_diags *);
/* Whether an error at line would be kept (not capped, line not taken):
   lets costly messages (suggestions) be skipped when they would not be. */
int	scenario_diag_wanted(const struct scn_diags *, int line);
/* Growth for arrays that keep no capacity: room for n + 1 elements when
   n is 0 or a power of two (the array then doubles). */
void	*scenario_grow(void *, size_t n, size_t size);

/* lex.c: the whole text into tokens. Errors go to diags; bad tokens
   become SCN_TOK_ERROR. */
void	scenario_lex(const char *text, size_t len, struct scn_diags *,
	    struct scn_toks *);
/* Tokens of text[off, end) with no indentation or newline handling (the
   {EXPR} parts of a print string); ends with NEWLINE and EOF. */
void	scenario_lex_inline(const char *text, size_t off, size_t end,
	    int line, int col, struct scn_diags *, struct scn_toks *);
void	scenario_toks_free(struct scn_toks *);
const char *scenario_tok_kind_name(enum scn_tok_kind);

/* parse.c: tokens into file's objects, workers and expects. */
void	scenario_parse(struct scn_file *, const struct scn_toks *,
	    struct scn_diags *);

/* validate.c: resolve names, number variables, check kinds and the
   statically visible lock misuse. */
void	scenario_validate(struct scn_file *, struct scn_diags *);

/* Helpers shared by parse.c and validate.c (validate.c). */
int	scenario_keyword(const char *);
const char *scenario_kind_article(enum trace_obj_kind);
const char *scenario_kind_name(enum trace_obj_kind);
/* The closest of names[0..n) to name, or NULL if none is close. */
const char *scenario_closest(const char *name, const char *const *names,
	    size_t n);

/* ast.c: freeing nodes. */
void	scenario_expr_free(struct scn_expr *);
void	scenario_stmt_free(struct scn_stmt *);
void	scenario_block_free(struct scn_block *);

#endif
