/* tests/programs/fork-pipe.c: a parent sends numbers to a forked child
   through a pipe, closes its end and waits; the child adds them up until
   end-of-file. `fork-pipe noclose`: the child forgets to close its own
   copy of the write end, so end-of-file never comes: the child waits for
   a writer that is itself, the parent waits for the child. */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int	fds[2], i, n, sum = 0, status, noclose;
	pid_t	pid;

	noclose = argc > 1 && strcmp(argv[1], "noclose") == 0;
	if (pipe(fds) != 0)
		return (2);
	pid = fork();
	if (pid == 0) {
		if (!noclose)
			close(fds[1]);
		while (read(fds[0], &n, sizeof n) == (ssize_t)sizeof n)
			sum += n;
		exit(sum == 55 ? 0 : 1);
	}
	close(fds[0]);
	for (i = 1; i <= 10; i++)
		write(fds[1], &i, sizeof i);
	close(fds[1]);
	waitpid(pid, &status, 0);
	printf("child: %d\n", WEXITSTATUS(status));
	return (WEXITSTATUS(status));
}
