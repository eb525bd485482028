/*
 * ui/view-bars.c: the header, the caption, the key bar and the overlays.
 *
 * The header names the scenario and says in one word what the run is
 * doing (PAUSED, RUNNING, DEADLOCK...). The caption is the lesson: a
 * banner when something happened that the scenario is about (a deadlock,
 * a stall, a failed expectation), the scenario's `about`, the `note` of
 * the statement just executed and plain words for what the last action
 * did (model_explain), or the answer to the last key. The key bar lists
 * what can be pressed in this mode (live or replay), closer together and
 * then fewer when narrow; `?` shows them all.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

/* Header. */

static const char *
header_state(const struct ui *ui, enum ui_role *role)
{
	const struct model_detect	*d = &ui->model->detect;

	*role = UI_R_HEADER_STATE;
	if (d->deadlock || d->self_deadlock) {
		*role = UI_R_BANNER;
		return ("DEADLOCK");
	}
	if (d->stall) {
		*role = UI_R_WARN;
		return ("STALL");
	}
	if (ui->finished && ui->src->ops->lost != NULL &&
	    ui->src->ops->lost(ui->src, NULL, 0)) {
		*role = UI_R_BANNER;
		return ("RUNNER DIED");
	}
	if (ui->finished)
		return ("FINISHED");
	if (ui->src->ops->paused(ui->src))
		return ("PAUSED");
	return ("RUNNING");
}

static void
header_draw(struct ui *ui, struct ui_pane *p)
{
	WINDOW		*win = p->win;
	const char	*state;
	enum ui_role	 role;
	char		 right[96], tempo[16];
	uint64_t	 at, total;
	int		 x, rw;

	werase(win);
	ui_fill(win, 0, 0, p->w, UI_R_HEADER);
	state = header_state(ui, &role);
	if (ui_tempo_ms(ui) == 0)
		snprintf(tempo, sizeof tempo, "max");
	else
		snprintf(tempo, sizeof tempo, "%dms", ui_tempo_ms(ui));
	if (ui->replay) {
		ui->src->ops->position(ui->src, &at, &total);
		snprintf(right, sizeof right, " replay %llu/%llu  tempo %s ",
		    (unsigned long long)at, (unsigned long long)total, tempo);
	} else
		snprintf(right, sizeof right, " events %llu  tempo %s  "
		    "time %.3fs ", (unsigned long long)ui->model->nevents,
		    tempo, ui->model->nevents > 0 ? (double)(ui->model->now -
		    ui->model->t0) / 1e9 : 0.0);	/* scenario time */
	if (ui->model->dropped > 0)
		snprintf(right + strlen(right), sizeof right - strlen(right),
		    "dropped %llu ", (unsigned long long)ui->model->dropped);
	rw = ui_text_width(right) + (int)strlen(state) + 2;
	if (rw > p->w / 2)
		rw = (int)strlen(state) + 2;
	x = ui_puts(win, 0, 0, p->w, UI_R_HEADER_STATE, " lockstep ");
	x++;
	ui_puts(win, 0, x, p->w - x - rw - 1, UI_R_HEADER,
	    ui->meta->title != NULL && *ui->meta->title != '\0' ?
	    ui->meta->title : ui->meta->path);
	x = p->w - rw;
	x += ui_printf(win, 0, x, p->w - x, role, " %s ", state);
	ui_puts(win, 0, x, p->w - x, UI_R_HEADER, right);
}

const struct ui_view ui_view_header = {
	.name = "Header",
	.changes = UI_CH_HEADER,
	.min_height = 1,
	.draw = header_draw,
};

/* Caption. */

/* Explanations: when they do not fit and the note's row is free, they
   take it too rather than lose their end. */
static void
caption_explain(struct ui *ui, WINDOW *win, int row, int width,
    const char *text)
{
	const char	*starts[2];
	int		 lens[2];
	size_t		 n;

	if (ui->note[0] == '\0' && ui_text_width(text) > width &&
	    (n = ui_wrap(text, width, starts, lens, 2)) == 2) {
		ui_putn(win, row - 1, 1, width, UI_R_EXPLAIN, starts[0],
		    (size_t)lens[0]);
		ui_puts(win, row, 1, width, UI_R_EXPLAIN, starts[1]);
		return;
	}
	ui_puts(win, row, 1, width, UI_R_EXPLAIN, text);
}

