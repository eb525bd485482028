/*
 * export/tracefile.c: write and read lockstep trace files.
 *
 * Layout (doc/trace-format.md has the full description): a 40-byte file
 * header (magic, format version, byte-order marker, header size, event
 * size and version), then sections, each a 16-byte header (4-byte tag,
 * CRC-32 of the payload, 64-bit payload length) followed by the payload
 * padded with zeros to a multiple of 8 bytes. The writer emits META (run
 * tables), EVNT (the raw 32-byte events, streamed), STRS (string table),
 * CHOI (step choices) and last TRLR, whose payload holds the event count,
 * the dropped count and a CRC-32 over the file header and every other
 * section header. Payload CRCs cover the payloads, the trailer CRC covers
 * the headers, so every byte that means something is checked. All integers
 * are little-endian; events are copied as they are on a little-endian host.
 *
 * The EVNT header is written as a placeholder and patched by pwrite() at
 * finish, once its length and CRC are known; that is why each section has
 * its own CRC (one CRC over the whole file would need the length first).
 *
 * The reader never trusts a length: every read goes through a cursor that
 * fails instead of stepping past the end, counts are bounded by the bytes
 * left before anything is allocated, and every event's worker and object
 * indices are checked against the meta, so that the model and the views
 * can index their arrays with them without checks of their own.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/outfile.h"
#include "export/tracefile.h"
#include "util/xmalloc.h"

#define TF_HEADER_SIZE		40
#define TF_SECTION_SIZE		16
#define TF_TRAILER_SIZE		24
#define TF_BYTE_ORDER		0x01020304u
#define TF_NO_STRING		0xffffffffu
#define TF_MAX_EXPECTS		4096
#define TF_WBUF_SIZE		(256 * 1024)
#define TF_CHECK_BLOCK		2048	/* events checked per CRC block */
#define TF_DROP_BYTES		((size_t)8 << 20) /* dropped behind the check */
#define TF_MAPS			8	/* mapped files open at once */

#define TF_TAG_META		"META"
#define TF_TAG_EVENTS		"EVNT"
#define TF_TAG_STRINGS		"STRS"
#define TF_TAG_CHOICES		"CHOI"
#define TF_TAG_TRAILER		"TRLR"
#define TF_TAG_LIMITS		"LIMS"	/* peers' limit lines (optional) */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TF_HOST_LE		1
#else
#define TF_HOST_LE		0
#endif

/* ---------------------------------------------------------------- CRC-32 */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TF_CRC_CLMUL	1
static int		tf_crc_clmul;	/* PCLMULQDQ and SSE4.1, not turned
					   off by LOCKSTEP_CRC_TABLES */
#endif

static uint32_t		tf_crc_table[8][256];
static pthread_once_t	tf_crc_once = PTHREAD_ONCE_INIT;

/* Tables for slicing-by-8: 1M events (32 MB) check in a few ms. */
static void
tf_crc_init(void)
{
	uint32_t	c;
	int		i, j;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		tf_crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = tf_crc_table[0][i];
		for (j = 1; j < 8; j++) {
			c = tf_crc_table[0][c & 0xff] ^ (c >> 8);
			tf_crc_table[j][i] = c;
		}
	}
#ifdef TF_CRC_CLMUL
	__builtin_cpu_init();
	tf_crc_clmul = __builtin_cpu_supports("pclmul") &&
	    __builtin_cpu_supports("sse4.1") &&
	    getenv("LOCKSTEP_CRC_TABLES") == NULL;
#endif
}

#ifdef TF_CRC_CLMUL

/*
 * CRC-32 by carry-less multiplication (Gopal et al., "Fast CRC Computation
 * for Generic Polynomials Using PCLMULQDQ Instruction", Intel 2009; the
 * bit-reflected constants of the paper's end, as zlib's crc32_simd.c):
 * four 128-bit lanes folded 64 bytes at a time, then into one, then a
 * Barrett reduction. len >= 64 and a multiple of 16; crc is not inverted
 * here (the caller does it). Some 10x the tables' speed: checking the
 * events of a recording was mostly its CRC.
 */
