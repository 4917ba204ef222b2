/* hostile_rootfs.c - a hostile image and a hostile neighbour against the
 * container's filesystem: symlinks where the default mounts go (the
 * core_pattern escape), symlinked mount targets, device nodes in the image
 * and in binds, relative sources and rootfs led out of the spec's
 * directory, and the defaults that bound /tmp and the number of tasks.
 *
 * Each shape either is refused (status 125, one exact line) or runs, and
 * then from inside no procfs in the mount table has a writable
 * core_pattern or an unmasked path (probe proc-hardened). */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

#define PROBE_HARDENED "command: [/bin/probe, proc-hardened]\n"

static void expect_refused(struct outcome *o, const char *target, const char *name, const char *link)
{
        char want[1024];

        snprintf(want, sizeof want, "congo-launch: rootfs: %s is a symlink in the image (%s -> %s); "
                 "refusing to mount over it\n", target, name, link);
        ck_assert_msg(o->status == 125, "%s -> %s: status %d, out %s, err %s", target, link,
                      o->status, o->out, o->err);
        ck_assert_str_eq(o->err, want);
        outcome_free(o);
}

static void expect_hardened(struct outcome *o, const char *what)
{
        ck_assert_msg(o->status == 0, "%s: status %d: %s", what, o->status, o->err);
        ck_assert_msg(strncmp(o->out, "hardened ", 9) == 0 && atoi(o->out + 9) >= 1,
                      "%s: %s", what, o->out);
        outcome_free(o);
}

/* The attack: proc -> /tmp/L, tmp/L -> /mnt/p, mnt/p empty.  The
 * old launcher mounted proc on /mnt/p, covered tmp/L with the /tmp tmpfs,
 * skipped every masking step, and /mnt/p/sys/kernel/core_pattern was
 * writable: a host root shell on the next crash. */
START_TEST(core_pattern_attack_is_refused)
{
        char *pattern = read_file("/proc/sys/kernel/core_pattern");
        char *mounts = read_file("/proc/self/mountinfo");
        const char *img = harness_image("attack", "rm -rf proc && ln -s /tmp/L proc && ln -s /mnt/p tmp/L && mkdir -p mnt/p");
        struct outcome o = harness_run_on("attack", img, PROBE_HARDENED);
        expect_refused(&o, "/proc", "proc", "/tmp/L");
        /* The same in a user namespace, and with a read-only root. */
        o = harness_run_on("attack-userns", img, "namespaces: [uts, pid, net, mount, ipc, user]\n"
                           "uid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n" PROBE_HARDENED);
        expect_refused(&o, "/proc", "proc", "/tmp/L");
        o = harness_run_on("attack-ro", img, "readonly_rootfs: true\n" PROBE_HARDENED);
        expect_refused(&o, "/proc", "proc", "/tmp/L");
        char *after = read_file("/proc/sys/kernel/core_pattern");
        ck_assert_str_eq(after, pattern);
        free(after);
        after = read_file("/proc/self/mountinfo");
        ck_assert_str_eq(after, mounts);
        free(after);
        free(mounts);
        free(pattern);
}
END_TEST

/* Every default mount point as an absolute, relative, chained, escaping
 * or dangling symlink, and through a directory the /tmp tmpfs covers. */
START_TEST(default_mount_points_as_symlinks)
{
        static const char *const points[] = { "proc", "sys", "dev", "tmp" };
        static const struct { const char *link, *extra; } shapes[] = {
                { "/mnt/p", "" },
                { "/tmp/L", "ln -s /mnt/p tmp/L &&" },           /* covered by /tmp later */
                { "mnt/p", "" },
                { "./mnt/../mnt/p", "" },
                { "c1", "ln -s c2 c1 && ln -s /mnt/p c2 &&" },   /* chained */
                { "../../../../../../etc", "" },                 /* out of the root */
                { "/nowhere", "" },                              /* dangling */
                { "/etc/passwd", "" },                           /* a file */
        };
        for (size_t p = 0; p < sizeof points / sizeof points[0]; p++)
                for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
                        char shape[512], target[16];
                        if (strcmp(points[p], "tmp") == 0 && strcmp(shapes[i].link, "/tmp/L") == 0)
                                continue;   /* tmp -> /tmp/L is a loop, not a shape */
                        snprintf(shape, sizeof shape, "rm -rf %s && mkdir -p mnt/p && %s ln -s %s %s",
                                 points[p], shapes[i].extra, shapes[i].link, points[p]);
                        snprintf(target, sizeof target, "/%s", points[p]);
                        const char *img = harness_image("shape", shape);
                        struct outcome o = harness_run_on("shape", img, PROBE_HARDENED);
                        expect_refused(&o, target, points[p], shapes[i].link);
                }
}
END_TEST

