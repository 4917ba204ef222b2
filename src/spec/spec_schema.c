/* spec_schema.c - `congo-launch --schema`: a JSON Schema (draft 2020-12)
 * of spec version 1, made from the key table's rows, so that an editor's
 * YAML language server, or a CI job, checks a spec as congo would.
 *
 * Nothing here knows a key by name: a row's kind says its shape (value,
 * list, mapping, list of entries), its type what a value may be, and the
 * rows below it (by dotted path, "*" for any name, .sub for an entry's
 * keys) what a mapping holds.  A new row appears with no work here; a new
 * type needs a case in value_schema (tests/unit_spec_schema.c fails until
 * it has one).
 *
 * The YAML front end hands every scalar over as text, but an editor (or
 * a YAML-to-JSON conversion) sees typed values: `pids: 100` is a number,
 * `init: yes` a boolean or a string, `memory: 512M` a string.  Each type
 * therefore lists every JSON form its setter's text can come from; the
 * range of a number is checked, that of a string ("512M") only by pattern.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "spec_schema.h"

/* What congo_parse_bool takes (any case) and what the enum words that
 * mean a boolean are, as ECMA-262 (no inline flags) for every validator. */
#define BOOL_PATTERN \
        "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|[Oo][Ff][Ff])$"

static json_t *types(const char *a, const char *b)
{
        return b ? json_pack("[ss]", a, b) : json_string(a);
}

static void set_range(json_t *s, uint64_t min, uint64_t max, bool has_max)
{
        json_object_set_new(s, "minimum", json_integer((json_int_t)min));
        if (has_max)
                json_object_set_new(s, "maximum", json_integer((json_int_t)max));
}

/* A number (in range) or text of the given pattern. */
static json_t *number_or_text(const char *json_type, const char *pattern)
{
        return json_pack("{s:o, s:s}", "type", types(json_type, "string"),
                         "pattern", pattern);
}

/* The enum's words; a word that is a boolean is also the JSON boolean
 * (terminal: true is YAML's true, and means "true"). */
static json_t *enum_schema(const char *const *values)
{
        json_t *e = json_array();
        bool b;

        for (size_t i = 0; values[i] != NULL; i++) {
                json_array_append_new(e, json_string(values[i]));
                if (congo_parse_bool(values[i], &b) == 0 &&
                    (strcmp(values[i], "true") == 0 || strcmp(values[i], "false") == 0))
                        json_array_append_new(e, json_boolean(b));
        }
        return json_pack("{s:o}", "enum", e);
}

/* The schema of one value of a row's type, or NULL for a type this file
 * does not know yet. */
static json_t *value_schema(const struct congo_key_def *k)
{
        json_t *s;
        bool ranged = k->max != 0;

        switch (k->type) {
        case CONGO_T_STRING:     /* any scalar is text to congo: user: 1000 */
                return json_pack("{s:[sss]}", "type", "string", "number", "boolean");
        case CONGO_T_PATH:       /* cgroup_parent: 1000 is a relative path */
                return json_pack("{s:[sss], s:i}", "type", "string", "number", "boolean",
                                 "minLength", 1);
        case CONGO_T_BOOL:
                return number_or_text("boolean", BOOL_PATTERN);
        case CONGO_T_ENUM:
                return enum_schema(k->values);
        case CONGO_T_UINT:
                s = number_or_text("integer", "^[0-9]+$");
                set_range(s, k->min, k->max, ranged);
                return s;
        case CONGO_T_SIZE:
                s = number_or_text("integer", "^[0-9]+[KMGTkmgt]?$");
                set_range(s, k->min, k->max, ranged);
                return s;
        case CONGO_T_DURATION:   /* a bare number is seconds */
                s = number_or_text("integer", "^[0-9]+(ms|s|m|h)?$");
                set_range(s, (k->min + 999) / 1000, k->max / 1000, ranged);
                return s;
        case CONGO_T_MODE:       /* 0660 is 660 to YAML 1.2, 432 to YAML 1.1 */
                s = number_or_text("integer", "^[0-7]{1,4}$");
                set_range(s, 0, 777, true);
                return s;
        case CONGO_T_DECIMAL:    /* the range is in hundredths */
                s = number_or_text("number", "^([0-9]+(\\.[0-9]{0,5})?|\\.[0-9]{1,5})$");
                json_object_set_new(s, "minimum", json_real((double)k->min / 100));
                if (ranged)
                        json_object_set_new(s, "maximum", json_real((double)k->max / 100));
                return s;
        default:
                return NULL;
        }
}

