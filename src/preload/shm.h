/*
 * preload/shm.h: the shared memory between `lockstep trace` and the
 * interposition library it preloads into a real C program.
 *
 * A scenario's meta is known before the run; a real program's is not: its
 * threads, mutexes and call sites appear as it runs. So the front end
 * creates one memfd (named in LOCKSTEP_TRACE_FD, inherited across exec
 * and fork), sized for at most PRELOAD_MAX_WORKERS workers, _OBJECTS
 * objects and _SITES call sites, followed by the same trace ring set the
 * scenario runtime uses (trace/ring.h, one ring per worker plus one for
 * the front end). The library claims an entry with an atomic counter,
 * fills it, then release-stores ready = 1 before it emits any event that
 * names the entry; the front end, which sees the event later, extends
 * the run's meta from the entries (cli/trace-cmd.c). Everything here
 * is plain data at fixed offsets: no pointers, since the front end and
 * the program map it at different addresses.
 *
 * Gates: every wrapped call first passes its worker's gate. In run mode
 * (mode = 0) the gate is open; paused, the worker sets at_gate and sleeps
 * on its gate word (a shared futex) until the front end adds a credit.
 * blocked is set around a real wait, so the front end knows when every
 * worker is either at its gate or blocked (the run is settled) and a
 * step may be chosen deterministically.
 */
#ifndef LOCKSTEP_PRELOAD_SHM_H
#define LOCKSTEP_PRELOAD_SHM_H

#include <stdint.h>

#define PRELOAD_MAGIC		0x4c4b5450u	/* "LKTP" */
#define PRELOAD_VERSION		1
#define PRELOAD_MAX_WORKERS	128
#define PRELOAD_MAX_OBJECTS	1024
#define PRELOAD_MAX_SITES	4096
#define PRELOAD_HASH		4096		/* object keys, power of 2 */
#define PRELOAD_PATH_MAX	192
#define PRELOAD_RING_CAPACITY	(1u << 14)
#define PRELOAD_ENV_FD		"LOCKSTEP_TRACE_FD"

enum preload_mode {
	PRELOAD_RUN,
	PRELOAD_PAUSE
};

/* What a worker is, as the front end names it. */
enum preload_wkind {
	PRELOAD_W_MAIN,		/* a process's first thread */
	PRELOAD_W_THREAD,	/* pthread_create */
	PRELOAD_W_PROCESS	/* fork */
};

struct preload_worker {
	uint32_t	ready;
	uint32_t	kind;		/* enum preload_wkind */
	int32_t		pid;
	uint32_t	ended;		/* WORKER_END emitted */
	uint32_t	gate;		/* futex: step credits */
	uint32_t	at_gate;	/* waiting at its gate, no credit */
	uint32_t	blocked;	/* in a real wait */
	uint32_t	started;	/* has run its first instruction */
	uint64_t	thread;		/* pthread_t, for join */
	uint16_t	parent;		/* worker that created it */
	uint16_t	pad[3];
	uint64_t	start_rel;	/* start routine, module-relative */
	char		file[PRELOAD_PATH_MAX];	/* its module */
} __attribute__((aligned(64)));

/* Object kinds are enum trace_obj_kind (trace/meta.h). */
struct preload_object {
	uint32_t	ready;
	uint32_t	kind;
	uint64_t	addr;		/* in the program, or 0 (named) */
	uint64_t	rel;		/* addr relative to its module */
	int64_t		capacity;	/* semaphore value, barrier count */
	uint32_t	site;		/* where it was first seen */
	uint32_t	flags;		/* PRELOAD_OBJF_* */
	/* Run state the library keeps (shared by all processes). */
	uint32_t	owner;		/* worker + 1 holding a mutex, or 0 */
	int32_t		depth;		/* recursion depth of the owner */
	int32_t		waiters;	/* condition: waiting now */
	int32_t		arrived;	/* barrier: in this generation */
	int64_t		generation;	/* barrier */
	char		file[PRELOAD_PATH_MAX];	/* module of addr */
	char		name[64];	/* named semaphore, socket path... */
} __attribute__((aligned(64)));

#define PRELOAD_OBJF_RECURSIVE	0x1
#define PRELOAD_OBJF_ROBUST	0x2
#define PRELOAD_OBJF_HEAP	0x4	/* not in any module: heap, stack */
#define PRELOAD_OBJF_RWLOCK	0x8	/* a mutex to the model: an rwlock */
#define PRELOAD_OBJF_SPIN	0x10	/* a mutex to the model: a spin lock */

struct preload_site {
	uint64_t	pc;		/* absolute return address; 0 = free */
	uint64_t	rel;		/* relative to its module */
	uint32_t	ready;
	uint32_t	pad;
	char		file[PRELOAD_PATH_MAX];
};

struct preload_bucket {
	uint64_t	key;		/* 0 = empty */
	uint32_t	index;		/* object + 1 once filled */
	uint32_t	pad;
};

struct preload_hdr {
	uint32_t	magic;
	uint32_t	version;
	uint64_t	size;
	uint64_t	ring_off;
	uint32_t	mode;		/* enum preload_mode */
	uint32_t	nworkers;	/* claimed entries */
	uint32_t	nobjects;
	uint32_t	overflow;	/* claims refused: tables full */
	int32_t		frontend_pid;
	uint32_t	closed_fd;	/* the program tried to close our fd */
	uint64_t	skip_ino[2];	/* capture pipes: not traced */
	int32_t		wake_fd;	/* the ring's eventfd, in every process */
	int32_t		tempo_ms;	/* run mode: delay at each gate */
};

struct preload_shm {
	struct preload_hdr	hdr;
	struct preload_worker	workers[PRELOAD_MAX_WORKERS];
	struct preload_object	objects[PRELOAD_MAX_OBJECTS];
	struct preload_bucket	buckets[PRELOAD_HASH];
	struct preload_site	sites[PRELOAD_MAX_SITES];
} __attribute__((aligned(4096)));

/* Bytes for the tables, and where the ring set starts. */
#define PRELOAD_RING_OFF \
	((sizeof(struct preload_shm) + 4095) & ~(size_t)4095)

#endif
