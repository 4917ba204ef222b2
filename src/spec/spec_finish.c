/* spec_finish.c - defaults, normalisation and the checks that need more
 * than one key, run once after every front end has had its say. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "root_path.h"
#include "seccomp_profile.h"
#include "spec_internal.h"

/* ---- small validators -------------------------------------------------- */

char *congo_path_clean(const char *base, const char *rel)
{
        size_t size = strlen(base) + strlen(rel) + 3;
        char *joined = malloc(size), *out = malloc(size), *save = NULL;
        size_t len = 0;

        if (joined == NULL || out == NULL) {
                free(joined);
                free(out);
                return NULL;
        }
        if (rel[0] == '/')
                snprintf(joined, size, "%s", rel);
        else
                snprintf(joined, size, "%s/%s", base, rel);
        for (char *c = strtok_r(joined, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
                if (strcmp(c, ".") == 0)
                        continue;
                if (strcmp(c, "..") == 0) {
                        while (len > 0 && out[len - 1] != '/')
                                len--;
                        if (len > 0)
                                len--;   /* the slash itself */
                        continue;
                }
                out[len++] = '/';
                memcpy(out + len, c, strlen(c));
                len += strlen(c);
        }
        if (len == 0)
                out[len++] = '/';
        out[len] = '\0';
        free(joined);
        return out;
}

bool congo_name_valid(const char *name)
{
        size_t len = strlen(name);

        if (len == 0 || len > CONGO_NAME_MAX || strcmp(name, ".") == 0 ||
            strcmp(name, "..") == 0)
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
                        return false;
        return true;
}

bool congo_hostname_valid(const char *name)
{
        size_t len = strlen(name);

        if (len == 0 || len > CONGO_HOSTNAME_MAX || name[0] == '-' || name[0] == '.')
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr(".-", *p))
                        return false;
        return true;
}

/* "inside outside count" lines, separated by newlines or commas. */
int congo_parse_idmap(const char *text, struct congo_idmap **out, size_t *n,
                      const char **why)
{
        char *copy = strdup(text), *save = NULL;
        struct congo_idmap *map = NULL;
        size_t count = 0;

        *why = "out of memory";
        if (copy == NULL)
                return -1;
        for (char *line = strtok_r(copy, ",\n", &save); line;
             line = strtok_r(NULL, ",\n", &save)) {
                unsigned long long a, b, c;
                char extra;
                while (isspace((unsigned char)*line))
                        line++;
                if (*line == '\0')
                        continue;
                if (sscanf(line, "%llu %llu %llu %c", &a, &b, &c, &extra) != 3 ||
                    line[0] == '-') {
                        *why = "each range is \"inside outside count\"";
                        goto fail;
                }
                if (c == 0 || a + c > UINT32_MAX || b + c > UINT32_MAX) {
                        *why = "a range is empty or past 4294967295";
                        goto fail;
                }
                if (count == 340) {
                        *why = "more than 340 ranges";
                        goto fail;
                }
                struct congo_idmap *nm = realloc(map, (count + 1) * sizeof *nm);
                if (nm == NULL)
                        goto fail;
                map = nm;
                map[count++] = (struct congo_idmap){ (uint32_t)a, (uint32_t)b, (uint32_t)c };
        }
        if (count == 0) {
                *why = "no ranges";
                goto fail;
        }
        free(copy);
        *out = map;
        *n = count;
        return 0;
fail:
        free(copy);
        free(map);
        return -1;
}

const char *congo_ns_name(unsigned bit)
{
        switch (bit) {
        case CONGO_NS_UTS: return "uts";
        case CONGO_NS_PID: return "pid";
        case CONGO_NS_NET: return "net";
        case CONGO_NS_MOUNT: return "mount";
        case CONGO_NS_IPC: return "ipc";
        case CONGO_NS_USER: return "user";
        case CONGO_NS_CGROUP: return "cgroup";
        case CONGO_NS_TIME: return "time";
        }
        return "?";
}

