/* spec_print.c - a finished spec as canonical YAML.
 *
 * Canonical means: every key in the key table's order (a group's keys
 * too: limits.*, security.*), defaults spelled out,
 * strings double-quoted, sizes and durations in their largest exact unit.
 * Parsing the output gives the same struct, so printing it again gives the
 * same text.
 */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "spec_internal.h"

/* The code point at p if it is one YAML may not hold as it is or reads as
 * a line break (C1, NEL included; U+2028, U+2029; BOM; U+FFFE, U+FFFF),
 * else 0. */
static unsigned yaml_unsafe_cp(const unsigned char *p, const unsigned char *end)
{
        if (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f)
                return p[1];
        if (*p == 0xe2 && p + 2 < end && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
                return 0x2000 | (p[2] & 0x3fu);
        if (*p == 0xef && p + 2 < end && ((p[1] == 0xbb && p[2] == 0xbf) || (p[1] == 0xbf && p[2] >= 0xbe)))
                return 0xf000 | ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3fu);
        return 0;
}

static void put_str(FILE *out, const char *s)
{
        const unsigned char *end = (const unsigned char *)s + strlen(s);

        fputc('"', out);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                unsigned cp = yaml_unsafe_cp(p, end);
                if (cp) {
                        fprintf(out, "\\u%04X", cp);
                        p += cp > 0xff ? 2 : 1;
                } else if (*p == '"' || *p == '\\')
                        fprintf(out, "\\%c", *p);
                else if (*p == '\n')
                        fputs("\\n", out);
                else if (*p == '\t')
                        fputs("\\t", out);
                else if (*p < 0x20 || *p == 0x7f)
                        fprintf(out, "\\x%02x", *p);
                else
                        fputc(*p, out);
        }
        fputc('"', out);
}

/* For the other files of the spec model that print (spec_resources.c). */
void congo_spec_put_str(FILE *out, const char *s)
{
        put_str(out, s);
}

/* One member of a map of strings: `  "name": "value"`. */
void congo_spec_put_pair(FILE *out, const char *name, const char *value)
{
        fputs("  ", out);
        put_str(out, name);
        fputs(": ", out);
        put_str(out, value);
        fputc('\n', out);
}

static void put_strv(FILE *out, char *const *v)
{
        fputc('[', out);
        for (size_t i = 0; v && v[i]; i++) {
                if (i)
                        fputs(", ", out);
                put_str(out, v[i]);
        }
        fputc(']', out);
}

/* bytes in the largest unit that divides it: 512M, 1G, 4097. */
void congo_spec_put_size(FILE *out, uint64_t bytes)
{
        static const char units[] = "KMGT";
        int u = -1;

        while (u < 3 && bytes >= 1024 && bytes % 1024 == 0) {
                bytes /= 1024;
                u++;
        }
        fprintf(out, "%" PRIu64, bytes);
        if (u >= 0)
                fputc(units[u], out);
}

static void put_duration(FILE *out, uint64_t ms)
{
        if (ms % 3600000 == 0)
                fprintf(out, "%" PRIu64 "h", ms / 3600000);
        else if (ms % 60000 == 0)
                fprintf(out, "%" PRIu64 "m", ms / 60000);
        else if (ms % 1000 == 0)
                fprintf(out, "%" PRIu64 "s", ms / 1000);
        else
                fprintf(out, "%" PRIu64 "ms", ms);
}

static void put_idmap(FILE *out, const char *key, const struct congo_idmap *m, size_t n)
{
        fprintf(out, "%s: \"", key);
        for (size_t i = 0; i < n; i++)
                fprintf(out, "%s%" PRIu32 " %" PRIu32 " %" PRIu32, i ? ", " : "",
                        m[i].inside, m[i].outside, m[i].count);
        fputs("\"\n", out);
}

static void put_rlim(FILE *out, uint64_t v)
{
        if (v == RLIM_INFINITY)
                fputs("unlimited", out);
        else
                fprintf(out, "%" PRIu64, v);
}

/* The limits.* keys whose value is not one field printed by its type. */
static void put_pids(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        (void)k;
        if (s->limits.pids < 0)
                fputs("  pids: max\n", out);
        else if (s->limits.pids)
                fprintf(out, "  pids: %" PRId64 "\n", s->limits.pids);
}

