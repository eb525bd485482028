/*
 * ui/view-graph.c: the wait-for graph.
 *
 * A closed cycle is drawn as a loop that reads top to bottom and returns
 * to its start, every node and edge in the cycle colour:
 *
 *   ┌→ t1  waits for B  (line 9)
 *   │  B   held by t2
 *   │  t2  waits for A  (line 15)
 *   │  A   held by t1
 *   └──────────────── back to t1
 *
 * Other waits are listed as chains "t3 → Q (empty)" or "t6 → S → t1 t2",
 * followed by lock-order inversions (potential deadlocks that did not
 * happen this time), as lockdep reports them.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

struct graph_ctx {
	struct ui	*ui;
	struct ui_pane	*p;
	int		 r;
	int		 x0, width;
};

static int
graph_row(struct graph_ctx *c)
{
	return (ui_pane_row(c->p, c->r++));
}

static void
graph_cycle(struct graph_ctx *c)
{
	const struct model_cycle	*cy = &c->ui->model->detect.cycle;
	WINDOW				*win = c->p->win;
	int				 row, x, join;
	int				 limit = c->x0 + c->width;
	size_t				 i, k, start;
	const char			*how;

	if ((row = graph_row(c)) >= 0)
		ui_puts(win, row, c->x0, c->width, UI_R_BANNER,
		    " DEADLOCK: each waits for the next ");
	start = ui_cycle_start(c->ui);
	for (k = 0; k < cy->n; k++) {
		i = (k + start) % cy->n;
		join = cy->ops != NULL && cy->ops[i] == TRACE_JOIN_WAIT;
		if ((row = graph_row(c)) >= 0) {
			x = c->x0;
			x += ui_printf(win, row, x, 3, UI_R_CYCLE, "%s%s ",
			    ui_glyph(k == 0 ? UI_G_ULCORNER : UI_G_VLINE),
			    k == 0 ? ui_glyph(UI_G_ARROW_R) : " ");
			x += ui_puts(win, row, x, limit - x,
			    ui_state_role(MODEL_W_BLOCKED),
			    ui_worker_name(c->ui, cy->workers[i]));
			x += ui_puts(win, row, x, limit - x, UI_R_NORMAL,
			    join ? "  joins " : "  waits for ");
			x += ui_puts(win, row, x, limit - x, join ?
			    ui_state_role(MODEL_W_BLOCKED) : UI_R_OBJECT,
			    join ? ui_worker_name(c->ui, cy->objects[i]) :
			    ui_object_name(c->ui, cy->objects[i]));
			if (cy->lines != NULL && cy->lines[i] > 0)
				ui_printf(win, row, x, limit - x, UI_R_DIM,
				    "  (line %d)", cy->lines[i]);
		}
		if (join)
			continue;
		if ((row = graph_row(c)) >= 0) {
			x = c->x0;
			x += ui_printf(win, row, x, 3, UI_R_CYCLE, "%s  ",
			    ui_glyph(UI_G_VLINE));
			x += ui_puts(win, row, x, limit - x, UI_R_OBJECT,
			    ui_object_name(c->ui, cy->objects[i]));
			how = model_waitfor_how(c->ui->model,
			    cy->workers[i]);
			x += ui_printf(win, row, x, limit - x, UI_R_NORMAL,
			    "  %s ", how != NULL ? how : "held by");
			ui_puts(win, row, x, limit - x,
			    ui_state_role(MODEL_W_BLOCKED),
			    ui_worker_name(c->ui, cy->workers[(i + 1) % cy->n]));
		}
	}
	if ((row = graph_row(c)) >= 0) {
		x = c->x0;
		x += ui_puts(win, row, x, 1, UI_R_CYCLE,
		    ui_glyph(UI_G_LLCORNER));
		ui_hline(win, row, x, 10, UI_R_CYCLE);
		x += 10;
		ui_printf(win, row, x, limit - x, UI_R_CYCLE, " back to %s",
		    cy->n > 0 ? ui_worker_name(c->ui, cy->workers[start]) :
		    "?");
	}
}

/* Whether worker w is part of the reported cycle. */
static int
graph_in_cycle(const struct ui *ui, uint16_t w)
{
	const struct model_detect	*d = &ui->model->detect;
	size_t				 i;

	if (!d->deadlock)
		return (0);
	for (i = 0; i < d->cycle.n; i++)
		if (d->cycle.workers[i] == w)
			return (1);
	return (0);
}

