/* cgroup_resources.c - OCI's linux.resources beyond pids, memory and CPU
 * shares and quota, written by both drivers: memory reservation,
 * swappiness and the OOM killer, cpusets, realtime bandwidth, huge page
 * limits, block I/O weight and (v2) the unified map.
 *
 * v1 and v2 name things differently; the conversions (also in
 * congo-spec(5)):
 *   reservation       memory.soft_limit_in_bytes  memory.low
 *   swappiness        memory.swappiness           none: ignored (as crun), said at -v
 *   disable_oom_killer memory.oom_control = 1     none: a warning, the killer stays
 *   cpuset            cpuset.cpus/.mems (parents populated first)  cpuset.cpus/.mems
 *   realtime          cpu.rt_period_us/rt_runtime_us  none: refused
 *   hugepages         hugetlb.SIZE.limit_in_bytes  hugetlb.SIZE.max
 *                     (hybrid, no v1 hugetlb hierarchy: .max in the unified one)
 *   blkio_weight      blkio.weight or blkio.bfq.weight  io.bfq.weight (as is)
 *                     or io.weight = 1 + (w - 10) * 9999 / 990
 *   unified           refused                     each file written as given
 * A controller or file the host lacks is an error naming it, never a
 * limit silently dropped.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "congo/util.h"

uint64_t congo_cgroup_blkio_to_io_weight(uint64_t weight)
{
        if (weight < 10)
                weight = 10;
        if (weight > 1000)
                weight = 1000;
        return 1 + ((weight - 10) * 9999) / 990;
}

/* Refusals that need no cgroup: checked before anything is made. */
int congo_cg_refuse_resources(const struct congo_cgroup_limits *l, bool v2,
                              struct congo_error *err)
{
        if (v2 && l->cpu_rt)
                return congo_error_set(err, 0, "limits.cpu_rt_runtime: realtime CPU bandwidth is cgroup v1 only (cpu.rt_runtime_us); this host's cgroups are v2");
        if (!v2 && l->n_unified)
                return congo_error_set(err, 0, "limits.unified: %s is a cgroup v2 file, and this host's cgroups are v1",
                                       l->unified[0].name);
        return 0;
}

static int write_if_present(struct congo_cgroup *cg, const char *dir, const char *file,
                            const char *value, const char *why, struct congo_error *err)
{
        if (cg->plan == NULL && !congo_cg_exists(dir, file))
                return congo_error_set(err, ENOENT, "%s/%s is missing: %s", dir, file, why);
        return congo_cg_write(cg, dir, file, value, err);
}

static int write_u64_if_present(struct congo_cgroup *cg, const char *dir, const char *file,
                                uint64_t value, const char *why, struct congo_error *err)
{
        char buf[32];

        snprintf(buf, sizeof buf, "%" PRIu64, value);
        return write_if_present(cg, dir, file, buf, why, err);
}

/* ---- v1 ---------------------------------------------------------------- */

static const char *need_v1(const struct congo_cgroup *cg, const char *controller,
                           struct congo_error *err)
{
        const char *dir = congo_cg_v1_dir(cg, controller);

        if (dir == NULL)
                congo_error_set(err, 0, "no %s hierarchy is mounted (cgroup v1)%s", controller,
                                strcmp(controller, "hugetlb") == 0 ? ", nor is hugetlb in a cgroup2 mount" : "");
        return dir;
}

/* A v1 cpuset cgroup starts with no CPUs and no memory nodes, and takes no
 * process until it has both: each level below the hierarchy's root gets
 * its parent's where it has none, then the container's own are written. */
