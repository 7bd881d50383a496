/*
 * /etc/ld.so.cache as glibc 2.36 reads it (elf/dl-cache.c): the three file
 * layouts, the corruption checks that make ld.so ignore a file, and
 * search_cache's binary search with its hwcaps preferences. Every offset is
 * bounds-checked here; ld.so trusts more than this file does.
 */
#include "loader/loader.h"
#include "util/error.h"
#include "util/arena.h"
#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* sysdeps/generic/dl-cache.h: the on-disk layout. */
#define CACHEMAGIC "ld.so-1.7.0"
#define CACHEMAGIC_NEW "glibc-ld.so.cache"
#define CACHE_VERSION "1.1"
#define OLD_HEADER 16               /* magic[11], padding, uint32 nlibs */
#define OLD_ENTRY 12                /* int32 flags, uint32 key, value */
#define NEW_HEADER 48               /* see struct cache_file_new */
#define NEW_ENTRY 24                /* + uint32 osversion, uint64 hwcap */
#define EXTENSION_MAGIC 0xeaa42174u /* (uint32_t) -358342284 */
#define EXT_TAG_GLIBC_HWCAPS 1
#define ENDIAN_MASK 3
#define ENDIAN_UNSET 0
#define ENDIAN_LITTLE 2
#define ENDIAN_BIG 3

/* sysdeps/unix/sysv/linux/x86_64/dl-cache.h: the flags of a 64-bit x86-64
 * libc6 entry; every other entry is skipped. */
#define FLAG_ELF_LIBC6 0x0003
#define FLAG_X8664_LIB64 0x0300
#define CACHE_DEFAULT_ID (FLAG_ELF_LIBC6 | FLAG_X8664_LIB64)

/* dl-cache.h: named glibc-hwcaps entries. */
#define HWCAP_EXTENSION (1ULL << 62)
#define HWCAP_ISA_LEVEL_MASK 0x3ffu
/* sysdeps/x86/dl-hwcap.h (2.36): legacy hwcap and platform bits. */
#define HWCAP_TLS_MASK (1ULL << 63)
#define FIRST_PLATFORM 48
#define PLATFORM_BITS (0xfULL << FIRST_PLATFORM)

struct ld_cache {
    const unsigned char *map;
    size_t size;
    const char *format;
    /* The table search_cache walks. */
    const unsigned char *libs;
    uint32_t nlibs;
    size_t entry_size;
    const char *strings; /* base of the string offsets */
    size_t strings_size; /* bytes from strings to the end of the file */
    /* glibc-hwcaps names (cache_extension_tag_glibc_hwcaps), if any:
     * offsets of strings from the start of the file. */
    const unsigned char *hwcaps;
    uint32_t nhwcaps;
};

static uint32_t
u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t
u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static bool
new_endian_ok(const unsigned char *hdr)
{
    unsigned e = hdr[28] & ENDIAN_MASK;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return e == ENDIAN_UNSET || e == ENDIAN_LITTLE;
#else
    return e == ENDIAN_UNSET || e == ENDIAN_BIG;
#endif
}

/* dl-cache.h cache_extension_load: the glibc-hwcaps section, when the
 * extension directory is well formed. Its offsets (directory, sections, the
 * subdirectory names) count from the start of the file, also when the new
 * table sits behind an old one. False means ld.so ignores the extensions
 * (and then finds no hwcaps priorities). */
static bool
load_extensions(ld_cache *c, const unsigned char *new_hdr)
{
    uint32_t ext_off = u32(new_hdr + 32);
    if (ext_off == 0) {
        return true;
    }
    if (ext_off % 4 != 0 || !ep_range_ok(ext_off, 8, c->size)) {
        return false;
    }
    const unsigned char *ext = c->map + ext_off;
    if (u32(ext) != EXTENSION_MAGIC) {
        return false;
    }
    uint32_t count = u32(ext + 4);
    if (count > (c->size - ext_off - 8) / 16) {
        return false;
    }
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *sec = ext + 8 + (size_t)i * 16;
        uint32_t tag = u32(sec), off = u32(sec + 8), size = u32(sec + 12);
        if (!ep_range_ok(off, size, c->size)) {
            return false;
        }
        if (tag == EXT_TAG_GLIBC_HWCAPS) {
            /* cache_extension_verify: empty, misaligned or ragged is as
             * good as absent; a later duplicate wins. */
            bool usable = size != 0 && off % 4 == 0 && size % 4 == 0;
            c->hwcaps = usable ? c->map + off : NULL;
            c->nhwcaps = usable ? size / 4 : 0;
        }
    }
    return true;
}

