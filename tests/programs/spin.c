/* tests/programs/spin.c: two threads add to a counter under a
   pthread_spinlock_t. "twice": the first thread takes the spin lock again
   while holding it, spinning forever on itself. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_spinlock_t	counter_lock;
static int			counter, twice;

static void *
adder(void *arg)
{
	int	i;

	for (i = 0; i < 3; i++) {
		pthread_spin_lock(&counter_lock);
		if (twice && arg == NULL)
			pthread_spin_lock(&counter_lock);
		counter++;
		pthread_spin_unlock(&counter_lock);
	}
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t	t1, t2;

	twice = argc > 1 && strcmp(argv[1], "twice") == 0;
	pthread_spin_init(&counter_lock, PTHREAD_PROCESS_PRIVATE);
	pthread_create(&t1, NULL, adder, NULL);
	pthread_create(&t2, NULL, adder, &t1);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("counter = %d\n", counter);
	return (counter == 6 ? 0 : 1);
}
