/*
 * Opening a file or memory image as an ep_object: the life cycle and the
 * simple getters. Classification lives in classify.c, ELF facts in read.c.
 */
#include "elf/object.h"
#include "util/error.h"
#include "util/arena.h"

#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Enough for the ELF64 header, a Mach-O/PE magic and a .pyc header; the
 * text heuristic for Python source looks at this much too. */
#define HEAD_BYTES 512

static pthread_once_t elf_once = PTHREAD_ONCE_INIT;

static void
elf_init_once(void)
{
    elf_version(EV_CURRENT);
}

/* Once per process (pthread_once), before any other libelf call. */
static void
ep_elf_library_init(void)
{
    pthread_once(&elf_once, elf_init_once);
}

void
ep_object_set_bad(ep_object *obj, ep_kind kind, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    obj->kind = kind;
    obj->reason = ep_arena_strdup(&obj->arena, buf);
    if (obj->reason == NULL) {
        obj->reason = "out of memory while describing the file";
    }
}

static ep_object *
object_new(const char *path)
{
    ep_object *obj = calloc(1, sizeof(*obj));
    if (obj == NULL) {
        return NULL;
    }
    ep_arena_init(&obj->arena);
    obj->fd = -1;
    obj->info.stack_flags = -1;
    obj->path = ep_arena_strdup(&obj->arena, path);
    if (obj->path == NULL) {
        free(obj);
        return NULL;
    }
    return obj;
}

void
ep_object_close(ep_object *obj)
{
    if (obj == NULL) {
        return;
    }
    if (obj->elf != NULL) {
        elf_end(obj->elf);
    }
    if (obj->fd >= 0) {
        close(obj->fd);
    }
    ep_ext_tag_free(obj->tag);
    free(obj->image);
    free(obj->symbols);
    free(obj->needs);
    free(obj->defs);
    ep_arena_release(&obj->arena);
    free(obj);
}

/* Parse the file name tag; a name that is not "*.so" simply has none. */
static ep_status
read_tag(ep_object *obj, ep_error *err)
{
    ep_error tag_err;
    ep_status st = ep_ext_tag_parse(obj->path, &obj->tag, &tag_err);
    if (st == EP_ERR_NOMEM) {
        return ep_fail(err, st, "%s: out of memory", obj->path);
    }
    return EP_OK;
}

/* Classify the first bytes, then let libelf read the rest on demand. */
static ep_status
classify_and_read(ep_object *obj, const unsigned char *head, size_t nhead,
                  ep_error *err)
{
    ep_status st = read_tag(obj, err);
    if (st != EP_OK) {
        return st;
    }
    if (!ep_elf_precheck(obj, head, nhead)) {
        return EP_OK;
    }
    if (obj->image != NULL) {
        obj->elf = elf_memory(obj->image, (size_t)obj->size);
    } else {
        obj->elf = elf_begin(obj->fd, ELF_C_READ, NULL);
    }
    if (obj->elf == NULL || elf_kind(obj->elf) != ELF_K_ELF) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT, "libelf cannot read it: %s",
                          elf_errmsg(-1));
        return EP_OK;
    }
    obj->kind = EP_KIND_ELF;
    return ep_elf_read_info(obj, err);
}

