/*
 * tests/check_verdicts.c: the verdict table of doc/verdicts.md, row by
 * row, through the real runtime.
 *
 * Each row names a scenario in tests/verdicts/, the schedule that forces
 * the interleaving its verdict depends on (worker names, one step each;
 * the rest of the run is free once it is used up, as `run --schedule`
 * does), the verdict the model must reach and words its explanation must
 * contain. The run goes through headless_run like `lockstep run
 * --headless`; the test asserts how it stopped, what the model detected,
 * that the scenario's own expect lines held, the key text, and that no
 * process or temp file is left behind.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "model/model.h"
#include "runtime/headless.h"
#include "scenario/ast.h"
#include "trace/meta.h"

enum vt_verdict {
	VT_COMPLETES,		/* no deadlock, stall or potential deadlock */
	VT_POTENTIAL,		/* completes, and a lock-order cycle */
	VT_DEADLOCK,
	VT_SELF_DEADLOCK,
	VT_STALL
};

struct vt_row {
	const char		*file;		/* in tests/verdicts/ */
	const char		*schedule;	/* "a a b", or NULL */
	enum vt_verdict		 verdict;
	const char		*text[3];	/* in the why / inversion text */
};

static const struct vt_row vt_rows[] = {
	{ "sem-signal-deadlock.scn", "t1 t1 t2", VT_DEADLOCK,
	  { "t1 waits for S", "released only by t2", "held by t1" } },
	{ "sem-signal-ok.scn", NULL, VT_COMPLETES, { NULL } },
	{ "smokers-naive.scn", "agent_a agent_a agent_a agent_a "
	  "smoker_with_paper smoker_with_paper smoker_with_tobacco "
	  "smoker_with_tobacco", VT_DEADLOCK,
	  { "waits for agent", "released only by smoker_with_match, "
	    "smoker_with_paper and smoker_with_tobacco", "released only by "
	    "agent_" } },
	{ "smokers-fixed.scn", NULL, VT_COMPLETES, { NULL } },
	{ "nested-monitor.scn", "waiter waiter waiter waiter", VT_DEADLOCK,
	  { "waiter waits for C", "notified only by notifier",
	    "notifier waits for outer" } },
	{ "nested-monitor-fixed.scn", NULL, VT_COMPLETES, { NULL } },
	{ "sem-thrice.scn", NULL, VT_SELF_DEADLOCK,
	  { "t waits for S", "released only by t", "waits for itself" } },
	{ "sem-thrice-ok.scn", NULL, VT_COMPLETES, { NULL } },
	{ "released-by-other.scn", NULL, VT_COMPLETES, { NULL } },
	{ "lightswitch-rw.scn", NULL, VT_COMPLETES, { NULL } },
	{ "lightswitch-rw-broken.scn", "reader.1 reader.1 reader.1 reader.1 "
	  "reader.1", VT_STALL,
	  { "writer waits for room_empty", "nobody left can release",
	    NULL } },
	{ "lost-wakeup-daemon.scn", "producer producer producer", VT_STALL,
	  { "consumer waits for C", "producer has ended",
	    "ticker runs on but can never wake consumer" } },
	{ "lost-wakeup-daemon-fixed.scn", NULL, VT_COMPLETES, { NULL } },
	{ "rendezvous.scn", NULL, VT_COMPLETES, { NULL } },
	{ "rendezvous-deadlock.scn", NULL, VT_DEADLOCK,
	  { "a waits for b_arrived", "released only by b",
	    "released only by a" } },
	{ "multiplex.scn", NULL, VT_COMPLETES, { NULL } },
	{ "multiplex-broken.scn", NULL, VT_STALL,
	  { "waits for multiplex", "no worker ever does", NULL } },
	{ "barrier.scn", NULL, VT_COMPLETES, { NULL } },
	{ "barrier-broken.scn", NULL, VT_STALL,
	  { "waits for turnstile", "past its last release", NULL } },
	{ "barrier-in-mutex.scn", NULL, VT_DEADLOCK,
	  { "waits for turnstile (line 14), released only by",
	    "waits for M (line 10), held by", NULL } },
	{ "barrier-short.scn", NULL, VT_STALL,
	  { "waits for B (line 7)", "2 more must arrive", NULL } },
	{ "reusable-barrier.scn", NULL, VT_COMPLETES, { NULL } },
	{ "reusable-barrier-broken.scn", NULL, VT_STALL,
	  { "waits for B (line 8)", "more must arrive at, and fewer can",
	    NULL } },
	{ "philosophers.scn", "p1 p2 p3 p4 p5", VT_DEADLOCK,
	  { "p1 waits for f2 (line 8), held by p2",
	    "p4 waits for f5 (line 20), held by p5",
	    "p5 waits for f1 (line 24), held by p1" } },
	{ "philosophers-footman.scn", NULL, VT_COMPLETES, { NULL } },
	{ "gate-lock.scn", NULL, VT_COMPLETES, { NULL } },
	{ "inversion.scn", "t1 t1 t1", VT_POTENTIAL,
	  { "t1 takes B (line 8) while holding A (line 7)",
	    "t2 takes A (line 12) while holding B (line 11)", NULL } },
	{ "inversion-three.scn", "t1 t1 t1 t2 t2 t2", VT_POTENTIAL,
	  { "t1 takes B (line 8) while holding A (line 7)",
	    "t2 takes C (line 12) while holding B (line 11)",
	    "t3 takes A (line 16) while holding C (line 15)" } },
	{ "sem-lock-inversion.scn", "t1 t1 t1 t1", VT_POTENTIAL,
	  { "takes A", "while holding S", NULL } },
	{ "queue-daemon-stall.scn", NULL, VT_STALL,
	  { "consumer waits for Q", "producer has ended",
	    "ticker runs on" } },
	{ "queue-daemon-ok.scn", NULL, VT_COMPLETES, { NULL } },
	{ "deadlock-daemon.scn", "t1 t2", VT_DEADLOCK,
	  { "t1 waits for B (line 9), held by t2",
	    "t2 waits for A (line 14), held by t1", NULL } },
	{ "stall-others-finish.scn", NULL, VT_STALL,
	  { "waiter waits for C (line 11)", "no worker ever does", NULL } },
	{ "pipe-eof-process.scn", NULL, VT_COMPLETES, { NULL } },
	{ "pipe-no-eof-thread.scn", NULL, VT_STALL,
	  { "printer waits for P", "clock has ended without closing its "
	    "end", NULL } },
};

