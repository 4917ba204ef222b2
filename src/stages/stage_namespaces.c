/* stage_namespaces.c - which namespaces the container is cloned into, the
 * user namespace's id maps, and the loopback interface. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "congo/pipeline.h"
#include "ns_join.h"

static const struct { unsigned ns; unsigned long flag; } clone_flags[] = {
        { CONGO_NS_UTS, CLONE_NEWUTS }, { CONGO_NS_PID, CLONE_NEWPID },
        { CONGO_NS_NET, CLONE_NEWNET }, { CONGO_NS_MOUNT, CLONE_NEWNS },
        { CONGO_NS_IPC, CLONE_NEWIPC }, { CONGO_NS_USER, CLONE_NEWUSER },
        /* cgroup: unshared by the child once it is in its cgroup (stage
         * cgroups), so that its cgroup is the namespace's root.  time:
         * unshared by the launcher below; clone() cannot take it. */
};

/* time_offsets: "monotonic SECS NANOSECS" lines in the launcher's
 * timens_offsets, which name its children's namespace. */
static int write_offsets(const struct congo_spec *s, struct congo_error *err)
{
        static const char *const clocks[CONGO_TIME_COUNT] = { "monotonic", "boottime" };
        char text[128];
        size_t used = 0;

        for (int c = 0; c < CONGO_TIME_COUNT; c++) {
                const struct congo_time_offset *o = &s->process.time_offsets[c];
                if (o->secs != 0 || o->nanosecs != 0)
                        used += (size_t)snprintf(text + used, sizeof text - used, "%s %" PRId64 " %" PRIu32 "\n",
                                                 clocks[c], o->secs, o->nanosecs);
        }
        if (used == 0)
                return 0;
        _cleanup_close_ int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, text, used) != (ssize_t)used)
                return congo_error_set(err, errno, "time_offsets: writing /proc/self/timens_offsets");
        return 0;
}

static int ns_prepare(struct congo_run *run, struct congo_error *err)
{
        run->clone_flags = 0;
        for (size_t i = 0; i < sizeof clone_flags / sizeof clone_flags[0]; i++)
                if (run->spec->namespaces & clone_flags[i].ns)
                        run->clone_flags |= clone_flags[i].flag;
#ifdef CLONE_NEWTIME
        /* Children of this process are born into the new time namespace;
         * its clocks' offsets can be set only until one is. */
        if ((run->spec->namespaces & CONGO_NS_TIME) && !(congo_spec_joined(run->spec) & CONGO_NS_TIME) &&
            (unshare(CLONE_NEWTIME) < 0 ? congo_error_set(err, errno, "unshare(CLONE_NEWTIME)")
                                        : write_offsets(run->spec, err)) < 0)
                return -1;
#endif
        /* Joined namespaces are not made: out of clone_flags. */
        return congo_ns_join_prepare(run, err);
}

static int write_file(pid_t pid, const char *file, const char *text,
                      struct congo_error *err)
{
        char path[64];
        ssize_t len = (ssize_t)strlen(text);

        snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return congo_error_set(err, errno, "opening %s", path);
        if (write(fd, text, (size_t)len) != len)
                return congo_error_set(err, errno, "writing \"%s\" to %s", text, path);
        return 0;
}

static void format_map(const struct congo_idmap *m, size_t n, char *buf, size_t size)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < n && used < size; i++)
                used += (size_t)snprintf(buf + used, size - used, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
                                         m[i].inside, m[i].outside, m[i].count);
}

/* The maps must be written from outside, while the child waits; setgroups
 * is denied first, as an unprivileged writer of gid_map must. */
