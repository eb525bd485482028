/*
 * ui/source.c: the two event sources of the live view (see source.h).
 *
 * The live source forwards to run.h, and keeps a copy of every event it
 * hands out (a trace_keep: every event addressable, only the last
 * UI_SOURCE_WINDOW in memory, the rest in an unlinked temporary file), so
 * that the `w` key can save the run so far: the same events the model
 * was given, in the same order, with the run's string table and step
 * choices. A restart starts the copy again.
 *
 * The recorded source keeps two indices into the event array: pos, the
 * next event read() hands out, and limit, how far the "run" has got.
 * Stepping moves limit to just past the next TRACE_STEP or blocking wait
 * (where a live step ends); playing does that once per tempo period
 * (tick); seeking sets it anywhere. Going back moves limit to the
 * previous step boundary and pos to 0, so the caller replays from a fresh
 * model (the model is pure: same events, same state).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore/explore.h"
#include "explore/real.h"
#include "export/tracefile.h"
#include "runtime/run.h"
#include "trace/keep.h"
#include "ui/source.h"
#include "util/xmalloc.h"

/* Live. */

struct live {
	struct run		*run;
	const struct scn_file	*file;
	struct trace_keep	*keep;		/* every event read */
	uint32_t		 crc;		/* CRC-32 of those kept, for
						   the trace file's EVNT */
	int			 ran;		/* resumed since the start */
	/* A failing continuation loaded by explore: the schedule indices
	   of its preemptions, and what each is. */
	size_t			*pre_at;
	char			**pre_text;
	size_t			 npre;
};

static struct live *
live_data(struct ui_source *src)
{
	return (src->data);
}

static struct run *
live_run(struct ui_source *src)
{
	return (live_data(src)->run);
}

static void
live_forget_explore(struct live *lv)
{
	size_t	i;

	for (i = 0; i < lv->npre; i++)
		free(lv->pre_text[i]);
	free(lv->pre_text);
	free(lv->pre_at);
	lv->pre_text = NULL;
	lv->pre_at = NULL;
	lv->npre = 0;
}

/* Forget the kept events (a restart, a step back, an explore). */
static void
live_keep_reset(struct live *lv)
{
	trace_keep_reset(lv->keep);
	lv->crc = 0;
}

static void
live_free(struct ui_source *src)
{
	struct live	*lv = live_data(src);

	live_forget_explore(lv);
	trace_keep_free(lv->keep);
	free(lv);
}

static int
live_restart(struct ui_source *src, char **cause)
{
	struct live	*lv = live_data(src);

	live_keep_reset(lv);
	lv->ran = 0;
	if (run_restart(lv->run, cause) != 0)
		return (-1);
	run_pause(lv->run);
	return (0);
}

static int
live_wake_fd(struct ui_source *src)
{
	return (run_wake_fd(live_run(src)));
}

static int
live_prepare_sleep(struct ui_source *src)
{
	return (run_prepare_sleep(live_run(src)));
}

/* A resumed live run is the front end stepping at the tempo (run.h). */
static int
live_timeout(struct ui_source *src)
{
	return (run_next_tick(live_run(src)));
}

static void
live_tick(struct ui_source *src)
{
	run_tick(live_run(src));
}

static size_t
live_read(struct ui_source *src, struct trace_event *ev, size_t max)
{
	struct live	*lv = live_data(src);
	size_t		 n, before, kept;

	n = run_read(live_run(src), ev, max);
	if (n > 0) {
		/* The CRC as it goes (a few ns an event with PCLMUL), so that
		   a save copies the kept file without reading it. */
		trace_keep_events(lv->keep, &before);
		trace_keep_append(lv->keep, ev, n);
		trace_keep_events(lv->keep, &kept);
		lv->crc = tracefile_crc32(lv->crc, ev, (kept - before) *
		    sizeof *ev);
	}
	return (n);
}


static int
live_finished(struct ui_source *src)
{
	return (run_finished(live_run(src)));
}

