/* posthooks.c - the hooks the runtime itself runs, outside the pipeline:
 * poststart in `start` (after the release, before it returns) and
 * poststop in `delete` (after the container is gone, before it returns),
 * each with the state JSON on stdin, as runtime.md says.  The earlier
 * kinds run inside create's pipeline (prestart and createRuntime in the
 * runtime, createContainer in the container before pivot_root) and in
 * the container after start's release (startContainer, before exec).
 *
 * poststart waits for the command's exec (wait_exec), so that a
 * startContainer hook has run by then, as runtime.md orders them.
 *
 * create marks a container whose spec has either kind (ROOT/ID/posthooks),
 * so that start and delete of every other container read no bundle.  A
 * failing poststart or poststop hook is a warning, as runtime.md says.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "hooks.h"
#include "runtime.h"

int congo_rt_mark_posthooks(int dirfd, const struct congo_spec *spec)
{
        if (spec->n_hooks[CONGO_HOOK_POSTSTART] == 0 && spec->n_hooks[CONGO_HOOK_POSTSTOP] == 0)
                return 0;
        return congo_rt_write_file(dirfd, "posthooks", "poststart poststop\n");
}

/* The command's process: the only child of the container's PID 1 (the
 * state's pid), or that pid itself where there is no such init. */
static pid_t command_pid(pid_t pid)
{
        char path[64], buf[64];
        FILE *f;
        int child = 0;

        snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
        if ((f = fopen(path, "re")) != NULL) {
                if (fgets(buf, sizeof buf, f) == NULL || sscanf(buf, "%d", &child) != 1)
                        child = 0;
                fclose(f);
        }
        return child > 0 ? child : pid;
}

/* Whether pid still runs congo: create runs from a sealed memfd copy of
 * the binary or the binary itself seen through a private overlayfs
 * (sealed.c), so the container's process is congo until it executes the
 * command exactly while its exe is a write-sealed file or the file we
 * run (the same inode, size and time). */
static bool still_congo(pid_t pid)
{
        char path[64];
        struct stat theirs, ours;

        snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        int seals = fcntl(fd, F_GET_SEALS);
        bool same = fstat(fd, &theirs) == 0 && stat("/proc/self/exe", &ours) == 0 &&
                    theirs.st_ino == ours.st_ino && theirs.st_size == ours.st_size &&
                    theirs.st_mtim.tv_sec == ours.st_mtim.tv_sec && theirs.st_mtim.tv_nsec == ours.st_mtim.tv_nsec;
        close(fd);
        return same || (seals >= 0 && (seals & F_SEAL_WRITE));
}

/* runtime.md: poststart after the user's process is executed.  start's
 * release only lets it go (then startContainer runs, then the exec), so
 * with poststart hooks start waits, up to 2 s, until the command's
 * process runs another program than congo, or is gone. */
static void wait_exec(const struct congo_rt_state *st)
{
        struct timespec tick = { 0, 1000000 };
        pid_t pid = command_pid(st->pid);

        for (int i = 0; i < 2000 && congo_rt_pid_alive(st->pid, st->pid_start); i++) {
                if (!still_congo(pid))
                        return;
                nanosleep(&tick, NULL);
        }
}

void congo_rt_posthooks(int dirfd, const struct congo_rt_state *st, enum congo_hook_kind kind)
{
        struct congo_spec spec;
        struct congo_run run;
        struct congo_error err = { 0 };
        struct stat sb;

        if (fstatat(dirfd, "posthooks", &sb, AT_SYMLINK_NOFOLLOW) < 0)
                return;
        if (congo_rt_load_bundle(st->bundle, &spec) < 0) {
                congo_rt_error("%s: hooks.%s not run: the bundle cannot be read", st->id,
                               congo_hook_kind_name(kind));
                return;
        }
        if (kind == CONGO_HOOK_POSTSTART && spec.n_hooks[kind] > 0)
                wait_exec(st);
        /* The hooks' state names the container by its id. */
        free(spec.name);
        spec.name = strdup(st->id);
        congo_run_init(&run, &spec, NULL, 0);
        run.pid = st->pid;
        congo_hooks_run(&run, kind, &err);
        congo_spec_free(&spec);
}
