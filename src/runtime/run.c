/*
 * runtime/run.c: the front end's handle on a run (run.h).
 *
 * run_start() builds the arena (runtime/arena.c), creates the channels'
 * OS objects, forks the runner (runtime/runner.c) into its own process
 * group and closes its own copies of every channel end. From then on the
 * front end only reads events (run_read / run_wait) and writes gate words
 * (pause, resume, tempo, step): it never runs scenario code.
 *
 * Ending a run, on every path (normal end, deadlock, timeout, Ctrl-C,
 * SIGTERM, SIGHUP, exit): run_stop() sends SIGKILL to the runner's process
 * group and reaps every process of it. The front end makes itself a child
 * subreaper (PR_SET_CHILD_SUBREAPER), so workers orphaned by the runner's
 * death are re-parented to it and waitpid(-pgid) collects them all: when
 * run_stop() returns, no process of the run exists. It then removes every
 * named object recorded in the arena and the run's temp dir. The signal
 * handlers installed by the first run_start() (only where the disposition
 * is still the default) call run_stop_all() and re-raise; atexit does the
 * same. run_stop() uses only async-signal-safe calls.
 *
 * Waiting: while events keep coming (some read in the last 20 ms)
 * run_wait() just sleeps a millisecond and lets a batch build up; only an
 * idle run arms the ring's wake-up (trace_consumer_prepare_sleep) and
 * sleeps in poll(), so a busy run costs no eventfd write per event and an
 * idle or paused one costs no CPU.
 *
 * Scheduled runs (options.paused at create: the live view, --seed,
 * --schedule; see sync/sched.h and doc/scheduling.md): one worker runs at
 * a time. run_step(w) hands worker w the turn and sleeps until it comes
 * back; run_step(-1) takes the next schedule entry, else the seeded
 * policy; run_steps() lets the workers make a batch of policy choices
 * among themselves. run_sched_prepare() runs between steps: first turns
 * of started workers, timeouts due, clock jumps. run_tick() is the tempo:
 * a resumed run is stepped by the front end. run_rewind() replays a
 * prefix of the choices (step back). Every choice is recorded
 * (run_choices) so a run can be replayed with --schedule.
 *
 * Free runs: run_step(w) gives worker w one gate credit (runtime/gate.c),
 * run mode opens every gate.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/arena.h"
#include "runtime/run.h"
#include "runtime/runner.h"
#include "sync/chan.h"
#include "sync/futex.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define RUN_MAX_LIVE	32
#define RUN_BUSY_NS	(20 * 1000 * 1000)
#define RUN_TICK_STEPS	256
#define RUN_TICK_BATCHES 16
#define RUN_TICK_PENDING 8192
#define RUN_TICK_NS	(5 * 1000 * 1000)

struct run {
	const struct scn_file	*file;
	const struct trace_meta	*meta;
	struct run_options	 opt;
	uint16_t		*schedule;	/* our copy */

	struct arena		*arena;
	struct trace_consumer	*consumer;
	pid_t			 runner;	/* pid = pgid, 0 if none */
	int			 pidfd;
	int			 reaped;	/* runner reaped */
	int			 group_empty;	/* whole group reaped */
	int			 lost;		/* the runner ended by itself
						   without runner_done */
	int			 lost_status;	/* its wait status then */

	uint64_t		 active_ns;	/* last time run_read got some */

	int			 scheduled;	/* created paused */
	enum run_sched_state	 sched_state;
	uint64_t		 last_tick;	/* ms of the last paced step */
	int			 ffwd;		/* replaying a rewound prefix */
	size_t			 ffwd_to;	/* ... up to this schedule entry */
	uint8_t			 forgotten[TRACE_MAX_WORKERS];	/* ended
						   workers off condition lists */
	uint16_t		*choices;
	size_t			 nchoices;
	size_t			 choices_cap;
	size_t			 sched_pos;
	uint64_t		 prng;
};

static struct run	*run_live[RUN_MAX_LIVE];

static void	run_record(struct run *, int);
static void	run_check_runner(struct run *);
static void	run_sched_prepare(struct run *);
static int	run_alive(void *);
static int		 run_handlers_installed;

static void
run_track(struct run *r, int on)
{
	int	i;

	for (i = 0; i < RUN_MAX_LIVE; i++) {
		if (on && run_live[i] == NULL) {
			run_live[i] = r;
			return;
		}
		if (!on && run_live[i] == r)
			run_live[i] = NULL;
	}
}

