/* main.c - `congo`, the OCI runtime: runc's command line over the same
 * library as congo-launch.  Global options, then one command; this file
 * only reads the global options and picks the command. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "congo/parse.h"
#include "runtime.h"

static int not_supported(const struct congo_rt *rt, int argc, char **argv)
{
        (void)rt;
        (void)argc;
        congo_rt_error("%s: not supported", argv[0]);
        return CONGO_RT_FAILURE;
}

struct command {
        const char *name;
        int (*run)(const struct congo_rt *, int, char **);
        const char *usage;
};

static const struct command commands[] = {
        { "create", congo_rt_create,
          "create [--bundle DIR] [--pid-file F] [--console-socket SOCK] [--no-pivot] [--no-new-keyring] [--preserve-fds N] ID" },
        { "start", congo_rt_start, "start ID" },
        { "run", congo_rt_run,
          "run [-d] [--bundle DIR] [--pid-file F] [--console-socket SOCK] [--no-pivot] [--no-new-keyring] [--preserve-fds N] ID" },
        { "state", congo_rt_state, "state ID" },
        { "list", congo_rt_list, "list [--format table|json] [-q]" },
        { "kill", congo_rt_kill, "kill [--all] ID [SIGNAL]" },
        { "delete", congo_rt_delete, "delete [--force] ID" },
        { "spec", congo_rt_spec, "spec [--rootless] [--bundle DIR]" },
        { "features", congo_rt_features, "features" },
        { "checkpoint", not_supported, "checkpoint ID (not supported)" },
        { "restore", not_supported, "restore ID (not supported)" },
        { "exec", congo_rt_exec,
          "exec [--process F] [-d] [-t] [--console-socket S] [--pid-file F] [--cwd D] [--env K=V]... [--user UID[:GID]] [--additional-gids G]... [--cap C]... [--no-new-privs] ID [COMMAND [ARGS...]]" },
        { "ps", congo_rt_ps, "ps [--format table|json] ID [PS-ARGS...]" },
        { "pause", congo_rt_pause, "pause ID" },
        { "resume", congo_rt_resume, "resume ID" },
        { "update", congo_rt_update,
          "update [--resources F|-] [--memory N] [--memory-reservation N] [--memory-swap N] [--cpu-shares N] "
          "[--cpu-quota N] [--cpu-period N] [--cpuset-cpus S] [--cpuset-mems S] [--pids-limit N] [--blkio-weight N] ID" },
        { "events", congo_rt_events, "events [--stats] [--interval D] ID" },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
        fputs("Usage: congo [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID]\n"
              "\n"
              "An OCI runtime with runc's command line: podman, containerd and docker\n"
              "drive it as they drive runc.  See congo(8).\n"
              "\n"
              "Global options:\n"
              "  --root DIR              state directory (default " CONGO_RT_DEFAULT_ROOT ")\n"
              "  --log FILE              also write errors and --debug lines to FILE\n"
              "  --log-format text|json  the format of --log (default text)\n"
              "  --debug                 log what is done\n"
              "  --systemd-cgroup        cgroupsPath is slice:prefix:name\n"
              "  -v, --version           show the version\n"
              "  -h, --help              show this help\n"
              "\n"
              "Commands:\n", out);
        for (size_t i = 0; i < N_COMMANDS; i++)
                fprintf(out, "  %s\n", commands[i].usage);
}

static void version(void)
{
        const struct scmp_version *v = seccomp_version();

        printf("congo version %s\nspec: 1.1.0\n", PACKAGE_VERSION);
        if (v != NULL)
                printf("libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
}

/* --preserve-fds N (create, run, exec): a count, and each of the
 * caller's fds 3..3+N-1 open (main left them open). */
int congo_rt_parse_preserve_fds(const char *text, int *out)
{
        char *end;
        long n = strtol(text, &end, 10);

        if (*text == '\0' || *end != '\0' || n < 0 || n > CONGO_RT_PRESERVE_MAX) {
                congo_rt_error("--preserve-fds %s: not a number from 0 to %d", text, CONGO_RT_PRESERVE_MAX);
                return -1;
        }
        for (int fd = 3; fd < 3 + n; fd++)
                if (fcntl(fd, F_GETFD) < 0) {
                        congo_rt_error("--preserve-fds %s: fd %d is not open", text, fd);
                        return -1;
                }
        *out = (int)n;
        return 0;
}

