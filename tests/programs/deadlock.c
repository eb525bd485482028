/* tests/programs/deadlock.c: two threads take two locks in opposite
   order. Stepped so that each holds its first lock, they deadlock. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t	lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t	lock_b = PTHREAD_MUTEX_INITIALIZER;

static void *
transfer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	return (NULL);
}

static void *
refund(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
	return (NULL);
}

int
main(void)
{
	pthread_t	t1, t2;

	pthread_create(&t1, NULL, transfer, NULL);
	pthread_create(&t2, NULL, refund, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	puts("done");
	return (0);
}
