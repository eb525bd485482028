/*
 * scenario/ast.c: freeing the AST and finding source lines.
 *
 * A scn_file owns everything below it: strings, expressions, statements,
 * its copy of the source and the table of line starts that makes
 * scenario_line() a lookup (the live view asks for lines every frame).
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/parse.h"
#include "util/xmalloc.h"

void
scenario_expr_free(struct scn_expr *e)
{
	if (e == NULL)
		return;
	scenario_expr_free(e->left);
	scenario_expr_free(e->right);
	free(e->name);
	free(e);
}

void
scenario_block_free(struct scn_block *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		scenario_stmt_free(b->v[i]);
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

void
scenario_stmt_free(struct scn_stmt *s)
{
	size_t	i;

	if (s == NULL)
		return;
	free(s->note);
	free(s->target);
	scenario_expr_free(s->index);
	free(s->var);
	scenario_expr_free(s->value);
	scenario_expr_free(s->priority);
	scenario_expr_free(s->cond);
	scenario_expr_free(s->duration);
	free(s->text);
	for (i = 0; i < s->nparts; i++) {
		free(s->parts[i].literal);
		scenario_expr_free(s->parts[i].expr);
	}
	free(s->parts);
	scenario_block_free(&s->body);
	scenario_block_free(&s->orelse);
	free(s);
}

void
scenario_free(struct scn_file *f)
{
	size_t	i;
	int	j;

	if (f == NULL)
		return;
	for (i = 0; i < f->nobjects; i++) {
		free(f->objects[i].name);
		free(f->objects[i].lock_name);
		free(f->objects[i].replies);
		scenario_block_free(&f->objects[i].body);
	}
	free(f->objects);
	for (i = 0; i < f->nglobals; i++)
		free(f->globals[i].name);
	free(f->globals);
	for (i = 0; i < f->nworkers; i++) {
		free(f->workers[i].name);
		scenario_block_free(&f->workers[i].body);
		for (j = 0; j < f->workers[i].nvars; j++)
			free(f->workers[i].vars[j]);
	}
	free(f->workers);
	for (i = 0; i < f->nexpects; i++) {
		free(f->expects[i].name);
		free(f->expects[i].name2);
		free(f->expects[i].text);
	}
	free(f->expects);
	free(f->path);
	free(f->source);
	free(f->title);
	free(f->about);
	free(f->line_off);
	free(f);
}

const char *
scenario_line(const struct scn_file *f, int line, size_t *len)
{
	size_t	start, end;

	if (f == NULL || line < 1 || line > f->nlines)
		return (NULL);
	start = f->line_off[line - 1];
	if (line < f->nlines)
		end = f->line_off[line] - 1;	/* the '\n' */
	else
		end = f->source_len;
	if (end > start && f->source[end - 1] == '\r')
		end--;
	if (len != NULL)
		*len = end - start;
	return (f->source + start);
}