__attribute__((target("pclmul,sse4.1")))
static uint32_t
tf_crc32_clmul(uint32_t crc, const uint8_t *buf, size_t len)
{
	static const uint64_t	k1k2[2] __attribute__((aligned(16))) =
				    { 0x0154442bd4, 0x01c6e41596 };
	static const uint64_t	k3k4[2] __attribute__((aligned(16))) =
				    { 0x01751997d0, 0x00ccaa009e };
	static const uint64_t	k5k0[2] __attribute__((aligned(16))) =
				    { 0x0163cd6124, 0x0000000000 };
	static const uint64_t	poly[2] __attribute__((aligned(16))) =
				    { 0x01db710641, 0x01f7011641 };
	__m128i			x0, x1, x2, x3, x4, x5, x6, x7, x8;
	__m128i			y5, y6, y7, y8;

	x1 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x00));
	x2 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x10));
	x3 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x20));
	x4 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x30));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
	x0 = _mm_load_si128((const __m128i *)(const void *)k1k2);
	buf += 64;
	len -= 64;
	while (len >= 64) {
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
		x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
		x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
		x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
		x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
		y5 = _mm_loadu_si128((const __m128i *)(const void *)buf);
		y6 = _mm_loadu_si128((const __m128i *)(const void *)
		    (buf + 0x10));
		y7 = _mm_loadu_si128((const __m128i *)(const void *)
		    (buf + 0x20));
		y8 = _mm_loadu_si128((const __m128i *)(const void *)
		    (buf + 0x30));
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), y5);
		x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), y6);
		x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), y7);
		x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), y8);
		buf += 64;
		len -= 64;
	}
	/* Fold the four lanes into one. */
	x0 = _mm_load_si128((const __m128i *)(const void *)k3k4);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);
	while (len >= 16) {
		x2 = _mm_loadu_si128((const __m128i *)(const void *)buf);
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
		buf += 16;
		len -= 16;
	}
	/* 128 bits to 64, then Barrett to 32. */
	x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
	x3 = _mm_setr_epi32(~0, 0, ~0, 0);
	x1 = _mm_srli_si128(x1, 8);
	x1 = _mm_xor_si128(x1, x2);
	x0 = _mm_loadl_epi64((const __m128i *)(const void *)k5k0);
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, x3);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	x0 = _mm_load_si128((const __m128i *)(const void *)poly);
	x2 = _mm_and_si128(x1, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
	x2 = _mm_and_si128(x2, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return ((uint32_t)_mm_extract_epi32(x1, 1));
}
#endif

uint32_t
tracefile_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint32_t	 a, b;
	size_t		 k;

	pthread_once(&tf_crc_once, tf_crc_init);
	crc = ~crc;
#ifdef TF_CRC_CLMUL
	if (tf_crc_clmul && len >= 64) {
		k = len & ~(size_t)15;
		crc = tf_crc32_clmul(crc, p, k);
		p += k;
		len -= k;
	}
#else
	(void)k;
#endif
	while (len >= 8) {
		a = ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24) ^ crc;
		b = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		crc = tf_crc_table[7][a & 0xff] ^
		    tf_crc_table[6][(a >> 8) & 0xff] ^
		    tf_crc_table[5][(a >> 16) & 0xff] ^
		    tf_crc_table[4][a >> 24] ^
		    tf_crc_table[3][b & 0xff] ^
		    tf_crc_table[2][(b >> 8) & 0xff] ^
		    tf_crc_table[1][(b >> 16) & 0xff] ^
		    tf_crc_table[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = tf_crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return (~crc);
}

/* ------------------------------------------------------ little-endian I/O */

static void
tf_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
tf_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
tf_put64(uint8_t *p, uint64_t v)
{
	tf_put32(p, (uint32_t)v);
	tf_put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t
tf_get16(const uint8_t *p)
{
	return ((uint16_t)(p[0] | p[1] << 8));
}

static uint32_t
tf_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static uint64_t
tf_get64(const uint8_t *p)
{
	return ((uint64_t)tf_get32(p) | (uint64_t)tf_get32(p + 4) << 32);
}

/* An event in file order (little-endian, the field order of the struct). */
static void
tf_event_encode(uint8_t *out, const struct trace_event *ev)
{
	tf_put64(out, ev->time);
	tf_put64(out + 8, (uint64_t)ev->a0);
	tf_put32(out + 16, (uint32_t)ev->a1);
	tf_put32(out + 20, ev->seq);
	tf_put16(out + 24, ev->worker);
	tf_put16(out + 26, ev->type);
	tf_put16(out + 28, ev->object);
	tf_put16(out + 30, ev->check);
}

#if !TF_HOST_LE
static void
tf_event_decode(struct trace_event *ev, const uint8_t *in)
{
	ev->time = tf_get64(in);
	ev->a0 = (int64_t)tf_get64(in + 8);
	ev->a1 = (int32_t)tf_get32(in + 16);
	ev->seq = tf_get32(in + 20);
	ev->worker = tf_get16(in + 24);
	ev->type = tf_get16(in + 26);
	ev->object = tf_get16(in + 28);
	ev->check = tf_get16(in + 30);
}
#endif

/* A growable byte buffer for building section payloads. */
struct tf_bytes {
	uint8_t	*p;
	size_t	 len, cap;
};

static uint8_t *
tf_bytes_grow(struct tf_bytes *b, size_t n)
{
	uint8_t	*at;

	if (b->len + n > b->cap) {
		while (b->len + n > b->cap)
			b->cap = b->cap == 0 ? 256 : b->cap * 2;
		b->p = xreallocarray(b->p, 1, b->cap);
	}
	at = b->p + b->len;
	b->len += n;
	return (at);
}

static void
tf_bytes_u16(struct tf_bytes *b, uint16_t v)
{
	tf_put16(tf_bytes_grow(b, 2), v);
}

static void
tf_bytes_u32(struct tf_bytes *b, uint32_t v)
{
	tf_put32(tf_bytes_grow(b, 4), v);
}

static void
tf_bytes_u64(struct tf_bytes *b, uint64_t v)
{
	tf_put64(tf_bytes_grow(b, 8), v);
}

static void
tf_bytes_str(struct tf_bytes *b, const char *s)
{
	size_t	len;

	if (s == NULL) {
		tf_bytes_u32(b, TF_NO_STRING);
		return;
	}
	len = strlen(s);
	if (len >= TF_NO_STRING)
		len = TF_NO_STRING - 1;
	tf_bytes_u32(b, (uint32_t)len);
	memcpy(tf_bytes_grow(b, len), s, len);
}

/* A channel's writers or readers: count, then (worker, end) pairs. */
static void
tf_encode_peers(struct tf_bytes *b, const struct trace_meta_peer *v,
    size_t n)
{
	size_t	i;

	tf_bytes_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		tf_bytes_u32(b, v[i].worker);
		tf_bytes_u32(b, (uint32_t)(int32_t)v[i].end);
	}
}

/* The LIMS payload: every peer's limit line (trace_meta_peer.limit), in
   META's order (per object its writers, then its readers). A section of
   its own so that readers that do not know it skip it. */
static void
tf_encode_limits(struct tf_bytes *b, const struct trace_meta *meta)
{
	const struct trace_meta_object	*o;
	size_t				 i, j;

	for (i = 0; i < meta->nobjects; i++) {
		o = &meta->objects[i];
		for (j = 0; j < o->nwriters; j++)
			tf_bytes_u32(b, (uint32_t)o->writers[j].limit);
		for (j = 0; j < o->nreaders; j++)
			tf_bytes_u32(b, (uint32_t)o->readers[j].limit);
	}
}

/* The META payload: see doc/trace-format.md for the field list. */
static void
tf_encode_meta(struct tf_bytes *b, const struct trace_meta *meta)
{
	const struct trace_meta_worker	*w;
	const struct trace_meta_object	*o;
	const struct trace_meta_expect	*e;
	size_t				 i;

	tf_bytes_str(b, meta->path);
	tf_bytes_str(b, meta->source);
	tf_bytes_str(b, meta->title);
	tf_bytes_str(b, meta->about);

	tf_bytes_u32(b, (uint32_t)meta->nworkers);
	for (i = 0; i < meta->nworkers; i++) {
		w = &meta->workers[i];
		tf_bytes_str(b, w->name);
		tf_bytes_u32(b, (uint32_t)w->kind);
		tf_bytes_u32(b, w->flags);
		tf_bytes_u32(b, (uint32_t)w->copy);
		tf_bytes_u32(b, w->pool);
		tf_bytes_u32(b, (uint32_t)w->line);
	}
	tf_bytes_u32(b, (uint32_t)meta->nobjects);
	for (i = 0; i < meta->nobjects; i++) {
		o = &meta->objects[i];
		tf_bytes_str(b, o->name);
		tf_bytes_u32(b, (uint32_t)o->kind);
		tf_bytes_u32(b, o->flags);
		tf_bytes_u64(b, (uint64_t)o->capacity);
		tf_bytes_u64(b, (uint64_t)o->initial);
		tf_bytes_u64(b, (uint64_t)o->tasks);
		tf_bytes_u32(b, o->lock);
		tf_bytes_u32(b, (uint32_t)o->line);
		tf_encode_peers(b, o->writers, o->nwriters);
		tf_encode_peers(b, o->readers, o->nreaders);
	}
	tf_bytes_u32(b, (uint32_t)meta->nexpects);
	for (i = 0; i < meta->nexpects; i++) {
		e = &meta->expects[i];
		tf_bytes_u32(b, (uint32_t)e->kind);
		tf_bytes_u32(b, (uint32_t)e->metric);
		tf_bytes_u32(b, e->object);
		tf_bytes_u32(b, (uint32_t)e->cmp);
		tf_bytes_u64(b, (uint64_t)e->value);
		tf_bytes_u32(b, (uint32_t)e->line);
		tf_bytes_str(b, e->text);
	}
}

/* ----------------------------------------------------------------- writer */

struct tracefile_writer {
	char		*path;		/* final name */
	struct outfile	*out;		/* safe output (outfile.h) */
	int		 fd;		/* its descriptor */
	uint8_t		*buf;		/* write buffer */
	size_t		 buflen;
	uint64_t	 off;		/* file offset of buf[0] */
	uint64_t	 events_off;	/* offset of the EVNT section header */
	uint32_t	 hdrcrc;	/* CRC of file and section headers */
	uint32_t	 evcrc;		/* CRC of the events payload */
	uint64_t	 nevents;
	char		*error;		/* first error, or NULL */
	int		 finished;
};

static void
tf_writer_error(struct tracefile_writer *w, const char *what, int error)
{
	if (w->error == NULL)
		xasprintf(&w->error, "%s: %s: %s", w->path, what,
		    strerror(error));
}

static int
tf_write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

static void
tf_writer_flush(struct tracefile_writer *w)
{
	if (w->buflen == 0 || w->error != NULL)
		return;
	if (tf_write_all(w->fd, w->buf, w->buflen) != 0)
		tf_writer_error(w, "write", errno);
	w->off += w->buflen;
	w->buflen = 0;
}

static void
tf_writer_bytes(struct tracefile_writer *w, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 n;

	while (len > 0 && w->error == NULL) {
		n = TF_WBUF_SIZE - w->buflen;
		if (n > len)
			n = len;
		memcpy(w->buf + w->buflen, p, n);
		w->buflen += n;
		p += n;
		len -= n;
		if (w->buflen == TF_WBUF_SIZE)
			tf_writer_flush(w);
	}
}

static void
tf_section_header(uint8_t *out, const char *tag, uint32_t crc, uint64_t len)
{
	memcpy(out, tag, 4);
	tf_put32(out + 4, crc);
	tf_put64(out + 8, len);
}

/* A whole section whose payload is known: header, payload, padding. */
static void
tf_writer_section(struct tracefile_writer *w, const char *tag,
    const void *payload, size_t len)
{
	static const uint8_t	zero[8];
	uint8_t			hdr[TF_SECTION_SIZE];

	tf_section_header(hdr, tag, tracefile_crc32(0, payload, len), len);
	if (strcmp(tag, TF_TAG_TRAILER) != 0)
		w->hdrcrc = tracefile_crc32(w->hdrcrc, hdr, sizeof hdr);
	tf_writer_bytes(w, hdr, sizeof hdr);
	tf_writer_bytes(w, payload, len);
	if (len % 8 != 0)
		tf_writer_bytes(w, zero, 8 - len % 8);
}

struct tracefile_writer *
tracefile_writer_create(const char *path, const struct trace_meta *meta,
    char **cause)
{
	struct tracefile_writer	*w;
	struct tf_bytes		 b = { NULL, 0, 0 };
	uint8_t			 hdr[TF_HEADER_SIZE];

	w = xcalloc(1, sizeof *w);
	w->path = xstrdup(path);
	w->fd = -1;
	if ((w->out = outfile_open(path, OUTFILE_SEEKABLE, cause)) == NULL) {
		tracefile_writer_free(w);
		return (NULL);
	}
	w->fd = outfile_fd(w->out);
	w->buf = xmalloc(TF_WBUF_SIZE);

	memset(hdr, 0, sizeof hdr);
	memcpy(hdr, TRACEFILE_MAGIC, TRACEFILE_MAGIC_LEN);
	tf_put32(hdr + 16, TRACEFILE_VERSION);
	tf_put32(hdr + 20, TF_BYTE_ORDER);
	tf_put32(hdr + 24, TF_HEADER_SIZE);
	tf_put16(hdr + 28, sizeof(struct trace_event));
	tf_put16(hdr + 30, TRACE_EVENT_VERSION);
	w->hdrcrc = tracefile_crc32(0, hdr, sizeof hdr);
	tf_writer_bytes(w, hdr, sizeof hdr);

	tf_encode_meta(&b, meta);
	tf_writer_section(w, TF_TAG_META, b.p, b.len);
	free(b.p);
	memset(&b, 0, sizeof b);
	tf_encode_limits(&b, meta);
	tf_writer_section(w, TF_TAG_LIMITS, b.p != NULL ? b.p :
	    (uint8_t *)"", b.len);
	free(b.p);

	/* Placeholder EVNT header, patched by finish. */
	w->events_off = w->off + w->buflen;
	memset(hdr, 0, TF_SECTION_SIZE);
	tf_writer_bytes(w, hdr, TF_SECTION_SIZE);
	w->evcrc = 0;

	if (w->error != NULL) {
		*cause = w->error;
		w->error = NULL;
		tracefile_writer_free(w);
		return (NULL);
	}
	return (w);
}

int
tracefile_writer_append(struct tracefile_writer *w,
    const struct trace_event *ev, size_t n, char **cause)
{
	size_t	 room, k, i;
	uint8_t	*at;

	if (w->finished)
		return (0);
	while (n > 0 && w->error == NULL) {
		room = (TF_WBUF_SIZE - w->buflen) / sizeof *ev;
		if (room == 0) {
			tf_writer_flush(w);
			continue;
		}
		k = n < room ? n : room;
		at = w->buf + w->buflen;
		if (TF_HOST_LE)
			memcpy(at, ev, k * sizeof *ev);
		else {
			for (i = 0; i < k; i++)
				tf_event_encode(at + i * sizeof *ev, &ev[i]);
		}
		w->evcrc = tracefile_crc32(w->evcrc, at, k * sizeof *ev);
		w->buflen += k * sizeof *ev;
		w->nevents += k;
		ev += k;
		n -= k;
	}
	if (w->error != NULL) {
		if (cause != NULL)
			*cause = xstrdup(w->error);
		return (-1);
	}
	return (0);
}

/*
 * Events that are already in a file (the live view's kept events): read
 * with pread() straight into the write buffer, a buffer at a time, CRC'd
 * and written from there. Nothing is mapped, so saving 10^8 kept events
 * brings none of them into the process's memory.
 */
int
tracefile_writer_append_fd(struct tracefile_writer *w, int fd, off_t off,
    uint64_t n, char **cause)
{
	size_t			 room, k, i, want, got;
	ssize_t			 r;
	struct trace_event	 ev;

	if (w->finished)
		return (0);
	while (n > 0 && w->error == NULL) {
		room = (TF_WBUF_SIZE - w->buflen) / sizeof ev;
		if (room == 0) {
			tf_writer_flush(w);
			continue;
		}
		k = n < room ? (size_t)n : room;
		want = k * sizeof ev;
		for (got = 0; got < want; got += (size_t)r) {
			r = pread(fd, w->buf + w->buflen + got, want - got,
			    off + (off_t)got);
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			if (r <= 0) {
				tf_writer_error(w, "read", r == 0 ? EIO :
				    errno);
				break;
			}
		}
		if (w->error != NULL)
			break;
		if (!TF_HOST_LE) {
			for (i = 0; i < k; i++) {
				memcpy(&ev, w->buf + w->buflen + i * sizeof ev,
				    sizeof ev);
				tf_event_encode(w->buf + w->buflen +
				    i * sizeof ev, &ev);
			}
		}
		w->evcrc = tracefile_crc32(w->evcrc, w->buf + w->buflen, want);
		w->buflen += want;
		w->nevents += k;
		off += (off_t)want;
		n -= k;
	}
	if (w->error != NULL) {
		if (cause != NULL)
			*cause = xstrdup(w->error);
		return (-1);
	}
	return (0);
}

/*
 * The same when the events' CRC is known (the live view keeps a running
 * one): the kernel copies them from file to file (copy_file_range: no
 * copy through the process at all, a shared extent where the file system
 * can reflink). Where it cannot (another file system, /dev/null, an old
 * kernel) the rest is read and written in blocks. Only as the first
 * events of the file.
 */
int
tracefile_writer_copy_fd(struct tracefile_writer *w, int fd, off_t off,
    uint64_t n, uint32_t crc, char **cause)
{
	uint64_t	 left;
	loff_t		 in = off;
	ssize_t		 r;
	size_t		 want, got;

	if (w->finished)
		return (0);
	if (w->nevents != 0 || !TF_HOST_LE || n > UINT64_MAX /
	    sizeof(struct trace_event))
		return (tracefile_writer_append_fd(w, fd, off, n, cause));
	tf_writer_flush(w);
	left = n * sizeof(struct trace_event);
	while (left > 0 && w->error == NULL) {
		r = copy_file_range(fd, &in, w->fd, NULL, left > (1u << 30) ?
		    (size_t)1 << 30 : (size_t)left, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		left -= (uint64_t)r;
		w->off += (uint64_t)r;	/* past the buffer: flushed above */
	}
	/* What the kernel did not copy: through the buffer. */
	while (left > 0 && w->error == NULL) {
		want = left < TF_WBUF_SIZE ? (size_t)left : TF_WBUF_SIZE;
		for (got = 0; got < want; got += (size_t)r) {
			r = pread(fd, w->buf + got, want - got,
			    (off_t)in + (off_t)got);
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			if (r <= 0) {
				tf_writer_error(w, "read", r == 0 ? EIO :
				    errno);
				break;
			}
		}
		if (w->error != NULL)
			break;
		w->buflen = want;
		tf_writer_flush(w);
		in += (loff_t)want;
		left -= want;
	}
	if (w->error != NULL) {
		if (cause != NULL)
			*cause = xstrdup(w->error);
		return (-1);
	}
	w->evcrc = crc;
	w->nevents = n;
	return (0);
}

uint64_t
tracefile_writer_count(const struct tracefile_writer *w)
{
	return (w->nevents);
}

int
tracefile_writer_finish(struct tracefile_writer *w, const char *strtab,
    size_t strtab_len, const uint16_t *choices, size_t nchoices,
    uint64_t dropped, char **cause)
{
	uint8_t		 hdr[TF_SECTION_SIZE], trailer[TF_TRAILER_SIZE];
	struct tf_bytes	 b = { NULL, 0, 0 };
	size_t		 i;

	if (w->finished)
		return (0);
	tf_writer_flush(w);
	if (w->error == NULL) {
		tf_section_header(hdr, TF_TAG_EVENTS, w->evcrc,
		    w->nevents * sizeof(struct trace_event));
		w->hdrcrc = tracefile_crc32(w->hdrcrc, hdr, sizeof hdr);
		if (pwrite(w->fd, hdr, sizeof hdr, (off_t)w->events_off) !=
		    (ssize_t)sizeof hdr)
			tf_writer_error(w, "write", errno);
	}

	tf_writer_section(w, TF_TAG_STRINGS, strtab != NULL ? strtab : "",
	    strtab != NULL ? strtab_len : 0);
	/* The choices as they are in memory where that is the file's order
	   (a long stepped run has millions: no copy of them). */
	if (TF_HOST_LE && nchoices > 0)
		tf_writer_section(w, TF_TAG_CHOICES, choices,
		    nchoices * sizeof *choices);
	else {
		for (i = 0; i < nchoices; i++)
			tf_bytes_u16(&b, choices[i]);
		tf_writer_section(w, TF_TAG_CHOICES, b.p != NULL ? b.p :
		    (uint8_t *)"", b.len);
		free(b.p);
	}

	tf_put64(trailer, w->nevents);
	tf_put64(trailer + 8, dropped);
	tf_put32(trailer + 16, w->hdrcrc);
	tf_put32(trailer + 20, 0);
	tf_writer_section(w, TF_TAG_TRAILER, trailer, sizeof trailer);
	tf_writer_flush(w);

	w->fd = -1;
	if (w->error == NULL)
		(void)outfile_commit(w->out, &w->error);
	if (w->error != NULL) {
		*cause = w->error;
		w->error = NULL;
		outfile_free(w->out);
		w->out = NULL;
		w->fd = -1;
		w->finished = 1;
		return (-1);
	}
	w->finished = 1;
	return (0);
}

void
tracefile_writer_free(struct tracefile_writer *w)
{
	if (w == NULL)
		return;
	outfile_free(w->out);
	free(w->error);
	free(w->buf);
	free(w->path);
	free(w);
}

int
tracefile_save(const char *path, const struct trace_meta *meta,
    const struct trace_event *ev, size_t nevents, const char *strtab,
    size_t strtab_len, const uint16_t *choices, size_t nchoices,
    uint64_t dropped, char **cause)
{
	struct tracefile_writer	*w;
	int			 rc;

	if ((w = tracefile_writer_create(path, meta, cause)) == NULL)
		return (-1);
	if (tracefile_writer_append(w, ev, nevents, cause) != 0) {
		tracefile_writer_free(w);
		return (-1);
	}
	rc = tracefile_writer_finish(w, strtab, strtab_len, choices, nchoices,
	    dropped, cause);
	tracefile_writer_free(w);
	return (rc);
}

/* ----------------------------------------------------------------- reader */

static int
tf_fail(char **cause, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
tf_fail(char **cause, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	xasprintf(cause, "%s: %s", name, msg != NULL ? msg : "out of memory");
	free(msg);
	return (-1);
}

/* Reads within one section's payload; any read past its end sets bad. */
struct tf_cursor {
	const uint8_t	*p;
	size_t		 len, off;
	int		 bad;
};

static const uint8_t *
tf_take(struct tf_cursor *c, size_t n)
{
	const uint8_t	*at;

	if (c->bad || n > c->len - c->off) {
		c->bad = 1;
		return (NULL);
	}
	at = c->p + c->off;
	c->off += n;
	return (at);
}

static uint32_t
tf_take32(struct tf_cursor *c)
{
	const uint8_t	*p = tf_take(c, 4);

	return (p != NULL ? tf_get32(p) : 0);
}

static uint64_t
tf_take64(struct tf_cursor *c)
{
	const uint8_t	*p = tf_take(c, 8);

	return (p != NULL ? tf_get64(p) : 0);
}

/* A string: NULL stays NULL, embedded NULs are refused (sets bad). */
static char *
tf_take_str(struct tf_cursor *c, int *present)
{
	uint32_t	 len = tf_take32(c);
	const uint8_t	*p;

	*present = 0;
	if (c->bad || len == TF_NO_STRING)
		return (NULL);
	if ((p = tf_take(c, len)) == NULL)
		return (NULL);
	if (memchr(p, '\0', len) != NULL) {
		c->bad = 1;
		return (NULL);
	}
	*present = 1;
	return (xstrndup((const char *)p, len));
}

/* Minimum encoded sizes, to refuse impossible counts before looping. */
#define TF_WORKER_MIN	24
#define TF_OBJECT_MIN	52
#define TF_PEER_SIZE	8
#define TF_EXPECT_MIN	32

/* Writers (reader = 0) or readers of the object just added: at most one
   entry per worker, each a worker index, end -1, 0 or 1. Sets c->bad. */
static void
tf_decode_peers(struct tf_cursor *c, struct trace_meta *meta, uint16_t o,
    int reader)
{
	uint32_t	n, i, w;
	int32_t		end;

	n = tf_take32(c);
	if (c->bad || n > meta->nworkers || n > (c->len - c->off) /
	    TF_PEER_SIZE) {
		c->bad = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		w = tf_take32(c);
		end = (int32_t)tf_take32(c);
		if (c->bad || w >= meta->nworkers || end < -1 || end > 1) {
			c->bad = 1;
			return;
		}
		trace_meta_add_peer(meta, o, reader, (uint16_t)w, end);
	}
}

static int
tf_decode_meta(struct trace_meta *meta, const uint8_t *p, size_t len,
    const char *name, char **cause)
{
	struct tf_cursor		c = { p, len, 0, 0 };
	struct trace_meta_worker	w;
	struct trace_meta_object	o;
	struct trace_meta_expect	e;
	uint32_t			n, i, v;
	int				present;
	char				*s;

	meta->path = tf_take_str(&c, &present);
	meta->source = tf_take_str(&c, &present);
	meta->title = tf_take_str(&c, &present);
	meta->about = tf_take_str(&c, &present);
	if (c.bad)
		goto bad;

	n = tf_take32(&c);
	if (c.bad || n > TRACE_MAX_WORKERS || n > (len - c.off) /
	    TF_WORKER_MIN)
		return (tf_fail(cause, name, "corrupted trace file: bad worker "
		    "count %u", n));
	for (i = 0; i < n; i++) {
		memset(&w, 0, sizeof w);
		s = tf_take_str(&c, &present);
		w.kind = (enum trace_worker_kind)tf_take32(&c);
		w.flags = tf_take32(&c);
		w.copy = (int)tf_take32(&c);
		v = tf_take32(&c);
		w.line = (int)tf_take32(&c);
		if (c.bad || !present || (unsigned)w.kind > TRACE_WORKER_MAIN ||
		    (v != TRACE_NO_OBJECT && v >= TRACE_MAX_OBJECTS)) {
			free(s);
			goto bad;
		}
		w.pool = (uint16_t)v;
		w.name = s;
		trace_meta_add_worker(meta, &w);
		free(s);
	}

	n = tf_take32(&c);
	if (c.bad || n > TRACE_MAX_OBJECTS || n > (len - c.off) /
	    TF_OBJECT_MIN)
		return (tf_fail(cause, name, "corrupted trace file: bad object "
		    "count %u", n));
	for (i = 0; i < n; i++) {
		memset(&o, 0, sizeof o);
		s = tf_take_str(&c, &present);
		o.kind = (enum trace_obj_kind)tf_take32(&c);
		o.flags = tf_take32(&c);
		o.capacity = (int64_t)tf_take64(&c);
		o.initial = (int64_t)tf_take64(&c);
		o.tasks = (int64_t)tf_take64(&c);
		v = tf_take32(&c);
		o.line = (int)tf_take32(&c);
		if (c.bad || !present ||
		    (unsigned)o.kind >= TRACE_OBJ_KIND_COUNT ||
		    (v != TRACE_NO_OBJECT && v >= n)) {
			free(s);
			goto bad;
		}
		o.lock = (uint16_t)v;
		o.name = s;
		v = trace_meta_add_object(meta, &o);
		free(s);
		tf_decode_peers(&c, meta, (uint16_t)v, 0);
		tf_decode_peers(&c, meta, (uint16_t)v, 1);
		if (c.bad)
			goto bad;
	}
	/* Pool indices can only be checked once the objects are known. */
	for (i = 0; i < meta->nworkers; i++) {
		if (meta->workers[i].pool != TRACE_NO_OBJECT &&
		    meta->workers[i].pool >= meta->nobjects)
			goto bad;
	}

	n = tf_take32(&c);
	if (c.bad || n > TF_MAX_EXPECTS || n > (len - c.off) / TF_EXPECT_MIN)
		return (tf_fail(cause, name, "corrupted trace file: bad "
		    "expectation count %u", n));
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof e);
		e.kind = (enum trace_expect_kind)tf_take32(&c);
		e.metric = (enum trace_metric)tf_take32(&c);
		v = tf_take32(&c);
		e.cmp = (enum trace_cmp)tf_take32(&c);
		e.value = (int64_t)tf_take64(&c);
		e.line = (int)tf_take32(&c);
		s = tf_take_str(&c, &present);
		if (c.bad || (unsigned)e.kind >= TRACE_EXPECT_KIND_COUNT ||
		    (unsigned)e.metric >= TRACE_METRIC_COUNT ||
		    (unsigned)e.cmp > TRACE_CMP_GE ||
		    (v != TRACE_NO_OBJECT && v >= meta->nobjects)) {
			free(s);
			goto bad;
		}
		e.object = (uint16_t)v;
		e.text = s;
		trace_meta_add_expect(meta, &e);
		free(s);
	}
	if (c.off != len)
		goto bad;
	return (0);

bad:
	return (tf_fail(cause, name, "corrupted trace file: bad meta section"));
}

/* Whether ev's indices are all usable with meta; returns a reason or NULL.
   The model and the views index arrays with these fields. */
static const char *
tf_check_event(const struct trace_meta *meta, const struct trace_event *ev)
{
	const struct trace_meta_object	*o;

	if (ev->type == TRACE_NONE || ev->type >= TRACE_TYPE_COUNT)
		return ("unknown event type");
	if (ev->type == TRACE_RUN_BEGIN || ev->type == TRACE_RUN_END) {
		if (ev->worker != TRACE_NO_WORKER &&
		    ev->worker >= meta->nworkers)
			return ("bad worker index");
		return (NULL);
	}
	if (ev->worker >= meta->nworkers)
		return ("bad worker index");
	if (trace_event_refers(ev->type) == TRACE_REFERS_WORKER) {
		if (ev->object >= meta->nworkers)
			return ("bad worker index in object field");
		return (NULL);
	}
	if (trace_event_refers(ev->type) == TRACE_REFERS_NOTHING)
		return (NULL);
	if (ev->object >= meta->nobjects)
		return ("bad object index");
	o = &meta->objects[ev->object];
	switch (ev->type) {
	case TRACE_LOCK_OWNER_DIED:
		if (ev->a0 != TRACE_NO_WORKER &&
		    (ev->a0 < 0 || (uint64_t)ev->a0 >= meta->nworkers))
			return ("bad dead owner index");
		break;
	case TRACE_COND_WAIT:
	case TRACE_COND_WOKEN:		/* (a1 of NOTIFY is a count) */
		if (ev->a1 != TRACE_NO_OBJECT && ev->a1 != -1 &&
		    (ev->a1 < 0 || (uint32_t)ev->a1 >= meta->nobjects))
			return ("bad condition lock index");
		break;
	case TRACE_TASK_BEGIN:
		if (o->kind != TRACE_OBJ_POOL || ev->a0 < 0 ||
		    ev->a0 >= o->tasks)
			return ("bad pool task");
		break;
	case TRACE_TASK_END:
		if (o->kind != TRACE_OBJ_POOL || ev->a1 < 0 ||
		    ev->a1 >= o->tasks)
			return ("bad pool task");
		break;
	}
	return (NULL);
}

/* LIMS (see tf_encode_limits): one u32 per peer, no more, no less. */
static int
tf_decode_limits(struct trace_meta *meta, const uint8_t *p, size_t len)
{
	struct trace_meta_object	*o;
	size_t				 i, j, n = 0, off = 0;
	uint32_t			 v;

	for (i = 0; i < meta->nobjects; i++)
		n += meta->objects[i].nwriters + meta->objects[i].nreaders;
	if (len != n * 4)
		return (-1);
	for (i = 0; i < meta->nobjects; i++) {
		o = &meta->objects[i];
		for (j = 0; j < o->nwriters + o->nreaders; j++, off += 4) {
			v = tf_get32(p + off);
			if (v > INT32_MAX)
				return (-1);
			if (j < o->nwriters)
				o->writers[j].limit = (int32_t)v;
			else
				o->readers[j - o->nwriters].limit = (int32_t)v;
		}
	}
	return (0);
}

/* Unmap the whole pages of [from, to) of a mapped file (they are read
   again from the file if touched). */
static void
tf_drop(const uint8_t *from, const uint8_t *to, size_t page)
{
	uintptr_t	a = ((uintptr_t)from + page - 1) / page * page;
	uintptr_t	b = (uintptr_t)to / page * page;

	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
}

/*
 * The events' CRC and every event's indices in one pass, a block at a
 * time (the block's bytes are checked while they are in the cache). A
 * mapped file's pages are dropped behind the pass (MADV_DONTNEED: for a
 * private read-only file mapping that only unmaps them), so checking 10^7
 * events leaves nothing resident. A bad checksum is reported before a bad
 * event, as the section walk would have.
 */
static int
tf_check_events(struct tracefile *tf, uint32_t want, char **cause)
{
	const struct trace_event	*ev = tf->events;
	const uint8_t			*p = (const void *)ev, *drop = p;
	uint64_t			 i, j, n, bad = UINT64_MAX;
	uint32_t			 crc = 0;
	size_t				 page = (size_t)sysconf(_SC_PAGESIZE);
	const char			*why = NULL;

	for (i = 0; i < tf->nevents; i += n) {
		n = tf->nevents - i < TF_CHECK_BLOCK ? tf->nevents - i :
		    TF_CHECK_BLOCK;
		crc = tracefile_crc32(crc, ev + i, (size_t)n * sizeof *ev);
		for (j = i; bad == UINT64_MAX && j < i + n; j++) {
			if ((why = tf_check_event(&tf->meta, &ev[j])) != NULL)
				bad = j;
		}
		if (tf->mapped && (size_t)((const uint8_t *)(ev + i + n) -
		    drop) >= TF_DROP_BYTES) {
			tf_drop(drop, (const uint8_t *)(ev + i + n), page);
			drop = (const uint8_t *)(ev + i + n);
		}
	}
	if (tf->mapped)
		tf_drop(drop, (const uint8_t *)(ev + tf->nevents), page);
	if (crc != want)
		return (tf_fail(cause, tf->name, "corrupted trace file: %s "
		    "section checksum mismatch", TF_TAG_EVENTS));
	if (bad != UINT64_MAX)
		return (tf_fail(cause, tf->name, "corrupted trace file: "
		    "event %llu (%s): %s", (unsigned long long)bad,
		    trace_event_name(ev[bad].type), why));
	return (0);
}

struct tf_section {
	const uint8_t	*p;
	uint64_t	 len;
	uint32_t	 crc;		/* as the section header says */
	int		 seen;
};

static int
tf_parse(struct tracefile *tf, char **cause)
{
	const uint8_t		*b = tf->buf;
	size_t			 len = tf->buflen, off, end, hdrsize;
	const char		*name = tf->name;
	struct tf_section	 meta = { 0 }, events = { 0 }, strs = { 0 };
	struct tf_section	 choi = { 0 }, lims = { 0 };
	struct tf_section	*sec;
	const uint8_t		*trl;
	uint32_t		 version, hdrcrc, crc;
	uint64_t		 slen, nevents, i;
	char			 tag[5];

	if (len == 0)
		return (tf_fail(cause, name, "empty file, not a lockstep trace "
		    "file"));
	if (memcmp(b, TRACEFILE_MAGIC, len < 14 ? len : 14) != 0)
		return (tf_fail(cause, name, "not a lockstep trace file"));
	if (len < TF_HEADER_SIZE)
		return (tf_fail(cause, name, "truncated trace file (%zu bytes, "
		    "the header alone is %d)", len, TF_HEADER_SIZE));
	if (memcmp(b, TRACEFILE_MAGIC, TRACEFILE_MAGIC_LEN) != 0)
		return (tf_fail(cause, name, "not a lockstep trace file"));
	version = tf_get32(b + 16);
	tf->version = version;
	if (version > TRACEFILE_VERSION)
		return (tf_fail(cause, name, "trace file version %u is newer "
		    "than this lockstep (%u)", version, TRACEFILE_VERSION));
	if (version == 1)
		return (tf_fail(cause, name, "trace file version 1 is not "
		    "supported by this lockstep (%u): it lacks the channels' "
		    "writers and readers; record the scenario again",
		    TRACEFILE_VERSION));
	if (version < TRACEFILE_VERSION)
		return (tf_fail(cause, name, "trace file version %u is not "
		    "supported by this lockstep (%u)", version,
		    TRACEFILE_VERSION));
	if (tf_get32(b + 20) != TF_BYTE_ORDER)
		return (tf_fail(cause, name, "corrupted trace file: bad "
		    "byte-order marker"));
	hdrsize = tf_get32(b + 24);
	if (hdrsize < TF_HEADER_SIZE || hdrsize % 8 != 0 || hdrsize > len)
		return (tf_fail(cause, name, "corrupted trace file: bad "
		    "header size %zu", hdrsize));
	if (tf_get16(b + 28) != sizeof(struct trace_event) ||
	    tf_get16(b + 30) != TRACE_EVENT_VERSION)
		return (tf_fail(cause, name, "trace file events are version "
		    "%u (%u bytes), this lockstep reads version %u (%zu bytes)",
		    tf_get16(b + 30), tf_get16(b + 28), TRACE_EVENT_VERSION,
		    sizeof(struct trace_event)));
	hdrcrc = tracefile_crc32(0, b, hdrsize);

	/* The trailer ends the file; without it the recording was cut. */
	if (len - hdrsize < TF_SECTION_SIZE + TF_TRAILER_SIZE ||
	    (len - hdrsize) % 8 != 0)
		return (tf_fail(cause, name, "truncated trace file (%zu bytes, "
		    "no trailer)", len));
	trl = b + len - TF_SECTION_SIZE - TF_TRAILER_SIZE;
	if (memcmp(trl, TF_TAG_TRAILER, 4) != 0 ||
	    tf_get64(trl + 8) != TF_TRAILER_SIZE)
		return (tf_fail(cause, name, "truncated trace file (%zu bytes, "
		    "no trailer)", len));
	if (tracefile_crc32(0, trl + TF_SECTION_SIZE, TF_TRAILER_SIZE) !=
	    tf_get32(trl + 4))
		return (tf_fail(cause, name, "corrupted trace file: trailer "
		    "checksum mismatch"));
	end = len - TF_SECTION_SIZE - TF_TRAILER_SIZE;

	/* Walk the sections between the header and the trailer. */
	for (off = hdrsize; off < end; off += (size_t)slen) {
		if (end - off < TF_SECTION_SIZE)
			return (tf_fail(cause, name, "corrupted trace file: "
			    "section header at offset %zu is cut", off));
		memcpy(tag, b + off, 4);
		tag[4] = '\0';
		slen = tf_get64(b + off + 8);
		hdrcrc = tracefile_crc32(hdrcrc, b + off, TF_SECTION_SIZE);
		off += TF_SECTION_SIZE;
		if (slen > end - off)
			return (tf_fail(cause, name, "corrupted trace file: "
			    "section at offset %zu is longer than the file",
			    off - TF_SECTION_SIZE));
		/* The events' CRC is taken in the pass that checks them. */
		if (memcmp(tag, TF_TAG_EVENTS, 4) != 0 &&
		    tracefile_crc32(0, b + off, (size_t)slen) !=
		    tf_get32(b + off - TF_SECTION_SIZE + 4)) {
			if (memcmp(tag, TF_TAG_META, 4) == 0 ||
			    memcmp(tag, TF_TAG_EVENTS, 4) == 0 ||
			    memcmp(tag, TF_TAG_STRINGS, 4) == 0 ||
			    memcmp(tag, TF_TAG_CHOICES, 4) == 0)
				return (tf_fail(cause, name, "corrupted trace "
				    "file: %s section checksum mismatch", tag));
			return (tf_fail(cause, name, "corrupted trace file: "
			    "section checksum mismatch at offset %zu",
			    off - TF_SECTION_SIZE));
		}
		if (memcmp(tag, TF_TAG_META, 4) == 0)
			sec = &meta;
		else if (memcmp(tag, TF_TAG_EVENTS, 4) == 0)
			sec = &events;
		else if (memcmp(tag, TF_TAG_STRINGS, 4) == 0)
			sec = &strs;
		else if (memcmp(tag, TF_TAG_CHOICES, 4) == 0)
			sec = &choi;
		else if (memcmp(tag, TF_TAG_LIMITS, 4) == 0)
			sec = &lims;
		else
			sec = NULL;	/* unknown: skipped, see the doc */
		if (sec != NULL) {
			if (sec->seen)
				return (tf_fail(cause, name, "corrupted trace "
				    "file: two %s sections", tag));
			sec->seen = 1;
			sec->p = b + off;
			sec->len = slen;
			sec->crc = tf_get32(b + off - TF_SECTION_SIZE + 4);
		}
		/* Padding must be there and be zero. */
		while (slen % 8 != 0) {
			if (off + slen >= end || b[off + slen] != 0)
				return (tf_fail(cause, name, "corrupted trace "
				    "file: bad section padding"));
			slen++;
		}
	}
	nevents = tf_get64(trl + TF_SECTION_SIZE);
	tf->dropped = tf_get64(trl + TF_SECTION_SIZE + 8);
	crc = tf_get32(trl + TF_SECTION_SIZE + 16);
	if (crc != hdrcrc)
		return (tf_fail(cause, name, "corrupted trace file: header "
		    "checksum mismatch"));
	if (!meta.seen)
		return (tf_fail(cause, name, "corrupted trace file: no meta "
		    "section"));
	if (!events.seen)
		return (tf_fail(cause, name, "corrupted trace file: no events "
		    "section"));
	if (events.len % sizeof(struct trace_event) != 0 ||
	    events.len / sizeof(struct trace_event) != nevents)
		return (tf_fail(cause, name, "corrupted trace file: the "
		    "trailer counts %llu events, the events section holds "
		    "%llu bytes", (unsigned long long)nevents,
		    (unsigned long long)events.len));
	if (choi.len % 2 != 0)
		return (tf_fail(cause, name, "corrupted trace file: odd "
		    "choices section"));

	if (tf_decode_meta(&tf->meta, meta.p, (size_t)meta.len, name,
	    cause) != 0)
		return (-1);
	if (lims.seen && tf_decode_limits(&tf->meta, lims.p,
	    (size_t)lims.len) != 0)
		return (tf_fail(cause, name, "corrupted trace file: the "
		    "limits section does not match the peers"));

	/* Events: in place (the section is 8-aligned in an aligned buffer). */
#if !TF_HOST_LE
	for (i = 0; i < nevents; i++) {
		struct trace_event	ev;

		tf_event_decode(&ev, events.p + i * sizeof ev);
		memcpy((uint8_t *)events.p + i * sizeof ev, &ev, sizeof ev);
	}
#endif
	tf->events = (const struct trace_event *)(const void *)events.p;
	tf->nevents = nevents;
	if (tf_check_events(tf, events.crc, cause) != 0)
		return (-1);

	if (strs.len > 0) {
		tf->strtab = (const char *)strs.p;
		tf->strtab_len = (size_t)strs.len;
	}
	tf->nchoices = (size_t)choi.len / 2;
	if (tf->nchoices > 0) {
		tf->choices = xreallocarray(NULL, tf->nchoices,
		    sizeof *tf->choices);
		for (i = 0; i < tf->nchoices; i++) {
			tf->choices[i] = tf_get16(choi.p + i * 2);
			if (tf->choices[i] >= tf->meta.nworkers)
				return (tf_fail(cause, name, "corrupted trace "
				    "file: step choice %llu names worker %u of "
				    "%zu", (unsigned long long)i,
				    tf->choices[i], tf->meta.nworkers));
		}
	}
	return (0);
}

/* Take ownership of buf (malloc'd, so aligned for the events). */
static struct tracefile *
tf_from_buffer(void *buf, size_t len, const char *name, char **cause)
{
	struct tracefile	*tf;

	tf = xcalloc(1, sizeof *tf);
	tf->name = xstrdup(name);
	tf->buf = buf;
	tf->buflen = len;
	trace_meta_init(&tf->meta);
	if (tf_parse(tf, cause) != 0) {
		tracefile_free(tf);
		return (NULL);
	}
	return (tf);
}

struct tracefile *
tracefile_read_mem(const void *data, size_t len, const char *name,
    char **cause)
{
	void	*buf;

	buf = xmalloc(len);
	if (len > 0)
		memcpy(buf, data, len);
	return (tf_from_buffer(buf, len, name != NULL ? name : "(memory)",
	    cause));
}

/* Open path for reading only if it is a regular file: opened without
   blocking (a FIFO with no writer, a terminal) and checked with fstat
   before anything is read. -1 with "PATH: message". */
static int
tf_open_regular(const char *path, struct stat *st, char **cause)
{
	int	fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, st) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (!S_ISREG(st->st_mode)) {
		if (S_ISDIR(st->st_mode))
			xasprintf(cause, "%s: is a directory", path);
		else if (S_ISFIFO(st->st_mode))
			xasprintf(cause, "%s: is a FIFO, not a regular file",
			    path);
		else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
			xasprintf(cause, "%s: is a device, not a regular file",
			    path);
		else
			xasprintf(cause, "%s: not a regular file", path);
		close(fd);
		return (-1);
	}
	return (fd);
}

