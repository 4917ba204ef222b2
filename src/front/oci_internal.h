/* oci_internal.h - shared by the OCI front end's files: parse_oci.c (the
 * walk and the helpers), oci_rows.c (the table) and oci_convert_*.c (the
 * converters, by the part of config.json they read).  Nothing else
 * includes it. */
#ifndef CONGO_OCI_INTERNAL_H
#define CONGO_OCI_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "congo/parse.h"

struct oci;
struct oci_row;
/* A converter: v is the value at row->json (never JSON null). */
typedef int (*oci_conv)(struct oci *, const struct oci_row *, json_t *v);

struct oci_row {
        const char *json;        /* dotted JSON path */
        const char *key;         /* congo key path, or NULL */
        char type;               /* s string, i integer, b boolean: a plain scalar */
        oci_conv conv;           /* NULL: the scalar as text to key */
        const char *why;         /* oci_refuse() and oci_note(): what to say */
        const char *absent;      /* OCI's meaning of leaving it out, where
                                    congo's default differs ("": an empty list) */
};

struct oci {
        struct congo_spec *spec;
        struct congo_diag *d;
        const char *file;
        json_t *root;
        int problems;
        /* Values that two JSON paths make together. */
        json_int_t uid, gid;
        bool have_user;
};

/* The table (oci_rows.c): every JSON path the spec defines for Linux. */
extern const struct oci_row oci_rows[];
extern const size_t oci_n_rows;

/* ---- helpers (parse_oci.c) ---- */

/* Position of a value: the file and its JSON path (kept by the spec). */
struct congo_pos oci_at(struct oci *o, const char *json);
/* "FILE: JSON: message", counted; returns -1. */
int oci_fail(struct oci *o, const char *json, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
json_t *oci_get_path(json_t *root, const char *path);
/* Absent in effect: an optional value left empty. */
bool oci_is_empty(json_t *v);
/* The text of a scalar of type t ('s', 'i', 'b'), or NULL after reporting. */
const char *oci_scalar_text(struct oci *o, const char *json, json_t *v, char t,
                            char *buf, size_t size);
int oci_set_text(struct oci *o, const char *json, const char *key, const char *text);

/* Each item of the array v at json, to fn with its path "json[i]": the
 * walk every list of config.json takes.  Not an array: "JSON: expected
 * WHAT" ("an array", "an array of strings"...).  An item's -1 (reported)
 * marks the walk failed and it goes on; OCI_STOP ends it.  0, or -1 when
 * anything failed. */
#define OCI_STOP (-2)
typedef int (*oci_item_fn)(struct oci *o, const char *path, size_t i, json_t *item, void *ctx);
int oci_each(struct oci *o, const char *json, json_t *v, const char *what, oci_item_fn fn,
             void *ctx);
/* The strings of the array v at json as scalars at json's position
 * (*pos), json_array_size(v) of them; *rc -1 after reporting.  Free the
 * result (NULL only when out of memory). */
struct congo_scalar *oci_strings(struct oci *o, const char *json, json_t *v, struct congo_pos *pos,
                                 int *rc);
/* An array of strings to a list key. */
int oci_set_string_list(struct oci *o, const char *json, const char *key, json_t *v);

/* ---- converters (oci_rows.c: refuse, note, lsm; oci_convert_*.c) ---- */
#define OCI_CONV(name) int name(struct oci *o, const struct oci_row *r, json_t *v)
OCI_CONV(oci_refuse);
OCI_CONV(oci_note);
OCI_CONV(oci_lsm);
/* oci_convert_process.c: the process, annotations and hooks */
OCI_CONV(oci_conv_version);
OCI_CONV(oci_conv_strings);
OCI_CONV(oci_conv_env);
OCI_CONV(oci_conv_id);
OCI_CONV(oci_conv_rlimits);
OCI_CONV(oci_conv_caps);
OCI_CONV(oci_conv_int_base);
OCI_CONV(oci_conv_ints);
OCI_CONV(oci_conv_console_size);
OCI_CONV(oci_conv_io_priority);
OCI_CONV(oci_conv_annotations);
OCI_CONV(oci_conv_hooks);
/* oci_convert_linux.c: linux.* but resources and mounts */
OCI_CONV(oci_conv_sysctl);
OCI_CONV(oci_conv_personality);
OCI_CONV(oci_conv_time_offsets);
OCI_CONV(oci_conv_namespaces);
OCI_CONV(oci_conv_idmap);
OCI_CONV(oci_conv_devices);
OCI_CONV(oci_conv_device_rules);
OCI_CONV(oci_conv_seccomp);
/* oci_convert_resources.c: linux.resources and linux.cgroupsPath */
OCI_CONV(oci_conv_limit);
OCI_CONV(oci_conv_swap);
OCI_CONV(oci_conv_zero_unset);
OCI_CONV(oci_conv_cpuset);
OCI_CONV(oci_conv_hugepages);
OCI_CONV(oci_conv_unified);
OCI_CONV(oci_conv_cgroups_path);
/* oci_convert_mounts.c */
OCI_CONV(oci_conv_mounts);

#endif
