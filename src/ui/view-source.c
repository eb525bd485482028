/*
 * ui/view-source.c: the scenario's text with every worker's current line.
 *
 * Like a debugger with several cursors: a marker in the gutter, the line
 * in bold, and at the right end one tag per worker on that line in the
 * worker's state colour ("◀t1 ◀t2"). While following, the view scrolls
 * so that the line of the worker stepped last (or the first marked line)
 * stays in view; scrolling by hand stops following until the next step.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

/* Line the view should keep in sight: the last stepped worker's, else the
   first line with a live worker. */
static int
source_target(const struct ui *ui)
{
	const struct model_worker	*mw;
	size_t				 w;
	int				 best = 0;

	if (ui->last_stepped >= 0 &&
	    (size_t)ui->last_stepped < ui->meta->nworkers) {
		mw = &ui->model->workers[ui->last_stepped];
		if (mw->line > 0 && mw->state != MODEL_W_DONE)
			return (mw->line);
	}
	for (w = 0; w < ui->meta->nworkers; w++) {
		mw = &ui->model->workers[w];
		if (mw->line <= 0 || mw->state == MODEL_W_DONE ||
		    mw->state == MODEL_W_NOT_STARTED)
			continue;
		if (best == 0 || mw->line < best)
			best = mw->line;
	}
	/* Before anyone has moved: the first worker's code, not the
	   about text above it. */
	for (w = 0; best == 0 && w < ui->meta->nworkers; w++)
		if (ui->meta->workers[w].line > 0)
			best = ui->meta->workers[w].line;
	return (best);
}

/* Workers from w on whose cursor is on line. */
static int
source_count(const struct ui *ui, int line, size_t w)
{
	const struct model_worker	*mw;
	int				 n = 0;

	for (; w < ui->meta->nworkers; w++) {
		mw = &ui->model->workers[w];
		if (mw->line == line && mw->state != MODEL_W_DONE &&
		    mw->state != MODEL_W_NOT_STARTED)
			n++;
	}
	return (n);
}

/* The first line that declares an object or a worker. */
static int
source_code_start(const struct ui *ui)
{
	size_t	i;
	int	first = 0;

	for (i = 0; i < ui->meta->nobjects; i++)
		if (ui->meta->objects[i].line > 0 &&
		    (first == 0 || ui->meta->objects[i].line < first))
			first = ui->meta->objects[i].line;
	for (i = 0; i < ui->meta->nworkers; i++)
		if (ui->meta->workers[i].line > 0 &&
		    (first == 0 || ui->meta->workers[i].line < first))
			first = ui->meta->workers[i].line;
	return (first);
}

static void
source_draw(struct ui *ui, struct ui_pane *p)
{
	const struct model_worker	*mw;
	WINDOW				*win = p->win;
	const char			*name;
	char				 title[128], tag[64];
	int				 line, row, x0, width, numw, target, h;
	int				 tagw, first, x, code, more;
	size_t				 w;

	name = ui->meta->path != NULL ? strrchr(ui->meta->path, '/') : NULL;
	name = name != NULL ? name + 1 : ui->meta->path;
	snprintf(title, sizeof title, "Source %s", name != NULL ? name : "");
	h = ui_pane_height(p);
	if (p->follow && (target = source_target(ui)) > 0) {
		if (target - 1 < p->scroll || target > p->scroll + h)
			p->scroll = target - 1 - h / 3;
		if (p->scroll > ui->nlines - h)
			p->scroll = ui->nlines - h;
		/* The code, not the about text: it is in the lesson. */
		code = source_code_start(ui);
		if (p->scroll < code - 1 && target >= code)
			p->scroll = code - 1;
		if (p->scroll < 0)
			p->scroll = 0;
	}
	ui_pane_begin(ui, p, title);
	x0 = ui_pane_left(p);
	width = ui_pane_width(p);
	numw = ui->nlines >= 1000 ? 4 : ui->nlines >= 100 ? 3 : 2;
	for (line = 1; line <= ui->nlines; line++) {
		if ((row = ui_pane_row(p, line - 1)) < 0)
			continue;
		/* Tags of the workers on this line, right-aligned. */
		tagw = 0;
		first = -1;
		for (w = 0; w < ui->meta->nworkers; w++) {
			mw = &ui->model->workers[w];
			if (mw->line != line || mw->state == MODEL_W_DONE ||
			    mw->state == MODEL_W_NOT_STARTED)
				continue;
			if (first < 0)
				first = (int)w;
			tagw += 1 + (ui_text_width(ui->meta->workers[w].name) >
			    12 ? 12 : ui_text_width(ui->meta->workers[w].name)) +
			    1;
		}
		if (tagw > 0)
			tagw++;			/* a gap before the tags */
		if (tagw > width / 2)
			tagw = width / 2;
		ui_printf(win, row, x0, numw + 1, first >= 0 ? UI_R_BOLD :
		    UI_R_LINENO, "%*d", numw, line);
		if (first >= 0) {
			mw = &ui->model->workers[first];
			ui_puts(win, row, x0 + numw + 1, 1,
			    ui_state_role(mw->state), ui_glyph(UI_G_MARK));
		}
		ui_puts(win, row, x0 + numw + 3, width - numw - 3 - tagw,
		    first >= 0 ? UI_R_CURLINE : UI_R_NORMAL, ui->lines[line]);
		if (first < 0)
			continue;
		x = x0 + width - tagw + 1;
		for (w = (size_t)first; w < ui->meta->nworkers; w++) {
			mw = &ui->model->workers[w];
			if (mw->line != line || mw->state == MODEL_W_DONE ||
			    mw->state == MODEL_W_NOT_STARTED)
				continue;
			ui_elide(ui->meta->workers[w].name, 12, tag,
			    sizeof tag);
			/* Whole tags; the rest counted ("+3"). */
			if (x + 1 + ui_text_width(tag) + 4 > x0 + width &&
			    (more = source_count(ui, line, w)) > 1) {
				ui_printf(win, row, x, x0 + width - x,
				    UI_R_DIM, "+%d", more);
				break;
			}
			x += ui_printf(win, row, x, x0 + width - x,
			    ui_state_role(mw->state), "%s%s ",
			    ui_glyph(UI_G_ARROW_L), tag);
		}
	}
	ui_pane_end(ui, p);
}

const struct ui_view ui_view_source = {
	.name = "Source",
	.changes = UI_CH_SOURCE,
	.min_height = 4,
	.min_width = 30,
	.titled = 1,
	.draw = source_draw,
};
