/* seccomp_rules.h - the default profile as libseccomp rules.  Only the
 * build-time generator (seccomp_gen.c) uses them; the launcher loads the
 * BPF program it wrote out (seccomp_bpf.c), with no work at start-up. */
#ifndef CONGO_SECCOMP_RULES_H
#define CONGO_SECCOMP_RULES_H

#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const char *const congo_seccomp_denied[];
/* personality: with its rules (sixty, one per bit), or without them for a
 * generator that checks personality(2) itself (seccomp_gen.c). */
scmp_filter_ctx congo_seccomp_rules(bool personality);
/* The personality(2) values allowed (as 32 bits: the kernel reads an
 * unsigned int): what the rules above let through, and nothing else. */
extern const uint32_t congo_seccomp_personalities[];
extern const size_t congo_seccomp_n_personalities;

#endif
