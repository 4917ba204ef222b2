/* unit_oci.c - the OCI front end (parse_oci.c): every mapped field lands
 * in the spec as the YAML key would put it, every refusal names its JSON
 * path, OCI's meanings of absent values and of -1, positions of syntax
 * errors, and print -> YAML -> print. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "congo/parse.h"
#include "congo/spec.h"
#include "run_suite.h"
#include "unit_helpers.h"

static char bundle[64];
static char config[128];

/* A bundle directory with an empty rootfs/ beside config.json. */
static void make_bundle(void)
{
        char rootfs[128];

        snprintf(bundle, sizeof bundle, "/tmp/congo-oci-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(bundle));
        snprintf(rootfs, sizeof rootfs, "%s/rootfs", bundle);
        ck_assert_int_eq(mkdir(rootfs, 0755), 0);
        snprintf(config, sizeof config, "%s/config.json", bundle);
}

static void remove_bundle(void)
{
        char cmd[128];

        snprintf(cmd, sizeof cmd, "rm -rf %s", bundle);
        ck_assert_int_eq(system(cmd), 0);
}

/* The fields every test needs, then body (more top-level members). */
#define HEAD "{\"ociVersion\": \"1.1.0\", \"root\": {\"path\": \"rootfs\"}, "
#define PROC "\"process\": {\"args\": [\"/bin/sh\"], \"cwd\": \"/\"}, "
#define NS "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"}]}"

/* json, which config.json must be taken for. */
static const char *oci(const char *json)
{
        ck_assert_int_eq(congo_detect_format(config, json, strlen(json)), CONGO_FORMAT_OCI);
        return json;
}

/* The shared helpers (unit_helpers.h), on the bundle's config.json. */
#define load(s, json, errors) unit_load(s, config, oci(json), errors)
#define load_ok(s, json) unit_load_ok(s, config, oci(json))
#define expect_error(json, message) unit_expect_error(config, oci(json), message)

static const char *env_of(const struct congo_spec *s, const char *name)
{
        for (size_t i = 0; i < s->n_env; i++)
                if (strcmp(s->env[i].name, name) == 0)
                        return s->env[i].value;
        return NULL;
}

START_TEST(maps_every_field)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD
                "\"hostname\": \"web\", \"domainname\": \"example.org\","
                "\"annotations\": {\"org.opencontainers.image.title\": \"demo\", \"a\": \"b\"},"
                "\"mounts\": ["
                "  {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
                "  {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\"},"
                "  {\"destination\": \"/data\", \"type\": \"none\", \"source\": \"rootfs\", \"options\": [\"rbind\", \"ro\"]},"
                "  {\"destination\": \"/run\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"size=16m\", \"nosuid\"]}],"
                "\"process\": {\"terminal\": true, \"args\": [\"/bin/sh\", \"-c\", \"true\"],"
                "  \"env\": [\"A=1\", \"B=x=y\"], \"cwd\": \"/tmp\","
                "  \"user\": {\"uid\": 1000, \"gid\": 100},"
                "  \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 512, \"hard\": 1024}],"
                "  \"noNewPrivileges\": true,"
                "  \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_CHOWN\"], \"permitted\": [\"CAP_CHOWN\", \"CAP_KILL\"],"
                "    \"effective\": [\"CAP_KILL\"], \"inheritable\": [\"CAP_KILL\"], \"ambient\": [\"CAP_KILL\"]}},"
                "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\"},"
                "  {\"type\": \"uts\"}, {\"type\": \"user\"}, {\"type\": \"cgroup\"}],"
                "  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
                "  \"gidMappings\": [{\"containerID\": 0, \"hostID\": 200000, \"size\": 10},"
                "                    {\"containerID\": 10, \"hostID\": 300000, \"size\": 5}],"
                "  \"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": 229,"
                "                \"fileMode\": 438, \"uid\": 0, \"gid\": 0}],"
                "  \"cgroupsPath\": \"/machine/web\","
                "  \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}],"
                "    \"memory\": {\"limit\": 536870912}, \"pids\": {\"limit\": 100},"
                "    \"cpu\": {\"shares\": 512, \"quota\": 150000, \"period\": 100000}},"
                "  \"maskedPaths\": [\"/proc/kcore\", \"/sys/firmware\"],"
                "  \"readonlyPaths\": [\"/proc/sys\", \"/proc/keys\"],"
                "  \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\","
                "    \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\"}]}}}");
        ck_assert_int_eq(s.version, 1);
        ck_assert_str_eq(s.rootfs, bundle[0] == '/' ? s.rootfs : "");
        ck_assert_ptr_nonnull(strstr(s.rootfs, "/rootfs"));
        ck_assert_ptr_nonnull(s.rootfs_rel.rel);   /* opened beneath the bundle */
        ck_assert_str_eq(s.hostname, "web");
        ck_assert_str_eq(s.domainname, "example.org");
        ck_assert_uint_eq(s.n_annotations, 2);
        ck_assert_str_eq(s.annotations[0].name, "org.opencontainers.image.title");
        ck_assert_str_eq(s.annotations[0].value, "demo");
        ck_assert_int_eq(s.terminal, CONGO_TTY_ON);
        ck_assert_str_eq(s.command[2], "true");
        ck_assert_str_eq(env_of(&s, "B"), "x=y");
        ck_assert_ptr_null(env_of(&s, "PATH"));   /* the whole environment */
        ck_assert_ptr_null(env_of(&s, "HOME"));
        ck_assert_str_eq(s.cwd, "/tmp");
        ck_assert_uint_eq(s.uid, 1000);
        ck_assert_uint_eq(s.gid, 100);
        ck_assert_uint_eq(s.limits.n_rlimits, 1);
        ck_assert_int_eq(s.limits.rlimits[0].resource, RLIMIT_NOFILE);
        ck_assert_uint_eq(s.limits.rlimits[0].soft, 512);
        ck_assert_uint_eq(s.limits.rlimits[0].hard, 1024);
        ck_assert(s.security.no_new_privileges);
        ck_assert_uint_eq(s.security.capabilities, (1ull << 5) | (1ull << 0));   /* KILL, CHOWN */
        /* The five sets, each its own. */
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_BOUNDING], (1ull << 5) | (1ull << 0));
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_PERMITTED], (1ull << 5) | (1ull << 0));
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_EFFECTIVE], 1ull << 5);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_INHERITABLE], 1ull << 5);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_AMBIENT], 1ull << 5);
        /* maskedPaths and readonlyPaths replace congo's lists. */
        ck_assert_str_eq(s.process.masked_paths[1], "/sys/firmware");
        ck_assert_ptr_null(s.process.masked_paths[2]);
        ck_assert_str_eq(s.process.readonly_paths[1], "/proc/keys");
        ck_assert_uint_eq(s.namespaces, CONGO_NS_MOUNT | CONGO_NS_NET | CONGO_NS_UTS |
                                        CONGO_NS_USER | CONGO_NS_CGROUP);
        ck_assert_uint_eq(s.n_uid_map, 1);
        ck_assert_uint_eq(s.uid_map[0].outside, 100000);
        ck_assert_uint_eq(s.n_gid_map, 2);
        ck_assert_uint_eq(s.gid_map[1].inside, 10);
        ck_assert_uint_eq(s.n_devices, 1);
        ck_assert_str_eq(s.devices[0].path, "/dev/fuse");
        ck_assert_uint_eq(s.devices[0].file_mode, 0666);
        ck_assert_uint_eq(s.devices[0].minor, 229);
        ck_assert_str_eq(s.cgroup_parent, "machine/web");
        ck_assert_uint_eq(s.limits.memory, 512u << 20);
        ck_assert_int_eq(s.limits.pids, 100);
        ck_assert_uint_eq(s.limits.cpu_shares, 512);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 150000);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_PROFILE);
        ck_assert_ptr_nonnull(s.security.seccomp_compiled);
        /* proc and devpts are congo's own; bind (rbind) and tmpfs are kept, in order. */
        ck_assert_uint_eq(s.n_mounts, 2);
        ck_assert_str_eq(s.mounts[0].target, "/data");
        ck_assert_int_eq(s.mounts[0].type, CONGO_MOUNT_BIND);
        ck_assert_ptr_nonnull(s.mounts[0].source_rel.rel);
        ck_assert_str_eq(s.mounts[1].target, "/run");
        ck_assert_int_eq(s.mounts[1].type, CONGO_MOUNT_TMPFS);
        ck_assert_str_eq(s.mounts[1].data, "size=16m");
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* mounts[]: every type by name, OCI's bind semantics (not recursive
 * unless rbind), its recursive flags, idmapped binds with the container's
 * maps, overlay directories beneath the bundle, cgroup as cgroup2, and
 * linux.rootfsPropagation. */
