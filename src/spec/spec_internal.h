/* spec_internal.h - shared between spec.c, spec_finish.c and spec_print.c;
 * nothing outside the spec model includes it. */
#ifndef CONGO_SPEC_INTERNAL_H
#define CONGO_SPEC_INTERNAL_H

#include "congo/spec.h"
#include "congo/util.h"

#define KEYPOS_WRITTEN(spec, k) ((spec)->pos[k].file != NULL)
/* A value was given for the key, even one that was refused: a required key
 * that was given wrongly has been reported already, not missing. */
#define ATTEMPTED(spec, k) (((spec)->attempted[(k) / 64] >> ((k) % 64)) & 1)
#define GIVEN(spec, k) (KEYPOS_WRITTEN(spec, k) || ATTEMPTED(spec, k))
#define MARK_ATTEMPTED(spec, k) ((spec)->attempted[(k) / 64] |= UINT64_C(1) << ((k) % 64))

/* Lexically cleaned absolute path: base/rel with ".", ".." and "//" folded.
 * ".." never climbs above "/". */
char *congo_path_clean(const char *base, const char *rel);
bool congo_name_valid(const char *name);
bool congo_hostname_valid(const char *name);
int congo_parse_idmap(const char *text, struct congo_idmap **out, size_t *n,
                      const char **why);
int congo_cap_from_name(const char *name);
uint64_t congo_caps_default(void);
int congo_rlimit_from_name(const char *name);

/* The key table (spec_keys.c): what each dotted path is, its type, default,
 * range and doc line, and its setter.  The row format is described at the
 * top of spec_keys.c. */
typedef int (*congo_scalar_setter)(struct congo_spec *, const char *path,
                                   const struct congo_scalar *, struct congo_diag *);
typedef int (*congo_list_setter)(struct congo_spec *, const char *path,
                                 const struct congo_scalar *, size_t,
                                 struct congo_diag *);

/* What a value means, beyond its shape (kind): for --list-keys=long,
 * congo-spec(5), and the generic setters. */
enum congo_key_type {
        CONGO_T_NONE,            /* a row without a type: a unit test fails */
        CONGO_T_GROUP,           /* a mapping that only holds other keys */
        CONGO_T_STRING,
        CONGO_T_PATH,            /* a host or container path */
        CONGO_T_BOOL,
        CONGO_T_UINT,            /* range: min..max */
        CONGO_T_SIZE,            /* bytes, or K/M/G/T (powers of 1024); range in bytes */
        CONGO_T_DURATION,        /* ms/s/m/h; range in ms */
        CONGO_T_DECIMAL,         /* range in hundredths */
        CONGO_T_ENUM,            /* one of values */
        CONGO_T_LIST,            /* list of strings; of values when given */
        CONGO_T_MAP,             /* mapping of strings */
        CONGO_T_MOUNTS,
        CONGO_T_DEVICES,
        CONGO_T_MODE,            /* octal permission bits; range min..max */
        CONGO_T_HOOKS,           /* list of {path, args, env, timeout}; max: per kind */
        CONGO_T_COUNT
};

#define CONGO_KF_REQUIRED 1u     /* congo_spec_finish reports it missing */
#define CONGO_KF_NULL 2u         /* YAML's ~ is taken (as nothing), for --schema */
#define CONGO_KF_PRINT_SET 8u    /* a BOOL that --print leaves out while false */
#define CONGO_KF_DOCUMENT 4u     /* a mapping is taken whole, as a JSON document
                                    (congo_spec_set_document): an inline profile */

