/*
 * ui/live.c: the live view's loop: events in, model, breakpoints, frame.
 *
 * One loop, one thread. Each pass:
 *
 *   1. read batches of events from the source (for at most ~15 ms, so a
 *      run at full speed cannot starve the keyboard), apply each to the
 *      model, keep plain-words explanations of the last UI_LOG_MAX for the
 *      log and the caption, the statement's note, the timeline history;
 *   2. check breakpoints (deadlock, stall, contention, expectation) and
 *      pause the run when one fires;
 *   3. redraw only the panes whose kind of state changed (UI_CH_* flags
 *      merged over the pass), wnoutrefresh each, one doupdate();
 *   4. poll() the terminal, the signal pipe and the run's wake fd. The
 *      timeout is infinite unless events are still pending or a recorded
 *      source is playing: paused or finished, the process sleeps.
 *
 * Keys act on the source (step, run, tempo, restart) and on the view
 * (focus, scroll, overlays). Stepping offers only workers that wait at
 * their gate; the events a step causes arrive through the wake fd and are
 * on screen within the same pass that reads them.
 *
 * Lecture keys: `.` or `>` runs until something worth a look happens (a
 * worker blocks or wakes, an update is lost, a deadlock or stall forms)
 * and pauses there; PgDn and PgUp step forward and back and `b` blanks
 * the screen, as a presentation clicker sends them; `z` zooms the focused
 * pane. Left steps back too.
 *
 * `w` saves what the source has as a trace file. In a replay, g and G
 * seek to the start and the end, d and D to the next and previous
 * detection: a scratch model is fed the recording from its first event
 * to find the event at which one appears, then the source is told to
 * release exactly that far and the view reads up to it the usual way
 * (from a fresh model when that is backwards). The screen at event N is
 * thus what the same model, given the same first N events, shows: what
 * the live view showed at event N.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scenario/ast.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define UI_BATCH		4096
#define UI_PUMP_MS		15
#define UI_IDLE_MS		1000	/* safety-net wake-up of a live run */
#define UI_TL_MAX		4096	/* points a lane keeps: a pane is a
					   few hundred columns wide */
#define UI_SEEK_TEMPO		10	/* ms a step while `.` looks ahead */
#define UI_HINT_MS		10000	/* running this long: hint at + */

#define UI_TEMPO_DEFAULT	5

static uint64_t
ui_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/* Notes by line, from every statement of every body. */
static void
ui_notes_block(struct ui *ui, const struct scn_block *b)
{
	const struct scn_stmt	*s;
	size_t			 i;

	for (i = 0; i < b->n; i++) {
		s = b->v[i];
		if (s->note != NULL && s->line >= 1 && s->line <= ui->nlines)
			ui->notes[s->line] = s->note;
		ui_notes_block(ui, &s->body);
		ui_notes_block(ui, &s->orelse);
	}
}

static void
ui_notes_build(struct ui *ui)
{
	const struct scn_file	*f = ui->file;
	size_t			 i;

	ui->notes = xcalloc((size_t)ui->nlines + 2, sizeof *ui->notes);
	if (f == NULL)
		return;
	for (i = 0; i < f->nworkers; i++)
		ui_notes_block(ui, &f->workers[i].body);
	for (i = 0; i < f->nobjects; i++)
		ui_notes_block(ui, &f->objects[i].body);
}

static void
ui_lines_build(struct ui *ui)
{
	char	*p;
	int	 n = 1;
	size_t	 len;

	ui->text = xstrdup(ui->meta->source != NULL ? ui->meta->source : "");
	for (p = ui->text; *p != '\0'; p++)
		if (*p == '\n')
			n++;
	ui->lines = xcalloc((size_t)n + 2, sizeof *ui->lines);
	ui->nlines = 0;
	p = ui->text;
	while (*p != '\0') {
		ui->lines[++ui->nlines] = p;
		len = strcspn(p, "\n");
		if (len > 0 && p[len - 1] == '\r')
			p[len - 1] = '\0';
		if (p[len] == '\0')
			break;
		p[len] = '\0';
		p += len + 1;
	}
	ui->lines[ui->nlines + 1] = NULL;
}

/* The about text as one paragraph per blank-line-separated block: the
   file's line breaks are only where its author ran out of width. */
static char *
ui_reflow(const char *s)
{
	char	*out, *o;

	if (s == NULL)
		return (NULL);
	while (*s == '\n' || *s == ' ')
		s++;
	out = o = xstrdup(s);
	for (; *s != '\0'; s++) {
		if (*s == '\n' && s[1] == '\n') {
			*o++ = '\n';
			while (s[1] == '\n')
				s++;
		} else if (*s == '\n' || *s == '\t')
			*o++ = ' ';
		else if (*s != ' ' || (o > out && o[-1] != ' ' &&
		    o[-1] != '\n'))
			*o++ = *s;
	}
	while (o > out && (o[-1] == ' ' || o[-1] == '\n'))
		o--;
	*o = '\0';
	return (out);
}

/* The view's arrays sized by the meta (one entry per worker or object),
   made anew: at creation, and when a traced program's meta grows. */
static void
ui_size_arrays(struct ui *ui)
{
	const struct trace_meta	*meta = ui->meta;
	size_t			 i;

	if (ui->tl != NULL)
		for (i = 0; i < ui->ntl; i++)
			free(ui->tl[i].v);
	free(ui->tl);
	free(ui->note_pending);
	free(ui->pid);
	free(ui->thread);
	free(ui->ran_line);
	free(ui->computing);
	free(ui->sock_state);
	free(ui->released_by);
	ui->ntl = meta->nworkers;
	ui->tl = xcalloc(meta->nworkers + 1, sizeof *ui->tl);
	ui->note_pending = xcalloc(meta->nworkers + 1,
	    sizeof *ui->note_pending);
	ui->pid = xcalloc(meta->nworkers + 1, sizeof *ui->pid);
	ui->thread = xcalloc(meta->nworkers + 1, sizeof *ui->thread);
	ui->ran_line = xcalloc(meta->nworkers + 1, sizeof *ui->ran_line);
	ui->computing = xcalloc(meta->nworkers + 1, sizeof *ui->computing);
	ui->sock_state = xcalloc(meta->nobjects + 1, sizeof *ui->sock_state);
	ui->released_by = xcalloc(meta->nobjects + 1,
	    sizeof *ui->released_by);
	memset(ui->released_by, 0xff, (meta->nobjects + 1) *
	    sizeof *ui->released_by);
}

struct ui *
ui_create(struct ui_source *src, const struct trace_meta *meta,
    const struct scn_file *file)
{
	struct ui	*ui;

	ui = xcalloc(1, sizeof *ui);
	ui->src = src;
	ui->meta = meta;
	ui->file = file;
	ui->replay = src->recorded;
	ui->model = model_create(meta);
	ui_lines_build(ui);
	ui_notes_build(ui);
	ui->about = ui_reflow(meta->about);
	ui_size_arrays(ui);
	ui_handoff_reset(ui);
	ui->bp[UI_BP_DEADLOCK] = 1;
	ui->bp[UI_BP_STALL] = 1;
	ui->tempo = UI_TEMPO_DEFAULT;
	src->ops->set_tempo(src, ui_tempos[ui->tempo]);
	ui->last_stepped = -1;
	ui->focus = UI_P_WORKERS;
	ui->flex = UI_P_OBJECTS;
	ui->panes[UI_P_SOURCE].follow = 1;
	ui->panes[UI_P_LOG].follow = 1;
	ui->changes = UI_CH_ALL;
	return (ui);
}

