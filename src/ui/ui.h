/*
 * ui/ui.h: the live view's shared state, panes, views, themes and drawing.
 *
 * Only src/ui/ includes curses. The loop (live.c) owns a struct ui: the
 * source of events, the model they are applied to, and what the model does
 * not keep but the screen shows (the last explained lines, the caption,
 * the timeline history, breakpoints). Each pane on screen is a struct
 * ui_pane drawn by a struct ui_view: a const table of function pointers
 * (tmux's window modes). Panes are redrawn only when dirty; the loop merges
 * dirty flags once per pass and ends with a single doupdate().
 *
 * Colours go by role: views ask for ui_attr(UI_R_BLOCKED), never a colour
 * pair number, and the theme (default, contrast, mono) decides what a role
 * looks like. Line drawing and symbols go through ui_glyph(), which gives
 * UTF-8 or plain ASCII depending on the locale.
 */
#ifndef LOCKSTEP_UI_UI_H
#define LOCKSTEP_UI_UI_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "model/model.h"
#include "trace/event.h"
#include "trace/meta.h"
#include "ui/source.h"

struct scn_file;

/* What a thing means on screen; the theme gives each an attribute. */
enum ui_role {
	UI_R_NORMAL,
	UI_R_DIM,
	UI_R_BOLD,
	UI_R_TITLE,		/* pane title */
	UI_R_TITLE_FOCUS,	/* title of the focused pane */
	UI_R_HEADER,		/* top bar */
	UI_R_HEADER_STATE,	/* PAUSED / RUNNING in the top bar */
	UI_R_KEY,		/* a key in the key bar */
	UI_R_KEY_LABEL,
	UI_R_LINENO,
	UI_R_CURLINE,		/* a source line where a worker is */
	UI_R_W_NOT_STARTED,	/* worker states: keep in enum order */
	UI_R_W_READY,
	UI_R_W_RUNNING,
	UI_R_W_BLOCKED,
	UI_R_W_SLEEPING,
	UI_R_W_COMPUTING,
	UI_R_W_DONE,
	UI_R_W_CRASHED,
	UI_R_W_KILLED,
	UI_R_OBJECT,		/* an object's name */
	UI_R_HOLDER,		/* a held slot / owner */
	UI_R_FREE,		/* a free slot / cell */
	UI_R_CELL,		/* a channel item */
	UI_R_OK,		/* expectation holds */
	UI_R_BAD,		/* expectation fails */
	UI_R_BANNER,		/* DEADLOCK banner */
	UI_R_BANNER_OK,		/* FINISHED, every expectation holds */
	UI_R_WARN,		/* stall banner, too-small message */
	UI_R_CYCLE,		/* nodes and edges of the cycle */
	UI_R_ABOUT,
	UI_R_NOTE,
	UI_R_EXPLAIN,
	UI_R_BORDER,
	UI_R_SELECT,		/* selected line in the picker */
	UI_R_MATCH,		/* search text in the picker */
	UI_R_COUNT
};

enum ui_glyph {
	UI_G_HLINE, UI_G_VLINE, UI_G_ULCORNER, UI_G_URCORNER,
	UI_G_LLCORNER, UI_G_LRCORNER, UI_G_TTEE, UI_G_BTEE, UI_G_LTEE,
	UI_G_RTEE, UI_G_ARROW_R, UI_G_ARROW_L, UI_G_ARROW_U, UI_G_ARROW_D,
	UI_G_MARK,		/* current-line marker in the source */
	UI_G_LANE_RUN, UI_G_LANE_BLOCK, UI_G_LANE_SLEEP, UI_G_LANE_READY,
	UI_G_LANE_COMPUTE,
	UI_G_OK, UI_G_BAD, UI_G_ELLIPSIS, UI_G_BULLET,
	UI_G_S_NOT_STARTED,	/* worker state symbols: keep in enum order */
	UI_G_S_READY, UI_G_S_RUNNING, UI_G_S_BLOCKED, UI_G_S_SLEEPING,
	UI_G_S_COMPUTING, UI_G_S_DONE, UI_G_S_CRASHED, UI_G_S_KILLED,
	UI_G_COUNT
};