/* Decide which of the three layouts the file has, as
 * _dl_load_cache_lookup does; NULL on success, else why ld.so ignores it. */
static const char *
classify(ld_cache *c)
{
    size_t size = c->size;
    const unsigned char *m = c->map;
    if (size > NEW_HEADER &&
        memcmp(m, CACHEMAGIC_NEW CACHE_VERSION,
               sizeof(CACHEMAGIC_NEW CACHE_VERSION) - 1) == 0) {
        uint32_t nlibs = u32(m + 20);
        if ((size - NEW_HEADER) / NEW_ENTRY < nlibs) {
            return "it claims more entries than the file holds";
        }
        if (!new_endian_ok(m)) {
            return "it was written for the other byte order";
        }
        c->format = "new";
        c->libs = m + NEW_HEADER;
        c->nlibs = nlibs;
        c->entry_size = NEW_ENTRY;
        c->strings = (const char *)m;
        c->strings_size = size;
        if (!load_extensions(c, m)) {
            c->hwcaps = NULL;
            c->nhwcaps = 0;
        }
        return NULL;
    }
    if (size > OLD_HEADER &&
        memcmp(m, CACHEMAGIC, sizeof(CACHEMAGIC) - 1) == 0) {
        uint32_t nlibs = u32(m + 12);
        if ((size - OLD_HEADER) / OLD_ENTRY < nlibs) {
            return "it claims more entries than the file holds";
        }
        /* ALIGN_CACHE: the new table follows, 8-aligned. */
        size_t off = OLD_HEADER + (size_t)nlibs * OLD_ENTRY;
        off = (off + 7) & ~(size_t)7;
        if (size >= off + NEW_HEADER &&
            memcmp(m + off, CACHEMAGIC_NEW CACHE_VERSION,
                   sizeof(CACHEMAGIC_NEW CACHE_VERSION) - 1) == 0) {
            const unsigned char *n = m + off;
            if (!new_endian_ok(n)) {
                return "it was written for the other byte order";
            }
            uint32_t nnew = u32(n + 20);
            if ((size - off - NEW_HEADER) / NEW_ENTRY < nnew) {
                /* glibc does not check this; reading on would run past
                 * the end of the file. */
                return "its new-format part claims more entries than the "
                       "file holds";
            }
            c->format = "old+new";
            c->libs = n + NEW_HEADER;
            c->nlibs = nnew;
            c->entry_size = NEW_ENTRY;
            c->strings = (const char *)n;
            c->strings_size = size - off;
            if (!load_extensions(c, n)) {
                c->hwcaps = NULL;
                c->nhwcaps = 0;
            }
            return NULL;
        }
        c->format = "old";
        c->libs = m + OLD_HEADER;
        c->nlibs = nlibs;
        c->entry_size = OLD_ENTRY;
        c->strings = (const char *)m + OLD_HEADER + (size_t)nlibs * OLD_ENTRY;
        c->strings_size = size - (OLD_HEADER + (size_t)nlibs * OLD_ENTRY);
        return NULL;
    }
    return "not an ld.so.cache file (unknown magic)";
}

void
ld_cache_close(ld_cache *c)
{
    if (c != NULL) {
        if (c->map != NULL) {
            munmap((void *)c->map, c->size);
        }
        free(c);
    }
}

