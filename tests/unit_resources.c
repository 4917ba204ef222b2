/* unit_resources.c - the cgroup resources beyond pids, memory and CPU
 * shares (limits.memory_*, cpu_quota/period, cpusets, realtime, huge
 * pages, blkio_weight, unified): every key's value and refusal in the
 * spec model (YAML, INI, --set, print round trip), and the exact files
 * and values both cgroup drivers write for them on fake v1 and v2 trees,
 * with the v1<->v2 conversions and the refusals of each. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "congo/cgroup.h"
#include "congo/parse.h"
#include "congo/spec.h"
#include "congo/util.h"
#include "fake_cgroup.h"
#include "run_suite.h"
#include "unit_helpers.h"

#define BASE "version: 1\nrootfs: /\ncommand: [/bin/true]\n"

/* ---- the spec model ----------------------------------------------------- */

/* The shared helpers (unit_helpers.h); every bad spec here is w.yaml. */
#define load(s, file, text, errors) unit_load(s, file, text, errors)
#define printed(file, text) unit_printed(file, text)
#define expect_error(text, message) unit_expect_error("w.yaml", text, message)

static const char *EVERY =
        BASE "limits:\n  memory: 512M\n  memory_reservation: 256M\n  memory_swap: 1G\n"
        "  memory_swappiness: 10\n  disable_oom_killer: true\n  cpus: 1.5\n  cpu_period: 50000\n"
        "  cpuset_cpus: \"0-1,3\"\n  cpuset_mems: \"0\"\n  cpu_rt_runtime: 10000\n  cpu_rt_period: 100000\n"
        "  blkio_weight: 500\n  hugepages: {2MB: 64M, 1G: 0}\n"
        "  unified: {memory.high: 400M, io.max: \"8:0 rbps=1000\"}\n";

START_TEST(every_key)
{
        struct congo_spec s;
        char *errors;

        ck_assert_int_eq(load(&s, "w.yaml", EVERY, &errors), 0);
        free(errors);
        ck_assert_uint_eq(s.limits.memory_reservation, 256u << 20);
        ck_assert_uint_eq(s.limits.memory_swap, 1u << 30);
        ck_assert_int_eq(s.limits.memory_swappiness, 10);
        ck_assert(s.limits.disable_oom_killer);
        /* cpus is per 100 ms: 1.5 CPUs over a 50 ms period is 75 ms. */
        ck_assert_uint_eq(s.limits.cpu_period_us, 50000);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 75000);
        ck_assert_str_eq(s.limits.cpuset_cpus, "0-1,3");
        ck_assert_str_eq(s.limits.cpuset_mems, "0");
        ck_assert(s.limits.cpu_rt_set);
        ck_assert_uint_eq(s.limits.cpu_rt_runtime_us, 10000);
        ck_assert_uint_eq(s.limits.cpu_rt_period_us, 100000);
        ck_assert_uint_eq(s.limits.blkio_weight, 500);
        ck_assert_uint_eq(s.limits.n_hugepages, 2);
        ck_assert_uint_eq(s.limits.hugepages[0].page_size, 2u << 20);
        ck_assert_uint_eq(s.limits.hugepages[0].limit, 64u << 20);
        ck_assert_uint_eq(s.limits.hugepages[1].page_size, 1u << 30);
        ck_assert_uint_eq(s.limits.hugepages[1].limit, 0);
        ck_assert_uint_eq(s.limits.n_unified, 2);
        ck_assert_str_eq(s.limits.unified[1].file, "io.max");
        ck_assert_str_eq(s.limits.unified[1].value, "8:0 rbps=1000");
        ck_assert_int_eq(s.pos[CONGO_K_BLKIO_WEIGHT].line, 16);
        congo_spec_free(&s);
}
END_TEST

START_TEST(defaults_set_nothing)
{
        struct congo_spec s;
        char *errors;

        ck_assert_int_eq(load(&s, "w.yaml", BASE, &errors), 0);
        free(errors);
        ck_assert_int_eq(s.limits.memory_swappiness, -1);
        ck_assert_uint_eq(s.limits.cpu_period_us, 100000);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 0);
        ck_assert(!s.limits.cpu_rt_set && !s.limits.disable_oom_killer);
        ck_assert_ptr_null(s.limits.cpuset_cpus);
        congo_spec_free(&s);
        char *p = printed("w.yaml", BASE);
        ck_assert_ptr_null(strstr(p, "cpu_period"));
        ck_assert_ptr_null(strstr(p, "swappiness"));
        free(p);
}
END_TEST

