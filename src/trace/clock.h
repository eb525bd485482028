/*
 * trace/clock.h: the timestamp source of the trace ring.
 *
 * A ring set stamps events in its own unit, chosen once when the set is
 * laid out (struct trace_clock, kept in the set's read-only header):
 *
 *	TSC		raw time-stamp counter ticks (rdtscp), where the kernel
 *			says the TSC is stable and invariant; converted to
 *			nanoseconds by the consumer, off the emit path
 *	MONOTONIC	CLOCK_MONOTONIC nanoseconds (the vDSO): the fallback,
 *			and the only clock on other architectures
 *	EXTERNAL	nanoseconds the run gives (scenario time): a clock
 *			read loads a word of the set that the run advances
 *			(trace_ring_set_time()), or the caller passes stamps
 *
 * The TSC is calibrated once per process against CLOCK_MONOTONIC (two
 * tight samples about 2 ms apart); the conversion is then a multiply and
 * a shift, anchored so that converted stamps read as CLOCK_MONOTONIC
 * nanoseconds. doc/trace-ring.md explains why ordering stays exact across
 * threads and processes.
 */
#ifndef LOCKSTEP_TRACE_CLOCK_H
#define LOCKSTEP_TRACE_CLOCK_H

#include <stdint.h>
#include <time.h>

enum trace_clock_kind {
	TRACE_CLOCK_MONOTONIC,
	TRACE_CLOCK_TSC,
	TRACE_CLOCK_EXTERNAL
};

/* Stamp-to-nanosecond conversion: ns = ns0 + ((stamp - tick0) * mult)
   >> 32 for TSC, the identity otherwise. 32 bytes. */
struct trace_clock {
	uint32_t	kind;		/* enum trace_clock_kind */
	uint32_t	reserved;
	uint64_t	mult;		/* ns per tick, << 32 */
	uint64_t	tick0;		/* a tick at calibration ... */
	uint64_t	ns0;		/* ... and CLOCK_MONOTONIC then */
};

/* Fill c for the wanted kind: TSC falls back to MONOTONIC where the TSC
   is not usable or LOCKSTEP_CLOCK=monotonic is set in the environment. */
void		 trace_clock_init(struct trace_clock *, enum trace_clock_kind);
/* Whether this machine's TSC may stamp events (cached after the first
   call): x86, rdtscp, and the kernel's clocksource is tsc or the CPU
   flags say constant_tsc and nonstop_tsc with tsc still available. */
int		 trace_clock_tsc_usable(void);
/* A stamp in c's unit converted to nanoseconds. */
uint64_t	 trace_clock_ns(const struct trace_clock *, uint64_t);
const char	*trace_clock_name(enum trace_clock_kind);

/* CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t
trace_clock_monotonic(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

#if defined(__x86_64__) || defined(__i386__)
/* rdtscp waits until every earlier instruction has executed and every
   earlier load is globally visible, so a stamp is never taken before the
   acquire that preceded it. */
static inline uint64_t
trace_clock_tsc(void)
{
	uint32_t	lo, hi, aux;

	__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	(void)aux;
	return ((uint64_t)hi << 32 | lo);
}

/* rdtsc alone: about half of rdtscp here (10 ns against 20), but it may
   run ahead of earlier instructions, so it may read the counter a little
   early. Only for stamps that must not be later than what follows them
   (an event announcing an operation: a wait, a release, a step), never
   for one that must follow an acquire (trace/ring.c: fresh types). */
static inline uint64_t
trace_clock_tsc_early(void)
{
	uint32_t	lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32 | lo);
}

/* The same, and no later instruction (the consumer's head loads) starts
   before the counter was read. */
static inline uint64_t
trace_clock_tsc_fenced(void)
{
	uint64_t	t = trace_clock_tsc();

	__asm__ __volatile__("lfence" ::: "memory");
	return (t);
}
#else
static inline uint64_t
trace_clock_tsc(void)
{
	return (trace_clock_monotonic());
}

static inline uint64_t
trace_clock_tsc_early(void)
{
	return (trace_clock_monotonic());
}

static inline uint64_t
trace_clock_tsc_fenced(void)
{
	return (trace_clock_monotonic());
}
#endif

#endif
