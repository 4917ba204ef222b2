/* spec_hooks.c - hooks: the programs OCI's config.md calls hooks
 * (prestart, createRuntime, createContainer, startContainer, poststart,
 * poststop), as every front end hands them over, their validation (all of
 * it, here) and their canonical print.  src/pipeline/hooks.c runs them.
 *
 * Each entry is {path, args, env, timeout}, with OCI's meaning: path is
 * what execve runs (absolute, not looked up in any PATH), args the whole
 * argv (args[0] is argv[0]; none given: the path alone), env the whole
 * environment (none given: an empty one), timeout seconds (> 0).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

static const char *const kind_names[CONGO_HOOK_NKINDS] = {
        "prestart", "create_runtime", "create_container",
        "start_container", "poststart", "poststop",
};

static const char *const key_names[CONGO_HOOKK_N] = { "path", "args", "env", "timeout" };

/* poll(2) takes an int of milliseconds. */
#define TIMEOUT_MAX 2147483u

/* An entry's keys as rows of the key table's format: what --schema says
 * a hook may hold (tests/unit_spec_schema.c checks them against the
 * setters below). */
const struct congo_key_def congo_hook_keys[] = {
        { "path", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_PATH,
          .flags = CONGO_KF_REQUIRED, .doc = "the program, absolute: what execve runs" },
        { "args", CONGO_KIND_LIST, -1, NULL, NULL, .type = CONGO_T_LIST,
          .doc = "the whole argv, argv[0] first (default: the path alone)" },
        { "env", CONGO_KIND_LIST, -1, NULL, NULL, .type = CONGO_T_LIST,
          .doc = "the whole environment, NAME=VALUE (default: empty)" },
        { "timeout", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_UINT,
          .min = 1, .max = TIMEOUT_MAX, .doc = "seconds until the hook is killed (default: none)" },
        { NULL },
};

const char *congo_hook_kind_name(enum congo_hook_kind kind)
{
        return kind < CONGO_HOOK_NKINDS ? kind_names[kind] : "?";
}

/* Which list h is in, and its index there, for messages. */
static void where(const struct congo_spec *s, const struct congo_hook *h, char *buf, size_t size)
{
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                if (s->n_hooks[k] && h >= s->hooks[k] && h < s->hooks[k] + s->n_hooks[k]) {
                        snprintf(buf, size, "hooks.%s[%zu]", kind_names[k], (size_t)(h - s->hooks[k]));
                        return;
                }
        snprintf(buf, size, "hooks");
}

struct congo_hook *congo_spec_add_hook(struct congo_spec *spec, const char *kind_path,
                                       const struct congo_pos *pos, struct congo_diag *d)
{
        const char *name = strncmp(kind_path, "hooks.", 6) == 0 ? kind_path + 6 : kind_path;
        int k = 0;

        while (k < CONGO_HOOK_NKINDS && strcmp(name, kind_names[k]) != 0)
                k++;
        if (k == CONGO_HOOK_NKINDS) {
                congo_diag_report(d, pos, "%s: unknown kind of hook (expected prestart, create_runtime, create_container, start_container, poststart, poststop)",
                                  kind_path);
                return NULL;
        }
        if (spec->n_hooks[k] == CONGO_HOOKS_MAX) {
                congo_diag_report(d, pos, "hooks.%s: more than %d hooks", name, CONGO_HOOKS_MAX);
                return NULL;
        }
        struct congo_hook *h = realloc(spec->hooks[k], (spec->n_hooks[k] + 1) * sizeof *h);
        if (h == NULL)
                return NULL;
        spec->hooks[k] = h;
        h = &h[spec->n_hooks[k]++];
        *h = (struct congo_hook){ .pos = *pos };
        return h;
}

static int find_key(const char *key)
{
        int k = 0;

        while (k < CONGO_HOOKK_N && strcmp(key, key_names[k]) != 0)
                k++;
        return k;
}

/* The checks every key shares: known, not given twice.  -1 after
 * reporting. */
static int claim(struct congo_spec *s, struct congo_hook *h, const char *key, int k,
                 const struct congo_pos *pos, struct congo_diag *d)
{
        char at[64];

        where(s, h, at, sizeof at);
        if (k == CONGO_HOOKK_N) {
                congo_diag_report(d, pos, "%s: unknown key \"%s\" (expected path, args, env, timeout)", at, key);
                return -1;
        }
        if (h->pos_key[k].file != NULL || h->pos_key[k].line != 0) {
                congo_diag_report(d, pos, "%s.%s: duplicate key (first at line %d, column %d)",
                                  at, key, h->pos_key[k].line, h->pos_key[k].col);
                return -1;
        }
        h->pos_key[k] = *pos;
        if (h->pos_key[k].file == NULL && h->pos_key[k].line == 0)
                h->pos_key[k].line = -1;   /* written, on the command line */
        return 0;
}

/* A list written as one value: words, split as every list of a spec is
 * (shell-like quoting). */
static int set_words(struct congo_spec *spec, struct congo_hook *h, const char *key,
                     const struct congo_scalar *v, const char *at, struct congo_diag *d)
{
        const char *why = NULL;
        char **words = congo_split_words(v->text, &why);
        size_t n = congo_strv_len(words);
        struct congo_scalar *items = words ? calloc(n + 1, sizeof *items) : NULL;
        int rc;

        if (items == NULL) {
                congo_strv_free(words);
                return BAD(d, v, "%s.%s: %s", at, key, why ? why : "out of memory");
        }
        for (size_t i = 0; i < n; i++)
                items[i] = (struct congo_scalar){ .text = words[i], .pos = v->pos };
        rc = congo_spec_set_hook_list(spec, h, key, items, n, &v->pos, d);
        free(items);
        congo_strv_free(words);
        return rc;
}

