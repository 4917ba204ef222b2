/* cgroup_v2.c - the cgroup v2 driver: one hierarchy, controllers enabled
 * in cgroup.subtree_control on the way down to our cgroup.
 *
 * memory.max gets the limit and memory.swap.max 0 (or memory_swap minus
 * the limit: OCI's swap counts both): the limit means RAM, with no escape
 * into swap unless the spec gives some.  The other resources are in
 * cgroup_resources.c.  cpu.shares becomes cpu.weight through the
 * OCI conversion.  The device allowlist is a BPF program attached to the
 * cgroup (cgroup_devices_bpf.c) while the container, already in it,
 * builds its root: loading it costs a tenth of a millisecond or more,
 * better spent beside that work than before the clone.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "cgroup_devices_bpf.h"
#include "cgroup_internal.h"

/* The first three are enabled for stats too; the others only when a limit
 * needs them (bits of congo_cgroup.base_enabled). */
static const char *const wanted[] = { "cpu", "memory", "pids", "cpuset", "hugetlb", "io",
                                      "rdma", "misc" };
#define N_WANTED (sizeof wanted / sizeof wanted[0])
#define N_FOR_STATS 3

struct mount_ctx {
        char *mountpoint;
};

static void on_mount(void *user, const char *mp, const char *fstype, const char *opts)
{
        struct mount_ctx *m = user;

        (void)opts;
        if (strcmp(fstype, "cgroup2") == 0 && m->mountpoint == NULL)
                m->mountpoint = strdup(mp);
}

static char *mountpoint(struct congo_cgroup *cg)
{
        struct mount_ctx m = { NULL };

        congo_cg_each_mount(congo_cg_mountinfo(cg), on_mount, &m);
        return m.mountpoint;
}

static bool has_word(const char *text, const char *word)
{
        size_t len = strlen(word);

        for (const char *p = text; p && (p = strstr(p, word)) != NULL; p += len)
                if ((p == text || p[-1] == ' ' || p[-1] == '+') &&
                    (p[len] == '\0' || p[len] == ' ' || p[len] == '\n'))
                        return true;
        return false;
}

/* Which of wanted[] the limits need: a limit whose controller cannot be
 * enabled is an error, not a limit silently dropped. */
static unsigned needed_controllers(const struct congo_cgroup_limits *l)
{
        unsigned bits = (l->cpu_shares || l->cpu_quota_us ? 1u : 0) |
                        (l->memory || l->memory_reservation ? 2u : 0) |
                        (l->pids && !l->pids_default ? 4u : 0) |
                        (l->cpuset_cpus || l->cpuset_mems ? 8u : 0) |
                        (l->n_hugepages ? 16u : 0) | (l->blkio_weight ? 32u : 0);

        /* A unified file "memory.high" needs the memory controller. */
        for (size_t i = 0; i < l->n_unified; i++)
                for (size_t w = 0; w < N_WANTED; w++) {
                        size_t len = strlen(wanted[w]);
                        if (strncmp(l->unified[i].name, wanted[w], len) == 0 &&
                            l->unified[i].name[len] == '.')
                                bits |= 1u << w;
                }
        return bits;
}

/* Enable our controllers for the children of dir, where available and not
 * yet enabled: the write is skipped on every run after the first.  The
 * ones no limit needs are enabled for stats, where possible. */
static int enable_controllers(struct congo_cgroup *cg, const char *dir, unsigned needed,
                              struct congo_error *err)
{
        char path[4096];

        snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
        char *avail = congo_cg_slurp(path);
        snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
        char *enabled = congo_cg_slurp(path);
        int rc = 0;

        for (size_t i = 0; i < N_WANTED && rc == 0; i++) {
                bool need = needed & (1u << i);
                char plus[16];
                if (has_word(enabled, wanted[i]) || (!need && i >= N_FOR_STATS))
                        continue;
                if (!has_word(avail, wanted[i])) {
                        if (need)
                                rc = congo_error_set(err, 0, "the %s controller is not available in %s",
                                                     wanted[i], dir);
                        continue;
                }
                snprintf(plus, sizeof plus, "+%s", wanted[i]);
                struct congo_error ignored;
                rc = congo_cg_write(cg, dir, "cgroup.subtree_control", plus, need ? err : &ignored);
                if (rc == 0 && cg->base && strcmp(dir, cg->base) == 0)
                        cg->base_enabled |= 1u << i;
                if (!need)
                        rc = 0;
        }
        free(avail);
        free(enabled);
        return rc;
}

/* The top we manage (the hierarchy's root, or a delegated subtree), then
 * each parent of rel: enable, descend; then rel itself, in *dir. */
