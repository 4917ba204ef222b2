/* stage_cgroups.c - the container's cgroup: <parent>/<name>-<launcher pid>
 * in each hierarchy, limits written before the container starts, the
 * container placed in it before it runs anything, stats read and the
 * cgroup removed (everything in it killed) when it ends. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "mount_spec.h"
#include "rootfs_devices.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define MOUNTINFO "/proc/self/mountinfo"

static bool rootless(void)
{
        return geteuid() != 0;
}

/* pipeline.h: the spec's limits as the drivers take them. */
struct congo_cgroup_limits congo_cgroup_limits_of(const struct congo_spec *s, struct congo_limit_lists *lists)
{
        const typeof(s->limits) *l = &s->limits;
        size_t nh = l->n_hugepages < CONGO_HUGEPAGES_MAX ? l->n_hugepages : CONGO_HUGEPAGES_MAX;
        size_t nu = l->n_unified < CONGO_UNIFIED_MAX ? l->n_unified : CONGO_UNIFIED_MAX;

        for (size_t i = 0; i < nh; i++)
                lists->hugepages[i] = (struct congo_cgroup_hugepage){ l->hugepages[i].page_size,
                                                                      l->hugepages[i].limit };
        for (size_t i = 0; i < nu; i++)
                lists->unified[i] = (struct congo_cgroup_file){ l->unified[i].file, l->unified[i].value };
        return (struct congo_cgroup_limits){
                .pids = l->pids < 0 ? 0 : l->pids, .pids_default = s->pos[CONGO_K_PIDS].file == NULL,
                .memory = l->memory,
                .cpu_shares = l->cpu_shares, .cpu_quota_us = l->cpu_quota_us,
                .cpu_period_us = l->cpu_period_us ? l->cpu_period_us : CONGO_CPU_PERIOD_US,
                .memory_reservation = l->memory_reservation, .memory_swap = l->memory_swap,
                .swappiness_set = l->memory_swappiness >= 0,
                .swappiness = l->memory_swappiness >= 0 ? (uint32_t)l->memory_swappiness : 0,
                .disable_oom_killer = l->disable_oom_killer,
                .cpuset_cpus = l->cpuset_cpus, .cpuset_mems = l->cpuset_mems,
                .cpu_rt = l->cpu_rt_set, .cpu_rt_runtime_us = l->cpu_rt_runtime_us,
                .cpu_rt_period_us = l->cpu_rt_period_us, .blkio_weight = l->blkio_weight,
                .hugepages = lists->hugepages, .n_hugepages = nh,
                .unified = lists->unified, .n_unified = nu,
        };
}

static bool has_limits(const struct congo_spec *s)
{
        const typeof(s->limits) *l = &s->limits;
        /* The default pids limit is applied where it can be, not asked for. */
        bool pids = l->pids > 0 && s->pos[CONGO_K_PIDS].file != NULL;
        return pids || l->memory || l->cpu_shares || l->cpu_quota_us || l->memory_reservation ||
               l->memory_swappiness >= 0 || l->disable_oom_killer || l->cpuset_cpus ||
               l->cpuset_mems || l->cpu_rt_set || l->blkio_weight || l->n_hugepages ||
               l->n_unified;
}

static int create(struct congo_run *run, FILE *plan, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        struct congo_cgroup *cg = &run->cgroup;
        struct congo_limit_lists lists;
        struct congo_cgroup_limits limits = congo_cgroup_limits_of(s, &lists);
        /* --stats reads cpuacct; the OCI runtime's callers do (it names
         * the cgroup); a plain run makes no cgroup only to count. */
        limits.accounting = run->stats_wanted || run->cgroup_rel != NULL;
        char rel[512];

        cg->plan = plan;
        /* The OCI runtime's containers may be paused: on v1 that takes a
         * freezer cgroup, made with the others (one mkdir more), even where
         * a pid namespace already guarantees the kill. */
        cg->pid_namespace = (s->namespaces & CONGO_NS_PID) && run->cgroup_rel == NULL;
        /* The OCI runtime keys the cgroup by the container's id: it
         * outlives the launcher, so no pid goes in its name (and --gc,
         * which matches NAME-PID, leaves it alone). */
        if (run->cgroup_rel)
                snprintf(rel, sizeof rel, "%s", run->cgroup_rel);
        else
                snprintf(rel, sizeof rel, "%s/%s-%d", s->cgroup_parent, s->name, (int)run->launcher_pid);
        if (plan)
                fprintf(plan, "   driver: cgroup %s\n", cg->driver->name);
        return cg->driver->create(cg, rel, &limits, err);
}

