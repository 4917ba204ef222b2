/* seccomp_profile.h - a seccomp profile given by the user: the OCI runtime
 * spec's `linux.seccomp` object (config-linux.md, "Seccomp"), either inside
 * a config.json or alone in a file named by `security.seccomp: {profile:}`.
 *
 * Parsing validates everything (actions, ops, arches, flags, errno values,
 * syscall names) and yields a profile ready to compile; nothing about it
 * can fail later for a reason the profile could have told us.  It is
 * compiled with libseccomp to a BPF program while parsing, only when a
 * profile is given, and loaded in the container just before exec; the built-in default
 * stays a BPF program precompiled at build time (seccomp.c).
 *
 * Every error is one line naming the file and the JSON path, with line:col
 * where Jansson has them (syntax errors only: Jansson keeps no positions
 * for values once parsed):
 *     p.json: syscalls[3].action: "SCMP_ACT_FOO" is not an action
 */
#ifndef CONGO_SECCOMP_PROFILE_H
#define CONGO_SECCOMP_PROFILE_H

#include <jansson.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "congo/error.h"

/* One libseccomp rule: the syscall (libseccomp's number, negative for a
 * name that exists only on other architectures) and up to six argument
 * comparisons, all of which must hold. */
struct congo_seccomp_rule {
        int nr;
        uint32_t action;
        unsigned n_args;
        struct scmp_arg_cmp args[6];
        size_t from;             /* index in syscalls[], for messages */
};

struct congo_seccomp_profile {
        char *file;              /* as shown in messages */
        uint32_t default_action;
        uint32_t arches[24];     /* SCMP_ARCH_* besides the native one */
        size_t n_arches;
        bool tsync, log, spec_allow;
        struct congo_seccomp_rule *rules;
        size_t n_rules;
        /* The BPF program, generated at parse time (in `congo create`,
         * before the container parks), loaded just before exec: `start`
         * costs no compilation (libseccomp's generator takes ~12 ms for
         * podman's profile). */
        struct sock_filter *filter;
        unsigned short filter_len;
};

/* From the parsed `linux.seccomp` object.  file names the document in
 * errors ("config.json"), prefix is the object's JSON path there
 * ("linux.seccomp", or "" for a profile file).  caps is the container's
 * bounding set (bit per CAP_*), for the includes/excludes of docker's
 * profile format.  NULL with err set on any problem. */
struct congo_seccomp_profile *congo_seccomp_profile_from_json(json_t *obj, const char *file,
                                                              const char *prefix, uint64_t caps,
                                                              struct congo_error *err);

/* Read the file at path (shown as `shown` in errors) and parse it as
 * above.  It must be a regular file of at most 4 MiB. */
struct congo_seccomp_profile *congo_seccomp_profile_load(const char *path, const char *shown,
                                                         uint64_t caps, struct congo_error *err);
/* The same from an open file (one opened beneath the spec's directory). */
struct congo_seccomp_profile *congo_seccomp_profile_load_fd(int fd, const char *shown,
                                                            uint64_t caps, struct congo_error *err);

/* Load the compiled filter into the calling process, as the last step
 * before exec, with the profile's flags (tsync, log, spec_allow): what
 * libseccomp's seccomp_load() would do, without generating the program
 * again.  no_new_privs is left to the caller (security.c), as for the
 * default profile. */
int congo_seccomp_profile_apply(const struct congo_seccomp_profile *p, struct congo_error *err);

void congo_seccomp_profile_free(struct congo_seccomp_profile *p);

#endif
