/*
 * model/model.h: the state of a run, computed from its events only.
 *
 * model_apply() is the only way state changes; everything else reads. No
 * I/O, no clock, no curses: the same events always give the same state,
 * which is what replay, step-back and the tests rely on. Views read the
 * structures below directly (read-only) and never keep their own copy of
 * run state.
 *
 * Detection is incremental: the wait-for relation changes only on a
 * wait / acquire / release / wake event, when a channel loses an item or a
 * peer, and when a worker ends or steps past its last statement on an
 * object; only then is the affected part re-examined (Holt's graph
 * reduction over holders and potential producers: who can still release,
 * notify, arrive or send, from the meta's peer lists; see waitfor.c). A
 * deadlock is a set of blocked workers that only each other can wake; a
 * stall a non-daemon wait nobody left can satisfy, reported at once even
 * while other workers run on.
 */
#ifndef LOCKSTEP_MODEL_MODEL_H
#define LOCKSTEP_MODEL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "trace/event.h"
#include "trace/meta.h"

enum model_wstate {
	MODEL_W_NOT_STARTED,	/* deferred, or no event seen yet */
	MODEL_W_READY,		/* at a statement, waiting at its gate */
	MODEL_W_RUNNING,
	MODEL_W_BLOCKED,	/* in a real wait: see blocked_on/blocked_op */
	MODEL_W_SLEEPING,
	MODEL_W_COMPUTING,
	MODEL_W_DONE,
	MODEL_W_CRASHED,
	MODEL_W_KILLED,
	MODEL_W_STATE_COUNT
};

#define MODEL_MAX_HELD	16

/* Caps that keep a fuzzed trace from allocating without bound: what goes
   past them is counted (untracked) rather than stored. */
#define MODEL_MAX_ITEMS		4096	/* channel contents mirrored */
#define MODEL_MAX_SLOTS		4096	/* semaphore slot holders listed */
#define MODEL_MAX_CELLS		65536	/* mmap / shm cells */
#define MODEL_MAX_TASKS		65536	/* pool tasks */
#define MODEL_MAX_REPORTS	1024	/* inversions, owner-died entries */

struct model_worker {
	enum model_wstate	 state;
	int			 line, col;	/* current statement */
	uint16_t		 blocked_on;	/* object, worker (join), or
						   TRACE_NO_OBJECT */
	uint16_t		 blocked_op;	/* enum trace_type of the wait */
	int			 blocked_line;	/* where it started waiting */
	uint64_t		 since;		/* time of the last state change */
	uint16_t		 held[MODEL_MAX_HELD];	/* objects held, in order
						   of acquisition (locks and
						   semaphore slots) */
	int			 nheld;
	int64_t			 last_value;	/* last got / received */
	uint64_t		 steps;		/* statements started */
	int64_t			 exit_status;
	int			 signal;	/* crash signal */
	int			 task;		/* pool task running, or -1 */
	/* Added for the model's detection; views may read them. */
	int			 woken;		/* notified, COND_WOKEN not seen
						   yet: runnable once the
						   condition's lock is free */
	int64_t			 timeout;	/* of the current wait, ns;
						   0 = forever */
	int			 start_requested; /* deferred: `start` seen */
	int			 held_untracked; /* holdings past held[] */
};

/* One item in a channel, in the order the model shows it (for an mqueue:
   by priority, then arrival). */
struct model_item {
	int64_t		value;
	int32_t		priority;
	uint16_t	from;		/* worker that put it */
	uint64_t	seq;		/* arrival number */
	int32_t		end;		/* end it was put at (a1) */
};

