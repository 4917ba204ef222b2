/* seccomp_rules.h - the default profile as libseccomp rules.  Only the
 * build-time generator (seccomp_gen.c) uses them; the launcher loads the
 * BPF program it wrote out (seccomp_bpf.c), with no work at start-up. */
#ifndef CONGO_SECCOMP_RULES_H
#define CONGO_SECCOMP_RULES_H

#include <seccomp.h>

extern const char *const congo_seccomp_denied[];
scmp_filter_ctx congo_seccomp_rules(void);

#endif