/* Rootless: a cgroup only where the v2 hierarchy delegates one to us.
 * -1 on error; else the driver is set (none: not delegated). */
static int rootless_cgroup(struct congo_run *run, FILE *plan, struct congo_error *err)
{
        struct congo_cgroup *cg = &run->cgroup;

        cg->plan = plan;
        int r = congo_cgroup_v2_delegate(cg, "/proc/self/cgroup", err);
        if (r < 0)
                return -1;
        cg->driver = r > 0 ? &congo_cgroup_v2 : &congo_cgroup_none;
        if (r == 0 && plan == NULL)
                congo_warn("running rootless without a delegated cgroup v2 subtree: no pids/memory/cpu limits");
        return 0;
}

/* Root under a service manager that delegated our cgroup to us (systemd's
 * Delegate=yes): the container's cgroup goes beneath the launcher's own,
 * as rootless does, so that the unit accounts for it and kills it.
 * 1: delegated, 0: not (use the hierarchy's root), -1: error. */
static int service_cgroup(struct congo_run *run, FILE *plan, struct congo_error *err)
{
        struct congo_cgroup *cg = &run->cgroup;

        if (cg->driver != &congo_cgroup_v2)
                return 0;
        cg->plan = plan;
        return congo_cgroup_v2_delegate(cg, "/proc/self/cgroup", err);
}

/* The host's driver; none where no hierarchy is mounted (a chroot, a
 * container without cgroups), which is fine for a spec that asks for no
 * limit, as bwrap would run it. */
static int host_cgroup(struct congo_run *run, FILE *plan, struct congo_error *err)
{
        struct congo_cgroup *cg = &run->cgroup;

        const struct congo_cgroup_driver *found = congo_cgroup_probe(CGROUP_ROOT, MOUNTINFO, err);
        if (found != NULL) {
                cg->driver = found;
                int r = service_cgroup(run, plan, err);
                if (r > 0 && plan)
                        fputs("   (beneath the launcher's cgroup, delegated by the service manager)\n", plan);
                return r < 0 ? -1 : 0;
        }
        if (has_limits(run->spec)) {
                size_t len = strlen(err->msg);
                snprintf(err->msg + len, sizeof err->msg - len, ", and the spec sets cgroup limits");
                return -1;
        }
        if (plan == NULL)
                congo_warn("cgroups: %s: running without a cgroup (the spec sets no cgroup limit), so without a device allowlist", err->msg);
        *err = (struct congo_error){ 0 };
        return 0;   /* with congo_cgroup_none */
}

static int choose_driver(struct congo_run *run, FILE *plan, struct congo_error *err)
{
        run->cgroup.mountinfo = MOUNTINFO;
        run->cgroup.driver = &congo_cgroup_none;   /* until one is found */
        return rootless() ? rootless_cgroup(run, plan, err) : host_cgroup(run, plan, err);
}

