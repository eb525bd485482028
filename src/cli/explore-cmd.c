/*
 * cli/explore-cmd.c: `lockstep explore FILE`.
 *
 *   --preemptions K    search schedules with at most K preemptions
 *                      (default: raise the bound until the search is
 *                      exhaustive or a limit stops it)
 *   --max-schedules N  stop after N schedules run to the end
 *   --time-limit S     stop after S seconds (default 30, 0: none; Ctrl-C
 *                      also stops: the report covers what was searched)
 *   --max-steps N      cut a schedule after N steps (default 20000:
 *                      forever, big repeats); a cut schedule counts as
 *                      failing if a hazard already happened in it, or a
 *                      lost update is under way
 *   --jobs J           J processes (default: the cores, up to 8); the
 *                      subtrees of the first step are shared out
 *   --json             one JSON object instead of the text report
 *   -o FOUND           save the first failing schedule as a trace file:
 *                      `lockstep replay FOUND`, `lockstep run FILE
 *                      --schedule FOUND`
 *   -q                 the verdict lines only
 *
 * Every schedule the search runs is a real run (explore/real.c); the
 * first failure is then run once more on its own, and its outcome must be
 * the one the search saw (a mismatch is an error, exit 3). Exit status:
 * 0 nothing failed, 1 a schedule fails, 2 bad input, 3 the runs could not
 * be carried out.
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
#include "explore/explore.h"
#include "explore/real.h"
#include "export/tracefile.h"
#include "runtime/headless.h"
#include "scenario/ast.h"
#include "util/json.h"
#include "util/xmalloc.h"

static volatile sig_atomic_t	explore_interrupted;

static void
explore_on_signal(int sig)
{
	(void)sig;
	explore_interrupted = 1;
}

static void
explore_usage(FILE *f)
{
	fprintf(f,
"Usage: lockstep explore FILE.scn [--preemptions K] [--max-schedules N]\n"
"                        [--time-limit S] [--max-steps N] [--json]\n"
"                        [--jobs J] [-o FOUND] [-q]\n"
"Run the scenario under every interleaving that can give a different\n"
"result (one schedule per class of equivalent orders, fewest preemptions\n"
"first), on real threads and processes, and report every outcome with how\n"
"many schedules reach it, and the first failing schedule.\n"
"\n"
"  --preemptions K    at most K preemptions per schedule (default: no\n"
"                     bound, raised until the search is exhaustive)\n"
"  --max-schedules N  stop after N schedules\n"
"  --time-limit S     stop after S seconds (default 30; 0: none; Ctrl-C\n"
"                     also stops)\n"
"  --max-steps N      cut each schedule after N steps (default 20000)\n"
"  --jobs J           search in J processes (default: the cores, up to 8)\n"
"  --json             print one JSON object\n"
"  -o, --output FOUND save the first failing schedule as a trace file\n"
"  -q, --quiet        print only the summary lines\n"
"\n"
"Exit status: 0 no schedule fails, 1 some schedule fails (an expect, or a\n"
"deadlock or stall nobody expected), 2 bad input, 3 the runs could not be\n"
"carried out.\n");
}

static int
explore_number(const char *opt, const char *arg, double max, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) ||
	    v < 0 || v > max) {
		fprintf(stderr, "lockstep explore: bad %s '%s' (a number from "
		    "0 to %.0f)\n", opt, arg, max);
		return (-1);
	}
	*out = v;
	return (0);
}

/* Captions for the preemptions of a schedule, from a replay of it. */
struct explore_story {
	char		**lines;
	size_t		  n;
	char		 *key;		/* its outcome, replayed */
	int		  failed;
};

static void
explore_story_free(struct explore_story *st)
{
	size_t	i;

	for (i = 0; i < st->n; i++)
		free(st->lines[i]);
	free(st->lines);
	free(st->key);
	memset(st, 0, sizeof *st);
}

/* The source text of line n of file, trimmed (static buffer). */
static const char *
explore_line_at(const struct scn_file *file, int n)
{
	static char	 buf[128];
	const char	*p = file->source, *e;
	int		 l;
	size_t		 len;

	buf[0] = '\0';
	if (p == NULL || n <= 0)
		return (buf);
	for (l = 1; l < n && p != NULL; l++)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	if (p == NULL)
		return (buf);
	while (*p == ' ' || *p == '\t')
		p++;
	e = strchr(p, '\n');
	len = e != NULL ? (size_t)(e - p) : strlen(p);
	/* The statement only: no caption, no comment. */
	for (l = 0; (size_t)l < len; l++) {
		if (p[l] == '#' || (l > 0 && (p[l - 1] == ' ' ||
		    p[l - 1] == '\t') && strncmp(p + l, "note \"", 6) == 0)) {
			len = (size_t)l;
			break;
		}
	}
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return (buf);
}

