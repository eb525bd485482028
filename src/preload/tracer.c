/*
 * preload/tracer.c: one traced program: shared memory, the program's
 * process group, the meta grown from the library's tables, call sites
 * turned into lines, the gates (preload/tracer.h).
 *
 * The front end creates one memfd holding the tables of preload/shm.h
 * and a trace ring set, forks, and in the child (its own process group,
 * killed if the front end dies) execs the program with LD_PRELOAD naming
 * the library and LOCKSTEP_TRACE_FD naming the memfd. The ring's wake-up
 * eventfd is moved to a high descriptor number that the program inherits
 * (the ring writes to that number in every producer). The library claims
 * table entries as threads, processes, objects and call sites appear;
 * tracer_grow_meta() turns ready entries into meta workers and objects,
 * named from the ELF symbol table (preload/elf.c); call sites become
 * lines with one addr2line run per batch of new sites.
 *
 * Ending, on every path: the whole process group is killed and reaped
 * (the front end is a child subreaper, so forked children orphaned by
 * the program come back to it), the workers that did not end are ended
 * by the front end's own ring (main with the program's status, the rest
 * killed), and the memfd, the only thing the run created, goes with the
 * last descriptor.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "preload/tracer.h"
#include "util/xmalloc.h"

#ifndef PKGLIBDIR
#define PKGLIBDIR	"/usr/local/lib/lockstep"
#endif
#define TRACER_BATCH		4096
#define TRACER_FD_MIN		990

static volatile sig_atomic_t	 tracer_pgid;

uint64_t
tracer_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}
static void
tracer_on_signal(int sig)
{
	if (tracer_pgid > 0)
		kill(-tracer_pgid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}
/* PROGRAM as execvp() would find it. */
char *
tracer_find_program(const char *name)
{
	const char	*path, *p, *colon;
	char		*cand;
	size_t		 len;

	if (strchr(name, '/') != NULL)
		return (xstrdup(name));
	path = getenv("PATH");
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; ; p = colon + 1) {
		colon = strchr(p, ':');
		len = colon != NULL ? (size_t)(colon - p) : strlen(p);
		xasprintf(&cand, "%.*s/%s", (int)len, len > 0 ? p : ".",
		    name);
		if (access(cand, X_OK) == 0)
			return (cand);
		free(cand);
		if (colon == NULL)
			return (NULL);
	}
}
/* The library: $LOCKSTEP_PRELOAD, next to this binary (an uninstalled
   build), else the installed one in $(pkglibdir). */
