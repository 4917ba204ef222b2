/* pipeline.h - the stage table: the one place to look for what congo does
 * to start a container, and in which order.
 *
 *   namespaces -> rootfs -> cgroups -> env/hostname -> exec
 *
 * pipeline.c runs every prepare (launcher, before clone) in order, clones
 * the container process into its namespaces, then runs the parent hooks in
 * order; the child runs stage i's child hook once stage i's parent hook is
 * done (so it builds its root while the launcher makes its cgroups), and
 * the last child hook execs.  Meanwhile the launcher runs every started
 * hook (work the container need not wait for), then waits, forwards
 * signals, and runs every cleanup in reverse order on every path.  Any
 * hook may be NULL.
 *
 * A spec with OCI hooks (hooks.*) runs congo_hooks_stages instead, which
 * adds the hooks stage and moves cgroups before rootfs so that prestart
 * hooks see the container in its cgroup and before pivot_root.  Where
 * each kind runs, in this order (src/pipeline/hooks.c runs them all):
 *
 *   prestart, create_runtime  launcher (runtime namespaces, host root),
 *                             the hooks stage's parent: namespaces made,
 *                             cgroup joined, the child waiting before
 *                             its root is built
 *   create_container          the container process, in its namespaces,
 *                             rootfs mounted, before pivot_root: the path
 *                             resolves in the host's tree (stage_rootfs.c)
 *   start_container           the command's process, after pivot_root and
 *                             every privilege drop, just before execve:
 *                             the path resolves in the container's root
 *                             (stage_exec.c)
 *   poststart                 launcher, once the command was executed,
 *                             before supervising it (pipeline.c)
 *   poststop                  launcher, after the container is gone and
 *                             every cleanup ran (pipeline.c), whenever the
 *                             container process was created
 *
 * A failing prestart..start_container hook fails the start (125); a
 * failing poststart or poststop hook is a warning (runtime.md).
 */
#ifndef CONGO_PIPELINE_H
#define CONGO_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include "congo/cgroup.h"
#include "congo/error.h"
#include "congo/spec.h"

struct congo_run;

struct congo_stage {
        const char *name;
        /* --dry-run: say what the stage would do, do nothing. */
        void (*describe)(struct congo_run *, FILE *out);
        int (*prepare)(struct congo_run *, struct congo_error *);  /* launcher, before clone */
        int (*parent)(struct congo_run *, struct congo_error *);   /* launcher, before child() */
        void (*started)(struct congo_run *);                       /* launcher, child released */
        int (*child)(struct congo_run *, struct congo_error *);    /* in the container */
        void (*cleanup)(struct congo_run *);                       /* launcher, reverse order */
};

extern const struct congo_stage congo_stage_namespaces;
extern const struct congo_stage congo_stage_rootfs;
extern const struct congo_stage congo_stage_cgroups;
extern const struct congo_stage congo_stage_env;
extern const struct congo_stage congo_stage_exec;
extern const struct congo_stage congo_stage_hooks;

/* The default pipeline, in order. */
extern const struct congo_stage *const congo_default_stages[];
extern const size_t congo_default_stage_count;
/* namespaces, cgroups, hooks, rootfs, env, exec. */
extern const struct congo_stage *const congo_hooks_stages[];
extern const size_t congo_hooks_stage_count;
/* The table a spec runs with: the default, or the hooks one. */
const struct congo_stage *const *congo_pipeline_stages(const struct congo_spec *spec, size_t *n);

/* What the run reports at exit (--stats). -1: not known. */
struct congo_run_result {
        int exit_code;             /* the launcher's exit status: the command's,
                                      128+N when signal N killed it, 125-127 */
        int signal;                /* N when signal N killed it, else 0 */
        int64_t wall_ms;
        struct congo_cgroup_stats cg;
        bool time_limit_hit;
};

struct congo_run {
        const struct congo_spec *spec;
        const struct congo_stage *const *stages;
        size_t n_stages;

        unsigned long clone_flags;   /* CLONE_NEW*; set by the namespaces stage */
        pid_t pid;                   /* the container's first process */
        pid_t launcher_pid;
        bool tty;                    /* the container has a pty we proxy */
        int pty_master;              /* its master, received from the child */
        int tty_sock[2];             /* the child sends the master over it */
        struct winsize winsize;      /* the host terminal's, for the new pty */
        int mount_sock[2];           /* launcher -> child: idmapped mounts */

        char **envp;                 /* built by the env stage in prepare */
        struct congo_cgroup cgroup;  /* filled by the cgroups stage */
        int cgroup_fd;               /* v2 directory for CLONE_INTO_CGROUP, or -1 */
        bool in_cgroup;              /* clone3 already placed the child */

