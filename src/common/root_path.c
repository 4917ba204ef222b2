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

#include "cleanup.h"
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

/* openat2 answers EAGAIN when a rename or mount anywhere on the host
 * raced its check that ".." stayed inside (openat2(2): the caller may
 * retry); on a busy host a resolution with ".." then fails at random.  A
 * bounded retry, as runc and libpathrs do. */
static int openat2_retrying(int dirfd, const char *rel, const struct open_how *how)
{
        int fd = -1;

        for (int i = 0; i < 32; i++) {
                fd = (int)syscall(SYS_openat2, dirfd, rel, how, sizeof *how);
                if (fd >= 0 || errno != EAGAIN)
                        break;
        }
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
        int fd = openat2_retrying(rootfd, rel, &how);
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

int congo_mountpoint_at(int dirfd, const char *name, bool as_file, const char *path,
                        struct congo_error *err)
{
        char link[256];
        struct stat st;
        int fd;

        if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/'))
                return congo_error_set(err, EINVAL, "mount point %s", path);
        fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
                /* Created without following anything: O_EXCL, mkdir. */
                int made = as_file ? openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644)
                                   : mkdirat(dirfd, name, 0755);
                if (made < 0 && errno != EEXIST)
                        return congo_error_set(err, errno, "creating %s inside the rootfs", path);
                if (made > 0 && as_file)
                        close(made);
                fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0)
                return congo_error_set(err, errno, "resolving %s inside the rootfs", path);
        if (fstat(fd, &st) < 0) {
                close(fd);
                return congo_error_set(err, errno, "resolving %s inside the rootfs", path);
        }
        if (S_ISLNK(st.st_mode)) {
                ssize_t n = readlinkat(fd, "", link, sizeof link - 1);
                close(fd);
                if (n < 0)
                        n = 0;
                link[n] = '\0';
                /* Mounting "through" it would put the mount, and whatever
                 * hardening follows, wherever the image chose. */
                return congo_error_set(err, 0, "%s is a symlink in the image (%s -> %s); refusing to mount over it",
                                       path, name, link);
        }
        /* A directory mount over a file (or the reverse) is refused by
         * the kernel anyway; say which, before it does. */
        if (S_ISDIR(st.st_mode) == as_file) {
                close(fd);
                return congo_error_set(err, 0, "%s in the image is %s; refusing to mount over it",
                                       path, as_file ? "a directory" : "not a directory");
        }
        return fd;
}

int congo_root_mountpoint(int rootfd, const char *path, bool as_file, struct congo_error *err)
{
        char parent[4096];
        const char *name = strrchr(path, '/');

        if (name == NULL || (size_t)(name - path) >= sizeof parent)
                return congo_error_set(err, EINVAL, "mount point %s", path);
        memcpy(parent, path, (size_t)(name - path));
        parent[name - path] = '\0';
        _cleanup_close_ int dir = congo_root_mkpath(rootfd, parent[0] ? parent : "/", false, err);
        if (dir < 0)
                return -1;
        return congo_mountpoint_at(dir, name + 1, as_file, path, err);
}

int congo_open_beneath(int dirfd, const char *rel, int flags)
{
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
        };
        int fd = openat2_retrying(dirfd, rel, &how);

        if (fd >= 0 || errno != ENOSYS)
                return fd;
        /* Before 5.6: no symlink and no ".." at all, which stays beneath. */
        struct stat st;
        fd = open_walk(dirfd, rel, flags | O_NOFOLLOW);
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
                close(fd);
                errno = EXDEV;
                return -1;
        }
        return fd < 0 && errno == ELOOP ? (errno = EXDEV, -1) : fd;
}

int congo_open_spec_path(const char *path, const struct congo_relpath *rel, int flags,
                         struct congo_error *err)
{
        int fd;

        if (rel == NULL || rel->rel == NULL) {
                /* Written absolute: the author's trusted choice. */
                fd = open(path, flags | O_CLOEXEC);
                return fd >= 0 ? fd : congo_error_set(err, errno, "\"%s\"", path);
        }
        _cleanup_close_ int base = open(rel->base, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (base < 0)
                return congo_error_set(err, errno, "\"%s\"", rel->base);
        fd = congo_open_beneath(base, rel->rel, flags);
        if (fd < 0 && errno == EXDEV)
                return congo_error_set(err, 0, "\"%s\" leads out of %s (a symlink or \"..\"); a relative path must stay beneath it",
                                       rel->rel, rel->base);
        return fd >= 0 ? fd : congo_error_set(err, errno, "\"%s\"", path);
}
