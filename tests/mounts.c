/* mounts.c - every mount type and option as a user observes it, as root
 * on the suite's busybox rootfs: the container's /proc/self/mountinfo
 * (filesystem, flags, propagation), what reads and writes do, the second
 * proc's hardening, overlay's upper layer on the host, rootfs
 * propagation, idmapped binds; refusals with exit 125; and the host's
 * mount table the same after every run. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

#define SH(cmd) "command: [\"/bin/sh\", \"-c\", " cmd "]\n"
#define MOUNTINFO SH("\"cat /proc/self/mountinfo\"")

static char *host_before;

/* Runs body, checks the host's mount table is as it was. */
static struct outcome run(const char *name, const char *body)
{
        struct outcome o = harness_run_spec(name, body);
        char *after = read_file("/proc/self/mountinfo");

        ck_assert_msg(strcmp(host_before, after) == 0, "%s: the host's mount table changed", name);
        free(after);
        return o;
}

/* The mountinfo line whose mount point is target, or fail. */
static const char *line_of(const char *mountinfo, const char *target)
{
        static char line[2048];
        line[0] = '\0';
        for (const char *l = mountinfo; l && *l;) {
                const char *nl = strchr(l, '\n');
                size_t len = nl ? (size_t)(nl - l) : strlen(l);
                char mp[1024];
                if (sscanf(l, "%*s %*s %*s %*s %1023s", mp) == 1 && strcmp(mp, target) == 0 &&
                    len < sizeof line) {
                        memcpy(line, l, len);
                        line[len] = '\0';
                }
                l = nl ? nl + 1 : NULL;
        }
        ck_assert_msg(line[0], "no mount on %s in:\n%s", target, mountinfo);
        return line;
}

/* target is a fstype mount whose line has every word of want. */
static void expect_mount(const char *mountinfo, const char *target, const char *fstype,
                         const char *want)
{
        line_of(mountinfo, target);
        char line[2048], fs[64];
        strcpy(line, line_of(mountinfo, target));
        const char *dash = strstr(line, " - ");
        ck_assert_msg(dash && sscanf(dash + 3, "%63s", fs) == 1, "%s", line);
        ck_assert_msg(strcmp(fs, fstype) == 0, "%s: %s, not %s", target, fs, fstype);
        char words[512], *save = NULL;
        snprintf(words, sizeof words, "%s", want);
        for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
                ck_assert_msg(strstr(line, w) != NULL, "%s: no \"%s\" in %s", target, w, line);
}

/* The running kernel is at least major.minor. */
static bool kernel_at_least(int want_major, int want_minor)
{
        struct utsname u;
        int major = 0, minor = 0;
        uname(&u);
        sscanf(u.release, "%d.%d", &major, &minor);
        return major > want_major || (major == want_major && minor >= want_minor);
}

/* The filesystem type of the host mount holding path: the longest mount
 * point that is a prefix of it (the suite's temp dir is ext4 here, tmpfs
 * in the check-vm VM). */
static const char *host_fstype(const char *path)
{
        static char best_fs[64];
        char *all = read_file("/proc/self/mountinfo");
        size_t best = 0;

        ck_assert_ptr_nonnull(all);
        best_fs[0] = '\0';
        for (char *l = all, *nl; l && *l; l = nl ? nl + 1 : NULL) {
                char mp[1024], fs[64];
                nl = strchr(l, '\n');
                if (nl)
                        *nl = '\0';
                const char *dash = strstr(l, " - ");
                if (sscanf(l, "%*s %*s %*s %*s %1023s", mp) != 1 || !dash ||
                    sscanf(dash + 3, "%63s", fs) != 1)
                        continue;
                size_t n = strlen(mp);
                bool under = strncmp(path, mp, n) == 0 && (path[n] == '/' || path[n] == '\0' || n == 1);
                if (under && n >= best) {
                        best = n;
                        snprintf(best_fs, sizeof best_fs, "%s", fs);
                }
        }
        free(all);
        return best_fs;
}

