/* unit_spec_schema.c - `--schema` holds every key of the table, typed,
 * with its doc, default and required flag; the entry tables of mounts and
 * devices are what their setters take; and validation does not depend on
 * who validates (the caller's adaptation is the launcher's).  Part of
 * tests/unit_spec.  tests/schema.sh checks the schema with a real
 * validator against the examples. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "congo/parse.h"
#include "spec_schema.h"
#include "unit_helpers.h"

TCase *schema_tcase(void);

/* A schema for a value says what it is: a type, an enum, or choices. */
static bool typed(json_t *s)
{
        return json_object_get(s, "type") || json_object_get(s, "enum") ||
               json_object_get(s, "anyOf");
}

/* The object alternative of a key that is a value or a mapping. */
static json_t *as_object(json_t *s)
{
        json_t *any = json_object_get(s, "anyOf"), *alt;
        size_t i;

        json_array_foreach(any, i, alt)
                if (json_object_get(alt, "properties"))
                        return alt;
        return s;
}

/* The schema of a dotted path ("*": any name), or NULL. */
static json_t *lookup(json_t *root, const char *path)
{
        char *copy = strdup(path), *save = NULL;
        json_t *s = root;

        for (char *seg = strtok_r(copy, ".", &save); seg && s; seg = strtok_r(NULL, ".", &save)) {
                s = as_object(s);
                if (strcmp(seg, "*") == 0)
                        s = json_object_get(s, "additionalProperties");
                else
                        s = json_object_get(json_object_get(s, "properties"), seg);
                if (json_is_false(s))
                        s = NULL;
        }
        free(copy);
        return s;
}

static bool in_array(json_t *a, const char *name)
{
        json_t *v;
        size_t i;

        json_array_foreach(a, i, v)
                if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
                        return true;
        return false;
}

/* The object that holds the row at path: the root or its parent. */
static json_t *parent_of(json_t *root, const char *path)
{
        char parent[256];
        const char *dot = strrchr(path, '.');

        if (dot == NULL)
                return root;
        snprintf(parent, sizeof parent, "%.*s", (int)(dot - path), path);
        return as_object(lookup(root, parent));
}

static void check_row(json_t *holder, json_t *s, const struct congo_key_def *k,
                      const char *where)
{
        ck_assert_msg(s != NULL, "%s%s: not in the schema", where, k->path);
        ck_assert_msg(typed(s), "%s%s: its type %s has no schema (spec_schema.c)",
                      where, k->path, congo_key_type_name(k->type));
        ck_assert_msg(json_is_string(json_object_get(s, "description")) &&
                      strcmp(json_string_value(json_object_get(s, "description")), k->doc) == 0,
                      "%s%s: no description, or not the doc line", where, k->path);
        ck_assert_msg((k->def != NULL) == (json_object_get(s, "default") != NULL),
                      "%s%s: default", where, k->path);
        const char *name = strrchr(k->path, '.') ? strrchr(k->path, '.') + 1 : k->path;
        /* An entry's type may be required in the first branch of an anyOf
         * (the other: remove: true, spec_schema.c's entry_schema). */
        json_t *first = json_array_get(json_object_get(holder, "anyOf"), 0);
        ck_assert_msg(!(k->flags & CONGO_KF_REQUIRED) ||
                      in_array(json_object_get(holder, "required"), name) ||
                      in_array(json_object_get(first, "required"), name),
                      "%s%s: required, but not in the schema's required", where, k->path);
}

START_TEST(every_key_of_the_table_is_in_the_schema)
{
        json_t *root = congo_spec_schema_json();

        ck_assert_ptr_nonnull(root);
        ck_assert_str_eq(json_string_value(json_object_get(root, "$schema")),
                         "https://json-schema.org/draft/2020-12/schema");
        ck_assert(json_is_false(json_object_get(root, "additionalProperties")));
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *k = &congo_spec_keys[i];
                json_t *s = lookup(root, k->path);

                check_row(parent_of(root, k->path), s, k, "");
                if (k->sub == NULL)
                        continue;
                json_t *entry = json_object_get(s, "items");
                char where[128];
                snprintf(where, sizeof where, "%s[].", k->path);
                ck_assert(json_is_false(json_object_get(entry, "additionalProperties")));
                for (const struct congo_key_def *e = k->sub; e->path; e++)
                        check_row(entry, json_object_get(json_object_get(entry, "properties"), e->path),
                                  e, where);
        }
        /* Nothing but the table: a key of the schema is a row. */
        const char *name;
        json_t *v;
        json_object_foreach(json_object_get(root, "properties"), name, v)
                ck_assert_msg(congo_spec_find_key(name) != NULL, "%s: not a key", name);
        json_decref(root);
}
END_TEST

