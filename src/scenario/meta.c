/*
 * scenario/meta.c: a validated scenario's run tables (trace/meta.h).
 *
 * Objects keep their declaration index, so an scn_ref of kind
 * SCN_REF_OBJECT is also the meta object index. A condition declared
 * without a lock (`condition C`) still needs one to wait with; it gets a
 * hidden mutex named "C.lock", appended after every declared object in
 * the order of the conditions, and meta.objects[C].lock points at it. The
 * views show that mutex like any other, which is what it is.
 *
 * Workers: each scn_worker in file order as `copies` consecutive entries
 * (NAME, or NAME.1 .. NAME.N), then each pool's members POOL.1 .. POOL.K.
 * Pool members are processes, as multiprocessing.Pool's are, unless the
 * pool is declared `pool P(N) threads tasks M:`.
 *
 * Peers: every channel object lists the workers whose statements
 * (nested blocks included; a pool member runs its pool's task body) can
 * put/send into it (writers) and get/recv from it (readers). The model
 * needs them to tell who a blocked reader (or a putter on a full channel)
 * waits for. For a duplex pipe and a socket each peer also gets the end
 * it uses, by the rules the runtime follows: a duplex pipe's end 0 belongs
 * to its first user in worker order (sync_chan_end, from the same uses
 * matrix, scenario_uses), a socket's end 1 to the workers that `connect`.
 *
 * The same lists give the model who can still wake whom: a semaphore's
 * writers are the workers that can release it (a `with S:` releases at
 * the end of its body), its readers those that acquire it; a condition's
 * writers notify it, its readers wait on it; a barrier's writers and
 * readers both wait on it. Each peer carries a limit line: the worker can
 * still act on the object while its current line is at most the limit,
 * which is the line of its last such statement, or the last line of the
 * outermost loop around it (a loop comes back). A pool member has no
 * limit (it runs its body again for the next task). A semaphore whose
 * every acquire is given back by a release in the same block of the same
 * worker (or is a `with S:`) is flagged TRACE_OBJF_LOCKLIKE: the model
 * puts only those into the lock-order graph.
 */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/parse.h"
#include "trace/event.h"
#include "util/xmalloc.h"

int
scenario_condition_lock(const struct scn_file *f, int i)
{
	size_t	k;
	int	hidden = 0;

	if (i < 0 || (size_t)i >= f->nobjects ||
	    f->objects[i].kind != TRACE_OBJ_CONDITION)
		return (-1);
	if (f->objects[i].lock >= 0)
		return (f->objects[i].lock);
	for (k = 0; k < (size_t)i; k++) {
		if (f->objects[k].kind == TRACE_OBJ_CONDITION &&
		    f->objects[k].lock < 0)
			hidden++;
	}
	return ((int)f->nobjects + hidden);
}

/* What a statement does to an object, for the peer lists. */
#define META_PUT	0x1	/* put / send */
#define META_GET	0x2	/* get / recv */
#define META_CONNECT	0x4	/* connect (a socket's client) */

/* Per worker, per object: how it uses the object and until which line it
   can still do so (see the top: the limit lines of trace_meta_peer). */
struct meta_use {
	uint8_t	 flags;
	int	 wlimit;	/* writer: produces (put, release, notify,
				   arrive); -1 never */
	int	 rlimit;	/* reader: consumes (get, acquire, wait) */
	int	 climit;	/* close: a writer's close gives end-of-file,
				   a reader's a failed write */
};

/* The last statement line in b, nested blocks included (0: empty). */
static int
meta_block_end(const struct scn_block *b)
{
	const struct scn_stmt	*s;
	int			 end = 0, e;
	size_t			 i;

	for (i = 0; i < b->n; i++) {
		s = b->v[i];
		if (s->line > end)
			end = s->line;
		if ((e = meta_block_end(&s->body)) > end)
			end = e;
		if ((e = meta_block_end(&s->orelse)) > end)
			end = e;
	}
	return (end);
}

