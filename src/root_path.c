/* root_path.c - path resolution confined to the container's root.
 *
 * openat2(RESOLVE_IN_ROOT) makes the kernel treat the root fd as "/" for
 * "..", absolute symlinks and all.  On kernels without it (before 5.6) we
 * walk the path one component at a time with O_NOFOLLOW and refuse
 * symlinks outright: safe, if less forgiving.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "root_path.h"

const char *congo_fd_path(int fd, char buf[static 32])
{
        snprintf(buf, 32, "/proc/self/fd/%d", fd);
        return buf;
}

static int open_walk(int rootfd, const char *rel, int flags)
{
        char *copy = strdup(rel), *save = NULL;
        int fd = openat(rootfd, ".", O_PATH | O_CLOEXEC | O_DIRECTORY);

        for (char *c = copy ? strtok_r(copy, "/", &save) : NULL; c && fd >= 0;
             c = strtok_r(NULL, "/", &save)) {
                bool last = save == NULL || *save == '\0';
                struct stat st;
                int next;

                if (strcmp(c, "..") == 0) {
                        errno = EXDEV;
                        next = -1;
                } else if (last) {
                        next = openat(fd, c, (flags | O_NOFOLLOW | O_CLOEXEC) & ~O_CREAT);
                } else {
                        next = openat(fd, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                        if (next >= 0 && fstat(next, &st) == 0 && S_ISLNK(st.st_mode)) {
                                close(next);
                                errno = ELOOP;
                                next = -1;
                        }
                }
                close(fd);
                fd = next;
        }
        free(copy);
        return fd;
}

int congo_root_open(int rootfd, const char *path, int flags)
{
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        const char *rel = path;

        while (*rel == '/')
                rel++;
        if (*rel == '\0')
                rel = ".";
        int fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof how);
        if (fd < 0 && errno == ENOSYS)
                return open_walk(rootfd, rel, flags);
        return fd;
}

int congo_root_mkpath(int rootfd, const char *path, bool as_file,
                      struct congo_error *err)
{
        char prefix[4096], name[256];
        size_t used = 0;
        /* Usually everything exists already: one lookup, no walk. */
        int fd = congo_root_open(rootfd, path, O_PATH);

        if (fd >= 0)
                return fd;
        fd = congo_root_open(rootfd, "/", O_PATH);

        for (const char *p = path; fd >= 0;) {
                while (*p == '/')
                        p++;
                if (*p == '\0')
                        return fd;
                size_t n = strcspn(p, "/");
                bool last = p[n + strspn(p + n, "/")] == '\0';
                if (used + n + 2 > sizeof prefix || n >= sizeof name) {
                        close(fd);
                        return congo_error_set(err, ENAMETOOLONG, "%s", path);
                }
                prefix[used++] = '/';
                memcpy(prefix + used, p, n);
                used += n;
                prefix[used] = '\0';
                memcpy(name, p, n);
                name[n] = '\0';
                p += n;

                int next = congo_root_open(rootfd, prefix, O_PATH);
                if (next < 0 && errno == ENOENT) {
                        /* fd is the parent, resolved inside the root; name
                         * is one component, created without following. */
                        int made = last && as_file
                                ? openat(fd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644)
                                : mkdirat(fd, name, 0755);
                        if (made < 0 && errno != EEXIST) {
                                int e = errno;
                                close(fd);
                                return congo_error_set(err, e, "creating %s inside the rootfs", prefix);
                        }
                        if (made > 0 && last && as_file)
                                close(made);
                        next = congo_root_open(rootfd, prefix, O_PATH);
                }
                int e = errno;
                close(fd);
                if (next < 0)
                        return congo_error_set(err, e, "resolving %s inside the rootfs", prefix);
                fd = next;
        }
        return congo_error_set(err, errno, "opening the rootfs");
}
