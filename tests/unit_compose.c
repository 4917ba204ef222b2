/* unit_compose.c - specs made of several files: include: (YAML and INI),
 * the merge of each kind of key, removal of inherited entries, include
 * cycles, depth and missing files with their chain, drop-ins in byte
 * order, origins through the merge (--print --origin), and --set's
 * KEY+=VALUE / KEY-=VALUE. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "congo/parse.h"
#include "congo/spec.h"
#include "run_suite.h"

static char dir[64];

static void make_dir(void)
{
        snprintf(dir, sizeof dir, "/tmp/congo-compose-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        /* Specs named relative, as on a command line: so are messages. */
        ck_assert_int_eq(chdir(dir), 0);
}

static void remove_dir(void)
{
        char cmd[128];
        ck_assert_int_eq(chdir("/"), 0);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}

/* Writes text to dir/name (subdirectories made); returns the path. */
static const char *put(const char *name, const char *text)
{
        static char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
                *p = '\0';
                mkdir(path, 0755);
                *p = '/';
        }
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
        return path;
}

/* Loads dir/name as main() does (file, --set..., finish); returns the
 * number of problems, every message in *errors. */
static int load_sets(struct congo_spec *s, const char *name, const char *const sets[],
                     char **errors)
{
        size_t len;
        FILE *f = open_memstream(errors, &len);
        struct congo_diag d = { f, 0 };

        congo_spec_init(s, name);
        int problems = congo_parse_file(s, &d);
        for (size_t i = 0; sets && sets[i]; i++)
                problems += congo_spec_override(s, sets[i], &d) < 0;
        if (problems == 0 || congo_spec_any_attempted(s))
                congo_spec_finish(s, &d);
        fclose(f);
        return d.count;
}

static int load(struct congo_spec *s, const char *name, char **errors)
{
        return load_sets(s, name, NULL, errors);
}

static void expect_ok(struct congo_spec *s, const char *name)
{
        char *errors;
        int n = load(s, name, &errors);
        ck_assert_msg(n == 0, "%s: unexpected errors:\n%s", name, errors);
        free(errors);
}

/* Exactly one problem, and its line is line (after the directory). */
static void expect_one(const char *name, const char *line)
{
        struct congo_spec s;
        char *errors, want[1024];
        int n = load(&s, name, &errors);
        snprintf(want, sizeof want, "%s\n", line);
        ck_assert_msg(n == 1 && strcmp(errors, want) == 0, "%s: expected\n%s got %d:\n%s",
                      name, want, n, errors);
        free(errors);
        congo_spec_free(&s);
}

static const char *env(const struct congo_spec *s, const char *name)
{
        for (size_t i = 0; i < s->n_env; i++)
                if (strcmp(s->env[i].name, name) == 0)
                        return s->env[i].value;
        return NULL;
}

#define TOP "version: 1\nrootfs: /\ncommand: [/bin/true]\n"

/* Scalars: the later wins; env and rlimits: key by key; lists: replaced;
 * mounts: a later one at the same target takes the earlier one's place,
 * others are appended; devices likewise by path. */
