/*
 * tests/check_export.c: replay fidelity and the exporters.
 *
 * Replay: a run written to a trace file and read back must drive the
 * model to exactly the state the live events did, at every event index
 * (the replay screen draws from that state, so "what the screen shows at
 * event N is what it showed live at event N"). Checked on hand-made runs
 * here, and on real recordings of catalog scenarios once `record` works
 * (check_export_record.c).
 *
 * Exporters: the DOT graph at every prefix of the deadlock run is red
 * exactly when the model has found the cycle; the Chrome trace of the
 * hand-off run holds the slices, flows and instants it should. The shell
 * tests (tests/export-*.sh) parse the same outputs with jq and render the
 * DOT with Graphviz.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"
#include "export/tracefile.h"
#include "model/model.h"
#include "lib.h"
#include "check_export_fixture.h"
#include "check_export_state.h"

/* Write f to a file and read it back. */
static struct tracefile *
roundtrip(const struct fixture *f, const char *name)
{
	struct tracefile	*tf;
	char			 path[512], *cause = NULL;

	snprintf(path, sizeof path, "%s/%s", lib_tmpdir, name);
	ck_assert_msg(tracefile_save(path, &f->meta, f->ev, f->n, f->strtab,
	    f->strtab_len, f->choices, f->nchoices, 0, &cause) == 0, "%s",
	    cause);
	tf = tracefile_read(path, &cause);
	ck_assert_msg(tf != NULL, "%s", cause);
	return (tf);
}

/* Apply live events and file events side by side; compare the state and
   the caption after every one. */
static void
assert_replay_equal(const struct trace_meta *live_meta,
    const struct trace_event *live, size_t n, const struct tracefile *tf)
{
	struct model	*a, *b;
	const char	*diff;
	char		 ca[512], cb[512];
	size_t		 i;

	ck_assert_uint_eq(tf->nevents, n);
	a = model_create(live_meta);
	b = model_create(&tf->meta);
	ck_assert_ptr_null(state_diff(a, b));
	for (i = 0; i < n; i++) {
		model_apply(a, &live[i]);
		model_apply(b, &tf->events[i]);
		diff = state_diff(a, b);
		ck_assert_msg(diff == NULL, "after event %zu: %s", i, diff);
		model_explain(a, &live[i], ca, sizeof ca);
		model_explain(b, &tf->events[i], cb, sizeof cb);
		ck_assert_msg(strcmp(ca, cb) == 0, "caption %zu: '%s' vs '%s'",
		    i, ca, cb);
	}
	model_free(a);
	model_free(b);
}

