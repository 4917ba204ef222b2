/* hooks.c - OCI hooks on real containers, as root: a recorder script on
 * the host (and one run inside the container) appends what each hook saw
 * (its argv and environment as the kernel handed them over, its stdin,
 * its mount and pid namespaces, the time) to one log; the tests assert
 * the order, the content, and that a failing hook fails the start with
 * 125, still runs poststop, and leaves no process, cgroup or mount. */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

static char dir[512];       /* host directory bound to /rec in the container */
static char logpath[600];

/* Records one hook call; runs under the host's sh and the image's busybox
 * alike.  Its own argv and environ are read through fds the shell opens
 * itself: /proc/self in a child would be the child's. */
static const char recorder[] =
        "log=$1; kind=$2\n"
        /* ls's own directory is 3: anything more leaked from the launcher */
        "fds=$(ls /proc/self/fd | tr '\\n' ' ')\n"
        "exec 3</proc/self/cmdline 4</proc/self/environ\n"
        "state=$(cat)\n"
        "pid=$(printf %s \"$state\" | sed -n 's/.*\"pid\":\\([0-9]*\\).*/\\1/p')\n"
        /* one write: the command may append beside a poststart hook */
        "rec=\"kind=$kind\n"
        "argv=$(tr '\\0' '|' <&3)\n"
        "env=$(tr '\\0' '|' <&4)\n"
        "state=$state\n"
        "mnt=$(readlink /proc/self/ns/mnt)\n"
        "pidns=$(readlink /proc/self/ns/pid)\n"
        "container_mnt=$(readlink /proc/$pid/ns/mnt 2>/dev/null)\n"
        "uid=$(id -u) $(grep CapEff /proc/self/status)\n"
        "fds=$fds\n"
        "t=$(cut -d' ' -f1 /proc/uptime)\"\n"
        "printf '%s\\n' \"$rec\" >> \"$log\"\n";

static void setup_dir(void)
{
        char path[700];
        FILE *f;

        snprintf(dir, sizeof dir, "%s/rec", harness_tmp());
        mkdir(dir, 0777);
        chmod(dir, 0777);   /* the command may run as another user */
        snprintf(path, sizeof path, "%s/rec.sh", dir);
        f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(recorder, f);
        fclose(f);
        chmod(path, 0755);
        snprintf(logpath, sizeof logpath, "%s/log", dir);
        unlink(logpath);
}

static char *log_text(void)
{
        char *t = read_file(logpath);
        return t ? t : strdup("");
}

/* The value of KEY= in the record of kind (the nth of that kind). */
static char *field(const char *log, const char *kind, const char *key)
{
        char head[64], k[64];
        const char *rec;

        snprintf(head, sizeof head, "kind=%s\n", kind);
        if ((rec = strstr(log, head)) == NULL)
                return NULL;
        const char *end = strstr(rec + 1, "\nkind=");
        snprintf(k, sizeof k, "\n%s=", key);
        const char *at = strstr(rec, k);
        if (at == NULL || (end && at > end))
                return NULL;
        at += strlen(k);
        return strndup(at, strcspn(at, "\n"));
}

static char *host_ns(const char *ns)
{
        char path[64], buf[128];
        snprintf(path, sizeof path, "/proc/self/ns/%s", ns);
        ssize_t n = readlink(path, buf, sizeof buf - 1);
        ck_assert_int_gt(n, 0);
        return strndup(buf, (size_t)n);
}

/* A host hook: the host's /bin/sh runs the recorder with these argv.
 * argv[0] is "sh", not the path: busybox (the check-vm VM's /bin/sh)
 * picks its applet by it. */
static void host_hook(char *buf, size_t size, const char *kind, const char *extra)
{
        snprintf(buf + strlen(buf), size - strlen(buf),
                 "  %s: [{path: /bin/sh, args: [sh, \"%s/rec.sh\", \"%s\", %s, \"two words\"]%s}]\n",
                 kind, dir, logpath, kind, extra ? extra : "");
}

