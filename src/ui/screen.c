/*
 * ui/screen.c: the terminal: claiming it, curses, signals, giving it back.
 *
 * Order matters and is kept here in one place:
 *
 *   ui_screen_tty_claim()  keep the terminal on private descriptors and
 *                          point fds 1 and 2 at /dev/null, so nothing a
 *                          run (forked after this) prints can scribble
 *                          over the screen;
 *   ui_screen_init()       install signal handlers first (ncurses installs
 *                          its own SIGINT/SIGTERM/SIGWINCH handlers only
 *                          where none exists), then newterm() on the kept
 *                          terminal, theme and glyphs;
 *   ui_screen_done()       endwin(), old handlers back;
 *   ui_screen_tty_release() fds 1 and 2 back, so messages after the UI
 *                          reach the user.
 *
 * Signals go through a self-pipe: the handler writes the signal number and
 * does nothing else; the loop polls the pipe with the terminal and the run.
 * SIGWINCH is answered with resize_term() from the loop, never from the
 * handler.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui/ui.h"
#include "util/xmalloc.h"

#include <term.h>			/* last: it defines lines, columns */

static const int ui_screen_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH
};
#define UI_NSIGNALS	((int)(sizeof ui_screen_signals / sizeof (int)))

static struct sigaction	 ui_screen_old[UI_NSIGNALS];
static int		 ui_screen_pipe[2] = { -1, -1 };
static int		 ui_screen_tty = -1;	/* the terminal, for output */
static int		 ui_screen_err = -1;	/* the original stderr */
static SCREEN		*ui_screen;
static FILE		*ui_screen_out;
static WINDOW		*ui_screen_input;

static void
ui_screen_handler(int sig)
{
	int		saved = errno;
	unsigned char	c = (unsigned char)sig;

	if (write(ui_screen_pipe[1], &c, 1) == -1) {
		/* Pipe full: a signal is already pending; fine. */
	}
	errno = saved;
}

/*
 * Whether $TERM can draw the view: it must be known and able to move the
 * cursor (TERM=dumb, a printing terminal, cannot: the whole view would
 * come out on one line). Asked of terminfo before curses starts, so that
 * the answer is a message and exit status 2, not a garbled screen.
 */
static int
ui_screen_term_ok(char **cause)
{
	TERMINAL	*old = cur_term;
	const char	*term = getenv("TERM");
	char		*cup;
	int		 err = 0, ok;

	if (term == NULL || *term == '\0') {
		xasprintf(cause, "TERM is not set: the live view needs a "
		    "terminal type that can move the cursor (for a script, "
		    "use: lockstep run FILE --headless)");
		return (-1);
	}
	if (setupterm(term, STDOUT_FILENO, &err) != OK) {
		xasprintf(cause, "unknown terminal type '%s' (for a script, "
		    "use: lockstep run FILE --headless)", term);
		set_curterm(old);
		return (-1);
	}
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	set_curterm(old);
	if (!ok) {
		xasprintf(cause, "terminal type '%s' cannot move the cursor, "
		    "which the live view needs (try TERM=xterm-256color; for "
		    "a script, use: lockstep run FILE --headless)", term);
		return (-1);
	}
	return (0);
}

/* Keep the terminal for the UI and silence fds 1 and 2. */
int
ui_screen_tty_claim(char **cause)
{
	int	null;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		xasprintf(cause, "the live view needs a terminal (for a "
		    "script, use: lockstep run FILE --headless)");
		return (-1);
	}
	if (ui_screen_term_ok(cause) != 0)
		return (-1);
	fflush(stdout);
	fflush(stderr);
	ui_screen_tty = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	ui_screen_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (ui_screen_tty < 0 || ui_screen_err < 0 || null < 0) {
		xasprintf(cause, "cannot set up the terminal: %s",
		    strerror(errno));
		return (-1);
	}
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
	return (0);
}

void
ui_screen_tty_release(void)
{
	if (ui_screen_tty < 0)
		return;
	fflush(stdout);
	fflush(stderr);
	dup2(ui_screen_tty, STDOUT_FILENO);
	dup2(ui_screen_err, STDERR_FILENO);
	close(ui_screen_tty);
	close(ui_screen_err);
	ui_screen_tty = ui_screen_err = -1;
}

