/*
 * sync/futex.h: the futex calls every shared wait in lockstep is built on.
 *
 * Gates, join words, deferred starts and the runner's wake-up word all live
 * in the run's shared arena (MAP_SHARED, inherited over fork), so the calls
 * use the shared (not _PRIVATE) futex operations: a waiter in one process is
 * woken by a store plus wake in another. Waits re-check their word, so a
 * wake-up that raced with the caller's check is never lost.
 */
#ifndef LOCKSTEP_SYNC_FUTEX_H
#define LOCKSTEP_SYNC_FUTEX_H

#include <stdint.h>

/* Sleep while *word == val, at most timeout_ns (< 0: forever). Returns 0
   when woken (or the value differed), 1 on timeout; EINTR counts as a
   wake-up (the caller re-checks). */
int	sync_futex_wait(uint32_t *word, uint32_t val, int64_t timeout_ns);
/* Wake up to n waiters on word (INT32_MAX: all). */
void	sync_futex_wake(uint32_t *word, int n);
/* Monotonic clock in nanoseconds. */
int64_t	sync_now_ns(void);

#endif
