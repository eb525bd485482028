/*
 * sync/futex.c: shared futex wait / wake and the monotonic clock.
 *
 * FUTEX_WAIT takes a relative timeout; a caller that needs a deadline loops
 * and recomputes (see runtime/gate.c). The futex words are in MAP_SHARED
 * memory used by several processes, hence no FUTEX_PRIVATE_FLAG.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sync/futex.h"

int
sync_futex_wait(uint32_t *word, uint32_t val, int64_t timeout_ns)
{
	struct timespec	 ts, *tsp = NULL;
	long		 r;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tsp = &ts;
	}
	r = syscall(SYS_futex, word, FUTEX_WAIT, val, tsp, NULL, 0);
	if (r == -1 && errno == ETIMEDOUT)
		return (1);
	return (0);
}

void
sync_futex_wake(uint32_t *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
}

int64_t
sync_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}
