/* oci_convert_process.c - the OCI front end's converters for config.json's
 * ociVersion, process (args, env, user, rlimits, capabilities, console
 * size, I/O priority), annotations and hooks. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oci_internal.h"

int oci_conv_version(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (!json_is_string(v))
                return oci_fail(o, r->json, "expected a string");
        if (strncmp(json_string_value(v), "1.", 2) != 0)
                return oci_fail(o, r->json, "\"%s\" is not supported (1.x is)", json_string_value(v));
        return oci_set_text(o, r->json, r->key, "1");
}

int oci_conv_strings(struct oci *o, const struct oci_row *r, json_t *v)
{
        return oci_set_string_list(o, r->json, r->key, v);
}

static int env_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        char key[300];
        const char *t = oci_scalar_text(o, p, item, 's', NULL, 0);
        const char *eq = t ? strchr(t, '=') : NULL;

        (void)i;
        (void)ctx;
        if (t == NULL || eq == NULL || eq == t || (size_t)(eq - t) >= 256)
                return t ? oci_fail(o, p, "\"%s\" is not NAME=value", t) : -1;
        snprintf(key, sizeof key, "env.%.*s", (int)(eq - t), t);
        return oci_set_text(o, p, key, eq + 1);
}

/* process.env: "NAME=value" each; the whole environment. */
int oci_conv_env(struct oci *o, const struct oci_row *r, json_t *v)
{
        int rc = oci_each(o, r->json, v, "an array of strings", env_item, NULL);

        if (json_is_array(v))
                congo_spec_env_exact(o->spec);
        return rc;
}

int oci_conv_id(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) >= UINT32_MAX)
                return oci_fail(o, r->json, "expected an integer from 0 to 4294967294");
        *(strstr(r->json, "uid") ? &o->uid : &o->gid) = json_integer_value(v);
        o->have_user = true;
        return 0;
}

static int rlimit_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        char key[80], text[64];
        json_t *type = json_object_get(item, "type");
        json_t *soft = json_object_get(item, "soft"), *hard = json_object_get(item, "hard");

        (void)i;
        (void)ctx;
        if (!json_is_string(type) || strncmp(json_string_value(type), "RLIMIT_", 7) != 0 ||
            strlen(json_string_value(type)) > 40)
                return oci_fail(o, p, "type: expected RLIMIT_<NAME>");
        if (!json_is_integer(soft) || !json_is_integer(hard) ||
            json_integer_value(soft) < 0 || json_integer_value(hard) < 0)
                return oci_fail(o, p, "soft and hard: expected integers from 0");
        snprintf(key, sizeof key, "limits.rlimits.%s", json_string_value(type) + 7);
        for (char *c = key; *c; c++)
                *c = (char)tolower((unsigned char)*c);
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT ":%" JSON_INTEGER_FORMAT,
                 json_integer_value(soft), json_integer_value(hard));
        return oci_set_text(o, p, key, text);
}

/* {type: RLIMIT_NOFILE, soft, hard} -> limits.rlimits.nofile: soft:hard */
int oci_conv_rlimits(struct oci *o, const struct oci_row *r, json_t *v)
{
        return oci_each(o, r->json, v, "an array", rlimit_item, NULL);
}

static bool in_set(json_t *set, json_t *item)
{
        size_t i;
        json_t *x;

        json_array_foreach(set, i, x)
                if (json_is_string(x) && json_is_string(item) &&
                    strcasecmp(json_string_value(x), json_string_value(item)) == 0)
                        return true;
        return false;
}

/* The five sets, each to its own key; a set left out is empty, as OCI
 * says.  security.capabilities (the shorthand) is the bounding set, so
 * that the print shows the sets that differ from it.  An ambient
 * capability that is not both permitted and inheritable cannot be raised:
 * crun and runc pass over it (runc with a warning), and bundles rely on
 * that (`crun spec` and `runc spec` write ambient without inheritable),
 * so it is left out and named at -v; a YAML spec that asks for it is
 * refused instead. */
