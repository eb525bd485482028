/*
 * ui/view-workers.c: one row per worker.
 *
 *   1 ▶ t1  running  holds A    wants -   12  lock B
 *
 * The step key (1-9) is bright when the worker is waiting at its gate and
 * dim when it cannot be stepped (blocked, finished, not started), so the
 * screen itself says which workers a step can move. A click on a row steps
 * that worker.
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
		o += snprintf(buf + o, len - o, "%s%s", i > 0 ? "," : "",
		    ui_object_name(ui, mw->held[i]));
		if (o >= len)
			break;
	}
}

/* What a blocked worker waits for, in words: "B", "get Q", "join t2". */
void
ui_worker_wants(const struct ui *ui, uint16_t w, char *buf, size_t len)
{
	const struct model_worker	*mw = &ui->model->workers[w];
	const char			*verb = "";
	const char			*name;

	buf[0] = '\0';
	if (mw->state != MODEL_W_BLOCKED)
		return;
	switch (mw->blocked_op) {
	case TRACE_JOIN_WAIT:
		snprintf(buf, len, "join %s", ui_worker_name(ui,
		    mw->blocked_on));
		return;
	case TRACE_CHAN_GET_WAIT:
		verb = "get ";
		break;
	case TRACE_CHAN_PUT_WAIT:
		verb = "put ";
		break;
	case TRACE_CHAN_OPEN_WAIT:
		verb = "open ";
		break;
	case TRACE_COND_WAIT:
		verb = "notify ";
		break;
	default:
		break;
	}
	name = ui_object_name(ui, mw->blocked_on);
	snprintf(buf, len, "%s%s", verb, name);
}

/* The statement on a line, without indentation, note or comment. */
void
ui_worker_statement(const struct ui *ui, int line, char *buf, size_t len)
{
	const char	*s, *q;
	size_t		 n;
	int		 instr = 0;

	buf[0] = '\0';
	if (line < 1 || line > ui->nlines)
		return;
	s = ui->lines[line];
	while (*s == ' ' || *s == '\t')
		s++;
	/* Stop at a comment or a trailing note, outside strings. */
	for (q = s; *q != '\0'; q++) {
		if (*q == '"')
			instr = !instr;
		if (instr)
			continue;
		if (*q == '#' || (strncmp(q, "note", 4) == 0 && q > s &&
		    (q[-1] == ' ' || q[-1] == '\t') &&
		    (q[4] == ' ' || q[4] == '"')))
			break;
	}
	while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	n = (size_t)(q - s);
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

static void
workers_draw(struct ui *ui, struct ui_pane *p)
{
	const struct trace_meta		*meta = ui->meta;
	const struct model_worker	*mw;
	WINDOW				*win = p->win;
	char				 held[128], wants[128], title[64];
	char				 stmt[128];
	size_t				 w;
	int				 row, x, x0, width, namew = 2, statew = 7;
	int				 holdw = 0, wantw = 0, n, gate, live;

	live = model_live_workers(ui->model);
	snprintf(title, sizeof title, "Workers %d/%zu live", live,
	    meta->nworkers);
	ui_pane_begin(ui, p, title);
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
	if (namew > 12)
		namew = 12;
	if (holdw > 0)
		holdw += 7;			/* "holds " and a gap */
	if (wantw > 0)
		wantw += 7;			/* "wants " and a gap */
	if (holdw > 18)
		holdw = 18;
	if (wantw > 20)
		wantw = 20;

	x0 = ui_pane_left(p);
	width = ui_pane_width(p);
	for (w = 0; w < meta->nworkers; w++) {
		if ((row = ui_pane_row(p, (int)w)) < 0)
			continue;
		mw = &ui->model->workers[w];
		x = x0;
		gate = ui->src->ops->at_gate(ui->src, (int)w);
		if (w < 9)
			ui_printf(win, row, x, 2, gate ? UI_R_KEY : UI_R_DIM,
			    "%zu", w + 1);
		x += 2;
		ui_puts(win, row, x, 2, ui_state_role(mw->state),
		    ui_state_glyph(mw->state));
		x += 2;
		ui_puts(win, row, x, namew, (int)w == ui->last_stepped ?
		    UI_R_BOLD : UI_R_NORMAL, meta->workers[w].name);
		x += namew + 1;
		ui_puts(win, row, x, x0 + width - x, ui_state_role(mw->state),
		    model_wstate_name(mw->state));
		x += statew + 1;
		if (holdw > 0 && x + holdw <= x0 + width) {
			ui_worker_holds(ui, (uint16_t)w, held, sizeof held);
			if (held[0] != '\0') {
				ui_puts(win, row, x, 6, UI_R_DIM, "holds ");
				ui_puts(win, row, x + 6, holdw - 7,
				    UI_R_HOLDER, held);
			}
			x += holdw;
		}
		if (wantw > 0 && x + wantw <= x0 + width) {
			ui_worker_wants(ui, (uint16_t)w, wants, sizeof wants);
			if (wants[0] != '\0') {
				ui_puts(win, row, x, 6, UI_R_DIM, "wants ");
				ui_puts(win, row, x + 6, wantw - 7,
				    UI_R_W_BLOCKED, wants);
			}
			x += wantw;
		}
		if (mw->line > 0 && x + 6 < x0 + width &&
		    mw->state != MODEL_W_DONE) {
			x += ui_printf(win, row, x, x0 + width - x,
			    UI_R_LINENO, "%d ", mw->line);
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

static int
workers_click(struct ui *ui, struct ui_pane *p, int y, int x)
{
	int	w = y - ui_pane_top(p) + p->scroll;

	(void)x;
	if (y < ui_pane_top(p) || w < 0 || (size_t)w >= ui->meta->nworkers)
		return (0);
	ui_action_step(ui, w);
	return (1);
}

const struct ui_view ui_view_workers = {
	.name = "Workers",
	.changes = UI_CH_WORKERS,
	.min_height = 3,
	.min_width = 30,
	.titled = 1,
	.draw = workers_draw,
	.click = workers_click,
};
