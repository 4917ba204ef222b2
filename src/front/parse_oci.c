/* parse_oci.c - the OCI front end: a bundle's config.json (runtime spec
 * v1.1, config.md and config-linux.md) into the same congo_spec, through
 * the same setters, by congo key path.
 *
 * One table, oci_rows[] (oci_rows.c), says what becomes of every JSON path
 * the spec defines for Linux: mapped to a congo key (as a scalar, or through a
 * converter where the value's shape differs), refused with a one-line
 * error naming the JSON path, or noted at -v where the spec lets a runtime
 * pass (a Windows field, an LSM the host lacks).  Adding a row is one line.
 * A property the spec does not define is ignored, as its Extensibility
 * section requires, and named at -v.
 *
 * Jansson keeps line:column only for syntax errors; a bad value is named
 * by its JSON path instead, given to the setters as the position's file
 * ("b/config.json: linux.resources.pids.limit"), so their messages read
 *     b/config.json: linux.resources.pids.limit: limits.pids: ...
 *
 * This file is the walk and the helpers every converter uses; the
 * converters are in oci_convert_*.c, by the part of config.json they read.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "oci_internal.h"

/* ---- helpers ----------------------------------------------------------- */

/* Position of a value: the file and its JSON path (kept by the spec). */
struct congo_pos oci_at(struct oci *o, const char *json)
{
        char buf[512];

        snprintf(buf, sizeof buf, "%s: %s", o->file, json);
        const char *kept = congo_spec_keep(o->spec, buf);
        return (struct congo_pos){ kept ? kept : o->file, 0, 0 };
}

int oci_fail(struct oci *o, const char *json, const char *fmt, ...)
{
        char msg[400];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        congo_diag_report(o->d, &(struct congo_pos){ o->file, 0, 0 }, "%s: %s", json, msg);
        o->problems++;
        return -1;
}

json_t *oci_get_path(json_t *root, const char *path)
{
        char buf[256], *save = NULL;
        json_t *v = root;

        snprintf(buf, sizeof buf, "%s", path);
        for (char *c = strtok_r(buf, ".", &save); v && c; c = strtok_r(NULL, ".", &save))
                v = json_is_object(v) ? json_object_get(v, c) : NULL;
        return v;
}

/* Absent in effect: an optional value left empty. */
bool oci_is_empty(json_t *v)
{
        return v == NULL || json_is_null(v) || json_is_false(v) ||
               (json_is_string(v) && json_string_length(v) == 0) ||
               (json_is_array(v) && json_array_size(v) == 0) ||
               (json_is_object(v) && json_object_size(v) == 0);
}

static const char *type_name(char t)
{
        return t == 's' ? "a string" : t == 'i' ? "an integer" : t == 'b' ? "a boolean" :
               t == 'a' ? "an array" : "an object";
}

/* The text of a scalar of type t ('s', 'i', 'b'), or NULL after reporting. */
const char *oci_scalar_text(struct oci *o, const char *json, json_t *v, char t,
                               char *buf, size_t size)
{
        if (t == 's' && json_is_string(v)) {
                if (strlen(json_string_value(v)) != json_string_length(v))
                        return oci_fail(o, json, "contains a NUL character"), NULL;
                return json_string_value(v);
        }
        if (t == 'i' && json_is_integer(v))
                return snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v)), buf;
        if (t == 'b' && json_is_boolean(v))
                return json_is_true(v) ? "true" : "false";
        oci_fail(o, json, "expected %s", type_name(t));
        return NULL;
}

int oci_set_text(struct oci *o, const char *json, const char *key, const char *text)
{
        struct congo_scalar s = { .text = text, .pos = oci_at(o, json), .in_file = true };

        if (congo_spec_set(o->spec, key, &s, o->d) < 0)
                return o->problems++, -1;
        return 0;
}

int oci_each(struct oci *o, const char *json, json_t *v, const char *what, oci_item_fn fn,
             void *ctx)
{
        size_t i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return oci_fail(o, json, "expected %s", what);
        json_array_foreach(v, i, item) {
                char p[512];
                snprintf(p, sizeof p, "%s[%zu]", json, i);
                int r = fn(o, p, i, item, ctx);
                if (r == OCI_STOP)
                        return -1;
                if (r < 0)
                        rc = -1;
        }
        return rc;
}

struct strings {
        struct congo_scalar *items;
        struct congo_pos pos;
};

static int string_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        struct strings *s = ctx;
        const char *t = oci_scalar_text(o, p, item, 's', NULL, 0);

        s->items[i] = (struct congo_scalar){ .text = t ? t : "", .pos = s->pos, .in_file = true };
        return t ? 0 : -1;
}

struct congo_scalar *oci_strings(struct oci *o, const char *json, json_t *v, struct congo_pos *pos,
                                 int *rc)
{
        struct strings s = { calloc(json_array_size(v) + 1, sizeof *s.items), oci_at(o, json) };

        *pos = s.pos;
        if (s.items == NULL) {
                *rc = oci_fail(o, json, "out of memory");
                return NULL;
        }
        *rc = oci_each(o, json, v, "an array of strings", string_item, &s);
        return s.items;
}

/* An array of strings to a list key. */
int oci_set_string_list(struct oci *o, const char *json, const char *key, json_t *v)
{
        struct congo_pos pos;
        int rc;
        struct congo_scalar *items = oci_strings(o, json, v, &pos, &rc);

        if (rc == 0 && congo_spec_set_list(o->spec, key, items, json_array_size(v), &pos, o->d) < 0)
                rc = -1, o->problems++;
        free(items);
        return rc;
}