char *
tracer_find_library(void)
{
	const char	*env = getenv("LOCKSTEP_PRELOAD");
	char		 self[PATH_MAX], *slash, *cand;
	ssize_t		 n;

	if (env != NULL && *env != '\0')
		return (realpath(env, NULL));
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			xasprintf(&cand, "%s/%s", self, TRACER_LIB);
			if (access(cand, R_OK) == 0)
				return (cand);
			free(cand);
		}
	}
	xasprintf(&cand, "%s/%s", PKGLIBDIR, TRACER_LIB);
	if (access(cand, R_OK) == 0)
		return (cand);
	free(cand);
	return (NULL);
}
static struct tracer_module *
tracer_module(struct tracer *t, const char *path)
{
	struct tracer_module	*m;
	char			*cause = NULL;
	size_t			 i;

	if (path[0] == '\0')
		return (NULL);
	for (i = 0; i < t->nmods; i++) {
		if (strcmp(t->mods[i].path, path) == 0)
			return (&t->mods[i]);
	}
	t->mods = xreallocarray(t->mods, t->nmods + 1, sizeof *t->mods);
	m = &t->mods[t->nmods++];
	m->path = xstrdup(path);
	m->elf = preload_elf_open(path, &cause);
	free(cause);
	return (m);
}
/* Lines of every ready site not resolved yet: one addr2line per module. */
static void
tracer_resolve_sites(struct tracer *t)
{
	struct preload_site	*s;
	struct tracer_module	*m;
	char			**argv, buf[4096], *colon;
	size_t			 i, j, n, nargs, *which;
	int			 fds[2];
	pid_t			 pid;
	FILE			*f;

	for (i = 0; i < PRELOAD_MAX_SITES; i++) {
		s = &t->shm->sites[i];
		if (t->site_line[i] != 0 || !atomic_load((_Atomic uint32_t *)
		    &s->ready))
			continue;
		m = tracer_module(t, s->file);
		if (m == NULL || m->elf == NULL) {
			t->site_line[i] = -1;
			continue;
		}
		/* Every unresolved site of the same module, at once. */
		argv = xcalloc(PRELOAD_MAX_SITES + 4, sizeof *argv);
		which = xcalloc(PRELOAD_MAX_SITES, sizeof *which);
		argv[0] = xstrdup("addr2line");
		argv[1] = xstrdup("-e");
		argv[2] = xstrdup(m->path);
		nargs = 3;
		for (j = i, n = 0; j < PRELOAD_MAX_SITES; j++) {
			s = &t->shm->sites[j];
			if (t->site_line[j] != 0 || !atomic_load((_Atomic
			    uint32_t *)&s->ready) || strcmp(s->file, m->path))
				continue;
			xasprintf(&argv[nargs++], "0x%" PRIx64,
			    preload_elf_vaddr(m->elf, s->rel));
			which[n++] = j;
			t->site_line[j] = -1;
		}
		if (pipe2(fds, O_CLOEXEC) == 0) {
			pid = fork();
			if (pid == 0) {
				dup2(fds[1], 1);
				execvp("addr2line", argv);
				_exit(127);
			}
			close(fds[1]);
			f = fdopen(fds[0], "r");
			for (j = 0; f != NULL && j < n &&
			    fgets(buf, sizeof buf, f) != NULL; j++) {
				buf[strcspn(buf, " \n")] = '\0';
				colon = strrchr(buf, ':');
				if (colon != NULL && atoi(colon + 1) > 0)
					t->site_line[which[j]] =
					    atoi(colon + 1);
			}
			if (f != NULL)
				fclose(f);
			else
				close(fds[0]);
			if (pid > 0)
				waitpid(pid, NULL, 0);
		}
		for (j = 0; j < nargs; j++)
			free(argv[j]);
		free(argv);
		free(which);
	}
}
static int
tracer_site_line(struct tracer *t, int64_t site)
{
	if (site < 0 || site >= PRELOAD_MAX_SITES)
		return (0);
	if (t->site_line[site] == 0)
		tracer_resolve_sites(t);
	return (t->site_line[site] > 0 ? t->site_line[site] : 0);
}
/* name, or name.2, name.3 ... if name is taken. */
static char *
tracer_unique(struct tracer *t, const char *name, int object)
{
	char	*s;
	int	 n;

	s = xstrdup(name);
	for (n = 2; object ? trace_meta_find_object(&t->meta, s) >= 0 :
	    trace_meta_find_worker(&t->meta, s) >= 0; n++) {
		free(s);
		xasprintf(&s, "%s.%d", name, n);
	}
	return (s);
}
static void
tracer_add_worker(struct tracer *t, uint32_t i)
{
	struct preload_worker		*pw = &t->shm->workers[i];
	struct trace_meta_worker	 mw;
	struct tracer_module		*m;
	const char			*sym = NULL;
	uint64_t			 off, size;
	char				*name;

	memset(&mw, 0, sizeof mw);
	mw.pool = TRACE_NO_OBJECT;
	switch (pw->kind) {
	case PRELOAD_W_MAIN:
		mw.kind = i == 0 ? TRACE_WORKER_MAIN : TRACE_WORKER_PROCESS;
		sym = "main";
		break;
	case PRELOAD_W_THREAD:
		mw.kind = TRACE_WORKER_THREAD;
		if ((m = tracer_module(t, pw->file)) != NULL && m->elf != NULL)
			sym = preload_elf_symbol(m->elf, pw->start_rel, &off,
			    &size);
		if (sym == NULL)
			sym = "thread";
		break;
	default:
		mw.kind = TRACE_WORKER_PROCESS;
		sym = "child";
		break;
	}
	name = tracer_unique(t, sym, 0);
	mw.name = name;
	trace_meta_add_worker(&t->meta, &mw);
	free(name);
}
static size_t
tracer_kind_size(enum trace_obj_kind k, uint32_t flags)
{
	if (flags & PRELOAD_OBJF_RWLOCK)
		return (sizeof(pthread_rwlock_t));
	if (flags & PRELOAD_OBJF_SPIN)
		return (sizeof(pthread_spinlock_t));
	switch (k) {
	case TRACE_OBJ_MUTEX:
	case TRACE_OBJ_RLOCK:
		return (sizeof(pthread_mutex_t));
	case TRACE_OBJ_CONDITION:
		return (sizeof(pthread_cond_t));
	case TRACE_OBJ_BARRIER:
		return (sizeof(pthread_barrier_t));
	default:
		return (32);
	}
}
static void
tracer_add_object(struct tracer *t, uint32_t i)
{
	struct preload_object		*po = &t->shm->objects[i];
	struct trace_meta_object	 mo;
	struct tracer_module		*m;
	const char			*sym = NULL;
	uint64_t			 off = 0, size = 0, each;
	char				*name;
	int				 line;

	memset(&mo, 0, sizeof mo);
	mo.kind = po->kind < TRACE_OBJ_KIND_COUNT ? po->kind :
	    TRACE_OBJ_MUTEX;
	mo.capacity = po->capacity;
	mo.initial = po->capacity;
	mo.lock = TRACE_NO_OBJECT;
	line = tracer_site_line(t, po->site);
	mo.line = line;
	if (!(po->flags & PRELOAD_OBJF_HEAP) &&
	    (m = tracer_module(t, po->file)) != NULL && m->elf != NULL)
		sym = preload_elf_symbol(m->elf, po->rel, &off, &size);
	each = tracer_kind_size(mo.kind, po->flags);
	if (po->flags & PRELOAD_OBJF_RWLOCK)
		mo.flags |= TRACE_OBJF_RWLOCK;
	if (po->flags & PRELOAD_OBJF_SPIN)
		mo.flags |= TRACE_OBJF_SPIN;
	if (po->name[0] != '\0')
		name = xstrdup(po->name);
	else if (sym != NULL && off == 0 && size < 2 * each)
		name = xstrdup(sym);
	else if (sym != NULL && off % each == 0)
		xasprintf(&name, "%s[%" PRIu64 "]", sym, off / each);
	else if (sym != NULL)
		xasprintf(&name, "%s+%" PRIu64, sym, off);
	else if (po->addr != 0)
		xasprintf(&name, "%s@0x%" PRIx64 "%s%.0d",
		    trace_obj_label(&mo), po->addr, line > 0 ?
		    ":" : "", line);
	else
		xasprintf(&name, "%s%s%.0d", trace_obj_label(&mo),
		    line > 0 ? "@" : "", line);
	mo.name = tracer_unique(t, name, 1);
	free(name);
	trace_meta_add_object(&t->meta, &mo);
	free(mo.name);
}
/* Whether the library has finished entries the meta does not have. */
static int
tracer_can_grow(const struct tracer *t)
{
	uint32_t	nw, no;

	nw = atomic_load((_Atomic uint32_t *)&t->shm->hdr.nworkers);
	no = atomic_load((_Atomic uint32_t *)&t->shm->hdr.nobjects);
	return ((t->meta.nworkers < nw && t->meta.nworkers <
	    PRELOAD_MAX_WORKERS && atomic_load((_Atomic uint32_t *)
	    &t->shm->workers[t->meta.nworkers].ready)) ||
	    (t->meta.nobjects < no && t->meta.nobjects < PRELOAD_MAX_OBJECTS
	    && atomic_load((_Atomic uint32_t *)
	    &t->shm->objects[t->meta.nobjects].ready)));
}
void
tracer_grow_meta(struct tracer *t)
{
	while (tracer_can_grow(t)) {
		if (t->meta.nworkers < atomic_load((_Atomic uint32_t *)
		    &t->shm->hdr.nworkers) && t->meta.nworkers <
		    PRELOAD_MAX_WORKERS && t->shm->workers[
		    t->meta.nworkers].ready)
			tracer_add_worker(t, (uint32_t)t->meta.nworkers);
		else
			tracer_add_object(t, (uint32_t)t->meta.nobjects);
	}
}

