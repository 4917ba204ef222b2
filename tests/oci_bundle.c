/* oci_bundle.c - OCI bundles made by `crun spec` and `runc spec`, run by
 * `congo-launch BUNDLE/` as root on the suite's busybox rootfs: what the
 * container sees, its exit status, and what congo refuses by JSON path. */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

static const char *launcher(void)
{
        const char *l = getenv("CONGO_LAUNCH");
        return l ? l : "./congo-launch";
}

/* A fresh bundle directory made by `TOOL spec`; returns its path (static). */
static const char *make_bundle(const char *tool, const char *name)
{
        static char dir[512];
        char cmd[1200];

        snprintf(dir, sizeof dir, "%s/%s", harness_tmp(), name);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        /* Where the tool is not installed (the qemu VM of make check-vm
         * has only static programs), the bundle it wrote on Debian 12,
         * kept in tests/oci/, stands in for it. */
        snprintf(cmd, sizeof cmd, "command -v %s >/dev/null", tool);
        if (system(cmd) != 0) {
                const char *src = getenv("CONGO_SRCDIR");
                snprintf(cmd, sizeof cmd, "cp '%s/tests/oci/%s-spec.json' '%s/config.json'",
                         src ? src : ".", tool, dir);
                printf("%s is not installed: using tests/oci/%s-spec.json\n", tool, tool);
        } else {
                snprintf(cmd, sizeof cmd, "cd '%s' && %s spec >/dev/null", dir, tool);
        }
        ck_assert_msg(system(cmd) == 0, "%s", cmd);
        return dir;
}

static json_t *load_config(const char *dir)
{
        char path[600];
        json_error_t e;

        snprintf(path, sizeof path, "%s/config.json", dir);
        json_t *root = json_load_file(path, 0, &e);
        ck_assert_msg(root != NULL, "%s: %s", path, e.text);
        return root;
}

static void save_config(const char *dir, json_t *root)
{
        char path[600];

        snprintf(path, sizeof path, "%s/config.json", dir);
        ck_assert_int_eq(json_dump_file(root, path, JSON_INDENT(2)), 0);
        json_decref(root);
}

static void set_command(json_t *root, const char *script)
{
        json_t *process = json_object_get(root, "process");

        json_object_set_new(process, "terminal", json_false());
        json_object_set_new(process, "args", json_pack("[sss]", "/bin/sh", "-c", script));
}

static struct outcome run_bundle(const char *dir)
{
        const char *args[] = { dir, NULL };
        return harness_run(args);
}

/* The process and security fields of a crun bundle, as the container
 * sees them: the five sets (crun's ambient without inheritable is left
 * out, as crun does), umask, groups, oomScoreAdj, sysctl, masked paths. */
START_TEST(process_fields_observed)
{
        const char *dir = make_bundle("crun", "crun-process");
        json_t *root = load_config(dir);
        json_t *process = json_object_get(root, "process"), *linux_ = json_object_get(root, "linux");

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        json_object_set_new(json_object_get(process, "user"), "umask", json_integer(023));
        json_object_set_new(json_object_get(process, "user"), "additionalGids", json_pack("[ii]", 7, 9));
        json_object_set_new(process, "oomScoreAdj", json_integer(300));
        json_object_set_new(json_object_get(process, "capabilities"), "inheritable", json_pack("[s]", "CAP_KILL"));
        json_object_set_new(linux_, "sysctl", json_pack("{ss}", "kernel.shmmni", "321"));
        json_object_set_new(linux_, "maskedPaths", json_pack("[s]", "/etc/passwd"));
        json_object_set_new(linux_, "readonlyPaths", json_pack("[]"));
        set_command(root, "grep -e ^Cap -e ^Groups /proc/self/status; umask; cat /proc/self/oom_score_adj;"
                          " cat /proc/sys/kernel/shmmni; wc -c < /etc/passwd; echo 5 > /proc/sys/kernel/shmmni && echo rw");
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "Groups:\t7 9 \nCapInh:\t0000000000000020\nCapPrm:\t0000000020000420\nCapEff:\t0000000020000420\n"
                         "CapBnd:\t0000000020000420\nCapAmb:\t0000000000000020\n0023\n300\n321\n0\nrw\n");
        outcome_free(&o);
}
END_TEST

