/* unit_spec.c - the spec model and both front ends: every key's happy path
 * and errors with their exact positions, defaults, normalisation,
 * YAML/INI equivalence, print/parse round trips, --set, the seed form, and
 * hostile documents. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check_command.h"
#include "congo/parse.h"
#include "congo/spec.h"
#include "congo/util.h"
#include "run_suite.h"
#include "seccomp_profile.h"
#include "unit_helpers.h"

/* The shared helpers (unit_helpers.h) under this suite's short names. */
#define load(s, file, text, errors) unit_load(s, file, text, errors)
#define printed(file, text) unit_printed(file, text)
#define expect_error(file, text, message) unit_expect_error(file, text, message)

static int count_newlines(const char *s)
{
        int n = 0;
        for (; *s; s++)
                n += *s == '\n';
        return n;
}

#define BASE "version: 1\nrootfs: /\ncommand: [/bin/true]\n"

START_TEST(full_yaml_spec)
{
        const char *text =
                BASE
                "name: web\nreadonly_rootfs: true\nhostname: web-1\ndomainname: example\n"
                "cwd: /srv/../tmp\nuser: \"1000:100\"\ninit: true\nterminal: false\n"
                "env: {A: \"1\", B: two words}\n"
                "namespaces: [uts, pid, net, mount, ipc, cgroup]\n"
                "cgroup_parent: congo/tests\nnetwork: none\n"
                "mounts:\n  - {type: bind, source: /tmp, target: /data/, options: [ro, nosuid]}\n"
                "  - {type: tmpfs, target: /run, options: [size=16m, mode=755]}\n"
                "limits:\n  pids: 100\n  memory: 512M\n  cpu_shares: 1024\n  cpus: 1.5\n  time: 90s\n"
                "  rlimits: {nofile: 1024, core: \"0\", stack: \"8192:unlimited\"}\n"
                "security:\n  capabilities: [chown, CAP_KILL]\n  no_new_privileges: false\n  seccomp: unconfined\n";
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "/tmp/web.yaml", text, &errors), 0);
        free(errors);
        ck_assert_str_eq(s.name, "web");
        ck_assert(s.readonly_rootfs);
        ck_assert_str_eq(s.hostname, "web-1");
        ck_assert_str_eq(s.domainname, "example");
        ck_assert_str_eq(s.cwd, "/tmp");
        ck_assert_uint_eq(s.uid, 1000);
        ck_assert_uint_eq(s.gid, 100);
        ck_assert(s.init);
        ck_assert_int_eq(s.terminal, CONGO_TTY_OFF);
        ck_assert_uint_eq(s.n_env, 4);   /* A, B, and the PATH and HOME defaults */
        ck_assert_str_eq(s.env[1].value, "two words");
        ck_assert_uint_eq(s.namespaces, CONGO_NS_DEFAULT | CONGO_NS_CGROUP);
        ck_assert_str_eq(s.cgroup_parent, "congo/tests");
        ck_assert_int_eq(s.network, CONGO_NET_NONE);
        ck_assert_uint_eq(s.n_mounts, 2);
        ck_assert_str_eq(s.mounts[0].target, "/data");
        ck_assert_str_eq(s.mounts[1].data, "size=16m,mode=755");
        ck_assert_int_eq(s.limits.pids, 100);
        ck_assert_uint_eq(s.limits.memory, 512u << 20);
        ck_assert_uint_eq(s.limits.cpu_shares, 1024);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 150000);
        ck_assert_uint_eq(s.limits.time_ms, 90000);
        ck_assert_uint_eq(s.limits.n_rlimits, 3);
        ck_assert_uint_eq(s.security.capabilities, (1u << 0) | (1u << 5));
        ck_assert(!s.security.no_new_privileges);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_UNCONFINED);
        /* Every value remembers where it was written. */
        ck_assert_int_eq(s.pos[CONGO_K_HOSTNAME].line, 6);
        ck_assert_int_eq(s.pos[CONGO_K_HOSTNAME].col, 11);
        ck_assert_str_eq(s.pos[CONGO_K_HOSTNAME].file, "/tmp/web.yaml");
        congo_spec_free(&s);
}
END_TEST

START_TEST(defaults)
{
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "/tmp/my-box.yaml", BASE, &errors), 0);
        free(errors);
        ck_assert_str_eq(s.name, "my-box");
        ck_assert_str_eq(s.hostname, "my-box");
        ck_assert_str_eq(s.cwd, "/");
        ck_assert_str_eq(s.cgroup_parent, "congo");
        ck_assert_uint_eq(s.namespaces, CONGO_NS_DEFAULT);
        ck_assert_int_eq(s.network, CONGO_NET_LOOPBACK);
        ck_assert_int_eq(s.terminal, CONGO_TTY_AUTO);
        ck_assert(s.security.no_new_privileges);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_DEFAULT);
        ck_assert_int_eq(__builtin_popcountll(s.security.capabilities), 11);
        ck_assert_str_eq(s.env[0].name, "PATH");
        ck_assert_str_eq(s.env[1].name, "HOME");
        ck_assert_int_eq(s.limits.pids, 2048);
        ck_assert_uint_eq(s.limits.tmp_size, 64u << 20);
        ck_assert_uint_eq(s.stop_timeout_ms, 10000);
        congo_spec_free(&s);
}
END_TEST

START_TEST(relative_paths_follow_the_spec_file)
{
        struct congo_spec s;
        char *errors;
        load(&s, "/tmp/sub/dir/x.yaml",
             "version: 1\nrootfs: ../root\ncommand: [a]\nmounts: [{type: bind, source: ./d, target: /d}]\n", &errors);
        ck_assert_str_eq(s.rootfs, "/tmp/sub/root");
        ck_assert_str_eq(s.mounts[0].source, "/tmp/sub/dir/d");
        /* Kept as written, to be opened beneath the spec's directory. */
        ck_assert_str_eq(s.rootfs_rel.base, "/tmp/sub/dir");
        ck_assert_str_eq(s.rootfs_rel.rel, "../root");
        ck_assert_str_eq(s.mounts[0].source_rel.rel, "./d");
        free(errors);
        congo_spec_free(&s);
        load(&s, "/tmp/x.yaml", "version: 1\nrootfs: /tmp\ncommand: [a]\n", &errors);
        ck_assert_ptr_null(s.rootfs_rel.rel);
        ck_assert_ptr_null(s.rootfs_rel.base);
        free(errors);
        congo_spec_free(&s);
}
END_TEST

START_TEST(value_errors_with_positions)
{
        expect_error("web.yaml", BASE "limits:\n  memory: 512q\n",
                     "web.yaml:5:11: limits.memory: \"512q\" is not a size (try 512M or 1G)");
        expect_error("w.yaml", BASE "limits: {memory: 1k}\n", "w.yaml:4:18: limits.memory: 1k is below the minimum of 1M");
        expect_error("w.yaml", BASE "stop_timeout: 0s\n", "w.yaml:4:15: stop_timeout: 0s is out of range (1ms to 1h)");
        expect_error("w.yaml", BASE "stop_timeout: soon\n", "w.yaml:4:15: stop_timeout: \"soon\" is not a duration");
        {
                /* Printed only when it is not the default, and read back. */
                char *p = printed("w.yaml", BASE "stop_timeout: 1500ms\n");
                ck_assert_ptr_nonnull(strstr(p, "\nstop_timeout: 1500ms\n"));
                free(p);
                p = printed("w.yaml", BASE "stop_timeout: 10s\n");
                ck_assert_ptr_null(strstr(p, "stop_timeout"));
                free(p);
        }
        expect_error("w.yaml", BASE "colour: blue\n", "w.yaml:4:1: colour: unknown key (expected one of: version, name, rootfs");
        expect_error("w.yaml", BASE "limits: {cpu: 2}\n", "w.yaml:4:10: limits.cpu: unknown key; did you mean \"cpus\"? (expected one of: pids, memory, cpu_shares, cpus, time, tmp, rlimits, cpu_quota, cpu_period, "
                     "cpuset_cpus, cpuset_mems, cpu_rt_runtime, cpu_rt_period, memory_reservation, memory_swap, "
                     "memory_swappiness, disable_oom_killer, blkio_weight, hugepages, unified)");
        expect_error("w.yaml", "version: 2\nrootfs: /\ncommand: [a]\n", "w.yaml:1:10: version: version 2 is not supported");
        expect_error("w.yaml", BASE "name: ../x\n", "w.yaml:4:7: name: \"../x\" is not a valid name");
        expect_error("w.yaml", BASE "hostname: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
                     "w.yaml:4:11: hostname: \"aaaa");
        expect_error("w.yaml", BASE "mounts: [{type: tmpfs, target: run}]\n",
                     "w.yaml:4:32: mounts[0].target: \"run\" is not an absolute path");
        expect_error("w.yaml", BASE "mounts: [{type: \"n/fs\", target: /x}]\n", "mounts[0].type: \"n/fs\" is not a filesystem type");
        expect_error("w.yaml", BASE "mounts: [{type: tmpfs, target: /x, options: [bogus]}]\n",
                     "mounts[0].options: \"bogus\": unknown option");
        expect_error("w.yaml", BASE "mounts: [{type: bind, source: /nonexistent-congo, target: /x}]\n",
                     "w.yaml:4:31: mounts[0].source: \"/nonexistent-congo\": No such file or directory");
        expect_error("w.yaml", BASE "limits: {cpu_shares: 1}\n", "limits.cpu_shares: 1 is out of range (2 to 262144)");
        expect_error("w.yaml", BASE "limits: {pids: 0}\n", "limits.pids: 0 is out of range");
        expect_error("w.yaml", BASE "limits: {tmp: lots}\n", "w.yaml:4:15: limits.tmp: \"lots\" is not a size (try 64M or 1G)");
        expect_error("w.yaml", BASE "limits: {tmp: 4k}\n", "limits.tmp: 4k is below the minimum of 1M");
        expect_error("w.yaml", BASE "limits: {pids: -1}\n", "limits.pids: \"-1\" is not a number");
        expect_error("w.yaml", BASE "limits: {cpus: 0.001}\n", "limits.cpus: 0.001 is out of range");
        expect_error("w.yaml", BASE "limits: {cpus: 1.2.3}\n", "limits.cpus: \"1.2.3\" is not a number of CPUs");
        expect_error("w.yaml", BASE "limits: {time: 5 minutes}\n", "limits.time: \"5 minutes\" is not a duration");
        expect_error("w.yaml", BASE "limits: {rlimits: {files: 3}}\n", "limits.rlimits: unknown resource \"files\"");
        expect_error("w.yaml", BASE "limits: {rlimits: {nofile: \"9:3\"}}\n", "soft limit 9 is above the hard limit");
        expect_error("w.yaml", BASE "init: maybe\n", "w.yaml:4:7: init: \"maybe\" is not a boolean (true or false)");
        expect_error("w.yaml", BASE "terminal: sometimes\n", "terminal: \"sometimes\" is not auto, true or false");
        expect_error("w.yaml", BASE "namespaces: [uts, pid, mount, bogus]\n", "w.yaml:4:31: namespaces: unknown namespace \"bogus\"");
        expect_error("w.yaml", BASE "namespaces: [pid, pid, mount]\n", "namespaces: \"pid\" is listed twice");
        expect_error("w.yaml", BASE "namespaces: [pid, uts]\n", "namespaces: mount is required");
        expect_error("w.yaml", BASE "network: host\nnamespaces: [net, mount]\n", "network: host shares the host's network, but namespaces lists net");
        expect_error("w.yaml", BASE "namespace_paths: {net: /run/netns/x}\nnetwork: host\n", "w.yaml:4:24: namespace_paths.net: net is not in namespaces (network: host)");
        expect_error("w.yaml", BASE "namespace_paths: {cgroup: /proc/1/ns/cgroup}\n", "namespace_paths.cgroup: cgroup is not in namespaces");
        expect_error("w.yaml", BASE "namespace_paths: {net: netns/x}\n", "namespace_paths.net: \"netns/x\" is not an absolute path");
        expect_error("w.yaml", BASE "namespace_paths: {wifi: /x}\n", "namespace_paths.wifi: unknown namespace \"wifi\"");
        expect_error("w.yaml", BASE "namespace_paths: {user: /x}\nnamespaces: [mount, user]\nuid_map: \"0 1000 1\"\n", "w.yaml:6:10: uid_map: the joined user namespace (namespace_paths.user) has its own maps");
        expect_error("w.yaml", BASE "namespace_paths: {user: /x}\nnamespaces: [mount]\n", "namespace_paths.user: user is not in namespaces");
        expect_error("w.yaml", BASE "namespace_paths: {net: /x, net: /y}\n", "duplicate key");
        expect_error("w.yaml", BASE "terminal_size: 24\n", "w.yaml:4:16: terminal_size: \"24\" is not ROWSxCOLS (each 1 to 65535, e.g. 24x80)");
        expect_error("w.yaml", BASE "io_priority: be\n", "w.yaml:4:14: io_priority: \"be\" is not CLASS LEVEL (rt, be or idle; 0 to 7, e.g. \"be 4\")");
        expect_error("w.yaml", BASE "io_priority: best 4\n", "io_priority: \"best 4\" is not CLASS LEVEL");
        expect_error("w.yaml", BASE "io_priority: be 8\n", "io_priority: \"be 8\" is not CLASS LEVEL");
        expect_error("w.yaml", BASE "io_priority: be 4x\n", "io_priority: \"be 4x\" is not CLASS LEVEL");
        expect_error("w.yaml", BASE "terminal_size: 0x80\n", "terminal_size: \"0x80\" is not ROWSxCOLS");
        expect_error("w.yaml", BASE "terminal_size: 24x65536\n", "terminal_size: \"24x65536\" is not ROWSxCOLS");
        expect_error("w.yaml", BASE "network: wifi\n", "network: \"wifi\" is not none, loopback or host");
        expect_error("w.yaml", BASE "namespaces: [mount, pid]\nhostname: x\n", "hostname: needs the uts namespace");
        expect_error("w.yaml", BASE "uid_map: \"0 1000 1\"\n", "uid_map: needs the user namespace");
        expect_error("w.yaml", BASE "namespaces: [mount, user]\nuid_map: \"0 x 1\"\n", "uid_map: \"0 x 1\": each range is \"inside outside count\"");
        expect_error("w.yaml", BASE "security: {capabilities: [CAP_FLY]}\n", "w.yaml:4:27: security.capabilities: unknown capability \"CAP_FLY\"");
        expect_error("w.yaml", BASE "security: {seccomp: strict}\n", "security.seccomp: \"strict\" is not default, unconfined or {profile: FILE}");
        expect_error("w.yaml", BASE "user: root\n", "user: \"root\" is not uid[:gid]");
        expect_error("w.yaml", BASE "cwd: tmp\n", "cwd: \"tmp\" is not an absolute path");
        expect_error("w.yaml", BASE "cgroup_parent: ../up\n", "cgroup_parent: \"../up\" is not a relative cgroup path");
        expect_error("w.yaml", BASE "env: {\"A=B\": x}\n", "env: \"A=B\" is not a variable name");
        expect_error("w.yaml", BASE "env: {A: }\n", "env.A: has no value");
}
END_TEST

