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
 *   lifecycle -n N RUNTIME ROOT BUNDLE ID
 *
 * With -n, N lives in a row, and the median of each step in microseconds
 * (create, start, wait, delete), to see where a runtime spends its time.
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
#include <time.h>
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

static long long now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* One life; t[0..3] the microseconds of its four steps. */
static int one(char *rt, char *root, char *bundle, char *id, long long t[4])
{
        char pidfile[4096];

        snprintf(pidfile, sizeof pidfile, "%s/%s.pid", root, id);
        char *create[] = { rt, "--root", root, "create", "--bundle", bundle, "--pid-file", pidfile, id, NULL };
        char *start[] = { rt, "--root", root, "start", id, NULL };
        char *delete[] = { rt, "--root", root, "delete", id, NULL };
        long long t0 = now_us();
        if (step(create) < 0)
                return -1;
        pid_t pid = read_pid(pidfile);
        unlink(pidfile);
        if (pid <= 0) {
                fprintf(stderr, "lifecycle: %s: no pid\n", pidfile);
                return -1;
        }
        long long t1 = now_us();
        if (step(start) < 0)
                return -1;
        long long t2 = now_us();
        if (wait_exit(pid) < 0)
                return -1;
        long long t3 = now_us();
        if (step(delete) < 0)
                return -1;
        long long t4 = now_us();
        t[0] = t1 - t0, t[1] = t2 - t1, t[2] = t3 - t2, t[3] = t4 - t3;
        return 0;
}

static int cmp_ll(const void *a, const void *b)
{
        long long x = *(const long long *)a, y = *(const long long *)b;

        return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
        long n = 0;

        if (argc == 7 && strcmp(argv[1], "-n") == 0) {
                n = atol(argv[2]);
                argv += 2, argc -= 2;
        }
        if (argc != 5 || n < 0) {
                fprintf(stderr, "usage: lifecycle [-n N] RUNTIME ROOT BUNDLE ID\n");
                return 2;
        }
        /* As conmon and the shim: the container's process is ours to reap
         * once the runtime that made it has exited. */
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        if (n == 0) {
                long long t[4];
                return one(argv[1], argv[2], argv[3], argv[4], t) < 0 ? 1 : 0;
        }
        long long *t[4];
        for (int s = 0; s < 4; s++)
                if ((t[s] = calloc(n, sizeof **t)) == NULL)
                        return 1;
        for (long i = 0; i < n; i++) {
                long long one_t[4];
                if (one(argv[1], argv[2], argv[3], argv[4], one_t) < 0)
                        return 1;
                for (int s = 0; s < 4; s++)
                        t[s][i] = one_t[s];
        }
        static const char *const name[] = { "create", "start", "wait", "delete" };
        for (int s = 0; s < 4; s++) {
                qsort(t[s], n, sizeof **t, cmp_ll);
                printf("%s%s %lld", s ? "  " : "", name[s], t[s][n / 2]);
        }
        printf("  (median us of %ld)\n", n);
        return 0;
}
