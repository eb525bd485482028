/*
 * scenario/load.c: reading a scenario file and running the pipeline.
 *
 * scenario_load() reads the file (refusing directories, unreadable files
 * and anything over 1 MiB with the system's own words), and
 * scenario_load_text() checks the raw bytes before any lexing: no NUL
 * byte, valid UTF-8 (the position of the first bad byte is reported) and
 * no line over 4096 bytes. Text that passes goes through the lexer,
 * parser and validator; a file with any error is freed and NULL returned,
 * the errors sorted into file order in diags, with a copy of the text in
 * diags->source so a caller can print them with context.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/catalog.h"
#include "scenario/parse.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Line starts, and the byte checks; 0 if the text may be lexed. */
static int
load_check_bytes(struct scn_file *f, struct scn_diags *diags)
{
	const unsigned char	*s = (const unsigned char *)f->source;
	size_t			 n = f->source_len, i = 0, k, start = 0;
	int			 line = 1, bad = 0, enc = 0;

	f->line_off = xmalloc(sizeof *f->line_off);
	f->line_off[0] = 0;
	f->nlines = n > 0 ? 1 : 0;
	while (i < n) {
		if (s[i] == '\n') {
			if (i - start > SCN_MAX_LINE) {
				scenario_diag_add(diags, line, SCN_MAX_LINE + 1,
				    "line is too long: %zu bytes (the limit is "
				    "%d)", i - start, SCN_MAX_LINE);
				bad = 1;
			}
			i++;
			line++;
			start = i;
			if (i < n) {
				f->line_off = scenario_grow(f->line_off,
				    (size_t)f->nlines, sizeof *f->line_off);
				f->line_off[f->nlines++] = i;
			}
			continue;
		}
		if (enc) {
			i++;
			continue;
		}
		if (s[i] == '\0') {
			scenario_diag_add(diags, line, (int)(i - start) + 1,
			    "NUL byte in the file: is this a binary file?");
			bad = enc = 1;
			i++;
			continue;
		}
		if ((k = utf8_decode(s + i, n - i, NULL)) == 0) {
			scenario_diag_add(diags, line, (int)(i - start) + 1,
			    "invalid UTF-8: byte 0x%02x is not valid here "
			    "(scenario files are UTF-8 text)", s[i]);
			bad = enc = 1;
			i++;
			continue;
		}
		i += k;
	}
	if (n - start > SCN_MAX_LINE) {
		scenario_diag_add(diags, line, SCN_MAX_LINE + 1, "line is too "
		    "long: %zu bytes (the limit is %d)", n - start,
		    SCN_MAX_LINE);
		bad = 1;
	}
	return (bad ? -1 : 0);
}

/* Nothing but blanks and comments. */
static int
load_is_empty(const struct scn_toks *toks)
{
	size_t	i;

	for (i = 0; i < toks->n; i++) {
		if (toks->v[i].kind != SCN_TOK_NEWLINE &&
		    toks->v[i].kind != SCN_TOK_EOF &&
		    toks->v[i].kind != SCN_TOK_INDENT &&
		    toks->v[i].kind != SCN_TOK_DEDENT)
			return (0);
	}
	return (1);
}

static int
load_has_workers(const struct scn_file *f)
{
	size_t	i;

	if (f->nworkers > 0)
		return (1);
	for (i = 0; i < f->nobjects; i++) {
		if (f->objects[i].kind == TRACE_OBJ_POOL)
			return (1);
	}
	return (0);
}

static struct scn_file *
load_finish(struct scn_file *f, struct scn_diags *diags, size_t before)
{
	if (diags->n == before)
		return (f);
	scenario_diags_sort(diags);
	free(diags->source);
	diags->source = xstrdup(f->source);
	scenario_free(f);
	return (NULL);
}

struct scn_file *
scenario_load_text(const char *path, const char *text, size_t len,
    struct scn_diags *diags)
{
	struct scn_diags	 own = { NULL, 0, NULL };
	struct scn_file		*f;
	struct scn_toks		 toks = { NULL, 0 };
	size_t			 before;

	if (diags == NULL)
		diags = &own;
	before = diags->n;
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path != NULL ? path : "-");
	f->source = xmalloc(len + 1);
	if (len > 0)
		memcpy(f->source, text, len);
	f->source[len] = '\0';
	f->source_len = len;

	if (len > SCN_MAX_FILE) {
		scenario_diag_add(diags, 0, 0, "file is too big: %zu bytes "
		    "(the limit is 1 MiB)", len);
		f = load_finish(f, diags, before);
		scenario_diags_done(&own);
		return (f);
	}
	if (load_check_bytes(f, diags) != 0) {
		f = load_finish(f, diags, before);
		scenario_diags_done(&own);
		return (f);
	}
	scenario_lex(f->source, len, diags, &toks);
	if (diags->n == before && load_is_empty(&toks)) {
		scenario_diag_add(diags, 1, 1, "empty file: a scenario needs "
		    "at least one worker (a thread, process, main: or pool "
		    "block)");
	} else {
		scenario_parse(f, &toks, diags);
		scenario_validate(f, diags);
		if (diags->n == before && !load_has_workers(f))
			scenario_diag_add(diags, 1, 1, "no workers: a scenario "
			    "needs at least one thread, process, main: or pool "
			    "block");
	}
	scenario_toks_free(&toks);
	f = load_finish(f, diags, before);
	scenario_diags_done(&own);
	return (f);
}

struct scn_file *
scenario_load(const char *path, struct scn_diags *diags)
{
	struct scn_diags	 own = { NULL, 0, NULL };
	struct scn_file		*f;
	struct stat		 sb;
	char			*buf = NULL, *found = NULL;
	size_t			 len = 0, size = 0;
	ssize_t			 n;
	int			 fd, error = 0;

	if (diags == NULL)
		diags = &own;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 && errno == ENOENT &&
	    (found = catalog_find(path)) != NULL) {
		/* Not a file here, but a catalog scenario of that name. */
		fd = open(found, O_RDONLY | O_CLOEXEC);
		path = found;
	}
	if (fd == -1) {
		error = errno;
		scenario_diag_add(diags, 0, 0, "cannot open: %s%s",
		    strerror(error), error == ENOENT && strchr(path, '/') ==
		    NULL ? " (and no catalog scenario has that name: see "
		    "'lockstep list')" : "");
		free(found);
		scenario_diags_done(&own);
		return (NULL);
	}
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode))
		error = EISDIR;
	else if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size > SCN_MAX_FILE) {
		scenario_diag_add(diags, 0, 0, "file is too big: %lld bytes "
		    "(the limit is 1 MiB)", (long long)sb.st_size);
		close(fd);
		free(found);
		scenario_diags_done(&own);
		return (NULL);
	}
	/* Read at most one byte past the limit: enough to refuse it. */
	while (error == 0 && len <= SCN_MAX_FILE) {
		if (len == size) {
			size = size == 0 ? 8192 : size * 2;
			buf = xreallocarray(buf, size, 1);
		}
		n = read(fd, buf + len, size - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			error = errno;
		} else if (n == 0)
			break;
		else
			len += (size_t)n;
	}
	close(fd);
	if (error != 0) {
		scenario_diag_add(diags, 0, 0, "cannot read: %s",
		    strerror(error));
		free(buf);
		free(found);
		scenario_diags_done(&own);
		return (NULL);
	}
	f = scenario_load_text(path, buf != NULL ? buf : "", len, diags);
	free(buf);
	free(found);
	scenario_diags_done(&own);
	return (f);
}
