/*
 * util/esc.h: text made safe for a terminal.
 *
 * Scenario text (title, about, print, note, expect lines) and file names
 * are written to the terminal by the command-line outputs (`run`'s
 * summary and its live `print` echo, `list`, `check`). Written raw, an ESC
 * or OSC sequence in them would retitle the window, set the clipboard or
 * clear the screen. Every such output goes through esc_fputs / esc_str:
 * C0 controls, DEL, C1 controls (U+0080..U+009F, and their raw 8-bit
 * bytes) and bytes that are not valid UTF-8 become visible escapes
 * (\e, \n, \r, \t, \\xNN, \\u00NN); a backslash stays a backslash, so
 * ordinary text is unchanged.
 */
#ifndef LOCKSTEP_UTIL_ESC_H
#define LOCKSTEP_UTIL_ESC_H

#include <stdio.h>

/* Write s to f with every control character escaped. */
void	 esc_fputs(const char *s, FILE *f);
/* The same as a new string (xmalloc'd; free it). */
char	*esc_str(const char *s);

#endif
