/*
 * tests/check_ui_replay.c: stepping back in a replay from checkpoints
 * shows exactly what re-reading from the first event shows.
 *
 * Real runs of catalog scenarios (a lock-heavy one, a bounded buffer with
 * hand-offs, a stepped deadlock) are recorded headless, as `lockstep
 * record` does, and opened as `lockstep replay` opens them (tracefile_map,
 * a recorded source, the view). The view walks forward one event at a
 * time with checkpoints every few events (ui_checkpoint_every), then goes
 * back to every position (seek, as g and d do) and steps back with Left
 * (ui_goback) from the end to the start. At each position its model and
 * every per-event part of the view (timelines, log lines, note, banners,
 * per-worker and per-object arrays, the hand-off state) must equal those
 * of a fresh view that read the recording from its first event to there.
 * The view is never drawn: no terminal is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/tracefile.h"
#include "model/model.h"
#include "runtime/headless.h"
#include "runtime/run.h"
#include "scenario/ast.h"
#include "ui/source.h"
#include "ui/ui.h"
#include "lib.h"
#include "check_export_state.h"

static void
on_events(void *arg, struct run *run, const struct trace_event *ev,
    size_t n)
{
	(void)run;
	ck_assert_int_eq(tracefile_writer_append(arg, ev, n, NULL), 0);
}

/* Record scenarios/NAME.scn, or the file NAME if it has a slash
   (stepped with seed, if not 0), into path. */
static void
record(const char *name, uint64_t seed, const char *path)
{
	struct headless_opts	 o;
	struct headless_result	 res;
	struct scn_diags	 diags;
	struct scn_file		*file;
	struct trace_meta	 meta;
	struct tracefile_writer	*w;
	const char		*strtab;
	const uint16_t		*choices;
	size_t			 strtab_len, nchoices;
	char			 scn[8192], *cause = NULL;

	if (strchr(name, '/') != NULL)
		snprintf(scn, sizeof scn, "%s", name);
	else
		snprintf(scn, sizeof scn, "%s", lib_srcpath("scenarios"));
	if (strchr(name, '/') == NULL)
		snprintf(scn + strlen(scn), sizeof scn - strlen(scn),
		    "/%s.scn", name);
	memset(&diags, 0, sizeof diags);
	file = scenario_load(scn, &diags);
	ck_assert_msg(file != NULL, "%s does not load", scn);
	scenario_diags_done(&diags);
	scenario_meta_build(file, &meta);
	w = tracefile_writer_create(path, &meta, &cause);
	ck_assert_msg(w != NULL, "%s", cause);
	memset(&o, 0, sizeof o);
	o.timeout_ms = 15000;
	o.on_events = on_events;
	o.arg = w;
	if (seed != 0) {
		o.stepped = 1;
		o.seed = seed;
	}
	ck_assert_msg(headless_run(file, &meta, &o, &res, &cause) == 0,
	    "%s: %s", name, cause);
	strtab = run_strtab(res.run, &strtab_len);
	choices = run_choices(res.run, &nchoices);
	ck_assert_int_eq(tracefile_writer_finish(w, strtab, strtab_len,
	    choices, nchoices, res.dropped, &cause), 0);
	tracefile_writer_free(w);
	headless_result_done(&res);
	trace_meta_done(&meta);
	scenario_free(file);
}

