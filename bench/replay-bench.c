/*
 * bench/replay-bench.c: how fast a recording is written, opened and
 * stepped back in, and in how much memory.
 *
 * Builds a synthetic run (8 threads taking 4 mutexes around a shared
 * counter, with contended waits, as a lock-heavy scenario would produce;
 * 10^7 events by default), writes it with the streaming writer in batches
 * of 256 as the record loop does, then, each in a child process of its
 * own so that its memory is its own:
 *
 *   read   the anchor: tracefile_read, the whole file into memory and
 *          checked (what replay did before), then every event applied to
 *          a fresh model (a jump to the end);
 *   map    what `lockstep replay` does now: tracefile_map (the same checks,
 *          streamed over a mapping), a recorded source and the view (not
 *          drawn: no terminal), G (catch up to the end: the view's
 *          checkpoints are made on the way), then step back: seeks back
 *          to random positions (descending, so each is a step back) and
 *          Left at each, timed one by one; and, as the anchor in the same
 *          process, a few re-reads from the first event (checkpoints off),
 *          what a step back cost before.
 *
 * Figures: open (ms), RSS after open and at the end and the peak (VmRSS,
 * VmHWM), step back median and worst (ms).
 *
 *   bench/replay-bench [--json] [--events N] [--keep PATH]
 *   bench/replay-bench [--json] --file RUN.lst   (time opening a recording)
 *
 * The temporary file is removed on every path (unless --keep names it).
 */
#include <sys/wait.h>

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
#include "ui/source.h"
#include "ui/ui.h"

#define NBACK		200	/* random step-back positions */
#define NOLD		3	/* re-reads from the first event (anchor) */

#define NWORKERS	8
#define NLOCKS		4

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

/* VmRSS or VmHWM of this process, MB. */
static double
status_mb(const char *key)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	size_t	 n = strlen(key);
	double	 v = -1;

	if (f == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			v = strtod(line + n + 1, NULL) / 1024;
	}
	fclose(f);
	return (v);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* The anchor, in a child: read the whole file, check it, apply it all. */
static void
child_read(const char *path, FILE *out)
{
	struct tracefile	*tf;
	struct model		*m;
	char			*cause = NULL;
	double			 t0, t_read, t_apply, rss;
	uint64_t		 i;

	t0 = now_ms();
	if ((tf = tracefile_read(path, &cause)) == NULL) {
		fprintf(stderr, "replay-bench: %s\n", cause);
		exit(1);
	}
	t_read = now_ms() - t0;
	rss = status_mb("VmRSS");
	t0 = now_ms();
	m = model_create(&tf->meta);
	for (i = 0; i < tf->nevents; i++)
		model_apply(m, &tf->events[i]);
	t_apply = now_ms() - t0;
	fprintf(out, "%.1f %.1f %.1f %.1f\n", t_read, t_apply, rss,
	    status_mb("VmHWM"));
	model_free(m);
	tracefile_free(tf);
}