/* "t1 ran line 4 (x = 1); next it runs line 5: print x". */
static void
caption_moved(struct ui *ui, WINDOW *win, int row, int width)
{
	int	w = ui->last_stepped, line, ran;
	char	stmt[128], prev[128], buf[400];

	line = ui->model->workers[w].line;
	ran = ui->ran_line != NULL ? ui->ran_line[w] : 0;
	ui_worker_statement(ui, line, stmt, sizeof stmt);
	if (ran > 0 && ran != line) {
		ui_worker_statement(ui, ran, prev, sizeof prev);
		snprintf(buf, sizeof buf, "%s ran line %d (%s); next it runs "
		    "line %d: %s", ui_worker_name(ui, (uint16_t)w), ran, prev,
		    line, stmt);
	} else
		snprintf(buf, sizeof buf, "%s is about to run line %d: %s",
		    ui_worker_name(ui, (uint16_t)w), line, stmt);
	caption_explain(ui, win, row, width, buf);
}

/*
 * The caption, top to bottom: a banner or the Lesson title; the about
 * text (scrolled when focused, whole when zoomed); when someone waits and
 * the wait-for pane is not on screen, the wait-for line in place of the
 * about's first row; the note of the statement just run; what the last
 * action did, or the answer to the last key.
 */
static void
caption_draw(struct ui *ui, struct ui_pane *p)
{
	WINDOW		*win = p->win;
	const char	*starts[256], *about;
	int		 lens[256], row, width = p->w - 2, nabout, i, x, top;
	int		 focused = ui->focus == UI_P_CAPTION, arow, wl = 0;
	size_t		 n;
	char		 buf[3 * UI_LOG_TEXT + 8], more[32];

	werase(win);
	if (ui->banner[0] != '\0') {
		ui_fill(win, 0, 0, p->w, ui->banner_role);
		ui_puts(win, 0, 1, width, ui->banner_role, ui->banner);
	} else {
		ui_hline(win, 0, 0, p->w, focused ? UI_R_TITLE_FOCUS :
		    UI_R_BORDER);
		ui_puts(win, 0, 1, width, focused ? UI_R_TITLE_FOCUS :
		    UI_R_TITLE, " Lesson ");
	}
	/* Rows 1..h-3: about (wrapped), the note, what just happened. */
	nabout = p->h - 3;
	if (nabout < 1)
		nabout = 1;
	arow = 1;
	if (!ui_layout_visible(ui, UI_P_GRAPH) && !ui->zoom &&
	    ui_worker_waits(ui) > 0) {
		ui_waitline(ui, width, buf, sizeof buf);
		ui_puts(win, arow, 1, width, UI_R_W_BLOCKED, buf);
		wl = 1;
	}
	about = ui->about != NULL ? ui->about : "";
	n = ui_wrap(about, width, starts, lens, 256);
	p->rows = (int)n;
	if (p->scroll > (int)n - (nabout - wl))
		p->scroll = (int)n - (nabout - wl);
	if (p->scroll < 0)
		p->scroll = 0;
	top = p->scroll;
	for (i = 0; i < nabout - wl && top + i < (int)n; i++)
		ui_putn(win, arow + wl + i, 1, width, UI_R_ABOUT,
		    starts[top + i], (size_t)lens[top + i]);
	if ((int)n > top + nabout - wl) {
		/* More of the lesson below: say how much, and how. */
		snprintf(more, sizeof more, " %s %d more%s ",
		    ui_glyph(UI_G_ARROW_D), (int)n - top - (nabout - wl),
		    focused ? "" : " (Tab, z)");
		x = ui_text_width(more);
		ui_puts(win, 0, p->w - 1 - x, x, focused ? UI_R_TITLE_FOCUS :
		    UI_R_TITLE, more);
	} else if (top > 0) {
		snprintf(more, sizeof more, " %s %d above ",
		    ui_glyph(UI_G_ARROW_U), top);
		x = ui_text_width(more);
		ui_puts(win, 0, p->w - 1 - x, x, UI_R_TITLE, more);
	}
	row = 1 + nabout;
	if (ui->note[0] != '\0') {
		x = 1;
		x += ui_printf(win, row, x, width, UI_R_NOTE, "%s %s: ",
		    ui_glyph(UI_G_BULLET), ui_worker_name(ui,
		    ui->note_worker));
		ui_puts(win, row, x, width - x + 1, UI_R_NOTE, ui->note);
	}
	row++;
	if (ui->message[0] != '\0') {
		/* A long message (a saved file's path) takes the note's row
		   too: it answers the key just pressed. */
		n = ui_wrap(ui->message, width, starts, lens, 2);
		if (n == 2 && row > 1) {
			wmove(win, row - 1, 0);
			wclrtoeol(win);
			ui_putn(win, row - 1, 1, width, UI_R_WARN, starts[0],
			    (size_t)lens[0]);
			ui_puts(win, row, 1, width, UI_R_WARN, starts[1]);
		} else
			ui_puts(win, row, 1, width, UI_R_WARN, ui->message);
	} else if (ui->nexplain > 0) {
		buf[0] = '\0';
		/* While running only the newest; paused, the whole step. */
		i = ui->src->ops->paused(ui->src) ? 0 : ui->nexplain - 1;
		for (; i < ui->nexplain; i++) {
			if (buf[0] != '\0')
				strcat(buf, "; ");
			strcat(buf, ui->explain[i]);
		}
		caption_explain(ui, win, row, width, buf);
	} else if (ui->last_stepped >= 0 &&
	    (size_t)ui->last_stepped < ui->meta->nworkers &&
	    ui->model->workers[ui->last_stepped].line > 0) {
		/* A step that did nothing to show (repeat, if, pass...):
		   the line it is about to run, which is not the one it
		   ran. */
		caption_moved(ui, win, row, width);
	} else if (ui->model->nevents == 0 || ui->last_stepped < 0)
		ui_puts(win, row, 1, width, UI_R_DIM,
		    "n steps the next worker, 1-9 a chosen one, Space runs, "
		    ". to the next event; ? for help.");
}

