/* oci_convert_mounts.c - the OCI front end's converter for config.json's
 * mounts: OCI's bind and recursive options as congo's, the mounts congo
 * makes itself left to it, idmapped binds with the container's maps. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oci_internal.h"

/* The mounts congo makes itself, at the places OCI bundles put them. */
static bool own_mount(const char *type, const char *dest)
{
        static const char *const own[][2] = {
                { "proc", "/proc" }, { "sysfs", "/sys" }, { "tmpfs", "/dev" },
                { "devpts", "/dev/pts" }, { "tmpfs", "/dev/shm" },
        };

        for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
                if (strcmp(type, own[i][0]) == 0 && strcmp(dest, own[i][1]) == 0)
                        return true;
        return false;
}

/* OCI 1.1's recursive flags (rro, rnosuid...) are congo's: a bind's
 * flags reach its submounts when it is recursive, and a new filesystem
 * has none.  Returns the congo option for an OCI one. */
static const char *congo_option(const char *opt)
{
        static const char *const recursive[] = {
                "ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec", "noatime",
                "atime", "relatime", "norelatime", "strictatime", "nostrictatime",
                "nodiratime", "diratime",
        };

        if (strcmp(opt, "ridmap") == 0)
                return "idmap";
        for (size_t i = 0; opt[0] == 'r' && i < sizeof recursive / sizeof recursive[0]; i++)
                if (strcmp(opt + 1, recursive[i]) == 0)
                        return recursive[i];
        return opt;
}

/* uidMappings/gidMappings of a mount: congo idmaps with the container's
 * own user namespace, so they must be its maps. */
static int mount_idmap(struct oci *o, const char *p, json_t *item, bool *idmap)
{
        json_t *um = json_object_get(item, "uidMappings"), *gm = json_object_get(item, "gidMappings");
        json_t *linux_ = json_object_get(o->root, "linux");

        if (oci_is_empty(um) && oci_is_empty(gm))
                return 0;
        if (!json_equal(um, json_object_get(linux_, "uidMappings")) ||
            !json_equal(gm, json_object_get(linux_, "gidMappings")))
                return oci_fail(o, p, "uidMappings/gidMappings: only the container's own (linux.uidMappings, "
                            "linux.gidMappings) are supported");
        *idmap = true;
        return 0;
}

static int conv_mount(struct oci *o, const char *p, json_t *item)
{
        json_t *dest = json_object_get(item, "destination"), *type = json_object_get(item, "type");
        json_t *source = json_object_get(item, "source"), *opts = json_object_get(item, "options");
        const char *t = json_is_string(type) ? json_string_value(type) : "";
        bool bind = strcmp(t, "bind") == 0, rbind = false, idmap = false;
        size_t i;
        json_t *opt;

        if (!json_is_string(dest))
                return oci_fail(o, p, "destination: expected a string");
        if (opts != NULL && !json_is_array(opts))
                return oci_fail(o, p, "options: expected an array of strings");
        if (mount_idmap(o, p, item, &idmap) < 0)
                return -1;
        json_array_foreach(opts, i, opt) {
                const char *ot = json_is_string(opt) ? json_string_value(opt) : NULL;
                if (ot == NULL)
                        return oci_fail(o, p, "options: expected an array of strings");
                bind |= !strcmp(ot, "bind") || !strcmp(ot, "rbind");
                rbind |= !strcmp(ot, "rbind");
        }
        if (own_mount(t, json_string_value(dest)) && !bind) {
                congo_info("%s: %s: %s on %s is made by congo itself, with its own options",
                           o->file, p, t, json_string_value(dest));
                return 0;
        }
        /* OCI's cgroup is "the container's cgroups": cgroup2, read-only,
         * rooted at its cgroup with a cgroup namespace (congo-spec(5)). */
        if (!bind && strcmp(t, "cgroup") == 0) {
                congo_info("%s: %s: cgroup on %s is mounted as cgroup2", o->file, p,
                           json_string_value(dest));
                t = "cgroup2";
        }
        if (!bind && *t == '\0')
                return oci_fail(o, p, "type: expected a filesystem type (or a bind or rbind option)");
        struct congo_pos pos = oci_at(o, p);
        struct congo_mount *m = congo_spec_add_mount(o->spec, &pos);
        if (m == NULL)
                return oci_fail(o, p, "out of memory");
        struct congo_scalar s = { .text = bind ? "bind" : t, .pos = pos, .in_file = true };
        int rc = congo_spec_set_mount(o->spec, m, "type", &s, o->d);
        s.text = json_string_value(dest);
        rc |= congo_spec_set_mount(o->spec, m, "target", &s, o->d);
        if (bind && !json_is_string(source))
                return oci_fail(o, p, "source: expected a string");
        if (json_is_string(source) && json_string_length(source) > 0) {
                s.text = json_string_value(source);
                rc |= congo_spec_set_mount(o->spec, m, "source", &s, o->d);
        }
        /* OCI's bind is not recursive unless rbind says so; congo's is. */
        size_t n = json_array_size(opts), k = 0;
        struct congo_scalar *items = calloc(n + 2, sizeof *items);
        if (items == NULL)
                return oci_fail(o, p, "out of memory");
        if (bind && !rbind)
                items[k++] = (struct congo_scalar){ .text = "bind", .pos = pos, .in_file = true };
        if (idmap)
                items[k++] = (struct congo_scalar){ .text = "idmap", .pos = pos, .in_file = true };
        json_array_foreach(opts, i, opt) {
                const char *ot = congo_option(json_string_value(opt));
                bool dup = (!strcmp(ot, "bind") && bind && !rbind) || (!strcmp(ot, "idmap") && idmap);
                /* buildah asks for the cgroup mount rw: a container never
                 * writes its own limits here, and says so at -v. */
                if (!bind && !strcmp(t, "cgroup2") && !strcmp(ot, "rw")) {
                        congo_info("%s: %s: rw: the container's cgroups are mounted read-only", o->file, p);
                        continue;
                }
                if (!dup)
                        items[k++] = (struct congo_scalar){ .text = ot, .pos = pos, .in_file = true };
        }
        if (rc == 0 && k)
                rc = congo_spec_set_mount_options(o->spec, m, items, k, &pos, o->d);
        free(items);
        if (rc < 0)
                o->problems++;
        return rc;
}

static int mount_item(struct oci *o, const char *p, size_t i, json_t *item, void *ctx)
{
        (void)i;
        (void)ctx;
        return json_is_object(item) ? conv_mount(o, p, item) : oci_fail(o, p, "expected an object");
}

int oci_conv_mounts(struct oci *o, const struct oci_row *r, json_t *v)
{
        return oci_each(o, r->json, v, "an array", mount_item, NULL);
}