static void
meta_limit(int *limit, int line)
{
	if (line > *limit)
		*limit = line;
}

/* Record in use[o] what the statements of b do to each object, with the
   line until which each can still happen: the statement's own line, or
   inside a loop the end of the outermost loop (loop_end), since the loop
   comes back to it. */
static void
meta_peer_block(const struct scn_file *f, const struct scn_block *b,
    struct meta_use *use, size_t nobjects, int loop_end)
{
	const struct scn_stmt	*s;
	struct meta_use		*u;
	enum trace_obj_kind	 kind;
	size_t			 i;
	int			 o, at, end, inner;

	for (i = 0; i < b->n; i++) {
		s = b->v[i];
		at = loop_end > 0 ? loop_end : s->line;
		o = s->target_ref.kind == SCN_REF_OBJECT ?
		    s->target_ref.index : -1;
		u = o >= 0 && (size_t)o < nobjects ? &use[o] : NULL;
		kind = u != NULL && (size_t)o < f->nobjects ?
		    f->objects[o].kind : TRACE_OBJ_KIND_COUNT;
		if (u != NULL) {
			switch (s->kind) {
			case SCN_STMT_PUT:
			case SCN_STMT_SEND:
				u->flags |= META_PUT;
				meta_limit(&u->wlimit, at);
				break;
			case SCN_STMT_GET:
			case SCN_STMT_RECV:
				u->flags |= META_GET;
				meta_limit(&u->rlimit, at);
				break;
			case SCN_STMT_CONNECT:
				u->flags |= META_CONNECT;
				break;
			case SCN_STMT_CLOSE:
				meta_limit(&u->climit, at);
				break;
			case SCN_STMT_RELEASE:
			case SCN_STMT_NOTIFY:
			case SCN_STMT_NOTIFY_ALL:
				meta_limit(&u->wlimit, at);
				break;
			case SCN_STMT_ACQUIRE:
				meta_limit(&u->rlimit, at);
				break;
			case SCN_STMT_WAIT:
				meta_limit(&u->rlimit, at);
				if (kind == TRACE_OBJ_BARRIER)
					meta_limit(&u->wlimit, at);
				break;
			case SCN_STMT_WITH:
				if (kind != TRACE_OBJ_SEMAPHORE)
					break;
				/* The release comes after the body's last
				   statement, still on its line. */
				end = meta_block_end(&s->body);
				meta_limit(&u->rlimit, at);
				meta_limit(&u->wlimit, loop_end > 0 ?
				    loop_end : (end > s->line ? end :
				    s->line));
				break;
			default:
				break;
			}
		}
		inner = loop_end;
		if (inner == 0 && (s->kind == SCN_STMT_REPEAT ||
		    s->kind == SCN_STMT_FOREVER || s->kind == SCN_STMT_WHILE)) {
			inner = meta_block_end(&s->body);
			if (inner < s->line)
				inner = s->line;
		}
		meta_peer_block(f, &s->body, use, nobjects, inner);
		meta_peer_block(f, &s->orelse, use, nobjects, inner);
	}
}

/* Whether every acquire of semaphore o in b (and the blocks within) is
   given back by a release of o later in the same block, and every
   release gives back such an acquire: o is used like a lock. `with o:`
   always is. */
static int
meta_locklike_block(const struct scn_block *b, int o)
{
	const struct scn_stmt	*s;
	size_t			 i;
	int			 balance = 0, mine;

	for (i = 0; i < b->n; i++) {
		s = b->v[i];
		mine = s->target_ref.kind == SCN_REF_OBJECT &&
		    s->target_ref.index == o;
		if (mine && s->kind == SCN_STMT_ACQUIRE)
			balance++;
		else if (mine && s->kind == SCN_STMT_RELEASE) {
			if (balance == 0)
				return (0);
			balance--;
		}
		if (!meta_locklike_block(&s->body, o) ||
		    !meta_locklike_block(&s->orelse, o))
			return (0);
	}
	return (balance == 0);
}

