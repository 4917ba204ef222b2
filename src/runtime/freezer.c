/* freezer.c - a container's freezer, as its state recorded the cgroup:
 *
 *   v2  cgroup.freeze in the container's cgroup (any non-root cgroup has
 *       it, with or without controllers); done when cgroup.events says
 *       "frozen 1".
 *   v1  the freezer hierarchy: freezer.state FROZEN, done when it reads
 *       FROZEN rather than FREEZING.  The runtime's containers always get
 *       a freezer cgroup on v1 (stage_cgroups.c), hybrid hosts included:
 *       their v2 mount holds none of the container's processes.
 *
 * A process that forks while the kernel freezes the cgroup is frozen too
 * (its child is born in the freezing cgroup); what can leave FREEZING
 * hanging is a task the kernel cannot stop yet, so v1 writes FROZEN again
 * until it holds, as runc does, and gives up (thawed again) after ~2 s.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

/* The freezer file of the container's cgroup: 2 (v2), 1 (v1), 0 (none). */
static int freezer_file(const struct congo_rt_cgroup *cg, char *path, size_t len)
{
        if (strcmp(cg->driver, "v2") == 0 && cg->n_dirs > 0) {
                snprintf(path, len, "%s/cgroup.freeze", cg->path[0]);
                return 2;
        }
        if (strcmp(cg->driver, "v1") != 0)
                return 0;
        for (size_t i = 0; i < cg->n_dirs; i++) {
                char list[40];
                snprintf(list, sizeof list, ",%s,", cg->controller[i]);
                if (strstr(list, ",freezer,") != NULL) {
                        snprintf(path, len, "%s/freezer.state", cg->path[i]);
                        return 1;
                }
        }
        return 0;
}

static int read_text(const char *path, char *buf, size_t len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

        if (fd >= 0)
                close(fd);
        if (n < 0)
                return -1;
        buf[n] = '\0';
        return 0;
}

static int write_text(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        ssize_t len = (ssize_t)strlen(text);
        ssize_t n = fd < 0 ? -1 : write(fd, text, (size_t)len);
        int e = errno;

        if (fd >= 0)
                close(fd);
        errno = e;
        return n == len ? 0 : -1;
}

bool congo_rt_frozen(const struct congo_rt_cgroup *cg)
{
        char path[4200], text[64];
        int kind = freezer_file(cg, path, sizeof path);

        if (kind == 0 || read_text(path, text, sizeof text) < 0)
                return false;
        return kind == 2 ? text[0] == '1' : strncmp(text, "THAWED", 6) != 0;
}

/* Has the kernel finished?  v2: "frozen 0|1" in cgroup.events. */
static bool settled(const char *path, int kind, bool freeze)
{
        char text[512], events[4200];

        if (kind == 1) {
                if (read_text(path, text, sizeof text) < 0)
                        return false;
                return strncmp(text, freeze ? "FROZEN" : "THAWED", 6) == 0;
        }
        snprintf(events, sizeof events, "%.*s/cgroup.events",
                 (int)(strrchr(path, '/') - path), path);
        if (read_text(events, text, sizeof text) < 0)
                return false;
        const char *f = strstr(text, "frozen ");
        return f != NULL && f[7] == (freeze ? '1' : '0');
}

int congo_rt_set_frozen(const struct congo_rt_cgroup *cg, bool freeze, const char *id)
{
        char path[4200];
        int kind = freezer_file(cg, path, sizeof path);
        const char *value = kind == 2 ? (freeze ? "1" : "0") : (freeze ? "FROZEN" : "THAWED");
        struct timespec tick = { 0, 1000000 };

        if (kind == 0) {
                congo_rt_error("%s: the container has no freezer cgroup (cgroup driver %s)", id, cg->driver);
                return -1;
        }
        for (int i = 0; i < 2000; i++) {
                /* v1: FREEZING for long means a task resisted: ask again. */
                if ((i == 0 || (kind == 1 && i % 100 == 0)) && write_text(path, value) < 0) {
                        congo_rt_error("%s: writing %s to %s: %s", id, value, path, strerror(errno));
                        return -1;
                }
                if (settled(path, kind, freeze))
                        return 0;
                nanosleep(&tick, NULL);
        }
        if (freeze)
                write_text(path, kind == 2 ? "0" : "THAWED");
        congo_rt_error("%s: the container did not %s within 2 s", id, freeze ? "freeze" : "thaw");
        return -1;
}
