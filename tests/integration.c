/* integration.c - real containers, as root, on a busybox rootfs built for
 * the run; every assertion is something a user would observe from inside
 * or outside the container. */
#define _GNU_SOURCE
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcntl.h>
#include <linux/sched.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/un.h>
#include <poll.h>

#include "congo/cgroup.h"
#include "harness.h"
#include "run_suite.h"

/* Runs `congo-launch [opts...] spec` for a spec body. */
#define SH(cmd) "command: [\"/bin/sh\", \"-c\", " cmd "]\n"

START_TEST(hostname_inside_not_outside)
{
        char before[256], after[256];
        gethostname(before, sizeof before);
        struct outcome o = harness_run_spec("it-host", "hostname: inside-box\n" SH("\"hostname\""));
        gethostname(after, sizeof after);
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "inside-box\n");
        ck_assert_str_eq(before, after);
        outcome_free(&o);
}
END_TEST

START_TEST(command_is_pid2_under_the_launchers_pid1)
{
        struct outcome o = harness_run_spec("it-pid", SH("\"echo $$; cat /proc/1/comm; ls /proc | grep -c '^[0-9]'\""));
        ck_assert_int_eq(o.status, 0);
        /* PID 1 is the launcher's (it makes the namespace die with the
         * launcher) and named for what it is; the command is PID 2, and
         * /proc lists only those two and the cat/grep/ls it started. */
        ck_assert_msg(strncmp(o.out, "2\ncongo-init\n", 13) == 0, "out: %s", o.out);
        int n = atoi(o.out + 13);
        ck_assert_msg(n >= 2 && n <= 4, "processes seen: %d", n);
        outcome_free(&o);
}
END_TEST

