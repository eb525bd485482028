/*
 * preload/trace-source.c: a traced program as a source of the live view.
 *
 * The same operations as the live scenario source (ui/source.c) over a
 * struct tracer: gates are the library's (step gives one worker one
 * wrapped call), events come from tracer_pull() in order. A traced
 * program's meta grows while it runs: read() stops before the first
 * event that names a worker or object the meta does not have yet and
 * grown() says so; the view then frees what it sized by the meta, calls
 * regrow() (the meta grows, read() starts again from the first event)
 * and rebuilds its state by reading everything again.
 *
 * The program's exit does not always wake the view (its last events may
 * already have been read), so while it runs the source asks for a tick
 * every TRACE_SOURCE_TICK_MS to look (a waitpid, nothing more).
 */
#include <stdlib.h>
#include <string.h>

#include "export/tracefile.h"
#include "preload/trace-source.h"
#include "util/xmalloc.h"

#define TRACE_SOURCE_TICK_MS	100
#define TRACE_SOURCE_REPLAY_MS	5000

struct trace_source {
	struct tracer	*t;
	size_t		 pos;		/* next event read() hands out */
	int		 grown;
	int		 ran;		/* Space let it run freely */
	int		 diverged;	/* a step back did not retrace */
};

static struct trace_source *
trace_source_data(struct ui_source *src)
{
	return (src->data);
}

static struct tracer *
trace_source_tracer(struct ui_source *src)
{
	return (trace_source_data(src)->t);
}

static void
trace_source_free(struct ui_source *src)
{
	free(src->data);
}

/* The program again from its start, paused: the view rebuilds what it
   sized by the meta (grown), which starts empty again. */
static int
trace_source_restart(struct ui_source *src, char **cause)
{
	struct trace_source	*ts = trace_source_data(src);

	ts->pos = 0;
	ts->ran = 0;
	ts->grown = 1;
	return (tracer_restart(ts->t, ts->t->lib, cause));
}

static int
trace_source_wake_fd(struct ui_source *src)
{
	return (trace_source_tracer(src)->wake_fd);
}

/* Not while the view has a regrow to do (read() stopped for it). */
static int
trace_source_prepare_sleep(struct ui_source *src)
{
	if (trace_source_data(src)->grown)
		return (1);
	return (trace_consumer_prepare_sleep(
	    trace_source_tracer(src)->consumer));
}

static int
trace_source_next_tick(struct ui_source *src)
{
	return (trace_source_tracer(src)->finished ? -1 :
	    TRACE_SOURCE_TICK_MS);
}

/* The program exited: end what it left (kill its group, end workers). */
static void
trace_source_tick(struct ui_source *src)
{
	struct tracer	*t = trace_source_tracer(src);

	tracer_output(t);
	if (!t->finished && tracer_reap(t)) {
		tracer_output(t);
		tracer_finish(t);
	}
}

static size_t
trace_source_read(struct ui_source *src, struct trace_event *ev, size_t max)
{
	struct trace_source	*ts = trace_source_data(src);
	struct tracer		*t = ts->t;
	size_t			 n = 0;

	trace_consumer_drain_wake(t->consumer);
	tracer_output(t);
	tracer_pull(t);
	while (n < max && ts->pos < t->nevents) {
		if (!tracer_fits(t, &t->events[ts->pos])) {
			ts->grown = 1;
			break;
		}
		/* A new channel peer: the view reads everything again
		   (regrow) with the peer known from the start. */
		if (tracer_deliver(t, &t->events[ts->pos]) > 0 &&
		    ts->pos > 0) {
			ts->grown = 1;
			break;
		}
		ev[n++] = t->events[ts->pos++];
	}
	if (n == 0)
		trace_source_tick(src);
	return (n);
}

static int
trace_source_grown(struct ui_source *src)
{
	return (trace_source_data(src)->grown);
}

static void
trace_source_regrow(struct ui_source *src)
{
	struct trace_source	*ts = trace_source_data(src);

	tracer_grow_meta(ts->t);
	ts->pos = 0;
	ts->grown = 0;
}

static int
trace_source_finished(struct ui_source *src)
{
	struct trace_source	*ts = trace_source_data(src);

	return (ts->t->finished && ts->pos == ts->t->nevents);
}

static void
trace_source_pause(struct ui_source *src)
{
	tracer_pause(trace_source_tracer(src));
}

static void
trace_source_resume(struct ui_source *src)
{
	trace_source_data(src)->ran = 1;
	tracer_resume(trace_source_tracer(src));
}

static int
trace_source_paused(struct ui_source *src)
{
	return (tracer_paused(trace_source_tracer(src)));
}

static void
trace_source_set_tempo(struct ui_source *src, int ms)
{
	tracer_set_tempo(trace_source_tracer(src), ms);
}

static int
trace_source_at_gate(struct ui_source *src, int w)
{
	return (w >= 0 && tracer_at_gate(trace_source_tracer(src),
	    (uint32_t)w));
}

