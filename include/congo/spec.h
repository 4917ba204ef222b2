/* spec.h - struct congo_spec, the one thing the front ends produce and the
 * only thing the pipeline reads.
 *
 * Front ends (YAML, INI, --set, the seed's positional form) never touch the
 * struct's fields: they hand every value, with its position, to
 * congo_spec_set() or congo_spec_set_list() by dotted key path.  Parsing,
 * defaults and validation therefore live in the spec model (spec*.c),
 * once, for every front end.  A duplicate is decided and reported by one
 * function, congo_spec_duplicate(), wherever the first position is kept:
 * the key's slot, an env variable, an rlimit, a mount's field, or (YAML
 * only) the mapping that repeats a key.
 */
#ifndef CONGO_SPEC_H
#define CONGO_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "congo/error.h"

#define CONGO_SPEC_VERSION 1
#define CONGO_NAME_MAX 64
#define CONGO_HOSTNAME_MAX 64

/* Namespaces, as a bit set. */
enum {
        CONGO_NS_UTS = 1u << 0,
        CONGO_NS_PID = 1u << 1,
        CONGO_NS_NET = 1u << 2,
        CONGO_NS_MOUNT = 1u << 3,
        CONGO_NS_IPC = 1u << 4,
        CONGO_NS_USER = 1u << 5,
        CONGO_NS_CGROUP = 1u << 6,
        CONGO_NS_TIME = 1u << 7,
};
#define CONGO_NS_DEFAULT \
        (CONGO_NS_UTS | CONGO_NS_PID | CONGO_NS_NET | CONGO_NS_MOUNT | CONGO_NS_IPC)

enum congo_network { CONGO_NET_LOOPBACK, CONGO_NET_NONE, CONGO_NET_HOST };
enum congo_terminal { CONGO_TTY_AUTO, CONGO_TTY_ON, CONGO_TTY_OFF };
enum congo_seccomp { CONGO_SECCOMP_DEFAULT, CONGO_SECCOMP_UNCONFINED, CONGO_SECCOMP_PROFILE };
struct congo_seccomp_profile;   /* src/security/seccomp_profile.h */
/* bind (and rbind) clone a host tree; every other type is a new
 * filesystem by that name (fsopen).  OTHER: any name the kernel may have. */
enum congo_mount_type {
        CONGO_MOUNT_BIND, CONGO_MOUNT_TMPFS, CONGO_MOUNT_PROC, CONGO_MOUNT_SYSFS,
        CONGO_MOUNT_DEVPTS, CONGO_MOUNT_MQUEUE, CONGO_MOUNT_CGROUP, CONGO_MOUNT_CGROUP2,
        CONGO_MOUNT_OVERLAY, CONGO_MOUNT_OTHER
};