ep_status
ld_cache_open(ep_arena *a, const char *path, ld_cache **out, const char **note,
              ep_error *err)
{
    *out = NULL;
    *note = NULL;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno != ENOENT) {
            *note = ep_arena_printf(a,
                                    "ld.so.cache %s: %s; ld.so searches "
                                    "without it",
                                    path, strerror(errno));
        }
        return EP_OK;
    }
    struct stat sb;
    const char *why = NULL;
    void *m = MAP_FAILED;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        why = "not a regular file";
    } else if (sb.st_size == 0) {
        why = "the file is empty";
    } else {
        m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            why = strerror(errno);
        }
    }
    close(fd);
    if (why != NULL) {
        *note = ep_arena_printf(a,
                                "ld.so.cache %s: %s; ld.so searches "
                                "without it",
                                path, why);
        return EP_OK;
    }
    ld_cache *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        munmap(m, (size_t)sb.st_size);
        return ep_fail_nomem(err);
    }
    c->map = m;
    c->size = (size_t)sb.st_size;
    why = classify(c);
    if (why != NULL) {
        *note = ep_arena_printf(a, "ld.so.cache %s: %s; ld.so ignores it", path,
                                why);
        ld_cache_close(c);
        return EP_OK;
    }
    if (strcmp(c->format, "new") != 0) {
        *note = ep_arena_printf(a, "ld.so.cache %s: %s format (ld.so-1.7.0)",
                                path, c->format);
    }
    *out = c;
    return EP_OK;
}

const char *
ld_cache_format(const ld_cache *c)
{
    return c ? c->format : NULL;
}

int
ld_cache_libcmp(const char *p1, const char *p2)
{
    /* Unsigned arithmetic: the wrap glibc's int overflow gives in
     * practice, without the undefined behaviour. */
    while (*p1 != '\0') {
        if (*p1 >= '0' && *p1 <= '9') {
            if (*p2 >= '0' && *p2 <= '9') {
                unsigned v1 = (unsigned)(*p1++ - '0');
                unsigned v2 = (unsigned)(*p2++ - '0');
                while (*p1 >= '0' && *p1 <= '9') {
                    v1 = v1 * 10 + (unsigned)(*p1++ - '0');
                }
                while (*p2 >= '0' && *p2 <= '9') {
                    v2 = v2 * 10 + (unsigned)(*p2++ - '0');
                }
                if (v1 != v2) {
                    return (int)(v1 - v2);
                }
            } else {
                return 1;
            }
        } else if (*p2 >= '0' && *p2 <= '9') {
            return -1;
        } else if (*p1 != *p2) {
            return *p1 - *p2;
        } else {
            ++p1;
            ++p2;
        }
    }
    return *p1 - *p2;
}

/* A string of the table, if offset and terminator lie inside the file. */
static const char *
cache_str(const ld_cache *c, uint32_t off)
{
    if (off >= c->strings_size) {
        return NULL;
    }
    if (memchr(c->strings + off, '\0', c->strings_size - off) == NULL) {
        return NULL;
    }
    return c->strings + off;
}

/* glibc_hwcaps_priority: 1 + the rank of the entry's glibc-hwcaps
 * subdirectory among those the CPU supports (best is 1), 0 for unusable. */
static uint32_t
hwcaps_priority(const ld_cache *c, uint32_t index, const ld_platform *pf)
{
    if (index >= c->nhwcaps) {
        return 0;
    }
    uint32_t off = u32(c->hwcaps + (size_t)index * 4);
    if (off >= c->size || memchr(c->map + off, '\0', c->size - off) == NULL) {
        return 0;
    }
    const char *name = (const char *)c->map + off;
    for (size_t i = 0; i < pf->hwcaps.count; i++) {
        if (strcmp(pf->hwcaps.items[i], name) == 0) {
            return (uint32_t)i + 1;
        }
    }
    return 0;
}

/* The legacy hwcap bits and platform bit ld.so accepts (dl-cache.c
 * hwcap_exclude; sysdeps/x86/dl-procinfo.c names). */
