/*
 * cli/run-cmd.c: `lockstep run` and `lockstep record`.
 *
 *   lockstep run FILE [--headless] [options]
 *   lockstep record FILE -o TRACE [options]    (= run ... -o TRACE)
 *
 *   --headless        run without a UI (also the default: `lockstep run`
 *                     has no UI; the live view is `lockstep FILE`)
 *   --json            print one JSON object instead of the summary
 *   --tempo MS        delay per statement (default 0: full speed)
 *   --timeout S       give up after S seconds (default: after 30 s
 *                     without any event; 0 = never)
 *   --seed N          a scheduled run (sync/sched.h): one worker at a time,
 *                     each step chosen by a PRNG seeded with N, in
 *                     scenario time (a reproducible run)
 *   --schedule FILE   scheduled, replaying FILE: the choices saved in a
 *                     trace file, or worker names or indices one per line
 *                     (# comments); after its last entry the run goes on
 *                     by the seeded policy (seed 0 unless --seed)
 *   --lossy           drop events when a ring is full (counted) instead of
 *                     making workers wait
 *   -o, --output T    save the run as a trace file (record requires it)
 *   -q, --quiet       no live `print` output in the human summary mode
 *
 * Recording costs the workers nothing: the headless loop hands every batch
 * it has already read to the trace file writer. The file is written as
 * export/outfile.h says: unnamed until complete, then linked into place,
 * so no signal leaves a temporary name; a symlink is refused.
 *
 * Exit status: 0 every expectation held, 1 an expectation failed (or an
 * unexpected deadlock, stall, crash, error or timeout; a recording is saved
 * either way), 2 usage error or invalid scenario (diagnostics as `lockstep
 * check` prints them), 3 the run could not be carried out (the runner
 * died without its end marker, a fork failed) or the trace not written.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "export/outfile.h"
#include "export/tracefile.h"
#include "cli/summary.h"
#include "runtime/headless.h"
#include "util/esc.h"
#include "util/xmalloc.h"

struct run_cmd {
	const char		*name;		/* "run" or "record" */
	const struct trace_meta	*meta;
	struct tracefile_writer	*w;		/* when recording */
	int			 write_failed;	/* reported by finish */
	int			 echo;		/* print `print` output live */
};

static void
run_cmd_usage(FILE *f, const char *name)
{
	if (strcmp(name, "record") == 0)
		fprintf(f,
"Usage: lockstep record FILE.scn -o TRACE [--json] [--tempo MS]\n"
"                       [--timeout S] [--seed N] [--schedule FILE]\n"
"                       [--lossy] [-q]\n"
"Run a scenario without a UI, as `lockstep run` does, and save the run as a\n"
"trace file for `lockstep replay`, `lockstep export` and\n"
"`lockstep run --schedule`.\n");
	else
		fprintf(f,
"Usage: lockstep run FILE.scn [--headless] [--json] [--tempo MS]\n"
"                    [--timeout S] [--seed N] [--schedule FILE] [--lossy]\n"
"                    [-o TRACE] [-q]\n"
"Run a scenario without a UI and print a summary and a verdict.\n");
	fprintf(f,
"\n"
"      --headless      no UI (the default for this command)\n"
"      --json          print the summary as one JSON object\n"
"      --tempo MS      delay per statement (default 0: full speed)\n"
"      --timeout S     give up after S seconds (0 = never); by default\n"
"                      only after 30 s without any event\n"
"      --seed N        scheduled: one worker at a time, chosen by a PRNG\n"
"                      seeded with N, in scenario time (sleep, compute and\n"
"                      timeouts); the same seed gives the same run\n"
"      --schedule FILE step mode replaying FILE: a trace file's saved\n"
"                      choices, or worker names, one per line\n"
"      --lossy         drop events when a ring is full (counted)\n"
"  -o, --output TRACE  save the run as a trace file (put in place only\n"
"                      when complete; new files 0666 & ~umask, an existing\n"
"                      one keeps its mode; a symlink is refused)\n"
"  -q, --quiet         do not echo `print` output\n"
"\n"
"Exit status: 0 every expectation held, 1 one failed (a trace is saved\n"
"either way), 2 usage error or invalid scenario, 3 the run could not be\n"
"carried out or the trace not written.\n");
}

