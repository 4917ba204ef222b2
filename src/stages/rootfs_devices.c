/* rootfs_devices.c - the devices a container may use: congo's own nodes in
 * its /dev (null, zero, full, random, urandom, tty, made by stage_rootfs.c;
 * ptmx and the pts slaves of its devpts), and the spec's `devices`, which
 * are made here, in the container's /dev tmpfs.
 *
 * The same list, after the spec's device_rules, is the device cgroup's
 * (stage_cgroups.c), so a node the image carries, or that a bind mount
 * brings in, opens only if its numbers are allowed, whatever its name or
 * where it lies.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "root_path.h"
#include "rootfs_devices.h"

/* Keep in step with stage_rootfs.c's devices[] and its devpts mount. */
#define RWM(t, ma, mi) { .type = t, .major = ma, .minor = mi }
static const struct congo_cgroup_device congo_own[] = {
        RWM('c', 1, 3), RWM('c', 1, 5), RWM('c', 1, 7),     /* null, zero, full */
        RWM('c', 1, 8), RWM('c', 1, 9),                     /* random, urandom */
        RWM('c', 5, 0), RWM('c', 5, 2),                     /* tty, pts/ptmx */
        RWM('c', 136, -1),                                  /* pts/N */
};

/* Already allowed (a second node of the same numbers, or one of ours)? */
static bool listed(const struct congo_cgroup_device *list, size_t n,
                   const struct congo_cgroup_device *r)
{
        for (size_t i = 0; i < n; i++)
                if (list[i].type == r->type && list[i].major == r->major &&
                    (list[i].minor == r->minor || list[i].minor < 0))
                        return true;
        return false;
}

/* The spec's device_rules first, in order; then congo's own nodes and the
 * spec's devices, allowed rwm: last, so that no rule takes them away. */
size_t congo_devices_allowlist(const struct congo_spec *s, struct congo_cgroup_device *out,
                               size_t cap)
{
        size_t n = 0, own;

        for (size_t i = 0; i < s->n_device_rules && n < cap; i++) {
                const struct congo_device_rule *r = &s->device_rules[i];
                out[n++] = (struct congo_cgroup_device){
                        .type = r->type, .major = r->major, .minor = r->minor,
                        .access = r->access, .deny = !r->allow,
                };
        }
        own = n;
        for (size_t i = 0; i < sizeof congo_own / sizeof congo_own[0] && n < cap; i++)
                out[n++] = congo_own[i];
        for (size_t i = 0; i < s->n_devices && n < cap; i++) {
                const struct congo_device *d = &s->devices[i];
                struct congo_cgroup_device r = RWM(d->type, (int32_t)d->major, (int32_t)d->minor);
                if (d->type == 'p' || listed(out + own, n - own, &r))   /* a FIFO is no device */
                        continue;
                out[n++] = r;
        }
        return n;
}

/* The directory that holds path's last component, made inside /dev
 * without following any symlink; *leaf points into path. */
static int open_parent(int devfd, const char *path, const char **leaf, struct congo_error *err)
{
        char part[256];
        const char *rest = path + strlen("/dev/");
        int fd = dup(devfd);

        for (;;) {
                size_t n = strcspn(rest, "/");
                if (rest[n] == '\0' || fd < 0)
                        break;
                snprintf(part, sizeof part, "%.*s", (int)n, rest);
                if (mkdirat(fd, part, 0755) < 0 && errno != EEXIST) {
                        close(fd);
                        return congo_error_set(err, errno, "devices: creating /dev/.../%s for %s", part, path);
                }
                int next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                close(fd);
                if (next < 0)
                        return congo_error_set(err, errno, "devices: opening /dev/.../%s for %s", part, path);
                fd = next;
                rest += n + 1;
        }
        if (fd < 0)
                return congo_error_set(err, errno, "devices: opening /dev");
        *leaf = rest;
        return fd;
}

/* In a user namespace mknod of a device is refused: the host's node of the
 * same path is bound there instead, if it is the device the spec names. */