/* The default as the JSON value an editor would insert. */
static json_t *default_value(const struct congo_key_def *k)
{
        bool b;

        if (k->type == CONGO_T_BOOL && congo_parse_bool(k->def, &b) == 0)
                return json_boolean(b);
        if (k->type == CONGO_T_UINT && strspn(k->def, "0123456789") == strlen(k->def))
                return json_integer((json_int_t)strtoull(k->def, NULL, 10));
        if (k->kind == CONGO_KIND_LIST) {   /* words, as the row writes them */
                json_t *list = json_array();
                char *copy = strdup(k->def), *save = NULL;
                for (char *w = copy ? strtok_r(copy, " ", &save) : NULL; w;
                     w = strtok_r(NULL, " ", &save))
                        json_array_append_new(list, json_string(w));
                free(copy);
                return list;
        }
        return json_string(k->def);
}

/* s, a number or text of a pattern, also taking the words: folded into
 * the pattern, so that a number out of range is still reported as such
 * (an anyOf would only say "not valid under any of the given schemas"). */
static json_t *with_words(json_t *s, const char *const *words)
{
        const char *pattern = json_string_value(json_object_get(s, "pattern"));
        size_t len = 16 + (pattern ? strlen(pattern) : 0);

        for (size_t i = 0; words[i] != NULL; i++)
                len += 2 * strlen(words[i]) + 1;
        char *p = pattern ? malloc(len) : NULL, *end = p;
        if (p == NULL)
                return json_pack("{s:[oo]}", "anyOf", s, enum_schema(words));
        end += sprintf(end, "(%s)|^(", pattern);
        for (size_t i = 0; words[i] != NULL; i++) {
                if (i > 0)
                        *end++ = '|';
                for (const char *c = words[i]; *c; c++) {
                        if (strchr("\\^$.|?*+()[]{}", *c))
                                *end++ = '\\';
                        *end++ = *c;
                }
        }
        strcpy(end, ")$");
        json_object_set_new(s, "pattern", json_string(p));
        free(p);
        return s;
}

static size_t count_rows(const struct congo_key_def *rows)
{
        size_t n = 0;

        while (rows[n].path != NULL)
                n++;
        return n;
}

/* The name of row below prefix (the top level when prefix is NULL), if it
 * is a key one level below it; "*" for a row of any name. */
static const char *child_name(const char *prefix, const char *path)
{
        size_t len = prefix ? strlen(prefix) : 0;

        if (prefix && (strncmp(path, prefix, len) != 0 || path[len] != '.'))
                return NULL;
        path += prefix ? len + 1 : 0;
        return strchr(path, '.') ? NULL : path;
}

/* A mapping of the rows below prefix: their names as properties, a "*"
 * row for any other name.  Without one, other names are refused (closed)
 * or are strings (a MAP row with no "*" row). */
static json_t *object_schema(const struct congo_key_def *rows, size_t n,
                             const char *prefix, bool closed)
{
        json_t *props = json_object(), *required = json_array(), *other = NULL;

        for (size_t i = 0; i < n; i++) {
                const char *name = child_name(prefix, rows[i].path);
                if (name == NULL)
                        continue;
                json_t *s = congo_spec_row_schema(rows, n, &rows[i]);
                if (strcmp(name, "*") == 0) {
                        json_decref(other);
                        other = s;
                        continue;
                }
                json_object_set_new(props, name, s);
                if (rows[i].flags & CONGO_KF_REQUIRED)
                        json_array_append_new(required, json_string(name));
        }
        if (other == NULL)
                other = closed ? json_false()
                               : json_pack("{s:[sss]}", "type", "string", "number", "boolean");
        json_t *o = json_pack("{s:s, s:o}", "type", "object", "properties", props);
        if (json_array_size(required) > 0)
                json_object_set(o, "required", required);
        json_decref(required);
        json_object_set_new(o, "additionalProperties", other);
        return o;
}

static bool has_children(const struct congo_key_def *rows, size_t n, const char *path)
{
        for (size_t i = 0; i < n; i++)
                if (child_name(path, rows[i].path) != NULL)
                        return true;
        return false;
}

/* A list: a sequence of values, or one string of words (shell-like). */
static json_t *list_schema(const struct congo_key_def *k)
{
        json_t *item = k->values ? enum_schema(k->values)
                                 : json_pack("{s:[ss]}", "type", "string", "number");
        json_t *s = json_pack("{s:[ss], s:o}", "type", "array", "string", "items", item);

        if (k->flags & CONGO_KF_REQUIRED) {   /* a required list is not empty */
                json_object_set_new(s, "minItems", json_integer(1));
                json_object_set_new(s, "minLength", json_integer(1));
        }
        return s;
}

