/*
 * ui/draw.c: text that fits: width-aware output, lines, pane frames.
 *
 * Everything a view writes goes through ui_puts(), which clips to a number
 * of display columns (not bytes: a note may hold any UTF-8), replaces
 * control characters, and in an ASCII locale replaces non-ASCII bytes with
 * '?', so a pane can never spill into its neighbour.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui.h"
#include "util/utf8.h"

/* Display width of the first character of s (len bytes at most); its
   length in *n. Control characters and bytes that start no valid UTF-8
   sequence count as one '?'. */
static int
ui_char(const char *s, size_t len, size_t *n)
{
	uint32_t	cp;

	if ((unsigned char)*s < 0x80 || !ui_utf8() ||
	    (*n = utf8_decode((const unsigned char *)s, len, &cp)) == 0) {
		*n = 1;
		return (1);
	}
	return (utf8_cp_width(cp));
}

int
ui_text_width(const char *s)
{
	size_t	len = strlen(s), n;
	int	w = 0;

	while (len > 0) {
		w += ui_char(s, len, &n);
		s += n;
		len -= n;
	}
	return (w);
}

/*
 * With the wide-character curses, text goes straight into the window's
 * cells (mvwadd_wchnstr): decoding UTF-8 here once is several times faster
 * than waddnstr(), which converts every byte through the C library's
 * multibyte functions. Text with a character wider than one column takes
 * the slow path, which knows how to lay wide characters out.
 */
#if defined(NCURSES_VERSION) && defined(NCURSES_WIDECHAR) && NCURSES_WIDECHAR
#define UI_FAST	1
#else
#define UI_FAST	0
#endif

#if UI_FAST
/* Cells for at most maxw columns of s; the number made, or -1 if s holds
   a character that is not one column wide. */
static int
ui_cells(const char *s, int maxw, attr_t attr, cchar_t *cells)
{
	static wchar_t		 last;
	static int		 lastw = 1;
	const unsigned char	*p = (const unsigned char *)s;
	cchar_t			 tmpl;
	wchar_t			 wc, blank[2] = { L' ', 0 };
	uint32_t		 cp;
	size_t			 len;
	int			 n = 0;

	setcchar(&tmpl, blank, attr & ~A_COLOR, (short)PAIR_NUMBER(attr),
	    NULL);
	while (*p != '\0' && n < maxw) {
		if (*p < 0x80 || !ui_utf8()) {
			wc = *p < 0x20 || *p == 0x7f ? (*p == '\t' ? ' ' :
			    '?') : *p < 0x80 ? *p : '?';
			p++;
		} else {
			if ((len = utf8_next(p, &cp)) == 0) {
				wc = '?';
				len = 1;
			} else
				wc = (wchar_t)cp;
			p += len;
			/* Box drawing repeats: remember the last answer. */
			if (wc != last) {
				last = wc;
				lastw = wc < 0x300 ? 1 :
				    utf8_cp_width((uint32_t)wc);
			}
			if (lastw != 1)
				return (-1);
		}
		cells[n] = tmpl;
		cells[n].chars[0] = wc;
		n++;
	}
	return (n);
}
#endif

/* Write s at (y, x), at most maxw columns; returns the columns written. */
int
ui_puts(WINDOW *win, int y, int x, int maxw, enum ui_role role,
    const char *s)
{
	char	 buf[1024];
	size_t	 len, n, o = 0;
	int	 w = 0, cw, wy, wx;
#if UI_FAST
	cchar_t	 cells[512];
#endif

	if (win == NULL || s == NULL || maxw <= 0)
		return (0);
	getmaxyx(win, wy, wx);
	if (y < 0 || y >= wy || x < 0 || x >= wx)
		return (0);
	if (maxw > wx - x)
		maxw = wx - x;
#if UI_FAST
	if (maxw > 512)
		maxw = 512;
	if ((w = ui_cells(s, maxw, ui_attr(role), cells)) >= 0) {
		if (w > 0)
			mvwadd_wchnstr(win, y, x, cells, w);
		return (w);
	}
	w = 0;
#endif
	len = strlen(s);
	while (len > 0 && o < sizeof buf - 8) {
		cw = ui_char(s, len, &n);
		if (w + cw > maxw)
			break;
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf[o++] = *s == '\t' ? ' ' : '?';
		else if ((unsigned char)*s >= 0x80 && (!ui_utf8() || n == 1))
			buf[o++] = '?';		/* not a character here */
		else {
			memcpy(buf + o, s, n);
			o += n;
		}
		w += cw;
		s += n;
		len -= n;
	}
	buf[o] = '\0';
	wattrset(win, ui_attr(role));
	mvwaddnstr(win, y, x, buf, (int)o);
	return (w);
}

