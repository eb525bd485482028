/*
 * runtime/arena.h: the shared memory of one run.
 *
 * The front end maps one MAP_SHARED|MAP_ANONYMOUS region before it forks
 * the runner, so every process of the run sees it at the same address
 * (pointers into it stay valid after fork). Layout, each part aligned:
 *
 *   header      mode (run/pause), tempo, the gate_fast word, the runner's
 *               wake-up word, the registry of named OS objects, temp dir,
 *               the scheduler's turn word, scenario clock and per-worker
 *               slots (sync/sched.h) of a scheduled run
 *   workers     per worker: state, pid, step gate (credit + epoch futex
 *               word), at_gate / blocked flags, position, join word
 *   objects     struct sync_obj per scenario object (sync/sync.h)
 *   cells       int64 storage: thread-locals, queue slots, arrays
 *   uses        [object][worker] SYNC_USE_* matrix (channel ends)
 *   strings     append-only string table (atomic bump pointer)
 *   rings       the trace ring set: one ring per worker + one for the
 *               runner (trace/ring.h)
 *
 * struct arena itself is the front end's private handle (heap), inherited
 * read-only by the runner and workers through fork.
 */
#ifndef LOCKSTEP_RUNTIME_ARENA_H
#define LOCKSTEP_RUNTIME_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scenario/ast.h"
#include "sync/chan.h"
#include "sync/sync.h"
#include "trace/meta.h"
#include "trace/ring.h"

#define ARENA_MAGIC		0x4c4b5354u	/* "LKST" */
#define ARENA_MAX_NAMES		256
#define ARENA_NAME_MAX		240
#define ARENA_STRTAB_SIZE	(8u << 20)
#define ARENA_RING_CAPACITY	(1u << 15)

enum arena_mode {
	ARENA_RUN,
	ARENA_PAUSE
};

enum arena_wstate {
	ARENA_W_IDLE,		/* not started (deferred, or not yet run) */
	ARENA_W_RUNNING,
	ARENA_W_DONE,
	ARENA_W_CRASHED,
	ARENA_W_KILLED
};

/* Gate word: step credits in the low 16 bits, an epoch above that every
   mode or tempo change bumps so that a sleeping worker re-reads the mode. */
#define ARENA_GATE_CREDIT(g)	((g) & 0xffffu)
#define ARENA_GATE_EPOCH	0x10000u

struct arena_worker {
	uint32_t	state;		/* enum arena_wstate */
	uint32_t	ended;		/* futex: 1 once ended (join) */
	uint32_t	started;	/* futex: 1 once it may run */
	uint32_t	gate;		/* futex: credits | epoch */
	uint32_t	at_gate;	/* waiting at its gate (paused) */
	uint32_t	blocked;	/* in a real wait (lock, start...) */
	int32_t		line, col;	/* statement it is at */
	int32_t		pid;
	int32_t		exit_status;
	int32_t		signal;
	uint32_t	is_thread;
} __attribute__((aligned(64)));

struct arena_name {
	uint32_t	kind;		/* enum sync_name_kind */
	uint32_t	used;
	char		name[ARENA_NAME_MAX];
};

struct arena_hdr {
	uint32_t		magic;
	uint32_t		mode;		/* enum arena_mode */
	uint32_t		gate_fast;	/* run mode at tempo 0 */
	int32_t			tempo_ms;
	uint32_t		runner_seq;	/* futex: something ended */
	uint32_t		runner_done;
	int32_t			frontend_pid;
	int32_t			runner_pid;
	int32_t			host_pid;	/* thread host, or 0 */
	uint32_t		nworkers;
	uint32_t		nobjects;
	uint64_t		strtab_size;
	uint64_t		strtab_used;	/* atomic bump pointer */
	uint32_t		nnames;		/* atomic slot counter */
	struct arena_name	names[ARENA_MAX_NAMES];
	char			tmpdir[256];
	struct sync_sched	sched;		/* scheduled runs (sync/sched.h) */
};

struct arena_note {
	const struct scn_stmt	*stmt;
	int64_t			 off;
};

struct arena {
	void			*base;
	size_t			 size;
	struct arena_hdr	*hdr;
	struct arena_worker	*workers;
	struct sync_obj		*objs;
	int64_t			*cells;
	uint8_t			*uses;
	char			*strtab;
	struct trace_ring_set	*rings;
	unsigned		 nrings;
	int			 wake_fd;
	size_t			 nworkers;
	size_t			 nobjects;
	const struct scn_file	*file;
	const struct trace_meta	*meta;
	struct arena_note	*notes;		/* sorted by stmt */
	size_t			 nnotes;
	int			 setup_done;	/* channel set-up ran */
};

/* Map and initialise the arena for a run (front end, before fork). */
struct arena	*arena_create(const struct scn_file *, const struct trace_meta *,
		    int lossy, int scheduled, char **cause);
void		 arena_free(struct arena *);
/* Create the channels' OS objects (after arena_create, before fork). */
int		 arena_setup_channels(struct arena *, char **cause);

/* Append text to the string table; returns its offset (0 = the "string
   table full" text when it is full). Safe from any process. */
int64_t		 arena_intern(struct arena *, const char *, size_t);
/* Offset of a statement's interned note, or -1. */
int64_t		 arena_note(const struct arena *, const struct scn_stmt *);
/* Record a named OS object to remove after the run (any process). */
int		 arena_register(struct arena *, enum sync_name_kind,
		    const char *name);
/* Remove every registered name and the temp dir. Only async-signal-safe
   calls unless full is set (then the temp dir is also emptied). */
void		 arena_cleanup(struct arena *, int full);

/* Gates (runtime/gate.c). */
void		 arena_gate_wait(struct arena *, uint16_t w);
void		 arena_gate_kick(struct arena *);
void		 arena_set_mode(struct arena *, enum arena_mode);
void		 arena_set_tempo(struct arena *, int tempo_ms);
int		 arena_gate_ready(const struct arena *, uint16_t w);
int		 arena_gate_give(struct arena *, uint16_t w);

#endif
