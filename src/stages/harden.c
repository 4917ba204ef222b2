/* harden.c - the parts of /proc and /sys a container must not see or
 * write, hidden or made read-only as OCI runtimes do: /dev/null over
 * files, an empty read-only tmpfs over directories, read-only binds.
 *
 * Everything here works on the fd of the proc or sysfs mount just made,
 * never on a path from the root: wherever the mount is, its hardening is
 * on it.  It fails closed: a path that exists and cannot be hidden is an
 * error; only one absent from the filesystem we mounted (the running
 * kernel has none) is passed over.  congo_harden_verify checks again
 * after every other mount, from the same fds.
 *
 * A spec's masked_paths or readonly_paths replaces the default list of
 * its kind (OCI semantics; an empty list means none).  Those paths are
 * container paths anywhere, applied after every other mount, resolved
 * inside the root (a symlink in the image stays inside it, a magic link is
 * refused) and, as OCI runtimes do, skipped when absent.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "harden.h"
#include "mount_fd.h"
#include "root_path.h"

static const char *const proc_masked[] = {
        "acpi", "asound", "kcore", "keys", "latency_stats", "timer_list",
        "timer_stats", "sched_debug", "scsi",
};
static const char *const proc_readonly[] = { "bus", "fs", "irq", "sys", "sysrq-trigger" };
static const char *const sys_masked[] = { "firmware", "devices/virtual/powercap" };

#define N(a) (sizeof (a) / sizeof (a)[0])

static bool listed(const char *name, const char *const *names, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(name, names[i]) == 0)
                        return true;
        return false;
}

bool congo_harden_covers(const char *path, bool readonly)
{
        if (strncmp(path, "/proc/", 6) == 0)
                return listed(path + 6, proc_masked, N(proc_masked)) ||
                       (readonly && listed(path + 6, proc_readonly, N(proc_readonly)));
        if (strncmp(path, "/sys/", 5) == 0)
                return listed(path + 5, sys_masked, N(sys_masked));
        return false;
}

#define HIDDEN_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* Every masked directory of a container shows one empty read-only tmpfs,
 * made once: the first mask is that tmpfs, each further one a clone of
 * its mount, so one superblock however many directories are masked, where
 * a mount(2) each made one each (and each was made, then torn down when
 * the container ended: ~15 us a directory here).  Read-only as that
 * mount(2) with MS_RDONLY made them: the superblock ("ro") and every
 * mount of it.  Attached at once, never left detached: closing a detached
 * mount tree is an unmount, with the wait for RCU that comes with it. */
static int empty_dir = -1;

static int new_empty_dir(void)
{
        _cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);

        if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
            fsconfig(fs, FSCONFIG_SET_STRING, "size", "0", 0) < 0 ||
            fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0 ||
            fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return -1;
        return fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)congo_mount_attr(HIDDEN_FLAGS));
}

void congo_harden_release(void)
{
        if (empty_dir >= 0)
                close(empty_dir);
        empty_dir = -1;
}

/* The directory at fd hidden under the empty tmpfs, or a clone of it. */
static int mask_dir(int fd)
{
        bool first = empty_dir < 0;
        int tree = first ? new_empty_dir() : congo_mount_clone(empty_dir, false);

        if (tree < 0 && !first && errno == EINVAL) {
                /* The source left our mount namespace: the image's directory
                 * it covers was renamed over from outside while we started
                 * (its mount detached).  Mask with a new tmpfs, which becomes
                 * the source; the check after the mounts finds what else the
                 * rename undid and refuses the container. */
                close(empty_dir);
                empty_dir = -1;
                first = true;
                tree = new_empty_dir();
        }
        if (tree < 0)
                return -1;
        if (move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
                int e = errno;
                close(tree);
                errno = e;
                return -1;
        }
        if (first)
                empty_dir = tree;   /* attached: the source of the clones */
        else
                close(tree);
        return 0;
}

/* name inside the filesystem at fsfd; -1 with errno ENOENT when absent. */
static int open_in(int fsfd, const char *name)
{
        return congo_open_beneath(fsfd, name, O_PATH | O_NOFOLLOW);
}