START_TEST(cpu_quota_and_period)
{
        struct congo_spec s;
        char *errors;

        ck_assert_int_eq(load(&s, "w.yaml", BASE "limits: {cpu_quota: 20000, cpu_period: 10000}\n", &errors), 0);
        free(errors);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 20000);
        ck_assert_uint_eq(s.limits.cpu_period_us, 10000);
        congo_spec_free(&s);
        expect_error(BASE "limits:\n  cpus: 2\n  cpu_quota: 5000\n",
                     "w.yaml:6:14: limits.cpu_quota: conflicts with limits.cpus at line 5 (give one of them)");
        expect_error(BASE "limits: {cpu_quota: 999}\n", "limits.cpu_quota: 999 is out of range (1000 to 1000000000)");
        expect_error(BASE "limits: {cpu_period: 1000001}\n", "limits.cpu_period: 1000001 is out of range (1000 to 1000000)");
        expect_error(BASE "limits: {cpu_period: 1ms}\n", "limits.cpu_period: \"1ms\" is not a number");
        /* --set of one replaces the other the file gave. */
        congo_spec_init(&s, "/tmp/o.yaml");
        size_t len;
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        const char *text = BASE "limits: {cpus: 2}\n";
        congo_parse_yaml(&s, text, strlen(text), &d);
        ck_assert_int_eq(congo_spec_override(&s, "limits.cpu_quota=30000", &d), 0);
        ck_assert_int_eq(congo_spec_finish(&s, &d), 0);
        fclose(f);
        free(errors);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 30000);
        congo_spec_free(&s);
}
END_TEST

START_TEST(memory_refusals)
{
        expect_error(BASE "limits: {memory_reservation: 12q}\n",
                     "w.yaml:4:30: limits.memory_reservation: \"12q\" is not a size (try 512M or 1G)");
        expect_error(BASE "limits: {memory_reservation: 1k}\n", "limits.memory_reservation: 1k is below the minimum of 1M");
        expect_error(BASE "limits: {memory: 64M, memory_reservation: 128M}\n",
                     "limits.memory_reservation: is above limits.memory");
        expect_error(BASE "limits: {memory_swap: 1G}\n",
                     "limits.memory_swap: needs limits.memory (it limits memory and swap together)");
        expect_error(BASE "limits: {memory: 1G, memory_swap: 512M}\n",
                     "limits.memory_swap: is below limits.memory");
        expect_error(BASE "limits: {memory: 1G, memory_swap: 2048T}\n", "limits.memory_swap: 2048T is above the maximum of 1P");
        expect_error(BASE "limits: {memory_swappiness: 101}\n", "limits.memory_swappiness: 101 is out of range (0 to 100)");
        expect_error(BASE "limits: {memory_swappiness: -1}\n", "limits.memory_swappiness: \"-1\" is not a number");
        expect_error(BASE "limits: {disable_oom_killer: maybe}\n",
                     "limits.disable_oom_killer: \"maybe\" is not a boolean (true or false)");
        char *p = printed("w.yaml", BASE "limits: {memory: 1G, memory_swap: unlimited}\n");
        ck_assert_ptr_nonnull(strstr(p, "  memory_swap: unlimited\n"));
        free(p);
}
END_TEST

START_TEST(cpu_refusals)
{
        expect_error(BASE "limits: {cpuset_cpus: \"3-1\"}\n",
                     "limits.cpuset_cpus: \"3-1\" is not a list of CPUs (ascending numbers and ranges below 8192, e.g. 0-3,6)");
        expect_error(BASE "limits: {cpuset_cpus: \"1,1\"}\n", "limits.cpuset_cpus: \"1,1\" is not a list of CPUs");
        expect_error(BASE "limits: {cpuset_cpus: \"0,\"}\n", "limits.cpuset_cpus: \"0,\" is not a list of CPUs");
        expect_error(BASE "limits: {cpuset_cpus: \"\"}\n", "limits.cpuset_cpus: \"\" is not a list of CPUs");
        expect_error(BASE "limits: {cpuset_cpus: \"8192\"}\n", "limits.cpuset_cpus: \"8192\" is not a list");
        expect_error(BASE "limits: {cpuset_cpus: \"0 1\"}\n", "limits.cpuset_cpus: \"0 1\" is not a list");
        expect_error(BASE "limits: {cpuset_mems: \"0-1024\"}\n",
                     "limits.cpuset_mems: \"0-1024\" is not a list of memory nodes (ascending numbers and ranges below 1024, e.g. 0-3,6)");
        expect_error(BASE "limits: {cpu_rt_runtime: 1000001}\n",
                     "limits.cpu_rt_runtime: 1000001 is out of range (0 to 1000000)");
        expect_error(BASE "limits: {cpu_rt_period: 10}\n", "limits.cpu_rt_period: 10 is out of range (1000 to 1000000)");
        expect_error(BASE "limits: {cpu_rt_runtime: 20000, cpu_rt_period: 10000}\n",
                     "limits.cpu_rt_runtime: is above limits.cpu_rt_period");
        expect_error(BASE "limits: {cpu_rt_period: 10000}\n", "limits.cpu_rt_period: needs limits.cpu_rt_runtime");
        expect_error(BASE "limits: {blkio_weight: 9}\n", "limits.blkio_weight: 9 is out of range (10 to 1000)");
        expect_error(BASE "limits: {blkio_weight: 1001}\n", "limits.blkio_weight: 1001 is out of range (10 to 1000)");
}
END_TEST

