/* probe.c - a static helper copied into the test rootfs: each subcommand
 * tries one way out of the container and prints "ok" if the kernel let
 * it, or the errno name if it did not. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static int report(long rc)
{
        if (rc >= 0)
                puts("ok");
        else
                puts(strerrorname_np(errno) ? strerrorname_np(errno) : "error");
        return 0;
}

/* ---- proc-hardened: every procfs and sysfs in the mount table, wherever
 * an image's symlinks put it, has no writable sysctl and nothing unmasked. */
#define PROC_MAGIC 0x9fa0
#define SYSFS_MAGIC_ 0x62656572

static const char *const proc_masked[] = {
        "kcore", "keys", "timer_list", "sched_debug", "latency_stats", "timer_stats",
        "acpi", "asound", "scsi",
};

static bool is_fs(const char *path, long magic)
{
        struct statfs sfs;
        return statfs(path, &sfs) == 0 && sfs.f_type == magic;
}

/* Where mountinfo is: /proc/self/mountinfo, or under any procfs found
 * anywhere in the tree when /proc itself was moved. */
static char found_proc[1024];

static int find_proc(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        (void)ftw;
        if (type != FTW_D)
                return FTW_CONTINUE;
        if (is_fs(path, PROC_MAGIC)) {
                snprintf(found_proc, sizeof found_proc, "%s", path);
                return FTW_STOP;
        }
        return is_fs(path, SYSFS_MAGIC_) ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

static FILE *open_mountinfo(void)
{
        char path[1100];
        FILE *f = fopen("/proc/self/mountinfo", "r");

        if (f != NULL)
                return f;
        found_proc[0] = '\0';
        nftw("/", find_proc, 16, FTW_PHYS | FTW_ACTIONRETVAL);
        if (found_proc[0] == '\0')
                return NULL;
        snprintf(path, sizeof path, "%s/self/mountinfo", found_proc);
        return fopen(path, "r");
}

static int proc_hardened(void)
{
        char line[4096], mp[1024], fstype[64], path[1200];
        int bad = 0, procs = 0;
        FILE *f = open_mountinfo();

        if (f == NULL) {
                puts("no procfs anywhere");
                return 0;
        }
        while (fgets(line, sizeof line, f)) {
                char *dash = strstr(line, " - ");
                if (!dash || sscanf(line, "%*s %*s %*s %*s %1023s", mp) != 1 ||
                    sscanf(dash + 3, "%63s", fstype) != 1)
                        continue;
                if (strcmp(fstype, "proc") == 0) {
                        procs++;
                        const char *rw[] = { "sys/kernel/core_pattern", "sysrq-trigger", "sys/kernel/modprobe" };
                        for (size_t i = 0; i < 3; i++) {
                                snprintf(path, sizeof path, "%s/%s", mp, rw[i]);
                                int fd = open(path, O_WRONLY);   /* never written */
                                if (fd >= 0) {
                                        printf("writable %s\n", path);
                                        close(fd);
                                        bad++;
                                }
                        }
                        for (size_t i = 0; i < sizeof proc_masked / sizeof proc_masked[0]; i++) {
                                snprintf(path, sizeof path, "%s/%s", mp, proc_masked[i]);
                                if (is_fs(path, PROC_MAGIC)) {
                                        printf("unmasked %s\n", path);
                                        bad++;
                                }
                        }
                } else if (strcmp(fstype, "sysfs") == 0) {
                        snprintf(path, sizeof path, "%s/firmware", mp);
                        if (is_fs(path, SYSFS_MAGIC_)) {
                                printf("unmasked %s\n", path);
                                bad++;
                        }
                }
        }
        fclose(f);
        if (!bad)
                printf("hardened %d\n", procs);
        return 0;
}

int main(int argc, char *argv[])
{
        const char *what = argc > 1 ? argv[1] : "";
        char c = 'x';

        /* Not a way out: service.sh marks a cgroup as systemd does for
         * Delegate=yes, where there is no setfattr (the VM's busybox). */
        if (!strcmp(what, "setxattr") && argc == 5)
                return report(setxattr(argv[2], argv[3], argv[4], strlen(argv[4]), 0));
        if (!strcmp(what, "mount"))
                return report(mount("none", "/tmp", "tmpfs", 0, NULL));
        if (!strcmp(what, "unshare-mount"))
                return report(unshare(CLONE_NEWNS));
        if (!strcmp(what, "unshare-user"))
                return report(unshare(CLONE_NEWUSER));
        if (!strcmp(what, "clone-newuser"))
                return report(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0) == 0 ? (_exit(0), 0) : -1);
        if (!strcmp(what, "setns")) {
                int fd = open("/proc/self/ns/mnt", O_RDONLY);
                return report(setns(fd, 0));
        }
        if (!strcmp(what, "mknod-block"))
                return report(mknod("/tmp/sda", S_IFBLK | 0600, makedev(8, 0)));
        if (!strcmp(what, "module"))
                return report(syscall(SYS_finit_module, 0, "", 0));
        if (!strcmp(what, "ptrace") && argc > 2)
                return report(ptrace(PTRACE_ATTACH, atoi(argv[2]), 0, 0));
        if (!strcmp(what, "tiocsti"))
                return report(ioctl(0, TIOCSTI, &c));
        if (!strcmp(what, "tiocsti-high"))
                return report(syscall(SYS_ioctl, 0, 0x100000000UL | TIOCSTI, &c));
        if (!strcmp(what, "personality"))
                return report(personality(ADDR_NO_RANDOMIZE));
        if (!strcmp(what, "keyctl"))
                return report(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "x"));
        if (!strcmp(what, "bpf"))
                return report(syscall(SYS_bpf, 0, NULL, 0));
        if (!strcmp(what, "open_by_handle_at"))
                return report(syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0));
        if (!strcmp(what, "chroot-escape")) {
                /* The classic: chroot into a subdirectory, then walk up. */
                mkdir("/tmp/jail", 0755);
                if (chroot("/tmp/jail") < 0)
                        return report(-1);
                for (int i = 0; i < 64; i++)
                        if (chdir("..") < 0)
                                break;
                chroot(".");
                return report(access("/host-secret", F_OK) == 0 ? 0 : (errno = ENOENT, -1));
        }
        if (!strcmp(what, "open") && argc > 2)
                return report(open(argv[2], O_RDONLY));
        if (!strcmp(what, "proc-hardened"))
                return proc_hardened();
        if (!strcmp(what, "socket") && argc > 2)   /* family [type], numbers */
                return report(syscall(SYS_socket, strtoull(argv[2], NULL, 0),
                                      argc > 3 ? atoi(argv[3]) : SOCK_DGRAM, 0));
        if (!strcmp(what, "socketpair") && argc > 2) {
                int sv[2];
                return report(syscall(SYS_socketpair, strtoull(argv[2], NULL, 0), SOCK_DGRAM, 0, sv));
        }
        if (!strcmp(what, "io_uring_setup"))
                return report(syscall(SYS_io_uring_setup, 1, NULL));
        if (!strcmp(what, "io_uring_enter"))
                return report(syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
        if (!strcmp(what, "io_uring_register"))
                return report(syscall(SYS_io_uring_register, -1, 0, NULL, 0));
        /* Shed the death signal (directly, or by a change of uid), say so,
         * and wait to be killed. */
        if (!strcmp(what, "pdeathsig-off") || (!strcmp(what, "setuid") && argc > 2)) {
                if (argc > 2 && setresuid(atoi(argv[2]), atoi(argv[2]), atoi(argv[2])) < 0)
                        return report(-1);
                if (prctl(PR_SET_PDEATHSIG, 0) < 0)
                        return report(-1);
                int sig = -1;
                prctl(PR_GET_PDEATHSIG, &sig);
                printf("ready pdeathsig=%d uid=%d\n", sig, (int)getuid());
                fflush(stdout);
                for (;;)
                        pause();
        }
        if (!strcmp(what, "open-each") && argc > 3) {
                /* open-each r|w|rw PATH...: "PATH ok" or "PATH EPERM", each. */
                int mode = !strcmp(argv[2], "r") ? O_RDONLY : !strcmp(argv[2], "w") ? O_WRONLY : O_RDWR;
                for (int i = 3; i < argc; i++) {
                        int fd = open(argv[i], mode | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                        printf("%s ", argv[i]);
                        report(fd);
                        if (fd >= 0)
                                close(fd);
                }
                return 0;
        }
        if (!strcmp(what, "mknod") && argc > 5)   /* mknod c|b MAJOR MINOR PATH */
                return report(mknod(argv[5], (argv[2][0] == 'b' ? S_IFBLK : S_IFCHR) | 0666,
                                    makedev(atoi(argv[3]), atoi(argv[4]))));
        fprintf(stderr, "probe: unknown check %s\n", what);
        return 2;
}
