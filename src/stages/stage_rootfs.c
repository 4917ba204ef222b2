/* stage_rootfs.c - the container's filesystem, built in its own mount
 * namespace in the order it happens:
 *
 *   / made recursively private (nothing we do propagates to the host)
 *   the rootfs bound onto itself, nodev (pivot_root needs a mount point)
 *   /proc, masked and read-only paths hidden in it at once; /sys likewise
 *   /dev (+ devices, links, pts, shm), /tmp: the other defaults
 *   the spec's mounts, in order
 *   the hardening checked again, from the proc and sysfs fds
 *   pivot_root into it, the old root detached (or, with the runtime's
 *   --no-pivot, moved onto / and chrooted into: no_pivot.c)
 *   the root remounted read-only if asked, cwd entered
 *
 * Every mount point is resolved inside the rootfs (root_path.c), a
 * symlink as its last component is refused by name, and the mount is
 * attached onto the fd that was checked (mount_fd.c); the new mount's own
 * fd is what later steps work in.  So a symlink in the image can neither
 * redirect a mount onto the host nor move /proc somewhere its hardening
 * does not follow.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "cleanup.h"
#include "harden.h"
#include "hooks.h"
#include "host_checks.h"
#include "mount_fd.h"
#include "mount_idmap.h"
#include "mount_spec.h"
#include "no_pivot.h"
#include "root_path.h"
#include "rootfs_devices.h"
#include "sysctl.h"

struct default_mount {
        const char *target, *fstype, *data;
        unsigned long flags;
        bool (*wanted)(const struct congo_spec *);
};

static bool own_net(const struct congo_spec *s)
{
        return s->namespaces & CONGO_NS_NET;
}

/* proc first, then sysfs: each hardened before anything else is mounted
 * over or beside it.  Entries under /dev/ go into our /dev tmpfs. */
