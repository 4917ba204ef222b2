/* hostile_devices.c - device nodes against the container's device cgroup.
 *
 * The image, and a directory bound in, carry device nodes (a kmsg, kvm
 * and a block device under odd names, and a null under another name);
 * root inside, and root with CAP_MKNOD, try to open and to make them.
 * Only what congo makes, and the spec's devices, may open.
 *
 * Every case runs twice: with the host's own cgroup driver (v1 here, with
 * devices.deny/devices.allow), and with the launcher in a private mount
 * namespace whose /sys/fs/cgroup is a bare cgroup2 mount, so congo takes
 * the v2 driver and only its BPF device program stands between the
 * container and the device (its v1 devices cgroup stays the root's,
 * which allows everything).  A refusal by the device cgroup is EPERM; a
 * nodev mount would give EACCES: the binds marked `dev` prove the cgroup.
 */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

static char real_launcher[512], v2_launcher[512];
static char hostdevs[512];

/* Which driver the next containers get; false when this host has no
 * cgroup2 to force (the kernel lacks it: said, and not run). */
static bool use_driver(int v2)
{
        if (v2 && v2_launcher[0] == '\0') {
                printf("hostile_devices: this kernel has no cgroup2: the BPF device program is not tested\n");
                return false;
        }
        setenv("CONGO_LAUNCH", v2 ? v2_launcher : real_launcher, 1);
        return true;
}

static void mknod_or_die(const char *dir, const char *name, mode_t type, int major, int minor)
{
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        unlink(path);
        /* 0666 whatever the umask: so that only the cgroup refuses, even
         * to a root without CAP_DAC_OVERRIDE over it (a user namespace). */
        if (mknod(path, type | 0666, makedev(major, minor)) < 0 || chmod(path, 0666) < 0) {
                perror(path);
                exit(99);
        }
}

/* The hostile nodes: the same set in the image and in a host directory. */
static void plant(const char *dir)
{
        char cmd[800];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/odd'", dir);
        if (system(cmd) != 0)
                exit(99);
        mknod_or_die(dir, "odd/klog", S_IFCHR, 1, 11);     /* /dev/kmsg */
        mknod_or_die(dir, "odd/virt", S_IFCHR, 10, 232);   /* /dev/kvm */
        mknod_or_die(dir, "odd/disk", S_IFBLK, 7, 0);      /* /dev/loop0 */
        mknod_or_die(dir, "odd/mem", S_IFCHR, 1, 1);       /* /dev/mem */
        mknod_or_die(dir, "odd/nothing", S_IFCHR, 1, 3);   /* a null by another name */
        mknod_or_die(dir, "odd/pty0", S_IFCHR, 136, 0);    /* a pty slave, outside devpts */
        mknod_or_die(dir, "odd/ptmx", S_IFCHR, 5, 2);      /* a ptmx, outside devpts */
        mknod_or_die(dir, "odd/tun", S_IFCHR, 10, 200);    /* /dev/net/tun: opens with no capability */
}

static struct outcome run(const char *name, const char *body)
{
        return harness_run_spec(name, body);
}

/* The image's nodes, a plain bind's and a `dev` bind's: each refused
 * (EPERM, or EACCES where a nodev mount answers first), the `dev` ones by
 * the cgroup (EPERM); the null by another name opens: numbers count, not
 * names.  The container is in the cgroup of the driver in use. */
