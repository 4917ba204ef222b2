/* faults.c - things going wrong: each gets its documented exit status and
 * one clear line, and leaves nothing behind. */
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

static char *mounts_before;

static void snapshot(void)
{
        mounts_before = read_file("/proc/self/mountinfo");
}

/* Nothing left: no cgroup of ours, the host's mounts as they were. */
static void nothing_left(const char *prefix)
{
        char *after = read_file("/proc/self/mountinfo");
        ck_assert_str_eq(mounts_before, after);
        free(after);
        free(mounts_before);
        ck_assert_int_eq(harness_gc(prefix), 0);
}

/* Exactly one line on stderr, containing what. */
static void one_line(const struct outcome *o, const char *what)
{
        ck_assert_msg(strstr(o->err, what) != NULL, "expected \"%s\" in: %s", what, o->err);
        ck_assert_msg(strchr(o->err, '\n') == o->err + strlen(o->err) - 1, "more than one line: %s", o->err);
}

static struct outcome run_raw(const char *name, const char *text)
{
        char file[128];
        snprintf(file, sizeof file, "%s.yaml", name);
        const char *args[] = { harness_host_file(file, text), NULL };
        return harness_run(args);
}

START_TEST(rootfs_missing_file_or_unreadable)
{
        char text[2048];
        snapshot();
        snprintf(text, sizeof text, "version: 1\nrootfs: %s/no-such-dir\ncommand: [/bin/true]\n", harness_tmp());
        struct outcome o = run_raw("fault-missing", text);
        ck_assert_int_eq(o.status, 125);
        one_line(&o, "fault-missing.yaml:2:9: rootfs: ");
        one_line(&o, "no-such-dir\": No such file or directory");
        outcome_free(&o);

        char file[512];
        snprintf(file, sizeof file, "%s/a-file", harness_tmp());
        fclose(fopen(file, "w"));
        snprintf(text, sizeof text, "version: 1\nrootfs: %s\ncommand: [/bin/true]\n", file);
        o = run_raw("fault-file", text);
        ck_assert_int_eq(o.status, 125);
        one_line(&o, "is not a directory");
        outcome_free(&o);

        /* Unreadable to the container's (mapped, unprivileged) root. */
        char locked[512];
        snprintf(locked, sizeof locked, "%s/locked", harness_tmp());
        mkdir(locked, 0700);
        snprintf(text, sizeof text, "mkdir -p '%s/root' && cp -a '%s/.' '%s/root/'", locked, harness_rootfs(), locked);
        ck_assert_int_eq(system(text), 0);
        snprintf(text, sizeof text, "version: 1\nrootfs: %s/root\nnamespaces: [uts, pid, net, mount, ipc, user]\n"
                                    "uid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\ncommand: [/bin/true]\n", locked);
        o = run_raw("fault-unreadable", text);
        ck_assert_int_eq(o.status, 125);
        one_line(&o, "congo-launch: rootfs: binding");
        one_line(&o, "Permission denied");
        outcome_free(&o);
        nothing_left("fault-");
}
END_TEST

START_TEST(mount_source_vanished)
{
        char text[2048], src[512];
        snapshot();
        snprintf(src, sizeof src, "%s/gone", harness_tmp());
        mkdir(src, 0755);
        snprintf(text, sizeof text, "mounts: [{type: bind, source: %s, target: /gone}]\ncommand: [/bin/true]\n", src);
        const char *spec = harness_spec("fault-gone", text);
        rmdir(src);   /* after the spec was written, before it runs */
        const char *args[] = { spec, NULL };
        struct outcome o = harness_run(args);
        ck_assert_int_eq(o.status, 125);
        one_line(&o, "mounts[0].source: ");
        one_line(&o, "gone\": No such file or directory");
        outcome_free(&o);
        nothing_left("fault-");
}
END_TEST

START_TEST(full_tmp)
{
        snapshot();
        /* A 1 MiB /tmp: the command sees ENOSPC and says so; congo reports
         * its status and cleans up as usual. */
        struct outcome o = harness_run_spec("fault-full", "mounts: [{type: tmpfs, target: /tmp, options: [size=1m]}]\n"
                                            "command: [dd, \"if=/dev/zero\", \"of=/tmp/fill\", \"bs=64k\", \"count=64\"]\n");
        ck_assert_int_eq(o.status, 1);
        ck_assert_msg(strstr(o.err, "No space left on device"), "%s", o.err);
        outcome_free(&o);
        nothing_left("fault-");
}
END_TEST

START_TEST(segfault_is_139)
{
        snapshot();
        struct outcome o = harness_run_spec("fault-segv", "init: true\ncommand: [/bin/sh, -c, \"kill -SEGV $$\"]\n");
        ck_assert_int_eq(o.status, 139);
        outcome_free(&o);
        nothing_left("fault-");
}
END_TEST

