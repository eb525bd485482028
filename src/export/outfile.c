/*
 * export/outfile.c: writing an output file safely (outfile.h has the
 * rules).
 *
 * The target is looked at with lstat(2) first: a symbolic link, a
 * directory, a socket or a block device is refused; a character device
 * or a FIFO is opened for writing as it is (O_NOFOLLOW, no O_CREAT, no
 * O_TRUNC) and checked again with fstat(2) to be the same node; a regular
 * file or a missing name gets its content in an unnamed O_TMPFILE file in
 * the same directory. Commit links that file to the final name when the
 * name is free (linkat through /proc/self/fd: no temporary name at all),
 * or to a random "NAME.tmpXXXXXX" then renamed over the old file, which
 * leaves only that two-call window for a name to exist.
 *
 * Temporary names (that window, or the fallback without O_TMPFILE) are
 * kept in a small fixed table read by the signal handler, which unlinks
 * them and re-raises; only this process's names (a forked child that
 * inherits the handler leaves them alone).
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/outfile.h"
#include "util/xmalloc.h"

#define OUTFILE_SLOTS	8

struct outfile {
	char		*path;		/* as named */
	char		*tmppath;	/* a temporary name, or NULL */
	int		 slot;		/* its signal table slot, or -1 */
	int		 fd;
	int		 through;	/* device or FIFO, written as is */
	int		 unnamed;	/* O_TMPFILE: no name yet */
	int		 existing;	/* a regular file is replaced */
	int		 committed;
};

static char			 outfile_names[OUTFILE_SLOTS][PATH_MAX];
static volatile sig_atomic_t	 outfile_used[OUTFILE_SLOTS];
static pid_t			 outfile_pid;
static int			 outfile_handlers;

static const int outfile_sigs[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
	SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF
};

void
outfile_signal_cleanup(void)
{
	int	i;

	if (getpid() != outfile_pid)
		return;
	for (i = 0; i < OUTFILE_SLOTS; i++) {
		if (outfile_used[i]) {
			unlink(outfile_names[i]);
			outfile_used[i] = 0;
		}
	}
}

static void
outfile_on_signal(int sig)
{
	int	saved = errno;

	outfile_signal_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved;
}

/* Handlers for the fatal signals still at their default: installed once,
   they do nothing but re-raise while no name is registered. */
static void
outfile_install(void)
{
	struct sigaction	sa, old;
	size_t			i;

	if (outfile_handlers)
		return;
	outfile_handlers = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = outfile_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof outfile_sigs / sizeof outfile_sigs[0]; i++) {
		if (sigaction(outfile_sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_DFL)
			sigaction(outfile_sigs[i], &sa, NULL);
	}
}

/* Note a temporary name for the handler; -1 if the table is full (the
   name is then only removed on the ordinary paths). */
static int
outfile_register(const char *name)
{
	int	i;

	outfile_install();
	outfile_pid = getpid();
	if (strlen(name) >= PATH_MAX)
		return (-1);
	for (i = 0; i < OUTFILE_SLOTS; i++) {
		if (!outfile_used[i]) {
			memcpy(outfile_names[i], name, strlen(name) + 1);
			outfile_used[i] = 1;
			return (i);
		}
	}
	return (-1);
}

static void
outfile_unregister(int slot)
{
	if (slot >= 0 && slot < OUTFILE_SLOTS)
		outfile_used[slot] = 0;
}

static mode_t
outfile_umask(void)
{
	mode_t	m = umask(022);

	umask(m);
	return (m);
}

/* A fresh random "PATH.tmpXXXXXX" (not created). */
static char *
outfile_tmpname(const char *path)
{
	static const char	 set[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char		 r[6];
	char			*s;
	size_t			 i, n;

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		for (i = 0; i < sizeof r; i++)
			r[i] = (unsigned char)(rand() ^ getpid());
	}
	xasprintf(&s, "%s.tmpXXXXXX", path);
	n = strlen(s);
	for (i = 0; i < sizeof r; i++)
		s[n - 6 + i] = set[r[i] % (sizeof set - 1)];
	return (s);
}

static struct outfile *
outfile_fail(struct outfile *o, char **cause, const char *why)
{
	xasprintf(cause, "%s: %s", o->path, why);
	outfile_free(o);
	return (NULL);
}

/* Write through a device or FIFO the user named (follow: through a
   symbolic link to one, as /dev/stdout is). */
static struct outfile *
outfile_open_through(struct outfile *o, const struct stat *st, int flags,
    int follow, char **cause)
{
	struct stat	now;

	o->through = 1;
	o->fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC |
	    (follow ? 0 : O_NOFOLLOW));
	if (o->fd == -1)
		return (outfile_fail(o, cause, strerror(errno)));
	if (fstat(o->fd, &now) != 0)
		return (outfile_fail(o, cause, strerror(errno)));
	if (now.st_dev != st->st_dev || now.st_ino != st->st_ino ||
	    (now.st_mode & S_IFMT) != (st->st_mode & S_IFMT))
		return (outfile_fail(o, cause, "changed while opening it"));
	if ((flags & OUTFILE_SEEKABLE) && lseek(o->fd, 0, SEEK_CUR) == -1)
		return (outfile_fail(o, cause, "a trace file needs a regular "
		    "file (or /dev/null), not a pipe or terminal"));
	return (o);
}

