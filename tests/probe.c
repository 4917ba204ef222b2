/* probe.c - a static helper copied into the test rootfs: each subcommand
 * tries one way out of the container and prints "ok" if the kernel let
 * it, or the errno name if it did not. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
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
        fprintf(stderr, "probe: unknown check %s\n", what);
        return 2;
}
