/*
 * runtime/runner.c: the runner, the thread host and the workers.
 *
 * Processes of a run:
 *
 *   front end ── fork ──▶ runner (own process group; single-threaded for
 *                          its whole life: fork server and reaper)
 *                           ├─ fork ─▶ thread host: one pthread per thread
 *                           │          worker and `main:` (threads share its
 *                           │          memory, as Python threads do)
 *                           └─ fork ─▶ one process per process worker
 *
 * Every worker, thread or process, exists from the start of the run: all
 * forks happen in the runner before any scenario code runs, so fork never
 * meets a process with threads. A deferred worker (one named by a `start`)
 * waits on its `started` word in the arena until a `start` sets it, and
 * `join` waits on the target's `ended` word (a shared futex), never in
 * waitpid: that works from threads and processes alike. Workers never
 * started are killed silently at the end (they emitted nothing).
 *
 * The runner sleeps on hdr->runner_seq, which workers bump when they end
 * and its SIGCHLD handler bumps when a child dies. It reaps with waitpid;
 * a process worker that died by a signal, and every still-live thread
 * worker when the thread host dies by one, is reported with
 * TRACE_WORKER_CRASH from the runner's own ring (stamped with the dead
 * worker's index). When every non-daemon worker has ended it kills the
 * daemons (TRACE_WORKER_KILLED; daemon threads by killing the thread
 * host, which by then runs nothing else), reaps everything, emits
 * TRACE_RUN_END and exits.
 *
 * In a scheduled run (sync/sched.h) a worker waits for its first turn
 * instead of its `started` word, parks at every gate, never blocks in the
 * kernel for another worker, and its end (or crash, reported here) hands
 * the turn back. Scheduling begins only once the runner has closed its
 * channel ends (sched.setup).
 *
 * Dying with the parent: every child of the runner has PR_SET_PDEATHSIG =
 * SIGKILL against the runner. The runner's own is SIGUSR1 against the
 * front end: a front end killed with SIGKILL can clean up nothing, so the
 * runner does it for it — kills its children, reaps them, removes every
 * registered name (fifo, socket, mqueue, shm) and the run's temp dir, and
 * exits. Nothing of a run outlives its front end, however it died.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/runner.h"
#include "scenario/exec.h"
#include "sync/futex.h"
#include "util/xmalloc.h"

struct rworker {
	struct arena		*a;
	uint16_t		 w;
	struct trace_producer	 tp;
	struct sync_ctx		 sync;
	struct exec_env		 env;
	pthread_t		 thread;
};

#define RUNNER_AWAIT_NS	(2 * 1000 * 1000 * 1000LL)

static uint32_t	*runner_seq_word;
static volatile sig_atomic_t runner_orphaned;

static void
runner_bump(struct arena *a)
{
	__atomic_add_fetch(&a->hdr->runner_seq, 1, __ATOMIC_SEQ_CST);
	sync_futex_wake(&a->hdr->runner_seq, INT_MAX);
}

/* Mark w ended in state (if it was not already) and wake joiners. */
static int
worker_set_ended(struct arena *a, uint16_t w, enum arena_wstate state)
{
	struct arena_worker	*aw = &a->workers[w];
	uint32_t		 old;

	old = __atomic_load_n(&aw->state, __ATOMIC_ACQUIRE);
	do {
		if (old >= ARENA_W_DONE)
			return (0);
	} while (!__atomic_compare_exchange_n(&aw->state, &old, state, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	__atomic_store_n(&aw->ended, 1, __ATOMIC_SEQ_CST);
	sync_futex_wake(&aw->ended, INT_MAX);
	if (a->hdr->sched.on)
		sync_sched_end(&a->hdr->sched, w);
	runner_bump(a);
	return (1);
}

static void
hook_gate(void *arg)
{
	struct rworker	*rw = arg;

	if (rw->sync.sched != NULL)
		sync_sched_park(rw->sync.sched, rw->w, SYNC_S_READY);
	else
		arena_gate_wait(rw->a, rw->w);
}

static int
hook_start(void *arg, uint16_t first, int n, char **cause)
{
	struct rworker		*rw = arg;
	struct arena_worker	*aw;
	int			 i;

	for (i = 0; i < n; i++) {
		aw = &rw->a->workers[first + i];
		if (__atomic_load_n(&aw->started, __ATOMIC_ACQUIRE)) {
			xasprintf(cause, "%s was already started",
			    rw->a->meta->workers[first + i].name);
			return (-1);
		}
	}
	for (i = 0; i < n; i++) {
		aw = &rw->a->workers[first + i];
		trace_emit(&rw->tp, TRACE_START, (uint16_t)(first + i), 0, 0);
		if (rw->sync.sched != NULL)
			rw->sync.sched->slots[first + i].status = SYNC_S_FRESH;
		/* Not "blocked" from now on: step mode must wait until it
		   reaches its first gate. */
		__atomic_store_n(&aw->blocked, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&aw->started, 1, __ATOMIC_SEQ_CST);
		sync_futex_wake(&aw->started, INT_MAX);
	}
	return (0);
}

static int
hook_join(void *arg, uint16_t w, int64_t timeout_ns, char **cause)
{
	struct rworker		*rw = arg;
	struct arena_worker	*aw = &rw->a->workers[w];
	int64_t			 deadline = 0, left = -1;
	int			 timed_out = 0;

	if (w == rw->w) {
		xasprintf(cause, "a worker cannot join itself");
		return (-1);
	}
	if (!__atomic_load_n(&aw->started, __ATOMIC_ACQUIRE)) {
		xasprintf(cause, "join of %s before it was started",
		    rw->a->meta->workers[w].name);
		return (-1);
	}
	if (!__atomic_load_n(&aw->ended, __ATOMIC_ACQUIRE) &&
	    rw->sync.sched != NULL) {
		/* Scheduled: park until w's end wakes us, or the scenario
		   clock passes the timeout. */
		trace_emit(&rw->tp, TRACE_JOIN_WAIT, w, timeout_ns, 0);
		deadline = sync_sched_deadline(rw->sync.sched, timeout_ns);
		while (!__atomic_load_n(&aw->ended, __ATOMIC_ACQUIRE)) {
			if (sync_sched_wait(&rw->sync, SYNC_KEY_WORKER(w),
			    deadline) == 1) {
				trace_emit(&rw->tp, TRACE_JOIN_TIMEOUT, w, 0,
				    0);
				return (1);
			}
		}
	} else if (!__atomic_load_n(&aw->ended, __ATOMIC_ACQUIRE)) {
		trace_emit(&rw->tp, TRACE_JOIN_WAIT, w, timeout_ns, 0);
		if (timeout_ns > 0)
			deadline = sync_now_ns() + timeout_ns;
		sync_block_begin(&rw->sync);
		while (!__atomic_load_n(&aw->ended, __ATOMIC_ACQUIRE)) {
			if (timeout_ns > 0) {
				left = deadline - sync_now_ns();
				if (left <= 0) {
					timed_out = 1;
					break;
				}
			}
			sync_futex_wait(&aw->ended, 0, left);
		}
		sync_block_end(&rw->sync);
		if (timed_out) {
			trace_emit(&rw->tp, TRACE_JOIN_TIMEOUT, w, 0, 0);
			return (1);
		}
	}
	trace_emit(&rw->tp, TRACE_JOINED, w, 0, 0);
	return (0);
}

/* sync_ctx.await_end: until w's end is reported (the runner emits the
   crash first), at most RUNNER_AWAIT_NS. */
static void
worker_await_end(struct sync_ctx *ctx, uint16_t w)
{
	struct rworker		*rw = ctx->arg;
	struct arena_worker	*aw;
	int64_t			 deadline, left;

	if (w >= rw->a->nworkers || w == rw->w)
		return;
	aw = &rw->a->workers[w];
	deadline = sync_now_ns() + RUNNER_AWAIT_NS;
	while (!__atomic_load_n(&aw->ended, __ATOMIC_ACQUIRE)) {
		if ((left = deadline - sync_now_ns()) <= 0)
			return;
		sync_futex_wait(&aw->ended, 0, left);
	}
}

/* sync_ctx.ended: w has ended (the runner marks a dead worker ended
   when it reaps it or its thread host). */
static int
worker_ended(struct sync_ctx *ctx, uint16_t w)
{
	struct rworker	*rw = ctx->arg;

	if (w >= rw->a->nworkers)
		return (0);
	return (__atomic_load_n(&rw->a->workers[w].ended, __ATOMIC_ACQUIRE) !=
	    0);
}

static int64_t
hook_intern(void *arg, const char *s, size_t len)
{
	struct rworker	*rw = arg;

	return (arena_intern(rw->a, s, len));
}

static int64_t
hook_note(void *arg, const struct scn_stmt *s)
{
	struct rworker	*rw = arg;

	return (arena_note(rw->a, s));
}

/* `crash`: die by SIGKILL. In a thread worker this takes the whole thread
   host (every thread worker) with it, as a crash in a real process does. */
static void __attribute__((noreturn))
hook_crash(void *arg)
{
	(void)arg;
	raise(SIGKILL);
	for (;;)
		pause();
}

static const struct exec_hooks runner_hooks = {
	.gate = hook_gate,
	.start = hook_start,
	.join = hook_join,
	.intern = hook_intern,
	.note = hook_note,
	.crash = hook_crash,
};

static void
worker_init(struct rworker *rw, struct arena *a, uint16_t w,
    struct sync_proc *proc)
{
	struct arena_worker	*aw = &a->workers[w];

	memset(rw, 0, sizeof *rw);
	rw->a = a;
	rw->w = w;
	trace_producer_init(&rw->tp, a->rings, w, w);
	rw->sync.tp = &rw->tp;
	rw->sync.worker = w;
	rw->sync.blocked = &aw->blocked;
	rw->sync.objs = a->objs;
	rw->sync.nobjs = a->nobjects;
	rw->sync.nworkers = a->nworkers;
	rw->sync.proc = proc;
	rw->sync.await_end = worker_await_end;
	rw->sync.ended = worker_ended;
	rw->sync.arg = rw;
	if (a->hdr->sched.on) {
		rw->sync.sched = &a->hdr->sched;
		trace_producer_step(&rw->tp);
	}
	rw->env.file = a->file;
	rw->env.meta = a->meta;
	rw->env.sync = &rw->sync;
	rw->env.tp = &rw->tp;
	rw->env.worker = w;
	rw->env.gate_fast = &a->hdr->gate_fast;
	rw->env.pos_line = &aw->line;
	rw->env.pos_col = &aw->col;
	rw->env.hooks = &runner_hooks;
	rw->env.arg = rw;
}

/* A worker's whole life: wait for its start, run, report its end. */
static int
worker_run(struct rworker *rw)
{
	struct arena_worker	*aw = &rw->a->workers[rw->w];
	int			 status;

	if (rw->sync.sched != NULL) {
		/* Scheduled: the front end gives the first turn (a start
		   made this worker FRESH). */
		sync_sched_first(rw->sync.sched, rw->w);
	} else if (!__atomic_load_n(&aw->started, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&aw->blocked, 1, __ATOMIC_SEQ_CST);
		while (!__atomic_load_n(&aw->started, __ATOMIC_ACQUIRE))
			sync_futex_wait(&aw->started, 0, -1);
		__atomic_store_n(&aw->blocked, 0, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&aw->pid, (int32_t)getpid(), __ATOMIC_RELAXED);
	__atomic_store_n(&aw->state, ARENA_W_RUNNING, __ATOMIC_SEQ_CST);
	trace_emit(&rw->tp, TRACE_WORKER_START, TRACE_NO_OBJECT, getpid(),
	    aw->is_thread ? 1 : 0);
	status = exec_worker(&rw->env);
	trace_emit(&rw->tp, TRACE_WORKER_END, TRACE_NO_OBJECT, status, 0);
	aw->exit_status = status;
	if (!aw->is_thread) {
		/* A process's descriptors close as it ends: do it before the
		   end is published, so a reader stepped next sees the EOF. */
		sync_proc_free(rw->sync.proc);
		rw->sync.proc = NULL;
	}
	worker_set_ended(rw->a, rw->w, ARENA_W_DONE);
	return (status);
}

static void *
thread_main(void *arg)
{
	worker_run(arg);
	return (NULL);
}

/* Die when the parent dies; returns only if the parent is still ppid. */
static void
child_bind(pid_t ppid)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGUSR1, SIG_DFL);	/* the runner's orphan handler */
	if (getppid() != ppid)
		_exit(127);
}

static void __attribute__((noreturn))
host_main(struct arena *a, pid_t runner)
{
	struct rworker		*rws;
	struct sync_proc	*proc;
	uint8_t			*member;
	size_t			 w;
	int			 error;

	child_bind(runner);
	signal(SIGCHLD, SIG_DFL);
	member = xcalloc(a->nworkers, 1);
	for (w = 0; w < a->nworkers; w++)
		member[w] = a->workers[w].is_thread;
	proc = sync_proc_create(a->objs, a->nobjects, a->nworkers, a->uses,
	    member);
	rws = xcalloc(a->nworkers, sizeof *rws);
	for (w = 0; w < a->nworkers; w++) {
		if (!member[w])
			continue;
		worker_init(&rws[w], a, (uint16_t)w, proc);
		if ((error = pthread_create(&rws[w].thread, NULL, thread_main,
		    &rws[w])) != 0) {
			arena_start_failed(a, ARENA_START_THREAD, error);
			_exit(126);
		}
	}
	for (w = 0; w < a->nworkers; w++) {
		if (member[w])
			pthread_join(rws[w].thread, NULL);
	}
	_exit(0);
}

static void __attribute__((noreturn))
process_main(struct arena *a, uint16_t w, pid_t runner)
{
	struct rworker		 rw;
	struct sync_proc	*proc;
	uint8_t			*member;

	child_bind(runner);
	signal(SIGCHLD, SIG_DFL);
	member = xcalloc(a->nworkers, 1);
	member[w] = 1;
	proc = sync_proc_create(a->objs, a->nobjects, a->nworkers, a->uses,
	    member);
	worker_init(&rw, a, w, proc);
	_exit(worker_run(&rw) & 0x7f);
}

static void
runner_sigchld(int sig)
{
	int	saved = errno;

	(void)sig;
	if (runner_seq_word != NULL) {
		__atomic_add_fetch(runner_seq_word, 1, __ATOMIC_SEQ_CST);
		sync_futex_wake(runner_seq_word, INT_MAX);
	}
	errno = saved;
}

/* The front end died (PR_SET_PDEATHSIG): wake the loop to clean up. */
static void
runner_sigorphan(int sig)
{
	runner_orphaned = 1;
	runner_sigchld(sig);
}

struct runner {
	struct arena		*a;
	struct trace_producer	 tp;
	pid_t			*pids;		/* per worker (processes) */
	pid_t			 host;
	int			 host_alive;
	int			 host_killed;
};

/* Emit an event on behalf of worker w from the runner's ring. */
static void
runner_emit_for(struct runner *r, uint16_t w, enum trace_type type,
    int64_t a0)
{
	uint16_t	saved = r->tp.worker;

	r->tp.worker = w;
	trace_emit(&r->tp, type, TRACE_NO_OBJECT, a0, 0);
	r->tp.worker = saved;
}

static void
runner_crashed(struct runner *r, uint16_t w, int sig)
{
	struct arena_worker	*aw = &r->a->workers[w];
	uint32_t		 state;

	if (!__atomic_load_n(&aw->started, __ATOMIC_ACQUIRE))
		return;
	state = __atomic_load_n(&aw->state, __ATOMIC_ACQUIRE);
	if (state >= ARENA_W_DONE)
		return;
	aw->signal = sig;
	runner_emit_for(r, w, TRACE_WORKER_CRASH, sig);
	worker_set_ended(r->a, w, ARENA_W_CRASHED);
}

static void
runner_reaped(struct runner *r, pid_t pid, int status)
{
	int	sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	size_t	w;

	if (pid == r->host) {
		r->host_alive = 0;
		for (w = 0; w < r->a->nworkers; w++) {
			if (r->a->workers[w].is_thread)
				runner_crashed(r, (uint16_t)w, sig);
		}
		return;
	}
	for (w = 0; w < r->a->nworkers; w++) {
		if (r->pids[w] == pid) {
			r->pids[w] = 0;
			runner_crashed(r, (uint16_t)w, sig);
			return;
		}
	}
}

static int
runner_live(const struct arena *a, size_t w)
{
	return (__atomic_load_n(&a->workers[w].started, __ATOMIC_ACQUIRE) &&
	    !__atomic_load_n(&a->workers[w].ended, __ATOMIC_ACQUIRE));
}

/* Every non-daemon worker that was started has ended. */
static int
runner_nondaemons_done(const struct arena *a)
{
	size_t	w;

	for (w = 0; w < a->nworkers; w++) {
		if (!(a->meta->workers[w].flags & TRACE_WORKERF_DAEMON) &&
		    runner_live(a, w))
			return (0);
	}
	return (1);
}

static void
runner_kill_daemons(struct runner *r)
{
	struct arena	*a = r->a;
	int		 kill_host = 0;
	size_t		 w;

	for (w = 0; w < a->nworkers; w++) {
		if (!runner_live(a, w))
			continue;
		runner_emit_for(r, (uint16_t)w, TRACE_WORKER_KILLED, 0);
		worker_set_ended(a, (uint16_t)w, ARENA_W_KILLED);
		if (a->workers[w].is_thread)
			kill_host = 1;
		else if (r->pids[w] > 0)
			kill(r->pids[w], SIGKILL);
	}
	if (kill_host && r->host_alive) {
		r->host_killed = 1;
		kill(r->host, SIGKILL);
	}
}

/* The front end is gone: end the run and remove what it created. */
static void __attribute__((noreturn))
runner_clean_orphan(struct runner *r)
{
	struct arena	*a = r->a;
	size_t		 w;
	int		 status;

	signal(SIGCHLD, SIG_DFL);
	for (w = 0; w < a->nworkers; w++) {
		if (r->pids[w] > 0)
			kill(r->pids[w], SIGKILL);
	}
	if (r->host_alive)
		kill(r->host, SIGKILL);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	arena_cleanup(a, 1);
	_exit(0);
}

void
runner_main(struct arena *a)
{
	struct runner		 r;
	struct sync_proc	*proc;
	struct sigaction	 sa;
	pid_t			 me, pid;
	size_t			 w;
	uint32_t		 seq;
	int			 status, nthreads = 0;

	setpgid(0, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = runner_sigorphan;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	runner_seq_word = &a->hdr->runner_seq;
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	if (getppid() != a->hdr->frontend_pid)
		runner_orphaned = 1;
	me = getpid();
	a->hdr->runner_pid = me;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);	/* a send with no reader is an error */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = runner_sigchld;
	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);

	memset(&r, 0, sizeof r);
	r.a = a;
	r.pids = xcalloc(a->nworkers + 1, sizeof *r.pids);
	trace_producer_init(&r.tp, a->rings, (unsigned)a->nworkers,
	    TRACE_NO_WORKER);
	if (a->hdr->sched.on)
		trace_producer_step(&r.tp);
	trace_emit(&r.tp, TRACE_RUN_BEGIN, TRACE_NO_OBJECT,
	    (int64_t)a->nworkers, 0);

	for (w = 0; w < a->nworkers; w++)
		nthreads += a->workers[w].is_thread ? 1 : 0;
	if (nthreads > 0) {
		if ((pid = fork()) == 0)
			host_main(a, me);
		if (pid == -1)
			arena_start_failed(a, ARENA_START_FORK, errno);
		if (pid > 0) {
			r.host = pid;
			r.host_alive = 1;
			a->hdr->host_pid = pid;
		}
	}
	for (w = 0; w < a->nworkers; w++) {
		if (a->workers[w].is_thread)
			continue;
		if ((pid = fork()) == 0)
			process_main(a, (uint16_t)w, me);
		if (pid == -1)
			arena_start_failed(a, ARENA_START_FORK, errno);
		r.pids[w] = pid > 0 ? pid : 0;
		a->workers[w].pid = pid > 0 ? pid : 0;
	}
	/* The runner uses no channel end: close them all. */
	proc = sync_proc_create(a->objs, a->nobjects, a->nworkers, a->uses,
	    NULL);
	sync_proc_free(proc);
	/* Only now may a scheduled run begin: a reader stepped before this
	   would not see the end-of-file its writers' close makes. */
	__atomic_store_n(&a->hdr->sched.setup, 1, __ATOMIC_SEQ_CST);
	sync_futex_wake(&a->hdr->sched.setup, INT_MAX);
	if (nthreads > 0 && r.host == 0) {
		for (w = 0; w < a->nworkers; w++) {
			if (a->workers[w].is_thread)
				runner_crashed(&r, (uint16_t)w, 0);
		}
	}
	for (w = 0; w < a->nworkers; w++) {
		if (!a->workers[w].is_thread && r.pids[w] == 0)
			runner_crashed(&r, (uint16_t)w, 0);
	}

	for (;;) {
		seq = __atomic_load_n(&a->hdr->runner_seq, __ATOMIC_SEQ_CST);
		if (runner_orphaned)
			runner_clean_orphan(&r);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			runner_reaped(&r, pid, status);
		if (runner_nondaemons_done(a)) {
			runner_kill_daemons(&r);
			break;
		}
		sync_futex_wait(&a->hdr->runner_seq, seq, 250000000);
	}

	/* Workers never started, and a thread host still waiting for them. */
	signal(SIGCHLD, SIG_DFL);
	for (w = 0; w < a->nworkers; w++) {
		if (r.pids[w] > 0)
			kill(r.pids[w], SIGKILL);
	}
	if (r.host_alive)
		kill(r.host, SIGKILL);
	while ((pid = waitpid(-1, &status, 0)) > 0 || errno == EINTR)
		;
	trace_emit(&r.tp, TRACE_RUN_END, TRACE_NO_OBJECT, 0, 0);
	__atomic_store_n(&a->hdr->runner_done, 1, __ATOMIC_SEQ_CST);
	_exit(0);
}
