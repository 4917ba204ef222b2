/* cgroup.h - the cgroup driver table.
 *
 * A host has cgroup v1 hierarchies (one per controller, maybe with a v2
 * "unified" mount beside them: a hybrid host) or one v2 hierarchy.  The
 * cgroups stage probes which, then talks to a driver through this table.
 * Hierarchies are found through a mountinfo file, never hard-coded, so
 * tests point a driver at a fake tree in a temporary directory.
 */
#ifndef CONGO_CGROUP_H
#define CONGO_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "congo/error.h"

/* One rule of the device cgroup: type 'c', 'b' or 'a' (every device),
 * major:minor, -1 for any; access the BPF_DEVCG_ACC_* bits (1 mknod,
 * 2 read, 4 write), 0 meaning all three; deny, or allow.  The cgroup
 * starts from "deny every device" and takes the rules in order. */
struct congo_cgroup_device {
        char type;
        int32_t major, minor;
        uint8_t access;
        bool deny;
};
/* device_rules, congo's own nodes and the spec's devices, all at once */
#define CONGO_CGROUP_DEVICES_MAX 272

struct congo_cgroup_limits {
        int64_t pids;              /* 0: none */
        uint64_t memory;           /* bytes, 0: none */
        uint64_t cpu_shares;       /* 0: none */
        uint64_t cpu_quota_us;     /* per period_us, 0: none */
        uint64_t cpu_period_us;
        bool pids_default;         /* pids is congo's default, not the spec's:
                                      dropped where no pids controller is */
        bool accounting;           /* v1: a cpuacct cgroup too, which limits
                                      nothing: for --stats and the OCI
                                      runtime's callers (podman stats) */
        /* The rest of OCI's linux.resources (0/NULL: not set).  The
         * v1<->v2 conversions are in congo-spec(5). */
        uint64_t memory_reservation;        /* v1 soft limit, v2 memory.low */
        uint64_t memory_swap;               /* memory+swap; UINT64_MAX: unlimited */
        bool swappiness_set;                /* v1 only */
        uint32_t swappiness;                /* 0..100 */
        bool disable_oom_killer;            /* v1 only */
        const char *cpuset_cpus, *cpuset_mems;
        bool cpu_rt;                        /* v1 only */
        uint64_t cpu_rt_runtime_us, cpu_rt_period_us;
        uint32_t blkio_weight;              /* 10..1000 */
        const struct congo_cgroup_hugepage *hugepages;
        size_t n_hugepages;
        const struct congo_cgroup_file *unified;   /* v2 only */
        size_t n_unified;
};

struct congo_cgroup_hugepage {
        uint64_t page_size, limit;          /* bytes */
};
struct congo_cgroup_file {
        const char *name, *value;
};
/* OCI's conversion of blkio weight (10..1000) to io.weight (1..10000). */
uint64_t congo_cgroup_blkio_to_io_weight(uint64_t weight);

/* A driver's stats() fills a local copy and stores it whole: under qemu's
 * TCG (make check-vm), a SETcc whose store to a copy-on-write page faults
 * (this struct's page, shared with the child since the clone) resumes with
 * wrong flags, and "oom_killed = n > 0" read true for n = 0. */
struct congo_cgroup_stats {
        bool oom_killed;
        int64_t cpu_user_us, cpu_sys_us;   /* -1: unknown */
        int64_t memory_peak;               /* bytes, -1: unknown */
        int64_t pids_peak;                 /* -1: the kernel keeps none */
};

#define CONGO_CGROUP_MAX_DIRS 8

