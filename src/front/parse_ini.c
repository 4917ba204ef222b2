/* parse_ini.c - the INI front end (inih).
 *
 * Sections mirror the YAML top level: [container] holds the top-level keys,
 * [env], [limits], [limits.rlimits] and [security] the nested ones, and
 * [mounts] has one "target = type [source] [options]" line per mount,
 * [devices] one "path = type [major minor] [file_mode=M] [uid=N] [gid=N]"
 * line per device, [hooks] one "kind = path [timeout=N] [env=NAME=VALUE]...
 * [-- arg0 arg1...]" line per hook.
 * inih does not report line numbers to the handler in Debian's build, so
 * our reader counts lines as it hands them over, and keeps the current line
 * to find columns.
 */
#include "config.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "congo/parse.h"
#include "congo/util.h"

struct ictx {
        struct congo_spec *spec;
        struct congo_diag *d;
        const char *buf;
        size_t len, off;
        int lineno;
        const char *line;          /* start of the current line in buf */
        size_t line_len;
        int section_line;          /* line of the last [section] header */
        char bad_section[128];     /* last section reported as unknown */
        struct congo_includer *inc;
        struct congo_diag *inc_d;  /* where include problems go, both passes */
        bool first_pass;           /* only include = is looked at */
        bool includes_done;        /* include = was handed over */
        struct congo_pos include_pos;   /* where it was */
};

/* inih's reader: one line per call, so lineno is the handler's line. */
static char *reader(char *str, int num, void *stream)
{
        struct ictx *c = stream;
        size_t n = 0;

        if (c->off >= c->len)
                return NULL;
        c->line = c->buf + c->off;
        while (c->off + n < c->len && c->buf[c->off + n] != '\n')
                n++;
        c->line_len = n;
        c->lineno++;
        size_t lead = strspn(c->line, " \t");
        if (lead < n && c->line[lead] == '[')
                c->section_line = c->lineno;
        if (n + 2 > (size_t)num) {
                struct congo_pos pos = { c->spec->file, c->lineno, num - 1 };
                congo_diag_report(c->d, &pos, "line is longer than %d characters", num - 2);
                n = 0;   /* hand inih a blank line instead */
        }
        memcpy(str, c->line, n);
        str[n] = '\n';
        str[n + 1] = '\0';
        c->off += c->line_len + 1;
        return str;
}

/* Column of text within the current line (1 if not found). */
static int column_of(const struct ictx *c, const char *text, bool after_eq)
{
        const char *start = c->line, *end = c->line + c->line_len;

        if (after_eq) {
                const char *eq = memchr(start, '=', c->line_len);
                if (eq == NULL)
                        eq = memchr(start, ':', c->line_len);
                if (eq != NULL)
                        start = eq + 1;
        }
        size_t tlen = strlen(text);
        for (const char *p = start; tlen && p + tlen <= end; p++)
                if (memcmp(p, text, tlen) == 0)
                        return (int)(p - c->line) + 1;
        return 1;
}

/* A value wholly in quotes is unquoted, as the shell would. */
static char *unquote(const char *value, const char **why)
{
        if (value[0] != '"' && value[0] != '\'')
                return strdup(value);
        char **words = congo_split_words(value, why);
        if (words == NULL)
                return NULL;
        char *one = NULL;
        if (congo_strv_len(words) == 1)
                one = strdup(words[0]);
        else if (congo_strv_len(words) == 0)
                one = strdup("");
        else
                *why = "more than one quoted word (quote the whole value)";
        congo_strv_free(words);
        return one;
}

static void add_mount(struct ictx *c, const char *target, const char *value,
                      struct congo_pos *kpos, struct congo_pos *vpos)
{
        const char *why = NULL;
        char **w = congo_split_words(value, &why);
        size_t n = congo_strv_len(w), next = 1;
        struct congo_mount *m;

