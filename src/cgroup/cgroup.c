/* cgroup.c - probing the host's cgroup layout, and the file helpers both
 * drivers share. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "cleanup.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
        char *out = s;

        for (char *p = s; *p; p++) {
                if (p[0] == '\\' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
                    isdigit((unsigned char)p[3])) {
                        *out++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
                        p += 3;
                } else {
                        *out++ = *p;
                }
        }
        *out = '\0';
}

void congo_cg_each_mount(const char *text, congo_mount_fn fn, void *user)
{
        char *copy = strdup(text ? text : ""), *save = NULL;

        for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
             line = strtok_r(NULL, "\n", &save)) {
                /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS */
                char *f[16], *s2 = NULL;
                int n = 0;
                for (char *t = strtok_r(line, " ", &s2); t && n < 16; t = strtok_r(NULL, " ", &s2))
                        f[n++] = t;
                int dash = -1;
                for (int i = 6; i < n; i++)
                        if (strcmp(f[i], "-") == 0) {
                                dash = i;
                                break;
                        }
                if (dash < 0 || dash + 3 >= n + 1 || n < 5)
                        continue;
                const char *fstype = f[dash + 1];
                const char *superopts = dash + 3 < n ? f[dash + 3] : "";
                if (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0)
                        continue;
                unescape(f[4]);
                fn(user, f[4], fstype, superopts);
        }
        free(copy);
}

char *congo_cg_slurp(const char *path)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        size_t cap = 4096, len = 0;
        char *buf;
        ssize_t n;

        if (fd < 0)
                return NULL;
        buf = malloc(cap + 1);
        while (buf && (n = read(fd, buf + len, cap - len)) > 0) {
                len += (size_t)n;
                if (len == cap && cap < (1u << 22)) {
                        char *nb = realloc(buf, (cap *= 2) + 1);
                        if (nb == NULL) {
                                free(buf);
                                buf = NULL;
                        }
                        buf = nb;
                }
        }
        close(fd);
        if (buf)
                buf[len] = '\0';
        return buf;
}

struct layout {
        bool v1_controllers, v2_mount;
};

static void note_mount(void *user, const char *mp, const char *fstype, const char *opts)
{
        struct layout *l = user;
        static const char *const wanted[] = { "pids", "memory", "cpu" };

        (void)mp;
        if (strcmp(fstype, "cgroup2") == 0) {
                l->v2_mount = true;
                return;
        }
        char *copy = strdup(opts), *save = NULL;
        for (char *o = copy ? strtok_r(copy, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save))
                for (size_t i = 0; i < 3; i++)
                        if (strcmp(o, wanted[i]) == 0)
                                l->v1_controllers = true;
        free(copy);
}

const struct congo_cgroup_driver *congo_cgroup_probe_layout(long fs_magic,
                                                            const char *mountinfo_text)
{
        struct layout l = { 0 };

        congo_cg_each_mount(mountinfo_text, note_mount, &l);
        if (fs_magic == CGROUP2_SUPER_MAGIC)
                return l.v2_mount ? &congo_cgroup_v2 : NULL;
        /* A tmpfs of v1 hierarchies; a v2 "unified" mount beside them
         * (hybrid) carries no controllers we use, so v1 wins. */
        if (l.v1_controllers)
                return &congo_cgroup_v1;
        return l.v2_mount ? &congo_cgroup_v2 : NULL;
}

/* The mountinfo text congo_cgroup_probe read, and from where: handed to
 * the first cgroup that reads the same file, so that a start reads it
 * once, not twice (the kernel prints every mount for each read). */
static char *probed_text;
static char *probed_path;

const struct congo_cgroup_driver *congo_cgroup_probe(const char *root,
                                                     const char *mountinfo,
                                                     struct congo_error *err)
{
        static const struct congo_cgroup_driver *cached;
        struct statfs sfs;
        char *text;

        if (cached != NULL)
                return cached;
        if (statfs(root, &sfs) < 0) {
                congo_error_set(err, errno, "statfs(%s)", root);
                return NULL;
        }
        if ((text = congo_cg_slurp(mountinfo)) == NULL) {
                congo_error_set(err, errno, "reading %s", mountinfo);
                return NULL;
        }
        cached = congo_cgroup_probe_layout((long)sfs.f_type, text);
        free(probed_text);
        free(probed_path);
        probed_text = text;
        probed_path = strdup(mountinfo);
        if (cached == NULL)
                congo_error_set(err, 0, "no cgroup hierarchy is mounted under %s", root);
        return cached;
}

static int none_create(struct congo_cgroup *cg, const char *rel,
                       const struct congo_cgroup_limits *limits, struct congo_error *err)
{
        (void)limits;
        (void)err;
        if (cg->plan)
                fprintf(cg->plan, "   no cgroup for %s: no limits, no stats\n", rel);
        return 0;
}

