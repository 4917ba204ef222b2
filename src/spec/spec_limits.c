/* spec_limits.c - the setters of limits.*: pids, memory, CPU shares and
 * bandwidth, wall-clock time, rlimits. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "spec_internal.h"

int congo_set_pids(struct congo_spec *s, const char *path,
                   const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        /* max: no limit at all (OCI's -1), not even congo's default. */
        if (strcmp(v->text, "max") == 0)
                return s->limits.pids = -1, 0;
        if (congo_parse_uint(v->text, UINT64_MAX, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a number or max", path, v->text);
        if (n < 1 || n > 4194304)
                return BAD(d, v, "%s: %s is out of range (1 to 4194304)", path, v->text);
        s->limits.pids = (int64_t)n;
        return 0;
}

int congo_set_memory(struct congo_spec *s, const char *path,
                     const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_size(v->text, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a size (try 512M or 1G)", path, v->text);
        if (n < 1024 * 1024)
                return BAD(d, v, "%s: %s is below the minimum of 1M", path, v->text);
        if (n > (UINT64_C(1) << 50))
                return BAD(d, v, "%s: %s is above the maximum of 1P", path, v->text);
        s->limits.memory = n;
        return 0;
}

/* The size of the default /tmp tmpfs. */
int congo_set_tmp(struct congo_spec *s, const char *path,
                  const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_size(v->text, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a size (try 64M or 1G)", path, v->text);
        if (n < 1024 * 1024)
                return BAD(d, v, "%s: %s is below the minimum of 1M", path, v->text);
        if (n > (UINT64_C(1) << 50))
                return BAD(d, v, "%s: %s is above the maximum of 1P", path, v->text);
        s->limits.tmp_size = n;
        return 0;
}

int congo_set_cpu_shares(struct congo_spec *s, const char *path,
                         const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t n;

        if (congo_parse_uint(v->text, UINT64_MAX, &n) < 0)
                return BAD(d, v, "%s: \"%s\" is not a number", path, v->text);
        if (n < 2 || n > 262144)
                return BAD(d, v, "%s: %s is out of range (2 to 262144)", path, v->text);
        s->limits.cpu_shares = n;
        return 0;
}

/* "1.5" -> 150000 µs per 100000 µs period, exactly, without floating point. */
int congo_set_cpus(struct congo_spec *s, const char *path,
                   const struct congo_scalar *v, struct congo_diag *d)
{
        const char *p = v->text;
        uint64_t whole = 0, frac = 0, scale = CONGO_CPU_PERIOD_US;
        int digits = 0;

        if (!isdigit((unsigned char)*p) && *p != '.')
                goto bad;
        for (; isdigit((unsigned char)*p); p++) {
                whole = whole * 10 + (uint64_t)(*p - '0');
                if (whole > 4096)
                        goto range;
        }
        if (*p == '.') {
                for (p++; isdigit((unsigned char)*p); p++, digits++) {
                        if (digits == 5)
                                goto bad;
                        scale /= 10;
                        frac += (uint64_t)(*p - '0') * scale;
                }
                if (digits == 0 && p == v->text + 1)
                        goto bad;
        }
        if (*p != '\0')
                goto bad;
        uint64_t quota = whole * CONGO_CPU_PERIOD_US + frac;
        if (quota < 1000 || whole >= 4096)
                goto range;
        s->limits.cpus_e5 = quota;
        if (s->overriding) {    /* --set replaces a cpu_quota the file gave */
                s->limits.cpu_quota_us = 0;
                s->pos[CONGO_K_CPU_QUOTA] = (struct congo_pos){ 0 };
        }
        return 0;
bad:
        return BAD(d, v, "%s: \"%s\" is not a number of CPUs (e.g. 0.5 or 2)", path, v->text);
range:
        return BAD(d, v, "%s: %s is out of range (0.01 to 4095)", path, v->text);
}

int congo_set_time(struct congo_spec *s, const char *path,
                   const struct congo_scalar *v, struct congo_diag *d)
{
        uint64_t ms;

        if (congo_parse_duration_ms(v->text, &ms) < 0)
                return BAD(d, v, "%s: \"%s\" is not a duration (try 30s, 500ms, 5m or 1h)",
                           path, v->text);
        if (ms == 0 || ms > UINT64_C(366) * 24 * 3600 * 1000)
                return BAD(d, v, "%s: %s is out of range (1ms to 366 days)", path, v->text);
        s->limits.time_ms = ms;
        return 0;
}

static int parse_rlim_value(const char *text, uint64_t *out)
{
        if (strcmp(text, "unlimited") == 0)
                return *out = RLIM_INFINITY, 0;
        return congo_parse_uint(text, RLIM_INFINITY - 1, out);
}

int congo_set_rlimit(struct congo_spec *s, const char *path,
                     const struct congo_scalar *v, struct congo_diag *d)
{
        const char *name = path + strlen("limits.rlimits.");
        int res = congo_rlimit_from_name(name);
        uint64_t soft, hard;
        char buf[64];

        if (res < 0)
                return BAD(d, v, "limits.rlimits: unknown resource \"%s\" (as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)",
                           name);
        if (strlen(v->text) >= sizeof buf)
                goto bad;
        strcpy(buf, v->text);
        char *colon = strchr(buf, ':');
        if (colon)
                *colon = '\0';
        if (parse_rlim_value(buf, &soft) < 0)
                goto bad;
        hard = soft;
        if (colon && parse_rlim_value(colon + 1, &hard) < 0)
                goto bad;
        if (soft > hard)
                return BAD(d, v, "%s: soft limit %s is above the hard limit", path, buf);
        for (size_t i = 0; i < s->limits.n_rlimits; i++) {
                struct congo_rlimit *r = &s->limits.rlimits[i];
                if (r->resource != res)
                        continue;
                if (congo_spec_duplicate(s, path, &r->pos, &v->pos, d) < 0)
                        return -1;
                *r = (struct congo_rlimit){ res, soft, hard, v->pos };
                return 0;
        }
        struct congo_rlimit *nr = realloc(s->limits.rlimits,
                                          (s->limits.n_rlimits + 1) * sizeof *nr);
        if (nr == NULL)
                return -1;
        s->limits.rlimits = nr;
        nr[s->limits.n_rlimits++] = (struct congo_rlimit){ res, soft, hard, v->pos };
        return 0;
bad:
        return BAD(d, v, "%s: \"%s\" is not a limit (a number, unlimited, or SOFT:HARD)",
                   path, v->text);
}

