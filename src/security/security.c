/* security.c - identity and capabilities.
 *
 * Order matters: the bounding set can only be reduced while we still hold
 * CAP_SETPCAP, and setuid away from root clears the permitted set unless
 * PR_SET_KEEPCAPS is on.  So: seccomp if it must come before (no
 * no_new_privs means loading needs CAP_SYS_ADMIN), bounding set, keep caps,
 * setgroups/setgid/setuid, the permitted/effective/inheritable sets,
 * ambient cleared, no_new_privs, then seccomp.
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

static int set_caps(uint64_t keep, struct congo_error *err)
{
        cap_t caps = cap_init(), have = cap_get_proc();
        int top = last_cap(), rc = 0;

        if (caps == NULL || have == NULL)
                return congo_error_set(err, errno, "cap_init");
        for (int c = 0; c <= top; c++) {
                cap_flag_value_t held = CAP_CLEAR;
                cap_get_flag(have, (cap_value_t)c, CAP_PERMITTED, &held);
                /* ALL means all we hold: a launcher that runs with a
                 * reduced bounding set cannot give what it lacks. */
                if (!(keep & (UINT64_C(1) << c)) || held != CAP_SET)
                        continue;
                cap_value_t v = c;
                cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET);
                cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET);
                cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET);
        }
        if (cap_set_proc(caps) < 0)
                rc = congo_error_set(err, errno, "setting capabilities");
        cap_free(caps);
        cap_free(have);
        return rc;
}

int congo_security_apply(const struct congo_spec *s, struct congo_error *err)
{
        uint64_t keep = s->security.capabilities;
        bool seccomp_first = !s->security.no_new_privileges;

        if (seccomp_first && congo_seccomp_load(s, err) < 0)
                return -1;
        for (int c = 0; c <= last_cap(); c++)
                if (!(keep & (UINT64_C(1) << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 &&
                    errno != EINVAL)
                        return congo_error_set(err, errno, "dropping %s from the bounding set",
                                               congo_cap_name(c));
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return congo_error_set(err, errno, "PR_SET_KEEPCAPS");
        /* In a user namespace setgroups is denied (we wrote "deny" so that
         * gid_map could be written) and there are no groups to drop. */
        if (!(s->namespaces & CONGO_NS_USER) && setgroups(0, NULL) < 0)
                return congo_error_set(err, errno, "setgroups");
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
        if (set_caps(keep, err) < 0)
                return -1;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return congo_error_set(err, errno, "clearing ambient capabilities");
        if (s->security.no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return congo_error_set(err, errno, "PR_SET_NO_NEW_PRIVS");
        if (!seccomp_first && congo_seccomp_load(s, err) < 0)
                return -1;
        return 0;
}
