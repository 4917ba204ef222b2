/* rootfs_devices.h - the devices a container may use: the allowlist its
 * device cgroup enforces, and the spec's nodes made in its /dev. */
#ifndef CONGO_ROOTFS_DEVICES_H
#define CONGO_ROOTFS_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "congo/cgroup.h"
#include "congo/spec.h"

/* The spec's device_rules, then congo's own nodes and the spec's devices
 * (FIFOs are not devices) allowed rwm, into out; how many.  cap CONGO_CGROUP_DEVICES_MAX holds them all. */
size_t congo_devices_allowlist(const struct congo_spec *s, struct congo_cgroup_device *out,
                               size_t cap);
/* In the container, its /dev mounted (devfd: the root of that tmpfs) and
 * populated: make the spec's nodes (in a user namespace, bind the
 * host's). */
int congo_rootfs_devices(int devfd, const struct congo_spec *s, bool in_userns,
                         struct congo_error *err);
/* --dry-run. */
void congo_rootfs_devices_describe(const struct congo_spec *s, FILE *out);

#endif
