/* supervise.c - the launcher while the container runs: forward signals,
 * enforce limits.time, copy pty bytes (relay.c), reap, and map the status.
 * Nothing here waits on the container's I/O: one poll serves the signals,
 * the timer and both directions of the pty. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay.h"
#include "supervise.h"
#include "terminal.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

static void fill_mask(sigset_t *set)
{
        sigemptyset(set);
        sigaddset(set, SIGCHLD);
        for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
                sigaddset(set, forwarded[i]);
}

void congo_supervise_block(sigset_t *old)
{
        sigset_t set;

        fill_mask(&set);
        sigprocmask(SIG_BLOCK, &set, old);
}

static void arm(int tfd, uint64_t ms)
{
        struct itimerspec its = { .it_value = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 } };

        timerfd_settime(tfd, 0, &its, NULL);
}

static int status_of(struct congo_run *run, int wstatus)
{
        if (WIFEXITED(wstatus))
                return WEXITSTATUS(wstatus);
        run->result.signal = WTERMSIG(wstatus);
        return 128 + WTERMSIG(wstatus);
}

static void on_timer(struct congo_run *run, int tfd, int *phase)
{
        uint64_t ticks;

        if (read(tfd, &ticks, sizeof ticks) < 0)
                return;
        if ((*phase)++ == 0) {
                run->result.time_limit_hit = true;
                congo_warn("time limit of %" PRIu64 " ms reached: sending SIGTERM, SIGKILL in %d ms",
                           run->spec->limits.time_ms, CONGO_TIME_GRACE_MS);
                kill(run->pid, SIGTERM);
                arm(tfd, CONGO_TIME_GRACE_MS);
        } else {
                congo_warn("the container outlived its grace period: sending SIGKILL");
                kill(run->pid, SIGKILL);
                /* And as long again for a stalled reader of its output. */
                arm(tfd, CONGO_TIME_GRACE_MS);
        }
}

/* The pty's two directions: container -> our stdout, our stdin -> container.
 * Every descriptor is non-blocking and every buffer bounded, so that a
 * flooded or stalled terminal or pipe on either side never keeps the
 * supervisor from the time limit and the signals. */
struct streams {
        struct congo_relay out, in;
        int out_fd, in_fd;
        bool restore_out, restore_in;
};

static void streams_open(struct congo_run *run, struct streams *st)
{
        st->out_fd = st->in_fd = -1;
        st->restore_out = st->restore_in = false;
        congo_relay_init(&st->out, -1, -1);
        congo_relay_init(&st->in, -1, -1);
        if (!run->tty || run->pty_master < 0)
                return;
        fcntl(run->pty_master, F_SETFL, fcntl(run->pty_master, F_GETFL) | O_NONBLOCK);
        st->out_fd = congo_relay_reopen(STDOUT_FILENO, O_WRONLY, &st->restore_out);
        st->in_fd = congo_relay_reopen(STDIN_FILENO, O_RDONLY, &st->restore_in);
        congo_relay_init(&st->out, run->pty_master, st->out_fd);
        congo_relay_init(&st->in, st->in_fd, run->pty_master);
}

static void streams_close(struct streams *st)
{
        int fds[2] = { st->out_fd, st->in_fd };
        bool restore[2] = { st->restore_out, st->restore_in };

        for (int i = 0; i < 2; i++) {
                if (fds[i] < 0)
                        continue;
                if (restore[i])
                        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) & ~O_NONBLOCK);
                close(fds[i]);
        }
}

enum { P_SIG, P_TIMER, P_PTY, P_OUT, P_IN, P_COUNT };

static void streams_poll(const struct streams *st, struct pollfd *pfd)
{
        pfd[P_PTY] = (struct pollfd){ st->out.from,
                congo_relay_want_in(&st->out) | congo_relay_want_out(&st->in), 0 };
        pfd[P_OUT] = (struct pollfd){ st->out_fd, congo_relay_want_out(&st->out), 0 };
        pfd[P_IN] = (struct pollfd){ st->in_fd, congo_relay_want_in(&st->in), 0 };
        for (int i = P_PTY; i < P_COUNT; i++)
                if (pfd[i].events == 0)
                        pfd[i].fd = -1;
}

static void streams_move(struct streams *st, const struct pollfd *pfd, bool ended)
{
        if (pfd[P_PTY].revents & (POLLIN | POLLHUP | POLLERR))
                congo_relay_fill(&st->out, ended);
        if (pfd[P_IN].revents)
                congo_relay_fill(&st->in, false);
        if (pfd[P_OUT].revents)
                congo_relay_flush(&st->out);
        if (pfd[P_PTY].revents & (POLLOUT | POLLERR | POLLHUP))
                congo_relay_flush(&st->in);
        /* The container ended: what it wrote is all there is. */
        if (ended && st->out.open && !(pfd[P_PTY].revents & POLLIN))
                congo_relay_fill(&st->out, true);
}

/* One signal from the signalfd; true when the container has ended.
 * *hurry: a signal that asks the container to end was passed on. */
/* A signal that asks the container to end: the stop timer starts. */
static bool stops(uint32_t sig)
{
        return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT;
}

