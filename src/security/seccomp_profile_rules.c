/* seccomp_profile_rules.c - the profile's syscalls[]: names, action,
 * errnoRet, argument comparisons, and docker's includes/excludes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/utsname.h>

#include "seccomp_profile_internal.h"

void congo_sp_note_unknown(struct congo_sp *c, const char *key, const char *const *known,
                           const char *at)
{
        for (; *known; known++)
                if (strcmp(key, *known) == 0)
                        return;
        congo_info("%s: %s: not an OCI seccomp property, ignored", c->file, at);
}

static const struct {
        const char *name;
        enum scmp_compare op;
} ops[] = {
        { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
        { "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
        { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
        { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static int parse_arg(struct congo_sp *c, json_t *a, const char *at, struct scmp_arg_cmp *out)
{
        char at_k[256];
        uint64_t index, value, two = 0;
        const char *op;

        if (!json_is_object(a))
                return congo_sp_fail(c, at, "expected a mapping");
        congo_sp_path(at_k, sizeof at_k, at, "index", 0);
        if (congo_sp_uint(c, json_object_get(a, "index"), at_k, 5, &index) < 0)
                return -1;
        congo_sp_path(at_k, sizeof at_k, at, "value", 0);
        if (congo_sp_uint(c, json_object_get(a, "value"), at_k, UINT64_MAX, &value) < 0)
                return -1;
        congo_sp_path(at_k, sizeof at_k, at, "valueTwo", 0);
        if (json_object_get(a, "valueTwo") != NULL &&
            congo_sp_uint(c, json_object_get(a, "valueTwo"), at_k, UINT64_MAX, &two) < 0)
                return -1;
        congo_sp_path(at_k, sizeof at_k, at, "op", 0);
        if ((op = congo_sp_string(c, json_object_get(a, "op"), at_k)) == NULL)
                return -1;
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
                if (strcmp(op, ops[i].name) == 0) {
                        *out = (struct scmp_arg_cmp){ (unsigned)index, ops[i].op, value, two };
                        return 0;
                }
        return congo_sp_fail(c, at_k, "\"%s\" is not an operator", op);
}

/* moby's names for the architectures (Go's GOARCH). */
static const char *go_arch(void)
{
        switch (seccomp_arch_native()) {
        case SCMP_ARCH_X86_64: return "amd64";
        case SCMP_ARCH_X86: return "386";
        case SCMP_ARCH_AARCH64: return "arm64";
        case SCMP_ARCH_ARM: return "arm";
        case SCMP_ARCH_PPC64LE: return "ppc64le";
        case SCMP_ARCH_S390X: return "s390x";
        case SCMP_ARCH_RISCV64: return "riscv64";
        default: return "";
        }
}

static int kernel_at_least(struct congo_sp *c, const char *min, const char *at, bool *yes)
{
        struct utsname u;
        unsigned a, b, x = 0, y = 0;
        char end;

        if (sscanf(min, "%u.%u%c", &a, &b, &end) != 2)
                return congo_sp_fail(c, at, "\"%s\" is not a kernel version (MAJOR.MINOR)", min);
        if (uname(&u) == 0)
                sscanf(u.release, "%u.%u", &x, &y);
        *yes = x > a || (x == a && y >= b);
        return 0;
}

/* docker's includes (all must hold) / excludes (none may hold).  *applies
 * is cleared when the rule is not for this container. */
static int filter(struct congo_sp *c, json_t *f, const char *at, bool include, bool *applies)
{
        char at_k[256], at_i[256];
        size_t i;
        json_t *v;

        if (f == NULL)
                return 0;
        if (!json_is_object(f))
                return congo_sp_fail(c, at, "expected a mapping");
        congo_sp_path(at_k, sizeof at_k, at, "arches", 0);
        json_t *arches = json_object_get(f, "arches");
        if (arches != NULL && !json_is_array(arches))
                return congo_sp_fail(c, at_k, "expected a list");
        bool any = false;
        json_array_foreach(arches, i, v) {
                congo_sp_path(at_i, sizeof at_i, at_k, NULL, (long)i);
                const char *s = congo_sp_string(c, v, at_i);
                if (s == NULL)
                        return -1;
                any |= strcmp(s, go_arch()) == 0;
        }
        if (json_array_size(arches) > 0 && any != include)
                *applies = false;
        congo_sp_path(at_k, sizeof at_k, at, "caps", 0);
        json_t *caps = json_object_get(f, "caps");
        if (caps != NULL && !json_is_array(caps))
                return congo_sp_fail(c, at_k, "expected a list");
        json_array_foreach(caps, i, v) {
                cap_value_t cap;
                congo_sp_path(at_i, sizeof at_i, at_k, NULL, (long)i);
                const char *s = congo_sp_string(c, v, at_i);
                if (s == NULL)
                        return -1;
                if (cap_from_name(s, &cap) < 0 || cap < 0 || cap > 63)
                        return congo_sp_fail(c, at_i, "\"%s\" is not a capability", s);
                if (((c->caps >> cap) & 1) != include)
                        *applies = false;
        }
        congo_sp_path(at_k, sizeof at_k, at, "minKernel", 0);
        if ((v = json_object_get(f, "minKernel")) != NULL) {
                const char *s = congo_sp_string(c, v, at_k);
                bool newer = false;
                if (s == NULL || kernel_at_least(c, s, at_k, &newer) < 0)
                        return -1;
                if (newer != include)
                        *applies = false;
        }
        return 0;
}

static struct congo_seccomp_rule *new_rule(struct congo_sp *c, const char *at)
{
        struct congo_seccomp_profile *p = c->p;
        struct congo_seccomp_rule *r = reallocarray(p->rules, p->n_rules + 1, sizeof *r);