static void
run_cmd_on_signal(int sig)
{
	outfile_signal_cleanup();
	run_stop_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
run_cmd_signals(void (*handler)(int))
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

/* Every batch the headless loop read: save it, echo `print` output. */
static void
run_cmd_events(void *arg, struct run *run, const struct trace_event *ev,
    size_t n)
{
	struct run_cmd	*rc = arg;
	size_t		 i;
	char		*cause = NULL;

	if (rc->w != NULL && !rc->write_failed &&
	    tracefile_writer_append(rc->w, ev, n, &cause) != 0) {
		rc->write_failed = 1;
		free(cause);
	}
	if (!rc->echo)
		return;
	for (i = 0; i < n; i++) {
		if (ev[i].type != TRACE_PRINT)
			continue;
		printf("[%s] ", ev[i].worker < rc->meta->nworkers ?
		    rc->meta->workers[ev[i].worker].name : "?");
		esc_fputs(run_string(run, ev[i].a0), stdout);
		putchar('\n');
	}
	fflush(stdout);
}

/* A number option in [0, max]: 0, or -1 after saying what is wrong. */
static int
run_cmd_number(const char *name, const char *opt, const char *arg, double max,
    double *out)
{
	char	*end;

	errno = 0;
	*out = strtod(arg, &end);
	/* isfinite: "nan" compares false with everything and would pass
	   the range test; "inf" is no number of seconds either. */
	if (errno != 0 || *end != '\0' || end == arg || !isfinite(*out) ||
	    *out < 0 || *out > max) {
		fprintf(stderr, "lockstep %s: bad %s '%s'\n", name, opt, arg);
		return (-1);
	}
	return (0);
}

/* Close the recording after the run: 0, or EXIT_RUNTIME. */
static int
run_cmd_finish(struct run_cmd *rc, const struct headless_result *res,
    const char *output)
{
	const char	*strtab;
	const uint16_t	*choices;
	size_t		 strtab_len, nchoices;
	char		*cause;
	int		 status = 0;

	strtab = run_strtab(res->run, &strtab_len);
	choices = run_choices(res->run, &nchoices);
	if (tracefile_writer_finish(rc->w, strtab, strtab_len, choices,
	    nchoices, res->dropped, &cause) != 0) {
		fprintf(stderr, "lockstep: %s\n", cause);
		free(cause);
		status = EXIT_RUNTIME;
	} else
		fprintf(stderr, "lockstep: recorded %" PRIu64 " events%s to "
		    "%s\n", tracefile_writer_count(rc->w), nchoices > 0 ?
		    " and the step choices" : "", output);
	run_cmd_signals(SIG_DFL);
	return (status);
}

static int
run_cmd_main(int argc, char **argv, int record)
{
	static const struct option longopts[] = {
		{ "headless", no_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "tempo", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "seed", required_argument, NULL, 's' },
		{ "schedule", required_argument, NULL, 'S' },
		{ "lossy", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct run_cmd		 rc;
	struct headless_opts	 o;
	struct headless_result	 res;
	struct scn_diags	 diags;
	struct scn_file		*file;
	struct trace_meta	 meta;
	const char		*name = argv[0], *output = NULL;
	const char		*schedule_path = NULL;
	uint16_t		*schedule = NULL;
	size_t			 nschedule = 0;
	char			*end, *cause = NULL;
	double			 timeout = 30.0, tempo = 0;
	int			 timeout_given = 0;
	int			 ch, json = 0, quiet = 0, status;

	memset(&o, 0, sizeof o);
	while ((ch = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			break;
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			if (run_cmd_number(name, "--tempo", optarg, 600000,
			    &tempo) != 0)
				return (EXIT_USAGE);
			break;
		case 'T':
			if (run_cmd_number(name, "--timeout", optarg, 1e6,
			    &timeout) != 0)
				return (EXIT_USAGE);
			timeout_given = 1;
			break;
		case 's':
			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    *optarg == '-') {
				fprintf(stderr, "lockstep %s: bad --seed '%s'\n",
				    name, optarg);
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
			run_cmd_usage(stdout, name);
			return (0);
		default:
			cmd_try_help(name);
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || (record && output == NULL)) {
		fprintf(stderr, "lockstep %s: %s\n", name, argc != 1 ?
		    "one scenario file, please" : "-o TRACE is needed");
		run_cmd_usage(stderr, name);
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
	status = EXIT_USAGE;
	if (schedule_path != NULL && tracefile_read_schedule(schedule_path,
	    &meta, &schedule, &nschedule, &cause) != 0)
		goto fail;

	memset(&rc, 0, sizeof rc);
	rc.name = name;
	rc.meta = &meta;
	rc.echo = !json && !quiet;
	status = EXIT_RUNTIME;
	if (output != NULL) {
		if ((rc.w = tracefile_writer_create(output, &meta, &cause)) ==
		    NULL)
			goto fail;
		run_cmd_signals(run_cmd_on_signal);
	}

	o.tempo_ms = (int)tempo;
	o.timeout_ms = (int)(timeout * 1000.0);
	o.timeout_idle = !timeout_given;
	o.schedule = schedule;
	o.nschedule = nschedule;
	if (rc.w != NULL || rc.echo) {
		o.on_events = run_cmd_events;
		o.arg = &rc;
	}
	if (headless_run(file, &meta, &o, &res, &cause) != 0) {
		if (rc.w != NULL)
			tracefile_writer_free(rc.w);
		goto fail;
	}
	status = 0;
	if (rc.w != NULL)
		status = run_cmd_finish(&rc, &res, output);
	headless_judge(file, &meta, &res);
	if (json)
		summary_print_json(stdout, &meta, &res);
	else
		summary_print_text(stdout, &meta, &res);
	fflush(stdout);
	if (res.stop == HEADLESS_LOST || res.stop == HEADLESS_START_FAILED)
		status = EXIT_RUNTIME;
	if (status == 0)
		status = res.pass ? 0 : EXIT_EXPECT;
	if (rc.w != NULL)
		tracefile_writer_free(rc.w);
	headless_result_done(&res);
	free(schedule);
	trace_meta_done(&meta);
	scenario_free(file);
	return (status);

fail:
	fputs("lockstep: ", stderr);
	esc_fputs(cause, stderr);
	fputc('\n', stderr);
	free(cause);
	free(schedule);
	trace_meta_done(&meta);
	scenario_free(file);
	return (status);
}

int
cmd_run(int argc, char **argv)
{
	return (run_cmd_main(argc, argv, 0));
}

int
cmd_record(int argc, char **argv)
{
	return (run_cmd_main(argc, argv, 1));
}
