/* manage.c - state, list, kill and delete: the commands that work from a
 * container's state directory, each under its lock. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "congo/cgroup.h"
#include "runtime.h"

int congo_rt_state(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option none[] = { { 0 } };
        struct congo_rt_state st;
        const char *id;
        int dirfd;

        if (congo_rt_getopt(argc, argv, "", none) != -1 || (id = congo_rt_one_id(argc, argv, "state")) == NULL)
                return CONGO_RT_FAILURE;
        if (congo_rt_open(rt, id, &dirfd) < 0)
                return CONGO_RT_FAILURE;
        int rc = congo_rt_read(dirfd, id, &st);
        congo_rt_close(dirfd);
        if (rc < 0)
                return CONGO_RT_FAILURE;
        char *text = congo_rt_state_json(&st, false);
        if (text)
                puts(text);
        free(text);
        congo_rt_state_free(&st);
        return text ? 0 : CONGO_RT_FAILURE;
}

/* The owner's name from /etc/passwd, else "#UID" (as runc's list).  Read
 * directly, not through NSS (getpwuid): `congo` is linked as a static
 * PIE where it can be, and a static libc has no NSS modules to load. */
static const char *owner_name(uid_t uid, char *buf, size_t len)
{
        FILE *f = fopen("/etc/passwd", "re");
        struct passwd *pw;

        snprintf(buf, len, "#%u", (unsigned)uid);
        while (f && (pw = fgetpwent(f)) != NULL)
                if (pw->pw_uid == uid) {
                        snprintf(buf, len, "%s", pw->pw_name);
                        break;
                }
        if (f)
                fclose(f);
        return buf;
}

static int list_one(const struct congo_rt *rt, const char *name, int format, bool *first)
{
        struct congo_rt_state st;
        int dirfd;

        if (congo_rt_open_entry(rt, name, &dirfd) < 0)
                return 0;   /* deleted meanwhile, or a create's leftovers */
        int rc = congo_rt_read(dirfd, name, &st);
        congo_rt_close(dirfd);
        if (rc < 0)
                return 0;
        if (format == 'q') {
                puts(st.id);
        } else if (format == 'j') {
                char *text = congo_rt_state_json(&st, true);
                printf("%s%s", *first ? "" : ",", text ? text : "{}");
                free(text);
        } else {
                char owner[64];
                printf("%-12s %-8d %-10s %-40s %-30s %s\n", st.id,
                       st.status == RT_STOPPED ? 0 : (int)st.pid, congo_rt_status_name(st.status),
                       st.bundle, st.created, owner_name(st.owner, owner, sizeof owner));
        }
        *first = false;
        congo_rt_state_free(&st);
        return 0;
}

