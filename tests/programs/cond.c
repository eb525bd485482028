/* tests/programs/cond.c: one thread waits for a signal, another sends it.
   `cond bare` waits with no predicate and no loop: if the signal comes
   first, it is lost and the waiter sleeps forever (a stall). `cond while`
   checks a flag in a while loop: correct in every interleaving. */
#include <pthread.h>
#include <string.h>

static pthread_mutex_t	m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	ready_cv = PTHREAD_COND_INITIALIZER;
static int		ready;
static int		use_while;

static void *
waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	if (use_while) {
		while (!ready)
			pthread_cond_wait(&ready_cv, &m);
	} else
		pthread_cond_wait(&ready_cv, &m);
	pthread_mutex_unlock(&m);
	return (NULL);
}

static void *
signaller(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	ready = 1;
	pthread_cond_signal(&ready_cv);
	pthread_mutex_unlock(&m);
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t	w, s;

	use_while = argc > 1 && strcmp(argv[1], "while") == 0;
	pthread_create(&w, NULL, waiter, NULL);
	pthread_create(&s, NULL, signaller, NULL);
	pthread_join(w, NULL);
	pthread_join(s, NULL);
	return (0);
}