/* After "t6 → S (waits for a release)": " → t1 t2", the workers that
   alone can give it (never t6 itself unless it holds a slot), or
   "nobody left". */
static void
graph_producers(struct graph_ctx *c, uint16_t w, int row, int x)
{
	WINDOW		*win = c->p->win;
	uint16_t	 out[TRACE_MAX_WORKERS];
	size_t		 n, i;
	int		 limit = c->x0 + c->width;

	if (model_waitfor_runnable(c->ui->model, w))
		return;
	n = model_waitfor_edges(c->ui->model, w, out, TRACE_MAX_WORKERS);
	if (n > TRACE_MAX_WORKERS)
		n = TRACE_MAX_WORKERS;
	x += ui_printf(win, row, x, limit - x, UI_R_DIM, " %s ",
	    ui_glyph(UI_G_ARROW_R));
	if (n == 0) {
		ui_puts(win, row, x, limit - x, UI_R_CYCLE, "nobody left");
		return;
	}
	for (i = 0; i < n && x < limit; i++)
		x += ui_printf(win, row, x, limit - x, UI_R_HOLDER, "%s%s",
		    i > 0 ? " " : "", ui_worker_name(c->ui, out[i]));
}

/* One blocked worker: "t3 → Q (empty)", "t6 → S → t1 t2". */
static void
graph_edge(struct graph_ctx *c, uint16_t w)
{
	const struct model_worker	*mw = &c->ui->model->workers[w];
	const struct model_object	*ob;
	const struct trace_meta_object	*mo;
	WINDOW				*win = c->p->win;
	const char			*arrow = ui_glyph(UI_G_ARROW_R), *name, *why;
	int				 row, x, i, limit = c->x0 + c->width;

	if ((row = graph_row(c)) < 0)
		return;
	x = c->x0 + 1;
	x += ui_puts(win, row, x, limit - x, UI_R_W_BLOCKED,
	    ui_worker_name(c->ui, w));
	x += ui_printf(win, row, x, limit - x, UI_R_DIM, " %s ", arrow);
	if (mw->blocked_op == TRACE_JOIN_WAIT) {
		x += ui_puts(win, row, x, limit - x,
		    mw->blocked_on < c->ui->meta->nworkers ? ui_state_role(
		    c->ui->model->workers[mw->blocked_on].state) : UI_R_NORMAL,
		    ui_worker_name(c->ui, mw->blocked_on));
		ui_puts(win, row, x, limit - x, UI_R_DIM,
		    "  (join: until it ends)");
		return;
	}
	if (mw->blocked_on >= c->ui->meta->nobjects) {
		ui_puts(win, row, x, limit - x, UI_R_DIM, "?");
		return;
	}
	mo = &c->ui->meta->objects[mw->blocked_on];
	ob = &c->ui->model->objects[mw->blocked_on];
	x += ui_puts(win, row, x, limit - x, UI_R_OBJECT, mo->name);
	why = ui_wait_why(c->ui, w);
	if (mw->blocked_op == TRACE_COND_WAIT && mw->woken)
		why = "(woken: wants its lock back)";
	/* Short, so that the producers after it fit. */
	if (mw->blocked_op == TRACE_SEM_WAIT &&
	    (mo->nwriters > 0 || mo->nreaders > 0))
		why = "(waits for a release)";
	if (why != NULL) {
		x += ui_puts(win, row, x, limit - x, UI_R_DIM, "  ");
		x += ui_puts(win, row, x, limit - x, UI_R_DIM, why);
		/* Producer edges: who alone can post, notify or arrive. */
		if (mw->blocked_op == TRACE_COND_WAIT ||
		    mw->blocked_op == TRACE_BARRIER_WAIT ||
		    mw->blocked_op == TRACE_SEM_WAIT)
			graph_producers(c, w, row, x);
		return;
	}
	x += ui_printf(win, row, x, limit - x, UI_R_DIM, " %s ", arrow);
	if (ob->owner != TRACE_NO_WORKER)
		x += ui_printf(win, row, x, limit - x, UI_R_HOLDER, "%s",
		    ui_worker_name(c->ui, ob->owner));
	else {
		/* Whole names only; what does not fit is counted. */
		for (i = 0; i < ob->nholders; i++) {
			name = ui_worker_name(c->ui, ob->holders[i]);
			if (x + 1 + ui_text_width(name) + (i + 1 <
			    ob->nholders ? 4 : 0) > limit) {
				ui_printf(win, row, x, limit - x, UI_R_DIM,
				    " +%d", ob->nholders - i);
				return;
			}
			x += ui_printf(win, row, x, limit - x, UI_R_HOLDER,
			    "%s%s", i > 0 ? " " : "", name);
		}
		if (ob->nholders == 0)
			x += ui_puts(win, row, x, limit - x, UI_R_DIM,
			    "(free now)");
	}
	if (ob->owner == w)
		ui_puts(win, row, x, limit - x, UI_R_CYCLE,
		    "  (itself: self-deadlock)");
}

