/* hostile_io.c - hostile callers and hostile I/O: a pty flooded or stalled
 * in either direction must not keep the launcher from its time limit and
 * its signals; stdio that reaches the host's tree is refused; the --stats
 * file and the spec cannot be turned against the launcher. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct io_run {
        int status;       /* -1: it had to be killed after the deadline */
        double secs;
        char err[4096];
};

/* congo-launch ARGS with the given stdin and stdout (-1: closed), stderr
 * collected; SIGTERM to it after term_after seconds if > 0; SIGKILL (and
 * status -1) after deadline seconds. */
static struct io_run run_io(const char *const args[], int in, int out, double term_after, double deadline)
{
        struct io_run r = { -1, 0, "" };
        int errp[2], ws;
        char *argv[16];
        size_t n = 0, len = 0;

        argv[n++] = getenv("CONGO_LAUNCH");
        for (; args[n - 1] && n < 15; n++)
                argv[n] = (char *)args[n - 1];
        argv[n] = NULL;
        ck_assert_int_eq(pipe2(errp, O_CLOEXEC), 0);
        double t0 = now();
        pid_t pid = fork();
        if (pid == 0) {
                int fds[3] = { in, out, errp[1] };
                for (int i = 0; i < 3; i++)
                        fds[i] = fds[i] < 0 ? -1 : fcntl(fds[i], F_DUPFD, 10);
                for (int i = 0; i < 3; i++) {
                        if (fds[i] < 0)
                                close(i);
                        else
                                dup2(fds[i], i);
                }
                for (int i = 0; i < 3; i++)
                        if (fds[i] > 2)
                                close(fds[i]);
                execv(argv[0], argv);
                _exit(99);
        }
        close(errp[1]);
        bool termed = false;
        for (;;) {
                struct pollfd p = { errp[0], POLLIN, 0 };
                if (poll(&p, 1, 20) > 0) {
                        ssize_t got = read(errp[0], r.err + len, sizeof r.err - 1 - len);
                        if (got <= 0)
                                break;
                        len += (size_t)got;
                        r.err[len] = '\0';
                }
                if (term_after > 0 && !termed && now() - t0 >= term_after) {
                        kill(pid, SIGTERM);
                        termed = true;
                }
                if (now() - t0 > deadline) {
                        kill(pid, SIGKILL);
                        waitpid(pid, NULL, 0);
                        close(errp[0]);
                        r.secs = now() - t0;
                        return r;
                }
        }
        close(errp[0]);
        waitpid(pid, &ws, 0);
        r.secs = now() - t0;
        r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        return r;
}

/* A process that writes y lines into fd as fast as it is taken. */
static pid_t flood(int fd)
{
        pid_t pid = fork();
        if (pid == 0) {
                static char buf[4096];
                for (size_t i = 0; i < sizeof buf; i += 2)
                        memcpy(buf + i, "y\n", 2);
                while (write(fd, buf, sizeof buf) > 0 || errno == EINTR || errno == EAGAIN)
                        ;
                _exit(0);
        }
        return pid;
}

static void stop(pid_t pid)
{
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

#define SLEEPER "terminal: true\nlimits: {time: 2s}\ncommand: [sleep, \"60\"]\n"
#define FLOODER "terminal: true\nlimits: {time: 2s}\ncommand: [yes]\n"

/* The time limit came on time: SIGTERM at 2 s, and the command died of
 * it; the launcher was gone well before the grace period ran out twice. */
static void on_time(const struct io_run *r, const char *shape, int status, double most)
{
        ck_assert_msg(r->status == status, "%s: status %d after %.2f s: %s", shape, r->status, r->secs, r->err);
        ck_assert_msg(r->secs >= 1.9 && r->secs < most, "%s: %.2f s", shape, r->secs);
        ck_assert_msg(strstr(r->err, "congo-launch: time limit of 2000 ms reached: sending SIGTERM") != NULL,
                      "%s: %s", shape, r->err);
        printf("%s: the launcher ended after %.2f s\n", shape, r->secs);
}

START_TEST(flooded_input)
{
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        /* The shape: yes | congo-launch, the container never reads. */
        int p[2];
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        pid_t writer = flood(p[1]);
        close(p[1]);
        const char *args[] = { harness_spec("io-yes", SLEEPER), NULL };
        struct io_run r = run_io(args, p[0], null, 0, 15);
        close(p[0]);
        stop(writer);
        on_time(&r, "yes | congo-launch", 143, 3);
        /* The same through a terminal: the launcher's stdin is a pty
         * that someone types into without pause. */
        int m, s;
        ck_assert_int_eq(openpty(&m, &s, NULL, NULL, NULL), 0);
        writer = flood(m);
        r = run_io(args, s, null, 0, 15);
        stop(writer);
        close(m);
        close(s);
        on_time(&r, "flooded pty on stdin", 143, 3);
        close(null);
}
END_TEST

START_TEST(stalled_input)
{
        /* A terminal on stdin that nobody types into; and a pipe whose
         * writer never writes nor closes. */
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC), m, s, p[2];
        ck_assert_int_eq(openpty(&m, &s, NULL, NULL, NULL), 0);
        const char *args[] = { harness_spec("io-still", SLEEPER), NULL };
        struct io_run r = run_io(args, s, null, 0, 15);
        close(s);
        close(m);
        on_time(&r, "stalled pty on stdin", 143, 3);
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        r = run_io(args, p[0], null, 0, 15);
        close(p[0]);
        close(p[1]);
        on_time(&r, "stalled pipe on stdin", 143, 3);
        close(null);
}
END_TEST