/* Whether the meta has every worker and object ev names. */
int
tracer_fits(const struct tracer *t, const struct trace_event *ev)
{
	if (ev->worker != TRACE_NO_WORKER && ev->worker >= t->meta.nworkers)
		return (0);
	if (ev->object == TRACE_NO_OBJECT)
		return (1);
	switch (trace_event_refers(ev->type)) {
	case TRACE_REFERS_WORKER:
		return (ev->object < t->meta.nworkers);
	case TRACE_REFERS_OBJECT:
		return (ev->object < t->meta.nobjects);
	default:
		return (1);
	}
}

static int
tracer_has_peer(const struct trace_meta_peer *v, size_t n, uint16_t w)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].worker == w)
			return (1);
	}
	return (0);
}
/* Who can send into / receive from a channel (tracer_deliver; returns how
   many it added): whoever created or used
   it, and every worker they started afterwards (fds are inherited). */
/* Add worker w as a writer (or reader) of object o unless it is one;
   1 if it was added. */
static int
tracer_add_peer(struct tracer *t, uint16_t o, int reader, uint16_t w,
    int end)
{
	struct trace_meta_object	*mo = &t->meta.objects[o];

	if (reader ? tracer_has_peer(mo->readers, mo->nreaders, w) :
	    tracer_has_peer(mo->writers, mo->nwriters, w))
		return (0);
	trace_meta_add_peer(&t->meta, o, reader, w, end);
	return (1);
}

