/*
 * trace/clock.c: choosing and calibrating the trace clock.
 *
 * Whether the TSC may stamp events is decided once per process from what
 * the kernel says: its current clocksource is "tsc" (it has checked that
 * the counters of all CPUs agree and never go back), or /proc/cpuinfo
 * lists constant_tsc and nonstop_tsc and the kernel still offers tsc as a
 * clocksource (it withdraws it when its watchdog finds the TSC unstable).
 * rdtscp is required in both cases (it orders the read after earlier
 * loads, see clock.h).
 *
 * Calibration, also once per process (children inherit it over fork):
 * take the tightest of a few (tick, CLOCK_MONOTONIC, tick) triples, wait
 * about 2 ms, take another, and derive ns per tick as a 32.32 fixed-point
 * multiplier. Sampling error is a few tens of ns over 2 ms, some 10 ppm.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace/clock.h"

#define CLOCK_CALIBRATE_NS	(2 * 1000 * 1000)
#define CLOCK_SAMPLES		7
#define CLOCK_SOURCE_DIR	"/sys/devices/system/clocksource/clocksource0"

static pthread_once_t	 clock_once = PTHREAD_ONCE_INIT;
static int		 clock_usable;
static struct trace_clock clock_tsc_cal;

/* Whether file's first line contains word (a whole word). */
static int
clock_file_has(const char *path, const char *prefix, const char *word)
{
	FILE		*f;
	char		 line[8192], *p, *save;
	int		 found = 0;

	if ((f = fopen(path, "r")) == NULL)
		return (0);
	while (!found && fgets(line, sizeof line, f) != NULL) {
		if (prefix != NULL && strncmp(line, prefix, strlen(prefix)) != 0)
			continue;
		for (p = strtok_r(line, " \t\n:", &save); p != NULL;
		    p = strtok_r(NULL, " \t\n:", &save)) {
			if (strcmp(p, word) == 0) {
				found = 1;
				break;
			}
		}
		if (prefix != NULL)
			break;	/* the first matching line is enough */
	}
	fclose(f);
	return (found);
}

static int
clock_detect(void)
{
#if defined(__x86_64__) || defined(__i386__)
	const char	*env = getenv("LOCKSTEP_CLOCK");

	if (env != NULL && strcmp(env, "monotonic") == 0)
		return (0);
	if (!clock_file_has("/proc/cpuinfo", "flags", "rdtscp"))
		return (0);
	if (clock_file_has(CLOCK_SOURCE_DIR "/current_clocksource", NULL, "tsc"))
		return (1);
	return (clock_file_has("/proc/cpuinfo", "flags", "constant_tsc") &&
	    clock_file_has("/proc/cpuinfo", "flags", "nonstop_tsc") &&
	    clock_file_has(CLOCK_SOURCE_DIR "/available_clocksource", NULL, "tsc"));
#else
	return (0);
#endif
}

/* The tightest (tick, ns) pair of a few tries: its tick is the midpoint
   of the two reads around clock_gettime. */
static void
clock_sample(uint64_t *tick, uint64_t *ns)
{
	uint64_t	a, b, m, best = UINT64_MAX;
	int		i;

	for (i = 0; i < CLOCK_SAMPLES; i++) {
		a = trace_clock_tsc();
		m = trace_clock_monotonic();
		b = trace_clock_tsc();
		if (b - a < best) {
			best = b - a;
			*tick = a + (b - a) / 2;
			*ns = m;
		}
	}
}

static void
clock_calibrate(void)
{
	struct timespec	 ts = { 0, CLOCK_CALIBRATE_NS };
	uint64_t	 t0, n0, t1, n1;

	clock_usable = clock_detect();
	if (!clock_usable)
		return;
	clock_sample(&t0, &n0);
	nanosleep(&ts, NULL);
	clock_sample(&t1, &n1);
	if (t1 <= t0 || n1 <= n0) {
		clock_usable = 0;
		return;
	}
	clock_tsc_cal.kind = TRACE_CLOCK_TSC;
	clock_tsc_cal.mult = (uint64_t)(((unsigned __int128)(n1 - n0) << 32) /
	    (t1 - t0));
	clock_tsc_cal.tick0 = t1;
	clock_tsc_cal.ns0 = n1;
}

int
trace_clock_tsc_usable(void)
{
	pthread_once(&clock_once, clock_calibrate);
	return (clock_usable);
}

void
trace_clock_init(struct trace_clock *c, enum trace_clock_kind kind)
{
	memset(c, 0, sizeof *c);
	if (kind == TRACE_CLOCK_TSC && trace_clock_tsc_usable()) {
		*c = clock_tsc_cal;
		return;
	}
	c->kind = kind == TRACE_CLOCK_EXTERNAL ? TRACE_CLOCK_EXTERNAL :
	    TRACE_CLOCK_MONOTONIC;
}

uint64_t
trace_clock_ns(const struct trace_clock *c, uint64_t stamp)
{
	uint64_t	d;

	if (c->kind != TRACE_CLOCK_TSC)
		return (stamp);
	if (stamp >= c->tick0) {
		d = (uint64_t)(((unsigned __int128)(stamp - c->tick0) *
		    c->mult) >> 32);
		return (c->ns0 + d);
	}
	d = (uint64_t)(((unsigned __int128)(c->tick0 - stamp) * c->mult) >> 32);
	return (d < c->ns0 ? c->ns0 - d : 0);
}

const char *
trace_clock_name(enum trace_clock_kind kind)
{
	switch (kind) {
	case TRACE_CLOCK_TSC:
		return ("tsc");
	case TRACE_CLOCK_EXTERNAL:
		return ("external");
	case TRACE_CLOCK_MONOTONIC:
		break;
	}
	return ("monotonic");
}
