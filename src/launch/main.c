/* main.c - the command line, and nothing else: read options, build the
 * spec through a front end, hand it to the pipeline. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "congo/error.h"
#include "congo/parse.h"
#include "congo/pipeline.h"
#include "congo/spec.h"
#include "check_command.h"

enum mode { MODE_RUN, MODE_CHECK, MODE_PRINT, MODE_DRY_RUN, MODE_GC, MODE_LIST_KEYS,
            MODE_SCHEMA };

#define MAX_SETS 64

struct options {
        enum mode mode;
        char *sets[MAX_SETS];      /* --set arguments, in order */
        size_t n_sets;
        const char *cgroup_parent;
        const char *stats;         /* NULL: none; "-": stderr */
        const char *list_form;     /* --list-keys=long or =man; NULL: plain */
        bool origin;               /* --print --origin */
};

static void usage(FILE *out)
{
        fputs("Usage: congo-launch [OPTIONS] SPEC [-- CMD [ARGS...]]\n"
              "       congo-launch [OPTIONS] run ROOTFS PIDS MEMORY CPU_SHARES ENV -- CMD [ARGS...]\n"
              "       congo-launch --check SPEC...\n"
              "       congo-launch --gc\n"
              "       congo-launch --schema > congo-spec.schema.json\n"
              "\n"
              "Run the container a spec file (YAML or INI) describes.\n"
              "\n"
              "  -c, --check            validate the specs only; exit 0 if all are valid\n"
              "  -p, --print            print the fully defaulted spec as canonical YAML\n"
              "      --origin           with --print: the file:line that set each value\n"
              "  -n, --dry-run          print what each stage would do, do nothing\n"
              "  -s, --set KEY=VALUE    override a key by its dotted path (repeatable);\n"
              "                         KEY+=VALUE adds to a list, map, mounts or devices,\n"
              "                         KEY-=VALUE removes from them\n"
              "      --cgroup-parent P  put the container's cgroup under P\n"
              "      --stats[=FILE]     write resource use as JSON at exit (default stderr)\n"
              "      --gc               remove cgroups left by launchers that died\n"
              "      --list-keys[=long|man] print every key --set takes, one a line; long: every\n"
              "                         key with its type, default, range and doc; man: the\n"
              "                         same as congo-spec(5)'s KEY LIST section (man(7))\n"
              "      --schema           print a JSON Schema of the spec format (for editors)\n"
              "  -v, --verbose          say more (-vv: time each step of the start)\n"
              "  -q, --quiet            say only errors\n"
              "  -h, --help             show this help\n"
              "  -V, --version          show the version\n"
              "\n"
              "The run form: PIDS, MEMORY (512M, 1G) and CPU_SHARES are limits, 0 or - for\n"
              "none; ENV is one argument, KEY=VALUE[,KEY=VALUE...], or - for no variables:\n"
              "  congo-launch run ./rootfs 100 512M 1024 A=1,B=2 -- /bin/sh -c 'echo $A'\n"
              "\n"
              "Exit status: the container's; 128+N if it died of signal N; 125 when the\n"
              "spec or the launcher failed, 126 when the command cannot be executed, 127\n"
              "when it is not found.  --print and --dry-run: 0, or 125 for a bad spec.\n"
              "--check: 0 when every spec is valid, 1 when one is not.  A bad command line:\n"
              "125.  See congo-launch(1) and congo-spec(5).\n", out);
}