        /* The OCI runtime's create (src/runtime): the launcher leaves and
         * the container outlives it, so no death signal; the command's
         * process parks just before exec on hold_fd (the O_PATH fd of the
         * state directory's exec.fifo) until `start` opens it (hold.c). */
        bool detached;
        bool parked;                 /* the child reported it reached the hold */
        int hold_fd;                 /* -1: no hold (congo-launch) */
        int parent_only_fd;          /* the runtime's locked state directory, or
                                        -1: the child closes it first thing, so
                                        that the lock (flock, of the open file)
                                        never outlives a runtime killed midway */
        int preserve_fds;            /* the runtime's --preserve-fds N: the caller's
                                        fds 3..3+N-1 stay open in the command */
        bool new_keyring;            /* the runtime's: the command joins a new
                                        session keyring (not --no-new-keyring) */
        bool no_pivot;               /* the runtime's --no-pivot: move the rootfs
                                        onto / and chroot, no pivot_root (no_pivot.c) */
        const char *cgroup_rel;      /* NULL: <cgroup_parent>/<name>-<launcher pid> */
        /* congo_pipeline_run: called once the command runs (the runtime's
         * attached `run` records the container's state there). */
        void (*on_running)(struct congo_run *, void *ctx);
        void *on_running_ctx;

        size_t prepared;             /* stages whose prepare ran */
        bool created;                /* the container process was cloned */
        pid_t *hook_pid;             /* shared with the child: run->pid, for
                                        the hooks run inside it (hooks.c) */
        int sync_fd[2];              /* launcher -> child: one byte per stage */
        int err_fd[2];               /* child -> launcher: congo_error, cloexec */
        int ns_fd[8];                /* namespace_paths opened, by CONGO_NS_* bit index; -1 */
        struct congo_run_result result;
        bool stats_wanted;           /* --stats: every cgroup figure at exit */
};

void congo_run_init(struct congo_run *run, const struct congo_spec *spec,
                    const struct congo_stage *const *stages, size_t n_stages);
/* main()'s argc and argv, before anything reorders them: where the
 * container's PID 1 writes its name "congo-init" (init.c).  Optional. */
void congo_init_title_area(int argc, char **argv);

/* The launcher's fds 0-2, which the container inherits, checked before
 * the launcher opens anything: a closed one becomes /dev/null; one that
 * would hand the container a way into the host's tree (a directory...)
 * is an error (stdio_check.c). */
int congo_stdio_check(struct congo_error *err);

/* Runs the container to its end.  Returns the launcher's exit status: the
 * container's, 128+N on signal N, or 125/126/127 with err filled in. */
int congo_pipeline_run(struct congo_run *run, struct congo_error *err);

/* The OCI runtime's create: runs the pipeline until the container's
 * command is parked on run->hold_fd (run->detached must be set).  0: it
 * is parked, run->pid is its first process, the cgroup is kept; else
 * the status, err filled and everything undone, as congo_pipeline_run. */
int congo_pipeline_create(struct congo_run *run, struct congo_error *err);
/* The runtime has recorded the container: let it wait for `start` on its
 * own.  Until this, a runtime that dies takes the parked container with it
 * (it reads EOF instead of the go-ahead and exits). */
int congo_pipeline_commit(struct congo_run *run, struct congo_error *err);
/* Undo a parked container that could not be committed: kill it and run
 * every cleanup (the cgroup goes). */
void congo_pipeline_abandon(struct congo_run *run);

/* In the container's command process, just before the limits and the
 * identity are applied: the hold of a detached run (hold.c). */
int congo_hold(struct congo_run *run, struct congo_error *err);
/* In the container before exec: send a failure to the launcher over the
 * error pipe, or print it once the hold has let the launcher go. */
void congo_child_report(struct congo_run *run, const struct congo_error *err);

/* The spec's limits as the cgroup drivers take them (stage_cgroups.c),
 * for a start and for the runtime's update.  The hugepage and unified
 * lists point into lists, which must outlive the result. */
struct congo_limit_lists {
        struct congo_cgroup_hugepage hugepages[CONGO_HUGEPAGES_MAX];
        struct congo_cgroup_file unified[CONGO_UNIFIED_MAX];
};
struct congo_cgroup_limits congo_cgroup_limits_of(const struct congo_spec *s, struct congo_limit_lists *lists);

/* --dry-run: each stage's plan, in order. */
void congo_pipeline_describe(struct congo_run *run, FILE *out);

/* --stats: one JSON object. */
void congo_result_write_json(const struct congo_run_result *r, FILE *out);

#endif
