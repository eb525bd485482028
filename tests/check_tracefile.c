/*
 * tests/check_tracefile.c: the trace file writer and reader.
 *
 * Round trips (write, read back, compare every event byte and every meta
 * field), streaming across the writer's buffer, the rejection of every
 * truncation and every single-byte corruption of a small file with the
 * right message, wrong versions, files that are not traces, events whose
 * indices do not fit the meta, the schedule reader, and that a writer
 * leaves nothing but the finished file behind.
 *
 * With LOCKSTEP_WRITE_CORPUS=DIR set, the corpus test also (re)writes the
 * fuzz seed corpus (tests/fuzz/trace-corpus/) into DIR.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"
#include "export/tracefile.h"
#include "lib.h"
#include "check_export_fixture.h"

static char *
tmp_path(const char *name)
{
	static char	buf[4][512];
	static int	next;

	next = (next + 1) % 4;
	snprintf(buf[next], sizeof buf[next], "%s/%s", lib_tmpdir, name);
	return (buf[next]);
}

static void
write_fixture(const struct fixture *f, const char *path)
{
	char	*cause = NULL;
	int	 rc;

	rc = tracefile_save(path, &f->meta, f->ev, f->n, f->strtab,
	    f->strtab_len, f->choices, f->nchoices, 7, &cause);
	ck_assert_msg(rc == 0, "save: %s", cause);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	uint8_t	*buf;
	long	 n;

	ck_assert_ptr_nonnull(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return (buf);
}

static void
spit(const char *path, const void *data, size_t len)
{
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(path, "wb"));
	ck_assert_int_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static int
streq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static void
assert_meta_equal(const struct trace_meta *a, const struct trace_meta *b)
{
	size_t	i, j;

	ck_assert(streq_null(a->path, b->path));
	ck_assert(streq_null(a->source, b->source));
	ck_assert(streq_null(a->title, b->title));
	ck_assert(streq_null(a->about, b->about));
	ck_assert_uint_eq(a->nworkers, b->nworkers);
	for (i = 0; i < a->nworkers; i++) {
		ck_assert_str_eq(a->workers[i].name, b->workers[i].name);
		ck_assert_int_eq(a->workers[i].kind, b->workers[i].kind);
		ck_assert_uint_eq(a->workers[i].flags, b->workers[i].flags);
		ck_assert_int_eq(a->workers[i].copy, b->workers[i].copy);
		ck_assert_uint_eq(a->workers[i].pool, b->workers[i].pool);
		ck_assert_int_eq(a->workers[i].line, b->workers[i].line);
	}
	ck_assert_uint_eq(a->nobjects, b->nobjects);
	for (i = 0; i < a->nobjects; i++) {
		ck_assert_str_eq(a->objects[i].name, b->objects[i].name);
		ck_assert_int_eq(a->objects[i].kind, b->objects[i].kind);
		ck_assert_int_eq(a->objects[i].capacity,
		    b->objects[i].capacity);
		ck_assert_int_eq(a->objects[i].initial, b->objects[i].initial);
		ck_assert_int_eq(a->objects[i].tasks, b->objects[i].tasks);
		ck_assert_uint_eq(a->objects[i].lock, b->objects[i].lock);
		ck_assert_uint_eq(a->objects[i].flags, b->objects[i].flags);
		ck_assert_int_eq(a->objects[i].line, b->objects[i].line);
		ck_assert_uint_eq(a->objects[i].nwriters,
		    b->objects[i].nwriters);
		ck_assert_uint_eq(a->objects[i].nreaders,
		    b->objects[i].nreaders);
		for (j = 0; j < a->objects[i].nwriters; j++) {
			ck_assert_uint_eq(a->objects[i].writers[j].worker,
			    b->objects[i].writers[j].worker);
			ck_assert_int_eq(a->objects[i].writers[j].end,
			    b->objects[i].writers[j].end);
			ck_assert_int_eq(a->objects[i].writers[j].limit,
			    b->objects[i].writers[j].limit);
		}
		for (j = 0; j < a->objects[i].nreaders; j++) {
			ck_assert_uint_eq(a->objects[i].readers[j].worker,
			    b->objects[i].readers[j].worker);
			ck_assert_int_eq(a->objects[i].readers[j].end,
			    b->objects[i].readers[j].end);
			ck_assert_int_eq(a->objects[i].readers[j].limit,
			    b->objects[i].readers[j].limit);
		}
	}
	ck_assert_uint_eq(a->nexpects, b->nexpects);
	for (i = 0; i < a->nexpects; i++) {
		ck_assert_int_eq(a->expects[i].kind, b->expects[i].kind);
		ck_assert_int_eq(a->expects[i].metric, b->expects[i].metric);
		ck_assert_uint_eq(a->expects[i].object, b->expects[i].object);
		ck_assert_int_eq(a->expects[i].cmp, b->expects[i].cmp);
		ck_assert_int_eq(a->expects[i].value, b->expects[i].value);
		ck_assert_int_eq(a->expects[i].line, b->expects[i].line);
		ck_assert_str_eq(a->expects[i].text, b->expects[i].text);
	}
}

/* A richer meta than the fixtures: every field set to something. */
static void
build_rich(struct fixture *f)
{
	struct trace_meta_worker	w;
	struct trace_meta_object	o;
	struct trace_meta_expect	e;
	uint16_t			pool, cond, lock, q;
	int				i;

	fixture_deadlock(f);
	free(f->meta.about);
	f->meta.about = strdup("Line one.\nLine two, \"quoted\", tab\t.\n");
	memset(&o, 0, sizeof o);
	o.name = (char *)"L";
	o.kind = TRACE_OBJ_RLOCK;
	o.lock = TRACE_NO_OBJECT;
	lock = trace_meta_add_object(&f->meta, &o);
	o.name = (char *)"cv";
	o.kind = TRACE_OBJ_CONDITION;
	o.lock = lock;
	o.line = 33;
	cond = trace_meta_add_object(&f->meta, &o);
	o.name = (char *)"workers";
	o.kind = TRACE_OBJ_POOL;
	o.capacity = 3;
	o.tasks = 9;
	o.lock = TRACE_NO_OBJECT;
	o.flags = 0;
	pool = trace_meta_add_object(&f->meta, &o);
	o.name = (char *)"q";
	o.kind = TRACE_OBJ_MQUEUE;
	o.capacity = -5;
	o.initial = INT64_MIN;
	o.tasks = INT64_MAX;
	o.flags = TRACE_OBJF_DUPLEX | 0x80000000u;
	q = trace_meta_add_object(&f->meta, &o);
	for (i = 0; i < 3; i++) {
		memset(&w, 0, sizeof w);
		w.name = (char *)(i == 0 ? "pool.1" : i == 1 ? "pool.2" :
		    "pool.3");
		w.kind = TRACE_WORKER_PROCESS;
		w.flags = TRACE_WORKERF_POOL | TRACE_WORKERF_DAEMON;
		w.copy = i + 1;
		w.pool = pool;
		w.line = 40 + i;
		trace_meta_add_worker(&f->meta, &w);
	}
	/* Channel peers (format version 2): every end value. */
	trace_meta_add_peer(&f->meta, q, 0, 0, -1);
	trace_meta_add_peer(&f->meta, q, 0, 5, 1);
	trace_meta_add_peer_at(&f->meta, q, 1, 1, 0, 77);  /* LIMS section */
	memset(&e, 0, sizeof e);
	e.kind = TRACE_EXPECT_METRIC;
	e.metric = TRACE_METRIC_MAX_BUSY;
	e.object = pool;
	e.cmp = TRACE_CMP_LE;
	e.value = -3;
	e.line = 50;
	e.text = (char *)"expect max_busy(workers) <= -3";
	trace_meta_add_expect(&f->meta, &e);
	fixture_ev(f, 3, TRACE_TASK_BEGIN, pool, 8, 0);
	fixture_ev(f, 3, TRACE_TASK_END, pool, 42, 8);
	fixture_ev(f, 0, TRACE_COND_NOTIFY, cond, -1, lock);
}