static int
live_lost(struct ui_source *src, char *buf, size_t len)
{
	return (run_runner_lost(live_run(src), buf, len));
}

static void
live_pause(struct ui_source *src)
{
	run_pause(live_run(src));
}

static void
live_resume(struct ui_source *src)
{
	live_data(src)->ran = 1;
	run_resume(live_run(src));
}

static int
live_paused(struct ui_source *src)
{
	return (run_paused(live_run(src)));
}

static void
live_set_tempo(struct ui_source *src, int ms)
{
	run_set_tempo(live_run(src), ms);
}

static int
live_step(struct ui_source *src, int w)
{
	return (run_step(live_run(src), w));
}

static int
live_at_gate(struct ui_source *src, int w)
{
	return (run_at_gate(live_run(src), w));
}

/* Step back: the run again, its choices but the last replayed silently
   (run_rewind); 0 when there is nothing to undo. */
static int
live_back(struct ui_source *src)
{
	struct live	*lv = live_data(src);
	char		*cause = NULL;
	size_t		 n;

	run_choices(lv->run, &n);
	if (n == 0)
		return (0);
	live_forget_explore(lv);
	live_keep_reset(lv);
	if (run_rewind(lv->run, n - 1, &cause) != 0) {
		free(cause);
		return (-1);
	}
	return (1);
}

/*
 * `e`: explore from here. The choices so far are the explorer's forced
 * prefix; it stops at the first failing continuation (fewest preemptions
 * first), which becomes the run's schedule: the run is made again up to
 * here, silently, and `n` then steps through the failure.
 */
static int
live_explore(struct ui_source *src, char *msg, size_t len)
{
	struct live		*lv = live_data(src);
	struct explore_opts	 o;
	struct explore_result	 res;
	struct explore_real	*x;
	const uint16_t		*ch;
	uint16_t		*prefix;
	char			*cause = NULL;
	size_t			 n, i;
	int			 r, prev;

	if (lv->file == NULL) {
		snprintf(msg, len, "Exploring needs the scenario.");
		return (-1);
	}
	ch = run_choices(lv->run, &n);
	prefix = xreallocarray(NULL, n + 1, sizeof *prefix);
	if (n > 0)		/* no choice yet: ch may be NULL */
		memcpy(prefix, ch, n * sizeof *prefix);
	memset(&o, 0, sizeof o);
	o.max_preemptions = -1;
	o.stop_at_failure = 1;
	o.time_limit_ms = 10000;
	o.prefix = prefix;
	o.nprefix = n;
	x = explore_real_create(lv->file, src->meta);
	r = explore_run(&explore_real_ops, x, &o, &res, &cause);
	explore_real_free(x);
	if (r != 0) {
		snprintf(msg, len, "Explore: %s", cause != NULL ? cause : "?");
		free(cause);
		free(prefix);
		return (-1);
	}
	if (!res.found) {
		snprintf(msg, len, "No schedule from here fails (%s: %llu "
		    "schedules in %llu ms).", explore_stop_name(res.stop),
		    (unsigned long long)res.schedules,
		    (unsigned long long)res.elapsed_ms);
		explore_result_done(&res);
		free(prefix);
		return (0);
	}
	live_forget_explore(lv);
	lv->pre_at = xcalloc((size_t)res.failure.preemptions + 1,
	    sizeof *lv->pre_at);
	lv->pre_text = xcalloc((size_t)res.failure.preemptions + 1,
	    sizeof *lv->pre_text);
	for (i = 0; i < (size_t)res.failure.preemptions; i++) {
		lv->pre_at[i] = res.failure.at[i];
		prev = res.failure.at[i] > 0 ?
		    res.failure.v[res.failure.at[i] - 1] : -1;
		xasprintf(&lv->pre_text[i], "The switch the explorer found: "
		    "%s runs now, while %s could go on.",
		    src->meta->workers[res.failure.v[res.failure.at[i]]].name,
		    prev >= 0 ? src->meta->workers[prev].name : "?");
	}
	lv->npre = (size_t)res.failure.preemptions;
	snprintf(msg, len, "Found: %s, %d preemption%s after this point "
	    "(%s). n steps through it.", res.failure_key,
	    res.failure.preemptions, res.failure.preemptions == 1 ? "" : "s",
	    explore_stop_name(res.stop));
	live_keep_reset(lv);
	r = run_rewind_schedule(lv->run, res.failure.v, res.failure.n, n,
	    &cause);
	explore_result_done(&res);
	free(prefix);
	if (r != 0) {
		snprintf(msg, len, "Explore: %s", cause != NULL ? cause : "?");
		free(cause);
		return (-1);
	}
	return (1);
}

