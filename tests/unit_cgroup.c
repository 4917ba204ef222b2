/* unit_cgroup.c - both cgroup drivers against fake cgroup trees in a
 * temporary directory: probing, the exact files and values written,
 * subtree_control enabling, shares->weight, error paths, gc. */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cgroup_devices_bpf.h"
#include "congo/cgroup.h"
#include "fake_cgroup.h"
#include "run_suite.h"

/* A v1 host: pids, memory, cpu+cpuacct co-mounted, freezer; and the v2
 * "unified" mount of a hybrid host. */
static void fake_v1(void)
{
        char mi[2048];
        snprintf(mi, sizeof mi,
                 "30 25 0:26 / %s/pids rw,relatime shared:1 - cgroup cgroup rw,pids\n"
                 "31 25 0:27 / %s/memory rw,relatime shared:2 - cgroup cgroup rw,memory\n"
                 "32 25 0:28 / %s/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
                 "33 25 0:29 / %s/freezer rw - cgroup cgroup rw,freezer\n"
                 "34 25 0:30 / %s/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
                 "35 25 0:31 / %s/systemd rw - cgroup cgroup rw,name=systemd\n",
                 root, root, root, root, root, root);
        put("mountinfo", mi);
        mk("pids/congo/t-1");
        mk("memory/congo/t-1");
        mk("cpu,cpuacct/congo/t-1");
        mk("freezer/congo/t-1");
        put("pids/congo/t-1/pids.max", "max\n");
        put("memory/congo/t-1/memory.limit_in_bytes", "9223372036854771712\n");
        put("memory/congo/t-1/memory.memsw.limit_in_bytes", "9223372036854771712\n");
        put("cpu,cpuacct/congo/t-1/cpu.shares", "1024\n");
        put("cpu,cpuacct/congo/t-1/cpu.cfs_period_us", "100000\n");
        put("cpu,cpuacct/congo/t-1/cpu.cfs_quota_us", "-1\n");
}

static void fake_v2(const char *enabled)
{
        fake_v2_tree("cpuset cpu io memory hugetlb pids\n", "cpu memory pids\n", enabled,
                     (const char *const[]){ "pids.max", "memory.max", "memory.swap.max", "cpu.weight", "cpu.max",
                                            NULL });
}

static const struct congo_cgroup_limits ALL = { .pids = 100, .memory = 64u << 20, .cpu_shares = 1024,
                                                .cpu_quota_us = 150000, .cpu_period_us = 100000,
                                                .accounting = true };

/* The driver's plan: every mkdir and write, in order. */
static char *plan(const struct congo_cgroup_driver *drv, const struct congo_cgroup_limits *l)
{
        char *out;
        size_t len;
        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = drv, .mountinfo = mountinfo };
        cg.plan = open_memstream(&out, &len);
        ck_assert_int_eq(drv->create(&cg, "congo/t-1", l, &err), 0);
        fclose(cg.plan);
        congo_cgroup_release(&cg);
        return out;
}

START_TEST(probe_layouts)
{
        const char *v1 = "30 25 0:26 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n";
        const char *hybrid = "30 25 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                             "34 25 0:30 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
        const char *v2 = "34 25 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        const char *none = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n";
        ck_assert_ptr_eq(congo_cgroup_probe_layout(CGROUP2_SUPER_MAGIC, v2), &congo_cgroup_v2);
        ck_assert_ptr_eq(congo_cgroup_probe_layout(TMPFS_MAGIC, v1), &congo_cgroup_v1);
        ck_assert_ptr_eq(congo_cgroup_probe_layout(TMPFS_MAGIC, hybrid), &congo_cgroup_v1);
        ck_assert_ptr_eq(congo_cgroup_probe_layout(TMPFS_MAGIC, v2), &congo_cgroup_v2);
        ck_assert_ptr_null(congo_cgroup_probe_layout(TMPFS_MAGIC, none));
        ck_assert_ptr_null(congo_cgroup_probe_layout(CGROUP2_SUPER_MAGIC, none));
}
END_TEST

