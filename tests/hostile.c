/* hostile.c - a process running as root inside a default container tries
 * to get out; every attempt must fail.  Then: the security knobs read back
 * from /proc, each opt-out really opting out, user namespaces, rootless. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

#define SH(cmd) "command: [\"/bin/sh\", \"-c\", " cmd "]\n"

/* Runs the probe for one attempt in a default container; its verdict. */
static char *attempt(const char *check, const char *extra)
{
        char body[512];
        snprintf(body, sizeof body, "%scommand: [/bin/probe, %s]\n", extra ? extra : "", check);
        struct outcome o = harness_run_spec("hostile", body);
        ck_assert_msg(o.status == 0, "probe %s: status %d: %s", check, o.status, o.err);
        free(o.err);
        return o.out;
}

static void refused(const char *check, const char *extra, const char *want)
{
        char *verdict = attempt(check, extra);
        ck_assert_msg(strcmp(verdict, "ok\n") != 0, "%s succeeded inside a default container", check);
        ck_assert_msg(strncmp(verdict, want, strlen(want)) == 0, "%s: %s, expected %s", check, verdict, want);
        free(verdict);
}

START_TEST(syscalls_that_reach_out_are_refused)
{
        static const char *const checks[] = {
                "mount", "unshare-mount", "unshare-user", "clone-newuser", "setns",
                "mknod-block", "module", "personality", "keyctl", "bpf",
                "open_by_handle_at", "chroot-escape",
        };
        for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
                refused(checks[i], NULL, strcmp(checks[i], "chroot-escape") ? "EPERM" : "ENOENT");
        /* And with the shell tools a user would reach for. */
        struct outcome o = harness_run_spec("hostile-sh", SH(
                "\"mount -t tmpfs none /tmp 2>/dev/null && echo mounted;"
                " unshare -U true 2>/dev/null && echo unshared;"
                " nsenter -t 1 -m true 2>/dev/null && echo entered;"
                " echo 1 > /proc/sys/kernel/sysrq 2>/dev/null && echo sysctl-written;"
                " echo h > /proc/sysrq-trigger 2>/dev/null && echo sysrq;"
                " head -c 16 /proc/kcore 2>/dev/null | wc -c;"
                " echo done\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "0\ndone\n");
        outcome_free(&o);
}
END_TEST

START_TEST(ptrace_of_a_process_it_does_not_own)
{
        /* PID 1 runs as root; the probe, as uid 1000, tries to attach. */
        struct outcome o = harness_run_spec("hostile-ptrace", "init: true\nuser: \"1000:1000\"\n"
                                    "command: [/bin/probe, ptrace, \"1\"]\n");
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "EPERM\n");
        outcome_free(&o);
}
END_TEST

START_TEST(tiocsti_is_refused)
{
        char *v = attempt("tiocsti", "terminal: true\n");
        ck_assert_msg(strstr(v, "EPERM"), "%s", v);
        free(v);
        v = attempt("tiocsti-high", "terminal: true\n");
        ck_assert_msg(strstr(v, "EPERM"), "%s", v);
        free(v);
}
END_TEST

START_TEST(host_files_not_reachable_through_proc)
{
        char marker[512];
        snprintf(marker, sizeof marker, "%s", harness_host_file("host-secret", "secret\n"));
        struct outcome o = harness_run_spec("hostile-proc", SH(
                "\"cat /proc/1/root/../host-secret /proc/1/cwd/../../host-secret /proc/self/root/../../host-secret"
                " 2>/dev/null; ls -l /proc/1/exe 2>&1 | grep -c congo-launch; true\""));
        /* A launch that failed outright would show no secret either. */
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "0\n");
        outcome_free(&o);
        /* With init: true, PID 1 is the launcher's image: non-dumpable,
         * so its /proc/1/exe cannot be opened from inside. */
        o = harness_run_spec("hostile-exe", "init: true\nuser: \"0:0\"\n" SH("\"cat /proc/1/exe > /dev/null 2>&1 && echo opened; echo done\""));
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "done\n");
        outcome_free(&o);
        unlink(marker);
}
END_TEST