/*
 * The whole file is read into memory, never mapped: a mapping faults
 * (SIGBUS) when the file shrinks under it, and a trace can be truncated
 * or rewritten while an export reads it. The loop is bounded by the size
 * fstat gave; a file that shrank is parsed as it is (truncated: refused
 * with a message), bytes added meanwhile are not read.
 */
struct tracefile *
tracefile_read(const char *path, char **cause)
{
	struct stat	 st;
	uint8_t		*buf;
	size_t		 len, got;
	ssize_t		 n;
	int		 fd;

	if ((fd = tf_open_regular(path, &st, cause)) == -1)
		return (NULL);
	if ((uint64_t)st.st_size > SIZE_MAX / 2) {
		xasprintf(cause, "%s: too large", path);
		close(fd);
		return (NULL);
	}
	len = (size_t)st.st_size;
	buf = xmalloc(len > 0 ? len : 1);
	for (got = 0; got < len; got += (size_t)n) {
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return (NULL);
		}
		if (n == 0)
			break;	/* shrank under us: parse what is there */
	}
	close(fd);
	return (tf_from_buffer(buf, got, path, cause));
}

/*
 * Mapped files (tracefile_map). A mapping faults with SIGBUS where its
 * file has shrunk under it (cut or rewritten while a replay shows it).
 * While any file is mapped, a SIGBUS handler maps zero pages over the
 * rest of the mapping that faulted and marks it: the access that faulted
 * then reads zeros (events of type 0, which the model ignores and the
 * views skip), nothing crashes, and tracefile_shrank() says so. A SIGBUS
 * anywhere else gets the previous action back and faults again into it.
 * The slots are the front end's, one thread: mapping and freeing are not
 * made safe against each other from several threads.
 */