START_TEST(every_kind_in_order_with_its_state_argv_env_and_namespaces)
{
        char body[4096] = "name: hk-order\n"
                          "mounts: [{type: bind, source: ./rec, target: /rec}]\n"
                          "command: [/bin/sh, -c, \"printf 'kind=command\\\\nmnt=%s\\\\n' $(readlink /proc/self/ns/mnt) >> /rec/log\"]\n"
                          "hooks:\n";
        setup_dir();
        host_hook(body, sizeof body, "prestart", ", env: [A=1, \"B=two words\"], timeout: 20");
        host_hook(body, sizeof body, "create_runtime", NULL);
        host_hook(body, sizeof body, "create_container", NULL);
        /* Inside: the image's busybox, the recorder through the bind. */
        strcat(body, "  start_container: [{path: /bin/sh, args: [sh, /rec/rec.sh, /rec/log, start_container], env: [IN=1]}]\n");
        host_hook(body, sizeof body, "poststart", NULL);
        host_hook(body, sizeof body, "poststop", NULL);

        struct outcome o = harness_run_spec("hk-order", body);
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.err, "");
        char *log = log_text();

        /* Order: each kind once, in runtime.md's order; the command after
         * startContainer; poststart after startContainer; poststop last. */
        const char *order[] = { "prestart", "create_runtime", "create_container", "start_container" };
        const char *prev = log;
        for (size_t i = 0; i < 4; i++) {
                char head[64];
                snprintf(head, sizeof head, "kind=%s\n", order[i]);
                const char *at = strstr(log, head);
                ck_assert_msg(at != NULL && at >= prev, "%s out of order in:\n%s", order[i], log);
                head[strlen(head) - 1] = '\0';
                ck_assert_int_eq(count_lines(log, head), 1);
                prev = at;
        }
        ck_assert(strstr(log, "kind=command\n") > prev);
        ck_assert(strstr(log, "kind=poststart\n") > prev);
        const char *stop = strstr(log, "kind=poststop\n");
        ck_assert_ptr_nonnull(stop);
        ck_assert(stop > strstr(log, "kind=command\n"));
        ck_assert(stop > strstr(log, "kind=poststart\n"));
        ck_assert_int_eq(count_lines(log, "kind="), 7);
        /* The times agree with the order (/proc/uptime, centiseconds). */
        double last = 0;
        for (const char *t = strstr(log, "\nt="); t; t = strstr(t + 1, "\nt=")) {
                double v = atof(t + 3);
                ck_assert_msg(v >= last, "time went back in:\n%s", log);
                last = v;
        }

        /* argv exactly as given, argv[0] included; env exactly as given. */
        char want[2048];
        snprintf(want, sizeof want, "sh|%s/rec.sh|%s|prestart|two words|", dir, logpath);
        char *v = field(log, "prestart", "argv");
        ck_assert_str_eq(v, want);
        free(v);
        ck_assert_str_eq(v = field(log, "prestart", "env"), "A=1|B=two words|");
        free(v);
        ck_assert_str_eq(v = field(log, "create_runtime", "env"), "");
        free(v);
        ck_assert_str_eq(v = field(log, "poststop", "env"), "");
        free(v);
        ck_assert_str_eq(v = field(log, "start_container", "argv"), "sh|/rec/rec.sh|/rec/log|start_container|");
        free(v);
        ck_assert_str_eq(v = field(log, "start_container", "env"), "IN=1|");
        free(v);

        /* The state on stdin. */
        char *st = field(log, "prestart", "state");
        char bundle[700];
        snprintf(bundle, sizeof bundle, "\"bundle\":\"%s\"", harness_tmp());
        ck_assert_ptr_nonnull(strstr(st, "\"ociVersion\":\"1.1.0\""));
        ck_assert_ptr_nonnull(strstr(st, "\"id\":\"hk-order\""));
        ck_assert_ptr_nonnull(strstr(st, "\"status\":\"creating\""));
        ck_assert_ptr_nonnull(strstr(st, bundle));
        ck_assert_ptr_nonnull(strstr(st, "\"annotations\":{}"));
        char *pid = strstr(st, "\"pid\":");
        ck_assert_ptr_nonnull(pid);
        long cpid = atol(pid + 6);
        ck_assert_int_gt(cpid, 1);
        char pidtext[32];
        snprintf(pidtext, sizeof pidtext, "\"pid\":%ld,", cpid);
        const char *status_of[][2] = { { "create_runtime", "creating" }, { "create_container", "creating" },
                                      { "start_container", "created" }, { "poststart", "running" } };
        for (size_t i = 0; i < 4; i++) {
                char *s2 = field(log, status_of[i][0], "state"), want_status[64];
                snprintf(want_status, sizeof want_status, "\"status\":\"%s\"", status_of[i][1]);
                ck_assert_msg(strstr(s2, want_status) && strstr(s2, pidtext), "%s: %s", status_of[i][0], s2);
                free(s2);
        }
        char *s2 = field(log, "poststop", "state");
        ck_assert_ptr_nonnull(strstr(s2, "\"status\":\"stopped\""));
        ck_assert_ptr_null(strstr(s2, "\"pid\""));
        free(s2);
        free(st);

        /* Namespaces: runtime hooks in the host's; createContainer in the
         * container's mount and pid namespaces, as are startContainer and
         * the command; the pid given is the container's process. */
        char *mnt = host_ns("mnt"), *pidns = host_ns("pid");
        /* Nothing open but stdio, whoever ran it. */
        const char *every[] = { "prestart", "create_runtime", "create_container", "start_container",
                                "poststart", "poststop" };
        for (size_t i = 0; i < 6; i++) {
                ck_assert_msg(strcmp(v = field(log, every[i], "fds"), "0 1 2 3 ") == 0, "%s: fds %s", every[i], v);
                free(v);
        }
        const char *runtime[] = { "prestart", "create_runtime", "poststart", "poststop" };
        for (size_t i = 0; i < 4; i++) {
                ck_assert_str_eq(v = field(log, runtime[i], "mnt"), mnt);
                free(v);
                ck_assert_str_eq(v = field(log, runtime[i], "pidns"), pidns);
                free(v);
        }
        char *cmnt = field(log, "create_container", "mnt");
        ck_assert_str_ne(cmnt, mnt);
        ck_assert_str_ne(v = field(log, "create_container", "pidns"), pidns);
        free(v);
        ck_assert_str_eq(v = field(log, "start_container", "mnt"), cmnt);
        free(v);
        ck_assert_str_eq(v = field(log, "command", "mnt"), cmnt);
        free(v);
        ck_assert_str_eq(v = field(log, "prestart", "container_mnt"), cmnt);
        free(v);
        ck_assert_str_eq(v = field(log, "create_container", "container_mnt"), cmnt);
        free(v);
        free(cmnt);
        free(mnt);
        free(pidns);
        free(log);
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("hk-"), 0);
}
END_TEST

