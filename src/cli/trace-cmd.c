/*
 * cli/trace-cmd.c: `lockstep trace [options] -- PROGRAM [ARGS...]`.
 *
 * Runs a real, dynamically linked C program under the interposition
 * library (preload/interpose.c, driven by preload/tracer.c) and judges it
 * with the same model as a scenario, headless, or shows it in the live
 * view through a ui_source over the tracer (preload/trace-source.c).
 *
 * Headless, the loop pulls events, grows the meta (and rebuilds the model
 * over every event so far) when one names a worker or object the meta
 * does not have yet, and applies it. The run ends when the program exits
 * (its status is the main worker's end), when the model shows a deadlock
 * or stall that nothing timed will break and no event came for a grace
 * period, or at the timeout. Stepping (--seed, --schedule): every worker
 * starts paused at its gate; when every worker is at its gate or in a
 * real wait (settled), one worker is given one step, by the schedule or a
 * seeded choice, and once the schedule is used up the program runs.
 *
 * This file links curses (the live view), so it is part of the program,
 * not of the library the tests link.
 */
#include <sys/wait.h>

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "export/tracefile.h"
#include "model/model.h"
#include "preload/trace-source.h"
#include "preload/tracer.h"
#include "cli/summary.h"
#include "runtime/headless.h"
#include "ui/ui.h"
#include "util/xmalloc.h"

#define TRACER_GRACE_MS		300

static const char tracer_usage[] =
"usage: lockstep trace [--headless [--json]] [-o TRACE] [--seed N]\n"
"                      [--schedule W,W,...] [--timeout S]\n"
"                      [--stdout FILE] [--stderr FILE] -- PROGRAM [ARGS...]\n"
"\n"
"Run a real, dynamically linked C program with lockstep's interposition\n"
"library: its threads, mutexes, rwlocks, conditions, barriers,\n"
"semaphores, forks and pipe/socket calls become trace events, judged by\n"
"the same model as a scenario (deadlock, stall, lock-order inversion).\n"
"\n"
"  --headless      no UI: run to the end, summary on stdout (without it:\n"
"                  the live view, paused at the program's first call)\n"
"  --json          the summary as one JSON object (the keys of `run`)\n"
"  -o TRACE        save the run as a trace file (lockstep replay/export)\n"
"  --seed N        step mode: one wrapped call at a time, seeded choice\n"
"  --schedule L    step mode: workers (indices) to step, in order; then\n"
"                  run freely\n"
"  --timeout S     stop after S seconds, a fraction allowed (default 10,\n"
"                  0 = none), as for run\n"
"  --stdout FILE   the program's stdout (default: lockstep's stderr)\n"
"  --stderr FILE   the program's stderr (default: lockstep's stderr)\n"
"\n"
"Exit status: 0 the program ended with status 0 and nothing was found;\n"
"1 a deadlock, stall, lock-order inversion, crash, non-zero exit or\n"
"timeout; 2 usage, or PROGRAM is missing or not dynamically linked;\n"
"3 the run could not be carried out.\n";

static enum headless_stop
tracer_stuck(const struct model *m)
{
	const struct model_detect	*d = &m->detect;

	if ((d->deadlock && !d->deadlock_timed) || d->self_deadlock)
		return (HEADLESS_DEADLOCK);
	if (d->stall && !d->stall_timed)
		return (HEADLESS_STALL);
	return (HEADLESS_FINISHED);
}

/* Apply every pulled event not applied yet, growing the meta (and making
   the model again over the events so far) when one does not fit, or
   when it taught the meta a new channel peer. */
static size_t
tracer_apply(struct tracer *t, struct model **m, size_t *applied)
{
	size_t	n = 0, i;

	tracer_pull(t);
	while (*applied < t->nevents) {
		if (!tracer_fits(t, &t->events[*applied])) {
			model_free(*m);
			tracer_grow_meta(t);
			*m = model_create(&t->meta);
			for (i = 0; i < *applied; i++)
				model_apply(*m, &t->events[i]);
		}
		if (tracer_deliver(t, &t->events[*applied]) > 0) {
			model_free(*m);
			*m = model_create(&t->meta);
			for (i = 0; i < *applied; i++)
				model_apply(*m, &t->events[i]);
		}
		model_apply(*m, &t->events[*applied]);
		(*applied)++;
		n++;
	}
	return (n);
}

