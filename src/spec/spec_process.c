/* spec_process.c - the process and security keys beyond the basics: the
 * five capability sets, oom_score_adj, umask, additional_gids,
 * personality, sysctl, masked_paths/readonly_paths and time_offsets.
 * Their setters, the checks across keys, and their canonical print.
 * The run-time side is in security.c (sets, groups), stage_exec.c (umask,
 * personality, oom_score_adj), sysctl.c, harden.c and
 * stage_namespaces.c (time offsets). */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec_internal.h"

static const char *const capset_names[CONGO_CAPS_COUNT] = {
        "bounding", "effective", "permitted", "inheritable", "ambient",
};

/* Bits of the capabilities this build knows; ALL is ~0. */
#define KNOWN_CAPS ((UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1)

int congo_caps_from_items(const char *path, const struct congo_scalar *items, size_t n,
                          uint64_t *out, struct congo_diag *d)
{
        uint64_t caps = 0;
        int bad = 0;

        for (size_t i = 0; i < n; i++) {
                if (strcasecmp(items[i].text, "ALL") == 0) {
                        caps = ~UINT64_C(0);
                        continue;
                }
                int cap = congo_cap_from_name(items[i].text);
                if (cap < 0)
                        bad = BAD(d, &items[i], "%s: unknown capability \"%s\"", path,
                                  items[i].text);
                else
                        caps |= UINT64_C(1) << cap;
        }
        if (bad)
                return -1;
        *out = caps;
        return 0;
}

/* security.capabilities_SET: an empty list is a valid (empty) set. */
int congo_setl_capset(struct congo_spec *s, const char *path,
                      const struct congo_scalar *items, size_t n, struct congo_diag *d)
{
        const char *set = strrchr(path, '_') + 1;

        for (int i = 0; i < CONGO_CAPS_COUNT; i++)
                if (strcmp(set, capset_names[i]) == 0)
                        return congo_caps_from_items(path, items, n, &s->process.caps[i], d);
        return -1;
}

int congo_capset_of(const char *path)
{
        static const char prefix[] = "security.capabilities_";

        if (strncmp(path, prefix, sizeof prefix - 1) != 0)
                return -1;
        for (int i = 0; i < CONGO_CAPS_COUNT; i++)
                if (strcmp(path + sizeof prefix - 1, capset_names[i]) == 0)
                        return i;
        return -1;
}

static const int capset_keys[CONGO_CAPS_COUNT] = {
        CONGO_K_CAP_BOUNDING, CONGO_K_CAP_EFFECTIVE, CONGO_K_CAP_PERMITTED,
        CONGO_K_CAP_INHERITABLE, CONGO_K_CAP_AMBIENT,
};

static uint64_t capset_default(const struct congo_spec *s, int set)
{
        return set == CONGO_CAPS_AMBIENT ? 0 : s->security.capabilities;
}

/* The set as it stands before congo_spec_finish: written, or the default. */
uint64_t congo_capset_current(const struct congo_spec *s, int set)
{
        return KEYPOS_WRITTEN(s, capset_keys[set]) ? s->process.caps[set] : capset_default(s, set);
}