START_TEST(merge_per_kind)
{
        make_dir();
        put("base.yaml",
            TOP "hostname: base\nreadonly_rootfs: true\n"
            "env: {A: a, B: b}\n"
            "mounts:\n  - {type: tmpfs, target: /run, options: [size=8m]}\n"
            "  - {type: tmpfs, target: /run/sub}\n"
            "devices:\n  - {path: /dev/fuse, type: c, major: 10, minor: 229}\n"
            "limits: {memory: 64M, pids: 10, rlimits: {nofile: 100, core: 0}}\n"
            "security: {capabilities: [CAP_CHOWN, CAP_KILL]}\n");
        put("app.yaml",
            "include: [base.yaml]\nhostname: app\n"
            "env: {B: B2, C: c}\n"
            "mounts:\n  - {type: tmpfs, target: /run, options: [size=16m]}\n"
            "  - {type: tmpfs, target: /srv}\n"
            "devices:\n  - {path: /dev/fuse, type: c, major: 10, minor: 229, file_mode: \"0600\"}\n"
            "limits: {memory: 128M, rlimits: {nofile: 200}}\n"
            "security: {capabilities: [CAP_NET_ADMIN]}\n"
            "command: [/bin/true]\n");
        struct congo_spec s;
        expect_ok(&s, "app.yaml");
        ck_assert_str_eq(s.hostname, "app");
        ck_assert(s.readonly_rootfs);
        ck_assert_str_eq(env(&s, "A"), "a");
        ck_assert_str_eq(env(&s, "B"), "B2");
        ck_assert_str_eq(env(&s, "C"), "c");
        ck_assert_uint_eq(s.n_mounts, 3);
        ck_assert_str_eq(s.mounts[0].target, "/run");    /* in place: before /run/sub */
        ck_assert_str_eq(s.mounts[0].options[0], "size=16m");
        ck_assert_str_eq(s.mounts[1].target, "/run/sub");
        ck_assert_str_eq(s.mounts[2].target, "/srv");
        ck_assert_uint_eq(s.n_devices, 1);
        ck_assert_uint_eq(s.devices[0].file_mode, 0600);
        ck_assert_uint_eq(s.limits.memory, 128u << 20);
        ck_assert_int_eq(s.limits.pids, 10);
        ck_assert_uint_eq(s.limits.n_rlimits, 2);
        ck_assert_uint_eq(s.limits.rlimits[0].soft, 200);
        ck_assert_uint_eq(s.security.capabilities, UINT64_C(1) << 12);   /* CAP_NET_ADMIN */
        ck_assert_str_eq(s.command[0], "/bin/true");
        ck_assert_ptr_null(s.command[1]);
        /* The default name is the spec's, not the base's. */
        ck_assert_str_eq(s.name, "app");
        congo_spec_free(&s);
        remove_dir();
}
END_TEST

/* Relative paths in an included file are relative to its own directory;
 * so are the files it includes. */
START_TEST(paths_follow_each_file)
{
        make_dir();
        put("common/data/x", "x\n");
        put("common/base.yaml", "include: [more.yaml]\n"
            "mounts: [{type: bind, source: data, target: /data}]\n");
        put("common/more.yaml", TOP "env: {M: more}\n");
        put("spec/app.yaml", "include: [../common/base.yaml]\n");
        struct congo_spec s;
        expect_ok(&s, "spec/app.yaml");
        char want[256];
        snprintf(want, sizeof want, "%s/common/data", dir);
        ck_assert_str_eq(s.mounts[0].source, want);
        snprintf(want, sizeof want, "%s/common", dir);
        ck_assert_str_eq(s.mounts[0].source_rel.base, want);
        ck_assert_str_eq(env(&s, "M"), "more");
        congo_spec_free(&s);
        remove_dir();
}
END_TEST

/* Within one file a key twice is still an error; across files it is the
 * point.  A file reached twice (a diamond) is merged once, at its first
 * place, so it does not undo what came between. */
START_TEST(duplicates_and_diamonds)
{
        make_dir();
        put("base.yaml", TOP "hostname: base\n");
        put("left.yaml", "include: [base.yaml]\nhostname: left\n");
        put("right.yaml", "include: base.yaml\nenv: {R: r}\n");
        put("app.yaml", "include: [left.yaml, right.yaml]\n");
        struct congo_spec s;
        expect_ok(&s, "app.yaml");
        ck_assert_str_eq(s.hostname, "left");
        ck_assert_str_eq(env(&s, "R"), "r");
        congo_spec_free(&s);
        put("dup.yaml", "include: [base.yaml]\nhostname: a\nhostname: b\n");
        expect_one("dup.yaml", "dup.yaml:3:1: hostname: duplicate key (first at line 2, column 1)");
        put("dupinc.ini", "[container]\ninclude = base.yaml\ninclude = left.yaml\n");
        expect_one("dupinc.ini", "dupinc.ini:3:11: include: duplicate key (first at line 2, column 11)");
        put("dupinc.yaml", "include: [base.yaml]\ninclude: [left.yaml]\n");
        expect_one("dupinc.yaml", "dupinc.yaml:2:1: include: duplicate key (first at line 1, column 1)");
        remove_dir();
}
END_TEST

/* ~ (or nothing) for an env variable or an rlimit, remove: true for a
 * mount (by target) or a device (by path): the inherited entry goes. */
