/* spec.c - the key table and the setters every front end calls.
 *
 * A front end hands over (dotted key path, text, position).  This file
 * decides what the key is, converts the text, refuses duplicates and
 * out-of-range values, and remembers where each value came from.  Defaults
 * and cross-key checks come later, in spec_finish.c.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "spec_internal.h"

typedef int (*scalar_setter)(struct congo_spec *, const char *path,
                             const struct congo_scalar *, struct congo_diag *);
typedef int (*list_setter)(struct congo_spec *, const char *path,
                           const struct congo_scalar *, size_t,
                           struct congo_diag *);

struct key_def {
        const char *path;
        enum congo_key_kind kind;
        int key;                 /* enum congo_key, or -1 */
        scalar_setter set;
        list_setter set_list;
};

#define BAD(d, v, ...) (congo_diag_report((d), &(v)->pos, __VA_ARGS__), -1)

static int replace_str(char **dst, const char *src)
{
        char *copy = strdup(src);

        if (copy == NULL)
                return -1;
        free(*dst);
        *dst = copy;
        return 0;
}

static int parse_uint(const char *text, uint64_t max, uint64_t *out)
{
        char *end;

        if (!isdigit((unsigned char)text[0]))
                return -1;
        errno = 0;
        unsigned long long v = strtoull(text, &end, 10);
        if (errno != 0 || *end != '\0' || v > max)
                return -1;
        *out = v;
        return 0;
}

/* Relative paths written in a file are relative to the file's directory;
 * ones given on the command line, to the current directory. */
static char *resolve_path(const struct congo_spec *s, const struct congo_scalar *v)
{
        char cwd[4096];
        const char *base = s->dir;

        if (v->pos.line == 0 && getcwd(cwd, sizeof cwd) != NULL)
                base = cwd;
        return congo_path_clean(base, v->text);
}

/* ---- scalar setters ---------------------------------------------------- */