static int
meta_is_chan(enum trace_obj_kind kind)
{
	switch (kind) {
	case TRACE_OBJ_QUEUE:
	case TRACE_OBJ_PIPE:
	case TRACE_OBJ_FIFO:
	case TRACE_OBJ_MQUEUE:
	case TRACE_OBJ_SOCKET:
		return (1);
	default:
		return (0);
	}
}

/* Producers and consumers of the other consumable resources. */
static int
meta_is_consumable(enum trace_obj_kind kind)
{
	return (kind == TRACE_OBJ_SEMAPHORE || kind == TRACE_OBJ_CONDITION ||
	    kind == TRACE_OBJ_BARRIER);
}

/* The writers and readers of every channel object, the producers and
   consumers of every semaphore, condition and barrier (see the top), and
   which semaphores are used like locks. */
/* Whether expression e or block b uses a proxy of manager m. */
static int
meta_proxy_expr(const struct scn_expr *e, int m)
{
	if (e == NULL)
		return (0);
	if (e->ref.kind == SCN_REF_PROXY && e->ref.index == m)
		return (1);
	return (meta_proxy_expr(e->left, m) || meta_proxy_expr(e->right, m));
}

static int
meta_proxy_block(const struct scn_block *b, int m)
{
	const struct scn_stmt	*s;
	size_t			 i, j;

	for (i = 0; i < b->n; i++) {
		s = b->v[i];
		if ((s->target_ref.kind == SCN_REF_PROXY &&
		    s->target_ref.index == m) || meta_proxy_expr(s->value, m) ||
		    meta_proxy_expr(s->cond, m) || meta_proxy_expr(s->index, m) ||
		    meta_proxy_expr(s->duration, m) ||
		    meta_proxy_block(&s->body, m) ||
		    meta_proxy_block(&s->orelse, m))
			return (1);
		for (j = 0; j < s->nparts; j++) {
			if (meta_proxy_expr(s->parts[j].expr, m))
				return (1);
		}
	}
	return (0);
}

/*
 * The channels of each `manager M`, which no statement names: its server
 * gets from M and puts into every reply queue; a worker that uses a proxy
 * puts into M and gets from its own reply queue. fn(arg, object, worker,
 * put) is called for each.
 */
static void
meta_managers(const struct scn_file *f, const struct trace_meta *meta,
    void (*fn)(void *, size_t, size_t, int), void *arg)
{
	const struct scn_object	*mo;
	const struct scn_block	*body;
	size_t			 m, w, k;
	int			 nvars, serves;

	for (m = 0; m < f->nobjects; m++) {
		mo = &f->objects[m];
		if (!mo->manager)
			continue;
		for (w = 0; w < meta->nworkers; w++) {
			serves = 0;
			for (k = 0; k < f->nworkers; k++) {
				if (w >= scenario_worker_first(f, (int)k) &&
				    w < (size_t)scenario_worker_first(f,
				    (int)k) + (size_t)f->workers[k].copies)
					serves = f->workers[k].serves;
			}
			if (serves == (int)m + 1) {
				fn(arg, m, w, 0);
				for (k = 0; k < (size_t)mo->nreplies; k++) {
					if (mo->replies[k] >= 0)
						fn(arg, (size_t)mo->replies[k],
						    w, 1);
				}
				continue;
			}
			body = scenario_worker_body(f, meta, (uint16_t)w,
			    &nvars);
			if (body == NULL || w >= (size_t)mo->nreplies ||
			    mo->replies[w] < 0 || !meta_proxy_block(body,
			    (int)m))
				continue;
			fn(arg, m, w, 1);
			fn(arg, (size_t)mo->replies[w], w, 0);
		}
	}
}

struct meta_use_arg {
	struct meta_use	*use;		/* [w * no + o] */
	size_t		 no;
};

struct meta_uses_arg {
	uint8_t		*uses;		/* [o * nworkers + w] */
	size_t		 nworkers;
};

