/* cleanup.h - scope-bound release, as crun does it: a variable declared
 * _cleanup_free_ or _cleanup_close_ is freed or closed on every way out of
 * its block, so early returns need no bookkeeping.  The release runs after
 * a return expression is evaluated: `return congo_error_set(err, errno,
 * ...)` still sees the errno of the failed call. */
#ifndef CONGO_CLEANUP_H
#define CONGO_CLEANUP_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void congo_freep(void *p)
{
        free(*(void **)p);
}

static inline void congo_closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

#define _cleanup_free_ __attribute__((cleanup(congo_freep)))
#define _cleanup_close_ __attribute__((cleanup(congo_closep)))

#endif
