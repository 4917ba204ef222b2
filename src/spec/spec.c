/* spec.c - the entry points every front end calls.
 *
 * A front end hands over (dotted key path, text, position).  This file
 * finds the key in the table (spec_keys.c), refuses unknown keys, wrong
 * shapes and duplicates, remembers where each value came from, and calls
 * the key's setter.  Defaults and cross-key checks come later, in
 * spec_finish.c.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include <jansson.h>

#include "seccomp_profile.h"
#include "spec_internal.h"

const struct congo_key_def *congo_spec_find_key(const char *path)
{
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const char *k = congo_spec_keys[i].path;
                size_t len = strlen(k);

                if (k[len - 1] == '*') {
                        /* "env.*" matches "env.X" for any non-empty X. */
                        if (strncmp(path, k, len - 1) == 0 && path[len - 1] != '\0')
                                return &congo_spec_keys[i];
                } else if (strcmp(path, k) == 0) {
                        return &congo_spec_keys[i];
                }
        }
        return NULL;
}

enum congo_key_kind congo_spec_key_kind(const char *path)
{
        const struct congo_key_def *k = congo_spec_find_key(path);

        return k ? k->kind : CONGO_KIND_UNKNOWN;
}

/* k's name if it is a key one level below map (the top level when map is
 * NULL), else NULL. */
static const char *child_name(const char *map, size_t plen, const char *k)
{
        const char *rest;

        if (map && (strncmp(k, map, plen) != 0 || k[plen] != '.'))
                return NULL;
        rest = map ? k + plen + 1 : k;
        return strchr(rest, '.') || strchr(rest, '*') ? NULL : rest;
}

bool congo_spec_key_takes_document(const char *path)
{
        const struct congo_key_def *k = congo_spec_find_key(path);

        return k != NULL && (k->flags & CONGO_KF_DOCUMENT);
}

int congo_spec_set_document(struct congo_spec *spec, const char *path, void *json_object,
                            const struct congo_pos *pos, struct congo_diag *d)
{
        /* The one such key today. */
        if (strcmp(path, "security.seccomp.profile") != 0 || !json_is_object((json_t *)json_object)) {
                congo_spec_wrong_shape(spec, path, pos, "a mapping", d);
                return -1;
        }
        return congo_spec_set_seccomp_object(spec, json_object, "security.seccomp.profile", pos, d);
}

bool congo_spec_key_has_children(const char *path)
{
        size_t len = strlen(path);

        for (size_t i = 0; i < congo_spec_n_keys; i++)
                if (strncmp(congo_spec_keys[i].path, path, len) == 0 &&
                    congo_spec_keys[i].path[len] == '.')
                        return true;
        return false;
}

/* The keys one level below a map, for "unknown key" hints. */
static void list_children(const char *map, char *buf, size_t size)
{
        size_t plen = map ? strlen(map) : 0, used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const char *rest = child_name(map, plen, congo_spec_keys[i].path);
                if (rest == NULL)
                        continue;
                int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", rest);
                if (w < 0 || (size_t)w >= size - used)
                        break;
                used += (size_t)w;
        }
}

/* Levenshtein distance, for "did you mean"; keys are short. */
static size_t edit_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b), row[64];

        if (la >= 64 || lb >= 64)
                return SIZE_MAX;
        for (size_t j = 0; j <= lb; j++)
                row[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t diag = row[0];
                row[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t up = row[j];
                        size_t best = diag + (a[i - 1] != b[j - 1]);
                        if (up + 1 < best)
                                best = up + 1;
                        if (row[j - 1] + 1 < best)
                                best = row[j - 1] + 1;
                        row[j] = best;
                        diag = up;
                }
        }
        return row[lb];
}

