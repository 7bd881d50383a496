/*
 * Escaping for the text writer (render/text.c) and the UTF-8 check the JSON
 * writer uses: a report prints strings that the inspected project chose.
 */
#include "render/escape.h"

#include <extprobe/extprobe.h>

#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
ep_utf8_seq(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80) {
        return 1;
    }
    /* The allowed range of the second byte depends on the first (Unicode
     * table 3-7); later bytes are plain continuation bytes. */
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80;
        hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi) {
        return 0;
    }
    for (size_t k = 2; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* Whether the character at p (of length n) must be written out. */
static bool
needs_escape(const unsigned char *p, size_t n, bool keep_newlines)
{
    if (n == 0) {
        return true;
    }
    if (n == 1) {
        return (p[0] < 0x20 && !(keep_newlines && p[0] == '\n')) ||
               p[0] == 0x7f;
    }
    return n == 2 && p[0] == 0xc2 && p[1] <= 0x9f; /* C1: U+0080-U+009F */
}

const char *
ep_text_clean(ep_arena *a, const char *s, bool keep_newlines)
{
    if (s == NULL) {
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s;
    bool clean = true;
    for (size_t n; *p && clean; p += n ? n : 1) {
        n = ep_utf8_seq(p);
        clean = !needs_escape(p, n, keep_newlines);
    }
    if (clean) {
        return s;
    }
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    for (p = (const unsigned char *)s; *p;) {
        size_t n = ep_utf8_seq(p);
        char esc[8];
        if (!needs_escape(p, n, keep_newlines)) {
            ep_strbuf_append(&sb, (const char *)p, n);
            p += n;
            continue;
        }
        if (n == 2) {
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)p[1]);
        } else if (*p == '\n' || *p == '\r' || *p == '\t') {
            snprintf(esc, sizeof(esc), "\\%c",
                     *p == '\n'   ? 'n'
                     : *p == '\r' ? 'r'
                                  : 't');
        } else {
            snprintf(esc, sizeof(esc), "\\x%02x", (unsigned)*p);
        }
        ep_strbuf_puts(&sb, esc);
        p += n ? n : 1;
    }
    char *text = ep_strbuf_take(&sb);
    const char *copy = text ? ep_arena_strdup(a, text) : NULL;
    free(text);
    return copy;
}

char *
ep_text_escape(const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    ep_arena a;
    ep_arena_init(&a);
    const char *clean = ep_text_clean(&a, s, false);
    char *out = clean ? strdup(clean) : NULL;
    ep_arena_release(&a);
    return out;
}
