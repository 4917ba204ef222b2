/* spec_resources.c - the cgroup resources beyond pids, memory and CPU
 * shares (OCI's linux.resources): memory reservation, swap, swappiness and
 * the OOM killer; CPU quota and period, cpusets, realtime bandwidth; huge
 * page limits; block I/O weight; and the cgroup v2 "unified" map.  Setters,
 * cross-key checks, canonical print and release.  Which cgroup files each
 * becomes on v1 and v2 is the drivers' business (src/cgroup/). */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

#define SIZE_MAX_SPEC (UINT64_C(1) << 50)

static int parse_size_in(const char *path, const struct congo_scalar *v, uint64_t min,
                         uint64_t *out, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_size(v->text, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a size (try 512M or 1G)", path, v->text);
        if (n < min)
                return BAD(d, v, "%s: %s is below the minimum of %s", path, v->text,
                           min == 0 ? "0" : "1M");
        if (n > SIZE_MAX_SPEC)
                return BAD(d, v, "%s: %s is above the maximum of 1P", path, v->text);
        *out = n;
        return 0;
}

static int parse_range(const char *path, const struct congo_scalar *v, uint64_t lo,
                       uint64_t hi, uint64_t *out, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_uint(v->text, UINT64_MAX, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a number", path, v->text);
        if (n < lo || n > hi)
                return BAD(d, v, "%s: %s is out of range (%" PRIu64 " to %" PRIu64 ")",
                           path, v->text, lo, hi);
        *out = n;
        return 0;
}

int congo_set_memory_reservation(struct congo_spec *s, const char *path,
                                 const struct congo_scalar *v, struct congo_diag *d)
{
        return parse_size_in(path, v, 1024 * 1024, &s->limits.memory_reservation, d);
}

/* OCI's swap: memory and swap together, so at least the memory limit. */
int congo_set_memory_swap(struct congo_spec *s, const char *path,
                          const struct congo_scalar *v, struct congo_diag *d)
{
        if (strcmp(v->text, "unlimited") == 0)
                return s->limits.memory_swap = CONGO_UNLIMITED, 0;
        return parse_size_in(path, v, 1024 * 1024, &s->limits.memory_swap, d);
}

int congo_set_memory_swappiness(struct congo_spec *s, const char *path,
                                const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (parse_range(path, v, 0, 100, &n, d) < 0)
                return -1;
        s->limits.memory_swappiness = (int)n;
        return 0;
}

/* cpu_quota is the other way to say cpus: --set of one replaces the other. */
int congo_set_cpu_quota(struct congo_spec *s, const char *path,
                        const struct congo_scalar *v, struct congo_diag *d)
{
        if (parse_range(path, v, 1000, UINT64_C(1000000000), &s->limits.cpu_quota_us, d) < 0)
                return -1;
        if (s->overriding) {
                s->limits.cpus_e5 = 0;
                s->pos[CONGO_K_CPUS] = (struct congo_pos){ 0 };
        }
        return 0;
}

int congo_set_cpu_period(struct congo_spec *s, const char *path,
                         const struct congo_scalar *v, struct congo_diag *d)
{
        return parse_range(path, v, 1000, 1000000, &s->limits.cpu_period_us, d);
}

int congo_set_cpu_rt_runtime(struct congo_spec *s, const char *path,
                             const struct congo_scalar *v, struct congo_diag *d)
{
        if (parse_range(path, v, 0, 1000000, &s->limits.cpu_rt_runtime_us, d) < 0)
                return -1;
        s->limits.cpu_rt_set = true;
        return 0;
}

int congo_set_cpu_rt_period(struct congo_spec *s, const char *path,
                            const struct congo_scalar *v, struct congo_diag *d)
{
        return parse_range(path, v, 1000, 1000000, &s->limits.cpu_rt_period_us, d);
}

int congo_set_blkio_weight(struct congo_spec *s, const char *path,
                           const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (parse_range(path, v, 10, 1000, &n, d) < 0)
                return -1;
        s->limits.blkio_weight = (uint32_t)n;
        return 0;
}

/* The kernel's list format, "0-3,8,10-11": ascending ranges of numbers
 * below max.  Kept as written once valid. */
static bool cpuset_list_valid(const char *text, uint64_t max)
{
        const char *p = text;
        uint64_t last = 0;
        bool first = true;

        while (*p) {
                uint64_t lo = 0, hi;
                if (!isdigit((unsigned char)*p))
                        return false;
                for (; isdigit((unsigned char)*p) && lo < max; p++)
                        lo = lo * 10 + (uint64_t)(*p - '0');
                hi = lo;
                if (*p == '-') {
                        hi = 0;
                        if (!isdigit((unsigned char)*++p))
                                return false;
                        for (; isdigit((unsigned char)*p) && hi < max; p++)
                                hi = hi * 10 + (uint64_t)(*p - '0');
                }
                if (lo >= max || hi >= max || hi < lo || (!first && lo <= last))
                        return false;
                last = hi;
                first = false;
                if (*p == ',' && p[1] != '\0')
                        p++;
                else if (*p != '\0')
                        return false;
        }
        return !first;
}

int congo_set_cpuset(struct congo_spec *s, const char *path,
                     const struct congo_scalar *v, struct congo_diag *d)
{
        bool cpus = strcmp(path, "limits.cpuset_cpus") == 0;

        if (!cpuset_list_valid(v->text, cpus ? 8192 : 1024))
                return BAD(d, v, "%s: \"%s\" is not a list of %s (ascending numbers and ranges below %d, e.g. 0-3,6)",
                           path, v->text, cpus ? "CPUs" : "memory nodes", cpus ? 8192 : 1024);
        return congo_replace_str(cpus ? &s->limits.cpuset_cpus : &s->limits.cpuset_mems, v->text);
}

/* "2MB", "1GB", "64KB" (the kernel's names), or "2M", "1G", "64K". */
static int parse_page_size(const char *text, uint64_t *out)
{
        char buf[24];
        size_t len = strlen(text);
        uint64_t n;

        if (len == 0 || len >= sizeof buf)
                return -1;
        memcpy(buf, text, len + 1);
        if (len >= 2 && (buf[len - 1] == 'B' || buf[len - 1] == 'b') && isalpha((unsigned char)buf[len - 2]))
                buf[len - 1] = '\0';
        if (!isalpha((unsigned char)buf[strlen(buf) - 1]) || congo_parse_size(buf, &n) < 0)
                return -1;
        if (n < 4096 || n > (UINT64_C(1) << 40) || (n & (n - 1)) != 0)
                return -1;
        *out = n;
        return 0;
}

int congo_set_hugepages(struct congo_spec *s, const char *path,
                        const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("limits.hugepages.");
        uint64_t page, limit;

        if (parse_page_size(name, &page) < 0)
                return BAD(d, v, "limits.hugepages: \"%s\" is not a huge page size (a power of two, e.g. 2MB or 1GB)",
                           name);
        if (parse_size_in(path, v, 0, &limit, d) < 0)
                return -1;
        for (size_t i = 0; i < s->limits.n_hugepages; i++) {
                struct congo_hugepage_limit *h = &s->limits.hugepages[i];
                if (h->page_size != page)
                        continue;
                if (congo_spec_duplicate(s, path, &h->pos, &v->pos, d) < 0)
                        return -1;
                *h = (struct congo_hugepage_limit){ page, limit, v->pos };
                return 0;
        }
        if (s->limits.n_hugepages == CONGO_HUGEPAGES_MAX)
                return BAD(d, v, "limits.hugepages: more than %d page sizes", CONGO_HUGEPAGES_MAX);
        struct congo_hugepage_limit *nh = realloc(s->limits.hugepages,
                                                  (s->limits.n_hugepages + 1) * sizeof *nh);
        if (nh == NULL)
                return -1;
        s->limits.hugepages = nh;
        nh[s->limits.n_hugepages++] = (struct congo_hugepage_limit){ page, limit, v->pos };
        return 0;
}

/* Files of the cgroup's own that congo manages: membership, lifetime and
 * the controllers of its children are not the spec's to write. */
static bool unified_name_valid(const char *name, const char **why)
{
        static const char *const owned[] = {
                "cgroup.procs", "cgroup.threads", "cgroup.subtree_control", "cgroup.kill",
                "cgroup.freeze", "cgroup.type", "cgroup.controllers", "cgroup.events",
        };

        *why = "is not a cgroup file name (controller.file, no '/')";
        if (!isalpha((unsigned char)name[0]) || strchr(name, '/') != NULL ||
            strchr(name, '.') == NULL || strlen(name) > 64 || strstr(name, "..") != NULL)
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
                        return false;
        for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
                if (strcmp(name, owned[i]) == 0) {
                        *why = "is congo's to write, not the spec's";
                        return false;
                }
        return true;
}

int congo_set_unified(struct congo_spec *s, const char *path,
                      const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("limits.unified.");
        const char *why;

        if (!unified_name_valid(name, &why))
                return BAD(d, v, "limits.unified: \"%s\" %s", name, why);
        if (strchr(v->text, '\n') != NULL || strlen(v->text) > 4096)
                return BAD(d, v, "%s: the value must be one line of at most 4096 bytes", path);
        for (size_t i = 0; i < s->limits.n_unified; i++) {
                struct congo_unified *u = &s->limits.unified[i];
                if (strcmp(u->file, name) != 0)
                        continue;
                if (congo_spec_duplicate(s, path, &u->pos, &v->pos, d) < 0)
                        return -1;
                u->pos = v->pos;
                return congo_replace_str(&u->value, v->text);
        }
        if (s->limits.n_unified == CONGO_UNIFIED_MAX)
                return BAD(d, v, "limits.unified: more than %d files", CONGO_UNIFIED_MAX);
        struct congo_unified *nu = realloc(s->limits.unified, (s->limits.n_unified + 1) * sizeof *nu);
        if (nu == NULL)
                return -1;
        s->limits.unified = nu;
        nu[s->limits.n_unified] = (struct congo_unified){ strdup(name), strdup(v->text), v->pos };
        if (nu[s->limits.n_unified].file == NULL || nu[s->limits.n_unified].value == NULL)
                return -1;
        s->limits.n_unified++;
        return 0;
}

/* ---- cross-key checks -------------------------------------------------- */

static void check_memory(struct congo_spec *s, struct congo_diag *d)
{
        uint64_t mem = s->limits.memory;

        if (s->limits.memory_swap && mem == 0)
                congo_diag_report(d, &s->pos[CONGO_K_MEMORY_SWAP],
                                  "limits.memory_swap: needs limits.memory (it limits memory and swap together)");
        else if (s->limits.memory_swap && s->limits.memory_swap < mem)
                congo_diag_report(d, &s->pos[CONGO_K_MEMORY_SWAP],
                                  "limits.memory_swap: is below limits.memory (it limits memory and swap together, so at least the memory limit)");
        if (s->limits.memory_reservation && mem && s->limits.memory_reservation > mem)
                congo_diag_report(d, &s->pos[CONGO_K_MEMORY_RESERVATION],
                                  "limits.memory_reservation: is above limits.memory");
}

/* cpus is a quota per 100 ms; with another period it scales with it. */
static void check_cpu(struct congo_spec *s, struct congo_diag *d)
{
        if (s->limits.cpu_period_us == 0)
                s->limits.cpu_period_us = CONGO_CPU_PERIOD_US;
        if (s->limits.cpus_e5 && GIVEN(s, CONGO_K_CPU_QUOTA) && s->limits.cpu_quota_us) {
                congo_diag_report(d, &s->pos[CONGO_K_CPU_QUOTA],
                                  "limits.cpu_quota: conflicts with limits.cpus at line %d (give one of them)",
                                  s->pos[CONGO_K_CPUS].line);
                return;
        }
        if (s->limits.cpus_e5) {
                uint64_t q = (s->limits.cpus_e5 * s->limits.cpu_period_us + CONGO_CPU_PERIOD_US - 1) /
                             CONGO_CPU_PERIOD_US;
                s->limits.cpu_quota_us = q < 1000 ? 1000 : q;
        }
        if (s->limits.cpu_rt_set && s->limits.cpu_rt_period_us &&
            s->limits.cpu_rt_runtime_us > s->limits.cpu_rt_period_us)
                congo_diag_report(d, &s->pos[CONGO_K_CPU_RT_RUNTIME],
                                  "limits.cpu_rt_runtime: is above limits.cpu_rt_period");
        if (s->limits.cpu_rt_period_us && !s->limits.cpu_rt_set)
                congo_diag_report(d, &s->pos[CONGO_K_CPU_RT_PERIOD],
                                  "limits.cpu_rt_period: needs limits.cpu_rt_runtime");
}

void congo_spec_check_resources(struct congo_spec *s, struct congo_diag *d)
{
        check_memory(s, d);
        check_cpu(s, d);
}

/* ---- print and release ------------------------------------------------- */

static void put_size(FILE *out, const char *key, uint64_t bytes)
{
        fprintf(out, "  %s: ", key);
        congo_spec_put_size(out, bytes);
        fputc('\n', out);
}

/* After limits.cpus (printed by spec_print.c), before time. */
void congo_spec_put_resource(FILE *out, const struct congo_spec *s, const struct congo_key_def *k)
{
        const char *key = k->path + strlen("limits.");

        if (strcmp(key, "cpu_quota") == 0 && s->limits.cpu_quota_us && s->limits.cpus_e5 == 0)
                fprintf(out, "  cpu_quota: %" PRIu64 "\n", s->limits.cpu_quota_us);
        else if (strcmp(key, "cpu_period") == 0 && s->limits.cpu_period_us &&
                 s->limits.cpu_period_us != CONGO_CPU_PERIOD_US)
                fprintf(out, "  cpu_period: %" PRIu64 "\n", s->limits.cpu_period_us);
        else if (strcmp(key, "cpu_rt_runtime") == 0 && s->limits.cpu_rt_set)
                fprintf(out, "  cpu_rt_runtime: %" PRIu64 "\n", s->limits.cpu_rt_runtime_us);
        else if (strcmp(key, "memory_swap") == 0 && s->limits.memory_swap == CONGO_UNLIMITED)
                fputs("  memory_swap: unlimited\n", out);
        else if (strcmp(key, "memory_swap") == 0 && s->limits.memory_swap)
                put_size(out, "memory_swap", s->limits.memory_swap);
        else if (strcmp(key, "memory_swappiness") == 0 && s->limits.memory_swappiness >= 0)
                fprintf(out, "  memory_swappiness: %d\n", s->limits.memory_swappiness);
        else if (strcmp(key, "blkio_weight") == 0 && s->limits.blkio_weight)
                fprintf(out, "  blkio_weight: %" PRIu32 "\n", s->limits.blkio_weight);
        else if (strcmp(key, "hugepages") == 0 && s->limits.n_hugepages)
                fputs("  hugepages:\n", out);
        else if (strcmp(key, "unified") == 0 && s->limits.n_unified)
                fputs("  unified:\n", out);
        for (size_t i = 0; strcmp(key, "hugepages") == 0 && i < s->limits.n_hugepages; i++) {
                char name[24], nested[32];
                congo_hugepage_name(s->limits.hugepages[i].page_size, name);
                snprintf(nested, sizeof nested, "  %s", name);
                put_size(out, nested, s->limits.hugepages[i].limit);
        }
        for (size_t i = 0; strcmp(key, "unified") == 0 && i < s->limits.n_unified; i++) {
                /* The value is any text: quoted as spec_print.c quotes. */
                fprintf(out, "    %s: ", s->limits.unified[i].file);
                congo_spec_put_str(out, s->limits.unified[i].value);
                fputc('\n', out);
        }
}

void congo_spec_free_resources(struct congo_spec *s)
{
        free(s->limits.cpuset_cpus);
        free(s->limits.cpuset_mems);
        free(s->limits.hugepages);
        for (size_t i = 0; i < s->limits.n_unified; i++) {
                free(s->limits.unified[i].file);
                free(s->limits.unified[i].value);
        }
        free(s->limits.unified);
}
