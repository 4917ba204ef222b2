/* pause.c - pause and resume: the container's freezer (freezer.c), under
 * the container's lock.  A paused container's status is "paused", found
 * from the freezer itself (state.c), so it is truthful whoever froze it. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "runtime.h"

static int freeze_cmd(const struct congo_rt *rt, int argc, char **argv, bool freeze)
{
        static const struct option none[] = { { 0 } };
        struct congo_rt_state st;
        const char *id;
        int dirfd, rc = CONGO_RT_FAILURE;

        if (congo_rt_getopt(argc, argv, "", none) != -1 ||
            (id = congo_rt_one_id(argc, argv, argv[0])) == NULL)
                return CONGO_RT_FAILURE;
        if (congo_rt_open(rt, id, &dirfd) < 0)
                return CONGO_RT_FAILURE;
        if (congo_rt_read(dirfd, id, &st) < 0) {
                congo_rt_close(dirfd);
                return CONGO_RT_FAILURE;
        }
        if (freeze && st.status != RT_RUNNING && st.status != RT_CREATED)
                congo_rt_error("container \"%s\" is not running: %s", id, congo_rt_status_name(st.status));
        else if (!freeze && st.status != RT_PAUSED)
                congo_rt_error("container \"%s\" is not paused: %s", id, congo_rt_status_name(st.status));
        else if (congo_rt_set_frozen(&st.cgroup, freeze, id) == 0)
                rc = 0;
        if (rc == 0)
                congo_info("%s %s", freeze ? "paused" : "resumed", id);
        congo_rt_state_free(&st);
        congo_rt_close(dirfd);
        return rc;
}

int congo_rt_pause(const struct congo_rt *rt, int argc, char **argv)
{
        return freeze_cmd(rt, argc, argv, true);
}

int congo_rt_resume(const struct congo_rt *rt, int argc, char **argv)
{
        return freeze_cmd(rt, argc, argv, false);
}
