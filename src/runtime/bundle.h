/* bundle.h - bundle.c: the runtime's bundle directory into a spec. */
#ifndef CONGO_RT_BUNDLE_H
#define CONGO_RT_BUNDLE_H

#include <stddef.h>

#include "congo/spec.h"

/* The bundle's absolute path (malloc'd), or NULL after the error line. */
char *congo_rt_bundle_path(const char *bundle);
/* 0, or -1 after the problems were printed (spec freed then). */
int congo_rt_load_bundle(const char *abs, struct congo_spec *spec);

/* The container's cgroup, relative to each hierarchy. */
void congo_rt_cgroup_rel(const struct congo_spec *spec, const char *id, char *buf, size_t len);
/* spec's annotations as a JSON object (malloc'd). */
char *congo_rt_annotations(const struct congo_spec *spec);

#endif
