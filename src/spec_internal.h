/* spec_internal.h - shared between spec.c, spec_finish.c and spec_print.c;
 * nothing outside the spec model includes it. */
#ifndef CONGO_SPEC_INTERNAL_H
#define CONGO_SPEC_INTERNAL_H

#include "congo/spec.h"

#define KEYPOS_WRITTEN(spec, k) ((spec)->pos[k].file != NULL)

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

#endif
