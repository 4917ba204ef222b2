/* check_command.h - does the spec's command exist, and run, inside its
 * rootfs?  For --check: the run would end with 127 or 126. */
#ifndef CONGO_CHECK_COMMAND_H
#define CONGO_CHECK_COMMAND_H

#include "congo/spec.h"

/* 0, or -1 after reporting to d.  Says nothing when the rootfs cannot be
 * opened (congo_spec_finish reported that). */
int congo_check_command(const struct congo_spec *spec, struct congo_diag *d);

#endif