START_TEST(launcher_fds_are_not_inherited)
{
        char marker[512];
        snprintf(marker, sizeof marker, "%s", harness_host_file("fd-secret", "fd-secret\n"));
        int fd = open(marker, O_RDONLY);   /* no O_CLOEXEC: the launcher inherits it */
        ck_assert_int_ge(fd, 3);
        struct outcome o = harness_run_spec("hostile-fd", SH("\"ls /proc/self/fd | sort -n | tr '\\\\n' ' '\""));
        close(fd);
        /* 0 1 2, and the one ls opened to list the directory: an inherited
         * fd would have taken 3 and pushed ls's to 4. */
        ck_assert_str_eq(o.out, "0 1 2 3 ");
        outcome_free(&o);
        unlink(marker);
}
END_TEST

START_TEST(symlinks_cannot_redirect_mounts_or_cwd)
{
        char link[512], body[1024], hostpath[512];
        snprintf(link, sizeof link, "%s/evil", harness_rootfs());
        unlink(link);
        ck_assert_int_eq(symlink("/etc", link), 0);
        snprintf(link, sizeof link, "%s/evil-up", harness_rootfs());
        unlink(link);
        ck_assert_int_eq(symlink("../../../../../../../tmp", link), 0);
        snprintf(body, sizeof body,
                 "mounts:\n  - {type: tmpfs, target: /evil/congo-planted}\n"
                 "  - {type: tmpfs, target: /evil-up/congo-planted-up}\n"
                 "cwd: /evil\n" SH("\"pwd; ls -d /etc/congo-planted /tmp/congo-planted-up\""));
        struct outcome o = harness_run_spec("hostile-link", body);
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "/etc\n/etc/congo-planted\n/tmp/congo-planted-up\n");
        outcome_free(&o);
        /* Nothing was created on the host; all of it inside the rootfs. */
        ck_assert_int_ne(access("/etc/congo-planted", F_OK), 0);
        ck_assert_int_ne(access("/tmp/congo-planted-up", F_OK), 0);
        snprintf(hostpath, sizeof hostpath, "%s/etc/congo-planted", harness_rootfs());
        ck_assert_int_eq(access(hostpath, F_OK), 0);
        o = harness_run_spec("hostile-cwd", "cwd: /../../..\n" SH("\"pwd; test -x /bin/busybox && echo in-root\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(o.out, "/\nin-root\n");
        outcome_free(&o);
}
END_TEST

static char *status_field(const char *status, const char *field)
{
        static char value[64];
        const char *p = strstr(status, field);
        if (p == NULL)
                return NULL;
        sscanf(p + strlen(field), " %63s", value);
        return value;
}

START_TEST(default_security_reads_back)
{
        struct outcome o = harness_run_spec("sec-default", SH("\"cat /proc/self/status\""));
        ck_assert_int_eq(o.status, 0);
        /* CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
         * NET_BIND_SERVICE SYS_CHROOT SETFCAP */
        ck_assert_str_eq(status_field(o.out, "CapEff:"), "00000000800405fb");
        ck_assert_str_eq(status_field(o.out, "CapPrm:"), "00000000800405fb");
        ck_assert_str_eq(status_field(o.out, "CapInh:"), "00000000800405fb");
        ck_assert_str_eq(status_field(o.out, "CapBnd:"), "00000000800405fb");
        ck_assert_str_eq(status_field(o.out, "CapAmb:"), "0000000000000000");
        ck_assert_str_eq(status_field(o.out, "NoNewPrivs:"), "1");
        ck_assert_str_eq(status_field(o.out, "Seccomp:"), "2");
        outcome_free(&o);

        o = harness_run_spec("sec-kill", "security: {capabilities: [kill, CAP_CHOWN]}\n" SH("\"cat /proc/self/status\""));
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(status_field(o.out, "CapEff:"), "0000000000000021");
        ck_assert_str_eq(status_field(o.out, "CapBnd:"), "0000000000000021");
        outcome_free(&o);
}
END_TEST

START_TEST(opt_outs_opt_out)
{
        struct outcome o = harness_run_spec("sec-off", "security: {capabilities: [ALL], no_new_privileges: false, seccomp: unconfined}\n"
                                    SH("\"cat /proc/self/status; mount -t tmpfs none /mnt && echo mounted\""));
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(status_field(o.out, "NoNewPrivs:"), "0");
        ck_assert_str_eq(status_field(o.out, "Seccomp:"), "0");
        ck_assert_msg(strstr(o.out, "mounted\n"), "%s", o.err);
        outcome_free(&o);
        /* seccomp alone off: unshare is then up to capabilities. */
        o = harness_run_spec("sec-nnp", "security: {no_new_privileges: false}\n" SH("\"grep -E 'NoNewPrivs|Seccomp:' /proc/self/status\""));
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "NoNewPrivs:\t0\nSeccomp:\t2\n");
        outcome_free(&o);
}
END_TEST

