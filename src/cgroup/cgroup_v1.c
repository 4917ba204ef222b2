/* cgroup_v1.c - the cgroup v1 driver: one hierarchy per controller (or a
 * few co-mounted, like cpu,cpuacct), found in mountinfo.  Also what runs
 * on hybrid hosts, whose v2 "unified" mount has none of our controllers,
 * but for hugetlb where no v1 hierarchy holds it (unified_hugetlb).
 *
 * memory.limit_in_bytes and memory.memsw.limit_in_bytes get the same
 * value unless the spec gives memory_swap (memory + swap, as OCI): the
 * limit means RAM, with no escape into swap.  The other resources are in
 * cgroup_resources.c.
 *
 * The devices hierarchy holds the device allowlist: a new cgroup starts
 * with its parent's list (allow all, at the root), so everything is
 * denied first and then exactly the allowlist allowed.  The kernel never
 * lets a child cgroup allow more than its parent, nor a process without
 * CAP_SYS_ADMIN write these files.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_internal.h"

/* The last three only for a spec that uses them, cpuacct only for whoever
 * reads its figures (congo_cg_v1_wants). */
static const char *const controllers[] = { "pids", "memory", "cpu", "cpuacct", "freezer", "devices",
                                           "cpuset", "hugetlb", "blkio" };

struct found {
        struct congo_cgroup *cg;
        const char *rel;
        const struct congo_cgroup_limits *limits;
        struct congo_error *err;
        int failed;
};

/* The hierarchy dir holding controller, or NULL. */
const char *congo_cg_v1_dir(const struct congo_cgroup *cg, const char *controller)
{
        for (size_t i = 0; i < cg->n_dirs; i++) {
                char list[40];
                snprintf(list, sizeof list, ",%s,", cg->dirs[i].controller);
                char want[40];
                snprintf(want, sizeof want, ",%s,", controller);
                if (strstr(list, want))
                        return cg->dirs[i].path;
        }
        return NULL;
}

static void on_mount(void *user, const char *mp, const char *fstype, const char *opts)
{
        struct found *f = user;
        struct congo_cgroup *cg = f->cg;
        char ours[40] = "";

        if (strcmp(fstype, "cgroup") != 0 || f->failed || cg->n_dirs == CONGO_CGROUP_MAX_DIRS)
                return;
        /* Which of our controllers this hierarchy carries, comma-joined. */
        char *copy = strdup(opts), *save = NULL;
        for (char *o = copy ? strtok_r(copy, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save))
                for (size_t i = 0; i < sizeof controllers / sizeof controllers[0]; i++)
                        if (strcmp(o, controllers[i]) == 0 && congo_cg_v1_wants(f->limits, o) &&
                            strlen(ours) + strlen(o) + 2 < sizeof ours)
                                snprintf(ours + strlen(ours), sizeof ours - strlen(ours), "%s%s",
                                         ours[0] ? "," : "", o);
        free(copy);
        if (ours[0] == '\0' || congo_cg_v1_dir(cg, ours))   /* none, or mounted twice */
                return;
        if (cg->pid_namespace && strcmp(ours, "freezer") == 0)
                return;
        char *path;
        if (congo_cg_mkdir(cg, mp, f->rel, &path, f->err) < 0) {
                f->failed = 1;
                return;
        }
        snprintf(cg->dirs[cg->n_dirs].controller, sizeof cg->dirs[0].controller, "%s", ours);
        cg->dirs[cg->n_dirs++].path = path;
}

static int need(const struct congo_cgroup *cg, const char *controller, const char **dir,
                struct congo_error *err)
{
        if ((*dir = congo_cg_v1_dir(cg, controller)) != NULL)
                return 0;
        return congo_error_set(err, 0, "no %s hierarchy is mounted (cgroup v1)", controller);
}

/* "deny a", then each rule to its file in order; a run of rules for
 * one file goes through one open of it. */
