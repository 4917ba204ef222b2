/* fdpass.c - one file descriptor over a Unix socket (SCM_RIGHTS) with a
 * short payload: the container's pty master to the launcher (terminal.c),
 * an idmapped mount tree to the container (mount_idmap.c), the console to
 * a --console-socket caller (runtime/create.c). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "congo/util.h"

int congo_fd_send(int sock, int fd, const void *data, size_t len)
{
        struct iovec iov = { (void *)data, len };
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } ctl = { 0 };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
        ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
        if (n >= 0 && (size_t)n != len)
                errno = EPROTO;
        return n >= 0 && (size_t)n == len ? 0 : -1;
}

int congo_fd_receive_now(int sock)
{
        char byte;
        int fd;
        struct iovec iov = { &byte, 1 };
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } ctl;
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };

        if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT) != 1)
                return -1;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
            c->cmsg_len != CMSG_LEN(sizeof(int))) {
                errno = EPROTO;
                return -1;
        }
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        return fd;
}