START_TEST(user_namespace_root_is_unprivileged_outside)
{
        const char *spec = harness_spec("sec-userns", "namespaces: [uts, pid, net, mount, ipc, user]\n"
                                        "uid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n"
                                        SH("\"id -u; echo ready; exec sleep 1000\""));
        const char *args[] = { spec, NULL };
        int fd;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        char path[64];
        int child = harness_first_child(pid);
        snprintf(path, sizeof path, "/proc/%d/status", child);
        char *status = read_file(path);
        ck_assert_ptr_nonnull(strstr(status, "Uid:\t100000\t100000\t100000\t100000"));
        free(status);
        harness_kill(pid, fd);
        ck_assert_int_eq(harness_gc("sec-userns-"), 0);
}
END_TEST

/* Runs congo-launch SPEC as nobody, after moving itself into cgroup_dir
 * when one is given; all it printed, and its exit status.  The launcher
 * is the copy in the test's 0755 directory: nobody may not reach the
 * build tree (a clone under /root is 0700). */
static int run_as_nobody_opt(const char *cgroup_dir, const char *option, const char *spec,
                             char *buf, size_t size)
{
        int out[2];
        char procs[600];

        snprintf(procs, sizeof procs, "%s/cgroup.procs", cgroup_dir ? cgroup_dir : "");
        ck_assert_int_eq(pipe(out), 0);
        pid_t pid = fork();
        if (pid == 0) {
                dup2(out[1], 1);
                dup2(out[1], 2);
                FILE *f = cgroup_dir ? fopen(procs, "w") : NULL;
                if (cgroup_dir && (f == NULL || fprintf(f, "0\n") < 0 || fclose(f) != 0)) {
                        dprintf(1, "cannot join %s: %m\n", procs);
                        _exit(97);
                }
                if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
                    setresuid(65534, 65534, 65534) < 0) {
                        dprintf(1, "becoming nobody: %m\n");
                        _exit(99);
                }
                const char *launcher = harness_launcher_for_anyone();
                execl(launcher, "congo-launch", option ? option : spec,
                      option ? spec : NULL, (char *)NULL);
                dprintf(1, "nobody cannot execute %s: %m\n", launcher);
                _exit(98);
        }
        close(out[1]);
        return harness_collect(pid, out[0], buf, size);
}

static int run_as_nobody_in(const char *cgroup_dir, const char *spec, char *buf, size_t size)
{
        return run_as_nobody_opt(cgroup_dir, NULL, spec, buf, size);
}

/* Validation is the same for every caller; the launcher adapts the spec
 * to its caller: --print as nobody is --print as root, and --dry-run as
 * nobody shows the user namespace and nobody's maps that root's lacks. */