static void nodes_from_image_and_binds(int v2)
{
        char body[2048];
        if (!use_driver(v2))
                return;
        snprintf(body, sizeof body,
                 "mounts:\n"
                 "  - {type: bind, source: %1$s, target: /plain}\n"
                 "  - {type: bind, source: %1$s, target: /withdev, options: [dev]}\n"
                 "  - {type: bind, source: /dev/kmsg, target: /dev/kmsg, options: [dev]}\n"
                 "command: [/bin/sh, -c, \"grep -E '^0::|:devices:' /proc/self/cgroup;"
                 " probe open-each w /odd/klog /odd/virt /odd/disk /odd/mem /plain/odd/klog /plain/odd/virt /plain/odd/disk"
                 " /withdev/odd/klog /withdev/odd/virt /withdev/odd/disk /withdev/odd/mem /dev/kmsg"
                 " /odd/nothing /plain/odd/nothing /withdev/odd/nothing /withdev/odd/pty0 /withdev/odd/ptmx\"]\n", hostdevs);
        struct outcome o = run("hd-nodes", body);
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        if (v2)   /* Only the BPF program: v1 (if any) left at its root. */
                ck_assert_msg(strstr(o.out, "0::/congo/hd-nodes-") && !strstr(o.out, ":devices:/congo"), "%s", o.out);
        else if (access("/sys/fs/cgroup/devices", F_OK) == 0)
                ck_assert_msg(strstr(o.out, ":devices:/congo/hd-nodes-"), "%s", o.out);
        static const char *const blocked[] = {
                "/odd/klog", "/odd/virt", "/odd/disk", "/odd/mem",
                "/plain/odd/klog", "/plain/odd/virt", "/plain/odd/disk",
        };
        for (size_t i = 0; i < sizeof blocked / sizeof blocked[0]; i++) {
                char eperm[128], eacces[128];
                snprintf(eperm, sizeof eperm, "\n%s EPERM\n", blocked[i]);
                snprintf(eacces, sizeof eacces, "\n%s EACCES\n", blocked[i]);
                ck_assert_msg(strstr(o.out, eperm) || strstr(o.out, eacces), "%s opened: %s", blocked[i], o.out);
        }
        static const char *const by_cgroup[] = {
                "/withdev/odd/klog", "/withdev/odd/virt", "/withdev/odd/disk", "/withdev/odd/mem", "/dev/kmsg",
        };
        for (size_t i = 0; i < sizeof by_cgroup / sizeof by_cgroup[0]; i++) {
                char eperm[128];
                snprintf(eperm, sizeof eperm, "\n%s EPERM\n", by_cgroup[i]);
                ck_assert_msg(strstr(o.out, eperm), "%s is not refused by the cgroup: %s", by_cgroup[i], o.out);
        }
        ck_assert_msg(strstr(o.out, "\n/withdev/odd/nothing ok\n"), "%s", o.out);
        /* Allowed numbers elsewhere reach nothing: a pty slave or a ptmx
         * works only inside its own devpts (the container's). */
        ck_assert_msg(strstr(o.out, "\n/withdev/odd/pty0 EIO\n/withdev/odd/ptmx ENOENT\n"), "%s", o.out);
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("hd-"), 0);
}

START_TEST(image_and_bound_nodes_v1) { nodes_from_image_and_binds(0); }
END_TEST
START_TEST(image_and_bound_nodes_v2_bpf) { nodes_from_image_and_binds(1); }
END_TEST

/* congo's own nodes work: read and write, ptmx, and a pty (pts/N). */
static void own_nodes_work(int v2)
{
        if (!use_driver(v2))
                return;
        struct outcome o = run("hd-own", "command: [/bin/probe, open-each, rw, /dev/null, /dev/zero, /dev/full,"
                                         " /dev/random, /dev/urandom, /dev/ptmx, /dev/tty]\n");
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        /* /dev/tty: no controlling terminal (ENXIO), not refused. */
        ck_assert_str_eq(o.out, "/dev/null ok\n/dev/zero ok\n/dev/full ok\n/dev/random ok\n"
                                "/dev/urandom ok\n/dev/ptmx ok\n/dev/tty ENXIO\n");
        outcome_free(&o);
        o = run("hd-tty", "terminal: true\ncommand: [/bin/sh, -c, \"tty; echo x > /dev/tty && echo wrote\"]\n");
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "/dev/pts/0\r\nx\r\nwrote\r\n");
        outcome_free(&o);
}

START_TEST(own_nodes_work_v1) { own_nodes_work(0); }
END_TEST
START_TEST(own_nodes_work_v2_bpf) { own_nodes_work(1); }
END_TEST

/* The spec's devices: made with their mode and owner, usable, nested
 * directories and FIFOs too; a second name for null works. */