START_TEST(test_crc32)
{
	ck_assert_uint_eq(tracefile_crc32(0, "123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(tracefile_crc32(0, "", 0), 0);
	/* Continuing gives the same as one call. */
	ck_assert_uint_eq(tracefile_crc32(tracefile_crc32(0, "12345", 5),
	    "6789", 4), 0xcbf43926u);
	ck_assert_uint_eq(tracefile_crc32(0, "The quick brown fox jumps over "
	    "the lazy dog", 43), 0x414fa339u);
}
END_TEST

/* The carry-less multiply path (x86-64 with PCLMULQDQ) gives the CRC of
   the bit-by-bit definition at every length and alignment, whole and in
   pieces. */
START_TEST(test_crc32_lengths)
{
	static uint8_t	buf[4096 + 64];
	uint32_t	want, c, x = 2463534242u;
	size_t		len, off, cut, i;
	int		bit;

	for (i = 0; i < sizeof buf; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	for (len = 0; len <= 4096; len += len < 300 ? 1 : 61) {
		for (off = 0; off < 16; off += 5) {
			c = 0xffffffffu;
			for (i = 0; i < len; i++) {
				c ^= buf[off + i];
				for (bit = 0; bit < 8; bit++)
					c = (c >> 1) ^ (0xedb88320u &
					    (0u - (c & 1)));
			}
			want = ~c;
			ck_assert_msg(tracefile_crc32(0, buf + off, len) ==
			    want, "length %zu at %zu", len, off);
			cut = len / 3;
			ck_assert_uint_eq(tracefile_crc32(tracefile_crc32(0,
			    buf + off, cut), buf + off + cut, len - cut), want);
		}
	}
}
END_TEST

START_TEST(test_roundtrip)
{
	struct fixture		 f;
	struct tracefile	*tf;
	char			*cause = NULL;
	const char		*path = tmp_path("rich.lst");

	build_rich(&f);
	write_fixture(&f, path);
	tf = tracefile_read(path, &cause);
	ck_assert_msg(tf != NULL, "read: %s", cause);
	ck_assert_uint_eq(tf->version, TRACEFILE_VERSION);
	assert_meta_equal(&f.meta, &tf->meta);
	ck_assert_uint_eq(tf->nevents, f.n);
	ck_assert_int_eq(memcmp(tf->events, f.ev, f.n * sizeof *f.ev), 0);
	ck_assert_uint_eq(tf->strtab_len, f.strtab_len);
	ck_assert_int_eq(memcmp(tf->strtab, f.strtab, f.strtab_len), 0);
	ck_assert_uint_eq(tf->nchoices, f.nchoices);
	ck_assert_int_eq(memcmp(tf->choices, f.choices,
	    f.nchoices * sizeof *f.choices), 0);
	ck_assert_uint_eq(tf->dropped, 7);
	ck_assert_str_eq(tf->name, path);
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

/* Same bytes give the same file: the writer adds nothing variable. */
START_TEST(test_deterministic)
{
	struct fixture	 f;
	uint8_t		*a, *b;
	size_t		 alen, blen;

	fixture_handoff(&f);
	write_fixture(&f, tmp_path("a.lst"));
	write_fixture(&f, tmp_path("b.lst"));
	a = slurp(tmp_path("a.lst"), &alen);
	b = slurp(tmp_path("b.lst"), &blen);
	ck_assert_uint_eq(alen, blen);
	ck_assert_int_eq(memcmp(a, b, alen), 0);
	ck_assert_int_eq(memcmp(a, TRACEFILE_MAGIC, TRACEFILE_MAGIC_LEN), 0);
	free(a);
	free(b);
	fixture_done(&f);
}
END_TEST

/* Many events in odd-sized batches, across the writer's buffer. */
START_TEST(test_streaming)
{
	struct fixture			 f;
	struct tracefile_writer		*w;
	struct tracefile		*tf;
	struct trace_event		*ev;
	char				*cause = NULL;
	const char			*path = tmp_path("big.lst");
	size_t				 n = 50000, i, k;

	fixture_deadlock(&f);
	ev = calloc(n, sizeof *ev);
	for (i = 0; i < n; i++) {
		ev[i].time = 1000 + i * 3;
		ev[i].worker = (uint16_t)(i % 3);
		ev[i].type = (uint16_t)(i % 2 ? TRACE_STEP : TRACE_SHARED_ADD);
		ev[i].object = (uint16_t)(i % 2);
		ev[i].a0 = (int64_t)(i * 2654435761u);
		ev[i].a1 = (int32_t)i;
		ev[i].seq = (uint32_t)i;
		ev[i].check = (uint16_t)(i * 7);
	}
	w = tracefile_writer_create(path, &f.meta, &cause);
	ck_assert_msg(w != NULL, "%s", cause);
	for (i = 0; i < n; i += k) {
		k = (i * 31 + 777) % 4099 + 1;
		if (k > n - i)
			k = n - i;
		ck_assert_int_eq(tracefile_writer_append(w, ev + i, k, &cause),
		    0);
	}
	ck_assert_uint_eq(tracefile_writer_count(w), n);
	/* Not there under its final name until finished. */
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(tracefile_writer_finish(w, NULL, 0, NULL, 0, 0,
	    &cause), 0);
	tracefile_writer_free(w);
	ck_assert_int_eq(lib_count_entries(lib_tmpdir, NULL), 1);

	tf = tracefile_read(path, &cause);
	ck_assert_msg(tf != NULL, "read: %s", cause);
	ck_assert_uint_eq(tf->nevents, n);
	ck_assert_int_eq(memcmp(tf->events, ev, n * sizeof *ev), 0);
	ck_assert_ptr_null(tf->strtab);
	ck_assert_uint_eq(tf->nchoices, 0);
	ck_assert_ptr_null(tracefile_string(tf, 0));
	tracefile_free(tf);

	/* Events already in a file (the live view's kept file): copied by
	   the kernel with a CRC given (copy_fd), or read in blocks (append_fd),
	   after 7 events of something else at the start of that file; and
	   to /dev/null, where the kernel cannot copy. */
	{
		const char	*kept = tmp_path("kept"), *out[3];
		int		 fd, how;
		uint32_t	 crc;

		out[0] = tmp_path("copy.lst");
		out[1] = tmp_path("read.lst");
		out[2] = "/dev/null";
		fd = open(kept, O_RDWR | O_CREAT | O_TRUNC, 0600);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, ev + n - 7, 7 * sizeof *ev),
		    (ssize_t)(7 * sizeof *ev));
		ck_assert_int_eq(write(fd, ev, n * sizeof *ev),
		    (ssize_t)(n * sizeof *ev));
		crc = tracefile_crc32(0, ev, n * sizeof *ev);
		for (how = 0; how < 3; how++) {
			w = tracefile_writer_create(out[how], &f.meta, &cause);
			ck_assert_msg(w != NULL, "%s", cause);
			if (how == 1)
				ck_assert_int_eq(tracefile_writer_append_fd(w,
				    fd, 7 * sizeof *ev, n, &cause), 0);
			else
				ck_assert_int_eq(tracefile_writer_copy_fd(w,
				    fd, 7 * sizeof *ev, n, crc, &cause), 0);
			ck_assert_uint_eq(tracefile_writer_count(w), n);
			ck_assert_int_eq(tracefile_writer_finish(w, "x", 2,
			    NULL, 0, 0, &cause), 0);
			tracefile_writer_free(w);
			if (how == 2)
				break;
			tf = tracefile_map(out[how], &cause);
			ck_assert_msg(tf != NULL, "%s: %s", out[how], cause);
			ck_assert_uint_eq(tf->nevents, n);
			ck_assert_int_eq(memcmp(tf->events, ev, n * sizeof *ev),
			    0);
			ck_assert_str_eq(tracefile_string(tf, 0), "x");
			tracefile_free(tf);
		}
		close(fd);
		unlink(kept);
		unlink(out[0]);
		unlink(out[1]);
	}
	free(ev);
	fixture_done(&f);
}
END_TEST

START_TEST(test_empty_run)
{
	struct trace_meta	 meta;
	struct tracefile	*tf;
	char			*cause = NULL;
	const char		*path = tmp_path("empty.lst");

	trace_meta_init(&meta);
	ck_assert_int_eq(tracefile_save(path, &meta, NULL, 0, NULL, 0, NULL,
	    0, 0, &cause), 0);
	tf = tracefile_read(path, &cause);
	ck_assert_msg(tf != NULL, "read: %s", cause);
	ck_assert_uint_eq(tf->nevents, 0);
	ck_assert_uint_eq(tf->meta.nworkers, 0);
	ck_assert_ptr_null(tf->meta.path);
	ck_assert_ptr_null(tf->meta.title);
	tracefile_free(tf);
	trace_meta_done(&meta);
}
END_TEST

/* An abandoned writer removes its temporary file. */
START_TEST(test_abandon)
{
	struct fixture		 f;
	struct tracefile_writer	*w;
	char			*cause = NULL;

	fixture_deadlock(&f);
	w = tracefile_writer_create(tmp_path("gone.lst"), &f.meta, &cause);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(tracefile_writer_append(w, f.ev, f.n, &cause), 0);
	/* Unnamed while written (O_TMPFILE; a temporary name only where
	   the file system has none). */
	ck_assert_int_le(lib_count_entries(lib_tmpdir, NULL), 1);
	tracefile_writer_free(w);
	ck_assert_int_eq(lib_count_entries(lib_tmpdir, NULL), 0);

	w = tracefile_writer_create(tmp_path("no/such/dir.lst"), &f.meta,
	    &cause);
	ck_assert_ptr_null(w);
	ck_assert_ptr_nonnull(strstr(cause, "dir.lst: No such file"));
	free(cause);
	fixture_done(&f);
}
END_TEST

/* Every prefix of a valid file is refused as truncated. */
START_TEST(test_truncated)
{
	struct fixture		 f;
	struct tracefile	*tf;
	uint8_t			*data;
	size_t			 len, cut;
	char			*cause;

	fixture_deadlock(&f);
	write_fixture(&f, tmp_path("t.lst"));
	data = slurp(tmp_path("t.lst"), &len);
	for (cut = 1; cut < len; cut++) {
		cause = NULL;
		tf = tracefile_read_mem(data, cut, "cut.lst", &cause);
		ck_assert_msg(tf == NULL, "prefix of %zu bytes accepted", cut);
		ck_assert_msg(strncmp(cause, "cut.lst: truncated trace file",
		    29) == 0, "cut at %zu: %s", cut, cause);
		free(cause);
	}
	cause = NULL;
	ck_assert_ptr_null(tracefile_read_mem(data, 0, "cut.lst", &cause));
	ck_assert_str_eq(cause, "cut.lst: empty file, not a lockstep trace "
	    "file");
	free(cause);
	/* And the file itself, cut on disk. */
	spit(tmp_path("cut.lst"), data, len / 2);
	ck_assert_ptr_null(tracefile_read(tmp_path("cut.lst"), &cause));
	ck_assert_ptr_nonnull(strstr(cause, "cut.lst: truncated trace file"));
	free(cause);
	free(data);
	fixture_done(&f);
}
END_TEST

/* Every single-byte change anywhere in the file is detected. */
START_TEST(test_corrupted)
{
	struct fixture		 f;
	struct tracefile	*tf;
	uint8_t			*data;
	size_t			 len, i;
	int			 bit;
	char			*cause;

	fixture_handoff(&f);
	write_fixture(&f, tmp_path("c.lst"));
	data = slurp(tmp_path("c.lst"), &len);
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit += 3) {
			data[i] ^= (uint8_t)(1 << bit);
			cause = NULL;
			tf = tracefile_read_mem(data, len, "c.lst", &cause);
			ck_assert_msg(tf == NULL, "flip of bit %d at %zu "
			    "accepted", bit, i);
			ck_assert_msg(strncmp(cause, "c.lst: ", 7) == 0 &&
			    strlen(cause) > 10, "%s", cause);
			free(cause);
			data[i] ^= (uint8_t)(1 << bit);
		}
	}
	/* The message names what is wrong. Byte 200 is in the meta. */
	data[200] ^= 0x20;
	ck_assert_ptr_null(tracefile_read_mem(data, len, "c.lst", &cause));
	ck_assert_str_eq(cause, "c.lst: corrupted trace file: META section "
	    "checksum mismatch");
	free(cause);
	data[200] ^= 0x20;
	/* An event in the middle. */
	data[len - 100] ^= 0x01;
	ck_assert_ptr_null(tracefile_read_mem(data, len, "c.lst", &cause));
	ck_assert_ptr_nonnull(strstr(cause, "corrupted trace file"));
	free(cause);
	data[len - 100] ^= 0x01;
	tf = tracefile_read_mem(data, len, "c.lst", &cause);
	ck_assert_ptr_nonnull(tf);
	tracefile_free(tf);
	free(data);
	fixture_done(&f);
}
END_TEST

