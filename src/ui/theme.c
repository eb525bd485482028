/*
 * ui/theme.c: roles to attributes, and glyphs (UTF-8 or ASCII).
 *
 * A theme is a table indexed by enum ui_role giving a foreground, a
 * background and attributes. ui_theme_init() turns the chosen table into
 * one colour pair per role (so views never see pair numbers) or, without
 * colour, into attributes only: every state still has its own symbol and
 * a distinct attribute, so monochrome loses nothing essential.
 *
 * Colours with UI_BRIGHT use the bright half of a 16-colour terminal, or
 * bold on an 8-colour one.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui.h"

#define UI_BRIGHT	8
#define DEF		-1

struct ui_style {
	short	fg, bg;
	attr_t	attr;
};

static const struct ui_style ui_theme_default[UI_R_COUNT] = {
	[UI_R_NORMAL] = { DEF, DEF, 0 },
	[UI_R_DIM] = { COLOR_BLACK | UI_BRIGHT, DEF, 0 },
	[UI_R_BOLD] = { DEF, DEF, A_BOLD },
	[UI_R_TITLE] = { COLOR_CYAN, DEF, A_BOLD },
	[UI_R_TITLE_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
	[UI_R_HEADER] = { COLOR_WHITE, COLOR_BLUE, 0 },
	[UI_R_HEADER_STATE] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
	[UI_R_KEY] = { COLOR_BLACK, COLOR_CYAN, 0 },
	[UI_R_KEY_LABEL] = { DEF, DEF, 0 },
	[UI_R_LINENO] = { COLOR_BLACK | UI_BRIGHT, DEF, 0 },
	[UI_R_CURLINE] = { DEF, DEF, A_BOLD },
	[UI_R_W_NOT_STARTED] = { COLOR_BLACK | UI_BRIGHT, DEF, 0 },
	[UI_R_W_READY] = { COLOR_CYAN, DEF, A_BOLD },
	[UI_R_W_RUNNING] = { COLOR_GREEN, DEF, A_BOLD },
	[UI_R_W_BLOCKED] = { COLOR_RED, DEF, A_BOLD },
	[UI_R_W_SLEEPING] = { COLOR_BLUE | UI_BRIGHT, DEF, 0 },
	[UI_R_W_COMPUTING] = { COLOR_YELLOW, DEF, A_BOLD },
	[UI_R_W_DONE] = { COLOR_BLACK | UI_BRIGHT, DEF, 0 },
	[UI_R_W_CRASHED] = { COLOR_MAGENTA, DEF, A_BOLD },
	[UI_R_W_KILLED] = { COLOR_RED, DEF, 0 },
	[UI_R_OBJECT] = { COLOR_YELLOW, DEF, A_BOLD },
	[UI_R_HOLDER] = { COLOR_BLACK, COLOR_GREEN, 0 },
	[UI_R_FREE] = { COLOR_BLACK | UI_BRIGHT, DEF, 0 },
	[UI_R_CELL] = { COLOR_BLACK, COLOR_CYAN, 0 },
	[UI_R_OK] = { COLOR_GREEN, DEF, A_BOLD },
	[UI_R_BAD] = { COLOR_RED, DEF, A_BOLD },
	[UI_R_BANNER] = { COLOR_WHITE | UI_BRIGHT, COLOR_RED, A_BOLD },
	[UI_R_BANNER_OK] = { COLOR_BLACK, COLOR_GREEN, A_BOLD },
	[UI_R_WARN] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
	[UI_R_CYCLE] = { COLOR_RED, DEF, A_BOLD },
	[UI_R_ABOUT] = { DEF, DEF, 0 },
	[UI_R_NOTE] = { COLOR_YELLOW, DEF, A_BOLD },
	[UI_R_EXPLAIN] = { COLOR_CYAN, DEF, 0 },
	[UI_R_BORDER] = { COLOR_BLUE, DEF, 0 },
	[UI_R_SELECT] = { COLOR_BLACK, COLOR_CYAN, 0 },
	[UI_R_MATCH] = { COLOR_YELLOW, DEF, A_BOLD | A_UNDERLINE },
};

/* For projectors: black background, bright text, solid blocks. */
static const struct ui_style ui_theme_contrast[UI_R_COUNT] = {
	[UI_R_NORMAL] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_DIM] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_R_BOLD] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_TITLE] = { COLOR_YELLOW | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_TITLE_FOCUS] = { COLOR_BLACK, COLOR_YELLOW | UI_BRIGHT, A_BOLD },
	[UI_R_HEADER] = { COLOR_BLACK, COLOR_WHITE | UI_BRIGHT, A_BOLD },
	[UI_R_HEADER_STATE] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLUE, A_BOLD },
	[UI_R_KEY] = { COLOR_BLACK, COLOR_YELLOW | UI_BRIGHT, A_BOLD },
	[UI_R_KEY_LABEL] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_LINENO] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_R_CURLINE] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_W_NOT_STARTED] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_R_W_READY] = { COLOR_BLACK, COLOR_CYAN | UI_BRIGHT, A_BOLD },
	[UI_R_W_RUNNING] = { COLOR_BLACK, COLOR_GREEN | UI_BRIGHT, A_BOLD },
	[UI_R_W_BLOCKED] = { COLOR_WHITE | UI_BRIGHT, COLOR_RED, A_BOLD },
	[UI_R_W_SLEEPING] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLUE, A_BOLD },
	[UI_R_W_COMPUTING] = { COLOR_BLACK, COLOR_YELLOW | UI_BRIGHT, A_BOLD },
	[UI_R_W_DONE] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_R_W_CRASHED] = { COLOR_WHITE | UI_BRIGHT, COLOR_MAGENTA, A_BOLD },
	[UI_R_W_KILLED] = { COLOR_RED | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_OBJECT] = { COLOR_YELLOW | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_HOLDER] = { COLOR_BLACK, COLOR_GREEN | UI_BRIGHT, A_BOLD },
	[UI_R_FREE] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_R_CELL] = { COLOR_BLACK, COLOR_CYAN | UI_BRIGHT, A_BOLD },
	[UI_R_OK] = { COLOR_GREEN | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_BAD] = { COLOR_RED | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_BANNER] = { COLOR_YELLOW | UI_BRIGHT, COLOR_RED, A_BOLD },
	[UI_R_BANNER_OK] = { COLOR_BLACK, COLOR_GREEN | UI_BRIGHT, A_BOLD },
	[UI_R_WARN] = { COLOR_BLACK, COLOR_YELLOW | UI_BRIGHT, A_BOLD },
	[UI_R_CYCLE] = { COLOR_RED | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_ABOUT] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_NOTE] = { COLOR_YELLOW | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_EXPLAIN] = { COLOR_CYAN | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_BORDER] = { COLOR_WHITE | UI_BRIGHT, COLOR_BLACK, A_BOLD },
	[UI_R_SELECT] = { COLOR_BLACK, COLOR_YELLOW | UI_BRIGHT, A_BOLD },
	[UI_R_MATCH] = { COLOR_CYAN | UI_BRIGHT, COLOR_BLACK,
	    A_BOLD | A_UNDERLINE },
};