        if (r == NULL) {
                congo_sp_fail(c, at, "out of memory");
                return NULL;
        }
        p->rules = r;
        r = &p->rules[p->n_rules++];
        memset(r, 0, sizeof *r);
        return r;
}

/* One name's rules: all comparisons in one rule, or, when an argument is
 * compared more than once, one rule per comparison (runc's choice). */
static int add_rules(struct congo_sp *c, int nr, uint32_t action, const struct scmp_arg_cmp *args,
                     unsigned n, size_t from, const char *at)
{
        unsigned seen = 0;
        bool split = false;

        for (unsigned i = 0; i < n; i++) {
                split |= (seen >> args[i].arg) & 1;
                seen |= 1u << args[i].arg;
        }
        for (unsigned i = 0; i < (split ? n : 1); i++) {
                struct congo_seccomp_rule *r = new_rule(c, at);
                if (r == NULL)
                        return -1;
                *r = (struct congo_seccomp_rule){ .nr = nr, .action = action, .from = from };
                r->n_args = split ? 1 : n;
                memcpy(r->args, split ? &args[i] : args, r->n_args * sizeof *args);
        }
        return 0;
}

static int add_name(struct congo_sp *c, json_t *v, const char *at, uint32_t action,
                    const struct scmp_arg_cmp *args, unsigned n_args, size_t from)
{
        const char *name = congo_sp_string(c, v, at);
        int nr;

        if (name == NULL)
                return -1;
        nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR)
                return congo_sp_fail(c, at, "\"%s\" is not a syscall on any "
                                     "architecture libseccomp knows", name);
        /* A no-op that libseccomp would refuse (crun and runc skip it too). */
        if (action == c->p->default_action)
                return 0;
        return add_rules(c, nr, action, args, n_args, from, at);
}

static int parse_names(struct congo_sp *c, json_t *call, const char *at, uint32_t action,
                       const struct scmp_arg_cmp *args, unsigned n_args, size_t from)
{
        char at_k[256], at_i[256];
        json_t *names = json_object_get(call, "names"), *v;
        size_t i;

        if (names == NULL && (v = json_object_get(call, "name")) != NULL) {
                congo_sp_path(at_k, sizeof at_k, at, "name", 0);  /* docker's single name */
                return add_name(c, v, at_k, action, args, n_args, from);
        }
        congo_sp_path(at_k, sizeof at_k, at, "names", 0);
        if (names == NULL)
                return congo_sp_fail(c, at_k, "missing (it is required)");
        if (!json_is_array(names))
                return congo_sp_fail(c, at_k, "expected a list of syscall names");
        json_array_foreach(names, i, v) {
                congo_sp_path(at_i, sizeof at_i, at_k, NULL, (long)i);
                if (add_name(c, v, at_i, action, args, n_args, from) < 0)
                        return -1;
        }
        return 0;
}

static const char *const known_keys[] = {
        "names", "action", "errnoRet", "args", "name", "includes", "excludes", NULL,
};

static int parse_call(struct congo_sp *c, json_t *call, const char *at, size_t from)
{
        char at_k[256], at_e[256], at_i[256];
        struct scmp_arg_cmp args[6];
        unsigned n_args = 0;
        bool applies = true;
        uint32_t action;
        const char *key;
        size_t i;
        json_t *v;

        if (!json_is_object(call))
                return congo_sp_fail(c, at, "expected a mapping");
        json_object_foreach(call, key, v) {
                congo_sp_path(at_k, sizeof at_k, at, key, 0);
                congo_sp_note_unknown(c, key, known_keys, at_k);
        }
        congo_sp_path(at_k, sizeof at_k, at, "action", 0);
        congo_sp_path(at_e, sizeof at_e, at, "errnoRet", 0);
        if ((v = json_object_get(call, "action")) == NULL)
                return congo_sp_fail(c, at_k, "missing (it is required)");
        if (congo_sp_action(c, v, json_object_get(call, "errnoRet"), at_k, at_e, &action) < 0)
                return -1;
        congo_sp_path(at_k, sizeof at_k, at, "args", 0);
        json_t *list = json_object_get(call, "args");
        if (list != NULL && !json_is_array(list) && !json_is_null(list))
                return congo_sp_fail(c, at_k, "expected a list");
        if (json_array_size(list) > 6)
                return congo_sp_fail(c, at_k, "more than 6 comparisons");
        json_array_foreach(list, i, v) {
                congo_sp_path(at_i, sizeof at_i, at_k, NULL, (long)i);
                if (parse_arg(c, v, at_i, &args[n_args++]) < 0)
                        return -1;
        }
        congo_sp_path(at_k, sizeof at_k, at, "includes", 0);
        if (filter(c, json_object_get(call, "includes"), at_k, true, &applies) < 0)
                return -1;
        congo_sp_path(at_k, sizeof at_k, at, "excludes", 0);
        if (filter(c, json_object_get(call, "excludes"), at_k, false, &applies) < 0)
                return -1;
        if (!applies)   /* still validated: a typo is an error on every host */
                action = c->p->default_action;
        return parse_names(c, call, at, action, args, n_args, from);
}

int congo_sp_syscalls(struct congo_sp *c, json_t *list, const char *at)
{
        char at_i[256];
        size_t i;
        json_t *v;

        if (!json_is_array(list))
                return congo_sp_fail(c, at, "expected a list");
        json_array_foreach(list, i, v) {
                congo_sp_path(at_i, sizeof at_i, at, NULL, (long)i);
                if (parse_call(c, v, at_i, i) < 0)
                        return -1;
        }
        return 0;
}
