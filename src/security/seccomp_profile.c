/* seccomp_profile.c - the OCI `linux.seccomp` object, validated and
 * compiled with libseccomp (see seccomp_profile.h).
 *
 * What the runtime spec leaves to us, and what we chose:
 * - Properties it does not define are ignored (its Extensibility section),
 *   and named at -v.  Its *values* are not extensible: an unknown action,
 *   operator, architecture or flag is an error.
 * - A syscall name libseccomp knows for no architecture at all is an
 *   error: a typo must not quietly drop a rule.  A name that exists only on
 *   other architectures (socketcall on x86_64) is accepted and applies
 *   where it exists, as crun and runc do.
 * - A rule whose action is the default action does nothing; libseccomp
 *   refuses it, so it is skipped, as crun and runc do.
 * - Several comparisons of the same argument in one rule cannot all be
 *   put in one libseccomp rule; as runc does, each becomes its own rule
 *   (any of them matching applies the action).
 * - docker/podman profile files are accepted too: `archMap` (used when
 *   `architectures` is absent), `name`, and per-syscall `includes` and
 *   `excludes` by arches, caps (the bounding set) and minKernel, with
 *   moby's meaning.
 * - listenerPath (and so SCMP_ACT_NOTIFY) is not supported.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "seccomp_profile.h"
#include "seccomp_profile_internal.h"

static const struct {
        const char *name;
        uint32_t action;
        bool takes_errno;
} actions[] = {
        { "SCMP_ACT_KILL", SCMP_ACT_KILL, false },
        { "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
        { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
        { "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
        { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true },
        { "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true },
        { "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
        { "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
};

int congo_sp_fail(struct congo_sp *c, const char *at, const char *fmt, ...)
{
        char msg[400];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        return congo_error_set(c->err, 0, "%s: %s: %s", c->file, at, msg);
}

void congo_sp_path(char *buf, size_t size, const char *at, const char *key, long index)
{
        int n;

        if (key != NULL)
                n = snprintf(buf, size, "%s%s%s", at, *at ? "." : "", key);
        else
                n = snprintf(buf, size, "%s[%ld]", at, index);
        if (n < 0 || (size_t)n >= size)     /* an absurdly deep or long path */
                snprintf(buf, size, "%.*s...", (int)size - 4, at);
}

int congo_sp_uint(struct congo_sp *c, json_t *v, const char *at, uint64_t max, uint64_t *out)
{
        /* Jansson refuses integers past INT64_MAX when it reads them, with
         * their position; values from there to 2^64-1 cannot be written. */
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            (uint64_t)json_integer_value(v) > max)
                return congo_sp_fail(c, at, "expected an integer from 0 to %llu",
                                     (unsigned long long)max);
        *out = (uint64_t)json_integer_value(v);
        return 0;
}

const char *congo_sp_string(struct congo_sp *c, json_t *v, const char *at)
{
        if (!json_is_string(v)) {
                congo_sp_fail(c, at, "expected a string");
                return NULL;
        }
        return json_string_value(v);
}

/* The action at `at` with its errnoRet (NULL when absent) at `at_errno`. */
int congo_sp_action(struct congo_sp *c, json_t *v, json_t *errno_ret, const char *at,
                    const char *at_errno, uint32_t *out)
{
        const char *name = congo_sp_string(c, v, at);
        uint64_t e = EPERM;

        if (name == NULL)
                return -1;
        if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
                return congo_sp_fail(c, at, "\"SCMP_ACT_NOTIFY\" needs listenerPath, "
                                            "which congo does not support");
        for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
                if (strcmp(name, actions[i].name) != 0)
                        continue;
                if (errno_ret != NULL && !actions[i].takes_errno)
                        return congo_sp_fail(c, at_errno, "only SCMP_ACT_ERRNO and "
                                             "SCMP_ACT_TRACE take an errno, not %s", name);
                /* The kernel returns at most MAX_ERRNO (4095). */
                if (errno_ret != NULL && congo_sp_uint(c, errno_ret, at_errno, 4095, &e) < 0)
                        return -1;
                *out = actions[i].takes_errno ? actions[i].action | (uint32_t)e : actions[i].action;
                return 0;
        }
        return congo_sp_fail(c, at, "\"%s\" is not an action", name);
}