static void spec_devices_work(int v2)
{
        if (!use_driver(v2))
                return;
        struct outcome o = run("hd-spec",
                "devices:\n"
                "  - {path: /dev/mynull, type: c, major: 1, minor: 3, file_mode: \"0620\", uid: 1000, gid: 5}\n"
                "  - {path: /dev/sub/dir/zero, type: c, major: 1, minor: 5}\n"
                "  - {path: /dev/pipe, type: p, file_mode: \"0600\"}\n"
                "  - {path: /dev/null, type: c, major: 1, minor: 3, file_mode: \"0600\"}\n"
                "command: [/bin/sh, -c, \"stat -c '%n %F %t:%T %a %u:%g' /dev/mynull /dev/sub/dir/zero /dev/pipe /dev/null;"
                " echo x > /dev/mynull && echo wrote; head -c 3 /dev/sub/dir/zero | od -An -tx1\"]\n");
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "/dev/mynull character special file 1:3 620 1000:5\n"
                                "/dev/sub/dir/zero character special file 1:5 666 0:0\n"
                                "/dev/pipe fifo 0:0 600 0:0\n"
                                "/dev/null character special file 1:3 600 0:0\n"
                                "wrote\n 00 00 00\n");
        outcome_free(&o);
        /* A device the host has, by its own number: it opens. */
        if (access("/dev/fuse", F_OK) == 0) {
                o = run("hd-fuse", "devices: [{path: /dev/fuse, type: c, major: 10, minor: 229}]\n"
                                   "command: [/bin/probe, open-each, rw, /dev/fuse]\n");
                ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
                ck_assert_str_eq(o.out, "/dev/fuse ok\n");
                outcome_free(&o);
        }
}

START_TEST(spec_devices_work_v1) { spec_devices_work(0); }
END_TEST
START_TEST(spec_devices_work_v2_bpf) { spec_devices_work(1); }
END_TEST

/* CAP_MKNOD given back: a node of a number not allowed cannot even be
 * made (mknod is an access of its own, "m"), in /dev (dev) or in /tmp;
 * an allowed number can, under any name. */
static void mknod_with_cap_mknod(int v2)
{
        if (!use_driver(v2))
                return;
        struct outcome o = run("hd-mknod", "security: {capabilities: [CAP_MKNOD]}\n"
                "command: [/bin/sh, -c, \"probe mknod c 1 11 /dev/k; probe mknod b 7 0 /dev/b;"
                " probe mknod c 10 232 /tmp/v; probe mknod c 1 1 /dev/mem; probe mknod b 8 0 /dev/sda;"
                " probe mknod c 1 3 /dev/n2 && probe open-each rw /dev/n2\"]\n");
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "EPERM\nEPERM\nEPERM\nEPERM\nEPERM\nok\n/dev/n2 ok\n");
        outcome_free(&o);
}

START_TEST(mknod_with_cap_mknod_v1) { mknod_with_cap_mknod(0); }
END_TEST
START_TEST(mknod_with_cap_mknod_v2_bpf) { mknod_with_cap_mknod(1); }
END_TEST

/* v1: the container's devices cgroup lists exactly the allowlist, and a
 * child cgroup of it cannot allow more (the kernel checks the parent), so
 * even a process that could reach cgroupfs could not widen it. */