START_TEST(test_versions)
{
	struct fixture		 f;
	uint8_t			*data;
	size_t			 len;
	char			*cause;

	fixture_deadlock(&f);
	write_fixture(&f, tmp_path("v.lst"));
	data = slurp(tmp_path("v.lst"), &len);
	data[16] = 3;
	spit(tmp_path("v3.lst"), data, len);
	ck_assert_ptr_null(tracefile_read(tmp_path("v3.lst"), &cause));
	ck_assert_str_eq(cause, tmp_path("v3.lst: trace file version 3 is "
	    "newer than this lockstep (2)"));
	free(cause);
	data[16] = 0;
	ck_assert_ptr_null(tracefile_read_mem(data, len, "v0", &cause));
	ck_assert_str_eq(cause, "v0: trace file version 0 is not supported "
	    "by this lockstep (2)");
	free(cause);
	/* Version 1 had no channel writers and readers in META. */
	data[16] = 1;
	ck_assert_ptr_null(tracefile_read_mem(data, len, "v1", &cause));
	ck_assert_str_eq(cause, "v1: trace file version 1 is not supported "
	    "by this lockstep (2): it lacks the channels' writers and "
	    "readers; record the scenario again");
	free(cause);
	data[16] = 2;
	data[30] = 9;	/* event version */
	ck_assert_ptr_null(tracefile_read_mem(data, len, "ev", &cause));
	ck_assert_str_eq(cause, "ev: trace file events are version 9 (32 "
	    "bytes), this lockstep reads version 1 (32 bytes)");
	free(cause);
	data[30] = 1;
	data[20] = 1; data[21] = 2; data[22] = 3; data[23] = 4;
	ck_assert_ptr_null(tracefile_read_mem(data, len, "bo", &cause));
	ck_assert_str_eq(cause, "bo: corrupted trace file: bad byte-order "
	    "marker");
	free(cause);
	free(data);
	fixture_done(&f);
}
END_TEST

