/* parse_yaml.c - the YAML front end (libyaml).
 *
 * libyaml's event stream is first gathered into a small tree, bounded in
 * depth and size, so that a hostile document fails fast: aliases are
 * refused outright (no "billion laughs"), nesting stops at MAX_DEPTH and
 * the node count at MAX_NODES.  The tree is then walked by key path; what
 * each key is (scalar, list, mapping, mounts, devices) comes from spec.c's table.
 */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "compose.h"
#include "congo/parse.h"

#define MAX_DEPTH 16
#define MAX_NODES 20000

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
        enum ykind kind;
        char *text;                /* scalars */
        bool is_null;
        bool plain;                /* unquoted, untagged: 5 is a number in a document */
        struct congo_pos pos;
        struct ynode **kids;       /* maps: key, value, key, value ... */
        size_t n;
};

struct yctx {
        yaml_parser_t parser;
        struct congo_spec *spec;
        struct congo_diag *d;
        size_t nodes;
        bool failed;
};

static void ynode_free(struct ynode *n)
{
        if (n == NULL)
                return;
        for (size_t i = 0; i < n->n; i++)
                ynode_free(n->kids[i]);
        free(n->kids);
        free(n->text);
        free(n);
}

static struct congo_pos mark_pos(const struct yctx *c, yaml_mark_t m)
{
        return (struct congo_pos){ c->spec->file, (int)m.line + 1, (int)m.column + 1 };
}

static void fail_at(struct yctx *c, yaml_mark_t m, const char *what)
{
        struct congo_pos pos = mark_pos(c, m);

        if (!c->failed)
                congo_diag_report(c->d, &pos, "%s", what);
        c->failed = true;
}

static bool next_event(struct yctx *c, yaml_event_t *ev)
{
        if (yaml_parser_parse(&c->parser, ev))
                return true;
        struct congo_pos pos = mark_pos(c, c->parser.problem_mark);
        if (!c->failed)
                congo_diag_report(c->d, &pos, "syntax error: %s%s%s",
                                  c->parser.problem ? c->parser.problem : "malformed YAML",
                                  c->parser.context ? " " : "",
                                  c->parser.context ? c->parser.context : "");
        c->failed = true;
        return false;
}

static bool plain_null(const yaml_event_t *ev)
{
        const char *v = (const char *)ev->data.scalar.value;

        if (ev->data.scalar.tag && strcmp((const char *)ev->data.scalar.tag,
                                          YAML_NULL_TAG) == 0)
                return true;
        if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
                return false;
        return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") ||
               !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* Builds the node that starts with ev (already read).  NULL on failure. */
static struct ynode *build(struct yctx *c, yaml_event_t *ev, int depth)
{
        struct ynode *n;
        yaml_event_type_t end;

        if (ev->type == YAML_ALIAS_EVENT) {
                fail_at(c, ev->start_mark, "aliases (*name) are not allowed in a congo spec; write the value out");
                return NULL;
        }
        if (depth > MAX_DEPTH) {
                fail_at(c, ev->start_mark, "nesting is deeper than 16 levels");
                return NULL;
        }
        if (++c->nodes > MAX_NODES) {
                fail_at(c, ev->start_mark, "the document has more than 20000 nodes");
                return NULL;
        }
        if ((n = calloc(1, sizeof *n)) == NULL)
                return NULL;
        n->pos = mark_pos(c, ev->start_mark);
        switch (ev->type) {
        case YAML_SCALAR_EVENT:
                n->kind = Y_SCALAR;
                n->text = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
                n->is_null = plain_null(ev);
                n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.tag == NULL;
                if (strlen(n->text) != ev->data.scalar.length) {
                        fail_at(c, ev->start_mark, "a value contains a NUL character");
                        ynode_free(n);
                        return NULL;
                }
                return n;
        case YAML_SEQUENCE_START_EVENT:
                n->kind = Y_SEQ;
                end = YAML_SEQUENCE_END_EVENT;
                break;
        case YAML_MAPPING_START_EVENT:
                n->kind = Y_MAP;
                end = YAML_MAPPING_END_EVENT;
                break;
        default:
                fail_at(c, ev->start_mark, "unexpected YAML event");
                ynode_free(n);
                return NULL;
        }
        for (;;) {
                yaml_event_t kid_ev;
                if (!next_event(c, &kid_ev))
                        break;
                if (kid_ev.type == end) {
                        yaml_event_delete(&kid_ev);
                        return n;
                }
                struct ynode *kid = build(c, &kid_ev, depth + 1);
                yaml_event_delete(&kid_ev);
                struct ynode **kids = kid ? realloc(n->kids, (n->n + 1) * sizeof *kids) : NULL;
                if (kids == NULL) {
                        ynode_free(kid);
                        break;
                }
                n->kids = kids;
                n->kids[n->n++] = kid;
        }
        ynode_free(n);
        return NULL;
}

/* The single document's root node, or NULL. */
static struct ynode *load(struct yctx *c)
{
        struct ynode *root = NULL;
        yaml_event_t ev;
        int docs = 0;

        while (next_event(c, &ev)) {
                yaml_event_type_t type = ev.type;
                if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
                        fail_at(c, ev.start_mark, "a spec is one YAML document; found a second one");
                else if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
                         type == YAML_MAPPING_START_EVENT || type == YAML_ALIAS_EVENT)
                        root = build(c, &ev, 1);
                yaml_event_delete(&ev);
                if (type == YAML_STREAM_END_EVENT || c->failed)
                        break;
        }
        if (c->failed) {
                ynode_free(root);
                return NULL;
        }
        return root;
}

