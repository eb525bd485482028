/*
 * cli/ui-cmd.c: the commands that open the terminal UI.
 *
 *   lockstep               the picker; Enter opens the live view, q in
 *                          the live view comes back to the picker
 *   lockstep FILE.scn      the live view, paused at the first statement
 *   lockstep replay TRACE  the live view over a recorded trace (lockstep
 *                          record, or `w` in the live view), with
 *                          stepping back and jumps (start, end, next
 *                          detection)
 *
 * Everything that can fail with a message for the user happens before
 * curses owns the terminal (invalid scenario: diagnostics as `lockstep
 * check` prints them, exit 2; run cannot start: exit 3). Leaving, by q or
 * by a signal, always goes: terminal restored first, then every run
 * stopped (process groups killed and reaped, OS objects removed), then
 * exit; a signal is re-raised so the parent sees how we ended.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "export/tracefile.h"
#include "runtime/run.h"
#include "scenario/ast.h"
#include "ui/ui.h"
#include "util/esc.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define UI_DEFAULT_TEMPO	250

/* A scenario opened in the live view. */
struct ui_live {
	struct scn_file		*file;
	struct trace_meta	 meta;
	struct run		*run;
	uint16_t		*schedule;	/* --schedule: what n steps */
	size_t			 nschedule;
};


/* "lockstep: [PATH: ]CAUSE" on stderr, escaped: a file name or its text
   may hold control characters (util/esc.h). */
static void
ui_cause_print(const char *path, const char *cause)
{
	fputs("lockstep: ", stderr);
	if (path != NULL) {
		esc_fputs(path, stderr);
		fputs(": ", stderr);
	}
	esc_fputs(cause, stderr);
	fputc('\n', stderr);
}
static int
ui_theme_valid(void)
{
	const char	*t = getenv("LOCKSTEP_THEME");

	if (t == NULL || *t == '\0' || strcmp(t, "default") == 0 ||
	    strcmp(t, "contrast") == 0 || strcmp(t, "high-contrast") == 0 ||
	    strcmp(t, "mono") == 0)
		return (1);
	fprintf(stderr, "lockstep: unknown theme '%s' (default, contrast, "
	    "mono)\n", t);
	return (0);
}

/* Load and validate; on error the diagnostics go to *msg (in the picker)
   or stderr. */
static int
ui_live_load(struct ui_live *lv, const char *path, char **msg)
{
	struct scn_diags	 diags;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;

	memset(lv, 0, sizeof *lv);
	memset(&diags, 0, sizeof diags);
	lv->file = scenario_load(path, &diags);
	if (lv->file == NULL) {
		if (msg != NULL && (f = open_memstream(&buf, &len)) != NULL) {
			scenario_diags_print(&diags, path, NULL, f);
			fclose(f);
			*msg = buf;
		} else
			scenario_diags_print(&diags, path, NULL, stderr);
		scenario_diags_done(&diags);
		return (-1);
	}
	scenario_diags_done(&diags);
	trace_meta_init(&lv->meta);
	scenario_meta_build(lv->file, &lv->meta);
	return (0);
}

static int
ui_live_start(struct ui_live *lv, char **cause)
{
	struct run_options	opts;

	memset(&opts, 0, sizeof opts);
	opts.paused = 1;
	opts.tempo_ms = UI_DEFAULT_TEMPO;
	opts.schedule = lv->schedule;
	opts.nschedule = lv->nschedule;
	lv->run = run_create(lv->file, &lv->meta, &opts);
	if (lv->run == NULL) {
		xasprintf(cause, "cannot create the run");
		return (-1);
	}
	return (run_start(lv->run, cause));
}

static void
ui_live_done(struct ui_live *lv)
{
	if (lv->run != NULL)
		run_free(lv->run);
	lv->run = NULL;
	free(lv->schedule);
	lv->schedule = NULL;
	lv->nschedule = 0;
	if (lv->file != NULL) {
		trace_meta_done(&lv->meta);
		scenario_free(lv->file);
	}
	lv->file = NULL;
}

/* The live view over a started run; returns 0 or a signal number. */
static int
ui_live_view(struct ui_live *lv)
{
	struct ui_source	*src;
	struct ui		*ui;
	int			 sig;

	src = ui_source_live_create(lv->run, lv->file, &lv->meta);
	ui = ui_create(src, &lv->meta, lv->file);
	sig = ui_run(ui);
	ui_free(ui);
	ui_source_free(src);
	return (sig);
}

/* Leave after a signal: the terminal is back already; stop every run and
   end the way the signal would have. */
static int
ui_die(int sig)
{
	run_stop_all();
	log_debug("%s: ending on signal %d", __func__, sig);
	signal(sig, SIG_DFL);
	raise(sig);
	return (128 + sig);
}

/* The live view on a scenario, paused at its start; with schedule (a
   trace file's step choices, or a list of workers), n steps by it. */
