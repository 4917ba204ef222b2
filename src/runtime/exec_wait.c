/* exec_wait.c - attached `congo exec`: the runtime stays until the
 * process ends and exits with its status.  Every signal it may catch is
 * forwarded to the process (a signalfd, so none is lost between polls);
 * with a pty of its own (-t without --console-socket) it relays its
 * stdin to the pty and the pty to its stdout, its terminal in raw mode,
 * and passes on its window size. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "exec.h"

static bool copy(int from, int to)
{
        char buf[8192];
        ssize_t n = read(from, buf, sizeof buf);

        if (n <= 0)
                return n < 0 && errno == EINTR;
        for (ssize_t off = 0; off < n;) {
                ssize_t w = write(to, buf + off, (size_t)(n - off));
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return true;   /* the reader went: keep draining */
                off += w;
        }
        return true;
}

static void drain(int master)
{
        struct pollfd p = { master, POLLIN, 0 };

        while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN) && copy(master, STDOUT_FILENO))
                ;
}

int congo_rt_exec_wait(pid_t pid, int master)
{
        struct termios saved, raw;
        bool restore = false;
        sigset_t all;
        int ws = 0;

        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        int sfd = signalfd(-1, &all, SFD_CLOEXEC);
        if (master >= 0 && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
                struct winsize w;
                if (ioctl(STDIN_FILENO, TIOCGWINSZ, &w) == 0)
                        ioctl(master, TIOCSWINSZ, &w);
                raw = saved;
                cfmakeraw(&raw);
                restore = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
        }
        bool in_open = master >= 0, out_open = master >= 0;
        for (;;) {
                struct pollfd p[3] = { { sfd, POLLIN, 0 }, { out_open ? master : -1, POLLIN, 0 },
                                       { in_open ? STDIN_FILENO : -1, POLLIN, 0 } };
                /* Its end is seen by SIGCHLD; waitpid first so that none is missed. */
                pid_t r = waitpid(pid, &ws, WNOHANG);
                if (r == pid || (r < 0 && errno == ECHILD))
                        break;
                if (poll(p, 3, -1) < 0 && errno != EINTR)
                        break;
                if (p[0].revents & POLLIN) {
                        struct signalfd_siginfo si;
                        if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si && si.ssi_signo != SIGCHLD) {
                                if (si.ssi_signo == SIGWINCH && master >= 0) {
                                        struct winsize w;
                                        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &w) == 0)
                                                ioctl(master, TIOCSWINSZ, &w);
                                } else {
                                        kill(pid, (int)si.ssi_signo);
                                }
                        }
                }
                if (out_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !copy(master, STDOUT_FILENO))
                        out_open = false;   /* hung up: the process is ending */
                if (in_open && (p[2].revents & (POLLIN | POLLHUP | POLLERR)) && !copy(STDIN_FILENO, master))
                        in_open = false;
        }
        if (out_open)
                drain(master);
        if (restore)
                tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        if (sfd >= 0)
                close(sfd);
        return WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 1;
}