/* A misspelt key: the nearest one is suggested, the required key it
 * should have been is missing, and the other problems of the file come in
 * the same pass, each on its own line. */
START_TEST(every_error_in_one_pass)
{
        struct congo_spec s;
        char *errors;
        int n = load(&s, "w.yaml", "version: 1\nrootfs: /nonexistent-congo-root\ncomand: [/bin/sh]\n"
                     "limits: {memory: 64MB}\nnamespaces: [uts]\n", &errors);
        static const char *const want[] = {
                "w.yaml:3:1: comand: unknown key; did you mean \"command\"?",
                "w.yaml:4:18: limits.memory: \"64MB\" is not a size (try 512M or 1G)",
                "w.yaml:2:9: rootfs: \"/nonexistent-congo-root\": No such file or directory",
                "w.yaml: command: required key is missing",
                "w.yaml:5:13: namespaces: mount is required",
        };
        ck_assert_msg(n == 5, "%d problems: %s", n, errors);
        ck_assert_int_eq(count_newlines(errors), 5);
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
                ck_assert_msg(strstr(errors, want[i]) != NULL, "want %s\ngot %s", want[i], errors);
        free(errors);
        congo_spec_free(&s);
        /* A required key given wrongly is reported once, not also missing. */
        n = load(&s, "w.yaml", "version: 1\nrootfs: /\ncommand: {a: b}\n", &errors);
        ck_assert_msg(n == 1, "%s", errors);
        free(errors);
        congo_spec_free(&s);
        /* Far from every key: no guess. */
        expect_error("w.yaml", BASE "zzzzzz: 1\n", "zzzzzz: unknown key (expected one of:");
        /* A bound on what is printed. */
        char big[8192] = BASE;
        for (int i = 0; i < 80; i++)
                snprintf(big + strlen(big), sizeof big - strlen(big), "bogus%d: 1\n", i);
        n = load(&s, "w.yaml", big, &errors);
        ck_assert_int_eq(n, 80);
        ck_assert_int_eq(count_newlines(errors), CONGO_DIAG_MAX + 1);
        ck_assert_ptr_nonnull(strstr(errors, "more than 50 problems; the rest are not shown"));
        free(errors);
        congo_spec_free(&s);
}
END_TEST

/* --check's search for the command, inside a rootfs made here: along the
 * spec's PATH, never out of the rootfs through a symlink. */
static const char *check_cmd(const char *root, const char *extra, const char *cmd)
{
        static char out[1024];
        char text[1024], *errors;
        size_t len;
        struct congo_spec s;

        snprintf(text, sizeof text, "version: 1\nrootfs: %s\n%scommand: [%s]\n", root, extra, cmd);
        ck_assert_int_eq(load(&s, "c.yaml", text, &errors), 0);
        free(errors);
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        int rc = congo_check_command(&s, &d);
        fclose(f);
        ck_assert_int_eq(rc, d.count ? -1 : 0);
        snprintf(out, sizeof out, "%s", rc == 0 ? "ok" : errors);
        free(errors);
        congo_spec_free(&s);
        return out;
}

/* --check of one hook: "ok" or the messages. */
static const char *check_hook(const char *root, const char *kind, const char *path)
{
        static char out[1024];
        char text[1024], *errors;
        size_t len;
        struct congo_spec s;

        snprintf(text, sizeof text, "version: 1\nrootfs: %s\ncommand: [/bin/ok]\nhooks: {%s: [{path: %s}]}\n",
                 root, kind, path);
        ck_assert_int_eq(load(&s, "c.yaml", text, &errors), 0);
        free(errors);
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        int rc = congo_check_hooks(&s, &d);
        fclose(f);
        ck_assert_int_eq(rc, d.count ? -1 : 0);
        snprintf(out, sizeof out, "%s", rc == 0 ? "ok" : errors);
        free(errors);
        congo_spec_free(&s);
        return out;
}

START_TEST(check_finds_the_command_in_the_rootfs)
{
        char root[] = "/tmp/congo-unit-root-XXXXXX", p[512];
        ck_assert_ptr_nonnull(mkdtemp(root));
        const char *dirs[] = { "bin", "opt", "opt/tools" };
        for (size_t i = 0; i < 3; i++) {
                snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
                ck_assert_int_eq(mkdir(p, 0755), 0);
        }
        static const struct { const char *name; mode_t mode; } files[] = {
                { "bin/ok", 0755 }, { "bin/plain", 0644 }, { "bin/rootonly", 0700 }, { "opt/tools/t", 0755 },
        };
        for (size_t i = 0; i < 4; i++) {
                snprintf(p, sizeof p, "%s/%s", root, files[i].name);
                FILE *f = fopen(p, "w");
                ck_assert_ptr_nonnull(f);
                fclose(f);
                ck_assert_int_eq(chmod(p, files[i].mode), 0);
        }
        /* Both exist on the host, neither in this rootfs. */
        snprintf(p, sizeof p, "%s/bin/abs", root);
        ck_assert_int_eq(symlink("/bin/sh", p), 0);
        snprintf(p, sizeof p, "%s/bin/up", root);
        ck_assert_int_eq(symlink("../../../../../../bin/sh", p), 0);
        snprintf(p, sizeof p, "%s/bin/inside", root);
        ck_assert_int_eq(symlink("/opt/tools/t", p), 0);

        ck_assert_str_eq(check_cmd(root, "", "/bin/ok"), "ok");
        ck_assert_str_eq(check_cmd(root, "", "ok"), "ok");
        /* Without openat2 (valgrind knows no syscall 437) symlinks are not
         * followed at all: a command behind one is not checked. */
        struct open_how how = { .flags = O_PATH, .resolve = RESOLVE_IN_ROOT };
        int probe_fd = (int)syscall(SYS_openat2, AT_FDCWD, root, &how, sizeof how);
        bool in_root = probe_fd >= 0 || errno != ENOSYS;
        if (probe_fd >= 0)
                close(probe_fd);
        ck_assert_str_eq(check_cmd(root, "", "inside"), "ok");
        ck_assert_str_eq(check_cmd(root, "env: {PATH: /opt/tools}\n", "t"), "ok");
        ck_assert_str_eq(check_cmd(root, "cwd: /opt\n", "./tools/t"), "ok");
        ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "/bin/nosuch"), "c.yaml:3:10: command: /bin/nosuch is not in the rootfs"));
        ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "nosuch"), "command: nosuch is not found in the rootfs along PATH=/usr/local/sbin:"));
        ck_assert_ptr_nonnull(strstr(check_cmd(root, "env: {PATH: /opt}\n", "ok"), "along PATH=/opt"));
        ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "/bin/plain"), "command: /bin/plain is not executable by 0:0"));
        ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "plain"), "command: plain is not executable"));
        ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "/bin"), "command: /bin is a directory"));
        ck_assert_ptr_nonnull(strstr(check_cmd(root, "user: \"1000:1000\"\n", "/bin/rootonly"), "not executable by 1000:1000"));
        if (in_root) {
                ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "/bin/abs"), "is not in the rootfs"));
                ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "/bin/up"), "is not in the rootfs"));
                ck_assert_ptr_nonnull(strstr(check_cmd(root, "", "abs"), "is not found in the rootfs"));
        } else {
                ck_assert_str_eq(check_cmd(root, "", "/bin/abs"), "ok");
                ck_assert_str_eq(check_cmd(root, "", "abs"), "ok");
        }

        /* Hooks where each kind runs: the host, but start_container in the
         * rootfs (as the command's user). */
        ck_assert_str_eq(check_hook(root, "prestart", "/bin/sh"), "ok");
        ck_assert_str_eq(check_hook(root, "poststop", "/bin/sh"), "ok");
        ck_assert_str_eq(check_hook(root, "create_container", "/bin/ok-hk-nowhere"),
                         "c.yaml:4:35: hooks.create_container[0].path: /bin/ok-hk-nowhere: No such file or directory (on the host)\n");
        ck_assert_str_eq(check_hook(root, "start_container", "/bin/ok"), "ok");
        ck_assert_ptr_nonnull(strstr(check_hook(root, "start_container", "/bin/nosuch"),
                                     "hooks.start_container[0].path: /bin/nosuch: No such file or directory (in the rootfs, where start_container hooks run)"));
        ck_assert_ptr_nonnull(strstr(check_hook(root, "start_container", "/bin/plain"), "/bin/plain is not executable (in the rootfs"));
        ck_assert_ptr_nonnull(strstr(check_hook(root, "prestart", "/etc/passwd"), "/etc/passwd is not executable (on the host)"));
        ck_assert_ptr_nonnull(strstr(check_hook(root, "poststart", "/"), "/ is a directory (on the host)"));
        if (in_root)
                ck_assert_ptr_nonnull(strstr(check_hook(root, "start_container", "/bin/abs"), "(in the rootfs"));

        snprintf(p, sizeof p, "rm -rf '%s'", root);
        ck_assert_int_eq(system(p), 0);
}
END_TEST