START_TEST(stalled_output)
{
        /* The container floods its pty; nobody reads the launcher's
         * stdout, a pipe or a terminal.  SIGTERM at 2 s; what is left to
         * drain gets the 2 s grace period, not forever. */
        int p[2], m, s;
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        const char *args[] = { harness_spec("io-flood", FLOODER), NULL };
        struct io_run r = run_io(args, -1, p[1], 0, 15);
        close(p[0]);
        close(p[1]);
        on_time(&r, "stdout a pipe nobody reads", 143, 5);
        ck_assert_int_eq(openpty(&m, &s, NULL, NULL, NULL), 0);
        r = run_io(args, -1, s, 0, 15);
        close(s);
        close(m);
        on_time(&r, "stdout a pty nobody reads", 143, 5);
        /* Without a time limit, SIGTERM to the launcher ends it all the
         * same: forwarded, then a bounded drain. */
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        const char *nolimit[] = { harness_spec("io-flood2", "terminal: true\ncommand: [yes]\n"), NULL };
        r = run_io(nolimit, -1, p[1], 1.0, 15);
        close(p[0]);
        close(p[1]);
        ck_assert_msg(r.status == 143 && r.secs < 4, "SIGTERM: status %d after %.2f s", r.status, r.secs);
        /* And a reader that goes away: no SIGPIPE death, the container
         * still gets its time limit. */
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        close(p[0]);
        args[0] = harness_spec("io-flood", FLOODER);   /* the path is static */
        r = run_io(args, -1, p[1], 0, 15);
        close(p[1]);
        on_time(&r, "stdout a pipe with no reader", 143, 3);
}
END_TEST

static const char *refusal(const char *what, int fd)
{
        static char line[512];
        snprintf(line, sizeof line, "congo-launch: %s is %s: refusing to hand it to the container, "
                 "which would reach the host's files through /proc/self/fd/%d\n",
                 fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr", what, fd);
        return line;
}

/* The first block device under /dev, as an O_PATH fd, or -1. */
static int some_block_device(void)
{
        DIR *d = opendir("/dev");
        int fd = -1;
        for (struct dirent *e; d && fd < 0 && (e = readdir(d));) {
                struct stat st;
                if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISBLK(st.st_mode))
                        fd = openat(dirfd(d), e->d_name, O_PATH | O_CLOEXEC);
        }
        if (d)
                closedir(d);
        return fd;
}

