/*
 * tests/check_model.c: the model, driven by synthetic event sequences.
 *
 * Each test builds a small meta (named workers and objects), feeds events
 * through model_apply() and asserts the state, the detection flags and the
 * plain-words text. The sequences are written the way the runtime stamps
 * real runs (release before the acquire it enables, "got" after the get),
 * including the awkward orders: a wait that arrives after the lock was
 * already released, a notify before the wait, a cycle a timeout breaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trace/event.h"
#include "trace/meta.h"
#include "lib.h"

static struct trace_meta	 meta;
static struct model		*m;
static uint64_t			 now;
static char			 text[512];

static void
setup(void)
{
	trace_meta_init(&meta);
	m = NULL;
	now = 1000;
}

static void
teardown(void)
{
	model_free(m);
	trace_meta_done(&meta);
}

static uint16_t
worker(const char *name, uint32_t flags)
{
	struct trace_meta_worker	w = { 0 };

	w.name = (char *)name;
	w.flags = flags;
	w.pool = TRACE_NO_OBJECT;
	return (trace_meta_add_worker(&meta, &w));
}

static uint16_t
object(const char *name, enum trace_obj_kind kind, int64_t capacity)
{
	struct trace_meta_object	o = { 0 };

	o.name = (char *)name;
	o.kind = kind;
	o.capacity = capacity;
	o.lock = TRACE_NO_OBJECT;
	if (kind == TRACE_OBJ_POOL)
		o.tasks = capacity;
	return (trace_meta_add_object(&meta, &o));
}

static uint16_t
condition(const char *name, uint16_t lock)
{
	uint16_t	c = object(name, TRACE_OBJ_CONDITION, 0);

	meta.objects[c].lock = lock;
	return (c);
}

static void
expect(enum trace_expect_kind kind, enum trace_metric metric, uint16_t o,
    enum trace_cmp cmp, int64_t value)
{
	struct trace_meta_expect	e = { 0 };

	e.kind = kind;
	e.metric = metric;
	e.object = o;
	e.cmp = cmp;
	e.value = value;
	e.text = (char *)"expect";
	trace_meta_add_expect(&meta, &e);
}

static void
build(void)
{
	m = model_create(&meta);
}

static struct trace_event	last;

static void
E(uint16_t w, enum trace_type type, uint16_t o, int64_t a0, int32_t a1)
{
	memset(&last, 0, sizeof last);
	last.time = now++;
	last.worker = w;
	last.type = (uint16_t)type;
	last.object = o;
	last.a0 = a0;
	last.a1 = a1;
	model_apply(m, &last);
}

/* Text for the event just applied. */
static const char *
said(void)
{
	model_explain(m, &last, text, sizeof text);
	return (text);
}

static const char *
cycle(void)
{
	model_cycle_string(m, text, sizeof text);
	return (text);
}

static void
step(uint16_t w, int line)
{
	E(w, TRACE_STEP, TRACE_NO_OBJECT, line, 1);
}

static void
take(uint16_t w, uint16_t o)
{
	E(w, TRACE_LOCK_ACQUIRED, o, 1, 0);
}

static void
give(uint16_t w, uint16_t o)
{
	E(w, TRACE_LOCK_RELEASE, o, 0, 0);
}

static void
lwait(uint16_t w, uint16_t o, int64_t timeout)
{
	E(w, TRACE_LOCK_WAIT, o, timeout, 0);
}

static void
start(uint16_t w)
{
	E(w, TRACE_WORKER_START, TRACE_NO_OBJECT, 100 + w, 1);
}

static void
end(uint16_t w)
{
	E(w, TRACE_WORKER_END, TRACE_NO_OBJECT, 0, 0);
}

static int
holds(const struct trace_meta_expect *e)
{
	return (model_expect_holds(m, e));
}

static int64_t
metric(enum trace_metric k, uint16_t o)
{
	int64_t	v = -12345;

	ck_assert_int_eq(model_metric(m, k, o, &v), 0);
	return (v);
}

/* Worker states. */

START_TEST(test_worker_states)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	d = worker("later", TRACE_WORKERF_DEFERRED);

	build();
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_NOT_STARTED);
	ck_assert_int_eq(model_live_workers(m), 3);
	ck_assert(model_waitfor_runnable(m, t1));
	ck_assert(!model_waitfor_runnable(m, d));
	start(t1);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_RUNNING);
	step(t1, 12);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_READY);
	ck_assert_int_eq(m->workers[t1].line, 12);
	ck_assert_uint_eq(m->workers[t1].steps, 1);
	E(t1, TRACE_MICROSTEP, TRACE_NO_OBJECT, 12, 7);
	ck_assert_int_eq(m->workers[t1].col, 7);
	ck_assert_uint_eq(m->workers[t1].steps, 1);
	E(t1, TRACE_PRINT, TRACE_NO_OBJECT, 0, 0);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_RUNNING);
	E(t1, TRACE_SLEEP, TRACE_NO_OBJECT, 100000000, 0);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_SLEEPING);
	ck_assert_str_eq(said(), "t1 sleeps 100 ms");
	E(t1, TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_RUNNING);
	E(t1, TRACE_COMPUTE, TRACE_NO_OBJECT, 5000000, 0);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_COMPUTING);
	E(t1, TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
	E(t1, TRACE_START, d, 0, 0);
	ck_assert(m->workers[d].start_requested);
	ck_assert(model_waitfor_runnable(m, d));
	E(t1, TRACE_WORKER_END, TRACE_NO_OBJECT, 3, 0);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_DONE);
	ck_assert_int_eq(m->workers[t1].exit_status, 3);
	start(t2);
	E(t2, TRACE_WORKER_CRASH, TRACE_NO_OBJECT, 11, 0);
	ck_assert_int_eq(m->workers[t2].state, MODEL_W_CRASHED);
	ck_assert_int_eq(m->workers[t2].signal, 11);
	ck_assert_str_eq(said(), "t2 crashes (signal 11)");
	start(d);
	E(d, TRACE_WORKER_KILLED, TRACE_NO_OBJECT, 0, 0);
	ck_assert_int_eq(m->workers[d].state, MODEL_W_KILLED);
	ck_assert_int_eq(model_live_workers(m), 0);
	ck_assert_int_eq(m->nstate[MODEL_W_DONE], 1);
	ck_assert_int_eq(m->nstate[MODEL_W_CRASHED], 1);
	ck_assert_int_eq(m->nstate[MODEL_W_KILLED], 1);
	/* A worker that ended says nothing more. */
	step(t1, 3);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_DONE);
	ck_assert_uint_eq(m->ignored, 1);
	ck_assert_str_eq(model_wstate_name(MODEL_W_BLOCKED), "blocked");
	ck_assert_str_eq(model_wstate_name(MODEL_W_NOT_STARTED),
	    "not started");
}
END_TEST

/* Locks. */

START_TEST(test_mutex_owner_waiters)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	t3 = worker("t3", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);

	build();
	step(t1, 5);
	take(t1, a);
	ck_assert_str_eq(said(), "t1 takes A");
	ck_assert_int_eq(m->objects[a].owner, t1);
	ck_assert_int_eq(m->workers[t1].nheld, 1);
	ck_assert_int_eq(m->workers[t1].held[0], a);
	step(t2, 9);
	lwait(t2, a, 0);
	ck_assert_str_eq(said(), "t2 waits for A, held by t1");
	ck_assert_int_eq(m->workers[t2].state, MODEL_W_BLOCKED);
	ck_assert_int_eq(m->workers[t2].blocked_on, a);
	ck_assert_int_eq(m->workers[t2].blocked_op, TRACE_LOCK_WAIT);
	ck_assert_int_eq(m->workers[t2].blocked_line, 9);
	lwait(t3, a, 250000000);
	ck_assert_str_eq(said(), "t3 waits for A, held by t1 (gives up after "
	    "250 ms)");
	ck_assert_int_eq(m->objects[a].nwaiters, 2);
	ck_assert_int_eq(m->objects[a].waiters[0], t2);
	ck_assert_int_eq(m->objects[a].waiters[1], t3);
	{
		uint16_t	out[4];

		ck_assert_uint_eq(model_waitfor_edges(m, t2, out, 4), 1);
		ck_assert_int_eq(out[0], t1);
	}
	give(t1, a);
	ck_assert_str_eq(said(), "t1 releases A; t2 can take it");
	ck_assert_int_eq(m->objects[a].owner, TRACE_NO_WORKER);
	ck_assert_int_eq(m->workers[t1].nheld, 0);
	/* t2 has not said it got A yet, but it can: not stuck. */
	ck_assert(model_waitfor_runnable(m, t2));
	take(t2, a);
	ck_assert_int_eq(m->objects[a].owner, t2);
	ck_assert_int_eq(m->objects[a].nwaiters, 1);
	ck_assert_int_eq(m->objects[a].waiters[0], t3);
	E(t3, TRACE_LOCK_TIMEOUT, a, 0, 0);
	ck_assert_int_eq(m->workers[t3].state, MODEL_W_RUNNING);
	ck_assert_int_eq(m->objects[a].nwaiters, 0);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_HOLDERS, a), 1);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_WAITERS, a), 2);
	ck_assert_int_eq(metric(TRACE_METRIC_CONTENDED, a), 2);
	ck_assert(!m->detect.deadlock && !m->detect.stall);
}
END_TEST

START_TEST(test_mutual_exclusion_broken)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);

	build();
	take(t1, a);
	take(t2, a);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_HOLDERS, a), 2);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_HOLDERS, TRACE_NO_OBJECT), 2);
}
END_TEST

START_TEST(test_rlock_depth)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	r = object("R", TRACE_OBJ_RLOCK, 0);

	build();
	take(t1, r);
	E(t1, TRACE_LOCK_ACQUIRED, r, 2, 0);
	ck_assert_str_eq(said(), "t1 takes R again (depth 2)");
	ck_assert_int_eq(m->objects[r].depth, 2);
	ck_assert_int_eq(m->objects[r].nholders, 1);
	ck_assert_int_eq(m->workers[t1].nheld, 1);
	E(t1, TRACE_LOCK_RELEASE, r, 1, 0);
	ck_assert_str_eq(said(), "t1 releases R once (still holds it, "
	    "depth 1)");
	ck_assert_int_eq(m->objects[r].owner, t1);
	lwait(t2, r, 0);
	give(t1, r);
	ck_assert_int_eq(m->objects[r].owner, TRACE_NO_WORKER);
	ck_assert_int_eq(m->objects[r].depth, 0);
	take(t2, r);
	end(t2);
	end(t1);
	ck_assert(!m->detect.self_deadlock && !m->detect.deadlock);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_HOLDERS, r), 1);
}
END_TEST

/* Semaphores. */

START_TEST(test_semaphore_slots)
{
	uint16_t	w[7], s;
	char		name[8];
	int		i;

	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof name, "t%d", i + 1);
		w[i] = worker(name, 0);
	}
	s = object("S", TRACE_OBJ_SEMAPHORE, 5);
	build();
	ck_assert_int_eq(m->objects[s].value, 5);
	for (i = 0; i < 5; i++)
		E(w[i], TRACE_SEM_ACQUIRED, s, 4 - i, 0);
	ck_assert_str_eq(said(), "t5 takes a slot of S (0 left)");
	E(w[5], TRACE_SEM_WAIT, s, 0, 0);
	ck_assert_str_eq(said(), "t6 waits: semaphore S has no free slot, "
	    "held by t1, t2, t3, t4 and 1 more");
	E(w[6], TRACE_SEM_WAIT, s, 0, 0);
	ck_assert_int_eq(m->objects[s].nholders, 5);
	ck_assert_int_eq(m->objects[s].nwaiters, 2);
	E(w[0], TRACE_SEM_RELEASE, s, 1, 0);
	ck_assert_str_eq(said(), "t1 gives back a slot of S (1 free); t6 can "
	    "take it");
	ck_assert_int_eq(m->objects[s].nholders, 4);
	ck_assert_int_eq(m->objects[s].holders[0], w[1]);
	ck_assert(model_waitfor_runnable(m, w[5]));
	E(w[5], TRACE_SEM_ACQUIRED, s, 0, 0);
	ck_assert_int_eq(m->objects[s].holders[4], w[5]);
	ck_assert_int_eq(m->workers[w[5]].held[0], s);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_HOLDERS, s), 5);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_WAITERS, s), 2);
	ck_assert_int_eq(metric(TRACE_METRIC_VALUE, s), 0);
	ck_assert(!m->objects[s].signalling);
}
END_TEST

