/* process.c - the process and security keys on real containers, as root:
 * the five capability sets, oom_score_adj, umask, additional_gids,
 * personality, sysctl, masked_paths/readonly_paths and time_offsets, each
 * asserted as a user sees it inside (/proc/self/status, id, uname...) and
 * outside (the host's sysctls and mount table unchanged).  Hostile images
 * aim sysctl and the masked paths elsewhere with symlinks. */
#define _GNU_SOURCE
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "harness.h"
#include "run_suite.h"

#define SH(cmd) "command: [\"/bin/sh\", \"-c\", " cmd "]\n"

static void expect_out(struct outcome *o, const char *want)
{
        ck_assert_msg(o->status == 0, "status %d, err %s", o->status, o->err);
        ck_assert_str_eq(o->out, want);
        outcome_free(o);
}

/* Whether this process holds capability cap in its effective set. */
static bool have_cap(int cap)
{
        char *status = read_file("/proc/self/status");
        char *eff = strstr(status, "CapEff:");
        unsigned long long mask = eff ? strtoull(eff + 7, NULL, 16) : 0;
        free(status);
        return (mask >> cap) & 1;
}

#define CAPS SH("\"grep ^Cap /proc/self/status\"")

START_TEST(capability_sets_as_root)
{
        /* Root: after exec the kernel gives root bounding|inheritable,
         * cut to the permitted set by no_new_privs, all of it effective. */
        struct outcome o = harness_run_spec("caps-root",
                "security:\n  capabilities: [chown, kill, net_bind_service]\n"
                "  capabilities_bounding: [chown, kill, net_bind_service, sys_admin]\n"
                "  capabilities_inheritable: [net_bind_service]\n"
                "  capabilities_ambient: [net_bind_service]\n" CAPS);
        expect_out(&o, "CapInh:\t0000000000000400\nCapPrm:\t0000000000000421\nCapEff:\t0000000000000421\n"
                       "CapBnd:\t0000000000200421\nCapAmb:\t0000000000000400\n");
        /* The shorthand alone: four sets alike, ambient empty, as before. */
        o = harness_run_spec("caps-short", "security: {capabilities: [chown, kill]}\n" CAPS);
        expect_out(&o, "CapInh:\t0000000000000021\nCapPrm:\t0000000000000021\nCapEff:\t0000000000000021\n"
                       "CapBnd:\t0000000000000021\nCapAmb:\t0000000000000000\n");
}
END_TEST

START_TEST(ambient_capabilities_for_a_user)
{
        /* Another user keeps only the ambient set across exec, and can use
         * it: chown needs CAP_CHOWN. */
        const char *cmd = SH("\"grep ^Cap /proc/self/status; touch /tmp/f && chown 0 /tmp/f && echo chowned\"");
        char body[1024];
        snprintf(body, sizeof body, "user: \"1000:1000\"\nsecurity:\n  capabilities: [chown, kill, net_bind_service]\n"
                 "  capabilities_ambient: [chown]\n%s", cmd);
        struct outcome o = harness_run_spec("caps-amb", body);
        expect_out(&o, "CapInh:\t0000000000000421\nCapPrm:\t0000000000000001\nCapEff:\t0000000000000001\n"
                       "CapBnd:\t0000000000000421\nCapAmb:\t0000000000000001\nchowned\n");
        snprintf(body, sizeof body, "user: \"1000:1000\"\nsecurity:\n  capabilities: [chown, kill, net_bind_service]\n%s", cmd);
        o = harness_run_spec("caps-noamb", body);
        ck_assert_msg(o.status == 1, "status %d: %s", o.status, o.out);
        ck_assert_ptr_null(strstr(o.out, "chowned"));
        ck_assert_ptr_nonnull(strstr(o.out, "CapPrm:\t0000000000000000\n"));
        outcome_free(&o);
}
END_TEST

START_TEST(inconsistent_capability_sets_refused)
{
        struct outcome o = harness_run_spec("caps-bad", "security:\n  capabilities: [chown]\n"
                                            "  capabilities_ambient: [kill]\n" SH("\"echo ran\""));
        ck_assert_int_eq(o.status, 125);
        ck_assert_str_eq(o.out, "");
        ck_assert_msg(strstr(o.err, "caps-bad.yaml:5:25: security.capabilities_ambient: CAP_KILL is not in the permitted set"),
                      "%s", o.err);
        outcome_free(&o);
}
END_TEST