void
ui_free(struct ui *ui)
{
	size_t	i;
	int	id;

	if (ui == NULL)
		return;
	for (id = 0; id < UI_P_COUNT; id++)
		if (ui->panes[id].win != NULL)
			delwin(ui->panes[id].win);
	if (ui->overlay_win != NULL)
		delwin(ui->overlay_win);
	for (i = 0; i < ui->ntl; i++)
		free(ui->tl[i].v);
	free(ui->tl);
	free(ui->note_pending);
	free(ui->pid);
	free(ui->thread);
	free(ui->ran_line);
	free(ui->computing);
	free(ui->sock_state);
	free(ui->held);
	free(ui->released_by);
	free(ui->notes);
	free(ui->lines);
	free(ui->text);
	free(ui->about);
	ui_checkpoint_free(ui);
	model_free(ui->model);
	free(ui);
}

/* Back to no events (restart, step back): the model and all we keep. */
static void
ui_view_reset(struct ui *ui)
{
	size_t	i;

	model_reset(ui->model);
	ui->log_head = ui->log_n = 0;
	ui->note[0] = '\0';
	ui->nexplain = 0;
	ui->banner[0] = '\0';
	ui->seen_deadlock = ui->seen_stall = ui->seen_end = 0;
	ui->expect_failed = 0;
	for (i = 0; i < ui->meta->nworkers; i++) {
		ui->tl[i].n = 0;
		ui->note_pending[i] = 0;
		ui->ran_line[i] = 0;
		/* Not started again yet: no pid (a step back to before a
		   worker's start showed the one it had later). */
		ui->pid[i] = 0;
		ui->thread[i] = 0;
		ui->computing[i] = 0;
	}
	memset(ui->released_by, 0xff, (ui->meta->nobjects + 1) *
	    sizeof *ui->released_by);
	memset(ui->sock_state, 0, ui->meta->nobjects + 1);
	ui_handoff_reset(ui);
	ui->seek = 0;
	ui->finished = 0;
	ui->nread = 0;
	ui->panes[UI_P_SOURCE].follow = 1;
	ui->panes[UI_P_LOG].follow = 1;
	ui->changes = UI_CH_ALL;
}

/* The same, for bench/frame-bench (which replays frames from scratch). */
void
ui_view_reset_for_bench(struct ui *ui)
{
	ui_view_reset(ui);
}

static void
ui_message(struct ui *ui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	ui->changes |= UI_CH_CAPTION;
}

/* Which panes an event can change. */
static unsigned
ui_changes_for(uint16_t type)
{
	switch (type) {
	case TRACE_STEP:
	case TRACE_MICROSTEP:
		return (UI_CH_WORKERS | UI_CH_SOURCE | UI_CH_TIMELINE);
	case TRACE_SHARED_LOAD:
	case TRACE_SHARED_STORE:
	case TRACE_SHARED_ADD:
	case TRACE_LOCAL_SET:
	case TRACE_TASK_BEGIN:
	case TRACE_TASK_END:
		return (UI_CH_OBJECTS | UI_CH_WORKERS);
	case TRACE_SLEEP:
	case TRACE_COMPUTE:
	case TRACE_AWAKE:
		return (UI_CH_WORKERS | UI_CH_TIMELINE);
	case TRACE_PRINT:
	case TRACE_NOTE:
	case TRACE_ERROR:
		return (UI_CH_CAPTION | UI_CH_LOG);
	case TRACE_RUN_BEGIN:
	case TRACE_RUN_END:
		return (UI_CH_ALL);
	default:
		return (UI_CH_WORKERS | UI_CH_SOURCE | UI_CH_OBJECTS |
		    UI_CH_GRAPH | UI_CH_TIMELINE);
	}
}

/* Events that change only their own worker's state (the frequent ones in
   a loop). */
static int
ui_event_is_own(uint16_t type)
{
	switch (type) {
	case TRACE_STEP:
	case TRACE_MICROSTEP:
	case TRACE_SHARED_LOAD:
	case TRACE_SHARED_STORE:
	case TRACE_SHARED_ADD:
	case TRACE_LOCAL_SET:
	case TRACE_PRINT:
	case TRACE_NOTE:
	case TRACE_SLEEP:
	case TRACE_COMPUTE:
	case TRACE_AWAKE:
	case TRACE_LOCK_WAIT:
	case TRACE_LOCK_ACQUIRED:
	case TRACE_SEM_WAIT:
	case TRACE_SEM_ACQUIRED:
		return (1);
	default:
		return (0);
	}
}

/* Remember a worker's state for the timeline (only changes are kept;
   past UI_TL_MAX, neighbours merge and the more telling state wins). */
static void
ui_tl_push(struct ui *ui, size_t w, uint8_t state, uint64_t index)
{
	struct ui_tl	*tl = &ui->tl[w];
	size_t		 i;

	if (tl->n > 0 && tl->v[tl->n - 1].state == state)
		return;
	if (tl->n == UI_TL_MAX) {
		for (i = 0; i + 1 < tl->n; i += 2) {
			tl->v[i / 2] = tl->v[i];
			if (tl->v[i + 1].state == MODEL_W_BLOCKED)
				tl->v[i / 2].state = MODEL_W_BLOCKED;
		}
		tl->n /= 2;
	}
	if (tl->n == tl->size) {
		tl->size = tl->size == 0 ? 64 : tl->size * 2;
		tl->v = xreallocarray(tl->v, tl->size, sizeof *tl->v);
	}
	tl->v[tl->n].index = index;
	tl->v[tl->n].state = state;
	tl->n++;
}

static void
ui_show_note(struct ui *ui, uint16_t w, int line)
{
	if (ui->notes == NULL || line < 1 || line > ui->nlines ||
	    ui->notes[line] == NULL)
		return;
	snprintf(ui->note, sizeof ui->note, "%s", ui->notes[line]);
	ui->note_worker = w;
	ui->changes |= UI_CH_CAPTION;
}

static void
ui_log_push(struct ui *ui, const struct trace_event *ev, const char *text)
{
	struct ui_logline	*l = &ui->log[ui->log_head];

	l->index = ui->model->nevents;
	l->time = ev->time >= ui->model->t0 ? ev->time - ui->model->t0 : 0;
	l->worker = ev->worker;
	l->type = ev->type;
	snprintf(l->text, sizeof l->text, "%s", text);
	ui->log_head = (ui->log_head + 1) % UI_LOG_MAX;
	if (ui->log_n < UI_LOG_MAX)
		ui->log_n++;
	if (ui->nexplain == UI_EXPLAIN_MAX) {
		memmove(ui->explain[0], ui->explain[1],
		    (UI_EXPLAIN_MAX - 1) * sizeof ui->explain[0]);
		ui->nexplain--;
	}
	snprintf(ui->explain[ui->nexplain++], sizeof ui->explain[0], "%s",
	    text);
	ui->changes |= UI_CH_LOG | UI_CH_CAPTION;
}

/* "t1 -> B -> t2 -> A -> t1" from the lowest worker. */
static void
ui_cycle_string(const struct ui *ui, char *buf, size_t len)
{
	const struct model_cycle	*cy = &ui->model->detect.cycle;
	size_t				 k, i, o = 0, start;
	int				 join;

	buf[0] = '\0';
	if (cy->n == 0)
		return;
	start = ui_cycle_start(ui);
	for (k = 0; k < cy->n && o < len; k++) {
		i = (start + k) % cy->n;
		join = cy->ops != NULL && cy->ops[i] == TRACE_JOIN_WAIT;
		if (join)
			o += (size_t)snprintf(buf + o, len - o, "%s -> ",
			    ui_worker_name(ui, cy->workers[i]));
		else
			o += (size_t)snprintf(buf + o, len - o, "%s -> %s -> ",
			    ui_worker_name(ui, cy->workers[i]),
			    ui_object_name(ui, cy->objects[i]));
	}
	if (o < len)
		snprintf(buf + o, len - o, "%s",
		    ui_worker_name(ui, cy->workers[start]));
}

/* The first expectation that does not hold, or NULL. */
static const struct trace_meta_expect *
ui_failed_expect(const struct ui *ui)
{
	size_t	i;

	for (i = 0; i < ui->meta->nexpects; i++) {
		if (!model_expect_holds(ui->model, &ui->meta->expects[i]))
			return (&ui->meta->expects[i]);
	}
	return (NULL);
}