static uint64_t
legacy_accept(const ld_platform *pf, uint64_t *platform_bit)
{
    static const char *const hwcap_names[] = {"sse2", "x86_64", "avx512_1"};
    static const char *const platforms[] = {"i586", "i686", "haswell",
                                            "xeon_phi"};
    uint64_t bits = 0;
    for (size_t i = 0; i < pf->legacy.count; i++) {
        for (size_t k = 0; k < 3; k++) {
            if (strcmp(pf->legacy.items[i], hwcap_names[k]) == 0) {
                bits |= 1ULL << k;
            }
        }
    }
    *platform_bit = 0;
    for (size_t k = 0; pf->platform != NULL && k < 4; k++) {
        if (strcmp(pf->platform, platforms[k]) == 0) {
            *platform_bit = 1ULL << (FIRST_PLATFORM + k);
        }
    }
    return bits;
}

typedef struct entry {
    int32_t flags;
    uint32_t key, value;
    uint64_t hwcap;
} entry;

static entry
entry_at(const ld_cache *c, uint32_t i)
{
    const unsigned char *p = c->libs + (size_t)i * c->entry_size;
    entry e = {(int32_t)u32(p), u32(p + 4), u32(p + 8), 0};
    if (c->entry_size >= NEW_ENTRY) {
        /* The osversion word (p + 12) is not compared since glibc 2.36,
         * which removed the kernel version check. */
        e.hwcap = u64(p + 16);
    }
    return e;
}

const char *
ld_cache_lookup(const ld_cache *c, const char *name, const ld_platform *pf)
{
    if (c == NULL || c->nlibs == 0 || c->nlibs > INT32_MAX) {
        return NULL;
    }
    uint64_t platform_bit;
    uint64_t hwcap_exclude =
        ~(legacy_accept(pf, &platform_bit) | PLATFORM_BITS | HWCAP_TLS_MASK);
    int left = 0, right = (int)c->nlibs - 1;
    const char *best = NULL;
    uint32_t best_priority = 0;
    while (left <= right) {
        int middle = left + (right - left) / 2;
        const char *key = cache_str(c, entry_at(c, (uint32_t)middle).key);
        if (key == NULL) {
            return NULL; /* bogus index: glibc gives up */
        }
        int cmpres = ld_cache_libcmp(name, key);
        if (cmpres == 0) {
            /* Back up to the first entry of this name. */
            left = middle;
            while (middle > 0) {
                key = cache_str(c, entry_at(c, (uint32_t)middle - 1).key);
                if (key == NULL || ld_cache_libcmp(name, key) != 0) {
                    break;
                }
                --middle;
            }
            do {
                entry e = entry_at(c, (uint32_t)middle);
                if (middle > left) {
                    key = cache_str(c, e.key);
                    if (key == NULL || ld_cache_libcmp(name, key) != 0) {
                        break;
                    }
                }
                const char *value = cache_str(c, e.value);
                if (e.flags != CACHE_DEFAULT_ID || value == NULL) {
                    continue;
                }
                bool named = false;
                if (c->entry_size >= NEW_ENTRY) {
                    named =
                        ((e.hwcap >> 32) & ~(uint64_t)HWCAP_ISA_LEVEL_MASK) ==
                        (HWCAP_EXTENSION >> 32);
                    if (named) {
                        uint32_t level =
                            1u << ((e.hwcap >> 32) & HWCAP_ISA_LEVEL_MASK);
                        if ((level & pf->isa_level) != level) {
                            continue;
                        }
                    }
                    /* Named entries come first; once past them the best
                     * so far wins. */
                    if (!named && best != NULL) {
                        break;
                    }
                    if (!named && (e.hwcap & hwcap_exclude) != 0) {
                        continue;
                    }
                    if ((e.hwcap & PLATFORM_BITS) != 0 &&
                        (e.hwcap & PLATFORM_BITS) != platform_bit) {
                        continue;
                    }
                    if (named) {
                        uint32_t prio =
                            hwcaps_priority(c, (uint32_t)e.hwcap, pf);
                        if (prio == 0) {
                            continue;
                        }
                        if (best != NULL && prio >= best_priority) {
                            continue;
                        }
                        best_priority = prio;
                    }
                }
                best = value;
                if (!named) {
                    break;
                }
            } while (++middle <= right);
            break;
        }
        if (cmpres < 0) {
            left = middle + 1;
        } else {
            right = middle - 1;
        }
    }
    return best;
}
