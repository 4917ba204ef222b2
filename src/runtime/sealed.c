/* sealed.c - the runtime re-executed from an image of itself that nothing
 * can write, as runc's since CVE-2019-5736: a congo process the container
 * can see (create's until start, exec's until it executes the command) is
 * then not the host's binary file, and no /proc/PID/exe of it leads to a
 * file anyone can write.
 *
 * The image is, in order of preference:
 *   - the binary itself, when it lies on a read-only mount already (a
 *     read-only /usr) and a mapping of it leads to no writable file:
 *     nothing to do;
 *   - the binary seen through a private overlayfs of its directory with no
 *     upper layer (runc 1.2's way): read-only at the superblock, attached
 *     nowhere, no copy (about 0.1 ms), where a mapping of it leads to no
 *     writable file either (mapping_unwritable);
 *   - a sealed memfd copy (about 1 ms for 3 MB), where overlayfs cannot
 *     be made (no overlay, no CAP_SYS_ADMIN, stacked too deep).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "runtime.h"

/* statfs's f_flags are meaningful (Linux 2.6.36): the kernel's, not glibc's. */
#ifndef ST_VALID
#define ST_VALID 0x0020
#endif
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

/* fd's file lies on a read-only mount or superblock. */
static bool on_readonly_fs(int fd)
{
        struct statfs sf;

        return fstatfs(fd, &sf) == 0 && (sf.f_flags & ST_VALID) && (sf.f_flags & ST_RDONLY);
}

/* Whether a mapping of fd leads to a file nobody can write, as fd does.
 * A mapping of an overlayfs file holds the REAL file beneath it, and
 * /proc/PID/map_files (open to CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in
 * the initial user namespace: a container granted either without a user
 * namespace, whose command /proc/self/exe runs congo's image as its own
 * process) opens the path the kernel keeps with it: the overlay's own
 * (the "fake" path since 4.19, file_user_path since 6.8), read-only.  A
 * kernel that kept the real path there (a partial backport of 6.8's
 * change) would hand out the host's binary on its writable mount: checked
 * here rather than assumed.  Where we may not look (EPERM), no container
 * of ours may.  About 10 us. */
static bool mapping_unwritable(int fd)
{
        char path[80];
        size_t page = (size_t)sysconf(_SC_PAGESIZE);

        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int rfd = open(path, O_RDONLY | O_CLOEXEC);
        void *p = rfd < 0 ? MAP_FAILED : mmap(NULL, page, PROT_READ, MAP_PRIVATE, rfd, 0);
        if (rfd >= 0)
                close(rfd);
        if (p == MAP_FAILED)
                return false;
        snprintf(path, sizeof path, "/proc/self/map_files/%lx-%lx", (unsigned long)p, (unsigned long)p + page);
        int mfd = open(path, O_PATH | O_CLOEXEC);
        bool ro = mfd < 0 ? errno == EPERM : on_readonly_fs(mfd);
        if (mfd >= 0)
                close(mfd);
        munmap(p, page);
        return ro;
}

/* Whether what we run cannot be written through /proc/PID/exe: a memfd
 * sealed against writes, or a file on a read-only mount or superblock
 * (a mount in another namespace, which no container can remount) whose
 * mappings lead to no writable file either. */
static bool unwritable(int exe)
{
        int seals = fcntl(exe, F_GET_SEALS);

        if (seals >= 0 && (seals & F_SEAL_WRITE))
                return true;
        return on_readonly_fs(exe) && mapping_unwritable(exe);
}

/* lowerdir takes ':' as its separator and '\' as its escape. */
static char *lower_escaped(char *out, const char *end, const char *s, size_t n)
{
        for (size_t i = 0; i < n && out + 2 < end; i++) {
                if (s[i] == ':' || s[i] == '\\')
                        *out++ = '\\';
                *out++ = s[i];
        }
        return out;
}

/* Whether directories a (na bytes) and b lie one in the other, or are
 * one: overlayfs refuses such layers, and says so in the kernel's log
 * ("overlapping lowerdir path") at every create, run and exec; the memfd
 * copy is taken without asking it.  Both absolute, canonical. */
static bool nested(const char *a, size_t na, const char *b)
{
        size_t nb = strlen(b), n = na < nb ? na : nb;

        if (na == 1 || nb == 1)   /* "/" holds everything */
                return true;
        return strncmp(a, b, n) == 0 && (na == nb || (na < nb ? b[na] : a[nb]) == '/');
}