START_TEST(v1_list_is_exact_and_cannot_widen)
{
        if (access("/sys/fs/cgroup/devices/devices.list", F_OK) != 0) {
                printf("v1_list_is_exact_and_cannot_widen: no v1 devices hierarchy here; not run\n");
                return;
        }
        use_driver(0);
        const char *spec = harness_spec("hd-list", "devices: [{path: /dev/fuse, type: c, major: 10, minor: 229}]\n"
                                        "command: [/bin/sh, -c, \"echo ready; exec sleep 1000\"]\n");
        const char *args[] = { spec, NULL };
        int fd;
        pid_t pid = harness_start(args, &fd);
        ck_assert(harness_wait_for(fd, "ready", 5000));
        char dir[256], path[400];
        snprintf(dir, sizeof dir, "/sys/fs/cgroup/devices/congo/hd-list-%d", (int)pid);
        snprintf(path, sizeof path, "%s/devices.list", dir);
        char *list = read_file(path);
        ck_assert_ptr_nonnull(list);
        ck_assert_str_eq(list, "c 1:3 rwm\nc 1:5 rwm\nc 1:7 rwm\nc 1:8 rwm\nc 1:9 rwm\nc 5:0 rwm\n"
                               "c 5:2 rwm\nc 136:* rwm\nc 10:229 rwm\n");
        free(list);
        snprintf(path, sizeof path, "%s/widen", dir);
        ck_assert_int_eq(mkdir(path, 0755), 0);
        static const char *const wider[] = { "a", "c 1:11 rwm", "b *:* rwm", "c *:* m" };
        for (size_t i = 0; i < sizeof wider / sizeof wider[0]; i++) {
                char allow[500];
                snprintf(allow, sizeof allow, "%s/devices.allow", path);
                int afd = open(allow, O_WRONLY);
                ck_assert_int_ge(afd, 0);
                ck_assert_msg(write(afd, wider[i], strlen(wider[i])) < 0, "a child cgroup allowed %s", wider[i]);
                close(afd);
        }
        ck_assert_int_eq(rmdir(path), 0);
        harness_kill(pid, fd);
        ck_assert_int_eq(harness_gc("hd-list-"), 0);
}
END_TEST

/* In a user namespace mknod is refused: the host's node of the same path
 * is bound, if it is the device named; anything else is an error, 125. */
static void user_namespace(int v2)
{
        if (!use_driver(v2))
                return;
        const char *userns = "namespaces: [uts, pid, net, mount, ipc, user]\n"
                             "uid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n";
        char body[1024];
        snprintf(body, sizeof body, "%sdevices: [{path: /dev/full, type: c, major: 1, minor: 7}, {path: /dev/p, type: p}]\n"
                 "command: [/bin/sh, -c, \"stat -c '%%n %%t:%%T %%F' /dev/full /dev/p; head -c 2 /dev/full | od -An -tx1;"
                 " probe open-each w /withdev/odd/klog\"]\n"
                 "mounts: [{type: bind, source: %s, target: /withdev, options: [dev]}]\n", userns, hostdevs);
        struct outcome o = run("hd-userns", body);
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "/dev/full 1:7 character special file\n/dev/p 0:0 fifo\n 00 00\n/withdev/odd/klog EPERM\n");
        outcome_free(&o);
        snprintf(body, sizeof body, "%sdevices: [{path: /dev/other-null, type: c, major: 1, minor: 3}]\ncommand: [/bin/true]\n", userns);
        o = run("hd-userns-none", body);
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "congo-launch: rootfs: devices: /dev/other-null: in a user namespace congo binds the host's node, and the host has none"),
                      "%s", o.err);
        outcome_free(&o);
        snprintf(body, sizeof body, "%sdevices: [{path: /dev/zero, type: c, major: 1, minor: 3}]\ncommand: [/bin/true]\n", userns);
        o = run("hd-userns-other", body);
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "the host's is not c 1:3"), "%s", o.err);
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("hd-"), 0);
}

START_TEST(user_namespace_binds_the_hosts_node_v1) { user_namespace(0); }
END_TEST
START_TEST(user_namespace_binds_the_hosts_node_v2_bpf) { user_namespace(1); }
END_TEST

/* congo-launch as root of a user namespace other than the host's (as in
 * a container): 0-65535 mapped onto the host's 0-65535.  Its exit status;
 * stdout and stderr in buf. */
static int run_nested(const char *spec, char *buf, size_t size)
{
        int out[2], go[2];
        ck_assert_int_eq(pipe(out), 0);
        ck_assert_int_eq(pipe(go), 0);
        pid_t pid = fork();
        if (pid == 0) {
                char b;
                close(go[1]);
                dup2(out[1], 1);
                dup2(out[1], 2);
                if (unshare(CLONE_NEWUSER) < 0 || write(out[1], "", 0) < 0)
                        _exit(97);
                if (read(go[0], &b, 1) != 1)   /* the maps are written */
                        _exit(98);
                execl(real_launcher, "congo-launch", spec, (char *)NULL);
                _exit(99);
        }
        close(out[1]);
        close(go[0]);
        for (const char *const *f = (const char *const[]){ "uid_map", "gid_map", NULL }; *f; f++) {
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, *f);
                /* Retried until the child has unshared (the file is then
                 * writable once). */
                for (int i = 0; i < 1000; i++) {
                        int fd = open(path, O_WRONLY);
                        bool ok = fd >= 0 && write(fd, "0 0 65536\n", 10) == 10;
                        if (fd >= 0)
                                close(fd);
                        if (ok)
                                break;
                        usleep(1000);
                }
        }
        ck_assert_int_eq(write(go[1], "g", 1), 1);
        close(go[1]);
        return harness_collect(pid, out[0], buf, size);
}

