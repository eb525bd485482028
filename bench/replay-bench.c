/*
 * bench/replay-bench.c: how fast a recording is written and opened.
 *
 * Builds a synthetic run of 1,000,000 events (8 threads taking 4 mutexes
 * around a shared counter, with contended waits, as a lock-heavy scenario
 * would produce), writes it with the streaming writer in batches of 256 as
 * the record loop does, then times what `lockstep replay` does before it
 * can show anything: read and check the whole file (tracefile_read), and
 * apply every event to a fresh model (to jump to the end). The target is
 * "replay of 1 million events opens in under a second".
 *
 *   bench/replay-bench [--json] [--events N]
 *   bench/replay-bench [--json] --file RUN.lst   (time opening a recording)
 *
 * The temporary file is removed on every path.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export/tracefile.h"
#include "model/model.h"
#include "trace/event.h"
#include "trace/meta.h"

#define NWORKERS	8
#define NLOCKS		4

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

/* Only the open: read + check, then apply everything (a real recording). */
static int
open_file(const char *path, int json)
{
	struct tracefile	*tf;
	struct model		*m;
	char			*cause = NULL;
	double			 t0, t_read, t_apply;
	uint64_t		 i;

	t0 = now_ms();
	if ((tf = tracefile_read(path, &cause)) == NULL) {
		fprintf(stderr, "replay-bench: %s\n", cause);
		free(cause);
		return (1);
	}
	t_read = now_ms() - t0;
	t0 = now_ms();
	m = model_create(&tf->meta);
	for (i = 0; i < tf->nevents; i++)
		model_apply(m, &tf->events[i]);
	t_apply = now_ms() - t0;
	if (json)
		printf("{\"bench\":\"replay-open\",\"file\":\"%s\","
		    "\"events\":%" PRIu64 ",\"read_ms\":%.1f,\"apply_ms\":"
		    "%.1f,\"open_ms\":%.1f}\n", path, tf->nevents, t_read,
		    t_apply, t_read + t_apply);
	else
		printf("replay-bench: %s: %" PRIu64 " events: read + check "
		    "%.1f ms, apply %.1f ms, open %.1f ms\n", path,
		    tf->nevents, t_read, t_apply, t_read + t_apply);
	model_free(m);
	tracefile_free(tf);
	return (0);
}

static void
build_meta(struct trace_meta *meta)
{
	struct trace_meta_worker	w;
	struct trace_meta_object	o;
	char				name[32];
	int				i;

	trace_meta_init(meta);
	meta->path = strdup("bench/synthetic.scn");
	meta->source = strdup("# synthetic\n");
	meta->title = strdup("replay bench: 8 threads, 4 locks");
	for (i = 0; i < NWORKERS; i++) {
		memset(&w, 0, sizeof w);
		snprintf(name, sizeof name, "t%d", i + 1);
		w.name = name;
		w.kind = TRACE_WORKER_THREAD;
		w.copy = 1;
		w.pool = TRACE_NO_OBJECT;
		w.line = 10 + i;
		trace_meta_add_worker(meta, &w);
	}
	for (i = 0; i < NLOCKS; i++) {
		memset(&o, 0, sizeof o);
		snprintf(name, sizeof name, "L%d", i);
		o.name = name;
		o.kind = TRACE_OBJ_MUTEX;
		o.capacity = 1;
		o.lock = TRACE_NO_OBJECT;
		o.line = 2;
		trace_meta_add_object(meta, &o);
	}
	memset(&o, 0, sizeof o);
	o.name = (char *)"counter";
	o.kind = TRACE_OBJ_SHARED;
	o.lock = TRACE_NO_OBJECT;
	o.line = 3;
	trace_meta_add_object(meta, &o);
}

struct gen {
	struct trace_event	*ev;
	size_t			 n, max;
	uint64_t		 t;
	uint32_t		 seq[NWORKERS + 1];
};

static void
put(struct gen *g, uint16_t w, enum trace_type type, uint16_t o, int64_t a0,
    int32_t a1)
{
	struct trace_event	*ev;

	if (g->n == g->max)
		return;
	ev = &g->ev[g->n++];
	g->t += 250;
	ev->time = g->t;
	ev->a0 = a0;
	ev->a1 = a1;
	ev->worker = w;
	ev->type = (uint16_t)type;
	ev->object = o;
	ev->seq = g->seq[w < NWORKERS ? w : NWORKERS]++;
	ev->check = 0;
}

/* A valid event stream: every acquire of a held lock waits first, every
   release is by the owner. */
