/* security.c - identity and capabilities.
 *
 * Order matters: the bounding set can only be reduced while we still hold
 * CAP_SETPCAP, and setuid away from root clears the permitted set unless
 * PR_SET_KEEPCAPS is on.  So: seccomp if it must come before (no
 * no_new_privs means loading needs CAP_SYS_ADMIN), bounding set, keep caps,
 * setgroups/setgid/setuid, the permitted/effective/inheritable sets,
 * the ambient set, no_new_privs, then seccomp.  The five sets come from
 * the spec (security.capabilities and its capabilities_SET refinements).
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "security.h"

static int last_cap(void)
{
        int n = (int)cap_max_bits();

        return n > 0 && n <= 64 ? n - 1 : CAP_LAST_CAP;
}

/* Permitted, effective and inheritable at once; each limited to what we
 * hold: ALL means all the launcher has, and a launcher that runs with a
 * reduced bounding set cannot give what it lacks. */
static int set_caps(const struct congo_spec *s, struct congo_error *err)
{
        static const cap_flag_t flags[] = { CAP_PERMITTED, CAP_EFFECTIVE, CAP_INHERITABLE };
        static const int sets[] = { CONGO_CAPS_PERMITTED, CONGO_CAPS_EFFECTIVE, CONGO_CAPS_INHERITABLE };
        cap_t caps = cap_init(), have = cap_get_proc();
        int top = last_cap(), rc = 0;

        if (caps == NULL || have == NULL)
                return congo_error_set(err, errno, "cap_init");
        for (int c = 0; c <= top; c++) {
                cap_flag_value_t held = CAP_CLEAR;
                cap_get_flag(have, (cap_value_t)c, CAP_PERMITTED, &held);
                cap_value_t v = c;
                for (size_t f = 0; held == CAP_SET && f < 3; f++)
                        if (s->process.caps[sets[f]] & (UINT64_C(1) << c))
                                cap_set_flag(caps, flags[f], 1, &v, CAP_SET);
        }
        if (cap_set_proc(caps) < 0)
                rc = congo_error_set(err, errno, "setting capabilities");
        cap_free(caps);
        cap_free(have);
        return rc;
}

/* The ambient set: cleared, then raised cap by cap (the kernel asks each
 * one to be permitted and inheritable, which the spec model checked). */
static int set_ambient(const struct congo_spec *s, struct congo_error *err)
{
        uint64_t amb = s->process.caps[CONGO_CAPS_AMBIENT];

        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return congo_error_set(err, errno, "clearing ambient capabilities");
        for (int c = 0; amb && c <= last_cap(); c++) {
                if (!(amb & (UINT64_C(1) << c)) ||
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) == 0)
                        continue;
                /* ALL: what the launcher could not give is not there. */
                if (amb == ~UINT64_C(0) && errno == EPERM)
                        continue;
                return congo_error_set(err, errno, "raising %s in the ambient set", congo_cap_name(c));
        }
        return 0;
}

/* setgroups: the spec's additional gids, or none.  In a user namespace
 * it is denied (we wrote "deny" so that gid_map could be written): the
 * spec model refused additional_gids with a user namespace it names, and
 * one added to run rootless is refused here. */
static int set_groups(const struct congo_spec *s, struct congo_error *err)
{
        gid_t gids[s->process.n_additional_gids + 1];

        if ((s->namespaces & CONGO_NS_USER) && s->process.n_additional_gids)
                return congo_error_set(err, EPERM, "additional_gids: a user namespace (rootless) denies setgroups");
        if (s->namespaces & CONGO_NS_USER)
                return 0;
        for (size_t i = 0; i < s->process.n_additional_gids; i++)
                gids[i] = (gid_t)s->process.additional_gids[i];
        if (setgroups(s->process.n_additional_gids, gids) < 0)
                return congo_error_set(err, errno, "setgroups");
        return 0;
}

int congo_security_apply(const struct congo_spec *s, struct congo_error *err)
{
        uint64_t bounding = s->process.caps[CONGO_CAPS_BOUNDING];
        bool seccomp_first = !s->security.no_new_privileges;

        if (seccomp_first && congo_seccomp_load(s, err) < 0)
                return -1;
        for (int c = 0; c <= last_cap(); c++)
                if (!(bounding & (UINT64_C(1) << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 &&
                    errno != EINVAL)
                        return congo_error_set(err, errno, "dropping %s from the bounding set",
                                               congo_cap_name(c));
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return congo_error_set(err, errno, "PR_SET_KEEPCAPS");
        if (set_groups(s, err) < 0)
                return -1;
        if (setresgid(s->gid, s->gid, s->gid) < 0)
                return congo_error_set(err, errno, "setgid(%u)", (unsigned)s->gid);
        if (setresuid(s->uid, s->uid, s->uid) < 0)
                return congo_error_set(err, errno, "setuid(%u)", (unsigned)s->uid);
        /* New credentials cleared these; the container must still die
         * with its launcher, and stay undumpable. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return congo_error_set(err, errno, "prctl after setuid");
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return congo_error_set(err, errno, "PR_SET_KEEPCAPS");
        if (set_caps(s, err) < 0 || set_ambient(s, err) < 0)
                return -1;
        if (s->security.no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return congo_error_set(err, errno, "PR_SET_NO_NEW_PRIVS");
        if (!seccomp_first && congo_seccomp_load(s, err) < 0)
                return -1;
        return 0;
}