enum ui_pane_id {
	UI_P_HEADER,
	UI_P_WORKERS,		/* focusable panes: WORKERS .. CAPTION */
	UI_P_SOURCE,
	UI_P_OBJECTS,
	UI_P_GRAPH,
	UI_P_LOG,
	UI_P_TIMELINE,
	UI_P_CAPTION,
	UI_P_KEYS,
	UI_P_COUNT
};

/* What changed since the last frame (which panes to redraw). */
#define UI_CH_HEADER	0x001
#define UI_CH_WORKERS	0x002
#define UI_CH_SOURCE	0x004
#define UI_CH_OBJECTS	0x008
#define UI_CH_GRAPH	0x010
#define UI_CH_LOG	0x020
#define UI_CH_TIMELINE	0x040
#define UI_CH_CAPTION	0x080
#define UI_CH_KEYS	0x100
#define UI_CH_ALL	0x1ff

struct ui;
struct ui_pane;

struct ui_view {
	const char	*name;		/* title */
	unsigned	 changes;	/* UI_CH_* that dirty it */
	int		 min_height;
	int		 min_width;
	int		 titled;	/* first row is a title */
	void		 (*draw)(struct ui *, struct ui_pane *);
	/* A key while focused (arrows already scroll); 0 if not used,
	   else UI_VIEW_USED or UI_VIEW_STEP. */
	int		 (*key)(struct ui *, struct ui_pane *, int key);
	/* A click at (y, x) inside the pane; the same. */
	int		 (*click)(struct ui *, struct ui_pane *, int y, int x);
};

/* What a view's key or click asks of the loop: a view moves its own
   cursor, but acting on the run is the loop's (live.c). */
#define UI_VIEW_USED	1
#define UI_VIEW_STEP	2	/* step the worker under the cursor (wsel) */

struct ui_pane {
	const struct ui_view	*view;
	WINDOW			*win;		/* NULL when not shown */
	int			 y, x, h, w;
	int			 border;	/* left column is a separator */
	int			 scroll;	/* first content row shown */
	int			 follow;	/* scroll to keep up */
	int			 rows;		/* content rows last drawn */
	int			 dirty;
};

#define UI_LOG_MAX	200
#define UI_LOG_TEXT	160
#define UI_MESSAGE_MAX	512	/* a saved file's path, twice */

struct ui_logline {
	uint64_t	index;		/* event number */
	uint64_t	time;		/* ns since the first event */
	uint16_t	worker;
	uint16_t	type;
	char		text[UI_LOG_TEXT];
};

struct ui_tl_point {
	uint64_t	index;		/* event number of the change */
	uint8_t		state;		/* enum model_wstate */
};

struct ui_tl {
	struct ui_tl_point	*v;
	size_t			 n, size;
};

enum ui_bp {
	UI_BP_DEADLOCK,
	UI_BP_STALL,
	UI_BP_CONTENTION,
	UI_BP_EXPECT,
	UI_BP_COUNT
};

enum ui_overlay {
	UI_O_NONE,
	UI_O_HELP,
	UI_O_BREAKS
};

#define UI_EXPLAIN_MAX	3

#define UI_SOCK_LISTEN		0x1
#define UI_SOCK_ACCEPTED	0x2
#define UI_SOCK_CONNECTED	0x4

struct ui {
	struct ui_source	*src;
	const struct trace_meta	*meta;
	const struct scn_file	*file;		/* NULL for a bare replay */
	struct model		*model;
	int			 replay;

	/* Source text split in lines, and the note of each line. */
	char			*text;
	const char		**lines;	/* 1-based, nlines + 1 */
	int			 nlines;
	const char		**notes;	/* 1-based, may be NULL */
	char			*about;		/* reflowed */

	/* Event log: the last UI_LOG_MAX explained events. */
	struct ui_logline	 log[UI_LOG_MAX];
	int			 log_head, log_n;

	/* Caption. */
	char			 note[UI_LOG_TEXT];
	uint16_t		 note_worker;
	char			 explain[UI_EXPLAIN_MAX][UI_LOG_TEXT];
	int			 nexplain;
	char			 message[UI_MESSAGE_MAX]; /* from a key */
	int			*note_pending;	/* per worker: line whose
						   note shows on its next
						   event, or 0 */

	/* Breakpoints and what has been reported. */
	int			 bp[UI_BP_COUNT];
	int			 seen_deadlock, seen_stall, seen_end;
	int			 expect_failed;
	char			 banner[256];
	enum ui_role		 banner_role;

