/* posthooks.c - the hooks the runtime itself runs, outside the pipeline:
 * poststart in `start` (after the release, before it returns) and
 * poststop in `delete` (after the container is gone, before it returns),
 * each with the state JSON on stdin, as runtime.md says.  The earlier
 * kinds run inside create's pipeline (prestart and createRuntime in the
 * runtime, createContainer in the container before pivot_root) and in
 * the container after start's release (startContainer, before exec).
 *
 * create marks a container whose spec has either kind (ROOT/ID/posthooks),
 * so that start and delete of every other container read no bundle.  A
 * failing poststart or poststop hook is a warning, as runtime.md says.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "hooks.h"
#include "runtime.h"

int congo_rt_mark_posthooks(int dirfd, const struct congo_spec *spec)
{
        if (spec->n_hooks[CONGO_HOOK_POSTSTART] == 0 && spec->n_hooks[CONGO_HOOK_POSTSTOP] == 0)
                return 0;
        return congo_rt_write_file(dirfd, "posthooks", "poststart poststop\n");
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
        /* The hooks' state names the container by its id. */
        free(spec.name);
        spec.name = strdup(st->id);
        congo_run_init(&run, &spec, NULL, 0);
        run.pid = st->pid;
        congo_hooks_run(&run, kind, &err);
        congo_spec_free(&spec);
}
