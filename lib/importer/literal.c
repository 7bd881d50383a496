/*
 * Two small literal readers into one value tree: JSON (direct_url.json,
 * PEP 610; meson's intro-install_plan.json) and the Python literals that
 * editable finders carry as repr() text (setuptools' MAPPING dict,
 * meson-python's and scikit-build-core's install(...) arguments).
 * Nothing is evaluated; depth and size are bounded.
 */
#include "importer/importer.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

#define LIT_MAX_DEPTH 64

typedef struct lit_parser {
    ep_arena *a;
    const char *s;
    size_t len;
    size_t pos;
    bool python;
    ep_error *err;
    ep_status st;
} lit_parser;

static ep_lit *parse_value(lit_parser *p, int depth);

static void
fail(lit_parser *p, const char *what)
{
    if (p->st == EP_OK) {
        p->st =
            ep_fail(p->err, EP_ERR_MALFORMED, "%s at offset %zu", what, p->pos);
    }
}

static void
skip_space(lit_parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            p->pos++;
        } else if (p->python && c == '\\' && p->pos + 1 < p->len &&
                   p->s[p->pos + 1] == '\n') {
            p->pos += 2;
        } else if (p->python && c == '#') {
            while (p->pos < p->len && p->s[p->pos] != '\n') {
                p->pos++;
            }
        } else {
            break;
        }
    }
}

/* Memory ran out: the parse stops with EP_ERR_NOMEM (not malformed). */
static void
fail_nomem(lit_parser *p)
{
    if (p->st == EP_OK) {
        p->st = ep_fail_nomem(p->err);
    }
}