/* What replay does now, in a child: map, the view, G, step back. */
static void
child_map(const char *path, FILE *out)
{
	struct tracefile	*tf;
	struct ui_source	*src;
	struct ui		*ui;
	char			*cause = NULL;
	double			 t0, t_open, t_end, rss_open, rss_end;
	double			 seek[NBACK], left[NBACK], old[NOLD];
	uint64_t		 at, total, pos[NBACK], every, restores, x;
	size_t			 bytes, nck, i, j;

	t0 = now_ms();
	if ((tf = tracefile_map(path, &cause)) == NULL) {
		fprintf(stderr, "replay-bench: %s\n", cause);
		exit(1);
	}
	src = ui_source_recorded_create(&tf->meta, tf->events,
	    (size_t)tf->nevents, tf->strtab, tf->strtab_len);
	ui_source_recorded_file(src, tf);
	ui = ui_create(src, &tf->meta, NULL);
	ui_goto(ui, 0);		/* the start, as replay opens */
	t_open = now_ms() - t0;
	rss_open = status_mb("VmRSS");

	t0 = now_ms();
	ui_goto(ui, UINT64_MAX);	/* G */
	t_end = now_ms() - t0;
	src->ops->position(src, &at, &total);

	/* Random positions, descending: every seek is a step back. */
	x = 88172645463325252ULL;
	for (i = 0; i < NBACK; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pos[i] = x % total;
	}
	for (i = 1; i < NBACK; i++)
		for (j = i; j > 0 && pos[j - 1] < pos[j]; j--) {
			x = pos[j];
			pos[j] = pos[j - 1];
			pos[j - 1] = x;
		}
	for (i = 0; i < NBACK; i++) {
		t0 = now_ms();
		ui_goto(ui, pos[i]);
		seek[i] = now_ms() - t0;
		t0 = now_ms();
		ui_goback(ui);
		left[i] = now_ms() - t0;
	}
	rss_end = status_mb("VmRSS");
	nck = ui_checkpoint_stats(ui, &every, &bytes, &restores);
	ui_free(ui);

	/* The anchor: no checkpoints, so each step back re-reads from the
	   first event. */
	ui = ui_create(src, &tf->meta, NULL);
	ui_checkpoint_every(ui, UINT64_MAX / 4);
	ui_goto(ui, UINT64_MAX);
	for (i = 0; i < NOLD; i++) {
		t0 = now_ms();
		ui_goto(ui, total - 1 - i * (total / 8));
		old[i] = now_ms() - t0;
	}
	ui_free(ui);
	ui_source_free(src);
	tracefile_free(tf);

	qsort(seek, NBACK, sizeof *seek, cmp_double);
	qsort(left, NBACK, sizeof *left, cmp_double);
	qsort(old, NOLD, sizeof *old, cmp_double);
	fprintf(out, "%.1f %.1f %.1f %.1f %.1f %.2f %.2f %.2f %.2f %.1f "
	    "%zu %" PRIu64 " %.1f %" PRIu64 "\n", t_open, rss_open, t_end,
	    rss_end, status_mb("VmHWM"), seek[NBACK / 2], seek[NBACK - 1],
	    left[NBACK / 2], left[NBACK - 1], old[NOLD / 2], nck, every,
	    (double)bytes / 1048576, restores);
}

