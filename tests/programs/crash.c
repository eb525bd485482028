/* tests/programs/crash.c: `crash` aborts while holding a lock (its status
   must be reported as a crash); `crash exec` forks a child that execs
   /bin/true, which rejoins the trace as the same worker. */
#include <sys/wait.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t	held = PTHREAD_MUTEX_INITIALIZER;

int
main(int argc, char **argv)
{
	pid_t	pid;
	int	status;

	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		pid = fork();
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	}
	pthread_mutex_lock(&held);
	abort();
}
