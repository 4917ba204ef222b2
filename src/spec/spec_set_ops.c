/* spec_set_ops.c - `--set KEY+=VALUE` and `--set KEY-=VALUE`: adding to and
 * removing from what the files (and earlier --set) said, for lists, maps,
 * mounts and devices.  Each --set is a layer of its own, so a mount added
 * to a target the files mount already replaces it (congo_spec_layer_end).
 *
 *   mounts+=type=bind,source=/x,target=/y,ro     mounts-=/y
 *   devices+=path=/dev/fuse,type=c,major=10,minor=229     devices-=/dev/fuse
 *   env+=NAME=VALUE    env-=NAME    (any mapping of names: limits.rlimits)
 *   security.capabilities+=CAP_NET_ADMIN    namespaces-=net    command+=ARG
 *   security.capabilities_ambient+=CAP_NET_BIND_SERVICE (from what the set
 *   is so far: written, or else what security.capabilities gives it)
 */
#include "config.h"

#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec_internal.h"

/* "a=1,b,c=2" split at commas, in place. */
static size_t split_commas(char *text, char **items, size_t max)
{
        size_t n = 0;

        for (char *save = NULL, *it = strtok_r(text, ",", &save); it;
             it = strtok_r(NULL, ",", &save))
                if (n < max)
                        items[n++] = it;
                else
                        return max + 1;
        return n;
}

/* type=, source=, target= are the mount's keys; every other item (ro,
 * size=16m...) is one of its options. */
static int mount_add(struct congo_spec *s, const struct congo_scalar *v, struct congo_diag *d)
{
        char *copy = strdup(v->text), *items[40];
        struct congo_scalar opts[40];
        size_t n = copy ? split_commas(copy, items, 40) : 0, n_opts = 0;
        struct congo_mount *m = NULL;
        int bad = copy == NULL;

        if (n > 40)
                bad = BAD(d, v, "mounts+=: more than 40 items");
        else if (!bad && (m = congo_spec_add_mount(s, &v->pos)) == NULL)
                bad = -1;
        for (size_t i = 0; m && !bad && i < n; i++) {
                char *eq = strchr(items[i], '=');
                bool field = eq && (size_t)(eq - items[i]) <= 6 &&
                             (!strncmp(items[i], "type=", 5) || !strncmp(items[i], "source=", 7) ||
                              !strncmp(items[i], "target=", 7));
                if (!field) {
                        opts[n_opts++] = (struct congo_scalar){ .text = items[i], .pos = v->pos };
                        continue;
                }
                *eq = '\0';
                struct congo_scalar f = { .text = eq + 1, .pos = v->pos };
                bad |= congo_spec_set_mount(s, m, items[i], &f, d);
        }
        if (m && !bad && n_opts)
                bad |= congo_spec_set_mount_options(s, m, opts, n_opts, &v->pos, d);
        free(copy);
        return bad ? -1 : 0;
}

static int device_add(struct congo_spec *s, const struct congo_scalar *v, struct congo_diag *d)
{
        char *copy = strdup(v->text), *items[16];
        size_t n = copy ? split_commas(copy, items, 16) : 0;
        struct congo_device *dev = NULL;
        int bad = copy == NULL;

        if (n > 16)
                bad = BAD(d, v, "devices+=: more than 16 items");
        else if (!bad && (dev = congo_spec_add_device(s, &v->pos, d)) == NULL)
                bad = -1;
        for (size_t i = 0; dev && !bad && i < n; i++) {
                char *eq = strchr(items[i], '=');
                if (eq == NULL) {
                        bad = BAD(d, v, "devices+=: \"%s\" is not KEY=VALUE (path=/dev/fuse,type=c,major=10,minor=229)",
                                  items[i]);
                        break;
                }
                *eq = '\0';
                struct congo_scalar f = { .text = eq + 1, .pos = v->pos };
                bad |= congo_spec_set_device(s, dev, items[i], &f, d);
        }
        free(copy);
        return bad ? -1 : 0;
}

static int entry_remove(struct congo_spec *s, bool mount, const struct congo_scalar *v,
                        struct congo_diag *d)
{
        struct congo_scalar yes = { .text = "true", .pos = v->pos };

        if (mount) {
                struct congo_mount *m = congo_spec_add_mount(s, &v->pos);
                return m == NULL || congo_spec_set_mount(s, m, "target", v, d) < 0 ||
                       congo_spec_set_mount(s, m, "remove", &yes, d) < 0 ? -1 : 0;
        }
        struct congo_device *dev = congo_spec_add_device(s, &v->pos, d);
        return dev == NULL || congo_spec_set_device(s, dev, "path", v, d) < 0 ||
               congo_spec_set_device(s, dev, "remove", &yes, d) < 0 ? -1 : 0;
}

/* env+=NAME=VALUE sets env.NAME; env-=NAME removes it (as NAME: ~). */
static int map_op(struct congo_spec *s, const char *path, char op,
                  const struct congo_scalar *v, struct congo_diag *d)
{
        const char *eq = strchr(v->text, '=');
        char key[300];

        if (op == '+' && (eq == NULL || eq == v->text))
                return BAD(d, v, "%s+=: \"%s\" is not NAME=VALUE", path, v->text);
        if (op == '-' && (v->text[0] == '\0' || eq != NULL))
                return BAD(d, v, "%s-=: \"%s\" is not a NAME", path, v->text);
        int len = op == '+' ? (int)(eq - v->text) : (int)strlen(v->text);
        if ((size_t)snprintf(key, sizeof key, "%s.%.*s", path, len, v->text) >= sizeof key)
                return BAD(d, v, "%s: the name is too long", path);
        struct congo_scalar value = { .text = op == '+' ? eq + 1 : "", .pos = v->pos,
                                      .is_null = op == '-' };
        return congo_spec_set(s, key, &value, d);
}