static int v1_allow_devices(struct congo_cgroup *cg, const struct congo_cgroup_device *allow,
                            size_t n, struct congo_error *err)
{
        const char *dir = congo_cg_v1_dir(cg, "devices");
        char lines[CONGO_CGROUP_DEVICES_MAX][2][32];
        char *each[2 * CONGO_CGROUP_DEVICES_MAX];
        size_t run = 0;

        if (n > CONGO_CGROUP_DEVICES_MAX)
                return congo_error_set(err, E2BIG, "more than %d device rules", CONGO_CGROUP_DEVICES_MAX);
        if (dir == NULL)
                return congo_error_set(err, 0, "no devices hierarchy is mounted (cgroup v1): the device allowlist cannot be enforced");
        if (congo_cg_write(cg, dir, "devices.deny", "a", err) < 0)
                return -1;
        for (size_t i = 0; i < n; i++) {
                int k = congo_cg_device_rule(&allow[i], lines[i]);
                for (int j = 0; j < k; j++)
                        each[run++] = lines[i][j];
                if (i + 1 < n && allow[i + 1].deny == allow[i].deny)
                        continue;
                if (congo_cg_write_each(cg, dir, allow[i].deny ? "devices.deny" : "devices.allow",
                                        each, run, err) < 0)
                        return -1;
                run = 0;
        }
        return 0;
}

/* On a hybrid host hugetlb is often bound to no v1 hierarchy, and so
 * available in the v2 "unified" one: the container gets a cgroup there
 * too, for its hugetlb.SIZE.max files (cgroup_resources.c), joined and
 * removed with the others. */
static int unified_hugetlb(struct congo_cgroup *cg, const char *rel,
                           const struct congo_cgroup_limits *l, struct congo_error *err)
{
        char *dir = NULL;

        if (!l->n_hugepages || congo_cg_v1_dir(cg, "hugetlb") || cg->n_dirs == CONGO_CGROUP_MAX_DIRS)
                return 0;
        int rc = congo_cg_v2_beside_v1(cg, "hugetlb", rel, &dir, err);
        if (rc <= 0)
                return rc;
        snprintf(cg->dirs[cg->n_dirs].controller, sizeof cg->dirs[0].controller, "hugetlb");
        cg->dirs[cg->n_dirs++].path = dir;
        cg->hugetlb_v2 = true;
        cg->created = cg->plan == NULL;
        return 0;
}

static int v1_create(struct congo_cgroup *cg, const char *rel,
                     const struct congo_cgroup_limits *l, struct congo_error *err)
{
        struct found f = { cg, rel, l, err, 0 };
        const char *dir;
        const char *text = congo_cg_mountinfo(cg);

        if (congo_cg_refuse_resources(l, false, err) < 0)
                return -1;
        if (text == NULL)
                return congo_error_set(err, errno, "reading %s", cg->mountinfo);
        congo_cg_each_mount(text, on_mount, &f);
        cg->created = cg->plan == NULL && cg->n_dirs > 0;
        if (f.failed || unified_hugetlb(cg, rel, l, err) < 0)
                return -1;
        if (l->pids && !(l->pids_default && congo_cg_v1_dir(cg, "pids") == NULL) &&
            (need(cg, "pids", &dir, err) < 0 ||
                        congo_cg_write_u64(cg, dir, "pids.max", (uint64_t)l->pids, err) < 0))
                return -1;
        if (l->memory) {
                if (need(cg, "memory", &dir, err) < 0 ||
                    congo_cg_write_u64(cg, dir, "memory.limit_in_bytes", l->memory, err) < 0)
                        return -1;
                /* memsw >= memory always holds: memory was written first.
                 * Without memory_swap it is the memory limit: no swap. */
                bool memsw = cg->plan || congo_cg_exists(dir, "memory.memsw.limit_in_bytes");
                if (l->memory_swap && !memsw)
                        return congo_error_set(err, 0, "limits.memory_swap: %s has no memory.memsw.limit_in_bytes (swap accounting is off: boot with swapaccount=1)",
                                               dir);
                char sw[32] = "-1";
                if (l->memory_swap != UINT64_MAX)
                        snprintf(sw, sizeof sw, "%" PRIu64, l->memory_swap ? l->memory_swap : l->memory);
                if (memsw && congo_cg_write(cg, dir, "memory.memsw.limit_in_bytes", sw, err) < 0)
                        return -1;
        }
        if (l->cpu_shares && (need(cg, "cpu", &dir, err) < 0 ||
                              congo_cg_write_u64(cg, dir, "cpu.shares", l->cpu_shares, err) < 0))
                return -1;
        if (l->cpu_quota_us && (need(cg, "cpu", &dir, err) < 0 ||
                                congo_cg_write_u64(cg, dir, "cpu.cfs_period_us", l->cpu_period_us, err) < 0 ||
                                congo_cg_write_u64(cg, dir, "cpu.cfs_quota_us", l->cpu_quota_us, err) < 0))
                return -1;
        return congo_cg_v1_resources(cg, rel, l, err);
}

