/* unit_mounts.c - the spec model's mounts: every type and option, the
 * flags each ends as, the refusals with their positions, overlay's
 * directories (beneath the spec's directory), rootfs_propagation, and the
 * print/parse round trip of all of it.  No root needed. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "congo/parse.h"
#include "congo/spec.h"
#include "run_suite.h"
#include "unit_helpers.h"

static char dir[] = "/tmp/congo-unit-mounts-XXXXXX";

/* The shared helper (unit_helpers.h) under this suite's short name. */
#define load(s, file, text, errors) unit_load(s, file, text, errors)
#define BASE "version: 1\nrootfs: /\ncommand: [/bin/true]\n"

/* The one mount of BASE + body, which must be valid. */
static void one(struct congo_spec *s, const char *body)
{
        char text[2048], path[256];

        snprintf(text, sizeof text, BASE "%s", body);
        snprintf(path, sizeof path, "%s/m.yaml", dir);
        unit_load_ok(s, path, text);
        ck_assert_uint_eq(s->n_mounts, 1);
}

static void expect_error(const char *body, const char *message)
{
        char text[2048], path[256];

        snprintf(text, sizeof text, BASE "%s", body);
        snprintf(path, sizeof path, "%s/w.yaml", dir);
        unit_expect_error(path, text, message);
}

#define STD (MS_NOSUID | MS_NODEV | MS_NOEXEC)

START_TEST(every_type)
{
        static const struct {
                const char *yaml;
                enum congo_mount_type type;
                unsigned long flags;    /* at least these */
                unsigned long not;      /* and none of these */
                const char *data;
        } cases[] = {
                { "{type: bind, source: /tmp, target: /b}", CONGO_MOUNT_BIND, MS_BIND | MS_REC | MS_NODEV, 0, NULL },
                { "{type: rbind, source: /tmp, target: /b}", CONGO_MOUNT_BIND, MS_BIND | MS_REC | MS_NODEV, 0, NULL },
                { "{type: bind, source: /tmp, target: /b, options: [bind]}", CONGO_MOUNT_BIND, MS_BIND | MS_NODEV, MS_REC, NULL },
                { "{type: tmpfs, target: /t, options: [size=1m, huge=within_size]}", CONGO_MOUNT_TMPFS, MS_NODEV, MS_REC, "size=1m,huge=within_size" },
                { "{type: proc, source: proc, target: /p}", CONGO_MOUNT_PROC, STD, MS_RDONLY, NULL },
                { "{type: sysfs, target: /s}", CONGO_MOUNT_SYSFS, STD | MS_RDONLY, 0, NULL },
                { "{type: devpts, target: /dev/pts2, options: [newinstance, ptmxmode=0666, gid=5]}", CONGO_MOUNT_DEVPTS,
                  MS_NOSUID | MS_NOEXEC, MS_NODEV, "newinstance,ptmxmode=0666,gid=5" },
                { "{type: mqueue, target: /dev/mqueue}", CONGO_MOUNT_MQUEUE, STD, 0, NULL },
                { "{type: cgroup, target: /c1, options: [memory]}", CONGO_MOUNT_CGROUP, STD | MS_RDONLY, 0, "memory" },
                { "{type: cgroup2, target: /sys/fs/cgroup}", CONGO_MOUNT_CGROUP2, STD | MS_RDONLY, 0, NULL },
                { "{type: ext4, source: /dev/vdb, target: /e, options: [errors=remount-ro]}", CONGO_MOUNT_OTHER,
                  MS_NODEV, MS_BIND, "errors=remount-ro" },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                struct congo_spec s;
                char body[512];
                snprintf(body, sizeof body, "mounts: [%s]\n", cases[i].yaml);
                one(&s, body);
                const struct congo_mount *m = &s.mounts[0];
                ck_assert_msg(m->type == cases[i].type, "%s: type %d", cases[i].yaml, m->type);
                ck_assert_msg((m->flags & cases[i].flags) == cases[i].flags, "%s: flags %#lx", cases[i].yaml, m->flags);
                ck_assert_msg((m->flags & cases[i].not) == 0, "%s: flags %#lx", cases[i].yaml, m->flags);
                if (cases[i].data)
                        ck_assert_str_eq(m->data, cases[i].data);
                else
                        ck_assert_ptr_null(m->data);
                congo_spec_free(&s);
        }
        /* A non-bind source is the filesystem's source string, not a path. */
        struct congo_spec s;
        one(&s, "mounts: [{type: tmpfs, source: shm, target: /t}]\n");
        ck_assert_str_eq(s.mounts[0].source, "shm");
        ck_assert_str_eq(s.mounts[0].fstype, "tmpfs");
        congo_spec_free(&s);
}
END_TEST

