/* seccomp_rules.c - the default seccomp profile, in the spirit of docker's and
 * podman's: the process keeps every ordinary syscall, and gets EPERM for
 * the ones that reach past the container (mounts, namespaces, kernel
 * keyring, modules, clocks, raw I/O, ...).  Syscalls of other ABIs (i386,
 * x32 on x86_64) are killed: libseccomp's filter is for the native
 * architecture only.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "seccomp_rules.h"

const char *const congo_seccomp_denied[] = {
        "mount", "umount", "umount2", "pivot_root", "fsopen", "fsconfig",
        "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
        "unshare", "setns", "keyctl", "add_key", "request_key", "bpf",
        "perf_event_open", "kexec_load", "kexec_file_load", "init_module",
        "finit_module", "delete_module", "create_module", "open_by_handle_at",
        "userfaultfd", "swapon", "swapoff", "reboot", "acct", "settimeofday",
        "stime", "clock_settime", "clock_adjtime", "adjtimex", "iopl", "ioperm",
        "syslog", "quotactl", "quotactl_fd", "lookup_dcookie", "nfsservctl",
        "uselib", "vhangup", "_sysctl", "sysfs", "get_kernel_syms",
        "query_module", "vm86", "vm86old", "name_to_handle_at",
        NULL,
};

/* io_uring runs work in kernel threads that seccomp never sees, and its
 * history of kernel bugs is why docker's, podman's and ChromeOS's default
 * profiles refuse it.  ENOSYS, as on a kernel built without it, so that
 * programs (liburing users, QEMU, new coreutils) fall back to read/write. */
static const char *const enosys[] = {
        "io_uring_setup", "io_uring_enter", "io_uring_register", NULL,
};

/* Socket families: an allowlist.  Every family is its own kernel subsystem,
 * most are loaded as a module by the first socket() of that family (from
 * inside the container, on the host's kernel), and the rarely used ones
 * are where the bugs were: AF_ALG, AF_RDS, AF_TIPC, AF_CAN, AF_BLUETOOTH,
 * AF_NFC, AF_X25, AF_KEY, AF_PACKET's neighbours.  Some are not
 * namespaced at all: AF_VSOCK binds ports the host then cannot, and
 * reaches the hypervisor; AF_QIPCRTR talks to modem firmware.  docker and
 * podman deny only AF_VSOCK; a container that needs more than unix, IP,
 * netlink (ip, ss) and packet (DHCP clients; it still needs CAP_NET_RAW)
 * is rare enough to ask for `seccomp: unconfined`.  The rest get
 * EAFNOSUPPORT, what a kernel without the family answers. */
static const int allowed_families[] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET };

static bool family_allowed(int f)
{
        for (size_t i = 0; i < sizeof allowed_families / sizeof allowed_families[0]; i++)
                if (allowed_families[i] == f)
                        return true;
        return false;
}

/* A rule may test an argument once, so "not in the allowlist" is every
 * refused value below the largest allowed one, then everything above it.
 * The comparison is on all 64 bits: a family with high bits set is above
 * the largest and refused, though the kernel would read only the low 32. */
static int add_socket_families(scmp_filter_ctx ctx)
{
        static const char *const calls[] = { "socket", "socketpair" };
        int top = 0, rc = 0;

        for (size_t i = 0; i < sizeof allowed_families / sizeof allowed_families[0]; i++)
                if (allowed_families[i] > top)
                        top = allowed_families[i];
        for (size_t c = 0; c < sizeof calls / sizeof calls[0]; c++) {
                int nr = seccomp_syscall_resolve_name(calls[c]);
                if (nr == __NR_SCMP_ERROR)
                        continue;
                for (int f = 0; f < top; f++)
                        if (!family_allowed(f))
                                rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
                                                       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)f));
                rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
                                       SCMP_A0(SCMP_CMP_GT, (scmp_datum_t)top));
        }
        return rc;
}

static const unsigned long ns_flags[] = {
        CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
        CLONE_NEWNET, CLONE_NEWCGROUP,
#ifdef CLONE_NEWTIME
        CLONE_NEWTIME,
#endif
};

static int add_rules(scmp_filter_ctx ctx)
{
        int rc = 0;

        for (const char *const *name = congo_seccomp_denied; *name; name++) {
                int nr = seccomp_syscall_resolve_name(*name);
                if (nr == __NR_SCMP_ERROR)
                        continue;   /* not a syscall on this architecture */
                rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
        }
        for (const char *const *name = enosys; *name; name++) {
                int nr = seccomp_syscall_resolve_name(*name);
                if (nr != __NR_SCMP_ERROR)
                        rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
        }
        rc |= add_socket_families(ctx);
        /* clone() may make threads and processes, not namespaces. */
        for (size_t i = 0; i < sizeof ns_flags / sizeof ns_flags[0]; i++)
                rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                       SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
        /* clone3's flags live in memory seccomp cannot read: ENOSYS makes
         * libc fall back to clone(), which the rules above check. */
        rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
        /* TIOCSTI/TIOCLINUX push input into another's terminal.  The
         * kernel reads the request as 32 bits: compare those, so high bits
         * set in the register cannot slip past. */
        rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                               SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
        rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                               SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));
        return rc;
}

/* personality(): only what docker allows: PER_LINUX (0), PER_LINUX32
 * (0x8), UNAME26 (0x20000), both (0x20008), and 0xffffffff, the query,
 * compared on the 32 bits the kernel reads; EPERM for any other value.
 * Not a libseccomp rule: a rule tests an argument once, so "not one of
 * these" took sixty rules, one per bit (185 of 318 instructions); the
 * generator checks these values in a prelude of its own (seccomp_gen.c). */
const uint32_t congo_seccomp_personalities[] = { 0, 0x8, 0x20000, 0x20008, 0xffffffff };
const size_t congo_seccomp_n_personalities =
        sizeof congo_seccomp_personalities / sizeof congo_seccomp_personalities[0];

scmp_filter_ctx congo_seccomp_rules(void)
{
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

        if (ctx == NULL)
                return NULL;
        /* The spec decides about no_new_privs, not libseccomp. */
        if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) != 0 ||
            seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0 ||
            add_rules(ctx) != 0) {
                seccomp_release(ctx);
                return NULL;
        }
        return ctx;
}