/*
 * Run the schedule once more, alone, to confirm its outcome and tell its
 * story: at each preemption, who ran instead of whom, and the line the
 * preempted worker was about to run. With path, save it as a trace file.
 */
static int
explore_replay(struct explore_real *x, const struct scn_file *file,
    const struct trace_meta *meta, const struct explore_schedule *sc,
    int cut, const char *path, struct explore_story *st, char **cause)
{
	const struct explore_ops	*ops = &explore_real_ops;
	const struct model		*m;
	struct explore_outcome		 oc;
	struct explore_accs		 acc;
	uint16_t			*en;
	size_t				 i, k = 0, nen, j;
	int				 prev, line, rc = -1;
	char				*s;

	memset(st, 0, sizeof *st);
	en = xcalloc(meta->nworkers + 1, sizeof *en);
	explore_real_keep(x, path != NULL);
	if (ops->begin(x, cause) != 0)
		goto out;
	for (i = 0; i < sc->n; i++) {
		nen = ops->enabled(x, en);
		for (j = 0; j < nen && en[j] != sc->v[i]; j++)
			;
		if (j == nen) {
			xasprintf(cause, "the schedule did not reproduce: %s "
			    "cannot take step %zu", meta->workers[sc->v[i]].name,
			    i + 1);
			ops->end(x, EXPLORE_END_ABORT, NULL);
			goto out;
		}
		if (k < (size_t)sc->preemptions && sc->at[k] == i) {
			k++;
			prev = i > 0 ? sc->v[i - 1] : -1;
			m = explore_real_model(x);
			line = m != NULL && prev >= 0 ?
			    m->workers[prev].line : 0;
			if (line > 0)
				xasprintf(&s, "step %zu: %s runs while %s "
				    "could go on (%s is at line %d: %s)", i + 1,
				    meta->workers[sc->v[i]].name,
				    meta->workers[prev].name,
				    meta->workers[prev].name, line,
				    explore_line_at(file, line));
			else
				xasprintf(&s, "step %zu: %s runs while %s "
				    "could go on", i + 1,
				    meta->workers[sc->v[i]].name,
				    prev >= 0 ? meta->workers[prev].name : "?");
			st->lines = xreallocarray(st->lines, st->n + 1,
			    sizeof *st->lines);
			st->lines[st->n++] = s;
		}
		memset(&acc, 0, sizeof acc);
		if (ops->step(x, sc->v[i], &acc, cause) != 0) {
			ops->end(x, EXPLORE_END_ABORT, NULL);
			goto out;
		}
	}
	if (!cut && ops->enabled(x, en) != 0) {
		xasprintf(cause, "the schedule did not reproduce: the run "
		    "goes on after its %zu steps", sc->n);
		ops->end(x, EXPLORE_END_ABORT, NULL);
		goto out;
	}
	memset(&oc, 0, sizeof oc);
	ops->end(x, cut ? EXPLORE_END_CUT : EXPLORE_END_COMPLETE, &oc);
	st->key = oc.key;
	st->failed = oc.failed;
	free(oc.detail);
	rc = 0;
	if (path != NULL && explore_real_save(x, path, cause) != 0)
		rc = -1;
out:
	explore_real_keep(x, 0);
	free(en);
	return (rc);
}

static void
explore_schedule_text(FILE *f, const struct trace_meta *meta,
    const struct explore_schedule *sc)
{
	size_t	i, run;

	/* Runs of one worker are folded: "t1 x3 t2 t1 x2". */
	for (i = 0; i < sc->n; i += run) {
		for (run = 1; i + run < sc->n && sc->v[i + run] == sc->v[i];
		    run++)
			;
		fprintf(f, "%s%s", i > 0 ? " " : "", meta->workers[sc->v[i]].name);
		if (run > 1)
			fprintf(f, " x%zu", run);
	}
}

static void
explore_json_schedule(FILE *f, const struct trace_meta *meta,
    const struct explore_schedule *sc)
{
	size_t	i;

	fputs("{\"steps\":[", f);
	for (i = 0; i < sc->n; i++) {
		if (i > 0)
			putc(',', f);
		json_string(f, meta->workers[sc->v[i]].name);
	}
	fprintf(f, "],\"preemptions\":%d,\"preempted_at\":[", sc->preemptions);
	for (i = 0; i < (size_t)sc->preemptions; i++)
		fprintf(f, "%s%zu", i > 0 ? "," : "", sc->at[i] + 1);
	fputs("]}", f);
}