/* A channel peer must name a worker of the run and an end -1, 0 or 1. */
START_TEST(test_bad_peer)
{
	struct fixture		 f;
	char			*cause = NULL;

	fixture_deadlock(&f);
	trace_meta_add_peer(&f.meta, 0, 0, (uint16_t)f.meta.nworkers, -1);
	write_fixture(&f, tmp_path("peer.lst"));
	ck_assert_ptr_null(tracefile_read(tmp_path("peer.lst"), &cause));
	ck_assert_str_eq(cause, tmp_path("peer.lst: corrupted trace file: "
	    "bad meta section"));
	free(cause);
	fixture_done(&f);
	fixture_deadlock(&f);
	trace_meta_add_peer(&f.meta, 0, 1, 0, 2);
	write_fixture(&f, tmp_path("end.lst"));
	ck_assert_ptr_null(tracefile_read(tmp_path("end.lst"), &cause));
	free(cause);
	fixture_done(&f);
}
END_TEST

START_TEST(test_not_a_trace)
{
	static const char	 scn[] = "title \"x\"\nmutex A\nthread t:\n"
	    "    lock A\n";
	char			*cause;

	spit(tmp_path("x.scn"), scn, sizeof scn - 1);
	ck_assert_ptr_null(tracefile_read(tmp_path("x.scn"), &cause));
	ck_assert_str_eq(cause, tmp_path("x.scn: not a lockstep trace file"));
	free(cause);
	spit(tmp_path("empty"), "", 0);
	ck_assert_ptr_null(tracefile_read(tmp_path("empty"), &cause));
	ck_assert_str_eq(cause, tmp_path("empty: empty file, not a lockstep "
	    "trace file"));
	free(cause);
	ck_assert_ptr_null(tracefile_read(tmp_path("missing.lst"), &cause));
	ck_assert_str_eq(cause, tmp_path("missing.lst: No such file or "
	    "directory"));
	free(cause);
	ck_assert_ptr_null(tracefile_read(lib_tmpdir, &cause));
	ck_assert_ptr_nonnull(strstr(cause, ": is a directory"));
	free(cause);
	ck_assert_ptr_null(tracefile_read_mem("LOCKSTEP", 8, "m", &cause));
	ck_assert_str_eq(cause, "m: truncated trace file (8 bytes, the "
	    "header alone is 40)");
	free(cause);
}
END_TEST

