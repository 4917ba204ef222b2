/* stdio_check.c - what the caller hands the container as stdin, stdout and
 * stderr.  The container inherits fds 0-2 as they are, and an fd is also
 * a path: /proc/self/fd/0/etc/shadow walks a directory fd on the host's
 * tree, outside the new root.  So only what is a stream or one file
 * passes: a regular file, a pipe, a socket, a character device (a
 * terminal, /dev/null).  A directory, an O_PATH fd of one, a symlink, a
 * block device (the host's disk) or an anonymous inode (a pidfd signals
 * host processes, an epoll or a signalfd watches them) is refused.  A
 * closed one becomes /dev/null, so that nothing the launcher opens later
 * (the --stats file, a cgroup directory) lands in the container as fd 0-2. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "congo/pipeline.h"

static const char *kind(mode_t m)
{
        switch (m & S_IFMT) {
        case S_IFDIR: return "a directory";
        case S_IFBLK: return "a block device";
        case S_IFLNK: return "a symbolic link";
        case 0: return "an anonymous inode (pidfd, eventfd, epoll...)";
        default: return "not a file, pipe, socket or character device";
        }
}

int congo_stdio_check(struct congo_error *err)
{
        static const char *const names[] = { "stdin", "stdout", "stderr" };

        for (int fd = 0; fd < 3; fd++) {
                struct stat st;
                if (fstat(fd, &st) < 0) {
                        if (errno != EBADF)
                                return congo_error_set(err, errno, "%s", names[fd]);
                        int null = open("/dev/null", O_RDWR);
                        if (null != fd) {
                                if (null >= 0)
                                        close(null);
                                return congo_error_set(err, errno, "%s is closed and /dev/null cannot take its place",
                                                       names[fd]);
                        }
                        continue;
                }
                if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
                    S_ISCHR(st.st_mode))
                        continue;
                return congo_error_set(err, 0, "%s is %s: refusing to hand it to the container, "
                                       "which would reach the host's files through /proc/self/fd/%d",
                                       names[fd], kind(st.st_mode), fd);
        }
        return 0;
}