START_TEST(process_extras)
{
        struct outcome o = harness_run_spec("proc-x", "oom_score_adj: 500\numask: \"027\"\n"
                "user: \"1000:1000\"\nadditional_gids: [10, 20]\n"
                SH("\"cat /proc/self/oom_score_adj; umask; touch /tmp/f; stat -c %a /tmp/f; id -G;"
                   " grep ^Groups: /proc/self/status\""));
        expect_out(&o, "500\n0027\n640\n1000 10 20\nGroups:\t10 20 \n");
        /* The default leaves the launcher's, and 022. */
        char *mine = read_file("/proc/self/oom_score_adj"), want[64];
        snprintf(want, sizeof want, "%s0022\n0\n", mine);
        o = harness_run_spec("proc-def", SH("\"cat /proc/self/oom_score_adj; umask; id -G\""));
        expect_out(&o, want);
        free(mine);
        /* Lowering it takes CAP_SYS_RESOURCE: with it, done; without it
         * (a launcher in a container), refused before the command runs. */
        o = harness_run_spec("proc-low", "oom_score_adj: -500\n" SH("\"cat /proc/self/oom_score_adj\""));
        if (have_cap(24)) {
                expect_out(&o, "-500\n");
        } else {
                ck_assert_msg(o.status == 125, "status %d out %s", o.status, o.out);
                ck_assert_str_eq(o.out, "");
                ck_assert_msg(strstr(o.err, "oom_score_adj: writing -500") &&
                              strstr(o.err, "(lowering it needs CAP_SYS_RESOURCE): Permission denied"), "%s", o.err);
                outcome_free(&o);
        }
}
END_TEST

START_TEST(personality_linux32)
{
        struct utsname u;
        uname(&u);
        if (strcmp(u.machine, "x86_64") != 0) {
                printf("personality_linux32: skipped on %s (the test knows x86_64's answer)\n", u.machine);
                return;
        }
        struct outcome o = harness_run_spec("pers32", "personality: linux32\n" SH("\"uname -m\""));
        expect_out(&o, "i686\n");
        o = harness_run_spec("pers64", "personality: linux\n" SH("\"uname -m\""));
        expect_out(&o, "x86_64\n");
}
END_TEST

START_TEST(sysctl_inside_not_outside)
{
        char *fwd = read_file("/proc/sys/net/ipv4/ip_forward");
        char *shm = read_file("/proc/sys/kernel/shmmni");
        struct outcome o = harness_run_spec("sysctl", "sysctl:\n  net.ipv4.ip_forward: \"1\"\n  kernel.shmmni: \"1234\"\n"
                "  kernel.sem: \"100 2000 30 40\"\n"
                SH("\"cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni; tr -s '\\\\t ' ' ' < /proc/sys/kernel/sem;"
                   " echo 5 > /proc/sys/kernel/shmmni || echo read-only\""));
        ck_assert_msg(o.status == 0, "status %d, err %s", o.status, o.err);
        ck_assert_str_eq(o.out, "1\n1234\n100 2000 30 40\nread-only\n");
        outcome_free(&o);
        /* The host's are untouched. */
        char *fwd2 = read_file("/proc/sys/net/ipv4/ip_forward");
        char *shm2 = read_file("/proc/sys/kernel/shmmni");
        ck_assert_str_eq(fwd, fwd2);
        ck_assert_str_eq(shm, shm2);
        free(fwd2);
        free(shm2);

        /* Hostile images: whatever the image holds where /proc and its
         * sys directory go, the write lands in the container's procfs. */
        static const char *const shapes[] = {
                "rm -rf proc && mkdir -p proc/sys && ln -s /etc proc/sys/net",
                "rm -rf proc && mkdir proc && ln -s ../../../../.. proc/sys",
                "rm -rf proc && ln -s /tmp proc",
                "rm -rf proc && ln -s ../../../../../proc proc",
        };
        for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
                char *mounts = read_file("/proc/self/mountinfo");
                const char *root = harness_image("sysctl-hostile", shapes[i]);
                o = harness_run_on("sysctl-h", root, "sysctl: {net.ipv4.ip_forward: \"1\"}\n"
                                   SH("\"cat /proc/sys/net/ipv4/ip_forward\""));
                /* Either it ran in its own procfs, or it was refused. */
                ck_assert_msg((o.status == 0 && strcmp(o.out, "1\n") == 0) || o.status == 125,
                              "%s: status %d out %s err %s", shapes[i], o.status, o.out, o.err);
                outcome_free(&o);
                fwd2 = read_file("/proc/sys/net/ipv4/ip_forward");
                ck_assert_msg(strcmp(fwd, fwd2) == 0, "%s: the host's ip_forward changed", shapes[i]);
                free(fwd2);
                char *after = read_file("/proc/self/mountinfo");
                ck_assert_str_eq(mounts, after);
                free(after);
                free(mounts);
        }
        free(fwd);
        free(shm);
}
END_TEST