/* A post by a worker holding no slot gives back the oldest slot taken. */
START_TEST(test_semaphore_signalling)
{
	uint16_t	p = worker("producer", 0), c = worker("consumer", 0);
	uint16_t	items = object("items", TRACE_OBJ_SEMAPHORE, 0);
	uint16_t	spaces = object("spaces", TRACE_OBJ_SEMAPHORE, 2);

	build();
	ck_assert(m->objects[items].signalling);	/* starts at 0 */
	E(c, TRACE_SEM_WAIT, items, 0, 0);
	E(p, TRACE_SEM_ACQUIRED, spaces, 1, 0);
	E(p, TRACE_SEM_RELEASE, items, 1, 0);
	ck_assert_str_eq(said(), "producer posts items (value 1); consumer "
	    "can take it");
	ck_assert(model_waitfor_runnable(m, c));
	E(c, TRACE_SEM_ACQUIRED, items, 0, 0);
	ck_assert_int_eq(m->objects[items].nholders, 1);
	E(p, TRACE_SEM_ACQUIRED, spaces, 0, 0);
	ck_assert(m->objects[spaces].signalling);	/* a second slot */
	/* The producer fills the buffer and waits for space: that is not a
	   self-deadlock, the consumer will post spaces. */
	E(p, TRACE_SEM_WAIT, spaces, 0, 0);
	ck_assert(!m->detect.deadlock && !m->detect.self_deadlock);
	E(c, TRACE_SEM_RELEASE, spaces, 1, 0);
	ck_assert_int_eq(m->objects[spaces].nholders, 1);
	ck_assert_int_eq(m->objects[spaces].holders[0], p);
	E(p, TRACE_SEM_RELEASE, items, 1, 0);
	ck_assert_int_eq(m->objects[items].nholders, 0);
	ck_assert_int_eq(m->workers[c].nheld, 0);
}
END_TEST

/* Conditions. */

START_TEST(test_condition_notify_before_wait)
{
	uint16_t	prod = worker("producer", 0), cons = worker("consumer", 0);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);
	uint16_t	c = condition("c", l);
	struct trace_meta_expect e = { .kind = TRACE_EXPECT_STALL };

	build();
	start(prod);
	start(cons);
	take(prod, l);
	E(prod, TRACE_COND_NOTIFY, c, 1, 0);
	ck_assert_str_eq(said(), "producer notifies c but nobody is waiting "
	    "(the wake-up is lost)");
	ck_assert_int_eq(metric(TRACE_METRIC_LOST_NOTIFIES, c), 1);
	give(prod, l);
	end(prod);
	take(cons, l);
	step(cons, 20);
	E(cons, TRACE_COND_WAIT, c, 0, l);
	ck_assert_str_eq(said(), "consumer releases L and waits on c. Stall: "
	    "consumer waits for c (line 20), which nobody left can notify");
	ck_assert_int_eq(m->objects[l].owner, TRACE_NO_WORKER);
	ck_assert_int_eq(m->workers[cons].nheld, 0);
	ck_assert(m->detect.stall);
	ck_assert(!m->detect.stall_timed);
	ck_assert(!m->detect.deadlock);
	ck_assert(holds(&e));
	e.kind = TRACE_EXPECT_COMPLETES;
	ck_assert(!holds(&e));
}
END_TEST

START_TEST(test_condition_wakes)
{
	uint16_t	w[5], n = worker("notifier", 0);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);
	uint16_t	c = condition("C", l);
	char		name[8];
	int		i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof name, "w%d", i + 1);
		w[i] = worker(name, 0);
	}
	build();
	start(n);
	for (i = 0; i < 5; i++) {
		take(w[i], l);
		E(w[i], TRACE_COND_WAIT, c, 0, l);
	}
	ck_assert_int_eq(m->objects[c].nwaiters, 5);
	take(n, l);
	E(n, TRACE_COND_NOTIFY, c, 1, 5);
	ck_assert_str_eq(said(), "notifier notifies C: w1 wakes up");
	ck_assert(m->workers[w[0]].woken);
	ck_assert(!m->workers[w[1]].woken);
	E(n, TRACE_COND_NOTIFY, c, -1, 4);
	for (i = 0; i < 5; i++)
		ck_assert(m->workers[w[i]].woken);
	give(n, l);
	end(n);
	/* Everyone is woken and L is free: no stall though no one has said
	   so yet. */
	ck_assert(!m->detect.stall);
	ck_assert(model_waitfor_runnable(m, w[0]));
	E(w[0], TRACE_COND_WOKEN, c, 1, l);
	ck_assert_str_eq(said(), "w1 is woken on C and holds L again");
	ck_assert_int_eq(m->objects[l].owner, w[0]);
	ck_assert(!m->workers[w[0]].woken);
	/* The others wait for L now, held by a running worker. */
	ck_assert(!model_waitfor_runnable(m, w[1]));
	give(w[0], l);
	for (i = 1; i < 5; i++) {
		E(w[i], TRACE_COND_WOKEN, c, 1, l);
		give(w[i], l);
	}
	ck_assert_int_eq(metric(TRACE_METRIC_WOKEN, c), 5);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_WAITERS, c), 5);
	ck_assert_int_eq(metric(TRACE_METRIC_LOST_NOTIFIES, c), 0);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_HOLDERS, c), 1);
	ck_assert_int_eq(m->objects[c].nwaiters, 0);
}
END_TEST

/* A woken waiter whose lock is held by a blocked worker is not runnable:
   the notifier holding L then waiting for B held by the waiter closes a
   cycle through the condition's lock. */
START_TEST(test_condition_relock_cycle)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);
	uint16_t	b = object("B", TRACE_OBJ_MUTEX, 0);
	uint16_t	c = condition("C", l);

	build();
	take(t1, b);
	take(t1, l);
	E(t1, TRACE_COND_WAIT, c, 0, l);
	take(t2, l);
	E(t2, TRACE_COND_NOTIFY, c, 1, 1);
	ck_assert(!m->detect.deadlock);
	lwait(t2, b, 0);
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "t1 -> L -> t2 -> B -> t1");
}
END_TEST

/* A condition that is its own lock: lock waiters and condition waiters
   share its list; a notify wakes only the latter. */
START_TEST(test_condition_own_lock)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	t3 = worker("t3", 0);
	uint16_t	c = object("C", TRACE_OBJ_CONDITION, 0);

	meta.objects[c].lock = c;
	build();
	take(t1, c);
	E(t1, TRACE_COND_WAIT, c, 0, c);
	ck_assert_int_eq(m->objects[c].owner, TRACE_NO_WORKER);
	take(t2, c);
	lwait(t3, c, 0);
	ck_assert_int_eq(m->objects[c].nwaiters, 2);
	E(t2, TRACE_COND_NOTIFY, c, -1, 1);
	ck_assert(m->workers[t1].woken);
	ck_assert(!m->workers[t3].woken);
	give(t2, c);
	ck_assert_str_eq(said(), "t2 releases C; t3 can take it");
	take(t3, c);
	give(t3, c);
	E(t1, TRACE_COND_WOKEN, c, 1, c);
	ck_assert_int_eq(m->objects[c].owner, t1);
	ck_assert_int_eq(metric(TRACE_METRIC_WOKEN, c), 1);
}
END_TEST

/* Channels. */

START_TEST(test_queue_fifo)
{
	uint16_t	p = worker("producer", 0), c = worker("consumer", 0);
	uint16_t	q = object("q", TRACE_OBJ_QUEUE, 4);
	int		i;

	build();
	start(p);
	start(c);
	E(c, TRACE_CHAN_GET_WAIT, q, 0, 0);
	ck_assert_str_eq(said(), "consumer waits: queue q is empty");
	ck_assert_int_eq(m->workers[c].state, MODEL_W_BLOCKED);
	for (i = 1; i <= 4; i++)
		E(p, TRACE_CHAN_PUT, q, i * 7, 0);
	ck_assert_str_eq(said(), "producer puts 28 into q (4/4)");
	ck_assert(model_waitfor_runnable(m, c));
	E(p, TRACE_CHAN_PUT_WAIT, q, 0, 0);
	ck_assert_str_eq(said(), "producer waits: queue q is full (4/4)");
	ck_assert(!model_waitfor_runnable(m, p));
	E(c, TRACE_CHAN_GET, q, 7, 0);
	ck_assert_str_eq(said(), "consumer gets 7 from q (3 left)");
	ck_assert_int_eq(m->workers[c].last_value, 7);
	ck_assert(model_waitfor_runnable(m, p));
	ck_assert_uint_eq(m->objects[q].nitems, 3);
	ck_assert_int_eq(m->objects[q].items[0].value, 14);
	E(p, TRACE_CHAN_PUT, q, 35, 0);
	/* 21 before 14: the same producer put 14 first. */
	E(c, TRACE_CHAN_GET, q, 21, 0);
	ck_assert_str_eq(said(), "consumer gets 21 from q out of order: 14 "
	    "was put before it (3 left)");
	ck_assert_int_eq(m->objects[q].items[0].value, 14);
	ck_assert_int_eq(m->objects[q].items[1].value, 28);
	ck_assert_int_eq(m->objects[q].items[2].value, 35);
	ck_assert_int_eq(metric(TRACE_METRIC_SENT, q), 5);
	ck_assert_int_eq(metric(TRACE_METRIC_RECEIVED, q), 2);
	ck_assert_int_eq(metric(TRACE_METRIC_ORDER_ERRORS, q), 1);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_LEN, q), 4);
	/* The consumer had not said it got an item when the producer
	   blocked: both were on the list. */
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_WAITERS, q), 2);
}
END_TEST

/* Two producers: items from different producers may reach the channel in
   the other order than their stamps; that is not an order error. */
START_TEST(test_queue_two_producers)
{
	uint16_t	p1 = worker("p1", 0), p2 = worker("p2", 0);
	uint16_t	c = worker("c", 0);
	uint16_t	q = object("q", TRACE_OBJ_QUEUE, 0);
	int		i;

	build();
	E(p1, TRACE_CHAN_PUT, q, 1, 0);
	E(p2, TRACE_CHAN_PUT, q, 2, 0);
	E(c, TRACE_CHAN_GET, q, 2, 0);
	E(c, TRACE_CHAN_GET, q, 1, 0);
	ck_assert_int_eq(metric(TRACE_METRIC_ORDER_ERRORS, q), 0);
	ck_assert_uint_eq(m->objects[q].nitems, 0);
	/* Many items through a small window: the buffer slides, and past
	   the cap items are counted, not stored. */
	for (i = 0; i < MODEL_MAX_ITEMS + 100; i++)
		E(p1, TRACE_CHAN_PUT, q, i, 0);
	ck_assert_uint_eq(m->objects[q].nitems, MODEL_MAX_ITEMS);
	ck_assert_uint_eq(m->objects[q].untracked, 100);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_LEN, q), MODEL_MAX_ITEMS + 100);
	for (i = 0; i < MODEL_MAX_ITEMS + 100; i++)
		E(c, TRACE_CHAN_GET, q, i, 0);
	ck_assert_uint_eq(m->objects[q].nitems, 0);
	ck_assert_uint_eq(m->objects[q].untracked, 0);
	ck_assert_int_eq(metric(TRACE_METRIC_ORDER_ERRORS, q), 0);
	for (i = 0; i < 100000; i++) {
		E(p1, TRACE_CHAN_PUT, q, i, 0);
		E(p1, TRACE_CHAN_PUT, q, -i, 0);
		E(c, TRACE_CHAN_GET, q, i, 0);
	}
	ck_assert_uint_le(m->objects[q].nitems, MODEL_MAX_ITEMS);
	ck_assert_uint_eq(m->objects[q].nitems + m->objects[q].untracked,
	    100000);
	/* Left: the negative ones, in order (0 twice: one was got). */
	ck_assert_int_eq(m->objects[q].items[0].value, 0);
	ck_assert_int_eq(m->objects[q].items[1].value, -1);
	ck_assert_int_eq(m->objects[q].items[2].value, -2);
}
END_TEST