static int v1_attach(struct congo_cgroup *cg, pid_t pid, struct congo_error *err)
{
        for (size_t i = 0; i < cg->n_dirs; i++)
                if (congo_cg_write_u64(cg, cg->dirs[i].path, "cgroup.procs", (uint64_t)pid, err) < 0)
                        return -1;
        return 0;
}

/* Filled in a local and copied out whole (see congo_cgroup_stats). */
static void v1_stats(struct congo_cgroup *cg, bool all, struct congo_cgroup_stats *out)
{
        struct congo_cgroup_stats s = *out;
        const char *dir;

        if ((dir = congo_cg_v1_dir(cg, "memory")) != NULL)
                s.oom_killed = congo_cg_read_i64(dir, "memory.oom_control", "oom_kill") > 0;
        if (all && (dir = congo_cg_v1_dir(cg, "cpuacct")) != NULL) {
                int64_t user = congo_cg_read_i64(dir, "cpuacct.usage_user", NULL);
                int64_t sys = congo_cg_read_i64(dir, "cpuacct.usage_sys", NULL);
                s.cpu_user_us = user < 0 ? -1 : user / 1000;
                s.cpu_sys_us = sys < 0 ? -1 : sys / 1000;
        }
        if (all && (dir = congo_cg_v1_dir(cg, "memory")) != NULL)
                s.memory_peak = congo_cg_read_i64(dir, "memory.max_usage_in_bytes", NULL);
        if (all && (dir = congo_cg_v1_dir(cg, "pids")) != NULL)
                s.pids_peak = congo_cg_read_i64(dir, "pids.peak", NULL);
        *out = s;
}

/* Freeze, kill, thaw: nothing can fork its way out between the read of
 * cgroup.procs and the kills. */
static void kill_all(struct congo_cgroup *cg)
{
        const char *freezer = congo_cg_v1_dir(cg, "freezer");
        struct congo_error ignored;
        struct timespec tick = { 0, 100000 };

        if (cg->n_dirs == 0)
                return;
        /* The usual case: PID 1 of a pid namespace took everyone with it,
         * and the first directory goes at once: an rmdir succeeds only on
         * a cgroup with no process and no child cgroup (stricter than an
         * empty cgroup.procs, which leaves out the children), and every
         * process of the container is in it or below it.  One syscall, not
         * an open, read and close first; its removal below finds ENOENT. */
        if (rmdir(cg->dirs[0].path) == 0 || errno == ENOENT)
                return;
        if (freezer && congo_cg_write(cg, freezer, "freezer.state", "FROZEN", &ignored) == 0) {
                for (int i = 0; i < 1000; i++) {
                        char path[4096];
                        snprintf(path, sizeof path, "%s/freezer.state", freezer);
                        char *state = congo_cg_slurp(path);
                        bool frozen = state && strncmp(state, "FROZEN", 6) == 0;
                        free(state);
                        if (frozen)
                                break;
                        nanosleep(&tick, NULL);
                }
        }
        congo_cg_kill_procs(freezer ? freezer : cg->dirs[0].path);
        if (freezer)
                congo_cg_write(cg, freezer, "freezer.state", "THAWED", &ignored);
}

static int v1_destroy(struct congo_cgroup *cg, struct congo_error *err)
{
        int rc = 0;

        if (!cg->created)
                return 0;
        kill_all(cg);
        for (size_t i = 0; i < cg->n_dirs; i++)
                if (congo_cg_remove(cg->dirs[i].path, err) < 0)
                        rc = -1;
        cg->created = false;
        return rc;
}

struct gc_ctx {
        const char *parent, *own;
        int removed;
};

static void gc_mount(void *user, const char *mp, const char *fstype, const char *opts)
{
        struct gc_ctx *g = user;

        (void)opts;
        /* cgroup2: a hybrid host's unified mount, where hugetlb may be. */
        if (strcmp(fstype, "cgroup") == 0 || strcmp(fstype, "cgroup2") == 0)
                g->removed += congo_cg_gc_dir(mp, g->parent, g->own);
}

static int v1_gc(struct congo_cgroup *cg, const char *parent, int *removed)
{
        struct gc_ctx g = { parent, congo_cg_own_leaf(cg), 0 };
        const char *text = congo_cg_mountinfo(cg);

        if (text == NULL)
                return -1;
        congo_cg_each_mount(text, gc_mount, &g);
        *removed = g.removed;
        return 0;
}

const struct congo_cgroup_driver congo_cgroup_v1 = {
        .name = "v1",
        .create = v1_create,
        .attach = v1_attach,
        .allow_devices = v1_allow_devices,
        .stats = v1_stats,
        .destroy = v1_destroy,
        .gc = v1_gc,
};
