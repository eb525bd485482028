/*
 * ui/layout.c: which panes show, and where, for the terminal's size.
 *
 * Every layout has a header row, a key bar on the last row and a caption
 * above it; the rest is split in columns:
 *
 *   narrow (< 100 columns, e.g. 80x24):  workers/source | objects
 *   medium (100..149 columns):           workers/source | objects/graph
 *   wide (150 columns and more):         workers/source | objects | graph/log
 *
 * and a timeline across the bottom when there are rows to spare. A pane
 * that has no place of its own is not lost: one slot per layout is the
 * "flex" slot, and focusing a hidden pane (Tab) shows it there instead of
 * the slot's own pane. Panes are curses windows, recreated on each layout
 * (cheap, and a resize changes everything anyway).
 *
 * Zoomed (`z`, as in tmux), the focused pane alone fills everything
 * between the header and the key bar; the lesson (the caption) is one of
 * the panes Tab reaches, so its whole text can be read that way.
 */
#include <stdlib.h>

#include "ui/ui.h"

#define UI_MIN_COLS	64
#define UI_MIN_ROWS	18

int
ui_layout_min_cols(void)
{
	return (UI_MIN_COLS);
}

int
ui_layout_min_rows(void)
{
	return (UI_MIN_ROWS);
}

static void
ui_layout_place(struct ui *ui, int id, int y, int x, int h, int w,
    int border)
{
	struct ui_pane	*p = &ui->panes[id];

	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
	p->border = border;
}

/* Panes Tab can focus, the lesson included. */
int
ui_layout_focusable(int id)
{
	return (id >= UI_P_WORKERS && id <= UI_P_CAPTION);
}

void
ui_layout(struct ui *ui)
{
	static const struct ui_view *const views[UI_P_COUNT] = {
		[UI_P_HEADER] = &ui_view_header,
		[UI_P_WORKERS] = &ui_view_workers,
		[UI_P_SOURCE] = &ui_view_source,
		[UI_P_OBJECTS] = &ui_view_objects,
		[UI_P_GRAPH] = &ui_view_graph,
		[UI_P_LOG] = &ui_view_log,
		[UI_P_TIMELINE] = &ui_view_timeline,
		[UI_P_CAPTION] = &ui_view_caption,
		[UI_P_KEYS] = &ui_view_keys,
	};
	struct ui_pane	*p, *slot, *flex;
	int		 W = ui->cols, H = ui->rows, id;
	int		 ch, my, mh, th, wh, lw, mw, nw;

	for (id = 0; id < UI_P_COUNT; id++) {
		p = &ui->panes[id];
		p->view = views[id];
		if (p->win != NULL)
			delwin(p->win);
		p->win = NULL;
		p->h = p->w = 0;
		p->dirty = 1;
	}
	ui->too_small = W < UI_MIN_COLS || H < UI_MIN_ROWS;
	if (ui->too_small)
		return;

	nw = (int)ui->meta->nworkers;
	ch = H >= 50 ? 6 : H >= 40 ? 5 : 4;
	ui_layout_place(ui, UI_P_HEADER, 0, 0, 1, W, 0);
	ui_layout_place(ui, UI_P_KEYS, H - 1, 0, 1, W, 0);
	ui_layout_place(ui, UI_P_CAPTION, H - 1 - ch, 0, ch, W, 0);
	my = 1;
	mh = H - 2 - ch;
	if (ui->zoom && ui_layout_focusable(ui->focus)) {
		ui->panes[UI_P_CAPTION].h = 0;
		ui_layout_place(ui, ui->focus, 1, 0, H - 2, W, 0);
		goto windows;
	}

	/* A timeline across the bottom when it leaves room for the rest. */
	th = (nw < 12 ? nw : 12) + 2;
	if (H >= 36 && W >= 100 && mh - th >= 18) {
		ui_layout_place(ui, UI_P_TIMELINE, my + mh - th, 0, th, W, 0);
		mh -= th;
	}

	wh = nw + 1;
	if (wh > mh * 45 / 100)
		wh = mh * 45 / 100;
	if (wh < 3)
		wh = 3;
	if (W >= 150) {
		lw = W * 38 / 100;
		mw = (W - lw) / 2;
		ui_layout_place(ui, UI_P_WORKERS, my, 0, wh, lw, 0);
		ui_layout_place(ui, UI_P_SOURCE, my + wh, 0, mh - wh, lw, 0);
		ui_layout_place(ui, UI_P_OBJECTS, my, lw, mh, mw, 1);
		ui_layout_place(ui, UI_P_GRAPH, my, lw + mw, mh / 2,
		    W - lw - mw, 1);
		ui_layout_place(ui, UI_P_LOG, my + mh / 2, lw + mw,
		    mh - mh / 2, W - lw - mw, 1);
		ui->flex_slot = UI_P_LOG;
	} else if (W >= 100) {
		lw = W / 2;
		ui_layout_place(ui, UI_P_WORKERS, my, 0, wh, lw, 0);
		ui_layout_place(ui, UI_P_SOURCE, my + wh, 0, mh - wh, lw, 0);
		ui_layout_place(ui, UI_P_OBJECTS, my, lw, mh * 55 / 100,
		    W - lw, 1);
		ui_layout_place(ui, UI_P_GRAPH, my + mh * 55 / 100, lw,
		    mh - mh * 55 / 100, W - lw, 1);
		ui->flex_slot = UI_P_GRAPH;
	} else {
		lw = W * 56 / 100;
		ui_layout_place(ui, UI_P_WORKERS, my, 0, wh, lw, 0);
		ui_layout_place(ui, UI_P_SOURCE, my + wh, 0, mh - wh, lw, 0);
		ui_layout_place(ui, UI_P_OBJECTS, my, lw, mh, W - lw, 1);
		ui->flex_slot = UI_P_OBJECTS;
	}

	/* The flex pane takes over the flex slot if it has no place. */
	slot = &ui->panes[ui->flex_slot];
	flex = &ui->panes[ui->flex];
	if (flex != slot && flex->h == 0) {
		ui_layout_place(ui, ui->flex, slot->y, slot->x, slot->h,
		    slot->w, slot->border);
		slot->h = slot->w = 0;
	}

windows:
	for (id = 0; id < UI_P_COUNT; id++) {
		p = &ui->panes[id];
		if (p->h <= 0 || p->w <= 0)
			continue;
		p->win = newwin(p->h, p->w, p->y, p->x);
		if (p->win == NULL)
			continue;
		wbkgdset(p->win, ui_attr(UI_R_NORMAL) | ' ');
		p->follow = p->follow || id == UI_P_LOG;
	}
}