START_TEST(every_flag_option)
{
        static const struct { const char *opt; unsigned long set, clear; } cases[] = {
                { "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
                { "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
                { "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
                { "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
                { "noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME },
                { "relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME },
                { "strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME },
                { "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
                { "atime", 0, MS_NOATIME },
        };
        for (size_t t = 0; t < 2; t++)
                for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                        struct congo_spec s;
                        char body[256];
                        snprintf(body, sizeof body, t == 0 ?
                                 "mounts: [{type: bind, source: /tmp, target: /b, options: [%s]}]\n" :
                                 "mounts: [{type: tmpfs, target: /b, options: [%s]}]\n", cases[i].opt);
                        one(&s, body);
                        ck_assert_msg((s.mounts[0].flags & cases[i].set) == cases[i].set, "%s", cases[i].opt);
                        ck_assert_msg((s.mounts[0].flags & cases[i].clear) == 0, "%s", cases[i].opt);
                        ck_assert_msg((s.mounts[0].clear & cases[i].clear) == cases[i].clear, "%s", cases[i].opt);
                        congo_spec_free(&s);
                }
        /* nodev stays unless dev is given. */
        struct congo_spec s;
        one(&s, "mounts: [{type: overlay, target: /o, options: [lowerdir=/tmp]}]\n");
        ck_assert(s.mounts[0].flags & MS_NODEV);
        congo_spec_free(&s);
        one(&s, "mounts: [{type: tmpfs, target: /o, options: [rw, dev, ro]}]\n");
        ck_assert(s.mounts[0].flags & MS_RDONLY);
        ck_assert(!(s.mounts[0].flags & MS_NODEV));
        congo_spec_free(&s);
}
END_TEST

START_TEST(propagation_options)
{
        static const struct { const char *opt; unsigned long ms; } cases[] = {
                { "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
                { "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
                { "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
                { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                struct congo_spec s;
                char body[256];
                snprintf(body, sizeof body, "mounts: [{type: tmpfs, target: /b, options: [%s]}]\n", cases[i].opt);
                one(&s, body);
                ck_assert_uint_eq(s.mounts[0].propagation, cases[i].ms);
                ck_assert_ptr_null(s.mounts[0].data);
                congo_spec_free(&s);
                snprintf(body, sizeof body, "rootfs_propagation: %s\nmounts: [{type: tmpfs, target: /b}]\n", cases[i].opt);
                one(&s, body);
                ck_assert_uint_eq(s.rootfs_propagation, cases[i].ms);
                congo_spec_free(&s);
        }
        expect_error("rootfs_propagation: sideways\n",
                     "w.yaml:4:21: rootfs_propagation: \"sideways\" is not private, slave, shared or unbindable");
}
END_TEST

START_TEST(refusals)
{
        expect_error("mounts: [{type: \"a b\", target: /x}]\n", "mounts[0].type: \"a b\" is not a filesystem type");
        expect_error("mounts: [{type: proc, target: /p, options: [dev]}]\n",
                     "w.yaml:4:44: mounts[0].options: \"dev\": not allowed on this type");
        expect_error("mounts: [{type: proc, target: /p, options: [suid]}]\n", "\"suid\": not allowed on this type");
        expect_error("mounts: [{type: proc, target: /p, options: [exec]}]\n", "\"exec\": not allowed on this type");
        expect_error("mounts: [{type: sysfs, target: /s, options: [rw]}]\n", "\"rw\": not allowed on this type");
        expect_error("mounts: [{type: cgroup2, target: /c, options: [rw]}]\n", "\"rw\": not allowed on this type");
        expect_error("mounts: [{type: cgroup, target: /c, options: [rw]}]\n", "\"rw\": not allowed on this type");
        expect_error("mounts: [{type: mqueue, target: /m, options: [exec]}]\n", "\"exec\": not allowed on this type");
        expect_error("mounts: [{type: devpts, target: /d, options: [suid]}]\n", "\"suid\": not allowed on this type");
        expect_error("mounts: [{type: bind, source: /tmp, target: /b, options: [size=1m]}]\n",
                     "\"size=1m\": unknown option (a bind mount takes no filesystem options)");
        expect_error("mounts: [{type: tmpfs, target: /b, options: [rbind]}]\n", "\"rbind\": only a bind mount takes it");
        expect_error("mounts: [{type: tmpfs, target: /b, options: [size=lots]}]\n", "\"size=lots\": size is not a size");
        expect_error("mounts: [{type: tmpfs, target: /b, options: [mode=999]}]\n", "\"mode=999\": mode is not octal");
        expect_error("mounts: [{type: devpts, target: /b, options: [ptmxmode=rw]}]\n", "mode is not octal");
        expect_error("mounts: [{type: tmpfs, target: /b, options: [uid=-1]}]\n", "\"uid=-1\": not a number");
        expect_error("mounts: [{type: tmpfs, target: /b, options: [\"\"]}]\n", "an empty option");
        /* The types congo knows have their parameters checked now. */
        expect_error("mounts: [{type: tmpfs, target: /b, options: [nosiud]}]\n", "\"nosiud\": unknown option");
        expect_error("mounts: [{type: proc, target: /b, options: [hidepid=2, sizee=1]}]\n", "\"sizee=1\": unknown option");
        expect_error("mounts: [{type: sysfs, target: /b, options: [size=1m]}]\n", "\"size=1m\": unknown option");
        expect_error("mounts: [{type: mqueue, target: /b, options: [mode=1777]}]\n", "\"mode=1777\": unknown option");
        expect_error("mounts: [{type: bind, source: /tmp, target: /b, options: [idmap]}]\n",
                     "\"idmap\": needs the user namespace");
        expect_error("namespaces: [uts, pid, net, mount, ipc, user]\nuid_map: \"0 100000 65536\"\ngid_map: \"0 100000 65536\"\n"
                     "mounts: [{type: tmpfs, target: /b, options: [idmap]}]\n", "\"idmap\": congo idmaps bind mounts only");
        expect_error("mounts: [{type: bind, target: /b}]\n", "mounts[0]: a bind mount needs a source");
        expect_error("mounts: [{target: /b}]\n", "mounts[0]: type is missing");
}
END_TEST

/* lowerdir/upperdir/workdir: beneath the spec's directory when relative,
 * refused when they lead out of it. */
START_TEST(overlay_dirs)
{
        char p[512], body[512];
        struct congo_spec s;

        for (const char *const *d = (const char *const[]){ "l1", "l2", "u", "w", "in", NULL }; *d; d++) {
                snprintf(p, sizeof p, "%s/%s", dir, *d);
                mkdir(p, 0755);
        }
        snprintf(p, sizeof p, "%s/in/out", dir);
        unlink(p);
        ck_assert_int_eq(symlink("/tmp", p), 0);
        one(&s, "mounts: [{type: overlay, target: /o, options: [\"lowerdir=./l1:l2\", upperdir=u, workdir=./w, index=off]}]\n");
        const struct congo_overlay *o = &s.mounts[0].overlay;
        ck_assert_uint_eq(o->n_lower, 2);
        snprintf(p, sizeof p, "%s/l2", dir);
        ck_assert_str_eq(o->lower[1], p);
        ck_assert_str_eq(o->lower_rel[1].rel, "l2");
        ck_assert_str_eq(o->upper_rel.rel, "u");
        ck_assert_str_eq(o->work_rel.rel, "./w");
        ck_assert_str_eq(s.mounts[0].data, "index=off");
        snprintf(p, sizeof p, "lowerdir=%s/l1:%s/l2", dir, dir);
        ck_assert_str_eq(s.mounts[0].options[0], p);
        congo_spec_free(&s);

        expect_error("mounts: [{type: overlay, target: /o}]\n", "mounts[0]: an overlay mount needs lowerdir=");
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=l1, upperdir=u]}]\n",
                     "upperdir and workdir go together");
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=l1, lowerdir=l2]}]\n",
                     "lowerdir is given twice");
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=nope]}]\n",
                     "No such file or directory");
        /* Out of the spec's directory: by "..", and through a symlink. */
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=../..]}]\n", "mounts[0].options:");
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=l1:in/out]}]\n", "mounts[0].options:");
        snprintf(body, sizeof body, "mounts: [{type: overlay, target: /o, options: [lowerdir=l1, upperdir=in/out, workdir=w]}]\n");
        expect_error(body, "mounts[0].options:");
        /* A bind source through the same symlink, likewise. */
        expect_error("mounts: [{type: bind, source: in/out, target: /o}]\n", "mounts[0].source:");
}
END_TEST

