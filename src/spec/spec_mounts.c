/* spec_mounts.c - mounts: entries, their keys and options, as every front
 * end hands them over, and the checks across a mount's keys (called from
 * spec_finish.c once the whole spec is read, when the type is known).
 *
 * Types: bind and rbind clone a host tree; proc, sysfs, devpts, mqueue,
 * cgroup, cgroup2, tmpfs, overlay and any other name are new filesystems
 * made with fsopen (an unknown name fails there, at run time).  Options:
 * the mount flags and propagation are decided here; every other option of
 * a new filesystem goes to fsconfig as written, and the kernel judges it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "root_path.h"
#include "spec_internal.h"

static const char *const type_names[] = {
        [CONGO_MOUNT_BIND] = "bind", [CONGO_MOUNT_TMPFS] = "tmpfs",
        [CONGO_MOUNT_PROC] = "proc", [CONGO_MOUNT_SYSFS] = "sysfs",
        [CONGO_MOUNT_DEVPTS] = "devpts", [CONGO_MOUNT_MQUEUE] = "mqueue",
        [CONGO_MOUNT_CGROUP] = "cgroup", [CONGO_MOUNT_CGROUP2] = "cgroup2",
        [CONGO_MOUNT_OVERLAY] = "overlay",
};

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

void congo_spec_free_mount(struct congo_mount *m)
{
        free(m->fstype);
        free(m->source);
        free(m->source_text);
        congo_relpath_free(&m->source_rel);
        free(m->target);
        congo_strv_free(m->options);
        free(m->data);
        for (size_t i = 0; i < m->overlay.n_lower; i++) {
                free(m->overlay.lower[i]);
                congo_relpath_free(&m->overlay.lower_rel[i]);
        }
        free(m->overlay.lower);
        free(m->overlay.lower_rel);
        free(m->overlay.upper);
        free(m->overlay.work);
        congo_relpath_free(&m->overlay.upper_rel);
        congo_relpath_free(&m->overlay.work_rel);
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

/* A filesystem type name as fsopen takes it: what /proc/filesystems lists. */
static bool fstype_valid(const char *t)
{
        size_t n = strlen(t);

        if (n == 0 || n > 64)
                return false;
        for (; *t; t++)
                if (!isalnum((unsigned char)*t) && !strchr("._-+", *t))
                        return false;
        return true;
}

