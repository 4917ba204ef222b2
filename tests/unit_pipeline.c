/* unit_pipeline.c - the process model with fake stages, no root needed:
 * hook order, unwinding on failure at every hook, errors from the child,
 * exit statuses. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "host_checks.h"
#include "run_suite.h"

static char log_path[] = "/tmp/congo-unit-pipeline-XXXXXX";
static int log_fd = -1;
static const char *fail_at;      /* "B.prepare", "A.child"... */
static char *const *exec_argv;
static bool fail_both;           /* B.parent fails too, after A.child did */
static int notify_fd = -1;       /* a NOTIFY_SOCKET the exec hook watches */

/* Hooks log with O_APPEND writes: the child's land in the same file. */
static int note(const char *stage, const char *hook, struct congo_error *err)
{
        char line[64];
        int n = snprintf(line, sizeof line, "%s.%s\n", stage, hook);
        if (write(log_fd, line, (size_t)n) != n)
                return -1;
        line[n - 1] = '\0';
        if (fail_at && strcmp(fail_at, line) == 0)
                return congo_error_set(err, 0, "%s failed on purpose", line);
        if (fail_both && strcmp(line, "B.parent") == 0) {
                usleep(100000);   /* A.child has failed by now */
                return congo_error_set(err, 0, "B.parent failed as a consequence");
        }
        return 0;
}

