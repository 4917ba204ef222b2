/* lifecycle.c - one OCI container's whole life through a runtime binary,
 * as conmon or containerd's shim drive it, for bench/oci:
 *
 *   RUNTIME --root ROOT create --bundle BUNDLE --pid-file ROOT/pid ID
 *   RUNTIME --root ROOT start ID
 *   wait until the container's process has exited (we are its subreaper)
 *   RUNTIME --root ROOT delete ID
 *
 * The same program drives every runtime, so none pays for a shell the
 * others do not.  Exit status 0 only when every step succeeded and the
 * container's process was reaped.
 *
 *   lifecycle RUNTIME ROOT BUNDLE ID
 *
 * Built static by bench/oci; not part of the package.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int step(char *const argv[])
{
        pid_t pid;
        int status, err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);

        if (err != 0) {
                fprintf(stderr, "lifecycle: %s: %s\n", argv[0], strerror(err));
                return -1;
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -1;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "lifecycle: %s %s: status %#x\n", argv[0], argv[3], status);
                return -1;
        }
        return 0;
}

static pid_t read_pid(const char *path)
{
        FILE *f = fopen(path, "re");
        int pid = -1;

        if (f == NULL || fscanf(f, "%d", &pid) != 1)
                pid = -1;
        if (f)
                fclose(f);
        return pid;
}

/* Until pid has exited: its pidfd turns readable, whoever its parent is;
 * then reap it, and whatever else was handed to us. */
static int wait_exit(pid_t pid)
{
        int fd = (int)syscall(SYS_pidfd_open, pid, 0);

        if (fd >= 0) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                while (poll(&p, 1, -1) < 0 && errno == EINTR)
                        ;
                close(fd);
        } else if (errno != ESRCH) {
                perror("lifecycle: pidfd_open");
                return -1;
        }
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
        return 0;
}

int main(int argc, char **argv)
{
        char pidfile[4096];

        if (argc != 5) {
                fprintf(stderr, "usage: lifecycle RUNTIME ROOT BUNDLE ID\n");
                return 2;
        }
        char *rt = argv[1], *root = argv[2], *bundle = argv[3], *id = argv[4];
        snprintf(pidfile, sizeof pidfile, "%s/%s.pid", root, id);
        /* As conmon and the shim: the container's process is ours to reap
         * once the runtime that made it has exited. */
        prctl(PR_SET_CHILD_SUBREAPER, 1);

        char *create[] = { rt, "--root", root, "create", "--bundle", bundle, "--pid-file", pidfile, id, NULL };
        char *start[] = { rt, "--root", root, "start", id, NULL };
        char *delete[] = { rt, "--root", root, "delete", id, NULL };
        if (step(create) < 0)
                return 1;
        pid_t pid = read_pid(pidfile);
        unlink(pidfile);
        if (pid <= 0) {
                fprintf(stderr, "lifecycle: %s: no pid\n", pidfile);
                return 1;
        }
        if (step(start) < 0 || wait_exit(pid) < 0 || step(delete) < 0)
                return 1;
        return 0;
}