static struct {
	uint8_t			*p;
	size_t			 len;
	volatile sig_atomic_t	 shrank;
} tf_maps[TF_MAPS];
static int		tf_nmaps;
static size_t		tf_page;
static struct sigaction	tf_old_bus;

static void
tf_sigbus(int sig, siginfo_t *si, void *uc)
{
	uint8_t		*a = si->si_addr, *start;
	size_t		 i;

	(void)sig;
	(void)uc;
	for (i = 0; i < TF_MAPS; i++) {
		if (tf_maps[i].p == NULL || a < tf_maps[i].p ||
		    a >= tf_maps[i].p + tf_maps[i].len)
			continue;
		start = tf_maps[i].p + (size_t)(a - tf_maps[i].p) / tf_page *
		    tf_page;
		if (mmap(start, (size_t)(tf_maps[i].p + tf_maps[i].len - start),
		    PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		    0) == MAP_FAILED)
			break;
		tf_maps[i].shrank = 1;
		return;
	}
	sigaction(SIGBUS, &tf_old_bus, NULL);
}

/* A slot for a new mapping (the handler goes in with the first), or -1. */
static int
tf_map_register(uint8_t *p, size_t len)
{
	struct sigaction	sa;
	int			i;

	for (i = 0; i < TF_MAPS && tf_maps[i].p != NULL; i++)
		;
	if (i == TF_MAPS)
		return (-1);
	if (tf_nmaps++ == 0) {
		tf_page = (size_t)sysconf(_SC_PAGESIZE);
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = tf_sigbus;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, &tf_old_bus);
	}
	tf_maps[i].len = len;
	tf_maps[i].shrank = 0;
	tf_maps[i].p = p;
	return (i);
}

