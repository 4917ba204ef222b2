/* unit_runtime.c - the OCI runtime's state model, without root: id
 * rules, directory names of long ids, the status from pid, start time and
 * fifo, state.json round trips, atomic writes, the lock. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "congo/spec.h"
#include "runtime.h"
#include "run_suite.h"

static char tmp[256];
static struct congo_rt rt;

static void setup(void)
{
        snprintf(tmp, sizeof tmp, "/tmp/congo-unit-runtime-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmp));
        rt.root = tmp;
}

static void teardown(void)
{
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        ck_assert_int_eq(system(cmd), 0);
}

START_TEST(ids)
{
        char longid[1100];
        memset(longid, 'x', 1024);
        longid[1024] = '\0';
        ck_assert(congo_rt_id_valid("a"));
        ck_assert(congo_rt_id_valid("web-1_2+3.4"));
        ck_assert(congo_rt_id_valid(longid));
        ck_assert(congo_rt_id_valid("..."));
        const char *bad[] = { "", ".", "..", "a/b", "/", "a b", "a\nb", "a:b", "a~b", "\xc3\xa9" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
                ck_assert_msg(!congo_rt_id_valid(bad[i]), "%zu", i);
        longid[1024] = 'x';
        longid[1025] = '\0';
        ck_assert(!congo_rt_id_valid(longid));
}
END_TEST

START_TEST(dirnames)
{
        char a[128], b[128], id1[300], id2[300];
        ck_assert_str_eq(congo_rt_dirname("short", a), "short");
        memset(id1, 'y', 299);
        id1[299] = '\0';
        memcpy(id2, id1, sizeof id1);
        id2[250] = 'z';   /* differs after the kept prefix */
        const char *n1 = congo_rt_dirname(id1, a), *n2 = congo_rt_dirname(id2, b);
        ck_assert_str_ne(n1, n2);
        ck_assert_int_le(strlen(n1), 120);
        ck_assert_ptr_nonnull(strchr(n1, '~'));
        ck_assert(!congo_rt_id_valid(n1));   /* never an id of its own */
}
END_TEST

START_TEST(pid_status)
{
        unsigned long long me = congo_rt_pid_start(getpid());
        ck_assert_uint_gt(me, 0);
        ck_assert(congo_rt_pid_alive(getpid(), me));
        ck_assert(!congo_rt_pid_alive(getpid(), me + 1));   /* a reused pid */
        ck_assert(!congo_rt_pid_alive(0, 0));
        ck_assert_int_eq(congo_rt_signal(getpid(), me + 1, SIGKILL), 1);   /* not ours: not sent */
        ck_assert_int_eq(congo_rt_signal(getpid(), me, 0), 0);
        pid_t child = fork();
        if (child == 0)
                _exit(0);
        unsigned long long start = congo_rt_pid_start(child);
        /* A zombie is stopped; then gone. */
        for (int i = 0; i < 200 && congo_rt_pid_alive(child, start); i++)
                usleep(5000);
        ck_assert(!congo_rt_pid_alive(child, start));
        waitpid(child, NULL, 0);
        ck_assert(!congo_rt_pid_alive(child, start));
}
END_TEST

START_TEST(state_round_trip)
{
        int dirfd;
        ck_assert_int_eq(congo_rt_make(&rt, "c1", &dirfd), 0);
        struct congo_rt_state st = {
                .id = "c1", .bundle = "/b\"q", .rootfs = "/b/rootfs", .created = "2026-01-01T00:00:00Z",
                .pid = getpid(), .pid_start = congo_rt_pid_start(getpid()),
                .annotations = "{\"k\":\"v\"}",
                .cgroup = { .driver = "v2", .pid_namespace = true, .n_dirs = 1,
                            .controller = { "" }, .path = { "/sys/fs/cgroup/congo/oci/c1" } },
        };
        ck_assert_int_eq(congo_rt_write(dirfd, &st), 0);
        struct stat sb;
        char tmpname[64];
        snprintf(tmpname, sizeof tmpname, "state.json.tmp-%d", (int)getpid());
        ck_assert_int_ne(fstatat(dirfd, tmpname, &sb, 0), 0);   /* renamed */
        struct congo_rt_state got;
        ck_assert_int_eq(congo_rt_read(dirfd, "c1", &got), 0);
        ck_assert_str_eq(got.bundle, "/b\"q");
        ck_assert_int_eq(got.pid, getpid());
        ck_assert_str_eq(got.cgroup.driver, "v2");
        ck_assert(got.cgroup.pid_namespace);
        ck_assert_str_eq(got.cgroup.path[0], "/sys/fs/cgroup/congo/oci/c1");
        ck_assert_int_eq(got.status, RT_RUNNING);   /* alive, no fifo */
        ck_assert_int_eq(mkfifoat(dirfd, "exec.fifo", 0622), 0);
        ck_assert_int_eq(congo_rt_status_of(dirfd, &got), RT_CREATED);
        got.pid_start++;
        ck_assert_int_eq(congo_rt_status_of(dirfd, &got), RT_STOPPED);
        got.status = RT_STOPPED;
        char *json = congo_rt_state_json(&got, false);
        ck_assert_ptr_nonnull(strstr(json, "\"pid\": 0"));
        ck_assert_ptr_nonnull(strstr(json, "\"status\": \"stopped\""));
        ck_assert_ptr_nonnull(strstr(json, "\"k\": \"v\""));
        free(json);
        congo_rt_state_free(&got);
        ck_assert_int_eq(congo_rt_remove(&rt, "c1", dirfd), 0);
        ck_assert_int_ne(congo_rt_open_quiet(&rt, "c1", &dirfd), 0);
}
END_TEST

