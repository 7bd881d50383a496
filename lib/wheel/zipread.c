/*
 * The wheel archive through libzip: the member list and member bytes as a
 * stream. The only file of lib/ that includes <zip.h>; nothing is written
 * or extracted. libzip is opened (dlopen) when the first archive is, not
 * linked: with the libcrypto and libbz2 it needs, loading it is most of the
 * start-up time of a process that reads no wheel (extprobe deps FILE).
 */
#include "wheel/wheel.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* The libzip functions used, called through lz. */
#define LZ_FUNCS(X)                                                            \
    X(zip_discard)                                                             \
    X(zip_error_fini)                                                          \
    X(zip_error_init_with_code)                                                \
    X(zip_error_strerror)                                                      \
    X(zip_fclose)                                                              \
    X(zip_file_strerror)                                                       \
    X(zip_fopen_index)                                                         \
    X(zip_fread)                                                               \
    X(zip_get_num_entries)                                                     \
    X(zip_open)                                                                \
    X(zip_stat_index)                                                          \
    X(zip_stat_init)                                                           \
    X(zip_strerror)

static struct {
#define LZ_FIELD(f) __typeof__(f) *f;
    LZ_FUNCS(LZ_FIELD)
#undef LZ_FIELD
    bool ok;
    char why[256]; /* when not ok: dlopen's or dlsym's reason */
} lz;

static pthread_once_t lz_once = PTHREAD_ONCE_INIT;

