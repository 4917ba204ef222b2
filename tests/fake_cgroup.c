/* fake_cgroup.c - see fake_cgroup.h. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_cgroup.h"

char root[64];
char mountinfo[128];

void fake_cgroup_setup(void)
{
        snprintf(root, sizeof root, "/tmp/congo-%s-XXXXXX", program_invocation_short_name);
        ck_assert_ptr_nonnull(mkdtemp(root));
        snprintf(mountinfo, sizeof mountinfo, "%s/mountinfo", root);
}

void fake_cgroup_teardown(void)
{
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        ck_assert_int_eq(system(cmd), 0);
}

void put(const char *rel, const char *content)
{
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        FILE *f = fopen(path, "w");
        ck_assert_msg(f != NULL, "%s", path);
        fputs(content, f);
        fclose(f);
}

char *get(const char *rel)
{
        static char buf[256];
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        FILE *f = fopen(path, "r");
        if (f == NULL)
                return NULL;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        return buf;
}

void mk(const char *rel)
{
        char cmd[600];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s'", root, rel);
        ck_assert_int_eq(system(cmd), 0);
}

void fake_v2_tree(const char *root_controllers, const char *congo_controllers, const char *enabled,
                  const char *const files[])
{
        char mi[512];
        snprintf(mi, sizeof mi, "40 25 0:40 / %s/v2 rw,nosuid - cgroup2 cgroup2 rw\n", root);
        put("mountinfo", mi);
        mk("v2/congo/t-1");
        put("v2/cgroup.controllers", root_controllers);
        put("v2/cgroup.subtree_control", enabled);
        put("v2/congo/cgroup.controllers", congo_controllers);
        put("v2/congo/cgroup.subtree_control", enabled);
        for (const char *const *f = files; *f; f++) {
                char rel[64];
                snprintf(rel, sizeof rel, "v2/congo/t-1/%s", *f);
                put(rel, "max\n");
        }
}
