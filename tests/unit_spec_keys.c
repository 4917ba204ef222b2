/* unit_spec_keys.c - the key table (src/spec/spec_keys.c) is whole: every
 * row has a type and a doc line, its default and range are what its setter
 * accepts, and congo-spec(5) documents exactly its keys.  Part of
 * tests/unit_spec. */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

TCase *key_table_tcase(void);

static bool wildcard(const struct congo_key_def *k)
{
        return k->path[strlen(k->path) - 1] == '*';
}

START_TEST(every_row_has_a_type_and_a_doc)
{
        int rows_of[CONGO_K_COUNT] = { 0 };

        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *k = &congo_spec_keys[i];
                bool keyless = k->kind == CONGO_KIND_MAP || k->kind == CONGO_KIND_MOUNTS ||
                               k->kind == CONGO_KIND_DEVICES || k->kind == CONGO_KIND_HOOKS ||
                               wildcard(k);

                ck_assert_msg(congo_key_type_name(k->type) != NULL, "%s: no type", k->path);
                ck_assert_msg(k->doc != NULL && k->doc[0] != '\0', "%s: no doc line", k->path);
                ck_assert_msg(strchr(k->doc, '\n') == NULL, "%s: doc is not one line", k->path);
                ck_assert_msg(keyless ? k->key == -1 : k->key >= 0 && k->key < CONGO_K_COUNT,
                              "%s: key %d", k->path, k->key);
                if (k->key >= 0)
                        rows_of[k->key]++;
                if (k->kind == CONGO_KIND_SCALAR)
                        ck_assert_msg(k->set != NULL || k->type == CONGO_T_BOOL,
                                      "%s: no setter", k->path);
                if (k->kind == CONGO_KIND_LIST)
                        ck_assert_msg(k->set_list != NULL, "%s: no list setter", k->path);
                if (k->type == CONGO_T_ENUM)
                        ck_assert_msg(k->values != NULL, "%s: an enum without values", k->path);
                ck_assert_msg(congo_spec_find_key(k->path) == k, "%s: listed twice", k->path);
        }
        for (int key = 0; key < CONGO_K_COUNT; key++)
                ck_assert_msg(rows_of[key] == 1, "enum congo_key %d has %d rows", key,
                              rows_of[key]);
}
END_TEST

/* The value text that n stands for in a row of this type. */
static void format_value(char *buf, size_t size, enum congo_key_type type, uint64_t n)
{
        if (type == CONGO_T_DURATION)
                snprintf(buf, size, "%" PRIu64 "ms", n);
        else if (type == CONGO_T_DECIMAL)
                snprintf(buf, size, "%" PRIu64 ".%02" PRIu64, n / 100, n % 100);
        else
                snprintf(buf, size, "%" PRIu64, n);
}

/* 0 when the key's setter takes text on a fresh spec. */
static int try_value(const struct congo_key_def *k, const char *text)
{
        struct congo_diag d = { NULL, 0 };
        struct congo_scalar v = { .text = text, .pos = { "/tmp/k.yaml", 1, 1 } };
        struct congo_spec s;
        char path[128];
        int rc;

        /* "env.*" takes any name. */
        snprintf(path, sizeof path, "%.*s%s", (int)strlen(k->path) - wildcard(k),
                 k->path, wildcard(k) ? "nofile" : "");
        congo_spec_init(&s, "/tmp/k.yaml");
        if (k->kind == CONGO_KIND_LIST)
                rc = congo_spec_set_words(&s, path, &v, &d);
        else
                rc = congo_spec_set(&s, path, &v, &d);
        congo_spec_free(&s);
        return rc;
}