START_TEST(rootless_print_is_everyones_dry_run_is_the_callers)
{
        char buf[8192];
        const char *spec = harness_spec("rootless-print", SH("true"));
        const char *print[] = { "--print", spec, NULL }, *plan[] = { "--dry-run", spec, NULL };

        int status = run_as_nobody_opt(NULL, "--print", spec, buf, sizeof buf);
        ck_assert_msg(status == 0, "status %d: %s", status, buf);
        struct outcome o = harness_run(print);
        ck_assert_int_eq(o.status, 0);
        ck_assert_str_eq(buf, o.out);
        ck_assert_msg(strstr(buf, "namespaces: [uts, pid, net, mount, ipc]\n") != NULL, "%s", buf);
        ck_assert_msg(strstr(buf, "uid_map") == NULL, "%s", buf);
        outcome_free(&o);

        status = run_as_nobody_opt(NULL, "--dry-run", spec, buf, sizeof buf);
        ck_assert_msg(status == 0, "status %d: %s", status, buf);
        ck_assert_msg(strstr(buf, "namespaces: uts pid net mount ipc user\n") != NULL, "%s", buf);
        ck_assert_msg(strstr(buf, "uid_map: 0 65534 1\n") != NULL, "%s", buf);
        o = harness_run(plan);
        ck_assert_int_eq(o.status, 0);
        ck_assert_msg(strstr(o.out, "namespaces: uts pid net mount ipc\n") != NULL, "%s", o.out);
        ck_assert_msg(strstr(o.out, "uid_map") == NULL, "%s", o.out);
        outcome_free(&o);
}
END_TEST

START_TEST(rootless_run_as_nobody)
{
        /* A fresh unprivileged identity: nobody, with no setup at all. */
        char buf[4096];
        const char *spec = harness_spec("rootless", SH("\"id -u; hostname; echo $$\""));
        int status = run_as_nobody_in(NULL, spec, buf, sizeof buf);
        ck_assert_msg(status == 0, "status %d: %s", status, buf);
        ck_assert_msg(strstr(buf, "running rootless without a delegated cgroup") != NULL, "%s", buf);
        ck_assert_msg(strstr(buf, "0\nrootless\n2\n") != NULL, "%s", buf);
}
END_TEST

/* The delegated subtree of the test below; named after the suite's
 * process so that main() can remove it whatever the test did. */
static char deleg[600], deleg_parent[560];

static void remove_delegated_cgroup(void)
{
        char cmd[800];

        if (deleg[0] == '\0' || access(deleg, F_OK) != 0)
                return;
        snprintf(cmd, sizeof cmd, "find '%s' -depth -type d -exec rmdir {} +", deleg);
        if (system(cmd) != 0)
                fprintf(stderr, "could not remove %s\n", deleg);
        rmdir(deleg_parent);   /* unless other tests use it */
}

/* A cgroup v2 subtree delegated to an unprivileged user, as systemd does
 * for Delegate=yes: the directory and its cgroup.procs,
 * cgroup.subtree_control and cgroup.threads belong to the user. */
