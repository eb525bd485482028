/*
 * cli/export-cmd.c: `lockstep export` (a trace file in another tool's
 * format). Recording is `lockstep run -o` / `lockstep record`, in
 * cli/run-cmd.c.
 *
 *   lockstep export RUN.lst --format chrome|dot|jsonl [-o OUT] [--at N]
 *
 * The trace is read and checked whole first (a bad file is exit 2 with
 * "FILE: message" and nothing written). Without -o (or with -o -) the
 * output goes to standard output; with -o it is written as outfile.h
 * says (an unnamed file linked into place when complete, so a failed or
 * killed export never leaves half a file nor a temporary one; a symlink
 * refused; a device or FIFO written through). Without
 * --format the format is taken from OUT's extension (.json, .dot / .gv,
 * .jsonl).
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "export/export.h"
#include "export/outfile.h"
#include "export/tracefile.h"
#include "util/esc.h"
#include "util/xmalloc.h"

enum export_format {
	EXPORT_NONE,
	EXPORT_CHROME,
	EXPORT_DOT,
	EXPORT_JSONL
};

static void
export_usage(FILE *f)
{
	fprintf(f,
"Usage: lockstep export TRACE --format FORMAT [-o OUT] [--at N]\n"
"Write a recorded run (lockstep record) in another tool's format.\n"
"\n"
"Formats:\n"
"  chrome   Chrome Trace Event JSON: open it in Perfetto UI or\n"
"           chrome://tracing (a track per worker, blocked intervals,\n"
"           arrows from a release to the acquire it allowed, detections)\n"
"  dot      the wait-for graph after the run (or after N events) for\n"
"           Graphviz: dot -Tsvg OUT -o graph.svg; the cycle in red\n"
"  jsonl    one JSON object per event, for scripts (jq, python)\n"
"\n"
"Options:\n"
"  -f, --format FORMAT  chrome, dot or jsonl (default: from OUT's\n"
"                       extension: .json, .dot or .gv, .jsonl)\n"
"  -o, --output OUT     write to OUT instead of standard output\n"
"      --at N           dot: the graph after the first N events\n"
"  -h, --help           show this help and exit\n"
"\n"
"OUT: a new file is created with mode 0666 & ~umask, an existing file is\n"
"replaced whole and keeps its mode; nothing is left under a temporary name,\n"
"whatever signal ends the export. A device or FIFO (/dev/null, a terminal,\n"
"/dev/stdout on a pipe) is written through, never replaced; any other\n"
"symbolic link is refused (-o - writes to standard output).\n"
"\n"
"Exit status: 0 written, 2 usage error or invalid trace file, 3 the\n"
"output could not be written.\n");
}

/* "lockstep: CAUSE", escaped: it names files (util/esc.h). */
static void
export_cause(const char *cause)
{
	fputs("lockstep: ", stderr);
	esc_fputs(cause, stderr);
	fputc('\n', stderr);
}

static enum export_format
export_format_from(const char *s)
{
	if (strcmp(s, "chrome") == 0 || strcmp(s, "json") == 0)
		return (EXPORT_CHROME);
	if (strcmp(s, "dot") == 0 || strcmp(s, "graphviz") == 0)
		return (EXPORT_DOT);
	if (strcmp(s, "jsonl") == 0)
		return (EXPORT_JSONL);
	return (EXPORT_NONE);
}

static enum export_format
export_format_of_path(const char *path)
{
	const char	*dot = strrchr(path, '.');

	if (dot == NULL)
		return (EXPORT_NONE);
	if (strcmp(dot, ".json") == 0)
		return (EXPORT_CHROME);
	if (strcmp(dot, ".dot") == 0 || strcmp(dot, ".gv") == 0)
		return (EXPORT_DOT);
	if (strcmp(dot, ".jsonl") == 0)
		return (EXPORT_JSONL);
	return (EXPORT_NONE);
}

