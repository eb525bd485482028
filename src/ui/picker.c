/*
 * ui/picker.c: `lockstep` with no argument: choose a scenario.
 *
 * The catalog (scenario/catalog.h: $LOCKSTEP_SCENARIOS, ./scenarios and
 * the installed ones) as a list of name, title and one-line summary. `/`
 * starts a search that narrows the list as you type (name, title or
 * summary, any case); Enter opens the selection in the live view, and
 * quitting the live view comes back here. A scenario that does not load
 * shows its diagnostics at the bottom instead.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/catalog.h"
#include "ui/ui.h"
#include "util/xmalloc.h"

struct picker {
	struct catalog	 cat;
	size_t		*match;		/* indices into cat.v */
	size_t		 nmatch;
	size_t		 sel;		/* index into match */
	size_t		 top;
	char		 query[64];
	int		 searching;
	const char	*message;
	int		 rows, cols;
};

static int
picker_matches(const struct catalog_entry *e, const char *q)
{
	if (*q == '\0')
		return (1);
	return (strcasestr(e->name, q) != NULL ||
	    strcasestr(e->title, q) != NULL ||
	    strcasestr(e->summary, q) != NULL);
}

static void
picker_filter(struct picker *pk)
{
	size_t	i;

	pk->nmatch = 0;
	for (i = 0; i < pk->cat.n; i++)
		if (picker_matches(&pk->cat.v[i], pk->query))
			pk->match[pk->nmatch++] = i;
	if (pk->sel >= pk->nmatch)
		pk->sel = pk->nmatch > 0 ? pk->nmatch - 1 : 0;
}