START_TEST(shares_to_weight)
{
        ck_assert_uint_eq(congo_cgroup_shares_to_weight(2), 1);
        ck_assert_uint_eq(congo_cgroup_shares_to_weight(262144), 10000);
        ck_assert_uint_eq(congo_cgroup_shares_to_weight(1024), 39);
        ck_assert_uint_eq(congo_cgroup_shares_to_weight(512), 20);
        ck_assert_uint_eq(congo_cgroup_shares_to_weight(1), 1);
        ck_assert_uint_eq(congo_cgroup_shares_to_weight(300000), 10000);
}
END_TEST

START_TEST(v1_plan_is_exact)
{
        fake_v1();
        char *p = plan(&congo_cgroup_v1, &ALL);
        char want[4096];
        snprintf(want, sizeof want,
                 "   mkdir %1$s/pids/congo/t-1\n"
                 "   mkdir %1$s/memory/congo/t-1\n"
                 "   mkdir %1$s/cpu,cpuacct/congo/t-1\n"
                 "   mkdir %1$s/freezer/congo/t-1\n"
                 "   write %1$s/pids/congo/t-1/pids.max = 100\n"
                 "   write %1$s/memory/congo/t-1/memory.limit_in_bytes = 67108864\n"
                 "   write %1$s/memory/congo/t-1/memory.memsw.limit_in_bytes = 67108864\n"
                 "   write %1$s/cpu,cpuacct/congo/t-1/cpu.shares = 1024\n"
                 "   write %1$s/cpu,cpuacct/congo/t-1/cpu.cfs_period_us = 100000\n"
                 "   write %1$s/cpu,cpuacct/congo/t-1/cpu.cfs_quota_us = 150000\n", root);
        ck_assert_str_eq(p, want);
        free(p);
}
END_TEST

START_TEST(v1_no_freezer_with_a_pid_namespace)
{
        fake_v1();
        char *out;
        size_t len;
        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo, .pid_namespace = true };
        cg.plan = open_memstream(&out, &len);
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &ALL, &err), 0);
        fclose(cg.plan);
        ck_assert_ptr_null(strstr(out, "freezer"));
        ck_assert_ptr_nonnull(strstr(out, "/pids/congo/t-1\n"));
        ck_assert_uint_eq(cg.n_dirs, 3);
        congo_cgroup_release(&cg);
        free(out);
}
END_TEST

START_TEST(v1_writes_and_attach)
{
        fake_v1();
        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        put("pids/congo/t-1/cgroup.procs", "");
        put("memory/congo/t-1/cgroup.procs", "");
        put("cpu,cpuacct/congo/t-1/cgroup.procs", "");
        put("freezer/congo/t-1/cgroup.procs", "");
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &ALL, &err), 0);
        ck_assert_str_eq(get("pids/congo/t-1/pids.max"), "100");
        ck_assert_str_eq(get("memory/congo/t-1/memory.limit_in_bytes"), "67108864");
        ck_assert_str_eq(get("memory/congo/t-1/memory.memsw.limit_in_bytes"), "67108864");
        ck_assert_str_eq(get("cpu,cpuacct/congo/t-1/cpu.shares"), "1024");
        ck_assert_str_eq(get("cpu,cpuacct/congo/t-1/cpu.cfs_quota_us"), "150000");
        ck_assert_int_eq(congo_cgroup_v1.attach(&cg, 4242, &err), 0);
        ck_assert_str_eq(get("freezer/congo/t-1/cgroup.procs"), "4242");
        ck_assert_str_eq(get("pids/congo/t-1/cgroup.procs"), "4242");
        put("memory/congo/t-1/memory.max_usage_in_bytes", "123456\n");
        put("memory/congo/t-1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        put("cpu,cpuacct/congo/t-1/cpuacct.usage_user", "5000000\n");
        put("cpu,cpuacct/congo/t-1/cpuacct.usage_sys", "2000000\n");
        struct congo_cgroup_stats st = { false, -1, -1, -1, -1 };
        /* Without --stats, only the OOM kill is read. */
        congo_cgroup_v1.stats(&cg, false, &st);
        ck_assert(st.oom_killed);
        ck_assert_int_eq(st.memory_peak, -1);
        ck_assert_int_eq(st.cpu_user_us, -1);
        congo_cgroup_v1.stats(&cg, true, &st);
        ck_assert(st.oom_killed);
        ck_assert_int_eq(st.memory_peak, 123456);
        ck_assert_int_eq(st.cpu_user_us, 5000);
        ck_assert_int_eq(st.cpu_sys_us, 2000);
        ck_assert_int_eq(st.pids_peak, -1);
        congo_cgroup_release(&cg);
}
END_TEST

