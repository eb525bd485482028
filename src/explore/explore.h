/*
 * explore/explore.h: search a scenario's interleavings for every outcome
 * and for the schedule that breaks it.
 *
 * The search is stateless model checking over real executions: every
 * schedule is run from the start (on the real threads and processes, by
 * explore/real.c, or on any executor given as a struct explore_ops), one
 * step (one statement at its gate) at a time, and a schedule is the list
 * of workers chosen at each step. Two reductions keep it small:
 *
 *   - sleep sets (Godefroid): after the subtree of worker u's step at a
 *     node is done, u sleeps in its siblings' subtrees until a step that
 *     depends on u's (touches an object u's step touched, one of them
 *     writing) wakes it. So of the schedules that differ only in the order
 *     of independent steps, one is run to the end; the others stop as soon
 *     as every enabled worker sleeps ("equivalent, pruned");
 *   - preemption bounding, fewest first (CHESS): the bound k counts the
 *     switches away from a worker that could have gone on. The search runs
 *     with k = 0, 1, 2... so the first failure found has the fewest
 *     preemptions there are, and stops when a pass with bound k cut
 *     nothing (the search was exhaustive) or at a limit. Once a failure
 *     is found, one more pass with the bound asked for (none by default)
 *     gives the table of outcomes.
 *
 * A replayed prefix must reach the same enabled sets as when it was first
 * run: a mismatch is an error (the run is not reproducible), never hidden.
 */
#ifndef LOCKSTEP_EXPLORE_EXPLORE_H
#define LOCKSTEP_EXPLORE_EXPLORE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define EXPLORE_MAX_ACC		16
/* Pseudo-objects: a worker's life (start, end, join on it). */
#define EXPLORE_OBJ_WORKER	0x10000u

/* What one step touched. Past EXPLORE_MAX_ACC entries, overflow makes the
   step depend on every other (safe, less reduction). */
struct explore_accs {
	int		n;
	int		overflow;
	struct {
		uint32_t	obj;
		int		write;
	}		v[EXPLORE_MAX_ACC];
};

void	explore_accs_add(struct explore_accs *, uint32_t obj, int write);
int	explore_accs_independent(const struct explore_accs *,
	    const struct explore_accs *);

/* How an execution ended, as the executor judges it. A hazard (deadlock,
   stall, lost update, crash, runtime error) is what "breaks" a scenario,
   whatever its expect lines say (a demonstration of a race expects its
   lost update: the schedule that loses it is still the one to show); an
   expect that fails with no hazard is a failure too, of the second kind:
   the search looks for hazards first. */
struct explore_outcome {
	char	*key;		/* one line identifying the end state */
	char	*detail;	/* what a user reads about it (may be NULL) */
	int	 failed;	/* a hazard, or an expect failed */
	int	 hazard;	/* deadlock, stall, lost update, crash... */
};

enum explore_end {
	EXPLORE_END_COMPLETE,	/* nobody can move: judge the outcome */
	EXPLORE_END_CUT,	/* stopped at max_steps: judge what happened
				   so far (a lost update is already one) */
	EXPLORE_END_ABORT	/* stopped early: clean up only */
};

/* An executor: a deterministic system the search drives step by step. */
struct explore_ops {
	/* Start a fresh execution from the initial state. */
	int	(*begin)(void *, char **cause);
	/* Workers that can take a step now, ascending; 0 = it is over. */
	size_t	(*enabled)(void *, uint16_t *ws);
	/* Worker w takes one step; fill what it touched. */
	int	(*step)(void *, uint16_t w, struct explore_accs *,
		    char **cause);
	/* The execution ends; unless it is aborted, fill the outcome (key
	   and detail allocated). */
	void	(*end)(void *, enum explore_end, struct explore_outcome *);
};

/* A step already explored from the last prefix node, elsewhere (another
   job): it sleeps in this subtree as sleep sets say. */
struct explore_step_acc {
	uint16_t		w;
	struct explore_accs	acc;
};

struct explore_opts {
	int			 max_preemptions;	/* -1: no bound */
	uint64_t		 max_schedules;		/* 0: no limit */
	uint64_t		 time_limit_ms;		/* 0: no limit */
	uint64_t		 max_steps;		/* per schedule; 0: 20000 */
	int			 stop_at_failure;	/* the first one is enough */
	const uint16_t		*prefix;		/* forced first steps */
	size_t			 nprefix;
	const struct explore_step_acc *siblings;	/* see above */
	size_t			 nsiblings;
	volatile sig_atomic_t	*interrupted;		/* Ctrl-C: stop */
	/* Progress, called after each execution (may be NULL). */
	void			(*progress)(void *, uint64_t schedules,
				    int bound);
	void			*arg;
};

struct explore_schedule {
	uint16_t	*v;
	size_t		 n;
	int		 preemptions;
	size_t		*at;		/* step index of each preemption */
};

struct explore_row {
	char			*key;
	char			*detail;
	int			 failed;
	int			 hazard;
	int			 cut;		/* schedules cut at max_steps */
	uint64_t		 count;
	struct explore_schedule	 example;
};

enum explore_stop {
	EXPLORE_EXHAUSTIVE,	/* every schedule, up to equivalence */
	EXPLORE_BOUND,		/* every schedule with <= bound preemptions */
	EXPLORE_MAX_SCHEDULES,
	EXPLORE_TIME_LIMIT,
	EXPLORE_INTERRUPTED,
	EXPLORE_FOUND,		/* stop_at_failure */
	EXPLORE_STEPS		/* every schedule, but some were cut at
				   max_steps: not exhaustive */
};

struct explore_result {
	struct explore_row	*rows;		/* outcomes of the widest pass */
	size_t			 nrows;
	int			 found;
	int			 found_hazard;	/* else an expect failed */
	int			 failure_cut;	/* cut at max_steps */
	struct explore_schedule	 failure;	/* fewest preemptions */
	char			*failure_key;
	char			*failure_detail;
	uint64_t		 schedules;	/* run to the end, all passes */
	uint64_t		 equivalent;	/* cut: every enabled worker slept */
	uint64_t		 bounded;	/* alternatives cut by the bound */
	uint64_t		 truncated;	/* cut at max_steps */
	uint64_t		 steps;		/* steps taken, replays included */
	int			 bound;		/* widest bound searched
						   whole (-1: none, no bound) */
	enum explore_stop	 stop;
	uint64_t		 elapsed_ms;
	uint64_t		 first_ms;	/* to the first failure */
};

int	explore_run(const struct explore_ops *, void *,
	    const struct explore_opts *, struct explore_result *,
	    char **cause);
/* The same over jobs processes (explore/jobs.c): the first step's
   alternatives are shared out, each subtree searched in a child process
   with its own copy of ctx, and the results merged. */
int	explore_run_jobs(const struct explore_ops *, void *,
	    const struct explore_opts *, int jobs, struct explore_result *,
	    char **cause);
void	explore_result_done(struct explore_result *);
const char *explore_stop_name(enum explore_stop);

#endif