static int
live_scheduled(struct ui_source *src)
{
	return (run_schedule_next(live_run(src)));
}

static const char *
live_caption(struct ui_source *src)
{
	struct live		*lv = live_data(src);
	static char		 buf[256];
	const uint16_t		*ch;
	size_t			 n, i;
	int			 next, prev;

	ch = run_choices(lv->run, &n);
	for (i = 0; i < lv->npre; i++) {
		if (lv->pre_at[i] == n)
			return (lv->pre_text[i]);
	}
	/* Any loaded schedule (--schedule): a switch away from a worker
	   that could go on is a preemption, worth a word. */
	if (lv->npre > 0 || n == 0 ||
	    (next = run_schedule_next(lv->run)) < 0)
		return (NULL);
	prev = ch[n - 1];
	if (next == prev || !run_at_gate(lv->run, prev))
		return (NULL);
	snprintf(buf, sizeof buf, "Next, the schedule switches: %s runs "
	    "while %s could go on.", src->meta->workers[next].name,
	    src->meta->workers[prev].name);
	return (buf);
}

static const char *
live_string(struct ui_source *src, int64_t offset)
{
	return (run_string(live_run(src), offset));
}

static uint64_t
live_dropped(struct ui_source *src)
{
	return (run_dropped(live_run(src)));
}

static void
live_position(struct ui_source *src, uint64_t *at, uint64_t *total)
{
	(void)src;
	*at = *total = 0;
}

static int
live_seek(struct ui_source *src, uint64_t at)
{
	(void)src;
	(void)at;
	return (-1);
}

static const struct trace_event *
live_events(struct ui_source *src, size_t *n)
{
	return (trace_keep_events(live_data(src)->keep, n));
}

static void
live_trim(struct ui_source *src)
{
	trace_keep_trim(live_data(src)->keep);
}

/* The run so far: what the view has been given, the string table those
   events point into (append-only, so it covers them), the choices of
   every step taken, and as dropped what the ring lost plus what the cap
   cut. */
static int
live_save(struct ui_source *src, const char *path,
    struct ui_source_saved *saved, char **cause)
{
	struct live	*lv = live_data(src);
	const struct trace_event *ev;
	const char	*strtab;
	const uint16_t	*choices;
	size_t		 strtab_len, nchoices, n;
	uint64_t	 cut = trace_keep_cut(lv->keep);
	struct tracefile_writer *w;
	int		 r;

	strtab = run_strtab(lv->run, &strtab_len);
	choices = run_choices(lv->run, &nchoices);
	ev = trace_keep_events(lv->keep, &n);
	if (trace_keep_fd(lv->keep) >= 0) {
		/* Copied from the kept file by the kernel: none of it goes
		   through the process. */
		if ((w = tracefile_writer_create(path, src->meta,
		    cause)) == NULL)
			return (-1);
		r = tracefile_writer_copy_fd(w, trace_keep_fd(lv->keep), 0,
		    n, lv->crc, cause);
		if (r == 0)
			r = tracefile_writer_finish(w, strtab, strtab_len,
			    choices, nchoices, run_dropped(lv->run) + cut,
			    cause);
		tracefile_writer_free(w);
	} else
		r = tracefile_save(path, src->meta, ev, n, strtab, strtab_len,
		    choices, nchoices, run_dropped(lv->run) + cut, cause);
	if (r != 0)
		return (-1);
	saved->events = n;
	saved->cut = cut;
	saved->choices = nchoices;
	saved->ran = lv->ran;
	return (0);
}