START_TEST(hugepages_and_unified_refusals)
{
        expect_error(BASE "limits: {hugepages: {3MB: 1M}}\n",
                     "limits.hugepages: \"3MB\" is not a huge page size (a power of two, e.g. 2MB or 1GB)");
        expect_error(BASE "limits: {hugepages: {2048: 1M}}\n", "limits.hugepages: \"2048\" is not a huge page size");
        expect_error(BASE "limits: {hugepages: {2MB: lots}}\n", "limits.hugepages.2MB: \"lots\" is not a size");
        expect_error(BASE "limits: {hugepages: {2MB: 1M, 2M: 2M}}\n", "limits.hugepages.2M: duplicate key");
        expect_error(BASE "limits: {hugepages: 5}\n", "limits.hugepages: expected a mapping");
        expect_error(BASE "limits: {unified: {cgroup.procs: \"1\"}}\n",
                     "limits.unified: \"cgroup.procs\" is congo's to write, not the spec's");
        expect_error(BASE "limits: {unified: {cgroup.subtree_control: \"+io\"}}\n", "is congo's to write");
        expect_error(BASE "limits: {unified: {cgroup.kill: \"1\"}}\n", "is congo's to write");
        expect_error(BASE "limits: {unified: {\"../memory.max\": \"1\"}}\n",
                     "limits.unified: \"../memory.max\" is not a cgroup file name (controller.file, no '/')");
        expect_error(BASE "limits: {unified: {\"memory.max/x\": \"1\"}}\n", "is not a cgroup file name");
        expect_error(BASE "limits: {unified: {memory: \"1\"}}\n", "limits.unified: \"memory\" is not a cgroup file name");
        expect_error(BASE "limits: {unified: {\"memory..max\": \"1\"}}\n", "is not a cgroup file name");
        expect_error(BASE "limits: {unified: {memory.max: \"1\\n2\"}}\n",
                     "limits.unified.memory.max: the value must be one line of at most 4096 bytes");
        expect_error(BASE "limits: {unified: {memory.max: 1, memory.max: 2}}\n", "limits.unified.memory.max: duplicate key");
}
END_TEST

/* Printed, parsed and printed again: the same; YAML and INI the same. */
START_TEST(print_round_trip_and_ini)
{
        char *once = printed("/tmp/r.yaml", EVERY);
        char *twice = printed("/tmp/r.yaml", once);
        ck_assert_str_eq(once, twice);
        ck_assert_ptr_nonnull(strstr(once, "  hugepages:\n    2MB: 64M\n    1GB: 0\n"));
        ck_assert_ptr_nonnull(strstr(once, "  unified:\n    memory.high: \"400M\"\n    io.max: \"8:0 rbps=1000\"\n"));
        /* In the key table's order: cpus, then the time and tmp keys,
         * then the cgroup resources in theirs. */
        ck_assert_ptr_nonnull(strstr(once, "  cpus: 1.5\n  tmp: 64M\n  cpu_period: 50000\n  cpuset_cpus: \"0-1,3\"\n"));
        const char *ini =
                "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\n"
                "[limits]\nmemory = 512M\nmemory_reservation = 256M\nmemory_swap = 1G\nmemory_swappiness = 10\n"
                "disable_oom_killer = true\ncpus = 1.5\ncpu_period = 50000\ncpuset_cpus = 0-1,3\ncpuset_mems = 0\n"
                "cpu_rt_runtime = 10000\ncpu_rt_period = 100000\nblkio_weight = 500\n"
                "[limits.hugepages]\n2MB = 64M\n1G = 0\n"
                "[limits.unified]\nmemory.high = 400M\nio.max = \"8:0 rbps=1000\"\n";
        char *from_ini = printed("/tmp/r.ini", ini);
        ck_assert_str_eq(from_ini, once);
        free(from_ini);
        free(once);
        free(twice);
        char *q = printed("/tmp/q.yaml", BASE "limits: {cpu_quota: 25000}\n");
        char *q2 = printed("/tmp/q.yaml", q);
        ck_assert_str_eq(q, q2);
        ck_assert_ptr_nonnull(strstr(q, "  cpu_quota: 25000\n"));
        free(q);
        free(q2);
}
END_TEST