static void
ui_banner_expect(struct ui *ui, const struct trace_meta_expect *e)
{
	int64_t	v;

	if (e->kind == TRACE_EXPECT_METRIC &&
	    model_metric(ui->model, e->metric, e->object, &v) == 0)
		snprintf(ui->banner, sizeof ui->banner,
		    "EXPECTATION FAILED  %s  (it is %lld)", e->text,
		    (long long)v);
	else
		snprintf(ui->banner, sizeof ui->banner,
		    "EXPECTATION FAILED  %s", e->text);
	ui->banner_role = UI_R_BANNER;
}

static void
ui_pause(struct ui *ui)
{
	if (!ui->src->ops->paused(ui->src))
		ui->src->ops->pause(ui->src);
	ui->changes |= UI_CH_HEADER | UI_CH_KEYS;
}

/* After each event: detections become banners, breakpoints pause. */
static void
ui_check(struct ui *ui, const struct trace_event *ev)
{
	const struct model_detect	*d = &ui->model->detect;
	const struct trace_meta_expect	*e;
	char				 cycle[200];
	int				 judge = 0;

	if ((d->deadlock || d->self_deadlock) && !ui->seen_deadlock) {
		ui->seen_deadlock = 1;
		if (d->deadlock) {
			ui_cycle_string(ui, cycle, sizeof cycle);
			snprintf(ui->banner, sizeof ui->banner,
			    "DEADLOCK  %s", cycle);
		} else
			snprintf(ui->banner, sizeof ui->banner,
			    "DEADLOCK  %s waits for %s, which it holds itself",
			    ui_worker_name(ui, d->self_worker),
			    ui_object_name(ui, d->self_object));
		ui->banner_role = UI_R_BANNER;
		if (ui->bp[UI_BP_DEADLOCK])
			ui_pause(ui);
		if (!ui_layout_visible(ui, UI_P_GRAPH)) {
			ui->flex = UI_P_GRAPH;
			ui->relayout = 1;
		}
		ui->changes |= UI_CH_ALL;
		judge = 1;
	}
	if (d->stall && !ui->seen_stall && !ui->seen_deadlock) {
		ui->seen_stall = 1;
		snprintf(ui->banner, sizeof ui->banner, "STALL  every live "
		    "worker is waiting and nothing can wake them (no cycle)");
		ui->banner_role = UI_R_WARN;
		if (ui->bp[UI_BP_STALL])
			ui_pause(ui);
		ui->changes |= UI_CH_ALL;
		judge = 1;
	}
	if (ui->bp[UI_BP_CONTENTION] && (ev->type == TRACE_LOCK_WAIT ||
	    ev->type == TRACE_SEM_WAIT) && !ui->src->ops->paused(ui->src)) {
		ui_pause(ui);
		ui_message(ui, "Breakpoint (contention): %s waits for %s",
		    ui_worker_name(ui, ev->worker),
		    ui_object_name(ui, ev->object));
	}
	if (ui->model->run_ended && !ui->seen_end) {
		ui->seen_end = 1;
		judge = 2;
	}
	if (!judge || ui->meta->nexpects == 0 || ui->expect_failed) {
		if (judge == 2 && ui->banner[0] == '\0') {
			snprintf(ui->banner, sizeof ui->banner,
			    "FINISHED  every worker has ended");
			ui->banner_role = UI_R_BANNER_OK;
		}
		return;
	}
	e = ui_failed_expect(ui);
	if (e != NULL) {
		ui->expect_failed = 1;
		if (ui->bp[UI_BP_EXPECT]) {
			ui_pause(ui);
			if (!ui->seen_deadlock && !ui->seen_stall)
				ui_banner_expect(ui, e);
		} else if (judge == 2 && ui->banner[0] == '\0')
			ui_banner_expect(ui, e);
	} else if (judge == 2 && ui->banner[0] == '\0') {
		snprintf(ui->banner, sizeof ui->banner,
		    "FINISHED  every expectation holds");
		ui->banner_role = UI_R_BANNER_OK;
	}
	ui->changes |= UI_CH_CAPTION | UI_CH_OBJECTS;
}

/* Whether ev is worth stopping for after `.`: a worker blocks, one that
   waited wakes, an update is lost, a detection appears, or the run
   ends. */
static int
ui_seek_stop(struct ui *ui, const struct trace_event *ev,
    enum model_wstate was, uint64_t lost)
{
	const struct model	*m = ui->model;
	uint16_t		 w = ev->worker;

	if (m->detect.deadlock || m->detect.self_deadlock || m->detect.stall ||
	    m->run_ended)
		return (1);
	if (w >= ui->meta->nworkers)
		return (0);
	if (ev->type == TRACE_SHARED_STORE && ev->object < ui->meta->nobjects &&
	    m->objects[ev->object].lost_updates > lost)
		return (1);
	switch (ev->type) {
	case TRACE_LOCK_WAIT:
	case TRACE_SEM_WAIT:
	case TRACE_COND_WAIT:
	case TRACE_CHAN_OPEN_WAIT:
	case TRACE_CHAN_PUT_WAIT:
	case TRACE_CHAN_GET_WAIT:
	case TRACE_JOIN_WAIT:
		return (1);
	case TRACE_BARRIER_WAIT:
		return (m->workers[w].state == MODEL_W_BLOCKED);
	default:
		break;
	}
	/* A wake-up: it was blocked and is not any more. */
	return (was == MODEL_W_BLOCKED &&
	    m->workers[w].state != MODEL_W_BLOCKED);
}

static void
ui_seek_done(struct ui *ui, const struct trace_event *ev)
{
	ui->seek = 0;
	if (ui->replay)
		ui->src->ops->set_tempo(ui->src, ui_tempos[ui->tempo]);
	ui_pause(ui);
	if (ev->worker < ui->meta->nworkers)
		ui->last_stepped = ev->worker;
	ui->panes[UI_P_SOURCE].follow = 1;
	ui_message(ui, "Stopped after %" PRIu64 " events: %s",
	    ui->model->nevents - ui->seek_from, ui->nexplain > 0 ?
	    ui->explain[ui->nexplain - 1] : "the run has ended");
	ui->changes |= UI_CH_ALL;
}

