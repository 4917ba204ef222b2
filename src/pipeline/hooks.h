/* hooks.h - the OCI hooks of a spec (hooks.c): where each kind runs is
 * listed in include/congo/pipeline.h. */
#ifndef CONGO_HOOKS_H
#define CONGO_HOOKS_H

#include <stdbool.h>

#include "congo/pipeline.h"

/* Runs the spec's hooks of kind, in order, each with the container's
 * state JSON on stdin, exactly its env and args, killed (with its process
 * group) at its timeout.  Whichever process calls it (the launcher, the
 * container before pivot_root, the command before exec) runs them there.
 * prestart, create_*, start_container: the first failure stops them and
 * is returned, status 125, printed as one line:
 *   congo-launch: hooks.prestart[1]: /usr/bin/x: exited with 3
 *   poststart, poststop: a failure is a warning, the rest run,
 * and 0 is returned (runtime.md). */
int congo_hooks_run(struct congo_run *run, enum congo_hook_kind kind, struct congo_error *err);

/* Whether the spec has hooks of any of the kinds that run while the
 * container is created (they need congo_hooks_stages). */
bool congo_hooks_at_create(const struct congo_spec *spec);

#endif
