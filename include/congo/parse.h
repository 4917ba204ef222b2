/* parse.h - the spec front ends.  Each fills a congo_spec (initialised by
 * congo_spec_init) through the setters in spec.h and nothing else.  Every
 * function returns the number of problems it reported to d (0: none). */
#ifndef CONGO_PARSE_H
#define CONGO_PARSE_H

#include <stddef.h>

#include "congo/spec.h"

#define CONGO_SPEC_MAX_BYTES (1024 * 1024)

enum congo_format { CONGO_FORMAT_YAML, CONGO_FORMAT_INI };

/* By extension (.yaml/.yml, .ini/.conf), else by content: a first
 * [section] line means INI. */
enum congo_format congo_detect_format(const char *path, const char *buf, size_t len);

/* Reads and parses spec->file. */
int congo_parse_file(struct congo_spec *spec, struct congo_diag *d);
int congo_parse_yaml(struct congo_spec *spec, const char *buf, size_t len,
                     struct congo_diag *d);
int congo_parse_ini(struct congo_spec *spec, const char *buf, size_t len,
                    struct congo_diag *d);

/* The seed's positional form: run <rootfs> <pids> <memory> <cpu_shares>
 * <env_vars> -- cmd args...; argv starts after "run". */
int congo_parse_positional(struct congo_spec *spec, int argc, char *const argv[],
                           struct congo_diag *d);

#endif
