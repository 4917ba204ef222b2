/* sysctl.h - the spec's sysctl map, written in the container's /proc/sys
 * (sysctl.c). */
#ifndef CONGO_SYSCTL_H
#define CONGO_SYSCTL_H

#include <stdio.h>

#include "congo/error.h"
#include "congo/spec.h"

/* On the root fd of the container's fresh proc mount, before its sys
 * directory is made read-only; the child is already in its IPC and
 * network namespaces, which is what those files show. */
int congo_sysctl_apply(int procfd, const struct congo_spec *s, struct congo_error *err);
void congo_sysctl_describe(const struct congo_spec *s, FILE *out);

#endif
