/*
 * ui/view-objects.c: locks, semaphores, channels, values, pools, expects.
 *
 * Each kind is drawn the way it is usually pictured on a blackboard:
 *
 *   A  mutex   held by t1        waiting t2
 *   S  semaphore 3/5 taken       waiting t6 t7
 *   ┌──┬──┬──┬──┬──┐             one box per slot, the holder inside
 *   │t1│t2│t3│  │  │
 *   └──┴──┴──┴──┴──┘
 *   Q  queue 2/4                 cells with the items, head on the left
 *   counter = 137                against what `expect` wants
 *
 * Everything comes from the model; the section headings appear only for
 * kinds the scenario uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

#define OBJ_MAX_BOXES	64

struct obj_ctx {
	struct ui	*ui;
	struct ui_pane	*p;
	int		 r;		/* next content row */
	int		 x0, width;
	int		 namew;
};

static int
obj_row(struct obj_ctx *c)
{
	return (ui_pane_row(c->p, c->r++));
}

static void
obj_heading(struct obj_ctx *c, const char *text)
{
	int	row;

	if (c->r > 0)
		c->r++;			/* blank line between sections */
	if ((row = obj_row(c)) >= 0)
		ui_puts(c->p->win, row, c->x0, c->width, UI_R_TITLE, text);
}

/*
 * Text that flows on to the next row instead of being cut: each token is
 * written whole where it fits, else on a new row indented under the first
 * value, so a value or a name is never cut at the pane's edge.
 */
struct obj_flow {
	int	row;		/* window row, or -1 when scrolled away */
	int	x, indent;
};

static void
obj_flow_init(struct obj_ctx *c, struct obj_flow *f, int row, int x)
{
	(void)c;
	f->row = row;
	f->x = x;
	f->indent = x;
}

static void
obj_tok(struct obj_ctx *c, struct obj_flow *f, enum ui_role role,
    const char *text)
{
	int	tw = ui_text_width(text), limit = c->x0 + c->width;

	if (f->x > f->indent && f->x + tw > limit) {
		f->row = obj_row(c);
		f->x = f->indent;
	}
	if (f->row >= 0)
		ui_puts(c->p->win, f->row, f->x, limit - f->x, role, text);
	f->x += tw + 1;
}

