/* cgroup_resources.c - (root) the resource keys on real containers: the
 * cgroup files under the congo subtree hold the spec's values while the
 * container runs (v1 on a v1 or hybrid host, v2 on a pure v2 one), the
 * container sees its cpuset from inside, what a host cannot do is refused
 * by name with status 125, and nothing is left in cgroupfs afterwards. */
#define _GNU_SOURCE
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

#define SH(cmd) "command: [\"/bin/sh\", \"-c\", " cmd "]\n"

static bool v1_host(void)
{
        return access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) == 0;
}

/* A running container: its launcher's pid and the pipe of its stdout. */
struct running {
        pid_t pid;
        int fd;
};

static struct running start(const char *name, const char *body)
{
        const char *args[] = { harness_spec(name, body), NULL };
        struct running r;

        r.pid = harness_start(args, &r.fd);
        ck_assert_msg(harness_wait_for(r.fd, "ready", 5000), "%s did not start", name);
        return r;
}

static void stop(struct running *r, const char *prefix)
{
        harness_kill(r->pid, r->fd);   /* the launcher goes, and takes the container along */
        ck_assert_int_eq(harness_gc(prefix), 0);
}

/* The file of our cgroup: /sys/fs/cgroup/CTL/congo/NAME-PID/FILE (v1), or
 * /sys/fs/cgroup/congo/NAME-PID/FILE (v2, ctl ""). */
static char *cg_file(const char *ctl, const char *name, pid_t pid, const char *file)
{
        char path[512];

        snprintf(path, sizeof path, "/sys/fs/cgroup/%s%scongo/%s-%d/%s", ctl, ctl[0] ? "/" : "",
                 name, (int)pid, file);
        return read_file(path);
}

static void expect_file(const char *ctl, const char *name, pid_t pid, const char *file,
                        const char *want)
{
        char *v = cg_file(ctl, name, pid, file);
        ck_assert_msg(v != NULL, "%s/%s: missing", ctl, file);
        ck_assert_msg(strcmp(v, want) == 0, "%s/%s: \"%s\", want \"%s\"", ctl, file, v, want);
        free(v);
}

START_TEST(memory_keys_in_the_cgroup)
{
        struct running r = start("res-mem", "limits: {memory: 64M, memory_reservation: 32M, memory_swap: 96M,"
                                 " memory_swappiness: 10, disable_oom_killer: true}\n"
                                 SH("\"echo ready; exec sleep 1000\""));
        if (v1_host()) {
                expect_file("memory", "res-mem", r.pid, "memory.limit_in_bytes", "67108864\n");
                expect_file("memory", "res-mem", r.pid, "memory.soft_limit_in_bytes", "33554432\n");
                char *sw = cg_file("memory", "res-mem", r.pid, "memory.memsw.limit_in_bytes");
                if (sw)
                        ck_assert_str_eq(sw, "100663296\n");
                else
                        printf("memory_keys_in_the_cgroup: no memory.memsw.limit_in_bytes (no swap accounting)\n");
                free(sw);
                expect_file("memory", "res-mem", r.pid, "memory.swappiness", "10\n");
                char *oom = cg_file("memory", "res-mem", r.pid, "memory.oom_control");
                ck_assert_msg(oom && strstr(oom, "oom_kill_disable 1\n"), "%s", oom);
                free(oom);
        } else {
                expect_file("", "res-mem", r.pid, "memory.max", "67108864\n");
                expect_file("", "res-mem", r.pid, "memory.low", "33554432\n");
                /* OCI's swap counts memory too: 96M - 64M of swap. */
                char *sw = cg_file("", "res-mem", r.pid, "memory.swap.max");
                if (sw)
                        ck_assert_str_eq(sw, "33554432\n");
                else
                        printf("memory_keys_in_the_cgroup: no memory.swap.max (no swap accounting)\n");
                free(sw);
        }
        stop(&r, "res-mem-");
}
END_TEST

/* On v2, swappiness is ignored (said at -v) and the OOM killer stays (a
 * warning): the container runs. */
START_TEST(v1_only_memory_keys_on_v2_are_said)
{
        if (v1_host()) {
                printf("v1_only_memory_keys_on_v2_are_said: a v1 host applies them (memory_keys_in_the_cgroup)\n");
                return;
        }
        const char *spec = harness_spec("res-v2mem", "limits: {memory: 64M, memory_swappiness: 5, disable_oom_killer: true}\n"
                                        SH("\"echo ran\""));
        const char *args[] = { "-v", spec, NULL };
        struct outcome o = harness_run(args);
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "ran\n");
        ck_assert_msg(strstr(o.err, "limits.memory_swappiness: cgroup v2 has none; ignored"), "%s", o.err);
        ck_assert_msg(strstr(o.err, "limits.disable_oom_killer: cgroup v2 cannot disable the OOM killer; it stays on"),
                      "%s", o.err);
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("res-v2mem-"), 0);
}
END_TEST

