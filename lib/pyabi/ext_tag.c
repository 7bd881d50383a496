/*
 * Extension file names as the import system matches them: PEP 3149 tags
 * ("cpython-311-x86_64-linux-gnu", with ABI flags d/m/t), PEP 384's "abi3",
 * PyPy's "pypy310-pp73-<platform>", and the plain ".so" every CPython accepts.
 */
#include "util/error.h"
#include "util/arena.h"
#include "util/path.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Everything of a tag lives in one allocation with the struct. */
typedef struct tag_block {
    ep_ext_tag tag;
    ep_arena arena;
} tag_block;

void
ep_ext_tag_free(ep_ext_tag *tag)
{
    if (tag != NULL) {
        tag_block *b = (tag_block *)tag;
        ep_arena_release(&b->arena);
        free(b);
    }
}

/* "311" -> "3.11"; the first digit is the major version. */
static const char *
dotted_version(ep_arena *a, const char *digits, size_t n)
{
    if (n == 0) {
        return NULL;
    }
    if (n == 1) {
        return ep_arena_strndup(a, digits, 1);
    }
    return ep_arena_printf(a, "%c.%.*s", digits[0], (int)(n - 1), digits + 1);
}

/* Parse CPython's "cpython-<digits><flags>[-<platform>]". */
static bool
parse_versioned(ep_arena *a, ep_ext_tag *t, const char *raw, const char *impl)
{
    size_t ilen = strlen(impl);
    if (strncmp(raw, impl, ilen) != 0) {
        return false;
    }
    const char *p = raw + ilen;
    if (*p == '-') {
        p++;
    }
    const char *digits = p;
    while (isdigit((unsigned char)*p)) {
        p++;
    }
    const char *flags = p;
    while (islower((unsigned char)*p)) {
        p++;
    }
    t->implementation = impl;
    t->version = dotted_version(a, digits, (size_t)(flags - digits));
    t->abiflags = ep_arena_strndup(a, flags, (size_t)(p - flags));
    if (*p == '-' && p[1] != '\0') {
        t->platform = ep_arena_strdup(a, p + 1);
    }
    return true;
}

/* PyPy: "pypy310-pp73-x86_64-linux-gnu" (or the old "pypy-41"). The PyPy ABI
 * ("pp73") is reported in abiflags. */
static bool
parse_pypy(ep_arena *a, ep_ext_tag *t, const char *raw)
{
    if (strncmp(raw, "pypy", 4) != 0) {
        return false;
    }
    const char *p = raw + 4;
    const char *digits = p;
    while (isdigit((unsigned char)*p)) {
        p++;
    }
    t->implementation = "pypy";
    t->version = dotted_version(a, digits, (size_t)(p - digits));
    t->abiflags = "";
    if (*p == '-') {
        const char *abi = p + 1;
        const char *dash = strchr(abi, '-');
        if (dash != NULL) {
            t->abiflags = ep_arena_strndup(a, abi, (size_t)(dash - abi));
            t->platform = ep_arena_strdup(a, dash + 1);
        } else {
            t->abiflags = ep_arena_strdup(a, abi);
        }
    }
    return true;
}

/* GraalPy: "graalpy<release>-<python>-native-<platform>" since 23.0
 * ("graalpy230-310-native-x86_64-linux"; the release may hold letters, as in
 * "graalpy241dev156644dd29"), "graalpy-38-native-..." in 22.x and
 * "graalpython-38-native-..." before. The digits after "graalpy" are the
 * GraalPy release, not the Python version. The "native" ABI goes to
 * abiflags, as "pp73" does for PyPy. */
static bool
parse_graalpy(ep_arena *a, ep_ext_tag *t, const char *raw)
{
    const char *p;
    if (strncmp(raw, "graalpython", 11) == 0) {
        p = raw + 11;
    } else if (strncmp(raw, "graalpy", 7) == 0) {
        p = raw + 7;
    } else {
        return false;
    }
    t->implementation = "graalpy";
    p += strcspn(p, "-"); /* the release, possibly empty */
    if (*p != '-') {
        return true;
    }
    p++;
    const char *digits = p;
    while (isdigit((unsigned char)*p)) {
        p++;
    }
    t->version = dotted_version(a, digits, (size_t)(p - digits));
    if (*p != '-') {
        return true;
    }
    const char *abi = p + 1;
    const char *dash = strchr(abi, '-');
    if (dash != NULL) {
        t->abiflags = ep_arena_strndup(a, abi, (size_t)(dash - abi));
        t->platform = ep_arena_strdup(a, dash + 1);
    } else {
        t->abiflags = ep_arena_strdup(a, abi);
    }
    return true;
}

ep_status
ep_ext_tag_parse(const char *filename, ep_ext_tag **out, ep_error *err)
{
    if (filename == NULL || out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *out = NULL;
    const char *base = ep_basename(filename);
    size_t len = strlen(base);
    if (len < 4 || strcmp(base + len - 3, ".so") != 0) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "%s: not an extension module file name (no .so)", base);
    }
    tag_block *b = calloc(1, sizeof(*b));
    if (b == NULL) {
        return ep_fail_nomem(err);
    }
    ep_arena_init(&b->arena);
    ep_ext_tag *t = &b->tag;
    ep_arena *a = &b->arena;

    /* A module name has no dots: the first one starts the suffix. */
    const char *dot = strchr(base, '.');
    size_t stem = (size_t)(dot - base);
    t->module = ep_arena_strndup(a, base, stem);
    t->suffix = ep_arena_strdup(a, dot);
    if (t->module == NULL || t->suffix == NULL) {
        goto nomem;
    }
    if (dot != base + len - 3) {
        const char *raw = ep_arena_strndup(a, dot + 1, len - 3 - stem - 1);
        if (raw == NULL) {
            goto nomem;
        }
        t->raw_tag = raw;
        if (strcmp(raw, "abi3") == 0) {
            t->implementation = "cpython";
            t->stable_abi = true;
        } else if (!parse_versioned(a, t, raw, "cpython") &&
                   !parse_graalpy(a, t, raw) && !parse_pypy(a, t, raw)) {
            /* An unknown tag ("m.foo.so"): no interpreter claims it. */
        }
    }
    *out = t;
    return EP_OK;
nomem:
    ep_ext_tag_free(t);
    return ep_fail_nomem(err);
}
