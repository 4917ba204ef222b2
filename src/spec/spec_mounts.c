/* spec_mounts.c - mounts: entries, their keys and options, as every front
 * end hands them over.  Checks across a mount's keys are in spec_finish.c. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "spec_internal.h"


struct congo_mount *congo_spec_add_mount(struct congo_spec *spec,
                                         const struct congo_pos *pos)
{
        struct congo_mount *m = realloc(spec->mounts, (spec->n_mounts + 1) * sizeof *m);

        if (m == NULL)
                return NULL;
        spec->mounts = m;
        m = &m[spec->n_mounts++];
        *m = (struct congo_mount){ .type = -1, .pos = *pos };
        return m;
}

/* options written as one string: "ro,nosuid" (as mount -o takes them). */
static int set_mount_options_text(struct congo_spec *spec, struct congo_mount *m,
                                  const struct congo_scalar *v, struct congo_diag *d)
{
        struct congo_scalar items[32];
        char *copy = strdup(v->is_null ? "" : v->text), *save = NULL;
        size_t n = 0;
        int rc;

        if (copy == NULL)
                return -1;
        for (char *o = strtok_r(copy, ", ", &save); o; o = strtok_r(NULL, ", ", &save)) {
                if (n == sizeof items / sizeof items[0]) {
                        free(copy);
                        return BAD(d, v, "mounts[%zu].options: more than 32 options",
                                   (size_t)(m - spec->mounts));
                }
                items[n++] = (struct congo_scalar){ .text = o, .pos = v->pos };
        }
        rc = congo_spec_set_mount_options(spec, m, items, n, &v->pos, d);
        free(copy);
        return rc;
}

int congo_spec_set_mount(struct congo_spec *spec, struct congo_mount *m,
                         const char *key, const struct congo_scalar *v,
                         struct congo_diag *d)
{
        size_t idx = (size_t)(m - spec->mounts);
        struct congo_pos *slot;

        if (strcmp(key, "type") == 0)
                slot = &m->pos_type;
        else if (strcmp(key, "source") == 0)
                slot = &m->pos_source;
        else if (strcmp(key, "target") == 0)
                slot = &m->pos_target;
        else if (strcmp(key, "options") == 0)
                return set_mount_options_text(spec, m, v, d);
        else
                return BAD(d, v, "mounts[%zu]: unknown key \"%s\" (expected type, source, target, options)",
                           idx, key);
        char path[64];
        snprintf(path, sizeof path, "mounts[%zu].%s", idx, key);
        if (congo_spec_duplicate(spec, path, slot, &v->pos, d) < 0)
                return -1;
        if (v->is_null)
                return BAD(d, v, "mounts[%zu].%s: has no value", idx, key);
        if (!congo_utf8_valid(v->text))
                return BAD(d, v, "mounts[%zu].%s: not valid UTF-8", idx, key);
        *slot = v->pos;
        if (slot == &m->pos_type) {
                if (strcmp(v->text, "bind") == 0)
                        m->type = CONGO_MOUNT_BIND;
                else if (strcmp(v->text, "tmpfs") == 0)
                        m->type = CONGO_MOUNT_TMPFS;
                else
                        return BAD(d, v, "mounts[%zu].type: \"%s\" is not bind or tmpfs",
                                   idx, v->text);
                return 0;
        }
        if (slot == &m->pos_source) {
                free(m->source);
                m->source = congo_resolve_path(spec, v, &m->source_rel);
                return m->source ? 0 : -1;
        }
        if (v->text[0] != '/')
                return BAD(d, v, "mounts[%zu].target: \"%s\" is not an absolute path",
                           idx, v->text);
        free(m->target);
        m->target = congo_path_clean("/", v->text);
        return m->target ? 0 : -1;
}

int congo_spec_set_mount_options(struct congo_spec *spec, struct congo_mount *m,
                                 const struct congo_scalar *items, size_t n,
                                 const struct congo_pos *pos, struct congo_diag *d)
{
        size_t idx = (size_t)(m - spec->mounts);
        char **opts;

        char path[64];
        snprintf(path, sizeof path, "mounts[%zu].options", idx);
        if (congo_spec_duplicate(spec, path, &m->pos_options, pos, d) < 0)
                return -1;
        for (size_t i = 0; i < n; i++)
                if (!items[i].is_null && !congo_utf8_valid(items[i].text)) {
                        congo_diag_report(d, &items[i].pos, "mounts[%zu].options: not valid UTF-8", idx);
                        return -1;
                }
        if ((opts = calloc(n + 1, sizeof *opts)) == NULL)
                return -1;
        for (size_t i = 0; i < n; i++)
                opts[i] = strdup(items[i].is_null ? "" : items[i].text);
        m->options = opts;
        m->pos_options = *pos;
        return 0;
}

