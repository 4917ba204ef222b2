/* init.c - `init: true`: a minimal PID 1.
 *
 * A command that runs as PID 1 gets no default signal actions (SIGTERM
 * from outside does nothing unless it installed a handler) and inherits
 * every orphan in the container, which it rarely reaps.  With init: true
 * the container's first process forks the command, then only reaps
 * zombies and forwards signals to it; the command's status becomes init's.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "security.h"

static void __attribute__((noreturn)) reap_forever(pid_t child)
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
                                _exit(WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
        }
}

/* ps inside shows PID 1 as "congo-init", not as the launcher's command
 * line: comm by prctl, and the argument area (fields 48 and 49 of
 * /proc/self/stat) overwritten as setproctitle does.  Best effort. */
static void name_init(void)
{
        char buf[1024], *field;
        unsigned long start = 0, end = 0;
        FILE *f = fopen("/proc/self/stat", "re");

        prctl(PR_SET_NAME, "congo-init", 0, 0, 0);
        if (f == NULL)
                return;
        field = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
        fclose(f);
        for (int i = 2; field && i < 48; i++)   /* ')' ends field 2 */
                field = strchr(field + 1, ' ');
        if (field == NULL || sscanf(field, " %lu %lu", &start, &end) != 2 || end <= start)
                return;
        memset((char *)start, 0, end - start);
        snprintf((char *)start, end - start, "congo-init");
}

int congo_init_fork(bool tty, struct congo_error *err)
{
        sigset_t all, old;
        pid_t child;

        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        child = fork();
        if (child < 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                return congo_error_set(err, errno, "init: fork");
        }
        if (child == 0) {
                /* The command gets its own process group, in the foreground
                 * of the terminal, so ^C reaches it once, not via init too. */
                setpgid(0, 0);
                if (tty)
                        tcsetpgrp(STDIN_FILENO, getpid());
                sigprocmask(SIG_SETMASK, &old, NULL);
                return 0;
        }
        /* PID 1 keeps nothing open: not the error pipe, not the terminal. */
        syscall(SYS_close_range, 3, ~0U, 0);
        name_init();
        reap_forever(child);
}
