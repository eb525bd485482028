/*
 * bench/model-bench.c: how fast the model applies events, and whether
 * detection stays flat as a run grows.
 *
 * A small simulator plays 8 workers over 4 mutexes, one bounded queue and
 * a shared counter, scheduled by a seeded PRNG, and emits the events a
 * real run would: step, lock (acquired, or wait then acquired by hand-off),
 * load, microstep, store, unlock, then put (producers) or get (consumers),
 * blocking on a full or empty queue. The queue's writers (producers) and
 * readers (consumers) are in the meta, as scenario_meta_build puts them,
 * with the limit line of a loop's end (12), so a blocked put or get is an
 * OR-wait on the other side and every step while someone waits asks
 * whether its worker passed the last line it could put or get at. Every lock
 * and queue wait runs the model's local deadlock check (a queue wait
 * reaches the workers on the other side), so do gets on a queue someone
 * waits on; every release hands the lock on; nothing ever
 * deadlocks or stalls, which the bench checks at the end (a false
 * detection would show there).
 *
 * Events are generated in chunks outside the timed region; only
 * model_apply() is timed. Printed: events/s for 10^5, 10^6 and 10^7
 * events (best of a few runs for the small sizes), then the time of
 * model_reset() plus re-applying 10^6 events, which is what a step back
 * costs. Times are this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so
 * other load on the machine does not count against the model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "trace/event.h"
#include "trace/meta.h"
#include "util/xmalloc.h"

#define NW	8
#define NL	4
#define QCAP	16
#define CHUNK	65536

enum { PARK_NONE, PARK_LOCK, PARK_PUT, PARK_GET };

struct sim {
	uint64_t	rng;
	uint64_t	time;
	int		pc[NW];
	int		lock[NW];	/* lock it wants / holds */
	int		park[NW];
	int		granted[NW];
	uint32_t	seq[NW];
	int		owner[NL];
	int		wq[NL][NW];	/* lock waiters, FIFO */
	int		nwq[NL];
	int64_t		q[QCAP];
	int		qhead, qlen;
	int		putters[NW], nputters;
	int		getters[NW], ngetters;
	int64_t		counter, loaded[NW], next_item;
	uint16_t	obj_lock0, obj_queue, obj_counter;
	uint64_t	waits;
};

static uint64_t
sim_rand(struct sim *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (s->rng);
}

static void
sim_init(struct sim *s)
{
	int	i;

	memset(s, 0, sizeof *s);
	s->rng = 0x2545f4914f6cdd1dull;
	s->time = 1;
	for (i = 0; i < NL; i++)
		s->owner[i] = -1;
	s->obj_lock0 = 0;
	s->obj_queue = NL;
	s->obj_counter = NL + 1;
}

static struct trace_event *
sim_ev(struct sim *s, struct trace_event *ev, int w, int type, int o,
    int64_t a0, int32_t a1)
{
	memset(ev, 0, sizeof *ev);
	ev->time = s->time++;
	ev->worker = (uint16_t)w;
	ev->type = (uint16_t)type;
	ev->object = (uint16_t)o;
	ev->a0 = a0;
	ev->a1 = a1;
	ev->seq = s->seq[w]++;
	return (ev);
}

/* Wake the first worker parked on the queue for `kind`. */
static void
sim_unpark(struct sim *s, int *list, int *n)
{
	int	w;

	if (*n == 0)
		return;
	w = list[0];
	memmove(list, list + 1, (size_t)(*n - 1) * sizeof *list);
	(*n)--;
	s->park[w] = PARK_NONE;
}

