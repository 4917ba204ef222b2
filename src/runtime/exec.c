/* exec.c - `congo exec`: runc's flags, the container's state, and the
 * runtime's side of the new process (exec_child.c is the other side).
 *
 *   runtime: re-executes itself from a sealed copy (sealed.c), reads the state (the container must be running), opens a
 *            pidfd of its first process, forks a child (C1) with every
 *            other fd closed, writes C1's pid into the container's
 *            cgroup(s), lets it go;
 *   C1:      joins the namespaces (setns on the pidfd), forks the
 *            command's process (C2) into the pid namespace, sends C2's
 *            pid, exits;
 *   runtime: reaps C1, so that C2 is its child (it is a subreaper), and
 *            lets C2 go; C2 execs or sends its failure over a pipe that
 *            closes on exec;
 *   runtime: with --detach writes --pid-file and leaves (C2's parent is
 *            then the caller, conmon or the shim, a subreaper, as with
 *            runc); attached, forwards signals and exits with C2's status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "congo/util.h"
#include "exec.h"
#include "runtime.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static int add(const char **list, size_t *n, const char *v, const char *flag)
{
        if (*n >= 64) {
                congo_rt_error("exec: more than 64 %s", flag);
                return -1;
        }
        list[(*n)++] = v;
        return 0;
}

static int parse(int argc, char **argv, struct exec_opts *o)
{
        enum { OPT_PROCESS = 256, OPT_CONSOLE, OPT_PID_FILE, OPT_CWD, OPT_ENV, OPT_USER, OPT_GIDS,
               OPT_CAP, OPT_NNP, OPT_PRESERVE, OPT_APPARMOR, OPT_LABEL, OPT_IGNORED };
        static const struct option longopts[] = {
                { "process", required_argument, NULL, 'p' },
                { "detach", no_argument, NULL, 'd' },
                { "tty", no_argument, NULL, 't' },
                { "console-socket", required_argument, NULL, OPT_CONSOLE },
                { "pid-file", required_argument, NULL, OPT_PID_FILE },
                { "cwd", required_argument, NULL, OPT_CWD },
                { "env", required_argument, NULL, 'e' },
                { "user", required_argument, NULL, 'u' },
                { "additional-gids", required_argument, NULL, 'g' },
                { "cap", required_argument, NULL, 'c' },
                { "no-new-privs", no_argument, NULL, OPT_NNP },
                { "preserve-fds", required_argument, NULL, OPT_PRESERVE },
                { "apparmor", required_argument, NULL, OPT_APPARMOR },
                { "process-label", required_argument, NULL, OPT_LABEL },
                { "ignore-paused", no_argument, NULL, OPT_IGNORED },
                { 0 },
        };
        int c;

        while ((c = congo_rt_getopt(argc, argv, "p:dte:u:g:c:", longopts)) != -1) {
                switch (c) {
                case 'p': o->process_file = optarg; break;
                case 'd': o->detach = true; break;
                case 't': o->tty = true; break;
                case OPT_CONSOLE: o->console_socket = optarg; break;
                case OPT_PID_FILE: o->pid_file = optarg; break;
                case OPT_CWD: o->cwd = optarg; break;
                case 'e': if (add(o->env, &o->n_env, optarg, "--env") < 0) return -1; break;
                case 'u': o->user = optarg; break;
                case 'g': if (add(o->gids, &o->n_gids, optarg, "--additional-gids") < 0) return -1; break;
                case 'c': if (add(o->caps, &o->n_caps, optarg, "--cap") < 0) return -1; break;
                case OPT_NNP: o->no_new_privs = true; break;
                case OPT_PRESERVE:
                        if (congo_rt_parse_preserve_fds(optarg, &o->preserve_fds) < 0)
                                return -1;
                        break;
                /* No LSM is applied: a profile asked for is refused, never dropped. */
                case OPT_APPARMOR: case OPT_LABEL:
                        if (optarg[0] != '\0') {
                                congo_rt_error("--%s %s: not supported (congo applies no LSM profile)",
                                               c == OPT_APPARMOR ? "apparmor" : "process-label", optarg);
                                return -1;
                        }
                        break;
                case OPT_IGNORED: break;
                }
        }
        if (optind >= argc) {
                congo_rt_error("exec: the container id is missing");
                return -1;
        }
        o->args = argv + optind + 1;
        return 0;
}

/* Every namespace of the container that is not already ours (setns to
 * one's own user namespace is an error). */
static int namespaces_to_join(pid_t pid)
{
        static const struct { const char *name; int flag; } ns[] = {
                { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID },
                { "net", CLONE_NEWNET }, { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },
                { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
        };
        int flags = 0;

        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
                char path[64];
                struct stat ours, theirs;
                snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns[i].name);
                if (stat(path, &theirs) < 0) {
                        if (errno == ENOENT && strcmp(ns[i].name, "time") == 0)
                                continue;   /* a kernel without time namespaces */
                        return -1;
                }
                snprintf(path, sizeof path, "/proc/self/ns/%s", ns[i].name);
                if (stat(path, &ours) < 0)
                        return -1;
                if (ours.st_ino != theirs.st_ino || ours.st_dev != theirs.st_dev)
                        flags |= ns[i].flag;
        }
        return flags;
}

