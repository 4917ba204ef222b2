/* hold.c - where a detached container waits for `start` (the OCI
 * runtime's create/start split; runc parks on an exec.fifo too).
 *
 *   runtime (congo create)                 the container's command process
 *   ----------------------                 -------------------------------
 *   mkfifo STATE/exec.fifo, opens its  --> inherited as run->hold_fd
 *     read end (O_NONBLOCK: no writer)
 *   reads 'p' on the error pipe        <-- "parked": every stage is done
 *   writes state.json, --pid-file
 *   sends 'c' on the sync socket       --> commit; EOF instead: exit
 *   exits                                  poll(hold_fd, POLLIN) waits...
 *   congo start: open(fifo, O_WRONLY)  --> ...for this byte; then exec
 *     and write one byte
 *
 * Up to the commit, a runtime that dies takes the container with it (the
 * sync socket reads EOF), so a crashed create leaves no process behind.
 * The container holds the read end from before its clone: it looks up no
 * path at all inside its root, where the image (hostile) could have put
 * a /proc of its own.  A FIFO's reader sees no hang-up before a writer has
 * come, so the poll waits; `start` finds no reader (ENXIO) once the
 * container has died.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "congo/pipeline.h"

int congo_hold(struct congo_run *run, struct congo_error *err)
{
        char c = 'p';

        if (run->hold_fd < 0)
                return 0;
        if (write(run->err_fd[1], &c, 1) != 1)
                _exit(CONGO_EXIT_FAILURE);
        /* From here on a failure goes to stderr (congo_child_report). */
        close(run->err_fd[1]);
        run->err_fd[1] = -1;
        if (read(run->sync_fd[0], &c, 1) != 1 || c != 'c')
                _exit(CONGO_EXIT_FAILURE);   /* the runtime died first */
        close(run->sync_fd[0]);
        for (;;) {
                struct pollfd p = { run->hold_fd, POLLIN, 0 };
                if (poll(&p, 1, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return congo_error_set(err, errno, "hold: waiting for start");
                }
                ssize_t n = read(run->hold_fd, &c, 1);
                if (n == 1)
                        break;
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                        continue;
                /* A writer that came and went without the byte. */
                return congo_error_set(err, n < 0 ? errno : 0, "hold: the exec fifo closed without a start");
        }
        close(run->hold_fd);
        return 0;
}
