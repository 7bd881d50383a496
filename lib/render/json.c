/*
 * The one JSON writer: every --json output (inspect, deps, explain, the Python
 * shim) goes through it, so key order and escaping cannot drift apart.
 */
#include "util/strbuf.h"
#include "render/json.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

void
ep_json_init(ep_json *j, bool pretty)
{
    memset(j, 0, sizeof(*j));
    ep_strbuf_init(&j->out);
    j->fd = -1;
    j->pretty = pretty;
}

void
ep_json_init_fd(ep_json *j, bool pretty, int fd)
{
    ep_json_init(j, pretty);
    j->fd = fd;
    /* The one buffer of the stream, allocated once at its final size. */
    ep_strbuf_reserve(&j->out, EP_JSON_CHUNK);
}

/* The buffer is full. A streaming writer writes it out and starts again
 * at the front, so the buffer keeps its first size however long a record
 * is (one library's symbols are megabytes of JSON): growing it would touch
 * fresh pages all along, and a first touch costs more than the copy. A
 * string writer grows. */
static void
put_slow(ep_json *j, const char *s, size_t n)
{
    ep_strbuf *sb = &j->out;
    if (j->fd >= 0 && sb->len > 0) {
        if (!ep_json_flush(j, true)) {
            return; /* the stream is broken: nothing more to gather */
        }
        if (n < sb->cap) {
            memcpy(sb->data, s, n);
            sb->len = n;
            sb->data[n] = '\0';
            return;
        }
    }
    ep_strbuf_append(sb, s, n);
}

/* The writer's hot path: one byte or a short run straight into the buffer
 * when it has room, the strbuf's growth otherwise. */
static inline void
put(ep_json *j, const char *s, size_t n)
{
    ep_strbuf *sb = &j->out;
    if (sb->len + n < sb->cap) {
        char *d = sb->data + sb->len;
        /* Most runs are a few bytes (a key, an indentation, a short name):
         * two fixed-size copies that overlap, which the compiler inlines,
         * rather than a call to memcpy for each. */
        if (n >= 8 && n <= 16) {
            memcpy(d, s, 8);
            memcpy(d + n - 8, s + n - 8, 8);
        } else if (n >= 4 && n < 8) {
            memcpy(d, s, 4);
            memcpy(d + n - 4, s + n - 4, 4);
        } else {
            memcpy(d, s, n);
        }
        sb->len += n;
        sb->data[sb->len] = '\0';
    } else {
        put_slow(j, s, n);
    }
}

static inline void
put1(ep_json *j, char c)
{
    ep_strbuf *sb = &j->out;
    if (sb->len + 1 < sb->cap) {
        sb->data[sb->len++] = c;
        sb->data[sb->len] = '\0';
    } else {
        put_slow(j, &c, 1);
    }
}

bool
ep_json_flush(ep_json *j, bool force)
{
    ep_strbuf *sb = &j->out;
    if (j->fd < 0) {
        return !sb->failed;
    }
    if (sb->failed || j->write_errno != 0) {
        return false;
    }
    if (!force && sb->len < EP_JSON_CHUNK) {
        return true;
    }
    size_t done = 0;
    while (done < sb->len) {
        ssize_t w = write(j->fd, sb->data + done, sb->len - done);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            j->write_errno = w < 0 ? errno : EIO;
            return false;
        }
        done += (size_t)w;
    }
    sb->len = 0;
    if (sb->data != NULL) {
        sb->data[0] = '\0';
    }
    return true;
}

static void
newline(ep_json *j)
{
    if (j->pretty) {
        /* Indentation is two spaces a level; levels are bounded by
         * EP_JSON_MAX_DEPTH, so one constant run covers them all. */
        static const char spaces[2 * EP_JSON_MAX_DEPTH + 2] =
            "\n"
            "                                "
            "                                ";
        put(j, spaces, 1 + 2 * (size_t)j->depth);
    }
}

/* Separator and indentation before a value or a key. */
static void
before_value(ep_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (j->need_comma[j->depth]) {
            put1(j, ',');
        }
        newline(j);
        j->need_comma[j->depth] = true;
    }
}

