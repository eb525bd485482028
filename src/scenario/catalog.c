/*
 * scenario/catalog.c: find scenario files and their titles (see catalog.h);
 * `lockstep list` prints them (cli/list-cmd.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/catalog.h"
#include "scenario/parse.h"
#include "util/xmalloc.h"

/* Collapse runs of white space (newlines and tabs included) to one space
   and trim the ends, in place. */
static void
catalog_squeeze(char *s)
{
	char	*o = s, *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
		if (*p == ' ' && (o == s || o[-1] == ' '))
			continue;
		*o++ = *p;
	}
	while (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

/* The first sentence of an about text. */
static char *
catalog_summary(const char *about)
{
	char	*s = xstrdup(about), *p;

	catalog_squeeze(s);
	for (p = s; *p != '\0'; p++) {
		if (*p == '.' && (p[1] == ' ' || p[1] == '\0')) {
			p[1] = '\0';
			break;
		}
	}
	return (s);
}

/*
 * Title and summary from the real lexer's tokens: a `title` or `about`
 * name at the start of a top-level line followed by a string. So a line
 * reading title "..." inside an about """...""" block is string content,
 * not a title, and escapes are decoded exactly as the parser does. Lexing
 * errors are ignored here: one broken file still gets listed (by name).
 */
static void
catalog_read_header(struct catalog_entry *e)
{
	struct scn_diags	 diags = { NULL, 0, NULL };
	struct scn_toks		 toks = { NULL, 0 };
	const struct scn_tok	*t;
	FILE			*f;
	char			*buf;
	size_t			 n, i;
	int			 depth = 0, bol = 1;

	e->title = NULL;
	e->summary = NULL;
	if ((f = fopen(e->path, "r")) == NULL)
		goto out;
	buf = xmalloc(SCN_MAX_FILE + 1);
	n = fread(buf, 1, SCN_MAX_FILE, f);
	buf[n] = '\0';
	fclose(f);
	scenario_lex(buf, n, &diags, &toks);
	for (i = 0; i < toks.n; i++) {
		t = &toks.v[i];
		if (t->kind == SCN_TOK_INDENT)
			depth++;
		else if (t->kind == SCN_TOK_DEDENT)
			depth--;
		if (t->kind == SCN_TOK_NEWLINE || t->kind == SCN_TOK_INDENT ||
		    t->kind == SCN_TOK_DEDENT) {
			bol = 1;
			continue;
		}
		if (bol && depth == 0 && t->kind == SCN_TOK_NAME &&
		    i + 1 < toks.n && toks.v[i + 1].kind == SCN_TOK_STRING &&
		    toks.v[i + 1].str != NULL) {
			if (e->title == NULL && strcmp(t->str, "title") == 0) {
				e->title = xstrdup(toks.v[i + 1].str);
				catalog_squeeze(e->title);
			} else if (e->summary == NULL &&
			    strcmp(t->str, "about") == 0)
				e->summary = catalog_summary(toks.v[i + 1].str);
		}
		bol = 0;
	}
	scenario_toks_free(&toks);
	scenario_diags_done(&diags);
	free(buf);
out:
	if (e->title == NULL)
		e->title = xstrdup(e->name);
	if (e->summary == NULL)
		e->summary = xstrdup("");
}

static int
catalog_has(const struct catalog *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].name, name) == 0)
			return (1);
	}
	return (0);
}

static void
catalog_scan_dir(struct catalog *c, const char *dir)
{
	DIR			*d;
	struct dirent		*de;
	struct catalog_entry	*e;
	size_t			 len;
	char			*name;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 4, ".scn") != 0)
			continue;
		name = xstrndup(de->d_name, len - 4);
		if (catalog_has(c, name)) {
			free(name);
			continue;
		}
		c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
		e = &c->v[c->n++];
		e->name = name;
		xasprintf(&e->path, "%s/%s", dir, de->d_name);
		catalog_read_header(e);
	}
	closedir(d);
}

static int
catalog_cmp(const void *a, const void *b)
{
	const struct catalog_entry	*ea = a, *eb = b;

	return (strcmp(ea->name, eb->name));
}

void
catalog_scan_dirs(struct catalog *c, const char *dirs)
{
	char	*copy, *dir, *next;

	c->v = NULL;
	c->n = 0;
	copy = xstrdup(dirs);
	for (dir = copy; dir != NULL; dir = next) {
		if ((next = strchr(dir, ':')) != NULL)
			*next++ = '\0';
		if (*dir != '\0')
			catalog_scan_dir(c, dir);
	}
	free(copy);
	if (c->n > 1)
		qsort(c->v, c->n, sizeof *c->v, catalog_cmp);
}

char *
catalog_dirs(void)
{
	const char	*env = getenv("LOCKSTEP_SCENARIOS");
	const char	*xdg = getenv("XDG_DATA_HOME");
	const char	*home = getenv("HOME");
	char		*user = NULL, *dirs;

	/* XDG: an unset or relative XDG_DATA_HOME means ~/.local/share. */
	if (xdg != NULL && *xdg == '/')
		xasprintf(&user, "%s/lockstep/scenarios:", xdg);
	else if (home != NULL && *home == '/')
		xasprintf(&user, "%s/.local/share/lockstep/scenarios:", home);
	xasprintf(&dirs, "%s%sscenarios:%s%s/scenarios",
	    env != NULL ? env : "", env != NULL ? ":" : "",
	    user != NULL ? user : "", PKGDATADIR);
	free(user);
	return (dirs);
}

void
catalog_scan(struct catalog *c)
{
	char	*dirs = catalog_dirs();

	catalog_scan_dirs(c, dirs);
	free(dirs);
}

char *
catalog_find(const char *name)
{
	struct catalog	 c;
	char		*want, *path = NULL;
	size_t		 i, len = strlen(name);

	if (len == 0 || strchr(name, '/') != NULL)
		return (NULL);
	if (len > 4 && strcmp(name + len - 4, ".scn") == 0)
		want = xstrndup(name, len - 4);
	else
		want = xstrdup(name);
	catalog_scan(&c);
	for (i = 0; i < c.n; i++) {
		if (strcmp(c.v[i].name, want) == 0) {
			path = xstrdup(c.v[i].path);
			break;
		}
	}
	catalog_done(&c);
	free(want);
	return (path);
}

void
catalog_done(struct catalog *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].name);
		free(c->v[i].title);
		free(c->v[i].summary);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}
