/* oci_convert_linux.c - the OCI front end's converters for config.json's
 * linux object but its resources and mounts: sysctl, personality, time
 * offsets, namespaces, id maps, devices and the device cgroup rules,
 * seccomp. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oci_internal.h"

/* linux.sysctl: {name: value} to sysctl.NAME, refused there by name when
 * not namespaced. */
int oci_conv_sysctl(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *name;
        json_t *value;
        int rc = 0;

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object of strings");
        json_object_foreach(v, name, value) {
                char p[300], key[300];
                snprintf(p, sizeof p, "%s.%s", r->json, name);
                snprintf(key, sizeof key, "sysctl.%s", name);
                const char *t = oci_scalar_text(o, p, value, 's', NULL, 0);
                if (t == NULL || name[0] == '\0' || strlen(name) > 250)
                        rc = t ? oci_fail(o, p, "not a sysctl name") : -1;
                else
                        rc |= oci_set_text(o, p, key, t);
        }
        return rc;
}

/* linux.personality: {domain: LINUX|LINUX32, flags}; no flag is defined. */
int oci_conv_personality(struct oci *o, const struct oci_row *r, json_t *v)
{
        char p[64];

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object");
        snprintf(p, sizeof p, "%s.flags", r->json);
        if (!oci_is_empty(json_object_get(v, "flags")))
                return oci_fail(o, p, "not supported (no flag is defined)");
        snprintf(p, sizeof p, "%s.domain", r->json);
        json_t *domain = json_object_get(v, "domain");
        if (!json_is_string(domain))
                return oci_fail(o, p, "expected LINUX or LINUX32");
        return oci_set_text(o, p, r->key, json_string_value(domain));
}

/* linux.timeOffsets: {monotonic: {secs, nanosecs}, boottime: ...} to
 * time_offsets.CLOCK as signed decimal seconds. */
int oci_conv_time_offsets(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *clock;
        json_t *off;
        int rc = 0;

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object");
        json_object_foreach(v, clock, off) {
                char p[128], key[64], text[64];
                snprintf(p, sizeof p, "%s.%s", r->json, clock);
                if (strcmp(clock, "monotonic") != 0 && strcmp(clock, "boottime") != 0) {
                        rc = oci_fail(o, p, "not a clock of the time namespace (monotonic, boottime)");
                        continue;
                }
                json_t *secs = json_object_get(off, "secs"), *ns = json_object_get(off, "nanosecs");
                json_int_t sv = json_is_integer(secs) ? json_integer_value(secs) : 0;
                json_int_t nv = json_is_integer(ns) ? json_integer_value(ns) : 0;
                if (!json_is_object(off) || (secs && !json_is_integer(secs)) || (ns && !json_is_integer(ns)) ||
                    nv < 0 || nv > 999999999 || sv > INT64_MAX / 4 || sv < -(INT64_MAX / 4)) {
                        rc = oci_fail(o, p, "expected {secs: integer, nanosecs: 0 to 999999999}");
                        continue;
                }
                /* secs + nanosecs/1e9, written as the signed decimal it is. */
                if (sv >= 0)
                        snprintf(text, sizeof text, "%lld.%09lld", (long long)sv, (long long)nv);
                else if (nv == 0)
                        snprintf(text, sizeof text, "%lld", (long long)sv);
                else
                        snprintf(text, sizeof text, "-%lld.%09lld", (long long)(-sv - 1), (long long)(1000000000 - nv));
                snprintf(key, sizeof key, "%s.%s", r->key, clock);
                rc |= oci_set_text(o, p, key, text);
        }
        return rc;
}

static const char *const ns_names[][2] = {
        { "pid", "pid" }, { "network", "net" }, { "mount", "mount" }, { "ipc", "ipc" },
        { "uts", "uts" }, { "user", "user" }, { "cgroup", "cgroup" }, { "time", "time" },
};

