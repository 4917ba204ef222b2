/* spec_compose.c - merging files into one spec: removal of inherited map
 * entries, the end of a layer (mounts by target, devices by path), and
 * --set's KEY+=VALUE / KEY-=VALUE.
 *
 * The front ends hand every file's values to the same setters, one file
 * after another; scalars and lists are simply replaced by the later file
 * and maps merge key by key through their setters.  What is left to this
 * file is what a setter cannot decide alone: entries of mounts and devices
 * are identified by their target or path only once the entry is complete.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "spec_internal.h"

/* ---- NAME: ~ ----------------------------------------------------------- */

static int unset_env(struct congo_spec *s, const char *path, const char *name,
                     const struct congo_pos *pos, struct congo_diag *d)
{
        for (size_t i = 0; i < s->n_env; i++) {
                if (strcmp(s->env[i].name, name) != 0)
                        continue;
                if (congo_spec_duplicate(s, path, &s->env[i].pos, pos, d) < 0)
                        return -1;
                free(s->env[i].name);
                free(s->env[i].value);
                memmove(&s->env[i], &s->env[i + 1], (s->n_env - i - 1) * sizeof s->env[i]);
                s->n_env--;
                congo_spec_forget_names(&s->env_index, &s->env_indexed);
                return 0;
        }
        congo_diag_report(d, pos, "%s: has no value (~ or nothing removes a variable an earlier file set; none set %s)",
                          path, name);
        return -1;
}

static int unset_annotation(struct congo_spec *s, const char *path, const char *name,
                            const struct congo_pos *pos, struct congo_diag *d)
{
        for (size_t i = 0; i < s->n_annotations; i++) {
                if (strcmp(s->annotations[i].name, name) != 0)
                        continue;
                if (congo_spec_duplicate(s, path, &s->annotations[i].pos, pos, d) < 0)
                        return -1;
                free(s->annotations[i].name);
                free(s->annotations[i].value);
                memmove(&s->annotations[i], &s->annotations[i + 1],
                        (s->n_annotations - i - 1) * sizeof s->annotations[i]);
                s->n_annotations--;
                congo_spec_forget_names(&s->annotation_index, &s->annotations_indexed);
                return 0;
        }
        congo_diag_report(d, pos, "%s: has no value (~ or nothing removes an annotation an earlier file set; none set %s)",
                          path, name);
        return -1;
}

static int unset_unified(struct congo_spec *s, const char *path, const char *name,
                         const struct congo_pos *pos, struct congo_diag *d)
{
        for (size_t i = 0; i < s->limits.n_unified; i++) {
                struct congo_unified *u = &s->limits.unified[i];
                if (strcmp(u->file, name) != 0)
                        continue;
                if (congo_spec_duplicate(s, path, &u->pos, pos, d) < 0)
                        return -1;
                free(u->file);
                free(u->value);
                memmove(u, u + 1, (s->limits.n_unified - i - 1) * sizeof *u);
                s->limits.n_unified--;
                return 0;
        }
        congo_diag_report(d, pos, "%s: has no value (~ or nothing removes a file an earlier file set; none set %s)",
                          path, name);
        return -1;
}

static int unset_rlimit(struct congo_spec *s, const char *path, const char *name,
                        const struct congo_pos *pos, struct congo_diag *d)
{
        int res = congo_rlimit_from_name(name);

        for (size_t i = 0; res >= 0 && i < s->limits.n_rlimits; i++) {
                struct congo_rlimit *r = &s->limits.rlimits[i];
                if (r->resource != res)
                        continue;
                if (congo_spec_duplicate(s, path, &r->pos, pos, d) < 0)
                        return -1;
                memmove(r, r + 1, (s->limits.n_rlimits - i - 1) * sizeof *r);
                s->limits.n_rlimits--;
                return 0;
        }
        congo_diag_report(d, pos, "%s: has no value (~ or nothing removes a limit an earlier file set; none set %s)",
                          path, name);
        return -1;
}

static int unset_sysctl(struct congo_spec *s, const char *path, const char *name,
                        const struct congo_pos *pos, struct congo_diag *d)
{
        for (size_t i = 0; i < s->process.n_sysctl; i++) {
                struct congo_sysctl *e = &s->process.sysctl[i];
                if (strcmp(e->name, name) != 0)
                        continue;
                if (congo_spec_duplicate(s, path, &e->pos, pos, d) < 0)
                        return -1;
                free(e->name);
                free(e->value);
                memmove(e, e + 1, (s->process.n_sysctl - i - 1) * sizeof *e);
                s->process.n_sysctl--;
                return 0;
        }
        congo_diag_report(d, pos, "%s: has no value (~ or nothing removes a parameter an earlier file set; none set %s)",
                          path, name);
        return -1;
}

