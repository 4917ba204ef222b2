/* log.c - the runtime's --log and --log-format.
 *
 * containerd's shim and conmon point --log at a file and read it when a
 * command fails: with --log-format json one object a line, with "level",
 * "msg" and "time" (RFC 3339), as runc writes them (logrus).  Errors go to
 * stderr as well; --debug lines go to the log only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

static FILE *log_file;
static bool log_json;

void congo_rt_now_rfc3339(char *buf, size_t len)
{
        struct timespec ts;
        struct tm tm;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(FILE *f, const char *s)
{
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                else if (*p < 0x20)
                        fprintf(f, "\\u%04x", *p);
                else
                        fputc(*p, f);
        }
        fputc('"', f);
}

static const char *level_name(int level)
{
        return level < 0 ? "error" : level == 0 ? "warning" : level == 1 ? "info" : "debug";
}

static void to_log(int level, const char *msg)
{
        char when[64];

        if (log_file == NULL)
                return;
        congo_rt_now_rfc3339(when, sizeof when);
        if (log_json) {
                fputs("{\"level\":", log_file);
                json_string(log_file, level_name(level));
                fputs(",\"msg\":", log_file);
                json_string(log_file, msg);
                fputs(",\"time\":", log_file);
                json_string(log_file, when);
                fputs("}\n", log_file);
        } else {
                fprintf(log_file, "time=\"%s\" level=%s msg=", when, level_name(level));
                json_string(log_file, msg);
                fputc('\n', log_file);
        }
        fflush(log_file);
}

int congo_rt_log_open(const char *path, const char *format)
{
        if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
                fprintf(stderr, "congo: --log-format: \"%s\" is neither text nor json\n", format);
                return -1;
        }
        log_json = format != NULL && strcmp(format, "json") == 0;
        if (path == NULL || path[0] == '\0')
                return 0;
        /* Appended to: the shim keeps one file across commands. */
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
        log_file = fd < 0 ? NULL : fdopen(fd, "a");
        if (log_file == NULL) {
                fprintf(stderr, "congo: --log %s: %s\n", path, strerror(errno));
                if (fd >= 0)
                        close(fd);
                return -1;
        }
        congo_log_hook = to_log;
        return 0;
}

void congo_rt_error(const char *fmt, ...)
{
        char msg[1024];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        fprintf(stderr, "congo: %s\n", msg);
        to_log(-1, msg);
}
