/* unit_seccomp.c - seccomp profiles (the OCI `linux.seccomp` object):
 * every field mapped, every refusal with its exact message and JSON path,
 * and compiled profiles loaded into forked children to see what a
 * process under them observes.  Needs no root: the children set
 * no_new_privs, which lets anyone load a filter. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_suite.h"
#include "seccomp_profile.h"

static char dir[64];
static char path[128];

static void setup(void)
{
        strcpy(dir, "/tmp/congo-seccomp-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/p.json", dir);
}

static void teardown(void)
{
        unlink(path);
        rmdir(dir);
}

/* JSON written with ' for " to keep the tests readable. */
static struct congo_seccomp_profile *load(const char *text, uint64_t caps, struct congo_error *err)
{
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        for (const char *s = text; *s; s++)
                fputc(*s == '\'' ? '"' : *s, f);
        fclose(f);
        memset(err, 0, sizeof *err);
        return congo_seccomp_profile_load(path, "p.json", caps, err);
}

static void refused(const char *text, const char *msg)
{
        struct congo_error err;
        struct congo_seccomp_profile *p = load(text, 0, &err);
        ck_assert_msg(p == NULL, "accepted: %s", text);
        ck_assert_str_eq(err.msg, msg);
}

START_TEST(every_field_mapped)
{
        struct congo_error err;
        struct congo_seccomp_profile *p = load(
                "{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38,"
                " 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],"
                " 'flags': ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG',"
                "           'SECCOMP_FILTER_FLAG_SPEC_ALLOW'],"
                " 'syscalls': ["
                "  {'names': ['read', 'write'], 'action': 'SCMP_ACT_ALLOW'},"
                "  {'names': ['uname'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 5},"
                "  {'names': ['getcwd'], 'action': 'SCMP_ACT_ERRNO'},"
                "  {'names': ['mkdir'], 'action': 'SCMP_ACT_TRACE', 'errnoRet': 7},"
                "  {'names': ['getpid'], 'action': 'SCMP_ACT_KILL'},"
                "  {'names': ['getppid'], 'action': 'SCMP_ACT_KILL_PROCESS'},"
                "  {'names': ['gettid'], 'action': 'SCMP_ACT_KILL_THREAD'},"
                "  {'names': ['getuid'], 'action': 'SCMP_ACT_TRAP'},"
                "  {'names': ['getgid'], 'action': 'SCMP_ACT_LOG'},"
                "  {'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
                "    {'index': 0, 'value': 8, 'op': 'SCMP_CMP_NE'},"
                "    {'index': 1, 'value': 1, 'op': 'SCMP_CMP_LT'},"
                "    {'index': 2, 'value': 2, 'op': 'SCMP_CMP_LE'},"
                "    {'index': 3, 'value': 3, 'op': 'SCMP_CMP_EQ'},"
                "    {'index': 4, 'value': 4, 'op': 'SCMP_CMP_GE'},"
                "    {'index': 5, 'value': 255, 'valueTwo': 6, 'op': 'SCMP_CMP_MASKED_EQ'}]},"
                "  {'names': ['dup'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
                "    {'index': 0, 'value': 9223372036854775807, 'op': 'SCMP_CMP_GT'}]},"
                "  {'names': ['socketcall'], 'action': 'SCMP_ACT_ALLOW'},"
                "  {'names': ['close'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38}"
                " ], 'comment': 'ignored', 'x-vendor': {'a': 1}}", 0, &err);
        ck_assert_msg(p != NULL, "%s", err.msg);
        ck_assert_uint_eq(p->default_action, SCMP_ACT_ERRNO(38));
        ck_assert_uint_eq(p->n_arches, 3);
        ck_assert_uint_eq(p->arches[0], SCMP_ARCH_X86_64);
        ck_assert_uint_eq(p->arches[1], SCMP_ARCH_X86);
        ck_assert_uint_eq(p->arches[2], SCMP_ARCH_X32);
        ck_assert(p->tsync && p->log && p->spec_allow);
        /* close ERRNO(38) is the default action: skipped. */
        ck_assert_uint_eq(p->n_rules, 13);
        static const uint32_t want[] = {
                SCMP_ACT_ALLOW, SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(5), SCMP_ACT_ERRNO(EPERM),
                SCMP_ACT_TRACE(7), SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD,
                SCMP_ACT_TRAP, SCMP_ACT_LOG, SCMP_ACT_ALLOW, SCMP_ACT_ALLOW, SCMP_ACT_ALLOW,
        };
        for (size_t i = 0; i < p->n_rules; i++)
                ck_assert_uint_eq(p->rules[i].action, want[i]);
        ck_assert_int_eq(p->rules[0].nr, SCMP_SYS(read));
        ck_assert_int_eq(p->rules[1].nr, SCMP_SYS(write));
        ck_assert_int_eq(p->rules[2].nr, SCMP_SYS(uname));
        ck_assert_uint_eq(p->rules[2].from, 1);
        const struct congo_seccomp_rule *r = &p->rules[10];
        ck_assert_int_eq(r->nr, SCMP_SYS(personality));
        ck_assert_uint_eq(r->n_args, 6);
        static const enum scmp_compare op[] = { SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE,
                                                SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_MASKED_EQ };
        for (unsigned i = 0; i < 6; i++) {
                ck_assert_uint_eq(r->args[i].arg, i);
                ck_assert_int_eq(r->args[i].op, op[i]);
        }
        ck_assert_uint_eq(r->args[0].datum_a, 8);
        ck_assert_uint_eq(r->args[5].datum_a, 255);
        ck_assert_uint_eq(r->args[5].datum_b, 6);
        ck_assert_int_eq(p->rules[11].args[0].op, SCMP_CMP_GT);
        ck_assert_uint_eq(p->rules[11].args[0].datum_a, INT64_MAX);
        /* A name of other architectures only: libseccomp's pseudo number. */
        ck_assert_int_lt(p->rules[12].nr, 0);
        congo_seccomp_profile_free(p);
}
END_TEST