START_TEST(stdio_that_reaches_the_host)
{
        const char *args[] = { harness_spec("io-stdio", "command: [/bin/sh, -c, \"ls /proc/self/fd/0/; echo ran\"]\n"), NULL };
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        int dir = open(harness_tmp(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int dir_path = open("/", O_PATH | O_CLOEXEC);
        int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
        char link[512];
        snprintf(link, sizeof link, "%s/stdio-link", harness_tmp());
        ck_assert_int_eq(symlink("/", link), 0);
        int lnk = open(link, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        struct { int in, out; const char *what; } shapes[] = {
                { dir, null, "a directory" },
                { dir_path, null, "a directory" },
                { null, dir_path, "a directory" },
                { pidfd, null, "an anonymous inode (pidfd, eventfd, epoll...)" },
                { lnk, null, "a symbolic link" },
                { null, lnk, "a symbolic link" },
        };
        for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
                struct io_run r = run_io(args, shapes[i].in, shapes[i].out, 0, 10);
                ck_assert_msg(r.status == 125, "shape %zu: %d", i, r.status);
                ck_assert_str_eq(r.err, refusal(shapes[i].what, shapes[i].in == null));
        }
        int blk = some_block_device();
        if (blk >= 0) {
                struct io_run r = run_io(args, blk, null, 0, 10);
                ck_assert_int_eq(r.status, 125);
                ck_assert_str_eq(r.err, refusal("a block device", 0));
                close(blk);
        }
        /* A closed stdin is /dev/null to the container, not whatever the
         * launcher opens next. */
        const char *cat[] = { harness_spec("io-closed", "command: [/bin/sh, -c, \"cat; ls -l /proc/self/fd/0\"]\n"), NULL };
        int p[2];
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        struct io_run r = run_io(cat, -1, p[1], 0, 10);
        close(p[1]);
        char out[1024] = "";
        ck_assert_int_ge(read(p[0], out, sizeof out - 1), 0);
        close(p[0]);
        ck_assert_msg(r.status == 0, "%d: %s", r.status, r.err);
        ck_assert_msg(strstr(out, "-> /dev/null\n") != NULL, "%s", out);
        close(null);
        close(dir);
        close(dir_path);
        close(pidfd);
        close(lnk);
}
END_TEST

START_TEST(stats_file_cannot_be_redirected)
{
        char stats[1024], victim[512], arg[1100], line[1400];
        snprintf(victim, sizeof victim, "%s", harness_host_file("victim", "precious\n"));
        const char *spec = harness_spec("io-stats", "command: [/bin/true]\n");
        /* A symlink planted at the path before the start. */
        snprintf(stats, sizeof stats, "%s/planted.json", harness_tmp());
        ck_assert_int_eq(symlink(victim, stats), 0);
        snprintf(arg, sizeof arg, "--stats=%s", stats);
        const char *args[] = { arg, spec, NULL };
        struct outcome o = harness_run(args);
        ck_assert_int_eq(o.status, 125);
        snprintf(line, sizeof line, "congo-launch: --stats: cannot open %s: it is a symbolic link\n", stats);
        ck_assert_str_eq(o.err, line);
        outcome_free(&o);
        /* A FIFO that nobody reads: refused, not a hang. */
        snprintf(stats, sizeof stats, "%s/fifo.json", harness_tmp());
        ck_assert_int_eq(mkfifo(stats, 0600), 0);
        snprintf(arg, sizeof arg, "--stats=%s", stats);
        o = harness_run(args);
        ck_assert_int_eq(o.status, 125);
        snprintf(line, sizeof line, "congo-launch: --stats: cannot open %s: No such device or address\n", stats);
        ck_assert_str_eq(o.err, line);
        outcome_free(&o);
        /* The container swaps the file for a symlink through a bind mount
         * while it runs: the launcher writes to the file it opened. */
        char shared[512];
        snprintf(shared, sizeof shared, "%s/shared", harness_tmp());
        ck_assert_int_eq(mkdir(shared, 0755), 0);
        snprintf(stats, sizeof stats, "%s/stats.json", shared);
        snprintf(arg, sizeof arg, "--stats=%s", stats);
        char body[1024];
        snprintf(body, sizeof body, "mounts: [{type: bind, source: %s, target: /shared}]\n"
                 "command: [/bin/sh, -c, \"rm /shared/stats.json && ln -s ../victim /shared/stats.json\"]\n", shared);
        const char *swap[] = { arg, harness_spec("io-stats-swap", body), NULL };
        o = harness_run(swap);
        ck_assert_int_eq(o.status, 0);
        outcome_free(&o);
        char *v = read_file(victim);
        ck_assert_str_eq(v, "precious\n");
        free(v);
}
END_TEST

START_TEST(spec_that_is_not_a_file)
{
        char fifo[512], bundle[512], bundle_fifo[600], line[700];
        snprintf(fifo, sizeof fifo, "%s/spec.fifo", harness_tmp());
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        /* A directory is an OCI bundle: its config.json, here a FIFO. */
        snprintf(bundle, sizeof bundle, "%s/fifo-bundle", harness_tmp());
        ck_assert_int_eq(mkdir(bundle, 0700), 0);
        snprintf(bundle_fifo, sizeof bundle_fifo, "%s/config.json", bundle);
        ck_assert_int_eq(mkfifo(bundle_fifo, 0600), 0);
        const char *paths[] = { fifo, bundle, "/dev/zero" };
        const char *shown[] = { fifo, bundle_fifo, "/dev/zero" };
        for (size_t i = 0; i < 3; i++) {
                snprintf(line, sizeof line, "%s: cannot read the spec: not a regular file\n", shown[i]);
                const char *check[] = { "--check", paths[i], NULL };
                struct io_run r = run_io(check, -1, -1, 0, 5);
                ck_assert_msg(r.status == 1, "--check %s: %d after %.1f s", paths[i], r.status, r.secs);
                ck_assert_str_eq(r.err, line);
                const char *run[] = { paths[i], NULL };
                r = run_io(run, -1, -1, 0, 5);
                ck_assert_msg(r.status == 125, "%s: %d after %.1f s", paths[i], r.status, r.secs);
                ck_assert_str_eq(r.err, line);
        }
}
END_TEST

int main(void)
{
        harness_setup("hostile_io");
        Suite *s = suite_create("hostile_io");
        TCase *tc = tcase_create("io");
        tcase_set_timeout(tc, 90);
        tcase_add_test(tc, flooded_input);
        tcase_add_test(tc, stalled_input);
        tcase_add_test(tc, stalled_output);
        tcase_add_test(tc, stdio_that_reaches_the_host);
        tcase_add_test(tc, stats_file_cannot_be_redirected);
        tcase_add_test(tc, spec_that_is_not_a_file);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