/* Under a real /dev of the image: our /dev tmpfs hides it, so its
 * symlinks lead nowhere; the container runs with the real things. */
START_TEST(symlinks_under_dev_are_covered)
{
        const char *img = harness_image("devlinks", "mkdir -p mnt/p dev && ln -s /mnt/p dev/pts && ln -s /tmp/L dev/shm && "
                                                    "ln -s /mnt/p tmp/L && ln -s ../proc dev/mqueue");
        struct outcome o = harness_run_on("devlinks", img,
                                          "command: [/bin/sh, -c, \"stat -f -c %T /dev/pts /dev/shm; /bin/probe proc-hardened\"]\n");
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_msg(strncmp(o.out, "devpts\ntmpfs\nhardened ", 22) == 0, "%s", o.out);
        outcome_free(&o);
}
END_TEST

/* Spec mount targets: a symlinked last component is refused by name;
 * intermediate symlinks resolve inside the root, and landing in /proc
 * never unmasks anything. */
START_TEST(spec_mount_targets)
{
        const char *img = harness_image("targets", "ln -s /proc data && ln -s /proc a && ln -s /etc/passwd f && "
                                                   "ln -s ../../../../tmp up && mkdir -p real && ln -s real/../../proc b");
        char img_path[512];
        snprintf(img_path, sizeof img_path, "%s", img);

        struct outcome o = harness_run_on("t-data", img_path, "mounts: [{type: tmpfs, target: /data}]\n" PROBE_HARDENED);
        expect_refused(&o, "/data", "data", "/proc");
        /* A symlink to a file, bound over by a file. */
        const char *host = harness_host_file("a-host-file", "host\n");
        char body[1024];
        snprintf(body, sizeof body, "mounts: [{type: bind, source: %s, target: /f}]\n" PROBE_HARDENED, host);
        o = harness_run_on("t-file", img_path, body);
        expect_refused(&o, "/f", "f", "/etc/passwd");
        /* The parent a symlink to /proc: the tmpfs lands on /proc/sys and
         * hides it; nothing becomes writable. */
        o = harness_run_on("t-procsys", img_path, "mounts: [{type: tmpfs, target: /a/sys}]\n" PROBE_HARDENED);
        expect_hardened(&o, "tmpfs on /a/sys, a -> /proc");
        o = harness_run_on("t-procsys2", img_path, "mounts: [{type: tmpfs, target: /b/sys/kernel}]\n" PROBE_HARDENED);
        expect_hardened(&o, "tmpfs on /b/sys/kernel, b -> real/../../proc");
        /* Nothing can be made inside procfs. */
        o = harness_run_on("t-procnew", img_path, "mounts: [{type: tmpfs, target: /a/new}]\n" PROBE_HARDENED);
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strncmp(o.err, "congo-launch: rootfs: creating /a/new inside the rootfs: ", 57) == 0, "%s", o.err);
        ck_assert_int_eq(count_lines(o.err, ""), 1);
        outcome_free(&o);
        /* ".." out of the root stays in it: /up/x is the container's /tmp/x. */
        o = harness_run_on("t-up", img_path, "mounts: [{type: tmpfs, target: /up/congo-up}]\n"
                                             "command: [/bin/sh, -c, \"stat -f -c %T /tmp/congo-up\"]\n");
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_str_eq(o.out, "tmpfs\n");
        outcome_free(&o);
        ck_assert_int_ne(access("/tmp/congo-up", F_OK), 0);
}
END_TEST