START_TEST(masked_and_readonly_paths_replace_the_defaults)
{
        const char *root = harness_image("masked", "mkdir -p etc/sec srv && echo secret > etc/secret && echo s2 > etc/sec/f"
                                                   " && echo data > srv/d");
        struct outcome o = harness_run_on("masked", root,
                "masked_paths: [/etc/secret, /etc/sec, /no/such/path]\nreadonly_paths: [/srv, /missing]\n"
                SH("\"cat /etc/secret; ls /etc/sec; echo x > /etc/sec/g || echo masked-ro;"
                   " cat /srv/d; touch /srv/e || echo srv-ro; touch /etc/new && echo etc-rw;"
                   " echo 77 > /proc/sys/kernel/shmmni && echo sys-rw\""));
        ck_assert_msg(o.status == 0, "status %d, err %s", o.status, o.err);
        /* The defaults are replaced: /proc/sys is read-only by default
         * only, and readonly_paths named /srv instead. */
        ck_assert_str_eq(o.out, "masked-ro\ndata\nsrv-ro\netc-rw\nsys-rw\n");
        outcome_free(&o);

        o = harness_run_on("unmasked", root, "readonly_paths: []\n"
                           SH("\"echo 77 > /proc/sys/kernel/shmmni && cat /proc/sys/kernel/shmmni\""));
        expect_out(&o, "77\n");
        /* Without the keys the defaults stay: /proc/sys read-only. */
        o = harness_run_on("default-ro", root, SH("\"echo 77 > /proc/sys/kernel/shmmni || echo sys-ro\""));
        expect_out(&o, "sys-ro\n");
}
END_TEST

/* Symlinks in the image where a masked or read-only path goes: followed
 * inside the root only; a magic link is refused; the host never moves. */
START_TEST(masked_paths_against_symlinks)
{
        char host[512];
        snprintf(host, sizeof host, "%s", harness_host_file("masked-host", "host-data\n"));
        static const struct { const char *shape, *masked, *want; int status; } cases[] = {
                /* ".." and absolute links resolve inside the root. */
                { "echo inner > etc/inner && ln -s ../../../../../../etc/inner etc/dotdot", "/etc/dotdot", "", 0 },
                { "echo inner > etc/inner && ln -s /etc/inner etc/abs", "/etc/abs", "", 0 },
                /* A link to the host's file names the image's path, absent: skipped. */
                { "ln -s HOST etc/out", "/etc/out", "gone\n", 0 },
                /* Through /proc's magic links: refused. */
                { "ln -s /proc/self/root/etc/inner etc/magic && echo inner > etc/inner", "/etc/magic", NULL, 125 },
                { "ln -s /proc/1/cwd etc/cwd", "/etc/cwd/x", NULL, 125 },
                /* A directory link in the middle of the path. */
                { "mkdir -p real && echo inner > real/f && ln -s ../../real etc/mid", "/etc/mid/f", "", 0 },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                char shape[1024], body[1024];
                const char *h = strstr(cases[i].shape, "HOST");
                if (h)
                        snprintf(shape, sizeof shape, "%.*s%s%s", (int)(h - cases[i].shape), cases[i].shape, host, h + 4);
                else
                        snprintf(shape, sizeof shape, "%s", cases[i].shape);
                char *mounts = read_file("/proc/self/mountinfo");
                const char *root = harness_image("masked-h", shape);
                snprintf(body, sizeof body, "masked_paths: [\"%s\"]\nreadonly_paths: [\"%s\"]\n"
                         SH("\"cat %s 2>/dev/null || echo gone\""), cases[i].masked, cases[i].masked, cases[i].masked);
                struct outcome o = harness_run_on("masked-h", root, body);
                ck_assert_msg(o.status == cases[i].status, "%s: status %d out %s err %s", shape, o.status, o.out, o.err);
                if (cases[i].want)
                        ck_assert_msg(strcmp(o.out, cases[i].want) == 0, "%s: out %s", shape, o.out);
                else
                        ck_assert_msg(strstr(o.err, "inside the container") != NULL, "%s: err %s", shape, o.err);
                outcome_free(&o);
                char *data = read_file(host), *after = read_file("/proc/self/mountinfo");
                ck_assert_str_eq(data, "host-data\n");
                ck_assert_str_eq(mounts, after);
                free(data);
                free(after);
                free(mounts);
        }
}
END_TEST