static int none_attach(struct congo_cgroup *cg, pid_t pid, struct congo_error *err)
{
        (void)cg, (void)pid, (void)err;
        return 0;
}

static void none_stats(struct congo_cgroup *cg, bool all, struct congo_cgroup_stats *out)
{
        (void)cg, (void)all, (void)out;
}

static int none_destroy(struct congo_cgroup *cg, struct congo_error *err)
{
        (void)cg, (void)err;
        return 0;
}

static int none_gc(struct congo_cgroup *cg, const char *parent, int *removed)
{
        (void)cg, (void)parent;
        *removed = 0;
        return 0;
}

const struct congo_cgroup_driver congo_cgroup_none = {
        .name = "none",
        .create = none_create,
        .attach = none_attach,
        .stats = none_stats,
        .destroy = none_destroy,
        .gc = none_gc,
};

uint64_t congo_cgroup_shares_to_weight(uint64_t shares)
{
        if (shares == 0)
                return 0;
        if (shares < 2)
                shares = 2;
        if (shares > 262144)
                shares = 262144;
        return 1 + ((shares - 2) * 9999) / 262142;
}

const char *congo_cg_mountinfo(struct congo_cgroup *cg)
{
        if (cg->mountinfo_text == NULL && probed_text != NULL && probed_path != NULL &&
            cg->mountinfo != NULL && strcmp(cg->mountinfo, probed_path) == 0) {
                cg->mountinfo_text = probed_text;
                probed_text = NULL;
        }
        if (cg->mountinfo_text == NULL)
                cg->mountinfo_text = congo_cg_slurp(cg->mountinfo);
        return cg->mountinfo_text;
}

void congo_cgroup_release(struct congo_cgroup *cg)
{
        for (size_t i = 0; i < cg->n_dirs; i++)
                free(cg->dirs[i].path);
        cg->n_dirs = 0;
        free(cg->base);
        free(cg->launcher_leaf);
        free(cg->mountinfo_text);
        cg->base = cg->launcher_leaf = cg->mountinfo_text = NULL;
}

int congo_cg_write(struct congo_cgroup *cg, const char *dir, const char *file,
                   const char *value, struct congo_error *err)
{
        char path[4096];
        ssize_t len = (ssize_t)strlen(value);

        snprintf(path, sizeof path, "%s/%s", dir, file);
        if (cg->plan) {
                fprintf(cg->plan, "   write %s = %s\n", path, value);
                return 0;
        }
        /* O_TRUNC: nothing to cgroupfs, but a fake tree in a test then
         * holds exactly the last value written. */
        _cleanup_close_ int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0)
                return congo_error_set(err, errno, "opening %s", path);
        if (write(fd, value, (size_t)len) != len)
                return congo_error_set(err, errno, "writing \"%s\" to %s", value, path);
        return 0;
}

int congo_cg_write_each(struct congo_cgroup *cg, const char *dir, const char *file,
                        char *const *values, size_t n, struct congo_error *err)
{
        char path[4096];

        if (cg->plan) {
                for (size_t i = 0; i < n; i++)
                        congo_cg_write(cg, dir, file, values[i], err);
                return 0;
        }
        snprintf(path, sizeof path, "%s/%s", dir, file);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0)
                return congo_error_set(err, errno, "opening %s", path);
        for (size_t i = 0; i < n; i++) {
                ssize_t len = (ssize_t)strlen(values[i]);
                if (write(fd, values[i], (size_t)len) != len)
                        return congo_error_set(err, errno, "writing \"%s\" to %s", values[i], path);
        }
        return 0;
}

int congo_cg_device_rule(const struct congo_cgroup_device *d, char buf[2][32])
{
        unsigned acc = d->access ? d->access : 7;
        char ma[12] = "*", mi[12] = "*", access[4];

        snprintf(access, sizeof access, "%s%s%s", acc & 2 ? "r" : "", acc & 4 ? "w" : "", acc & 1 ? "m" : "");
        if (d->type == 'a' && acc == 7) {
                snprintf(buf[0], 32, "a");
                return 1;
        }
        if (d->type == 'a') {
                snprintf(buf[0], 32, "c *:* %s", access);
                snprintf(buf[1], 32, "b *:* %s", access);
                return 2;
        }
        if (d->major >= 0)
                snprintf(ma, sizeof ma, "%" PRId32, d->major);
        if (d->minor >= 0)
                snprintf(mi, sizeof mi, "%" PRId32, d->minor);
        snprintf(buf[0], 32, "%c %s:%s %s", d->type, ma, mi, access);
        return 1;
}

int congo_cg_write_u64(struct congo_cgroup *cg, const char *dir, const char *file,
                       uint64_t value, struct congo_error *err)
{
        char buf[32];

        snprintf(buf, sizeof buf, "%" PRIu64, value);
        return congo_cg_write(cg, dir, file, buf, err);
}