/* --dry-run's execve line: each word as a shell reads it back. */
START_TEST(shell_quoting_round_trips)
{
        static const char *const words[] = {
                "/bin/sh", "-c", "echo \"hello $USER\"; it's `id` \\ done", "", "a b", "'", "x=1,y=2",
        };
        static const char *const want[] = {
                "/bin/sh", "-c", "'echo \"hello $USER\"; it'\\''s `id` \\ done'", "''", "'a b'", "''\\'''",
                "x=1,y=2",
        };
        char *text, cmd[2048] = "printf '%s\\n'";
        size_t len;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
                FILE *f = open_memstream(&text, &len);
                congo_shell_quote(f, words[i]);
                fclose(f);
                ck_assert_str_eq(text, want[i]);
                snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " %s", text);
                free(text);
        }
        FILE *p = popen(cmd, "r");
        char line[512];
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
                ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
                line[strcspn(line, "\n")] = '\0';
                ck_assert_str_eq(line, words[i]);
        }
        ck_assert_int_eq(pclose(p), 0);
}
END_TEST

/* Each boolean key sets its own field and no other. */
START_TEST(each_boolean_key_sets_its_own_field)
{
        static const struct { const char *line; bool ro, init, nnp; } cases[] = {
                { "", false, false, true },
                { "readonly_rootfs: true\n", true, false, true },
                { "init: true\n", false, true, true },
                { "security: {no_new_privileges: false}\n", false, false, false },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                struct congo_spec s;
                char text[256], *errors;
                snprintf(text, sizeof text, BASE "%s", cases[i].line);
                ck_assert_int_eq(load(&s, "b.yaml", text, &errors), 0);
                free(errors);
                ck_assert_msg(s.readonly_rootfs == cases[i].ro && s.init == cases[i].init &&
                              s.security.no_new_privileges == cases[i].nnp, "%s", cases[i].line);
                congo_spec_free(&s);
        }
}
END_TEST

START_TEST(structure_errors)
{
        expect_error("w.yaml", BASE "hostname: {a: b}\n", "w.yaml:4:11: hostname: expected a single value, got a mapping");
        expect_error("w.yaml", BASE "env: [a, b]\n", "w.yaml:4:6: env: expected a mapping, got a list");
        expect_error("w.yaml", BASE "mounts: {a: b}\n", "mounts: expected a list of mounts, got a mapping");
        expect_error("w.yaml", BASE "mounts: [{type: tmpfs, target: /x, size: 3}]\n", "mounts[0]: unknown key \"size\"");
        expect_error("w.yaml", BASE "command: []\n", "command: duplicate key");
        expect_error("w.yaml", "version: 1\nrootfs: /\ncommand: []\n", "w.yaml:3:10: command: must not be empty");
        expect_error("w.yaml", BASE "hostname: a\nhostname: b\n", "w.yaml:5:1: hostname: duplicate key (first at line 4, column 1)");
        expect_error("w.yaml", BASE "limits: {pids: 1, pids: 2}\n", "limits.pids: duplicate key");
        /* One message for every kind of duplicate, from one function. */
        expect_error("w.yaml", BASE "env: {A: 1}\nenv: {B: 2}\n", "w.yaml:5:1: env: duplicate key (first at line 4, column 1)");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = a\n[env]\nA = 1\nA = 2\n",
                     "w.ini:7:5: env.A: duplicate key (first at line 6, column 5)");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = a\n[limits.rlimits]\nnofile = 1\nnofile = 2\n",
                     "w.ini:7:10: limits.rlimits.nofile: duplicate key (first at line 6, column 10)");
        expect_error("w.yaml", BASE "mounts: [{type: tmpfs, target: /a, target: /b}]\n",
                     "w.yaml:4:36: mounts[0].target: duplicate key (first at line 4, column 24)");
        expect_error("w.yaml", "- a\n- b\n", "w.yaml:1:1: the spec must be a mapping");
        expect_error("w.yaml", "", "the spec is empty");
        expect_error("w.yaml", "version: 1\n", "rootfs: required key is missing");
        expect_error("w.yaml", "version: 1\nrootfs: /\n", "command: required key is missing");
        expect_error("w.yaml", "rootfs: /\ncommand: [a]\n", "version: required key is missing");
        expect_error("w.yaml", "version: 1\nrootfs: /nonexistent-congo-root\ncommand: [a]\n",
                     "w.yaml:2:9: rootfs: \"/nonexistent-congo-root\": No such file or directory");
        expect_error("w.yaml", "version: 1\nrootfs: /etc/passwd\ncommand: [a]\n", "rootfs: \"/etc/passwd\" is not a directory");
        expect_error("w.yaml", "version: 1\nrootfs: [\n", "w.yaml:3:1: syntax error");
        expect_error("w.yaml", "version: 1\n---\nversion: 1\n", "a spec is one YAML document");
        expect_error("w.yaml", "version: 1\n\tname: x\n", "syntax error");
}
END_TEST

START_TEST(all_problems_in_one_pass)
{
        struct congo_spec s;
        char *errors;
        int n = load(&s, "w.yaml", BASE "limits: {memory: 5q, pids: x}\ncolour: red\nhostname: -bad\n", &errors);
        ck_assert_int_eq(n, 4);
        ck_assert_int_eq(count_newlines(errors), 4);
        free(errors);
        congo_spec_free(&s);
}
END_TEST

