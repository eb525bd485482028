/*
 * tests/check_explore.c: the interleaving search (explore/search.c) over a
 * small deterministic executor written here: workers run straight-line
 * programs of LOAD/STORE (a non-atomic increment split in two steps, as
 * the scenario runtime splits `x += 1`) and LOCK/UNLOCK. Known answers:
 * the outcome sets of small races are the combinatorial ones, equivalent
 * schedules run once, the first deadlock has the fewest preemptions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "explore/explore.h"
#include "util/xmalloc.h"

enum op { LOAD, STORE, LOCK, UNLOCK };

struct ins {
	enum op	op;
	int	obj;
};

#define MAXW	4
#define MAXI	32

struct sim {
	int		 nw;
	struct ins	 prog[MAXW][MAXI];
	int		 len[MAXW];
	/* state */
	int		 pc[MAXW];
	int64_t		 reg[MAXW];
	int64_t		 var[4];
	int		 owner[4];
	int		 blocked[MAXW];	/* lock it failed to take, or -1 */
	int		 with_y;	/* the key names y too */
	uint64_t	 runs;
	int		 flaky;		/* change the enabled set on replays */
};

static int
sim_begin(void *arg, char **cause)
{
	struct sim	*s = arg;
	int		 i;

	(void)cause;
	memset(s->pc, 0, sizeof s->pc);
	memset(s->reg, 0, sizeof s->reg);
	memset(s->var, 0, sizeof s->var);
	for (i = 0; i < 4; i++)
		s->owner[i] = -1;
	for (i = 0; i < MAXW; i++)
		s->blocked[i] = -1;
	s->runs++;
	return (0);
}

static size_t
sim_enabled(void *arg, uint16_t *ws)
{
	struct sim	*s = arg;
	size_t		 n = 0;
	int		 w;

	for (w = 0; w < s->nw; w++) {
		if (s->pc[w] >= s->len[w])
			continue;
		if (s->blocked[w] != -1)
			continue;
		if (s->flaky && s->runs > 1 && w == s->nw - 1)
			continue;
		ws[n++] = (uint16_t)w;
	}
	return (n);
}

static int
sim_step(void *arg, uint16_t w, struct explore_accs *acc, char **cause)
{
	struct sim	*s = arg;
	struct ins	*in = &s->prog[w][s->pc[w]++];

	(void)cause;
	switch (in->op) {
	case LOAD:
		s->reg[w] = s->var[in->obj];
		explore_accs_add(acc, (uint32_t)in->obj, 0);
		break;
	case STORE:
		s->var[in->obj] = s->reg[w] + 1;
		explore_accs_add(acc, (uint32_t)in->obj, 1);
		break;
	case LOCK:
		/* As the runtime does: a try that fails is a step, and the
		   worker then waits (is not enabled) until an unlock. */
		if (s->owner[in->obj] != -1) {
			s->blocked[w] = in->obj;
			s->pc[w]--;
		} else
			s->owner[in->obj] = w;
		explore_accs_add(acc, 100u + (uint32_t)in->obj, 1);
		break;
	case UNLOCK:
		s->owner[in->obj] = -1;
		for (int v = 0; v < s->nw; v++)
			if (s->blocked[v] == in->obj)
				s->blocked[v] = -1;
		explore_accs_add(acc, 100u + (uint32_t)in->obj, 1);
		break;
	}
	return (0);
}

/* The end state's key: x (and y), and whether some worker is stuck. */
static char *
sim_key(const struct sim *s, int *stuck)
{
	char	*key, y[32] = "";
	int	 w;

	*stuck = 0;
	for (w = 0; w < s->nw; w++)
		*stuck |= s->pc[w] < s->len[w];
	if (s->with_y)
		snprintf(y, sizeof y, " y=%lld", (long long)s->var[1]);
	xasprintf(&key, "x=%lld%s%s", (long long)s->var[0], y,
	    *stuck ? " deadlock" : "");
	return (key);
}

static void
sim_end(void *arg, enum explore_end how, struct explore_outcome *oc)
{
	int	stuck;

	if (how != EXPLORE_END_COMPLETE)
		return;
	oc->key = sim_key(arg, &stuck);
	oc->failed = oc->hazard = stuck;
}

static const struct explore_ops sim_ops = {
	.begin = sim_begin,
	.enabled = sim_enabled,
	.step = sim_step,
	.end = sim_end,
};