/* A key that may also be YAML's null: a mapping, a list of entries, or a
 * row flagged CONGO_KF_NULL. */
static json_t *or_null(json_t *s)
{
        json_t *t = json_object_get(s, "type");

        if (json_is_string(t))
                json_object_set_new(s, "type", types(json_string_value(t), "null"));
        else if (json_is_array(t))
                json_array_append_new(t, json_string("null"));
        return s;
}

/* composition: an entry with a remove row needs its type, or remove:
 * true (which drops an earlier file's entry at the same target or path):
 * "type" moves from required to the first branch of an anyOf. */
static json_t *entry_schema(const struct congo_key_def *sub)
{
        json_t *entry = object_schema(sub, count_rows(sub), NULL, true);
        json_t *required = json_object_get(entry, "required"), *v;
        bool removable = false;
        size_t i;

        for (const struct congo_key_def *e = sub; e->path; e++)
                removable |= strcmp(e->path, "remove") == 0;
        if (!removable || required == NULL)
                return entry;
        json_array_foreach(required, i, v)
                if (strcmp(json_string_value(v), "type") == 0)
                        break;
        if (i == json_array_size(required))
                return entry;
        json_array_remove(required, i);
        json_object_set_new(entry, "anyOf", json_pack("[{s:[s]}, {s:[s], s:{s:{s:[b]}}}]",
                                                      "required", "type",
                                                      "required", "remove",
                                                      "properties", "remove", "enum", 1));
        return entry;
}

static json_t *shape_schema(const struct congo_key_def *rows, size_t n,
                            const struct congo_key_def *k)
{
        json_t *s;

        if (k->sub != NULL) {
                json_t *entry = entry_schema(k->sub);
                s = json_pack("{s:s, s:o}", "type", "array", "items", entry);
                if (k->max != 0)
                        json_object_set_new(s, "maxItems", json_integer((json_int_t)k->max));
                return or_null(s);
        }
        switch (k->kind) {
        case CONGO_KIND_MAP:
                return or_null(object_schema(rows, n, k->path, k->type == CONGO_T_GROUP));
        case CONGO_KIND_LIST:
                return list_schema(k);
        case CONGO_KIND_SCALAR:
                if ((s = value_schema(k)) == NULL)
                        return json_object();
                /* A number or size that also takes words (unlimited, max). */
                if (k->values != NULL && k->type != CONGO_T_ENUM)
                        s = with_words(s, k->values);
                /* security.seccomp.profile: a file, or the profile itself
                 * (OCI's linux.seccomp object, checked when compiled) */
                if (k->flags & CONGO_KF_DOCUMENT)
                        s = json_pack("{s:[o{s:s}]}", "anyOf", s, "type", "object");
                /* security.seccomp: default, or {profile: FILE} */
                if (has_children(rows, n, k->path))
                        s = json_pack("{s:[oo]}", "anyOf", s,
                                      object_schema(rows, n, k->path, true));
                return s;
        default:
                return json_object();   /* an untyped shape: the unit test fails */
        }
}

json_t *congo_spec_row_schema(const struct congo_key_def *rows, size_t n,
                              const struct congo_key_def *k)
{
        json_t *s = shape_schema(rows, n, k);

        if (k->flags & CONGO_KF_NULL)
                or_null(s);
        if (k->doc != NULL)
                json_object_set_new(s, "description", json_string(k->doc));
        if (k->def != NULL)
                json_object_set_new(s, "default", default_value(k));
        return s;
}

json_t *congo_spec_schema_json(void)
{
        json_t *root = object_schema(congo_spec_keys, congo_spec_n_keys, NULL, true);
        json_t *head = json_pack("{s:s, s:s, s:s}",
                                 "$schema", "https://json-schema.org/draft/2020-12/schema",
                                 "title", "congo container spec, version 1",
                                 "description", "A container spec for congo-launch(1); see congo-spec(5). Generated by congo-launch --schema from its key table.");

        /* The head's keys first, for a reader of the file. */
        json_object_update(head, root);
        json_decref(root);
        return head;
}

int congo_spec_schema(FILE *out)
{
        json_t *schema = congo_spec_schema_json();
        int rc = schema ? json_dumpf(schema, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : -1;

        json_decref(schema);
        if (rc == 0)
                fputc('\n', out);
        return rc == 0 && !ferror(out) ? 0 : -1;
}
