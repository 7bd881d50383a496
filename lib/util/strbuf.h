/*
 * A growable NUL-terminated string. An allocation failure is sticky: later
 * appends do nothing and ep_strbuf_take() returns NULL, so callers check once.
 */
#ifndef EXTPROBE_UTIL_STRBUF_H
#define EXTPROBE_UTIL_STRBUF_H

#include "util/error.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct ep_strbuf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; further appends are no-ops */
} ep_strbuf;

void ep_strbuf_init(ep_strbuf *sb);
void ep_strbuf_release(ep_strbuf *sb);
/* Room for extra more bytes without a further allocation. */
void ep_strbuf_reserve(ep_strbuf *sb, size_t extra);
void ep_strbuf_append(ep_strbuf *sb, const char *s, size_t n);
void ep_strbuf_puts(ep_strbuf *sb, const char *s);
void ep_strbuf_putc(ep_strbuf *sb, char c);
void ep_strbuf_printf(ep_strbuf *sb, const char *fmt, ...) EP_PRINTF(2, 3);
/* Hand the buffer over (NULL if an allocation failed); sb is left empty. */
char *ep_strbuf_take(ep_strbuf *sb);

#endif
