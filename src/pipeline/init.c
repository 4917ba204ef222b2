/* init.c - the container's PID 1, owned by the launcher.
 *
 * With a pid namespace the container's first process stays the launcher's
 * and never becomes the command: it forks the command, then only reaps,
 * forwards signals, and reports the command's status.  That is what makes
 * "the launcher dies, the container dies" hold whatever the container does:
 * this process keeps PR_SET_PDEATHSIG = SIGKILL (its credentials never
 * change, so the kernel never clears it, and the container cannot reach
 * it: it is not dumpable, so no ptrace or /proc/1/mem without
 * CAP_SYS_PTRACE, and from inside its namespace SIGKILL does not reach a
 * PID 1), and when PID 1 dies the kernel kills every process of its
 * namespace.  The command, as PID 2, may drop its own death signal, change
 * uid or daemonise: it goes with the namespace.  It also gets default
 * signal actions (SIGTERM kills it) and its orphans are reaped.
 *
 * Without a pid namespace, `init: true` forks the same reaper (not PID 1
 * then), for the signals and the reaping.
 *
 * Under the OCI runtime (`congo create`, run->detached) this PID 1 stays:
 * it is the process `state` reports and the caller (conmon, the shim)
 * reaps, and it exits with the command's status, so the caller sees the
 * command's.  Only the death signal goes: the container must outlive the
 * runtime, and its caller, a subreaper, is what watches it instead.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "security.h"

/* The command ended with ws: tell the launcher the whole wait status (a
 * signal number would not survive an exit code), then end with it. */
static void __attribute__((noreturn)) report(int sock, int ws)
{
        if (send(sock, &ws, sizeof ws, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                /* the launcher is gone; our exit code says the rest */
        }
        _exit(WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
}

static void __attribute__((noreturn)) reap_forever(pid_t child, int sock)
{
        sigset_t all;

        sigfillset(&all);
        for (;;) {
                siginfo_t si;
                int sig = sigwaitinfo(&all, &si);
                if (sig < 0)
                        continue;
                if (sig != SIGCHLD) {
                        kill(child, sig);
                        continue;
                }
                int ws;
                pid_t r;
                while ((r = waitpid(-1, &ws, WNOHANG)) > 0)
                        if (r == child)
                                report(sock, ws);
        }
}

/* The argument area, as main() found it (congo_init_title_area). */
static char *title_start, *title_end;

void congo_init_title_area(int argc, char **argv)
{
        /* The strings lie end to end from argv[0]: the area runs from the
         * lowest to the end of the highest, whatever order getopt leaves
         * the pointers in later. */
        for (int i = 0; i < argc; i++) {
                if (title_start == NULL || argv[i] < title_start)
                        title_start = argv[i];
                if (argv[i] + strlen(argv[i]) + 1 > title_end)
                        title_end = argv[i] + strlen(argv[i]) + 1;
        }
}

/* From fields 48 and 49 of /proc/self/stat, where main() did not say. */
static bool title_from_proc(unsigned long *start, unsigned long *end)
{
        char buf[1024], *field;
        FILE *f = fopen("/proc/self/stat", "re");

        if (f == NULL)
                return false;
        field = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
        fclose(f);
        for (int i = 2; field && i < 48; i++)   /* ')' ends field 2 */
                field = strchr(field + 1, ' ');
        return field != NULL && sscanf(field, " %lu %lu", start, end) == 2 && *end > *start;
}

/* ps inside shows PID 1 as "congo-init", not as the launcher's command
 * line: comm by prctl, and the argument area overwritten as setproctitle
 * does.  Best effort, and done before the command's side is cloned: stdio
 * allocates, and the two sides share one heap until the command execs.
 * The area is main()'s argv where main() said (no /proc read on the way
 * to the command), else what /proc/self/stat says. */
static void name_init(void)
{
        unsigned long start = (unsigned long)title_start, end = (unsigned long)title_end;

        prctl(PR_SET_NAME, "congo-init", 0, 0, 0);
        if ((start == 0 || end <= start) && !title_from_proc(&start, &end))
                return;
        memset((char *)start, 0, end - start);
        snprintf((char *)start, end - start, "congo-init");
}

/* PID 1 keeps only CAP_KILL (to forward signals to a command that runs as
 * another uid); dropping capabilities does not clear the death signal. */
static int keep_only_kill(void)
{
        struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
        struct __user_cap_data_struct data[2] = { { 0 } };

        data[0].effective = data[0].permitted = 1u << CAP_KILL;
        return (int)syscall(SYS_capset, &hdr, data);
}

/* Everything but the socket to the launcher: not the error pipe (the
 * launcher reads it to its EOF), not the terminal, not stdio. */
static void close_all_but(int keep)
{
        if (keep > 0)
                syscall(SYS_close_range, 0, (unsigned)keep - 1, 0);
        syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0);
}

struct spawn {
        struct congo_run *run;
        int (*rest)(struct congo_run *, struct congo_error *);
        sigset_t old;
};

/* The command's side, on its own stack in PID 1's memory (CLONE_VM): no
 * page is copied or faulted in twice.  Until it execs, PID 1 only makes
 * system calls that succeed (they leave the shared errno alone) and then
 * sleeps in sigwaitinfo; it touches no memory this side uses. */
static int command_side(void *arg)
{
        struct spawn *sp = arg;
        struct congo_error err = { 0 };

        /* The command gets its own process group, in the foreground of the
         * terminal, so ^C reaches it once, not via PID 1 too. */
        setpgid(0, 0);
        if (sp->run->tty)
                tcsetpgrp(STDIN_FILENO, getpid());
        sigprocmask(SIG_SETMASK, &sp->old, NULL);
        sp->rest(sp->run, &err);   /* returns only if it failed */
        if (err.stage[0] == '\0')
                snprintf(err.stage, sizeof err.stage, "exec");
        if (err.status == 0)
                err.status = CONGO_EXIT_FAILURE;
        congo_child_report(sp->run, &err);
        _exit(err.status);
}

int congo_init_spawn(struct congo_run *run, int (*rest)(struct congo_run *, struct congo_error *),
                     struct congo_error *err)
{
        static char stack[64 * 1024] __attribute__((aligned(64)));
        struct spawn sp = { run, rest, { { 0 } } };
        sigset_t all;
        int sock = run->sync_fd[0];
        char c;

        name_init();
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &sp.old);
        pid_t child = clone(command_side, stack + sizeof stack, CLONE_VM | SIGCHLD, &sp);
        if (child < 0) {
                sigprocmask(SIG_SETMASK, &sp.old, NULL);
                return congo_error_set(err, errno, "init: clone");
        }
        /* At once: the launcher sees EOF on the error pipe when the command
         * is executed, and that is only once PID 1 has let go of it too. */
        close_all_but(sock);
        if (keep_only_kill() < 0) {
                kill(child, SIGKILL);
                _exit(CONGO_EXIT_FAILURE);
        }
        /* Detached (the OCI runtime's create), the container outlives the
         * runtime: no death signal here; the command's side ends at its
         * hold if the runtime dies before it commits, and this with it. */
        if (run->detached)
                reap_forever(child, sock);
        /* Set since the clone and never cleared (no credential change);
         * set again all the same, then make sure the launcher did not die
         * before: it holds the other end of the socket until it ends. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        struct pollfd p = { sock, POLLIN, 0 };
        if (poll(&p, 1, 0) != 0 && recv(sock, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
                kill(child, SIGKILL);
                _exit(CONGO_EXIT_FAILURE);
        }
        reap_forever(child, sock);
}
