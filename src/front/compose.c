/* compose.c - a spec made of several files: what it includes (merged
 * first, in order, each after what it includes itself), then the file,
 * then its drop-ins (every SPEC.d/NAME.yaml, .ini... in byte order), as systemd
 * does for units.
 *
 * Every file is read by its own front end into the same spec, one layer
 * after another (spec_compose.c says how layers merge).  While a file is
 * read, spec->file and spec->dir are that file's, so that its positions
 * name it and its relative paths are relative to its own directory; its
 * name is kept in spec->sources for as long as the positions live.
 *
 * A file is known by its device and inode: one that is being merged and
 * is included again is a cycle; one merged already (two files include the
 * same base) is skipped, so the base does not undo what came between.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "congo/util.h"

struct frame {
        const char *name;
        dev_t dev;
        ino_t ino;
};

struct compose {
        struct congo_includer inc;        /* first: the front ends call back */
        struct congo_spec *spec;
        struct frame chain[CONGO_INCLUDE_DEPTH + 1];
        int depth;                        /* frames in chain */
        struct frame done[CONGO_COMPOSE_FILES];
        size_t n_done;
        bool oci;                         /* the spec is an OCI config.json */
};

static int merge(struct compose *c, const char *name, const struct congo_pos *at,
                 struct congo_diag *d);

/* "web.yaml -> base.yaml -> NAME", for messages. */
static void chain_text(const struct compose *c, const char *name, char *buf, size_t size)
{
        size_t used = 0;

        buf[0] = '\0';
        for (int i = 0; i < c->depth && used < size; i++)
                used += (size_t)snprintf(buf + used, size - used, "%s -> ", c->chain[i].name);
        if (used < size)
                snprintf(buf + used, size - used, "%s", name);
}

/* The name a file included by the one being read goes by: relative to
 * that file's directory as the spec was named (web.yaml includes
 * base.yaml: examples/base.yaml when the spec is examples/web.yaml). */
static char *included_name(const struct congo_spec *spec, const char *path)
{
        const char *slash = strrchr(spec->file, '/');
        char *name = NULL;

        if (path[0] == '/' || slash == NULL)
                return strdup(path);
        if (asprintf(&name, "%.*s/%s", (int)(slash - spec->file), spec->file, path) < 0)
                return NULL;
        return name;
}

static int include_items(struct congo_includer *self, const struct congo_scalar *items,
                         size_t n, struct congo_diag *d)
{
        struct compose *c = (struct compose *)self;
        int bad = 0;

        for (size_t i = 0; i < n; i++) {
                if (items[i].is_null || items[i].text[0] == '\0') {
                        congo_diag_report(d, &items[i].pos, "include: item %zu is empty", i + 1);
                        bad = -1;
                        continue;
                }
                char *name = included_name(c->spec, items[i].text);
                if (name == NULL)
                        return -1;
                bad |= merge(c, name, &items[i].pos, d);
                free(name);
        }
        return bad;
}

static bool seen(const struct frame *frames, size_t n, const struct stat *st)
{
        for (size_t i = 0; i < n; i++)
                if (frames[i].dev == st->st_dev && frames[i].ino == st->st_ino)
                        return true;
        return false;
}

/* Keeps name for the positions that will point at it. */
static const char *keep_name(struct congo_spec *spec, const char *name)
{
        char **v = realloc(spec->sources, (spec->n_sources + 2) * sizeof *v);

        if (v == NULL)
                return NULL;
        spec->sources = v;
        v[spec->n_sources] = strdup(name);
        v[spec->n_sources + 1] = NULL;
        return v[spec->n_sources] ? v[spec->n_sources++] : NULL;
}

/* Reads buf as the file name (kept), with spec->file and spec->dir its
 * own for the time. */
static int parse_as(struct compose *c, const char *name, const char *buf, size_t len,
                    struct congo_diag *d)
{
        struct congo_spec *spec = c->spec;
        char *file = spec->file, *dir = spec->dir;
        int rc;

        spec->file = (char *)name;
        spec->dir = congo_spec_dir_of(name);
        enum congo_format format = congo_detect_format(name, buf, len);
        if (spec->dir == NULL) {
                rc = -1;
        } else if (format == CONGO_FORMAT_OCI && c->n_done == 0 && c->depth == 1) {
                /* A bundle's config.json is whole: no includes, no drop-ins. */
                c->oci = true;
                rc = congo_parse_oci(spec, buf, len, d);
        } else if (format == CONGO_FORMAT_OCI) {
                struct congo_pos pos = { name, 0, 0 };
                congo_diag_report(d, &pos, "an OCI config.json cannot be included or be a drop-in");
                rc = -1;
        } else if (format == CONGO_FORMAT_INI) {
                rc = congo_parse_ini_in(spec, buf, len, &c->inc, d);
        } else {
                rc = congo_parse_yaml_in(spec, buf, len, &c->inc, d);
        }
        free(spec->dir);
        spec->file = file;
        spec->dir = dir;
        return rc ? -1 : 0;
}

