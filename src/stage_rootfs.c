/* stage_rootfs.c - the container's filesystem, built in its own mount
 * namespace in the order it happens:
 *
 *   / made recursively private (nothing we do propagates to the host)
 *   the rootfs bound onto itself (pivot_root needs a mount point)
 *   /proc, /dev (+ devices, links, pts, shm), /tmp, /sys: the defaults
 *   masked and read-only /proc and /sys paths
 *   the spec's mounts, in order
 *   pivot_root into it, the old root detached
 *   the root remounted read-only if asked, cwd entered
 *
 * Every target is resolved inside the rootfs (root_path.c) and mounted
 * through /proc/self/fd, so a symlink in the image cannot redirect a mount
 * onto the host.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "cleanup.h"
#include "root_path.h"

struct default_mount {
        const char *target, *fstype, *data;
        unsigned long flags;
        bool (*wanted)(const struct congo_spec *);
};

static bool own_net(const struct congo_spec *s)
{
        return s->namespaces & CONGO_NS_NET;
}

static const struct default_mount default_mounts[] = {
        { "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
        { "/dev", "tmpfs", "mode=755,size=65536k", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME, NULL },
        { "/dev/pts", "devpts", "newinstance,ptmxmode=0666,mode=0620", MS_NOSUID | MS_NOEXEC, NULL },
        { "/dev/shm", "tmpfs", "mode=1777,size=65536k", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
        { "/tmp", "tmpfs", "mode=1777", MS_NOSUID | MS_NODEV, NULL },
        { "/sys", "sysfs", NULL, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, own_net },
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

/* Hidden from the container, as OCI runtimes do: /dev/null over files, an
 * empty read-only tmpfs over directories. */
static const char *const masked_paths[] = {
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* mount(2) onto a target resolved inside the root. */
static int mount_at(int rootfd, const char *target, bool as_file, const char *source,
                    const char *fstype, unsigned long flags, const char *data,
                    struct congo_error *err)
{
        char fdpath[32];
        _cleanup_close_ int fd = congo_root_mkpath(rootfd, target, as_file, err);

        if (fd < 0)
                return -1;
        if (mount(source, congo_fd_path(fd, fdpath), fstype, flags, data) < 0)
                return congo_error_set(err, errno, "mounting %s on %s", fstype ? fstype : source, target);
        return 0;
}

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

/* Remount an existing mount point with more flags, keeping its own. */
static int remount_at(int rootfd, const char *target, unsigned long add,
                      unsigned long drop, struct congo_error *err)
{
        char fdpath[32];
        _cleanup_close_ int fd = congo_root_open(rootfd, target, O_PATH);

        if (fd < 0)
                return congo_error_set(err, errno, "resolving %s", target);
        unsigned long flags = ((kept_flags(fd) | add) & ~drop) | MS_REMOUNT | MS_BIND;
        if (mount(NULL, congo_fd_path(fd, fdpath), NULL, flags, NULL) < 0)
                return congo_error_set(err, errno, "remounting %s", target);
        return 0;
}

static int populate_dev(int rootfd, bool in_userns, struct congo_error *err)
{
        _cleanup_close_ int dev = congo_root_open(rootfd, "/dev", O_PATH | O_DIRECTORY);

        if (dev < 0)
                return congo_error_set(err, errno, "opening /dev");
        for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
                char path[32];
                dev_t nr = makedev(devices[i].major, devices[i].minor);
                if (!in_userns && mknodat(dev, devices[i].name, S_IFCHR | 0666, nr) == 0)
                        continue;
                /* In a user namespace mknod is refused: bind the host's. */
                snprintf(path, sizeof path, "/dev/%s", devices[i].name);
                if (mount_at(rootfd, path, true, path, NULL, MS_BIND, NULL, err) < 0)
                        return -1;
        }
        for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++)
                if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0 && errno != EEXIST)
                        return congo_error_set(err, errno, "linking /dev/%s", dev_links[i].name);
        return 0;
}

static int mount_defaults(struct congo_run *run, int rootfd, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        for (size_t i = 0; i < sizeof default_mounts / sizeof default_mounts[0]; i++) {
                const struct default_mount *m = &default_mounts[i];
                if (m->wanted && !m->wanted(s))
                        continue;
                if (mount_at(rootfd, m->target, false, m->fstype, m->fstype, m->flags, m->data, err) < 0)
                        return -1;
                if (strcmp(m->target, "/dev") == 0 &&
                    populate_dev(rootfd, s->namespaces & CONGO_NS_USER, err) < 0)
                        return -1;
        }
        return 0;
}

static int harden_proc_sys(int rootfd, struct congo_error *err)
{
        for (size_t i = 0; i < sizeof masked_paths / sizeof masked_paths[0]; i++) {
                const char *path = masked_paths[i];
                struct statfs sfs;
                struct stat st;
                int fd = congo_root_open(rootfd, path, O_PATH | O_NOFOLLOW);
                if (fd < 0)
                        continue;   /* this kernel has no such file */
                /* Only ever mask what really is procfs or sysfs. */
                bool ours = fstatfs(fd, &sfs) == 0 && fstat(fd, &st) == 0 &&
                            (sfs.f_type == PROC_SUPER_MAGIC || sfs.f_type == SYSFS_MAGIC);
                close(fd);
                if (!ours)
                        continue;
                int rc = S_ISDIR(st.st_mode)
                        ? mount_at(rootfd, path, false, "tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0", err)
                        : mount_at(rootfd, path, false, "/dev/null", NULL, MS_BIND, NULL, err);
                if (rc < 0)
                        return -1;
        }
        for (size_t i = 0; i < sizeof readonly_paths / sizeof readonly_paths[0]; i++) {
                const char *path = readonly_paths[i];
                char fdpath[32];
                _cleanup_close_ int fd = congo_root_open(rootfd, path, O_PATH | O_NOFOLLOW);
                if (fd < 0)
                        continue;
                /* Bound onto itself, so it can be remounted on its own. */
                if (mount(congo_fd_path(fd, fdpath), fdpath, NULL, MS_BIND | MS_REC, NULL) < 0)
                        return congo_error_set(err, errno, "binding %s", path);
                if (remount_at(rootfd, path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, err) < 0)
                        return -1;
        }
        return 0;
}