/* The first difference between two views of one recording, or NULL. */
static const char *
view_diff(const struct ui *a, const struct ui *b)
{
	static char		 buf[512];
	const struct trace_meta	*meta = a->meta;
	size_t			 nw = meta->nworkers, no = meta->nobjects, i;
	const char		*d;
	int			 k;

	if ((d = state_diff(a->model, b->model)) != NULL)
		return (d);
#define VIEW_EQ(what, x, y) do {					\
	if ((x) != (y)) {						\
		snprintf(buf, sizeof buf, "%s: %lld != %lld", what,	\
		    (long long)(x), (long long)(y));			\
		return (buf);						\
	}								\
} while (0)
	VIEW_EQ("nread", a->nread, b->nread);
	VIEW_EQ("log_n", a->log_n, b->log_n);
	for (k = 0; k < a->log_n; k++) {
		const struct ui_logline *la = ui_log_line(a, k);
		const struct ui_logline *lb = ui_log_line(b, k);

		VIEW_EQ("log index", la->index, lb->index);
		if (strcmp(la->text, lb->text) != 0) {
			snprintf(buf, sizeof buf, "log %d: '%s' vs '%s'", k,
			    la->text, lb->text);
			return (buf);
		}
	}
	if (strcmp(a->note, b->note) != 0)
		return ("note");
	if (strcmp(a->banner, b->banner) != 0)
		return ("banner");
	VIEW_EQ("seen_deadlock", a->seen_deadlock, b->seen_deadlock);
	VIEW_EQ("seen_stall", a->seen_stall, b->seen_stall);
	VIEW_EQ("seen_end", a->seen_end, b->seen_end);
	VIEW_EQ("expect_failed", a->expect_failed, b->expect_failed);
	VIEW_EQ("handoff_obj", a->handoff_obj, b->handoff_obj);
	VIEW_EQ("handoff_from", a->handoff_from, b->handoff_from);
	VIEW_EQ("nheld", a->nheld, b->nheld);
	for (i = 0; i < nw; i++) {
		VIEW_EQ("tl n", a->tl[i].n, b->tl[i].n);
		for (k = 0; k < (int)a->tl[i].n; k++) {
			if (a->tl[i].v[k].index != b->tl[i].v[k].index ||
			    a->tl[i].v[k].state != b->tl[i].v[k].state) {
				snprintf(buf, sizeof buf, "timeline of %zu, "
				    "point %d: %llu/%d vs %llu/%d", i, k,
				    (unsigned long long)a->tl[i].v[k].index,
				    a->tl[i].v[k].state,
				    (unsigned long long)b->tl[i].v[k].index,
				    b->tl[i].v[k].state);
				return (buf);
			}
		}
		VIEW_EQ("note_pending", a->note_pending[i],
		    b->note_pending[i]);
		VIEW_EQ("ran_line", a->ran_line[i], b->ran_line[i]);
		VIEW_EQ("pid", a->pid[i], b->pid[i]);
		VIEW_EQ("computing", a->computing[i], b->computing[i]);
	}
	for (i = 0; i < no; i++) {
		VIEW_EQ("released_by", a->released_by[i], b->released_by[i]);
		VIEW_EQ("sock_state", a->sock_state[i], b->sock_state[i]);
	}
	return (NULL);
#undef VIEW_EQ
}

/* The detection search as it was: a fresh model from the first event. */
static uint64_t
ref_detection(const struct tracefile *tf, uint64_t at, int dir,
    struct trace_event *found)
{
	struct model	*m = model_create(&tf->meta);
	const struct trace_event *ev = tf->events;
	int		 before[3], hit_here;
	uint64_t	 i, hit = 0;

	for (i = 0; i < tf->nevents; i++) {
		if (dir < 0 && i + 1 >= at)
			break;
		before[0] = m->detect.deadlock;
		before[1] = m->detect.self_deadlock;
		before[2] = m->detect.stall;
		model_apply(m, &ev[i]);
		hit_here = (m->detect.deadlock && !before[0]) ||
		    (m->detect.self_deadlock && !before[1]) ||
		    (m->detect.stall && !before[2]) ||
		    ev[i].type == TRACE_LOCK_WAIT ||
		    ev[i].type == TRACE_SEM_WAIT;
		if (hit_here && (dir < 0 || i + 1 > at)) {
			hit = i + 1;
			*found = ev[i];
			if (dir > 0)
				break;
		}
	}
	model_free(m);
	return (hit);
}

struct opened {
	struct tracefile	*tf;
	struct ui_source	*src;
	struct ui		*ui;
};

static void
open_view(struct opened *o, const char *path)
{
	char	*cause = NULL;

	o->tf = tracefile_map(path, &cause);
	ck_assert_msg(o->tf != NULL, "%s", cause);
	o->src = ui_source_recorded_create(&o->tf->meta, o->tf->events,
	    (size_t)o->tf->nevents, o->tf->strtab, o->tf->strtab_len);
	ui_source_recorded_file(o->src, o->tf);
	o->ui = ui_create(o->src, &o->tf->meta, NULL);
}

static void
close_view(struct opened *o)
{
	ui_free(o->ui);
	ui_source_free(o->src);
	tracefile_free(o->tf);
}

/* A fresh view read from the first event to at. */
static const char *
diff_fresh(const char *path, struct ui *ui, uint64_t at)
{
	static char	 buf[600];
	struct opened	 f;
	const char	*d;

	open_view(&f, path);
	ck_assert_int_eq(ui_goto(f.ui, at), 0);
	d = view_diff(f.ui, ui);
	if (d != NULL) {
		snprintf(buf, sizeof buf, "%s", d);
		d = buf;
	}
	close_view(&f);
	return (d);
}