static int set_version(struct congo_spec *s, const char *path,
                       const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (parse_uint(v->text, 1000000, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a number (write version: 1)",
                           path, v->text);
        if (n != CONGO_SPEC_VERSION)
                return BAD(d, v, "%s: version %s is not supported (only version 1 is)",
                           path, v->text);
        s->version = (int)n;
        return 0;
}

static int set_name(struct congo_spec *s, const char *path,
                    const struct congo_scalar *v, struct congo_diag *d)
{
        if (!congo_name_valid(v->text))
                return BAD(d, v, "%s: \"%s\" is not a valid name (1 to 64 of A-Z a-z 0-9 _ . -, not . or ..)",
                           path, v->text);
        return replace_str(&s->name, v->text);
}

static int set_rootfs(struct congo_spec *s, const char *path,
                      const struct congo_scalar *v, struct congo_diag *d)
{
        if (v->text[0] == '\0')
                return BAD(d, v, "%s: must not be empty", path);
        free(s->rootfs);
        s->rootfs = resolve_path(s, v);
        return s->rootfs ? 0 : -1;
}

static int set_bool(struct congo_spec *s, const char *path,
                    const struct congo_scalar *v, struct congo_diag *d)
{
        bool b;

        if (congo_parse_bool(v->text, &b) < 0)
                return BAD(d, v, "%s: \"%s\" is not a boolean (true or false)",
                           path, v->text);
        if (strcmp(path, "readonly_rootfs") == 0)
                s->readonly_rootfs = b;
        else if (strcmp(path, "init") == 0)
                s->init = b;
        else
                s->security.no_new_privileges = b;
        return 0;
}

static int set_hostname(struct congo_spec *s, const char *path,
                        const struct congo_scalar *v, struct congo_diag *d)
{
        if (!congo_hostname_valid(v->text))
                return BAD(d, v, "%s: \"%s\" is not a valid host name (1 to 64 of A-Z a-z 0-9 . -)",
                           path, v->text);
        return replace_str(strcmp(path, "hostname") == 0 ? &s->hostname
                                                          : &s->domainname, v->text);
}

static int set_cwd(struct congo_spec *s, const char *path,
                   const struct congo_scalar *v, struct congo_diag *d)
{
        if (v->text[0] != '/')
                return BAD(d, v, "%s: \"%s\" is not an absolute path", path, v->text);
        free(s->cwd);
        s->cwd = congo_path_clean("/", v->text);
        return s->cwd ? 0 : -1;
}

static int set_user(struct congo_spec *s, const char *path,
                    const struct congo_scalar *v, struct congo_diag *d)
{
        char buf[64];
        uint64_t uid, gid;

        if (strlen(v->text) >= sizeof buf)
                goto bad;
        strcpy(buf, v->text);
        char *colon = strchr(buf, ':');
        if (colon)
                *colon = '\0';
        if (parse_uint(buf, UINT32_MAX - 1, &uid) < 0)
                goto bad;
        gid = uid;
        if (colon && parse_uint(colon + 1, UINT32_MAX - 1, &gid) < 0)
                goto bad;
        s->uid = (uint32_t)uid;
        s->gid = (uint32_t)gid;
        return 0;
bad:
        return BAD(d, v, "%s: \"%s\" is not uid[:gid] (numbers, e.g. \"1000:1000\")",
                   path, v->text);
}

static int set_terminal(struct congo_spec *s, const char *path,
                        const struct congo_scalar *v, struct congo_diag *d)
{
        bool b;

        if (strcasecmp(v->text, "auto") == 0)
                s->terminal = CONGO_TTY_AUTO;
        else if (congo_parse_bool(v->text, &b) == 0)
                s->terminal = b ? CONGO_TTY_ON : CONGO_TTY_OFF;
        else
                return BAD(d, v, "%s: \"%s\" is not auto, true or false", path, v->text);
        return 0;
}

static int set_idmap(struct congo_spec *s, const char *path,
                     const struct congo_scalar *v, struct congo_diag *d)
{
        bool uid = strcmp(path, "uid_map") == 0;
        struct congo_idmap *map;
        size_t n;
        const char *why;

        if (congo_parse_idmap(v->text, &map, &n, &why) < 0)
                return BAD(d, v, "%s: \"%s\": %s", path, v->text, why);
        free(uid ? s->uid_map : s->gid_map);
        *(uid ? &s->uid_map : &s->gid_map) = map;
        *(uid ? &s->n_uid_map : &s->n_gid_map) = n;
        return 0;
}

static int set_cgroup_parent(struct congo_spec *s, const char *path,
                             const struct congo_scalar *v, struct congo_diag *d)
{
        char *copy = strdup(v->text), *save = NULL;
        int ok = copy && copy[0] != '/' && copy[0] != '\0' && strlen(copy) < 256;

        for (char *c = ok ? strtok_r(copy, "/", &save) : NULL; c;
             c = strtok_r(NULL, "/", &save))
                ok &= congo_name_valid(c);
        free(copy);
        if (!ok)
                return BAD(d, v, "%s: \"%s\" is not a relative cgroup path (names of A-Z a-z 0-9 _ . - joined by /)",
                           path, v->text);
        return replace_str(&s->cgroup_parent, v->text);
}

static int set_network(struct congo_spec *s, const char *path,
                       const struct congo_scalar *v, struct congo_diag *d)
{
        static const char *const names[] = { "loopback", "none", "host" };

        for (int i = 0; i < 3; i++)
                if (strcmp(v->text, names[i]) == 0)
                        return s->network = (enum congo_network)i, 0;
        return BAD(d, v, "%s: \"%s\" is not none, loopback or host", path, v->text);
}

static int set_env(struct congo_spec *s, const char *path,
                   const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("env.");

        if (name[0] == '\0' || strchr(name, '=') != NULL)
                return BAD(d, v, "env: \"%s\" is not a variable name (non-empty, no '=')",
                           name);
        for (size_t i = 0; i < s->n_env; i++) {
                if (strcmp(s->env[i].name, name) != 0)
                        continue;
                if (!s->overriding)
                        return BAD(d, v, "env: duplicate variable %s (first set at line %d)",
                                   name, s->env[i].pos.line);
                s->env[i].pos = v->pos;
                return replace_str(&s->env[i].value, v->text);
        }
        struct congo_env *ne = realloc(s->env, (s->n_env + 1) * sizeof *ne);
        if (ne == NULL)
                return -1;
        s->env = ne;
        ne[s->n_env] = (struct congo_env){ strdup(name), strdup(v->text), v->pos };
        s->n_env++;
        return 0;
}

static int set_pids(struct congo_spec *s, const char *path,
                    const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (parse_uint(v->text, UINT64_MAX, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a number", path, v->text);
        if (n < 1 || n > 4194304)
                return BAD(d, v, "%s: %s is out of range (1 to 4194304)", path, v->text);
        s->limits.pids = (int64_t)n;
        return 0;
}

static int set_memory(struct congo_spec *s, const char *path,
                      const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_size(v->text, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a size (try 512M or 1G)", path, v->text);
        if (n < 1024 * 1024)
                return BAD(d, v, "%s: %s is below the minimum of 1M", path, v->text);
        if (n > (UINT64_C(1) << 50))
                return BAD(d, v, "%s: %s is above the maximum of 1P", path, v->text);
        s->limits.memory = n;
        return 0;
}

static int set_cpu_shares(struct congo_spec *s, const char *path,
                          const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (parse_uint(v->text, UINT64_MAX, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a number", path, v->text);
        if (n < 2 || n > 262144)
                return BAD(d, v, "%s: %s is out of range (2 to 262144)", path, v->text);
        s->limits.cpu_shares = n;
        return 0;
}

/* "1.5" -> 150000 µs per 100000 µs period, exactly, without floating point. */
static int set_cpus(struct congo_spec *s, const char *path,
                    const struct congo_scalar *v, struct congo_diag *d)
{
        const char *p = v->text;
        uint64_t whole = 0, frac = 0, scale = CONGO_CPU_PERIOD_US;
        int digits = 0;

        if (!isdigit((unsigned char)*p) && *p != '.')
                goto bad;
        for (; isdigit((unsigned char)*p); p++) {
                whole = whole * 10 + (uint64_t)(*p - '0');
                if (whole > 4096)
                        goto range;
        }
        if (*p == '.') {
                for (p++; isdigit((unsigned char)*p); p++, digits++) {
                        if (digits == 5)
                                goto bad;
                        scale /= 10;
                        frac += (uint64_t)(*p - '0') * scale;
                }
                if (digits == 0 && p == v->text + 1)
                        goto bad;
        }
        if (*p != '\0')
                goto bad;
        uint64_t quota = whole * CONGO_CPU_PERIOD_US + frac;
        if (quota < 1000 || whole >= 4096)
                goto range;
        s->limits.cpu_quota_us = quota;
        return 0;
bad:
        return BAD(d, v, "%s: \"%s\" is not a number of CPUs (e.g. 0.5 or 2)", path, v->text);
range:
        return BAD(d, v, "%s: %s is out of range (0.01 to 4095)", path, v->text);
}

static int set_time(struct congo_spec *s, const char *path,
                    const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t ms;

        if (congo_parse_duration_ms(v->text, &ms) < 0)
                return BAD(d, v, "%s: \"%s\" is not a duration (try 30s, 500ms, 5m or 1h)",
                           path, v->text);
        if (ms == 0 || ms > UINT64_C(366) * 24 * 3600 * 1000)
                return BAD(d, v, "%s: %s is out of range (1ms to 366 days)", path, v->text);
        s->limits.time_ms = ms;
        return 0;
}

static int parse_rlim_value(const char *text, uint64_t *out)
{
        if (strcmp(text, "unlimited") == 0)
                return *out = RLIM_INFINITY, 0;
        return parse_uint(text, RLIM_INFINITY - 1, out);
}

static int set_rlimit(struct congo_spec *s, const char *path,
                      const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("limits.rlimits.");
        int res = congo_rlimit_from_name(name);
        uint64_t soft, hard;
        char buf[64];

        if (res < 0)
                return BAD(d, v, "limits.rlimits: unknown resource \"%s\" (as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)",
                           name);
        if (strlen(v->text) >= sizeof buf)
                goto bad;
        strcpy(buf, v->text);
        char *colon = strchr(buf, ':');
        if (colon)
                *colon = '\0';
        if (parse_rlim_value(buf, &soft) < 0)
                goto bad;
        hard = soft;
        if (colon && parse_rlim_value(colon + 1, &hard) < 0)
                goto bad;
        if (soft > hard)
                return BAD(d, v, "%s: soft limit %s is above the hard limit", path, buf);
        for (size_t i = 0; i < s->limits.n_rlimits; i++) {
                struct congo_rlimit *r = &s->limits.rlimits[i];
                if (r->resource != res)
                        continue;
                if (!s->overriding)
                        return BAD(d, v, "%s: duplicate key (first set at line %d)",
                                   path, r->pos.line);
                *r = (struct congo_rlimit){ res, soft, hard, v->pos };
                return 0;
        }
        struct congo_rlimit *nr = realloc(s->limits.rlimits,
                                          (s->limits.n_rlimits + 1) * sizeof *nr);
        if (nr == NULL)
                return -1;
        s->limits.rlimits = nr;
        nr[s->limits.n_rlimits++] = (struct congo_rlimit){ res, soft, hard, v->pos };
        return 0;
bad:
        return BAD(d, v, "%s: \"%s\" is not a limit (a number, unlimited, or SOFT:HARD)",
                   path, v->text);
}

static int set_seccomp(struct congo_spec *s, const char *path,
                       const struct congo_scalar *v, struct congo_diag *d)
{
        if (strcmp(v->text, "default") == 0)
                s->security.seccomp = CONGO_SECCOMP_DEFAULT;
        else if (strcmp(v->text, "unconfined") == 0)
                s->security.seccomp = CONGO_SECCOMP_UNCONFINED;
        else
                return BAD(d, v, "%s: \"%s\" is not default or unconfined", path, v->text);
        return 0;
}

/* ---- list setters ------------------------------------------------------ */

static int setl_command(struct congo_spec *s, const char *path,
                        const struct congo_scalar *items, size_t n,
                        struct congo_diag *d)
{
        char **argv;

        (void)path;
        if (n == 0)
                return -2;   /* caller reports the empty list */
        if (items[0].text[0] == '\0')
                return BAD(d, &items[0], "command: the program name must not be empty");
        if ((argv = calloc(n + 1, sizeof *argv)) == NULL)
                return -1;
        for (size_t i = 0; i < n; i++)
                argv[i] = strdup(items[i].text);
        congo_strv_free(s->command);
        s->command = argv;
        return 0;
}

static int setl_namespaces(struct congo_spec *s, const char *path,
                           const struct congo_scalar *items, size_t n,
                           struct congo_diag *d)
{
        unsigned set = 0;
        int bad = 0;

        for (size_t i = 0; i < n; i++) {
                unsigned bit = 0;
                for (unsigned b = 1; b <= CONGO_NS_TIME; b <<= 1)
                        if (strcmp(items[i].text, congo_ns_name(b)) == 0)
                                bit = b;
                if (bit == 0)
                        bad = BAD(d, &items[i], "%s: unknown namespace \"%s\" (uts, pid, net, mount, ipc, user, cgroup, time)",
                                  path, items[i].text);
                else if (set & bit)
                        bad = BAD(d, &items[i], "%s: \"%s\" is listed twice", path,
                                  items[i].text);
                set |= bit;
        }
        if (bad)
                return -1;
        s->namespaces = set;
        return 0;
}

static int setl_capabilities(struct congo_spec *s, const char *path,
                             const struct congo_scalar *items, size_t n,
                             struct congo_diag *d)
{
        uint64_t caps = 0;
        int bad = 0;

        for (size_t i = 0; i < n; i++) {
                if (strcasecmp(items[i].text, "ALL") == 0) {
                        caps = ~UINT64_C(0);
                        continue;
                }
                int cap = congo_cap_from_name(items[i].text);
                if (cap < 0)
                        bad = BAD(d, &items[i], "%s: unknown capability \"%s\"", path,
                                  items[i].text);
                else
                        caps |= UINT64_C(1) << cap;
        }
        if (bad)
                return -1;
        s->security.capabilities = caps;
        return 0;
}

/* ---- the table --------------------------------------------------------- */

static const struct key_def keys[] = {
        { "version", CONGO_KIND_SCALAR, CONGO_K_VERSION, set_version, NULL },
        { "name", CONGO_KIND_SCALAR, CONGO_K_NAME, set_name, NULL },
        { "rootfs", CONGO_KIND_SCALAR, CONGO_K_ROOTFS, set_rootfs, NULL },
        { "readonly_rootfs", CONGO_KIND_SCALAR, CONGO_K_READONLY_ROOTFS, set_bool, NULL },
        { "hostname", CONGO_KIND_SCALAR, CONGO_K_HOSTNAME, set_hostname, NULL },
        { "domainname", CONGO_KIND_SCALAR, CONGO_K_DOMAINNAME, set_hostname, NULL },
        { "command", CONGO_KIND_LIST, CONGO_K_COMMAND, NULL, setl_command },
        { "cwd", CONGO_KIND_SCALAR, CONGO_K_CWD, set_cwd, NULL },
        { "user", CONGO_KIND_SCALAR, CONGO_K_USER, set_user, NULL },
        { "init", CONGO_KIND_SCALAR, CONGO_K_INIT, set_bool, NULL },
        { "terminal", CONGO_KIND_SCALAR, CONGO_K_TERMINAL, set_terminal, NULL },
        { "env", CONGO_KIND_MAP, -1, NULL, NULL },
        { "env.*", CONGO_KIND_SCALAR, -1, set_env, NULL },
        { "namespaces", CONGO_KIND_LIST, CONGO_K_NAMESPACES, NULL, setl_namespaces },
        { "uid_map", CONGO_KIND_SCALAR, CONGO_K_UID_MAP, set_idmap, NULL },
        { "gid_map", CONGO_KIND_SCALAR, CONGO_K_GID_MAP, set_idmap, NULL },
        { "cgroup_parent", CONGO_KIND_SCALAR, CONGO_K_CGROUP_PARENT, set_cgroup_parent, NULL },
        { "network", CONGO_KIND_SCALAR, CONGO_K_NETWORK, set_network, NULL },
        { "mounts", CONGO_KIND_MOUNTS, -1, NULL, NULL },
        { "limits", CONGO_KIND_MAP, -1, NULL, NULL },
        { "limits.pids", CONGO_KIND_SCALAR, CONGO_K_PIDS, set_pids, NULL },
        { "limits.memory", CONGO_KIND_SCALAR, CONGO_K_MEMORY, set_memory, NULL },
        { "limits.cpu_shares", CONGO_KIND_SCALAR, CONGO_K_CPU_SHARES, set_cpu_shares, NULL },
        { "limits.cpus", CONGO_KIND_SCALAR, CONGO_K_CPUS, set_cpus, NULL },
        { "limits.time", CONGO_KIND_SCALAR, CONGO_K_TIME, set_time, NULL },
        { "limits.rlimits", CONGO_KIND_MAP, -1, NULL, NULL },
        { "limits.rlimits.*", CONGO_KIND_SCALAR, -1, set_rlimit, NULL },
        { "security", CONGO_KIND_MAP, -1, NULL, NULL },
        { "security.capabilities", CONGO_KIND_LIST, CONGO_K_CAPABILITIES, NULL, setl_capabilities },
        { "security.no_new_privileges", CONGO_KIND_SCALAR, CONGO_K_NO_NEW_PRIVILEGES, set_bool, NULL },
        { "security.seccomp", CONGO_KIND_SCALAR, CONGO_K_SECCOMP, set_seccomp, NULL },
};

static const struct key_def *find_key(const char *path)
{
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
                const char *k = keys[i].path;
                size_t len = strlen(k);

                if (k[len - 1] == '*') {
                        /* "env.*" matches "env.X" for any non-empty X. */
                        if (strncmp(path, k, len - 1) == 0 && path[len - 1] != '\0')
                                return &keys[i];
                } else if (strcmp(path, k) == 0) {
                        return &keys[i];
                }
        }
        return NULL;
}

enum congo_key_kind congo_spec_key_kind(const char *path)
{
        const struct key_def *k = find_key(path);

        return k ? k->kind : CONGO_KIND_UNKNOWN;
}

/* The keys one level below a map, for "unknown key" hints. */
static void list_children(const char *map, char *buf, size_t size)
{
        size_t plen = map ? strlen(map) : 0, used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
                const char *k = keys[i].path, *rest;
                if (map && (strncmp(k, map, plen) != 0 || k[plen] != '.'))
                        continue;
                rest = map ? k + plen + 1 : k;
                if (strchr(rest, '.') || strchr(rest, '*'))
                        continue;
                int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", rest);
                if (w < 0 || (size_t)w >= size - used)
                        break;
                used += (size_t)w;
        }
}

static void report_unknown(const char *path, const struct congo_pos *pos,
                           struct congo_diag *d)
{
        char parent[128] = "", expected[512];
        const char *dot = strrchr(path, '.');

        if (dot && (size_t)(dot - path) < sizeof parent)
                snprintf(parent, sizeof parent, "%.*s", (int)(dot - path), path);
        list_children(parent[0] ? parent : NULL, expected, sizeof expected);
        congo_diag_report(d, pos, "%s: unknown key (expected one of: %s)", path, expected);
}

/* Shared prologue of the setters: the key exists, has this kind, and was
 * not written before (unless --set is overriding it). */
static const struct key_def *claim(struct congo_spec *spec, const char *path,
                                   enum congo_key_kind kind,
                                   const struct congo_pos *pos,
                                   struct congo_diag *d)
{
        const struct key_def *k = find_key(path);

        if (k == NULL) {
                report_unknown(path, pos, d);
                return NULL;
        }
        if (k->kind != kind) {
                congo_diag_report(d, pos, "%s: expected %s", path,
                                  k->kind == CONGO_KIND_SCALAR ? "a single value" :
                                  k->kind == CONGO_KIND_LIST ? "a list" :
                                  k->kind == CONGO_KIND_MOUNTS ? "a list of mounts" :
                                                                  "a mapping");
                return NULL;
        }
        if (k->key >= 0 && KEYPOS_WRITTEN(spec, k->key) && !spec->overriding) {
                const struct congo_pos *first = &spec->pos[k->key];
                congo_diag_report(d, pos, "%s: duplicate key (first set at line %d, column %d)",
                                  path, first->line, first->col);
                return NULL;
        }
        return k;
}

int congo_spec_set(struct congo_spec *spec, const char *path,
                   const struct congo_scalar *value, struct congo_diag *d)
{
        const struct key_def *k = claim(spec, path, CONGO_KIND_SCALAR, &value->pos, d);

        if (k == NULL)
                return -1;
        if (value->is_null) {
                congo_diag_report(d, &value->pos, "%s: has no value", path);
                return -1;
        }
        /* A spec is text: printed back, it must parse as YAML again. */
        if (!congo_utf8_valid(path) || !congo_utf8_valid(value->text)) {
                congo_diag_report(d, &value->pos, "%s: not valid UTF-8", path);
                return -1;
        }
        if (k->set(spec, path, value, d) < 0)
                return -1;
        if (k->key >= 0)
                spec->pos[k->key] = value->pos;
        return 0;
}

int congo_spec_set_list(struct congo_spec *spec, const char *path,
                        const struct congo_scalar *items, size_t n,
                        const struct congo_pos *pos, struct congo_diag *d)
{
        const struct key_def *k = claim(spec, path, CONGO_KIND_LIST, pos, d);
        int rc;

        if (k == NULL)
                return -1;
        for (size_t i = 0; i < n; i++)
                if (items[i].is_null || !congo_utf8_valid(items[i].text)) {
                        congo_diag_report(d, &items[i].pos, "%s: item %zu %s", path, i + 1,
                                          items[i].is_null ? "has no value" : "is not valid UTF-8");
                        return -1;
                }
        rc = k->set_list(spec, path, items, n, d);
        if (rc == -2) {
                congo_diag_report(d, pos, "%s: must not be empty", path);
                return -1;
        }
        if (rc < 0)
                return -1;
        spec->pos[k->key] = *pos;
        return 0;
}

/* Splits text into items that all point at the value's position. */
static struct congo_scalar *split_scalar(const struct congo_scalar *value,
                                         size_t *n, const char **why)
{
        char **words = congo_split_words(value->text, why);
        struct congo_scalar *items;

        if (words == NULL)
                return NULL;
        *n = congo_strv_len(words);
        items = calloc(*n + 1, sizeof *items);
        for (size_t i = 0; items && i < *n; i++)
                items[i] = (struct congo_scalar){ .text = words[i], .pos = value->pos };
        free(words);   /* the strings now belong to items */
        return items;
}

static void free_split(struct congo_scalar *items, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free((char *)items[i].text);
        free(items);
}

int congo_spec_set_words(struct congo_spec *spec, const char *path,
                         const struct congo_scalar *value, struct congo_diag *d)
{
        const char *why = NULL;
        size_t n = 0;
        struct congo_scalar *items = split_scalar(value, &n, &why);
        int rc;

        if (items == NULL) {
                congo_diag_report(d, &value->pos, "%s: %s", path, why ? why : "out of memory");
                return -1;
        }
        rc = congo_spec_set_list(spec, path, items, n, &value->pos, d);
        free_split(items, n);
        return rc;
}

/* ---- mounts ------------------------------------------------------------ */

struct congo_mount *congo_spec_add_mount(struct congo_spec *spec,
                                         const struct congo_pos *pos)
{
        struct congo_mount *m = realloc(spec->mounts, (spec->n_mounts + 1) * sizeof *m);

        if (m == NULL)
                return NULL;
        spec->mounts = m;
        m = &m[spec->n_mounts++];
        *m = (struct congo_mount){ .type = -1, .pos = *pos };
        return m;
}

/* options written as one string: "ro,nosuid" (as mount -o takes them). */
static int set_mount_options_text(struct congo_spec *spec, struct congo_mount *m,
                                  const struct congo_scalar *v, struct congo_diag *d)
{
        struct congo_scalar items[32];
        char *copy = strdup(v->is_null ? "" : v->text), *save = NULL;
        size_t n = 0;
        int rc;

        if (copy == NULL)
                return -1;
        for (char *o = strtok_r(copy, ", ", &save); o; o = strtok_r(NULL, ", ", &save)) {
                if (n == sizeof items / sizeof items[0]) {
                        free(copy);
                        return BAD(d, v, "mounts[%zu].options: more than 32 options",
                                   (size_t)(m - spec->mounts));
                }
                items[n++] = (struct congo_scalar){ .text = o, .pos = v->pos };
        }
        rc = congo_spec_set_mount_options(spec, m, items, n, &v->pos, d);
        free(copy);
        return rc;
}

int congo_spec_set_mount(struct congo_spec *spec, struct congo_mount *m,
                         const char *key, const struct congo_scalar *v,
                         struct congo_diag *d)
{
        size_t idx = (size_t)(m - spec->mounts);
        struct congo_pos *slot;

        if (strcmp(key, "type") == 0)
                slot = &m->pos_type;
        else if (strcmp(key, "source") == 0)
                slot = &m->pos_source;
        else if (strcmp(key, "target") == 0)
                slot = &m->pos_target;
        else if (strcmp(key, "options") == 0)
                return set_mount_options_text(spec, m, v, d);
        else
                return BAD(d, v, "mounts[%zu]: unknown key \"%s\" (expected type, source, target, options)",
                           idx, key);
        if (slot->file != NULL)
                return BAD(d, v, "mounts[%zu].%s: duplicate key (first set at line %d)",
                           idx, key, slot->line);
        if (v->is_null)
                return BAD(d, v, "mounts[%zu].%s: has no value", idx, key);
        if (!congo_utf8_valid(v->text))
                return BAD(d, v, "mounts[%zu].%s: not valid UTF-8", idx, key);
        *slot = v->pos;
        if (slot == &m->pos_type) {
                if (strcmp(v->text, "bind") == 0)
                        m->type = CONGO_MOUNT_BIND;
                else if (strcmp(v->text, "tmpfs") == 0)
                        m->type = CONGO_MOUNT_TMPFS;
                else
                        return BAD(d, v, "mounts[%zu].type: \"%s\" is not bind or tmpfs",
                                   idx, v->text);
                return 0;
        }
        if (slot == &m->pos_source) {
                free(m->source);
                m->source = resolve_path(spec, v);
                return m->source ? 0 : -1;
        }
        if (v->text[0] != '/')
                return BAD(d, v, "mounts[%zu].target: \"%s\" is not an absolute path",
                           idx, v->text);
        free(m->target);
        m->target = congo_path_clean("/", v->text);
        return m->target ? 0 : -1;
}

int congo_spec_set_mount_options(struct congo_spec *spec, struct congo_mount *m,
                                 const struct congo_scalar *items, size_t n,
                                 const struct congo_pos *pos, struct congo_diag *d)
{
        size_t idx = (size_t)(m - spec->mounts);
        char **opts;

        if (m->pos_options.file != NULL) {
                congo_diag_report(d, pos, "mounts[%zu].options: duplicate key", idx);
                return -1;
        }
        for (size_t i = 0; i < n; i++)
                if (!items[i].is_null && !congo_utf8_valid(items[i].text)) {
                        congo_diag_report(d, &items[i].pos, "mounts[%zu].options: not valid UTF-8", idx);
                        return -1;
                }
        if ((opts = calloc(n + 1, sizeof *opts)) == NULL)
                return -1;
        for (size_t i = 0; i < n; i++)
                opts[i] = strdup(items[i].is_null ? "" : items[i].text);
        m->options = opts;
        m->pos_options = *pos;
        return 0;
}

/* ---- --set ------------------------------------------------------------- */

int congo_spec_override(struct congo_spec *spec, const char *assignment,
                        struct congo_diag *d)
{
        const char *eq = strchr(assignment, '=');
        struct congo_pos pos = { "--set", 0, 0 };
        char path[256];
        int rc;

        if (eq == NULL || eq == assignment || (size_t)(eq - assignment) >= sizeof path) {
                congo_diag_report(d, &pos, "\"%s\" is not KEY=VALUE", assignment);
                return -1;
        }
        snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
        struct congo_scalar v = { .text = eq + 1, .pos = pos };
        spec->overriding = true;
        switch (congo_spec_key_kind(path)) {
        case CONGO_KIND_SCALAR:
                rc = congo_spec_set(spec, path, &v, d);
                break;
        case CONGO_KIND_LIST:
                rc = congo_spec_set_words(spec, path, &v, d);
                break;
        case CONGO_KIND_UNKNOWN:
                report_unknown(path, &pos, d);
                rc = -1;
                break;
        default:
                congo_diag_report(d, &pos, "%s: a mapping or list of mounts cannot be set with --set; set its keys (e.g. env.NAME=value)",
                                  path);
                rc = -1;
        }
        spec->overriding = false;
        return rc;
}

/* ---- life cycle -------------------------------------------------------- */

void congo_spec_init(struct congo_spec *spec, const char *file)
{
        char cwd[4096];

        *spec = (struct congo_spec){ 0 };
        spec->namespaces = CONGO_NS_DEFAULT;
        spec->security.no_new_privileges = true;
        spec->security.capabilities = congo_caps_default();
        if (getcwd(cwd, sizeof cwd) == NULL)
                strcpy(cwd, "/");
        if (file != NULL) {
                spec->file = strdup(file);
                char *slash = strrchr(spec->file, '/');
                if (slash == NULL)
                        spec->dir = strdup(cwd);
                else {
                        char *dir = strndup(spec->file, (size_t)(slash - spec->file) + 1);
                        spec->dir = congo_path_clean(cwd, dir);
                        free(dir);
                }
        } else {
                spec->dir = strdup(cwd);
        }
}

void congo_spec_free(struct congo_spec *spec)
{
        free(spec->file);
        free(spec->dir);
        free(spec->name);
        free(spec->rootfs);
        free(spec->hostname);
        free(spec->domainname);
        congo_strv_free(spec->command);
        free(spec->cwd);
        free(spec->uid_map);
        free(spec->gid_map);
        free(spec->cgroup_parent);
        for (size_t i = 0; i < spec->n_env; i++) {
                free(spec->env[i].name);
                free(spec->env[i].value);
        }
        free(spec->env);
        for (size_t i = 0; i < spec->n_mounts; i++) {
                free(spec->mounts[i].source);
                free(spec->mounts[i].target);
                congo_strv_free(spec->mounts[i].options);
                free(spec->mounts[i].data);
        }
        free(spec->mounts);
        free(spec->limits.rlimits);
        *spec = (struct congo_spec){ 0 };
}