START_TEST(mounts_every_type_and_option)
{
        struct congo_spec s;
        char dir[256];

        make_bundle();
        snprintf(dir, sizeof dir, "%s/lower", bundle);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        load_ok(&s, HEAD PROC
                "\"mounts\": ["
                "  {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\", \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},"
                "  {\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\", \"options\": [\"nosuid\", \"relatime\", \"ro\"]},"
                "  {\"destination\": \"/b1\", \"type\": \"bind\", \"source\": \"/tmp\"},"
                "  {\"destination\": \"/b2\", \"type\": \"none\", \"source\": \"/tmp\", \"options\": [\"bind\", \"rro\", \"rprivate\"]},"
                "  {\"destination\": \"/b3\", \"source\": \"rootfs\", \"options\": [\"rbind\", \"rnosuid\", \"rslave\"],"
                "   \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
                "   \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]},"
                "  {\"destination\": \"/o\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=lower\"]},"
                "  {\"destination\": \"/p\", \"type\": \"proc\", \"source\": \"proc\"}],"
                "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}],"
                "  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
                "  \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
                "  \"rootfsPropagation\": \"rslave\"}}");
        ck_assert_uint_eq(s.n_mounts, 7);
        ck_assert_int_eq(s.mounts[0].type, CONGO_MOUNT_MQUEUE);
        ck_assert_str_eq(s.mounts[0].source, "mqueue");
        ck_assert_int_eq(s.mounts[1].type, CONGO_MOUNT_CGROUP2);
        ck_assert(s.mounts[1].flags & MS_RDONLY);
        ck_assert_int_eq(s.mounts[2].type, CONGO_MOUNT_BIND);
        ck_assert(!(s.mounts[2].flags & MS_REC));   /* OCI's bind: not recursive */
        ck_assert(!(s.mounts[3].flags & MS_REC));
        ck_assert(s.mounts[3].flags & MS_RDONLY);   /* rro */
        ck_assert_uint_eq(s.mounts[3].propagation, MS_PRIVATE | MS_REC);
        ck_assert(s.mounts[4].flags & MS_REC);
        ck_assert(s.mounts[4].flags & MS_NOSUID);
        ck_assert(s.mounts[4].idmap);
        ck_assert_uint_eq(s.mounts[4].propagation, MS_SLAVE | MS_REC);
        ck_assert_ptr_nonnull(s.mounts[4].source_rel.rel);   /* beneath the bundle */
        ck_assert_int_eq(s.mounts[5].type, CONGO_MOUNT_OVERLAY);
        ck_assert_str_eq(s.mounts[5].overlay.lower[0], dir);
        ck_assert_str_eq(s.mounts[5].overlay.lower_rel[0].rel, "lower");
        ck_assert_int_eq(s.mounts[6].type, CONGO_MOUNT_PROC);
        ck_assert_uint_eq(s.rootfs_propagation, MS_SLAVE | MS_REC);
        congo_spec_free(&s);
        /* A layer that leads out of the bundle. */
        expect_error(HEAD PROC "\"mounts\": [{\"destination\": \"/o\", \"type\": \"overlay\", "
                     "\"options\": [\"lowerdir=../..\"]}], " NS "}", "mounts[0].options:");
        remove_bundle();
}
END_TEST