/* No colour: attributes only; the symbols carry the states. */
static const attr_t ui_theme_mono[UI_R_COUNT] = {
	[UI_R_DIM] = A_DIM,
	[UI_R_BOLD] = A_BOLD,
	[UI_R_TITLE] = A_BOLD,
	[UI_R_TITLE_FOCUS] = A_REVERSE | A_BOLD,
	[UI_R_HEADER] = A_REVERSE,
	[UI_R_HEADER_STATE] = A_REVERSE | A_BOLD,
	[UI_R_KEY] = A_REVERSE,
	[UI_R_LINENO] = A_DIM,
	[UI_R_CURLINE] = A_BOLD,
	[UI_R_W_NOT_STARTED] = A_DIM,
	[UI_R_W_RUNNING] = A_BOLD,
	[UI_R_W_BLOCKED] = A_REVERSE | A_BOLD,
	[UI_R_W_SLEEPING] = A_UNDERLINE,
	[UI_R_W_COMPUTING] = A_BOLD | A_UNDERLINE,
	[UI_R_W_DONE] = A_DIM,
	[UI_R_W_CRASHED] = A_REVERSE | A_UNDERLINE,
	[UI_R_W_KILLED] = A_DIM | A_UNDERLINE,
	[UI_R_OBJECT] = A_BOLD,
	[UI_R_HOLDER] = A_REVERSE,
	[UI_R_FREE] = A_DIM,
	[UI_R_CELL] = A_BOLD,
	[UI_R_OK] = A_BOLD,
	[UI_R_BAD] = A_REVERSE | A_BOLD,
	[UI_R_BANNER] = A_REVERSE | A_BOLD,
	[UI_R_BANNER_OK] = A_REVERSE,
	[UI_R_WARN] = A_REVERSE,
	[UI_R_CYCLE] = A_BOLD | A_UNDERLINE,
	[UI_R_NOTE] = A_BOLD,
	[UI_R_SELECT] = A_REVERSE,
	[UI_R_MATCH] = A_BOLD | A_UNDERLINE,
};