static int parse_options(int argc, char *argv[], struct options *o)
{
        enum { OPT_CGROUP_PARENT = 256, OPT_STATS, OPT_GC, OPT_LIST_KEYS, OPT_SCHEMA, OPT_ORIGIN };
        static const struct option longopts[] = {
                { "check", no_argument, NULL, 'c' },
                { "print", no_argument, NULL, 'p' },
                { "dry-run", no_argument, NULL, 'n' },
                { "set", required_argument, NULL, 's' },
                { "cgroup-parent", required_argument, NULL, OPT_CGROUP_PARENT },
                { "stats", optional_argument, NULL, OPT_STATS },
                { "gc", no_argument, NULL, OPT_GC },
                { "list-keys", optional_argument, NULL, OPT_LIST_KEYS },
                { "schema", no_argument, NULL, OPT_SCHEMA },
                { "origin", no_argument, NULL, OPT_ORIGIN },
                { "verbose", no_argument, NULL, 'v' },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { 0 },
        };
        int c;

        while ((c = getopt_long(argc, argv, "+cpns:vqhV", longopts, NULL)) != -1) {
                switch (c) {
                case 'c': o->mode = MODE_CHECK; break;
                case 'p': o->mode = MODE_PRINT; break;
                case 'n': o->mode = MODE_DRY_RUN; break;
                case 's':
                        if (o->n_sets == MAX_SETS) {
                                congo_warn("--set: more than %d overrides", MAX_SETS);
                                exit(CONGO_EXIT_FAILURE);
                        }
                        o->sets[o->n_sets++] = optarg;
                        break;
                case OPT_CGROUP_PARENT: o->cgroup_parent = optarg; break;
                case OPT_STATS: o->stats = optarg ? optarg : "-"; break;
                case OPT_GC: o->mode = MODE_GC; break;
                case OPT_LIST_KEYS:
                        if (optarg != NULL && strcmp(optarg, "long") != 0 && strcmp(optarg, "man") != 0) {
                                congo_warn("--list-keys=%s: expected --list-keys, --list-keys=long or --list-keys=man",
                                           optarg);
                                exit(CONGO_EXIT_FAILURE);
                        }
                        o->mode = MODE_LIST_KEYS;
                        o->list_form = optarg;
                        break;
                case OPT_SCHEMA: o->mode = MODE_SCHEMA; break;
                case OPT_ORIGIN: o->origin = true; break;
                case 'v': congo_verbosity++; break;
                case 'q': congo_verbosity = -1; break;
                case 'h': usage(stdout); exit(0);
                case 'V': puts(PACKAGE_STRING); exit(0);
                default: usage(stderr); exit(CONGO_EXIT_FAILURE);
                }
        }
        return optind;
}

/* Builds and validates a spec from argv (SPEC [-- CMD...] or run ...).
 * Returns the number of problems reported. */
static int load_spec(struct congo_spec *spec, int argc, char *argv[],
                     const struct options *o, struct congo_diag *d)
{
        int problems;

        if (strcmp(argv[0], "run") == 0) {
                congo_spec_init(spec, NULL);
                problems = congo_parse_positional(spec, argc - 1, argv + 1, d);
        } else {
                char *file = congo_spec_file_for(argv[0]);   /* a bundle: DIR/config.json */
                congo_spec_init(spec, file ? file : argv[0]);
                free(file);
                problems = congo_parse_file(spec, d);
                if (argc > 1 && strcmp(argv[1], "--") == 0 && argc > 2) {
                        struct congo_pos pos = { "command line", 0, 0 };
                        size_t n = (size_t)(argc - 2);
                        struct congo_scalar *items = calloc(n, sizeof *items);
                        for (size_t i = 0; items && i < n; i++)
                                items[i] = (struct congo_scalar){ .text = argv[2 + i], .pos = pos };
                        spec->overriding = true;
                        problems += congo_spec_set_list(spec, "command", items, n, &pos, d) < 0;
                        spec->overriding = false;
                        free(items);
                } else if (argc > 1) {
                        struct congo_pos pos = { "command line", 0, 0 };
                        congo_diag_report(d, &pos, "unexpected \"%s\" after the spec (a command goes after --)",
                                          argv[1]);
                        problems++;
                }
        }
        for (size_t i = 0; i < o->n_sets; i++)
                problems += congo_spec_override(spec, o->sets[i], d) < 0;
        if (o->cgroup_parent != NULL) {
                char *set = NULL;
                if (asprintf(&set, "cgroup_parent=%s", o->cgroup_parent) > 0)
                        problems += congo_spec_override(spec, set, d) < 0;
                free(set);
        }
        /* Even after errors: a missing command or rootfs is reported in
         * the same pass as a misspelt key.  Not when no key could be read
         * at all (no file, not YAML): then nothing is "missing". */
        if (problems == 0 || congo_spec_any_attempted(spec))
                problems += congo_spec_finish(spec, d);
        return problems;
}

static int check_all(int argc, char *argv[], const struct options *o)
{
        int bad = 0;

        if (argc == 0) {
                usage(stderr);
                return CONGO_EXIT_FAILURE;
        }
        for (int i = 0; i < argc; i++) {
                struct congo_spec spec;
                struct congo_diag d = { stderr, 0 };   /* a bound per file */
                char *one[] = { argv[i], NULL };
                if (load_spec(&spec, 1, one, o, &d) != 0)
                        bad = 1;
                else if ((congo_check_command(&spec, &d) | congo_check_hooks(&spec, &d)) < 0)
                        bad = 1;
                else if (congo_verbosity >= 0)
                        printf("%s: ok\n", argv[i]);
                congo_spec_free(&spec);
        }
        return bad;
}

/* --stats=FILE is opened before the container starts, not at its end:
 * by then the container may have planted a symlink at that path (through
 * a bind mount) to a file of the host's.  O_NOFOLLOW refuses a symlink as
 * the last component, O_NONBLOCK a FIFO nobody reads (ENXIO, not a hang). */
