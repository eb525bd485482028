/*
 * bench/frame-bench.c: how long the live view takes to draw a frame.
 *
 * A synthetic run (8 workers; locks, a semaphore, a queue, a pipe, a
 * shared counter; a scenario text for the source pane) is replayed through
 * the live view's own code: every frame resets the model, applies the
 * frame's events with ui_apply() exactly as the loop does (explanations,
 * notes, timeline), marks every pane dirty and calls ui_render(), which
 * draws them all and does one doupdate() to a terminal on /dev/null.
 * Frames alternate between 150 and 200 events, so each one really changes
 * the screen and curses has work to send.
 *
 * Printed: µs per frame for the render alone (what a keypress waits for)
 * and with the event application, at 120x40 (the design's figure), 80x24
 * and 200x60.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui.h"
#include "util/xmalloc.h"

#define NW		8
#define NEV_MAX		4096
#define FRAMES		2000

enum { O_A, O_B, O_S, O_Q, O_P, O_C, NOBJ };

static struct trace_event	ev[NEV_MAX];
static size_t			nev;
static uint64_t			clock_ns = 1000;

static void
emit(uint16_t w, uint16_t type, uint16_t o, int64_t a0, int32_t a1)
{
	struct trace_event	*e = &ev[nev++];

	memset(e, 0, sizeof *e);
	e->time = clock_ns += 1000;
	e->worker = w;
	e->type = type;
	e->object = o;
	e->a0 = a0;
	e->a1 = a1;
}

static void
build(struct trace_meta *meta, char **source)
{
	struct trace_meta_worker	w;
	struct trace_meta_object	o;
	struct trace_meta_expect	x;
	static const char *const names[NOBJ] = { "A", "B", "slots", "Q",
	    "P", "counter" };
	static const enum trace_obj_kind kinds[NOBJ] = { TRACE_OBJ_MUTEX,
	    TRACE_OBJ_MUTEX, TRACE_OBJ_SEMAPHORE, TRACE_OBJ_QUEUE,
	    TRACE_OBJ_PIPE, TRACE_OBJ_SHARED };
	static const int64_t caps[NOBJ] = { 0, 0, 5, 8, 0, 0 };
	char		 name[16], *s;
	size_t		 len = 0, i;
	int		 line, r;
	uint16_t	 k;

	trace_meta_init(meta);
	meta->title = xstrdup("Frame benchmark: eight workers, every kind "
	    "of pane");
	meta->about = xstrdup("A synthetic run used to time the live view: "
	    "locks taken and released, a semaphore filling up, a queue and "
	    "a pipe carrying values, a shared counter, sleeps and waits.");
	meta->path = xstrdup("bench/frame.scn");
	s = xmalloc(8192);
	for (line = 1; line <= 60; line++)
		len += (size_t)snprintf(s + len, 8192 - len,
		    "    statement number %d of the synthetic scenario   # "
		    "comment\n", line);
	*source = s;
	meta->source = xstrdup(s);
	for (k = 0; k < NW; k++) {
		memset(&w, 0, sizeof w);
		snprintf(name, sizeof name, "worker.%u", k + 1);
		w.name = name;
		w.kind = k % 2 ? TRACE_WORKER_PROCESS : TRACE_WORKER_THREAD;
		w.copy = k + 1;
		w.pool = TRACE_NO_OBJECT;
		w.line = 5;
		trace_meta_add_worker(meta, &w);
	}
	for (i = 0; i < NOBJ; i++) {
		memset(&o, 0, sizeof o);
		o.name = (char *)names[i];
		o.kind = kinds[i];
		o.capacity = caps[i];
		o.lock = TRACE_NO_OBJECT;
		trace_meta_add_object(meta, &o);
	}
	memset(&x, 0, sizeof x);
	x.kind = TRACE_EXPECT_METRIC;
	x.metric = TRACE_METRIC_VALUE;
	x.object = O_C;
	x.cmp = TRACE_CMP_EQ;
	x.value = 400;
	x.text = (char *)"expect counter == 400";
	trace_meta_add_expect(meta, &x);

	/* Everyone starts at a statement. */
	emit(TRACE_NO_WORKER, TRACE_RUN_BEGIN, TRACE_NO_OBJECT, NW, 0);
	for (k = 0; k < NW; k++) {
		emit(k, TRACE_WORKER_START, TRACE_NO_OBJECT, 1000 + k, 1);
		emit(k, TRACE_STEP, TRACE_NO_OBJECT, 10 + k, 5);
	}
	/* Rounds: each worker locks A, updates the counter, puts into Q,
	   takes a semaphore slot; the next one gets what it released. */
	for (r = 0; nev < 190; r++) {
		k = (uint16_t)(r % NW);
		emit(k, TRACE_STEP, TRACE_NO_OBJECT, 20 + r % 30, 5);
		emit(k, TRACE_LOCK_ACQUIRED, O_A, 1, 0);
		emit(k, TRACE_SHARED_LOAD, O_C, r, 0);
		emit(k, TRACE_SHARED_STORE, O_C, r + 1, 0);
		emit(k, TRACE_LOCK_RELEASE, O_A, 0, 0);
		emit(k, TRACE_CHAN_PUT, r % 3 ? O_Q : O_P, r, 0);
		if (r % 2)
			emit(k, TRACE_CHAN_GET, O_Q, r / 2, 0);
		emit(k, TRACE_STEP, TRACE_NO_OBJECT, 21 + r % 30, 5);
	}
	/* End in a busy state: slots full, waiters, a held lock. */
	for (k = 0; k < 5; k++)
		emit(k, TRACE_SEM_ACQUIRED, O_S, 4 - k, 0);
	emit(5, TRACE_SEM_WAIT, O_S, 0, 0);
	emit(6, TRACE_SEM_WAIT, O_S, 0, 0);
	emit(0, TRACE_LOCK_ACQUIRED, O_B, 1, 0);
	emit(7, TRACE_LOCK_WAIT, O_B, 0, 0);
	emit(1, TRACE_SLEEP, TRACE_NO_OBJECT, 50000000, 0);
	while (nev < 200)
		emit((uint16_t)(nev % 4), TRACE_STEP, TRACE_NO_OBJECT,
		    30 + nev % 20, 5);
}