/* C1 into every hierarchy of the container's cgroup (its children, C2
 * among them, are born there). */
static int join_cgroup(const struct congo_rt_state *st, pid_t pid)
{
        char text[16];
        int len = snprintf(text, sizeof text, "%d", (int)pid);

        for (size_t i = 0; i < st->cgroup.n_dirs; i++) {
                char path[4200];
                snprintf(path, sizeof path, "%s/cgroup.procs", st->cgroup.path[i]);
                int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
                ssize_t w = fd < 0 ? -1 : write(fd, text, (size_t)len);
                int e = errno;
                if (fd >= 0)
                        close(fd);
                if (w != len) {
                        congo_rt_error("exec %s: joining the cgroup %s: %s", st->id, st->cgroup.path[i], strerror(e));
                        return -1;
                }
        }
        return 0;
}

struct session {
        struct exec_process proc;
        int sync[2], errp[2];
        pid_t c1, pid;
        int pidfd;
        int master;
        int preserve_fds;
};

/* Everything closed in C1 but stdio, the caller's --preserve-fds and
 * what it is given. */
static void keep_only(int preserved, const int *keep, int n)
{
        int last = 2 + preserved;

        for (;;) {
                int next = -1;
                for (int i = 0; i < n; i++)
                        if (keep[i] > last && (next < 0 || keep[i] < next))
                                next = keep[i];
                if (next < 0)
                        break;
                if (next > last + 1)
                        syscall(SYS_close_range, (unsigned)last + 1, (unsigned)next - 1, 0);
                last = next;
        }
        syscall(SYS_close_range, (unsigned)last + 1, ~0U, 0);
}

/* The failure C2 or C1 sent, or EOF: 0 when it executed. */
static int child_failure(struct session *s, const char *id)
{
        struct congo_error err;
        ssize_t n;

        while ((n = read(s->errp[0], &err, sizeof err)) < 0 && errno == EINTR)
                ;
        if (n == 0)
                return 0;
        if (n != (ssize_t)sizeof err) {
                congo_rt_error("exec %s: the process ended before it executed", id);
                return CONGO_RT_FAILURE;
        }
        err.msg[sizeof err.msg - 1] = '\0';
        congo_rt_error("exec %s: %s%s%s", id, err.msg, err.errnum ? ": " : "",
                       err.errnum ? strerror(err.errnum) : "");
        /* As a shell: 127 not found, 126 not executable; else runc's 1. */
        return err.status == CONGO_EXIT_NOT_FOUND || err.status == CONGO_EXIT_CANNOT_EXEC ? err.status
                                                                                         : CONGO_RT_FAILURE;
}

static int spawn(struct session *s, const struct congo_rt_state *st, int ns_flags)
{
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s->sync) < 0 || pipe2(s->errp, O_CLOEXEC) < 0) {
                congo_rt_error("exec %s: %s", st->id, strerror(errno));
                return -1;
        }
        /* Inherited by C1 and C2 through fork (the mm's flag). */
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        fflush(NULL);
        s->c1 = fork();
        if (s->c1 < 0) {
                congo_rt_error("exec %s: fork: %s", st->id, strerror(errno));
                return -1;
        }
        if (s->c1 == 0) {
                struct exec_child c = { &s->proc, s->pidfd, ns_flags, s->sync[1], s->errp[1], s->preserve_fds };
                int keep[] = { s->sync[1], s->errp[1], s->pidfd };
                keep_only(s->preserve_fds, keep, 3);
                congo_rt_exec_child(&c);
        }
        close(s->sync[1]);
        close(s->errp[1]);
        s->sync[1] = s->errp[1] = -1;
        close(s->pidfd);
        s->pidfd = -1;
        int rc = join_cgroup(st, s->c1);
        if (rc == 0 && write(s->sync[0], "g", 1) != 1)
                rc = -1;
        ssize_t n = rc < 0 ? -1 : read(s->sync[0], &s->pid, sizeof s->pid);
        if (rc < 0)
                kill(s->c1, SIGKILL);   /* it waits for the go-ahead */
        while (waitpid(s->c1, NULL, 0) < 0 && errno == EINTR)
                ;
        if (rc < 0)
                return -1;
        if (n != (ssize_t)sizeof s->pid) {
                s->pid = 0;
                if (child_failure(s, st->id) == 0)
                        congo_rt_error("exec %s: the process ended before it joined the container", st->id);
                return -1;
        }
        if (write(s->sync[0], "g", 1) != 1) {
                congo_rt_error("exec %s: the process ended before it started", st->id);
                return -1;
        }
        return 0;
}

/* The container as it is now: running, or one line and runc's status. */
static int running(int dirfd, const char *id, struct congo_rt_state *st)
{
        if (congo_rt_read(dirfd, id, st) < 0)
                return -1;
        if (st->status == RT_RUNNING)
                return 0;
        if (st->status == RT_STOPPED)
                congo_rt_error("exec %s: cannot exec in a stopped container", id);
        /* Even with --ignore-paused: the process would freeze on joining
         * the cgroup, with the container locked, and resume wait for it. */
        else if (st->status == RT_PAUSED)
                congo_rt_error("exec %s: cannot exec in a paused container (resume it first)", id);
        else
                congo_rt_error("exec %s: cannot exec in a container that is not running (%s)", id,
                               congo_rt_status_name(st->status));
        congo_rt_state_free(st);
        return -1;
}

