/*
 * tests/fuzz/fuzz-trace.c: fuzz the trace file reader (and what reads its
 * output: the model and the three exporters).
 *
 * Built two ways from this one file:
 *   - with libFuzzer (./configure --enable-fuzz CC=clang, see
 *     doc/trace-format.md): LLVMFuzzerTestOneInput only; run as
 *       tests/fuzz/fuzz-trace -max_total_time=300 CORPUS_DIR \
 *           $(srcdir)/tests/fuzz/trace-corpus
 *   - as a plain program run by make check (tests/fuzz/fuzz-trace-replay):
 *     main() feeds every file of the seed corpus (or the files and
 *     directories given as arguments) through the same function, so each
 *     input the fuzzer ever found interesting stays a regression test.
 *
 * Every input is read twice: as it is, and with its checksums recomputed
 * (fix_checksums below walks the sections as the reader does and patches
 * each payload CRC and the trailer's header CRC). Without the second pass
 * almost every mutation would stop at a checksum mismatch and the fuzzer
 * would never reach the meta decoder, the event checks, the model or the
 * exporters. An input the reader accepts is exported in every format to
 * /dev/null (which applies it to the model): the reader promises that an
 * accepted file is safe to use, and this checks the promise.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export/export.h"
#include "export/tracefile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint64_t
get64(const uint8_t *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return (v);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Recompute every CRC of a (maybe malformed) file in place, following the
   layout of doc/trace-format.md; stops quietly where it stops making
   sense. */
static void
fix_checksums(uint8_t *b, size_t len)
{
	size_t		off, hdrsize;
	uint64_t	slen;
	uint32_t	hdrcrc;

	if (len < 40)
		return;
	hdrsize = (size_t)b[24] | (size_t)b[25] << 8 | (size_t)b[26] << 16 |
	    (size_t)b[27] << 24;
	if (hdrsize < 40 || hdrsize > len)
		return;
	hdrcrc = tracefile_crc32(0, b, hdrsize);
	for (off = hdrsize; len - off >= 16; ) {
		slen = get64(b + off + 8);
		if (slen > len - off - 16)
			return;
		if (memcmp(b + off, "TRLR", 4) == 0 && slen == 24 &&
		    off + 40 == len) {
			put32(b + off + 16 + 16, hdrcrc);
			put32(b + off + 4, tracefile_crc32(0, b + off + 16, 24));
			return;
		}
		put32(b + off + 4, tracefile_crc32(0, b + off + 16,
		    (size_t)slen));
		hdrcrc = tracefile_crc32(hdrcrc, b + off, 16);
		off += 16 + (size_t)slen;
		if (slen % 8 != 0)
			off += 8 - slen % 8;
		if (off > len)
			return;
	}
}

static void
try_input(const uint8_t *data, size_t size)
{
	static FILE		*null;
	struct tracefile	*tf;
	char			*cause = NULL;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	tf = tracefile_read_mem(data, size, "fuzz", &cause);
	if (tf == NULL) {
		if (cause == NULL || strncmp(cause, "fuzz: ", 6) != 0)
			abort();	/* every refusal says why */
		free(cause);
		return;
	}
	export_jsonl(null, tf, &cause);
	export_chrome(null, tf, &cause);
	if (export_dot(null, tf, tf->nevents / 2, &cause) != 0)
		abort();
	if (export_dot(null, tf, EXPORT_AT_END, &cause) != 0)
		abort();
	tracefile_free(tf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*fixed;

	try_input(data, size);
	if (size >= 40 && (fixed = malloc(size)) != NULL) {
		memcpy(fixed, data, size);
		fix_checksums(fixed, size);
		if (memcmp(fixed, data, size) != 0)
			try_input(fixed, size);
		free(fixed);
	}
	return (0);
}

#ifndef LOCKSTEP_LIBFUZZER
static int
replay_file(const char *path)
{
	FILE	*f;
	uint8_t	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return (-1);
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		fclose(f);
		free(buf);
		return (-1);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return (0);
}

/* Feed a file, or every file in a directory. Returns inputs fed, or -1. */
static int
replay_path(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 sub[4096];
	int		 n = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return (-1);
	}
	if (!S_ISDIR(st.st_mode))
		return (replay_file(path) == 0 ? 1 : -1);
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
		if (replay_file(sub) != 0) {
			closedir(d);
			return (-1);
		}
		n++;
	}
	closedir(d);
	return (n);
}

int
main(int argc, char **argv)
{
	const char	*srcdir = getenv("SRCDIR");
	char		 dflt[4096];
	int		 i, n, total = 0;

	if (argc < 2) {
		snprintf(dflt, sizeof dflt, "%s/tests/fuzz/trace-corpus",
		    srcdir != NULL ? srcdir : ".");
		n = replay_path(dflt);
		if (n <= 0) {
			fprintf(stderr, "fuzz-trace: no corpus in %s\n", dflt);
			return (1);
		}
		total = n;
	} else {
		for (i = 1; i < argc; i++) {
			if ((n = replay_path(argv[i])) < 0)
				return (1);
			total += n;
		}
	}
	printf("fuzz-trace: %d inputs replayed, no crash\n", total);
	return (0);
}
#endif
