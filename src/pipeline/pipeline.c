/* pipeline.c - the process model; the only file that knows the order.
 *
 *   launcher                              container process
 *   --------                              -----------------
 *   prepare hooks, in order
 *   clone(namespaces)  ------------------> waits on the sync socket
 *   for each stage: its parent hook -----> its child hook, in order
 *     (id maps, cgroup creation)            (the last one execs)
 *   started hooks (gc of stale cgroups)
 *   read the error pipe (EOF == exec ok) <- or a congo_error before exec
 *   tell $NOTIFY_SOCKET we are ready
 *   supervise: signals, time limit, pty
 *   cleanup hooks, in reverse order, on every path
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "congo/util.h"
#include "hooks.h"
#include "host_checks.h"
#include "notify.h"
#include "supervise.h"
#include "terminal.h"

const struct congo_stage *const congo_default_stages[] = {
        &congo_stage_namespaces,
        &congo_stage_rootfs,
        &congo_stage_cgroups,
        &congo_stage_env,
        &congo_stage_exec,
};
const size_t congo_default_stage_count =
        sizeof congo_default_stages / sizeof congo_default_stages[0];

/* cgroups first: prestart hooks run in the container's cgroup, and the
 * root is built only after them (pipeline.h). */
const struct congo_stage *const congo_hooks_stages[] = {
        &congo_stage_namespaces,
        &congo_stage_cgroups,
        &congo_stage_hooks,
        &congo_stage_rootfs,
        &congo_stage_env,
        &congo_stage_exec,
};
const size_t congo_hooks_stage_count = sizeof congo_hooks_stages / sizeof congo_hooks_stages[0];

const struct congo_stage *const *congo_pipeline_stages(const struct congo_spec *spec, size_t *n)
{
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                if (spec->n_hooks[k] > 0) {
                        *n = congo_hooks_stage_count;
                        return congo_hooks_stages;
                }
        *n = congo_default_stage_count;
        return congo_default_stages;
}

void congo_run_init(struct congo_run *run, const struct congo_spec *spec,
                    const struct congo_stage *const *stages, size_t n_stages)
{
        *run = (struct congo_run){
                .spec = spec, .stages = stages, .n_stages = n_stages,
                .launcher_pid = getpid(), .pty_master = -1, .tty_sock = { -1, -1 },
                .mount_sock = { -1, -1 },
                .cgroup_fd = -1, .hold_fd = -1, .parent_only_fd = -1, .sync_fd = { -1, -1 }, .err_fd = { -1, -1 },
                .ns_fd = { -1, -1, -1, -1, -1, -1, -1, -1 },
                .result = { .exit_code = -1, .wall_ms = -1,
                            .cg = { false, -1, -1, -1, -1 } },
        };
}

static void close_fd(int *fd)
{
        if (*fd >= 0)
                close(*fd);
        *fd = -1;
}

/* -vv: how long each step of the start took, for profiling. */
static double stamp;

static double now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void timing(const char *what, const char *stage)
{
        double t = now_us();

        if (congo_verbosity >= 2 && stamp > 0)
                congo_log(2, "timing: %s%s%s %.0f us", stage ? stage : "", stage ? "." : "", what, t - stamp);
        stamp = t;
}

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the container process: it runs stage i's child hook only once the
 * launcher has run stage i's parent hook, one byte per stage on the sync
 * socket, so the container sets up its root while the launcher makes its
 * cgroups.  EOF means the launcher died (or gave up): exit. */
static void wait_for_launcher(struct congo_run *run)
{
        char go;

        if (read(run->sync_fd[0], &go, 1) != 1)
                _exit(CONGO_EXIT_FAILURE);
}

