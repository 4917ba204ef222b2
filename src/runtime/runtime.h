/* runtime.h - the OCI runtime `congo` (runc's command line): what its
 * files share.  main.c reads the global options and picks a command;
 * state.c keeps one directory per container; log.c writes --log;
 * create.c is create/start/run; manage.c state/list/kill/delete;
 * info.c spec/features. */
#ifndef CONGO_RUNTIME_H
#define CONGO_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "congo/error.h"
#include "congo/spec.h"

/* Exit status of a failed command, as runc's. */
#define CONGO_RT_FAILURE 1

#define CONGO_RT_DEFAULT_ROOT "/run/congo"
#define CONGO_RT_ID_MAX 1024
/* --preserve-fds: at most this many. */
#define CONGO_RT_PRESERVE_MAX 1024

struct congo_rt {
        const char *root;          /* --root */
        bool debug;
        bool systemd_cgroup;
};

/* state.c: mkdir -p the state root (--root), 0700; -1 with errno. */
int congo_rt_make_root(const char *root);

/* ---- log.c ---- */
/* --log FILE and --log-format text|json: every error and log line also
 * goes there (JSON lines with level, msg and time, as containerd's shim
 * reads them).  -1 on a bad format or a file that cannot be opened. */
int congo_rt_log_open(const char *path, const char *format);
/* An error of the command: one line on stderr, and the log. */
void congo_rt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Now as RFC 3339 UTC with nanoseconds, as runc writes times (state, log). */
void congo_rt_now_rfc3339(char *buf, size_t len);

/* ---- state.c ---- */
enum congo_rt_status { RT_CREATING, RT_CREATED, RT_RUNNING, RT_STOPPED, RT_PAUSED };

struct congo_rt_cgroup {
        char driver[8];            /* "v1", "v2", "none" */
        bool pid_namespace;
        size_t n_dirs;
        char controller[8][32];
        char *path[8];
};

struct congo_rt_state {
        char *id;
        char *bundle;
        char *rootfs;
        char *created;             /* RFC 3339, UTC */
        pid_t pid;
        unsigned long long pid_start;   /* field 22 of /proc/PID/stat */
        char *annotations;         /* a JSON object, as text ("{}") */
        struct congo_rt_cgroup cgroup;
        uid_t owner;
        enum congo_rt_status status;    /* as found now, not as stored */
};

/* The directory (and cgroup) name of an id: itself up to 100 bytes. */
const char *congo_rt_dirname(const char *id, char buf[128]);
/* runc's rule: [A-Za-z0-9_+.-], not "." or "..", at most 1024 bytes. */
bool congo_rt_id_valid(const char *id);
/* The container's directory, locked (flock, exclusive), as an fd; -1
 * after an error line ("container ID does not exist").  *dirfd is the
 * lock: close it to unlock. */
int congo_rt_open(const struct congo_rt *rt, const char *id, int *dirfd);
/* The same without the error line: -1 when it does not exist. */
int congo_rt_open_quiet(const struct congo_rt *rt, const char *id, int *dirfd);
/* The same for an entry of --root by its name (list). */
int congo_rt_open_entry(const struct congo_rt *rt, const char *name, int *dirfd);
/* What a create killed half-way left (no state.json, lock free): removed,
 * true.  Anything else: left alone, false. */
bool congo_rt_clear_stale(const struct congo_rt *rt, const char *id);
/* Create the directory for a new id, locked.  -1: exists, or cannot. */
int congo_rt_make(const struct congo_rt *rt, const char *id, int *dirfd);
/* Unlock and close. */
void congo_rt_close(int dirfd);
/* Remove the directory (the lock goes with the fd, closed here). */
int congo_rt_remove(const struct congo_rt *rt, const char *id, int dirfd);
int congo_rt_read(int dirfd, const char *id, struct congo_rt_state *st);
int congo_rt_write(int dirfd, const struct congo_rt_state *st);
void congo_rt_state_free(struct congo_rt_state *st);
/* The status now: the pid and its start time against /proc, the fifo. */
enum congo_rt_status congo_rt_status_of(int dirfd, const struct congo_rt_state *st);
const char *congo_rt_status_name(enum congo_rt_status s);
unsigned long long congo_rt_pid_start(pid_t pid);
bool congo_rt_pid_alive(pid_t pid, unsigned long long start);
/* sig to the process pid started at start: 0 sent, 1 it is gone (or the
 * pid is another's now), -1 with errno. */