int
tracer_deliver(struct tracer *t, const struct trace_event *ev)
{
	struct trace_meta_object	*mo;
	size_t				 o;
	int				 end, added = 0;

	if (ev->type == TRACE_START) {
		for (o = 0; o < t->meta.nobjects; o++) {
			mo = &t->meta.objects[o];
			if (tracer_has_peer(mo->writers, mo->nwriters,
			    ev->worker))
				added += tracer_add_peer(t, (uint16_t)o, 0,
				    ev->object, -1);
			if (tracer_has_peer(mo->readers, mo->nreaders,
			    ev->worker))
				added += tracer_add_peer(t, (uint16_t)o, 1,
				    ev->object, -1);
		}
		return (added);
	}
	if (ev->object >= t->meta.nobjects)
		return (0);
	mo = &t->meta.objects[ev->object];
	if (mo->kind != TRACE_OBJ_PIPE && mo->kind != TRACE_OBJ_SOCKET &&
	    mo->kind != TRACE_OBJ_MQUEUE)
		return (0);
	end = mo->kind == TRACE_OBJ_SOCKET ? ev->a1 : -1;
	switch (ev->type) {
	case TRACE_CHAN_OPEN:
		added += tracer_add_peer(t, ev->object, 0, ev->worker, end);
		added += tracer_add_peer(t, ev->object, 1, ev->worker, end);
		break;
	case TRACE_CHAN_PUT:
	case TRACE_CHAN_PUT_WAIT:
		added += tracer_add_peer(t, ev->object, 0, ev->worker, end);
		break;
	case TRACE_CHAN_GET:
	case TRACE_CHAN_GET_WAIT:
		added += tracer_add_peer(t, ev->object, 1, ev->worker, end);
		break;
	}
	return (added);
}
size_t
tracer_pull(struct tracer *t)
{
	struct trace_event	*ev;
	size_t			 n, i, total = 0;

	for (;;) {
		if (t->cap - t->nevents < TRACER_BATCH) {
			t->cap = t->cap == 0 ? 4 * TRACER_BATCH : t->cap * 2;
			t->events = xreallocarray(t->events, t->cap,
			    sizeof *t->events);
		}
		ev = t->events + t->nevents;
		n = trace_consumer_read(t->consumer, ev, TRACER_BATCH);
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (ev[i].type == TRACE_STEP)
				ev[i].a0 = tracer_site_line(t, ev[i].a0);
		}
		t->nevents += n;
		total += n;
	}
	return (total);
}