int congo_rt_list(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option longopts[] = {
                { "format", required_argument, NULL, 'f' },
                { "quiet", no_argument, NULL, 'q' },
                { 0 },
        };
        int c, format = 't';
        bool first = true;

        while ((c = congo_rt_getopt(argc, argv, "f:q", longopts)) != -1) {
                if (c == 'q')
                        format = 'q';
                else if (strcmp(optarg, "json") == 0)
                        format = format == 'q' ? 'q' : 'j';
                else if (strcmp(optarg, "table") != 0) {
                        congo_rt_error("list: invalid format \"%s\" (table or json)", optarg);
                        return CONGO_RT_FAILURE;
                }
        }
        if (optind != argc) {
                congo_rt_error("list: takes no argument");
                return CONGO_RT_FAILURE;
        }
        struct dirent **names = NULL;
        int n = scandir(rt->root, &names, NULL, alphasort);
        if (n < 0 && errno != ENOENT) {
                congo_rt_error("--root %s: %s", rt->root, strerror(errno));
                return CONGO_RT_FAILURE;
        }
        if (format == 'j')
                putchar('[');
        else if (format == 't')
                printf("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
        for (int i = 0; i < n; i++) {
                list_one(rt, names[i]->d_name, format, &first);
                free(names[i]);
        }
        free(names);
        if (format == 'j')
                puts("]");
        return 0;
}

/* 9, KILL or SIGKILL; 0 when none of these. */
static int parse_signal(const char *s)
{
        char *end;
        long n = strtol(s, &end, 10);

        if (*s != '\0' && *end == '\0')
                return n > 0 && n < NSIG ? (int)n : 0;
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        for (int sig = 1; sig < SIGRTMIN; sig++) {
                const char *name = sigabbrev_np(sig);
                if (name && strcasecmp(name, s) == 0)
                        return sig;
        }
        return 0;
}

/* Every process in the container's cgroup (kill --all). */
static void kill_cgroup(const struct congo_rt_cgroup *cg, int sig)
{
        for (size_t i = 0; i < cg->n_dirs; i++) {
                char path[4200];
                snprintf(path, sizeof path, "%s/cgroup.procs", cg->path[i]);
                FILE *f = fopen(path, "re");
                int pid;
                while (f && fscanf(f, "%d", &pid) == 1)
                        kill(pid, sig);
                if (f)
                        fclose(f);
        }
}

int congo_rt_kill(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option longopts[] = { { "all", no_argument, NULL, 'a' }, { 0 } };
        struct congo_rt_state st;
        bool all = false;
        int c, sig = SIGTERM, dirfd, rc = CONGO_RT_FAILURE;

        while ((c = congo_rt_getopt(argc, argv, "a", longopts)) != -1)
                all = true;
        if (argc - optind < 1 || argc - optind > 2) {
                congo_rt_error("kill: expects an id and, optionally, a signal");
                return CONGO_RT_FAILURE;
        }
        const char *id = argv[optind];
        if (argc - optind == 2 && (sig = parse_signal(argv[optind + 1])) == 0) {
                congo_rt_error("kill: invalid signal \"%s\"", argv[optind + 1]);
                return CONGO_RT_FAILURE;
        }
        if (congo_rt_open(rt, id, &dirfd) < 0)
                return CONGO_RT_FAILURE;
        if (congo_rt_read(dirfd, id, &st) == 0) {
                int sent = st.status == RT_STOPPED ? 1 : congo_rt_signal(st.pid, st.pid_start, sig);
                if (sent == 1) {
                        congo_rt_error("container \"%s\" is not running", id);
                } else if (sent < 0) {
                        congo_rt_error("kill %s: %s", id, strerror(errno));
                } else {
                        /* Frozen, no process of the cgroup can exit and
                         * free its pid for a host process to take between
                         * the read of cgroup.procs and the kill (as runc);
                         * a container already paused stays so. */
                        if (all) {
                                bool thaw = st.status != RT_PAUSED && st.cgroup.n_dirs > 0 &&
                                            congo_rt_set_frozen(&st.cgroup, true, id) == 0;
                                kill_cgroup(&st.cgroup, sig);
                                if (thaw)
                                        congo_rt_set_frozen(&st.cgroup, false, id);
                        }
                        /* A v1 freezer holds even SIGKILL until it thaws
                         * (v2 lets it through): a killed container goes. */
                        if (sig == SIGKILL && st.status == RT_PAUSED && strcmp(st.cgroup.driver, "v1") == 0)
                                congo_rt_set_frozen(&st.cgroup, false, id);
                        rc = 0;
                }
                congo_rt_state_free(&st);
        }
        congo_rt_close(dirfd);
        return rc;
}

static void sleep_ms(long ms)
{
        struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

        nanosleep(&ts, NULL);
}

/* The cgroup as create recorded it: everything left in it killed, then
 * removed, by its driver. */
static int destroy_cgroup(const struct congo_rt_state *st)
{
        const struct congo_rt_cgroup *rc = &st->cgroup;
        struct congo_error err = { .stage = "cgroups" };
        struct congo_cgroup cg = { .mountinfo = "/proc/self/mountinfo", .created = true,
                                   .pid_namespace = rc->pid_namespace };

        if (strcmp(rc->driver, "v1") == 0)
                cg.driver = &congo_cgroup_v1;
        else if (strcmp(rc->driver, "v2") == 0)
                cg.driver = &congo_cgroup_v2;
        else
                return 0;
        for (size_t i = 0; i < rc->n_dirs; i++) {
                snprintf(cg.dirs[i].controller, sizeof cg.dirs[i].controller, "%s", rc->controller[i]);
                cg.dirs[i].path = strdup(rc->path[i]);
        }
        cg.n_dirs = rc->n_dirs;
        int r = cg.driver->destroy(&cg, &err);
        if (r < 0)
                congo_rt_error("delete %s: %s%s%s", st->id, err.msg, err.errnum ? ": " : "",
                               err.errnum ? strerror(err.errnum) : "");
        congo_cgroup_release(&cg);
        return r;
}

static int delete_locked(const struct congo_rt *rt, const char *id, int dirfd, bool force)
{
        struct congo_rt_state st;

        if (congo_rt_read(dirfd, id, &st) < 0)
                return CONGO_RT_FAILURE;
        /* A created container goes without --force, as runc's: it never ran. */
        if ((st.status == RT_RUNNING || st.status == RT_PAUSED) && !force) {
                congo_rt_error("cannot delete container \"%s\" that is not stopped: %s", id,
                               congo_rt_status_name(st.status));
                congo_rt_state_free(&st);
                return CONGO_RT_FAILURE;
        }
        if (st.status != RT_STOPPED) {
                congo_rt_signal(st.pid, st.pid_start, SIGKILL);
                /* Paused: thawed, so that what was killed can end (v1). */
                if (st.status == RT_PAUSED)
                        congo_rt_set_frozen(&st.cgroup, false, id);
                for (int i = 0; i < 200 && congo_rt_pid_alive(st.pid, st.pid_start); i++)
                        sleep_ms(10);
        }
        int rc = destroy_cgroup(&st) < 0 ? CONGO_RT_FAILURE : 0;
        congo_rt_posthooks(dirfd, &st, CONGO_HOOK_POSTSTOP);
        if (congo_rt_remove(rt, id, dirfd) < 0)
                rc = CONGO_RT_FAILURE;
        congo_rt_state_free(&st);
        return rc;
}

int congo_rt_delete(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option longopts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
        bool force = false;
        const char *id;
        int dirfd;

        while (congo_rt_getopt(argc, argv, "f", longopts) != -1)
                force = true;
        if ((id = congo_rt_one_id(argc, argv, "delete")) == NULL)
                return CONGO_RT_FAILURE;
        if (congo_rt_open_quiet(rt, id, &dirfd) < 0) {
                /* A crashed create's leftovers go; a missing one is fine
                 * with --force, as runc's (containerd relies on it). */
                if (congo_rt_clear_stale(rt, id) || (force && congo_rt_id_valid(id)))
                        return 0;
                return congo_rt_open(rt, id, &dirfd) < 0 ? CONGO_RT_FAILURE
                                                          : delete_locked(rt, id, dirfd, force);
        }
        return delete_locked(rt, id, dirfd, force);
}
