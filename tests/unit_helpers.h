/* unit_helpers.h - what the spec-model unit suites share: load a document
 * as main() does, print it, expect one error. */
#ifndef CONGO_TEST_UNIT_HELPERS_H
#define CONGO_TEST_UNIT_HELPERS_H

#include "congo/spec.h"

/* Parses text as file (format from its name and text: YAML, INI or OCI)
 * and finishes as main() does; returns the number of problems, with every
 * message in *errors (the caller frees it). */
int unit_load(struct congo_spec *s, const char *file, const char *text, char **errors);
/* unit_load, which must find no problem. */
void unit_load_ok(struct congo_spec *s, const char *file, const char *text);
/* The canonical print of a valid spec (the caller frees it). */
char *unit_printed(const char *file, const char *text);
/* One bad spec: at least one problem, and message among them. */
void unit_expect_error(const char *file, const char *text, const char *message);

#endif