START_TEST(v1_missing_hierarchy_and_rejected_write)
{
        char mi[512];
        struct congo_error err = { 0 };
        snprintf(mi, sizeof mi, "31 25 0:27 / %s/memory rw - cgroup cgroup rw,memory\n", root);
        put("mountinfo", mi);
        mk("memory/congo/t-1");
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        struct congo_cgroup_limits pids_only = { .pids = 5 };
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &pids_only, &err), -1);
        ck_assert_str_eq(err.msg, "no pids hierarchy is mounted (cgroup v1)");
        congo_cgroup_release(&cg);
        /* A file the kernel refuses (here: a directory) is named. */
        mk("memory/congo/t-1/memory.limit_in_bytes");
        struct congo_cgroup_limits mem = { .memory = 1u << 20 };
        cg = (struct congo_cgroup){ .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &mem, &err), -1);
        char want[256];
        snprintf(want, sizeof want, "opening %s/memory/congo/t-1/memory.limit_in_bytes", root);
        ck_assert_str_eq(err.msg, want);
        congo_cgroup_release(&cg);
}
END_TEST

START_TEST(v2_plan_enables_controllers)
{
        fake_v2("");
        char *p = plan(&congo_cgroup_v2, &ALL);
        char want[4096];
        snprintf(want, sizeof want,
                 "   write %1$s/v2/cgroup.subtree_control = +cpu\n"
                 "   write %1$s/v2/cgroup.subtree_control = +memory\n"
                 "   write %1$s/v2/cgroup.subtree_control = +pids\n"
                 "   mkdir %1$s/v2/congo\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +cpu\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +memory\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +pids\n"
                 "   mkdir %1$s/v2/congo/t-1\n"
                 "   write %1$s/v2/congo/t-1/pids.max = 100\n"
                 "   write %1$s/v2/congo/t-1/memory.max = 67108864\n"
                 "   write %1$s/v2/congo/t-1/memory.swap.max = 0\n"
                 "   write %1$s/v2/congo/t-1/cpu.weight = 39\n"
                 "   write %1$s/v2/congo/t-1/cpu.max = 150000 100000\n", root);
        ck_assert_str_eq(p, want);
        free(p);
        /* Already enabled: no write on later runs. */
        fake_v2("cpu memory pids\n");
        p = plan(&congo_cgroup_v2, &(struct congo_cgroup_limits){ .pids = 7 });
        snprintf(want, sizeof want, "   mkdir %1$s/v2/congo\n   mkdir %1$s/v2/congo/t-1\n"
                                    "   write %1$s/v2/congo/t-1/pids.max = 7\n", root);
        ck_assert_str_eq(p, want);
        free(p);
}
END_TEST

/* Root may write any cgroup, so it takes only one its service manager
 * marked as delegated (systemd's trusted.delegate for Delegate=yes) as
 * its own, and then puts the container beneath it. */
