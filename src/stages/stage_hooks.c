/* stage_hooks.c - the hooks stage: prestart, then createRuntime, run by
 * the launcher (src/pipeline/hooks.c runs them) while the container waits
 * in its namespaces and cgroup, before its root is built.  It is in the
 * table only for a spec with hooks (congo_hooks_stages, pipeline.h). */
#include "config.h"

#include <errno.h>
#include <sys/mman.h>

#include "congo/pipeline.h"
#include "congo/util.h"
#include "hooks.h"

/* Hooks run inside the container need the pid the launcher knows: one
 * shared page, written after clone, read after the child's release. */
static int hooks_prepare(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        if (s->n_hooks[CONGO_HOOK_CREATE_CONTAINER] == 0 && s->n_hooks[CONGO_HOOK_START_CONTAINER] == 0)
                return 0;
        void *page = mmap(NULL, sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED)
                return congo_error_set(err, errno, "mmap");
        run->hook_pid = page;
        return 0;
}

/* In the runtime namespace, the container's namespaces made (and its
 * cgroup joined: this stage comes after cgroups), its root not yet
 * built: prestart, then createRuntime. */
static int hooks_parent(struct congo_run *run, struct congo_error *err)
{
        if (run->hook_pid)
                *run->hook_pid = run->pid;
        if (congo_hooks_run(run, CONGO_HOOK_PRESTART, err) < 0)
                return -1;
        return congo_hooks_run(run, CONGO_HOOK_CREATE_RUNTIME, err);
}

static void hooks_cleanup(struct congo_run *run)
{
        if (run->hook_pid)
                munmap(run->hook_pid, sizeof(pid_t));
        run->hook_pid = NULL;
}

static void hooks_describe(struct congo_run *run, FILE *out)
{
        static const char *const where[CONGO_HOOK_NKINDS] = {
                "launcher, before the root is built", "launcher, before the root is built",
                "container's namespaces, before pivot_root", "container, just before execve",
                "launcher, once the command runs", "launcher, after the container is gone",
        };
        const struct congo_spec *s = run->spec;

        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                for (size_t i = 0; i < s->n_hooks[k]; i++) {
                        const struct congo_hook *h = &s->hooks[k][i];
                        fprintf(out, "   hooks.%s[%zu], in the %s: %s", congo_hook_kind_name(k), i,
                                where[k], h->path);
                        for (char **a = h->args; a && *a; a++) {
                                fputs(a == h->args ? " as " : " ", out);
                                congo_shell_quote(out, *a);
                        }
                        if (h->timeout)
                                fprintf(out, " (timeout %us)", h->timeout);
                        fputc('\n', out);
                }
}

const struct congo_stage congo_stage_hooks = {
        .name = "hooks",
        .describe = hooks_describe,
        .prepare = hooks_prepare,
        .parent = hooks_parent,
        .cleanup = hooks_cleanup,
};