/* The process and security fields: each to its congo key. */
START_TEST(maps_process_and_security_fields)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD
                "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"oomScoreAdj\": -100, \"env\": [\"PATH=/bin\", \"HOME=/h\"],"
                "  \"user\": {\"uid\": 1000, \"gid\": 1000, \"umask\": 18, \"additionalGids\": [5, 6]},"
                "  \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],"
                "    \"permitted\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"], \"effective\": [\"CAP_CHOWN\"],"
                "    \"inheritable\": [\"CAP_NET_BIND_SERVICE\"], \"ambient\": [\"CAP_NET_BIND_SERVICE\", \"CAP_KILL\"]}},"
                "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"network\"}, {\"type\": \"time\"}],"
                "  \"sysctl\": {\"kernel.shmmax\": \"65536\", \"net.ipv4.ip_forward\": \"1\"},"
                "  \"maskedPaths\": [\"/proc/kcore\", \"/etc/secret\"], \"readonlyPaths\": [],"
                "  \"personality\": {\"domain\": \"LINUX32\"},"
                "  \"timeOffsets\": {\"monotonic\": {\"secs\": -2, \"nanosecs\": 500000000}, \"boottime\": {\"secs\": 86400}}}}");
        ck_assert_int_eq(s.process.oom_score_adj, -100);
        ck_assert(s.process.oom_score_adj_set);
        ck_assert_uint_eq(s.process.umask, 022);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_BOUNDING], (1ull << 0) | (1ull << 5) | (1ull << 10));
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_EFFECTIVE], 1ull << 0);
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_INHERITABLE], 1ull << 10);
        /* CAP_KILL is not inheritable: left out of ambient, as crun and runc do. */
        ck_assert_uint_eq(s.process.caps[CONGO_CAPS_AMBIENT], 1ull << 10);
        ck_assert_uint_eq(s.process.n_sysctl, 2);
        ck_assert_str_eq(s.process.sysctl[0].name, "kernel.shmmax");
        ck_assert_str_eq(s.process.sysctl[1].value, "1");
        ck_assert_str_eq(s.process.masked_paths[1], "/etc/secret");
        ck_assert_ptr_nonnull(s.process.readonly_paths);
        ck_assert_ptr_null(s.process.readonly_paths[0]);   /* none: OCI's empty list */
        ck_assert_int_eq(s.process.personality, CONGO_PERS_LINUX32);
        ck_assert_int_eq(s.process.time_offsets[CONGO_TIME_MONOTONIC].secs, -2);
        ck_assert_uint_eq(s.process.time_offsets[CONGO_TIME_MONOTONIC].nanosecs, 500000000);
        ck_assert_int_eq(s.process.time_offsets[CONGO_TIME_BOOTTIME].secs, 86400);
        /* Printed as YAML, the same again. */
        char *out, yaml[160];
        size_t len;
        FILE *f = open_memstream(&out, &len);
        congo_spec_print(&s, f);
        fclose(f);
        congo_spec_free(&s);
        ck_assert_ptr_nonnull(strstr(out, "  capabilities_effective: [CAP_CHOWN]\n"));
        ck_assert_ptr_nonnull(strstr(out, "readonly_paths: []\n"));
        ck_assert_ptr_nonnull(strstr(out, "  monotonic: \"-1.500000000\"\n"));
        struct congo_spec y;
        char *errors, *again;
        struct congo_diag d = { NULL, 0 };
        snprintf(yaml, sizeof yaml, "%s/printed.yaml", bundle);
        congo_spec_init(&y, yaml);
        FILE *fe = open_memstream(&errors, &len);
        d.out = fe;
        congo_parse_yaml(&y, out, strlen(out), &d);
        congo_spec_finish(&y, &d);
        fclose(fe);
        ck_assert_msg(d.count == 0, "%s\n%s", errors, out);
        free(errors);
        f = open_memstream(&again, &len);
        congo_spec_print(&y, f);
        fclose(f);
        ck_assert_str_eq(out, again);
        free(out);
        free(again);
        congo_spec_free(&y);
        /* additionalGids, as numbers. */
        load_ok(&s, HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\","
                "  \"user\": {\"uid\": 1000, \"gid\": 1000, \"additionalGids\": [5, 6]}}, " NS "}");
        ck_assert_uint_eq(s.process.n_additional_gids, 2);
        ck_assert_uint_eq(s.process.additional_gids[1], 6);
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* What OCI means by leaving a field out, where congo's default differs. */
START_TEST(absent_means_what_oci_says)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD PROC NS "}");
        ck_assert_uint_eq(s.security.capabilities, 0);
        ck_assert(!s.security.no_new_privileges);
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_UNCONFINED);
        ck_assert_int_eq(s.terminal, CONGO_TTY_OFF);
        ck_assert_uint_eq(s.n_env, 0);
        ck_assert_uint_eq(s.namespaces & ~(unsigned)CONGO_NS_USER, CONGO_NS_MOUNT | CONGO_NS_PID);
        ck_assert_int_eq(s.network, CONGO_NET_HOST);   /* no network namespace */
        ck_assert_str_eq(s.name, strrchr(bundle, '/') + 1);   /* the bundle's name */
        congo_spec_free(&s);
        /* No namespaces at all: congo needs its mount namespace. */
        expect_error(HEAD PROC "\"linux\": {}}", "namespaces: mount is required");
        remove_bundle();
}
END_TEST

START_TEST(minus_one_is_unlimited)
{
        struct congo_spec s;
        char *out;
        size_t len;

        make_bundle();
        load_ok(&s, HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}],"
                "\"resources\": {\"pids\": {\"limit\": -1}, \"memory\": {\"limit\": -1},"
                "\"cpu\": {\"quota\": -1}}}}");
        ck_assert_int_lt(s.limits.pids, 0);
        ck_assert_uint_eq(s.limits.memory, 0);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 0);
        FILE *f = open_memstream(&out, &len);
        congo_spec_print(&s, f);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(out, "  pids: max\n"));
        free(out);
        congo_spec_free(&s);
        expect_error(HEAD PROC "\"linux\": {\"resources\": {\"memory\": {\"limit\": -5}}}}",
                     "linux.resources.memory.limit: -5 is negative (-1 means no limit)");
        remove_bundle();
}
END_TEST