enum { M_PROC, M_SYS, M_DEV, M_COUNT = 6 };
static const struct default_mount default_mounts[M_COUNT] = {
        [M_PROC] = { "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
        [M_SYS] = { "/sys", "sysfs", NULL, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, own_net },
        [M_DEV] = { "/dev", "tmpfs", "mode=755,size=65536k", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME, NULL },
        { "/dev/pts", "devpts", "newinstance,ptmxmode=0666,mode=0620", MS_NOSUID | MS_NOEXEC, NULL },
        { "/dev/shm", "tmpfs", "mode=1777,size=65536k", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
        /* data: mode=1777,size=limits.tmp */
        { "/tmp", "tmpfs", NULL, MS_NOSUID | MS_NODEV, NULL },
};

static const struct { const char *name; unsigned major, minor; } devices[] = {
        { "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
        { "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const struct { const char *name, *target; } dev_links[] = {
        { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
        { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
        { "ptmx", "pts/ptmx" }, { "core", "/proc/kcore" },
};

/* Statfs flags a bind remount must repeat, or the kernel refuses (EPERM)
 * in a user namespace, or silently clears them. */
static unsigned long kept_flags(int fd)
{
        static const struct { unsigned long st, ms; } map[] = {
                { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
                { ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
                { ST_RELATIME, MS_RELATIME }, { ST_RDONLY, MS_RDONLY },
        };
        struct statvfs sv;
        unsigned long flags = 0;

        if (fstatvfs(fd, &sv) < 0)
                return 0;
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
                if (sv.f_flag & map[i].st)
                        flags |= map[i].ms;
        return flags;
}

/* devfd: the root of the /dev tmpfs we just made. */
static int populate_dev(int devfd, bool in_userns, struct congo_error *err)
{
        for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
                char path[32], fdpath[32];
                dev_t nr = makedev(devices[i].major, devices[i].minor);
                if (!in_userns && mknodat(devfd, devices[i].name, S_IFCHR | 0666, nr) == 0)
                        continue;
                /* In a user namespace mknod is refused: bind the host's. */
                snprintf(path, sizeof path, "/dev/%s", devices[i].name);
                _cleanup_close_ int fd = congo_mountpoint_at(devfd, devices[i].name, true, path, err);
                if (fd < 0)
                        return -1;
                if (mount(path, congo_fd_path(fd, fdpath), NULL, MS_BIND, NULL) < 0)
                        return congo_error_set(err, errno, "mounting %s on %s", path, path);
        }
        for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++)
                if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0 && errno != EEXIST)
                        return congo_error_set(err, errno, "linking /dev/%s", dev_links[i].name);
        return 0;
}

/* Each default in order; fds[] keeps the root of each new mount. */
static int mount_defaults(struct congo_run *run, int rootfd, int fds[M_COUNT],
                          struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        for (size_t i = 0; i < M_COUNT; i++) {
                const struct default_mount *m = &default_mounts[i];
                if (m->wanted && !m->wanted(s))
                        continue;
                bool in_dev = strncmp(m->target, "/dev/", 5) == 0;
                _cleanup_close_ int point = congo_mountpoint_at(in_dev ? fds[M_DEV] : rootfd,
                                                               strrchr(m->target, '/') + 1,
                                                               false, m->target, err);
                if (point < 0)
                        return -1;
                char tmp_data[64];
                snprintf(tmp_data, sizeof tmp_data, "mode=1777,size=%" PRIu64, s->limits.tmp_size);
                bool tmp = strcmp(m->target, "/tmp") == 0;
                fds[i] = congo_mount_new(point, m->target, m->fstype, NULL,
                                         tmp ? tmp_data : m->data, m->flags, err);
                if (fds[i] < 0)
                        return -1;
                int rc = 0;
                if (i == M_PROC && (rc = congo_sysctl_apply(fds[i], s, err)) == 0)
                        rc = congo_harden_proc(fds[i], s, err);
                else if (i == M_SYS)
                        rc = congo_harden_sys(fds[i], s, err);
                else if (i == M_DEV && (rc = populate_dev(fds[i], s->namespaces & CONGO_NS_USER, err)) == 0)
                        rc = congo_rootfs_devices(fds[i], s, s->namespaces & CONGO_NS_USER, err);
                if (rc < 0)
                        return -1;
        }
        return 0;
}

/* What / becomes before anything is mounted: private, or a slave of the
 * host's mounts when rootfs_propagation asks for slave or shared, so that
 * mounts the host makes beneath the rootfs reach the container.  Never
 * shared with the host: every mount congo makes stays in the container
 * (shared means shared among the container's own mounts, set after the
 * pivot). */
static unsigned long first_propagation(const struct congo_spec *s)
{
        unsigned long p = s->rootfs_propagation & ~(unsigned long)MS_REC;

        return p == MS_SLAVE || p == MS_SHARED ? MS_SLAVE : MS_PRIVATE;
}

static int enter_root(struct congo_run *run, int rootfd, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        /* pivot_root(".", ".") stacks the old root under the new one;
         * detaching it leaves no path back to the host. */
        if (run->no_pivot) {
                if (congo_no_pivot_enter(rootfd, err) < 0)
                        return -1;
        } else if (fchdir(rootfd) < 0) {
                return congo_error_set(err, errno, "chdir(\"%s\")", s->rootfs);
        } else if (syscall(SYS_pivot_root, ".", ".") < 0) {
                /* EINVAL where / is the initramfs: it has no parent. */
                return congo_error_set(err, errno, "pivot_root(\"%s\")%s", s->rootfs,
                                       errno == EINVAL ? " (is / the initramfs? the runtime's --no-pivot is for that)" : "");
        } else if (umount2(".", MNT_DETACH) < 0) {
                return congo_error_set(err, errno, "detaching the old root");
        }
        if (chdir("/") < 0)
                return congo_error_set(err, errno, "chdir(\"/\")");
        /* Shared or unbindable: only now, with the old root gone, so
         * nothing congo mounted can reach the host (see first_propagation). */
        unsigned long last = s->rootfs_propagation & ~(unsigned long)MS_REC;
        if ((last == MS_SHARED || last == MS_UNBINDABLE) &&
            mount(NULL, "/", NULL, s->rootfs_propagation, NULL) < 0)
                return congo_error_set(err, errno, "rootfs_propagation: making / %s",
                                       last == MS_SHARED ? "shared" : "unbindable");
        if (s->readonly_rootfs) {
                int fd = open("/", O_PATH | O_CLOEXEC);
                unsigned long flags = kept_flags(fd) | MS_RDONLY | MS_REMOUNT | MS_BIND;
                close(fd);
                if (mount(NULL, "/", NULL, flags, NULL) < 0)
                        return congo_error_set(err, errno, "remounting / read-only");
        }
        /* cwd comes from the image (OCI WorkingDir): resolved inside the
         * root with no magic link, so "/proc/self/fd/N" (or a symlink in
         * the image to it) cannot enter a directory the launcher still
         * holds open on the host, as runc's CVE-2024-21626 did. */
        _cleanup_close_ int rfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int cwd = rfd < 0 ? -1 : congo_root_open(rfd, s->cwd, O_PATH | O_DIRECTORY);
        if (cwd < 0)
                return congo_error_set(err, errno, "cwd: \"%s\"%s", s->cwd,
                                       errno == ELOOP || errno == EXDEV
                                               ? " goes through a magic link (/proc/PID/fd, cwd, root...)"
                                               : "");
        if (fchdir(cwd) < 0)
                return congo_error_set(err, errno, "cwd: chdir(\"%s\")", s->cwd);
        return 0;
}

/* The rootfs, opened once (beneath the spec's directory when written
 * relative) and bound onto itself from that fd, nodev: device nodes in
 * the image are dead; the container's devices are in /dev. */
static int bind_rootfs(const struct congo_spec *s, struct congo_error *err)
{
        _cleanup_close_ int src = congo_open_spec_path(s->rootfs, &s->rootfs_rel, O_PATH | O_DIRECTORY, err);
        int root = src < 0 ? -1 : congo_mount_bind(src, src, s->rootfs, true, MS_NODEV, 0, err);

        /* A symlink leading out keeps its own message (errnum 0). */
        if (root < 0 && err->errnum != 0)
                snprintf(err->msg, sizeof err->msg, "binding %s onto itself", s->rootfs);
        return root;
}

static int rootfs_child(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        int fds[M_COUNT] = { -1, -1, -1, -1, -1, -1 };
        int rc = -1;

        if (mount(NULL, "/", NULL, MS_REC | first_propagation(s), NULL) < 0) {
                int e = errno;
                return congo_error_set(err, e, "making / %s%s",
                                       first_propagation(s) == MS_SLAVE ? "a slave" : "private",
                                       e == EINVAL && !congo_root_is_mount_point("/proc/self/mountinfo") ?
                                       ": " CONGO_CHROOT_HINT : "");
        }
        struct congo_prepared prep[s->n_mounts + 1];
        congo_spec_mounts_init(prep, s->n_mounts);
        _cleanup_close_ int rootfd = -1;
        if (congo_idmap_receive(run, prep, err) == 0 && congo_spec_mounts_prepare(s, prep, err) == 0 &&
            (rootfd = bind_rootfs(s, err)) >= 0) {
                umask(0);
                if (mount_defaults(run, rootfd, fds, err) == 0 &&
                    congo_spec_mounts_attach(s, rootfd, prep, err) == 0 &&
                    congo_harden_user_paths(rootfd, s, err) == 0 &&
                    congo_harden_verify(fds[M_PROC], fds[M_SYS], s, err) == 0 &&
                    congo_spec_mounts_verify(s, prep, err) == 0 &&
                    congo_hooks_run(run, CONGO_HOOK_CREATE_CONTAINER, err) == 0 &&
                    enter_root(run, rootfd, err) == 0)
                        rc = 0;
                umask(022);
        }
        for (size_t i = 0; i < M_COUNT; i++)
                if (fds[i] >= 0)
                        close(fds[i]);
        congo_harden_release();
        congo_spec_mounts_release(prep, s->n_mounts);
        return rc;
}

static void rootfs_describe(struct congo_run *run, FILE *out)
{
        const struct congo_spec *s = run->spec;

        fprintf(out, "   make / %s; bind %s onto itself (nodev)\n",
                first_propagation(s) == MS_SLAVE ? "a slave" : "private", s->rootfs);
        for (size_t i = 0; i < M_COUNT; i++) {
                const struct default_mount *m = &default_mounts[i];
                if (m->wanted && !m->wanted(s))
                        continue;
                if (m->data)
                        fprintf(out, "   mount %s on %s %s\n", m->fstype, m->target, m->data);
                else if (strcmp(m->target, "/tmp") == 0)
                        fprintf(out, "   mount %s on %s mode=1777,size=%" PRIu64 "\n", m->fstype,
                                m->target, s->limits.tmp_size);
                else
                        fprintf(out, "   mount %s on %s\n", m->fstype, m->target);
                if (i == M_PROC) {
                        congo_sysctl_describe(s, out);
                        congo_harden_describe(s, out);
                }
        }
        fputs("   /dev: null zero full random urandom tty; fd stdin stdout stderr ptmx links\n", out);
        congo_rootfs_devices_describe(s, out);
        congo_spec_mounts_describe(s, out);
        congo_harden_describe_user(s, out);
        fputs("   check the masked and read-only paths again\n", out);
        fprintf(out, "   %s %s, detach the %s%s%s%s\n   chdir %s\n",
                run->no_pivot ? "move onto / and chroot into" : "pivot_root into", s->rootfs,
                run->no_pivot ? "mounts outside it" : "old root",
                s->rootfs_propagation ? ", make / " : "",
                s->rootfs_propagation ? congo_propagation_name(s->rootfs_propagation) : "",
                s->readonly_rootfs ? ", remount / read-only" : "", s->cwd);
}

const struct congo_stage congo_stage_rootfs = {
        .name = "rootfs",
        .describe = rootfs_describe,
        .prepare = congo_idmap_prepare,
        .parent = congo_idmap_parent,
        .child = rootfs_child,
};
