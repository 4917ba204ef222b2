/* supervise.h - the launcher's side of a running container (supervise.c)
 * and its pseudo-terminal (terminal.c).  Used by pipeline.c, and by the
 * exec stage for congo_terminal_attach. */
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

int congo_terminal_open(struct congo_run *run, struct congo_error *err);
/* In the container, just before exec: its own pty as stdio. */
int congo_terminal_attach(struct congo_run *run, struct congo_error *err);
int congo_terminal_receive(struct congo_run *run);
void congo_terminal_raw(struct congo_run *run);
void congo_terminal_restore(struct congo_run *run);
void congo_terminal_resize(struct congo_run *run);

#endif
