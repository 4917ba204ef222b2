/* hostile_oci.c - OCI bundles whose image is hostile, run as root on the
 * suite's busybox rootfs.  The operator trusts config.json, but the image
 * tool (umoci, podman, buildah) copies the image's own config into it:
 * Env, Cmd/Entrypoint, User, WorkingDir, Labels.  What a hostile image
 * writes there, and plants in its rootfs, must not reach the host nor make
 * congo misbehave. */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

/* A bundle NAME/config.json over the suite's rootfs: pid, mount, ipc and
 * uts namespaces, the command a shell script, cwd as given. */
static const char *write_bundle(const char *name, const char *cwd, const char *script)
{
        static char dir[512];
        char path[600];

        snprintf(dir, sizeof dir, "%s/%s", harness_tmp(), name);
        mkdir(dir, 0755);
        json_t *root = json_pack("{ss s{ss} s{s[sss] s[s] ss} s{s[{ss}{ss}{ss}{ss}]}}",
                                 "ociVersion", "1.0.2",
                                 "root", "path", harness_rootfs(),
                                 "process", "args", "/bin/sh", "-c", script,
                                 "env", "PATH=/bin:/usr/bin", "cwd", cwd,
                                 "linux", "namespaces", "type", "pid", "type", "mount",
                                 "type", "ipc", "type", "uts");
        ck_assert_ptr_nonnull(root);
        snprintf(path, sizeof path, "%s/config.json", dir);
        ck_assert_int_eq(json_dump_file(root, path, JSON_INDENT(2)), 0);
        json_decref(root);
        return dir;
}

static struct outcome run_bundle(const char *dir)
{
        const char *args[] = { dir, NULL };
        return harness_run(args);
}

/* A symlink planted in the image (the suite's rootfs); removed by the
 * caller with unplant(). */
static void plant(const char *name, const char *target)
{
        char link[512];

        snprintf(link, sizeof link, "%s/%s", harness_rootfs(), name);
        unlink(link);
        ck_assert_int_eq(symlink(target, link), 0);
}

static void unplant(const char *name)
{
        char link[512];

        snprintf(link, sizeof link, "%s/%s", harness_rootfs(), name);
        unlink(link);
}

/* WorkingDir through a magic link: runc's CVE-2024-21626.  chdir() after
 * the pivot followed /proc/self/fd/N to whatever the launcher still held
 * open there; where that is a host directory (the cgroup directory
 * clone3 starts the child in, on cgroup v2), ".." from it walks up the
 * host's tree to its /.  Each shape must be refused before the command
 * runs, whatever the fd is on this host; the command, if it ran, says
 * whether it reached the host (a file only the host's /tmp holds,
 * named relative to the cwd it climbed to: an absolute name would be
 * looked up from the container's root).  Before the fix, on cgroup v2
 * (the check-vm VM), fd 4 was the host's cgroup directory and
 * "cd ../../.." listed the host's /. */
START_TEST(cwd_through_magic_links_is_refused)
{
        static const char *const shapes[] = {
                "/proc/self/fd/3", "/proc/self/fd/4", "/proc/self/fd/5", "/proc/self/fd/6",
                "/proc/self/fd/7", "/proc/self/fd/8", "/proc/self/fd/9", "/proc/self/fd/10",
                "/proc/self/fd/11", "/proc/self/fd/12", "/proc/thread-self/fd/4",
                "/proc/self/cwd", "/proc/self/root", "/proc/1/root/proc/self/fd/4",
                "/hostile-oci-wd", "/hostile-oci-wd2", "/hostile-oci-wd3/x",
        };
        const char *marker = harness_host_file("hostile-oci-marker", "host\n");
        char script[1200];

        plant("hostile-oci-wd", "/proc/self/fd/4");                 /* absolute */
        plant("hostile-oci-wd2", "hostile-oci-wd");                  /* chained */
        plant("hostile-oci-wd3", "proc/self/fd/4/..");               /* relative, then .. */
        snprintf(script, sizeof script,
                 "cd ../../../../../../../../../..; test -e '%s' && echo ESCAPED; echo ran", marker + 1);
        /* Every shape first, then what failed: an escape is the finding
         * that matters, whichever fd it came through. */
        size_t n = sizeof shapes / sizeof shapes[0];
        struct outcome o[sizeof shapes / sizeof shapes[0]];
        for (size_t i = 0; i < n; i++)
                o[i] = run_bundle(write_bundle("oci-cwd", shapes[i], script));
        for (size_t i = 0; i < n; i++)
                ck_assert_msg(strstr(o[i].out, "ESCAPED") == NULL, "cwd %s reached the host: %s", shapes[i],
                              o[i].out);
        for (size_t i = 0; i < n; i++) {
                ck_assert_msg(o[i].status == 125, "cwd %s: status %d, out: %s err: %s", shapes[i],
                              o[i].status, o[i].out, o[i].err);
                ck_assert_str_eq(o[i].out, "");
                ck_assert_msg(strstr(o[i].err, "cwd: \"") != NULL && count_lines(o[i].err, "") == 1,
                              "cwd %s: err: %s", shapes[i], o[i].err);
                outcome_free(&o[i]);
        }
        unplant("hostile-oci-wd");
        unplant("hostile-oci-wd2");
        unplant("hostile-oci-wd3");
        ck_assert_int_eq(congo_cgroups_left("oci-cwd"), 0);
}
END_TEST

/* What must still work: a plain cwd, one through an ordinary symlink in
 * the image (resolved inside the root), and one with ".." past the root. */
START_TEST(cwd_through_plain_symlinks_stays_inside)
{
        static const char *const shapes[][2] = {
                { "/tmp", "/tmp" }, { "/hostile-oci-etc", "/etc" }, { "/../../../etc/..", "/" },
                { "/hostile-oci-up/etc", "/etc" },
        };

        plant("hostile-oci-etc", "/etc");
        plant("hostile-oci-up", "../../../../..");
        for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
                const char *dir = write_bundle("oci-cwd-ok", shapes[i][0],
                                               "pwd; test -x /bin/busybox && echo in-root");
                struct outcome o = run_bundle(dir);
                char want[64];
                snprintf(want, sizeof want, "%s\nin-root\n", shapes[i][1]);
                ck_assert_msg(o.status == 0, "cwd %s: status %d, err: %s", shapes[i][0], o.status, o.err);
                ck_assert_str_eq(o.out, want);
                outcome_free(&o);
        }
        unplant("hostile-oci-etc");
        unplant("hostile-oci-up");
}
END_TEST

int main(void)
{
        harness_setup("hostile-oci");
        Suite *s = suite_create("hostile_oci");
        TCase *tc = tcase_create("hostile_oci");

        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, cwd_through_magic_links_is_refused);
        tcase_add_test(tc, cwd_through_plain_symlinks_stays_inside);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
