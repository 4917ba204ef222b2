/* hostile_proc.c - the container against its own lifetime and the kernel's
 * wider interfaces: it must die with a SIGKILLed launcher whatever it did
 * to its credentials and prctl state (a pid namespace: at once; without
 * one: at the next --gc); it cannot reach the launcher's PID 1; socket
 * families off the allowlist and io_uring are refused. */
#define _GNU_SOURCE
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

#define MAX_PIDS 64
/* The shapes that outlive their launcher live under a parent of their
 * own: a --gc run by any other suite at the same time collects stale
 * cgroups under congo/, and would kill them before the test looks. */
#define GCK_SUB "gck-test"
#define GCK_PARENT "cgroup_parent: congo/" GCK_SUB "\n"

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The host pids in the container's cgroup (pids controller on v1, the
 * unified tree on v2). */
static int container_pids(const char *name, pid_t launcher, pid_t *pids)
{
        static const char *const fmt[] = { "/sys/fs/cgroup/pids/congo/%s%s-%d/cgroup.procs",
                                           "/sys/fs/cgroup/congo/%s%s-%d/cgroup.procs" };
        const char *sub = strncmp(name, "gck-", 4) == 0 ? GCK_SUB "/" : "";
        char path[512], *text = NULL;
        int n = 0;

        for (size_t i = 0; i < 2 && text == NULL; i++) {
                snprintf(path, sizeof path, fmt[i], sub, name, (int)launcher);
                text = read_file(path);
        }
        ck_assert_msg(text != NULL, "no cgroup for %s-%d", name, (int)launcher);
        for (char *p = text, *end; *p && n < MAX_PIDS; p = end + (*end == '\n')) {
                long q = strtol(p, &end, 10);
                if (end == p)
                        break;
                pids[n++] = (pid_t)q;
        }
        free(text);
        return n;
}

static int alive(const pid_t *pids, int n)
{
        int left = 0;
        for (int i = 0; i < n; i++)
                left += !harness_gone(pids[i]);
        return left;
}

/* Seconds until every pid is gone, polling every 5 ms; -1 after 5 s. */
static double gone_within(const pid_t *pids, int n, double since)
{
        while (now() - since < 5) {
                if (alive(pids, n) == 0)
                        return now() - since;
                usleep(5000);
        }
        return -1;
}

/* Starts NAME, waits until it printed "ready" `readies` times (in one
 * read or several), returns the launcher's pid and the container's pids. */
static pid_t start_ready(const char *name, const char *body, pid_t *pids, int *n, int min_procs)
{
        const char *args[] = { harness_spec(name, body), NULL };
        int fd;
        pid_t launcher = harness_start(args, &fd);
        ck_assert_int_gt(launcher, 0);
        ck_assert_msg(harness_wait_for(fd, "ready", 5000), "%s never got ready", name);
        /* The probes print before pause(); the shells' background jobs may
         * still be forking: wait until the cgroup holds what we expect. */
        for (int i = 0; i < 200 && (*n = container_pids(name, launcher, pids)) < min_procs; i++)
                usleep(10000);
        ck_assert_msg(*n >= min_procs, "%s: %d processes, expected %d", name, *n, min_procs);
        close(fd);
        return launcher;
}

static void kill_launcher(pid_t launcher)
{
        int ws;
        ck_assert_int_eq(kill(launcher, SIGKILL), 0);
        ck_assert_int_eq(waitpid(launcher, &ws, 0), launcher);
}

/* With a pid namespace: gone within a second of the launcher, whatever
 * the container did. */
static const struct shape {
        const char *name, *body;
        int procs;   /* at least this many in the cgroup (PID 1 included) */
} pidns_shapes[] = {
        { "pdk-prctl", "limits: {pids: 50}\ncommand: [/bin/probe, pdeathsig-off]\n", 2 },
        { "pdk-setuid", "limits: {pids: 50}\ncommand: [/bin/probe, setuid, \"1000\"]\n", 2 },
        { "pdk-user", "limits: {pids: 50}\nuser: \"1000:1000\"\ncommand: [/bin/probe, pdeathsig-off]\n", 2 },
        { "pdk-daemon", "limits: {pids: 50}\ncommand: [/bin/sh, -c, "
                        "\"(setsid sh -c 'sleep 100 & sleep 100 & /bin/probe pdeathsig-off' &); sleep 100\"]\n", 5 },
        { "pdk-init", "limits: {pids: 50}\ninit: true\ncommand: [/bin/sh, -c, "
                      "\"/bin/probe setuid 1000 & /bin/probe pdeathsig-off & wait\"]\n", 4 },
        { "pdk-tty", "limits: {pids: 50}\nterminal: true\ncommand: [/bin/sh, -c, "
                     "\"trap '' HUP TERM; /bin/probe pdeathsig-off & wait\"]\n", 3 },
        { "pdk-userns", "limits: {pids: 50}\nnamespaces: [uts, pid, net, mount, ipc, user]\n"
                        "uid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n"
                        "command: [/bin/sh, -c, \"/bin/probe setuid 7 & /bin/probe pdeathsig-off\"]\n", 3 },
};

