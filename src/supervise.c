/* supervise.c - the launcher while the container runs: forward signals,
 * enforce limits.time, copy pty bytes, reap, and map the status. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Copies what is readable from one fd to another; false at EOF/error. */
static bool pump(int from, int to)
{
        char buf[8192];
        ssize_t n = read(from, buf, sizeof buf);

        if (n <= 0)
                return n < 0 && (errno == EINTR || errno == EAGAIN);
        for (ssize_t off = 0; off < n;) {
                ssize_t w = write(to, buf + off, (size_t)(n - off));
                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return true;   /* the reader went away; keep draining */
                off += w;
        }
        return true;
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
        }
}

int congo_supervise(struct congo_run *run)
{
        sigset_t set;
        struct pollfd pfd[4];
        int sfd, tfd = -1, phase = 0, status = CONGO_EXIT_FAILURE;
        bool in_open = run->tty, out_open = run->tty, done = false;

        fill_mask(&set);
        sfd = signalfd(-1, &set, SFD_CLOEXEC);
        /* The exec stage sent the pty's master before exec; it is there. */
        if (run->tty && congo_terminal_receive(run) < 0) {
                congo_warn("terminal: the container sent no pseudo-terminal");
                in_open = out_open = false;
        }
        if (run->spec->limits.time_ms) {
                tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
                arm(tfd, run->spec->limits.time_ms);
        }
        congo_terminal_raw(run);
        while (!done) {
                pfd[0] = (struct pollfd){ sfd, POLLIN, 0 };
                pfd[1] = (struct pollfd){ tfd, POLLIN, 0 };
                pfd[2] = (struct pollfd){ out_open ? run->pty_master : -1, POLLIN, 0 };
                pfd[3] = (struct pollfd){ in_open ? STDIN_FILENO : -1, POLLIN, 0 };
                if (poll(pfd, 4, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (pfd[2].revents)
                        out_open = pump(run->pty_master, STDOUT_FILENO);
                if (pfd[3].revents)
                        in_open = pump(STDIN_FILENO, run->pty_master);
                if (pfd[1].revents)
                        on_timer(run, tfd, &phase);
                if (!(pfd[0].revents & POLLIN))
                        continue;
                struct signalfd_siginfo si;
                if (read(sfd, &si, sizeof si) != sizeof si)
                        continue;
                if (si.ssi_signo == SIGWINCH && run->tty) {
                        congo_terminal_resize(run);
                } else if (si.ssi_signo != SIGCHLD) {
                        kill(run->pid, (int)si.ssi_signo);
                } else {
                        int ws;
                        pid_t r = waitpid(run->pid, &ws, WNOHANG);
                        if (r == run->pid) {
                                status = status_of(run, ws);
                                done = true;
                        }
                }
        }
        /* What the container wrote just before it ended. */
        while (out_open && poll(&(struct pollfd){ run->pty_master, POLLIN, 0 }, 1, 0) > 0)
                out_open = pump(run->pty_master, STDOUT_FILENO);
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