START_TEST(v2_root_takes_only_a_marked_delegation)
{
        if (geteuid() != 0) {
                printf("v2_root_takes_only_a_marked_delegation: needs root (trusted.* xattrs); not run\n");
                return;
        }
        fake_v2("");
        mk("v2/system.slice/congo@web.service/congo");
        put("v2/system.slice/congo@web.service/cgroup.controllers", "cpu memory pids\n");
        put("v2/system.slice/congo@web.service/congo/cgroup.controllers", "cpu memory pids\n");
        put("self", "12::/ignored\n0::/system.slice/congo@web.service\n");
        char self[128], unit[256], *out, want[4096];
        size_t len;
        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = &congo_cgroup_v2, .mountinfo = mountinfo };
        snprintf(self, sizeof self, "%s/self", root);
        snprintf(unit, sizeof unit, "%s/v2/system.slice/congo@web.service", root);

        /* Writable, but not marked, or marked 0: not ours. */
        for (int i = 0; i < 2; i++) {
                if (i == 1)
                        ck_assert_int_eq(setxattr(unit, "trusted.delegate", "0", 1, 0), 0);
                cg.plan = open_memstream(&out, &len);
                ck_assert_int_eq(congo_cgroup_v2_delegate(&cg, self, &err), 0);
                fclose(cg.plan);
                ck_assert_ptr_null(cg.base);
                ck_assert_str_eq(out, "");
                free(out);
        }
        ck_assert_int_eq(setxattr(unit, "trusted.delegate", "1", 1, 0), 0);
        cg.plan = open_memstream(&out, &len);
        ck_assert_int_eq(congo_cgroup_v2_delegate(&cg, self, &err), 1);
        ck_assert_str_eq(cg.base, unit);
        ck_assert_int_eq(cg.driver->create(&cg, "congo/web-1", &(struct congo_cgroup_limits){ .pids = 9 }, &err), 0);
        fclose(cg.plan);
        snprintf(want, sizeof want,
                 "   mkdir %1$s/congo-launcher-%2$d\n"
                 "   write %1$s/congo-launcher-%2$d/cgroup.procs = 0\n"
                 "   write %1$s/cgroup.subtree_control = +cpu\n"
                 "   write %1$s/cgroup.subtree_control = +memory\n"
                 "   write %1$s/cgroup.subtree_control = +pids\n"
                 "   mkdir %1$s/congo\n"
                 "   write %1$s/congo/cgroup.subtree_control = +cpu\n"
                 "   write %1$s/congo/cgroup.subtree_control = +memory\n"
                 "   write %1$s/congo/cgroup.subtree_control = +pids\n"
                 "   mkdir %1$s/congo/web-1\n"
                 "   write %1$s/congo/web-1/pids.max = 9\n", unit, (int)getpid());
        ck_assert_str_eq(out, want);
        free(out);
        congo_cgroup_release(&cg);
}
END_TEST

START_TEST(v2_writes_and_stats)
{
        fake_v2("");
        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = &congo_cgroup_v2, .mountinfo = mountinfo };
        ck_assert_int_eq(congo_cgroup_v2.create(&cg, "congo/t-1", &ALL, &err), 0);
        ck_assert_str_eq(get("v2/congo/t-1/pids.max"), "100");
        ck_assert_str_eq(get("v2/congo/t-1/memory.max"), "67108864");
        ck_assert_str_eq(get("v2/congo/t-1/memory.swap.max"), "0");
        ck_assert_str_eq(get("v2/congo/t-1/cpu.weight"), "39");
        ck_assert_str_eq(get("v2/congo/t-1/cpu.max"), "150000 100000");
        ck_assert_str_eq(get("v2/congo/cgroup.subtree_control"), "+pids");
        put("v2/congo/t-1/cpu.stat", "usage_usec 9000\nuser_usec 7000\nsystem_usec 2000\n");
        put("v2/congo/t-1/memory.peak", "1048576\n");
        put("v2/congo/t-1/pids.peak", "3\n");
        put("v2/congo/t-1/memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
        struct congo_cgroup_stats st = { false, -1, -1, -1, -1 };
        congo_cgroup_v2.stats(&cg, false, &st);
        ck_assert(st.oom_killed);
        ck_assert_int_eq(st.cpu_user_us, -1);
        ck_assert_int_eq(st.pids_peak, -1);
        congo_cgroup_v2.stats(&cg, true, &st);
        ck_assert(st.oom_killed);
        ck_assert_int_eq(st.cpu_user_us, 7000);
        ck_assert_int_eq(st.cpu_sys_us, 2000);
        ck_assert_int_eq(st.memory_peak, 1048576);
        ck_assert_int_eq(st.pids_peak, 3);
        congo_cgroup_release(&cg);
}
END_TEST