static int make_levels(struct congo_cgroup *cg, const char *top, const char *rel,
                       unsigned needed, char **dir, struct congo_error *err)
{
        char *partial = strdup(rel);
        int rc = -1;

        if (partial == NULL) {
                congo_error_set(err, ENOMEM, "cgroup");
                goto out;
        }
        if (enable_controllers(cg, top, needed, err) < 0)
                goto out;
        for (char *slash = strchr(partial, '/'); slash; slash = strchr(slash + 1, '/')) {
                *slash = '\0';
                char *level = NULL;
                int r = congo_cg_mkdir(cg, top, partial, &level, err);
                if (r == 0)
                        r = enable_controllers(cg, level, needed, err);
                free(level);
                *slash = '/';
                if (r < 0)
                        goto out;
        }
        rc = congo_cg_mkdir(cg, top, rel, dir, err);
out:
        free(partial);
        return rc;
}

int congo_cg_v2_beside_v1(struct congo_cgroup *cg, const char *controller, const char *rel,
                          char **dir, struct congo_error *err)
{
        char *mp = mountpoint(cg), path[4200];
        size_t w = 0;
        int rc = 0;

        while (w < N_WANTED && strcmp(wanted[w], controller) != 0)
                w++;
        if (mp == NULL || w == N_WANTED)
                goto out;
        snprintf(path, sizeof path, "%s/cgroup.controllers", mp);
        char *avail = congo_cg_slurp(path);
        bool there = has_word(avail, controller);
        free(avail);
        if (there)
                rc = make_levels(cg, mp, rel, 1u << w, dir, err) < 0 ? -1 : 1;
out:
        free(mp);
        return rc;
}

static int v2_create(struct congo_cgroup *cg, const char *rel,
                     const struct congo_cgroup_limits *l, struct congo_error *err)
{
        char *mp = mountpoint(cg), *dir = NULL;
        unsigned needed = needed_controllers(l);
        int rc = -1;

        if (mp == NULL)
                return congo_error_set(err, 0, "no cgroup2 hierarchy in %s", cg->mountinfo);
        if (congo_cg_refuse_resources(l, true, err) < 0) {
                free(mp);
                return -1;
        }
        if (make_levels(cg, cg->base ? cg->base : mp, rel, needed, &dir, err) < 0)
                goto out;
        cg->dirs[0].controller[0] = '\0';
        cg->dirs[0].path = dir;
        cg->n_dirs = 1;
        cg->created = cg->plan == NULL;
        if (l->pids && (!l->pids_default || cg->plan || congo_cg_exists(dir, "pids.max")) &&
            congo_cg_write_u64(cg, dir, "pids.max", (uint64_t)l->pids, err) < 0)
                goto out;
        if (l->memory) {
                if (congo_cg_write_u64(cg, dir, "memory.max", l->memory, err) < 0)
                        goto out;
                /* OCI's swap counts memory too; v2's counts swap alone. */
                char swap[32] = "max";
                bool present = cg->plan || congo_cg_exists(dir, "memory.swap.max");
                if (l->memory_swap && !present) {
                        congo_error_set(err, 0, "limits.memory_swap: %s has no memory.swap.max (no swap accounting in this kernel)",
                                        dir);
                        goto out;
                }
                if (l->memory_swap != UINT64_MAX)
                        snprintf(swap, sizeof swap, "%" PRIu64,
                                 l->memory_swap ? l->memory_swap - l->memory : 0);
                if (present && congo_cg_write(cg, dir, "memory.swap.max", swap, err) < 0)
                        goto out;
        }
        if (l->cpu_shares && congo_cg_write_u64(cg, dir, "cpu.weight",
                                                congo_cgroup_shares_to_weight(l->cpu_shares), err) < 0)
                goto out;
        if (l->cpu_quota_us) {
                char max[64];
                snprintf(max, sizeof max, "%llu %llu", (unsigned long long)l->cpu_quota_us,
                         (unsigned long long)l->cpu_period_us);
                if (congo_cg_write(cg, dir, "cpu.max", max, err) < 0)
                        goto out;
        }
        if (congo_cg_v2_resources(cg, dir, l, err) < 0)
                goto out;
        rc = 0;
out:
        free(mp);
        return rc;
}

static int v2_attach(struct congo_cgroup *cg, pid_t pid, struct congo_error *err)
{
        return congo_cg_write_u64(cg, cg->dirs[0].path, "cgroup.procs", (uint64_t)pid, err);
}

static int v2_allow_devices(struct congo_cgroup *cg, const struct congo_cgroup_device *allow,
                            size_t n, struct congo_error *err)
{
        return congo_devices_bpf_attach(cg, cg->dirs[0].path, allow, n, err);
}

/* Filled in a local and copied out whole (see congo_cgroup_stats). */
static void v2_stats(struct congo_cgroup *cg, bool all, struct congo_cgroup_stats *out)
{
        const char *dir = cg->dirs[0].path;
        struct congo_cgroup_stats s = *out;

        if (cg->n_dirs == 0)
                return;
        s.oom_killed = congo_cg_read_i64(dir, "memory.events", "oom_kill") > 0;
        if (all) {
                s.cpu_user_us = congo_cg_read_i64(dir, "cpu.stat", "user_usec");
                s.cpu_sys_us = congo_cg_read_i64(dir, "cpu.stat", "system_usec");
                s.memory_peak = congo_cg_read_i64(dir, "memory.peak", NULL);
                s.pids_peak = congo_cg_read_i64(dir, "pids.peak", NULL);
        }
        *out = s;
}

