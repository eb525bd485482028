/*
 * scenario/names.c: the words of the scenario language.
 *
 * The keyword list (no object, worker or variable may take one of these
 * names, so a line always reads one way), how object kinds are written in
 * messages ("a mutex", "an rlock"), and the "did you mean" suggestion: the
 * closest known name by edit distance, offered only when it is close
 * enough to be a likely typo.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario/parse.h"

static const char *const keywords[] = {
	"about", "accept", "acquire", "and", "append", "as", "assert",
	"atomic", "barrier", "blocking", "break", "close", "compute",
	"condition", "connect", "copy", "crash", "daemon", "duplex", "elif",
	"else", "expect", "fifo", "forever", "get", "if", "int", "join",
	"len", "listen", "local", "lock", "locked", "main", "manager", "mark",
	"mmap", "mqueue", "not", "note", "notify", "notify_all", "open", "or",
	"pass", "pipe", "pool", "print", "priority", "process", "put",
	"queue", "read", "recv", "release", "repeat", "result", "rlock",
	"semaphore", "send", "shared", "shm", "signal", "sleep", "socket",
	"start", "task", "tasks", "tcp", "thread", "timeout", "title", "unix",
	"unlock", "wait", "while", "with", "write",
};

int
scenario_keyword(const char *name)
{
	size_t	lo = 0, hi = sizeof keywords / sizeof keywords[0], mid;
	int	c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, keywords[mid]);
		if (c == 0)
			return (1);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (0);
}

static const char *const kind_names[TRACE_OBJ_KIND_COUNT] = {
	[TRACE_OBJ_MUTEX] = "mutex",
	[TRACE_OBJ_RLOCK] = "rlock",
	[TRACE_OBJ_SEMAPHORE] = "semaphore",
	[TRACE_OBJ_CONDITION] = "condition",
	[TRACE_OBJ_BARRIER] = "barrier",
	[TRACE_OBJ_QUEUE] = "queue",
	[TRACE_OBJ_PIPE] = "pipe",
	[TRACE_OBJ_FIFO] = "fifo",
	[TRACE_OBJ_MQUEUE] = "mqueue",
	[TRACE_OBJ_SOCKET] = "socket",
	[TRACE_OBJ_MMAP] = "mmap",
	[TRACE_OBJ_SHM] = "shm",
	[TRACE_OBJ_SHARED] = "shared int",
	[TRACE_OBJ_LOCAL] = "local int",
	[TRACE_OBJ_POOL] = "pool",
};

const char *
scenario_kind_name(enum trace_obj_kind kind)
{
	if ((unsigned)kind >= TRACE_OBJ_KIND_COUNT)
		return ("object");
	return (kind_names[kind]);
}

/* "a" or "an" as the kind's name is spoken. */
const char *
scenario_kind_article(enum trace_obj_kind kind)
{
	switch (kind) {
	case TRACE_OBJ_RLOCK:
	case TRACE_OBJ_MMAP:
	case TRACE_OBJ_MQUEUE:
	case TRACE_OBJ_SHM:
		return ("an");
	default:
		return ("a");
	}
}

/* Edit distance, ignoring case, capped at 8 (longer names never match). */
static size_t
distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, best;
	size_t	row[65];

	if (la > 64 || lb > 64)
		return (8);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			best = prev + ((a[i - 1] | 0x20) != (b[j - 1] | 0x20));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return (row[lb]);
}

const char *
scenario_closest(const char *name, const char *const *names, size_t n)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = (size_t)-1, len = strlen(name);

	for (i = 0; i < n; i++) {
		if (names[i] == NULL || strcmp(names[i], name) == 0)
			continue;
		d = distance(name, names[i]);
		/* One typo per three letters: "Lok" -> "Lock", never "B" -> "A". */
		if (d * 3 > len + 1 && strcasecmp(name, names[i]) != 0)
			continue;
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return (best);
}