static const char *kind_name(const struct ynode *n)
{
        return n->kind == Y_MAP ? "a mapping" : n->kind == Y_SEQ ? "a list" : "a single value";
}

static struct congo_scalar as_scalar(const struct ynode *n)
{
        return (struct congo_scalar){ .text = n->text, .pos = n->pos, .is_null = n->is_null };
}

/* A key that appears twice in one mapping is reported and skipped. */
static bool duplicate_key(struct yctx *c, const struct ynode *map, size_t i,
                          const char *path)
{
        for (size_t j = 0; j < i; j += 2) {
                if (map->kids[j]->kind != Y_SCALAR ||   /* reported already */
                    strcmp(map->kids[j]->text, map->kids[i]->text) != 0)
                        continue;
                return congo_spec_duplicate(c->spec, path, &map->kids[j]->pos,
                                            &map->kids[i]->pos, c->d) < 0;
        }
        return false;
}

/* Scalars of a sequence, or NULL after reporting a non-scalar item. */
static struct congo_scalar *seq_items(struct yctx *c, const struct ynode *seq,
                                      const char *path)
{
        struct congo_scalar *items = calloc(seq->n + 1, sizeof *items);

        for (size_t i = 0; items && i < seq->n; i++) {
                if (seq->kids[i]->kind != Y_SCALAR) {
                        congo_diag_report(c->d, &seq->kids[i]->pos, "%s: item %zu: expected a single value, got %s",
                                          path, i + 1, kind_name(seq->kids[i]));
                        free(items);
                        return NULL;
                }
                items[i] = as_scalar(seq->kids[i]);
        }
        return items;
}

