/* tests/programs/c11.c: the same bugs written with C11 <threads.h>,
   whose glibc functions never pass through the pthread entry points.
   No argument: two threads take two mtx_t in opposite order (stepped so
   each holds its first, they deadlock). "cond": a consumer waits on a
   cnd_t in a while loop for the value a producer sets; the thread's int
   result comes back through thrd_join. */
#include <stdio.h>
#include <string.h>
#include <threads.h>

static mtx_t	lock_a, lock_b;
static cnd_t	ready;
static int	value;

static int
transfer(void *arg)
{
	(void)arg;
	mtx_lock(&lock_a);
	mtx_lock(&lock_b);
	mtx_unlock(&lock_b);
	mtx_unlock(&lock_a);
	return (1);
}

static int
refund(void *arg)
{
	(void)arg;
	mtx_lock(&lock_b);
	mtx_lock(&lock_a);
	mtx_unlock(&lock_a);
	mtx_unlock(&lock_b);
	return (2);
}

static int
producer(void *arg)
{
	(void)arg;
	mtx_lock(&lock_a);
	value = 42;
	cnd_signal(&ready);
	mtx_unlock(&lock_a);
	return (0);
}

static int
consumer(void *arg)
{
	int	v;

	(void)arg;
	mtx_lock(&lock_a);
	while (value == 0)
		cnd_wait(&ready, &lock_a);
	v = value;
	mtx_unlock(&lock_a);
	return (v);
}

int
main(int argc, char **argv)
{
	thrd_t	t1, t2;
	int	r1 = -1, r2 = -1, cond = argc > 1 && strcmp(argv[1], "cond") == 0;

	mtx_init(&lock_a, mtx_plain);
	mtx_init(&lock_b, mtx_plain);
	cnd_init(&ready);
	if (thrd_create(&t1, cond ? consumer : transfer, NULL) != thrd_success ||
	    thrd_create(&t2, cond ? producer : refund, NULL) != thrd_success)
		return (3);
	thrd_join(t1, &r1);
	thrd_join(t2, &r2);
	printf("results %d %d\n", r1, r2);
	return (0);
}
