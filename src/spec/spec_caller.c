/* spec_caller.c - the run-time adaptation of a valid spec to the user who
 * launches it.  congo_spec_finish gives the same spec for root and for
 * anyone else (what --print and --check show); the launcher then calls
 * this before it plans (--dry-run) or runs the container. */
#include "config.h"

#include <stdlib.h>

#include "spec_internal.h"

static int default_map(struct congo_idmap **map, size_t *n, uint32_t outside)
{
        if (*map != NULL)
                return 0;
        if ((*map = malloc(sizeof **map)) == NULL)
                return -1;
        **map = (struct congo_idmap){ 0, outside, 1 };
        *n = 1;
        return 0;
}

int congo_spec_adapt_to_caller(struct congo_spec *s, uid_t euid, gid_t egid)
{
        /* Rootless: only a user namespace lets us make the others. */
        if (euid != 0)
                s->namespaces |= CONGO_NS_USER;
        /* A joined user namespace keeps the maps its creator wrote. */
        if (!(s->namespaces & CONGO_NS_USER) || (congo_spec_joined(s) & CONGO_NS_USER))
                return 0;
        /* Without maps, map the launching user to root inside, as
         * `unshare -r` does; that is all an unprivileged user may map. */
        if (default_map(&s->uid_map, &s->n_uid_map, (uint32_t)euid) < 0 ||
            default_map(&s->gid_map, &s->n_gid_map, (uint32_t)egid) < 0)
                return -1;
        return 0;
}