START_TEST(alias_bomb_fails_fast)
{
        char *bomb = NULL;
        size_t len;
        FILE *f = open_memstream(&bomb, &len);
        fputs("version: 1\nrootfs: /\ncommand: [a]\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n", f);
        for (int i = 1; i < 30; i++)
                fprintf(f, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
                        i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
        fclose(f);
        clock_t start = clock();
        expect_error("bomb.yaml", bomb, "aliases (*name) are not allowed");
        ck_assert_int_lt(clock() - start, CLOCKS_PER_SEC);
        free(bomb);
}
END_TEST

START_TEST(deep_nesting_and_garbage)
{
        char deep[40000];
        size_t n = 0;
        n += (size_t)sprintf(deep, "version: 1\nenv: ");
        for (int i = 0; i < 10000; i++)
                deep[n++] = '[';
        deep[n] = '\0';
        expect_error("deep.yaml", deep, "nesting is deeper than 16 levels");
        const char garbage[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00\xff\xfe\x80\x81 binary \x01\x02";
        char buf[sizeof garbage];
        memcpy(buf, garbage, sizeof garbage);
        struct congo_spec s;
        char *errors;
        congo_spec_init(&s, "bin.yaml");
        size_t len;
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        congo_parse_yaml(&s, buf, sizeof garbage - 1, &d);
        congo_parse_ini(&s, buf, sizeof garbage - 1, &d);
        fclose(f);
        ck_assert_int_ge(d.count, 2);
        free(errors);
        congo_spec_free(&s);
}
END_TEST

START_TEST(ini_errors)
{
        const char *base = "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\n";
        char text[1024];
        snprintf(text, sizeof text, "%s[limits]\nmemory = 512q\n", base);
        expect_error("w.ini", text, "w.ini:6:10: limits.memory: \"512q\" is not a size (try 512M or 1G)");
        snprintf(text, sizeof text, "%s[network]\nmode = host\n", base);
        expect_error("w.ini", text, "w.ini:5:1: [network]: unknown section");
        snprintf(text, sizeof text, "%scolour = red\n", base);
        expect_error("w.ini", text, "w.ini:5:1: colour: unknown key");
        snprintf(text, sizeof text, "%sversion = 1\n", base);
        expect_error("w.ini", text, "w.ini:5:11: version: duplicate key (first at line 2, column 11)");
        snprintf(text, sizeof text, "%sthis line is wrong\n", base);
        expect_error("w.ini", text, "w.ini:5:1: syntax error");
        expect_error("w.ini", "version = 1\n", "w.ini:1:1: version: key outside a section");
        snprintf(text, sizeof text, "%s[mounts]\n/data = bind\n", base);
        expect_error("w.ini", text, "a bind mount needs a source");
        snprintf(text, sizeof text, "%scommand = /bin/sh -c \"unterminated\n", base);
        expect_error("w.ini", text, "command: unterminated double quote");
        char longline[400];
        memset(longline, 'x', sizeof longline);
        snprintf(text, sizeof text, "%s[env]\nA = %.*s\n", base, 300, longline);
        expect_error("w.ini", text, "w.ini:6:");
}
END_TEST

/* The same container in both formats prints byte for byte the same. */
START_TEST(yaml_ini_equivalence)
{
        static const char *const pairs[][2] = {
                { "version: 1\nrootfs: /\ncommand: [\"/bin/sh\", \"-c\", \"echo 'a b'\"]\n",
                  "[container]\nversion = 1\nrootfs = /\ncommand = /bin/sh -c \"echo 'a b'\"\n" },
                { "version: 1\nname: web\nrootfs: /tmp\nhostname: h\ncommand: [a, b]\nnamespaces: [uts, pid, mount]\n"
                  "env: {PATH: /bin, X: \"y z\"}\nlimits: {pids: 10, memory: 1G, cpus: 0.25, time: 1m, rlimits: {nofile: 64}}\n"
                  "security: {capabilities: [kill], seccomp: unconfined}\n"
                  "mounts: [{type: bind, source: /etc, target: /e, options: [ro]}, {type: tmpfs, target: /r, options: [size=1m]}]\n",
                  "[container]\nversion = 1\nname = web\nrootfs = /tmp\nhostname = h\ncommand = a b\nnamespaces = uts pid mount\n"
                  "[env]\nPATH = /bin\nX = \"y z\"\n[limits]\npids = 10\nmemory = 1G\ncpus = 0.25\ntime = 1m\n"
                  "[limits.rlimits]\nnofile = 64\n[security]\ncapabilities = kill\nseccomp = unconfined\n"
                  "[mounts]\n/e = bind /etc ro\n/r = tmpfs size=1m\n" },
        };
        for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
                char *a = printed("/tmp/same.yaml", pairs[i][0]);
                char *b = printed("/tmp/same.ini", pairs[i][1]);
                ck_assert_str_eq(a, b);
                free(a);
                free(b);
        }
        char *a = printed("/tmp/hello.yaml", "version: 1\nrootfs: /\ncommand: [x]\n");
        ck_assert_ptr_nonnull(strstr(a, "name: \"hello\""));
        free(a);
}
END_TEST

START_TEST(print_parse_round_trip)
{
        const char *text = BASE "name: rt\nenv: {Q: \"quote \\\" and \\\\ tab\\t\"}\nlimits: {memory: 1536K, cpus: 2.5, time: 1500ms, rlimits: {core: \"0:unlimited\"}}\n"
                                "namespaces: [uts, pid, net, mount, ipc, user]\nuid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n"
                                "security: {capabilities: [ALL]}\nmounts: [{type: tmpfs, target: /w, options: [size=2m, mode=1777, nosuid]}]\n";
        char *once = printed("/tmp/rt.yaml", text);
        char *twice = printed("/tmp/rt.yaml", once);
        ck_assert_str_eq(once, twice);
        ck_assert_ptr_nonnull(strstr(once, "memory: 1536K"));
        ck_assert_ptr_nonnull(strstr(once, "cpus: 2.5"));
        ck_assert_ptr_nonnull(strstr(once, "time: 1500ms"));
        free(once);
        free(twice);
}
END_TEST

START_TEST(value_parsers)
{
        uint64_t v;
        bool b;
        ck_assert_int_eq(congo_parse_size("512M", &v), 0);
        ck_assert_uint_eq(v, 512u << 20);
        ck_assert_int_eq(congo_parse_size("1g", &v), 0);
        ck_assert_uint_eq(v, 1u << 30);
        ck_assert_int_eq(congo_parse_size("2k", &v), 0);
        ck_assert_uint_eq(v, 2048);
        /* One letter, as congo-spec(5) and the kernel's tmpfs size= say. */
        ck_assert_int_eq(congo_parse_size("2KiB", &v), -1);
        ck_assert_int_eq(congo_parse_size("64MB", &v), -1);
        ck_assert_int_eq(congo_parse_size("1Gb", &v), -1);
        ck_assert_int_eq(congo_parse_size("1P", &v), -1);
        ck_assert_int_eq(congo_parse_size("4096", &v), 0);
        ck_assert_uint_eq(v, 4096);
        ck_assert_int_eq(congo_parse_size("99999999999999999999", &v), -1);
        ck_assert_int_eq(congo_parse_size("16777216T", &v), -1);
        ck_assert_int_eq(congo_parse_size("-1M", &v), -1);
        ck_assert_int_eq(congo_parse_size("M", &v), -1);
        ck_assert_int_eq(congo_parse_size("1.5G", &v), -1);
        ck_assert_int_eq(congo_parse_duration_ms("30s", &v), 0);
        ck_assert_uint_eq(v, 30000);
        ck_assert_int_eq(congo_parse_duration_ms("250ms", &v), 0);
        ck_assert_uint_eq(v, 250);
        ck_assert_int_eq(congo_parse_duration_ms("2h", &v), 0);
        ck_assert_uint_eq(v, 7200000);
        ck_assert_int_eq(congo_parse_duration_ms("7", &v), 0);
        ck_assert_uint_eq(v, 7000);
        ck_assert_int_eq(congo_parse_duration_ms("7d", &v), -1);
        ck_assert_int_eq(congo_parse_bool("Yes", &b), 0);
        ck_assert(b);
        ck_assert_int_eq(congo_parse_bool("off", &b), 0);
        ck_assert(!b);
        ck_assert_int_eq(congo_parse_bool("2", &b), -1);
        const char *why;
        char **w = congo_split_words("a 'b c' \"d \\\"e\\\"\" f\\ g ''", &why);
        ck_assert_ptr_nonnull(w);
        ck_assert_uint_eq(congo_strv_len(w), 5);
        ck_assert_str_eq(w[1], "b c");
        ck_assert_str_eq(w[2], "d \"e\"");
        ck_assert_str_eq(w[3], "f g");
        ck_assert_str_eq(w[4], "");
        congo_strv_free(w);
        ck_assert_ptr_null(congo_split_words("'open", &why));
        ck_assert_str_eq(why, "unterminated single quote");
}
END_TEST

START_TEST(set_overrides)
{
        struct congo_spec s;
        char *errors;
        size_t len;
        congo_spec_init(&s, "/tmp/o.yaml");
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        const char *text = BASE "limits: {memory: 64M}\nenv: {A: a}\n";
        congo_parse_yaml(&s, text, strlen(text), &d);
        ck_assert_int_eq(congo_spec_override(&s, "limits.memory=1G", &d), 0);
        /* A relative path on the command line is the caller's: trusted. */
        ck_assert_int_eq(congo_spec_override(&s, "rootfs=../y", &d), 0);
        ck_assert_ptr_null(s.rootfs_rel.rel);
        ck_assert_int_eq(congo_spec_override(&s, "env.A=b", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "env.NEW=c", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "command=/bin/sh -c 'echo hi'", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "limits.colour=1", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "limits=1", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "noequals", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "limits.pids=zero", &d), -1);
        fclose(f);
        ck_assert_uint_eq(s.limits.memory, 1u << 30);
        ck_assert_str_eq(s.env[0].value, "b");
        ck_assert_str_eq(s.env[1].value, "c");
        ck_assert_str_eq(s.command[2], "echo hi");
        ck_assert_ptr_nonnull(strstr(errors, "--set: limits.colour: unknown key"));
        ck_assert_ptr_nonnull(strstr(errors, "--set: limits.pids: \"zero\" is not a number"));
        free(errors);
        congo_spec_free(&s);
}
END_TEST

/* security.seccomp: {profile: MAPPING}: the profile itself, in the file
 * format's schema, compiled when the spec is finished; printed as one line
 * of JSON (YAML flow style) that parses back to the same profile; its
 * problems named by the mapping's line:col and the path inside it; a file
 * given later (--set) replaces it. */
START_TEST(seccomp_inline_profile)
{
        const char *yaml = "/tmp/inline.yaml";
        const char *body = BASE "security:\n  seccomp:\n    profile:\n"
                           "      defaultAction: SCMP_ACT_ALLOW\n"
                           "      architectures: [SCMP_ARCH_X86_64]\n"
                           "      syscalls:\n"
                           "        - names: [mkdir, mkdirat]\n"
                           "          action: SCMP_ACT_ERRNO\n"
                           "          errnoRet: 1\n"
                           "        - {names: [personality], action: SCMP_ACT_ERRNO, args: [{index: 0, value: 8, op: SCMP_CMP_EQ}]}\n";
        struct congo_spec s;
        char *errors;

        ck_assert_int_eq(load(&s, yaml, body, &errors), 0);
        free(errors);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_PROFILE);
        ck_assert_ptr_null(s.security.seccomp_profile);
        ck_assert_ptr_nonnull(s.security.seccomp_compiled);
        ck_assert_uint_eq(s.security.seccomp_compiled->n_rules, 3);
        congo_spec_free(&s);
        char *a = printed(yaml, body), *b = printed(yaml, a);
        ck_assert_ptr_nonnull(strstr(a, "  seccomp: {profile: {\"defaultAction\": \"SCMP_ACT_ALLOW\", "
                                        "\"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [{\"names\": "
                                        "[\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}, "
                                        "{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": "
                                        "[{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]}]}}\n"));
        ck_assert_str_eq(a, b);
        free(a);
        free(b);

        /* A file given with --set replaces it. */
        struct congo_diag d = { NULL, 0 };
        congo_spec_init(&s, yaml);
        ck_assert_int_eq(congo_parse_yaml(&s, body, strlen(body), &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "security.seccomp=unconfined", &d), 0);
        ck_assert_int_eq(congo_spec_finish(&s, &d), 0);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_UNCONFINED);
        congo_spec_free(&s);

        expect_error(yaml, BASE "security: {seccomp: {profile: {defaultAction: SCMP_ACT_NOPE}}}\n",
                     "/tmp/inline.yaml:4:31: security.seccomp.profile.defaultAction: \"SCMP_ACT_NOPE\" is not an action");
        /* Quoted, a number is a string, as in JSON. */
        expect_error(yaml, BASE "security: {seccomp: {profile: {defaultAction: SCMP_ACT_ERRNO, defaultErrnoRet: \"1\"}}}\n",
                     "security.seccomp.profile.defaultErrnoRet: expected an integer");
        expect_error(yaml, BASE "security: {seccomp: {profile: {defaultAction: SCMP_ACT_ALLOW, defaultAction: SCMP_ACT_LOG}}}\n",
                     "inline.yaml:4:63: security.seccomp.profile: duplicate key");
        expect_error(yaml, BASE "security: {seccomp: {profile: [SCMP_ACT_ALLOW]}}\n",
                     "security.seccomp.profile: expected");
        expect_error(yaml, BASE "security: {seccomp: {profile: {defaultAction: SCMP_ACT_ALLOW}}}\n"
                     "security: {seccomp: {profile: {defaultAction: SCMP_ACT_ALLOW}}}\n", "duplicate key");
}
END_TEST

/* security.seccomp: {profile: FILE}: relative to the spec, read and
 * compiled when the spec is finished, the same in YAML and INI, printed
 * back, replaced by --set, its problems reported at the key. */
