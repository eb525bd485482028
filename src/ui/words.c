/*
 * ui/words.c: the words the screen uses for channel operations.
 *
 * A scenario says put/get for a queue and send/recv for pipes, fifos,
 * message queues and sockets, and a socket is opened three different
 * ways (listen, accept, connect). The model's events only say "open",
 * "put", "get" and which end; the words come from the object's kind and
 * from the statement the worker is on, so that the screen uses the
 * scenario's own verbs: "server waits in accept on S", not "waits for
 * the other end to open", and a socket wait never reads "waits for a
 * put". What a blocked worker wants ("get Q", "join t2") is said here
 * too, for the workers pane, the wait line and the loop's captions.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui.h"

static int
words_is_kind(const struct ui *ui, uint16_t o, enum trace_obj_kind k)
{
	return (o < ui->meta->nobjects && ui->meta->objects[o].kind == k);
}

/* "put" / "get" for a queue, "send" / "recv" for the others. */
const char *
ui_chan_verb(const struct ui *ui, uint16_t o, int put)
{
	if (words_is_kind(ui, o, TRACE_OBJ_QUEUE))
		return (put ? "put" : "get");
	return (put ? "send" : "recv");
}

/* The socket operation worker w is on: listen, accept, connect, or
   NULL. */
const char *
ui_socket_op(const struct ui *ui, uint16_t w)
{
	static const char *const ops[] = { "listen", "accept", "connect" };
	char	stmt[64];
	size_t	i, n;

	if (w >= ui->meta->nworkers)
		return (NULL);
	ui_worker_statement(ui, ui->model->workers[w].line, stmt,
	    sizeof stmt);
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		n = strlen(ops[i]);
		if (strncmp(stmt, ops[i], n) == 0 &&
		    (stmt[n] == ' ' || stmt[n] == '\0'))
			return (ops[i]);
	}
	return (NULL);
}

/* Who is at end e of a two-way channel: its first writer there, or
   "server" / "client" / "end N". */
void
ui_end_name(const struct ui *ui, uint16_t o, int e, char *buf, size_t len)
{
	const struct trace_meta_object	*mo = &ui->meta->objects[o];
	size_t				 i;

	for (i = 0; i < mo->nwriters; i++) {
		if (mo->writers[i].end == e) {
			snprintf(buf, len, "%s", ui_worker_name(ui,
			    mo->writers[i].worker));
			return;
		}
	}
	if (mo->kind == TRACE_OBJ_SOCKET)
		snprintf(buf, len, "%s", e == 0 ? "server" : "client");
	else
		snprintf(buf, len, "end %d", e);
}

/* What a blocked worker's wait is, for the wait-for pane: "(empty:
   waits for a send)", "(waits in accept: no client yet)". */
const char *
ui_wait_why(const struct ui *ui, uint16_t w)
{
	const struct model_worker	*mw = &ui->model->workers[w];
	const char			*op;
	int				 queue, sock;

	queue = words_is_kind(ui, mw->blocked_on, TRACE_OBJ_QUEUE);
	sock = words_is_kind(ui, mw->blocked_on, TRACE_OBJ_SOCKET);
	switch (mw->blocked_op) {
	case TRACE_CHAN_GET_WAIT:
		return (queue ? "(empty: waits for a put)" :
		    "(nothing to read: waits for a send)");
	case TRACE_CHAN_PUT_WAIT:
		return (queue ? "(full: waits for a get)" :
		    "(full: waits for a recv)");
	case TRACE_CHAN_OPEN_WAIT:
		op = sock ? ui_socket_op(ui, w) : NULL;
		if (op != NULL && strcmp(op, "accept") == 0)
			return ("(waits in accept: no client has connected)");
		if (op != NULL && strcmp(op, "connect") == 0)
			return ("(waits in connect: nobody listens yet)");
		return ("(waits for the other end to open)");
	case TRACE_COND_WAIT:
		return ("(waits for a notify)");
	case TRACE_SEM_WAIT:
		/* A signal, not a slot someone holds. */
		if (mw->blocked_on < ui->meta->nobjects &&
		    ui->model->objects[mw->blocked_on].signalling)
			return ("(value 0: waits for a release)");
		return (NULL);
	case TRACE_BARRIER_WAIT:
		return ("(waits for the others)");
	default:
		return (NULL);
	}
}

/* An explanation of a socket open in the scenario's words, or 0 to
   leave it to the model. */