START_TEST(removal)
{
        make_dir();
        put("base.yaml", TOP "env: {A: a, B: b}\n"
            "limits: {rlimits: {nofile: 10, core: 0}, unified: {memory.high: 1G, pids.max: \"9\"}}\n"
            "annotations: {org.example.a: x, org.example.b: y}\n"
            "mounts: [{type: tmpfs, target: /x}, {type: tmpfs, target: /y}]\n"
            "devices: [{path: /dev/fuse, type: c, major: 10, minor: 229}]\n");
        put("app.yaml", "include: [base.yaml]\nenv: {A: ~, B: }\nlimits: {rlimits: {core: ~}}\n"
            "mounts: [{target: /x, remove: true}, {type: tmpfs, target: /y, remove: true}]\n"
            "devices: [{path: /dev/fuse, remove: true}]\n");
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load(&s, "app.yaml", &errors), 1);
        ck_assert_str_eq(errors, "app.yaml:4:38: mounts[1]: an entry with remove: true takes only its target\n");
        free(errors);
        congo_spec_free(&s);

        put("app.yaml", "include: [base.yaml]\nenv: {A: ~, B: }\n"
            "limits: {rlimits: {core: ~}, unified: {pids.max: ~}}\n"
            "annotations: {org.example.a: ~}\n"
            "mounts: [{target: /x, remove: true}, {target: /x, type: bind, source: /tmp}]\n"
            "devices: [{path: /dev/fuse, remove: true}]\n");
        expect_ok(&s, "app.yaml");
        ck_assert_ptr_null(env(&s, "A"));
        ck_assert_ptr_null(env(&s, "B"));
        ck_assert_uint_eq(s.limits.n_rlimits, 1);
        ck_assert_uint_eq(s.n_annotations, 1);
        ck_assert_str_eq(s.annotations[0].name, "org.example.b");
        ck_assert_uint_eq(s.limits.n_unified, 1);
        ck_assert_str_eq(s.limits.unified[0].file, "memory.high");
        ck_assert_uint_eq(s.n_mounts, 2);
        ck_assert_str_eq(s.mounts[0].target, "/y");
        ck_assert_str_eq(s.mounts[1].target, "/x");
        ck_assert_int_eq(s.mounts[1].type, CONGO_MOUNT_BIND);
        ck_assert_uint_eq(s.n_devices, 0);
        congo_spec_free(&s);

        /* INI: a bare ~ is the same null; "~" is the character. */
        put("app.ini", "[container]\ninclude = base.yaml\n[env]\nA = ~\nB = \"~\"\n"
            "[mounts]\n/x = ~\n[devices]\n/dev/fuse = ~\n");
        expect_ok(&s, "app.ini");
        ck_assert_ptr_null(env(&s, "A"));
        ck_assert_str_eq(env(&s, "B"), "~");
        ck_assert_uint_eq(s.n_mounts, 1);
        ck_assert_uint_eq(s.n_devices, 0);
        congo_spec_free(&s);

        /* Nothing to remove is an error, as a typo would be. */
        put("none.yaml", "include: [base.yaml]\nenv: {Z: ~}\n");
        expect_one("none.yaml", "none.yaml:2:10: env.Z: has no value (~ or nothing removes a variable an earlier file set; none set Z)");
        put("none.yaml", "include: [base.yaml]\nmounts: [{target: /z, remove: true}]\n");
        expect_one("none.yaml", "none.yaml:2:10: mounts[2]: remove: nothing earlier mounts /z");
        put("none.yaml", "include: [base.yaml]\ndevices: [{path: /dev/z, remove: true}]\n");
        expect_one("none.yaml", "none.yaml:2:11: devices[1]: remove: nothing earlier adds /dev/z");
        put("none.yaml", "include: [base.yaml]\nlimits: {rlimits: {nproc: }}\n");
        expect_one("none.yaml", "none.yaml:2:27: limits.rlimits.nproc: has no value (~ or nothing removes a limit an earlier file set; none set nproc)");
        remove_dir();
}
END_TEST

/* The include chain in every message, at the include that fails. */
/* env and annotations are found through a name index (spec_names.c):
 * a removal shifts the entries behind it, and a later file's value for
 * one of those must still replace it, not add a second. */
