/* leftover.c - what a create killed half-way left in the cgroup tree.
 *
 * create writes the container's cgroup path (relative to each hierarchy)
 * to ROOT/ID/cgroup before the pipeline makes it; state.json, with the
 * driver's own record, comes only once the container is parked.  A
 * directory with the first and not the second is a create that died:
 * its cgroup, in whichever hierarchies have it, is emptied and removed.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "runtime.h"

static void remove_in(void *user, const char *mountpoint, const char *fstype, const char *opts)
{
        const char *rel = user;
        char dir[4096];
        struct stat st;
        struct congo_error err;

        (void)fstype, (void)opts;
        if (snprintf(dir, sizeof dir, "%s/%s", mountpoint, rel) >= (int)sizeof dir ||
            stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
                return;
        congo_cg_kill_procs(dir);
        if (congo_cg_remove(dir, &err) < 0)
                congo_warn("leftover cgroup %s: %s", dir, err.msg);
}

void congo_rt_remove_leftover_cgroup(int dirfd)
{
        char rel[2048];
        int fd = openat(dirfd, "cgroup", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, rel, sizeof rel - 1);

        if (fd >= 0)
                close(fd);
        if (n <= 0)
                return;
        rel[n] = '\0';
        /* Written by create from a validated path; still, never a way up. */
        if (rel[0] == '/' || strstr(rel, "..") != NULL)
                return;
        char *text = congo_cg_slurp("/proc/self/mountinfo");
        if (text != NULL)
                congo_cg_each_mount(text, remove_in, rel);
        free(text);
}

struct exists_ctx {
        const char *rel;
        bool found;
};

static void exists_in(void *user, const char *mountpoint, const char *fstype, const char *opts)
{
        struct exists_ctx *x = user;
        char dir[4096];
        struct stat st;

        (void)fstype, (void)opts;
        if (snprintf(dir, sizeof dir, "%s/%s", mountpoint, x->rel) < (int)sizeof dir &&
            stat(dir, &st) == 0)
                x->found = true;
}

bool congo_rt_cgroup_exists(const char *rel)
{
        struct exists_ctx x = { rel, false };
        char *text = congo_cg_slurp("/proc/self/mountinfo");

        if (text != NULL)
                congo_cg_each_mount(text, exists_in, &x);
        free(text);
        return x.found;
}
