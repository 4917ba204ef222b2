/* spec_keys_list.c - the key table printed: `--list-keys` for shell
 * completion, `--list-keys=long` for people (and tools) asking what a key
 * takes, `--list-keys=man` for congo-spec(5)'s KEY LIST section.  All
 * come from the rows in spec_keys.c. */
#include "config.h"

#include <ctype.h>
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

/* text as man(7) text lines of at most 80 bytes, broken between words:
 * a backslash is \e, a hyphen \-, and no line starts with a control
 * character.  *col is the current line's length so far. */
static void put_man_text(FILE *out, const char *text, size_t *col)
{
        for (const char *p = text; *p;) {
                size_t word = strcspn(p, " "), escaped = word;
                for (size_t i = 0; i < word; i++)
                        escaped += p[i] == '\\' || p[i] == '-';
                if (*col > 0 && *col + escaped + 1 > 78) {
                        fputc('\n', out);
                        *col = 0;
                } else if (*col > 0) {
                        fputc(' ', out);
                        (*col)++;
                }
                if (*col == 0 && (p[0] == '.' || p[0] == '\'')) {
                        fputs("\\&", out);
                        *col += 2;
                }
                for (size_t i = 0; i < word; i++)
                        fputs(p[i] == '\\' ? "\\e" : p[i] == '-' ? "\\-" : (char[2]){ p[i], 0 }, out);
                *col += escaped;
                p += word;
                while (*p == ' ')
                        p++;
        }
}

static void man_row(FILE *out, const char *prefix, const struct congo_key_def *k)
{
        const char *type = congo_key_type_name(k->type);
        char range[512];
        size_t len;
        FILE *r = fmemopen(range, sizeof range, "w");

        if (r != NULL) {
                print_range(r, k);
                fflush(r);
                len = (size_t)ftell(r);
                fclose(r);
                range[len < sizeof range ? len : sizeof range - 1] = '\0';
        } else {
                strcpy(range, "-");
        }
        size_t col = 0;
        char line[1200];

        snprintf(line, sizeof line, "%s%s%s%s%s%s.", type ? type : "?",
                 k->flags & CONGO_KF_REQUIRED ? ", required" : k->def ? "; default " : "",
                 k->flags & CONGO_KF_REQUIRED || !k->def ? "" : k->def[0] ? k->def : "none (empty)",
                 strcmp(range, "-") ? "; " : "", strcmp(range, "-") ? range : "", "");
        fprintf(out, ".TP\n.B %s%s\n", prefix, k->path);
        put_man_text(out, line, &col);
        if (k->doc != NULL) {
                snprintf(line, sizeof line, "%s.", k->doc);
                line[0] = (char)toupper((unsigned char)line[0]);
                put_man_text(out, line, &col);
        }
        fputc('\n', out);
}

void congo_spec_list_keys_man(FILE *out)
{
        fputs(".SH KEY LIST\n"
              "Every key of spec version 1 (and of a mount's, device's and hook's entry),\n"
              "made from the key table congo validates with when congo is built\n"
              ".RB ( \"congo\\-launch \\-\\-list\\-keys=man\" ;\n"
              ".B \\-\\-list\\-keys=long\n"
              "prints the same, tab-separated): its type, default and range or values\n"
              "(sizes in bytes with K, M, G, T; durations in ms, s, m, h), and what it is.\n"
              "KEYS above says the rest.\n", out);
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *k = &congo_spec_keys[i];
                char prefix[128];

                man_row(out, "", k);
                snprintf(prefix, sizeof prefix, "%s[].", k->path);
                for (const struct congo_key_def *e = k->sub; e && e->path; e++)
                        man_row(out, prefix, e);
        }
}
