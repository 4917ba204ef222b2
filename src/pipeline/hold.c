/* hold.c - where a detached container waits for `start` (the OCI
 * runtime's create/start split, as runc's exec.fifo).
 *
 *   runtime (congo create)                 the container's command process
 *   ----------------------                 -------------------------------
 *   mkfifo STATE/exec.fifo, O_PATH fd  --> inherited as run->hold_fd
 *   reads 'p' on the error pipe        <-- "parked": every stage is done
 *   writes state.json, --pid-file
 *   sends 'c' on the sync socket       --> commit; EOF instead: exit
 *   exits                                  open(fifo, O_WRONLY) blocks...
 *   congo start: open(fifo, O_RDONLY)  --> ...until here; one byte, exec
 *
 * Up to the commit, a runtime that dies takes the container with it (the
 * sync socket reads EOF), so a crashed create leaves no process behind.
 * The fifo is opened through /proc/self/fd: past the pivot the state
 * directory is out of the container's reach, but the fd is not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "congo/pipeline.h"

int congo_hold(struct congo_run *run, struct congo_error *err)
{
        char c = 'p', path[64];

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
        snprintf(path, sizeof path, "/proc/self/fd/%d", run->hold_fd);
        int fd;
        while ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 && errno == EINTR)
                ;
        if (fd < 0)
                return congo_error_set(err, errno, "hold: opening the exec fifo");
        if (write(fd, "0", 1) != 1) {
                close(fd);
                return congo_error_set(err, errno, "hold: writing the exec fifo");
        }
        close(fd);
        close(run->hold_fd);
        return 0;
}
