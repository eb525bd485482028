/* tests/programs/closefds.c: closes every descriptor above stderr, as
   daemons do, then takes a lock. Under lockstep trace the close of the
   trace descriptors is refused and reported; the lock is still traced. */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t	after_close = PTHREAD_MUTEX_INITIALIZER;

int
main(void)
{
	int	fd;

	for (fd = 3; fd < 1024; fd++)
		close(fd);
	pthread_mutex_lock(&after_close);
	pthread_mutex_unlock(&after_close);
	return (0);
}
