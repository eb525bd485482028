/* tests/programs/counter.c: two threads add to one counter, the classic
   lost update made visible by a sleep between the load and the store.
   `counter` races; `counter lock` holds a mutex around the update.
   Exits 1 when an update was lost, as a student's check would. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t	counter_lock = PTHREAD_MUTEX_INITIALIZER;
static int		counter;
static int		use_lock;

static void *
adder(void *arg)
{
	int	tmp;

	(void)arg;
	if (use_lock)
		pthread_mutex_lock(&counter_lock);
	tmp = counter;		/* load */
	usleep(1000);		/* the other thread may run here */
	counter = tmp + 1;	/* store */
	if (use_lock)
		pthread_mutex_unlock(&counter_lock);
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t	t1, t2;

	use_lock = argc > 1 && strcmp(argv[1], "lock") == 0;
	pthread_create(&t1, NULL, adder, NULL);
	pthread_create(&t2, NULL, adder, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("counter = %d (expected 2)\n", counter);
	return (counter == 2 ? 0 : 1);
}
