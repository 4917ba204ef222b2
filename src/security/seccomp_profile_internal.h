/* seccomp_profile_internal.h - shared by seccomp_profile.c (the object's
 * top level, compiling) and seccomp_profile_rules.c (syscalls[]). */
#ifndef CONGO_SECCOMP_PROFILE_INTERNAL_H
#define CONGO_SECCOMP_PROFILE_INTERNAL_H

#include "seccomp_profile.h"

struct congo_sp {
        const char *file;
        uint64_t caps;             /* bounding set, for docker's includes */
        struct congo_error *err;
        struct congo_seccomp_profile *p;
};

/* "FILE: AT: message" into c->err; returns -1. */
int congo_sp_fail(struct congo_sp *c, const char *at, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* at.key, or at[index] when key is NULL. */
void congo_sp_path(char *buf, size_t size, const char *at, const char *key, long index);
int congo_sp_uint(struct congo_sp *c, json_t *v, const char *at, uint64_t max, uint64_t *out);
const char *congo_sp_string(struct congo_sp *c, json_t *v, const char *at);
int congo_sp_action(struct congo_sp *c, json_t *v, json_t *errno_ret, const char *at,
                    const char *at_errno, uint32_t *out);
/* A property the spec does not define: ignored, named at -v. */
void congo_sp_note_unknown(struct congo_sp *c, const char *key, const char *const *known,
                           const char *at);
int congo_sp_syscalls(struct congo_sp *c, json_t *list, const char *at);

#endif
