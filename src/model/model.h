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
 * wait / acquire / release / wake event, and only then is the affected part
 * re-examined (graph reduction in the style of Holt for multi-unit
 * resources, so a semaphore cycle with a free slot is not a deadlock).
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
};

/* One item in a channel, in the order the model shows it (for an mqueue:
   by priority, then arrival). */
struct model_item {
	int64_t		value;
	int32_t		priority;
	uint16_t	from;		/* worker that put it */
	uint64_t	seq;		/* arrival number */
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
	int			 closed;	/* writer end(s) closed */
	int			 eof_seen;
	/* Arrays (mmap, shm): cells. Locals: one value per worker. */
	int64_t			*cells;
	size_t			 ncells;
	uint16_t		 last_writer;	/* shared: who stored last */
	/* Pools: task -> worker running it (-1 idle/not yet), results. */
	int			*task_worker;
	int64_t			*results;
	uint8_t			*result_done;
	/* Statistics for expectations and the screen. */
	int64_t			 stat[TRACE_METRIC_COUNT];
};

/* Nodes of a reported cycle alternate worker, object, worker, object... */
struct model_cycle {
	uint16_t	*workers;	/* n workers */
	uint16_t	*objects;	/* n objects: workers[i] waits on
					   objects[i], held by workers[i+1] */
	int		*lines;		/* where workers[i] waits */
	size_t		 n;
};

/* A lock-order inversion: A then B on one path, B then A on another. */
struct model_inversion {
	uint16_t	first, second;		/* objects A, B */
	uint16_t	worker_ab, worker_ba;
	int		line_ab, line_ba;	/* where B (resp. A) was taken */
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
	int				 stall;		/* all live workers blocked,
							   no cycle */
	uint64_t			 stall_event;
	int				 self_deadlock;
	uint16_t			 self_worker;
	uint16_t			 self_object;
	struct model_inversion		*inversions;
	size_t				 ninversions;
	struct model_owner_died		*owner_died;
	size_t				 nowner_died;
};

struct model {
	const struct trace_meta	*meta;
	struct model_worker	*workers;	/* meta->nworkers */
	struct model_object	*objects;	/* meta->nobjects */
	struct model_detect	 detect;
	uint64_t		 nevents;	/* events applied */
	uint64_t		 t0, now;	/* first and last event time */
	uint64_t		 dropped;	/* reported by the ring */
	int			 run_ended;	/* TRACE_RUN_END seen */
	/* Internal to the model files: lock-order graph, scratch space. */
	void			*priv;
};

struct model	*model_create(const struct trace_meta *);
void		 model_free(struct model *);
void		 model_reset(struct model *);	/* back to no events */
void		 model_apply(struct model *, const struct trace_event *);

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

#endif
