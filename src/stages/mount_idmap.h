/* mount_idmap.h - idmapped bind mounts, made by the launcher and handed
 * to the container (mount_idmap.c). */
#ifndef CONGO_MOUNT_IDMAP_H
#define CONGO_MOUNT_IDMAP_H

#include "congo/pipeline.h"
#include "mount_spec.h"

/* Launcher, before clone: the socket, when a mount asks for idmap. */
int congo_idmap_prepare(struct congo_run *run, struct congo_error *err);
/* Launcher, the container's maps written: each idmapped tree, sent. */
int congo_idmap_parent(struct congo_run *run, struct congo_error *err);
/* Container: the trees, into p[i].tree of each idmap mount. */
int congo_idmap_receive(struct congo_run *run, struct congo_prepared *p, struct congo_error *err);

#endif
