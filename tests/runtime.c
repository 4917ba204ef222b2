/* runtime.c - `congo`, the OCI runtime, driven as podman or containerd
 * drive runc: every command, the lifecycle states, concurrent commands on
 * one id, bad ids, and nothing left behind after delete (state directory,
 * cgroups, processes, mounts).  The test is the containers' subreaper, as
 * conmon or the shim would be. */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "congo/parse.h"
#include "harness.h"
#include "run_suite.h"

static char root[400], bundle[400];
static int calls;
static const char *rt_stdin;   /* the next rt()'s stdin, else /dev/null */

struct res {
        int status;
        char out[8192], err[8192];
};

static void slurp(const char *path, char *buf, size_t len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);
        buf[n > 0 ? n : 0] = '\0';
        if (fd >= 0)
                close(fd);
}

/* congo --root ROOT ARGS...: stdout and stderr to files (a container
 * created keeps them open: a pipe would never end), stdin /dev/null. */
static struct res rtv(const char *first, va_list ap)
{
        struct res r = { -1, "", "" };
        char *argv[32], out[500], err[500];
        int n = 0, ws;

        argv[n++] = getenv("CONGO_RUNTIME");
        argv[n++] = "--root";
        argv[n++] = root;
        for (const char *a = first; a && n < 31; a = va_arg(ap, const char *))
                argv[n++] = (char *)a;
        argv[n] = NULL;
        calls++;
        snprintf(out, sizeof out, "%s/out.%d.%d", harness_tmp(), (int)getpid(), calls);
        snprintf(err, sizeof err, "%s/err.%d.%d", harness_tmp(), (int)getpid(), calls);
        pid_t pid = fork();
        if (pid == 0) {
                int i = open(rt_stdin ? rt_stdin : "/dev/null", O_RDONLY), o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644),
                    e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                dup2(i, 0);
                dup2(o, 1);
                dup2(e, 2);
                execv(argv[0], argv);
                _exit(127);
        }
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
                ;
        r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        slurp(out, r.out, sizeof r.out);
        slurp(err, r.err, sizeof r.err);
        unlink(out);
        unlink(err);
        return r;
}

static struct res rt(const char *first, ...)
{
        va_list ap;

        va_start(ap, first);
        struct res r = rtv(first, ap);
        va_end(ap);
        return r;
}

/* The stdout file of the container: its command writes there. */
static const char *bundle_with(const char *name, const char *body)
{
        static char dir[500];
        char path[600];

        snprintf(dir, sizeof dir, "%s/%s", harness_tmp(), name);
        mkdir(dir, 0755);
        snprintf(path, sizeof path, "%s/config.yaml", dir);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "version: 1\nname: %s\nrootfs: %s\nenv:\n  PATH: /bin:/sbin\n%s", name, harness_rootfs(), body);
        fclose(f);
        return dir;
}

static void reap(void)
{
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
}

static const char *status_of(const char *id)
{
        static char st[32];
        struct res r = rt("state", id, NULL);
        const char *p = strstr(r.out, "\"status\": \"");

        st[0] = '\0';
        if (r.status == 0 && p)
                snprintf(st, sizeof st, "%.*s", (int)strcspn(p + 11, "\""), p + 11);
        return st;
}

/* What pid runs cannot be written through /proc/PID/exe: a memfd sealed
 * against writes ("memfd") or a file on a read-only overlayfs ("overlay");
 * NULL for anything else (the host's binary). */
static const char *exe_image(pid_t pid)
{
        char path[64];
        struct statfs sf;
        struct statvfs sv;

        snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return NULL;
        int seals = fcntl(fd, F_GET_SEALS);
        bool ovl = fstatfs(fd, &sf) == 0 && sf.f_type == 0x794c7630 /* OVERLAYFS_SUPER_MAGIC */ &&
                   fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
        close(fd);
        return seals >= 0 && (seals & F_SEAL_WRITE) ? "memfd" : ovl ? "overlay" : NULL;
}

/* Whether this kernel lets root make an overlayfs (sealed.c's first way). */
static bool overlay_works(void)
{
        int fs = fsopen("overlay", FSOPEN_CLOEXEC);

        if (fs >= 0)
                close(fs);
        return fs >= 0;
}

static pid_t pid_of(const char *id)
{
        struct res r = rt("state", id, NULL);
        const char *p = strstr(r.out, "\"pid\": ");
        return p ? (pid_t)atoi(p + 7) : -1;
}

/* Reaping as the subreaper does, until the status is want (5 s at most). */
static bool wait_status(const char *id, const char *want)
{
        for (int i = 0; i < 500; i++) {
                reap();
                if (strcmp(status_of(id), want) == 0)
                        return true;
                usleep(10000);
        }
        return false;
}

static bool state_dir_gone(const char *id)
{
        char path[1600];
        struct stat st;

        snprintf(path, sizeof path, "%s/%s", root, id);
        return stat(path, &st) < 0 && errno == ENOENT;
}

static int cgroups_of(const char *id)
{
        char prefix[200];

        snprintf(prefix, sizeof prefix, "oci/%s", id);
        return congo_cgroups_left(prefix);
}

static void subreaper(void)
{
        ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
        snprintf(bundle, sizeof bundle, "%s", bundle_with("sleeper", "command: [\"/bin/sh\", \"-c\", \"echo ran; exec sleep 30\"]\n"));
}

/* After each test, pass or fail: every container it left goes. */
static void cleanup_all(void)
{
        struct res r = rt("list", "-q", NULL);
        for (char *id = strtok(r.out, "\n"); id; id = strtok(NULL, "\n"))
                rt("delete", "--force", id, NULL);
        reap();
}

START_TEST(cli)
{
        struct res r = rt("--version", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "congo version"));
        ck_assert_ptr_nonnull(strstr(r.out, "spec: 1.1.0"));
        r = rt("--help", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "create"));
        r = rt("--bogus", "list", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "flag provided but not defined: --bogus"));
        r = rt("create", "--nope", "x", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "flag provided but not defined: --nope"));
        r = rt("frobnicate", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "unknown command"));
        r = rt("create", "--bundle", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "flag needs an argument"));
        const char *unsupported[] = { "checkpoint", "restore" };
        for (int i = 0; i < 2; i++) {
                r = rt(unsupported[i], "x", NULL);
                ck_assert_int_ne(r.status, 0);
                ck_assert_ptr_nonnull(strstr(r.err, "not supported"));
                ck_assert_int_eq(count_lines(r.err, ""), 1);
        }
        r = rt("start", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "missing"));
}
END_TEST

START_TEST(bad_ids)
{
        char longid[1100];
        memset(longid, 'a', 1025);
        longid[1025] = '\0';
        const char *bad[] = { "", ".", "..", "a/b", "../x", "a b", "x\ny", "é", longid };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                struct res r = rt("create", "--bundle", bundle, bad[i], NULL);
                ck_assert_msg(r.status == 1, "id %zu: %d", i, r.status);
                ck_assert_msg(strstr(r.err, "invalid container id") != NULL, "id %zu: %s", i, r.err);
                r = rt("delete", bad[i], NULL);
                ck_assert_int_eq(r.status, 1);
        }
        /* 1024 bytes is allowed; nothing was made for the bad ones. */
        longid[1024] = '\0';
        struct res r = rt("create", "--bundle", bundle, longid, NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("delete", longid, NULL).status, 0);
        r = rt("list", "-q", NULL);
        ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(lifecycle)
{
        char out[600], text[256];
        snprintf(out, sizeof out, "%s/out.lifecycle", harness_tmp());
        char *before = read_file("/proc/self/mountinfo");

        struct res r = rt("create", "--bundle", bundle, "life", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_str_eq(status_of("life"), "created");
        pid_t pid = pid_of("life");
        ck_assert_int_gt(pid, 0);
        ck_assert_int_eq(kill(pid, 0), 0);
        /* Parked: the command has not run (it would print "ran"). */
        usleep(100000);
        ck_assert_ptr_null(strstr(r.out, "ran"));
        ck_assert_int_gt(cgroups_of("life"), 0);
        /* A created container cannot be deleted by a second create. */
        r = rt("create", "--bundle", bundle, "life", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "already exists"));

        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        r = rt("start", "life", NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ck_assert_msg(r.status == 0, "%s", r.err);
        /* start returns at once, not when the command (sleep 30) ends. */
        ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 3);
        ck_assert_str_eq(status_of("life"), "running");
        r = rt("start", "life", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "already running"));
        r = rt("delete", "life", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "not stopped"));
        ck_assert_str_eq(status_of("life"), "running");

        r = rt("kill", "life", "TERM", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert(wait_status("life", "stopped"));
        ck_assert_int_eq(pid_of("life"), 0);
        r = rt("kill", "life", "KILL", NULL);
        ck_assert_int_eq(r.status, 1);
        r = rt("start", "life", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "stopped"));
        r = rt("delete", "life", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert(state_dir_gone("life"));
        ck_assert_int_eq(cgroups_of("life"), 0);
        ck_assert(harness_gone(pid));
        r = rt("state", "life", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "does not exist"));
        char *after = read_file("/proc/self/mountinfo");
        ck_assert_str_eq(before, after);
        free(before);
        free(after);
        (void)text;
}
END_TEST

START_TEST(stopped_by_itself)
{
        const char *b = bundle_with("quick", "command: [\"/bin/sh\", \"-c\", \"exit 3\"]\n");
        struct res r = rt("create", "--bundle", b, "quick", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("start", "quick", NULL).status, 0);
        /* Stopped as soon as it ended, reaped or not (a zombie is stopped). */
        for (int i = 0; i < 300 && strcmp(status_of("quick"), "stopped") != 0; i++)
                usleep(10000);
        ck_assert_str_eq(status_of("quick"), "stopped");
        int ws = 0;
        pid_t got = 0;
        for (int i = 0; i < 100 && got <= 0; i++, usleep(10000))
                got = waitpid(-1, &ws, WNOHANG);
        ck_assert_int_gt(got, 0);
        /* The caller reaps the container's exit status: the command's. */
        ck_assert(WIFEXITED(ws));
        ck_assert_int_eq(WEXITSTATUS(ws), 3);
        ck_assert_int_eq(rt("delete", "quick", NULL).status, 0);
        ck_assert(state_dir_gone("quick"));
        ck_assert_int_eq(cgroups_of("quick"), 0);
}
END_TEST

START_TEST(delete_created_and_force)
{
        ck_assert_int_eq(rt("create", "--bundle", bundle, "c1", NULL).status, 0);
        pid_t pid = pid_of("c1");
        /* A created container never ran: delete takes it without --force. */
        struct res r = rt("delete", "c1", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        reap();
        ck_assert(harness_gone(pid));
        ck_assert(state_dir_gone("c1"));
        ck_assert_int_eq(cgroups_of("c1"), 0);

        ck_assert_int_eq(rt("run", "-d", "--bundle", bundle, "c2", NULL).status, 0);
        ck_assert_str_eq(status_of("c2"), "running");
        pid = pid_of("c2");
        r = rt("delete", "--force", "c2", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        reap();
        ck_assert(harness_gone(pid));
        ck_assert(state_dir_gone("c2"));
        ck_assert_int_eq(cgroups_of("c2"), 0);
        /* --force on what does not exist: fine, as runc's. */
        ck_assert_int_eq(rt("delete", "--force", "c2", NULL).status, 0);
        ck_assert_int_eq(rt("delete", "c2", NULL).status, 1);
}
END_TEST

START_TEST(kill_all_and_signals)
{
        const char *b = bundle_with("family", "command: [\"/bin/sh\", \"-c\", \"sleep 30 & sleep 30 & wait\"]\n");
        ck_assert_int_eq(rt("run", "-d", "--bundle", b, "fam", NULL).status, 0);
        struct res r = rt("kill", "fam", "NOSUCHSIG", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "invalid signal"));
        r = rt("kill", "--all", "fam", "9", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert(wait_status("fam", "stopped"));
        ck_assert_int_eq(rt("delete", "fam", NULL).status, 0);
        ck_assert_int_eq(cgroups_of("fam"), 0);
}
END_TEST

START_TEST(pid_file)
{
        char pf[600], text[700];
        struct stat st;
        snprintf(pf, sizeof pf, "%s/container.pid", harness_tmp());
        struct res r = rt("create", "--bundle", bundle, "--pid-file", pf, "pf", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        slurp(pf, text, sizeof text);
        ck_assert_int_eq(atoi(text), pid_of("pf"));
        /* Renamed into place: no temporary beside it. */
        snprintf(text, sizeof text, "%s", harness_tmp());
        DIR *d = opendir(text);
        for (struct dirent *e; d && (e = readdir(d));)
                ck_assert_msg(strstr(e->d_name, "container.pid.tmp") == NULL, "%s", e->d_name);
        closedir(d);
        (void)st;
        ck_assert_int_eq(rt("delete", "pf", NULL).status, 0);
        /* A pid file that cannot be written: create fails, leaves nothing. */
        r = rt("create", "--bundle", bundle, "--pid-file", "/nonexistent/dir/pid", "pf2", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert(state_dir_gone("pf2"));
        reap();
        ck_assert_int_eq(cgroups_of("pf2"), 0);
}
END_TEST

/* The console socket: the caller gets the pty master by SCM_RIGHTS. */
START_TEST(console_socket)
{
        const char *b = bundle_with("tty", "terminal: true\ncommand: [\"/bin/sh\", \"-c\", \"tty; echo typed-$(head -c 3)\"]\n");
        char sock_path[100];
        snprintf(sock_path, sizeof sock_path, "%s/console.sock", harness_tmp());
        unlink(sock_path);
        int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock_path);
        ck_assert_int_eq(bind(ls, (struct sockaddr *)&addr, sizeof addr), 0);
        ck_assert_int_eq(listen(ls, 1), 0);

        struct res r = rt("create", "--bundle", b, "tty1", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "--console-socket"));
        ck_assert(state_dir_gone("tty1"));

        r = rt("create", "--bundle", b, "--console-socket", sock_path, "tty1", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        ck_assert_int_ge(c, 0);
        char byte[64];
        struct iovec iov = { byte, sizeof byte };
        union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                              .msg_controllen = sizeof ctl.buf };
        ck_assert_int_gt(recvmsg(c, &msg, MSG_CMSG_CLOEXEC), 0);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        ck_assert_ptr_nonnull(cm);
        ck_assert_int_eq(cm->cmsg_type, SCM_RIGHTS);
        int master;
        memcpy(&master, CMSG_DATA(cm), sizeof master);
        unsigned ptn;
        ck_assert_int_eq(ioctl(master, TIOCGPTN, &ptn), 0);
        ck_assert_int_eq(rt("start", "tty1", NULL).status, 0);
        ck_assert_int_eq(write(master, "abc\n", 4), 4);
        char out[512];
        size_t len = 0;
        for (int i = 0; i < 50 && !strstr(out, "typed-abc"); i++) {
                struct pollfd p = { master, POLLIN, 0 };
                if (poll(&p, 1, 100) > 0) {
                        ssize_t n = read(master, out + len, sizeof out - 1 - len);
                        if (n <= 0)
                                break;
                        len += (size_t)n;
                }
                out[len] = '\0';
        }
        ck_assert_msg(strstr(out, "/dev/pts/0") != NULL, "%s", out);
        ck_assert_msg(strstr(out, "typed-abc") != NULL, "%s", out);
        ck_assert(wait_status("tty1", "stopped"));
        ck_assert_int_eq(rt("delete", "tty1", NULL).status, 0);
        close(master);
        close(c);
        close(ls);
}
END_TEST

/* Eight creates of one id at once: one wins, the others say it exists;
 * then eight starts: one starts it, the others say it runs. */
START_TEST(concurrent)
{
        const char *cmds[2] = { "create", "start" };
        for (int round = 0; round < 2; round++) {
                pid_t kids[8];
                int ok = 0;
                for (int i = 0; i < 8; i++) {
                        kids[i] = fork();
                        if (kids[i] == 0) {
                                struct res r = round == 0 ? rt("create", "--bundle", bundle, "same", NULL)
                                                          : rt("start", "same", NULL);
                                _exit(r.status == 0 ? 0 :
                                      strstr(r.err, round == 0 ? "already exists" : "already running") ? 1 : 2);
                        }
                }
                for (int i = 0; i < 8; i++) {
                        int ws;
                        ck_assert_int_eq(waitpid(kids[i], &ws, 0), kids[i]);
                        ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) < 2, "%s %d", cmds[round], ws);
                        ok += WEXITSTATUS(ws) == 0;
                }
                ck_assert_msg(ok == 1, "%s: %d succeeded", cmds[round], ok);
        }
        ck_assert_str_eq(status_of("same"), "running");
        ck_assert_int_eq(rt("delete", "--force", "same", NULL).status, 0);
        reap();
        ck_assert_int_eq(cgroups_of("same"), 0);
}
END_TEST