static void walk_mount(struct yctx *c, const struct ynode *item, size_t idx)
{
        struct congo_mount *m;
        char path[64];

        snprintf(path, sizeof path, "mounts[%zu]", idx);
        if (item->kind != Y_MAP) {
                congo_diag_report(c->d, &item->pos, "%s: expected a mapping like {type: bind, source: ./data, target: /data}, got %s",
                                  path, kind_name(item));
                return;
        }
        if ((m = congo_spec_add_mount(c->spec, &item->pos)) == NULL)
                return;
        for (size_t i = 0; i + 1 < item->n; i += 2) {
                const struct ynode *k = item->kids[i], *v = item->kids[i + 1];
                if (k->kind != Y_SCALAR) {
                        congo_diag_report(c->d, &k->pos, "%s: keys must be plain strings", path);
                        continue;
                }
                char keypath[128];
                snprintf(keypath, sizeof keypath, "%s.%s", path, k->text);
                if (duplicate_key(c, item, i, keypath))
                        continue;
                if (strcmp(k->text, "options") == 0 && v->kind == Y_SEQ) {
                        struct congo_scalar *items = seq_items(c, v, "options");
                        if (items)
                                congo_spec_set_mount_options(c->spec, m, items, v->n, &v->pos, c->d);
                        free(items);
                } else if (v->kind != Y_SCALAR) {
                        congo_diag_report(c->d, &v->pos, "%s.%s: expected a single value, got %s",
                                          path, k->text, kind_name(v));
                } else {
                        struct congo_scalar s = as_scalar(v);
                        congo_spec_set_mount(c->spec, m, k->text, &s, c->d);
                }
        }
}

static void walk_device(struct yctx *c, const struct ynode *item, size_t idx)
{
        struct congo_device *dev;
        char path[64];

        snprintf(path, sizeof path, "devices[%zu]", idx);
        if (item->kind != Y_MAP) {
                congo_diag_report(c->d, &item->pos, "%s: expected a mapping like {path: /dev/fuse, type: c, major: 10, minor: 229}, got %s",
                                  path, kind_name(item));
                return;
        }
        if ((dev = congo_spec_add_device(c->spec, &item->pos, c->d)) == NULL)
                return;
        for (size_t i = 0; i + 1 < item->n; i += 2) {
                const struct ynode *k = item->kids[i], *v = item->kids[i + 1];
                struct congo_scalar s = as_scalar(v);
                if (k->kind != Y_SCALAR)
                        congo_diag_report(c->d, &k->pos, "%s: keys must be plain strings", path);
                else if (duplicate_key(c, item, i, path))
                        continue;
                else if (v->kind != Y_SCALAR)
                        congo_diag_report(c->d, &v->pos, "%s.%s: expected a single value, got %s",
                                          path, k->text, kind_name(v));
                else
                        congo_spec_set_device(c->spec, dev, k->text, &s, c->d);
        }
}

/* One of hooks.KIND: {path: /usr/bin/x, args: [x, a], env: [A=1], timeout: 5}. */
static void walk_hook(struct yctx *c, const char *kind, const struct ynode *item, size_t idx)
{
        struct congo_hook *h;
        char path[600];

        snprintf(path, sizeof path, "%s[%zu]", kind, idx);
        if (item->kind != Y_MAP) {
                congo_diag_report(c->d, &item->pos, "%s: expected a mapping like {path: /usr/bin/hook, args: [hook, arg], env: [A=1], timeout: 5}, got %s",
                                  path, kind_name(item));
                return;
        }
        if ((h = congo_spec_add_hook(c->spec, kind, &item->pos, c->d)) == NULL)
                return;
        for (size_t i = 0; i + 1 < item->n; i += 2) {
                const struct ynode *k = item->kids[i], *v = item->kids[i + 1];
                struct congo_scalar s = as_scalar(v);
                if (k->kind != Y_SCALAR) {
                        congo_diag_report(c->d, &k->pos, "%s: keys must be plain strings", path);
                } else if (v->kind == Y_SEQ) {
                        char what[700];
                        snprintf(what, sizeof what, "%s.%s", path, k->text);
                        struct congo_scalar *items = seq_items(c, v, what);
                        if (items)
                                congo_spec_set_hook_list(c->spec, h, k->text, items, v->n, &v->pos, c->d);
                        free(items);
                } else if (v->kind != Y_SCALAR) {
                        congo_diag_report(c->d, &v->pos, "%s.%s: expected a single value or a list, got %s",
                                          path, k->text, kind_name(v));
                } else {
                        congo_spec_set_hook(c->spec, h, k->text, &s, c->d);
                }
        }
}

/* A mapping taken whole (security.seccomp.profile: {...}) as the JSON it
 * stands for: plain numbers, true, false and null keep JSON's types, any
 * quoted scalar is a string.  NULL after reporting. */
