/* interleave.c - time several commands in one run, interleaved, for
 * bench/startup and bench/flat.
 *
 *   interleave RUNS WARMUP OUT.json NAME 'CMD ARGS...' [NAME 'CMD...']...
 *
 * Each round runs every command once, in turn, the order reversed every
 * other round, so that a machine whose load drifts (this one is shared)
 * weighs on every command alike; hyperfine runs all of one command's runs,
 * then all of the next's.  A command is split on spaces and executed
 * directly (no shell, as hyperfine -N), stdin/stdout/stderr on /dev/null;
 * its wall time is from fork to wait.  A command that fails stops the
 * run.  OUT.json holds what bench/startup reads of hyperfine's export:
 * {"results": [{"command", "times" (s, in run order), "mean", "stddev"}]}.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd {
        const char *name;
        char *argv[64];
        double *t;
};

static double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run_once(const struct cmd *c, int devnull)
{
        double start = now();
        pid_t pid = fork();
        int ws;

        if (pid < 0) {
                perror("interleave: fork");
                exit(1);
        }
        if (pid == 0) {
                dup2(devnull, 0);
                dup2(devnull, 1);
                dup2(devnull, 2);
                execvp(c->argv[0], c->argv);
                _exit(127);
        }
        if (waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
                fprintf(stderr, "interleave: %s failed (wait status %d)\n", c->name, ws);
                exit(1);
        }
        return now() - start;
}

int main(int argc, char **argv)
{
        if (argc < 6 || (argc - 4) % 2 != 0) {
                fprintf(stderr, "usage: interleave RUNS WARMUP OUT.json NAME 'CMD...' [NAME 'CMD...']...\n");
                return 2;
        }
        int runs = atoi(argv[1]), warmup = atoi(argv[2]), n = (argc - 4) / 2;
        struct cmd *cmds = calloc((size_t)n, sizeof *cmds);
        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

        if (runs < 1 || warmup < 0 || cmds == NULL || devnull < 0)
                return 2;
        for (int i = 0; i < n; i++) {
                size_t k = 0;
                cmds[i].name = argv[4 + 2 * i];
                for (char *w = strtok(argv[5 + 2 * i], " "); w && k < 63; w = strtok(NULL, " "))
                        cmds[i].argv[k++] = w;
                if ((cmds[i].t = calloc((size_t)runs, sizeof(double))) == NULL || k == 0)
                        return 2;
        }
        for (int r = -warmup; r < runs; r++)
                for (int j = 0; j < n; j++) {
                        int i = (r & 1) ? n - 1 - j : j;
                        double t = run_once(&cmds[i], devnull);
                        if (r >= 0)
                                cmds[i].t[r] = t;
                }
        FILE *out = fopen(argv[3], "w");
        if (out == NULL) {
                perror(argv[3]);
                return 1;
        }
        fputs("{\"results\": [", out);
        for (int i = 0; i < n; i++) {
                double sum = 0, sq = 0;
                for (int r = 0; r < runs; r++)
                        sum += cmds[i].t[r];
                double mean = sum / runs;
                for (int r = 0; r < runs; r++)
                        sq += (cmds[i].t[r] - mean) * (cmds[i].t[r] - mean);
                fprintf(out, "%s{\"command\": \"%s\", \"mean\": %.9f, \"stddev\": %.9f, \"times\": [",
                        i ? ", " : "", cmds[i].name, mean, runs > 1 ? sqrt(sq / (runs - 1)) : 0.0);
                for (int r = 0; r < runs; r++)
                        fprintf(out, "%s%.9f", r ? ", " : "", cmds[i].t[r]);
                fputs("]}", out);
        }
        fputs("]}\n", out);
        return fclose(out) == 0 ? 0 : 1;
}
