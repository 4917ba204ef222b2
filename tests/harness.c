/* harness.c - helpers for the integration tests. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

static char tmp[256];
static char rootfs[300];
static char shared_launcher[300];

const char *harness_rootfs(void) { return rootfs; }
const char *harness_tmp(void) { return tmp; }

static const char *launcher(void)
{
        const char *l = getenv("CONGO_LAUNCH");
        return l ? l : "./congo-launch";
}

void harness_setup(const char *suite)
{
        char cmd[1024];
        const char *src = getenv("CONGO_SRCDIR");

        if (geteuid() != 0) {
                printf("SKIP: %s: the integration tests start real containers and need root\n", suite);
                exit(77);
        }
        snprintf(tmp, sizeof tmp, "/tmp/congo-test-%s-XXXXXX", suite);
        if (mkdtemp(tmp) == NULL) {
                perror("mkdtemp");
                exit(99);
        }
        /* Readable by all: user-namespaced and rootless containers run as
         * unprivileged host users, who must reach the rootfs. */
        chmod(tmp, 0755);
        snprintf(rootfs, sizeof rootfs, "%s/rootfs", tmp);
        snprintf(cmd, sizeof cmd, "sh '%s/tests/mkrootfs.sh' '%s' >/dev/null", src ? src : ".", rootfs);
        if (system(cmd) != 0) {
                fprintf(stderr, "building the busybox rootfs failed (apt-get install busybox-static)\n");
                exit(99);
        }
        /* A copy of the launcher that any user can run: the build tree may
         * be where others cannot reach (a clone under /root is 0700). */
        snprintf(shared_launcher, sizeof shared_launcher, "%s/congo-launch", tmp);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 0755 '%s'", launcher(), shared_launcher,
                 shared_launcher);
        if (system(cmd) != 0) {
                fprintf(stderr, "copying %s to %s failed\n", launcher(), shared_launcher);
                exit(99);
        }
}

const char *harness_launcher_for_anyone(void) { return shared_launcher; }

void harness_teardown(void)
{
        char cmd[512];

        if (tmp[0] == '\0')
                return;
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0)
                fprintf(stderr, "could not remove %s\n", tmp);
}

const char *harness_spec(const char *name, const char *body)
{
        static char path[512];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s.yaml", tmp, name);
        f = fopen(path, "w");
        if (f == NULL)
                return NULL;
        fprintf(f, "version: 1\nrootfs: %s\n%s", rootfs, body);
        fclose(f);
        return path;
}

static pid_t spawn(const char *const args[], int out[2], int err[2])
{
        posix_spawn_file_actions_t fa;
        char *argv[64];
        size_t n = 0;
        pid_t pid;

        argv[n++] = (char *)launcher();
        for (; args[n - 1] && n < 63; n++)
                argv[n] = (char *)args[n - 1];
        argv[n] = NULL;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        if (out) {
                posix_spawn_file_actions_adddup2(&fa, out[1], 1);
                posix_spawn_file_actions_addclose(&fa, out[0]);
        }
        if (err) {
                posix_spawn_file_actions_adddup2(&fa, err[1], 2);
                posix_spawn_file_actions_addclose(&fa, err[0]);
        }
        if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
                pid = -1;
        posix_spawn_file_actions_destroy(&fa);
        return pid;
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
        *buf = realloc(*buf, *len + n + 1);
        memcpy(*buf + *len, data, n);
        *len += n;
        (*buf)[*len] = '\0';
}

struct outcome harness_run(const char *const args[])
{
        struct outcome o = { -1, calloc(1, 1), calloc(1, 1) };
        int out[2], err[2], ws;
        size_t olen = 0, elen = 0;