static int set_type(struct congo_mount *m, size_t idx, const struct congo_scalar *v,
                    struct congo_diag *d)
{
        if (!fstype_valid(v->text))
                return BAD(d, v, "mounts[%zu].type: \"%s\" is not a filesystem type (bind, rbind, tmpfs, proc, sysfs, devpts, mqueue, cgroup, cgroup2, overlay, or a name in /proc/filesystems)",
                           idx, v->text);
        m->type = CONGO_MOUNT_OTHER;
        if (strcmp(v->text, "rbind") == 0)
                m->type = CONGO_MOUNT_BIND;
        for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
                if (strcmp(v->text, type_names[i]) == 0)
                        m->type = i;
        return congo_replace_str(&m->fstype, v->text);
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
        else if (strcmp(key, "remove") == 0)
                slot = &m->pos_remove;
        else
                return BAD(d, v, "mounts[%zu]: unknown key \"%s\" (expected type, source, target, options, remove)",
                           idx, key);
        char path[64];
        snprintf(path, sizeof path, "mounts[%zu].%s", idx, key);
        if (congo_spec_duplicate(spec, path, slot, &v->pos, d) < 0)
                return -1;
        if (v->is_null)
                return BAD(d, v, "mounts[%zu].%s: has no value", idx, key);
        if (!congo_utf8_valid(v->text))
                return BAD(d, v, "mounts[%zu].%s: not valid UTF-8", idx, key);
        *slot = v->pos;
        if (slot == &m->pos_remove) {
                if (congo_parse_bool(v->text, &m->remove) < 0)
                        return BAD(d, v, "mounts[%zu].remove: \"%s\" is not a boolean (true or false)",
                                   idx, v->text);
                return 0;
        }
        if (slot == &m->pos_type)
                return set_type(m, idx, v, d);
        if (slot == &m->pos_source) {
                /* A path for bind, a name for the rest: decided once the
                 * type is known (congo_spec_check_mount). */
                free(m->source);
                m->source = congo_resolve_path(spec, v, &m->source_rel);
                return m->source && congo_replace_str(&m->source_text, v->text) == 0 ? 0 : -1;
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

        char path[64];
        snprintf(path, sizeof path, "mounts[%zu].options", idx);
        if (congo_spec_duplicate(spec, path, &m->pos_options, pos, d) < 0)
                return -1;
        for (size_t i = 0; i < n; i++)
                if (!items[i].is_null && !congo_utf8_valid(items[i].text)) {
                        congo_diag_report(d, &items[i].pos, "mounts[%zu].options: not valid UTF-8", idx);
                        return -1;
                }
        if ((opts = calloc(n + 1, sizeof *opts)) == NULL)
                return -1;
        for (size_t i = 0; i < n; i++)
                opts[i] = strdup(items[i].is_null ? "" : items[i].text);
        congo_strv_free(m->options);
        m->options = opts;
        m->pos_options = *pos;
        m->options_in_file = pos->line != 0 || (n > 0 && items[0].in_file);
        return 0;
}

/* ---- propagation ------------------------------------------------------- */

static const struct { const char *name; unsigned long ms; } propagations[] = {
        { "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
        { "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
        { "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
        { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

static unsigned long propagation_from_name(const char *name)
{
        for (size_t i = 0; i < sizeof propagations / sizeof propagations[0]; i++)
                if (strcmp(name, propagations[i].name) == 0)
                        return propagations[i].ms;
        return 0;
}

const char *congo_propagation_name(unsigned long ms)
{
        for (size_t i = 0; i < sizeof propagations / sizeof propagations[0]; i++)
                if (propagations[i].ms == ms)
                        return propagations[i].name;
        return "rprivate";
}

int congo_set_rootfs_propagation(struct congo_spec *s, const char *path,
                                 const struct congo_scalar *v, struct congo_diag *d)
{
        unsigned long ms = propagation_from_name(v->text);

        if (ms == 0)
                return BAD(d, v, "%s: \"%s\" is not private, slave, shared or unbindable (or their r-forms)",
                           path, v->text);
        s->rootfs_propagation = ms;
        return 0;
}

/* ---- options ----------------------------------------------------------- */

/* Options that are mount flags, for every type. */
static const struct {
        const char *name;
        unsigned long set, clear;
} mount_flags[] = {
        { "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
        { "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
        { "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
        { "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
        { "noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME },
        { "atime", 0, MS_NOATIME },
        { "relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME },
        { "norelatime", 0, MS_RELATIME },
        { "strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME },
        { "nostrictatime", 0, MS_STRICTATIME },
        { "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
};

/* Flags a type always has, and why an option may not take them away:
 * a pseudo filesystem of the kernel's carries no suid files, devices or
 * programs of the container's, and sysfs and cgroup writable would let it
 * reconfigure the host (or its own limits). */
static unsigned long forced_flags(enum congo_mount_type t)
{
        switch (t) {
        case CONGO_MOUNT_PROC: case CONGO_MOUNT_MQUEUE:
                return MS_NOSUID | MS_NODEV | MS_NOEXEC;
        case CONGO_MOUNT_SYSFS: case CONGO_MOUNT_CGROUP: case CONGO_MOUNT_CGROUP2:
                return MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        case CONGO_MOUNT_DEVPTS:
                /* Its nodes are the ptys of its own instance. */
                return MS_NOSUID | MS_NOEXEC;
        default:
                return 0;
        }
}

static const char *const tmpfs_numeric[] = { "uid=", "gid=", "nr_inodes=", "nr_blocks=" };

/* size=, mode=, uid=, gid=, nr_inodes= are checked here for every type
 * that has them (tmpfs, devpts's mode, ...), so --check finds a typo. */
static const char *data_option_why(const char *opt)
{
        uint64_t n;

        if (strncmp(opt, "size=", 5) == 0 && congo_parse_size(opt + 5, &n) < 0 &&
            !(strlen(opt + 5) > 1 && opt[strlen(opt) - 1] == '%' &&
              strspn(opt + 5, "0123456789") == strlen(opt + 5) - 1))
                return "size is not a size (try 16m)";
        if ((strncmp(opt, "mode=", 5) == 0 || strncmp(opt, "ptmxmode=", 9) == 0)) {
                const char *v = strchr(opt, '=') + 1;
                if (strspn(v, "01234567") != strlen(v) || strlen(v) > 4 || !*v)
                        return "mode is not octal (try 755 or 1777)";
        }
        for (size_t i = 0; i < sizeof tmpfs_numeric / sizeof tmpfs_numeric[0]; i++) {
                size_t k = strlen(tmpfs_numeric[i]);
                if (strncmp(opt, tmpfs_numeric[i], k) == 0 &&
                    (strspn(opt + k, "0123456789") != strlen(opt + k) || !opt[k]))
                        return "not a number";
        }
        return NULL;
}

/* The parameters of the filesystems congo names, so that --check finds a
 * typo in them; overlay's and any other type's go to the kernel as they
 * are.  NULL: any. */
static const char *const *known_params(enum congo_mount_type t)
{
        static const char *const tmpfs[] = { "size", "nr_blocks", "nr_inodes", "mode", "uid", "gid",
                "huge", "mpol", "inode32", "inode64", "noswap", "quota", "usrquota", "grpquota",
                "usrquota_block_hardlimit", "usrquota_inode_hardlimit", "grpquota_block_hardlimit",
                "grpquota_inode_hardlimit", NULL };
        static const char *const proc[] = { "hidepid", "gid", "subset", "pidns", NULL };
        static const char *const devpts[] = { "uid", "gid", "mode", "ptmxmode", "newinstance", "max", NULL };
        static const char *const cgroup2[] = { "nsdelegate", "favordynmods", "memory_localevents",
                "memory_recursiveprot", "memory_hugetlb_accounting", "pids_localevents", NULL };
        static const char *const none[] = { NULL };

        switch (t) {
        case CONGO_MOUNT_TMPFS: return tmpfs;
        case CONGO_MOUNT_PROC: return proc;
        case CONGO_MOUNT_DEVPTS: return devpts;
        case CONGO_MOUNT_CGROUP2: return cgroup2;
        case CONGO_MOUNT_SYSFS: case CONGO_MOUNT_MQUEUE: return none;
        default: return NULL;   /* cgroup v1 takes controller names */
        }
}

static bool param_known(enum congo_mount_type t, const char *opt)
{
        const char *const *k = known_params(t);
        size_t len = strcspn(opt, "=");

        for (; k && *k; k++)
                if (strlen(*k) == len && strncmp(*k, opt, len) == 0)
                        return true;
        return k == NULL;
}

static int append_data(struct congo_mount *m, const char *opt)
{
        size_t old = m->data ? strlen(m->data) : 0;
        char *nd = realloc(m->data, old + strlen(opt) + 2);

        if (nd == NULL)
                return -1;
        sprintf(nd + old, "%s%s", old ? "," : "", opt);
        m->data = nd;
        return 0;
}

/* "dir", resolved beneath the spec's directory when relative, and rooted. */
static char *overlay_dir(struct congo_spec *s, const struct congo_mount *m, const char *text,
                         struct congo_relpath *rel)
{
        struct congo_scalar v = { .text = text, .pos = m->pos_options, .in_file = m->options_in_file };

        if (*text == '\0')
                return NULL;
        return congo_resolve_path(s, &v, rel);
}

/* lowerdir=a:b, upperdir=, workdir=: kept as paths (opened at run time
 * as bind sources are), and rewritten absolute for --print. */
static const char *overlay_option(struct congo_spec *s, struct congo_mount *m, char **opt)
{
        struct congo_overlay *o = &m->overlay;
        char *eq = strchr(*opt, '='), *abs = NULL;
        size_t klen = eq ? (size_t)(eq - *opt) : 0;

        if (klen == 8 && strncmp(*opt, "lowerdir", 8) == 0) {
                if (o->n_lower)
                        return "lowerdir is given twice";
                char *copy = strdup(eq + 1), *save = NULL;
                size_t cap = 1;
                for (const char *c = eq + 1; *c; c++)
                        cap += *c == ':';
                o->lower = calloc(cap, sizeof *o->lower);
                o->lower_rel = calloc(cap, sizeof *o->lower_rel);
                if (!copy || !o->lower || !o->lower_rel)
                        return free(copy), "out of memory";
                for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
                        if ((o->lower[o->n_lower] = overlay_dir(s, m, p, &o->lower_rel[o->n_lower])))
                                o->n_lower++;
                free(copy);
                if (o->n_lower == 0)
                        return "lowerdir names no directory";
                size_t len = 10;
                for (size_t i = 0; i < o->n_lower; i++)
                        len += strlen(o->lower[i]) + 1;
                if ((abs = malloc(len)) == NULL)
                        return "out of memory";
                strcpy(abs, "lowerdir=");
                for (size_t i = 0; i < o->n_lower; i++)
                        strcat(strcat(abs, i ? ":" : ""), o->lower[i]);
        } else if ((klen == 8 && strncmp(*opt, "upperdir", 8) == 0) ||
                   (klen == 7 && strncmp(*opt, "workdir", 7) == 0)) {
                bool up = klen == 8;
                char **slot = up ? &o->upper : &o->work;
                if (*slot)
                        return up ? "upperdir is given twice" : "workdir is given twice";
                if ((*slot = overlay_dir(s, m, eq + 1, up ? &o->upper_rel : &o->work_rel)) == NULL)
                        return "names no directory";
                if ((abs = malloc(klen + strlen(*slot) + 2)) == NULL)
                        return "out of memory";
                sprintf(abs, "%.*s=%s", (int)klen, *opt, *slot);
        } else {
                return NULL;
        }
        free(*opt);
        *opt = abs;
        return "";
}

static void report_opt(struct congo_diag *d, const struct congo_mount *m, size_t idx,
                       const char *opt, const char *why)
{
        congo_diag_report(d, &m->pos_options, "mounts[%zu].options: \"%s\": %s", idx, opt, why);
}

static void parse_options(struct congo_spec *s, struct congo_mount *m, size_t idx,
                          struct congo_diag *d)
{
        bool bind = m->type == CONGO_MOUNT_BIND;
        unsigned long forced = forced_flags(m->type);

        for (char **o = m->options; o && *o; o++) {
                const char *why = NULL;
                bool done = false;
                for (size_t f = 0; f < sizeof mount_flags / sizeof mount_flags[0]; f++) {
                        if (strcmp(*o, mount_flags[f].name) != 0)
                                continue;
                        done = true;
                        if (mount_flags[f].clear & forced)
                                why = "not allowed on this type (see congo-spec(5))";
                        m->flags = (m->flags | mount_flags[f].set) & ~mount_flags[f].clear;
                        m->clear = (m->clear | mount_flags[f].clear) & ~mount_flags[f].set;
                }
                if (!done && propagation_from_name(*o)) {
                        done = true;
                        m->propagation = propagation_from_name(*o);
                } else if (!done && (strcmp(*o, "bind") == 0 || strcmp(*o, "rbind") == 0 ||
                                     strcmp(*o, "norbind") == 0)) {
                        done = true;
                        if (!bind)
                                why = "only a bind mount takes it";
                        else if (strcmp(*o, "rbind") == 0)
                                m->flags |= MS_REC;
                        else
                                m->flags &= ~(unsigned long)MS_REC;
                } else if (!done && strcmp(*o, "idmap") == 0) {
                        done = true;
                        m->idmap = true;
                        if (!bind)
                                why = "congo idmaps bind mounts only";
                        else if (!(s->namespaces & CONGO_NS_USER))
                                why = "needs the user namespace (namespaces: [..., user] and uid_map)";
                } else if (!done && *o[0] == '\0') {
                        why = "an empty option";
                } else if (!done && strchr(*o, ',') != NULL) {
                        /* It would reach fsconfig as several parameters
                         * that nothing here checked (an overlay directory
                         * not opened beneath the spec's directory). */
                        why = "one option per item (a comma inside one would reach the kernel as several)";
                } else if (!done && m->type == CONGO_MOUNT_OVERLAY &&
                           (strncmp(*o, "lowerdir+", 9) == 0 || strncmp(*o, "datadir+", 8) == 0)) {
                        why = "write the layers in lowerdir=DIR[:DIR...] (congo opens each itself)";
                } else if (!done && bind) {
                        why = "unknown option (a bind mount takes no filesystem options)";
                } else if (!done && m->type == CONGO_MOUNT_OVERLAY &&
                           (why = overlay_option(s, m, o)) != NULL) {
                        if (*why == '\0')
                                why = NULL;
                } else if (!done && !param_known(m->type, *o)) {
                        why = "unknown option";
                } else if (!done && (why = data_option_why(*o)) == NULL) {
                        if (append_data(m, *o) < 0)
                                why = "out of memory";
                }
                if (why != NULL)
                        report_opt(d, m, idx, *o, why);
        }
        m->flags |= forced;
        m->clear &= ~forced;
}

/* A path inside the rootfs leads wherever the image's symlinks say: it is
 * opened beneath the rootfs, written relative or absolute, so that the
 * image cannot point it at the spec's directory (other containers' files)
 * or the host.  The rootfs itself, and a rootfs of "/", are left alone. */
static int confine_to_rootfs(const struct congo_spec *s, const char *path,
                             struct congo_relpath *rel)
{
        size_t n = s->rootfs ? strlen(s->rootfs) : 0;

        if (path == NULL || n <= 1 || strncmp(path, s->rootfs, n) != 0 || path[n] != '/')
                return 0;
        char *base = strdup(s->rootfs), *r = strdup(path + n + 1);
        if (base == NULL || r == NULL) {
                free(base);
                free(r);
                return -1;
        }
        congo_relpath_free(rel);
        rel->base = base;
        rel->rel = r;
        return 0;
}

/* The source: a host path for bind (opened beneath the spec's directory
 * when relative); for the rest the filesystem's source string, a label. */
static void check_source(struct congo_spec *s, struct congo_mount *m, size_t idx,
                         struct congo_diag *d)
{
        struct congo_error err = { 0 };

        if (m->type != CONGO_MOUNT_BIND) {
                free(m->source);
                congo_relpath_free(&m->source_rel);
                m->source = m->source_text ? strdup(m->source_text) : NULL;
                return;
        }
        if (m->source == NULL) {
                congo_diag_report(d, &m->pos, "mounts[%zu]: a bind mount needs a source", idx);
                return;
        }
        if (confine_to_rootfs(s, m->source, &m->source_rel) < 0) {
                congo_diag_report(d, &m->pos_source, "mounts[%zu].source: out of memory", idx);
                return;
        }
        _cleanup_close_ int fd = congo_open_spec_path(m->source, &m->source_rel, O_PATH, &err);
        if (fd >= 0)
                return;
        if (err.errnum)
                congo_diag_report(d, &m->pos_source, "mounts[%zu].source: %s: %s", idx, err.msg,
                                  strerror(err.errnum));
        else
                congo_diag_report(d, &m->pos_source, "mounts[%zu].source: %s", idx, err.msg);
        (void)s;
}

static void check_overlay(struct congo_spec *s, struct congo_mount *m, size_t idx,
                          struct congo_diag *d)
{
        struct congo_overlay *o = &m->overlay;
        struct congo_error err = { 0 };

        if (o->n_lower == 0) {
                congo_diag_report(d, &m->pos, "mounts[%zu]: an overlay mount needs lowerdir=DIR[:DIR...] in its options", idx);
                return;
        }
        if (!o->upper != !o->work) {
                congo_diag_report(d, &m->pos_options, "mounts[%zu].options: upperdir and workdir go together", idx);
                return;
        }
        for (size_t i = 0; i < o->n_lower + 2; i++) {
                const char *p = i < o->n_lower ? o->lower[i] : i == o->n_lower ? o->upper : o->work;
                struct congo_relpath *r = i < o->n_lower ? &o->lower_rel[i] :
                                                i == o->n_lower ? &o->upper_rel : &o->work_rel;
                if (p == NULL)
                        continue;
                if (confine_to_rootfs(s, p, r) < 0) {
                        congo_diag_report(d, &m->pos_options, "mounts[%zu].options: out of memory", idx);
                        return;
                }
                _cleanup_close_ int fd = congo_open_spec_path(p, r, O_PATH | O_DIRECTORY, &err);
                if (fd < 0)
                        congo_diag_report(d, &m->pos_options, "mounts[%zu].options: %s%s%s", idx, err.msg,
                                          err.errnum ? ": " : "", err.errnum ? strerror(err.errnum) : "");
        }
        (void)s;
}

/* With the cgroup namespace a cgroup mount is made last, after the pivot
 * (mount_spec.c): a later mount beneath it would be covered by it. */
static bool beneath_deferred(const struct congo_spec *s, const struct congo_mount *cg,
                             const char *target)
{
        size_t n = cg->target ? strlen(cg->target) : 0;

        return (s->namespaces & CONGO_NS_CGROUP) && n > 0 &&
               (cg->type == CONGO_MOUNT_CGROUP || cg->type == CONGO_MOUNT_CGROUP2) &&
               strncmp(target, cg->target, n) == 0 && target[n] == '/';
}

void congo_spec_check_mount(struct congo_spec *s, size_t idx, struct congo_diag *d)
{
        struct congo_mount *m = &s->mounts[idx];

        if ((int)m->type == -1) {
                congo_diag_report(d, &m->pos, "mounts[%zu]: type is missing (bind, tmpfs, proc, overlay...)", idx);
                return;
        }
        if (m->target == NULL)
                congo_diag_report(d, &m->pos, "mounts[%zu]: target is missing", idx);
        else if (strcmp(m->target, "/") == 0)
                congo_diag_report(d, &m->pos_target, "mounts[%zu].target: cannot mount over /", idx);
        for (size_t j = 0; m->target && j < idx; j++)
                if (s->mounts[j].target && strcmp(s->mounts[j].target, m->target) == 0)
                        congo_diag_report(d, &m->pos_target, "mounts[%zu].target: %s is already mounted by mounts[%zu]",
                                          idx, m->target, j);
        for (size_t j = 0; m->target && j < idx; j++)
                if (beneath_deferred(s, &s->mounts[j], m->target))
                        congo_diag_report(d, &m->pos_target, "mounts[%zu].target: %s is beneath mounts[%zu], a cgroup mount made after the others (with the cgroup namespace), which would hide it: put it elsewhere",
                                          idx, m->target, j);
        /* nodev unless the dev option asks otherwise: device nodes belong
         * in /dev, where congo makes them (devpts: forced_flags). */
        if (m->type != CONGO_MOUNT_DEVPTS)
                m->flags |= MS_NODEV;
        if (m->type == CONGO_MOUNT_BIND) {
                /* bind is recursive unless the bind or norbind option says not. */
                m->flags |= MS_BIND | MS_REC;
        }
        check_source(s, m, idx, d);
        parse_options(s, m, idx, d);
        if (m->type == CONGO_MOUNT_OVERLAY)
                check_overlay(s, m, idx, d);
        if (m->type != CONGO_MOUNT_BIND)
                m->flags &= ~(unsigned long)(MS_REC | MS_BIND);
}