/* Nested in a user namespace, congo can apply no device cgroup (both
 * kinds need CAP_SYS_ADMIN in the host's namespace) and runs without, as
 * crun does: the container can open no device its launcher could not.
 * The kernel refuses mknod there: congo's and the spec's nodes are the
 * host's, bound. */
START_TEST(nested_in_a_user_namespace)
{
        use_driver(0);
        char buf[4096];
        const char *spec = harness_spec("hd-nested", "devices: [{path: /dev/full, type: c, major: 1, minor: 7}]\n"
                "command: [/bin/sh, -c, \"stat -c '%n %t:%T' /dev/null /dev/full; head -c 2 /dev/full | od -An -tx1\"]\n");
        int status = run_nested(spec, buf, sizeof buf);
        ck_assert_msg(status == 0, "status %d: %s", status, buf);
        ck_assert_str_eq(buf, "/dev/null 1:3\n/dev/full 1:7\n 00 00\n");
        ck_assert_int_eq(harness_gc("hd-nested-"), 0);
}
END_TEST

/* A spec that names a device badly is refused before anything starts. */
START_TEST(bad_device_entries_are_refused)
{
        use_driver(0);
        static const char *const bad[][2] = {
                { "devices: [{path: /dev/../etc/x, type: c, major: 1, minor: 3}]\n", "has an empty, . or .. component" },
                { "devices: [{path: /etc/passwd, type: c, major: 1, minor: 3}]\n", "is not a path under /dev/" },
                { "devices: [{path: /dev/pts/ptmx, type: c, major: 5, minor: 2}]\n", "what congo mounts or links" },
                { "devices: [{path: /dev/x, type: c, major: 4096, minor: 0}]\n", "is not a number from 0 to 4095" },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char body[512];
                snprintf(body, sizeof body, "%scommand: [/bin/true]\n", bad[i][0]);
                struct outcome o = run("hd-bad", body);
                ck_assert_int_eq(o.status, 125);
                ck_assert_msg(strstr(o.err, bad[i][1]) && strstr(o.err, "hd-bad.yaml:3:"), "%s", o.err);
                outcome_free(&o);
        }
}
END_TEST

/* ---- device_rules: the cgroup's rules without nodes ------------------ */

/* A node whose driver the kernel lacks (tun without its module, as in
 * the VM) gets past the device cgroup and fails in the driver's open:
 * ENODEV or ENXIO is "not refused by the cgroup", as "ok" is, and only
 * the cgroup's answer is what these tests compare. */
static void driver_missing_is_ok(char *out)
{
        static const char *const missing[] = { " ENODEV\n", " ENXIO\n" };
        for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
                for (char *p; (p = strstr(out, missing[i])) != NULL;) {
                        size_t len = strlen(missing[i]);
                        memcpy(p, " ok\n", 4);
                        memmove(p + 4, p + len, strlen(p + len) + 1);
                }
}

/* A rule is a permission, no node: the image's node of an allowed number
 * stays dead on the nodev rootfs (EACCES); a `dev` bind's opens, for the
 * access allowed only; CAP_MKNOD under "c *:* m" makes any char node,
 * which opens only if a rule allows it, and no block node.  "deny a"
 * first, as containerd and docker write their lists. */