        if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
                return o;
        pid_t pid = spawn(args, out, err);
        close(out[1]);
        close(err[1]);
        struct pollfd p[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
        while (p[0].fd >= 0 || p[1].fd >= 0) {
                char buf[4096];
                if (poll(p, 2, -1) < 0 && errno != EINTR)
                        break;
                for (int i = 0; i < 2; i++) {
                        if (p[i].fd < 0 || !p[i].revents)
                                continue;
                        ssize_t r = read(p[i].fd, buf, sizeof buf);
                        if (r <= 0) {
                                close(p[i].fd);
                                p[i].fd = -1;
                        } else if (i == 0) {
                                append(&o.out, &olen, buf, (size_t)r);
                        } else {
                                append(&o.err, &elen, buf, (size_t)r);
                        }
                }
        }
        if (pid > 0 && waitpid(pid, &ws, 0) == pid)
                o.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        return o;
}

pid_t harness_start(const char *const args[], int *out_fd)
{
        int out[2];

        if (pipe2(out, O_CLOEXEC) < 0)
                return -1;
        pid_t pid = spawn(args, out, NULL);
        close(out[1]);
        *out_fd = out[0];
        return pid;
}

bool harness_wait_for(int fd, const char *text, int timeout_ms)
{
        char buf[8192];
        size_t len = 0;

        while (timeout_ms > 0 && len < sizeof buf - 1) {
                struct pollfd p = { fd, POLLIN, 0 };
                if (poll(&p, 1, 100) <= 0) {
                        timeout_ms -= 100;
                        continue;
                }
                ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
                if (r <= 0)
                        return false;
                len += (size_t)r;
                buf[len] = '\0';
                if (strstr(buf, text))
                        return true;
        }
        return false;
}

void outcome_free(struct outcome *o)
{
        free(o->out);
        free(o->err);
}

int count_lines(const char *s, const char *needle)
{
        int n = 0;

        for (const char *line = s; line && *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                char *copy = strndup(line, len);
                if (strstr(copy, needle))
                        n++;
                free(copy);
                line = nl ? nl + 1 : NULL;
        }
        return n;
}

int congo_cgroups_left(const char *prefix)
{
        /* "sub/name-": children of congo/sub whose name starts with name-. */
        const char *slash = strrchr(prefix, '/');
        char sub[128] = "";
        if (slash) {
                snprintf(sub, sizeof sub, "/%.*s", (int)(slash - prefix), prefix);
                prefix = slash + 1;
        }
        static const char *const roots[] = {
                "/sys/fs/cgroup/pids/congo", "/sys/fs/cgroup/memory/congo",
                "/sys/fs/cgroup/cpu/congo", "/sys/fs/cgroup/cpuacct/congo",
                "/sys/fs/cgroup/freezer/congo", "/sys/fs/cgroup/devices/congo",
                "/sys/fs/cgroup/cpuset/congo", "/sys/fs/cgroup/hugetlb/congo",
                "/sys/fs/cgroup/blkio/congo",
                "/sys/fs/cgroup/unified/congo", "/sys/fs/cgroup/congo",
        };
        int n = 0;

        for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
                char root[256];
                snprintf(root, sizeof root, "%s%s", roots[i], sub);
                DIR *d = opendir(root);
                if (d == NULL)
                        continue;
                for (struct dirent *e; (e = readdir(d));)
                        if (e->d_type == DT_DIR && strncmp(e->d_name, prefix, strlen(prefix)) == 0)
                                n++;
                closedir(d);
        }
        return n;
}

char *read_file(const char *path)
{
        FILE *f = fopen(path, "r");
        char *buf = NULL;
        size_t len = 0;

        if (f == NULL)
                return NULL;
        char chunk[4096];
        size_t r;
        while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
                append(&buf, &len, chunk, r);
        fclose(f);
        return buf ? buf : calloc(1, 1);
}

int harness_gc(const char *prefix)
{
        const char *gc[] = { "--gc", NULL };

        for (int i = 0; i < 100 && congo_cgroups_left(prefix); i++) {
                struct outcome o = harness_run(gc);
                outcome_free(&o);
                usleep(20000);
        }
        return congo_cgroups_left(prefix);
}

const char *harness_cgroup2_mount(void)
{
        static char mp[512];
        char *all = read_file("/proc/self/mountinfo");

        mp[0] = '\0';
        for (char *l = all; l && *l && !mp[0]; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                char line[1024], point[512];
                snprintf(line, sizeof line, "%.*s", (int)strcspn(l, "\n"), l);
                if (strstr(line, " - cgroup2 ") && sscanf(line, "%*s %*s %*s %*s %511s", point) == 1)
                        snprintf(mp, sizeof mp, "%s", point);
        }
        free(all);
        return mp[0] ? mp : NULL;
}

pid_t harness_first_child(pid_t parent)
{
        char path[64];

        snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)parent, (int)parent);
        char *text = read_file(path);
        pid_t child = text ? (pid_t)atoi(text) : 0;
        free(text);
        return child;
}

bool harness_gone(pid_t pid)
{
        char path[64];

        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        char *stat = read_file(path);
        bool dead = stat == NULL || strstr(stat, ") Z ") != NULL;
        free(stat);
        return dead;
}

const char *harness_host_file(const char *name, const char *text)
{
        static char path[512];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", tmp, name);
        if ((f = fopen(path, "w")) == NULL)
                return NULL;
        fputs(text, f);
        fclose(f);
        return path;
}

struct outcome harness_run_spec(const char *name, const char *body)
{
        const char *args[] = { harness_spec(name, body), NULL };

        return harness_run(args);
}

const char *harness_image(const char *name, const char *shape)
{
        static char path[512];
        char cmd[4096];

        snprintf(path, sizeof path, "%s/%s", tmp, name);
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -a '%s' '%s' && cd '%s' && %s",
                 path, rootfs, path, path, shape);
        ck_assert_msg(system(cmd) == 0, "shaping %s: %s", name, shape);
        return path;
}

struct outcome harness_run_on(const char *name, const char *rootfs_path, const char *body)
{
        char file[128], text[4096];

        snprintf(file, sizeof file, "%s.yaml", name);
        snprintf(text, sizeof text, "version: 1\nrootfs: %s\n%s", rootfs_path, body);
        const char *args[] = { harness_host_file(file, text), NULL };
        return harness_run(args);
}

int harness_collect(pid_t pid, int fd, char *buf, size_t size)
{
        size_t len = 0;
        ssize_t r;
        int ws;

        while (len < size - 1 && (r = read(fd, buf + len, size - 1 - len)) > 0)
                len += (size_t)r;
        buf[len] = '\0';
        close(fd);
        waitpid(pid, &ws, 0);
        return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

void harness_kill(pid_t pid, int fd)
{
        int ws;

        kill(pid, SIGKILL);
        waitpid(pid, &ws, 0);
        close(fd);
}