/* The sibling key nearest to name, if it is near enough to be a typo. */
static const char *nearest_child(const char *map, const char *name)
{
        size_t plen = map ? strlen(map) : 0, best = SIZE_MAX;
        const char *found = NULL;

        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const char *rest = child_name(map, plen, congo_spec_keys[i].path);
                if (rest == NULL)
                        continue;
                size_t dist = edit_distance(name, rest);
                if (dist < best) {
                        best = dist;
                        found = rest;
                }
        }
        /* One edit in a short name, up to a third of a longer one. */
        size_t len = strlen(name), limit = len < 6 ? 1 : len / 3;
        return best <= limit ? found : NULL;
}

static void report_unknown(const char *path, const struct congo_pos *pos,
                           struct congo_diag *d)
{
        char parent[128] = "", expected[512];
        const char *dot = strrchr(path, '.');

        if (dot && (size_t)(dot - path) < sizeof parent)
                snprintf(parent, sizeof parent, "%.*s", (int)(dot - path), path);
        list_children(parent[0] ? parent : NULL, expected, sizeof expected);
        const char *near = nearest_child(parent[0] ? parent : NULL, dot ? dot + 1 : path);
        if (near != NULL)
                congo_diag_report(d, pos, "%s: unknown key; did you mean \"%s\"? (expected one of: %s)",
                                  path, near, expected);
        else
                congo_diag_report(d, pos, "%s: unknown key (expected one of: %s)", path, expected);
}

static const char *kind_text(enum congo_key_kind kind)
{
        return kind == CONGO_KIND_SCALAR ? "a single value" :
               kind == CONGO_KIND_LIST ? "a list" :
               kind == CONGO_KIND_MOUNTS ? "a list of mounts" :
               kind == CONGO_KIND_DEVICES ? "a list of devices" :
               kind == CONGO_KIND_HOOKS ? "a list of hooks" : "a mapping";
}

void congo_spec_wrong_shape(struct congo_spec *spec, const char *path,
                            const struct congo_pos *pos, const char *got,
                            struct congo_diag *d)
{
        const struct congo_key_def *k = congo_spec_find_key(path);

        if (k != NULL && k->key >= 0)
                MARK_ATTEMPTED(spec, k->key);
        congo_diag_report(d, pos, "%s: expected %s, got %s", path,
                          kind_text(k ? k->kind : CONGO_KIND_UNKNOWN), got);
}

/* The layer's part of a position's file: an OCI position's file is
 * "b/config.json: JSON.path" (parse_oci.c), and the whole config.json is
 * one layer (it cannot be included), so its duplicates stay errors. */
static size_t layer_len(const char *file)
{
        const char *sep = strstr(file, ".json: ");

        return sep ? (size_t)(sep - file) + strlen(".json") : strlen(file);
}

bool congo_spec_later(const struct congo_spec *spec, const struct congo_pos *first,
                      const struct congo_pos *pos)
{
        /* A file is merged once, so its name stands for its layer. */
        if (spec->overriding)
                return true;
        if (first->file == NULL || pos->file == NULL)
                return false;
        size_t n = layer_len(first->file);
        return n != layer_len(pos->file) || strncmp(first->file, pos->file, n) != 0;
}

int congo_spec_duplicate(const struct congo_spec *spec, const char *path,
                         const struct congo_pos *first, const struct congo_pos *pos,
                         struct congo_diag *d)
{
        if (first == NULL || first->file == NULL || congo_spec_later(spec, first, pos))
                return 0;
        /* An OCI position has no line: its file names the JSON path
         * ("b/config.json: process.env[0]"), which is what to point at. */
        const char *json = first->line == 0 ? strstr(first->file, ": ") : NULL;
        if (json != NULL)
                congo_diag_report(d, pos, "%s: duplicate key (first at %s)", path, json + 2);
        else
                congo_diag_report(d, pos, "%s: duplicate key (first at line %d, column %d)",
                                  path, first->line, first->col);
        return -1;
}

/* Shared prologue of the setters: the key exists, has this kind, and was
 * not written before (unless --set is overriding it). */