static void device_rules_allow_only_what_they_say(int v2)
{
        char body[2048];
        if (!use_driver(v2))
                return;
        snprintf(body, sizeof body,
                 "device_rules: [\"deny a\", \"allow c 10:200 r\", \"allow c *:* m\", \"allow c 1:11 w\"]\n"
                 "security: {capabilities: [CAP_MKNOD]}\n"
                 "mounts: [{type: bind, source: %s, target: /withdev, options: [dev]}]\n"
                 "command: [/bin/sh, -c, \"probe open-each r /odd/tun /withdev/odd/tun;"
                 " probe open-each w /withdev/odd/tun; probe open-each r /withdev/odd/virt /withdev/odd/disk;"
                 " probe mknod c 10 200 /dev/t && probe open-each r /dev/t; probe open-each w /dev/t;"
                 " probe open-each w /odd/klog; probe mknod c 1 11 /dev/k && probe open-each w /dev/k;"
                 " probe mknod b 7 0 /dev/b; probe mknod c 10 232 /dev/v && probe open-each r /dev/v\"]\n",
                 hostdevs);
        struct outcome o = run("hd-rules", body);
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        driver_missing_is_ok(o.out);
        ck_assert_str_eq(o.out, "/odd/tun EACCES\n/withdev/odd/tun ok\n/withdev/odd/tun EPERM\n"
                                "/withdev/odd/virt EPERM\n/withdev/odd/disk EPERM\n"
                                "ok\n/dev/t ok\n/dev/t EPERM\n/odd/klog EACCES\nok\n/dev/k ok\n"
                                "EPERM\nok\n/dev/v EPERM\n");
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("hd-"), 0);
}

START_TEST(device_rules_allow_only_what_they_say_v1) { device_rules_allow_only_what_they_say(0); }
END_TEST
START_TEST(device_rules_allow_only_what_they_say_v2_bpf) { device_rules_allow_only_what_they_say(1); }
END_TEST

/* "allow a" (a privileged container's), then denies: the last rule that
 * names an access decides; congo's own nodes stay usable whatever a rule
 * denies (they come last); the image's nodes stay dead (nodev). */
static void device_rules_in_order(int v2)
{
        char body[2048];
        if (!use_driver(v2))
                return;
        snprintf(body, sizeof body,
                 "device_rules: [\"allow a\", \"deny c 10:200 w\", \"deny c 1:3 rwm\", \"deny b 7:* rwm\"]\n"
                 "mounts: [{type: bind, source: %s, target: /withdev, options: [dev]}]\n"
                 "command: [/bin/sh, -c, \"probe open-each r /odd/tun /withdev/odd/tun /withdev/odd/disk;"
                 " probe open-each w /withdev/odd/tun /odd/klog /withdev/odd/klog;"
                 " probe open-each rw /dev/null /withdev/odd/nothing\"]\n",
                 hostdevs);
        struct outcome o = run("hd-order", body);
        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
        driver_missing_is_ok(o.out);
        ck_assert_str_eq(o.out, "/odd/tun EACCES\n/withdev/odd/tun ok\n/withdev/odd/disk EPERM\n"
                                "/withdev/odd/tun EPERM\n/odd/klog EACCES\n/withdev/odd/klog ok\n"
                                "/dev/null ok\n/withdev/odd/nothing ok\n");
        outcome_free(&o);
        ck_assert_int_eq(congo_cgroups_left("hd-"), 0);
}

START_TEST(device_rules_in_order_v1) { device_rules_in_order(0); }
END_TEST
START_TEST(device_rules_in_order_v2_bpf) { device_rules_in_order(1); }
END_TEST