/* Every key that keeps a position.  Index into congo_spec.pos[]. */
enum congo_key {
        CONGO_K_VERSION, CONGO_K_NAME, CONGO_K_ROOTFS, CONGO_K_READONLY_ROOTFS,
        CONGO_K_HOSTNAME, CONGO_K_DOMAINNAME, CONGO_K_COMMAND, CONGO_K_CWD,
        CONGO_K_USER, CONGO_K_INIT, CONGO_K_TERMINAL, CONGO_K_NAMESPACES,
        CONGO_K_UID_MAP, CONGO_K_GID_MAP, CONGO_K_CGROUP_PARENT,
        CONGO_K_NETWORK, CONGO_K_PIDS, CONGO_K_MEMORY, CONGO_K_CPU_SHARES,
        CONGO_K_CPUS, CONGO_K_TIME, CONGO_K_CAPABILITIES,
        CONGO_K_NO_NEW_PRIVILEGES, CONGO_K_SECCOMP, CONGO_K_TMP, CONGO_K_SECCOMP_PROFILE,
        /* cgroup resources (spec_resources.c) */
        CONGO_K_MEMORY_RESERVATION, CONGO_K_MEMORY_SWAP, CONGO_K_MEMORY_SWAPPINESS,
        CONGO_K_DISABLE_OOM_KILLER, CONGO_K_CPU_QUOTA, CONGO_K_CPU_PERIOD,
        CONGO_K_CPUSET_CPUS, CONGO_K_CPUSET_MEMS, CONGO_K_CPU_RT_RUNTIME,
        CONGO_K_CPU_RT_PERIOD, CONGO_K_BLKIO_WEIGHT,
        /* mounts */
        CONGO_K_ROOTFS_PROPAGATION,
        /* composition */
        CONGO_K_INCLUDE,
        /* oci2 */
        CONGO_K_TERMINAL_SIZE, CONGO_K_IO_PRIORITY,
        /* process and security keys (spec_process.c); the five sets in
         * the order of enum congo_capset */
        CONGO_K_CAP_BOUNDING, CONGO_K_CAP_EFFECTIVE, CONGO_K_CAP_PERMITTED,
        CONGO_K_CAP_INHERITABLE, CONGO_K_CAP_AMBIENT, CONGO_K_OOM_SCORE_ADJ,
        CONGO_K_UMASK, CONGO_K_ADDITIONAL_GIDS, CONGO_K_PERSONALITY,
        CONGO_K_MASKED_PATHS, CONGO_K_READONLY_PATHS, CONGO_K_TIME_MONOTONIC,
        CONGO_K_TIME_BOOTTIME,
        /* the launcher's stop grace period */
        CONGO_K_STOP_TIMEOUT,
        /* the device cgroup's rules (spec_device_rules.c) */
        CONGO_K_DEVICE_RULES,
        CONGO_K_COUNT
};
/* congo_spec.attempted: a bit per key, in as many words as the keys need. */
#define CONGO_KEY_WORDS ((CONGO_K_COUNT + 63) / 64)

/* A path written relative in a spec file: opened beneath base (the spec's
 * directory) at run time, so that no symlink or ".." leads out of it.
 * Both NULL for an absolute path or one given on the command line: the
 * author's trusted choice, which may follow symlinks. */
struct congo_relpath {
        char *base;              /* absolute directory */
        char *rel;               /* as written */
};

/* An overlay's directories, host paths resolved as bind sources are. */
struct congo_overlay {
        char **lower;            /* top first, as lowerdir= lists them */
        struct congo_relpath *lower_rel;
        size_t n_lower;
        char *upper, *work;      /* both or neither (a read-only overlay) */
        struct congo_relpath upper_rel, work_rel;
};

struct congo_mount {
        enum congo_mount_type type;
        char *fstype;            /* the type as written: "rbind", "ext4"... */
        char *source;            /* bind: absolute host path; others: the
                                  * filesystem's source string, or NULL */
        struct congo_relpath source_rel;
        char *source_text;       /* as written, until the type is known */
        char *target;            /* absolute path inside the container */
        char **options;          /* as written, NULL-terminated */
        unsigned long flags;     /* MS_* derived from options */
        unsigned long clear;     /* MS_* an option asked to clear (rw...) */
        unsigned long propagation; /* MS_PRIVATE/SHARED/SLAVE/UNBINDABLE [|MS_REC], or 0 */
        bool idmap;              /* idmapped with the container's user namespace */
        bool options_in_file;    /* relative paths in them: beneath the file's directory */
        char *data;              /* other options, for fsconfig, or NULL */
        struct congo_overlay overlay;
        struct congo_pos pos;
        struct congo_pos pos_type, pos_source, pos_target, pos_options;
        /* composition: {target: /x, remove: true} drops an earlier file's
         * mount at /x (congo_spec_layer_end); never reaches the pipeline. */
        bool remove;
        struct congo_pos pos_remove;
};

/* A device node made in the container's /dev, and allowed (rwm) by its
 * cgroup: OCI's linux.devices.  spec_devices.c validates it. */
#define CONGO_DEVICES_MAX 128
enum congo_device_key {
        CONGO_DEV_PATH, CONGO_DEV_TYPE, CONGO_DEV_MAJOR, CONGO_DEV_MINOR,
        CONGO_DEV_FILE_MODE, CONGO_DEV_UID, CONGO_DEV_GID, CONGO_DEV_NKEYS
};
/* One rule of device_rules (OCI's linux.resources.devices): allow or
 * deny access (CONGO_DEVACC_* bits) to type 'a' (every device), 'c' or
 * 'b' major:minor, -1 for any. */