/* One {type, path}: its congo name appended to list, a path joined. */
static int ns_item(struct oci *o, const char *p, size_t i, json_t *item, void *list)
{
        json_t *type = json_object_get(item, "type");
        const char *mapped = NULL;

        (void)i;
        for (size_t n = 0; json_is_string(type) && n < 8; n++)
                if (strcmp(json_string_value(type), ns_names[n][0]) == 0)
                        mapped = ns_names[n][1];
        if (mapped == NULL)
                return oci_fail(o, p, "type: expected pid, network, mount, ipc, uts, user, cgroup or time");
        json_t *path = json_object_get(item, "path");
        char pp[600], key[40];
        json_array_append_new(list, json_string(mapped));
        if (oci_is_empty(path))
                return 0;
        /* Joined, not made: namespace_paths.NAME. */
        snprintf(pp, sizeof pp, "%s.path", p);
        snprintf(key, sizeof key, "namespace_paths.%s", mapped);
        const char *t = oci_scalar_text(o, pp, path, 's', NULL, 0);
        return t ? oci_set_text(o, pp, key, t) : -1;
}

int oci_conv_namespaces(struct oci *o, const struct oci_row *r, json_t *v)
{
        json_t *list = json_array();
        int rc = oci_each(o, r->json, v, "an array", ns_item, list);

        if (rc == 0)
                rc = oci_set_string_list(o, r->json, r->key, list);
        json_decref(list);
        return rc;
}

struct idmap_text {
        const char *json;
        char text[8192];
        size_t used;
};

/* One range: the first problem ends the walk, naming the range by index. */
static int idmap_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        static const char *const fields[] = { "containerID", "hostID", "size" };
        struct idmap_text *m = ctx;

        (void)p;
        for (int f = 0; f < 3; f++) {
                json_t *n = json_object_get(item, fields[f]);
                if (!json_is_integer(n) || json_integer_value(n) < 0 ||
                    json_integer_value(n) > UINT32_MAX)
                        return oci_fail(o, m->json, "[%zu].%s: expected an integer from 0 to 4294967295",
                                        i, fields[f]), OCI_STOP;
                int w = snprintf(m->text + m->used, sizeof m->text - m->used, "%s%" JSON_INTEGER_FORMAT,
                                 f ? " " : i ? ", " : "", json_integer_value(n));
                if (w < 0 || (size_t)w >= sizeof m->text - m->used)
                        return oci_fail(o, m->json, "too many ranges"), OCI_STOP;
                m->used += (size_t)w;
        }
        return 0;
}

/* [{containerID, hostID, size}] -> "inside outside count, ..." */
int oci_conv_idmap(struct oci *o, const struct oci_row *r, json_t *v)
{
        struct idmap_text m = { .json = r->json, .text = "", .used = 0 };

        if (oci_each(o, r->json, v, "an array", idmap_item, &m) < 0)
                return -1;
        return oci_set_text(o, r->json, r->key, m.text);
}

/* One device: an entry, then its keys; a device that cannot be added
 * (too many) or is not an object ends the walk. */
static int device_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        static const char *const keys[][2] = {
                { "path", "path" }, { "type", "type" }, { "major", "major" }, { "minor", "minor" },
                { "fileMode", "file_mode" }, { "uid", "uid" }, { "gid", "gid" },
        };
        struct congo_pos pos = oci_at(o, p);
        struct congo_device *dev = congo_spec_add_device(o->spec, &pos, o->d);
        int rc = 0;

        (void)i;
        (void)ctx;
        if (dev == NULL || !json_is_object(item))
                return (dev ? oci_fail(o, p, "expected an object") : (o->problems++, -1)), OCI_STOP;
        for (int k = 0; k < 7; k++) {
                json_t *f = json_object_get(item, keys[k][0]);
                char buf[32], fp[600];
                if (f == NULL)
                        continue;
                snprintf(fp, sizeof fp, "%s.%s", p, keys[k][0]);
                const char *t = oci_scalar_text(o, fp, f, k < 2 ? 's' : 'i', buf, sizeof buf);
                if (t && k == 4)   /* JSON has no octal: 438 is 0666 */
                        snprintf(buf, sizeof buf, "0%llo", (unsigned long long)json_integer_value(f));
                struct congo_scalar s = { .text = t, .pos = oci_at(o, fp), .in_file = true };
                if (t == NULL || congo_spec_set_device(o->spec, dev, keys[k][1], &s, o->d) < 0)
                        rc = -1, o->problems += t != NULL;
        }
        return rc;
}