START_TEST(seccomp_profile_key)
{
        char dir[] = "/tmp/congo-spec-XXXXXX", file[64], yaml[64], ini[64], text[512];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(file, sizeof file, "%s/p.json", dir);
        snprintf(yaml, sizeof yaml, "%s/s.yaml", dir);
        snprintf(ini, sizeof ini, "%s/s.ini", dir);
        FILE *f = fopen(file, "w");
        fputs("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"uname\"],"
              " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}\n", f);
        fclose(f);

        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, yaml, BASE "security: {seccomp: {profile: ./p.json}}\n", &errors), 0);
        free(errors);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_PROFILE);
        ck_assert_str_eq(s.security.seccomp_profile, file);
        ck_assert_ptr_nonnull(s.security.seccomp_compiled);
        congo_spec_free(&s);

        char *a = printed(yaml, BASE "security:\n  seccomp:\n    profile: p.json\n");
        char *b = printed(ini, "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\n"
                               "[security.seccomp]\nprofile = p.json\n");
        char *c = printed(yaml, a);
        snprintf(text, sizeof text, "  seccomp: {profile: \"%s\"}\n", file);
        ck_assert_ptr_nonnull(strstr(a, text));
        ck_assert_str_eq(a, b);
        ck_assert_str_eq(a, c);
        free(a);
        free(b);
        free(c);

        /* --set replaces it either way. */
        struct congo_diag d = { NULL, 0 };
        congo_spec_init(&s, yaml);
        const char *t = BASE "security: {seccomp: {profile: p.json}}\n";
        ck_assert_int_eq(congo_parse_yaml(&s, t, strlen(t), &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "security.seccomp=unconfined", &d), 0);
        ck_assert_int_eq(congo_spec_finish(&s, &d), 0);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_UNCONFINED);
        ck_assert_ptr_null(s.security.seccomp_profile);
        congo_spec_free(&s);
        congo_spec_init(&s, yaml);
        t = BASE "security: {seccomp: default}\n";
        ck_assert_int_eq(congo_parse_yaml(&s, t, strlen(t), &d), 0);
        snprintf(text, sizeof text, "security.seccomp.profile=%s", file);
        ck_assert_int_eq(congo_spec_override(&s, text, &d), 0);
        ck_assert_int_eq(congo_spec_finish(&s, &d), 0);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_PROFILE);
        congo_spec_free(&s);

        snprintf(text, sizeof text, "s.yaml:5:22: security.seccomp.profile: \"%s/none.json\": No such "
                 "file or directory", dir);
        expect_error(yaml, BASE "security:\n  seccomp: {profile: none.json}\n", text);
        expect_error(ini, "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\n[security]\n"
                     "seccomp = default\n[security.seccomp]\nprofile = p.json\n",
                     "s.ini:8:11: security.seccomp.profile: conflicts with security.seccomp at line 6");
        expect_error(yaml, BASE "security: {seccomp: {profile: \"\"}}\n",
                     "security.seccomp.profile: must not be empty");
        expect_error(yaml, BASE "security: {seccomp: {profile: p.json, mode: x}}\n",
                     "security.seccomp.mode: unknown key (expected one of: profile)");
        f = fopen(file, "w");
        fputs("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"uname\"], "
              "\"action\": \"SCMP_ACT_FOO\"}]}\n", f);
        fclose(f);
        snprintf(text, sizeof text, "s.yaml:4:31: security.seccomp.profile: %s: syscalls[0].action: "
                 "\"SCMP_ACT_FOO\" is not an action", file);
        expect_error(yaml, BASE "security: {seccomp: {profile: p.json}}\n", text);
        f = fopen(file, "w");
        fputs("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [}\n", f);
        fclose(f);
        snprintf(text, sizeof text, "s.yaml:4:31: security.seccomp.profile: %s:2:15: "
                 "unexpected token near '}'", file);
        expect_error(yaml, BASE "security: {seccomp: {profile: p.json}}\n", text);
        /* Written relative, it stays beneath the spec's directory. */
        char link[96];
        snprintf(link, sizeof link, "%s/out.json", dir);
        ck_assert_int_eq(symlink("/usr/share/containers/seccomp.json", link), 0);
        expect_error(yaml, BASE "security: {seccomp: {profile: out.json}}\n",
                     "s.yaml:4:31: security.seccomp.profile: \"out.json\" leads out of");
        unlink(link);
        unlink(file);
        rmdir(dir);
}
END_TEST

START_TEST(seed_positional)
{
        struct congo_spec s;
        char *errors;
        size_t len;
        char *const argv[] = { "/", "100", "512m", "1024", "KEY=VALUE,FOO=BAR", "--", "/bin/sh", "-c", "echo hi", NULL };
        congo_spec_init(&s, NULL);
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        ck_assert_int_eq(congo_parse_positional(&s, 9, argv, &d), 0);
        ck_assert_int_eq(congo_spec_finish(&s, &d), 0);
        fclose(f);
        ck_assert_int_eq(s.limits.pids, 100);
        ck_assert_uint_eq(s.limits.memory, 512u << 20);
        ck_assert_uint_eq(s.limits.cpu_shares, 1024);
        ck_assert_str_eq(s.env[0].name, "KEY");
        ck_assert_str_eq(s.env[1].value, "BAR");
        ck_assert_str_eq(s.command[2], "echo hi");
        ck_assert_str_eq(s.name, "congo");
        free(errors);
        congo_spec_free(&s);

        char *const bad[] = { "/", "lots", "512m", "1024", "K=V", "--", "x", NULL };
        congo_spec_init(&s, NULL);
        f = open_memstream(&errors, &len);
        d = (struct congo_diag){ f, 0 };
        ck_assert_int_eq(congo_parse_positional(&s, 7, bad, &d), 1);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(errors, "run: limits.pids: \"lots\" is not a number"));
        free(errors);
        congo_spec_free(&s);

        /* Each wrong shape names the argument and why. */
        static const struct { int argc; char *argv[9]; const char *says; } shapes[] = {
                { 6, { "/", "1", "1M", "2", "-", "x" }, "run: no \"--\" after ENV (\"-\")" },
                { 6, { "/", "1", "1M", "2", "--", "x" }, "run: ENV is missing before \"--\"" },
                { 5, { "/", "1", "1M", "--", "x" }, "run: CPU_SHARES ENV are missing: only 3 of" },
                { 3, { "/", "1", "1M" }, "run: CPU_SHARES ENV are missing (run ROOTFS PIDS MEMORY CPU_SHARES ENV -- CMD" },
                { 8, { "/", "1", "1M", "2", "A=1", "B=2", "--", "x" },
                  "run: ENV is one argument: join \"A=1\" and \"B=2\" with a comma, not a space (A=1,B=2)" },
                { 8, { "/", "1", "1M", "2", "-", "extra", "--", "x" }, "run: \"extra\" after ENV" },
                { 6, { "/", "1", "1M", "2", "-", "--" }, "run: no command after \"--\"" },
        };
        for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
                congo_spec_init(&s, NULL);
                f = open_memstream(&errors, &len);
                d = (struct congo_diag){ f, 0 };
                ck_assert_int_eq(congo_parse_positional(&s, shapes[i].argc, shapes[i].argv, &d), 1);
                fclose(f);
                ck_assert_msg(strstr(errors, shapes[i].says) != NULL, "want %s\ngot %s", shapes[i].says, errors);
                free(errors);
                congo_spec_free(&s);
        }
}
END_TEST

START_TEST(format_detection)
{
        ck_assert_int_eq(congo_detect_format("a.yml", "[x]", 3), CONGO_FORMAT_YAML);
        ck_assert_int_eq(congo_detect_format("a.conf", "x: 1", 4), CONGO_FORMAT_INI);
        ck_assert_int_eq(congo_detect_format("spec", "; c\n\n[container]\n", 16), CONGO_FORMAT_INI);
        ck_assert_int_eq(congo_detect_format("spec", "# c\nversion: 1\n", 15), CONGO_FORMAT_YAML);
}
END_TEST

/* Inputs the fuzzers once crashed on: each must now load, valid or not,
 * and a valid one must survive the print round trip. */
START_TEST(fuzz_regressions)
{
        char dir[512], cmd[600];
        const char *src = getenv("CONGO_SRCDIR");
        snprintf(dir, sizeof dir, "%s/fuzz/regressions", src ? src : ".");
        snprintf(cmd, sizeof cmd, "ls '%s'", dir);
        FILE *ls = popen(cmd, "r");
        char name[256];
        int n = 0;
        while (ls && fgets(name, sizeof name, ls)) {
                name[strcspn(name, "\n")] = '\0';
                char path[800], *text = NULL, *errors;
                snprintf(path, sizeof path, "%s/%s", dir, name);
                FILE *f = fopen(path, "r");
                size_t len = 0;
                ck_assert_ptr_nonnull(f);
                text = calloc(1, 1 << 20);
                len = fread(text, 1, (1 << 20) - 1, f);
                fclose(f);
                struct congo_spec s;
                const char *as = strstr(name, ".ini") ? "/tmp/r.ini" : "/tmp/r.yaml";
                if (load(&s, as, text, &errors) == 0 && strlen(text) == len) {
                        char *once = printed(as, text), *twice = printed("/tmp/r.yaml", once);
                        ck_assert_str_eq(once, twice);
                        free(once);
                        free(twice);
                }
                free(errors);
                congo_spec_free(&s);
                free(text);
                n++;
        }
        if (ls)
                pclose(ls);
        ck_assert_int_ge(n, 2);
}
END_TEST

/* devices: values, defaults, every refusal with its position, INI = YAML,
 * print -> parse -> print. */
