/*
 * ui/handoff.c: a hand-off through a channel as two visible steps.
 *
 * When a worker puts an item into a channel that another worker is
 * blocked reading, the reader wakes at once and takes it: both events
 * arrive from the one step, and the item would never be seen in its
 * cell. While stepping (the run paused), the loop hands each batch of
 * events here first: at a get by another worker of an item just put, it
 * stops applying and keeps the rest. The screen then shows the item in
 * the channel and says who will take it; the next step key applies what
 * was kept instead of moving any worker, so the reader takes it then.
 * Running (Space, `.`) or restarting drops the pause: nothing is kept
 * back, nothing is lost.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"
#include "util/xmalloc.h"

/* Whether ev is a get, by another worker, of an item put since the last
   step: where the hand-off is split. */
static int
ui_handoff_split(const struct ui *ui, const struct trace_event *ev)
{
	const struct model_object	*mo;

	if (ev->type != TRACE_CHAN_GET || ev->object >= ui->meta->nobjects ||
	    ev->object != ui->handoff_obj ||
	    ev->worker == ui->handoff_from)
		return (0);
	mo = &ui->model->objects[ev->object];
	return (mo->nitems > 0);
}

/*
 * Apply events [0, n) of buf through apply, stopping before a hand-off's
 * get when the run is paused; the rest is kept for ui_handoff_release().
 * Returns the number applied.
 */
size_t
ui_handoff_apply(struct ui *ui, const struct trace_event *buf, size_t n,
    size_t from, ui_apply_fn *apply)
{
	size_t	i;
	int	stepping = ui->src->ops->paused(ui->src) && !ui->seek;

	for (i = 0; i < n; i++) {
		if (stepping && ui->nread >= ui->catchup &&
		    ui_handoff_split(ui, &buf[i])) {
			ui_handoff_keep(ui, buf + i, n - i);
			ui_handoff_caption(ui, &buf[i]);
			return (i);
		}
		if (buf[i].type == TRACE_CHAN_PUT &&
		    buf[i].worker < ui->meta->nworkers) {
			ui->handoff_obj = ui->put_obj = buf[i].object;
			ui->handoff_from = ui->put_from = buf[i].worker;
		}
		apply(ui, &buf[i], i >= from);
	}
	return (n);
}

void
ui_handoff_keep(struct ui *ui, const struct trace_event *ev, size_t n)
{
	if (ui->nheld + n > ui->held_size) {
		ui->held_size = ui->nheld + n;
		ui->held = xreallocarray(ui->held, ui->held_size,
		    sizeof *ui->held);
	}
	/* ev may point into held itself (a release that splits again). */
	memmove(ui->held + ui->nheld, ev, n * sizeof *ev);
	ui->nheld += n;
}

/* "3 sits in Q until t2 takes it": the step in between. */
void
ui_handoff_caption(struct ui *ui, const struct trace_event *get)
{
	int	queue = ui->meta->objects[get->object].kind == TRACE_OBJ_QUEUE;

	snprintf(ui->message, sizeof ui->message, "%s %s %lld into %s: it "
	    "sits there until %s %s it (n: next step)",
	    ui_worker_name(ui, ui->handoff_from), queue ? "put" : "sent",
	    (long long)get->a0, ui_object_name(ui, get->object),
	    ui_worker_name(ui, get->worker), queue ? "takes" : "receives");
	ui->changes |= UI_CH_ALL;
}

/* Apply what was kept (the next step, or running on). Returns 1 if
   there was something. */
int
ui_handoff_release(struct ui *ui, ui_apply_fn *apply)
{
	size_t	n = ui->nheld;

	if (n == 0)
		return (0);
	ui->nheld = 0;
	ui->handoff_obj = TRACE_NO_OBJECT;
	ui->handoff_from = TRACE_NO_WORKER;
	ui->message[0] = '\0';
	ui->nexplain = 0;
	ui_handoff_apply(ui, ui->held, n, 0, apply);
	ui->changes |= UI_CH_ALL;
	return (1);
}

/* Forget what was kept (restart, a jump in a recording). */
void
ui_handoff_reset(struct ui *ui)
{
	ui->nheld = 0;
	ui->handoff_obj = ui->put_obj = TRACE_NO_OBJECT;
	ui->handoff_from = ui->put_from = TRACE_NO_WORKER;
}