int congo_spec_set_hook(struct congo_spec *spec, struct congo_hook *h, const char *key,
                        const struct congo_scalar *v, struct congo_diag *d)
{
        int k = find_key(key);
        char at[64];
        uint64_t n;

        where(spec, h, at, sizeof at);
        if ((k == CONGO_HOOKK_ARGS || k == CONGO_HOOKK_ENV) && !v->is_null)
                return set_words(spec, h, key, v, at, d);
        if (claim(spec, h, key, k, &v->pos, d) < 0)
                return -1;
        if (v->is_null)
                return BAD(d, v, "%s.%s: has no value", at, key);
        if (!congo_utf8_valid(v->text))
                return BAD(d, v, "%s.%s: not valid UTF-8", at, key);
        if (k == CONGO_HOOKK_TIMEOUT) {
                if (congo_parse_uint(v->text, TIMEOUT_MAX, &n) < 0 || n == 0)
                        return BAD(d, v, "%s.timeout: \"%s\" is not a number of seconds from 1 to %u",
                                   at, v->text, TIMEOUT_MAX);
                h->timeout = (unsigned)n;
                return 0;
        }
        /* Absolute: execve runs it as written, looked up in no PATH and
         * relative to no directory the launcher happens to be in. */
        if (v->text[0] != '/')
                return BAD(d, v, "%s.path: \"%s\" is not an absolute path", at, v->text);
        return congo_replace_str(&h->path, v->text);
}

static char **copy_items(const struct congo_scalar *items, size_t n)
{
        char **v = calloc(n + 1, sizeof *v);

        for (size_t i = 0; v && i < n; i++)
                if ((v[i] = strdup(items[i].text)) == NULL) {
                        congo_strv_free(v);
                        return NULL;
                }
        return v;
}

int congo_spec_set_hook_list(struct congo_spec *spec, struct congo_hook *h, const char *key,
                             const struct congo_scalar *items, size_t n,
                             const struct congo_pos *pos, struct congo_diag *d)
{
        int k = find_key(key);
        char at[64];

        where(spec, h, at, sizeof at);
        if (k == CONGO_HOOKK_PATH || k == CONGO_HOOKK_TIMEOUT) {
                congo_diag_report(d, pos, "%s.%s: expected a single value, got a list", at, key);
                return -1;
        }
        if (claim(spec, h, key, k, pos, d) < 0)
                return -1;
        for (size_t i = 0; i < n; i++) {
                if (items[i].is_null || !congo_utf8_valid(items[i].text))
                        return BAD(d, &items[i], "%s.%s[%zu]: %s", at, key, i,
                                   items[i].is_null ? "has no value" : "not valid UTF-8");
                const char *eq = strchr(items[i].text, '=');
                if (k == CONGO_HOOKK_ENV && (eq == NULL || eq == items[i].text))
                        return BAD(d, &items[i], "%s.env[%zu]: \"%s\" is not NAME=VALUE", at, i,
                                   items[i].text);
        }
        char ***field = k == CONGO_HOOKK_ARGS ? &h->args : &h->env;
        congo_strv_free(*field);
        /* args: [] is the path alone, as no args at all. */
        *field = k == CONGO_HOOKK_ARGS && n == 0 ? NULL : copy_items(items, n);
        return *field != NULL || (k == CONGO_HOOKK_ARGS && n == 0) ? 0 : -1;
}

/* Every entry has its path. */
void congo_spec_check_hooks(struct congo_spec *s, struct congo_diag *d)
{
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                for (size_t i = 0; i < s->n_hooks[k]; i++)
                        if (s->hooks[k][i].path == NULL &&
                            s->hooks[k][i].pos_key[CONGO_HOOKK_PATH].line == 0)   /* not refused */
                                congo_diag_report(d, &s->hooks[k][i].pos,
                                                  "hooks.%s[%zu]: path is missing", kind_names[k], i);
}

void congo_spec_free_hooks(struct congo_spec *s)
{
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++) {
                for (size_t i = 0; i < s->n_hooks[k]; i++) {
                        free(s->hooks[k][i].path);
                        congo_strv_free(s->hooks[k][i].args);
                        congo_strv_free(s->hooks[k][i].env);
                }
                free(s->hooks[k]);
                s->hooks[k] = NULL;
                s->n_hooks[k] = 0;
        }
}

/* One flow mapping per hook, only the keys that were given; a spec
 * without hooks prints no hooks: key, so specs that predate them print
 * as they did. */
void congo_spec_print_hooks(const struct congo_spec *s, FILE *out,
                            void (*put_str)(FILE *, const char *),
                            void (*put_strv)(FILE *, char *const *))
{
        bool any = false;

        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                any |= s->n_hooks[k] > 0;
        if (!any)
                return;
        fputs("hooks:\n", out);
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++) {
                if (s->n_hooks[k] == 0)
                        continue;
                fprintf(out, "  %s:\n", kind_names[k]);
                for (size_t i = 0; i < s->n_hooks[k]; i++) {
                        const struct congo_hook *h = &s->hooks[k][i];
                        fputs("    - {path: ", out);
                        put_str(out, h->path);
                        if (h->args) {
                                fputs(", args: ", out);
                                put_strv(out, h->args);
                        }
                        if (h->env) {
                                fputs(", env: ", out);
                                put_strv(out, h->env);
                        }
                        if (h->timeout)
                                fprintf(out, ", timeout: %u", h->timeout);
                        fputs("}\n", out);
                }
        }
}