static void
explore_print_json(FILE *f, const struct scn_file *file,
    const struct trace_meta *meta, const struct explore_result *r,
    const struct explore_story *st, const char *found)
{
	size_t	i;

	fputs("{\"scenario\":", f);
	json_string(f, file->path);
	fputs(",\"title\":", f);
	json_string(f, meta->title);
	fprintf(f, ",\"verdict\":\"%s\",\"search\":{\"stop\":",
	    r->found ? "fail" : "pass");
	json_string(f, explore_stop_name(r->stop));
	fprintf(f, ",\"exhaustive\":%s,\"bound\":%d,\"schedules\":%" PRIu64
	    ",\"equivalent_pruned\":%" PRIu64 ",\"bound_pruned\":%" PRIu64
	    ",\"truncated\":%" PRIu64 ",\"steps\":%" PRIu64
	    ",\"elapsed_ms\":%" PRIu64 ",\"first_failure_ms\":%" PRIu64
	    "},\"outcomes\":[",
	    r->stop == EXPLORE_EXHAUSTIVE ? "true" : "false", r->bound,
	    r->schedules, r->equivalent, r->bounded, r->truncated, r->steps,
	    r->elapsed_ms, r->first_ms);
	for (i = 0; i < r->nrows; i++) {
		fputs(i > 0 ? ",{\"outcome\":" : "{\"outcome\":", f);
		json_string(f, r->rows[i].key);
		fprintf(f, ",\"failed\":%s,\"count\":%" PRIu64 ",\"example\":",
		    r->rows[i].failed ? "true" : "false", r->rows[i].count);
		explore_json_schedule(f, meta, &r->rows[i].example);
		putc('}', f);
	}
	fputs("],\"first_failure\":", f);
	if (!r->found)
		fputs("null", f);
	else {
		fputs("{\"outcome\":", f);
		json_string(f, r->failure_key);
		fputs(",\"why\":", f);
		json_string(f, r->failure_detail);
		fputs(",\"schedule\":", f);
		explore_json_schedule(f, meta, &r->failure);
		fputs(",\"captions\":[", f);
		for (i = 0; i < st->n; i++) {
			if (i > 0)
				putc(',', f);
			json_string(f, st->lines[i]);
		}
		fputs("],\"trace\":", f);
		json_string(f, found);
		putc('}', f);
	}
	fputs("}\n", f);
}

static void
explore_print_text(FILE *f, const struct scn_file *file,
    const struct trace_meta *meta, const struct explore_result *r,
    const struct explore_story *st, const char *found, int quiet)
{
	size_t	i;

	fprintf(f, "scenario: %s%s%s\n", file->path, meta->title != NULL ?
	    " - " : "", meta->title != NULL ? meta->title : "");
	fprintf(f, "search: %s", explore_stop_name(r->stop));
	if (r->stop == EXPLORE_BOUND)
		fprintf(f, " (every schedule with up to %d preemption%s)",
		    r->bound, r->bound == 1 ? "" : "s");
	else if (r->stop == EXPLORE_STEPS)
		;
	else if (r->stop != EXPLORE_EXHAUSTIVE && r->bound >= 0)
		fprintf(f, " (every schedule with up to %d preemption%s was "
		    "searched)", r->bound, r->bound == 1 ? "" : "s");
	else if (r->stop != EXPLORE_EXHAUSTIVE)
		fputs(" (not even every schedule without preemption was "
		    "searched)", f);
	fprintf(f, "; %" PRIu64 " schedule%s run to the end, %" PRIu64
	    " equivalent ones cut short, %" PRIu64 " cut by the bound; %"
	    PRIu64 ".%03" PRIu64 " s\n", r->schedules, r->schedules == 1 ?
	    "" : "s", r->equivalent, r->bounded, r->elapsed_ms / 1000,
	    r->elapsed_ms % 1000);
	if (r->truncated > 0)
		fprintf(f, "  %" PRIu64 " schedule%s cut at --max-steps (the "
		    "scenario may not end)\n", r->truncated,
		    r->truncated == 1 ? "" : "s");
	if (!quiet) {
		fputs("outcomes (schedules of the widest search reaching each):"
		    "\n", f);
		for (i = 0; i < r->nrows; i++) {
			fprintf(f, "  %8" PRIu64 "  %s%s\n", r->rows[i].count,
			    r->rows[i].failed ? "FAIL " : "ok   ",
			    r->rows[i].key);
		}
	}
	if (!r->found) {
		fprintf(f, "verdict: PASS: no schedule searched fails\n");
		return;
	}
	fprintf(f, "verdict: FAIL: %s\n", r->failure_key);
	fprintf(f, "first failure: %d preemption%s, %zu steps%s, found "
	    "after %" PRIu64 ".%03" PRIu64 " s\n", r->failure.preemptions,
	    r->failure.preemptions == 1 ? "" : "s", r->failure.n,
	    r->failure.preemptions > 0 ? " (no schedule with fewer fails)" :
	    "", r->first_ms / 1000, r->first_ms % 1000);
	if (quiet)
		return;
	fputs("  schedule: ", f);
	explore_schedule_text(f, meta, &r->failure);
	putc('\n', f);
	for (i = 0; i < st->n; i++)
		fprintf(f, "  %s\n", st->lines[i]);
	if (found != NULL)
		fprintf(f, "  saved: %s (lockstep replay %s, or lockstep %s "
		    "--schedule %s)\n", found, found, file->path, found);
}