/* SCMP_ARCH_X86_64 -> libseccomp's token, through its own names. */
static int arch_token(struct congo_sp *c, json_t *v, const char *at, uint32_t *out)
{
        const char *name = congo_sp_string(c, v, at);
        char lower[32];
        size_t n = 0;

        if (name == NULL)
                return -1;
        if (strncmp(name, "SCMP_ARCH_", 10) == 0 && strlen(name + 10) < sizeof lower) {
                for (const char *s = name + 10; *s; s++)
                        lower[n++] = (char)tolower((unsigned char)*s);
                lower[n] = '\0';
                if (n > 0 && (*out = seccomp_arch_resolve_name(lower)) != 0)
                        return 0;
        }
        return congo_sp_fail(c, at, "\"%s\" is not an architecture", name);
}

static int add_arch(struct congo_sp *c, json_t *v, const char *at)
{
        struct congo_seccomp_profile *p = c->p;
        uint32_t token;

        if (arch_token(c, v, at, &token) < 0)
                return -1;
        for (size_t i = 0; i < p->n_arches; i++)
                if (p->arches[i] == token)
                        return 0;
        if (p->n_arches == sizeof p->arches / sizeof p->arches[0])
                return congo_sp_fail(c, at, "too many architectures");
        p->arches[p->n_arches++] = token;
        return 0;
}

static int parse_arches(struct congo_sp *c, json_t *list, const char *at)
{
        char at_i[256];
        size_t i;
        json_t *v;

        if (!json_is_array(list))
                return congo_sp_fail(c, at, "expected a list of architectures");
        json_array_foreach(list, i, v) {
                congo_sp_path(at_i, sizeof at_i, at, NULL, (long)i);
                if (add_arch(c, v, at_i) < 0)
                        return -1;
        }
        return 0;
}

/* docker's archMap: the entry for this machine's architecture, with its
 * subArchitectures (x86 and x32 for x86_64). */
static int parse_arch_map(struct congo_sp *c, json_t *map, const char *at)
{
        char at_i[256], at_k[256];
        size_t i;
        json_t *entry;

        if (!json_is_array(map))
                return congo_sp_fail(c, at, "expected a list");
        json_array_foreach(map, i, entry) {
                uint32_t token;
                congo_sp_path(at_i, sizeof at_i, at, NULL, (long)i);
                congo_sp_path(at_k, sizeof at_k, at_i, "architecture", 0);
                if (!json_is_object(entry))
                        return congo_sp_fail(c, at_i, "expected a mapping");
                if (arch_token(c, json_object_get(entry, "architecture"), at_k, &token) < 0)
                        return -1;
                json_t *subs = json_object_get(entry, "subArchitectures");
                congo_sp_path(at_k, sizeof at_k, at_i, "subArchitectures", 0);
                if (subs != NULL && !json_is_array(subs))
                        return congo_sp_fail(c, at_k, "expected a list of architectures");
                if (token != seccomp_arch_native())
                        continue;
                if (subs != NULL && parse_arches(c, subs, at_k) < 0)
                        return -1;
        }
        return 0;
}

