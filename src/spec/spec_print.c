/* spec_print.c - a finished spec as canonical YAML.
 *
 * Canonical means: every key in one fixed order, defaults spelled out,
 * strings double-quoted, sizes and durations in their largest exact unit.
 * Parsing the output gives the same struct, so printing it again gives the
 * same text.
 */
#include "config.h"

#include <inttypes.h>
#include <sys/resource.h>

#include "spec_internal.h"

static void put_str(FILE *out, const char *s)
{
        fputc('"', out);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(out, "\\%c", *p);
                else if (*p == '\n')
                        fputs("\\n", out);
                else if (*p == '\t')
                        fputs("\\t", out);
                else if (*p < 0x20 || *p == 0x7f)
                        fprintf(out, "\\x%02x", *p);
                else
                        fputc(*p, out);
        }
        fputc('"', out);
}

static void put_strv(FILE *out, char *const *v)
{
        fputc('[', out);
        for (size_t i = 0; v && v[i]; i++) {
                if (i)
                        fputs(", ", out);
                put_str(out, v[i]);
        }
        fputc(']', out);
}

static void put_size(FILE *out, uint64_t bytes)
{
        static const char units[] = "KMGT";
        int u = -1;

        while (u < 3 && bytes >= 1024 && bytes % 1024 == 0) {
                bytes /= 1024;
                u++;
        }
        fprintf(out, "%" PRIu64, bytes);
        if (u >= 0)
                fputc(units[u], out);
}

static void put_duration(FILE *out, uint64_t ms)
{
        if (ms % 3600000 == 0)
                fprintf(out, "%" PRIu64 "h", ms / 3600000);
        else if (ms % 60000 == 0)
                fprintf(out, "%" PRIu64 "m", ms / 60000);
        else if (ms % 1000 == 0)
                fprintf(out, "%" PRIu64 "s", ms / 1000);
        else
                fprintf(out, "%" PRIu64 "ms", ms);
}

static void put_idmap(FILE *out, const char *key, const struct congo_idmap *m, size_t n)
{
        fprintf(out, "%s: \"", key);
        for (size_t i = 0; i < n; i++)
                fprintf(out, "%s%" PRIu32 " %" PRIu32 " %" PRIu32, i ? ", " : "",
                        m[i].inside, m[i].outside, m[i].count);
        fputs("\"\n", out);
}

static void put_rlim(FILE *out, uint64_t v)
{
        if (v == RLIM_INFINITY)
                fputs("unlimited", out);
        else
                fprintf(out, "%" PRIu64, v);
}

static void put_limits(FILE *out, const struct congo_spec *s)
{
        fputs("limits:\n", out);
        if (s->limits.pids < 0)
                fputs("  pids: max\n", out);
        else if (s->limits.pids)
                fprintf(out, "  pids: %" PRId64 "\n", s->limits.pids);
        if (s->limits.memory) {
                fputs("  memory: ", out);
                put_size(out, s->limits.memory);
                fputc('\n', out);
        }
        if (s->limits.cpu_shares)
                fprintf(out, "  cpu_shares: %" PRIu64 "\n", s->limits.cpu_shares);
        if (s->limits.cpu_quota_us) {
                uint64_t q = s->limits.cpu_quota_us, frac = q % CONGO_CPU_PERIOD_US;
                fprintf(out, "  cpus: %" PRIu64, q / CONGO_CPU_PERIOD_US);
                if (frac) {
                        char digits[8];
                        snprintf(digits, sizeof digits, "%05" PRIu64, frac);
                        for (int i = 4; i > 0 && digits[i] == '0'; i--)
                                digits[i] = '\0';
                        fprintf(out, ".%s", digits);
                }
                fputc('\n', out);
        }
        if (s->limits.time_ms) {
                fputs("  time: ", out);
                put_duration(out, s->limits.time_ms);
                fputc('\n', out);
        }
        fputs("  tmp: ", out);
        put_size(out, s->limits.tmp_size);
        fputc('\n', out);
        if (s->limits.n_rlimits) {
                fputs("  rlimits:\n", out);
                for (size_t i = 0; i < s->limits.n_rlimits; i++) {
                        const struct congo_rlimit *r = &s->limits.rlimits[i];
                        fprintf(out, "    %s: \"", congo_rlimit_name(r->resource));
                        put_rlim(out, r->soft);
                        if (r->hard != r->soft) {
                                fputc(':', out);
                                put_rlim(out, r->hard);
                        }
                        fputs("\"\n", out);
                }
        }
}

