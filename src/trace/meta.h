/*
 * trace/meta.h: what a run's events refer to: workers, objects, expectations.
 *
 * Events name workers and objects by index. The table that gives those
 * indices names, kinds and sizes is the run's meta: built from a parsed
 * scenario (scenario_meta_build), inherited by the runner through fork,
 * read by the model, and saved in a trace file's header so a replay needs
 * no scenario parser. It holds no scenario syntax, only plain data, so
 * trace/ still knows nothing of the scenario language.
 */
#ifndef LOCKSTEP_TRACE_META_H
#define LOCKSTEP_TRACE_META_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_MAX_WORKERS	256
#define TRACE_MAX_OBJECTS	1024
#define TRACE_MAX_NAMED		256	/* objects with an OS name: fifo,
					   mqueue, shm, mmap, unix socket */

enum trace_obj_kind {
	TRACE_OBJ_MUTEX,
	TRACE_OBJ_RLOCK,
	TRACE_OBJ_SEMAPHORE,	/* capacity = initial value */
	TRACE_OBJ_CONDITION,	/* lock = its lock's object index */
	TRACE_OBJ_BARRIER,	/* capacity = parties */
	TRACE_OBJ_QUEUE,	/* capacity = bound */
	TRACE_OBJ_PIPE,		/* flags & TRACE_OBJF_DUPLEX */
	TRACE_OBJ_FIFO,
	TRACE_OBJ_MQUEUE,	/* capacity = max messages */
	TRACE_OBJ_SOCKET,	/* flags & TRACE_OBJF_TCP for loopback TCP */
	TRACE_OBJ_MMAP,		/* capacity = number of int cells */
	TRACE_OBJ_SHM,		/* capacity = number of int cells */
	TRACE_OBJ_SHARED,	/* shared int; initial = start value */
	TRACE_OBJ_LOCAL,	/* thread-local int; initial = start value */
	TRACE_OBJ_POOL,		/* capacity = workers, tasks = task count */
	TRACE_OBJ_KIND_COUNT
};

/* How a worker's statements use an object (scenario_uses). */
#define TRACE_USE_SEND		0x1	/* put / send */
#define TRACE_USE_RECV		0x2	/* get / recv */
#define TRACE_USE_OTHER		0x4	/* open, close, listen, accept,
					   connect, len */

#define TRACE_OBJF_DUPLEX	0x1	/* pipe: both ends read and write */
#define TRACE_OBJF_TCP		0x2	/* socket: loopback TCP, not unix */
#define TRACE_OBJF_THREADS	0x4	/* pool: members are threads, not
					   processes (`pool P(5) threads`) */
#define TRACE_OBJF_RWLOCK	0x10	/* mutex: a traced program's rwlock
					   (readers hold it together) */
#define TRACE_OBJF_SPIN		0x20	/* mutex: a traced spin lock */
#define TRACE_OBJF_LOCKLIKE	0x8	/* semaphore: every acquire in the
					   scenario is given back by the same
					   worker in the same block (`with S:`
					   or acquire ... release S): a lock
					   for lock order */

/* Added: a worker whose code can put/send into a channel (a writer) or
   get/recv from it (a reader), and the end it uses where the channel has
   two ends that both send and receive (duplex pipe: 0 for the pipe's
   first user, 1 for the others; socket: 0 server, 1 client, the workers
   that `connect`). A reader at end e is served by the writers at the
   other end. end = -1: the kind does not distinguish ends (queue, simple
   pipe, fifo, mqueue): every writer serves every reader. */
struct trace_meta_peer {
	uint16_t		 worker;
	int8_t			 end;
	int32_t			 limit;	/* the worker can still act while
					   its current line is <= limit
					   (the last such statement, or the
					   end of the outermost loop around
					   it); 0: while it lives */
};

struct trace_meta_object {
	char			*name;
	enum trace_obj_kind	 kind;
	int64_t			 capacity;
	int64_t			 initial;
	int64_t			 tasks;		/* pool: number of tasks */
	uint16_t		 lock;		/* condition: its lock */
	uint32_t		 flags;
	int			 line;		/* declaration line */
	/* Added. Channels: who can put/send into it and who can get/recv
	   from it, from the scenario text (static: every worker whose body,
	   nested blocks included, has the statement), in worker order.
	   The same lists name the producers and consumers of the other
	   consumable resources: a semaphore's writers release it (readers
	   acquire it), a condition's writers notify it (readers wait on it),
	   a barrier's writers (and readers) wait on it. Each with the limit
	   line past which it no longer acts. Owned by the meta
	   (trace_meta_add_object copies them). */
	struct trace_meta_peer	*writers;
	size_t			 nwriters;
	struct trace_meta_peer	*readers;
	size_t			 nreaders;
};

enum trace_worker_kind {
	TRACE_WORKER_THREAD,
	TRACE_WORKER_PROCESS,
	TRACE_WORKER_MAIN	/* the scenario's main: block, a thread */
};

#define TRACE_WORKERF_DAEMON	0x1	/* killed when the others end */
#define TRACE_WORKERF_DEFERRED	0x2	/* waits for a `start` */
#define TRACE_WORKERF_POOL	0x4	/* a member of a pool (a process
					   unless the pool says threads) */

