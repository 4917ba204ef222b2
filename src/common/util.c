/* util.c - small value parsers shared by every front end: sizes,
 * durations, booleans, shell-like word splitting; shell quoting. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "congo/util.h"

/* Digits only, no sign, no overflow. */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
        uint64_t v = 0;

        if (len == 0)
                return -1;
        for (size_t i = 0; i < len; i++) {
                if (!isdigit((unsigned char)s[i]))
                        return -1;
                if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
                        return -1;
                v = v * 10 + (uint64_t)(s[i] - '0');
        }
        *out = v;
        return 0;
}

/* "512M", "1G", "4096", "64k"; powers of 1024; an optional trailing B or iB. */
/* Bytes, or a number with one K, M, G or T suffix (powers of 1024), in
 * either case: what congo-spec(5) says, and what the kernel's tmpfs size=
 * takes too.  "64MB" or "1GiB" are refused: MB means 10^6 to some. */
int congo_parse_size(const char *text, uint64_t *bytes)
{
        size_t len = strlen(text), digits = 0;
        uint64_t v, mult = 1;

        while (digits < len && isdigit((unsigned char)text[digits]))
                digits++;
        if (parse_u64(text, digits, &v) < 0)
                return -1;
        const char *unit = text + digits;
        if (*unit != '\0') {
                const char *units = "KMGT";
                const char *u = strchr(units, toupper((unsigned char)*unit));
                if (u == NULL || unit[1] != '\0')
                        return -1;
                for (const char *p = units; p <= u; p++)
                        mult *= 1024;
        }
        if (v > UINT64_MAX / mult)
                return -1;
        *bytes = v * mult;
        return 0;
}

void congo_hugepage_name(uint64_t page_size, char buf[static 24])
{
        static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
        int u = 0;

        while (u < 4 && page_size >= 1024 && page_size % 1024 == 0) {
                page_size /= 1024;
                u++;
        }
        snprintf(buf, 24, "%" PRIu64 "%s", page_size, units[u]);
}

/* "30s", "500ms", "2m", "1h"; a bare number is seconds. */
int congo_parse_duration_ms(const char *text, uint64_t *ms)
{
        static const struct { const char *suffix; uint64_t ms; } units[] = {
                { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
                { "", 1000 },
        };
        size_t len = strlen(text), digits = 0;
        uint64_t v;

        while (digits < len && isdigit((unsigned char)text[digits]))
                digits++;
        if (parse_u64(text, digits, &v) < 0)
                return -1;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
                if (strcmp(text + digits, units[i].suffix) != 0)
                        continue;
                if (v > UINT64_MAX / units[i].ms)
                        return -1;
                *ms = v * units[i].ms;
                return 0;
        }
        return -1;
}

int congo_parse_bool(const char *text, bool *value)
{
        static const char *const yes[] = { "true", "yes", "on" };
        static const char *const no[] = { "false", "no", "off" };

        for (size_t i = 0; i < 3; i++) {
                if (strcasecmp(text, yes[i]) == 0)
                        return *value = true, 0;
                if (strcasecmp(text, no[i]) == 0)
                        return *value = false, 0;
        }
        return -1;
}

void congo_strv_free(char **v)
{
        if (v == NULL)
                return;
        for (char **p = v; *p; p++)
                free(*p);
        free(v);
}

size_t congo_strv_len(char *const *v)
{
        size_t n = 0;

        while (v && v[n])
                n++;
        return n;
}

/* Appends one word; words are built in a scratch buffer as long as text. */
static int push_word(char ***v, size_t *n, const char *word)
{
        char **nv = realloc(*v, (*n + 2) * sizeof **v);

        if (nv == NULL)
                return -1;
        *v = nv;
        if ((nv[*n] = strdup(word)) == NULL)
                return -1;
        nv[++*n] = NULL;
        return 0;
}

char **congo_split_words(const char *text, const char **why)
{
        char **v = calloc(1, sizeof *v);
        char *buf = malloc(strlen(text) + 1);
        size_t n = 0, len = 0;
        bool in_word = false;
        char quote = 0;

        *why = "out of memory";
        if (v == NULL || buf == NULL)
                goto fail;
        for (const char *p = text;; p++) {
                char c = *p;

                if (c == '\0') {
                        if (quote) {
                                *why = quote == '"' ? "unterminated double quote"
                                                    : "unterminated single quote";
                                goto fail;
                        }
                        break;
                }
                if (quote == '\'') {
                        if (c == '\'')
                                quote = 0;
                        else
                                buf[len++] = c;
                        continue;
                }
                if (c == '\\') {
                        /* In double quotes, as in sh, only \" \\ \$ \` escape. */
                        char next = p[1];
                        if (next == '\0') {
                                *why = "backslash at end of value";
                                goto fail;
                        }
                        if (quote == '"' && !strchr("\"\\$`", next))
                                buf[len++] = c;
                        buf[len++] = next;
                        p++;
                        in_word = true;
                        continue;
                }
                if (quote == '"') {
                        if (c == '"')
                                quote = 0;
                        else
                                buf[len++] = c;
                        continue;
                }
                if (c == '"' || c == '\'') {
                        quote = c;
                        in_word = true;
                        continue;
                }
                if (c == ' ' || c == '\t' || c == '\n') {
                        if (in_word) {
                                buf[len] = '\0';
                                if (push_word(&v, &n, buf) < 0)
                                        goto fail;
                                len = 0;
                                in_word = false;
                        }
                        continue;
                }
                buf[len++] = c;
                in_word = true;
        }
        if (in_word) {
                buf[len] = '\0';
                if (push_word(&v, &n, buf) < 0)
                        goto fail;
        }
        free(buf);
        *why = NULL;
        return v;
fail:
        free(buf);
        congo_strv_free(v);
        return NULL;
}

/* Strict UTF-8: no overlongs, no surrogates, nothing past U+10FFFF. */
bool congo_utf8_valid(const char *text)
{
        const unsigned char *p = (const unsigned char *)text;

        while (*p) {
                unsigned c = *p, n;
                uint32_t cp;
                if (c < 0x80) {
                        p++;
                        continue;
                }
                if (c >= 0xc2 && c <= 0xdf)
                        n = 1, cp = c & 0x1f;
                else if (c >= 0xe0 && c <= 0xef)
                        n = 2, cp = c & 0x0f;
                else if (c >= 0xf0 && c <= 0xf4)
                        n = 3, cp = c & 0x07;
                else
                        return false;
                for (unsigned i = 1; i <= n; i++) {
                        if ((p[i] & 0xc0) != 0x80)
                                return false;
                        cp = (cp << 6) | (p[i] & 0x3f);
                }
                if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
                    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
                        return false;
                p += n + 1;
        }
        return true;
}

void congo_shell_quote(FILE *out, const char *word)
{
        static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789@%+=:,./_-";

        if (word[0] != '\0' && strspn(word, safe) == strlen(word)) {
                fputs(word, out);
                return;
        }
        fputc('\'', out);
        for (const char *p = word; *p; p++) {
                if (*p == '\'')
                        fputs("'\\''", out);
                else
                        fputc(*p, out);
        }
        fputc('\'', out);
}