static void
picker_draw(struct picker *pk)
{
	const struct catalog_entry	*e;
	const char			*starts[6];
	int				 lens[6], nmsg, per, rows, y, namew = 4;
	int				 x, n;
	size_t				 i, k;
	enum ui_role			 role;

	getmaxyx(stdscr, pk->rows, pk->cols);
	werase(stdscr);
	if (pk->cols < 30 || pk->rows < 8) {
		ui_puts(stdscr, 0, 0, pk->cols, UI_R_WARN, "Terminal too small");
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	ui_fill(stdscr, 0, 0, pk->cols, UI_R_HEADER);
	x = ui_puts(stdscr, 0, 0, pk->cols, UI_R_HEADER_STATE, " lockstep ");
	ui_puts(stdscr, 0, x + 1, pk->cols - x - 1, UI_R_HEADER,
	    "Pick a scenario: watch threads and processes race, lock, wait "
	    "and deadlock");
	if (pk->searching || pk->query[0] != '\0')
		ui_printf(stdscr, 1, 1, pk->cols - 2, UI_R_MATCH,
		    "Search: %s%s", pk->query, pk->searching ? "_" : "");
	else
		ui_printf(stdscr, 1, 1, pk->cols - 2, UI_R_DIM,
		    "%zu scenarios. / searches, Enter opens.", pk->cat.n);

	nmsg = 0;
	if (pk->message != NULL)
		nmsg = (int)ui_wrap(pk->message, pk->cols - 2, starts, lens,
		    4);
	rows = pk->rows - 3 - nmsg;
	per = rows >= 12 ? 2 : 1;
	for (i = 0; i < pk->cat.n; i++) {
		n = ui_text_width(pk->cat.v[i].name);
		if (n > namew)
			namew = n;
	}
	if (namew > pk->cols / 3)
		namew = pk->cols / 3;
	if (pk->sel < pk->top)
		pk->top = pk->sel;
	if ((int)(pk->sel - pk->top) >= rows / per)
		pk->top = pk->sel - (size_t)(rows / per) + 1;
	y = 2;
	for (k = pk->top; k < pk->nmatch && y + per <= 2 + rows; k++) {
		e = &pk->cat.v[pk->match[k]];
		role = k == pk->sel ? UI_R_SELECT : UI_R_NORMAL;
		if (k == pk->sel)
			ui_fill(stdscr, y, 0, pk->cols, role);
		ui_puts(stdscr, y, 1, namew, k == pk->sel ? role : UI_R_OBJECT,
		    e->name);
		ui_puts(stdscr, y, namew + 3, pk->cols - namew - 4, role,
		    e->title);
		if (per == 2)
			ui_puts(stdscr, y + 1, namew + 3, pk->cols - namew - 4,
			    UI_R_DIM, e->summary);
		y += per;
	}
	if (pk->nmatch == 0)
		ui_puts(stdscr, 3, 2, pk->cols - 4, UI_R_DIM, pk->cat.n == 0 ?
		    "No scenarios found (in $LOCKSTEP_SCENARIOS, ./scenarios "
		    "or " PKGDATADIR "/scenarios)." :
		    "Nothing matches; Backspace or Esc.");
	for (i = 0; i < (size_t)nmsg; i++)
		ui_putn(stdscr, pk->rows - 1 - nmsg + (int)i, 1, pk->cols - 2,
		    UI_R_BAD, starts[i], (size_t)lens[i]);
	x = 0;
	x += ui_puts(stdscr, pk->rows - 1, x, pk->cols, UI_R_KEY, "Enter");
	x += ui_puts(stdscr, pk->rows - 1, x, pk->cols - x, UI_R_KEY_LABEL,
	    "Open  ");
	x += ui_puts(stdscr, pk->rows - 1, x, pk->cols - x, UI_R_KEY, "/");
	x += ui_puts(stdscr, pk->rows - 1, x, pk->cols - x, UI_R_KEY_LABEL,
	    "Search  ");
	x += ui_puts(stdscr, pk->rows - 1, x, pk->cols - x, UI_R_KEY, "Esc");
	x += ui_puts(stdscr, pk->rows - 1, x, pk->cols - x, UI_R_KEY_LABEL,
	    "Clear  ");
	x += ui_puts(stdscr, pk->rows - 1, x, pk->cols - x, UI_R_KEY, "q");
	ui_puts(stdscr, pk->rows - 1, x, pk->cols - x, UI_R_KEY_LABEL,
	    "Quit");
	wnoutrefresh(stdscr);
	doupdate();
}

/* Returns 1 to open, 0 to quit, -1 for nothing special. */
static int
picker_key(struct picker *pk, int key)
{
	size_t	len = strlen(pk->query);
	int	page = pk->rows > 8 ? (pk->rows - 4) / 2 : 1;

	pk->message = NULL;
	switch (key) {
	case KEY_UP:
		if (pk->sel > 0)
			pk->sel--;
		return (-1);
	case KEY_DOWN:
		if (pk->sel + 1 < pk->nmatch)
			pk->sel++;
		return (-1);
	case KEY_PPAGE:
		pk->sel = pk->sel > (size_t)page ? pk->sel - (size_t)page : 0;
		return (-1);
	case KEY_NPAGE:
		pk->sel += (size_t)page;
		if (pk->sel >= pk->nmatch)
			pk->sel = pk->nmatch > 0 ? pk->nmatch - 1 : 0;
		return (-1);
	case KEY_HOME:
		pk->sel = 0;
		return (-1);
	case KEY_END:
		pk->sel = pk->nmatch > 0 ? pk->nmatch - 1 : 0;
		return (-1);
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (pk->searching) {
			pk->searching = 0;
			if (pk->nmatch != 1)
				return (-1);
		}
		return (pk->nmatch > 0 ? 1 : -1);
	case 27:			/* Esc */
		pk->searching = 0;
		pk->query[0] = '\0';
		picker_filter(pk);
		return (-1);
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (len > 0)
			pk->query[len - 1] = '\0';
		picker_filter(pk);
		return (-1);
	case KEY_F(10):
	case 3:
		return (0);
	case KEY_RESIZE:
		return (-1);
	}
	if (pk->searching && key >= 0x20 && key < 0x7f) {
		if (len + 1 < sizeof pk->query) {
			pk->query[len] = (char)key;
			pk->query[len + 1] = '\0';
		}
		picker_filter(pk);
		return (-1);
	}
	if (key == 'q' || key == 'Q')
		return (0);
	if (key == '/') {
		pk->searching = 1;
		return (-1);
	}
	return (-1);
}

int
ui_picker(char **path, size_t *selected, const char *message)
{
	struct picker	 pk;
	struct pollfd	 pfd[2];
	int		 key, r = -1, sig = 0, resized;

	memset(&pk, 0, sizeof pk);
	catalog_scan(&pk.cat);
	pk.match = xcalloc(pk.cat.n + 1, sizeof *pk.match);
	picker_filter(&pk);
	pk.sel = *selected < pk.nmatch ? *selected : 0;
	pk.message = message;
	clearok(curscr, TRUE);
	while (r < 0) {
		picker_draw(&pk);
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = ui_screen_signal_fd();
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if ((sig = ui_screen_signal(&resized)) != 0) {
			r = -sig;
			break;
		}
		if (resized)
			clearok(curscr, TRUE);
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			r = 0;
			break;
		}
		while (r < 0 && (key = ui_screen_getch()) != ERR)
			r = picker_key(&pk, key);
	}
	if (r == 1) {
		*path = xstrdup(pk.cat.v[pk.match[pk.sel]].path);
		/* Come back to the same line (of the unfiltered list). */
		*selected = pk.query[0] == '\0' ? pk.sel : 0;
	}
	free(pk.match);
	catalog_done(&pk.cat);
	return (r);
}