        if (w == NULL || n == 0) {
                congo_diag_report(c->d, vpos, "mounts: %s: %s", target,
                                  why ? why : "expected \"type [source] [options]\"");
                goto out;
        }
        if ((m = congo_spec_add_mount(c->spec, kpos)) == NULL)
                goto out;
        struct congo_scalar s = { .text = target, .pos = *kpos };
        congo_spec_set_mount(c->spec, m, "target", &s, c->d);
        if (strcmp(value, "~") == 0) {   /* /x = ~ removes an inherited mount */
                s = (struct congo_scalar){ .text = "true", .pos = *vpos };
                congo_spec_set_mount(c->spec, m, "remove", &s, c->d);
                goto out;
        }
        s = (struct congo_scalar){ .text = w[0], .pos = *vpos };
        congo_spec_set_mount(c->spec, m, "type", &s, c->d);
        if ((strcmp(w[0], "bind") == 0 || strcmp(w[0], "rbind") == 0) && n > 1) {
                s = (struct congo_scalar){ .text = w[1], .pos = *vpos };
                s.pos.col = column_of(c, w[1], true);
                congo_spec_set_mount(c->spec, m, "source", &s, c->d);
                next = 2;
        }
        if (next < n) {
                s = (struct congo_scalar){ .text = w[next], .pos = *vpos };
                s.pos.col = column_of(c, w[next], true);
                congo_spec_set_mount(c->spec, m, "options", &s, c->d);
        }
        if (next + 1 < n) {
                struct congo_pos p = *vpos;
                p.col = column_of(c, w[next + 1], true);
                congo_diag_report(c->d, &p, "mounts: %s: unexpected \"%s\" (expected \"type [source] [options,...]\")",
                                  target, w[next + 1]);
        }
out:
        congo_strv_free(w);
}

/* "path = c 10 229 file_mode=0660 gid=5": type, major and minor by
 * position, the rest by name, each handed to the same setter as YAML's. */
static void add_device(struct ictx *c, const char *path, const char *value,
                       struct congo_pos *kpos, struct congo_pos *vpos)
{
        static const char *const positional[] = { "type", "major", "minor" };
        const char *why = NULL;
        char **w = congo_split_words(value, &why);
        size_t n = congo_strv_len(w), next = 0;
        struct congo_device *dev;

        if (w == NULL || n == 0) {
                congo_diag_report(c->d, vpos, "devices: %s: %s", path,
                                  why ? why : "expected \"type [major minor] [file_mode=M] [uid=N] [gid=N]\"");
                goto out;
        }
        if ((dev = congo_spec_add_device(c->spec, kpos, c->d)) == NULL)
                goto out;
        struct congo_scalar s = { .text = path, .pos = *kpos };
        congo_spec_set_device(c->spec, dev, "path", &s, c->d);
        if (strcmp(value, "~") == 0) {   /* /dev/x = ~ removes an inherited device */
                s = (struct congo_scalar){ .text = "true", .pos = *vpos };
                congo_spec_set_device(c->spec, dev, "remove", &s, c->d);
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                char *eq = strchr(w[i], '=');
                s = (struct congo_scalar){ .text = eq ? eq + 1 : w[i], .pos = *vpos };
                s.pos.col = column_of(c, w[i], true);
                if (eq != NULL) {
                        *eq = '\0';
                        congo_spec_set_device(c->spec, dev, w[i], &s, c->d);
                } else if (next < 3) {
                        congo_spec_set_device(c->spec, dev, positional[next++], &s, c->d);
                } else {
                        congo_diag_report(c->d, &s.pos, "devices: %s: unexpected \"%s\" (expected \"type [major minor] [file_mode=M] [uid=N] [gid=N]\")",
                                          path, w[i]);
                }
        }
out:
        congo_strv_free(w);
}

/* [container] include = FILE...: on the first pass handed to the
 * includer, so that the included files are merged before this one; on the
 * second pass only a second include = is reported. */