static void
open_container(ep_json *j, char c)
{
    before_value(j);
    put1(j, c);
    if (j->depth + 1 < EP_JSON_MAX_DEPTH) {
        j->depth++;
        j->need_comma[j->depth] = false;
    } else {
        j->out.failed = true; /* deeper than any document we write */
    }
}

static void
close_container(ep_json *j, char c)
{
    bool had_members = j->need_comma[j->depth];
    if (j->depth > 0) {
        j->depth--;
    }
    if (had_members) {
        newline(j);
    }
    put1(j, c);
}

void
ep_json_begin_object(ep_json *j)
{
    open_container(j, '{');
}

void
ep_json_end_object(ep_json *j)
{
    close_container(j, '}');
}

void
ep_json_begin_array(ep_json *j)
{
    open_container(j, '[');
}

void
ep_json_end_array(ep_json *j)
{
    close_container(j, ']');
}

/* The length of the well-formed UTF-8 sequence at p (RFC 3629 section 4:
 * no overlong forms, no surrogates U+D800..DFFF, nothing above U+10FFFF),
 * or 0 when the bytes there are not one. */
static size_t
utf8_seq(const unsigned char *p)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* E0 80..9F would be overlong */
        hi = c == 0xed ? 0x9f : 0xbf; /* ED A0..BF would be a surrogate */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* F0 80..8F would be overlong */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* F4 90.. is above U+10FFFF */
    } else {
        return 0; /* 80..C1 (continuation, overlong lead), F5..FF */
    }
    if (p[1] < lo || p[1] > hi) {
        return 0; /* also a NUL: the sequence is truncated */
    }
    for (size_t k = 2; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* Bytes that go out as they are inside a JSON string: printable ASCII but
 * '"' and '\\'. Bytes >= 0x80 are decided by utf8_seq(). */
static const unsigned char plain_ascii[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0),
    R16(0),
    /* 0x20..0x2f, '"' is 0x22 */
    1,
    1,
    0,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    R16(1),
    R16(1),
    /* 0x50..0x5f, '\\' is 0x5c */
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    0,
    1,
    1,
    1,
    R16(1),
    /* 0x70..0x7f, DEL is escaped */
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    0,
#undef R16
};

/* Whether none of the 8 bytes of w needs a look: all printable ASCII but
 * '"', '\\' and DEL. (x - 0x01..) & ~x & 0x80.. is nonzero exactly when
 * a byte of x is zero; (w - n..) & ~w & 0x80.. when a byte is below n. */
static inline bool
plain8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
    uint64_t del = w ^ (ones * 0x7f);
    uint64_t bad = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
                   ((bslash - ones) & ~bslash) | ((del - ones) & ~del) | w;
    return (bad & high) == 0;
}

/* RFC 8259 escaping, with runs that need none appended in one piece. A
 * byte that does not start a well-formed UTF-8 sequence (a stray
 * continuation byte, an overlong form, a surrogate, a truncated sequence,
 * F5..FF) comes out as \u00XX of that byte, so any file name or symbol
 * still yields JSON every parser accepts (docs/json.md). Symbol names are
 * most of what inspect writes: they are checked 8 bytes at a time. s[len]
 * is the string's terminating NUL, which ends the scan. Returns whether
 * nothing needed escaping. */
static bool
put_escaped_n(ep_json *j, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p;
    const unsigned char *end = p + len;
    bool plain = true;
    put1(j, '"');
    for (;;) {
        if (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (plain8(w)) {
                p += 8;
                continue;
            }
        }
        unsigned char c = *p;
        if (plain_ascii[c]) {
            p++;
            continue;
        }
        if (c >= 0x80) {
            size_t seq = utf8_seq(p);
            if (seq != 0) {
                p += seq;
                continue;
            }
        }
        if (p > run) {
            put(j, (const char *)run, (size_t)(p - run));
        }
        if (p == end) {
            break;
        }
        plain = false;
        switch (c) {
        case '"':
            put(j, "\\\"", 2);
            break;
        case '\\':
            put(j, "\\\\", 2);
            break;
        case '\n':
            put(j, "\\n", 2);
            break;
        case '\t':
            put(j, "\\t", 2);
            break;
        case '\r':
            put(j, "\\r", 2);
            break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(j, esc, sizeof(esc));
        }
        }
        p++;
        run = p;
    }
    put1(j, '"');
    return plain;
}

