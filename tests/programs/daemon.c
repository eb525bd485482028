/* tests/programs/daemon.c: main forks a child that leaves the process
   group (setsid) and forks a grandchild that sleeps for a minute, as a
   daemon does; main returns at once. Killing the program's process group
   does not reach the grandchild: lockstep must find it anyway. */
#include <sys/wait.h>

#include <unistd.h>

int
main(void)
{
	pid_t	pid;

	if ((pid = fork()) == 0) {
		setsid();
		if (fork() == 0) {
			sleep(60);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return (0);
}