START_TEST(ranges_and_forms_are_the_setters)
{
        json_t *root = congo_spec_schema_json();

        /* limits.time: a bare number is seconds: 1s to 366 days. */
        json_t *t = lookup(root, "limits.time");
        ck_assert_int_eq(json_integer_value(json_object_get(t, "minimum")), 1);
        ck_assert_int_eq(json_integer_value(json_object_get(t, "maximum")), 366 * 24 * 3600);
        /* limits.cpus: hundredths, as a number. */
        json_t *c = lookup(root, "limits.cpus");
        ck_assert(json_real_value(json_object_get(c, "minimum")) == 0.01);
        ck_assert(json_real_value(json_object_get(c, "maximum")) == 4095.99);
        /* terminal: true is the word true. */
        ck_assert(json_array_size(json_object_get(lookup(root, "terminal"), "enum")) == 5);
        /* security.seccomp: a word or {profile: FILE}. */
        ck_assert_ptr_nonnull(lookup(root, "security.seccomp.profile"));
        ck_assert_int_eq(json_integer_value(json_object_get(lookup(root, "devices"), "maxItems")),
                         CONGO_DEVICES_MAX);
        /* options: ~ is taken (CONGO_KF_NULL). */
        json_t *opts = json_object_get(json_object_get(json_object_get(
                lookup(root, "mounts"), "items"), "properties"), "options");
        ck_assert(in_array(json_object_get(opts, "type"), "null"));

        char *text;
        size_t len;
        FILE *f = open_memstream(&text, &len);
        ck_assert_int_eq(congo_spec_schema(f), 0);
        fclose(f);
        json_error_t err;
        json_t *again = json_loads(text, 0, &err);
        ck_assert_msg(again != NULL, "--schema is not JSON: %s", err.text);
        ck_assert(json_equal(again, root));
        free(text);
        json_decref(again);
        json_decref(root);
}
END_TEST

/* Rows nobody has written yet come out by their kind and type alone. */
START_TEST(new_rows_need_no_work)
{
        static const char *const words[] = { "unlimited", NULL };
        static const struct congo_key_def rows[] = {
                { "a", CONGO_KIND_MAP, -1, NULL, NULL, .type = CONGO_T_GROUP, .doc = "a" },
                { "a.size", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_SIZE,
                  .min = 1, .max = 100, .values = words, .flags = CONGO_KF_REQUIRED, .doc = "s" },
                { "a.names", CONGO_KIND_MAP, -1, NULL, NULL, .type = CONGO_T_MAP, .doc = "m" },
                { "a.names.*", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_UINT,
                  .max = 7, .doc = "n" },
                { "a.odd", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_COUNT, .doc = "o" },
        };
        json_t *s = congo_spec_row_schema(rows, 5, &rows[0]);
        json_t *props = json_object_get(s, "properties");

        ck_assert(json_is_false(json_object_get(s, "additionalProperties")));
        ck_assert(in_array(json_object_get(s, "required"), "size"));
        /* A size that also takes a word: in its pattern, its range kept. */
        json_t *size = json_object_get(props, "size");
        ck_assert_int_eq(json_integer_value(json_object_get(size, "maximum")), 100);
        ck_assert_str_eq(json_string_value(json_object_get(size, "pattern")),
                         "(^[0-9]+[KMGTkmgt]?$)|^(unlimited)$");
        json_t *names = json_object_get(json_object_get(props, "names"), "additionalProperties");
        ck_assert_int_eq(json_integer_value(json_object_get(names, "maximum")), 7);
        ck_assert_str_eq(json_string_value(json_object_get(names, "description")), "n");
        /* A type --schema does not know: no type, which the test above refuses. */
        ck_assert(!typed(json_object_get(props, "odd")));
        json_decref(s);
}
END_TEST

/* --print goes over the table: a top-level key, and each key one level
 * into a group (limits.memory, security.seccomp), is printed from its row
 * (.offset and type) or by a function of spec_print.c; one that is
 * neither would silently vanish from --print. */