/* One event from worker w (not parked). */
static void
sim_step(struct sim *s, int w, struct trace_event *ev)
{
	int	k, producer = w < NW / 2;

	switch (s->pc[w]) {
	case 0:
		sim_ev(s, ev, w, TRACE_STEP, TRACE_NO_OBJECT, 10, 1);
		s->lock[w] = (int)(sim_rand(s) % NL);
		s->pc[w] = 1;
		break;
	case 1:
		k = s->lock[w];
		if (s->granted[w] || s->owner[k] < 0) {
			s->owner[k] = w;
			s->granted[w] = 0;
			sim_ev(s, ev, w, TRACE_LOCK_ACQUIRED, s->obj_lock0 + k,
			    1, 0);
			s->pc[w] = 2;
		} else {
			sim_ev(s, ev, w, TRACE_LOCK_WAIT, s->obj_lock0 + k,
			    0, 0);
			s->wq[k][s->nwq[k]++] = w;
			s->park[w] = PARK_LOCK;
			s->waits++;
		}
		break;
	case 2:
		s->loaded[w] = s->counter;
		sim_ev(s, ev, w, TRACE_SHARED_LOAD, s->obj_counter,
		    s->counter, 0);
		s->pc[w] = 3;
		break;
	case 3:
		sim_ev(s, ev, w, TRACE_MICROSTEP, TRACE_NO_OBJECT, 11, 9);
		s->pc[w] = 4;
		break;
	case 4:
		s->counter = s->loaded[w] + 1;
		sim_ev(s, ev, w, TRACE_SHARED_STORE, s->obj_counter,
		    s->counter, 0);
		s->pc[w] = 5;
		break;
	case 5:
		k = s->lock[w];
		sim_ev(s, ev, w, TRACE_LOCK_RELEASE, s->obj_lock0 + k, 0, 0);
		s->owner[k] = -1;
		if (s->nwq[k] > 0) {
			/* Hand-off: the first waiter owns it now. */
			s->owner[k] = s->wq[k][0];
			s->granted[s->wq[k][0]] = 1;
			s->park[s->wq[k][0]] = PARK_NONE;
			memmove(s->wq[k], s->wq[k] + 1,
			    (size_t)(--s->nwq[k]) * sizeof s->wq[k][0]);
		}
		s->pc[w] = 6;
		break;
	case 6:
		sim_ev(s, ev, w, TRACE_STEP, TRACE_NO_OBJECT, 12, 1);
		s->pc[w] = 7;
		break;
	case 7:
		if (producer) {
			if (s->qlen == QCAP) {
				sim_ev(s, ev, w, TRACE_CHAN_PUT_WAIT,
				    s->obj_queue, 0, 0);
				s->park[w] = PARK_PUT;
				s->putters[s->nputters++] = w;
				break;
			}
			s->q[(s->qhead + s->qlen++) % QCAP] = s->next_item;
			sim_ev(s, ev, w, TRACE_CHAN_PUT, s->obj_queue,
			    s->next_item++, 0);
			sim_unpark(s, s->getters, &s->ngetters);
		} else {
			if (s->qlen == 0) {
				sim_ev(s, ev, w, TRACE_CHAN_GET_WAIT,
				    s->obj_queue, 0, 0);
				s->park[w] = PARK_GET;
				s->getters[s->ngetters++] = w;
				break;
			}
			sim_ev(s, ev, w, TRACE_CHAN_GET, s->obj_queue,
			    s->q[s->qhead], 0);
			s->qhead = (s->qhead + 1) % QCAP;
			s->qlen--;
			sim_unpark(s, s->putters, &s->nputters);
		}
		s->pc[w] = 0;
		break;
	}
}

static void
sim_fill(struct sim *s, struct trace_event *buf, size_t n)
{
	size_t	i;
	int	w;

	for (i = 0; i < n; i++) {
		do
			w = (int)(sim_rand(s) % NW);
		while (s->park[w] != PARK_NONE);
		sim_step(s, w, &buf[i]);
	}
}

