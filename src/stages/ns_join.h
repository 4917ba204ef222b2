/* ns_join.h - joining existing namespaces (namespace_paths), for the
 * namespaces stage. */
#ifndef CONGO_NS_JOIN_H
#define CONGO_NS_JOIN_H

#include <stdio.h>

#include "congo/pipeline.h"

/* Launcher, before clone: opens and checks every joined namespace, takes
 * them out of run->clone_flags, and joins pid and time here (they apply
 * to children only: the container is born into them). */
int congo_ns_join_prepare(struct congo_run *run, struct congo_error *err);
/* In the container, first thing: joins the rest, the mount namespace
 * last (before any rootfs work), and closes the descriptors. */
int congo_ns_join_child(struct congo_run *run, struct congo_error *err);
void congo_ns_join_cleanup(struct congo_run *run);
void congo_ns_join_describe(struct congo_run *run, FILE *out);

#endif