struct model_object {
	/* Locks (mutex, rlock, a condition's own lock). */
	uint16_t		 owner;		/* worker or TRACE_NO_WORKER */
	int			 depth;		/* rlock recursion depth */
	/* Semaphores: value and who holds each taken slot. */
	int64_t			 value;		/* also: shared int value */
	uint16_t		*holders;	/* nholders entries */
	int			 nholders;
	/* Workers blocked on this object, in arrival order. */
	uint16_t		*waiters;
	int			 nwaiters;
	/* Channels: contents in order. */
	struct model_item	*items;
	size_t			 nitems;
	int			 closed;	/* some end closed (a queue: for
						   everyone); per worker: the
						   model's own bookkeeping */
	int			 eof_seen;
	/* Arrays (mmap, shm): cells. Locals: one value per worker. */
	int64_t			*cells;
	size_t			 ncells;
	uint16_t		 last_writer;	/* shared: who stored last */
	uint64_t		 first_write;	/* nevents + 1 at its first
						   store or add, 0 = never */
	/* Pools: task -> worker running it (-1 idle/not yet), results. */
	int			*task_worker;
	int64_t			*results;
	uint8_t			*result_done;
	/* Statistics for expectations and the screen. */
	int64_t			 stat[TRACE_METRIC_COUNT];
	/* Added: */
	int			 signalling;	/* semaphore posted by a
						   non-holder, taken twice by
						   one worker, or starting at
						   0: not a lock for lock order
						   (and, for a meta without
						   producer lists, its waits
						   are never in a deadlock) */
	uint64_t		 untracked;	/* semaphore slots / channel items
						   past the caps, not listed */
	int64_t			 arrived;	/* barrier: in this generation */
	int64_t			 generation;	/* barrier: generations done */
	int64_t			 busy;		/* pool: tasks running now */
	size_t			 ntasks;	/* pool: entries in task_worker */
	uint64_t		 lost_updates;	/* shared: stores that overwrote
						   a store made after the
						   storer's own load */
	uint32_t		 ends_open;	/* channel: bit per end opened */
};

/* Nodes of a reported cycle alternate worker, object, worker, object... */
struct model_cycle {
	uint16_t	*workers;	/* n workers */
	uint16_t	*objects;	/* n objects: workers[i] waits on
					   objects[i], held by workers[i+1] */
	int		*lines;		/* where workers[i] waits */
	size_t		 n;
	uint16_t	*ops;		/* enum trace_type of workers[i]'s
					   wait; for TRACE_JOIN_WAIT,
					   objects[i] is a worker index */
};

/* A lock-order inversion: A then B on one path, B then A on another. */
struct model_inversion {
	uint16_t	first, second;		/* objects A, B */
	uint16_t	worker_ab, worker_ba;
	int		line_ab, line_ba;	/* where B (resp. A) was taken */
	/* Added: where the lock already held was taken (A on the A->B
	   path, B on the B->A path), and the whole cycle of locks
	   (A, B, ...: more than two when the way back from B to A goes
	   through other locks; then worker_ba/line_ba describe the last
	   edge, the one that takes A). */
	int		hold_line_ab, hold_line_ba;
	uint16_t	*locks;
	size_t		 nlocks;
	/* Every edge of the cycle: workers[i] took locks[i + 1] (mod
	   nlocks) at lines[i] while holding locks[i], taken at
	   hold_lines[i]. nlocks entries each. */
	uint16_t	*workers;
	int		*lines;
	int		*hold_lines;
};

struct model_owner_died {
	uint16_t	object;
	uint16_t	dead_worker;
	uint16_t	new_owner;
};

struct model_detect {
	int				 deadlock;	/* a cycle is closed */
	struct model_cycle		 cycle;
	uint64_t			 deadlock_event; /* event index */
	int				 stall;		/* a non-daemon worker is
							   blocked and nobody can
							   ever wake it, no cycle
							   (others may run on) */
	uint16_t			*stalled;	/* those workers (the
							   non-daemons of the
							   hopeless set) */
	size_t				 nstalled;
	uint16_t			*deadlocked;	/* every member of the
							   deadlocked set, the
							   cycle's and those
							   stuck with them */
	size_t				 ndeadlocked;
	uint64_t			 stall_event;
	int				 self_deadlock;
	uint16_t			 self_worker;
	uint16_t			 self_object;
	struct model_inversion		*inversions;
	size_t				 ninversions;
	struct model_owner_died		*owner_died;
	size_t				 nowner_died;
	/* Added. deadlock and stall describe the current state (cleared
	   when the cycle breaks); cycle keeps the last cycle seen after
	   that. *_timed: a member is in a wait with a timeout, so it will
	   break by itself (headless mode should not kill it). *_seen
	   count how many times one formed; hard_*_seen: one that was not
	   timed was seen (what `expect completes` checks). */
	int				 deadlock_timed;
	int				 stall_timed;
	uint64_t			 deadlocks_seen;
	uint64_t			 stalls_seen;
	uint64_t			 self_deadlocks_seen;
	int				 hard_deadlock_seen;
	int				 hard_stall_seen;
	/* Why, in words, filled when a deadlock (why) or a stall
	   (stall_why) is found (see model_verdict_string); kept after the
	   workers are stopped. */
	char				*why;
	char				*stall_why;
};

