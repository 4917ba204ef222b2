/* hooks.c - runs the OCI hooks a spec names (config.md "POSIX-platform
 * Hooks", runtime.md "Lifecycle"), for whichever process reaches a hook
 * point: the hooks stage (src/stages/stage_hooks.c), the rootfs and exec
 * stages, and pipeline.c.  pipeline.h lists every hook point.
 *
 * A hook is trusted as the command line is: the spec's author wrote it
 * and the launcher runs it as itself.  What is not trusted is the image:
 * every hook but startContainer is executed from the launcher's or a
 * still-unpivoted mount namespace, where the rootfs is one directory among
 * others and its path never takes part in resolving the hook's.  Only
 * startContainer runs inside the container's root (as the spec requires),
 * and then with the command's own credentials, capabilities, seccomp
 * filter and no_new_privs, never more.
 *
 * Each hook gets:
 *   stdin   the state JSON {ociVersion, id, status, pid, bundle,
 *           annotations (the spec's)}, written into a pipe before it starts (so no
 *           write can block on, or be killed by SIGPIPE from, a hook that
 *           does not read it), then end of file;
 *   argv    args as written (argv[0] is args[0]), or the path alone;
 *   envp    env as written, or nothing at all;
 *   fds     stdout and stderr of its caller; every other fd closed;
 *   signals an empty mask, default dispositions, SIGKILL if the process
 *           that started it dies;
 *   group   a process group of its own, killed whole at the timeout (and,
 *           for prestart and createRuntime, when the launcher is told to
 *           stop: nothing else would forward SIGINT to it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The state a pipe holds without a reader: what F_SETPIPE_SZ may ask for
 * unprivileged (/proc/sys/fs/pipe-max-size's default). */
#define STATE_MAX (1024 * 1024)

/* runtime.md's status at each hook point. */
static const char *const status_at[CONGO_HOOK_NKINDS] = {
        [CONGO_HOOK_PRESTART] = "creating", [CONGO_HOOK_CREATE_RUNTIME] = "creating",
        [CONGO_HOOK_CREATE_CONTAINER] = "creating", [CONGO_HOOK_START_CONTAINER] = "created",
        [CONGO_HOOK_POSTSTART] = "running", [CONGO_HOOK_POSTSTOP] = "stopped",
};

bool congo_hooks_at_create(const struct congo_spec *spec)
{
        return spec->n_hooks[CONGO_HOOK_PRESTART] || spec->n_hooks[CONGO_HOOK_CREATE_RUNTIME] ||
               spec->n_hooks[CONGO_HOOK_CREATE_CONTAINER] ||
               spec->n_hooks[CONGO_HOOK_START_CONTAINER];
}

/* The container's first process as the runtime namespace numbers it: the
 * launcher knows it; inside, the hooks stage left it in shared memory
 * (getpid() there is 1, or its pid in the container's namespace). */
static pid_t container_pid(const struct congo_run *run)
{
        if (getpid() == run->launcher_pid)
                return run->pid;
        return run->hook_pid ? *run->hook_pid : 0;
}