static double
now_s(void)
{
	struct timespec	ts;

	/* CPU time of this thread: the machine may be shared, and time
	   spent descheduled is not the model's. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Apply n generated events to a fresh model; returns seconds in apply. */
static double
run(struct model *m, size_t n, struct trace_event *buf, struct sim *s)
{
	size_t	done = 0, k, i;
	double	t, total = 0;

	model_reset(m);
	sim_init(s);
	while (done < n) {
		k = n - done < CHUNK ? n - done : CHUNK;
		sim_fill(s, buf, k);
		t = now_s();
		for (i = 0; i < k; i++)
			model_apply(m, &buf[i]);
		total += now_s() - t;
		done += k;
	}
	return (total);
}

static void
check_sane(const struct model *m, const struct sim *s)
{
	int64_t	v;

	model_metric(m, TRACE_METRIC_VALUE, s->obj_counter, &v);
	if (m->detect.deadlocks_seen != 0 || m->detect.stalls_seen != 0 ||
	    m->ignored != 0 || v != s->counter ||
	    m->objects[s->obj_queue].nitems != (size_t)s->qlen) {
		fprintf(stderr, "model-bench: model disagrees with the "
		    "simulation (deadlocks %llu, stalls %llu, ignored %llu, "
		    "counter %lld vs %lld)\n",
		    (unsigned long long)m->detect.deadlocks_seen,
		    (unsigned long long)m->detect.stalls_seen,
		    (unsigned long long)m->ignored, (long long)v,
		    (long long)s->counter);
		exit(1);
	}
}

int
main(void)
{
	static const size_t	 sizes[] = { 100000, 1000000, 10000000 };
	static const int	 reps[] = { 7, 3, 3 };
	struct trace_meta	 meta;
	struct trace_meta_worker mw = { 0 };
	struct trace_meta_object mo = { 0 };
	struct model		*m;
	struct sim		 s;
	struct trace_event	*buf, *all;
	char			 name[16];
	size_t			 i, n;
	double			 t, best;
	int			 r;
	uint16_t		 qo;

	trace_meta_init(&meta);
	for (i = 0; i < NW; i++) {
		snprintf(name, sizeof name, "%s.%zu", i < NW / 2 ? "producer" :
		    "consumer", i % (NW / 2) + 1);
		mw.name = name;
		mw.pool = TRACE_NO_OBJECT;
		trace_meta_add_worker(&meta, &mw);
	}
	mo.lock = TRACE_NO_OBJECT;
	for (i = 0; i < NL; i++) {
		snprintf(name, sizeof name, "L%zu", i);
		mo.name = name;
		mo.kind = TRACE_OBJ_MUTEX;
		trace_meta_add_object(&meta, &mo);
	}
	mo.name = name;
	snprintf(name, sizeof name, "q");
	mo.kind = TRACE_OBJ_QUEUE;
	mo.capacity = QCAP;
	qo = trace_meta_add_object(&meta, &mo);
	for (i = 0; i < NW; i++)
		trace_meta_add_peer_at(&meta, qo, i >= NW / 2, (uint16_t)i,
		    -1, 12);
	snprintf(name, sizeof name, "counter");
	mo.kind = TRACE_OBJ_SHARED;
	mo.capacity = 0;
	trace_meta_add_object(&meta, &mo);

	m = model_create(&meta);
	buf = xcalloc(CHUNK, sizeof *buf);
	printf("model_apply: %d workers, %d mutexes, queue(%d), shared counter;"
	    " step/lock/wait/load/store/unlock/put/get mix\n", NW, NL, QCAP);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		best = 0;
		for (r = 0; r < reps[i]; r++) {
			t = run(m, sizes[i], buf, &s);
			if (r == 0 || t < best)
				best = t;
		}
		check_sane(m, &s);
		printf("  %9zu events: %7.2f M events/s  (%.1f ns/event, "
		    "%llu lock waits checked)\n", sizes[i],
		    (double)sizes[i] / best / 1e6, best * 1e9 /
		    (double)sizes[i], (unsigned long long)s.waits);
	}

	/* Step back: reset, then re-apply everything up to the new point. */
	n = 1000000;
	all = xcalloc(n, sizeof *all);
	sim_init(&s);
	sim_fill(&s, all, n);
	best = 0;
	for (r = 0; r < 5; r++) {
		t = now_s();
		model_reset(m);
		for (i = 0; i < n; i++)
			model_apply(m, &all[i]);
		t = now_s() - t;
		if (r == 0 || t < best)
			best = t;
	}
	check_sane(m, &s);
	printf("model_reset + re-apply of %zu events (one step back): "
	    "%.1f ms\n", n, best * 1e3);

	free(all);
	free(buf);
	model_free(m);
	trace_meta_done(&meta);
	return (0);
}
