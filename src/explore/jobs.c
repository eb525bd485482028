/*
 * explore/jobs.c: the search over several processes (--jobs).
 *
 * The tree of schedules is shared out at its root: each worker that can
 * take the first step roots a subtree, and job j searches the subtrees
 * i = j, j + jobs, j + 2 jobs... in a child process (fork: each has its
 * own copy of the executor, which holds no run between executions). For
 * sleep sets to stay exact, a subtree is told which first steps are
 * explored before it (struct explore_step_acc: their accesses are
 * measured once, up front). Each child writes its results to a pipe; the
 * parent merges them: outcome counts add up, the first failure is the
 * one with a hazard and the fewest preemptions (the lowest subtree on a
 * tie), the search is exhaustive only if every subtree's was.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "explore/explore.h"
#include "util/xmalloc.h"

struct jb_buf {
	unsigned char	*p;
	size_t		 len, cap, off;
	int		 bad;
};

static void
jb_put(struct jb_buf *b, const void *v, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 256;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	if (n > 0)
		memcpy(b->p + b->len, v, n);
	b->len += n;
}

static void
jb_get(struct jb_buf *b, void *v, size_t n)
{
	if (b->bad || b->off + n > b->len) {
		b->bad = 1;
		memset(v, 0, n);
		return;
	}
	if (n > 0)
		memcpy(v, b->p + b->off, n);
	b->off += n;
}

static void
jb_put_u64(struct jb_buf *b, uint64_t v)
{
	jb_put(b, &v, sizeof v);
}

static uint64_t
jb_get_u64(struct jb_buf *b)
{
	uint64_t	v;

	jb_get(b, &v, sizeof v);
	return (v);
}

static void
jb_put_str(struct jb_buf *b, const char *s)
{
	uint64_t	n = s != NULL ? strlen(s) : UINT64_MAX;

	jb_put_u64(b, n);
	if (s != NULL)
		jb_put(b, s, (size_t)n);
}

static char *
jb_get_str(struct jb_buf *b)
{
	uint64_t	 n = jb_get_u64(b);
	char		*s;

	if (n == UINT64_MAX || b->bad)
		return (NULL);
	if (n > b->len - b->off) {
		b->bad = 1;
		return (NULL);
	}
	s = xmalloc((size_t)n + 1);
	jb_get(b, s, (size_t)n);
	s[n] = '\0';
	return (s);
}

static void
jb_put_sched(struct jb_buf *b, const struct explore_schedule *sc)
{
	size_t	i;

	jb_put_u64(b, sc->n);
	jb_put_u64(b, (uint64_t)sc->preemptions);
	for (i = 0; i < sc->n; i++)
		jb_put(b, &sc->v[i], sizeof sc->v[i]);
	for (i = 0; i < (size_t)sc->preemptions; i++)
		jb_put_u64(b, sc->at[i]);
}

static void
jb_get_sched(struct jb_buf *b, struct explore_schedule *sc)
{
	size_t	i;

	sc->n = (size_t)jb_get_u64(b);
	sc->preemptions = (int)jb_get_u64(b);
	if (b->bad || sc->n > b->len || (size_t)sc->preemptions > sc->n) {
		b->bad = 1;
		memset(sc, 0, sizeof *sc);
		return;
	}
	sc->v = xreallocarray(NULL, sc->n + 1, sizeof *sc->v);
	sc->at = xreallocarray(NULL, sc->n + 1, sizeof *sc->at);
	for (i = 0; i < sc->n; i++)
		jb_get(b, &sc->v[i], sizeof sc->v[i]);
	for (i = 0; i < (size_t)sc->preemptions; i++)
		sc->at[i] = (size_t)jb_get_u64(b);
}

static void
jb_put_result(struct jb_buf *b, const struct explore_result *r)
{
	size_t	i;

	jb_put_u64(b, r->nrows);
	for (i = 0; i < r->nrows; i++) {
		jb_put_str(b, r->rows[i].key);
		jb_put_str(b, r->rows[i].detail);
		jb_put_u64(b, (uint64_t)r->rows[i].failed |
		    (uint64_t)r->rows[i].hazard << 1 |
		    (uint64_t)r->rows[i].cut << 2);
		jb_put_u64(b, r->rows[i].count);
		jb_put_sched(b, &r->rows[i].example);
	}
	jb_put_u64(b, (uint64_t)r->found | (uint64_t)r->found_hazard << 1 |
	    (uint64_t)r->failure_cut << 2);
	if (r->found) {
		jb_put_sched(b, &r->failure);
		jb_put_str(b, r->failure_key);
		jb_put_str(b, r->failure_detail);
	}
	jb_put_u64(b, r->schedules);
	jb_put_u64(b, r->equivalent);
	jb_put_u64(b, r->bounded);
	jb_put_u64(b, r->truncated);
	jb_put_u64(b, r->steps);
	jb_put_u64(b, (uint64_t)(int64_t)r->bound);
	jb_put_u64(b, (uint64_t)r->stop);
	jb_put_u64(b, r->first_ms);
}

static void
jb_get_result(struct jb_buf *b, struct explore_result *r)
{
	uint64_t	f;
	size_t		i, n;

	memset(r, 0, sizeof *r);
	n = (size_t)jb_get_u64(b);
	if (b->bad || n > b->len)
		goto bad;
	r->rows = xcalloc(n + 1, sizeof *r->rows);
	for (i = 0; i < n && !b->bad; i++) {
		r->rows[i].key = jb_get_str(b);
		r->rows[i].detail = jb_get_str(b);
		f = jb_get_u64(b);
		r->rows[i].failed = f & 1;
		r->rows[i].hazard = (f >> 1) & 1;
		r->rows[i].cut = (f >> 2) & 1;
		r->rows[i].count = jb_get_u64(b);
		jb_get_sched(b, &r->rows[i].example);
		r->nrows = i + 1;
		if (r->rows[i].key == NULL)
			goto bad;
	}
	f = jb_get_u64(b);
	r->found = f & 1;
	r->found_hazard = (f >> 1) & 1;
	r->failure_cut = (f >> 2) & 1;
	if (r->found) {
		jb_get_sched(b, &r->failure);
		r->failure_key = jb_get_str(b);
		r->failure_detail = jb_get_str(b);
		if (r->failure_key == NULL)
			goto bad;
	}
	r->schedules = jb_get_u64(b);
	r->equivalent = jb_get_u64(b);
	r->bounded = jb_get_u64(b);
	r->truncated = jb_get_u64(b);
	r->steps = jb_get_u64(b);
	r->bound = (int)(int64_t)jb_get_u64(b);
	r->stop = (enum explore_stop)jb_get_u64(b);
	r->first_ms = jb_get_u64(b);
	if (!b->bad)
		return;
bad:
	b->bad = 1;
}

/* The stronger reason to have stopped, for the merged report. */
static int
jb_stop_rank(enum explore_stop s)
{
	switch (s) {
	case EXPLORE_EXHAUSTIVE:
		return (0);
	case EXPLORE_FOUND:
		return (1);
	case EXPLORE_STEPS:
		return (2);
	case EXPLORE_BOUND:
		return (2);
	case EXPLORE_MAX_SCHEDULES:
		return (3);
	case EXPLORE_TIME_LIMIT:
		return (4);
	case EXPLORE_INTERRUPTED:
		return (5);
	}
	return (5);
}

