/* spec_keys.c - the key table: every dotted key path of spec version 1.
 * This is the one place a key is added.  A row says
 *
 *   path      "limits.memory"; "env.*" matches env.ANY (the name is the user's)
 *   kind      its shape: SCALAR, LIST, MAP (holds other keys), MOUNTS, DEVICES
 *   key       its enum congo_key (include/congo/spec.h), which keeps its
 *             position and duplicate check; -1 for maps and "*" rows
 *   set       the scalar setter that converts and range-checks the value;
 *             NULL for a CONGO_T_BOOL row, stored by .offset instead
 *   set_list  the list setter (LIST rows)
 *   .type     what the value means (enum congo_key_type): --list-keys=long
 *   .offset   offsetof(struct congo_spec, field), for the generic setters
 *             and --print (a STRING, PATH, BOOL, ENUM or LIST row with an
 *             offset is printed from the table, an ENUM's field indexing
 *             .values; so is a UINT, SIZE or DURATION one in a group,
 *             its field a uint64_t, left out while 0; the others have
 *             printers of spec_print.c's)
 *   .def      the default, written as a value of the key (lists as words),
 *             or NULL: none, or one derived from other keys (.doc says)
 *   .min .max the range of UINT (as is), SIZE (bytes), DURATION (ms) and
 *             DECIMAL (hundredths) rows; .max 0: no range
 *   .values   the words an ENUM (or a LIST of names) takes, NULL-terminated;
 *             on another scalar type, words it takes besides its form
 *             (a SIZE that also takes "unlimited"): --schema lists them
 *   .flags    CONGO_KF_REQUIRED; CONGO_KF_NULL: ~ is taken (as nothing);
 *             CONGO_KF_PRINT_SET: a BOOL --print leaves out while false;
 *             CONGO_KF_DOCUMENT: a mapping is taken whole (a profile)
 *   .sub      MOUNTS, DEVICES and HOOKS: the rows of an entry's keys
 *             (spec_keys_entries.c), for --schema
 *   .doc      one line, for --list-keys=long and congo-spec(5)'s KEY LIST
 *             (made from this table at build time); its KEYS says the rest
 *
 * tests/unit_spec.c checks every row against its setter (defaults accepted,
 * range ends accepted, one past them refused, every value accepted) and
 * against congo-spec(5), which must name exactly the table's keys.  The
 * limits.* setters are in spec_limits.c, mounts in spec_mounts.c, devices
 * in spec_devices.c; spec.c dispatches to them all. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stddef.h>
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

        bool in_file = v->pos.line != 0 || v->in_file;

        if (!in_file && getcwd(cwd, sizeof cwd) != NULL)
                base = cwd;
        if (rel != NULL) {
                congo_relpath_free(rel);
                if (v->text[0] != '/' && in_file && base != NULL) {
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

static int set_stop_timeout(struct congo_spec *s, const char *path,
                            const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t ms;

        if (congo_parse_duration_ms(v->text, &ms) < 0)
                return BAD(d, v, "%s: \"%s\" is not a duration (try 10s, 500ms or 1m)", path, v->text);
        if (ms == 0 || ms > UINT64_C(3600000))
                return BAD(d, v, "%s: %s is out of range (1ms to 1h)", path, v->text);
        s->stop_timeout_ms = ms;
        return 0;
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

/* A cgroup directory's name: a file name (up to 255 bytes: podman's
 * libpod-<64 hex digits> is 71) of the characters of a spec's name. */
