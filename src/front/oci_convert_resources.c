/* oci_convert_resources.c - the OCI front end's converters for
 * linux.resources (OCI's -1 is no limit) and linux.cgroupsPath. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oci_internal.h"

bool congo_oci_systemd_cgroup;

/* pids.limit: -1 (or 0, as runc reads it) is no limit; memory.limit: -1 none. */
int oci_conv_limit(struct oci *o, const struct oci_row *r, json_t *v)
{
        char buf[32];

        if (!json_is_integer(v))
                return oci_fail(o, r->json, "expected an integer");
        json_int_t n = json_integer_value(v);
        bool pids = strcmp(r->key, "limits.pids") == 0;
        if (n == -1 || (pids && n == 0))
                return pids ? oci_set_text(o, r->json, r->key, "max") : 0;
        if (n < 0)
                return oci_fail(o, r->json, "%" JSON_INTEGER_FORMAT " is negative (-1 means no limit)", n);
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, n);
        return oci_set_text(o, r->json, r->key, buf);
}

/* memory.swap: memory and swap together, as congo's memory_swap; -1: no
 * limit on swap. */
int oci_conv_swap(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (json_is_integer(v) && json_integer_value(v) == -1)
                return oci_set_text(o, r->json, r->key, "unlimited");
        return oci_conv_limit(o, r, v);
}

/* A number where 0 means not set, as runc reads it: docker writes
 * cpu.shares and blockIO.weight 0 when none was asked for. */
int oci_conv_zero_unset(struct oci *o, const struct oci_row *r, json_t *v)
{
        char buf[32];

        if (json_is_integer(v) && json_integer_value(v) == 0)
                return 0;
        const char *t = oci_scalar_text(o, r->json, v, 'i', buf, sizeof buf);
        return t ? oci_set_text(o, r->json, r->key, t) : -1;
}

/* cpu.cpus and cpu.mems: the kernel's list form; "" leaves it inherited. */
int oci_conv_cpuset(struct oci *o, const struct oci_row *r, json_t *v)
{
        char buf[8];
        const char *t = oci_scalar_text(o, r->json, v, 's', buf, sizeof buf);

        if (t == NULL || t[0] == '\0')
                return t ? 0 : -1;
        return oci_set_text(o, r->json, r->key, t);
}

static int hugepage_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        char key[64], text[32];
        json_t *size = json_object_get(item, "pageSize"), *limit = json_object_get(item, "limit");

        (void)i;
        (void)ctx;
        if (!json_is_string(size) || json_string_length(size) == 0 ||
            json_string_length(size) > 16 || strchr(json_string_value(size), '.'))
                return oci_fail(o, p, "pageSize: expected a page size such as \"2MB\"");
        if (!json_is_integer(limit) || json_integer_value(limit) < 0)
                return oci_fail(o, p, "limit: expected an integer from 0");
        snprintf(key, sizeof key, "limits.hugepages.%s", json_string_value(size));
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(limit));
        return oci_set_text(o, p, key, text);
}

/* hugepageLimits: [{pageSize: "2MB", limit: N}] to limits.hugepages.2MB. */
int oci_conv_hugepages(struct oci *o, const struct oci_row *r, json_t *v)
{
        return oci_each(o, r->json, v, "an array", hugepage_item, NULL);
}

/* unified: {"memory.high": "400M"} to limits.unified.memory.high. */
int oci_conv_unified(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *name;
        json_t *value;
        int rc = 0;

        if (!json_is_object(v))
                return oci_fail(o, r->json, "expected an object");
        json_object_foreach(v, name, value) {
                char p[128], key[128], buf[8];
                snprintf(p, sizeof p, "%s.%s", r->json, name);
                const char *t = oci_scalar_text(o, p, value, 's', buf, sizeof buf);
                if (t == NULL) {
                        rc = -1;
                        continue;
                }
                if (snprintf(key, sizeof key, "limits.unified.%s", name) >= (int)sizeof key) {
                        rc = oci_fail(o, p, "the name is too long");
                        continue;
                }
                rc |= oci_set_text(o, p, key, t);
        }
        return rc;
}

/* systemd's slice:prefix:name as the cgroupfs path systemd would give it:
 * the slice expanded by its dashes (a-b.slice is a.slice/a-b.slice; none
 * is system.slice), then prefix-name.scope (name alone when it is a slice). */
int congo_oci_systemd_path(const char *spec, char *out, size_t len)
{
        const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        char slice[256];
        size_t n = 0;

        if (c1 == NULL || c2 == NULL || strchr(c2 + 1, ':') || c2[1] == '\0' ||
            (size_t)(c1 - spec) >= sizeof slice)
                return -1;
        snprintf(slice, sizeof slice, "%.*s", (int)(c1 - spec), spec);
        if (slice[0] == '\0')
                snprintf(slice, sizeof slice, "system.slice");
        size_t sl = strlen(slice);
        if (sl < 7 || strcmp(slice + sl - 6, ".slice") != 0 || strchr(slice, '/'))
                return -1;
        out[0] = '\0';
        /* Each dash-separated prefix of the slice's name is a level. */
        for (const char *d = strchr(slice, '-'); d && (size_t)(d - slice) < sl - 6; d = strchr(d + 1, '-'))
                n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%.*s.slice/", (int)(d - slice), slice);
        n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s", slice);
        const char *name = c2 + 1;
        size_t nl = strlen(name);
        if (nl > 6 && strcmp(name + nl - 6, ".slice") == 0)
                n += (size_t)snprintf(out + n, n < len ? len - n : 0, "/%s", name);
        else
                n += (size_t)snprintf(out + n, n < len ? len - n : 0, "/%.*s-%s.scope", (int)(c2 - c1 - 1), c1 + 1, name);
        return n < len && strchr(out, '/') && !strstr(out, "..") ? 0 : -1;
}

/* cgroupsPath names the cgroup; congo makes the container's own cgroup
 * beneath cgroup_parent, so the path becomes the parent (relative to each
 * hierarchy's root, a leading / dropped).  systemd's slice:prefix:name
 * form is refused. */
int oci_conv_cgroups_path(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (!json_is_string(v))
                return oci_fail(o, r->json, "expected a string");
        const char *p = json_string_value(v);
        if (strchr(p, ':') && congo_oci_systemd_cgroup) {
                char path[1024];
                if (congo_oci_systemd_path(p, path, sizeof path) < 0)
                        return oci_fail(o, r->json, "\"%s\": not slice:prefix:name", p);
                congo_info("%s: \"%s\": no systemd cgroup manager is used; the cgroupfs path %s",
                           r->json, p, path);
                return oci_set_text(o, r->json, r->key, path);
        }
        if (strchr(p, ':'))
                return oci_fail(o, r->json, "\"%s\": the systemd form (slice:prefix:name) is not supported", p);
        while (*p == '/')
                p++;
        return *p ? oci_set_text(o, r->json, r->key, p) : 0;
}
