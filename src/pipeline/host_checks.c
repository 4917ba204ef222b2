/* host_checks.c - turn the kernel's EPERM and EINVAL into the reason.
 *
 * A chroot is the usual surprise: its "/" is a plain directory, so making
 * it private fails with EINVAL, and the kernel refuses a new user
 * namespace to a chrooted process.  Otherwise user namespaces may be
 * switched off by a sysctl (Debian's kernel.unprivileged_userns_clone,
 * user.max_user_namespaces) or restricted by AppArmor (Ubuntu 23.10+). */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_checks.h"

bool congo_root_is_mount_point(const char *mountinfo)
{
        FILE *f = fopen(mountinfo, "re");
        char line[4096], point[4096];
        bool found = false;

        if (f == NULL)
                return true;   /* no /proc: nothing to say */
        /* Field 5 is the mount point, relative to our root: a chroot
         * into a directory lists no "/". */
        while (!found && fgets(line, sizeof line, f))
                found = sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && strcmp(point, "/") == 0;
        fclose(f);
        return found;
}

/* The value of proc/sys/NAME, or -1 when it does not exist here. */
static long sysctl_value(const char *proc, const char *name)
{
        char path[512];
        long v = -1;

        snprintf(path, sizeof path, "%s/sys/%s", proc, name);
        FILE *f = fopen(path, "re");
        if (f == NULL)
                return -1;
        if (fscanf(f, "%ld", &v) != 1)
                v = -1;
        fclose(f);
        return v;
}

int congo_explain_clone_failure_in(const char *proc, uid_t euid, int errnum, unsigned long flags,
                                   struct congo_error *err)
{
        bool userns = (flags & CLONE_NEWUSER) != 0;
        char mountinfo[512];

        snprintf(mountinfo, sizeof mountinfo, "%s/self/mountinfo", proc);
        if (!congo_root_is_mount_point(mountinfo))
                return congo_error_set(err, errnum, "clone: " CONGO_CHROOT_HINT);
        if (!userns && euid != 0)
                return congo_error_set(err, errnum, "clone: creating namespaces needs root, or a user namespace");
        if (!userns)
                return congo_error_set(err, errnum, "clone");
        if (sysctl_value(proc, "user/max_user_namespaces") == 0)
                return congo_error_set(err, errnum, "clone: user namespaces are switched off here "
                                       "(user.max_user_namespaces is 0): sysctl -w user.max_user_namespaces=15000");
        if (euid != 0 && sysctl_value(proc, "kernel/unprivileged_userns_clone") == 0)
                return congo_error_set(err, errnum, "clone: unprivileged user namespaces are switched off here "
                                       "(kernel.unprivileged_userns_clone is 0): sysctl -w kernel.unprivileged_userns_clone=1, "
                                       "or run as root");
        if (euid != 0 && sysctl_value(proc, "kernel/apparmor_restrict_unprivileged_userns") == 1)
                return congo_error_set(err, errnum, "clone: AppArmor restricts unprivileged user namespaces here "
                                       "(kernel.apparmor_restrict_unprivileged_userns is 1): give congo-launch an "
                                       "AppArmor profile that allows userns, or run as root");
        return congo_error_set(err, errnum, "clone: the kernel refused a new user namespace "
                               "(nested too deep, or a seccomp filter or security module forbids it)");
}

int congo_explain_clone_failure(int errnum, unsigned long flags, struct congo_error *err)
{
        return congo_explain_clone_failure_in("/proc", geteuid(), errnum, flags, err);
}
