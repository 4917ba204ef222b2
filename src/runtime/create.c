/* create.c - create, start and run.
 *
 * create runs the pipeline detached (congo_pipeline_create): everything
 * is set up, the command's process parks on STATE/exec.fifo (hold.c),
 * the state is recorded, and congo exits while the container lives on;
 * its caller (conmon, the shim) is its subreaper from then on.  start
 * opens the fifo, which lets the command exec, and returns at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "congo/pipeline.h"
#include "bundle.h"
#include "congo/util.h"
#include "runtime.h"
#include "terminal.h"

struct create_opts {
        const char *bundle, *pid_file, *console_socket;
        bool detach, no_new_keyring, no_pivot;
        int preserve_fds;
};

static int parse_create(int argc, char **argv, struct create_opts *o, bool is_run)
{
        enum { OPT_PID_FILE = 256, OPT_CONSOLE, OPT_NO_PIVOT, OPT_NO_KEYRING, OPT_PRESERVE, OPT_KEEP };
        static const struct option longopts[] = {
                { "bundle", required_argument, NULL, 'b' },
                { "pid-file", required_argument, NULL, OPT_PID_FILE },
                { "console-socket", required_argument, NULL, OPT_CONSOLE },
                { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
                { "no-new-keyring", no_argument, NULL, OPT_NO_KEYRING },
                { "preserve-fds", required_argument, NULL, OPT_PRESERVE },
                { "detach", no_argument, NULL, 'd' },
                { "keep", no_argument, NULL, OPT_KEEP },
                { 0 },
        };
        int c;

        while ((c = congo_rt_getopt(argc, argv, is_run ? "b:d" : "b:", longopts)) != -1) {
                switch (c) {
                case 'b': o->bundle = optarg; break;
                case OPT_PID_FILE: o->pid_file = optarg; break;
                case OPT_CONSOLE: o->console_socket = optarg; break;
                case 'd':
                        if (!is_run) {
                                congo_rt_error("flag provided but not defined: -detach");
                                return -1;
                        }
                        o->detach = true;
                        break;
                case OPT_PRESERVE:
                        if (congo_rt_parse_preserve_fds(optarg, &o->preserve_fds) < 0)
                                return -1;
                        break;
                /* A move and a chroot instead of pivot_root, for an
                 * initramfs root (no_pivot.c; congo(8) BUGS on its risk). */
                case OPT_NO_PIVOT: o->no_pivot = true; break;
                case OPT_NO_KEYRING: o->no_new_keyring = true; break;
                case OPT_KEEP: break;
                }
        }
        return 0;
}

/* The pty master to the caller's socket, SCM_RIGHTS, as runc sends it. */
int congo_rt_send_console(const char *path, int master)
{
        struct sockaddr_un addr = { .sun_family = AF_UNIX };

        if (strlen(path) >= sizeof addr.sun_path) {
                congo_rt_error("--console-socket %s: the path is too long", path);
                return -1;
        }
        strcpy(addr.sun_path, path);
        int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
                congo_rt_error("--console-socket %s: %s", path, strerror(errno));
                if (sock >= 0)
                        close(sock);
                return -1;
        }
        int rc = congo_fd_send(sock, master, "/dev/ptmx", strlen("/dev/ptmx"));
        int saved = errno;
        close(sock);
        if (rc < 0) {
                congo_rt_error("--console-socket %s: %s", path, strerror(saved));
                return -1;
        }
        return 0;
}

/* --pid-file: written beside its name and renamed, so a reader never sees
 * it half written. */
static int write_pid_file(const char *path, pid_t pid)
{
        char text[32];

        snprintf(text, sizeof text, "%d", (int)pid);
        if (congo_rt_write_file(AT_FDCWD, path, text) < 0) {
                congo_rt_error("--pid-file %s: %s", path, strerror(errno));
                return -1;
        }
        return 0;
}

static void record_cgroup(const struct congo_cgroup *cg, struct congo_rt_cgroup *out)
{
        snprintf(out->driver, sizeof out->driver, "%s", cg->driver ? cg->driver->name : "none");
        out->pid_namespace = cg->pid_namespace;
        for (size_t i = 0; i < cg->n_dirs && i < 8; i++) {
                snprintf(out->controller[i], sizeof out->controller[i], "%s", cg->dirs[i].controller);
                out->path[i] = cg->dirs[i].path;
        }
        out->n_dirs = cg->n_dirs < 8 ? cg->n_dirs : 8;
}