/* The same for scenario_uses(): who sends and who receives. */
static void
meta_uses_mark(void *arg, size_t o, size_t w, int put)
{
	struct meta_uses_arg	*a = arg;

	a->uses[o * a->nworkers + w] |= put ? TRACE_USE_SEND : TRACE_USE_RECV;
}

/* A manager's request or reply queue: the server loops for ever, and a
   client's proxy use may come back in any loop: no limit line. */
static void
meta_use_mark(void *arg, size_t o, size_t w, int put)
{
	struct meta_use_arg	*a = arg;
	struct meta_use		*u = &a->use[w * a->no + o];

	u->flags |= put ? META_PUT : META_GET;
	if (put)
		u->wlimit = INT_MAX;
	else
		u->rlimit = INT_MAX;
}

static void
meta_peers(const struct scn_file *f, struct trace_meta *meta)
{
	struct trace_meta_object	*mo;
	const struct scn_block		*body;
	struct meta_use			*use, *u;
	uint8_t				*uses;
	struct meta_use_arg		 ua;
	size_t				 o, w, nw = meta->nworkers;
	size_t				 no = meta->nobjects;
	int				 nvars, end, first, locklike, pool;

	if (nw == 0 || no == 0)
		return;
	use = xcalloc(nw * no, sizeof *use);	/* [w * no + o] */
	uses = xcalloc(nw * no, 1);	/* scenario_uses: [o * nw + w] */
	for (w = 0; w < nw * no; w++)
		use[w].wlimit = use[w].rlimit = use[w].climit = -1;
	for (w = 0; w < nw; w++) {
		body = scenario_worker_body(f, meta, (uint16_t)w, &nvars);
		if (body != NULL)
			meta_peer_block(f, body, use + w * no, no, 0);
	}
	for (w = 0; w < nw * no; w++) {
		if (use[w].wlimit >= 0 && use[w].climit > use[w].wlimit)
			use[w].wlimit = use[w].climit;
		if (use[w].rlimit >= 0 && use[w].climit > use[w].rlimit)
			use[w].rlimit = use[w].climit;
	}
	ua.use = use;
	ua.no = no;
	meta_managers(f, meta, meta_use_mark, &ua);
	scenario_uses(f, meta, uses);
	for (o = 0; o < no; o++) {
		mo = &meta->objects[o];
		if (mo->kind == TRACE_OBJ_SEMAPHORE && o < f->nobjects) {
			locklike = 1;
			for (w = 0; w < nw && locklike; w++) {
				body = scenario_worker_body(f, meta,
				    (uint16_t)w, &nvars);
				if (body != NULL)
					locklike = meta_locklike_block(body,
					    (int)o);
			}
			if (locklike)
				mo->flags |= TRACE_OBJF_LOCKLIKE;
		}
		if (!meta_is_chan(mo->kind) && !meta_is_consumable(mo->kind))
			continue;
		first = -1;
		for (w = 0; w < nw && first < 0; w++) {
			if (uses[o * nw + w] != 0)
				first = (int)w;
		}
		for (w = 0; w < nw; w++) {
			u = &use[w * no + o];
			if (u->wlimit < 0 && u->rlimit < 0)
				continue;
			if (mo->kind == TRACE_OBJ_SOCKET)
				end = (u->flags & META_CONNECT) ? 1 : 0;
			else if (mo->kind == TRACE_OBJ_PIPE &&
			    (mo->flags & TRACE_OBJF_DUPLEX))
				end = (int)w == first ? 0 : 1;
			else
				end = -1;
			/* A pool member goes back to its task body for
			   the next task: no limit. */
			pool = (meta->workers[w].flags & TRACE_WORKERF_POOL) != 0;
			if (u->wlimit >= 0)
				trace_meta_add_peer_at(meta, (uint16_t)o, 0,
				    (uint16_t)w, end, pool ? 0 : u->wlimit);
			if (u->rlimit >= 0)
				trace_meta_add_peer_at(meta, (uint16_t)o, 1,
				    (uint16_t)w, end, pool ? 0 : u->rlimit);
		}
	}
	free(uses);
	free(use);
}