/* A failed start: 125, one line naming the hook, the command never run,
 * poststop run, the container's process, cgroup and mounts gone. */
static void expect_failed_start(const char *name, const char *hooks, const char *line)
{
        char body[4096];
        char *mounts_before = read_file("/proc/self/mountinfo");

        setup_dir();
        snprintf(body, sizeof body, "name: %s\n"
                 "mounts: [{type: bind, source: ./rec, target: /rec}]\n"
                 "command: [/bin/sh, -c, \"echo kind=command >> /rec/log\"]\n"
                 "hooks:\n%s", name, hooks);
        host_hook(body, sizeof body, "poststop", NULL);
        /* The container's pid, as a prestart recorder saw it, when there is one. */
        struct outcome o = harness_run_spec(name, body);
        ck_assert_msg(o.status == 125, "%s: status %d: %s", name, o.status, o.err);
        ck_assert_msg(strstr(o.err, line) != NULL, "%s: expected \"%s\" in:\n%s", name, line, o.err);
        ck_assert_msg(count_lines(o.err, "congo-launch:") == 1, "%s: more than the one line:\n%s", name, o.err);
        char *log = log_text();
        ck_assert_msg(strstr(log, "kind=command") == NULL, "%s: the command ran", name);
        ck_assert_msg(count_lines(log, "kind=poststop") == 1, "%s: poststop did not run once:\n%s", name, log);
        char *st = field(log, "prestart", "state");
        if (st != NULL) {
                long cpid = atol(strstr(st, "\"pid\":") + 6);
                ck_assert_int_gt(cpid, 1);
                ck_assert_msg(harness_gone((pid_t)cpid), "%s: the container's process %ld is left", name, cpid);
                free(st);
        }
        ck_assert_int_eq(congo_cgroups_left("hk-"), 0);
        char *mounts_after = read_file("/proc/self/mountinfo");
        ck_assert_str_eq(mounts_before, mounts_after);
        free(mounts_before);
        free(mounts_after);
        free(log);
        outcome_free(&o);
}