START_TEST(removal_then_override)
{
        make_dir();
        put("base.yaml", TOP "env: {A: a, B: b, C: c}\nannotations: {x: 1, y: 2, z: 3}\n");
        put("mid.yaml", "include: [base.yaml]\nenv: {A: ~}\nannotations: {x: ~}\n");
        put("top.yaml", "include: [mid.yaml]\nenv: {C: z, A: again}\nannotations: {z: 9}\n");
        struct congo_spec s;
        expect_ok(&s, "top.yaml");
        ck_assert_str_eq(env(&s, "B"), "b");
        ck_assert_str_eq(env(&s, "C"), "z");
        ck_assert_str_eq(env(&s, "A"), "again");
        size_t c = 0;
        for (size_t i = 0; i < s.n_env; i++)
                c += strcmp(s.env[i].name, "C") == 0;
        ck_assert_uint_eq(c, 1);
        ck_assert_uint_eq(s.n_annotations, 2);
        ck_assert_str_eq(s.annotations[1].name, "z");
        ck_assert_str_eq(s.annotations[1].value, "9");
        congo_spec_free(&s);
        remove_dir();
}
END_TEST

START_TEST(cycles_depth_missing)
{
        make_dir();
        put("a.yaml", TOP "include: [b.yaml]\n");
        put("b.yaml", "include:\n  - c.yaml\n");
        put("c.yaml", "include: a.yaml\n");
        expect_one("a.yaml", "c.yaml:1:10: include: a.yaml -> b.yaml -> c.yaml -> a.yaml: a cycle");
        put("c.yaml", "include: [c.yaml]\n");
        expect_one("a.yaml", "c.yaml:1:11: include: a.yaml -> b.yaml -> c.yaml -> c.yaml: a cycle");
        put("c.yaml", "include: [gone.yaml]\n");
        expect_one("a.yaml", "c.yaml:1:11: include: a.yaml -> b.yaml -> c.yaml -> gone.yaml: cannot read it: No such file or directory");
        put("c.yaml", "include: [sub]\n");
        put("sub/x", "");
        expect_one("a.yaml", "c.yaml:1:11: include: a.yaml -> b.yaml -> c.yaml -> sub: cannot read it: not a regular file");
        put("c.yaml", "include: [fifo]\n");
        char fifo[128];
        snprintf(fifo, sizeof fifo, "%s/fifo", dir);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);   /* refused, not waited on */
        expect_one("a.yaml", "c.yaml:1:11: include: a.yaml -> b.yaml -> c.yaml -> fifo: cannot read it: not a regular file");
        ck_assert_int_eq(symlink("loop", "loop"), 0);
        put("c.yaml", "include: [loop]\n");
        expect_one("a.yaml", "c.yaml:1:11: include: a.yaml -> b.yaml -> c.yaml -> loop: cannot read it: Too many levels of symbolic links");
        /* A relative path in an included file stays beneath its directory. */
        put("c.yaml", "mounts: [{type: bind, source: ../.., target: /x}]\n");
        struct congo_spec esc;
        char *escaped;
        ck_assert_int_ge(load(&esc, "a.yaml", &escaped), 1);
        ck_assert_msg(strstr(escaped, "c.yaml:1:31: mounts[0].source: \"../..\" leads out of") != NULL, "%s", escaped);
        free(escaped);
        congo_spec_free(&esc);
        /* A bundle's config.json is whole: it includes nothing and is not
         * included. */
        put("c.yaml", "include: [x.json]\n");
        put("x.json", "{\"ociVersion\": \"1.0.2\"}\n");
        expect_one("a.yaml", "x.json: an OCI config.json cannot be included or be a drop-in");
        /* An error inside an included file points there. */
        put("c.yaml", "limits: {memory: 12q}\n");
        expect_one("a.yaml", "c.yaml:1:18: limits.memory: \"12q\" is not a size (try 512M or 1G)");
        /* 8 levels below the spec, and not 9. */
        for (int i = 1; i <= 9; i++) {
                char name[16], text[32];
                snprintf(name, sizeof name, "d%d.yaml", i);
                snprintf(text, sizeof text, "include: [d%d.yaml]\n", i + 1);
                put(name, text);
        }
        put("d10.yaml", "env: {DEEP: \"1\"}\n");
        put("deep.yaml", TOP "include: [d1.yaml]\n");
        expect_one("deep.yaml", "d8.yaml:1:11: include: deep.yaml -> d1.yaml -> d2.yaml -> d3.yaml -> d4.yaml -> d5.yaml -> d6.yaml -> d7.yaml -> d8.yaml -> d9.yaml: more than 8 levels of include");
        put("d8.yaml", "env: {DEEP: \"8\"}\n");
        struct congo_spec s;
        expect_ok(&s, "deep.yaml");
        ck_assert_str_eq(env(&s, "DEEP"), "8");
        congo_spec_free(&s);
        /* Only a file can include: not --set, not a buffer. */
        char *errors;
        const char *const sets[] = { "include=b.yaml", NULL };
        ck_assert_int_eq(load_sets(&s, "d8.yaml", sets, &errors), 1 + 3);   /* and what d8 lacks */
        ck_assert_ptr_nonnull(strstr(errors, "--set: include: only a spec file can include others\n"));
        free(errors);
        congo_spec_free(&s);
        struct congo_diag quiet = { NULL, 0 };
        congo_spec_init(&s, "x.yaml");
        ck_assert_int_eq(congo_parse_yaml(&s, "include: [a.yaml]\n", 18, &quiet), 1);
        congo_spec_free(&s);
        remove_dir();
}
END_TEST