int
ui_socket_explain(const struct ui *ui, const struct trace_event *ev,
    char *buf, size_t len)
{
	const char	*op, *who, *what;

	if (!words_is_kind(ui, ev->object, TRACE_OBJ_SOCKET) ||
	    (ev->type != TRACE_CHAN_OPEN && ev->type != TRACE_CHAN_OPEN_WAIT) ||
	    (op = ui_socket_op(ui, ev->worker)) == NULL)
		return (0);
	who = ui_worker_name(ui, ev->worker);
	what = ui_object_name(ui, ev->object);
	if (ev->type == TRACE_CHAN_OPEN_WAIT) {
		if (strcmp(op, "accept") == 0)
			snprintf(buf, len, "%s waits in accept: no client has "
			    "connected to %s yet", who, what);
		else
			snprintf(buf, len, "%s waits in connect: nobody "
			    "listens on %s yet", who, what);
	} else if (strcmp(op, "listen") == 0)
		snprintf(buf, len, "%s listens on %s: clients can now "
		    "connect", who, what);
	else if (strcmp(op, "accept") == 0)
		snprintf(buf, len, "%s accepts a connection on %s", who, what);
	else
		snprintf(buf, len, "%s connects to %s", who, what);
	return (1);
}

/* A send or a receive on a pipe, fifo or socket in those words, with the
   direction on a two-way one ("client sends 1001 to server over S"), or
   0 to leave it to the model (queues put and get; message queues have
   priorities to tell). */
int
ui_chan_explain(const struct ui *ui, const struct trace_event *ev,
    char *buf, size_t len)
{
	const struct trace_meta_object	*mo;
	const char			*who, *what;
	char				 peer[64];
	int				 duplex;

	if (ev->object >= ui->meta->nobjects ||
	    (ev->type != TRACE_CHAN_PUT && ev->type != TRACE_CHAN_GET))
		return (0);
	mo = &ui->meta->objects[ev->object];
	if (mo->kind != TRACE_OBJ_PIPE && mo->kind != TRACE_OBJ_FIFO &&
	    mo->kind != TRACE_OBJ_SOCKET)
		return (0);
	duplex = mo->kind == TRACE_OBJ_SOCKET ||
	    (mo->kind == TRACE_OBJ_PIPE && (mo->flags & TRACE_OBJF_DUPLEX));
	who = ui_worker_name(ui, ev->worker);
	what = ui_object_name(ui, ev->object);
	if (ev->type == TRACE_CHAN_PUT) {
		if (duplex && (ev->a1 == 0 || ev->a1 == 1)) {
			ui_end_name(ui, ev->object, 1 - (int)ev->a1, peer,
			    sizeof peer);
			snprintf(buf, len, "%s sends %lld to %s over %s", who,
			    (long long)ev->a0, peer, what);
		} else
			snprintf(buf, len, "%s sends %lld into %s", who,
			    (long long)ev->a0, what);
	} else
		snprintf(buf, len, "%s receives %lld from %s", who,
		    (long long)ev->a0, what);
	return (1);
}

/* What a blocked worker waits for, in words: "B", "get Q", "recv S",
   "accept S", "join t2". */
void
ui_worker_wants(const struct ui *ui, uint16_t w, char *buf, size_t len)
{
	const struct model_worker	*mw = &ui->model->workers[w];
	const char			*verb = "";
	const char			*name;

	buf[0] = '\0';
	if (mw->state != MODEL_W_BLOCKED)
		return;
	switch (mw->blocked_op) {
	case TRACE_JOIN_WAIT:
		snprintf(buf, len, "join %s", ui_worker_name(ui,
		    mw->blocked_on));
		return;
	case TRACE_CHAN_GET_WAIT:
		snprintf(buf, len, "%s %s", ui_chan_verb(ui, mw->blocked_on, 0),
		    ui_object_name(ui, mw->blocked_on));
		return;
	case TRACE_CHAN_PUT_WAIT:
		snprintf(buf, len, "%s %s", ui_chan_verb(ui, mw->blocked_on, 1),
		    ui_object_name(ui, mw->blocked_on));
		return;
	case TRACE_CHAN_OPEN_WAIT:
		snprintf(buf, len, "%s %s", ui_socket_op(ui, w) != NULL ?
		    ui_socket_op(ui, w) : "open", ui_object_name(ui,
		    mw->blocked_on));
		return;
	case TRACE_COND_WAIT:
		verb = "notify ";
		break;
	default:
		break;
	}
	name = ui_object_name(ui, mw->blocked_on);
	snprintf(buf, len, "%s%s", verb, name);
}