static void put_cpus(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        uint64_t q = s->limits.cpus_e5, frac = q % CONGO_CPU_PERIOD_US;

        (void)k;
        if (q == 0)
                return;
        fprintf(out, "  cpus: %" PRIu64, q / CONGO_CPU_PERIOD_US);
        if (frac) {
                char digits[8];
                snprintf(digits, sizeof digits, "%05" PRIu64, frac);
                for (int i = 4; i > 0 && digits[i] == '0'; i--)
                        digits[i] = '\0';
                fprintf(out, ".%s", digits);
        }
        fputc('\n', out);
}

static void put_rlimits(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        (void)k;
        if (s->limits.n_rlimits)
                fputs("  rlimits:\n", out);
        for (size_t i = 0; i < s->limits.n_rlimits; i++) {
                const struct congo_rlimit *r = &s->limits.rlimits[i];
                fprintf(out, "    %s: \"", congo_rlimit_name(r->resource));
                put_rlim(out, r->soft);
                if (r->hard != r->soft) {
                        fputc(':', out);
                        put_rlim(out, r->hard);
                }
                fputs("\"\n", out);
        }
}

static void put_mounts(FILE *out, const struct congo_spec *s)
{
        if (s->n_mounts == 0) {
                fputs("mounts: []\n", out);
                return;
        }
        fputs("mounts:\n", out);
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                fputs("  - {type: ", out);
                put_str(out, m->fstype);
                if (m->source) {
                        fputs(", source: ", out);
                        put_str(out, m->source);
                }
                fputs(", target: ", out);
                put_str(out, m->target);
                fputs(", options: ", out);
                put_strv(out, m->options);
                fputs("}\n", out);
        }
}

static void put_version(FILE *out, const struct congo_spec *s)
{
        (void)s;
        fprintf(out, "version: %d\n", CONGO_SPEC_VERSION);
}

static void put_rootfs_propagation(FILE *out, const struct congo_spec *s)
{
        if (s->rootfs_propagation)
                fprintf(out, "rootfs_propagation: %s\n", congo_propagation_name(s->rootfs_propagation));
}

static void put_user(FILE *out, const struct congo_spec *s)
{
        fprintf(out, "user: \"%" PRIu32 ":%" PRIu32 "\"\n", s->uid, s->gid);
}

static void put_env(FILE *out, const struct congo_spec *s)
{
        fputs(s->n_env ? "env:\n" : "env: {}\n", out);
        for (size_t i = 0; i < s->n_env; i++)
                congo_spec_put_pair(out, s->env[i].name, s->env[i].value);
}

static void put_annotations(FILE *out, const struct congo_spec *s)
{
        for (size_t i = 0; i < s->n_annotations; i++) {
                if (i == 0)
                        fputs("annotations:\n", out);
                congo_spec_put_pair(out, s->annotations[i].name, s->annotations[i].value);
        }
}

static void put_namespaces(FILE *out, const struct congo_spec *s)
{
        fputs("namespaces: [", out);
        for (unsigned b = 1, first = 1; b <= CONGO_NS_TIME; b <<= 1)
                if (s->namespaces & b) {
                        fprintf(out, "%s%s", first ? "" : ", ", congo_ns_name(b));
                        first = 0;
                }
        fputs("]\n", out);
}

/* No map written: the launcher maps its caller (spec_caller.c). */
static void put_uid_map(FILE *out, const struct congo_spec *s)
{
        if ((s->namespaces & CONGO_NS_USER) && s->uid_map != NULL)
                put_idmap(out, "uid_map", s->uid_map, s->n_uid_map);
}

static void put_gid_map(FILE *out, const struct congo_spec *s)
{
        if ((s->namespaces & CONGO_NS_USER) && s->gid_map != NULL)
                put_idmap(out, "gid_map", s->gid_map, s->n_gid_map);
}

static void put_ns_paths(FILE *out, const struct congo_spec *s)
{
        congo_spec_print_ns_paths(s, out);
}

static void put_devices(FILE *out, const struct congo_spec *s)
{
        congo_spec_print_devices(s, out);
}

