/*
 * trace/keep.c: every event of a run, a window of it in memory (see
 * keep.h for why and how).
 *
 * Appends go to the file with pwrite() (one call per batch: the kernel
 * copies into the page cache, and no page of the process is touched, so
 * appending costs no page faults and leaves nothing resident). Reads go
 * through one read-only MAP_SHARED mapping of max * 32 bytes reserved at
 * creation (address space only; only the part below the file's end is
 * ever touched); the page cache is one, so the mapping sees every
 * appended byte. Pages of the mapping become resident only when a reader
 * walks the array (a save, a scan); trace_keep_trim() then drops those
 * older than the window with MADV_DONTNEED.
 */
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/keep.h"
#include "util/xmalloc.h"

struct trace_keep {
	struct trace_event	*ev;
	size_t			 n;		/* events kept */
	size_t			 size;		/* heap: room */
	size_t			 max;
	size_t			 window;
	uint64_t		 cut;
	int			 fd;		/* -1: heap */
	size_t			 maplen;
};

/* The unlinked file and the reserved mapping; 0, or -1 (use the heap). */
static int
keep_open_file(struct trace_keep *k)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;
	void		*p;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (k->max > SIZE_MAX / sizeof *k->ev)
		return (-1);
	xasprintf(&path, "%s/lockstep-keep-XXXXXX", dir);
	k->fd = mkostemp(path, O_CLOEXEC);
	if (k->fd == -1) {
		free(path);
		return (-1);
	}
	unlink(path);
	free(path);
	k->maplen = k->max * sizeof *k->ev;
	p = mmap(NULL, k->maplen, PROT_READ, MAP_SHARED | MAP_NORESERVE,
	    k->fd, 0);
	if (p == MAP_FAILED) {
		close(k->fd);
		k->fd = -1;
		return (-1);
	}
	k->ev = p;
	return (0);
}

struct trace_keep *
trace_keep_create(size_t window, size_t max)
{
	struct trace_keep	*k;

	k = xcalloc(1, sizeof *k);
	k->window = window;
	k->max = max;
	k->fd = -1;
	if (keep_open_file(k) != 0 && k->max > TRACE_KEEP_HEAP_MAX)
		k->max = TRACE_KEEP_HEAP_MAX;
	return (k);
}

void
trace_keep_free(struct trace_keep *k)
{
	if (k == NULL)
		return;
	if (k->fd >= 0) {
		munmap(k->ev, k->maplen);
		close(k->fd);
	} else
		free(k->ev);
	free(k);
}

void
trace_keep_reset(struct trace_keep *k)
{
	if (k->fd >= 0 && k->n > 0) {
		madvise(k->ev, k->n * sizeof *k->ev, MADV_DONTNEED);
		if (ftruncate(k->fd, 0) != 0) {
			/* The old bytes are overwritten as the run goes. */
		}
	}
	k->n = 0;
	k->cut = 0;
}

/* Heap fallback: room for want events in all, or fewer at the cap. */
static size_t
keep_grow(struct trace_keep *k, size_t want)
{
	size_t	size;

	if (want > k->max)
		want = k->max;
	if (want <= k->size)
		return (want);
	size = k->size == 0 ? 4096 : k->size;
	while (size < want)
		size *= 2;
	if (size > k->max)
		size = k->max;
	k->ev = xreallocarray(k->ev, size, sizeof *k->ev);
	k->size = size;
	return (want);
}

/* Write n events at the end of the file; how many got there (fewer when
   the disk is full: the rest is counted as cut). */
static size_t
keep_write(struct trace_keep *k, const struct trace_event *ev, size_t n)
{
	const char	*p = (const char *)ev;
	size_t		 left = n * sizeof *ev, done = 0;
	off_t		 off = (off_t)(k->n * sizeof *ev);
	ssize_t		 w;

	while (left > 0) {
		w = pwrite(k->fd, p + done, left, off + (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
		left -= (size_t)w;
	}
	if (done % sizeof *ev != 0 && ftruncate(k->fd, off +
	    (off_t)(done / sizeof *ev * sizeof *ev)) != 0) {
		/* A torn event past n is never read. */
	}
	return (done / sizeof *ev);
}

void
trace_keep_trim(struct trace_keep *k)
{
	size_t	page = (size_t)sysconf(_SC_PAGESIZE), end;

	if (k->fd < 0 || k->n <= k->window)
		return;
	end = (k->n - k->window) * sizeof *k->ev / page * page;
	if (end > 0)
		madvise(k->ev, end, MADV_DONTNEED);
}

void
trace_keep_append(struct trace_keep *k, const struct trace_event *ev,
    size_t n)
{
	size_t	room;

	room = k->max - k->n;
	if (room > n)
		room = n;
	if (k->fd >= 0)
		room = keep_write(k, ev, room);
	else {
		room = keep_grow(k, k->n + room) - k->n;
		memcpy(k->ev + k->n, ev, room * sizeof *ev);
	}
	k->n += room;
	k->cut += n - room;
}

const struct trace_event *
trace_keep_events(const struct trace_keep *k, size_t *n)
{
	*n = k->n;
	return (k->ev);
}

uint64_t
trace_keep_cut(const struct trace_keep *k)
{
	return (k->cut);
}

int
trace_keep_spills(const struct trace_keep *k)
{
	return (k->fd >= 0);
}

int
trace_keep_fd(const struct trace_keep *k)
{
	return (k->fd);
}
