/* tests/programs/rwlock.c: readers and a writer on a pthread_rwlock_t.
   No argument: two readers hold the read lock together while the writer
   waits for both; everyone finishes. "cycle": a reader holding the read
   lock waits for a mutex the writer holds while the writer waits for the
   read lock to be given back: a deadlock through a read lock. "upgrade":
   one thread holding a read lock asks for the write lock (waits for
   itself). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_rwlock_t	table = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t	log_lock = PTHREAD_MUTEX_INITIALIZER;
static int		mode, entries;

static void *
reader(void *arg)
{
	int	n;

	(void)arg;
	pthread_rwlock_rdlock(&table);
	n = entries;
	if (mode == 1) {
		pthread_mutex_lock(&log_lock);
		pthread_mutex_unlock(&log_lock);
	}
	if (mode == 2)
		pthread_rwlock_wrlock(&table);
	pthread_rwlock_unlock(&table);
	return ((void *)(long)n);
}

static void *
writer(void *arg)
{
	(void)arg;
	if (mode == 1)
		pthread_mutex_lock(&log_lock);
	pthread_rwlock_wrlock(&table);
	entries++;
	pthread_rwlock_unlock(&table);
	if (mode == 1)
		pthread_mutex_unlock(&log_lock);
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t	r1, r2, w;

	if (argc > 1)
		mode = strcmp(argv[1], "cycle") == 0 ? 1 :
		    strcmp(argv[1], "upgrade") == 0 ? 2 : 0;
	pthread_create(&r1, NULL, reader, NULL);
	pthread_create(&r2, NULL, reader, NULL);
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(r1, NULL);
	pthread_join(r2, NULL);
	pthread_join(w, NULL);
	printf("entries = %d\n", entries);
	return (0);
}
