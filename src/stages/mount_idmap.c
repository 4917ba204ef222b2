/* mount_idmap.c - idmapped bind mounts (Linux 5.12): a bind whose files
 * the container sees through its own user namespace's maps, so that host
 * files owned by 100000 appear as root's without chown.
 *
 * Only the launcher can make one: mount_setattr(MOUNT_ATTR_IDMAP) needs
 * CAP_SYS_ADMIN in the user namespace that owns the filesystem (the
 * host's), which the container's root, in a user namespace of its own,
 * never has.  So the launcher clones the source tree once the
 * container's maps are written (the namespaces stage's parent hook runs
 * first), idmaps it with /proc/PID/ns/user, makes it private and gives
 * it the mount's flags while it is still detached, and hands the fd over
 * a socket; the container attaches it onto its target as any bind.
 * Nothing is attached in the launcher's namespace.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "congo/util.h"
#include "cleanup.h"
#include "mount_fd.h"
#include "mount_idmap.h"
#include "root_path.h"

static bool wanted(const struct congo_spec *s)
{
        for (size_t i = 0; i < s->n_mounts; i++)
                if (s->mounts[i].idmap)
                        return true;
        return false;
}

int congo_idmap_prepare(struct congo_run *run, struct congo_error *err)
{
        if (wanted(run->spec) &&
            socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, run->mount_sock) < 0)
                return congo_error_set(err, errno, "socketpair for idmapped mounts");
        return 0;
}

static int idmapped_tree(const struct congo_mount *m, size_t i, int userns,
                         struct congo_error *err)
{
        bool rec = m->flags & MS_REC;
        _cleanup_close_ int src = congo_open_spec_path(m->source, &m->source_rel, O_PATH, err);
        if (src < 0)
                return -1;
        int tree = congo_mount_clone(src, rec);
        if (tree < 0)
                return congo_error_set(err, errno, "mounts[%zu].source: \"%s\"", i, m->source);
        struct mount_attr attr = {
                .attr_set = congo_mount_attr(m->flags & ~(unsigned long)(MS_BIND | MS_REC)) | MOUNT_ATTR_IDMAP,
                .attr_clr = congo_mount_attr(m->clear),
                /* Private: a tree cloned in the host's namespace would
                 * otherwise share its peer group, and the container's
                 * mounts beneath it could reach the host. */
                .propagation = MS_PRIVATE,
                .userns_fd = (uint64_t)userns,
        };
        attr.attr_clr &= ~attr.attr_set;
        if (attr.attr_set & (MOUNT_ATTR_NOATIME | MOUNT_ATTR_STRICTATIME) || m->flags & MS_RELATIME)
                attr.attr_clr |= MOUNT_ATTR__ATIME;
        if (mount_setattr(tree, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr, sizeof attr) < 0) {
                int e = errno;
                close(tree);
                return congo_error_set(err, e, "mounts[%zu]: idmapping %s%s", i, m->source,
                                       e == ENOSYS ? " (the kernel has no idmapped mounts: Linux 5.12 or later)" :
                                       e == EINVAL ? " (its filesystem cannot be idmapped, or it is idmapped already)" :
                                       e == EPERM ? " (the launcher must be root on the host)" : "");
        }
        return tree;
}

int congo_idmap_parent(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        char path[64];

        if (run->mount_sock[0] < 0)
                return 0;
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int)run->pid);
        _cleanup_close_ int userns = open(path, O_RDONLY | O_CLOEXEC);
        if (userns < 0)
                return congo_error_set(err, errno, "opening %s", path);
        for (size_t i = 0; i < s->n_mounts; i++) {
                if (!s->mounts[i].idmap)
                        continue;
                _cleanup_close_ int tree = idmapped_tree(&s->mounts[i], i, userns, err);
                if (tree < 0)
                        return -1;
                if (congo_fd_send(run->mount_sock[0], tree, "m", 1) < 0)
                        return congo_error_set(err, errno, "handing over the idmapped mount of mounts[%zu]", i);
        }
        return 0;
}

int congo_idmap_receive(struct congo_run *run, struct congo_prepared *p, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        for (size_t i = 0; run->mount_sock[1] >= 0 && i < s->n_mounts; i++) {
                if (!s->mounts[i].idmap)
                        continue;
                /* Sent before the launcher let this stage run: there, or never. */
                p[i].tree = congo_fd_receive_now(run->mount_sock[1]);
                if (p[i].tree < 0)
                        return congo_error_set(err, errno, "mounts[%zu]: no idmapped mount from the launcher", i);
                p[i].idmapped = true;
        }
        return 0;
}