START_TEST(every_top_level_key_is_printed)
{
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const char *p = congo_spec_keys[i].path, *dot = strchr(p, '.');
                const struct congo_key_def *group = NULL;
                char name[64];
                if (dot != NULL) {
                        snprintf(name, sizeof name, "%.*s", (int)(dot - p), p);
                        group = congo_spec_find_key(name);
                }
                bool top = dot == NULL;
                bool in_group = group && group->type == CONGO_T_GROUP && strchr(dot + 1, '.') == NULL;
                if (top || in_group)
                        ck_assert_msg(congo_spec_key_printed(&congo_spec_keys[i]),
                                      "%s: neither an .offset of a printable type nor a printer in spec_print.c", p);
        }
}
END_TEST

/* A value an entry's setter takes for the row. */
static const char *sample(const struct congo_key_def *e)
{
        if (e->values)
                return e->values[0];
        if (e->def)
                return e->def;
        if (e->type == CONGO_T_PATH)
                return "/dev/x";
        return e->type == CONGO_T_LIST ? "ro" : "1";
}

/* Every name in "(expected a, b, c)" of msg is a row of rows. */
static void expected_are_rows(const char *msg, const struct congo_key_def *rows)
{
        const char *p = strstr(msg, "(expected ");

        ck_assert_msg(p != NULL, "no list of keys in: %s", msg);
        p += strlen("(expected ");
        while (*p && *p != ')') {
                size_t n = strcspn(p, ",)");
                bool found = false;
                for (const struct congo_key_def *e = rows; e->path && !found; e++)
                        found = strlen(e->path) == n && strncmp(e->path, p, n) == 0;
                ck_assert_msg(found, "a setter takes %.*s, which the entry rows lack", (int)n, p);
                p += n + (p[n] == ',');
                p += strspn(p, " ");
        }
}

START_TEST(entry_rows_are_the_setters)
{
        struct congo_spec s;
        char *msg;
        size_t len;
        struct congo_pos pos = { "/tmp/e.yaml", 1, 1 };

        congo_spec_init(&s, "/tmp/e.yaml");
        for (const struct congo_key_def *e = congo_mount_keys; e->path; e++) {
                struct congo_diag d = { NULL, 0 };
                struct congo_mount *m = congo_spec_add_mount(&s, &pos);
                for (size_t j = 0; e->values && e->values[j]; j++) {
                        struct congo_scalar v = { .text = e->values[j], .pos = pos };
                        ck_assert_msg(congo_spec_set_mount(&s, m, e->path, &v, &d) == 0,
                                      "mounts: %s: %s refused", e->path, e->values[j]);
                        m = congo_spec_add_mount(&s, &pos);
                }
                struct congo_scalar v = { .text = sample(e), .pos = pos };
                ck_assert_msg(congo_spec_set_mount(&s, m, e->path, &v, &d) == 0,
                              "mounts: %s refused", e->path);
        }
        for (const struct congo_key_def *e = congo_device_keys; e->path; e++) {
                struct congo_diag d = { NULL, 0 };
                struct congo_device *dev = congo_spec_add_device(&s, &pos, &d);
                struct congo_scalar v = { .text = sample(e), .pos = pos };
                ck_assert_msg(congo_spec_set_device(&s, dev, e->path, &v, &d) == 0,
                              "devices: %s refused", e->path);
        }
        for (const struct congo_key_def *e = congo_hook_keys; e->path; e++) {
                struct congo_diag d = { NULL, 0 };
                struct congo_hook *h = congo_spec_add_hook(&s, "hooks.prestart", &pos, &d);
                ck_assert_ptr_nonnull(h);
                struct congo_scalar v = { .text = e->type == CONGO_T_LIST ? "A=1" : sample(e), .pos = pos };
                int rc = e->kind == CONGO_KIND_LIST ? congo_spec_set_hook_list(&s, h, e->path, &v, 1, &pos, &d)
                                                    : congo_spec_set_hook(&s, h, e->path, &v, &d);
                ck_assert_msg(rc == 0, "hooks: %s refused", e->path);
        }
        /* And the other way: what each setter names, the rows have. */
        struct congo_scalar v = { .text = "x", .pos = pos };
        FILE *f = open_memstream(&msg, &len);
        struct congo_diag d = { f, 0 };
        congo_spec_set_mount(&s, congo_spec_add_mount(&s, &pos), "no_such_key", &v, &d);
        fclose(f);
        expected_are_rows(msg, congo_mount_keys);
        free(msg);
        f = open_memstream(&msg, &len);
        d = (struct congo_diag){ f, 0 };
        congo_spec_set_device(&s, congo_spec_add_device(&s, &pos, &d), "no_such_key", &v, &d);
        fclose(f);
        expected_are_rows(msg, congo_device_keys);
        free(msg);
        f = open_memstream(&msg, &len);
        d = (struct congo_diag){ f, 0 };
        congo_spec_set_hook(&s, congo_spec_add_hook(&s, "hooks.poststop", &pos, &d), "no_such_key", &v, &d);
        fclose(f);
        expected_are_rows(msg, congo_hook_keys);
        free(msg);
        congo_spec_free(&s);
}
END_TEST