/* One option per list item: a comma inside an item would reach fsconfig
 * as several parameters that congo never checked (an overlay upperdir or
 * lowerdir not opened beneath the spec's directory, a parameter of a type
 * whose names are checked), and --print would show something else. */
START_TEST(smuggled_parameters)
{
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=l1, \"index=off,upperdir=/tmp,workdir=/tmp\"]}]\n",
                     "mounts[0].options: \"index=off,upperdir=/tmp,workdir=/tmp\": one option per item");
        expect_error("mounts: [{type: overlay, target: /o, options: [\"lowerdir=l1,lowerdir=/etc\"]}]\n",
                     "one option per item");
        expect_error("mounts: [{type: proc, target: /p, options: [\"hidepid=2,rw\"]}]\n", "one option per item");
        expect_error("mounts: [{type: cgroup2, target: /c, options: [\"memory_recursiveprot=1,x\"]}]\n",
                     "one option per item");
        /* overlay's one-layer-at-a-time parameters name paths congo must
         * open itself: lowerdir=A:B is the way to write them. */
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=l1, \"lowerdir+=/etc\"]}]\n",
                     "\"lowerdir+=/etc\": write the layers in lowerdir=");
        expect_error("mounts: [{type: overlay, target: /o, options: [lowerdir=l1, \"datadir+=/etc\"]}]\n",
                     "\"datadir+=/etc\": write the layers in lowerdir=");
        /* The one-string form still splits on commas. */
        struct congo_spec s;
        one(&s, "mounts: [{type: tmpfs, target: /t, options: \"size=1m,mode=700\"}]\n");
        ck_assert_str_eq(s.mounts[0].data, "size=1m,mode=700");
        congo_spec_free(&s);
}
END_TEST