START_TEST(only_loopback_and_up)
{
        struct outcome o = harness_run_spec("it-net", SH("\"ip -o link; cat /proc/net/dev | tail -n +3 | wc -l\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_int_eq(count_lines(o.out, ": lo:"), 1);
        ck_assert_int_eq(count_lines(o.out, "link/ether"), 0);
        ck_assert_msg(strstr(o.out, "UP") != NULL, "lo is not up: %s", o.out);
        outcome_free(&o);

        o = harness_run_spec("it-netnone", "network: none\n" SH("\"ip -o link\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_msg(strstr(o.out, "state DOWN") || !strstr(o.out, "<LOOPBACK,UP"), "%s", o.out);
        outcome_free(&o);
}
END_TEST

START_TEST(host_files_unreachable)
{
        char marker[512], body[1024];
        snprintf(marker, sizeof marker, "%s", harness_host_file("host-secret", "secret\n"));
        /* The rootfs lives in the same temporary directory as the marker:
         * /.. and the absolute host path must both lead nowhere. */
        snprintf(body, sizeof body,
                 SH("\"cat /../host-secret /../../host-secret %s 2>/dev/null; ls /.. | grep -c host-secret; true\""),
                 marker);
        struct outcome o = harness_run_spec("it-escape", body);
        ck_assert_int_eq(o.status, 0);
        ck_assert_ptr_null(strstr(o.out, "secret\n"));
        ck_assert_str_eq(o.out, "0\n");
        outcome_free(&o);
        unlink(marker);
}
END_TEST

START_TEST(default_mounts_work)
{
        struct outcome o = harness_run_spec("it-mounts", SH(
                "\"echo x > /dev/null && head -c 8 /dev/urandom | wc -c && head -c 4 /dev/zero | wc -c &&"
                " echo shm > /dev/shm/a && cat /dev/shm/a && echo tmp > /tmp/a && cat /tmp/a &&"
                " test -c /dev/pts/ptmx && test -L /dev/ptmx && grep -c ^Name: /proc/self/status &&"
                " grep ' /proc ' /proc/mounts\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_msg(strstr(o.out, "8\n4\nshm\ntmp\n1\n") == o.out, "%s", o.out);
        ck_assert_msg(strstr(o.out, "nosuid,nodev,noexec"), "%s", o.out);
        outcome_free(&o);
}
END_TEST

START_TEST(env_is_exactly_the_spec)
{
        setenv("CONGO_LEAK_CHECK", "leaked", 1);
        struct outcome o = harness_run_spec("it-env", "env:\n  PATH: /bin\n  FOO: \"bar baz\"\n" SH("\"env | sort\""));
        ck_assert_int_eq(o.status, 0);
        /* sh adds PWD and SHLVL of its own; nothing from the launcher. */
        ck_assert_str_eq(o.out, "FOO=bar baz\nHOME=/root\nPATH=/bin\nPWD=/\nSHLVL=1\n");
        outcome_free(&o);
}
END_TEST

START_TEST(cwd_and_user)
{
        struct outcome o = harness_run_spec("it-user", "cwd: /tmp\nuser: \"1000:2000\"\n" SH("\"pwd; id -u; id -g\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "/tmp\n1000\n2000\n");
        outcome_free(&o);
}
END_TEST

START_TEST(readonly_bind_and_rootfs)
{
        char body[2048], data[300];
        snprintf(data, sizeof data, "%s/data", harness_tmp());
        mkdir(data, 0755);
        snprintf(body, sizeof body,
                 "readonly_rootfs: true\n"
                 "mounts:\n  - {type: bind, source: %s, target: /data, options: [ro]}\n"
                 "  - {type: bind, source: %s, target: /rw}\n"
                 "  - {type: tmpfs, target: /scratch, options: [size=1m]}\n"
                 SH("\"touch /data/x 2>/dev/null && echo data-writable; touch /rootfile 2>/dev/null && echo root-writable;"
                    " touch /rw/ok && echo rw-ok; touch /scratch/ok && echo scratch-ok; touch /tmp/ok && echo tmp-ok\""),
                 data, data);
        struct outcome o = harness_run_spec("it-ro", body);
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "rw-ok\nscratch-ok\ntmp-ok\n");
        outcome_free(&o);
        char ok[600];
        snprintf(ok, sizeof ok, "%s/ok", data);
        ck_assert_int_eq(access(ok, F_OK), 0);   /* the rw bind reached the host dir */
}
END_TEST

START_TEST(exit_codes)
{
        struct outcome o = harness_run_spec("it-exit0", SH("\"true\""));
        ck_assert_int_eq(o.status, 0);
        outcome_free(&o);
        o = harness_run_spec("it-exit42", SH("\"exit 42\""));
        ck_assert_int_eq(o.status, 42);
        outcome_free(&o);
        o = harness_run_spec("it-exit127", "command: [/no/such/program]\n");
        ck_assert_int_eq(o.status, 127);
        ck_assert_msg(strstr(o.err, "congo-launch: exec: /no/such/program: No such file"), "%s", o.err);
        outcome_free(&o);
        o = harness_run_spec("it-exit127b", "command: [nosuchprogram]\n");
        ck_assert_int_eq(o.status, 127);
        ck_assert_msg(strstr(o.err, "nosuchprogram: command not found"), "%s", o.err);
        outcome_free(&o);
        o = harness_run_spec("it-exit126", "command: [/etc/passwd]\n");
        ck_assert_int_eq(o.status, 126);
        ck_assert_msg(strstr(o.err, "/etc/passwd: Permission denied"), "%s", o.err);
        outcome_free(&o);
        o = harness_run_spec("it-exit125", "limits: {memory: 12q}\n" SH("\"true\""));
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "limits.memory: \"12q\" is not a size"), "%s", o.err);
        outcome_free(&o);
        /* Not PID 1 (no pid namespace), so a signal kills it: 128+9. */
        o = harness_run_spec("it-exitsig", "namespaces: [uts, net, mount, ipc]\n" SH("\"kill -KILL $$\""));
        ck_assert_int_eq(o.status, 137);
        outcome_free(&o);
}
END_TEST

START_TEST(sigterm_reaches_trap)
{
        const char *spec = harness_spec("it-trap", SH("\"trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 0.05; done\""));
        const char *args[] = { spec, NULL };
        int fd, ws;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        kill(pid, SIGTERM);
        ck_assert(harness_wait_for(fd, "got-term", 5000));
        ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
        ck_assert(WIFEXITED(ws));
        ck_assert_int_eq(WEXITSTATUS(ws), 7);
        close(fd);
}
END_TEST

/* stop_timeout: a container that ignores the SIGTERM the launcher
 * forwards (systemctl stop) is SIGKILLed that much later, and the
 * launcher exits 137. */
START_TEST(stop_timeout_ends_what_ignores_sigterm)
{
        const char *spec = harness_spec("it-stop", "stop_timeout: 400ms\n"
                                        SH("\"trap 'echo ignored' TERM; echo ready; while :; do sleep 0.05; done\""));
        const char *args[] = { spec, NULL };
        int fd, ws;
        struct timespec a, b;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        clock_gettime(CLOCK_MONOTONIC, &a);
        kill(pid, SIGTERM);
        ck_assert(harness_wait_for(fd, "ignored", 5000));
        ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        ck_assert(WIFEXITED(ws));
        ck_assert_int_eq(WEXITSTATUS(ws), 137);
        ck_assert_msg(took >= 0.4 && took < 5, "SIGKILL %.3f s after SIGTERM, stop_timeout 400ms", took);
        close(fd);
        ck_assert_int_eq(congo_cgroups_left("it-stop-"), 0);
}
END_TEST

START_TEST(sigkill_of_launcher_kills_container_and_gc_cleans)
{
        /* A parent of its own: launchers of other suites running at the
         * same time collect stale cgroups under congo/, not here. */
        const char *spec = harness_spec("it-orphan", "cgroup_parent: congo/orphan-test\nlimits: {pids: 10}\n"
                                        SH("\"echo ready; exec sleep 1000\""));
        const char *args[] = { spec, NULL };
        int fd, ws;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        pid_t child = harness_first_child(pid);
        ck_assert_int_gt(child, 0);
        kill(pid, SIGKILL);
        waitpid(pid, &ws, 0);
        for (int i = 0; i < 50 && !harness_gone(child); i++)
                usleep(20000);
        ck_assert_msg(harness_gone(child), "container process %d survived its launcher", (int)child);
        close(fd);
        ck_assert_int_gt(congo_cgroups_left("orphan-test/it-orphan-"), 0);
        const char *gc[] = { "--gc", "--cgroup-parent", "congo/orphan-test", NULL };
        struct outcome o = harness_run(gc);
        ck_assert_int_eq(o.status, 0);
        outcome_free(&o);
        for (int i = 0; i < 100 && congo_cgroups_left("orphan-test/it-orphan-"); i++) {
                usleep(20000);
                o = harness_run(gc);
                outcome_free(&o);
        }
        ck_assert_int_eq(congo_cgroups_left("orphan-test/it-orphan-"), 0);
        char dir[128];
        for (const char *const *h = (const char *const[]){ "pids", "memory", "cpu", "cpuacct", "freezer", "devices", "", NULL }; *h; h++) {
                snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%scongo/orphan-test", *h, **h ? "/" : "");
                rmdir(dir);
        }
}
END_TEST

START_TEST(time_limit_ends_sleep)
{
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        struct outcome o = harness_run_spec("it-time", "limits: {time: 500ms}\ncommand: [sleep, \"100\"]\n");
        clock_gettime(CLOCK_MONOTONIC, &b);
        /* sleep, not PID 1, dies of the SIGTERM. */
        ck_assert_int_eq(o.status, 143);
        ck_assert_msg(strstr(o.err, "time limit of 500 ms reached"), "%s", o.err);
        ck_assert_int_lt(b.tv_sec - a.tv_sec, 2);
        ck_assert_int_eq(congo_cgroups_left("it-time-"), 0);
        outcome_free(&o);
        /* A command that ignores SIGTERM: SIGKILL after the grace period. */
        clock_gettime(CLOCK_MONOTONIC, &a);
        o = harness_run_spec("it-time2", "limits: {time: 500ms}\n" SH("\"trap '' TERM; sleep 100\""));
        clock_gettime(CLOCK_MONOTONIC, &b);
        ck_assert_int_eq(o.status, 137);
        ck_assert_msg(strstr(o.err, "outlived its grace period"), "%s", o.err);
        ck_assert_int_ge(b.tv_sec - a.tv_sec, 2);
        ck_assert_int_lt(b.tv_sec - a.tv_sec, 20);
        ck_assert_int_eq(congo_cgroups_left("it-time2-"), 0);
        outcome_free(&o);
}
END_TEST

START_TEST(host_mounts_and_hostname_unchanged)
{
        char *before = read_file("/proc/self/mountinfo");
        struct outcome o = harness_run_spec("it-same", "mounts: [{type: tmpfs, target: /x}]\n" SH("\"true\""));
        char *after = read_file("/proc/self/mountinfo");
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(before, after);
        free(before);
        free(after);
        outcome_free(&o);
}
END_TEST

START_TEST(seed_positional_form)
{
        const char *args[] = { "run", harness_rootfs(), "100", "64m", "1024", "A=1,B=two", "--",
                               "/bin/sh", "-c", "echo $A-$B; hostname", NULL };
        struct outcome o = harness_run(args);
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "1-two\ncongo\n");
        outcome_free(&o);
}
END_TEST

START_TEST(init_reaps_and_forwards)
{
        struct outcome o = harness_run_spec("it-init", "init: true\n" SH("\"echo $$; sh -c 'sleep 0.1 &' ; sleep 0.3; ps -o stat | grep -c Z; true\""));
        ck_assert_int_eq(o.status, 0);
        /* The command is not PID 1, and the orphaned sleep was reaped. */
        ck_assert_msg(strncmp(o.out, "1\n", 2) != 0, "%s", o.out);
        ck_assert_msg(strstr(o.out, "\n0\n") != NULL, "%s", o.out);
        outcome_free(&o);
        /* PID 1 is named for what it is, in ps and in /proc. */
        o = harness_run_spec("it-init-name", "init: true\n" SH("\"cat /proc/1/comm; ps -o pid,args | grep '^ *1 '\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "congo-init\n    1 congo-init\n");
        outcome_free(&o);
        o = harness_run_spec("it-init2", "init: true\n" SH("\"kill -TERM $$; sleep 1\""));
        ck_assert_int_eq(o.status, 143);
        outcome_free(&o);
}
END_TEST

START_TEST(pipes_work)
{
        struct outcome o = harness_run_spec("it-pipe", "terminal: false\n" SH("\"echo one; echo two >&2; echo three\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "one\nthree\n");
        ck_assert_str_eq(o.err, "two\n");
        outcome_free(&o);
}
END_TEST

START_TEST(terminal_gives_a_tty)
{
        struct outcome o = harness_run_spec("it-tty", "terminal: true\n" SH("\"test -t 0 && test -t 1 && tty; stty size\""));
        ck_assert_int_eq(o.status, 0);
        /* Its own pty, from its own /dev/pts; 24x80 when we have none. */
        ck_assert_str_eq(o.out, "/dev/pts/0\r\n24 80\r\n");
        outcome_free(&o);
}
END_TEST

START_TEST(nothing_left_behind)
{
        char *mounts_before = read_file("/proc/self/mountinfo");
        for (int i = 0; i < 100; i++) {
                struct outcome o = harness_run_spec("it-many", "limits: {pids: 20, memory: 32M, cpu_shares: 100, cpus: 0.5}\n" SH("\"true\""));
                ck_assert_int_eq(o.status, 0);
                outcome_free(&o);
        }
        ck_assert_int_eq(congo_cgroups_left("it-"), 0);
        char *mounts_after = read_file("/proc/self/mountinfo");
        ck_assert_str_eq(mounts_before, mounts_after);
        free(mounts_before);
        free(mounts_after);
}
END_TEST


/* ---- cgroups (v1 or hybrid host here; v2 where the host has it) ------ */

static bool v1_host(void)
{
        return access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) == 0;
}

static bool kernel_at_least(int major, int minor)
{
        struct utsname u;
        int ma = 0, mi = 0;

        uname(&u);
        sscanf(u.release, "%d.%d", &ma, &mi);
        return ma > major || (ma == major && mi >= minor);
}

START_TEST(pids_limit_stops_fork_loop)
{
        struct outcome o = harness_run_spec("it-pids", "limits: {pids: 10}\n"
                SH("\"sh -c 'for i in $(seq 1 30); do sleep 2 & echo started; done'; true\""));
        /* Ten pids in all: the two shells take two of them. */
        int sleeps = count_lines(o.out, "started");
        ck_assert_msg(sleeps >= 1 && sleeps <= 8, "sleeps started: %d (%s)", sleeps, o.err);
        ck_assert_msg(strstr(o.err, "can't fork"), "%s", o.err);
        ck_assert_int_eq(congo_cgroups_left("it-pids-"), 0);
        outcome_free(&o);
}
END_TEST

START_TEST(memory_limit_oom_kills)
{
        const char *big = harness_spec("it-oom", "limits: {memory: 32M}\n"
                                       "command: [dd, \"if=/dev/zero\", \"of=/dev/null\", \"bs=128M\", \"count=1\"]\n");
        const char *args[] = { "--stats", big, NULL };
        struct outcome o = harness_run(args);
        ck_assert_int_eq(o.status, 137);
        ck_assert_msg(strstr(o.err, "congo-launch: container killed by the OOM killer (memory limit 32 MiB)"), "%s", o.err);
        ck_assert_msg(strstr(o.err, "\"oom_killed\": true"), "%s", o.err);
        outcome_free(&o);

        o = harness_run_spec("it-oom-ok", "limits: {memory: 32M}\n"
                     "command: [dd, \"if=/dev/zero\", \"of=/dev/null\", \"bs=8M\", \"count=2\"]\n");
        ck_assert_int_eq(o.status, 0);
        ck_assert_ptr_null(strstr(o.err, "OOM"));
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("it-oom"), 0);
}
END_TEST

START_TEST(cgroup_files_hold_spec_values)
{
        const char *spec = harness_spec("it-values", "limits: {pids: 33, memory: 48M, cpu_shares: 300, cpus: 0.5}\n"
                                        SH("\"echo ready; exec sleep 1000\""));
        const char *args[] = { spec, NULL };
        int fd;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        char path[256];
        #define CG(ctl, file) (snprintf(path, sizeof path, "/sys/fs/cgroup/%s/congo/it-values-%d/%s", ctl, (int)pid, file), read_file(path))
        if (v1_host()) {
                char *v;
                ck_assert_str_eq((v = CG("pids", "pids.max")), "33\n"); free(v);
                ck_assert_str_eq((v = CG("memory", "memory.limit_in_bytes")), "50331648\n"); free(v);
                ck_assert_str_eq((v = CG("cpu", "cpu.shares")), "300\n"); free(v);
                ck_assert_str_eq((v = CG("cpu", "cpu.cfs_quota_us")), "50000\n"); free(v);
                ck_assert_str_eq((v = CG("cpu", "cpu.cfs_period_us")), "100000\n"); free(v);
                /* The container really is in it. */
                v = CG("pids", "cgroup.procs");
                ck_assert_int_eq(atoi(v), harness_first_child(pid));
                free(v);
        } else {
                char *v;
                ck_assert_str_eq((v = CG("", "pids.max")), "33\n"); free(v);
                ck_assert_str_eq((v = CG("", "memory.max")), "50331648\n"); free(v);
                ck_assert_str_eq((v = CG("", "cpu.weight")), "12\n"); free(v);
                ck_assert_str_eq((v = CG("", "cpu.max")), "50000 100000\n"); free(v);
                /* The limit is RAM only: no escape into swap, where the
                 * kernel accounts swap at all. */
                if ((v = CG("", "memory.swap.max")) != NULL)
                        ck_assert_str_eq(v, "0\n");
                else
                        printf("cgroup_files_hold_spec_values: no memory.swap.max (no swap accounting)\n");
                free(v);
                /* Born there (clone3 CLONE_INTO_CGROUP), and alone there. */
                char want[128], proc[64];
                snprintf(want, sizeof want, "0::/congo/it-values-%d\n", (int)pid);
                snprintf(proc, sizeof proc, "/proc/%d/cgroup", (int)harness_first_child(pid));
                ck_assert_str_eq((v = read_file(proc)), want); free(v);
                v = CG("", "cgroup.procs");
                ck_assert_int_eq(atoi(v), harness_first_child(pid));
                free(v);
        }
        harness_kill(pid, fd);   /* the launcher goes, and takes the container along */
        ck_assert_int_eq(harness_gc("it-values-"), 0);
}
END_TEST

START_TEST(stats_json)
{
        char stats[512];
        snprintf(stats, sizeof stats, "--stats=%s/stats.json", harness_tmp());
        const char *spec = harness_spec("it-stats", "limits: {memory: 64M}\n"
                                        "command: [dd, \"if=/dev/zero\", \"of=/dev/null\", \"bs=16M\", \"count=4\"]\n");
        const char *args[] = { stats, spec, NULL };
        struct outcome o = harness_run(args);
        ck_assert_int_eq(o.status, 0);
        char *json = read_file(stats + strlen("--stats="));
        ck_assert_ptr_nonnull(json);
        long long peak = -1, wall = -1;
        char *p = strstr(json, "\"memory_peak_bytes\": ");
        ck_assert_ptr_nonnull(p);
        peak = atoll(p + strlen("\"memory_peak_bytes\": "));
        p = strstr(json, "\"wall_ms\": ");
        wall = atoll(p + strlen("\"wall_ms\": "));
        if (!v1_host() && !kernel_at_least(5, 19)) {
                /* v2 keeps memory.peak since Linux 5.19: none before. */
                printf("stats_json: no memory.peak before Linux 5.19\n");
                ck_assert_ptr_nonnull(strstr(json, "\"memory_peak_bytes\": null"));
        } else {
                ck_assert_msg(peak >= 16LL << 20 && peak <= 64LL << 20, "peak %lld: %s", peak, json);
        }
        ck_assert_msg(wall >= 0 && wall < 10000, "%s", json);
        ck_assert_ptr_nonnull(strstr(json, "\"exit_code\": 0, \"signal\": null"));
        ck_assert_ptr_nonnull(strstr(json, "\"oom_killed\": false"));
        ck_assert_ptr_nonnull(strstr(json, "\"cpu_user_ms\": "));
        free(json);
        outcome_free(&o);
}
END_TEST

/* A process the command left behind (no pid namespace, so its end does
 * not take the rest along) is killed when the launcher cleans up: by
 * cgroup.kill on v2 (5.14+), one by one on v1. */
START_TEST(leftover_processes_killed_at_exit)
{
        struct outcome o = harness_run_spec("it-leftover", "namespaces: [uts, net, mount, ipc]\n"
                                            SH("\"sleep 1000 >/dev/null 2>&1 & echo $!\""));
        ck_assert_int_eq(o.status, 0);
        pid_t left = (pid_t)atoi(o.out);
        ck_assert_int_gt(left, 0);
        for (int i = 0; i < 50 && !harness_gone(left); i++)
                usleep(20000);
        ck_assert_msg(harness_gone(left), "process %d outlived its container", (int)left);
        ck_assert_int_eq(congo_cgroups_left("it-leftover-"), 0);
        outcome_free(&o);
}
END_TEST

/* The v2 driver on this kernel's real cgroup2 mount (the "unified" one of
 * a hybrid host, or the only one of a v2 host), pointed there by a
 * mountinfo that lists only it: mkdir, clone3 into the cgroup, attach,
 * stats, cgroup.kill, rmdir.  No limits: a hybrid host's v2 mount has no
 * controllers to limit with. */
/* security.seccomp: {profile: FILE}: an OCI seccomp profile next to the
 * spec, compiled when the spec is read, loaded before exec; the blocked syscall fails with its errnoRet
 * (mkdir: 38, ENOSYS, "Function not implemented"), an argument comparison
 * picks the calls it names (sethostname of length 3: 39, ENOTEMPTY), and
 * everything else works.  Loaded after
 * no_new_privs, and before dropping CAP_SYS_ADMIN without it. */
START_TEST(seccomp_profile_from_a_file)
{
        harness_host_file("it-seccomp.json",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                " {\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
                " {\"names\": [\"sethostname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 39,"
                "  \"args\": [{\"index\": 1, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"}]}]}\n");
        static const char *const nnp[] = { "true", "false" };
        for (int i = 0; i < 2; i++) {
                char body[512];
                snprintf(body, sizeof body, "security: {no_new_privileges: %s, capabilities: "
                         "[CAP_SYS_ADMIN], seccomp: {profile: ./it-seccomp.json}}\n"
                         SH("\"echo in; mkdir /tmp/d; echo $?; hostname abc; echo $?; hostname abcd; "
                            "echo $?; hostname\""),
                         nnp[i]);
                struct outcome o = harness_run_spec("it-seccomp", body);
                ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
                ck_assert_str_eq(o.out, "in\n1\n1\n0\nabcd\n");
                ck_assert_str_eq(o.err, "mkdir: can't create directory '/tmp/d': Function not "
                                        "implemented\nhostname: sethostname: Directory not empty\n");
                outcome_free(&o);
        }
        /* A profile that does not compile is a spec error, before any container. */
        harness_host_file("it-seccomp-bad.json", "{\"defaultAction\": \"SCMP_ACT_NOPE\"}");
        struct outcome o = harness_run_spec("it-seccomp-bad", "security: {seccomp: {profile: "
                                            "it-seccomp-bad.json}}\n" SH("true"));
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "it-seccomp-bad.json: defaultAction: \"SCMP_ACT_NOPE\" is not "
                                    "an action") != NULL, "%s", o.err);
        ck_assert_int_eq(count_lines(o.err, ""), 1);
        outcome_free(&o);
}
END_TEST