START_TEST(launcher_killed_mid_run)
{
        snapshot();
        const char *spec = harness_spec("fault-kill", "limits: {pids: 10}\n"
                                        "command: [/bin/sh, -c, \"sleep 100 & sleep 100 & echo ready; wait\"]\n");
        const char *args[] = { spec, NULL };
        int fd;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        char path[128];
        snprintf(path, sizeof path, "/sys/fs/cgroup/pids/congo/fault-kill-%d/cgroup.procs", (int)pid);
        char *procs = read_file(path);
        if (procs == NULL) {   /* v2 host */
                snprintf(path, sizeof path, "/sys/fs/cgroup/congo/fault-kill-%d/cgroup.procs", (int)pid);
                procs = read_file(path);
        }
        ck_assert_ptr_nonnull(procs);
        harness_kill(pid, fd);
        nothing_left("fault-kill-");
        /* Every process that was in the container is gone. */
        for (char *p = procs; *p;) {
                char *end;
                long q = strtol(p, &end, 10);
                if (end == p)
                        break;
                ck_assert_msg(harness_gone((pid_t)q), "process %ld survived", q);
                p = end + 1;
        }
        free(procs);
}
END_TEST

/* A host (or a chroot) with no cgroup hierarchy at all: a spec without
 * limits runs, with a warning; one with limits is refused. */
START_TEST(no_cgroups_at_all)
{
        char cmd[2048], out[4096];
        const char *plain = harness_spec("fault-nocg", "command: [/bin/sh, -c, \"echo ran\"]\n");
        char plain_path[512];
        snprintf(plain_path, sizeof plain_path, "%s", plain);
        const char *limited = harness_spec("fault-nocg-limits", "limits: {pids: 10}\ncommand: [/bin/true]\n");
        /* umount -l detaches the hierarchies below a v1 host's tmpfs too
         * (busybox's umount, in the check-vm VM, has no -R). */
        snprintf(cmd, sizeof cmd,
                 "unshare --mount --propagation private sh -c 'umount -l /sys/fs/cgroup &&"
                 " %s %s; echo status=$?; %s %s; echo status=$?' 2>&1",
                 getenv("CONGO_LAUNCH"), plain_path, getenv("CONGO_LAUNCH"), limited);
        FILE *p = popen(cmd, "r");
        size_t n = fread(out, 1, sizeof out - 1, p);
        out[n] = '\0';
        pclose(p);
        ck_assert_msg(strstr(out, "congo-launch: cgroups: no cgroup hierarchy is mounted under /sys/fs/cgroup: "
                                  "running without a cgroup (the spec sets no cgroup limit), so without a device allowlist\n"), "%s", out);
        ck_assert_msg(strstr(out, "ran\nstatus=0\n"), "%s", out);
        ck_assert_msg(strstr(out, "congo-launch: cgroups: no cgroup hierarchy is mounted under /sys/fs/cgroup, "
                                  "and the spec sets cgroup limits\nstatus=125\n"), "%s", out);
}
END_TEST

START_TEST(bad_inputs_on_the_command_line)
{
        const char *missing[] = { "/nonexistent/spec.yaml", NULL };
        struct outcome o = harness_run(missing);
        ck_assert_int_eq(o.status, 125);
        one_line(&o, "/nonexistent/spec.yaml: cannot read the spec: No such file or directory");
        outcome_free(&o);
        /* Each mode's status for the same bad spec, as congo-launch(1)
         * says: --check answers a question (1); the others, 125. */
        const char *bad = harness_spec("fault-modes", "comand: [/bin/true]\n");
        static const struct { const char *mode; int status; } modes[] = {
                { "--check", 1 }, { "--print", 125 }, { "--dry-run", 125 }, { NULL, 125 },
        };
        for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
                const char *args[] = { modes[i].mode ? modes[i].mode : bad, modes[i].mode ? bad : NULL, NULL };
                o = harness_run(args);
                ck_assert_msg(o.status == modes[i].status, "%s: status %d", modes[i].mode, o.status);
                ck_assert_int_eq(count_lines(o.err, "comand: unknown key; did you mean \"command\"?"), 1);
                ck_assert_int_eq(count_lines(o.err, "command: required key is missing"), 1);
                outcome_free(&o);
        }
        const char *check[] = { "--check", "/nonexistent/spec.yaml", NULL };
        o = harness_run(check);
        ck_assert_int_eq(o.status, 1);
        outcome_free(&o);
        const char *no_spec[] = { "--print", NULL };
        o = harness_run(no_spec);
        ck_assert_int_eq(o.status, 125);
        outcome_free(&o);
        const char *bad_set[] = { "--set", "limits.memory=lots", harness_spec("fault-set", "command: [/bin/true]\n"), NULL };
        o = harness_run(bad_set);
        ck_assert_int_eq(o.status, 125);
        one_line(&o, "--set: limits.memory: \"lots\" is not a size");
        outcome_free(&o);
        const char *seed[] = { "run", harness_rootfs(), "100", "512m", "1024", "-", NULL };
        o = harness_run(seed);
        ck_assert_int_eq(o.status, 125);
        one_line(&o, "run: no \"--\" after ENV (\"-\"): the command goes after it");
        outcome_free(&o);
}
END_TEST

int main(void)
{
        harness_setup("faults");
        Suite *s = suite_create("faults");
        TCase *tc = tcase_create("faults");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, rootfs_missing_file_or_unreadable);
        tcase_add_test(tc, mount_source_vanished);
        tcase_add_test(tc, full_tmp);
        tcase_add_test(tc, segfault_is_139);
        tcase_add_test(tc, launcher_killed_mid_run);
        tcase_add_test(tc, no_cgroups_at_all);
        tcase_add_test(tc, bad_inputs_on_the_command_line);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
