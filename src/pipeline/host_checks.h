/* host_checks.h - why the host refused what a container needs, in words a
 * user can act on: a chroot, user namespaces switched off. */
#ifndef CONGO_HOST_CHECKS_H
#define CONGO_HOST_CHECKS_H

#include <stdbool.h>
#include <sys/types.h>

#include "congo/error.h"

/* What to say when "/" is not a mount point. */
#define CONGO_CHROOT_HINT "/ is not a mount point (running in a chroot?): " \
        "enter the root with pivot_root in its own mount namespace instead"

/* Whether this process's "/" is a mount point (it is not in a chroot).
 * mountinfo is the file to read (tests point it at fakes). */
bool congo_root_is_mount_point(const char *mountinfo);
/* Sets err for a failed clone with these CLONE_* flags and errno, naming
 * the cause when one can be found; returns -1. */
int congo_explain_clone_failure(int errnum, unsigned long flags, struct congo_error *err);
/* The same, reading proc (a fake tree in tests) for a given euid. */
int congo_explain_clone_failure_in(const char *proc, uid_t euid, int errnum, unsigned long flags,
                                   struct congo_error *err);

#endif