/* SPEC.d/: *.yaml, *.yml, *.ini, *.conf after the spec, in byte order
 * (not the locale's); hidden files and other names are not read. */
START_TEST(dropins_in_order)
{
        make_dir();
        put("app.yaml", TOP "hostname: app\nenv: {A: app}\n");
        put("app.yaml.d/20-b.yaml", "hostname: b\nenv: {B: b}\n");
        put("app.yaml.d/10-a.ini", "[container]\nhostname = a\n[env]\nA = a\nB = a\n");
        put("app.yaml.d/Z-upper.yml", "env: {Z: upper}\n");
        put("app.yaml.d/a-lower.conf", "[env]\nZ = lower\n");
        put("app.yaml.d/.hidden.yaml", "hostname: hidden\n");
        put("app.yaml.d/notes.txt", "hostname: txt\n");
        put("app.yaml.d/40-off.yaml", "# hostname: off\n\n");   /* empty: no error */
        struct congo_spec s;
        expect_ok(&s, "app.yaml");
        ck_assert_str_eq(s.hostname, "b");
        ck_assert_str_eq(env(&s, "A"), "a");
        ck_assert_str_eq(env(&s, "B"), "b");
        ck_assert_str_eq(env(&s, "Z"), "lower");   /* 'Z' < 'a' */
        congo_spec_free(&s);
        /* A drop-in's error names the drop-in; the others still count. */
        put("app.yaml.d/30-bad.yaml", "limits: {pids: lots}\n");
        expect_one("app.yaml", "app.yaml.d/30-bad.yaml:1:16: limits.pids: \"lots\" is not a number or max");
        unlink("app.yaml.d/30-bad.yaml");
        ck_assert_int_eq(mkfifo("app.yaml.d/31-fifo.yaml", 0600), 0);   /* not waited on */
        expect_one("app.yaml", "app.yaml.d/31-fifo.yaml: drop-in: cannot read it: not a regular file");
        remove_dir();
}
END_TEST

/* security.seccomp and its profile are one setting: a later file's
 * either replaces an earlier file's other, where one file giving both is
 * a conflict. */
START_TEST(seccomp_across_files)
{
        make_dir();
        put("p.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n");
        put("base.yaml", TOP "security: {seccomp: {profile: p.json}}\n");
        put("app.yaml", "include: [base.yaml]\nsecurity: {seccomp: unconfined}\n");
        struct congo_spec s;
        expect_ok(&s, "app.yaml");
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_UNCONFINED);
        ck_assert_ptr_null(s.security.seccomp_profile);
        congo_spec_free(&s);
        put("base.yaml", TOP "security: {seccomp: unconfined}\n");
        put("app.yaml", "include: [base.yaml]\nsecurity: {seccomp: {profile: p.json}}\n");
        expect_ok(&s, "app.yaml");
        ck_assert_int_eq(s.security.seccomp, CONGO_SECCOMP_PROFILE);
        ck_assert_ptr_nonnull(s.security.seccomp_compiled);
        congo_spec_free(&s);
        remove_dir();
}
END_TEST

