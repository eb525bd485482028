/*
 * tests/check_export_record.c: record real runs of catalog scenarios and
 * replay them.
 *
 * Each scenario runs headless on real threads and processes, exactly as
 * `lockstep record` runs it: the trace writer sits on the per-batch event
 * callback. A mirror model applies the same batches and is checked
 * against the run's own (live) model at every batch boundary. After the
 * run, the file is read back and:
 *   - its meta, string table and step choices equal the run's;
 *   - its events are byte-equal to the live stream;
 *   - a model fed from the file and a model fed from the live stream are
 *     equal (state_diff) after every single event, with the same caption
 *     (model_explain): what the replay screen shows at event N is what the
 *     live view showed at event N;
 *   - the replayed final state equals the live run's final state.
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
#include "lib.h"
#include "check_export_state.h"

struct live {
	struct tracefile_writer	*w;
	struct headless_result	*res;
	struct model		*mirror;
	struct trace_event	*ev;
	size_t			 n, cap;
	size_t			 batches;
	const char		*diff;		/* first mismatch at a boundary */
	size_t			 diff_at;
};

static void
live_events(void *arg, struct run *run, const struct trace_event *ev,
    size_t n)
{
	struct live	*lv = arg;
	size_t		 i;

	(void)run;
	ck_assert_int_eq(tracefile_writer_append(lv->w, ev, n, NULL), 0);
	if (lv->n + n > lv->cap) {
		while (lv->n + n > lv->cap)
			lv->cap = lv->cap == 0 ? 4096 : lv->cap * 2;
		lv->ev = realloc(lv->ev, lv->cap * sizeof *lv->ev);
	}
	memcpy(lv->ev + lv->n, ev, n * sizeof *ev);
	lv->n += n;
	for (i = 0; i < n; i++)
		model_apply(lv->mirror, &ev[i]);
	lv->batches++;
	/* The callback runs after the live model applied this batch. */
	if (lv->diff == NULL &&
	    (lv->diff = state_diff(lv->res->model, lv->mirror)) != NULL)
		lv->diff_at = lv->n;
}