/* Whether failure a (a subtree's) is better than b's. */
static int
jb_better(const struct explore_result *a, const struct explore_result *b)
{
	if (!a->found)
		return (0);
	if (!b->found)
		return (1);
	if (a->found_hazard != b->found_hazard)
		return (a->found_hazard);
	return (a->failure.preemptions < b->failure.preemptions);
}

static void
jb_merge(struct explore_result *into, struct explore_result *r, int first)
{
	struct explore_row	*row;
	size_t			 i, k;

	for (i = 0; i < r->nrows; i++) {
		for (k = 0; k < into->nrows; k++)
			if (strcmp(into->rows[k].key, r->rows[i].key) == 0)
				break;
		if (k < into->nrows) {
			into->rows[k].count += r->rows[i].count;
			continue;
		}
		into->rows = xreallocarray(into->rows, into->nrows + 1,
		    sizeof *into->rows);
		row = &into->rows[into->nrows++];
		*row = r->rows[i];
		memset(&r->rows[i], 0, sizeof r->rows[i]);
	}
	if (jb_better(r, into)) {
		free(into->failure.v);
		free(into->failure.at);
		free(into->failure_key);
		free(into->failure_detail);
		into->found = 1;
		into->found_hazard = r->found_hazard;
		into->failure_cut = r->failure_cut;
		into->failure = r->failure;
		into->failure_key = r->failure_key;
		into->failure_detail = r->failure_detail;
		into->first_ms = r->first_ms;
		memset(&r->failure, 0, sizeof r->failure);
		r->failure_key = r->failure_detail = NULL;
	}
	into->schedules += r->schedules;
	into->equivalent += r->equivalent;
	into->bounded += r->bounded;
	into->truncated += r->truncated;
	into->steps += r->steps;
	if (first || r->bound < into->bound)
		into->bound = r->bound;
	if (first || jb_stop_rank(r->stop) > jb_stop_rank(into->stop))
		into->stop = r->stop;
}