static int parse_flags(struct congo_sp *c, json_t *list, const char *at)
{
        char at_i[256];
        size_t i;
        json_t *v;

        if (!json_is_array(list))
                return congo_sp_fail(c, at, "expected a list of flags");
        json_array_foreach(list, i, v) {
                congo_sp_path(at_i, sizeof at_i, at, NULL, (long)i);
                const char *f = congo_sp_string(c, v, at_i);
                if (f == NULL)
                        return -1;
                if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
                        c->p->tsync = true;
                else if (strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0)
                        c->p->log = true;
                else if (strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
                        c->p->spec_allow = true;
                else if (strncmp(f, "SECCOMP_FILTER_FLAG_", 20) == 0)
                        return congo_sp_fail(c, at_i, "\"%s\" is not supported", f);
                else
                        return congo_sp_fail(c, at_i, "\"%s\" is not a flag", f);
        }
        return 0;
}

static const char *const known_keys[] = {
        "defaultAction", "defaultErrnoRet", "architectures", "flags", "syscalls",
        "archMap", NULL,
};

static int parse_top(struct congo_sp *c, json_t *obj, const char *at)
{
        char at_k[256], at_e[256];
        const char *key;
        json_t *v;

        if (!json_is_object(obj))
                return congo_sp_fail(c, *at ? at : "(top)", "expected a mapping");
        json_object_foreach(obj, key, v) {
                congo_sp_path(at_k, sizeof at_k, at, key, 0);
                if (strcmp(key, "listenerPath") == 0 || strcmp(key, "listenerMetadata") == 0)
                        return congo_sp_fail(c, at_k, "not supported");
                congo_sp_note_unknown(c, key, known_keys, at_k);
        }
        congo_sp_path(at_k, sizeof at_k, at, "defaultAction", 0);
        congo_sp_path(at_e, sizeof at_e, at, "defaultErrnoRet", 0);
        if ((v = json_object_get(obj, "defaultAction")) == NULL)
                return congo_sp_fail(c, at_k, "missing (it is required)");
        if (congo_sp_action(c, v, json_object_get(obj, "defaultErrnoRet"), at_k, at_e,
                            &c->p->default_action) < 0)
                return -1;
        congo_sp_path(at_k, sizeof at_k, at, "architectures", 0);
        if ((v = json_object_get(obj, "architectures")) != NULL) {
                if (parse_arches(c, v, at_k) < 0)
                        return -1;
        } else if ((v = json_object_get(obj, "archMap")) != NULL) {
                congo_sp_path(at_k, sizeof at_k, at, "archMap", 0);
                if (parse_arch_map(c, v, at_k) < 0)
                        return -1;
        }
        congo_sp_path(at_k, sizeof at_k, at, "flags", 0);
        if ((v = json_object_get(obj, "flags")) != NULL && parse_flags(c, v, at_k) < 0)
                return -1;
        congo_sp_path(at_k, sizeof at_k, at, "syscalls", 0);
        if ((v = json_object_get(obj, "syscalls")) != NULL)
                return congo_sp_syscalls(c, v, at_k);
        return 0;
}

static int add_rules(struct congo_sp *c, scmp_filter_ctx ctx)
{
        struct congo_seccomp_profile *p = c->p;
        int rc;

        if (ctx == NULL)
                return congo_error_set(c->err, ENOMEM, "%s: seccomp_init", c->file);
        /* no_new_privs is the spec's to decide (security.c sets it). */
        rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        if (rc == 0 && p->tsync)
                rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
        if (rc == 0 && p->log)
                rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
        if (rc == 0 && p->spec_allow)
                rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
        if (rc < 0)
                return congo_error_set(c->err, -rc, "%s: flags: libseccomp refused them", c->file);
        for (size_t i = 0; i < p->n_arches; i++)
                if ((rc = seccomp_arch_add(ctx, p->arches[i])) < 0 && rc != -EEXIST)
                        return congo_error_set(c->err, -rc, "%s: architectures[%zu]: "
                                               "libseccomp cannot add it", c->file, i);
        for (size_t i = 0; i < p->n_rules; i++) {
                const struct congo_seccomp_rule *r = &p->rules[i];
                rc = seccomp_rule_add_array(ctx, r->action, r->nr, r->n_args, r->args);
                if (rc < 0) {
                        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, r->nr);
                        congo_error_set(c->err, -rc, "%s: syscalls[%zu]: libseccomp refused the "
                                        "rule for %s", c->file, r->from, name ? name : "?");
                        free(name);
                        return -1;
                }
        }
        return 0;
}

/* libseccomp's program, generated now (export), so that loading it later
 * is one system call. */
static int export_filter(struct congo_sp *c, scmp_filter_ctx ctx)
{
        struct congo_seccomp_profile *p = c->p;
        _cleanup_close_ int fd = memfd_create("congo-seccomp", MFD_CLOEXEC);
        int rc;

        if (fd < 0)
                return congo_error_set(c->err, errno, "%s: memfd_create", c->file);
        if ((rc = seccomp_export_bpf(ctx, fd)) < 0)
                return congo_error_set(c->err, -rc, "%s: libseccomp could not generate the filter", c->file);
        off_t len = lseek(fd, 0, SEEK_END);
        size_t n = len > 0 ? (size_t)len / sizeof *p->filter : 0;
        if (len <= 0 || (size_t)len % sizeof *p->filter != 0)
                return congo_error_set(c->err, 0, "%s: libseccomp generated no filter", c->file);
        if (n > BPF_MAXINSNS)
                return congo_error_set(c->err, 0, "%s: the filter has %zu instructions, more than "
                                       "the kernel's limit of %d", c->file, n, BPF_MAXINSNS);
        if ((p->filter = malloc((size_t)len)) == NULL)
                return congo_error_set(c->err, ENOMEM, "%s", c->file);
        if (pread(fd, p->filter, (size_t)len, 0) != len)
                return congo_error_set(c->err, errno, "%s: reading the filter back", c->file);
        p->filter_len = (unsigned short)n;
        return 0;
}

