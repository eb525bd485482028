/*
 * cli/summary.c: what `lockstep run --headless` and `lockstep trace
 * --headless` print about a finished, judged run (runtime/headless.h):
 * the human summary, or with --json one JSON object.
 *
 * Every name, path and text in the summary comes from a scenario or a
 * traced program and is escaped (util/esc.h); the JSON strings come from
 * the one writer (util/json.h), which makes invalid UTF-8 U+FFFD.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/summary.h"
#include "util/esc.h"
#include "util/json.h"

static const char *
summary_wname(const struct trace_meta *meta, uint16_t w)
{
	if (w < meta->nworkers)
		return (meta->workers[w].name);
	return ("?");
}

static const char *
summary_oname(const struct trace_meta *meta, uint16_t o)
{
	if (o < meta->nobjects)
		return (meta->objects[o].name);
	return ("?");
}

static const char *
summary_kind(enum trace_worker_kind k)
{
	switch (k) {
	case TRACE_WORKER_THREAD:
		return ("thread");
	case TRACE_WORKER_PROCESS:
		return ("process");
	case TRACE_WORKER_MAIN:
		return ("main");
	}
	return ("?");
}

static const char *
summary_stop_name(enum headless_stop s)
{
	switch (s) {
	case HEADLESS_FINISHED:
		return ("finished");
	case HEADLESS_DEADLOCK:
		return ("stopped: deadlock");
	case HEADLESS_STALL:
		return ("stopped: stall");
	case HEADLESS_TIMEOUT:
		return ("stopped: timeout");
	case HEADLESS_LOST:
		return ("error: the runner died");
	case HEADLESS_START_FAILED:
		return ("error: a worker could not be started");
	}
	return ("?");
}

/* Whether object o has a max_holders worth showing (locks, semaphores). */
static int
summary_holdable(const struct trace_meta *meta, size_t o)
{
	enum trace_obj_kind	k = meta->objects[o].kind;

	return (k == TRACE_OBJ_MUTEX || k == TRACE_OBJ_RLOCK ||
	    k == TRACE_OBJ_SEMAPHORE);
}

