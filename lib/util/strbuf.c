/*
 * A growable NUL-terminated string. An allocation failure is sticky: later
 * appends do nothing and ep_strbuf_take() returns NULL, so callers check once.
 */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ep_strbuf_init(ep_strbuf *sb)
{
    memset(sb, 0, sizeof(*sb));
}

void
ep_strbuf_release(ep_strbuf *sb)
{
    free(sb->data);
    ep_strbuf_init(sb);
}

static bool
reserve(ep_strbuf *sb, size_t extra)
{
    if (sb->failed) {
        return false;
    }
    if (extra >= SIZE_MAX / 2 - sb->len) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) {
        return true;
    }
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    char *p = realloc(sb->data, cap);
    if (p == NULL) {
        sb->failed = true;
        return false;
    }
    sb->data = p;
    sb->cap = cap;
    return true;
}

void
ep_strbuf_reserve(ep_strbuf *sb, size_t extra)
{
    reserve(sb, extra);
}

void
ep_strbuf_append(ep_strbuf *sb, const char *s, size_t n)
{
    if (!reserve(sb, n)) {
        return;
    }
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void
ep_strbuf_puts(ep_strbuf *sb, const char *s)
{
    ep_strbuf_append(sb, s, strlen(s));
}

void
ep_strbuf_putc(ep_strbuf *sb, char c)
{
    ep_strbuf_append(sb, &c, 1);
}

void
ep_strbuf_printf(ep_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n)) {
        sb->failed = sb->failed || n < 0;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

char *
ep_strbuf_take(ep_strbuf *sb)
{
    char *p = NULL;
    if (!sb->failed) {
        p = sb->data ? sb->data : strdup("");
        sb->data = NULL;
    }
    ep_strbuf_release(sb);
    return p;
}
