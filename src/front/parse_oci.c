/* parse_oci.c - the OCI front end: a bundle's config.json (runtime spec
 * v1.1, config.md and config-linux.md) into the same congo_spec, through
 * the same setters, by congo key path.
 *
 * One table, rows[] at the end, says what becomes of every JSON path the
 * spec defines for Linux: mapped to a congo key (as a scalar, or through a
 * converter where the value's shape differs), refused with a one-line
 * error naming the JSON path, or noted at -v where the spec lets a runtime
 * pass (a Windows field, an LSM the host lacks).  Adding a row is one line.
 * A property the spec does not define is ignored, as its Extensibility
 * section requires, and named at -v.
 *
 * Jansson keeps line:column only for syntax errors; a bad value is named
 * by its JSON path instead, given to the setters as the position's file
 * ("b/config.json: linux.resources.pids.limit"), so their messages read
 *     b/config.json: linux.resources.pids.limit: limits.pids: ...
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "congo/parse.h"

struct oci;
struct oci_row;
/* A converter: v is the value at row->json (never JSON null). */
typedef int (*oci_conv)(struct oci *, const struct oci_row *, json_t *v);

struct oci_row {
        const char *json;        /* dotted JSON path */
        const char *key;         /* congo key path, or NULL */
        char type;               /* s string, i integer, b boolean: a plain scalar */
        oci_conv conv;           /* NULL: the scalar as text to key */
        const char *why;         /* refuse() and note(): what to say */
        const char *absent;      /* OCI's meaning of leaving it out, where
                                    congo's default differs ("": an empty list) */
};

struct oci {
        struct congo_spec *spec;
        struct congo_diag *d;
        const char *file;
        json_t *root;
        int problems;
        /* Values that two JSON paths make together. */
        json_int_t uid, gid;
        bool have_user;
};

/* ---- helpers ----------------------------------------------------------- */

/* Position of a value: the file and its JSON path (kept by the spec). */
static struct congo_pos at(struct oci *o, const char *json)
{
        char buf[512];

        snprintf(buf, sizeof buf, "%s: %s", o->file, json);
        const char *kept = congo_spec_keep(o->spec, buf);
        return (struct congo_pos){ kept ? kept : o->file, 0, 0 };
}

static int fail(struct oci *o, const char *json, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int fail(struct oci *o, const char *json, const char *fmt, ...)
{
        char msg[400];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        congo_diag_report(o->d, &(struct congo_pos){ o->file, 0, 0 }, "%s: %s", json, msg);
        o->problems++;
        return -1;
}

static json_t *get_path(json_t *root, const char *path)
{
        char buf[256], *save = NULL;
        json_t *v = root;

        snprintf(buf, sizeof buf, "%s", path);
        for (char *c = strtok_r(buf, ".", &save); v && c; c = strtok_r(NULL, ".", &save))
                v = json_is_object(v) ? json_object_get(v, c) : NULL;
        return v;
}

/* Absent in effect: an optional value left empty. */
static bool is_empty(json_t *v)
{
        return v == NULL || json_is_null(v) || json_is_false(v) ||
               (json_is_string(v) && json_string_length(v) == 0) ||
               (json_is_array(v) && json_array_size(v) == 0) ||
               (json_is_object(v) && json_object_size(v) == 0);
}

static const char *type_name(char t)
{
        return t == 's' ? "a string" : t == 'i' ? "an integer" : t == 'b' ? "a boolean" :
               t == 'a' ? "an array" : "an object";
}

/* The text of a scalar of type t ('s', 'i', 'b'), or NULL after reporting. */
static const char *scalar_text(struct oci *o, const char *json, json_t *v, char t,
                               char *buf, size_t size)
{
        if (t == 's' && json_is_string(v)) {
                if (strlen(json_string_value(v)) != json_string_length(v))
                        return fail(o, json, "contains a NUL character"), NULL;
                return json_string_value(v);
        }
        if (t == 'i' && json_is_integer(v))
                return snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v)), buf;
        if (t == 'b' && json_is_boolean(v))
                return json_is_true(v) ? "true" : "false";
        fail(o, json, "expected %s", type_name(t));
        return NULL;
}

static int set_text(struct oci *o, const char *json, const char *key, const char *text)
{
        struct congo_scalar s = { .text = text, .pos = at(o, json), .in_file = true };

        if (congo_spec_set(o->spec, key, &s, o->d) < 0)
                return o->problems++, -1;
        return 0;
}

/* An array of strings to a list key. */
static int set_string_list(struct oci *o, const char *json, const char *key, json_t *v)
{
        size_t n = json_array_size(v), i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, json, "expected an array of strings");
        struct congo_scalar *items = calloc(n + 1, sizeof *items);
        if (items == NULL)
                return fail(o, json, "out of memory");
        struct congo_pos pos = at(o, json);
        json_array_foreach(v, i, item) {
                char p[300];
                snprintf(p, sizeof p, "%s[%zu]", json, i);
                const char *t = scalar_text(o, p, item, 's', NULL, 0);
                if (t == NULL)
                        rc = -1;
                items[i] = (struct congo_scalar){ .text = t ? t : "", .pos = pos, .in_file = true };
        }
        if (rc == 0 && congo_spec_set_list(o->spec, key, items, n, &pos, o->d) < 0)
                rc = -1, o->problems++;
        free(items);
        return rc;
}

/* ---- converters -------------------------------------------------------- */

static int refuse(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (is_empty(v))
                return 0;
        return fail(o, r->json, "%s", r->why);
}

static int note(struct oci *o, const struct oci_row *r, json_t *v)
{
        (void)v;
        congo_info("%s: %s: %s", o->file, r->json, r->why);
        return 0;
}

/* An LSM field: refused where the LSM is on (congo cannot apply it), noted
 * and passed where it is not, as a runtime without the LSM does. */