START_TEST(set_keys)
{
        struct congo_spec s;
        char *errors;
        size_t len;

        congo_spec_init(&s, "/tmp/o.yaml");
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        congo_parse_yaml(&s, BASE, strlen(BASE), &d);
        ck_assert_int_eq(congo_spec_override(&s, "limits.unified.memory.high=1G", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "limits.hugepages.2MB=4M", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "limits.blkio_weight=100", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "limits.cpuset_cpus=0", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "limits.unified=x", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "limits.unified.cgroup.procs=1", &d), -1);
        fclose(f);
        free(errors);
        ck_assert_str_eq(s.limits.unified[0].file, "memory.high");
        ck_assert_str_eq(s.limits.unified[0].value, "1G");
        ck_assert_uint_eq(s.limits.hugepages[0].limit, 4u << 20);
        ck_assert_uint_eq(s.limits.blkio_weight, 100);
        congo_spec_free(&s);
        /* --list-keys offers them for completion. */
        char *keys;
        f = open_memstream(&keys, &len);
        congo_spec_list_keys(f);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(keys, "\nlimits.memory_swap\n"));
        ck_assert_ptr_nonnull(strstr(keys, "\nlimits.unified.\n"));
        ck_assert_ptr_nonnull(strstr(keys, "\nlimits.hugepages.\n"));
        free(keys);
}
END_TEST

/* ---- the drivers, on fake trees ------------------------------------------ */

static const struct congo_cgroup_hugepage HUGE[] = { { 2u << 20, 64u << 20 } };
static const struct congo_cgroup_file UNIFIED[] = { { "memory.high", "400M" } };

/* Everything but unified (v1) and realtime (v2). */
static struct congo_cgroup_limits every(bool v2)
{
        return (struct congo_cgroup_limits){
                .memory = 64u << 20, .memory_reservation = 32u << 20, .memory_swap = 128u << 20,
                .swappiness_set = true, .swappiness = 10, .disable_oom_killer = true,
                .cpuset_cpus = "1", .cpuset_mems = "0",
                .cpu_rt = !v2, .cpu_rt_runtime_us = 10000, .cpu_rt_period_us = 100000,
                .blkio_weight = 500, .hugepages = HUGE, .n_hugepages = 1,
                .unified = v2 ? UNIFIED : NULL, .n_unified = v2 ? 1 : 0,
        };
}

/* A v1 host with every controller these limits use, the cpuset parent
 * "congo" left unpopulated as a fresh v1 cpuset cgroup is. */
static void fake_v1(void)
{
        char mi[2048];
        snprintf(mi, sizeof mi,
                 "31 25 0:27 / %1$s/memory rw - cgroup cgroup rw,memory\n"
                 "32 25 0:28 / %1$s/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
                 "33 25 0:29 / %1$s/cpuset rw - cgroup cgroup rw,cpuset\n"
                 "34 25 0:30 / %1$s/hugetlb rw - cgroup cgroup rw,hugetlb\n"
                 "35 25 0:31 / %1$s/blkio rw - cgroup cgroup rw,blkio\n", root);
        put("mountinfo", mi);
        mk("memory/congo/t-1");
        mk("cpu,cpuacct/congo/t-1");
        mk("cpuset/congo/t-1");
        mk("hugetlb/congo/t-1");
        mk("blkio/congo/t-1");
        put("memory/congo/t-1/memory.limit_in_bytes", "9223372036854771712\n");
        put("memory/congo/t-1/memory.soft_limit_in_bytes", "9223372036854771712\n");
        put("memory/congo/t-1/memory.memsw.limit_in_bytes", "9223372036854771712\n");
        put("memory/congo/t-1/memory.swappiness", "60\n");
        put("memory/congo/t-1/memory.oom_control", "oom_kill_disable 0\n");
        put("cpu,cpuacct/congo/t-1/cpu.rt_period_us", "1000000\n");
        put("cpu,cpuacct/congo/t-1/cpu.rt_runtime_us", "0\n");
        put("cpuset/cpuset.cpus", "0-3\n");
        put("cpuset/cpuset.mems", "0\n");
        put("cpuset/congo/cpuset.cpus", "\n");
        put("cpuset/congo/cpuset.mems", "\n");
        put("cpuset/congo/t-1/cpuset.cpus", "\n");
        put("cpuset/congo/t-1/cpuset.mems", "\n");
        put("hugetlb/congo/t-1/hugetlb.2MB.limit_in_bytes", "9223372036854771712\n");
        put("blkio/congo/t-1/blkio.weight", "100\n");
}

