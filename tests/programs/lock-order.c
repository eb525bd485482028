/* tests/programs/lock-order.c: one thread takes A then B, a later one
   B then A. They never overlap (the second starts after the first was
   joined), so this run cannot deadlock, but another interleaving could:
   the lock-order inversion lockdep would report. `lock-order same` takes
   both in the same order: nothing to report. */
#include <pthread.h>
#include <string.h>

static pthread_mutex_t	lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t	lock_b = PTHREAD_MUTEX_INITIALIZER;
static int		same_order;

static void *
forward(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	return (NULL);
}

static void *
backward(void *arg)
{
	pthread_mutex_t	*first = same_order ? &lock_a : &lock_b;
	pthread_mutex_t	*second = same_order ? &lock_b : &lock_a;

	(void)arg;
	pthread_mutex_lock(first);
	pthread_mutex_lock(second);
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t	t;

	same_order = argc > 1 && strcmp(argv[1], "same") == 0;
	pthread_create(&t, NULL, forward, NULL);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, backward, NULL);
	pthread_join(t, NULL);
	return (0);
}
