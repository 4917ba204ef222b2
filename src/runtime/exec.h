/* exec.h - `congo exec`: a new process in a running container.
 *
 *   exec.c        the command line, the state, and the runtime's side
 *   exec_spec.c   the process to run: the container's, changed by --process
 *                 (an OCI process object, through the OCI front end) or
 *                 the flags
 *   exec_child.c  the process side: join, then become the command
 *   exec_wait.c   attached: wait, forward signals, relay a pty
 */
#ifndef CONGO_RT_EXEC_H
#define CONGO_RT_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "congo/error.h"
#include "congo/spec.h"

struct exec_opts {
        const char *process_file, *console_socket, *pid_file, *cwd, *user;
        const char *env[64], *caps[64], *gids[64];
        size_t n_env, n_caps, n_gids;
        bool detach, tty, no_new_privs;
        int preserve_fds;          /* the caller's 3..3+N-1 reach the process */
        char **args;               /* the command, after the id (NULL-terminated) */
};

/* What the new process is: the spec of the container with its process
 * replaced, the environment, and whether it gets a pty. */
struct exec_process {
        struct congo_spec spec;
        char **envp;
        bool tty;
};

/* 0, or -1 after the error line (p freed then). */
int congo_rt_exec_process(const char *bundle, int dirfd, const struct exec_opts *o, struct exec_process *p);
void congo_rt_exec_process_free(struct exec_process *p);

/* What the process side is given. */
struct exec_child {
        const struct exec_process *proc;
        int pidfd;                 /* the container's first process */
        int ns_flags;              /* the namespaces to join (CLONE_NEW*) */
        int sync;                  /* its end of the runtime's socket */
        int err;                   /* write end of the error pipe, cloexec */
        int preserve_fds;
};

/* In the process forked by the runtime: never returns.  It joins the
 * namespaces, forks the command's process into the pid namespace, tells
 * the runtime its pid, and exits; that process waits for the runtime's
 * go-ahead, then sets itself up and execs (or reports over err). */
void __attribute__((noreturn)) congo_rt_exec_child(const struct exec_child *c);

/* exec_wait.c: attached, the runtime waits for pid, forwarding signals
 * and, when master >= 0, relaying its stdio to the pty.  Returns pid's
 * exit status, 128+N when signal N killed it. */
int congo_rt_exec_wait(pid_t pid, int master);

#endif
