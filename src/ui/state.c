/*
 * ui/state.c: what the views read of the live view's state, besides the
 * model: names of workers and objects, the statement on a line, the log
 * ring, where a cycle starts, the tempo, whether a pane is shown.
 *
 * The loop (live.c) writes struct ui; the views, the words and the wait
 * line only read it, through these and the model. None of them calls
 * back into the loop: a view's key or click returns what it wants done
 * (UI_VIEW_STEP), and the loop does it.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

/* Milliseconds per statement for each tempo; ui->tempo indexes it. */
const int ui_tempos[UI_NTEMPOS] = {
	0, 10, 25, 50, 100, 250, 500, 1000, 2000
};

/* A worker's name; "runner" for events of the runner itself. */
const char *
ui_worker_name(const struct ui *ui, uint16_t w)
{
	if (w < ui->meta->nworkers)
		return (ui->meta->workers[w].name);
	if (w == TRACE_NO_WORKER)
		return ("runner");
	return ("?");
}

const char *
ui_object_name(const struct ui *ui, uint16_t o)
{
	if (o < ui->meta->nobjects)
		return (ui->meta->objects[o].name);
	return ("?");
}

/* The current tempo, in milliseconds per statement. */
int
ui_tempo_ms(const struct ui *ui)
{
	return (ui_tempos[ui->tempo]);
}

const char *
ui_bp_name(enum ui_bp bp)
{
	static const char *const names[UI_BP_COUNT] = {
		[UI_BP_DEADLOCK] = "deadlock",
		[UI_BP_STALL] = "stall",
		[UI_BP_CONTENTION] = "contention",
		[UI_BP_EXPECT] = "expectation",
	};

	return ((unsigned)bp < UI_BP_COUNT ? names[bp] : "?");
}

/* Line i of the log, 0 the oldest kept. */
const struct ui_logline *
ui_log_line(const struct ui *ui, int i)
{
	return (&ui->log[(ui->log_head - ui->log_n + i + 2 * UI_LOG_MAX) %
	    UI_LOG_MAX]);
}

/* Where to start reading the cycle: its lowest-numbered worker, so the
   same deadlock always reads the same way ("t1 -> B -> t2 -> A -> t1"). */
size_t
ui_cycle_start(const struct ui *ui)
{
	const struct model_cycle	*cy = &ui->model->detect.cycle;
	size_t				 i, best = 0;

	for (i = 1; i < cy->n; i++)
		if (cy->workers[i] < cy->workers[best])
			best = i;
	return (best);
}

/* The statement on a line, without indentation, note or comment. */
void
ui_worker_statement(const struct ui *ui, int line, char *buf, size_t len)
{
	const char	*s, *q;
	size_t		 n;
	int		 instr = 0;

	buf[0] = '\0';
	if (line < 1 || line > ui->nlines)
		return;
	s = ui->lines[line];
	while (*s == ' ' || *s == '\t')
		s++;
	/* Stop at a comment or a trailing note, outside strings. */
	for (q = s; *q != '\0'; q++) {
		if (*q == '"')
			instr = !instr;
		if (instr)
			continue;
		if (*q == '#' || (strncmp(q, "note", 4) == 0 && q > s &&
		    (q[-1] == ' ' || q[-1] == '\t') &&
		    (q[4] == ' ' || q[4] == '"')))
			break;
	}
	while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	n = (size_t)(q - s);
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Whether pane id has a window in the current layout. */
int
ui_layout_visible(const struct ui *ui, int id)
{
	return (ui->panes[id].win != NULL);
}