/* Device nodes shipped in the image or in a bind mount cannot be opened:
 * the rootfs and binds are nodev unless a mount says dev. */
START_TEST(device_nodes_outside_dev_are_dead)
{
        const char *img = harness_image("nodes", "mkdir -p nodes && mknod nodes/null c 1 3 && mknod nodes/kmsg c 1 11 && "
                                                 "mknod nodes/mem c 1 1");
        char img_path[512], dir[512], node[600], body[2048];
        snprintf(img_path, sizeof img_path, "%s", img);
        struct outcome o = harness_run_on("n-image", img_path,
                                          "command: [/bin/sh, -c, \"for n in null kmsg mem; do /bin/probe open /nodes/$n; done\"]\n");
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_str_eq(o.out, "EACCES\nEACCES\nEACCES\n");
        outcome_free(&o);

        snprintf(dir, sizeof dir, "%s/bind-nodes", harness_tmp());
        mkdir(dir, 0755);
        snprintf(node, sizeof node, "%s/null", dir);
        unlink(node);
        ck_assert_int_eq(mknod(node, S_IFCHR | 0666, makedev(1, 3)), 0);
        snprintf(body, sizeof body, "mounts: [{type: bind, source: %s, target: /b}, {type: tmpfs, target: /t}]\n"
                 "command: [/bin/sh, -c, \"/bin/probe open /b/null; mknod /t/null c 1 3 2>/dev/null; /bin/probe open /t/null\"]\n", dir);
        o = harness_run_on("n-bind", img_path, body);
        ck_assert_msg(o.status == 0, "%s", o.err);
        /* The tmpfs: mknod is refused without CAP_MKNOD, so ENOENT. */
        ck_assert_str_eq(o.out, "EACCES\nENOENT\n");
        outcome_free(&o);
        /* The dev option opts in, for the bind. */
        snprintf(body, sizeof body, "mounts: [{type: bind, source: %s, target: /b, options: [dev]}]\n"
                 "command: [/bin/probe, open, /b/null]\n", dir);
        o = harness_run_on("n-dev", img_path, body);
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_str_eq(o.out, "ok\n");
        outcome_free(&o);
        /* The container's own /dev still works. */
        o = harness_run_on("n-devnull", img_path, "command: [/bin/sh, -c, \"echo x > /dev/null && /bin/probe open /dev/zero\"]\n");
        ck_assert_str_eq(o.out, "ok\n");
        outcome_free(&o);
}
END_TEST

/* A spec in its own directory S with what a neighbour container could
 * have planted there. */
static char spec_dir[512];

static struct outcome run_in_dir(const char *name, const char *text)
{
        char path[700];
        snprintf(path, sizeof path, "%s/%s.yaml", spec_dir, name);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
        const char *args[] = { path, NULL };
        return harness_run(args);
}

static void make_spec_dir(void)
{
        char cmd[2048];
        snprintf(spec_dir, sizeof spec_dir, "%s/specdir", harness_tmp());
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/shared/real' && cd '%s' && "
                 "echo inside > shared/real/marker && ln -s / shared/data && ln -s real shared/in && "
                 "ln -s '%s' rootfs-out && cp -a '%s' rootfs && ln -s rootfs rootfs-in",
                 spec_dir, spec_dir, spec_dir, harness_rootfs(), harness_rootfs());
        ck_assert_int_eq(system(cmd), 0);
}

