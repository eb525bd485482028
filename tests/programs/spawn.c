/* tests/programs/spawn.c: helper programs started without fork():
   system() and popen() (posix_spawn underneath) from a thread holding a
   mutex, then getchar() on stdin. The helpers are not the program's
   workers: the run ends with two workers, both done, and no verdict. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t	report_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
reporter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&report_lock);
	if (system("echo from-system") != 0)
		puts("system failed");
	pthread_mutex_unlock(&report_lock);
	return (NULL);
}

int
main(void)
{
	pthread_t	t;
	FILE		*p;
	char		 line[64];

	pthread_create(&t, NULL, reporter, NULL);
	pthread_join(t, NULL);
	if ((p = popen("echo from-popen", "r")) != NULL) {
		if (fgets(line, sizeof line, p) != NULL)
			fputs(line, stdout);
		pclose(p);
	}
	printf("stdin gives %d\n", getchar());
	return (0);
}
