/* spec_devices.c - devices: the device nodes a spec adds to the container's
 * /dev (OCI's linux.devices), as every front end hands them over, their
 * validation (all of it, here), and their canonical print.
 *
 * Each entry becomes a node congo makes in the container's /dev tmpfs and
 * a rule (rwm) in the container's device cgroup; nothing else but congo's
 * own nodes and what device_rules allow is allowed there
 * (src/stages/rootfs_devices.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

static const char *const key_names[CONGO_DEV_NKEYS] = {
        "path", "type", "major", "minor", "file_mode", "uid", "gid",
};

/* Where the kernel's dev_t runs out: 12 bits of major, 20 of minor. */
#define MAJOR_MAX 4095u
#define MINOR_MAX 1048575u

struct congo_device *congo_spec_add_device(struct congo_spec *spec,
                                           const struct congo_pos *pos,
                                           struct congo_diag *d)
{
        struct congo_device *dev;

        if (spec->n_devices == CONGO_DEVICES_MAX) {
                congo_diag_report(d, pos, "devices: more than %d devices", CONGO_DEVICES_MAX);
                return NULL;
        }
        dev = realloc(spec->devices, (spec->n_devices + 1) * sizeof *dev);
        if (dev == NULL)
                return NULL;
        spec->devices = dev;
        dev = &dev[spec->n_devices++];
        *dev = (struct congo_device){ .file_mode = 0666, .pos = *pos };
        return dev;
}

/* Why path cannot name a device node of ours, or NULL.  Mount points
 * congo puts in /dev (and the links it makes there) are refused as
 * parents: a node cannot go inside them. */
static const char *path_problem(const char *path)
{
        static const char *const not_parents[] = {
                "pts", "shm", "mqueue", "fd", "stdin", "stdout", "stderr", "ptmx", "core",
        };
        const char *rest = path + strlen("/dev/");

        if (strncmp(path, "/dev/", 5) != 0 || *rest == '\0')
                return "is not a path under /dev/";
        if (strlen(path) > 255)
                return "is longer than 255 characters";
        for (const char *c = path; *c; c++)
                if (*c <= ' ' || *c > '~' || *c == '"' || *c == '\\')
                        return "has a character other than printable ASCII (no space, quote or backslash)";
        for (const char *c = rest; *c;) {
                size_t n = strcspn(c, "/");
                if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        return "has an empty, . or .. component";
                c += n;
                if (*c == '/' && *++c == '\0')
                        return "ends in /";
        }
        size_t first = strcspn(rest, "/");
        for (size_t i = 0; i < sizeof not_parents / sizeof not_parents[0]; i++)
                if (strlen(not_parents[i]) == first && strncmp(rest, not_parents[i], first) == 0 &&
                    (rest[first] == '/' || i < 3))
                        return "is, or is inside, what congo mounts or links in /dev";
        return NULL;
}

static int set_number(const struct congo_scalar *v, const char *what, uint64_t max,
                      uint32_t *out, size_t idx, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_uint(v->text, max, &n) < 0)
                return BAD(d, v, "devices[%zu].%s: \"%s\" is not a number from 0 to %" PRIu64,
                           idx, what, v->text, max);
        *out = (uint32_t)n;
        return 0;
}

static int set_mode(const struct congo_scalar *v, uint32_t *out, size_t idx,
                    struct congo_diag *d)
{
        const char *t = v->text;
        size_t len = strlen(t);

        if (len == 0 || len > 4 || strspn(t, "01234567") != len || strtoul(t, NULL, 8) > 0777)
                return BAD(d, v, "devices[%zu].file_mode: \"%s\" is not an octal mode from 0 to 0777 (try 0666)",
                           idx, t);
        *out = (uint32_t)strtoul(t, NULL, 8);
        return 0;
}

int congo_spec_set_device(struct congo_spec *spec, struct congo_device *dev,
                          const char *key, const struct congo_scalar *v,
                          struct congo_diag *d)
{
        size_t idx = (size_t)(dev - spec->devices);
        int k = 0;
        const char *why;