/* Checksums are right but an index does not fit the meta. */
START_TEST(test_bad_indices)
{
	static const struct {
		uint16_t	 worker, type, object;
		int64_t		 a0;
		int32_t		 a1;
		const char	*why;
	} bad[] = {
		{ 7, TRACE_STEP, TRACE_NO_OBJECT, 1, 1, "bad worker index" },
		{ TRACE_NO_WORKER, TRACE_LOCK_WAIT, 0, 0, 0,
		    "bad worker index" },
		{ 0, TRACE_LOCK_WAIT, 2, 0, 0, "bad object index" },
		{ 0, TRACE_JOIN_WAIT, 3, 0, 0,
		    "bad worker index in object field" },
		{ 0, TRACE_TASK_BEGIN, 0, 0, 0, "bad pool task" },
		{ 0, TRACE_LOCK_OWNER_DIED, 0, 5, 0, "bad dead owner index" },
		{ 0, 999, 0, 0, 0, "unknown event type" },
		{ 0, TRACE_NONE, 0, 0, 0, "unknown event type" },
	};
	struct fixture		 f;
	struct trace_event	 ev;
	char			*cause, want[256];
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fixture_deadlock(&f);
		memset(&ev, 0, sizeof ev);
		ev.worker = bad[i].worker;
		ev.type = bad[i].type;
		ev.object = bad[i].object;
		ev.a0 = bad[i].a0;
		ev.a1 = bad[i].a1;
		f.ev[5] = ev;
		write_fixture(&f, tmp_path("bad.lst"));
		cause = NULL;
		ck_assert_ptr_null(tracefile_read(tmp_path("bad.lst"), &cause));
		snprintf(want, sizeof want, "%s: corrupted trace file: event 5 "
		    "(%s): %s", tmp_path("bad.lst"), trace_event_name(ev.type),
		    bad[i].why);
		ck_assert_str_eq(cause, want);
		free(cause);
		fixture_done(&f);
	}
	/* A choice naming a worker that does not exist. */
	fixture_deadlock(&f);
	f.choices[1] = 3;
	write_fixture(&f, tmp_path("bad.lst"));
	ck_assert_ptr_null(tracefile_read(tmp_path("bad.lst"), &cause));
	ck_assert_ptr_nonnull(strstr(cause, "step choice 1 names worker 3 of "
	    "3"));
	free(cause);
	fixture_done(&f);
}
END_TEST