START_TEST(crun_spec_bundle_runs)
{
        const char *dir = make_bundle("crun", "crun-bundle");
        json_t *root = load_config(dir);

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, "hostname; id -u; env | grep -v -e ^PWD= -e ^SHLVL= | sort;"
                          " grep -e ^CapBnd -e ^NoNewPrivs /proc/self/status;"
                          " grep -c ' /proc ' /proc/mounts;"
                          " grep -c -e ' /dev/mqueue .* - mqueue ' -e ' /sys/fs/cgroup ro,.* - cgroup2 ' /proc/self/mountinfo;"
                          " exit 7");
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_msg(o.status == 7, "status %d, err: %s", o.status, o.err);
        /* crun's defaults: hostname crun, uid 0, PATH and TERM only (no
         * HOME added), CAP_AUDIT_WRITE|CAP_KILL|CAP_NET_BIND_SERVICE. */
        ck_assert_str_eq(o.out, "crun\n0\n"
                         "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                         "TERM=xterm\n"
                         "CapBnd:\t0000000020000420\nNoNewPrivs:\t1\n1\n"
                         "2\n");   /* its mqueue and cgroup (as cgroup2, read-only) mounts */
        ck_assert_int_eq(congo_cgroups_left("crun-bundle"), 0);
        outcome_free(&o);
}
END_TEST

/* runc's bundle, root.path "rootfs" relative to the bundle as it writes
 * it, read-only as it says; config.json named directly. */
START_TEST(runc_spec_bundle_runs_with_its_relative_rootfs)
{
        const char *dir = make_bundle("runc", "runc-bundle");
        char cmd[1200], file[600];
        const char *src = getenv("CONGO_SRCDIR");

        snprintf(cmd, sizeof cmd, "sh '%s/tests/mkrootfs.sh' '%s/rootfs' >/dev/null", src ? src : ".", dir);
        ck_assert_int_eq(system(cmd), 0);
        json_t *root = load_config(dir);
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "root"), "path")), "rootfs");
        set_command(root, "hostname; touch /x 2>/dev/null && echo writable || echo read-only;"
                          " cat /proc/self/status | grep -c '^Seccomp:.*0$'");
        save_config(dir, root);
        snprintf(file, sizeof file, "%s/config.json", dir);
        const char *args[] = { file, NULL };
        struct outcome o = harness_run(args);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        /* No linux.seccomp: no filter, as the spec says. */
        ck_assert_str_eq(o.out, "runc\nread-only\n1\n");
        outcome_free(&o);
}
END_TEST

/* The bundle as the tool made it: what congo cannot do yet is refused,
 * each by its JSON path, with 125 and no container. */
/* No process.env: an empty environment, and the command found along
 * execvp's default PATH, as the spec's "execvp semantics" say. */
START_TEST(no_env_is_an_empty_environment)
{
        const char *dir = make_bundle("crun", "crun-noenv");
        json_t *root = load_config(dir);

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, "unused");
        /* env itself, not under a shell (busybox sh would set a PATH). */
        json_object_set_new(json_object_get(root, "process"), "args", json_pack("[s]", "env"));
        json_object_del(json_object_get(root, "process"), "env");
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "");
        outcome_free(&o);
}
END_TEST

START_TEST(unsupported_fields_refused_by_json_path)
{
        const char *dir = make_bundle("crun", "crun-asis");
        json_t *root = load_config(dir);

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        json_object_set_new(json_object_get(root, "linux"), "sysctl",
                            json_pack("{ss}", "vm.swappiness", "1"));
        set_command(root, "echo ran");
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_int_eq(o.status, 125);
        ck_assert_str_eq(o.out, "");
        ck_assert_msg(strstr(o.err, "config.json: linux.sysctl.vm.swappiness: sysctl: vm.swappiness: not namespaced"),
                      "err: %s", o.err);
        ck_assert_int_eq(count_lines(o.err, "config.json: "), 1);
        outcome_free(&o);
}
END_TEST