static const struct congo_key_def *claim(struct congo_spec *spec, const char *path,
                                   enum congo_key_kind kind,
                                   const struct congo_pos *pos,
                                   struct congo_diag *d)
{
        const struct congo_key_def *k = congo_spec_find_key(path);

        if (k == NULL) {
                report_unknown(path, pos, d);
                return NULL;
        }
        /* Given, valid or not: congo_spec_finish must not also call it
         * missing. */
        if (k->key >= 0)
                MARK_ATTEMPTED(spec, k->key);
        if (k->kind != kind) {
                congo_diag_report(d, pos, "%s: expected %s", path, kind_text(k->kind));
                return NULL;
        }
        if (k->key >= 0 && congo_spec_duplicate(spec, path, &spec->pos[k->key], pos, d) < 0)
                return NULL;
        return k;
}

bool congo_spec_any_attempted(const struct congo_spec *spec)
{
        for (size_t i = 0; i < CONGO_KEY_WORDS; i++)
                if (spec->attempted[i] != 0)
                        return true;
        return false;
}

/* A row without a setter of its own: its type says how to convert the
 * value, its offset where in the spec it lands. */
static int set_by_type(struct congo_spec *spec, const struct congo_key_def *k,
                       const char *path, const struct congo_scalar *v,
                       struct congo_diag *d)
{
        void *field = (char *)spec + k->offset;

        switch (k->type) {
        case CONGO_T_BOOL:
                if (congo_parse_bool(v->text, field) < 0)
                        return BAD(d, v, "%s: \"%s\" is not a boolean (true or false)",
                                   path, v->text);
                return 0;
        default:
                congo_diag_report(d, &v->pos, "%s: internal error: no setter", path);
                return -1;
        }
}

int congo_spec_set(struct congo_spec *spec, const char *path,
                   const struct congo_scalar *value, struct congo_diag *d)
{
        const struct congo_key_def *k = claim(spec, path, CONGO_KIND_SCALAR, &value->pos, d);

        if (k == NULL)
                return -1;
        /* env: {NAME: ~} removes what an earlier file set. */
        if (value->is_null && k->path[strlen(k->path) - 1] == '*')
                return congo_spec_unset(spec, path, &value->pos, d);
        if (value->is_null) {
                congo_diag_report(d, &value->pos, "%s: has no value", path);
                return -1;
        }
        /* A spec is text: printed back, it must parse as YAML again. */
        if (!congo_utf8_valid(path) || !congo_utf8_valid(value->text)) {
                congo_diag_report(d, &value->pos, "%s: not valid UTF-8", path);
                return -1;
        }
        if ((k->set ? k->set(spec, path, value, d) : set_by_type(spec, k, path, value, d)) < 0)
                return -1;
        if (k->key >= 0)
                spec->pos[k->key] = value->pos;
        return 0;
}

int congo_spec_set_list(struct congo_spec *spec, const char *path,
                        const struct congo_scalar *items, size_t n,
                        const struct congo_pos *pos, struct congo_diag *d)
{
        const struct congo_key_def *k = claim(spec, path, CONGO_KIND_LIST, pos, d);
        int rc;

        if (k == NULL)
                return -1;
        for (size_t i = 0; i < n; i++)
                if (items[i].is_null || !congo_utf8_valid(items[i].text)) {
                        congo_diag_report(d, &items[i].pos, "%s: item %zu %s", path, i + 1,
                                          items[i].is_null ? "has no value" : "is not valid UTF-8");
                        return -1;
                }
        rc = k->set_list(spec, path, items, n, d);
        if (rc == -2) {
                congo_diag_report(d, pos, "%s: must not be empty", path);
                return -1;
        }
        if (rc < 0)
                return -1;
        spec->pos[k->key] = *pos;
        return 0;
}

