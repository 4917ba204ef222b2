/* events.c - `events`: runc's JSON event lines for a container.
 *
 *   events --stats ID     one {"type":"stats","id":ID,"data":{...}} and exit
 *   events [--interval D] a stats event every D (default 5s), an "oom"
 *                         event when the kernel's OOM killer struck in the
 *                         container's cgroup, until the container stops
 *
 * data has runc's shape (cpu, memory, pids, blkio, hugetlb), read from the
 * cgroup files of either version.  The container's lock is held only to
 * read its state: a long events must not hold up kill or delete.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "runtime.h"

/* The directory holding controller (v1), or the one cgroup (v2). */
static const char *dir_of(const struct congo_rt_cgroup *cg, const char *controller)
{
        if (strcmp(cg->driver, "v2") == 0)
                return cg->n_dirs ? cg->path[0] : NULL;
        for (size_t i = 0; i < cg->n_dirs; i++) {
                char list[40], want[40];
                snprintf(list, sizeof list, ",%s,", cg->controller[i]);
                snprintf(want, sizeof want, ",%s,", controller);
                if (strstr(list, want))
                        return cg->path[i];
        }
        return NULL;
}

static bool v2(const struct congo_rt_cgroup *cg)
{
        return strcmp(cg->driver, "v2") == 0;
}

/* A number; "max" as INT64_MAX (runc says UINT64_MAX, which a JSON
 * integer here cannot hold; a uint64 reader takes either); absent: 0. */
static json_t *num(const char *dir, const char *file, const char *key)
{
        char path[4200];

        if (dir == NULL)
                return json_integer(0);
        if (key == NULL) {
                snprintf(path, sizeof path, "%s/%s", dir, file);
                char *text = congo_cg_slurp(path);
                bool max = text && strncmp(text, "max", 3) == 0;
                free(text);
                if (max)
                        return json_integer(INT64_MAX);
        }
        int64_t v = congo_cg_read_i64(dir, file, key);
        return json_integer(v < 0 ? 0 : v);
}

/* "key value" lines into an object (memory.stat). */
static json_t *key_values(const char *dir, const char *file)
{
        char path[4200], key[128];
        long long v;
        json_t *o = json_object();

        if (dir == NULL)
                return o;
        snprintf(path, sizeof path, "%s/%s", dir, file);
        char *text = congo_cg_slurp(path);
        for (char *line = text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                next = next ? next + 1 : line + strlen(line);
                if (sscanf(line, "%127s %lld", key, &v) == 2)
                        json_object_set_new(o, key, json_integer(v));
        }
        free(text);
        return o;
}

static json_t *cpu_stats(const struct congo_rt_cgroup *cg)
{
        const char *acct = dir_of(cg, "cpuacct"), *cpu = dir_of(cg, "cpu");
        json_t *usage, *thr, *percpu = json_array();

        if (v2(cg)) {
                int64_t total = congo_cg_read_i64(cpu, "cpu.stat", "usage_usec");
                int64_t user = congo_cg_read_i64(cpu, "cpu.stat", "user_usec");
                int64_t sys = congo_cg_read_i64(cpu, "cpu.stat", "system_usec");
                usage = json_pack("{s:I, s:o, s:I, s:I}", "total", (json_int_t)(total < 0 ? 0 : total * 1000),
                                  "percpu", percpu, "kernel", (json_int_t)(sys < 0 ? 0 : sys * 1000),
                                  "user", (json_int_t)(user < 0 ? 0 : user * 1000));
                int64_t t = congo_cg_read_i64(cpu, "cpu.stat", "throttled_usec");
                thr = json_pack("{s:o, s:o, s:I}", "periods", num(cpu, "cpu.stat", "nr_periods"),
                                "throttled_periods", num(cpu, "cpu.stat", "nr_throttled"),
                                "throttled_time", (json_int_t)(t < 0 ? 0 : t * 1000));
                return json_pack("{s:o, s:o}", "usage", usage, "throttling", thr);
        }
        char path[4200];
        snprintf(path, sizeof path, "%s/cpuacct.usage_percpu", acct ? acct : "/nonexistent");
        char *text = congo_cg_slurp(path);
        for (char *p = text, *end; p && *p; p = end) {
                unsigned long long v = strtoull(p, &end, 10);
                if (end == p)
                        break;
                json_array_append_new(percpu, json_integer((json_int_t)v));
        }
        free(text);
        usage = json_pack("{s:o, s:o, s:o, s:o}", "total", num(acct, "cpuacct.usage", NULL), "percpu", percpu,
                          "kernel", num(acct, "cpuacct.usage_sys", NULL), "user", num(acct, "cpuacct.usage_user", NULL));
        thr = json_pack("{s:o, s:o, s:o}", "periods", num(cpu, "cpu.stat", "nr_periods"),
                        "throttled_periods", num(cpu, "cpu.stat", "nr_throttled"),
                        "throttled_time", num(cpu, "cpu.stat", "throttled_time"));
        return json_pack("{s:o, s:o}", "usage", usage, "throttling", thr);
}