/* A JSON string as a YAML double-quoted one: what YAML may not hold
 * as it is, or reads as a line break, escaped: C0 and DEL as \xNN; C1
 * (NEL included), U+2028, U+2029, BOM, U+FFFE and U+FFFF as \uNNNN
 * (jansson's strings are valid UTF-8). */
static void put_json_str(FILE *out, const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s, *end = p + len;

        fputc('"', out);
        for (; p < end; p++) {
                unsigned cp = yaml_unsafe_cp(p, end);
                if (cp) {
                        fprintf(out, "\\u%04X", cp);
                        p += cp > 0xff ? 2 : 1;
                } else if (*p == '"' || *p == '\\') {
                        fprintf(out, "\\%c", *p);
                } else if (*p == '\n') {
                        fputs("\\n", out);
                } else if (*p < 0x20 || *p == 0x7f) {
                        fprintf(out, "\\x%02x", *p);
                } else {
                        fputc(*p, out);
                }
        }
        fputc('"', out);
}

/* A JSON value in YAML's flow style, on one line: the YAML front end
 * reads it back into the same JSON (plain numbers, true, false and null
 * keep their JSON types; strings are quoted), keys in their order. */
static void put_json(FILE *out, json_t *j)
{
        const char *key;
        json_t *v;
        size_t i;
        char *real;

        switch (json_typeof(j)) {
        case JSON_OBJECT:
                fputc('{', out);
                i = 0;
                json_object_foreach(j, key, v) {
                        fputs(i++ ? ", " : "", out);
                        put_json_str(out, key, strlen(key));
                        fputs(": ", out);
                        put_json(out, v);
                }
                fputc('}', out);
                break;
        case JSON_ARRAY:
                fputc('[', out);
                json_array_foreach(j, i, v) {
                        fputs(i ? ", " : "", out);
                        put_json(out, v);
                }
                fputc(']', out);
                break;
        case JSON_STRING:
                put_json_str(out, json_string_value(j), json_string_length(j));
                break;
        case JSON_INTEGER:
                fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
                break;
        case JSON_REAL:   /* as JSON writes it, which reads back the same */
                real = json_dumps(j, JSON_ENCODE_ANY);
                fputs(real ? real : "0.0", out);
                free(real);
                break;
        case JSON_TRUE:
                fputs("true", out);
                break;
        case JSON_FALSE:
                fputs("false", out);
                break;
        default:
                fputs("null", out);
                break;
        }
}

/* An inline profile (OCI's linux.seccomp, or one written as a mapping) as
 * one line of YAML flow style, which reads as JSON does: printing the
 * spec it parses to gives the same line. */
static void put_inline_profile(FILE *out, const struct congo_spec *s)
{
        fputs("  seccomp: {profile: ", out);
        if (s->seccomp_json != NULL)
                put_json(out, s->seccomp_json);
        else
                fputs("{}", out);
        fputs("}\n", out);
}

static void put_capabilities(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        (void)k;
        fputs("  capabilities: [", out);
        if (s->security.capabilities == ~UINT64_C(0))
                fputs("ALL", out);
        else for (int c = 0, first = 1; c < 64; c++)
                if (s->security.capabilities & (UINT64_C(1) << c)) {
                        fprintf(out, "%s%s", first ? "" : ", ", congo_cap_name(c));
                        first = 0;
                }
        fputs("]\n", out);
}

static void put_seccomp(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        (void)k;
        if (s->security.seccomp == CONGO_SECCOMP_PROFILE && s->security.seccomp_profile == NULL) {
                put_inline_profile(out, s);
        } else if (s->security.seccomp == CONGO_SECCOMP_PROFILE) {
                fputs("  seccomp: {profile: ", out);
                put_str(out, s->security.seccomp_profile);
                fputs("}\n", out);
        } else {
                fprintf(out, "  seccomp: %s\n",
                        s->security.seccomp == CONGO_SECCOMP_DEFAULT ? "default" : "unconfined");
        }
}

static void put_capset(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        congo_spec_put_capset(out, s, congo_capset_of(k->path));
}

static void put_hooks(FILE *out, const struct congo_spec *s)
{
        congo_spec_print_hooks(s, out, put_str, put_strv);
}

