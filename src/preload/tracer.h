/*
 * preload/tracer.h: one traced program (`lockstep trace`), for the
 * headless loop (cli/trace-cmd.c) and the live view's source
 * (preload/trace-source.c).
 *
 * tracer_start() maps the shared tables and rings (preload/shm.h) and
 * starts the program under the interposition library. tracer_pull()
 * moves whatever the rings hold into events[] (in merged order, each
 * TRACE_STEP's call site already turned into its source line). The meta
 * does not grow by itself: a consumer sized by it (a model, the live
 * view) asks tracer_fits() before it takes an event, and when one does
 * not fit, frees what it sized, calls tracer_grow_meta(), and applies
 * the events so far again. tracer_deliver() must see each event once it
 * fits (it adds channel peers to the meta, after which the same rebuild
 * is due).
 */
#ifndef LOCKSTEP_PRELOAD_TRACER_H
#define LOCKSTEP_PRELOAD_TRACER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "preload/elf.h"
#include "preload/shm.h"
#include "trace/meta.h"
#include "trace/ring.h"

#define TRACER_LIB		"lockstep-preload.so"
#define TRACER_TIMEOUT_MS	10000
#define TRACER_SPIN_MS		50	/* running without a call: busy-wait */

struct tracer_module {
	char			*path;
	struct preload_elf	*elf;	/* NULL if unreadable */
};

struct tracer {
	/* Options, set before tracer_start(). */
	int			 timeout_ms;
	int			 stepped;	/* start paused, step by policy */
	int			 paused;	/* start paused (live view) */
	int			 capture;	/* output as PRINT events */
	uint64_t		 prng;
	uint16_t		*schedule;
	size_t			 nschedule, sched_pos;
	const char		*stdout_path, *stderr_path;
	char			*prog;
	char			**argv;
	const char		*lib;		/* as tracer_start() got it */

	struct preload_shm	*shm;
	size_t			 size;
	int			 memfd, wake_fd;
	struct trace_ring_set	*rings;
	struct trace_consumer	*consumer;
	struct trace_producer	 fe;		/* front end's own ring */
	pid_t			 pid, frontend;
	int			 status, reaped;
	int			 exited;	/* ended by itself */
	int			 finished;	/* tracer_finish() ran */
	int			 strays;	/* processes that had left the
						   group, killed at the end */

	struct trace_meta	 meta;
	struct trace_event	*events;	/* every event, in order */
	size_t			 nevents, cap;
	int			*site_line;	/* 0 unknown, -1 none */
	struct tracer_module	*mods;
	size_t			 nmods;
	uint16_t		*choices;
	size_t			 nchoices;
	uint64_t		 unsettled_since;	/* ms, 0 = settled */
	/* Captured output: the pipe, a partial line, the strings. */
	int			 out_fd;
	char			*outbuf;
	size_t			 outlen;
	char			*strtab;
	size_t			 strtab_len;
};

void		 tracer_init(struct tracer *);
void		 tracer_free(struct tracer *);	/* finishes it first */
/* Kill the run, start the program again paused (options kept). */
int		 tracer_restart(struct tracer *, const char *lib, char **cause);
/* Step it through choices from its start; -1 if it went another way. */
int		 tracer_replay(struct tracer *, const uint16_t *choices,
		     size_t n, int ms);
/* PROGRAM as execvp() would find it, and the library; NULL if none. */
char		*tracer_find_program(const char *);
char		*tracer_find_library(void);
int		 tracer_parse_schedule(struct tracer *, const char *);
/* Map, spawn; -1 and *cause if the run could not be started. */
int		 tracer_start(struct tracer *, const char *lib, char **cause);

size_t		 tracer_pull(struct tracer *);
int		 tracer_fits(const struct tracer *, const struct trace_event *);
void		 tracer_grow_meta(struct tracer *);
/* Channel peers from ev; returns how many were added to the meta. The
   model reads peers as if known from the start (a scenario's are), so a
   consumer that got new ones rebuilds its model over the events so far,
   this one included. */
int		 tracer_deliver(struct tracer *, const struct trace_event *);
/* Reap the program if it has exited: 1 once it has. */
int		 tracer_reap(struct tracer *);
/* Kill and reap the process group, end the workers that did not, pull
   the last events. Safe to call twice. */
void		 tracer_finish(struct tracer *);

/* Gates. */
int		 tracer_settled(const struct tracer *);
int		 tracer_steppable(struct tracer *);	/* or busy-waiting */
int		 tracer_at_gate(const struct tracer *, uint32_t w);
void		 tracer_give(struct tracer *, uint32_t w);
void		 tracer_step(struct tracer *);	/* schedule / seeded */
void		 tracer_pause(struct tracer *);
void		 tracer_resume(struct tracer *);
int		 tracer_paused(const struct tracer *);
void		 tracer_set_tempo(struct tracer *, int ms);

/* Captured output (capture set): read what the program wrote and emit
   each whole line as a TRACE_PRINT of the front end (worker
   TRACE_NO_WORKER: no worker's state changes); its text by offset. */
void		 tracer_output(struct tracer *);
const char	*tracer_string(const struct tracer *, int64_t off);

uint64_t	 tracer_now_ms(void);

#endif
