/* stage_exec.c - the last stage: oom_score_adj (from the launcher),
 * rlimits, umask, personality, identity, capabilities, no_new_privs,
 * seccomp, fds, and execve of the command, looked up in the container's
 * PATH inside the new root. */
#include "config.h"

#include <errno.h>
#include <linux/keyctl.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "cleanup.h"
#include "congo/util.h"
#include "hooks.h"
#include "security.h"
#include "terminal.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int apply_rlimits(const struct congo_spec *s, struct congo_error *err)
{
        for (size_t i = 0; i < s->limits.n_rlimits; i++) {
                const struct congo_rlimit *r = &s->limits.rlimits[i];
                struct rlimit rl = { (rlim_t)r->soft, (rlim_t)r->hard };
                if (setrlimit(r->resource, &rl) < 0)
                        return congo_error_set(err, errno, "setrlimit(%s)", congo_rlimit_name(r->resource));
        }
        return 0;
}

/* Written by the launcher into the host's /proc while the child waits,
 * so that its PID 1 and everything it forks inherit it; the kernel asks
 * for CAP_SYS_RESOURCE (in the initial user namespace) to lower it. */
static int exec_parent(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        char path[64], text[16];

        if (!s->process.oom_score_adj_set)
                return 0;
        snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)run->pid);
        int len = snprintf(text, sizeof text, "%d", s->process.oom_score_adj);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, text, (size_t)len) != len)
                return congo_error_set(err, errno, "oom_score_adj: writing %s to %s%s", text, path,
                                       errno == EACCES ? " (lowering it needs CAP_SYS_RESOURCE)" : "");
        return 0;
}

/* The process attributes that need no privilege: the umask its files are
 * made with, and the execution domain (before seccomp, which may filter
 * personality(2)). */
static int apply_process(const struct congo_spec *s, struct congo_error *err)
{
        umask((mode_t)s->process.umask);
        if (s->process.personality == CONGO_PERS_LINUX32 && personality(PER_LINUX32) < 0)
                return congo_error_set(err, errno, "personality(linux32)");
        return 0;
}

/* Every fd above 2 is closed at exec: the error pipe must live until then,
 * so mark them close-on-exec rather than closing them now.  The runtime's
 * --preserve-fds N keeps the caller's 3..3+N-1 (the pipeline's own fds
 * were opened after them, so above). */
static int cloexec_fds(const struct congo_run *run, struct congo_error *err)
{
        unsigned first = 3 + (unsigned)run->preserve_fds;

        for (int fd = 3; fd < (int)first; fd++)
                if (fcntl(fd, F_SETFD, 0) < 0)
                        return congo_error_set(err, errno, "--preserve-fds: fd %d", fd);
        if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return congo_error_set(err, errno, "getrlimit");
        for (int fd = (int)first; fd < (int)rl.rlim_cur && fd < 65536; fd++)
                fcntl(fd, F_SETFD, FD_CLOEXEC);
        return 0;
}

/* The runtime's containers get a session keyring of their own, as runc's
 * do (--no-new-keyring: the caller's is kept): the keys of the session
 * that ran the runtime are not the container's.  Anonymous, so never one
 * that someone else made under a name.  A kernel without keys (ENOSYS), or
 * an outer seccomp filter that forbids keyctl (EPERM): as if asked not to. */
static int join_keyring(const struct congo_run *run, struct congo_error *err)
{
        if (!run->new_keyring || syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) >= 0)
                return 0;
        if (errno == ENOSYS || errno == EPERM) {
                congo_info("no session keyring of its own: keyctl: %s", strerror(errno));
                return 0;
        }
        return congo_error_set(err, errno, "keyctl(KEYCTL_JOIN_SESSION_KEYRING)");
}

static const char *env_path(char *const *envp)
{
        for (; envp && *envp; envp++)
                if (strncmp(*envp, "PATH=", 5) == 0)
                        return *envp + 5;
        /* No PATH at all (an OCI bundle's env may name none): execvp's
         * default, confstr(_CS_PATH). */
        return "/bin:/usr/bin";
}

static int exec_failed(const char *path, int e, struct congo_error *err)
{
        int status = e == ENOENT || e == ENOTDIR ? CONGO_EXIT_NOT_FOUND : CONGO_EXIT_CANNOT_EXEC;

        return congo_error_set_status(err, status, e, "%s", path);
}

static int exec_command(struct congo_run *run, struct congo_error *err)
{
        char *const *argv = run->spec->command;
        const char *file = argv[0];
        char path[4096];
        int denied = 0;

        if (strchr(file, '/')) {
                execve(file, argv, run->envp);
                return exec_failed(file, errno, err);
        }
        /* As execvp does, but with the container's PATH, not ours. */
        for (const char *dir = env_path(run->envp); *dir;) {
                size_t len = strcspn(dir, ":");
                snprintf(path, sizeof path, "%.*s/%s", (int)(len ? len : 1), len ? dir : ".", file);
                execve(path, argv, run->envp);
                if (errno == EACCES || errno == ENOEXEC || errno == EPERM)
                        denied = errno;
                else if (errno != ENOENT && errno != ENOTDIR)
                        return exec_failed(path, errno, err);
                dir += len + (dir[len] == ':');
        }
        if (denied)
                return exec_failed(file, denied, err);
        return congo_error_set_status(err, CONGO_EXIT_NOT_FOUND, 0,
                                      "%s: command not found in PATH=%s", file, env_path(run->envp));
}