static const struct ui_source_ops live_ops = {
	.name = "live",
	.free = live_free,
	.restart = live_restart,
	.wake_fd = live_wake_fd,
	.prepare_sleep = live_prepare_sleep,
	.next_tick = live_timeout,
	.tick = live_tick,
	.read = live_read,
	.finished = live_finished,
	.lost = live_lost,
	.pause = live_pause,
	.resume = live_resume,
	.paused = live_paused,
	.set_tempo = live_set_tempo,
	.step = live_step,
	.at_gate = live_at_gate,
	.back = live_back,
	.string = live_string,
	.dropped = live_dropped,
	.position = live_position,
	.seek = live_seek,
	.events = live_events,
	.trim = live_trim,
	.save = live_save,
	.explore = live_explore,
	.scheduled = live_scheduled,
	.caption = live_caption,
};

struct ui_source *
ui_source_live_create(struct run *run, const struct scn_file *file,
    const struct trace_meta *meta)
{
	struct ui_source	*src;
	struct live		*lv;

	lv = xcalloc(1, sizeof *lv);
	lv->run = run;
	lv->file = file;
	lv->keep = trace_keep_create(UI_SOURCE_WINDOW, UI_SOURCE_KEEP_MAX);
	src = xcalloc(1, sizeof *src);
	src->ops = &live_ops;
	src->meta = meta;
	src->data = lv;
	return (src);
}

/* Recorded. */

/* Events of a mapped recording kept in memory behind what was read (2 MB:
   the view reads forward; a step back re-reads from a checkpoint). */
#define REC_WINDOW	((size_t)1 << 16)

struct rec {
	const struct trace_event	*ev;
	size_t				 n;
	const char			*strtab;
	size_t				 strtab_len;
	const uint16_t			*choices;	/* saved again */
	size_t				 nchoices;
	uint64_t			 dropped;
	size_t				 pos;		/* next to read */
	size_t				 limit;		/* released so far */
	size_t				 prologue;	/* start-up events */
	const struct tracefile		*file;		/* mapped, or NULL */
	size_t				 dropped_to;	/* pages before it let
							   go of */
	int				 paused;
	int				 tempo;
	uint64_t			 last_tick;	/* ms */
};

static uint64_t
rec_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static struct rec *
rec_data(struct ui_source *src)
{
	return (src->data);
}

/* Every page of a mapped recording out of memory again (a rewind, a
   scan): the next reads bring back what they use. */
static void
rec_drop_all(struct rec *r)
{
	if (r->file == NULL)
		return;
	tracefile_drop(r->file, 0, r->n);
	r->dropped_to = r->pos;
}

/* Whether a step ends with this event: a worker reached its next
   statement, or blocked in its current one (as a live step ends when the
   run settles). A barrier arrival may pass at once, so it does not. */
static int
rec_boundary(const struct trace_event *ev)
{
	switch (ev->type) {
	case TRACE_STEP:
	case TRACE_LOCK_WAIT:
	case TRACE_SEM_WAIT:
	case TRACE_COND_WAIT:
	case TRACE_CHAN_OPEN_WAIT:
	case TRACE_CHAN_PUT_WAIT:
	case TRACE_CHAN_GET_WAIT:
	case TRACE_JOIN_WAIT:
		return (1);
	default:
		return (0);
	}
}

/* Index just past the step that starts at limit. */
static size_t
rec_next_boundary(const struct rec *r)
{
	size_t	i = r->limit;

	while (i < r->n && !rec_boundary(&r->ev[i]))
		i++;
	if (i < r->n)
		i++;
	return (i);
}

static void
rec_free(struct ui_source *src)
{
	free(src->data);
}

static int
rec_restart(struct ui_source *src, char **cause)
{
	struct rec	*r = rec_data(src);

	(void)cause;
	r->pos = 0;
	r->limit = r->prologue;
	r->paused = 1;
	rec_drop_all(r);
	return (0);
}

