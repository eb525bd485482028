/*
 * scenario/exec.h: the executor, which runs one worker's statements.
 *
 * The runtime (runtime/runner.c) gives every worker, thread or process,
 * an exec_env: its trace producer, its sync context (object table), the
 * gate word and a table of hooks for what only the runtime can do (wait at
 * the step gate, start / join other workers, put text in the string
 * table, crash). exec_worker() then walks the AST: before each statement
 * it publishes its position, emits TRACE_STEP and passes its gate; a
 * non-atomic `x += n` passes a second gate (TRACE_MICROSTEP) between its
 * load and its store. At full speed the gate costs one relaxed load.
 *
 * The executor has no knowledge of processes or of the arena layout; the
 * scenario layer depends only on trace/ and sync/.
 */
#ifndef LOCKSTEP_SCENARIO_EXEC_H
#define LOCKSTEP_SCENARIO_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/ast.h"
#include "sync/sync.h"
#include "trace/meta.h"
#include "trace/ring.h"

struct exec_hooks {
	/* Slow path of the step gate (paused, stepping, or a tempo). */
	void		(*gate)(void *arg);
	/* start every copy of meta worker w.. (first .. first+n-1). */
	int		(*start)(void *arg, uint16_t first, int n, char **cause);
	/* Join meta worker w: 0 joined, 1 timed out, -1 error. */
	int		(*join)(void *arg, uint16_t w, int64_t timeout_ns,
			    char **cause);
	/* Copy text into the string table; returns its offset. */
	int64_t		(*intern)(void *arg, const char *, size_t);
	/* Offset of statement s's note (interned before the run), or -1. */
	int64_t		(*note)(void *arg, const struct scn_stmt *s);
	/* Die by a signal (`crash`); never returns. */
	void		(*crash)(void *arg) __attribute__((noreturn));
};

struct exec_env {
	const struct scn_file	*file;
	const struct trace_meta	*meta;
	struct sync_ctx		*sync;
	struct trace_producer	*tp;
	uint16_t		 worker;
	const uint32_t		*gate_fast;	/* nonzero: gates open, no
						   delay: skip the hook */
	int32_t			*pos_line;	/* published position */
	int32_t			*pos_col;
	const struct exec_hooks	*hooks;
	void			*arg;

	/* Executor state. */
	int			 status;	/* exit status so far */
	int			 task;		/* pool task, or -1 */
	int64_t			 result;
	int64_t			 vars[SCN_MAX_VARS];
};

/* Run worker env->worker to its end; returns its exit status (0, or 1
   after a runtime error, which was emitted as TRACE_ERROR). */
int		 exec_worker(struct exec_env *);

/* Call fn for every statement with a note (to intern them early). */
void		 exec_walk_notes(const struct scn_file *,
		    void (*fn)(void *, const struct scn_stmt *), void *arg);
/* Whether worker w's statements contain `crash` (a deliberate crash). */
int		 exec_has_crash(const struct scn_file *, const struct trace_meta *,
		    uint16_t w);

#endif
