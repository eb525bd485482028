/*
 * ui/source.h: where the live view gets its events from.
 *
 * The views never know whether they draw a run happening now or one
 * recorded earlier: both are a struct ui_source, a small table of
 * operations over either a live struct run (real threads and processes,
 * run.h) or an array of recorded events with their meta (a trace file,
 * or a synthetic array in the frame benchmark). The loop in live.c polls
 * the source's wake fd (live) or asks for a tick after next_tick() ms
 * (recorded, while playing), then reads batches and applies them to the
 * model.
 *
 * A recorded source releases events one "step" at a time: a step ends
 * with the next TRACE_STEP event (a worker reaching its next statement)
 * or wait that blocks (a lock, slot, condition, channel or join), which
 * is where a live step ends too. Stepping back rewinds the
 * released limit to the previous step boundary; the caller then resets
 * the model and re-reads from the first event, or restores a checkpoint
 * of its own and re-reads from there (reread_from). seek() moves the
 * limit to any event (the start, the end, a detection found by scanning
 * events()). A recording opened with tracefile_map() stays in its file:
 * the source drops the pages behind what it has read.
 *
 * Both can save what they have as a trace file (the `w` key): the live
 * source keeps every event it hands out (up to UI_SOURCE_KEEP_MAX; past
 * that it counts what it could not keep), only the last UI_SOURCE_WINDOW
 * of them in memory and the rest in a temporary file (trace/keep.h), and
 * saves them with the run's string table and step choices; the recorded
 * one writes its recording again, whole.
 */
#ifndef LOCKSTEP_UI_SOURCE_H
#define LOCKSTEP_UI_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/event.h"
#include "trace/meta.h"

struct run;
struct ui_source;
struct scn_file;
struct tracefile;

/* Events a live source keeps for saving: 2^28 (8 GB of temporary file;
   8M in memory where no file can be made), of which the last 2^19 (16 MB)
   stay in memory. */
#define UI_SOURCE_KEEP_MAX	((size_t)1 << 28)
#define UI_SOURCE_WINDOW	((size_t)1 << 19)

/* What save() wrote. */
struct ui_source_saved {
	uint64_t	events;		/* events in the file */
	uint64_t	cut;		/* read but not kept (over the cap);
					   counted as dropped in the file */
	size_t		choices;	/* step choices in the file */
	int		ran;		/* the run went on by itself (Space) since
					   its start: those steps are not in
					   the choices */
};

struct ui_source_ops {
	const char	 *name;
	void		 (*free)(struct ui_source *);
	int		 (*restart)(struct ui_source *, char **cause);
	/* Readable when events may be waiting, or -1. */
	int		 (*wake_fd)(struct ui_source *);
	/* Arm the wake fd before poll(): 1 if events arrived meanwhile (read
	   again instead of sleeping), 0 if the caller may sleep. */
	int		 (*prepare_sleep)(struct ui_source *);
	/* Milliseconds until tick() wants to be called, or -1. */
	int		 (*next_tick)(struct ui_source *);
	void		 (*tick)(struct ui_source *);
	size_t		 (*read)(struct ui_source *, struct trace_event *,
			     size_t max);
	int		 (*finished)(struct ui_source *);
	/* A finished live run whose runner died without its end marker: 1
	   with "the runner died: signal N" in buf (NULL op: never). */
	int		 (*lost)(struct ui_source *, char *buf, size_t len);
	void		 (*pause)(struct ui_source *);
	void		 (*resume)(struct ui_source *);
	int		 (*paused)(struct ui_source *);
	void		 (*set_tempo)(struct ui_source *, int ms);
	int		 (*step)(struct ui_source *, int w);
	int		 (*at_gate)(struct ui_source *, int w);
	/* Rewind one step; 1 if the caller must reset and re-read, 0 if
	   already at the start, -1 if the source cannot go back. */
	int		 (*back)(struct ui_source *);
	const char	*(*string)(struct ui_source *, int64_t offset);
	uint64_t	 (*dropped)(struct ui_source *);
	/* Where a recorded source is: released and total events. */
	void		 (*position)(struct ui_source *, uint64_t *at,
			     uint64_t *total);
	/* Release exactly the first at events (clamped to the start-up
	   events and the end) and pause; 1 if the caller must reset and
	   re-read, 0 if it only reads on, -1 if the source cannot seek. */
	int		 (*seek)(struct ui_source *, uint64_t at);
	/* After back() or seek() returned 1: read again from event at (the
	   caller restored a checkpoint of its own state there) instead of
	   from the first. NULL: only from the first. */
	void		 (*reread_from)(struct ui_source *, uint64_t at);
	/* Let go of the memory a scan of events() brought in (NULL: none). */
	void		 (*trim)(struct ui_source *);
	/* Every event the source holds (recorded: the whole recording;
	   live: those read so far), for scanning. */
	const struct trace_event *(*events)(struct ui_source *, size_t *n);
	/* Write a trace file (tracefile_save: as every output, outfile.h).
	   Returns 0, or -1 and *cause. */
	int		 (*save)(struct ui_source *, const char *path,
			     struct ui_source_saved *, char **cause);
	/* Added for a traced program (preload/trace-source.c), whose meta
	   grows as it runs; NULL elsewhere. grown(): read() stopped at an
	   event the meta does not cover. regrow(): grow the meta and read
	   again from the first event (the caller first frees what it sized
	   by the meta, then makes it again). */
	int		 (*grown)(struct ui_source *);
	void		 (*regrow)(struct ui_source *);
	/* Why back() could not go back (-1), or what it could not retrace
	   (after 1); NULL: nothing to add. NULL op: never. */
	const char	*(*back_note)(struct ui_source *, int r);
	/* Live runs of a scenario (NULL elsewhere). explore(): search the
	   continuations of the run so far (explore/explore.h) and load the
	   first failing one as the run's schedule; 1 found and loaded (the
	   caller resets and re-reads), 0 nothing fails, -1 error; msg says
	   what, either way. scheduled(): the worker the loaded schedule has
	   next, or -1; caption(): what the next step is in it (a preemption
	   the explorer found), or NULL. */
	int		 (*explore)(struct ui_source *, char *msg, size_t len);
	int		 (*scheduled)(struct ui_source *);
	const char	*(*caption)(struct ui_source *);
};

struct ui_source {
	const struct ui_source_ops	*ops;
	const struct trace_meta		*meta;
	int				 recorded;
	void				*data;
};

/* A live run, already started. The source does not own the run. */
struct ui_source	*ui_source_live_create(struct run *,
			    const struct scn_file *, const struct trace_meta *);
/* Recorded events (not copied: they must outlive the source). strtab may
   be NULL. */
struct ui_source	*ui_source_recorded_create(const struct trace_meta *,
			    const struct trace_event *, size_t nevents,
			    const char *strtab, size_t strtab_len);
/* What a recorded source writes again when saved, besides its events:
   the step choices and dropped count of the file it came from (not
   copied). */
void			 ui_source_recorded_extra(struct ui_source *,
			    const uint16_t *choices, size_t nchoices,
			    uint64_t dropped);
/* The recorded events are the mapping of tf (tracefile_map): the source
   keeps only a window of them in memory, dropping what it has read. */
void			 ui_source_recorded_file(struct ui_source *,
			    const struct tracefile *);
void			 ui_source_free(struct ui_source *);

#endif