START_TEST(gc_removes_only_stale_empty)
{
        char mi[512], dead[64], alive[64], busy[64];
        snprintf(mi, sizeof mi, "40 25 0:40 / %s/v2 rw - cgroup2 cgroup2 rw\n", root);
        put("mountinfo", mi);
        pid_t child = fork();
        if (child == 0)
                _exit(0);
        waitpid(child, NULL, 0);   /* its pid is now free */
        snprintf(dead, sizeof dead, "v2/congo/x-%d", (int)child);
        snprintf(alive, sizeof alive, "v2/congo/y-%d", (int)getpid());
        snprintf(busy, sizeof busy, "v2/congo/z-%d", (int)child);
        mk(dead);
        mk(alive);
        mk(busy);
        char procs[128];
        snprintf(procs, sizeof procs, "%s/cgroup.procs", busy);
        put(procs, "12345\n");
        struct congo_cgroup cg = { .driver = &congo_cgroup_v2, .mountinfo = mountinfo };
        int removed = -1;
        ck_assert_int_eq(congo_cgroup_v2.gc(&cg, "congo", &removed), 0);
        congo_cgroup_release(&cg);
        ck_assert_int_eq(removed, 1);
        ck_assert_ptr_null(get(dead) ? "exists" : NULL);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, alive);
        ck_assert_int_eq(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/%s", root, busy);
        ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

/* The null driver: the stage calls it as any other, and nothing happens. */
START_TEST(none_driver_does_nothing)
{
        struct congo_cgroup cg = { .driver = &congo_cgroup_none, .mountinfo = "/nonexistent" };
        struct congo_cgroup_limits limits = { .pids = 10, .memory = 1 << 20 };
        struct congo_cgroup_stats st = { false, -1, -1, -1, -1 };
        struct congo_error err = { 0 };
        int removed = -1;
        ck_assert_int_eq(cg.driver->create(&cg, "congo/x-1", &limits, &err), 0);
        ck_assert_int_eq((int)cg.n_dirs, 0);
        ck_assert(!cg.created);
        ck_assert_int_eq(cg.driver->attach(&cg, getpid(), &err), 0);
        cg.driver->stats(&cg, true, &st);
        ck_assert_int_eq(st.cpu_user_us, -1);
        ck_assert_int_eq(cg.driver->destroy(&cg, &err), 0);
        ck_assert_int_eq(cg.driver->gc(&cg, "congo", &removed), 0);
        ck_assert_int_eq(removed, 0);
        ck_assert(!cg.driver->born_inside);
        ck_assert(congo_cgroup_v2.born_inside && !congo_cgroup_v1.born_inside);
        ck_assert_str_eq(err.msg, "");
}
END_TEST

static const struct congo_cgroup_device RULES[] = {
        { .type = 'c', .major = 1, .minor = 3 }, { .type = 'c', .major = 136, .minor = -1 },
        { .type = 'b', .major = 7, .minor = 0 },
};

/* create, then allow_devices; their plan, or NULL (and *msg) on error. */
static char *plan_devices(const struct congo_cgroup_driver *drv, const struct congo_cgroup_limits *l,
                          const char **msg)
{
        static struct congo_error err;
        char *out;
        size_t len;
        struct congo_cgroup cg = { .driver = drv, .mountinfo = mountinfo };
        cg.plan = open_memstream(&out, &len);
        err = (struct congo_error){ 0 };
        int rc = drv->create(&cg, "congo/t-1", l, &err);
        if (rc == 0)
                rc = drv->allow_devices(&cg, RULES, 3, &err);
        fclose(cg.plan);
        congo_cgroup_release(&cg);
        *msg = err.msg;
        if (rc == 0)
                return out;
        free(out);
        return NULL;
}

/* v1: everything denied, then exactly the list allowed, in the devices
 * hierarchy; without one, an error rather than a container with no
 * allowlist; a refused write is an error too. */
START_TEST(v1_devices_deny_then_allow)
{
        char mi[512], want[2048];
        struct congo_error err = { 0 };
        const struct congo_cgroup_limits l = { 0 };
        const char *msg;
        snprintf(mi, sizeof mi, "36 25 0:33 / %s/devices rw - cgroup cgroup rw,devices\n", root);
        put("mountinfo", mi);
        mk("devices/congo/t-1");
        char *p = plan_devices(&congo_cgroup_v1, &l, &msg);
        ck_assert_ptr_nonnull(p);
        snprintf(want, sizeof want, "   mkdir %1$s/devices/congo/t-1\n"
                 "   write %1$s/devices/congo/t-1/devices.deny = a\n"
                 "   write %1$s/devices/congo/t-1/devices.allow = c 1:3 rwm\n"
                 "   write %1$s/devices/congo/t-1/devices.allow = c 136:* rwm\n"
                 "   write %1$s/devices/congo/t-1/devices.allow = b 7:0 rwm\n", root);
        ck_assert_str_eq(p, want);
        free(p);
        /* One open file, one write per rule (a fake file: concatenated). */
        put("devices/congo/t-1/devices.deny", "");
        put("devices/congo/t-1/devices.allow", "");
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &l, &err), 0);
        ck_assert_int_eq(congo_cgroup_v1.allow_devices(&cg, RULES, 3, &err), 0);
        ck_assert_str_eq(get("devices/congo/t-1/devices.deny"), "a");
        ck_assert_str_eq(get("devices/congo/t-1/devices.allow"), "c 1:3 rwmc 136:* rwmb 7:0 rwm");
        congo_cgroup_release(&cg);
        /* A file the kernel refuses (here: a directory) is an error. */
        unlink(strcat(strcpy(want, root), "/devices/congo/t-1/devices.allow"));
        mk("devices/congo/t-1/devices.allow");
        cg = (struct congo_cgroup){ .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &l, &err), 0);
        ck_assert_int_eq(congo_cgroup_v1.allow_devices(&cg, RULES, 3, &err), -1);
        ck_assert_ptr_nonnull(strstr(err.msg, "devices.allow"));
        congo_cgroup_release(&cg);

        snprintf(mi, sizeof mi, "30 25 0:26 / %s/pids rw - cgroup cgroup rw,pids\n", root);
        put("mountinfo", mi);
        mk("pids/congo/t-1");
        ck_assert_ptr_null(plan_devices(&congo_cgroup_v1, &l, &msg));
        ck_assert_str_eq(msg, "no devices hierarchy is mounted (cgroup v1): the device allowlist cannot be enforced");
}
END_TEST