int64_t congo_cg_read_i64(const char *dir, const char *file, const char *key)
{
        char path[4096];
        int64_t v = -1;

        snprintf(path, sizeof path, "%s/%s", dir, file);
        _cleanup_free_ char *text = congo_cg_slurp(path);
        if (text == NULL)
                return -1;
        if (key == NULL) {
                char *end;
                long long n = strtoll(text, &end, 10);
                if (end != text)
                        v = n;
        } else {
                size_t klen = strlen(key);
                for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
                        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
                                v = strtoll(line + klen + 1, NULL, 10);
                                break;
                        }
        }
        return v;
}

bool congo_cg_exists(const char *dir, const char *file)
{
        char path[4096];

        if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
                return false;
        return access(path, F_OK) == 0;
}

int congo_cg_mkdir(struct congo_cgroup *cg, const char *base, const char *rel,
                   char **out, struct congo_error *err)
{
        char *path = NULL;

        if (asprintf(&path, "%s/%s", base, rel) < 0)
                return congo_error_set(err, ENOMEM, "mkdir");
        if (cg->plan) {
                fprintf(cg->plan, "   mkdir %s\n", path);
                *out = path;
                return 0;
        }
        /* Usually only the leaf is missing: one mkdir, no walk. */
        if (mkdir(path, 0755) == 0 || errno == EEXIST) {
                *out = path;
                return 0;
        }
        for (char *p = path + strlen(base) + 1;; p++) {
                if (*p != '/' && *p != '\0')
                        continue;
                char c = *p;
                *p = '\0';
                if (mkdir(path, 0755) < 0 && errno != EEXIST) {
                        int e = errno;
                        congo_error_set(err, e, "mkdir %s", path);
                        free(path);
                        return -1;
                }
                *p = c;
                if (c == '\0')
                        break;
        }
        *out = path;
        return 0;
}

/* The cgroups beneath dir, each given to fn: a container with
 * CAP_SYS_ADMIN and a cgroup namespace mounts its cgroup and makes
 * children in it, and moves processes there, out of dir's cgroup.procs;
 * rmdir of dir fails while they exist (EBUSY). */
#define CG_DEPTH_MAX 256   /* frames are small: paths are on the heap */
static int each_child(const char *dir, int depth, int (*fn)(const char *, int, void *), void *ctx)
{
        int sum = 0;
        DIR *d = depth < CG_DEPTH_MAX ? opendir(dir) : NULL;

        for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
                char *child;
                if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
                    asprintf(&child, "%s/%s", dir, e->d_name) < 0)
                        continue;
                sum += fn(child, depth + 1, ctx);
                free(child);
        }
        if (d)
                closedir(d);
        return sum;
}

static int kill_tree(const char *dir, int depth, void *ctx)
{
        char *path;
        int n = 0;

        (void)ctx;
        if (asprintf(&path, "%s/cgroup.procs", dir) < 0)
                return 0;
        char *text = congo_cg_slurp(path);
        free(path);
        for (char *p = text; p && *p;) {
                char *end;
                long pid = strtol(p, &end, 10);
                if (end == p)
                        break;
                if (pid > 0)
                        kill((pid_t)pid, SIGKILL);
                n++;
                p = end + (*end == '\n');
        }
        free(text);
        n += each_child(dir, depth, kill_tree, NULL);
        /* A v1 freezer holds SIGKILL until the task thaws, and a cgroup the
         * container froze itself stays frozen when its parent thaws: thawed
         * here, killed already (the container's own cgroup is the caller's
         * to thaw, after its kills).  v2 lets SIGKILL through. */
        char *state;
        if (depth > 0 && asprintf(&state, "%s/freezer.state", dir) >= 0) {
                int fd = open(state, O_WRONLY | O_CLOEXEC);
                if (fd >= 0 && write(fd, "THAWED", 6) != 6) {
                        /* not a freezer hierarchy, or gone: nothing held */
                }
                if (fd >= 0)
                        close(fd);
                free(state);
        }
        return n;
}

int congo_cg_kill_procs(const char *dir)
{
        return kill_tree(dir, 0, NULL);
}

static bool empty(const char *dir)
{
        char path[4096 + 512];

        snprintf(path, sizeof path, "%s/cgroup.procs", dir);
        _cleanup_free_ char *text = congo_cg_slurp(path);
        return text == NULL || text[0] == '\0';
}

static int remove_tree(const char *dir, int depth, void *ctx)
{
        struct congo_error *err = ctx;
        struct timespec tick = { 0, 1000000 };   /* 1 ms, up to ~2 s */

        for (int i = 0; i < 2000; i++) {
                if (rmdir(dir) == 0 || errno == ENOENT)
                        return 0;
                if (errno != EBUSY)
                        break;
                /* Its children first (each until it goes or fails). */
                if (each_child(dir, depth, remove_tree, err) != 0)
                        return 1;
                if (!empty(dir))
                        kill_tree(dir, depth, NULL);
                nanosleep(&tick, NULL);
        }
        congo_error_set(err, errno, "removing %s", dir);
        return 1;
}

