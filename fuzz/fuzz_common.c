/*
 * See fuzz_common.h. Aborting is how a fuzz target reports a broken
 * property; this file is test code, not part of the library.
 */
#include "fuzz_common.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int
ep_fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("extprobe-fuzz", MFD_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

size_t
ep_fuzz_split(const uint8_t *data, size_t size, const uint8_t **part,
              size_t *len, size_t max)
{
    const size_t seplen = sizeof(EP_FUZZ_SEP) - 1;
    size_t n = 0, start = 0;
    if (max == 0) {
        return 0;
    }
    for (size_t i = 0; i + seplen <= size && n + 1 < max;) {
        if (memcmp(data + i, EP_FUZZ_SEP, seplen) == 0) {
            part[n] = data + start;
            len[n++] = i - start;
            i += seplen;
            start = i;
        } else {
            i++;
        }
    }
    part[n] = data + start;
    len[n++] = size - start;
    return n;
}

static char scratch[256];

static void
remove_tree(const char *dir, bool self)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            char p[4096];
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            struct stat sb;
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
                remove_tree(p, true);
            } else {
                unlink(p);
            }
        }
        closedir(d);
    }
    if (self) {
        rmdir(dir);
    }
}

static void
remove_scratch(void)
{
    if (scratch[0] != '\0') {
        remove_tree(scratch, true);
    }
}

const char *
ep_fuzz_scratch(void)
{
    if (scratch[0] == '\0') {
        /* /dev/shm keeps the files of every execution in memory. */
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(scratch, sizeof(scratch), "%s/extprobe-fuzz-XXXXXX", base);
        if (mkdtemp(scratch) == NULL) {
            perror("mkdtemp");
            abort();
        }
        atexit(remove_scratch);
    }
    return scratch;
}

void
ep_fuzz_clear(const char *dir)
{
    remove_tree(dir, false);
}

bool
ep_fuzz_write(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return false;
    }
    bool ok = len == 0 || write(fd, data, len) == (ssize_t)len;
    close(fd);
    return ok;
}

/* ---- a strict JSON checker --------------------------------------------- */

typedef struct jp {
    const unsigned char *p, *end;
    const char *why;
} jp;

static void
ws(jp *j)
{
    while (j->p < j->end &&
           (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) {
        j->p++;
    }
}

static bool
bad(jp *j, const char *why)
{
    if (j->why == NULL) {
        j->why = why;
    }
    return false;
}

/* One UTF-8 sequence (RFC 3629 table, section 4). */
static bool
utf8(jp *j)
{
    const unsigned char *s = j->p;
    size_t left = (size_t)(j->end - s);
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0x80) {
        n = 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* overlong */
        hi = c == 0xed ? 0x9f : 0xbf; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* overlong */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* past U+10FFFF */
    } else {
        return bad(j, "a byte that starts no UTF-8 sequence in a string");
    }
    if (n > left) {
        return bad(j, "a UTF-8 sequence cut by the end of the document");
    }
    for (size_t k = 1; k < n; k++) {
        unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xbf;
        if (s[k] < min || s[k] > max) {
            return bad(j, "an overlong, surrogate or broken UTF-8 sequence "
                          "in a string");
        }
    }
    j->p += n;
    return true;
}

static bool
hex4(jp *j, unsigned *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        if (j->p >= j->end) {
            return bad(j, "\\u escape cut short");
        }
        unsigned char c = *j->p++;
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d == 16) {
            return bad(j, "\\u escape with a non-hex digit");
        }
        *v = *v << 4 | d;
    }
    return true;
}

static bool
string(jp *j)
{
    j->p++; /* the opening quote */
    while (j->p < j->end) {
        unsigned char c = *j->p;
        if (c == '"') {
            j->p++;
            return true;
        }
        if (c < 0x20) {
            return bad(j, "a raw control character in a string");
        }
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end) {
                break;
            }
            c = *j->p++;
            if (c == 'u') {
                unsigned v, w;
                if (!hex4(j, &v)) {
                    return false;
                }
                if (v >= 0xdc00 && v <= 0xdfff) {
                    return bad(j, "a lone low surrogate escape");
                }
                if (v >= 0xd800 && v <= 0xdbff) {
                    if (j->end - j->p < 6 || j->p[0] != '\\' ||
                        j->p[1] != 'u') {
                        return bad(j, "a lone high surrogate escape");
                    }
                    j->p += 2;
                    if (!hex4(j, &w) || w < 0xdc00 || w > 0xdfff) {
                        return bad(j, "a high surrogate escape without its "
                                      "low half");
                    }
                }
            } else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0') {
                return bad(j, "an unknown escape in a string");
            }
            continue;
        }
        if (!utf8(j)) {
            return false;
        }
    }
    return bad(j, "a string without its closing quote");
}

static bool
number(jp *j)
{
    const unsigned char *s = j->p;
    if (j->p < j->end && *j->p == '-') {
        j->p++;
    }
    if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
        return bad(j, "a malformed number");
    }
    if (*j->p == '0') {
        j->p++;
    } else {
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
            return bad(j, "a malformed fraction");
        }
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-')) {
            j->p++;
        }
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
            return bad(j, "a malformed exponent");
        }
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    return j->p > s;
}

static bool
word(jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0) {
        return bad(j, "an unknown word");
    }
    j->p += n;
    return true;
}

static bool
value(jp *j, int depth)
{
    if (depth > 512) {
        return bad(j, "nesting deeper than 512");
    }
    ws(j);
    if (j->p >= j->end) {
        return bad(j, "a value is missing");
    }
    switch (*j->p) {
    case '"':
        return string(j);
    case 't':
        return word(j, "true");
    case 'f':
        return word(j, "false");
    case 'n':
        return word(j, "null");
    case '{':
    case '[': {
        unsigned char close = *j->p == '{' ? '}' : ']';
        bool obj = close == '}';
        j->p++;
        ws(j);
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return true;
        }
        for (;;) {
            ws(j);
            if (obj) {
                if (j->p >= j->end || *j->p != '"') {
                    return bad(j, "an object key that is not a string");
                }
                if (!string(j)) {
                    return false;
                }
                ws(j);
                if (j->p >= j->end || *j->p != ':') {
                    return bad(j, "a key without ':'");
                }
                j->p++;
            }
            if (!value(j, depth + 1)) {
                return false;
            }
            ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == close) {
                j->p++;
                return true;
            }
            return bad(j, "a container without ',' or its closing bracket");
        }
    }
    default:
        return number(j);
    }
}

const char *
ep_fuzz_json_problem(const char *doc, size_t len)
{
    jp j = {(const unsigned char *)doc, (const unsigned char *)doc + len, NULL};
    if (!value(&j, 0)) {
        return j.why ? j.why : "malformed";
    }
    ws(&j);
    return j.p == j.end ? NULL : "text after the document";
}

void
ep_fuzz_check_json(const char *doc)
{
    const char *why = ep_fuzz_json_problem(doc, strlen(doc));
    if (why != NULL) {
        fprintf(stderr, "extprobe fuzz: invalid JSON output: %s\n", why);
        abort();
    }
}
