/*
 * export/tracefile.h: the versioned binary trace file (lockstep record).
 *
 * A trace file holds everything a replay needs without the scenario parser
 * or a run: the run's meta (scenario path and text, title, workers,
 * objects, expectations), the string table the PRINT / ERROR / NOTE events
 * point into, the step-mode choices of a live session (so `run --schedule`
 * can replay that interleaving) and the events themselves as raw 32-byte
 * records. doc/trace-format.md describes the layout byte by byte.
 *
 * Writing streams: tracefile_writer_create() writes the header and meta to
 * an unnamed file beside the target (export/outfile.h: the rules for -o,
 * shared by every output), tracefile_writer_append() adds event batches
 * (a memcpy and a checksum update in the front end: workers pay nothing),
 * and tracefile_writer_finish() adds the string table, choices and
 * trailer, fsyncs and links it into place, so a crash never leaves a half
 * file under the final name, nor a temporary name.
 *
 * Reading opens only a regular file (O_NONBLOCK and fstat first, so a
 * FIFO or a device is refused, never waited on or read for ever), checks
 * every length against the bytes that are really there, every checksum,
 * the version and every event's indices, and either returns a complete
 * struct tracefile or fails with a message of the form "FILE: ..." (shown
 * as is, exit status 2). It never crashes on any input:
 * tests/fuzz/fuzz-trace.c feeds it arbitrary bytes. tracefile_read()
 * reads the file whole into memory (exports, schedules: a file cut while
 * it is exported cannot fault); tracefile_map() (replay) maps it and
 * checks the events in one streaming pass, dropping their pages behind
 * it, so a recording of any length opens in a few MB; a mapped file cut
 * later reads as zeros past the cut (tracefile_shrank()), never SIGBUS.
 */
#ifndef LOCKSTEP_EXPORT_TRACEFILE_H
#define LOCKSTEP_EXPORT_TRACEFILE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "trace/event.h"
#include "trace/meta.h"

#define TRACEFILE_VERSION	2	/* format version this code writes
					   (and the only one it reads: 2 added
					   the channels' writers and readers
					   to META) */
#define TRACEFILE_MAGIC		"LOCKSTEP-TRACE\0\0"
#define TRACEFILE_MAGIC_LEN	16

/* A trace file read into memory. Everything is owned by the struct. */
struct tracefile {
	char			*name;		/* where it was read from */
	uint32_t		 version;	/* format version of the file */
	struct trace_meta	 meta;
	const struct trace_event *events;	/* nevents, in merged order */
	uint64_t		 nevents;
	const char		*strtab;	/* string table (may be NULL) */
	size_t			 strtab_len;
	uint16_t		*choices;	/* step choices (worker indices) */
	size_t			 nchoices;
	uint64_t		 dropped;	/* events the ring dropped (lossy) */
	void			*buf;		/* private: the file's bytes */
	size_t			 buflen;
	int			 mapped;	/* private: buf maps the file */
	int			 slot;
};

/* Read and check a whole file. On error returns NULL and sets *cause to
   "PATH: message". */
struct tracefile *tracefile_read(const char *path, char **cause);
/* The same from memory (copied); name prefixes the messages. */
struct tracefile *tracefile_read_mem(const void *data, size_t len,
		    const char *name, char **cause);
void		 tracefile_free(struct tracefile *);
/* The same checks over a read-only mapping of the file (lockstep replay):
   the events stay in the file, a window of them in memory, and opening
   does not copy them. If the file shrinks while it is mapped, what was
   cut reads as zero bytes (events of type 0) instead of faulting, and
   tracefile_shrank() turns 1. */
struct tracefile *tracefile_map(const char *path, char **cause);
int		 tracefile_shrank(const struct tracefile *);
/* Let go of the memory of events [first, first + n) of a mapped file
   (they are read again if used); nothing for a file read into memory. */
void		 tracefile_drop(const struct tracefile *, uint64_t first,
		    uint64_t n);

/* Text at a string-table offset (a0 of PRINT / ERROR / NOTE), or NULL if
   the offset is not the start of a NUL-terminated string in the table. */
const char	*tracefile_string(const struct tracefile *, int64_t offset);

/* Whether path starts with the trace file magic: 1 yes, 0 no (another
   kind of file, e.g. a text schedule), -1 unreadable. */
int		 tracefile_probe(const char *path);
/* The step choices saved in a trace file, or listed in a text file
   (worker names or indices, one per line), for `run --schedule FILE`:
   *choices is xmalloc'd (free it; NULL when *n is 0). With meta (the
   scenario about to run), the recording's workers must be the same
   (count and names), else the choices would mean other workers. Returns
   0, or -1 and "PATH: message" in *cause. */
int		 tracefile_read_schedule(const char *path,
		    const struct trace_meta *meta, uint16_t **choices,
		    size_t *n, char **cause);

/* Streaming writer. */
struct tracefile_writer;

struct tracefile_writer *tracefile_writer_create(const char *path,
		    const struct trace_meta *, char **cause);
/* Add a batch of events. A write error is kept and reported by finish
   (and by this call): appending after an error does nothing. */
int		 tracefile_writer_append(struct tracefile_writer *,
		    const struct trace_event *, size_t n, char **cause);
/* Add n events stored as they are in memory in the file fd from offset
   off (the live view's kept events): read in blocks, never mapped. */
int		 tracefile_writer_append_fd(struct tracefile_writer *,
		    int fd, off_t off, uint64_t n, char **cause);
/* The same as the first events of the file, with their CRC-32 known:
   copied by the kernel (copy_file_range) where it can. */
int		 tracefile_writer_copy_fd(struct tracefile_writer *, int fd,
		    off_t off, uint64_t n, uint32_t crc, char **cause);
/* Events appended so far. */
uint64_t	 tracefile_writer_count(const struct tracefile_writer *);
/* Write string table, choices and trailer; fsync; link into place under
   the final path (outfile_commit). Returns 0 or -1 (nothing is then
   left). */
int		 tracefile_writer_finish(struct tracefile_writer *,
		    const char *strtab, size_t strtab_len,
		    const uint16_t *choices, size_t nchoices, uint64_t dropped,
		    char **cause);
/* Free the writer; an unfinished file is removed (nothing is left). */
void		 tracefile_writer_free(struct tracefile_writer *);

/* Write a complete file in one call (the live view's `w` key). */
int		 tracefile_save(const char *path, const struct trace_meta *,
		    const struct trace_event *, size_t nevents,
		    const char *strtab, size_t strtab_len,
		    const uint16_t *choices, size_t nchoices, uint64_t dropped,
		    char **cause);

/* CRC-32 (IEEE 802.3, as zlib's crc32()): crc = tracefile_crc32(0, p, n)
   then continue with the returned value. */
uint32_t	 tracefile_crc32(uint32_t crc, const void *, size_t);

#endif