	/* Timeline: per-worker state changes. */
	struct ui_tl		*tl;
	size_t			 ntl;		/* entries of tl (the meta's
						   workers when it was sized) */

	/* Per worker, from its start event: pid, and thread or process. */
	long			*pid;
	uint8_t			*thread;
	int			*ran_line;	/* line before its last step */
	uint8_t			*computing;	/* last timed wait: compute */
	uint16_t		*released_by;	/* per object: last worker to
						   release a semaphore */
	uint8_t			*sock_state;	/* per socket: UI_SOCK_* */

	/* A hand-off kept in two steps (handoff.c). */
	uint16_t		 handoff_obj, handoff_from;
	uint16_t		 put_obj, put_from;	/* the last put, what
						   handoff_* are after a
						   re-read */
	struct trace_event	*held;
	size_t			 nheld, held_size;

	/* Run control. */
	int			 seek;		/* `.`: run until an event
						   worth a look, then pause */
	uint64_t		 seek_from;	/* events when it began */
	uint64_t		 run_since;	/* ms the run was resumed */
	int			 hinted;	/* the slow-tempo hint shown */
	int			 tempo;		/* index in ui_tempos */
	int			 last_stepped;
	int			 finished;
	uint64_t		 nread;		/* events read this run */
	/* A recording: events below catchup are re-read to reach a seek or
	   step-back target, applied whole (no hand-off split); checkpoints
	   of the view to step back from (checkpoint.c). */
	uint64_t		 catchup;
	struct ui_checkpoints	*ckpt;

	/* Screen. */
	int			 cols, rows;
	int			 too_small;
	struct ui_pane		 panes[UI_P_COUNT];
	int			 focus;		/* pane id */
	int			 zoom;		/* focused pane fills the screen */
	int			 blank;		/* screen blanked (clicker) */
	int			 wsel;		/* worker-list cursor */
	int			 flex;		/* pane shown in the flex slot */
	int			 flex_slot;	/* pane id owning that slot */
	enum ui_overlay		 overlay;
	int			 help_scroll;	/* rows of the help scrolled */
	WINDOW			*overlay_win;
	int			 overlay_dirty;
	unsigned		 changes;	/* UI_CH_* pending */
	int			 relayout;
	int			 quit;
};

/* theme.c */
struct ui_screen_caps {
	int	utf8;
	int	colour;
};
void		 ui_theme_init(const char *name, int colour);
attr_t		 ui_attr(enum ui_role);
const char	*ui_glyph(enum ui_glyph);
void		 ui_glyph_init(int utf8);
int		 ui_utf8(void);
enum ui_role	 ui_state_role(enum model_wstate);
const char	*ui_state_glyph(enum model_wstate);

/* draw.c */
int		 ui_puts(WINDOW *, int y, int x, int maxw, enum ui_role,
		     const char *);
int		 ui_putn(WINDOW *, int y, int x, int maxw, enum ui_role,
		     const char *, size_t);
int		 ui_printf(WINDOW *, int y, int x, int maxw, enum ui_role,
		     const char *, ...) __attribute__((format(printf, 6, 7)));
int		 ui_text_width(const char *);
int		 ui_elide(const char *, int maxw, char *, size_t);
void		 ui_fill(WINDOW *, int y, int x, int n, enum ui_role);
void		 ui_hline(WINDOW *, int y, int x, int n, enum ui_role);
int		 ui_pane_top(const struct ui_pane *);
int		 ui_pane_left(const struct ui_pane *);
int		 ui_pane_width(const struct ui_pane *);
int		 ui_pane_height(const struct ui_pane *);
void		 ui_pane_begin(struct ui *, struct ui_pane *, const char *);
void		 ui_pane_end(struct ui *, struct ui_pane *);
int		 ui_pane_row(struct ui_pane *, int row);
size_t		 ui_wrap(const char *, int width, const char **starts,
		     int *lens, size_t max);

/* layout.c */
void		 ui_layout(struct ui *);
int		 ui_layout_min_cols(void);
int		 ui_layout_min_rows(void);
int		 ui_layout_focusable(int pane);

/* Views. */
extern const struct ui_view ui_view_header;
extern const struct ui_view ui_view_workers;
extern const struct ui_view ui_view_source;
extern const struct ui_view ui_view_objects;
extern const struct ui_view ui_view_graph;
extern const struct ui_view ui_view_log;
extern const struct ui_view ui_view_timeline;
extern const struct ui_view ui_view_caption;
extern const struct ui_view ui_view_keys;
void		 ui_overlay_draw(struct ui *);

