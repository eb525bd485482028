/*
 * export/chrome.c: a trace file as Chrome Trace Event JSON.
 *
 * The output opens in Perfetto UI (ui.perfetto.dev) and chrome://tracing:
 *
 *   - process and thread tracks as the run had them: pid 1 is the runner
 *     (named after the scenario), which hosts every thread worker (tid =
 *     worker index + 1); each process worker is a process of its own
 *     (pid = worker index + 2) with one thread track; all named by "M"
 *     metadata events;
 *   - counter tracks (ph "C") in pid 1: each shared int's value, each
 *     semaphore's value and each channel's length, one sample whenever it
 *     changes (as the model computes them);
 *   - lock-held spans: an async slice (ph "b" / "e", cat "held") per
 *     holding of a mutex, rlock or condition lock, named "A held by t1",
 *     one async track per lock, so spans of different locks may overlap
 *     freely (X slices on a thread track must nest, holdings need not);
 *   - complete slices (ph "X"): the worker's life (named after it), each
 *     blocked interval from its *_WAIT event to the event that ended it
 *     (named by the object waited on, cat "blocked"), sleeps and computes;
 *     intervals still open at the end of the trace (a deadlock) are closed
 *     at the end of the trace plus a short tail and marked unfinished;
 *   - flow arrows (ph "s" -> "f", cat "flow") from the event that let a
 *     blocked worker go on to the event where it went on: a lock release
 *     to the acquire by a waiter, a semaphore post to a waiter's take, a
 *     notify to the wake-up, a put to a waiting get (and a get to a waiting
 *     put), the last arrival at a barrier to the passes, a worker's end to
 *     the join that waited for it;
 *   - instant events (ph "i"): detections by the model (deadlock and stall
 *     across all tracks, self-deadlock, lock-order inversion, owner died),
 *     notes, prints, errors and crashes on the worker's track.
 *
 * Timestamps are microseconds since the first event, printed with three
 * decimals so nanosecond stamps survive. Events are written in trace order
 * (the format does not require sorted input; the viewers sort).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "model/model.h"
#include "util/json.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

struct chrome_worker {
	int		 alive;
	uint64_t	 alive_start;
	int		 waiting;
	uint64_t	 wait_start;
	uint16_t	 wait_type, wait_obj;
	int		 wait_line;
	int		 busy;		/* sleeping or computing */
	uint64_t	 busy_start;
	uint16_t	 busy_type;
	int		 line;
};

/* The last event that could let a waiter on some object go on. */
struct chrome_enabler {
	int		 valid;
	uint64_t	 time;
	uint16_t	 worker;
	int64_t		 left;		/* waiters it may still wake (-1 all) */
};

struct chrome {
	FILE				*out;
	const struct tracefile		*tf;
	uint64_t			 t0, tend;
	int				 first;
	uint64_t			 flow_id;
	struct chrome_worker		*w;
	struct chrome_enabler		*release;	/* per object */
	struct chrome_enabler		*put, *get;	/* per object */
	struct chrome_enabler		*ended;		/* per worker */
	int64_t				*counter;	/* per object: last
							   sample written */
	uint8_t				*sampled;
	uint16_t			*holder;	/* per object: owner
							   of the open held
							   span, or
							   TRACE_NO_WORKER */
	uint64_t			 hold_seq;	/* async span ids */
	uint64_t			*hold_id;	/* per object */
};

/* The Trace Event pid of worker w: its own for a process worker, the
   runner's (1) for a thread. */
static unsigned
chrome_pid(const struct chrome *c, uint16_t w)
{
	if (w < c->tf->meta.nworkers &&
	    c->tf->meta.workers[w].kind == TRACE_WORKER_PROCESS)
		return (w + 2u);
	return (1);
}

static void
chrome_sep(struct chrome *c)
{
	fputs(c->first ? "\n" : ",\n", c->out);
	c->first = 0;
}

