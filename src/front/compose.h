/* compose.h - between the file front ends and composition (compose.c):
 * a front end hands its file's include: list to the includer before it
 * applies anything else of the file, so that the included files are merged
 * first. */
#ifndef CONGO_COMPOSE_H
#define CONGO_COMPOSE_H

#include <sys/stat.h>

#include "congo/parse.h"

/* Included files may nest this deep below the spec, and no more files
 * than this are merged for one spec (drop-ins included). */
#define CONGO_INCLUDE_DEPTH 8
#define CONGO_COMPOSE_FILES 128

struct congo_includer {
        /* items: the paths as written, each with its position. */
        int (*include)(struct congo_includer *self, const struct congo_scalar *items,
                       size_t n, struct congo_diag *d);
};

int congo_parse_yaml_in(struct congo_spec *spec, const char *buf, size_t len,
                        struct congo_includer *inc, struct congo_diag *d);
int congo_parse_ini_in(struct congo_spec *spec, const char *buf, size_t len,
                       struct congo_includer *inc, struct congo_diag *d);

/* The file, checked (regular, not too large) and read whole; NULL after
 * reporting "what: ..." at pos. */
char *congo_read_spec(const char *path, const struct congo_pos *pos, const char *what,
                      size_t *len, struct stat *st, struct congo_diag *d);
/* congo_parse_file: spec->file, what it includes, and its drop-ins. */
int congo_compose_file(struct congo_spec *spec, struct congo_diag *d);

#endif
