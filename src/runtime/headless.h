/*
 * runtime/headless.h: run a scenario to its end without a UI, and judge it.
 *
 * headless_run() starts a run, feeds every event to a model (and to an
 * optional callback, which `lockstep record` uses to save the trace), and
 * stops when the runner has finished, when the model reports a deadlock or
 * stall that no timeout will break and nothing has happened for a grace
 * period, or at the timeout. The run is then stopped (nothing left
 * behind) and every remaining event applied. headless_judge() evaluates
 * the expectations and the unexpected problems. What the commands print
 * about the result is cli/summary.h.
 */
#ifndef LOCKSTEP_RUNTIME_HEADLESS_H
#define LOCKSTEP_RUNTIME_HEADLESS_H

#include <stdint.h>
#include <stdio.h>

#include "model/model.h"
#include "runtime/run.h"
#include "scenario/ast.h"
#include "trace/meta.h"

struct headless_opts {
	int		 tempo_ms;	/* per statement; 0 = full speed */
	int		 timeout_ms;	/* 0 = none */
	/* timeout_ms counts time without a new event (the default timeout:
	   a large run that still progresses never times out), not the
	   whole run (an explicit --timeout). */
	int		 timeout_idle;
	int		 grace_ms;	/* after a deadlock / stall (0: 200) */
	int		 lossy;
	/* Step mode: every statement is one step chosen by the seeded
	   policy or the schedule (reproducible interleavings). */
	int		 stepped;
	uint64_t	 seed;
	const uint16_t	*schedule;
	size_t		 nschedule;
	/* Called with every batch of events, in order, after the model has
	   applied them (may be NULL). */
	void		(*on_events)(void *arg, struct run *,
			    const struct trace_event *, size_t n);
	void		*arg;
};

enum headless_stop {
	HEADLESS_FINISHED,	/* the run ended by itself */
	HEADLESS_DEADLOCK,	/* stopped: deadlock (or self-deadlock) */
	HEADLESS_STALL,		/* stopped: stall */
	HEADLESS_TIMEOUT,	/* stopped: --timeout */
	HEADLESS_LOST,		/* the runner died without its end marker:
				   the run could not be carried out */
	HEADLESS_START_FAILED	/* a worker could not be started (fork or
				   pthread_create failed): the same */
};

struct headless_error {
	uint16_t	 worker;
	int		 line;
	char		*text;
};

struct headless_result {
	struct model		*model;
	struct run		*run;		/* stopped; strings stay readable */
	enum headless_stop	 stop;
	uint64_t		 elapsed_ms;
	int			 timeout_ms;	/* as in the options */
	int			 timeout_idle;
	int			 scheduled;	/* --seed / --schedule */
	uint64_t		 scenario_ns;	/* its scenario clock at the end */
	uint64_t		 events;
	uint64_t		 dropped;
	char			 lost[160];	/* HEADLESS_LOST: "the runner
						   died: signal 9"; or why
						   HEADLESS_START_FAILED */
	struct headless_error	*errors;	/* TRACE_ERROR texts */
	size_t			 nerrors;

	/* Filled by headless_judge(). */
	int			*held;		/* per expectation */
	char			**problems;	/* unexpected outcomes */
	size_t			 nproblems;
	int			 pass;
};

/* Run file to its end. Returns 0 (result filled; free it with
   headless_result_done) or -1 if the run could not be carried out. */
int		 headless_run(const struct scn_file *, const struct trace_meta *,
		    const struct headless_opts *, struct headless_result *,
		    char **cause);
/* Keep what judging needs from events the caller applied to res->model
   itself (the runtime errors), for a front end that drives its own run. */
void		 headless_collect(struct headless_result *,
		    const struct trace_event *, size_t n);
void		 headless_judge(const struct scn_file *, const struct trace_meta *,
		    struct headless_result *);
void		 headless_result_done(struct headless_result *);

#endif