static int exec_locked(const struct congo_rt *rt, int dirfd, const char *id, const struct exec_opts *o)
{
        struct session s = { .sync = { -1, -1 }, .errp = { -1, -1 }, .pidfd = -1, .master = -1,
                             .preserve_fds = o->preserve_fds };
        struct congo_rt_state st;
        int rc = CONGO_RT_FAILURE, flags;

        (void)rt;
        if (running(dirfd, id, &st) < 0)
                return CONGO_RT_FAILURE;
        if (congo_rt_exec_process(st.bundle, dirfd, o, &s.proc) < 0)
                goto out_state;
        if (s.proc.tty && o->detach && o->console_socket == NULL) {
                congo_rt_error("exec %s: cannot allocate a terminal for a detached process without --console-socket", id);
                goto out;
        }
        /* The pidfd pins the process: checked to be the container's after
         * it is opened, it cannot become another's. */
        s.pidfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
        /* Still alive after the namespaces were looked at through its pid:
         * that pid was its own all along. */
        if (s.pidfd < 0 || !congo_rt_pid_alive(st.pid, st.pid_start) || (flags = namespaces_to_join(st.pid)) < 0 ||
            syscall(SYS_pidfd_send_signal, s.pidfd, 0, NULL, 0) < 0) {
                congo_rt_error("exec %s: the container's process %d: %s", id, (int)st.pid,
                               s.pidfd < 0 ? strerror(errno) : "gone");
                goto out;
        }
        /* The caller's stdio becomes the process's: never a directory or
         * anything else that leads into the host's tree. */
        struct congo_error serr = { 0 };
        if (congo_stdio_check(&serr) < 0) {
                congo_rt_error("exec %s: %s%s%s", id, serr.msg, serr.errnum ? ": " : "",
                               serr.errnum ? strerror(serr.errnum) : "");
                goto out;
        }
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        signal(SIGPIPE, SIG_IGN);
        /* Unlocked before the process enters the container's cgroup: from
         * there on the container can hold it, forever, before it replies
         * (a container with CAP_SYS_ADMIN and a cgroup namespace freezes
         * its own cgroup when pids.current grows; SIGSTOP once it is in the
         * pid namespace), which must not keep state, list and delete
         * waiting on the lock (delete kills it).  The pidfd keeps what it
         * joins the container's, whatever another command does meanwhile. */
        congo_rt_close(dirfd);
        dirfd = -1;
        if (spawn(&s, &st, flags) < 0)
                goto out_kill;
        if ((rc = child_failure(&s, id)) != 0)
                goto out_kill;
        rc = CONGO_RT_FAILURE;
        if (s.proc.tty) {
                s.master = congo_fd_receive_now(s.sync[0]);
                if (s.master < 0) {
                        congo_rt_error("exec %s: the process sent no pseudo-terminal", id);
                        goto out_kill;
                }
                if (o->console_socket && congo_rt_send_console(o->console_socket, s.master) < 0)
                        goto out_kill;
        }
        if (o->pid_file) {
                char text[32];
                snprintf(text, sizeof text, "%d", (int)s.pid);
                if (congo_rt_write_file(AT_FDCWD, o->pid_file, text) < 0) {
                        congo_rt_error("--pid-file %s: %s", o->pid_file, strerror(errno));
                        goto out_kill;
                }
        }
        congo_info("exec %s: pid %d", id, (int)s.pid);
        rc = 0;
        if (!o->detach)
                rc = congo_rt_exec_wait(s.pid, o->console_socket ? -1 : s.master);
        s.pid = 0;
out_kill:
        if (s.pid > 0) {
                kill(s.pid, SIGKILL);
                while (waitpid(s.pid, NULL, 0) < 0 && errno == EINTR)
                        ;
        }
out:
        if (s.pidfd >= 0)
                close(s.pidfd);
        for (int i = 0; i < 2; i++) {
                if (s.sync[i] >= 0)
                        close(s.sync[i]);
                if (s.errp[i] >= 0)
                        close(s.errp[i]);
        }
        if (s.master >= 0)
                close(s.master);
        congo_rt_exec_process_free(&s.proc);
out_state:
        congo_rt_state_free(&st);
        if (dirfd >= 0)
                congo_rt_close(dirfd);
        return rc;
}

int congo_rt_exec(const struct congo_rt *rt, int argc, char **argv)
{
        struct exec_opts o = { 0 };
        int dirfd;

        if (congo_rt_run_sealed(rt->root) < 0 || parse(argc, argv, &o) < 0)
                return CONGO_RT_FAILURE;
        const char *id = argv[optind];
        if (congo_rt_open(rt, id, &dirfd) < 0)
                return CONGO_RT_FAILURE;
        return exec_locked(rt, dirfd, id, &o);
}
