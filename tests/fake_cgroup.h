/* fake_cgroup.h - a fake cgroup tree in a fresh temporary directory, for
 * the unit suites that drive the cgroup drivers without root: the drivers
 * read the mounts from root/mountinfo and write files beneath root.  The
 * short names are those the suites use on every other line. */
#ifndef CONGO_TEST_FAKE_CGROUP_H
#define CONGO_TEST_FAKE_CGROUP_H

extern char root[64];         /* the tree's directory */
extern char mountinfo[128];   /* root/mountinfo */

/* A checked fixture: a fresh root (named after the program), removed after. */
void fake_cgroup_setup(void);
void fake_cgroup_teardown(void);

/* Writes content to root/rel, which must be possible. */
void put(const char *rel, const char *content);
/* What root/rel holds (static storage), or NULL if it cannot be read. */
char *get(const char *rel);
/* mkdir -p root/rel. */
void mk(const char *rel);

/* A v2 tree mounted at root/v2 with congo/t-1 in it: the controllers of
 * the root and of congo/, both subtree_controls set to enabled, and each
 * of files (NULL-terminated) in congo/t-1 holding "max". */
void fake_v2_tree(const char *root_controllers, const char *congo_controllers, const char *enabled,
                  const char *const files[]);

#endif
