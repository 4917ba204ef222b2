/* spec_schema.h - the schema as a Jansson value, for tests/unit_spec_schema.c. */
#ifndef CONGO_SPEC_SCHEMA_H
#define CONGO_SPEC_SCHEMA_H

#include <jansson.h>

#include "spec_internal.h"

/* A new reference, or NULL when out of memory. */
json_t *congo_spec_schema_json(void);
/* The schema of row k of the table rows[0..n) (its children found there). */
json_t *congo_spec_row_schema(const struct congo_key_def *rows, size_t n,
                              const struct congo_key_def *k);

#endif
