/* mount_fd.c - mounts made and attached by file descriptor, with the new
 * mount API (Linux 5.2; mount_setattr 5.12).
 *
 * A filesystem is created detached (fsopen/fsmount) or a tree cloned
 * detached (open_tree), gets its flags while nothing can see it, and is
 * attached with move_mount onto an O_PATH fd that was resolved and checked
 * once.  The fd returned is the new mount's root: whatever is done inside
 * it afterwards (masking /proc, filling /dev) is done there, never through
 * a path looked up again, so a symlink or a rename in the image cannot
 * move it elsewhere.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "mount_fd.h"
#include "root_path.h"

unsigned long long congo_mount_attr(unsigned long ms)
{
        static const struct { unsigned long ms; unsigned long long attr; } map[] = {
                { MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
                { MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
                { MS_NOATIME, MOUNT_ATTR_NOATIME }, { MS_STRICTATIME, MOUNT_ATTR_STRICTATIME },
                { MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
        };
        unsigned long long attr = 0;

        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
                if (ms & map[i].ms)
                        attr |= map[i].attr;
        return attr;
}

/* "mode=755,size=64m,newinstance" handed to fsconfig one by one. */
static int configure(int fs, const char *source, const char *data)
{
        if (source != NULL && fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0)
                return -1;
        if (data == NULL || *data == '\0')
                return 0;
        _cleanup_free_ char *buf = strdup(data);
        if (buf == NULL)
                return -1;
        for (char *save = NULL, *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(o, '=');
                int rc;
                if (eq != NULL) {
                        *eq = '\0';
                        rc = fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0);
                } else {
                        rc = fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0);
                }
                if (rc < 0)
                        return -1;
        }
        return 0;
}

/* The error, with what the filesystem said about it in the context's
 * log ("e tmpfs: Unknown parameter 'x'"), or what an absent type means. */
static int fs_error(int fs, int e, const char *fstype, const char *target,
                    struct congo_error *err)
{
        char log[256] = "";
        ssize_t n = fs >= 0 ? read(fs, log, sizeof log - 1) : -1;

        if (n > 2) {
                log[n] = '\0';
                log[strcspn(log, "\n")] = '\0';
                return congo_error_set(err, e, "mounting %s on %s (%s)", fstype, target, log + 2);
        }
        if (fs < 0 && e == ENODEV)
                return congo_error_set(err, e, "mounting %s on %s (the kernel has no filesystem "
                                       "of that name: see /proc/filesystems)", fstype, target);
        return congo_error_set(err, e, "mounting %s on %s", fstype, target);
}

int congo_mount_new(int targetfd, const char *target, const char *fstype, const char *source,
                    const char *data, unsigned long ms_flags, struct congo_error *err)
{
        _cleanup_close_ int fs = fsopen(fstype, FSOPEN_CLOEXEC);

        if (fs < 0 || configure(fs, source, data) < 0 ||
            fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return fs_error(fs, errno, fstype, target, err);
        int mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)congo_mount_attr(ms_flags));
        if (mnt < 0)
                return congo_error_set(err, errno, "mounting %s on %s", fstype, target);
        if (move_mount(mnt, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
                int e = errno;
                close(mnt);
                return congo_error_set(err, e, "mounting %s on %s", fstype, target);
        }
        return mnt;
}

int congo_mount_propagate(int mnt, const char *target, unsigned long ms, struct congo_error *err)
{
        char fdpath[32];

        if (ms == 0)
                return 0;
        /* The fd is the mount's root, so this names that mount exactly. */
        if (mount(NULL, congo_fd_path(mnt, fdpath), NULL, ms, NULL) < 0)
                return congo_error_set(err, errno, "setting the propagation of %s", target);
        return 0;
}

/* Before 5.12 there is no mount_setattr: remount the attached top mount
 * (not its submounts), keeping the flags the kernel would otherwise clear
 * or refuse to drop in a user namespace. */
static int remount_fallback(int mnt, unsigned long set, unsigned long clear)
{
        static const struct { unsigned long st, ms; } keep[] = {
                { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
                { ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
                { ST_RELATIME, MS_RELATIME }, { ST_RDONLY, MS_RDONLY },
        };
        char fdpath[32];
        struct statvfs sv;
        unsigned long flags = 0;

        if (fstatvfs(mnt, &sv) == 0)
                for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
                        if (sv.f_flag & keep[i].st)
                                flags |= keep[i].ms;
        flags = ((flags | set) & ~clear) | MS_REMOUNT | MS_BIND;
        return mount(NULL, congo_fd_path(mnt, fdpath), NULL, flags, NULL);
}

int congo_mount_clone(int srcfd, bool recursive)
{
        return open_tree(srcfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
                                            (recursive ? AT_RECURSIVE : 0));
}

int congo_mount_bind(int srcfd, int targetfd, const char *target, bool recursive,
                     unsigned long set, unsigned long clear, struct congo_error *err)
{
        int tree = congo_mount_clone(srcfd, recursive);

        if (tree < 0)
                return congo_error_set(err, errno, "binding %s", target);
        return congo_mount_attach(tree, targetfd, target, recursive, set, clear, err);
}

int congo_mount_attach(int tree, int targetfd, const char *target, bool recursive,
                       unsigned long set, unsigned long clear, struct congo_error *err)
{
        unsigned rec = recursive ? AT_RECURSIVE : 0;
        bool later = false;

        struct mount_attr attr = {
                .attr_set = congo_mount_attr(set),
                .attr_clr = congo_mount_attr(clear),
        };
        attr.attr_clr &= ~attr.attr_set;
        /* The access-time mode is one field: setting one clears the rest. */
        if (attr.attr_set & (MOUNT_ATTR_NOATIME | MOUNT_ATTR_STRICTATIME) || set & MS_RELATIME)
                attr.attr_clr |= MOUNT_ATTR__ATIME;
        if ((attr.attr_set || attr.attr_clr) &&
            mount_setattr(tree, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0) {
                if (errno != ENOSYS) {
                        int e = errno;
                        close(tree);
                        return congo_error_set(err, e, "setting the flags of %s", target);
                }
                later = true;
        }
        if (move_mount(tree, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0 ||
            (later && remount_fallback(tree, set, clear) < 0)) {
                int e = errno;
                close(tree);
                return congo_error_set(err, e, "binding %s", target);
        }
        return tree;
}