/* The pids limit reaches the cgroup (the plan --dry-run prints is what
 * the cgroup stage writes), annotations are kept, -1 is no limit, and
 * --print's YAML runs the same container. */
START_TEST(resources_and_print)
{
        const char *dir = make_bundle("crun", "crun-res");
        json_t *root = load_config(dir);
        char yaml[600], cmd[1400];

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, "echo ran");
        json_object_set_new(json_object_get(root, "linux"), "resources",
                            json_pack("{s{si}s{si}}", "pids", "limit", 42, "memory", "limit", -1));
        json_object_set_new(root, "annotations", json_pack("{ss}", "org.example.k", "v"));
        json_object_set_new(json_object_get(root, "linux"), "namespaces",
                            json_pack("[{ss}{ss}{ss}{ss}{ss}{ss}]", "type", "pid", "type", "network",
                                      "type", "ipc", "type", "uts", "type", "mount", "type", "cgroup"));
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "ran\n");
        outcome_free(&o);
        const char *plan[] = { "--dry-run", dir, NULL };
        o = harness_run(plan);
        ck_assert_int_eq(o.status, 0);
        ck_assert_msg(strstr(o.out, "pids.max = 42\n") != NULL, "plan: %s", o.out);
        ck_assert_msg(strstr(o.out, "memory.") == NULL, "memory -1 is no limit: %s", o.out);
        outcome_free(&o);

        snprintf(yaml, sizeof yaml, "%s/printed.yaml", harness_tmp());
        snprintf(cmd, sizeof cmd, "'%s' --print '%s' > '%s'", launcher(), dir, yaml);
        ck_assert_int_eq(system(cmd), 0);
        char *printed = read_file(yaml);
        ck_assert_ptr_nonnull(strstr(printed, "annotations:\n  \"org.example.k\": \"v\"\n"));
        ck_assert_ptr_nonnull(strstr(printed, "  pids: 42\n"));
        free(printed);
        const char *args[] = { yaml, NULL };
        o = harness_run(args);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "ran\n");
        outcome_free(&o);
}
END_TEST

/* process.consoleSize: the container's pty starts at that size (the
 * launcher's stdin is no terminal here: without it, 24x80). */
START_TEST(console_size_sizes_the_pty)
{
        const char *dir = make_bundle("crun", "crun-console");
        json_t *root = load_config(dir);
        json_t *process = json_object_get(root, "process");

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        json_object_set_new(process, "terminal", json_true());
        json_object_set_new(process, "args", json_pack("[ss]", "/bin/stty", "size"));
        json_object_set_new(process, "consoleSize", json_pack("{sisi}", "height", 33, "width", 101));
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "33 101\r\n");
        outcome_free(&o);
}
END_TEST

/* process.ioPriority: the command runs in that I/O class and level
 * (PID 1, congo's init, keeps the launcher's). */
START_TEST(io_priority_reaches_the_command)
{
        const char *dir = make_bundle("crun", "crun-ioprio");
        json_t *root = load_config(dir);

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, "ionice");
        json_object_set_new(json_object_get(root, "process"), "ioPriority",
                            json_pack("{sssi}", "class", "IOPRIO_CLASS_BE", "priority", 6));
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "best-effort: prio 6\n");
        outcome_free(&o);
}
END_TEST

/* A process in uts and net namespaces of its own, its host name NAME:
 * the namespaces a bundle joins by /proc/PID/ns/uts (and, where `ip`
 * cannot make a named one, /proc/PID/ns/net).  Killed by its pid. */