static json_t *memory_stats(const struct congo_rt_cgroup *cg)
{
        const char *dir = dir_of(cg, "memory");

        if (v2(cg))
                return json_pack("{s:{s:o, s:o, s:o, s:o}, s:{s:o, s:o}, s:o}",
                                 "usage", "usage", num(dir, "memory.current", NULL),
                                 "limit", num(dir, "memory.max", NULL), "max", num(dir, "memory.peak", NULL),
                                 "failcnt", num(dir, "memory.events", "max"),
                                 "swap", "usage", num(dir, "memory.swap.current", NULL),
                                 "limit", num(dir, "memory.swap.max", NULL),
                                 "raw", key_values(dir, "memory.stat"));
        return json_pack("{s:{s:o, s:o, s:o, s:o}, s:{s:o, s:o, s:o}, s:o}",
                         "usage", "usage", num(dir, "memory.usage_in_bytes", NULL),
                         "limit", num(dir, "memory.limit_in_bytes", NULL),
                         "max", num(dir, "memory.max_usage_in_bytes", NULL),
                         "failcnt", num(dir, "memory.failcnt", NULL),
                         "swap", "usage", num(dir, "memory.memsw.usage_in_bytes", NULL),
                         "limit", num(dir, "memory.memsw.limit_in_bytes", NULL),
                         "max", num(dir, "memory.memsw.max_usage_in_bytes", NULL),
                         "raw", key_values(dir, "memory.stat"));
}

/* blkio's ioServiceBytesRecursive: v2's io.stat rbytes/wbytes, v1's
 * blkio.throttle.io_service_bytes "MAJ:MIN Read N" lines. */
static json_t *blkio_stats(const struct congo_rt_cgroup *cg)
{
        const char *dir = dir_of(cg, v2(cg) ? "io" : "blkio");
        json_t *list = json_array();
        char path[4200];
        unsigned maj, min;

        snprintf(path, sizeof path, "%s/%s", dir ? dir : "/nonexistent",
                 v2(cg) ? "io.stat" : "blkio.throttle.io_service_bytes");
        char *text = dir ? congo_cg_slurp(path) : NULL;
        for (char *line = text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                else
                        next = line + strlen(line);
                char op[16];
                unsigned long long v;
                if (!v2(cg)) {
                        if (sscanf(line, "%u:%u %15s %llu", &maj, &min, op, &v) == 4)
                                json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:I}", "major", (json_int_t)maj,
                                                                      "minor", (json_int_t)min, "op", op, "value", (json_int_t)v));
                        continue;
                }
                if (sscanf(line, "%u:%u", &maj, &min) != 2)
                        continue;
                const char *r = strstr(line, "rbytes="), *w = strstr(line, "wbytes=");
                if (r)
                        json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:I}", "major", (json_int_t)maj, "minor",
                                                              (json_int_t)min, "op", "Read", "value",
                                                              (json_int_t)strtoull(r + 7, NULL, 10)));
                if (w)
                        json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:I}", "major", (json_int_t)maj, "minor",
                                                              (json_int_t)min, "op", "Write", "value",
                                                              (json_int_t)strtoull(w + 7, NULL, 10)));
        }
        free(text);
        return json_pack("{s:o}", "ioServiceBytesRecursive", list);
}

static char *stats_event(const struct congo_rt_state *st)
{
        const char *pids = dir_of(&st->cgroup, "pids");
        json_t *data = json_pack("{s:o, s:o, s:{s:o, s:o}, s:o, s:o}", "cpu", cpu_stats(&st->cgroup),
                                 "memory", memory_stats(&st->cgroup), "pids", "current",
                                 num(pids, "pids.current", NULL), "limit", num(pids, "pids.max", NULL),
                                 "blkio", blkio_stats(&st->cgroup), "hugetlb", json_object());
        json_t *ev = json_pack("{s:s, s:s, s:o}", "type", "stats", "id", st->id, "data", data);
        char *text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;

        json_decref(ev);
        return text;
}