START_TEST(pid_namespace_dies_with_the_launcher)
{
        const struct shape *sh = &pidns_shapes[_i];
        pid_t pids[MAX_PIDS];
        int n;
        pid_t launcher = start_ready(sh->name, sh->body, pids, &n, sh->procs);
        double t0 = now();
        kill_launcher(launcher);
        double took = gone_within(pids, n, t0);
        ck_assert_msg(took >= 0 && took < 1.0, "%s: %d of %d processes still there after %.3f s",
                      sh->name, alive(pids, n), n, took < 0 ? 5.0 : took);
        printf("%s: %d processes gone %.1f ms after kill -9 of the launcher\n", sh->name, n, took * 1000);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s-", sh->name);
        ck_assert_int_eq(harness_gc(prefix), 0);
}
END_TEST

/* Without a pid namespace nothing kills the rest at once: each shape
 * really outlives the launcher (else the test proves nothing), and one
 * --gc kills it and removes its cgroup. */
static const struct shape nopid_shapes[] = {
        { "gck-prctl", GCK_PARENT "namespaces: [uts, net, mount, ipc]\nlimits: {pids: 50}\n"
                       "command: [/bin/probe, pdeathsig-off]\n", 1 },
        { "gck-setuid", GCK_PARENT "namespaces: [uts, net, mount, ipc]\nlimits: {pids: 50}\n"
                        "command: [/bin/probe, setuid, \"1000\"]\n", 1 },
        { "gck-init", GCK_PARENT "namespaces: [uts, net, mount, ipc]\nlimits: {pids: 50}\ninit: true\n"
                      "command: [/bin/probe, pdeathsig-off]\n", 2 },
        { "gck-daemon", GCK_PARENT "namespaces: [uts, net, mount, ipc]\nlimits: {pids: 50}\ncommand: [/bin/sh, -c, "
                        "\"(setsid sh -c 'sleep 100 & sleep 100 & echo ready; wait' &); sleep 100\"]\n", 4 },
};

START_TEST(gc_kills_what_a_dead_launcher_left)
{
        const struct shape *sh = &nopid_shapes[_i];
        pid_t pids[MAX_PIDS];
        int n;
        pid_t launcher = start_ready(sh->name, sh->body, pids, &n, sh->procs);
        kill_launcher(launcher);
        usleep(300000);
        ck_assert_msg(alive(pids, n) > 0, "%s: nothing outlived the launcher", sh->name);
        char prefix[64];
        snprintf(prefix, sizeof prefix, GCK_SUB "/%s-", sh->name);
        ck_assert_int_eq(congo_cgroups_left(prefix) > 0, 1);
        const char *gc[] = { "--gc", "--cgroup-parent", "congo/" GCK_SUB, NULL };
        double t0 = now();
        struct outcome o = harness_run(gc);
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.err, "");
        outcome_free(&o);
        double took = gone_within(pids, n, t0);
        ck_assert_msg(took >= 0 && took < 1.0, "%s: %d of %d processes survived --gc", sh->name, alive(pids, n), n);
        ck_assert_int_eq(congo_cgroups_left(prefix), 0);
        char dir[128];
        for (const char *const *h = (const char *const[]){ "pids", "memory", "cpu", "cpuacct", "freezer",
                                                             "devices", "unified", "", NULL }; *h; h++) {
                snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%scongo/" GCK_SUB, *h, **h ? "/" : "");
                rmdir(dir);
        }
}
END_TEST

/* PID 1 is the launcher's: from inside, root cannot kill, stop, trace or
 * read it, and it holds no capability but CAP_KILL. */