START_TEST(same_argument_twice_is_one_rule_each)
{
        struct congo_error err;
        struct congo_seccomp_profile *p = load(
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['getpgid'],"
                " 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_EQ'},"
                " {'index': 0, 'value': 2, 'op': 'SCMP_CMP_EQ'}]}]}", 0, &err);
        ck_assert_msg(p != NULL, "%s", err.msg);
        ck_assert_uint_eq(p->n_rules, 2);
        ck_assert_uint_eq(p->rules[0].n_args, 1);
        ck_assert_uint_eq(p->rules[1].n_args, 1);
        ck_assert_uint_eq(p->rules[1].args[0].datum_a, 2);
        congo_seccomp_profile_free(p);
}
END_TEST

static const struct {
        const char *json, *msg;
} refusals[] = {
        { "{'defaultAction': 'SCMP_ACT_ALLOW',\n 'syscalls': [,]}",
          "p.json:2:15: unexpected token near ','" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'defaultAction': 'SCMP_ACT_ALLOW'}",
          "p.json:1:51: duplicate object key near '\"defaultAction\"'" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['dup'], 'action': "
          "'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 18446744073709551615, 'op': "
          "'SCMP_CMP_EQ'}]}]}",
          "p.json:1:147: too big integer near '18446744073709551615'" },
        { "[]", "p.json: (top): expected a mapping" },
        { "{}", "p.json: defaultAction: missing (it is required)" },
        { "{'defaultAction': 'SCMP_ACT_FOO'}",
          "p.json: defaultAction: \"SCMP_ACT_FOO\" is not an action" },
        { "{'defaultAction': 1}", "p.json: defaultAction: expected a string" },
        { "{'defaultAction': 'SCMP_ACT_NOTIFY'}",
          "p.json: defaultAction: \"SCMP_ACT_NOTIFY\" needs listenerPath, which congo does "
          "not support" },
        { "{'defaultAction': 'SCMP_ACT_KILL', 'defaultErrnoRet': 1}",
          "p.json: defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, "
          "not SCMP_ACT_KILL" },
        { "{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 4096}",
          "p.json: defaultErrnoRet: expected an integer from 0 to 4095" },
        { "{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': -1}",
          "p.json: defaultErrnoRet: expected an integer from 0 to 4095" },
        { "{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1.0}",
          "p.json: defaultErrnoRet: expected an integer from 0 to 4095" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '/run/l.sock'}",
          "p.json: listenerPath: not supported" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerMetadata': 'x'}",
          "p.json: listenerMetadata: not supported" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_Z80']}",
          "p.json: architectures[0]: \"SCMP_ARCH_Z80\" is not an architecture" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['x86_64']}",
          "p.json: architectures[0]: \"x86_64\" is not an architecture" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': 'SCMP_ARCH_X86'}",
          "p.json: architectures: expected a list of architectures" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_NEW_LISTENER']}",
          "p.json: flags[0]: \"SECCOMP_FILTER_FLAG_NEW_LISTENER\" is not supported" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_LOG', 'TSYNC']}",
          "p.json: flags[1]: \"TSYNC\" is not a flag" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': {}}", "p.json: syscalls: expected a list" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO'}, 3]}",
          "p.json: syscalls[1]: expected a mapping" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'action': 'SCMP_ACT_ERRNO'}]}",
          "p.json: syscalls[0].names: missing (it is required)" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read']}]}",
          "p.json: syscalls[0].action: missing (it is required)" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{}, {}, {}, {'names': ['read'], "
          "'action': 'SCMP_ACT_FOO'}]}",
          "p.json: syscalls[0].action: missing (it is required)" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO'}, {'names': ['read'], 'action': 'SCMP_ACT_ERRNO'}, {'names': "
          "['read'], 'action': 'SCMP_ACT_ERRNO'}, {'names': ['read'], 'action': 'SCMP_ACT_FOO'}]}",
          "p.json: syscalls[3].action: \"SCMP_ACT_FOO\" is not an action" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_NOTIFY'}]}",
          "p.json: syscalls[0].action: \"SCMP_ACT_NOTIFY\" needs listenerPath, which congo "
          "does not support" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_LOG', 'errnoRet': 1}]}",
          "p.json: syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, "
          "not SCMP_ACT_LOG" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read', 'mkdri'], "
          "'action': 'SCMP_ACT_ERRNO'}]}",
          "p.json: syscalls[0].names[1]: \"mkdri\" is not a syscall on any architecture "
          "libseccomp knows" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': 'read', 'action': "
          "'SCMP_ACT_ERRNO'}]}",
          "p.json: syscalls[0].names: expected a list of syscall names" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': [7], 'action': "
          "'SCMP_ACT_ERRNO'}]}",
          "p.json: syscalls[0].names[0]: expected a string" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'args': [{'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}]}",
          "p.json: syscalls[0].args[0].index: expected an integer from 0 to 5" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'op': 'SCMP_CMP_EQ'}]}]}",
          "p.json: syscalls[0].args[0].value: expected an integer from 0 to "
          "18446744073709551615" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 1, 'valueTwo': -2, "
          "'op': 'SCMP_CMP_EQ'}]}]}",
          "p.json: syscalls[0].args[0].valueTwo: expected an integer from 0 to "
          "18446744073709551615" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_MASKED'}]}]}",
          "p.json: syscalls[0].args[0].op: \"SCMP_CMP_MASKED\" is not an operator" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 1}]}]}",
          "p.json: syscalls[0].args[0].op: expected a string" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'args': {}}]}",
          "p.json: syscalls[0].args: expected a list" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'includes': {'caps': ['CAP_SYS_FOO']}}]}",
          "p.json: syscalls[0].includes.caps[0]: \"CAP_SYS_FOO\" is not a capability" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
          "'SCMP_ACT_ERRNO', 'excludes': {'minKernel': '5'}}]}",
          "p.json: syscalls[0].excludes.minKernel: \"5\" is not a kernel version (MAJOR.MINOR)" },
        { "{'defaultAction': 'SCMP_ACT_ALLOW', 'archMap': [{'architecture': 'SCMP_ARCH_X86_64', "
          "'subArchitectures': ['SCMP_ARCH_Q']}]}",
          "p.json: archMap[0].subArchitectures[0]: \"SCMP_ARCH_Q\" is not an architecture" },
};