void
summary_print_text(FILE *f, const struct trace_meta *meta,
    const struct headless_result *res)
{
	const struct model		*m = res->model;
	const struct model_detect	*d = &m->detect;
	const struct model_worker	*mw;
	char				 buf[8192];
	size_t				 i, expected = 0, failed = 0;
	int64_t				 v;

	for (i = 0; i < meta->nexpects; i++) {
		expected++;
		failed += res->held[i] ? 0 : 1;
	}
	/* Scenario text and file names are escaped (util/esc.h): an ESC
	   in a title must not reach the terminal raw. */
	fputs("scenario: ", f);
	esc_fputs(meta->path, f);
	if (meta->title != NULL) {
		fputs(" - ", f);
		esc_fputs(meta->title, f);
	}
	fputc('\n', f);
	if (res->stop == HEADLESS_LOST || res->stop == HEADLESS_START_FAILED)
		fprintf(f, "verdict: ERROR (%s)\n", res->lost);
	else
		fprintf(f, "verdict: %s (%zu of %zu expectation%s held)\n",
		    res->pass ? "PASS" : "FAIL", expected - failed, expected,
		    expected == 1 ? "" : "s");
	for (i = 0; i < meta->nexpects; i++) {
		fprintf(f, "  [%s] ", res->held[i] ? " ok " : "FAIL");
		esc_fputs(meta->expects[i].text, f);
		fprintf(f, " (line %d)\n", meta->expects[i].line);
	}
	for (i = 0; i < res->nproblems; i++) {
		fputs("  [FAIL] ", f);
		esc_fputs(res->problems[i], f);
		fputc('\n', f);
	}

	fprintf(f, "workers:\n");
	for (i = 0; i < meta->nworkers; i++) {
		mw = &m->workers[i];
		fprintf(f, "  %-14s %-8s %-12s", meta->workers[i].name,
		    summary_kind(meta->workers[i].kind),
		    model_wstate_name(mw->state));
		if (mw->state == MODEL_W_DONE)
			fprintf(f, " exit %" PRId64, mw->exit_status);
		else if (mw->state == MODEL_W_CRASHED)
			fprintf(f, " signal %d", mw->signal);
		if (mw->line > 0)
			fprintf(f, "  line %d", mw->line);
		if (mw->state == MODEL_W_BLOCKED &&
		    mw->blocked_on != TRACE_NO_OBJECT)
			fprintf(f, "  waiting on %s", mw->blocked_op ==
			    TRACE_JOIN_WAIT ? summary_wname(meta,
			    mw->blocked_on) : summary_oname(meta,
			    mw->blocked_on));
		fputc('\n', f);
	}

	for (i = 0; i < meta->nobjects; i++) {
		if (meta->objects[i].kind != TRACE_OBJ_SHARED)
			continue;
		fprintf(f, "shared: %s = %" PRId64, meta->objects[i].name,
		    m->objects[i].value);
		if (model_metric_expected(m, (uint16_t)i, &v) == 0)
			fprintf(f, " (expected %" PRId64 ")", v);
		if (m->objects[i].lost_updates > 0)
			fprintf(f, ", %" PRIu64 " lost update%s",
			    m->objects[i].lost_updates,
			    m->objects[i].lost_updates == 1 ? "" : "s");
		fputc('\n', f);
	}
	for (i = 0; i < meta->nobjects; i++) {
		if (!summary_holdable(meta, i))
			continue;
		fprintf(f, "max holders: %s = %" PRId64 "\n",
		    meta->objects[i].name,
		    m->objects[i].stat[TRACE_METRIC_MAX_HOLDERS]);
	}

	if (d->deadlocks_seen > 0 && d->cycle.n > 0) {
		model_cycle_string(m, buf, sizeof buf);
		fprintf(f, "deadlock: %s\n", buf);
		for (i = 0; i < d->cycle.n; i++)
			fprintf(f, "  %s waits for %s at line %d\n",
			    summary_wname(meta, d->cycle.workers[i]),
			    d->cycle.ops != NULL && d->cycle.ops[i] ==
			    TRACE_JOIN_WAIT ? summary_wname(meta,
			    d->cycle.objects[i]) : summary_oname(meta,
			    d->cycle.objects[i]), d->cycle.lines[i]);
		if (d->why[0] != '\0')
			fprintf(f, "why: %s\n", d->why);
	}
	if (d->self_deadlocks_seen > 0)
		fprintf(f, "self-deadlock: %s waits for %s, which it holds\n",
		    summary_wname(meta, d->self_worker),
		    summary_oname(meta, d->self_object));
	if (d->stalls_seen > 0 && d->stall_why[0] != '\0')
		fprintf(f, "stall: %s\n", d->stall_why);
	else if (d->stalls_seen > 0)
		fprintf(f, "stall: blocked workers nobody can wake, no "
		    "cycle\n");
	for (i = 0; i < d->ninversions; i++) {
		model_inversion_string(m, &d->inversions[i], buf, sizeof buf);
		fprintf(f, "potential deadlock: %s\n", buf);
	}
	for (i = 0; i < d->nowner_died; i++)
		fprintf(f, "owner died: %s: %s died holding it, %s took it\n",
		    summary_oname(meta, d->owner_died[i].object),
		    summary_wname(meta, d->owner_died[i].dead_worker),
		    summary_wname(meta, d->owner_died[i].new_owner));
	for (i = 0; i < res->nerrors; i++) {
		fprintf(f, "error: %s: ", summary_wname(meta,
		    res->errors[i].worker));
		esc_fputs(res->errors[i].text, f);
		fputc('\n', f);
	}
	fprintf(f, "events: %" PRIu64 ", dropped: %" PRIu64 "\n",
	    res->events, res->dropped);
	if (res->scheduled)
		fprintf(f, "scenario time: %" PRIu64 ".%03" PRIu64 " ms "
		    "(scheduled: one worker at a time)\n",
		    res->scenario_ns / 1000000, res->scenario_ns / 1000 % 1000);
	fprintf(f, "elapsed: %" PRIu64 " ms (%s)\n", res->elapsed_ms,
	    summary_stop_name(res->stop));
}

/* JSON strings come from the one writer (util/json.c): invalid UTF-8 in
   a name or path becomes U+FFFD, so the output is always valid JSON. */
static void
json_str(FILE *f, const char *s)
{
	json_string(f, s);
}

/* Every edge of a lock-order cycle: who took which lock while holding
   which, at which lines. */
static void
summary_json_edges(FILE *f, const struct trace_meta *meta,
    const struct model_inversion *inv)
{
	size_t	i, n = inv->nlocks;

	if (inv->workers == NULL)
		return;
	fputs(",\"edges\":[", f);
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ",{\"worker\":" : "{\"worker\":", f);
		json_str(f, summary_wname(meta, inv->workers[i]));
		fputs(",\"takes\":", f);
		json_str(f, summary_oname(meta, inv->locks[(i + 1) % n]));
		fprintf(f, ",\"line\":%d,\"holding\":", inv->lines[i]);
		json_str(f, summary_oname(meta, inv->locks[i]));
		fprintf(f, ",\"hold_line\":%d}", inv->hold_lines[i]);
	}
	fputc(']', f);
}