int oci_conv_caps(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
        json_t *empty = json_array(), *ambient = json_array(), *item;
        size_t i;
        int rc = 0;

        if (!json_is_object(v))
                return json_decref(empty), json_decref(ambient), oci_fail(o, r->json, "expected an object");
        json_t *bounding = json_object_get(v, "bounding");
        rc |= oci_set_string_list(o, r->json, r->key, bounding ? bounding : empty);
        json_array_foreach(json_object_get(v, "ambient"), i, item) {
                if (in_set(json_object_get(v, "permitted"), item) &&
                    in_set(json_object_get(v, "inheritable"), item))
                        json_array_append(ambient, item);
                else
                        congo_info("%s: %s.ambient: %s is not permitted and inheritable; left out, as crun and runc do",
                                   o->file, r->json, json_is_string(item) ? json_string_value(item) : "?");
        }
        for (int k = 0; k < 5; k++) {
                char p[64], key[64];
                json_t *set = json_object_get(v, sets[k]);
                snprintf(p, sizeof p, "%s.%s", r->json, sets[k]);
                snprintf(key, sizeof key, "security.capabilities_%s", sets[k]);
                if (set != NULL && !json_is_null(set) && !json_is_array(set)) {
                        rc = oci_fail(o, p, "expected an array of strings");
                        continue;
                }
                if (k == 4)
                        set = ambient;
                rc |= oci_set_string_list(o, p, key, set && !json_is_null(set) ? set : empty);
        }
        json_decref(empty);
        json_decref(ambient);
        return rc;
}

/* An integer as text, in base (8 for a umask: 18 is 022). */
int oci_conv_int_base(struct oci *o, const struct oci_row *r, json_t *v)
{
        char buf[32];

        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX)
                return oci_fail(o, r->json, "expected an integer from 0");
        snprintf(buf, sizeof buf, "%llo", (unsigned long long)json_integer_value(v));
        return oci_set_text(o, r->json, r->key, buf);
}

static int int_item(struct oci *o, const char *p, size_t i, json_t *item, void *texts)
{
        char buf[32];
        const char *t = oci_scalar_text(o, p, item, 'i', buf, sizeof buf);

        (void)i;
        if (t == NULL)
                return -1;
        json_array_append_new(texts, json_string(t));
        return 0;
}

/* An array of integers to a list key (additionalGids). */
int oci_conv_ints(struct oci *o, const struct oci_row *r, json_t *v)
{
        json_t *texts = json_array();
        int rc = oci_each(o, r->json, v, "an array of integers", int_item, texts);

        if (rc == 0)
                rc = oci_set_string_list(o, r->json, r->key, texts);
        json_decref(texts);
        return rc;
}

/* {height, width} -> terminal_size "HEIGHTxWIDTH"; ignored without
 * process.terminal, as the spec says. */
int oci_conv_console_size(struct oci *o, const struct oci_row *r, json_t *v)
{
        json_t *h = json_object_get(v, "height"), *w = json_object_get(v, "width");
        char text[48];

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object");
        if (!json_is_true(oci_get_path(o->root, "process.terminal"))) {
                congo_info("%s: %s: process.terminal is not true; ignored", o->file, r->json);
                return 0;
        }
        if (!json_is_integer(h) || !json_is_integer(w) || json_integer_value(h) < 1 ||
            json_integer_value(w) < 1 || json_integer_value(h) > 65535 || json_integer_value(w) > 65535)
                return oci_fail(o, r->json, "height and width: expected integers from 1 to 65535");
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT "x%" JSON_INTEGER_FORMAT,
                 json_integer_value(h), json_integer_value(w));
        return oci_set_text(o, r->json, r->key, text);
}

/* {class: IOPRIO_CLASS_BE, priority: 4} -> io_priority "be 4" */
int oci_conv_io_priority(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const classes[][2] = {
                { "IOPRIO_CLASS_RT", "rt" }, { "IOPRIO_CLASS_BE", "be" }, { "IOPRIO_CLASS_IDLE", "idle" },
        };
        json_t *c = json_object_get(v, "class"), *p = json_object_get(v, "priority");
        char text[32];

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object");
        if (p != NULL && (!json_is_integer(p) || json_integer_value(p) < 0 || json_integer_value(p) > 7))
                return oci_fail(o, r->json, "priority: expected an integer from 0 to 7");
        for (int i = 0; json_is_string(c) && i < 3; i++)
                if (strcmp(json_string_value(c), classes[i][0]) == 0) {
                        snprintf(text, sizeof text, "%s %d", classes[i][1],
                                 p ? (int)json_integer_value(p) : 0);
                        return oci_set_text(o, r->json, r->key, text);
                }
        return oci_fail(o, r->json, "class: expected IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE");
}

