/* tests/programs/mqueue.c: a POSIX message queue of two slots between a
   parent and the child it forks. The parent sends 1..5 (waiting while
   the queue is full), the child receives five and prints their sum.
   "nosend": the parent sends nothing and waits for the child, who waits
   on the empty queue: neither can go on. Exits 77 where the system has
   no message queues. */
#include <sys/wait.h>

#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct mq_attr	attr = { .mq_maxmsg = 2, .mq_msgsize = sizeof(int) };
	char		name[64];
	mqd_t		jobs;
	pid_t		pid;
	int		i, v, sum = 0, send = !(argc > 1 &&
			    strcmp(argv[1], "nosend") == 0);

	snprintf(name, sizeof name, "/lockstep-test-%d", (int)getpid());
	jobs = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	if (jobs == (mqd_t)-1) {
		perror("mq_open");
		return (77);
	}
	mq_unlink(name);
	if ((pid = fork()) == 0) {
		for (i = 0; i < 5; i++) {
			mq_receive(jobs, (char *)&v, sizeof v, NULL);
			sum += v;
		}
		printf("sum = %d\n", sum);
		return (0);
	}
	for (i = 1; send && i <= 5; i++)
		mq_send(jobs, (const char *)&i, sizeof i, 0);
	waitpid(pid, NULL, 0);
	mq_close(jobs);
	return (0);
}