struct congo_key_def {
        const char *path;        /* "limits.memory"; "env.*" matches env.ANY */
        enum congo_key_kind kind;
        int key;                 /* enum congo_key, or -1 */
        congo_scalar_setter set; /* NULL for a CONGO_T_BOOL scalar: by offset */
        congo_list_setter set_list;
        enum congo_key_type type;
        size_t offset;           /* offsetof(struct congo_spec, field), generic setters */
        const char *def;         /* the default as a value of the key, or NULL */
        uint64_t min, max;       /* CONGO_T_UINT/SIZE/DURATION/DECIMAL; max 0: none */
        const char *const *values;   /* CONGO_T_ENUM/LIST: NULL-terminated;
                                        other scalars: words taken besides */
        unsigned flags;          /* CONGO_KF_* */
        const char *doc;         /* one line, no final period */
        /* MOUNTS, DEVICES (any list of entries): the keys of one entry,
         * rows with a bare name as path, ended by a row with a NULL path
         * (spec_keys_entries.c).  --schema describes entries by them. */
        const struct congo_key_def *sub;
};
const char *congo_key_type_name(enum congo_key_type type);
/* --print prints row k (a top-level key, or a key of a group such as
 * limits.memory): from the table by its .offset and type, or by a
 * function of spec_print.c's own. */
bool congo_spec_key_printed(const struct congo_key_def *k);
/* The row for path ("env.X" finds "env.*"), or NULL. */
const struct congo_key_def *congo_spec_find_key(const char *path);
extern const struct congo_key_def congo_spec_keys[];
extern const size_t congo_spec_n_keys;
extern const struct congo_key_def congo_mount_keys[];
extern const struct congo_key_def congo_device_keys[];
/* composition (spec_compose.c) */
/* A value at pos replaces one first written at first silently: first came
 * from an earlier file, or --set is overriding. */
bool congo_spec_later(const struct congo_spec *spec, const struct congo_pos *first,
                      const struct congo_pos *pos);
/* NAME: ~ for a map entry (env.NAME, limits.rlimits.NAME): removes it. */
int congo_spec_unset(struct congo_spec *spec, const char *path,
                     const struct congo_pos *pos, struct congo_diag *d);
/* --set KEY+=VALUE (op '+') or KEY-=VALUE (op '-'). */
int congo_spec_override_op(struct congo_spec *spec, const char *path, char op,
                           const struct congo_scalar *v, struct congo_diag *d);
extern const struct congo_key_def congo_hook_keys[];   /* spec_hooks.c */

/* Report at the value's position and fail: `return BAD(d, v, "...")`. */
#define BAD(d, v, ...) (congo_diag_report((d), &(v)->pos, __VA_ARGS__), -1)

int congo_replace_str(char **dst, const char *src);
int congo_parse_uint(const char *text, uint64_t max, uint64_t *out);
/* The absolute, lexically cleaned path; *rel keeps a relative one as
 * written, with the directory it is relative to (rel may be NULL). */
char *congo_resolve_path(const struct congo_spec *s, const struct congo_scalar *v,
                         struct congo_relpath *rel);
void congo_relpath_free(struct congo_relpath *rel);

/* devices (spec_devices.c): cross-key checks, release, canonical print. */
void congo_spec_check_devices(struct congo_spec *s, struct congo_diag *d);
void congo_spec_free_devices(struct congo_spec *s);
/* device_rules (spec_device_rules.c) */
int congo_setl_device_rules(struct congo_spec *, const char *, const struct congo_scalar *, size_t, struct congo_diag *);
void congo_spec_put_device_rules(FILE *out, const struct congo_spec *s);
void congo_spec_print_devices(const struct congo_spec *s, FILE *out);

/* mounts (spec_mounts.c): a mount's checks across its keys, release,
 * and rootfs_propagation. */