START_TEST(refusals_name_file_and_path)
{
        refused(refusals[_i].json, refusals[_i].msg);
}
END_TEST

START_TEST(missing_file)
{
        struct congo_error err = { 0 };
        ck_assert_ptr_null(congo_seccomp_profile_load("/nonexistent/p.json", "p.json", 0, &err));
        ck_assert_str_eq(err.msg, "p.json");
        ck_assert_int_eq(err.errnum, ENOENT);
        ck_assert_ptr_null(congo_seccomp_profile_load("/dev/null", "null", 0, &err));
        ck_assert_str_eq(err.msg, "null: not a regular file");
        ck_assert_ptr_null(congo_seccomp_profile_load("/tmp", "tmp", 0, &err));
        ck_assert_str_eq(err.msg, "tmp: not a regular file");
}
END_TEST

START_TEST(oci_prefix_in_paths)
{
        struct congo_error err = { 0 };
        json_t *cfg = json_loads("{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\","
                                 " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"X\"}]}}}",
                                 0, NULL);
        json_t *sc = json_object_get(json_object_get(cfg, "linux"), "seccomp");
        ck_assert_ptr_null(congo_seccomp_profile_from_json(sc, "config.json", "linux.seccomp", 0,
                                                           &err));
        ck_assert_str_eq(err.msg, "config.json: linux.seccomp.syscalls[0].action: \"X\" is not "
                                  "an action");
        json_decref(cfg);
}
END_TEST