/* Parse N of --at: a non-negative decimal integer. */
static int
export_parse_at(const char *s, uint64_t *at)
{
	char		*end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return (-1);
	*at = v;
	return (0);
}

int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum export_format	 format = EXPORT_NONE;
	struct tracefile	*tf;
	const char		*output = NULL;
	struct outfile		*of = NULL;
	char			*cause = NULL;
	uint64_t		 at = EXPORT_AT_END;
	int			 ch, rc, fd, have_at = 0;
	FILE			*out;

	while ((ch = getopt_long(argc, argv, "f:o:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			if ((format = export_format_from(optarg)) ==
			    EXPORT_NONE) {
				fprintf(stderr, "lockstep export: unknown "
				    "format '%s' (chrome, dot or jsonl)\n",
				    optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'a':
			if (export_parse_at(optarg, &at) != 0) {
				fprintf(stderr, "lockstep export: --at: not an "
				    "event count: '%s'\n", optarg);
				return (EXIT_USAGE);
			}
			have_at = 1;
			break;
		case 'h':
			export_usage(stdout);
			return (0);
		default:
			cmd_try_help("export");
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		fprintf(stderr, "lockstep export: %s\n", argc == 0 ?
		    "which trace file?" : "one trace file at a time");
		export_usage(stderr);
		return (EXIT_USAGE);
	}
	if (output != NULL && strcmp(output, "-") == 0)
		output = NULL;
	if (format == EXPORT_NONE && output != NULL)
		format = export_format_of_path(output);
	if (format == EXPORT_NONE) {
		fprintf(stderr, "lockstep export: --format chrome, dot or "
		    "jsonl is needed\n");
		return (EXIT_USAGE);
	}
	if (have_at && format != EXPORT_DOT) {
		fprintf(stderr, "lockstep export: --at applies to --format "
		    "dot only\n");
		return (EXIT_USAGE);
	}

	if ((tf = tracefile_read(argv[0], &cause)) == NULL) {
		export_cause(cause);
		free(cause);
		return (EXIT_USAGE);
	}
	if (format == EXPORT_DOT && at != EXPORT_AT_END && at > tf->nevents) {
		fprintf(stderr, "lockstep: %s: --at %" PRIu64 ": the trace has "
		    "%" PRIu64 " events\n", argv[0], at, tf->nevents);
		tracefile_free(tf);
		return (EXIT_USAGE);
	}

	if (output == NULL)
		out = stdout;
	else {
		if ((of = outfile_open(output, 0, &cause)) == NULL) {
			export_cause(cause);
			free(cause);
			tracefile_free(tf);
			return (EXIT_RUNTIME);
		}
		if ((fd = dup(outfile_fd(of))) == -1 ||
		    (out = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "lockstep: %s: %s\n", output,
			    strerror(errno));
			if (fd != -1)
				close(fd);
			outfile_free(of);
			tracefile_free(tf);
			return (EXIT_RUNTIME);
		}
	}

	switch (format) {
	case EXPORT_CHROME:
		rc = export_chrome(out, tf, &cause);
		break;
	case EXPORT_DOT:
		rc = export_dot(out, tf, at, &cause);
		break;
	default:
		rc = export_jsonl(out, tf, &cause);
		break;
	}
	tracefile_free(tf);
	if (rc != 0) {
		export_cause(cause);
		free(cause);
	}

	if (fflush(out) != 0 || ferror(out)) {
		if (rc == 0)
			fprintf(stderr, "lockstep: %s: %s\n", output != NULL ?
			    output : "standard output", strerror(errno));
		rc = -1;
	}
	if (out != stdout) {
		if (fclose(out) != 0 && rc == 0) {
			fprintf(stderr, "lockstep: %s: %s\n", output,
			    strerror(errno));
			rc = -1;
		}
		if (rc == 0 && outfile_commit(of, &cause) != 0) {
			export_cause(cause);
			free(cause);
			rc = -1;
		}
		outfile_free(of);
	}
	return (rc == 0 ? 0 : EXIT_RUNTIME);
}