/* podman's default profile (Debian's golang-github-containers-common) runs
 * an ordinary container: the shell and its applets work. */
START_TEST(seccomp_podman_profile)
{
        const char *path = "/usr/share/containers/seccomp.json";
        ck_assert_msg(access(path, R_OK) == 0,
                      "%s is missing: apt-get install golang-github-containers-common", path);
        struct outcome o = harness_run_spec("it-seccomp-podman", "security: {seccomp: {profile: "
                                            "/usr/share/containers/seccomp.json}}\n"
                                            SH("\"uname -s; ls / >/dev/null && echo ok\""));
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "Linux\nok\n");
        outcome_free(&o);
}
END_TEST

START_TEST(v2_driver_on_the_real_cgroup2_mount)
{
        char *all = read_file("/proc/self/mountinfo"), line[1024] = "";
        for (char *l = all; l && *l && !line[0]; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                snprintf(line, sizeof line, "%.*s\n", (int)strcspn(l, "\n"), l);
                if (!strstr(line, " - cgroup2 "))
                        line[0] = '\0';
        }
        free(all);
        ck_assert_msg(line[0], "no cgroup2 line in mountinfo, though main() found one");
        char mi[512], rel[64];
        snprintf(mi, sizeof mi, "%s/mountinfo-v2", harness_tmp());
        FILE *f = fopen(mi, "w");
        fputs(line, f);
        fclose(f);
        snprintf(rel, sizeof rel, "congo/it-v2-%d", (int)getpid());

        struct congo_error err = { 0 };
        struct congo_cgroup cg = { .driver = &congo_cgroup_v2, .mountinfo = mi };
        struct congo_cgroup_limits none = { 0 };
        ck_assert_msg(congo_cgroup_v2.create(&cg, rel, &none, &err) == 0, "%s", err.msg);
        int dirfd = open(cg.dirs[0].path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(dirfd, 0);

        /* Born inside: clone3(CLONE_INTO_CGROUP), as the pipeline does. */
        struct clone_args args = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD,
                                   .cgroup = (uint64_t)dirfd };
        pid_t born = (pid_t)syscall(SYS_clone3, &args, sizeof args);
        if (born == 0) {
                pause();
                _exit(0);
        }
        ck_assert_int_gt(born, 0);
        /* Moved in: the cgroup.procs fallback. */
        pid_t moved = fork();
        if (moved == 0) {
                pause();
                _exit(0);
        }
        ck_assert_int_eq(congo_cgroup_v2.attach(&cg, moved, &err), 0);
        char path[128], want[128];
        snprintf(want, sizeof want, "0::/%s\n", rel);
        for (int i = 0; i < 2; i++) {
                snprintf(path, sizeof path, "/proc/%d/cgroup", (int)(i ? moved : born));
                char *c = read_file(path);
                ck_assert_msg(strstr(c, want) != NULL, "%s", c);
                free(c);
        }
        struct congo_cgroup_stats st = { false, -1, -1, -1, -1 };
        congo_cgroup_v2.stats(&cg, true, &st);
        ck_assert_int_ge(st.cpu_user_us, 0);
        ck_assert(!st.oom_killed);

        ck_assert_msg(congo_cgroup_v2.destroy(&cg, &err) == 0, "%s", err.msg);
        int ws;
        ck_assert_int_eq(waitpid(born, &ws, 0), born);
        ck_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
        ck_assert_int_eq(waitpid(moved, &ws, 0), moved);
        ck_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
        ck_assert_int_ne(access(cg.dirs[0].path, F_OK), 0);
        close(dirfd);
        /* The congo parent this test made there, unless others use it. */
        *strrchr(cg.dirs[0].path, '/') = '\0';
        rmdir(cg.dirs[0].path);
        congo_cgroup_release(&cg);
}
END_TEST

