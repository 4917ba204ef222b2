/* harden.h - masked and read-only paths of /proc and /sys (harden.c). */
#ifndef CONGO_HARDEN_H
#define CONGO_HARDEN_H

#include <stdbool.h>
#include <stdio.h>

#include "congo/error.h"

/* On the root fd of the proc (sysfs) mount just made, before anything
 * else is mounted. */
int congo_harden_proc(int procfd, struct congo_error *err);
int congo_harden_sys(int sysfd, struct congo_error *err);
/* After every other mount: nothing masked shows through, nothing
 * read-only is writable (sysfd -1: no /sys). */
int congo_harden_verify(int procfd, int sysfd, struct congo_error *err);
/* Whether congo's own lists hide path (an absolute /proc or /sys path):
 * masks it, or (readonly) masks it or makes it read-only.  The OCI front
 * end accepts maskedPaths and readonlyPaths that congo covers. */
bool congo_harden_covers(const char *path, bool readonly);
/* The lists, for --dry-run. */
void congo_harden_describe(FILE *out);

#endif