static void
run_on_signal(int sig)
{
	run_stop_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
run_atexit(void)
{
	run_stop_all();
}

static void
run_install_handlers(void)
{
	struct sigaction	sa, old;
	static const int	sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t			i;

	if (run_handlers_installed)
		return;
	run_handlers_installed = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
	atexit(run_atexit);
}

struct run *
run_create(const struct scn_file *file, const struct trace_meta *meta,
    const struct run_options *opt)
{
	struct run	*r;

	r = xcalloc(1, sizeof *r);
	r->file = file;
	r->meta = meta;
	if (opt != NULL)
		r->opt = *opt;
	if (r->opt.schedule != NULL && r->opt.nschedule > 0) {
		r->schedule = xreallocarray(NULL, r->opt.nschedule,
		    sizeof *r->schedule);
		memcpy(r->schedule, r->opt.schedule,
		    r->opt.nschedule * sizeof *r->schedule);
		r->opt.schedule = r->schedule;
	}
	r->pidfd = -1;
	r->scheduled = r->opt.paused;
	r->prng = r->opt.seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (r->prng == 0)
		r->prng = 1;
	return (r);
}

void
run_free(struct run *r)
{
	if (r == NULL)
		return;
	run_stop(r);
	run_track(r, 0);
	if (r->consumer != NULL)
		trace_consumer_free(r->consumer);
	arena_free(r->arena);
	free(r->schedule);
	free(r->choices);
	free(r);
}

/* The front end uses no channel end: close its copies of the descriptors
   channel set-up opened (attach with no member closes every end). */
static void
run_close_ends(struct arena *a)
{
	struct sync_proc	*proc;

	proc = sync_proc_create(a->objs, a->nobjects, a->nworkers, a->uses,
	    NULL);
	sync_proc_free(proc);
}

int
run_start(struct run *r, char **cause)
{
	pid_t			 pid;

	if (r->arena != NULL) {
		xasprintf(cause, "run already started");
		return (-1);
	}
	run_install_handlers();
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	r->arena = arena_create(r->file, r->meta, r->opt.lossy, r->scheduled,
	    cause);
	if (r->arena == NULL)
		return (-1);
	arena_set_tempo(r->arena, r->opt.tempo_ms);
	arena_set_mode(r->arena, r->scheduled || r->opt.paused ? ARENA_PAUSE :
	    ARENA_RUN);
	r->sched_state = RUN_SCHED_READY;
	r->last_tick = 0;
	memset(r->forgotten, 0, sizeof r->forgotten);
	if (arena_setup_channels(r->arena, cause) != 0)
		goto fail;
	r->consumer = trace_consumer_create(r->arena->rings);
	r->reaped = r->group_empty = 0;

	run_track(r, 1);
	pid = fork();
	if (pid == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		run_track(r, 0);
		goto fail;
	}
	if (pid == 0) {
		arena_guard_child(r->arena);
		runner_main(r->arena);
	}
	r->runner = pid;
	setpgid(pid, pid);	/* both sides: no window without it */
	r->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	log_debug("%s: runner %ld", __func__, (long)pid);

	run_close_ends(r->arena);
	if (r->arena->hdr->sched.on) {
		r->arena->hdr->sched.prng = r->prng;
		/* The runner closes its channel ends before any step. */
		while (!__atomic_load_n(&r->arena->hdr->sched.setup,
		    __ATOMIC_ACQUIRE)) {
			if (sync_futex_wait(&r->arena->hdr->sched.setup, 0,
			    100000000) == 1 && !run_alive(r))
				break;
		}
		run_sched_prepare(r);
	}
	return (0);

fail:
	/* Channel set-up may have stopped part-way (an mqueue limit, a
	   path too long) or the fork failed: close what the objects set up
	   so far opened, as the success path does after the fork. */
	if (r->arena != NULL && r->arena->setup_done)
		run_close_ends(r->arena);
	if (r->consumer != NULL)
		trace_consumer_free(r->consumer);
	r->consumer = NULL;
	arena_free(r->arena);
	r->arena = NULL;
	return (-1);
}

/* Kill and reap the whole process group (async-signal-safe). */
static void
run_reap_group(struct run *r)
{
	int	status;

	if (r->runner <= 0 || r->group_empty)
		return;
	kill(-r->runner, SIGKILL);
	if (!r->reaped)
		kill(r->runner, SIGKILL);
	for (;;) {
		if (waitpid(-r->runner, &status, 0) > 0)
			continue;
		if (errno == EINTR)
			continue;
		break;
	}
	if (!r->reaped && waitpid(r->runner, &status, 0) == r->runner)
		r->reaped = 1;
	r->reaped = 1;
	r->group_empty = 1;
}

void
run_stop(struct run *r)
{
	if (r == NULL || r->arena == NULL)
		return;
	run_reap_group(r);
	if (r->pidfd != -1) {
		close(r->pidfd);
		r->pidfd = -1;
	}
	arena_cleanup(r->arena, 0);
	/* Everything is gone: the guard (which would clean up after our
	   death) can go too, so no process of the run outlives this. */
	if (r->arena->hdr->tmpdir[0] == '\0')
		arena_guard_release(r->arena);
}

/* A fresh run of the same scenario, in the current mode (paused or not,
   same tempo), with the step choices and schedule position reset. */
int
run_restart(struct run *r, char **cause)
{
	run_stop(r);
	run_track(r, 0);
	if (r->consumer != NULL)
		trace_consumer_free(r->consumer);
	r->consumer = NULL;
	arena_free(r->arena);
	r->arena = NULL;
	r->runner = 0;
	r->reaped = r->group_empty = 0;
	r->lost = r->lost_status = 0;
	r->nchoices = 0;
	r->sched_pos = 0;
	r->ffwd = 0;
	r->sched_state = RUN_SCHED_READY;
	r->prng = r->opt.seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (r->prng == 0)
		r->prng = 1;
	return (run_start(r, cause));
}

int
run_rewind(struct run *r, size_t n, char **cause)
{
	if (n > r->nchoices)
		n = r->nchoices;
	return (run_rewind_schedule(r, r->choices, n, n, cause));
}

int
run_rewind_schedule(struct run *r, const uint16_t *schedule, size_t nschedule,
    size_t n, char **cause)
{
	uint16_t	*copy = NULL;

	if (n > nschedule)
		n = nschedule;
	if (nschedule > 0) {
		copy = xreallocarray(NULL, nschedule, sizeof *copy);
		memcpy(copy, schedule, nschedule * sizeof *copy);
	}
	free(r->schedule);
	r->schedule = copy;
	r->opt.schedule = copy;
	r->opt.nschedule = nschedule;
	r->opt.paused = 1;
	if (run_restart(r, cause) != 0)
		return (-1);
	r->ffwd = n > 0;
	r->ffwd_to = n;
	return (0);
}

int
run_schedule_next(const struct run *r)
{
	if (r->sched_pos >= r->opt.nschedule || r->opt.schedule == NULL)
		return (-1);
	return (r->opt.schedule[r->sched_pos]);
}

int
run_rewinding(const struct run *r)
{
	return (r->ffwd);
}

void
run_stop_all(void)
{
	int	i;

	for (i = 0; i < RUN_MAX_LIVE; i++) {
		if (run_live[i] != NULL)
			run_stop(run_live[i]);
	}
}

int
run_wake_fd(const struct run *r)
{
	return (r->arena != NULL ? r->arena->wake_fd : -1);
}

size_t
run_read(struct run *r, struct trace_event *ev, size_t max)
{
	size_t	n;

	if (r->consumer == NULL)
		return (0);
	n = trace_consumer_read(r->consumer, ev, max);
	if (n > 0)
		r->active_ns = trace_now();
	return (n);
}

int
run_prepare_sleep(struct run *r)
{
	if (r->consumer == NULL)
		return (0);
	return (trace_consumer_prepare_sleep(r->consumer));
}

void
run_drain_wake(struct run *r)
{
	if (r->consumer != NULL)
		trace_consumer_drain_wake(r->consumer);
}

/* Reap the runner if it has exited; then collect anything left of it. */
static void
run_check_runner(struct run *r)
{
	int	status;

	if (r->runner <= 0 || r->reaped)
		return;
	if (waitpid(r->runner, &status, WNOHANG) == r->runner) {
		r->reaped = 1;
		/* A runner that ends by itself says so first (runner_done
		   after RUN_END); one that did not was killed, or crashed:
		   the run's end is not known. */
		if (!__atomic_load_n(&r->arena->hdr->runner_done,
		    __ATOMIC_SEQ_CST)) {
			r->lost = 1;
			r->lost_status = status;
		}
		run_reap_group(r);
	}
}

int
run_start_failed(const struct run *r, char *buf, size_t len)
{
	int		error;
	unsigned	what;

	if (r->arena == NULL)
		return (0);
	error = __atomic_load_n(&r->arena->hdr->start_errno, __ATOMIC_SEQ_CST);
	if (error == 0)
		return (0);
	what = __atomic_load_n(&r->arena->hdr->start_what, __ATOMIC_SEQ_CST);
	snprintf(buf, len, "a worker could not be started: %s: %s%s",
	    what == ARENA_START_THREAD ? "pthread_create" : "fork",
	    strerror(error), error == EAGAIN ? " (the limit on processes "
	    "and threads, RLIMIT_NPROC / ulimit -u, or the system's)" : "");
	return (1);
}

int
run_runner_lost(const struct run *r, char *buf, size_t len)
{
	if (!r->lost)
		return (0);
	if (WIFSIGNALED(r->lost_status))
		snprintf(buf, len, "the runner died: signal %d",
		    WTERMSIG(r->lost_status));
	else
		snprintf(buf, len, "the runner died: exit status %d",
		    WEXITSTATUS(r->lost_status));
	return (1);
}

static uint64_t
run_now_ms(void)
{
	return (trace_now() / 1000000);
}

int
run_next_tick(const struct run *r)
{
	uint64_t	now;

	if (r->arena == NULL || !r->arena->hdr->sched.on ||
	    r->sched_state != RUN_SCHED_READY)
		return (-1);
	if (r->ffwd)
		return (0);
	if (r->opt.paused)
		return (-1);
	if (r->opt.tempo_ms <= 0)
		return (0);
	now = run_now_ms();
	if (now - r->last_tick >= (uint64_t)r->opt.tempo_ms)
		return (0);
	return ((int)((uint64_t)r->opt.tempo_ms - (now - r->last_tick)));
}

int
run_tick(struct run *r)
{
	uint64_t	start;
	int		k;

	if (run_next_tick(r) != 0)
		return (run_next_tick(r));
	if (r->ffwd) {
		/* A rewind: the prefix again, silently and at full speed,
		   letting the consumer read between batches. */
		start = trace_now();
		while (r->sched_pos < r->ffwd_to &&
		    trace_ring_pending(r->arena->rings) < RUN_TICK_PENDING &&
		    trace_now() - start < RUN_TICK_NS) {
			if (run_step(r, -1) < 0)
				break;
		}
		if (r->sched_pos >= r->ffwd_to ||
		    r->sched_state != RUN_SCHED_READY)
			r->ffwd = 0;
		return (run_next_tick(r));
	}
	if (r->opt.tempo_ms > 0) {
		run_step(r, -1);
		r->last_tick = run_now_ms();
		return (run_next_tick(r));
	}
	/* Full speed: a batch, bounded in time, and never more than the
	   rings can hold before the consumer reads them. */
	start = trace_now();
	for (k = 0; k < RUN_TICK_BATCHES; k++) {
		if (trace_ring_pending(r->arena->rings) > RUN_TICK_PENDING)
			break;
		if (run_steps(r, RUN_TICK_STEPS) == 0)
			break;
		if (trace_now() - start > RUN_TICK_NS)
			break;
	}
	return (run_next_tick(r));
}

void
run_wait(struct run *r, int timeout_ms)
{
	struct pollfd	pfd[2];
	struct timespec	ts;
	nfds_t		n = 0;
	int		next;

	if (r->consumer == NULL)
		return;
	if ((next = run_tick(r)) >= 0) {
		if (trace_ring_pending(r->arena->rings) > 0 || next == 0)
			return;
		if (timeout_ms < 0 || next < timeout_ms)
			timeout_ms = next;
	}
	run_check_runner(r);
	if (trace_ring_pending(r->arena->rings) > 0 || r->reaped)
		return;
	/* A busy run: let a batch build up for a millisecond rather than
	   have producers write the wake fd after every few events. */
	if (trace_now() - r->active_ns < RUN_BUSY_NS && timeout_ms != 0) {
		ts.tv_sec = 0;
		ts.tv_nsec = 1000000;
		nanosleep(&ts, NULL);
		return;
	}
	if (trace_consumer_prepare_sleep(r->consumer) != 0)
		return;
	pfd[n].fd = r->arena->wake_fd;
	pfd[n++].events = POLLIN;
	if (r->pidfd != -1) {
		pfd[n].fd = r->pidfd;
		pfd[n++].events = POLLIN;
	}
	poll(pfd, n, timeout_ms);
	trace_consumer_drain_wake(r->consumer);
}

int
run_finished(struct run *r)
{
	if (r->arena == NULL)
		return (1);
	run_check_runner(r);
	return (r->reaped && trace_ring_pending(r->arena->rings) == 0);
}

/* A scheduled run stays scheduled: pause and resume only say whether
   run_tick() steps it. */
void
run_pause(struct run *r)
{
	r->opt.paused = 1;
	if (r->arena != NULL && !r->arena->hdr->sched.on)
		arena_set_mode(r->arena, ARENA_PAUSE);
}

void
run_resume(struct run *r)
{
	r->opt.paused = 0;
	r->last_tick = 0;
	if (r->arena != NULL && !r->arena->hdr->sched.on)
		arena_set_mode(r->arena, ARENA_RUN);
}

int
run_paused(const struct run *r)
{
	return (r->opt.paused);
}

void
run_set_tempo(struct run *r, int tempo_ms)
{
	r->opt.tempo_ms = tempo_ms;
	if (r->arena != NULL && !r->arena->hdr->sched.on)
		arena_set_tempo(r->arena, tempo_ms);
}

/* Scheduled: w may run now (at its gate, or woken to retry). */
static int
run_enabled(const struct run *r, int w)
{
	return (r->arena->hdr->sched.slots[w].status == SYNC_S_READY);
}

/* Scheduled: w waits for the clock (sleep, compute, a timeout). Stepping
   it explicitly lets time pass until its deadline. */
static int
run_sleeping(const struct run *r, int w)
{
	const struct sync_sched_slot	*sl = &r->arena->hdr->sched.slots[w];

	return (sl->status == SYNC_S_BLOCKED && sl->deadline >= 0);
}

/* What run_step(w) accepts: at its gate, or (scheduled) asleep. */
static int
run_steppable(const struct run *r, int w)
{
	if (w < 0 || (size_t)w >= r->arena->nworkers)
		return (0);
	if (r->arena->hdr->sched.on && r->sched_state == RUN_SCHED_READY &&
	    run_sleeping(r, w))
		return (1);
	return (run_at_gate(r, w));
}

int
run_at_gate(const struct run *r, int w)
{
	if (r->arena == NULL || w < 0 || (size_t)w >= r->arena->nworkers)
		return (0);
	if (r->arena->hdr->sched.on)
		return (r->sched_state == RUN_SCHED_READY && run_enabled(r, w));
	return (arena_gate_ready(r->arena, (uint16_t)w));
}

static uint64_t
run_rand(struct run *r)
{
	if (r->arena->hdr->sched.on)
		return (sync_sched_rand(&r->arena->hdr->sched.prng));
	return (sync_sched_rand(&r->prng));
}

/* The runner is alive (sync_sched_give asks while it waits). */
static int
run_alive(void *arg)
{
	struct run	*r = arg;

	run_check_runner(r);
	return (!r->reaped);
}

/* Whether every started non-daemon worker has ended. */
static int
run_sched_done(const struct run *r)
{
	const struct sync_sched	*s = &r->arena->hdr->sched;
	size_t			 w;

	for (w = 0; w < r->arena->nworkers; w++) {
		if (r->meta->workers[w].flags & TRACE_WORKERF_DAEMON)
			continue;
		if (s->slots[w].status != SYNC_S_IDLE &&
		    s->slots[w].status != SYNC_S_ENDED)
			return (0);
	}
	return (1);
}

/*
 * Bring a scheduled run to its next choice: give the first turn to
 * workers just started (in index order: not a choice), enable sleepers
 * and timed waits whose deadline the clock reached, and when nothing is
 * enabled move the clock to the earliest deadline. Sets r->sched_state.
 */
/* Event stamps of a scheduled run are the ring set's external time, one
   ns per event (trace_producer_step): a clock jump raises it to now. */
static void
run_raise_stamps(struct run *r)
{
	struct sync_sched	*s = &r->arena->hdr->sched;

	if (trace_ring_now(r->arena->rings) < s->now)
		trace_ring_set_time(r->arena->rings, s->now);
}

static void
run_sched_prepare(struct run *r)
{
	struct sync_sched	*s = &r->arena->hdr->sched;
	struct sync_sched_slot	*sl;
	int64_t			 next;
	size_t			 w;
	int			 any;

	for (;;) {
		/* A worker killed while it waited on a condition is still on
		   its list: take it off, or it eats the next notify. */
		for (w = 0; w < r->arena->nworkers; w++) {
			if (s->slots[w].status == SYNC_S_ENDED &&
			    !r->forgotten[w]) {
				sync_cond_forget(r->arena->objs,
				    r->arena->nobjects, (uint16_t)w);
				r->forgotten[w] = 1;
			}
		}
		for (w = 0; w < r->arena->nworkers; w++) {
			if (s->slots[w].status != SYNC_S_FRESH)
				continue;
			if (sync_sched_give(s, (uint16_t)w, run_alive, r) != 0) {
				r->sched_state = RUN_SCHED_DONE;
				return;
			}
			w = (size_t)-1;		/* it may have started others */
		}
		if (run_sched_done(r)) {
			r->sched_state = RUN_SCHED_DONE;
			return;
		}
		any = 0;
		next = -1;
		for (w = 0; w < r->arena->nworkers; w++) {
			sl = &s->slots[w];
			if (sl->status == SYNC_S_BLOCKED && sl->deadline >= 0) {
				if (sl->deadline <= (int64_t)s->now) {
					sl->timed_out = 1;
					sl->status = SYNC_S_READY;
				} else if (next < 0 || sl->deadline < next)
					next = sl->deadline;
			}
			if (sl->status == SYNC_S_READY)
				any = 1;
		}
		if (any) {
			r->sched_state = RUN_SCHED_READY;
			return;
		}
		if (next < 0) {
			r->sched_state = RUN_SCHED_STUCK;
			return;
		}
		s->now = (uint64_t)next;
		run_raise_stamps(r);
	}
}

static int
run_pick(struct run *r)
{
	int	ready[TRACE_MAX_WORKERS], n = 0, w;

	while (r->sched_pos < r->opt.nschedule) {
		w = r->opt.schedule[r->sched_pos];
		if (run_steppable(r, w)) {
			r->sched_pos++;
			return (w);
		}
		/* Not enabled though the run is settled: it is blocked or
		   ended and no step of its own can change that, so this entry
		   can never be taken. Skip it rather than wait for ever. */
		if (!run_settled(r))
			return (-1);
		log_debug("%s: schedule entry %zu (%s) is not runnable: skipped",
		    __func__, r->sched_pos, r->arena->meta->workers[w].name);
		r->sched_pos++;
	}
	if (r->arena->hdr->sched.on)
		return (sync_sched_pick(&r->arena->hdr->sched));
	for (w = 0; w < (int)r->arena->nworkers; w++) {
		if (run_at_gate(r, w))
			ready[n++] = w;
	}
	if (n == 0)
		return (-1);
	return (ready[run_rand(r) % (uint64_t)n]);
}

int
run_step(struct run *r, int w)
{
	struct sync_sched	*s;

	if (r->arena == NULL)
		return (-1);
	s = &r->arena->hdr->sched;
	if (s->on) {
		if (r->sched_state != RUN_SCHED_READY)
			return (-1);
		if (w < 0 && (w = run_pick(r)) < 0)
			return (-1);
		if (!run_steppable(r, w))
			return (-1);
		if (run_sleeping(r, w)) {
			/* Time passes until w's deadline. */
			if ((uint64_t)s->slots[w].deadline > s->now)
				s->now = (uint64_t)s->slots[w].deadline;
			run_raise_stamps(r);
			s->slots[w].timed_out = 1;
			s->slots[w].status = SYNC_S_READY;
		}
		run_record(r, w);
		if (sync_sched_give(s, (uint16_t)w, run_alive, r) != 0)
			r->sched_state = RUN_SCHED_DONE;
		else
			run_sched_prepare(r);
		return (w);
	}
	if (w < 0 && (w = run_pick(r)) < 0)
		return (-1);
	if (arena_gate_give(r->arena, (uint16_t)w) != 0)
		return (-1);
	run_record(r, w);
	return (w);
}

/* Add w to the choices made (for recording). */
static void
run_record(struct run *r, int w)
{
	if (r->nchoices == r->choices_cap) {
		r->choices_cap = r->choices_cap == 0 ? 64 : r->choices_cap * 2;
		r->choices = xreallocarray(r->choices, r->choices_cap,
		    sizeof *r->choices);
	}
	r->choices[r->nchoices++] = (uint16_t)w;
}

int
run_steps(struct run *r, int max)
{
	struct sync_sched	*s;
	uint32_t		 i;
	int			 n = 0, w;

	if (r->arena == NULL || !r->arena->hdr->sched.on)
		return (0);
	s = &r->arena->hdr->sched;
	while (n < max && r->sched_state == RUN_SCHED_READY) {
		if (r->sched_pos < r->opt.nschedule) {
			if (run_step(r, -1) < 0)
				break;
			n++;
			continue;
		}
		if ((w = sync_sched_pick(s)) < 0)
			break;
		/* The workers choose the next max - n - 1 steps among
		   themselves, with the same policy. */
		run_record(r, w);
		s->budget = (uint32_t)(max - n - 1);
		if (s->budget > SYNC_SCHED_BATCH)
			s->budget = SYNC_SCHED_BATCH;
		s->nchoices = 0;
		if (sync_sched_give(s, (uint16_t)w, run_alive, r) != 0) {
			r->sched_state = RUN_SCHED_DONE;
			break;
		}
		for (i = 0; i < s->nchoices; i++)
			run_record(r, s->choices[i]);
		n += 1 + (int)s->nchoices;
		s->budget = 0;
		s->nchoices = 0;
		run_sched_prepare(r);
	}
	return (n);
}

enum run_sched_state
run_sched_state(const struct run *r)
{
	if (r->arena == NULL || !r->arena->hdr->sched.on)
		return (RUN_SCHED_FREE);
	return (r->sched_state);
}

uint64_t
run_scenario_ns(const struct run *r)
{
	if (r->arena == NULL || !r->arena->hdr->sched.on)
		return (0);
	return (r->arena->hdr->sched.now);
}

int
run_schedule_done(const struct run *r)
{
	return (r->sched_pos >= r->opt.nschedule);
}

const uint16_t *
run_choices(const struct run *r, size_t *n)
{
	*n = r->nchoices;
	return (r->choices);
}

const char *
run_strtab(const struct run *r, size_t *len)
{
	uint64_t	used;

	if (r->arena == NULL) {
		*len = 0;
		return ("");
	}
	used = __atomic_load_n(&r->arena->hdr->strtab_used, __ATOMIC_ACQUIRE);
	if (used > r->arena->hdr->strtab_size)
		used = r->arena->hdr->strtab_size;
	*len = (size_t)used;
	return (r->arena->strtab);
}

const char *
run_string(const struct run *r, int64_t off)
{
	size_t		 len;
	const char	*tab = run_strtab(r, &len);

	if (off < 0 || (uint64_t)off >= len)
		return ("");
	return (tab + off);
}

uint64_t
run_dropped(const struct run *r)
{
	if (r->arena == NULL)
		return (0);
	return (trace_ring_dropped_total(r->arena->rings));
}

int
run_settled(const struct run *r)
{
	const struct arena_worker	*aw;
	size_t				 w;

	if (r->arena == NULL || r->arena->hdr->sched.on)
		return (1);
	for (w = 0; w < r->arena->nworkers; w++) {
		aw = &r->arena->workers[w];
		if (!__atomic_load_n(&aw->started, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&aw->ended, __ATOMIC_ACQUIRE))
			continue;
		if (__atomic_load_n(&aw->blocked, __ATOMIC_ACQUIRE))
			continue;
		if (!arena_gate_ready(r->arena, (uint16_t)w))
			return (0);
	}
	return (1);
}

long
run_worker_pid(const struct run *r, int w)
{
	if (r->arena == NULL || w < 0 || (size_t)w >= r->arena->nworkers)
		return (0);
	return (__atomic_load_n(&r->arena->workers[w].pid, __ATOMIC_ACQUIRE));
}