struct congo_cgroup {
        const struct congo_cgroup_driver *driver;
        const char *mountinfo;     /* path, normally /proc/self/mountinfo */
        char *mountinfo_text;      /* read once per run (congo_cg_mountinfo) */
        FILE *plan;                /* non-NULL: describe writes, do nothing */
        struct {
                char controller[32];   /* "pids", "memory", ... ("" on v2) */
                char *path;            /* absolute directory of our cgroup */
        } dirs[CONGO_CGROUP_MAX_DIRS];
        size_t n_dirs;
        /* v1 (hybrid): the "hugetlb" dir is in the v2 unified mount. */
        bool hugetlb_v2;
        bool created;
        /* The container has its own pid namespace: when its PID 1 ends the
         * kernel kills the rest, so v1 needs no freezer to kill them. */
        bool pid_namespace;
        /* v2, rootless: the delegated subtree we manage instead of the
         * hierarchy's root, and the leaf the launcher moved itself into. */
        char *base;
        char *launcher_leaf;
        /* The controllers (bits of cgroup_v2.c's wanted[]) this run
         * enabled in base: disabled again when it ends, so that the
         * launcher can move back and base looks as it did. */
        unsigned base_enabled;
};

struct congo_cgroup_driver {
        const char *name;          /* "v1", "v2" or "none" */
        /* The cgroup is made before the clone, which starts the child in
         * it (clone3 CLONE_INTO_CGROUP); else made and joined after. */
        bool born_inside;
        /* Find the hierarchies and make congo's cgroup rel (e.g.
         * "congo/web-1234") in each, with limits written. */
        int (*create)(struct congo_cgroup *cg, const char *rel,
                      const struct congo_cgroup_limits *limits,
                      struct congo_error *err);
        int (*attach)(struct congo_cgroup *cg, pid_t pid, struct congo_error *err);
        /* Once created: the container may use the devices the n rules
         * of allow let it, in order, and no other (v1: devices.deny a,
         * then each rule to devices.allow or devices.deny; v2: a BPF
         * device program attached to the cgroup, the last rule that
         * matches an access deciding it).  Called while the
         * container builds its root, before it is released to exec. */
        int (*allow_devices)(struct congo_cgroup *cg, const struct congo_cgroup_device *allow,
                             size_t n, struct congo_error *err);
        /* all: every figure (--stats); else only the OOM kill, which the
         * launcher reports itself (a read or two, not six, at every exit). */
        void (*stats)(struct congo_cgroup *cg, bool all, struct congo_cgroup_stats *out);
        /* Kill whatever is left and remove the cgroup. */
        int (*destroy)(struct congo_cgroup *cg, struct congo_error *err);
        /* Remove stale cgroups under parent whose launcher is gone. */
        int (*gc)(struct congo_cgroup *cg, const char *parent, int *removed);
};

extern const struct congo_cgroup_driver congo_cgroup_v1;
extern const struct congo_cgroup_driver congo_cgroup_v2;
/* No cgroup at all (no hierarchy, or rootless without delegation): every
 * operation succeeds and does nothing, so the stage never asks which. */
extern const struct congo_cgroup_driver congo_cgroup_none;

/* Decide from the filesystem magic of the cgroup root (statfs) and the
 * mountinfo text.  NULL when no usable hierarchy exists. */
const struct congo_cgroup_driver *congo_cgroup_probe_layout(long fs_magic,
                                                            const char *mountinfo_text);
/* The same on the live host: statfs(root), read mountinfo. */
const struct congo_cgroup_driver *congo_cgroup_probe(const char *root,
                                                     const char *mountinfo,
                                                     struct congo_error *err);
/* Rootless, on v2: is our own cgroup (from self_cgroup, normally
 * /proc/self/cgroup) delegated to us?  If so, move the launcher into a leaf
 * of its own (a cgroup with processes cannot enable controllers for its
 * children) and manage containers below it: 1.  0: nothing delegated.  In
 * plan mode, only say what would happen. */
int congo_cgroup_v2_delegate(struct congo_cgroup *cg, const char *self_cgroup,
                             struct congo_error *err);
/* OCI's conversion of cpu.shares (2..262144) to cpu.weight (1..10000). */
uint64_t congo_cgroup_shares_to_weight(uint64_t shares);
void congo_cgroup_release(struct congo_cgroup *cg);

#endif