static void
put_escaped(ep_json *j, const char *s)
{
    put_escaped_n(j, s, strlen(s));
}

void
ep_json_key(ep_json *j, const char *key)
{
    before_value(j);
    put_escaped(j, key);
    if (j->pretty) {
        put(j, ": ", 2);
    } else {
        put1(j, ':');
    }
    j->after_key = true;
}

void
ep_json_key_plain(ep_json *j, const char *key, size_t len)
{
    before_value(j);
    put1(j, '"');
    put(j, key, len);
    if (j->pretty) {
        put(j, "\": ", 3);
    } else {
        put(j, "\":", 2);
    }
    j->after_key = true;
}

void
ep_json_word(ep_json *j, const char *word)
{
    if (word == NULL) {
        ep_json_null(j);
        return;
    }
    ep_json_plain_n(j, word, strlen(word));
}

bool
ep_json_string_n(ep_json *j, const char *s, size_t len)
{
    before_value(j);
    return put_escaped_n(j, s, len);
}

void
ep_json_plain_n(ep_json *j, const char *s, size_t len)
{
    before_value(j);
    put1(j, '"');
    put(j, s, len);
    put1(j, '"');
}

void
ep_json_string(ep_json *j, const char *s)
{
    if (s == NULL) {
        ep_json_null(j);
        return;
    }
    before_value(j);
    put_escaped(j, s);
}

/* Decimal digits without printf: numbers are frequent (sizes, counts). */
static void
put_decimal(ep_json *j, bool negative, unsigned long long v)
{
    char buf[24];
    size_t i = sizeof(buf);
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (negative) {
        buf[--i] = '-';
    }
    put(j, buf + i, sizeof(buf) - i);
}

void
ep_json_int(ep_json *j, long long v)
{
    before_value(j);
    /* The magnitude in unsigned arithmetic, so LLONG_MIN is not overflow. */
    put_decimal(j, v < 0,
                v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
}

void
ep_json_uint(ep_json *j, unsigned long long v)
{
    before_value(j);
    put_decimal(j, false, v);
}

void
ep_json_bool(ep_json *j, bool v)
{
    before_value(j);
    if (v) {
        put(j, "true", 4);
    } else {
        put(j, "false", 5);
    }
}

void
ep_json_null(ep_json *j)
{
    before_value(j);
    put(j, "null", 4);
}

void
ep_json_strlist(ep_json *j, ep_strlist list)
{
    ep_json_begin_array(j);
    for (size_t i = 0; i < list.count; i++) {
        ep_json_string(j, list.items[i]);
    }
    ep_json_end_array(j);
}

void
ep_json_member_string(ep_json *j, const char *key, const char *s)
{
    ep_json_key(j, key);
    ep_json_string(j, s);
}

void
ep_json_member_int(ep_json *j, const char *key, long long v)
{
    ep_json_key(j, key);
    ep_json_int(j, v);
}

void
ep_json_member_uint(ep_json *j, const char *key, unsigned long long v)
{
    ep_json_key(j, key);
    ep_json_uint(j, v);
}

void
ep_json_member_bool(ep_json *j, const char *key, bool v)
{
    ep_json_key(j, key);
    ep_json_bool(j, v);
}

void
ep_json_member_strlist(ep_json *j, const char *key, ep_strlist list)
{
    ep_json_key(j, key);
    ep_json_strlist(j, list);
}

char *
ep_json_finish(ep_json *j)
{
    put1(j, '\n');
    return ep_strbuf_take(&j->out);
}

ep_status
ep_json_finish_fd(ep_json *j, ep_error *err)
{
    put1(j, '\n');
    bool nomem = j->out.failed;
    bool ok = ep_json_flush(j, true);
    int e = j->write_errno;
    ep_strbuf_release(&j->out);
    if (nomem) {
        return ep_fail_nomem(err);
    }
    if (!ok) {
        return ep_fail_errno(err, e, "cannot write the JSON document");
    }
    return EP_OK;
}
