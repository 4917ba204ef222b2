/* spec_keys.c - the key table: every dotted key path of spec version 1,
 * what it is (scalar, list, mapping, mounts, devices) and the setter that converts
 * and range-checks its value.  The limits.* setters are in spec_limits.c,
 * mounts in spec_mounts.c, devices in spec_devices.c; spec.c dispatches to them all. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "spec_internal.h"

int congo_replace_str(char **dst, const char *src)
{
        char *copy = strdup(src);

        if (copy == NULL)
                return -1;
        free(*dst);
        *dst = copy;
        return 0;
}

int congo_parse_uint(const char *text, uint64_t max, uint64_t *out)
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

/* Relative paths written in a file are relative to the file's directory,
 * and are kept as written to be opened beneath it; ones given on the
 * command line are the caller's own, relative to the current directory,
 * and trusted as an absolute path is. */
char *congo_resolve_path(const struct congo_spec *s, const struct congo_scalar *v,
                         struct congo_relpath *rel)
{
        char cwd[4096];
        const char *base = s->dir;

        if (v->pos.line == 0 && getcwd(cwd, sizeof cwd) != NULL)
                base = cwd;
        if (rel != NULL) {
                congo_relpath_free(rel);
                if (v->text[0] != '/' && v->pos.line != 0 && base != NULL) {
                        rel->base = strdup(base);
                        rel->rel = strdup(v->text);
                        if (rel->base == NULL || rel->rel == NULL)
                                return congo_relpath_free(rel), NULL;
                }
        }
        return congo_path_clean(base ? base : "/", v->text);
}

void congo_relpath_free(struct congo_relpath *rel)
{
        free(rel->base);
        free(rel->rel);
        *rel = (struct congo_relpath){ NULL, NULL };
}

/* ---- scalar setters ---------------------------------------------------- */

static int set_version(struct congo_spec *s, const char *path,
                       const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_uint(v->text, 1000000, &n) < 0)
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
        return congo_replace_str(&s->name, v->text);
}

static int set_rootfs(struct congo_spec *s, const char *path,
                      const struct congo_scalar *v, struct congo_diag *d)
{
        if (v->text[0] == '\0')
                return BAD(d, v, "%s: must not be empty", path);
        free(s->rootfs);
        s->rootfs = congo_resolve_path(s, v, &s->rootfs_rel);
        return s->rootfs ? 0 : -1;
}

/* Each boolean key has its own setter: the table, not the path, says
 * which field a value lands in. */
static int parse_bool_into(bool *field, const char *path, const struct congo_scalar *v,
                           struct congo_diag *d)
{
        if (congo_parse_bool(v->text, field) < 0)
                return BAD(d, v, "%s: \"%s\" is not a boolean (true or false)", path, v->text);
        return 0;
}

#define BOOL_SETTER(fn, field) \
        static int fn(struct congo_spec *s, const char *path, const struct congo_scalar *v, \
                      struct congo_diag *d) \
        { \
                return parse_bool_into(&s->field, path, v, d); \
        }
BOOL_SETTER(set_readonly_rootfs, readonly_rootfs)
BOOL_SETTER(set_init, init)
BOOL_SETTER(set_no_new_privileges, security.no_new_privileges)

static int set_hostname(struct congo_spec *s, const char *path,
                        const struct congo_scalar *v, struct congo_diag *d)
{
        if (!congo_hostname_valid(v->text))
                return BAD(d, v, "%s: \"%s\" is not a valid host name (1 to 64 of A-Z a-z 0-9 . -)",
                           path, v->text);
        return congo_replace_str(strcmp(path, "hostname") == 0 ? &s->hostname
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
        if (congo_parse_uint(buf, UINT32_MAX - 1, &uid) < 0)
                goto bad;
        gid = uid;
        if (colon && congo_parse_uint(colon + 1, UINT32_MAX - 1, &gid) < 0)
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
        return congo_replace_str(&s->cgroup_parent, v->text);
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
                if (congo_spec_duplicate(s, path, &s->env[i].pos, &v->pos, d) < 0)
                        return -1;
                s->env[i].pos = v->pos;
                return congo_replace_str(&s->env[i].value, v->text);
        }
        struct congo_env *ne = realloc(s->env, (s->n_env + 1) * sizeof *ne);
        if (ne == NULL)
                return -1;
        s->env = ne;
        ne[s->n_env] = (struct congo_env){ strdup(name), strdup(v->text), v->pos };
        s->n_env++;
        return 0;
}

static int set_seccomp(struct congo_spec *s, const char *path,
                       const struct congo_scalar *v, struct congo_diag *d)
{
        if (strcmp(v->text, "default") == 0)
                s->security.seccomp = CONGO_SECCOMP_DEFAULT;
        else if (strcmp(v->text, "unconfined") == 0)
                s->security.seccomp = CONGO_SECCOMP_UNCONFINED;
        else
                return BAD(d, v, "%s: \"%s\" is not default, unconfined or {profile: FILE}",
                           path, v->text);
        if (s->overriding) {    /* --set replaces a profile the file named */
                free(s->security.seccomp_profile);
                s->security.seccomp_profile = NULL;
                congo_relpath_free(&s->security.seccomp_profile_rel);
                s->pos[CONGO_K_SECCOMP_PROFILE] = (struct congo_pos){ 0 };
        }
        return 0;
}