/* Each refusal names its JSON path. */
START_TEST(refusals_name_their_json_path)
{
        static const char *const cases[][2] = {
                { "\"linux\": {\"intelRdt\": {\"closID\": \"x\"}}", "config.json: linux.intelRdt: not supported" },
                { "\"linux\": {\"rootfsPropagation\": \"sideways\"}", "linux.rootfsPropagation: rootfs_propagation: \"sideways\" is not" },
                /* The process and security fields: refused by the key's setter, after the JSON path. */
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"ipc\"}], \"sysctl\": {\"vm.swappiness\": \"1\"}}",
                  "config.json: linux.sysctl.vm.swappiness: sysctl: vm.swappiness: not namespaced, it would change the host" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"sysctl\": {\"net.ipv4.ip_forward\": \"1\"}}",
                  "config.json: linux.sysctl.net.ipv4.ip_forward: sysctl: net.ipv4.ip_forward: needs the net namespace" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"sysctl\": {\"kernel.shmmax\": 1}}",
                  "config.json: linux.sysctl.kernel.shmmax: expected a string" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"timeOffsets\": {\"monotonic\": {\"secs\": 1}}}",
                  "config.json: linux.timeOffsets.monotonic: time_offsets.monotonic: needs the time namespace" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"time\"}], \"timeOffsets\": {\"realtime\": {\"secs\": 1}}}",
                  "config.json: linux.timeOffsets.realtime: not a clock of the time namespace" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"time\"}], \"timeOffsets\": {\"boottime\": {\"secs\": 1, \"nanosecs\": 1000000000}}}",
                  "config.json: linux.timeOffsets.boottime: expected {secs: integer, nanosecs: 0 to 999999999}" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"personality\": {\"domain\": \"LINUX\", \"flags\": [\"x\"]}}",
                  "config.json: linux.personality.flags: not supported (no flag is defined)" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"personality\": {\"domain\": \"BSD\"}}",
                  "config.json: linux.personality.domain: personality: \"BSD\" is not linux or linux32" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"maskedPaths\": [\"etc/shadow\"]}",
                  "config.json: linux.maskedPaths: masked_paths: \"etc/shadow\" is not an absolute path" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"readonlyPaths\": [1]}",
                  "config.json: linux.readonlyPaths[0]: expected a string" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]}",
                  "config.json: linux.gidMappings: gid_map: the joined user namespace (namespace_paths.user) has its own maps" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"network\", \"path\": \"run/netns/x\"}]}",
                  "config.json: linux.namespaces[0].path: namespace_paths.net: \"run/netns/x\" is not an absolute path" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"uts\", \"path\": 5}]}",
                  "config.json: linux.namespaces[0].path: expected a string" },
                { "\"linux\": {\"namespaces\": [{\"type\": \"bogus\"}]}", "linux.namespaces[0]: type: expected pid, network" },
                { "\"linux\": {\"cgroupsPath\": \"system.slice:congo:web\"}", "linux.cgroupsPath: \"system.slice:congo:web\": the systemd form" },
                { "\"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"rwx\"}]}}",
                  "linux.resources.devices: [0]: expected {allow: BOOL, type: a|b|c, major, minor, access: of rwm}" },
                { "\"linux\": {\"resources\": {\"devices\": [{\"type\": \"c\", \"major\": 1, \"minor\": 3}]}}",
                  "linux.resources.devices: [0]: expected {allow: BOOL" },
                { "\"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"type\": \"c\", \"major\": 4096, \"minor\": 3}]}}",
                  "linux.resources.devices: device_rules: \"allow c 4096:3 rwm\" has a MAJOR:MINOR that is not * or a number" },
                { "\"linux\": {\"resources\": {\"memory\": {\"kernel\": 1024}}}", "linux.resources.memory.kernel: not supported yet" },
                { "\"linux\": {\"resources\": {\"blockIO\": {\"leafWeight\": 10}}}", "linux.resources.blockIO.leafWeight: not supported yet" },
                { "\"linux\": {\"resources\": {\"blockIO\": {\"weightDevice\": [{\"major\": 8, \"minor\": 0, \"weight\": 10}]}}}", "linux.resources.blockIO.weightDevice: not supported yet" },
                { "\"linux\": {\"resources\": {\"blockIO\": {\"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 1}]}}}", "linux.resources.blockIO.throttleReadBpsDevice: not supported yet" },
                { "\"linux\": {\"resources\": {\"network\": {\"classID\": 1}}}", "linux.resources.network: not supported yet" },
                { "\"linux\": {\"resources\": {\"rdma\": {\"mlx\": {}}}}", "linux.resources.rdma: not supported yet" },
                { "\"linux\": {\"memoryPolicy\": {\"mode\": \"MPOL_BIND\"}}", "linux.memoryPolicy: not supported yet" },
                { "\"linux\": {\"netDevices\": {\"eth0\": {}}}", "linux.netDevices: not supported yet" },
                { "\"mounts\": [{\"destination\": \"/x\", \"source\": \"/tmp\"}]",
                  "mounts[0]: type: expected a filesystem type (or a bind or rbind option)" },
                { "\"mounts\": [{\"destination\": \"/x\", \"type\": \"bind\"}]", "mounts[0]: source: expected a string" },
                { "\"mounts\": [{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"tmpcopyup\"]}]",
                  "mounts[0].options: \"tmpcopyup\": unknown option" },
                { "\"mounts\": [{\"destination\": \"/x\", \"type\": \"sysfs\", \"options\": [\"rw\"]}]",
                  "mounts[0].options: \"rw\": not allowed on this type" },
                { "\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/d\", \"options\": [\"bind\"],"
                  " \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}]}]",
                  "mounts[0]: uidMappings/gidMappings: only the container's own (linux.uidMappings, linux.gidMappings) are supported" },
                { "\"ociVersion\": \"2.0.0\"", "ociVersion: \"2.0.0\" is not supported (1.x is)" },
        };
        static const char *const process_cases[][2] = {
                { "\"user\": {\"uid\": -1, \"gid\": 0}", "process.user.uid: expected an integer from 0 to 4294967294" },
                { "\"scheduler\": {\"policy\": \"SCHED_OTHER\"}", "process.scheduler: not supported yet" },
                { "\"user\": {\"uid\": 0, \"gid\": 0, \"umask\": 512}", "process.user.umask: umask: \"1000\" is not an octal mode" },
                { "\"user\": {\"uid\": 0, \"gid\": 0, \"umask\": \"022\"}", "process.user.umask: expected an integer from 0" },
                { "\"user\": {\"uid\": 0, \"gid\": 0, \"additionalGids\": [\"5\"]}", "process.user.additionalGids[0]: expected an integer" },
                { "\"user\": {\"uid\": 0, \"gid\": 0, \"additionalGids\": [-5]}",
                  "process.user.additionalGids: additional_gids: \"-5\" is not a group id" },
                { "\"oomScoreAdj\": 1001", "process.oomScoreAdj: oom_score_adj: \"1001\" is not a number from -1000 to 1000" },
                { "\"capabilities\": {\"bounding\": [\"CAP_KILL\"], \"inheritable\": [\"CAP_SYS_ADMIN\"]}",
                  "config.json: process.capabilities.inheritable: security.capabilities_inheritable: CAP_SYS_ADMIN is not in the bounding set" },
                { "\"capabilities\": {\"ambient\": \"CAP_KILL\"}", "process.capabilities.ambient: expected an array of strings" },
                { "\"capabilities\": {\"bounding\": [\"CAP_KILL\"], \"effective\": [\"CAP_KILL\"]}",
                  "config.json: process.capabilities.effective: security.capabilities_effective: CAP_KILL is not in the permitted set" },
                { "\"ioPriority\": {\"class\": \"IOPRIO_CLASS_NONE\"}", "process.ioPriority: class: expected IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE" },
                { "\"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 8}", "process.ioPriority: priority: expected an integer from 0 to 7" },
                { "\"execCPUAffinity\": {\"initial\": \"0\"}", "process.execCPUAffinity: not supported yet" },
                { "\"terminal\": true, \"consoleSize\": {\"height\": 0, \"width\": 10}",
                  "process.consoleSize: height and width: expected integers from 1 to 65535" },
                { "\"terminal\": true, \"consoleSize\": {\"height\": 10, \"width\": 65536}",
                  "process.consoleSize: height and width: expected integers from 1 to 65535" },
                { "\"terminal\": true, \"consoleSize\": [10, 10]", "process.consoleSize: expected an object" },
                { "\"capabilities\": {\"bounding\": [\"CAP_NOPE\"]}", "unknown capability \"CAP_NOPE\"" },
                { "\"env\": [\"NOEQUALS\"]", "process.env[0]: \"NOEQUALS\" is not NAME=value" },
                { "\"rlimits\": [{\"type\": \"RLIMIT_BOGUS\", \"soft\": 1, \"hard\": 1}]",
                  "process.rlimits[0]: limits.rlimits: unknown resource \"bogus\"" },
                { "\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 10, \"hard\": 5}]",
                  "process.rlimits[0]: limits.rlimits.nofile: soft limit 10 is above the hard limit" },
                { "\"terminal\": \"yes\"", "process.terminal: expected a boolean" },
        };
        char json[1024];

        make_bundle();
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                if (strncmp(cases[i][0], "\"ociVersion\"", 12) == 0)
                        snprintf(json, sizeof json, "{%s, \"root\": {\"path\": \"rootfs\"}, " PROC NS "}",
                                 cases[i][0]);
                else if (strncmp(cases[i][0], "\"linux\"", 7) == 0)
                        snprintf(json, sizeof json, HEAD PROC "%s}", cases[i][0]);
                else
                        snprintf(json, sizeof json, HEAD PROC "%s, " NS "}", cases[i][0]);
                expect_error(json, cases[i][1]);
        }
        for (size_t i = 0; i < sizeof process_cases / sizeof process_cases[0]; i++) {
                snprintf(json, sizeof json, HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", %s}, " NS "}",
                         process_cases[i][0]);
                expect_error(json, process_cases[i][1]);
        }
        remove_bundle();
}
END_TEST