static int
tracer_map(struct tracer *t, char **cause)
{
	struct stat	st;
	size_t		ringsize;
	int		efd;

	ringsize = trace_ring_set_size(PRELOAD_MAX_WORKERS + 1,
	    PRELOAD_RING_CAPACITY);
	t->size = PRELOAD_RING_OFF + ringsize;
	t->memfd = memfd_create("lockstep-trace", MFD_CLOEXEC);
	if (t->memfd == -1 || ftruncate(t->memfd, (off_t)t->size) != 0) {
		xasprintf(cause, "memfd: %s", strerror(errno));
		return (-1);
	}
	t->shm = mmap(NULL, t->size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    t->memfd, 0);
	if (t->shm == MAP_FAILED) {
		t->shm = NULL;
		xasprintf(cause, "mmap %zu bytes: %s", t->size,
		    strerror(errno));
		return (-1);
	}
	/* The wake-up eventfd at a number the program will not use: every
	   producer writes to that number. */
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (efd == -1 || (t->wake_fd = fcntl(efd, F_DUPFD_CLOEXEC,
	    TRACER_FD_MIN)) == -1) {
		xasprintf(cause, "eventfd: %s", strerror(errno));
		if (efd != -1)
			close(efd);
		return (-1);
	}
	close(efd);
	t->rings = trace_ring_set_init((char *)t->shm + PRELOAD_RING_OFF,
	    ringsize, PRELOAD_MAX_WORKERS + 1, PRELOAD_RING_CAPACITY, 0,
	    t->wake_fd);
	t->consumer = t->rings != NULL ? trace_consumer_create(t->rings) :
	    NULL;
	if (t->consumer == NULL) {
		xasprintf(cause, "trace ring set-up failed");
		return (-1);
	}
	trace_producer_init(&t->fe, t->rings, PRELOAD_MAX_WORKERS,
	    TRACE_NO_WORKER);
	t->shm->hdr.version = PRELOAD_VERSION;
	t->shm->hdr.size = t->size;
	t->shm->hdr.ring_off = PRELOAD_RING_OFF;
	t->shm->hdr.mode = t->stepped || t->paused ? PRELOAD_PAUSE :
	    PRELOAD_RUN;
	t->shm->hdr.wake_fd = t->wake_fd;
	t->shm->hdr.frontend_pid = (int32_t)getpid();
	/* The program's stdout and stderr, when they are our pipes, are
	   not the program's channels. */
	if (fstat(1, &st) == 0 && S_ISFIFO(st.st_mode))
		t->shm->hdr.skip_ino[0] = (uint64_t)st.st_ino;
	if (fstat(2, &st) == 0 && S_ISFIFO(st.st_mode))
		t->shm->hdr.skip_ino[1] = (uint64_t)st.st_ino;
	atomic_store((_Atomic uint32_t *)&t->shm->hdr.magic, PRELOAD_MAGIC);
	t->site_line = xcalloc(PRELOAD_MAX_SITES, sizeof *t->site_line);
	return (0);
}
static int
tracer_redirect(const char *path, int fd)
{
	int	f;

	if (path == NULL)
		return (fd == 1 && dup2(2, 1) == -1 ? -1 : 0);
	f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (f == -1 || dup2(f, fd) == -1)
		return (-1);
	return (0);
}
static int
tracer_spawn(struct tracer *t, const char *lib, char **cause)
{
	struct stat	 st;
	const char	*old;
	char		*preload, num[16];
	int		 ep[2], op[2] = { -1, -1 }, fd, err = 0;
	ssize_t		 n;

	if (pipe2(ep, O_CLOEXEC) != 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	/* The live view: the program's stdout and stderr come back here,
	   line by line, as PRINT events; the pipe itself is not traced. */
	if (t->capture) {
		if (pipe2(op, O_CLOEXEC) != 0) {
			xasprintf(cause, "pipe: %s", strerror(errno));
			close(ep[0]);
			close(ep[1]);
			return (-1);
		}
		t->out_fd = op[0];
		fcntl(t->out_fd, F_SETFL, O_NONBLOCK);
		if (fstat(op[0], &st) == 0)
			t->shm->hdr.skip_ino[0] = (uint64_t)st.st_ino;
	}
	old = getenv("LD_PRELOAD");
	if (old != NULL && *old != '\0')
		xasprintf(&preload, "%s:%s", lib, old);
	else
		preload = xstrdup(lib);
	t->frontend = getpid();
	t->pid = fork();
	if (t->pid == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		free(preload);
		close(ep[0]);
		close(ep[1]);
		return (-1);
	}
	if (t->pid == 0) {
		setpgid(0, 0);
		/* A front end that dies any way takes the program along. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != t->frontend)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		/* The live view owns the terminal: a program reading its
		   stdin would take the keys meant for the view. */
		if (t->paused && (fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, 0);
			close(fd);
		}
		fd = fcntl(t->memfd, F_DUPFD, TRACER_FD_MIN);
		if (t->out_fd != -1 && (dup2(op[1], 1) == -1 ||
		    dup2(op[1], 2) == -1))
			fd = -1;
		if (fd == -1 || fcntl(t->wake_fd, F_SETFD, 0) == -1 ||
		    (t->out_fd == -1 && (tracer_redirect(t->stdout_path, 1) !=
		    0 || tracer_redirect(t->stderr_path, 2) != 0))) {
			err = errno;
			(void)!write(ep[1], &err, sizeof err);
			_exit(127);
		}
		/* The same addresses every run where the system lets us:
		   objects without a symbol are named by address, and a
		   restarted run should name them as the first did. */
		(void)personality((unsigned long)personality(0xffffffff) |
		    ADDR_NO_RANDOMIZE);
		snprintf(num, sizeof num, "%d", fd);
		setenv(PRELOAD_ENV_FD, num, 1);
		setenv("LD_PRELOAD", preload, 1);
		execv(t->prog, t->argv);
		err = errno;
		(void)!write(ep[1], &err, sizeof err);
		_exit(127);
	}
	free(preload);
	if (t->capture)
		close(op[1]);
	setpgid(t->pid, t->pid);
	tracer_pgid = t->pid;
	close(ep[1]);
	n = read(ep[0], &err, sizeof err);
	close(ep[0]);
	if (n == (ssize_t)sizeof err) {
		xasprintf(cause, "%s: %s", t->prog, strerror(err));
		waitpid(t->pid, NULL, 0);
		t->pid = 0;
		tracer_pgid = 0;
		return (-1);
	}
	return (0);
}
/* Every worker is at its gate (no credit pending), in a real wait, or
   ended: nothing moves until a step. */
int
tracer_settled(const struct tracer *t)
{
	const struct preload_worker	*w;
	uint32_t			 i, n;

	n = atomic_load((_Atomic uint32_t *)&t->shm->hdr.nworkers);
	if (n == 0)
		return (0);	/* the program has not reached its first gate */
	if (n > PRELOAD_MAX_WORKERS)
		n = PRELOAD_MAX_WORKERS;
	for (i = 0; i < n; i++) {
		w = &t->shm->workers[i];
		if (!atomic_load((_Atomic uint32_t *)&w->ready))
			return (0);
		if (atomic_load((_Atomic uint32_t *)&w->ended) ||
		    atomic_load((_Atomic uint32_t *)&w->blocked))
			continue;
		if (!atomic_load((_Atomic uint32_t *)&w->at_gate) ||
		    atomic_load((_Atomic uint32_t *)&w->gate) != 0)
			return (0);
	}
	return (1);
}
/* Whether a step may be given now: every worker is settled, or the ones
   that are not have run for TRACER_SPIN_MS without reaching a wrapped
   call while another waits at its gate. That is a busy-wait loop (a
   flag, Peterson's algorithm) waiting for a worker held at its gate:
   waiting for it to settle would wait forever, so it is taken as
   running freely and the others are stepped beside it. */
int
tracer_steppable(struct tracer *t)
{
	uint64_t	now;
	uint32_t	i, n;

	if (tracer_settled(t)) {
		t->unsettled_since = 0;
		return (1);
	}
	now = tracer_now_ms();
	if (t->unsettled_since == 0) {
		t->unsettled_since = now;
		return (0);
	}
	if (now - t->unsettled_since < TRACER_SPIN_MS)
		return (0);
	n = atomic_load((_Atomic uint32_t *)&t->shm->hdr.nworkers);
	for (i = 0; i < n && i < PRELOAD_MAX_WORKERS; i++) {
		if (tracer_at_gate(t, i))
			return (1);
	}
	return (0);
}
int
tracer_at_gate(const struct tracer *t, uint32_t i)
{
	const struct preload_worker	*w = &t->shm->workers[i];

	return (i < atomic_load((_Atomic uint32_t *)&t->shm->hdr.nworkers) &&
	    atomic_load((_Atomic uint32_t *)&w->at_gate) &&
	    !atomic_load((_Atomic uint32_t *)&w->ended) &&
	    atomic_load((_Atomic uint32_t *)&w->gate) == 0);
}
void
tracer_give(struct tracer *t, uint32_t i)
{
	struct preload_worker	*w = &t->shm->workers[i];

	atomic_fetch_add((_Atomic uint32_t *)&w->gate, 1);
	syscall(SYS_futex, &w->gate, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	t->unsettled_since = 0;
	t->choices = xreallocarray(t->choices, t->nchoices + 1,
	    sizeof *t->choices);
	t->choices[t->nchoices++] = (uint16_t)i;
}
void
tracer_resume(struct tracer *t)
{
	uint32_t	i;

	atomic_store((_Atomic uint32_t *)&t->shm->hdr.mode, PRELOAD_RUN);
	for (i = 0; i < PRELOAD_MAX_WORKERS; i++)
		syscall(SYS_futex, &t->shm->workers[i].gate, FUTEX_WAKE,
		    INT_MAX, NULL, NULL, 0);
	t->stepped = 0;
}
/* One step by the schedule, else by the seeded policy. */
void
tracer_step(struct tracer *t)
{
	uint32_t	i, n, ready[PRELOAD_MAX_WORKERS], nready = 0;

	if (t->sched_pos < t->nschedule) {
		i = t->schedule[t->sched_pos];
		if (tracer_at_gate(t, i)) {
			t->sched_pos++;
			tracer_give(t, i);
		} else if (i >= PRELOAD_MAX_WORKERS ||
		    i >= atomic_load((_Atomic uint32_t *)&t->shm->hdr.nworkers) ||
		    t->shm->workers[i].ended || t->shm->workers[i].blocked)
			t->sched_pos++;		/* cannot be stepped: skip
						   (called only when settled:
						   a worker not there yet
						   cannot appear unstepped) */
		return;
	}
	if (t->nschedule > 0) {
		tracer_resume(t);
		return;
	}
	n = atomic_load((_Atomic uint32_t *)&t->shm->hdr.nworkers);
	for (i = 0; i < n && i < PRELOAD_MAX_WORKERS; i++) {
		if (tracer_at_gate(t, i))
			ready[nready++] = i;
	}
	if (nready == 0)
		return;
	t->prng ^= t->prng << 13;
	t->prng ^= t->prng >> 7;
	t->prng ^= t->prng << 17;
	tracer_give(t, ready[t->prng % nready]);
}
int
tracer_reap(struct tracer *t)
{
	if (!t->reaped && t->pid > 0 && waitpid(t->pid, &t->status,
	    WNOHANG) == t->pid)
		t->reaped = t->exited = 1;
	return (t->reaped);
}

/* Kill the children this front end adopted (it is a child subreaper):
   processes of the program that left its process group (setsid, a
   daemon's double fork) outlive a kill of the group, and come back here
   when their parent dies. Rounds, since a killed one's children are
   adopted in turn. Returns how many were killed. */
static int
tracer_kill_adopted(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[64], buf[512], *p;
	pid_t		 self = getpid(), pid;
	long		 ppid;
	int		 round, killed = 0, n, fd, st;
	ssize_t		 len;

	for (round = 0; round < 16; round++) {
		if ((d = opendir("/proc")) == NULL)
			return (killed);
		n = 0;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			pid = (pid_t)strtol(de->d_name, NULL, 10);
			snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			len = read(fd, buf, sizeof buf - 1);
			close(fd);
			if (len <= 0)
				continue;
			buf[len] = '\0';
			/* pid (comm) state ppid: comm may hold anything. */
			if ((p = strrchr(buf, ')')) == NULL ||
			    sscanf(p + 1, " %*c %ld", &ppid) != 1 ||
			    ppid != (long)self)
				continue;
			if (kill(pid, SIGKILL) == 0)
				n++;
		}
		closedir(d);
		while (waitpid(-1, &st, 0) > 0 || errno == EINTR)
			;
		killed += n;
		if (n == 0)
			break;
	}
	return (killed);
}

/* Kill and reap the program's process group, then speak for the workers
   that did not end: the main worker with the program's status, the
   others killed. */
void
tracer_finish(struct tracer *t)
{
	uint16_t		 self;
	uint32_t		 i, n;
	int			 st;

	if (t->finished || t->shm == NULL)
		return;
	t->finished = 1;
	if (t->pid > 0) {
		kill(-t->pid, SIGKILL);
		if (!t->reaped && waitpid(t->pid, &t->status, 0) == t->pid)
			t->reaped = 1;
		while (waitpid(-t->pid, &st, 0) > 0 || errno == EINTR)
			;
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
		tracer_pgid = 0;
		t->strays = tracer_kill_adopted();
	}
	tracer_pull(t);
	n = atomic_load((_Atomic uint32_t *)&t->shm->hdr.nworkers);
	for (i = 0; i < n && i < PRELOAD_MAX_WORKERS; i++) {
		if (t->shm->workers[i].ended || !t->shm->workers[i].ready)
			continue;
		t->shm->workers[i].ended = 1;
		/* The front end's own producer speaks for worker i (not a
		   copy: its ring position is private state). */
		self = t->fe.worker;
		t->fe.worker = (uint16_t)i;
		if (i == 0 && t->reaped && WIFEXITED(t->status))
			trace_emit(&t->fe, TRACE_WORKER_END, TRACE_NO_OBJECT,
			    WEXITSTATUS(t->status), 0);
		else if (i == 0 && t->reaped && WIFSIGNALED(t->status) &&
		    WTERMSIG(t->status) != SIGKILL)
			trace_emit(&t->fe, TRACE_WORKER_CRASH, TRACE_NO_OBJECT,
			    WTERMSIG(t->status), 0);
		else
			trace_emit(&t->fe, TRACE_WORKER_KILLED,
			    TRACE_NO_OBJECT, 0, 0);
		t->fe.worker = self;
	}
	tracer_pull(t);
}

int
tracer_parse_schedule(struct tracer *t, const char *arg)
{
	const char	*p = arg;
	char		*end;
	long		 v;

	while (*p != '\0') {
		v = strtol(p, &end, 10);
		if (end == p || v < 0 || v >= PRELOAD_MAX_WORKERS ||
		    (*end != ',' && *end != '\0'))
			return (-1);
		t->schedule = xreallocarray(t->schedule, t->nschedule + 1,
		    sizeof *t->schedule);
		t->schedule[t->nschedule++] = (uint16_t)v;
		p = *end == ',' ? end + 1 : end;
	}
	return (t->nschedule > 0 ? 0 : -1);
}
/* What one run of the program made: its memory, rings, descriptors,
   events, choices, captured output. Options and the module cache stay. */
static void
tracer_release(struct tracer *t)
{
	if (t->consumer != NULL)
		trace_consumer_free(t->consumer);
	t->consumer = NULL;
	t->rings = NULL;
	if (t->wake_fd != -1)
		close(t->wake_fd);
	if (t->out_fd != -1)
		close(t->out_fd);
	t->wake_fd = t->out_fd = -1;
	free(t->strtab);
	free(t->outbuf);
	t->strtab = t->outbuf = NULL;
	t->strtab_len = t->outlen = 0;
	if (t->shm != NULL)
		munmap(t->shm, t->size);
	t->shm = NULL;
	if (t->memfd != -1)
		close(t->memfd);
	t->memfd = -1;
	free(t->site_line);
	t->site_line = NULL;
	free(t->events);
	t->events = NULL;
	t->nevents = t->cap = 0;
	free(t->choices);
	t->choices = NULL;
	t->nchoices = 0;
	trace_meta_done(&t->meta);
}

void
tracer_free(struct tracer *t)
{
	size_t	i;

	tracer_finish(t);
	tracer_release(t);
	for (i = 0; i < t->nmods; i++) {
		free(t->mods[i].path);
		preload_elf_free(t->mods[i].elf);
	}
	free(t->mods);
	free(t->schedule);
	free(t->prog);
}

/* Kill this run and start the program again, paused at its first call,
   with the same options: the live view's restart and step back. */
int
tracer_restart(struct tracer *t, const char *lib, char **cause)
{
	tracer_finish(t);
	tracer_release(t);
	trace_meta_init(&t->meta);
	t->pid = 0;
	t->status = t->reaped = t->exited = t->finished = 0;
	t->sched_pos = 0;
	t->stepped = 0;
	t->paused = 1;
	return (tracer_start(t, lib, cause));
}

/* Step the program through choices (workers, as tracer_give() took
   them) from its start, each once every worker is settled; a worker
   that cannot be stepped then is skipped. 0 when done, -1 if the
   program did not settle within ms (it went another way). */
int
tracer_replay(struct tracer *t, const uint16_t *choices, size_t n, int ms)
{
	uint64_t	end = tracer_now_ms() + (uint64_t)ms;
	size_t		i = 0;
	uint16_t	w;

	while (i < n) {
		tracer_output(t);
		tracer_pull(t);
		if (tracer_now_ms() > end || tracer_reap(t))
			return (-1);
		if (!tracer_steppable(t)) {
			usleep(200);
			continue;
		}
		w = choices[i++];
		if (tracer_at_gate(t, w))
			tracer_give(t, w);
	}
	/* Let the last step land before the view reads. */
	while (!tracer_settled(t) && !tracer_reap(t) &&
	    tracer_now_ms() <= end) {
		tracer_output(t);
		tracer_pull(t);
		usleep(200);
	}
	return (0);
}

void
tracer_init(struct tracer *t)
{
	memset(t, 0, sizeof *t);
	t->memfd = -1;
	t->wake_fd = -1;
	t->out_fd = -1;
	t->timeout_ms = TRACER_TIMEOUT_MS;
	trace_meta_init(&t->meta);
}

/* file:line of a program address, by one addr2line run; -1 if unknown. */
static int
tracer_addr2line(const char *module, uint64_t vaddr, char *file,
    size_t len)
{
	char	*argv[5], addr[32], buf[4096], *colon;
	int	 fds[2], ok = -1;
	pid_t	 pid;
	ssize_t	 n;

	snprintf(addr, sizeof addr, "0x%" PRIx64, vaddr);
	argv[0] = (char *)"addr2line";
	argv[1] = (char *)"-e";
	argv[2] = (char *)module;
	argv[3] = addr;
	argv[4] = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return (-1);
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		execvp("addr2line", argv);
		_exit(127);
	}
	close(fds[1]);
	n = pid > 0 ? read(fds[0], buf, sizeof buf - 1) : -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, " \n")] = '\0';
		colon = strrchr(buf, ':');
		if (colon != NULL && buf[0] != '?') {
			*colon = '\0';
			snprintf(file, len, "%s", buf);
			ok = 0;
		}
	}
	return (ok);
}

