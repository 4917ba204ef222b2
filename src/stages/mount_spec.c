/* mount_spec.c - the spec's mounts, in two steps, as stage_rootfs.c
 * calls them:
 *
 *   prepare: before the container's root gets any mount, each bind's
 *            source is opened (beneath the spec's directory when written
 *            relative) and its tree cloned, and each overlay directory
 *            opened, so that a path through the image's proc directory,
 *            or one holding the rootfs, cannot pick up the container's
 *            /proc and /sys (whose read-only parts a bind's "rw" would
 *            clear);
 *   attach:  in order, each mount onto its target resolved inside the
 *            root (a symlink as last component refused), then its
 *            propagation.  A proc or sysfs mount is hardened at once, as
 *            the default /proc and /sys are, and its fd kept so that the
 *            check after every mount covers it too: a second proc is no
 *            way around the masking.
 *
 * An overlay's directories reach the kernel as /proc/self/fd/N of the fds
 * opened in prepare: the exact directories that were checked, whatever
 * is renamed or linked since.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "harden.h"
#include "mount_fd.h"
#include "mount_spec.h"
#include "root_path.h"

void congo_spec_mounts_init(struct congo_prepared *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                p[i] = (struct congo_prepared){ .tree = -1, .hardened = -1 };
}

void congo_spec_mounts_release(struct congo_prepared *p, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (p[i].tree >= 0)
                        close(p[i].tree);
                if (p[i].hardened >= 0)
                        close(p[i].hardened);
                for (size_t j = 0; j < p[i].n_dirs; j++)
                        close(p[i].dirs[j]);
                free(p[i].dirs);
                p[i] = (struct congo_prepared){ .tree = -1, .hardened = -1 };
        }
}

/* "mounts[i].source: ..." in front of whatever err says. */
static int prefix(struct congo_error *err, size_t i, const char *key)
{
        char msg[sizeof err->msg];

        snprintf(msg, sizeof msg, "mounts[%zu].%s: %.430s", i, key, err->msg);
        memcpy(err->msg, msg, sizeof msg);
        return -1;
}

static int open_dir(struct congo_prepared *p, const char *path, const struct congo_relpath *rel,
                    struct congo_error *err)
{
        int fd = congo_open_spec_path(path, rel, O_PATH | O_DIRECTORY, err);

        if (fd < 0)
                return -1;
        p->dirs[p->n_dirs++] = fd;
        return 0;
}

static int open_overlay(const struct congo_overlay *o, struct congo_prepared *p,
                        struct congo_error *err)
{
        if ((p->dirs = calloc(o->n_lower + 2, sizeof *p->dirs)) == NULL)
                return congo_error_set(err, ENOMEM, "overlay");
        for (size_t j = 0; j < o->n_lower; j++)
                if (open_dir(p, o->lower[j], &o->lower_rel[j], err) < 0)
                        return -1;
        if (o->upper && (open_dir(p, o->upper, &o->upper_rel, err) < 0 ||
                         open_dir(p, o->work, &o->work_rel, err) < 0))
                return -1;
        return 0;
}

int congo_spec_mounts_prepare(const struct congo_spec *s, struct congo_prepared *p,
                              struct congo_error *err)
{
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                if (m->type == CONGO_MOUNT_OVERLAY) {
                        if (open_overlay(&m->overlay, &p[i], err) < 0)
                                return prefix(err, i, "options");
                        continue;
                }
                if (m->type != CONGO_MOUNT_BIND || p[i].tree >= 0)   /* idmapped already */
                        continue;
                _cleanup_close_ int src = congo_open_spec_path(m->source, &m->source_rel, O_PATH, err);
                if (src >= 0 && (p[i].tree = congo_mount_clone(src, m->flags & MS_REC)) < 0)
                        congo_error_set(err, errno, "\"%s\"", m->source);
                if (p[i].tree < 0)
                        return prefix(err, i, "source");
        }
        return 0;
}

/* lowerdir=/proc/self/fd/A:/proc/self/fd/B[,upperdir=...,workdir=...],
 * then the mount's other options. */
static char *overlay_data(const struct congo_mount *m, const struct congo_prepared *p)
{
        size_t n = m->overlay.n_lower, len = 64 + (m->data ? strlen(m->data) : 0) + 40 * p->n_dirs;
        char *data = malloc(len), *at = data;

        if (data == NULL)
                return NULL;
        at += sprintf(at, "lowerdir=");
        for (size_t j = 0; j < n; j++)
                at += sprintf(at, "%s/proc/self/fd/%d", j ? ":" : "", p->dirs[j]);
        /* fsconfig takes a string of 255 bytes at most, about 15 layers
         * here: past that, one layer a parameter (Linux 6.8), top first. */
        if (at - data > 255) {
                at = data;
                for (size_t j = 0; j < n; j++)
                        at += sprintf(at, "%slowerdir+=/proc/self/fd/%d", j ? "," : "", p->dirs[j]);
        }
        if (p->n_dirs > n)
                at += sprintf(at, ",upperdir=/proc/self/fd/%d,workdir=/proc/self/fd/%d",
                              p->dirs[n], p->dirs[n + 1]);
        if (m->data)
                sprintf(at, ",%s", m->data);
        return data;
}

static int attach_new(const struct congo_mount *m, int rootfd, struct congo_prepared *p,
                      struct congo_error *err)
{
        _cleanup_close_ int point = congo_root_mountpoint(rootfd, m->target, false, err);
        _cleanup_free_ char *ovl = NULL;

