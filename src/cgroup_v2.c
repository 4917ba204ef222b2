/* cgroup_v2.c - the cgroup v2 driver: one hierarchy, controllers enabled
 * in cgroup.subtree_control on the way down to our cgroup.
 *
 * memory.max gets the limit and memory.swap.max 0: the limit means RAM,
 * with no escape into swap.  cpu.shares becomes cpu.weight through the
 * OCI conversion.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"

static const char *const wanted[] = { "cpu", "memory", "pids" };

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

static char *mountpoint(const struct congo_cgroup *cg)
{
        struct mount_ctx m = { NULL };
        char *text = congo_cg_slurp(cg->mountinfo);

        congo_cg_each_mount(text, on_mount, &m);
        free(text);
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

/* Enable our controllers for the children of dir, where available and not
 * yet enabled: the write is skipped on every run after the first. */
static int enable_controllers(struct congo_cgroup *cg, const char *dir, struct congo_error *err)
{
        char path[4096];

        snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
        char *avail = congo_cg_slurp(path);
        snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
        char *enabled = congo_cg_slurp(path);
        int rc = 0;

        for (size_t i = 0; i < sizeof wanted / sizeof wanted[0] && rc == 0; i++) {
                char plus[16];
                if (!has_word(avail, wanted[i]) || has_word(enabled, wanted[i]))
                        continue;
                snprintf(plus, sizeof plus, "+%s", wanted[i]);
                rc = congo_cg_write(cg, dir, "cgroup.subtree_control", plus, err);
        }
        free(avail);
        free(enabled);
        return rc;
}

static int v2_create(struct congo_cgroup *cg, const char *rel,
                     const struct congo_cgroup_limits *l, struct congo_error *err)
{
        char *mp = mountpoint(cg), *dir = NULL;
        int rc = -1;

        if (mp == NULL)
                return congo_error_set(err, 0, "cgroups: no cgroup2 hierarchy in %s", cg->mountinfo);
        /* mountpoint, then each parent of rel: enable, descend. */
        char *partial = strdup(rel);
        if (partial == NULL || enable_controllers(cg, mp, err) < 0)
                goto out;
        for (char *slash = strchr(partial, '/'); slash; slash = strchr(slash + 1, '/')) {
                *slash = '\0';
                char *level = NULL;
                int r = congo_cg_mkdir(cg, mp, partial, &level, err);
                if (r == 0)
                        r = enable_controllers(cg, level, err);
                free(level);
                *slash = '/';
                if (r < 0)
                        goto out;
        }
        if (congo_cg_mkdir(cg, mp, rel, &dir, err) < 0)
                goto out;
        cg->dirs[0].controller[0] = '\0';
        cg->dirs[0].path = dir;
        cg->n_dirs = 1;
        cg->created = cg->plan == NULL;
        if (l->pids && congo_cg_write_u64(cg, dir, "pids.max", (uint64_t)l->pids, err) < 0)
                goto out;
        if (l->memory) {
                if (congo_cg_write_u64(cg, dir, "memory.max", l->memory, err) < 0)
                        goto out;
                if ((cg->plan || congo_cg_exists(dir, "memory.swap.max")) &&
                    congo_cg_write(cg, dir, "memory.swap.max", "0", err) < 0)
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
        rc = 0;
out:
        free(partial);
        free(mp);
        return rc;
}

static int v2_attach(struct congo_cgroup *cg, pid_t pid, struct congo_error *err)
{
        return congo_cg_write_u64(cg, cg->dirs[0].path, "cgroup.procs", (uint64_t)pid, err);
}

static void v2_stats(struct congo_cgroup *cg, struct congo_cgroup_stats *out)
{
        const char *dir = cg->dirs[0].path;

        if (cg->n_dirs == 0)
                return;
        out->cpu_user_us = congo_cg_read_i64(dir, "cpu.stat", "user_usec");
        out->cpu_sys_us = congo_cg_read_i64(dir, "cpu.stat", "system_usec");
        out->memory_peak = congo_cg_read_i64(dir, "memory.peak", NULL);
        out->pids_peak = congo_cg_read_i64(dir, "pids.peak", NULL);
        out->oom_killed = congo_cg_read_i64(dir, "memory.events", "oom_kill") > 0;
}

static int v2_destroy(struct congo_cgroup *cg, struct congo_error *err)
{
        struct congo_error ignored;

        if (!cg->created)
                return 0;
        const char *dir = cg->dirs[0].path;
        /* cgroup.kill (5.14+) kills everything at once; else one by one. */
        if (!congo_cg_exists(dir, "cgroup.kill") ||
            congo_cg_write(cg, dir, "cgroup.kill", "1", &ignored) < 0)
                congo_cg_kill_procs(dir);
        cg->created = false;
        return congo_cg_remove(dir, err);
}

static int v2_gc(struct congo_cgroup *cg, const char *parent, int *removed)
{
        char *mp = mountpoint(cg);

        if (mp == NULL)
                return -1;
        *removed = congo_cg_gc_dir(mp, parent);
        free(mp);
        return 0;
}

const struct congo_cgroup_driver congo_cgroup_v2 = {
        .name = "v2",
        .create = v2_create,
        .attach = v2_attach,
        .stats = v2_stats,
        .destroy = v2_destroy,
        .gc = v2_gc,
};