static int lsm(struct oci *o, const struct oci_row *r, json_t *v)
{
        bool selinux = strstr(r->json, "selinux") || strstr(r->json, "mountLabel");
        const char *probe = selinux ? "/sys/fs/selinux/enforce"
                                    : "/sys/module/apparmor/parameters/enabled";
        char flag = 'N';
        FILE *f;

        if (is_empty(v))
                return 0;
        if ((f = fopen(probe, "re")) != NULL) {
                flag = selinux ? 'Y' : (char)fgetc(f);
                fclose(f);
        }
        if (flag == 'Y')
                return fail(o, r->json, "not supported (%s is enabled on this host and congo cannot apply a label or profile)",
                            selinux ? "SELinux" : "AppArmor");
        congo_info("%s: %s: %s is not enabled on this host; ignored", o->file, r->json,
                   selinux ? "SELinux" : "AppArmor");
        return 0;
}

static int conv_version(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (!json_is_string(v))
                return fail(o, r->json, "expected a string");
        if (strncmp(json_string_value(v), "1.", 2) != 0)
                return fail(o, r->json, "\"%s\" is not supported (1.x is)", json_string_value(v));
        return set_text(o, r->json, r->key, "1");
}

static int conv_strings(struct oci *o, const struct oci_row *r, json_t *v)
{
        return set_string_list(o, r->json, r->key, v);
}

/* process.env: "NAME=value" each; the whole environment. */
static int conv_env(struct oci *o, const struct oci_row *r, json_t *v)
{
        size_t i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, r->json, "expected an array of strings");
        congo_spec_env_exact(o->spec);
        json_array_foreach(v, i, item) {
                char p[64], key[300];
                snprintf(p, sizeof p, "%s[%zu]", r->json, i);
                const char *t = scalar_text(o, p, item, 's', NULL, 0);
                const char *eq = t ? strchr(t, '=') : NULL;
                if (t == NULL || eq == NULL || eq == t || (size_t)(eq - t) >= 256) {
                        rc = t ? fail(o, p, "\"%s\" is not NAME=value", t) : -1;
                        continue;
                }
                snprintf(key, sizeof key, "env.%.*s", (int)(eq - t), t);
                rc |= set_text(o, p, key, eq + 1);
        }
        return rc;
}

static int conv_id(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) >= UINT32_MAX)
                return fail(o, r->json, "expected an integer from 0 to 4294967294");
        *(strstr(r->json, "uid") ? &o->uid : &o->gid) = json_integer_value(v);
        o->have_user = true;
        return 0;
}

/* {type: RLIMIT_NOFILE, soft, hard} -> limits.rlimits.nofile: soft:hard */
static int conv_rlimits(struct oci *o, const struct oci_row *r, json_t *v)
{
        size_t i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, r->json, "expected an array");
        json_array_foreach(v, i, item) {
                char p[64], key[80], text[64];
                json_t *type = json_object_get(item, "type");
                json_t *soft = json_object_get(item, "soft"), *hard = json_object_get(item, "hard");
                snprintf(p, sizeof p, "%s[%zu]", r->json, i);
                if (!json_is_string(type) || strncmp(json_string_value(type), "RLIMIT_", 7) != 0 ||
                    strlen(json_string_value(type)) > 40) {
                        rc = fail(o, p, "type: expected RLIMIT_<NAME>");
                        continue;
                }
                if (!json_is_integer(soft) || !json_is_integer(hard) ||
                    json_integer_value(soft) < 0 || json_integer_value(hard) < 0) {
                        rc = fail(o, p, "soft and hard: expected integers from 0");
                        continue;
                }
                snprintf(key, sizeof key, "limits.rlimits.%s", json_string_value(type) + 7);
                for (char *c = key; *c; c++)
                        *c = (char)tolower((unsigned char)*c);
                snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT ":%" JSON_INTEGER_FORMAT,
                         json_integer_value(soft), json_integer_value(hard));
                rc |= set_text(o, p, key, text);
        }
        return rc;
}

static bool in_set(json_t *set, json_t *item)
{
        size_t i;
        json_t *x;

        json_array_foreach(set, i, x)
                if (json_is_string(x) && json_is_string(item) &&
                    strcasecmp(json_string_value(x), json_string_value(item)) == 0)
                        return true;
        return false;
}

/* The five sets, each to its own key; a set left out is empty, as OCI
 * says.  security.capabilities (the shorthand) is the bounding set, so
 * that the print shows the sets that differ from it.  An ambient
 * capability that is not both permitted and inheritable cannot be raised:
 * crun and runc pass over it (runc with a warning), and bundles rely on
 * that (`crun spec` and `runc spec` write ambient without inheritable),
 * so it is left out and named at -v; a YAML spec that asks for it is
 * refused instead. */
static int conv_caps(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
        json_t *empty = json_array(), *ambient = json_array(), *item;
        size_t i;
        int rc = 0;

        if (!json_is_object(v))
                return json_decref(empty), json_decref(ambient), fail(o, r->json, "expected an object");
        json_t *bounding = json_object_get(v, "bounding");
        rc |= set_string_list(o, r->json, r->key, bounding ? bounding : empty);
        json_array_foreach(json_object_get(v, "ambient"), i, item) {
                if (in_set(json_object_get(v, "permitted"), item) &&
                    in_set(json_object_get(v, "inheritable"), item))
                        json_array_append(ambient, item);
                else
                        congo_info("%s: %s.ambient: %s is not permitted and inheritable; left out, as crun and runc do",
                                   o->file, r->json, json_is_string(item) ? json_string_value(item) : "?");
        }
        for (int k = 0; k < 5; k++) {
                char p[64], key[64];
                json_t *set = json_object_get(v, sets[k]);
                snprintf(p, sizeof p, "%s.%s", r->json, sets[k]);
                snprintf(key, sizeof key, "security.capabilities_%s", sets[k]);
                if (set != NULL && !json_is_null(set) && !json_is_array(set)) {
                        rc = fail(o, p, "expected an array of strings");
                        continue;
                }
                if (k == 4)
                        set = ambient;
                rc |= set_string_list(o, p, key, set && !json_is_null(set) ? set : empty);
        }
        json_decref(empty);
        json_decref(ambient);
        return rc;
}