static void
chrome_ts(struct chrome *c, const char *key, uint64_t t)
{
	uint64_t	rel = t > c->t0 ? t - c->t0 : 0;

	fprintf(c->out, ",\"%s\":%" PRIu64 ".%03u", key, rel / 1000,
	    (unsigned)(rel % 1000));
}

static void
chrome_dur(struct chrome *c, uint64_t start, uint64_t end)
{
	uint64_t	d = end > start ? end - start : 0;

	fprintf(c->out, ",\"dur\":%" PRIu64 ".%03u", d / 1000,
	    (unsigned)(d % 1000));
}

/* Name of the thing a worker waits on: a worker for joins. */
static const char *
chrome_wait_name(struct chrome *c, uint16_t type, uint16_t obj)
{
	if (type == TRACE_JOIN_WAIT)
		return (export_worker_name(c->tf, obj));
	return (export_object_name(c->tf, obj));
}

static int
chrome_is_wait(uint16_t type)
{
	switch (type) {
	case TRACE_LOCK_WAIT:
	case TRACE_SEM_WAIT:
	case TRACE_COND_WAIT:
	case TRACE_BARRIER_WAIT:
	case TRACE_CHAN_OPEN_WAIT:
	case TRACE_CHAN_PUT_WAIT:
	case TRACE_CHAN_GET_WAIT:
	case TRACE_JOIN_WAIT:
		return (1);
	}
	return (0);
}

/* Events that end a wait on their object (JOINED / JOIN_TIMEOUT: their
   object is the worker joined, as in JOIN_WAIT). */
static int
chrome_ends_wait(uint16_t type)
{
	switch (type) {
	case TRACE_LOCK_ACQUIRED:
	case TRACE_LOCK_OWNER_DIED:
	case TRACE_LOCK_TIMEOUT:
	case TRACE_SEM_ACQUIRED:
	case TRACE_SEM_TIMEOUT:
	case TRACE_COND_WOKEN:
	case TRACE_BARRIER_PASS:
	case TRACE_CHAN_OPEN:
	case TRACE_CHAN_PUT:
	case TRACE_CHAN_GET:
	case TRACE_CHAN_EOF:
	case TRACE_CHAN_TIMEOUT:
	case TRACE_JOINED:
	case TRACE_JOIN_TIMEOUT:
		return (1);
	}
	return (0);
}

static void
chrome_slice(struct chrome *c, const char *name, const char *cat,
    uint16_t worker, uint64_t start, uint64_t end)
{
	chrome_sep(c);
	fputs("{\"name\":", c->out);
	json_string(c->out, name);
	fprintf(c->out, ",\"cat\":\"%s\",\"ph\":\"X\"", cat);
	chrome_ts(c, "ts", start);
	chrome_dur(c, start, end);
	fprintf(c->out, ",\"pid\":%u,\"tid\":%u", chrome_pid(c, worker),
	    worker + 1u);
}

static void
chrome_close_wait(struct chrome *c, uint16_t w, uint64_t end,
    const char *outcome, int unfinished)
{
	struct chrome_worker	*cw = &c->w[w];

	if (!cw->waiting)
		return;
	chrome_slice(c, chrome_wait_name(c, cw->wait_type, cw->wait_obj),
	    "blocked", w, cw->wait_start, end);
	fprintf(c->out, ",\"args\":{\"op\":\"%s\",\"line\":%d,\"outcome\":"
	    "\"%s\"%s}}", trace_event_name(cw->wait_type), cw->wait_line,
	    outcome, unfinished ? ",\"unfinished\":true" : "");
	cw->waiting = 0;
}

static void
chrome_close_busy(struct chrome *c, uint16_t w, uint64_t end, int unfinished)
{
	struct chrome_worker	*cw = &c->w[w];

	if (!cw->busy)
		return;
	chrome_slice(c, cw->busy_type == TRACE_SLEEP ? "sleep" : "compute",
	    "time", w, cw->busy_start, end);
	fprintf(c->out, ",\"args\":{\"unfinished\":%s}}",
	    unfinished ? "true" : "false");
	cw->busy = 0;
}