/* The binary opened (O_PATH) through a detached overlayfs whose top layer
 * is its directory and whose second (overlayfs wants two without an upper
 * layer) is the state root; -1 where that cannot be made.  Overlayfs with
 * no upper layer has a read-only superblock: no remount of the mount, by
 * anyone, makes it writable, and what a container could open through
 * /proc/PID/exe is this file.  The same size and modification time as
 * exe, and a mapping of it that leads to no writable file
 * (mapping_unwritable), or it is not used. */
static int overlay_image(int exe, const char *dummy)
{
        char path[4096], lower[8200];
        struct stat want, got;
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);

        if (n <= 0 || path[0] != '/' || fstat(exe, &want) < 0)
                return -1;
        path[n] = '\0';
        char *slash = strrchr(path, '/');
        size_t dirlen = slash == path ? 1 : (size_t)(slash - path);
        char *root = realpath(dummy, NULL);
        if (slash[1] == '\0' || strstr(path, " (deleted)") || root == NULL || nested(path, dirlen, root)) {
                free(root);
                return -1;
        }
        char *o = lower_escaped(lower, lower + sizeof lower, path, dirlen);
        *o++ = ':';
        o = lower_escaped(o, lower + sizeof lower, root, strlen(root));
        *o = '\0';
        free(root);

        int fs = fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0)
                return -1;
        int mnt = -1, fd = -1;
        /* xino only asks for a warning in the log when the layers are on
         * different filesystems: off, if this kernel has it. */
        if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0) == 0) {
                fsconfig(fs, FSCONFIG_SET_STRING, "xino", "off", 0);
                if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
                        mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
        }
        close(fs);
        if (mnt >= 0) {
                fd = openat(mnt, slash + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                close(mnt);
        }
        if (fd >= 0 && (fstat(fd, &got) < 0 || !S_ISREG(got.st_mode) || got.st_size != want.st_size ||
                        got.st_mtim.tv_sec != want.st_mtim.tv_sec || got.st_mtim.tv_nsec != want.st_mtim.tv_nsec ||
                        !mapping_unwritable(fd))) {
                close(fd);
                fd = -1;
        }
        return fd;
}

/* A sealed memfd copy of exe; -1 with errno. */
static int memfd_image(int exe)
{
        struct stat st;
        off_t off = 0;
        int mfd = fstat(exe, &st) < 0 ? -1 : memfd_create("congo", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

        if (mfd < 0 && errno == EINVAL)
                mfd = memfd_create("congo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        while (mfd >= 0 && off < st.st_size)
                if (sendfile(mfd, exe, &off, (size_t)(st.st_size - off)) <= 0)
                        break;
        if (mfd >= 0 && (off != st.st_size ||
                         fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)) {
                int e = off != st.st_size && errno == 0 ? EIO : errno;
                close(mfd);
                errno = e;
                mfd = -1;
        }
        return mfd;
}

int congo_rt_run_sealed(const char *state_root)
{
        int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

        if (exe < 0) {
                congo_rt_error("the runtime's /proc/self/exe: %s", strerror(errno));
                return -1;
        }
        if (unwritable(exe)) {
                close(exe);
                return 0;
        }
        /* The state root is the overlay's second layer: it must exist. */
        int image = congo_rt_make_root(state_root) == 0 ? overlay_image(exe, state_root) : -1;
        if (image < 0)
                image = memfd_image(exe);
        close(exe);
        size_t n = 0;
        char *cmdline = image < 0 ? NULL : read_cmdline(&n);
        if (cmdline == NULL) {
                congo_rt_error("making a sealed copy of the runtime: %s", strerror(errno));
                if (image >= 0)
                        close(image);
                return -1;
        }
        size_t argc = 0;
        for (size_t i = 0; i < n; i++)
                argc += cmdline[i] == '\0';
        char **args = calloc(argc + 1, sizeof *args);
        if (args == NULL) {
                congo_rt_error("making a sealed copy of the runtime: out of memory");
                free(cmdline);
                close(image);
                return -1;
        }
        argc = 0;
        for (char *p = cmdline; p < cmdline + n; p += strlen(p) + 1)
                args[argc++] = p;
        fexecve(image, args, environ);
        congo_rt_error("running the sealed copy of the runtime: %s", strerror(errno));
        free(args);
        free(cmdline);
        close(image);
        return -1;
}