/* ---- the walk ------------------------------------------------------------ */

static void apply_row(struct oci *o, const struct oci_row *r)
{
        json_t *v = oci_get_path(o->root, r->json);
        char buf[32];

        if ((v == NULL || json_is_null(v)) && r->absent != NULL) {
                struct congo_pos pos = oci_at(o, r->json);
                if (congo_spec_key_kind(r->key) == CONGO_KIND_LIST)
                        o->problems += congo_spec_set_list(o->spec, r->key, NULL, 0, &pos, o->d) < 0;
                else if (strcmp(r->key, "env") == 0)
                        congo_spec_env_exact(o->spec);
                else
                        oci_set_text(o, r->json, r->key, r->absent);
                return;
        }
        if (v == NULL || json_is_null(v))
                return;
        if (r->conv != NULL) {
                r->conv(o, r, v);
                return;
        }
        const char *t = oci_scalar_text(o, r->json, v, r->type, buf, sizeof buf);
        if (t != NULL)
                oci_set_text(o, r->json, r->key, t);
}

/* A user namespace with one map: congo's default for the other maps the
 * launching user, so run by root the container's root group (or user)
 * would be the host's.  runc refuses it; so does this front end (a YAML
 * spec keeps congo's documented default).  A joined one takes no maps at
 * all (spec_ns_paths.c says so). */
static void half_idmap(struct oci *o)
{
        json_t *ns, *uids = oci_get_path(o->root, "linux.uidMappings");
        json_t *gids = oci_get_path(o->root, "linux.gidMappings");
        size_t i;
        bool user = false;

        json_array_foreach(oci_get_path(o->root, "linux.namespaces"), i, ns)
                user |= json_is_string(json_object_get(ns, "type")) &&
                        !strcmp(json_string_value(json_object_get(ns, "type")), "user") &&
                        json_object_get(ns, "path") == NULL;   /* joined: maps refused */
        if (user && oci_is_empty(uids) != oci_is_empty(gids))
                oci_fail(o, oci_is_empty(uids) ? "linux.gidMappings" : "linux.uidMappings",
                     "given without %s; give both (else congo maps the launching user, root on the host, for the other)",
                     oci_is_empty(uids) ? "linux.uidMappings" : "linux.gidMappings");
}

/* Values two rows make together. */
static void combine(struct oci *o)
{
        char buf[64];

        half_idmap(o);

        if (o->have_user) {
                snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT ":%" JSON_INTEGER_FORMAT,
                         o->uid, o->gid);
                oci_set_text(o, "process.user", "user", buf);
        }
}

/* A bundle's name is its directory's (congo's default is the file's:
 * "config"), when that is a valid name. */
static void bundle_name(struct oci *o)
{
        const char *dir = o->spec->dir, *base = dir ? strrchr(dir, '/') : NULL;
        const char *file = strrchr(o->file, '/');

        if (base == NULL || strcmp(file ? file + 1 : o->file, "config.json") != 0)
                return;
        base++;
        size_t len = strlen(base);
        if (len == 0 || len > CONGO_NAME_MAX || !strcmp(base, ".") || !strcmp(base, "..") ||
            strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != len)
                return;
        struct congo_scalar s = { .text = base, .pos = { o->file, 0, 0 }, .in_file = true };
        congo_spec_set(o->spec, "name", &s, o->d);
}

/* Names properties the spec does not define (-v), and objects where the
 * spec wants an object but got something else. */
static void walk_unknown(struct oci *o, json_t *obj, const char *prefix)
{
        const char *name;
        json_t *v;

        json_object_foreach(obj, name, v) {
                char path[256];
                bool exact = false, parent = false;
                snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", name);
                size_t len = strlen(path);
                for (size_t i = 0; i < oci_n_rows; i++) {
                        exact |= strcmp(oci_rows[i].json, path) == 0;
                        parent |= strncmp(oci_rows[i].json, path, len) == 0 && oci_rows[i].json[len] == '.';
                }
                if (exact)
                        continue;
                if (!parent)
                        congo_info("%s: %s: not in the OCI runtime spec; ignored", o->file, path);
                else if (json_is_object(v))
                        walk_unknown(o, v, path);
                else if (!json_is_null(v))
                        oci_fail(o, path, "expected an object");
        }
}

int congo_parse_oci(struct congo_spec *spec, const char *buf, size_t len,
                    struct congo_diag *d)
{
        json_error_t jerr;
        struct oci o = { .spec = spec, .d = d, .file = spec->file ? spec->file : "config.json" };
        int before = d->count;

        o.root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
        if (o.root == NULL) {
                congo_diag_report(d, &(struct congo_pos){ o.file, jerr.line > 0 ? jerr.line : 0,
                                                         jerr.column > 0 ? jerr.column : 0 },
                                  "%s", jerr.text);
                return d->count - before;
        }
        if (!json_is_object(o.root)) {
                congo_diag_report(d, &(struct congo_pos){ o.file, 0, 0 },
                                  "the document is not a JSON object");
                json_decref(o.root);
                return d->count - before;
        }
        if (json_object_get(o.root, "ociVersion") == NULL) {
                oci_fail(&o, "ociVersion", "required key is missing");
                oci_set_text(&o, "ociVersion", "version", "1");   /* said once, above */
        }
        walk_unknown(&o, o.root, "");
        for (size_t i = 0; i < oci_n_rows; i++)
                apply_row(&o, &oci_rows[i]);
        combine(&o);
        bundle_name(&o);
        json_decref(o.root);
        return d->count - before;
}