/* linux.namespaces[].path: joined, not made (namespace_paths), and
 * printed back as a YAML spec that says the same. */
START_TEST(namespace_paths_are_joined)
{
        struct congo_spec s;
        char *out;
        size_t len;

        make_bundle();
        load_ok(&s, HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"},"
                "{\"type\": \"network\", \"path\": \"/run/netns/blue\"}, {\"type\": \"uts\", \"path\": \"/proc/42/ns/uts\"},"
                "{\"type\": \"pid\", \"path\": \"\"}, {\"type\": \"ipc\", \"path\": null}]}}");
        ck_assert_uint_eq(s.namespaces, CONGO_NS_MOUNT | CONGO_NS_NET | CONGO_NS_UTS | CONGO_NS_PID | CONGO_NS_IPC);
        ck_assert_uint_eq(congo_spec_joined(&s), CONGO_NS_NET | CONGO_NS_UTS);
        ck_assert_str_eq(s.ns_paths[2], "/run/netns/blue");
        ck_assert_str_eq(s.ns_paths[0], "/proc/42/ns/uts");
        /* A joined uts namespace keeps its own host name. */
        ck_assert_ptr_null(s.hostname);
        FILE *f = open_memstream(&out, &len);
        congo_spec_print(&s, f);
        fclose(f);
        ck_assert_msg(strstr(out, "namespace_paths:\n  uts: \"/proc/42/ns/uts\"\n  net: \"/run/netns/blue\"\n"), "%s", out);
        free(out);
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* process.consoleSize: the pty's first size, with a terminal only. */
START_TEST(console_size_is_the_terminal_size)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"terminal\": true,"
                "\"consoleSize\": {\"height\": 33, \"width\": 101}}, " NS "}");
        ck_assert_str_eq(s.terminal_size, "33x101");
        ck_assert_uint_eq(s.tty_rows, 33);
        ck_assert_uint_eq(s.tty_cols, 101);
        congo_spec_free(&s);
        /* Without terminal: true the spec says to ignore it. */
        load_ok(&s, HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\","
                "\"consoleSize\": {\"height\": 0, \"width\": 0}}, " NS "}");
        ck_assert_ptr_null(s.terminal_size);
        congo_spec_free(&s);
        /* process.ioPriority: io_priority, the ioprio_set value. */
        load_ok(&s, HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\","
                "\"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 6}}, " NS "}");
        ck_assert_str_eq(s.io_priority, "be 6");
        ck_assert_int_eq(s.ioprio, (2 << 13) | 6);
        congo_spec_free(&s);
        load_ok(&s, HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\","
                "\"ioPriority\": {\"class\": \"IOPRIO_CLASS_IDLE\"}}, " NS "}");
        ck_assert_str_eq(s.io_priority, "idle 0");
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* linux.resources.devices: every rule, in order, to device_rules, as
 * containerd's default spec writes them; --print gives them back. */
START_TEST(device_rules_map_in_order)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}],"
                "\"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
                "{\"allow\": true, \"type\": \"c\", \"access\": \"m\"},"
                "{\"allow\": true, \"type\": \"b\", \"major\": -1, \"minor\": -1, \"access\": \"m\"},"
                "{\"allow\": true, \"type\": \"c\", \"major\": 5, \"minor\": 1, \"access\": \"rwm\"},"
                "{\"allow\": true, \"type\": \"c\", \"major\": 136, \"access\": \"rwm\"},"
                "{\"allow\": true, \"type\": \"c\", \"major\": 10, \"minor\": 200, \"access\": \"mwr\"},"
                "{\"allow\": false, \"type\": \"c\", \"major\": 10, \"minor\": 200, \"access\": \"w\"},"
                "{\"allow\": true, \"type\": \"a\"}]}}}");
        ck_assert_uint_eq(s.n_device_rules, 8);
        ck_assert(!s.device_rules[0].allow);
        ck_assert_int_eq(s.device_rules[0].type, 'a');
        ck_assert_int_eq(s.device_rules[0].access, CONGO_DEVACC_ALL);
        ck_assert_int_eq(s.device_rules[1].type, 'c');
        ck_assert_int_eq(s.device_rules[1].major, -1);
        ck_assert_int_eq(s.device_rules[1].access, CONGO_DEVACC_MKNOD);
        ck_assert_int_eq(s.device_rules[4].major, 136);
        ck_assert_int_eq(s.device_rules[4].minor, -1);
        ck_assert_int_eq(s.device_rules[6].access, CONGO_DEVACC_WRITE);
        ck_assert(s.device_rules[7].allow);
        char *out = NULL;
        size_t len;
        FILE *f = open_memstream(&out, &len);
        congo_spec_print(&s, f);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(out, "device_rules:\n  - \"deny a *:* rwm\"\n  - \"allow c *:* m\"\n"
                                          "  - \"allow b *:* m\"\n  - \"allow c 5:1 rwm\"\n  - \"allow c 136:* rwm\"\n"
                                          "  - \"allow c 10:200 rwm\"\n  - \"deny c 10:200 w\"\n  - \"allow a *:* rwm\"\n"));
        free(out);
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* buildah's cgroup mount asks for rw: noted, and read-only all the same. */
START_TEST(cgroup_mount_rw_stays_read_only)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD PROC "\"mounts\": [{\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\","
                "  \"options\": [\"rprivate\", \"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"rw\"]}], " NS "}");
        ck_assert_uint_eq(s.n_mounts, 1);
        ck_assert_int_eq(s.mounts[0].type, CONGO_MOUNT_CGROUP2);
        ck_assert(s.mounts[0].flags & MS_RDONLY);
        congo_spec_free(&s);
        /* A bind keeps rw: it is not the cgroup mount. */
        load_ok(&s, HEAD PROC "\"mounts\": [{\"destination\": \"/b\", \"type\": \"bind\", \"source\": \"/tmp\", \"options\": [\"rw\"]}], " NS "}");
        ck_assert(!(s.mounts[0].flags & MS_RDONLY));
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* hooks: every kind to its congo key, fields as given; a kind or a
 * property the specification does not define is ignored; every refusal
 * names its JSON path; --print gives YAML that prints the same. */
