/* util.h - util.c (and fdpass.c): small value parsers shared by every front end (sizes,
 * durations, booleans, shell-like word splitting), string vectors, and
 * shell quoting for what the launcher prints. */
#ifndef CONGO_UTIL_H
#define CONGO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Bytes, or a number with one K, M, G or T (powers of 1024, either case). */
int congo_parse_size(const char *text, uint64_t *bytes);
int congo_parse_duration_ms(const char *text, uint64_t *ms);
int congo_parse_bool(const char *text, bool *value);
/* The kernel's name of a huge page size, as in hugetlb.2MB.max: "2MB",
 * "1GB", "64KB". */
void congo_hugepage_name(uint64_t page_size, char buf[static 24]);
/* Shell-like split: double quotes, single quotes, backslash escapes.
 * Returns a NULL-terminated array (free with congo_strv_free), or NULL with
 * *why set on a syntax error. */
char **congo_split_words(const char *text, const char **why);
void congo_strv_free(char **v);
size_t congo_strv_len(char *const *v);
bool congo_utf8_valid(const char *text);
/* word as a POSIX shell would need it to read it back as one word: bare
 * when it is only safe characters, else in single quotes ('\'' for '). */
void congo_shell_quote(FILE *out, const char *word);

/* fdpass.c: fd over a Unix socket with SCM_RIGHTS and len bytes of data
 * (0, or -1 with errno); and the fd of one message already queued, with
 * a one-byte payload, close-on-exec (never waits: -1 when none is there,
 * EPROTO when a message came without an fd). */
int congo_fd_send(int sock, int fd, const void *data, size_t len);
int congo_fd_receive_now(int sock);

#endif
