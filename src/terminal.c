/* terminal.c - the container's pseudo-terminal.
 *
 * When the container gets a terminal (terminal: true, or auto with stdin a
 * terminal), the launcher opens a pty pair before clone.  The child makes
 * the slave its controlling terminal in a new session; the launcher puts
 * its own terminal in raw mode and copies bytes both ways, so line editing,
 * ^C and job control belong to the shell inside.  Without a terminal the
 * container inherits stdin/stdout/stderr and still gets its own session.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "supervise.h"

static struct termios saved;
static bool raw_active;

int congo_terminal_open(struct congo_run *run, struct congo_error *err)
{
        enum congo_terminal want = run->spec->terminal;
        struct winsize ws;
        char *name;

        run->tty = want == CONGO_TTY_ON || (want == CONGO_TTY_AUTO && isatty(STDIN_FILENO));
        if (!run->tty)
                return 0;
        run->pty_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (run->pty_master < 0 || grantpt(run->pty_master) < 0 ||
            unlockpt(run->pty_master) < 0 || (name = ptsname(run->pty_master)) == NULL)
                return congo_error_set(err, errno, "terminal: opening a pseudo-terminal");
        run->pty_slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (run->pty_slave < 0)
                return congo_error_set(err, errno, "terminal: opening %s", name);
        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
                ioctl(run->pty_master, TIOCSWINSZ, &ws);
        return 0;
}

int congo_terminal_child(struct congo_run *run, struct congo_error *err)
{
        if (setsid() < 0)
                return congo_error_set(err, errno, "setsid");
        if (!run->tty)
                return 0;
        if (ioctl(run->pty_slave, TIOCSCTTY, 0) < 0)
                return congo_error_set(err, errno, "making the pty the controlling terminal");
        for (int fd = 0; fd < 3; fd++)
                if (dup2(run->pty_slave, fd) < 0)
                        return congo_error_set(err, errno, "dup2 of the pty");
        if (run->pty_slave > 2)
                close(run->pty_slave);
        close(run->pty_master);
        run->pty_slave = run->pty_master = -1;
        return 0;
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
