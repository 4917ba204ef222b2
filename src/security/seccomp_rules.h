/* seccomp_rules.h - the default profile as libseccomp rules.  Only the
 * build-time generator (seccomp_gen.c) uses them; the launcher loads the
 * BPF program it wrote out (seccomp_bpf.c), with no work at start-up. */
#ifndef CONGO_SECCOMP_RULES_H
#define CONGO_SECCOMP_RULES_H

#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

extern const char *const congo_seccomp_denied[];
/* Every rule but personality(2)'s, which seccomp_gen.c checks itself. */
scmp_filter_ctx congo_seccomp_rules(void);
/* The personality(2) values allowed (as 32 bits: the kernel reads an
 * unsigned int); EPERM for the rest. */
extern const uint32_t congo_seccomp_personalities[];
extern const size_t congo_seccomp_n_personalities;

#endif