START_TEST(relative_paths_stay_beneath_the_spec)
{
        char want[2048], text[2048];
        make_spec_dir();
        /* shared/data -> / : another container's doing. */
        struct outcome o = run_in_dir("b-out", "version: 1\nrootfs: rootfs\n"
                                      "mounts: [{type: bind, source: shared/data, target: /data}]\ncommand: [/bin/ls, /data]\n");
        snprintf(want, sizeof want, "%s/b-out.yaml:3:31: mounts[0].source: \"shared/data\" leads out of %s "
                 "(a symlink or \"..\"); a relative path must stay beneath it\n", spec_dir, spec_dir);
        ck_assert_int_eq(o.status, 125);
        ck_assert_str_eq(o.err, want);
        ck_assert_str_eq(o.out, "");
        outcome_free(&o);
        o = run_in_dir("b-up", "version: 1\nrootfs: rootfs\n"
                       "mounts: [{type: bind, source: ../specdir/shared/real, target: /data}]\ncommand: [/bin/true]\n");
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "mounts[0].source: \"../specdir/shared/real\" leads out of"), "%s", o.err);
        outcome_free(&o);
        /* A symlink that stays beneath is fine. */
        o = run_in_dir("b-in", "version: 1\nrootfs: rootfs\n"
                       "mounts: [{type: bind, source: shared/in, target: /data}]\ncommand: [/bin/cat, /data/marker]\n");
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_str_eq(o.out, "inside\n");
        outcome_free(&o);
        /* An absolute source is the author's: its symlinks are followed. */
        snprintf(text, sizeof text, "version: 1\nrootfs: rootfs\n"
                 "mounts: [{type: bind, source: %s/shared/in, target: /data, options: [ro]}]\n"
                 "command: [/bin/cat, /data/marker]\n", spec_dir);
        o = run_in_dir("b-abs", text);
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_str_eq(o.out, "inside\n");
        outcome_free(&o);

        /* The rootfs: out through a symlink, out through "..", in. */
        o = run_in_dir("r-out", "version: 1\nrootfs: rootfs-out\ncommand: [/bin/true]\n");
        snprintf(want, sizeof want, "%s/r-out.yaml:2:9: rootfs: \"rootfs-out\" leads out of %s "
                 "(a symlink or \"..\"); a relative path must stay beneath it\n", spec_dir, spec_dir);
        ck_assert_int_eq(o.status, 125);
        ck_assert_str_eq(o.err, want);
        outcome_free(&o);
        o = run_in_dir("r-up", "version: 1\nrootfs: ../rootfs\ncommand: [/bin/true]\n");
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "rootfs: \"../rootfs\" leads out of"), "%s", o.err);
        outcome_free(&o);
        o = run_in_dir("r-in", "version: 1\nrootfs: ./rootfs-in\ncommand: [/bin/echo, ran]\n");
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_str_eq(o.out, "ran\n");
        outcome_free(&o);
}
END_TEST

/* The neighbour flips shared/data between a directory and a symlink to /
 * while containers start: each run sees the directory or is refused,
 * never the host's root. */
START_TEST(bind_source_swapped_while_starting)
{
        char cmd[1024];
        make_spec_dir();
        snprintf(cmd, sizeof cmd, "cd '%s/shared' && rm -f data && mkdir flip-dir && echo inside > flip-dir/marker && "
                 "ln -s flip-dir data", spec_dir);
        ck_assert_int_eq(system(cmd), 0);
        pid_t flipper = fork();
        if (flipper == 0) {
                char dir[700];
                snprintf(dir, sizeof dir, "%s/shared", spec_dir);
                if (chdir(dir) < 0 || symlink("/", "root-link") < 0)
                        _exit(1);
                for (;;) {
                        rename("data", "data-in");
                        rename("root-link", "data");
                        rename("data", "root-link");
                        rename("data-in", "data");
                }
        }
        int refused = 0, inside = 0, in_container = 0;
        for (int i = 0; i < 40; i++) {
                struct outcome o = run_in_dir("race", "version: 1\nrootfs: rootfs\n"
                                              "mounts: [{type: bind, source: shared/data, target: /data}]\n"
                                              "command: [/bin/sh, -c, \"cat /data/marker 2>/dev/null || ls /data\"]\n");
                if (o.status == 125) {
                        /* Out through the symlink, or caught mid-rename. */
                        ck_assert_msg(count_lines(o.err, "") == 1 &&
                                      (strstr(o.err, "mounts[0].source: \"shared/data\" leads out of ") ||
                                       strstr(o.err, "data\": No such file or directory\n")), "%s", o.err);
                        refused++;
                        in_container += strncmp(o.err, "congo-launch: rootfs: mounts[0].source: ", 40) == 0;
                } else if (o.status == 0 && strcmp(o.out, "inside\n") == 0)
                        inside++;
                else
                        ck_abort_msg("run %d: status %d, out %s, err %s", i, o.status, o.out, o.err);
                outcome_free(&o);
        }
        kill(flipper, SIGKILL);
        waitpid(flipper, NULL, 0);
        printf("bind_source_swapped_while_starting: %d refused (%d of them in the container), %d saw the directory\n",
               refused, in_container, inside);
        ck_assert_int_eq(refused + inside, 40);
}
END_TEST

