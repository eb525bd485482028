/*
 * util/xmalloc.h: allocation that never fails silently.
 *
 * Every allocation in lockstep goes through these. On failure they print a
 * message naming the size and abort, as tmux's xmalloc does: a front end
 * that runs out of memory cannot explain anything useful anyway.
 */
#ifndef LOCKSTEP_UTIL_XMALLOC_H
#define LOCKSTEP_UTIL_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
