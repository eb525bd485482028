/*
 * trace/event.c: names of event types, for logs, exports and tests.
 */
#include <stddef.h>

#include "trace/event.h"

static const char *const trace_event_names[TRACE_TYPE_COUNT] = {
	[TRACE_NONE] = "none",
	[TRACE_WORKER_START] = "worker-start",
	[TRACE_WORKER_END] = "worker-end",
	[TRACE_WORKER_CRASH] = "worker-crash",
	[TRACE_WORKER_KILLED] = "worker-killed",
	[TRACE_STEP] = "step",
	[TRACE_MICROSTEP] = "microstep",
	[TRACE_ERROR] = "error",
	[TRACE_PRINT] = "print",
	[TRACE_NOTE] = "note",
	[TRACE_LOCK_WAIT] = "lock-wait",
	[TRACE_LOCK_ACQUIRED] = "lock-acquired",
	[TRACE_LOCK_RELEASE] = "lock-release",
	[TRACE_LOCK_OWNER_DIED] = "lock-owner-died",
	[TRACE_LOCK_TIMEOUT] = "lock-timeout",
	[TRACE_SEM_WAIT] = "sem-wait",
	[TRACE_SEM_ACQUIRED] = "sem-acquired",
	[TRACE_SEM_RELEASE] = "sem-release",
	[TRACE_SEM_TIMEOUT] = "sem-timeout",
	[TRACE_COND_WAIT] = "cond-wait",
	[TRACE_COND_WOKEN] = "cond-woken",
	[TRACE_COND_NOTIFY] = "cond-notify",
	[TRACE_BARRIER_WAIT] = "barrier-wait",
	[TRACE_BARRIER_PASS] = "barrier-pass",
	[TRACE_CHAN_OPEN_WAIT] = "chan-open-wait",
	[TRACE_CHAN_OPEN] = "chan-open",
	[TRACE_CHAN_PUT_WAIT] = "chan-put-wait",
	[TRACE_CHAN_PUT] = "chan-put",
	[TRACE_CHAN_GET_WAIT] = "chan-get-wait",
	[TRACE_CHAN_GET] = "chan-get",
	[TRACE_CHAN_CLOSE] = "chan-close",
	[TRACE_CHAN_EOF] = "chan-eof",
	[TRACE_CHAN_TIMEOUT] = "chan-timeout",
	[TRACE_SHARED_LOAD] = "shared-load",
	[TRACE_SHARED_STORE] = "shared-store",
	[TRACE_SHARED_ADD] = "shared-add",
	[TRACE_LOCAL_SET] = "local-set",
	[TRACE_SLEEP] = "sleep",
	[TRACE_COMPUTE] = "compute",
	[TRACE_AWAKE] = "awake",
	[TRACE_START] = "start",
	[TRACE_JOIN_WAIT] = "join-wait",
	[TRACE_JOINED] = "joined",
	[TRACE_JOIN_TIMEOUT] = "join-timeout",
	[TRACE_TASK_BEGIN] = "task-begin",
	[TRACE_TASK_END] = "task-end",
	[TRACE_RUN_BEGIN] = "run-begin",
	[TRACE_RUN_END] = "run-end",
};

const char *
trace_event_name(enum trace_type type)
{
	if ((unsigned)type >= TRACE_TYPE_COUNT || trace_event_names[type] == NULL)
		return ("unknown");
	return (trace_event_names[type]);
}

enum trace_refers
trace_event_refers(enum trace_type type)
{
	switch (type) {
	case TRACE_START:
	case TRACE_JOIN_WAIT:
	case TRACE_JOINED:
	case TRACE_JOIN_TIMEOUT:
		return (TRACE_REFERS_WORKER);
	case TRACE_NONE:
	case TRACE_WORKER_START:
	case TRACE_WORKER_END:
	case TRACE_WORKER_CRASH:
	case TRACE_WORKER_KILLED:
	case TRACE_STEP:
	case TRACE_MICROSTEP:
	case TRACE_ERROR:
	case TRACE_PRINT:
	case TRACE_NOTE:
	case TRACE_SLEEP:
	case TRACE_COMPUTE:
	case TRACE_AWAKE:
	case TRACE_RUN_BEGIN:
	case TRACE_RUN_END:
	case TRACE_TYPE_COUNT:
		return (TRACE_REFERS_NOTHING);
	default:
		return (TRACE_REFERS_OBJECT);
	}
}
