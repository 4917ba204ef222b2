/* state.c - one directory per container under --root:
 *
 *   ROOT/ID/state.json   what create recorded (written atomically)
 *   ROOT/ID/exec.fifo    present from create to start (hold.c)
 *
 * The directory itself is the lock: every command that reads or changes
 * a container holds flock(LOCK_EX) on it, so two commands on one id run
 * one after the other.  A directory without state.json whose lock nobody
 * holds is what a create killed half-way left: the next create or delete
 * of that id clears it.  The status is never trusted from the file: it
 * is found from the pid, its start time (a reused pid is not ours) and
 * the fifo, so it is truthful after the container died unseen.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"

bool congo_rt_id_valid(const char *id)
{
        size_t len = strlen(id);

        if (len == 0 || len > CONGO_RT_ID_MAX || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return false;
        for (const char *p = id; *p; p++)
                if (!isalnum((unsigned char)*p) && *p != '_' && *p != '+' && *p != '-' && *p != '.')
                        return false;
        return true;
}

/* mkdir -p, 0700 for what we make: the states are root's. */
int congo_rt_make_root(const char *root)
{
        char path[4096];

        if (snprintf(path, sizeof path, "%s", root) >= (int)sizeof path)
                return -1;
        for (char *p = path + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        if (mkdir(path, 0700) < 0 && errno != EEXIST)
                                return -1;
                        *p = '/';
                }
        return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* A file name holds 255 bytes and an id 1024: a long id is named by its
 * first 100 bytes, '~' (never in an id) and a hash of the whole. */
const char *congo_rt_dirname(const char *id, char buf[128])
{
        uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a */

        if (strlen(id) <= 100)
                return id;
        for (const unsigned char *p = (const unsigned char *)id; *p; p++)
                h = (h ^ *p) * 0x100000001b3u;
        snprintf(buf, 128, "%.100s~%016llx", id, (unsigned long long)h);
        return buf;
}

static int open_dir(const struct congo_rt *rt, const char *id)
{
        char path[4096 + 256], name[128];

        snprintf(path, sizeof path, "%s/%s", rt->root, congo_rt_dirname(id, name));
        return open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static bool has_state(int dirfd)
{
        struct stat st;

        return fstatat(dirfd, "state.json", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Still linked: a delete may have removed it while we waited for it. */
static bool still_there(int dirfd)
{
        struct stat st;

        return fstat(dirfd, &st) == 0 && st.st_nlink > 0;
}

static int empty_dir(int dirfd)
{
        int fd = dup(dirfd);
        DIR *d = fd < 0 ? NULL : fdopendir(fd);
        struct dirent *e;

        if (d == NULL) {
                if (fd >= 0)
                        close(fd);
                return -1;
        }
        rewinddir(d);
        while ((e = readdir(d)) != NULL)
                if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
                        unlinkat(dirfd, e->d_name, 0);
        closedir(d);
        return 0;
}

int congo_rt_open(const struct congo_rt *rt, const char *id, int *dirfd)
{
        if (!congo_rt_id_valid(id)) {
                congo_rt_error("invalid container id \"%.64s%s\": use letters, digits, _ + - . (at most %d)",
                               id, strlen(id) > 64 ? "..." : "", CONGO_RT_ID_MAX);
                return -1;
        }
        *dirfd = open_dir(rt, id);
        if (*dirfd >= 0 && flock(*dirfd, LOCK_EX) == 0 && still_there(*dirfd) && has_state(*dirfd))
                return 0;
        if (*dirfd >= 0)
                close(*dirfd);
        *dirfd = -1;
        congo_rt_error("container \"%s\" does not exist", id);
        return -1;
}

int congo_rt_open_quiet(const struct congo_rt *rt, const char *id, int *dirfd)
{
        *dirfd = congo_rt_id_valid(id) ? open_dir(rt, id) : -1;
        if (*dirfd >= 0 && flock(*dirfd, LOCK_EX) == 0 && still_there(*dirfd) && has_state(*dirfd))
                return 0;
        if (*dirfd >= 0)
                close(*dirfd);
        *dirfd = -1;
        return -1;
}

int congo_rt_open_entry(const struct congo_rt *rt, const char *name, int *dirfd)
{
        char path[4096 + 256];

        snprintf(path, sizeof path, "%s/%s", rt->root, name);
        *dirfd = name[0] == '.' ? -1 : open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (*dirfd >= 0 && flock(*dirfd, LOCK_EX) == 0 && still_there(*dirfd) && has_state(*dirfd))
                return 0;
        if (*dirfd >= 0)
                close(*dirfd);
        *dirfd = -1;
        return -1;
}

bool congo_rt_clear_stale(const struct congo_rt *rt, const char *id)
{
        int dirfd = congo_rt_id_valid(id) ? open_dir(rt, id) : -1;

        if (dirfd < 0)
                return false;
        if (flock(dirfd, LOCK_EX | LOCK_NB) == 0 && still_there(dirfd) && !has_state(dirfd)) {
                congo_rt_remove_leftover_cgroup(dirfd);
                congo_rt_remove(rt, id, dirfd);
                return true;
        }
        close(dirfd);
        return false;
}

int congo_rt_make(const struct congo_rt *rt, const char *id, int *dirfd)
{
        char path[4096 + 256], tmp[4096 + 64], name[128];

        if (!congo_rt_id_valid(id)) {
                congo_rt_error("invalid container id \"%.64s%s\": use letters, digits, _ + - . (at most %d)",
                               id, strlen(id) > 64 ? "..." : "", CONGO_RT_ID_MAX);
                return -1;
        }
        if (congo_rt_make_root(rt->root) < 0) {
                congo_rt_error("--root %s: %s", rt->root, strerror(errno));
                return -1;
        }
        /* Made under a name of our own and locked before it gets the id's
         * name (renameat2 NOREPLACE): a directory under an id is always
         * either locked by its create or complete. */
        snprintf(path, sizeof path, "%s/%s", rt->root, congo_rt_dirname(id, name));
        snprintf(tmp, sizeof tmp, "%s/.new-%d", rt->root, (int)getpid());
        if (mkdir(tmp, 0711) < 0 && errno != EEXIST) {
                congo_rt_error("%s: %s", tmp, strerror(errno));
                return -1;
        }
        *dirfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (*dirfd < 0 || flock(*dirfd, LOCK_EX) < 0) {
                congo_rt_error("%s: %s", tmp, strerror(errno));
                goto fail;
        }
        empty_dir(*dirfd);   /* a pid's leftover, reused */
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
                return 0;
        if (errno != EEXIST) {
                congo_rt_error("%s: %s", path, strerror(errno));
                goto fail;
        }
        rmdir(tmp);
        congo_rt_close(*dirfd);
        /* Taken: by a live create (locked), a container (state.json), or
         * what a create killed half-way left, which is cleared and reused. */
        *dirfd = open_dir(rt, id);
        if (*dirfd >= 0 && flock(*dirfd, LOCK_EX | LOCK_NB) == 0 && still_there(*dirfd) &&
            !has_state(*dirfd)) {
                congo_rt_remove_leftover_cgroup(*dirfd);
                empty_dir(*dirfd);
                return 0;
        }
        congo_rt_error("container \"%s\" already exists", id);
        if (*dirfd >= 0)
                close(*dirfd);
        *dirfd = -1;
        return -1;
fail:
        if (*dirfd >= 0)
                close(*dirfd);
        *dirfd = -1;
        rmdir(tmp);
        return -1;
}

int congo_rt_remove(const struct congo_rt *rt, const char *id, int dirfd)
{
        char path[4096 + 256], name[128];
        int rc = 0;

        /* state.json last: until it goes, the id is taken. */
        unlinkat(dirfd, "exec.fifo", 0);
        empty_dir(dirfd);
        snprintf(path, sizeof path, "%s/%s", rt->root, congo_rt_dirname(id, name));
        if (rmdir(path) < 0 && errno != ENOENT) {
                congo_rt_error("removing %s: %s", path, strerror(errno));
                rc = -1;
        }
        congo_rt_close(dirfd);
        return rc;
}

void congo_rt_close(int dirfd)
{
        /* Explicitly: a container cloned while we held it shares the open
         * file, and so the lock, until it execs. */
        if (dirfd >= 0) {
                flock(dirfd, LOCK_UN);
                close(dirfd);
        }
}

int congo_rt_write_file(int dirfd, const char *path, const char *text)
{
        char tmp[4200];
        size_t len = strlen(text);

        /* Our own name, made new (O_EXCL): never a file someone put there
         * (the pid file may go in a directory others write to). */
        if (snprintf(tmp, sizeof tmp, "%s.tmp-%d", path, (int)getpid()) >= (int)sizeof tmp)
                return -1;
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return -1;
        bool ok = write(fd, text, len) == (ssize_t)len;
        ok = close(fd) == 0 && ok;
        if (!ok || renameat(dirfd, tmp, dirfd, path) < 0) {
                unlinkat(dirfd, tmp, 0);
                return -1;
        }
        return 0;
}

/* Field 22 (starttime) of /proc/PID/stat, and field 3 (state); 0 when
 * there is no such process.  The name in field 2 may hold ") ". */
static unsigned long long stat_of(pid_t pid, char *state)
{
        char path[64], buf[1024];
        unsigned long long start = 0;

        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        char *p = strrchr(buf, ')');
        if (p == NULL || sscanf(p + 2, "%c", state) != 1)
                return 0;
        for (int field = 2; p && field < 22; field++)   /* ")" ends field 2 */
                p = strchr(p + 1, ' ');
        if (p == NULL || sscanf(p + 1, "%llu", &start) != 1)
                return 0;
        return start;
}

unsigned long long congo_rt_pid_start(pid_t pid)
{
        char state;

        return stat_of(pid, &state);
}

int congo_rt_signal(pid_t pid, unsigned long long start, int sig)
{
        /* Through a pidfd taken before the start time is checked: the pid
         * cannot be reused by another process between check and signal. */
        int fd = (int)syscall(SYS_pidfd_open, pid, 0);

        if (fd < 0 && errno != ENOSYS)
                return errno == ESRCH ? 1 : -1;
        if (!congo_rt_pid_alive(pid, start)) {
                if (fd >= 0)
                        close(fd);
                return 1;
        }
        int r = fd >= 0 ? (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) : kill(pid, sig);
        int e = errno;
        if (fd >= 0)
                close(fd);
        errno = e;
        return r < 0 ? -1 : 0;
}

bool congo_rt_pid_alive(pid_t pid, unsigned long long start)
{
        char state = 0;

        if (pid <= 0)
                return false;
        unsigned long long now = stat_of(pid, &state);
        return now != 0 && now == start && state != 'Z' && state != 'X';
}

enum congo_rt_status congo_rt_status_of(int dirfd, const struct congo_rt_state *st)
{
        struct stat sb;

        if (!congo_rt_pid_alive(st->pid, st->pid_start))
                return RT_STOPPED;
        if (congo_rt_frozen(&st->cgroup))
                return RT_PAUSED;
        return fstatat(dirfd, "exec.fifo", &sb, AT_SYMLINK_NOFOLLOW) == 0 ? RT_CREATED : RT_RUNNING;
}

const char *congo_rt_status_name(enum congo_rt_status s)
{
        static const char *const names[] = { "creating", "created", "running", "stopped", "paused" };

        return names[s];
}

void congo_rt_state_free(struct congo_rt_state *st)
{
        free(st->id);
        free(st->bundle);
        free(st->rootfs);
        free(st->created);
        free(st->annotations);
        for (size_t i = 0; i < st->cgroup.n_dirs; i++)
                free(st->cgroup.path[i]);
        *st = (struct congo_rt_state){ 0 };
}

static char *dup_str(json_t *obj, const char *key)
{
        const char *s = json_string_value(json_object_get(obj, key));

        return strdup(s ? s : "");
}

static void read_cgroup(json_t *cg, struct congo_rt_cgroup *out)
{
        json_t *dirs = json_object_get(cg, "dirs"), *d;
        size_t i;

        snprintf(out->driver, sizeof out->driver, "%s",
                 json_string_value(json_object_get(cg, "driver")) ?: "none");
        out->pid_namespace = json_is_true(json_object_get(cg, "pid_namespace"));
        json_array_foreach(dirs, i, d) {
                if (out->n_dirs == 8)
                        break;
                const char *c = json_string_value(json_object_get(d, "controller"));
                const char *p = json_string_value(json_object_get(d, "path"));
                if (p == NULL)
                        continue;
                snprintf(out->controller[out->n_dirs], sizeof out->controller[0], "%s", c ? c : "");
                out->path[out->n_dirs++] = strdup(p);
        }
}

int congo_rt_read(int dirfd, const char *id, struct congo_rt_state *st)
{
        json_error_t jerr;
        struct stat sb;
        char buf[65536];
        ssize_t n = -1;

        *st = (struct congo_rt_state){ 0 };
        int fd = openat(dirfd, "state.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
                n = read(fd, buf, sizeof buf);
                fstat(fd, &sb);
                close(fd);
        }
        json_t *j = n > 0 ? json_loadb(buf, (size_t)n, 0, &jerr) : NULL;
        if (j == NULL) {
                congo_rt_error("container \"%s\": its state cannot be read", id);
                return -1;
        }
        st->id = dup_str(j, "id");
        st->bundle = dup_str(j, "bundle");
        st->rootfs = dup_str(j, "rootfs");
        st->created = dup_str(j, "created");
        st->pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
        st->pid_start = (unsigned long long)json_integer_value(json_object_get(j, "pid_start"));
        json_t *ann = json_object_get(j, "annotations");
        st->annotations = ann ? json_dumps(ann, JSON_COMPACT) : strdup("{}");
        read_cgroup(json_object_get(j, "cgroup"), &st->cgroup);
        st->owner = sb.st_uid;
        json_decref(j);
        st->status = congo_rt_status_of(dirfd, st);
        return 0;
}

static json_t *cgroup_json(const struct congo_rt_cgroup *cg)
{
        json_t *dirs = json_array();

        for (size_t i = 0; i < cg->n_dirs; i++)
                json_array_append_new(dirs, json_pack("{s:s, s:s}", "controller", cg->controller[i],
                                                      "path", cg->path[i]));
        return json_pack("{s:s, s:b, s:o}", "driver", cg->driver, "pid_namespace", cg->pid_namespace,
                         "dirs", dirs);
}

int congo_rt_write(int dirfd, const struct congo_rt_state *st)
{
        json_error_t jerr;
        json_t *ann = json_loads(st->annotations ? st->annotations : "{}", 0, &jerr);
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o}",
                              "ociVersion", "1.1.0", "id", st->id, "bundle", st->bundle,
                              "rootfs", st->rootfs, "created", st->created,
                              "pid", (json_int_t)st->pid, "pid_start", (json_int_t)st->pid_start,
                              "annotations", ann ? ann : json_object(),
                              "cgroup", cgroup_json(&st->cgroup));
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        int rc = text ? congo_rt_write_file(dirfd, "state.json", text) : -1;

        free(text);
        json_decref(j);
        return rc;
}

char *congo_rt_state_json(const struct congo_rt_state *st, bool list_form)
{
        json_error_t jerr;
        json_t *ann = json_loads(st->annotations ? st->annotations : "{}", 0, &jerr);
        /* The pid is 0 once stopped, as runc's. */
        json_int_t pid = st->status == RT_STOPPED ? 0 : (json_int_t)st->pid;
        json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}",
                              "ociVersion", "1.1.0", "id", st->id, "pid", pid,
                              "status", congo_rt_status_name(st->status), "bundle", st->bundle,
                              "rootfs", st->rootfs, "created", st->created, "owner", "",
                              "annotations", ann ? ann : json_object());
        char *text = j ? json_dumps(j, list_form ? JSON_COMPACT : JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

        json_decref(j);
        return text;
}
