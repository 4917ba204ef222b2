/* seccomp.c - load the default profile: a BPF program compiled at build
 * time by seccomp_gen from the rules in seccomp_rules.c; or a profile the
 * spec names (seccomp_profile.c), compiled when the spec was checked. */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_profile.h"
#include "security.h"

extern const struct sock_filter congo_seccomp_filter[];
extern const size_t congo_seccomp_filter_len;

int congo_seccomp_load(const struct congo_spec *s, struct congo_error *err)
{
        struct sock_fprog prog = {
                .len = (unsigned short)congo_seccomp_filter_len,
                .filter = (struct sock_filter *)congo_seccomp_filter,
        };

        if (s->security.seccomp == CONGO_SECCOMP_UNCONFINED)
                return 0;
        /* A user's profile: compiled by congo_spec_finish, loaded here. */
        if (s->security.seccomp == CONGO_SECCOMP_PROFILE)
                return congo_seccomp_profile_apply(s->security.seccomp_compiled, err);
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                return congo_error_set(err, errno, "loading the seccomp filter");
        return 0;
}