static void
obj_tokf(struct obj_ctx *c, struct obj_flow *f, enum ui_role role,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
obj_tokf(struct obj_ctx *c, struct obj_flow *f, enum ui_role role,
    const char *fmt, ...)
{
	char	buf[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	obj_tok(c, f, role, buf);
}

/* The object's name, elided in the middle to the name column. */
static void
obj_name(struct obj_ctx *c, int row, const char *name)
{
	char	buf[128];

	ui_elide(name, c->namew, buf, sizeof buf);
	if (row >= 0)
		ui_puts(c->p->win, row, c->x0, c->namew, UI_R_OBJECT, buf);
}

/* "waiting t2 t3", flowing. */
static void
obj_waiters_flow(struct obj_ctx *c, struct obj_flow *f,
    const struct model_object *mo)
{
	int	i;

	if (mo->nwaiters == 0)
		return;
	obj_tok(c, f, UI_R_DIM, "waiting");
	for (i = 0; i < mo->nwaiters; i++)
		obj_tok(c, f, UI_R_W_BLOCKED, ui_worker_name(c->ui,
		    mo->waiters[i]));
}

/* One row of boxes: labels[i] inside box i. Three rows with line drawing;
   shortened with "+N" when they do not fit. */
static void
obj_boxes(struct obj_ctx *c, int n, const char *const *labels,
    const enum ui_role *roles)
{
	WINDOW		*win = c->p->win;
	const char	*hl = ui_glyph(UI_G_HLINE);
	int		 rows[3], i, j, k, cw = 2, shown, x;
	char		 more[16];

	for (i = 0; i < n; i++) {
		k = ui_text_width(labels[i]);
		if (k > cw)
			cw = k;
	}
	if (cw > 8)
		cw = 8;
	shown = n;
	while (shown > 0 && 1 + shown * (cw + 1) + (shown < n ? 5 : 0) >
	    c->width)
		shown--;
	if (shown == 0)
		return;
	for (i = 0; i < 3; i++)
		rows[i] = obj_row(c);
	for (k = 0; k < 3; k++) {
		if (rows[k] < 0)
			continue;
		x = c->x0;
		wattrset(win, ui_attr(UI_R_BORDER));
		mvwaddstr(win, rows[k], x, k == 0 ?
		    ui_glyph(UI_G_ULCORNER) : k == 1 ? ui_glyph(UI_G_VLINE) :
		    ui_glyph(UI_G_LLCORNER));
		x++;
		for (i = 0; i < shown; i++) {
			if (k == 1) {
				ui_fill(win, rows[k], x, cw, roles[i]);
				ui_puts(win, rows[k], x, cw, roles[i],
				    labels[i]);
			} else {
				wattrset(win, ui_attr(UI_R_BORDER));
				wmove(win, rows[k], x);
				for (j = 0; j < cw; j++)
					waddstr(win, hl);
			}
			x += cw;
			wattrset(win, ui_attr(UI_R_BORDER));
			if (k == 1)
				mvwaddstr(win, rows[k], x,
				    ui_glyph(UI_G_VLINE));
			else if (i == shown - 1)
				mvwaddstr(win, rows[k], x, ui_glyph(k == 0 ?
				    UI_G_URCORNER : UI_G_LRCORNER));
			else
				mvwaddstr(win, rows[k], x, ui_glyph(k == 0 ?
				    UI_G_TTEE : UI_G_BTEE));
			x++;
		}
		if (k == 1 && shown < n) {
			snprintf(more, sizeof more, " +%d", n - shown);
			ui_puts(win, rows[k], x, c->x0 + c->width - x,
			    UI_R_DIM, more);
		}
	}
}

static void
obj_lock(struct obj_ctx *c, uint16_t o)
{
	const struct trace_meta_object	*mo = &c->ui->meta->objects[o];
	const struct model_object	*ob = &c->ui->model->objects[o];
	WINDOW				*win = c->p->win;
	struct obj_flow			 f;
	int				 row, x, i, limit = c->x0 + c->width;

	row = obj_row(c);
	x = c->x0;
	obj_name(c, row, mo->name);
	x += c->namew + 1;
	x += ui_printf(win, row, x, limit - x, UI_R_DIM, "%-6s ",
	    trace_obj_label(mo));
	switch (mo->kind) {
	case TRACE_OBJ_CONDITION:
		x += ui_printf(win, row, x, limit - x, UI_R_DIM, "lock %s ",
		    ui_object_name(c->ui, mo->lock));
		break;
	case TRACE_OBJ_BARRIER:
		x += ui_printf(win, row, x, limit - x, UI_R_NORMAL,
		    "%lld/%lld arrived ", (long long)ob->arrived,
		    (long long)mo->capacity);
		break;
	default:
		obj_flow_init(c, &f, row, x);
		f.indent = c->x0 + c->namew + 1;
		if (ob->owner == TRACE_NO_WORKER)
			obj_tok(c, &f, UI_R_FREE, "free");
		else if (ob->nholders > 1) {
			/* A traced rwlock's readers hold it together. */
			obj_tok(c, &f, UI_R_DIM, "read by");
			for (i = 0; i < ob->nholders; i++)
				obj_tok(c, &f, UI_R_HOLDER, ui_worker_name(
				    c->ui, ob->holders[i]));
		} else {
			obj_tok(c, &f, UI_R_DIM, "held by");
			obj_tok(c, &f, UI_R_HOLDER, ui_worker_name(c->ui,
			    ob->owner));
			if (mo->kind == TRACE_OBJ_RLOCK || ob->depth > 1)
				obj_tokf(c, &f, UI_R_NORMAL, "depth %d",
				    ob->depth);
		}
		obj_waiters_flow(c, &f, ob);
		return;
	}
	obj_flow_init(c, &f, row, x + 1);
	f.indent = c->x0 + c->namew + 1;
	obj_waiters_flow(c, &f, ob);
}

static void
obj_semaphore(struct obj_ctx *c, uint16_t o)
{
	const struct trace_meta_object	*mo = &c->ui->meta->objects[o];
	const struct model_object	*ob = &c->ui->model->objects[o];
	const char			*labels[OBJ_MAX_BOXES];
	enum ui_role			 roles[OBJ_MAX_BOXES];
	struct obj_flow			 f;
	int				 row, x, n, i;
	int				 limit = c->x0 + c->width;

	row = obj_row(c);
	x = c->x0;
	obj_name(c, row, mo->name);
	x += c->namew + 1;
	obj_flow_init(c, &f, row, x);
	/* A semaphore used to signal has no slots anyone holds: its value
	   and who released it last say what happened. */
	if (ob->signalling) {
		obj_tokf(c, &f, UI_R_BOLD, "value %lld", (long long)ob->value);
		obj_tok(c, &f, UI_R_DIM, "(signal)");
		if (c->ui->released_by != NULL &&
		    c->ui->released_by[o] != TRACE_NO_WORKER) {
			obj_tok(c, &f, UI_R_DIM, "released last by");
			obj_tok(c, &f, UI_R_HOLDER, ui_worker_name(c->ui,
			    c->ui->released_by[o]));
		}
		obj_waiters_flow(c, &f, ob);
		return;
	}
	obj_tokf(c, &f, UI_R_BOLD, "%d/%lld taken", ob->nholders,
	    (long long)mo->capacity);
	obj_tokf(c, &f, UI_R_NORMAL, "value %lld", (long long)ob->value);
	obj_waiters_flow(c, &f, ob);
	(void)limit;
	n = (int)mo->capacity;
	if (n < ob->nholders)
		n = ob->nholders;
	if (n > OBJ_MAX_BOXES)
		n = OBJ_MAX_BOXES;
	for (i = 0; i < n; i++) {
		if (i < ob->nholders) {
			labels[i] = ui_worker_name(c->ui, ob->holders[i]);
			roles[i] = UI_R_HOLDER;
		} else {
			labels[i] = "";
			roles[i] = UI_R_FREE;
		}
	}
	obj_boxes(c, n, labels, roles);
}

/* Cells of the items put at end (or all with end < 0): n cells, items
   first, head on the left. */
static void
obj_channel_cells(struct obj_ctx *c, const struct model_object *ob, int end,
    int cells)
{
	const char	*labels[OBJ_MAX_BOXES];
	enum ui_role	 roles[OBJ_MAX_BOXES];
	char		 text[OBJ_MAX_BOXES][24];
	int		 row, n = 0, i;
	size_t		 k;

	for (k = 0; k < ob->nitems && n < OBJ_MAX_BOXES; k++) {
		if (end >= 0 && ob->items[k].end != end)
			continue;
		if (ob->items[k].priority != 0)
			snprintf(text[n], sizeof text[n], "%lld^%d",
			    (long long)ob->items[k].value,
			    ob->items[k].priority);
		else
			snprintf(text[n], sizeof text[n], "%lld",
			    (long long)ob->items[k].value);
		labels[n] = text[n];
		roles[n] = UI_R_CELL;
		n++;
	}
	if (n == 0 && cells <= 0) {
		if ((row = obj_row(c)) >= 0)
			ui_puts(c->p->win, row, c->x0 + 2, c->width - 2,
			    UI_R_FREE, "(empty)");
		return;
	}
	for (i = n; i < cells && i < OBJ_MAX_BOXES; i++) {
		labels[i] = "";
		roles[i] = UI_R_FREE;
	}
	obj_boxes(c, i > n ? i : n, labels, roles);
}

/* Items in flight from end `from`. */
static size_t
obj_channel_count(const struct model_object *ob, int from)
{
	size_t	k, n = 0;

	for (k = 0; k < ob->nitems; k++)
		if (ob->items[k].end == from)
			n++;
	return (n);
}

static void
obj_channel(struct obj_ctx *c, uint16_t o)
{
	const struct trace_meta_object	*mo = &c->ui->meta->objects[o];
	const struct model_object	*ob = &c->ui->model->objects[o];
	struct obj_flow			 f;
	char				 from[64], to[64];
	uint8_t				 st;
	int				 row, n, bounded, duplex, e;

	bounded = mo->capacity > 0 && (mo->kind == TRACE_OBJ_QUEUE ||
	    mo->kind == TRACE_OBJ_MQUEUE);
	/* Both ends send: one box per direction, or replies would read as
	   requests. */
	duplex = mo->kind == TRACE_OBJ_SOCKET ||
	    (mo->kind == TRACE_OBJ_PIPE && (mo->flags & TRACE_OBJF_DUPLEX));
	row = obj_row(c);
	obj_name(c, row, mo->name);
	obj_flow_init(c, &f, row, c->x0 + c->namew + 1);
	obj_tok(c, &f, UI_R_DIM, trace_obj_kind_name(mo->kind));
	if (bounded)
		obj_tokf(c, &f, UI_R_BOLD, "%zu/%lld", ob->nitems,
		    (long long)mo->capacity);
	else if (!duplex)
		obj_tokf(c, &f, UI_R_BOLD, "%zu item%s", ob->nitems,
		    ob->nitems == 1 ? "" : "s");
	if (mo->kind == TRACE_OBJ_SOCKET && !ob->closed) {
		/* listen, accept and connect are states of their own. */
		st = c->ui->sock_state != NULL ? c->ui->sock_state[o] : 0;
		obj_tok(c, &f, st == 0 ? UI_R_DIM : UI_R_NORMAL,
		    (st & UI_SOCK_ACCEPTED) ? "connected" :
		    (st & UI_SOCK_CONNECTED) ? "connected, not accepted yet" :
		    (st & UI_SOCK_LISTEN) ? "listening" : "not listening");
	}
	if (ob->closed)
		obj_tok(c, &f, UI_R_WARN, ob->eof_seen ? "closed, EOF read" :
		    "closed");
	obj_waiters_flow(c, &f, ob);
	if (duplex) {
		for (e = 0; e < 2; e++) {
			ui_end_name(c->ui, o, e, from, sizeof from);
			ui_end_name(c->ui, o, 1 - e, to, sizeof to);
			if ((row = obj_row(c)) >= 0)
				ui_printf(c->p->win, row, c->x0 + 2,
				    c->width - 2, UI_R_DIM, "%s %s %s: %zu",
				    from, ui_glyph(UI_G_ARROW_R), to,
				    obj_channel_count(ob, e));
			if (obj_channel_count(ob, e) > 0)
				obj_channel_cells(c, ob, e, 0);
		}
		return;
	}
	n = bounded ? (int)mo->capacity : 0;
	obj_channel_cells(c, ob, -1, n);
}

/* Whether expectations can be judged: the run ended or cannot go on. */
static int
obj_final(const struct ui *ui)
{
	const struct model	*m = ui->model;

	return (m->run_ended || ui->finished || m->detect.deadlock ||
	    m->detect.stall || m->detect.self_deadlock);
}

static void
obj_value(struct obj_ctx *c, uint16_t o)
{
	const struct trace_meta		*meta = c->ui->meta;
	const struct trace_meta_object	*mo = &meta->objects[o];
	const struct model_object	*ob = &c->ui->model->objects[o];
	const struct trace_meta_expect	*e;
	struct obj_flow			 f;
	int				 row, x;
	size_t				 i;

	row = obj_row(c);
	x = c->x0;
	obj_name(c, row, mo->name);
	x += c->namew + 1;
	obj_flow_init(c, &f, row, x);
	if (row < 0 && mo->kind == TRACE_OBJ_SHARED)
		return;
	switch (mo->kind) {
	case TRACE_OBJ_SHARED:
		obj_tokf(c, &f, UI_R_BOLD, "= %lld", (long long)ob->value);
		for (i = 0; i < meta->nexpects; i++) {
			e = &meta->expects[i];
			if (e->kind != TRACE_EXPECT_METRIC || e->object != o ||
			    e->metric != TRACE_METRIC_VALUE)
				continue;
			obj_tokf(c, &f, UI_R_DIM, "expect %s %lld",
			    trace_cmp_name(e->cmp), (long long)e->value);
			if (obj_final(c->ui))
				obj_tok(c, &f, model_expect_holds(c->ui->model,
				    e) ? UI_R_OK : UI_R_BAD,
				    model_expect_holds(c->ui->model, e) ?
				    ui_glyph(UI_G_OK) : ui_glyph(UI_G_BAD));
		}
		if (ob->lost_updates > 0)
			obj_tokf(c, &f, UI_R_BAD, "lost updates: %llu",
			    (unsigned long long)ob->lost_updates);
		if (ob->last_writer != TRACE_NO_WORKER &&
		    ob->last_writer < meta->nworkers) {
			obj_tokf(c, &f, UI_R_DIM, "(last write %s)",
			    ui_worker_name(c->ui, ob->last_writer));
		}
		break;
	case TRACE_OBJ_LOCAL:
		/* One value per worker, each whole, flowing on. */
		obj_tok(c, &f, UI_R_DIM, "local");
		for (i = 0; i < ob->ncells; i++)
			obj_tokf(c, &f, UI_R_NORMAL, "%s=%lld",
			    i < meta->nworkers ? meta->workers[i].name : "?",
			    (long long)ob->cells[i]);
		break;
	default:			/* mmap, shm: cells */
		obj_tokf(c, &f, UI_R_DIM, "%s[%zu]",
		    trace_obj_kind_name(mo->kind), ob->ncells);
		for (i = 0; i < ob->ncells; i++)
			obj_tokf(c, &f, ob->cells[i] != 0 ? UI_R_CELL :
			    UI_R_FREE, "%lld", (long long)ob->cells[i]);
		break;
	}
}

/*
 * A pool: how many tasks are done and running, then the task queue (tasks
 * no worker has taken yet), which task each busy worker runs, and the
 * results in task order (a dot for one not done yet).
 */
static void
obj_pool(struct obj_ctx *c, uint16_t o)
{
	const struct trace_meta_object	*mo = &c->ui->meta->objects[o];
	const struct model_object	*ob = &c->ui->model->objects[o];
	struct obj_flow			 f;
	int				 row, done = 0, queued = 0, any;
	size_t				 i, ntasks = (size_t)mo->tasks;

	if (ntasks > ob->ntasks)
		ntasks = ob->ntasks;
	for (i = 0; i < ntasks; i++) {
		if (ob->result_done != NULL && ob->result_done[i])
			done++;
		else if (ob->task_worker == NULL || ob->task_worker[i] < 0)
			queued++;
	}
	row = obj_row(c);
	obj_name(c, row, mo->name);
	obj_flow_init(c, &f, row, c->x0 + c->namew + 1);
	obj_tokf(c, &f, UI_R_DIM, "pool of %lld", (long long)mo->capacity);
	obj_tokf(c, &f, UI_R_BOLD, "%d/%lld done", done,
	    (long long)mo->tasks);
	obj_tokf(c, &f, UI_R_NORMAL, "%lld running", (long long)ob->busy);

	obj_flow_init(c, &f, obj_row(c), c->x0 + 2);
	f.indent = c->x0 + 4;
	obj_tokf(c, &f, UI_R_DIM, "queue (%d):", queued);
	for (i = 0, any = 0; i < ntasks; i++) {
		if ((ob->result_done != NULL && ob->result_done[i]) ||
		    (ob->task_worker != NULL && ob->task_worker[i] >= 0))
			continue;
		obj_tokf(c, &f, UI_R_CELL, "#%zu", i);
		any = 1;
	}
	if (!any)
		obj_tok(c, &f, UI_R_FREE, "empty");

	obj_flow_init(c, &f, obj_row(c), c->x0 + 2);
	f.indent = c->x0 + 4;
	obj_tok(c, &f, UI_R_DIM, "running:");
	for (i = 0, any = 0; i < ntasks; i++) {
		if (ob->task_worker == NULL || ob->task_worker[i] < 0 ||
		    (ob->result_done != NULL && ob->result_done[i]))
			continue;
		obj_tokf(c, &f, UI_R_HOLDER, "%s#%zu", ui_worker_name(c->ui,
		    (uint16_t)ob->task_worker[i]), i);
		any = 1;
	}
	if (!any)
		obj_tok(c, &f, UI_R_FREE, "none");

	obj_flow_init(c, &f, obj_row(c), c->x0 + 2);
	f.indent = c->x0 + 4;
	obj_tok(c, &f, UI_R_DIM, "results:");
	for (i = 0; i < ntasks; i++) {
		if (ob->result_done != NULL && ob->result_done[i] &&
		    ob->results != NULL)
			obj_tokf(c, &f, UI_R_NORMAL, "%lld",
			    (long long)ob->results[i]);
		else
			obj_tok(c, &f, UI_R_FREE, ui_glyph(UI_G_BULLET));
	}
}

static void
obj_expects(struct obj_ctx *c)
{
	const struct trace_meta		*meta = c->ui->meta;
	const struct trace_meta_expect	*e;
	struct obj_flow			 f;
	int				 row, holds = 1, x;
	int64_t				 found;
	size_t				 i;

	if (meta->nexpects == 0)
		return;
	obj_heading(c, "Expect");
	for (i = 0; i < meta->nexpects; i++) {
		e = &meta->expects[i];
		row = obj_row(c);
		x = c->x0;
		holds = 1;
		if (obj_final(c->ui)) {
			holds = model_expect_holds(c->ui->model, e);
			x += ui_printf(c->p->win, row, x, c->width,
			    holds ? UI_R_OK : UI_R_BAD, "%s ",
			    ui_glyph(holds ? UI_G_OK : UI_G_BAD));
		} else
			x += ui_printf(c->p->win, row, x, c->width, UI_R_DIM,
			    "%s ", ui_glyph(UI_G_ELLIPSIS));
		obj_flow_init(c, &f, row, x);
		obj_tok(c, &f, UI_R_NORMAL, e->text != NULL ? e->text : "");
		/* A failed one says what it found. */
		if (obj_final(c->ui) && !holds &&
		    e->kind == TRACE_EXPECT_METRIC &&
		    model_metric(c->ui->model, e->metric, e->object,
		    &found) == 0)
			obj_tokf(c, &f, UI_R_BAD, "(it is %lld)",
			    (long long)found);
	}
}

static int
obj_is_lock(enum trace_obj_kind k)
{
	return (k == TRACE_OBJ_MUTEX || k == TRACE_OBJ_RLOCK ||
	    k == TRACE_OBJ_CONDITION || k == TRACE_OBJ_BARRIER);
}

static int
obj_is_channel(enum trace_obj_kind k)
{
	return (k == TRACE_OBJ_QUEUE || k == TRACE_OBJ_PIPE ||
	    k == TRACE_OBJ_FIFO || k == TRACE_OBJ_MQUEUE ||
	    k == TRACE_OBJ_SOCKET);
}

static int
obj_is_value(enum trace_obj_kind k)
{
	return (k == TRACE_OBJ_SHARED || k == TRACE_OBJ_LOCAL ||
	    k == TRACE_OBJ_MMAP || k == TRACE_OBJ_SHM);
}

static void
objects_draw(struct ui *ui, struct ui_pane *p)
{
	const struct trace_meta	*meta = ui->meta;
	struct obj_ctx		 c;
	size_t			 o;
	int			 n, have[4] = { 0, 0, 0, 0 };
	enum trace_obj_kind	 k;

	ui_pane_begin(ui, p, "Objects");
	memset(&c, 0, sizeof c);
	c.ui = ui;
	c.p = p;
	c.x0 = ui_pane_left(p);
	c.width = ui_pane_width(p);
	c.namew = 1;
	for (o = 0; o < meta->nobjects; o++) {
		k = meta->objects[o].kind;
		n = ui_text_width(meta->objects[o].name);
		if (n > c.namew)
			c.namew = n;
		have[0] |= obj_is_lock(k);
		have[1] |= k == TRACE_OBJ_SEMAPHORE;
		have[2] |= obj_is_channel(k);
		have[3] |= obj_is_value(k) || k == TRACE_OBJ_POOL;
	}
	if (c.namew > c.width / 3)
		c.namew = c.width / 3 < 6 ? 6 : c.width / 3;

	if (have[0]) {
		obj_heading(&c, "Locks");
		for (o = 0; o < meta->nobjects; o++)
			if (obj_is_lock(meta->objects[o].kind))
				obj_lock(&c, (uint16_t)o);
	}
	if (have[1]) {
		obj_heading(&c, "Semaphores");
		for (o = 0; o < meta->nobjects; o++)
			if (meta->objects[o].kind == TRACE_OBJ_SEMAPHORE)
				obj_semaphore(&c, (uint16_t)o);
	}
	if (have[2]) {
		obj_heading(&c, "Channels");
		for (o = 0; o < meta->nobjects; o++)
			if (obj_is_channel(meta->objects[o].kind))
				obj_channel(&c, (uint16_t)o);
	}
	if (have[3]) {
		obj_heading(&c, "Values");
		for (o = 0; o < meta->nobjects; o++) {
			k = meta->objects[o].kind;
			if (obj_is_value(k))
				obj_value(&c, (uint16_t)o);
			else if (k == TRACE_OBJ_POOL)
				obj_pool(&c, (uint16_t)o);
		}
	}
	obj_expects(&c);
	ui_pane_end(ui, p);
}

const struct ui_view ui_view_objects = {
	.name = "Objects",
	.changes = UI_CH_OBJECTS,
	.min_height = 4,
	.min_width = 24,
	.titled = 1,
	.draw = objects_draw,
};