static pid_t start_uts_holder(const char *name)
{
        char mine[64], theirs[64], path[64];
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                /* Gone with the test, whatever assertion ends it. */
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (unshare(CLONE_NEWUTS | CLONE_NEWNET) < 0 || sethostname(name, strlen(name)) < 0)
                        _exit(1);
                execl("/bin/sleep", "sleep", "60", (char *)NULL);
                _exit(1);
        }
        ck_assert_int_gt(readlink("/proc/self/ns/uts", mine, sizeof mine - 1), 0);
        snprintf(path, sizeof path, "/proc/%d/ns/uts", (int)pid);
        for (int i = 0; i < 500; i++) {   /* until it has unshared: 5 s at most */
                ssize_t n = readlink(path, theirs, sizeof theirs - 1);
                if (n > 0 && (theirs[n] = '\0', strncmp(mine, theirs, strlen(mine)) != 0))
                        return pid;
                nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        ck_abort_msg("the uts holder did not unshare");
        return -1;
}

static void stop(pid_t pid)
{
        kill(pid, SIGKILL);
        ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}

/* A crun bundle whose namespaces list joins some by path. */
static const char *joining_bundle(const char *name, const char *script, const char *net,
                                  const char *uts)
{
        const char *dir = make_bundle("crun", name);
        json_t *root = load_config(dir);
        json_t *ns = json_pack("[{ss}{ss}{ss}]", "type", "pid", "type", "mount", "type", "ipc");

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, script);
        json_object_del(root, "hostname");
        json_array_append_new(ns, json_pack("{ssss}", "type", "network", "path", net));
        json_array_append_new(ns, json_pack("{ssss}", "type", "uts", "path", uts));
        json_object_set_new(json_object_get(root, "linux"), "namespaces", ns);
        save_config(dir, root);
        return dir;
}

/* linux.namespaces[].path: the container is in the network namespace
 * `ip netns add` made and in the uts namespace of a process we started;
 * neither is changed (lo stays down, the host name stays).  Where `ip`
 * has no netns command (busybox's, in the check-vm VM), the holder's own
 * network namespace is the one joined. */
START_TEST(joins_namespaces_by_path)
{
        char netns[64], netpath[128], utspath[64], want[256], cmd[200];
        struct stat st;

        snprintf(netns, sizeof netns, "congo-oci-%d", (int)getpid());
        snprintf(cmd, sizeof cmd, "ip netns add %s 2>/dev/null", netns);
        bool named = system(cmd) == 0;
        pid_t holder = start_uts_holder("joined-uts");
        if (named)
                snprintf(netpath, sizeof netpath, "/run/netns/%s", netns);
        else
                snprintf(netpath, sizeof netpath, "/proc/%d/ns/net", (int)holder);
        snprintf(utspath, sizeof utspath, "/proc/%d/ns/uts", (int)holder);
        const char *dir = joining_bundle("join", "hostname; readlink /proc/self/ns/net;"
                                         " cat /sys/class/net/lo/operstate", netpath, utspath);
        struct outcome o = run_bundle(dir);
        int stat_rc = stat(netpath, &st);
        stop(holder);
        snprintf(cmd, sizeof cmd, "ip netns del %s", netns);
        ck_assert_int_eq(named ? system(cmd) : 0, 0);
        ck_assert_int_eq(stat_rc, 0);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        snprintf(want, sizeof want, "joined-uts\nnet:[%lu]\ndown\n", (unsigned long)st.st_ino);
        ck_assert_str_eq(o.out, want);
        ck_assert_int_eq(congo_cgroups_left("join"), 0);
        outcome_free(&o);
}
END_TEST

/* An inline linux.seccomp that denies mkdir (EPERM) and allows the rest:
 * the container gets that filter, run from the bundle and from the YAML
 * that --print makes of it, which prints the same again. */