/* A recording has no producers: nothing arrives while it sleeps. */
static int
rec_prepare_sleep(struct ui_source *src)
{
	(void)src;
	return (0);
}

static int
rec_wake_fd(struct ui_source *src)
{
	(void)src;
	return (-1);
}

static int
rec_timeout(struct ui_source *src)
{
	struct rec	*r = rec_data(src);
	uint64_t	 now;

	if (r->paused || r->limit >= r->n)
		return (-1);
	now = rec_now_ms();
	if (now - r->last_tick >= (uint64_t)r->tempo)
		return (0);
	return ((int)((uint64_t)r->tempo - (now - r->last_tick)));
}

static void
rec_tick(struct ui_source *src)
{
	struct rec	*r = rec_data(src);
	uint64_t	 now;

	if (r->paused || r->limit >= r->n)
		return;
	now = rec_now_ms();
	if (r->tempo == 0)
		r->limit = r->n;
	else if (now - r->last_tick >= (uint64_t)r->tempo) {
		r->limit = rec_next_boundary(r);
		r->last_tick = now;
	}
}

static size_t
rec_read(struct ui_source *src, struct trace_event *ev, size_t max)
{
	struct rec	*r = rec_data(src);
	size_t		 n;

	n = r->limit - r->pos;
	if (n > max)
		n = max;
	memcpy(ev, r->ev + r->pos, n * sizeof *ev);
	r->pos += n;
	/* Only a window of a mapped recording stays in memory. */
	if (r->file != NULL && r->pos > r->dropped_to + 2 * REC_WINDOW) {
		tracefile_drop(r->file, r->dropped_to, r->pos - REC_WINDOW -
		    r->dropped_to);
		r->dropped_to = r->pos - REC_WINDOW;
	}
	return (n);
}


static int
rec_finished(struct ui_source *src)
{
	struct rec	*r = rec_data(src);

	return (r->pos >= r->n);
}

static void
rec_pause(struct ui_source *src)
{
	rec_data(src)->paused = 1;
}

static void
rec_resume(struct ui_source *src)
{
	struct rec	*r = rec_data(src);

	r->paused = 0;
	r->last_tick = 0;	/* the first step at once */
}

static int
rec_paused(struct ui_source *src)
{
	return (rec_data(src)->paused);
}

static void
rec_set_tempo(struct ui_source *src, int ms)
{
	rec_data(src)->tempo = ms < 0 ? 0 : ms;
}

static int
rec_at_gate(struct ui_source *src, int w)
{
	struct rec	*r = rec_data(src);

	if (r->limit >= r->n)
		return (0);
	return (r->ev[r->limit].worker == (uint16_t)w);
}

static int
rec_step(struct ui_source *src, int w)
{
	struct rec	*r = rec_data(src);
	int		 who;

	if (r->limit >= r->n)
		return (-1);
	if (w >= 0 && !rec_at_gate(src, w))
		return (-1);
	who = r->ev[r->limit].worker;
	r->limit = rec_next_boundary(r);
	return (who == TRACE_NO_WORKER ? 0 : who);
}

static int
rec_back(struct ui_source *src)
{
	struct rec	*r = rec_data(src);
	size_t		 b;

	if (r->limit <= r->prologue)
		return (0);
	for (b = r->limit - 1; b > r->prologue; b--) {
		if (rec_boundary(&r->ev[b - 1]))
			break;
	}
	r->limit = b;
	r->pos = 0;
	r->paused = 1;
	rec_drop_all(r);
	return (1);
}

static const char *
rec_string(struct ui_source *src, int64_t offset)
{
	struct rec	*r = rec_data(src);

	if (r->strtab == NULL || offset < 0 ||
	    (size_t)offset >= r->strtab_len)
		return (NULL);
	if (memchr(r->strtab + offset, '\0', r->strtab_len - offset) == NULL)
		return (NULL);
	return (r->strtab + offset);
}

static uint64_t
rec_dropped(struct ui_source *src)
{
	return (rec_data(src)->dropped);
}