/* Two makes of one id: the second says it exists, while the first holds
 * it and after; a directory without state.json and unlocked is reused. */
START_TEST(make_and_lock)
{
        int a, b;
        ck_assert_int_eq(congo_rt_make(&rt, "x", &a), 0);
        ck_assert_int_ne(congo_rt_make(&rt, "x", &b), 0);
        congo_rt_close(a);
        /* No state.json, unlocked: a dead create's; taken over. */
        ck_assert_int_eq(congo_rt_make(&rt, "x", &b), 0);
        struct congo_rt_state st = { .id = "x", .bundle = "/", .rootfs = "/", .created = "", .annotations = "{}",
                                     .cgroup = { .driver = "none" } };
        ck_assert_int_eq(congo_rt_write(b, &st), 0);
        congo_rt_close(b);
        ck_assert_int_ne(congo_rt_make(&rt, "x", &a), 0);   /* a container now */
        ck_assert_int_eq(congo_rt_open(&rt, "x", &a), 0);
        /* Locked: another opener would wait; a non-blocking try fails. */
        char path[400];
        snprintf(path, sizeof path, "%s/x", tmp);
        int other = open(path, O_RDONLY | O_DIRECTORY);
        ck_assert_int_ne(flock(other, LOCK_EX | LOCK_NB), 0);
        congo_rt_close(a);
        ck_assert_int_eq(flock(other, LOCK_EX | LOCK_NB), 0);
        close(other);
}
END_TEST

START_TEST(atomic_file)
{
        char path[400], text[64] = "";
        snprintf(path, sizeof path, "%s/pid", tmp);
        ck_assert_int_eq(congo_rt_write_file(AT_FDCWD, path, "1234"), 0);
        int fd = open(path, O_RDONLY);
        ck_assert_int_eq(read(fd, text, sizeof text), 4);
        close(fd);
        ck_assert_str_eq(text, "1234");
        /* A symlink where the temporary goes is not followed. */
        char tmpname[420], target[420];
        snprintf(tmpname, sizeof tmpname, "%s.tmp-%d", path, (int)getpid());
        snprintf(target, sizeof target, "%s/target", tmp);
        ck_assert_int_eq(symlink(target, tmpname), 0);
        ck_assert_int_ne(congo_rt_write_file(AT_FDCWD, path, "99"), 0);
        struct stat st;
        ck_assert_int_ne(stat(target, &st), 0);
}
END_TEST

/* podman's cgroupsPath (libpod_parent/libpod-<64 hex>) is a cgroup_parent;
 * a component longer than a file name, or a way up, is not. */
START_TEST(long_cgroup_names)
{
        char name[400];
        struct congo_diag d = { NULL, 0 };
        struct congo_spec spec;
        congo_spec_init(&spec, NULL);
        snprintf(name, sizeof name, "libpod_parent/libpod-%064d", 7);
        struct congo_scalar v = { .text = name };
        ck_assert_int_eq(congo_spec_set(&spec, "cgroup_parent", &v, &d), 0);
        ck_assert_str_eq(spec.cgroup_parent, name);
        memset(name, 'a', 256);
        name[256] = '\0';
        ck_assert_int_ne(congo_spec_set(&spec, "cgroup_parent", &v, &d), 0);
        const char *bad[] = { "a/../b", "/abs", "a//..", "a b" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                v.text = bad[i];
                ck_assert_msg(congo_spec_set(&spec, "cgroup_parent", &v, &d) != 0, "%s", bad[i]);
        }
        congo_spec_free(&spec);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("unit_runtime");
        TCase *tc = tcase_create("state");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, ids);
        tcase_add_test(tc, dirnames);
        tcase_add_test(tc, pid_status);
        tcase_add_test(tc, state_round_trip);
        tcase_add_test(tc, make_and_lock);
        tcase_add_test(tc, atomic_file);
        tcase_add_test(tc, long_cgroup_names);
        suite_add_tcase(s, tc);
        return run_suite(s);
}