int congo_set_oom_score_adj(struct congo_spec *s, const char *path,
                            const struct congo_scalar *v, struct congo_diag *d)
{
        const char *t = v->text + (v->text[0] == '-');
        uint64_t n;

        if (congo_parse_uint(t, 1000, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a number from -1000 to 1000", path, v->text);
        s->process.oom_score_adj = v->text[0] == '-' ? -(int)n : (int)n;
        s->process.oom_score_adj_set = true;
        return 0;
}

int congo_set_umask(struct congo_spec *s, const char *path,
                    const struct congo_scalar *v, struct congo_diag *d)
{
        const char *t = v->text;
        size_t len = strlen(t);

        if (len == 0 || len > 4 || strspn(t, "01234567") != len || strtoul(t, NULL, 8) > 0777)
                return BAD(d, v, "%s: \"%s\" is not an octal mode from 0 to 0777 (e.g. 022)",
                           path, v->text);
        s->process.umask = (uint32_t)strtoul(t, NULL, 8);
        return 0;
}

int congo_setl_additional_gids(struct congo_spec *s, const char *path,
                               const struct congo_scalar *items, size_t n,
                               struct congo_diag *d)
{
        uint32_t *gids = NULL;
        uint64_t g;

        if (n > 65536)
                return BAD(d, &items[0], "%s: more than 65536 groups", path);
        if (n > 0 && (gids = calloc(n, sizeof *gids)) == NULL)
                return -1;
        for (size_t i = 0; i < n; i++) {
                if (congo_parse_uint(items[i].text, UINT32_MAX - 1, &g) < 0) {
                        free(gids);
                        return BAD(d, &items[i], "%s: \"%s\" is not a group id (0 to 4294967294)",
                                   path, items[i].text);
                }
                gids[i] = (uint32_t)g;
        }
        free(s->process.additional_gids);
        s->process.additional_gids = gids;
        s->process.n_additional_gids = n;
        return 0;
}

int congo_set_personality(struct congo_spec *s, const char *path,
                          const struct congo_scalar *v, struct congo_diag *d)
{
        /* OCI's domains, LINUX and LINUX32, in either case. */
        if (strcasecmp(v->text, "linux") == 0)
                s->process.personality = CONGO_PERS_LINUX;
        else if (strcasecmp(v->text, "linux32") == 0)
                s->process.personality = CONGO_PERS_LINUX32;
        else
                return BAD(d, v, "%s: \"%s\" is not linux or linux32", path, v->text);
        return 0;
}

/* ---- sysctl ------------------------------------------------------------ */

/* What the kernel keeps per namespace (as runc allows): the IPC ones, and
 * net.* in the network namespace.  Anything else writes the host's. */
static const char *const ipc_sysctls[] = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

/* 1: an IPC namespace key, 2: a network namespace key, 0: neither. */
int congo_sysctl_namespace(const char *name)
{
        for (size_t i = 0; i < sizeof ipc_sysctls / sizeof ipc_sysctls[0]; i++)
                if (strcmp(name, ipc_sysctls[i]) == 0)
                        return 1;
        if (strncmp(name, "fs.mqueue.", 10) == 0)
                return 1;
        if (strncmp(name, "net.", 4) == 0)
                return 2;
        return 0;
}

/* Dotted components of [A-Za-z0-9_-:@]: nothing that leaves /proc/sys. */
static bool sysctl_name_valid(const char *name)
{
        size_t comp = 0;

        if (strlen(name) > 200)
                return false;
        for (const char *p = name;; p++) {
                if (*p == '.' || *p == '\0') {
                        if (comp == 0)
                                return false;
                        if (*p == '\0')
                                return true;
                        comp = 0;
                        continue;
                }
                if (!isalnum((unsigned char)*p) && !strchr("_-:@", *p))
                        return false;
                comp++;
        }
}

int congo_set_sysctl(struct congo_spec *s, const char *path,
                     const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("sysctl.");

        if (!sysctl_name_valid(name))
                return BAD(d, v, "sysctl: \"%s\" is not a sysctl name (dotted, e.g. net.ipv4.ip_forward)",
                           name);
        if (strcmp(name, "kernel.hostname") == 0 || strcmp(name, "kernel.domainname") == 0)
                return BAD(d, v, "sysctl: %s: set it with the %s key", name, name + 7);
        if (congo_sysctl_namespace(name) == 0)
                return BAD(d, v, "sysctl: %s: not namespaced, it would change the host "
                           "(allowed: kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*, net.*)", name);
        if (v->text[0] == '\0' || strchr(v->text, '\n') != NULL)
                return BAD(d, v, "sysctl: %s: the value must be one non-empty line", name);
        for (size_t i = 0; i < s->process.n_sysctl; i++) {
                struct congo_sysctl *e = &s->process.sysctl[i];
                if (strcmp(e->name, name) != 0)
                        continue;
                if (congo_spec_duplicate(s, path, &e->pos, &v->pos, d) < 0)
                        return -1;
                e->pos = v->pos;
                return congo_replace_str(&e->value, v->text);
        }
        struct congo_sysctl *ne = realloc(s->process.sysctl, (s->process.n_sysctl + 1) * sizeof *ne);
        if (ne == NULL)
                return -1;
        s->process.sysctl = ne;
        ne[s->process.n_sysctl] = (struct congo_sysctl){ strdup(name), strdup(v->text), v->pos };
        if (ne[s->process.n_sysctl].name == NULL || ne[s->process.n_sysctl].value == NULL)
                return -1;
        s->process.n_sysctl++;
        return 0;
}

/* ---- masked_paths, readonly_paths -------------------------------------- */

/* An empty list is allowed: it means none, not the defaults. */
int congo_setl_paths(struct congo_spec *s, const char *path,
                     const struct congo_scalar *items, size_t n, struct congo_diag *d)
{
        char ***field = strcmp(path, "masked_paths") == 0 ? &s->process.masked_paths
                                                          : &s->process.readonly_paths;
        char **list = calloc(n + 1, sizeof *list);

        if (list == NULL)
                return -1;
        for (size_t i = 0; i < n; i++) {
                if (items[i].text[0] != '/') {
                        congo_strv_free(list);
                        return BAD(d, &items[i], "%s: \"%s\" is not an absolute path", path,
                                   items[i].text);
                }
                if ((list[i] = congo_path_clean("/", items[i].text)) == NULL)
                        return congo_strv_free(list), -1;
                if (strcmp(list[i], "/") == 0) {
                        congo_strv_free(list);
                        return BAD(d, &items[i], "%s: \"/\" cannot be %s", path,
                                   field == &s->process.masked_paths ? "masked" : "made read-only this way (use readonly_rootfs)");
                }
        }
        congo_strv_free(*field);
        *field = list;
        return 0;
}

/* ---- time_offsets ------------------------------------------------------ */

/* Seconds, signed, with up to nine decimals: "-86400", "1.5". */
int congo_set_time_offset(struct congo_spec *s, const char *path,
                          const struct congo_scalar *v, struct congo_diag *d)
{
        bool neg = v->text[0] == '-';
        char whole[32], frac[10] = "000000000";
        const char *t = v->text + neg, *dot = strchr(t, '.');
        size_t wl = dot ? (size_t)(dot - t) : strlen(t);
        uint64_t secs, ns;

        if (wl == 0 || wl >= sizeof whole || (dot && (strlen(dot + 1) == 0 || strlen(dot + 1) > 9)))
                goto bad;
        memcpy(whole, t, wl);
        whole[wl] = '\0';
        if (dot)
                memcpy(frac, dot + 1, strlen(dot + 1));
        if (congo_parse_uint(whole, INT64_MAX / 2, &secs) < 0 || congo_parse_uint(frac, 999999999, &ns) < 0)
                goto bad;
        /* The kernel's form: whole seconds (signed) plus nanoseconds. */
        struct congo_time_offset o = { neg ? -(int64_t)secs : (int64_t)secs, (uint32_t)ns };
        if (neg && ns) {
                o.secs -= 1;
                o.nanosecs = (uint32_t)(1000000000 - ns);
        }
        s->process.time_offsets[strcmp(path, "time_offsets.monotonic") == 0 ? CONGO_TIME_MONOTONIC
                                                                             : CONGO_TIME_BOOTTIME] = o;
        return 0;
bad:
        return BAD(d, v, "%s: \"%s\" is not a number of seconds (e.g. 86400 or -1.5)", path, v->text);
}

/* ---- finishing --------------------------------------------------------- */

/* sub must lie within sup: the kernel refuses (capset, PR_CAP_AMBIENT)
 * or silently drops anything else. */
static void check_subset(struct congo_spec *s, int sub, int sup, const char *why,
                         struct congo_diag *d)
{
        uint64_t extra = s->process.caps[sub] & ~s->process.caps[sup] & KNOWN_CAPS;
        int key = KEYPOS_WRITTEN(s, capset_keys[sub]) ? capset_keys[sub] : capset_keys[sup];

        if (extra == 0)
                return;
        int c = __builtin_ctzll(extra);
        congo_diag_report(d, &s->pos[key], "security.capabilities_%s: %s is not in the %s set (%s)",
                          capset_names[sub], congo_cap_name(c), capset_names[sup], why);
}

static void check_caps(struct congo_spec *s, struct congo_diag *d)
{
        for (int i = 0; i < CONGO_CAPS_COUNT; i++)
                if (!KEYPOS_WRITTEN(s, capset_keys[i]))
                        s->process.caps[i] = capset_default(s, i);
        check_subset(s, CONGO_CAPS_EFFECTIVE, CONGO_CAPS_PERMITTED, "effective must be permitted", d);
        check_subset(s, CONGO_CAPS_INHERITABLE, CONGO_CAPS_BOUNDING, "the kernel keeps inheritable within bounding", d);
        check_subset(s, CONGO_CAPS_AMBIENT, CONGO_CAPS_PERMITTED, "ambient needs permitted and inheritable", d);
        check_subset(s, CONGO_CAPS_AMBIENT, CONGO_CAPS_INHERITABLE, "ambient needs permitted and inheritable", d);
}

void congo_spec_check_process(struct congo_spec *s, struct congo_diag *d)
{
        static const char *const clocks[CONGO_TIME_COUNT] = { "monotonic", "boottime" };

        check_caps(s, d);
        if (s->process.n_additional_gids && (s->namespaces & CONGO_NS_USER))
                congo_diag_report(d, &s->pos[CONGO_K_ADDITIONAL_GIDS],
                                  "additional_gids: a user namespace denies setgroups (congo writes \"deny\" to map gids)");
        for (size_t i = 0; i < s->process.n_sysctl; i++) {
                const struct congo_sysctl *e = &s->process.sysctl[i];
                bool net = congo_sysctl_namespace(e->name) == 2;
                unsigned ns = net ? CONGO_NS_NET : CONGO_NS_IPC;
                if (!(s->namespaces & ns))
                        congo_diag_report(d, &e->pos, "sysctl: %s: needs the %s namespace (it would change the host's)",
                                          e->name, net ? "net" : "ipc");
                /* A joined one is someone else's, perhaps the host's. */
                else if (congo_spec_joined(s) & ns)
                        congo_diag_report(d, &e->pos, "sysctl: %s: the %s namespace is joined (namespace_paths.%s), not the container's own",
                                          e->name, net ? "net" : "ipc", net ? "net" : "ipc");
        }
        for (int c = 0; c < CONGO_TIME_COUNT; c++)
                if (KEYPOS_WRITTEN(s, CONGO_K_TIME_MONOTONIC + c) && !(s->namespaces & CONGO_NS_TIME))
                        congo_diag_report(d, &s->pos[CONGO_K_TIME_MONOTONIC + c],
                                          "time_offsets.%s: needs the time namespace in namespaces", clocks[c]);
                else if (KEYPOS_WRITTEN(s, CONGO_K_TIME_MONOTONIC + c) && s->ns_paths[7] != NULL)
                        congo_diag_report(d, &s->pos[CONGO_K_TIME_MONOTONIC + c],
                                          "time_offsets.%s: the time namespace is joined (namespace_paths.time): its offsets are its own",
                                          clocks[c]);
}

void congo_spec_init_process(struct congo_spec *s)
{
        s->process.umask = 022;
}

void congo_spec_free_process(struct congo_spec *s)
{
        free(s->process.additional_gids);
        for (size_t i = 0; i < s->process.n_sysctl; i++) {
                free(s->process.sysctl[i].name);
                free(s->process.sysctl[i].value);
        }
        free(s->process.sysctl);
        congo_strv_free(s->process.masked_paths);
        congo_strv_free(s->process.readonly_paths);
}

/* ---- printing ---------------------------------------------------------- */

static void put_caps(FILE *out, uint64_t caps)
{
        fputc('[', out);
        if (caps == ~UINT64_C(0))
                fputs("ALL", out);
        else for (int c = 0, first = 1; c < 64; c++)
                if (caps & (UINT64_C(1) << c)) {
                        fprintf(out, "%s%s", first ? "" : ", ", congo_cap_name(c));
                        first = 0;
                }
        fputs("]\n", out);
}

/* Lines under security:, after capabilities: only the sets that differ
 * from what capabilities alone gives. */
void congo_spec_put_capset(FILE *out, const struct congo_spec *s, int i)
{
        if (i >= 0 && i < CONGO_CAPS_COUNT && s->process.caps[i] != capset_default(s, i)) {
                fprintf(out, "  capabilities_%s: ", capset_names[i]);
                put_caps(out, s->process.caps[i]);
        }
}

static void put_paths(FILE *out, const char *key, char **list)
{
        if (list == NULL)
                return;
        fprintf(out, "%s: [", key);
        for (size_t i = 0; list[i]; i++) {
                fputs(i ? ", " : "", out);
                congo_spec_put_str(out, list[i]);
        }
        fputs("]\n", out);
}

/* The top-level keys, each printed only when it is not the default
 * (spec_print.c calls them in the key table's order). */
void congo_spec_put_oom_score_adj(FILE *out, const struct congo_spec *s)
{
        if (s->process.oom_score_adj_set)
                fprintf(out, "oom_score_adj: %d\n", s->process.oom_score_adj);
}

void congo_spec_put_umask(FILE *out, const struct congo_spec *s)
{
        if (s->process.umask != 022)
                fprintf(out, "umask: \"%04o\"\n", (unsigned)s->process.umask);
}

void congo_spec_put_additional_gids(FILE *out, const struct congo_spec *s)
{
        if (s->process.n_additional_gids == 0)
                return;
        fputs("additional_gids: [", out);
        for (size_t i = 0; i < s->process.n_additional_gids; i++)
                fprintf(out, "%s%" PRIu32, i ? ", " : "", s->process.additional_gids[i]);
        fputs("]\n", out);
}

void congo_spec_put_personality(FILE *out, const struct congo_spec *s)
{
        if (s->process.personality == CONGO_PERS_LINUX32)
                fputs("personality: linux32\n", out);
}

void congo_spec_put_sysctl(FILE *out, const struct congo_spec *s)
{
        if (s->process.n_sysctl)
                fputs("sysctl:\n", out);
        for (size_t i = 0; i < s->process.n_sysctl; i++)
                congo_spec_put_pair(out, s->process.sysctl[i].name, s->process.sysctl[i].value);
}

void congo_spec_put_masked_paths(FILE *out, const struct congo_spec *s)
{
        put_paths(out, "masked_paths", s->process.masked_paths);
}

void congo_spec_put_readonly_paths(FILE *out, const struct congo_spec *s)
{
        put_paths(out, "readonly_paths", s->process.readonly_paths);
}

void congo_spec_put_time_offsets(FILE *out, const struct congo_spec *s)
{
        static const char *const clocks[CONGO_TIME_COUNT] = { "monotonic", "boottime" };
        bool any = false;

        for (int c = 0; c < CONGO_TIME_COUNT; c++) {
                const struct congo_time_offset *o = &s->process.time_offsets[c];
                if (o->secs == 0 && o->nanosecs == 0)
                        continue;
                fputs(any ? "" : "time_offsets:\n", out);
                any = true;
                /* Back to the written form: secs + ns/1e9, signed. */
                int64_t secs = o->secs;
                uint32_t ns = o->nanosecs;
                bool neg = secs < 0;
                if (neg && ns) {
                        secs += 1;
                        ns = 1000000000 - ns;
                }
                fprintf(out, "  %s: \"%s%" PRIu64, clocks[c], neg ? "-" : "",
                        (uint64_t)(neg ? -secs : secs));
                if (ns)
                        fprintf(out, ".%09" PRIu32, ns);
                fputs("\"\n", out);
        }
}