START_TEST(defaults_ranges_and_values_are_the_setters)
{
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *k = &congo_spec_keys[i];
                char buf[64];

                if (k->def != NULL)
                        ck_assert_msg(try_value(k, k->def) == 0, "%s: default %s refused",
                                      k->path, k->def);
                for (size_t j = 0; k->values && k->values[j]; j++)
                        ck_assert_msg(try_value(k, k->values[j]) == 0, "%s: %s refused",
                                      k->path, k->values[j]);
                if (k->type == CONGO_T_ENUM)
                        ck_assert_msg(try_value(k, "no-such-value") < 0, "%s: any value taken",
                                      k->path);
                if (k->max == 0 || k->kind != CONGO_KIND_SCALAR)
                        continue;
                format_value(buf, sizeof buf, k->type, k->min);
                ck_assert_msg(try_value(k, buf) == 0, "%s: minimum %s refused", k->path, buf);
                format_value(buf, sizeof buf, k->type, k->max);
                ck_assert_msg(try_value(k, buf) == 0, "%s: maximum %s refused", k->path, buf);
                format_value(buf, sizeof buf, k->type, k->max + 1);
                ck_assert_msg(try_value(k, buf) < 0, "%s: %s taken, above the maximum",
                              k->path, buf);
                if (k->min == 0)
                        continue;
                format_value(buf, sizeof buf, k->type, k->min - 1);
                ck_assert_msg(try_value(k, buf) < 0, "%s: %s taken, below the minimum",
                              k->path, buf);
        }
}
END_TEST

/* The keys congo-spec(5)'s prose documents: the bold words of each tag
 * (".TP" then ".BR key ...") in KEYS of man/congo-spec.5.in (its KEY LIST
 * is made from the table at build time); `.BR uid_map ", " gid_map` names
 * two. */
static size_t man_keys(char keys[][64], size_t max)
{
        char file[512], line[512], prev[512] = "";
        const char *src = getenv("CONGO_SRCDIR");
        size_t n = 0;
        bool in_keys = false;

        snprintf(file, sizeof file, "%s/man/congo-spec.5.in", src ? src : ".");
        FILE *f = fopen(file, "r");
        ck_assert_msg(f != NULL, "%s: cannot open", file);
        while (fgets(line, sizeof line, f)) {
                if (strncmp(line, ".SH", 3) == 0)
                        in_keys = strncmp(line, ".SH KEYS", 8) == 0;
                if (in_keys && strcmp(prev, ".TP\n") == 0 && strncmp(line, ".BR ", 4) == 0) {
                        bool quoted = false;
                        for (char *p = line + 4, *w; *p && *p != '\n';) {
                                if (*p == '"' || *p == ' ') {
                                        quoted ^= *p++ == '"';
                                        continue;
                                }
                                for (w = p; *p && *p != ' ' && *p != '"' && *p != '\n'; p++)
                                        ;
                                if (!quoted && n < max)
                                        snprintf(keys[n++], 64, "%.*s", (int)(p - w), w);
                        }
                }
                strcpy(prev, line);
        }
        fclose(f);
        return n;
}

START_TEST(the_man_page_names_exactly_the_keys)
{
        char keys[256][64];
        size_t n = man_keys(keys, 256);

        ck_assert_uint_gt(n, 10);
        for (size_t i = 0; i < n; i++) {
                const struct congo_key_def *k = congo_spec_find_key(keys[i]);
                ck_assert_msg(k != NULL && strcmp(k->path, keys[i]) == 0,
                              "congo-spec(5) names %s, which is not in the key table", keys[i]);
        }
        /* Groups (limits, security) only hold keys; a "*" row is its map's. */
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *k = &congo_spec_keys[i];
                bool found = k->type == CONGO_T_GROUP || wildcard(k);
                for (size_t j = 0; j < n && !found; j++)
                        found = strcmp(keys[j], k->path) == 0;
                ck_assert_msg(found, "%s is in the key table but not in congo-spec(5)",
                              k->path);
        }
}
END_TEST

TCase *key_table_tcase(void)
{
        TCase *tc = tcase_create("key table");

        tcase_add_test(tc, every_row_has_a_type_and_a_doc);
        tcase_add_test(tc, defaults_ranges_and_values_are_the_setters);
        tcase_add_test(tc, the_man_page_names_exactly_the_keys);
        return tc;
}