static void
tf_map_unregister(int slot)
{
	tf_maps[slot].p = NULL;
	if (--tf_nmaps == 0)
		sigaction(SIGBUS, &tf_old_bus, NULL);
}

/*
 * Map a trace file instead of reading it (replay): the same checks, made
 * in one streaming pass over the mapping with its pages dropped behind,
 * so that opening 10^7 events costs a pass over the page cache and leaves
 * next to nothing resident; the events are then used in place. Where a
 * mapping cannot be made (an empty file, no slot, a big-endian host that
 * must convert the events) it reads the file as tracefile_read does.
 */
struct tracefile *
tracefile_map(const char *path, char **cause)
{
#if TF_HOST_LE
	struct tracefile	*tf;
	struct stat		 st;
	void			*p;
	size_t			 len;
	int			 fd, slot;

	if ((fd = tf_open_regular(path, &st, cause)) == -1)
		return (NULL);
	len = (size_t)st.st_size;
	if (st.st_size == 0 || (uint64_t)st.st_size > SIZE_MAX / 2 ||
	    (p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)) ==
	    MAP_FAILED) {
		close(fd);
		return (tracefile_read(path, cause));
	}
	close(fd);
	if ((slot = tf_map_register(p, len)) == -1) {
		munmap(p, len);
		return (tracefile_read(path, cause));
	}
	tf = xcalloc(1, sizeof *tf);
	tf->name = xstrdup(path);
	tf->buf = p;
	tf->buflen = len;
	tf->mapped = 1;
	tf->slot = slot;
	trace_meta_init(&tf->meta);
	if (tf_parse(tf, cause) != 0 || tracefile_shrank(tf)) {
		if (tracefile_shrank(tf)) {
			free(*cause);
			xasprintf(cause, "%s: the file shrank while it was "
			    "read", path);
		}
		tracefile_free(tf);
		return (NULL);
	}
	return (tf);
