/*
 * export/export-cmd.c: `lockstep record` (run headless and save the trace)
 * and `lockstep export` (a trace file in another tool's format).
 *
 *   lockstep record FILE.scn -o RUN.lst [run options]
 *
 * record is `lockstep run --headless` (runtime/headless.h) with the trace
 * writer on its per-batch event callback: the front end appends each batch
 * it has just read and applied, so workers pay nothing for recording. At
 * the end the run's string table and step choices are added and the file
 * renamed into place; the summary and exit status are those of `run`. A
 * signal during the run removes the half-written temporary file.
 *
 *   lockstep export RUN.lst --format chrome|dot|jsonl [-o OUT] [--at N]
 *
 * The trace is read and checked whole first (a bad file is exit 2 with
 * "FILE: message" and nothing written). Without -o (or with -o -) the
 * output goes to standard output; with -o it is written to a temporary
 * name and renamed, so a failed export never leaves half a file. Without
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

#include <signal.h>

#include "cmd.h"
#include "export/export.h"
#include "export/tracefile.h"
#include "runtime/headless.h"
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
"Exit status: 0 written, 2 usage error or invalid trace file, 3 the\n"
"output could not be written.\n");
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
	char			*cause = NULL, *tmp = NULL;
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
			export_usage(stderr);
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
		fprintf(stderr, "lockstep: %s\n", cause);
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
		xasprintf(&tmp, "%s.tmpXXXXXX", output);
		if ((fd = mkstemp(tmp)) == -1 ||
		    (out = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "lockstep: %s: %s\n", output,
			    strerror(errno));
			if (fd != -1) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			tracefile_free(tf);
			return (EXIT_RUNTIME);
		}
		(void)fchmod(fd, 0644);
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
		fprintf(stderr, "lockstep: %s\n", cause);
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
		if (rc == 0 && rename(tmp, output) != 0) {
			fprintf(stderr, "lockstep: %s: %s\n", output,
			    strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			unlink(tmp);
		free(tmp);
	}
	return (rc == 0 ? 0 : EXIT_RUNTIME);
}

/* ----------------------------------------------------------------- record */

struct record_state {
	struct tracefile_writer	*w;
	const struct trace_meta	*meta;
	int			 live;		/* echo prints as they come */
	int			 failed;
};

/* The temporary file, for the signal handler (set while recording). */
static char	record_tmp[4096];

