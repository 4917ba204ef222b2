/* security.h - what the exec stage does to the process just before exec:
 * identity, capabilities, no_new_privs, seccomp (security.c, seccomp.c),
 * and the optional PID 1 (init.c). */
#ifndef CONGO_SECURITY_H
#define CONGO_SECURITY_H

#include <sys/types.h>

#include "congo/error.h"
#include "congo/spec.h"

/* setgroups/setgid/setuid with the capability set of the spec kept, in the
 * order that works: bounding set first, identity, then the other sets. */
int congo_security_apply(const struct congo_spec *spec, struct congo_error *err);
/* The default seccomp profile (nothing for "unconfined"). */
int congo_seccomp_load(const struct congo_spec *spec, struct congo_error *err);

/* The container's PID 1 (init.c): starts a process that runs rest, which
 * execs the command or reports its failure; the caller stays as the
 * launcher's reaping, forwarding PID 1 and never returns.  Returns only if
 * that process could not be started. */
struct congo_run;
int congo_init_spawn(struct congo_run *run, int (*rest)(struct congo_run *, struct congo_error *),
                     struct congo_error *err);

/* congo exec (stage_exec.c): io priority, rlimits, umask and personality
 * of s; then execve of s->command with envp, looked up in its PATH. */
int congo_exec_limits(const struct congo_spec *s, struct congo_error *err);
int congo_exec_argv(const struct congo_spec *s, char **envp, struct congo_error *err);

#endif