static bool cgroup_name_valid(const char *c)
{
        size_t len = strlen(c);

        if (len == 0 || len > 255 || strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
                return false;
        return strspn(c, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == len;
}

static int set_cgroup_parent(struct congo_spec *s, const char *path,
                             const struct congo_scalar *v, struct congo_diag *d)
{
        char *copy = strdup(v->text), *save = NULL;
        int ok = copy && copy[0] != '/' && copy[0] != '\0' && strlen(copy) < 1024;

        for (char *c = ok ? strtok_r(copy, "/", &save) : NULL; c;
             c = strtok_r(NULL, "/", &save))
                ok &= cgroup_name_valid(c);
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
        size_t i = congo_spec_find_name(&s->env_index, &s->env_indexed, s->env, sizeof *s->env,
                                        s->n_env, name);
        if (i < s->n_env) {
                if (congo_spec_duplicate(s, path, &s->env[i].pos, &v->pos, d) < 0)
                        return -1;
                s->env[i].pos = v->pos;
                return congo_replace_str(&s->env[i].value, v->text);
        }
        struct congo_env *ne = congo_spec_grow(s->env, s->n_env, sizeof *ne);
        if (ne == NULL)
                return -1;
        s->env = ne;
        ne[s->n_env] = (struct congo_env){ strdup(name), strdup(v->text), v->pos };
        s->n_env++;
        return 0;
}

/* annotations.NAME: any name (OCI's are reverse-DNS, dots and all). */
static int set_annotation(struct congo_spec *s, const char *path,
                          const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("annotations.");

        size_t i = congo_spec_find_name(&s->annotation_index, &s->annotations_indexed, s->annotations,
                                        sizeof *s->annotations, s->n_annotations, name);
        if (i < s->n_annotations) {
                if (congo_spec_duplicate(s, path, &s->annotations[i].pos, &v->pos, d) < 0)
                        return -1;
                s->annotations[i].pos = v->pos;
                return congo_replace_str(&s->annotations[i].value, v->text);
        }
        struct congo_annotation *na = congo_spec_grow(s->annotations, s->n_annotations, sizeof *na);
        if (na == NULL)
                return -1;
        s->annotations = na;
        na[s->n_annotations++] = (struct congo_annotation){ strdup(name), strdup(v->text), v->pos };
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
        /* --set, or a later file, replaces a profile an earlier one named */
        if (congo_spec_later(s, &s->pos[CONGO_K_SECCOMP_PROFILE], &v->pos)) {
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
        /* A file replaces an inline profile an earlier layer gave. */
        json_decref(s->seccomp_json);
        s->seccomp_json = NULL;
        if (congo_spec_later(s, &s->pos[CONGO_K_SECCOMP], &v->pos))
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
        return congo_caps_from_items(path, items, n, &s->security.capabilities, d);
}

/* include: is read by the file front ends (src/front/compose.c) before
 * anything else in the file; it reaches the table only from --set. */
static int setl_include(struct congo_spec *s, const char *path,
                        const struct congo_scalar *items, size_t n,
                        struct congo_diag *d)
{
        (void)s;
        (void)n;
        congo_diag_report(d, &items[0].pos, "%s: only a spec file can include others", path);
        return -1;
}

/* ---- the table --------------------------------------------------------- */

#define KB(n) (UINT64_C(n) << 10)
#define MB(n) (UINT64_C(n) << 20)
#define PB(n) (UINT64_C(n) << 50)

static const char *const max_values[] = { "max", NULL };   /* besides a number */
static const char *const unlimited_values[] = { "unlimited", NULL };   /* besides a size */
static const char *const terminal_values[] = { "auto", "true", "false", NULL };
/* In the order of their enums: --print indexes them by the field. */
static const char *const network_values[] = { "loopback", "none", "host", NULL };
static const char *const seccomp_values[] = { "default", "unconfined", NULL };
static const char *const propagation_values[] = {
        "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable", NULL
};
static const char *const personality_values[] = { "linux", "linux32", NULL };
static const char *const ns_values[] = {
        "uts", "pid", "net", "mount", "ipc", "user", "cgroup", "time", NULL
};

const struct congo_key_def congo_spec_keys[] = {
        { "version", CONGO_KIND_SCALAR, CONGO_K_VERSION, set_version, NULL,
          .type = CONGO_T_UINT, .min = 1, .max = 1, .flags = CONGO_KF_REQUIRED,
          .doc = "the spec format's version: 1" },
        { "name", CONGO_KIND_SCALAR, CONGO_K_NAME, set_name, NULL,
          .offset = offsetof(struct congo_spec, name),
          .type = CONGO_T_STRING,
          .doc = "the container's name, and its cgroup's (default: the file name)" },
        { "rootfs", CONGO_KIND_SCALAR, CONGO_K_ROOTFS, set_rootfs, NULL,
          .offset = offsetof(struct congo_spec, rootfs),
          .type = CONGO_T_PATH, .flags = CONGO_KF_REQUIRED,
          .doc = "the directory that becomes the container's root" },
        { "readonly_rootfs", CONGO_KIND_SCALAR, CONGO_K_READONLY_ROOTFS, NULL, NULL,
          .type = CONGO_T_BOOL, .offset = offsetof(struct congo_spec, readonly_rootfs),
          .def = "false", .doc = "remount the root read-only after the pivot" },
        { "hostname", CONGO_KIND_SCALAR, CONGO_K_HOSTNAME, set_hostname, NULL,
          .offset = offsetof(struct congo_spec, hostname),
          .type = CONGO_T_STRING, .doc = "the uts host name (default: the name)" },
        { "domainname", CONGO_KIND_SCALAR, CONGO_K_DOMAINNAME, set_hostname, NULL,
          .offset = offsetof(struct congo_spec, domainname),
          .type = CONGO_T_STRING, .doc = "the NIS domain name (default: unset)" },
        { "command", CONGO_KIND_LIST, CONGO_K_COMMAND, NULL, setl_command,
          .offset = offsetof(struct congo_spec, command),
          .type = CONGO_T_LIST, .flags = CONGO_KF_REQUIRED,
          .doc = "the program and its arguments, looked up in the container's PATH" },
        { "cwd", CONGO_KIND_SCALAR, CONGO_K_CWD, set_cwd, NULL,
          .offset = offsetof(struct congo_spec, cwd),
          .type = CONGO_T_PATH, .def = "/",
          .doc = "the working directory inside the container (absolute)" },
        { "user", CONGO_KIND_SCALAR, CONGO_K_USER, set_user, NULL,
          .type = CONGO_T_STRING, .def = "0:0",
          .doc = "uid[:gid] the command runs as, inside the container" },
        { "init", CONGO_KIND_SCALAR, CONGO_K_INIT, NULL, NULL,
          .type = CONGO_T_BOOL, .offset = offsetof(struct congo_spec, init),
          .def = "false", .doc = "a minimal init between launcher and command without a pid namespace" },
        { "stop_timeout", CONGO_KIND_SCALAR, CONGO_K_STOP_TIMEOUT, set_stop_timeout, NULL,
          .type = CONGO_T_DURATION, .def = "10s", .min = 1, .max = UINT64_C(3600000),
          .doc = "after a SIGTERM, SIGINT, SIGHUP or SIGQUIT the launcher forwards: SIGKILL this much later" },
        { "terminal", CONGO_KIND_SCALAR, CONGO_K_TERMINAL, set_terminal, NULL,
          .offset = offsetof(struct congo_spec, terminal),
          .type = CONGO_T_ENUM, .values = terminal_values, .def = "auto",
          .doc = "a pseudo-terminal; auto: when standard input is one" },
        { "env", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_MAP, .doc = "the container's whole environment (PATH and HOME added)" },
        { "env.*", CONGO_KIND_SCALAR, -1, set_env, NULL,
          .type = CONGO_T_STRING, .doc = "one environment variable, by name" },
        { "namespaces", CONGO_KIND_LIST, CONGO_K_NAMESPACES, NULL, setl_namespaces,
          .type = CONGO_T_LIST, .values = ns_values, .def = "uts pid net mount ipc",
          .doc = "the namespaces made for the container (user added when rootless)" },
        { "uid_map", CONGO_KIND_SCALAR, CONGO_K_UID_MAP, set_idmap, NULL,
          .type = CONGO_T_STRING,
          .doc = "user namespace uid ranges \"inside outside count\" (default: 0 UID 1)" },
        { "gid_map", CONGO_KIND_SCALAR, CONGO_K_GID_MAP, set_idmap, NULL,
          .type = CONGO_T_STRING,
          .doc = "user namespace gid ranges \"inside outside count\" (default: 0 GID 1)" },
        { "cgroup_parent", CONGO_KIND_SCALAR, CONGO_K_CGROUP_PARENT, set_cgroup_parent, NULL,
          .offset = offsetof(struct congo_spec, cgroup_parent),
          .type = CONGO_T_PATH, .def = "congo",
          .doc = "relative cgroup path the container's cgroup NAME-PID is made under" },
        { "network", CONGO_KIND_SCALAR, CONGO_K_NETWORK, set_network, NULL,
          .offset = offsetof(struct congo_spec, network),
          .type = CONGO_T_ENUM, .values = network_values, .def = "loopback",
          .doc = "the network: own namespace with lo up or down, or the host's" },
        { "mounts", CONGO_KIND_MOUNTS, -1, NULL, NULL,
          .type = CONGO_T_MOUNTS, .sub = congo_mount_keys, .doc = "mounts of any type (bind, tmpfs, proc, overlay...), in order, after the defaults" },
        { "devices", CONGO_KIND_DEVICES, -1, NULL, NULL,
          .type = CONGO_T_DEVICES, .max = CONGO_DEVICES_MAX, .sub = congo_device_keys,
          .doc = "device nodes made in /dev and allowed by the device cgroup" },
        { "limits", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_GROUP, .doc = "resource limits" },
        { "limits.pids", CONGO_KIND_SCALAR, CONGO_K_PIDS, congo_set_pids, NULL,
          .type = CONGO_T_UINT, .def = "2048", .min = 1, .max = 4194304, .values = max_values,
          .doc = "cgroup pids limit: processes and threads (max: none)" },
        { "limits.memory", CONGO_KIND_SCALAR, CONGO_K_MEMORY, congo_set_memory, NULL,
          .type = CONGO_T_SIZE, .offset = offsetof(struct congo_spec, limits.memory), .min = MB(1), .max = PB(1),
          .doc = "cgroup memory limit (RAM; swap limited with it)" },
        { "limits.cpu_shares", CONGO_KIND_SCALAR, CONGO_K_CPU_SHARES, congo_set_cpu_shares, NULL,
          .type = CONGO_T_UINT, .offset = offsetof(struct congo_spec, limits.cpu_shares), .min = 2, .max = 262144,
          .doc = "relative CPU weight (cpu.shares, or cpu.weight converted)" },
        { "limits.cpus", CONGO_KIND_SCALAR, CONGO_K_CPUS, congo_set_cpus, NULL,
          .type = CONGO_T_DECIMAL, .min = 1, .max = 409599,
          .doc = "CPU bandwidth cap in CPUs (quota over a 100ms period)" },
        { "limits.time", CONGO_KIND_SCALAR, CONGO_K_TIME, congo_set_time, NULL,
          .type = CONGO_T_DURATION, .offset = offsetof(struct congo_spec, limits.time_ms), .min = 1, .max = UINT64_C(366) * 24 * 3600 * 1000,
          .doc = "wall-clock limit: SIGTERM, then SIGKILL 2s later" },
        { "limits.tmp", CONGO_KIND_SCALAR, CONGO_K_TMP, congo_set_tmp, NULL,
          .type = CONGO_T_SIZE, .offset = offsetof(struct congo_spec, limits.tmp_size), .def = "64M", .min = MB(1), .max = PB(1),
          .doc = "size of the tmpfs at /tmp" },
        { "limits.rlimits", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_MAP, .doc = "resource limits by name: N, unlimited or SOFT:HARD" },
        { "limits.rlimits.*", CONGO_KIND_SCALAR, -1, congo_set_rlimit, NULL,
          .type = CONGO_T_STRING, .doc = "one resource limit, by name (nofile, nproc...)" },
        /* cgroup resources (spec_resources.c) */
        { "limits.cpu_quota", CONGO_KIND_SCALAR, CONGO_K_CPU_QUOTA, congo_set_cpu_quota, NULL,
          .type = CONGO_T_UINT, .min = 1000, .max = 1000000000,
          .doc = "CPU bandwidth cap in microseconds per cpu_period (instead of cpus)" },
        { "limits.cpu_period", CONGO_KIND_SCALAR, CONGO_K_CPU_PERIOD, congo_set_cpu_period, NULL,
          .type = CONGO_T_UINT, .def = "100000", .min = 1000, .max = 1000000,
          .doc = "the CPU bandwidth period in microseconds (cpus scales with it)" },
        { "limits.cpuset_cpus", CONGO_KIND_SCALAR, CONGO_K_CPUSET_CPUS, congo_set_cpuset, NULL,
          .type = CONGO_T_STRING, .offset = offsetof(struct congo_spec, limits.cpuset_cpus), .doc = "the CPUs the container may run on, e.g. 0-3,6" },
        { "limits.cpuset_mems", CONGO_KIND_SCALAR, CONGO_K_CPUSET_MEMS, congo_set_cpuset, NULL,
          .type = CONGO_T_STRING, .offset = offsetof(struct congo_spec, limits.cpuset_mems), .doc = "the memory nodes the container may allocate on" },
        { "limits.cpu_rt_runtime", CONGO_KIND_SCALAR, CONGO_K_CPU_RT_RUNTIME, congo_set_cpu_rt_runtime,
          NULL, .type = CONGO_T_UINT, .min = 0, .max = 1000000,
          .doc = "realtime CPU time in microseconds per cpu_rt_period (cgroup v1 only)" },
        { "limits.cpu_rt_period", CONGO_KIND_SCALAR, CONGO_K_CPU_RT_PERIOD, congo_set_cpu_rt_period,
          NULL, .type = CONGO_T_UINT, .min = 1000, .max = 1000000,
          .offset = offsetof(struct congo_spec, limits.cpu_rt_period_us),
          .doc = "the realtime period in microseconds (cgroup v1 only)" },
        { "limits.memory_reservation", CONGO_KIND_SCALAR, CONGO_K_MEMORY_RESERVATION,
          congo_set_memory_reservation, NULL, .type = CONGO_T_SIZE, .min = MB(1), .max = PB(1),
          .offset = offsetof(struct congo_spec, limits.memory_reservation),
          .doc = "memory kept from reclaim under pressure (soft limit, v2 memory.low)" },
        { "limits.memory_swap", CONGO_KIND_SCALAR, CONGO_K_MEMORY_SWAP, congo_set_memory_swap, NULL,
          .type = CONGO_T_SIZE, .min = MB(1), .max = PB(1), .values = unlimited_values,
          .doc = "memory and swap together, or unlimited (default: memory, no swap)" },
        { "limits.memory_swappiness", CONGO_KIND_SCALAR, CONGO_K_MEMORY_SWAPPINESS,
          congo_set_memory_swappiness, NULL, .type = CONGO_T_UINT, .min = 0, .max = 100,
          .doc = "the cgroup's swappiness (cgroup v1; ignored on v2)" },
        { "limits.disable_oom_killer", CONGO_KIND_SCALAR, CONGO_K_DISABLE_OOM_KILLER, NULL, NULL,
          .type = CONGO_T_BOOL, .offset = offsetof(struct congo_spec, limits.disable_oom_killer),
          .def = "false", .flags = CONGO_KF_PRINT_SET,
          .doc = "pause instead of OOM-killing at the memory limit (cgroup v1 only)" },
        { "limits.blkio_weight", CONGO_KIND_SCALAR, CONGO_K_BLKIO_WEIGHT, congo_set_blkio_weight, NULL,
          .type = CONGO_T_UINT, .min = 10, .max = 1000,
          .doc = "relative block I/O weight (blkio.weight, or io.weight converted)" },
        { "limits.hugepages", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_MAP, .doc = "huge page limits by page size: 2MB: 64M" },
        { "limits.hugepages.*", CONGO_KIND_SCALAR, -1, congo_set_hugepages, NULL,
          .type = CONGO_T_SIZE, .doc = "the hugetlb limit for one page size (2MB, 1GB...)" },
        { "limits.unified", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_MAP, .doc = "cgroup v2 files written as given (OCI unified)" },
        { "limits.unified.*", CONGO_KIND_SCALAR, -1, congo_set_unified, NULL,
          .type = CONGO_T_STRING, .doc = "one cgroup v2 file of the container's cgroup, by name" },
        { "security", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_GROUP, .doc = "privileges" },
        { "security.capabilities", CONGO_KIND_LIST, CONGO_K_CAPABILITIES, NULL, setl_capabilities,
          .type = CONGO_T_LIST,
          .def = "CHOWN DAC_OVERRIDE FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT",
          .doc = "capabilities kept (bounding, permitted, effective, inheritable); ALL for all" },
        { "security.no_new_privileges", CONGO_KIND_SCALAR, CONGO_K_NO_NEW_PRIVILEGES, NULL, NULL,
          .type = CONGO_T_BOOL, .offset = offsetof(struct congo_spec, security.no_new_privileges),
          .def = "true", .doc = "set no_new_privs: setuid files grant nothing" },
        { "security.seccomp", CONGO_KIND_SCALAR, CONGO_K_SECCOMP, set_seccomp, NULL,
          .type = CONGO_T_ENUM, .values = seccomp_values, .def = "default",
          .doc = "the seccomp filter: congo's default, none, or {profile: FILE}" },
        { "security.seccomp.profile", CONGO_KIND_SCALAR, CONGO_K_SECCOMP_PROFILE,
          set_seccomp_profile, NULL, .type = CONGO_T_PATH, .flags = CONGO_KF_DOCUMENT,
          .doc = "an OCI seccomp profile to compile instead: a JSON file, or the profile as a mapping" },
        /* process and security keys (spec_process.c) */
        { "security.capabilities_bounding", CONGO_KIND_LIST, CONGO_K_CAP_BOUNDING, NULL, congo_setl_capset,
          .type = CONGO_T_LIST, .doc = "the bounding set (default: security.capabilities)" },
        { "security.capabilities_effective", CONGO_KIND_LIST, CONGO_K_CAP_EFFECTIVE, NULL, congo_setl_capset,
          .type = CONGO_T_LIST, .doc = "the effective set, within permitted (default: security.capabilities)" },
        { "security.capabilities_permitted", CONGO_KIND_LIST, CONGO_K_CAP_PERMITTED, NULL, congo_setl_capset,
          .type = CONGO_T_LIST, .doc = "the permitted set (default: security.capabilities)" },
        { "security.capabilities_inheritable", CONGO_KIND_LIST, CONGO_K_CAP_INHERITABLE, NULL, congo_setl_capset,
          .type = CONGO_T_LIST, .doc = "the inheritable set, within bounding (default: security.capabilities)" },
        { "security.capabilities_ambient", CONGO_KIND_LIST, CONGO_K_CAP_AMBIENT, NULL, congo_setl_capset,
          .type = CONGO_T_LIST, .def = "",
          .doc = "the ambient set, within permitted and inheritable: what a non-root command keeps" },
        { "oom_score_adj", CONGO_KIND_SCALAR, CONGO_K_OOM_SCORE_ADJ, congo_set_oom_score_adj, NULL,
          .type = CONGO_T_STRING,
          .doc = "-1000 to 1000, set on the container's first process (default: the launcher's)" },
        { "umask", CONGO_KIND_SCALAR, CONGO_K_UMASK, congo_set_umask, NULL,
          .type = CONGO_T_STRING, .def = "022", .doc = "the command's umask, octal 0 to 0777" },
        { "additional_gids", CONGO_KIND_LIST, CONGO_K_ADDITIONAL_GIDS, NULL, congo_setl_additional_gids,
          .type = CONGO_T_LIST, .def = "", .doc = "supplementary group ids of the command" },
        { "personality", CONGO_KIND_SCALAR, CONGO_K_PERSONALITY, congo_set_personality, NULL,
          .type = CONGO_T_ENUM, .values = personality_values, .def = "linux",
          .doc = "the execution domain: linux, or linux32 (uname -m says i686)" },
        { "sysctl", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_MAP, .doc = "namespaced kernel parameters written in the container's /proc/sys" },
        { "sysctl.*", CONGO_KIND_SCALAR, -1, congo_set_sysctl, NULL,
          .type = CONGO_T_STRING, .doc = "one kernel parameter, dotted: kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*, net.*" },
        { "masked_paths", CONGO_KIND_LIST, CONGO_K_MASKED_PATHS, NULL, congo_setl_paths,
          .type = CONGO_T_LIST, .doc = "paths hidden in the container, replacing the default list" },
        { "readonly_paths", CONGO_KIND_LIST, CONGO_K_READONLY_PATHS, NULL, congo_setl_paths,
          .type = CONGO_T_LIST, .doc = "paths made read-only in the container, replacing the default list" },
        { "time_offsets", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_GROUP, .doc = "clock offsets of the time namespace" },
        { "time_offsets.monotonic", CONGO_KIND_SCALAR, CONGO_K_TIME_MONOTONIC, congo_set_time_offset, NULL,
          .type = CONGO_T_STRING, .def = "0", .doc = "CLOCK_MONOTONIC offset in seconds, signed, in the time namespace" },
        { "time_offsets.boottime", CONGO_KIND_SCALAR, CONGO_K_TIME_BOOTTIME, congo_set_time_offset, NULL,
          .type = CONGO_T_STRING, .def = "0", .doc = "CLOCK_BOOTTIME offset in seconds, signed, in the time namespace" },
        /* oci: the OCI front end's keys */
        { "annotations", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_MAP, .doc = "kept and printed as given (OCI annotations); congo reads none" },
        { "annotations.*", CONGO_KIND_SCALAR, -1, set_annotation, NULL,
          .type = CONGO_T_STRING, .doc = "one annotation, by name" },
        /* mounts */
        { "rootfs_propagation", CONGO_KIND_SCALAR, CONGO_K_ROOTFS_PROPAGATION,
          congo_set_rootfs_propagation, NULL,
          .type = CONGO_T_ENUM, .values = propagation_values, .def = "private",
          .doc = "the root's propagation: slave and shared receive the host's mounts" },
        /* composition */
        { "include", CONGO_KIND_LIST, CONGO_K_INCLUDE, NULL, setl_include, .type = CONGO_T_LIST,
          .doc = "spec files merged before this one, relative to its directory" },
        /* oci2: namespaces joined by path */
        { "namespace_paths", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_MAP, .doc = "namespaces joined (setns) instead of made, by name: a path each" },
        { "namespace_paths.*", CONGO_KIND_SCALAR, -1, congo_set_ns_path, NULL,
          .type = CONGO_T_PATH, .doc = "the namespace file to join (/run/netns/X, /proc/PID/ns/uts)" },
        { "terminal_size", CONGO_KIND_SCALAR, CONGO_K_TERMINAL_SIZE, congo_set_terminal_size, NULL,
          .type = CONGO_T_STRING, .offset = offsetof(struct congo_spec, terminal_size),
          .doc = "the pty's first size, ROWSxCOLS (default: the launcher's terminal's)" },
        { "io_priority", CONGO_KIND_SCALAR, CONGO_K_IO_PRIORITY, congo_set_io_priority, NULL,
          .type = CONGO_T_STRING, .offset = offsetof(struct congo_spec, io_priority),
          .doc = "the command's I/O class and level: rt, be or idle, 0 to 7 (default: the launcher's)" },
        /* hooks: lists of {path, args, env, timeout} (spec_hooks.c) */
        { "hooks", CONGO_KIND_MAP, -1, NULL, NULL,
          .type = CONGO_T_GROUP, .doc = "OCI hooks: programs run at points of the container's life" },
        { "hooks.prestart", CONGO_KIND_HOOKS, -1, NULL, NULL,
          .type = CONGO_T_HOOKS, .max = CONGO_HOOKS_MAX, .sub = congo_hook_keys,
          .doc = "run by the launcher before the root is built (deprecated by OCI)" },
        { "hooks.create_runtime", CONGO_KIND_HOOKS, -1, NULL, NULL,
          .type = CONGO_T_HOOKS, .max = CONGO_HOOKS_MAX, .sub = congo_hook_keys,
          .doc = "run by the launcher after prestart, before the root is built" },
        { "hooks.create_container", CONGO_KIND_HOOKS, -1, NULL, NULL,
          .type = CONGO_T_HOOKS, .max = CONGO_HOOKS_MAX, .sub = congo_hook_keys,
          .doc = "run in the container's namespaces before pivot_root (host paths)" },
        { "hooks.start_container", CONGO_KIND_HOOKS, -1, NULL, NULL,
          .type = CONGO_T_HOOKS, .max = CONGO_HOOKS_MAX, .sub = congo_hook_keys,
          .doc = "run in the container just before the command (container paths)" },
        { "hooks.poststart", CONGO_KIND_HOOKS, -1, NULL, NULL,
          .type = CONGO_T_HOOKS, .max = CONGO_HOOKS_MAX, .sub = congo_hook_keys,
          .doc = "run by the launcher once the command runs; a failure is a warning" },
        { "hooks.poststop", CONGO_KIND_HOOKS, -1, NULL, NULL,
          .type = CONGO_T_HOOKS, .max = CONGO_HOOKS_MAX, .sub = congo_hook_keys,
          .doc = "run by the launcher after the container is gone; a failure is a warning" },
        /* the device cgroup's rules (spec_device_rules.c) */
        { "device_rules", CONGO_KIND_LIST, CONGO_K_DEVICE_RULES, NULL, congo_setl_device_rules,
          .type = CONGO_T_LIST, .def = "",
          .doc = "device cgroup rules before congo's own allowlist: \"allow|deny a|c|b [MAJOR:MINOR [rwm]]\"" },
};
const size_t congo_spec_n_keys = sizeof congo_spec_keys / sizeof congo_spec_keys[0];