START_TEST(inline_seccomp_from_bundle_and_its_print)
{
        const char *dir = make_bundle("crun", "inline-seccomp");
        json_t *root = load_config(dir);
        char yaml[600];

        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, "mkdir /tmp/d 2>&1; echo $?; touch /tmp/f && echo touched");
        /* HOME given: a YAML spec without one gets HOME=/root, which no
         * YAML key can leave out (OCI's env is the whole environment). */
        json_object_set_new(json_object_get(root, "process"), "env",
                            json_pack("[ss]", "PATH=/usr/bin:/bin", "HOME=/root"));
        json_object_set_new(json_object_get(root, "linux"), "seccomp",
                            json_pack("{ss s[{s[ss] ss si}]}", "defaultAction", "SCMP_ACT_ALLOW", "syscalls",
                                      "names", "mkdir", "mkdirat", "action", "SCMP_ACT_ERRNO", "errnoRet", 1));
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "mkdir: can't create directory '/tmp/d': Operation not permitted\n1\ntouched\n");
        outcome_free(&o);

        const char *print[] = { "--print", dir, NULL };
        struct outcome p = harness_run(print);
        ck_assert_msg(p.status == 0, "status %d, err: %s", p.status, p.err);
        ck_assert_msg(strstr(p.out, "  seccomp: {profile: {\"defaultAction\": \"SCMP_ACT_ALLOW\""), "%s", p.out);
        snprintf(yaml, sizeof yaml, "%s/printed.yaml", harness_tmp());
        FILE *f = fopen(yaml, "w");
        ck_assert_ptr_nonnull(f);
        fputs(p.out, f);
        ck_assert_int_eq(fclose(f), 0);
        const char *again[] = { "--print", yaml, NULL };
        struct outcome q = harness_run(again);
        ck_assert_msg(q.status == 0, "status %d, err: %s", q.status, q.err);
        ck_assert_str_eq(q.out, p.out);
        const char *run[] = { yaml, NULL };
        struct outcome r = harness_run(run);
        ck_assert_msg(r.status == 0, "status %d, err: %s", r.status, r.err);
        ck_assert_str_eq(r.out, "mkdir: can't create directory '/tmp/d': Operation not permitted\n1\ntouched\n");
        ck_assert_int_eq(congo_cgroups_left("inline-seccomp"), 0);
        outcome_free(&p);
        outcome_free(&q);
        outcome_free(&r);
}
END_TEST

/* A user namespace holder: unshares CLONE_NEWUSER, waits for the maps we
 * write (0 100000 65536, setgroups deny; none when !maps), then sleeps.
 * Killed by stop(). */
static pid_t start_user_holder_maps(bool maps)
{
        int go[2], ready[2];
        char c, path[64];

        ck_assert_int_eq(pipe(go), 0);
        ck_assert_int_eq(pipe(ready), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                close(go[1]);
                close(ready[0]);
                if (unshare(CLONE_NEWUSER) < 0 || write(ready[1], "u", 1) != 1 || read(go[0], &c, 1) != 1)
                        _exit(1);
                execl("/bin/sleep", "sleep", "60", (char *)NULL);
                _exit(1);
        }
        close(go[0]);
        close(ready[1]);
        ck_assert_int_eq(read(ready[0], &c, 1), 1);
        close(ready[0]);
        const char *files[] = { "uid_map", "setgroups", "gid_map" };
        const char *text[] = { "0 100000 65536\n", "deny", "0 100000 65536\n" };
        for (int i = 0; maps && i < 3; i++) {
                snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, files[i]);
                FILE *f = fopen(path, "w");
                ck_assert_msg(f != NULL, "%s", path);
                ck_assert_int_ge(fputs(text[i], f), 0);
                ck_assert_int_eq(fclose(f), 0);
        }
        ck_assert_int_eq(write(go[1], "g", 1), 1);
        close(go[1]);
        return pid;
}

static pid_t start_user_holder(void)
{
        return start_user_holder_maps(true);
}

static char *slurp_proc(pid_t pid, const char *file)
{
        char path[64], *text = NULL;
        size_t len = 0;

        snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
        FILE *f = fopen(path, "r"), *out = open_memstream(&text, &len);
        ck_assert_msg(f != NULL && out != NULL, "%s", path);
        for (int c; (c = getc(f)) != EOF;)
                putc(c, out);
        fclose(f);
        fclose(out);
        return text;
}