START_TEST(rootless_with_a_delegated_cgroup)
{
        const char *mp = harness_cgroup2_mount();
        char f[700], buf[8192], want[700];
        mkdir(deleg_parent, 0755);
        /* The memory controller handed down to the subtree where the
         * hierarchy has it (pure v2), as systemd does for Delegate=yes; a
         * hybrid host's empty cgroup2 has none, and the write fails. */
        for (const char *const *d = (const char *const[]){ mp, deleg_parent, NULL }; *d; d++) {
                snprintf(f, sizeof f, "%s/cgroup.subtree_control", *d);
                FILE *sc = fopen(f, "w");
                if (sc) {
                        fputs("+memory", sc);
                        fclose(sc);
                }
        }
        ck_assert_int_eq(mkdir(deleg, 0755), 0);
        ck_assert_int_eq(chown(deleg, 65534, 65534), 0);
        for (const char *const *n = (const char *const[]){ "cgroup.procs", "cgroup.subtree_control",
                                                           "cgroup.threads", NULL }; *n; n++) {
                snprintf(f, sizeof f, "%s/%s", deleg, *n);
                ck_assert_int_eq(chown(f, 65534, 65534), 0);
        }
        const char *spec = harness_spec("rootless-deleg", SH("\"cat /proc/self/cgroup | grep '^0::'\""));
        int status = run_as_nobody_in(deleg, spec, buf, sizeof buf);
        ck_assert_msg(status == 0, "status %d: %s", status, buf);
        ck_assert_ptr_null(strstr(buf, "without a delegated cgroup"));
        snprintf(want, sizeof want, "0::%s/congo/rootless-deleg-", deleg + strlen(mp));
        ck_assert_msg(strstr(buf, want) != NULL, "%s", buf);

        /* A limit whose controller is not delegated is an error, not
         * silently dropped; where it is, the limit is written. */
        snprintf(f, sizeof f, "%s/cgroup.controllers", deleg);
        char *controllers = read_file(f);
        bool has_memory = controllers && strstr(controllers, "memory");
        free(controllers);
        spec = harness_spec("rootless-limit", "limits: {memory: 32M}\n" SH("\"cat /sys/fs/cgroup/memory.max 2>/dev/null; true\""));
        status = run_as_nobody_in(deleg, spec, buf, sizeof buf);
        printf("rootless_with_a_delegated_cgroup: memory controller %sdelegated\n", has_memory ? "" : "not ");
        if (has_memory) {
                ck_assert_msg(status == 0, "status %d: %s", status, buf);
                /* ...and holds: more than 32M is an OOM kill, reported. */
                spec = harness_spec("rootless-oom", "limits: {memory: 32M}\n"
                                    "command: [dd, \"if=/dev/zero\", \"of=/dev/null\", \"bs=128M\", \"count=1\"]\n");
                status = run_as_nobody_in(deleg, spec, buf, sizeof buf);
                ck_assert_msg(status == 137, "status %d: %s", status, buf);
                ck_assert_msg(strstr(buf, "killed by the OOM killer (memory limit 32 MiB)"), "%s", buf);
        } else {
                ck_assert_int_eq(status, 125);
                ck_assert_msg(strstr(buf, "the memory controller is not available"), "%s", buf);
        }

        /* The subtree as we delegated it: no controller left enabled for
         * its children (on v2 that would lock its owner's processes out). */
        snprintf(f, sizeof f, "%s/cgroup.subtree_control", deleg);
        char *control = read_file(f);
        ck_assert_msg(control && control[strspn(control, "\n")] == '\0', "%s: %s", f, control);
        free(control);
        /* Nothing left in the delegated subtree but what we made. */
        snprintf(f, sizeof f, "find '%s' -mindepth 1 -type d | grep -v '/congo$' | wc -l", deleg);
        FILE *p = popen(f, "r");
        ck_assert_ptr_nonnull(fgets(buf, sizeof buf, p));
        pclose(p);
        ck_assert_str_eq(buf, "0\n");
}
END_TEST

int main(void)
{
        char cmd[1024];

        harness_setup("hostile");
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/bin/probe'", getenv("CONGO_PROBE"), harness_rootfs());
        if (system(cmd) != 0)
                return 99;
        Suite *s = suite_create("hostile");
        TCase *tc = tcase_create("escapes");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, syscalls_that_reach_out_are_refused);
        tcase_add_test(tc, ptrace_of_a_process_it_does_not_own);
        tcase_add_test(tc, tiocsti_is_refused);
        tcase_add_test(tc, host_files_not_reachable_through_proc);
        tcase_add_test(tc, launcher_fds_are_not_inherited);
        tcase_add_test(tc, symlinks_cannot_redirect_mounts_or_cwd);
        tcase_add_test(tc, default_security_reads_back);
        tcase_add_test(tc, opt_outs_opt_out);
        tcase_add_test(tc, user_namespace_root_is_unprivileged_outside);
        tcase_add_test(tc, rootless_run_as_nobody);
        tcase_add_test(tc, rootless_print_is_everyones_dry_run_is_the_callers);
        const char *mp = harness_cgroup2_mount();
        if (mp != NULL) {
                /* Under congo/, like every cgroup the tests make. */
                snprintf(deleg_parent, sizeof deleg_parent, "%s/congo", mp);
                snprintf(deleg, sizeof deleg, "%s/deleg-%d", deleg_parent, (int)getpid());
                tcase_add_test(tc, rootless_with_a_delegated_cgroup);
        } else {
                printf("SKIP: rootless_with_a_delegated_cgroup: no cgroup2 mount on this host\n");
        }
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        remove_delegated_cgroup();
        harness_teardown();
        return rc;
}
