/* spec_keys_entries.c - the keys of one entry of a list of entries
 * (mounts, devices), as rows of the key table's format: what --schema
 * says an entry may hold.  The setters stay in spec_mounts.c and
 * spec_devices.c; tests/unit_spec_schema.c checks these rows against them
 * (every row's key and value accepted, every key a setter names here). */
#include "config.h"

#include "spec_internal.h"

static const char *const device_types[] = { "c", "b", "p", NULL };

const struct congo_key_def congo_mount_keys[] = {
        /* Any filesystem name the kernel may have: not an enum. */
        { "type", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_STRING,
          .flags = CONGO_KF_REQUIRED,
          .doc = "bind, rbind, tmpfs, proc, sysfs, devpts, mqueue, cgroup, cgroup2, overlay, or any filesystem by name" },
        { "source", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_STRING,
          .doc = "bind: the host path, relative to the spec's directory; others: the filesystem's source" },
        { "target", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_PATH,
          .flags = CONGO_KF_REQUIRED, .doc = "where it is mounted in the container (absolute)" },
        { "options", CONGO_KIND_LIST, -1, NULL, NULL, .type = CONGO_T_LIST,
          .flags = CONGO_KF_NULL, .doc = "mount options: ro, nosuid, nodev, noexec, rshared, idmap, size=16m, lowerdir=... (a list, or \"ro,nosuid\")" },
        /* composition */
        { "remove", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_BOOL, .def = "false",
          .doc = "true: remove an earlier file's mount at target (the entry holds nothing else)" },
        { NULL },
};

const struct congo_key_def congo_device_keys[] = {
        { "path", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_PATH,
          .flags = CONGO_KF_REQUIRED, .doc = "the node's path, under /dev/" },
        { "type", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_ENUM,
          .values = device_types, .flags = CONGO_KF_REQUIRED,
          .doc = "c (character), b (block) or p (FIFO)" },
        { "major", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_UINT,
          .min = 0, .max = 4095, .doc = "the device's major number (c and b)" },
        { "minor", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_UINT,
          .min = 0, .max = 1048575, .doc = "the device's minor number (c and b)" },
        { "file_mode", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_MODE,
          .def = "0666", .max = 0777, .doc = "the node's permission bits, octal" },
        { "uid", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_UINT,
          .def = "0", .max = UINT32_MAX - 1, .doc = "the node's owner, inside the container" },
        { "gid", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_UINT,
          .def = "0", .max = UINT32_MAX - 1, .doc = "the node's group, inside the container" },
        /* composition */
        { "remove", CONGO_KIND_SCALAR, -1, NULL, NULL, .type = CONGO_T_BOOL, .def = "false",
          .doc = "true: remove an earlier file's device at path (the entry holds nothing else)" },
        { NULL },
};
