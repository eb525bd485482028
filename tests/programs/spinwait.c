/* tests/programs/spinwait.c: a busy-wait hand-off. The waiter spins on a
   flag without calling anything the library wraps; the setter sleeps (a
   wrapped call, so a gate) and then sets the flag. Stepped one call at a
   time, the waiter never reaches a gate: the setter must be stepped
   beside it or the program never ends. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int	ready;
static int		data;

static void *
waiter(void *arg)
{
	(void)arg;
	while (!atomic_load(&ready))
		;
	printf("got %d\n", data);
	return (NULL);
}

static void *
setter(void *arg)
{
	(void)arg;
	usleep(1000);
	data = 42;
	atomic_store(&ready, 1);
	return (NULL);
}

int
main(void)
{
	pthread_t	t1, t2;

	pthread_create(&t1, NULL, waiter, NULL);
	pthread_create(&t2, NULL, setter, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	return (0);
}
