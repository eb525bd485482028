/*
 * ui/view-log.c: the event log and the per-worker timeline.
 *
 * The log shows the last UI_LOG_MAX explained events, newest at the
 * bottom, following the end unless scrolled by hand.
 *
 * The timeline has one swimlane per worker. Its x axis is the event number,
 * not wall time: a lecturer's pauses between steps would otherwise fill
 * the lanes with "ready", and the same events always give the same
 * picture. A column stands for a range of events and shows the most telling
 * state in it (blocked over running over sleeping over ready), so a short
 * wait stays visible however long the run.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

static void
log_draw(struct ui *ui, struct ui_pane *p)
{
	const struct ui_logline	*l;
	WINDOW			*win = p->win;
	int			 i, row, x, x0, width, h;

	h = ui_pane_height(p);
	if (p->follow)
		p->scroll = ui->log_n > h ? ui->log_n - h : 0;
	ui_pane_begin(ui, p, "Events");
	x0 = ui_pane_left(p);
	width = ui_pane_width(p);
	for (i = 0; i < ui->log_n; i++) {
		if ((row = ui_pane_row(p, i)) < 0)
			continue;
		l = ui_log_line(ui, i);
		x = x0;
		x += ui_printf(win, row, x, width, UI_R_LINENO, "%4llu ",
		    (unsigned long long)l->index);
		ui_puts(win, row, x, x0 + width - x,
		    l->type == TRACE_LOCK_WAIT || l->type == TRACE_SEM_WAIT ||
		    l->type == TRACE_CHAN_GET_WAIT ||
		    l->type == TRACE_CHAN_PUT_WAIT ||
		    l->type == TRACE_COND_WAIT || l->type == TRACE_JOIN_WAIT ?
		    UI_R_W_BLOCKED : l->type == TRACE_WORKER_CRASH ||
		    l->type == TRACE_ERROR ? UI_R_BAD : UI_R_NORMAL, l->text);
	}
	if (ui->log_n == 0 && (row = ui_pane_row(p, 0)) >= 0)
		ui_puts(win, row, x0, width, UI_R_DIM, "Nothing yet.");
	ui_pane_end(ui, p);
}

static int
log_key(struct ui *ui, struct ui_pane *p, int key)
{
	(void)ui;
	if (key == KEY_END) {
		p->follow = 1;
		return (UI_VIEW_USED);
	}
	return (0);
}

const struct ui_view ui_view_log = {
	.name = "Events",
	.changes = UI_CH_LOG,
	.min_height = 3,
	.min_width = 20,
	.titled = 1,
	.draw = log_draw,
	.key = log_key,
};

/* How telling a state is in a lane (higher wins a column). */
static int
tl_rank(uint8_t s)
{
	switch (s) {
	case MODEL_W_BLOCKED:
		return (6);
	case MODEL_W_CRASHED:
	case MODEL_W_KILLED:
		return (5);
	case MODEL_W_RUNNING:
		return (4);
	case MODEL_W_COMPUTING:
		return (3);
	case MODEL_W_SLEEPING:
		return (2);
	case MODEL_W_READY:
		return (1);
	default:
		return (0);
	}
}

static enum ui_glyph
tl_glyph(uint8_t s)
{
	switch (s) {
	case MODEL_W_BLOCKED:
		return (UI_G_LANE_BLOCK);
	case MODEL_W_RUNNING:
		return (UI_G_LANE_RUN);
	case MODEL_W_COMPUTING:
		return (UI_G_LANE_COMPUTE);
	case MODEL_W_SLEEPING:
		return (UI_G_LANE_SLEEP);
	case MODEL_W_READY:
		return (UI_G_LANE_READY);
	case MODEL_W_CRASHED:
	case MODEL_W_KILLED:
		return (UI_G_BAD);
	default:
		return (UI_G_COUNT);
	}
}

static void
timeline_lane(struct ui *ui, WINDOW *win, int row, int x, int width,
    size_t w, uint64_t total)
{
	const struct ui_tl	*tl = &ui->tl[w];
	size_t			 k = 0;
	uint64_t		 start, end;
	uint8_t			 cur = MODEL_W_NOT_STARTED, best;
	enum ui_glyph		 g;
	int			 col;

	for (col = 0; col < width; col++) {
		if (total <= (uint64_t)width) {
			start = (uint64_t)col;
			end = start + 1;
			if (start >= total)
				break;
		} else {
			start = total * (uint64_t)col / (uint64_t)width;
			end = total * (uint64_t)(col + 1) / (uint64_t)width;
		}
		/* State at start, then every change inside the column. */
		while (k < tl->n && tl->v[k].index <= start)
			cur = tl->v[k++].state;
		best = cur;
		while (k < tl->n && tl->v[k].index < end) {
			cur = tl->v[k++].state;
			if (tl_rank(cur) > tl_rank(best))
				best = cur;
		}
		g = tl_glyph(best);
		if (g == UI_G_COUNT)
			continue;
		ui_puts(win, row, x + col, 1, ui_state_role(best),
		    ui_glyph(g));
	}
}

static void
timeline_draw(struct ui *ui, struct ui_pane *p)
{
	WINDOW		*win = p->win;
	uint64_t	 total = ui->model->nevents;
	int		 row, x0, width, namew = 2, n, lanew;
	char		 name[128];
	size_t		 w;
	char		 title[96];

	snprintf(title, sizeof title, "Timeline (by event: %s run %s blocked "
	    "%s sleep %s ready)", ui_glyph(UI_G_LANE_RUN),
	    ui_glyph(UI_G_LANE_BLOCK), ui_glyph(UI_G_LANE_SLEEP),
	    ui_glyph(UI_G_LANE_READY));
	ui_pane_begin(ui, p, title);
	x0 = ui_pane_left(p);
	width = ui_pane_width(p);
	for (w = 0; w < ui->meta->nworkers; w++) {
		n = ui_text_width(ui->meta->workers[w].name);
		if (n > namew)
			namew = n;
	}
	if (namew > 20)
		namew = 20;
	lanew = width - namew - 1;
	if (lanew < 4)
		lanew = 4;
	for (w = 0; w < ui->meta->nworkers; w++) {
		if ((row = ui_pane_row(p, (int)w)) < 0)
			continue;
		ui_elide(ui->meta->workers[w].name, namew, name, sizeof name);
		ui_puts(win, row, x0, namew, ui_state_role(
		    ui->model->workers[w].state), name);
		ui_puts(win, row, x0 + namew, 1, UI_R_BORDER,
		    ui_glyph(UI_G_VLINE));
		timeline_lane(ui, win, row, x0 + namew + 1, lanew, w, total);
	}
	if ((row = ui_pane_row(p, (int)ui->meta->nworkers)) >= 0)
		ui_printf(win, row, x0 + namew + 1, lanew, UI_R_DIM,
		    "0 %s %llu events", ui_glyph(UI_G_ARROW_R),
		    (unsigned long long)total);
	ui_pane_end(ui, p);
}

const struct ui_view ui_view_timeline = {
	.name = "Timeline",
	.changes = UI_CH_TIMELINE,
	.min_height = 3,
	.min_width = 30,
	.titled = 1,
	.draw = timeline_draw,
};
