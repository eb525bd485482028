/*
 * tests/check_export_fixture.h: hand-made runs for the trace file and
 * exporter tests (and the fuzz seed corpus): a meta built with
 * trace_meta_add_* and events as the runtime would emit them, so these
 * tests need no scenario parser and no real run.
 *
 *   fixture_deadlock  t1 takes A then B, t2 takes B then A: each waits for
 *                     the other's lock (a cycle); t3 sleeps and ends.
 *   fixture_handoff   p and c share mutex M and semaphore S: c waits on M
 *                     held by p, p releases (a flow arrow), p posts S which
 *                     c waits on; prints and notes; everyone ends.
 */
#ifndef LOCKSTEP_TESTS_EXPORT_FIXTURE_H
#define LOCKSTEP_TESTS_EXPORT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "trace/event.h"
#include "trace/meta.h"

struct fixture {
	struct trace_meta	 meta;
	struct trace_event	*ev;
	size_t			 n, cap;
	char			 strtab[256];
	size_t			 strtab_len;
	uint16_t		 choices[16];
	size_t			 nchoices;
	uint64_t		 time;
};

static inline void
fixture_ev(struct fixture *f, uint16_t w, enum trace_type type, uint16_t o,
    int64_t a0, int32_t a1)
{
	struct trace_event	*ev;

	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 64 : f->cap * 2;
		f->ev = realloc(f->ev, f->cap * sizeof *f->ev);
	}
	ev = &f->ev[f->n++];
	memset(ev, 0, sizeof *ev);
	f->time += 1500;	/* 1.5 us apart */
	ev->time = f->time;
	ev->worker = w;
	ev->type = (uint16_t)type;
	ev->object = o;
	ev->a0 = a0;
	ev->a1 = a1;
	ev->seq = (uint32_t)f->n;
}

static inline int64_t
fixture_str(struct fixture *f, const char *s)
{
	size_t	off = f->strtab_len;

	memcpy(f->strtab + off, s, strlen(s) + 1);
	f->strtab_len += strlen(s) + 1;
	return ((int64_t)off);
}

static inline uint16_t
fixture_worker(struct fixture *f, const char *name, int line)
{
	struct trace_meta_worker	w;

	memset(&w, 0, sizeof w);
	w.name = (char *)name;
	w.kind = TRACE_WORKER_THREAD;
	w.copy = 1;
	w.pool = TRACE_NO_OBJECT;
	w.line = line;
	return (trace_meta_add_worker(&f->meta, &w));
}

static inline uint16_t
fixture_object(struct fixture *f, const char *name, enum trace_obj_kind kind,
    int64_t capacity, int line)
{
	struct trace_meta_object	o;

	memset(&o, 0, sizeof o);
	o.name = (char *)name;
	o.kind = kind;
	o.capacity = capacity;
	o.initial = capacity;
	o.lock = TRACE_NO_OBJECT;
	o.line = line;
	return (trace_meta_add_object(&f->meta, &o));
}

static inline void
fixture_init(struct fixture *f, const char *title)
{
	memset(f, 0, sizeof *f);
	trace_meta_init(&f->meta);
	f->meta.path = strdup("scenarios/fixture.scn");
	f->meta.source = strdup("title \"fixture\"\nmutex A, B\n");
	f->meta.title = strdup(title);
	f->meta.about = NULL;
	f->time = 1000000000;
	fixture_str(f, "");	/* offset 0: the empty string */
}

static inline void
fixture_done(struct fixture *f)
{
	trace_meta_done(&f->meta);
	free(f->ev);
	memset(f, 0, sizeof *f);
}

