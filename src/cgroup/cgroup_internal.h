/* cgroup_internal.h - helpers shared by cgroup.c, cgroup_v1.c and
 * cgroup_v2.c. */
#ifndef CONGO_CGROUP_INTERNAL_H
#define CONGO_CGROUP_INTERNAL_H

#include <stddef.h>

#include "congo/cgroup.h"

/* Calls fn for every cgroup or cgroup2 mount in a mountinfo text. */
typedef void (*congo_mount_fn)(void *user, const char *mountpoint,
                               const char *fstype, const char *superopts);
void congo_cg_each_mount(const char *mountinfo_text, congo_mount_fn fn, void *user);
/* The whole of a small file, NUL-terminated; NULL with errno on failure. */
char *congo_cg_slurp(const char *path);
/* cg->mountinfo's text, read on first use and kept until release: create,
 * gc and the v2 mount lookup share one read on the start path. */
const char *congo_cg_mountinfo(struct congo_cgroup *cg);

/* Write value to dir/file; in plan mode, print instead.  A refused write
 * names the file and value. */
int congo_cg_write(struct congo_cgroup *cg, const char *dir, const char *file,
                   const char *value, struct congo_error *err);
/* Each of values as its own write(2) to one open dir/file: how cgroup
 * files that take one rule per write (devices.allow) are fed cheaply. */
int congo_cg_write_each(struct congo_cgroup *cg, const char *dir, const char *file,
                        char *const *values, size_t n, struct congo_error *err);
/* A device rule as devices.allow and devices.deny take it: "c 1:3 rwm",
 * "c 136:* m", "a".  v1 reads "a" as every access, so a rule of type a
 * with less access is two lines, c and b: how many lines (1 or 2). */
int congo_cg_device_rule(const struct congo_cgroup_device *d, char buf[2][32]);
int congo_cg_write_u64(struct congo_cgroup *cg, const char *dir, const char *file,
                       uint64_t value, struct congo_error *err);
/* A number from dir/file, or from the line "key N" in it; -1 if absent. */
int64_t congo_cg_read_i64(const char *dir, const char *file, const char *key);
bool congo_cg_exists(const char *dir, const char *file);
/* mkdir -p of base/rel (plan mode: print). */
int congo_cg_mkdir(struct congo_cgroup *cg, const char *base, const char *rel,
                   char **out, struct congo_error *err);
/* SIGKILL every pid listed in dir/cgroup.procs and in those of the
 * cgroups beneath it; how many were listed. */
int congo_cg_kill_procs(const char *dir);
/* Wait (bounded) for dir/cgroup.procs to empty, then rmdir, the cgroups
 * beneath it first. */
int congo_cg_remove(const char *dir, struct congo_error *err);
/* Remove stale <name>-<pid> children of base/parent; names removed.
 * own: the leaf name of this launcher's cgroup there, or NULL. */
int congo_cg_gc_dir(const char *base, const char *parent, const char *own);
/* The leaf name of cg's cgroup (NULL when it has none). */
const char *congo_cg_own_leaf(const struct congo_cgroup *cg);

/* The resources beyond pids, memory and CPU (cgroup_resources.c). */
int congo_cg_refuse_resources(const struct congo_cgroup_limits *l, bool v2,
                              struct congo_error *err);
int congo_cg_v1_resources(struct congo_cgroup *cg, const char *rel,
                          const struct congo_cgroup_limits *l, struct congo_error *err);
bool congo_cg_v1_wants(const struct congo_cgroup_limits *l, const char *controller);
int congo_cg_v2_resources(struct congo_cgroup *cg, const char *dir,
                          const struct congo_cgroup_limits *l, struct congo_error *err);
/* A hybrid host's controller that no v1 hierarchy holds but its v2
 * "unified" mount has (hugetlb, often): our cgroup rel made there, in
 * *dir, the controller enabled on the way down: 1.  0: the v2 mount has
 * none (or there is none); -1 after reporting. */
int congo_cg_v2_beside_v1(struct congo_cgroup *cg, const char *controller, const char *rel,
                          char **dir, struct congo_error *err);
/* v1: the directory of our cgroup in the hierarchy holding controller. */
const char *congo_cg_v1_dir(const struct congo_cgroup *cg, const char *controller);

#endif