void congo_spec_check_mount(struct congo_spec *s, size_t idx, struct congo_diag *d);
void congo_spec_free_mount(struct congo_mount *m);
int congo_set_rootfs_propagation(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
/* namespace_paths (spec_ns_paths.c). */
int congo_set_ns_path(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_io_priority(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_terminal_size(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
void congo_spec_check_ns_paths(struct congo_spec *s, struct congo_diag *d);
void congo_spec_free_ns_paths(struct congo_spec *s);
void congo_spec_print_ns_paths(const struct congo_spec *s, FILE *out);
/* hooks (spec_hooks.c): cross-key checks, release, canonical print. */
void congo_spec_check_hooks(struct congo_spec *s, struct congo_diag *d);
void congo_spec_free_hooks(struct congo_spec *s);
void congo_spec_print_hooks(const struct congo_spec *s, FILE *out,
                            void (*put_str)(FILE *, const char *),
                            void (*put_strv)(FILE *, char *const *));

/* The limits.* setters (spec_limits.c). */
int congo_set_pids(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_memory(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_cpu_shares(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_cpus(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_time(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_tmp(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_rlimit(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);

/* The other cgroup resources (spec_resources.c). */
int congo_set_memory_reservation(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_memory_swap(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_memory_swappiness(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_cpu_quota(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_cpu_period(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_cpuset(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_cpu_rt_runtime(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_cpu_rt_period(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_blkio_weight(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_hugepages(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_unified(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
void congo_spec_check_resources(struct congo_spec *s, struct congo_diag *d);
/* --print of the limits.* row k that is not one field printed by its
 * type (spec_print.c's table names which). */
void congo_spec_put_resource(FILE *out, const struct congo_spec *s, const struct congo_key_def *k);
void congo_spec_free_resources(struct congo_spec *s);
/* s as a double-quoted YAML string (spec_print.c). */
void congo_spec_put_str(FILE *out, const char *s);
/* "  name: value\n", both quoted as put_str quotes (spec_print.c). */
void congo_spec_put_pair(FILE *out, const char *name, const char *value);
/* bytes with the largest unit that divides it, K to T (spec_print.c). */
void congo_spec_put_size(FILE *out, uint64_t bytes);
/* s as a double-quoted YAML string (spec_print.c). */
/* process and security keys (spec_process.c). */
int congo_caps_from_items(const char *path, const struct congo_scalar *items, size_t n,
                          uint64_t *out, struct congo_diag *d);
int congo_setl_capset(struct congo_spec *, const char *, const struct congo_scalar *, size_t, struct congo_diag *);
int congo_set_oom_score_adj(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_umask(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_setl_additional_gids(struct congo_spec *, const char *, const struct congo_scalar *, size_t, struct congo_diag *);
int congo_set_personality(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_set_sysctl(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
int congo_setl_paths(struct congo_spec *, const char *, const struct congo_scalar *, size_t, struct congo_diag *);
int congo_set_time_offset(struct congo_spec *, const char *, const struct congo_scalar *, struct congo_diag *);
void congo_spec_init_process(struct congo_spec *s);
void congo_spec_free_process(struct congo_spec *s);
void congo_spec_check_process(struct congo_spec *s, struct congo_diag *d);
void congo_spec_put_oom_score_adj(FILE *out, const struct congo_spec *s);
void congo_spec_put_umask(FILE *out, const struct congo_spec *s);
void congo_spec_put_additional_gids(FILE *out, const struct congo_spec *s);
void congo_spec_put_personality(FILE *out, const struct congo_spec *s);
void congo_spec_put_sysctl(FILE *out, const struct congo_spec *s);
void congo_spec_put_masked_paths(FILE *out, const struct congo_spec *s);
void congo_spec_put_readonly_paths(FILE *out, const struct congo_spec *s);
void congo_spec_put_time_offsets(FILE *out, const struct congo_spec *s);
/* security.capabilities_SET (set: enum congo_capset), when it is not
 * the default. */
void congo_spec_put_capset(FILE *out, const struct congo_spec *s, int set);
/* security.capabilities_SET's enum congo_capset, or -1; the set as it
 * stands before congo_spec_finish (for --set KEY+=). */
int congo_capset_of(const char *path);
uint64_t congo_capset_current(const struct congo_spec *s, int set);

/* spec_names.c: the index of name among the n entries at base (each
 * stride bytes, its name the first member), or n; *root is a tsearch tree
 * caught up to *indexed (entries appended elsewhere are added first). */
size_t congo_spec_find_name(void **root, size_t *indexed, const void *base, size_t stride,
                            size_t n, const char *name);
void congo_spec_free_names(void **root);
/* After an entry is removed from the array: rebuilt at the next lookup. */
void congo_spec_forget_names(void **root, size_t *indexed);
/* The array with room for entry n (it holds n): grown by doubling; NULL
 * when out of memory (the array is then unchanged). */
void *congo_spec_grow(void *array, size_t n, size_t size);

#endif