/* At most 128 files make one spec: drop-ins count. */
START_TEST(files_are_bounded)
{
        make_dir();
        put("app.yaml", TOP);
        for (int i = 0; i < 127; i++) {
                char name[64];
                snprintf(name, sizeof name, "app.yaml.d/%03d.yaml", i);
                put(name, "env: {A: a}\n");
        }
        struct congo_spec s;
        expect_ok(&s, "app.yaml");
        congo_spec_free(&s);
        put("app.yaml.d/127.yaml", "env: {A: a}\n");
        expect_one("app.yaml", "app.yaml.d/127.yaml: include: app.yaml.d/127.yaml: more than 128 files in one spec");
        remove_dir();
}
END_TEST

/* --print --origin: each value, the file and line that set it. */
START_TEST(origins)
{
        make_dir();
        put("base.yaml", TOP "env: {A: a}\nlimits:\n  memory: 64M\n  rlimits: {nofile: 10}\n"
            "mounts: [{type: tmpfs, target: /run}]\nsecurity: {seccomp: unconfined}\n");
        put("app.ini", "[container]\ninclude = base.yaml\nhostname = app\n[env]\nB = b\n"
            "[mounts]\n/srv = tmpfs\n");
        put("app.ini.d/x.yaml", "limits: {memory: 1G}\n");
        struct congo_spec s;
        char *errors, *out;
        size_t len;
        const char *const sets[] = { "cwd=/tmp", NULL };
        ck_assert_int_eq(load_sets(&s, "app.ini", sets, &errors), 0);
        free(errors);
        FILE *f = open_memstream(&out, &len);
        congo_spec_print_origins(&s, f);
        fclose(f);
        const char *want[] = {
                "version: 1  # base.yaml:1\n",
                "rootfs: \"/\"  # base.yaml:2\n",
                "hostname: \"app\"  # app.ini:3\n",
                "command: [\"/bin/true\"]  # base.yaml:3\n",
                "cwd: \"/tmp\"  # --set\n",
                "  \"A\": \"a\"  # base.yaml:4\n",
                "  \"B\": \"b\"  # app.ini:5\n",
                "  \"HOME\": \"/root\"\n",
                "  - {type: \"tmpfs\", target: \"/run\", options: []}  # base.yaml:8\n",
                "  - {type: \"tmpfs\", target: \"/srv\", options: []}  # app.ini:7\n",
                "  memory: 1G  # app.ini.d/x.yaml:1\n",
                "    nofile: \"10\"  # base.yaml:7\n",
                "  pids: 2048\n",
                "  seccomp: unconfined  # base.yaml:9\n",
        };
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
                ck_assert_msg(strstr(out, want[i]) != NULL, "no line\n%sin\n%s", want[i], out);
        }
        /* A newline in a file name cannot end the comment and start YAML. */
        put("app.ini.d/y\nname: evil #.yaml", "hostname: fromy\n");
        congo_spec_free(&s);
        free(out);
        ck_assert_int_eq(load_sets(&s, "app.ini", sets, &errors), 0);
        free(errors);
        f = open_memstream(&out, &len);
        congo_spec_print_origins(&s, f);
        fclose(f);
        ck_assert_msg(strstr(out, "hostname: \"fromy\"  # app.ini.d/y?name: evil #.yaml:1\n"), "%s", out);
        /* The comments change nothing: the print parses to the same spec. */
        struct congo_spec again;
        struct congo_diag d = { NULL, 0 };
        congo_spec_init(&again, "/tmp/again.yaml");
        ck_assert_int_eq(congo_parse_yaml(&again, out, len, &d), 0);
        ck_assert_int_eq(congo_spec_finish(&again, &d), 0);
        ck_assert_str_eq(again.name, "app");   /* not "evil" */
        ck_assert_str_eq(again.hostname, "fromy");
        free(out);
        congo_spec_free(&again);
        congo_spec_free(&s);
        remove_dir();
}
END_TEST

