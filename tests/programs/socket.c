/* tests/programs/socket.c: a server thread and a client thread talk over
   a loopback TCP connection: the client sends, the server echoes it.
   `socket both-wait` has each side wait to receive first: neither ever
   sends, and both wait for good. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_barrier_t	listening;
static int			port, both_wait;

static void *
server(void *arg)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	char			buf[64];
	ssize_t			n;
	int			s, c, one = 1;

	(void)arg;
	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(s, 1) != 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) != 0)
		return ((void *)1);
	port = ntohs(sa.sin_port);
	pthread_barrier_wait(&listening);
	c = accept(s, NULL, NULL);
	n = recv(c, buf, sizeof buf, 0);
	if (n > 0)
		send(c, buf, (size_t)n, 0);
	close(c);
	close(s);
	return (NULL);
}

static void *
client(void *arg)
{
	struct sockaddr_in	sa;
	char			buf[64];
	int			s;

	(void)arg;
	pthread_barrier_wait(&listening);
	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0)
		return ((void *)1);
	if (!both_wait)
		send(s, "hello", 5, 0);
	printf("echo: %zd bytes\n", recv(s, buf, sizeof buf, 0));
	close(s);
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t	a, b;

	both_wait = argc > 1 && strcmp(argv[1], "both-wait") == 0;
	pthread_barrier_init(&listening, NULL, 2);
	pthread_create(&a, NULL, server, NULL);
	pthread_create(&b, NULL, client, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return (0);
}