START_TEST(devices_key)
{
        struct congo_spec s;
        char *errors;
        const char *yaml = BASE "devices:\n"
                "  - {path: /dev/fuse, type: c, major: 10, minor: 229}\n"
                "  - {path: /dev/net/tun, type: c, major: \"10\", minor: 200, file_mode: 0600, uid: 5, gid: 7}\n"
                "  - {path: /dev/sda9, type: b, major: 8, minor: 9, file_mode: \"640\"}\n"
                "  - {path: /dev/fifo, type: p}\n";
        ck_assert_int_eq(load(&s, "/tmp/d.yaml", yaml, &errors), 0);
        free(errors);
        ck_assert_uint_eq(s.n_devices, 4);
        ck_assert_str_eq(s.devices[1].path, "/dev/net/tun");
        ck_assert_int_eq(s.devices[1].type, 'c');
        ck_assert_uint_eq(s.devices[1].major, 10);
        ck_assert_uint_eq(s.devices[1].minor, 200);
        ck_assert_uint_eq(s.devices[1].file_mode, 0600);
        ck_assert_uint_eq(s.devices[1].uid, 5);
        ck_assert_uint_eq(s.devices[1].gid, 7);
        ck_assert_uint_eq(s.devices[0].file_mode, 0666);   /* the default */
        ck_assert_uint_eq(s.devices[2].file_mode, 0640);
        ck_assert_int_eq(s.devices[3].type, 'p');
        ck_assert_int_eq(s.devices[1].pos_key[CONGO_DEV_MINOR].line, 6);
        congo_spec_free(&s);

        const char *ini = "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\n[devices]\n"
                          "/dev/fuse = c 10 229\n/dev/net/tun = c 10 200 file_mode=0600 uid=5 gid=7\n"
                          "/dev/sda9 = b 8 9 file_mode=640\n/dev/fifo = p\n";
        char *a = printed("/tmp/d.yaml", yaml), *b = printed("/tmp/d.ini", ini);
        ck_assert_str_eq(a, b);
        ck_assert_ptr_nonnull(strstr(a, "devices:\n  - {path: \"/dev/fuse\", type: c, major: 10, minor: 229, file_mode: \"0666\", uid: 0, gid: 0}\n"));
        ck_assert_ptr_nonnull(strstr(a, "  - {path: \"/dev/fifo\", type: p, file_mode: \"0666\", uid: 0, gid: 0}\n"));
        char *again = printed("/tmp/d.yaml", a);
        ck_assert_str_eq(a, again);
        free(again);
        free(a);
        free(b);
        a = printed("/tmp/d.yaml", BASE);
        ck_assert_ptr_nonnull(strstr(a, "\ndevices: []\n"));
        free(a);

        expect_error("w.yaml", BASE "devices: [{path: /etc/x, type: c, major: 1, minor: 3}]\n",
                     "w.yaml:4:18: devices[0].path: \"/etc/x\" is not a path under /dev/");
        expect_error("w.yaml", BASE "devices: [{path: /dev/../etc/x, type: c, major: 1, minor: 3}]\n",
                     "devices[0].path: \"/dev/../etc/x\" has an empty, . or .. component");
        expect_error("w.yaml", BASE "devices: [{path: /dev/a//b, type: c, major: 1, minor: 3}]\n", "has an empty, . or .. component");
        expect_error("w.yaml", BASE "devices: [{path: /dev/a/, type: c, major: 1, minor: 3}]\n", "ends in /");
        expect_error("w.yaml", BASE "devices: [{path: /dev/, type: c, major: 1, minor: 3}]\n", "is not a path under /dev/");
        expect_error("w.yaml", BASE "devices: [{path: dev/x, type: c, major: 1, minor: 3}]\n", "is not a path under /dev/");
        expect_error("w.yaml", BASE "devices: [{path: \"/dev/a b\", type: c, major: 1, minor: 3}]\n", "other than printable ASCII");
        expect_error("w.yaml", BASE "devices: [{path: /dev/pts/9, type: c, major: 136, minor: 9}]\n", "is, or is inside, what congo mounts");
        expect_error("w.yaml", BASE "devices: [{path: /dev/shm, type: c, major: 1, minor: 3}]\n", "is, or is inside, what congo mounts");
        expect_error("w.yaml", BASE "devices: [{path: /dev/fd/x, type: c, major: 1, minor: 3}]\n", "is, or is inside, what congo mounts");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: u, major: 1, minor: 3}]\n",
                     "w.yaml:4:32: devices[0].type: \"u\" is not c (character), b (block) or p (FIFO)");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: c, major: 4096, minor: 3}]\n",
                     "devices[0].major: \"4096\" is not a number from 0 to 4095");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: c, major: 1, minor: 1048576}]\n",
                     "devices[0].minor: \"1048576\" is not a number from 0 to 1048575");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: c, major: -1, minor: 3}]\n", "devices[0].major: \"-1\" is not a number");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: c, major: 1, minor: 3, file_mode: 4755}]\n",
                     "devices[0].file_mode: \"4755\" is not an octal mode from 0 to 0777");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: c, major: 1, minor: 3, file_mode: 438}]\n", "is not an octal mode");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: c, major: 1, minor: 3, uid: x}]\n", "devices[0].uid: \"x\" is not a number");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: c, major: 1}]\n",
                     "w.yaml:4:11: devices[0]: minor is missing (a character device needs major and minor)");
        expect_error("w.yaml", BASE "devices: [{type: c, major: 1, minor: 3}]\n", "devices[0]: path is missing");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, major: 1, minor: 3}]\n", "devices[0]: type is missing (c, b or p)");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: p, minor: 3}]\n", "devices[0].minor: a FIFO (type p) has no device number");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: p}, {path: /dev/x, type: p}]\n",
                     "devices[1].path: /dev/x is already devices[0]");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: p, colour: red}]\n", "devices[0]: unknown key \"colour\"");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: p, type: c}]\n", "devices[0]: duplicate key");
        expect_error("w.yaml", BASE "devices: [{path: /dev/x, type: [c]}]\n", "devices[0].type: expected a single value, got a list");
        expect_error("w.yaml", BASE "devices: {path: /dev/x}\n", "devices: expected a list of devices, got a mapping");
        expect_error("w.yaml", BASE "devices: [/dev/x]\n", "devices[0]: expected a mapping like");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\n[devices]\n/dev/x = c 1 3 9\n",
                     "w.ini:6:16: devices: /dev/x: unexpected \"9\"");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\n[devices]\n/dev/x = c 1 3 mode=1\n",
                     "devices[0]: unknown key \"mode\"");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\ndevices = a\n",
                     "devices: is a section in INI: write [devices]");
        char many[20000] = BASE "devices:\n";
        for (int i = 0; i <= CONGO_DEVICES_MAX; i++)
                snprintf(many + strlen(many), sizeof many - strlen(many), "  - {path: /dev/f%d, type: p}\n", i);
        expect_error("w.yaml", many, "devices: more than 128 devices");
}
END_TEST

/* ---- process and security keys (spec_process.c) ------------------------ */

#define CAP(c) (UINT64_C(1) << (c))

/* The five sets: each defaults to security.capabilities (ambient to
 * none), each may be written alone, and sets the kernel would refuse or
 * silently empty are refused at their key. */
START_TEST(capability_sets)
{
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "/tmp/c.yaml", BASE "security:\n  capabilities: [chown, kill, net_bind_service]\n"
                              "  capabilities_ambient: [net_bind_service]\n  capabilities_effective: []\n", &errors), 0);
        free(errors);
        uint64_t three = CAP(0) | CAP(5) | CAP(10);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_BOUNDING], three);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_PERMITTED], three);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_INHERITABLE], three);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_EFFECTIVE], 0);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_AMBIENT], CAP(10));
        ck_assert_int_eq(s.pos[CONGO_K_CAP_AMBIENT].line, 6);
        congo_spec_free(&s);
        ck_assert_int_eq(load(&s, "/tmp/c.yaml", BASE, &errors), 0);
        free(errors);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_BOUNDING], s.security.capabilities);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_AMBIENT], 0);
        congo_spec_free(&s);

        expect_error("c.yaml", BASE "security:\n  capabilities: [chown]\n  capabilities_effective: [chown, kill]\n",
                     "c.yaml:6:27: security.capabilities_effective: CAP_KILL is not in the permitted set (effective must be permitted)");
        expect_error("c.yaml", BASE "security:\n  capabilities: [chown]\n  capabilities_ambient: [kill]\n",
                     "c.yaml:6:25: security.capabilities_ambient: CAP_KILL is not in the permitted set (ambient needs permitted and inheritable)");
        expect_error("c.yaml", BASE "security:\n  capabilities_inheritable: [chown]\n  capabilities_ambient: [kill]\n",
                     "security.capabilities_ambient: CAP_KILL is not in the inheritable set");
        expect_error("c.yaml", BASE "security:\n  capabilities_bounding: [chown]\n  capabilities_inheritable: [kill]\n",
                     "c.yaml:6:29: security.capabilities_inheritable: CAP_KILL is not in the bounding set");
        /* A set written alone checks against the shorthand's sets. */
        expect_error("c.yaml", BASE "security:\n  capabilities: [chown]\n  capabilities_ambient: [ALL]\n",
                     "security.capabilities_ambient: CAP_DAC_OVERRIDE is not in the permitted set");
        expect_error("c.yaml", BASE "security: {capabilities_permitted: [cap_flying]}\n",
                     "c.yaml:4:37: security.capabilities_permitted: unknown capability \"cap_flying\"");
        expect_error("c.yaml", BASE "security: {capabilities_bogus: [kill]}\n",
                     "security.capabilities_bogus: unknown key");
        /* ALL everywhere is consistent. */
        ck_assert_int_eq(load(&s, "/tmp/c.yaml", BASE "security: {capabilities: [ALL], capabilities_ambient: [ALL]}\n", &errors), 0);
        free(errors);
        congo_spec_free(&s);
}
END_TEST

START_TEST(process_keys)
{
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "/tmp/p.yaml", BASE "oom_score_adj: -1000\numask: \"077\"\n"
                              "additional_gids: [10, 4294967294]\npersonality: LINUX32\n", &errors), 0);
        free(errors);
        ck_assert(s.process.oom_score_adj_set);
        ck_assert_int_eq(s.process.oom_score_adj, -1000);
        ck_assert_uint_eq(s.process.umask, 077);
        ck_assert_uint_eq(s.process.n_additional_gids, 2);
        ck_assert_uint_eq(s.process.additional_gids[1], 4294967294u);
        ck_assert_int_eq(s.process.personality, CONGO_PERS_LINUX32);
        congo_spec_free(&s);
        /* Defaults: the launcher's oom_score_adj, umask 022, no groups. */
        ck_assert_int_eq(load(&s, "/tmp/p.yaml", BASE, &errors), 0);
        free(errors);
        ck_assert(!s.process.oom_score_adj_set);
        ck_assert_uint_eq(s.process.umask, 022);
        ck_assert_uint_eq(s.process.n_additional_gids, 0);
        ck_assert_int_eq(s.process.personality, CONGO_PERS_LINUX);
        ck_assert_ptr_null(s.process.masked_paths);
        ck_assert_ptr_null(s.process.readonly_paths);
        congo_spec_free(&s);

        /* Printed back, from YAML and from INI. */
        char *out = printed("/tmp/p.yaml", BASE "additional_gids: [1, 2]\n");
        ck_assert_ptr_nonnull(strstr(out, "\nadditional_gids: [1, 2]\n"));
        free(out);
        out = printed("/tmp/p.ini", "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\nadditional_gids = 1 2\n");
        ck_assert_ptr_nonnull(strstr(out, "\nadditional_gids: [1, 2]\n"));
        free(out);
        expect_error("p.yaml", BASE "oom_score_adj: 1001\n", "p.yaml:4:16: oom_score_adj: \"1001\" is not a number from -1000 to 1000");
        expect_error("p.yaml", BASE "oom_score_adj: -1001\n", "oom_score_adj: \"-1001\" is not a number from -1000 to 1000");
        expect_error("p.yaml", BASE "oom_score_adj: --5\n", "oom_score_adj: \"--5\" is not a number");
        expect_error("p.yaml", BASE "umask: \"0778\"\n", "p.yaml:4:8: umask: \"0778\" is not an octal mode from 0 to 0777");
        expect_error("p.yaml", BASE "umask: \"01000\"\n", "umask: \"01000\" is not an octal mode");
        expect_error("p.yaml", BASE "umask: \"\"\n", "umask: \"\" is not an octal mode");
        expect_error("p.yaml", BASE "additional_gids: [10, x]\n", "p.yaml:4:23: additional_gids: \"x\" is not a group id");
        expect_error("p.yaml", BASE "additional_gids: [4294967295]\n", "additional_gids: \"4294967295\" is not a group id");
        expect_error("p.yaml", BASE "additional_gids: [10]\nnamespaces: [uts, pid, net, mount, ipc, user]\n",
                     "p.yaml:4:18: additional_gids: a user namespace denies setgroups");
        expect_error("p.yaml", BASE "personality: bsd\n", "p.yaml:4:14: personality: \"bsd\" is not linux or linux32");
}
END_TEST