ep_status
ep_object_open(const char *path, ep_object **out, ep_error *err)
{
    ep_status st = EP_OK;
    ep_object *obj = NULL;
    struct stat sb;
    unsigned char head[HEAD_BYTES];

    if (out == NULL || path == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_object_open: NULL argument");
    }
    *out = NULL;
    ep_elf_library_init();
    obj = object_new(path);
    if (obj == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    obj->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (obj->fd < 0) {
        int e = errno;
        /* open() of a socket fails with ENXIO: say what the file is. */
        if (e == ENXIO && stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode)) {
            ep_object_set_bad(obj, EP_KIND_UNREADABLE,
                              "not a regular file (a socket)");
        } else {
            ep_object_set_bad(obj, EP_KIND_UNREADABLE, "%s", strerror(e));
        }
        goto done;
    }
    if (fstat(obj->fd, &sb) != 0) {
        ep_object_set_bad(obj, EP_KIND_UNREADABLE, "%s", strerror(errno));
        goto done;
    }
    if (S_ISDIR(sb.st_mode)) {
        ep_object_set_bad(obj, EP_KIND_UNREADABLE, "is a directory");
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        ep_object_set_bad(obj, EP_KIND_UNREADABLE, "not a regular file (%s)",
                          S_ISFIFO(sb.st_mode)   ? "a FIFO"
                          : S_ISCHR(sb.st_mode)  ? "a character device"
                          : S_ISBLK(sb.st_mode)  ? "a block device"
                          : S_ISSOCK(sb.st_mode) ? "a socket"
                                                 : "a special file");
        goto done;
    }
    obj->size = (uint64_t)sb.st_size;
    ssize_t n = pread(obj->fd, head, sizeof(head), 0);
    if (n < 0) {
        ep_object_set_bad(obj, EP_KIND_UNREADABLE, "%s", strerror(errno));
        goto done;
    }
    st = classify_and_read(obj, head, (size_t)n, err);
    if (st != EP_OK) {
        goto fail;
    }
done:
    *out = obj;
    return EP_OK;
fail:
    ep_object_close(obj);
    return st;
}

ep_status
ep_object_open_memory(const void *buf, size_t len, const char *name,
                      ep_object **out, ep_error *err)
{
    ep_status st;
    ep_object *obj;

    if (out == NULL || (buf == NULL && len > 0)) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_object_open_memory: NULL argument");
    }
    *out = NULL;
    ep_elf_library_init();
    obj = object_new(name ? name : "<memory>");
    if (obj == NULL) {
        return ep_fail_nomem(err);
    }
    /* libelf may convert data in place for a memory image, and the caller's
     * buffer is const: work on a private copy. */
    obj->image = malloc(len ? len : 1);
    if (obj->image == NULL) {
        st = ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", obj->path);
        goto fail;
    }
    if (len) {
        memcpy(obj->image, buf, len);
    }
    obj->size = len;
    st = classify_and_read(obj, obj->image, len < HEAD_BYTES ? len : HEAD_BYTES,
                           err);
    if (st != EP_OK) {
        goto fail;
    }
    *out = obj;
    return EP_OK;
fail:
    ep_object_close(obj);
    return st;
}

const char *
ep_object_path(const ep_object *obj)
{
    return obj ? obj->path : NULL;
}

ep_kind
ep_object_kind(const ep_object *obj)
{
    return obj ? obj->kind : EP_KIND_UNKNOWN;
}

const char *
ep_object_reason(const ep_object *obj)
{
    return obj ? obj->reason : NULL;
}

uint64_t
ep_object_size(const ep_object *obj)
{
    return obj ? obj->size : 0;
}

const ep_elf_info *
ep_object_elf(const ep_object *obj)
{
    /* Header fields are worth showing for truncated or corrupt ELF too. */
    if (obj == NULL || obj->info.elf_class == 0) {
        return NULL;
    }
    return &obj->info;
}

const ep_ext_tag *
ep_object_ext_tag(const ep_object *obj)
{
    return obj ? obj->tag : NULL;
}

const char *
ep_kind_str(ep_kind kind)
{
    switch (kind) {
    case EP_KIND_ELF:
        return "elf";
    case EP_KIND_MACHO:
        return "macho";
    case EP_KIND_PE:
        return "pe";
    case EP_KIND_PYTHON_SOURCE:
        return "python-source";
    case EP_KIND_PYTHON_BYTECODE:
        return "python-bytecode";
    case EP_KIND_EMPTY:
        return "empty";
    case EP_KIND_TRUNCATED:
        return "truncated";
    case EP_KIND_CORRUPT:
        return "corrupt";
    case EP_KIND_UNREADABLE:
        return "unreadable";
    case EP_KIND_UNKNOWN:
        break;
    }
    return "unknown";
}