static void
rec_position(struct ui_source *src, uint64_t *at, uint64_t *total)
{
	struct rec	*r = rec_data(src);

	*at = r->limit;
	*total = r->n;
}

static int
rec_seek(struct ui_source *src, uint64_t at)
{
	struct rec	*r = rec_data(src);

	if (at < r->prologue)
		at = r->prologue;
	if (at > r->n)
		at = r->n;
	r->limit = (size_t)at;
	r->paused = 1;
	if (r->limit >= r->pos)
		return (0);
	r->pos = 0;
	rec_drop_all(r);
	return (1);
}

static void
rec_reread_from(struct ui_source *src, uint64_t at)
{
	struct rec	*r = rec_data(src);

	if (at <= r->limit)
		r->pos = (size_t)at;
	r->dropped_to = r->pos;
}

static void
rec_trim(struct ui_source *src)
{
	struct rec	*r = rec_data(src);

	rec_drop_all(r);
}

static const struct trace_event *
rec_events(struct ui_source *src, size_t *n)
{
	struct rec	*r = rec_data(src);

	*n = r->n;
	return (r->ev);
}

/* The whole recording again, wherever the replay is. */
static int
rec_save(struct ui_source *src, const char *path,
    struct ui_source_saved *saved, char **cause)
{
	struct rec	*r = rec_data(src);

	if (tracefile_save(path, src->meta, r->ev, r->n, r->strtab,
	    r->strtab_len, r->choices, r->nchoices, r->dropped, cause) != 0) {
		rec_drop_all(r);
		return (-1);
	}
	rec_drop_all(r);	/* the save read every event */
	saved->events = r->n;
	saved->cut = 0;
	saved->choices = r->nchoices;
	saved->ran = 0;
	return (0);
}

static const struct ui_source_ops rec_ops = {
	.name = "recorded",
	.free = rec_free,
	.restart = rec_restart,
	.wake_fd = rec_wake_fd,
	.prepare_sleep = rec_prepare_sleep,
	.next_tick = rec_timeout,
	.tick = rec_tick,
	.read = rec_read,
	.finished = rec_finished,
	.pause = rec_pause,
	.resume = rec_resume,
	.paused = rec_paused,
	.set_tempo = rec_set_tempo,
	.step = rec_step,
	.at_gate = rec_at_gate,
	.back = rec_back,
	.string = rec_string,
	.dropped = rec_dropped,
	.position = rec_position,
	.seek = rec_seek,
	.reread_from = rec_reread_from,
	.trim = rec_trim,
	.events = rec_events,
	.save = rec_save,
};

struct ui_source *
ui_source_recorded_create(const struct trace_meta *meta,
    const struct trace_event *ev, size_t n, const char *strtab,
    size_t strtab_len)
{
	struct ui_source	*src;
	struct rec		*r;
	size_t			 i;

	r = xcalloc(1, sizeof *r);
	r->ev = ev;
	r->n = n;
	r->strtab = strtab;
	r->strtab_len = strtab_len;
	r->paused = 1;
	r->tempo = 250;
	/* Start where a live run starts: every worker at its first gate. */
	for (i = 0; i < n; i++) {
		if (ev[i].type != TRACE_RUN_BEGIN &&
		    ev[i].type != TRACE_WORKER_START &&
		    ev[i].type != TRACE_STEP)
			break;
	}
	r->prologue = r->limit = i;

	src = xcalloc(1, sizeof *src);
	src->ops = &rec_ops;
	src->meta = meta;
	src->recorded = 1;
	src->data = r;
	return (src);
}

void
ui_source_recorded_extra(struct ui_source *src, const uint16_t *choices,
    size_t nchoices, uint64_t dropped)
{
	struct rec	*r = rec_data(src);

	r->choices = choices;
	r->nchoices = nchoices;
	r->dropped = dropped;
}

void
ui_source_recorded_file(struct ui_source *src, const struct tracefile *tf)
{
	rec_data(src)->file = tf;
}

void
ui_source_free(struct ui_source *src)
{
	if (src == NULL)
		return;
	src->ops->free(src);
	free(src);
}
