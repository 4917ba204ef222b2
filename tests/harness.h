/* harness.h - start congo-launch from tests and see what a user sees. */
#ifndef CONGO_TEST_HARNESS_H
#define CONGO_TEST_HARNESS_H

#include <stdbool.h>
#include <sys/types.h>

struct outcome {
        int status;        /* exit status of congo-launch; 128+N if killed */
        char *out, *err;
};

/* Once per test binary: exit 77 unless root; build the busybox rootfs in a
 * fresh temporary directory.  harness_teardown removes it all. */
void harness_setup(const char *suite);
void harness_teardown(void);
const char *harness_rootfs(void);
const char *harness_tmp(void);
/* A copy of congo-launch in the (0755) temporary directory, for tests that
 * run it as another user: the build tree may not be reachable to them. */
const char *harness_launcher_for_anyone(void);

/* Writes the spec (rootfs: and version: are prepended) to a file named
 * NAME.yaml in the temporary directory; returns its path (static). */
const char *harness_spec(const char *name, const char *body);
/* Writes text to NAME in the temporary directory (outside the rootfs);
 * returns its path (static). */
const char *harness_host_file(const char *name, const char *text);
/* harness_spec, then congo-launch SPEC: the common case. */
struct outcome harness_run_spec(const char *name, const char *body);
/* Runs congo-launch with args (NULL-terminated) and collects everything. */
struct outcome harness_run(const char *const args[]);
/* Starts it in the background with stdout on a pipe; *out_fd reads it. */
pid_t harness_start(const char *const args[], int *out_fd);
/* Reads from fd until text appears (or timeout); true if it did. */
bool harness_wait_for(int fd, const char *text, int timeout_ms);
void outcome_free(struct outcome *o);
/* Shell-friendly: the number of lines of s that contain needle. */
int count_lines(const char *s, const char *needle);
/* Child cgroup directories under <hierarchy>/congo whose name starts with
 * prefix, across every v1 hierarchy or the v2 one. */
int congo_cgroups_left(const char *prefix);
/* After a launcher was SIGKILLed its container dies with it; run --gc until
 * no cgroup named prefix* is left (bounded).  Returns how many are left. */
int harness_gc(const char *prefix);
/* The first child of a process (the launcher's container), or 0. */
pid_t harness_first_child(pid_t parent);
/* Gone, or a zombie waiting for the host's init to reap it. */
bool harness_gone(pid_t pid);
/* Where the cgroup2 hierarchy is mounted (a hybrid host's "unified" one
 * too), or NULL.  Static storage. */
const char *harness_cgroup2_mount(void);
/* A copy of the suite's rootfs at TMP/name, then shape run in it by sh
 * (which must succeed); returns its path (static). */
const char *harness_image(const char *name, const char *shape);
/* Runs a spec NAME.yaml in the temporary directory: version, rootfs, body. */
struct outcome harness_run_on(const char *name, const char *rootfs, const char *body);
/* What a forked child prints on fd, into buf (NUL-terminated, up to
 * size - 1 bytes); then closes fd and reaps pid.  Its exit status, or
 * 128+N if killed by signal N. */
int harness_collect(pid_t pid, int fd, char *buf, size_t size);
/* Ends a launcher from harness_start (its container goes with it): SIGKILL,
 * reap, close its fd. */
void harness_kill(pid_t pid, int fd);
/* The host's mount table, for before/after comparisons. */
char *read_file(const char *path);

#endif
