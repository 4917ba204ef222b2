/* update.c - `update`: new cgroup limits for a live container, as runc's.
 *
 * The values (an OCI linux.resources object from --resources F or - for
 * stdin, then the single-value flags over it) are merged into what the
 * container has now: ROOT/ID/resources.json, which starts as the bundle's
 * linux.resources.  The merged object goes through the OCI front end, so
 * it is checked with the same messages as a bundle's, and the cgroup
 * drivers write it to the container's cgroup, made again by the same
 * create (every value written exists already, or is new).  On v1 a
 * hierarchy the container was not in yet (cpuset, blkio, hugetlb, only made
 * for a spec that uses them) is made and every process moved in.  The
 * merged object is then recorded, so later updates start from it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "congo/parse.h"
#include "congo/pipeline.h"
#include "congo/util.h"
#include "runtime.h"
#include "spec_internal.h"

/* A flag and where its value goes in linux.resources. */
struct flag {
        const char *name, *object, *member;
        char kind;   /* 'b' bytes (-1: none), 'i' integer, 's' string */
};

static const struct flag flags[] = {
        { "memory", "memory", "limit", 'b' },
        { "memory-reservation", "memory", "reservation", 'b' },
        { "memory-swap", "memory", "swap", 'b' },
        { "cpu-shares", "cpu", "shares", 'i' },
        { "cpu-quota", "cpu", "quota", 'i' },
        { "cpu-period", "cpu", "period", 'i' },
        { "cpuset-cpus", "cpu", "cpus", 's' },
        { "cpuset-mems", "cpu", "mems", 's' },
        { "pids-limit", "pids", "limit", 'i' },
        { "blkio-weight", "blockIO", "weight", 'i' },
};
#define N_FLAGS (sizeof flags / sizeof flags[0])

/* One flag's value into res (JSON); -1 after the error line. */
static int set_flag(json_t *res, const struct flag *f, const char *text)
{
        json_t *v = NULL;
        char *end;

        if (f->kind == 's') {
                v = json_string(text);
        } else if (strcmp(text, "-1") == 0) {
                v = json_integer(-1);
        } else {
                uint64_t n;
                long long i = strtoll(text, &end, 10);
                if (f->kind == 'b' && congo_parse_size(text, &n) == 0 && n <= INT64_MAX)
                        v = json_integer((json_int_t)n);
                else if (f->kind == 'i' && *text && *end == '\0' && i >= 0)
                        v = json_integer(i);
        }
        if (v == NULL) {
                congo_rt_error("update: --%s %s: not a %s", f->name, text,
                               f->kind == 'b' ? "size (bytes, or with K, M, G, T; -1: no limit)" : "number");
                return -1;
        }
        json_t *obj = json_object_get(res, f->object);
        if (obj == NULL)
                json_object_set_new(res, f->object, obj = json_object());
        json_object_set_new(obj, f->member, v);
        return 0;
}

/* --resources F: an object; "-" is stdin. */
static json_t *load_resources(const char *path)
{
        json_error_t jerr;
        json_t *j = strcmp(path, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr)
                                           : json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

        if (j == NULL) {
                congo_rt_error("update: %s:%d:%d: %s", strcmp(path, "-") ? path : "<stdin>",
                               jerr.line, jerr.column, jerr.text);
                return NULL;
        }
        if (!json_is_object(j)) {
                congo_rt_error("update: %s: not a JSON object (an OCI linux.resources)", path);
                json_decref(j);
                return NULL;
        }
        return j;
}

/* Objects merged member by member; anything else replaced. */
static void merge(json_t *into, json_t *from)
{
        const char *k;
        json_t *v;

        json_object_foreach(from, k, v) {
                json_t *old = json_object_get(into, k);
                if (json_is_object(v) && json_is_object(old))
                        merge(old, v);
                else
                        json_object_set(into, k, v);
        }
}

