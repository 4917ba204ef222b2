/* oci_rows.c - the OCI front end's table: what becomes of every JSON path
 * the runtime spec defines for Linux (config.md, config-linux.md).  Each
 * row maps a path to a congo key, as a scalar or through a converter
 * (oci_convert_*.c), refuses it with a one-line error naming the path, or
 * notes it at -v where the spec lets a runtime pass.  Adding a mapping is
 * one row; parse_oci.c walks the table. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oci_internal.h"

/* ---- the kinds of row that need no converter of their own ------------- */

int oci_refuse(struct oci *o, const struct oci_row *r, json_t *v)
{
        if (oci_is_empty(v))
                return 0;
        return oci_fail(o, r->json, "%s", r->why);
}

int oci_note(struct oci *o, const struct oci_row *r, json_t *v)
{
        (void)v;
        congo_info("%s: %s: %s", o->file, r->json, r->why);
        return 0;
}

/* An LSM field: refused where the LSM is on (congo cannot apply it), noted
 * and passed where it is not, as a runtime without the LSM does. */
int oci_lsm(struct oci *o, const struct oci_row *r, json_t *v)
{
        bool selinux = strstr(r->json, "selinux") || strstr(r->json, "mountLabel");
        const char *probe = selinux ? "/sys/fs/selinux/enforce"
                                    : "/sys/module/apparmor/parameters/enabled";
        char flag = 'N';
        FILE *f;

        if (oci_is_empty(v))
                return 0;
        if ((f = fopen(probe, "re")) != NULL) {
                flag = selinux ? 'Y' : (char)fgetc(f);
                fclose(f);
        }
        if (flag == 'Y')
                return oci_fail(o, r->json, "not supported (%s is enabled on this host and congo cannot apply a label or profile)",
                            selinux ? "SELinux" : "AppArmor");
        congo_info("%s: %s: %s is not enabled on this host; ignored", o->file, r->json,
                   selinux ? "SELinux" : "AppArmor");
        return 0;
}

/* ---- the table ----------------------------------------------------------- */

/* MAP: a scalar of JSON type t ('s', 'i', 'b') as text to congo key k;
 * CONV: through converter f; ..._OR: with OCI's meaning of leaving it out. */
#define MAP(j, k, t)          { .json = j, .key = k, .type = t }
#define MAP_OR(j, k, t, a)    { .json = j, .key = k, .type = t, .absent = a }
#define CONV(j, k, f)         { .json = j, .key = k, .conv = f }
#define CONV_OR(j, k, f, a)   { .json = j, .key = k, .conv = f, .absent = a }
#define REFUSE(j, w)          { .json = j, .conv = oci_refuse, .why = w }
#define NOTE(j, w)            { .json = j, .conv = oci_note, .why = w }
#define LSM(j)                { .json = j, .conv = oci_lsm }
#define NOT_YET "not supported yet"