#define CONGO_DEVACC_MKNOD 1u     /* the BPF_DEVCG_ACC_* values */
#define CONGO_DEVACC_READ  2u
#define CONGO_DEVACC_WRITE 4u
#define CONGO_DEVACC_ALL   7u
#define CONGO_DEVICE_RULES_MAX 128
struct congo_device_rule {
        bool allow;
        char type;
        int32_t major, minor;
        uint8_t access;
};

struct congo_device {
        char *path;              /* absolute, under /dev */
        char type;               /* 'c', 'b' or 'p' (a FIFO); 0: not set */
        uint32_t major, minor;   /* c and b only */
        uint32_t file_mode;      /* permission bits; default 0666 */
        uint32_t uid, gid;       /* inside the container; default 0 */
        struct congo_pos pos;
        struct congo_pos pos_key[CONGO_DEV_NKEYS];   /* line 0: not written */
        bool remove;             /* composition: drops an earlier file's entry */
};

/* OCI hooks (config.md "POSIX-platform Hooks"): programs the launcher
 * runs at points of the container's life (include/congo/pipeline.h says
 * which, where, and in which namespaces).  spec_hooks.c validates them. */
enum congo_hook_kind {
        CONGO_HOOK_PRESTART, CONGO_HOOK_CREATE_RUNTIME, CONGO_HOOK_CREATE_CONTAINER,
        CONGO_HOOK_START_CONTAINER, CONGO_HOOK_POSTSTART, CONGO_HOOK_POSTSTOP,
        CONGO_HOOK_NKINDS
};
#define CONGO_HOOKS_MAX 32        /* of each kind */
enum congo_hook_key { CONGO_HOOKK_PATH, CONGO_HOOKK_ARGS, CONGO_HOOKK_ENV,
                      CONGO_HOOKK_TIMEOUT, CONGO_HOOKK_N };
struct congo_hook {
        char *path;              /* absolute; never resolved in the rootfs
                                    except by startContainer hooks */
        char **args;             /* argv as given (NULL: {path}) */
        char **env;              /* NAME=VALUE, exactly the hook's environment */
        unsigned timeout;        /* seconds, 0: none */
        struct congo_pos pos;
        struct congo_pos pos_key[CONGO_HOOKK_N];   /* line 0: not written */
};

struct congo_env {
        char *name;
        char *value;
        struct congo_pos pos;
};

struct congo_rlimit {
        int resource;            /* RLIMIT_* */
        uint64_t soft, hard;     /* RLIM_INFINITY for unlimited */
        struct congo_pos pos;
};

/* limits.hugepages.SIZE: the hugetlb controller's limit for one page size. */
#define CONGO_HUGEPAGES_MAX 8
struct congo_hugepage_limit {
        uint64_t page_size;      /* bytes, a power of two */
        uint64_t limit;          /* bytes */
        struct congo_pos pos;
};

/* limits.unified.FILE: a cgroup v2 file of the container's cgroup, written
 * as it is (OCI's linux.resources.unified). */
#define CONGO_UNIFIED_MAX 64
struct congo_unified {
        char *file;              /* "memory.high": no '/', not cgroup.procs... */
        char *value;
        struct congo_pos pos;
};

/* The five capability sets of the container's process. */
enum congo_capset {
        CONGO_CAPS_BOUNDING, CONGO_CAPS_EFFECTIVE, CONGO_CAPS_PERMITTED,
        CONGO_CAPS_INHERITABLE, CONGO_CAPS_AMBIENT, CONGO_CAPS_COUNT
};
enum congo_personality { CONGO_PERS_LINUX, CONGO_PERS_LINUX32 };
enum congo_time_clock { CONGO_TIME_MONOTONIC, CONGO_TIME_BOOTTIME, CONGO_TIME_COUNT };