/* linux.namespaces [{type: user, path}]: the container is in the holder's
 * user namespace (its maps, unchanged), and the namespaces made for it
 * are owned by that one: congo, root there, sets their host name and
 * mounts /proc (and cgroup2 at /sys/fs/cgroup, with a cgroup namespace). */
START_TEST(joins_a_user_namespace_by_path)
{
        char userpath[64], want[512];
        pid_t holder = start_user_holder();
        char *uid_map = slurp_proc(holder, "uid_map"), *gid_map = slurp_proc(holder, "gid_map");

        snprintf(userpath, sizeof userpath, "/proc/%d/ns/user", (int)holder);
        const char *dir = make_bundle("crun", "join-user");
        json_t *root = load_config(dir);
        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, "cat /proc/self/uid_map /proc/self/gid_map; hostname;"
                          " id -u");
        json_object_set_new(root, "hostname", json_string("inner"));
        json_object_set_new(json_object_get(root, "linux"), "namespaces",
                            json_pack("[{ss}{ss}{ss}{ss}{ss}{ss}{ssss}]", "type", "pid", "type", "mount",
                                      "type", "ipc", "type", "uts", "type", "network", "type", "cgroup",
                                      "type", "user", "path", userpath));
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        char *after = slurp_proc(holder, "uid_map");
        stop(holder);
        ck_assert_msg(o.status == 0, "status %d, err: %s", o.status, o.err);
        snprintf(want, sizeof want, "%s%sinner\n0\n", uid_map, gid_map);
        ck_assert_str_eq(o.out, want);
        ck_assert_str_eq(after, uid_map);
        ck_assert_int_eq(congo_cgroups_left("join-user"), 0);
        free(uid_map);
        free(gid_map);
        free(after);
        outcome_free(&o);
}
END_TEST

/* Maps in the bundle beside a joined user namespace: refused by path,
 * nothing run, the holder's maps untouched. */
START_TEST(maps_with_a_joined_user_namespace_refused)
{
        char userpath[64];
        pid_t holder = start_user_holder();

        snprintf(userpath, sizeof userpath, "/proc/%d/ns/user", (int)holder);
        const char *dir = make_bundle("crun", "join-user-maps");
        json_t *root = load_config(dir);
        json_t *linux_ = json_object_get(root, "linux");
        json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
        set_command(root, "echo ran");
        json_object_set_new(linux_, "namespaces", json_pack("[{ss}{ss}{ssss}]", "type", "pid", "type", "mount",
                                                            "type", "user", "path", userpath));
        json_object_set_new(linux_, "uidMappings", json_pack("[{sisisi}]", "containerID", 0, "hostID", 1000, "size", 1));
        save_config(dir, root);
        struct outcome o = run_bundle(dir);
        stop(holder);
        ck_assert_int_eq(o.status, 125);
        ck_assert_str_eq(o.out, "");
        ck_assert_msg(strstr(o.err, "uid_map: the joined user namespace (namespace_paths.user) has its own maps"),
                      "err: %s", o.err);
        ck_assert_int_eq(congo_cgroups_left("join-user-maps"), 0);
        outcome_free(&o);
}
END_TEST

/* A user namespace congo cannot be root in (no maps written: uid 0 has
 * no id there), and a namespace of another type given as the user one:
 * one line each, 125, nothing run, nothing left. */