static void
chrome_close_life(struct chrome *c, uint16_t w, uint64_t end,
    const char *how, int unfinished)
{
	const struct trace_meta_worker	*mw = &c->tf->meta.workers[w];
	struct chrome_worker		*cw = &c->w[w];

	if (!cw->alive)
		return;
	chrome_slice(c, mw->name, "worker", w, cw->alive_start, end);
	fprintf(c->out, ",\"args\":{\"kind\":\"%s\",\"end\":\"%s\"%s}}",
	    mw->kind == TRACE_WORKER_PROCESS ? "process" : "thread", how,
	    unfinished ? ",\"unfinished\":true" : "");
	cw->alive = 0;
}

/* A flow arrow from the enabling event e to (w, t). */
static void
chrome_flow(struct chrome *c, struct chrome_enabler *e, uint16_t w,
    uint64_t t)
{
	if (!e->valid || e->left == 0)
		return;
	c->flow_id++;
	chrome_sep(c);
	fprintf(c->out, "{\"name\":\"unblocks\",\"cat\":\"flow\",\"ph\":\"s\","
	    "\"id\":%" PRIu64, c->flow_id);
	chrome_ts(c, "ts", e->time);
	fprintf(c->out, ",\"pid\":%u,\"tid\":%u}", chrome_pid(c, e->worker),
	    e->worker + 1u);
	chrome_sep(c);
	fprintf(c->out, "{\"name\":\"unblocks\",\"cat\":\"flow\",\"ph\":\"f\","
	    "\"bp\":\"e\",\"id\":%" PRIu64, c->flow_id);
	chrome_ts(c, "ts", t);
	fprintf(c->out, ",\"pid\":%u,\"tid\":%u}", chrome_pid(c, w), w + 1u);
	if (e->left > 0 && --e->left == 0)
		e->valid = 0;
}

static void
chrome_enable(struct chrome_enabler *e, const struct trace_event *ev,
    int64_t left)
{
	e->valid = 1;
	e->time = ev->time;
	e->worker = ev->worker;
	e->left = left;
}

/* An instant event; worker TRACE_NO_WORKER makes it global. */
static void
chrome_instant(struct chrome *c, const char *name, const char *cat,
    uint16_t worker, uint64_t t, const char *text)
{
	chrome_sep(c);
	fputs("{\"name\":", c->out);
	json_string(c->out, name);
	fprintf(c->out, ",\"cat\":\"%s\",\"ph\":\"i\"", cat);
	chrome_ts(c, "ts", t);
	if (worker == TRACE_NO_WORKER)
		fputs(",\"s\":\"g\",\"pid\":1,\"tid\":0", c->out);
	else
		fprintf(c->out, ",\"s\":\"t\",\"pid\":%u,\"tid\":%u",
		    chrome_pid(c, worker), worker + 1u);
	if (text != NULL) {
		fputs(",\"args\":{\"text\":", c->out);
		json_string(c->out, text);
		fputs("}", c->out);
	}
	fputs("}", c->out);
}

/* Slices, flows and worker instants for one event (before the model has
   seen it: waiters are known from our own state). */