/* sysctl NAME: VALUE, written in the container's /proc/sys. */
struct congo_sysctl {
        char *name;              /* dotted, as written: net.ipv4.ip_forward */
        char *value;
        struct congo_pos pos;
};

struct congo_time_offset {
        int64_t secs;
        uint32_t nanosecs;       /* 0..999999999, added to secs */
};

struct congo_idmap {
        uint32_t inside, outside, count;
};

/* annotations.NAME: kept as given (OCI's `annotations`), printed back. */
struct congo_annotation {
        char *name;
        char *value;
        struct congo_pos pos;
};

struct congo_spec {
        char *file;              /* the spec file as named, or NULL */
        char *dir;               /* absolute directory relative paths use */

        int version;
        char *name;
        char *rootfs;            /* absolute */
        struct congo_relpath rootfs_rel;
        bool readonly_rootfs;
        char *hostname;
        char *domainname;
        char **command;          /* NULL-terminated */
        char *cwd;
        uint32_t uid, gid;
        bool init;
        enum congo_terminal terminal;
        unsigned namespaces;     /* CONGO_NS_* bits */
        struct congo_idmap *uid_map, *gid_map;
        size_t n_uid_map, n_gid_map;
        char *cgroup_parent;
        enum congo_network network;
        /* After a forwarded SIGTERM, SIGINT, SIGHUP or SIGQUIT, the
         * container is SIGKILLed this much later (0: not set, the default). */
        uint64_t stop_timeout_ms;

        struct congo_env *env;
        size_t n_env;
        struct congo_mount *mounts;
        size_t n_mounts;
        struct congo_device *devices;
        size_t n_devices;
        /* device_rules: the device cgroup's rules before congo's own
         * allowlist (its /dev nodes and devices), in order. */
        struct congo_device_rule *device_rules;
        size_t n_device_rules;
        /* How the container's root propagates: MS_PRIVATE (the default),
         * MS_SLAVE, MS_SHARED or MS_UNBINDABLE, with MS_REC for r-forms. */
        unsigned long rootfs_propagation;
        struct congo_hook *hooks[CONGO_HOOK_NKINDS];
        size_t n_hooks[CONGO_HOOK_NKINDS];

        struct {
                int64_t pids;            /* default CONGO_PIDS_DEFAULT */
                uint64_t memory;         /* bytes, 0: no limit */
                uint64_t cpu_shares;     /* 0: not set */
                uint64_t cpu_quota_us;   /* per cpu_period_us, 0: none (from cpus
                                            or cpu_quota by congo_spec_finish) */
                uint64_t time_ms;        /* 0: no limit */
                uint64_t tmp_size;       /* bytes of the /tmp tmpfs */
                struct congo_rlimit *rlimits;
                size_t n_rlimits;
                /* cgroup resources (spec_resources.c) */
                uint64_t cpus_e5;            /* limits.cpus in 1/100000 CPU, 0: not set */
                uint64_t cpu_period_us;      /* default CONGO_CPU_PERIOD_US */
                uint64_t memory_reservation; /* bytes, 0: none */
                uint64_t memory_swap;        /* memory + swap, bytes; 0: = memory (no
                                                swap); CONGO_UNLIMITED: no limit */
                int memory_swappiness;       /* 0..100, -1: the kernel's */
                bool disable_oom_killer;
                char *cpuset_cpus;           /* "0-3,6", NULL: inherited */
                char *cpuset_mems;
                uint64_t cpu_rt_runtime_us;  /* with cpu_rt_set */
                uint64_t cpu_rt_period_us;   /* 0: not set */
                bool cpu_rt_set;
                uint32_t blkio_weight;       /* 10..1000, 0: not set */
                struct congo_hugepage_limit *hugepages;
                size_t n_hugepages;
                struct congo_unified *unified;
                size_t n_unified;
        } limits;

        struct {
                uint64_t capabilities;   /* bit per CAP_* */
                bool no_new_privileges;
                enum congo_seccomp seccomp;
                char *seccomp_profile;   /* absolute path, with CONGO_SECCOMP_PROFILE */
                struct congo_relpath seccomp_profile_rel;
                /* The profile parsed and compiled by congo_spec_finish. */
                struct congo_seccomp_profile *seccomp_compiled;
        } security;