START_TEST(test_mqueue_priority)
{
	uint16_t	p = worker("sender", 0), c = worker("receiver", 0);
	uint16_t	mq = object("M", TRACE_OBJ_MQUEUE, 10);

	build();
	E(p, TRACE_CHAN_PUT, mq, 1, 1);
	E(p, TRACE_CHAN_PUT, mq, 2, 5);
	ck_assert_str_eq(said(), "sender puts 2 into M with priority 5 (2/10)");
	E(p, TRACE_CHAN_PUT, mq, 3, 1);
	E(p, TRACE_CHAN_PUT, mq, 4, 5);
	ck_assert_int_eq(m->objects[mq].items[0].value, 2);
	ck_assert_int_eq(m->objects[mq].items[1].value, 4);
	ck_assert_int_eq(m->objects[mq].items[2].value, 1);
	ck_assert_int_eq(m->objects[mq].items[3].value, 3);
	E(c, TRACE_CHAN_GET, mq, 2, 5);
	E(c, TRACE_CHAN_GET, mq, 4, 5);
	E(c, TRACE_CHAN_GET, mq, 1, 1);
	E(c, TRACE_CHAN_GET, mq, 3, 1);
	ck_assert_int_eq(metric(TRACE_METRIC_ORDER_ERRORS, mq), 0);
	E(p, TRACE_CHAN_PUT, mq, 5, 1);
	E(p, TRACE_CHAN_PUT, mq, 6, 1);
	E(c, TRACE_CHAN_GET, mq, 6, 1);
	ck_assert_int_eq(metric(TRACE_METRIC_ORDER_ERRORS, mq), 1);
}
END_TEST

START_TEST(test_pipe_close_eof_duplex)
{
	uint16_t	a = worker("a", 0), b = worker("b", 0);
	uint16_t	p = object("p", TRACE_OBJ_PIPE, 0);
	uint16_t	d = object("d", TRACE_OBJ_PIPE, 0);

	meta.objects[d].flags = TRACE_OBJF_DUPLEX;
	build();
	E(b, TRACE_CHAN_GET_WAIT, p, 0, 0);
	E(a, TRACE_CHAN_PUT, p, 9, 1);
	E(b, TRACE_CHAN_GET, p, 9, 0);
	E(b, TRACE_CHAN_GET_WAIT, p, 0, 0);
	E(a, TRACE_CHAN_CLOSE, p, 0, 1);
	ck_assert_str_eq(said(), "a closes its end of p");
	ck_assert(m->objects[p].closed);
	ck_assert(model_waitfor_runnable(m, b));	/* EOF is coming */
	E(b, TRACE_CHAN_EOF, p, 0, 0);
	ck_assert(m->objects[p].eof_seen);
	/* Duplex: a request from end 0 and a reply from end 1. A reader at
	   end 0 waits for the reply, not its own request. */
	E(a, TRACE_CHAN_PUT, d, 100, 0);
	E(a, TRACE_CHAN_GET_WAIT, d, 0, 0);
	ck_assert(!model_waitfor_runnable(m, a));
	E(b, TRACE_CHAN_GET, d, 100, 1);
	E(b, TRACE_CHAN_PUT, d, 101, 1);
	ck_assert(model_waitfor_runnable(m, a));
	E(a, TRACE_CHAN_GET, d, 101, 0);
	ck_assert_uint_eq(m->objects[d].nitems, 0);
}
END_TEST

START_TEST(test_fifo_open)
{
	uint16_t	r = worker("reader", 0), w = worker("writer", 0);
	uint16_t	f = object("F", TRACE_OBJ_FIFO, 0);

	build();
	start(r);
	start(w);
	E(r, TRACE_CHAN_OPEN_WAIT, f, 0, 0);
	ck_assert_str_eq(said(), "reader waits for the other end of F to "
	    "open");
	ck_assert(!model_waitfor_runnable(m, r));
	end(w);
	ck_assert(m->detect.stall);
	ck_assert_uint_eq(m->detect.stalls_seen, 1);
	/* (A writer that ended cannot open it; reset and do it right.) */
	model_reset(m);
	start(r);
	start(w);
	E(r, TRACE_CHAN_OPEN_WAIT, f, 0, 0);
	E(w, TRACE_CHAN_OPEN_WAIT, f, 0, 1);
	ck_assert(model_waitfor_runnable(m, r));
	ck_assert(model_waitfor_runnable(m, w));
	ck_assert(!m->detect.stall);
	E(w, TRACE_CHAN_OPEN, f, 0, 1);
	E(r, TRACE_CHAN_OPEN, f, 0, 0);
	ck_assert_uint_eq(m->objects[f].ends_open, 3);
	ck_assert_uint_eq(m->detect.stalls_seen, 0);
}
END_TEST

/* Shared values. */

START_TEST(test_shared_lost_update)
{
	uint16_t	a1 = worker("adder.1", 0), a2 = worker("adder.2", 0);
	uint16_t	x = object("counter", TRACE_OBJ_SHARED, 0);
	struct trace_meta_expect e;

	expect(TRACE_EXPECT_METRIC, TRACE_METRIC_VALUE, 0, TRACE_CMP_EQ, 43);
	build();
	ck_assert_int_eq(model_metric_expected(m, x, &e.value), 0);
	ck_assert_int_eq(e.value, 43);
	E(a1, TRACE_SHARED_STORE, x, 41, 0);
	step(a1, 7);
	step(a2, 7);
	E(a1, TRACE_SHARED_LOAD, x, 41, 0);
	ck_assert_str_eq(said(), "adder.1 reads counter = 41");
	E(a2, TRACE_SHARED_LOAD, x, 41, 0);
	E(a2, TRACE_SHARED_STORE, x, 42, 0);
	ck_assert_str_eq(said(), "adder.2 writes counter = 42");
	E(a1, TRACE_SHARED_STORE, x, 42, 0);
	ck_assert_str_eq(said(), "adder.1 writes counter = 42 (overwrites "
	    "adder.2's 42: an update is lost)");
	ck_assert_uint_eq(m->objects[x].lost_updates, 1);
	ck_assert_int_eq(m->objects[x].value, 42);
	ck_assert_int_eq(m->objects[x].last_writer, a1);
	ck_assert(!holds(&meta.expects[0]));
	E(a2, TRACE_SHARED_ADD, x, 43, 0);
	ck_assert_str_eq(said(), "adder.2 atomically adds to counter: now 43");
	ck_assert(holds(&meta.expects[0]));
	/* t = x in one statement, x = t later: a2's set to 50 in between
	   is thrown away. The loss is counted in value: how far memory is
	   behind what the updates meant (a plain set means its value). */
	E(a1, TRACE_SHARED_LOAD, x, 43, 0);
	step(a1, 8);
	E(a2, TRACE_SHARED_STORE, x, 50, 0);
	E(a1, TRACE_SHARED_STORE, x, 43, 0);
	ck_assert_str_eq(said(), "adder.1 writes counter = 43 (overwrites "
	    "adder.2's 50: an update is lost)");
	ck_assert_uint_eq(m->objects[x].lost_updates, 7);
	/* Without interference nothing more is lost. */
	E(a1, TRACE_SHARED_LOAD, x, 43, 0);
	E(a1, TRACE_SHARED_STORE, x, 44, 0);
	ck_assert_uint_eq(m->objects[x].lost_updates, 7);
	ck_assert_int_eq(metric(TRACE_METRIC_VALUE, x), 44);
}
END_TEST

/* The count is exact however a race's events interleave: a load stamped
   after other workers' stores still read the old value (stale), and one
   late store can throw away many increments. */
START_TEST(test_shared_lost_exact)
{
	uint16_t	a = worker("a", 0), b = worker("b", 0);
	uint16_t	x = object("counter", TRACE_OBJ_SHARED, 0);
	int		i;

	build();
	E(a, TRACE_SHARED_LOAD, x, 0, 0);	/* a reads 0 ... */
	for (i = 0; i < 10; i++) {		/* ... b adds 10 ... */
		E(b, TRACE_SHARED_LOAD, x, i, 0);
		E(b, TRACE_SHARED_STORE, x, i + 1, 0);
	}
	E(a, TRACE_SHARED_STORE, x, 1, 0);	/* ... a writes 1 */
	ck_assert_uint_eq(m->objects[x].lost_updates, 10);
	/* b's load was stamped after a's store but read 10 (stale). */
	E(b, TRACE_SHARED_LOAD, x, 10, 0);
	E(b, TRACE_SHARED_STORE, x, 11, 0);	/* 12 adds, value 11 */
	ck_assert_uint_eq(m->objects[x].lost_updates, 1);
	E(a, TRACE_SHARED_ADD, x, 12, 0);	/* atomic: nothing lost */
	ck_assert_uint_eq(m->objects[x].lost_updates, 1);
	ck_assert_int_eq(m->objects[x].value, 12);
}
END_TEST

START_TEST(test_arrays_and_locals)
{
	uint16_t	w[5], arr, loc, sh;
	char		name[16];
	int		i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof name, "worker.%d", i + 1);
		w[i] = worker(name, 0);
	}
	worker("main", 0);
	arr = object("mem", TRACE_OBJ_SHM, 4);
	loc = object("idx", TRACE_OBJ_LOCAL, 0);
	sh = object("last", TRACE_OBJ_SHARED, 0);
	build();
	ck_assert_uint_eq(m->objects[arr].ncells, 4);
	E(w[0], TRACE_SHARED_STORE, arr, 10, 1);
	ck_assert_str_eq(said(), "worker.1 writes mem[1] = 10");
	E(w[1], TRACE_SHARED_ADD, arr, 5, 3);
	ck_assert_int_eq(m->objects[arr].cells[1], 10);
	ck_assert_int_eq(m->objects[arr].cells[3], 5);
	ck_assert_int_eq(metric(TRACE_METRIC_VALUE, arr), 15);
	E(w[1], TRACE_SHARED_STORE, arr, 1, 4);		/* no cell 4 */
	ck_assert_uint_eq(m->ignored, 1);
	for (i = 0; i < 5; i++) {
		E(w[i], TRACE_LOCAL_SET, loc, i + 1, 0);
		E(w[i], TRACE_SHARED_STORE, sh, i + 1, 0);
	}
	ck_assert_str_eq(said(), "worker.5 writes last = 5");
	E(w[2], TRACE_LOCAL_SET, loc, 3, 0);
	ck_assert_int_eq(m->objects[loc].cells[w[3]], 4);
	ck_assert_int_eq(metric(TRACE_METRIC_DISTINCT_LOCALS, loc), 5);
	E(w[4], TRACE_LOCAL_SET, loc, 1, 0);
	ck_assert_int_eq(metric(TRACE_METRIC_DISTINCT_LOCALS, loc), 4);
	ck_assert_int_eq(metric(TRACE_METRIC_VALUE, sh), 5);
	ck_assert_int_eq(m->objects[sh].last_writer, w[4]);
	{
		int64_t	v;

		ck_assert_int_eq(model_metric(m, TRACE_METRIC_SENT, sh, &v), -1);
	}
}
END_TEST

/* Pools and barriers. */