static void
chrome_event(struct chrome *c, const struct trace_event *ev)
{
	const struct tracefile	*tf = c->tf;
	struct chrome_worker	*cw;
	const char		*s;
	char			 buf[128];
	uint16_t		 w = ev->worker, o = ev->object;
	int			 was_waiting;

	if (w >= tf->meta.nworkers)
		return;		/* run begin / end */
	cw = &c->w[w];

	was_waiting = cw->waiting && cw->wait_obj == o;
	if (cw->waiting && chrome_ends_wait(ev->type) && cw->wait_obj == o)
		chrome_close_wait(c, w, ev->time, trace_event_name(ev->type),
		    0);

	switch (ev->type) {
	case TRACE_WORKER_START:
		if (!cw->alive) {
			cw->alive = 1;
			cw->alive_start = ev->time;
		}
		break;
	case TRACE_WORKER_END:
	case TRACE_WORKER_CRASH:
	case TRACE_WORKER_KILLED:
		chrome_close_wait(c, w, ev->time, trace_event_name(ev->type),
		    0);
		chrome_close_busy(c, w, ev->time, 1);
		chrome_close_life(c, w, ev->time, trace_event_name(ev->type),
		    0);
		chrome_enable(&c->ended[w], ev, -1);
		if (ev->type == TRACE_WORKER_CRASH) {
			snprintf(buf, sizeof buf, "crash (signal %" PRId64 ")",
			    ev->a0);
			chrome_instant(c, buf, "crash", w, ev->time, NULL);
		}
		break;
	case TRACE_STEP:
		cw->line = (int)ev->a0;
		break;
	case TRACE_NOTE:
	case TRACE_PRINT:
	case TRACE_ERROR:
		s = tracefile_string(tf, ev->a0);
		snprintf(buf, sizeof buf, "%s", ev->type == TRACE_NOTE ?
		    "note" : ev->type == TRACE_PRINT ? "print" : "error");
		chrome_instant(c, s != NULL && *s != '\0' ? s : buf, buf, w,
		    ev->time, s);
		break;
	case TRACE_SLEEP:
	case TRACE_COMPUTE:
		chrome_close_busy(c, w, ev->time, 0);
		cw->busy = 1;
		cw->busy_start = ev->time;
		cw->busy_type = ev->type;
		break;
	case TRACE_AWAKE:
		chrome_close_busy(c, w, ev->time, 0);
		break;

	case TRACE_LOCK_RELEASE:
		if (ev->a0 == 0)
			chrome_enable(&c->release[o], ev, 1);
		break;
	case TRACE_LOCK_ACQUIRED:
	case TRACE_LOCK_OWNER_DIED:
		if (was_waiting)
			chrome_flow(c, &c->release[o], w, ev->time);
		c->release[o].valid = 0;
		break;
	case TRACE_SEM_RELEASE:
		chrome_enable(&c->release[o], ev, 1);
		break;
	case TRACE_SEM_ACQUIRED:
		if (was_waiting)
			chrome_flow(c, &c->release[o], w, ev->time);
		break;
	case TRACE_COND_NOTIFY:
		chrome_enable(&c->release[o], ev, ev->a0 < 0 ? -1 :
		    ev->a0 == 0 ? 1 : ev->a0);
		break;
	case TRACE_COND_WOKEN:
		if (was_waiting && ev->a0 == 1)
			chrome_flow(c, &c->release[o], w, ev->time);
		break;
	case TRACE_BARRIER_WAIT:
		chrome_enable(&c->release[o], ev, -1);
		break;
	case TRACE_BARRIER_PASS:
		if (was_waiting && c->release[o].worker != w)
			chrome_flow(c, &c->release[o], w, ev->time);
		break;
	case TRACE_CHAN_PUT:
		if (was_waiting)
			chrome_flow(c, &c->get[o], w, ev->time);
		chrome_enable(&c->put[o], ev, 1);
		break;
	case TRACE_CHAN_GET:
		if (was_waiting)
			chrome_flow(c, &c->put[o], w, ev->time);
		chrome_enable(&c->get[o], ev, 1);
		break;
	case TRACE_CHAN_CLOSE:
		chrome_enable(&c->put[o], ev, -1);
		break;
	case TRACE_CHAN_EOF:
		if (was_waiting)
			chrome_flow(c, &c->put[o], w, ev->time);
		break;
	case TRACE_JOINED:
		if (was_waiting)
			chrome_flow(c, &c->ended[o], w, ev->time);
		break;
	}

	if (chrome_is_wait(ev->type)) {
		chrome_close_wait(c, w, ev->time, "waited again", 0);
		cw->waiting = 1;
		cw->wait_start = ev->time;
		cw->wait_type = ev->type;
		cw->wait_obj = o;
		cw->wait_line = cw->line;
	}
}