#define VT_NROWS	(sizeof vt_rows / sizeof vt_rows[0])

/* Worker indices for a schedule's names; returns how many. */
static size_t
vt_schedule(const struct trace_meta *meta, const char *text, uint16_t *out,
    size_t max)
{
	char	 name[64];
	size_t	 n = 0, len;
	int	 w;

	while (text != NULL && *text != '\0' && n < max) {
		while (*text == ' ')
			text++;
		len = strcspn(text, " ");
		if (len == 0)
			break;
		ck_assert_uint_lt(len, sizeof name);
		memcpy(name, text, len);
		name[len] = '\0';
		w = trace_meta_find_worker(meta, name);
		ck_assert_msg(w >= 0, "no worker %s", name);
		out[n++] = (uint16_t)w;
		text += len;
	}
	return (n);
}

/* Any child process of this test left? */
static int
vt_children(void)
{
	return (waitpid(-1, NULL, WNOHANG) > 0 || (errno = 0, 0));
}

START_TEST(test_verdict_row)
{
	const struct vt_row	*row = &vt_rows[_i];
	struct scn_diags	 d;
	struct scn_file		*f;
	struct trace_meta	 meta;
	struct headless_opts	 o;
	struct headless_result	 res;
	const struct model_detect *det;
	uint16_t		 sched[64];
	char			 path[4096], tmp[] = "/tmp/vt-check-XXXXXX";
	char			 inv[2048], *cause = NULL;
	const char		*text;
	size_t			 i;

	snprintf(path, sizeof path, "%s", lib_srcpath("tests/verdicts/"));
	strncat(path, row->file, sizeof path - strlen(path) - 1);
	memset(&d, 0, sizeof d);
	f = scenario_load(path, &d);
	ck_assert_msg(f != NULL, "%s did not load", path);
	scenario_diags_done(&d);
	scenario_meta_build(f, &meta);
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	setenv("TMPDIR", tmp, 1);

	memset(&o, 0, sizeof o);
	o.timeout_ms = 20000;
	if (row->schedule != NULL) {
		o.stepped = 1;
		o.schedule = sched;
		o.nschedule = vt_schedule(&meta, row->schedule, sched, 64);
	}
	if (headless_run(f, &meta, &o, &res, &cause) != 0)
		ck_abort_msg("%s: headless_run: %s", row->file, cause);
	headless_judge(f, &meta, &res);
	det = &res.model->detect;

	ck_assert_msg(res.stop != HEADLESS_TIMEOUT, "%s timed out", row->file);
	ck_assert_msg(res.pass, "%s: its expect lines did not hold",
	    row->file);
	switch (row->verdict) {
	case VT_COMPLETES:
	case VT_POTENTIAL:
		ck_assert_int_eq(res.stop, HEADLESS_FINISHED);
		ck_assert_uint_eq(det->deadlocks_seen, 0);
		ck_assert_uint_eq(det->stalls_seen, 0);
		if (row->verdict == VT_COMPLETES)
			ck_assert_msg(det->ninversions == 0,
			    "%s: unexpected potential deadlock", row->file);
		else
			ck_assert_msg(det->ninversions > 0,
			    "%s: no potential deadlock", row->file);
		break;
	case VT_DEADLOCK:
	case VT_SELF_DEADLOCK:
		ck_assert_int_eq(res.stop, HEADLESS_DEADLOCK);
		ck_assert(det->hard_deadlock_seen);
		ck_assert_uint_eq(det->stalls_seen, 0);
		ck_assert_uint_eq(det->self_deadlocks_seen > 0,
		    row->verdict == VT_SELF_DEADLOCK);
		break;
	case VT_STALL:
		ck_assert_int_eq(res.stop, HEADLESS_STALL);
		ck_assert(det->hard_stall_seen);
		ck_assert_uint_eq(det->deadlocks_seen, 0);
		break;
	}
	text = row->verdict == VT_STALL ? det->stall_why : det->why;
	if (row->verdict == VT_POTENTIAL) {
		model_inversion_string(res.model, &det->inversions[0], inv,
		    sizeof inv);
		ck_assert_msg(strstr(inv, "...") == NULL, "elided: %s", inv);
		text = inv;
	}
	for (i = 0; i < 3; i++) {
		if (row->text[i] != NULL)
			ck_assert_msg(strstr(text, row->text[i]) != NULL,
			    "%s: \"%s\" not in \"%s\"", row->file,
			    row->text[i], text);
	}
	ck_assert_int_eq(vt_children(), 0);
	ck_assert_int_eq(lib_count_entries(tmp, NULL), 0);
	rmdir(tmp);
	headless_result_done(&res);
	trace_meta_done(&meta);
	scenario_free(f);
}
END_TEST

static Suite *
suite_verdicts(void)
{
	Suite	*s = suite_create("verdicts");
	TCase	*tc = tcase_create("table");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_verdict_row, 0, (int)VT_NROWS);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_verdicts()));
}
