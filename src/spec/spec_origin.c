/* spec_origin.c - `--print --origin`: the canonical YAML, each value
 * followed by the file and line that set it ("# base.yaml:4").
 *
 * The canonical print is annotated after the fact, line by line, from the
 * key path each line names (indentation and "key:" give it), so that a key
 * printed by spec_print.c needs nothing more here to show its origin:
 * the key table says where its position is kept.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

static const struct congo_pos *written(const struct congo_pos *pos)
{
        return pos->file ? pos : NULL;
}

/* An entry of a mapping of names (env.NAME, limits.rlimits.NAME). */
static const struct congo_pos *entry_origin(const struct congo_spec *s, const char *path)
{
        if (strncmp(path, "env.", 4) == 0) {
                for (size_t i = 0; i < s->n_env; i++)
                        if (strcmp(s->env[i].name, path + 4) == 0)
                                return written(&s->env[i].pos);
        } else if (strncmp(path, "annotations.", 12) == 0) {
                for (size_t i = 0; i < s->n_annotations; i++)
                        if (strcmp(s->annotations[i].name, path + 12) == 0)
                                return written(&s->annotations[i].pos);
        } else if (strncmp(path, "limits.unified.", 15) == 0) {
                for (size_t i = 0; i < s->limits.n_unified; i++)
                        if (strcmp(s->limits.unified[i].file, path + 15) == 0)
                                return written(&s->limits.unified[i].pos);
        } else if (strncmp(path, "limits.hugepages.", 17) == 0) {
                char name[24];
                for (size_t i = 0; i < s->limits.n_hugepages; i++) {
                        congo_hugepage_name(s->limits.hugepages[i].page_size, name);
                        if (strcmp(name, path + 17) == 0)
                                return written(&s->limits.hugepages[i].pos);
                }
        } else if (strncmp(path, "sysctl.", 7) == 0) {
                for (size_t i = 0; i < s->process.n_sysctl; i++)
                        if (strcmp(s->process.sysctl[i].name, path + 7) == 0)
                                return written(&s->process.sysctl[i].pos);
        } else if (strncmp(path, "limits.rlimits.", 15) == 0) {
                int res = congo_rlimit_from_name(path + 15);
                for (size_t i = 0; i < s->limits.n_rlimits; i++)
                        if (s->limits.rlimits[i].resource == res)
                                return written(&s->limits.rlimits[i].pos);
        }
        return NULL;
}

const struct congo_pos *congo_spec_origin(const struct congo_spec *s, const char *path)
{
        size_t idx;
        char tail;

        if (sscanf(path, "mounts[%zu%c", &idx, &tail) == 2 && tail == ']')
                return idx < s->n_mounts ? written(&s->mounts[idx].pos) : NULL;
        if (sscanf(path, "devices[%zu%c", &idx, &tail) == 2 && tail == ']')
                return idx < s->n_devices ? written(&s->devices[idx].pos) : NULL;
        const struct congo_key_def *k = congo_spec_find_key(path);
        if (k == NULL)
                return NULL;
        if (k->key < 0)
                return entry_origin(s, path);
        if (s->pos[k->key].file)
                return &s->pos[k->key];
        /* security.seccomp printed as {profile: ...}: its child set it. */
        size_t len = strlen(path);
        for (size_t i = 0; i < congo_spec_n_keys; i++) {
                const struct congo_key_def *c = &congo_spec_keys[i];
                if (c->key >= 0 && strncmp(c->path, path, len) == 0 && c->path[len] == '.' &&
                    s->pos[c->key].file)
                        return &s->pos[c->key];
        }
        return NULL;
}

/* The key a printed line names: "name: ...", or "\"NAME\": ..." as env's
 * names are printed (escaped as put_str escapes them). */
static size_t line_key(const char *line, char *key, size_t size)
{
        size_t n = 0, i = 0;

        if (line[0] == '"') {
                for (i = 1; line[i] && line[i] != '"'; i++) {
                        if (line[i] == '\\' && line[i + 1])
                                i++;
                        if (n + 1 < size)
                                key[n++] = line[i];
                }
                i += line[i] == '"';
        } else {
                for (; line[i] && line[i] != ':' && line[i] != ' '; i++)
                        if (n + 1 < size)
                                key[n++] = line[i];
        }
        key[n] = '\0';
        return line[i] == ':' ? i + 1 : 0;
}

/* Parents by depth: "limits", "limits.rlimits"; list items counted. */
struct walk {
        char parent[4][520];
        size_t item;
};

static const struct congo_pos *line_origin(const struct congo_spec *s, struct walk *w,
                                           const char *line)
{
        size_t indent = strspn(line, " "), depth = indent / 2;
        const char *body = line + indent;
        char key[256], path[520 + 256 + 2];

        if (depth >= 4 || body[0] == '\0' || body[0] == '#')
                return NULL;
        if (strncmp(body, "- ", 2) == 0 && depth > 0) {
                snprintf(path, sizeof path, "%s[%zu]", w->parent[depth - 1], w->item++);
                return congo_spec_origin(s, path);
        }
        size_t after = line_key(body, key, sizeof key);
        if (after == 0)
                return NULL;
        if (depth == 0)
                snprintf(path, sizeof path, "%s", key);
        else
                snprintf(path, sizeof path, "%s.%s", w->parent[depth - 1], key);
        if (body[after] == '\0') {   /* "limits:": what follows is inside it */
                size_t plen = strlen(path);
                if (plen >= sizeof w->parent[depth])
                        return NULL;
                memcpy(w->parent[depth], path, plen + 1);
                w->item = 0;
                return NULL;
        }
        return congo_spec_origin(s, path);
}

/* A file name in a comment: a newline in it would end the comment and
 * start YAML of its own, so control characters print as '?'. */
static void put_name(FILE *out, const char *name)
{
        for (const unsigned char *p = (const unsigned char *)name; *p; p++)
                fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

void congo_spec_print_origins(const struct congo_spec *s, FILE *out)
{
        char *text = NULL, *save = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        struct walk w = { 0 };

        if (mem == NULL) {
                congo_spec_print(s, out);
                return;
        }
        congo_spec_print(s, mem);
        fclose(mem);
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                const struct congo_pos *pos = line_origin(s, &w, line);
                fputs(line, out);
                if (pos) {
                        fputs("  # ", out);
                        put_name(out, pos->file);
                        if (pos->line)
                                fprintf(out, ":%d", pos->line);
                }
                fputc('\n', out);
        }
        free(text);
}
