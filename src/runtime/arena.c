/*
 * runtime/arena.c: mapping, laying out and cleaning up a run's arena.
 *
 * See arena.h for the layout. Everything is created by the front end
 * before the runner forks: the mapping, the trace ring set with its
 * eventfd, every sync object (process-shared), the channel OS objects, the
 * string table with every note already interned (a note in a loop of
 * 100000 iterations costs one event, not one string), and the run's temp
 * dir (mkdtemp "lockstep-XXXXXX" under $TMPDIR or /tmp).
 *
 * arena_cleanup() is called on every exit path, including from a signal
 * handler: it uses only unlink/rmdir-like calls on names recorded in the
 * arena (and, when not in a handler, also empties the temp dir).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/arena.h"
#include "scenario/exec.h"
#include "util/log.h"
#include "util/xmalloc.h"

static const char arena_full_text[] = "(string table full)";

static size_t
arena_align(size_t x, size_t a)
{
	return ((x + a - 1) & ~(a - 1));
}

static int
arena_note_cmp(const void *a, const void *b)
{
	const struct arena_note	*na = a, *nb = b;

	if ((uintptr_t)na->stmt < (uintptr_t)nb->stmt)
		return (-1);
	return ((uintptr_t)na->stmt > (uintptr_t)nb->stmt);
}

static void
arena_add_note(void *arg, const struct scn_stmt *s)
{
	struct arena	*a = arg;

	a->notes = xreallocarray(a->notes, a->nnotes + 1, sizeof *a->notes);
	a->notes[a->nnotes].stmt = s;
	a->notes[a->nnotes].off = arena_intern(a, s->note, strlen(s->note));
	a->nnotes++;
}

struct arena *
arena_create(const struct scn_file *file, const struct trace_meta *meta,
    int lossy, int scheduled, char **cause)
{
	struct arena	*a;
	size_t		 off_workers, off_objs, off_cells, off_uses, off_strtab;
	size_t		 off_rings, ringsize, ncells = 0, i, w;
	int64_t		*cells;
	const char	*tmp;
	char		 path[256];
	uint8_t		 u;

	if (meta->nworkers > TRACE_MAX_WORKERS ||
	    meta->nobjects > TRACE_MAX_OBJECTS) {
		xasprintf(cause, "too many workers or objects");
		return (NULL);
	}
	for (i = 0; i < meta->nobjects; i++)
		ncells += sync_obj_cells(&meta->objects[i], meta->nworkers);

	a = xcalloc(1, sizeof *a);
	a->file = file;
	a->meta = meta;
	a->nworkers = meta->nworkers;
	a->nobjects = meta->nobjects;
	a->nrings = (unsigned)meta->nworkers + 1;
	a->wake_fd = -1;

	off_workers = arena_align(sizeof(struct arena_hdr), 64);
	off_objs = arena_align(off_workers + a->nworkers *
	    sizeof(struct arena_worker), 64);
	off_cells = arena_align(off_objs + a->nobjects *
	    sizeof(struct sync_obj), 64);
	off_uses = arena_align(off_cells + ncells * sizeof(int64_t), 64);
	off_strtab = arena_align(off_uses + a->nworkers * a->nobjects + 1, 64);
	off_rings = arena_align(off_strtab + ARENA_STRTAB_SIZE, 4096);
	ringsize = trace_ring_set_size(a->nrings, ARENA_RING_CAPACITY);
	a->size = arena_align(off_rings + ringsize, 4096);

	a->base = mmap(NULL, a->size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->base == MAP_FAILED) {
		xasprintf(cause, "mmap %zu bytes: %s", a->size, strerror(errno));
		free(a);
		return (NULL);
	}
	a->hdr = a->base;
	a->workers = (struct arena_worker *)((char *)a->base + off_workers);
	a->objs = (struct sync_obj *)((char *)a->base + off_objs);
	a->cells = (int64_t *)((char *)a->base + off_cells);
	a->uses = (uint8_t *)a->base + off_uses;
	a->strtab = (char *)a->base + off_strtab;

	a->hdr->magic = ARENA_MAGIC;
	a->hdr->mode = ARENA_RUN;
	a->hdr->gate_fast = 1;
	a->hdr->nworkers = (uint32_t)a->nworkers;
	a->hdr->nobjects = (uint32_t)a->nobjects;
	a->hdr->frontend_pid = (int32_t)getpid();
	a->hdr->strtab_size = ARENA_STRTAB_SIZE;
	memcpy(a->strtab, arena_full_text, sizeof arena_full_text);
	a->hdr->strtab_used = sizeof arena_full_text;

	a->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (a->wake_fd == -1) {
		xasprintf(cause, "eventfd: %s", strerror(errno));
		goto fail;
	}
	a->rings = trace_ring_set_init((char *)a->base + off_rings, ringsize,
	    a->nrings, ARENA_RING_CAPACITY, lossy ? TRACE_RING_LOSSY : 0,
	    a->wake_fd);
	if (a->rings == NULL) {
		xasprintf(cause, "trace ring set-up failed");
		goto fail;
	}

	for (w = 0; w < a->nworkers; w++) {
		a->workers[w].state = ARENA_W_IDLE;
		a->workers[w].started =
		    !(meta->workers[w].flags & TRACE_WORKERF_DEFERRED);
		a->workers[w].is_thread =
		    meta->workers[w].kind != TRACE_WORKER_PROCESS;
		a->hdr->sched.slots[w].status = a->workers[w].started ?
		    SYNC_S_FRESH : SYNC_S_IDLE;
		a->hdr->sched.slots[w].key = SYNC_KEY_NONE;
		a->hdr->sched.slots[w].deadline = -1;
	}
	a->hdr->sched.on = scheduled ? 1 : 0;
	a->hdr->sched.turn = SYNC_SCHED_NONE;
	a->hdr->sched.nslots = (uint32_t)a->nworkers;

	cells = a->cells;
	for (i = 0; i < a->nobjects; i++) {
		if (sync_obj_init(&a->objs[i], &meta->objects[i], (uint16_t)i,
		    a->nobjects, cells, a->nworkers, cause) != 0)
			goto fail;
		cells += sync_obj_cells(&meta->objects[i], a->nworkers);
	}
	scenario_uses(file, meta, a->uses);
	for (i = 0; i < a->nobjects; i++) {
		for (w = 0; w < a->nworkers; w++) {
			u = a->uses[i * a->nworkers + w];
			if (u != 0) {
				a->objs[i].first_user = (int32_t)w;
				break;
			}
		}
	}

	exec_walk_notes(file, arena_add_note, a);
	if (a->nnotes > 0)
		qsort(a->notes, a->nnotes, sizeof *a->notes, arena_note_cmp);

	tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(path, sizeof path, "%s/lockstep-XXXXXX", tmp);
	if (mkdtemp(path) == NULL) {
		xasprintf(cause, "mkdtemp %s: %s", path, strerror(errno));
		goto fail;
	}
	snprintf(a->hdr->tmpdir, sizeof a->hdr->tmpdir, "%s", path);
	return (a);

fail:
	arena_free(a);
	return (NULL);
}

static int
arena_reg_cb(void *arg, enum sync_name_kind kind, const char *name)
{
	return (arena_register(arg, kind, name));
}

int
arena_setup_channels(struct arena *a, char **cause)
{
	const struct sync_chan_ops	*ops;
	struct sync_setup		 env;
	size_t				 i;

	memset(&env, 0, sizeof env);
	env.tmpdir = a->hdr->tmpdir;
	env.run_id = (unsigned)getpid() ^ (unsigned)(uintptr_t)a->base;
	env.reg = arena_reg_cb;
	env.arg = a;
	a->setup_done = 1;
	for (i = 0; i < a->nobjects; i++) {
		ops = sync_chan_ops(a->objs[i].kind);
		if (ops == NULL || ops->setup == NULL)
			continue;
		if (ops->setup(&a->objs[i], &a->meta->objects[i], &env,
		    cause) != 0)
			return (-1);
	}
	return (0);
}

void
arena_free(struct arena *a)
{
	const struct sync_chan_ops	*ops;
	size_t				 i;

	if (a == NULL)
		return;
	if (a->base != NULL && a->base != MAP_FAILED) {
		if (a->setup_done) {
			for (i = 0; i < a->nobjects; i++) {
				ops = sync_chan_ops(a->objs[i].kind);
				if (ops != NULL && ops->teardown != NULL)
					ops->teardown(&a->objs[i]);
			}
		}
		arena_cleanup(a, 1);
		munmap(a->base, a->size);
	}
	if (a->wake_fd != -1)
		close(a->wake_fd);
	free(a->notes);
	free(a);
}

int64_t
arena_intern(struct arena *a, const char *s, size_t len)
{
	uint64_t	off;

	off = __atomic_fetch_add(&a->hdr->strtab_used, len + 1,
	    __ATOMIC_RELAXED);
	if (off + len + 1 > a->hdr->strtab_size)
		return (0);
	memcpy(a->strtab + off, s, len);
	a->strtab[off + len] = '\0';
	return ((int64_t)off);
}

int64_t
arena_note(const struct arena *a, const struct scn_stmt *s)
{
	size_t	lo = 0, hi = a->nnotes, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (a->notes[mid].stmt == s)
			return (a->notes[mid].off);
		if ((uintptr_t)a->notes[mid].stmt < (uintptr_t)s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (-1);
}

int
arena_register(struct arena *a, enum sync_name_kind kind, const char *name)
{
	struct arena_name	*n;
	uint32_t		 slot;

	if (strlen(name) >= ARENA_NAME_MAX)
		return (-1);
	slot = __atomic_fetch_add(&a->hdr->nnames, 1, __ATOMIC_RELAXED);
	if (slot >= ARENA_MAX_NAMES)
		return (-1);
	n = &a->hdr->names[slot];
	n->kind = kind;
	memcpy(n->name, name, strlen(name) + 1);
	__atomic_store_n(&n->used, 1, __ATOMIC_RELEASE);
	return (0);
}

void
arena_cleanup(struct arena *a, int full)
{
	struct arena_name	*n;
	struct dirent		*de;
	DIR			*d;
	uint32_t		 i, count;
	char			 path[512];

	count = __atomic_load_n(&a->hdr->nnames, __ATOMIC_ACQUIRE);
	if (count > ARENA_MAX_NAMES)
		count = ARENA_MAX_NAMES;
	for (i = 0; i < count; i++) {
		n = &a->hdr->names[i];
		if (!__atomic_load_n(&n->used, __ATOMIC_ACQUIRE))
			continue;
		switch (n->kind) {
		case SYNC_NAME_PATH:
			unlink(n->name);
			break;
		case SYNC_NAME_SHM:
			shm_unlink(n->name);
			break;
		case SYNC_NAME_MQUEUE:
			mq_unlink(n->name);
			break;
		}
		n->used = 0;
	}
	if (a->hdr->tmpdir[0] == '\0')
		return;
	if (full && (d = opendir(a->hdr->tmpdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", a->hdr->tmpdir,
			    de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	if (rmdir(a->hdr->tmpdir) == 0 || errno == ENOENT || full)
		a->hdr->tmpdir[0] = '\0';
}