const struct ui_view ui_view_caption = {
	.name = "Caption",
	.changes = UI_CH_CAPTION | UI_CH_WORKERS,
	.min_height = 3,
	.draw = caption_draw,
};

/* Key bar. */

struct keys_item {
	const char	*key;
	const char	*label;
	int		 replay;	/* 1 only in replay, -1 only live */
	int		 drop;		/* when narrow, the highest goes first */
};

static const struct keys_item keys_items[] = {
	{ "Spc", "Run", -1, 1 },
	{ "Spc", "Play", 1, 1 },
	{ "n", "Step", 0, 1 },
	{ ".", "Next event", 0, 2 },
	{ "1-9", "Worker", -1, 3 },
	{ "e", "Explore", -1, 4 },
	{ "\xe2\x86\x90", "Back", 0, 2 },
	{ "g", "Start", 1, 2 },
	{ "G", "End", 1, 2 },
	{ "d", "Detection", 1, 2 },
	{ "+-", "Tempo", 0, 3 },
	{ "r", "Restart", -1, 3 },
	{ "x", "Breaks", 0, 5 },
	{ "w", "Save", 0, 4 },
	{ "Tab", "Pane", 0, 6 },
	{ "z", "Zoom", 0, 6 },
	{ "?", "Help", 0, 0 },
	{ "q", "Quit", 0, 0 },
};
#define KEYS_N	(sizeof keys_items / sizeof keys_items[0])

static const char *
keys_key(const struct keys_item *k)
{
	if (k->key[0] == '\xe2' && !ui_utf8())
		return ("<-");
	return (k->key);
}

/* Columns of an item: key, space, label, space. */
static int
keys_width(const struct keys_item *k)
{
	return (ui_text_width(keys_key(k)) + (int)strlen(k->label) + 2);
}

/*
 * Which items to show in w columns: those of this mode, two columns apart
 * if they all fit, else one; when even that is too wide, the least
 * needed (highest drop, the later of equals) goes and we try again.
 * Returns the gap (1 or 2 columns).
 */