        if (point < 0)
                return -1;
        if (m->type == CONGO_MOUNT_OVERLAY && (ovl = overlay_data(m, p)) == NULL)
                return congo_error_set(err, ENOMEM, "overlay on %s", m->target);
        int mnt = congo_mount_new(point, m->target, m->fstype, m->source, ovl ? ovl : m->data,
                                  m->flags, err);
        if (mnt < 0)
                return -1;
        int rc = 0;
        if (m->type == CONGO_MOUNT_PROC)
                rc = congo_harden_proc(mnt, NULL, err);
        else if (m->type == CONGO_MOUNT_SYSFS)
                rc = congo_harden_sys(mnt, NULL, err);
        if (rc < 0) {
                close(mnt);
                return -1;
        }
        return mnt;
}

static int attach_bind(const struct congo_mount *m, int rootfd, struct congo_prepared *p,
                       struct congo_error *err)
{
        struct stat st;

        if (fstat(p->tree, &st) < 0)
                return congo_error_set(err, errno, "\"%s\"", m->source);
        _cleanup_close_ int point = congo_root_mountpoint(rootfd, m->target, !S_ISDIR(st.st_mode), err);
        if (point < 0)
                return -1;
        int tree = p->tree;
        p->tree = -1;   /* attached, or closed on failure */
        if (p->idmapped)   /* its flags set by the launcher already */
                return congo_mount_attach(tree, point, m->target, false, 0, 0, err);
        return congo_mount_attach(tree, point, m->target, m->flags & MS_REC,
                                  m->flags & ~(unsigned long)(MS_BIND | MS_REC), m->clear, err);
}

/* A cgroup filesystem shows the hierarchy from the mounting process's
 * cgroup namespace root, fixed at fsopen: with a cgroup namespace it is
 * mounted only once the container is in its cgroup and has unshared it
 * (the cgroups stage), or it would show the host's whole tree. */
static bool after_cgroupns(const struct congo_spec *s, const struct congo_mount *m)
{
        return (m->type == CONGO_MOUNT_CGROUP || m->type == CONGO_MOUNT_CGROUP2) &&
               (s->namespaces & CONGO_NS_CGROUP);
}

int congo_spec_mounts_attach(const struct congo_spec *s, int rootfd, struct congo_prepared *p,
                             struct congo_error *err)
{
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                if (after_cgroupns(s, m))
                        continue;
                int mnt = m->type == CONGO_MOUNT_BIND ? attach_bind(m, rootfd, &p[i], err)
                                                      : attach_new(m, rootfd, &p[i], err);
                if (mnt < 0)
                        return -1;
                if (congo_mount_propagate(mnt, m->target, m->propagation, err) < 0) {
                        close(mnt);
                        return -1;
                }
                if (m->type == CONGO_MOUNT_PROC || m->type == CONGO_MOUNT_SYSFS)
                        p[i].hardened = mnt;
                else
                        close(mnt);
        }
        return 0;
}

int congo_spec_mounts_cgroup(const struct congo_spec *s, struct congo_error *err)
{
        _cleanup_close_ int rootfd = -1;

        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                if (!after_cgroupns(s, m))
                        continue;
                /* After the pivot: "/" is the container's root, and the
                 * target is resolved inside it as before. */
                if (rootfd < 0 && (rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                        return congo_error_set(err, errno, "opening /");
                struct congo_prepared none = { .tree = -1, .hardened = -1 };
                int mnt = attach_new(m, rootfd, &none, err);
                if (mnt < 0 || congo_mount_propagate(mnt, m->target, m->propagation, err) < 0) {
                        if (mnt >= 0)
                                close(mnt);
                        return -1;
                }
                close(mnt);
        }
        return 0;
}

int congo_spec_mounts_verify(const struct congo_spec *s, const struct congo_prepared *p,
                             struct congo_error *err)
{
        for (size_t i = 0; i < s->n_mounts; i++) {
                if (p[i].hardened < 0)
                        continue;
                bool proc = s->mounts[i].type == CONGO_MOUNT_PROC;
                if (congo_harden_verify(proc ? p[i].hardened : -1, proc ? -1 : p[i].hardened, NULL, err) < 0) {
                        char msg[sizeof err->msg];
                        snprintf(msg, sizeof msg, "%.200s (mounts[%zu], on %.200s)", err->msg, i,
                                 s->mounts[i].target);
                        memcpy(err->msg, msg, sizeof msg);
                        return -1;
                }
        }
        return 0;
}

void congo_spec_mounts_describe(const struct congo_spec *s, FILE *out)
{
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                fprintf(out, "   mount %s %s on %s", m->fstype, m->source ? m->source : m->fstype, m->target);
                for (char **o = m->options; o && *o; o++)
                        fprintf(out, "%s%s", o == m->options ? " (" : ",", *o);
                fputs(m->options && m->options[0] ? ")\n" : "\n", out);
                if (after_cgroupns(s, m))
                        fputs("   (after the cgroup namespace is made: its root is the container's cgroup)\n", out);
                if (m->idmap)
                        fputs("   (idmapped by the launcher with the container's user namespace)\n", out);
                if (m->type == CONGO_MOUNT_PROC || m->type == CONGO_MOUNT_SYSFS)
                        fprintf(out, "   harden %s as /%s is\n", m->target,
                                m->type == CONGO_MOUNT_PROC ? "proc" : "sys");
        }
}
