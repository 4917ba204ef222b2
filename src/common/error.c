/* error.c - filling and printing congo_error, diagnostics, log lines. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "congo/error.h"

int congo_verbosity;

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
        fputs("congo-launch: ", out);
        if (err->stage[0] != '\0')
                fprintf(out, "%s: ", err->stage);
        fputs(err->msg[0] ? err->msg : "failed", out);
        if (err->errnum != 0)
                fprintf(out, ": %s", strerror(err->errnum));
        fputc('\n', out);
}

void congo_diag_report(struct congo_diag *d, const struct congo_pos *pos,
                       const char *fmt, ...)
{
        va_list ap;

        d->count++;
        if (d->out == NULL || d->count > CONGO_DIAG_MAX + 1)
                return;
        if (d->count == CONGO_DIAG_MAX + 1) {
                fprintf(d->out, "congo-launch: more than %d problems; the rest are not shown\n",
                        CONGO_DIAG_MAX);
                return;
        }
        if (pos != NULL && pos->file != NULL && pos->line > 0)
                fprintf(d->out, "%s:%d:%d: ", pos->file, pos->line,
                        pos->col > 0 ? pos->col : 1);
        else if (pos != NULL && pos->file != NULL)
                fprintf(d->out, "%s: ", pos->file);
        else
                fputs("congo-launch: ", d->out);
        va_start(ap, fmt);
        vfprintf(d->out, fmt, ap);
        va_end(ap);
        fputc('\n', d->out);
}

void congo_log(int level, const char *fmt, ...)
{
        va_list ap;

        if (level > congo_verbosity)
                return;
        fputs("congo-launch: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}