/* With the cgroup namespace a cgroup mount is made after the pivot, after
 * every other mount: one beneath its target would be hidden by it, not
 * mounted "in order" as congo-spec(5) says. */
START_TEST(beneath_deferred_cgroup)
{
        expect_error("namespaces: [mount, pid, ipc, uts, net, cgroup]\n"
                     "mounts: [{type: cgroup2, target: /cg}, {type: tmpfs, target: /cg/x}]\n",
                     "mounts[1].target: /cg/x is beneath mounts[0], a cgroup mount made after the others");
        expect_error("namespaces: [mount, pid, ipc, uts, net, cgroup]\n"
                     "mounts: [{type: cgroup, target: /sys/fs/cgroup, options: [none, name=x]}, {type: bind, source: /tmp, target: /sys/fs/cgroup/a/b}]\n",
                     "is beneath mounts[0]");
        struct congo_spec s;
        char text[512], path[256], *errors;
        /* Without the cgroup namespace it is made in order: fine.  Nor is
         * a sibling such as /cgx beneath /cg. */
        snprintf(path, sizeof path, "%s/c.yaml", dir);
        ck_assert_int_eq(load(&s, path, BASE "mounts: [{type: cgroup2, target: /cg}, {type: tmpfs, target: /cg/x}]\n", &errors), 0);
        free(errors);
        congo_spec_free(&s);
        snprintf(text, sizeof text, BASE "namespaces: [mount, pid, ipc, uts, net, cgroup]\n"
                 "mounts: [{type: cgroup2, target: /cg}, {type: tmpfs, target: /cgx}, {type: tmpfs, target: /a}, {type: cgroup2, target: /a/cg}]\n");
        ck_assert_msg(load(&s, path, text, &errors) == 0, "%s", errors);
        free(errors);
        congo_spec_free(&s);
}
END_TEST

