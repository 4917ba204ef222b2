/* soak.c - many containers, in a row and at once: every one succeeds, and
 * afterwards the host's mount table, the congo cgroups, the processes we
 * started and our own fds are back where they started.
 *
 * SOAK_SERIAL (default 300) and SOAK_PARALLEL (default 30) set the counts;
 * `make soak` runs 1000 and 50. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

static int count_fds(const char *dir)
{
        DIR *d = opendir(dir);
        int n = 0;

        for (struct dirent *e; d && (e = readdir(d));)
                n += e->d_name[0] != '.';
        if (d)
                closedir(d);
        return n - 1;   /* opendir's own */
}

static int count_children(void)
{
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
        char *c = read_file(path);
        int n = 0;
        for (char *p = c; p && *p; p++)
                n += *p == ' ';
        free(c);
        return n;
}

static int env_int(const char *name, int dflt)
{
        const char *v = getenv(name);
        return v && atoi(v) > 0 ? atoi(v) : dflt;
}

/* The fds of a launcher while its container runs, as "/dev/null pipe:[] ..." */
static char *launcher_fds(const char *spec)
{
        const char *args[] = { spec, NULL };
        int fd, ws;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        char cmd[256], *out = calloc(1, 2048), last[2048] = "";
        /* What each fd is, not its number: start-up closes and opens
         * fds in an order that differs between runs (seen: the signalfd
         * as 5 or 7); a leaked fd still shows as one more entry. */
        snprintf(cmd, sizeof cmd, "ls -l /proc/%d/fd | awk 'NR > 1 { print $NF }' | tr -d 0-9 | sort | tr '\\n' ' '",
                 (int)pid);
        /* "ready" comes from the command; the launcher may still be on
         * its way to supervising it (its PID 1 lets go of the error pipe
         * a moment after the exec): the set once it holds still. */
        for (int i = 0; i < 40; i++) {
                snprintf(last, sizeof last, "%s", out);
                usleep(50000);
                FILE *p = popen(cmd, "r");
                ck_assert_ptr_nonnull(fgets(out, 2047, p));
                pclose(p);
                if (i > 0 && strcmp(out, last) == 0)
                        break;
        }
        kill(pid, SIGTERM);
        waitpid(pid, &ws, 0);
        close(fd);
        return out;
}

START_TEST(serial_then_parallel)
{
        int serial = env_int("SOAK_SERIAL", 300), parallel = env_int("SOAK_PARALLEL", 30);
        printf("soak: %d containers in a row, then %d at once\n", serial, parallel);
        const char *body = "limits: {pids: 20, memory: 32M, cpu_shares: 256}\n"
                           "command: [/bin/sh, -c, \"echo ok\"]\n";
        char spec[512];
        snprintf(spec, sizeof spec, "%s", harness_spec("soak", body));
        char probe_spec[512];
        snprintf(probe_spec, sizeof probe_spec, "%s",
                 harness_spec("soak-fds", "init: true\ncommand: [/bin/sh, -c, \"echo ready; exec sleep 100\"]\n"));

        char *mounts_before = read_file("/proc/self/mountinfo");
        int fds_before = count_fds("/proc/self/fd");
        char *launcher_before = launcher_fds(probe_spec);

        for (int i = 0; i < serial; i++) {
                const char *args[] = { spec, NULL };
                struct outcome o = harness_run(args);
                ck_assert_msg(o.status == 0 && strcmp(o.out, "ok\n") == 0,
                              "run %d: status %d: %s%s", i, o.status, o.out, o.err);
                outcome_free(&o);
        }

        pid_t pids[256];
        int fds[256];
        ck_assert_int_le(parallel, 256);
        for (int i = 0; i < parallel; i++) {
                const char *args[] = { spec, NULL };
                pids[i] = harness_start(args, &fds[i]);
                ck_assert_int_gt(pids[i], 0);
        }
        for (int i = 0; i < parallel; i++) {
                int ws;
                ck_assert(harness_wait_for(fds[i], "ok", 20000));
                ck_assert_int_eq(waitpid(pids[i], &ws, 0), pids[i]);
                ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "parallel run %d: %d", i, ws);
                close(fds[i]);
        }

        char *mounts_after = read_file("/proc/self/mountinfo");
        ck_assert_str_eq(mounts_before, mounts_after);
        ck_assert_int_eq(congo_cgroups_left("soak-"), 0);
        ck_assert_int_eq(count_children(), 0);
        ck_assert_int_eq(count_fds("/proc/self/fd"), fds_before);
        char *launcher_after = launcher_fds(probe_spec);
        ck_assert_str_eq(launcher_before, launcher_after);
        ck_assert_int_eq(harness_gc("soak-fds-"), 0);
        free(mounts_before);
        free(mounts_after);
        free(launcher_before);
        free(launcher_after);
}
END_TEST

int main(void)
{
        harness_setup("soak");
        Suite *s = suite_create("soak");
        TCase *tc = tcase_create("soak");
        tcase_set_timeout(tc, 1800);
        tcase_add_test(tc, serial_then_parallel);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