int congo_cg_remove(const char *dir, struct congo_error *err)
{
        return remove_tree(dir, 0, err) == 0 ? 0 : -1;
}

/* A cgroup whose launcher was SIGKILLed may still hold the container's
 * processes: with a pid namespace its PID 1 took them all (init.c), but
 * without one they run on, reparented to the host's init.  Kill them all:
 * cgroup.kill (v2, 5.14+) in one step; else freeze, kill, thaw, so that
 * nothing forks its way out between the read of cgroup.procs and the
 * kills (the v1 freezer hierarchy; the others are killed one by one and
 * the freezer pass catches what forked meanwhile).  Only on a real cgroup
 * file system: a directory elsewhere lists pids that are not ours. */
static void kill_stale(const char *dir)
{
        struct congo_cgroup none = { 0 };
        struct congo_error ignored;
        struct statfs sfs;
        struct timespec tick = { 0, 100000 };

        if (statfs(dir, &sfs) < 0 ||
            (sfs.f_type != CGROUP_SUPER_MAGIC && sfs.f_type != CGROUP2_SUPER_MAGIC))
                return;
        if (congo_cg_exists(dir, "cgroup.kill") &&
            congo_cg_write(&none, dir, "cgroup.kill", "1", &ignored) == 0)
                return;
        bool frozen = congo_cg_exists(dir, "freezer.state") &&
                      congo_cg_write(&none, dir, "freezer.state", "FROZEN", &ignored) == 0;
        for (int i = 0; frozen && i < 1000; i++) {
                char path[4096 + 32];
                if (snprintf(path, sizeof path, "%s/freezer.state", dir) >= (int)sizeof path)
                        break;
                _cleanup_free_ char *state = congo_cg_slurp(path);
                if (state && strncmp(state, "FROZEN", 6) == 0)
                        break;
                nanosleep(&tick, NULL);
        }
        congo_cg_kill_procs(dir);
        if (frozen)
                congo_cg_write(&none, dir, "freezer.state", "THAWED", &ignored);
}

/* Killed processes leave their cgroup once reaped: up to 100 ms. */
static bool empties(const char *dir)
{
        struct timespec tick = { 0, 1000000 };

        for (int i = 0; i < 100; i++) {
                if (empty(dir))
                        return true;
                nanosleep(&tick, NULL);
        }
        return false;
}

const char *congo_cg_own_leaf(const struct congo_cgroup *cg)
{
        const char *slash = cg->n_dirs > 0 ? strrchr(cg->dirs[0].path, '/') : NULL;

        return slash ? slash + 1 : NULL;
}

/* Whether path holds no subdirectory but our own, read from its link
 * count alone: cgroupfs (kernfs) counts a directory's subdirectories in
 * it, 2 + n.  So a run alone on the host stats the parent instead of
 * reading it and probing every entry's launcher (O(1), not O(cgroups)),
 * with the same outcome: a scan would find only ours, which it skips.  A
 * link count that says anything else (other containers, a stale one, a
 * filesystem that does not count: 1) means the scan. */
static bool nothing_stale(const char *path, const char *own)
{
        struct stat st;
        char mine[4096];

        if (stat(path, &st) < 0)
                return errno == ENOENT;
        if (!S_ISDIR(st.st_mode) || st.st_nlink < 2 || st.st_nlink > 3)
                return false;
        if (st.st_nlink == 2)
                return true;
        if (own == NULL || snprintf(mine, sizeof mine, "%s/%s", path, own) >= (int)sizeof mine)
                return false;
        return stat(mine, &st) == 0 && S_ISDIR(st.st_mode);
}

int congo_cg_gc_dir(const char *base, const char *parent, const char *own)
{
        char path[4096];
        int removed = 0;
        DIR *d;

        snprintf(path, sizeof path, "%s/%s", base, parent);
        if (nothing_stale(path, own) || (d = opendir(path)) == NULL)
                return 0;
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
                const char *dash = strrchr(e->d_name, '-');
                char *end;
                if (e->d_type != DT_DIR || dash == NULL || dash[1] == '\0')
                        continue;
                long pid = strtol(dash + 1, &end, 10);
                if (*end != '\0' || pid <= 0)
                        continue;
                if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                        continue;   /* its launcher is alive */
                char child[4096];
                if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) >= (int)sizeof child)
                        continue;
                if (!empty(child)) {
                        kill_stale(child);
                        if (!empties(child))
                                continue;
                }
                if (rmdir(child) == 0)
                        removed++;
        }
        closedir(d);
        return removed;
}
