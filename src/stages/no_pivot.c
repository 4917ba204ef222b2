/* no_pivot.c - the runtime's --no-pivot: enter the rootfs without
 * pivot_root, for a host whose / is the initramfs (pivot_root says
 * EINVAL there: the root mount has no parent to stack the old root on).
 *
 * As runc's msMoveRoot: the rootfs is moved onto / and the process
 * chroots into it.  A chroot alone would leave every host mount attached
 * beneath the moved rootfs, one chroot(2) escape away; runc detaches only
 * the host's proc and sysfs.  congo detaches every mount that is not the
 * rootfs or beneath it, after the move (so mounts above the rootfs's
 * directory, like the file system holding the bundle, go too), and then
 * checks by mount id that none is left.  What cannot be detached is the
 * namespace's root mount itself (the initramfs): its files stay reachable
 * to a process that escapes the chroot, which needs CAP_SYS_CHROOT (or a
 * user namespace of its own) -- congo(8) BUGS says so.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "cleanup.h"
#include "no_pivot.h"

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x1000U
#endif

struct mnt {
        int id, parent;
        char *point;   /* unescaped, absolute */
};

struct mnt_list {
        struct mnt *v;
        size_t n;
};

static void list_free(struct mnt_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i].point);
        free(l->v);
        l->v = NULL;
        l->n = 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
        char *w = s;

        for (char *r = s; *r; r++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
                    r[3] >= '0' && r[3] <= '7') {
                        *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 3;
                } else {
                        *w++ = *r;
                }
        }
        *w = '\0';
}

/* The mounts of our namespace, read from the container's own /proc
 * (rootfd/proc: the host's /proc is among what gets detached). */
static int read_mounts(int rootfd, struct mnt_list *l, struct congo_error *err)
{
        int fd = openat(rootfd, "proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
        struct statfs sf;
        /* Only a proc's: not a file the spec's mounts put over /proc. */
        if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)) {
                close(fd);
                return congo_error_set(err, EINVAL, "no-pivot: /proc/self/mountinfo is not proc's");
        }
        FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
        char *line = NULL;
        size_t cap = 0;

        if (!f) {
                if (fd >= 0)
                        close(fd);
                return congo_error_set(err, errno, "no-pivot: reading /proc/self/mountinfo");
        }
        while (getline(&line, &cap, f) > 0) {
                int id, parent, off = 0;
                char point[4096];
                if (sscanf(line, "%d %d %*s %*s %4095s%n", &id, &parent, point, &off) < 3)
                        continue;
                struct mnt *v = realloc(l->v, (l->n + 1) * sizeof *v);
                if (!v)
                        break;
                l->v = v;
                unescape(point);
                l->v[l->n++] = (struct mnt){ id, parent, strdup(point) };
                if (!l->v[l->n - 1].point) {
                        l->n--;
                        break;
                }
        }
        int e = ferror(f) ? EIO : 0;
        bool short_read = !feof(f);
        free(line);
        fclose(f);
        if (e || short_read) {
                list_free(l);
                return congo_error_set(err, e ? e : ENOMEM, "no-pivot: reading /proc/self/mountinfo");
        }
        return 0;
}

static bool in(const int *ids, size_t n, int id)
{
        for (size_t i = 0; i < n; i++)
                if (ids[i] == id)
                        return true;
        return false;
}

/* keep[]: the rootfs mount and every mount beneath it (closure over the
 * parent ids), then every mount on "/" (the namespace root and whatever is
 * stacked on it: not detachable, the rootfs sits on top of them). */
static size_t kept_ids(const struct mnt_list *l, int root_id, int *keep)
{
        size_t n = 0;

        keep[n++] = root_id;
        for (bool grew = true; grew;) {
                grew = false;
                for (size_t i = 0; i < l->n; i++)
                        if (!in(keep, n, l->v[i].id) && in(keep, n, l->v[i].parent)) {
                                keep[n++] = l->v[i].id;
                                grew = true;
                        }
        }
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->v[i].point, "/") == 0 && !in(keep, n, l->v[i].id))
                        keep[n++] = l->v[i].id;
        return n;
}

static int mount_id(int fd, struct congo_error *err)
{
        struct statx stx;

        if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
                return congo_error_set(err, errno, "no-pivot: the rootfs's mount id");
        if (!(stx.stx_mask & STATX_MNT_ID))
                return congo_error_set(err, ENOSYS, "no-pivot: the rootfs's mount id (statx STATX_MNT_ID)");
        return (int)stx.stx_mnt_id;
}

/* With cwd at the old root (beneath the moved rootfs), each mount not
 * kept, by its path relative to there; the deepest last-mounted first.
 * A parent's detach takes its children along, so a later ENOENT/EINVAL
 * is expected: the check by id afterwards is what counts. */
static int detach_outside(int rootfd, const struct mnt_list *before, const int *keep, size_t nkeep,
                          struct congo_error *err)
{
        for (size_t i = before->n; i-- > 0;) {
                const struct mnt *m = &before->v[i];
                if (in(keep, nkeep, m->id) || m->point[0] != '/')
                        continue;
                (void)umount2(m->point + 1, MNT_DETACH | UMOUNT_NOFOLLOW);
        }
        struct mnt_list after = { 0 };
        if (read_mounts(rootfd, &after, err) < 0)
                return -1;
        int rc = 0;
        for (size_t i = 0; i < after.n && rc == 0; i++)
                if (!in(keep, nkeep, after.v[i].id)) {
                        /* Mounts the rootfs got since (none expected) would
                         * be beneath it: only a host mount is refused. */
                        bool ours = false;
                        for (size_t j = 0; j < before->n; j++)
                                ours |= before->v[j].id == after.v[i].id;
                        if (ours)
                                rc = congo_error_set(err, EBUSY, "no-pivot: cannot detach the host's mount on %s",
                                                     after.v[i].point);
                }
        list_free(&after);
        return rc;
}

int congo_no_pivot_enter(int rootfd, struct congo_error *err)
{
        struct mnt_list before = { 0 };
        int root_id = mount_id(rootfd, err);

        if (root_id < 0 || read_mounts(rootfd, &before, err) < 0)
                return -1;
        int *keep = calloc(before.n + 1, sizeof *keep);
        _cleanup_close_ int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int rc = -1;

        if (!keep || oldroot < 0)
                congo_error_set(err, keep ? errno : ENOMEM, "no-pivot: opening /");
        else if (fchdir(rootfd) < 0)
                congo_error_set(err, errno, "no-pivot: chdir to the rootfs");
        else if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
                congo_error_set(err, errno, "no-pivot: moving the rootfs onto /");
        else if (fchdir(oldroot) < 0)
                congo_error_set(err, errno, "no-pivot: chdir to the old root");
        else if (detach_outside(rootfd, &before, keep, kept_ids(&before, root_id, keep), err) < 0)
                ;
        /* The old root, now bare beneath the rootfs: private, so that no
         * mount the host makes later propagates in beneath it. */
        else if (mount(NULL, ".", NULL, MS_PRIVATE, NULL) < 0)
                congo_error_set(err, errno, "no-pivot: making the old root private");
        else if (fchdir(rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0)
                congo_error_set(err, errno, "no-pivot: chroot into the rootfs");
        else
                rc = 0;
        free(keep);
        list_free(&before);
        return rc;
}