/* What a create SIGKILLed half-way left: the id is usable again. */
START_TEST(crashed_create)
{
        char dir[1600];
        snprintf(dir, sizeof dir, "%s/crashed", root);
        mkdir(root, 0700);
        ck_assert_int_eq(mkdir(dir, 0711), 0);
        struct res r = rt("state", "crashed", NULL);
        ck_assert_int_eq(r.status, 1);
        r = rt("list", "-q", NULL);
        ck_assert_ptr_null(strstr(r.out, "crashed"));
        r = rt("create", "--bundle", bundle, "crashed", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("delete", "crashed", NULL).status, 0);
        ck_assert_int_eq(mkdir(dir, 0711), 0);
        ck_assert_int_eq(rt("delete", "crashed", NULL).status, 0);
        ck_assert(state_dir_gone("crashed"));

        /* And a real one: create killed at several points; the container
         * dies with it (it reads EOF before its commit). */
        for (int delay = 0; delay < 40000; delay += 8000) {
                /* create itself, not a process waiting for it: killed, it
                 * cannot go on to commit after the delete below. */
                pid_t p = fork();
                if (p == 0) {
                        int null = open("/dev/null", O_RDWR);
                        dup2(null, 0);
                        dup2(null, 1);
                        dup2(null, 2);
                        execl(getenv("CONGO_RUNTIME"), "congo", "--root", root, "create", "--bundle", bundle,
                              "killed", (char *)NULL);
                        _exit(127);
                }
                usleep((useconds_t)delay);
                kill(p, SIGKILL);
                waitpid(p, NULL, 0);
                /* Whatever state it reached, delete --force clears it. */
                usleep(50000);
                r = rt("delete", "--force", "killed", NULL);
                ck_assert_msg(r.status == 0, "%s", r.err);
                ck_assert(state_dir_gone("killed"));
                reap();
                ck_assert_msg(cgroups_of("killed") == 0, "killed after %d us: its cgroup is left", delay);
        }
}
END_TEST

START_TEST(run_attached)
{
        const char *b = bundle_with("fg", "command: [\"/bin/sh\", \"-c\", \"echo in-front; exit 7\"]\n");
        struct res r = rt("run", "--bundle", b, "fg", NULL);
        ck_assert_int_eq(r.status, 7);
        ck_assert_ptr_nonnull(strstr(r.out, "in-front"));
        ck_assert(state_dir_gone("fg"));
        ck_assert_int_eq(cgroups_of("fg"), 0);
}
END_TEST

START_TEST(list_state_json)
{
        ck_assert_int_eq(rt("create", "--bundle", bundle, "la", NULL).status, 0);
        ck_assert_int_eq(rt("run", "-d", "--bundle", bundle, "lb", NULL).status, 0);
        struct res r = rt("list", "-q", NULL);
        ck_assert_msg(strstr(r.out, "la\nlb\n") != NULL, "%s", r.out);
        r = rt("list", "--format", "json", NULL);
        ck_assert_ptr_nonnull(strstr(r.out, "\"id\":\"la\""));
        ck_assert_ptr_nonnull(strstr(r.out, "\"status\":\"running\""));
        ck_assert_int_eq(r.out[0], '[');
        r = rt("list", NULL);
        ck_assert_ptr_nonnull(strstr(r.out, "ID"));
        ck_assert_ptr_nonnull(strstr(r.out, "created"));
        r = rt("list", "--format", "yaml", NULL);
        ck_assert_int_eq(r.status, 1);
        r = rt("state", "la", NULL);
        ck_assert_ptr_nonnull(strstr(r.out, "\"ociVersion\": \"1.1.0\""));
        ck_assert_ptr_nonnull(strstr(r.out, "\"bundle\": \"/"));
        ck_assert_ptr_nonnull(strstr(r.out, "\"annotations\": {}"));
        ck_assert_int_eq(rt("delete", "--force", "la", NULL).status, 0);
        ck_assert_int_eq(rt("delete", "--force", "lb", NULL).status, 0);
}
END_TEST

START_TEST(log_json)
{
        char log[600], text[4096];
        snprintf(log, sizeof log, "%s/log.json", harness_tmp());
        unlink(log);
        struct res r = rt("--log", log, "--log-format", "json", "state", "nosuch", NULL);
        /* rt puts --root first; the globals may come in any order. */
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "does not exist"));
        slurp(log, text, sizeof text);
        ck_assert_msg(strstr(text, "{\"level\":\"error\",\"msg\":\"container \\\"nosuch\\\" does not exist\",\"time\":\"") == text,
                      "%s", text);
        ck_assert_int_eq(count_lines(text, ""), 1);
        r = rt("--log-format", "xml", "list", NULL);
        ck_assert_int_eq(r.status, 1);
}
END_TEST

START_TEST(spec_and_features)
{
        char dir[600], path[700], text[16384];
        snprintf(dir, sizeof dir, "%s/specdir", harness_tmp());
        mkdir(dir, 0755);
        struct res r = rt("spec", "--bundle", dir, NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        snprintf(path, sizeof path, "%s/config.json", dir);
        slurp(path, text, sizeof text);
        ck_assert_ptr_nonnull(strstr(text, "\"ociVersion\": \"1.1.0\""));
        ck_assert_ptr_nonnull(strstr(text, "\"path\": \"rootfs\""));
        r = rt("spec", "--bundle", dir, NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "exists"));
        unlink(path);
        r = rt("spec", "--rootless", "--bundle", dir, NULL);
        ck_assert_int_eq(r.status, 0);
        slurp(path, text, sizeof text);
        ck_assert_ptr_nonnull(strstr(text, "uidMappings"));
        r = rt("features", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "\"ociVersionMax\": \"1.1.0\""));
        ck_assert_ptr_nonnull(strstr(r.out, "\"namespaces\""));
}
END_TEST

/* A bundle as image tools make them: config.json, here from `congo spec`
 * with its args, terminal and root.path changed. */
START_TEST(oci_bundle)
{
        char dir[600], path[700], text[16384], edited[20000];
        snprintf(dir, sizeof dir, "%s/ocibundle", harness_tmp());
        mkdir(dir, 0755);
        snprintf(path, sizeof path, "%s/config.json", dir);
        unlink(path);
        ck_assert_int_eq(rt("spec", "--bundle", dir, NULL).status, 0);
        slurp(path, text, sizeof text);
        char *args = strstr(text, "\"args\": [ \"sh\" ]"), *term = strstr(text, "\"terminal\": true"),
             *rootp = strstr(text, "\"path\": \"rootfs\"");
        ck_assert(args && term && rootp && term < args && args < rootp);
        snprintf(edited, sizeof edited, "%.*s\"terminal\": false%.*s\"args\": [ \"sh\", \"-c\", \"echo oci-$0\", \"ran\" ]%.*s\"path\": \"%s\"%s",
                 (int)(term - text), text, (int)(args - term - 16), term + 16,
                 (int)(rootp - args - 16), args + 16, harness_rootfs(), rootp + 16);
        FILE *f = fopen(path, "w");
        fputs(edited, f);
        fclose(f);
        struct res r = rt("run", "--bundle", dir, "oci1", NULL);
        ck_assert_msg(r.status == 0, "%s\n%s", r.err, edited);
        ck_assert_ptr_nonnull(strstr(r.out, "oci-ran"));
        ck_assert(state_dir_gone("oci1"));
        ck_assert_int_eq(cgroups_of("oci1"), 0);
}
END_TEST

/* A cgroupsPath naming a cgroup that exists (here congo's own parent, with
 * a container of congo-launch's in it) is refused: delete would kill all
 * in it. */
START_TEST(existing_cgroup_refused)
{
        const char *b = bundle_with("shared", "cgroup_parent: congo\ncommand: [\"true\"]\n");
        ck_assert_int_eq(rt("run", "-d", "--bundle", bundle, "other", NULL).status, 0);
        pid_t pid = pid_of("other");
        const char *cmds[] = { "create", "run" };
        for (int i = 0; i < 2; i++) {
                struct res r = rt(cmds[i], "--bundle", b, "shared", NULL);
                ck_assert_int_eq(r.status, 1);
                ck_assert_msg(strstr(r.err, "cgroup congo already exists") != NULL, "%s", r.err);
                ck_assert(state_dir_gone("shared"));
        }
        ck_assert_str_eq(status_of("other"), "running");
        ck_assert_int_eq(kill(pid, 0), 0);
        ck_assert_int_eq(rt("delete", "--force", "other", NULL).status, 0);
}
END_TEST

/* --systemd-cgroup without systemd: slice:prefix:name as systemd's path. */
START_TEST(systemd_path)
{
        static const char *const good[][2] = {
                { "machine.slice:libpod:abc", "machine.slice/libpod-abc.scope" },
                { ":congo:x", "system.slice/congo-x.scope" },
                { "a-b-c.slice:p:n", "a.slice/a-b.slice/a-b-c.slice/p-n.scope" },
                { "user.slice::sub.slice", "user.slice/sub.slice" },
        };
        static const char *const bad[] = { "x:y", "foo:p:n", "a.slice:p:", "../x.slice:p:n",
                                           "a/b.slice:p:n", "a.slice:p:n:m", ".slice:p:n", "a.slice:..:.." };
        char out[256];
        for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
                ck_assert_int_eq(congo_oci_systemd_path(good[i][0], out, sizeof out), 0);
                ck_assert_str_eq(out, good[i][1]);
        }
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
                ck_assert_msg(congo_oci_systemd_path(bad[i], out, sizeof out) < 0, "%s: %s", bad[i], out);
}
END_TEST

/* The stdio a client hands in is the host's: never changed. */
START_TEST(stdio_untouched)
{
        struct stat before, after;
        ck_assert_int_eq(stat("/dev/null", &before), 0);
        ck_assert_int_eq(rt("run", "-d", "--bundle", bundle, "io", NULL).status, 0);
        ck_assert_int_eq(rt("delete", "--force", "io", NULL).status, 0);
        reap();
        ck_assert_int_eq(stat("/dev/null", &after), 0);
        ck_assert_int_eq(after.st_uid, 0);
        ck_assert_int_eq(after.st_mode, before.st_mode);
}
END_TEST

/* ---- pause/resume, update, events, runtime hooks, --preserve-fds ---- */

static bool pure_v2(void)
{
        return access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
}

/* A number from the container's cgroup, read from outside: v1's
 * CTRL/congo/oci/ID/V1FILE or v2's congo/oci/ID/V2FILE, the whole file or
 * its line "KEY N"; -1 when absent, -2 for "max". */
