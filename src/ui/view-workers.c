/*
 * ui/view-workers.c: one row per worker.
 *
 *   1 ▶ t1  running  thread 4242  12 holds A  wants B  lock B
 *
 * The step key (1-9) is bright when the worker is waiting at its gate and
 * dim when it cannot be stepped (blocked, finished, not started), so the
 * screen itself says which workers a step can move. A click on a row steps
 * that worker; so does Enter on the row under the cursor (Up, Down).
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

/* "A,B" for the objects worker w holds. */
void
ui_worker_holds(const struct ui *ui, uint16_t w, char *buf, size_t len)
{
	const struct model_worker	*mw = &ui->model->workers[w];
	size_t				 o = 0;
	int				 i;

	buf[0] = '\0';
	for (i = 0; i < mw->nheld && i < MODEL_MAX_HELD; i++) {
		/* A semaphore used to signal is not held: it was taken
		   from whoever released it, for good. */
		if (mw->held[i] < ui->meta->nobjects &&
		    ui->model->objects[mw->held[i]].signalling)
			continue;
		o += snprintf(buf + o, len - o, "%s%s", o > 0 ? "," : "",
		    ui_object_name(ui, mw->held[i]));
		if (o >= len)
			break;
	}
}

/* "thread 4242" / "process 4243", or a letter when short is set. */
static void
workers_kind(const struct ui *ui, size_t w, int shortform, char *buf,
    size_t len)
{
	const struct trace_meta_worker	*mw = &ui->meta->workers[w];
	int				 thread;

	if (ui->pid != NULL && ui->pid[w] > 0)
		thread = ui->thread[w];
	else
		thread = mw->kind != TRACE_WORKER_PROCESS;
	if (shortform)
		snprintf(buf, len, "%s", thread ? "T" : "P");
	else if (ui->pid != NULL && ui->pid[w] > 0)
		snprintf(buf, len, "%s %ld", thread ? "thread" : "process",
		    ui->pid[w]);
	else
		snprintf(buf, len, "%s", thread ? "thread" : "process");
}

/*
 * Columns, values first and prose last, so that what a narrow pane drops
 * is the statement's text, never a name or a number:
 *
 *   key glyph NAME STATE [thread PID] LINE holds X wants Y  statement
 *
 * A name longer than its column is elided in the middle (smok…match),
 * which keeps copies (user.1, user.2) and long look-alikes distinct.
 */