static void
graph_draw(struct ui *ui, struct ui_pane *p)
{
	const struct model_detect	*d = &ui->model->detect;
	struct graph_ctx		 c;
	const char			*starts[4];
	char				 text[512];
	int				 row, any = 0, lens[4];
	size_t				 w, i, n, k;

	ui_pane_begin(ui, p, "Wait-for graph");
	memset(&c, 0, sizeof c);
	c.ui = ui;
	c.p = p;
	c.x0 = ui_pane_left(p);
	c.width = ui_pane_width(p);

	if (d->deadlock && d->cycle.n > 0) {
		graph_cycle(&c);
		c.r++;
	}
	for (w = 0; w < ui->meta->nworkers; w++) {
		if (ui->model->workers[w].state != MODEL_W_BLOCKED ||
		    graph_in_cycle(ui, (uint16_t)w))
			continue;
		if (!any && (row = graph_row(&c)) >= 0)
			ui_puts(p->win, row, c.x0, c.width, UI_R_TITLE,
			    d->deadlock ? "Other waits" : "Waits");
		any = 1;
		graph_edge(&c, (uint16_t)w);
	}
	if (!any && !d->deadlock && (row = graph_row(&c)) >= 0)
		ui_puts(p->win, row, c.x0, c.width, UI_R_DIM,
		    "No worker is waiting.");
	if (d->stall && (row = graph_row(&c)) >= 0)
		ui_puts(p->win, row, c.x0, c.width, UI_R_WARN,
		    " STALL: no cycle, but nobody left can wake them ");
	if (d->ninversions > 0) {
		c.r++;
		if ((row = graph_row(&c)) >= 0)
			ui_puts(p->win, row, c.x0, c.width, UI_R_TITLE,
			    "Lock order (potential deadlock)");
		for (i = 0; i < d->ninversions; i++) {
			model_inversion_string(ui->model, &d->inversions[i],
			    text, sizeof text);
			n = ui_wrap(text, c.width - 1, starts, lens, 4);
			for (k = 0; k < n; k++) {
				if ((row = graph_row(&c)) >= 0)
					ui_putn(p->win, row, c.x0 + 1,
					    c.width - 1, UI_R_WARN, starts[k],
					    (size_t)lens[k]);
			}
		}
	}
	ui_pane_end(ui, p);
}

const struct ui_view ui_view_graph = {
	.name = "Wait-for graph",
	.changes = UI_CH_GRAPH,
	.min_height = 4,
	.min_width = 24,
	.titled = 1,
	.draw = graph_draw,
};