        /* The OCI front end (parse_oci.c). */
        struct congo_annotation *annotations;
        size_t n_annotations;
        bool env_exact;          /* env is the whole environment: no PATH/HOME added */
        void *seccomp_json;      /* an inline profile (json_t *), compiled by finish:
                                    OCI's linux.seccomp, or security.seccomp.profile
                                    written as a mapping */
        const char *seccomp_json_prefix;   /* its path, for messages */
        char **kept;             /* strings positions point at (JSON paths), freed with the spec */
        size_t n_kept;
        /* Name indexes (tsearch trees) of env and annotations, caught up
         * to n_indexed: a bundle with 100k of either (an image's Env and
         * Labels) is read in n log n, not n^2 (spec_names.c). */
        void *env_index, *annotation_index;
        size_t env_indexed, annotations_indexed;

        /* namespace_paths.NAME (spec_ns_paths.c): a namespace joined
         * (setns) instead of made, by its bit's index (0 uts ... 7 time). */
        char *ns_paths[8];
        struct congo_pos ns_paths_pos[8];
        /* terminal_size "ROWSxCOLS": the pty's first size (OCI's
         * process.consoleSize); NULL: the launcher's terminal's. */
        char *terminal_size;
        uint16_t tty_rows, tty_cols;
        /* io_priority "CLASS LEVEL" (OCI's process.ioPriority); ioprio is
         * the ioprio_set(2) value, 0: not set (the launcher's is kept). */
        char *io_priority;
        int ioprio;

        /* process and security extras (spec_process.c) */
        struct {
                /* Derived by congo_spec_finish: a set not written is
                 * security.capabilities (ambient: empty). */
                uint64_t caps[CONGO_CAPS_COUNT];
                int oom_score_adj;
                bool oom_score_adj_set;  /* else the launcher's is inherited */
                uint32_t umask;          /* default 022 */
                uint32_t *additional_gids;
                size_t n_additional_gids;
                enum congo_personality personality;
                struct congo_sysctl *sysctl;
                size_t n_sysctl;
                /* NULL: the defaults; else the list (possibly empty),
                 * NULL-terminated, which replaces them. */
                char **masked_paths;
                char **readonly_paths;
                struct congo_time_offset time_offsets[CONGO_TIME_COUNT];
        } process;

        struct congo_pos pos[CONGO_K_COUNT];  /* line 0: not written */
        /* Bit per enum congo_key: given, valid or not. */
        uint64_t attempted[CONGO_KEY_WORDS];
        bool overriding;         /* set while --set values are applied */

        /* composition (src/front/compose.c): the names of the included
         * and drop-in files merged, which positions point into. */
        char **sources;
        size_t n_sources;
};

#define CONGO_CPU_PERIOD_US 100000
#define CONGO_UNLIMITED UINT64_MAX
/* Defaults that bound a spec that says nothing: podman's pids limit; /tmp
 * as small as /dev/shm, its pages charged to nobody without a memory limit. */
#define CONGO_PIDS_DEFAULT 2048
#define CONGO_TMP_SIZE_DEFAULT (UINT64_C(64) << 20)
/* docker's and podman's stop timeout; systemd's TimeoutStopSec in
 * congo@.service is a backstop above it. */
#define CONGO_STOP_TIMEOUT_DEFAULT_MS 10000

/* A scalar handed over by a front end.  is_null: YAML's ~ / empty.
 * A value with a line came from a file; in_file says so for one whose
 * position has none (config.json's are JSON paths): either way, a
 * relative path in it is relative to the file's directory. */
struct congo_scalar {
        const char *text;
        struct congo_pos pos;
        bool is_null;
        bool in_file;
};

/* What a key path is, so front ends can walk documents generically. */
enum congo_key_kind {
        CONGO_KIND_UNKNOWN, CONGO_KIND_SCALAR, CONGO_KIND_LIST,
        CONGO_KIND_MAP, CONGO_KIND_MOUNTS, CONGO_KIND_DEVICES, CONGO_KIND_HOOKS,
};

