/*
 * ui/waitline.c: the wait-for graph in one line, for a screen too small
 * for its own pane (80x24).
 *
 *   waits: user.6,user.7 → slots (held by user.1,user.2) · t2 → join t1
 *
 * Workers that wait for the same thing are grouped. The line is built from
 * whole names only: what does not fit in the width is counted ("+3 more
 * waiting"), never cut, so a name on it is always a name in full.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

struct waitline {
	char	*buf;
	size_t	 len, o;
	int	 width, w;
	int	 full;		/* something did not fit */
};

/* Append s if it fits in the width (leaving room for the tail); 0 if
   not. */
static int
waitline_add(struct waitline *wl, const char *s)
{
	int	sw = ui_text_width(s);

	if (wl->full || wl->w + sw > wl->width - 16 ||
	    wl->o + strlen(s) + 1 > wl->len) {
		wl->full = 1;
		return (0);
	}
	wl->o += (size_t)snprintf(wl->buf + wl->o, wl->len - wl->o, "%s", s);
	wl->w += sw;
	return (1);
}

/* Holders of o, "held by a,b", or "" when it has none to show. */
static void
waitline_holders(const struct ui *ui, uint16_t o, char *buf, size_t len)
{
	const struct model_object	*mo = &ui->model->objects[o];
	size_t				 off;
	int				 i;

	buf[0] = '\0';
	if (mo->owner != TRACE_NO_WORKER && mo->owner < ui->meta->nworkers &&
	    mo->nholders <= 1) {
		snprintf(buf, len, " (held by %s)", ui_worker_name(ui,
		    mo->owner));
		return;
	}
	if (mo->nholders == 0 || mo->signalling)
		return;
	off = (size_t)snprintf(buf, len, " (held by ");
	for (i = 0; i < mo->nholders && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i > 0 ? "," : "", ui_worker_name(ui, mo->holders[i]));
	if (off < len)
		snprintf(buf + off, len - off, ")");
}

/* Number of workers blocked now. */
int
ui_worker_waits(const struct ui *ui)
{
	size_t	w;
	int	n = 0;

	for (w = 0; w < ui->meta->nworkers; w++)
		if (ui->model->workers[w].state == MODEL_W_BLOCKED)
			n++;
	return (n);
}

/* The line for width columns into buf; "" when nobody waits. */
void
ui_waitline(const struct ui *ui, int width, char *buf, size_t len)
{
	const struct model_worker	*mw, *mv;
	struct waitline			 wl;
	char				 tok[256], wants[128], group[512];
	char				 tail[160];
	const char			*name;
	size_t				 w, v, nw = ui->meta->nworkers, o;
	int				 total, shown = 0, n, left;
	unsigned char			 done[1024];

	buf[0] = '\0';
	if ((total = ui_worker_waits(ui)) == 0 || len == 0)
		return;
	memset(&wl, 0, sizeof wl);
	wl.buf = buf;
	wl.len = len;
	wl.width = width;
	memset(done, 0, sizeof done);
	waitline_add(&wl, "waits: ");
	for (w = 0; w < nw && !wl.full; w++) {
		mw = &ui->model->workers[w];
		if (mw->state != MODEL_W_BLOCKED || (w < sizeof done &&
		    done[w]))
			continue;
		/* This worker and every later one waiting the same way, as
		   one group: as many whole names as fit, then how many
		   more, then what they wait for. */
		ui_worker_wants(ui, (uint16_t)w, wants, sizeof wants);
		snprintf(tail, sizeof tail, " %s %s", ui_glyph(UI_G_ARROW_R),
		    wants);
		o = (size_t)snprintf(group, sizeof group, "%s",
		    shown > 0 ? " · " : "");
		n = left = 0;
		for (v = w; v < nw; v++) {
			mv = &ui->model->workers[v];
			if (mv->state != MODEL_W_BLOCKED ||
			    mv->blocked_on != mw->blocked_on ||
			    mv->blocked_op != mw->blocked_op)
				continue;
			if (v < sizeof done)
				done[v] = 1;
			name = ui_worker_name(ui, (uint16_t)v);
			/* Room for this name, " +9" and the tail. */
			if (left > 0 || wl.w + ui_text_width(group) +
			    ui_text_width(name) + 1 + 4 +
			    ui_text_width(tail) > wl.width - 16) {
				left++;
				continue;
			}
			if (o < sizeof group)
				o += (size_t)snprintf(group + o,
				    sizeof group - o, "%s%s", n > 0 ? "," : "",
				    name);
			n++;
		}
		if (n == 0)
			break;
		if (left > 0 && o < sizeof group)
			o += (size_t)snprintf(group + o, sizeof group - o,
			    " +%d", left);
		if (o < sizeof group)
			snprintf(group + o, sizeof group - o, "%s", tail);
		if (!waitline_add(&wl, group))
			break;
		shown += n + left;
		if (mw->blocked_op != TRACE_JOIN_WAIT &&
		    mw->blocked_on < ui->meta->nobjects) {
			waitline_holders(ui, mw->blocked_on, tok, sizeof tok);
			waitline_add(&wl, tok);
			wl.full = 0;	/* the holders are a bonus */
		}
	}
	if (shown < total)
		snprintf(buf + wl.o, len - wl.o, "%s+%d more waiting",
		    shown > 0 ? " · " : "", total - shown);
}