START_TEST(cpu_quota_period_and_cpuset)
{
        struct running r = start("res-cpu", "limits: {cpus: 0.5, cpu_period: 20000, cpuset_cpus: \"0\", cpuset_mems: \"0\"}\n"
                                 SH("\"echo ready; exec sleep 1000\""));
        if (v1_host()) {
                expect_file("cpu", "res-cpu", r.pid, "cpu.cfs_period_us", "20000\n");
                expect_file("cpu", "res-cpu", r.pid, "cpu.cfs_quota_us", "10000\n");
                expect_file("cpuset", "res-cpu", r.pid, "cpuset.cpus", "0\n");
                expect_file("cpuset", "res-cpu", r.pid, "cpuset.mems", "0\n");
        } else {
                expect_file("", "res-cpu", r.pid, "cpu.max", "10000 20000\n");
                expect_file("", "res-cpu", r.pid, "cpuset.cpus", "0\n");
                expect_file("", "res-cpu", r.pid, "cpuset.mems", "0\n");
        }
        stop(&r, "res-cpu-");
        /* Inside: the CPUs and nodes the kernel lets it use. */
        struct outcome o = harness_run_spec("res-cpu-in", "limits: {cpuset_cpus: \"0\"}\n"
                                            SH("\"grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status; nproc\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_msg(strstr(o.out, "Cpus_allowed_list:\t0\n"), "%s", o.out);
        ck_assert_msg(strstr(o.out, "Mems_allowed_list:\t0\n"), "%s", o.out);
        ck_assert_msg(strstr(o.out, "\n1\n"), "nproc: %s", o.out);
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("res-cpu"), 0);
}
END_TEST

/* A file the kernel lacks: refused by name (125), nothing left behind. */
static void expect_refused(const char *name, const char *limits, const char *message)
{
        char body[512], prefix[64];

        snprintf(body, sizeof body, "limits: %s\n" SH("\"echo ran\""), limits);
        struct outcome o = harness_run_spec(name, body);
        ck_assert_msg(o.status == 125, "%s: status %d (%s)", name, o.status, o.err);
        ck_assert_msg(strstr(o.err, message), "%s: want \"%s\", got %s", name, message, o.err);
        ck_assert_int_eq(count_lines(o.err, "congo-launch:"), 1);
        ck_assert_ptr_null(strstr(o.out, "ran"));
        outcome_free(&o);
        snprintf(prefix, sizeof prefix, "%s-", name);
        ck_assert_int_eq(congo_cgroups_left(prefix), 0);
}

START_TEST(blkio_weight)
{
        /* Which weight file a cgroup has depends on the kernel's I/O
         * schedulers: a kernel with none refuses the key by name. */
        struct outcome o = harness_run_spec("res-io-probe", "limits: {blkio_weight: 300}\n" SH("\"echo ran\""));
        if (o.status == 125 && strstr(o.err, "no I/O scheduler with weights")) {
                printf("blkio_weight: this kernel has no weight file (%s): the refusal only\n", o.err);
                outcome_free(&o);
                ck_assert_int_eq(congo_cgroups_left("res-io-probe-"), 0);
                return;
        }
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        outcome_free(&o);
        struct running r = start("res-io", "limits: {blkio_weight: 300}\n" SH("\"echo ready; exec sleep 1000\""));
        const char *ctl = v1_host() ? "blkio" : "";
        const char *bfq_file = v1_host() ? "blkio.bfq.weight" : "io.bfq.weight";
        char *bfq = cg_file(ctl, "res-io", r.pid, bfq_file);
        if (bfq != NULL)        /* v1 prints the weight, v2 "default N" */
                expect_file(ctl, "res-io", r.pid, bfq_file, v1_host() ? "300\n" : "default 300\n");
        else if (v1_host())
                expect_file("blkio", "res-io", r.pid, "blkio.weight", "300\n");
        else    /* 1 + (300 - 10) * 9999 / 990 */
                expect_file("", "res-io", r.pid, "io.weight", "default 2930\n");
        free(bfq);
        stop(&r, "res-io-");
}
END_TEST

START_TEST(hugepage_limits)
{
        if (access("/sys/kernel/mm/hugepages/hugepages-2048kB", F_OK) != 0) {
                printf("hugepage_limits: this kernel has no 2MB huge pages: the refusal only\n");
                expect_refused("res-huge", "{hugepages: {2MB: 4M}}", "hugetlb");
                return;
        }
        /* A hybrid host whose hugetlb is in no v1 hierarchy: in the
         * unified one, if it has it there. */
        char *unified = read_file("/sys/fs/cgroup/unified/cgroup.controllers");
        bool in_unified = unified && strstr(unified, "hugetlb");
        free(unified);
        if (v1_host() && access("/sys/fs/cgroup/hugetlb", F_OK) != 0 && !in_unified) {
                expect_refused("res-huge", "{hugepages: {2MB: 4M}}",
                               "no hugetlb hierarchy is mounted (cgroup v1), nor is hugetlb in a cgroup2 mount");
                return;
        }
        struct running r = start("res-huge", "limits: {hugepages: {2MB: 4M}}\n" SH("\"echo ready; exec sleep 1000\""));
        if (v1_host() && access("/sys/fs/cgroup/hugetlb", F_OK) == 0) {
                expect_file("hugetlb", "res-huge", r.pid, "hugetlb.2MB.limit_in_bytes", "4194304\n");
        } else if (v1_host()) {
                printf("hugepage_limits: hybrid, hugetlb in no v1 hierarchy: the limit is in the unified one\n");
                expect_file("unified", "res-huge", r.pid, "hugetlb.2MB.max", "4194304\n");
                /* The container is in it: its own cgroup there, as seen from outside. */
                char path[128];
                pid_t child = harness_first_child(r.pid);
                ck_assert_msg(child > 0, "no container process");
                snprintf(path, sizeof path, "/proc/%d/cgroup", (int)child);
                char *cgs = read_file(path), want[64];
                snprintf(want, sizeof want, "0::/congo/res-huge-%d\n", (int)r.pid);
                ck_assert_msg(cgs && strstr(cgs, want), "%s: %s", path, cgs);
                free(cgs);
        } else {
                expect_file("", "res-huge", r.pid, "hugetlb.2MB.max", "4194304\n");
        }
        stop(&r, "res-huge-");
        expect_refused("res-huge-odd", "{hugepages: {32GB: 0}}", "this host has no huge pages of that size");
}
END_TEST

/* v1: the parent must have realtime budget to hand out; v2 has none. */
START_TEST(realtime)
{
        if (!v1_host()) {
                expect_refused("res-rt", "{cpu_rt_runtime: 1000}",
                               "limits.cpu_rt_runtime: realtime CPU bandwidth is cgroup v1 only (cpu.rt_runtime_us); this host's cgroups are v2");
                return;
        }
        if (access("/sys/fs/cgroup/cpu/cpu.rt_runtime_us", F_OK) != 0) {
                expect_refused("res-rt", "{cpu_rt_runtime: 1000}", "CONFIG_RT_GROUP_SCHED");
                return;
        }
        /* Our own parent, given a budget, then put back as it was. */
        const char *parent = "/sys/fs/cgroup/cpu/congo/res-rt-parent";
        char body[256], cmd[512];
        struct outcome o = harness_run_spec("res-rt", "cgroup_parent: congo/res-rt-parent\nlimits: {cpu_rt_runtime: 1000}\n"
                                            SH("\"echo ran\""));
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "(the parent cgroup's cpu.rt_runtime_us must leave room for it): Invalid argument"),
                      "%s", o.err);
        outcome_free(&o);
        char *was = read_file("/sys/fs/cgroup/cpu/congo/cpu.rt_runtime_us");
        ck_assert_ptr_nonnull(was);
        snprintf(cmd, sizeof cmd, "echo 20000 > /sys/fs/cgroup/cpu/congo/cpu.rt_runtime_us && "
                                  "echo 10000 > %s/cpu.rt_runtime_us", parent);
        ck_assert_int_eq(system(cmd), 0);
        snprintf(body, sizeof body, "cgroup_parent: congo/res-rt-parent\nlimits: {cpu_rt_runtime: 5000, cpu_rt_period: 500000}\n"
                 SH("\"echo ready; exec sleep 1000\""));
        const char *args[] = { harness_spec("res-rt", body), NULL };
        struct running r;
        r.pid = harness_start(args, &r.fd);
        bool ready = harness_wait_for(r.fd, "ready", 5000);
        char path[256];
        snprintf(path, sizeof path, "%s/res-rt-%d/cpu.rt_runtime_us", parent, (int)r.pid);
        char *rt = read_file(path);
        snprintf(path, sizeof path, "%s/res-rt-%d/cpu.rt_period_us", parent, (int)r.pid);
        char *period = read_file(path);
        int ws;
        /* SIGTERM: the launcher ends the container and removes its cgroup. */
        kill(r.pid, SIGTERM);
        waitpid(r.pid, &ws, 0);
        close(r.fd);
        /* Put the host back before asserting anything: the parent was made
         * in every hierarchy. */
        snprintf(cmd, sizeof cmd, "rmdir /sys/fs/cgroup/*/congo/res-rt-parent");
        int removed = system(cmd);
        /* A removed group gives its budget back once the kernel has torn
         * it down, a moment later: until then lowering the parent fails. */
        snprintf(cmd, sizeof cmd, "echo %d > /sys/fs/cgroup/cpu/congo/cpu.rt_runtime_us 2>/dev/null", atoi(was));
        int restored = -1;
        for (int i = 0; i < 200 && restored != 0; i++) {
                if ((restored = system(cmd)) != 0)
                        usleep(10000);
        }
        ck_assert_int_eq(removed, 0);
        ck_assert_int_eq(restored, 0);
        free(was);
        ck_assert(ready);
        ck_assert_str_eq(rt, "5000\n");
        ck_assert_str_eq(period, "500000\n");
        free(rt);
        free(period);
        ck_assert_int_eq(access(parent, F_OK), -1);
}
END_TEST