static struct model *
tracer_headless(struct tracer *t, struct headless_result *res)
{
	struct model		*m;
	enum headless_stop	 stuck;
	uint64_t		 t0, now, last;
	size_t			 applied = 0;

	t0 = last = tracer_now_ms();
	res->stop = HEADLESS_FINISHED;
	m = model_create(&t->meta);
	for (;;) {
		now = tracer_now_ms();
		if (tracer_apply(t, &m, &applied) > 0) {
			last = now;
			continue;
		}
		if (tracer_reap(t))
			break;
		stuck = tracer_stuck(m);
		if (stuck != HEADLESS_FINISHED && now - last >=
		    TRACER_GRACE_MS) {
			res->stop = stuck;
			break;
		}
		if (t->timeout_ms > 0 && now - t0 >= (uint64_t)t->timeout_ms) {
			res->stop = HEADLESS_TIMEOUT;
			break;
		}
		if (t->stepped && tracer_steppable(t))
			tracer_step(t);
		trace_consumer_wait(t->consumer, t->stepped ? 1 : 10);
	}
	tracer_finish(t);
	tracer_apply(t, &m, &applied);
	res->elapsed_ms = tracer_now_ms() - t0;
	res->model = m;
	res->events = t->nevents;
	return (m);
}

static void
tracer_problem(struct headless_result *res, char *s)
{
	res->problems = xreallocarray(res->problems, res->nproblems + 1,
	    sizeof *res->problems);
	res->problems[res->nproblems++] = s;
}

/* What is wrong with the run, in the words of `run`'s problems. */
static void
tracer_judge(struct tracer *t, const struct model *m,
    struct headless_result *res)
{
	const struct model_detect	*d = &m->detect;
	char				 buf[1024], *s;
	size_t				 i;

	res->held = xcalloc(1, sizeof *res->held);
	if (d->hard_deadlock_seen && !d->self_deadlocks_seen)
		tracer_problem(res, xstrdup("deadlock"));
	if (d->self_deadlocks_seen)
		tracer_problem(res, xstrdup("self-deadlock"));
	if (d->hard_stall_seen)
		tracer_problem(res, xstrdup("stall"));
	for (i = 0; i < d->ninversions; i++) {
		model_inversion_string(m, &d->inversions[i], buf,
		    sizeof buf);
		xasprintf(&s, "potential deadlock: %s", buf);
		tracer_problem(res, s);
	}
	if (t->exited && WIFEXITED(t->status) && WEXITSTATUS(t->status)) {
		xasprintf(&s, "%s exited with status %d", t->argv[0],
		    WEXITSTATUS(t->status));
		tracer_problem(res, s);
	}
	if (t->exited && WIFSIGNALED(t->status)) {
		xasprintf(&s, "%s was killed by signal %d (%s)", t->argv[0],
		    WTERMSIG(t->status), strsignal(WTERMSIG(t->status)));
		tracer_problem(res, s);
	}
	for (i = 1; i < t->meta.nworkers; i++) {
		if (m->workers[i].state == MODEL_W_CRASHED) {
			xasprintf(&s, "%s crashed (signal %d)",
			    t->meta.workers[i].name,
			    m->workers[i].signal);
			tracer_problem(res, s);
		}
	}
	if (res->stop == HEADLESS_TIMEOUT) {
		xasprintf(&s, "timed out after %" PRIu64 " ms",
		    res->elapsed_ms);
		tracer_problem(res, s);
	}
	if (t->shm->hdr.overflow > 0) {
		xasprintf(&s, "%u threads or objects were not traced (more "
		    "than %d workers or %d objects)", t->shm->hdr.overflow,
		    PRELOAD_MAX_WORKERS, PRELOAD_MAX_OBJECTS);
		tracer_problem(res, s);
	}
	if (t->shm->hdr.closed_fd) {
		xasprintf(&s, "%s tried to close lockstep's trace descriptor "
		    "(the close was refused)", t->argv[0]);
		tracer_problem(res, s);
	}
	if (t->strays > 0) {
		xasprintf(&s, "%d process%s left the program's process group "
		    "(setsid, a daemon) and %s still running at the end: "
		    "killed", t->strays, t->strays == 1 ? "" : "es",
		    t->strays == 1 ? "was" : "were");
		tracer_problem(res, s);
	}
	res->pass = res->nproblems == 0;
}



