/*
 * sync/mapped.c: arrays of int cells in real shared mappings.
 *
 * `mmap M(N)` is a file of N int64 cells in the run's temp dir; `shm S(N)`
 * a POSIX shared memory object (shm_open) named
 * "/lockstep-<pid>-<run>-<object>". Both are created by the front end
 * before the runner forks (the name is registered first, so every exit
 * path removes it), given their full size with posix_fallocate (a full
 * disk or /dev/shm is an error at set-up, with the declaration's line,
 * not a SIGBUS in a worker later), and mapped MAP_SHARED. The mapping is
 * inherited by the runner and every worker at the same address, so
 * obj->cells simply points into it: a store by one process is a store
 * into the file's pages, seen by every other process and written back to
 * the file. Cells are read and written by the executor like any shared
 * value (SHARED_LOAD / SHARED_STORE / SHARED_ADD with a1 = cell index,
 * see sync/shared.c); this kind only provides the memory.
 *
 * teardown (front end, after the run) unmaps it; the registry unlinks
 * the file or shm name.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "sync/ipc.h"
#include "util/xmalloc.h"

#define MAPPED_SIZE(obj)	((obj)->spare[0])	/* bytes mapped */
#define MAPPED_BASE(obj)	((obj)->spare[1])	/* address mapped */

static int
mapped_setup(struct sync_obj *obj, const struct trace_meta_object *mo,
    const struct sync_setup *env, char **cause)
{
	const char	*what = obj->kind == TRACE_OBJ_SHM ? "shm_open" : "open";
	size_t		 ncells, size;
	void		*p;
	int		 fd, error;

	ncells = obj->capacity > 0 ? (size_t)obj->capacity : 1;
	size = ncells * sizeof(int64_t);
	if (obj->kind == TRACE_OBJ_SHM) {
		if (sync_ipc_name(obj, mo, env, SYNC_NAME_SHM, cause) != 0)
			return (-1);
		fd = shm_open(obj->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
	} else {
		if (sync_ipc_path(obj, mo, env, "mmap", cause) != 0)
			return (-1);
		fd = open(obj->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
	}
	if (fd == -1) {
		sync_ipc_create_failed(obj, mo, env, what, errno, cause);
		return (-1);
	}
	if ((error = posix_fallocate(fd, 0, (off_t)size)) != 0) {
		xasprintf(cause, "line %d: %s: cannot reserve %zu bytes for "
		    "%s: %s", mo->line, mo->name, size, obj->path,
		    strerror(error));
		close(fd);
		return (-1);
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	error = errno;
	close(fd);
	if (p == MAP_FAILED) {
		xasprintf(cause, "line %d: %s: mmap %s: %s", mo->line,
		    mo->name, obj->path, strerror(error));
		return (-1);
	}
	/* A new object is all zeros already: no memset, which would touch
	   (and cost) every page of a large block at every (re)start. */
	MAPPED_SIZE(obj) = (int64_t)size;
	MAPPED_BASE(obj) = (int64_t)(intptr_t)p;
	obj->cells = p;
	obj->ncells = ncells;
	return (0);
}

static void
mapped_teardown(struct sync_obj *obj)
{
	void	*p = (void *)(intptr_t)MAPPED_BASE(obj);

	if (p == NULL || MAPPED_SIZE(obj) <= 0)
		return;
	if (obj->cells == p) {
		obj->cells = NULL;
		obj->ncells = 0;
	}
	munmap(p, (size_t)MAPPED_SIZE(obj));
	MAPPED_BASE(obj) = 0;
	MAPPED_SIZE(obj) = 0;
}

const struct sync_chan_ops sync_mmap_ops = {
	.name = "mmap",
	.setup = mapped_setup,
	.teardown = mapped_teardown,
};

const struct sync_chan_ops sync_shm_ops = {
	.name = "shm",
	.setup = mapped_setup,
	.teardown = mapped_teardown,
};