/* An integer as text, in base (8 for a umask: 18 is 022). */
static int conv_int_base(struct oci *o, const struct oci_row *r, json_t *v)
{
        char buf[32];

        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX)
                return fail(o, r->json, "expected an integer from 0");
        snprintf(buf, sizeof buf, "%llo", (unsigned long long)json_integer_value(v));
        return set_text(o, r->json, r->key, buf);
}

/* An array of integers to a list key (additionalGids). */
static int conv_ints(struct oci *o, const struct oci_row *r, json_t *v)
{
        size_t i;
        json_t *item, *texts = json_array();
        int rc = 0;

        if (!json_is_array(v))
                return json_decref(texts), fail(o, r->json, "expected an array of integers");
        json_array_foreach(v, i, item) {
                char p[96], buf[32];
                snprintf(p, sizeof p, "%s[%zu]", r->json, i);
                const char *t = scalar_text(o, p, item, 'i', buf, sizeof buf);
                if (t == NULL)
                        rc = -1;
                else
                        json_array_append_new(texts, json_string(t));
        }
        if (rc == 0)
                rc = set_string_list(o, r->json, r->key, texts);
        json_decref(texts);
        return rc;
}

/* linux.sysctl: {name: value} to sysctl.NAME, refused there by name when
 * not namespaced. */
static int conv_sysctl(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *name;
        json_t *value;
        int rc = 0;

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object of strings");
        json_object_foreach(v, name, value) {
                char p[300], key[300];
                snprintf(p, sizeof p, "%s.%s", r->json, name);
                snprintf(key, sizeof key, "sysctl.%s", name);
                const char *t = scalar_text(o, p, value, 's', NULL, 0);
                if (t == NULL || name[0] == '\0' || strlen(name) > 250)
                        rc = t ? fail(o, p, "not a sysctl name") : -1;
                else
                        rc |= set_text(o, p, key, t);
        }
        return rc;
}

/* linux.personality: {domain: LINUX|LINUX32, flags}; no flag is defined. */
static int conv_personality(struct oci *o, const struct oci_row *r, json_t *v)
{
        char p[64];

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object");
        snprintf(p, sizeof p, "%s.flags", r->json);
        if (!is_empty(json_object_get(v, "flags")))
                return fail(o, p, "not supported (no flag is defined)");
        snprintf(p, sizeof p, "%s.domain", r->json);
        json_t *domain = json_object_get(v, "domain");
        if (!json_is_string(domain))
                return fail(o, p, "expected LINUX or LINUX32");
        return set_text(o, p, r->key, json_string_value(domain));
}

/* linux.timeOffsets: {monotonic: {secs, nanosecs}, boottime: ...} to
 * time_offsets.CLOCK as signed decimal seconds. */
static int conv_time_offsets(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *clock;
        json_t *off;
        int rc = 0;

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object");
        json_object_foreach(v, clock, off) {
                char p[128], key[64], text[64];
                snprintf(p, sizeof p, "%s.%s", r->json, clock);
                if (strcmp(clock, "monotonic") != 0 && strcmp(clock, "boottime") != 0) {
                        rc = fail(o, p, "not a clock of the time namespace (monotonic, boottime)");
                        continue;
                }
                json_t *secs = json_object_get(off, "secs"), *ns = json_object_get(off, "nanosecs");
                json_int_t sv = json_is_integer(secs) ? json_integer_value(secs) : 0;
                json_int_t nv = json_is_integer(ns) ? json_integer_value(ns) : 0;
                if (!json_is_object(off) || (secs && !json_is_integer(secs)) || (ns && !json_is_integer(ns)) ||
                    nv < 0 || nv > 999999999 || sv > INT64_MAX / 4 || sv < -(INT64_MAX / 4)) {
                        rc = fail(o, p, "expected {secs: integer, nanosecs: 0 to 999999999}");
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
                rc |= set_text(o, p, key, text);
        }
        return rc;
}

static int conv_namespaces(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const names[][2] = {
                { "pid", "pid" }, { "network", "net" }, { "mount", "mount" }, { "ipc", "ipc" },
                { "uts", "uts" }, { "user", "user" }, { "cgroup", "cgroup" }, { "time", "time" },
        };
        json_t *list = json_array(), *item;
        size_t i;
        int rc = 0;

        if (!json_is_array(v))
                return json_decref(list), fail(o, r->json, "expected an array");
        json_array_foreach(v, i, item) {
                char p[64];
                json_t *type = json_object_get(item, "type");
                const char *mapped = NULL;
                snprintf(p, sizeof p, "%s[%zu]", r->json, i);
                for (size_t n = 0; json_is_string(type) && n < 8; n++)
                        if (strcmp(json_string_value(type), names[n][0]) == 0)
                                mapped = names[n][1];
                if (mapped == NULL)
                        rc = fail(o, p, "type: expected pid, network, mount, ipc, uts, user, cgroup or time");
                else {
                        json_t *path = json_object_get(item, "path");
                        char pp[80], key[40];
                        json_array_append_new(list, json_string(mapped));
                        if (is_empty(path))
                                continue;
                        /* Joined, not made: namespace_paths.NAME. */
                        snprintf(pp, sizeof pp, "%s.path", p);
                        snprintf(key, sizeof key, "namespace_paths.%s", mapped);
                        const char *t = scalar_text(o, pp, path, 's', NULL, 0);
                        rc |= t ? set_text(o, pp, key, t) : -1;
                }
        }
        if (rc == 0)
                rc = set_string_list(o, r->json, r->key, list);
        json_decref(list);
        return rc;
}

/* {height, width} -> terminal_size "HEIGHTxWIDTH"; ignored without
 * process.terminal, as the spec says. */
static int conv_console_size(struct oci *o, const struct oci_row *r, json_t *v)
{
        json_t *h = json_object_get(v, "height"), *w = json_object_get(v, "width");
        char text[48];

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object");
        if (!json_is_true(get_path(o->root, "process.terminal"))) {
                congo_info("%s: %s: process.terminal is not true; ignored", o->file, r->json);
                return 0;
        }
        if (!json_is_integer(h) || !json_is_integer(w) || json_integer_value(h) < 1 ||
            json_integer_value(w) < 1 || json_integer_value(h) > 65535 || json_integer_value(w) > 65535)
                return fail(o, r->json, "height and width: expected integers from 1 to 65535");
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT "x%" JSON_INTEGER_FORMAT,
                 json_integer_value(h), json_integer_value(w));
        return set_text(o, r->json, r->key, text);
}