/* A source or overlay layer inside the rootfs goes where the image's
 * symlinks say: it is opened beneath the rootfs, so that the image cannot
 * point it at the spec's directory (another container's files) nor, when
 * written absolute, at the host. */
START_TEST(source_inside_the_rootfs)
{
        char p[512], q[512], text[2048], path[256], *errors;
        struct congo_spec s;
        const char *const dirs[] = { "img", "img/etc", "img/var", "secret", NULL };

        for (const char *const *d = dirs; *d; d++) {
                snprintf(p, sizeof p, "%s/%s", dir, *d);
                mkdir(p, 0755);
        }
        const char *const links[][2] = { { "img/up", "../secret" }, { "img/var/deep", "../../secret" },
                                          { "img/abs", "/etc" }, { "img/inside", "etc" } };
        for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
                snprintf(p, sizeof p, "%s/%s", dir, links[i][0]);
                unlink(p);
                ck_assert_int_eq(symlink(links[i][1], p), 0);
        }
        snprintf(path, sizeof path, "%s/r.yaml", dir);
        const char *const bad[] = {
                "mounts: [{type: bind, source: ./img/up, target: /d}]\n",
                "mounts: [{type: bind, source: img/var/deep, target: /d}]\n",
                "mounts: [{type: bind, source: img/abs, target: /d}]\n",
                "mounts: [{type: overlay, target: /o, options: [\"lowerdir=l1:img/up\"]}]\n",
                "mounts: [{type: overlay, target: /o, options: [lowerdir=l1, upperdir=img/var/deep, workdir=img/etc]}]\n",
                "mounts: [{type: bind, source: %s/img/up, target: /d}]\n",   /* absolute */
                NULL };
        for (const char *const *b = bad; *b; b++) {
                snprintf(q, sizeof q, *b, dir);
                snprintf(text, sizeof text, "version: 1\nrootfs: ./img\ncommand: [/bin/true]\n%s", q);
                ck_assert_msg(load(&s, path, text, &errors) >= 1, "no error for %s", q);
                ck_assert_msg(strstr(errors, "leads out of") != NULL, "%s: %s", q, errors);
                free(errors);
                congo_spec_free(&s);
        }
        /* Inside the image, and the rootfs itself as a layer: fine. */
        snprintf(text, sizeof text, "version: 1\nrootfs: ./img\ncommand: [/bin/true]\n"
                 "mounts: [{type: bind, source: img/inside, target: /d}, {type: bind, source: %s/img/etc, target: /e},"
                 " {type: overlay, target: /o, options: [\"lowerdir=img:l1\"]}]\n", dir);
        ck_assert_msg(load(&s, path, text, &errors) == 0, "%s", errors);
        free(errors);
        ck_assert_str_eq(s.mounts[0].source_rel.rel, "inside");
        congo_spec_free(&s);
}
END_TEST