START_TEST(every_type_observable)
{
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "mkdir -p %s/data && echo hostdata > %s/data/f", harness_tmp(), harness_tmp());
        ck_assert_int_eq(system(cmd), 0);
        struct outcome o = run("types",
                "mounts:\n"
                "  - {type: rbind, source: ./data, target: /b, options: [ro, nosuid, shared]}\n"
                "  - {type: bind, source: ./data, target: /b2, options: [bind, noexec, unbindable, dev]}\n"
                "  - {type: tmpfs, source: mytmp, target: /t, options: [size=1m, mode=700, noatime, nr_inodes=100]}\n"
                "  - {type: proc, target: /p2}\n"
                "  - {type: sysfs, target: /s2}\n"
                "  - {type: mqueue, target: /q}\n"
                "  - {type: devpts, target: /pts2, options: [newinstance, ptmxmode=0666, mode=0620]}\n"
                "  - {type: cgroup2, target: /cg}\n"
                "  - {type: tmpfs, target: /rs, options: [rshared, strictatime]}\n"
                MOUNTINFO);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        const char *data_fs = host_fstype(harness_tmp());
        expect_mount(o.out, "/b", data_fs, "ro,nosuid,nodev shared:");
        expect_mount(o.out, "/b2", data_fs, "rw,noexec unbindable");
        ck_assert_ptr_null(strstr(line_of(o.out, "/b2"), "nodev"));
        expect_mount(o.out, "/t", "tmpfs", "rw,nodev,noatime mytmp size=1024k nr_inodes=100 mode=700");
        ck_assert_ptr_null(strstr(line_of(o.out, "/t"), "nosuid"));   /* not asked */
        expect_mount(o.out, "/p2", "proc", "rw,nosuid,nodev,noexec");
        expect_mount(o.out, "/p2/sys", "proc", "ro,nosuid,nodev,noexec");
        expect_mount(o.out, "/s2", "sysfs", "ro,nosuid,nodev,noexec");
        expect_mount(o.out, "/q", "mqueue", "rw,nosuid,nodev,noexec");
        expect_mount(o.out, "/pts2", "devpts", "rw,nosuid,noexec ptmxmode=666 mode=620");
        ck_assert_ptr_null(strstr(line_of(o.out, "/pts2"), "nodev"));
        expect_mount(o.out, "/cg", "cgroup2", "ro,nosuid,nodev,noexec");
        expect_mount(o.out, "/rs", "tmpfs", "rw,nodev shared:");
        outcome_free(&o);
}
END_TEST

/* What the flags do, not only what mountinfo says. */
START_TEST(options_take_effect)
{
        struct outcome o = run("effects",
                "mounts:\n"
                "  - {type: tmpfs, target: /ro, options: [ro]}\n"
                "  - {type: tmpfs, target: /nx, options: [noexec]}\n"
                "  - {type: tmpfs, target: /small, options: [size=64k]}\n"
                "  - {type: proc, target: /p2}\n"
                "  - {type: mqueue, target: /q}\n"
                SH("\"touch /ro/x 2>/dev/null && echo ro-writable; cp /bin/busybox /nx/sh && /nx/sh true 2>/dev/null && echo nx-ran;"
                   " dd if=/dev/zero of=/small/f bs=1k count=128 2>/dev/null || echo small-full;"
                   " echo 1 > /p2/sys/kernel/domainname 2>/dev/null && echo sysctl-writable;"
                   " ls /p2/1/ >/dev/null && echo pid1; ls /q | wc -l\""));
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "small-full\npid1\n0\n");
        outcome_free(&o);
}
END_TEST

/* A proc or sysfs mount at a spec target is hardened as /proc and /sys
 * are, and checked again after the later mounts, wherever it lands. */