/* {class: IOPRIO_CLASS_BE, priority: 4} -> io_priority "be 4" */
static int conv_io_priority(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const classes[][2] = {
                { "IOPRIO_CLASS_RT", "rt" }, { "IOPRIO_CLASS_BE", "be" }, { "IOPRIO_CLASS_IDLE", "idle" },
        };
        json_t *c = json_object_get(v, "class"), *p = json_object_get(v, "priority");
        char text[32];

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object");
        if (p != NULL && (!json_is_integer(p) || json_integer_value(p) < 0 || json_integer_value(p) > 7))
                return fail(o, r->json, "priority: expected an integer from 0 to 7");
        for (int i = 0; json_is_string(c) && i < 3; i++)
                if (strcmp(json_string_value(c), classes[i][0]) == 0) {
                        snprintf(text, sizeof text, "%s %d", classes[i][1],
                                 p ? (int)json_integer_value(p) : 0);
                        return set_text(o, r->json, r->key, text);
                }
        return fail(o, r->json, "class: expected IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE");
}

/* [{containerID, hostID, size}] -> "inside outside count, ..." */
static int conv_idmap(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const fields[] = { "containerID", "hostID", "size" };
        char text[8192] = "";
        size_t i, used = 0;
        json_t *item;

        if (!json_is_array(v))
                return fail(o, r->json, "expected an array");
        json_array_foreach(v, i, item) {
                for (int f = 0; f < 3; f++) {
                        json_t *n = json_object_get(item, fields[f]);
                        if (!json_is_integer(n) || json_integer_value(n) < 0 ||
                            json_integer_value(n) > UINT32_MAX)
                                return fail(o, r->json, "[%zu].%s: expected an integer from 0 to 4294967295",
                                            i, fields[f]);
                        int w = snprintf(text + used, sizeof text - used, "%s%" JSON_INTEGER_FORMAT,
                                         f ? " " : i ? ", " : "", json_integer_value(n));
                        if (w < 0 || (size_t)w >= sizeof text - used)
                                return fail(o, r->json, "too many ranges");
                        used += (size_t)w;
                }
        }
        return set_text(o, r->json, r->key, text);
}

/* pids.limit: -1 (or 0, as runc reads it) is no limit; memory.limit: -1 none. */
static int conv_limit(struct oci *o, const struct oci_row *r, json_t *v)
{
        char buf[32];

        if (!json_is_integer(v))
                return fail(o, r->json, "expected an integer");
        json_int_t n = json_integer_value(v);
        bool pids = strcmp(r->key, "limits.pids") == 0;
        if (n == -1 || (pids && n == 0))
                return pids ? set_text(o, r->json, r->key, "max") : 0;
        if (n < 0)
                return fail(o, r->json, "%" JSON_INTEGER_FORMAT " is negative (-1 means no limit)", n);
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, n);
        return set_text(o, r->json, r->key, buf);
}

/* memory.swap: memory and swap together, as congo's memory_swap; -1: no
 * limit on swap. */
static int conv_swap(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (json_is_integer(v) && json_integer_value(v) == -1)
                return set_text(o, r->json, r->key, "unlimited");
        return conv_limit(o, r, v);
}

/* cpu.cpus and cpu.mems: the kernel's list form; "" leaves it inherited. */
static int conv_cpuset(struct oci *o, const struct oci_row *r, json_t *v)
{
        char buf[8];
        const char *t = scalar_text(o, r->json, v, 's', buf, sizeof buf);

        if (t == NULL || t[0] == '\0')
                return t ? 0 : -1;
        return set_text(o, r->json, r->key, t);
}

/* hugepageLimits: [{pageSize: "2MB", limit: N}] to limits.hugepages.2MB. */
static int conv_hugepages(struct oci *o, const struct oci_row *r, json_t *v)
{
        size_t i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, r->json, "expected an array");
        json_array_foreach(v, i, item) {
                char p[64], key[64], text[32];
                json_t *size = json_object_get(item, "pageSize"), *limit = json_object_get(item, "limit");
                snprintf(p, sizeof p, "%s[%zu]", r->json, i);
                if (!json_is_string(size) || json_string_length(size) == 0 ||
                    json_string_length(size) > 16 || strchr(json_string_value(size), '.')) {
                        rc = fail(o, p, "pageSize: expected a page size such as \"2MB\"");
                        continue;
                }
                if (!json_is_integer(limit) || json_integer_value(limit) < 0) {
                        rc = fail(o, p, "limit: expected an integer from 0");
                        continue;
                }
                snprintf(key, sizeof key, "limits.hugepages.%s", json_string_value(size));
                snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(limit));
                rc |= set_text(o, p, key, text);
        }
        return rc;
}

/* unified: {"memory.high": "400M"} to limits.unified.memory.high. */
static int conv_unified(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *name;
        json_t *value;
        int rc = 0;

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object");
        json_object_foreach(v, name, value) {
                char p[128], key[128], buf[8];
                snprintf(p, sizeof p, "%s.%s", r->json, name);
                const char *t = scalar_text(o, p, value, 's', buf, sizeof buf);
                if (t == NULL) {
                        rc = -1;
                        continue;
                }
                if (snprintf(key, sizeof key, "limits.unified.%s", name) >= (int)sizeof key) {
                        rc = fail(o, p, "the name is too long");
                        continue;
                }
                rc |= set_text(o, p, key, t);
        }
        return rc;
}

