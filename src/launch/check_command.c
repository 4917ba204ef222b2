/* check_command.c - `--check` looks for the command where the container
 * will: inside the rootfs, along the spec's PATH, every path resolved with
 * the rootfs as "/" (root_path.c), so a symlink in the image cannot point
 * the check at the host's files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_command.h"
#include "cleanup.h"
#include "root_path.h"

static const char *spec_path_var(const struct congo_spec *s)
{
        for (size_t i = 0; i < s->n_env; i++)
                if (strcmp(s->env[i].name, "PATH") == 0)
                        return s->env[i].value;
        return "/bin:/usr/bin";   /* execvp's default, as the exec stage */
}

/* 0 executable (or cannot tell); ENOENT missing; EISDIR, EACCES: there
 * but not runnable. */
static int probe(int rootfd, const char *path, const struct congo_spec *s)
{
        _cleanup_close_ int fd = congo_root_open(rootfd, path, O_PATH);
        struct stat st;

        /* Without openat2 (kernels before 5.6, valgrind) root_path.c
         * refuses to follow symlinks: ELOOP, or the link itself.  Whether
         * the command is there is then unknown, not wrong. */
        if (fd < 0 && errno == ELOOP)
                return 0;
        if (fd < 0)
                return errno == ENOTDIR ? ENOENT : errno;
        if (fstat(fd, &st) < 0)
                return errno;
        if (S_ISLNK(st.st_mode))
                return 0;
        if (S_ISDIR(st.st_mode))
                return EISDIR;
        if (!S_ISREG(st.st_mode))
                return EACCES;
        mode_t x = s->uid == 0 ? 0111 : st.st_uid == s->uid ? 0100 : st.st_gid == s->gid ? 0010 : 0001;
        return st.st_mode & x ? 0 : EACCES;
}

static int report(const struct congo_spec *s, const char *path, int e, struct congo_diag *d)
{
        const struct congo_pos *pos = &s->pos[CONGO_K_COMMAND];

        if (e == EISDIR)
                congo_diag_report(d, pos, "command: %s is a directory in the rootfs", path);
        else if (e == EACCES)
                congo_diag_report(d, pos, "command: %s is not executable by %u:%u in the rootfs",
                                  path, (unsigned)s->uid, (unsigned)s->gid);
        else
                congo_diag_report(d, pos, "command: %s: %s", path, strerror(e));
        return -1;
}

int congo_check_command(const struct congo_spec *s, struct congo_diag *d)
{
        const char *file = s->command ? s->command[0] : NULL;
        char path[4096];
        int first_denied = 0;

        if (file == NULL || s->rootfs == NULL)
                return 0;
        _cleanup_close_ int rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return 0;   /* congo_spec_finish has said why */
        if (strchr(file, '/')) {
                /* Relative to the container's working directory. */
                snprintf(path, sizeof path, "%s%s%s", file[0] == '/' ? "" : s->cwd ? s->cwd : "/",
                         file[0] == '/' ? "" : "/", file);
                int e = probe(rootfd, path, s);
                if (e == ENOENT) {
                        congo_diag_report(d, &s->pos[CONGO_K_COMMAND], "command: %s is not in the rootfs %s",
                                          file, s->rootfs);
                        return -1;
                }
                return e ? report(s, file, e, d) : 0;
        }
        /* As the exec stage searches: PATH, in order, the first that runs. */
        for (const char *dir = spec_path_var(s); *dir;) {
                size_t len = strcspn(dir, ":");
                snprintf(path, sizeof path, "%.*s/%s", (int)(len ? len : 1), len ? dir : ".", file);
                int e = probe(rootfd, path, s);
                if (e == 0)
                        return 0;
                if (e != ENOENT && first_denied == 0)
                        first_denied = e;
                dir += len + (dir[len] == ':');
        }
        if (first_denied)
                return report(s, file, first_denied, d);
        congo_diag_report(d, &s->pos[CONGO_K_COMMAND], "command: %s is not found in the rootfs along PATH=%s",
                          file, spec_path_var(s));
        return -1;
}

/* Each hook where it will be executed: start_container's inside the
 * rootfs as the command's user, every other one on the host as whoever
 * runs the check (the launcher will be the same user). */
int congo_check_hooks(const struct congo_spec *s, struct congo_diag *d)
{
        int rc = 0;
        _cleanup_close_ int rootfd = s->rootfs ? open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;

        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                for (size_t i = 0; i < s->n_hooks[k]; i++) {
                        const struct congo_hook *h = &s->hooks[k][i];
                        const struct congo_pos *pos = &h->pos_key[CONGO_HOOKK_PATH];
                        bool inside = k == CONGO_HOOK_START_CONTAINER;
                        struct stat st;
                        int e = 0;

                        if (h->path == NULL || (inside && rootfd < 0))
                                continue;
                        if (inside)
                                e = probe(rootfd, h->path, s);
                        else if (stat(h->path, &st) < 0)
                                e = errno;
                        else if (S_ISDIR(st.st_mode))
                                e = EISDIR;
                        else if (access(h->path, X_OK) < 0)
                                e = errno;
                        if (e == 0)
                                continue;
                        congo_diag_report(d, pos, "hooks.%s[%zu].path: %s%s%s (%s)", congo_hook_kind_name(k), i,
                                          h->path, e == EISDIR || e == EACCES ? " " : ": ",
                                          e == EISDIR ? "is a directory" :
                                          e == EACCES ? "is not executable" : strerror(e),
                                          inside ? "in the rootfs, where start_container hooks run" : "on the host");
                        rc = -1;
                }
        return rc;
}
