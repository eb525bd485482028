/*
 * trace/event.h: the fixed-size trace event and the list of event types.
 *
 * Every observable action of a scenario worker is one 32-byte event: no
 * pointers, no strings (text goes to the arena's string table and an event
 * carries its offset). Events are written by workers (threads and forked
 * processes) into the trace ring and read by the front end, which applies
 * them to the model and may save them to a trace file; the same bytes are
 * therefore the on-disk format, so this layout is versioned with it
 * (TRACE_EVENT_VERSION).
 *
 * Timestamps follow the causality rule of the design: an event that lets
 * another worker proceed ("releasing", "put", "send", "notify") is stamped
 * before the real operation, and an event that reports having proceeded
 * ("acquired", "got", "woken") is stamped after it returns. Merged by time,
 * a release therefore always comes before the acquire it enabled.
 *
 * Field use per type is documented beside each type below:
 *   o  = object index (trace_meta objects), w = worker index
 *   a0 = 64-bit argument, a1 = 32-bit argument.
 */
#ifndef LOCKSTEP_TRACE_EVENT_H
#define LOCKSTEP_TRACE_EVENT_H

#include <stdint.h>

#define TRACE_EVENT_VERSION	1
#define TRACE_NO_OBJECT		0xffff
#define TRACE_NO_WORKER		0xffff

/* a1 of TRACE_LOCK_WAIT / TRACE_LOCK_ACQUIRED: a shared (read) hold of a
   traced program's rwlock. Readers are holders together, so a writer
   waits for every one of them; a read hold does not enter the lock
   order (readers do not exclude one another). */
#define TRACE_LOCK_SHARED	1

struct trace_event {
	uint64_t	time;	/* ns, CLOCK_MONOTONIC (or the run's own time,
				   TRACE_RING_CLOCK_EXTERNAL) as the consumer
				   delivers it; in a ring slot, the set's
				   clock unit (trace/clock.h) */
	int64_t		a0;
	int32_t		a1;
	uint32_t	seq;	/* per-producer sequence, from 0 */
	uint16_t	worker;
	uint16_t	type;	/* enum trace_type */
	uint16_t	object;
	uint16_t	check;	/* filled by the ring: torn-write check */
};

_Static_assert(sizeof(struct trace_event) == 32, "trace_event is 32 bytes");

enum trace_type {
	TRACE_NONE = 0,

	/* Worker life. */
	TRACE_WORKER_START,	/* w began running; a0 = pid, a1 = 1 if a thread */
	TRACE_WORKER_END,	/* w returned normally; a0 = exit status */
	TRACE_WORKER_CRASH,	/* w died; a0 = signal (emitted by the runner) */
	TRACE_WORKER_KILLED,	/* w ended by the runner (daemon at exit, stop) */
	TRACE_STEP,		/* w reached a statement; a0 = line, a1 = column.
				   It may now wait at its step gate. */
	TRACE_MICROSTEP,	/* w reached the second half of a split
				   statement (the store of `x += 1`); a0 = line,
				   a1 = column */
	TRACE_ERROR,		/* runtime error in w; a0 = string offset of
				   the message, a1 = line */
	TRACE_PRINT,		/* w printed; a0 = string offset of the text */
	TRACE_NOTE,		/* caption of the statement w just ran;
				   a0 = string offset, a1 = line */

	/* Mutex and rlock (o = lock). */
	TRACE_LOCK_WAIT,	/* try-lock failed: w blocks on o; a0 = timeout
				   ns (0 = forever); a1 = TRACE_LOCK_SHARED
				   for a read lock of a traced rwlock */
	TRACE_LOCK_ACQUIRED,	/* w holds o; a0 = recursion depth (1 = first);
				   a1 = TRACE_LOCK_SHARED: one of several
				   readers holding it */
	TRACE_LOCK_RELEASE,	/* w releasing o (stamped before the unlock);
				   a0 = depth left (0 = free) */
	TRACE_LOCK_OWNER_DIED,	/* w got o from a dead owner; a0 = the dead
				   owner's worker index or TRACE_NO_WORKER */
	TRACE_LOCK_TIMEOUT,	/* w gave up waiting for o (lock ... timeout) */