/* Run fn(path) in a child; its one line of figures into buf. */
static int
in_child(void (*fn)(const char *, FILE *), const char *path, char *buf,
    size_t len)
{
	FILE	*f;
	pid_t	 pid;
	int	 status;

	if ((f = tmpfile()) == NULL)
		return (-1);
	fflush(stdout);
	if ((pid = fork()) == -1)
		return (-1);
	if (pid == 0) {
		fn(path, f);
		fflush(f);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fclose(f);
		return (-1);
	}
	rewind(f);
	buf[0] = '\0';
	if (fgets(buf, (int)len, f) == NULL) {
		fclose(f);
		return (-1);
	}
	fclose(f);
	return (0);
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
	struct gen		 g;
	const char		*tmp = getenv("TMPDIR"), *file = NULL;
	const char		*keep = NULL;
	char			 path[4096], *cause = NULL;
	char			 line1[512], line2[1024];
	double			 t0, t_write, t_read, t_apply, rd_rss, rd_hwm;
	double			 m_open, m_rss_open, m_end, m_rss_end, m_hwm;
	double			 b_med, b_max, l_med, l_max, old_med, ckmb;
	uint64_t		 every, restores;
	size_t			 i, k, nck, nevents = 10000000;
	int			 json = 0, r1, r2;
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
		else if (strcmp(argv[i], "--keep") == 0 &&
		    i + 1 < (size_t)argc)
			keep = argv[++i];
		else {
			fprintf(stderr, "usage: replay-bench [--json] "
			    "[--events N] [--keep PATH] | --file RUN.lst\n");
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

	if (keep != NULL)
		snprintf(path, sizeof path, "%s", keep);
	else
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

	f = fopen(path, "rb");
	bytes = -1;
	if (f != NULL) {
		fseek(f, 0, SEEK_END);
		bytes = ftell(f);
		fclose(f);
	}
	/* Read back once, untimed: the events must be those written, and
	   both children then read the file from the page cache. */
	if ((tf = tracefile_read(path, &cause)) == NULL) {
		fprintf(stderr, "replay-bench: %s\n", cause);
		if (keep == NULL)
			unlink(path);
		return (1);
	}
	if (tf->nevents != g.n || memcmp(tf->events, g.ev, g.n *
	    sizeof *g.ev) != 0) {
		fprintf(stderr, "replay-bench: events differ after reading\n");
		if (keep == NULL)
			unlink(path);
		return (1);
	}
	tracefile_free(tf);
	free(g.ev);		/* the children start small */
	g.ev = NULL;
	r1 = in_child(child_read, path, line1, sizeof line1);
	r2 = in_child(child_map, path, line2, sizeof line2);
	if (keep == NULL)
		unlink(path);
	if (r1 != 0 || r2 != 0 ||
	    sscanf(line1, "%lf %lf %lf %lf", &t_read, &t_apply, &rd_rss,
	    &rd_hwm) != 4 ||
	    sscanf(line2, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %zu %"
	    SCNu64 " %lf %" SCNu64, &m_open, &m_rss_open, &m_end, &m_rss_end,
	    &m_hwm, &b_med, &b_max, &l_med, &l_max, &old_med, &nck, &every,
	    &ckmb, &restores) != 14) {
		fprintf(stderr, "replay-bench: a measuring child failed\n");
		return (1);
	}

	if (json) {
		printf("{\"bench\":\"replay\",\"events\":%zu,\"file_bytes\":%ld,"
		    "\"write_ms\":%.1f,\"write_ns_per_event\":%.1f,"
		    "\"read_ms\":%.1f,\"read_rss_mb\":%.1f,"
		    "\"read_peak_mb\":%.1f,\"apply_ms\":%.1f,"
		    "\"map_open_ms\":%.1f,\"map_rss_mb\":%.1f,"
		    "\"catch_up_ms\":%.1f,\"end_rss_mb\":%.1f,"
		    "\"map_peak_mb\":%.1f,\"back_seek_median_ms\":%.2f,"
		    "\"back_seek_worst_ms\":%.2f,\"back_left_median_ms\":%.2f,"
		    "\"back_left_worst_ms\":%.2f,\"back_from_start_ms\":%.1f,"
		    "\"checkpoints\":%zu,\"checkpoint_every\":%" PRIu64 ","
		    "\"checkpoint_mb\":%.1f}\n", g.n, bytes, t_write,
		    t_write * 1e6 / (double)g.n, t_read, rd_rss, rd_hwm,
		    t_apply, m_open, m_rss_open, m_end, m_rss_end, m_hwm,
		    b_med, b_max, l_med, l_max, old_med, nck, every, ckmb);
	} else {
		printf("replay-bench: %zu events, %.1f MB file\n", g.n,
		    (double)bytes / 1e6);
		printf("  write (streaming, batches of 256): %8.1f ms  "
		    "(%.1f ns/event, in the front end)\n", t_write,
		    t_write * 1e6 / (double)g.n);
		printf("  anchor: read + check (tracefile_read): %8.1f ms, "
		    "RSS %.1f MB (peak %.1f)\n", t_read, rd_rss, rd_hwm);
		printf("  anchor: apply all to a model:          %8.1f ms\n",
		    t_apply);
		printf("  open (tracefile_map + view at start):  %8.1f ms, "
		    "RSS %.1f MB   (target <= 300 ms, <= 64 MB)\n", m_open,
		    m_rss_open);
		printf("  G (view catches up to the end):        %8.1f ms\n",
		    m_end);
		printf("  step back, seek to %d random positions: median %.2f "
		    "ms, worst %.2f ms   (target <= 50 ms)\n", NBACK, b_med,
		    b_max);
		printf("  step back, Left at each:               median %.2f "
		    "ms, worst %.2f ms\n", l_med, l_max);
		printf("  anchor: step back re-reading from event 0: median "
		    "of %d %.1f ms\n", NOLD, old_med);
		printf("  checkpoints: %zu, every %" PRIu64 " events, %.1f MB; "
		    "%" PRIu64 " re-reads used one\n", nck, every, ckmb,
		    restores);
		printf("  RSS after all that: %.1f MB (peak %.1f MB)   "
		    "(target <= 64 MB)\n", m_rss_end, m_hwm);
	}
	trace_meta_done(&meta);
	return (0);
}