/*
 * s in at most maxw columns, into buf (len bytes): whole if it fits, else
 * its start and its end with an ellipsis between ("smok…match"), so that
 * names that differ only at the end stay distinct. Returns the width.
 */
int
ui_elide(const char *s, int maxw, char *buf, size_t len)
{
	const char	*ell = ui_glyph(UI_G_ELLIPSIS), *p, *tail;
	size_t		 slen = strlen(s), n, o = 0, el = strlen(ell);
	int		 w = ui_text_width(s), head, back, cw, ew;

	if (len == 0)
		return (0);
	if (w <= maxw || maxw < 3) {
		snprintf(buf, len, "%s", s);
		return (w <= maxw ? w : maxw);
	}
	ew = ui_text_width(ell);
	back = (maxw - ew) / 2;
	head = maxw - ew - back;
	/* The first head columns. */
	for (p = s, cw = 0; *p != '\0';) {
		int	c = ui_char(p, slen - (size_t)(p - s), &n);

		if (cw + c > head)
			break;
		cw += c;
		p += n;
	}
	n = (size_t)(p - s);
	if (n + el + 1 > len)
		n = len > el + 1 ? len - el - 1 : 0;
	memcpy(buf, s, n);
	o = n;
	memcpy(buf + o, ell, el);
	o += el;
	/* The last back columns: walk forward until the rest fits. */
	for (tail = s; *tail != '\0';) {
		if (ui_text_width(tail) <= back)
			break;
		ui_char(tail, slen - (size_t)(tail - s), &n);
		tail += n;
	}
	snprintf(buf + o, len - o, "%s", tail);
	return (cw + ew + ui_text_width(tail));
}

/* The same for len bytes of s. */
int
ui_putn(WINDOW *win, int y, int x, int maxw, enum ui_role role,
    const char *s, size_t len)
{
	char	buf[1024];

	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return (ui_puts(win, y, x, maxw, role, buf));
}

int
ui_printf(WINDOW *win, int y, int x, int maxw, enum ui_role role,
    const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return (ui_puts(win, y, x, maxw, role, buf));
}

void
ui_fill(WINDOW *win, int y, int x, int n, enum ui_role role)
{
	int	wy, wx;

	getmaxyx(win, wy, wx);
	if (y < 0 || y >= wy || x < 0 || x >= wx)
		return;
	if (n > wx - x)
		n = wx - x;
	if (n <= 0)
		return;
	wattrset(win, ui_attr(role));
	mvwhline(win, y, x, ' ', n);
}

void
ui_hline(WINDOW *win, int y, int x, int n, enum ui_role role)
{
	char		 buf[1024];
	const char	*g = ui_glyph(UI_G_HLINE);
	size_t		 gl = strlen(g), o = 0;
	int		 i;

	for (i = 0; i < n && o + gl < sizeof buf; i++) {
		memcpy(buf + o, g, gl);
		o += gl;
	}
	buf[o] = '\0';
	ui_puts(win, y, x, n, role, buf);
}

/* Content area of a pane: below the title, right of the separator. */
int
ui_pane_top(const struct ui_pane *p)
{
	return (p->view->titled ? 1 : 0);
}

int
ui_pane_left(const struct ui_pane *p)
{
	return (p->border ? 2 : 1);
}