static attr_t	ui_attrs[UI_R_COUNT];

static const char *const ui_glyphs_utf8[UI_G_COUNT] = {
	[UI_G_HLINE] = "\u2500", [UI_G_VLINE] = "\u2502",
	[UI_G_ULCORNER] = "\u250c", [UI_G_URCORNER] = "\u2510",
	[UI_G_LLCORNER] = "\u2514", [UI_G_LRCORNER] = "\u2518",
	[UI_G_TTEE] = "\u252c", [UI_G_BTEE] = "\u2534",
	[UI_G_LTEE] = "\u251c", [UI_G_RTEE] = "\u2524",
	[UI_G_ARROW_R] = "\u2192", [UI_G_ARROW_L] = "\u2190",
	[UI_G_ARROW_U] = "\u2191", [UI_G_ARROW_D] = "\u2193",
	[UI_G_MARK] = "\u25b6",
	[UI_G_LANE_RUN] = "\u2588", [UI_G_LANE_BLOCK] = "\u2573",
	[UI_G_LANE_SLEEP] = "\u2591", [UI_G_LANE_READY] = "\u00b7",
	[UI_G_LANE_COMPUTE] = "\u2593",
	[UI_G_OK] = "\u2713", [UI_G_BAD] = "\u2717",
	[UI_G_ELLIPSIS] = "\u2026", [UI_G_BULLET] = "\u2022",
	[UI_G_S_NOT_STARTED] = "\u25cb", [UI_G_S_READY] = "\u25b7",
	[UI_G_S_RUNNING] = "\u25b6", [UI_G_S_BLOCKED] = "\u25a0",
	[UI_G_S_SLEEPING] = "z", [UI_G_S_COMPUTING] = "\u2248",
	[UI_G_S_DONE] = "\u2713", [UI_G_S_CRASHED] = "\u2717",
	[UI_G_S_KILLED] = "\u00d7",
};

