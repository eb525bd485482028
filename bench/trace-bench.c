/*
 * bench/trace-bench.c: what `lockstep trace` costs a real program per
 * wrapped call.
 *
 * The same binary is the workload and the driver. As the workload
 * (`trace-bench work N THREADS`) it locks and unlocks one mutex N times
 * in each of THREADS threads and prints the wall time per lock+unlock
 * pair, measured inside the program (start-up, the front end's set-up and
 * addr2line are not in it). As the driver it runs that workload untraced,
 * then under `lockstep trace --headless` (each traced pair is two gates,
 * so four events: two steps, acquired, released), for 1 and 2 threads,
 * several rounds each, and prints medians and the ratio traced/untraced.
 *
 * Usage: trace-bench [--rounds N] [--calls N] [LOCKSTEP]
 * LOCKSTEP defaults to src/lockstep (run from the build directory).
 */
#include <sys/wait.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t	bench_lock = PTHREAD_MUTEX_INITIALIZER;
static long		bench_calls;
static volatile long	bench_counter;

static uint64_t
bench_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

static void *
bench_worker(void *arg)
{
	long	i;

	(void)arg;
	for (i = 0; i < bench_calls; i++) {
		pthread_mutex_lock(&bench_lock);
		bench_counter++;
		pthread_mutex_unlock(&bench_lock);
	}
	return (NULL);
}

/* The workload: prints ns per lock+unlock pair on stdout. */
static int
bench_work(long calls, int threads)
{
	pthread_t	t[8];
	uint64_t	t0, t1;
	int		i;

	bench_calls = calls;
	t0 = bench_now_ns();
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, bench_worker, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	t1 = bench_now_ns();
	printf("%.1f\n", (double)(t1 - t0) / ((double)calls * threads));
	return (0);
}

/* Run the workload once, traced or not; ns per pair, or -1. */
static double
bench_once(const char *self, const char *lockstep, long calls, int threads,
    int traced)
{
	char	cmd[4096], path[] = "/tmp/trace-bench.XXXXXX";
	double	v = -1;
	FILE	*f;
	int	fd;

	if ((fd = mkstemp(path)) == -1)
		return (-1);
	close(fd);
	if (traced)
		snprintf(cmd, sizeof cmd, "'%s' trace --headless --timeout 0 "
		    "--stdout '%s' -- '%s' work %ld %d >/dev/null", lockstep,
		    path, self, calls, threads);
	else
		snprintf(cmd, sizeof cmd, "'%s' work %ld %d >'%s'", self,
		    calls, threads, path);
	if (system(cmd) == 0 && (f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%lf", &v) != 1)
			v = -1;
		fclose(f);
	}
	unlink(path);
	return (v);
}

static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

int
main(int argc, char **argv)
{
	const char	*lockstep = "src/lockstep";
	char		 self[4096];
	double		 plain[32], traced[32], mp, mt;
	long		 calls = 200000;
	int		 rounds = 5, threads, r, i;
	ssize_t		 n;

	if (argc == 4 && strcmp(argv[1], "work") == 0)
		return (bench_work(atol(argv[2]), atoi(argv[3])));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
			calls = atol(argv[++i]);
		else
			lockstep = argv[i];
	}
	if (rounds < 1 || rounds > 32 || calls < 1) {
		fprintf(stderr, "usage: trace-bench [--rounds 1-32] "
		    "[--calls N] [LOCKSTEP]\n");
		return (2);
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return (3);
	self[n] = '\0';

	printf("lock+unlock pairs, %ld per thread, median of %d rounds "
	    "(min..max)\n", calls, rounds);
	for (threads = 1; threads <= 2; threads++) {
		for (r = 0; r < rounds; r++) {
			plain[r] = bench_once(self, lockstep, calls, threads,
			    0);
			traced[r] = bench_once(self, lockstep, calls, threads,
			    1);
			if (plain[r] < 0 || traced[r] < 0) {
				fprintf(stderr, "trace-bench: a run failed "
				    "(is %s built?)\n", lockstep);
				return (3);
			}
		}
		qsort(plain, (size_t)rounds, sizeof *plain, bench_cmp);
		qsort(traced, (size_t)rounds, sizeof *traced, bench_cmp);
		mp = plain[rounds / 2];
		mt = traced[rounds / 2];
		printf("%d thread%s: untraced %8.1f ns (%.1f..%.1f)  traced "
		    "%8.1f ns (%.1f..%.1f)  ratio %.1fx  +%.0f ns/call\n",
		    threads, threads == 1 ? " " : "s", mp, plain[0],
		    plain[rounds - 1], mt, traced[0], traced[rounds - 1],
		    mt / mp, (mt - mp) / 2);
	}
	return (0);
}