static void
lz_load(void)
{
    /* EP_LIBZIP_SONAME: the SONAME of the libzip built against
     * (lib/wheel/meson.build). Never closed: the handle lives as long as
     * the process, as a linked library would. */
    void *h = dlopen(EP_LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        snprintf(lz.why, sizeof(lz.why), "%s", dlerror());
        return;
    }
    /* POSIX's way of storing dlsym's answer in a function pointer. */
#define LZ_SYM(f)                                                              \
    if ((*(void **)&lz.f = dlsym(h, #f)) == NULL) {                            \
        snprintf(lz.why, sizeof(lz.why), "%s: no %s", EP_LIBZIP_SONAME, #f);   \
        return;                                                                \
    }
    LZ_FUNCS(LZ_SYM)
#undef LZ_SYM
    lz.ok = true;
}

struct ep_zip {
    zip_t *za;
    const char *path;
    ep_zip_member *members;
    size_t count;
    char *buf; /* one read buffer per archive: members are read in turn */
};

#define ZIP_BUF_SIZE (256 * 1024)

/* libzip's reason for an open failure code, copied at the boundary. */
static ep_status
open_failure(ep_error *err, const char *path, int code)
{
    zip_error_t ze;
    lz.zip_error_init_with_code(&ze, code);
    ep_status st =
        ep_fail(err,
                code == ZIP_ER_OPEN || code == ZIP_ER_READ ? EP_ERR_IO
                                                           : EP_ERR_MALFORMED,
                "%s: %s", path, lz.zip_error_strerror(&ze));
    lz.zip_error_fini(&ze);
    return st;
}

ep_status
ep_zip_open(const char *path, ep_arena *a, ep_zip **out, ep_error *err)
{
    ep_status st;
    int code = 0;
    ep_zip *z = calloc(1, sizeof(*z));

    *out = NULL;
    if (pthread_once(&lz_once, lz_load) != 0 || !lz.ok) {
        free(z);
        return ep_fail(err, EP_ERR_IO, "%s: libzip cannot be loaded: %s", path,
                       lz.why[0] ? lz.why : "pthread_once failed");
    }
    if (z == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
    }
    z->path = path;
    z->buf = malloc(ZIP_BUF_SIZE);
    if (z->buf == NULL) {
        st = ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    /* ZIP_CHECKCONS: a central directory that disagrees with the end record
     * (a truncated download, two archives glued) is refused here instead of
     * giving a partial member list. */
    z->za = lz.zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (z->za == NULL) {
        st = open_failure(err, path, code);
        goto fail;
    }
    zip_int64_t n = lz.zip_get_num_entries(z->za, 0);
    if (n < 0) {
        st = ep_fail(err, EP_ERR_MALFORMED, "%s: no member list", path);
        goto fail;
    }
    z->members = calloc(n ? (size_t)n : 1, sizeof(*z->members));
    if (z->members == NULL) {
        st = ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t zs;
        lz.zip_stat_init(&zs);
        if (lz.zip_stat_index(z->za, (zip_uint64_t)i, 0, &zs) != 0 ||
            !(zs.valid & ZIP_STAT_NAME) || !(zs.valid & ZIP_STAT_SIZE)) {
            st = ep_fail(err, EP_ERR_MALFORMED, "%s: member %lld: %s", path,
                         (long long)i, lz.zip_strerror(z->za));
            goto fail;
        }
        ep_zip_member *m = &z->members[z->count++];
        m->name = ep_arena_strdup(a, zs.name);
        if (m->name == NULL) {
            st = ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
            goto fail;
        }
        m->size = zs.size;
        m->comp_size = (zs.valid & ZIP_STAT_COMP_SIZE) ? zs.comp_size : 0;
        m->index = (uint64_t)i;
        size_t len = strlen(m->name);
        m->is_dir = len > 0 && m->name[len - 1] == '/';
    }
    *out = z;
    return EP_OK;
fail:
    ep_zip_close(z);
    return st;
}

void
ep_zip_close(ep_zip *z)
{
    if (z == NULL) {
        return;
    }
    if (z->za != NULL) {
        lz.zip_discard(z->za); /* read-only: nothing to write back */
    }
    free(z->members);
    free(z->buf);
    free(z);
}

size_t
ep_zip_count(const ep_zip *z)
{
    return z ? z->count : 0;
}

const ep_zip_member *
ep_zip_member_at(const ep_zip *z, size_t i)
{
    return z && i < z->count ? &z->members[i] : NULL;
}

const ep_zip_member *
ep_zip_find(const ep_zip *z, const char *name)
{
    for (size_t i = 0; z != NULL && i < z->count; i++) {
        if (strcmp(z->members[i].name, name) == 0) {
            return &z->members[i];
        }
    }
    return NULL;
}

ep_status
ep_zip_stream(ep_zip *z, const ep_zip_member *m, ep_zip_chunk_fn fn, void *ctx,
              ep_error *err)
{
    zip_file_t *f = lz.zip_fopen_index(z->za, m->index, 0);
    if (f == NULL) {
        return ep_fail(err, EP_ERR_MALFORMED, "%s: %s: %s", z->path, m->name,
                       lz.zip_strerror(z->za));
    }
    ep_status st = EP_OK;
    for (;;) {
        zip_int64_t got = lz.zip_fread(f, z->buf, ZIP_BUF_SIZE);
        if (got < 0) {
            /* a bad CRC shows here, at the end of the member's data */
            st = ep_fail(err, EP_ERR_MALFORMED, "%s: %s: %s", z->path, m->name,
                         lz.zip_file_strerror(f));
            break;
        }
        if (got == 0) {
            break;
        }
        if (!fn(z->buf, (size_t)got, ctx)) {
            break;
        }
    }
    lz.zip_fclose(f);
    return st;
}

typedef struct text_ctx {
    ep_strbuf sb;
    size_t cap;
    bool over;
} text_ctx;

static bool
text_chunk(const void *buf, size_t n, void *vctx)
{
    text_ctx *c = vctx;
    if (c->sb.len + n > c->cap) {
        c->over = true;
        return false;
    }
    ep_strbuf_append(&c->sb, buf, n);
    return true;
}

ep_status
ep_zip_read_text(ep_zip *z, const ep_zip_member *m, ep_arena *a, size_t cap,
                 char **out, ep_error *err)
{
    text_ctx c = {.cap = cap};
    ep_strbuf_init(&c.sb);
    *out = NULL;
    if (m->size > cap) {
        return ep_fail(err, EP_ERR_MALFORMED,
                       "%s: %s: %llu bytes, more than "
                       "the %zu read for a metadata file",
                       z->path, m->name, (unsigned long long)m->size, cap);
    }
    ep_status st = ep_zip_stream(z, m, text_chunk, &c, err);
    if (st == EP_OK && c.over) {
        st = ep_fail(err, EP_ERR_MALFORMED, "%s: %s: longer than %zu bytes",
                     z->path, m->name, cap);
    }
    if (st == EP_OK) {
        ep_strbuf_append(&c.sb, "", 0);
        if (c.sb.failed) {
            st = ep_fail(err, EP_ERR_NOMEM, "out of memory");
        } else {
            *out = ep_arena_strndup(a, c.sb.data ? c.sb.data : "", c.sb.len);
            if (*out == NULL) {
                st = ep_fail(err, EP_ERR_NOMEM, "out of memory");
            }
        }
    }
    ep_strbuf_release(&c.sb);
    return st;
}