int
ui_pane_width(const struct ui_pane *p)
{
	int	w = p->w - ui_pane_left(p) - 1;

	return (w < 0 ? 0 : w);
}

int
ui_pane_height(const struct ui_pane *p)
{
	int	h = p->h - ui_pane_top(p);

	return (h < 0 ? 0 : h);
}

/* Clear a pane, draw its separator and its title (highlighted when the
   pane has the focus). Content rows are counted from here on. */
void
ui_pane_begin(struct ui *ui, struct ui_pane *p, const char *title)
{
	WINDOW		*win = p->win;
	int		 y, x, focused;

	werase(win);
	p->rows = 0;
	if (p->border) {
		for (y = 0; y < p->h; y++)
			ui_puts(win, y, 0, 1, UI_R_BORDER,
			    ui_glyph(UI_G_VLINE));
	}
	if (!p->view->titled)
		return;
	focused = ui != NULL && ui->focus == (int)(p - ui->panes);
	x = p->border ? 1 : 0;
	ui_hline(win, 0, x, p->w - x, focused ? UI_R_TITLE_FOCUS :
	    UI_R_BORDER);
	ui_printf(win, 0, x + 1, p->w - x - 2, focused ? UI_R_TITLE_FOCUS :
	    UI_R_TITLE, " %s ", title);
}

/* After drawing: keep the scroll position in range (redrawing once if it
   moved) and show arrows in the title when more is above or below. */
void
ui_pane_end(struct ui *ui, struct ui_pane *p)
{
	static int	 again;
	int		 max, h = ui_pane_height(p), focused;
	char		 more[32];

	max = p->rows - h;
	if (max < 0)
		max = 0;
	if (p->scroll > max && !again) {
		p->scroll = max;
		again = 1;
		p->view->draw(ui, p);
		again = 0;
		return;
	}
	if (!p->view->titled || (p->scroll == 0 && p->rows <= h))
		return;
	focused = ui != NULL && ui->focus == (int)(p - ui->panes);
	/* How much is out of sight, not only that something is. */
	if (p->rows > p->scroll + h)
		snprintf(more, sizeof more, " %s%s %d more ",
		    p->scroll > 0 ? ui_glyph(UI_G_ARROW_U) : "",
		    ui_glyph(UI_G_ARROW_D), p->rows - p->scroll - h);
	else
		snprintf(more, sizeof more, " %s %d above ",
		    ui_glyph(UI_G_ARROW_U), p->scroll);
	ui_puts(p->win, 0, p->w - 1 - ui_text_width(more), 20,
	    focused ? UI_R_TITLE_FOCUS : UI_R_TITLE, more);
}

/* Window row of content row `row` after scrolling, or -1 if not shown. */
int
ui_pane_row(struct ui_pane *p, int row)
{
	int	r = row - p->scroll;

	if (row + 1 > p->rows)
		p->rows = row + 1;
	if (r < 0 || r >= ui_pane_height(p))
		return (-1);
	return (r + ui_pane_top(p));
}

/* Split text into lines of at most width columns at spaces; fills starts
   and lens (bytes) and returns the number of lines (at most max). */
size_t
ui_wrap(const char *s, int width, const char **starts, int *lens,
    size_t max)
{
	size_t		 n = 0, len, cn = 1;
	const char	*line, *p, *brk;
	int		 w;

	if (width < 1)
		return (0);
	while (*s != '\0' && n < max) {
		while (*s == ' ' || *s == '\n')
			s++;
		if (*s == '\0')
			break;
		line = p = s;
		brk = NULL;
		w = 0;
		len = strlen(p);
		while (*p != '\0' && *p != '\n') {
			if (*p == ' ')
				brk = p;
			w += ui_char(p, len, &cn);
			if (w > width)
				break;
			p += cn;
			len -= cn;
		}
		if (*p != '\0' && *p != '\n' && brk != NULL && brk > line)
			p = brk;
		if (p == line)		/* one character wider than width */
			p += cn;
		starts[n] = line;
		lens[n] = (int)(p - line);
		n++;
		s = p;
	}
	return (n);
}