/* The spec's annotations (an OCI bundle's, kept as given), or NULL. */
static json_t *annotations(const struct congo_spec *s)
{
        json_t *a = json_object();

        for (size_t i = 0; a && i < s->n_annotations; i++)
                if (json_object_set_new(a, s->annotations[i].name,
                                        json_string(s->annotations[i].value)) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

/* The state JSON, or NULL after filling err. */
static char *state_json(const struct congo_run *run, enum congo_hook_kind kind,
                        struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        json_t *o = json_object();
        pid_t pid = container_pid(run);
        char *text = NULL;

        if (o == NULL)
                goto out;
        if (json_object_set_new(o, "ociVersion", json_string("1.1.0")) < 0 ||
            json_object_set_new(o, "id", json_string(s->name ? s->name : "")) < 0 ||
            json_object_set_new(o, "status", json_string(status_at[kind])) < 0 ||
            (kind != CONGO_HOOK_POSTSTOP && pid > 0 &&
             json_object_set_new(o, "pid", json_integer(pid)) < 0) ||
            json_object_set_new(o, "bundle", json_string(s->dir ? s->dir : "/")) < 0 ||
            json_object_set_new(o, "annotations", annotations(s)) < 0)
                goto out;
        text = json_dumps(o, JSON_COMPACT);
out:
        json_decref(o);
        if (text == NULL)
                congo_error_set(err, 0, "hooks.%s: cannot write the state JSON (is the spec's directory valid UTF-8?)",
                                congo_hook_kind_name(kind));
        return text;
}

/* A pipe already holding the state, its write end closed: the hook's
 * stdin.  The read end, or -1. */
static int state_pipe(const char *state, const char *name, struct congo_error *err)
{
        size_t len = strlen(state), done = 0;
        int p[2];

        if (len > STATE_MAX)
                return congo_error_set(err, 0, "%s: the state JSON is larger than %d bytes", name, STATE_MAX);
        if (pipe2(p, O_CLOEXEC) < 0)
                return congo_error_set(err, errno, "%s: pipe", name);
        if (len > 4096 && fcntl(p[1], F_SETPIPE_SZ, (int)len) < 0) {
                congo_error_set(err, errno, "%s: a pipe for %zu bytes of state", name, len);
                goto fail;
        }
        while (done < len) {
                ssize_t n = write(p[1], state + done, len - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        congo_error_set(err, errno, "%s: writing the state", name);
                        goto fail;
                }
                done += (size_t)n;
        }
        close(p[1]);
        return p[0];
fail:
        close(p[0]);
        close(p[1]);
        return -1;
}

/* In the forked hook process: never returns.  Reports an exec failure's
 * errno on report (close-on-exec: EOF means the exec happened). */
static void __attribute__((noreturn)) exec_hook(const struct congo_hook *h, int in, int report,
                                               pid_t parent)
{
        char *path_only[] = { h->path, NULL };
        char *no_env[] = { NULL };
        sigset_t none;
        int e = ESRCH;

        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)   /* it died before the line above */
                goto fail;
        setpgid(0, 0);
        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        signal(sig, SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (in == 0 ? fcntl(0, F_SETFD, 0) < 0 : dup2(in, 0) < 0) {
                e = errno;
                goto fail;
        }
        /* Nothing of the caller's but stdio: mark the rest close-on-exec
         * (the report pipe must stay open until the exec). */
        if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                for (int fd = 3; fd < 65536; fd++)
                        fcntl(fd, F_SETFD, FD_CLOEXEC);
        execve(h->path, h->args ? h->args : path_only, h->env ? h->env : no_env);
        e = errno;
fail:
        if (write(report, &e, sizeof e) < 0) {
                /* the caller sees EOF and an exit status of 127 */
        }
        _exit(127);
}

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the hook: 1 when it ended (*wstatus), 0 at its timeout
 * (timeout_s, 0: none), or -N when signal N came first on sigfd (-1:
 * none).  A pidfd where the kernel allows one and no seccomp filter of
 * the spec's can be in the way (pidfd false: a profile may kill on a call
 * it does not list), else a short sleep between looks. */
static int wait_hook(pid_t pid, unsigned timeout_s, bool pidfd, int sigfd, int *wstatus)
{
        int64_t deadline = now_ms() + (int64_t)timeout_s * 1000;
        _cleanup_close_ int pfd = -1;

        if (timeout_s > 0 || sigfd >= 0) {
                pfd = pidfd ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
                for (;;) {
                        pid_t got = pfd < 0 ? waitpid(pid, wstatus, WNOHANG) : 0;
                        if (got == pid || (got < 0 && errno != EINTR))
                                return 1;
                        int64_t left = timeout_s ? deadline - now_ms() : INT32_MAX;
                        if (left <= 0)
                                return 0;
                        struct pollfd p[2] = { { .fd = pfd, .events = POLLIN },
                                               { .fd = sigfd, .events = POLLIN } };
                        poll(p, 2, pfd >= 0 ? (int)left : left < 5 ? (int)left : 5);
                        if (p[1].revents & POLLIN) {
                                struct signalfd_siginfo si;
                                if (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si)
                                        return -(int)si.ssi_signo;
                        }
                        if (p[0].revents & POLLIN)
                                break;
                }
        }
        while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
                ;
        return 1;
}

/* Runs one hook to its end; name (its path) starts every message. */
static int run_one(const struct congo_hook *h, const char *state, const char *name,
                   bool pidfd, int sigfd, struct congo_error *err)
{
        pid_t self = getpid();
        int report[2], wstatus = 0, e = 0;
        _cleanup_close_ int in = state_pipe(state, name, err);

        if (in < 0)
                return -1;
        if (pipe2(report, O_CLOEXEC) < 0)
                return congo_error_set(err, errno, "%s: pipe", name);
        pid_t pid = fork();
        if (pid < 0) {
                close(report[0]);
                close(report[1]);
                return congo_error_set(err, errno, "%s: fork", name);
        }
        if (pid == 0)
                exec_hook(h, in, report[1], self);
        /* Its own group from the start, whichever of us runs first. */
        setpgid(pid, pid);
        close(report[1]);
        ssize_t n;
        while ((n = read(report[0], &e, sizeof e)) < 0 && errno == EINTR)
                ;
        close(report[0]);
        if (n == (ssize_t)sizeof e) {
                wait_hook(pid, 0, pidfd, -1, &wstatus);
                return congo_error_set(err, e, "%s: cannot execute it", name);
        }
        int ended = wait_hook(pid, h->timeout, pidfd, sigfd, &wstatus);
        if (ended <= 0) {
                kill(-pid, SIGKILL);
                kill(pid, SIGKILL);
                wait_hook(pid, 0, pidfd, -1, &wstatus);
        }
        if (ended == 0)
                return congo_error_set(err, 0, "%s: killed at its timeout of %us", name, h->timeout);
        if (ended < 0)
                return congo_error_set(err, 0, "%s: killed: the launcher got signal %d (%s)", name,
                                       -ended, strsignal(-ended));
        if (WIFSIGNALED(wstatus))
                return congo_error_set(err, 0, "%s: killed by signal %d (%s)", name,
                                       WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
        if (WEXITSTATUS(wstatus) != 0)
                return congo_error_set(err, 0, "%s: exited with %d", name, WEXITSTATUS(wstatus));
        return 0;
}

/* While the launcher runs a prestart or createRuntime hook, the signals
 * it would forward have nowhere to go: one that would end it (SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT; blocked since before the clone) ends the hook
 * and the start instead.  -1 elsewhere: inside the container, and once
 * the command runs (then the signal is the container's, after the hook). */
static int start_signals(const struct congo_run *run, enum congo_hook_kind kind)
{
        sigset_t set;

        if ((kind != CONGO_HOOK_PRESTART && kind != CONGO_HOOK_CREATE_RUNTIME) ||
            getpid() != run->launcher_pid)
                return -1;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGQUIT);
        return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int congo_hooks_run(struct congo_run *run, enum congo_hook_kind kind, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        bool warn_only = kind == CONGO_HOOK_POSTSTART || kind == CONGO_HOOK_POSTSTOP;

        if (s->n_hooks[kind] == 0)
                return 0;
        _cleanup_free_ char *state = state_json(run, kind, err);
        if (state == NULL) {
                snprintf(err->stage, sizeof err->stage, "hooks");
                return warn_only ? (congo_error_print(err, stderr), 0) : -1;
        }
        _cleanup_close_ int sigfd = start_signals(run, kind);
        for (size_t i = 0; i < s->n_hooks[kind]; i++) {
                const struct congo_hook *h = &s->hooks[kind][i];
                struct congo_error one = { 0 };

                snprintf(one.stage, sizeof one.stage, "hooks.%s[%zu]", congo_hook_kind_name(kind), i);
                congo_info("%s: running %s", one.stage, h->path);
                if (run_one(h, state, h->path, kind != CONGO_HOOK_START_CONTAINER, sigfd, &one) == 0)
                        continue;
                one.status = CONGO_EXIT_FAILURE;
                if (!warn_only) {
                        *err = one;
                        return -1;
                }
                /* runtime.md: a warning, and the lifecycle goes on. */
                congo_error_print(&one, stderr);
        }
        return 0;
}
