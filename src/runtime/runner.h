/*
 * runtime/runner.h: the runner process (fork server and reaper) and the
 * workers it creates. Internal to runtime/.
 */
#ifndef LOCKSTEP_RUNTIME_RUNNER_H
#define LOCKSTEP_RUNTIME_RUNNER_H

#include "runtime/arena.h"

/* Body of the runner, in the child the front end forked. Never returns. */
void	runner_main(struct arena *) __attribute__((noreturn));

#endif