START_TEST(a_failing_hook_fails_the_start_cleanly)
{
        char hooks[2048];

        setup_dir();
        hooks[0] = '\0';
        host_hook(hooks, sizeof hooks, "prestart", NULL);
        /* host_hook gives a one-item list; a second kind line would be a
         * duplicate key: write the failing one beside it. */
        hooks[strlen(hooks) - 3] = '\0';   /* drop "}]\n" */
        /* create_runtime must not run: its record would count as the command's */
        snprintf(hooks + strlen(hooks), sizeof hooks - strlen(hooks),
                 "}, {path: /bin/sh, args: [sh, -c, \"exit 3\"]}]\n"
                 "  create_runtime: [{path: /bin/sh, args: [sh, -c, \"echo kind=command-from-create_runtime >> %s\"]}]\n",
                 logpath);
        expect_failed_start("hk-pre", hooks, "congo-launch: hooks.prestart[1]: /bin/sh: exited with 3\n");

        expect_failed_start("hk-cr", "  create_runtime: [{path: /nonexistent/hook}]\n",
                            "congo-launch: hooks.create_runtime[0]: /nonexistent/hook: cannot execute it: No such file or directory\n");
        expect_failed_start("hk-sig", "  prestart: [{path: /bin/sh, args: [sh, -c, \"kill -9 $$\"]}]\n",
                            "congo-launch: hooks.prestart[0]: /bin/sh: killed by signal 9 (Killed)\n");
        expect_failed_start("hk-cc", "  create_container: [{path: /bin/sh, args: [sh, -c, \"exit 5\"]}]\n",
                            "congo-launch: hooks.create_container[0]: /bin/sh: exited with 5\n");
        expect_failed_start("hk-sc", "  start_container: [{path: /bin/sh, args: [sh, -c, \"exit 6\"]}]\n",
                            "congo-launch: hooks.start_container[0]: /bin/sh: exited with 6\n");
        expect_failed_start("hk-sc2", "  start_container: [{path: /no/such/hook}]\n",
                            "congo-launch: hooks.start_container[0]: /no/such/hook: cannot execute it: No such file or directory\n");
}
END_TEST

START_TEST(timeout_kills_the_hook_and_its_children)
{
        char hooks[2048], bg[700];

        setup_dir();
        snprintf(bg, sizeof bg, "%s/bg", dir);
        unlink(bg);
        snprintf(hooks, sizeof hooks,
                 "  prestart: [{path: /bin/sh, args: [sh, -c, \"sleep 60 & echo $! > %s; exec sleep 61\"], timeout: 1}]\n", bg);
        time_t t0 = time(NULL);
        expect_failed_start("hk-timeout", hooks, "congo-launch: hooks.prestart[0]: /bin/sh: killed at its timeout of 1s\n");
        ck_assert_int_le(time(NULL) - t0, 10);
        char *text = read_file(bg);
        ck_assert_ptr_nonnull(text);
        pid_t child = (pid_t)atol(text);
        ck_assert_int_gt(child, 1);
        for (int i = 0; i < 100 && !harness_gone(child); i++)
                usleep(20000);
        ck_assert_msg(harness_gone(child), "the hook's background sleep %d survived its timeout", (int)child);
        free(text);

        /* Inside the container, under its seccomp filter (no pidfd). */
        t0 = time(NULL);
        expect_failed_start("hk-timeout2", "  start_container: [{path: /bin/sh, args: [sh, -c, \"exec sleep 30\"], timeout: 1}]\n",
                            "congo-launch: hooks.start_container[0]: /bin/sh: killed at its timeout of 1s\n");
        ck_assert_int_le(time(NULL) - t0, 10);
}
END_TEST

/* A prestart hook without a timeout cannot hold the launcher against
 * SIGTERM (or ^C): the hook's group is killed and the start fails. */