static void
generate(struct gen *g)
{
	uint16_t	w, v, lock, counter = NLOCKS;
	int64_t		value = 0;
	int		line;

	put(g, TRACE_NO_WORKER, TRACE_RUN_BEGIN, TRACE_NO_OBJECT, NWORKERS, 0);
	for (w = 0; w < NWORKERS; w++)
		put(g, w, TRACE_WORKER_START, TRACE_NO_OBJECT, 1000, 1);
	while (g->n + 16 + NWORKERS < g->max) {
		w = (uint16_t)((g->n / 13) % NWORKERS);
		v = (uint16_t)((w + 1) % NWORKERS);
		lock = (uint16_t)((g->n / 7) % NLOCKS);
		line = 20 + (int)(g->n % 5);
		put(g, w, TRACE_STEP, TRACE_NO_OBJECT, line, 5);
		put(g, w, TRACE_LOCK_ACQUIRED, lock, 1, 0);
		put(g, v, TRACE_STEP, TRACE_NO_OBJECT, line, 5);
		put(g, v, TRACE_LOCK_WAIT, lock, 0, 0);
		put(g, w, TRACE_STEP, TRACE_NO_OBJECT, line + 1, 5);
		put(g, w, TRACE_SHARED_LOAD, counter, value, 0);
		put(g, w, TRACE_SHARED_STORE, counter, ++value, 0);
		put(g, w, TRACE_LOCK_RELEASE, lock, 0, 0);
		put(g, v, TRACE_LOCK_ACQUIRED, lock, 1, 0);
		put(g, v, TRACE_STEP, TRACE_NO_OBJECT, line + 2, 5);
		put(g, v, TRACE_SHARED_ADD, counter, ++value, 0);
		put(g, v, TRACE_LOCK_RELEASE, lock, 0, 0);
	}
	for (w = 0; w < NWORKERS; w++)
		put(g, w, TRACE_WORKER_END, TRACE_NO_OBJECT, 0, 0);
	put(g, TRACE_NO_WORKER, TRACE_RUN_END, TRACE_NO_OBJECT, 0, 0);
}

int
main(int argc, char **argv)
{
	struct trace_meta	 meta;
	struct tracefile_writer	*w;
	struct tracefile	*tf;
	struct model		*m;
	struct gen		 g;
	const char		*tmp = getenv("TMPDIR"), *file = NULL;
	char			 path[4096], *cause = NULL;
	double			 t0, t_write, t_read, t_apply;
	size_t			 i, k, nevents = 1000000;
	int			 json = 0, deadlock;
	long			 bytes;
	FILE			*f;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--events") == 0 &&
		    i + 1 < (size_t)argc)
			nevents = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--file") == 0 &&
		    i + 1 < (size_t)argc)
			file = argv[++i];
		else {
			fprintf(stderr, "usage: replay-bench [--json] "
			    "[--events N | --file RUN.lst]\n");
			return (2);
		}
	}
	if (file != NULL)
		return (open_file(file, json));
	if (nevents < 64)
		nevents = 64;

	build_meta(&meta);
	memset(&g, 0, sizeof g);
	g.max = nevents;
	g.ev = calloc(g.max, sizeof *g.ev);
	g.t = 1000000000;
	generate(&g);

	snprintf(path, sizeof path, "%s/lockstep-replay-bench-%ld.lst",
	    tmp != NULL ? tmp : "/tmp", (long)getpid());

	t0 = now_ms();
	if ((w = tracefile_writer_create(path, &meta, &cause)) == NULL) {
		fprintf(stderr, "replay-bench: %s\n", cause);
		return (1);
	}
	for (i = 0; i < g.n; i += k) {
		k = g.n - i < 256 ? g.n - i : 256;
		tracefile_writer_append(w, g.ev + i, k, NULL);
	}
	if (tracefile_writer_finish(w, "", 1, NULL, 0, 0, &cause) != 0) {
		fprintf(stderr, "replay-bench: %s\n", cause);
		tracefile_writer_free(w);
		return (1);
	}
	tracefile_writer_free(w);
	t_write = now_ms() - t0;

	t0 = now_ms();
	tf = tracefile_read(path, &cause);
	t_read = now_ms() - t0;
	f = fopen(path, "rb");
	bytes = -1;
	if (f != NULL) {
		fseek(f, 0, SEEK_END);
		bytes = ftell(f);
		fclose(f);
	}
	unlink(path);
	if (tf == NULL) {
		fprintf(stderr, "replay-bench: %s\n", cause);
		return (1);
	}
	if (tf->nevents != g.n || memcmp(tf->events, g.ev, g.n *
	    sizeof *g.ev) != 0) {
		fprintf(stderr, "replay-bench: events differ after reading\n");
		return (1);
	}

	t0 = now_ms();
	m = model_create(&tf->meta);
	for (i = 0; i < tf->nevents; i++)
		model_apply(m, &tf->events[i]);
	t_apply = now_ms() - t0;
	deadlock = m->detect.deadlock;
	model_free(m);
	tracefile_free(tf);

	if (json) {
		printf("{\"bench\":\"replay\",\"events\":%zu,\"file_bytes\":%ld,"
		    "\"write_ms\":%.1f,\"write_ns_per_event\":%.1f,"
		    "\"read_ms\":%.1f,\"apply_ms\":%.1f,\"open_ms\":%.1f,"
		    "\"deadlock\":%d}\n", g.n, bytes, t_write,
		    t_write * 1e6 / (double)g.n, t_read, t_apply,
		    t_read + t_apply, deadlock);
	} else {
		printf("replay-bench: %zu events, %.1f MB file\n", g.n,
		    (double)bytes / 1e6);
		printf("  write (streaming, batches of 256): %8.1f ms  "
		    "(%.1f ns/event, in the front end)\n", t_write,
		    t_write * 1e6 / (double)g.n);
		printf("  read + check (tracefile_read):     %8.1f ms\n",
		    t_read);
		printf("  apply all to the model:            %8.1f ms\n",
		    t_apply);
		printf("  open = read + apply:               %8.1f ms  "
		    "(target < 1000 ms)\n", t_read + t_apply);
	}
	free(g.ev);
	trace_meta_done(&meta);
	return (0);
}
