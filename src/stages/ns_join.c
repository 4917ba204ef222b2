/* ns_join.c - namespace_paths: the container joins these namespaces
 * (setns) instead of getting new ones.
 *
 * Each path is opened at prepare with O_PATH (a FIFO or a device behind
 * it is never opened for real), checked to be on nsfs, reopened through
 * /proc/self/fd and asked its type (NS_GET_NSTYPE), so a wrong file
 * fails before anything is made.  pid and time namespaces apply to the
 * caller's children only: the launcher joins them before clone and the
 * container is born inside, as runc's nsexec does by forking after
 * setns.  The others are joined by the container first thing; the mount
 * namespace last, so the root filesystem is made in it.  A user namespace
 * is joined first of all, by the process that clones the container
 * (pipeline.c), so that it owns the namespaces made and the container's
 * root may join the others it owns. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "ns_join.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* By the index of the CONGO_NS_* bit: uts pid net mount ipc user cgroup time. */
static const int ns_clone[8] = {
        CLONE_NEWUTS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWNS,
        CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME,
};
/* The order the container joins them: mount last. */
static const int child_order[] = { 6, 4, 0, 2, 3 };

static int open_ns(const char *path, int i, struct congo_error *err)
{
        const char *name = congo_ns_name(1u << i);
        struct statfs sfs;
        char self[64];

        _cleanup_close_ int pfd = open(path, O_PATH | O_CLOEXEC);
        if (pfd < 0)
                return congo_error_set(err, errno, "namespace_paths.%s: %s", name, path);
        if (fstatfs(pfd, &sfs) < 0)
                return congo_error_set(err, errno, "namespace_paths.%s: %s", name, path);
        if (sfs.f_type != NSFS_MAGIC)
                return congo_error_set(err, 0, "namespace_paths.%s: %s is not a namespace (not on nsfs)",
                                       name, path);
        snprintf(self, sizeof self, "/proc/self/fd/%d", pfd);
        int fd = open(self, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return congo_error_set(err, errno, "namespace_paths.%s: %s", name, path);
        int type = ioctl(fd, NS_GET_NSTYPE);
        if (type != ns_clone[i]) {
                int e = errno;
                close(fd);
                if (type < 0)
                        return congo_error_set(err, e, "namespace_paths.%s: %s: NS_GET_NSTYPE", name, path);
                for (int j = 0; j < 8; j++)
                        if (type == ns_clone[j])
                                return congo_error_set(err, 0, "namespace_paths.%s: %s is a namespace of type %s, not %s",
                                                       name, path, congo_ns_name(1u << j), name);
                return congo_error_set(err, 0, "namespace_paths.%s: %s is not a %s namespace", name, path, name);
        }
        return fd;
}

static int join(struct congo_run *run, int i, struct congo_error *err)
{
        int rc = setns(run->ns_fd[i], ns_clone[i]);

        if (rc < 0)
                rc = congo_error_set(err, errno, "namespace_paths.%s: setns(%s)",
                                     congo_ns_name(1u << i), run->spec->ns_paths[i]);
        close(run->ns_fd[i]);
        run->ns_fd[i] = -1;
        return rc;
}

int congo_ns_join_prepare(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        for (int i = 0; i < 8; i++) {
                if (s->ns_paths[i] == NULL)
                        continue;
                if ((run->ns_fd[i] = open_ns(s->ns_paths[i], i, err)) < 0)
                        return -1;
                run->clone_flags &= ~(unsigned long)ns_clone[i];
        }
        /* Children of the launcher are born into these. */
        if (run->ns_fd[1] >= 0 && join(run, 1, err) < 0)
                return -1;
        if (run->ns_fd[7] >= 0 && join(run, 7, err) < 0)
                return -1;
        return 0;
}

int congo_ns_join_child(struct congo_run *run, struct congo_error *err)
{
        /* Joined already, by the clone (pipeline.c). */
        if (run->ns_fd[5] >= 0) {
                close(run->ns_fd[5]);
                run->ns_fd[5] = -1;
        }
        for (size_t k = 0; k < sizeof child_order / sizeof child_order[0]; k++)
                if (run->ns_fd[child_order[k]] >= 0 && join(run, child_order[k], err) < 0)
                        return -1;
        return 0;
}

void congo_ns_join_cleanup(struct congo_run *run)
{
        for (int i = 0; i < 8; i++)
                if (run->ns_fd[i] >= 0) {
                        close(run->ns_fd[i]);
                        run->ns_fd[i] = -1;
                }
}

void congo_ns_join_describe(struct congo_run *run, FILE *out)
{
        const struct congo_spec *s = run->spec;

        for (int i = 0; i < 8; i++)
                if (s->ns_paths[i] != NULL)
                        fprintf(out, "   join %s namespace: %s (setns%s)\n", congo_ns_name(1u << i),
                                s->ns_paths[i], i == 1 || i == 7 ? " by the launcher, before clone"
                                : i == 5 ? " by a helper that clones the container with CLONE_PARENT" : "");
}