struct outfile *
outfile_open(const char *path, int flags, char **cause)
{
	struct outfile	*o;
	struct stat	 st, to;
	char		*copy, *dir;
	mode_t		 mode;

	o = xcalloc(1, sizeof *o);
	o->path = xstrdup(path);
	o->fd = -1;
	o->slot = -1;
	if (*path == '\0')
		return (outfile_fail(o, cause, "empty file name"));
	if (lstat(path, &st) == 0) {
		/* A link to a device or FIFO (/dev/stdout on a pipe or a
		   terminal) is written through: nothing is replaced. A link
		   to anything else is refused: replacing it, or the file it
		   names, is what a planted link in a shared directory wants. */
		if (S_ISLNK(st.st_mode) && stat(path, &to) == 0 &&
		    (S_ISCHR(to.st_mode) || S_ISFIFO(to.st_mode)))
			return (outfile_open_through(o, &to, flags, 1, cause));
		if (S_ISLNK(st.st_mode))
			return (outfile_fail(o, cause, "is a symbolic link "
			    "(refused: name the file it points to, or use "
			    "-o - for standard output)"));
		if (S_ISDIR(st.st_mode))
			return (outfile_fail(o, cause, "is a directory"));
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
			return (outfile_open_through(o, &st, flags, 0, cause));
		if (!S_ISREG(st.st_mode))
			return (outfile_fail(o, cause, "not a regular file "
			    "(a socket or block device): refused"));
		o->existing = 1;
		mode = st.st_mode & 07777;
	} else if (errno != ENOENT)
		return (outfile_fail(o, cause, strerror(errno)));
	else
		mode = 0666 & ~outfile_umask();

	copy = xstrdup(path);
	dir = dirname(copy);
	o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	free(copy);
	if (o->fd != -1 && access("/proc/self/fd", X_OK) == 0)
		o->unnamed = 1;
	else {
		if (o->fd != -1) {
			close(o->fd);
			o->fd = -1;
		}
		o->tmppath = outfile_tmpname(path);
		o->slot = outfile_register(o->tmppath);
		o->fd = open(o->tmppath, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (o->fd == -1) {
			outfile_unregister(o->slot);
			o->slot = -1;
			free(o->tmppath);
			o->tmppath = NULL;
			return (outfile_fail(o, cause, strerror(errno)));
		}
	}
	if (fchmod(o->fd, mode) != 0)
		return (outfile_fail(o, cause, strerror(errno)));
	if (o->existing && geteuid() == 0)
		(void)fchown(o->fd, st.st_uid, st.st_gid);
	return (o);
}

int
outfile_fd(const struct outfile *o)
{
	return (o->fd);
}

/* Link the unnamed file to name; 0 or -1 with errno. */
static int
outfile_link(int fd, const char *name)
{
	char	proc[64];

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW));
}

static int
outfile_error(struct outfile *o, char **cause, const char *what, int error)
{
	xasprintf(cause, "%s: %s: %s", o->path, what, strerror(error));
	return (-1);
}

int
outfile_commit(struct outfile *o, char **cause)
{
	char	*copy;
	int	 fd, dfd, i;

	fd = o->fd;
	o->fd = -1;
	if (o->through) {
		if (close(fd) != 0)
			return (outfile_error(o, cause, "close", errno));
		o->committed = 1;
		return (0);
	}
	if (fsync(fd) != 0) {
		close(fd);
		return (outfile_error(o, cause, "fsync", errno));
	}
	if (o->unnamed) {
		/* A free name: link straight to it. */
		if (!o->existing && outfile_link(fd, o->path) == 0)
			goto done;
		if (!o->existing && errno != EEXIST) {
			close(fd);
			return (outfile_error(o, cause, "link", errno));
		}
		for (i = 0; i < 100; i++) {
			o->tmppath = outfile_tmpname(o->path);
			o->slot = outfile_register(o->tmppath);
			if (outfile_link(fd, o->tmppath) == 0)
				break;
			outfile_unregister(o->slot);
			o->slot = -1;
			free(o->tmppath);
			o->tmppath = NULL;
			if (errno != EEXIST) {
				close(fd);
				return (outfile_error(o, cause, "link",
				    errno));
			}
		}
		if (o->tmppath == NULL) {
			close(fd);
			return (outfile_error(o, cause, "link", EEXIST));
		}
	}
	if (rename(o->tmppath, o->path) != 0) {
		close(fd);
		return (outfile_error(o, cause, "rename", errno));
	}
	outfile_unregister(o->slot);
	o->slot = -1;
	free(o->tmppath);
	o->tmppath = NULL;
done:
	if (close(fd) != 0)
		return (outfile_error(o, cause, "close", errno));
	o->committed = 1;
	/* Make the new name itself durable. */
	copy = xstrdup(o->path);
	if ((dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(copy);
	return (0);
}

void
outfile_free(struct outfile *o)
{
	if (o == NULL)
		return;
	if (o->fd != -1)
		close(o->fd);
	if (o->tmppath != NULL)
		unlink(o->tmppath);
	outfile_unregister(o->slot);
	free(o->tmppath);
	free(o->path);
	free(o);
}
