/*
 * ui/checkpoint.c: checkpoints of the view's state, so that a step back
 * in a recording costs a copy and at most K applies, not the recording.
 *
 * A step back (or a seek backwards) used to reset the model and the view
 * and re-read the recording from its first event: 10^7 events, half a
 * second; 10^8, seconds. Now, as the view applies a recording (stepping,
 * playing, catching up after G or d), it keeps a checkpoint every K
 * events: a copy of the model (model_copy) and of the per-event state the
 * view derives from the events (the timelines, the per-worker and
 * per-object arrays, the note, the banners). Going back restores the
 * latest checkpoint at or before the target and re-reads from there.
 *
 * Exactly the state a re-read from the first event gives: the model is
 * pure, and every field copied is computed event by event. The one part
 * that is not, the log, holds the explanations of the last UI_LOG_MAX
 * events before the target only (live.c's pump explains those in a
 * replay), so a checkpoint is used only UI_LOG_MAX events or more before
 * the target, with the log emptied: the re-read from it writes the same
 * lines a re-read from the first event would. Checkpoints are taken only
 * with nothing held back by a hand-off.
 *
 * Memory is bounded: at most UI_CKPT_MAX checkpoints and UI_CKPT_BYTES in
 * all. When either is passed, K doubles and every other checkpoint goes
 * (those left are still K apart), so a recording of any length keeps
 * between UI_CKPT_MAX / 2 and UI_CKPT_MAX of them, evenly spread (fewer
 * when they are big: many workers, full timelines). The timelines, most
 * of a checkpoint, are packed (5 bytes a point).
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui.h"
#include "util/xmalloc.h"

#define UI_CKPT_MIN	((uint64_t)1 << 16)	/* first spacing, events */
#define UI_CKPT_MAX	256
#define UI_CKPT_BYTES	((size_t)40 << 20)

/* A timeline lane, packed: the index of each point as the distance from
   the one before (32 bits; a lane with a longer gap is kept whole), and
   its state. 5 bytes a point instead of 16. */
struct ui_ckpt_lane {
	size_t			 n;
	uint32_t		*gap;
	uint8_t			*state;
	struct ui_tl_point	*whole;		/* or this, unpacked */
};

struct ui_ckpt {
	uint64_t		 at;		/* events applied */
	size_t			 bytes;
	struct model		*model;
	struct ui_ckpt_lane	*tl;		/* nworkers */
	int			*note_pending;
	long			*pid;
	uint8_t			*thread;
	int			*ran_line;
	uint8_t			*computing;
	uint16_t		*released_by;	/* nobjects + 1 */
	uint8_t			*sock_state;
	char			 note[UI_LOG_TEXT];
	uint16_t		 note_worker;
	int			 seen_deadlock, seen_stall, seen_end;
	int			 expect_failed;
	char			 banner[256];
	enum ui_role		 banner_role;
	uint16_t		 handoff_obj, handoff_from;
};

struct ui_checkpoints {
	struct ui_ckpt		*v;		/* by at, ascending */
	size_t			 n;
	uint64_t		 every;		/* K */
	size_t			 bytes;
	uint64_t		 restores;	/* re-reads that used one */
};

static void *
ui_ckpt_dup(const void *p, size_t n, size_t *bytes)
{
	void	*q;

	q = xmalloc(n > 0 ? n : 1);
	if (n > 0)
		memcpy(q, p, n);
	*bytes += n;
	return (q);
}

static void
ui_ckpt_done(struct ui_ckpt *c, size_t nw)
{
	size_t	i;

	model_free(c->model);
	for (i = 0; i < nw; i++) {
		free(c->tl[i].gap);
		free(c->tl[i].state);
		free(c->tl[i].whole);
	}
	free(c->tl);
	free(c->note_pending);
	free(c->pid);
	free(c->thread);
	free(c->ran_line);
	free(c->computing);
	free(c->released_by);
	free(c->sock_state);
}

static void
ui_ckpt_pack(struct ui_ckpt_lane *l, const struct ui_tl *tl, size_t *bytes)
{
	uint64_t	prev = 0;
	size_t		i;

	l->n = tl->n;
	for (i = 0; i < tl->n; i++) {
		if (tl->v[i].index - prev > UINT32_MAX)
			break;
		prev = tl->v[i].index;
	}
	if (i < tl->n) {
		l->whole = ui_ckpt_dup(tl->v, tl->n * sizeof *tl->v, bytes);
		return;
	}
	l->gap = xreallocarray(NULL, tl->n + 1, sizeof *l->gap);
	l->state = xmalloc(tl->n + 1);
	*bytes += tl->n * (sizeof *l->gap + 1);
	for (prev = 0, i = 0; i < tl->n; i++) {
		l->gap[i] = (uint32_t)(tl->v[i].index - prev);
		l->state[i] = tl->v[i].state;
		prev = tl->v[i].index;
	}
}

