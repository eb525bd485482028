/*
 * sync/sched.h: the deterministic scheduler's shared state and the
 * worker side of its protocol.
 *
 * In a scheduled run (the live view, --seed, --schedule) exactly one
 * worker runs at a time. The front end holds the turn between steps; it
 * gives it to worker w (turn = w, bump w's go word, wake it) and sleeps on
 * the turn word until w hands it back: at its next gate (READY), when an
 * operation would block (BLOCKED, with what it waits for and an optional
 * deadline), or at its end (ENDED). No polling, no "settled" guessing: the
 * front end always knows which workers are enabled.
 *
 * A blocking operation never blocks in the kernel in a scheduled run: it
 * tries, and if it would block it records a key (an object index, a
 * worker for join, SYNC_KEY_IO for a descriptor wait, SYNC_KEY_NONE for a
 * plain sleep) and parks BLOCKED. An operation that can change a key's
 * state (unlock, release, notify, put, get, close, a worker's end) makes
 * the workers parked on that key READY again; they retry when chosen.
 *
 * Scenario time: `now` only moves when the front end decides. A blocked
 * worker with a deadline is enabled (timed out) once now reaches it, and
 * when no worker is enabled the clock jumps to the earliest deadline.
 * Events of a scheduled run are stamped from `stamp`, which every event
 * advances by 1 ns and a clock jump raises to `now`: stamps are scenario
 * time, strictly increasing, and the same on every run of a schedule.
 */
#ifndef LOCKSTEP_SYNC_SCHED_H
#define LOCKSTEP_SYNC_SCHED_H

#include <stdint.h>

#include "trace/meta.h"

#define SYNC_SCHED_NONE		0xffffu		/* turn: the front end's */

#define SYNC_KEY_NONE		0xffffffffu	/* sleep, compute */
#define SYNC_KEY_IO		0xfffffffeu	/* a descriptor wait */
#define SYNC_KEY_WORKER(w)	(0x10000u + (uint32_t)(w))	/* join */

enum sync_sched_status {
	SYNC_S_IDLE,		/* not started */
	SYNC_S_FRESH,		/* started, not yet at its first gate */
	SYNC_S_READY,		/* at a gate, or woken to retry */
	SYNC_S_BLOCKED,
	SYNC_S_RUNNING,
	SYNC_S_ENDED
};

struct sync_sched_slot {
	uint32_t	go;		/* futex: bumped to give the turn */
	uint32_t	status;		/* enum sync_sched_status */
	uint32_t	key;		/* what a blocked worker waits for */
	uint32_t	timed_out;	/* set by the front end */
	int64_t		deadline;	/* scenario ns, -1: none */
	uint64_t	steps;
} __attribute__((aligned(64)));

struct sync_sched {
	uint32_t		on;	/* this run is scheduled */
	uint32_t		turn;	/* futex: worker running, or NONE */
	uint64_t		now;	/* scenario clock, ns */
	uint64_t		stamp;	/* last event stamp (trace producers) */
	uint32_t		nslots;
	struct sync_sched_slot	slots[TRACE_MAX_WORKERS];
};

/* Worker side. Park at a gate (READY) or blocked, hand the turn back and
   sleep until it is given again. */
void	sync_sched_park(struct sync_sched *, uint16_t w, uint32_t status);
/* Wait for the first turn (a worker not yet run). */
void	sync_sched_first(struct sync_sched *, uint16_t w);
/* Park blocked on key until woken or the deadline (scenario ns, < 0:
   none) passed: 0 woken (retry), 1 timed out. */
int	sync_sched_block(struct sync_sched *, uint16_t w, uint32_t key,
	    int64_t deadline);
/* Make every worker blocked on key ready to retry. */
void	sync_sched_wake(struct sync_sched *, uint32_t key);
/* The same for every blocked worker (a process ended: its descriptors
   closed, its joiners may go on). */
void	sync_sched_wake_all(struct sync_sched *);
/* w ended: mark it and give the turn back if it had it (never waits). */
void	sync_sched_end(struct sync_sched *, uint16_t w);
/* Deadline timeout_ns from the scenario clock (timeout_ns <= 0: -1). */
int64_t	sync_sched_deadline(const struct sync_sched *, int64_t timeout_ns);

/* Front end side. Give the turn to w and sleep until it is handed back;
   alive() is called every 100 ms of waiting (0: the run died, stop). */
int	sync_sched_give(struct sync_sched *, uint16_t w,
	    int (*alive)(void *), void *arg);

#endif