/* Splits text into items that all point at the value's position. */
static struct congo_scalar *split_scalar(const struct congo_scalar *value,
                                         size_t *n, const char **why)
{
        char **words = congo_split_words(value->text, why);
        struct congo_scalar *items;

        if (words == NULL)
                return NULL;
        *n = congo_strv_len(words);
        items = calloc(*n + 1, sizeof *items);
        for (size_t i = 0; items && i < *n; i++)
                items[i] = (struct congo_scalar){ .text = words[i], .pos = value->pos };
        free(words);   /* the strings now belong to items */
        return items;
}

static void free_split(struct congo_scalar *items, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free((char *)items[i].text);
        free(items);
}

int congo_spec_set_words(struct congo_spec *spec, const char *path,
                         const struct congo_scalar *value, struct congo_diag *d)
{
        const char *why = NULL;
        size_t n = 0;
        struct congo_scalar *items = split_scalar(value, &n, &why);
        int rc;

        if (items == NULL) {
                congo_diag_report(d, &value->pos, "%s: %s", path, why ? why : "out of memory");
                return -1;
        }
        rc = congo_spec_set_list(spec, path, items, n, &value->pos, d);
        free_split(items, n);
        return rc;
}

/* ---- --set ------------------------------------------------------------- */

int congo_spec_override(struct congo_spec *spec, const char *assignment,
                        struct congo_diag *d)
{
        const char *eq = strchr(assignment, '=');
        struct congo_pos pos = { "--set", 0, 0 };
        char path[256];
        int rc;

        if (eq == NULL || eq == assignment || (size_t)(eq - assignment) >= sizeof path) {
                congo_diag_report(d, &pos, "\"%s\" is not KEY=VALUE", assignment);
                return -1;
        }
        snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
        struct congo_scalar v = { .text = eq + 1, .pos = pos };
        size_t plen = strlen(path);
        /* KEY+=V, KEY-=V: only where KEY is a list, map, mounts or devices,
         * so that env.NAME-=x still names the variable "NAME-". */
        if (plen > 1 && (path[plen - 1] == '+' || path[plen - 1] == '-')) {
                char op = path[plen - 1];
                path[plen - 1] = '\0';
                enum congo_key_kind kind = congo_spec_key_kind(path);
                if (kind != CONGO_KIND_SCALAR && kind != CONGO_KIND_UNKNOWN) {
                        spec->overriding = true;
                        rc = congo_spec_override_op(spec, path, op, &v, d);
                        spec->overriding = false;
                        return rc;
                }
                path[plen - 1] = op;
        }
        spec->overriding = true;
        switch (congo_spec_key_kind(path)) {
        case CONGO_KIND_SCALAR:
                rc = congo_spec_set(spec, path, &v, d);
                break;
        case CONGO_KIND_LIST:
                rc = congo_spec_set_words(spec, path, &v, d);
                break;
        case CONGO_KIND_UNKNOWN:
                report_unknown(path, &pos, d);
                rc = -1;
                break;
        case CONGO_KIND_HOOKS:
                congo_diag_report(d, &pos, "%s: hooks cannot be changed with --set; write them in a spec file (one you include)",
                                  path);
                rc = -1;
                break;
        default:
                congo_diag_report(d, &pos, "%s: a mapping, or a list of mounts or devices, cannot be set with --set; set its keys (e.g. env.NAME=value) or add to it with %s+=",
                                  path, path);
                rc = -1;
        }
        spec->overriding = false;
        return rc;
}

const char *congo_spec_keep(struct congo_spec *spec, const char *text)
{
        char **nk = congo_spec_grow(spec->kept, spec->n_kept, sizeof *nk);

        if (nk == NULL)
                return NULL;
        spec->kept = nk;
        if ((nk[spec->n_kept] = strdup(text)) == NULL)
                return NULL;
        return nk[spec->n_kept++];
}

void congo_spec_env_exact(struct congo_spec *spec)
{
        spec->env_exact = true;
}