static int v1_cpuset(struct congo_cgroup *cg, const char *dir, const char *rel,
                     const struct congo_cgroup_limits *l, struct congo_error *err)
{
        static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
        const char *own[] = { l->cpuset_cpus, l->cpuset_mems };
        size_t top = strlen(dir) - strlen(rel);   /* dir is MOUNTPOINT/rel */
        char *level = strdup(dir);
        int rc = 0;

        if (level == NULL)
                return congo_error_set(err, ENOMEM, "cpuset");
        for (char *p = level + top; rc == 0; p++) {
                if (*p != '/' && *p != '\0')
                        continue;
                char c = *p;
                bool leaf = c == '\0';
                *p = '\0';
                char *parent = strndup(level, (size_t)(strrchr(level, '/') - level));
                for (int i = 0; i < 2 && rc == 0 && parent; i++) {
                        if (leaf && own[i]) {
                                rc = congo_cg_write(cg, level, files[i], own[i], err);
                                continue;
                        }
                        char path[4200];
                        snprintf(path, sizeof path, "%s/%s", level, files[i]);
                        char *mine = congo_cg_slurp(path);
                        snprintf(path, sizeof path, "%s/%s", parent, files[i]);
                        char *theirs = congo_cg_slurp(path);
                        if (mine && theirs && strspn(mine, "\n") == strlen(mine)) {
                                theirs[strcspn(theirs, "\n")] = '\0';
                                rc = congo_cg_write(cg, level, files[i], theirs, err);
                        }
                        free(mine);
                        free(theirs);
                }
                free(parent);
                *p = c;
                if (leaf)
                        break;
        }
        free(level);
        return rc;
}

static int v1_memory(struct congo_cgroup *cg, const struct congo_cgroup_limits *l,
                     struct congo_error *err)
{
        const char *dir;

        if (!l->memory_reservation && !l->swappiness_set && !l->disable_oom_killer)
                return 0;
        if ((dir = need_v1(cg, "memory", err)) == NULL)
                return -1;
        if (l->memory_reservation &&
            congo_cg_write_u64(cg, dir, "memory.soft_limit_in_bytes", l->memory_reservation, err) < 0)
                return -1;
        if (l->swappiness_set &&
            write_u64_if_present(cg, dir, "memory.swappiness", l->swappiness,
                                 "this kernel has no per-cgroup swappiness", err) < 0)
                return -1;
        if (l->disable_oom_killer &&
            write_if_present(cg, dir, "memory.oom_control", "1",
                             "this kernel cannot disable the OOM killer of a cgroup", err) < 0)
                return -1;
        return 0;
}

/* The parent must have realtime budget to give: say so when it has not. */
static int v1_rt(struct congo_cgroup *cg, const struct congo_cgroup_limits *l,
                 struct congo_error *err)
{
        const char *dir;
        const char *why = "the kernel has no realtime group scheduling (CONFIG_RT_GROUP_SCHED)";

        if (!l->cpu_rt)
                return 0;
        if ((dir = need_v1(cg, "cpu", err)) == NULL)
                return -1;
        if (l->cpu_rt_period_us &&
            write_u64_if_present(cg, dir, "cpu.rt_period_us", l->cpu_rt_period_us, why, err) < 0)
                return -1;
        if (write_u64_if_present(cg, dir, "cpu.rt_runtime_us", l->cpu_rt_runtime_us, why, err) < 0) {
                if (err->errnum == EINVAL) {
                        size_t len = strlen(err->msg);
                        snprintf(err->msg + len, sizeof err->msg - len,
                                 " (the parent cgroup's cpu.rt_runtime_us must leave room for it)");
                }
                return -1;
        }
        return 0;
}

static int hugepages(struct congo_cgroup *cg, const char *dir, const struct congo_cgroup_limits *l,
                     const char *suffix, struct congo_error *err)
{
        for (size_t i = 0; i < l->n_hugepages; i++) {
                char name[24], file[64];
                congo_hugepage_name(l->hugepages[i].page_size, name);
                snprintf(file, sizeof file, "hugetlb.%s.%s", name, suffix);
                if (write_u64_if_present(cg, dir, file, l->hugepages[i].limit,
                                         "this host has no huge pages of that size", err) < 0)
                        return -1;
        }
        return 0;
}

static int v1_blkio(struct congo_cgroup *cg, const struct congo_cgroup_limits *l,
                    struct congo_error *err)
{
        const char *dir;