int congo_spec_unset(struct congo_spec *spec, const char *path,
                     const struct congo_pos *pos, struct congo_diag *d)
{
        if (strncmp(path, "env.", 4) == 0)
                return unset_env(spec, path, path + 4, pos, d);
        if (strncmp(path, "limits.rlimits.", 15) == 0)
                return unset_rlimit(spec, path, path + 15, pos, d);
        if (strncmp(path, "annotations.", 12) == 0)
                return unset_annotation(spec, path, path + 12, pos, d);
        if (strncmp(path, "limits.unified.", 15) == 0)
                return unset_unified(spec, path, path + 15, pos, d);
        if (strncmp(path, "sysctl.", 7) == 0)
                return unset_sysctl(spec, path, path + 7, pos, d);
        congo_diag_report(d, pos, "%s: has no value", path);
        return -1;
}

/* ---- the end of a layer ------------------------------------------------ */

void congo_spec_layer_begin(const struct congo_spec *spec, struct congo_layer *layer)
{
        layer->mounts = spec->n_mounts;
        layer->devices = spec->n_devices;
}

/* The earlier layer's mount at target, or -1. */
static ssize_t earlier_mount(const struct congo_spec *s, size_t before, const char *target)
{
        for (size_t j = 0; target && j < before; j++)
                if (s->mounts[j].target && strcmp(s->mounts[j].target, target) == 0)
                        return (ssize_t)j;
        return -1;
}

static void drop_mount(struct congo_spec *s, size_t i)
{
        congo_spec_free_mount(&s->mounts[i]);
        memmove(&s->mounts[i], &s->mounts[i + 1], (s->n_mounts - i - 1) * sizeof s->mounts[i]);
        s->n_mounts--;
}

static int end_mounts(struct congo_spec *s, size_t before, struct congo_diag *d)
{
        int bad = 0;

        for (size_t i = before; i < s->n_mounts;) {
                struct congo_mount *m = &s->mounts[i];
                ssize_t j = earlier_mount(s, before, m->target);
                /* Twice in this layer: left for congo_spec_finish to report. */
                for (size_t k = i + 1; j >= 0 && !m->remove && k < s->n_mounts; k++)
                        if (s->mounts[k].target && strcmp(s->mounts[k].target, m->target) == 0)
                                j = -1;
                if (!m->remove) {
                        if (j < 0) {
                                i++;
                                continue;
                        }
                        /* In the earlier one's place: order of mounts
                         * (a parent before what is mounted inside it) stays. */
                        congo_spec_free_mount(&s->mounts[j]);
                        s->mounts[j] = *m;
                        *m = (struct congo_mount){ 0 };
                } else if (m->pos_type.file || m->pos_source.file || m->pos_options.file) {
                        bad = BAD(d, m, "mounts[%zu]: an entry with remove: true takes only its target", i);
                } else if (m->target == NULL) {
                        bad = BAD(d, m, "mounts[%zu]: remove: true needs the target to remove", i);
                } else if (j < 0) {
                        bad = BAD(d, m, "mounts[%zu]: remove: nothing earlier mounts %s", i, m->target);
                } else {
                        drop_mount(s, (size_t)j);
                        before--;
                        i--;
                }
                drop_mount(s, i);
        }
        return bad;
}

static ssize_t earlier_device(const struct congo_spec *s, size_t before, const char *path)
{
        for (size_t j = 0; path && j < before; j++)
                if (s->devices[j].path && strcmp(s->devices[j].path, path) == 0)
                        return (ssize_t)j;
        return -1;
}

static void drop_device(struct congo_spec *s, size_t i)
{
        free(s->devices[i].path);
        memmove(&s->devices[i], &s->devices[i + 1], (s->n_devices - i - 1) * sizeof s->devices[i]);
        s->n_devices--;
}

static int end_devices(struct congo_spec *s, size_t before, struct congo_diag *d)
{
        int bad = 0;

        for (size_t i = before; i < s->n_devices;) {
                struct congo_device *dev = &s->devices[i];
                ssize_t j = earlier_device(s, before, dev->path);
                bool others = false;
                for (size_t k = i + 1; j >= 0 && !dev->remove && k < s->n_devices; k++)
                        if (s->devices[k].path && strcmp(s->devices[k].path, dev->path) == 0)
                                j = -1;
                for (int k = CONGO_DEV_TYPE; k < CONGO_DEV_NKEYS; k++)
                        others |= dev->pos_key[k].file != NULL;
                if (!dev->remove) {
                        if (j < 0) {
                                i++;
                                continue;
                        }
                        free(s->devices[j].path);
                        s->devices[j] = *dev;
                        dev->path = NULL;
                } else if (others) {
                        bad = BAD(d, dev, "devices[%zu]: an entry with remove: true takes only its path", i);
                } else if (dev->path == NULL) {
                        bad = BAD(d, dev, "devices[%zu]: remove: true needs the path to remove", i);
                } else if (j < 0) {
                        bad = BAD(d, dev, "devices[%zu]: remove: nothing earlier adds %s", i, dev->path);
                } else {
                        drop_device(s, (size_t)j);
                        before--;
                        i--;
                }
                drop_device(s, i);
        }
        return bad;
}

int congo_spec_layer_end(struct congo_spec *spec, const struct congo_layer *layer,
                         struct congo_diag *d)
{
        int bad = end_mounts(spec, layer->mounts, d);

        return end_devices(spec, layer->devices, d) | bad;
}
