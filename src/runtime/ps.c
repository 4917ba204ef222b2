/* ps.c - `congo ps [--format table|json] ID [PS-ARGS...]`: the processes
 * of a container are those of its cgroup (and the cgroups the container
 * made beneath it), as host pids.  json is what containerd's shim reads
 * from runc: a JSON array of pids.  table runs the host's ps (with
 * PS-ARGS, default -ef) and keeps its header and the container's lines,
 * as runc does; without ps, a table of the pids. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"

struct pids {
        int *v;
        size_t n, cap;
};

static bool has(const struct pids *p, int pid)
{
        for (size_t i = 0; i < p->n; i++)
                if (p->v[i] == pid)
                        return true;
        return false;
}

static int push(struct pids *p, int pid)
{
        if (has(p, pid))
                return 0;
        if (p->n == p->cap) {
                size_t cap = p->cap ? p->cap * 2 : 64;
                int *v = realloc(p->v, cap * sizeof *v);
                if (v == NULL)
                        return -1;
                p->v = v;
                p->cap = cap;
        }
        p->v[p->n++] = pid;
        return 0;
}

/* cgroup.procs of dir and of every cgroup beneath it. */
static int collect(int dirfd, struct pids *p, int depth)
{
        int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
        int pid;

        if (f == NULL) {
                if (fd >= 0)
                        close(fd);
                return errno == ENOENT ? 0 : -1;
        }
        while (fscanf(f, "%d", &pid) == 1)
                if (push(p, pid) < 0)
                        break;
        fclose(f);
        int sub = dup(dirfd);
        DIR *d = sub < 0 || depth > 32 ? NULL : fdopendir(sub);
        struct dirent *e;
        if (d == NULL) {
                if (sub >= 0)
                        close(sub);
                return 0;
        }
        while ((e = readdir(d)) != NULL) {
                if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                int child = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (child >= 0) {
                        collect(child, p, depth + 1);
                        close(child);
                }
        }
        closedir(d);
        return 0;
}

static int pids_of(const struct congo_rt_state *st, struct pids *p)
{
        for (size_t i = 0; i < st->cgroup.n_dirs; i++) {
                int dirfd = open(st->cgroup.path[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dirfd < 0 && errno == ENOENT)
                        continue;
                int rc = dirfd < 0 ? -1 : collect(dirfd, p, 0);
                if (dirfd >= 0)
                        close(dirfd);
                if (rc < 0) {
                        congo_rt_error("ps %s: %s: %s", st->id, st->cgroup.path[i], strerror(errno));
                        return -1;
                }
        }
        return 0;
}

/* The host's ps, its output filtered by the PID column. */
static int ps_table(const struct pids *p, char **ps_args)
{
        char *argv[64] = { "ps" };
        int n = 1, fds[2], ws;

        for (; ps_args && *ps_args && n < 63; ps_args++)
                argv[n++] = *ps_args;
        if (n == 1)
                argv[n++] = "-ef";
        argv[n] = NULL;
        if (pipe2(fds, O_CLOEXEC) < 0)
                return -1;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
                dup2(fds[1], STDOUT_FILENO);
                execvp("ps", argv);
                _exit(127);
        }
        close(fds[1]);
        FILE *f = fdopen(fds[0], "re");
        char line[4096];
        int col = -1;
        bool any = false;
        while (f && fgets(line, sizeof line, f)) {
                any = true;
                char copy[4096], *save = NULL, *tok;
                int i = 0;
                snprintf(copy, sizeof copy, "%s", line);
                if (col < 0) {
                        for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save), i++)
                                if (strcmp(tok, "PID") == 0)
                                        col = i;
                        if (col < 0) {
                                congo_rt_error("ps: no PID column in the output of ps");
                                break;
                        }
                        fputs(line, stdout);
                        continue;
                }
                for (tok = strtok_r(copy, " \t\n", &save); tok && i < col; tok = strtok_r(NULL, " \t\n", &save))
                        i++;
                if (tok && has(p, atoi(tok)))
                        fputs(line, stdout);
        }
        if (f)
                fclose(f);
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
                ;
        if (pid > 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 127 && !any) {
                puts("PID");   /* no ps on this host */
                for (size_t i = 0; i < p->n; i++)
                        printf("%d\n", p->v[i]);
                return 0;
        }
        return col < 0 ? -1 : 0;
}

int congo_rt_ps(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option longopts[] = { { "format", required_argument, NULL, 'f' }, { 0 } };
        struct congo_rt_state st;
        struct pids p = { 0 };
        bool json = false;
        int c, dirfd, rc = CONGO_RT_FAILURE;

        while ((c = congo_rt_getopt(argc, argv, "f:", longopts)) != -1) {
                if (strcmp(optarg, "json") == 0)
                        json = true;
                else if (strcmp(optarg, "table") != 0) {
                        congo_rt_error("ps: invalid format \"%s\" (table or json)", optarg);
                        return CONGO_RT_FAILURE;
                }
        }
        if (optind >= argc) {
                congo_rt_error("ps: the container id is missing");
                return CONGO_RT_FAILURE;
        }
        const char *id = argv[optind];
        char **ps_args = argv + optind + 1;
        if (*ps_args && strcmp(*ps_args, "--") == 0)
                ps_args++;
        if (json && *ps_args) {
                congo_rt_error("ps: ps arguments cannot be used with --format json");
                return CONGO_RT_FAILURE;
        }
        if (congo_rt_open(rt, id, &dirfd) < 0)
                return CONGO_RT_FAILURE;
        if (congo_rt_read(dirfd, id, &st) < 0) {
                congo_rt_close(dirfd);
                return CONGO_RT_FAILURE;
        }
        if (pids_of(&st, &p) == 0) {
                if (json) {
                        putchar('[');
                        for (size_t i = 0; i < p.n; i++)
                                printf("%s%d", i ? "," : "", p.v[i]);
                        puts("]");
                        rc = 0;
                } else {
                        rc = ps_table(&p, ps_args) < 0 ? CONGO_RT_FAILURE : 0;
                }
        }
        free(p.v);
        congo_rt_state_free(&st);
        congo_rt_close(dirfd);
        return rc;
}
