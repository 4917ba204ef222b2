/* error.c - filling and printing congo_error, diagnostics, log lines. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "congo/error.h"

int congo_verbosity;
const char *congo_progname = "congo-launch";
void (*congo_log_hook)(int level, const char *msg);

/* The runtime's --log: the same line, without the prefix, to its hook. */
static void hook(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hook(int level, const char *fmt, ...)
{
        char msg[1024];
        va_list ap;

        if (congo_log_hook == NULL)
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        congo_log_hook(level, msg);
}

static int vset(struct congo_error *err, int status, int errnum,
                const char *fmt, va_list ap)
{
        if (err == NULL)
                return -1;
        err->status = status;
        err->errnum = errnum;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        return -1;
}

int congo_error_set(struct congo_error *err, int errnum, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vset(err, CONGO_EXIT_FAILURE, errnum, fmt, ap);
        va_end(ap);
        return -1;
}

int congo_error_set_status(struct congo_error *err, int status, int errnum,
                           const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vset(err, status, errnum, fmt, ap);
        va_end(ap);
        return -1;
}

void congo_error_print(const struct congo_error *err, FILE *out)
{
        fprintf(out, "%s: ", congo_progname);
        if (err->stage[0] != '\0')
                fprintf(out, "%s: ", err->stage);
        fputs(err->msg[0] ? err->msg : "failed", out);
        if (err->errnum != 0)
                fprintf(out, ": %s", strerror(err->errnum));
        fputc('\n', out);
        hook(-1, "%s%s%s%s%s", err->stage, err->stage[0] ? ": " : "", err->msg[0] ? err->msg : "failed",
             err->errnum ? ": " : "", err->errnum ? strerror(err->errnum) : "");
}

void congo_diag_report(struct congo_diag *d, const struct congo_pos *pos,
                       const char *fmt, ...)
{
        va_list ap;

        d->count++;
        if (d->out == NULL || d->count > CONGO_DIAG_MAX + 1)
                return;
        if (d->count == CONGO_DIAG_MAX + 1) {
                fprintf(d->out, "%s: more than %d problems; the rest are not shown\n",
                        congo_progname, CONGO_DIAG_MAX);
                return;
        }
        if (pos != NULL && pos->file != NULL && pos->line > 0)
                fprintf(d->out, "%s:%d:%d: ", pos->file, pos->line,
                        pos->col > 0 ? pos->col : 1);
        else if (pos != NULL && pos->file != NULL)
                fprintf(d->out, "%s: ", pos->file);
        else
                fprintf(d->out, "%s: ", congo_progname);
        va_start(ap, fmt);
        vfprintf(d->out, fmt, ap);
        va_end(ap);
        fputc('\n', d->out);
        if (congo_log_hook != NULL) {
                char msg[900];
                va_start(ap, fmt);
                vsnprintf(msg, sizeof msg, fmt, ap);
                va_end(ap);
                if (pos != NULL && pos->file != NULL)
                        hook(-1, "%s:%d:%d: %s", pos->file, pos->line, pos->col, msg);
                else
                        hook(-1, "%s", msg);
        }
}

void congo_log(int level, const char *fmt, ...)
{
        va_list ap;

        if (level > congo_verbosity)
                return;
        if (congo_log_hook != NULL) {
                char msg[1024];
                va_start(ap, fmt);
                vsnprintf(msg, sizeof msg, fmt, ap);
                va_end(ap);
                congo_log_hook(level, msg);
                /* The runtime's debug lines go to its log alone. */
                if (level > 0)
                        return;
        }
        fprintf(stderr, "%s: ", congo_progname);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}