bool congo_oci_systemd_cgroup;

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
static int conv_cgroups_path(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (!json_is_string(v))
                return fail(o, r->json, "expected a string");
        const char *p = json_string_value(v);
        if (strchr(p, ':') && congo_oci_systemd_cgroup) {
                char path[1024];
                if (congo_oci_systemd_path(p, path, sizeof path) < 0)
                        return fail(o, r->json, "\"%s\": not slice:prefix:name", p);
                congo_info("%s: \"%s\": no systemd cgroup manager is used; the cgroupfs path %s",
                           r->json, p, path);
                return set_text(o, r->json, r->key, path);
        }
        if (strchr(p, ':'))
                return fail(o, r->json, "\"%s\": the systemd form (slice:prefix:name) is not supported", p);
        while (*p == '/')
                p++;
        return *p ? set_text(o, r->json, r->key, p) : 0;
}

static int conv_devices(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const keys[][2] = {
                { "path", "path" }, { "type", "type" }, { "major", "major" }, { "minor", "minor" },
                { "fileMode", "file_mode" }, { "uid", "uid" }, { "gid", "gid" },
        };
        size_t i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, r->json, "expected an array");
        json_array_foreach(v, i, item) {
                char p[64];
                snprintf(p, sizeof p, "%s[%zu]", r->json, i);
                struct congo_pos pos = at(o, p);
                struct congo_device *dev = congo_spec_add_device(o->spec, &pos, o->d);
                if (dev == NULL || !json_is_object(item))
                        return dev ? fail(o, p, "expected an object") : (o->problems++, -1);
                for (int k = 0; k < 7; k++) {
                        json_t *f = json_object_get(item, keys[k][0]);
                        char buf[32], fp[96];
                        if (f == NULL)
                                continue;
                        snprintf(fp, sizeof fp, "%s.%s", p, keys[k][0]);
                        const char *t = scalar_text(o, fp, f, k < 2 ? 's' : 'i', buf, sizeof buf);
                        if (t && k == 4)   /* JSON has no octal: 438 is 0666 */
                                snprintf(buf, sizeof buf, "0%llo",
                                         (unsigned long long)json_integer_value(f));
                        struct congo_scalar s = { .text = t, .pos = at(o, fp), .in_file = true };
                        if (t == NULL || congo_spec_set_device(o->spec, dev, keys[k][1], &s, o->d) < 0)
                                rc = -1, o->problems += t != NULL;
                }
        }
        return rc;
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

/* resources.devices: congo's cgroup allows its own /dev nodes and
 * linux.devices, and denies the rest.  A list that denies all and then
 * allows devices among those says no more than that: accepted (the
 * cgroup allows them rwm).  A rule that allows a device outside that set,
 * or any device, or denies only some, is refused by its index: congo's
 * allowlist cannot say it. */
static int conv_device_rules(struct oci *o, const struct oci_row *r, json_t *v)
{
        size_t i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, r->json, "expected an array");
        json_array_foreach(v, i, item) {
                json_t *type = json_object_get(item, "type"), *access = json_object_get(item, "access");
                const char *t = json_is_string(type) ? json_string_value(type) : type ? NULL : "a";
                int64_t major, minor;
                if (!json_is_object(item) || !json_is_boolean(json_object_get(item, "allow")) || t == NULL ||
                    strlen(t) != 1 || !strchr("abc", t[0]) ||
                    !rule_number(json_object_get(item, "major"), &major) ||
                    !rule_number(json_object_get(item, "minor"), &minor) ||
                    (access && (!json_is_string(access) || json_string_length(access) == 0 ||
                                strspn(json_string_value(access), "rwm") != json_string_length(access)))) {
                        rc = fail(o, r->json, "[%zu]: expected {allow: BOOL, type: a|b|c, major, minor, access: of rwm}", i);
                        continue;
                }
                bool all = t[0] == 'a' || (major < 0 && minor < 0);
                if (json_is_false(json_object_get(item, "allow"))) {
                        if (!all)
                                rc = fail(o, r->json, "[%zu]: denies only some devices: not supported (congo denies every device it does not allow)", i);
                        continue;
                }
                char what[64] = "every device", mn[24] = "*";
                if (minor >= 0)
                        snprintf(mn, sizeof mn, "%" PRId64, minor);
                if (t[0] != 'a' && major >= 0)
                        snprintf(what, sizeof what, "%c %" PRId64 ":%s", t[0], major, mn);
                else if (t[0] != 'a')
                        snprintf(what, sizeof what, "%c *:%s", t[0], mn);
                if (t[0] == 'a' || major < 0)
                        rc = fail(o, r->json, "[%zu]: allows %s: not supported (congo allows its own /dev and linux.devices only)",
                                  i, what);
                else if (!congo_spec_device_allowed(o->spec, t[0], major, minor))
                        rc = fail(o, r->json, "[%zu]: allows %s, which congo's device cgroup does not (list it in linux.devices)",
                                  i, what);
                else
                        congo_info("%s: %s[%zu]: %s is allowed already", o->file, r->json, i, what);
        }
        return rc;
}

static int conv_annotations(struct oci *o, const struct oci_row *r, json_t *v)
{
        const char *name;
        json_t *value;
        int rc = 0;

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object of strings");
        json_object_foreach(v, name, value) {
                /* Names of any length: a truncated one would collide. */
                char *p = NULL, *key = NULL;
                if (asprintf(&p, "%s.%s", r->json, name) < 0 || asprintf(&key, "%s.%s", r->key, name) < 0) {
                        free(p);
                        return fail(o, r->json, "out of memory");
                }
                const char *t = name[0] ? scalar_text(o, p, value, 's', NULL, 0) : NULL;
                if (name[0] == '\0')
                        rc = fail(o, r->json, "an empty name");
                else if (t == NULL)
                        rc = -1;
                else
                        rc |= set_text(o, p, key, t);
                free(p);
                free(key);
        }
        return rc;
}

/* hooks: each kind's array of {path, args, env, timeout} to hooks.KIND
 * through the same setters as YAML's.  A kind or a property of a hook
 * that the specification does not define is ignored (Extensibility),
 * named at -v. */
