/*
 * runtime/run.h: one run of a scenario on real threads and processes.
 *
 * The front end (live view or headless) creates a run from a validated
 * scenario. run_start() maps the shared arena (trace rings, worker table
 * with step gates, object table, string table) and forks the runner into
 * its own process group; the runner creates the thread workers and forks
 * the process workers, which all execute the interpreter. The front end
 * never runs scenario code: it reads events (run_read), and drives the
 * gates (pause, step, tempo). run_stop() kills the runner's process group,
 * reaps it and removes every named OS object the run created; it is also
 * what the signal and atexit paths call.
 */
#ifndef LOCKSTEP_RUNTIME_RUN_H
#define LOCKSTEP_RUNTIME_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/ast.h"
#include "trace/event.h"
#include "trace/meta.h"

struct run;

/* Where a scheduled run stands between steps (run_sched_state). */
enum run_sched_state {
	RUN_SCHED_FREE,		/* not a scheduled run */
	RUN_SCHED_READY,	/* some worker is enabled: step it */
	RUN_SCHED_STUCK,	/* every live worker waits, no deadline */
	RUN_SCHED_DONE		/* every non-daemon has ended */
};
struct run_options {
	int		 paused;	/* a scheduled run: one worker at a
					   time, only run_step() moves it */
	int		 tempo_ms;	/* delay per statement in run mode */
	int		 lossy;		/* drop events instead of waiting */
	uint64_t	 seed;		/* step policy for run_step(-1) */
	const uint16_t	*schedule;	/* worker choices to replay, or NULL */
	size_t		 nschedule;
};

/* Create a run for file (validated) and meta (scenario_meta_build). Both
   must outlive the run. */
struct run	*run_create(const struct scn_file *, const struct trace_meta *,
		    const struct run_options *);
void		 run_free(struct run *);		/* stops it first */
int		 run_start(struct run *, char **cause);
/* Kill the runner's process group, reap everything, remove named objects.
   Safe to call twice, and from a signal path. */
void		 run_stop(struct run *);
int		 run_restart(struct run *, char **cause);
/* Step back (scheduled runs): a fresh run that replays the first n
   choices made so far as its schedule, at full speed through run_tick()
   (the front end reads its events as usual: the model is rebuilt from
   them), then pauses; whatever is stepped next continues live from
   there. run_rewinding() is 1 until the prefix is replayed. */
int		 run_rewind(struct run *, size_t n, char **cause);
/* The same, with a schedule of which the first n entries are replayed
   silently; the rest are the next steps run_step(-1) takes (the live
   view's `e`: a failing continuation found by the explorer). */
int		 run_rewind_schedule(struct run *, const uint16_t *schedule,
		    size_t nschedule, size_t n, char **cause);
int		 run_rewinding(const struct run *);
/* The worker the schedule has next (-1 when it is used up). */
int		 run_schedule_next(const struct run *);

/* Readable when events may be waiting: poll() it with the terminal. */
int		 run_wake_fd(const struct run *);
/* Copy up to max merged events; never blocks. */
size_t		 run_read(struct run *, struct trace_event *, size_t max);
/* Block up to timeout_ms for events or the runner's end. */
void		 run_wait(struct run *, int timeout_ms);
/* The runner has exited and every event it produced has been read. */
int		 run_finished(struct run *);
/* Whether the runner ended without its end marker (killed, crashed): 1
   with "the runner died: signal N" in buf, else 0. Such a run's end is
   not known; it is an error (exit status 3), never a pass. */
int		 run_runner_lost(const struct run *, char *buf, size_t len);
/* Whether a worker could not be started (fork or pthread_create failed):
   1 with the cause in buf. The run could not be carried out (exit 3). */
int		 run_start_failed(const struct run *, char *buf, size_t len);

void		 run_pause(struct run *);
void		 run_resume(struct run *);
int		 run_paused(const struct run *);
void		 run_set_tempo(struct run *, int tempo_ms);
/* Let worker w (or, with -1, the next by the seeded policy / schedule)
   execute exactly one statement. Returns the worker stepped, or -1 if no
   worker is waiting at its gate. In a scheduled run w may also be a
   worker waiting for the clock (sleep, compute, a timed wait): the
   scenario clock moves to its deadline and it goes on. */
int		 run_step(struct run *, int w);
/* A resumed scheduled run is stepped by the front end (the seeded policy,
   or the schedule), paced by the tempo: run_tick() takes the steps that
   are due (tempo 0: a batch of a few ms) and returns the milliseconds
   until the next one, or -1 when none will come by itself (paused, free
   run, or no worker can move). run_wait() ticks too. */
int		 run_tick(struct run *);
int		 run_next_tick(const struct run *);
/* A scheduled run's state between steps, and its scenario clock (ns). */
enum run_sched_state run_sched_state(const struct run *);
uint64_t	 run_scenario_ns(const struct run *);
/* A scheduled run: take up to max steps by the schedule, then the seeded
   policy (whose choices the workers make among themselves, handing the
   turn over directly). Returns the steps taken. */
int		 run_steps(struct run *, int max);
/* Worker w is waiting at its gate (can be stepped). */
int		 run_at_gate(const struct run *, int w);
/* Every entry of the schedule given in run_options has been taken (also
   true when there was none). */
int		 run_schedule_done(const struct run *);
/* The step choices made so far (for recording). */
const uint16_t	*run_choices(const struct run *, size_t *n);

/* The whole string table (append-only) and its length, for trace files. */
const char	*run_strtab(const struct run *, size_t *len);
/* Text of a string-table offset carried by PRINT / ERROR / NOTE events. */
const char	*run_string(const struct run *, int64_t offset);
uint64_t	 run_dropped(const struct run *);

/* Stop every live run: for the fatal-signal and atexit paths. */
void		 run_stop_all(void);

/* Free runs: every started worker that has not ended is either waiting
   at its gate with no step pending, or in a real wait (lock, queue, join,
   deferred start...). Always 1 for a scheduled run, whose front end holds
   the turn between steps. */
int		 run_settled(const struct run *);
/* Added: for a front end that polls run_wake_fd() with other fds. Call
   after run_read() returned 0 and just before poll(): returns 0 if it may
   sleep now, 1 if events arrived meanwhile (read again instead). After
   poll() returns, call run_drain_wake() before reading. Without this call
   the fd is not written (producers signal only a consumer that said it
   is about to sleep). */
int		 run_prepare_sleep(struct run *);
void		 run_drain_wake(struct run *);
/* Added: process id of worker w (0 if it has none yet). */
long		 run_worker_pid(const struct run *, int w);

#endif