void
ui_apply(struct ui *ui, const struct trace_event *ev, int explain)
{
	struct model	*m = ui->model;
	uint16_t	 w = ev->worker;
	int		 valid = w < ui->meta->nworkers;
	char		 text[UI_LOG_TEXT];
	const char	*s;
	size_t		 n, i;
	uint64_t	 idx, lost;
	enum model_wstate was;

	lost = valid && ev->type == TRACE_SHARED_STORE &&
	    ev->object < ui->meta->nobjects ?
	    m->objects[ev->object].lost_updates : 0;
	if (valid && ev->type == TRACE_STEP)
		ui->ran_line[w] = m->workers[w].line;
	was = valid ? m->workers[w].state : MODEL_W_READY;
	model_apply(m, ev);
	ui->nread++;
	if (valid && ev->type == TRACE_SEM_RELEASE &&
	    ev->object < ui->meta->nobjects)
		ui->released_by[ev->object] = w;
	if (valid && (ev->type == TRACE_SLEEP || ev->type == TRACE_COMPUTE))
		ui->computing[w] = ev->type == TRACE_COMPUTE;
	if (valid && ev->type == TRACE_CHAN_OPEN &&
	    ev->object < ui->meta->nobjects &&
	    (s = ui_socket_op(ui, w)) != NULL)
		ui->sock_state[ev->object] |= s[0] == 'l' ? UI_SOCK_LISTEN :
		    s[0] == 'a' ? UI_SOCK_ACCEPTED : UI_SOCK_CONNECTED;
	if (valid && ev->type == TRACE_WORKER_START) {
		ui->pid[w] = (long)ev->a0;
		ui->thread[w] = ev->a1 != 0;
	}
	ui->changes |= ui_changes_for(ev->type) | UI_CH_HEADER;
	/* The timeline, event by event (not per batch read, so that a
	   replay draws what the live view drew): the worker's own state,
	   and the others' when the event can wake or end someone. */
	idx = m->nevents > 0 ? m->nevents - 1 : 0;
	if (ui_event_is_own(ev->type)) {
		if (valid)
			ui_tl_push(ui, w, (uint8_t)m->workers[w].state, idx);
	} else {
		for (i = 0; i < ui->meta->nworkers; i++)
			ui_tl_push(ui, i, (uint8_t)m->workers[i].state, idx);
	}
	if (valid) {
		/* The note of a statement shows once it has done something
		   (or the worker has moved on from it). */
		if (ev->type == TRACE_NOTE) {
			s = ui->src->ops->string(ui->src, ev->a0);
			if (s != NULL) {
				snprintf(ui->note, sizeof ui->note, "%s", s);
				ui->note_worker = w;
				ui->changes |= UI_CH_CAPTION;
			}
			ui->note_pending[w] = 0;
		} else if (ui->note_pending[w] > 0) {
			ui_show_note(ui, w, ui->note_pending[w]);
			ui->note_pending[w] = 0;
		}
		if (ev->type == TRACE_STEP)
			ui->note_pending[w] = (int)ev->a0;
	}
	if (explain && ev->type != TRACE_STEP &&
	    ev->type != TRACE_MICROSTEP && ev->type != TRACE_NOTE) {
		text[0] = '\0';
		if (ev->type == TRACE_PRINT || ev->type == TRACE_ERROR) {
			s = ui->src->ops->string(ui->src, ev->a0);
			snprintf(text, sizeof text, "%s %s: %s",
			    ui_worker_name(ui, w), ev->type == TRACE_PRINT ?
			    "prints" : "error", s != NULL ? s : "?");
		} else if (valid && ui_socket_explain(ui, ev, text,
		    sizeof text)) {
			/* listen, accept, connect: not one "opens S". */
		} else if (valid && ui_chan_explain(ui, ev, text,
		    sizeof text)) {
			/* send and recv, not put and get. */
		} else if (ev->type == TRACE_AWAKE && valid) {
			/* The end of a sleep or a computation is not the end
			   of a wait for someone. */
			snprintf(text, sizeof text, ui->computing[w] ?
			    "%s has finished computing" :
			    "%s wakes up after sleeping", ui_worker_name(ui, w));
		} else {
			n = model_explain(m, ev, text, sizeof text);
			if (n >= sizeof text)
				n = sizeof text - 1;
			text[n] = '\0';
		}
		if (text[0] != '\0')
			ui_log_push(ui, ev, text);
	}
	ui_check(ui, ev);
	if (ui->seek && ui_seek_stop(ui, ev, was, lost))
		ui_seek_done(ui, ev);
}

/* A traced program's meta grew (a new thread or object): make again what
   is sized by it and read every event again from the first (the model is
   pure: the same events give the same state). */
static void
ui_regrow(struct ui *ui)
{
	model_free(ui->model);
	ui->src->ops->regrow(ui->src);
	ui->model = model_create(ui->meta);
	/* Every per-worker and per-object array follows the new meta. */
	ui_size_arrays(ui);
	ui_view_reset(ui);
	ui->relayout = 1;	/* pane heights follow the worker count */
}

/* The first event of a batch of n to explain in the log: the last
   UI_LOG_MAX of the batch; in a recording, those of the last UI_LOG_MAX
   before the released limit, whatever the batches (so a re-read from a
   checkpoint writes the lines a re-read from the first event does). */
static size_t
ui_explain_from(struct ui *ui, size_t n)
{
	uint64_t	at, total;

	if (!ui->replay)
		return (n > UI_LOG_MAX ? n - UI_LOG_MAX : 0);
	ui->src->ops->position(ui->src, &at, &total);
	if (at <= ui->nread + UI_LOG_MAX)
		return (0);
	at -= ui->nread + UI_LOG_MAX;
	return (at < n ? (size_t)at : n);
}

/* A recording is to be re-read up to where the source now is: from the
   latest checkpoint that fits, and with nothing held back on the way. */
static void
ui_reread(struct ui *ui)
{
	uint64_t	at, total, from;

	ui->src->ops->position(ui->src, &at, &total);
	ui->catchup = at;
	if (ui->src->ops->reread_from == NULL)
		return;
	from = ui_checkpoint_restore(ui, at);
	if (from > 0)
		ui->src->ops->reread_from(ui->src, from);
	log_debug("%s: to %llu from %llu", __func__, (unsigned long long)at,
	    (unsigned long long)from);
}

/* Read what the source has, for at most UI_PUMP_MS. Returns 1 if more
   may be waiting. */
static int
ui_pump(struct ui *ui, struct trace_event *buf)
{
	struct ui_source	*src = ui->src;
	uint64_t		 start = ui_now_ms();
	size_t			 n, from;

	/* A hand-off kept back waits for the next step; running on
	   applies it first. */
	if (ui->nheld > 0) {
		if (src->ops->paused(src) && !ui->seek)
			return (0);
		ui_handoff_release(ui, ui_apply);
	}
	for (;;) {
		if (src->ops->grown != NULL && src->ops->grown(src))
			ui_regrow(ui);
		n = src->ops->read(src, buf, UI_BATCH);
		if (n == 0) {
			if (!ui->finished && src->ops->finished(src)) {
				ui->finished = 1;
				ui->changes |= UI_CH_ALL;
				if (src->ops->lost != NULL &&
				    src->ops->lost(src, ui->banner,
				    sizeof ui->banner))
					ui->banner_role = UI_R_BANNER;
				log_debug("%s: run finished after %llu events",
				    __func__, (unsigned long long)ui->nread);
			}
			return (0);
		}
		log_debug("%s: %zu events", __func__, n);
		ui->model->dropped = src->ops->dropped(src);
		from = ui_explain_from(ui, n);
		if (ui_handoff_apply(ui, buf, n, from, ui_apply) < n)
			return (0);
		ui_checkpoint_take(ui);
		if (ui_now_ms() - start >= UI_PUMP_MS)
			return (1);
	}
}

void
ui_render(struct ui *ui)
{
	struct ui_pane	*p;
	int		 id, any = 0;
	char		 msg[160];

	if (ui->too_small) {
		werase(stdscr);
		snprintf(msg, sizeof msg, "Terminal too small: %dx%d",
		    ui->cols, ui->rows);
		ui_puts(stdscr, ui->rows / 2 - 1, 1, ui->cols - 2, UI_R_WARN,
		    msg);
		snprintf(msg, sizeof msg, "lockstep needs at least %dx%d.",
		    ui_layout_min_cols(), ui_layout_min_rows());
		ui_puts(stdscr, ui->rows / 2, 1, ui->cols - 2, UI_R_NORMAL,
		    msg);
		ui_puts(stdscr, ui->rows / 2 + 1, 1, ui->cols - 2,
		    UI_R_NORMAL, "Enlarge it, or press q to quit.");
		wnoutrefresh(stdscr);
		doupdate();
		ui->changes = 0;
		return;
	}
	if (ui->blank) {
		/* A black screen for the projector; the run goes on. */
		if (ui->changes != 0) {
			werase(stdscr);
			wnoutrefresh(stdscr);
			doupdate();
		}
		ui->changes = 0;
		for (id = 0; id < UI_P_COUNT; id++)
			ui->panes[id].dirty = 1;
		return;
	}
	for (id = 0; id < UI_P_COUNT; id++) {
		p = &ui->panes[id];
		if (p->win == NULL)
			continue;
		if (!p->dirty && (ui->changes & p->view->changes) == 0)
			continue;
		p->view->draw(ui, p);
		p->dirty = 0;
		wnoutrefresh(p->win);
		any = 1;
	}
	if (ui->overlay != UI_O_NONE && (any || ui->overlay_dirty)) {
		ui_overlay_draw(ui);
		any = 1;
	}
	ui->overlay_dirty = 0;
	ui->changes = 0;
	if (any) {
		doupdate();
		log_debug("%s: frame drawn", __func__);
	}
}