START_TEST(sigterm_during_prestart_ends_the_start)
{
        char body[4096] = "name: hk-term\n"
                          "mounts: [{type: bind, source: ./rec, target: /rec}]\n"
                          "command: [/bin/sh, -c, \"echo kind=command >> /rec/log\"]\n"
                          "hooks:\n"
                          "  prestart: [{path: /bin/sh, args: [sh, -c, \"echo hook-started; exec sleep 60\"]}]\n";
        int out, ws;

        setup_dir();
        host_hook(body, sizeof body, "poststop", NULL);
        const char *spec = harness_spec("hk-term", body);
        const char *args[] = { spec, NULL };
        pid_t launcher = harness_start(args, &out);
        ck_assert_int_gt(launcher, 0);
        ck_assert(harness_wait_for(out, "hook-started", 10000));
        time_t t0 = time(NULL);
        kill(launcher, SIGTERM);
        ck_assert_int_eq(waitpid(launcher, &ws, 0), launcher);
        ck_assert_int_le(time(NULL) - t0, 5);
        ck_assert(WIFEXITED(ws));
        ck_assert_int_eq(WEXITSTATUS(ws), 125);
        close(out);
        char *log = log_text();
        ck_assert_ptr_null(strstr(log, "kind=command"));
        ck_assert_int_eq(count_lines(log, "kind=poststop"), 1);
        free(log);
        ck_assert_int_eq(congo_cgroups_left("hk-"), 0);
}
END_TEST

/* An OCI bundle's hooks: config.json's camelCase kinds, and the state
 * names the bundle's directory, its id, and carries its annotations. */
START_TEST(oci_bundle_hooks)
{
        char bundle[700], path[800];

        setup_dir();
        snprintf(bundle, sizeof bundle, "%s/hk-bundle", harness_tmp());
        mkdir(bundle, 0755);
        snprintf(path, sizeof path, "%s/config.json", bundle);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "{\"ociVersion\": \"1.1.0\", \"root\": {\"path\": \"%s\"},\n"
                " \"process\": {\"args\": [\"/bin/true\"], \"cwd\": \"/\"},\n"
                " \"annotations\": {\"org.example.k\": \"v\"},\n"
                " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"}]},\n"
                " \"hooks\": {\"createRuntime\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"%s/rec.sh\", \"%s\", \"create_runtime\"], \"env\": [\"X=1\"], \"timeout\": 10}],\n"
                "           \"poststop\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"%s/rec.sh\", \"%s\", \"poststop\"]}]}}\n",
                harness_rootfs(), dir, logpath, dir, logpath);
        fclose(f);
        const char *args[] = { bundle, NULL };
        struct outcome o = harness_run(args);
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        char *log = log_text(), *v;
        char want[1000];
        snprintf(want, sizeof want, "\"bundle\":\"%s\"", bundle);
        char *st = field(log, "create_runtime", "state");
        ck_assert_msg(st && strstr(st, want) && strstr(st, "\"id\":\"hk-bundle\"") &&
                      strstr(st, "\"status\":\"creating\"") &&
                      strstr(st, "\"annotations\":{\"org.example.k\":\"v\"}"), "state: %s", st);
        free(st);
        ck_assert_str_eq(v = field(log, "create_runtime", "env"), "X=1|");
        free(v);
        ck_assert_ptr_nonnull(v = field(log, "poststop", "state"));
        ck_assert_ptr_nonnull(strstr(v, "\"status\":\"stopped\""));
        free(v);
        free(log);
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("hk-"), 0);
}
END_TEST

START_TEST(poststart_and_poststop_failures_are_warnings)
{
        char body[4096] = "name: hk-warn\n"
                          "mounts: [{type: bind, source: ./rec, target: /rec}]\n"
                          "command: [/bin/sh, -c, \"echo kind=command >> /rec/log; exit 7\"]\n"
                          "hooks:\n"
                          "  poststart: [{path: /bin/sh, args: [sh, -c, \"exit 1\"]}, {path: /nonexistent}]\n";
        setup_dir();
        host_hook(body, sizeof body, "poststop", NULL);
        body[strlen(body) - 3] = '\0';
        strcat(body, "}, {path: /bin/false}]\n");
        /* the recorder is poststop[0]; [1] fails after it */
        struct outcome o = harness_run_spec("hk-warn", body);
        ck_assert_msg(o.status == 7, "status %d: %s", o.status, o.err);
        ck_assert_ptr_nonnull(strstr(o.err, "congo-launch: hooks.poststart[0]: /bin/sh: exited with 1\n"));
        ck_assert_ptr_nonnull(strstr(o.err, "congo-launch: hooks.poststart[1]: /nonexistent: cannot execute it"));
        ck_assert_ptr_nonnull(strstr(o.err, "congo-launch: hooks.poststop[1]: /bin/false: exited with 1\n"));
        char *log = log_text();
        ck_assert_int_eq(count_lines(log, "kind=command"), 1);
        ck_assert_int_eq(count_lines(log, "kind=poststop"), 1);
        free(log);
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("hk-"), 0);
}
END_TEST