START_TEST(hooks_map_to_their_keys)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD PROC "\"hooks\": {"
                "\"prestart\": [{\"path\": \"/usr/bin/env\", \"args\": [\"env\", \"a b\"], \"env\": [\"A=1\"], \"timeout\": 5},"
                "               {\"path\": \"/bin/true\", \"vendor.extra\": 1}],"
                "\"createRuntime\": [{\"path\": \"/cr\"}], \"createContainer\": [{\"path\": \"/cc\"}],"
                "\"startContainer\": [{\"path\": \"/sc\", \"args\": null}], \"poststart\": [{\"path\": \"/ps\"}],"
                "\"poststop\": [{\"path\": \"/pp\", \"env\": []}], \"futureKind\": [{\"path\": \"/f\"}]}, " NS "}");
        ck_assert_uint_eq(s.n_hooks[CONGO_HOOK_PRESTART], 2);
        const struct congo_hook *h = &s.hooks[CONGO_HOOK_PRESTART][0];
        ck_assert_str_eq(h->path, "/usr/bin/env");
        ck_assert_str_eq(h->args[0], "env");
        ck_assert_str_eq(h->args[1], "a b");
        ck_assert_ptr_null(h->args[2]);
        ck_assert_str_eq(h->env[0], "A=1");
        ck_assert_ptr_null(h->env[1]);
        ck_assert_uint_eq(h->timeout, 5);
        ck_assert_str_eq(s.hooks[CONGO_HOOK_CREATE_RUNTIME][0].path, "/cr");
        ck_assert_str_eq(s.hooks[CONGO_HOOK_CREATE_CONTAINER][0].path, "/cc");
        ck_assert_str_eq(s.hooks[CONGO_HOOK_START_CONTAINER][0].path, "/sc");
        ck_assert_ptr_null(s.hooks[CONGO_HOOK_START_CONTAINER][0].args);
        ck_assert_str_eq(s.hooks[CONGO_HOOK_POSTSTART][0].path, "/ps");
        ck_assert_str_eq(s.hooks[CONGO_HOOK_POSTSTOP][0].path, "/pp");
        ck_assert_ptr_nonnull(s.hooks[CONGO_HOOK_POSTSTOP][0].env);
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                ck_assert_uint_eq(s.n_hooks[k], k == CONGO_HOOK_PRESTART ? 2 : 1);
        char *text;
        size_t len;
        FILE *f = open_memstream(&text, &len);
        congo_spec_print(&s, f);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(text, "hooks:\n  prestart:\n    - {path: \"/usr/bin/env\", args: [\"env\", \"a b\"], env: [\"A=1\"], timeout: 5}\n    - {path: \"/bin/true\"}\n"));
        ck_assert_ptr_nonnull(strstr(text, "  poststop:\n    - {path: \"/pp\", env: []}\n"));
        free(text);
        congo_spec_free(&s);

        load_ok(&s, HEAD PROC "\"hooks\": {\"prestart\": null, \"poststop\": []}, " NS "}");
        for (int k = 0; k < CONGO_HOOK_NKINDS; k++)
                ck_assert_uint_eq(s.n_hooks[k], 0);
        congo_spec_free(&s);

        expect_error(HEAD PROC "\"hooks\": [1], " NS "}", "config.json: hooks: expected an object");
        expect_error(HEAD PROC "\"hooks\": {\"poststop\": {\"path\": \"/x\"}}, " NS "}",
                     "config.json: hooks.poststop: expected an array");
        expect_error(HEAD PROC "\"hooks\": {\"poststop\": [\"/x\"]}, " NS "}",
                     "config.json: hooks.poststop[0]: expected an object");
        expect_error(HEAD PROC "\"hooks\": {\"createRuntime\": [{\"path\": 5}]}, " NS "}",
                     "config.json: hooks.createRuntime[0].path: expected a string");
        expect_error(HEAD PROC "\"hooks\": {\"createRuntime\": [{\"path\": \"rel/x\"}]}, " NS "}",
                     "config.json: hooks.createRuntime[0].path: hooks.create_runtime[0].path: \"rel/x\" is not an absolute path");
        expect_error(HEAD PROC "\"hooks\": {\"createRuntime\": [{\"args\": [\"x\"]}]}, " NS "}",
                     "hooks.create_runtime[0]: path is missing");
        expect_error(HEAD PROC "\"hooks\": {\"startContainer\": [{\"path\": \"/x\", \"timeout\": 0}]}, " NS "}",
                     "config.json: hooks.startContainer[0].timeout: hooks.start_container[0].timeout: \"0\" is not a number of seconds");
        expect_error(HEAD PROC "\"hooks\": {\"startContainer\": [{\"path\": \"/x\", \"timeout\": \"5\"}]}, " NS "}",
                     "config.json: hooks.startContainer[0].timeout: expected an integer");
        expect_error(HEAD PROC "\"hooks\": {\"poststart\": [{\"path\": \"/x\", \"env\": [\"NOEQUALS\"]}]}, " NS "}",
                     "hooks.poststart[0].env[0]: \"NOEQUALS\" is not NAME=VALUE");
        expect_error(HEAD PROC "\"hooks\": {\"poststart\": [{\"path\": \"/x\", \"args\": \"x\"}]}, " NS "}",
                     "config.json: hooks.poststart[0].args: expected an array of strings");
        expect_error(HEAD PROC "\"hooks\": {\"poststart\": [{\"path\": \"/x\", \"args\": [1]}]}, " NS "}",
                     "config.json: hooks.poststart[0].args[0]: expected a string");
        remove_bundle();
}
END_TEST

/* A value the spec model refuses: the JSON path, then the congo key. */
START_TEST(value_errors_name_the_json_path)
{
        make_bundle();
        expect_error(HEAD PROC "\"linux\": {\"resources\": {\"pids\": {\"limit\": 99999999}}}}",
                     "config.json: linux.resources.pids.limit: limits.pids: 99999999 is out of range");
        expect_error(HEAD PROC "\"hostname\": \"bad host\", " NS "}",
                     "config.json: hostname: hostname: \"bad host\" is not a valid host name");
        expect_error(HEAD PROC "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_NOPE\"}}}",
                     "linux.seccomp.defaultAction");
        expect_error("{\"root\": {\"path\": \"rootfs\"}, " PROC NS "}", "config.json: ociVersion: required key is missing");
        expect_error(HEAD NS "}", "command: required key is missing");
        expect_error(HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"relative\"}, " NS "}",
                     "config.json: process.cwd: cwd: \"relative\" is not an absolute path");
        expect_error(HEAD "\"process\": 5, " NS "}", "config.json: process: expected an object");
        remove_bundle();
}
END_TEST

START_TEST(syntax_errors_have_line_and_column)
{
        make_bundle();
        expect_error("{\n  \"ociVersion\": \"1.0.0\",\n  \"root\": {\"path\": }\n}", "config.json:3:");
        expect_error("{\"ociVersion\": \"1.0.0\", \"ociVersion\": \"1.0.0\"}", "duplicate object key");
        expect_error("[1, 2]", "the document is not a JSON object");
        remove_bundle();
}
END_TEST