#define FAKE(X) \
        static int X##_prepare(struct congo_run *r, struct congo_error *e) { (void)r; return note(#X, "prepare", e); } \
        static int X##_parent(struct congo_run *r, struct congo_error *e) { (void)r; return note(#X, "parent", e); } \
        static int X##_child(struct congo_run *r, struct congo_error *e) { (void)r; return note(#X, "child", e); } \
        static void X##_cleanup(struct congo_run *r) { (void)r; note(#X, "cleanup", NULL); } \
        static const struct congo_stage X = { .name = #X, .prepare = X##_prepare, .parent = X##_parent, \
                                             .child = X##_child, .cleanup = X##_cleanup };
FAKE(A)
FAKE(B)

static int exec_child(struct congo_run *r, struct congo_error *e)
{
        (void)r;
        if (note("E", "child", e) < 0)
                return -1;
        /* The last moment before exec: readiness must not have been sent,
         * even 100 ms after the child was released. */
        if (notify_fd >= 0) {
                char b;
                bool early = recv(notify_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) >= 0;
                usleep(100000);
                early = early || recv(notify_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) >= 0;
                if (note("E", early ? "ready-before-exec" : "not-ready-before-exec", e) < 0)
                        return -1;
        }
        execv(exec_argv[0], exec_argv);
        return congo_error_set(e, 0, "exec");
}
static const struct congo_stage E = { .name = "E", .child = exec_child };

static const struct congo_stage *const stages[] = { &A, &B, &E };

static struct congo_run_result last_result;   /* of the last run_fakes */
static bool with_hooks;          /* poststart and poststop hooks that log */

/* hooks.KIND: [{path: /bin/sh, args: [sh, -c, "echo hook.KIND >> LOG"]}] */
static void add_logging_hook(struct congo_spec *spec, const char *kind)
{
        struct congo_diag d = { stderr, 0 };
        struct congo_pos pos = { "t.yaml", 1, 1 };
        char script[256];
        struct congo_hook *h = congo_spec_add_hook(spec, kind, &pos, &d);

        ck_assert_ptr_nonnull(h);
        snprintf(script, sizeof script, "echo hook.%s >> %s", kind + strlen("hooks."), log_path);
        struct congo_scalar path = { .text = "/bin/sh", .pos = pos };
        struct congo_scalar args[] = { { .text = "sh", .pos = pos }, { .text = "-c", .pos = pos },
                                       { .text = script, .pos = pos } };
        ck_assert_int_eq(congo_spec_set_hook(spec, h, "path", &path, &d), 0);
        ck_assert_int_eq(congo_spec_set_hook_list(spec, h, "args", args, 3, &pos, &d), 0);
}

static char *run_fakes(const char *fail, char *const argv[], int *status, struct congo_error *err)
{
        struct congo_spec spec;
        struct congo_run run;

        congo_spec_init(&spec, NULL);
        spec.terminal = CONGO_TTY_OFF;
        spec.namespaces = 0;
        fail_at = fail;
        exec_argv = argv;
        log_fd = mkstemp(log_path);
        fcntl(log_fd, F_SETFL, O_APPEND);   /* hooks append beside us */
        if (with_hooks) {
                add_logging_hook(&spec, "hooks.poststart");
                add_logging_hook(&spec, "hooks.poststop");
        }
        congo_run_init(&run, &spec, stages, 3);
        *err = (struct congo_error){ 0 };
        *status = congo_pipeline_run(&run, err);
        last_result = run.result;
        close(log_fd);
        FILE *f = fopen(log_path, "r");
        char *text = calloc(1, 4096);
        size_t n = fread(text, 1, 4095, f);
        text[n] = '\0';
        fclose(f);
        unlink(log_path);
        strcpy(log_path + strlen(log_path) - 6, "XXXXXX");
        congo_spec_free(&spec);
        return text;
}

static char *const TRUE_CMD[] = { "/bin/sh", "-c", "exit 0", NULL };

/* Where line occurs in log (as a whole line), or -1. */
static int at(const char *log, const char *line)
{
        char want[64];
        snprintf(want, sizeof want, "%s\n", line);
        for (const char *p = log; (p = strstr(p, want)) != NULL; p++)
                if (p == log || p[-1] == '\n')
                        return (int)(p - log);
        return -1;
}

START_TEST(hooks_run_in_order)
{
        int status;
        struct congo_error err;
        char *log = run_fakes(NULL, TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 0);
        /* Prepares first, in order; cleanups last, in reverse. */
        ck_assert_msg(strncmp(log, "A.prepare\nB.prepare\nA.parent\n", 29) == 0, "%s", log);
        ck_assert_msg(strstr(log, "E.child\nB.cleanup\nA.cleanup\n") != NULL, "%s", log);
        /* Parents in order; children in order; a stage's child hook only
         * after its parent hook.  A's child may overlap B's parent. */
        ck_assert_int_lt(at(log, "A.parent"), at(log, "B.parent"));
        ck_assert_int_lt(at(log, "A.child"), at(log, "B.child"));
        ck_assert_int_lt(at(log, "B.child"), at(log, "E.child"));
        ck_assert_int_lt(at(log, "A.parent"), at(log, "A.child"));
        ck_assert_int_lt(at(log, "B.parent"), at(log, "B.child"));
        free(log);
}
END_TEST

/* poststart once the command was executed; poststop after every cleanup,
 * also when the start failed once the child existed, never before. */
START_TEST(poststart_and_poststop_hooks_at_their_points)
{
        int status;
        struct congo_error err;

        with_hooks = true;
        char *log = run_fakes(NULL, TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 0);
        ck_assert_int_lt(at(log, "E.child"), at(log, "hook.poststart"));
        ck_assert_msg(strstr(log, "A.cleanup\nhook.poststop\n") != NULL, "%s", log);
        ck_assert_int_lt(at(log, "hook.poststart"), at(log, "hook.poststop"));
        free(log);

        log = run_fakes("B.parent", TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 125);
        ck_assert_int_eq(at(log, "hook.poststart"), -1);
        ck_assert_msg(strstr(log, "A.cleanup\nhook.poststop\n") != NULL, "%s", log);
        free(log);

        log = run_fakes("A.child", TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 125);
        ck_assert_int_eq(at(log, "hook.poststart"), -1);
        ck_assert_msg(strstr(log, "A.cleanup\nhook.poststop\n") != NULL, "%s", log);
        free(log);

        log = run_fakes("B.prepare", TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 125);
        ck_assert_str_eq(log, "A.prepare\nB.prepare\nB.cleanup\nA.cleanup\n");   /* no container: no poststop */
        free(log);
        with_hooks = false;
}
END_TEST

/* A spec with hooks runs cgroups before the hooks stage, and the hooks
 * stage before rootfs: prestart sees the cgroup and runs before the root
 * is built.  One without runs the default table. */
START_TEST(hooks_table_order)
{
        struct congo_spec spec;
        size_t n;
        const struct congo_stage *const *t;

        congo_spec_init(&spec, NULL);
        t = congo_pipeline_stages(&spec, &n);
        ck_assert_ptr_eq(t, congo_default_stages);
        ck_assert_uint_eq(n, congo_default_stage_count);
        with_hooks = false;
        add_logging_hook(&spec, "hooks.poststop");
        t = congo_pipeline_stages(&spec, &n);
        ck_assert_ptr_eq(t, congo_hooks_stages);
        const char *names[] = { "namespaces", "cgroups", "hooks", "rootfs", "env", "exec" };
        ck_assert_uint_eq(n, 6);
        for (size_t i = 0; i < n; i++)
                ck_assert_str_eq(t[i]->name, names[i]);
        congo_spec_free(&spec);
}
END_TEST

START_TEST(prepare_failure_unwinds)
{
        int status;
        struct congo_error err;
        char *log = run_fakes("B.prepare", TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 125);
        ck_assert_str_eq(err.stage, "B");
        ck_assert_str_eq(err.msg, "B.prepare failed on purpose");
        ck_assert_str_eq(log, "A.prepare\nB.prepare\nB.cleanup\nA.cleanup\n");
        free(log);
}
END_TEST

START_TEST(parent_failure_kills_child_and_unwinds)
{
        int status;
        struct congo_error err;
        char *log = run_fakes("A.parent", TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 125);
        ck_assert_str_eq(err.stage, "A");
        ck_assert_str_eq(log, "A.prepare\nB.prepare\nA.parent\nB.cleanup\nA.cleanup\n");
        free(log);
}
END_TEST

START_TEST(child_failure_travels_back)
{
        int status;
        struct congo_error err;
        char *log = run_fakes("A.child", TRUE_CMD, &status, &err);
        ck_assert_int_eq(status, 125);
        ck_assert_str_eq(err.stage, "A");
        ck_assert_str_eq(err.msg, "A.child failed on purpose");
        ck_assert_int_lt(at(log, "A.parent"), at(log, "A.child"));
        ck_assert_int_eq(at(log, "B.child"), -1);
        ck_assert_msg(strstr(log, "B.cleanup\nA.cleanup\n") != NULL, "%s", log);
        char *printed;
        size_t len;
        FILE *f = open_memstream(&printed, &len);
        congo_error_print(&err, f);
        fclose(f);
        ck_assert_str_eq(printed, "congo-launch: A: A.child failed on purpose\n");
        free(printed);
        free(log);
}
END_TEST

/* A later parent hook fails after the child already failed: the child's
 * error is the one reported, not the consequence. */
START_TEST(child_error_wins_over_later_parent_failure)
{
        int status;
        struct congo_error err;
        fail_both = true;
        char *log = run_fakes("A.child", TRUE_CMD, &status, &err);
        fail_both = false;
        ck_assert_int_eq(status, 125);
        ck_assert_str_eq(err.stage, "A");
        ck_assert_str_eq(err.msg, "A.child failed on purpose");
        free(log);
}
END_TEST

START_TEST(exit_status_and_signals)
{
        int status;
        struct congo_error err;
        char *const exit3[] = { "/bin/sh", "-c", "exit 3", NULL };
        char *const killed[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
        free(run_fakes(NULL, exit3, &status, &err));
        ck_assert_int_eq(status, 3);
        ck_assert_int_eq(last_result.exit_code, 3);
        ck_assert_int_eq(last_result.signal, 0);
        free(run_fakes(NULL, killed, &status, &err));
        ck_assert_int_eq(status, 128 + 15);
        /* --stats' exit_code is the launcher's status, 128+N after a
         * signal (pipeline.h said -1), and signal says which. */
        ck_assert_int_eq(last_result.exit_code, 128 + 15);
        ck_assert_int_eq(last_result.signal, 15);
}
END_TEST

/* A datagram socket for NOTIFY_SOCKET=name: a path, or abstract (@...). */
static int notify_socket(const char *name)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        ck_assert_int_ge(fd, 0);
        memcpy(sa.sun_path, name, strlen(name));
        if (name[0] == '@')
                sa.sun_path[0] = '\0';
        unlink(name);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, len), 0);
        return fd;
}

