/*
 * scenario/catalog.c: find scenario files and their titles (see catalog.h),
 * and `lockstep list`.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "scenario/catalog.h"
#include "util/esc.h"
#include "util/xmalloc.h"

#define CATALOG_SCAN_BYTES	16384	/* title and about are near the top */

/* Copy a "..." or """...""" string starting at p into a new string;
   escapes \" \\ \n are decoded, newlines folded to spaces. */
static char *
catalog_string(const char *p)
{
	const char	*end;
	char		*out, *o;
	int		 triple;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"')
		return (NULL);
	triple = strncmp(p, "\"\"\"", 3) == 0;
	p += triple ? 3 : 1;
	out = o = xmalloc(strlen(p) + 1);
	for (end = p; *end != '\0'; end++) {
		if (triple ? strncmp(end, "\"\"\"", 3) == 0 : *end == '"')
			break;
		if (!triple && *end == '\n')
			break;
		if (*end == '\\' && end[1] != '\0') {
			end++;
			*o++ = *end == 'n' ? ' ' : *end;
		} else
			*o++ = (*end == '\n' || *end == '\t') ? ' ' : *end;
	}
	*o = '\0';
	return (out);
}

/* The first sentence of an about text, trimmed and with runs of spaces
   collapsed. */
static char *
catalog_summary(const char *about)
{
	char		*s, *o;
	const char	*p;

	s = o = xmalloc(strlen(about) + 1);
	for (p = about; *p == ' '; p++)
		;
	for (; *p != '\0'; p++) {
		if (*p == ' ' && (o == s || o[-1] == ' '))
			continue;
		*o++ = *p;
		if (*p == '.' && (p[1] == ' ' || p[1] == '\0'))
			break;
	}
	while (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
	return (s);
}

static void
catalog_read_header(struct catalog_entry *e)
{
	FILE	*f;
	char	*buf, *line, *about;
	size_t	 n;

	e->title = NULL;
	e->summary = NULL;
	if ((f = fopen(e->path, "r")) == NULL)
		goto out;
	buf = xmalloc(CATALOG_SCAN_BYTES + 1);
	n = fread(buf, 1, CATALOG_SCAN_BYTES, f);
	buf[n] = '\0';
	fclose(f);
	for (line = buf; line != NULL && *line != '\0';) {
		if (e->title == NULL && strncmp(line, "title", 5) == 0 &&
		    (line[5] == ' ' || line[5] == '\t'))
			e->title = catalog_string(line + 5);
		else if (e->summary == NULL && strncmp(line, "about", 5) == 0 &&
		    (line[5] == ' ' || line[5] == '\t')) {
			if ((about = catalog_string(line + 5)) != NULL) {
				e->summary = catalog_summary(about);
				free(about);
			}
		}
		if ((line = strchr(line, '\n')) != NULL)
			line++;
	}
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

void
catalog_scan(struct catalog *c)
{
	const char	*env = getenv("LOCKSTEP_SCENARIOS");
	char		*dirs;

	xasprintf(&dirs, "%s%sscenarios:%s/scenarios",
	    env != NULL ? env : "", env != NULL ? ":" : "", PKGDATADIR);
	catalog_scan_dirs(c, dirs);
	free(dirs);
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

/* lockstep list [--paths]: the catalog, one line each. */
int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "paths", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct catalog	 c;
	size_t		 i;
	char		*name;
	int		 ch, paths = 0;

	while ((ch = getopt_long(argc, argv, "ph", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			paths = 1;
			break;
		case 'h':
			printf("Usage: lockstep list [--paths]\n"
			    "List the scenario catalog: name, title and summary "
			    "(with --paths, the file\ninstead of the summary). "
			    "Searched: $LOCKSTEP_SCENARIOS, ./scenarios,\n%s/"
			    "scenarios.\n", PKGDATADIR);
			return (0);
		default:
			fprintf(stderr, "Usage: lockstep list [--paths]\n");
			return (EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "lockstep list: unexpected argument '%s'\n",
		    argv[optind]);
		return (EXIT_USAGE);
	}
	catalog_scan(&c);
	if (c.n == 0) {
		fprintf(stderr, "lockstep list: no scenarios found "
		    "(looked in ./scenarios and %s/scenarios)\n", PKGDATADIR);
		catalog_done(&c);
		return (EXIT_USAGE);
	}
	for (i = 0; i < c.n; i++) {
		/* Names and texts escaped: a title with ESC in it must not
		   reach the terminal raw (util/esc.h). */
		name = esc_str(c.v[i].name);
		printf("%-26s ", name);
		free(name);
		esc_fputs(c.v[i].title, stdout);
		if (paths) {
			fputs("  (", stdout);
			esc_fputs(c.v[i].path, stdout);
			putchar(')');
		} else if (*c.v[i].summary != '\0') {
			fputs(" - ", stdout);
			esc_fputs(c.v[i].summary, stdout);
		}
		putchar('\n');
	}
	catalog_done(&c);
	return (0);
}
