/* exec_spec.c - the process `congo exec` runs.
 *
 * It starts as the container's own: the copy of config.json create kept
 * (snapshot.c), or a congo spec bundle read again (namespaces, seccomp
 * profile, capabilities, user, env, cwd).  Then
 * either --process F, an OCI process object as podman's conmon and
 * containerd's shim write it, goes through the OCI front end (it is put
 * in a config.json of its own, so every field means what it means in a
 * bundle and a bad one is refused the same way) and replaces the whole
 * process; or the flags change what they name, as runc's do.  The
 * seccomp profile stays the container's: an OCI process has none.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "bundle.h"
#include "congo/parse.h"
#include "congo/util.h"
#include "exec.h"
#include "runtime.h"

#define SWAP(a, b) do { __typeof__(a) t_ = (a); (a) = (b); (b) = t_; } while (0)

static char **strv_dup(char *const *v)
{
        size_t n = congo_strv_len(v);
        char **copy = calloc(n + 1, sizeof *copy);

        for (size_t i = 0; copy && i < n; i++)
                if ((copy[i] = strdup(v[i])) == NULL) {
                        congo_strv_free(copy);
                        return NULL;
                }
        return copy;
}

static char **env_of(const struct congo_spec *s)
{
        char **envp = calloc(s->n_env + 1, sizeof *envp);

        for (size_t i = 0; envp && i < s->n_env; i++)
                if (asprintf(&envp[i], "%s=%s", s->env[i].name, s->env[i].value) < 0) {
                        envp[i] = NULL;
                        congo_strv_free(envp);
                        return NULL;
                }
        return envp;
}

/* The process object alone, as a config.json: its root is the
 * container's, so the front end finds what it checks. */
static char *process_document(const char *file, const char *rootfs)
{
        json_error_t jerr;
        json_t *proc = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);

        if (proc == NULL) {
                congo_rt_error("--process %s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
                return NULL;
        }
        if (!json_is_object(proc)) {
                congo_rt_error("--process %s: not a JSON object", file);
                json_decref(proc);
                return NULL;
        }
        json_t *doc = json_pack("{s:s, s:{s:s}, s:o, s:{s:[{s:s}]}}", "ociVersion", "1.0.2", "root", "path",
                                rootfs, "process", proc, "linux", "namespaces", "type", "mount");
        char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        if (text == NULL)
                congo_rt_error("--process %s: out of memory", file);
        return text;
}

/* --process F: its fields replace the container's process. */
static int from_process_file(const char *file, struct exec_process *p)
{
        struct congo_diag d = { stderr, 0 };
        struct congo_spec ps;
        struct congo_spec *s = &p->spec;
        char *text = process_document(file, s->rootfs);

        if (text == NULL)
                return -1;
        congo_spec_init(&ps, file);
        int problems = congo_parse_oci(&ps, text, strlen(text), &d);
        free(text);
        if (problems == 0)
                problems = congo_spec_finish(&ps, &d);
        if (problems != 0) {
                congo_rt_error("--process %s: not a valid OCI process", file);
                congo_spec_free(&ps);
                return -1;
        }
        SWAP(s->command, ps.command);
        SWAP(s->cwd, ps.cwd);
        SWAP(s->process.additional_gids, ps.process.additional_gids);
        SWAP(s->process.n_additional_gids, ps.process.n_additional_gids);
        SWAP(s->limits.rlimits, ps.limits.rlimits);
        SWAP(s->limits.n_rlimits, ps.limits.n_rlimits);
        SWAP(s->io_priority, ps.io_priority);
        s->ioprio = ps.ioprio;
        s->uid = ps.uid;
        s->gid = ps.gid;
        memcpy(s->process.caps, ps.process.caps, sizeof s->process.caps);
        s->security.no_new_privileges = ps.security.no_new_privileges;
        s->process.umask = ps.process.umask;
        s->process.oom_score_adj = ps.process.oom_score_adj;
        s->process.oom_score_adj_set = ps.process.oom_score_adj_set;
        p->tty = ps.terminal == CONGO_TTY_ON;
        /* OCI: process.env is the whole environment. */
        p->envp = env_of(&ps);
        congo_spec_free(&ps);
        return p->envp ? 0 : -1;
}

static int parse_id(const char *text, uint32_t *out)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(text, &end, 10);
        if (!isdigit((unsigned char)text[0]) || *end != '\0' || errno || v > UINT32_MAX - 1)
                return -1;
        *out = (uint32_t)v;
        return 0;
}

/* --user UID[:GID]: numbers only; a name would be looked up in the
 * image's /etc/passwd, which is the container's to forge. */
static int set_user(const char *user, struct congo_spec *s)
{
        char buf[64];
        char *colon;

        snprintf(buf, sizeof buf, "%s", user);
        colon = strchr(buf, ':');
        if (colon)
                *colon = '\0';
        if (parse_id(buf, &s->uid) < 0 || (colon && parse_id(colon + 1, &s->gid) < 0)) {
                congo_rt_error("--user %s: not UID[:GID] in numbers (names are not looked up)", user);
                return -1;
        }
        return 0;
}