/* Runs argv under NOTIFY_SOCKET=name; returns what arrived ("" if nothing)
 * and the log. */
static char *run_notified(const char *name, char *const argv[], int *status, char **log)
{
        struct congo_error err;
        static char got[256];
        int fd = notify_socket(name);

        setenv("NOTIFY_SOCKET", name, 1);
        notify_fd = fd;
        *log = run_fakes(NULL, argv, status, &err);
        notify_fd = -1;
        unsetenv("NOTIFY_SOCKET");
        ssize_t n = recv(fd, got, sizeof got - 1, MSG_DONTWAIT);
        got[n > 0 ? n : 0] = '\0';
        /* One datagram, not one per stage. */
        char more;
        ck_assert_int_lt(recv(fd, &more, 1, MSG_DONTWAIT), 0);
        close(fd);
        if (name[0] == '/')
                unlink(name);
        return got;
}

static void expect_ready_after_exec(const char *name)
{
        char want[64], *log;
        int status;
        char *got = run_notified(name, TRUE_CMD, &status, &log);

        ck_assert_int_eq(status, 0);
        ck_assert_msg(at(log, "E.not-ready-before-exec") >= 0, "%s", log);
        /* MAINPID: the launcher, which supervises and cleans up. */
        snprintf(want, sizeof want, "READY=1\nMAINPID=%d\n", (int)getpid());
        ck_assert_str_eq(got, want);
        free(log);
}