/* v1: rules in order, each to its file: a deny after allows opens the
 * file of its own; type a with less than rwm is c and b lines. */
START_TEST(v1_device_rules_in_order)
{
        char mi[512], want[2048];
        struct congo_error err = { 0 };
        const struct congo_cgroup_limits l = { 0 };
        static const struct congo_cgroup_device rules[] = {
                { .type = 'a', .major = -1, .minor = -1, .access = 1 },
                { .type = 'c', .major = 10, .minor = 200, .access = 6 },
                { .type = 'c', .major = 10, .minor = 200, .access = 4, .deny = true },
                { .type = 'a', .major = -1, .minor = -1, .deny = true },
                { .type = 'c', .major = 1, .minor = 3 },
        };
        snprintf(mi, sizeof mi, "36 25 0:33 / %s/devices rw - cgroup cgroup rw,devices\n", root);
        put("mountinfo", mi);
        mk("devices/congo/t-1");
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        char *out;
        size_t len;
        cg.plan = open_memstream(&out, &len);
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &l, &err), 0);
        ck_assert_int_eq(congo_cgroup_v1.allow_devices(&cg, rules, 5, &err), 0);
        fclose(cg.plan);
        congo_cgroup_release(&cg);
        snprintf(want, sizeof want, "   mkdir %1$s/devices/congo/t-1\n"
                 "   write %1$s/devices/congo/t-1/devices.deny = a\n"
                 "   write %1$s/devices/congo/t-1/devices.allow = c *:* m\n"
                 "   write %1$s/devices/congo/t-1/devices.allow = b *:* m\n"
                 "   write %1$s/devices/congo/t-1/devices.allow = c 10:200 rw\n"
                 "   write %1$s/devices/congo/t-1/devices.deny = c 10:200 w\n"
                 "   write %1$s/devices/congo/t-1/devices.deny = a\n"
                 "   write %1$s/devices/congo/t-1/devices.allow = c 1:3 rwm\n", root);
        ck_assert_str_eq(out, want);
        free(out);
}
END_TEST

/* The program run by a small interpreter of the instructions it uses:
 * what the kernel would answer for an access. */