void
ui_resize(struct ui *ui)
{
	int	rows = ui->rows, cols = ui->cols;

	getmaxyx(stdscr, ui->rows, ui->cols);
	/* The terminal redrew or cropped what it had: repaint it all. */
	if (rows != ui->rows || cols != ui->cols)
		clearok(curscr, TRUE);
	ui_layout(ui);
	werase(stdscr);
	wnoutrefresh(stdscr);
	ui->relayout = 0;
	ui->overlay_dirty = 1;
	ui->changes = UI_CH_ALL;
}

/* Why worker w cannot be stepped, in words. */
static void
ui_why_not(struct ui *ui, int w)
{
	const struct model_worker	*mw = &ui->model->workers[w];
	const char			*name = ui_worker_name(ui,
					    (uint16_t)w);
	char				 wants[128];

	switch (mw->state) {
	case MODEL_W_BLOCKED:
		ui_worker_wants(ui, (uint16_t)w, wants, sizeof wants);
		ui_message(ui, "%s cannot step: it waits (%s)", name, wants);
		break;
	case MODEL_W_DONE:
		ui_message(ui, "%s cannot step: it has finished", name);
		break;
	case MODEL_W_CRASHED:
	case MODEL_W_KILLED:
		ui_message(ui, "%s cannot step: it has ended", name);
		break;
	case MODEL_W_NOT_STARTED:
		ui_message(ui, "%s cannot step: it has not been started",
		    name);
		break;
	default:
		if (ui->replay)
			ui_message(ui, "%s cannot step here: the recording "
			    "goes on with another worker (n follows it)",
			    name);
		else
			ui_message(ui, "%s cannot step yet: it is busy with "
			    "line %d", name, mw->line);
		break;
	}
}

static const char *
ui_finished_text(const struct ui *ui)
{
	if (ui->replay)
		return ("End of the recording: Left or PgUp steps back, g goes "
		    "to the start.");
	return ("The run has finished: r restarts it.");
}

/* Step worker w, or with -1 the next one that can move, round-robin
   after the last one stepped (predictable for a lecture). */
static void
ui_action_step(struct ui *ui, int w)
{
	struct ui_source	*src = ui->src;
	int			 n = (int)ui->meta->nworkers, k, c, r;

	/* The second half of a hand-off is the next step. */
	if (ui_handoff_release(ui, ui_apply)) {
		ui->panes[UI_P_SOURCE].follow = 1;
		return;
	}
	if (ui->finished) {
		ui_message(ui, "%s", ui_finished_text(ui));
		return;
	}
	ui_pause(ui);
	if (w >= n) {
		ui_message(ui, "There is no worker %d.", w + 1);
		return;
	}
	/* A failing continuation loaded by `e`: its next entry. */
	if (w < 0 && src->ops->scheduled != NULL &&
	    src->ops->scheduled(src) >= 0 &&
	    src->ops->at_gate(src, src->ops->scheduled(src))) {
		if ((w = src->ops->step(src, -1)) < 0) {
			ui_message(ui, "The found schedule does not go on here.");
			return;
		}
	} else if (w < 0) {
		for (k = 1; k <= n && w < 0; k++) {
			c = ((ui->last_stepped < 0 ? -1 : ui->last_stepped) +
			    k) % n;
			if (src->ops->at_gate(src, c))
				w = c;
		}
		if (w < 0 && ui->replay && (r = src->ops->step(src, -1)) >= 0)
			w = r;
		else if (w < 0) {
			if (ui->seen_deadlock)
				ui_message(ui, "No worker can move: they are "
				    "deadlocked. r restarts.");
			else if (model_live_workers(ui->model) == 0 &&
			    ui->model->nevents > 0)
				ui_message(ui, "Every worker has ended.");
			else
				ui_message(ui, "No worker can step right now: "
				    "all are busy or waiting.");
			return;
		} else if (src->ops->step(src, w) < 0) {
			ui_why_not(ui, w);
			return;
		}
	} else if (src->ops->step(src, w) < 0) {
		/* step() checks: a live run also lets a sleeper's time
		   pass when it is named. */
		ui_why_not(ui, w);
		return;
	}
	ui->last_stepped = w;
	ui->nexplain = 0;
	ui->note[0] = '\0';
	ui->message[0] = '\0';
	if (src->ops->caption != NULL && src->ops->caption(src) != NULL)
		ui_message(ui, "%s", src->ops->caption(src));
	ui->panes[UI_P_SOURCE].follow = 1;
	ui->changes |= UI_CH_WORKERS | UI_CH_SOURCE | UI_CH_CAPTION |
	    UI_CH_HEADER;
	log_debug("%s: stepped %s", __func__, ui_worker_name(ui,
	    (uint16_t)w));
}

static int	ui_last_mover(struct ui *);

/* `e`: explore the continuations of the run so far; load the first
   failing one, so that `n` steps through it. */
static void
ui_action_explore(struct ui *ui)
{
	struct ui_source	*src = ui->src;
	char			 msg[512];
	int			 r;

	if (src->ops->explore == NULL) {
		ui_message(ui, "Exploring works in the live view of a scenario "
		    "(lockstep explore FILE searches from the start).");
		return;
	}
	ui_pause(ui);
	ui_message(ui, "Exploring the schedules from here (up to 10 s)...");
	ui_render(ui);
	r = src->ops->explore(src, msg, sizeof msg);
	if (r == 1) {
		ui_view_reset(ui);
		ui->last_stepped = ui_last_mover(ui);
	}
	ui_message(ui, "%s", msg);
}

/* `.`: run (fast) until the next event worth a look, then pause. */
static void
ui_action_seek_event(struct ui *ui)
{
	if (ui->finished) {
		ui_message(ui, "%s", ui_finished_text(ui));
		return;
	}
	ui->seek = 1;
	ui->seek_from = ui->model->nevents;
	ui->nexplain = 0;
	ui->note[0] = '\0';
	ui->message[0] = '\0';
	ui->changes |= UI_CH_HEADER | UI_CH_CAPTION;
	if (!ui->replay) {
		/* Live: step by step (ui_seek_tick), so that nothing but
		   the one worker moves and the stop is exact. */
		ui_pause(ui);
		return;
	}
	/* A recording plays one event at a time: play fast, stop at it. */
	ui->src->ops->set_tempo(ui->src, UI_SEEK_TEMPO);
	if (ui->src->ops->paused(ui->src))
		ui->src->ops->resume(ui->src);
}

/*
 * Live `.`, once per loop pass: when no worker is between its gate and
 * its next one (each stepped worker has come back to its gate, blocked
 * or ended), step the next one as n does. Sleeping and computing workers
 * come back by themselves and do not hold the others up. ui_apply() ends
 * the search at the first event worth a look.
 */
static void
ui_seek_tick(struct ui *ui, struct trace_event *buf)
{
	struct ui_source		*src = ui->src;
	const struct model_worker	*mw;
	int				 w, n = (int)ui->meta->nworkers;
	int				 gate, timed, moving;
	uint64_t			 before;

	if (!ui->seek || ui->replay || ui->nheld > 0)
		return;
	/* Who is at a gate, then every event they sent before getting
	   there: a worker seen at its gate has nothing more on its way. */
	do {
		gate = timed = moving = 0;
		for (w = 0; w < n; w++) {
			mw = &ui->model->workers[w];
			if (src->ops->at_gate(src, w))
				gate++;
			else if (mw->state == MODEL_W_SLEEPING ||
			    mw->state == MODEL_W_COMPUTING)
				timed++;
			else if (mw->state == MODEL_W_READY ||
			    mw->state == MODEL_W_RUNNING)
				moving++;
		}
		before = ui->model->nevents;
		while (ui_pump(ui, buf))
			;
		if (!ui->seek)
			return;
	} while (ui->model->nevents != before);
	if (moving > 0)
		return;			/* its events are on their way */
	if (gate > 0) {
		ui_action_step(ui, -1);
		return;
	}
	if (timed > 0)
		return;
	ui->seek = 0;
	ui_message(ui, "Nothing happened that is worth a stop: no worker "
	    "can move (%" PRIu64 " events).", ui->model->nevents -
	    ui->seek_from);
}

