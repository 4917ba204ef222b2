/* info.c - the commands that need no container: spec (a default
 * config.json, runc's, for a bundle) and features (what this runtime
 * implements, runtime-spec 1.1 features.md). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"

/* The process, root and mounts common to both forms of the default:
 * runc's, less the mqueue and cgroup mounts, which the OCI front end
 * does not take yet (a default that did not run would be no default). */
#define SPEC_HEAD(TERMINAL) \
        "{\n" \
        "  \"ociVersion\": \"1.1.0\",\n" \
        "  \"process\": {\n" \
        "    \"terminal\": " TERMINAL ",\n" \
        "    \"user\": { \"uid\": 0, \"gid\": 0 },\n" \
        "    \"args\": [ \"sh\" ],\n" \
        "    \"env\": [ \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"TERM=xterm\" ],\n" \
        "    \"cwd\": \"/\",\n" \
        "    \"capabilities\": {\n" \
        "      \"bounding\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n" \
        "      \"effective\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n" \
        "      \"permitted\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n" \
        "      \"ambient\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ]\n" \
        "    },\n" \
        "    \"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 } ],\n" \
        "    \"noNewPrivileges\": true\n" \
        "  },\n" \
        "  \"root\": { \"path\": \"rootfs\", \"readonly\": true },\n" \
        "  \"hostname\": \"congo\",\n" \
        "  \"mounts\": [\n" \
        "    { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n" \
        "    { \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n" \
        "      \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },\n" \
        "    { \"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\",\n" \
        "      \"options\": [ \"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\" ] },\n" \
        "    { \"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\",\n" \
        "      \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\" ] },\n"

#define SPEC_MASKED \
        "    \"maskedPaths\": [ \"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\",\n" \
        "      \"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\",\n" \
        "      \"/sys/firmware\", \"/proc/scsi\" ],\n" \
        "    \"readonlyPaths\": [ \"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\",\n" \
        "      \"/proc/sysrq-trigger\" ]\n"

static const char spec_root[] = SPEC_HEAD("true")
        "    { \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\",\n"
        "      \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] }\n"
        "  ],\n"
        "  \"linux\": {\n"
        "    \"resources\": { \"devices\": [ { \"allow\": false, \"access\": \"rwm\" } ] },\n"
        "    \"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"network\" }, { \"type\": \"ipc\" },\n"
        "      { \"type\": \"uts\" }, { \"type\": \"mount\" }, { \"type\": \"cgroup\" } ],\n"
        SPEC_MASKED
        "  }\n"
        "}\n";

static const char spec_rootless[] = SPEC_HEAD("true")
        "    { \"destination\": \"/sys\", \"type\": \"none\", \"source\": \"/sys\",\n"
        "      \"options\": [ \"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] }\n"
        "  ],\n"
        "  \"linux\": {\n"
        "    \"uidMappings\": [ { \"containerID\": 0, \"hostID\": %u, \"size\": 1 } ],\n"
        "    \"gidMappings\": [ { \"containerID\": 0, \"hostID\": %u, \"size\": 1 } ],\n"
        "    \"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"ipc\" }, { \"type\": \"uts\" },\n"
        "      { \"type\": \"mount\" }, { \"type\": \"cgroup\" }, { \"type\": \"user\" } ],\n"
        SPEC_MASKED
        "  }\n"
        "}\n";

int congo_rt_spec(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option longopts[] = {
                { "bundle", required_argument, NULL, 'b' },
                { "rootless", no_argument, NULL, 'r' },
                { 0 },
        };
        const char *bundle = ".";
        bool rootless = false;
        char text[8192];
        struct stat st;
        int c;

        (void)rt;
        while ((c = congo_rt_getopt(argc, argv, "b:", longopts)) != -1) {
                if (c == 'b')
                        bundle = optarg;
                else
                        rootless = true;
        }
        if (optind != argc) {
                congo_rt_error("spec: takes no argument");
                return CONGO_RT_FAILURE;
        }
        int dirfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0) {
                congo_rt_error("spec: %s: %s", bundle, strerror(errno));
                return CONGO_RT_FAILURE;
        }
        if (fstatat(dirfd, "config.json", &st, AT_SYMLINK_NOFOLLOW) == 0) {
                congo_rt_error("spec: %s/config.json exists: remove it first", bundle);
                close(dirfd);
                return CONGO_RT_FAILURE;
        }
        if (rootless)
                snprintf(text, sizeof text, spec_rootless, (unsigned)getuid(), (unsigned)getgid());
        else
                snprintf(text, sizeof text, "%s", spec_root);
        int rc = congo_rt_write_file(dirfd, "config.json", text);
        if (rc < 0)
                congo_rt_error("spec: writing %s/config.json: %s", bundle, strerror(errno));
        close(dirfd);
        return rc < 0 ? CONGO_RT_FAILURE : 0;
}

