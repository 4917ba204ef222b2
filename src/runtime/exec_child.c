/* exec_child.c - the process side of `congo exec`.
 *
 * The runtime forks this, puts it in the container's cgroup and lets it
 * go.  It joins every namespace the container has and we do not, all at
 * once through a pidfd of the container's first process (setns(2) with a
 * pidfd: the user namespace first, then the rest, by the kernel, with no
 * /proc path and no pid that could be reused).  A pid namespace applies
 * to children only, so it forks the command's process into it, hands its
 * pid to the runtime and exits: the runtime (a subreaper) is then that
 * process's parent, and with --detach the runtime's caller is.
 *
 * The command's process is in the container and holds nothing of the
 * host but its stdio and two pipes to the runtime: the runtime closed
 * every other fd before forking.  It is not dumpable (set by the runtime
 * before the fork, kept since), so nothing in the container can ptrace
 * it or open /proc/PID/exe, /proc/PID/fd or /proc/PID/mem while it still
 * is congo; and the runtime runs from a sealed memfd copy of itself
 * (exec.c), so even a process with CAP_SYS_PTRACE that reaches its exe
 * reaches a copy nobody can write.  Nothing here reads /proc: the
 * container's /proc may be anything.  Paths (the cwd, /dev/ptmx) resolve
 * inside the container's root with no magic link.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <linux/keyctl.h>
#include <unistd.h>

#include "cleanup.h"
#include "congo/util.h"
#include "exec.h"
#include "root_path.h"
#include "security.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static void __attribute__((noreturn)) fail(const struct exec_child *c, struct congo_error *err)
{
        if (err->status == 0)
                err->status = CONGO_EXIT_FAILURE;
        if (write(c->err, err, sizeof *err) < 0) {
                /* the runtime is gone: nobody to tell */
        }
        _exit(err->status);
}

/* The container's pty: its /dev/ptmx (often a symlink to pts/ptmx),
 * resolved in its root and checked to be the ptmx device before it is
 * opened for real; the other side by TIOCGPTPEER, with no path. */
static int open_pty(int rootfd, int *slave, struct congo_error *err)
{
        struct stat st;
        _cleanup_close_ int probe = congo_root_open(rootfd, "/dev/ptmx", O_PATH);

        if (probe < 0 || fstat(probe, &st) < 0)
                return congo_error_set(err, errno, "terminal: the container's /dev/ptmx");
        if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
                return congo_error_set(err, 0, "terminal: the container's /dev/ptmx is not the pty multiplexer");
        int master = congo_root_open(rootfd, "/dev/ptmx", O_RDWR | O_NOCTTY);
        if (master < 0)
                return congo_error_set(err, errno, "terminal: opening the container's /dev/ptmx");
        if (fstat(master, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2)) {
                close(master);
                return congo_error_set(err, 0, "terminal: the container's /dev/ptmx changed under us");
        }
        int unlock = 0;
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
            (*slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
                int e = errno;
                close(master);
                return congo_error_set(err, e, "terminal: opening the pty's other side");
        }
        return master;
}

/* The pty becomes stdio and the controlling terminal of a new session;
 * its master goes to the runtime. */
static int attach_pty(const struct exec_child *c, int rootfd, struct congo_error *err)
{
        int slave = -1;
        int master = open_pty(rootfd, &slave, err);

        if (master < 0)
                return -1;
        int rc = 0;
        if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
                rc = congo_error_set(err, errno, "terminal: making it the controlling terminal");
        for (int fd = 0; rc == 0 && fd < 3; fd++)
                if (dup2(slave, fd) < 0)
                        rc = congo_error_set(err, errno, "terminal: dup2");
        if (rc == 0 && congo_fd_send(c->sync, master, "t", 1) < 0)
                rc = congo_error_set(err, errno, "terminal: handing the pty to the runtime");
        close(slave);
        close(master);
        return rc;
}

/* cwd inside the container's root, as the launch path does it since
 * CVE-2024-21626: no magic link (/proc/self/fd/N), no way out by "..". */