static int mask(int fsfd, const char *mnt, const char *const *names, size_t n,
                struct congo_error *err)
{
        for (size_t i = 0; i < n; i++) {
                char fdpath[32];
                struct stat st;
                _cleanup_close_ int fd = open_in(fsfd, names[i]);
                if (fd < 0 && errno == ENOENT)
                        continue;   /* this kernel has no such file */
                if (fd < 0 || fstat(fd, &st) < 0)
                        return congo_error_set(err, errno, "masking %s/%s", mnt, names[i]);
                int rc = S_ISDIR(st.st_mode)
                        ? mask_dir(fd)
                        : mount("/dev/null", congo_fd_path(fd, fdpath), NULL, MS_BIND, NULL);
                if (rc < 0)
                        return congo_error_set(err, errno, "masking %s/%s", mnt, names[i]);
        }
        return 0;
}

/* The spec's lists, or NULL where the defaults apply (s NULL: a proc or
 * sysfs mount of the spec's own, which always gets the defaults). */
static bool default_masked(const struct congo_spec *s)
{
        return s == NULL || s->process.masked_paths == NULL;
}

static bool default_readonly(const struct congo_spec *s)
{
        return s == NULL || s->process.readonly_paths == NULL;
}

int congo_harden_proc(int procfd, const struct congo_spec *s, struct congo_error *err)
{
        if (default_masked(s) && mask(procfd, "/proc", proc_masked, N(proc_masked), err) < 0)
                return -1;
        for (size_t i = 0; default_readonly(s) && i < N(proc_readonly); i++) {
                char path[64];
                _cleanup_close_ int fd = open_in(procfd, proc_readonly[i]);
                if (fd < 0 && errno == ENOENT)
                        continue;
                snprintf(path, sizeof path, "/proc/%s", proc_readonly[i]);
                if (fd < 0)
                        return congo_error_set(err, errno, "opening %s", path);
                /* Bound onto itself read-only before it is attached. */
                int mnt = congo_mount_bind(fd, fd, path, true, HIDDEN_FLAGS, 0, err);
                if (mnt < 0)
                        return -1;
                close(mnt);
        }
        return 0;
}

int congo_harden_sys(int sysfd, const struct congo_spec *s, struct congo_error *err)
{
        if (!default_masked(s))
                return 0;
        return mask(sysfd, "/sys", sys_masked, N(sys_masked), err);
}

/* One user path: fd resolved inside the root, or skipped when absent. */
static int open_user_path(int rootfd, const char *path, struct stat *st, struct congo_error *err)
{
        int fd = congo_root_open(rootfd, path, O_PATH);

        if (fd < 0 && errno == ENOENT)
                return -2;
        if (fd < 0 || fstat(fd, st) < 0) {
                int e = errno;
                if (fd >= 0)
                        close(fd);
                return congo_error_set(err, e, "resolving %s inside the container", path);
        }
        if (S_ISLNK(st->st_mode)) {   /* only without openat2 */
                close(fd);
                return congo_error_set(err, ELOOP, "resolving %s inside the container", path);
        }
        return fd;
}

int congo_harden_user_paths(int rootfd, const struct congo_spec *s, struct congo_error *err)
{
        char fdpath[32];
        struct stat st;

        for (char **p = s->process.masked_paths; p && *p; p++) {
                _cleanup_close_ int fd = open_user_path(rootfd, *p, &st, err);
                if (fd == -2)
                        continue;
                if (fd < 0)
                        return -1;
                int rc = S_ISDIR(st.st_mode)
                        ? mask_dir(fd)
                        : mount("/dev/null", congo_fd_path(fd, fdpath), NULL, MS_BIND, NULL);
                if (rc < 0)
                        return congo_error_set(err, errno, "masking %s", *p);
        }
        for (char **p = s->process.readonly_paths; p && *p; p++) {
                _cleanup_close_ int fd = open_user_path(rootfd, *p, &st, err);
                if (fd == -2)
                        continue;
                if (fd < 0)
                        return -1;
                int mnt = congo_mount_bind(fd, fd, *p, true, MS_RDONLY, 0, err);
                if (mnt < 0)
                        return -1;
                close(mnt);
        }
        return 0;
}