static void
ui_ckpt_unpack(struct ui_tl *tl, const struct ui_ckpt_lane *l)
{
	uint64_t	prev = 0;
	size_t		i;

	if (tl->size < l->n) {
		tl->size = l->n;
		tl->v = xreallocarray(tl->v, tl->size, sizeof *tl->v);
	}
	tl->n = l->n;
	if (l->whole != NULL) {
		memcpy(tl->v, l->whole, l->n * sizeof *tl->v);
		return;
	}
	for (i = 0; i < l->n; i++) {
		prev += l->gap[i];
		tl->v[i].index = prev;
		tl->v[i].state = l->state[i];
	}
}

static void
ui_ckpt_fill(struct ui_ckpt *c, const struct ui *ui)
{
	size_t	nw = ui->meta->nworkers, no = ui->meta->nobjects, i;

	memset(c, 0, sizeof *c);
	c->at = ui->model->nevents;
	c->model = model_clone(ui->model);
	c->bytes = sizeof *c + model_clone_size(ui->model);
	c->tl = xcalloc(nw + 1, sizeof *c->tl);
	for (i = 0; i < nw; i++)
		ui_ckpt_pack(&c->tl[i], &ui->tl[i], &c->bytes);
	c->note_pending = ui_ckpt_dup(ui->note_pending, (nw + 1) *
	    sizeof *ui->note_pending, &c->bytes);
	c->pid = ui_ckpt_dup(ui->pid, (nw + 1) * sizeof *ui->pid, &c->bytes);
	c->thread = ui_ckpt_dup(ui->thread, nw + 1, &c->bytes);
	c->ran_line = ui_ckpt_dup(ui->ran_line, (nw + 1) *
	    sizeof *ui->ran_line, &c->bytes);
	c->computing = ui_ckpt_dup(ui->computing, nw + 1, &c->bytes);
	c->released_by = ui_ckpt_dup(ui->released_by, (no + 1) *
	    sizeof *ui->released_by, &c->bytes);
	c->sock_state = ui_ckpt_dup(ui->sock_state, no + 1, &c->bytes);
	memcpy(c->note, ui->note, sizeof c->note);
	c->note_worker = ui->note_worker;
	c->seen_deadlock = ui->seen_deadlock;
	c->seen_stall = ui->seen_stall;
	c->seen_end = ui->seen_end;
	c->expect_failed = ui->expect_failed;
	memcpy(c->banner, ui->banner, sizeof c->banner);
	c->banner_role = ui->banner_role;
	c->handoff_obj = ui->put_obj;	/* as a re-read leaves them */
	c->handoff_from = ui->put_from;
}

/* Over budget: double the spacing, keep the first checkpoint of each new
   interval. */
static void
ui_ckpt_thin(struct ui_checkpoints *cs, size_t nw)
{
	size_t	i, j;

	while (cs->n > UI_CKPT_MAX || (cs->bytes > UI_CKPT_BYTES &&
	    cs->n > 1)) {
		cs->every *= 2;
		for (i = j = 0; i < cs->n; i++) {
			if (j > 0 && cs->v[i].at / cs->every ==
			    cs->v[j - 1].at / cs->every) {
				cs->bytes -= cs->v[i].bytes;
				ui_ckpt_done(&cs->v[i], nw);
				continue;
			}
			cs->v[j++] = cs->v[i];
		}
		cs->n = j;
	}
}

/* After a batch of a recording was applied: a checkpoint here if there is
   none yet in this interval of K events. */
void
ui_checkpoint_take(struct ui *ui)
{
	struct ui_checkpoints	*cs;
	uint64_t		 at = ui->model->nevents;
	size_t			 lo, hi, mid;

	if (!ui->replay || ui->nheld > 0 || at == 0)
		return;
	if ((cs = ui->ckpt) == NULL) {
		cs = ui->ckpt = xcalloc(1, sizeof *cs);
		cs->every = UI_CKPT_MIN;
	}
	/* First checkpoint after at: is one in at's interval? */
	lo = 0;
	hi = cs->n;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cs->v[mid].at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && cs->v[lo - 1].at / cs->every == at / cs->every)
		return;
	if (lo < cs->n && cs->v[lo].at / cs->every == at / cs->every)
		return;
	cs->v = xreallocarray(cs->v, cs->n + 1, sizeof *cs->v);
	memmove(cs->v + lo + 1, cs->v + lo, (cs->n - lo) * sizeof *cs->v);
	ui_ckpt_fill(&cs->v[lo], ui);
	cs->bytes += cs->v[lo].bytes;
	cs->n++;
	ui_ckpt_thin(cs, ui->meta->nworkers);
}