int congo_rt_features(const struct congo_rt *rt, int argc, char **argv)
{
        static const struct option none[] = { { 0 } };

        (void)rt;
        if (congo_rt_getopt(argc, argv, "", none) != -1 || optind != argc) {
                congo_rt_error("features: takes no argument");
                return CONGO_RT_FAILURE;
        }
        /* Only what is implemented: a client that reads this decides on it. */
        fputs("{\n"
              "  \"ociVersionMin\": \"1.0.0\",\n"
              "  \"ociVersionMax\": \"1.1.0\",\n"
              "  \"hooks\": [],\n"
              "  \"mountOptions\": [ \"bind\", \"rbind\", \"ro\", \"rw\", \"nosuid\", \"suid\", \"nodev\", \"dev\",\n"
              "    \"noexec\", \"exec\", \"private\", \"rprivate\", \"shared\", \"rshared\", \"slave\", \"rslave\" ],\n"
              "  \"linux\": {\n"
              "    \"namespaces\": [ \"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", \"time\", \"user\", \"uts\" ],\n"
              "    \"capabilities\": [ \"CAP_CHOWN\", \"CAP_DAC_OVERRIDE\", \"CAP_DAC_READ_SEARCH\", \"CAP_FOWNER\",\n"
              "      \"CAP_FSETID\", \"CAP_KILL\", \"CAP_SETGID\", \"CAP_SETUID\", \"CAP_SETPCAP\",\n"
              "      \"CAP_LINUX_IMMUTABLE\", \"CAP_NET_BIND_SERVICE\", \"CAP_NET_BROADCAST\", \"CAP_NET_ADMIN\",\n"
              "      \"CAP_NET_RAW\", \"CAP_IPC_LOCK\", \"CAP_IPC_OWNER\", \"CAP_SYS_MODULE\", \"CAP_SYS_RAWIO\",\n"
              "      \"CAP_SYS_CHROOT\", \"CAP_SYS_PTRACE\", \"CAP_SYS_PACCT\", \"CAP_SYS_ADMIN\", \"CAP_SYS_BOOT\",\n"
              "      \"CAP_SYS_NICE\", \"CAP_SYS_RESOURCE\", \"CAP_SYS_TIME\", \"CAP_SYS_TTY_CONFIG\", \"CAP_MKNOD\",\n"
              "      \"CAP_LEASE\", \"CAP_AUDIT_WRITE\", \"CAP_AUDIT_CONTROL\", \"CAP_SETFCAP\",\n"
              "      \"CAP_MAC_OVERRIDE\", \"CAP_MAC_ADMIN\", \"CAP_SYSLOG\", \"CAP_WAKE_ALARM\",\n"
              "      \"CAP_BLOCK_SUSPEND\", \"CAP_AUDIT_READ\", \"CAP_PERFMON\", \"CAP_BPF\",\n"
              "      \"CAP_CHECKPOINT_RESTORE\" ],\n"
              "    \"cgroup\": { \"v1\": true, \"v2\": true, \"systemd\": false, \"systemdUser\": false },\n"
              "    \"seccomp\": {\n"
              "      \"enabled\": true,\n"
              "      \"actions\": [ \"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\",\n"
              "        \"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", \"SCMP_ACT_LOG\", \"SCMP_ACT_TRAP\" ],\n"
              "      \"operators\": [ \"SCMP_CMP_EQ\", \"SCMP_CMP_GE\", \"SCMP_CMP_GT\", \"SCMP_CMP_LE\",\n"
              "        \"SCMP_CMP_LT\", \"SCMP_CMP_MASKED_EQ\", \"SCMP_CMP_NE\" ],\n"
              "      \"archs\": [ \"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\", \"SCMP_ARCH_AARCH64\" ]\n"
              "    },\n"
              "    \"apparmor\": { \"enabled\": false },\n"
              "    \"selinux\": { \"enabled\": false }\n"
              "  },\n"
              "  \"annotations\": { \"org.congo.runtime.hold\": \"exec.fifo\" }\n"
              "}\n", stdout);
        return 0;
}