static int
trace_source_step(struct ui_source *src, int w)
{
	struct tracer	*t = trace_source_tracer(src);
	uint32_t	 i;

	for (i = 0; w < 0 && i < t->meta.nworkers; i++) {
		if (tracer_at_gate(t, i))
			w = (int)i;
	}
	if (w < 0 || !tracer_at_gate(t, (uint32_t)w))
		return (-1);
	tracer_give(t, (uint32_t)w);
	return (w);
}

/* One step back: run the program again from its start through every
   step taken but the last (the steps are the only choices made, so the
   same program takes the same path; its own nondeterminism, time or
   input, can take it elsewhere: then the view says so). Not after Space
   let it run freely: those steps were not choices. */
static int
trace_source_back(struct ui_source *src)
{
	struct trace_source	*ts = trace_source_data(src);
	struct tracer		*t = ts->t;
	uint16_t		*choices;
	size_t			 n = t->nchoices;
	char			*cause = NULL;
	int			 r;

	if (ts->ran)
		return (-1);
	if (n == 0)
		return (0);
	choices = xreallocarray(NULL, n, sizeof *choices);
	memcpy(choices, t->choices, n * sizeof *choices);
	if (trace_source_restart(src, &cause) != 0) {
		free(cause);
		free(choices);
		return (-1);
	}
	r = tracer_replay(t, choices, n - 1, TRACE_SOURCE_REPLAY_MS);
	free(choices);
	ts->diverged = r != 0;
	return (1);
}

static const char *
trace_source_back_note(struct ui_source *src, int r)
{
	struct trace_source	*ts = trace_source_data(src);

	if (r < 0 && ts->ran)
		return ("Space let the program run freely, so its steps were "
		    "not choices to retrace: r restarts it.");
	if (r < 0)
		return ("The program could not be started again.");
	if (r > 0 && ts->diverged)
		return ("Run again from its start, the program did not retrace "
		    "every step (it reads the time or its input?): shown where "
		    "it got to.");
	if (r > 0)
		return ("One step back: the program ran again from its start "
		    "through every step but the last.");
	return (NULL);
}

static const char *
trace_source_string(struct ui_source *src, int64_t offset)
{
	return (tracer_string(trace_source_tracer(src), offset));
}

static uint64_t
trace_source_dropped(struct ui_source *src)
{
	(void)src;
	return (0);
}

static void
trace_source_position(struct ui_source *src, uint64_t *at, uint64_t *total)
{
	(void)src;
	*at = *total = 0;
}

static int
trace_source_seek(struct ui_source *src, uint64_t at)
{
	(void)src;
	(void)at;
	return (-1);
}

static const struct trace_event *
trace_source_events(struct ui_source *src, size_t *n)
{
	struct trace_source	*ts = trace_source_data(src);

	*n = ts->pos;
	return (ts->t->events);
}

static int
trace_source_save(struct ui_source *src, const char *path,
    struct ui_source_saved *saved, char **cause)
{
	struct trace_source	*ts = trace_source_data(src);
	struct tracer		*t = ts->t;

	if (tracefile_save(path, &t->meta, t->events, ts->pos,
	    t->strtab != NULL ? t->strtab : "", t->strtab != NULL ?
	    t->strtab_len : 1,
	    t->choices, t->nchoices, 0, cause) != 0)
		return (-1);
	saved->events = ts->pos;
	saved->cut = 0;
	saved->choices = t->nchoices;
	saved->ran = ts->ran;
	return (0);
}

static const struct ui_source_ops trace_source_ops = {
	.name = "trace",
	.free = trace_source_free,
	.restart = trace_source_restart,
	.wake_fd = trace_source_wake_fd,
	.prepare_sleep = trace_source_prepare_sleep,
	.next_tick = trace_source_next_tick,
	.tick = trace_source_tick,
	.read = trace_source_read,
	.finished = trace_source_finished,
	.pause = trace_source_pause,
	.resume = trace_source_resume,
	.paused = trace_source_paused,
	.set_tempo = trace_source_set_tempo,
	.step = trace_source_step,
	.at_gate = trace_source_at_gate,
	.back = trace_source_back,
	.string = trace_source_string,
	.dropped = trace_source_dropped,
	.position = trace_source_position,
	.seek = trace_source_seek,
	.events = trace_source_events,
	.save = trace_source_save,
	.grown = trace_source_grown,
	.regrow = trace_source_regrow,
	.back_note = trace_source_back_note,
};

struct ui_source *
trace_source_create(struct tracer *t)
{
	struct ui_source	*src;
	struct trace_source	*ts;

	ts = xcalloc(1, sizeof *ts);
	ts->t = t;
	src = xcalloc(1, sizeof *src);
	src->ops = &trace_source_ops;
	src->meta = &t->meta;
	src->data = ts;
	return (src);
}
