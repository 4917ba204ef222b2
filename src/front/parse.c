/* parse.c - choose a front end and read the file; the seed's positional
 * command line, which is a front end of its own. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose.h"
#include "congo/parse.h"

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && strcmp(s + a - b, suffix) == 0;
}

enum congo_format congo_detect_format(const char *path, const char *buf, size_t len)
{
        if (path && (ends_with(path, ".yaml") || ends_with(path, ".yml")))
                return CONGO_FORMAT_YAML;
        if (path && (ends_with(path, ".ini") || ends_with(path, ".conf")))
                return CONGO_FORMAT_INI;
        if (path && ends_with(path, ".json"))
                return CONGO_FORMAT_OCI;
        /* The first line that is not blank or a comment decides. */
        for (size_t i = 0; i < len; i++) {
                if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')
                        continue;
                if (buf[i] == '#' || buf[i] == ';') {
                        while (i < len && buf[i] != '\n')
                                i++;
                        continue;
                }
                return buf[i] == '[' ? CONGO_FORMAT_INI : CONGO_FORMAT_YAML;
        }
        return CONGO_FORMAT_YAML;
}

char *congo_spec_file_for(const char *arg)
{
        struct stat st;
        char *file = NULL;

        if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
                size_t len = strlen(arg);
                if (asprintf(&file, "%s%sconfig.json", arg,
                             len && arg[len - 1] == '/' ? "" : "/") < 0)
                        file = NULL;
                return file;
        }
        return strdup(arg);
}

char *congo_read_spec(const char *path, const struct congo_pos *pos, const char *what,
                      size_t *len, struct stat *st, struct congo_diag *d)
{
        char *buf = NULL;
        ssize_t got;
        /* O_NONBLOCK: a FIFO (or a device) must not hang the open; it is
         * refused below, and a regular file ignores the flag. */
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

        if (fd < 0 || fstat(fd, st) < 0) {
                congo_diag_report(d, pos, "%s: %s", what, strerror(errno));
                goto out;
        }
        if (!S_ISREG(st->st_mode)) {
                congo_diag_report(d, pos, "%s: not a regular file", what);
                goto out;
        }
        if (st->st_size > CONGO_SPEC_MAX_BYTES) {
                congo_diag_report(d, pos, "%s: larger than %d bytes", what, CONGO_SPEC_MAX_BYTES);
                goto out;
        }
        buf = malloc((size_t)st->st_size + 1);
        *len = 0;
        while (buf && *len < (size_t)st->st_size &&
               (got = read(fd, buf + *len, (size_t)st->st_size - *len)) > 0)
                *len += (size_t)got;
        if (buf)
                buf[*len] = '\0';
out:
        if (fd >= 0)
                close(fd);
        return buf;
}

int congo_parse_file(struct congo_spec *spec, struct congo_diag *d)
{
        return congo_compose_file(spec, d);
}

/* KEY=VALUE,FOO=BAR: the seed split on commas; an empty string or "-"
 * means no variables. */
static int set_env_list(struct congo_spec *spec, const char *list,
                        const struct congo_pos *pos, struct congo_diag *d)
{
        char *copy = strdup(list), *save = NULL;
        int bad = 0;

        if (copy == NULL)
                return -1;
        if (strcmp(copy, "-") == 0)
                copy[0] = '\0';
        for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(kv, '='), path[300];
                if (eq == NULL || eq == kv || (size_t)(eq - kv) > 255) {
                        congo_diag_report(d, pos, "ENV: \"%s\" is not KEY=VALUE", kv);
                        bad = -1;
                        continue;
                }
                *eq = '\0';
                snprintf(path, sizeof path, "env.%s", kv);
                struct congo_scalar v = { .text = eq + 1, .pos = *pos };
                bad |= congo_spec_set(spec, path, &v, d);
        }
        free(copy);
        return bad;
}

/* Which argument of the seed's form is wrong, and why; 0 if none. */
static int check_positional_shape(int argc, char *const argv[], int dash,
                                  const struct congo_pos *pos, struct congo_diag *d)
{
        static const char *const names[] = { "ROOTFS", "PIDS", "MEMORY", "CPU_SHARES", "ENV" };
        const char *form = "run ROOTFS PIDS MEMORY CPU_SHARES ENV -- CMD [ARGS...]";
        int given = dash < 0 ? argc : dash;
        char missing[64] = "";

        for (int i = given; i < 5; i++)   /* "MEMORY CPU_SHARES ENV" */
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                         i > given ? " " : "", names[i]);
        if (dash < 0 && argc >= 5) {
                congo_diag_report(d, pos, "no \"--\" after ENV (\"%s\"): the command goes after it (%s)",
                                  argv[4], form);
        } else if (dash < 0) {
                congo_diag_report(d, pos, "%s %s missing (%s)", missing, 5 - argc > 1 ? "are" : "is", form);
        } else if (dash == 4) {
                congo_diag_report(d, pos, "ENV is missing before \"--\": KEY=VALUE[,KEY=VALUE...], or - for none (%s)",
                                  form);
        } else if (dash < 4) {
                congo_diag_report(d, pos, "%s are missing: only %d of ROOTFS PIDS MEMORY CPU_SHARES ENV came before \"--\" (%s)",
                                  missing, dash, form);
        } else if (dash > 5 && strchr(argv[4], '=') && strchr(argv[5], '=')) {
                congo_diag_report(d, pos, "ENV is one argument: join \"%s\" and \"%s\" with a comma, not a space (%s,%s)",
                                  argv[4], argv[5], argv[4], argv[5]);
        } else if (dash > 5) {
                congo_diag_report(d, pos, "\"%s\" after ENV: only \"--\" and the command may follow it (%s)",
                                  argv[5], form);
        } else if (dash + 1 >= argc) {
                congo_diag_report(d, pos, "no command after \"--\" (%s)", form);
        } else {
                return 0;
        }
        return -1;
}

int congo_parse_positional(struct congo_spec *spec, int argc, char *const argv[],
                           struct congo_diag *d)
{
        static const char *const keys[] = { "rootfs", "limits.pids", "limits.memory",
                                            "limits.cpu_shares" };
        struct congo_pos pos = { "run", 0, 0 };
        int before = d->count, dash = -1;

        for (int i = 0; i < argc; i++)
                if (strcmp(argv[i], "--") == 0) {
                        dash = i;
                        break;
                }
        if (check_positional_shape(argc, argv, dash, &pos, d) < 0)
                return d->count - before;
        struct congo_scalar version = { .text = "1", .pos = pos };
        congo_spec_set(spec, "version", &version, d);
        for (int i = 0; i < 4; i++) {
                /* The seed took 0 for "no limit"; "-" says the same. */
                if (i > 0 && (strcmp(argv[i], "0") == 0 || strcmp(argv[i], "-") == 0))
                        continue;
                struct congo_scalar v = { .text = argv[i], .pos = pos };
                congo_spec_set(spec, keys[i], &v, d);
        }
        set_env_list(spec, argv[4], &pos, d);
        size_t n = (size_t)(argc - dash - 1);
        struct congo_scalar *items = calloc(n, sizeof *items);
        if (items == NULL)
                return d->count - before + 1;
        for (size_t i = 0; i < n; i++)
                items[i] = (struct congo_scalar){ .text = argv[dash + 1 + (int)i], .pos = pos };
        congo_spec_set_list(spec, "command", items, n, &pos, d);
        free(items);
        return d->count - before;
}