static int add_gids(const struct exec_opts *o, struct congo_spec *s)
{
        size_t n = s->process.n_additional_gids;
        uint32_t *g = realloc(s->process.additional_gids, (n + o->n_gids + 1) * sizeof *g);

        if (g == NULL)
                return -1;
        s->process.additional_gids = g;
        for (size_t i = 0; i < o->n_gids; i++, n++)
                if (parse_id(o->gids[i], &g[n]) < 0) {
                        congo_rt_error("--additional-gids %s: not a number", o->gids[i]);
                        return -1;
                }
        s->process.n_additional_gids = n;
        return 0;
}

/* --cap C, as runc's: into the bounding, effective and permitted sets,
 * and the ambient one when the inheritable set is not empty. */
static int add_caps(const struct exec_opts *o, struct congo_spec *s)
{
        for (size_t i = 0; i < o->n_caps; i++) {
                char name[64];
                cap_value_t v;

                snprintf(name, sizeof name, "%s", o->caps[i]);
                for (char *c = name; *c; c++)
                        *c = (char)tolower((unsigned char)*c);
                if (strncmp(name, "cap_", 4) != 0 || cap_from_name(name, &v) < 0 || v < 0 || v > 63) {
                        congo_rt_error("--cap %s: not a capability (CAP_NET_ADMIN...)", o->caps[i]);
                        return -1;
                }
                uint64_t bit = UINT64_C(1) << v;
                s->process.caps[CONGO_CAPS_BOUNDING] |= bit;
                s->process.caps[CONGO_CAPS_EFFECTIVE] |= bit;
                s->process.caps[CONGO_CAPS_PERMITTED] |= bit;
                if (s->process.caps[CONGO_CAPS_INHERITABLE] != 0) {
                        s->process.caps[CONGO_CAPS_INHERITABLE] |= bit;
                        s->process.caps[CONGO_CAPS_AMBIENT] |= bit;
                }
        }
        return 0;
}

/* --env K=V: replaces K, or is added. */
static int add_env(const struct exec_opts *o, struct exec_process *p)
{
        size_t n = 0;

        while (p->envp[n])
                n++;
        for (size_t i = 0; i < o->n_env; i++) {
                const char *eq = strchr(o->env[i], '=');
                if (eq == NULL || eq == o->env[i]) {
                        congo_rt_error("--env %s: not NAME=VALUE", o->env[i]);
                        return -1;
                }
                size_t k = 0, len = (size_t)(eq - o->env[i]) + 1;
                while (k < n && strncmp(p->envp[k], o->env[i], len) != 0)
                        k++;
                char *copy = strdup(o->env[i]);
                if (copy == NULL)
                        return -1;
                if (k == n) {
                        char **grown = realloc(p->envp, (n + 2) * sizeof *grown);
                        if (grown == NULL) {
                                free(copy);
                                return -1;
                        }
                        p->envp = grown;
                        p->envp[++n] = NULL;
                }
                free(p->envp[k]);
                p->envp[k] = copy;
        }
        return 0;
}

static int from_flags(const struct exec_opts *o, struct exec_process *p)
{
        struct congo_spec *s = &p->spec;

        if (o->args == NULL || o->args[0] == NULL) {
                congo_rt_error("exec: the command is missing (exec [OPTIONS] ID COMMAND [ARGS...])");
                return -1;
        }
        congo_strv_free(s->command);
        s->command = strv_dup(o->args);
        if (s->command == NULL || (p->envp = env_of(s)) == NULL)
                return -1;
        if (o->cwd) {
                if (o->cwd[0] != '/') {
                        congo_rt_error("--cwd %s: not an absolute path", o->cwd);
                        return -1;
                }
                free(s->cwd);
                if ((s->cwd = strdup(o->cwd)) == NULL)
                        return -1;
        }
        if ((o->user && set_user(o->user, s) < 0) || add_gids(o, s) < 0 || add_caps(o, s) < 0 ||
            add_env(o, p) < 0)
                return -1;
        if (o->no_new_privs)
                s->security.no_new_privileges = true;
        p->tty = o->tty;
        return 0;
}

int congo_rt_exec_process(const char *bundle, int dirfd, const struct exec_opts *o, struct exec_process *p)
{
        *p = (struct exec_process){ .envp = NULL };
        int loaded = congo_rt_load_snapshot(dirfd, bundle, &p->spec);
        if (loaded == 1)
                loaded = congo_rt_load_bundle(bundle, &p->spec);
        if (loaded < 0)
                return -1;
        int rc = o->process_file ? from_process_file(o->process_file, p) : from_flags(o, p);
        if (rc == 0 && o->tty)
                p->tty = true;
        if (rc < 0)
                congo_rt_exec_process_free(p);
        return rc;
}

void congo_rt_exec_process_free(struct exec_process *p)
{
        congo_strv_free(p->envp);
        p->envp = NULL;
        congo_spec_free(&p->spec);
}