#else
	return (tracefile_read(path, cause));
#endif
}

int
tracefile_shrank(const struct tracefile *tf)
{
	return (tf->mapped && tf_maps[tf->slot].shrank);
}

/* Drop the pages of events [first, first + n) of a mapped file from
   memory (read again from the file when touched); nothing otherwise. */
void
tracefile_drop(const struct tracefile *tf, uint64_t first, uint64_t n)
{
	if (!tf->mapped || tf_page == 0 || first >= tf->nevents)
		return;
	if (n > tf->nevents - first)
		n = tf->nevents - first;
	tf_drop((const uint8_t *)(tf->events + first),
	    (const uint8_t *)(tf->events + first + n), tf_page);
}

void
tracefile_free(struct tracefile *tf)
{
	if (tf == NULL)
		return;
	trace_meta_done(&tf->meta);
	free(tf->choices);
	if (tf->mapped) {
		munmap(tf->buf, tf->buflen);
		tf_map_unregister(tf->slot);
	} else
		free(tf->buf);
	free(tf->name);
	free(tf);
}

const char *
tracefile_string(const struct tracefile *tf, int64_t offset)
{
	if (tf->strtab == NULL || offset < 0 ||
	    (uint64_t)offset >= tf->strtab_len)
		return (NULL);
	if (memchr(tf->strtab + offset, '\0', tf->strtab_len -
	    (size_t)offset) == NULL)
		return (NULL);
	return (tf->strtab + offset);
}