static ep_lit *
new_lit(lit_parser *p, ep_lit_type type)
{
    ep_lit *v = ep_arena_alloc(p->a, sizeof(*v));
    if (v == NULL) {
        fail_nomem(p);
        return NULL;
    }
    v->type = type;
    return v;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Append code point cp as UTF-8. */
static void
put_utf8(ep_strbuf *sb, unsigned long cp)
{
    char b[4];
    if (cp < 0x80) {
        ep_strbuf_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        ep_strbuf_append(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        ep_strbuf_append(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        ep_strbuf_append(sb, b, 4);
    }
}

/* n hex digits at the position, or -1. */
static long
read_hex(lit_parser *p, int n)
{
    long v = 0;
    if (p->pos + (size_t)n > p->len) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int h = hexval(p->s[p->pos + (size_t)i]);
        if (h < 0) {
            return -1;
        }
        v = v * 16 + h;
    }
    p->pos += (size_t)n;
    return v;
}

/* One escape after the backslash, JSON or Python rules. */
static bool
parse_escape(lit_parser *p, ep_strbuf *sb, bool raw)
{
    char c = p->s[p->pos++];
    if (raw) {
        ep_strbuf_putc(sb, '\\');
        ep_strbuf_putc(sb, c);
        return true;
    }
    long v;
    switch (c) {
    case 'n':
        ep_strbuf_putc(sb, '\n');
        return true;
    case 't':
        ep_strbuf_putc(sb, '\t');
        return true;
    case 'r':
        ep_strbuf_putc(sb, '\r');
        return true;
    case 'b':
        ep_strbuf_putc(sb, '\b');
        return true;
    case 'f':
        ep_strbuf_putc(sb, '\f');
        return true;
    case '\\':
    case '\'':
    case '"':
    case '/':
        ep_strbuf_putc(sb, c);
        return true;
    case 'x':
        v = read_hex(p, 2);
        break;
    case 'u':
        v = read_hex(p, 4);
        /* A JSON surrogate pair is two \u escapes. */
        if (v >= 0xD800 && v < 0xDC00 && p->pos + 6 <= p->len &&
            p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
            p->pos += 2;
            long lo = read_hex(p, 4);
            if (lo >= 0xDC00 && lo < 0xE000) {
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            }
        }
        break;
    case 'U':
        v = read_hex(p, 8);
        break;
    case '\n':
        return true; /* Python line continuation inside a string */
    default:
        if (!p->python) {
            return false;
        }
        ep_strbuf_putc(sb, '\\');
        ep_strbuf_putc(sb, c);
        return true;
    }
    if (v < 0 || v > 0x10FFFF) {
        return false;
    }
    put_utf8(sb, (unsigned long)v);
    return true;
}

static ep_lit *
parse_string(lit_parser *p)
{
    bool raw = false;
    if (p->python && (p->s[p->pos] == 'r' || p->s[p->pos] == 'R')) {
        raw = true;
        p->pos++;
    }
    char q = p->s[p->pos++];
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    ep_strbuf_append(&sb, "", 0);
    while (p->pos < p->len && p->s[p->pos] != q) {
        char c = p->s[p->pos++];
        if (c == '\\' && p->pos < p->len) {
            if (!parse_escape(p, &sb, raw)) {
                ep_strbuf_release(&sb);
                fail(p, "bad escape in string");
                return NULL;
            }
        } else if (c == '\n') {
            break;
        } else {
            ep_strbuf_putc(&sb, c);
        }
    }
    if (p->pos >= p->len || p->s[p->pos] != q) {
        ep_strbuf_release(&sb);
        fail(p, "unterminated string");
        return NULL;
    }
    p->pos++;
    char *text = ep_strbuf_take(&sb);
    ep_lit *v = new_lit(p, EP_LIT_STRING);
    if (text == NULL || v == NULL) {
        free(text);
        fail_nomem(p);
        return NULL;
    }
    v->str = ep_arena_strdup(p->a, text);
    free(text);
    if (v->str == NULL) {
        fail_nomem(p);
        return NULL;
    }
    /* Python joins adjacent literals: 'a' 'b' is 'ab'. */
    if (p->python) {
        skip_space(p);
        if (p->pos < p->len && (p->s[p->pos] == '\'' || p->s[p->pos] == '"')) {
            ep_lit *next = parse_string(p);
            if (next == NULL) {
                return NULL;
            }
            v->str = ep_arena_printf(p->a, "%s%s", v->str, next->str);
        }
    }
    return v;
}

static bool
word_at(const lit_parser *p, const char *w)
{
    size_t n = strlen(w);
    if (p->pos + n > p->len || memcmp(p->s + p->pos, w, n) != 0) {
        return false;
    }
    char after = p->pos + n < p->len ? p->s[p->pos + n] : '\0';
    return !(after == '_' || (after >= 'a' && after <= 'z') ||
             (after >= 'A' && after <= 'Z') || (after >= '0' && after <= '9'));
}

/* A growable list of values while a container is parsed. */
typedef struct lit_list {
    ep_lit **items;
    const char **keys;
    size_t count, cap;
} lit_list;

static bool
list_push(lit_parser *p, lit_list *l, const char *key, ep_lit *v)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        ep_lit **items = ep_arena_alloc(p->a, cap * sizeof(*items));
        const char **keys = ep_arena_alloc(p->a, cap * sizeof(*keys));
        if (items == NULL || keys == NULL) {
            fail_nomem(p);
            return false;
        }
        if (l->count > 0) {
            memcpy(items, l->items, l->count * sizeof(*items));
            memcpy(keys, l->keys, l->count * sizeof(*keys));
        }
        l->items = items;
        l->keys = keys;
        l->cap = cap;
    }
    l->items[l->count] = v;
    l->keys[l->count] = key;
    l->count++;
    return true;
}

/* [..], (..), {..}: a dict when the first item is followed by ':'. */
static ep_lit *
parse_container(lit_parser *p, int depth)
{
    char open = p->s[p->pos++];
    char close = open == '[' ? ']' : open == '(' ? ')' : '}';
    lit_list l = {0};
    int is_dict = -1; /* unknown until the first item */
    if (open == '{' && !p->python) {
        is_dict = 1;
    }
    for (;;) {
        skip_space(p);
        if (p->pos >= p->len) {
            fail(p, "unterminated container");
            return NULL;
        }
        if (p->s[p->pos] == close) {
            p->pos++;
            break;
        }
        ep_lit *k = parse_value(p, depth + 1);
        if (k == NULL) {
            return NULL;
        }
        skip_space(p);
        if (open == '{' && is_dict != 0 && p->pos < p->len &&
            p->s[p->pos] == ':') {
            is_dict = 1;
            p->pos++;
            skip_space(p);
            ep_lit *v = parse_value(p, depth + 1);
            if (v == NULL) {
                return NULL;
            }
            /* Non-string keys cannot be looked up by name: keep the value
             * with a NULL key. */
            if (!list_push(p, &l, k->type == EP_LIT_STRING ? k->str : NULL,
                           v)) {
                return NULL;
            }
        } else {
            if (is_dict == 1) {
                fail(p, "expected ':' in object");
                return NULL;
            }
            is_dict = 0;
            if (!list_push(p, &l, NULL, k)) {
                return NULL;
            }
        }
        skip_space(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
        } else if (p->pos < p->len && p->s[p->pos] != close) {
            fail(p, "expected ',' in container");
            return NULL;
        }
    }
    ep_lit *v = new_lit(p, is_dict == 1 ? EP_LIT_OBJECT : EP_LIT_ARRAY);
    if (v != NULL) {
        v->items = l.items;
        v->keys = is_dict == 1 ? l.keys : NULL;
        v->count = l.count;
    }
    return v;
}