int congo_spec_set_seccomp_object(struct congo_spec *spec, void *json_object,
                                  const char *prefix, const struct congo_pos *pos,
                                  struct congo_diag *d)
{
        if (congo_spec_duplicate(spec, "security.seccomp.profile", &spec->pos[CONGO_K_SECCOMP_PROFILE],
                                 pos, d) < 0)
                return -1;
        json_decref(spec->seccomp_json);
        spec->seccomp_json = json_incref(json_object);
        spec->seccomp_json_prefix = prefix;
        /* It replaces a profile file an earlier layer named. */
        free(spec->security.seccomp_profile);
        spec->security.seccomp_profile = NULL;
        congo_relpath_free(&spec->security.seccomp_profile_rel);
        spec->security.seccomp = CONGO_SECCOMP_PROFILE;
        if (congo_spec_later(spec, &spec->pos[CONGO_K_SECCOMP], pos))
                spec->pos[CONGO_K_SECCOMP] = (struct congo_pos){ 0 };
        spec->pos[CONGO_K_SECCOMP_PROFILE] = *pos;
        MARK_ATTEMPTED(spec, CONGO_K_SECCOMP_PROFILE);
        return 0;
}

/* ---- life cycle -------------------------------------------------------- */

char *congo_spec_dir_of(const char *file)
{
        char cwd[4096];
        const char *slash = file ? strrchr(file, '/') : NULL;

        if (getcwd(cwd, sizeof cwd) == NULL)
                strcpy(cwd, "/");
        if (slash == NULL)
                return strdup(cwd);
        char *dir = strndup(file, (size_t)(slash - file) + 1);
        char *clean = dir ? congo_path_clean(cwd, dir) : NULL;
        free(dir);
        return clean;
}

void congo_spec_init(struct congo_spec *spec, const char *file)
{
        *spec = (struct congo_spec){ 0 };
        spec->namespaces = CONGO_NS_DEFAULT;
        spec->security.no_new_privileges = true;
        spec->security.capabilities = congo_caps_default();
        spec->limits.memory_swappiness = -1;
        congo_spec_init_process(spec);
        if (file != NULL)
                spec->file = strdup(file);
        spec->dir = congo_spec_dir_of(file);
}

void congo_spec_free(struct congo_spec *spec)
{
        free(spec->file);
        free(spec->dir);
        free(spec->name);
        free(spec->rootfs);
        congo_relpath_free(&spec->rootfs_rel);
        free(spec->hostname);
        free(spec->domainname);
        congo_strv_free(spec->command);
        free(spec->cwd);
        free(spec->uid_map);
        free(spec->gid_map);
        free(spec->cgroup_parent);
        for (size_t i = 0; i < spec->n_env; i++) {
                free(spec->env[i].name);
                free(spec->env[i].value);
        }
        free(spec->env);
        for (size_t i = 0; i < spec->n_mounts; i++) {
                congo_spec_free_mount(&spec->mounts[i]);
        }
        free(spec->mounts);
        congo_strv_free(spec->sources);
        congo_spec_free_devices(spec);
        free(spec->device_rules);
        congo_spec_free_ns_paths(spec);
        congo_spec_free_hooks(spec);
        free(spec->limits.rlimits);
        congo_spec_free_resources(spec);
        free(spec->security.seccomp_profile);
        congo_relpath_free(&spec->security.seccomp_profile_rel);
        congo_seccomp_profile_free(spec->security.seccomp_compiled);
        congo_spec_free_process(spec);
        for (size_t i = 0; i < spec->n_annotations; i++) {
                free(spec->annotations[i].name);
                free(spec->annotations[i].value);
        }
        free(spec->annotations);
        congo_spec_free_names(&spec->env_index);
        congo_spec_free_names(&spec->annotation_index);
        json_decref(spec->seccomp_json);
        for (size_t i = 0; i < spec->n_kept; i++)
                free(spec->kept[i]);
        free(spec->kept);
        *spec = (struct congo_spec){ 0 };
}
