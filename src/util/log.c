/*
 * util/log.c: the debug log file (see log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static FILE	*log_file;

void
log_open(const char *path)
{
	if (path == NULL || *path == '\0')
		return;
	log_close();
	log_file = fopen(path, "a");
	if (log_file != NULL)
		setvbuf(log_file, NULL, _IOLBF, 0);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void
log_debug(const char *fmt, ...)
{
	struct timespec	 ts;
	va_list		 ap;

	if (log_file == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(log_file, "%ld.%06ld [%ld] ", (long)ts.tv_sec,
	    ts.tv_nsec / 1000, (long)getpid());
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
}