/* A run that would take minutes at this tempo says how to go faster,
   once per resume. */
static void
ui_tempo_hint(struct ui *ui)
{
	if (ui->hinted || ui->finished || ui->seek || ui->tempo == 0 ||
	    ui->src->ops->paused(ui->src) || ui->run_since == 0 ||
	    ui_now_ms() - ui->run_since < UI_HINT_MS || ui->message[0] != '\0')
		return;
	ui->hinted = 1;
	ui_message(ui, "Still running at %d ms a step: + goes faster (max: "
	    "no delay), . stops at the next block or wake-up.",
	    ui_tempos[ui->tempo]);
}

static void
ui_action_restart(struct ui *ui)
{
	char	*cause = NULL;

	if (ui->src->ops->restart(ui->src, &cause) != 0) {
		ui_message(ui, "Restart failed: %s", cause != NULL ? cause :
		    "unknown error");
		free(cause);
		return;
	}
	ui_view_reset(ui);
	ui->last_stepped = -1;
	ui_message(ui, "Restarted: paused at the first statement.");
}

/* After a jump in a recording: the worker of the last event released,
   the one that moved last (as the one stepped last, live), or -1. */
static int
ui_last_mover(struct ui *ui)
{
	const struct trace_event	*ev;
	uint64_t			 at, total;
	size_t				 n;

	ui->src->ops->position(ui->src, &at, &total);
	ev = ui->src->ops->events(ui->src, &n);
	if (ev == NULL || at == 0 || at > n ||
	    ev[at - 1].worker >= ui->meta->nworkers)
		return (-1);
	return (ev[at - 1].worker);
}

static void
ui_action_back(struct ui *ui)
{
	int		 r;
	const char	*note;

	r = ui->src->ops->back(ui->src);
	note = ui->src->ops->back_note != NULL ?
	    ui->src->ops->back_note(ui->src, r) : NULL;
	if (r < 0)
		ui_message(ui, "%s", note != NULL ? note : "Stepping back "
		    "needs a recording: w saves this run, lockstep replay FILE "
		    "steps through it.");
	else if (r == 0)
		ui_message(ui, "Already at the first statement.");
	else {
		ui_view_reset(ui);
		ui_reread(ui);
		ui->last_stepped = ui_last_mover(ui);
		if (note != NULL)
			ui_message(ui, "%s", note);
	}
}

/* Where `w` saves: DIR/NAME-YYYYmmdd-HHMMSS.lst, DIR from
   $LOCKSTEP_SAVE_DIR or else the current directory, NAME the scenario's
   file name without .scn; -2, -3... when that second is taken. */
static char *
ui_save_path(const struct ui *ui)
{
	const char	*dir = getenv("LOCKSTEP_SAVE_DIR"), *base, *slash;
	const char	*sep = "";
	char		 stamp[32], suffix[16], *path;
	struct tm	 tm;
	time_t		 now;
	size_t		 len;
	int		 i;

	base = ui->meta->path;
	if (base != NULL && (slash = strrchr(base, '/')) != NULL)
		base = slash + 1;
	if (base == NULL || *base == '\0')
		base = "lockstep";
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".scn") == 0)
		len -= 4;
	if (dir == NULL || *dir == '\0')
		dir = "";
	else if (dir[strlen(dir) - 1] != '/')
		sep = "/";
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm) == 0)
		snprintf(stamp, sizeof stamp, "%lld", (long long)now);
	for (i = 1;; i++) {
		suffix[0] = '\0';
		if (i > 1)
			snprintf(suffix, sizeof suffix, "-%d", i);
		xasprintf(&path, "%s%s%.*s-%s%s.lst", dir, sep, (int)len, base,
		    stamp, suffix);
		if (i == 100 || access(path, F_OK) != 0)
			return (path);
		free(path);
	}
}

static void
ui_action_save(struct ui *ui)
{
	struct ui_source_saved	 saved;
	char			*path, *cause = NULL, extra[128];

	path = ui_save_path(ui);
	memset(&saved, 0, sizeof saved);
	if (ui->src->ops->save(ui->src, path, &saved, &cause) != 0) {
		ui_message(ui, "Not saved: %s", cause != NULL ? cause :
		    "unknown error");
		log_debug("%s: %s", __func__, cause != NULL ? cause : "?");
		free(cause);
		free(path);
		return;
	}
	extra[0] = '\0';
	if (saved.cut > 0)
		snprintf(extra, sizeof extra, "; the first %" PRIu64 " only: "
		    "%" PRIu64 " more were over the cap", saved.events,
		    saved.cut);
	else if (saved.ran)
		snprintf(extra, sizeof extra, "; its schedule has only the "
		    "steps taken with n or 1-9, not those run with Space");
	ui_message(ui, "Saved %" PRIu64 " events to %s (lockstep replay %s)%s",
	    saved.events, path, path, extra);
	log_debug("%s: %" PRIu64 " events, %zu choices to %s", __func__,
	    saved.events, saved.choices, path);
	free(path);
}

/* Move a recording to exactly at events; 0, or -1 if it cannot. */
static int
ui_action_seek(struct ui *ui, uint64_t at)
{
	uint64_t	pos, total;
	int		r;

	r = ui->src->ops->seek(ui->src, at);
	if (r < 0) {
		ui_message(ui, "g G d D move through a recording: w saves "
		    "this run, lockstep replay FILE opens it.");
		return (-1);
	}
	if (r > 0) {
		ui_view_reset(ui);
		ui_reread(ui);
	} else {
		/* Reads on to the new position: applied whole. */
		ui->src->ops->position(ui->src, &pos, &total);
		ui->catchup = pos;
	}
	ui->last_stepped = ui_last_mover(ui);
	ui->nexplain = 0;
	ui->panes[UI_P_SOURCE].follow = 1;
	ui->panes[UI_P_LOG].follow = 1;
	ui->changes |= UI_CH_ALL;
	return (0);
}

/* For tests and benches: what g, G (ui_goto) and Left (ui_goback) do,
   then reading up to the new position as the loop would, without
   drawing. 0, or -1 if the source cannot. */
int
ui_goto(struct ui *ui, uint64_t at)
{
	struct trace_event	*buf;

	if (ui_action_seek(ui, at) != 0)
		return (-1);
	buf = xreallocarray(NULL, UI_BATCH, sizeof *buf);
	while (ui_pump(ui, buf))
		;
	free(buf);
	return (0);
}

int
ui_goback(struct ui *ui)
{
	struct trace_event	*buf;

	ui_action_back(ui);
	buf = xreallocarray(NULL, UI_BATCH, sizeof *buf);
	while (ui_pump(ui, buf))
		;
	free(buf);
	return (0);
}

/* What appears at ev in a scratch model that had the detections in
   before (deadlock, self-deadlock, stall) until it: one of those forms,
   or contention (a lock or semaphore wait that blocks: the event itself
   says so); NULL if nothing. */
static const char *
ui_detection(const int before[3], const struct model *m,
    const struct trace_event *ev)
{
	const struct model_detect	*d = &m->detect;

	if (d->deadlock && !before[0])
		return ("deadlock");
	if (d->self_deadlock && !before[1])
		return ("self-deadlock");
	if (d->stall && !before[2])
		return ("stall");
	if (ev->type == TRACE_LOCK_WAIT || ev->type == TRACE_SEM_WAIT)
		return ("contention");
	return (NULL);
}

