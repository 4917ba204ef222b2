/* floor.c - the least a container start can do, as the benchmarks' floor.
 *
 *   floor ROOTFS CMD [ARGS...]
 *
 * clone into new pid, mount, uts, ipc and net namespaces; in the child make
 * / private, bind the root onto itself, mount /proc, pivot_root, detach the
 * old root and exec; the parent waits.  No cgroups, no /dev, no seccomp, no
 * capabilities: what no container runtime can skip.  Built static by
 * bench/startup, so no dynamic loader runs either.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char **argv_g;

static void die(const char *what)
{
        perror(what);
        _exit(125);
}

static int child(void *unused)
{
        (void)unused;
        const char *root = argv_g[1];
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die("private /");
        if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0) die("bind root");
        if (chdir(root) < 0) die("chdir");
        if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
                die("proc");
        if (syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root");
        if (umount2(".", MNT_DETACH) < 0) die("detach old root");
        if (chdir("/") < 0) die("chdir /");
        execv(argv_g[2], argv_g + 2);
        die("exec");
        return 0;
}

int main(int argc, char **argv)
{
        static char stack[64 * 1024];
        int status;

        if (argc < 3) {
                fprintf(stderr, "usage: floor ROOTFS CMD [ARGS...]\n");
                return 125;
        }
        argv_g = argv;
        pid_t pid = clone(child, stack + sizeof(stack),
                          CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                                  CLONE_NEWNET | SIGCHLD,
                          NULL);
        if (pid < 0) die("clone");
        if (waitpid(pid, &status, 0) < 0) die("waitpid");
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
