/* unit_helpers.c - see unit_helpers.h. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "congo/parse.h"
#include "unit_helpers.h"

int unit_load(struct congo_spec *s, const char *file, const char *text, char **errors)
{
        size_t len;
        FILE *f = open_memstream(errors, &len);
        struct congo_diag d = { f, 0 };

        congo_spec_init(s, file);
        switch (congo_detect_format(file, text, strlen(text))) {
        case CONGO_FORMAT_INI:
                congo_parse_ini(s, text, strlen(text), &d);
                break;
        case CONGO_FORMAT_OCI:
                congo_parse_oci(s, text, strlen(text), &d);
                break;
        default:
                congo_parse_yaml(s, text, strlen(text), &d);
                break;
        }
        if (d.count == 0 || congo_spec_any_attempted(s))   /* as main() does */
                congo_spec_finish(s, &d);
        fclose(f);
        return d.count;
}

void unit_load_ok(struct congo_spec *s, const char *file, const char *text)
{
        char *errors;

        int n = unit_load(s, file, text, &errors);
        ck_assert_msg(n == 0, "%s: unexpected errors: %s\nfor %s", file, errors, text);
        free(errors);
}

char *unit_printed(const char *file, const char *text)
{
        struct congo_spec s;
        char *out;
        size_t len;

        unit_load_ok(&s, file, text);
        FILE *f = open_memstream(&out, &len);
        congo_spec_print(&s, f);
        fclose(f);
        congo_spec_free(&s);
        return out;
}

void unit_expect_error(const char *file, const char *text, const char *message)
{
        struct congo_spec s;
        char *errors;

        int n = unit_load(&s, file, text, &errors);
        ck_assert_msg(n >= 1, "no error for: %s", text);
        ck_assert_msg(strstr(errors, message) != NULL, "expected \"%s\"\n got: %s", message, errors);
        free(errors);
        congo_spec_free(&s);
}