/* What the container has now: the last update's, or the bundle's. */
static json_t *current_resources(int dirfd, const char *bundle)
{
        json_error_t jerr;
        char path[4200];
        int fd = openat(dirfd, "resources.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

        if (fd >= 0) {
                json_t *j = json_loadfd(fd, 0, &jerr);
                close(fd);
                if (json_is_object(j))
                        return j;
                json_decref(j);
        }
        snprintf(path, sizeof path, "%s/config.json", bundle);
        json_t *config = json_load_file(path, 0, &jerr);
        json_t *res = json_object_get(json_object_get(config, "linux"), "resources");
        json_t *out = json_is_object(res) ? json_deep_copy(res) : json_object();
        json_decref(config);
        return out;
}

/* The merged object through the OCI front end: its messages, its checks. */
static int to_spec(json_t *res, struct congo_spec *spec)
{
        struct congo_diag d = { stderr, 0 };
        json_t *copy = json_deep_copy(res);

        /* The device rules are create's, kept as they are. */
        json_object_del(copy, "devices");
        json_t *doc = json_pack("{s:s, s:{s:o}}", "ociVersion", "1.1.0", "linux", "resources", copy);
        char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        congo_spec_init(spec, "update");
        if (text == NULL || congo_parse_oci(spec, text, strlen(text), &d) != 0) {
                free(text);
                congo_spec_free(spec);
                return -1;
        }
        free(text);
        congo_spec_check_resources(spec, &d);
        if (d.count == 0)
                return 0;
        congo_spec_free(spec);
        return -1;
}

/* The container's cgroup, as its state recorded it, for the driver. */
static int live_cgroup(const struct congo_rt_state *st, const char *rel, struct congo_cgroup *cg)
{
        const struct congo_rt_cgroup *rc = &st->cgroup;

        *cg = (struct congo_cgroup){ .mountinfo = "/proc/self/mountinfo", .pid_namespace = rc->pid_namespace };
        if (strcmp(rc->driver, "v1") == 0) {
                cg->driver = &congo_cgroup_v1;
                for (size_t i = 0; i < rc->n_dirs; i++) {
                        snprintf(cg->dirs[i].controller, sizeof cg->dirs[i].controller, "%s", rc->controller[i]);
                        cg->dirs[i].path = strdup(rc->path[i]);
                }
                cg->n_dirs = rc->n_dirs;
                return 0;
        }
        size_t pl = rc->n_dirs ? strlen(rc->path[0]) : 0, rl = strlen(rel);
        if (strcmp(rc->driver, "v2") != 0 || pl <= rl + 1 || strcmp(rc->path[0] + pl - rl, rel) != 0 ||
            rc->path[0][pl - rl - 1] != '/') {
                congo_rt_error("update %s: the container has no cgroup to update (driver %s)", st->id, rc->driver);
                return -1;
        }
        cg->driver = &congo_cgroup_v2;
        /* Where its cgroup hangs, so create finds the same directory. */
        cg->base = strndup(rc->path[0], pl - rl - 1);
        return 0;
}

static bool same_procs(const char *a, const char *b)
{
        char pa[4200], pb[4200];

        snprintf(pa, sizeof pa, "%s/cgroup.procs", a);
        snprintf(pb, sizeof pb, "%s/cgroup.procs", b);
        char *ta = congo_cg_slurp(pa), *tb = congo_cg_slurp(pb);
        bool same = ta && tb && strcmp(ta, tb) == 0;
        free(ta);
        free(tb);
        return same;
}

/* v1: a hierarchy made now gets every process of the container; again
 * until both list the same (a fork during the move is caught next pass). */
static int move_in(const struct congo_rt_state *st, struct congo_cgroup *cg, struct congo_error *err)
{
        char procs[4200];

        if (st->cgroup.n_dirs == 0)
                return 0;
        snprintf(procs, sizeof procs, "%s/cgroup.procs", st->cgroup.path[0]);
        for (size_t i = st->cgroup.n_dirs, pass = 0; i < cg->n_dirs; pass++) {
                if (pass > 0 && (same_procs(st->cgroup.path[0], cg->dirs[i].path) || pass == 20)) {
                        i++, pass = 0;
                        continue;
                }
                char *text = congo_cg_slurp(procs);
                for (char *p = text, *end; p && *p; p = end + (*end == '\n')) {
                        long pid = strtol(p, &end, 10);
                        if (end == p)
                                break;
                        /* One that ended meanwhile: ESRCH, fine. */
                        if (congo_cg_write_u64(cg, cg->dirs[i].path, "cgroup.procs", (uint64_t)pid, err) < 0 &&
                            err->errnum != ESRCH) {
                                free(text);
                                return -1;
                        }
                }
                free(text);
        }
        return 0;
}

/* v1's memory.limit_in_bytes may not go above memory.memsw.limit_in_bytes:
 * raising both, memsw goes first (this write fails harmlessly when
 * lowering, where create's order is the right one). */
static void memsw_first(struct congo_cgroup *cg, const struct congo_cgroup_limits *l)
{
        const char *dir = congo_cg_v1_dir(cg, "memory");
        struct congo_error ignored;

        if (cg->driver == &congo_cgroup_v1 && l->memory && dir && congo_cg_exists(dir, "memory.memsw.limit_in_bytes"))
                congo_cg_write_u64(cg, dir, "memory.memsw.limit_in_bytes",
                                   l->memory_swap ? l->memory_swap : l->memory, &ignored);
}

static bool unlimited(json_t *res, const char *object, const char *member)
{
        json_t *v = json_object_get(json_object_get(res, object), member);

        return json_is_integer(v) && json_integer_value(v) == -1;
}

/* -1, OCI's "no limit", which the front end reads as "not set": a memory
 * limit or CPU quota set before is lifted. */
static int lift(struct congo_cgroup *cg, json_t *res, struct congo_error *err)
{
        bool v1 = cg->driver == &congo_cgroup_v1;
        const char *mem = v1 ? congo_cg_v1_dir(cg, "memory") : cg->dirs[0].path;
        const char *cpu = v1 ? congo_cg_v1_dir(cg, "cpu") : cg->dirs[0].path;

        if (unlimited(res, "memory", "limit") && mem) {
                /* memsw first: it may never be below the memory limit. */
                if (v1 && congo_cg_exists(mem, "memory.memsw.limit_in_bytes") &&
                    congo_cg_write(cg, mem, "memory.memsw.limit_in_bytes", "-1", err) < 0)
                        return -1;
                if (congo_cg_write(cg, mem, v1 ? "memory.limit_in_bytes" : "memory.max", v1 ? "-1" : "max", err) < 0)
                        return -1;
        }
        if (unlimited(res, "cpu", "quota") && cpu &&
            congo_cg_write(cg, cpu, v1 ? "cpu.cfs_quota_us" : "cpu.max", v1 ? "-1" : "max", err) < 0)
                return -1;
        return 0;
}

static int apply(const struct congo_rt_state *st, const char *rel, const struct congo_spec *spec,
                 json_t *res, struct congo_rt_cgroup *grown)
{
        struct congo_limit_lists lists;
        struct congo_cgroup_limits l = congo_cgroup_limits_of(spec, &lists);
        /* Every value the update holds is written, and the runtime's
         * cgroups keep cpuacct (events --stats). */
        l.pids_default = false;
        l.accounting = true;
        struct congo_error err = { 0 };
        struct congo_cgroup cg;

        if (live_cgroup(st, rel, &cg) < 0)
                return -1;
        memsw_first(&cg, &l);
        int rc = cg.driver->create(&cg, rel, &l, &err);
        /* pids "max" (-1): no limit, which create never writes. */
        const char *pids_dir = cg.driver == &congo_cgroup_v1 ? congo_cg_v1_dir(&cg, "pids")
                                                             : (cg.n_dirs ? cg.dirs[0].path : NULL);
        if (rc == 0 && spec->limits.pids < 0 && pids_dir)
                rc = congo_cg_write(&cg, pids_dir, "pids.max", "max", &err);
        if (rc == 0 && cg.n_dirs > 0)
                rc = lift(&cg, res, &err);
        if (rc == 0 && cg.driver == &congo_cgroup_v1)
                rc = move_in(st, &cg, &err);
        if (rc < 0)
                congo_rt_error("update %s: %s%s%s", st->id, err.msg, err.errnum ? ": " : "",
                               err.errnum ? strerror(err.errnum) : "");
        *grown = st->cgroup;
        for (size_t i = 0; i < grown->n_dirs; i++)
                grown->path[i] = strdup(st->cgroup.path[i]);
        for (size_t i = st->cgroup.n_dirs; cg.driver == &congo_cgroup_v1 && i < cg.n_dirs && i < 8; i++) {
                snprintf(grown->controller[i], sizeof grown->controller[i], "%s", cg.dirs[i].controller);
                grown->path[i] = strdup(cg.dirs[i].path);
                grown->n_dirs = i + 1;
        }
        congo_cgroup_release(&cg);
        return rc;
}

static int parse_update(int argc, char **argv, json_t **res)
{
        struct option longopts[N_FLAGS + 2];
        const char *resources = NULL, *given[N_FLAGS] = { 0 };
        int c;

        for (size_t i = 0; i < N_FLAGS; i++)
                longopts[i] = (struct option){ flags[i].name, required_argument, NULL, 256 + (int)i };
        longopts[N_FLAGS] = (struct option){ "resources", required_argument, NULL, 'r' };
        longopts[N_FLAGS + 1] = (struct option){ 0 };
        while ((c = congo_rt_getopt(argc, argv, "r:", longopts)) != -1) {
                if (c == 'r')
                        resources = optarg;
                else
                        given[c - 256] = optarg;
        }
        *res = resources ? load_resources(resources) : json_object();
        if (*res == NULL)
                return -1;
        /* runc's order: the file, then each flag over it. */
        for (size_t i = 0; i < N_FLAGS; i++)
                if (given[i] && set_flag(*res, &flags[i], given[i]) < 0) {
                        json_decref(*res);
                        return -1;
                }
        return 0;
}

static int update_locked(int dirfd, const char *id, json_t *update)
{
        struct congo_rt_state st;
        struct congo_rt_cgroup grown = { 0 };
        struct congo_spec spec;
        char rel[2048];
        int rc = CONGO_RT_FAILURE;

        if (congo_rt_read(dirfd, id, &st) < 0)
                return CONGO_RT_FAILURE;
        int fd = openat(dirfd, "cgroup", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, rel, sizeof rel - 1);
        if (fd >= 0)
                close(fd);
        json_t *res = current_resources(dirfd, st.bundle);
        merge(res, update);
        if (st.status == RT_STOPPED) {
                congo_rt_error("container \"%s\" is not running", id);
        } else if (n <= 0) {
                congo_rt_error("update %s: the container's cgroup is not recorded", id);
        } else if (to_spec(res, &spec) == 0) {
                rel[n] = '\0';
                if (apply(&st, rel, &spec, res, &grown) == 0) {
                        char *text = json_dumps(res, JSON_COMPACT);
                        struct congo_rt_cgroup old = st.cgroup;
                        st.cgroup = grown;
                        rc = text && congo_rt_write_file(dirfd, "resources.json", text) == 0 &&
                                     congo_rt_write(dirfd, &st) == 0 ? 0 : CONGO_RT_FAILURE;
                        if (rc != 0)
                                congo_rt_error("update %s: recording the values: %s", id, strerror(errno));
                        st.cgroup = old;
                        free(text);
                }
                congo_spec_free(&spec);
        }
        for (size_t i = 0; i < grown.n_dirs; i++)
                free(grown.path[i]);
        json_decref(res);
        congo_rt_state_free(&st);
        return rc;
}

int congo_rt_update(const struct congo_rt *rt, int argc, char **argv)
{
        json_t *update;
        const char *id;
        int dirfd;

        if (parse_update(argc, argv, &update) < 0)
                return CONGO_RT_FAILURE;
        if ((id = congo_rt_one_id(argc, argv, "update")) == NULL || congo_rt_open(rt, id, &dirfd) < 0) {
                json_decref(update);
                return CONGO_RT_FAILURE;
        }
        int rc = update_locked(dirfd, id, update);
        congo_rt_close(dirfd);
        json_decref(update);
        return rc;
}