static FILE *open_stats(const char *path)
{
        if (strcmp(path, "-") == 0)
                return stderr;
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
        FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
        if (f == NULL) {
                congo_warn("--stats: cannot open %s: %s", path,
                           errno == ELOOP ? "it is a symbolic link" : strerror(errno));
                if (fd >= 0)
                        close(fd);
                return NULL;
        }
        fcntl(fd, F_SETFL, 0);
        return f;
}

static int run_gc(const char *parent)
{
        struct congo_error err = { .stage = "gc" };
        struct congo_cgroup cg = { .mountinfo = "/proc/self/mountinfo" };
        int removed = 0;

        cg.driver = congo_cgroup_probe("/sys/fs/cgroup", cg.mountinfo, &err);
        if (cg.driver == NULL) {
                congo_error_print(&err, stderr);
                return CONGO_EXIT_FAILURE;
        }
        int rc = cg.driver->gc(&cg, parent ? parent : "congo", &removed);
        congo_cgroup_release(&cg);
        if (rc < 0)
                return CONGO_EXIT_FAILURE;
        congo_info("gc: removed %d stale cgroup%s", removed, removed == 1 ? "" : "s");
        return 0;
}

int main(int argc, char *argv[])
{
        struct options o = { 0 };
        struct congo_diag d = { stderr, 0 };
        struct congo_spec spec;

        congo_init_title_area(argc, argv);   /* before getopt reorders argv */
        int first = parse_options(argc, argv, &o), status;

        argc -= first;
        argv += first;
        if (o.mode == MODE_GC)
                return run_gc(o.cgroup_parent);
        if (o.mode == MODE_LIST_KEYS) {
                if (o.list_form && strcmp(o.list_form, "man") == 0)
                        congo_spec_list_keys_man(stdout);
                else if (o.list_form)
                        congo_spec_list_keys_long(stdout);
                else
                        congo_spec_list_keys(stdout);
                return 0;
        }
        if (o.mode == MODE_SCHEMA) {
                if (congo_spec_schema(stdout) < 0 || fflush(stdout) != 0) {
                        congo_warn("--schema: cannot write the schema: %s", strerror(errno));
                        return CONGO_EXIT_FAILURE;
                }
                return 0;
        }
        if (o.origin && o.mode != MODE_PRINT) {
                congo_warn("--origin: only with --print");
                return CONGO_EXIT_FAILURE;
        }
        if (o.mode == MODE_CHECK)
                return check_all(argc, argv, &o);
        if (argc == 0) {
                usage(stderr);
                return CONGO_EXIT_FAILURE;
        }
        if (load_spec(&spec, argc, argv, &o, &d) != 0) {
                congo_spec_free(&spec);
                return CONGO_EXIT_FAILURE;   /* run, --print, --dry-run alike */
        }
        if (o.mode == MODE_PRINT) {
                if (o.origin)
                        congo_spec_print_origins(&spec, stdout);
                else
                        congo_spec_print(&spec, stdout);
                congo_spec_free(&spec);
                return 0;
        }

        struct congo_run run;
        struct congo_error err = { 0 };
        if (congo_spec_adapt_to_caller(&spec, geteuid(), getegid()) < 0) {
                congo_warn("out of memory");
                congo_spec_free(&spec);
                return CONGO_EXIT_FAILURE;
        }
        size_t n_stages;
        const struct congo_stage *const *stages = congo_pipeline_stages(&spec, &n_stages);
        congo_run_init(&run, &spec, stages, n_stages);
        run.stats_wanted = o.stats != NULL;
        if (o.mode == MODE_DRY_RUN) {
                congo_pipeline_describe(&run, stdout);
                congo_spec_free(&spec);
                return 0;
        }
        FILE *stats = NULL;
        if (congo_stdio_check(&err) < 0) {
                congo_error_print(&err, stderr);
                congo_spec_free(&spec);
                return CONGO_EXIT_FAILURE;
        }
        if (o.stats != NULL && (stats = open_stats(o.stats)) == NULL) {
                congo_spec_free(&spec);
                return CONGO_EXIT_FAILURE;
        }
        status = congo_pipeline_run(&run, &err);
        if (err.msg[0] != '\0')
                congo_error_print(&err, stderr);
        if (stats != NULL) {
                congo_result_write_json(&run.result, stats);
                if (stats != stderr && fclose(stats) != 0)
                        congo_warn("--stats: writing %s: %s", o.stats, strerror(errno));
        }
        congo_spec_free(&spec);
        return status;
}
