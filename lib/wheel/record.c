/*
 * RECORD (PEP 376, PEP 427): its CSV rows, and the digests its hashes are
 * checked with. The digests are nettle's (Debian's libnettle, already a
 * dependency of libzip); this file only encodes them as PEP 427 asks:
 * urlsafe base64 with the '=' padding removed.
 */
#include "wheel/wheel.h"

#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

enum { HASH_SHA256, HASH_SHA384, HASH_SHA512 };

struct ep_hash {
    int algo;
    union {
        struct sha256_ctx s256;
        struct sha512_ctx s512; /* sha384 shares the sha512 state */
    } u;
};

ep_hash *
ep_hash_new(const char *algorithm)
{
    int algo;
    if (algorithm == NULL) {
        return NULL;
    }
    if (strcmp(algorithm, "sha256") == 0) {
        algo = HASH_SHA256;
    } else if (strcmp(algorithm, "sha384") == 0) {
        algo = HASH_SHA384;
    } else if (strcmp(algorithm, "sha512") == 0) {
        algo = HASH_SHA512;
    } else {
        return NULL;
    }
    ep_hash *h = calloc(1, sizeof(*h));
    if (h == NULL) {
        return NULL;
    }
    h->algo = algo;
    if (algo == HASH_SHA256) {
        sha256_init(&h->u.s256);
    } else if (algo == HASH_SHA384) {
        sha384_init(&h->u.s512);
    } else {
        sha512_init(&h->u.s512);
    }
    return h;
}

void
ep_hash_update(ep_hash *h, const void *buf, size_t n)
{
    if (h->algo == HASH_SHA256) {
        sha256_update(&h->u.s256, n, buf);
    } else if (h->algo == HASH_SHA384) {
        sha384_update(&h->u.s512, n, buf);
    } else {
        sha512_update(&h->u.s512, n, buf);
    }
}

/* The raw digest into out (at least SHA512_DIGEST_SIZE); its length. */
static size_t
digest(ep_hash *h, uint8_t *out)
{
    if (h->algo == HASH_SHA256) {
        sha256_digest(&h->u.s256, SHA256_DIGEST_SIZE, out);
        return SHA256_DIGEST_SIZE;
    }
    if (h->algo == HASH_SHA384) {
        sha384_digest(&h->u.s512, SHA384_DIGEST_SIZE, out);
        return SHA384_DIGEST_SIZE;
    }
    sha512_digest(&h->u.s512, SHA512_DIGEST_SIZE, out);
    return SHA512_DIGEST_SIZE;
}

/* RFC 4648 section 5 (base64url), no padding: what PEP 427 writes. */
static const char *
base64url(const uint8_t *d, size_t n, ep_arena *a)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *out = ep_arena_alloc(a, (n + 2) / 3 * 4 + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16;
        size_t left = n - i;
        if (left > 1) {
            v |= (uint32_t)d[i + 1] << 8;
        }
        if (left > 2) {
            v |= d[i + 2];
        }
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        if (left > 1) {
            out[o++] = alphabet[(v >> 6) & 63];
        }
        if (left > 2) {
            out[o++] = alphabet[v & 63];
        }
    }
    out[o] = '\0';
    return out;
}

const char *
ep_hash_finish(ep_hash *h, ep_arena *a)
{
    uint8_t d[SHA512_DIGEST_SIZE];
    size_t n = digest(h, d);
    return base64url(d, n, a);
}

void
ep_hash_free(ep_hash *h)
{
    free(h);
}

const char *
ep_hash_hex(const char *algorithm, const void *buf, size_t n, ep_arena *a)
{
    ep_hash *h = ep_hash_new(algorithm);
    if (h == NULL) {
        return NULL;
    }
    ep_hash_update(h, buf, n);
    uint8_t d[SHA512_DIGEST_SIZE];
    size_t len = digest(h, d);
    ep_hash_free(h);
    char *out = ep_arena_alloc(a, len * 2 + 1);
    for (size_t i = 0; out != NULL && i < len; i++) {
        static const char hex[] = "0123456789abcdef";
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    return out;
}

/* One CSV field starting at *p (Python's csv dialect "excel": a quoted
 * field doubles its quotes). Leaves *p after the separator. */
static const char *
csv_field(ep_arena *a, const char **p, bool *end_of_row)
{
    const char *s = *p;
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    if (*s == '"') {
        s++;
        while (*s) {
            if (*s == '"' && s[1] == '"') {
                ep_strbuf_putc(&sb, '"');
                s += 2;
            } else if (*s == '"') {
                s++;
                break;
            } else {
                ep_strbuf_putc(&sb, *s++);
            }
        }
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r') {
        ep_strbuf_putc(&sb, *s++);
    }
    *end_of_row = *s != ',';
    if (*s == ',') {
        s++;
    }
    *p = s;
    const char *field = ep_arena_strndup(a, sb.data ? sb.data : "", sb.len);
    ep_strbuf_release(&sb);
    return field;
}

ep_status
ep_record_parse(ep_arena *a, const char *text, ep_record_row **rows,
                size_t *count, ep_error *err)
{
    size_t cap = 16, n = 0, line = 0;
    ep_record_row *out = malloc(cap * sizeof(*out));
    const char *p = text;

    *rows = NULL;
    *count = 0;
    if (out == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    while (*p) {
        line++;
        if (*p == '\n' || *p == '\r') {
            p++;
            continue;
        }
        const char *field[3] = {NULL, NULL, NULL};
        size_t nf = 0;
        bool eor = false;
        while (!eor) {
            const char *f = csv_field(a, &p, &eor);
            if (f == NULL) {
                free(out);
                return ep_fail(err, EP_ERR_NOMEM, "out of memory");
            }
            if (nf < 3) {
                field[nf] = f;
            }
            nf++;
        }
        while (*p == '\r' || *p == '\n') {
            if (*p++ == '\n') {
                break;
            }
        }
        if (n == cap) {
            ep_record_row *q = realloc(out, (cap *= 2) * sizeof(*out));
            if (q == NULL) {
                free(out);
                return ep_fail(err, EP_ERR_NOMEM, "out of memory");
            }
            out = q;
        }
        ep_record_row *r = &out[n++];
        memset(r, 0, sizeof(*r));
        r->path = field[0];
        r->line = line;
        r->size = -1;
        const char *h = field[1];
        const char *eq = h ? strchr(h, '=') : NULL;
        if (eq != NULL) {
            r->algorithm = ep_arena_strndup(a, h, (size_t)(eq - h));
            r->digest = eq + 1;
        }
        if (field[2] != NULL && field[2][0] != '\0') {
            char *end;
            long long v = strtoll(field[2], &end, 10);
            r->size = (*end == '\0' && v >= 0) ? v : -2; /* -2: not a number */
        }
    }
    /* the rows live in the arena with their strings */
    *rows = ep_arena_alloc(a, (n ? n : 1) * sizeof(*out));
    if (*rows == NULL) {
        free(out);
        return ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    memcpy(*rows, out, n * sizeof(*out));
    free(out);
    *count = n;
    return EP_OK;
}