/* n workers, each doing k increments of x (optionally under lock 0). */
static void
sim_race(struct sim *s, int n, int k, int locked)
{
	int	w, i, j;

	memset(s, 0, sizeof *s);
	s->nw = n;
	for (w = 0; w < n; w++) {
		j = 0;
		for (i = 0; i < k; i++) {
			if (locked)
				s->prog[w][j++] = (struct ins){ LOCK, 0 };
			s->prog[w][j++] = (struct ins){ LOAD, 0 };
			s->prog[w][j++] = (struct ins){ STORE, 0 };
			if (locked)
				s->prog[w][j++] = (struct ins){ UNLOCK, 0 };
		}
		s->len[w] = j;
	}
}

static char *
keys(const struct explore_result *r)
{
	char	*out = xstrdup(""), *t;
	size_t	 i, j;
	/* Sorted by key for a stable comparison. */
	const struct explore_row	**v;

	v = xcalloc(r->nrows + 1, sizeof *v);
	for (i = 0; i < r->nrows; i++)
		v[i] = &r->rows[i];
	for (i = 0; i < r->nrows; i++)
		for (j = i + 1; j < r->nrows; j++)
			if (strcmp(v[j]->key, v[i]->key) < 0) {
				const struct explore_row *x = v[i];
				v[i] = v[j];
				v[j] = x;
			}
	for (i = 0; i < r->nrows; i++) {
		xasprintf(&t, "%s%s%s", out, i ? "," : "", v[i]->key);
		free(out);
		out = t;
	}
	free(v);
	return (out);
}

static void
run(struct sim *s, const struct explore_opts *o, struct explore_result *r)
{
	char	*cause = NULL;

	ck_assert_msg(explore_run(&sim_ops, s, o, r, &cause) == 0, "%s",
	    cause != NULL ? cause : "");
}

START_TEST(test_race_2x3_outcomes)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	char			*k;

	sim_race(&s, 2, 3, 0);
	run(&s, &o, &r);
	k = keys(&r);
	/* Two workers, three increments each, load and store apart: the
	   counter ends anywhere from 2 to 6, and nowhere else. */
	ck_assert_str_eq(k, "x=2,x=3,x=4,x=5,x=6");
	ck_assert_int_eq(r.stop, EXPLORE_EXHAUSTIVE);
	ck_assert(!r.found);
	free(k);
	explore_result_done(&r);
}
END_TEST

START_TEST(test_race_2x2_outcomes)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	char			*k;
	uint64_t		total = 0;
	size_t			i;

	sim_race(&s, 2, 2, 0);
	run(&s, &o, &r);
	k = keys(&r);
	ck_assert_str_eq(k, "x=2,x=3,x=4");
	for (i = 0; i < r.nrows; i++)
		total += r.rows[i].count;
	/* 4 steps each: C(8,4) = 70 interleavings, but two loads commute,
	   so fewer are distinct; every one is counted once at most. */
	ck_assert_uint_le(total, 70);
	ck_assert_uint_ge(total, 3);
	free(k);
	explore_result_done(&r);
}
END_TEST

START_TEST(test_race_3x2_outcomes)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	char			*k;

	sim_race(&s, 3, 2, 0);
	run(&s, &o, &r);
	k = keys(&r);
	/* Three workers, two increments each: 2 (the classic lost-update
	   floor for k >= 2) up to 6. */
	ck_assert_str_eq(k, "x=2,x=3,x=4,x=5,x=6");
	free(k);
	explore_result_done(&r);
}
END_TEST

START_TEST(test_locked_race_one_outcome)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	char			*k;

	sim_race(&s, 2, 3, 1);
	run(&s, &o, &r);
	k = keys(&r);
	ck_assert_str_eq(k, "x=6");
	ck_assert_int_eq(r.stop, EXPLORE_EXHAUSTIVE);
	ck_assert(!r.found);
	free(k);
	explore_result_done(&r);
}
END_TEST

/* Workers on different variables: every order is the same trace, so
   only one schedule runs to the end; the rest stop early. */
START_TEST(test_independent_one_schedule)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	int			w;

	memset(&s, 0, sizeof s);
	s.nw = 3;
	for (w = 0; w < 3; w++) {
		s.prog[w][0] = (struct ins){ LOAD, w + 1 };
		s.prog[w][1] = (struct ins){ STORE, w + 1 };
		s.prog[w][2] = (struct ins){ LOAD, w + 1 };
		s.prog[w][3] = (struct ins){ STORE, w + 1 };
		s.len[w] = 4;
	}
	run(&s, &o, &r);
	ck_assert_uint_eq(r.nrows, 1);
	ck_assert_uint_eq(r.rows[0].count, 1);
	ck_assert_uint_gt(r.equivalent, 0);
	ck_assert_int_eq(r.stop, EXPLORE_EXHAUSTIVE);
	explore_result_done(&r);
}
END_TEST