START_TEST(ready_sent_once_exec_succeeded)
{
        char path[64];
        snprintf(path, sizeof path, "/tmp/congo-unit-notify-%d", (int)getpid());
        expect_ready_after_exec(path);
}
END_TEST

START_TEST(ready_to_an_abstract_socket)
{
        char name[64];
        snprintf(name, sizeof name, "@congo-unit-notify-%d", (int)getpid());
        expect_ready_after_exec(name);
}
END_TEST

START_TEST(no_ready_when_exec_fails)
{
        char path[64], *log;
        char *const missing[] = { "/nonexistent/command", NULL };
        int status;
        snprintf(path, sizeof path, "/tmp/congo-unit-notify-%d", (int)getpid());
        char *got = run_notified(path, missing, &status, &log);
        ck_assert_int_eq(status, 125);
        ck_assert_str_eq(got, "");
        free(log);
}
END_TEST

START_TEST(result_json)
{
        struct congo_run_result r = { .exit_code = 137, .signal = 9, .wall_ms = 12,
                                      .cg = { true, 1000, 2000, 4096, -1 } };
        char *out;
        size_t len;
        FILE *f = open_memstream(&out, &len);
        congo_result_write_json(&r, f);
        fclose(f);
        ck_assert_str_eq(out, "{\"exit_code\": 137, \"signal\": 9, \"wall_ms\": 12, \"cpu_user_ms\": 1, "
                              "\"cpu_sys_ms\": 2, \"memory_peak_bytes\": 4096, \"pids_peak\": null, "
                              "\"oom_killed\": true, \"time_limit_hit\": false}\n");
        free(out);
}
END_TEST

/* A chroot's mountinfo has no "/" mount point: that is how the launcher
 * tells a user why / cannot be made private. */
