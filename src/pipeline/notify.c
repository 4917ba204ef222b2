/* notify.c - tell a service manager that the container is up: the
 * sd_notify protocol, one datagram to the unix socket named by
 * $NOTIFY_SOCKET (abstract when it starts with '@'), without libsystemd.
 * See sd_notify(3): the datagram is newline-separated VAR=VALUE lines. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "cleanup.h"
#include "congo/error.h"
#include "notify.h"

/* The socket's address from the variable; its length, or 0 if it is not a
 * unix socket path we can use (systemd's "vsock:" form is not one). */
static socklen_t notify_address(const char *name, struct sockaddr_un *sa)
{
        size_t len = strlen(name);

        if ((name[0] != '/' && name[0] != '@') || len < 2 || len > sizeof sa->sun_path)
                return 0;
        memset(sa, 0, sizeof *sa);
        sa->sun_family = AF_UNIX;
        memcpy(sa->sun_path, name, len);
        if (name[0] == '@') {
                /* Abstract: a leading NUL, and the length says where it
                 * ends (no terminating NUL is part of the name). */
                sa->sun_path[0] = '\0';
                return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
        }
        return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (len < sizeof sa->sun_path));
}

int congo_notify_ready(pid_t main_pid)
{
        const char *name = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa;
        socklen_t salen;
        char msg[64];

        if (name == NULL || name[0] == '\0')
                return 0;
        if ((salen = notify_address(name, &sa)) == 0) {
                congo_warn("NOTIFY_SOCKET=%s: not a unix socket path; readiness not sent", name);
                return -1;
        }
        /* MAINPID is the launcher's, which systemd would assume anyway: it
         * is the process that forwards signals, reports the container's
         * status and removes its cgroup, so systemd must watch it. */
        int len = snprintf(msg, sizeof msg, "READY=1\nMAINPID=%d\n", (int)main_pid);
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendto(fd, msg, (size_t)len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) != len) {
                congo_warn("NOTIFY_SOCKET=%s: %s; readiness not sent", name, strerror(errno));
                return -1;
        }
        congo_log(2, "told %s: READY=1", name);
        return 0;
}
