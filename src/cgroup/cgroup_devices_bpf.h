/* cgroup_devices_bpf.h - the device allowlist on cgroup v2: a
 * BPF_PROG_TYPE_CGROUP_DEVICE program, assembled here from the rules and
 * attached to the container's cgroup. */
#ifndef CONGO_CGROUP_DEVICES_BPF_H
#define CONGO_CGROUP_DEVICES_BPF_H

#include <linux/bpf.h>
#include <stddef.h>

#include "congo/cgroup.h"

/* The program for rules (allow each, rwm; deny the rest) into out; its
 * length in instructions, or 0 if cap is too small. */
size_t congo_devices_bpf_assemble(const struct congo_cgroup_device *rules, size_t n,
                                  struct bpf_insn *out, size_t cap);
/* Load it and attach it to the cgroup directory dir (BPF_F_ALLOW_MULTI:
 * programs of the cgroups above run too, and all must allow).  In plan
 * mode, say so instead. */
int congo_devices_bpf_attach(struct congo_cgroup *cg, const char *dir,
                             const struct congo_cgroup_device *rules, size_t n,
                             struct congo_error *err);

#endif
