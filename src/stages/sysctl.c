/* sysctl.c - each sysctl of the spec written to its file under the
 * container's /proc/sys.  The spec model let through only keys the kernel
 * keeps per IPC or network namespace; here the file is opened beneath the
 * fd of the proc mount we just made, with no symlink followed and no
 * ".." allowed, so nothing in the image can point the write elsewhere. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "root_path.h"
#include "sysctl.h"

/* "net.ipv4.ip_forward" -> "sys/net/ipv4/ip_forward". */
static void sysctl_path(const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "sys/%s", name);
        for (char *p = buf + 4; *p; p++)
                if (*p == '.')
                        *p = '/';
}

int congo_sysctl_apply(int procfd, const struct congo_spec *s, struct congo_error *err)
{
        for (size_t i = 0; i < s->process.n_sysctl; i++) {
                const struct congo_sysctl *e = &s->process.sysctl[i];
                struct open_how how = {
                        .flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
                        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV,
                };
                char path[256];
                size_t len = strlen(e->value);

                sysctl_path(e->name, path, sizeof path);
                _cleanup_close_ int fd = (int)syscall(SYS_openat2, procfd, path, &how, sizeof how);
                if (fd < 0 && errno == ENOSYS)   /* before 5.6: no symlink at all */
                        fd = congo_open_beneath(procfd, path, O_WRONLY | O_NOFOLLOW);
                if (fd < 0)
                        return congo_error_set(err, errno, "sysctl %s: opening /proc/%s", e->name, path);
                if (write(fd, e->value, len) != (ssize_t)len)
                        return congo_error_set(err, errno, "sysctl %s: writing \"%s\"", e->name, e->value);
        }
        return 0;
}

void congo_sysctl_describe(const struct congo_spec *s, FILE *out)
{
        for (size_t i = 0; i < s->process.n_sysctl; i++)
                fprintf(out, "   sysctl %s = %s\n", s->process.sysctl[i].name, s->process.sysctl[i].value);
}
