/*
 * The one JSON writer: every --json output (inspect, deps, explain, the Python
 * shim) goes through it, so key order and escaping cannot drift apart.
 */
#include "util/strbuf.h"
#include "render/json.h"
#include "render/escape.h"

#include <string.h>

void
ep_json_init(ep_json *j, bool pretty)
{
    memset(j, 0, sizeof(*j));
    ep_strbuf_init(&j->out);
    j->pretty = pretty;
}

static void
newline(ep_json *j)
{
    if (j->pretty) {
        ep_strbuf_putc(&j->out, '\n');
        for (int i = 0; i < j->depth; i++) {
            ep_strbuf_puts(&j->out, "  ");
        }
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
            ep_strbuf_putc(&j->out, ',');
        }
        newline(j);
        j->need_comma[j->depth] = true;
    }
}

static void
open_container(ep_json *j, char c)
{
    before_value(j);
    ep_strbuf_putc(&j->out, c);
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
    ep_strbuf_putc(&j->out, c);
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

/* RFC 8259 escaping; bytes that are not valid UTF-8 come out as \u00XX of the
 * byte so that any file name or symbol still yields parseable JSON. */
static void
put_escaped(ep_strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    ep_strbuf_putc(sb, '"');
    while (*p) {
        unsigned char c = *p;
        if (c >= 0x80) {
            /* Well-formed only: an encoded surrogate or overlong form would
             * make the document invalid UTF-8 (render/escape.c). */
            size_t seq = ep_utf8_seq(p);
            if (seq) {
                ep_strbuf_append(sb, (const char *)p, seq);
                p += seq;
                continue;
            }
        }
        switch (c) {
        case '"':
            ep_strbuf_puts(sb, "\\\"");
            break;
        case '\\':
            ep_strbuf_puts(sb, "\\\\");
            break;
        case '\n':
            ep_strbuf_puts(sb, "\\n");
            break;
        case '\t':
            ep_strbuf_puts(sb, "\\t");
            break;
        case '\r':
            ep_strbuf_puts(sb, "\\r");
            break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                char esc[7] = {'\\',        'u',         '0', '0',
                               hex[c >> 4], hex[c & 15], 0};
                ep_strbuf_puts(sb, esc);
            } else {
                ep_strbuf_putc(sb, (char)c);
            }
        }
        p++;
    }
    ep_strbuf_putc(sb, '"');
}

void
ep_json_key(ep_json *j, const char *key)
{
    before_value(j);
    put_escaped(&j->out, key);
    ep_strbuf_puts(&j->out, j->pretty ? ": " : ":");
    j->after_key = true;
}

void
ep_json_string(ep_json *j, const char *s)
{
    if (s == NULL) {
        ep_json_null(j);
        return;
    }
    before_value(j);
    put_escaped(&j->out, s);
}

void
ep_json_int(ep_json *j, long long v)
{
    before_value(j);
    ep_strbuf_printf(&j->out, "%lld", v);
}

void
ep_json_uint(ep_json *j, unsigned long long v)
{
    before_value(j);
    ep_strbuf_printf(&j->out, "%llu", v);
}

void
ep_json_bool(ep_json *j, bool v)
{
    before_value(j);
    ep_strbuf_puts(&j->out, v ? "true" : "false");
}

void
ep_json_null(ep_json *j)
{
    before_value(j);
    ep_strbuf_puts(&j->out, "null");
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
    ep_strbuf_putc(&j->out, '\n');
    return ep_strbuf_take(&j->out);
}