START_TEST(test_replay_fixtures)
{
	struct fixture		 f;
	struct tracefile	*tf;

	fixture_deadlock(&f);
	tf = roundtrip(&f, "d.lst");
	assert_replay_equal(&f.meta, f.ev, f.n, tf);
	tracefile_free(tf);
	fixture_done(&f);

	fixture_handoff(&f);
	tf = roundtrip(&f, "h.lst");
	assert_replay_equal(&f.meta, f.ev, f.n, tf);
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

/*
 * Checkpoints (model/clone.c): a model cloned after any prefix, then
 * given the rest, is at every later event in the state the model given
 * everything from the first event is in; and a copy over a model that
 * was elsewhere (further on, or another clone) is too. Over every prefix
 * of tf's events, with captions compared as well (they read the private
 * part).
 */
static void
assert_clone_equal(const struct tracefile *tf, size_t stride)
{
	struct model	*ref, *at, *c, *other;
	const char	*diff;
	char		 ca[512], cb[512];
	size_t		 i, j, n = (size_t)tf->nevents;

	at = model_create(&tf->meta);
	other = model_create(&tf->meta);
	for (j = 0; j < n; j++)		/* other: the whole run */
		model_apply(other, &tf->events[j]);
	for (i = 0; i <= n; i += stride) {
		c = model_clone(at);
		model_copy(other, at);	/* over a model that was ahead */
		ref = model_create(&tf->meta);
		for (j = 0; j < i; j++)
			model_apply(ref, &tf->events[j]);
		diff = state_diff(ref, c);
		ck_assert_msg(diff == NULL, "%s clone at %zu: %s", tf->name,
		    i, diff);
		for (j = i; j < n; j++) {
			model_apply(ref, &tf->events[j]);
			model_apply(c, &tf->events[j]);
			model_apply(other, &tf->events[j]);
			diff = state_diff(ref, c);
			ck_assert_msg(diff == NULL, "%s clone at %zu, after "
			    "%zu: %s", tf->name, i, j, diff);
			diff = state_diff(ref, other);
			ck_assert_msg(diff == NULL, "%s copy at %zu, after "
			    "%zu: %s", tf->name, i, j, diff);
			model_explain(ref, &tf->events[j], ca, sizeof ca);
			model_explain(c, &tf->events[j], cb, sizeof cb);
			ck_assert_msg(strcmp(ca, cb) == 0, "%s clone at %zu, "
			    "caption %zu: '%s' vs '%s'", tf->name, i, j, ca,
			    cb);
		}
		model_free(ref);
		model_free(c);
		if (i < n)
			model_apply(at, &tf->events[i]);
		for (j = i + 1; j < i + stride && j < n; j++)
			model_apply(at, &tf->events[j]);
	}
	model_free(at);
	model_free(other);
}

START_TEST(test_clone_fixtures)
{
	struct fixture		 f;
	struct tracefile	*tf;

	fixture_deadlock(&f);
	tf = roundtrip(&f, "d.lst");
	assert_clone_equal(tf, 1);
	tracefile_free(tf);
	fixture_done(&f);
	fixture_handoff(&f);
	tf = roundtrip(&f, "h.lst");
	assert_clone_equal(tf, 1);
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

/* The same over real recordings of catalog scenarios (the seed corpus):
   locks, conditions, barriers, channels, a stepped deadlock. */
START_TEST(test_clone_recordings)
{
	static const char *const names[] = {
		"ok-rich.lst", "ok-run-barrier.lst",
		"ok-run-condition-notify.lst", "ok-run-deadlock-two-locks.lst",
		"ok-run-lost-wakeup.lst", "ok-run-overflow.lst",
		"ok-run-stepped.lst",
	};
	struct tracefile	*tf;
	char			 path[8192], *cause = NULL;
	size_t			 i, stride;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s",
		    lib_srcpath("tests/fuzz/trace-corpus"), names[i]);
		tf = tracefile_map(path, &cause);
		ck_assert_msg(tf != NULL, "%s", cause);
		/* Every prefix of the short ones; some 40 of a long one. */
		stride = tf->nevents > 400 ? (size_t)tf->nevents / 40 : 1;
		assert_clone_equal(tf, stride);
		tracefile_free(tf);
	}
}
END_TEST

/* The comparison itself notices a difference (else the test above would
   prove nothing). */
START_TEST(test_state_diff_detects)
{
	struct fixture	 f;
	struct model	*a, *b;
	size_t		 i;

	fixture_deadlock(&f);
	a = model_create(&f.meta);
	b = model_create(&f.meta);
	for (i = 0; i < f.n; i++) {
		model_apply(a, &f.ev[i]);
		if (i != 7)	/* b misses t2 taking B */
			model_apply(b, &f.ev[i]);
	}
	ck_assert_ptr_nonnull(state_diff(a, b));
	ck_assert_int_eq(a->detect.deadlock, 1);
	ck_assert_int_eq(b->detect.deadlock, 0);
	model_free(a);
	model_free(b);
	fixture_done(&f);
}
END_TEST