/* In the container process: never returns. */
static void __attribute__((noreturn)) child_main(struct congo_run *run)
{
        struct congo_error err = { 0 };
        sigset_t none;

        /* First: while we hold it, a killed runtime leaves its state
         * directory locked, and every command on the id waits on us. */
        close_fd(&run->parent_only_fd);
        close_fd(&run->sync_fd[1]);
        close_fd(&run->err_fd[0]);
        close_fd(&run->tty_sock[0]);
        close_fd(&run->mount_sock[0]);
        /* The host's cgroup directory (clone3 started us in it): nothing
         * here needs it, and an fd of a host directory is a way out. */
        close_fd(&run->cgroup_fd);
        /* If the launcher dies, so does the container.  The first sync read
         * closes the race where it died before this line: EOF, not "g".
         * Detached (the OCI create), the container outlives the runtime:
         * no death signal; EOF on the sync socket, up to the commit at the
         * hold, is what ends it when the runtime dies. */
        if (!run->detached)
                prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* Outside a new pid namespace getppid() tells it at once (inside
         * one, made or joined, it is 0 whatever happens, and the sync read
         * does the work). */
        if (!(run->clone_flags & CLONE_NEWPID) && !(congo_spec_joined(run->spec) & CONGO_NS_PID) &&
            getppid() != run->launcher_pid)
                _exit(CONGO_EXIT_FAILURE);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (size_t i = 0; i < run->n_stages && err.msg[0] == '\0'; i++) {
                const struct congo_stage *st = run->stages[i];
                wait_for_launcher(run);
                if (i == 0) {
                        /* Keep /proc/PID/exe (the launcher's binary) out of
                         * reach; not before the first parent hook, so that a
                         * rootless launcher can write our uid_map.  And a
                         * session of its own: no controlling terminal unless
                         * the exec stage gives it a pty. */
                        prctl(PR_SET_DUMPABLE, 0);
                        if (setsid() < 0) {
                                congo_error_set(&err, errno, "setsid");
                                break;
                        }
                }
                if (st->child && st->child(run, &err) < 0) {
                        if (err.stage[0] == '\0')
                                snprintf(err.stage, sizeof err.stage, "%s", st->name);
                        if (err.msg[0] == '\0')
                                snprintf(err.msg, sizeof err.msg, "failed");
                }
        }
        if (err.msg[0] == '\0')
                congo_error_set(&err, 0, "the pipeline ended without executing the command");
        if (err.status == 0)
                err.status = CONGO_EXIT_FAILURE;
        congo_child_report(run, &err);
        _exit(err.status);
}

void congo_child_report(struct congo_run *run, const struct congo_error *err)
{
        /* Past the hold, the runtime that would read the pipe is gone:
         * the container's stderr is where its caller looks. */
        if (run->err_fd[1] < 0) {
                congo_error_print(err, stderr);
                fflush(stderr);
        } else if (write(run->err_fd[1], err, sizeof *err) < 0) {
                /* nothing more to tell anyone */
        }
}