int congo_rt_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
        char opts[64];

        /* '+': options stop at the first operand; ':': we say what went wrong. */
        snprintf(opts, sizeof opts, "+:%s", shortopts);
        opterr = 0;
        int c = getopt_long(argc, argv, opts, longopts, NULL);
        if (c == '?') {
                congo_rt_error("flag provided but not defined: %s", argv[optind - 1]);
                exit(CONGO_RT_FAILURE);
        }
        if (c == ':') {
                congo_rt_error("flag needs an argument: %s", argv[optind - 1]);
                exit(CONGO_RT_FAILURE);
        }
        return c;
}

const char *congo_rt_one_id(int argc, char **argv, const char *cmd)
{
        if (argc - optind != 1) {
                congo_rt_error("%s: %s", cmd, argc - optind == 0 ? "the container id is missing"
                                                                 : "expects exactly one container id");
                return NULL;
        }
        return argv[optind];
}

/* --preserve-fds N of create or run, read before anything is parsed: the
 * caller's fds above 2 are closed at once, but not those.  create checks
 * N again, with its messages. */
static int congo_rt_preserved_fds(int argc, char **argv)
{
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
                const char *v = NULL;
                if (strcmp(argv[i], "--preserve-fds") == 0 && i + 1 < argc)
                        v = argv[i + 1];
                else if (strncmp(argv[i], "--preserve-fds=", 15) == 0)
                        v = argv[i] + 15;
                char *end;
                long n = v ? strtol(v, &end, 10) : 0;
                if (v && *v && *end == '\0' && n > 0 && n <= CONGO_RT_PRESERVE_MAX)
                        return (int)n;
        }
        return 0;
}

int main(int argc, char *argv[])
{
        enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD, OPT_IGNORED };
        static const struct option longopts[] = {
                { "root", required_argument, NULL, OPT_ROOT },
                { "log", required_argument, NULL, OPT_LOG },
                { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
                { "debug", no_argument, NULL, OPT_DEBUG },
                { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD },
                /* runc's, taken and ignored as runc's are by crun. */
                { "criu", required_argument, NULL, OPT_IGNORED },
                { "rootless", required_argument, NULL, OPT_IGNORED },
                { "version", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        struct congo_rt rt = { .root = CONGO_RT_DEFAULT_ROOT };
        const char *log = NULL, *log_format = NULL;
        int c;

        congo_progname = "congo";
        /* Nothing but stdio from the caller: a container parked by create
         * lives on for as long as its caller likes, and must not hold the
         * caller's other files (a lock it holds would stay held). */
        syscall(SYS_close_range, 3 + (unsigned)congo_rt_preserved_fds(argc, argv), ~0U, 0);
        /* A closed 0-2 becomes /dev/null: else the next file opened (the
         * log, the state directory) would take its number and be handed
         * to a container as its stdio. */
        for (int fd = 0; fd < 3; fd++)
                if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
                        return CONGO_RT_FAILURE;
        while ((c = congo_rt_getopt(argc, argv, "vh", longopts)) != -1) {
                switch (c) {
                case OPT_ROOT: rt.root = optarg; break;
                case OPT_LOG: log = optarg; break;
                case OPT_LOG_FORMAT: log_format = optarg; break;
                case OPT_DEBUG: rt.debug = true; break;
                case OPT_SYSTEMD: rt.systemd_cgroup = congo_oci_systemd_cgroup = true; break;
                case OPT_IGNORED: break;
                case 'v': version(); return 0;
                case 'h': usage(stdout); return 0;
                }
        }
        if (congo_rt_log_open(log, log_format) < 0)
                return CONGO_RT_FAILURE;
        if (rt.debug)
                congo_verbosity = 2;
        if (rt.root[0] != '/') {
                congo_rt_error("--root %s: not an absolute path", rt.root);
                return CONGO_RT_FAILURE;
        }
        if (optind >= argc) {
                usage(stderr);
                return CONGO_RT_FAILURE;
        }
        for (size_t i = 0; i < N_COMMANDS; i++)
                if (strcmp(argv[optind], commands[i].name) == 0) {
                        argc -= optind;
                        argv += optind;
                        optind = 0;   /* getopt starts again, at argv[1] */
                        for (int a = 1; a < argc && strcmp(argv[a], "--") != 0; a++)
                                if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
                                        printf("Usage: congo %s\n", commands[i].usage);
                                        return 0;
                                }
                        return commands[i].run(&rt, argc, argv);
                }
        congo_rt_error("unknown command \"%s\" (congo --help lists them)", argv[optind]);
        return CONGO_RT_FAILURE;
}