START_TEST(sysctl_key)
{
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "/tmp/s.yaml", BASE "sysctl:\n  kernel.shmmax: 65536\n  net.ipv4.ip_forward: \"1\"\n"
                              "  fs.mqueue.msg_max: 20\n  kernel.sem: 250 32000 32 128\n", &errors), 0);
        free(errors);
        ck_assert_uint_eq(s.process.n_sysctl, 4);
        ck_assert_str_eq(s.process.sysctl[1].name, "net.ipv4.ip_forward");
        ck_assert_str_eq(s.process.sysctl[3].value, "250 32000 32 128");
        ck_assert_int_eq(s.process.sysctl[1].pos.line, 6);
        congo_spec_free(&s);

        /* Refused by name: what is not namespaced would change the host. */
        expect_error("s.yaml", BASE "sysctl: {vm.swappiness: 10}\n",
                     "s.yaml:4:25: sysctl: vm.swappiness: not namespaced, it would change the host");
        expect_error("s.yaml", BASE "sysctl: {kernel.pid_max: 10}\n", "sysctl: kernel.pid_max: not namespaced");
        expect_error("s.yaml", BASE "sysctl: {kernel.shmmaxx: 10}\n", "sysctl: kernel.shmmaxx: not namespaced");
        expect_error("s.yaml", BASE "sysctl: {kernel.hostname: x}\n", "sysctl: kernel.hostname: set it with the hostname key");
        expect_error("s.yaml", BASE "sysctl: {kernel.domainname: x}\n", "sysctl: kernel.domainname: set it with the domainname key");
        /* Nothing that could leave /proc/sys. */
        expect_error("s.yaml", BASE "sysctl: {net/../../x: 1}\n", "sysctl: \"net/../../x\" is not a sysctl name");
        expect_error("s.yaml", BASE "sysctl: {net..ipv4: 1}\n", "sysctl: \"net..ipv4\" is not a sysctl name");
        expect_error("s.yaml", BASE "sysctl: {\"net.\": 1}\n", "sysctl: \"net.\" is not a sysctl name");
        expect_error("s.yaml", BASE "sysctl: {net.ipv4.ip_forward: \"1\\n2\"}\n", "sysctl: net.ipv4.ip_forward: the value must be one non-empty line");
        expect_error("s.yaml", BASE "sysctl: {net.ipv4.ip_forward: \"\"}\n", "the value must be one non-empty line");
        /* Namespaced keys need their namespace. */
        expect_error("s.yaml", BASE "network: host\nsysctl: {net.ipv4.ip_forward: 1}\n",
                     "s.yaml:5:31: sysctl: net.ipv4.ip_forward: needs the net namespace");
        expect_error("s.yaml", BASE "namespaces: [uts, pid, net, mount]\nsysctl: {kernel.shmmax: 1}\n",
                     "sysctl: kernel.shmmax: needs the ipc namespace");
        expect_error("s.yaml", BASE "sysctl: {kernel.shmmax: 1, kernel.shmmax: 2}\n", "sysctl.kernel.shmmax: duplicate key");
        /* A joined namespace is someone else's (perhaps the host's). */
        expect_error("s.yaml", BASE "namespace_paths: {net: /proc/1/ns/net}\nsysctl: {net.ipv4.ip_forward: \"1\"}\n",
                     "sysctl: net.ipv4.ip_forward: the net namespace is joined (namespace_paths.net), not the container's own");
        expect_error("s.yaml", BASE "namespace_paths: {ipc: /proc/1/ns/ipc}\nsysctl: {kernel.sem: 1 2 3 4}\n",
                     "sysctl: kernel.sem: the ipc namespace is joined");
        expect_error("s.ini", "[container]\nversion = 1\nrootfs = /\ncommand = a\n[sysctl]\nkernel.shmmax = 1\nkernel.shmmax = 2\n",
                     "s.ini:7:17: sysctl.kernel.shmmax: duplicate key (first at line 6");
}
END_TEST

START_TEST(masked_and_readonly_paths)
{
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "/tmp/m.yaml", BASE "masked_paths: [/proc/kcore, /etc/../srv//x/]\nreadonly_paths: []\n", &errors), 0);
        free(errors);
        ck_assert_str_eq(s.process.masked_paths[0], "/proc/kcore");
        ck_assert_str_eq(s.process.masked_paths[1], "/srv/x");
        ck_assert_ptr_null(s.process.masked_paths[2]);
        /* Empty: none at all, not the defaults. */
        ck_assert_ptr_nonnull(s.process.readonly_paths);
        ck_assert_ptr_null(s.process.readonly_paths[0]);
        congo_spec_free(&s);
        expect_error("m.yaml", BASE "masked_paths: [proc/kcore]\n", "m.yaml:4:16: masked_paths: \"proc/kcore\" is not an absolute path");
        expect_error("m.yaml", BASE "masked_paths: [/..]\n", "masked_paths: \"/\" cannot be masked");
        expect_error("m.yaml", BASE "readonly_paths: [/]\n", "readonly_paths: \"/\" cannot be made read-only");
        expect_error("m.yaml", BASE "readonly_paths: {a: b}\n", "readonly_paths: expected a list");
}
END_TEST

START_TEST(time_offsets_key)
{
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "/tmp/t.yaml", BASE "namespaces: [uts, pid, net, mount, ipc, time]\n"
                              "time_offsets: {monotonic: 86400, boottime: \"-1.5\"}\n", &errors), 0);
        free(errors);
        ck_assert_int_eq(s.process.time_offsets[CONGO_TIME_MONOTONIC].secs, 86400);
        ck_assert_uint_eq(s.process.time_offsets[CONGO_TIME_MONOTONIC].nanosecs, 0);
        /* The kernel's form: -2 s + 0.5 s. */
        ck_assert_int_eq(s.process.time_offsets[CONGO_TIME_BOOTTIME].secs, -2);
        ck_assert_uint_eq(s.process.time_offsets[CONGO_TIME_BOOTTIME].nanosecs, 500000000);
        congo_spec_free(&s);
        expect_error("t.yaml", BASE "time_offsets: {monotonic: 10}\n",
                     "t.yaml:4:27: time_offsets.monotonic: needs the time namespace in namespaces");
        expect_error("t.yaml", BASE "namespaces: [mount, time]\ntime_offsets: {boottime: 1h}\n",
                     "time_offsets.boottime: \"1h\" is not a number of seconds");
        expect_error("t.yaml", BASE "namespaces: [mount, time]\ntime_offsets: {boottime: \"1.0000000001\"}\n",
                     "is not a number of seconds");
        expect_error("t.yaml", BASE "namespaces: [mount, time]\nnamespace_paths: {time: /proc/1/ns/time}\n"
                     "time_offsets: {boottime: 1}\n", "time_offsets.boottime: the time namespace is joined (namespace_paths.time)");
        expect_error("t.yaml", BASE "namespaces: [mount, time]\ntime_offsets: {realtime: 1}\n",
                     "time_offsets.realtime: unknown key");
}
END_TEST

/* Printed back and parsed again: the same; YAML, INI and --set agree. */
START_TEST(process_keys_print_ini_set)
{
        const char *yaml = BASE "oom_score_adj: 5\numask: \"0\"\nadditional_gids: [1, 2]\npersonality: linux32\n"
                "namespaces: [uts, pid, net, mount, ipc, time]\n"
                "sysctl: {net.ipv4.ip_forward: \"1\", kernel.sem: \"1 2 3 4\"}\n"
                "masked_paths: []\nreadonly_paths: [/proc/sys, /etc]\n"
                "time_offsets: {monotonic: \"-0.25\", boottime: 7}\n"
                "security: {capabilities: [chown, kill], capabilities_ambient: [kill], capabilities_bounding: [ALL]}\n";
        const char *ini = "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\noom_score_adj = 5\numask = 0\n"
                "additional_gids = 1 2\npersonality = linux32\nnamespaces = uts pid net mount ipc time\n"
                "masked_paths =\nreadonly_paths = /proc/sys /etc\n"
                "[sysctl]\nnet.ipv4.ip_forward = 1\nkernel.sem = 1 2 3 4\n"
                "[time_offsets]\nmonotonic = -0.25\nboottime = 7\n"
                "[security]\ncapabilities = chown kill\ncapabilities_ambient = kill\ncapabilities_bounding = ALL\n";
        char *once = printed("/tmp/rt.yaml", yaml);
        char *twice = printed("/tmp/rt.yaml", once);
        char *from_ini = printed("/tmp/rt.ini", ini);
        ck_assert_str_eq(once, twice);
        ck_assert_str_eq(once, from_ini);
        ck_assert_ptr_nonnull(strstr(once, "umask: \"0000\"\n"));
        ck_assert_ptr_nonnull(strstr(once, "masked_paths: []\n"));
        ck_assert_ptr_nonnull(strstr(once, "monotonic: \"-0.250000000\"\n"));
        ck_assert_ptr_nonnull(strstr(once, "  capabilities_bounding: [ALL]\n  capabilities_ambient: [CAP_KILL]\n"));
        ck_assert_ptr_null(strstr(once, "capabilities_permitted"));
        free(once);
        free(twice);
        free(from_ini);

        struct congo_spec s;
        char *errors;
        size_t len;
        congo_spec_init(&s, "/tmp/o.yaml");
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        congo_parse_yaml(&s, yaml, strlen(yaml), &d);
        ck_assert_int_eq(congo_spec_override(&s, "umask=027", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "oom_score_adj=-7", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "sysctl.kernel.sem=5 6 7 8", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "security.capabilities_ambient=", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "readonly_paths=", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "masked_paths=/proc/kcore", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "sysctl.vm.overcommit_memory=1", &d), -1);
        ck_assert_int_eq(congo_spec_finish(&s, &d), 0);
        fclose(f);
        ck_assert_uint_eq(s.process.umask, 027);
        ck_assert_int_eq(s.process.oom_score_adj, -7);
        ck_assert_str_eq(s.process.sysctl[1].value, "5 6 7 8");
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_AMBIENT], 0);
        ck_assert_ptr_null(s.process.readonly_paths[0]);
        ck_assert_str_eq(s.process.masked_paths[0], "/proc/kcore");
        ck_assert_ptr_nonnull(strstr(errors, "--set: sysctl: vm.overcommit_memory: not namespaced"));
        free(errors);
        congo_spec_free(&s);
}
END_TEST



/* --set KEY+= and KEY-= on the capability sets (from what each set is so
 * far) and on sysctl, which also takes NAME: ~ in a later layer. */
START_TEST(process_keys_compose)
{
        struct congo_spec s;
        char *errors;
        size_t len;
        congo_spec_init(&s, "/tmp/c.yaml");
        FILE *f = open_memstream(&errors, &len);
        struct congo_diag d = { f, 0 };
        const char *text = BASE "security: {capabilities: [chown, kill], capabilities_ambient: [kill]}\n"
                                "sysctl: {kernel.sem: \"1 2 3 4\", kernel.shmmni: \"9\"}\n";
        congo_parse_yaml(&s, text, strlen(text), &d);
        ck_assert_int_eq(congo_spec_override(&s, "security.capabilities_bounding+=CAP_SYS_ADMIN", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "security.capabilities_ambient-=kill", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "security.capabilities_ambient-=kill", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "sysctl-=kernel.sem", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "sysctl+=kernel.shmmax=7", &d), 0);
        ck_assert_int_eq(congo_spec_override(&s, "sysctl-=kernel.nope", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "masked_paths+=/x", &d), -1);
        ck_assert_int_eq(congo_spec_finish(&s, &d), 0);
        fclose(f);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_BOUNDING], CAP(0) | CAP(5) | CAP(21));
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_AMBIENT], 0);
        ck_assert_uint_eq(s.process.n_sysctl, 2);
        ck_assert_str_eq(s.process.sysctl[0].name, "kernel.shmmni");
        ck_assert_str_eq(s.process.sysctl[1].value, "7");
        ck_assert_ptr_nonnull(strstr(errors, "security.capabilities_ambient-=: \"kill\" is not in the set"));
        ck_assert_ptr_nonnull(strstr(errors, "sysctl.kernel.nope: has no value (~ or nothing removes a parameter"));
        ck_assert_ptr_nonnull(strstr(errors, "masked_paths: += is not supported for this list"));
        free(errors);
        congo_spec_free(&s);
}
END_TEST