/* The image is hostile: a hook path that exists only in the rootfs is not
 * found by any hook but startContainer, which runs it with the command's
 * own identity and no capabilities. */
START_TEST(hook_paths_resolve_outside_the_image_but_start_container)
{
        char path[700], marker[700];

        setup_dir();
        snprintf(path, sizeof path, "%s/hk-only-in-image", harness_rootfs());
        snprintf(marker, sizeof marker, "%s/ran", dir);
        unlink(marker);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "#!/bin/sh\n(echo image >> /rec/ran) 2>/dev/null; (echo image >> %s) 2>/dev/null; true\n", marker);
        fclose(f);
        chmod(path, 0755);
        ck_assert_int_ne(access("/hk-only-in-image", F_OK), 0);

        expect_failed_start("hk-img1", "  prestart: [{path: /hk-only-in-image}]\n",
                            "hooks.prestart[0]: /hk-only-in-image: cannot execute it: No such file or directory\n");
        expect_failed_start("hk-img2", "  create_runtime: [{path: /hk-only-in-image}]\n",
                            "hooks.create_runtime[0]: /hk-only-in-image: cannot execute it: No such file or directory\n");
        expect_failed_start("hk-img3", "  create_container: [{path: /hk-only-in-image}]\n",
                            "hooks.create_container[0]: /hk-only-in-image: cannot execute it: No such file or directory\n");
        ck_assert_int_ne(access(marker, F_OK), 0);

        char body[4096] = "name: hk-img4\nuser: \"1000:1000\"\n"
                          "mounts: [{type: bind, source: ./rec, target: /rec}]\n"
                          "command: [/bin/true]\n"
                          "hooks:\n"
                          "  poststart: [{path: /hk-only-in-image}]\n"
                          "  start_container: [{path: /bin/sh, args: [sh, /rec/rec.sh, /rec/log, start_container]},"
                          " {path: /hk-only-in-image}]\n";
        setup_dir();
        close(open(logpath, O_CREAT | O_WRONLY, 0666));
        chmod(logpath, 0666);   /* the hook runs as 1000 */
        struct outcome o = harness_run_spec("hk-img4", body);
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_ptr_nonnull(strstr(o.err, "hooks.poststart[0]: /hk-only-in-image: cannot execute it: No such file or directory\n"));
        char *log = log_text(), *v;
        ck_assert_str_eq(v = field(log, "start_container", "uid"), "1000 CapEff:\t0000000000000000");
        free(v);
        free(log);
        char *ran = read_file(marker);
        ck_assert_ptr_nonnull(ran);
        ck_assert_str_eq(ran, "image\n");   /* once: startContainer only */
        free(ran);
        outcome_free(&o);
        unlink(path);
        ck_assert_int_eq(congo_cgroups_left("hk-"), 0);
}
END_TEST

int main(void)
{
        harness_setup("hooks");
        Suite *s = suite_create("hooks");
        TCase *tc = tcase_create("hooks");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, every_kind_in_order_with_its_state_argv_env_and_namespaces);
        tcase_add_test(tc, a_failing_hook_fails_the_start_cleanly);
        tcase_add_test(tc, timeout_kills_the_hook_and_its_children);
        tcase_add_test(tc, sigterm_during_prestart_ends_the_start);
        tcase_add_test(tc, oci_bundle_hooks);
        tcase_add_test(tc, poststart_and_poststop_failures_are_warnings);
        tcase_add_test(tc, hook_paths_resolve_outside_the_image_but_start_container);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