/* Load p in a fork, run fn there; the child's exit status or signal. */
static int in_child(const struct congo_seccomp_profile *p, int (*fn)(void))
{
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct congo_error err;
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
                    congo_seccomp_profile_apply(p, &err) < 0)
                        _exit(100);
                _exit(fn());
        }
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

static int uname_errno(void)
{
        struct utsname u;
        char buf[256];
        if (getcwd(buf, sizeof buf) == NULL)
                return 99;                      /* an unlisted syscall still works */
        return uname(&u) < 0 ? errno : 0;
}

static int getpgid_results(void)
{
        /* EQ 0 blocked; MASKED_EQ (0xff, 7) blocks 7 and 0x107, not 8. */
        int a = syscall(SYS_getpgid, 0) < 0 ? errno : 0;
        int b = syscall(SYS_getpgid, 7) < 0 ? errno : 0;
        int c = syscall(SYS_getpgid, 0x107) < 0 ? errno : 0;
        /* 8 passes the filter: the kernel answers (ESRCH where no pid 8
         * is).  Not getpid(): one pid in 256 ends in 0x07, which the
         * mask rightly blocks (CI's second round drew one). */
        int d = syscall(SYS_getpgid, 8) < 0 ? errno : 0;
        return a == 38 && b == 39 && c == 39 && (d == 0 || d == ESRCH) ? 0 : 1;
}

START_TEST(compiled_profile_in_a_child)
{
        struct congo_error err;
        struct congo_seccomp_profile *p = load(
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
                " {'names': ['uname'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"
                " {'names': ['getpgid'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38,"
                "  'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}]},"
                " {'names': ['getpgid'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 39,"
                "  'args': [{'index': 0, 'value': 255, 'valueTwo': 7, 'op': 'SCMP_CMP_MASKED_EQ'}]}"
                "]}", 0, &err);
        ck_assert_msg(p != NULL, "%s", err.msg);
        ck_assert_int_eq(in_child(p, uname_errno), 38);
        ck_assert_int_eq(in_child(p, getpgid_results), 0);
        congo_seccomp_profile_free(p);
}
END_TEST

START_TEST(kill_and_trap_actions)
{
        static const char *const acts[] = { "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL",
                                            "SCMP_ACT_TRAP" };
        for (size_t i = 0; i < 3; i++) {
                char json[256];
                struct congo_error err;
                snprintf(json, sizeof json, "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': "
                         "[{'names': ['uname'], 'action': '%s'}]}", acts[i]);
                struct congo_seccomp_profile *p = load(json, 0, &err);
                ck_assert_msg(p != NULL, "%s", err.msg);
                ck_assert_int_eq(in_child(p, uname_errno), 1000 + SIGSYS);
                congo_seccomp_profile_free(p);
        }
}
END_TEST