        if (!l->blkio_weight)
                return 0;
        if ((dir = need_v1(cg, "blkio", err)) == NULL)
                return -1;
        const char *file = congo_cg_exists(dir, "blkio.bfq.weight") ? "blkio.bfq.weight" : "blkio.weight";
        return write_u64_if_present(cg, dir, file, l->blkio_weight,
                                    "no I/O scheduler with weights (CFQ or BFQ) in this kernel", err);
}

int congo_cg_v1_resources(struct congo_cgroup *cg, const char *rel,
                          const struct congo_cgroup_limits *l, struct congo_error *err)
{
        const char *dir;

        if (v1_memory(cg, l, err) < 0 || v1_rt(cg, l, err) < 0)
                return -1;
        if (l->cpuset_cpus || l->cpuset_mems) {
                if ((dir = need_v1(cg, "cpuset", err)) == NULL || v1_cpuset(cg, dir, rel, l, err) < 0)
                        return -1;
        }
        if (l->n_hugepages && ((dir = need_v1(cg, "hugetlb", err)) == NULL ||
                               hugepages(cg, dir, l, cg->hugetlb_v2 ? "max" : "limit_in_bytes", err) < 0))
                return -1;
        return v1_blkio(cg, l, err);
}

/* The optional v1 controllers, made only for a spec that uses them: a
 * cpuset cgroup costs writes on every level, and a start pays for each. */
bool congo_cg_v1_wants(const struct congo_cgroup_limits *l, const char *controller)
{
        if (strcmp(controller, "cpuset") == 0)
                return l->cpuset_cpus || l->cpuset_mems;
        if (strcmp(controller, "hugetlb") == 0)
                return l->n_hugepages > 0;
        if (strcmp(controller, "blkio") == 0)
                return l->blkio_weight > 0;
        if (strcmp(controller, "cpuacct") == 0)
                return l->accounting;
        return true;
}

/* ---- v2 ---------------------------------------------------------------- */

static int v2_io(struct congo_cgroup *cg, const char *dir, const struct congo_cgroup_limits *l,
                 struct congo_error *err)
{
        if (!l->blkio_weight)
                return 0;
        if (congo_cg_exists(dir, "io.bfq.weight"))
                return congo_cg_write_u64(cg, dir, "io.bfq.weight", l->blkio_weight, err);
        return write_u64_if_present(cg, dir, "io.weight",
                                    congo_cgroup_blkio_to_io_weight(l->blkio_weight),
                                    "no I/O scheduler with weights (io.cost or BFQ) in this kernel", err);
}

int congo_cg_v2_resources(struct congo_cgroup *cg, const char *dir,
                          const struct congo_cgroup_limits *l, struct congo_error *err)
{
        if (l->memory_reservation &&
            congo_cg_write_u64(cg, dir, "memory.low", l->memory_reservation, err) < 0)
                return -1;
        if (l->swappiness_set && cg->plan)
                fputs("   limits.memory_swappiness: ignored (cgroup v2 has none)\n", cg->plan);
        else if (l->swappiness_set)
                congo_info("limits.memory_swappiness: cgroup v2 has none; ignored (as crun does)");
        if (l->disable_oom_killer && cg->plan)
                fputs("   limits.disable_oom_killer: not applied (cgroup v2 cannot disable the OOM killer)\n", cg->plan);
        else if (l->disable_oom_killer)
                congo_warn("limits.disable_oom_killer: cgroup v2 cannot disable the OOM killer; it stays on");
        if (l->cpuset_cpus && congo_cg_write(cg, dir, "cpuset.cpus", l->cpuset_cpus, err) < 0)
                return -1;
        if (l->cpuset_mems && congo_cg_write(cg, dir, "cpuset.mems", l->cpuset_mems, err) < 0)
                return -1;
        if (hugepages(cg, dir, l, "max", err) < 0 || v2_io(cg, dir, l, err) < 0)
                return -1;
        /* Last: a unified file overrides what a key above wrote, as in crun. */
        for (size_t i = 0; i < l->n_unified; i++)
                if (write_if_present(cg, dir, l->unified[i].name, l->unified[i].value,
                                     "no such file in the container's cgroup (limits.unified)", err) < 0)
                        return -1;
        return 0;
}