void
scenario_meta_build(const struct scn_file *f, struct trace_meta *meta)
{
	struct trace_meta_object	 mo;
	struct trace_meta_worker	 mw;
	struct trace_meta_expect	 me;
	const struct scn_object		*o;
	const struct scn_worker		*w;
	char				*name;
	size_t				 i;
	int				 c, lock;

	trace_meta_init(meta);
	meta->path = xstrdup(f->path != NULL ? f->path : "");
	meta->source = xstrdup(f->source != NULL ? f->source : "");
	meta->title = f->title != NULL ? xstrdup(f->title) : NULL;
	meta->about = f->about != NULL ? xstrdup(f->about) : NULL;

	for (i = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		memset(&mo, 0, sizeof mo);
		mo.name = o->name;
		mo.kind = o->kind;
		mo.capacity = o->capacity;
		mo.initial = o->initial;
		mo.tasks = o->tasks;
		mo.flags = o->flags;
		mo.line = o->line;
		lock = scenario_condition_lock(f, (int)i);
		mo.lock = lock >= 0 ? (uint16_t)lock : TRACE_NO_OBJECT;
		trace_meta_add_object(meta, &mo);
	}
	for (i = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		if (o->kind != TRACE_OBJ_CONDITION || o->lock >= 0)
			continue;
		memset(&mo, 0, sizeof mo);
		xasprintf(&name, "%s.lock", o->name);
		mo.name = name;
		mo.kind = TRACE_OBJ_MUTEX;
		mo.lock = TRACE_NO_OBJECT;
		mo.line = o->line;
		trace_meta_add_object(meta, &mo);
		free(name);
	}

	for (i = 0; i < f->nworkers; i++) {
		w = &f->workers[i];
		for (c = 1; c <= w->copies; c++) {
			memset(&mw, 0, sizeof mw);
			if (w->copies == 1)
				name = xstrdup(w->name);
			else
				xasprintf(&name, "%s.%d", w->name, c);
			mw.name = name;
			mw.kind = w->kind;
			mw.flags = (w->daemon ? TRACE_WORKERF_DAEMON : 0) |
			    (w->deferred ? TRACE_WORKERF_DEFERRED : 0);
			mw.copy = c;
			mw.pool = TRACE_NO_OBJECT;
			mw.line = w->line;
			trace_meta_add_worker(meta, &mw);
			free(name);
		}
	}
	for (i = 0; i < f->nobjects; i++) {
		o = &f->objects[i];
		if (o->kind != TRACE_OBJ_POOL)
			continue;
		for (c = 1; c <= o->capacity; c++) {
			memset(&mw, 0, sizeof mw);
			xasprintf(&name, "%s.%d", o->name, c);
			mw.name = name;
			mw.kind = (o->flags & TRACE_OBJF_THREADS) ?
			    TRACE_WORKER_THREAD : TRACE_WORKER_PROCESS;
			mw.flags = TRACE_WORKERF_POOL;
			mw.copy = c;
			mw.pool = (uint16_t)i;
			mw.line = o->line;
			trace_meta_add_worker(meta, &mw);
			free(name);
		}
	}

	meta_peers(f, meta);

	for (i = 0; i < f->nexpects; i++) {
		memset(&me, 0, sizeof me);
		me.kind = f->expects[i].kind;
		me.metric = f->expects[i].metric;
		me.object = f->expects[i].object >= 0 ?
		    (uint16_t)f->expects[i].object : TRACE_NO_OBJECT;
		me.cmp = f->expects[i].cmp;
		me.value = f->expects[i].value;
		me.line = f->expects[i].line;
		me.text = f->expects[i].text;
		trace_meta_add_expect(meta, &me);
	}
}

uint16_t
scenario_worker_first(const struct scn_file *f, int i)
{
	int	k, first = 0;

	for (k = 0; k < i && (size_t)k < f->nworkers; k++)
		first += f->workers[k].copies;
	return ((uint16_t)first);
}