        /* composition: {path: /dev/x, remove: true} drops an earlier
         * file's entry (congo_spec_layer_end). */
        if (strcmp(key, "remove") == 0) {
                if (v->is_null || congo_parse_bool(v->text, &dev->remove) < 0)
                        return BAD(d, v, "devices[%zu].remove: \"%s\" is not a boolean (true or false)",
                                   idx, v->is_null ? "" : v->text);
                return 0;
        }
        while (k < CONGO_DEV_NKEYS && strcmp(key, key_names[k]) != 0)
                k++;
        if (k == CONGO_DEV_NKEYS)
                return BAD(d, v, "devices[%zu]: unknown key \"%s\" (expected path, type, major, minor, file_mode, uid, gid, remove)",
                           idx, key);
        if (dev->pos_key[k].file != NULL)
                return BAD(d, v, "devices[%zu].%s: duplicate key (first set at line %d)",
                           idx, key, dev->pos_key[k].line);
        if (v->is_null)
                return BAD(d, v, "devices[%zu].%s: has no value", idx, key);
        if (!congo_utf8_valid(v->text))
                return BAD(d, v, "devices[%zu].%s: not valid UTF-8", idx, key);
        dev->pos_key[k] = v->pos;
        switch (k) {
        case CONGO_DEV_PATH:
                if ((why = path_problem(v->text)) != NULL)
                        return BAD(d, v, "devices[%zu].path: \"%s\" %s", idx, v->text, why);
                return congo_replace_str(&dev->path, v->text);
        case CONGO_DEV_TYPE:
                if (strlen(v->text) != 1 || strchr("cbp", v->text[0]) == NULL)
                        return BAD(d, v, "devices[%zu].type: \"%s\" is not c (character), b (block) or p (FIFO)",
                                   idx, v->text);
                dev->type = v->text[0];
                return 0;
        case CONGO_DEV_MAJOR:
                return set_number(v, key, MAJOR_MAX, &dev->major, idx, d);
        case CONGO_DEV_MINOR:
                return set_number(v, key, MINOR_MAX, &dev->minor, idx, d);
        case CONGO_DEV_FILE_MODE:
                return set_mode(v, &dev->file_mode, idx, d);
        default:
                return set_number(v, key, UINT32_MAX - 1, k == CONGO_DEV_UID ? &dev->uid : &dev->gid,
                                  idx, d);
        }
}

/* What each entry must have, and no path twice. */
void congo_spec_check_devices(struct congo_spec *s, struct congo_diag *d)
{
        for (size_t i = 0; i < s->n_devices; i++) {
                struct congo_device *dev = &s->devices[i];
                bool numbered = dev->type == 'c' || dev->type == 'b';

                if (dev->path == NULL)
                        congo_diag_report(d, &dev->pos, "devices[%zu]: path is missing", i);
                if (dev->type == 0)
                        congo_diag_report(d, &dev->pos, "devices[%zu]: type is missing (c, b or p)", i);
                for (int k = CONGO_DEV_MAJOR; k <= CONGO_DEV_MINOR; k++) {
                        if (numbered && dev->pos_key[k].file == NULL)
                                congo_diag_report(d, &dev->pos, "devices[%zu]: %s is missing (a %s device needs major and minor)",
                                                  i, key_names[k], dev->type == 'c' ? "character" : "block");
                        if (dev->type == 'p' && dev->pos_key[k].file != NULL)
                                congo_diag_report(d, &dev->pos_key[k], "devices[%zu].%s: a FIFO (type p) has no device number",
                                                  i, key_names[k]);
                }
                for (size_t j = 0; dev->path && j < i; j++)
                        if (s->devices[j].path && strcmp(s->devices[j].path, dev->path) == 0)
                                congo_diag_report(d, &dev->pos_key[CONGO_DEV_PATH], "devices[%zu].path: %s is already devices[%zu]",
                                                  i, dev->path, j);
        }
}

void congo_spec_free_devices(struct congo_spec *s)
{
        for (size_t i = 0; i < s->n_devices; i++)
                free(s->devices[i].path);
        free(s->devices);
        s->devices = NULL;
        s->n_devices = 0;
}

/* One flow mapping per device; paths are plain /dev/ names, quoted all
 * the same, like every string of the canonical form. */
void congo_spec_print_devices(const struct congo_spec *s, FILE *out)
{
        if (s->n_devices == 0) {
                fputs("devices: []\n", out);
                return;
        }
        fputs("devices:\n", out);
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct congo_device *dev = &s->devices[i];
                fprintf(out, "  - {path: \"%s\", type: %c", dev->path, dev->type);
                if (dev->type != 'p')
                        fprintf(out, ", major: %" PRIu32 ", minor: %" PRIu32, dev->major, dev->minor);
                fprintf(out, ", file_mode: \"%04" PRIo32 "\", uid: %" PRIu32 ", gid: %" PRIu32 "}\n",
                        dev->file_mode, dev->uid, dev->gid);
        }
}
