/*
 * scenario/diag.c: collecting and printing scenario errors.
 *
 * Every stage (byte checks, lexer, parser, validator) adds to one list.
 * Only the first error of each line is kept: a line that is wrong usually
 * yields several echoes of the same mistake, and the second is noise. The
 * list is capped so a binary file fed to `lockstep check` ends quickly, and
 * sorted into file order before anyone sees it.
 *
 * Printing follows gcc: "path:line:col: error: message", then the line
 * with a gutter and a caret under the column. The caret line copies tabs
 * and pads each other character by its display width (util/utf8.h) so it
 * lines up with the text above, wide Korean or CJK characters included.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parse.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

void
scenario_diag_add(struct scn_diags *d, int line, int col, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*msg;

	if (d->n > SCN_MAX_ERRORS)
		return;
	if (line > 0 && scenario_diag_has_line(d, line))
		return;
	if (d->n == SCN_MAX_ERRORS) {
		msg = xstrdup("too many errors; stopping here");
		line = col = 0;
	} else {
		va_start(ap, fmt);
		if (vasprintf(&msg, fmt, ap) == -1)
			msg = xstrdup("error (out of memory formatting it)");
		va_end(ap);
	}
	d->v = xreallocarray(d->v, d->n + 1, sizeof *d->v);
	d->v[d->n].line = line;
	d->v[d->n].col = col;
	d->v[d->n].message = msg;
	d->n++;
}

int
scenario_diag_has_line(const struct scn_diags *d, int line)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		if (d->v[i].line == line)
			return (1);
	}
	return (0);
}

int
scenario_diag_wanted(const struct scn_diags *d, int line)
{
	return (d->n < SCN_MAX_ERRORS && !scenario_diag_has_line(d, line));
}

void *
scenario_grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return (xreallocarray(v, 1, size));
	if ((n & (n - 1)) == 0)
		return (xreallocarray(v, n * 2, size));
	return (v);
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct scn_diag	*x = a, *y = b;

	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	if (x->col != y->col)
		return (x->col < y->col ? -1 : 1);
	return (0);
}

/* File order; "too many errors" stays last whatever its line. */
void
scenario_diags_sort(struct scn_diags *d)
{
	size_t	n = d->n;

	if (n > SCN_MAX_ERRORS)
		n = SCN_MAX_ERRORS;
	if (n > 1)
		qsort(d->v, n, sizeof *d->v, diag_cmp);
}

void
scenario_diags_done(struct scn_diags *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->v[i].message);
	free(d->v);
	free(d->source);
	d->v = NULL;
	d->n = 0;
	d->source = NULL;
}

/* Start of line (1-based) in source and its length, or NULL. */
static const char *
diag_line(const char *source, int line, size_t *len)
{
	const char	*p = source, *nl;
	int		 n = 1;

	if (source == NULL || line < 1)
		return (NULL);
	while (n < line) {
		if ((nl = strchr(p, '\n')) == NULL)
			return (NULL);
		p = nl + 1;
		n++;
	}
	if (*p == '\0')
		return (NULL);
	if (line == 1 && strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* the byte order mark the lexer skipped */
	*len = strcspn(p, "\n");
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return (p);
}

void
scenario_diags_print(const struct scn_diags *d, const char *path,
    const char *source, void *stdio_file)
{
	FILE		*f = stdio_file;
	const char	*text;
	size_t		 i, j, len, n;
	uint32_t	 cp;
	unsigned char	 c;
	int		 width;
	char		 gutter[16];

	if (source == NULL)
		source = d->source;
	for (i = 0; i < d->n; i++) {
		const struct scn_diag	*e = &d->v[i];

		if (e->line <= 0) {
			fprintf(f, "%s: error: %s\n", path, e->message);
			continue;
		}
		fprintf(f, "%s:%d:%d: error: %s\n", path, e->line, e->col,
		    e->message);
		/* A line too long to read is not worth printing. */
		if ((text = diag_line(source, e->line, &len)) == NULL ||
		    len > 1024)
			continue;
		width = snprintf(gutter, sizeof gutter, "%5d", e->line);
		fprintf(f, "%s | ", gutter);
		for (j = 0; j < len; j++) {
			c = (unsigned char)text[j];
			/* Keep the terminal sane: no raw control bytes. */
			if (c == '\t' || (c >= 0x20 && c != 0x7f))
				fputc(c, f);
			else
				fputc('?', f);
		}
		fprintf(f, "\n%*s | ", width, "");
		/* Columns count bytes; the caret goes under the character at
		   that byte, by display width (a Hangul syllable takes two
		   cells, a combining mark none). */
		for (j = 0; j + 1 < (size_t)e->col && j < len; j += n) {
			if (text[j] == '\t') {
				fputc('\t', f);
				n = 1;
				continue;
			}
			if ((n = utf8_decode((const unsigned char *)text + j,
			    len - j, &cp)) == 0) {
				n = 1;
				cp = '?';
			}
			fprintf(f, "%*s", utf8_cp_width(cp), "");
		}
		fputs("^\n", f);
	}
}