/* docker's format: includes/excludes by arch, caps and kernel. */
START_TEST(docker_includes_and_excludes)
{
        struct congo_error err;
        const char *json =
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'archMap': [{'architecture': "
                "'SCMP_ARCH_AARCH64', 'subArchitectures': ['SCMP_ARCH_ARM']}, {'architecture': "
                "'SCMP_ARCH_X86_64', 'subArchitectures': ['SCMP_ARCH_X86', 'SCMP_ARCH_X32']}],"
                " 'syscalls': ["
                "  {'names': ['uname'], 'action': 'SCMP_ACT_ERRNO', 'includes': {'caps': ['CAP_SYS_ADMIN']}},"
                "  {'names': ['getcwd'], 'action': 'SCMP_ACT_ERRNO', 'excludes': {'caps': ['CAP_SYS_ADMIN']}},"
                "  {'name': 'getpid', 'action': 'SCMP_ACT_ERRNO', 'includes': {'minKernel': '2.6'}},"
                "  {'names': ['getppid'], 'action': 'SCMP_ACT_ERRNO', 'includes': {'minKernel': '99.0'}},"
                "  {'names': ['gettid'], 'action': 'SCMP_ACT_ERRNO', 'includes': {'arches': ['s390x']}},"
                "  {'names': ['getuid'], 'action': 'SCMP_ACT_ERRNO', 'excludes': {'arches': ['s390x']}}"
                " ]}";
        struct congo_seccomp_profile *p = load(json, 0, &err);
        ck_assert_msg(p != NULL, "%s", err.msg);
        ck_assert_uint_eq(p->n_rules, 3);
        ck_assert_int_eq(p->rules[0].nr, SCMP_SYS(getcwd));
        ck_assert_int_eq(p->rules[1].nr, SCMP_SYS(getpid));
        ck_assert_int_eq(p->rules[2].nr, SCMP_SYS(getuid));
#ifdef __x86_64__
        ck_assert_uint_eq(p->n_arches, 2);
        ck_assert_uint_eq(p->arches[0], SCMP_ARCH_X86);
        ck_assert_uint_eq(p->arches[1], SCMP_ARCH_X32);
#endif
        congo_seccomp_profile_free(p);
        p = load(json, UINT64_C(1) << CAP_SYS_ADMIN, &err);
        ck_assert_msg(p != NULL, "%s", err.msg);
        ck_assert_uint_eq(p->n_rules, 3);
        ck_assert_int_eq(p->rules[0].nr, SCMP_SYS(uname));
        congo_seccomp_profile_free(p);
}
END_TEST

/* podman's own default (containers-common's /usr/share/containers/seccomp.json,
 * in Debian's golang-github-containers-common) loads as it is. */
#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"

/* kexec_load: listed, errnoRet 1.  add_key: unlisted, the default (38);
 * without seccomp the kernel says EINVAL or EFAULT. */
static int kexec_and_add_key(void)
{
        int a = syscall(SYS_kexec_load, 0, 0, NULL, 0) < 0 ? errno : 0;
        int b = syscall(SYS_add_key, NULL, NULL, NULL, 0, 0) < 0 ? errno : 0;
        return a == EPERM && b == ENOSYS ? 0 : 1;
}

static uint32_t action_of(const struct congo_seccomp_profile *p, int nr)
{
        for (size_t i = 0; i < p->n_rules; i++)
                if (p->rules[i].nr == nr)
                        return p->rules[i].action;
        return p->default_action;
}

START_TEST(podman_default_profile)
{
        struct congo_error err;
        ck_assert_msg(access(PODMAN_PROFILE, R_OK) == 0,
                      PODMAN_PROFILE " is missing: apt-get install golang-github-containers-common");
        struct congo_seccomp_profile *none = congo_seccomp_profile_load(PODMAN_PROFILE,
                                                                         "seccomp.json", 0, &err);
        ck_assert_msg(none != NULL, "%s", err.msg);
        struct congo_seccomp_profile *admin = congo_seccomp_profile_load(
                PODMAN_PROFILE, "seccomp.json", UINT64_C(1) << CAP_SYS_ADMIN, &err);
        ck_assert_msg(admin != NULL, "%s", err.msg);
        ck_assert_uint_eq(none->default_action, SCMP_ACT_ERRNO(ENOSYS));
        ck_assert_uint_gt(none->n_rules, 300);
        /* bpf & co.: EPERM without CAP_SYS_ADMIN, allowed with it. */
        ck_assert_uint_eq(action_of(none, SCMP_SYS(bpf)), SCMP_ACT_ERRNO(EPERM));
        ck_assert_uint_eq(action_of(admin, SCMP_SYS(bpf)), SCMP_ACT_ALLOW);
        ck_assert_int_eq(in_child(none, kexec_and_add_key), 0);
        ck_assert_int_eq(in_child(none, uname_errno), 0);
        congo_seccomp_profile_free(none);
        congo_seccomp_profile_free(admin);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("seccomp profiles");
        TCase *tc = tcase_create("profile");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, every_field_mapped);
        tcase_add_test(tc, same_argument_twice_is_one_rule_each);
        tcase_add_loop_test(tc, refusals_name_file_and_path, 0,
                            sizeof refusals / sizeof refusals[0]);
        tcase_add_test(tc, missing_file);
        tcase_add_test(tc, oci_prefix_in_paths);
        tcase_add_test(tc, compiled_profile_in_a_child);
        tcase_add_test(tc, kill_and_trap_actions);
        tcase_add_test(tc, docker_includes_and_excludes);
        tcase_add_test(tc, podman_default_profile);
        suite_add_tcase(s, tc);
        return run_suite(s);
}