static int
keys_fit(const struct ui *ui, int w, int show[KEYS_N])
{
	size_t	i, worst;
	int	n, total, gap;

	for (i = 0; i < KEYS_N; i++)
		show[i] = keys_items[i].replay == 0 ||
		    (keys_items[i].replay == 1) == (ui->replay != 0);
	for (;;) {
		n = total = 0;
		for (i = 0; i < KEYS_N; i++) {
			if (show[i]) {
				total += keys_width(&keys_items[i]);
				n++;
			}
		}
		for (gap = 2; gap >= 1; gap--) {
			if (n == 0 || total + (n - 1) * (gap - 1) <= w)
				return (gap);
		}
		worst = KEYS_N;
		for (i = 0; i < KEYS_N; i++) {
			if (show[i] && keys_items[i].drop > 0 &&
			    (worst == KEYS_N ||
			    keys_items[i].drop >= keys_items[worst].drop))
				worst = i;
		}
		if (worst == KEYS_N)
			return (1);
		show[worst] = 0;
	}
}

static void
keys_draw(struct ui *ui, struct ui_pane *p)
{
	const struct keys_item	*k;
	WINDOW			*win = p->win;
	int			 show[KEYS_N], x = 0, gap;
	size_t			 i;

	werase(win);
	gap = keys_fit(ui, p->w, show);
	for (i = 0; i < KEYS_N && x < p->w; i++) {
		if (!show[i])
			continue;
		k = &keys_items[i];
		if (x > 0 && gap == 2)
			x++;
		x += ui_puts(win, 0, x, p->w - x, UI_R_KEY, keys_key(k));
		x += ui_printf(win, 0, x, p->w - x, UI_R_KEY_LABEL, " %s ",
		    k->label);
	}
	if (x < p->w)
		ui_fill(win, 0, x, p->w - x, UI_R_KEY_LABEL);
}

const struct ui_view ui_view_keys = {
	.name = "Keys",
	.changes = UI_CH_KEYS,
	.min_height = 1,
	.draw = keys_draw,
};

/* Overlays: help and breakpoints, a box in the middle of the screen. */

static const char *const help_lines[] = {
	"Space        run / pause (replay: play at the tempo)",
	"n  Right     step the next worker that can move",
	"PgDn         the same (a presentation clicker's \"next\")",
	".  >         run to the next event worth a look: a block, a",
	"             wake-up, a lost update, a deadlock or stall",
	"1-9  click   step that worker (bright number: it can move)",
	"e            explore: search the schedules from here, load the",
	"             first that fails; n then steps through it",
	"Up Down Ent  worker list: move the cursor, step that worker",
	"Left  PgUp   step back (live: then step another way;",
	"             a clicker's \"previous\")",
	"b  B         blank the screen (a clicker's blank key);",
	"             any key brings it back",
	"g  G         replay: jump to the start / the end",
	"d  D         replay: next / previous detection",
	"+  -         faster / slower",
	"r            restart from the first statement",
	"x            breakpoints: when running stops by itself",
	"w            save the run as SCENARIO-DATE-TIME.lst",
	"Tab  S-Tab   focus the next pane (the lesson too)",
	"z            zoom the focused pane to the whole screen",
	"Up Down      scroll it (Shift-PgUp/PgDn a page, Home End)",
	"q  F10  quit   ?  F1  this help   Ctrl-L  redraw",
	"",
	"Worker states:",
	NULL
};

static void
overlay_box(WINDOW *win, int h, int w, const char *title)
{
	int	y;

	werase(win);
	wattrset(win, ui_attr(UI_R_BORDER));
	for (y = 0; y < h; y++) {
		mvwaddstr(win, y, 0, ui_glyph(y == 0 ? UI_G_ULCORNER :
		    y == h - 1 ? UI_G_LLCORNER : UI_G_VLINE));
		mvwaddstr(win, y, w - 1, ui_glyph(y == 0 ? UI_G_URCORNER :
		    y == h - 1 ? UI_G_LRCORNER : UI_G_VLINE));
	}
	ui_hline(win, 0, 1, w - 2, UI_R_BORDER);
	ui_hline(win, h - 1, 1, w - 2, UI_R_BORDER);
	ui_printf(win, 0, 2, w - 4, UI_R_TITLE, " %s ", title);
}