int
tracefile_probe(const char *path)
{
	struct stat	 st;
	char		 buf[TRACEFILE_MAGIC_LEN], *cause = NULL;
	ssize_t		 n;
	int		 fd;

	if ((fd = tf_open_regular(path, &st, &cause)) == -1) {
		free(cause);
		return (-1);
	}
	n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0)
		return (-1);
	return (n == (ssize_t)sizeof buf &&
	    memcmp(buf, TRACEFILE_MAGIC, sizeof buf) == 0);
}

/* A text schedule: worker names or indices, one per line; '#' starts a
   comment. */
static int
tracefile_text_schedule(const char *path, const struct trace_meta *meta,
    uint16_t **out, size_t *n, char **cause)
{
	struct stat	 st;
	FILE		*f;
	char		 line[512], *p, *end;
	long		 v;
	int		 w, fd, lineno = 0;

	if ((fd = tf_open_regular(path, &st, cause)) == -1)
		return (-1);
	if ((f = fdopen(fd, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	/* A regular file: fgets ends at its end (no spin on a device). */
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; isspace((unsigned char)*p); p++)
			;
		for (end = p + strlen(p); end > p &&
		    isspace((unsigned char)end[-1]); end--)
			;
		*end = '\0';
		if (*p == '\0')
			continue;
		if ((w = trace_meta_find_worker(meta, p)) < 0) {
			errno = 0;
			v = strtol(p, &end, 10);
			if (errno == 0 && *end == '\0' && v >= 0 &&
			    (size_t)v < meta->nworkers)
				w = (int)v;
		}
		if (w < 0) {
			xasprintf(cause, "%s:%d: unknown worker '%s'", path,
			    lineno, p);
			fclose(f);
			free(*out);
			*out = NULL;
			*n = 0;
			return (-1);
		}
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = (uint16_t)w;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		fclose(f);
		free(*out);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	fclose(f);
	if (*n == 0) {
		xasprintf(cause, "%s: an empty schedule (no worker names or "
		    "indices, one per line)", path);
		return (-1);
	}
	return (0);
}

int
tracefile_read_schedule(const char *path, const struct trace_meta *meta,
    uint16_t **choices, size_t *n, char **cause)
{
	struct tracefile	*tf;
	size_t			 i;

	*choices = NULL;
	*n = 0;
	if (tracefile_probe(path) == 0 && meta != NULL)
		return (tracefile_text_schedule(path, meta, choices, n, cause));
	if ((tf = tracefile_read(path, cause)) == NULL)
		return (-1);
	if (tf->nchoices == 0) {
		xasprintf(cause, "%s: the recording has no step choices (it "
		    "was not run in step mode): an empty schedule", path);
		tracefile_free(tf);
		return (-1);
	}
	if (meta != NULL && tf->meta.nworkers != meta->nworkers) {
		xasprintf(cause, "%s: recorded with %zu workers, this scenario "
		    "has %zu", path, tf->meta.nworkers, meta->nworkers);
		tracefile_free(tf);
		return (-1);
	}
	for (i = 0; meta != NULL && i < meta->nworkers; i++) {
		if (strcmp(tf->meta.workers[i].name, meta->workers[i].name) !=
		    0) {
			xasprintf(cause, "%s: recorded with other workers "
			    "(worker %zu is '%s' there, '%s' here)", path, i,
			    tf->meta.workers[i].name, meta->workers[i].name);
			tracefile_free(tf);
			return (-1);
		}
	}
	*choices = tf->choices;
	*n = tf->nchoices;
	tf->choices = NULL;
	tracefile_free(tf);
	return (0);
}