static void
record_and_replay(const char *name, uint64_t seed)
{
	struct headless_opts	 o;
	struct headless_result	 res;
	struct scn_diags	 diags;
	struct scn_file		*file;
	struct trace_meta	 meta;
	struct tracefile	*tf;
	struct live		 lv;
	struct model		*a, *b;
	const char		*strtab, *diff;
	const uint16_t		*choices;
	size_t			 strtab_len, nchoices, i;
	char			 scn[512], path[512], *cause = NULL;
	char			 ca[512], cb[512];

	snprintf(scn, sizeof scn, "scenarios/%s.scn", name);
	memset(&diags, 0, sizeof diags);
	file = scenario_load(lib_srcpath(scn), &diags);
	ck_assert_msg(file != NULL, "%s does not load", scn);
	scenario_diags_done(&diags);
	scenario_meta_build(file, &meta);

	snprintf(path, sizeof path, "%s/%s.lst", lib_tmpdir, name);
	memset(&lv, 0, sizeof lv);
	lv.w = tracefile_writer_create(path, &meta, &cause);
	ck_assert_msg(lv.w != NULL, "%s", cause);
	lv.res = &res;
	lv.mirror = model_create(&meta);

	memset(&o, 0, sizeof o);
	o.timeout_ms = 15000;
	o.on_events = live_events;
	o.arg = &lv;
	if (seed != 0) {
		o.stepped = 1;
		o.seed = seed;
	}
	ck_assert_msg(headless_run(file, &meta, &o, &res, &cause) == 0,
	    "%s: %s", name, cause);
	ck_assert_msg(lv.diff == NULL, "%s: mirror differs from the live "
	    "model after %zu events: %s", name, lv.diff_at, lv.diff);
	ck_assert_msg(lv.n > 10, "%s: only %zu events", name, lv.n);
	ck_assert_uint_eq(res.events, lv.n);

	strtab = run_strtab(res.run, &strtab_len);
	choices = run_choices(res.run, &nchoices);
	ck_assert_int_eq(tracefile_writer_finish(lv.w, strtab, strtab_len,
	    choices, nchoices, res.dropped, &cause), 0);
	tracefile_writer_free(lv.w);
	if (seed != 0)
		ck_assert_msg(nchoices > 0, "%s: stepped run made no choices",
		    name);

	tf = tracefile_read(path, &cause);
	ck_assert_msg(tf != NULL, "%s", cause);
	ck_assert_str_eq(tf->meta.path, meta.path);
	ck_assert_str_eq(tf->meta.source, meta.source);
	ck_assert_uint_eq(tf->meta.nworkers, meta.nworkers);
	ck_assert_uint_eq(tf->meta.nobjects, meta.nobjects);
	ck_assert_uint_eq(tf->meta.nexpects, meta.nexpects);
	for (i = 0; i < meta.nworkers; i++)
		ck_assert_str_eq(tf->meta.workers[i].name,
		    meta.workers[i].name);
	for (i = 0; i < meta.nobjects; i++) {
		ck_assert_str_eq(tf->meta.objects[i].name,
		    meta.objects[i].name);
		ck_assert_int_eq(tf->meta.objects[i].kind,
		    meta.objects[i].kind);
	}
	ck_assert_uint_eq(tf->strtab_len, strtab_len);
	ck_assert_int_eq(memcmp(tf->strtab, strtab, strtab_len), 0);
	ck_assert_uint_eq(tf->nchoices, nchoices);
	if (nchoices > 0)
		ck_assert_int_eq(memcmp(tf->choices, choices,
		    nchoices * sizeof *choices), 0);
	ck_assert_uint_eq(tf->dropped, res.dropped);
	ck_assert_uint_eq(tf->nevents, lv.n);
	ck_assert_int_eq(memcmp(tf->events, lv.ev, lv.n * sizeof *lv.ev), 0);

	/* Event by event: replay (from the file) against live. */
	a = model_create(&meta);
	b = model_create(&tf->meta);
	for (i = 0; i < lv.n; i++) {
		model_apply(a, &lv.ev[i]);
		model_apply(b, &tf->events[i]);
		diff = state_diff(a, b);
		ck_assert_msg(diff == NULL, "%s: after event %zu: %s", name,
		    i, diff);
		model_explain(a, &lv.ev[i], ca, sizeof ca);
		model_explain(b, &tf->events[i], cb, sizeof cb);
		ck_assert_msg(strcmp(ca, cb) == 0, "%s: caption %zu", name, i);
	}
	diff = state_diff(res.model, b);
	ck_assert_msg(diff == NULL, "%s: final replayed state differs from "
	    "the live run: %s", name, diff);

	model_free(a);
	model_free(b);
	tracefile_free(tf);
	headless_result_done(&res);
	model_free(lv.mirror);
	free(lv.ev);
	trace_meta_done(&meta);
	scenario_free(file);
	/* Only the finished file is left. */
	ck_assert_int_eq(lib_count_entries(lib_tmpdir, NULL), 1);
}

static const char *const scenarios[] = {
	"deadlock-two-locks",
	"dining-philosophers",
	"bounded-buffer",
	"condition-notify",
	"lost-wakeup",
	"semaphore-pool",
	"barrier",
	"process-pool",
	"join-pitfall",
};

START_TEST(test_catalog)
{
	record_and_replay(scenarios[_i], 0);
}
END_TEST

/* Step mode: the seeded choices are saved and read back. */
START_TEST(test_stepped)
{
	record_and_replay("dining-philosophers", 7);
}
END_TEST

static Suite *
suite_export_record(void)
{
	Suite	*s = suite_create("export_record");
	TCase	*tc = tcase_create("catalog");

	tcase_add_unchecked_fixture(tc, lib_setup_top, lib_teardown_top);
	tcase_add_checked_fixture(tc, lib_setup_tmp, lib_teardown_tmp);
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_catalog, 0,
	    (int)(sizeof scenarios / sizeof scenarios[0]));
	tcase_add_test(tc, test_stepped);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_export_record()));
}