int oci_conv_annotations(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *name;
        json_t *value;
        int rc = 0;

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object of strings");
        json_object_foreach(v, name, value) {
                /* Names of any length: a truncated one would collide. */
                char *p = NULL, *key = NULL;
                if (asprintf(&p, "%s.%s", r->json, name) < 0 || asprintf(&key, "%s.%s", r->key, name) < 0) {
                        free(p);
                        return oci_fail(o, r->json, "out of memory");
                }
                const char *t = name[0] ? oci_scalar_text(o, p, value, 's', NULL, 0) : NULL;
                if (name[0] == '\0')
                        rc = oci_fail(o, r->json, "an empty name");
                else if (t == NULL)
                        rc = -1;
                else
                        rc |= oci_set_text(o, p, key, t);
                free(p);
                free(key);
        }
        return rc;
}

/* hooks: each kind's array of {path, args, env, timeout} to hooks.KIND
 * through the same setters as YAML's.  A kind or a property of a hook
 * that the specification does not define is ignored (Extensibility),
 * named at -v. */
static int hook_strings(struct oci *o, struct congo_hook *h, const char *json,
                        const char *key, json_t *v)
{
        struct congo_pos pos;
        int rc;
        struct congo_scalar *items = oci_strings(o, json, v, &pos, &rc);

        if (rc == 0 && congo_spec_set_hook_list(o->spec, h, key, items, json_array_size(v), &pos, o->d) < 0)
                rc = -1, o->problems++;
        free(items);
        return rc;
}

static int hook_fields(struct oci *o, struct congo_hook *h, const char *json, json_t *item)
{
        const char *name;
        json_t *v;
        int rc = 0;

        json_object_foreach(item, name, v) {
                char p[400], buf[32];
                if (snprintf(p, sizeof p, "%s.%s", json, name) >= (int)sizeof p)
                        continue;   /* a name this long is none the spec defines */
                if (json_is_null(v))
                        continue;
                if (strcmp(name, "args") == 0 || strcmp(name, "env") == 0) {
                        rc |= hook_strings(o, h, p, name, v);
                } else if (strcmp(name, "path") == 0 || strcmp(name, "timeout") == 0) {
                        const char *t = oci_scalar_text(o, p, v, name[0] == 'p' ? 's' : 'i', buf, sizeof buf);
                        struct congo_scalar s = { .text = t, .pos = oci_at(o, p), .in_file = true };
                        if (t == NULL)
                                rc = -1;
                        else if (congo_spec_set_hook(o->spec, h, name, &s, o->d) < 0)
                                rc = -1, o->problems++;
                } else {
                        congo_info("%s: %s: not defined by the runtime specification: ignored", o->file, p);
                }
        }
        return rc;
}

/* One hook of the kind named by path ("hooks.prestart"). */
static int hook_item(struct oci *o, const char *hp, size_t i, json_t *item, void *path)
{
        struct congo_pos pos = oci_at(o, hp);

        (void)i;
        if (!json_is_object(item))
                return oci_fail(o, hp, "expected an object");
        struct congo_hook *h = congo_spec_add_hook(o->spec, path, &pos, o->d);
        if (h == NULL) {
                o->problems++;
                return OCI_STOP;
        }
        return hook_fields(o, h, hp, item);
}

int oci_conv_hooks(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const kinds[][2] = {
                { "prestart", "hooks.prestart" }, { "createRuntime", "hooks.create_runtime" },
                { "createContainer", "hooks.create_container" },
                { "startContainer", "hooks.start_container" },
                { "poststart", "hooks.poststart" }, { "poststop", "hooks.poststop" },
        };
        const char *name;
        json_t *list;
        int rc = 0;

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object");
        json_object_foreach(v, name, list) {
                char p[300];
                size_t k = 0;

                snprintf(p, sizeof p, "%s.%s", r->json, name);
                while (k < 6 && strcmp(name, kinds[k][0]) != 0)
                        k++;
                if (k == 6) {
                        congo_info("%s: %s: not defined by the runtime specification: ignored", o->file, p);
                        continue;
                }
                if (!json_is_null(list))
                        rc |= oci_each(o, p, list, "an array", hook_item, (void *)kinds[k][1]);
        }
        return rc;
}