static ep_lit *
parse_number(lit_parser *p)
{
    size_t start = p->pos;
    while (p->pos < p->len &&
           strchr("+-0123456789.eExXabcdefABCDEF_jJ", p->s[p->pos]) != NULL &&
           p->s[p->pos] != '\0') {
        p->pos++;
    }
    if (p->pos == start) {
        fail(p, "unexpected character");
        return NULL;
    }
    ep_lit *v = new_lit(p, EP_LIT_NUMBER);
    if (v != NULL) {
        v->str = ep_arena_strndup(p->a, p->s + start, p->pos - start);
    }
    return v;
}

static ep_lit *
parse_value(lit_parser *p, int depth)
{
    if (depth > LIT_MAX_DEPTH) {
        fail(p, "nested too deeply");
        return NULL;
    }
    skip_space(p);
    if (p->pos >= p->len) {
        fail(p, "unexpected end");
        return NULL;
    }
    char c = p->s[p->pos];
    if (c == '"' || (p->python && c == '\'')) {
        return parse_string(p);
    }
    if (p->python && (c == 'r' || c == 'R') && p->pos + 1 < p->len &&
        (p->s[p->pos + 1] == '\'' || p->s[p->pos + 1] == '"')) {
        return parse_string(p);
    }
    if (c == '[' || c == '{' || (p->python && c == '(')) {
        return parse_container(p, depth);
    }
    const char *t = p->python ? "True" : "true";
    const char *f = p->python ? "False" : "false";
    const char *n = p->python ? "None" : "null";
    if (word_at(p, t) || word_at(p, f)) {
        ep_lit *v = new_lit(p, EP_LIT_BOOL);
        if (v != NULL) {
            v->boolean = word_at(p, t);
            p->pos += strlen(v->boolean ? t : f);
        }
        return v;
    }
    if (word_at(p, n)) {
        p->pos += strlen(n);
        return new_lit(p, EP_LIT_NULL);
    }
    return parse_number(p);
}

ep_status
ep_lit_json(ep_arena *a, const char *text, size_t len, ep_lit **out,
            ep_error *err)
{
    lit_parser p = {a, text, len, 0, false, err, EP_OK};
    *out = parse_value(&p, 0);
    if (*out == NULL && p.st == EP_OK) {
        p.st = ep_fail(err, EP_ERR_MALFORMED, "no JSON value");
    }
    return p.st;
}

ep_status
ep_lit_python(ep_arena *a, const char *text, size_t len, size_t *pos,
              ep_lit **out, ep_error *err)
{
    lit_parser p = {a, text, len, *pos, true, err, EP_OK};
    *out = parse_value(&p, 0);
    if (*out == NULL && p.st == EP_OK) {
        p.st = ep_fail(err, EP_ERR_MALFORMED, "no Python literal");
    }
    *pos = p.pos;
    return p.st;
}

const ep_lit *
ep_lit_get(const ep_lit *obj, const char *key)
{
    if (obj == NULL || obj->type != EP_LIT_OBJECT) {
        return NULL;
    }
    for (size_t i = 0; i < obj->count; i++) {
        if (obj->keys[i] != NULL && strcmp(obj->keys[i], key) == 0) {
            return obj->items[i];
        }
    }
    return NULL;
}

const char *
ep_lit_get_str(const ep_lit *obj, const char *key)
{
    const ep_lit *v = ep_lit_get(obj, key);
    return v != NULL && v->type == EP_LIT_STRING ? v->str : NULL;
}
