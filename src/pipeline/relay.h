/* relay.h - a bounded, non-blocking copy from one fd to another (relay.c),
 * for the pty's bytes: the supervisor polls, then moves at most one buffer
 * per call, and never waits on either side. */
#ifndef CONGO_RELAY_H
#define CONGO_RELAY_H

#include <stdbool.h>
#include <stddef.h>

/* At most this many bytes wait in the launcher per direction; beyond it,
 * the writer (the container, or whoever feeds our stdin) is left to block
 * in its own write, not us. */
#define CONGO_RELAY_BYTES 16384

struct congo_relay {
        int from, to;
        bool open;        /* from may still give bytes */
        bool sink;        /* to still takes them; once not, they are dropped */
        size_t len;
        char buf[CONGO_RELAY_BYTES];
};

void congo_relay_init(struct congo_relay *r, int from, int to);
/* What to poll for on from and to (0 when nothing). */
short congo_relay_want_in(const struct congo_relay *r);
short congo_relay_want_out(const struct congo_relay *r);
/* One read into the buffer; EOF or an error closes the source.  With
 * once_only (the container has ended), nothing more to read now counts as
 * EOF too. */
void congo_relay_fill(struct congo_relay *r, bool once_only);
/* One write from the buffer; an error other than EAGAIN drops the sink. */
void congo_relay_flush(struct congo_relay *r);
/* Nothing more will move. */
bool congo_relay_done(const struct congo_relay *r);
/* fd as a descriptor of our own with O_NONBLOCK, so that setting it does
 * not change the shell's or a sibling's view of the same terminal or pipe:
 * reopened through /proc/self/fd.  A regular file (whose offset must be
 * shared) or /dev/null is returned as it is, blocking is harmless there;
 * what cannot be reopened (a socket) is dup'ed and made non-blocking, and
 * *restore says so.  -1 on failure. */
int congo_relay_reopen(int fd, int flags, bool *restore);

#endif
