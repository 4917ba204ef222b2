/* mount_fd.h - mount onto a file descriptor, get the new mount's root as
 * one (see mount_fd.c). */
#ifndef CONGO_MOUNT_FD_H
#define CONGO_MOUNT_FD_H

#include <stdbool.h>

#include "congo/error.h"

/* MS_RDONLY, MS_NODEV... as MOUNT_ATTR_* bits. */
unsigned long long congo_mount_attr(unsigned long ms_flags);
/* A new fstype filesystem with source (its "source" parameter, or NULL),
 * data ("k=v,flag,...") and MS_* flags, attached onto targetfd (target
 * names it in errors, with the filesystem's own message when it gave
 * one).  Returns an fd of the new mount's root, or -1 with err set. */
int congo_mount_new(int targetfd, const char *target, const char *fstype, const char *source,
                    const char *data, unsigned long ms_flags, struct congo_error *err);
/* Propagation (MS_SHARED, MS_PRIVATE... [|MS_REC]) of the attached mount
 * whose root is mnt; 0 does nothing. */
int congo_mount_propagate(int mnt, const char *target, unsigned long ms, struct congo_error *err);
/* A detached copy of the mount tree at srcfd (open_tree OPEN_TREE_CLONE):
 * a snapshot, which mounts made later beneath srcfd do not join. */
int congo_mount_clone(int srcfd, bool recursive);
/* Attaches a detached tree onto targetfd with the flags, as below.
 * Returns tree, or -1 with err (and tree closed). */
int congo_mount_attach(int tree, int targetfd, const char *target, bool recursive,
                       unsigned long set, unsigned long clear, struct congo_error *err);
/* A bind of srcfd (its submounts too when recursive) attached onto
 * targetfd, with the MS_* flags set added and clear removed before anyone
 * can see it.  Returns an fd of the new mount's root, or -1. */
int congo_mount_bind(int srcfd, int targetfd, const char *target, bool recursive,
                     unsigned long set, unsigned long clear, struct congo_error *err);

#endif