START_TEST(second_proc_is_hardened)
{
        struct outcome o = run("proc2",
                "mounts:\n  - {type: proc, target: /p2}\n  - {type: sysfs, target: /s2}\n"
                "  - {type: proc, target: /tmp/deep/p3, options: [hidepid=2]}\n"
                "command: [/bin/probe, proc-hardened]\n");
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_msg(strncmp(o.out, "hardened ", 9) == 0 && atoi(o.out + 9) >= 3, "%s", o.out);
        outcome_free(&o);
        /* A second proc on top of /proc is hardened too. */
        o = run("proc-over", "mounts: [{type: proc, target: /proc}]\ncommand: [/bin/probe, proc-hardened]\n");
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_msg(strncmp(o.out, "hardened ", 9) == 0 && atoi(o.out + 9) >= 2, "%s", o.out);
        outcome_free(&o);
        /* A target through an image symlink lands inside the root. */
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "ln -sfn /proc %s/plink", harness_rootfs());
        ck_assert_int_eq(system(cmd), 0);
        o = run("proc-link", "mounts: [{type: proc, target: /plink/sys/p}]\ncommand: [/bin/probe, proc-hardened]\n");
        /* It resolves to the container's /proc/sys, where nothing can be made. */
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "creating /plink/sys/p inside the rootfs") != NULL, "%s", o.err);
        outcome_free(&o);
        o = run("proc-link2", "mounts: [{type: proc, target: /plink}]\ncommand: [/bin/probe, proc-hardened]\n");
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "symlink") != NULL, "%s", o.err);
        outcome_free(&o);
        snprintf(cmd, sizeof cmd, "rm -f %s/plink", harness_rootfs());
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* lowerdir/upperdir/workdir beneath the spec's directory: the container
 * reads the layers, its writes land in upperdir on the host. */
START_TEST(overlay_layers)
{
        char cmd[2048];
        const char *t = harness_tmp();
        snprintf(cmd, sizeof cmd, "rm -rf %s/ov && mkdir -p %s/ov/l1 %s/ov/l2 %s/ov/u %s/ov/w && "
                 "echo one > %s/ov/l1/a && echo two > %s/ov/l2/a && echo low > %s/ov/l2/b",
                 t, t, t, t, t, t, t, t);
        ck_assert_int_eq(system(cmd), 0);
        struct outcome o = run("overlay",
                "mounts: [{type: overlay, target: /o, options: [\"lowerdir=ov/l1:./ov/l2\", upperdir=ov/u, workdir=ov/w]}]\n"
                SH("\"cat /o/a /o/b; echo new > /o/c; rm /o/b; grep ' /o ' /proc/self/mountinfo\""));
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_msg(strncmp(o.out, "one\nlow\n", 8) == 0, "%s", o.out);
        ck_assert_ptr_nonnull(strstr(o.out, " - overlay "));
        ck_assert_ptr_nonnull(strstr(o.out, "nodev"));
        outcome_free(&o);
        snprintf(cmd, sizeof cmd, "%s/ov/u/c", t);
        char *c = read_file(cmd);
        ck_assert_str_eq(c, "new\n");
        free(c);
        snprintf(cmd, sizeof cmd, "%s/ov/l2/b", t);
        c = read_file(cmd);
        ck_assert_str_eq(c, "low\n");   /* the lower layer is untouched */
        free(c);
        /* Read-only: lowerdirs only. */
        o = run("overlay-ro", "mounts: [{type: overlay, target: /o, options: [\"lowerdir=ov/l1:ov/l2\"]}]\n"
                SH("\"cat /o/a; touch /o/z 2>/dev/null || echo refused\""));
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "one\nrefused\n");
        outcome_free(&o);
        /* A layer that leads out of the spec's directory by a symlink. */
        snprintf(cmd, sizeof cmd, "ln -sfn /etc %s/ov/out", t);
        ck_assert_int_eq(system(cmd), 0);
        o = run("overlay-out", "mounts: [{type: overlay, target: /o, options: [\"lowerdir=ov/l1:ov/out\"]}]\n"
                SH("\"cat /o/passwd\""));
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "mounts[0].options") != NULL, "%s", o.err);
        ck_assert_ptr_null(strstr(o.out, "root:"));
        outcome_free(&o);
        o = run("overlay-dotdot", "mounts: [{type: overlay, target: /o, options: [\"lowerdir=ov/../../..\"]}]\n"
                SH("\"ls /o\""));
        ck_assert_int_eq(o.status, 125);
        outcome_free(&o);
}
END_TEST