static pid_t clone_child(struct congo_run *run)
{
#ifdef CLONE_INTO_CGROUP
        if (run->cgroup_fd >= 0) {
                struct clone_args args = {
                        .flags = run->clone_flags | CLONE_INTO_CGROUP,
                        .exit_signal = SIGCHLD,
                        .cgroup = (uint64_t)run->cgroup_fd,
                };
                pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
                if (pid >= 0) {
                        run->in_cgroup = true;
                        return pid;
                }
                /* Old kernel or no permission: clone, then write cgroup.procs. */
        }
#endif
        return (pid_t)syscall(SYS_clone, run->clone_flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/* A joined user namespace (namespace_paths.user) must own the namespaces
 * made for the container, the pid namespace included, or its root could
 * not mount /proc nor set its host name: they are made by a process
 * already in it.  The launcher keeps the host's credentials, so a helper
 * joins and clones with CLONE_PARENT, as runc's nsexec does: the
 * container is the launcher's child all the same.  The helper says the
 * pid (or what failed) on a pipe and exits.  Returns the pid, 0 in the
 * container, or -1 with err set. */
static pid_t clone_in_user_ns(struct congo_run *run, struct congo_error *err)
{
        int p[2];
        struct { pid_t pid; int errnum; bool setns_failed; } r = { -1, 0, false };

        if (pipe2(p, O_CLOEXEC) < 0)
                return congo_error_set(err, errno, "pipe");
        pid_t helper = fork();
        if (helper == 0) {
                close(p[0]);
                if (setns(run->ns_fd[5], CLONE_NEWUSER) < 0) {
                        r.errnum = errno;
                        r.setns_failed = true;
                } else {
                        r.pid = (pid_t)syscall(SYS_clone, run->clone_flags | CLONE_PARENT | SIGCHLD,
                                               NULL, NULL, NULL, NULL);
                        if (r.pid == 0) {
                                close(p[1]);
                                return 0;
                        }
                        r.errnum = errno;
                }
                _exit(write(p[1], &r, sizeof r) == (ssize_t)sizeof r ? 0 : 1);
        }
        int e = errno;
        close(p[1]);
        if (helper > 0) {
                ssize_t n;
                while ((n = read(p[0], &r, sizeof r)) < 0 && errno == EINTR)
                        ;
                if (n != (ssize_t)sizeof r)
                        r = (typeof(r)){ -1, EIO, false };
                while (waitpid(helper, NULL, 0) < 0 && errno == EINTR)
                        ;
        }
        close(p[0]);
        if (helper < 0)
                return congo_error_set(err, e, "fork");
        if (r.setns_failed)
                return congo_error_set(err, r.errnum, "namespace_paths.user: setns(%s)",
                                       run->spec->ns_paths[5]);
        if (r.pid < 0)
                return congo_explain_clone_failure(r.errnum, run->clone_flags, err);
        return r.pid;
}

static void name_stage(struct congo_error *err, const char *name)
{
        if (err->stage[0] == '\0')
                snprintf(err->stage, sizeof err->stage, "%s", name);
}

/* Kill the half-started child and collect it. */
static void abandon_child(struct congo_run *run)
{
        if (run->pid > 0) {
                kill(run->pid, SIGKILL);
                while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                run->pid = 0;
        }
}

/* What the child reported on the error pipe, if it failed before exec;
 * reads until EOF, so only once the child has exec'd or exited. */
static bool child_failed(struct congo_run *run, struct congo_error *err)
{
        struct congo_error child_err;
        ssize_t n;

        while ((n = read(run->err_fd[0], &child_err, sizeof child_err)) < 0 && errno == EINTR)
                ;
        close_fd(&run->err_fd[0]);
        /* One byte 'p': a detached child reached its hold (hold.c). */
        if (n == 1 && run->detached && *(char *)&child_err == 'p')
                run->parked = true;
        if (n != (ssize_t)sizeof child_err)
                return false;
        child_err.msg[sizeof child_err.msg - 1] = '\0';
        child_err.stage[sizeof child_err.stage - 1] = '\0';
        *err = child_err;
        return true;
}

static int start(struct congo_run *run, struct congo_error *err)
{
        timing("start", NULL);
        for (size_t i = 0; i < run->n_stages; i++) {
                const struct congo_stage *st = run->stages[i];
                run->prepared = i + 1;
                if (st->prepare && st->prepare(run, err) < 0) {
                        name_stage(err, st->name);
                        return -1;
                }
                if (st->prepare)
                        timing("prepare", st->name);
        }
        if (congo_terminal_open(run, err) < 0)
                return -1;
        /* A socket, not a pipe: a child that died early must not kill the
         * launcher with SIGPIPE (send takes MSG_NOSIGNAL). */
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, run->sync_fd) < 0 ||
            pipe2(run->err_fd, O_CLOEXEC) < 0)
                return congo_error_set(err, errno, "socketpair");

        run->result.wall_ms = now_ms();
        if (run->ns_fd[5] >= 0) {
                run->pid = clone_in_user_ns(run, err);
                if (run->pid < 0) {
                        run->pid = 0;
                        name_stage(err, "namespaces");
                        return -1;
                }
        } else if ((run->pid = clone_child(run)) < 0) {
                run->pid = 0;
                name_stage(err, "namespaces");
                return congo_explain_clone_failure(errno, run->clone_flags, err);
        }
        if (run->pid == 0)
                child_main(run);
        run->created = true;
        timing("clone", NULL);
        close_fd(&run->sync_fd[0]);
        close_fd(&run->err_fd[1]);
        close_fd(&run->tty_sock[1]);
        close_fd(&run->mount_sock[1]);

        for (size_t i = 0; i < run->n_stages; i++) {
                const struct congo_stage *st = run->stages[i];
                if (st->parent && st->parent(run, err) < 0) {
                        name_stage(err, st->name);
                        abandon_child(run);
                        /* The child's own failure, if it had one, came first. */
                        child_failed(run, err);
                        return -1;
                }
                if (st->parent)
                        timing("parent", st->name);
                if (send(run->sync_fd[1], "g", 1, MSG_NOSIGNAL) != 1)
                        break;   /* the child is gone: the error pipe says why */
        }
        /* sync_fd[1] stays open to the end: PID 1 checks by it that the
         * launcher is alive, and reports the command's status on it. */
        timing("release", NULL);
        for (size_t i = 0; i < run->n_stages; i++)
                if (run->stages[i]->started)
                        run->stages[i]->started(run);
        timing("started hooks", NULL);

        /* EOF: the command was executed.  A full struct: a stage failed. */
        bool failed = child_failed(run, err);
        timing("child hooks until exec", NULL);
        if (failed) {
                while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                run->pid = 0;
                return -1;
        }
        return 0;
}