/* Nothing but blank lines and comments: a drop-in (or a base) with every
 * line commented out is an empty layer, not an empty spec. */
static bool only_comments(const char *buf, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                if (buf[i] == '#' || buf[i] == ';')
                        while (i < len && buf[i] != '\n')
                                i++;
                else if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r')
                        return false;
        }
        return true;
}

/* Merges the file name: what it includes, then itself.  at: where it was
 * included (NULL for the spec and its drop-ins). */
static int merge(struct compose *c, const char *name, const struct congo_pos *at,
                 struct congo_diag *d)
{
        char chain[1024], what[1100];
        struct congo_pos top = { name, 0, 0 };
        struct stat st;
        size_t len = 0;

        chain_text(c, name, chain, sizeof chain);
        if (at == NULL && c->depth == 0 && c->n_done == 0)
                snprintf(what, sizeof what, "cannot read the spec");
        else if (at == NULL)
                snprintf(what, sizeof what, "drop-in: cannot read it");
        else
                snprintf(what, sizeof what, "include: %s: cannot read it", chain);
        if (c->depth > CONGO_INCLUDE_DEPTH) {
                congo_diag_report(d, at, "include: %s: more than %d levels of include",
                                  chain, CONGO_INCLUDE_DEPTH);
                return -1;
        }
        char *buf = congo_read_spec(name, at ? at : &top, what, &len, &st, d);
        if (buf == NULL)
                return -1;
        int rc = -1;
        if (seen(c->chain, (size_t)c->depth, &st)) {
                congo_diag_report(d, at ? at : &top, "include: %s: a cycle", chain);
        } else if (seen(c->done, c->n_done, &st)) {
                rc = 0;   /* merged already, through another file */
        } else if (c->n_done == CONGO_COMPOSE_FILES) {
                congo_diag_report(d, at ? at : &top, "include: %s: more than %d files in one spec",
                                  chain, CONGO_COMPOSE_FILES);
        } else {
                bool spec = c->depth == 0 && at == NULL && c->n_done == 0;
                const char *kept = spec ? c->spec->file : keep_name(c->spec, name);
                if (kept != NULL && !spec && only_comments(buf, len)) {
                        c->done[c->n_done++] = (struct frame){ kept, st.st_dev, st.st_ino };
                        rc = 0;
                } else if (kept != NULL) {
                        c->chain[c->depth++] = (struct frame){ kept, st.st_dev, st.st_ino };
                        rc = parse_as(c, kept, buf, len, d);
                        c->depth--;
                        c->done[c->n_done++] = (struct frame){ kept, st.st_dev, st.st_ino };
                }
        }
        free(buf);
        return rc;
}

static int is_dropin(const struct dirent *e)
{
        static const char *const ext[] = { ".yaml", ".yml", ".ini", ".conf" };
        size_t len = strlen(e->d_name);

        if (e->d_name[0] == '.')
                return 0;
        for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
                size_t el = strlen(ext[i]);
                if (len > el && strcmp(e->d_name + len - el, ext[i]) == 0)
                        return 1;
        }
        return 0;
}

/* Byte order, as systemd sorts drop-ins: not the locale's. */
static int byte_order(const struct dirent **a, const struct dirent **b)
{
        return strcmp((*a)->d_name, (*b)->d_name);
}

static int merge_dropins(struct compose *c, struct congo_diag *d)
{
        struct dirent **list = NULL;
        char *dir = NULL;
        int n, bad = 0;

        if (asprintf(&dir, "%s.d", c->spec->file) < 0)
                return -1;
        n = scandir(dir, &list, is_dropin, byte_order);
        if (n < 0 && errno != ENOENT && errno != ENOTDIR) {
                struct congo_pos pos = { c->spec->file, 0, 0 };
                congo_diag_report(d, &pos, "drop-ins: cannot read %s: %s", dir, strerror(errno));
                bad = -1;
        }
        for (int i = 0; i < n; i++) {
                char *name = NULL;
                if (asprintf(&name, "%s/%s", dir, list[i]->d_name) > 0)
                        bad |= merge(c, name, NULL, d);
                free(name);
                free(list[i]);
        }
        free(list);
        free(dir);
        return bad;
}

int congo_compose_file(struct congo_spec *spec, struct congo_diag *d)
{
        struct compose c = { .inc = { include_items }, .spec = spec };
        int before = d->count;

        int rc = merge(&c, spec->file, NULL, d);
        /* Even after errors in the spec, to report all in one pass; not
         * when it could not be read at all. */
        if (c.n_done > 0 && !c.oci)
                rc |= merge_dropins(&c, d);
        int problems = d->count - before;
        return problems ? problems : rc < 0;
}