/* /proc as something that is not a directory: nothing is mounted. */
START_TEST(default_mount_points_that_are_not_directories)
{
        static const char *const shapes[] = {
                "rm -rf proc && echo x > proc", "rm -rf proc && mkfifo proc",
                "rm -rf proc && mknod proc c 1 3", "rm -rf tmp && ln bin/busybox tmp",
        };
        for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
                const char *img = harness_image("notdir", shapes[i]);
                struct outcome o = harness_run_on("notdir", img, PROBE_HARDENED);
                ck_assert_msg(o.status == 125, "%s: %d %s", shapes[i], o.status, o.out);
                char want[128];
                snprintf(want, sizeof want, "congo-launch: rootfs: /%s in the image is not a directory; "
                         "refusing to mount over it\n", i < 3 ? "proc" : "tmp");
                ck_assert_str_eq(o.err, want);
                outcome_free(&o);
        }
}
END_TEST

/* The check after the spec's mounts: a bind that would make /proc/sys
 * writable again (here the host's own) is refused, not run. */
/* A bind whose source holds the rootfs, or goes through the image's proc
 * or sys directory (by path or by a symlink the image planted), with
 * "rw": the source is cloned before the container's /proc and /sys are
 * mounted, so it brings the image's empty directories, never a second,
 * writable view of the container's proc or sysfs. */
START_TEST(bind_sources_do_not_reach_the_containers_proc)
{
        static const char *const mounts[] = {
                "{type: bind, source: ., target: /work, options: [rw]}",
                "{type: bind, source: rootfs, target: /work, options: [rw]}",
                "{type: bind, source: rootfs/proc, target: /work, options: [rw]}",
                "{type: bind, source: rootfs/sys, target: /work, options: [rw]}",
                "{type: bind, source: rootfs/var/data, target: /work, options: [rw]}",
        };
        char text[2048];

        make_spec_dir();
        snprintf(text, sizeof text, "mkdir -p '%s/rootfs/var' && ln -s ../proc '%s/rootfs/var/data'",
                 spec_dir, spec_dir);
        ck_assert_int_eq(system(text), 0);
        for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++) {
                snprintf(text, sizeof text, "version: 1\nrootfs: rootfs\nmounts: [%s]\n" PROBE_HARDENED, mounts[i]);
                struct outcome o = run_in_dir("b-proc", text);
                expect_hardened(&o, mounts[i]);
        }
}
END_TEST

START_TEST(hardening_checked_after_spec_mounts)
{
        struct outcome o = harness_run_spec("undo-ro", "mounts: [{type: bind, source: /proc/sys, target: /proc/sys}]\n"
                                            PROBE_HARDENED);
        ck_assert_int_eq(o.status, 125);
        ck_assert_str_eq(o.err, "congo-launch: rootfs: /proc/sys is writable after the mounts; it must stay read-only\n");
        outcome_free(&o);
        o = harness_run_spec("undo-mask", "mounts: [{type: bind, source: /proc/keys, target: /proc/keys}]\n"
                             PROBE_HARDENED);
        ck_assert_int_eq(o.status, 125);
        ck_assert_str_eq(o.err, "congo-launch: rootfs: /proc/keys is visible after the mounts; it must stay masked\n");
        outcome_free(&o);
        /* Hiding more is fine: a tmpfs over /proc/sys. */
        o = harness_run_spec("hide-more", "mounts: [{type: tmpfs, target: /proc/sys}]\n" PROBE_HARDENED);
        expect_hardened(&o, "tmpfs over /proc/sys");
}
END_TEST

/* A neighbour flips the image's /proc between a directory and the
 * attack's symlink while containers start: each run is refused or has
 * its proc hardened, never a writable core_pattern. */