/* As under systemd's Type=notify: READY=1 and MAINPID (the launcher) on
 * $NOTIFY_SOCKET while the container runs, the variable not passed into
 * the container, and SIGTERM to the launcher (systemctl stop) ends it. */
START_TEST(notify_socket_gets_ready_and_stays_outside)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char got[128] = "", want[64], out[8192] = "";
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), pipe_fd, ws;

        snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify.sock", harness_tmp());
        unlink(sa.sun_path);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        const char *spec = harness_spec("it-notify", "init: true\n" SH("\"env; echo started; exec sleep 30\""));
        setenv("NOTIFY_SOCKET", sa.sun_path, 1);
        pid_t pid = harness_start((const char *const[]){ spec, NULL }, &pipe_fd);
        unsetenv("NOTIFY_SOCKET");
        ck_assert_int_eq(poll(&(struct pollfd){ fd, POLLIN, 0 }, 1, 5000), 1);
        ck_assert_int_gt(recv(fd, got, sizeof got - 1, 0), 0);
        snprintf(want, sizeof want, "READY=1\nMAINPID=%d\n", (int)pid);
        ck_assert_str_eq(got, want);
        ck_assert_int_eq(waitpid(pid, &ws, WNOHANG), 0);   /* still running */
        /* What the container's env printed, up to "started". */
        size_t len = 0;
        while (strstr(out, "started") == NULL && len < sizeof out - 1 &&
               poll(&(struct pollfd){ pipe_fd, POLLIN, 0 }, 1, 5000) == 1) {
                ssize_t n = read(pipe_fd, out + len, sizeof out - 1 - len);
                if (n <= 0)
                        break;
                out[len += (size_t)n] = '\0';
        }
        ck_assert_msg(strstr(out, "started") && strstr(out, "PATH="), "%s", out);
        ck_assert_msg(strstr(out, "NOTIFY_SOCKET") == NULL, "%s", out);
        kill(pid, SIGTERM);
        ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
        ck_assert(WIFEXITED(ws));
        ck_assert_int_eq(WEXITSTATUS(ws), 128 + SIGTERM);
        close(pipe_fd);
        close(fd);
        unlink(sa.sun_path);
}
END_TEST