static bool on_signal(struct congo_run *run, int sfd, int *status, bool *hurry, bool *stop)
{
        struct signalfd_siginfo si;

        if (read(sfd, &si, sizeof si) != sizeof si)
                return false;
        if (si.ssi_signo == SIGWINCH && run->tty) {
                congo_terminal_resize(run);
        } else if (si.ssi_signo != SIGCHLD) {
                kill(run->pid, (int)si.ssi_signo);
                *hurry |= si.ssi_signo != SIGUSR1 && si.ssi_signo != SIGUSR2;
                *stop |= stops(si.ssi_signo);
        } else {
                int ws, cmd_ws;
                if (waitpid(run->pid, &ws, WNOHANG) == run->pid) {
                        /* PID 1 sent the command's own wait status. */
                        if (recv(run->sync_fd[1], &cmd_ws, sizeof cmd_ws, MSG_DONTWAIT) == sizeof cmd_ws)
                                ws = cmd_ws;
                        *status = status_of(run, ws);
                        return true;
                }
        }
        return false;
}

/* tfd (made now if there is none yet) armed to fire ms from now: the
 * time limit, the stop grace period, the drain of a stalled reader. */
static int timer_in(int tfd, uint64_t ms)
{
        if (tfd < 0)
                tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        if (tfd >= 0)
                arm(tfd, ms);
        return tfd;
}

int congo_supervise(struct congo_run *run)
{
        sigset_t set;
        struct pollfd pfd[P_COUNT];
        struct streams st;
        struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
        int sfd, tfd = -1, phase = 0, status = CONGO_EXIT_FAILURE;
        bool done = false, hurry = false, stop = false;

        fill_mask(&set);
        sfd = signalfd(-1, &set, SFD_CLOEXEC);
        /* The exec stage sent the pty's master before exec; it is there. */
        if (run->tty && congo_terminal_receive(run) < 0)
                congo_warn("terminal: the container sent no pseudo-terminal");
        if (run->spec->limits.time_ms)
                tfd = timer_in(tfd, run->spec->limits.time_ms);
        /* A reader of our stdout that went away is an EPIPE to handle, not
         * a signal that kills the launcher and orphans the container. */
        sigaction(SIGPIPE, &ign, &old_pipe);
        streams_open(run, &st);
        congo_terminal_raw(run);
        /* Until the container has ended and what it wrote has been passed
         * on (or the time limit says stop waiting for a stalled reader). */
        while (!done || !congo_relay_done(&st.out)) {
                pfd[P_SIG] = (struct pollfd){ sfd, POLLIN, 0 };
                pfd[P_TIMER] = (struct pollfd){ tfd, POLLIN, 0 };
                streams_poll(&st, pfd);
                if (done)
                        pfd[P_IN].fd = -1;
                if (poll(pfd, P_COUNT, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                streams_move(&st, pfd, done);
                if (pfd[P_TIMER].revents && done)
                        break;   /* the reader stalled past the limit */
                if (pfd[P_TIMER].revents)
                        on_timer(run, tfd, &phase);
                if (!(pfd[P_SIG].revents & POLLIN))
                        continue;
                if (!done) {
                        done = on_signal(run, sfd, &status, &hurry, &stop);
                        if (done)
                                run->pid = 0;
                        /* Asked to stop: SIGKILL after the spec's grace
                         * period (the time limit's second phase). */
                        if (!done && stop && phase == 0 &&
                            (tfd = timer_in(tfd, run->spec->stop_timeout_ms)) >= 0)
                                phase = 1;
                        /* Asked to end: a reader that stalls gets the grace
                         * period, not forever, to take what is left. */
                        if (done && hurry && (phase == 0 || stop))
                                tfd = timer_in(tfd, CONGO_TIME_GRACE_MS);
                } else {
                        struct signalfd_siginfo si;
                        if (read(sfd, &si, sizeof si) == sizeof si &&
                            si.ssi_signo != SIGCHLD && si.ssi_signo != SIGWINCH)
                                break;   /* asked to end while we drain: stop */
                }
        }
        streams_close(&st);
        sigaction(SIGPIPE, &old_pipe, NULL);
        run->pid = 0;
        close(sfd);
        if (tfd >= 0)
                close(tfd);
        return status;
}

void congo_supervise_report(const struct congo_run *run)
{
        if (run->result.cg.oom_killed) {
                uint64_t mib = run->spec->limits.memory / (1024 * 1024);
                congo_warn("container killed by the OOM killer (memory limit %" PRIu64 " MiB)", mib);
        }
}

void congo_result_write_json(const struct congo_run_result *r, FILE *out)
{
        const struct congo_cgroup_stats *c = &r->cg;

        fprintf(out, "{\"exit_code\": %d, \"signal\": ", r->exit_code);
        if (r->signal)
                fprintf(out, "%d", r->signal);
        else
                fputs("null", out);
        fprintf(out, ", \"wall_ms\": %" PRId64, r->wall_ms);
#define FIELD(name, v, div) \
        do { if ((v) < 0) fputs(", \"" name "\": null", out); \
             else fprintf(out, ", \"" name "\": %" PRId64, (v) / (div)); } while (0)
        FIELD("cpu_user_ms", c->cpu_user_us, 1000);
        FIELD("cpu_sys_ms", c->cpu_sys_us, 1000);
        FIELD("memory_peak_bytes", c->memory_peak, 1);
        FIELD("pids_peak", c->pids_peak, 1);
#undef FIELD
        fprintf(out, ", \"oom_killed\": %s, \"time_limit_hit\": %s}\n",
                c->oom_killed ? "true" : "false", r->time_limit_hit ? "true" : "false");
}