static void cleanup_all(struct congo_run *run)
{
        for (size_t i = run->prepared; i-- > 0;)
                if (run->stages[i]->cleanup) {
                        run->stages[i]->cleanup(run);
                        timing("cleanup", run->stages[i]->name);
                }
        run->prepared = 0;
}

static void close_all(struct congo_run *run)
{
        close_fd(&run->sync_fd[0]);
        close_fd(&run->sync_fd[1]);
        close_fd(&run->err_fd[0]);
        close_fd(&run->err_fd[1]);
        close_fd(&run->pty_master);
        close_fd(&run->tty_sock[0]);
        close_fd(&run->tty_sock[1]);
        close_fd(&run->mount_sock[0]);
        close_fd(&run->mount_sock[1]);
}

int congo_pipeline_create(struct congo_run *run, struct congo_error *err)
{
        int status = CONGO_EXIT_FAILURE;

        if (start(run, err) == 0) {
                if (run->parked)
                        return 0;
                /* EOF without the byte: it died, or exec'd without a hold. */
                congo_error_set(err, 0, "the container's process ended before it was ready");
                abandon_child(run);
        }
        if (err->status != 0)
                status = err->status;
        cleanup_all(run);
        close_all(run);
        return status;
}

int congo_pipeline_commit(struct congo_run *run, struct congo_error *err)
{
        if (send(run->sync_fd[1], "c", 1, MSG_NOSIGNAL) != 1)
                return congo_error_set(err, errno, "the container's process ended before it was started");
        close_all(run);
        /* The launcher's own memory and fds, not the container's: the
         * cleanup hooks would undo the container (its cgroup), so these
         * go by hand. */
        congo_strv_free(run->envp);
        run->envp = NULL;
        close_fd(&run->cgroup_fd);
        congo_cgroup_release(&run->cgroup);
        run->prepared = 0;
        return 0;
}

void congo_pipeline_abandon(struct congo_run *run)
{
        abandon_child(run);
        cleanup_all(run);
        close_all(run);
}

int congo_pipeline_run(struct congo_run *run, struct congo_error *err)
{
        sigset_t old;
        int status = CONGO_EXIT_FAILURE;

        /* Block what we forward before the child exists, so none is lost;
         * the child unblocks them first thing. */
        congo_supervise_block(&old);
        if (start(run, err) == 0) {
                struct congo_error warn = { 0 };
                congo_hooks_run(run, CONGO_HOOK_POSTSTART, &warn);
                /* Ready means the command runs: the error pipe closed on
                 * its exec, not merely on the child's release. */
                congo_notify_ready(run->launcher_pid);
                if (run->on_running)
                        run->on_running(run, run->on_running_ctx);
                status = congo_supervise(run);
                timing("run", NULL);
        } else if (err->status != 0) {
                status = err->status;
        }
        if (run->result.wall_ms >= 0)
                run->result.wall_ms = now_ms() - run->result.wall_ms;
        run->result.exit_code = status;
        congo_terminal_restore(run);
        cleanup_all(run);
        close_all(run);
        /* runtime.md: after the container is deleted, also when its
         * start failed; a failure is a warning. */
        if (run->created) {
                struct congo_error warn = { 0 };
                congo_hooks_run(run, CONGO_HOOK_POSTSTOP, &warn);
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
        congo_supervise_report(run);
        return status;
}

void congo_pipeline_describe(struct congo_run *run, FILE *out)
{
        fprintf(out, "# congo-launch --dry-run: %s (nothing is done)\n", run->spec->name);
        for (size_t i = 0; i < run->n_stages; i++) {
                const struct congo_stage *st = run->stages[i];
                fprintf(out, "%zu. %s\n", i + 1, st->name);
                if (st->describe)
                        st->describe(run, out);
        }
}