void congo_spec_init(struct congo_spec *spec, const char *file);
/* The absolute directory the relative paths of file are relative to. */
char *congo_spec_dir_of(const char *file);
void congo_spec_free(struct congo_spec *spec);
enum congo_key_kind congo_spec_key_kind(const char *path);
/* A scalar key that may also be written as a mapping of the keys below it
 * (security.seccomp: default, or {profile: p.json}). */
bool congo_spec_key_has_children(const char *path);

/* Front-end entry points.  Each returns 0, or -1 after reporting to d. */
int congo_spec_set(struct congo_spec *spec, const char *path,
                   const struct congo_scalar *value, struct congo_diag *d);
int congo_spec_set_list(struct congo_spec *spec, const char *path,
                        const struct congo_scalar *items, size_t n,
                        const struct congo_pos *pos, struct congo_diag *d);
/* A list given as one string, split with shell-like quoting. */
int congo_spec_set_words(struct congo_spec *spec, const char *path,
                         const struct congo_scalar *value, struct congo_diag *d);
struct congo_mount *congo_spec_add_mount(struct congo_spec *spec,
                                         const struct congo_pos *pos);
int congo_spec_set_mount(struct congo_spec *spec, struct congo_mount *m,
                         const char *key, const struct congo_scalar *value,
                         struct congo_diag *d);
/* "rslave" for MS_SLAVE | MS_REC... ("rprivate" for 0). */
const char *congo_propagation_name(unsigned long ms);
int congo_spec_set_mount_options(struct congo_spec *spec, struct congo_mount *m,
                                 const struct congo_scalar *items, size_t n,
                                 const struct congo_pos *pos,
                                 struct congo_diag *d);
/* `--list-keys`: every key --set takes, one a line ("env." for env.NAME),
 * for shell completion.  `--list-keys=long`: every key of the table with
 * its type, default, range and doc line, tab-separated. */
void congo_spec_list_keys(FILE *out);
void congo_spec_list_keys_long(FILE *out);
/* `--list-keys=man`: the same rows as man(7) source, the KEY LIST section
 * of congo-spec(5), which make builds from man/congo-spec.5.in and it. */
void congo_spec_list_keys_man(FILE *out);
/* Some key was given a value, valid or not. */
bool congo_spec_any_attempted(const struct congo_spec *spec);
/* -1 after reporting "PATH: duplicate key (first at line L, column C)" when
 * first was written before (first->file set) and --set is not overriding;
 * else 0. */
int congo_spec_duplicate(const struct congo_spec *spec, const char *path,
                         const struct congo_pos *first, const struct congo_pos *pos,
                         struct congo_diag *d);
/* A front end found a value of the wrong shape for path ("a mapping"...):
 * reported as "PATH: expected ..., got GOT", the key counted as given. */
void congo_spec_wrong_shape(struct congo_spec *spec, const char *path,
                            const struct congo_pos *pos, const char *got,
                            struct congo_diag *d);
/* devices: an entry, then its keys (path, type, major, minor, file_mode,
 * uid, gid) one by one.  NULL after reporting (too many devices). */
struct congo_device *congo_spec_add_device(struct congo_spec *spec,
                                           const struct congo_pos *pos,
                                           struct congo_diag *d);
int congo_spec_set_device(struct congo_spec *spec, struct congo_device *dev,
                          const char *key, const struct congo_scalar *value,
                          struct congo_diag *d);
/* hooks.KIND (hooks.prestart...): an entry, then its keys: path, timeout
 * as scalars, args and env as lists.  NULL after reporting (unknown kind,
 * too many hooks). */
struct congo_hook *congo_spec_add_hook(struct congo_spec *spec, const char *kind_path,
                                       const struct congo_pos *pos, struct congo_diag *d);
int congo_spec_set_hook(struct congo_spec *spec, struct congo_hook *h, const char *key,
                        const struct congo_scalar *value, struct congo_diag *d);