#define load_ok(s, text) unit_load_ok(s, "/tmp/c.yaml", text)

#define BASE "version: 1\nrootfs: /\ncommand: [/bin/true]\n"

/* Validation gives the same spec to every caller; the launcher then
 * adds what a rootless caller needs. */
START_TEST(the_caller_is_the_launchers_business)
{
        struct congo_spec s;

        load_ok(&s, BASE);
        ck_assert_uint_eq(s.namespaces, CONGO_NS_DEFAULT);
        ck_assert_ptr_null(s.uid_map);
        ck_assert_int_eq(congo_spec_adapt_to_caller(&s, 0, 0), 0);
        ck_assert_uint_eq(s.namespaces, CONGO_NS_DEFAULT);
        ck_assert_ptr_null(s.uid_map);
        ck_assert_int_eq(congo_spec_adapt_to_caller(&s, 1000, 1001), 0);
        ck_assert_uint_eq(s.namespaces, CONGO_NS_DEFAULT | CONGO_NS_USER);
        ck_assert_uint_eq(s.n_uid_map, 1);
        ck_assert_uint_eq(s.uid_map[0].outside, 1000);
        ck_assert_uint_eq(s.gid_map[0].outside, 1001);
        ck_assert_uint_eq(s.uid_map[0].inside, 0);
        ck_assert_uint_eq(s.uid_map[0].count, 1);
        congo_spec_free(&s);

        /* Root with a user namespace and no maps: root inside is root. */
        load_ok(&s, BASE "namespaces: [mount, user]\n");
        ck_assert_ptr_null(s.uid_map);
        ck_assert_int_eq(congo_spec_adapt_to_caller(&s, 0, 0), 0);
        ck_assert_uint_eq(s.uid_map[0].outside, 0);
        congo_spec_free(&s);

        /* Printed without maps, it parses again as it was. */
        load_ok(&s, BASE "namespaces: [mount, user]\ngid_map: \"0 5 1\"\n");
        char *text;
        size_t len;
        FILE *f = open_memstream(&text, &len);
        congo_spec_print(&s, f);
        fclose(f);
        congo_spec_free(&s);
        ck_assert_msg(strstr(text, "uid_map") == NULL && strstr(text, "gid_map: \"0 5 1\"") != NULL,
                      "%s", text);
        load_ok(&s, text);
        ck_assert_ptr_null(s.uid_map);
        ck_assert_uint_eq(s.gid_map[0].outside, 5);
        free(text);
        congo_spec_free(&s);

        /* Maps written are kept, whoever calls. */
        load_ok(&s, BASE "namespaces: [mount, user]\nuid_map: \"0 100000 65536\"\n");
        ck_assert_int_eq(congo_spec_adapt_to_caller(&s, 1000, 1000), 0);
        ck_assert_uint_eq(s.uid_map[0].outside, 100000);
        ck_assert_uint_eq(s.uid_map[0].count, 65536);
        ck_assert_uint_eq(s.gid_map[0].outside, 1000);
        congo_spec_free(&s);
}
END_TEST

TCase *schema_tcase(void)
{
        TCase *tc = tcase_create("schema");

        tcase_add_test(tc, every_key_of_the_table_is_in_the_schema);
        tcase_add_test(tc, ranges_and_forms_are_the_setters);
        tcase_add_test(tc, new_rows_need_no_work);
        tcase_add_test(tc, every_top_level_key_is_printed);
        tcase_add_test(tc, entry_rows_are_the_setters);
        tcase_add_test(tc, the_caller_is_the_launchers_business);
        return tc;
}