/* Many lower layers: overlay's lowerdir string of /proc/self/fd/N paths
 * passes fsconfig's 256-byte limit at about 15 layers; every layer must
 * still be there, upper layer and all (the kernel takes 500). */
START_TEST(overlay_many_layers)
{
        char cmd[8192], spec[8192];
        const char *t = harness_tmp();
        enum { LAYERS = 40 };
        snprintf(cmd, sizeof cmd, "rm -rf %s/ovm && mkdir -p %s/ovm/u %s/ovm/w && for i in $(seq 1 %d); do "
                 "mkdir %s/ovm/l$i && echo $i > %s/ovm/l$i/f$i && echo $i > %s/ovm/l$i/top; done",
                 t, t, t, LAYERS, t, t, t);
        ck_assert_int_eq(system(cmd), 0);
        int n = snprintf(spec, sizeof spec, "mounts: [{type: overlay, target: /o, options: [\"lowerdir=");
        for (int i = 1; i <= LAYERS; i++)
                n += snprintf(spec + n, sizeof spec - n, "%sovm/l%d", i > 1 ? ":" : "", i);
        snprintf(spec + n, sizeof spec - n, "\", upperdir=ovm/u, workdir=ovm/w]}]\n"
                 SH("\"ls /o | grep -c '^f'; cat /o/top /o/f%d; echo up > /o/new\""), LAYERS);
        struct outcome o = run("overlay-many", spec);
        /* Past fsconfig's 256 bytes the layers go one by one (lowerdir+),
         * which overlayfs has from Linux 6.8. */
        if (o.status == 125 && !kernel_at_least(6, 8)) {
                fprintf(stderr, "overlay_many_layers: skipped, lowerdir+ needs Linux 6.8\n");
                outcome_free(&o);
                return;
        }
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        char want[64];
        snprintf(want, sizeof want, "%d\n1\n%d\n", LAYERS, LAYERS);   /* the first layer is the top one */
        ck_assert_str_eq(o.out, want);
        outcome_free(&o);
        snprintf(cmd, sizeof cmd, "%s/ovm/u/new", t);
        char *c = read_file(cmd);
        ck_assert_str_eq(c, "up\n");
        free(c);
}
END_TEST

START_TEST(rootfs_propagation)
{
        struct outcome o = run("prop-shared", "rootfs_propagation: shared\n" MOUNTINFO);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_ptr_nonnull(strstr(line_of(o.out, "/"), " shared:"));
        outcome_free(&o);
        o = run("prop-unbindable", "rootfs_propagation: unbindable\n" MOUNTINFO);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_ptr_nonnull(strstr(line_of(o.out, "/"), " unbindable"));
        outcome_free(&o);
        o = run("prop-private", MOUNTINFO);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_ptr_null(strstr(line_of(o.out, "/"), "shared:"));
        ck_assert_ptr_null(strstr(line_of(o.out, "/"), "master:"));
        outcome_free(&o);

        /* slave: the rootfs on a shared mount of the host; the container's
         * root is its slave, and a mount the host makes beneath it while the
         * container runs appears inside, while nothing goes the other way. */
        char sh[512], root[600], cmd[2048], spec[1200];
        snprintf(sh, sizeof sh, "%s/shared", harness_tmp());
        snprintf(root, sizeof root, "%s/root", sh);
        mkdir(sh, 0755);
        ck_assert_int_eq(mount("congo-test", sh, "tmpfs", 0, "size=1m"), 0);
        ck_assert_int_eq(mount(NULL, sh, NULL, MS_SHARED, NULL), 0);
        mkdir(root, 0755);
        ck_assert_int_eq(mount(harness_rootfs(), root, NULL, MS_BIND | MS_REC, NULL), 0);
        ck_assert_int_eq(mount(NULL, root, NULL, MS_SHARED, NULL), 0);
        free(host_before);
        host_before = read_file("/proc/self/mountinfo");
        snprintf(cmd, sizeof cmd, "mkdir -p %s/mnt/late", root);
        ck_assert_int_eq(system(cmd), 0);
        snprintf(spec, sizeof spec, "version: 1\nrootfs: %s\nrootfs_propagation: slave\n"
                 "mounts: [{type: tmpfs, target: /mine}]\n"
                 SH("\"echo up; while ! grep -q ' /mnt/late ' /proc/self/mountinfo; do sleep 0.05; done; grep ' / ' /proc/self/mountinfo\""),
                 root);
        const char *path = harness_host_file("slave.yaml", spec);
        const char *args[] = { path, NULL };
        int out;
        pid_t pid = harness_start(args, &out);
        ck_assert_msg(harness_wait_for(out, "up", 10000), "the container did not start");
        snprintf(cmd, sizeof cmd, "%s/mnt/late", root);
        ck_assert_int_eq(mount("late", cmd, "tmpfs", 0, "size=1k"), 0);
        ck_assert_msg(harness_wait_for(out, "master:", 10000), "no master: on the container's root");
        int st;
        ck_assert_int_eq(waitpid(pid, &st, 0), pid);
        ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        close(out);
        /* The container's own mount did not reach the host. */
        char *now = read_file("/proc/self/mountinfo");
        ck_assert_ptr_null(strstr(now, "/mine "));
        free(now);
        umount2(cmd, MNT_DETACH);
        umount2(root, MNT_DETACH);
        umount2(sh, MNT_DETACH);
        free(host_before);
        host_before = read_file("/proc/self/mountinfo");
}
END_TEST