static void fake_v2(void)
{
        static const char *const all = "cpuset cpu io memory hugetlb pids rdma misc\n";
        fake_v2_tree(all, all, "",
                     (const char *const[]){ "memory.max", "memory.swap.max", "memory.low", "memory.high",
                                            "cpuset.cpus", "cpuset.mems", "hugetlb.2MB.max", "io.weight", NULL });
}

static int create(const struct congo_cgroup_driver *drv, const struct congo_cgroup_limits *l,
                  struct congo_error *err)
{
        struct congo_cgroup cg = { .driver = drv, .mountinfo = mountinfo };
        int rc = drv->create(&cg, "congo/t-1", l, err);
        congo_cgroup_release(&cg);
        return rc;
}

START_TEST(v1_writes_every_resource)
{
        fake_v1();
        struct congo_error err = { 0 };
        struct congo_cgroup_limits l = every(false);
        ck_assert_msg(create(&congo_cgroup_v1, &l, &err) == 0, "%s", err.msg);
        ck_assert_str_eq(get("memory/congo/t-1/memory.limit_in_bytes"), "67108864");
        ck_assert_str_eq(get("memory/congo/t-1/memory.memsw.limit_in_bytes"), "134217728");
        ck_assert_str_eq(get("memory/congo/t-1/memory.soft_limit_in_bytes"), "33554432");
        ck_assert_str_eq(get("memory/congo/t-1/memory.swappiness"), "10");
        ck_assert_str_eq(get("memory/congo/t-1/memory.oom_control"), "1");
        ck_assert_str_eq(get("cpu,cpuacct/congo/t-1/cpu.rt_period_us"), "100000");
        ck_assert_str_eq(get("cpu,cpuacct/congo/t-1/cpu.rt_runtime_us"), "10000");
        /* The empty parent gets the root's CPUs and nodes first. */
        ck_assert_str_eq(get("cpuset/congo/cpuset.cpus"), "0-3");
        ck_assert_str_eq(get("cpuset/congo/cpuset.mems"), "0");
        ck_assert_str_eq(get("cpuset/congo/t-1/cpuset.cpus"), "1");
        ck_assert_str_eq(get("cpuset/congo/t-1/cpuset.mems"), "0");
        ck_assert_str_eq(get("hugetlb/congo/t-1/hugetlb.2MB.limit_in_bytes"), "67108864");
        ck_assert_str_eq(get("blkio/congo/t-1/blkio.weight"), "500");
        /* BFQ's file wins where there is one. */
        put("blkio/congo/t-1/blkio.bfq.weight", "100\n");
        ck_assert_int_eq(create(&congo_cgroup_v1, &l, &err), 0);
        ck_assert_str_eq(get("blkio/congo/t-1/blkio.bfq.weight"), "500");
        /* Only cpus: the mems still come from the parent. */
        put("cpuset/congo/t-1/cpuset.mems", "\n");
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .cpuset_cpus = "2" }, &err), 0);
        ck_assert_str_eq(get("cpuset/congo/t-1/cpuset.cpus"), "2");
        ck_assert_str_eq(get("cpuset/congo/t-1/cpuset.mems"), "0");
        /* Unlimited swap is -1 to v1. */
        l = (struct congo_cgroup_limits){ .memory = 64u << 20, .memory_swap = UINT64_MAX };
        ck_assert_int_eq(create(&congo_cgroup_v1, &l, &err), 0);
        ck_assert_str_eq(get("memory/congo/t-1/memory.memsw.limit_in_bytes"), "-1");
}
END_TEST

/* The optional hierarchies are joined only by a spec that uses them. */
START_TEST(v1_optional_hierarchies_only_when_used)
{
        fake_v1();
        char *out;
        size_t len;
        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        cg.plan = open_memstream(&out, &len);
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-1", &(struct congo_cgroup_limits){ .memory = 1u << 20 }, &err), 0);
        fclose(cg.plan);
        ck_assert_ptr_null(strstr(out, "cpuset"));
        ck_assert_ptr_null(strstr(out, "hugetlb"));
        ck_assert_ptr_null(strstr(out, "blkio"));
        ck_assert_uint_eq(cg.n_dirs, 2);
        congo_cgroup_release(&cg);
        free(out);
}
END_TEST