static void
check_recording(const char *name, uint64_t seed, uint64_t every,
    uint64_t min)
{
	struct opened	 o;
	char		 path[512];
	const char	*d;
	uint64_t	 at, total, n, i, prev, restores;
	size_t		 bytes;

	snprintf(path, sizeof path, "%s/%s.lst", lib_tmpdir,
	    strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name);
	record(name, seed, path);
	open_view(&o, path);
	ui_checkpoint_every(o.ui, every);
	o.src->ops->position(o.src, &at, &total);
	ck_assert_msg(total >= min, "%s: only %llu events", name,
	    (unsigned long long)total);
	/* Forward one event at a time: checkpoints along the way. */
	for (i = at; i <= total; i++)
		ck_assert_int_eq(ui_goto(o.ui, i), 0);
	n = ui_checkpoint_stats(o.ui, &at, &bytes, &restores);
	ck_assert_msg(n >= total / every / 2, "%s: %llu checkpoints", name,
	    (unsigned long long)n);
	/* d and D from every position: the same hits as a scan from the
	   first event (the view is at the end; then at each position). */
	for (i = 0; i <= total; i += i < 50 ? 1 : 7) {
		struct trace_event	 e1, e2;
		const char		*what = NULL;
		uint64_t		 h1, h2;
		int			 dir;

		if (i % 3 == 0)
			ck_assert_int_eq(ui_goto(o.ui, i), 0);
		for (dir = -1; dir <= 1; dir += 2) {
			h1 = ui_find_detection(o.ui, i, dir, &what, &e1);
			h2 = ref_detection(o.tf, i, dir, &e2);
			ck_assert_msg(h1 == h2, "%s: %c from %llu: %llu vs "
			    "%llu", name, dir > 0 ? 'd' : 'D',
			    (unsigned long long)i, (unsigned long long)h1,
			    (unsigned long long)h2);
		}
	}
	/* Every position, backwards (each a re-read from a checkpoint). */
	ck_assert_int_eq(ui_goto(o.ui, UINT64_MAX), 0);
	for (i = total - 1; i > 0; i--) {
		ck_assert_int_eq(ui_goto(o.ui, i), 0);
		o.src->ops->position(o.src, &at, &total);
		d = diff_fresh(path, o.ui, at);
		ck_assert_msg(d == NULL, "%s: seek back to %llu: %s", name,
		    (unsigned long long)at, d);
	}
	ui_checkpoint_stats(o.ui, &at, &bytes, &restores);
	ck_assert_msg(restores + 200 + every >= total, "%s: %llu of %llu "
	    "re-reads from a checkpoint", name, (unsigned long long)restores,
	    (unsigned long long)total);
	/* Left from the end to the start, step by step. */
	ck_assert_int_eq(ui_goto(o.ui, UINT64_MAX), 0);
	o.src->ops->position(o.src, &at, &total);
	do {
		prev = at;
		ui_goback(o.ui);
		o.src->ops->position(o.src, &at, &total);
		d = diff_fresh(path, o.ui, at);
		ck_assert_msg(d == NULL, "%s: Left to %llu: %s", name,
		    (unsigned long long)at, d);
	} while (at < prev);
	close_view(&o);
}

/* Two locks taken in turn by three threads: lock waits, hand-overs of
   the locks, lost-update bookkeeping; some 1500 events. */
START_TEST(test_back_lock_heavy)
{
	char	path[512];
	FILE	*f;

	snprintf(path, sizeof path, "%s/locks.scn", lib_tmpdir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("mutex A\nmutex B\nshared int n = 0\nthread t x3:\n"
	    "    repeat 30:\n        with A:\n            n += 1\n"
	    "        with B:\n            n += 1\n", f);
	ck_assert_int_eq(fclose(f), 0);
	check_recording(path, 0, 97, 1000);
}
END_TEST

/* A bounded buffer, stepped: channel hand-offs (held back when stepping
   forward, applied whole when re-read). */
START_TEST(test_back_handoffs)
{
	check_recording("bounded-buffer", 2, 31, 400);
}
END_TEST

/* Stepped runs of the philosophers: one that deadlocks (the banner, the
   seen flags), one that does not. */
START_TEST(test_back_philosophers)
{
	check_recording("dining-philosophers", 2, 3, 20);
	check_recording("dining-philosophers-fixed", 2, 17, 200);
}
END_TEST

static Suite *
suite_ui_replay(void)
{
	Suite	*s = suite_create("ui_replay");
	TCase	*tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, lib_setup_top, lib_teardown_top);
	tcase_add_checked_fixture(tc, lib_setup_tmp, lib_teardown_tmp);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_back_lock_heavy);
	tcase_add_test(tc, test_back_handoffs);
	tcase_add_test(tc, test_back_philosophers);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_ui_replay()));
}