/* CPU time of this thread: the machine may be busy with other work, and
   what matters is what drawing costs, not how long we were preempted. */
static double
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3);
}

static void
measure(struct trace_meta *meta, int rows, int cols)
{
	struct ui_source	*src;
	struct ui		*ui;
	double			 t0, t_render = 0, t_all = 0, t1;
	size_t			 i, n;
	int			 f;

	resize_term(rows, cols);
	src = ui_source_recorded_create(meta, ev, nev, NULL, 0);
	ui = ui_create(src, meta, NULL);
	ui_resize(ui);
	ui_render(ui);
	for (f = 0; f < FRAMES; f++) {
		n = f % 2 ? nev : 150;
		t0 = now_us();
		ui_view_reset_for_bench(ui);
		for (i = 0; i < n; i++)
			ui_apply(ui, &ev[i], i + UI_LOG_MAX >= n);
		ui->changes = UI_CH_ALL;
		t1 = now_us();
		ui_render(ui);
		t_render += now_us() - t1;
		t_all += now_us() - t0;
	}
	printf("frame-bench: %dx%d: render %.1f us/frame, with %zu events "
	    "applied %.1f us/frame (%d frames)\n", cols, rows,
	    t_render / FRAMES, nev, t_all / FRAMES, FRAMES);
	ui_free(ui);
	ui_source_free(src);
}

int
main(void)
{
	static const char *const terms[] = { "xterm-256color", "xterm",
	    "vt100", NULL };
	struct trace_meta	 meta;
	SCREEN			*scr = NULL;
	FILE			*out, *in;
	char			*source;
	int			 i;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	setenv("LINES", "40", 1);
	setenv("COLUMNS", "120", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (out == NULL || in == NULL) {
		perror("frame-bench: /dev/null");
		return (1);
	}
	for (i = 0; terms[i] != NULL && scr == NULL; i++)
		scr = newterm(terms[i], out, in);
	if (scr == NULL) {
		fprintf(stderr, "frame-bench: no usable terminfo entry\n");
		return (1);
	}
	set_term(scr);
	ui_theme_init(NULL, has_colors());
	ui_glyph_init(1);
	build(&meta, &source);
	measure(&meta, 40, 120);
	measure(&meta, 24, 80);
	measure(&meta, 60, 200);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	trace_meta_done(&meta);
	free(source);
	return (0);
}