static int compile(struct congo_sp *c)
{
        scmp_filter_ctx ctx = seccomp_init(c->p->default_action);
        int rc = add_rules(c, ctx) < 0 || export_filter(c, ctx) < 0 ? -1 : 0;

        if (ctx != NULL)
                seccomp_release(ctx);
        return rc;
}

struct congo_seccomp_profile *congo_seccomp_profile_from_json(json_t *obj, const char *file,
                                                              const char *prefix, uint64_t caps,
                                                              struct congo_error *err)
{
        struct congo_seccomp_profile *p = calloc(1, sizeof *p);
        struct congo_sp c = { .file = file, .caps = caps, .err = err, .p = p };

        if (p == NULL || (p->file = strdup(file)) == NULL) {
                free(p);
                congo_error_set(err, ENOMEM, "%s", file);
                return NULL;
        }
        if (parse_top(&c, obj, prefix) < 0 || compile(&c) < 0) {
                congo_seccomp_profile_free(p);
                return NULL;
        }
        return p;
}

/* Profiles are a few tens of KiB (podman's is 16); a bound keeps a
 * mistaken path (a log, an image) from being read whole. */
#define PROFILE_MAX (4 << 20)

struct congo_seccomp_profile *congo_seccomp_profile_load_fd(int fd, const char *shown,
                                                            uint64_t caps, struct congo_error *err)
{
        json_error_t jerr;
        struct stat st;

        /* Only a regular file: a FIFO or a device would block or never end. */
        if (fstat(fd, &st) < 0) {
                congo_error_set(err, errno, "%s", shown);
                return NULL;
        }
        if (!S_ISREG(st.st_mode) || st.st_size > PROFILE_MAX) {
                congo_error_set(err, 0, "%s: %s", shown, S_ISREG(st.st_mode) ?
                                "larger than 4 MiB; not a seccomp profile" : "not a regular file");
                return NULL;
        }
        /* Duplicate keys are errors, as they are in YAML specs. */
        json_t *obj = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
        if (obj == NULL) {
                if (jerr.line <= 0)
                        congo_error_set(err, 0, "%s: %s", shown, jerr.text);
                else
                        congo_error_set(err, 0, "%s:%d:%d: %s", shown, jerr.line, jerr.column,
                                        jerr.text);
                return NULL;
        }
        struct congo_seccomp_profile *p = congo_seccomp_profile_from_json(obj, shown, "", caps, err);
        json_decref(obj);
        return p;
}

struct congo_seccomp_profile *congo_seccomp_profile_load(const char *path, const char *shown,
                                                         uint64_t caps, struct congo_error *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

        if (fd < 0) {
                congo_error_set(err, errno, "%s", shown);
                return NULL;
        }
        return congo_seccomp_profile_load_fd(fd, shown, caps, err);
}

int congo_seccomp_profile_apply(const struct congo_seccomp_profile *p, struct congo_error *err)
{
        struct sock_fprog prog = { .len = p->filter_len, .filter = p->filter };
        unsigned flags = (p->tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0) |
                         (p->log ? SECCOMP_FILTER_FLAG_LOG : 0) |
                         (p->spec_allow ? SECCOMP_FILTER_FLAG_SPEC_ALLOW : 0);
        /* With tsync, a positive result is a thread that could not be
         * synchronised; we have none, but it is a failure all the same. */
        long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);

        if (rc != 0)
                return congo_error_set(err, rc < 0 ? errno : ESRCH, "loading the seccomp profile %s", p->file);
        return 0;
}

void congo_seccomp_profile_free(struct congo_seccomp_profile *p)
{
        if (p == NULL)
                return;
        free(p->filter);
        free(p->rules);
        free(p->file);
        free(p);
}