/* The kernel's count of OOM kills in the container's cgroup. */
static int64_t oom_kills(const struct congo_rt_cgroup *cg)
{
        const char *dir = dir_of(cg, "memory");

        return v2(cg) ? congo_cg_read_i64(dir ? dir : "/nonexistent", "memory.events", "oom_kill")
                      : congo_cg_read_i64(dir ? dir : "/nonexistent", "memory.oom_control", "oom_kill");
}

/* A Go duration as runc takes it: 5s, 100ms, 1m30s, 1.5s; a bare number
 * is seconds.  Milliseconds, or -1. */
static long long parse_interval(const char *text)
{
        static const struct { const char *unit; double ms; } units[] = {
                { "ns", 1e-6 }, { "us", 1e-3 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
        };
        double total = 0;
        const char *p = text;

        while (*p) {
                char *end;
                double v = strtod(p, &end);
                if (end == p || v < 0)
                        return -1;
                size_t i, n = strspn(end, "nusmh");
                for (i = 0; i < sizeof units / sizeof units[0]; i++)
                        if (n == strlen(units[i].unit) && strncmp(end, units[i].unit, n) == 0)
                                break;
                if (n == 0 && p == text && end[0] == '\0')
                        return (long long)(v * 1000);
                if (i == sizeof units / sizeof units[0])
                        return -1;
                total += v * units[i].ms;
                p = end + n;
        }
        return total >= 1 ? (long long)total : -1;
}

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void emit(char *text)
{
        if (text) {
                puts(text);
                fflush(stdout);
        }
        free(text);
}

/* Until the container's process ends: stats every interval, oom at once
 * (checked every 100 ms at most). */
/* An "oom" event for each OOM kill counted since *seen. */
static void emit_ooms(const struct congo_rt_state *st, int64_t *seen)
{
        for (int64_t o = oom_kills(&st->cgroup); o > *seen; (*seen)++) {
                json_t *ev = json_pack("{s:s, s:s}", "type", "oom", "id", st->id);
                emit(ev ? json_dumps(ev, JSON_COMPACT) : NULL);
                json_decref(ev);
        }
}

static int follow(struct congo_rt_state *st, long long interval)
{
        int pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
        int64_t ooms = oom_kills(&st->cgroup);
        long long next = now_ms();

        while (congo_rt_pid_alive(st->pid, st->pid_start)) {
                if (now_ms() >= next) {
                        emit(stats_event(st));
                        next += interval;
                }
                emit_ooms(st, &ooms);
                long long wait = next - now_ms();
                struct pollfd p = { pidfd, POLLIN, 0 };
                int ms = wait < 0 ? 0 : wait > 100 ? 100 : (int)wait;
                if (pidfd >= 0 ? poll(&p, 1, ms) > 0 : (usleep((useconds_t)ms * 1000), false))
                        break;
        }
        /* The OOM kill that ended the container (its process gone before
         * the last look) is still counted in its cgroup until delete. */
        emit_ooms(st, &ooms);
        if (pidfd >= 0)
                close(pidfd);
        return 0;
}

int congo_rt_events(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option longopts[] = {
                { "stats", no_argument, NULL, 's' },
                { "interval", required_argument, NULL, 'i' },
                { 0 },
        };
        struct congo_rt_state st;
        long long interval = 5000;
        bool stats = false;
        const char *id;
        int c, dirfd;

        while ((c = congo_rt_getopt(argc, argv, "", longopts)) != -1) {
                if (c == 's')
                        stats = true;
                else if ((interval = parse_interval(optarg)) < 0) {
                        congo_rt_error("events: --interval %s: not a duration (such as 5s or 500ms)", optarg);
                        return CONGO_RT_FAILURE;
                }
        }
        if ((id = congo_rt_one_id(argc, argv, "events")) == NULL || congo_rt_open(rt, id, &dirfd) < 0)
                return CONGO_RT_FAILURE;
        int rc = congo_rt_read(dirfd, id, &st);
        congo_rt_close(dirfd);
        if (rc < 0)
                return CONGO_RT_FAILURE;
        if (st.status == RT_STOPPED) {
                congo_rt_error("container \"%s\" is not running", id);
                rc = CONGO_RT_FAILURE;
        } else if (stats) {
                char *text = stats_event(&st);
                rc = text ? 0 : CONGO_RT_FAILURE;
                emit(text);
        } else {
                rc = follow(&st, interval);
        }
        congo_rt_state_free(&st);
        return rc;
}