START_TEST(test_pool)
{
	uint16_t	w[3], p;
	int		t;

	w[0] = worker("pool.1", TRACE_WORKERF_POOL);
	w[1] = worker("pool.2", TRACE_WORKERF_POOL);
	w[2] = worker("pool.3", TRACE_WORKERF_POOL);
	p = object("P", TRACE_OBJ_POOL, 6);
	build();
	ck_assert_uint_eq(m->objects[p].ntasks, 6);
	ck_assert_int_eq(m->objects[p].task_worker[0], -1);
	for (t = 0; t < 6; t += 3) {
		E(w[0], TRACE_TASK_BEGIN, p, t, 0);
		E(w[1], TRACE_TASK_BEGIN, p, t + 1, 0);
		E(w[2], TRACE_TASK_BEGIN, p, t + 2, 0);
		ck_assert_int_eq(m->workers[w[2]].task, t + 2);
		ck_assert_int_eq(m->objects[p].task_worker[t + 1], w[1]);
		ck_assert_int_eq(m->objects[p].busy, 3);
		E(w[1], TRACE_TASK_END, p, (t + 1) * (t + 1), t + 1);
		ck_assert_str_eq(said(), t == 0 ? "pool.2 finishes task 1 of "
		    "P: result 1" : "pool.2 finishes task 4 of P: result 16");
		E(w[0], TRACE_TASK_END, p, t * t, t);
		E(w[2], TRACE_TASK_END, p, (t + 2) * (t + 2), t + 2);
	}
	for (t = 0; t < 6; t++) {
		ck_assert(m->objects[p].result_done[t]);
		ck_assert_int_eq(m->objects[p].results[t], t * t);
		ck_assert_int_eq(m->objects[p].task_worker[t], -1);
	}
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_BUSY, p), 3);
	ck_assert_int_eq(metric(TRACE_METRIC_TASKS_DONE, p), 6);
	ck_assert_int_eq(m->objects[p].busy, 0);
	E(w[0], TRACE_TASK_BEGIN, p, 6, 0);		/* no task 6 */
	ck_assert_uint_eq(m->ignored, 1);
}
END_TEST

START_TEST(test_barrier)
{
	uint16_t	r[4], b;
	char		name[16];
	int		i;

	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof name, "runner.%d", i + 1);
		r[i] = worker(name, 0);
	}
	b = object("B", TRACE_OBJ_BARRIER, 4);
	build();
	for (i = 0; i < 4; i++)
		start(r[i]);
	for (i = 0; i < 3; i++) {
		E(r[i], TRACE_BARRIER_WAIT, b, i + 1, 0);
		ck_assert_int_eq(m->workers[r[i]].state, MODEL_W_BLOCKED);
	}
	ck_assert_str_eq(said(), "runner.3 arrives at B and waits (3 of 4 "
	    "here)");
	ck_assert(!model_waitfor_runnable(m, r[0]));
	E(r[3], TRACE_BARRIER_WAIT, b, 4, 0);
	ck_assert_str_eq(said(), "runner.4 arrives at B, the last one: "
	    "everyone may pass");
	ck_assert_int_eq(m->workers[r[3]].state, MODEL_W_RUNNING);
	ck_assert(model_waitfor_runnable(m, r[0]));
	for (i = 0; i < 4; i++)
		E(r[i], TRACE_BARRIER_PASS, b, 1, 0);
	ck_assert_int_eq(m->objects[b].nwaiters, 0);
	ck_assert_int_eq(metric(TRACE_METRIC_EARLY_PASSES, b), 0);
	ck_assert_int_eq(metric(TRACE_METRIC_MAX_WAITERS, b), 3);
	/* Second generation: a pass before the fourth arrives is early. */
	E(r[0], TRACE_BARRIER_WAIT, b, 1, 0);
	E(r[0], TRACE_BARRIER_PASS, b, 2, 0);
	ck_assert_str_eq(said(), "runner.1 passes B before everyone arrived");
	ck_assert_int_eq(metric(TRACE_METRIC_EARLY_PASSES, b), 1);
}
END_TEST

/* Deadlock. */

START_TEST(test_deadlock_two_locks)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);
	uint16_t	b = object("B", TRACE_OBJ_MUTEX, 0);
	struct trace_meta_expect e = { .kind = TRACE_EXPECT_DEADLOCK };

	build();
	start(t1);
	start(t2);
	step(t1, 8);
	take(t1, a);
	step(t2, 15);
	take(t2, b);
	step(t1, 10);
	lwait(t1, b, 0);
	ck_assert(!m->detect.deadlock);
	ck_assert(!holds(&e));
	step(t2, 17);
	lwait(t2, a, 0);
	ck_assert(m->detect.deadlock);
	ck_assert(!m->detect.deadlock_timed);
	ck_assert(!m->detect.self_deadlock);
	ck_assert(!m->detect.stall);
	ck_assert_uint_eq(m->detect.deadlock_event, m->nevents - 1);
	ck_assert_str_eq(cycle(), "t1 -> B -> t2 -> A -> t1");
	ck_assert_uint_eq(m->detect.cycle.n, 2);
	/* Lines rotate with their workers: t1 waits at 10, t2 at 17. */
	ck_assert_int_eq(m->detect.cycle.lines[0], 10);
	ck_assert_int_eq(m->detect.cycle.lines[1], 17);
	ck_assert(holds(&e));
	e.kind = TRACE_EXPECT_POTENTIAL;
	ck_assert(holds(&e));
	e.kind = TRACE_EXPECT_COMPLETES;
	ck_assert(!holds(&e));
	/* Stopping the run kills them: the state clears, the record stays. */
	E(t1, TRACE_WORKER_KILLED, TRACE_NO_OBJECT, 0, 0);
	ck_assert(!m->detect.deadlock);
	ck_assert_str_eq(cycle(), "t1 -> B -> t2 -> A -> t1");
	E(t2, TRACE_WORKER_KILLED, TRACE_NO_OBJECT, 0, 0);
	E(TRACE_NO_WORKER, TRACE_RUN_END, TRACE_NO_OBJECT, 1, 0);
	ck_assert(m->run_ended);
	e.kind = TRACE_EXPECT_DEADLOCK;
	ck_assert(holds(&e));
	ck_assert_uint_eq(m->detect.deadlocks_seen, 1);
}
END_TEST

START_TEST(test_deadlock_philosophers)
{
	uint16_t	p[5], f[5];
	char		name[8];
	int		i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof name, "p%d", i + 1);
		p[i] = worker(name, 0);
		snprintf(name, sizeof name, "f%d", i + 1);
		f[i] = object(name, TRACE_OBJ_MUTEX, 0);
	}
	build();
	for (i = 0; i < 5; i++)
		take(p[i], f[i]);
	for (i = 0; i < 4; i++) {
		lwait(p[i], f[i + 1], 0);
		ck_assert(!m->detect.deadlock);
	}
	lwait(p[4], f[0], 0);
	ck_assert(m->detect.deadlock);
	ck_assert_uint_eq(m->detect.cycle.n, 5);
	ck_assert_str_eq(cycle(), "p1 -> f2 -> p2 -> f3 -> p3 -> f4 -> p4 -> "
	    "f5 -> p5 -> f1 -> p1");
	ck_assert_uint_eq(m->detect.ninversions, 1);
	ck_assert_uint_eq(m->detect.inversions[0].nlocks, 5);
	/* The caption names the real cycle, not "p4 took them in the
	   other order". */
	ck_assert_str_eq(said(), "p5 waits for f1, held by p1; it holds f5: 5 "
	    "locks are taken in a cycle (a potential deadlock, see the lock "
	    "order). Deadlock: p1 waits for f2, held by p2; p2 waits for f3, "
	    "held by p3; p3 waits for f4, held by p4; p4 waits for f5, held "
	    "by p5; p5 waits for f1, held by p1: each can only be woken by "
	    "another of them");
	model_inversion_string(m, &m->detect.inversions[0], text, sizeof text);
	ck_assert_str_eq(text, "lock-order cycle f5 -> f1 -> f2 -> f3 -> f4 -> "
	    "f5: p5 takes f1 (line 0) while holding f5 (line 0); p1 takes f2 "
	    "(line 0) while holding f1 (line 0); p2 takes f3 (line 0) while "
	    "holding f2 (line 0); p3 takes f4 (line 0) while holding f3 (line "
	    "0); p4 takes f5 (line 0) while holding f4 (line 0)");
}
END_TEST

/* A semaphore cycle is not a deadlock while a slot is free, nor while a
   slot belongs to a worker that can still give it back. */
START_TEST(test_semaphore_cycle_free_slot)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	t3 = worker("t3", 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 2);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);

	build();
	E(t1, TRACE_SEM_ACQUIRED, s, 1, 0);
	take(t2, a);
	lwait(t1, a, 0);
	E(t2, TRACE_SEM_WAIT, s, 0, 0);	/* a slot is free: lag */
	ck_assert(!m->detect.deadlock);
	ck_assert(model_waitfor_runnable(m, t2));
	E(t3, TRACE_SEM_ACQUIRED, s, 0, 0);
	/* Both slots taken, but t3 runs and will give its slot back. */
	ck_assert(!m->detect.deadlock);
	{
		uint16_t	out[4];

		ck_assert_uint_eq(model_waitfor_edges(m, t2, out, 4), 2);
	}
	/* Now t3 waits for A too: nobody can give a slot back. */
	lwait(t3, a, 0);
	ck_assert(m->detect.deadlock);
	/* t3 is stuck behind the cycle, not on it. */
	ck_assert_str_eq(cycle(), "t1 -> A -> t2 -> S -> t1");
}
END_TEST

START_TEST(test_semaphore_deadlock_binary)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	t3 = worker("t3", 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 1);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);

	meta.objects[s].flags |= TRACE_OBJF_LOCKLIKE;
	build();
	E(t1, TRACE_SEM_ACQUIRED, s, 0, 0);
	take(t2, a);
	E(t2, TRACE_SEM_WAIT, s, 0, 0);
	lwait(t1, a, 0);
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "t1 -> A -> t2 -> S -> t1");
	ck_assert_uint_eq(m->detect.ninversions, 1);
	/* A post by someone else breaks it: the semaphore was a signal. */
	E(t3, TRACE_SEM_RELEASE, s, 1, 0);
	ck_assert(m->objects[s].signalling);
	ck_assert(!m->detect.deadlock);
	ck_assert(model_waitfor_runnable(m, t2));
	ck_assert_uint_eq(m->detect.deadlocks_seen, 1);
}
END_TEST

START_TEST(test_deadlock_broken_by_timeout)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);
	uint16_t	b = object("B", TRACE_OBJ_MUTEX, 0);
	struct trace_meta_expect e = { .kind = TRACE_EXPECT_DEADLOCK };

	build();
	start(t1);
	start(t2);
	take(t1, a);
	take(t2, b);
	lwait(t1, b, 100000000);
	lwait(t2, a, 0);
	ck_assert(m->detect.deadlock);
	ck_assert(m->detect.deadlock_timed);
	E(t1, TRACE_LOCK_TIMEOUT, b, 0, 0);
	ck_assert(!m->detect.deadlock);
	ck_assert(!m->detect.deadlock_timed);
	ck_assert_uint_eq(m->detect.deadlocks_seen, 1);
	ck_assert(!m->detect.hard_deadlock_seen);
	give(t1, a);
	take(t2, a);
	give(t2, a);
	give(t2, b);
	end(t1);
	end(t2);
	ck_assert(holds(&e));
	e.kind = TRACE_EXPECT_COMPLETES;
	ck_assert(holds(&e));
}
END_TEST

/* Two cycles, only one with a timed waiter: it will not all break. */
START_TEST(test_deadlock_partly_timed)
{
	uint16_t	t[4], l[4];
	char		name[8];
	int		i;

	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof name, "t%d", i + 1);
		t[i] = worker(name, 0);
		snprintf(name, sizeof name, "L%d", i + 1);
		l[i] = object(name, TRACE_OBJ_MUTEX, 0);
	}
	build();
	for (i = 0; i < 4; i++)
		take(t[i], l[i]);
	lwait(t[0], l[1], 5000);
	lwait(t[1], l[0], 0);
	ck_assert(m->detect.deadlock && m->detect.deadlock_timed);
	lwait(t[2], l[3], 0);
	lwait(t[3], l[2], 0);
	ck_assert(m->detect.deadlock);
	ck_assert(!m->detect.deadlock_timed);
	ck_assert(m->detect.hard_deadlock_seen);
	E(t[0], TRACE_LOCK_TIMEOUT, l[1], 0, 0);
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "t3 -> L4 -> t4 -> L3 -> t3");
}
END_TEST