START_TEST(test_deadlock_fewest_preemptions)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;

	memset(&s, 0, sizeof s);
	s.nw = 2;
	s.prog[0][0] = (struct ins){ LOCK, 0 };
	s.prog[0][1] = (struct ins){ LOCK, 1 };
	s.prog[0][2] = (struct ins){ UNLOCK, 1 };
	s.prog[0][3] = (struct ins){ UNLOCK, 0 };
	s.prog[1][0] = (struct ins){ LOCK, 1 };
	s.prog[1][1] = (struct ins){ LOCK, 0 };
	s.prog[1][2] = (struct ins){ UNLOCK, 0 };
	s.prog[1][3] = (struct ins){ UNLOCK, 1 };
	s.len[0] = s.len[1] = 4;
	run(&s, &o, &r);
	ck_assert(r.found);
	ck_assert_str_eq(r.failure_key, "x=0 deadlock");
	/* t0 takes A, then t1 must run while t0 could go on: one
	   preemption, no fewer. */
	ck_assert_int_eq(r.failure.preemptions, 1);
	/* t0 A, t1 B, then each tries the other lock and waits. */
	ck_assert_uint_eq(r.failure.n, 4);
	ck_assert_uint_eq(r.failure.at[0], 1);
	ck_assert_int_eq(r.failure.v[0], 0);
	ck_assert_int_eq(r.failure.v[1], 1);
	explore_result_done(&r);

	/* With the same order in both, nothing fails, exhaustively. */
	s.prog[1][0] = (struct ins){ LOCK, 0 };
	s.prog[1][1] = (struct ins){ LOCK, 1 };
	s.prog[1][2] = (struct ins){ UNLOCK, 1 };
	s.prog[1][3] = (struct ins){ UNLOCK, 0 };
	run(&s, &o, &r);
	ck_assert(!r.found);
	ck_assert_int_eq(r.stop, EXPLORE_EXHAUSTIVE);
	explore_result_done(&r);
}
END_TEST

/* Four threads in a ring of four locks: the deadlock needs three
   preemptions, more than the narrow passes search; the wide pass finds
   one, and the passes in between make sure it is one of the fewest. */
START_TEST(test_deadlock_three_preemptions)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	int			w;

	memset(&s, 0, sizeof s);
	s.nw = 4;
	for (w = 0; w < 4; w++) {
		s.prog[w][0] = (struct ins){ LOCK, w };
		s.prog[w][1] = (struct ins){ LOCK, (w + 1) % 4 };
		s.prog[w][2] = (struct ins){ UNLOCK, (w + 1) % 4 };
		s.prog[w][3] = (struct ins){ UNLOCK, w };
		s.len[w] = 4;
	}
	run(&s, &o, &r);
	ck_assert(r.found);
	ck_assert_int_eq(r.failure.preemptions, 3);
	ck_assert_int_eq(r.stop, EXPLORE_EXHAUSTIVE);
	explore_result_done(&r);
}
END_TEST

START_TEST(test_bound_and_limits)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = 0 };
	struct explore_result	r;
	char			*k;

	sim_race(&s, 2, 3, 0);
	run(&s, &o, &r);
	/* No preemption: each worker runs whole, in either order. */
	k = keys(&r);
	ck_assert_str_eq(k, "x=6");
	ck_assert_int_eq(r.stop, EXPLORE_BOUND);
	ck_assert_uint_gt(r.bounded, 0);
	free(k);
	explore_result_done(&r);

	o.max_preemptions = -1;
	o.max_schedules = 2;
	run(&s, &o, &r);
	ck_assert_int_eq(r.stop, EXPLORE_MAX_SCHEDULES);
	ck_assert_uint_eq(r.schedules, 2);
	explore_result_done(&r);

	o.max_schedules = 0;
	o.stop_at_failure = 1;
	sim_race(&s, 2, 1, 0);
	run(&s, &o, &r);
	ck_assert_int_eq(r.stop, EXPLORE_EXHAUSTIVE);	/* nothing fails */
	explore_result_done(&r);
}
END_TEST

/* A forced prefix: exploring from the state after worker 1's two steps. */
START_TEST(test_prefix)
{
	struct sim		s;
	static const uint16_t	pre[] = { 1, 1 };
	struct explore_opts	o = { .max_preemptions = -1, .prefix = pre,
				    .nprefix = 2 };
	struct explore_result	r;
	size_t			i;

	sim_race(&s, 2, 1, 0);
	run(&s, &o, &r);
	/* Worker 1 finished its increment first: x ends 2 every time. */
	ck_assert_uint_eq(r.nrows, 1);
	ck_assert_str_eq(r.rows[0].key, "x=2");
	for (i = 0; i < r.nrows; i++) {
		ck_assert_int_eq(r.rows[i].example.v[0], 1);
		ck_assert_int_eq(r.rows[i].example.v[1], 1);
	}
	explore_result_done(&r);
}
END_TEST

