/* tests/programs/semaphore.c: a producer and a consumer share a bounded
   buffer guarded by two semaphores (free slots, filled slots) and a
   mutex. `semaphore wrong` has the consumer take the mutex before waiting
   for a filled slot: on an empty buffer it waits holding the mutex the
   producer needs, and both stop for good. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>

#define SLOTS	4
#define ITEMS	10

static sem_t		free_slots, filled_slots;
static pthread_mutex_t	buf_lock = PTHREAD_MUTEX_INITIALIZER;
static int		buf[SLOTS], head, tail, wrong, total;

static void *
producer(void *arg)
{
	int	i;

	(void)arg;
	for (i = 1; i <= ITEMS; i++) {
		sem_wait(&free_slots);
		pthread_mutex_lock(&buf_lock);
		buf[tail] = i;
		tail = (tail + 1) % SLOTS;
		pthread_mutex_unlock(&buf_lock);
		sem_post(&filled_slots);
	}
	return (NULL);
}

static void *
consumer(void *arg)
{
	int	i;

	(void)arg;
	for (i = 0; i < ITEMS; i++) {
		if (wrong) {
			pthread_mutex_lock(&buf_lock);
			sem_wait(&filled_slots);
		} else {
			sem_wait(&filled_slots);
			pthread_mutex_lock(&buf_lock);
		}
		total += buf[head];
		head = (head + 1) % SLOTS;
		pthread_mutex_unlock(&buf_lock);
		sem_post(&free_slots);
	}
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t	p, c;

	wrong = argc > 1 && strcmp(argv[1], "wrong") == 0;
	sem_init(&free_slots, 0, SLOTS);
	sem_init(&filled_slots, 0, 0);
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	printf("total = %d (expected %d)\n", total, ITEMS * (ITEMS + 1) / 2);
	return (total == ITEMS * (ITEMS + 1) / 2 ? 0 : 1);
}