/*
 * Scan events [from, to) with m (which has applied the first from) for
 * detections: the first one past at (dir > 0), or the last one (dir < 0).
 * Returns how many events are released once the event at which it
 * appears is, or 0.
 */
static uint64_t
ui_scan_detection(struct model *m, const struct trace_event *ev,
    uint64_t from, uint64_t to, uint64_t at, int dir, const char **what,
    struct trace_event *found)
{
	int		 before[3];
	const char	*w;
	uint64_t	 i, hit = 0;

	for (i = from; i < to; i++) {
		before[0] = m->detect.deadlock;
		before[1] = m->detect.self_deadlock;
		before[2] = m->detect.stall;
		model_apply(m, &ev[i]);
		if ((w = ui_detection(before, m, &ev[i])) == NULL)
			continue;
		if (dir < 0 || i + 1 > at) {
			hit = i + 1;
			*what = w;
			*found = ev[i];
			if (dir > 0)
				break;
		}
	}
	return (hit);
}

/*
 * The next (dir > 0) or previous (dir < 0) detection from position at (at
 * events released): returns how many events are released once the event
 * at which it appears is, or 0 if there is none, and what it is in *what
 * and the event in *found. A scratch model is fed the recording as the
 * view's model was: from a copy of the latest checkpoint before where the
 * scan starts (the view's own model when it is there), else from the
 * first event; backwards, one checkpoint interval at a time from at down,
 * until one holds a detection.
 */
uint64_t
ui_find_detection(struct ui *ui, uint64_t at, int dir, const char **what,
    struct trace_event *found)
{
	const struct trace_event	*ev;
	const struct model		*cm;
	struct model			*m;
	size_t				 n;
	uint64_t			 hit = 0, from, to;

	ev = ui->src->ops->events(ui->src, &n);
	if (ev == NULL || n == 0)
		return (0);
	m = model_create(ui->meta);
	if (dir > 0) {
		if (ui->model->nevents <= at && ui->nheld == 0) {
			cm = ui->model;
			from = ui->model->nevents;
		} else
			cm = ui_checkpoint_model(ui, at, &from);
		if (cm != NULL)
			model_copy(m, cm);
		else
			from = 0;
		hit = ui_scan_detection(m, ev, from, n, at, dir, what, found);
	} else {
		/* Events before the one at position at - 1 (i + 1 < at). */
		to = at > 0 ? at - 1 : 0;
		while (to > 0 && hit == 0) {
			cm = ui_checkpoint_model(ui, to - 1, &from);
			if (cm != NULL)
				model_copy(m, cm);
			else {
				model_reset(m);
				from = 0;
			}
			hit = ui_scan_detection(m, ev, from, to, at, dir, what,
			    found);
			to = from;
		}
	}
	model_free(m);
	if (ui->src->ops->trim != NULL)
		ui->src->ops->trim(ui->src);	/* the scan read events */
	return (hit);
}

static void
ui_action_detection(struct ui *ui, int dir)
{
	struct trace_event	 ev;
	const char		*what = NULL;
	uint64_t		 at, total, hit;

	if (!ui->replay) {
		ui_message(ui, "d and D find detections in a recording: w "
		    "saves this run, lockstep replay FILE opens it.");
		return;
	}
	ui->src->ops->position(ui->src, &at, &total);
	hit = ui_find_detection(ui, at, dir, &what, &ev);
	if (hit == 0) {
		ui_message(ui, "No %s detection (deadlock, stall or a lock or "
		    "slot wait) %s event %" PRIu64 ".", dir > 0 ? "further" :
		    "earlier", dir > 0 ? "after" : "before", at);
		return;
	}
	if (ui_action_seek(ui, hit) != 0)
		return;
	if (strcmp(what, "contention") == 0)
		ui_message(ui, "Event %" PRIu64 " of %" PRIu64 ": contention, "
		    "%s has to wait for %s.", hit, total,
		    ui_worker_name(ui, ev.worker), ui_object_name(ui,
		    ev.object));
	else
		ui_message(ui, "Event %" PRIu64 " of %" PRIu64 ": %s.", hit,
		    total, what);
}

static void
ui_focus(struct ui *ui, int dir)
{
	int	old = ui->focus;

	ui->focus += dir;
	if (ui->focus > UI_P_CAPTION)
		ui->focus = UI_P_WORKERS;
	if (ui->focus < UI_P_WORKERS)
		ui->focus = UI_P_CAPTION;
	ui->panes[old].dirty = 1;
	ui->panes[ui->focus].dirty = 1;
	if (ui->zoom) {
		ui->relayout = 1;
		return;
	}
	if (!ui_layout_visible(ui, ui->focus) || ui->focus == ui->flex_slot) {
		if (ui->flex != ui->focus) {
			ui->flex = ui->focus;
			ui->relayout = 1;
		}
	}
}

static void
ui_scroll(struct ui *ui, int id, int key)
{
	struct ui_pane	*p = &ui->panes[id];
	int		 page, used;

	if (p->win == NULL)
		return;
	/* A view that uses the key itself (the worker cursor) first. */
	if (p->view->key != NULL && (used = p->view->key(ui, p, key)) != 0) {
		p->dirty = 1;
		if (used == UI_VIEW_STEP)
			ui_action_step(ui, ui->wsel);
		return;
	}
	page = ui_pane_height(p) - 1;
	if (page < 1)
		page = 1;
	switch (key) {
	case KEY_UP:
		p->scroll--;
		break;
	case KEY_DOWN:
		p->scroll++;
		break;
	case KEY_SPREVIOUS:
		p->scroll -= page;
		break;
	case KEY_SNEXT:
		p->scroll += page;
		break;
	case KEY_HOME:
		p->scroll = 0;
		break;
	case KEY_END:
		p->scroll = p->rows;
		break;
	}
	if (p->scroll < 0)
		p->scroll = 0;
	p->follow = 0;
	p->dirty = 1;
}

static void
ui_mouse(struct ui *ui)
{
	MEVENT		 me;
	struct ui_pane	*p;
	int		 id;

	if (getmouse(&me) != OK)
		return;
	if (ui->overlay != UI_O_NONE) {
		ui->overlay = UI_O_NONE;
		ui->changes = UI_CH_ALL;
		return;
	}
	for (id = 0; id < UI_P_COUNT; id++) {
		p = &ui->panes[id];
		if (p->win == NULL || me.y < p->y || me.y >= p->y + p->h ||
		    me.x < p->x || me.x >= p->x + p->w)
			continue;
		if (me.bstate & BUTTON4_PRESSED) {
			ui_scroll(ui, id, KEY_UP);
			ui_scroll(ui, id, KEY_UP);
		}
#ifdef BUTTON5_PRESSED
		else if (me.bstate & BUTTON5_PRESSED) {
			ui_scroll(ui, id, KEY_DOWN);
			ui_scroll(ui, id, KEY_DOWN);
		}
#endif
		else if (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
			if (ui_layout_focusable(id) && ui->focus != id) {
				ui->panes[ui->focus].dirty = 1;
				ui->focus = id;
				p->dirty = 1;
			}
			if (p->view->click != NULL && p->view->click(ui, p,
			    me.y - p->y, me.x - p->x) == UI_VIEW_STEP)
				ui_action_step(ui, ui->wsel);
		}
		return;
	}
}

static void
ui_key_overlay(struct ui *ui, int key)
{
	static const char keys[UI_BP_COUNT] = "dsce";
	const char	*k;

	if (ui->overlay == UI_O_BREAKS && key > 0 && key < 256 &&
	    (k = memchr(keys, key, UI_BP_COUNT)) != NULL) {
		ui->bp[k - keys] = !ui->bp[k - keys];
		ui->overlay_dirty = 1;
		return;
	}
	if (ui->overlay == UI_O_BREAKS && key >= '1' &&
	    key < '1' + UI_BP_COUNT) {
		ui->bp[key - '1'] = !ui->bp[key - '1'];
		ui->overlay_dirty = 1;
		return;
	}
	if (key == 'q' || key == KEY_F(10) || key == 3) {
		ui->quit = 1;
		return;
	}
	if (key == KEY_RESIZE || key == KEY_MOUSE)
		return;
	if (ui->overlay == UI_O_HELP && (key == KEY_UP || key == KEY_DOWN)) {
		ui->help_scroll += key == KEY_DOWN ? 1 : -1;
		ui->overlay_dirty = 1;
		return;
	}
	ui->overlay = UI_O_NONE;
	ui->changes = UI_CH_ALL;
}