START_TEST(chroot_is_recognised)
{
        char path[] = "/tmp/congo-unit-mountinfo-XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        const char *booted = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                             "23 22 0:5 / /proc rw shared:2 - proc proc rw\n";
        ck_assert_int_eq(write(fd, booted, strlen(booted)), (ssize_t)strlen(booted));
        ck_assert(congo_root_is_mount_point(path));
        const char *chrooted = "23 22 0:5 / /proc rw shared:2 - proc proc rw\n"
                               "24 22 0:6 / /dev rw shared:3 - devtmpfs udev rw\n";
        ck_assert_int_eq(ftruncate(fd, 0), 0);
        ck_assert_int_eq(pwrite(fd, chrooted, strlen(chrooted), 0), (ssize_t)strlen(chrooted));
        ck_assert(!congo_root_is_mount_point(path));
        close(fd);
        unlink(path);
        ck_assert(congo_root_is_mount_point("/proc/self/mountinfo"));
}
END_TEST

/* A refused clone names its cause, read from (here, a fake) /proc. */
static void put_file(const char *dir, const char *name, const char *text)
{
        char path[512], cmd[600];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
        ck_assert_int_eq(system(cmd), 0);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

START_TEST(refused_clone_names_the_cause)
{
        char proc[] = "/tmp/congo-unit-proc-XXXXXX", cmd[128];
        struct congo_error err;
        ck_assert_ptr_nonnull(mkdtemp(proc));
        put_file(proc, "self/mountinfo", "23 22 0:5 / /proc rw - proc proc rw\n");
        err = (struct congo_error){ 0 };
        congo_explain_clone_failure_in(proc, 0, EPERM, CLONE_NEWNS, &err);
        ck_assert_msg(strstr(err.msg, "/ is not a mount point (running in a chroot?)"), "%s", err.msg);
        put_file(proc, "self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
        put_file(proc, "sys/user/max_user_namespaces", "0\n");
        err = (struct congo_error){ 0 };
        congo_explain_clone_failure_in(proc, 0, ENOSPC, CLONE_NEWUSER, &err);
        ck_assert_msg(strstr(err.msg, "user.max_user_namespaces is 0"), "%s", err.msg);
        put_file(proc, "sys/user/max_user_namespaces", "15000\n");
        put_file(proc, "sys/kernel/unprivileged_userns_clone", "0\n");
        err = (struct congo_error){ 0 };
        congo_explain_clone_failure_in(proc, 1000, EPERM, CLONE_NEWUSER, &err);
        ck_assert_msg(strstr(err.msg, "kernel.unprivileged_userns_clone is 0"), "%s", err.msg);
        put_file(proc, "sys/kernel/unprivileged_userns_clone", "1\n");
        put_file(proc, "sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
        err = (struct congo_error){ 0 };
        congo_explain_clone_failure_in(proc, 1000, EPERM, CLONE_NEWUSER, &err);
        ck_assert_msg(strstr(err.msg, "AppArmor restricts unprivileged user namespaces"), "%s", err.msg);
        err = (struct congo_error){ 0 };
        congo_explain_clone_failure_in(proc, 0, EPERM, CLONE_NEWUSER, &err);
        ck_assert_msg(strstr(err.msg, "the kernel refused a new user namespace"), "%s", err.msg);
        ck_assert_int_eq(err.errnum, EPERM);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", proc);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("pipeline");
        TCase *tc = tcase_create("fake stages");
        tcase_add_test(tc, hooks_run_in_order);
        tcase_add_test(tc, prepare_failure_unwinds);
        tcase_add_test(tc, poststart_and_poststop_hooks_at_their_points);
        tcase_add_test(tc, hooks_table_order);
        tcase_add_test(tc, parent_failure_kills_child_and_unwinds);
        tcase_add_test(tc, child_failure_travels_back);
        tcase_add_test(tc, child_error_wins_over_later_parent_failure);
        tcase_add_test(tc, exit_status_and_signals);
        tcase_add_test(tc, result_json);
        tcase_add_test(tc, ready_sent_once_exec_succeeded);
        tcase_add_test(tc, ready_to_an_abstract_socket);
        tcase_add_test(tc, no_ready_when_exec_fails);
        tcase_add_test(tc, chroot_is_recognised);
        tcase_add_test(tc, refused_clone_names_the_cause);
        suite_add_tcase(s, tc);
        return run_suite(s);
}