START_TEST(unusable_user_namespaces_refused)
{
        char userpath[64], utspath[64];
        pid_t unmapped = start_user_holder_maps(false), uts = start_uts_holder("not-user");

        snprintf(userpath, sizeof userpath, "/proc/%d/ns/user", (int)unmapped);
        snprintf(utspath, sizeof utspath, "/proc/%d/ns/uts", (int)uts);
        const char *paths[] = { userpath, utspath };
        const char *msgs[] = { "namespace_paths.user: becoming root of the user namespace /proc/",
                               "is a namespace of type uts, not user" };
        for (int i = 0; i < 2; i++) {
                char name[32];
                snprintf(name, sizeof name, "join-user-bad%d", i);
                const char *dir = make_bundle("crun", name);
                json_t *root = load_config(dir);
                json_object_set_new(json_object_get(root, "root"), "path", json_string(harness_rootfs()));
                set_command(root, "echo ran");
                json_object_del(root, "hostname");
                json_object_set_new(json_object_get(root, "linux"), "namespaces",
                                    json_pack("[{ss}{ss}{ss}{ssss}]", "type", "pid", "type", "mount",
                                              "type", "cgroup", "type", "user", "path", paths[i]));
                save_config(dir, root);
                struct outcome o = run_bundle(dir);
                ck_assert_msg(o.status == 125, "case %d: status %d, err: %s", i, o.status, o.err);
                ck_assert_str_eq(o.out, "");
                ck_assert_msg(strstr(o.err, msgs[i]), "case %d: err: %s", i, o.err);
                ck_assert_int_eq(count_lines(o.err, ""), 1);
                ck_assert_int_eq(congo_cgroups_left(name), 0);
                outcome_free(&o);
        }
        stop(unmapped);
        stop(uts);
}
END_TEST

/* A path that is missing, not a namespace, or a namespace of another
 * type: one line naming it, 125, nothing run. */
START_TEST(bad_namespace_paths_refused)
{
        char uts[64], ipc[64], fifo[600];
        pid_t holder = start_uts_holder("holder");

        snprintf(uts, sizeof uts, "/proc/%d/ns/uts", (int)holder);
        snprintf(ipc, sizeof ipc, "/proc/%d/ns/ipc", (int)holder);
        snprintf(fifo, sizeof fifo, "%s/not-a-ns", harness_tmp());
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        const struct { const char *net, *uts, *msg; } cases[] = {
                { "/nonexistent/netns", uts, "namespace_paths.net: /nonexistent/netns: No such file or directory" },
                { "/etc/passwd", uts, "namespace_paths.net: /etc/passwd is not a namespace (not on nsfs)" },
                { fifo, uts, "is not a namespace (not on nsfs)" },
                { "/proc/self/ns/net", ipc, "namespace_paths.uts: " },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                char name[32];
                snprintf(name, sizeof name, "badns%zu", i);
                const char *dir = joining_bundle(name, "echo ran", cases[i].net, cases[i].uts);
                struct outcome o = run_bundle(dir);
                ck_assert_msg(o.status == 125, "case %zu: status %d, err: %s", i, o.status, o.err);
                ck_assert_str_eq(o.out, "");
                ck_assert_msg(strstr(o.err, cases[i].msg), "case %zu: err: %s", i, o.err);
                ck_assert_int_eq(count_lines(o.err, ""), 1);
                if (i == 3)
                        ck_assert_msg(strstr(o.err, "is a namespace of type ipc, not uts"), "err: %s", o.err);
                ck_assert_int_eq(congo_cgroups_left(name), 0);
                outcome_free(&o);
        }
        stop(holder);
}
END_TEST

int main(void)
{
        harness_setup("oci");
        Suite *s = suite_create("oci_bundle");
        TCase *tc = tcase_create("oci_bundle");

        tcase_add_test(tc, crun_spec_bundle_runs);
        tcase_add_test(tc, runc_spec_bundle_runs_with_its_relative_rootfs);
        tcase_add_test(tc, no_env_is_an_empty_environment);
        tcase_add_test(tc, unsupported_fields_refused_by_json_path);
        tcase_add_test(tc, resources_and_print);
        tcase_add_test(tc, joins_namespaces_by_path);
        tcase_add_test(tc, console_size_sizes_the_pty);
        tcase_add_test(tc, io_priority_reaches_the_command);
        tcase_add_test(tc, bad_namespace_paths_refused);
        tcase_add_test(tc, joins_a_user_namespace_by_path);
        tcase_add_test(tc, inline_seccomp_from_bundle_and_its_print);
        tcase_add_test(tc, maps_with_a_joined_user_namespace_refused);
        tcase_add_test(tc, unusable_user_namespaces_refused);
        tcase_add_test(tc, process_fields_observed);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