/* Instants for what the model detected on this event. */
static void
chrome_detect(struct chrome *c, const struct model *m,
    const struct model_detect *before, const struct trace_event *ev)
{
	const struct model_detect	*d = &m->detect;
	const struct model_inversion	*inv;
	const struct model_owner_died	*od;
	char				 buf[1024], name[1100];
	size_t				 i;

	if (d->deadlock && !before->deadlock) {
		model_cycle_string(m, buf, sizeof buf);
		snprintf(name, sizeof name, "DEADLOCK: %s", buf);
		chrome_instant(c, name, "deadlock", TRACE_NO_WORKER, ev->time,
		    buf);
	}
	if (d->stall && !before->stall)
		chrome_instant(c, "STALL: every live worker is blocked",
		    "stall", TRACE_NO_WORKER, ev->time, NULL);
	if (d->self_deadlock && !before->self_deadlock) {
		snprintf(name, sizeof name, "SELF-DEADLOCK: %s waits for %s, "
		    "which it holds", export_worker_name(c->tf,
		    d->self_worker), export_object_name(c->tf,
		    d->self_object));
		chrome_instant(c, name, "deadlock", d->self_worker <
		    c->tf->meta.nworkers ? d->self_worker : TRACE_NO_WORKER,
		    ev->time, NULL);
	}
	for (i = before->ninversions; i < d->ninversions; i++) {
		inv = &d->inversions[i];
		model_inversion_string(m, inv, buf, sizeof buf);
		snprintf(name, sizeof name, "%s%s", strncmp(buf, "lock-order",
		    10) == 0 ? "" : "lock-order inversion: ", buf);
		chrome_instant(c, name, "inversion", ev->worker <
		    c->tf->meta.nworkers ? ev->worker : TRACE_NO_WORKER,
		    ev->time, NULL);
	}
	for (i = before->nowner_died; i < d->nowner_died; i++) {
		od = &d->owner_died[i];
		snprintf(name, sizeof name, "owner died: %s held %s",
		    export_worker_name(c->tf, od->dead_worker),
		    export_object_name(c->tf, od->object));
		chrome_instant(c, name, "owner-died", od->new_owner <
		    c->tf->meta.nworkers ? od->new_owner : TRACE_NO_WORKER,
		    ev->time, NULL);
	}
}

static void
chrome_metadata(struct chrome *c)
{
	const struct trace_meta	*meta = &c->tf->meta;
	char			*name;
	size_t			 i;
	unsigned		 pid;

	xasprintf(&name, "lockstep: %s", meta->title != NULL ? meta->title :
	    meta->path != NULL ? meta->path : "run");
	chrome_sep(c);
	fputs("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
	    "\"args\":{\"name\":", c->out);
	json_string(c->out, name);
	fputs("}}", c->out);
	free(name);
	chrome_sep(c);
	fputs("{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":1,"
	    "\"tid\":0,\"args\":{\"sort_index\":0}}", c->out);
	for (i = 0; i < meta->nworkers; i++) {
		pid = chrome_pid(c, (uint16_t)i);
		if (pid != 1) {
			/* A process worker: a process track of its own. */
			chrome_sep(c);
			fprintf(c->out, "{\"name\":\"process_name\","
			    "\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":"
			    "{\"name\":", pid);
			json_string(c->out, meta->workers[i].name);
			fputs("}}", c->out);
			chrome_sep(c);
			fprintf(c->out, "{\"name\":\"process_sort_index\","
			    "\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":"
			    "{\"sort_index\":%zu}}", pid, i + 1);
		}
		chrome_sep(c);
		fprintf(c->out, "{\"name\":\"thread_name\",\"ph\":\"M\","
		    "\"pid\":%u,\"tid\":%zu,\"args\":{\"name\":", pid,
		    i + 1);
		json_string(c->out, meta->workers[i].name);
		fputs("}}", c->out);
		chrome_sep(c);
		fprintf(c->out, "{\"name\":\"thread_sort_index\",\"ph\":\"M\","
		    "\"pid\":%u,\"tid\":%zu,\"args\":{\"sort_index\":%zu}}",
		    pid, i + 1, i + 1);
	}
}