static int run_prog(const struct bpf_insn *p, size_t n, int type, uint32_t major, uint32_t minor,
                    int access)
{
        uint64_t r[11] = { 0 };
        struct bpf_cgroup_dev_ctx ctx = { .access_type = (uint32_t)(access << 16 | type),
                                          .major = major, .minor = minor };
        for (size_t pc = 0; pc < n; pc++) {
                const struct bpf_insn *i = &p[pc];
                switch (i->code) {
                case BPF_LDX | BPF_MEM | BPF_W:
                        ck_assert_int_eq(i->src_reg, BPF_REG_1);
                        r[i->dst_reg] = *(uint32_t *)((char *)&ctx + i->off);
                        break;
                case BPF_ALU | BPF_MOV | BPF_X: r[i->dst_reg] = (uint32_t)r[i->src_reg]; break;
                case BPF_ALU | BPF_RSH | BPF_K: r[i->dst_reg] = (uint32_t)r[i->dst_reg] >> i->imm; break;
                case BPF_ALU | BPF_AND | BPF_K: r[i->dst_reg] = (uint32_t)(r[i->dst_reg] & (uint32_t)i->imm); break;
                case BPF_ALU64 | BPF_MOV | BPF_K: r[i->dst_reg] = (uint64_t)(int64_t)i->imm; break;
                case BPF_JMP | BPF_JNE | BPF_K: if (r[i->dst_reg] != (uint64_t)(int64_t)i->imm) pc += i->off; break;
                case BPF_JMP | BPF_JEQ | BPF_K: if (r[i->dst_reg] == (uint64_t)(int64_t)i->imm) pc += i->off; break;
                case BPF_JMP | BPF_EXIT: return (int)r[0];
                default: ck_abort_msg("instruction %zu: code %#x", pc, i->code);
                }
        }
        ck_abort_msg("ran off the end");
        return -1;
}

/* v2: the program is attached to the cgroup made; its shape: the loads,
 * a block per rule, last rule first, then return 0. */
START_TEST(v2_devices_program)
{
        char want[1024];
        fake_v2("cpu memory pids\n");
        struct congo_cgroup_limits l = { .pids = 7 };
        const char *msg;
        char *p = plan_devices(&congo_cgroup_v2, &l, &msg);
        ck_assert_ptr_nonnull(p);
        snprintf(want, sizeof want, "   mkdir %1$s/v2/congo\n   mkdir %1$s/v2/congo/t-1\n"
                 "   write %1$s/v2/congo/t-1/pids.max = 7\n"
                 "   attach a device program (3 rules, 28 instructions) to %1$s/v2/congo/t-1\n", root);
        ck_assert_str_eq(p, want);
        free(p);

        struct bpf_insn insns[64];
        ck_assert_uint_eq(congo_devices_bpf_assemble(RULES, 3, insns, 28), 28);
        ck_assert_uint_eq(congo_devices_bpf_assemble(RULES, 3, insns, 27), 0);
        /* The last rule first, b 7:0: each test jumps past the rest of its block. */
        ck_assert_int_eq(insns[6].code, BPF_JMP | BPF_JNE | BPF_K);
        ck_assert_int_eq(insns[6].imm, BPF_DEVCG_DEV_BLOCK);
        ck_assert_int_eq(insns[6].off, 6);
        ck_assert_int_eq(insns[7].imm, 7);
        ck_assert_int_eq(insns[7].off, 5);
        ck_assert_int_eq(insns[8].imm, 0);
        ck_assert_int_eq(insns[8].off, 4);
        ck_assert_int_eq(insns[12].code, BPF_JMP | BPF_EXIT);
        /* c 136:*: no minor test. */
        ck_assert_int_eq(insns[13].imm, BPF_DEVCG_DEV_CHAR);
        ck_assert_int_eq(insns[13].off, 5);
        ck_assert_int_eq(insns[14].imm, 136);
        ck_assert_int_eq(insns[15].code, BPF_ALU | BPF_AND | BPF_K);
        /* The default: deny. */
        ck_assert_int_eq(insns[26].imm, 0);
        ck_assert_int_eq(insns[27].code, BPF_JMP | BPF_EXIT);
}
END_TEST

/* What the program answers, as v1 would: the last rule that names an
 * access bit of a device decides it; nothing named, denied. */