/* The launcher goes back where it came from, and its leaf away.  On v2 a
 * cgroup with controllers enabled for its children may hold no process
 * (EBUSY), so first the delegated subtree is put back as it was: the empty
 * parents of our cgroup removed, and the controllers this run enabled in
 * base disabled.  Another launcher still running there keeps them in use:
 * then every step fails harmlessly, and this launcher stays in its leaf. */
static void undelegate(struct congo_cgroup *cg, const char *dir)
{
        struct congo_error ignored;
        size_t top = cg->base ? strlen(cg->base) : 0;

        if (cg->launcher_leaf == NULL || cg->plan)
                return;
        char *parent = dir ? strdup(dir) : NULL;
        for (char *slash; parent && (slash = strrchr(parent, '/')) && (size_t)(slash - parent) > top;) {
                *slash = '\0';
                if (rmdir(parent) < 0)
                        break;
        }
        free(parent);
        for (size_t i = 0; i < N_WANTED; i++) {
                char minus[16];
                snprintf(minus, sizeof minus, "-%s", wanted[i]);
                if (cg->base_enabled & (1u << i))
                        congo_cg_write(cg, cg->base, "cgroup.subtree_control", minus, &ignored);
        }
        cg->base_enabled = 0;
        if (congo_cg_write(cg, cg->base, "cgroup.procs", "0", &ignored) == 0)
                rmdir(cg->launcher_leaf);
}

static int v2_destroy(struct congo_cgroup *cg, struct congo_error *err)
{
        struct congo_error ignored;
        const char *dir = cg->n_dirs ? cg->dirs[0].path : NULL;
        int rc = 0;

        if (cg->created) {
                /* cgroup.kill (5.14+) kills everything at once; else one by one. */
                if (!congo_cg_exists(dir, "cgroup.kill") ||
                    congo_cg_write(cg, dir, "cgroup.kill", "1", &ignored) < 0)
                        congo_cg_kill_procs(dir);
                cg->created = false;
                rc = congo_cg_remove(dir, err);
        }
        undelegate(cg, dir);
        return rc;
}

static int v2_gc(struct congo_cgroup *cg, const char *parent, int *removed)
{
        char *mp = mountpoint(cg);

        if (mp == NULL)
                return -1;
        *removed = congo_cg_gc_dir(cg->base ? cg->base : mp, parent, congo_cg_own_leaf(cg));
        free(mp);
        return 0;
}

/* Unprivileged, a subtree we may write is one delegated to us.  Root may
 * write anywhere, so for root only a cgroup its service manager marked as
 * delegated counts (systemd sets trusted.delegate=1 for Delegate=yes,
 * since v251): never a root shell's session scope. */
static bool delegated(const char *own, const char *procs, const char *control)
{
        char v[2];

        if (geteuid() == 0)
                return getxattr(own, "trusted.delegate", v, sizeof v) == 1 && v[0] == '1';
        return access(own, W_OK) == 0 && access(procs, W_OK) == 0 && access(control, W_OK) == 0;
}

int congo_cgroup_v2_delegate(struct congo_cgroup *cg, const char *self_cgroup,
                             struct congo_error *err)
{
        char *mp = mountpoint(cg), *text = congo_cg_slurp(self_cgroup), *own = NULL, *leaf = NULL;
        char procs[4200], control[4200], rel[64];
        int rc = 0;

        /* "0::/user.slice/.../app.scope": our place in the v2 hierarchy. */
        for (char *line = text; mp && line && *line;
             line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
                if (strncmp(line, "0::", 3) != 0)
                        continue;
                line[3 + strcspn(line + 3, "\n")] = '\0';
                if (asprintf(&own, "%s%s", mp, strcmp(line + 3, "/") ? line + 3 : "") < 0)
                        own = NULL;
                break;
        }
        if (own == NULL)
                goto out;
        snprintf(procs, sizeof procs, "%s/cgroup.procs", own);
        snprintf(control, sizeof control, "%s/cgroup.subtree_control", own);
        if (!delegated(own, procs, control))
                goto out;
        snprintf(rel, sizeof rel, "congo-launcher-%d", (int)getpid());
        if (congo_cg_mkdir(cg, own, rel, &leaf, err) < 0 ||
            congo_cg_write(cg, leaf, "cgroup.procs", "0", err) < 0) {
                if (leaf && cg->plan == NULL)
                        rmdir(leaf);
                free(leaf);
                rc = -1;
                goto out;
        }
        cg->base = own;
        cg->launcher_leaf = leaf;
        own = NULL;
        rc = 1;
out:
        free(own);
        free(text);
        free(mp);
        return rc;
}

const struct congo_cgroup_driver congo_cgroup_v2 = {
        .name = "v2",
        .create = v2_create,
        .attach = v2_attach,
        .allow_devices = v2_allow_devices,
        .stats = v2_stats,
        .destroy = v2_destroy,
        .gc = v2_gc,
        .born_inside = true,
};