static json_t *to_json(struct yctx *c, const struct ynode *n, const char *path)
{
        json_t *j = NULL;

        switch (n->kind) {
        case Y_SCALAR:
                if (n->is_null)
                        return json_null();
                if (n->plain && strcmp(n->text, "true") == 0)
                        return json_true();
                if (n->plain && strcmp(n->text, "false") == 0)
                        return json_false();
                if (n->plain && (n->text[0] == '-' || (n->text[0] >= '0' && n->text[0] <= '9'))) {
                        j = json_loads(n->text, JSON_DECODE_ANY, NULL);
                        if (json_is_number(j))
                                return j;
                        json_decref(j);
                }
                return json_string(n->text);
        case Y_SEQ:
                j = json_array();
                for (size_t i = 0; j && i < n->n; i++) {
                        json_t *kid = to_json(c, n->kids[i], path);
                        if (kid == NULL || json_array_append_new(j, kid) < 0) {
                                json_decref(j);
                                return NULL;
                        }
                }
                return j;
        case Y_MAP:
                j = json_object();
                for (size_t i = 0; j && i + 1 < n->n; i += 2) {
                        const struct ynode *k = n->kids[i];
                        if (k->kind != Y_SCALAR || json_object_get(j, k->text) != NULL) {
                                congo_diag_report(c->d, &k->pos, "%s: %s", path,
                                                  k->kind != Y_SCALAR ? "keys must be plain strings"
                                                                      : "duplicate key");
                                json_decref(j);
                                return NULL;
                        }
                        json_t *kid = to_json(c, n->kids[i + 1], path);
                        if (kid == NULL || json_object_set_new(j, k->text, kid) < 0) {
                                json_decref(j);
                                return NULL;
                        }
                }
                return j;
        }
        return NULL;
}

static void walk_map(struct yctx *c, const struct ynode *map, const char *prefix)
{
        for (size_t i = 0; i + 1 < map->n; i += 2) {
                const struct ynode *k = map->kids[i], *v = map->kids[i + 1];
                char path[512];

                if (k->kind != Y_SCALAR) {
                        congo_diag_report(c->d, &k->pos, "%s: keys must be plain strings",
                                          prefix ? prefix : "top level");
                        continue;
                }
                snprintf(path, sizeof path, "%s%s%s", prefix ? prefix : "",
                         prefix ? "." : "", k->text);
                if (duplicate_key(c, map, i, path))
                        continue;
                if (prefix == NULL && strcmp(k->text, "include") == 0)
                        continue;   /* merged before the walk */
                struct congo_scalar s = as_scalar(v);
                switch (congo_spec_key_kind(path)) {
                case CONGO_KIND_UNKNOWN:
                        s.pos = k->pos;   /* point at the key, not its value */
                        congo_spec_set(c->spec, path, &s, c->d);
                        break;
                case CONGO_KIND_SCALAR:
                        if (v->kind == Y_MAP && congo_spec_key_takes_document(path)) {
                                json_t *doc = to_json(c, v, path);
                                if (doc != NULL)
                                        congo_spec_set_document(c->spec, path, doc, &v->pos, c->d);
                                json_decref(doc);
                        } else if (v->kind == Y_MAP && congo_spec_key_has_children(path))
                                walk_map(c, v, path);
                        else if (v->kind != Y_SCALAR)
                                congo_spec_wrong_shape(c->spec, path, &v->pos, kind_name(v), c->d);
                        else
                                congo_spec_set(c->spec, path, &s, c->d);
                        break;
                case CONGO_KIND_LIST:
                        if (v->kind == Y_SCALAR && !v->is_null) {
                                congo_spec_set_words(c->spec, path, &s, c->d);
                        } else if (v->kind == Y_SEQ) {
                                struct congo_scalar *items = seq_items(c, v, path);
                                if (items)
                                        congo_spec_set_list(c->spec, path, items, v->n, &v->pos, c->d);
                                free(items);
                        } else {
                                congo_spec_wrong_shape(c->spec, path, &v->pos,
                                                       v->is_null ? "nothing" : kind_name(v), c->d);
                        }
                        break;
                case CONGO_KIND_MAP:
                        if (v->kind == Y_MAP)
                                walk_map(c, v, path);
                        else if (!v->is_null)
                                congo_spec_wrong_shape(c->spec, path, &v->pos, kind_name(v), c->d);
                        break;
                case CONGO_KIND_MOUNTS:
                        if (v->kind == Y_SEQ)
                                for (size_t j = 0; j < v->n; j++)
                                        walk_mount(c, v->kids[j], j);
                        else if (!v->is_null)
                                congo_spec_wrong_shape(c->spec, path, &v->pos, kind_name(v), c->d);
                        break;
                case CONGO_KIND_DEVICES:
                        if (v->kind == Y_SEQ)
                                for (size_t j = 0; j < v->n; j++)
                                        walk_device(c, v->kids[j], j);
                        else if (!v->is_null)
                                congo_diag_report(c->d, &v->pos, "devices: expected a list of devices, got %s",
                                                  kind_name(v));
                        break;
                case CONGO_KIND_HOOKS:
                        if (v->kind == Y_SEQ)
                                for (size_t j = 0; j < v->n; j++)
                                        walk_hook(c, path, v->kids[j], j);
                        else if (!v->is_null)
                                congo_spec_wrong_shape(c->spec, path, &v->pos, kind_name(v), c->d);
                        break;
                }
        }
}