START_TEST(v2_devices_program_semantics)
{
        enum { M = 1, R = 2, W = 4, C = BPF_DEVCG_DEV_CHAR, B = BPF_DEVCG_DEV_BLOCK };
        static const struct congo_cgroup_device rules[] = {
                { .type = 'a', .major = -1, .minor = -1, .deny = true },
                { .type = 'c', .major = -1, .minor = -1, .access = M },
                { .type = 'b', .major = -1, .minor = -1, .access = M },
                { .type = 'c', .major = 10, .minor = 200, .access = R | W },
                { .type = 'c', .major = 10, .minor = 200, .access = W, .deny = true },
                { .type = 'c', .major = 4, .minor = -1 },
                { .type = 'c', .major = 4, .minor = 7, .deny = true },
                { .type = 'c', .major = 1, .minor = 3 },
        };
        struct bpf_insn insns[128];
        size_t n = congo_devices_bpf_assemble(rules, 8, insns, 128);
        ck_assert_uint_gt(n, 0);
        ck_assert_int_eq(run_prog(insns, n, C, 1, 3, R | W | M), 1);
        ck_assert_int_eq(run_prog(insns, n, C, 1, 11, M), 1);       /* mknod: any */
        ck_assert_int_eq(run_prog(insns, n, C, 1, 11, R), 0);
        ck_assert_int_eq(run_prog(insns, n, B, 8, 0, M), 1);
        ck_assert_int_eq(run_prog(insns, n, B, 8, 0, R | W), 0);
        ck_assert_int_eq(run_prog(insns, n, C, 10, 200, R), 1);
        ck_assert_int_eq(run_prog(insns, n, C, 10, 200, W), 0);     /* a later deny */
        ck_assert_int_eq(run_prog(insns, n, C, 10, 200, R | W), 0);
        ck_assert_int_eq(run_prog(insns, n, C, 10, 200, R | M), 1);  /* bits from two rules */
        ck_assert_int_eq(run_prog(insns, n, C, 4, 1, R | W), 1);
        ck_assert_int_eq(run_prog(insns, n, C, 4, 7, R), 0);
        ck_assert_int_eq(run_prog(insns, n, B, 4, 1, R), 0);         /* type counts */
        /* Allow every device, then deny one: all but it. */
        static const struct congo_cgroup_device all[] = {
                { .type = 'a', .major = -1, .minor = -1 },
                { .type = 'b', .major = 8, .minor = -1, .access = R | W, .deny = true },
        };
        n = congo_devices_bpf_assemble(all, 2, insns, 128);
        ck_assert_int_eq(run_prog(insns, n, B, 7, 0, R | W), 1);
        ck_assert_int_eq(run_prog(insns, n, B, 8, 1, R), 0);
        ck_assert_int_eq(run_prog(insns, n, B, 8, 1, M), 1);
        /* No rule: nothing. */
        n = congo_devices_bpf_assemble(NULL, 0, insns, 128);
        ck_assert_uint_eq(n, 8);
        ck_assert_int_eq(run_prog(insns, n, C, 1, 3, R), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("cgroup");
        TCase *tc = tcase_create("fake trees");
        tcase_add_checked_fixture(tc, fake_cgroup_setup, fake_cgroup_teardown);
        tcase_add_test(tc, probe_layouts);
        tcase_add_test(tc, shares_to_weight);
        tcase_add_test(tc, v1_plan_is_exact);
        tcase_add_test(tc, v1_no_freezer_with_a_pid_namespace);
        tcase_add_test(tc, v1_writes_and_attach);
        tcase_add_test(tc, v1_missing_hierarchy_and_rejected_write);
        tcase_add_test(tc, v2_plan_enables_controllers);
        tcase_add_test(tc, v2_writes_and_stats);
        tcase_add_test(tc, v2_root_takes_only_a_marked_delegation);
        tcase_add_test(tc, gc_removes_only_stale_empty);
        tcase_add_test(tc, none_driver_does_nothing);
        tcase_add_test(tc, v1_devices_deny_then_allow);
        tcase_add_test(tc, v2_devices_program);
        tcase_add_test(tc, v1_device_rules_in_order);
        tcase_add_test(tc, v2_devices_program_semantics);
        suite_add_tcase(s, tc);
        return run_suite(s);
}