/* Namespaces and capabilities are sets: adding what is there or removing
 * what is not is an error, as a typo would be. */
static int set_op(struct congo_spec *s, const char *path, char op, const struct congo_scalar *v,
                  struct congo_diag *d)
{
        int capset = congo_capset_of(path);
        bool caps = capset >= 0 || strcmp(path, "security.capabilities") == 0;
        uint64_t set = capset >= 0 ? congo_capset_current(s, capset) :
                       caps ? s->security.capabilities : s->namespaces;
        const char *why = NULL;
        char **words = congo_split_words(v->text, &why);
        int bad = words == NULL ? BAD(d, v, "%s: %s", path, why ? why : "out of memory") : 0;

        if (caps && set == ~UINT64_C(0) && op == '-')   /* ALL: every one the kernel headers name */
                set = (UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1;
        for (size_t i = 0; words && words[i]; i++) {
                uint64_t bit = 0;
                if (caps && strcasecmp(words[i], "ALL") == 0 && op == '+')
                        bit = ~set;
                else if (caps && congo_cap_from_name(words[i]) >= 0)
                        bit = UINT64_C(1) << congo_cap_from_name(words[i]);
                for (unsigned b = 1; !caps && b <= CONGO_NS_TIME; b <<= 1)
                        if (strcmp(words[i], congo_ns_name(b)) == 0)
                                bit = b;
                if (bit == 0)
                        bad = BAD(d, v, "%s: unknown %s \"%s\"", path,
                                  caps ? "capability" : "namespace", words[i]);
                else if (op == '-' && (set & bit) == 0)
                        bad = BAD(d, v, "%s-=: \"%s\" is not in the set", path, words[i]);
                else
                        set = op == '+' ? set | bit : set & ~bit;
        }
        congo_strv_free(words);
        if (bad)
                return -1;
        if (capset >= 0)
                s->process.caps[capset] = set;
        else if (caps)
                s->security.capabilities = set;
        else
                s->namespaces = (unsigned)set;
        return 0;
}

static int command_add(struct congo_spec *s, const struct congo_scalar *v, struct congo_diag *d)
{
        const char *why = NULL;
        char **words = congo_split_words(v->text, &why);
        size_t have = congo_strv_len(s->command), n = congo_strv_len(words);
        char **argv;

        if (words == NULL)
                return BAD(d, v, "command: %s", why ? why : "out of memory");
        if (have == 0) {
                congo_strv_free(words);
                return BAD(d, v, "command+=: there is no command to add arguments to");
        }
        if ((argv = realloc(s->command, (have + n + 1) * sizeof *argv)) == NULL) {
                congo_strv_free(words);
                return -1;
        }
        memcpy(argv + have, words, (n + 1) * sizeof *argv);
        free(words);   /* the strings now belong to argv */
        s->command = argv;
        return 0;
}

static int list_op(struct congo_spec *s, const char *path, char op,
                   const struct congo_scalar *v, struct congo_diag *d)
{
        const struct congo_key_def *k = congo_spec_find_key(path);
        int rc;

        if (strcmp(path, "command") == 0 && op == '+')
                rc = command_add(s, v, d);
        else if (strcmp(path, "namespaces") == 0 || strcmp(path, "security.capabilities") == 0 ||
                 congo_capset_of(path) >= 0)
                rc = set_op(s, path, op, v, d);
        else
                return BAD(d, v, "%s: %s= is not supported for this list; set the whole list with %s=",
                           path, op == '+' ? "+" : "-", path);
        if (rc == 0 && k->key >= 0) {
                s->pos[k->key] = v->pos;
                MARK_ATTEMPTED(s, k->key);
        }
        return rc;
}

int congo_spec_override_op(struct congo_spec *spec, const char *path, char op,
                           const struct congo_scalar *v, struct congo_diag *d)
{
        struct congo_layer layer;
        int rc;

        if (!congo_utf8_valid(v->text))
                return BAD(d, v, "%s: not valid UTF-8", path);
        congo_spec_layer_begin(spec, &layer);
        switch (congo_spec_key_kind(path)) {
        case CONGO_KIND_MOUNTS:
                rc = op == '+' ? mount_add(spec, v, d) : entry_remove(spec, true, v, d);
                break;
        case CONGO_KIND_DEVICES:
                rc = op == '+' ? device_add(spec, v, d) : entry_remove(spec, false, v, d);
                break;
        case CONGO_KIND_MAP:
                rc = map_op(spec, path, op, v, d);
                break;
        case CONGO_KIND_HOOKS:
                rc = BAD(d, v, "%s: hooks cannot be changed with --set; write them in a spec file (one you include)", path);
                break;
        default:
                rc = list_op(spec, path, op, v, d);
        }
        /* An entry refused half-way is dropped, not reported again as
         * incomplete. */
        while (rc < 0 && spec->n_mounts > layer.mounts)
                congo_spec_free_mount(&spec->mounts[--spec->n_mounts]);
        while (rc < 0 && spec->n_devices > layer.devices)
                free(spec->devices[--spec->n_devices].path);
        return congo_spec_layer_end(spec, &layer, d) | rc;
}
