/* error.h - one error struct threaded through every call.
 *
 * A congo_error is a fixed-size value on purpose: the container process
 * writes it as raw bytes over a close-on-exec pipe when a stage fails
 * before exec, and the launcher prints it.  Spec problems are different:
 * there can be many, each with a position, so they go through a
 * congo_diag that prints one compiler-style line per problem.
 */
#ifndef CONGO_ERROR_H
#define CONGO_ERROR_H

#include <stdio.h>

/* Exit statuses of the launcher itself (docker/podman conventions). */
enum {
        CONGO_EXIT_FAILURE = 125,   /* launcher or spec failed */
        CONGO_EXIT_CANNOT_EXEC = 126, /* command found but not executable */
        CONGO_EXIT_NOT_FOUND = 127, /* command not found */
};

struct congo_error {
        int errnum;         /* errno of the failed call, 0 if none */
        int status;         /* exit status this failure maps to */
        char stage[32];     /* stage that failed ("hooks.create_container[31]"), "" outside the pipeline */
        char msg[480];
};

/* Record a failure; returns -1 so callers can `return congo_error_set(...)`.
 * status defaults to CONGO_EXIT_FAILURE. */
int congo_error_set(struct congo_error *err, int errnum, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
int congo_error_set_status(struct congo_error *err, int status, int errnum,
                           const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* "congo-launch: STAGE: msg: strerror(errnum)" on one line. */
void congo_error_print(const struct congo_error *err, FILE *out);

/* Where a value came from.  file == NULL means the command line. */
struct congo_pos {
        const char *file;
        int line;           /* 1-based; 0 when there is no line */
        int col;            /* 1-based; 0 when there is no column */
};

/* Collects spec problems; each is printed as it is found, every one of a
 * file in one pass, up to CONGO_DIAG_MAX lines. */
#define CONGO_DIAG_MAX 50
struct congo_diag {
        FILE *out;          /* NULL: count only */
        int count;
};

void congo_diag_report(struct congo_diag *d, const struct congo_pos *pos,
                       const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Logging for the launcher: every line starts with congo_progname. */
extern int congo_verbosity;   /* -1 quiet, 0 normal, 1+ verbose */
/* The name log lines start with: "congo-launch", or "congo" (the OCI runtime). */
extern const char *congo_progname;
/* Non-NULL: every log line and printed error also goes here, without the
 * prefix (the runtime's --log file); level -1 for errors. */
extern void (*congo_log_hook)(int level, const char *msg);
void congo_log(int level, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
#define congo_warn(...) congo_log(0, __VA_ARGS__)
#define congo_info(...) congo_log(1, __VA_ARGS__)

#endif
