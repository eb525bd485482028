/*
 * util/log.h: debug log to a file, never to the terminal.
 *
 * While curses owns the screen nothing may be written to stdout or stderr,
 * so debugging goes to the file named by -v / LOCKSTEP_LOG (tmux's
 * log_debug). With no log file open, log_debug costs one branch.
 */
#ifndef LOCKSTEP_UTIL_LOG_H
#define LOCKSTEP_UTIL_LOG_H

void	log_open(const char *path);
void	log_close(void);
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