/* Extensibility: properties the spec does not define are ignored. */
START_TEST(unknown_properties_are_ignored)
{
        struct congo_spec s;

        make_bundle();
        load_ok(&s, HEAD PROC "\"vendor.example\": {\"x\": 1}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}],"
                "\"futureThing\": true, \"resources\": {\"newController\": {}}}, \"windows\": {}}");
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* --print of a bundle is a YAML spec that prints the same. */
START_TEST(print_parses_back_as_yaml)
{
        struct congo_spec s, y;
        char *first, *second, *errors, yaml[160];
        size_t len;
        struct congo_diag d = { NULL, 0 };

        make_bundle();
        load_ok(&s, HEAD "\"hostname\": \"h\", \"annotations\": {\"k.x\": \"v\"},"
                "\"process\": {\"args\": [\"sh\", \"-c\", \"echo \\\"$A\\\"\"], \"cwd\": \"/\","
                "\"env\": [\"PATH=/bin\", \"HOME=/root\", \"A=1\"]},"
                "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"uts\"}],"
                "\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
                " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],"
                " \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
                " {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0,"
                " \"value\": 4294967295, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\"}]},"
                " {\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1,"
                " \"comment\": \"\\\"quoted\\\" \\u00e9\\n\"}]},"
                "\"resources\": {\"pids\": {\"limit\": -1}}}}");
        ck_assert_ptr_nonnull(s.security.seccomp_compiled);
        FILE *f = open_memstream(&first, &len);
        congo_spec_print(&s, f);
        fclose(f);
        congo_spec_free(&s);
        snprintf(yaml, sizeof yaml, "%s/printed.yaml", bundle);
        congo_spec_init(&y, yaml);
        FILE *fe = open_memstream(&errors, &len);
        d.out = fe;
        congo_parse_yaml(&y, first, strlen(first), &d);
        congo_spec_finish(&y, &d);
        fclose(fe);
        ck_assert_msg(d.count == 0, "%s\n%s", errors, first);
        free(errors);
        f = open_memstream(&second, &len);
        congo_spec_print(&y, f);
        fclose(f);
        ck_assert_str_eq(first, second);
        ck_assert_ptr_nonnull(strstr(first, "annotations:\n  \"k.x\": \"v\"\n"));
        /* The inline linux.seccomp: the same profile, compiled, from YAML. */
        ck_assert_int_eq(y.security.seccomp, CONGO_SECCOMP_PROFILE);
        ck_assert_ptr_nonnull(y.security.seccomp_compiled);
        ck_assert_ptr_nonnull(strstr(first, "  seccomp: {profile: {\"defaultAction\": \"SCMP_ACT_ERRNO\", "
                                            "\"defaultErrnoRet\": 38, "));
        free(first);
        free(second);
        congo_spec_free(&y);
        remove_bundle();
}
END_TEST

/* Long annotation names stay distinct (none is cut to collide). */
START_TEST(long_annotation_names)
{
        struct congo_spec s;
        char json[4096], name[1000];

        make_bundle();
        memset(name, 'k', sizeof name - 1);
        name[sizeof name - 1] = '\0';
        snprintf(json, sizeof json, HEAD PROC NS ", \"annotations\": {\"%s1\": \"a\", \"%s2\": \"b\"}}",
                 name, name);
        load_ok(&s, json);
        ck_assert_uint_eq(s.n_annotations, 2);
        congo_spec_free(&s);
        remove_bundle();
}
END_TEST

/* What attack1 found: values a bundle (and the image tool filling it)
 * can hold that congo read wrongly. */
START_TEST(hostile_bundle_values)
{
        struct congo_spec s;

        make_bundle();
        /* type "bind" without "bind" in options is a bind, not refused. */
        load_ok(&s, HEAD PROC NS ", \"mounts\": [{\"destination\": \"/m\", \"type\": \"bind\","
                    " \"source\": \"rootfs\", \"options\": [\"ro\"]}]}");
        ck_assert_uint_eq(s.n_mounts, 1);
        ck_assert_int_eq(s.mounts[0].type, CONGO_MOUNT_BIND);
        ck_assert(s.mounts[0].flags & MS_RDONLY);
        congo_spec_free(&s);
        /* A user namespace with one map: the other would map root's. */
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}],"
                     " \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]}}",
                     "config.json: linux.uidMappings: given without linux.gidMappings");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}],"
                     " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]}}",
                     "config.json: linux.gidMappings: given without linux.uidMappings");
        /* A duplicate names the first by its JSON path, not "line 0". */
        expect_error(HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"env\": [\"A=1\", \"B=2\", \"A=3\"]}, " NS "}",
                     "config.json: process.env[2]: env.A: duplicate key (first at process.env[0])");
        expect_error(HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"rlimits\": ["
                     "{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 1},"
                     " {\"type\": \"RLIMIT_NOFILE\", \"soft\": 2, \"hard\": 2}]}, " NS "}",
                     "process.rlimits[1]: limits.rlimits.nofile: duplicate key (first at process.rlimits[0])");
        remove_bundle();
}
END_TEST

/* An image's Env and Labels reach process.env and annotations by the
 * tens of thousands: each name is looked up among those set (to refuse a
 * duplicate), which was n^2 (60000 took 8 s; this tcase's timeout is 4 s)
 * and is n log n now.  The duplicate at the end is still found. */
static char *many_names(size_t n_env, size_t n_annotations, bool dup)
{
        char *json = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&json, &len);

        fputs(HEAD "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"env\": [", f);
        for (size_t i = 0; i < n_env; i++)
                fprintf(f, "%s\"E%zu=\"", i ? "," : "", i);
        fputs(dup ? ",\"E5=again\"]}, " NS ", \"annotations\": {" : "]}, " NS ", \"annotations\": {", f);
        for (size_t i = 0; i < n_annotations; i++)
                fprintf(f, "%s\"org.example.a%zu\": \"\"", i ? "," : "", i);
        fputs("}}", f);
        fclose(f);
        return json;
}

START_TEST(many_env_and_annotations)
{
        struct congo_spec s;
        char *json = many_names(60000, 20000, false);

        make_bundle();
        load_ok(&s, json);
        ck_assert_uint_eq(s.n_env, 60000);
        ck_assert_uint_eq(s.n_annotations, 20000);
        congo_spec_free(&s);
        free(json);
        json = many_names(60000, 20000, true);
        expect_error(json, "process.env[60000]: env.E5: duplicate key (first at process.env[5])");
        free(json);
        remove_bundle();
}
END_TEST

START_TEST(bundle_directory_names_config_json)
{
        char *file = congo_spec_file_for("/tmp");

        ck_assert_str_eq(file, "/tmp/config.json");
        free(file);
        file = congo_spec_file_for("/tmp/");
        ck_assert_str_eq(file, "/tmp/config.json");
        free(file);
        file = congo_spec_file_for("spec.yaml");
        ck_assert_str_eq(file, "spec.yaml");
        free(file);
        ck_assert_int_eq(congo_detect_format("b/config.json", "{}", 2), CONGO_FORMAT_OCI);
}
END_TEST

/* linux.resources beyond pids, memory.limit and cpu.shares: each field in
 * its congo key, OCI's -1 and "" as absent, refusals by JSON path. */