static inline void
fixture_deadlock(struct fixture *f)
{
	struct trace_meta_expect	e;
	uint16_t			t1, t2, t3, A, B;

	fixture_init(f, "Deadlock: two locks in opposite order");
	t1 = fixture_worker(f, "t1", 4);
	t2 = fixture_worker(f, "t2", 10);
	t3 = fixture_worker(f, "t3", 16);
	A = fixture_object(f, "A", TRACE_OBJ_MUTEX, 1, 2);
	B = fixture_object(f, "B", TRACE_OBJ_MUTEX, 1, 2);
	memset(&e, 0, sizeof e);
	e.kind = TRACE_EXPECT_DEADLOCK;
	e.object = TRACE_NO_OBJECT;
	e.line = 20;
	e.text = (char *)"expect deadlock";
	trace_meta_add_expect(&f->meta, &e);

	fixture_ev(f, TRACE_NO_WORKER, TRACE_RUN_BEGIN, TRACE_NO_OBJECT, 3, 0);
	fixture_ev(f, t1, TRACE_WORKER_START, TRACE_NO_OBJECT, 100, 1);
	fixture_ev(f, t2, TRACE_WORKER_START, TRACE_NO_OBJECT, 100, 1);
	fixture_ev(f, t3, TRACE_WORKER_START, TRACE_NO_OBJECT, 100, 1);
	fixture_ev(f, t1, TRACE_STEP, TRACE_NO_OBJECT, 5, 5);
	fixture_ev(f, t1, TRACE_LOCK_ACQUIRED, A, 1, 0);
	fixture_ev(f, t2, TRACE_STEP, TRACE_NO_OBJECT, 11, 5);
	fixture_ev(f, t2, TRACE_LOCK_ACQUIRED, B, 1, 0);
	fixture_ev(f, t3, TRACE_STEP, TRACE_NO_OBJECT, 17, 5);
	fixture_ev(f, t3, TRACE_SLEEP, TRACE_NO_OBJECT, 1000, 0);
	fixture_ev(f, t1, TRACE_STEP, TRACE_NO_OBJECT, 6, 5);
	fixture_ev(f, t1, TRACE_NOTE, TRACE_NO_OBJECT,
	    fixture_str(f, "t1 now waits for B, which t2 holds"), 6);
	fixture_ev(f, t1, TRACE_LOCK_WAIT, B, 0, 0);
	fixture_ev(f, t3, TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
	fixture_ev(f, t3, TRACE_WORKER_END, TRACE_NO_OBJECT, 0, 0);
	fixture_ev(f, t2, TRACE_STEP, TRACE_NO_OBJECT, 12, 5);
	fixture_ev(f, t2, TRACE_LOCK_WAIT, A, 0, 0);
	f->choices[f->nchoices++] = t1;
	f->choices[f->nchoices++] = t2;
	f->choices[f->nchoices++] = t3;
	f->choices[f->nchoices++] = t1;
	f->choices[f->nchoices++] = t2;
}

static inline void
fixture_handoff(struct fixture *f)
{
	uint16_t	p, c, M, S;

	fixture_init(f, "Hand-off \"with\" a lock\tand a semaphore");
	p = fixture_worker(f, "producer", 4);
	c = fixture_worker(f, "consumer", 10);
	M = fixture_object(f, "M", TRACE_OBJ_MUTEX, 1, 2);
	S = fixture_object(f, "S", TRACE_OBJ_SEMAPHORE, 0, 3);
	f->meta.objects[S].initial = 0;

	fixture_ev(f, TRACE_NO_WORKER, TRACE_RUN_BEGIN, TRACE_NO_OBJECT, 2, 0);
	fixture_ev(f, p, TRACE_WORKER_START, TRACE_NO_OBJECT, 100, 1);
	fixture_ev(f, c, TRACE_WORKER_START, TRACE_NO_OBJECT, 100, 1);
	fixture_ev(f, p, TRACE_STEP, TRACE_NO_OBJECT, 5, 5);
	fixture_ev(f, p, TRACE_LOCK_ACQUIRED, M, 1, 0);
	fixture_ev(f, c, TRACE_STEP, TRACE_NO_OBJECT, 11, 5);
	fixture_ev(f, c, TRACE_LOCK_WAIT, M, 0, 0);
	fixture_ev(f, p, TRACE_STEP, TRACE_NO_OBJECT, 6, 5);
	fixture_ev(f, p, TRACE_PRINT, TRACE_NO_OBJECT,
	    fixture_str(f, "hello \"world\"\n"), 6);
	fixture_ev(f, p, TRACE_STEP, TRACE_NO_OBJECT, 7, 5);
	fixture_ev(f, p, TRACE_LOCK_RELEASE, M, 0, 0);
	fixture_ev(f, c, TRACE_LOCK_ACQUIRED, M, 1, 0);
	fixture_ev(f, c, TRACE_STEP, TRACE_NO_OBJECT, 12, 5);
	fixture_ev(f, c, TRACE_LOCK_RELEASE, M, 0, 0);
	fixture_ev(f, c, TRACE_STEP, TRACE_NO_OBJECT, 13, 5);
	fixture_ev(f, c, TRACE_SEM_WAIT, S, 0, 0);
	fixture_ev(f, p, TRACE_STEP, TRACE_NO_OBJECT, 8, 5);
	fixture_ev(f, p, TRACE_COMPUTE, TRACE_NO_OBJECT, 3000, 0);
	fixture_ev(f, p, TRACE_AWAKE, TRACE_NO_OBJECT, 0, 0);
	fixture_ev(f, p, TRACE_STEP, TRACE_NO_OBJECT, 9, 5);
	fixture_ev(f, p, TRACE_SEM_RELEASE, S, 1, 0);
	fixture_ev(f, c, TRACE_SEM_ACQUIRED, S, 0, 0);
	fixture_ev(f, p, TRACE_WORKER_END, TRACE_NO_OBJECT, 0, 0);
	fixture_ev(f, c, TRACE_STEP, TRACE_NO_OBJECT, 14, 5);
	fixture_ev(f, c, TRACE_NOTE, TRACE_NO_OBJECT,
	    fixture_str(f, "got the slot"), 14);
	fixture_ev(f, c, TRACE_WORKER_END, TRACE_NO_OBJECT, 0, 0);
	fixture_ev(f, TRACE_NO_WORKER, TRACE_RUN_END, TRACE_NO_OBJECT, 0, 0);
}

#endif