START_TEST(v1_refusals)
{
        struct congo_error err = { 0 };
        char want[512];

        fake_v1();
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .unified = UNIFIED, .n_unified = 1 }, &err), -1);
        ck_assert_str_eq(err.msg, "limits.unified: memory.high is a cgroup v2 file, and this host's cgroups are v1");
        /* Refused before anything is made. */
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        ck_assert_int_eq(congo_cgroup_v1.create(&cg, "congo/t-9", &(struct congo_cgroup_limits){ .unified = UNIFIED, .n_unified = 1 }, &err), -1);
        ck_assert_uint_eq(cg.n_dirs, 0);
        congo_cgroup_release(&cg);
        snprintf(want, sizeof want, "%s/memory/congo/t-9", root);
        ck_assert_int_eq(access(want, F_OK), -1);
        char mi[256];
        snprintf(mi, sizeof mi, "31 25 0:27 / %s/memory rw - cgroup cgroup rw,memory\n", root);
        put("mountinfo", mi);
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .hugepages = HUGE, .n_hugepages = 1 }, &err), -1);
        ck_assert_str_eq(err.msg, "no hugetlb hierarchy is mounted (cgroup v1), nor is hugetlb in a cgroup2 mount");
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .cpuset_cpus = "0" }, &err), -1);
        ck_assert_str_eq(err.msg, "no cpuset hierarchy is mounted (cgroup v1)");
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .blkio_weight = 100 }, &err), -1);
        ck_assert_str_eq(err.msg, "no blkio hierarchy is mounted (cgroup v1)");
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .cpu_rt = true }, &err), -1);
        ck_assert_str_eq(err.msg, "no cpu hierarchy is mounted (cgroup v1)");
        /* A kernel without the file: named, with what it lacks. */
        snprintf(want, sizeof want, "%s/memory/congo/t-1/memory.swappiness", root);
        ck_assert_int_eq(unlink(want), 0);
        snprintf(want, sizeof want, "%s/memory/congo/t-1/memory.memsw.limit_in_bytes", root);
        ck_assert_int_eq(unlink(want), 0);
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .swappiness_set = true }, &err), -1);
        snprintf(want, sizeof want, "%s/memory/congo/t-1/memory.swappiness is missing: this kernel has no per-cgroup swappiness", root);
        ck_assert_str_eq(err.msg, want);
        ck_assert_int_eq(create(&congo_cgroup_v1, &(struct congo_cgroup_limits){ .memory = 1u << 20, .memory_swap = 2u << 20 }, &err), -1);
        snprintf(want, sizeof want, "limits.memory_swap: %s/memory/congo/t-1 has no memory.memsw.limit_in_bytes (swap accounting is off: boot with swapaccount=1)", root);
        ck_assert_str_eq(err.msg, want);
}
END_TEST

/* A hybrid host whose hugetlb is bound to no v1 hierarchy but is in the
 * v2 "unified" mount: the container gets a cgroup there, hugetlb enabled
 * on the way down, and its limit in hugetlb.SIZE.max; joined as the v1
 * ones are.  Where unified lacks it too: the refusal names both. */
START_TEST(hybrid_hugetlb_in_unified)
{
        char mi[512], want[600];
        struct congo_error err = { 0 };

        snprintf(mi, sizeof mi, "31 25 0:27 / %1$s/memory rw - cgroup cgroup rw,memory\n"
                 "36 25 0:32 / %1$s/unified rw - cgroup2 cgroup2 rw\n", root);
        put("mountinfo", mi);
        mk("memory/congo/t-1");
        mk("unified/congo/t-1");
        put("unified/cgroup.controllers", "hugetlb\n");
        put("unified/cgroup.subtree_control", "");
        put("unified/congo/cgroup.controllers", "hugetlb\n");
        put("unified/congo/cgroup.subtree_control", "");
        put("unified/congo/t-1/hugetlb.2MB.max", "max\n");
        put("memory/congo/t-1/memory.limit_in_bytes", "max\n");
        put("memory/congo/t-1/cgroup.procs", "");
        put("unified/congo/t-1/cgroup.procs", "");
        struct congo_cgroup cg = { .driver = &congo_cgroup_v1, .mountinfo = mountinfo };
        const struct congo_cgroup_limits l = { .memory = 64u << 20, .hugepages = HUGE, .n_hugepages = 1 };
        ck_assert_msg(congo_cgroup_v1.create(&cg, "congo/t-1", &l, &err) == 0, "%s", err.msg);
        ck_assert_str_eq(get("unified/congo/t-1/hugetlb.2MB.max"), "67108864");
        ck_assert_str_eq(get("unified/cgroup.subtree_control"), "+hugetlb");
        ck_assert_str_eq(get("unified/congo/cgroup.subtree_control"), "+hugetlb");
        ck_assert_str_eq(get("memory/congo/t-1/memory.limit_in_bytes"), "67108864");
        ck_assert_uint_eq(cg.n_dirs, 2);
        snprintf(want, sizeof want, "%s/unified/congo/t-1", root);
        ck_assert_str_eq(cg.dirs[1].path, want);
        ck_assert_int_eq(congo_cgroup_v1.attach(&cg, 77, &err), 0);
        ck_assert_str_eq(get("unified/congo/t-1/cgroup.procs"), "77");
        congo_cgroup_release(&cg);
        put("unified/cgroup.controllers", "misc\n");
        ck_assert_int_eq(create(&congo_cgroup_v1, &l, &err), -1);
        ck_assert_str_eq(err.msg, "no hugetlb hierarchy is mounted (cgroup v1), nor is hugetlb in a cgroup2 mount");
}
END_TEST