START_TEST(resources_map_to_their_keys)
{
        make_bundle();
        struct congo_spec s;
        load_ok(&s, HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {"
                "\"memory\": {\"limit\": 67108864, \"reservation\": 33554432, \"swap\": 100663296,"
                " \"swappiness\": 10, \"disableOOMKiller\": true},"
                "\"cpu\": {\"quota\": 25000, \"period\": 50000, \"realtimeRuntime\": 1000,"
                " \"realtimePeriod\": 10000, \"cpus\": \"0-1\", \"mems\": \"0\"},"
                "\"blockIO\": {\"weight\": 300},"
                "\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 4194304}, {\"pageSize\": \"1GB\", \"limit\": 0}],"
                "\"unified\": {\"memory.high\": \"50331648\", \"io.max\": \"8:0 rbps=1048576\"}}}}");
        ck_assert_uint_eq(s.limits.memory_reservation, 32u << 20);
        ck_assert_uint_eq(s.limits.memory_swap, 96u << 20);
        ck_assert_int_eq(s.limits.memory_swappiness, 10);
        ck_assert(s.limits.disable_oom_killer);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 25000);
        ck_assert_uint_eq(s.limits.cpu_period_us, 50000);
        ck_assert(s.limits.cpu_rt_set);
        ck_assert_uint_eq(s.limits.cpu_rt_runtime_us, 1000);
        ck_assert_uint_eq(s.limits.cpu_rt_period_us, 10000);
        ck_assert_str_eq(s.limits.cpuset_cpus, "0-1");
        ck_assert_str_eq(s.limits.cpuset_mems, "0");
        ck_assert_uint_eq(s.limits.blkio_weight, 300);
        ck_assert_uint_eq(s.limits.n_hugepages, 2);
        ck_assert_uint_eq(s.limits.hugepages[0].page_size, 2u << 20);
        ck_assert_uint_eq(s.limits.hugepages[0].limit, 4u << 20);
        ck_assert_uint_eq(s.limits.hugepages[1].page_size, 1u << 30);
        ck_assert_uint_eq(s.limits.n_unified, 2);
        ck_assert_str_eq(s.limits.unified[0].file, "memory.high");
        ck_assert_str_eq(s.limits.unified[1].value, "8:0 rbps=1048576");
        /* --print writes them as YAML keys. */
        char *out;
        size_t len;
        FILE *f = open_memstream(&out, &len);
        congo_spec_print(&s, f);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(out, "  cpu_quota: 25000\n  cpu_period: 50000\n"));
        ck_assert_ptr_nonnull(strstr(out, "  memory_swap: 96M\n"));
        ck_assert_ptr_nonnull(strstr(out, "  hugepages:\n    2MB: 4M\n    1GB: 0\n"));
        ck_assert_ptr_nonnull(strstr(out, "    memory.high: \"50331648\"\n"));
        free(out);
        congo_spec_free(&s);
        /* -1 is no limit (swap: unlimited), "" leaves a cpuset inherited. */
        load_ok(&s, HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"memory\": {\"limit\": 67108864, \"swap\": -1,"
                " \"reservation\": -1, \"swappiness\": -1}, \"cpu\": {\"quota\": -1, \"cpus\": \"\", \"mems\": \"\"}}}}");
        ck_assert_uint_eq(s.limits.memory_swap, CONGO_UNLIMITED);
        ck_assert_uint_eq(s.limits.memory_reservation, 0);
        ck_assert_int_eq(s.limits.memory_swappiness, -1);
        ck_assert_uint_eq(s.limits.cpu_quota_us, 0);
        ck_assert_ptr_null(s.limits.cpuset_cpus);
        ck_assert_ptr_null(s.limits.cpuset_mems);
        congo_spec_free(&s);
        /* cpu.shares and blockIO.weight 0 are none (docker writes them
         * so), as runc reads them. */
        load_ok(&s, HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"blockIO\": {\"weight\": 0},"
                "\"cpu\": {\"shares\": 0}}}}");
        ck_assert_uint_eq(s.limits.blkio_weight, 0);
        ck_assert_uint_eq(s.limits.cpu_shares, 0);
        congo_spec_free(&s);
        /* Refusals: the JSON path, then congo's key and why. */
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"blockIO\": {\"weight\": 5}}}}",
                     "linux.resources.blockIO.weight: limits.blkio_weight: 5 is out of range (10 to 1000)");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"memory\": {\"swappiness\": 200}}}}",
                     "linux.resources.memory.swappiness: limits.memory_swappiness: 200 is out of range (0 to 100)");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"memory\": {\"swap\": 1048576}}}}",
                     "limits.memory_swap: needs limits.memory");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"cpu\": {\"cpus\": \"3-1\"}}}}",
                     "linux.resources.cpu.cpus: limits.cpuset_cpus: \"3-1\" is not a list of CPUs");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"cpu\": {\"cpus\": 3}}}}",
                     "linux.resources.cpu.cpus: expected a string");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"hugepageLimits\": [{\"pageSize\": \"3MB\", \"limit\": 1}]}}}",
                     "linux.resources.hugepageLimits[0]: limits.hugepages: \"3MB\" is not a huge page size");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"hugepageLimits\": [{\"pageSize\": \"2MB\"}]}}}",
                     "linux.resources.hugepageLimits[0]: limit: expected an integer from 0");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"hugepageLimits\": {\"2MB\": 1}}}}",
                     "linux.resources.hugepageLimits: expected an array");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"unified\": {\"cgroup.procs\": \"1\"}}}}",
                     "linux.resources.unified.cgroup.procs: limits.unified: \"cgroup.procs\" is congo's to write, not the spec's");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"unified\": {\"../x.y\": \"1\"}}}}",
                     "is not a cgroup file name");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"unified\": {\"memory.high\": 5}}}}",
                     "linux.resources.unified.memory.high: expected a string");
        expect_error(HEAD PROC "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": {\"unified\": [1]}}}",
                     "linux.resources.unified: expected an object");
        remove_bundle();
}
END_TEST

int main(void)
{
        Suite *s = suite_create("oci");
        TCase *tc = tcase_create("oci");

        tcase_add_test(tc, maps_every_field);
        tcase_add_test(tc, mounts_every_type_and_option);
        tcase_add_test(tc, maps_process_and_security_fields);
        tcase_add_test(tc, absent_means_what_oci_says);
        tcase_add_test(tc, minus_one_is_unlimited);
        tcase_add_test(tc, refusals_name_their_json_path);
        tcase_add_test(tc, value_errors_name_the_json_path);
        tcase_add_test(tc, namespace_paths_are_joined);
        tcase_add_test(tc, device_rules_map_in_order);
        tcase_add_test(tc, cgroup_mount_rw_stays_read_only);
        tcase_add_test(tc, console_size_is_the_terminal_size);
        tcase_add_test(tc, hooks_map_to_their_keys);
        tcase_add_test(tc, syntax_errors_have_line_and_column);
        tcase_add_test(tc, unknown_properties_are_ignored);
        tcase_add_test(tc, print_parses_back_as_yaml);
        tcase_add_test(tc, long_annotation_names);
        tcase_add_test(tc, bundle_directory_names_config_json);
        tcase_add_test(tc, resources_map_to_their_keys);
        tcase_add_test(tc, hostile_bundle_values);
        suite_add_tcase(s, tc);
        TCase *scale = tcase_create("scale");
        tcase_set_timeout(scale, 4);
        tcase_add_test(scale, many_env_and_annotations);
        suite_add_tcase(s, scale);
        return run_suite(s);
}