/* include: FILE or include: [FILE, ...], handed to the includer before
 * anything else of this file is applied. */
static void include_first(struct yctx *c, const struct ynode *root,
                          struct congo_includer *inc)
{
        for (size_t i = 0; i + 1 < root->n; i += 2) {
                const struct ynode *k = root->kids[i], *v = root->kids[i + 1];
                if (k->kind != Y_SCALAR || strcmp(k->text, "include") != 0)
                        continue;
                if (inc == NULL) {
                        congo_diag_report(c->d, &k->pos, "include: only a spec file read from disk can include others");
                } else if (v->kind == Y_SCALAR && !v->is_null) {
                        struct congo_scalar one = as_scalar(v);
                        inc->include(inc, &one, 1, c->d);
                } else if (v->kind == Y_SEQ) {
                        struct congo_scalar *items = seq_items(c, v, "include");
                        if (items)
                                inc->include(inc, items, v->n, c->d);
                        free(items);
                } else {
                        congo_diag_report(c->d, &v->pos, "include: expected a list of files, got %s",
                                          v->is_null ? "nothing" : kind_name(v));
                }
                return;   /* a second include: is a duplicate key */
        }
}

int congo_parse_yaml_in(struct congo_spec *spec, const char *buf, size_t len,
                        struct congo_includer *inc, struct congo_diag *d)
{
        struct yctx c = { .spec = spec, .d = d };
        int before = d->count;
        struct congo_pos top = { spec->file, 1, 1 };
        struct congo_layer layer;

        if (!yaml_parser_initialize(&c.parser))
                return congo_diag_report(d, &top, "out of memory"), 1;
        yaml_parser_set_input_string(&c.parser, (const unsigned char *)buf, len);
        struct ynode *root = load(&c);
        yaml_parser_delete(&c.parser);
        if (root == NULL && !c.failed) {
                congo_diag_report(d, &top, "the spec is empty (start with version: 1)");
        } else if (root && root->kind != Y_MAP) {
                congo_diag_report(d, &root->pos, "the spec must be a mapping of keys (version: 1, rootfs: ..., command: ...)");
        } else if (root) {
                include_first(&c, root, inc);
                congo_spec_layer_begin(spec, &layer);
                walk_map(&c, root, NULL);
                congo_spec_layer_end(spec, &layer, d);
        }
        ynode_free(root);
        return d->count - before;
}

int congo_parse_yaml(struct congo_spec *spec, const char *buf, size_t len,
                     struct congo_diag *d)
{
        return congo_parse_yaml_in(spec, buf, len, NULL, d);
}