static void
workers_draw(struct ui *ui, struct ui_pane *p)
{
	const struct trace_meta		*meta = ui->meta;
	const struct model_worker	*mw;
	WINDOW				*win = p->win;
	char				 held[128], wants[128], title[96];
	char				 stmt[128], name[128], kind[32];
	size_t				 w;
	int				 row, x, x0, width, namew = 2, statew = 4;
	int				 holdw = 0, wantw = 0, n, gate, live, numw;
	int				 kindw = 0, maxname, h, sel;
	int				 long_labels, keyw;

	live = model_live_workers(ui->model);
	snprintf(title, sizeof title, "Workers %d/%zu live", live,
	    meta->nworkers);
	x0 = ui_pane_left(p);
	width = ui_pane_width(p);
	h = ui_pane_height(p);
	/* Keep the cursor in sight. */
	sel = ui->focus == UI_P_WORKERS;
	if (ui->wsel >= (int)meta->nworkers)
		ui->wsel = (int)meta->nworkers - 1;
	if (ui->wsel < 0)
		ui->wsel = 0;
	if (h > 0 && ui->wsel < p->scroll)
		p->scroll = ui->wsel;
	if (h > 0 && ui->wsel >= p->scroll + h)
		p->scroll = ui->wsel - h + 1;
	numw = ui->nlines >= 1000 ? 4 : ui->nlines >= 100 ? 3 : 2;
	keyw = meta->nworkers >= 100 ? 4 : meta->nworkers >= 10 ? 3 : 2;
	for (w = 0; w < meta->nworkers; w++) {
		mw = &ui->model->workers[w];
		n = ui_text_width(meta->workers[w].name);
		if (n > namew)
			namew = n;
		n = (int)strlen(model_wstate_name(mw->state));
		if (n > statew)
			statew = n;
		ui_worker_holds(ui, (uint16_t)w, held, sizeof held);
		n = ui_text_width(held);
		if (n > holdw)
			holdw = n;
		ui_worker_wants(ui, (uint16_t)w, wants, sizeof wants);
		n = ui_text_width(wants);
		if (n > wantw)
			wantw = n;
	}
	/* A name gets a third of the row, or all that the other columns
	   leave (with 16 for holds and wants) when that is more, and 8
	   columns anyway. */
	maxname = width - (keyw + 2 + statew + 1 + 15 + numw + 1 + 16);
	if (maxname < width / 3)
		maxname = width / 3;
	if (maxname < 8)
		maxname = 8;
	if (namew > maxname)
		namew = maxname;
	if (holdw > 0)
		holdw += 7;			/* "holds " and a gap */
	if (wantw > 0)
		wantw += 7;			/* "wants " and a gap */
	/* thread/process and pid when there is room for them and the
	   values; else one letter. */
	kindw = keyw + 2 + namew + 1 + statew + 1 + 15 + numw + 1 + holdw + wantw <=
	    width ? 15 : 2;
	/* The letters say what they mean in the title, when it has room. */
	if (kindw == 2 && p->w > 48)
		snprintf(title + strlen(title), sizeof title - strlen(title),
		    " %s T thread, P process", ui_glyph(UI_G_BULLET));
	ui_pane_begin(ui, p, title);

	for (w = 0; w < meta->nworkers; w++) {
		if ((row = ui_pane_row(p, (int)w)) < 0)
			continue;
		mw = &ui->model->workers[w];
		x = x0;
		gate = ui->src->ops->at_gate(ui->src, (int)w);
		if (sel && (int)w == ui->wsel)
			ui_puts(win, row, x - 1, 1, UI_R_SELECT,
			    ui_glyph(UI_G_ARROW_R));
		/* The number: bright when a digit key steps it now; past 9
		   only the cursor (Enter) does, but the number still says
		   which worker the row is. */
		ui_printf(win, row, x, keyw, gate && w < 9 ? UI_R_KEY :
		    UI_R_DIM, "%*zu", keyw - 1, w + 1);
		x += keyw;
		ui_puts(win, row, x, 2, ui_state_role(mw->state),
		    ui_state_glyph(mw->state));
		x += 2;
		ui_elide(meta->workers[w].name, namew, name, sizeof name);
		ui_puts(win, row, x, namew, sel && (int)w == ui->wsel ?
		    UI_R_SELECT : (int)w == ui->last_stepped ? UI_R_BOLD :
		    UI_R_NORMAL, name);
		x += namew + 1;
		ui_puts(win, row, x, x0 + width - x, ui_state_role(mw->state),
		    model_wstate_name(mw->state));
		x += statew + 1;
		workers_kind(ui, w, kindw == 2, kind, sizeof kind);
		ui_puts(win, row, x, kindw - 1, UI_R_DIM, kind);
		x += kindw;
		if (mw->line > 0 && mw->state != MODEL_W_DONE &&
		    mw->state != MODEL_W_NOT_STARTED)
			ui_printf(win, row, x, numw, UI_R_LINENO, "%*d", numw,
			    mw->line);
		x += numw + 1;
		/* Holds and wants follow the line number, labelled when
		   there is room, else as "A ▸ B" (held, then wanted). */
		ui_worker_holds(ui, (uint16_t)w, held, sizeof held);
		ui_worker_wants(ui, (uint16_t)w, wants, sizeof wants);
		n = (held[0] != '\0' ? 7 + ui_text_width(held) : 0) +
		    (wants[0] != '\0' ? 7 + ui_text_width(wants) : 0);
		long_labels = x + n <= x0 + width;
		if (held[0] != '\0') {
			if (long_labels)
				x += ui_puts(win, row, x, 6, UI_R_DIM, "holds ");
			x += ui_puts(win, row, x, x0 + width - x, UI_R_HOLDER,
			    held) + 1;
		}
		if (wants[0] != '\0') {
			x += ui_puts(win, row, x, x0 + width - x, UI_R_DIM,
			    long_labels ? "wants " : ui_glyph(UI_G_ARROW_R));
			x += ui_puts(win, row, x, x0 + width - x,
			    UI_R_W_BLOCKED, wants) + 1;
		}
		x++;
		/* A pool member says which task it runs. */
		if (mw->task >= 0 && mw->state != MODEL_W_DONE)
			x += ui_printf(win, row, x, x0 + width - x,
			    UI_R_HOLDER, "task #%d", mw->task) + 1;
		if (x >= x0 + width)
			continue;
		if (mw->line > 0 && mw->state != MODEL_W_DONE &&
		    mw->state != MODEL_W_NOT_STARTED) {
			ui_worker_statement(ui, mw->line, stmt,
			    sizeof stmt);
			ui_puts(win, row, x, x0 + width - x, UI_R_NORMAL,
			    stmt);
		} else if (mw->state == MODEL_W_CRASHED && mw->signal != 0)
			ui_printf(win, row, x, x0 + width - x, UI_R_W_CRASHED,
			    "signal %d", mw->signal);
	}
	ui_pane_end(ui, p);
}

/* Up and Down move the cursor, Enter steps the worker under it: any
   worker, however many (1-9 reach only the first nine). */
static int
workers_key(struct ui *ui, struct ui_pane *p, int key)
{
	int	n = (int)ui->meta->nworkers;

	switch (key) {
	case KEY_UP:
		if (ui->wsel > 0)
			ui->wsel--;
		break;
	case KEY_DOWN:
		if (ui->wsel + 1 < n)
			ui->wsel++;
		break;
	case KEY_HOME:
		ui->wsel = 0;
		break;
	case KEY_END:
		ui->wsel = n - 1;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		p->dirty = 1;
		return (UI_VIEW_STEP);
	default:
		return (0);
	}
	p->dirty = 1;
	return (UI_VIEW_USED);
}

static int
workers_click(struct ui *ui, struct ui_pane *p, int y, int x)
{
	int	w = y - ui_pane_top(p) + p->scroll;

	(void)x;
	if (y < ui_pane_top(p) || w < 0 || (size_t)w >= ui->meta->nworkers)
		return (0);
	ui->wsel = w;
	return (UI_VIEW_STEP);
}

const struct ui_view ui_view_workers = {
	.name = "Workers",
	.changes = UI_CH_WORKERS,
	.min_height = 3,
	.min_width = 30,
	.titled = 1,
	.draw = workers_draw,
	.key = workers_key,
	.click = workers_click,
};