/* view-workers.c */
void		 ui_worker_holds(const struct ui *, uint16_t, char *, size_t);

/* state.c: what the views read of the loop's state. */
#define UI_NTEMPOS	9
extern const int ui_tempos[UI_NTEMPOS];
const char	*ui_worker_name(const struct ui *, uint16_t w);
const char	*ui_object_name(const struct ui *, uint16_t o);
int		 ui_tempo_ms(const struct ui *);
const char	*ui_bp_name(enum ui_bp);
const struct ui_logline *ui_log_line(const struct ui *, int i);
size_t		 ui_cycle_start(const struct ui *);
void		 ui_worker_statement(const struct ui *, int, char *, size_t);
int		 ui_layout_visible(const struct ui *, int pane);

/* checkpoint.c */
void		 ui_checkpoint_take(struct ui *);
uint64_t	 ui_checkpoint_restore(struct ui *, uint64_t target);
size_t		 ui_checkpoint_stats(const struct ui *, uint64_t *every,
		     size_t *bytes, uint64_t *restores);
void		 ui_checkpoint_free(struct ui *);
const struct model *ui_checkpoint_model(const struct ui *, uint64_t at,
		     uint64_t *where);

/* handoff.c: the loop hands events over with the function that applies
   one (ui_apply), so the hand-off never calls back into the loop. */
typedef void	 ui_apply_fn(struct ui *, const struct trace_event *,
		     int explain);
size_t		 ui_handoff_apply(struct ui *, const struct trace_event *,
		     size_t n, size_t from, ui_apply_fn *);
void		 ui_handoff_keep(struct ui *, const struct trace_event *,
		     size_t);
void		 ui_handoff_caption(struct ui *, const struct trace_event *);
int		 ui_handoff_release(struct ui *, ui_apply_fn *);
void		 ui_handoff_reset(struct ui *);

/* words.c */
void		 ui_worker_wants(const struct ui *, uint16_t, char *, size_t);
const char	*ui_chan_verb(const struct ui *, uint16_t o, int put);
const char	*ui_socket_op(const struct ui *, uint16_t w);
void		 ui_end_name(const struct ui *, uint16_t o, int end, char *,
		     size_t);
const char	*ui_wait_why(const struct ui *, uint16_t w);
int		 ui_socket_explain(const struct ui *,
		     const struct trace_event *, char *, size_t);
int		 ui_chan_explain(const struct ui *,
		     const struct trace_event *, char *, size_t);

/* waitline.c */
int		 ui_worker_waits(const struct ui *);
void		 ui_waitline(const struct ui *, int width, char *, size_t);

/* The whole loop: create, run until quit, free. */
struct ui	*ui_create(struct ui_source *, const struct trace_meta *,
		    const struct scn_file *);
void		 ui_free(struct ui *);
/* Returns 0 on quit, or the number of a signal that asked to end. */
int		 ui_run(struct ui *);
/* Apply one event as the loop does (also for the frame benchmark). */
void		 ui_apply(struct ui *, const struct trace_event *, int explain);
/* Draw every dirty pane and doupdate() once. */
void		 ui_render(struct ui *);
void		 ui_view_reset_for_bench(struct ui *);
int		 ui_goto(struct ui *, uint64_t at);
int		 ui_goback(struct ui *);
uint64_t	 ui_find_detection(struct ui *, uint64_t at, int dir,
		     const char **what, struct trace_event *found);
void		 ui_checkpoint_every(struct ui *, uint64_t k);
void		 ui_resize(struct ui *);

/* screen.c: curses set-up, signals, teardown. */
int		 ui_screen_init(char **cause);
void		 ui_screen_done(void);
int		 ui_screen_active(void);
int		 ui_screen_signal_fd(void);
/* A pending signal number, or 0. SIGWINCH resizes curses itself. */
int		 ui_screen_signal(int *resized);
int		 ui_screen_getch(void);
void		 ui_screen_mouse(int on);

int		 ui_screen_tty_claim(char **cause);
void		 ui_screen_tty_release(void);

/* picker.c: returns 1 and a path to open, 0 to quit, or -signal. */
int		 ui_picker(char **path, size_t *selected, const char *message);

#endif