#define MODEL_WHY_LEN	2048

struct model {
	const struct trace_meta	*meta;
	struct model_worker	*workers;	/* meta->nworkers */
	struct model_object	*objects;	/* meta->nobjects */
	struct model_detect	 detect;
	uint64_t		 nevents;	/* events applied */
	uint64_t		 t0, now;	/* first and last event time */
	uint64_t		 dropped;	/* reported by the ring */
	int			 run_ended;	/* TRACE_RUN_END seen */
	/* Added: */
	uint64_t		 ignored;	/* events that did not fit (bad
						   type, worker, object, cell, or
						   from a worker already ended) */
	uint64_t		 errors;	/* TRACE_ERROR events */
	int			 nstate[MODEL_W_STATE_COUNT]; /* workers per
						   state */
	/* Internal to the model files: lock-order graph, scratch space. */
	void			*priv;
};

struct model	*model_create(const struct trace_meta *);
void		 model_free(struct model *);
void		 model_reset(struct model *);	/* back to no events */
void		 model_apply(struct model *, const struct trace_event *);
/* Checkpoints (clone.c): make dst (created for the same meta) the same
   state as src, deep; a new copy; the bytes a copy holds. */
void		 model_copy(struct model *dst, const struct model *src);
struct model	*model_clone(const struct model *);
size_t		 model_clone_size(const struct model *);

/* Counts of workers in each state; live = not done/crashed/killed. */
int		 model_live_workers(const struct model *);
/* Value of metric for object (or the whole run when object is
   TRACE_NO_OBJECT). Returns 0 and fills *out, or -1 if not applicable. */
int		 model_metric(const struct model *, enum trace_metric,
		     uint16_t object, int64_t *out);
/* Whether expectation e holds in the current (final) state. */
int		 model_expect_holds(const struct model *,
		     const struct trace_meta_expect *);

/* Plain words for what event ev did, given the state *after* it was
   applied: "t2 waits: B is held by t1". Returns the length written. */
size_t		 model_explain(const struct model *,
		     const struct trace_event *, char *buf, size_t len);
/* "t1 -> B -> t2 -> A -> t1" for the current cycle. */
size_t		 model_cycle_string(const struct model *, char *buf,
		     size_t len);

const char	*model_wstate_name(enum model_wstate);

/* Added. Workers that w waits for right now (the holders of what it waits
   on, or the worker it joins; for a semaphore, a condition or a barrier
   the workers that can still release, notify or arrive; for a channel
   wait, the writers, or for a put on a full channel the readers, that can
   still act: any one of them would do, except at a barrier); returns how
   many, writes up to max. */
size_t		 model_waitfor_edges(const struct model *, uint16_t w,
		     uint16_t *out, size_t max);
/* The words between the object w waits on and the workers
   model_waitfor_edges gives: "held by" (a lock), "released only by" (a
   semaphore's producers), "notified only by", "still to arrive:" (a
   barrier), "fed only by" / "emptied only by" (a channel). NULL if w is
   not blocked. */
const char	*model_waitfor_how(const struct model *, uint16_t w);
/* Why the run is stuck, from the reduced graph, naming facts: for a
   deadlock, what each worker of the cycle waits for and who alone could
   give it; for a stall, what each stalled worker waits for, why nobody
   can give it, and who runs on. Empty if neither stands (or was seen).
   Returns the length written. */
size_t		 model_verdict_string(const struct model *, char *buf,
		     size_t len);
/* Whether w can go on now: not blocked, or blocked on something already
   available (its event just has not arrived yet). */
int		 model_waitfor_runnable(const struct model *, uint16_t w);
/* The value an `expect NAME == V` line expects of object, if any: 0 and
   *out, or -1. */
int		 model_metric_expected(const struct model *, uint16_t object,
		     int64_t *out);
/* "lock-order inversion: t1 takes B (line 7) while holding A (line 5);
   t2 takes A (line 14) while holding B (line 12)". */
size_t		 model_inversion_string(const struct model *,
		     const struct model_inversion *, char *buf, size_t len);

#endif