START_TEST(v2_writes_every_resource)
{
        fake_v2();
        struct congo_error err = { 0 };
        struct congo_cgroup_limits l = every(true);
        ck_assert_msg(create(&congo_cgroup_v2, &l, &err) == 0, "%s", err.msg);
        ck_assert_str_eq(get("v2/congo/t-1/memory.max"), "67108864");
        /* OCI's swap is memory + swap; v2's is swap alone. */
        ck_assert_str_eq(get("v2/congo/t-1/memory.swap.max"), "67108864");
        ck_assert_str_eq(get("v2/congo/t-1/memory.low"), "33554432");
        ck_assert_str_eq(get("v2/congo/t-1/cpuset.cpus"), "1");
        ck_assert_str_eq(get("v2/congo/t-1/cpuset.mems"), "0");
        ck_assert_str_eq(get("v2/congo/t-1/hugetlb.2MB.max"), "67108864");
        /* 1 + (500 - 10) * 9999 / 990 */
        ck_assert_str_eq(get("v2/congo/t-1/io.weight"), "4950");
        ck_assert_str_eq(get("v2/congo/t-1/memory.high"), "400M");
        /* Each controller enabled on the way down, the new ones only as needed. */
        ck_assert_str_eq(get("v2/congo/cgroup.subtree_control"), "+io");
        put("v2/congo/t-1/io.bfq.weight", "100\n");
        ck_assert_int_eq(create(&congo_cgroup_v2, &l, &err), 0);
        ck_assert_str_eq(get("v2/congo/t-1/io.bfq.weight"), "500");
        l = (struct congo_cgroup_limits){ .memory = 64u << 20, .memory_swap = UINT64_MAX };
        ck_assert_int_eq(create(&congo_cgroup_v2, &l, &err), 0);
        ck_assert_str_eq(get("v2/congo/t-1/memory.swap.max"), "max");
}
END_TEST

START_TEST(v2_plan_enables_only_what_is_needed)
{
        fake_v2();
        char *out, want[2048];
        size_t len;
        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = &congo_cgroup_v2, .mountinfo = mountinfo };
        cg.plan = open_memstream(&out, &len);
        struct congo_cgroup_limits l = { .pids = 10, .pids_default = true, .blkio_weight = 10,
                                         .unified = (const struct congo_cgroup_file[]){ { "misc.max", "x 1" } },
                                         .n_unified = 1 };
        ck_assert_int_eq(congo_cgroup_v2.create(&cg, "congo/t-1", &l, &err), 0);
        fclose(cg.plan);
        ck_assert_ptr_null(strstr(out, "ignored"));
        snprintf(want, sizeof want,
                 "   write %1$s/v2/cgroup.subtree_control = +cpu\n"
                 "   write %1$s/v2/cgroup.subtree_control = +memory\n"
                 "   write %1$s/v2/cgroup.subtree_control = +pids\n"
                 "   write %1$s/v2/cgroup.subtree_control = +io\n"
                 "   write %1$s/v2/cgroup.subtree_control = +misc\n"
                 "   mkdir %1$s/v2/congo\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +cpu\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +memory\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +pids\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +io\n"
                 "   write %1$s/v2/congo/cgroup.subtree_control = +misc\n"
                 "   mkdir %1$s/v2/congo/t-1\n"
                 "   write %1$s/v2/congo/t-1/pids.max = 10\n"
                 "   write %1$s/v2/congo/t-1/io.weight = 1\n"
                 "   write %1$s/v2/congo/t-1/misc.max = x 1\n", root);
        ck_assert_str_eq(out, want);
        congo_cgroup_release(&cg);
        free(out);
}
END_TEST