static int hook_strings(struct oci *o, struct congo_hook *h, const char *json,
                        const char *key, json_t *v)
{
        size_t n = json_array_size(v), i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, json, "expected an array of strings");
        struct congo_scalar *items = calloc(n + 1, sizeof *items);
        if (items == NULL)
                return fail(o, json, "out of memory");
        struct congo_pos pos = at(o, json);
        json_array_foreach(v, i, item) {
                char p[440];
                snprintf(p, sizeof p, "%s[%zu]", json, i);
                const char *t = scalar_text(o, p, item, 's', NULL, 0);
                if (t == NULL)
                        rc = -1;
                items[i] = (struct congo_scalar){ .text = t ? t : "", .pos = pos, .in_file = true };
        }
        if (rc == 0 && congo_spec_set_hook_list(o->spec, h, key, items, n, &pos, o->d) < 0)
                rc = -1, o->problems++;
        free(items);
        return rc;
}

static int hook_fields(struct oci *o, struct congo_hook *h, const char *json, json_t *item)
{
        const char *name;
        json_t *v;
        int rc = 0;

        json_object_foreach(item, name, v) {
                char p[400], buf[32];
                if (snprintf(p, sizeof p, "%s.%s", json, name) >= (int)sizeof p)
                        continue;   /* a name this long is none the spec defines */
                if (json_is_null(v))
                        continue;
                if (strcmp(name, "args") == 0 || strcmp(name, "env") == 0) {
                        rc |= hook_strings(o, h, p, name, v);
                } else if (strcmp(name, "path") == 0 || strcmp(name, "timeout") == 0) {
                        const char *t = scalar_text(o, p, v, name[0] == 'p' ? 's' : 'i', buf, sizeof buf);
                        struct congo_scalar s = { .text = t, .pos = at(o, p), .in_file = true };
                        if (t == NULL)
                                rc = -1;
                        else if (congo_spec_set_hook(o->spec, h, name, &s, o->d) < 0)
                                rc = -1, o->problems++;
                } else {
                        congo_info("%s: %s: not defined by the runtime specification: ignored", o->file, p);
                }
        }
        return rc;
}

static int conv_hooks(struct oci *o, const struct oci_row *r, json_t *v)
{
        static const char *const kinds[][2] = {
                { "prestart", "hooks.prestart" }, { "createRuntime", "hooks.create_runtime" },
                { "createContainer", "hooks.create_container" },
                { "startContainer", "hooks.start_container" },
                { "poststart", "hooks.poststart" }, { "poststop", "hooks.poststop" },
        };
        const char *name;
        json_t *list;
        int rc = 0;

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object");
        json_object_foreach(v, name, list) {
                char p[300];
                size_t k = 0, i;
                json_t *item;

                snprintf(p, sizeof p, "%s.%s", r->json, name);
                while (k < 6 && strcmp(name, kinds[k][0]) != 0)
                        k++;
                if (k == 6) {
                        congo_info("%s: %s: not defined by the runtime specification: ignored", o->file, p);
                        continue;
                }
                if (json_is_null(list))
                        continue;
                if (!json_is_array(list)) {
                        rc = fail(o, p, "expected an array");
                        continue;
                }
                json_array_foreach(list, i, item) {
                        char hp[340];
                        snprintf(hp, sizeof hp, "%s[%zu]", p, i);
                        struct congo_pos pos = at(o, hp);
                        if (!json_is_object(item)) {
                                rc = fail(o, hp, "expected an object");
                                continue;
                        }
                        struct congo_hook *h = congo_spec_add_hook(o->spec, kinds[k][1], &pos, o->d);
                        if (h == NULL) {
                                o->problems++;
                                rc = -1;
                                break;
                        }
                        rc |= hook_fields(o, h, hp, item);
                }
        }
        return rc;
}

