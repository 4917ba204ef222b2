/* fuzz_spec.c - libFuzzer harness for both front ends, validation and the
 * --print round trip.  Built three times: FUZZ_INI selects the INI front
 * end, FUZZ_OCI the config.json one.
 *
 * For any input: no crash, no leak, no hang.  For an input that is a
 * valid spec: printing it and parsing the print must give a spec that
 * prints the same (print -> parse is the identity on printed specs). */
#define _GNU_SOURCE   /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "congo/parse.h"
#include "congo/spec.h"

static char *print(const struct congo_spec *s)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        congo_spec_print(s, f);
        fclose(f);
        return out;
}

static int load(struct congo_spec *s, const char *file, const char *buf, size_t len, bool ini)
{
        struct congo_diag d = { NULL, 0 };
        /* "BASE\n#8<\nSPEC": BASE merged first as a file of its own, as
         * include: would, so that merging and removal are fuzzed too. */
        const char *cut = memmem(buf, len, "\n#8<\n", 5);

        congo_spec_init(s, file);
        if (cut != NULL && congo_detect_format(file, buf, len) != CONGO_FORMAT_OCI) {
                char *own = s->file;
                s->file = (char *)"/tmp/fuzz-base.yaml";   /* positions name it */
                if (ini)
                        congo_parse_ini(s, buf, (size_t)(cut - buf), &d);
                else
                        congo_parse_yaml(s, buf, (size_t)(cut - buf), &d);
                s->file = own;
                len -= (size_t)(cut + 5 - buf);
                buf = cut + 5;
        }
        if (congo_detect_format(file, buf, len) == CONGO_FORMAT_OCI)
                congo_parse_oci(s, buf, len, &d);
        else if (ini)
                congo_parse_ini(s, buf, len, &d);
        else
                congo_parse_yaml(s, buf, len, &d);
        if (d.count == 0 || congo_spec_any_attempted(s))   /* as main() does */
                congo_spec_finish(s, &d);
        return d.count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct congo_spec s, again;
        char *buf;

        if (size > CONGO_SPEC_MAX_BYTES)
                return 0;
        buf = malloc(size + 1);
        memcpy(buf, data, size);
        buf[size] = '\0';
#ifdef FUZZ_INI
        int bad = load(&s, "/tmp/fuzz.ini", buf, size, true);
#elif defined(FUZZ_OCI)
        int bad = load(&s, "/tmp/config.json", buf, size, false);
#else
        int bad = load(&s, "/tmp/fuzz.yaml", buf, size, false);
#endif
        if (bad == 0) {
                char *first = print(&s);
                if (load(&again, "/tmp/fuzz.yaml", first, strlen(first), false) != 0) {
                        fprintf(stderr, "the printed spec does not parse:\n%s", first);
                        abort();
                }
#ifdef FUZZ_OCI
                /* The YAML of a bundle is its equivalent, not its fixed
                 * point (YAML adds PATH and HOME to an exact OCI env):
                 * that YAML's print is.  An inline linux.seccomp prints
                 * as a flow mapping that reads back the same. */
                free(first);
                first = print(&again);
                congo_spec_free(&again);
                if (load(&again, "/tmp/fuzz.yaml", first, strlen(first), false) != 0) {
                        fprintf(stderr, "the printed spec does not parse:\n%s", first);
                        abort();
                }
#endif
                char *second = print(&again);
                if (strcmp(first, second) != 0) {
                        fprintf(stderr, "print -> parse -> print differs:\n%s\n---\n%s", first, second);
                        abort();
                }
                free(second);
                free(first);
                congo_spec_free(&again);
        }
        congo_spec_free(&s);
        free(buf);
        return 0;
}