/* Child: search the subtrees given to job j, write each result. */
static void
jb_child(const struct explore_ops *ops, void *ctx,
    const struct explore_opts *opt, const uint16_t *first, size_t nfirst,
    const struct explore_step_acc *acc, int j, int jobs, int fd)
{
	struct explore_opts	 o = *opt;
	struct explore_result	 r;
	struct jb_buf		 b;
	enum explore_stop	 stop;
	char			*cause = NULL;
	size_t			 i, off;
	ssize_t			 n;

	memset(&b, 0, sizeof b);
	for (i = (size_t)j; i < nfirst; i += (size_t)jobs) {
		o.prefix = &first[i];
		o.nprefix = 1;
		o.siblings = acc;
		o.nsiblings = i;
		if (explore_run(ops, ctx, &o, &r, &cause) != 0) {
			jb_put_u64(&b, 1);
			jb_put_str(&b, cause);
			break;
		}
		jb_put_u64(&b, 0);
		jb_put_u64(&b, i);
		jb_put_result(&b, &r);
		stop = r.stop;
		explore_result_done(&r);
		if (stop == EXPLORE_INTERRUPTED || stop == EXPLORE_TIME_LIMIT)
			break;
	}
	for (off = 0; off < b.len; off += (size_t)n) {
		n = write(fd, b.p + off, b.len - off);
		if (n <= 0) {
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			_exit(1);
		}
	}
	_exit(0);
}