START_TEST(test_self_deadlock)
{
	uint16_t	fl = worker("flipper", 0), rv = worker("reverse", 0);
	uint16_t	r = object("R", TRACE_OBJ_MUTEX, 0);
	struct trace_meta_expect e = { .kind = TRACE_EXPECT_SELF_DEADLOCK };

	build();
	start(fl);
	start(rv);
	step(rv, 30);
	take(rv, r);
	step(rv, 33);
	lwait(rv, r, 0);
	ck_assert_str_eq(said(), "reverse waits for R, which it already holds: "
	    "it waits for itself (self-deadlock)");
	ck_assert(m->detect.self_deadlock);
	ck_assert(m->detect.deadlock);
	ck_assert_int_eq(m->detect.self_worker, rv);
	ck_assert_int_eq(m->detect.self_object, r);
	ck_assert_str_eq(cycle(), "reverse -> R -> reverse");
	ck_assert_int_eq(m->detect.cycle.lines[0], 33);
	/* flipper then blocks on R too: still the same self-deadlock. */
	lwait(fl, r, 0);
	ck_assert(m->detect.self_deadlock);
	ck_assert_str_eq(cycle(), "reverse -> R -> reverse");
	ck_assert(holds(&e));
	ck_assert_uint_eq(m->detect.self_deadlocks_seen, 1);
}
END_TEST

START_TEST(test_join_cycle)
{
	uint16_t	mn = worker("main", TRACE_WORKERF_DEFERRED * 0);
	uint16_t	t1 = worker("t1", TRACE_WORKERF_DEFERRED);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);

	build();
	start(mn);
	take(mn, a);
	E(mn, TRACE_START, t1, 0, 0);
	start(t1);
	E(mn, TRACE_JOIN_WAIT, t1, 0, 0);
	ck_assert_str_eq(said(), "main waits for t1 to end");
	ck_assert_int_eq(m->workers[mn].blocked_on, t1);
	ck_assert_int_eq(m->workers[mn].blocked_op, TRACE_JOIN_WAIT);
	ck_assert(!m->detect.deadlock);
	lwait(t1, a, 0);
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "main -> join(t1) -> t1 -> A -> main");
}
END_TEST

/* main joins a deferred worker nobody starts: a stall. */
START_TEST(test_join_never_started)
{
	uint16_t	mn = worker("main", 0);
	uint16_t	t1 = worker("t1", TRACE_WORKERF_DEFERRED);
	uint16_t	t2 = worker("t2", TRACE_WORKERF_DEFERRED);
	struct trace_meta_expect e = { .kind = TRACE_EXPECT_COMPLETES };

	build();
	start(mn);
	E(mn, TRACE_START, t1, 0, 0);
	E(mn, TRACE_JOIN_WAIT, t1, 0, 0);
	ck_assert(!m->detect.stall);		/* t1 is about to start */
	start(t1);
	end(t1);
	ck_assert(model_waitfor_runnable(m, mn));
	E(mn, TRACE_JOINED, t1, 0, 0);
	ck_assert_str_eq(said(), "t1 has ended: main's join returns");
	E(mn, TRACE_JOIN_WAIT, t2, 100000000, 0);
	ck_assert(m->detect.stall);
	ck_assert(m->detect.stall_timed);
	E(mn, TRACE_JOIN_TIMEOUT, t2, 0, 0);
	ck_assert(!m->detect.stall);
	end(mn);
	/* t2 was never started: it does not count against completion. */
	ck_assert(holds(&e));
}
END_TEST

/* Channels: who can write. */

static void
peer(uint16_t o, int reader, uint16_t w, int end)
{
	trace_meta_add_peer(&meta, o, reader, w, end);
}

/* A non-daemon worker that ended with a runtime error (status 1 after
   TRACE_ERROR) did not complete. */
START_TEST(test_completes_runtime_error)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	d = worker("d", TRACE_WORKERF_DAEMON);

	expect(TRACE_EXPECT_COMPLETES, 0, TRACE_NO_OBJECT, 0, 0);
	build();
	start(t1);
	start(t2);
	start(d);
	end(t1);
	step(t2, 3);
	E(t2, TRACE_ERROR, TRACE_NO_OBJECT, 0, 3);
	E(t2, TRACE_WORKER_END, TRACE_NO_OBJECT, 1, 0);
	E(d, TRACE_WORKER_KILLED, TRACE_NO_OBJECT, 0, 0);
	ck_assert_int_eq(m->workers[t2].state, MODEL_W_DONE);
	ck_assert_int_eq(m->workers[t2].exit_status, 1);
	ck_assert(!holds(&meta.expects[0]));
	/* The same run without the error completes. */
	model_reset(m);
	start(t1);
	start(t2);
	start(d);
	end(t1);
	end(t2);
	E(d, TRACE_WORKER_KILLED, TRACE_NO_OBJECT, 0, 0);
	ck_assert(holds(&meta.expects[0]));
	/* A daemon's error does not count against completion. */
	model_reset(m);
	start(t1);
	start(t2);
	start(d);
	E(d, TRACE_ERROR, TRACE_NO_OBJECT, 0, 9);
	E(d, TRACE_WORKER_END, TRACE_NO_OBJECT, 1, 0);
	end(t1);
	end(t2);
	ck_assert(holds(&meta.expects[0]));
}
END_TEST

/* Issue 6: R holds L and reads the empty pipe P whose only writer W waits
   for L. The channel is the object between R and W in the cycle. */
START_TEST(test_chan_cross_kind_deadlock)
{
	uint16_t	r = worker("R", 0), w = worker("W", 0);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);
	uint16_t	p = object("P", TRACE_OBJ_PIPE, 0);
	uint16_t	out[4];

	peer(p, 0, w, -1);
	peer(p, 1, r, -1);
	build();
	start(r);
	start(w);
	take(r, l);
	lwait(w, l, 0);
	ck_assert(!m->detect.deadlock);
	step(r, 7);
	E(r, TRACE_CHAN_GET_WAIT, p, 0, 0);
	ck_assert(m->detect.deadlock);
	ck_assert(!m->detect.deadlock_timed);
	ck_assert(m->detect.hard_deadlock_seen);
	ck_assert(!m->detect.stall);
	ck_assert_str_eq(cycle(), "R -> P -> W -> L -> R");
	ck_assert_uint_eq(m->detect.cycle.ops[0], TRACE_CHAN_GET_WAIT);
	ck_assert_int_eq(m->detect.cycle.lines[0], 7);
	ck_assert_uint_eq(model_waitfor_edges(m, r, out, 4), 1);
	ck_assert_uint_eq(out[0], w);
	ck_assert(!model_waitfor_runnable(m, r));
	/* A put that arrives late (W had put before it blocked) breaks it. */
	E(w, TRACE_CHAN_PUT, p, 5, 1);
	ck_assert(!m->detect.deadlock);
	ck_assert(model_waitfor_runnable(m, r));

	/* The other order: R waits first, W's lock wait closes the cycle. */
	model_reset(m);
	start(r);
	start(w);
	take(r, l);
	E(r, TRACE_CHAN_GET_WAIT, p, 0, 0);
	ck_assert(!m->detect.deadlock);
	lwait(w, l, 0);
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "R -> P -> W -> L -> R");
}
END_TEST

/* With two writers the reader waits for either: no deadlock while the
   second can still write, one once it ends or closes. */
START_TEST(test_chan_deadlock_when_writer_leaves)
{
	uint16_t	r = worker("R", 0), w1 = worker("W1", 0);
	uint16_t	w2 = worker("W2", 0);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);
	uint16_t	p = object("P", TRACE_OBJ_PIPE, 0);
	uint16_t	q = object("Q", TRACE_OBJ_QUEUE, 1);
	uint16_t	c = worker("C", 0);

	peer(p, 0, w1, -1);
	peer(p, 0, w2, -1);
	peer(p, 1, r, -1);
	peer(q, 0, r, -1);
	peer(q, 1, c, -1);
	build();
	start(r);
	start(w1);
	start(w2);
	start(c);
	take(r, l);
	lwait(w1, l, 0);
	E(r, TRACE_CHAN_GET_WAIT, p, 0, 0);
	ck_assert(!m->detect.deadlock);
	end(w2);		/* a thread: its end stays open, no EOF */
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "R -> P -> W1 -> L -> R");
	ck_assert_uint_eq(m->detect.deadlock_event, m->nevents - 1);

	/* A close of the other writer's end does the same. */
	model_reset(m);
	start(r);
	start(w1);
	start(w2);
	start(c);
	take(r, l);
	lwait(w1, l, 0);
	E(r, TRACE_CHAN_GET_WAIT, p, 0, 0);
	E(w2, TRACE_CHAN_CLOSE, p, 0, 1);
	ck_assert(m->detect.deadlock);

	/* A putter on a full queue waits for its readers: R holds L and
	   puts into full Q, whose only reader C waits for L. */
	model_reset(m);
	start(r);
	start(w1);
	start(w2);
	start(c);
	take(r, l);
	E(r, TRACE_CHAN_PUT, q, 1, 0);
	E(r, TRACE_CHAN_PUT_WAIT, q, 2, 0);
	ck_assert(!m->detect.deadlock);
	lwait(c, l, 0);
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "R -> Q -> C -> L -> R");
}
END_TEST

/* Nobody left to write: a stall. A thread that returned keeps its
   process's descriptor open; a process that ended closed its own. */
START_TEST(test_chan_stall_writer_done)
{
	uint16_t	r = worker("R", 0), w = worker("W", 0);
	uint16_t	pw = worker("PW", 0);
	uint16_t	p = object("P", TRACE_OBJ_PIPE, 0);
	uint16_t	p2 = object("P2", TRACE_OBJ_PIPE, 0);
	uint16_t	q = object("Q", TRACE_OBJ_QUEUE, 4);

	meta.workers[pw].kind = TRACE_WORKER_PROCESS;
	peer(p, 0, w, -1);
	peer(p, 1, r, -1);
	peer(p2, 0, pw, -1);
	peer(p2, 1, r, -1);
	peer(q, 1, r, -1);	/* nobody puts into Q */
	build();
	start(r);
	start(w);
	start(pw);
	end(pw);
	E(r, TRACE_CHAN_GET_WAIT, p, 0, 0);
	ck_assert(!m->detect.stall);	/* W may still send */
	end(w);
	ck_assert(m->detect.stall);
	ck_assert(m->detect.hard_stall_seen);
	ck_assert(!m->detect.deadlock);
	ck_assert(!model_waitfor_runnable(m, r));

	/* The process writer's end closed with it: end-of-file is due. */
	model_reset(m);
	start(r);
	start(w);
	start(pw);
	end(w);
	end(pw);
	E(r, TRACE_CHAN_GET_WAIT, p2, 0, 0);
	ck_assert(!m->detect.stall);
	ck_assert(model_waitfor_runnable(m, r));
	E(r, TRACE_CHAN_EOF, p2, 0, 0);
	end(r);
	ck_assert_uint_eq(m->detect.stalls_seen, 0);

	/* No writer at all: stuck from the start. */
	model_reset(m);
	start(r);
	start(w);
	start(pw);
	end(w);
	end(pw);
	E(r, TRACE_CHAN_GET_WAIT, q, 0, 0);
	ck_assert(m->detect.stall);
}
END_TEST

/* One writer of two closed: no end-of-file yet, and no stall while the
   other can still write; a stall once it cannot. */
START_TEST(test_chan_one_of_two_writers)
{
	uint16_t	r = worker("R", 0), w1 = worker("W1", 0);
	uint16_t	w2 = worker("W2", 0);
	uint16_t	p = object("P", TRACE_OBJ_PIPE, 0);
	uint16_t	cv = object("cv", TRACE_OBJ_CONDITION, 0);

	peer(p, 0, w1, -1);
	peer(p, 0, w2, -1);
	peer(p, 1, r, -1);
	build();
	start(r);
	start(w1);
	start(w2);
	E(r, TRACE_CHAN_GET_WAIT, p, 0, 0);
	E(w1, TRACE_CHAN_CLOSE, p, 0, 1);
	end(w1);
	ck_assert(!model_waitfor_runnable(m, r));
	ck_assert(!m->detect.stall);		/* W2 runs */
	E(w2, TRACE_COND_WAIT, cv, 0, cv);	/* nobody will notify */
	ck_assert(m->detect.stall);
	ck_assert(!m->detect.deadlock);
}
END_TEST

/* A message queue has no end-of-file: `close M` by its only writer
   leaves a reader blocked for ever. */
