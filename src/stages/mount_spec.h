/* mount_spec.h - the spec's mounts: prepared before the container's root
 * gets any mount, attached in order after the defaults (mount_spec.c). */
#ifndef CONGO_MOUNT_SPEC_H
#define CONGO_MOUNT_SPEC_H

#include <stdbool.h>
#include <stdio.h>

#include "congo/error.h"
#include "congo/spec.h"

/* What one mount holds between the steps: a bind's cloned tree, an
 * overlay's directories, a proc or sysfs mount's root once hardened. */
struct congo_prepared {
        int tree;
        int *dirs;
        size_t n_dirs;
        int hardened;
        bool idmapped;           /* tree came from the launcher, flags set */
};

void congo_spec_mounts_init(struct congo_prepared *p, size_t n);
void congo_spec_mounts_release(struct congo_prepared *p, size_t n);
int congo_spec_mounts_prepare(const struct congo_spec *s, struct congo_prepared *p,
                              struct congo_error *err);
int congo_spec_mounts_attach(const struct congo_spec *s, int rootfd, struct congo_prepared *p,
                             struct congo_error *err);
/* With a cgroup namespace, its cgroup and cgroup2 mounts: called by the
 * cgroups stage once the namespace is unshared (after the pivot). */
int congo_spec_mounts_cgroup(const struct congo_spec *s, struct congo_error *err);
/* The masking of every proc and sysfs mount of the spec, checked again. */
int congo_spec_mounts_verify(const struct congo_spec *s, const struct congo_prepared *p,
                             struct congo_error *err);
void congo_spec_mounts_describe(const struct congo_spec *s, FILE *out);

#endif
