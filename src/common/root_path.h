/* root_path.h - resolve paths inside the container's root without ever
 * leaving it: a rootfs holding "etc -> /etc" or "x -> ../../.." must not
 * make the launcher create, mount over or enter a host path. */
#ifndef CONGO_ROOT_PATH_H
#define CONGO_ROOT_PATH_H

#include <stdbool.h>

#include "congo/error.h"
#include "congo/spec.h"

/* Open path (absolute, as seen inside) relative to rootfd as if rootfd were
 * "/".  flags are openat flags (O_PATH, O_DIRECTORY...).  -1 with errno. */
int congo_root_open(int rootfd, const char *path, int flags);
/* Create what is missing of path (directories 0755; the last component an
 * empty file when as_file), then return an O_PATH fd for it. */
int congo_root_mkpath(int rootfd, const char *path, bool as_file,
                      struct congo_error *err);
/* An O_PATH fd of path inside the root to mount onto: its parent resolved
 * inside the root (missing directories created), its last component
 * created if missing and refused by name if it is a symlink. */
int congo_root_mountpoint(int rootfd, const char *path, bool as_file,
                          struct congo_error *err);
/* The same for one name in a directory we made (path names it in errors). */
int congo_mountpoint_at(int dirfd, const char *name, bool as_file, const char *path,
                        struct congo_error *err);
/* openat beneath dirfd: no symlink or ".." may lead out (EXDEV). */
int congo_open_beneath(int dirfd, const char *rel, int flags);
/* A host path of the spec: a relative one opened beneath its base, an
 * absolute one as it is.  -1 with err naming the path. */
int congo_open_spec_path(const char *path, const struct congo_relpath *rel, int flags,
                         struct congo_error *err);
/* "/proc/self/fd/N": how mount(2) is pointed at a resolved fd. */
const char *congo_fd_path(int fd, char buf[static 32]);

#endif
