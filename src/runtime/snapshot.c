/* snapshot.c - the bundle's config.json as create read it, kept in the
 * container's state directory (ROOT/ID/config.json).  exec starts its
 * processes from that copy, not from the bundle, which may have changed
 * since, or be writable by someone the container's process settings
 * must not come from (runc keeps its configuration in its state too).
 * A congo spec in the bundle (config.yaml, with its includes) is not
 * copied: exec reads the bundle again then. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "congo/parse.h"
#include "runtime.h"

/* Everything fd holds, NUL-terminated; NULL with errno. */
static char *slurp_fd(int fd, size_t *len)
{
        size_t cap = 65536, n = 0;
        char *buf = malloc(cap + 1);

        while (buf) {
                if (n == cap) {
                        char *grown = cap > (256u << 20) ? NULL : realloc(buf, (cap *= 2) + 1);
                        if (grown == NULL) {
                                free(buf);
                                errno = EFBIG;
                                return NULL;
                        }
                        buf = grown;
                }
                ssize_t r = read(fd, buf + n, cap - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0) {
                        int e = errno;
                        free(buf);
                        errno = e;
                        return NULL;
                }
                if (r == 0)
                        break;
                n += (size_t)r;
        }
        if (buf) {
                buf[n] = '\0';
                *len = n;
        }
        return buf;
}

int congo_rt_snapshot_config(int dirfd, const char *bundle)
{
        char path[PATH_MAX + 16];
        size_t len;

        snprintf(path, sizeof path, "%s/config.json", bundle);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : (congo_rt_error("%s: %s", path, strerror(errno)), -1);
        char *text = slurp_fd(fd, &len);
        int e = errno;
        close(fd);
        if (text == NULL || congo_rt_write_file(dirfd, "config.json", text) < 0) {
                congo_rt_error("keeping a copy of %s: %s", path, strerror(text ? errno : e));
                free(text);
                return -1;
        }
        free(text);
        return 0;
}

int congo_rt_load_snapshot(int dirfd, const char *bundle, struct congo_spec *spec)
{
        struct congo_diag d = { stderr, 0 };
        char path[PATH_MAX + 16];
        size_t len;

        int fd = openat(dirfd, "config.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return 1;
        char *text = fd < 0 ? NULL : slurp_fd(fd, &len);
        if (fd >= 0)
                close(fd);
        if (text == NULL) {
                congo_rt_error("the container's copy of its config.json: %s", strerror(errno));
                return -1;
        }
        /* Named as the bundle's: a relative root.path is the bundle's. */
        snprintf(path, sizeof path, "%s/config.json", bundle);
        congo_spec_init(spec, path);
        int problems = congo_parse_oci(spec, text, len, &d);
        free(text);
        if (problems == 0 || congo_spec_any_attempted(spec))
                problems += congo_spec_finish(spec, &d);
        if (problems != 0) {
                congo_spec_free(spec);
                return -1;
        }
        if (spec->terminal == CONGO_TTY_AUTO)
                spec->terminal = CONGO_TTY_OFF;
        return 0;
}