int
ui_screen_init(char **cause)
{
	struct sigaction	 sa;
	const char		*nc, *term;
	int			 i, fd, colour, utf8;

	setlocale(LC_ALL, "");
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	if (pipe(ui_screen_pipe) != 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	for (i = 0; i < 2; i++) {
		fcntl(ui_screen_pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(ui_screen_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_screen_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < UI_NSIGNALS; i++)
		sigaction(ui_screen_signals[i], &sa, &ui_screen_old[i]);

	fd = fcntl(ui_screen_tty >= 0 ? ui_screen_tty : STDOUT_FILENO,
	    F_DUPFD_CLOEXEC, 3);
	ui_screen_out = fd >= 0 ? fdopen(fd, "w") : NULL;
	term = getenv("TERM");
	ui_screen = ui_screen_out != NULL ? newterm(NULL, ui_screen_out,
	    stdin) : NULL;
	if (ui_screen == NULL) {
		xasprintf(cause, "cannot use terminal type '%s'",
		    term != NULL ? term : "(unset)");
		if (ui_screen_out != NULL)
			fclose(ui_screen_out);
		ui_screen_out = NULL;
		ui_screen_done();
		return (-1);
	}
	set_term(ui_screen);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	curs_set(0);
	set_escdelay(25);
	ui_screen_input = newpad(1, 1);
	keypad(ui_screen_input, TRUE);
	nodelay(ui_screen_input, TRUE);
	ui_screen_mouse(1);

	nc = getenv("NO_COLOR");
	colour = has_colors() && (nc == NULL || *nc == '\0');
	ui_theme_init(getenv("LOCKSTEP_THEME"), colour);
	ui_glyph_init(utf8);
	return (0);
}

void
ui_screen_mouse(int on)
{
	if (ui_screen == NULL)
		return;
	mouseinterval(0);
	mousemask(on ? (BUTTON1_PRESSED | BUTTON1_CLICKED |
	    BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	    | BUTTON5_PRESSED
#endif
	    ) : 0, NULL);
}

/* Give the terminal back exactly as it was. Safe to call twice. */
void
ui_screen_done(void)
{
	int	i;

	if (ui_screen != NULL) {
		ui_screen_mouse(0);
		if (ui_screen_input != NULL)
			delwin(ui_screen_input);
		ui_screen_input = NULL;
		endwin();
		delscreen(ui_screen);
		ui_screen = NULL;
	}
	if (ui_screen_out != NULL) {
		fclose(ui_screen_out);
		ui_screen_out = NULL;
	}
	if (ui_screen_pipe[0] >= 0) {
		for (i = 0; i < UI_NSIGNALS; i++)
			sigaction(ui_screen_signals[i], &ui_screen_old[i],
			    NULL);
		close(ui_screen_pipe[0]);
		close(ui_screen_pipe[1]);
		ui_screen_pipe[0] = ui_screen_pipe[1] = -1;
	}
}

int
ui_screen_active(void)
{
	return (ui_screen != NULL);
}

int
ui_screen_signal_fd(void)
{
	return (ui_screen_pipe[0]);
}

/* Drain the signal pipe: resize on SIGWINCH, return any other signal. */
int
ui_screen_signal(int *resized)
{
	struct winsize	ws;
	unsigned char	c;
	int		sig = 0;

	*resized = 0;
	while (ui_screen_pipe[0] >= 0 && read(ui_screen_pipe[0], &c, 1) == 1) {
		if (c != SIGWINCH) {
			sig = c;
			continue;
		}
		if (ioctl(ui_screen_tty >= 0 ? ui_screen_tty : STDOUT_FILENO,
		    TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
			resize_term(ws.ws_row, ws.ws_col);
			*resized = 1;
		}
	}
	return (sig);
}

int
ui_screen_getch(void)
{
	if (ui_screen_input == NULL)
		return (ERR);
	return (wgetch(ui_screen_input));
}