START_TEST(proc_swapped_while_starting)
{
        char img[512];
        snprintf(img, sizeof img, "%s", harness_image("flip", "mkdir -p mnt/p flip && ln -s /mnt/p tmp/L && ln -s /tmp/L proc-link"));
        pid_t flipper = fork();
        if (flipper == 0) {
                if (chdir(img) < 0)
                        _exit(1);
                for (;;) {
                        rename("proc", "proc-dir");
                        rename("proc-link", "proc");
                        rename("proc", "proc-link");
                        rename("proc-dir", "proc");
                }
        }
        int refused = 0, ran = 0;
        for (int i = 0; i < 40; i++) {
                struct outcome o = harness_run_on("flip", img, PROBE_HARDENED);
                if (o.status == 125) {
                        /* Refused by name, or caught mid-rename: a
                         * rename over the mount point detaches the proc
                         * mount (6.1), and hardening it then fails:
                         * closed, whichever step it reached. */
                        ck_assert_msg(count_lines(o.err, "") == 1 &&
                                      strncmp(o.err, "congo-launch: rootfs: ", 22) == 0 &&
                                      strstr(o.err, "/proc"), "%s", o.err);
                        refused++;
                } else {
                        /* Renamed over, the proc mount is detached
                         * with all it holds: none is left to write. */
                        ck_assert_msg(o.status == 0 && (strncmp(o.out, "hardened ", 9) == 0 ||
                                                        strcmp(o.out, "no procfs anywhere\n") == 0),
                                      "run %d: status %d, out %s, err %s", i, o.status, o.out, o.err);
                        ran++;
                }
                outcome_free(&o);
        }
        kill(flipper, SIGKILL);
        waitpid(flipper, NULL, 0);
        printf("proc_swapped_while_starting: %d refused, %d ran hardened\n", refused, ran);
}
END_TEST

/* Defaults that bound a spec that says nothing: pids 2048, /tmp 64M. */
START_TEST(default_bounds)
{
        const char *spec = harness_spec("bounds", "command: [/bin/true]\n");
        const char *args[] = { "--print", spec, NULL };
        struct outcome o = harness_run(args);
        ck_assert_int_eq(o.status, 0);
        ck_assert_msg(strstr(o.out, "\nlimits:\n  pids: 2048\n  tmp: 64M\nsecurity:"), "%s", o.out);
        outcome_free(&o);
        o = harness_run_spec("bounds-tmp", "command: [/bin/sh, -c, \"grep ' /tmp ' /proc/self/mounts\"]\n");
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_msg(strstr(o.out, "size=65536k"), "%s", o.out);
        outcome_free(&o);
        /* Past the size: ENOSPC, not the host's memory. */
        o = harness_run_spec("bounds-fill", "limits: {tmp: 2M}\n"
                             "command: [/bin/sh, -c, \"dd if=/dev/zero of=/tmp/f bs=1M count=8 2>/dev/null; echo $?; du -k /tmp/f\"]\n");
        ck_assert_msg(o.status == 0, "%s", o.err);
        ck_assert_str_eq(o.out, "1\n2048\t/tmp/f\n");
        outcome_free(&o);
}
END_TEST

int main(void)
{
        char cmd[1024];

        harness_setup("hostile-rootfs");
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/bin/probe'", getenv("CONGO_PROBE"), harness_rootfs());
        if (system(cmd) != 0)
                return 99;
        Suite *s = suite_create("hostile_rootfs");
        TCase *tc = tcase_create("rootfs");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, core_pattern_attack_is_refused);
        tcase_add_test(tc, default_mount_points_as_symlinks);
        tcase_add_test(tc, default_mount_points_that_are_not_directories);
        tcase_add_test(tc, hardening_checked_after_spec_mounts);
        tcase_add_test(tc, bind_sources_do_not_reach_the_containers_proc);
        tcase_add_test(tc, proc_swapped_while_starting);
        tcase_add_test(tc, symlinks_under_dev_are_covered);
        tcase_add_test(tc, spec_mount_targets);
        tcase_add_test(tc, device_nodes_outside_dev_are_dead);
        tcase_add_test(tc, relative_paths_stay_beneath_the_spec);
        tcase_add_test(tc, bind_source_swapped_while_starting);
        tcase_add_test(tc, default_bounds);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