static int ns_parent(struct congo_run *run, struct congo_error *err)
{
        const struct congo_spec *s = run->spec;
        char map[340 * 36];

        /* A joined user namespace has the maps its creator wrote. */
        if (!(s->namespaces & CONGO_NS_USER) || (congo_spec_joined(s) & CONGO_NS_USER))
                return 0;
        format_map(s->uid_map, s->n_uid_map, map, sizeof map);
        if (write_file(run->pid, "uid_map", map, err) < 0)
                return -1;
        if (write_file(run->pid, "setgroups", "deny", err) < 0)
                return -1;
        format_map(s->gid_map, s->n_gid_map, map, sizeof map);
        return write_file(run->pid, "gid_map", map, err);
}

static int ns_child(struct congo_run *run, struct congo_error *err)
{
        struct ifreq ifr = { .ifr_name = "lo" };

        if (congo_ns_join_child(run, err) < 0)
                return -1;
        /* Until now we kept the launcher's ids, which have no mapping in
         * the new user namespace: files we create would be refused
         * (EOVERFLOW).  Become its root, which the maps give a host id. */
        if ((run->spec->namespaces & CONGO_NS_USER) &&
            (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
                if (congo_spec_joined(run->spec) & CONGO_NS_USER)
                        return congo_error_set(err, errno, "namespace_paths.user: becoming root of the user namespace %s (are uid and gid 0 mapped in it?)",
                                               run->spec->ns_paths[5]);
                return congo_error_set(err, errno, "becoming root of the user namespace");
        }
        /* A change of credentials clears the parent-death signal.  Not
         * under the runtime's create: that container outlives it. */
        if ((run->spec->namespaces & CONGO_NS_USER) && !run->detached)
                prctl(PR_SET_PDEATHSIG, SIGKILL);

        /* A joined network namespace is left as it is. */
        if (!(run->spec->namespaces & CONGO_NS_NET) || run->spec->network != CONGO_NET_LOOPBACK ||
            (congo_spec_joined(run->spec) & CONGO_NS_NET))
                return 0;
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return congo_error_set(err, errno, "socket for lo");
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
            (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0))
                return congo_error_set(err, errno, "bringing lo up");
        return 0;
}

static void ns_describe(struct congo_run *run, FILE *out)
{
        const struct congo_spec *s = run->spec;
        static const char *const net[] = { "loopback (lo up)", "none (lo down)", "host" };

        fputs("   clone into namespaces:", out);
        for (unsigned b = 1; b <= CONGO_NS_TIME; b <<= 1)
                if ((s->namespaces & b) && !(congo_spec_joined(s) & b))
                        fprintf(out, " %s", congo_ns_name(b));
        fputc('\n', out);
        congo_ns_join_describe(run, out);
        fprintf(out, "   network: %s\n", (congo_spec_joined(s) & CONGO_NS_NET) ? "as joined" : net[s->network]);
        bool maps = (s->namespaces & CONGO_NS_USER) && !(congo_spec_joined(s) & CONGO_NS_USER);
        for (size_t i = 0; maps && i < s->n_uid_map; i++)
                fprintf(out, "   uid_map: %" PRIu32 " %" PRIu32 " %" PRIu32 "\n", s->uid_map[i].inside,
                        s->uid_map[i].outside, s->uid_map[i].count);
        for (size_t i = 0; maps && i < s->n_gid_map; i++)
                fprintf(out, "   gid_map: %" PRIu32 " %" PRIu32 " %" PRIu32 " (setgroups deny)\n",
                        s->gid_map[i].inside, s->gid_map[i].outside, s->gid_map[i].count);
        for (int c = 0; c < CONGO_TIME_COUNT; c++)
                if (s->process.time_offsets[c].secs || s->process.time_offsets[c].nanosecs)
                        fprintf(out, "   time offset %s: %" PRId64 " s %" PRIu32 " ns\n",
                                c ? "boottime" : "monotonic", s->process.time_offsets[c].secs,
                                s->process.time_offsets[c].nanosecs);
}

const struct congo_stage congo_stage_namespaces = {
        .name = "namespaces",
        .describe = ns_describe,
        .prepare = ns_prepare,
        .parent = ns_parent,
        .child = ns_child,
        .cleanup = congo_ns_join_cleanup,
};