/* Top-level keys printed by a function of their own: their value is not
 * one scalar at an offset.  Every other top-level row with an .offset is
 * printed from the table by its type (put_by_type). */
/* stop_timeout: only when it is not the default. */
static void put_stop_timeout(FILE *out, const struct congo_spec *s)
{
        if (s->stop_timeout_ms == 0 || s->stop_timeout_ms == CONGO_STOP_TIMEOUT_DEFAULT_MS)
                return;
        fputs("stop_timeout: ", out);
        put_duration(out, s->stop_timeout_ms);
        fputc('\n', out);
}

/* include: what it named is merged in; the print is the result. */
static void put_nothing(FILE *out, const struct congo_spec *s)
{
        (void)out;
        (void)s;
}

static const struct {
        const char *path;
        void (*put)(FILE *, const struct congo_spec *);
} custom[] = {
        { "version", put_version }, { "user", put_user }, { "env", put_env },
        { "namespaces", put_namespaces }, { "uid_map", put_uid_map },
        { "gid_map", put_gid_map }, { "mounts", put_mounts }, { "devices", put_devices },
        { "annotations", put_annotations },
        { "rootfs_propagation", put_rootfs_propagation },
        { "include", put_nothing }, { "stop_timeout", put_stop_timeout },
        { "namespace_paths", put_ns_paths },
        /* process and security keys (spec_process.c): each only when it
         * is not the default */
        { "oom_score_adj", congo_spec_put_oom_score_adj }, { "umask", congo_spec_put_umask },
        { "additional_gids", congo_spec_put_additional_gids },
        { "personality", congo_spec_put_personality }, { "sysctl", congo_spec_put_sysctl },
        { "masked_paths", congo_spec_put_masked_paths },
        { "readonly_paths", congo_spec_put_readonly_paths },
        { "time_offsets", congo_spec_put_time_offsets },
        { "hooks", put_hooks },
        { "device_rules", congo_spec_put_device_rules },
};

/* The keys of a group (limits.*, security.*) printed by a function: their
 * value is not one field at .offset.  The others are printed by type. */
static const struct {
        const char *path;
        void (*put)(FILE *, const struct congo_spec *, const struct congo_key_def *);
} custom_in_group[] = {
        { "limits.pids", put_pids }, { "limits.cpus", put_cpus },
        { "limits.rlimits", put_rlimits },
        /* cgroup resources (spec_resources.c) */
        { "limits.cpu_quota", congo_spec_put_resource }, { "limits.cpu_period", congo_spec_put_resource },
        { "limits.cpu_rt_runtime", congo_spec_put_resource },
        { "limits.memory_swap", congo_spec_put_resource },
        { "limits.memory_swappiness", congo_spec_put_resource },
        { "limits.blkio_weight", congo_spec_put_resource },
        { "limits.hugepages", congo_spec_put_resource }, { "limits.unified", congo_spec_put_resource },
        { "security.capabilities", put_capabilities }, { "security.seccomp", put_seccomp },
        { "security.capabilities_bounding", put_capset },
        { "security.capabilities_effective", put_capset },
        { "security.capabilities_permitted", put_capset },
        { "security.capabilities_inheritable", put_capset },
        { "security.capabilities_ambient", put_capset },
};

/* "key: value" for a row whose value is one field at .offset, under its
 * last name, indented: strings and paths (left out while unset),
 * booleans (a CONGO_KF_PRINT_SET one only when true), enums (the field
 * indexes .values), lists of strings, and the uint64_t numbers: uints,
 * sizes and durations, left out while 0 (unset: no such key takes 0).
 * false when the row is not one of those. */