/* The help, scrolled by ui->help_scroll rows (Up/Down) when the screen
   is too short for all of it (80x24); the states come last. */
static void
overlay_help(struct ui *ui, WINDOW *win, int h, int w)
{
	int	i, x, s, row, nlines, total, per, rows, top;
	char	more[32];

	overlay_box(win, h, w, "Help");
	for (nlines = 0; help_lines[nlines] != NULL; nlines++)
		;
	per = (w - 6) / 14;
	if (per < 1)
		per = 1;
	rows = (MODEL_W_STATE_COUNT + per - 1) / per;
	total = nlines + rows;
	if (ui->help_scroll > total - (h - 2))
		ui->help_scroll = total - (h - 2);
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
	top = ui->help_scroll;
	for (i = top; i < nlines && i - top < h - 2; i++)
		ui_puts(win, 1 + i - top, 2, w - 4, UI_R_NORMAL,
		    help_lines[i]);
	for (s = 0; s < MODEL_W_STATE_COUNT; s++) {
		row = nlines + s / per - top;
		x = 4 + (s % per) * 14;
		if (row < 0 || row >= h - 2)
			continue;
		ui_puts(win, 1 + row, x, 2, ui_state_role((enum model_wstate)s),
		    ui_state_glyph((enum model_wstate)s));
		ui_puts(win, 1 + row, x + 2, 12, ui_state_role(
		    (enum model_wstate)s), model_wstate_name(
		    (enum model_wstate)s));
	}
	if (total > top + h - 2) {
		snprintf(more, sizeof more, " %s %d more (Down) ",
		    ui_glyph(UI_G_ARROW_D), total - top - (h - 2));
		ui_puts(win, h - 1, 2, w - 4, UI_R_TITLE, more);
	}
	ui_puts(win, h - 1, w - 22, 20, UI_R_DIM, " any key closes ");
}

static void
overlay_breaks(struct ui *ui, WINDOW *win, int h, int w)
{
	static const char *const what[UI_BP_COUNT] = {
		[UI_BP_DEADLOCK] = "a cycle of waits closes",
		[UI_BP_STALL] = "every live worker waits, no cycle",
		[UI_BP_CONTENTION] = "a worker has to wait for a lock or slot",
		[UI_BP_EXPECT] = "an expectation fails",
	};
	static const char keys[UI_BP_COUNT] = "dsce";
	int	i;

	overlay_box(win, h, w, "Breakpoints: pause when...");
	for (i = 0; i < UI_BP_COUNT && 1 + i < h - 1; i++) {
		ui_printf(win, 1 + i, 2, 4, UI_R_KEY, "%c", keys[i]);
		ui_printf(win, 1 + i, 4, 6, ui->bp[i] ? UI_R_OK : UI_R_DIM,
		    "[%s]", ui->bp[i] ? "x" : " ");
		ui_printf(win, 1 + i, 9, w - 11, UI_R_NORMAL, "%-11s %s",
		    ui_bp_name((enum ui_bp)i), what[i]);
	}
	ui_puts(win, h - 1, w - 30, 28, UI_R_DIM,
	    " d s c e toggle, Esc closes ");
}

void
ui_overlay_draw(struct ui *ui)
{
	int	h, w;

	if (ui->overlay_win != NULL) {
		delwin(ui->overlay_win);
		ui->overlay_win = NULL;
	}
	if (ui->overlay == UI_O_NONE || ui->too_small)
		return;
	if (ui->overlay == UI_O_HELP) {
		h = 26;
		w = 64;
	} else {
		h = UI_BP_COUNT + 2;
		w = 62;
	}
	if (h > ui->rows - 2)
		h = ui->rows - 2;
	if (w > ui->cols - 2)
		w = ui->cols - 2;
	ui->overlay_win = newwin(h, w, (ui->rows - h) / 2,
	    (ui->cols - w) / 2);
	if (ui->overlay_win == NULL)
		return;
	wbkgdset(ui->overlay_win, ui_attr(UI_R_NORMAL) | ' ');
	if (ui->overlay == UI_O_HELP)
		overlay_help(ui, ui->overlay_win, h, w);
	else
		overlay_breaks(ui, ui->overlay_win, h, w);
	wnoutrefresh(ui->overlay_win);
}