/* --set KEY+=VALUE and KEY-=VALUE. */
START_TEST(set_add_and_remove)
{
        make_dir();
        put("app.yaml", TOP "env: {A: a}\nmounts: [{type: tmpfs, target: /run}]\n"
            "devices: [{path: /dev/fuse, type: c, major: 10, minor: 229}]\n");
        const char *const sets[] = {
                "mounts+=type=bind,source=/tmp,target=/data,ro,nosuid",
                "mounts+=type=tmpfs,target=/run,size=1m,mode=755",
                "env+=B=x=y", "env-=A", "limits.rlimits+=nofile=64",
                "security.capabilities+=CAP_NET_ADMIN CAP_SYS_PTRACE",
                "security.capabilities-=CAP_CHOWN",
                "namespaces+=cgroup", "namespaces-=ipc",
                "command+=-c 'a b'",
                "devices+=path=/dev/net/tun,type=c,major=10,minor=200",
                "devices-=/dev/fuse",
                "env.C-=1",   /* a variable named "C-" */
                NULL,
        };
        struct congo_spec s;
        char *errors;
        ck_assert_int_eq(load_sets(&s, "app.yaml", sets, &errors), 0);
        free(errors);
        ck_assert_uint_eq(s.n_mounts, 2);
        ck_assert_str_eq(s.mounts[0].target, "/run");
        ck_assert_str_eq(s.mounts[0].options[0], "size=1m");
        ck_assert_str_eq(s.mounts[1].source, "/tmp");
        ck_assert_str_eq(s.mounts[1].options[1], "nosuid");
        ck_assert_ptr_null(env(&s, "A"));
        ck_assert_str_eq(env(&s, "B"), "x=y");
        ck_assert_str_eq(env(&s, "C-"), "1");
        ck_assert_uint_eq(s.limits.rlimits[0].soft, 64);
        ck_assert(s.security.capabilities & (UINT64_C(1) << 12));
        ck_assert(s.security.capabilities & (UINT64_C(1) << 19));
        ck_assert(!(s.security.capabilities & 1));
        ck_assert(s.security.capabilities & (UINT64_C(1) << 5));   /* CAP_KILL stays */
        ck_assert_uint_eq(s.namespaces, CONGO_NS_UTS | CONGO_NS_PID | CONGO_NS_NET |
                          CONGO_NS_MOUNT | CONGO_NS_CGROUP);
        ck_assert_str_eq(s.command[2], "a b");
        ck_assert_uint_eq(s.n_devices, 1);
        ck_assert_str_eq(s.devices[0].path, "/dev/net/tun");
        congo_spec_free(&s);

        const char *const bad[] = {
                "mounts-=/nope", "env-=Z", "namespaces+=bogus", "namespaces-=user",
                "command-=x", "devices+=path=/dev/x,bad", "mounts+=type=tmpfs,target=rel",
                "limits+=memory", "cwd+=x", NULL,
        };
        ck_assert_int_eq(load_sets(&s, "app.yaml", bad, &errors), 9);
        const char *msgs[] = {
                "--set: mounts[1]: remove: nothing earlier mounts /nope\n",
                "--set: env.Z: has no value",
                "--set: namespaces: unknown namespace \"bogus\"\n",
                "--set: namespaces-=: \"user\" is not in the set\n",
                "--set: command: -= is not supported for this list; set the whole list with command=\n",
                "--set: devices+=: \"bad\" is not KEY=VALUE",
                "--set: mounts[1].target: \"rel\" is not an absolute path\n",
                "--set: limits+=: \"memory\" is not NAME=VALUE\n",
                "--set: cwd+: unknown key",
        };
        for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
                ck_assert_msg(strstr(errors, msgs[i]) != NULL, "no\n%s\nin\n%s", msgs[i], errors);
        free(errors);
        congo_spec_free(&s);
        remove_dir();
}
END_TEST

int main(void)
{
        Suite *s = suite_create("compose");
        TCase *tc = tcase_create("compose");

        tcase_add_test(tc, merge_per_kind);
        tcase_add_test(tc, paths_follow_each_file);
        tcase_add_test(tc, duplicates_and_diamonds);
        tcase_add_test(tc, removal);
        tcase_add_test(tc, removal_then_override);
        tcase_add_test(tc, cycles_depth_missing);
        tcase_add_test(tc, dropins_in_order);
        tcase_add_test(tc, seccomp_across_files);
        tcase_add_test(tc, files_are_bounded);
        tcase_add_test(tc, origins);
        tcase_add_test(tc, set_add_and_remove);
        suite_add_tcase(s, tc);
        return run_suite(s);
}