static bool put_by_type(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        const void *field = (const char *)s + k->offset;
        const char *name = strrchr(k->path, '.') ? strrchr(k->path, '.') + 1 : k->path;
        const char *indent = name == k->path ? "" : "  ";
        uint64_t n = 0;

        if (k->offset == 0)
                return false;
        switch (k->type) {
        case CONGO_T_STRING:
        case CONGO_T_PATH:
                if (*(char *const *)field == NULL)
                        return true;
                fprintf(out, "%s%s: ", indent, name);
                put_str(out, *(char *const *)field);
                fputc('\n', out);
                return true;
        case CONGO_T_BOOL:
                if (*(const bool *)field || !(k->flags & CONGO_KF_PRINT_SET))
                        fprintf(out, "%s%s: %s\n", indent, name, *(const bool *)field ? "true" : "false");
                return true;
        case CONGO_T_ENUM:
                while (k->values[n] != NULL)
                        n++;
                if ((unsigned)*(const int *)field >= n)
                        return false;
                fprintf(out, "%s%s: %s\n", indent, name, k->values[*(const int *)field]);
                return true;
        case CONGO_T_LIST:
                fprintf(out, "%s%s: ", indent, name);
                put_strv(out, *(char **const *)field);
                fputc('\n', out);
                return true;
        case CONGO_T_UINT:
        case CONGO_T_SIZE:
        case CONGO_T_DURATION:
                if ((n = *(const uint64_t *)field) == 0)
                        return true;
                fprintf(out, "%s%s: ", indent, name);
                if (k->type == CONGO_T_SIZE)
                        congo_spec_put_size(out, n);
                else if (k->type == CONGO_T_DURATION)
                        put_duration(out, n);
                else
                        fprintf(out, "%" PRIu64, n);
                fputc('\n', out);
                return true;
        default:
                return false;
        }
}

static bool printable_by_type(const struct congo_key_def *k)
{
        switch (k->type) {
        case CONGO_T_STRING: case CONGO_T_PATH: case CONGO_T_BOOL: case CONGO_T_ENUM:
        case CONGO_T_LIST:
                return k->offset != 0;
        case CONGO_T_UINT: case CONGO_T_SIZE: case CONGO_T_DURATION:
                /* top-level numbers have printers of their own */
                return k->offset != 0 && strchr(k->path, '.') != NULL;
        default:
                return false;
        }
}

/* A key of a group printed at the group's level: "limits.memory", not
 * "limits.rlimits.*" (its map's printer's) nor "security.seccomp.profile". */
static bool in_group(const char *group, const char *path)
{
        size_t len = strlen(group);

        return strncmp(path, group, len) == 0 && path[len] == '.' && strchr(path + len + 1, '.') == NULL;
}

bool congo_spec_key_printed(const struct congo_key_def *k)
{
        if (k->type == CONGO_T_GROUP && strchr(k->path, '.') == NULL)
                return true;   /* put_group, or a printer of its own */
        /* A key, or one under a key, that has a printer of its own
         * (time_offsets.monotonic is time_offsets'). */
        size_t top = strcspn(k->path, ".");
        for (size_t i = 0; i < sizeof custom / sizeof custom[0]; i++)
                if (strlen(custom[i].path) == top && strncmp(custom[i].path, k->path, top) == 0)
                        return true;
        for (size_t i = 0; i < sizeof custom_in_group / sizeof custom_in_group[0]; i++)
                if (strcmp(custom_in_group[i].path, k->path) == 0)
                        return true;
        return printable_by_type(k);
}

static void put_row(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        for (size_t c = 0; c < sizeof custom_in_group / sizeof custom_in_group[0]; c++)
                if (strcmp(custom_in_group[c].path, k->path) == 0) {
                        custom_in_group[c].put(out, s, k);
                        return;
                }
        put_by_type(out, s, k);
}

/* A group (limits, security) without a printer of its own: its name, then
 * each of its keys, in the table's order. */
static void put_group(FILE *out, const struct congo_spec *s, const struct congo_key_def *g)
{
        fprintf(out, "%s:\n", g->path);
        for (size_t i = 0; i < congo_spec_n_keys; i++)
                if (in_group(g->path, congo_spec_keys[i].path))
                        put_row(out, s, &congo_spec_keys[i]);
}

/* Every top-level key in the table's order; a group prints its keys. */
void congo_spec_print(const struct congo_spec *s, FILE *out)
{
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *k = &congo_spec_keys[i];
                size_t c = 0;

                if (strchr(k->path, '.') != NULL)
                        continue;
                while (c < sizeof custom / sizeof custom[0] && strcmp(custom[c].path, k->path) != 0)
                        c++;
                if (c < sizeof custom / sizeof custom[0])
                        custom[c].put(out, s);
                else if (k->type == CONGO_T_GROUP)
                        put_group(out, s, k);
                else
                        put_by_type(out, s, k);
        }
}