/*
 * The view was just reset to go to target events: restore the latest
 * checkpoint at least UI_LOG_MAX events before it. Returns the events it
 * stands for (the source re-reads from there), 0 if none fits.
 */
uint64_t
ui_checkpoint_restore(struct ui *ui, uint64_t target)
{
	struct ui_checkpoints	*cs = ui->ckpt;
	const struct ui_ckpt	*c = NULL;
	size_t			 nw = ui->meta->nworkers, no = ui->meta->nobjects;
	size_t			 i;

	if (cs == NULL || target < UI_LOG_MAX)
		return (0);
	for (i = cs->n; i > 0; i--) {
		if (cs->v[i - 1].at + UI_LOG_MAX <= target) {
			c = &cs->v[i - 1];
			break;
		}
	}
	if (c == NULL)
		return (0);
	cs->restores++;
	model_copy(ui->model, c->model);
	for (i = 0; i < nw; i++)
		ui_ckpt_unpack(&ui->tl[i], &c->tl[i]);
	memcpy(ui->note_pending, c->note_pending, (nw + 1) *
	    sizeof *ui->note_pending);
	memcpy(ui->pid, c->pid, (nw + 1) * sizeof *ui->pid);
	memcpy(ui->thread, c->thread, nw + 1);
	memcpy(ui->ran_line, c->ran_line, (nw + 1) * sizeof *ui->ran_line);
	memcpy(ui->computing, c->computing, nw + 1);
	memcpy(ui->released_by, c->released_by, (no + 1) *
	    sizeof *ui->released_by);
	memcpy(ui->sock_state, c->sock_state, no + 1);
	memcpy(ui->note, c->note, sizeof ui->note);
	ui->note_worker = c->note_worker;
	ui->seen_deadlock = c->seen_deadlock;
	ui->seen_stall = c->seen_stall;
	ui->seen_end = c->seen_end;
	ui->expect_failed = c->expect_failed;
	memcpy(ui->banner, c->banner, sizeof ui->banner);
	ui->banner_role = c->banner_role;
	ui->handoff_obj = ui->put_obj = c->handoff_obj;
	ui->handoff_from = ui->put_from = c->handoff_from;
	ui->nread = c->at;
	ui->log_head = ui->log_n = 0;	/* see the top of the file */
	ui->nexplain = 0;
	return (c->at);
}

/* The model of the latest checkpoint at or before at, and where it is
   (for a scan: copy it), or NULL. */
const struct model *
ui_checkpoint_model(const struct ui *ui, uint64_t at, uint64_t *where)
{
	const struct ui_checkpoints	*cs = ui->ckpt;
	size_t				 lo = 0, hi, mid;

	if (cs == NULL)
		return (NULL);
	hi = cs->n;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cs->v[mid].at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return (NULL);
	*where = cs->v[lo - 1].at;
	return (cs->v[lo - 1].model);
}

/* Tests: checkpoints every k events from now on (k >= 1). */
void
ui_checkpoint_every(struct ui *ui, uint64_t k)
{
	if (ui->ckpt == NULL)
		ui->ckpt = xcalloc(1, sizeof *ui->ckpt);
	ui->ckpt->every = k > 0 ? k : 1;
}

/* How many checkpoints, their spacing and bytes, how many re-reads
   started from one (the bench, the tests). */
size_t
ui_checkpoint_stats(const struct ui *ui, uint64_t *every, size_t *bytes,
    uint64_t *restores)
{
	const struct ui_checkpoints	*cs = ui->ckpt;

	*every = cs != NULL ? cs->every : UI_CKPT_MIN;
	*bytes = cs != NULL ? cs->bytes : 0;
	*restores = cs != NULL ? cs->restores : 0;
	return (cs != NULL ? cs->n : 0);
}

void
ui_checkpoint_free(struct ui *ui)
{
	struct ui_checkpoints	*cs = ui->ckpt;
	size_t			 i;

	if (cs == NULL)
		return;
	for (i = 0; i < cs->n; i++)
		ui_ckpt_done(&cs->v[i], ui->meta->nworkers);
	free(cs->v);
	free(cs);
	ui->ckpt = NULL;
}
