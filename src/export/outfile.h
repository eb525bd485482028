/*
 * export/outfile.h: writing an output file safely (export -o, run -o,
 * record -o, the live view's `w`). Every writer of a named output goes
 * through it, so every output follows the same rules:
 *
 *   - a new file is created with mode 0666 & ~umask; an existing regular
 *     file is replaced whole (new content under the same name, atomically
 *     by rename) and keeps its mode (and, where allowed, its owner);
 *   - the content is written to an unnamed file (O_TMPFILE) in the
 *     target's directory and linked into place only when complete, so no
 *     signal, not even SIGKILL, leaves a temporary name behind; where the
 *     file system has no O_TMPFILE, a "NAME.tmpXXXXXX" beside the target
 *     is used instead and removed by a handler on every catchable fatal
 *     signal (HUP, INT, QUIT, TERM, USR1, USR2, ALRM, PIPE, XCPU, XFSZ,
 *     VTALRM, PROF) that is still at its default disposition;
 *   - a character device or a FIFO that the user named is written
 *     through, never replaced (-o /dev/null, -o /dev/tty, -o a FIFO with
 *     a reader), also through a symbolic link to one (-o /dev/stdout on a
 *     pipe or terminal); with OUTFILE_SEEKABLE (a trace file, which
 *     patches its header at the end) only a seekable one (/dev/null) is
 *     accepted;
 *   - any other symbolic link is refused ("is a symbolic link"): name the
 *     file it points to (it is never replaced, and a regular file is
 *     never written through it);
 *   - anything else (a directory, a socket, a block device) is refused.
 *
 * Errors are "PATH: message" in *cause.
 */
#ifndef LOCKSTEP_EXPORT_OUTFILE_H
#define LOCKSTEP_EXPORT_OUTFILE_H

#define OUTFILE_SEEKABLE	0x1	/* the writer uses pwrite(2) */

struct outfile;

/* Open path for writing; NULL with *cause if it is refused. */
struct outfile	*outfile_open(const char *path, int flags, char **cause);
/* The descriptor to write to (owned by the outfile). */
int		 outfile_fd(const struct outfile *);
/* Make the content durable and put it in place under its name; the
   descriptor is closed. 0, or -1 with *cause (nothing is then left). */
int		 outfile_commit(struct outfile *, char **cause);
/* Free; an output not committed is discarded (nothing is left). */
void		 outfile_free(struct outfile *);

/* Remove every temporary name of this process now (async-signal-safe:
   for a signal handler that ends the process some other way). */
void		 outfile_signal_cleanup(void);

#endif
