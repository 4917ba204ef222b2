/* parse.h - the spec front ends.  Each fills a congo_spec (initialised by
 * congo_spec_init) through the setters in spec.h and nothing else.  Every
 * function returns the number of problems it reported to d (0: none). */
#ifndef CONGO_PARSE_H
#define CONGO_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "congo/spec.h"

#define CONGO_SPEC_MAX_BYTES (1024 * 1024)

enum congo_format { CONGO_FORMAT_YAML, CONGO_FORMAT_INI, CONGO_FORMAT_OCI };

/* By extension (.yaml/.yml, .ini/.conf, .json: an OCI config.json), else
 * by content: a first [section] line means INI. */
enum congo_format congo_detect_format(const char *path, const char *buf, size_t len);

/* Reads and parses spec->file. */
int congo_parse_file(struct congo_spec *spec, struct congo_diag *d);
int congo_parse_yaml(struct congo_spec *spec, const char *buf, size_t len,
                     struct congo_diag *d);
int congo_parse_ini(struct congo_spec *spec, const char *buf, size_t len,
                    struct congo_diag *d);
/* An OCI bundle's config.json (parse_oci.c); relative paths (root.path)
 * are relative to the bundle, the directory of spec->file. */
/* The runtime's --systemd-cgroup: a cgroupsPath in systemd's form
 * slice:prefix:name is taken, as the cgroupfs path systemd would use
 * (congo_oci_systemd_path), rather than refused. */
extern bool congo_oci_systemd_cgroup;
int congo_oci_systemd_path(const char *spec, char *out, size_t len);
int congo_parse_oci(struct congo_spec *spec, const char *buf, size_t len,
                    struct congo_diag *d);
/* The spec file a command-line argument names: a directory is an OCI
 * bundle, its DIR/config.json; anything else itself.  Allocated. */
char *congo_spec_file_for(const char *arg);

/* The seed's positional form: run <rootfs> <pids> <memory> <cpu_shares>
 * <env_vars> -- cmd args...; argv starts after "run". */
int congo_parse_positional(struct congo_spec *spec, int argc, char *const argv[],
                           struct congo_diag *d);

#endif