/* A rule that is not one: 125, naming the file, line and column. */
START_TEST(bad_device_rules_are_refused)
{
        use_driver(0);
        static const char *const bad[][2] = {
                { "device_rules: [\"allow x 1:3\"]\n", "has a type other than a (every device), c or b" },
                { "device_rules: [\"permit c 1:3 rwm\"]\n", "does not start with allow or deny" },
                { "device_rules: [\"allow c 1:3 rwx\"]\n", "has an access other than letters of rwm" },
                { "device_rules: [\"allow a 1:3\"]\n", "gives type a (every device) numbers" },
                { "device_rules: [\"allow c 4096:0\"]\n", "has a MAJOR:MINOR that is not * or a number" },
                { "device_rules: [\"allow c 1\"]\n", "has no MAJOR:MINOR" },
                { "device_rules: [\"allow c 1:3 rwm extra\"]\n", "is not \"allow|deny TYPE" },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char body[512];
                snprintf(body, sizeof body, "%scommand: [/bin/true]\n", bad[i][0]);
                struct outcome o = run("hd-badrule", body);
                ck_assert_int_eq(o.status, 125);
                ck_assert_msg(strstr(o.err, bad[i][1]) && strstr(o.err, "hd-badrule.yaml:3:"), "%s", o.err);
                outcome_free(&o);
        }
        /* 128 rules run, on v1 and on v2 (with congo's own 8 and 128
         * devices the cgroup holds them all); 129 are refused. */
        for (int k = 0; k < 3; k++) {
                int n = k < 2 ? 128 : 129;
                char body[8192] = "device_rules: [", *p = body + strlen(body);
                if (!use_driver(k == 1))
                        continue;
                for (int i = 0; i < n; i++)
                        p += sprintf(p, "%s\"allow c 200:%d r\"", i ? ", " : "", i);
                strcpy(p, "]\ncommand: [/bin/true]\n");
                struct outcome o = run("hd-manyrules", body);
                if (n == 128)
                        ck_assert_msg(o.status == 0, "status %d: %s", o.status, o.err);
                else
                        ck_assert_msg(o.status == 125 && strstr(o.err, "device_rules: more than 128 rules"), "%s", o.err);
                outcome_free(&o);
        }
        ck_assert_int_eq(congo_cgroups_left("hd-"), 0);
}
END_TEST

/* Run congo-launch where /sys/fs/cgroup is the kernel's cgroup2 alone
 * (which a v1-only host may not mount, but has). */
static void make_v2_launcher(void)
{
        char *fs = read_file("/proc/filesystems");
        bool has = fs && strstr(fs, "\tcgroup2\n");
        free(fs);
        if (!has)
                return;
        snprintf(v2_launcher, sizeof v2_launcher, "%s/congo-launch-v2", harness_tmp());
        FILE *f = fopen(v2_launcher, "w");
        if (f == NULL)
                exit(99);
        fprintf(f, "#!/bin/sh\nexec unshare -m --propagation private sh -c "
                   "'umount -l /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec \"$0\" \"$@\"' '%s' \"$@\"\n",
                real_launcher);
        fclose(f);
        chmod(v2_launcher, 0755);
}

int main(void)
{
        char cmd[1024];

        harness_setup("hostile_devices");
        snprintf(real_launcher, sizeof real_launcher, "%s", getenv("CONGO_LAUNCH"));
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/bin/probe'", getenv("CONGO_PROBE"), harness_rootfs());
        if (system(cmd) != 0)
                return 99;
        plant(harness_rootfs());
        snprintf(hostdevs, sizeof hostdevs, "%s/hostdevs", harness_tmp());
        plant(hostdevs);
        make_v2_launcher();
        Suite *s = suite_create("hostile_devices");
        TCase *tc = tcase_create("devices");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, image_and_bound_nodes_v1);
        tcase_add_test(tc, image_and_bound_nodes_v2_bpf);
        tcase_add_test(tc, own_nodes_work_v1);
        tcase_add_test(tc, own_nodes_work_v2_bpf);
        tcase_add_test(tc, spec_devices_work_v1);
        tcase_add_test(tc, spec_devices_work_v2_bpf);
        tcase_add_test(tc, mknod_with_cap_mknod_v1);
        tcase_add_test(tc, mknod_with_cap_mknod_v2_bpf);
        tcase_add_test(tc, v1_list_is_exact_and_cannot_widen);
        tcase_add_test(tc, user_namespace_binds_the_hosts_node_v1);
        tcase_add_test(tc, user_namespace_binds_the_hosts_node_v2_bpf);
        tcase_add_test(tc, bad_device_entries_are_refused);
        tcase_add_test(tc, nested_in_a_user_namespace);
        tcase_add_test(tc, device_rules_allow_only_what_they_say_v1);
        tcase_add_test(tc, device_rules_allow_only_what_they_say_v2_bpf);
        tcase_add_test(tc, device_rules_in_order_v1);
        tcase_add_test(tc, device_rules_in_order_v2_bpf);
        tcase_add_test(tc, bad_device_rules_are_refused);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
