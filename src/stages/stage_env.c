/* stage_env.c - host name, domain name and the environment.
 *
 * The environment is exactly the spec's env (spec.c already added PATH and
 * HOME when the spec set none); nothing of the launcher's own leaks in.  It
 * is built before clone so the child does no allocation of its own.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "congo/util.h"

static int env_prepare(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        run->envp = calloc(s->n_env + 1, sizeof *run->envp);
        if (run->envp == NULL)
                return congo_error_set(err, ENOMEM, "environment");
        for (size_t i = 0; i < s->n_env; i++)
                if (asprintf(&run->envp[i], "%s=%s", s->env[i].name, s->env[i].value) < 0)
                        return congo_error_set(err, ENOMEM, "environment");
        return 0;
}

static int env_child(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;

        /* spec.c refuses a hostname without a uts namespace: this never
         * renames the host. */
        if (!(s->namespaces & CONGO_NS_UTS))
                return 0;
        if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
                return congo_error_set(err, errno, "sethostname(\"%s\")", s->hostname);
        if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
                return congo_error_set(err, errno, "setdomainname(\"%s\")", s->domainname);
        return 0;
}

static void env_cleanup(struct congo_run *run)
{
        congo_strv_free(run->envp);
        run->envp = NULL;
}

static void env_describe(struct congo_run *run, FILE *out)
{
        const struct congo_spec *s = run->spec;

        if (s->hostname)
                fprintf(out, "   hostname %s\n", s->hostname);
        if (s->domainname)
                fprintf(out, "   domainname %s\n", s->domainname);
        for (size_t i = 0; i < s->n_env; i++)
                fprintf(out, "   env %s=%s\n", s->env[i].name, s->env[i].value);
}

const struct congo_stage congo_stage_env = {
        .name = "env",
        .describe = env_describe,
        .prepare = env_prepare,
        .child = env_child,
        .cleanup = env_cleanup,
};