/* idmap: the container's root owns host files of the host's root, through
 * the mount only. */
START_TEST(idmapped_bind)
{
        char cmd[1024];
        const char *t = harness_tmp();
        snprintf(cmd, sizeof cmd, "mkdir -p %s/idm %s/d %s/n && echo x > %s/idm/f && chown 0:0 %s/idm/f",
                 t, harness_rootfs(), harness_rootfs(), t, t);
        ck_assert_int_eq(system(cmd), 0);
        struct outcome o = run("idmap",
                "namespaces: [uts, pid, net, mount, ipc, user]\nuid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n"
                "mounts: [{type: bind, source: ./idm, target: /d, options: [idmap]}, {type: bind, source: ./idm, target: /n}]\n"
                SH("\"stat -c '%u %g' /d/f /n/f; echo w > /d/w && echo wrote; grep -c idmapped /proc/self/mountinfo\""));
        if (o.status == 125 && strstr(o.err, "Linux 5.12")) {
                fprintf(stderr, "idmapped_bind: skipped, the kernel has no idmapped mounts\n");
                outcome_free(&o);
                return;
        }
        /* tmpfs can be idmapped from Linux 6.3 (the check-vm VM's temp dir
         * is tmpfs on 6.1); every other refusal fails the test. */
        if (o.status == 125 && strstr(o.err, "cannot be idmapped") && strcmp(host_fstype(t), "tmpfs") == 0 &&
            !kernel_at_least(6, 3)) {
                fprintf(stderr, "idmapped_bind: skipped, tmpfs cannot be idmapped before Linux 6.3\n");
                outcome_free(&o);
                return;
        }
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        ck_assert_str_eq(o.out, "0 0\n65534 65534\nwrote\n1\n");
        outcome_free(&o);
        struct stat st;
        snprintf(cmd, sizeof cmd, "%s/idm/w", t);
        ck_assert_int_eq(stat(cmd, &st), 0);
        ck_assert_uint_eq(st.st_uid, 0);   /* written as the container's root: the host's root on disk */
        unlink(cmd);
}
END_TEST

static void write_pid(const char *dir)
{
        char path[600];
        snprintf(path, sizeof path, "%s/cgroup.procs", dir);
        FILE *f = fopen(path, "w");
        ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
        fprintf(f, "%d\n", (int)getpid());
        ck_assert_int_eq(fclose(f), 0);
}

/* With a cgroup namespace, a cgroup2 mount shows the container's own
 * cgroup as its root, not the host's tree (the mount waits for the
 * namespace).  The test runs from a cgroup of its own, so that this holds
 * with any driver (on a hybrid host the v1 driver leaves the unified
 * cgroup as the launcher's). */
