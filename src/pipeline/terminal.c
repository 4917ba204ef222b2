/* terminal.c - the container's pseudo-terminal.
 *
 * When the container gets a terminal (terminal: true, or auto with stdin a
 * terminal), its pty comes from its own /dev/pts, the new devpts instance
 * the rootfs stage mounted, so `tty` and ttyname(3) work inside.  The exec
 * stage opens it just before exec, makes the slave the controlling
 * terminal of the container's session and its stdin/stdout/stderr, and
 * sends the master to the launcher over a socket (SCM_RIGHTS).  The
 * launcher puts its own terminal in raw mode and copies bytes both ways,
 * so line editing, ^C and job control belong to the shell inside.
 * Without a terminal the container inherits stdin/stdout/stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "congo/util.h"
#include "terminal.h"

static struct termios saved;
static bool raw_active;

int congo_terminal_open(struct congo_run *run, struct congo_error *err)
{
        enum congo_terminal want = run->spec->terminal;

        run->tty = want == CONGO_TTY_ON || (want == CONGO_TTY_AUTO && isatty(STDIN_FILENO));
        if (!run->tty)
                return 0;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, run->tty_sock) < 0)
                return congo_error_set(err, errno, "terminal: socketpair");
        /* terminal_size is the first size; a resize of ours still follows. */
        if (run->spec->terminal_size != NULL)
                run->winsize = (struct winsize){ .ws_row = run->spec->tty_rows,
                                                 .ws_col = run->spec->tty_cols };
        else if (ioctl(STDIN_FILENO, TIOCGWINSZ, &run->winsize) < 0)
                run->winsize = (struct winsize){ .ws_row = 24, .ws_col = 80 };
        return 0;
}

/* In the container, after the pivot: /dev/ptmx is its own. */
int congo_terminal_attach(struct congo_run *run, struct congo_error *err)
{
        char name[64];
        int master, slave;

        if (!run->tty)
                return 0;
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0)
                return congo_error_set(err, errno, "terminal: opening /dev/ptmx");
        slave = open(name, O_RDWR | O_NOCTTY);
        if (slave < 0)
                return congo_error_set(err, errno, "terminal: opening %s", name);
        ioctl(slave, TIOCSWINSZ, &run->winsize);
        if (ioctl(slave, TIOCSCTTY, 0) < 0)
                return congo_error_set(err, errno, "terminal: making %s the controlling terminal", name);
        for (int fd = 0; fd < 3; fd++)
                if (dup2(slave, fd) < 0)
                        return congo_error_set(err, errno, "terminal: dup2");
        if (slave > 2)
                close(slave);
        if (congo_fd_send(run->tty_sock[1], master, "t", 1) < 0)
                return congo_error_set(err, errno, "terminal: handing the pty to the launcher");
        close(master);
        close(run->tty_sock[1]);
        run->tty_sock[1] = -1;
        return 0;
}

/* In the launcher, once the command runs: the master it sent. */
int congo_terminal_receive(struct congo_run *run)
{
        if (!run->tty)
                return 0;
        /* Sent before exec, and the command was executed: it is there, or
         * it never will be.  Never wait for it. */
        run->pty_master = congo_fd_receive_now(run->tty_sock[0]);
        return run->pty_master < 0 ? -1 : 0;
}

void congo_terminal_raw(struct congo_run *run)
{
        struct termios raw;

        if (!run->tty || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0)
                return;
        raw = saved;
        cfmakeraw(&raw);
        if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
                raw_active = true;
}

void congo_terminal_restore(struct congo_run *run)
{
        (void)run;
        if (raw_active)
                tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        raw_active = false;
}

void congo_terminal_resize(struct congo_run *run)
{
        struct winsize ws;

        if (run->pty_master >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
                ioctl(run->pty_master, TIOCSWINSZ, &ws);
}