/* The C file holding the program's main, as the meta's source text (the
   live view's source pane). Nothing if there is no debug information. */
static void
tracer_source(struct tracer *t)
{
	struct tracer_module	*m;
	uint64_t		 rel;
	char			 file[PATH_MAX], *text = NULL;
	size_t			 len = 0, n;
	FILE			*f;

	if ((m = tracer_module(t, t->prog)) == NULL || m->elf == NULL ||
	    preload_elf_find(m->elf, "main", &rel) != 0 ||
	    tracer_addr2line(t->prog, preload_elf_vaddr(m->elf, rel), file,
	    sizeof file) != 0 || (f = fopen(file, "r")) == NULL)
		return;
	text = xmalloc(1 << 20);
	n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	len = n;
	text[len] = '\0';
	free(t->meta.source);
	t->meta.source = text;
	free(t->meta.path);
	t->meta.path = xstrdup(file);
}

int
tracer_start(struct tracer *t, const char *lib, char **cause)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tracer_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	t->lib = lib;
	t->meta.path = xstrdup(t->prog);
	t->meta.title = xstrdup("traced program");
	tracer_source(t);
	if (tracer_map(t, cause) != 0)
		return (-1);
	return (tracer_spawn(t, lib, cause));
}

void
tracer_pause(struct tracer *t)
{
	atomic_store((_Atomic uint32_t *)&t->shm->hdr.mode, PRELOAD_PAUSE);
}