static void
ui_key(struct ui *ui, int key)
{
	struct ui_source	*src = ui->src;
	int			 t;

	if (key == KEY_RESIZE) {
		ui_resize(ui);
		return;
	}
	if (ui->overlay != UI_O_NONE) {
		if (key == KEY_MOUSE)
			ui_mouse(ui);
		else
			ui_key_overlay(ui, key);
		return;
	}
	if (ui->blank && key != KEY_MOUSE) {
		/* Any key brings the view back (and does nothing else). */
		ui->blank = 0;
		ui->changes = UI_CH_ALL;
		clearok(curscr, TRUE);
		if (key != 'q' && key != 'Q' && key != 3)
			return;
	}
	if (ui->message[0] != '\0' && key != KEY_MOUSE) {
		ui->message[0] = '\0';
		ui->changes |= UI_CH_CAPTION;
	}
	if (ui->too_small && key != 'q' && key != KEY_F(10) && key != 3)
		return;
	switch (key) {
	case 'q':
	case 'Q':
	case KEY_F(10):
	case 3:				/* Ctrl-C arriving as a key */
		ui->quit = 1;
		break;
	case ' ':
		if (ui->finished)
			ui_message(ui, "%s", ui_finished_text(ui));
		else if (src->ops->paused(src)) {
			src->ops->resume(src);
			ui->run_since = ui_now_ms();
			ui->hinted = 0;
			ui->nexplain = 0;
			ui->panes[UI_P_SOURCE].follow = 1;
		} else {
			src->ops->pause(src);
			if (ui->seek) {
				ui->seek = 0;
				src->ops->set_tempo(src, ui_tempos[ui->tempo]);
			}
		}
		ui->changes |= UI_CH_HEADER | UI_CH_CAPTION;
		break;
	case 'n':
	case 's':
	case KEY_RIGHT:
	case KEY_NPAGE:			/* a clicker's "next" */
		ui_action_step(ui, -1);
		break;
	case 'e':
		ui_action_explore(ui);
		break;
	case '.':
	case '>':
		ui_action_seek_event(ui);
		break;
	case 'z':
	case 'Z':
		ui->zoom = !ui->zoom;
		ui->relayout = 1;
		break;
	case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		ui_action_step(ui, key - '1');
		break;
	case KEY_LEFT:
	case KEY_PPAGE:			/* a clicker's "previous" */
		ui_action_back(ui);
		break;
	case 'b':			/* a clicker's "blank screen" */
	case 'B':
		ui->blank = 1;
		clearok(curscr, TRUE);
		break;
	case 'g':
		ui_action_seek(ui, 0);
		break;
	case 'G':
		ui_action_seek(ui, UINT64_MAX);
		break;
	case 'd':
		ui_action_detection(ui, 1);
		break;
	case 'D':
		ui_action_detection(ui, -1);
		break;
	case 'w':
	case 'W':
		ui_action_save(ui);
		break;
	case '+':
	case '=':
	case '-':
	case '_':
		t = ui->tempo + (key == '+' || key == '=' ? -1 : 1);
		if (t >= 0 && t < UI_NTEMPOS) {
			ui->tempo = t;
			src->ops->set_tempo(src, ui_tempos[t]);
		}
		ui->changes |= UI_CH_HEADER;
		break;
	case 'r':
	case 'R':
		ui_action_restart(ui);
		break;
	case 'x':
	case 'X':
		ui->overlay = UI_O_BREAKS;
		ui->overlay_dirty = 1;
		break;
	case '?':
	case 'h':
	case KEY_F(1):
		ui->overlay = UI_O_HELP;
		ui->help_scroll = 0;
		ui->overlay_dirty = 1;
		break;
	case '\t':
		ui_focus(ui, 1);
		break;
	case KEY_BTAB:
		ui_focus(ui, -1);
		break;
	case KEY_UP:
	case KEY_DOWN:
	case KEY_SPREVIOUS:		/* Shift-PgUp/PgDn: a page */
	case KEY_SNEXT:
	case KEY_HOME:
	case KEY_END:
		ui_scroll(ui, ui->focus, key);
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		/* Steps the worker under the cursor (the pane's own key). */
		if (ui->focus == UI_P_WORKERS)
			ui_scroll(ui, ui->focus, key);
		break;
	case KEY_MOUSE:
		ui_mouse(ui);
		break;
	case 12:			/* Ctrl-L */
		clearok(curscr, TRUE);
		ui->changes = UI_CH_ALL;
		break;
	default:
		break;
	}
}

/*
 * How long poll() may sleep. Infinite when nothing can happen by itself
 * (paused recording, finished run). A live run wakes us through its wake
 * fd, armed by prepare_sleep() just before poll(); the one-second timeout
 * is only a safety net (a runner that died without a last event).
 */
static int
ui_timeout(struct ui *ui, int more)
{
	int	t;

	if (more)
		return (0);
	t = ui->src->ops->next_tick(ui->src);
	if (!ui->finished && ui->src->ops->wake_fd(ui->src) >= 0 &&
	    (t < 0 || t > UI_IDLE_MS))
		t = UI_IDLE_MS;
	/* `.` steps again as soon as the last step has come back. */
	if (ui->seek && !ui->replay && (t < 0 || t > UI_SEEK_TEMPO))
		t = UI_SEEK_TEMPO;
	return (t);
}

int
ui_run(struct ui *ui)
{
	struct trace_event	*buf;
	struct ui_source	*src = ui->src;
	struct pollfd		 pfd[3];
	uint64_t		 drain;
	int			 more, n, key, sig = 0, resized, fd;

	buf = xreallocarray(NULL, UI_BATCH, sizeof *buf);
	ui_resize(ui);
	while (!ui->quit) {
		more = ui_pump(ui, buf);
		if (ui->relayout)
			ui_resize(ui);
		ui_render(ui);

		n = 0;
		pfd[n].fd = STDIN_FILENO;
		pfd[n++].events = POLLIN;
		pfd[n].fd = ui_screen_signal_fd();
		pfd[n++].events = POLLIN;
		fd = ui->finished ? -1 : src->ops->wake_fd(src);
		if (fd >= 0) {
			pfd[n].fd = fd;
			pfd[n++].events = POLLIN;
			/* Events that came while we drew: read, don't sleep. */
			if (!more && src->ops->prepare_sleep(src))
				more = 1;
		}
		for (key = 0; key < n; key++)
			pfd[key].revents = 0;
		if (poll(pfd, (nfds_t)n, ui_timeout(ui, more)) < 0 &&
		    errno != EINTR) {
			log_debug("%s: poll: %s", __func__, strerror(errno));
			break;
		}
		/* Drain the wake-up, or poll() would return at once again. */
		if (fd >= 0 && (pfd[2].revents & POLLIN) &&
		    read(fd, &drain, sizeof drain) < 0 && errno != EAGAIN)
			log_debug("%s: wake fd: %s", __func__, strerror(errno));
		resized = 0;
		if ((sig = ui_screen_signal(&resized)) != 0)
			break;
		if (resized)
			ui_resize(ui);
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			sig = SIGHUP;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			while (!ui->quit && (key = ui_screen_getch()) != ERR)
				ui_key(ui, key);
		}
		src->ops->tick(src);
		ui_seek_tick(ui, buf);
		ui_tempo_hint(ui);
	}
	free(buf);
	return (sig);
}
