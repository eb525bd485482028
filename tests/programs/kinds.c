/* tests/programs/kinds.c: one of every other traced kind, used correctly:
   a recursive mutex taken twice, a robust mutex whose owner dies (the
   next locker gets EOWNERDEAD and makes it consistent), an error-checking
   mutex relocked by its owner (EDEADLK, not a hang), a rwlock, a barrier,
   a timed lock that times out, and a named semaphore shared with a
   forked child. Exits non-zero if any call misbehaves under the tracer. */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t		rec_lock, robust_lock, check_lock;
static pthread_mutex_t		held_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t		table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t	start_line;
static int			fails;

static void
expect(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "kinds: %s\n", what);
		fails++;
	}
}

static void *
dies_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust_lock);
	return (NULL);		/* ends without unlocking */
}

static void *
racer(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start_line);
	pthread_rwlock_rdlock(&table_lock);
	pthread_rwlock_unlock(&table_lock);
	pthread_rwlock_wrlock(&table_lock);
	pthread_rwlock_unlock(&table_lock);
	return (NULL);
}

int
main(void)
{
	pthread_mutexattr_t	a;
	pthread_t		t[2];
	struct timespec		ts;
	sem_t			*s;
	pid_t			pid;
	char			name[64];
	int			st;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec_lock, &a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&check_lock, &a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust_lock, &a);

	expect(pthread_mutex_lock(&rec_lock) == 0, "recursive lock 1");
	expect(pthread_mutex_lock(&rec_lock) == 0, "recursive lock 2");
	pthread_mutex_unlock(&rec_lock);
	pthread_mutex_unlock(&rec_lock);

	pthread_mutex_lock(&check_lock);
	expect(pthread_mutex_lock(&check_lock) == EDEADLK, "errorcheck");
	pthread_mutex_unlock(&check_lock);

	pthread_create(&t[0], NULL, dies_holding, NULL);
	pthread_join(t[0], NULL);
	if (pthread_mutex_lock(&robust_lock) == EOWNERDEAD)
		pthread_mutex_consistent(&robust_lock);
	else
		expect(0, "robust: no EOWNERDEAD");
	pthread_mutex_unlock(&robust_lock);

	pthread_mutex_lock(&held_lock);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	expect(pthread_mutex_trylock(&held_lock) == EBUSY, "trylock");
	pthread_mutex_unlock(&held_lock);
	expect(pthread_mutex_timedlock(&held_lock, &ts) == 0, "timedlock");
	pthread_mutex_unlock(&held_lock);

	pthread_barrier_init(&start_line, NULL, 2);
	pthread_create(&t[0], NULL, racer, NULL);
	pthread_create(&t[1], NULL, racer, NULL);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);

	snprintf(name, sizeof name, "/lockstep-kinds-%d", (int)getpid());
	s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	expect(s != SEM_FAILED, "sem_open");
	if (s != SEM_FAILED) {
		sem_unlink(name);
		pid = fork();
		if (pid == 0) {
			sem_post(s);
			exit(0);
		}
		expect(sem_wait(s) == 0, "sem_wait");
		expect(waitpid(pid, &st, 0) == pid && WIFEXITED(st),
		    "waitpid");
		sem_close(s);
	}
	return (fails == 0 ? 0 : 1);
}