/* A path inside a bind mount of the host's: masked and made read-only in
 * the container's mount namespace only. */
START_TEST(masked_paths_in_a_bind_stay_inside)
{
        char dir[512], file[600], body[2048];
        snprintf(dir, sizeof dir, "%s/bind-src", harness_tmp());
        snprintf(file, sizeof file, "%s/f", dir);
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/sub' && echo host > '%s'", dir, file);
        ck_assert_int_eq(system(cmd), 0);
        char *mounts = read_file("/proc/self/mountinfo");
        snprintf(body, sizeof body, "mounts: [{type: bind, source: \"%s\", target: /data}]\n"
                 "masked_paths: [/data/f]\nreadonly_paths: [/data/sub]\n"
                 SH("\"cat /data/f; touch /data/sub/x || echo ro; touch /data/y && echo rw\""), dir);
        struct outcome o = harness_run_spec("masked-bind", body);
        expect_out(&o, "ro\nrw\n");
        char *data = read_file(file), *after = read_file("/proc/self/mountinfo");
        ck_assert_str_eq(data, "host\n");
        ck_assert_str_eq(mounts, after);
        free(data);
        free(after);
        /* Nor with the root's propagation asked shared or slave. */
        static const char *const props[] = { "rshared", "rslave", "shared" };
        for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
                snprintf(body, sizeof body, "rootfs_propagation: %s\n"
                         "mounts: [{type: bind, source: \"%s\", target: /data}]\n"
                         "masked_paths: [/data/f, /etc]\nreadonly_paths: [/data/sub, /proc]\n"
                         SH("\"cat /data/f; ls /etc | wc -l\""), props[i], dir);
                o = harness_run_spec("masked-prop", body);
                expect_out(&o, "0\n");
                after = read_file("/proc/self/mountinfo");
                ck_assert_msg(strcmp(mounts, after) == 0, "%s: the host's mount table changed", props[i]);
                free(after);
        }
        free(mounts);
}
END_TEST

START_TEST(time_offsets_in_a_time_namespace)
{
        if (access("/proc/self/timens_offsets", F_OK) != 0) {
                printf("time_offsets_in_a_time_namespace: skipped, the kernel has no time namespaces (CONFIG_TIME_NS)\n");
                return;
        }
        struct outcome o = harness_run_spec("timens", "namespaces: [uts, pid, net, mount, ipc, time]\n"
                "time_offsets: {monotonic: \"-1.5\", boottime: 86400}\n"
                SH("\"tr -s ' ' < /proc/self/timens_offsets; cut -d. -f1 /proc/uptime\""));
        ck_assert_msg(o.status == 0, "status %d, err %s", o.status, o.err);
        ck_assert_msg(strncmp(o.out, "monotonic -2 500000000\nboottime 86400 0\n", 39) == 0, "%s", o.out);
        char *up = read_file("/proc/uptime");
        long inside = atol(o.out + 39), outside = atol(up);
        ck_assert_msg(inside >= outside + 86400 - 5 && inside <= outside + 86400 + 5,
                      "uptime inside %ld, outside %ld", inside, outside);
        free(up);
        outcome_free(&o);
}
END_TEST

int main(void)
{
        harness_setup("process");
        Suite *s = suite_create("process");
        TCase *tc = tcase_create("process");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, capability_sets_as_root);
        tcase_add_test(tc, ambient_capabilities_for_a_user);
        tcase_add_test(tc, inconsistent_capability_sets_refused);
        tcase_add_test(tc, process_extras);
        tcase_add_test(tc, personality_linux32);
        tcase_add_test(tc, sysctl_inside_not_outside);
        tcase_add_test(tc, masked_and_readonly_paths_replace_the_defaults);
        tcase_add_test(tc, masked_paths_against_symlinks);
        tcase_add_test(tc, masked_paths_in_a_bind_stay_inside);
        tcase_add_test(tc, time_offsets_in_a_time_namespace);
        suite_add_tcase(s, tc);
        int rc = run_suite(s);
        harness_teardown();
        return rc;
}