/* examples/compose/: two specs sharing a base, one with a drop-in, run as
 * they are (on the suite's rootfs, given with --set), and --print --origin
 * naming the file that set each value. */
START_TEST(composed_specs_run)
{
        const char *src = getenv("CONGO_SRCDIR") ? getenv("CONGO_SRCDIR") : ".";
        char web[512], worker[512], rootfs[400], line[600];
        snprintf(web, sizeof web, "%s/examples/compose/web.yaml", src);
        snprintf(worker, sizeof worker, "%s/examples/compose/worker.ini", src);
        snprintf(rootfs, sizeof rootfs, "rootfs=%s", harness_rootfs());

        const char *run_web[] = { "--set", rootfs, web, NULL };
        struct outcome o = harness_run(run_web);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        /* The drop-in's LOG_LEVEL, web's SITE and /run; base's /cache gone. */
        ck_assert_msg(strncmp(o.out, "debug example.org\n", 18) == 0, "%s", o.out);
        ck_assert_msg(strstr(o.out, " 16384 ") && strstr(o.out, "/run\n"), "%s", o.out);
        ck_assert_msg(strstr(o.out, "no /cache\n"), "%s", o.out);
        outcome_free(&o);

        const char *run_worker[] = { "--set", rootfs, worker, NULL };
        o = harness_run(run_worker);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_msg(strncmp(o.out, "worker unset\n256\n", 17) == 0, "%s", o.out);
        ck_assert_msg(strstr(o.out, " 4096 ") && strstr(o.out, "/cache\n"), "%s", o.out);
        outcome_free(&o);

        const char *print[] = { "--print", "--origin", "--set", rootfs, web, NULL };
        o = harness_run(print);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        snprintf(line, sizeof line, "  \"LOG_LEVEL\": \"debug\"  # %s.d/50-host.yaml:5\n", web);
        ck_assert_msg(strstr(o.out, line), "no %s in %s", line, o.out);
        snprintf(line, sizeof line, "  memory: 128M  # %s:16\n", web);
        ck_assert_msg(strstr(o.out, line), "no %s in %s", line, o.out);
        snprintf(line, sizeof line, "  no_new_privileges: true  # %s/examples/compose/base.yaml:20\n", src);
        ck_assert_msg(strstr(o.out, line), "no %s in %s", line, o.out);
        outcome_free(&o);
}
END_TEST