/* statfs's f_flags are filled (the kernel's include/linux/statfs.h). */
#ifndef ST_VALID
#define ST_VALID 0x0020
#endif

/* What name is now, seen from the mount's root across every mount made
 * since: 1 still the raw filesystem (magic), 0 something else or gone. */
static int still_raw(int fsfd, const char *name, long magic, bool *writable)
{
        struct statfs sfs;
        struct statvfs sv;
        _cleanup_close_ int fd = openat(fsfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

        if (fd < 0)
                return errno == ENOENT ? 0 : -1;
        if (fstatfs(fd, &sfs) < 0)
                return -1;
        /* The mount's flags come with the type (Linux 2.6.36, ST_VALID);
         * only without them a second call, which finds them otherwise. */
        if (sfs.f_flags & ST_VALID)
                *writable = !(sfs.f_flags & ST_RDONLY);
        else if (fstatvfs(fd, &sv) == 0)
                *writable = !(sv.f_flag & ST_RDONLY);
        else
                return -1;
        return sfs.f_type == magic;
}

int congo_harden_verify(int procfd, int sysfd, const struct congo_spec *s, struct congo_error *err)
{
        bool defmask = default_masked(s), defro = default_readonly(s), w;

        for (size_t i = 0; procfd >= 0 && defmask && i < N(proc_masked); i++) {
                int r = still_raw(procfd, proc_masked[i], PROC_SUPER_MAGIC, &w);
                if (r != 0)
                        return congo_error_set(err, r < 0 ? errno : 0, "/proc/%s is visible after the mounts; it must stay masked",
                                               proc_masked[i]);
        }
        for (size_t i = 0; procfd >= 0 && defro && i < N(proc_readonly); i++) {
                int r = still_raw(procfd, proc_readonly[i], PROC_SUPER_MAGIC, &w);
                if (r < 0 || (r > 0 && w))
                        return congo_error_set(err, r < 0 ? errno : 0, "/proc/%s is writable after the mounts; it must stay read-only",
                                               proc_readonly[i]);
        }
        for (size_t i = 0; defmask && sysfd >= 0 && i < N(sys_masked); i++) {
                int r = still_raw(sysfd, sys_masked[i], SYSFS_MAGIC, &w);
                if (r != 0)
                        return congo_error_set(err, r < 0 ? errno : 0, "/sys/%s is visible after the mounts; it must stay masked",
                                               sys_masked[i]);
        }
        return 0;
}

void congo_harden_describe(const struct congo_spec *s, FILE *out)
{
        if (s->process.masked_paths == NULL) {
                fputs("   mask:", out);
                for (size_t i = 0; i < N(proc_masked); i++)
                        fprintf(out, " /proc/%s", proc_masked[i]);
                for (size_t i = 0; i < N(sys_masked); i++)
                        fprintf(out, " /sys/%s", sys_masked[i]);
                fputc('\n', out);
        }
        if (s->process.readonly_paths == NULL) {
                fputs("   read-only:", out);
                for (size_t i = 0; i < N(proc_readonly); i++)
                        fprintf(out, " /proc/%s", proc_readonly[i]);
                fputc('\n', out);
        }
}

void congo_harden_describe_user(const struct congo_spec *s, FILE *out)
{
        if (s->process.masked_paths != NULL) {
                fputs("   mask (masked_paths, absent ones skipped):", out);
                for (char **p = s->process.masked_paths; *p; p++)
                        fprintf(out, " %s", *p);
                fputc('\n', out);
        }
        if (s->process.readonly_paths != NULL) {
                fputs("   read-only (readonly_paths, absent ones skipped):", out);
                for (char **p = s->process.readonly_paths; *p; p++)
                        fprintf(out, " %s", *p);
                fputc('\n', out);
        }
}