const struct oci_row oci_rows[] = {
        CONV("ociVersion", "version", oci_conv_version),
        MAP("root.path", "rootfs", 's'),
        MAP("root.readonly", "readonly_rootfs", 'b'),
        CONV("mounts", "mounts", oci_conv_mounts),
        MAP("hostname", "hostname", 's'),
        MAP("domainname", "domainname", 's'),
        CONV("annotations", "annotations", oci_conv_annotations),
        /* process */
        MAP_OR("process.terminal", "terminal", 'b', "false"),
        CONV("process.args", "command", oci_conv_strings),
        CONV_OR("process.env", "env", oci_conv_env, ""),
        MAP("process.cwd", "cwd", 's'),
        CONV("process.user.uid", "user", oci_conv_id),
        CONV("process.user.gid", "user", oci_conv_id),
        CONV("process.user.umask", "umask", oci_conv_int_base),
        CONV("process.user.additionalGids", "additional_gids", oci_conv_ints),
        NOTE("process.user.username", "a Windows field; ignored"),
        NOTE("process.commandLine", "a Windows field; ignored"),
        CONV("process.rlimits", "limits.rlimits", oci_conv_rlimits),
        MAP_OR("process.noNewPrivileges", "security.no_new_privileges", 'b', "false"),
        CONV_OR("process.capabilities", "security.capabilities", oci_conv_caps, ""),
        LSM("process.apparmorProfile"),
        LSM("process.selinuxLabel"),
        CONV("process.consoleSize", "terminal_size", oci_conv_console_size),
        MAP("process.oomScoreAdj", "oom_score_adj", 'i'),
        REFUSE("process.scheduler", NOT_YET),
        CONV("process.ioPriority", "io_priority", oci_conv_io_priority),
        REFUSE("process.execCPUAffinity", NOT_YET),
        /* hooks */
        CONV("hooks", "hooks", oci_conv_hooks),
        /* linux */
        CONV_OR("linux.namespaces", "namespaces", oci_conv_namespaces, ""),
        CONV("linux.uidMappings", "uid_map", oci_conv_idmap),
        CONV("linux.gidMappings", "gid_map", oci_conv_idmap),
        CONV("linux.timeOffsets", "time_offsets", oci_conv_time_offsets),
        CONV("linux.devices", "devices", oci_conv_devices),
        CONV("linux.cgroupsPath", "cgroup_parent", oci_conv_cgroups_path),
        CONV("linux.resources.devices", "device_rules", oci_conv_device_rules),
        CONV("linux.resources.memory.limit", "limits.memory", oci_conv_limit),
        CONV("linux.resources.memory.reservation", "limits.memory_reservation", oci_conv_limit),
        CONV("linux.resources.memory.swap", "limits.memory_swap", oci_conv_swap),
        REFUSE("linux.resources.memory.kernel", NOT_YET),
        REFUSE("linux.resources.memory.kernelTCP", NOT_YET),
        CONV("linux.resources.memory.swappiness", "limits.memory_swappiness", oci_conv_limit),
        MAP("linux.resources.memory.disableOOMKiller", "limits.disable_oom_killer", 'b'),
        REFUSE("linux.resources.memory.useHierarchy", NOT_YET),
        REFUSE("linux.resources.memory.checkBeforeUpdate", NOT_YET),
        CONV("linux.resources.cpu.shares", "limits.cpu_shares", oci_conv_zero_unset),
        CONV("linux.resources.cpu.quota", "limits.cpu_quota", oci_conv_limit),
        CONV("linux.resources.cpu.period", "limits.cpu_period", oci_conv_limit),
        REFUSE("linux.resources.cpu.burst", NOT_YET),
        CONV("linux.resources.cpu.realtimeRuntime", "limits.cpu_rt_runtime", oci_conv_limit),
        CONV("linux.resources.cpu.realtimePeriod", "limits.cpu_rt_period", oci_conv_limit),
        CONV("linux.resources.cpu.cpus", "limits.cpuset_cpus", oci_conv_cpuset),
        CONV("linux.resources.cpu.mems", "limits.cpuset_mems", oci_conv_cpuset),
        REFUSE("linux.resources.cpu.idle", NOT_YET),
        CONV("linux.resources.pids.limit", "limits.pids", oci_conv_limit),
        CONV("linux.resources.blockIO.weight", "limits.blkio_weight", oci_conv_zero_unset),
        REFUSE("linux.resources.blockIO.leafWeight", NOT_YET),
        REFUSE("linux.resources.blockIO.weightDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleReadBpsDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleWriteBpsDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleReadIOPSDevice", NOT_YET),
        REFUSE("linux.resources.blockIO.throttleWriteIOPSDevice", NOT_YET),
        CONV("linux.resources.hugepageLimits", NULL, oci_conv_hugepages),
        REFUSE("linux.resources.network", NOT_YET),
        REFUSE("linux.resources.rdma", NOT_YET),
        CONV("linux.resources.unified", NULL, oci_conv_unified),
        REFUSE("linux.intelRdt", "not supported"),
        CONV("linux.sysctl", "sysctl", oci_conv_sysctl),
        CONV_OR("linux.seccomp", "security.seccomp", oci_conv_seccomp, "unconfined"),
        MAP("linux.rootfsPropagation", "rootfs_propagation", 's'),
        CONV("linux.maskedPaths", "masked_paths", oci_conv_strings),
        CONV("linux.readonlyPaths", "readonly_paths", oci_conv_strings),
        LSM("linux.mountLabel"),
        CONV("linux.personality", "personality", oci_conv_personality),
        REFUSE("linux.memoryPolicy", NOT_YET),
        REFUSE("linux.netDevices", NOT_YET),
};
const size_t oci_n_rows = sizeof oci_rows / sizeof oci_rows[0];