void
summary_print_json(FILE *f, const struct trace_meta *meta,
    const struct headless_result *res)
{
	const struct model		*m = res->model;
	const struct model_detect	*d = &m->detect;
	const struct model_worker	*mw;
	char				 buf[8192];
	size_t				 i, n;
	int64_t				 v;
	int				 error;

	fputs("{\"scenario\":", f);
	json_str(f, meta->path);
	fputs(",\"title\":", f);
	json_str(f, meta->title);
	error = res->stop == HEADLESS_LOST ||
	    res->stop == HEADLESS_START_FAILED;
	fprintf(f, ",\"verdict\":\"%s\"", error ? "error" : res->pass ?
	    "pass" : "fail");
	fputs(",\"stop\":", f);
	json_str(f, res->stop == HEADLESS_FINISHED ? "finished" :
	    res->stop == HEADLESS_DEADLOCK ? "deadlock" :
	    res->stop == HEADLESS_STALL ? "stall" :
	    res->stop == HEADLESS_LOST ? "runner-died" :
	    res->stop == HEADLESS_START_FAILED ? "start-failed" : "timeout");
	if (error) {
		fputs(",\"error\":", f);
		json_str(f, res->lost);
	}

	fputs(",\"expectations\":[", f);
	for (i = 0; i < meta->nexpects; i++) {
		fputs(i > 0 ? ",{\"text\":" : "{\"text\":", f);
		json_str(f, meta->expects[i].text);
		fprintf(f, ",\"line\":%d,\"held\":%s}", meta->expects[i].line,
		    res->held[i] ? "true" : "false");
	}
	fputs("],\"problems\":[", f);
	for (i = 0; i < res->nproblems; i++) {
		if (i > 0)
			fputc(',', f);
		json_str(f, res->problems[i]);
	}

	fputs("],\"workers\":[", f);
	for (i = 0; i < meta->nworkers; i++) {
		mw = &m->workers[i];
		fputs(i > 0 ? ",{\"name\":" : "{\"name\":", f);
		json_str(f, meta->workers[i].name);
		fprintf(f, ",\"kind\":\"%s\",\"daemon\":%s,\"state\":",
		    summary_kind(meta->workers[i].kind),
		    meta->workers[i].flags & TRACE_WORKERF_DAEMON ? "true" :
		    "false");
		json_str(f, model_wstate_name(mw->state));
		fprintf(f, ",\"exit_status\":%" PRId64 ",\"signal\":%d,"
		    "\"line\":%d,\"steps\":%" PRIu64, mw->exit_status,
		    mw->signal, mw->line, mw->steps);
		if (mw->state == MODEL_W_BLOCKED &&
		    mw->blocked_on != TRACE_NO_OBJECT) {
			fputs(",\"waiting_on\":", f);
			json_str(f, mw->blocked_op == TRACE_JOIN_WAIT ?
			    summary_wname(meta, mw->blocked_on) :
			    summary_oname(meta, mw->blocked_on));
		}
		fputc('}', f);
	}

	fputs("],\"shared\":[", f);
	for (i = 0, n = 0; i < meta->nobjects; i++) {
		if (meta->objects[i].kind != TRACE_OBJ_SHARED)
			continue;
		fputs(n++ > 0 ? ",{\"name\":" : "{\"name\":", f);
		json_str(f, meta->objects[i].name);
		fprintf(f, ",\"value\":%" PRId64, m->objects[i].value);
		if (model_metric_expected(m, (uint16_t)i, &v) == 0)
			fprintf(f, ",\"expected\":%" PRId64, v);
		else
			fputs(",\"expected\":null", f);
		fprintf(f, ",\"lost_updates\":%" PRIu64 "}",
		    m->objects[i].lost_updates);
	}
	fputs("],\"max_holders\":{", f);
	for (i = 0, n = 0; i < meta->nobjects; i++) {
		if (!summary_holdable(meta, i))
			continue;
		if (n++ > 0)
			fputc(',', f);
		json_str(f, meta->objects[i].name);
		fprintf(f, ":%" PRId64,
		    m->objects[i].stat[TRACE_METRIC_MAX_HOLDERS]);
	}

	/* Every metric an `expect` could name, per object that has it. */
	fputs("},\"metrics\":{", f);
	for (i = 0, n = 0; i < meta->nobjects; i++) {
		int	nm = 0, k;

		for (k = 0; k < TRACE_METRIC_COUNT; k++) {
			if (model_metric(m, (enum trace_metric)k, (uint16_t)i,
			    &v) != 0)
				continue;
			if (nm++ == 0) {
				if (n++ > 0)
					fputc(',', f);
				json_str(f, meta->objects[i].name);
				fputs(":{", f);
			} else
				fputc(',', f);
			json_str(f, trace_metric_name((enum trace_metric)k));
			fprintf(f, ":%" PRId64, v);
		}
		if (nm > 0)
			fputc('}', f);
	}

	fputs("},\"deadlock\":", f);
	if (d->deadlocks_seen > 0 && d->cycle.n > 0) {
		model_cycle_string(m, buf, sizeof buf);
		fputs("{\"text\":", f);
		json_str(f, buf);
		fputs(",\"cycle\":[", f);
		for (i = 0; i < d->cycle.n; i++) {
			fputs(i > 0 ? ",{\"worker\":" : "{\"worker\":", f);
			json_str(f, summary_wname(meta, d->cycle.workers[i]));
			fputs(",\"waits_for\":", f);
			json_str(f, d->cycle.ops != NULL && d->cycle.ops[i] ==
			    TRACE_JOIN_WAIT ? summary_wname(meta,
			    d->cycle.objects[i]) : summary_oname(meta,
			    d->cycle.objects[i]));
			fprintf(f, ",\"line\":%d}", d->cycle.lines[i]);
		}
		fputs("],\"why\":", f);
		json_str(f, d->why);
		fputc('}', f);
	} else
		fputs("null", f);
	fputs(",\"self_deadlock\":", f);
	if (d->self_deadlocks_seen > 0) {
		fputs("{\"worker\":", f);
		json_str(f, summary_wname(meta, d->self_worker));
		fputs(",\"object\":", f);
		json_str(f, summary_oname(meta, d->self_object));
		fputc('}', f);
	} else
		fputs("null", f);
	fprintf(f, ",\"stall\":%s", d->stalls_seen > 0 ? "true" : "false");
	fputs(",\"stall_why\":", f);
	if (d->stalls_seen > 0 && d->stall_why[0] != '\0')
		json_str(f, d->stall_why);
	else
		fputs("null", f);
	fputs(",\"potential_deadlocks\":[", f);
	for (i = 0; i < d->ninversions; i++) {
		model_inversion_string(m, &d->inversions[i], buf, sizeof buf);
		fputs(i > 0 ? ",{\"first\":" : "{\"first\":", f);
		json_str(f, summary_oname(meta, d->inversions[i].first));
		fputs(",\"second\":", f);
		json_str(f, summary_oname(meta, d->inversions[i].second));
		fputs(",\"text\":", f);
		json_str(f, buf);
		summary_json_edges(f, meta, &d->inversions[i]);
		fputc('}', f);
	}
	fputs("],\"owner_died\":[", f);
	for (i = 0; i < d->nowner_died; i++) {
		fputs(i > 0 ? ",{\"object\":" : "{\"object\":", f);
		json_str(f, summary_oname(meta, d->owner_died[i].object));
		fputs(",\"dead\":", f);
		json_str(f, summary_wname(meta, d->owner_died[i].dead_worker));
		fputs(",\"new_owner\":", f);
		json_str(f, summary_wname(meta, d->owner_died[i].new_owner));
		fputc('}', f);
	}
	fputs("],\"errors\":[", f);
	for (i = 0; i < res->nerrors; i++) {
		fputs(i > 0 ? ",{\"worker\":" : "{\"worker\":", f);
		json_str(f, summary_wname(meta, res->errors[i].worker));
		fprintf(f, ",\"line\":%d,\"text\":", res->errors[i].line);
		json_str(f, res->errors[i].text);
		fputc('}', f);
	}
	fprintf(f, "],\"timed_out\":%s,\"events\":%" PRIu64 ",\"dropped\":%"
	    PRIu64 ",\"elapsed_ms\":%" PRIu64,
	    res->stop == HEADLESS_TIMEOUT ? "true" : "false", res->events,
	    res->dropped, res->elapsed_ms);
	if (res->scheduled)
		fprintf(f, ",\"scenario_ns\":%" PRIu64, res->scenario_ns);
	fputs("}\n", f);
}