/* The number a counter track shows for object o, or 0 if o has none. */
static int
chrome_counter_value(const struct model *m, const struct trace_meta *meta,
    uint16_t o, int64_t *v, const char **what)
{
	const struct model_object	*mo = &m->objects[o];

	switch (meta->objects[o].kind) {
	case TRACE_OBJ_SHARED:
		*v = mo->value;
		*what = "value";
		return (1);
	case TRACE_OBJ_SEMAPHORE:
		*v = mo->value;
		*what = "semaphore value";
		return (1);
	case TRACE_OBJ_QUEUE:
	case TRACE_OBJ_PIPE:
	case TRACE_OBJ_FIFO:
	case TRACE_OBJ_MQUEUE:
	case TRACE_OBJ_SOCKET:
		*v = (int64_t)(mo->nitems + mo->untracked);
		*what = "length";
		return (1);
	default:
		return (0);
	}
}

/* After the model applied ev: a counter sample for its object if the
   object's number changed (or was never sampled). */
static void
chrome_counter(struct chrome *c, const struct model *m, uint16_t o,
    uint64_t t)
{
	const char	*what;
	int64_t		 v;
	char		*name;

	if (o >= c->tf->meta.nobjects ||
	    !chrome_counter_value(m, &c->tf->meta, o, &v, &what))
		return;
	if (c->sampled[o] && c->counter[o] == v)
		return;
	c->sampled[o] = 1;
	c->counter[o] = v;
	xasprintf(&name, "%s %s", export_object_name(c->tf, o), what);
	chrome_sep(c);
	fputs("{\"name\":", c->out);
	json_string(c->out, name);
	fputs(",\"cat\":\"counter\",\"ph\":\"C\"", c->out);
	chrome_ts(c, "ts", t);
	fprintf(c->out, ",\"pid\":1,\"tid\":0,\"args\":{\"value\":%" PRId64
	    "}}", v);
	free(name);
}

/* One end of a lock-held async span. */
static void
chrome_held(struct chrome *c, uint16_t o, uint16_t w, const char *ph,
    uint64_t t)
{
	char	*name;

	xasprintf(&name, "%s held by %s", export_object_name(c->tf, o),
	    export_worker_name(c->tf, w));
	chrome_sep(c);
	fputs("{\"name\":", c->out);
	json_string(c->out, name);
	fprintf(c->out, ",\"cat\":\"held\",\"ph\":\"%s\",\"id\":\"lock%u."
	    "%" PRIu64 "\"", ph, o, c->hold_id[o]);
	chrome_ts(c, "ts", t);
	/* Async tracks belong to a process: all locks are in the runner's
	   (tid 0, so no phantom thread appears there for a process worker's
	   holding); the holder is in the name and args. */
	fputs(",\"pid\":1,\"tid\":0,\"args\":{\"holder\":", c->out);
	json_string(c->out, export_worker_name(c->tf, w));
	fputs("}}", c->out);
	free(name);
}

/* After the model applied an event on lock o: close the span of an owner
   that let go, open one for a new owner. */
static void
chrome_owner(struct chrome *c, const struct model *m, uint16_t o,
    uint64_t t)
{
	enum trace_obj_kind	kind;
	uint16_t		now;

	if (o >= c->tf->meta.nobjects)
		return;
	kind = c->tf->meta.objects[o].kind;
	if (kind != TRACE_OBJ_MUTEX && kind != TRACE_OBJ_RLOCK &&
	    kind != TRACE_OBJ_CONDITION)
		return;
	now = m->objects[o].owner;
	if (now == c->holder[o])
		return;
	if (c->holder[o] != TRACE_NO_WORKER)
		chrome_held(c, o, c->holder[o], "e", t);
	c->holder[o] = now;
	if (now != TRACE_NO_WORKER && now < c->tf->meta.nworkers) {
		c->hold_id[o] = ++c->hold_seq;
		chrome_held(c, o, now, "b", t);
	} else
		c->holder[o] = TRACE_NO_WORKER;
}