int main(void)
{
        harness_setup("integration");
        Suite *s = suite_create("integration");
        TCase *tc = tcase_create("containers");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, hostname_inside_not_outside);
        tcase_add_test(tc, command_is_pid2_under_the_launchers_pid1);
        tcase_add_test(tc, only_loopback_and_up);
        tcase_add_test(tc, host_files_unreachable);
        tcase_add_test(tc, default_mounts_work);
        tcase_add_test(tc, env_is_exactly_the_spec);
        tcase_add_test(tc, cwd_and_user);
        tcase_add_test(tc, readonly_bind_and_rootfs);
        tcase_add_test(tc, exit_codes);
        tcase_add_test(tc, sigterm_reaches_trap);
        tcase_add_test(tc, stop_timeout_ends_what_ignores_sigterm);
        tcase_add_test(tc, sigkill_of_launcher_kills_container_and_gc_cleans);
        tcase_add_test(tc, time_limit_ends_sleep);
        tcase_add_test(tc, host_mounts_and_hostname_unchanged);
        tcase_add_test(tc, seed_positional_form);
        tcase_add_test(tc, init_reaps_and_forwards);
        tcase_add_test(tc, pipes_work);
        tcase_add_test(tc, terminal_gives_a_tty);
        tcase_add_test(tc, nothing_left_behind);
        tcase_add_test(tc, pids_limit_stops_fork_loop);
        tcase_add_test(tc, memory_limit_oom_kills);
        tcase_add_test(tc, cgroup_files_hold_spec_values);
        tcase_add_test(tc, stats_json);
        tcase_add_test(tc, leftover_processes_killed_at_exit);
        if (harness_cgroup2_mount() != NULL)
                tcase_add_test(tc, v2_driver_on_the_real_cgroup2_mount);
        else
                printf("SKIP: v2_driver_on_the_real_cgroup2_mount: this host has no cgroup2 mount\n");
        tcase_add_test(tc, notify_socket_gets_ready_and_stays_outside);
        tcase_add_test(tc, seccomp_profile_from_a_file);
        tcase_add_test(tc, seccomp_podman_profile);
        tcase_add_test(tc, composed_specs_run);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
