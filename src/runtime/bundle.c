/* bundle.c - a bundle directory into a validated congo_spec: config.json
 * through the OCI front end, or a congo spec (config.yaml, config.ini)
 * beside it, read as congo-launch reads one. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "congo/parse.h"
#include "bundle.h"
#include "runtime.h"

static const char *const names[] = { "config.json", "config.yaml", "config.ini" };

char *congo_rt_bundle_path(const char *bundle)
{
        char *abs = realpath(bundle ? bundle : ".", NULL);

        if (abs == NULL)
                congo_rt_error("bundle %s: %s", bundle ? bundle : ".", strerror(errno));
        return abs;
}

int congo_rt_load_bundle(const char *abs, struct congo_spec *spec)
{
        struct congo_diag d = { stderr, 0 };
        char path[PATH_MAX + 16];
        size_t i;

        for (i = 0; i < sizeof names / sizeof names[0]; i++) {
                snprintf(path, sizeof path, "%s/%s", abs, names[i]);
                if (access(path, F_OK) == 0)
                        break;
        }
        if (i == sizeof names / sizeof names[0]) {
                congo_rt_error("bundle %s: no config.json (nor config.yaml, config.ini)", abs);
                return -1;
        }
        congo_spec_init(spec, path);
        int problems = congo_parse_file(spec, &d);
        if (problems == 0 || congo_spec_any_attempted(spec))
                problems += congo_spec_finish(spec, &d);
        if (problems != 0) {
                congo_spec_free(spec);
                return -1;
        }
        /* OCI: a terminal only when process.terminal says so. */
        if (spec->terminal == CONGO_TTY_AUTO)
                spec->terminal = CONGO_TTY_OFF;
        return 0;
}

/* The container's own cgroup: the bundle's cgroupsPath (linux.cgroupsPath,
 * or cgroup_parent in a congo spec) names it, as the runtime spec says;
 * else <cgroup_parent>/oci/<id>, keyed by the id. */
void congo_rt_cgroup_rel(const struct congo_spec *spec, const char *id, char *buf, size_t len)
{
        char name[128];

        if (spec->pos[CONGO_K_CGROUP_PARENT].file != NULL)
                snprintf(buf, len, "%s", spec->cgroup_parent);
        else
                snprintf(buf, len, "%s/oci/%s", spec->cgroup_parent, congo_rt_dirname(id, name));
}

/* annotations, as the JSON object the state shows. */
char *congo_rt_annotations(const struct congo_spec *spec)
{
        json_t *obj = json_object();

        for (size_t i = 0; i < spec->n_annotations; i++)
                json_object_set_new(obj, spec->annotations[i].name, json_string(spec->annotations[i].value));
        char *text = json_dumps(obj, JSON_COMPACT);
        json_decref(obj);
        return text;
}