int
export_chrome(FILE *out, const struct tracefile *tf, char **cause)
{
	struct chrome		 c;
	struct model		*m;
	struct model_detect	 before;
	const struct trace_event *ev;
	uint64_t		 i, span, tail;
	size_t			 nw = tf->meta.nworkers, no = tf->meta.nobjects;
	size_t			 o;
	uint16_t		 w;

	(void)cause;
	memset(&c, 0, sizeof c);
	c.out = out;
	c.tf = tf;
	c.first = 1;
	c.w = xcalloc(nw + 1, sizeof *c.w);
	c.release = xcalloc(no + 1, sizeof *c.release);
	c.put = xcalloc(no + 1, sizeof *c.put);
	c.get = xcalloc(no + 1, sizeof *c.get);
	c.ended = xcalloc(nw + 1, sizeof *c.ended);
	c.counter = xcalloc(no + 1, sizeof *c.counter);
	c.sampled = xcalloc(no + 1, sizeof *c.sampled);
	c.holder = xcalloc(no + 1, sizeof *c.holder);
	c.hold_id = xcalloc(no + 1, sizeof *c.hold_id);
	for (o = 0; o < no; o++)
		c.holder[o] = TRACE_NO_WORKER;
	if (tf->nevents > 0) {
		c.t0 = tf->events[0].time;
		c.tend = tf->events[tf->nevents - 1].time;
	}

	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"tool\":"
	    "\"lockstep\",\"scenario\":", out);
	json_string(out, tf->meta.path);
	fputs(",\"title\":", out);
	json_string(out, tf->meta.title);
	fprintf(out, ",\"events\":%" PRIu64 ",\"dropped\":%" PRIu64
	    ",\"format_version\":%u},\"traceEvents\":[", tf->nevents,
	    tf->dropped, tf->version);
	chrome_metadata(&c);

	m = model_create(&tf->meta);
	for (o = 0; o < no && tf->nevents > 0; o++)
		chrome_counter(&c, m, (uint16_t)o, c.t0);
	for (i = 0; i < tf->nevents; i++) {
		ev = &tf->events[i];
		chrome_event(&c, ev);
		before = m->detect;
		model_apply(m, ev);
		chrome_detect(&c, m, &before, ev);
		if (trace_event_refers(ev->type) == TRACE_REFERS_OBJECT) {
			chrome_counter(&c, m, ev->object, ev->time);
			chrome_owner(&c, m, ev->object, ev->time);
		}
	}

	/* What is still open ends with the trace, plus a tail so that a
	   wait that began on the last event still shows. */
	span = c.tend - c.t0;
	tail = span / 20 > 1000 ? span / 20 : 1000;
	for (w = 0; w < nw; w++) {
		chrome_close_wait(&c, w, c.tend + tail, "none: end of trace", 1);
		chrome_close_busy(&c, w, c.tend + tail, 1);
		chrome_close_life(&c, w, c.tend + tail, "end of trace", 1);
	}
	for (o = 0; o < no; o++) {
		if (c.holder[o] != TRACE_NO_WORKER)
			chrome_held(&c, (uint16_t)o, c.holder[o], "e",
			    c.tend + tail);
	}
	fputs("\n]}\n", out);

	model_free(m);
	free(c.w);
	free(c.release);
	free(c.put);
	free(c.get);
	free(c.ended);
	free(c.counter);
	free(c.sampled);
	free(c.holder);
	free(c.hold_id);
	return (0);
}