static int mount_spec(struct congo_run *run, int rootfd, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                if (m->type == CONGO_MOUNT_TMPFS) {
                        if (mount_at(rootfd, m->target, false, "tmpfs", "tmpfs",
                                     m->flags, m->data, err) < 0)
                                return -1;
                        continue;
                }
                struct stat st;
                if (stat(m->source, &st) < 0)
                        return congo_error_set(err, errno, "mounts[%zu]: source %s", i, m->source);
                if (mount_at(rootfd, m->target, !S_ISDIR(st.st_mode), m->source, NULL,
                             MS_BIND | (m->flags & MS_REC), NULL, err) < 0)
                        return -1;
                unsigned long extra = m->flags & ~(unsigned long)(MS_BIND | MS_REC);
                if ((extra || m->clear) &&
                    remount_at(rootfd, m->target, extra, m->clear, err) < 0)
                        return -1;
        }
        return 0;
}

static int enter_root(struct congo_run *run, int rootfd, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        /* pivot_root(".", ".") stacks the old root under the new one;
         * detaching it leaves no path back to the host. */
        if (fchdir(rootfd) < 0)
                return congo_error_set(err, errno, "chdir(\"%s\")", s->rootfs);
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return congo_error_set(err, errno, "pivot_root(\"%s\")", s->rootfs);
        if (umount2(".", MNT_DETACH) < 0)
                return congo_error_set(err, errno, "detaching the old root");
        if (chdir("/") < 0)
                return congo_error_set(err, errno, "chdir(\"/\")");
        if (s->readonly_rootfs) {
                int fd = open("/", O_PATH | O_CLOEXEC);
                unsigned long flags = kept_flags(fd) | MS_RDONLY | MS_REMOUNT | MS_BIND;
                close(fd);
                if (mount(NULL, "/", NULL, flags, NULL) < 0)
                        return congo_error_set(err, errno, "remounting / read-only");
        }
        /* After the pivot "/" is the container's root: the kernel keeps
         * "..", and any symlink, inside it. */
        if (chdir(s->cwd) < 0)
                return congo_error_set(err, errno, "cwd: chdir(\"%s\")", s->cwd);
        return 0;
}

static int rootfs_child(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        int rc = -1;

        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return congo_error_set(err, errno, "making / private");
        if (mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
                return congo_error_set(err, errno, "binding %s onto itself", s->rootfs);
        _cleanup_close_ int rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return congo_error_set(err, errno, "opening %s", s->rootfs);
        umask(0);
        if (mount_defaults(run, rootfd, err) == 0 && harden_proc_sys(rootfd, err) == 0 &&
            mount_spec(run, rootfd, err) == 0 && enter_root(run, rootfd, err) == 0)
                rc = 0;
        umask(022);
        return rc;
}

static void rootfs_describe(struct congo_run *run, FILE *out)
{
        const struct congo_spec *s = run->spec;

        fprintf(out, "   make / private; bind %s onto itself\n", s->rootfs);
        for (size_t i = 0; i < sizeof default_mounts / sizeof default_mounts[0]; i++) {
                const struct default_mount *m = &default_mounts[i];
                if (m->wanted && !m->wanted(s))
                        continue;
                fprintf(out, "   mount %s on %s%s%s\n", m->fstype, m->target,
                        m->data ? " " : "", m->data ? m->data : "");
        }
        fputs("   /dev: null zero full random urandom tty; fd stdin stdout stderr ptmx links\n", out);
        fputs("   mask:", out);
        for (size_t i = 0; i < sizeof masked_paths / sizeof masked_paths[0]; i++)
                fprintf(out, " %s", masked_paths[i]);
        fputs("\n   read-only:", out);
        for (size_t i = 0; i < sizeof readonly_paths / sizeof readonly_paths[0]; i++)
                fprintf(out, " %s", readonly_paths[i]);
        fputc('\n', out);
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                fprintf(out, "   mount %s %s on %s", m->type == CONGO_MOUNT_BIND ? "bind" : "tmpfs",
                        m->source ? m->source : "tmpfs", m->target);
                for (char **o = m->options; o && *o; o++)
                        fprintf(out, "%s%s", o == m->options ? " (" : ",", *o);
                fputs(m->options && m->options[0] ? ")\n" : "\n", out);
        }
        fprintf(out, "   pivot_root into %s, detach the old root%s\n   chdir %s\n", s->rootfs,
                s->readonly_rootfs ? ", remount / read-only" : "", s->cwd);
}

const struct congo_stage congo_stage_rootfs = {
        .name = "rootfs",
        .describe = rootfs_describe,
        .child = rootfs_child,
};