static const char *const ui_glyphs_ascii[UI_G_COUNT] = {
	[UI_G_HLINE] = "-", [UI_G_VLINE] = "|",
	[UI_G_ULCORNER] = "+", [UI_G_URCORNER] = "+",
	[UI_G_LLCORNER] = "+", [UI_G_LRCORNER] = "+",
	[UI_G_TTEE] = "+", [UI_G_BTEE] = "+",
	[UI_G_LTEE] = "+", [UI_G_RTEE] = "+",
	[UI_G_ARROW_R] = ">", [UI_G_ARROW_L] = "<",
	[UI_G_ARROW_U] = "^", [UI_G_ARROW_D] = "v",
	[UI_G_MARK] = ">",
	[UI_G_LANE_RUN] = "=", [UI_G_LANE_BLOCK] = "#",
	[UI_G_LANE_SLEEP] = "z", [UI_G_LANE_READY] = ".",
	[UI_G_LANE_COMPUTE] = "~",
	[UI_G_OK] = "ok", [UI_G_BAD] = "!!",
	[UI_G_ELLIPSIS] = "~", [UI_G_BULLET] = "*",
	[UI_G_S_NOT_STARTED] = "o", [UI_G_S_READY] = ">",
	[UI_G_S_RUNNING] = "*", [UI_G_S_BLOCKED] = "#",
	[UI_G_S_SLEEPING] = "z", [UI_G_S_COMPUTING] = "~",
	[UI_G_S_DONE] = ".", [UI_G_S_CRASHED] = "X",
	[UI_G_S_KILLED] = "x",
};

static const char *const *ui_glyphs = ui_glyphs_ascii;

/* Resolve a colour with the bright bit for this terminal. */
static short
ui_theme_colour(short c, attr_t *attr)
{
	if (c < 0)
		return (c);
	if ((c & UI_BRIGHT) && COLORS < 16) {
		if (c != (COLOR_BLACK | UI_BRIGHT))
			*attr |= A_BOLD;
		else
			*attr |= A_DIM;
		return (c & 7);
	}
	return (c);
}

/* Set up the roles for theme name (default, contrast, mono) on a terminal
   with or without colour. Must run after curses is initialised. */
void
ui_theme_init(const char *name, int colour)
{
	const struct ui_style	*t = ui_theme_default;
	int			 i;
	short			 fg, bg;
	attr_t			 attr;

	if (name != NULL && strcmp(name, "mono") == 0)
		colour = 0;
	else if (name != NULL && (strcmp(name, "contrast") == 0 ||
	    strcmp(name, "high-contrast") == 0))
		t = ui_theme_contrast;
	if (colour && start_color() == OK && COLOR_PAIRS > UI_R_COUNT)
		use_default_colors();
	else
		colour = 0;
	if (!colour) {
		for (i = 0; i < UI_R_COUNT; i++)
			ui_attrs[i] = ui_theme_mono[i];
		return;
	}
	for (i = 0; i < UI_R_COUNT; i++) {
		attr = t[i].attr;
		fg = ui_theme_colour(t[i].fg, &attr);
		bg = ui_theme_colour(t[i].bg, &attr);
		init_pair((short)(i + 1), fg, bg);
		ui_attrs[i] = attr | COLOR_PAIR(i + 1);
	}
	if (t == ui_theme_contrast)
		bkgdset(ui_attrs[UI_R_NORMAL] | ' ');
}

attr_t
ui_attr(enum ui_role role)
{
	if ((unsigned)role >= UI_R_COUNT)
		return (0);
	return (ui_attrs[role]);
}

void
ui_glyph_init(int utf8)
{
	ui_glyphs = utf8 ? ui_glyphs_utf8 : ui_glyphs_ascii;
}

int
ui_utf8(void)
{
	return (ui_glyphs == ui_glyphs_utf8);
}

const char *
ui_glyph(enum ui_glyph g)
{
	if ((unsigned)g >= UI_G_COUNT)
		return ("?");
	return (ui_glyphs[g]);
}

enum ui_role
ui_state_role(enum model_wstate s)
{
	if ((unsigned)s >= MODEL_W_STATE_COUNT)
		return (UI_R_NORMAL);
	return ((enum ui_role)(UI_R_W_NOT_STARTED + (int)s));
}

const char *
ui_state_glyph(enum model_wstate s)
{
	if ((unsigned)s >= MODEL_W_STATE_COUNT)
		return ("?");
	return (ui_glyph((enum ui_glyph)(UI_G_S_NOT_STARTED + (int)s)));
}