int
tracer_paused(const struct tracer *t)
{
	return (atomic_load((_Atomic uint32_t *)&t->shm->hdr.mode) ==
	    PRELOAD_PAUSE);
}

void
tracer_set_tempo(struct tracer *t, int ms)
{
	atomic_store((_Atomic int32_t *)&t->shm->hdr.tempo_ms, ms);
}

/* Intern text in the front end's string table; its offset. */
static int64_t
tracer_intern(struct tracer *t, const char *s, size_t len)
{
	int64_t	off;

	if (t->strtab == NULL) {
		t->strtab = xstrdup("");
		t->strtab_len = 1;
	}
	off = (int64_t)t->strtab_len;
	t->strtab = xreallocarray(t->strtab, t->strtab_len + len + 1, 1);
	memcpy(t->strtab + t->strtab_len, s, len);
	t->strtab[t->strtab_len + len] = '\0';
	t->strtab_len += len + 1;
	return (off);
}

void
tracer_output(struct tracer *t)
{
	char	 buf[4096], *nl, *line;
	ssize_t	 n;
	size_t	 len;

	if (t->out_fd == -1)
		return;
	while ((n = read(t->out_fd, buf, sizeof buf)) > 0) {
		t->outbuf = xreallocarray(t->outbuf, t->outlen + (size_t)n, 1);
		memcpy(t->outbuf + t->outlen, buf, (size_t)n);
		t->outlen += (size_t)n;
	}
	line = t->outbuf;
	len = t->outlen;
	/* Whole lines; a partial one waits, unless the program is gone. */
	while (len > 0 && ((nl = memchr(line, '\n', len)) != NULL ||
	    n == 0)) {
		if (nl == NULL)
			nl = line + len;
		trace_emit(&t->fe, TRACE_PRINT, TRACE_NO_OBJECT,
		    tracer_intern(t, line, (size_t)(nl - line)), 0);
		if (nl == line + len) {
			len = 0;
			break;
		}
		len -= (size_t)(nl + 1 - line);
		line = nl + 1;
	}
	if (len > 0)
		memmove(t->outbuf, line, len);
	t->outlen = len;
}

const char *
tracer_string(const struct tracer *t, int64_t off)
{
	if (t->strtab == NULL || off < 0 || (size_t)off >= t->strtab_len)
		return (NULL);
	return (t->strtab + off);
}