START_TEST(cgroup_mount_sees_its_namespace)
{
        const char *cg2 = harness_cgroup2_mount();
        if (cg2 == NULL) {
                fprintf(stderr, "cgroup_mount_sees_its_namespace: skipped, no cgroup2 hierarchy\n");
                return;
        }
        char *self = read_file("/proc/self/cgroup"), *v2 = strstr(self, "0::"), orig[600], dir[600];
        ck_assert_ptr_nonnull(v2);
        v2[strcspn(v2, "\n")] = '\0';
        snprintf(orig, sizeof orig, "%s%s", cg2, v2 + 3);
        free(self);
        snprintf(dir, sizeof dir, "%s/congo", cg2);
        mkdir(dir, 0755);
        snprintf(dir, sizeof dir, "%s/congo/mounts-cgns", cg2);
        ck_assert(mkdir(dir, 0755) == 0 || errno == EEXIST);
        write_pid(dir);
        struct outcome o = run("cgns", "namespaces: [uts, pid, net, mount, ipc, cgroup]\n"
                               "mounts: [{type: cgroup2, target: /cg}]\n"
                               SH("\"wc -l < /cg/cgroup.procs; ls /cg | grep -c congo; grep -c ' /cg .* cgroup2 ' /proc/self/mountinfo\""));
        write_pid(orig);
        ck_assert_int_eq(rmdir(dir), 0);
        ck_assert_msg(o.status == 0, "%d: %s", o.status, o.err);
        int procs = atoi(o.out);
        const char *rest = strchr(o.out, '\n');
        ck_assert_msg(procs >= 1 && procs < 10, "%s", o.out);   /* the container's, not the host's */
        ck_assert_str_eq(rest, "\n0\n1\n");
        outcome_free(&o);
}
END_TEST

START_TEST(refusals_leave_nothing)
{
        struct outcome o = run("nofs", "mounts: [{type: congofs, target: /x}]\n" SH("true"));
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "mounting congofs on /x (the kernel has no filesystem of that name") != NULL, "%s", o.err);
        outcome_free(&o);
        o = run("badopt", "mounts: [{type: overlay, target: /x, options: [lowerdir=., redirect_dir=bogus]}]\n" SH("true"));
        ck_assert_int_eq(o.status, 125);
        /* overlayfs names the bad option in the fs_context log from Linux
         * 6.5; before, the kernel says only EINVAL. */
        ck_assert_msg(strstr(o.err, kernel_at_least(6, 5) ? "redirect_dir" : "mounting overlay on /x") != NULL,
                      "%s", o.err);
        outcome_free(&o);
        o = run("sysrw", "mounts: [{type: sysfs, target: /x, options: [rw]}]\n" SH("true"));
        ck_assert_int_eq(o.status, 125);
        ck_assert_msg(strstr(o.err, "\"rw\": not allowed on this type") != NULL, "%s", o.err);
        outcome_free(&o);
        /* A failure after some mounts were made: the host is untouched (run()). */
        o = run("late-fail", "mounts: [{type: proc, target: /p2}, {type: tmpfs, target: /t}, {type: nope, target: /y}]\n" SH("true"));
        ck_assert_int_eq(o.status, 125);
        outcome_free(&o);
}
END_TEST

int main(void)
{
        char cmd[1024];

        harness_setup("mounts");
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/bin/probe'", getenv("CONGO_PROBE"), harness_rootfs());
        if (system(cmd) != 0)
                return 99;
        host_before = read_file("/proc/self/mountinfo");
        Suite *s = suite_create("mounts");
        TCase *tc = tcase_create("mounts");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, every_type_observable);
        tcase_add_test(tc, options_take_effect);
        tcase_add_test(tc, second_proc_is_hardened);
        tcase_add_test(tc, overlay_layers);
        tcase_add_test(tc, overlay_many_layers);
        tcase_add_test(tc, rootfs_propagation);
        tcase_add_test(tc, idmapped_bind);
        tcase_add_test(tc, cgroup_mount_sees_its_namespace);
        tcase_add_test(tc, refusals_leave_nothing);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        free(host_before);
        harness_teardown();
        return rc;
}