static long long cg_value(const char *id, const char *ctrl, const char *v1file, const char *v2file,
                          const char *key)
{
        char path[700];
        if (pure_v2())
                snprintf(path, sizeof path, "/sys/fs/cgroup/congo/oci/%s/%s", id, v2file);
        else
                snprintf(path, sizeof path, "/sys/fs/cgroup/%s/congo/oci/%s/%s", ctrl, id, v1file);
        char *text = read_file(path);
        long long v = -1;
        size_t kl = key ? strlen(key) : 0;
        for (char *line = key ? text : NULL; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
                if (strncmp(line, key, kl) == 0 && line[kl] == ' ')
                        v = atoll(line + kl + 1);
        if (text && !key) {
                v = strncmp(text, "max", 3) == 0 ? -2 : atoll(text);
        }
        free(text);
        return v;
}

/* A file in the container's /tmp, through its PID 1's root. */
static char *in_container(const char *id, const char *file)
{
        char path[200];
        snprintf(path, sizeof path, "/proc/%d/root/tmp/%s", (int)pid_of(id), file);
        return read_file(path);
}

static void touch_in(const char *id, const char *file)
{
        char path[200];
        snprintf(path, sizeof path, "/proc/%d/root/tmp/%s", (int)pid_of(id), file);
        int fd = open(path, O_WRONLY | O_CREAT, 0644);
        ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
        close(fd);
}

static long counter(const char *id)
{
        char *t = in_container(id, "count");
        long n = t ? atol(t) : -1;
        free(t);
        return n;
}

static const char *counting(void)
{
        /* Renamed into place: a reader never sees the file truncated. */
        return bundle_with("counter", "command: [\"/bin/sh\", \"-c\", \"i=0; while :; do i=$((i+1)); "
                           "echo $i > /tmp/count.new && mv /tmp/count.new /tmp/count; sleep 0.02; done\"]\n");
}

/* Waiting for a file in the container first: the test acts on the
 * cgroup before the command does what it does. */
static const char *after_go(const char *name, const char *what)
{
        char body[1024];
        snprintf(body, sizeof body, "command: [\"/bin/sh\", \"-c\", \"while [ ! -e /tmp/go ]; do sleep 0.02; done; %s\"]\n", what);
        return bundle_with(name, body);
}

START_TEST(pause_resume)
{
        const char *b = counting();
        ck_assert_int_eq(rt("run", "-d", "--bundle", b, "pz", NULL).status, 0);
        for (int i = 0; i < 200 && counter("pz") < 3; i++)
                usleep(10000);
        ck_assert_int_ge(counter("pz"), 3);
        struct res r = rt("pause", "pz", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_str_eq(status_of("pz"), "paused");
        /* Frozen, as seen from outside. */
        if (pure_v2())
                ck_assert_int_eq(cg_value("pz", "", "", "cgroup.freeze", NULL), 1);
        else {
                char *f = read_file("/sys/fs/cgroup/freezer/congo/oci/pz/freezer.state");
                ck_assert_ptr_nonnull(f);
                ck_assert_msg(strncmp(f, "FROZEN", 6) == 0, "%s", f);
                free(f);
        }
        long frozen = counter("pz");
        usleep(300000);
        ck_assert_int_eq(counter("pz"), frozen);
        r = rt("pause", "pz", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "paused"));
        r = rt("start", "pz", NULL);
        ck_assert_int_eq(r.status, 1);
        r = rt("delete", "pz", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "not stopped: paused"));
        r = rt("resume", "pz", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_str_eq(status_of("pz"), "running");
        for (int i = 0; i < 200 && counter("pz") <= frozen + 2; i++)
                usleep(10000);
        ck_assert_int_gt(counter("pz"), frozen + 2);
        r = rt("resume", "pz", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "not paused"));
        ck_assert_int_eq(rt("pause", "nosuch", NULL).status, 1);
        /* A paused container is killed, and goes. */
        pid_t pid = pid_of("pz");
        ck_assert_int_eq(rt("pause", "pz", NULL).status, 0);
        r = rt("kill", "pz", "KILL", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert(wait_status("pz", "stopped"));
        ck_assert_int_eq(rt("delete", "pz", NULL).status, 0);
        ck_assert(harness_gone(pid));
        ck_assert_int_eq(cgroups_of("pz"), 0);
        ck_assert(state_dir_gone("pz"));
}
END_TEST

START_TEST(delete_force_paused)
{
        const char *b = counting();
        ck_assert_int_eq(rt("create", "--bundle", b, "pc", NULL).status, 0);
        /* A created container pauses too, and cannot start until resumed. */
        ck_assert_int_eq(rt("pause", "pc", NULL).status, 0);
        ck_assert_str_eq(status_of("pc"), "paused");
        ck_assert_int_eq(rt("resume", "pc", NULL).status, 0);
        ck_assert_str_eq(status_of("pc"), "created");
        ck_assert_int_eq(rt("start", "pc", NULL).status, 0);
        ck_assert_int_eq(rt("pause", "pc", NULL).status, 0);
        pid_t pid = pid_of("pc");
        struct res r = rt("delete", "--force", "pc", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        reap();
        ck_assert(harness_gone(pid));
        ck_assert(state_dir_gone("pc"));
        ck_assert_int_eq(cgroups_of("pc"), 0);
}
END_TEST

START_TEST(update_enforced)
{
        const char *b = after_go("upd", "(for i in 1 2 3 4 5 6 7 8; do sleep 30 & done); exec sleep 30");
        ck_assert_int_eq(rt("run", "-d", "--bundle", b, "up", NULL).status, 0);
        struct res r = rt("update", "--memory", "64M", "--pids-limit", "-1", "up", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(cg_value("up", "memory", "memory.limit_in_bytes", "memory.max", NULL), 64 << 20);
        ck_assert_int_eq(cg_value("up", "pids", "pids.max", "pids.max", NULL), -2);
        /* Recorded: a second update starts from the first's values. */
        r = rt("update", "--pids-limit", "4", "up", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(cg_value("up", "pids", "pids.max", "pids.max", NULL), 4);
        ck_assert_int_eq(cg_value("up", "memory", "memory.limit_in_bytes", "memory.max", NULL), 64 << 20);
        /* Bad values: one line, nothing written. */
        r = rt("update", "--memory", "lots", "up", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(count_lines(r.err, ""), 1);
        r = rt("update", "--bogus", "1", "up", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(cg_value("up", "memory", "memory.limit_in_bytes", "memory.max", NULL), 64 << 20);
        touch_in("up", "go");
        /* The forks past 4 fail (busybox's sh in the subshell gives up at
         * the first): the kernel counted them. */
        for (int i = 0; i < 300 && cg_value("up", "pids", "pids.events", "pids.events", "max") < 1; i++)
                usleep(10000);
        ck_assert_int_ge(cg_value("up", "pids", "pids.events", "pids.events", "max"), 1);
        ck_assert_int_le(cg_value("up", "pids", "pids.current", "pids.current", NULL), 4);
        /* -1 lifts a limit. */
        r = rt("update", "--memory", "-1", "up", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        long long m = cg_value("up", "memory", "memory.limit_in_bytes", "memory.max", NULL);
        ck_assert_msg(m == -2 || m > (1LL << 62), "%lld", m);
        ck_assert_int_eq(rt("delete", "--force", "up", NULL).status, 0);
        r = rt("update", "--memory", "64M", "up", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(cgroups_of("up"), 0);
}
END_TEST

START_TEST(update_resources_stdin)
{
        char in[600];
        snprintf(in, sizeof in, "%s/resources.json", harness_tmp());
        ck_assert_int_eq(rt("run", "-d", "--bundle", bundle, "us", NULL).status, 0);
        FILE *f = fopen(in, "w");
        fputs("{\"memory\": {\"limit\": 100663296}, \"pids\": {\"limit\": 33}, \"cpu\": {\"shares\": 512}}\n", f);
        fclose(f);
        rt_stdin = in;
        struct res r = rt("update", "--resources", "-", "us", NULL);
        rt_stdin = NULL;
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(cg_value("us", "memory", "memory.limit_in_bytes", "memory.max", NULL), 96 << 20);
        ck_assert_int_eq(cg_value("us", "pids", "pids.max", "pids.max", NULL), 33);
        if (!pure_v2())
                ck_assert_int_eq(cg_value("us", "cpu", "cpu.shares", "", NULL), 512);
        /* The same file by name, a flag over it. */
        r = rt("update", "--resources", in, "--pids-limit", "44", "us", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(cg_value("us", "pids", "pids.max", "pids.max", NULL), 44);
        /* The OCI front end's checks and messages. */
        f = fopen(in, "w");
        fputs("{\"memory\": {\"limit\": \"lots\"}}\n", f);
        fclose(f);
        r = rt("update", "--resources", in, "us", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "linux.resources.memory.limit") != NULL, "%s", r.err);
        ck_assert_int_eq(count_lines(r.err, ""), 1);
        /* A unified file name that climbs out of the container's cgroup. */
        f = fopen(in, "w");
        fputs("{\"unified\": {\"../../cgroup.procs\": \"1\"}}\n", f);
        fclose(f);
        r = rt("update", "--resources", in, "us", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "not a cgroup file name") != NULL, "%s", r.err);
        /* Device rules are create's: an update cannot widen them. */
        char *devs = pure_v2() ? NULL : read_file("/sys/fs/cgroup/devices/congo/oci/us/devices.list");
        f = fopen(in, "w");
        fputs("{\"devices\": [{\"allow\": true, \"access\": \"rwm\"}]}\n", f);
        fclose(f);
        ck_assert_int_eq(rt("update", "--resources", in, "us", NULL).status, 0);
        if (devs) {
                char *now = read_file("/sys/fs/cgroup/devices/congo/oci/us/devices.list");
                ck_assert_str_eq(now, devs);
                ck_assert_ptr_null(strstr(now, "a *:* rwm"));
                free(now);
                free(devs);
        }
        f = fopen(in, "w");
        fputs("{\"memory\": ", f);
        fclose(f);
        r = rt("update", "--resources", in, "us", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(count_lines(r.err, ""), 1);
        ck_assert_int_eq(cg_value("us", "memory", "memory.limit_in_bytes", "memory.max", NULL), 96 << 20);
}
END_TEST

/* jq FILTER on text: its exit status (jq -e: 0 when the filter is true). */
static int jq(const char *text, const char *filter)
{
        char path[600], cmd[1400];
        snprintf(path, sizeof path, "%s/jq.in", harness_tmp());
        FILE *f = fopen(path, "w");
        fputs(text, f);
        fclose(f);
        snprintf(cmd, sizeof cmd, "jq -e '%s' '%s' >/dev/null", filter, path);
        int ws = system(cmd);
        return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
}

/* A number at a dotted path of a JSON text (jansson: the VM has no jq). */
static long long json_at(const char *text, const char *dotted)
{
        json_error_t e;
        json_t *doc = json_loads(text, 0, &e), *v = doc;
        char copy[128], *save = NULL;
        snprintf(copy, sizeof copy, "%s", dotted);
        for (char *k = strtok_r(copy, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
                v = json_object_get(v, k);
        long long n = json_is_integer(v) ? json_integer_value(v) : -1;
        json_decref(doc);
        return n;
}

START_TEST(events_stats)
{
        ck_assert_int_eq(rt("run", "-d", "--bundle", bundle, "ev", NULL).status, 0);
        ck_assert(wait_status("ev", "running"));
        struct res r = rt("events", "--stats", "ev", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(count_lines(r.out, ""), 1);
        ck_assert_msg(strncmp(r.out, "{\"type\":\"stats\",\"id\":\"ev\",", 26) == 0, "%s", r.out);
        ck_assert_msg(json_at(r.out, "data.pids.current") >= 1, "%s", r.out);
        ck_assert_msg(json_at(r.out, "data.memory.usage.usage") > 0, "%s", r.out);
        ck_assert_msg(json_at(r.out, "data.cpu.usage.total") > 0, "%s", r.out);
        /* And as containerd's and podman's readers take it, where jq is. */
        if (system("command -v jq >/dev/null") == 0) {
                ck_assert_msg(jq(r.out, ".type == \"stats\" and .id == \"ev\"") == 0, "%s", r.out);
                ck_assert_msg(jq(r.out, ".data.pids.current >= 1") == 0, "%s", r.out);
                ck_assert_msg(jq(r.out, ".data.memory.usage.usage > 0") == 0, "%s", r.out);
        }
        r = rt("events", "--interval", "soon", "ev", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(rt("kill", "ev", "KILL", NULL).status, 0);
        ck_assert(wait_status("ev", "stopped"));
        r = rt("events", "--stats", "ev", NULL);
        ck_assert_int_eq(r.status, 1);
}
END_TEST

/* congo events --interval INTERVAL ID in a child, its stdout to out. */
static pid_t events_to(const char *out, const char *interval, const char *id)
{
        pid_t ev = fork();
        if (ev == 0) {
                int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                dup2(o, 1);
                execl(getenv("CONGO_RUNTIME"), "congo", "--root", root, "events", "--interval", interval, id,
                      (char *)NULL);
                _exit(127);
        }
        return ev;
}

/* events without --stats: stats every interval, an oom event when the
 * memory limit (set by update) kills, and it ends with the container.
 * The hog asks to be the OOM killer's victim, so the container's shell
 * lives on until the test kills it. */
START_TEST(events_follow_oom)
{
        char out[600];
        snprintf(out, sizeof out, "%s/events.out", harness_tmp());
        const char *b = after_go("oom", "head -c 200000000 /dev/zero | (echo 1000 > /proc/self/oom_score_adj; exec tail) > /dev/null; sleep 30");
        ck_assert_int_eq(rt("run", "-d", "--bundle", b, "eo", NULL).status, 0);
        ck_assert_int_eq(rt("update", "--memory", "32M", "eo", NULL).status, 0);
        pid_t ev = events_to(out, "100ms", "eo");
        usleep(300000);
        touch_in("eo", "go");
        const char *v1 = "memory.oom_control", *v2 = "memory.events";
        for (int i = 0; i < 500 && cg_value("eo", "memory", v1, v2, "oom_kill") < 1; i++)
                usleep(10000);
        ck_assert_int_ge(cg_value("eo", "memory", v1, v2, "oom_kill"), 1);
        usleep(300000);
        /* The kill only ends the container; a second OOM kill may have
         * taken its shell first (after the hog's, while the hog's memory
         * was still being freed), and then it has stopped by itself. */
        struct res k = rt("kill", "eo", "KILL", NULL);
        if (k.status != 0)
                ck_assert_msg(strcmp(status_of("eo"), "stopped") == 0,
                              "kill after the OOM: %s (state: %s)", k.err, status_of("eo"));
        int ws = 0;
        for (int i = 0; i < 300 && waitpid(ev, &ws, WNOHANG) == 0; i++)
                usleep(10000);
        ck_assert_msg(harness_gone(ev) || kill(ev, SIGKILL) != 0, "events did not end with the container");
        ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
        char *text = read_file(out);
        ck_assert_ptr_nonnull(text);
        /* The end of the stream, not all of it: Check's messages are short. */
        const char *tail = strlen(text) > 400 ? text + strlen(text) - 400 : text;
        ck_assert_msg(count_lines(text, "\"type\":\"stats\"") >= 3, "...%s", tail);
        ck_assert_msg(count_lines(text, "{\"type\":\"oom\",\"id\":\"eo\"}") >= 1, "...%s", tail);
        free(text);
}
END_TEST

/* An OOM kill that ends the container is still reported: events sees the
 * process gone and looks at the OOM count once more before it ends. */
START_TEST(events_oom_ends_container)
{
        char out[600];
        snprintf(out, sizeof out, "%s/events2.out", harness_tmp());
        const char *b = after_go("oom2", "exec tail /dev/zero");
        ck_assert_int_eq(rt("run", "-d", "--bundle", b, "eo2", NULL).status, 0);
        ck_assert_int_eq(rt("update", "--memory", "32M", "eo2", NULL).status, 0);
        pid_t ev = events_to(out, "1s", "eo2");
        usleep(300000);
        touch_in("eo2", "go");
        int ws = 0;
        for (int i = 0; i < 1000 && waitpid(ev, &ws, WNOHANG) == 0; i++)
                usleep(10000);
        ck_assert_msg(harness_gone(ev) || kill(ev, SIGKILL) != 0, "events did not end with the container");
        ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
        ck_assert_str_eq(status_of("eo2"), "stopped");
        char *text = read_file(out);
        ck_assert_ptr_nonnull(text);
        const char *tail = strlen(text) > 400 ? text + strlen(text) - 400 : text;
        ck_assert_msg(count_lines(text, "{\"type\":\"oom\",\"id\":\"eo2\"}") == 1, "...%s", tail);
        free(text);
}
END_TEST

/* Every kind of hook at its point of the runtime's lifecycle, as its
 * appends to one file show: create runs three, start the fourth (in the
 * container) and poststart, delete poststop. */
START_TEST(hooks_at_their_points)
{
        char dir[600], log[700], body[8192];
        snprintf(dir, sizeof dir, "%s/hookrec", harness_tmp());
        mkdir(dir, 0755);
        snprintf(log, sizeof log, "%s/log", dir);
        unlink(log);
        snprintf(body, sizeof body,
                 "mounts: [{type: bind, source: %s, target: /rec}]\n"
                 "command: [\"/bin/sleep\", \"30\"]\nhooks:\n"
                 "  prestart: [{path: /bin/sh, args: [sh, -c, \"echo prestart >> %s\"]}]\n"
                 "  create_runtime: [{path: /bin/sh, args: [sh, -c, \"echo create_runtime >> %s\"]}]\n"
                 "  create_container: [{path: /bin/sh, args: [sh, -c, \"echo create_container >> %s\"]}]\n"
                 "  start_container: [{path: /bin/sh, args: [sh, -c, \"echo start_container >> /rec/log\"]}]\n"
                 "  poststart: [{path: /bin/sh, args: [sh, -c, \"read s; case $s in *'\\\"hk\\\"'*running*) echo poststart;; *) echo poststart-bad-state;; esac >> %s\"]}]\n"
                 "  poststop: [{path: /bin/sh, args: [sh, -c, \"read s; case $s in *'\\\"hk\\\"'*stopped*) echo poststop;; *) echo poststop-bad-state;; esac >> %s\"]}]\n",
                 dir, log, log, log, log, log);
        const char *b = bundle_with("hooked", body);
        struct res r = rt("create", "--bundle", b, "hk", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        char *t = read_file(log);
        ck_assert_ptr_nonnull(t);
        ck_assert_str_eq(t, "prestart\ncreate_runtime\ncreate_container\n");
        free(t);
        r = rt("start", "hk", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        /* When start returns: start_container (in the container, before
         * its exec) and then poststart (once the command is executed). */
        t = read_file(log);
        ck_assert_str_eq(t, "prestart\ncreate_runtime\ncreate_container\nstart_container\npoststart\n");
        free(t);
        ck_assert_int_eq(rt("kill", "hk", "KILL", NULL).status, 0);
        ck_assert(wait_status("hk", "stopped"));
        t = read_file(log);
        ck_assert_ptr_null(strstr(t, "poststop"));
        free(t);
        ck_assert_int_eq(rt("delete", "hk", NULL).status, 0);
        t = read_file(log);
        ck_assert_int_eq(count_lines(t, ""), 6);
        ck_assert_ptr_nonnull(strstr(t, "start_container\n"));
        ck_assert_ptr_null(strstr(t, "bad-state"));
        /* poststop last, after the container is gone. */
        size_t len = strlen(t);
        ck_assert(len > 9 && strcmp(t + len - 9, "poststop\n") == 0);
        free(t);
        ck_assert_int_eq(cgroups_of("hk"), 0);
}
END_TEST

/* congo ARGS with fd 3 the read end of a pipe holding "via-fd3"; stdout
 * to out.  Its exit status. */
static int with_fd3(const char *out, const char *const *args)
{
        int p[2];
        ck_assert_int_eq(pipe(p), 0);
        ck_assert_int_eq(write(p[1], "via-fd3\n", 8), 8);
        close(p[1]);
        pid_t pid = fork();
        if (pid == 0) {
                const char *argv[16] = { getenv("CONGO_RUNTIME"), "--root", root };
                int n = 3;
                for (; *args && n < 15; args++)
                        argv[n++] = *args;
                argv[n] = NULL;
                int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), i = open("/dev/null", O_RDONLY);
                dup2(p[0], 3);
                dup2(o, 1);
                dup2(i, 0);
                execv(argv[0], (char **)argv);
                _exit(127);
        }
        close(p[0]);
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
                ;
        return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

START_TEST(preserve_fds)
{
        char out[600];
        snprintf(out, sizeof out, "%s/pfd.out", harness_tmp());
        const char *b = bundle_with("pfd", "command: [\"/bin/sh\", \"-c\", \"read l <&3 && echo got-$l; [ -e /proc/self/fd/4 ] && echo fd4-leaked; true\"]\n");
        ck_assert_int_eq(with_fd3(out, (const char *const[]){ "run", "--preserve-fds", "1", "--bundle", b, "pf1", NULL }), 0);
        char *t = read_file(out);
        ck_assert_msg(t && strstr(t, "got-via-fd3") && !strstr(t, "leaked"), "%s", t ? t : "");
        free(t);
        /* create, then start from another process: the fd stayed with the
         * parked container. */
        ck_assert_int_eq(with_fd3(out, (const char *const[]){ "create", "--preserve-fds=1", "--bundle", b, "pf2", NULL }), 0);
        ck_assert_int_eq(rt("start", "pf2", NULL).status, 0);
        ck_assert(wait_status("pf2", "stopped"));
        t = read_file(out);
        ck_assert_msg(t && strstr(t, "got-via-fd3"), "%s", t ? t : "");
        free(t);
        ck_assert_int_eq(rt("delete", "pf2", NULL).status, 0);
        /* Without the flag the caller's fd 3 does not get in. */
        ck_assert_int_eq(with_fd3(out, (const char *const[]){ "run", "--bundle", b, "pf3", NULL }), 0);
        t = read_file(out);
        ck_assert_msg(t && !strstr(t, "got-"), "%s", t ? t : "");
        free(t);
        /* The test's own fds are open up to a few: 1000 are not. */
        struct res r = rt("run", "--preserve-fds", "1000", "--bundle", b, "pf4", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "is not open"));
        r = rt("run", "--preserve-fds", "-1", "--bundle", b, "pf4", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert(state_dir_gone("pf4"));
}
END_TEST

/* ---- --no-pivot (src/stages/no_pivot.c) ---- */

/* Inside: the mounts seen are the container's, / has no way up, and the
 * exit status comes back. */
START_TEST(no_pivot_run)
{
        const char *b = bundle_with("nopivot",
                                    "command: [\"/bin/sh\", \"-c\", \"cat /proc/self/mountinfo; echo ==; ls /..; echo ==; ls /; "
                                    "echo ==; cd /proc/$$/root && ls; exit 3\"]\n");
        struct res r = rt("run", "--no-pivot", "--bundle", b, "np1", NULL);
        ck_assert_msg(r.status == 3, "%d %s", r.status, r.err);
        char *sep1 = strstr(r.out, "==\n"), *sep2 = sep1 ? strstr(sep1 + 3, "==\n") : NULL,
             *sep3 = sep2 ? strstr(sep2 + 3, "==\n") : NULL;
        ck_assert_msg(sep3, "%s", r.out);
        /* ls /.. and ls / and ls /proc/PID/root: the same listing, the
         * container's (busybox's bin, none of the host's work or usr/lib). */
        ck_assert_int_eq(sep2 - sep1, sep3 - sep2);
        ck_assert(strncmp(sep1, sep2, (size_t)(sep2 - sep1)) == 0);
        ck_assert_int_eq((long)strlen(sep3), sep3 - sep2);
        ck_assert(strncmp(sep2, sep3, (size_t)(sep3 - sep2)) == 0);
        ck_assert_ptr_nonnull(strstr(sep1, "\nbin\n"));
        ck_assert_ptr_null(strstr(sep1, "\nwork\n"));
        /* mountinfo: the rootfs is "/", and no mount point is a host path. */
        *sep1 = '\0';
        int roots = 0, lines = 0;
        for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
                char pt[4096];
                ck_assert_int_eq(sscanf(line, "%*d %*d %*s %*s %4095s", pt), 1);
                lines++;
                roots += strcmp(pt, "/") == 0;
                ck_assert_msg(strncmp(pt, "/work", 5) != 0 && strcmp(pt, "/etc") != 0 &&
                              strncmp(pt, harness_tmp(), strlen(harness_tmp())) != 0, "%s", line);
        }
        ck_assert_int_eq(roots, 1);
        ck_assert_int_gt(lines, 5);
        ck_assert(state_dir_gone("np1"));
        ck_assert_int_eq(cgroups_of("np1"), 0);
}
END_TEST

/* The host's mount points, from our own mountinfo ("/" left out). */
static int host_mount_points(char pts[][256], int max)
{
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096], pt[4096];
        int n = 0;

        while (f && n < max && fgets(line, sizeof line, f))
                if (sscanf(line, "%*d %*d %*s %*s %4095s", pt) == 1 && strcmp(pt, "/") != 0 && !strchr(pt, '\\') &&
                    strlen(pt) < 256)
                        snprintf(pts[n++], 256, "%s", pt);
        if (f)
                fclose(f);
        return n;
}

/* What is attached beneath the container's rootfs in its mount namespace:
 * from the host (all capabilities), in a copy of that namespace, the
 * rootfs detached and the root reset to the namespace's root mount.  A
 * chroot's ".." cannot get there (the rootfs sits on the root of that
 * mount), but a host mount left attached would be one mount-namespace
 * trick away.  Exit 0: got below the rootfs and no host mount is there;
 * 2: could not get there (the test would prove nothing); 1: one found. */
static int look_below_rootfs(pid_t pid, char pts[][256], int n)
{
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC), hostproc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
        pid_t child = fork();
        if (child == 0) {
                struct stat croot, now;
                /* After setns, /proc is the container's: our "self" is in the host's. */
                if (fd < 0 || hostproc < 0 || setns(fd, CLONE_NEWNS) < 0 || stat("/", &croot) < 0 || unshare(CLONE_NEWNS) < 0 ||
                    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                        _exit(2);
                int self = openat(hostproc, "self/ns/mnt", O_RDONLY | O_CLOEXEC);
                if (self < 0 || umount2("/", MNT_DETACH) < 0 || setns(self, CLONE_NEWNS) < 0 ||
                    chdir("/") < 0 || stat("/", &now) < 0 || (now.st_dev == croot.st_dev && now.st_ino == croot.st_ino))
                        _exit(2);
                for (int i = 0; i < n; i++) {
                        struct statx stx;
                        if (statx(AT_FDCWD, pts[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) == 0 &&
                            (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
                            (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
                                fprintf(stderr, "host mount still attached: %s\n", pts[i]);
                                _exit(1);
                        }
                }
                _exit(0);
        }
        int ws = 0;
        if (fd >= 0)
                close(fd);
        if (hostproc >= 0)
                close(hostproc);
        while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
                ;
        return WIFEXITED(ws) ? WEXITSTATUS(ws) : 3;
}

START_TEST(no_pivot_detaches_host_mounts)
{
        static char pts[512][256];
        int n = host_mount_points(pts, 512);
        ck_assert_int_gt(n, 0);
        const char *b = bundle_with("nopivot2", "command: [\"sleep\", \"30\"]\n");
        struct res r = rt("create", "--no-pivot", "--bundle", b, "np2", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        pid_t pid = pid_of("np2");
        ck_assert_int_gt(pid, 0);
        int esc = look_below_rootfs(pid, pts, n);
        ck_assert_int_eq(rt("delete", "--force", "np2", NULL).status, 0);
        ck_assert_int_eq(esc, 0);
        ck_assert(state_dir_gone("np2"));
        ck_assert_int_eq(cgroups_of("np2"), 0);
        ck_assert(harness_gone(pid));
}
END_TEST

/* The use case: a rootfs on a ramfs.  In a mount namespace of the test's
 * own, so the ramfs goes with it whatever happens.  (pivot_root fails on
 * an initramfs *root*, the namespace's parentless root mount, which a
 * test cannot become: a ramfs mounted somewhere pivots fine, so both
 * ways are asserted to work here.) */
START_TEST(no_pivot_ramfs)
{
        char dir[600], cfg[700], cmd[1400];
        ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
        ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
        snprintf(dir, sizeof dir, "%s/npramfs", harness_tmp());
        mkdir(dir, 0755);
        snprintf(cfg, sizeof cfg, "%s/rootfs", dir);
        mkdir(cfg, 0755);
        ck_assert_int_eq(mount("ramfs", cfg, "ramfs", 0, "mode=755"), 0);
        snprintf(cmd, sizeof cmd, "cp -a '%s'/. '%s'/", harness_rootfs(), cfg);
        ck_assert_int_eq(system(cmd), 0);
        snprintf(cfg, sizeof cfg, "%s/config.yaml", dir);
        FILE *f = fopen(cfg, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "version: 1\nname: npramfs\nrootfs: %s/rootfs\nenv:\n  PATH: /bin:/sbin\n"
                "command: [\"/bin/sh\", \"-c\", \"grep ' / / ' /proc/self/mountinfo; echo on-ramfs\"]\n", dir);
        fclose(f);
        struct res r = rt("run", "--no-pivot", "--bundle", dir, "np3", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_msg(strstr(r.out, " - ramfs ") && strstr(r.out, "on-ramfs\n"), "%s", r.out);
        r = rt("run", "--bundle", dir, "np4", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_ptr_nonnull(strstr(r.out, "on-ramfs\n"));
        ck_assert(state_dir_gone("np3") && state_dir_gone("np4"));
        ck_assert_int_eq(cgroups_of("np3") + cgroups_of("np4"), 0);
}
END_TEST

static void add_no_pivot_tests(TCase *tc)
{
        tcase_add_test(tc, no_pivot_run);
        tcase_add_test(tc, no_pivot_detaches_host_mounts);
        tcase_add_test(tc, no_pivot_ramfs);
}

static void add_lifecycle_tests(TCase *tc)
{
        tcase_add_test(tc, pause_resume);
        tcase_add_test(tc, delete_force_paused);
        tcase_add_test(tc, update_enforced);
        tcase_add_test(tc, update_resources_stdin);
        tcase_add_test(tc, events_stats);
        tcase_add_test(tc, events_follow_oom);
        tcase_add_test(tc, events_oom_ends_container);
        tcase_add_test(tc, hooks_at_their_points);
        tcase_add_test(tc, preserve_fds);
}

/* ---- exec and ps (exec.c, exec_child.c, exec_wait.c, ps.c) ---- */

/* A running container whose command wrote its own /proc/self/cgroup and
 * a file to its /tmp first. */
static pid_t exec_box(const char *id, const char *extra)
{
        char body[1024];
        snprintf(body, sizeof body,
                 "command: [\"/bin/sh\", \"-c\", \"cat /proc/self/cgroup > /tmp/cg; echo made > /tmp/made; exec sleep 30\"]\n%s",
                 extra);
        const char *b = bundle_with(id, body);
        struct res r = rt("create", "--bundle", b, id, NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("start", id, NULL).status, 0);
        for (int i = 0; i < 300; i++) {
                r = rt("exec", id, "cat", "/tmp/made", NULL);
                if (r.status == 0)
                        break;
                usleep(10000);
        }
        ck_assert_str_eq(r.out, "made\n");
        return pid_of(id);
}

static void ns_link(pid_t pid, const char *ns, char *buf, size_t len)
{
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns);
        ssize_t n = readlink(path, buf, len - 1);
        buf[n > 0 ? n : 0] = '\0';
}

static pid_t exec_detached(const char *id, const char *pf)
{
        char text[64];
        struct res r = rt("exec", "-d", "--pid-file", pf, id, "sleep", "30", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        slurp(pf, text, sizeof text);
        pid_t p = atoi(text);
        ck_assert_int_gt(p, 0);
        return p;
}

START_TEST(exec_basics)
{
        exec_box("ex1", "");
        struct res r = rt("exec", "ex1", "sh", "-c", "echo out; exit 7", NULL);
        ck_assert_int_eq(r.status, 7);
        ck_assert_str_eq(r.out, "out\n");
        /* Killed by a signal: 128+N, as the container's own status. */
        r = rt("exec", "ex1", "sh", "-c", "kill -9 $$", NULL);
        ck_assert_int_eq(r.status, 137);
        /* The same mount namespace: what the container wrote to its /tmp. */
        r = rt("exec", "ex1", "cat", "/tmp/made", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, "made\n");
        /* The same pid namespace: PID 1 is the container's congo-init. */
        r = rt("exec", "ex1", "ps", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_msg(strstr(r.out, "    1 root     congo-init") != NULL, "%s", r.out);
        ck_assert_msg(strstr(r.out, "sleep 30") != NULL, "%s", r.out);
        /* The same cgroup, as the container sees it. */
        r = rt("exec", "ex1", "cat", "/proc/self/cgroup", NULL);
        struct res cg = rt("exec", "ex1", "cat", "/tmp/cg", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, cg.out);
        /* A session of its own: the caller's terminal is not its own. */
        r = rt("exec", "ex1", "sh", "-c", "echo $$; cut -d' ' -f6 /proc/$$/stat", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_int_eq(count_lines(r.out, ""), 2);
        ck_assert_int_eq(atoi(r.out), atoi(strchr(r.out, '\n') + 1));
        r = rt("exec", "ex1", "hostname", NULL);
        ck_assert_str_eq(r.out, "ex1\n");
        /* The environment: the container's, with --env over it. */
        r = rt("exec", "--env", "FOO=bar", "-e", "PATH=/sbin:/bin", "ex1", "sh", "-c", "echo $FOO $PATH", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, "bar /sbin:/bin\n");
        r = rt("exec", "ex1", "sh", "-c", "echo $PATH", NULL);
        ck_assert_str_eq(r.out, "/bin:/sbin\n");
        r = rt("exec", "--cwd", "/etc", "ex1", "pwd", NULL);
        ck_assert_str_eq(r.out, "/etc\n");
        r = rt("exec", "--user", "1000:1001", "--additional-gids", "1002", "ex1", "id", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_msg(strstr(r.out, "uid=1000 gid=1001 groups=1002") != NULL, "%s", r.out);
        r = rt("exec", "--user", "root", "ex1", "id", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "--user root"));
        /* Not found and not executable: a shell's statuses, one line. */
        r = rt("exec", "ex1", "nosuchcommand", NULL);
        ck_assert_int_eq(r.status, 127);
        ck_assert_int_eq(count_lines(r.err, ""), 1);
        r = rt("exec", "ex1", "/etc/passwd", NULL);
        ck_assert_int_eq(r.status, 126);
        r = rt("exec", "ex1", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "command is missing"));
        r = rt("exec", "--apparmor", "unconfined", "ex1", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(rt("exec", "--apparmor", "", "ex1", "true", NULL).status, 0);
}
END_TEST

/* Seen from the host: every namespace and the cgroup are the container's. */
START_TEST(exec_joins_everything)
{
        pid_t c = exec_box("ex2", "");
        char pf[600];
        snprintf(pf, sizeof pf, "%s/exec.pid", harness_tmp());
        pid_t p = exec_detached("ex2", pf);
        const char *ns[] = { "mnt", "pid", "net", "ipc", "uts", "cgroup", "user", "time" };
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
                char a[128], b[128];
                ns_link(c, ns[i], a, sizeof a);
                ns_link(p, ns[i], b, sizeof b);
                ck_assert_msg(strcmp(a, b) == 0, "%s: %s vs %s", ns[i], a, b);
        }
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/cgroup", (int)c);
        char *cga = read_file(path);
        snprintf(path, sizeof path, "/proc/%d/cgroup", (int)p);
        char *cgb = read_file(path);
        ck_assert_str_eq(cga, cgb);
        free(cga);
        free(cgb);
        /* Its parent is us (the subreaper), not a congo process. */
        snprintf(path, sizeof path, "/proc/%d/stat", (int)p);
        char *stat = read_file(path);
        int ppid = 0;
        sscanf(strrchr(stat, ')') + 2, "%*c %d", &ppid);
        free(stat);
        ck_assert_int_eq(ppid, getpid());
        /* ps --format json: the container's cgroup.procs, the exec'd one too. */
        struct res r = rt("ps", "--format", "json", "ex2", NULL);
        ck_assert_int_eq(r.status, 0);
        char want[64];
        snprintf(want, sizeof want, "[%d,", (int)c);
        ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
        snprintf(want, sizeof want, ",%d]", (int)p);
        ck_assert_msg(strstr(r.out, want) != NULL, "%s", r.out);
        ck_assert_int_eq(count_lines(r.out, ","), 1);   /* three pids, one line */
        r = rt("ps", "ex2", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "PID"));
        ck_assert_ptr_nonnull(strstr(r.out, "congo-init"));
        ck_assert_ptr_nonnull(strstr(r.out, "sleep 30"));
        /* Reaped by its parent, us. */
        ck_assert_int_eq(kill(p, SIGKILL), 0);
        int ws;
        ck_assert_int_eq(waitpid(p, &ws, 0), p);
        ck_assert(WIFSIGNALED(ws));
        r = rt("ps", "--format", "yaml", "ex2", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(rt("ps", "--format", "json", "nosuch", NULL).status, 1);
}
END_TEST

/* The process's own capabilities, no_new_privs and the container's seccomp. */
START_TEST(exec_security)
{
        exec_box("ex3", "");
        struct res r = rt("exec", "ex3", "grep", "-E", "^(CapEff|Seccomp|NoNewPrivs):", "/proc/self/status", NULL);
        ck_assert_int_eq(r.status, 0);
        unsigned long long eff = strtoull(strstr(r.out, "CapEff:") + 7, NULL, 16);
        ck_assert_msg((eff & (1ULL << 21)) == 0, "CAP_SYS_ADMIN by default: %s", r.out);
        ck_assert_msg(strstr(r.out, "Seccomp:\t2") != NULL, "%s", r.out);
        r = rt("exec", "--cap", "CAP_SYS_ADMIN", "--no-new-privs", "ex3", "grep", "-E",
               "^(CapEff|NoNewPrivs):", "/proc/self/status", NULL);
        ck_assert_int_eq(r.status, 0);
        eff = strtoull(strstr(r.out, "CapEff:") + 7, NULL, 16);
        ck_assert_msg((eff & (1ULL << 21)) != 0, "%s", r.out);
        ck_assert_msg(strstr(r.out, "NoNewPrivs:\t1") != NULL, "%s", r.out);
        r = rt("exec", "--cap", "CAP_BOGUS", "ex3", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        /* --user 1000: no capability left. */
        r = rt("exec", "--user", "1000", "ex3", "grep", "^CapEff:", "/proc/self/status", NULL);
        ck_assert_msg(strstr(r.out, "0000000000000000") != NULL, "%s", r.out);
        /* CVE-2019-5736: congo's PID 1 cannot be opened from inside. */
        r = rt("exec", "ex3", "sh", "-c", "cat /proc/1/exe > /dev/null || echo denied-read; "
                                          "echo x >> /proc/1/exe || echo denied-write", NULL);
        ck_assert_msg(strstr(r.out, "denied-read") && strstr(r.out, "denied-write"), "%s", r.out);
        /* The runtime doing the exec runs from an image that cannot be
         * written (the build's directory is writable: not the binary). */
        pid_t p = fork();
        if (p == 0) {
                int null = open("/dev/null", O_RDWR);
                dup2(null, 0);
                dup2(null, 1);
                execl(getenv("CONGO_RUNTIME"), "congo", "--root", root, "exec", "ex3", "sleep", "2", (char *)NULL);
                _exit(127);
        }
        const char *image = NULL;
        for (int i = 0; i < 200 && image == NULL; i++) {
                image = exe_image(p);
                usleep(5000);
        }
        ck_assert_msg(image != NULL, "exec runs the host's binary");
        int ws;
        ck_assert_int_eq(waitpid(p, &ws, 0), p);
        ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
}
END_TEST

/* cwd resolves inside the container's root: a symlink to / stays inside,
 * a magic link is refused. */
START_TEST(exec_hostile_cwd)
{
        exec_box("ex4", "");
        struct res r = rt("exec", "ex4", "sh", "-c",
                          "ln -s / /tmp/rootlink && ln -s ../../../../../../.. /tmp/up && "
                          "ln -s /proc/self/fd/2 /tmp/fdlink && ln -s /proc/1/cwd /tmp/cwdlink", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        r = rt("exec", "--cwd", "/tmp/rootlink", "ex4", "cat", "tmp/made", NULL);
        ck_assert_str_eq(r.out, "made\n");
        r = rt("exec", "--cwd", "/tmp/up", "ex4", "cat", "tmp/made", NULL);
        ck_assert_str_eq(r.out, "made\n");
        const char *magic[] = { "/tmp/fdlink", "/tmp/cwdlink", "/proc/self/cwd", "/proc/1/root" };
        for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++) {
                r = rt("exec", "--cwd", magic[i], "ex4", "pwd", NULL);
                ck_assert_msg(r.status == 1, "%s: %d %s", magic[i], r.status, r.out);
                ck_assert_msg(strstr(r.err, "cwd") != NULL, "%s", r.err);
                ck_assert_str_eq(r.out, "");
        }
        r = rt("exec", "--cwd", "etc", "ex4", "pwd", NULL);
        ck_assert_int_eq(r.status, 1);
}
END_TEST

static int listen_on(char *path, size_t len)
{
        snprintf(path, len, "%s/exec-console.sock", harness_tmp());
        unlink(path);
        int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
        ck_assert_int_eq(bind(ls, (struct sockaddr *)&addr, sizeof addr), 0);
        ck_assert_int_eq(listen(ls, 1), 0);
        return ls;
}

static int receive_master(int ls)
{
        int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC), master = -1;
        ck_assert_int_ge(c, 0);
        char byte[64];
        struct iovec iov = { byte, sizeof byte };
        union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                              .msg_controllen = sizeof ctl.buf };
        ck_assert_int_gt(recvmsg(c, &msg, MSG_CMSG_CLOEXEC), 0);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        ck_assert_ptr_nonnull(cm);
        memcpy(&master, CMSG_DATA(cm), sizeof master);
        close(c);
        return master;
}

static void read_until(int fd, const char *want, char *out, size_t len)
{
        size_t got = 0;
        out[0] = '\0';
        for (int i = 0; i < 50 && !strstr(out, want); i++) {
                struct pollfd p = { fd, POLLIN, 0 };
                if (poll(&p, 1, 100) > 0) {
                        ssize_t n = read(fd, out + got, len - 1 - got);
                        if (n <= 0)
                                break;
                        got += (size_t)n;
                        out[got] = '\0';
                }
        }
}

/* -t: a pty of the container's devpts, its master over the console socket. */
START_TEST(exec_tty)
{
        exec_box("ex5", "");
        char sock[200], pf[600], out[1024];
        snprintf(pf, sizeof pf, "%s/exec-tty.pid", harness_tmp());
        int ls = listen_on(sock, sizeof sock);
        struct res r = rt("exec", "-t", "-d", "ex5", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "--console-socket"));
        r = rt("exec", "-t", "-d", "--console-socket", sock, "--pid-file", pf, "ex5", "sh", "-c",
               "tty; echo typed-$(head -c 3)", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        int master = receive_master(ls);
        unsigned ptn;
        ck_assert_int_eq(ioctl(master, TIOCGPTN, &ptn), 0);
        ck_assert_int_eq(write(master, "abc\n", 4), 4);
        read_until(master, "typed-abc", out, sizeof out);
        ck_assert_msg(strstr(out, "/dev/pts/") != NULL, "%s", out);
        ck_assert_msg(strstr(out, "typed-abc") != NULL, "%s", out);
        slurp(pf, out, sizeof out);
        int ws;
        ck_assert_int_eq(waitpid(atoi(out), &ws, 0), atoi(out));
        ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
        close(master);
        close(ls);
}
END_TEST

/* A container with CAP_SYS_ADMIN makes its /proc and /dev/ptmx lie:
 * exec reads nothing there, and refuses a ptmx that is not one. */
START_TEST(exec_hostile_proc)
{
        exec_box("ex6", "security:\n  capabilities: [CAP_SYS_ADMIN, CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, "
                        "CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_MKNOD]\n  seccomp: unconfined\n");
        struct res r = rt("exec", "ex6", "sh", "-c",
                          "mkdir -p /tmp/fake/self/fd /tmp/fake/1 /tmp/fake/sys/kernel && ln -s / /tmp/fake/self/cwd && "
                          "ln -s / /tmp/fake/self/exe && echo 0 > /tmp/fake/sys/kernel/cap_last_cap && "
                          "echo 0 > /tmp/fake/sys/kernel/ngroups_max && "
                          "mount --bind /tmp/fake /proc && "
                          "rm -f /dev/ptmx && ln -s /proc/self/fd/0 /dev/ptmx", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        r = rt("exec", "--cwd", "/etc", "ex6", "sh", "-c", "pwd; cat /tmp/made; exit 5", NULL);
        ck_assert_int_eq(r.status, 5);
        ck_assert_str_eq(r.out, "/etc\nmade\n");
        /* Its capabilities, as the host sees them: what the spec says,
         * whatever the fake /proc/sys/kernel/cap_last_cap says. */
        char pf[600], path[64];
        snprintf(pf, sizeof pf, "%s/exec-hostile.pid", harness_tmp());
        pid_t p = exec_detached("ex6", pf);
        snprintf(path, sizeof path, "/proc/%d/status", (int)p);
        char *status = read_file(path);
        ck_assert_ptr_nonnull(status);
        unsigned long long eff = strtoull(strstr(status, "CapEff:") + 7, NULL, 16);
        ck_assert_msg(eff & (1ULL << 21), "%s", status);
        ck_assert_msg(eff & (1ULL << 27), "%s", status);   /* CAP_MKNOD: above 0 */
        free(status);
        kill(p, SIGKILL);
        waitpid(p, NULL, 0);
        /* Its /proc/self/cwd is a plain symlink to / now: followed, inside. */
        r = rt("exec", "--cwd", "/proc/self/cwd", "ex6", "pwd", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, "/\n");
        char sock[200];
        int ls = listen_on(sock, sizeof sock);
        r = rt("exec", "-t", "-d", "--console-socket", sock, "ex6", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "ptmx") != NULL, "%s", r.err);
        /* A plain file in its place: not the multiplexer. */
        r = rt("exec", "ex6", "sh", "-c", "rm -f /dev/ptmx && echo x > /dev/ptmx", NULL);
        ck_assert_int_eq(r.status, 0);
        r = rt("exec", "-t", "-d", "--console-socket", sock, "ex6", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "not the pty multiplexer") != NULL, "%s", r.err);
        close(ls);
        /* ps still reads the host's view. */
        r = rt("ps", "--format", "json", "ex6", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_int_eq(r.out[0], '[');
}
END_TEST

/* Not running: created, stopped or unknown. */
START_TEST(exec_not_running)
{
        struct res r = rt("create", "--bundle", bundle, "ex7", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        r = rt("exec", "ex7", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "not running (created)"));
        ck_assert_int_eq(count_lines(r.err, ""), 1);
        ck_assert_int_eq(rt("start", "ex7", NULL).status, 0);
        /* Paused: refused at once (not frozen with the container locked). */
        ck_assert_int_eq(rt("pause", "ex7", NULL).status, 0);
        r = rt("exec", "--ignore-paused", "ex7", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "paused"));
        ck_assert_int_eq(rt("resume", "ex7", NULL).status, 0);
        ck_assert_int_eq(rt("exec", "ex7", "true", NULL).status, 0);
        ck_assert_int_eq(rt("kill", "ex7", "KILL", NULL).status, 0);
        ck_assert(wait_status("ex7", "stopped"));
        r = rt("exec", "ex7", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "stopped"));
        r = rt("exec", "nosuch", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_ptr_nonnull(strstr(r.err, "does not exist"));
}
END_TEST

/* --process: an OCI process object, as conmon and the shim write it. */
START_TEST(exec_process_json)
{
        exec_box("ex8", "");
        char path[600];
        snprintf(path, sizeof path, "%s/process.json", harness_tmp());
        FILE *f = fopen(path, "w");
        fputs("{\"terminal\": false, \"user\": {\"uid\": 1000, \"gid\": 1000, \"additionalGids\": [5]},"
              " \"args\": [\"sh\", \"-c\", \"id; echo $X; pwd; grep ^CapEff /proc/self/status; exit 3\"],"
              " \"env\": [\"X=from-json\", \"PATH=/bin\"], \"cwd\": \"/etc\","
              " \"capabilities\": {\"bounding\": [\"CAP_KILL\"], \"effective\": [\"CAP_KILL\"],"
              " \"permitted\": [\"CAP_KILL\"]}, \"noNewPrivileges\": true}", f);
        fclose(f);
        struct res r = rt("exec", "--process", path, "ex8", NULL);
        ck_assert_msg(r.status == 3, "%d %s", r.status, r.err);
        ck_assert_msg(strstr(r.out, "uid=1000 gid=1000 groups=5\nfrom-json\n/etc\n") != NULL, "%s", r.out);
        f = fopen(path, "w");
        fputs("{\"args\": [\"true\"], \"cwd\": \"/\", \"user\": {\"uid\": \"x\"}}", f);
        fclose(f);
        r = rt("exec", "--process", path, "ex8", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "process.user.uid") != NULL, "%s", r.err);
        f = fopen(path, "w");
        fputs("{\"args\": [\"true\"], ", f);
        fclose(f);
        r = rt("exec", "--process", path, "ex8", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_int_eq(count_lines(r.err, ""), 1);
}
END_TEST
/* A container with its own user (and time) namespace: joined, the user
 * namespace first; the process is root inside, its mapped id outside. */
START_TEST(exec_userns)
{
        struct stat tns;
        bool time_ns = stat("/proc/self/ns/time", &tns) == 0;
        char extra[300];
        snprintf(extra, sizeof extra, "namespaces: [uts, pid, net, mount, ipc, cgroup, user%s]\n"
                 "uid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n%s",
                 time_ns ? ", time" : "", time_ns ? "time_offsets: {monotonic: 86400}\n" : "");
        pid_t c = exec_box("ex9", extra);
        char pf[600];
        snprintf(pf, sizeof pf, "%s/exec-userns.pid", harness_tmp());
        pid_t p = exec_detached("ex9", pf);
        const char *ns[] = { "user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time" };
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
                char a[128], b[128], self[128];
                ns_link(c, ns[i], a, sizeof a);
                ns_link(p, ns[i], b, sizeof b);
                ns_link(getpid(), ns[i], self, sizeof self);
                ck_assert_msg(strcmp(a, b) == 0, "%s: %s vs %s", ns[i], a, b);
                if (strcmp(ns[i], "time") != 0 || time_ns)
                        ck_assert_msg(strcmp(a, self) != 0, "%s is the host's", ns[i]);
        }
        struct stat st;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d", (int)p);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_uid, 100000);
        struct res r = rt("exec", "ex9", "id", "-u", NULL);
        ck_assert_str_eq(r.out, "0\n");
        kill(p, SIGKILL);
        waitpid(p, NULL, 0);
}
END_TEST
/* The container's pids limit holds for exec too: the fork into it fails,
 * one line, and nothing is left in its cgroup. */
START_TEST(exec_pids_limit)
{
        const char *b = bundle_with("ex10", "limits:\n  pids: 2\ncommand: [\"/bin/sh\", \"-c\", \"exec sleep 30\"]\n");
        ck_assert_int_eq(rt("create", "--bundle", b, "ex10", NULL).status, 0);
        ck_assert_int_eq(rt("start", "ex10", NULL).status, 0);
        struct res r;
        for (int i = 0; i < 300; i++) {
                r = rt("ps", "--format", "json", "ex10", NULL);
                if (count_lines(r.out, ",") == 1)
                        break;
                usleep(10000);
        }
        struct res before = r;
        r = rt("exec", "ex10", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "fork") != NULL, "%s", r.err);
        ck_assert_int_eq(count_lines(r.err, ""), 1);
        r = rt("ps", "--format", "json", "ex10", NULL);
        ck_assert_str_eq(r.out, before.out);
}
END_TEST
/* The container stops (SIGSTOP) every new process of its own, the exec'd
 * one too, before it executes: that exec waits, but the container is not
 * left locked: delete --force goes through, and the exec ends. */
START_TEST(exec_stopped_by_container)
{
        const char *b = bundle_with("ex11", "command: [\"/bin/sh\", \"-c\", \"while :; do for p in /proc/[0-9]*; do "
                                            "n=${p#/proc/}; [ $n -gt 2 ] && [ $n != $$ ] && kill -STOP $n 2>/dev/null; "
                                            "done; done\"]\n");
        ck_assert_int_eq(rt("create", "--bundle", b, "ex11", NULL).status, 0);
        ck_assert_int_eq(rt("start", "ex11", NULL).status, 0);
        pid_t p = fork();
        if (p == 0) {
                int null = open("/dev/null", O_RDWR);
                dup2(null, 0);
                dup2(null, 1);
                dup2(null, 2);
                execl(getenv("CONGO_RUNTIME"), "congo", "--root", root, "exec", "ex11", "sleep", "20", (char *)NULL);
                _exit(127);
        }
        sleep(1);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct res r = rt("delete", "--force", "ex11", NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
        int ws;
        ck_assert_int_eq(waitpid(p, &ws, 0), p);
        ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) != 0);
        ck_assert(state_dir_gone("ex11"));
        ck_assert_int_eq(cgroups_of("ex11"), 0);
}
END_TEST
/* The container's cgroup.procs, as a JSON array, read by the test. */
static void procs_json(pid_t c, char *out, size_t len)
{
        char path[600], *cg, *line;
        snprintf(path, sizeof path, "/proc/%d/cgroup", (int)c);
        cg = read_file(path);
        ck_assert_ptr_nonnull(cg);
        if ((line = strstr(cg, ":pids:")) != NULL)
                snprintf(path, sizeof path, "/sys/fs/cgroup/pids%.*s/cgroup.procs", (int)strcspn(line + 6, "\n"), line + 6);
        else if ((line = strstr(cg, "0::")) != NULL)
                snprintf(path, sizeof path, "/sys/fs/cgroup%.*s/cgroup.procs", (int)strcspn(line + 3, "\n"), line + 3);
        free(cg);
        ck_assert_ptr_nonnull(line);
        char *procs = read_file(path);
        ck_assert_ptr_nonnull(procs);
        size_t n = (size_t)snprintf(out, len, "[");
        for (char *save = NULL, *tok = strtok_r(procs, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save))
                n += (size_t)snprintf(out + n, len - n, "%s%s", n > 1 ? "," : "", tok);
        snprintf(out + n, len - n, "]\n");
        free(procs);
}

START_TEST(ps_json_is_cgroup_procs)
{
        pid_t c = exec_box("ex12", "");
        char pf[600], want[512];
        snprintf(pf, sizeof pf, "%s/exec-ps.pid", harness_tmp());
        pid_t p = exec_detached("ex12", pf);
        procs_json(c, want, sizeof want);
        struct res r = rt("ps", "--format", "json", "ex12", NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, want);
        ck_assert_int_eq(count_lines(want, ","), 1);
        kill(p, SIGKILL);
        waitpid(p, NULL, 0);
        procs_json(c, want, sizeof want);
        r = rt("ps", "--format", "json", "ex12", NULL);
        ck_assert_str_eq(r.out, want);
}
END_TEST

/* Attached -t without a console socket: congo relays its own terminal. */
START_TEST(exec_tty_attached)
{
        exec_box("ex13", "");
        int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        ck_assert_int_ge(master, 0);
        ck_assert_int_eq(grantpt(master), 0);
        ck_assert_int_eq(unlockpt(master), 0);
        char *name = ptsname(master);
        ck_assert_ptr_nonnull(name);
        pid_t p = fork();
        if (p == 0) {
                setsid();
                int slave = open(name, O_RDWR);
                ioctl(slave, TIOCSCTTY, 0);
                dup2(slave, 0);
                dup2(slave, 1);
                dup2(slave, 2);
                execl(getenv("CONGO_RUNTIME"), "congo", "--root", root, "exec", "-t", "ex13", "sh", "-c",
                      "tty; read x; echo got-$x; exit 4", (char *)NULL);
                _exit(127);
        }
        char out[2048];
        read_until(master, "/dev/pts/", out, sizeof out);
        ck_assert_int_eq(write(master, "abc\r", 4), 4);
        read_until(master, "got-abc", out, sizeof out);
        ck_assert_msg(strstr(out, "got-abc") != NULL, "%s", out);
        int ws;
        ck_assert_int_eq(waitpid(p, &ws, 0), p);
        ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 4, "%d", ws);
        close(master);
}
END_TEST
/* exec runs from the config.json create read, kept in the state: a
 * bundle rewritten since (by whoever can write it) changes nothing. */
START_TEST(exec_uses_create_config)
{
        char dir[600], path[700];
        snprintf(dir, sizeof dir, "%s/ex14", harness_tmp());
        mkdir(dir, 0755);
        snprintf(path, sizeof path, "%s/config.json", dir);
        const char *fmt = "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\", \"-c\", \"exec sleep 30\"],"
                          " \"cwd\": \"/\", \"env\": [\"PATH=/bin:/sbin\", \"WHO=%s\"], \"user\": {\"uid\": %d, \"gid\": 0},"
                          " \"capabilities\": {\"bounding\": [\"CAP_KILL\"%s], \"effective\": [\"CAP_KILL\"%s],"
                          " \"permitted\": [\"CAP_KILL\"%s]}}, \"root\": {\"path\": \"%s\"},"
                          " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"}, {\"type\": \"uts\"}]}}";
        FILE *f = fopen(path, "w");
        fprintf(f, fmt, "created", 0, "", "", "", harness_rootfs());
        fclose(f);
        struct res r = rt("create", "--bundle", dir, "ex14", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("start", "ex14", NULL).status, 0);
        f = fopen(path, "w");
        fprintf(f, fmt, "changed", 1000, ", \"CAP_SYS_ADMIN\"", ", \"CAP_SYS_ADMIN\"", ", \"CAP_SYS_ADMIN\"",
                harness_rootfs());
        fclose(f);
        r = rt("exec", "ex14", "sh", "-c", "echo $WHO $(id -u) $(grep ^CapEff /proc/self/status)", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_str_eq(r.out, "created 0 CapEff: 0000000000000020\n");
        /* Gone altogether: the copy is what counts. */
        unlink(path);
        r = rt("exec", "ex14", "sh", "-c", "echo $WHO", NULL);
        ck_assert_str_eq(r.out, "created\n");
        ck_assert_int_eq(rt("delete", "--force", "ex14", NULL).status, 0);
        ck_assert(state_dir_gone("ex14"));
}
END_TEST
/* congo exec ID readlink /proc/self/fd/0, with stdin -1: closed, or a
 * directory of the host. */
static struct res exec_stdin(const char *id, const char *dir)
{
        struct res r = { -1, "", "" };
        char out[600], err[600];
        snprintf(out, sizeof out, "%s/stdin.out", harness_tmp());
        snprintf(err, sizeof err, "%s/stdin.err", harness_tmp());
        pid_t p = fork();
        if (p == 0) {
                int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                dup2(o, 1);
                dup2(e, 2);
                close(0);
                if (dir && open(dir, O_RDONLY | O_DIRECTORY) != 0)
                        _exit(99);
                execl(getenv("CONGO_RUNTIME"), "congo", "--root", root, "exec", id, "readlink", "/proc/self/fd/0",
                      (char *)NULL);
                _exit(127);
        }
        int ws;
        waitpid(p, &ws, 0);
        r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        slurp(out, r.out, sizeof r.out);
        slurp(err, r.err, sizeof r.err);
        return r;
}

/* stdin is the caller's: a host directory is refused, a closed one is
 * /dev/null (not the state directory the runtime opens next). */
START_TEST(exec_stdio)
{
        exec_box("ex15", "");
        struct res r = exec_stdin("ex15", "/");
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "stdin is a directory") != NULL, "%s", r.err);
        ck_assert_str_eq(r.out, "");
        r = exec_stdin("ex15", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_str_eq(r.out, "/dev/null\n");
}
END_TEST
/* --preserve-fds 1: the caller's fd 3 reaches the process, nothing above. */
START_TEST(exec_preserve_fds)
{
        exec_box("ex16", "");
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        char out[600];
        snprintf(out, sizeof out, "%s/preserve.out", harness_tmp());
        pid_t p = fork();
        if (p == 0) {
                int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                dup2(o, 1);
                dup2(o, 2);
                close(fds[0]);
                dup2(fds[1], 3);
                dup2(fds[1], 4);   /* open, but not preserved */
                execl(getenv("CONGO_RUNTIME"), "congo", "--root", root, "exec", "--preserve-fds", "1", "ex16", "sh",
                      "-c", "echo via-fd3 >&3; [ -e /proc/self/fd/4 ] && echo fd4-leaked; exit 0", (char *)NULL);
                _exit(127);
        }
        close(fds[1]);
        char buf[256] = "";
        ssize_t n = read(fds[0], buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        close(fds[0]);
        int ws;
        ck_assert_int_eq(waitpid(p, &ws, 0), p);
        ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
        ck_assert_str_eq(buf, "via-fd3\n");
        slurp(out, buf, sizeof buf);
        ck_assert_str_eq(buf, "");
        /* rt()'s own files are its 3 to 5 at most: 50 are not all open. */
        struct res r = rt("exec", "--preserve-fds", "50", "ex16", "true", NULL);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(strstr(r.err, "is not open") != NULL, "%s", r.err);
        r = rt("exec", "--preserve-fds", "-1", "ex16", "true", NULL);
        ck_assert_int_eq(r.status, 1);
}
END_TEST
/* ---- end of exec and ps ---- */

/* ---- attack3: a hostile container against the runtime's lifecycle ---- */

/* The ELF interpreter binary names (PT_INTERP), "" when it has none. */
static void interp_of(const char *binary, char *buf, size_t len)
{
        char *elf = read_file(binary);
        Elf64_Ehdr *eh = (Elf64_Ehdr *)elf;

        buf[0] = '\0';
        ck_assert_ptr_nonnull(elf);
        for (int i = 0; i < eh->e_phnum; i++) {
                Elf64_Phdr *ph = (Elf64_Phdr *)(elf + eh->e_phoff + (size_t)i * eh->e_phentsize);
                if (ph->p_type == PT_INTERP)
                        snprintf(buf, len, "%s", elf + ph->p_offset);
        }
        free(elf);
}

static bool same_file_content(const char *a, const char *b)
{
        char cmd[1400];
        snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
        return system(cmd) == 0;
}

/* CVE-2019-5736: an image whose command is /proc/self/exe runs the
 * binary of the process that executes it, the runtime's, with the
 * image's ELF interpreter (exe_grab.c) in it: it keeps that binary open
 * and, once no congo runs it (no pid namespace: nothing of congo stays),
 * writes it.  create runs from an image that cannot be written: what the
 * container reaches is that.  The runtime here is a copy of the build's
 * in BINDIR, so that a failure breaks no other test.  Its directory
 * decides the image: the state root beside it lets sealed.c lay an
 * overlayfs over the two, and one beneath it does not (overlayfs refuses
 * layers inside each other), which leaves the sealed memfd copy. */
static void grab(const char *bindir, const char *want)
{
        char victim[600], rootfs[600], cmd[4000], interp[256], path[1400], orig[600];

        snprintf(orig, sizeof orig, "%s", getenv("CONGO_RUNTIME"));
        mkdir(bindir, 0755);
        snprintf(victim, sizeof victim, "%s/congo-victim", bindir);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", orig, victim);
        ck_assert_int_eq(system(cmd), 0);
        setenv("CONGO_RUNTIME", victim, 1);   /* this test's process only */
        snprintf(rootfs, sizeof rootfs, "%s/grab-rootfs", harness_tmp());
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && sh '%s/tests/mkrootfs.sh' '%s' >/dev/null", rootfs,
                 getenv("CONGO_SRCDIR"), rootfs);
        ck_assert_int_eq(system(cmd), 0);
        interp_of(victim, interp, sizeof interp);
        if (interp[0] != '\0') {
                snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s%s')\" && cp '%s' '%s%s'", rootfs, interp,
                         getenv("CONGO_EXE_GRAB"), rootfs, interp);
                ck_assert_int_eq(system(cmd), 0);
        }
        snprintf(path, sizeof path, "%s/exe_grab.sh", rootfs);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs("ls -l /proc/self/fd/3 > /grab.log 2>&1\n"
              "i=0; while [ $i -lt 30 ]; do\n"
              "  if echo '#written' >> /proc/self/fd/3 2>>/grab.log; then echo WRITTEN > /grab.out; exit 0; fi\n"
              "  sleep 0.1; i=$((i+1))\ndone\necho HELD > /grab.out\n", f);
        fclose(f);
        snprintf(path, sizeof path, "%s/entry", rootfs);
        ck_assert_int_eq(symlink("/proc/self/exe", path), 0);
        /* No pid namespace: no congo-init stays to keep the binary busy. */
        char dir[600];
        snprintf(dir, sizeof dir, "%s/grab", harness_tmp());
        mkdir(dir, 0755);
        snprintf(path, sizeof path, "%s/config.json", dir);
        f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"%s\"}, \"process\": {\"args\": [\"/entry\"], "
                   "\"env\": [\"PATH=/bin\"], \"cwd\": \"/\"}, \"linux\": {\"namespaces\": "
                   "[{\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}]}}\n", rootfs);
        fclose(f);
        struct res r = rt("create", "--bundle", dir, "grab", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        /* The container's process, parked in congo until start: its exe
         * is not the host's binary.  Every check after delete, which must
         * run whatever they find. */
        const char *image = exe_image(pid_of("grab"));
        int started = rt("start", "grab", NULL).status;
        char out[64] = "", log[2048] = "";
        for (int i = 0; interp[0] != '\0' && started == 0 && i < 1000 && out[0] == '\0'; i++) {
                reap();
                usleep(10000);
                snprintf(path, sizeof path, "%s/grab.out", rootfs);
                slurp(path, out, sizeof out);
        }
        snprintf(path, sizeof path, "%s/grab.log", rootfs);
        slurp(path, log, sizeof log);
        rt("delete", "--force", "grab", NULL);
        setenv("CONGO_RUNTIME", orig, 1);
        bool intact = same_file_content(victim, orig);
        unlink(victim);   /* the state root must hold only states */
        rmdir(bindir);
        ck_assert_int_eq(started, 0);
        ck_assert_msg(intact, "the host's binary was written from the container: %s", log);
        ck_assert_msg(image != NULL, "the container's process runs the host's binary");
        ck_assert_msg(strcmp(image, want) == 0, "the container's process runs a %s image, not %s", image, want);
        if (interp[0] != '\0') {
                /* It held the runtime open, and could not write it. */
                ck_assert_msg(strcmp(out, "HELD\n") == 0, "%s: %s", out, log);
                ck_assert_msg(strstr(log, "congo") != NULL, "%s", log);
        }
}

START_TEST(exe_is_sealed_overlay)
{
        char bindir[600];

        if (!overlay_works()) {
                printf("exe_is_sealed_overlay: skipped: this kernel makes no overlayfs (%s)\n", strerror(errno));
                return;
        }
        snprintf(bindir, sizeof bindir, "%s/bin", harness_tmp());
        grab(bindir, "overlay");
}
END_TEST

START_TEST(exe_is_sealed_memfd)
{
        char bindir[600];

        snprintf(bindir, sizeof bindir, "%s/state/bin", harness_tmp());
        grab(bindir, "memfd");
}
END_TEST

/* An OCI bundle NAME over the suite's rootfs running sh -c SCRIPT, with
 * only these capabilities and these namespaces (JSON lists' insides). */
static const char *attack_bundle(const char *name, const char *script, const char *caps, const char *ns)
{
        static char dir[600];
        char path[700];

        snprintf(dir, sizeof dir, "%s/%s", harness_tmp(), name);
        mkdir(dir, 0755);
        json_t *proc = json_pack("{s[sss] s[s] ss}", "args", "/bin/sh", "-c", script, "env", "PATH=/bin:/sbin", "cwd", "/");
        json_error_t jerr;
        char text[1024];
        snprintf(text, sizeof text, "{\"bounding\": [%s], \"effective\": [%s], \"permitted\": [%s]}", caps, caps, caps);
        json_object_set_new(proc, "capabilities", json_loads(text, 0, &jerr));
        snprintf(text, sizeof text, "[%s]", ns);
        json_t *doc = json_pack("{ss s{ss} so s{so}}", "ociVersion", "1.0.2", "root", "path", harness_rootfs(),
                                "process", proc, "linux", "namespaces", json_loads(text, 0, &jerr));
        ck_assert_ptr_nonnull(doc);
        snprintf(path, sizeof path, "%s/config.json", dir);
        ck_assert_int_eq(json_dump_file(doc, path, JSON_INDENT(2)), 0);
        json_decref(doc);
        return dir;
}

/* A container with CAP_SYS_ADMIN and a cgroup namespace mounts its
 * cgroup, makes cgroups beneath it and moves a process there; frozen, it
 * freezes that cgroup too.  delete kills it and removes every cgroup,
 * the container's own last.  Before, rmdir failed (EBUSY): delete failed
 * and left the cgroups, and without a pid namespace, the process (moved
 * in the freezer hierarchy); a frozen v1 cgroup kept even SIGKILL, so
 * that with a pid namespace PID 1 never finished exiting. */
static void subcg_case(const char *id, bool pidns, bool freeze)
{
        char script[2048], ns[256];
        snprintf(script, sizeof script,
                 "sleep 1000 & p=$!; echo $p > /%s.pid; "
                 "if [ \"$(cat /proc/self/cgroup)\" = '0::/' ]; then "
                 "  mkdir -p /tmp/cg/u && mount -t cgroup2 none /tmp/cg/u && mkdir /tmp/cg/u/sub && "
                 "  echo $p > /tmp/cg/u/sub/cgroup.procs && echo moved >> /%s.moved%s; "
                 "else for c in freezer pids memory devices cpu; do "
                 "  mkdir -p /tmp/cg/$c && mount -t cgroup -o $c none /tmp/cg/$c && mkdir -p /tmp/cg/$c/sub/deeper && "
                 "  echo $p > /tmp/cg/$c/sub/deeper/cgroup.procs && echo moved >> /%s.moved; done%s; fi; "
                 "echo done >> /%s.moved; exec sleep 1000",
                 id, id, freeze ? " && echo 1 > /tmp/cg/u/sub/cgroup.freeze" : "", id,
                 freeze ? "; echo FROZEN > /tmp/cg/freezer/sub/deeper/freezer.state" : "", id);
        snprintf(ns, sizeof ns, "%s{\"type\": \"mount\"}, {\"type\": \"cgroup\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}",
                 pidns ? "{\"type\": \"pid\"}, " : "");
        const char *b = attack_bundle(id, script, "\"CAP_SYS_ADMIN\", \"CAP_KILL\"", ns);
        char path[600], moved[256] = "", text[32] = "";
        struct res r = rt("create", "--bundle", b, id, NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("start", id, NULL).status, 0);
        snprintf(path, sizeof path, "%s/%s.moved", harness_rootfs(), id);
        for (int i = 0; i < 500 && strstr(moved, "done") == NULL; i++) {
                usleep(10000);
                slurp(path, moved, sizeof moved);
        }
        unlink(path);
        snprintf(path, sizeof path, "%s/%s.pid", harness_rootfs(), id);
        slurp(path, text, sizeof text);
        unlink(path);
        pid_t p = pidns ? 0 : atoi(text);   /* a host pid without a pid namespace */
        r = rt("delete", "--force", id, NULL);
        bool gone = !pidns ? false : true;
        for (int i = 0; i < 300 && !gone; i++) {
                reap();
                gone = p > 0 && kill(p, 0) < 0 && errno == ESRCH;
                if (!gone)
                        usleep(10000);
        }
        int left = cgroups_of(id);
        /* Failing, leave nothing behind for the next tests. */
        if (!gone && p > 0)
                kill(p, SIGKILL);
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "for i in 1 2 3 4 5 6 7 8 9 10; do left=0; "
                 "for d in /sys/fs/cgroup/*/congo/oci/%s /sys/fs/cgroup/congo/oci/%s; do [ -d $d ] || continue; left=1; "
                 "for f in $(find $d -name freezer.state); do echo THAWED > $f; done; "
                 "for f in $(find $d -name cgroup.freeze); do echo 0 > $f; done; "
                 "for f in $(find $d -name cgroup.procs); do for q in $(cat $f); do kill -9 $q; done; done; sleep 0.5; "
                 "find $d -depth -type d -exec rmdir {} + 2>/dev/null; done; [ $left = 0 ] && break; done", id, id);
        if (left > 0 && system(cmd) != 0)
                fprintf(stderr, "%s: cgroups left\n", id);
        ck_assert_msg(strstr(moved, "moved") != NULL, "the container made no cgroup: %s", moved);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_msg(gone, "process %d left running", (int)p);
        ck_assert_int_eq(left, 0);
        ck_assert(state_dir_gone(id));
}

START_TEST(delete_subcgroups)
{
        subcg_case("subcg", false, false);
}
END_TEST

START_TEST(delete_frozen_subcgroup)
{
        subcg_case("frozencg", true, true);
}
END_TEST

/* kill --all reads cgroup.procs with the cgroup frozen, so that no pid
 * listed can be freed and taken by a host process before the kill (the
 * race itself is not reproducible here): the container is thawed after,
 * and one that was paused stays paused. */
START_TEST(kill_all_frozen_first)
{
        struct res r = rt("create", "--bundle", bundle, "kaf", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("start", "kaf", NULL).status, 0);
        r = rt("kill", "--all", "kaf", "CONT", NULL);
        ck_assert_msg(r.status == 0 && r.err[0] == '\0', "%s", r.err);
        ck_assert_str_eq(status_of("kaf"), "running");
        ck_assert_int_eq(rt("pause", "kaf", NULL).status, 0);
        r = rt("kill", "--all", "kaf", "CONT", NULL);
        ck_assert_msg(r.status == 0 && r.err[0] == '\0', "%s", r.err);
        ck_assert_str_eq(status_of("kaf"), "paused");
        ck_assert_int_eq(rt("resume", "kaf", NULL).status, 0);
        ck_assert_int_eq(rt("kill", "--all", "kaf", "KILL", NULL).status, 0);
        ck_assert(wait_status("kaf", "stopped"));
        ck_assert_int_eq(rt("delete", "kaf", NULL).status, 0);
}
END_TEST

/* The thaw the host would do by hand (cleanup of a failing test). */
static void thaw_by_hand(const char *id)
{
        char path[200];
        snprintf(path, sizeof path, "/sys/fs/cgroup/freezer/congo/oci/%s/freezer.state", id);
        int fd = open(path, O_WRONLY);
        if (fd >= 0 && write(fd, "THAWED", 6) < 0)
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
        if (fd >= 0)
                close(fd);
        snprintf(path, sizeof path, "/sys/fs/cgroup/congo/oci/%s/cgroup.freeze", id);
        if ((fd = open(path, O_WRONLY)) >= 0 && write(fd, "0", 1) < 0)
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
        if (fd >= 0)
                close(fd);
}

/* Whether child pid ended within ms; its status in *status. */
static bool ended_within(pid_t pid, int ms, int *status)
{
        int ws;
        for (int i = 0; i < ms / 10; i++) {
                if (waitpid(pid, &ws, WNOHANG) == pid) {
                        *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
                        return true;
                }
                usleep(10000);
        }
        return false;
}

/* A container with CAP_SYS_ADMIN and a cgroup namespace freezes its own
 * cgroup the moment exec's process joins it (pids.current grows): the
 * process never replies.  exec waits (the container is paused), but no
 * longer with the container locked: state answers, delete --force kills
 * it all, and exec ends.  Before, state, list and delete hung for good. */
START_TEST(exec_frozen_on_join)
{
        const char *script =
                "if [ \"$(cat /proc/self/cgroup)\" = '0::/' ]; then mkdir -p /tmp/cg && mount -t cgroup2 none /tmp/cg && "
                "  P=/tmp/cg/pids.current F=/tmp/cg/cgroup.freeze V=1; "
                "else mkdir -p /tmp/fz /tmp/pd && mount -t cgroup -o freezer none /tmp/fz && "
                "  mount -t cgroup -o pids none /tmp/pd && P=/tmp/pd/pids.current F=/tmp/fz/freezer.state V=FROZEN; fi; "
                "read base < $P && echo armed > /fz.armed; "
                /* The lowest count seen is the base: a process of congo's
                 * on its way out (a slow VM) counted at first. */
                "while read n < $P && [ $n -le $base ]; do [ $n -lt $base ] && base=$n; done; "
                /* cgroup2 mounted with nsdelegate (as systemd does) keeps
                 * the root of a cgroup namespace from freezing itself. */
                "echo $V > $F || echo denied > /fz.denied; exec sleep 1000";
        const char *b = attack_bundle("fzj", script, "\"CAP_SYS_ADMIN\", \"CAP_KILL\"",
                                      "{\"type\": \"pid\"}, {\"type\": \"mount\"}, {\"type\": \"cgroup\"}, "
                                      "{\"type\": \"ipc\"}, {\"type\": \"uts\"}");
        char path[600], armed[32] = "";
        struct res r = rt("create", "--bundle", b, "fzj", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_int_eq(rt("start", "fzj", NULL).status, 0);
        snprintf(path, sizeof path, "%s/fz.armed", harness_rootfs());
        for (int i = 0; i < 500 && armed[0] == '\0'; i++) {
                usleep(10000);
                slurp(path, armed, sizeof armed);
        }
        unlink(path);
        /* A process that outlives the freeze: `true` could end before the
         * container noticed it (the sanitizer build in CI saw exec exit 0). */
        char exec_err[600], why[2048] = "";
        snprintf(exec_err, sizeof exec_err, "%s/fzj.exec.err", harness_tmp());
        pid_t ex = fork();
        if (ex == 0) {
                struct res e = rt("exec", "fzj", "sleep", "5", NULL);
                FILE *f = fopen(exec_err, "w");
                if (f) {
                        fprintf(f, "exec: status %d: %s", e.status, e.err);
                        fclose(f);
                }
                _exit(e.status);
        }
        /* Until the container froze itself on exec's join (seconds, on a
         * loaded machine), state must answer each time, then say paused. */
        char denied_path[600];
        snprintf(denied_path, sizeof denied_path, "%s/fz.denied", harness_rootfs());
        pid_t sp = fork();
        if (sp == 0) {
                for (int i = 0; i < 100; i++) {
                        struct res s = rt("state", "fzj", NULL);
                        if (s.status != 0)
                                _exit(2);
                        if (strstr(s.out, "\"paused\""))
                                _exit(0);
                        if (access(denied_path, F_OK) == 0)
                                _exit(3);
                        usleep(100000);
                }
                _exit(1);
        }
        int st_status = -1, ex_status = -1;
        bool answered = ended_within(sp, 20000, &st_status);
        /* The kernel refused the freeze (nsdelegate): no attack to hold
         * against, and exec runs to its end, untouched. */
        bool denied = answered && st_status == 3;
        bool ended_first = denied && ended_within(ex, 20000, &ex_status);
        unlink(denied_path);
        if (denied)
                printf("exec_frozen_on_join: the kernel refused the container's freeze of its cgroup namespace's "
                       "root (cgroup2 nsdelegate): exec ran to its end\n");
        if (!answered)
                thaw_by_hand("fzj");   /* so that the rest can end */
        r = rt("delete", "--force", "fzj", NULL);
        bool exec_ended = ended_first || ended_within(ex, 5000, &ex_status);
        if (!answered)
                waitpid(sp, NULL, 0);
        if (!exec_ended) {
                kill(ex, SIGKILL);
                waitpid(ex, NULL, 0);
        }
        ck_assert_str_eq(armed, "armed\n");
        ck_assert_msg(answered, "state hung while exec waited on the frozen process");
        slurp(exec_err, why, sizeof why);
        unlink(exec_err);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_msg(exec_ended, "exec still waits after delete");
        if (denied) {
                ck_assert_msg(ended_first && ex_status == 0, "exec did not run to its end (%d); %s", ex_status, why);
        } else {
                ck_assert_msg(st_status == 0, "state did not say paused (%d); %s", st_status, why);
                ck_assert_int_ne(ex_status, 0);
        }
        ck_assert_int_eq(cgroups_of("fzj"), 0);
}
END_TEST

static void add_attack3_tests(TCase *tc)
{
        tcase_add_test(tc, exe_is_sealed_overlay);
        tcase_add_test(tc, exe_is_sealed_memfd);
        tcase_add_test(tc, delete_subcgroups);
        tcase_add_test(tc, delete_frozen_subcgroup);
        tcase_add_test(tc, kill_all_frozen_first);
        tcase_add_test(tc, exec_frozen_on_join);
}
/* ---- end of attack3 ---- */

/* ---- attack4: the overlayfs image, attacked from inside ---- */

/* The runtime's image run as the container's own process (its command is
 * /proc/self/exe: congo --log FIFO state, parked on the FIFO), attacked
 * from a process exec'd into the container granted CAP_SYS_ADMIN and
 * CAP_CHECKPOINT_RESTORE (no user or pid namespace): /proc/PID/map_files
 * opens what the image's mappings map (beneath an overlayfs, the real
 * file: the path the kernel keeps with it must be the overlay's, which
 * sealed.c checks, mapping_unwritable).  Writes, chmod and touch
 * through /proc/PID/exe and every map_files link all fail: the host's
 * binary keeps its bytes, mode and times.  The victim is a copy in BINDIR, as in grab(); ro_bind makes BINDIR a
 * read-only bind mount of itself (the binary is then run as it is: want
 * NULL). */
static void map_files_case(const char *bindir, const char *want, bool ro_bind)
{
        char victim[600], orig[600], rootfs[600], cmd[4000], path[1400], dir[600];
        struct stat before, after;

        snprintf(orig, sizeof orig, "%s", getenv("CONGO_RUNTIME"));
        mkdir(bindir, 0755);
        snprintf(victim, sizeof victim, "%s/congo-victim", bindir);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", orig, victim);
        ck_assert_int_eq(system(cmd), 0);
        ck_assert_int_eq(stat(victim, &before), 0);
        if (ro_bind) {
                ck_assert_int_eq(mount(bindir, bindir, NULL, MS_BIND, NULL), 0);
                ck_assert_int_eq(mount(NULL, bindir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), 0);
        }
        snprintf(rootfs, sizeof rootfs, "%s/mf-rootfs", harness_tmp());
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && sh '%s/tests/mkrootfs.sh' '%s' >/dev/null && mkdir '%s/fifo' && "
                                  "mkfifo '%s/fifo/log' && ln -s /proc/self/exe '%s/entry'",
                 rootfs, getenv("CONGO_SRCDIR"), rootfs, rootfs, rootfs, rootfs);
        ck_assert_int_eq(system(cmd), 0);
        /* A dynamic build (the sanitizers') runs in the image with its own
         * loader and libraries; a static one needs none. */
        snprintf(cmd, sizeof cmd, "for l in $(ldd '%s' 2>/dev/null | grep -o '/[^ ]*'); do "
                                  "mkdir -p \"%s$(dirname \"$l\")\" && cp -L \"$l\" \"%s$l\" || exit 1; done",
                 victim, rootfs, rootfs);
        ck_assert_int_eq(system(cmd), 0);
        snprintf(dir, sizeof dir, "%s/mf", harness_tmp());
        mkdir(dir, 0755);
        snprintf(path, sizeof path, "%s/config.json", dir);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        const char *caps = "\"CAP_SYS_ADMIN\", \"CAP_CHECKPOINT_RESTORE\", \"CAP_DAC_OVERRIDE\", \"CAP_FOWNER\", "
                           "\"CAP_CHOWN\", \"CAP_SETUID\", \"CAP_SETGID\", \"CAP_KILL\"";
        fprintf(f, "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"%s\"}, \"process\": {\"args\": [\"/entry\", "
                   "\"--log\", \"/fifo/log\", \"--root\", \"/tmp/st\", \"state\", \"x\"], \"env\": [\"PATH=/bin\"], "
                   "\"cwd\": \"/\", \"capabilities\": {\"bounding\": [%s], \"effective\": [%s], \"permitted\": [%s]}}, "
                   "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}]}}\n",
                rootfs, caps, caps, caps);
        fclose(f);
        setenv("CONGO_RUNTIME", victim, 1);   /* this test's process only */
        struct res r = rt("create", "--bundle", dir, "mf", NULL);
        ck_assert_msg(r.status == 0, "%s", r.err);
        int started = rt("start", "mf", NULL).status;
        pid_t pid = pid_of("mf");
        char comm[64] = "";
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
        for (int i = 0; i < 500 && strcmp(comm, "/entry") != 0; i++) {   /* until it runs the image */
                usleep(10000);
                slurp(path, comm, sizeof comm);
        }
        const char *image = exe_image(pid);
        /* Only that process (no pid namespace: the host's are in view;
         * other suites' congo processes are not this test's to attack),
         * and only its image's mappings (a dynamic build's libraries are
         * the container's own copies). */
        char script[1024];
        snprintf(script, sizeof script,
                 "n=0; p=/proc/%d; t=$(readlink $p/exe); "
                 "for f in $p/exe $p/map_files/*; do [ \"$(readlink \"$f\")\" = \"$t\" ] || continue; n=$((n+1)); "
                 "  echo '#written' >> \"$f\" && echo \"WRITTEN $f\"; chmod 777 \"$f\"; touch \"$f\"; "
                 "done; echo \"tried $n\"",
                 (int)pid);
        struct res a = rt("exec", "mf", "sh", "-c", script, NULL);
        rt("delete", "--force", "mf", NULL);
        setenv("CONGO_RUNTIME", orig, 1);
        bool intact = same_file_content(victim, orig);
        ck_assert_int_eq(stat(victim, &after), 0);
        int unmounted = ro_bind ? umount(bindir) : 0;
        unlink(victim);
        rmdir(bindir);
        ck_assert_int_eq(unmounted, 0);
        ck_assert_int_eq(started, 0);
        ck_assert_msg(intact, "the host's binary was written from the container: %s", a.out);
        ck_assert_msg(strstr(a.out, "WRITTEN") == NULL, "%s", a.out);
        ck_assert_msg(before.st_mode == after.st_mode && before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
                              before.st_mtim.tv_nsec == after.st_mtim.tv_nsec,
                      "the host's binary's mode or times changed: %s", a.out);
        ck_assert_msg(want ? image != NULL && strcmp(image, want) == 0 : image == NULL,
                      "the container's process runs a %s image, not %s", image ? image : "host",
                      want ? want : "host");
        /* It reached the image: its exe and at least one mapping. */
        int tried = 0;
        const char *t = strstr(a.out, "tried ");
        ck_assert_msg(t && sscanf(t, "tried %d", &tried) == 1 && tried >= 2, "%s %s", a.out, a.err);
}

START_TEST(map_files_sealed)
{
        char bindir[600];

        if (overlay_works()) {
                snprintf(bindir, sizeof bindir, "%s/bin", harness_tmp());
                map_files_case(bindir, "overlay", false);
        } else {
                printf("map_files_sealed: overlay case skipped: this kernel makes no overlayfs\n");
        }
        snprintf(bindir, sizeof bindir, "%s/state/bin", harness_tmp());
        map_files_case(bindir, "memfd", false);
        snprintf(bindir, sizeof bindir, "%s/robin", harness_tmp());
        map_files_case(bindir, NULL, true);
}
END_TEST

/* The lines of the kernel's log that say overlayfs refused nested
 * layers; -1 where the log cannot be read. */
static int overlap_lines(void)
{
        FILE *f = popen("dmesg 2>/dev/null | grep -c 'overlapping lowerdir path'", "r");
        int n = -1;

        if (f != NULL) {
                if (fscanf(f, "%d", &n) != 1)
                        n = -1;
                pclose(f);
        }
        return n;
}

/* The binary in a directory of the state root (or the state root in the
 * binary's): sealed.c takes the memfd copy without making an overlayfs
 * that the kernel refuses, a line in its log at every create, run and
 * exec ("overlapping lowerdir path"). */
START_TEST(nested_layers_quiet)
{
        char bindir[600], victim[700], cmd[1500], orig[600];

        /* A container without CAP_SYSLOG (some CI) cannot read it. */
        bool readable = system("dmesg > /dev/null 2>&1") == 0;
        if (!readable)
                printf("nested_layers_quiet: the kernel's log cannot be read: only the image is checked\n");
        snprintf(orig, sizeof orig, "%s", getenv("CONGO_RUNTIME"));
        snprintf(bindir, sizeof bindir, "%s/state/bin", harness_tmp());
        mkdir(root, 0755);
        mkdir(bindir, 0755);
        snprintf(victim, sizeof victim, "%s/congo-victim", bindir);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", orig, victim);
        ck_assert_int_eq(system(cmd), 0);
        int before = overlap_lines();
        setenv("CONGO_RUNTIME", victim, 1);
        struct res r = rt("create", "--bundle", bundle_with("nq", "command: [\"true\"]\n"), "nq", NULL);
        const char *image = r.status == 0 ? exe_image(pid_of("nq")) : NULL;
        rt("delete", "--force", "nq", NULL);
        setenv("CONGO_RUNTIME", orig, 1);
        int after = overlap_lines();
        unlink(victim);
        rmdir(bindir);
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert_msg(image != NULL && strcmp(image, "memfd") == 0, "%s", image ? image : "host");
        if (readable) {
                ck_assert_int_ge(before, 0);
                ck_assert_msg(after == before, "the kernel logged %d refusals", after - before);
        }
}
END_TEST

static void add_attack4_tests(TCase *tc)
{
        tcase_add_test(tc, map_files_sealed);
        tcase_add_test(tc, nested_layers_quiet);
}
/* ---- end of attack4 ---- */

static void setup(void)
{
        harness_setup("runtime");
        snprintf(root, sizeof root, "%s/state", harness_tmp());
}

int main(void)
{
        if (getenv("CONGO_RUNTIME") == NULL) {
                fprintf(stderr, "runtime: CONGO_RUNTIME is not set (run it through make check)\n");
                return 1;
        }
        setup();
        Suite *s = suite_create("runtime");
        TCase *tc = tcase_create("runtime");
        tcase_add_checked_fixture(tc, subreaper, cleanup_all);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, cli);
        tcase_add_test(tc, bad_ids);
        tcase_add_test(tc, lifecycle);
        tcase_add_test(tc, stopped_by_itself);
        tcase_add_test(tc, delete_created_and_force);
        tcase_add_test(tc, kill_all_and_signals);
        tcase_add_test(tc, pid_file);
        tcase_add_test(tc, console_socket);
        tcase_add_test(tc, concurrent);
        tcase_add_test(tc, crashed_create);
        tcase_add_test(tc, run_attached);
        tcase_add_test(tc, list_state_json);
        tcase_add_test(tc, log_json);
        tcase_add_test(tc, spec_and_features);
        tcase_add_test(tc, stdio_untouched);
        tcase_add_test(tc, oci_bundle);
        tcase_add_test(tc, systemd_path);
        tcase_add_test(tc, existing_cgroup_refused);
        add_no_pivot_tests(tc);
        add_lifecycle_tests(tc);
        /* exec and ps */
        tcase_add_test(tc, exec_basics);
        tcase_add_test(tc, exec_joins_everything);
        tcase_add_test(tc, exec_security);
        tcase_add_test(tc, exec_hostile_cwd);
        tcase_add_test(tc, exec_tty);
        tcase_add_test(tc, exec_hostile_proc);
        tcase_add_test(tc, exec_not_running);
        tcase_add_test(tc, exec_process_json);
        tcase_add_test(tc, exec_userns);
        tcase_add_test(tc, exec_pids_limit);
        tcase_add_test(tc, exec_stopped_by_container);
        tcase_add_test(tc, ps_json_is_cgroup_procs);
        tcase_add_test(tc, exec_tty_attached);
        tcase_add_test(tc, exec_uses_create_config);
        tcase_add_test(tc, exec_stdio);
        tcase_add_test(tc, exec_preserve_fds);
        add_attack3_tests(tc);
        add_attack4_tests(tc);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        /* The runtime's default parent, congo/oci, made by these tests'
         * containers: left empty by each delete (as runc leaves its
         * parents), removed here so the host is as it was. */
        for (const char *const *h = (const char *const[]){ "pids", "memory", "cpu", "cpuacct", "freezer",
                                                             "devices", "blkio", "cpuset", "hugetlb",
                                                             "unified", "", NULL }; *h; h++) {
                char dir[128];
                snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%scongo/oci", *h, **h ? "/" : "");
                rmdir(dir);
        }
        harness_teardown();
        return rc;
}
