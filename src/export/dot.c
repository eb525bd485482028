/*
 * export/dot.c: the wait-for graph of a trace as Graphviz DOT.
 *
 * The model is run over the first N events (all by default) and its state
 * drawn: workers are ellipses (labelled with their state and line),
 * synchronisation objects are boxes (with kind and, for semaphores, the
 * free slots). An edge worker -> object means "waits for" (worker ->
 * worker for a join), object -> worker means "held by" (a semaphore slot
 * counts as held), or for a channel someone waits on, the workers that
 * can still write to it ("can write", for a blocked reader) or read from
 * it ("can read", for a blocked putter): the model's successors of that
 * wait (model_waitfor_edges), dashed. The edges and nodes of the deadlock cycle the model
 * found, or of a self-deadlock, are red and bold; the graph is labelled
 * with the scenario title, the event count and the verdict. Data objects
 * (shared ints, locals, mmap and shm cells) are left out unless an edge
 * touches them. `dot -Tsvg` renders it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "model/model.h"
#include "util/json.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Red without a style, for an element that sets its own (one style
   attribute per element: Graphviz keeps only the last). */
#define DOT_RED_COLOUR	"color=\"#d01c1c\", fontcolor=\"#d01c1c\", " \
			"penwidth=2.5"
#define DOT_RED		DOT_RED_COLOUR ", style=bold"

/* A DOT quoted string: quote and backslash escaped, newlines as \n,
   other control characters and invalid UTF-8 as '?'. */
static void
dot_string(FILE *out, const char *s)
{
	const unsigned char	*p;
	int			 n;

	putc('"', out);
	for (p = (const unsigned char *)(s != NULL ? s : ""); *p != '\0';
	    p++) {
		if (*p == '"' || *p == '\\') {
			putc('\\', out);
			putc(*p, out);
		} else if (*p == '\n')
			fputs("\\n", out);
		else if (*p < 0x20 || *p == 0x7f)
			putc('?', out);
		else if ((n = utf8_len(p)) == 0)
			putc('?', out);
		else {
			fwrite(p, 1, (size_t)n, out);
			p += n - 1;
		}
	}
	putc('"', out);
}

static int
dot_is_data(enum trace_obj_kind kind)
{
	return (kind == TRACE_OBJ_SHARED || kind == TRACE_OBJ_LOCAL ||
	    kind == TRACE_OBJ_MMAP || kind == TRACE_OBJ_SHM);
}

/* Whether worker w waits on object o (not on a worker) in the model. */
static int
dot_waits_object(const struct model_worker *mw)
{
	return (mw->state == MODEL_W_BLOCKED &&
	    mw->blocked_op != TRACE_JOIN_WAIT &&
	    mw->blocked_on != TRACE_NO_OBJECT);
}

struct dot_marks {
	uint8_t	*wnode, *onode;		/* nodes on the cycle */
	uint8_t	*wait_edge;		/* worker's wait edge on the cycle */
	uint8_t	*hold_edge;		/* [o * nw + w] on the cycle */
};

static void
dot_mark_cycle(const struct model *m, struct dot_marks *mk, size_t nw,
    size_t no)
{
	const struct model_detect	*d = &m->detect;
	const struct model_cycle	*cy = &d->cycle;
	size_t				 i;
	uint16_t			 w, o, next;

	if (d->deadlock) {
		for (i = 0; i < cy->n; i++) {
			w = cy->workers[i];
			o = cy->objects[i];
			next = cy->workers[(i + 1) % cy->n];
			if (w >= nw || o >= no || next >= nw)
				continue;
			mk->wnode[w] = mk->onode[o] = 1;
			mk->wait_edge[w] = 1;
			mk->hold_edge[(size_t)o * nw + next] = 1;
		}
	}
	if (d->self_deadlock && d->self_worker < nw && d->self_object < no) {
		w = d->self_worker;
		o = d->self_object;
		mk->wnode[w] = mk->onode[o] = 1;
		mk->wait_edge[w] = 1;
		mk->hold_edge[(size_t)o * nw + w] = 1;
	}
}

