/*
 * tests/check_export_state.h: compare two models field by field.
 *
 * The replay promise is "what the screen shows at event N is what it
 * showed live at event N"; the screen draws only from the model's public
 * state, so two models are equal for that purpose when every field of
 * struct model that views read is equal. state_diff() returns NULL when
 * they are, or a description of the first difference.
 */
#ifndef LOCKSTEP_TESTS_EXPORT_STATE_H
#define LOCKSTEP_TESTS_EXPORT_STATE_H

#include <stdio.h>
#include <string.h>

#include "model/model.h"

#define STATE_FIELD(what, a, b) do {					\
	if ((a) != (b)) {						\
		snprintf(state_buf, sizeof state_buf, "%s %zu: %s: %lld "\
		    "!= %lld", kind, idx, what, (long long)(a),		\
		    (long long)(b));					\
		return (state_buf);					\
	}								\
} while (0)

#define STATE_MEM(what, a, b, n) do {					\
	if ((n) > 0 && memcmp((a), (b), (n)) != 0) {			\
		snprintf(state_buf, sizeof state_buf, "%s %zu: %s "	\
		    "differ", kind, idx, what);				\
		return (state_buf);					\
	}								\
} while (0)

static char	state_buf[256];

static const char *
state_diff(const struct model *a, const struct model *b)
{
	const struct trace_meta		*meta = a->meta;
	const struct model_worker	*wa, *wb;
	const struct model_object	*oa, *ob;
	const struct model_detect	*da = &a->detect, *db = &b->detect;
	const char			*kind = "model";
	size_t				 idx = 0, i, n;

	STATE_FIELD("nevents", a->nevents, b->nevents);
	STATE_FIELD("t0", a->t0, b->t0);
	STATE_FIELD("now", a->now, b->now);
	STATE_FIELD("dropped", a->dropped, b->dropped);
	STATE_FIELD("run_ended", a->run_ended, b->run_ended);
	STATE_FIELD("ignored", a->ignored, b->ignored);
	STATE_FIELD("errors", a->errors, b->errors);
	STATE_MEM("nstate", a->nstate, b->nstate, sizeof a->nstate);

	kind = "worker";
	for (idx = 0; idx < meta->nworkers; idx++) {
		wa = &a->workers[idx];
		wb = &b->workers[idx];
		STATE_FIELD("state", wa->state, wb->state);
		STATE_FIELD("line", wa->line, wb->line);
		STATE_FIELD("col", wa->col, wb->col);
		STATE_FIELD("blocked_on", wa->blocked_on, wb->blocked_on);
		STATE_FIELD("blocked_op", wa->blocked_op, wb->blocked_op);
		STATE_FIELD("blocked_line", wa->blocked_line, wb->blocked_line);
		STATE_FIELD("since", wa->since, wb->since);
		STATE_FIELD("nheld", wa->nheld, wb->nheld);
		STATE_MEM("held", wa->held, wb->held,
		    (size_t)wa->nheld * sizeof wa->held[0]);
		STATE_FIELD("last_value", wa->last_value, wb->last_value);
		STATE_FIELD("steps", wa->steps, wb->steps);
		STATE_FIELD("exit_status", wa->exit_status, wb->exit_status);
		STATE_FIELD("signal", wa->signal, wb->signal);
		STATE_FIELD("task", wa->task, wb->task);
		STATE_FIELD("woken", wa->woken, wb->woken);
		STATE_FIELD("timeout", wa->timeout, wb->timeout);
		STATE_FIELD("start_requested", wa->start_requested,
		    wb->start_requested);
		STATE_FIELD("held_untracked", wa->held_untracked,
		    wb->held_untracked);
	}

	kind = "object";
	for (idx = 0; idx < meta->nobjects; idx++) {
		oa = &a->objects[idx];
		ob = &b->objects[idx];
		STATE_FIELD("owner", oa->owner, ob->owner);
		STATE_FIELD("depth", oa->depth, ob->depth);
		STATE_FIELD("value", oa->value, ob->value);
		STATE_FIELD("nholders", oa->nholders, ob->nholders);
		STATE_MEM("holders", oa->holders, ob->holders,
		    (size_t)oa->nholders * sizeof oa->holders[0]);
		STATE_FIELD("nwaiters", oa->nwaiters, ob->nwaiters);
		STATE_MEM("waiters", oa->waiters, ob->waiters,
		    (size_t)oa->nwaiters * sizeof oa->waiters[0]);
		STATE_FIELD("nitems", oa->nitems, ob->nitems);
		for (i = 0; i < oa->nitems; i++) {
			STATE_FIELD("item value", oa->items[i].value,
			    ob->items[i].value);
			STATE_FIELD("item priority", oa->items[i].priority,
			    ob->items[i].priority);
			STATE_FIELD("item from", oa->items[i].from,
			    ob->items[i].from);
			STATE_FIELD("item seq", oa->items[i].seq,
			    ob->items[i].seq);
			STATE_FIELD("item end", oa->items[i].end,
			    ob->items[i].end);
		}
		STATE_FIELD("closed", oa->closed, ob->closed);
		STATE_FIELD("eof_seen", oa->eof_seen, ob->eof_seen);
		STATE_FIELD("ncells", oa->ncells, ob->ncells);
		STATE_MEM("cells", oa->cells, ob->cells,
		    oa->ncells * sizeof oa->cells[0]);
		STATE_FIELD("last_writer", oa->last_writer, ob->last_writer);
		STATE_FIELD("signalling", oa->signalling, ob->signalling);
		STATE_FIELD("untracked", oa->untracked, ob->untracked);
		STATE_FIELD("arrived", oa->arrived, ob->arrived);
		STATE_FIELD("generation", oa->generation, ob->generation);
		STATE_FIELD("busy", oa->busy, ob->busy);
		STATE_FIELD("lost_updates", oa->lost_updates, ob->lost_updates);
		STATE_FIELD("ends_open", oa->ends_open, ob->ends_open);
		STATE_FIELD("ntasks", oa->ntasks, ob->ntasks);
		if (oa->ntasks > 0) {
			n = oa->ntasks;
			STATE_MEM("task_worker", oa->task_worker,
			    ob->task_worker, n * sizeof oa->task_worker[0]);
			STATE_MEM("results", oa->results, ob->results,
			    n * sizeof oa->results[0]);
			STATE_MEM("result_done", oa->result_done,
			    ob->result_done, n);
		}
		STATE_MEM("stat", oa->stat, ob->stat, sizeof oa->stat);
	}

	kind = "detect";
	idx = 0;
	STATE_FIELD("deadlock", da->deadlock, db->deadlock);
	STATE_FIELD("cycle n", da->cycle.n, db->cycle.n);
	if (da->cycle.n > 0) {
		STATE_MEM("cycle workers", da->cycle.workers, db->cycle.workers,
		    da->cycle.n * sizeof da->cycle.workers[0]);
		STATE_MEM("cycle objects", da->cycle.objects, db->cycle.objects,
		    da->cycle.n * sizeof da->cycle.objects[0]);
		STATE_MEM("cycle lines", da->cycle.lines, db->cycle.lines,
		    da->cycle.n * sizeof da->cycle.lines[0]);
		STATE_MEM("cycle ops", da->cycle.ops, db->cycle.ops,
		    da->cycle.n * sizeof da->cycle.ops[0]);
		STATE_FIELD("deadlock_event", da->deadlock_event,
		    db->deadlock_event);
	}
	STATE_FIELD("stall", da->stall, db->stall);
	if (da->stall)
		STATE_FIELD("stall_event", da->stall_event, db->stall_event);
	STATE_FIELD("self_deadlock", da->self_deadlock, db->self_deadlock);
	if (da->self_deadlock) {
		STATE_FIELD("self_worker", da->self_worker, db->self_worker);
		STATE_FIELD("self_object", da->self_object, db->self_object);
	}
	STATE_FIELD("deadlock_timed", da->deadlock_timed, db->deadlock_timed);
	STATE_FIELD("stall_timed", da->stall_timed, db->stall_timed);
	STATE_FIELD("deadlocks_seen", da->deadlocks_seen, db->deadlocks_seen);
	STATE_FIELD("stalls_seen", da->stalls_seen, db->stalls_seen);
	STATE_FIELD("self_deadlocks_seen", da->self_deadlocks_seen,
	    db->self_deadlocks_seen);
	STATE_FIELD("hard_deadlock_seen", da->hard_deadlock_seen,
	    db->hard_deadlock_seen);
	STATE_FIELD("hard_stall_seen", da->hard_stall_seen,
	    db->hard_stall_seen);
	STATE_FIELD("ninversions", da->ninversions, db->ninversions);
	for (idx = 0; idx < da->ninversions; idx++) {
		const struct model_inversion *ia = &da->inversions[idx];
		const struct model_inversion *ib = &db->inversions[idx];

		kind = "inversion";
		STATE_FIELD("first", ia->first, ib->first);
		STATE_FIELD("second", ia->second, ib->second);
		STATE_FIELD("worker_ab", ia->worker_ab, ib->worker_ab);
		STATE_FIELD("worker_ba", ia->worker_ba, ib->worker_ba);
		STATE_FIELD("line_ab", ia->line_ab, ib->line_ab);
		STATE_FIELD("line_ba", ia->line_ba, ib->line_ba);
		STATE_FIELD("hold_line_ab", ia->hold_line_ab, ib->hold_line_ab);
		STATE_FIELD("hold_line_ba", ia->hold_line_ba, ib->hold_line_ba);
		STATE_FIELD("nlocks", ia->nlocks, ib->nlocks);
		STATE_MEM("locks", ia->locks, ib->locks,
		    ia->nlocks * sizeof ia->locks[0]);
	}
	kind = "detect";
	idx = 0;
	STATE_FIELD("nowner_died", da->nowner_died, db->nowner_died);
	STATE_MEM("owner_died", da->owner_died, db->owner_died,
	    da->nowner_died * sizeof da->owner_died[0]);
	return (NULL);
}

#endif