/* An OCI seccomp profile (JSON), read and compiled by congo_spec_finish. */
static int set_seccomp_profile(struct congo_spec *s, const char *path,
                               const struct congo_scalar *v, struct congo_diag *d)
{
        if (v->text[0] == '\0')
                return BAD(d, v, "%s: must not be empty", path);
        free(s->security.seccomp_profile);
        s->security.seccomp_profile = congo_resolve_path(s, v, &s->security.seccomp_profile_rel);
        if (s->security.seccomp_profile == NULL)
                return -1;
        s->security.seccomp = CONGO_SECCOMP_PROFILE;
        if (s->overriding)
                s->pos[CONGO_K_SECCOMP] = (struct congo_pos){ 0 };
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

const struct congo_key_def congo_spec_keys[] = {
        { "version", CONGO_KIND_SCALAR, CONGO_K_VERSION, set_version, NULL },
        { "name", CONGO_KIND_SCALAR, CONGO_K_NAME, set_name, NULL },
        { "rootfs", CONGO_KIND_SCALAR, CONGO_K_ROOTFS, set_rootfs, NULL },
        { "readonly_rootfs", CONGO_KIND_SCALAR, CONGO_K_READONLY_ROOTFS, set_readonly_rootfs, NULL },
        { "hostname", CONGO_KIND_SCALAR, CONGO_K_HOSTNAME, set_hostname, NULL },
        { "domainname", CONGO_KIND_SCALAR, CONGO_K_DOMAINNAME, set_hostname, NULL },
        { "command", CONGO_KIND_LIST, CONGO_K_COMMAND, NULL, setl_command },
        { "cwd", CONGO_KIND_SCALAR, CONGO_K_CWD, set_cwd, NULL },
        { "user", CONGO_KIND_SCALAR, CONGO_K_USER, set_user, NULL },
        { "init", CONGO_KIND_SCALAR, CONGO_K_INIT, set_init, NULL },
        { "terminal", CONGO_KIND_SCALAR, CONGO_K_TERMINAL, set_terminal, NULL },
        { "env", CONGO_KIND_MAP, -1, NULL, NULL },
        { "env.*", CONGO_KIND_SCALAR, -1, set_env, NULL },
        { "namespaces", CONGO_KIND_LIST, CONGO_K_NAMESPACES, NULL, setl_namespaces },
        { "uid_map", CONGO_KIND_SCALAR, CONGO_K_UID_MAP, set_idmap, NULL },
        { "gid_map", CONGO_KIND_SCALAR, CONGO_K_GID_MAP, set_idmap, NULL },
        { "cgroup_parent", CONGO_KIND_SCALAR, CONGO_K_CGROUP_PARENT, set_cgroup_parent, NULL },
        { "network", CONGO_KIND_SCALAR, CONGO_K_NETWORK, set_network, NULL },
        { "mounts", CONGO_KIND_MOUNTS, -1, NULL, NULL },
        { "devices", CONGO_KIND_DEVICES, -1, NULL, NULL },
        { "limits", CONGO_KIND_MAP, -1, NULL, NULL },
        { "limits.pids", CONGO_KIND_SCALAR, CONGO_K_PIDS, congo_set_pids, NULL },
        { "limits.memory", CONGO_KIND_SCALAR, CONGO_K_MEMORY, congo_set_memory, NULL },
        { "limits.cpu_shares", CONGO_KIND_SCALAR, CONGO_K_CPU_SHARES, congo_set_cpu_shares, NULL },
        { "limits.cpus", CONGO_KIND_SCALAR, CONGO_K_CPUS, congo_set_cpus, NULL },
        { "limits.time", CONGO_KIND_SCALAR, CONGO_K_TIME, congo_set_time, NULL },
        { "limits.tmp", CONGO_KIND_SCALAR, CONGO_K_TMP, congo_set_tmp, NULL },
        { "limits.rlimits", CONGO_KIND_MAP, -1, NULL, NULL },
        { "limits.rlimits.*", CONGO_KIND_SCALAR, -1, congo_set_rlimit, NULL },
        { "security", CONGO_KIND_MAP, -1, NULL, NULL },
        { "security.capabilities", CONGO_KIND_LIST, CONGO_K_CAPABILITIES, NULL, setl_capabilities },
        { "security.no_new_privileges", CONGO_KIND_SCALAR, CONGO_K_NO_NEW_PRIVILEGES, set_no_new_privileges, NULL },
        { "security.seccomp", CONGO_KIND_SCALAR, CONGO_K_SECCOMP, set_seccomp, NULL },
        { "security.seccomp.profile", CONGO_KIND_SCALAR, CONGO_K_SECCOMP_PROFILE,
          set_seccomp_profile, NULL },
};
const size_t congo_spec_n_keys = sizeof congo_spec_keys / sizeof congo_spec_keys[0];

void congo_spec_list_keys(FILE *out)
{
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const char *k = congo_spec_keys[i].path;
                size_t len = strlen(k);
                if (congo_spec_keys[i].kind != CONGO_KIND_SCALAR &&
                    congo_spec_keys[i].kind != CONGO_KIND_LIST)
                        continue;
                /* "env.*" lists as "env.": the name is the user's. */
                fprintf(out, "%.*s\n", (int)(k[len - 1] == '*' ? len - 1 : len), k);
        }
}