START_TEST(test_not_reproducible_is_an_error)
{
	struct sim		s;
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	char			*cause = NULL;

	sim_race(&s, 2, 2, 0);
	s.flaky = 1;
	ck_assert_int_eq(explore_run(&sim_ops, &s, &o, &r, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "did not reproduce"));
	free(cause);
	explore_result_done(&r);
}
END_TEST

/* Every reachable end state of s, by plain recursion over all orders. */
static void
brute(struct sim *s, char ***set, size_t *n)
{
	uint16_t	ws[MAXW];
	size_t		ne, i, j;
	struct sim	save;
	char		*key;
	int		stuck;

	ne = sim_enabled(s, ws);
	if (ne == 0) {
		key = sim_key(s, &stuck);
		for (j = 0; j < *n; j++)
			if (strcmp((*set)[j], key) == 0)
				break;
		if (j < *n) {
			free(key);
			return;
		}
		*set = xreallocarray(*set, *n + 1, sizeof **set);
		(*set)[(*n)++] = key;
		return;
	}
	for (i = 0; i < ne; i++) {
		struct explore_accs	acc;

		save = *s;
		memset(&acc, 0, sizeof acc);
		sim_step(s, ws[i], &acc, NULL);
		brute(s, set, n);
		*s = save;
	}
}


/* The reductions lose no end state: on random little programs over two
   variables and two locks, the search finds exactly the states a plain
   enumeration of every order finds. */
START_TEST(test_reduction_is_sound)
{
	struct explore_opts	o = { .max_preemptions = -1 };
	struct explore_result	r;
	struct sim		s;
	char			**set, *cause = NULL;
	size_t			n, i, j;
	unsigned		seed = 12345;
	int			prog, w, k, held[2];

	for (prog = 0; prog < 200; prog++) {
		memset(&s, 0, sizeof s);
		s.with_y = 1;
		s.nw = 2 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 2;
		for (w = 0; w < s.nw; w++) {
			held[0] = held[1] = 0;
			s.len[w] = 0;
			for (k = 0; k < 5; k++) {
				seed = seed * 1103515245 + 12345;
				switch ((seed >> 16) % 5) {
				case 0:
				case 1:
					s.prog[w][s.len[w]++] = (struct ins){
					    LOAD, (int)(seed >> 20) % 2 };
					s.prog[w][s.len[w]++] = (struct ins){
					    STORE, (int)(seed >> 20) % 2 };
					break;
				case 2:
				case 3:
					if (!held[(seed >> 20) % 2]) {
						held[(seed >> 20) % 2] = 1;
						s.prog[w][s.len[w]++] =
						    (struct ins){ LOCK,
						    (int)(seed >> 20) % 2 };
					}
					break;
				default:
					s.prog[w][s.len[w]++] = (struct ins){
					    LOAD, (int)(seed >> 21) % 2 };
					break;
				}
			}
			for (k = 1; k >= 0; k--)
				if (held[k])
					s.prog[w][s.len[w]++] = (struct ins){
					    UNLOCK, k };
			/* Small enough to enumerate every order. */
			if (s.len[w] > (s.nw == 2 ? 7 : 4))
				s.len[w] = s.nw == 2 ? 7 : 4;
		}
		set = NULL;
		n = 0;
		sim_begin(&s, NULL);
		brute(&s, &set, &n);
		ck_assert_msg(explore_run(&sim_ops, &s, &o, &r, &cause) == 0,
		    "%s", cause);
		ck_assert_msg(r.nrows == n, "program %d: search found %zu end "
		    "states, enumeration %zu", prog, r.nrows, n);
		for (i = 0; i < n; i++) {
			for (j = 0; j < r.nrows; j++)
				if (strcmp(r.rows[j].key, set[i]) == 0)
					break;
			ck_assert_msg(j < r.nrows, "program %d: %s missed",
			    prog, set[i]);
			free(set[i]);
		}
		free(set);
		explore_result_done(&r);
	}
}
END_TEST

static Suite *
suite_explore(void)
{
	Suite	*s = suite_create("explore");
	TCase	*tc = tcase_create("search");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_race_2x3_outcomes);
	tcase_add_test(tc, test_race_2x2_outcomes);
	tcase_add_test(tc, test_race_3x2_outcomes);
	tcase_add_test(tc, test_locked_race_one_outcome);
	tcase_add_test(tc, test_independent_one_schedule);
	tcase_add_test(tc, test_deadlock_fewest_preemptions);
	tcase_add_test(tc, test_deadlock_three_preemptions);
	tcase_add_test(tc, test_bound_and_limits);
	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_not_reproducible_is_an_error);
	tcase_add_test(tc, test_reduction_is_sound);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_explore()));
}