static int enter_cwd(int rootfd, const char *cwd, struct congo_error *err)
{
        _cleanup_close_ int fd = congo_root_open(rootfd, cwd, O_PATH | O_DIRECTORY);

        if (fd < 0)
                return congo_error_set(err, errno, "cwd: \"%s\"%s", cwd,
                                       errno == ELOOP || errno == EXDEV
                                               ? " goes through a magic link (/proc/PID/fd, cwd, root...)"
                                               : "");
        if (fchdir(fd) < 0)
                return congo_error_set(err, errno, "cwd: chdir(\"%s\")", cwd);
        return 0;
}

static void __attribute__((noreturn)) command_side(const struct exec_child *c)
{
        const struct congo_spec *s = &c->proc->spec;
        struct congo_error err = { .stage = "exec" };
        sigset_t none;
        char go;

        /* The runtime has reaped our first parent: it is our parent now
         * (a subreaper), so the death signal set with the identity below
         * would name it, and is cleared. */
        if (read(c->sync, &go, 1) != 1)
                _exit(CONGO_EXIT_FAILURE);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        /* setns(CLONE_NEWNS) made the namespace's root ours. */
        _cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0) {
                congo_error_set(&err, errno, "opening the container's root");
                fail(c, &err);
        }
        if ((c->proc->tty && attach_pty(c, rootfd, &err) < 0) || enter_cwd(rootfd, s->cwd, &err) < 0)
                fail(c, &err);
        /* A session of its own, as the container's process: the caller's
         * terminal, if its stdio is one, is not its controlling terminal
         * (no TIOCSTI into the caller's shell, no job control signals). */
        if (!c->proc->tty && setsid() < 0) {
                congo_error_set(&err, errno, "setsid");
                fail(c, &err);
        }
        close(rootfd);
        rootfd = -1;
        /* A session keyring of its own, anonymous: not the caller's (root's
         * keys on the host), which it would otherwise inherit. */
        if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 && errno != ENOSYS) {
                congo_error_set(&err, errno, "a new session keyring");
                fail(c, &err);
        }
        if (congo_exec_limits(s, &err) < 0 || congo_security_apply(s, &err) < 0)
                fail(c, &err);
        /* The process outlives the runtime with --detach: no death signal
         * (security.c set one with the identity). */
        if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) {
                congo_error_set(&err, errno, "PR_SET_PDEATHSIG");
                fail(c, &err);
        }
        /* The caller's --preserve-fds stay (opened before ours, below). */
        for (int fd = 3; fd < 3 + c->preserve_fds; fd++)
                if (fcntl(fd, F_SETFD, 0) < 0) {
                        congo_error_set(&err, errno, "--preserve-fds: fd %d", fd);
                        fail(c, &err);
                }
        syscall(SYS_close_range, 3 + (unsigned)c->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC);
        congo_exec_argv(s, c->proc->envp, &err);
        fail(c, &err);
}

static int join(const struct exec_child *c, struct congo_error *err)
{
        const struct congo_spec *s = &c->proc->spec;

        /* In the host's /proc, before the container's is anywhere near. */
        if (s->process.oom_score_adj_set) {
                char text[16];
                int len = snprintf(text, sizeof text, "%d", s->process.oom_score_adj);
                _cleanup_close_ int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
                if (fd < 0 || write(fd, text, (size_t)len) != len)
                        return congo_error_set(err, errno, "oom_score_adj: writing %s", text);
        }
        if (c->ns_flags != 0 && setns(c->pidfd, c->ns_flags) < 0)
                return congo_error_set(err, errno, "joining the container's namespaces (setns)");
        close(c->pidfd);
        return 0;
}

void congo_rt_exec_child(const struct exec_child *c)
{
        struct congo_error err = { .stage = "exec" };
        char go;

        /* The runtime has put us in the container's cgroup. */
        if (read(c->sync, &go, 1) != 1)
                _exit(CONGO_EXIT_FAILURE);
        if (join(c, &err) < 0)
                fail(c, &err);
        pid_t pid = fork();
        if (pid < 0) {
                congo_error_set(&err, errno, "fork");
                fail(c, &err);
        }
        if (pid == 0)
                command_side(c);
        if (write(c->sync, &pid, sizeof pid) != sizeof pid)
                _exit(CONGO_EXIT_FAILURE);
        _exit(0);
}
