/* check_command.h - does the spec's command exist, and run, inside its
 * rootfs (and each hook where it runs)?  For --check: the run would end
 * with 127 or 126 (or 125, for a hook). */
#ifndef CONGO_CHECK_COMMAND_H
#define CONGO_CHECK_COMMAND_H

#include "congo/spec.h"

/* 0, or -1 after reporting to d.  Says nothing when the rootfs cannot be
 * opened (congo_spec_finish reported that). */
int congo_check_command(const struct congo_spec *spec, struct congo_diag *d);
/* Every hook's path, where that kind is executed (the host, or the rootfs
 * for start_container).  0, or -1 after reporting each to d. */
int congo_check_hooks(const struct congo_spec *spec, struct congo_diag *d);

#endif