int congo_spec_set_hook_list(struct congo_spec *spec, struct congo_hook *h, const char *key,
                             const struct congo_scalar *items, size_t n,
                             const struct congo_pos *pos, struct congo_diag *d);
/* "prestart", "create_runtime"... as the spec spells the kind. */
const char *congo_hook_kind_name(enum congo_hook_kind kind);
/* `--set KEY=VALUE`: replaces what the file said.  KEY+=VALUE adds to a
 * list, a map, mounts or devices, KEY-=VALUE removes from them. */
int congo_spec_override(struct congo_spec *spec, const char *assignment,
                        struct congo_diag *d);

/* A copy of text that lives as long as the spec, for positions' file
 * names ("config.json: process.args"); NULL when out of memory. */
const char *congo_spec_keep(struct congo_spec *spec, const char *text);
/* env is the whole environment: no PATH or HOME added (OCI's process.env). */
void congo_spec_env_exact(struct congo_spec *spec);
/* security.seccomp from an inline OCI `linux.seccomp` object (a json_t *,
 * referenced, not copied); validated and compiled by congo_spec_finish,
 * whose messages name it by prefix ("linux.seccomp"). */
int congo_spec_set_seccomp_object(struct congo_spec *spec, void *json_object,
                                  const char *prefix, const struct congo_pos *pos,
                                  struct congo_diag *d);
/* A scalar key that also takes a mapping as a whole document (a json_t *):
 * security.seccomp.profile, a file or the profile itself.  Front ends that
 * can say a mapping hand it to congo_spec_set_document. */
bool congo_spec_key_takes_document(const char *path);
int congo_spec_set_document(struct congo_spec *spec, const char *path, void *json_object,
                            const struct congo_pos *pos, struct congo_diag *d);

/* ---- composition (spec_compose.c) ----
 * Files are merged into one spec one after another; each front-end pass is
 * a layer.  Within a layer a key given twice is a duplicate; a later layer
 * replaces an earlier one's value silently.  At the end of a layer its
 * mounts replace earlier ones with the same target (devices: the same
 * path), in place, and its removal entries drop earlier ones. */
struct congo_layer {
        size_t mounts, devices;  /* counts when the layer began */
};
void congo_spec_layer_begin(const struct congo_spec *spec, struct congo_layer *layer);
int congo_spec_layer_end(struct congo_spec *spec, const struct congo_layer *layer,
                         struct congo_diag *d);
/* Where the value printed for path ("limits.memory", "env.PATH",
 * "mounts[2]") was set; NULL for a default. */
const struct congo_pos *congo_spec_origin(const struct congo_spec *spec, const char *path);
/* congo_spec_print, each line that holds a value followed by
 * "# FILE:LINE" of the file that set it. */
void congo_spec_print_origins(const struct congo_spec *spec, FILE *out);

/* Defaults, normalisation and cross-key validation.  Returns the number of
 * problems reported (0: the spec is valid and complete). */
int congo_spec_finish(struct congo_spec *spec, struct congo_diag *d);

/* The launcher's run-time adaptation of a finished spec to its caller
 * (spec_caller.c): a caller that is not root gets a user namespace, and a
 * user namespace without maps maps euid and egid to 0 inside.  Called
 * before the pipeline plans or runs, never by validation: --print and
 * --check show the spec the same for every caller.  -1: out of memory. */
int congo_spec_adapt_to_caller(struct congo_spec *spec, uid_t euid, gid_t egid);

/* `--schema`: a JSON Schema (draft 2020-12) of spec version 1, made from
 * the key table (spec_schema.c).  0, or -1 when out could not be written. */
int congo_spec_schema(FILE *out);

/* Canonical YAML of a finished spec. */
void congo_spec_print(const struct congo_spec *spec, FILE *out);

/* Names for printing (spec_finish.c). */
const char *congo_ns_name(unsigned bit);
/* CONGO_NS_* bits of the namespaces joined by path (namespace_paths). */
unsigned congo_spec_joined(const struct congo_spec *spec);
const char *congo_cap_name(int cap);
const char *congo_rlimit_name(int resource);

#endif