static void
record_on_signal(int sig)
{
	if (record_tmp[0] != '\0')
		unlink(record_tmp);
	run_stop_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
record_signals(void (*handler)(int))
{
	static const int	sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
record_usage(FILE *f)
{
	fprintf(f,
"Usage: lockstep record FILE.scn -o TRACE [--json] [--tempo MS]\n"
"                       [--timeout S] [--seed N] [--schedule FILE]\n"
"                       [--lossy] [-q]\n"
"Run a scenario without a UI, as `lockstep run` does, and save the run as a\n"
"trace file for `lockstep replay`, `lockstep export` and\n"
"`lockstep run --schedule`.\n"
"\n"
"  -o, --output TRACE  where to save it (written under a temporary name\n"
"                      and renamed when complete)\n"
"      --json          print the summary as one JSON object\n"
"      --tempo MS      delay per statement (default 0: full speed)\n"
"      --timeout S     give up after S seconds (default 30; 0 = never)\n"
"      --seed N        step mode: one statement at a time, chosen by a PRNG\n"
"                      seeded with N; the choices are saved\n"
"      --schedule FILE step mode replaying FILE: a trace file's saved\n"
"                      choices, or worker names, one per line\n"
"      --lossy         drop events when a ring is full (counted)\n"
"  -q, --quiet         do not echo `print` output\n"
"\n"
"Exit status: 0 every expectation held, 1 one failed (the trace is saved\n"
"either way), 2 usage error or invalid scenario, 3 the run could not be\n"
"carried out or the trace not written.\n");
}

static void
record_events(void *arg, struct run *run, const struct trace_event *ev,
    size_t n)
{
	struct record_state	*rs = arg;
	size_t			 i;
	char			*cause = NULL;

	if (!rs->failed && tracefile_writer_append(rs->w, ev, n, &cause) !=
	    0) {
		rs->failed = 1;	/* reported by finish */
		free(cause);
	}
	if (!rs->live)
		return;
	for (i = 0; i < n; i++) {
		if (ev[i].type != TRACE_PRINT)
			continue;
		printf("[%s] %s\n", ev[i].worker < rs->meta->nworkers ?
		    rs->meta->workers[ev[i].worker].name : "?",
		    run_string(run, ev[i].a0));
	}
	fflush(stdout);
}

/* A number option: 0, or -1 after saying what is wrong. */
static int
record_number(const char *opt, const char *arg, double max, double *out)
{
	char	*end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno != 0 || *end != '\0' || end == arg || *out < 0 ||
	    *out > max) {
		fprintf(stderr, "lockstep record: bad %s '%s'\n", opt, arg);
		return (-1);
	}
	return (0);
}

int
cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "headless", no_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "tempo", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "seed", required_argument, NULL, 's' },
		{ "schedule", required_argument, NULL, 'S' },
		{ "lossy", no_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct headless_opts	 o;
	struct headless_result	 res;
	struct record_state	 rs;
	struct scn_diags	 diags;
	struct scn_file		*file;
	struct trace_meta	 meta;
	const char		*output = NULL, *schedule_path = NULL;
	const char		*strtab;
	const uint16_t		*choices;
	uint16_t		*schedule = NULL;
	size_t			 nschedule = 0, strtab_len, nchoices;
	char			*end, *cause = NULL;
	double			 timeout = 30.0, tempo = 0;
	int			 ch, json = 0, quiet = 0, status;

	memset(&o, 0, sizeof o);
	while ((ch = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			output = optarg;
			break;
		case 'H':
			break;
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			if (record_number("--tempo", optarg, 600000, &tempo) !=
			    0)
				return (EXIT_USAGE);
			break;
		case 'T':
			if (record_number("--timeout", optarg, 1e6, &timeout) !=
			    0)
				return (EXIT_USAGE);
			break;
		case 's':
			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (errno != 0 || *end != '\0' || *optarg == '-' ||
			    end == optarg) {
				fprintf(stderr, "lockstep record: bad --seed "
				    "'%s'\n", optarg);
				return (EXIT_USAGE);
			}
			o.stepped = 1;
			break;
		case 'S':
			schedule_path = optarg;
			o.stepped = 1;
			break;
		case 'l':
			o.lossy = 1;
			break;
		case 'h':
			record_usage(stdout);
			return (0);
		default:
			record_usage(stderr);
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || output == NULL) {
		fprintf(stderr, "lockstep record: %s\n", argc != 1 ?
		    "one scenario file, please" : "-o TRACE is needed");
		record_usage(stderr);
		return (EXIT_USAGE);
	}

	memset(&diags, 0, sizeof diags);
	if ((file = scenario_load(argv[0], &diags)) == NULL) {
		scenario_diags_print(&diags, argv[0], NULL, stderr);
		scenario_diags_done(&diags);
		return (EXIT_USAGE);
	}
	scenario_diags_done(&diags);
	scenario_meta_build(file, &meta);
	if (schedule_path != NULL && tracefile_read_schedule(schedule_path,
	    &meta, &schedule, &nschedule, &cause) != 0) {
		fprintf(stderr, "lockstep: %s\n", cause);
		free(cause);
		trace_meta_done(&meta);
		scenario_free(file);
		return (EXIT_USAGE);
	}

	memset(&rs, 0, sizeof rs);
	rs.meta = &meta;
	rs.live = !json && !quiet;
	if ((rs.w = tracefile_writer_create(output, &meta, &cause)) == NULL) {
		fprintf(stderr, "lockstep: %s\n", cause);
		free(cause);
		free(schedule);
		trace_meta_done(&meta);
		scenario_free(file);
		return (EXIT_RUNTIME);
	}
	snprintf(record_tmp, sizeof record_tmp, "%s",
	    tracefile_writer_tmppath(rs.w));
	record_signals(record_on_signal);

	o.tempo_ms = (int)tempo;
	o.timeout_ms = (int)(timeout * 1000.0);
	o.schedule = schedule;
	o.nschedule = nschedule;
	o.on_events = record_events;
	o.arg = &rs;
	if (headless_run(file, &meta, &o, &res, &cause) != 0) {
		fprintf(stderr, "lockstep: %s: %s\n", argv[0], cause);
		free(cause);
		tracefile_writer_free(rs.w);
		record_tmp[0] = '\0';
		free(schedule);
		trace_meta_done(&meta);
		scenario_free(file);
		return (EXIT_RUNTIME);
	}

	strtab = run_strtab(res.run, &strtab_len);
	choices = run_choices(res.run, &nchoices);
	status = 0;
	if (tracefile_writer_finish(rs.w, strtab, strtab_len, choices,
	    nchoices, res.dropped, &cause) != 0) {
		fprintf(stderr, "lockstep: %s\n", cause);
		free(cause);
		status = EXIT_RUNTIME;
	}
	record_tmp[0] = '\0';
	record_signals(SIG_DFL);

	headless_judge(file, &meta, &res);
	if (json)
		headless_print_json(stdout, &meta, &res);
	else
		headless_print_text(stdout, &meta, &res);
	fflush(stdout);
	if (status == 0) {
		fprintf(stderr, "lockstep: recorded %" PRIu64 " events%s to "
		    "%s\n", tracefile_writer_count(rs.w), nchoices > 0 ?
		    " and the step choices" : "", output);
		status = res.pass ? 0 : EXIT_EXPECT;
	}
	tracefile_writer_free(rs.w);
	headless_result_done(&res);
	free(schedule);
	trace_meta_done(&meta);
	scenario_free(file);
	return (status);
}