int
explore_run_jobs(const struct explore_ops *ops, void *ctx,
    const struct explore_opts *opt, int jobs, struct explore_result *res,
    char **cause)
{
	struct explore_step_acc	*acc = NULL;
	struct explore_opts	 o = *opt;
	struct explore_result	*parts = NULL;
	struct jb_buf		*bufs = NULL;
	struct pollfd		*pfd = NULL;
	uint16_t		*first = NULL;
	pid_t			*pids = NULL;
	size_t			 n, i, live, got = 0;
	ssize_t			 k;
	uint64_t		 t0, tag;
	int			 j, rc = -1, fds[2], status, told;
	pid_t			 parent;
	char			 chunk[65536], *err;
	struct timespec		 ts;

	if (jobs <= 1 || opt->nprefix > 0)
		return (explore_run(ops, ctx, opt, res, cause));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;

	/* The first step's alternatives, and what each touches. */
	first = xcalloc(65536, sizeof *first);
	if (ops->begin(ctx, cause) != 0)
		goto out;
	n = ops->enabled(ctx, first);
	ops->end(ctx, EXPLORE_END_ABORT, NULL);
	if (n < 2) {
		free(first);
		return (explore_run(ops, ctx, opt, res, cause));
	}
	acc = xcalloc(n, sizeof *acc);
	for (i = 0; i < n; i++) {
		acc[i].w = first[i];
		if (ops->begin(ctx, cause) != 0 ||
		    ops->step(ctx, first[i], &acc[i].acc, cause) != 0) {
			ops->end(ctx, EXPLORE_END_ABORT, NULL);
			goto out;
		}
		ops->end(ctx, EXPLORE_END_ABORT, NULL);
	}
	if ((size_t)jobs > n)
		jobs = (int)n;
	if (o.max_schedules > 0)
		o.max_schedules = (o.max_schedules + n - 1) / n;

	pids = xcalloc((size_t)jobs, sizeof *pids);
	pfd = xcalloc((size_t)jobs, sizeof *pfd);
	bufs = xcalloc((size_t)jobs, sizeof *bufs);
	fflush(NULL);
	parent = getpid();
	for (j = 0; j < jobs; j++) {
		if (pipe(fds) != 0) {
			xasprintf(cause, "pipe: %s", strerror(errno));
			goto reap;
		}
		if ((pids[j] = fork()) == -1) {
			xasprintf(cause, "fork: %s", strerror(errno));
			close(fds[0]);
			close(fds[1]);
			goto reap;
		}
		if (pids[j] == 0) {
			/* A job ends with its parent, however that ends (the
			   interrupted flag stops the search; runs clean up). */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			if (getppid() != parent)
				_exit(1);
			close(fds[0]);
			jb_child(ops, ctx, &o, first, n, acc, j, jobs, fds[1]);
		}
		close(fds[1]);
		pfd[j].fd = fds[0];
		pfd[j].events = POLLIN;
	}
	for (live = (size_t)jobs, told = 0; live > 0;) {
		if (!told && opt->interrupted != NULL && *opt->interrupted) {
			/* Ctrl-C reached us (or only us, from kill): the
			   jobs stop too and report what they searched. */
			for (j = 0; j < jobs; j++)
				kill(pids[j], SIGINT);
			told = 1;
		}
		if (poll(pfd, (nfds_t)jobs, 100) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (j = 0; j < jobs; j++) {
			if (pfd[j].fd < 0 || pfd[j].revents == 0)
				continue;
			k = read(pfd[j].fd, chunk, sizeof chunk);
			if (k > 0) {
				jb_put(&bufs[j], chunk, (size_t)k);
				continue;
			}
			if (k < 0 && errno == EINTR)
				continue;
			close(pfd[j].fd);
			pfd[j].fd = -1;
			live--;
		}
	}
	rc = 0;
reap:
	for (j = 0; j < jobs; j++) {
		if (pids[j] > 0)
			while (waitpid(pids[j], &status, 0) == -1 &&
			    errno == EINTR)
				;
		if (pfd[j].fd >= 0)
			close(pfd[j].fd);
	}
	if (rc != 0)
		goto out;

	/* Results in subtree order, so ties go to the lowest subtree. */
	parts = xcalloc(n, sizeof *parts);
	for (j = 0; j < jobs && rc == 0; j++) {
		while (bufs[j].off < bufs[j].len) {
			tag = jb_get_u64(&bufs[j]);
			if (tag == 1) {
				err = jb_get_str(&bufs[j]);
				xasprintf(cause, "%s", err != NULL ? err :
				    "a job failed");
				free(err);
				rc = -1;
				break;
			}
			i = (size_t)jb_get_u64(&bufs[j]);
			if (bufs[j].bad || i >= n) {
				bufs[j].bad = 1;
				break;
			}
			jb_get_result(&bufs[j], &parts[i]);
			if (bufs[j].bad)
				break;
			got++;
		}
		if (bufs[j].bad && rc == 0) {
			xasprintf(cause, "job %d: its results were cut short "
			    "(the job died)", j + 1);
			rc = -1;
		}
	}
	if (rc == 0) {
		memset(res, 0, sizeof *res);
		for (i = 0; i < n; i++)
			jb_merge(res, &parts[i], i == 0);
		if (got < n && res->stop == EXPLORE_EXHAUSTIVE)
			res->stop = opt->interrupted != NULL &&
			    *opt->interrupted ? EXPLORE_INTERRUPTED :
			    EXPLORE_TIME_LIMIT;
	}
	for (i = 0; i < n; i++)
		explore_result_done(&parts[i]);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	res->elapsed_ms = (uint64_t)ts.tv_sec * 1000 +
	    (uint64_t)ts.tv_nsec / 1000000 - t0;
out:
	if (bufs != NULL)
		for (j = 0; j < jobs; j++)
			free(bufs[j].p);
	free(bufs);
	free(parts);
	free(pfd);
	free(pids);
	free(acc);
	free(first);
	return (rc);
}
