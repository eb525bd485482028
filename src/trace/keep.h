/*
 * trace/keep.h: an append-only array of every event of a run, of which
 * only a window stays in memory.
 *
 * The live view keeps each event it is given, so that `w` can save the
 * run and a step back can re-apply the run so far. A heap array grows
 * with the run (32 bytes an event: 1.3 GB after 4 x 10^7 events). A keep
 * instead appends to an unlinked temporary file (in $TMPDIR, else /tmp)
 * with pwrite() and reads through a read-only MAP_SHARED mapping of it:
 * every event stays addressable (trace_keep_events() is one array), but
 * a page is in the process only while something reads it, and
 * trace_keep_trim() drops those older than the last `window` events with
 * madvise(MADV_DONTNEED), which for a shared file mapping only unmaps
 * them: their data stays in the file (page cache, then disk) and comes
 * back on the next access. The file has no name, so nothing is left
 * behind whatever ends the process. Where no file can be made, the keep
 * falls back to a heap array capped at TRACE_KEEP_HEAP_MAX events.
 */
#ifndef LOCKSTEP_TRACE_KEEP_H
#define LOCKSTEP_TRACE_KEEP_H

#include <stddef.h>
#include <stdint.h>

#include "trace/event.h"

#define TRACE_KEEP_HEAP_MAX	((size_t)8 * 1024 * 1024)

struct trace_keep;

/* A keep of at most max events with window of them resident. */
struct trace_keep *trace_keep_create(size_t window, size_t max);
void		 trace_keep_free(struct trace_keep *);
/* Forget every event (a restart); the file shrinks to nothing. */
void		 trace_keep_reset(struct trace_keep *);
/* Append n events; those past the cap (or a full disk) are counted in
   trace_keep_cut() instead. */
void		 trace_keep_append(struct trace_keep *,
		    const struct trace_event *, size_t n);
/* Every event kept, in order (pages out of the window fault back in). */
const struct trace_event *trace_keep_events(const struct trace_keep *,
		    size_t *n);
uint64_t	 trace_keep_cut(const struct trace_keep *);
/* Drop the pages older than the window from memory again. */
void		 trace_keep_trim(struct trace_keep *);
/* Whether the events are in a file (0: the heap fallback). */
int		 trace_keep_spills(const struct trace_keep *);
/* That file (the events from offset 0, as in memory), or -1: for
   reading it in blocks (a save) rather than through the mapping. */
int		 trace_keep_fd(const struct trace_keep *);

#endif