static void include_line(struct ictx *c, const char *value, const struct congo_pos *pos)
{
        const char *why = NULL;
        char **w;

        if (c->includes_done) {
                if (c->first_pass)
                        congo_spec_duplicate(c->spec, "include", &c->include_pos, pos, c->inc_d);
                return;
        }
        c->includes_done = true;
        c->include_pos = *pos;
        if (c->inc == NULL) {
                congo_diag_report(c->inc_d, pos, "include: only a spec file read from disk can include others");
                return;
        }
        if ((w = congo_split_words(value, &why)) == NULL) {
                congo_diag_report(c->inc_d, pos, "include: %s", why ? why : "out of memory");
                return;
        }
        size_t n = congo_strv_len(w);
        struct congo_scalar *items = calloc(n + 1, sizeof *items);
        for (size_t i = 0; items && i < n; i++) {
                items[i] = (struct congo_scalar){ .text = w[i], .pos = *pos };
                items[i].pos.col = column_of(c, w[i], true);
        }
        if (items && n == 0)
                congo_diag_report(c->inc_d, pos, "include: expected a list of files, got nothing");
        else if (items)
                c->inc->include(c->inc, items, n, c->inc_d);
        free(items);
        congo_strv_free(w);
}

/* [hooks]: "KIND = PATH [timeout=N] [env=NAME=VALUE]... [-- ARG0 ARG1...]",
 * one line per hook, in order; a kind may repeat.  Each piece goes to
 * the same setters as YAML's. */
static void add_hook(struct ictx *c, const char *kind, const char *value,
                     struct congo_pos *kpos, struct congo_pos *vpos)
{
        static const char usage[] = "expected \"PATH [timeout=N] [env=NAME=VALUE]... [-- ARG0 ARG1...]\"";
        const char *why = NULL;
        char **w = congo_split_words(value, &why);
        size_t n = congo_strv_len(w), i = 1, n_env = 0;
        char path[160];
        struct congo_hook *h;
        struct congo_scalar *items = calloc(n + 1, sizeof *items);

        snprintf(path, sizeof path, "hooks.%s", kind);
        if (items == NULL)
                goto out;
        if (w == NULL || n == 0 || strcmp(w[0], "--") == 0) {
                congo_diag_report(c->d, vpos, "%s: %s", path, why ? why : usage);
                goto out;
        }
        if ((h = congo_spec_add_hook(c->spec, path, kpos, c->d)) == NULL)
                goto out;
        struct congo_scalar s = { .text = w[0], .pos = *vpos };
        congo_spec_set_hook(c->spec, h, "path", &s, c->d);
        struct congo_scalar *env = items;   /* env first, then args: each a run of items */
        for (; i < n && strcmp(w[i], "--") != 0; i++) {
                struct congo_pos p = *vpos;
                p.col = column_of(c, w[i], true);
                if (strncmp(w[i], "timeout=", 8) == 0) {
                        s = (struct congo_scalar){ .text = w[i] + 8, .pos = p };
                        congo_spec_set_hook(c->spec, h, "timeout", &s, c->d);
                } else if (strncmp(w[i], "env=", 4) == 0) {
                        env[n_env++] = (struct congo_scalar){ .text = w[i] + 4, .pos = p };
                } else {
                        congo_diag_report(c->d, &p, "%s: unexpected \"%s\" (%s)", path, w[i], usage);
                }
        }
        if (n_env > 0)
                congo_spec_set_hook_list(c->spec, h, "env", env, n_env, &env[0].pos, c->d);
        if (i < n) {   /* "--": the rest is argv, argv[0] first */
                size_t n_args = n - i - 1;
                struct congo_scalar *args = items;
                for (size_t j = 0; j < n_args; j++) {
                        args[j] = (struct congo_scalar){ .text = w[i + 1 + j], .pos = *vpos };
                        args[j].pos.col = column_of(c, w[i + 1 + j], true);
                }
                congo_spec_set_hook_list(c->spec, h, "args", args, n_args, vpos, c->d);
        }
out:
        free(items);
        congo_strv_free(w);
}