static void put_mounts(FILE *out, const struct congo_spec *s)
{
        if (s->n_mounts == 0) {
                fputs("mounts: []\n", out);
                return;
        }
        fputs("mounts:\n", out);
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct congo_mount *m = &s->mounts[i];
                fprintf(out, "  - {type: %s", m->type == CONGO_MOUNT_BIND ? "bind" : "tmpfs");
                if (m->source) {
                        fputs(", source: ", out);
                        put_str(out, m->source);
                }
                fputs(", target: ", out);
                put_str(out, m->target);
                fputs(", options: ", out);
                put_strv(out, m->options);
                fputs("}\n", out);
        }
}

void congo_spec_print(const struct congo_spec *s, FILE *out)
{
        static const char *const tty[] = { "auto", "true", "false" };
        static const char *const net[] = { "loopback", "none", "host" };

        fprintf(out, "version: %d\n", CONGO_SPEC_VERSION);
        fputs("name: ", out);
        put_str(out, s->name);
        fputs("\nrootfs: ", out);
        put_str(out, s->rootfs);
        fprintf(out, "\nreadonly_rootfs: %s\n", s->readonly_rootfs ? "true" : "false");
        if (s->hostname) {
                fputs("hostname: ", out);
                put_str(out, s->hostname);
                fputc('\n', out);
        }
        if (s->domainname) {
                fputs("domainname: ", out);
                put_str(out, s->domainname);
                fputc('\n', out);
        }
        fputs("command: ", out);
        put_strv(out, s->command);
        fputs("\ncwd: ", out);
        put_str(out, s->cwd);
        fprintf(out, "\nuser: \"%" PRIu32 ":%" PRIu32 "\"\n", s->uid, s->gid);
        fprintf(out, "init: %s\n", s->init ? "true" : "false");
        fprintf(out, "terminal: %s\n", tty[s->terminal]);
        fputs(s->n_env ? "env:\n" : "env: {}\n", out);
        for (size_t i = 0; i < s->n_env; i++) {
                fputs("  ", out);
                put_str(out, s->env[i].name);
                fputs(": ", out);
                put_str(out, s->env[i].value);
                fputc('\n', out);
        }
        if (s->n_annotations)
                fputs("annotations:\n", out);
        for (size_t i = 0; i < s->n_annotations; i++) {
                fputs("  ", out);
                put_str(out, s->annotations[i].name);
                fputs(": ", out);
                put_str(out, s->annotations[i].value);
                fputc('\n', out);
        }
        fputs("namespaces: [", out);
        for (unsigned b = 1, first = 1; b <= CONGO_NS_TIME; b <<= 1)
                if (s->namespaces & b) {
                        fprintf(out, "%s%s", first ? "" : ", ", congo_ns_name(b));
                        first = 0;
                }
        fputs("]\n", out);
        /* No map written: the launcher maps its caller (spec_caller.c). */
        if ((s->namespaces & CONGO_NS_USER) && s->uid_map != NULL)
                put_idmap(out, "uid_map", s->uid_map, s->n_uid_map);
        if ((s->namespaces & CONGO_NS_USER) && s->gid_map != NULL)
                put_idmap(out, "gid_map", s->gid_map, s->n_gid_map);
        fputs("cgroup_parent: ", out);
        put_str(out, s->cgroup_parent);
        fprintf(out, "\nnetwork: %s\n", net[s->network]);
        put_mounts(out, s);
        congo_spec_print_devices(s, out);
        put_limits(out, s);
        fputs("security:\n  capabilities: [", out);
        if (s->security.capabilities == ~UINT64_C(0))
                fputs("ALL", out);
        else for (int c = 0, first = 1; c < 64; c++)
                if (s->security.capabilities & (UINT64_C(1) << c)) {
                        fprintf(out, "%s%s", first ? "" : ", ", congo_cap_name(c));
                        first = 0;
                }
        fprintf(out, "]\n  no_new_privileges: %s\n", s->security.no_new_privileges ? "true" : "false");
        if (s->security.seccomp == CONGO_SECCOMP_PROFILE && s->security.seccomp_profile == NULL) {
                /* No YAML key says "this JSON object" yet: the reparsed
                 * spec gets the default profile, the secure side. */
                fputs("  # seccomp: the inline linux.seccomp object of ", out);
                fputs(s->file ? s->file : "the bundle", out);
                fputs(" (not expressible in YAML yet)\n", out);
        } else if (s->security.seccomp == CONGO_SECCOMP_PROFILE) {
                fputs("  seccomp: {profile: ", out);
                put_str(out, s->security.seccomp_profile);
                fputs("}\n", out);
        } else {
                fprintf(out, "  seccomp: %s\n",
                        s->security.seccomp == CONGO_SECCOMP_DEFAULT ? "default" : "unconfined");
        }
}
