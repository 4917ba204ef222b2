/* supervise.h - supervise.c: the launcher's side of a running container.
 * Used by pipeline.c.  The pseudo-terminal is terminal.h's. */
#ifndef CONGO_SUPERVISE_H
#define CONGO_SUPERVISE_H

#include <signal.h>

#include "congo/pipeline.h"

/* Milliseconds between SIGTERM and SIGKILL when limits.time passes. */
#define CONGO_TIME_GRACE_MS 2000

void congo_supervise_block(sigset_t *old);
/* Forward signals, enforce limits.time, proxy the pty, reap the container.
 * Returns the launcher's exit status. */
int congo_supervise(struct congo_run *run);
/* After cleanup: say what the user should know (OOM kill, time limit). */
void congo_supervise_report(const struct congo_run *run);

#endif
