/* sealed.c - the runtime re-executed from a sealed memfd copy of itself,
 * as runc's since CVE-2019-5736: a congo process the container can see
 * (exec's, until it executes the command) is then not the host's binary
 * file, and no /proc/PID/exe of it leads to a file anyone can write. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

extern char **environ;

/* Our own command line, every argument NUL-terminated, whatever its
 * length; NULL with errno. */
static char *read_cmdline(size_t *len)
{
        int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
        size_t cap = 4096, n = 0;
        char *buf = fd < 0 ? NULL : malloc(cap);

        while (buf) {
                if (n == cap) {
                        char *grown = realloc(buf, cap *= 2);
                        if (grown == NULL)
                                break;
                        buf = grown;
                }
                ssize_t r = read(fd, buf + n, cap - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0) {
                        if (r == 0 && n > 0 && buf[n - 1] == '\0') {
                                close(fd);
                                *len = n;
                                return buf;
                        }
                        errno = r == 0 ? EINVAL : errno;
                        break;
                }
                n += (size_t)r;
        }
        int e = errno;
        free(buf);
        if (fd >= 0)
                close(fd);
        errno = e;
        return NULL;
}

/* The runtime's image as the container could see it (/proc/PID/exe of
 * C2 until it execs) is a sealed memfd copy, as runc's since
 * CVE-2019-5736: were C2 reached despite being undumpable (CAP_SYS_PTRACE
 * in the container), what it reaches cannot be written.  Re-executed
 * once, with the same command line; a copy already sealed stays. */
int congo_rt_run_sealed(void)
{
        int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        struct stat st;

        if (exe < 0 || fstat(exe, &st) < 0) {
                congo_rt_error("the runtime's /proc/self/exe: %s", strerror(errno));
                return -1;
        }
        int seals = fcntl(exe, F_GET_SEALS);
        if (seals >= 0 && (seals & F_SEAL_WRITE)) {
                close(exe);
                return 0;
        }
        int mfd = memfd_create("congo", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        if (mfd < 0 && errno == EINVAL)
                mfd = memfd_create("congo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        off_t off = 0;
        while (mfd >= 0 && off < st.st_size)
                if (sendfile(mfd, exe, &off, (size_t)(st.st_size - off)) <= 0)
                        break;
        close(exe);
        size_t n = 0;
        char *cmdline = read_cmdline(&n);
        if (mfd < 0 || off != st.st_size || cmdline == NULL ||
            fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
                congo_rt_error("making a sealed copy of the runtime: %s", strerror(errno));
                free(cmdline);
                if (mfd >= 0)
                        close(mfd);
                return -1;
        }
        size_t argc = 0;
        for (size_t i = 0; i < n; i++)
                argc += cmdline[i] == '\0';
        char **args = calloc(argc + 1, sizeof *args);
        if (args == NULL) {
                congo_rt_error("making a sealed copy of the runtime: out of memory");
                free(cmdline);
                close(mfd);
                return -1;
        }
        argc = 0;
        for (char *p = cmdline; p < cmdline + n; p += strlen(p) + 1)
                args[argc++] = p;
        fexecve(mfd, args, environ);
        congo_rt_error("running the sealed copy of the runtime: %s", strerror(errno));
        free(args);
        free(cmdline);
        close(mfd);
        return -1;
}