static int
ui_open_file(const char *path, const char *schedule)
{
	struct ui_live	 lv;
	char		*cause = NULL;
	int		 sig;

	if (ui_live_load(&lv, path, NULL) != 0)
		return (EXIT_USAGE);
	if (schedule != NULL && tracefile_read_schedule(schedule, &lv.meta,
	    &lv.schedule, &lv.nschedule, &cause) != 0) {
		ui_cause_print(NULL, cause);
		free(cause);
		ui_live_done(&lv);
		return (EXIT_USAGE);
	}
	if (ui_screen_tty_claim(&cause) != 0) {
		ui_screen_tty_release();
		ui_cause_print(NULL, cause);
		free(cause);
		ui_live_done(&lv);
		return (EXIT_USAGE);
	}
	if (ui_live_start(&lv, &cause) != 0 ||
	    ui_screen_init(&cause) != 0) {
		ui_live_done(&lv);
		ui_screen_tty_release();
		ui_cause_print(path, cause != NULL ? cause :
		    "cannot start the run");
		free(cause);
		return (EXIT_RUNTIME);
	}
	sig = ui_live_view(&lv);
	ui_screen_done();
	ui_screen_tty_release();
	ui_live_done(&lv);
	if (sig != 0)
		return (ui_die(sig));
	return (0);
}

static int
ui_open_picker(void)
{
	struct ui_live	 lv;
	char		*cause = NULL, *path = NULL, *msg = NULL;
	size_t		 selected = 0;
	int		 r, sig = 0;

	if (ui_screen_tty_claim(&cause) != 0 || ui_screen_init(&cause) != 0) {
		ui_screen_tty_release();
		ui_cause_print(NULL, cause);
		free(cause);
		return (EXIT_USAGE);
	}
	for (;;) {
		r = ui_picker(&path, &selected, msg);
		free(msg);
		msg = NULL;
		if (r <= 0) {
			sig = -r;
			break;
		}
		if (ui_live_load(&lv, path, &msg) != 0) {
			free(path);
			continue;
		}
		if (ui_live_start(&lv, &cause) != 0) {
			xasprintf(&msg, "%s: %s", path, cause != NULL ? cause :
			    "cannot start the run");
			free(cause);
			cause = NULL;
			ui_live_done(&lv);
			free(path);
			continue;
		}
		free(path);
		sig = ui_live_view(&lv);
		ui_live_done(&lv);
		if (sig != 0)
			break;
	}
	ui_screen_done();
	ui_screen_tty_release();
	if (sig != 0)
		return (ui_die(sig));
	return (0);
}

int
cmd_ui(int argc, char **argv)
{
	const char	*schedule = NULL;

	if (!ui_theme_valid())
		return (EXIT_USAGE);
	/* lockstep FILE [--schedule TRACE] (explore -o writes one) */
	if (argc == 3 && strcmp(argv[1], "--schedule") == 0) {
		schedule = argv[2];
		argc = 1;
	}
	if (argc > 1) {
		fprintf(stderr, "lockstep: unexpected argument '%s'\n",
		    argv[1]);
		cmd_try_help(NULL);
		return (EXIT_USAGE);
	}
	if (argc == 1)
		return (ui_open_file(argv[0], schedule));
	return (ui_open_picker());
}

int
cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tracefile	*tf;
	struct scn_file		*file;
	struct scn_diags	 diags;
	struct ui_source	*src;
	struct ui		*ui;
	char			*cause = NULL;
	int			 ch, sig;

	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			printf("Usage: lockstep replay TRACE\n"
			    "Step through a recorded trace (lockstep record, or "
			    "w in the live view)\nforward and back; g and G "
			    "jump to the start and the end, d and D to the\n"
			    "next and previous detection.\n");
			return (0);
		default:
			cmd_try_help("replay");
			return (EXIT_USAGE);
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "Usage: lockstep replay TRACE\n");
		return (EXIT_USAGE);
	}
	if (!ui_theme_valid())
		return (EXIT_USAGE);
	if ((tf = tracefile_map(argv[optind], &cause)) == NULL) {
		ui_cause_print(NULL, cause);
		free(cause);
		return (EXIT_USAGE);
	}
	/* The scenario text is in the trace: parse it for the notes. */
	memset(&diags, 0, sizeof diags);
	file = NULL;
	if (tf->meta.source != NULL)
		file = scenario_load_text(tf->meta.path != NULL ?
		    tf->meta.path : argv[optind], tf->meta.source,
		    strlen(tf->meta.source), &diags);
	scenario_diags_done(&diags);
	if (ui_screen_tty_claim(&cause) != 0 || ui_screen_init(&cause) != 0) {
		ui_screen_tty_release();
		ui_cause_print(NULL, cause);
		free(cause);
		if (file != NULL)
			scenario_free(file);
		tracefile_free(tf);
		return (EXIT_USAGE);
	}
	src = ui_source_recorded_create(&tf->meta, tf->events,
	    (size_t)tf->nevents, tf->strtab, tf->strtab_len);
	ui_source_recorded_extra(src, tf->choices, tf->nchoices, tf->dropped);
	ui_source_recorded_file(src, tf);
	ui = ui_create(src, &tf->meta, file);
	sig = ui_run(ui);
	ui_free(ui);
	ui_source_free(src);
	ui_screen_done();
	ui_screen_tty_release();
	if (file != NULL)
		scenario_free(file);
	if (tracefile_shrank(tf)) {
		/* Cut while shown: what was cut read as nothing. */
		xasprintf(&cause, "%s: the file shrank while it was replayed",
		    argv[optind]);
		ui_cause_print(NULL, cause);
		free(cause);
		tracefile_free(tf);
		return (EXIT_USAGE);
	}
	tracefile_free(tf);
	if (sig != 0)
		return (ui_die(sig));
	return (0);
}