	/* Semaphore (o = semaphore). */
	TRACE_SEM_WAIT,		/* try-wait failed: w blocks on o; a0 = timeout
				   ns (0 = forever) */
	TRACE_SEM_ACQUIRED,	/* w took a slot; a0 = value after */
	TRACE_SEM_RELEASE,	/* w gives back a slot (before the post);
				   a0 = value after */
	TRACE_SEM_TIMEOUT,	/* w gave up waiting for o */

	/* Condition (o = condition, a1 = its lock's object index). */
	TRACE_COND_WAIT,	/* w released the lock and waits on o; a0 =
				   timeout ns (0 = forever) */
	TRACE_COND_WOKEN,	/* w returned from wait holding the lock again;
				   a0 = 1 if woken by a notify, 0 on timeout */
	TRACE_COND_NOTIFY,	/* w notifies o; a0 = how many it asked to wake
				   (-1 = all), a1 = waiters at that moment */

	/* Barrier (o = barrier). */
	TRACE_BARRIER_WAIT,	/* w arrived; a0 = arrived count incl. w */
	TRACE_BARRIER_PASS,	/* w left the barrier; a0 = generation */

	/* Channels: queue, pipe, fifo, mqueue, socket (o = channel).
	   Values are 64-bit integers; a1 = priority (mqueue) or end. */
	TRACE_CHAN_OPEN_WAIT,	/* w blocks opening o (fifo: other end absent,
				   socket: connect/accept); a1 = end */
	TRACE_CHAN_OPEN,	/* w opened/connected/accepted o; a1 = end */
	TRACE_CHAN_PUT_WAIT,	/* o is full: w blocks putting */
	TRACE_CHAN_PUT,		/* w puts a0 into o (before the write);
				   a1 = priority / end */
	TRACE_CHAN_GET_WAIT,	/* o is empty: w blocks getting */
	TRACE_CHAN_GET,		/* w got a0 from o (after the read);
				   a1 = priority / end */
	TRACE_CHAN_CLOSE,	/* w closed its end of o; a1 = end */
	TRACE_CHAN_EOF,		/* w read end-of-file from o; a1 = end */

	/* Shared and local values (o = shared int / local / mmap / shm). */
	TRACE_SHARED_LOAD,	/* w read a0 from o (first half of x += n);
				   a1 = cell index for arrays */
	TRACE_SHARED_STORE,	/* w wrote a0 to o; a1 = cell index */
	TRACE_SHARED_ADD,	/* w atomically added; a0 = value after,
				   a1 = cell index */
	TRACE_LOCAL_SET,	/* w set its own copy of local o to a0 */

	/* Time. */
	TRACE_SLEEP,		/* w sleeps a0 ns */
	TRACE_COMPUTE,		/* w computes (busy CPU) a0 ns */
	TRACE_AWAKE,		/* w finished its sleep or compute */

	/* Workers acting on workers (o = the other worker's index). */
	TRACE_START,		/* w starts worker o */
	TRACE_JOIN_WAIT,	/* w waits for worker o to end; a0 = timeout
				   ns (0 = forever) */
	TRACE_JOINED,		/* o ended and w's join returned */
	TRACE_JOIN_TIMEOUT,	/* w's join on o timed out; o still runs */

	/* Pools (o = pool object). */
	TRACE_TASK_BEGIN,	/* w runs task a0 of pool o */
	TRACE_TASK_END,		/* w finished task a1 with result a0 */

	/* Run control, emitted by the runner (w = TRACE_NO_WORKER). */
	TRACE_RUN_BEGIN,	/* a0 = number of workers */
	TRACE_RUN_END,		/* a0 = 0 all ended, 1 stopped by the front end */

	/* Added after the run control (trace files keep their numbers). */
	TRACE_CHAN_TIMEOUT,	/* w gave up waiting to get from o (a
				   `get Q timeout D`); its CHAN_GET_WAIT's
				   a0 was the timeout */

	TRACE_TYPE_COUNT
};

/* What an event's object field names. */
enum trace_refers {
	TRACE_REFERS_NOTHING,	/* the field is unused */
	TRACE_REFERS_OBJECT,	/* an object of the meta */
	TRACE_REFERS_WORKER	/* another worker (start, join) */
};

const char	*trace_event_name(enum trace_type);
enum trace_refers trace_event_refers(enum trace_type);

#endif