static void fill_state(struct congo_rt_state *st, const char *id, const char *bundle,
                       const struct congo_run *run, char *created, size_t len)
{
        congo_rt_now_rfc3339(created, len);
        *st = (struct congo_rt_state){
                .id = (char *)id, .bundle = (char *)bundle, .rootfs = run->spec->rootfs,
                .created = created, .pid = run->pid, .pid_start = congo_rt_pid_start(run->pid),
                .annotations = congo_rt_annotations(run->spec),
        };
        record_cgroup(&run->cgroup, &st->cgroup);
}

struct container {
        struct congo_spec spec;
        struct congo_run run;
        char *bundle;
        char cgroup_rel[CONGO_RT_ID_MAX + 64];
        int dirfd;
};

/* Everything but starting: 0 with c->dirfd still locked, or 1. */
static int create_container(const struct congo_rt *rt, const char *id, const struct create_opts *o,
                            struct container *c)
{
        struct congo_error err = { 0 };
        struct congo_rt_state st;
        char created[64];

        c->dirfd = -1;
        if ((c->bundle = congo_rt_bundle_path(o->bundle)) == NULL)
                return CONGO_RT_FAILURE;
        if (congo_rt_load_bundle(c->bundle, &c->spec) < 0) {
                free(c->bundle);
                return CONGO_RT_FAILURE;
        }
        /* The hooks' state JSON names the container by its id. */
        free(c->spec.name);
        c->spec.name = strdup(id);
        if (c->spec.terminal == CONGO_TTY_ON && o->console_socket == NULL) {
                congo_rt_error("%s: cannot allocate a terminal for a detached container without --console-socket", id);
                goto fail;
        }
        if (congo_rt_make(rt, id, &c->dirfd) < 0)
                goto fail;
        if (congo_rt_snapshot_config(c->dirfd, c->bundle) < 0)
                goto fail_dir;
        mode_t old = umask(0);
        int made = mkfifoat(c->dirfd, "exec.fifo", 0622);
        umask(old);
        /* Its read end, for the container (hold.c); O_NONBLOCK, as no
         * writer is there yet. */
        int hold = made < 0 ? -1 : openat(c->dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
        if (hold < 0) {
                congo_rt_error("exec.fifo: %s", strerror(errno));
                goto fail_dir;
        }
        congo_rt_cgroup_rel(&c->spec, id, c->cgroup_rel, sizeof c->cgroup_rel);
        if (congo_rt_cgroup_exists(c->cgroup_rel)) {
                congo_rt_error("cgroup %s already exists: a container's cgroup must be its own "
                               "(delete kills what is in it)", c->cgroup_rel);
                close(hold);
                goto fail_dir;
        }
        /* Before the cgroup exists: a create that dies from here on
         * leaves a name for the next one to clean (leftover.c). */
        if (congo_rt_write_file(c->dirfd, "cgroup", c->cgroup_rel) < 0) {
                congo_rt_error("writing the state of %s: %s", id, strerror(errno));
                close(hold);
                goto fail_dir;
        }
        if (congo_stdio_check(&err) < 0) {
                congo_error_print(&err, stderr);
                close(hold);
                goto fail_dir;
        }
        size_t n_stages;
        /* With the hooks stage where the spec has hooks: prestart and
         * createRuntime run in it. */
        const struct congo_stage *const *stages = congo_pipeline_stages(&c->spec, &n_stages);
        congo_run_init(&c->run, &c->spec, stages, n_stages);
        c->run.detached = true;
        c->run.hold_fd = hold;
        c->run.parent_only_fd = c->dirfd;
        c->run.preserve_fds = o->preserve_fds;
        c->run.new_keyring = !o->no_new_keyring;
        c->run.no_pivot = o->no_pivot;
        c->run.cgroup_rel = c->cgroup_rel;
        congo_info("create %s: bundle %s, cgroup %s", id, c->bundle, c->cgroup_rel);
        if (congo_pipeline_create(&c->run, &err) != 0) {
                congo_rt_error("%s%s%s%s%s", err.stage, err.stage[0] ? ": " : "", err.msg,
                               err.errnum ? ": " : "", err.errnum ? strerror(err.errnum) : "");
                close(hold);
                goto fail_dir;
        }
        close(hold);
        if (c->run.tty) {
                if (congo_terminal_receive(&c->run) < 0) {
                        congo_rt_error("the container sent no pseudo-terminal");
                        goto fail_run;
                }
                if (congo_rt_send_console(o->console_socket, c->run.pty_master) < 0)
                        goto fail_run;
        }
        fill_state(&st, id, c->bundle, &c->run, created, sizeof created);
        int wrote = congo_rt_mark_posthooks(c->dirfd, &c->spec) < 0 ? -1 : congo_rt_write(c->dirfd, &st);
        free(st.annotations);
        if (wrote < 0) {
                congo_rt_error("writing the state of %s: %s", id, strerror(errno));
                goto fail_run;
        }
        if (o->pid_file && write_pid_file(o->pid_file, c->run.pid) < 0)
                goto fail_run;
        if (congo_pipeline_commit(&c->run, &err) < 0) {
                congo_rt_error("%s", err.msg);
                goto fail_run;
        }
        congo_info("created %s: pid %d", id, (int)c->run.pid);
        return 0;

fail_run:
        congo_pipeline_abandon(&c->run);
        if (o->pid_file)
                unlink(o->pid_file);
fail_dir:
        congo_rt_remove(rt, id, c->dirfd);
        c->dirfd = -1;
fail:
        congo_spec_free(&c->spec);
        free(c->bundle);
        return CONGO_RT_FAILURE;
}

int congo_rt_create(const struct congo_rt *rt, int argc, char **argv)
{
        struct create_opts o = { 0 };
        struct container c;
        const char *id;

        /* From a sealed copy, as exec: the container's first process (and
         * its PID 1, congo-init) is forked from this one, and an image whose
         * command is /proc/self/exe (or a symlink to it, or a script with
         * it as interpreter) would otherwise run the host's binary inside
         * the container, open it and write it once no congo maps it
         * (CVE-2019-5736). */
        if (congo_rt_run_sealed(rt->root) < 0)
                return CONGO_RT_FAILURE;
        if (parse_create(argc, argv, &o, false) < 0 || (id = congo_rt_one_id(argc, argv, "create")) == NULL)
                return CONGO_RT_FAILURE;
        if (create_container(rt, id, &o, &c) != 0)
                return CONGO_RT_FAILURE;
        /* The container is on its own now: nothing of the run is undone
         * (its cgroup stays until delete). */
        congo_rt_close(c.dirfd);
        congo_spec_free(&c.spec);
        free(c.bundle);
        return 0;
}

/* Write the byte the parked process waits for on the fifo.  No reader
 * (ENXIO): the container died before it started. */
static int release(int dirfd, const struct congo_rt_state *st)
{
        int fd = openat(dirfd, "exec.fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);

        if (fd < 0) {
                if (errno == ENXIO)
                        congo_rt_error("start %s: the container's process ended before it started", st->id);
                else
                        congo_rt_error("start %s: exec.fifo: %s", st->id, strerror(errno));
                return -1;
        }
        /* A reader that goes between open and write: EPIPE, not death. */
        signal(SIGPIPE, SIG_IGN);
        ssize_t n = write(fd, "0", 1);
        close(fd);
        if (n != 1) {
                congo_rt_error("start %s: exec.fifo: %s", st->id, strerror(errno));
                return -1;
        }
        unlinkat(dirfd, "exec.fifo", 0);
        return 0;
}

static int start_locked(int dirfd, const char *id)
{
        struct congo_rt_state st;
        int rc = CONGO_RT_FAILURE;

        if (congo_rt_read(dirfd, id, &st) < 0)
                return CONGO_RT_FAILURE;
        if (st.status == RT_RUNNING)
                congo_rt_error("%s: cannot start an already running container", id);
        else if (st.status == RT_STOPPED)
                congo_rt_error("%s: cannot start a container that has stopped", id);
        else if (st.status == RT_PAUSED)
                congo_rt_error("%s: cannot start a paused container (resume it first)", id);
        else if (release(dirfd, &st) == 0) {
                congo_rt_posthooks(dirfd, &st, CONGO_HOOK_POSTSTART);
                rc = 0;
        }
        congo_rt_state_free(&st);
        return rc;
}

int congo_rt_start(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option none[] = { { 0 } };
        const char *id;
        int dirfd;

        if (congo_rt_getopt(argc, argv, "", none) != -1 || (id = congo_rt_one_id(argc, argv, "start")) == NULL)
                return CONGO_RT_FAILURE;
        if (congo_rt_open(rt, id, &dirfd) < 0)
                return CONGO_RT_FAILURE;
        int rc = start_locked(dirfd, id);
        congo_rt_close(dirfd);
        return rc;
}

/* ---- run: create and start; attached, the pipeline in the foreground ---- */

struct attached {
        const char *id;
        const char *bundle;
        const char *pid_file;
        int dirfd;
        int failed;
};

/* The command runs: record it, so that state, kill and delete see it. */
static void on_running(struct congo_run *run, void *ctx)
{
        struct attached *a = ctx;
        struct congo_rt_state st;
        char created[64];

        fill_state(&st, a->id, a->bundle, run, created, sizeof created);
        int wrote = congo_rt_write(a->dirfd, &st);
        free(st.annotations);
        if (wrote < 0 || (a->pid_file && write_pid_file(a->pid_file, run->pid) < 0)) {
                congo_rt_error("writing the state of %s", a->id);
                a->failed = 1;
                kill(run->pid, SIGKILL);
        }
        congo_rt_close(a->dirfd);   /* unlocked while it runs */
        a->dirfd = -1;
}

static int run_attached(const struct congo_rt *rt, const char *id, const struct create_opts *o)
{
        struct congo_spec spec;
        struct congo_run run;
        struct congo_error err = { 0 };
        char cgroup_rel[CONGO_RT_ID_MAX + 64];
        char *bundle = congo_rt_bundle_path(o->bundle);
        struct attached a = { id, bundle, o->pid_file, -1, 0 };

        if (bundle == NULL)
                return CONGO_RT_FAILURE;
        if (congo_rt_load_bundle(bundle, &spec) < 0) {
                free(bundle);
                return CONGO_RT_FAILURE;
        }
        free(spec.name);
        spec.name = strdup(id);
        if (congo_rt_make(rt, id, &a.dirfd) < 0) {
                congo_spec_free(&spec);
                free(bundle);
                return CONGO_RT_FAILURE;
        }
        congo_rt_cgroup_rel(&spec, id, cgroup_rel, sizeof cgroup_rel);
        if (congo_rt_snapshot_config(a.dirfd, bundle) < 0) {
                congo_rt_remove(rt, id, a.dirfd);
                congo_spec_free(&spec);
                free(bundle);
                return CONGO_RT_FAILURE;
        }
        if (congo_rt_cgroup_exists(cgroup_rel)) {
                congo_rt_error("cgroup %s already exists: a container's cgroup must be its own "
                               "(delete kills what is in it)", cgroup_rel);
                congo_rt_remove(rt, id, a.dirfd);
                congo_spec_free(&spec);
                free(bundle);
                return CONGO_RT_FAILURE;
        }
        size_t n_stages;
        const struct congo_stage *const *stages = congo_pipeline_stages(&spec, &n_stages);
        congo_run_init(&run, &spec, stages, n_stages);
        run.cgroup_rel = cgroup_rel;
        run.parent_only_fd = a.dirfd;
        run.preserve_fds = o->preserve_fds;
        run.new_keyring = !o->no_new_keyring;
        run.no_pivot = o->no_pivot;
        run.on_running = on_running;
        run.on_running_ctx = &a;
        int status = congo_stdio_check(&err) < 0 ? CONGO_EXIT_FAILURE : congo_pipeline_run(&run, &err);
        if (err.msg[0] != '\0') {
                congo_rt_error("%s%s%s%s%s", err.stage, err.stage[0] ? ": " : "", err.msg,
                               err.errnum ? ": " : "", err.errnum ? strerror(err.errnum) : "");
                if (status >= CONGO_EXIT_FAILURE && status <= CONGO_EXIT_NOT_FOUND && a.dirfd >= 0)
                        status = CONGO_RT_FAILURE;
        }
        /* As runc run: the container is deleted when it ends (unless a
         * delete got there first). */
        if (a.dirfd >= 0 || congo_rt_open_quiet(rt, id, &a.dirfd) == 0)
                congo_rt_remove(rt, id, a.dirfd);
        if (o->pid_file)
                unlink(o->pid_file);
        congo_spec_free(&spec);
        free(bundle);
        return a.failed ? CONGO_RT_FAILURE : status;
}

int congo_rt_run(const struct congo_rt *rt, int argc, char **argv)
{
        struct create_opts o = { 0 };
        struct container c;
        const char *id;

        /* A sealed copy, as create (above). */
        if (congo_rt_run_sealed(rt->root) < 0)
                return CONGO_RT_FAILURE;
        if (parse_create(argc, argv, &o, true) < 0 || (id = congo_rt_one_id(argc, argv, "run")) == NULL)
                return CONGO_RT_FAILURE;
        if (!o.detach)
                return run_attached(rt, id, &o);
        if (create_container(rt, id, &o, &c) != 0)
                return CONGO_RT_FAILURE;
        int rc = start_locked(c.dirfd, id);
        congo_rt_close(c.dirfd);
        congo_spec_free(&c.spec);
        free(c.bundle);
        return rc;
}
