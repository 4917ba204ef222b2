/* spec_keys_list.c - the key table printed: `--list-keys` for shell
 * completion, `--list-keys=long` for people (and tools) asking what a key
 * takes.  Both come from the rows in spec_keys.c. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "spec_internal.h"

const char *congo_key_type_name(enum congo_key_type type)
{
        static const char *const names[CONGO_T_COUNT] = {
                [CONGO_T_NONE] = NULL,
                [CONGO_T_GROUP] = "group",
                [CONGO_T_STRING] = "string",
                [CONGO_T_PATH] = "path",
                [CONGO_T_BOOL] = "bool",
                [CONGO_T_UINT] = "uint",
                [CONGO_T_SIZE] = "size",
                [CONGO_T_DURATION] = "duration",
                [CONGO_T_DECIMAL] = "decimal",
                [CONGO_T_ENUM] = "enum",
                [CONGO_T_LIST] = "list",
                [CONGO_T_MAP] = "map",
                [CONGO_T_MOUNTS] = "mounts",
                [CONGO_T_DEVICES] = "devices",
                [CONGO_T_MODE] = "mode",
                [CONGO_T_HOOKS] = "hooks",
        };

        return (unsigned)type < CONGO_T_COUNT ? names[type] : NULL;
}

void congo_spec_list_keys(FILE *out)
{
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const char *k = congo_spec_keys[i].path;
                size_t len = strlen(k);
                if ((congo_spec_keys[i].kind != CONGO_KIND_SCALAR &&
                     congo_spec_keys[i].kind != CONGO_KIND_LIST) ||
                    strcmp(k, "include") == 0)   /* only in a file */
                        continue;
                /* "env.*" lists as "env.": the name is the user's. */
                fprintf(out, "%.*s\n", (int)(k[len - 1] == '*' ? len - 1 : len), k);
        }
}

/* n with the largest suffix that divides it: as a value of the key. */
static void print_size(FILE *out, uint64_t n)
{
        static const char units[] = "KMGT";
        int u = -1;

        while (u < 3 && n != 0 && n % 1024 == 0) {
                n /= 1024;
                u++;
        }
        fprintf(out, "%" PRIu64 "%.*s", n, u >= 0, u >= 0 ? &units[u] : "");
}

static void print_ms(FILE *out, uint64_t ms)
{
        if (ms % 3600000 == 0)
                fprintf(out, "%" PRIu64 "h", ms / 3600000);
        else if (ms % 1000 == 0)
                fprintf(out, "%" PRIu64 "s", ms / 1000);
        else
                fprintf(out, "%" PRIu64 "ms", ms);
}

static void print_bound(FILE *out, enum congo_key_type type, uint64_t v)
{
        if (type == CONGO_T_SIZE)
                print_size(out, v);
        else if (type == CONGO_T_DURATION)
                print_ms(out, v);
        else if (type == CONGO_T_MODE)
                fprintf(out, v ? "0%" PRIo64 : "0", v);
        else if (type == CONGO_T_DECIMAL)
                fprintf(out, "%" PRIu64 ".%02" PRIu64, v / 100, v % 100);
        else
                fprintf(out, "%" PRIu64, v);
}

static void print_range(FILE *out, const struct congo_key_def *k)
{
        bool words = k->type == CONGO_T_ENUM || k->type == CONGO_T_LIST;

        if (k->values != NULL && (words || k->max == 0)) {
                for (size_t i = 0; k->values[i] != NULL; i++)
                        fprintf(out, "%s%s", i ? "|" : "", k->values[i]);
        } else if (k->max == 0) {
                fputc('-', out);
        } else if (k->type == CONGO_T_DEVICES || k->type == CONGO_T_HOOKS) {
                fprintf(out, "at most %" PRIu64, k->max);
        } else {
                print_bound(out, k->type, k->min);
                fputs("..", out);
                print_bound(out, k->type, k->max);
                for (size_t i = 0; k->values && k->values[i]; i++)
                        fprintf(out, "|%s", k->values[i]);   /* ..1024T|unlimited */
        }
}

static void print_row(FILE *out, const char *prefix, const struct congo_key_def *k)
{
        const char *type = congo_key_type_name(k->type);

        fprintf(out, "%s%s\t%s\t%s\t", prefix, k->path, type ? type : "?",
                k->def ? k->def : k->flags & CONGO_KF_REQUIRED ? "(required)" : "-");
        print_range(out, k);
        fprintf(out, "\t%s\n", k->doc ? k->doc : "");
}

/* One key a line: PATH TYPE DEFAULT RANGE DOC, tab-separated, "-" for
 * none; a required key's default is "(required)".  The keys of a list's
 * entries follow it as LIST[].KEY (mounts[].target). */
void congo_spec_list_keys_long(FILE *out)
{
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *k = &congo_spec_keys[i];
                char prefix[128];

                print_row(out, "", k);
                snprintf(prefix, sizeof prefix, "%s[].", k->path);
                for (const struct congo_key_def *e = k->sub; e && e->path; e++)
                        print_row(out, prefix, e);
        }
}