static void
dot_worker_node(FILE *out, const struct model *m, size_t w, int red)
{
	const struct model_worker	*mw = &m->workers[w];
	char				 label[512];
	const char			*name = m->meta->workers[w].name;

	if (mw->state == MODEL_W_BLOCKED && mw->blocked_line > 0)
		snprintf(label, sizeof label, "%s\n%s at line %d", name,
		    model_wstate_name(mw->state), mw->blocked_line);
	else if (mw->line > 0 && mw->state != MODEL_W_DONE &&
	    mw->state != MODEL_W_NOT_STARTED)
		snprintf(label, sizeof label, "%s\n%s, line %d", name,
		    model_wstate_name(mw->state), mw->line);
	else
		snprintf(label, sizeof label, "%s\n%s", name,
		    model_wstate_name(mw->state));
	fprintf(out, "\tw%zu [shape=ellipse, label=", w);
	dot_string(out, label);
	if (red)
		fputs(", " DOT_RED, out);
	else if (mw->state == MODEL_W_DONE || mw->state == MODEL_W_KILLED ||
	    mw->state == MODEL_W_NOT_STARTED)
		fputs(", color=gray50, fontcolor=gray50, style=dashed", out);
	else if (mw->state == MODEL_W_CRASHED)
		fputs(", color=orange", out);
	fputs("];\n", out);
}

static void
dot_object_node(FILE *out, const struct model *m, size_t o, int red)
{
	const struct trace_meta_object	*mo = &m->meta->objects[o];
	const struct model_object	*ob = &m->objects[o];
	char				 label[512];

	if (mo->kind == TRACE_OBJ_SEMAPHORE)
		snprintf(label, sizeof label, "%s\nsemaphore %" PRId64 "/%"
		    PRId64 " free", mo->name, ob->value, mo->capacity);
	else if (mo->kind == TRACE_OBJ_QUEUE || mo->kind == TRACE_OBJ_MQUEUE)
		snprintf(label, sizeof label, "%s\n%s %zu/%" PRId64, mo->name,
		    trace_obj_kind_name(mo->kind), ob->nitems, mo->capacity);
	else
		snprintf(label, sizeof label, "%s\n%s", mo->name,
		    trace_obj_kind_name(mo->kind));
	fprintf(out, "\to%zu [shape=box, label=", o);
	dot_string(out, label);
	if (red)
		fputs(", " DOT_RED, out);
	fputs("];\n", out);
}