START_TEST(test_chan_mqueue_close_not_eof)
{
	uint16_t	r = worker("R", 0), w = worker("W", 0);
	uint16_t	mq = object("M", TRACE_OBJ_MQUEUE, 4);

	peer(mq, 0, w, -1);
	peer(mq, 1, r, -1);
	build();
	start(r);
	start(w);
	E(r, TRACE_CHAN_GET_WAIT, mq, 0, 0);
	E(w, TRACE_CHAN_CLOSE, mq, 0, 0);
	ck_assert(!model_waitfor_runnable(m, r));
	/* W runs on, but closed its end: nobody can send any more. */
	ck_assert(m->detect.stall);
	end(w);
	ck_assert(m->detect.stall);
	ck_assert(m->detect.hard_stall_seen);
}
END_TEST

/* End-of-file once every writer closed its end; a queue is closed for
   all by one `close Q`. */
START_TEST(test_chan_eof_after_all_closed)
{
	uint16_t	r = worker("R", 0), w1 = worker("W1", 0);
	uint16_t	w2 = worker("W2", 0), x = worker("X", 0);
	uint16_t	p = object("P", TRACE_OBJ_PIPE, 0);
	uint16_t	q = object("Q", TRACE_OBJ_QUEUE, 2);

	peer(p, 0, w1, -1);
	peer(p, 0, w2, -1);
	peer(p, 1, r, -1);
	peer(q, 0, w1, -1);
	peer(q, 1, r, -1);
	build();
	start(r);
	start(w1);
	start(w2);
	start(x);
	end(x);
	E(r, TRACE_CHAN_GET_WAIT, p, 0, 0);
	E(w1, TRACE_CHAN_CLOSE, p, 0, 1);
	ck_assert(!model_waitfor_runnable(m, r));
	E(w2, TRACE_CHAN_CLOSE, p, 0, 1);
	ck_assert(model_waitfor_runnable(m, r));
	end(w1);
	end(w2);
	ck_assert(!m->detect.stall);
	E(r, TRACE_CHAN_EOF, p, 0, 0);
	ck_assert_int_eq(m->workers[r].state, MODEL_W_RUNNING);
	end(r);
	ck_assert_uint_eq(m->detect.stalls_seen, 0);

	/* Queue: a close by anyone (here W1) closes it for every reader. */
	model_reset(m);
	start(r);
	start(w1);
	start(w2);
	start(x);
	end(w2);
	end(x);
	E(r, TRACE_CHAN_GET_WAIT, q, 0, 0);
	ck_assert(!model_waitfor_runnable(m, r));
	E(w1, TRACE_CHAN_CLOSE, q, 0, 0);
	ck_assert(model_waitfor_runnable(m, r));
	end(w1);
	ck_assert(!m->detect.stall);
}
END_TEST


/* Who can wake whom (producers from the meta's peer lists). */

static void
peer_at(uint16_t o, int reader, uint16_t w, int limit)
{
	trace_meta_add_peer_at(&meta, o, reader, w, -1, limit);
}

/* t1 holds L and waits for a post of S(0); t2, the only poster, waits
   for L: a deadlock through a signalling semaphore, not a stall. */
START_TEST(test_producer_sem_deadlock)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 0);
	uint16_t	out[4];

	peer_at(s, 1, t1, 8);
	peer_at(s, 0, t2, 13);
	build();
	start(t1);
	start(t2);
	step(t1, 7);
	take(t1, l);
	step(t1, 8);
	E(t1, TRACE_SEM_WAIT, s, 0, 0);
	ck_assert(!m->detect.deadlock);
	ck_assert(!m->detect.stall);		/* t2 runs: it may post */
	ck_assert_uint_eq(model_waitfor_edges(m, t1, out, 4), 1);
	ck_assert_uint_eq(out[0], t2);
	ck_assert_str_eq(model_waitfor_how(m, t1), "released only by");
	step(t2, 12);
	lwait(t2, l, 0);
	ck_assert(m->detect.deadlock);
	ck_assert(!m->detect.stall);
	ck_assert_str_eq(cycle(), "t1 -> S -> t2 -> L -> t1");
	model_verdict_string(m, text, sizeof text);
	ck_assert_str_eq(text, "t1 waits for S (line 8), released only by t2; "
	    "t2 waits for L (line 12), held by t1: each can only be woken by "
	    "another of them");
}
END_TEST

/* The same poster already past its last release: nobody can post any
   more, so t1 is stalled at once, while t2 still runs. */
START_TEST(test_producer_past_limit)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 0);

	peer_at(s, 1, t1, 8);
	peer_at(s, 0, t2, 13);
	build();
	start(t1);
	start(t2);
	step(t2, 13);
	E(t2, TRACE_SEM_RELEASE, s, 1, 0);
	step(t1, 8);
	E(t1, TRACE_SEM_ACQUIRED, s, 0, 0);
	step(t1, 9);
	E(t1, TRACE_SEM_WAIT, s, 0, 0);
	ck_assert(!m->detect.stall);		/* t2 is still at line 13 */
	step(t2, 14);				/* past its last release */
	ck_assert(m->detect.stall);
	ck_assert(m->detect.hard_stall_seen);
	ck_assert(!m->detect.deadlock);
	ck_assert_uint_eq(m->detect.nstalled, 1);
	ck_assert_uint_eq(m->detect.stalled[0], t1);
	model_verdict_string(m, text, sizeof text);
	ck_assert_str_eq(text, "t1 waits for S (line 9), which nobody left can "
	    "release (t2 is past its last release (line 13)); t2 runs on but "
	    "can never wake t1");
	/* Going back into a loop is not possible past the limit, but a
	   reset replays from the start: no stall then. */
	model_reset(m);
	ck_assert(!m->detect.stall);
	ck_assert_uint_eq(m->detect.stalls_seen, 0);
}
END_TEST

/* A ticking daemon that never notifies hides no stall; a notifier that
   ends makes the waiter hopeless. A timed wait makes the stall timed. */
START_TEST(test_producer_daemon_ticks)
{
	uint16_t	c = worker("consumer", 0), p = worker("producer", 0);
	uint16_t	d = worker("ticker", TRACE_WORKERF_DAEMON);
	uint16_t	l = object("C.lock", TRACE_OBJ_MUTEX, 0);
	uint16_t	cv = condition("C", l);

	peer_at(cv, 1, c, 0);
	peer_at(cv, 0, p, 0);
	build();
	start(c);
	start(p);
	start(d);
	E(c, TRACE_COND_WAIT, cv, 0, cv);
	ck_assert(!m->detect.stall);		/* the producer lives */
	E(d, TRACE_SLEEP, TRACE_NO_OBJECT, 10000000, 0);
	end(p);
	ck_assert(m->detect.stall);
	ck_assert(!m->detect.stall_timed);
	E(d, TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
	E(d, TRACE_SLEEP, TRACE_NO_OBJECT, 10000000, 0);
	ck_assert(m->detect.stall);		/* still, while it ticks */
	ck_assert_uint_eq(m->detect.stalls_seen, 1);
	model_verdict_string(m, text, sizeof text);
	ck_assert_ptr_nonnull(strstr(text, "consumer waits for C, which "
	    "nobody left can notify (producer has ended); ticker runs on"));

	model_reset(m);
	start(c);
	start(p);
	E(c, TRACE_COND_WAIT, cv, 50000000, cv);	/* wait C timeout */
	end(p);
	ck_assert(m->detect.stall);
	ck_assert(m->detect.stall_timed);
	ck_assert(!m->detect.hard_stall_seen);
	E(c, TRACE_COND_WOKEN, cv, 0, cv);	/* timed out */
	ck_assert(!m->detect.stall);
}
END_TEST

/* The nested monitor: the waiter holds outer and waits on C; the only
   notifier waits for outer. */
START_TEST(test_producer_nested_monitor)
{
	uint16_t	w = worker("waiter", 0), n = worker("notifier", 0);
	uint16_t	outer = object("outer", TRACE_OBJ_MUTEX, 0);
	uint16_t	l = object("C.lock", TRACE_OBJ_MUTEX, 0);
	uint16_t	cv = condition("C", l);

	peer_at(cv, 1, w, 0);
	peer_at(cv, 0, n, 0);
	build();
	start(w);
	start(n);
	take(w, outer);
	take(w, cv);
	E(w, TRACE_COND_WAIT, cv, 0, cv);
	ck_assert(!m->detect.deadlock);
	lwait(n, outer, 0);
	ck_assert(m->detect.deadlock);
	ck_assert_str_eq(cycle(), "waiter -> C -> notifier -> outer -> waiter");
	ck_assert_str_eq(model_waitfor_how(m, w), "notified only by");
}
END_TEST

/* A slot released by a worker that never took it: t3 holds L and waits
   for S, t1 holds S and waits for L, t4 will release S. No deadlock;
   only when t4 is past its release is the cycle closed for good. */
START_TEST(test_producer_nonholder_release)
{
	uint16_t	t1 = worker("t1", 0), t3 = worker("t3", 0);
	uint16_t	t4 = worker("t4", 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 1);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);

	peer_at(s, 1, t1, 6);
	peer_at(s, 1, t3, 13);
	peer_at(s, 0, t4, 18);
	build();
	start(t1);
	start(t3);
	start(t4);
	E(t1, TRACE_SEM_ACQUIRED, s, 0, 0);
	take(t3, l);
	lwait(t1, l, 0);
	E(t3, TRACE_SEM_WAIT, s, 0, 0);
	E(t4, TRACE_SLEEP, TRACE_NO_OBJECT, 300000000, 0);
	ck_assert(!m->detect.deadlock);
	ck_assert(!m->detect.stall);
	E(t4, TRACE_SEM_RELEASE, s, 1, 0);	/* gives back t1's slot */
	ck_assert(model_waitfor_runnable(m, t3));
	ck_assert_int_eq(m->objects[s].nholders, 0);
	ck_assert_uint_eq(m->detect.deadlocks_seen, 0);
	ck_assert_uint_eq(m->detect.ninversions, 0);	/* S is no lock */

	/* Without t4's release to come (t4 past line 18) it is a stall:
	   t3 can never get S, and t1 waits behind t3. */
	model_reset(m);
	start(t1);
	start(t3);
	start(t4);
	E(t1, TRACE_SEM_ACQUIRED, s, 0, 0);
	take(t3, l);
	step(t4, 19);
	lwait(t1, l, 0);
	E(t3, TRACE_SEM_WAIT, s, 0, 0);
	ck_assert(!m->detect.deadlock);
	ck_assert(m->detect.stall);
	ck_assert_uint_eq(m->detect.nstalled, 2);
}
END_TEST

/* A barrier of three: the first arrival is hopeless once fewer than the
   missing parties can still arrive; two live arrivers are enough. */
START_TEST(test_producer_barrier_need)
{
	uint16_t	a = worker("a", 0), b = worker("b", 0);
	uint16_t	c = worker("c", 0);
	uint16_t	bar = object("B", TRACE_OBJ_BARRIER, 3);

	peer_at(bar, 0, a, 5);
	peer_at(bar, 0, b, 5);
	peer_at(bar, 0, c, 5);
	build();
	start(a);
	start(b);
	start(c);
	step(a, 5);
	E(a, TRACE_BARRIER_WAIT, bar, 0, 0);
	ck_assert(!m->detect.stall);
	step(b, 5);
	E(b, TRACE_BARRIER_WAIT, bar, 0, 0);
	ck_assert(!m->detect.stall);
	step(c, 6);				/* c skipped its wait */
	ck_assert(m->detect.stall);
	ck_assert_uint_eq(m->detect.nstalled, 2);

	model_reset(m);
	start(a);
	start(b);
	start(c);
	step(a, 5);
	E(a, TRACE_BARRIER_WAIT, bar, 0, 0);
	end(c);					/* one left to arrive: b */
	ck_assert(m->detect.stall);
	model_verdict_string(m, text, sizeof text);
	ck_assert_ptr_nonnull(strstr(text, "a waits for B (line 5), which 2 "
	    "more must arrive at, and fewer can"));
}
END_TEST

/* Three acquires of S(2) with releases to come: it waits for itself. A
   waiter that holds no slot is never its own producer. */