static int conv_seccomp(struct oci *o, const struct oci_row *r, json_t *v)
{
        struct congo_pos pos = at(o, r->json);

        if (!json_is_object(v))
                return fail(o, r->json, "expected an object");
        return congo_spec_set_seccomp_object(o->spec, v, "linux.seccomp", &pos, o->d);
}

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

        if (is_empty(um) && is_empty(gm))
                return 0;
        if (!json_equal(um, json_object_get(linux_, "uidMappings")) ||
            !json_equal(gm, json_object_get(linux_, "gidMappings")))
                return fail(o, p, "uidMappings/gidMappings: only the container's own (linux.uidMappings, "
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
                return fail(o, p, "destination: expected a string");
        if (opts != NULL && !json_is_array(opts))
                return fail(o, p, "options: expected an array of strings");
        if (mount_idmap(o, p, item, &idmap) < 0)
                return -1;
        json_array_foreach(opts, i, opt) {
                const char *ot = json_is_string(opt) ? json_string_value(opt) : NULL;
                if (ot == NULL)
                        return fail(o, p, "options: expected an array of strings");
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
                return fail(o, p, "type: expected a filesystem type (or a bind or rbind option)");
        struct congo_pos pos = at(o, p);
        struct congo_mount *m = congo_spec_add_mount(o->spec, &pos);
        if (m == NULL)
                return fail(o, p, "out of memory");
        struct congo_scalar s = { .text = bind ? "bind" : t, .pos = pos, .in_file = true };
        int rc = congo_spec_set_mount(o->spec, m, "type", &s, o->d);
        s.text = json_string_value(dest);
        rc |= congo_spec_set_mount(o->spec, m, "target", &s, o->d);
        if (bind && !json_is_string(source))
                return fail(o, p, "source: expected a string");
        if (json_is_string(source) && json_string_length(source) > 0) {
                s.text = json_string_value(source);
                rc |= congo_spec_set_mount(o->spec, m, "source", &s, o->d);
        }
        /* OCI's bind is not recursive unless rbind says so; congo's is. */
        size_t n = json_array_size(opts), k = 0;
        struct congo_scalar *items = calloc(n + 2, sizeof *items);
        if (items == NULL)
                return fail(o, p, "out of memory");
        if (bind && !rbind)
                items[k++] = (struct congo_scalar){ .text = "bind", .pos = pos, .in_file = true };
        if (idmap)
                items[k++] = (struct congo_scalar){ .text = "idmap", .pos = pos, .in_file = true };
        json_array_foreach(opts, i, opt) {
                const char *ot = congo_option(json_string_value(opt));
                bool dup = (!strcmp(ot, "bind") && bind && !rbind) || (!strcmp(ot, "idmap") && idmap);
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

static int conv_mounts(struct oci *o, const struct oci_row *r, json_t *v)
{
        size_t i;
        json_t *item;
        int rc = 0;

        if (!json_is_array(v))
                return fail(o, r->json, "expected an array");
        json_array_foreach(v, i, item) {
                char p[64];
                snprintf(p, sizeof p, "%s[%zu]", r->json, i);
                rc |= json_is_object(item) ? conv_mount(o, p, item) : fail(o, p, "expected an object");
        }
        return rc;
}

/* ---- the table ----------------------------------------------------------- */

/* MAP: a scalar of JSON type t ('s', 'i', 'b') as text to congo key k;
 * CONV: through converter f; ..._OR: with OCI's meaning of leaving it out. */
#define MAP(j, k, t)          { .json = j, .key = k, .type = t }
#define MAP_OR(j, k, t, a)    { .json = j, .key = k, .type = t, .absent = a }
#define CONV(j, k, f)         { .json = j, .key = k, .conv = f }
#define CONV_OR(j, k, f, a)   { .json = j, .key = k, .conv = f, .absent = a }
#define REFUSE(j, w)          { .json = j, .conv = refuse, .why = w }
#define NOTE(j, w)            { .json = j, .conv = note, .why = w }
#define LSM(j)                { .json = j, .conv = lsm }
#define NOT_YET "not supported yet"

static const struct oci_row rows[] = {
        CONV("ociVersion", "version", conv_version),
        MAP("root.path", "rootfs", 's'),
        MAP("root.readonly", "readonly_rootfs", 'b'),
        CONV("mounts", "mounts", conv_mounts),
        MAP("hostname", "hostname", 's'),
        MAP("domainname", "domainname", 's'),
        CONV("annotations", "annotations", conv_annotations),
        /* process */
        MAP_OR("process.terminal", "terminal", 'b', "false"),
        CONV("process.args", "command", conv_strings),
        CONV_OR("process.env", "env", conv_env, ""),
        MAP("process.cwd", "cwd", 's'),
        CONV("process.user.uid", "user", conv_id),
        CONV("process.user.gid", "user", conv_id),
        CONV("process.user.umask", "umask", conv_int_base),
        CONV("process.user.additionalGids", "additional_gids", conv_ints),
        NOTE("process.user.username", "a Windows field; ignored"),
        NOTE("process.commandLine", "a Windows field; ignored"),
        CONV("process.rlimits", "limits.rlimits", conv_rlimits),
        MAP_OR("process.noNewPrivileges", "security.no_new_privileges", 'b', "false"),
        CONV_OR("process.capabilities", "security.capabilities", conv_caps, ""),
        LSM("process.apparmorProfile"),
        LSM("process.selinuxLabel"),
        CONV("process.consoleSize", "terminal_size", conv_console_size),
        MAP("process.oomScoreAdj", "oom_score_adj", 'i'),
        REFUSE("process.scheduler", NOT_YET),
        CONV("process.ioPriority", "io_priority", conv_io_priority),
        REFUSE("process.execCPUAffinity", NOT_YET),
        /* hooks */
        CONV("hooks", "hooks", conv_hooks),
        /* linux */
        CONV_OR("linux.namespaces", "namespaces", conv_namespaces, ""),
        CONV("linux.uidMappings", "uid_map", conv_idmap),
        CONV("linux.gidMappings", "gid_map", conv_idmap),
        CONV("linux.timeOffsets", "time_offsets", conv_time_offsets),
        CONV("linux.devices", "devices", conv_devices),
        CONV("linux.cgroupsPath", "cgroup_parent", conv_cgroups_path),
        CONV("linux.resources.devices", NULL, conv_device_rules),
        CONV("linux.resources.memory.limit", "limits.memory", conv_limit),
        CONV("linux.resources.memory.reservation", "limits.memory_reservation", conv_limit),
        CONV("linux.resources.memory.swap", "limits.memory_swap", conv_swap),
        REFUSE("linux.resources.memory.kernel", NOT_YET),
        REFUSE("linux.resources.memory.kernelTCP", NOT_YET),
        CONV("linux.resources.memory.swappiness", "limits.memory_swappiness", conv_limit),
        MAP("linux.resources.memory.disableOOMKiller", "limits.disable_oom_killer", 'b'),
        REFUSE("linux.resources.memory.useHierarchy", NOT_YET),
        REFUSE("linux.resources.memory.checkBeforeUpdate", NOT_YET),
        MAP("linux.resources.cpu.shares", "limits.cpu_shares", 'i'),
        CONV("linux.resources.cpu.quota", "limits.cpu_quota", conv_limit),
        CONV("linux.resources.cpu.period", "limits.cpu_period", conv_limit),
        REFUSE("linux.resources.cpu.burst", NOT_YET),
        CONV("linux.resources.cpu.realtimeRuntime", "limits.cpu_rt_runtime", conv_limit),
        CONV("linux.resources.cpu.realtimePeriod", "limits.cpu_rt_period", conv_limit),
        CONV("linux.resources.cpu.cpus", "limits.cpuset_cpus", conv_cpuset),
        CONV("linux.resources.cpu.mems", "limits.cpuset_mems", conv_cpuset),
        REFUSE("linux.resources.cpu.idle", NOT_YET),
        CONV("linux.resources.pids.limit", "limits.pids", conv_limit),
        MAP("linux.resources.blockIO.weight", "limits.blkio_weight", 'i'),
        REFUSE("linux.resources.blockIO.leafWeight", NOT_YET),
        REFUSE("linux.resources.blockIO.weightDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleReadBpsDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleWriteBpsDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleReadIOPSDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleWriteIOPSDevice", NOT_YET),
        CONV("linux.resources.hugepageLimits", NULL, conv_hugepages),
        REFUSE("linux.resources.network", NOT_YET),
        REFUSE("linux.resources.rdma", NOT_YET),
        CONV("linux.resources.unified", NULL, conv_unified),
        REFUSE("linux.intelRdt", "not supported"),
        CONV("linux.sysctl", "sysctl", conv_sysctl),
        CONV_OR("linux.seccomp", "security.seccomp", conv_seccomp, "unconfined"),
        MAP("linux.rootfsPropagation", "rootfs_propagation", 's'),
        CONV("linux.maskedPaths", "masked_paths", conv_strings),
        CONV("linux.readonlyPaths", "readonly_paths", conv_strings),
        LSM("linux.mountLabel"),
        CONV("linux.personality", "personality", conv_personality),
        REFUSE("linux.memoryPolicy", NOT_YET),
        REFUSE("linux.netDevices", NOT_YET),
};
#define N_ROWS (sizeof rows / sizeof rows[0])

/* ---- the walk ------------------------------------------------------------ */

static void apply_row(struct oci *o, const struct oci_row *r)
{
        json_t *v = get_path(o->root, r->json);
        char buf[32];

        if ((v == NULL || json_is_null(v)) && r->absent != NULL) {
                struct congo_pos pos = at(o, r->json);
                if (congo_spec_key_kind(r->key) == CONGO_KIND_LIST)
                        o->problems += congo_spec_set_list(o->spec, r->key, NULL, 0, &pos, o->d) < 0;
                else if (strcmp(r->key, "env") == 0)
                        congo_spec_env_exact(o->spec);
                else
                        set_text(o, r->json, r->key, r->absent);
                return;
        }
        if (v == NULL || json_is_null(v))
                return;
        if (r->conv != NULL) {
                r->conv(o, r, v);
                return;
        }
        const char *t = scalar_text(o, r->json, v, r->type, buf, sizeof buf);
        if (t != NULL)
                set_text(o, r->json, r->key, t);
}

/* A user namespace with one map: congo's default for the other maps the
 * launching user, so run by root the container's root group (or user)
 * would be the host's.  runc refuses it; so does this front end (a YAML
 * spec keeps congo's documented default).  A joined one takes no maps at
 * all (spec_ns_paths.c says so). */
static void half_idmap(struct oci *o)
{
        json_t *ns, *uids = get_path(o->root, "linux.uidMappings");
        json_t *gids = get_path(o->root, "linux.gidMappings");
        size_t i;
        bool user = false;

        json_array_foreach(get_path(o->root, "linux.namespaces"), i, ns)
                user |= json_is_string(json_object_get(ns, "type")) &&
                        !strcmp(json_string_value(json_object_get(ns, "type")), "user") &&
                        json_object_get(ns, "path") == NULL;   /* joined: maps refused */
        if (user && is_empty(uids) != is_empty(gids))
                fail(o, is_empty(uids) ? "linux.gidMappings" : "linux.uidMappings",
                     "given without %s; give both (else congo maps the launching user, root on the host, for the other)",
                     is_empty(uids) ? "linux.uidMappings" : "linux.gidMappings");
}

/* Values two rows make together. */
static void combine(struct oci *o)
{
        char buf[64];

        half_idmap(o);

        if (o->have_user) {
                snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT ":%" JSON_INTEGER_FORMAT,
                         o->uid, o->gid);
                set_text(o, "process.user", "user", buf);
        }
}

/* A bundle's name is its directory's (congo's default is the file's:
 * "config"), when that is a valid name. */
static void bundle_name(struct oci *o)
{
        const char *dir = o->spec->dir, *base = dir ? strrchr(dir, '/') : NULL;
        const char *file = strrchr(o->file, '/');

        if (base == NULL || strcmp(file ? file + 1 : o->file, "config.json") != 0)
                return;
        base++;
        size_t len = strlen(base);
        if (len == 0 || len > CONGO_NAME_MAX || !strcmp(base, ".") || !strcmp(base, "..") ||
            strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != len)
                return;
        struct congo_scalar s = { .text = base, .pos = { o->file, 0, 0 }, .in_file = true };
        congo_spec_set(o->spec, "name", &s, o->d);
}

/* Names properties the spec does not define (-v), and objects where the
 * spec wants an object but got something else. */
static void walk_unknown(struct oci *o, json_t *obj, const char *prefix)
{
        const char *name;
        json_t *v;

        json_object_foreach(obj, name, v) {
                char path[256];
                bool exact = false, parent = false;
                snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", name);
                size_t len = strlen(path);
                for (size_t i = 0; i < N_ROWS; i++) {
                        exact |= strcmp(rows[i].json, path) == 0;
                        parent |= strncmp(rows[i].json, path, len) == 0 && rows[i].json[len] == '.';
                }
                if (exact)
                        continue;
                if (!parent)
                        congo_info("%s: %s: not in the OCI runtime spec; ignored", o->file, path);
                else if (json_is_object(v))
                        walk_unknown(o, v, path);
                else if (!json_is_null(v))
                        fail(o, path, "expected an object");
        }
}

int congo_parse_oci(struct congo_spec *spec, const char *buf, size_t len,
                    struct congo_diag *d)
{
        json_error_t jerr;
        struct oci o = { .spec = spec, .d = d, .file = spec->file ? spec->file : "config.json" };
        int before = d->count;

        o.root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
        if (o.root == NULL) {
                congo_diag_report(d, &(struct congo_pos){ o.file, jerr.line > 0 ? jerr.line : 0,
                                                         jerr.column > 0 ? jerr.column : 0 },
                                  "%s", jerr.text);
                return d->count - before;
        }
        if (!json_is_object(o.root)) {
                congo_diag_report(d, &(struct congo_pos){ o.file, 0, 0 },
                                  "the document is not a JSON object");
                json_decref(o.root);
                return d->count - before;
        }
        if (json_object_get(o.root, "ociVersion") == NULL) {
                fail(&o, "ociVersion", "required key is missing");
                set_text(&o, "ociVersion", "version", "1");   /* said once, above */
        }
        walk_unknown(&o, o.root, "");
        for (size_t i = 0; i < N_ROWS; i++)
                apply_row(&o, &rows[i]);
        combine(&o);
        bundle_name(&o);
        json_decref(o.root);
        return d->count - before;
}