/* A pid namespace always gets the launcher's PID 1 (init.c says why);
 * without one, init: true asks for the reaper. */
static bool init_wanted(const struct congo_run *run)
{
        return (run->clone_flags & CLONE_NEWPID) || run->spec->init;
}

/* The command's process, after PID 1 split off: the limits and the
 * identity it runs with, then exec. */
static int exec_rest(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        /* Detached: park here until `start` (hold.c), still with the
         * launcher's credentials, so that the fifo opens whatever the
         * command's identity. */
        if (congo_hold(run, err) < 0 || join_keyring(run, err) < 0)
                return -1;
        /* Before the capabilities go: the rt class needs CAP_SYS_ADMIN. */
        if (s->ioprio != 0 && syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, s->ioprio) < 0)
                return congo_error_set(err, errno, "io_priority: ioprio_set(%s)", s->io_priority);
        if (apply_rlimits(s, err) < 0 || apply_process(s, err) < 0 ||
            congo_security_apply(s, err) < 0 || cloexec_fds(run, err) < 0)
                return -1;
        /* startContainer: in the container's root, with no more privilege
         * than the command it precedes. */
        if (congo_hooks_run(run, CONGO_HOOK_START_CONTAINER, err) < 0)
                return -1;
        return exec_command(run, err);
}

static int exec_child(struct congo_run *run, struct congo_error *err)
{
        if (congo_terminal_attach(run, err) < 0)
                return -1;
        /* PID 1 splits off before anything changes the credentials: it
         * keeps its death signal and stays out of the container's reach. */
        if (init_wanted(run))
                return congo_init_spawn(run, exec_rest, err);
        return exec_rest(run, err);
}

static void exec_describe(struct congo_run *run, FILE *out)
{
        const struct congo_spec *s = run->spec;

        if (s->namespaces & CONGO_NS_PID)
                fputs("   fork: PID 1 stays the launcher's, reaps and forwards signals; the command:\n", out);
        else if (s->init)
                fputs("   fork: an init that reaps and forwards signals; the command:\n", out);
        for (size_t i = 0; i < s->limits.n_rlimits; i++)
                fprintf(out, "   setrlimit %s %" PRIu64 ":%" PRIu64 "\n",
                        congo_rlimit_name(s->limits.rlimits[i].resource),
                        s->limits.rlimits[i].soft, s->limits.rlimits[i].hard);
        if (s->io_priority)
                fprintf(out, "   ioprio_set %s\n", s->io_priority);
        fprintf(out, "   umask %04o%s\n", (unsigned)s->process.umask,
                s->process.personality == CONGO_PERS_LINUX32 ? "; personality linux32" : "");
        if (s->process.oom_score_adj_set)
                fprintf(out, "   oom_score_adj %d (written by the launcher)\n", s->process.oom_score_adj);
        fputs("   setgroups [", out);
        for (size_t i = 0; i < s->process.n_additional_gids; i++)
                fprintf(out, "%s%" PRIu32, i ? " " : "", s->process.additional_gids[i]);
        fprintf(out, "] setgid %u setuid %u\n", (unsigned)s->gid, (unsigned)s->uid);
        static const char *const sets[CONGO_CAPS_COUNT] = {
                "bounding", "effective", "permitted", "inheritable", "ambient",
        };
        for (int i = 0; i < CONGO_CAPS_COUNT; i++) {
                fprintf(out, "   capabilities %s:", sets[i]);
                for (int c = 0; c < 64; c++)
                        if (s->process.caps[i] & (UINT64_C(1) << c) && c <= CAP_LAST_CAP)
                                fprintf(out, " %s", congo_cap_name(c));
                fputc('\n', out);
        }
        fprintf(out, "   no_new_privs: %s\n   seccomp: %s%s\n",
                s->security.no_new_privileges ? "on" : "off",
                s->security.seccomp == CONGO_SECCOMP_DEFAULT ? "default profile" :
                s->security.seccomp == CONGO_SECCOMP_PROFILE ? "the profile " : "unconfined",
                s->security.seccomp == CONGO_SECCOMP_PROFILE ? s->security.seccomp_profile : "");
        fputs("   close every fd above 2\n", out);
        /* As a shell would take it back: a user may paste it. */
        fputs("   execve", out);
        for (char **a = s->command; *a; a++) {
                fputc(' ', out);
                congo_shell_quote(out, *a);
        }
        fputc('\n', out);
}

const struct congo_stage congo_stage_exec = {
        .name = "exec",
        .describe = exec_describe,
        .parent = exec_parent,
        .child = exec_child,
};

/* `congo exec` (src/runtime/exec_child.c): a process that joins a running
 * container gets the same limits and the same PATH lookup. */
int congo_exec_limits(const struct congo_spec *s, struct congo_error *err)
{
        if (s->ioprio != 0 && syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, s->ioprio) < 0)
                return congo_error_set(err, errno, "io_priority: ioprio_set(%s)", s->io_priority);
        return apply_rlimits(s, err) < 0 || apply_process(s, err) < 0 ? -1 : 0;
}

int congo_exec_argv(const struct congo_spec *s, char **envp, struct congo_error *err)
{
        struct congo_run r = { .spec = s, .envp = envp };

        return exec_command(&r, err);
}