START_TEST(test_producer_self)
{
	uint16_t	t = worker("t", 0), u = worker("u", 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 2);
	uint16_t	z = object("Z", TRACE_OBJ_SEMAPHORE, 0);
	uint16_t	out[4];

	peer_at(s, 1, t, 7);
	peer_at(s, 0, t, 9);
	peer_at(z, 1, u, 3);
	peer_at(z, 0, u, 4);
	build();
	start(t);
	start(u);
	step(t, 5);
	E(t, TRACE_SEM_ACQUIRED, s, 1, 0);
	step(t, 6);
	E(t, TRACE_SEM_ACQUIRED, s, 0, 0);
	step(t, 7);
	E(t, TRACE_SEM_WAIT, s, 0, 0);
	ck_assert(m->detect.deadlock);
	ck_assert(m->detect.self_deadlock);
	ck_assert_uint_eq(m->detect.self_worker, t);
	/* u waits on Z, released later only by u itself: no self-loop. */
	step(u, 3);
	E(u, TRACE_SEM_WAIT, z, 0, 0);
	ck_assert_uint_eq(model_waitfor_edges(m, u, out, 4), 0);
}
END_TEST

/* Lock order: a binary semaphore counts only when the scenario uses it
   like a lock (TRACE_OBJF_LOCKLIKE); a lightswitch's is not. */
START_TEST(test_lockorder_semaphore_rule)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 1);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);
	int		locklike;

	for (locklike = 0; locklike < 2; locklike++) {
		if (locklike)
			meta.objects[s].flags |= TRACE_OBJF_LOCKLIKE;
		model_free(m);
		build();
		E(t1, TRACE_SEM_ACQUIRED, s, 0, 0);
		take(t1, a);
		give(t1, a);
		E(t1, TRACE_SEM_RELEASE, s, 1, 0);
		take(t2, a);
		E(t2, TRACE_SEM_ACQUIRED, s, 0, 0);
		E(t2, TRACE_SEM_RELEASE, s, 1, 0);
		give(t2, a);
		ck_assert_uint_eq(m->detect.ninversions, (size_t)locklike);
	}
}
END_TEST

/* Gate locks: an inversion taken under one common lock is no potential
   deadlock; the same edge made once without the gate reveals it. */
START_TEST(test_lockorder_gate)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	t3 = worker("t3", 0);
	uint16_t	g = object("G", TRACE_OBJ_MUTEX, 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);
	uint16_t	b = object("B", TRACE_OBJ_MUTEX, 0);
	uint16_t	f = object("footman", TRACE_OBJ_SEMAPHORE, 1);

	meta.objects[f].flags |= TRACE_OBJF_LOCKLIKE;
	meta.objects[f].capacity = 2;
	build();
	take(t1, g);
	take(t1, a);
	take(t1, b);
	give(t1, b);
	give(t1, a);
	give(t1, g);
	take(t2, g);
	take(t2, b);
	take(t2, a);
	give(t2, a);
	give(t2, b);
	give(t2, g);
	ck_assert_uint_eq(m->detect.ninversions, 0);
	/* t3 takes B then A without G: the gate is gone. */
	take(t3, b);
	take(t3, a);
	ck_assert_uint_eq(m->detect.ninversions, 1);
	give(t3, a);
	give(t3, b);

	/* A semaphore of 2 slots gates a 2-lock cycle? No: two can be
	   inside at once. */
	model_reset(m);
	E(t1, TRACE_SEM_ACQUIRED, f, 1, 0);
	take(t1, a);
	take(t1, b);
	give(t1, b);
	give(t1, a);
	E(t1, TRACE_SEM_RELEASE, f, 2, 0);
	E(t2, TRACE_SEM_ACQUIRED, f, 1, 0);
	take(t2, b);
	take(t2, a);
	ck_assert_uint_eq(m->detect.ninversions, 1);
}
END_TEST

/* Stalls and daemons. */

START_TEST(test_stall_queue_and_daemons)
{
	uint16_t	p = worker("producer", 0), c = worker("consumer", 0);
	uint16_t	d = worker("ticker", TRACE_WORKERF_DAEMON);
	uint16_t	q = object("q", TRACE_OBJ_QUEUE, 2);
	uint16_t	q2 = object("work", TRACE_OBJ_QUEUE, 0);

	build();
	start(p);
	start(c);
	start(d);
	E(p, TRACE_CHAN_PUT, q, 1, 0);
	end(p);
	E(c, TRACE_CHAN_GET, q, 1, 0);
	E(c, TRACE_CHAN_GET_WAIT, q, 0, 0);
	/* The daemon still runs and might put something. */
	ck_assert(!m->detect.stall);
	E(d, TRACE_SLEEP, TRACE_NO_OBJECT, 1000, 0);
	ck_assert(!m->detect.stall);
	E(d, TRACE_CHAN_GET_WAIT, q2, 0, 0);
	ck_assert(m->detect.stall);
	ck_assert_uint_eq(m->detect.stall_event, m->nevents - 1);
	ck_assert(!m->detect.deadlock);
	/* A lagging put makes the consumer runnable: no stall. */
	model_reset(m);
	start(p);
	start(c);
	start(d);
	E(d, TRACE_CHAN_GET_WAIT, q2, 0, 0);
	E(c, TRACE_CHAN_GET_WAIT, q, 0, 0);
	E(p, TRACE_CHAN_PUT, q, 5, 0);
	end(p);
	ck_assert(!m->detect.stall);
	E(c, TRACE_CHAN_GET, q, 5, 0);
	end(c);
	/* Only a daemon is blocked: the run is over, not stalled. */
	ck_assert(!m->detect.stall);
	ck_assert_uint_eq(m->detect.stalls_seen, 0);
	ck_assert_int_eq(model_live_workers(m), 1);
}
END_TEST

START_TEST(test_lock_wait_after_release)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);

	build();
	start(t1);
	start(t2);
	take(t1, a);
	give(t1, a);
	end(t1);
	/* t2's try-lock failed before t1's release; its wait event comes
	   after. It is not stuck. */
	lwait(t2, a, 0);
	ck_assert(!m->detect.stall && !m->detect.deadlock);
	take(t2, a);
	give(t2, a);
	end(t2);
	ck_assert_uint_eq(m->detect.stalls_seen, 0);
}
END_TEST

/* Lock order. */

START_TEST(test_potential_deadlock)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);
	uint16_t	b = object("B", TRACE_OBJ_MUTEX, 0);
	uint16_t	r = object("R", TRACE_OBJ_RLOCK, 0);
	struct trace_meta_expect e = { .kind = TRACE_EXPECT_POTENTIAL };
	struct model_inversion *inv;

	build();
	step(t1, 5);
	take(t1, a);
	step(t1, 7);
	take(t1, b);
	give(t1, b);
	give(t1, a);
	end(t1);
	ck_assert_uint_eq(m->detect.ninversions, 0);
	e.kind = TRACE_EXPECT_NO_POTENTIAL;
	ck_assert(holds(&e));
	step(t2, 12);
	take(t2, b);
	take(t2, r);
	E(t2, TRACE_LOCK_ACQUIRED, r, 2, 0);	/* re-entry: no edge */
	step(t2, 14);
	take(t2, a);
	ck_assert_str_eq(said(), "t2 takes A; it holds B, and t1 took them in "
	    "the other order (line 7): a potential deadlock");
	ck_assert_uint_eq(m->detect.ninversions, 1);
	inv = &m->detect.inversions[0];
	ck_assert_int_eq(inv->first, b);
	ck_assert_int_eq(inv->second, a);
	ck_assert_int_eq(inv->worker_ab, t2);
	ck_assert_int_eq(inv->line_ab, 14);
	ck_assert_int_eq(inv->hold_line_ab, 12);
	ck_assert_int_eq(inv->worker_ba, t1);
	ck_assert_int_eq(inv->line_ba, 7);
	ck_assert_int_eq(inv->hold_line_ba, 5);
	ck_assert_uint_eq(inv->nlocks, 2);
	model_inversion_string(m, inv, text, sizeof text);
	ck_assert_str_eq(text, "t2 takes A (line 14) while holding B (line "
	    "12); t1 takes B (line 7) while holding A (line 5)");
	ck_assert(!holds(&e));
	e.kind = TRACE_EXPECT_POTENTIAL;
	ck_assert(holds(&e));
	ck_assert(!m->detect.deadlock);
	/* The same order again reports nothing new. */
	give(t2, a);
	take(t2, a);
	ck_assert_uint_eq(m->detect.ninversions, 1);
}
END_TEST

START_TEST(test_potential_three_locks)
{
	uint16_t	t = worker("t", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);
	uint16_t	b = object("B", TRACE_OBJ_MUTEX, 0);
	uint16_t	c = object("C", TRACE_OBJ_MUTEX, 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 3);
	uint16_t	l = object("L", TRACE_OBJ_MUTEX, 0);
	uint16_t	cv = condition("cv", l);

	build();
	take(t, a); take(t, b); give(t, b); give(t, a);
	take(t, b); take(t, c); give(t, c); give(t, b);
	/* A counting semaphore is not a node. */
	take(t, c); E(t, TRACE_SEM_ACQUIRED, s, 2, 0);
	E(t, TRACE_SEM_RELEASE, s, 3, 0); give(t, c);
	/* A condition's lock taken back after a wait: L -> L is ignored. */
	take(t, l);
	E(t, TRACE_COND_WAIT, cv, 0, l);
	E(t, TRACE_COND_WOKEN, cv, 0, l);
	ck_assert_str_eq(said(), "t stops waiting on cv (timeout) and holds L "
	    "again");
	give(t, l);
	ck_assert_uint_eq(m->detect.ninversions, 0);
	take(t, c);
	take(t, a);
	ck_assert_uint_eq(m->detect.ninversions, 1);
	ck_assert_uint_eq(m->detect.inversions[0].nlocks, 3);
	ck_assert_int_eq(m->detect.inversions[0].locks[0], c);
	ck_assert_int_eq(m->detect.inversions[0].locks[1], a);
	ck_assert_int_eq(m->detect.inversions[0].locks[2], b);
	model_inversion_string(m, &m->detect.inversions[0], text, sizeof text);
	ck_assert_str_eq(text, "lock-order cycle C -> A -> B -> C: t takes A "
	    "(line 0) while holding C (line 0); t takes B (line 0) while "
	    "holding A (line 0); t takes C (line 0) while holding B (line 0)");
}
END_TEST

/* Owner died. */

START_TEST(test_owner_died)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);
	uint16_t	s = object("S", TRACE_OBJ_SEMAPHORE, 1);

	build();
	start(t1);
	start(t2);
	take(t1, a);
	E(t1, TRACE_SEM_ACQUIRED, s, 0, 0);
	lwait(t2, a, 0);
	E(t1, TRACE_WORKER_CRASH, TRACE_NO_OBJECT, 9, 0);
	ck_assert_str_eq(said(), "t1 crashes (signal 9) still holding A: it "
	    "has a dead owner");
	ck_assert_uint_eq(m->detect.nowner_died, 1);
	ck_assert_int_eq(m->detect.owner_died[0].object, a);
	ck_assert_int_eq(m->detect.owner_died[0].dead_worker, t1);
	ck_assert_int_eq(m->detect.owner_died[0].new_owner, TRACE_NO_WORKER);
	/* A robust mutex: t2 will get it. */
	ck_assert(!m->detect.stall);
	ck_assert(model_waitfor_runnable(m, t2));
	E(t2, TRACE_LOCK_OWNER_DIED, a, t1, 0);
	ck_assert_str_eq(said(), "t2 takes A, whose owner t1 died holding it");
	ck_assert_int_eq(m->detect.owner_died[0].new_owner, t2);
	ck_assert_int_eq(m->objects[a].owner, t2);
	ck_assert_int_eq(m->objects[a].nholders, 1);
	/* A semaphore slot is not given back by a death: a stall. */
	E(t2, TRACE_SEM_WAIT, s, 0, 0);
	ck_assert(m->detect.stall);
	ck_assert(!m->detect.deadlock);
}
END_TEST

/* Expectations, reset and determinism. */

