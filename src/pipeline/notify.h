/* notify.h - readiness for a service manager (notify.c). */
#ifndef CONGO_NOTIFY_H
#define CONGO_NOTIFY_H

#include <sys/types.h>

/* When $NOTIFY_SOCKET is set (systemd's Type=notify), send it
 * "READY=1\nMAINPID=<main_pid>\n".  Does nothing without the variable;
 * a socket that cannot be reached is a warning, not an error: the
 * container is already running.  0 sent or nothing to do, -1 failed. */
int congo_notify_ready(pid_t main_pid);

#endif