int
cmd_explore(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "preemptions", required_argument, NULL, 'P' },
		{ "max-schedules", required_argument, NULL, 'N' },
		{ "time-limit", required_argument, NULL, 'T' },
		{ "max-steps", required_argument, NULL, 'M' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct explore_opts	 o;
	struct explore_result	 r;
	struct explore_story	 st;
	struct explore_real	*x = NULL;
	struct scn_file		*file;
	struct scn_diags	 diags;
	struct trace_meta	 meta;
	struct sigaction	 sa, old_int, old_term;
	const char		*output = NULL;
	char			*cause = NULL;
	double			 v;
	int			 ch, json = 0, quiet = 0, status, jobs;
	long			 ncpu;

	memset(&o, 0, sizeof o);
	o.max_preemptions = -1;
	o.time_limit_ms = 30000;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	jobs = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu;
	while ((ch = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'P':
			if (explore_number("--preemptions", optarg, 1000,
			    &v) != 0)
				return (EXIT_USAGE);
			o.max_preemptions = (int)v;
			break;
		case 'N':
			if (explore_number("--max-schedules", optarg, 1e12,
			    &v) != 0)
				return (EXIT_USAGE);
			o.max_schedules = (uint64_t)v;
			break;
		case 'T':
			if (explore_number("--time-limit", optarg, 1e6, &v) != 0)
				return (EXIT_USAGE);
			o.time_limit_ms = (uint64_t)(v * 1000.0);
			if (o.time_limit_ms == 0 && v > 0)
				o.time_limit_ms = 1;
			break;
		case 'M':
			if (explore_number("--max-steps", optarg, 1e9, &v) != 0)
				return (EXIT_USAGE);
			o.max_steps = (uint64_t)v;
			break;
		case 'J':
			if (explore_number("--jobs", optarg, 64, &v) != 0)
				return (EXIT_USAGE);
			jobs = v < 1 ? 1 : (int)v;
			break;
		case 'j':
			json = 1;
			break;
		case 'o':
			output = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			explore_usage(stdout);
			return (0);
		default:
			cmd_try_help("explore");
			return (EXIT_USAGE);
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "lockstep explore: %s\n", optind >= argc ?
		    "a scenario file is needed" : "one scenario file only");
		cmd_try_help("explore");
		return (EXIT_USAGE);
	}
	memset(&diags, 0, sizeof diags);
	if ((file = scenario_load(argv[optind], &diags)) == NULL) {
		scenario_diags_print(&diags, argv[optind], NULL, stderr);
		scenario_diags_done(&diags);
		return (EXIT_USAGE);
	}
	scenario_diags_done(&diags);
	scenario_meta_build(file, &meta);

	/* Ctrl-C ends the search with what it found; the run under way is
	   stopped by the search itself (nothing is left behind). */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = explore_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	o.interrupted = &explore_interrupted;

	x = explore_real_create(file, &meta);
	status = EXIT_RUNTIME;
	if (explore_run_jobs(&explore_real_ops, x, &o, jobs, &r, &cause) != 0)
		goto fail;
	memset(&st, 0, sizeof st);
	if (r.found) {
		if (explore_replay(x, file, &meta, &r.failure, r.failure_cut,
		    output, &st, &cause) != 0) {
			explore_result_done(&r);
			goto fail;
		}
		if (strcmp(st.key, r.failure_key) != 0) {
			xasprintf(&cause, "the failing schedule did not "
			    "reproduce on its own: the search saw '%s', a "
			    "second run gave '%s'", r.failure_key, st.key);
			explore_story_free(&st);
			explore_result_done(&r);
			goto fail;
		}
	}
	if (json)
		explore_print_json(stdout, file, &meta, &r, &st,
		    r.found ? output : NULL);
	else
		explore_print_text(stdout, file, &meta, &r, &st,
		    r.found ? output : NULL, quiet);
	fflush(stdout);
	if (output != NULL && !r.found && !json)
		fprintf(stderr, "lockstep explore: nothing failed: %s not "
		    "written\n", output);
	status = r.found ? EXIT_EXPECT : 0;
	explore_story_free(&st);
	explore_result_done(&r);
	explore_real_free(x);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	trace_meta_done(&meta);
	scenario_free(file);
	return (status);

fail:
	fprintf(stderr, "lockstep explore: %s\n", cause);
	free(cause);
	explore_real_free(x);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	trace_meta_done(&meta);
	scenario_free(file);
	return (status);
}