START_TEST(test_expectations_metric)
{
	uint16_t	t1 = worker("t1", 0), d = worker("d", TRACE_WORKERF_DAEMON);
	uint16_t	q = object("q", TRACE_OBJ_QUEUE, 0);
	uint16_t	x = object("x", TRACE_OBJ_SHARED, 0);

	meta.objects[x].initial = 7;
	expect(TRACE_EXPECT_METRIC, TRACE_METRIC_SENT, q, TRACE_CMP_EQ, 2);
	expect(TRACE_EXPECT_METRIC, TRACE_METRIC_VALUE, x, TRACE_CMP_GT, 5);
	expect(TRACE_EXPECT_METRIC, TRACE_METRIC_SENT, TRACE_NO_OBJECT,
	    TRACE_CMP_EQ, 2);
	expect(TRACE_EXPECT_METRIC, TRACE_METRIC_WOKEN, q, TRACE_CMP_EQ, 0);
	expect(TRACE_EXPECT_COMPLETES, 0, TRACE_NO_OBJECT, 0, 0);
	build();
	ck_assert_int_eq(m->objects[x].value, 7);
	ck_assert(!holds(&meta.expects[0]));
	ck_assert(holds(&meta.expects[1]));
	start(t1);
	start(d);
	E(t1, TRACE_CHAN_PUT, q, 1, 0);
	E(t1, TRACE_CHAN_PUT, q, 2, 0);
	ck_assert(holds(&meta.expects[0]));
	ck_assert(holds(&meta.expects[2]));
	ck_assert(!holds(&meta.expects[3]));	/* not a condition */
	ck_assert(!holds(&meta.expects[4]));
	end(t1);
	ck_assert(holds(&meta.expects[4]));	/* the daemon need not end */
	ck_assert(!model_expect_holds(m, NULL));
	{
		int64_t	v;

		ck_assert_int_eq(model_metric(m, TRACE_METRIC_VALUE,
		    TRACE_NO_OBJECT, &v), -1);
		ck_assert_int_eq(model_metric(m, TRACE_METRIC_SENT, 999, &v),
		    -1);
		ck_assert_int_eq(model_metric(m, TRACE_METRIC_COUNT, q, &v),
		    -1);
	}
}
END_TEST

struct snapshot {
	enum model_wstate	state[3];
	uint16_t		owner[3];
	int			deadlock, stall;
	uint64_t		seen;
	size_t			ninv, nitems;
	char			cycle[128];
};

static void
snap(struct snapshot *s)
{
	int	i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < 3; i++) {
		s->state[i] = m->workers[i].state;
		s->owner[i] = m->objects[i].owner;
	}
	s->deadlock = m->detect.deadlock;
	s->stall = m->detect.stall;
	s->seen = m->detect.deadlocks_seen;
	s->ninv = m->detect.ninversions;
	s->nitems = m->objects[2].nitems;
	model_cycle_string(m, s->cycle, sizeof s->cycle);
}

START_TEST(test_reset_replay)
{
	uint16_t		t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t		t3 = worker("t3", 0);
	uint16_t		a = object("A", TRACE_OBJ_MUTEX, 0);
	uint16_t		b = object("B", TRACE_OBJ_MUTEX, 0);
	uint16_t		q = object("q", TRACE_OBJ_QUEUE, 3);
	struct trace_event	evs[32];
	struct snapshot		s1, s2;
	size_t			n = 0, i;

#define EV(w_, t_, o_, a0_) do {					\
	memset(&evs[n], 0, sizeof evs[n]);				\
	evs[n].worker = (w_); evs[n].type = (t_);			\
	evs[n].object = (o_); evs[n].a0 = (a0_); n++;			\
} while (0)
	EV(t1, TRACE_LOCK_ACQUIRED, a, 1);
	EV(t3, TRACE_CHAN_PUT, q, 4);
	EV(t2, TRACE_LOCK_ACQUIRED, b, 1);
	EV(t1, TRACE_LOCK_WAIT, b, 0);
	EV(t3, TRACE_CHAN_PUT, q, 5);
	EV(t2, TRACE_LOCK_WAIT, a, 0);
	EV(t3, TRACE_WORKER_END, TRACE_NO_OBJECT, 0);
#undef EV
	build();
	for (i = 0; i < n; i++)
		model_apply(m, &evs[i]);
	snap(&s1);
	ck_assert(s1.deadlock);
	ck_assert_uint_eq(s1.nitems, 2);
	model_reset(m);
	ck_assert_uint_eq(m->nevents, 0);
	ck_assert(!m->detect.deadlock);
	ck_assert_uint_eq(m->detect.ninversions, 0);
	ck_assert_int_eq(m->workers[t1].state, MODEL_W_NOT_STARTED);
	ck_assert_uint_eq(m->objects[q].nitems, 0);
	for (i = 0; i < n; i++)
		model_apply(m, &evs[i]);
	snap(&s2);
	ck_assert_mem_eq(&s1, &s2, sizeof s1);
}
END_TEST

/* Garbage in: nothing crashes, nothing is read out of bounds (the
   sanitizer build checks that), what does not fit is counted. */
START_TEST(test_fuzzed_events)
{
	struct trace_event	ev;
	uint64_t		x = 0x9e3779b97f4a7c15ull;
	int			i, k;
	uint16_t		o;

	worker("t1", 0);
	worker("t2", TRACE_WORKERF_DAEMON);
	worker("t3", TRACE_WORKERF_DEFERRED);
	for (k = 0; k < TRACE_OBJ_KIND_COUNT; k++) {
		o = object("o", (enum trace_obj_kind)k, k % 3 == 0 ? 3 :
		    k % 3 == 1 ? 0 : 1000000000000ll);
		meta.objects[o].lock = (uint16_t)(k * 7);
		meta.objects[o].flags = (uint32_t)k;
	}
	object("bad", (enum trace_obj_kind)77, 5);
	build();
	for (i = 0; i < 400000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memset(&ev, 0, sizeof ev);
		ev.type = (uint16_t)(x % (TRACE_TYPE_COUNT + 3));
		ev.worker = (uint16_t)((x >> 8) % 5);
		ev.object = (uint16_t)((x >> 16) % (meta.nobjects + 2));
		ev.a0 = (int64_t)((x >> 24) % 9) - 3;
		ev.a1 = (int32_t)((x >> 40) % 9) - 3;
		if ((x >> 60) == 0)
			ev.worker = TRACE_NO_WORKER;
		if ((x >> 59) == 1)
			ev.a0 = INT64_MIN;
		ev.time = (uint64_t)i;
		model_apply(m, &ev);
		model_explain(m, &ev, text, sizeof text);
		model_explain(m, &ev, text, 5);
		if (i % 1000 == 0) {
			model_cycle_string(m, text, sizeof text);
			model_reset(m);
		}
	}
	ck_assert_uint_gt(m->ignored, 0);
	for (k = 0; k < TRACE_EXPECT_KIND_COUNT; k++) {
		struct trace_meta_expect e = { .kind = k, .object = 3 };

		(void)model_expect_holds(m, &e);
	}
	ck_assert_uint_le(m->objects[TRACE_OBJ_QUEUE].nitems, MODEL_MAX_ITEMS);
	ck_assert_uint_le(m->objects[TRACE_OBJ_MMAP].ncells, MODEL_MAX_CELLS);
}
END_TEST

START_TEST(test_explain_misc)
{
	uint16_t	t1 = worker("t1", 0), t2 = worker("t2", 0);
	uint16_t	a = object("A", TRACE_OBJ_MUTEX, 0);

	build();
	take(t1, a);
	lwait(t2, a, 0);
	E(t1, TRACE_WORKER_END, TRACE_NO_OBJECT, 0, 0);
	ck_assert_str_eq(said(), "t1 ends still holding A: it has a dead "
	    "owner");
	E(t2, TRACE_LOCK_ACQUIRED, a, 1, 0);
	ck_assert_int_eq(m->objects[a].owner, t2);
	ck_assert_int_eq(m->objects[a].nholders, 1);
	E(99, TRACE_STEP, 0, 1, 1);
	ck_assert_str_eq(said(), "an event that does not fit this run "
	    "(ignored)");
	E(t2, TRACE_LOCK_ACQUIRED, 77, 1, 0);
	ck_assert_uint_eq(m->ignored, 2);
	E(TRACE_NO_WORKER, TRACE_RUN_END, TRACE_NO_OBJECT, 0, 0);
	ck_assert_str_eq(said(), "the run ends: every worker has ended");
	/* Text is cut to the buffer, always terminated. */
	E(t2, TRACE_STEP, TRACE_NO_OBJECT, 12, 0);
	ck_assert_uint_eq(model_explain(m, &last, text, 6), 5);
	ck_assert_str_eq(text, "t2 is");
	ck_assert_uint_eq(model_explain(m, &last, text, 0), 0);
}
END_TEST

static Suite *
suite_model(void)
{
	Suite	*s = suite_create("model");
	TCase	*tc;

	tc = tcase_create("state");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_worker_states);
	tcase_add_test(tc, test_mutex_owner_waiters);
	tcase_add_test(tc, test_mutual_exclusion_broken);
	tcase_add_test(tc, test_rlock_depth);
	tcase_add_test(tc, test_semaphore_slots);
	tcase_add_test(tc, test_semaphore_signalling);
	tcase_add_test(tc, test_condition_wakes);
	tcase_add_test(tc, test_condition_own_lock);
	tcase_add_test(tc, test_queue_fifo);
	tcase_add_test(tc, test_queue_two_producers);
	tcase_add_test(tc, test_mqueue_priority);
	tcase_add_test(tc, test_pipe_close_eof_duplex);
	tcase_add_test(tc, test_fifo_open);
	tcase_add_test(tc, test_shared_lost_update);
	tcase_add_test(tc, test_shared_lost_exact);
	tcase_add_test(tc, test_arrays_and_locals);
	tcase_add_test(tc, test_pool);
	tcase_add_test(tc, test_barrier);
	suite_add_tcase(s, tc);

	tc = tcase_create("detect");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_deadlock_two_locks);
	tcase_add_test(tc, test_deadlock_philosophers);
	tcase_add_test(tc, test_semaphore_cycle_free_slot);
	tcase_add_test(tc, test_semaphore_deadlock_binary);
	tcase_add_test(tc, test_deadlock_broken_by_timeout);
	tcase_add_test(tc, test_deadlock_partly_timed);
	tcase_add_test(tc, test_self_deadlock);
	tcase_add_test(tc, test_join_cycle);
	tcase_add_test(tc, test_join_never_started);
	tcase_add_test(tc, test_condition_notify_before_wait);
	tcase_add_test(tc, test_condition_relock_cycle);
	tcase_add_test(tc, test_stall_queue_and_daemons);
	tcase_add_test(tc, test_lock_wait_after_release);
	tcase_add_test(tc, test_potential_deadlock);
	tcase_add_test(tc, test_potential_three_locks);
	tcase_add_test(tc, test_owner_died);
	tcase_add_test(tc, test_completes_runtime_error);
	tcase_add_test(tc, test_chan_cross_kind_deadlock);
	tcase_add_test(tc, test_chan_deadlock_when_writer_leaves);
	tcase_add_test(tc, test_chan_stall_writer_done);
	tcase_add_test(tc, test_chan_one_of_two_writers);
	tcase_add_test(tc, test_chan_mqueue_close_not_eof);
	tcase_add_test(tc, test_chan_eof_after_all_closed);
	tcase_add_test(tc, test_producer_sem_deadlock);
	tcase_add_test(tc, test_producer_past_limit);
	tcase_add_test(tc, test_producer_daemon_ticks);
	tcase_add_test(tc, test_producer_nested_monitor);
	tcase_add_test(tc, test_producer_nonholder_release);
	tcase_add_test(tc, test_producer_barrier_need);
	tcase_add_test(tc, test_producer_self);
	tcase_add_test(tc, test_lockorder_semaphore_rule);
	tcase_add_test(tc, test_lockorder_gate);
	suite_add_tcase(s, tc);

	tc = tcase_create("whole");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_expectations_metric);
	tcase_add_test(tc, test_reset_replay);
	tcase_add_test(tc, test_fuzzed_events);
	tcase_add_test(tc, test_explain_misc);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_model()));
}