static char *
export_to_string(const struct tracefile *tf, int format, uint64_t at)
{
	char	*buf = NULL, *cause = NULL;
	size_t	 len = 0;
	FILE	*out;
	int	 rc;

	out = open_memstream(&buf, &len);
	if (format == 'c')
		rc = export_chrome(out, tf, &cause);
	else if (format == 'd')
		rc = export_dot(out, tf, at, &cause);
	else
		rc = export_jsonl(out, tf, &cause);
	ck_assert_msg(rc == 0, "%s", cause);
	fclose(out);
	return (buf);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

/* Red in the DOT exactly from the event that closed the cycle on. */
START_TEST(test_dot_every_prefix)
{
	struct fixture		 f;
	struct tracefile	*tf;
	struct model		*m;
	char			*dot, *cause = NULL, want[64];
	size_t			 i;

	fixture_deadlock(&f);
	tf = roundtrip(&f, "d.lst");
	m = model_create(&tf->meta);
	for (i = 0; i <= tf->nevents; i++) {
		if (i > 0)
			model_apply(m, &tf->events[i - 1]);
		dot = export_to_string(tf, 'd', i);
		ck_assert(strncmp(dot, "digraph lockstep {\n", 19) == 0);
		ck_assert_msg((strstr(dot, "#d01c1c") != NULL) ==
		    (m->detect.deadlock != 0), "at %zu", i);
		snprintf(want, sizeof want, "after %zu of %zu events", i,
		    (size_t)tf->nevents);
		ck_assert_ptr_nonnull(strstr(dot, want));
		/* One node line per worker and object, always. */
		ck_assert_uint_eq(count(dot, "shape=ellipse"), 3);
		ck_assert_uint_eq(count(dot, "shape=box"), 2);
		free(dot);
	}
	ck_assert_int_eq(m->detect.deadlock, 1);
	dot = export_to_string(tf, 'd', EXPORT_AT_END);
	ck_assert_uint_eq(count(dot, "waits for"), 2);
	ck_assert_uint_eq(count(dot, "held by"), 2);
	free(dot);
	ck_assert_int_eq(export_dot(stdout, tf, tf->nevents + 1, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "the trace has 17 events"));
	free(cause);
	model_free(m);
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

START_TEST(test_chrome_handoff)
{
	struct fixture		 f;
	struct tracefile	*tf;
	char			*js;

	fixture_handoff(&f);
	tf = roundtrip(&f, "h.lst");
	js = export_to_string(tf, 'c', 0);
	ck_assert_ptr_nonnull(strstr(js, "\"traceEvents\":["));
	ck_assert_uint_eq(count(js, "\"ph\":\"s\""), 2);
	ck_assert_uint_eq(count(js, "\"ph\":\"f\""), 2);
	ck_assert_uint_eq(count(js, "\"cat\":\"blocked\""), 2);
	ck_assert_uint_eq(count(js, "\"name\":\"thread_name\""), 2);
	ck_assert_ptr_nonnull(strstr(js, "{\"name\":\"M\",\"cat\":\"blocked\","
	    "\"ph\":\"X\",\"ts\":9.000,\"dur\":7.500,\"pid\":1,\"tid\":2,"));
	ck_assert_ptr_nonnull(strstr(js, "{\"name\":\"compute\",\"cat\":"
	    "\"time\",\"ph\":\"X\",\"ts\":25.500,\"dur\":1.500,"));
	ck_assert_ptr_null(strstr(js, "DEADLOCK"));
	ck_assert_ptr_null(strstr(js, "unfinished\":true"));
	ck_assert(js[strlen(js) - 1] == '\n' && js[strlen(js) - 2] == '}');
	free(js);
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

START_TEST(test_chrome_deadlock)
{
	struct fixture		 f;
	struct tracefile	*tf;
	char			*js;

	fixture_deadlock(&f);
	tf = roundtrip(&f, "d.lst");
	js = export_to_string(tf, 'c', 0);
	ck_assert_uint_eq(count(js, "\"name\":\"DEADLOCK: "), 1);
	ck_assert_uint_eq(count(js, "\"cat\":\"deadlock\",\"ph\":\"i\""), 1);
	ck_assert_uint_eq(count(js, "\"s\":\"g\""), 1);
	/* t1 and t2 blocked to the end, and alive to the end. */
	ck_assert_uint_eq(count(js, "\"outcome\":\"none: end of trace\","
	    "\"unfinished\":true"), 2);
	ck_assert_uint_eq(count(js, "\"end\":\"end of trace\""), 2);
	ck_assert_uint_eq(count(js, "\"name\":\"sleep\""), 1);
	ck_assert_ptr_nonnull(strstr(js, "\"name\":\"t1 now waits for B, "
	    "which t2 holds\",\"cat\":\"note\""));
	free(js);
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

static Suite *
suite_export(void)
{
	Suite	*s = suite_create("export");
	TCase	*tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, lib_setup_top, lib_teardown_top);
	tcase_add_checked_fixture(tc, lib_setup_tmp, lib_teardown_tmp);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_replay_fixtures);
	tcase_add_test(tc, test_state_diff_detects);
	tcase_add_test(tc, test_clone_fixtures);
	tcase_add_test(tc, test_clone_recordings);
	tcase_add_test(tc, test_dot_every_prefix);
	tcase_add_test(tc, test_chrome_handoff);
	tcase_add_test(tc, test_chrome_deadlock);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_export()));
}