int congo_rt_signal(pid_t pid, unsigned long long start, int sig);
/* The OCI state JSON (runtime.md), indented as runc's. */
char *congo_rt_state_json(const struct congo_rt_state *st, bool list_form);
/* Write text to path atomically: a temporary file beside it, renamed. */
int congo_rt_write_file(int dirfd, const char *path, const char *text);

/* ---- create.c ---- */
/* A pty master to the caller's --console-socket (SCM_RIGHTS), as runc's. */
int congo_rt_send_console(const char *path, int master);

/* ---- snapshot.c ---- */
/* A copy of the bundle's config.json into the container's directory
 * (none when the bundle has a congo spec instead): 0, or -1 after the
 * error line. */
int congo_rt_snapshot_config(int dirfd, const char *bundle);
/* The spec from that copy: 0; 1 when there is none; -1 after the
 * problems were printed (spec freed then). */
struct congo_spec;
int congo_rt_load_snapshot(int dirfd, const char *bundle, struct congo_spec *spec);

/* ---- leftover.c ---- */
/* A dead create's cgroup (ROOT/ID/cgroup names it): emptied, removed. */
void congo_rt_remove_leftover_cgroup(int dirfd);
/* Does rel exist in any hierarchy?  A container's cgroup must be new:
 * delete kills everything in it and removes it. */
bool congo_rt_cgroup_exists(const char *rel);

/* ---- freezer.c ---- */
/* The container's freezer (v2 cgroup.freeze, v1 freezer.state): is it
 * frozen, and freeze or thaw it, waiting until the kernel is done (-1
 * after the error line). */
bool congo_rt_frozen(const struct congo_rt_cgroup *cg);
int congo_rt_set_frozen(const struct congo_rt_cgroup *cg, bool freeze, const char *id);

/* ---- posthooks.c ---- */
/* create: mark a container whose spec has poststart or poststop hooks. */
int congo_rt_mark_posthooks(int dirfd, const struct congo_spec *spec);
/* start (poststart) and delete (poststop): run them, if marked; a
 * failure is a warning line. */
void congo_rt_posthooks(int dirfd, const struct congo_rt_state *st, enum congo_hook_kind kind);

/* ---- the commands: argc/argv start at the command's name ---- */
int congo_rt_create(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_run(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_start(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_state(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_list(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_kill(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_delete(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_spec(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_features(const struct congo_rt *rt, int argc, char **argv);
/* pause.c, update.c, events.c */
int congo_rt_pause(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_resume(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_update(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_events(const struct congo_rt *rt, int argc, char **argv);
int congo_rt_exec(const struct congo_rt *rt, int argc, char **argv);   /* exec.c */
/* sealed.c: re-execute this command from an image of the binary that
 * cannot be written (a private read-only overlayfs of its directory over
 * state_root, else a sealed memfd copy), unless it runs from one already
 * (then 0); -1 after the error line when it cannot. */
int congo_rt_run_sealed(const char *state_root);
int congo_rt_ps(const struct congo_rt *rt, int argc, char **argv);     /* ps.c */

/* Sub-command option parsing (main.c): getopt_long with runc's message for
 * an unknown flag.  Returns the option, -1 at the end, or exits 1. */
struct option;
int congo_rt_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* Exactly one positional argument (the id) left: it, or NULL after the
 * error line. */
const char *congo_rt_one_id(int argc, char **argv, const char *cmd);
/* --preserve-fds N: 0 and *out = N, or -1 after the error line. */
int congo_rt_parse_preserve_fds(const char *text, int *out);

#endif