int
export_dot(FILE *out, const struct tracefile *tf, uint64_t at, char **cause)
{
	const struct trace_meta		*meta = &tf->meta;
	const struct model_worker	*mw;
	const struct model_object	*ob;
	struct model			*m;
	struct dot_marks		 mk;
	size_t				 nw = meta->nworkers;
	size_t				 no = meta->nobjects, w, o;
	uint64_t			 i;
	uint8_t				*used, *peer_drawn;
	uint16_t			*peers;
	size_t				 npeers;
	enum trace_obj_kind		 kind;
	int				 k, n, red, slots;
	char				 label[2048], verdict[1024];

	if (at == EXPORT_AT_END)
		at = tf->nevents;
	if (at > tf->nevents) {
		xasprintf(cause, "%s: --at %" PRIu64 ": the trace has %" PRIu64
		    " events", tf->name, at, tf->nevents);
		return (-1);
	}
	m = model_create(meta);
	for (i = 0; i < at; i++)
		model_apply(m, &tf->events[i]);

	mk.wnode = xcalloc(nw + 1, 1);
	mk.onode = xcalloc(no + 1, 1);
	mk.wait_edge = xcalloc(nw + 1, 1);
	mk.hold_edge = xcalloc(no * nw + 1, 1);
	used = xcalloc(no + 1, 1);
	peers = xcalloc(nw + 1, sizeof *peers);
	peer_drawn = xcalloc(no * nw + 1, 1);
	dot_mark_cycle(m, &mk, nw, no);

	if (m->detect.deadlock) {
		memcpy(verdict, "DEADLOCK: ", 10);
		model_cycle_string(m, verdict + 10, sizeof verdict - 10);
	} else if (m->detect.self_deadlock)
		snprintf(verdict, sizeof verdict, "SELF-DEADLOCK: %s waits "
		    "for %s, which it holds", export_worker_name(tf,
		    m->detect.self_worker), export_object_name(tf,
		    m->detect.self_object));
	else if (m->detect.stall)
		snprintf(verdict, sizeof verdict, "STALL: every live worker "
		    "is blocked");
	else
		snprintf(verdict, sizeof verdict, "no deadlock");
	snprintf(label, sizeof label, "%s\nwait-for graph after %" PRIu64
	    " of %" PRIu64 " events: %s", meta->title != NULL ? meta->title :
	    meta->path != NULL ? meta->path : "lockstep run", at,
	    tf->nevents, verdict);

	fputs("digraph lockstep {\n\tgraph [label=", out);
	dot_string(out, label);
	fputs(", labelloc=t, fontname=\"Helvetica\", rankdir=LR];\n"
	    "\tnode [fontname=\"Helvetica\"];\n"
	    "\tedge [fontname=\"Helvetica\", fontsize=10];\n", out);

	/* Objects shown: synchronisation objects and any in an edge. */
	for (w = 0; w < nw; w++) {
		mw = &m->workers[w];
		if (dot_waits_object(mw) && mw->blocked_on < no)
			used[mw->blocked_on] = 1;
	}
	for (o = 0; o < no; o++) {
		if (!dot_is_data(meta->objects[o].kind))
			used[o] = 1;
	}

	for (w = 0; w < nw; w++)
		dot_worker_node(out, m, w, mk.wnode[w]);
	for (o = 0; o < no; o++) {
		if (used[o])
			dot_object_node(out, m, o, mk.onode[o]);
	}

	/* Waits. */
	for (w = 0; w < nw; w++) {
		mw = &m->workers[w];
		if (mw->state != MODEL_W_BLOCKED ||
		    mw->blocked_on == TRACE_NO_OBJECT)
			continue;
		red = mk.wait_edge[w];
		if (mw->blocked_op == TRACE_JOIN_WAIT) {
			if (mw->blocked_on >= nw)
				continue;
			fprintf(out, "\tw%zu -> w%u [label=\"joins\"%s%s];\n",
			    w, mw->blocked_on, red ? ", " : "",
			    red ? DOT_RED : "");
			continue;
		}
		if (mw->blocked_on >= no)
			continue;
		fprintf(out, "\tw%zu -> o%u [label=\"waits for\"%s%s];\n", w,
		    mw->blocked_on, red ? ", " : "", red ? DOT_RED : "");
	}

	/* Channels: who a blocked reader (putter) waits for. */
	for (w = 0; w < nw; w++) {
		mw = &m->workers[w];
		if (mw->state != MODEL_W_BLOCKED || mw->blocked_on >= no ||
		    (mw->blocked_op != TRACE_CHAN_GET_WAIT &&
		    mw->blocked_op != TRACE_CHAN_PUT_WAIT))
			continue;
		o = mw->blocked_on;
		npeers = model_waitfor_edges(m, (uint16_t)w, peers, nw);
		for (k = 0; k < (int)npeers && k < (int)nw; k++) {
			if (peers[k] >= nw || peer_drawn[o * nw + peers[k]])
				continue;
			peer_drawn[o * nw + peers[k]] = 1;
			red = mk.hold_edge[o * nw + peers[k]];
			fprintf(out, "	o%zu -> w%u [label=\"%s\", %s];\n",
			    o, peers[k], mw->blocked_op ==
			    TRACE_CHAN_GET_WAIT ? "can write" : "can read",
			    red ? DOT_RED_COLOUR ", style=\"dashed,bold\"" :
			    "style=dashed");
		}
	}

	/* Holds: lock owners and semaphore slot holders. */
	for (o = 0; o < no; o++) {
		ob = &m->objects[o];
		kind = meta->objects[o].kind;
		if ((kind == TRACE_OBJ_MUTEX || kind == TRACE_OBJ_RLOCK) &&
		    ob->owner < nw) {
			red = mk.hold_edge[o * nw + ob->owner];
			fprintf(out, "\to%zu -> w%u [label=\"held by\"%s%s];\n",
			    o, ob->owner, red ? ", " : "", red ? DOT_RED : "");
		}
		if (kind != TRACE_OBJ_SEMAPHORE)
			continue;
		for (k = 0; k < ob->nholders; k++) {
			w = ob->holders[k];
			/* One edge per holder, counting its slots. */
			for (n = 0; n < k && ob->holders[n] != w; n++)
				continue;
			if (w >= nw || n < k)
				continue;
			for (slots = 0, n = k; n < ob->nholders; n++)
				slots += ob->holders[n] == w;
			red = mk.hold_edge[o * nw + w];
			if (slots > 1)
				snprintf(label, sizeof label, "holds %d slots",
				    slots);
			else
				snprintf(label, sizeof label, "holds a slot");
			fprintf(out, "\to%zu -> w%zu [label=\"%s\"%s%s];\n",
			    o, w, label, red ? ", " : "", red ? DOT_RED : "");
		}
	}
	fputs("}\n", out);

	free(mk.wnode);
	free(mk.onode);
	free(mk.wait_edge);
	free(mk.hold_edge);
	free(used);
	free(peers);
	free(peer_drawn);
	model_free(m);
	return (0);
}