static int cg_prepare(struct congo_run *run, struct congo_error *err)
{
        struct congo_cgroup *cg = &run->cgroup;

        if (choose_driver(run, NULL, err) < 0)
                return -1;
        /* Made now when clone3 can start the child inside it; otherwise
         * in the parent hook, while the child builds its root. */
        if (!cg->driver->born_inside)
                return 0;
        if (create(run, NULL, err) < 0)
                return -1;
        run->cgroup_fd = open(cg->dirs[0].path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        return 0;
}

/* The inode of the host's user namespace in nsfs (the kernel's
 * PROC_USER_INIT_INO, fixed since Linux 3.8). */
#define INITIAL_USER_NS_INO 0xEFFFFFFDu

/* Root of a user namespace other than the host's (congo run inside a
 * container), where the kernel lets us neither write a device cgroup nor
 * load a BPF program (both need CAP_SYS_ADMIN in the host's) nor make a
 * device node.  One stat. */
static bool nested_user_namespace(void)
{
        struct stat st;

        return stat("/proc/self/ns/user", &st) == 0 && st.st_ino != INITIAL_USER_NS_INO;
}

/* The device allowlist: what congo makes in /dev and the spec's devices.
 * Rootless or nested in a user namespace, none (as crun): the kernel does
 * not let us apply one, and the container can reach no device its
 * launcher cannot; the nodev mounts are what stands there.  As root on
 * the host, always, and a failure is an error. */
static int allow_devices(struct congo_run *run, struct congo_error *err)
{
        const struct congo_cgroup_driver *drv = run->cgroup.driver;
        struct congo_cgroup_device allow[CONGO_CGROUP_DEVICES_MAX];

        /* A driver with no hook (none) has no cgroup to hold an allowlist. */
        if (rootless() || drv->allow_devices == NULL)
                return 0;
        if (nested_user_namespace()) {
                congo_info("in a user namespace other than the host's: no device cgroup");
                return 0;
        }
        size_t n = congo_devices_allowlist(run->spec, allow, CONGO_CGROUP_DEVICES_MAX);
        return drv->allow_devices(&run->cgroup, allow, n, err);
}

/* The cgroup (made here unless clone3 started the child in it), its
 * device allowlist, then the child moved in: all before it is released. */
static int cg_parent(struct congo_run *run, struct congo_error *err)
{
        struct congo_cgroup *cg = &run->cgroup;

        if (cg->n_dirs == 0 && create(run, NULL, err) < 0)
                return -1;
        if (allow_devices(run, err) < 0)
                return -1;
        if (run->in_cgroup)
                return 0;
        return cg->driver->attach(cg, run->pid, err);
}

/* Leftovers of launchers that were SIGKILLed (empty, launcher gone) are
 * removed while the container sets itself up: off its critical path. */
static void cg_started(struct congo_run *run)
{
        int removed;

        run->cgroup.driver->gc(&run->cgroup, run->spec->cgroup_parent, &removed);
}

/* A cgroup namespace unshared here has the container's cgroup as root;
 * the spec's cgroup mounts wait for it (mount_spec.c). */
static int cg_child(struct congo_run *run, struct congo_error *err)
{
        if (!(run->spec->namespaces & CONGO_NS_CGROUP))
                return 0;
        /* A joined one was joined by the namespaces stage. */
        if (!(congo_spec_joined(run->spec) & CONGO_NS_CGROUP) && unshare(CLONE_NEWCGROUP) < 0)
                return congo_error_set(err, errno, "unshare(CLONE_NEWCGROUP)");
        return congo_spec_mounts_cgroup(run->spec, err);
}

static void cg_cleanup(struct congo_run *run)
{
        struct congo_cgroup *cg = &run->cgroup;
        struct congo_error err = { .stage = "cgroups" };

        if (run->cgroup_fd >= 0)
                close(run->cgroup_fd);
        run->cgroup_fd = -1;
        if (cg->created)
                cg->driver->stats(cg, run->stats_wanted, &run->result.cg);
        if (cg->driver->destroy(cg, &err) < 0)
                congo_error_print(&err, stderr);
        congo_cgroup_release(cg);
}

static void cg_describe(struct congo_run *run, FILE *out)
{
        struct congo_error err = { 0 };

        if (choose_driver(run, out, &err) < 0)
                fprintf(out, "   error: %s\n", err.msg);
        else if (create(run, out, &err) < 0 || allow_devices(run, &err) < 0)
                fprintf(out, "   error: %s\n", err.msg);
        fprintf(out, "   attach the container%s\n",
                run->cgroup.driver->born_inside ? " (clone3 CLONE_INTO_CGROUP)" : "");
        fputs("   at exit: read stats, kill what is left, remove the cgroup\n", out);
        congo_cgroup_release(&run->cgroup);
        run->cgroup.driver = NULL;
}

const struct congo_stage congo_stage_cgroups = {
        .name = "cgroups",
        .describe = cg_describe,
        .prepare = cg_prepare,
        .parent = cg_parent,
        .started = cg_started,
        .child = cg_child,
        .cleanup = cg_cleanup,
};