/* "CAP_CHOWN", "chown", "Cap_Chown" -> CAP_CHOWN; numbers are refused. */
int congo_cap_from_name(const char *name)
{
        char buf[64];
        cap_value_t cap;

        if (strncasecmp(name, "cap_", 4) == 0)
                name += 4;
        if (!isalpha((unsigned char)name[0]) || strlen(name) > 40)
                return -1;
        snprintf(buf, sizeof buf, "cap_%s", name);
        for (char *p = buf; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        if (cap_from_name(buf, &cap) < 0 || cap < 0 || cap > 63)
                return -1;
        return (int)cap;
}

const char *congo_cap_name(int cap)
{
        static char buf[64];
        char *name = cap_to_name((cap_value_t)cap);

        snprintf(buf, sizeof buf, "%s", name ? name : "?");
        cap_free(name);
        for (char *p = buf; *p; p++)
                *p = (char)toupper((unsigned char)*p);
        return buf;
}

uint64_t congo_caps_default(void)
{
        static const int caps[] = {
                CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL,
                CAP_NET_BIND_SERVICE, CAP_SETFCAP, CAP_SETGID, CAP_SETPCAP,
                CAP_SETUID, CAP_SYS_CHROOT,
        };
        uint64_t set = 0;

        for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
                set |= UINT64_C(1) << caps[i];
        return set;
}

static const struct { const char *name; int resource; } rlimit_names[] = {
        { "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
        { "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE },
        { "locks", RLIMIT_LOCKS }, { "memlock", RLIMIT_MEMLOCK },
        { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
        { "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
        { "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
        { "rttime", RLIMIT_RTTIME }, { "sigpending", RLIMIT_SIGPENDING },
        { "stack", RLIMIT_STACK },
};

int congo_rlimit_from_name(const char *name)
{
        for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
                if (strcmp(name, rlimit_names[i].name) == 0)
                        return rlimit_names[i].resource;
        return -1;
}

const char *congo_rlimit_name(int resource)
{
        for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
                if (rlimit_names[i].resource == resource)
                        return rlimit_names[i].name;
        return "?";
}

/* ---- finishing --------------------------------------------------------- */

static struct congo_pos file_pos(const struct congo_spec *s)
{
        return (struct congo_pos){ s->file ? s->file : "command line", 0, 0 };
}

/* The default name: the spec file's name without its extension. */
static void default_name(struct congo_spec *s, struct congo_diag *d)
{
        struct congo_pos pos = file_pos(s);
        const char *base;

        if (s->name != NULL)
                return;
        if (s->file == NULL) {
                s->name = strdup("congo");
                return;
        }
        base = strrchr(s->file, '/');
        base = base ? base + 1 : s->file;
        s->name = strdup(base);
        char *dot = strrchr(s->name, '.');
        if (dot != NULL && dot != s->name)
                *dot = '\0';
        if (!congo_name_valid(s->name))
                congo_diag_report(d, &pos, "name: the file name gives \"%s\", which is not a valid name; set name: explicitly",
                                  s->name);
}

/* stat of a host path of the spec, resolved as the container will be:
 * a relative one beneath its base (a symlink or ".." out is an error), an
 * absolute one as written.  Reports and returns -1 on failure. */
static int stat_spec_path(const char *path, const struct congo_relpath *rel,
                          const struct congo_pos *pos, const char *key,
                          struct stat *st, struct congo_diag *d)
{
        struct congo_error err = { 0 };
        int fd = congo_open_spec_path(path, rel, O_PATH, &err);

        if (fd >= 0 && fstat(fd, st) == 0) {
                close(fd);
                return 0;
        }
        if (fd >= 0)
                close(fd);
        if (err.errnum)
                congo_diag_report(d, pos, "%s: %s: %s", key, err.msg, strerror(err.errnum));
        else
                congo_diag_report(d, pos, "%s: %s", key, err.msg);
        return -1;
}

static void check_rootfs(struct congo_spec *s, struct congo_diag *d)
{
        struct congo_pos pos = file_pos(s);
        struct stat st;

        if (s->rootfs == NULL) {
                if (!GIVEN(s, CONGO_K_ROOTFS))
                        congo_diag_report(d, &pos, "rootfs: required key is missing");
                return;
        }
        if (stat_spec_path(s->rootfs, &s->rootfs_rel, &s->pos[CONGO_K_ROOTFS], "rootfs", &st, d) < 0)
                return;
        if (!S_ISDIR(st.st_mode))
                congo_diag_report(d, &s->pos[CONGO_K_ROOTFS], "rootfs: \"%s\" is not a directory",
                                  s->rootfs);
}

static void check_namespaces(struct congo_spec *s, struct congo_diag *d)
{
        struct congo_pos *nspos = &s->pos[CONGO_K_NAMESPACES];
        bool ns_written = KEYPOS_WRITTEN(s, CONGO_K_NAMESPACES);

        if (!(s->namespaces & CONGO_NS_MOUNT))
                congo_diag_report(d, nspos, "namespaces: mount is required (congo always gives the container its own root)");
        if (s->network == CONGO_NET_HOST) {
                if (ns_written && (s->namespaces & CONGO_NS_NET))
                        congo_diag_report(d, &s->pos[CONGO_K_NETWORK],
                                          "network: host shares the host's network, but namespaces lists net");
                s->namespaces &= ~(unsigned)CONGO_NS_NET;
        } else if (!(s->namespaces & CONGO_NS_NET)) {
                if (KEYPOS_WRITTEN(s, CONGO_K_NETWORK))
                        congo_diag_report(d, &s->pos[CONGO_K_NETWORK],
                                          "network: %s needs the net namespace in namespaces",
                                          s->network == CONGO_NET_NONE ? "none" : "loopback");
                s->network = CONGO_NET_HOST;
        }
        if (!(s->namespaces & CONGO_NS_UTS)) {
                if (KEYPOS_WRITTEN(s, CONGO_K_HOSTNAME))
                        congo_diag_report(d, &s->pos[CONGO_K_HOSTNAME],
                                          "hostname: needs the uts namespace (it would rename the host)");
                if (KEYPOS_WRITTEN(s, CONGO_K_DOMAINNAME))
                        congo_diag_report(d, &s->pos[CONGO_K_DOMAINNAME],
                                          "domainname: needs the uts namespace");
        } else if (s->hostname == NULL && s->name != NULL &&
                   !(congo_spec_joined(s) & CONGO_NS_UTS)) {
                /* A joined uts namespace keeps its host name unless told. */
                struct congo_pos pos = file_pos(s);
                if (congo_hostname_valid(s->name))
                        s->hostname = strdup(s->name);
                else
                        congo_diag_report(d, &pos, "hostname: the default, the name \"%s\", is not a valid host name; set hostname:",
                                          s->name);
        }
}

/* Maps need the user namespace.  What a user namespace without maps gets,
 * and whether a rootless caller needs one, depends on who launches: the
 * launcher decides that (congo_spec_adapt_to_caller), not validation, so
 * that a spec means the same whoever validates it. */
static void check_user_namespace(struct congo_spec *s, struct congo_diag *d)
{
        static const int keys[2] = { CONGO_K_UID_MAP, CONGO_K_GID_MAP };

        if (s->namespaces & CONGO_NS_USER)
                return;
        for (int i = 0; i < 2; i++)
                if (KEYPOS_WRITTEN(s, keys[i]))
                        congo_diag_report(d, &s->pos[keys[i]],
                                          "%s: needs the user namespace in namespaces",
                                          i ? "gid_map" : "uid_map");
}

static void add_env_default(struct congo_spec *s, const char *name, const char *value)
{
        for (size_t i = 0; i < s->n_env; i++)
                if (strcmp(s->env[i].name, name) == 0)
                        return;
        struct congo_env *ne = congo_spec_grow(s->env, s->n_env, sizeof *ne);
        if (ne == NULL)
                return;
        s->env = ne;
        ne[s->n_env++] = (struct congo_env){ strdup(name), strdup(value), { 0 } };
}

/* A profile file is read, validated and compiled now, so that --check
 * finds every mistake in it and the container only loads it. */
static void check_seccomp_profile(struct congo_spec *s, struct congo_diag *d)
{
        const struct congo_pos *pos = &s->pos[CONGO_K_SECCOMP_PROFILE];
        struct congo_error err = { 0 };

        if (s->security.seccomp != CONGO_SECCOMP_PROFILE)
                return;
        if (s->seccomp_json != NULL) {   /* OCI's linux.seccomp, or a mapping */
                congo_seccomp_profile_free(s->security.seccomp_compiled);
                /* A YAML mapping: named by the file that gave it (an
                 * include, perhaps) and the mapping's line and column;
                 * config.json's position is a JSON path. */
                char where[4200];
                if (pos->line > 0)
                        snprintf(where, sizeof where, "%s:%d:%d", pos->file, pos->line, pos->col);
                else
                        snprintf(where, sizeof where, "%s", s->file ? s->file : "config.json");
                s->security.seccomp_compiled = congo_seccomp_profile_from_json(
                        s->seccomp_json, where,
                        s->seccomp_json_prefix ? s->seccomp_json_prefix : "linux.seccomp",
                        s->security.capabilities, &err);
                if (s->security.seccomp_compiled == NULL)
                        congo_diag_report(d, NULL, "%s", err.msg);
                return;
        }
        if (KEYPOS_WRITTEN(s, CONGO_K_SECCOMP)) {
                congo_diag_report(d, pos, "security.seccomp.profile: conflicts with "
                                  "security.seccomp at line %d", s->pos[CONGO_K_SECCOMP].line);
                return;
        }
        congo_seccomp_profile_free(s->security.seccomp_compiled);
        s->security.seccomp_compiled = NULL;
        /* Beneath the spec's directory when written relative, as rootfs. */
        _cleanup_close_ int fd = congo_open_spec_path(s->security.seccomp_profile,
                                                      &s->security.seccomp_profile_rel,
                                                      O_RDONLY | O_NONBLOCK | O_NOCTTY, &err);
        /* The bounding set decides docker's includes: {caps: [...]}. */
        if (fd >= 0)
                s->security.seccomp_compiled = congo_seccomp_profile_load_fd(
                        fd, s->security.seccomp_profile, s->process.caps[CONGO_CAPS_BOUNDING], &err);
        if (s->security.seccomp_compiled != NULL)
                return;
        if (err.errnum)
                congo_diag_report(d, pos, "security.seccomp.profile: %s: %s", err.msg,
                                  strerror(err.errnum));
        else
                congo_diag_report(d, pos, "security.seccomp.profile: %s", err.msg);
}

int congo_spec_finish(struct congo_spec *s, struct congo_diag *d)
{
        struct congo_pos pos = file_pos(s);
        int before = d->count;

        if (!GIVEN(s, CONGO_K_VERSION))
                congo_diag_report(d, &pos, "version: required key is missing (add version: 1)");
        check_rootfs(s, d);
        if (s->command == NULL && !GIVEN(s, CONGO_K_COMMAND))
                congo_diag_report(d, &pos, "command: required key is missing (or give the command after --)");
        default_name(s, d);
        check_namespaces(s, d);
        congo_spec_check_ns_paths(s, d);
        /* additional_gids is refused with a user namespace the spec
         * names; one the launcher adds to run rootless, at run time. */
        congo_spec_check_process(s, d);
        check_user_namespace(s, d);
        if (s->cwd == NULL)
                s->cwd = strdup("/");
        if (s->cgroup_parent == NULL)
                s->cgroup_parent = strdup("congo");
        if (s->limits.pids == 0)
                s->limits.pids = CONGO_PIDS_DEFAULT;
        if (s->limits.tmp_size == 0)
                s->limits.tmp_size = CONGO_TMP_SIZE_DEFAULT;
        if (s->stop_timeout_ms == 0)
                s->stop_timeout_ms = CONGO_STOP_TIMEOUT_DEFAULT_MS;
        /* OCI's process.env is the whole environment; congo's own specs
         * get a PATH and a HOME when they name none. */
        if (!s->env_exact) {
                add_env_default(s, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
                add_env_default(s, "HOME", s->uid == 0 ? "/root" : "/");
        }
        for (size_t i = 0; i < s->n_mounts; i++)
                congo_spec_check_mount(s, i, d);
        congo_spec_check_devices(s, d);
        congo_spec_check_resources(s, d);
        congo_spec_check_hooks(s, d);
        check_seccomp_profile(s, d);
        return d->count - before;
}