START_TEST(unified_map)
{
        if (v1_host()) {
                expect_refused("res-uni", "{unified: {memory.high: 64M}}",
                               "limits.unified: memory.high is a cgroup v2 file, and this host's cgroups are v1");
                return;
        }
        /* Written last: it overrides pids: 50. */
        struct running r = start("res-uni", "limits: {pids: 50, unified: {memory.high: 64M, pids.max: \"40\"}}\n"
                                 SH("\"echo ready; exec sleep 1000\""));
        expect_file("", "res-uni", r.pid, "memory.high", "67108864\n");
        expect_file("", "res-uni", r.pid, "pids.max", "40\n");
        stop(&r, "res-uni-");
        expect_refused("res-uni-bad", "{unified: {memory.nonsense: 1}}",
                       "memory.nonsense is missing: no such file in the container's cgroup (limits.unified)");
}
END_TEST

/* The same keys from an OCI bundle's linux.resources. */
START_TEST(oci_bundle_resources)
{
        char dir[512], path[600];
        snprintf(dir, sizeof dir, "%s/res-oci", harness_tmp());
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        snprintf(path, sizeof path, "%s/config.json", dir);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "{\"ociVersion\": \"1.1.0\", \"root\": {\"path\": \"%s\"},"
                " \"process\": {\"terminal\": false, \"cwd\": \"/\", \"env\": [\"PATH=/bin:/usr/bin\"],"
                " \"args\": [\"/bin/sh\", \"-c\", \"grep Cpus_allowed_list /proc/self/status; echo ready; exec sleep 1000\"]},"
                " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"}, {\"type\": \"uts\"}],"
                " \"resources\": {\"memory\": {\"limit\": 67108864, \"reservation\": 33554432},"
                " \"cpu\": {\"quota\": 25000, \"period\": 50000, \"cpus\": \"0\"}}}}\n",
                harness_rootfs());
        fclose(f);
        const char *args[] = { dir, NULL };
        struct running r;
        r.pid = harness_start(args, &r.fd);
        ck_assert_msg(harness_wait_for(r.fd, "ready", 5000), "the bundle did not start");
        if (v1_host()) {
                expect_file("memory", "res-oci", r.pid, "memory.soft_limit_in_bytes", "33554432\n");
                expect_file("cpu", "res-oci", r.pid, "cpu.cfs_period_us", "50000\n");
                expect_file("cpu", "res-oci", r.pid, "cpu.cfs_quota_us", "25000\n");
                expect_file("cpuset", "res-oci", r.pid, "cpuset.cpus", "0\n");
        } else {
                expect_file("", "res-oci", r.pid, "memory.low", "33554432\n");
                expect_file("", "res-oci", r.pid, "cpu.max", "25000 50000\n");
                expect_file("", "res-oci", r.pid, "cpuset.cpus", "0\n");
        }
        stop(&r, "res-oci-");
}
END_TEST

START_TEST(nothing_left_behind)
{
        ck_assert_int_eq(congo_cgroups_left("res-"), 0);
}
END_TEST

int main(void)
{
        harness_setup("cgroup_resources");
        Suite *s = suite_create("cgroup_resources");
        TCase *tc = tcase_create("resources");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, memory_keys_in_the_cgroup);
        tcase_add_test(tc, v1_only_memory_keys_on_v2_are_said);
        tcase_add_test(tc, cpu_quota_period_and_cpuset);
        tcase_add_test(tc, blkio_weight);
        tcase_add_test(tc, hugepage_limits);
        tcase_add_test(tc, realtime);
        tcase_add_test(tc, unified_map);
        tcase_add_test(tc, oci_bundle_resources);
        tcase_add_test(tc, nothing_left_behind);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