START_TEST(v2_refusals)
{
        struct congo_error err = { 0 };
        char want[512];

        fake_v2();
        ck_assert_int_eq(create(&congo_cgroup_v2, &(struct congo_cgroup_limits){ .cpu_rt = true, .cpu_rt_runtime_us = 1 }, &err), -1);
        ck_assert_str_eq(err.msg, "limits.cpu_rt_runtime: realtime CPU bandwidth is cgroup v1 only (cpu.rt_runtime_us); this host's cgroups are v2");
        ck_assert_ptr_null(get("v2/congo/t-1/cgroup.procs"));
        /* A unified file the cgroup lacks (its controller not available). */
        struct congo_cgroup_file bad[] = { { "memory.nonsense", "1" } };
        ck_assert_int_eq(create(&congo_cgroup_v2, &(struct congo_cgroup_limits){ .unified = bad, .n_unified = 1 }, &err), -1);
        snprintf(want, sizeof want, "%s/v2/congo/t-1/memory.nonsense is missing: no such file in the container's cgroup (limits.unified)", root);
        ck_assert_str_eq(err.msg, want);
        struct congo_cgroup_hugepage gig[] = { { 1u << 30, 0 } };
        ck_assert_int_eq(create(&congo_cgroup_v2, &(struct congo_cgroup_limits){ .hugepages = gig, .n_hugepages = 1 }, &err), -1);
        snprintf(want, sizeof want, "%s/v2/congo/t-1/hugetlb.1GB.max is missing: this host has no huge pages of that size", root);
        ck_assert_str_eq(err.msg, want);
        /* A controller the hierarchy does not offer, named. */
        put("v2/cgroup.controllers", "cpu memory pids\n");
        ck_assert_int_eq(create(&congo_cgroup_v2, &(struct congo_cgroup_limits){ .cpuset_cpus = "0" }, &err), -1);
        snprintf(want, sizeof want, "the cpuset controller is not available in %s/v2", root);
        ck_assert_str_eq(err.msg, want);
        put("v2/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        unlink(strcat(strcpy(want, root), "/v2/congo/t-1/memory.swap.max"));
        ck_assert_int_eq(create(&congo_cgroup_v2, &(struct congo_cgroup_limits){ .memory = 1u << 20, .memory_swap = 2u << 20 }, &err), -1);
        snprintf(want, sizeof want, "limits.memory_swap: %s/v2/congo/t-1 has no memory.swap.max (no swap accounting in this kernel)", root);
        ck_assert_str_eq(err.msg, want);
        /* swappiness and the OOM killer: said, not refused (as crun); a
         * dry run says it in its plan. */
        ck_assert_int_eq(create(&congo_cgroup_v2, &(struct congo_cgroup_limits){ .swappiness_set = true, .disable_oom_killer = true }, &err), 0);
        char *out;
        size_t len;
        struct congo_cgroup cg = { .driver = &congo_cgroup_v2, .mountinfo = mountinfo };
        cg.plan = open_memstream(&out, &len);
        ck_assert_int_eq(congo_cgroup_v2.create(&cg, "congo/t-1", &(struct congo_cgroup_limits){ .swappiness_set = true, .disable_oom_killer = true }, &err), 0);
        fclose(cg.plan);
        congo_cgroup_release(&cg);
        ck_assert_ptr_nonnull(strstr(out, "   limits.memory_swappiness: ignored (cgroup v2 has none)\n"));
        ck_assert_ptr_nonnull(strstr(out, "   limits.disable_oom_killer: not applied (cgroup v2 cannot disable the OOM killer)\n"));
        free(out);
}
END_TEST

START_TEST(conversions)
{
        ck_assert_uint_eq(congo_cgroup_blkio_to_io_weight(10), 1);
        ck_assert_uint_eq(congo_cgroup_blkio_to_io_weight(1000), 10000);
        ck_assert_uint_eq(congo_cgroup_blkio_to_io_weight(100), 910);
        char name[24];
        congo_hugepage_name(2u << 20, name);
        ck_assert_str_eq(name, "2MB");
        congo_hugepage_name(1u << 30, name);
        ck_assert_str_eq(name, "1GB");
        congo_hugepage_name(64u << 10, name);
        ck_assert_str_eq(name, "64KB");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("resources");
        TCase *spec = tcase_create("spec");
        tcase_add_test(spec, every_key);
        tcase_add_test(spec, defaults_set_nothing);
        tcase_add_test(spec, cpu_quota_and_period);
        tcase_add_test(spec, memory_refusals);
        tcase_add_test(spec, cpu_refusals);
        tcase_add_test(spec, hugepages_and_unified_refusals);
        tcase_add_test(spec, print_round_trip_and_ini);
        tcase_add_test(spec, set_keys);
        suite_add_tcase(s, spec);
        TCase *drv = tcase_create("drivers");
        tcase_add_checked_fixture(drv, fake_cgroup_setup, fake_cgroup_teardown);
        tcase_add_test(drv, v1_writes_every_resource);
        tcase_add_test(drv, v1_optional_hierarchies_only_when_used);
        tcase_add_test(drv, v1_refusals);
        tcase_add_test(drv, hybrid_hugetlb_in_unified);
        tcase_add_test(drv, v2_writes_every_resource);
        tcase_add_test(drv, v2_plan_enables_only_what_is_needed);
        tcase_add_test(drv, v2_refusals);
        tcase_add_test(drv, conversions);
        suite_add_tcase(s, drv);
        return run_suite(s);
}