START_TEST(pid1_is_out_of_reach)
{
        struct outcome o = harness_run_spec("pid1-reach", "command: [/bin/sh, -c, "
                "\"kill -KILL 1; kill -STOP 1; sleep 0.2; /bin/probe ptrace 1;"
                " cat /proc/1/environ > /dev/null 2>&1 || echo no-environ;"
                " cat /proc/1/mem > /dev/null 2>&1 || echo no-mem;"
                " grep -E '^(State|CapEff)' /proc/1/status; echo alive\"]\n");
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "EPERM\nno-environ\nno-mem\nState:\tS (sleeping)\n"
                                "CapEff:\t0000000000000020\nalive\n");
        outcome_free(&o);
        /* And its status is the command's, signal included (--stats). */
        char stats[512], arg[600];
        snprintf(stats, sizeof stats, "%s/pid1-stats.json", harness_tmp());
        snprintf(arg, sizeof arg, "--stats=%s", stats);
        const char *args[] = { arg, harness_spec("pid1-sig", "command: [/bin/sh, -c, \"kill -USR1 $$\"]\n"), NULL };
        o = harness_run(args);
        ck_assert_int_eq(o.status, 128 + SIGUSR1);
        outcome_free(&o);
        char *json = read_file(stats);
        ck_assert_msg(strstr(json, "\"exit_code\": 138, \"signal\": 10,") != NULL, "%s", json);
        free(json);
}
END_TEST

START_TEST(socket_families_off_the_allowlist)
{
        /* vsock, alg, key, bluetooth, rds, tipc, can, nfc, qipcrtr, xdp,
         * appletalk, ax25, x25, mctp, one past the last, a huge one, AF_UNSPEC,
         * and AF_INET6/AF_VSOCK with high bits the kernel would ignore. */
        struct outcome o = harness_run_spec("sock-deny", "command: [/bin/sh, -c, "
                "\"for f in 40 38 15 31 21 30 29 39 42 44 5 3 9 45 46 1000 0 0x10000000a 0x100000028;"
                " do /bin/probe socket $f; done; /bin/probe socketpair 30; /bin/probe socketpair 40\"]\n");
        ck_assert_int_eq(o.status, 0);
        ck_assert_int_eq(count_lines(o.out, "EAFNOSUPPORT"), 21);
        ck_assert_int_eq(count_lines(o.out, ""), 21);
        outcome_free(&o);
        /* What stays: unix, inet, inet6, netlink (ip), packet (which the
         * kernel then refuses for want of CAP_NET_RAW, not the filter). */
        o = harness_run_spec("sock-allow", "command: [/bin/sh, -c, "
                "\"/bin/probe socket 1 1; /bin/probe socket 2; /bin/probe socket 10; /bin/probe socket 16 3;"
                " /bin/probe socket 17 3; /bin/probe socketpair 1; ip -o link | grep -c lo\"]\n");
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "ok\nok\nok\nok\nEPERM\nok\n1\n");
        outcome_free(&o);
}
END_TEST

START_TEST(io_uring_is_enosys)
{
        struct outcome o = harness_run_spec("uring", "command: [/bin/sh, -c, "
                "\"/bin/probe io_uring_setup; /bin/probe io_uring_enter; /bin/probe io_uring_register\"]\n");
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "ENOSYS\nENOSYS\nENOSYS\n");
        outcome_free(&o);
        /* The filter, not the kernel: unconfined, it answers otherwise
         * (EFAULT for the NULL params, or EPERM where an admin disabled it). */
        if (access("/proc/sys/kernel/io_uring_disabled", F_OK) == 0) {
                o = harness_run_spec("uring-off", "security: {seccomp: unconfined}\n"
                                     "command: [/bin/probe, io_uring_setup]\n");
                ck_assert_int_eq(o.status, 0);
                ck_assert_msg(strcmp(o.out, "ENOSYS\n") != 0, "%s", o.out);
                outcome_free(&o);
        }
}
END_TEST

int main(void)
{
        char cmd[1024];

        harness_setup("hostile_proc");
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/bin/probe'", getenv("CONGO_PROBE"), harness_rootfs());
        if (system(cmd) != 0)
                return 99;
        Suite *s = suite_create("hostile_proc");
        TCase *tc = tcase_create("lifetime");
        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, pid_namespace_dies_with_the_launcher, 0,
                            (int)(sizeof pidns_shapes / sizeof pidns_shapes[0]));
        tcase_add_loop_test(tc, gc_kills_what_a_dead_launcher_left, 0,
                            (int)(sizeof nopid_shapes / sizeof nopid_shapes[0]));
        tcase_add_test(tc, pid1_is_out_of_reach);
        tcase_add_test(tc, socket_families_off_the_allowlist);
        tcase_add_test(tc, io_uring_is_enosys);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
