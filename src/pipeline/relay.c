/* relay.c - the pty's bytes between the launcher's stdio and the container,
 * never blocking the supervisor (see relay.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "relay.h"

void congo_relay_init(struct congo_relay *r, int from, int to)
{
        r->from = from;
        r->to = to;
        r->open = from >= 0;
        r->sink = to >= 0;
        r->len = 0;
}

short congo_relay_want_in(const struct congo_relay *r)
{
        return r->open && r->len < sizeof r->buf ? POLLIN : 0;
}

short congo_relay_want_out(const struct congo_relay *r)
{
        return r->sink && r->len > 0 ? POLLOUT : 0;
}

void congo_relay_fill(struct congo_relay *r, bool once_only)
{
        if (!r->open || r->len == sizeof r->buf)
                return;
        ssize_t n = read(r->from, r->buf + r->len, sizeof r->buf - r->len);
        if (n > 0)
                r->len += (size_t)n;
        else if (n == 0 || (errno != EINTR && errno != EAGAIN) || once_only)
                r->open = false;   /* EOF; EIO: the pty's other side is gone */
        if (!r->sink)
                r->len = 0;
}

void congo_relay_flush(struct congo_relay *r)
{
        if (r->len == 0)
                return;
        ssize_t w = r->sink ? write(r->to, r->buf, r->len) : -1;
        if (w > 0) {
                memmove(r->buf, r->buf + w, r->len - (size_t)w);
                r->len -= (size_t)w;
                return;
        }
        if (w < 0 && r->sink && (errno == EINTR || errno == EAGAIN))
                return;
        /* The reader went away: drop what we hold and keep draining the
         * source, so that the container is not stuck on a full pty. */
        r->sink = false;
        r->len = 0;
}

bool congo_relay_done(const struct congo_relay *r)
{
        return !r->open && (r->len == 0 || !r->sink);
}

int congo_relay_reopen(int fd, int flags, bool *restore)
{
        struct stat st;
        char path[64];

        *restore = false;
        if (fstat(fd, &st) < 0)
                return -1;
        if (S_ISREG(st.st_mode))
                return dup(fd);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int own = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (own >= 0)
                return own;
        /* A socket cannot be reopened: share its flags, and put them back. */
        own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        int fl = own < 0 ? -1 : fcntl(own, F_GETFL);
        if (fl < 0 || (!(fl & O_NONBLOCK) && fcntl(own, F_SETFL, fl | O_NONBLOCK) < 0)) {
                if (own >= 0)
                        close(own);
                return -1;
        }
        *restore = !(fl & O_NONBLOCK);
        return own;
}
