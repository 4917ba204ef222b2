/* spec_ns_paths.c - namespace_paths.NAME: a namespace the container joins
 * (setns) instead of one made for it, OCI's linux.namespaces[].path.
 *
 * The path is the spec author's (a host path such as /run/netns/x or
 * /proc/PID/ns/uts), trusted as a bind source is; the namespaces stage
 * opens it and checks that it is a namespace of the right type.
 *
 * And terminal_size, OCI's process.consoleSize: the other key the second
 * round of OCI mappings added. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

static int ns_index(const char *name)
{
        for (int i = 0; i < 8; i++)
                if (strcmp(name, congo_ns_name(1u << i)) == 0)
                        return i;
        return -1;
}

int congo_set_ns_path(struct congo_spec *s, const char *path,
                      const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("namespace_paths.");
        int i = ns_index(name);

        if (i < 0)
                return BAD(d, v, "%s: unknown namespace \"%s\" (uts, pid, net, mount, ipc, user, cgroup, time)",
                           path, name);
        if (v->text[0] != '/')
                return BAD(d, v, "%s: \"%s\" is not an absolute path", path, v->text);
        if (congo_spec_duplicate(s, path, &s->ns_paths_pos[i], &v->pos, d) < 0)
                return -1;
        s->ns_paths_pos[i] = v->pos;
        char *clean = congo_path_clean("/", v->text);
        if (clean == NULL)
                return -1;
        free(s->ns_paths[i]);
        s->ns_paths[i] = clean;
        return 0;
}

unsigned congo_spec_joined(const struct congo_spec *s)
{
        unsigned bits = 0;

        for (int i = 0; i < 8; i++)
                if (s->ns_paths[i] != NULL)
                        bits |= 1u << i;
        return bits;
}

/* A joined namespace is one of the container's namespaces: listed in
 * namespaces.  A joined user namespace has its maps already (its creator
 * wrote them, and they can be written once): maps in the spec too are
 * refused, as runc refuses them, rather than silently not applied. */
void congo_spec_check_ns_paths(struct congo_spec *s, struct congo_diag *d)
{
        for (int i = 0; i < 8; i++) {
                if (s->ns_paths[i] == NULL)
                        continue;
                const char *name = congo_ns_name(1u << i);
                if (!(s->namespaces & (1u << i)))
                        congo_diag_report(d, &s->ns_paths_pos[i],
                                          "namespace_paths.%s: %s is not in namespaces%s", name, name,
                                          i == 2 && s->network == CONGO_NET_HOST ? " (network: host)" : "");
                else if (i == 5)
                        for (int k = CONGO_K_UID_MAP; k <= CONGO_K_GID_MAP; k++)
                                if (KEYPOS_WRITTEN(s, k))
                                        congo_diag_report(d, &s->pos[k],
                                                          "%s: the joined user namespace (namespace_paths.user) has its own maps",
                                                          k == CONGO_K_UID_MAP ? "uid_map" : "gid_map");
        }
}

/* terminal_size: ROWSxCOLS, each 1 to 65535 (struct winsize's). */
int congo_set_terminal_size(struct congo_spec *s, const char *path,
                            const struct congo_scalar *v, struct congo_diag *d)
{
        char buf[32], *x;
        uint64_t rows, cols;

        if (strlen(v->text) >= sizeof buf)
                goto bad;
        strcpy(buf, v->text);
        if ((x = strchr(buf, 'x')) == NULL)
                goto bad;
        *x = '\0';
        if (congo_parse_uint(buf, 65535, &rows) < 0 || congo_parse_uint(x + 1, 65535, &cols) < 0 ||
            rows == 0 || cols == 0)
                goto bad;
        snprintf(buf, sizeof buf, "%ux%u", (unsigned)rows, (unsigned)cols);
        s->tty_rows = (uint16_t)rows;
        s->tty_cols = (uint16_t)cols;
        return congo_replace_str(&s->terminal_size, buf);
bad:
        return BAD(d, v, "%s: \"%s\" is not ROWSxCOLS (each 1 to 65535, e.g. 24x80)", path, v->text);
}

/* io_priority: rt, be or idle, and a level 0 (highest) to 7. */
int congo_set_io_priority(struct congo_spec *s, const char *path,
                          const struct congo_scalar *v, struct congo_diag *d)
{
        static const char *const classes[] = { "rt", "be", "idle" };
        char class[8], buf[16];
        unsigned level;
        int n = 0;

        if (sscanf(v->text, "%7s %u%n", class, &level, &n) == 2 && v->text[n] == '\0' && level <= 7)
                for (int c = 0; c < 3; c++)
                        if (strcmp(class, classes[c]) == 0) {
                                snprintf(buf, sizeof buf, "%s %u", classes[c], level);
                                s->ioprio = ((c + 1) << 13) | (int)level;   /* IOPRIO_PRIO_VALUE */
                                return congo_replace_str(&s->io_priority, buf);
                        }
        return BAD(d, v, "%s: \"%s\" is not CLASS LEVEL (rt, be or idle; 0 to 7, e.g. \"be 4\")",
                   path, v->text);
}

void congo_spec_free_ns_paths(struct congo_spec *s)
{
        free(s->io_priority);
        s->io_priority = NULL;
        free(s->terminal_size);
        s->terminal_size = NULL;
        for (int i = 0; i < 8; i++) {
                free(s->ns_paths[i]);
                s->ns_paths[i] = NULL;
        }
}

void congo_spec_print_ns_paths(const struct congo_spec *s, FILE *out)
{
        if (congo_spec_joined(s) == 0)
                return;
        fputs("namespace_paths:\n", out);
        for (int i = 0; i < 8; i++)
                if (s->ns_paths[i] != NULL) {
                        fprintf(out, "  %s: ", congo_ns_name(1u << i));
                        congo_spec_put_str(out, s->ns_paths[i]);
                        fputc('\n', out);
                }
}
