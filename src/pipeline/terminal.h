/* terminal.h - terminal.c: the container's pseudo-terminal.  The launcher
 * opens and proxies it (pipeline.c, supervise.c); the exec stage attaches
 * the container to it just before exec. */
#ifndef CONGO_TERMINAL_H
#define CONGO_TERMINAL_H

#include "congo/pipeline.h"

int congo_terminal_open(struct congo_run *run, struct congo_error *err);
/* In the container, just before exec: its own pty as stdio. */
int congo_terminal_attach(struct congo_run *run, struct congo_error *err);
int congo_terminal_receive(struct congo_run *run);
void congo_terminal_raw(struct congo_run *run);
void congo_terminal_restore(struct congo_run *run);
void congo_terminal_resize(struct congo_run *run);

#endif
