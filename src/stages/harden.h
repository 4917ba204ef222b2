/* harden.h - masked and read-only paths of /proc and /sys (harden.c). */
#ifndef CONGO_HARDEN_H
#define CONGO_HARDEN_H

#include <stdbool.h>
#include <stdio.h>

#include "congo/error.h"
#include "congo/spec.h"

/* On the root fd of the proc (sysfs) mount just made, before anything
 * else is mounted: the default lists, unless the spec replaces them
 * (s NULL: the defaults, for a proc or sysfs mount the spec adds). */
int congo_harden_proc(int procfd, const struct congo_spec *s, struct congo_error *err);
int congo_harden_sys(int sysfd, const struct congo_spec *s, struct congo_error *err);
/* The spec's masked_paths and readonly_paths, after every other mount,
 * on the container's root fd. */
int congo_harden_user_paths(int rootfd, const struct congo_spec *s, struct congo_error *err);
/* After every other mount: nothing masked by default shows through,
 * nothing read-only by default is writable (procfd, sysfd -1: none; s
 * NULL as above). */
/* Closes what the masks above shared (called once the root is built). */
void congo_harden_release(void);
int congo_harden_verify(int procfd, int sysfd, const struct congo_spec *s, struct congo_error *err);
/* Whether congo's own lists hide path (an absolute /proc or /sys path):
 * masks it, or (readonly) masks it or makes it read-only.  The OCI front
 * end accepts maskedPaths and readonlyPaths that congo covers. */
bool congo_harden_covers(const char *path, bool readonly);
/* The lists, for --dry-run. */
void congo_harden_describe(const struct congo_spec *s, FILE *out);
void congo_harden_describe_user(const struct congo_spec *s, FILE *out);

#endif