START_TEST(round_trip)
{
        char path[256], *once, *twice;
        size_t len;
        const char *text = BASE "rootfs_propagation: rslave\nmounts:\n"
                "  - {type: rbind, source: /tmp, target: /a, options: [ro, rshared, norbind]}\n"
                "  - {type: proc, source: proc, target: /p, options: [nosuid]}\n"
                "  - {type: sysfs, target: /s, options: [ro]}\n"
                "  - {type: devpts, target: /d, options: [newinstance, \"ptmxmode=0666\"]}\n"
                "  - {type: mqueue, target: /q}\n  - {type: cgroup2, target: /c, options: [ro, private]}\n"
                "  - {type: overlay, target: /o, options: [lowerdir=l1]}\n"
                "  - {type: tmpfs, target: /t, options: [size=50%, noatime, unbindable]}\n";

        snprintf(path, sizeof path, "%s/rt.yaml", dir);
        for (int pass = 0; pass < 2; pass++) {
                struct congo_spec s;
                char *errors;
                int n = load(&s, path, pass ? once : text, &errors);
                ck_assert_msg(n == 0, "pass %d: %s", pass, errors);
                free(errors);
                FILE *f = open_memstream(pass ? &twice : &once, &len);
                congo_spec_print(&s, f);
                fclose(f);
                congo_spec_free(&s);
        }
        ck_assert_str_eq(once, twice);
        ck_assert_ptr_nonnull(strstr(once, "rootfs_propagation: rslave\n"));
        ck_assert_ptr_nonnull(strstr(once, "{type: \"rbind\", source: \"/tmp\""));
        ck_assert_ptr_nonnull(strstr(once, "{type: \"mqueue\""));
        free(once);
        free(twice);

        /* INI: rbind takes a source as bind does. */
        struct congo_spec s;
        char *errors;
        snprintf(path, sizeof path, "%s/i.ini", dir);
        ck_assert_int_eq(load(&s, path, "[container]\nversion = 1\nrootfs = /\ncommand = /bin/true\n"
                                        "rootfs_propagation = slave\n[mounts]\n/a = rbind /tmp ro,rslave\n/p = proc\n", &errors), 0);
        free(errors);
        ck_assert_str_eq(s.mounts[0].source, "/tmp");
        ck_assert_uint_eq(s.mounts[0].propagation, MS_SLAVE | MS_REC);
        ck_assert_int_eq(s.mounts[1].type, CONGO_MOUNT_PROC);
        ck_assert_uint_eq(s.rootfs_propagation, MS_SLAVE);
        congo_spec_free(&s);
}
END_TEST

int main(void)
{
        if (mkdtemp(dir) == NULL)
                return 1;
        char p[512];
        snprintf(p, sizeof p, "%s/l1", dir);
        mkdir(p, 0755);
        Suite *s = suite_create("mounts");
        TCase *tc = tcase_create("mounts");
        tcase_add_test(tc, every_type);
        tcase_add_test(tc, every_flag_option);
        tcase_add_test(tc, propagation_options);
        tcase_add_test(tc, refusals);
        tcase_add_test(tc, overlay_dirs);
        tcase_add_test(tc, round_trip);
        tcase_add_test(tc, smuggled_parameters);
        tcase_add_test(tc, beneath_deferred_cgroup);
        tcase_add_test(tc, source_inside_the_rootfs);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        snprintf(p, sizeof p, "rm -rf '%s'", dir);
        if (system(p) != 0)
                rc = 1;
        return rc;
}