/* The first pass: only [container] include = is looked at. */
static int include_handler(void *user, const char *section, const char *name, const char *value)
{
        struct ictx *c = user;

        if (strcmp(section, "container") == 0 && strcmp(name, "include") == 0) {
                struct congo_pos vpos = { c->spec->file, c->lineno, column_of(c, value, true) };
                include_line(c, value, &vpos);
        }
        return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
        struct ictx *c = user;
        struct congo_pos kpos = { c->spec->file, c->lineno, column_of(c, name, false) };
        struct congo_pos vpos = { c->spec->file, c->lineno, column_of(c, value, true) };
        char path[512];

        if (section[0] == '\0') {
                congo_diag_report(c->d, &kpos, "%s: key outside a section (put it under [container])", name);
                return 1;
        }
        if (strcmp(section, "mounts") == 0) {
                add_mount(c, name, value, &kpos, &vpos);
                return 1;
        }
        if (strcmp(section, "devices") == 0) {
                add_device(c, name, value, &kpos, &vpos);
                return 1;
        }
        if (strcmp(section, "hooks") == 0) {
                add_hook(c, name, value, &kpos, &vpos);
                return 1;
        }
        if (strcmp(section, "container") == 0 && strcmp(name, "include") == 0) {
                include_line(c, value, &vpos);
                return 1;
        } else if (strcmp(section, "container") == 0) {
                snprintf(path, sizeof path, "%s", name);
        } else if (congo_spec_key_kind(section) == CONGO_KIND_MAP ||
                   congo_spec_key_has_children(section)) {
                snprintf(path, sizeof path, "%s.%s", section, name);
        } else {
                if (strcmp(c->bad_section, section) != 0) {
                        struct congo_pos spos = { c->spec->file, c->section_line, 1 };
                        congo_diag_report(c->d, &spos, "[%s]: unknown section (expected container, env, limits, limits.rlimits, limits.hugepages, limits.unified, security, security.seccomp, mounts, devices, sysctl, time_offsets, hooks)",
                                          section);
                        snprintf(c->bad_section, sizeof c->bad_section, "%s", section);
                }
                return 1;
        }
        enum congo_key_kind kind = congo_spec_key_kind(path);
        struct congo_scalar s = { .text = value, .pos = vpos };
        if (kind == CONGO_KIND_LIST) {
                congo_spec_set_words(c->spec, path, &s, c->d);
        } else if (kind == CONGO_KIND_SCALAR) {
                const char *why = NULL;
                char *text = unquote(value, &why);
                /* A bare ~ is YAML's null: NAME = ~ removes an inherited
                 * entry; "~" is the character. */
                s.is_null = strcmp(value, "~") == 0;
                if (text == NULL) {
                        congo_diag_report(c->d, &vpos, "%s: %s", path, why ? why : "out of memory");
                        return 1;
                }
                s.text = text;
                congo_spec_set(c->spec, path, &s, c->d);
                free(text);
        } else if (kind == CONGO_KIND_UNKNOWN) {
                s.pos = kpos;
                congo_spec_set(c->spec, path, &s, c->d);
        } else {
                congo_diag_report(c->d, &kpos, "%s: is a section in INI: write [%s]", path, path);
        }
        return 1;
}

int congo_parse_ini_in(struct congo_spec *spec, const char *buf, size_t len,
                       struct congo_includer *inc, struct congo_diag *d)
{
        struct ictx c = { .spec = spec, .d = d, .buf = buf, .len = len, .inc = inc, .inc_d = d };
        struct congo_diag quiet = { NULL, 0 };
        int before = d->count;
        struct congo_layer layer;

        if (memchr(buf, '\0', len) != NULL) {
                struct congo_pos pos = { spec->file, 1, 1 };
                congo_diag_report(d, &pos, "the spec contains a NUL byte; it is not text");
                return d->count - before;
        }
        /* The includes first; what else the first pass finds (long lines,
         * syntax) the second reports. */
        if (memmem(buf, len, "include", 7) != NULL) {
                struct ictx first = c;
                first.d = &quiet;
                first.first_pass = true;
                ini_parse_stream(reader, &first, include_handler, &first);
                c.includes_done = first.includes_done;
        }
        congo_spec_layer_begin(spec, &layer);
        int line = ini_parse_stream(reader, &c, handler, &c);
        congo_spec_layer_end(spec, &layer, d);
        if (line > 0) {
                struct congo_pos pos = { spec->file, line, 1 };
                congo_diag_report(d, &pos, "syntax error: expected \"key = value\", \"[section]\" or a comment");
        } else if (line < 0) {
                struct congo_pos pos = { spec->file, 0, 0 };
                congo_diag_report(d, &pos, "out of memory");
        }
        return d->count - before;
}

int congo_parse_ini(struct congo_spec *spec, const char *buf, size_t len,
                    struct congo_diag *d)
{
        return congo_parse_ini_in(spec, buf, len, NULL, d);
}