const struct scn_block *
scenario_worker_body(const struct scn_file *f, const struct trace_meta *meta,
    uint16_t w, int *nvars)
{
	const struct trace_meta_worker	*mw;
	size_t				 i;
	int				 first = 0;

	if (w >= meta->nworkers)
		return (NULL);
	mw = &meta->workers[w];
	if (mw->flags & TRACE_WORKERF_POOL) {
		if (mw->pool >= f->nobjects ||
		    f->objects[mw->pool].kind != TRACE_OBJ_POOL)
			return (NULL);
		if (nvars != NULL)
			*nvars = f->objects[mw->pool].nvars;
		return (&f->objects[mw->pool].body);
	}
	for (i = 0; i < f->nworkers; i++) {
		if (w < first + f->workers[i].copies) {
			if (nvars != NULL)
				*nvars = f->workers[i].nvars;
			return (&f->workers[i].body);
		}
		first += f->workers[i].copies;
	}
	return (NULL);
}

/* Which statements use which objects: a static walk of every worker's
   body (see scenario_uses in ast.h). */
static void
scenario_uses_expr(const struct scn_expr *e, uint8_t *row, size_t nworkers)
{
	if (e == NULL)
		return;
	if (e->kind == SCN_EXPR_LEN && e->ref.kind == SCN_REF_OBJECT &&
	    e->ref.index >= 0)
		row[(size_t)e->ref.index * nworkers] |= TRACE_USE_OTHER;
	scenario_uses_expr(e->left, row, nworkers);
	scenario_uses_expr(e->right, row, nworkers);
}

static void
scenario_uses_block(const struct scn_block *b, uint8_t *row, size_t nworkers)
{
	const struct scn_stmt	*s;
	size_t			 i, j;
	uint8_t			 u;

	for (i = 0; i < b->n; i++) {
		s = b->v[i];
		u = 0;
		switch (s->kind) {
		case SCN_STMT_PUT:
		case SCN_STMT_SEND:
			u = TRACE_USE_SEND;
			break;
		case SCN_STMT_GET:
		case SCN_STMT_RECV:
			u = TRACE_USE_RECV;
			break;
		case SCN_STMT_OPEN:
			u = TRACE_USE_OTHER | (s->open_write ? TRACE_USE_SEND :
			    TRACE_USE_RECV);
			break;
		case SCN_STMT_CLOSE:
		case SCN_STMT_LISTEN:
		case SCN_STMT_ACCEPT:
		case SCN_STMT_CONNECT:
			u = TRACE_USE_OTHER;
			break;
		default:
			break;
		}
		if (u != 0 && s->target_ref.kind == SCN_REF_OBJECT &&
		    s->target_ref.index >= 0)
			row[(size_t)s->target_ref.index * nworkers] |= u;
		scenario_uses_expr(s->value, row, nworkers);
		scenario_uses_expr(s->cond, row, nworkers);
		scenario_uses_expr(s->index, row, nworkers);
		scenario_uses_expr(s->priority, row, nworkers);
		for (j = 0; j < s->nparts; j++)
			scenario_uses_expr(s->parts[j].expr, row, nworkers);
		scenario_uses_block(&s->body, row, nworkers);
		scenario_uses_block(&s->orelse, row, nworkers);
	}
}

void
scenario_uses(const struct scn_file *file, const struct trace_meta *meta,
    uint8_t *uses)
{
	const struct scn_block	*body;
	size_t			 w;
	struct meta_uses_arg	 ua;
	int			 nvars;

	memset(uses, 0, meta->nobjects * meta->nworkers);
	for (w = 0; w < meta->nworkers; w++) {
		body = scenario_worker_body(file, meta, (uint16_t)w, &nvars);
		if (body != NULL)
			scenario_uses_block(body, uses + w, meta->nworkers);
	}
	ua.uses = uses;
	ua.nworkers = meta->nworkers;
	meta_managers(file, meta, meta_uses_mark, &ua);
}