START_TEST(test_schedule)
{
	struct fixture	 f, g;
	uint16_t	*ch;
	size_t		 n;
	char		*cause = NULL;

	fixture_deadlock(&f);
	write_fixture(&f, tmp_path("s.lst"));
	ck_assert_int_eq(tracefile_probe(tmp_path("s.lst")), 1);
	ck_assert_int_eq(tracefile_read_schedule(tmp_path("s.lst"), NULL, &ch,
	    &n, &cause), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(ch[0], 0);
	ck_assert_uint_eq(ch[1], 1);
	ck_assert_uint_eq(ch[2], 2);
	ck_assert_uint_eq(ch[4], 1);
	free(ch);
	/* Checked against the scenario's workers. */
	ck_assert_int_eq(tracefile_read_schedule(tmp_path("s.lst"), &f.meta,
	    &ch, &n, &cause), 0);
	ck_assert_uint_eq(n, 5);
	free(ch);
	fixture_handoff(&g);
	ck_assert_int_eq(tracefile_read_schedule(tmp_path("s.lst"), &g.meta,
	    &ch, &n, &cause), -1);
	ck_assert_str_eq(cause, tmp_path("s.lst: recorded with 3 workers, "
	    "this scenario has 2"));
	free(cause);
	fixture_worker(&g, "t3", 1);
	ck_assert_int_eq(tracefile_read_schedule(tmp_path("s.lst"), &g.meta,
	    &ch, &n, &cause), -1);
	ck_assert_str_eq(cause, tmp_path("s.lst: recorded with other workers "
	    "(worker 0 is 't1' there, 'producer' here)"));
	free(cause);
	fixture_done(&g);

	ck_assert_int_eq(tracefile_read_schedule(tmp_path("none.lst"), NULL,
	    &ch, &n, &cause), -1);
	ck_assert_ptr_null(ch);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(strstr(cause, "none.lst: No such file"));
	free(cause);
	ck_assert_int_eq(tracefile_probe(tmp_path("none.lst")), -1);
	spit(tmp_path("text"), "t1\nt2\n", 6);
	ck_assert_int_eq(tracefile_probe(tmp_path("text")), 0);
	fixture_done(&f);
}
END_TEST

START_TEST(test_strings)
{
	struct fixture		 f;
	struct tracefile	*tf;
	char			*cause = NULL;
	int64_t			 off;

	fixture_deadlock(&f);
	off = f.ev[11].a0;	/* the note */
	write_fixture(&f, tmp_path("str.lst"));
	tf = tracefile_read(tmp_path("str.lst"), &cause);
	ck_assert_ptr_nonnull(tf);
	ck_assert_uint_eq(tf->events[11].type, TRACE_NOTE);
	ck_assert_str_eq(tracefile_string(tf, off),
	    "t1 now waits for B, which t2 holds");
	ck_assert_str_eq(tracefile_string(tf, 0), "");
	ck_assert_ptr_null(tracefile_string(tf, -1));
	ck_assert_ptr_null(tracefile_string(tf, (int64_t)tf->strtab_len));
	ck_assert_ptr_null(tracefile_string(tf, INT64_MAX));
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

/* The seed corpus: ok-* files load, every other file is refused. With
   LOCKSTEP_WRITE_CORPUS set, write it first. */
START_TEST(test_corpus)
{
	const char	*out = getenv("LOCKSTEP_WRITE_CORPUS");
	const char	*dir = out != NULL ? out : lib_srcpath(
			    "tests/fuzz/trace-corpus");
	struct fixture	 f;
	struct tracefile *tf;
	struct dirent	*de;
	DIR		*d;
	uint8_t		*data;
	size_t		 len;
	char		 path[8192], *cause;
	int		 nok = 0, nbad = 0;

	if (out != NULL) {
		fixture_deadlock(&f);
		snprintf(path, sizeof path, "%s/ok-deadlock.lst", out);
		write_fixture(&f, path);
		data = slurp(path, &len);
		snprintf(path, sizeof path, "%s/bad-truncated.lst", out);
		spit(path, data, len * 2 / 3);
		data[len / 2] ^= 0x10;
		snprintf(path, sizeof path, "%s/bad-flipped.lst", out);
		spit(path, data, len);
		data[len / 2] ^= 0x10;
		data[16] = TRACEFILE_VERSION + 1;
		snprintf(path, sizeof path, "%s/bad-version.lst", out);
		spit(path, data, len);
		free(data);
		fixture_done(&f);
		fixture_handoff(&f);
		snprintf(path, sizeof path, "%s/ok-handoff.lst", out);
		write_fixture(&f, path);
		fixture_done(&f);
		build_rich(&f);
		snprintf(path, sizeof path, "%s/ok-rich.lst", out);
		write_fixture(&f, path);
		fixture_done(&f);
	}
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		cause = NULL;
		tf = tracefile_read(path, &cause);
		if (strncmp(de->d_name, "ok-", 3) == 0) {
			ck_assert_msg(tf != NULL, "%s", cause);
			nok++;
		} else {
			ck_assert_msg(tf == NULL, "%s accepted", path);
			free(cause);
			nbad++;
		}
		tracefile_free(tf);
	}
	closedir(d);
	ck_assert_int_ge(nok, 3);
	ck_assert_int_ge(nbad, 3);
}
END_TEST

START_TEST(test_jsonl)
{
	struct fixture		 f;
	struct tracefile	*tf;
	char			*cause = NULL, *buf = NULL, *line;
	size_t			 len = 0, lines = 0;
	FILE			*out;

	fixture_handoff(&f);
	write_fixture(&f, tmp_path("j.lst"));
	ck_assert_ptr_nonnull(tf = tracefile_read(tmp_path("j.lst"), &cause));
	out = open_memstream(&buf, &len);
	ck_assert_int_eq(export_jsonl(out, tf, &cause), 0);
	fclose(out);
	for (line = buf; (line = strchr(line, '\n')) != NULL; line++)
		lines++;
	ck_assert_uint_eq(lines, f.n);
	ck_assert_ptr_nonnull(strstr(buf, "{\"i\":0,\"t\":0,\"time\":1000001500,"
	    "\"type\":\"run-begin\",\"a0\":2,\"a1\":0,\"seq\":1,\"what\":"));
	ck_assert_ptr_nonnull(strstr(buf, "{\"i\":6,\"t\":9000,\"time\":"
	    "1000010500,\"type\":\"lock-wait\",\"w\":1,\"worker\":\"consumer\","
	    "\"o\":0,\"object\":\"M\",\"a0\":0,\"a1\":0,\"seq\":7,\"what\":\""
	    "consumer"));
	ck_assert_ptr_nonnull(strstr(buf, "\"text\":\"hello \\\"world\\\"\\n\","
	    "\"what\":"));
	free(buf);
	tracefile_free(tf);
	fixture_done(&f);
}
END_TEST

static Suite *
suite_tracefile(void)
{
	Suite	*s = suite_create("tracefile");
	TCase	*tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, lib_setup_top, lib_teardown_top);
	tcase_add_checked_fixture(tc, lib_setup_tmp, lib_teardown_tmp);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_crc32);
	tcase_add_test(tc, test_crc32_lengths);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_streaming);
	tcase_add_test(tc, test_empty_run);
	tcase_add_test(tc, test_abandon);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_corrupted);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_bad_peer);
	tcase_add_test(tc, test_not_a_trace);
	tcase_add_test(tc, test_bad_indices);
	tcase_add_test(tc, test_schedule);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_corpus);
	tcase_add_test(tc, test_jsonl);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_tracefile()));
}
