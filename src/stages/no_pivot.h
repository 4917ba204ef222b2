/* no_pivot.h - entering the rootfs by a move and a chroot, for the
 * runtime's --no-pivot (see no_pivot.c). */
#ifndef CONGO_NO_PIVOT_H
#define CONGO_NO_PIVOT_H

#include "congo/error.h"

/* Moves the mount at rootfd onto /, detaches every mount of the namespace
 * that is not it or beneath it (bar the namespace root), and chroots into
 * it with cwd at its root.  0, or -1 with err set. */
int congo_no_pivot_enter(int rootfd, struct congo_error *err);

#endif