static int bind_host_node(int dirfd, const char *leaf, const struct congo_device *d,
                          struct congo_error *err)
{
        struct stat st;
        char fdpath[32];
        mode_t type = d->type == 'b' ? S_IFBLK : S_IFCHR;

        if (stat(d->path, &st) < 0)
                return congo_error_set(err, errno, "devices: %s: in a user namespace congo binds the host's node, and the host has none",
                                       d->path);
        if ((st.st_mode & S_IFMT) != type || st.st_rdev != makedev(d->major, d->minor))
                return congo_error_set(err, 0, "devices: %s: in a user namespace congo binds the host's node, and the host's is not %c %u:%u",
                                       d->path, d->type, d->major, d->minor);
        int made = openat(dirfd, leaf, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (made < 0)
                return congo_error_set(err, errno, "devices: creating %s", d->path);
        close(made);
        _cleanup_close_ int target = openat(dirfd, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (target < 0 || mount(d->path, congo_fd_path(target, fdpath), NULL, MS_BIND, NULL) < 0)
                return congo_error_set(err, errno, "devices: binding the host's %s", d->path);
        return 0;
}

/* Remove what is at leaf: in a user namespace congo's own nodes are the
 * host's, bound there, and must be unmounted first. */
static int replace(int dir, const char *leaf)
{
        char fdpath[32];

        if (unlinkat(dir, leaf, 0) == 0)
                return 0;
        if (errno != EBUSY)
                return -1;
        _cleanup_close_ int fd = openat(dir, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || umount2(congo_fd_path(fd, fdpath), MNT_DETACH) < 0)
                return -1;
        return unlinkat(dir, leaf, 0);
}

static int make_node(int devfd, const struct congo_device *d, bool in_userns,
                     struct congo_error *err)
{
        const char *leaf = NULL;
        _cleanup_close_ int dir = open_parent(devfd, d->path, &leaf, err);
        mode_t type = d->type == 'c' ? S_IFCHR : d->type == 'b' ? S_IFBLK : S_IFIFO;

        if (dir < 0)
                return -1;
        /* One of congo's own nodes or links of that name gives way. */
        if (replace(dir, leaf) < 0 && errno != ENOENT)
                return congo_error_set(err, errno, "devices: replacing %s", d->path);
        if (type != S_IFIFO &&
            (in_userns || mknodat(dir, leaf, type | d->file_mode, makedev(d->major, d->minor)) < 0)) {
                /* Refused in a user namespace, ours or the launcher's. */
                if (in_userns || errno == EPERM)
                        return bind_host_node(dir, leaf, d, err);
                return congo_error_set(err, errno, "devices: mknod %s", d->path);
        }
        if (type == S_IFIFO && mknodat(dir, leaf, type | d->file_mode, 0) < 0)
                return congo_error_set(err, errno, "devices: mknod %s", d->path);
        /* Not through a path: the node is ours, made a moment ago. */
        _cleanup_close_ int node = openat(dir, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (node < 0 || fchownat(node, "", d->uid, d->gid, AT_EMPTY_PATH) < 0)
                return congo_error_set(err, errno, "devices: chown %s to %u:%u", d->path, d->uid, d->gid);
        char fdpath[32];
        if (chmod(congo_fd_path(node, fdpath), d->file_mode) < 0)
                return congo_error_set(err, errno, "devices: chmod %s", d->path);
        return 0;
}

int congo_rootfs_devices(int devfd, const struct congo_spec *s, bool in_userns,
                         struct congo_error *err)
{
        for (size_t i = 0; i < s->n_devices; i++)
                if (make_node(devfd, &s->devices[i], in_userns, err) < 0)
                        return -1;
        return 0;
}

void congo_rootfs_devices_describe(const struct congo_spec *s, FILE *out)
{
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct congo_device *d = &s->devices[i];
                fprintf(out, "   mknod %s %c", d->path, d->type);
                if (d->type != 'p')
                        fprintf(out, " %u:%u", d->major, d->minor);
                fprintf(out, " mode %04o owner %u:%u\n", d->file_mode, d->uid, d->gid);
        }
}