/* hooks: every kind, values as given, INI = YAML, print -> parse -> print,
 * every refusal with its position. */
START_TEST(hooks_key)
{
        struct congo_spec s;
        char *errors;
        const char *yaml = BASE "hooks:\n"
                "  prestart:\n"
                "    - {path: /usr/bin/env, args: [env, \"a b\"], env: [A=1, \"B=x y\"], timeout: 5}\n"
                "    - path: /bin/true\n"
                "  create_runtime: [{path: /cr}]\n"
                "  create_container: [{path: /cc, args: []}]\n"
                "  start_container: [{path: /sc, env: []}]\n"
                "  poststart: [{path: /ps}]\n"
                "  poststop: [{path: /pp, timeout: 2147483}]\n";
        ck_assert_int_eq(load(&s, "/tmp/h.yaml", yaml, &errors), 0);
        free(errors);
        ck_assert_uint_eq(s.n_hooks[CONGO_HOOK_PRESTART], 2);
        const struct congo_hook *h = &s.hooks[CONGO_HOOK_PRESTART][0];
        ck_assert_str_eq(h->path, "/usr/bin/env");
        ck_assert_str_eq(h->args[0], "env");
        ck_assert_str_eq(h->args[1], "a b");
        ck_assert_ptr_null(h->args[2]);
        ck_assert_str_eq(h->env[1], "B=x y");
        ck_assert_uint_eq(h->timeout, 5);
        ck_assert_ptr_null(s.hooks[CONGO_HOOK_PRESTART][1].args);   /* argv: the path alone */
        ck_assert_ptr_null(s.hooks[CONGO_HOOK_PRESTART][1].env);    /* an empty environment */
        ck_assert_uint_eq(s.hooks[CONGO_HOOK_PRESTART][1].timeout, 0);
        ck_assert_ptr_null(s.hooks[CONGO_HOOK_CREATE_CONTAINER][0].args);
        ck_assert_ptr_nonnull(s.hooks[CONGO_HOOK_START_CONTAINER][0].env);
        ck_assert_ptr_null(s.hooks[CONGO_HOOK_START_CONTAINER][0].env[0]);
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                ck_assert_uint_ge(s.n_hooks[k], 1);
        ck_assert_int_eq(h->pos_key[CONGO_HOOKK_TIMEOUT].line, 6);
        congo_spec_free(&s);

        const char *ini = "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\n[hooks]\n"
                          "prestart = /usr/bin/env timeout=5 env=A=1 'env=B=x y' -- env 'a b'\n"
                          "prestart = /bin/true\ncreate_runtime = /cr\ncreate_container = /cc --\n"
                          "start_container = /sc\npoststart = /ps\npoststop = /pp timeout=2147483\n";
        char *a = printed("/tmp/h.yaml", yaml), *b = printed("/tmp/h.ini", ini);
        /* start_container's explicit env: [] has no INI spelling: the same
         * empty environment. */
        char *sc = strstr(a, "{path: \"/sc\", env: []}");
        ck_assert_ptr_nonnull(sc);
        memmove(sc + strlen("{path: \"/sc\""), sc + strlen("{path: \"/sc\", env: []"),
                strlen(sc + strlen("{path: \"/sc\", env: []")) + 1);
        ck_assert_str_eq(a, b);
        ck_assert_ptr_nonnull(strstr(a, "hooks:\n  prestart:\n    - {path: \"/usr/bin/env\", args: [\"env\", \"a b\"], env: [\"A=1\", \"B=x y\"], timeout: 5}\n    - {path: \"/bin/true\"}\n  create_runtime:\n"));
        char *again = printed("/tmp/h.yaml", a);
        ck_assert_str_eq(a, again);
        free(again);
        free(a);
        free(b);
        a = printed("/tmp/h.yaml", BASE);
        ck_assert_ptr_null(strstr(a, "hooks"));   /* none: not printed */
        free(a);

        expect_error("w.yaml", BASE "hooks: {prestart: [{path: bin/x}]}\n",
                     "w.yaml:4:27: hooks.prestart[0].path: \"bin/x\" is not an absolute path");
        expect_error("w.yaml", BASE "hooks: {prestart: [{path: /x, timeout: 0}]}\n",
                     "w.yaml:4:40: hooks.prestart[0].timeout: \"0\" is not a number of seconds from 1 to 2147483");
        expect_error("w.yaml", BASE "hooks: {prestart: [{path: /x, timeout: 2147484}]}\n", "is not a number of seconds");
        expect_error("w.yaml", BASE "hooks: {prestart: [{path: /x, timeout: -1}]}\n", "is not a number of seconds");
        expect_error("w.yaml", BASE "hooks: {prestart: [{path: /x, timeout: 1.5}]}\n", "is not a number of seconds");
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: /x}, {path: /x, env: [A=1, B]}]}\n",
                     "hooks.poststop[1].env[1]: \"B\" is not NAME=VALUE");
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: /x, env: [=1]}]}\n", "\"=1\" is not NAME=VALUE");
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: /x, env: \"A=1 B\"}]}\n", "hooks.poststop[0].env[1]: \"B\" is not NAME=VALUE");
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: /x, args: \"a 'b\"}]}\n", "hooks.poststop[0].args: ");
        /* A list as one value: words, as every list of a spec. */
        ck_assert_int_eq(load(&s, "/tmp/h.yaml", BASE "hooks: {poststop: [{path: /x, args: \"x 'a b'\", env: \"A=1 B=2\"}]}\n", &errors), 0);
        free(errors);
        ck_assert_str_eq(s.hooks[CONGO_HOOK_POSTSTOP][0].args[1], "a b");
        ck_assert_str_eq(s.hooks[CONGO_HOOK_POSTSTOP][0].env[1], "B=2");
        congo_spec_free(&s);
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: [/x]}]}\n", "hooks.poststop[0].path: expected a single value, got a list");
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: /x, args: [a, [b]]}]}\n", "item 2: expected a single value, got a list");
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: /x, path: /y}]}\n",
                     "w.yaml:4:37: hooks.poststop[0].path: duplicate key (first at line 4, column 27)");
        expect_error("w.yaml", BASE "hooks: {poststop: [{path: /x, colour: red}]}\n",
                     "hooks.poststop[0]: unknown key \"colour\" (expected path, args, env, timeout)");
        expect_error("w.yaml", BASE "hooks: {poststop: [{args: [a]}]}\n", "w.yaml:4:20: hooks.poststop[0]: path is missing");
        expect_error("w.yaml", BASE "hooks: {poststop: [/x]}\n", "hooks.poststop[0]: expected a mapping like");
        expect_error("w.yaml", BASE "hooks: {poststop: {path: /x}}\n", "hooks.poststop: expected a list of hooks, got a mapping");
        expect_error("w.yaml", BASE "hooks: {prestrat: []}\n", "hooks.prestrat: unknown key; did you mean \"prestart\"?");
        expect_error("w.yaml", BASE "hooks: {createRuntime: []}\n", "hooks.createRuntime: unknown key");
        expect_error("w.yaml", BASE "hooks: [prestart]\n", "hooks: expected a mapping, got a list");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\n[hooks]\nprestart = /x timeout=1 nope\n",
                     "w.ini:6:25: hooks.prestart: unexpected \"nope\"");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\n[hooks]\nprestart = -- a\n",
                     "hooks.prestart: expected \"PATH [timeout=N]");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\n[hooks]\nprestart = /x timeout=1 timeout=2\n",
                     "hooks.prestart[0].timeout: duplicate key");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\n[hooks]\nprestop = /x\n",
                     "w.ini:6:1: hooks.prestop: unknown kind of hook");
        expect_error("w.ini", "[container]\nversion = 1\nrootfs = /\ncommand = x\n[hooks]\npoststop = 'unclosed\n",
                     "hooks.poststop: ");
        struct congo_diag d = { NULL, 0 };
        congo_spec_init(&s, NULL);
        ck_assert_int_eq(congo_spec_override(&s, "hooks.prestart=/x", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "hooks.prestart+=/x", &d), -1);
        ck_assert_int_eq(congo_spec_override(&s, "hooks.poststop-=/x", &d), -1);
        ck_assert_int_eq(d.count, 3);
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                ck_assert_uint_eq(s.n_hooks[k], 0);
        congo_spec_free(&s);
        char many[20000] = BASE "hooks:\n  poststop:\n";
        for (int i = 0; i <= CONGO_HOOKS_MAX; i++)
                snprintf(many + strlen(many), sizeof many - strlen(many), "    - {path: /h%d}\n", i);
        expect_error("w.yaml", many, "hooks.poststop: more than 32 hooks");
}
END_TEST

TCase *key_table_tcase(void);   /* unit_spec_keys.c */
TCase *schema_tcase(void);      /* unit_spec_schema.c */

int main(void)
{
        Suite *s = suite_create("spec");
        TCase *tc = tcase_create("spec");
        tcase_add_test(tc, full_yaml_spec);
        tcase_add_test(tc, defaults);
        tcase_add_test(tc, relative_paths_follow_the_spec_file);
        tcase_add_test(tc, value_errors_with_positions);
        tcase_add_test(tc, structure_errors);
        tcase_add_test(tc, all_problems_in_one_pass);
        tcase_add_test(tc, alias_bomb_fails_fast);
        tcase_add_test(tc, deep_nesting_and_garbage);
        tcase_add_test(tc, ini_errors);
        tcase_add_test(tc, yaml_ini_equivalence);
        tcase_add_test(tc, print_parse_round_trip);
        tcase_add_test(tc, value_parsers);
        tcase_add_test(tc, set_overrides);
        tcase_add_test(tc, seccomp_profile_key);
        tcase_add_test(tc, seccomp_inline_profile);
        tcase_add_test(tc, seed_positional);
        tcase_add_test(tc, every_error_in_one_pass);
        tcase_add_test(tc, check_finds_the_command_in_the_rootfs);
        tcase_add_test(tc, shell_quoting_round_trips);
        tcase_add_test(tc, each_boolean_key_sets_its_own_field);
        tcase_add_test(tc, format_detection);
        tcase_add_test(tc, fuzz_regressions);
        tcase_add_test(tc, devices_key);
        tcase_add_test(tc, capability_sets);
        tcase_add_test(tc, process_keys);
        tcase_add_test(tc, sysctl_key);
        tcase_add_test(tc, masked_and_readonly_paths);
        tcase_add_test(tc, time_offsets_key);
        tcase_add_test(tc, process_keys_print_ini_set);
        tcase_add_test(tc, process_keys_compose);
        tcase_add_test(tc, hooks_key);
        suite_add_tcase(s, tc);
        suite_add_tcase(s, key_table_tcase());
        suite_add_tcase(s, schema_tcase());
        return run_suite(s);
}