int oci_conv_devices(struct oci *o, const struct oci_row *r, json_t *v)
{
        return oci_each(o, r->json, v, "an array", device_item, NULL);
}

/* One rule's major or minor: absent, null or -1 is any (-1 returned). */
static bool rule_number(json_t *v, int64_t *out)
{
        *out = -1;
        if (v == NULL || json_is_null(v))
                return true;
        if (!json_is_integer(v) || json_integer_value(v) < -1 || json_integer_value(v) > UINT32_MAX)
                return false;
        *out = json_integer_value(v);
        return true;
}

/* resources.devices: the rules of the device cgroup, in order, as
 * device_rules words ("allow c 5:1 rwm"); congo's own allowlist follows
 * them (spec_device_rules.c).  A missing type is a, a missing or -1
 * number any, a missing access rwm.  One rule into its word (ctx: the
 * words, one per rule); json, which messages name with the rule's index. */
struct rule_words {
        const char *json;
        char (*words)[48];
};

static int rule_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        struct rule_words *rw = ctx;
        json_t *type = json_object_get(item, "type"), *access = json_object_get(item, "access");
        const char *t = json_is_string(type) ? json_string_value(type) : type ? NULL : "a";
        int64_t major, minor;

        (void)p;
        if (!json_is_object(item) || !json_is_boolean(json_object_get(item, "allow")) || t == NULL ||
            strlen(t) != 1 || !strchr("abc", t[0]) ||
            !rule_number(json_object_get(item, "major"), &major) ||
            !rule_number(json_object_get(item, "minor"), &minor) ||
            (access && (!json_is_string(access) || json_string_length(access) == 0 ||
                        strspn(json_string_value(access), "rwm") != json_string_length(access))))
                return oci_fail(o, rw->json, "[%zu]: expected {allow: BOOL, type: a|b|c, major, minor, access: of rwm}", i);
        char ma[24] = "*", mi[24] = "*";
        if (major >= 0 && t[0] != 'a')
                snprintf(ma, sizeof ma, "%" PRId64, major);
        if (minor >= 0 && t[0] != 'a')
                snprintf(mi, sizeof mi, "%" PRId64, minor);
        const char *a = access ? json_string_value(access) : "rwm";
        snprintf(rw->words[i], sizeof rw->words[i], "%s %c %s:%s %s%s%s",
                 json_is_true(json_object_get(item, "allow")) ? "allow" : "deny", t[0], ma, mi,
                 strchr(a, 'r') ? "r" : "", strchr(a, 'w') ? "w" : "", strchr(a, 'm') ? "m" : "");
        return 0;
}

int oci_conv_device_rules(struct oci *o, const struct oci_row *r, json_t *v)
{
        size_t n = json_array_size(v);
        struct rule_words rw = { r->json, calloc(n + 1, sizeof *rw.words) };
        struct congo_scalar *items = calloc(n + 1, sizeof *items);
        struct congo_pos pos = oci_at(o, r->json);
        int rc = -1;

        if (rw.words == NULL || items == NULL)
                rc = oci_fail(o, r->json, "out of memory");
        else if (oci_each(o, r->json, v, "an array", rule_item, &rw) == 0) {
                for (size_t i = 0; i < n; i++)
                        items[i] = (struct congo_scalar){ .text = rw.words[i], .pos = pos, .in_file = true };
                rc = congo_spec_set_list(o->spec, r->key, items, n, &pos, o->d);
                if (rc < 0)
                        o->problems++;
        }
        free(items);
        free(rw.words);
        return rc;
}

int oci_conv_seccomp(struct oci *o, const struct oci_row *r, json_t *v)
{
        struct congo_pos pos = oci_at(o, r->json);

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object");
        return congo_spec_set_seccomp_object(o->spec, v, "linux.seccomp", &pos, o->d);
}