struct trace_meta_worker {
	char			*name;	/* "t1", "adder.2", "pool.3" */
	enum trace_worker_kind	 kind;
	uint32_t		 flags;
	int			 copy;	/* 1-based index among xN copies */
	uint16_t		 pool;	/* pool object, or TRACE_NO_OBJECT */
	int			 line;	/* line of the worker's header */
};

/* What an `expect` line checks. */
enum trace_expect_kind {
	TRACE_EXPECT_DEADLOCK,		/* a deadlock is detected */
	TRACE_EXPECT_STALL,		/* a stall (no cycle) is detected */
	TRACE_EXPECT_SELF_DEADLOCK,	/* a worker waits on a lock it holds */
	TRACE_EXPECT_COMPLETES,		/* every non-daemon worker ended
					   normally, no deadlock, no stall */
	TRACE_EXPECT_POTENTIAL,		/* a lock-order cycle was seen */
	TRACE_EXPECT_NO_POTENTIAL,	/* no lock-order cycle was seen */
	TRACE_EXPECT_METRIC,		/* metric(object) CMP value */
	TRACE_EXPECT_BEFORE,		/* shared int `object` was first
					   written before shared int `value`
					   (a scenario's `mark`s) */
	TRACE_EXPECT_KIND_COUNT
};

/* Numbers an expectation can compare; evaluated by model_metric(). */
enum trace_metric {
	TRACE_METRIC_VALUE,		/* shared int / cell: final value */
	TRACE_METRIC_MAX_HOLDERS,	/* most workers holding o at once */
	TRACE_METRIC_MAX_WAITERS,	/* most workers blocked on o at once */
	TRACE_METRIC_CONTENDED,		/* times a worker had to wait on o */
	TRACE_METRIC_SENT,		/* items put/sent into channel o */
	TRACE_METRIC_RECEIVED,		/* items got/received from o */
	TRACE_METRIC_ORDER_ERRORS,	/* items received out of FIFO (or
					   priority) order from o */
	TRACE_METRIC_MAX_LEN,		/* most items in o at once */
	TRACE_METRIC_LOST_NOTIFIES,	/* notifies of o with nobody waiting */
	TRACE_METRIC_WOKEN,		/* workers woken from o */
	TRACE_METRIC_MAX_BUSY,		/* pool o: most tasks running at once */
	TRACE_METRIC_TASKS_DONE,	/* pool o: tasks finished */
	TRACE_METRIC_EARLY_PASSES,	/* barrier o: passes before all arrived */
	TRACE_METRIC_DISTINCT_LOCALS,	/* local o: distinct final values */
	TRACE_METRIC_MAX_VALUE,		/* shared int o: largest value it
					   held during the run */
	TRACE_METRIC_MIN_VALUE,		/* ... and smallest */
	TRACE_METRIC_COUNT
};

enum trace_cmp {
	TRACE_CMP_EQ, TRACE_CMP_NE, TRACE_CMP_LT, TRACE_CMP_LE,
	TRACE_CMP_GT, TRACE_CMP_GE
};

struct trace_meta_expect {
	enum trace_expect_kind	 kind;
	enum trace_metric	 metric;
	uint16_t		 object;	/* or TRACE_NO_OBJECT */
	enum trace_cmp		 cmp;
	int64_t			 value;
	int			 line;
	char			*text;		/* the expect line as written */
};

struct trace_meta {
	char				*path;		/* scenario file */
	char				*source;	/* its full text */
	char				*title;
	char				*about;
	size_t				 nworkers;
	struct trace_meta_worker	*workers;
	size_t				 nobjects;
	struct trace_meta_object	*objects;
	size_t				 nexpects;
	struct trace_meta_expect	*expects;
};

void		 trace_meta_init(struct trace_meta *);
void		 trace_meta_done(struct trace_meta *);
/* Append entries; each returns the new entry's index. Strings are copied. */
uint16_t	 trace_meta_add_worker(struct trace_meta *,
		     const struct trace_meta_worker *);
uint16_t	 trace_meta_add_object(struct trace_meta *,
		     const struct trace_meta_object *);
size_t		 trace_meta_add_expect(struct trace_meta *,
		     const struct trace_meta_expect *);
/* Index of a worker or object by name, or -1. */
int		 trace_meta_find_worker(const struct trace_meta *, const char *);
int		 trace_meta_find_object(const struct trace_meta *, const char *);
/* Added: append a writer or reader to object o (o < nobjects). */
void		 trace_meta_add_peer(struct trace_meta *, uint16_t o,
		     int reader, uint16_t worker, int end);
/* The same with the peer's limit line (0: no limit). */
void		 trace_meta_add_peer_at(struct trace_meta *, uint16_t o,
		     int reader, uint16_t worker, int end, int limit);

const char	*trace_obj_kind_name(enum trace_obj_kind);
/* What to call the object on screen: its kind's name, or what a traced
   program declared it as where the model treats it as a mutex (rwlock,
   spin). */
const char	*trace_obj_label(const struct trace_meta_object *);
const char	*trace_metric_name(enum trace_metric);
int		 trace_metric_from_name(const char *);	/* -1 if unknown */
const char	*trace_cmp_name(enum trace_cmp);
int		 trace_cmp_eval(enum trace_cmp, int64_t, int64_t);

#endif
