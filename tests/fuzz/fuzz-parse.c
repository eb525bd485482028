/*
 * tests/fuzz/fuzz-parse.c: libFuzzer entry point for the scenario parser.
 *
 * Feeds arbitrary bytes through the whole front half of lockstep: byte
 * checks, lexer, parser, validator, and (for input that is valid) the
 * meta builder and the source-line lookup, printing diagnostics into a
 * memory stream so the printer is exercised too. Everything is freed, so
 * LeakSanitizer finds any leak. Built with clang -fsanitize=fuzzer when
 * configured with --enable-fuzz; tests/fuzz/replay.c runs the same
 * function over the seed corpus in make check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenario/ast.h"
#include "trace/meta.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scn_diags	 diags = { NULL, 0, NULL };
	struct scn_file		*f;
	struct trace_meta	 meta;
	FILE			*out;
	char			*buf = NULL;
	size_t			 len = 0, i, n;

	f = scenario_load_text("fuzz.scn", (const char *)data, size, &diags);
	if (f != NULL) {
		scenario_meta_build(f, &meta);
		for (i = 0; i < meta.nworkers; i++)
			(void)scenario_worker_body(f, &meta, (uint16_t)i, NULL);
		for (i = 0; i < f->nworkers; i++)
			(void)scenario_worker_first(f, (int)i);
		for (i = 0; i <= (size_t)f->nlines + 1; i++)
			(void)scenario_line(f, (int)i, &n);
		trace_meta_done(&meta);
		scenario_free(f);
	} else if ((out = open_memstream(&buf, &len)) != NULL) {
		scenario_diags_print(&diags, "fuzz.scn", NULL, out);
		fclose(out);
		free(buf);
	}
	scenario_diags_done(&diags);
	return (0);
}