/* The live view over the traced program, paused at its first call. */
static int
tracer_view(struct tracer *t)
{
	struct ui_source	*src;
	struct ui		*ui;
	char			*cause = NULL;
	int			 sig;

	if (ui_screen_tty_claim(&cause) != 0 || ui_screen_init(&cause) != 0) {
		ui_screen_tty_release();
		fprintf(stderr, "lockstep trace: %s\n", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	src = trace_source_create(t);
	ui = ui_create(src, &t->meta, NULL);
	sig = ui_run(ui);
	ui_free(ui);
	ui_source_free(src);
	ui_screen_done();
	ui_screen_tty_release();
	tracer_finish(t);
	if (sig != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
		return (128 + sig);
	}
	return (0);
}

int
cmd_trace(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "headless",	no_argument,		NULL, 'H' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "seed",	required_argument,	NULL, 's' },
		{ "schedule",	required_argument,	NULL, 'S' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "stdout",	required_argument,	NULL, '1' },
		{ "stderr",	required_argument,	NULL, '2' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	struct tracer			 t;
	struct headless_result		 res;
	struct preload_elf		*elf;
	const char			*out_path = NULL;
	char				*cause = NULL, *lib = NULL, *end, *path;
	int				 ch, headless = 0, json = 0;
	int				 rc = EXIT_RUNTIME;
	unsigned long long		 seed;
	double				 secs;

	tracer_init(&t);
	memset(&res, 0, sizeof res);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			headless = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0') {
				fprintf(stderr, "lockstep trace: bad --seed: "
				    "%s\n", optarg);
				goto usage;
			}
			t.prng = seed * 0x9e3779b97f4a7c15ULL + 1;
			t.stepped = 1;
			break;
		case 'S':
			if (tracer_parse_schedule(&t, optarg) != 0) {
				fprintf(stderr, "lockstep trace: bad "
				    "--schedule: %s (worker indices, "
				    "comma-separated)\n", optarg);
				goto usage;
			}
			t.stepped = 1;
			break;
		case 't':
			/* Seconds, as run's --timeout. */
			secs = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(secs >= 0) ||
			    secs > 1e6) {
				fprintf(stderr, "lockstep trace: bad "
				    "--timeout: %s (seconds)\n", optarg);
				goto usage;
			}
			t.timeout_ms = (int)(secs * 1000.0 + 0.5);
			if (secs > 0 && t.timeout_ms == 0)
				t.timeout_ms = 1;
			break;
		case '1':
			t.stdout_path = optarg;
			break;
		case '2':
			t.stderr_path = optarg;
			break;
		case 'h':
			fputs(tracer_usage, stdout);
			tracer_free(&t);
			return (0);
		default:
			goto usage;
		}
	}
	if (t.prng == 0)
		t.prng = 0x2545f4914f6cdd1dULL;
	if (optind >= argc) {
		fprintf(stderr, "lockstep trace: no program given\n");
		goto usage;
	}
	if (!headless && (json || t.stepped || out_path != NULL)) {
		fprintf(stderr, "lockstep trace: --json, --seed, --schedule "
		    "and -o need --headless\n");
		goto usage;
	}
	t.argv = argv + optind;
	if ((t.prog = tracer_find_program(t.argv[0])) == NULL) {
		fprintf(stderr, "lockstep trace: %s: command not found\n",
		    t.argv[0]);
		tracer_free(&t);
		return (EXIT_USAGE);
	}
	if ((elf = preload_elf_open(t.prog, &cause)) == NULL) {
		fprintf(stderr, "lockstep trace: %s\n", cause);
		free(cause);
		tracer_free(&t);
		return (EXIT_USAGE);
	}
	if (!preload_elf_dynamic(elf)) {
		fprintf(stderr, "lockstep trace: %s is statically linked: "
		    "the interposition library cannot be loaded into it "
		    "(build it without -static)\n", t.prog);
		preload_elf_free(elf);
		tracer_free(&t);
		return (EXIT_USAGE);
	}
	preload_elf_free(elf);
	if ((lib = tracer_find_library()) == NULL) {
		fprintf(stderr, "lockstep trace: %s not found next to "
		    "lockstep nor installed (set LOCKSTEP_PRELOAD)\n",
		    TRACER_LIB);
		tracer_free(&t);
		return (EXIT_RUNTIME);
	}
	if (!headless) {
		t.paused = 1;
		t.timeout_ms = 0;
		t.capture = t.stdout_path == NULL && t.stderr_path == NULL;
	}
	if (tracer_start(&t, lib, &cause) != 0) {
		fprintf(stderr, "lockstep trace: %s\n", cause);
		free(cause);
		goto out;
	}
	if (!headless) {
		rc = tracer_view(&t);
		goto out;
	}

	tracer_headless(&t, &res);
	tracer_judge(&t, res.model, &res);
	if (out_path != NULL && tracefile_save(out_path, &t.meta, t.events,
	    t.nevents, "", 1, t.choices, t.nchoices, 0, &cause) != 0) {
		fprintf(stderr, "lockstep trace: %s\n", cause);
		free(cause);
	}
	/* The summary names the program, not its source file. */
	path = t.meta.path;
	t.meta.path = t.prog;
	if (json)
		summary_print_json(stdout, &t.meta, &res);
	else
		summary_print_text(stdout, &t.meta, &res);
	t.meta.path = path;
	fflush(stdout);
	rc = res.pass ? 0 : EXIT_EXPECT;
	headless_result_done(&res);
out:
	free(lib);
	tracer_free(&t);
	return (rc);

usage:
	cmd_try_help("trace");
	tracer_free(&t);
	return (EXIT_USAGE);
}
