/*
 * A loadable object read the way ld.so reads it, for the loader emulation:
 * the ELF header, the program headers, PT_DYNAMIC and what it points at
 * (DT_NEEDED and friends, the symbol hash tables, the version tables) and
 * PT_INTERP. Section headers are never consulted, as ld.so never consults
 * them. Two ways to read, chosen by the caller:
 *  - mapped (for objects looked up again and again): the file is mapped
 *    read-only, as ld.so maps it, and its descriptor closed once the
 *    dynamic section is read (with pread: see reach); only
 *    the pages of the tables a lookup touches are ever read, and the kernel
 *    maps the page-cache pages around each fault, so no byte is copied;
 *  - read (for an object read once, and whatever mmap() refuses): a first
 *    pread of HEAD_BYTES, then each table with pread as it is needed, big
 *    tables in windows, into buffers that trimming or closing frees for
 *    reuse. A parked object (descriptor closed) is opened again by path
 *    when a read needs it, and only if it is still the same file.
 *
 * Why not ep_object_open(): it classifies a file for `inspect` (sections,
 * notes, .comment, libelf's descriptors) at about ten times the cost of
 * what the loader reads, and `extprobe deps` opens every object of a tree
 * on every run. Files this reader finds damaged are handed to
 * ep_object_open() by the caller for the exact diagnosis.
 *
 * Only objects of the host's class and byte order are read past the ELF
 * header: ld.so refuses the others at open_verify, so their tables never
 * matter. Which candidate symbol binds (versions, weak, hidden) is decided
 * in lib/loader/.
 */
#include "elf/dynread.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strbuf.h"

#include <elf.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_DATA ELFDATA2LSB
#else
#define HOST_DATA ELFDATA2MSB
#endif

#if UINTPTR_MAX == 0xffffffffffffffffu
#define HOST_CLASS ELFCLASS64
typedef Elf64_Ehdr ehdr_t;
typedef Elf64_Phdr phdr_t;
typedef Elf64_Dyn dyn_t;
typedef Elf64_Sym sym_t;
typedef uint64_t bloom_t;
#else
#define HOST_CLASS ELFCLASS32
typedef Elf32_Ehdr ehdr_t;
typedef Elf32_Phdr phdr_t;
typedef Elf32_Dyn dyn_t;
typedef Elf32_Sym sym_t;
typedef uint32_t bloom_t;
#endif

/* Limits on what a hostile header can make us read: far beyond real
 * objects (libLLVM has under a million symbols, a few KB of dynamic
 * section). */
#define MAX_SYMS (16u * 1024 * 1024)
#define MAX_PHDRS 4096
#define MAX_DYN_BYTES (1u << 20)
#define MAX_VERSION_ENTRIES 65536
/* First read of a table whose size the dynamic section does not give. */
#define GUESS_BYTES 4096
/* The same for the version tables: a library's requirements take a few
 * hundred bytes, libc's definitions 1.4 KiB. A read costs less here than
 * the fresh page a larger guess touches. */
#define VERSION_GUESS 1024
/* The hash tables' header: their size follows from it. */
#define HASH_HEADER 16
/* The first read of a file (not mapped): the ELF header, the program
 * headers and, for small objects, the tables the linker puts after them.
 * 4, 8 and 16 KiB measured the same over /usr/lib/x86_64-linux-gnu. */
#define HEAD_BYTES 8192

/* One table: where it is in the file and, once read, its bytes. Big
 * tables of fixed-size entries (.dynsym, .gnu.version, the GNU hash chains)
 * are read in windows of whole entries as lookups reach them: a lookup
 * touches a few entries of thousands. */
typedef struct tab {
    uint64_t off;              /* file offset */
    uint64_t len;              /* bytes wanted so far (the size, windowed) */
    const unsigned char *data; /* NULL until read (not windowed) */
    unsigned char *buf;        /* data when read into memory, not mapped */
    uint64_t have;             /* bytes read */
    bool present;
    bool borrowed;       /* data points into the first read (not buf) */
    uint32_t unit;       /* window bytes, 0: read whole */
    unsigned char **win; /* windows, NULL until read */
    size_t nwin;
} tab;

#define WINDOW 4096

/* A string of DT_STRTAB too long for the window it starts in. */
typedef struct long_str {
    struct long_str *next;
    uint64_t off;
    char s[];
} long_str;

struct ep_elf_symtab {
    int fd;     /* -1 while parked, or once mapped */
    char *path; /* to open it again after parking */
    struct stat sb;
    const unsigned char *map;  /* the whole file, or NULL */
    size_t bytes;              /* of the file, held in memory */
    const unsigned char *head; /* the map, or the first HEAD_BYTES */
    unsigned char *head_buf;
    size_t nhead;
    int head_errno; /* errno of a failed first read, or 0 */
    ep_elf_dynfacts facts;
    phdr_t *phdrs;
    size_t nphdrs;
    char *interp;
    bool usable; /* the dynamic tables were found */
    uint64_t nsyms;
    tab dyn, sym, str, versym, hash, chain, verneed, verdef;
    bool gnu; /* hash is DT_GNU_HASH (else DT_HASH) */
    uint32_t nbuckets, symoffset, bloom_size, bloom_shift;
    uint64_t bloom_rel, buckets_rel, chain_rel; /* offsets inside hash */
    const char **lists;     /* storage of the facts' string lists */
    struct long_str *longs; /* strings longer than a window's tail */
    char *undef_names;      /* names of the undefined symbols, as walked */
    struct undef *undefs;   /* read ahead for the next undefined walk */
    size_t nundefs;
    ep_status undefs_st; /* of that read (a cut table: malformed) */
    bool undefs_ready;
};

uint32_t
ep_elf_gnu_hash(const char *name)
{
    /* dl-hash.h _dl_new_hash: h = h * 33 + c from 5381. */
    uint32_t h = 5381;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h = h * 33 + *p;
    }
    return h;
}

uint32_t
ep_elf_sysv_hash(const char *name)
{
    /* The System V ABI hash, also used for version names (vd_hash). */
    uint32_t h = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h = (h << 4) + *p;
        uint32_t g = h & 0xf0000000u;
        h ^= g >> 24;
        h &= ~g;
    }
    return h;
}

/* The descriptor of a parked object, opened again: only if the path still
 * names the file that was read. */
static bool
ensure_open(ep_elf_symtab *t)
{
    if (t->fd >= 0) {
        return true;
    }
    if (t->path == NULL) {
        return false;
    }
    int fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return false;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || sb.st_dev != t->sb.st_dev ||
        sb.st_ino != t->sb.st_ino || sb.st_size != t->sb.st_size ||
        sb.st_mtim.tv_sec != t->sb.st_mtim.tv_sec ||
        sb.st_mtim.tv_nsec != t->sb.st_mtim.tv_nsec) {
        close(fd);
        return false;
    }
    t->fd = fd;
    return true;
}

static bool pread_all(int fd, void *buf, size_t n, uint64_t off);

/* Read exactly n bytes at off, from the first read when it holds them;
 * false on a short read or an error. */
static bool
fetch(ep_elf_symtab *t, void *buf, size_t n, uint64_t off)
{
    if (off <= t->nhead && n <= t->nhead - off) {
        memcpy(buf, t->head + off, n);
        return true;
    }
    return ensure_open(t) && pread_all(t->fd, buf, n, off);
}

/* While a mapped file's descriptor is still open (its load), bytes on a
 * page no lookup touches (the dynamic section in the data segment, libc's
 * PT_INTERP in its .rodata) are read: a system call costs less than the
 * fault that maps 16 pages (a tenth of a millisecond over an extension
 * module's tree). Otherwise as fetch. */
static bool
read_aside(ep_elf_symtab *t, void *buf, size_t n, uint64_t off)
{
    return t->map != NULL && t->fd >= 0 ? pread_all(t->fd, buf, n, off)
                                        : fetch(t, buf, n, off);
}

static bool
pread_all(int fd, void *buf, size_t n, uint64_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return false;
        }
        got += (size_t)r;
    }
    return true;
}

/* The bytes [off, off + n) of the file when the first read holds them (a
 * table or window there is used in place: no copy, no fresh memory), else
 * NULL. */
static const unsigned char *
from_head(const ep_elf_symtab *t, uint64_t off, uint64_t n)
{
    if (t->head_buf == NULL || off > t->nhead || n > t->nhead - off) {
        return NULL;
    }
    return t->head_buf + off;
}

/* Whether p is a window used in place in the first read (not to free). */
static bool
is_borrowed(const ep_elf_symtab *t, const unsigned char *p)
{
    return t->head_buf != NULL && p >= t->head_buf &&
           p <= t->head_buf + t->nhead;
}

/* Make [rel, rel + len) of table x readable; false when it lies outside
 * the file or cannot be read. A table grows by doubling, so a chain walk
 * through a table of unknown size costs a few reads at most. */
static bool
reach(ep_elf_symtab *t, tab *x, uint64_t rel, uint64_t len)
{
    if (!x->present || len > UINT64_MAX - rel) {
        return false;
    }
    uint64_t end = rel + len;
    if (x->data != NULL && end <= x->have) {
        return true;
    }
    if (t->map != NULL) {
        /* Mapped: the table is readable to the end of the file. */
        uint64_t size = (uint64_t)t->sb.st_size;
        if (x->off > size || end > size - x->off) {
            return false;
        }
        if (x == &t->dyn && t->fd >= 0 && x->len >= end &&
            x->len <= MAX_DYN_BYTES) {
            unsigned char *p = malloc((size_t)x->len + 1);
            if (p != NULL && read_aside(t, p, (size_t)x->len, x->off)) {
                p[x->len] = '\0';
                x->buf = p;
                x->data = p;
                x->have = x->len;
                return true;
            }
            free(p);
        }
        x->data = t->map + x->off;
        x->have = size - x->off;
        return true;
    }
    if (x->data == NULL && (x->data = from_head(t, x->off, 0)) != NULL) {
        /* The first read holds the table's start: used in place while
         * that is enough. */
        x->borrowed = true;
        x->have = t->nhead - x->off;
        if (end <= x->have) {
            return true;
        }
    }
    uint64_t want = x->len > end ? x->len : end;
    if (x->data != NULL && want < 2 * x->have) {
        want = 2 * x->have;
    }
    uint64_t size = (uint64_t)t->sb.st_size;
    if (x->off > size) {
        return false;
    }
    if (want > size - x->off) {
        want = size - x->off;
    }
    if (end > want || want > SIZE_MAX - 1 || want == 0) {
        return false;
    }
    /* One spare NUL byte: string reads can never run off the buffer. */
    unsigned char *p = realloc(x->buf, (size_t)want + 1);
    if (p == NULL) {
        return false;
    }
    if (x->borrowed) {
        memcpy(p, x->data, (size_t)x->have);
        t->bytes += (size_t)x->have;
        x->borrowed = false;
    }
    x->buf = p;
    x->data = p;
    if (!fetch(t, p + x->have, (size_t)(want - x->have), x->off + x->have)) {
        return false;
    }
    p[want] = '\0';
    t->bytes += (size_t)(want - x->have);
    x->have = want;
    x->len = want;
    return true;
}

static void
free_tab(const ep_elf_symtab *t, tab *x)
{
    free(x->buf);
    x->buf = NULL;
    x->data = NULL;
    x->borrowed = false;
    x->have = 0;
    for (size_t i = 0; i < x->nwin && x->win != NULL; i++) {
        if (!is_borrowed(t, x->win[i])) {
            free(x->win[i]);
        }
    }
    free(x->win);
    x->win = NULL;
    x->nwin = 0;
}

/* Every table but the hash header, which a trimmed symtab keeps. */
static void
free_tables(ep_elf_symtab *t)
{
    free_tab(t, &t->dyn);
    free_tab(t, &t->sym);
    free_tab(t, &t->str);
    free_tab(t, &t->versym);
    free_tab(t, &t->chain);
    free_tab(t, &t->verneed);
    free_tab(t, &t->verdef);
}

/* Entry i (of size bytes) of a windowed table; NULL outside it or when it
 * cannot be read. */
static const unsigned char *
entry(ep_elf_symtab *t, tab *x, uint64_t i, uint32_t size)
{
    if (!x->present || x->unit == 0 || i >= x->len / size) {
        return NULL;
    }
    if (t->map != NULL) {
        uint64_t size_f = (uint64_t)t->sb.st_size;
        uint64_t at = i * size;
        if (x->off > size_f || at > size_f - x->off ||
            size > size_f - x->off - at) {
            return NULL;
        }
        return t->map + x->off + at;
    }
    uint32_t per = x->unit / size;
    uint64_t w = i / per;
    if (x->win == NULL) {
        x->nwin = (size_t)((x->len / size + per - 1) / per);
        x->win = calloc(x->nwin ? x->nwin : 1, sizeof(*x->win));
        if (x->win == NULL) {
            x->nwin = 0;
            return NULL;
        }
    }
    if (x->win[w] == NULL) {
        uint64_t start = w * per * size;
        uint64_t n = x->len - start < (uint64_t)per * size
                         ? x->len - start
                         : (uint64_t)per * size;
        const unsigned char *in = from_head(t, x->off + start, n);
        if (in != NULL) {
            x->win[w] = (unsigned char *)in;
            return in + (i % per) * size;
        }
        unsigned char *p = malloc((size_t)n);
        if (p == NULL ||
            !ep_range_ok(x->off + start, n, (uint64_t)t->sb.st_size) ||
            !fetch(t, p, (size_t)n, x->off + start)) {
            free(p);
            return NULL;
        }
        x->win[w] = p;
        t->bytes += (size_t)n;
    }
    return x->win[w] + (i % per) * size;
}

void
ep_elf_symtab_close(ep_elf_symtab *t)
{
    if (t == NULL) {
        return;
    }
    if (t->fd >= 0) {
        close(t->fd);
    }
    free_tables(t);
    free_tab(t, &t->hash);
    if (t->map != NULL) {
        munmap((void *)t->map, (size_t)t->sb.st_size);
    }
    free(t->head_buf);
    free(t->phdrs);
    free(t->interp);
    free(t->lists);
    free(t->facts.owned[0]);
    free(t->facts.owned[1]);
    while (t->longs != NULL) {
        struct long_str *next = t->longs->next;
        free(t->longs);
        t->longs = next;
    }
    free(t->undef_names);
    t->undef_names = NULL;
    free(t->undefs);
    free(t->path);
    free(t);
}

void
ep_elf_symtab_park(ep_elf_symtab *t)
{
    if (t != NULL && t->fd >= 0 && t->path != NULL) {
        close(t->fd);
        t->fd = -1;
    }
}

bool
ep_elf_symtab_adopt(ep_elf_symtab *keep, ep_elf_symtab *fresh)
{
    bool took = false;
    if (keep != NULL && fresh != NULL && keep->map == NULL && keep->fd < 0 &&
        keep->path != NULL && fresh->fd >= 0 &&
        fresh->sb.st_dev == keep->sb.st_dev &&
        fresh->sb.st_ino == keep->sb.st_ino &&
        fresh->sb.st_size == keep->sb.st_size &&
        fresh->sb.st_mtim.tv_sec == keep->sb.st_mtim.tv_sec &&
        fresh->sb.st_mtim.tv_nsec == keep->sb.st_mtim.tv_nsec) {
        keep->fd = fresh->fd;
        fresh->fd = -1;
        took = true;
        if (keep->head_buf == NULL && fresh->head_buf != NULL &&
            fresh->head_errno == 0) {
            keep->head_buf = fresh->head_buf;
            keep->head = fresh->head_buf;
            keep->nhead = fresh->nhead;
            keep->bytes += fresh->nhead;
            fresh->head_buf = NULL;
            fresh->head = NULL;
            fresh->nhead = 0;
        }
    }
    ep_elf_symtab_close(fresh);
    return took;
}

bool
ep_elf_symtab_is_open(const ep_elf_symtab *t)
{
    return t != NULL && t->fd >= 0;
}

void
ep_elf_symtab_trim(ep_elf_symtab *t)
{
    if (t != NULL && t->map != NULL) {
        /* A mapping holds page-cache pages, not memory of ours: dropping
         * them would cost a system call and a page-table walk now and
         * faults at the next touch, and free nothing. */
        return;
    }
    if (t == NULL || t->path == NULL) {
        return; /* not a regular file: nothing to read again from */
    }
    ep_elf_symtab_park(t);
    /* The hash header (bloom filter and buckets) stays: every lookup
     * starts there, and a tree looks most of its objects up. */
    free_tables(t);
    if (t->hash.borrowed) {
        /* The hash header stays: a copy of what lookups read of it. */
        uint64_t keep = t->gnu ? t->chain_rel : t->hash.len;
        keep = keep < t->hash.have ? keep : t->hash.have;
        unsigned char *p = malloc((size_t)keep + 1);
        if (p == NULL) {
            goto keep_head; /* out of memory: it stays where it is */
        }
        memcpy(p, t->hash.data, (size_t)keep);
        p[keep] = '\0';
        t->hash.buf = p;
        t->hash.data = p;
        t->hash.have = keep;
        t->hash.borrowed = false;
    }
    free(t->head_buf);
    t->head_buf = NULL;
    t->head = NULL;
    t->nhead = 0;
keep_head:
    free(t->lists);
    t->lists = NULL;
    free(t->facts.owned[0]);
    free(t->facts.owned[1]);
    t->facts.owned[0] = t->facts.owned[1] = NULL;
    memset(&t->facts.needed, 0, sizeof(t->facts.needed));
    memset(&t->facts.rpath, 0, sizeof(t->facts.rpath));
    memset(&t->facts.runpath, 0, sizeof(t->facts.runpath));
    t->facts.soname = NULL;
    while (t->longs != NULL) {
        struct long_str *next = t->longs->next;
        free(t->longs);
        t->longs = next;
    }
    free(t->undef_names);
    t->undef_names = NULL;
    free(t->undefs);
    t->undefs = NULL;
    t->undefs_ready = false;
    t->bytes = (size_t)t->hash.have + t->nphdrs * sizeof(*t->phdrs);
}

void
ep_elf_symtab_loaded(ep_elf_symtab *t)
{
    if (t == NULL) {
        return;
    }
    free_tab(t, &t->dyn);
    if (t->map != NULL) {
        return;
    }
    free_tab(t, &t->verneed);
    free_tab(t, &t->verdef);
    /* The first read goes too when no lookup table starts in it (a big
     * object: libc's tables lie past its first 8 KiB): held through the
     * loads of the rest of the tree, it would cost fresh pages. A small
     * object's tables are used in place there, so it stays. Only a
     * regular file can be read again. */
    const tab *look[] = {&t->sym, &t->str, &t->versym, &t->hash, &t->chain};
    if (t->head_buf == NULL || t->path == NULL) {
        return;
    }
    for (size_t i = 0; i < sizeof(look) / sizeof(look[0]); i++) {
        if (look[i]->present && look[i]->off < t->nhead) {
            return;
        }
    }
    t->bytes -= t->nhead;
    free(t->head_buf);
    t->head_buf = NULL;
    t->head = NULL;
    t->nhead = 0;
}

size_t
ep_elf_symtab_bytes(const ep_elf_symtab *t)
{
    if (t != NULL && t->map != NULL) {
        /* What lookups may touch of the mapping: the tables. */
        return (size_t)(t->dyn.len + t->sym.len + t->str.len + t->versym.len +
                        t->hash.len + t->chain.len) +
               t->nphdrs * sizeof(*t->phdrs);
    }
    return t ? t->bytes : 0;
}

ep_status
ep_elf_symtab_openfile(const char *path, bool map, ep_elf_symtab **out,
                       int *errnum, ep_error *err)
{
    *out = NULL;
    *errnum = 0;
    ep_elf_symtab *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
    }
    /* O_NONBLOCK: a FIFO where a library should be must not hang us (ld.so
     * would block in open). */
    t->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (t->fd < 0) {
        *errnum = errno;
        free(t);
        return ep_fail_errno(err, *errnum, "%s", path);
    }
    if (fstat(t->fd, &t->sb) != 0) {
        *errnum = errno;
        ep_elf_symtab_close(t);
        return ep_fail_errno(err, *errnum, "%s", path);
    }
    if (map && S_ISREG(t->sb.st_mode) && t->sb.st_size > 0 &&
        (uint64_t)t->sb.st_size <= SIZE_MAX) {
        void *m =
            mmap(NULL, (size_t)t->sb.st_size, PROT_READ, MAP_PRIVATE, t->fd, 0);
        if (m != MAP_FAILED) {
            t->map = m;
            t->head = m;
            t->nhead = (size_t)t->sb.st_size;
            /* Open until ep_elf_symtab_load has read the dynamic section
             * (see reach). */
            *out = t;
            return EP_OK;
        }
    }
    t->head_buf = malloc(HEAD_BYTES + 1);
    t->head = t->head_buf;
    /* Only a regular file can be read again after parking. */
    t->path = S_ISREG(t->sb.st_mode) ? strdup(path) : NULL;
    if (t->head == NULL || (S_ISREG(t->sb.st_mode) && t->path == NULL)) {
        ep_elf_symtab_close(t);
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
    }
    /* open_verify reads the header with read() until it has one; a
     * regular file gets one larger read that most tables fall into. */
    size_t want = S_ISREG(t->sb.st_mode) ? HEAD_BYTES : sizeof(ehdr_t);
    unsigned char *hb = t->head_buf;
    while (t->nhead < want) {
        ssize_t r =
            S_ISREG(t->sb.st_mode)
                ? pread(t->fd, hb + t->nhead, want - t->nhead, (off_t)t->nhead)
                : read(t->fd, hb + t->nhead, want - t->nhead);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            t->head_errno = r < 0 ? errno : 0;
            break;
        }
        t->nhead += (size_t)r;
    }
    hb[t->nhead] = '\0';
    t->bytes = t->nhead;
    *out = t;
    return EP_OK;
}

const unsigned char *
ep_elf_symtab_head(const ep_elf_symtab *t, size_t *len, int *read_errno)
{
    *len = t->nhead < sizeof(ehdr_t) ? t->nhead : sizeof(ehdr_t);
    *read_errno = t->head_errno;
    return t->head;
}

const struct stat *
ep_elf_symtab_stat(const ep_elf_symtab *t)
{
    return &t->sb;
}

/* File offset of a virtual address, through the PT_LOAD segments. */
static bool
to_offset(const ep_elf_symtab *t, uint64_t vaddr, uint64_t *off)
{
    for (size_t i = 0; i < t->nphdrs; i++) {
        const phdr_t *ph = &t->phdrs[i];
        if (ph->p_type == PT_LOAD && vaddr >= ph->p_vaddr &&
            vaddr - ph->p_vaddr < ph->p_filesz) {
            *off = ph->p_offset + (vaddr - ph->p_vaddr);
            return true;
        }
    }
    return false;
}

/* The dynamic entries the emulation needs. */
typedef struct dyn_tables {
    uint64_t symtab, strtab, strsz, syment, versym, gnu_hash, hash;
    uint64_t verneed, verdef;
    bool have_symtab, have_strtab, have_versym, have_gnu, have_hash;
    bool have_verneed, have_verdef;
    size_t nneeded, nrpath, nrunpath;
    uint64_t soname, rpath, runpath;
    bool have_soname, have_rpath, have_runpath;
} dyn_tables;

static void
note_table(ep_elf_symtab *t, const dyn_t *d, dyn_tables *dt)
{
    uint64_t *where = NULL;
    bool *have = NULL;
    switch (d->d_tag) {
    case DT_SYMTAB:
        where = &dt->symtab, have = &dt->have_symtab;
        break;
    case DT_STRTAB:
        where = &dt->strtab, have = &dt->have_strtab;
        break;
    case DT_VERSYM:
        where = &dt->versym, have = &dt->have_versym;
        break;
    case DT_GNU_HASH:
        where = &dt->gnu_hash, have = &dt->have_gnu;
        break;
    case DT_HASH:
        where = &dt->hash, have = &dt->have_hash;
        break;
    case DT_VERNEED:
        where = &dt->verneed, have = &dt->have_verneed;
        break;
    case DT_VERDEF:
        where = &dt->verdef, have = &dt->have_verdef;
        break;
    case DT_STRSZ:
        dt->strsz = d->d_un.d_val;
        return;
    case DT_SYMENT:
        dt->syment = d->d_un.d_val;
        return;
    /* elf/get-dynamic-info.h keeps the last entry of a tag. */
    case DT_SONAME:
        dt->soname = d->d_un.d_val, dt->have_soname = true;
        return;
    case DT_RPATH:
        dt->rpath = d->d_un.d_val, dt->have_rpath = true;
        return;
    case DT_RUNPATH:
        dt->runpath = d->d_un.d_val, dt->have_runpath = true;
        return;
    case DT_NEEDED:
        dt->nneeded++;
        return;
    case DT_FLAGS:
        t->facts.flags = d->d_un.d_val;
        return;
    case DT_FLAGS_1:
        t->facts.flags_1 = d->d_un.d_val;
        return;
    case 36: /* DT_RELR (elf.h names it from glibc 2.36 on) */
        t->facts.has_relr = true;
        return;
    default:
        return;
    }
    *have = to_offset(t, d->d_un.d_ptr, where);
}

/* DT_STRTAB is read in windows too, each with a tail of STR_OVERLAP bytes
 * so that a string starting in a window almost always ends in it; a longer
 * one gets a read of its own. */
#define STR_OVERLAP 512

/* A string of DT_STRTAB, or NULL when it does not start inside it or runs
 * past its end. */
static const char *
dyn_string_len(ep_elf_symtab *t, uint64_t off, size_t *len)
{
    tab *x = &t->str;
    if (!x->present || off >= x->len) {
        return NULL;
    }
    if (t->map != NULL) {
        uint64_t size = (uint64_t)t->sb.st_size;
        uint64_t end = x->len;
        if (x->off > size) {
            return NULL;
        }
        if (end > size - x->off) {
            end = size - x->off;
        }
        if (off >= end) {
            return NULL;
        }
        const char *str = (const char *)t->map + x->off + off;
        const char *nul = memchr(str, '\0', (size_t)(end - off));
        if (nul == NULL) {
            return NULL;
        }
        if (len != NULL) {
            *len = (size_t)(nul - str);
        }
        return str;
    }
    const uint64_t window = x->unit ? x->unit : WINDOW;
    uint64_t w = off / window;
    if (x->win == NULL) {
        x->nwin = (size_t)((x->len + window - 1) / window);
        x->win = calloc(x->nwin, sizeof(*x->win));
        if (x->win == NULL) {
            x->nwin = 0;
            return NULL;
        }
    }
    uint64_t start = w * window;
    uint64_t n = x->len - start;
    if (n > window + STR_OVERLAP) {
        n = window + STR_OVERLAP;
    }
    if (x->win[w] == NULL) {
        x->win[w] = (unsigned char *)from_head(t, x->off + start, n);
    }
    if (x->win[w] == NULL) {
        unsigned char *p = malloc((size_t)n + 1);
        if (p == NULL || !fetch(t, p, (size_t)n, x->off + start)) {
            free(p);
            return NULL;
        }
        p[n] = '\0';
        x->win[w] = p;
        t->bytes += (size_t)n;
    }
    const char *str = (const char *)x->win[w] + (off - start);
    size_t room = (size_t)(n - (off - start));
    const char *nul = memchr(str, '\0', room);
    if (nul != NULL) {
        if (len != NULL) {
            *len = (size_t)(nul - str);
        }
        return str;
    }
    if (start + n >= x->len) {
        return NULL; /* the table ends before the string does */
    }
    for (long_str *l = t->longs; l != NULL; l = l->next) {
        if (l->off == off) {
            if (len != NULL) {
                *len = strlen(l->s);
            }
            return l->s;
        }
    }
    /* A long string (a C++ name, a long RPATH): read until its NUL. */
    size_t cap = 2 * room;
    for (;;) {
        if (cap > x->len - off) {
            cap = (size_t)(x->len - off);
        }
        long_str *l = malloc(sizeof(*l) + cap + 1);
        if (l == NULL || !fetch(t, l->s, cap, x->off + off)) {
            free(l);
            return NULL;
        }
        l->s[cap] = '\0';
        if (memchr(l->s, '\0', cap) != NULL) {
            l->off = off;
            l->next = t->longs;
            t->longs = l;
            t->bytes += cap;
            if (len != NULL) {
                *len = strlen(l->s);
            }
            return l->s;
        }
        free(l);
        if (cap == x->len - off) {
            return NULL;
        }
        cap *= 2;
    }
}

static const char *
dyn_string(ep_elf_symtab *t, uint64_t off)
{
    return dyn_string_len(t, off, NULL);
}

/* Split a search path at ':' keeping empty elements (an empty element is
 * the working directory to ld.so), into lists[*at ...]. */
static size_t
split_into(const char **lists, size_t at, char *s)
{
    size_t n = 0;
    for (;;) {
        lists[at + n++] = s;
        char *colon = strchr(s, ':');
        if (colon == NULL) {
            return n;
        }
        *colon = '\0';
        s = colon + 1;
    }
}

static size_t
count_colons(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += *s == ':';
    }
    return n;
}

/* The DT_GNU_HASH header; false when the table is unusable (ld.so needs a
 * power-of-two bloom size and buckets, or its modulo arithmetic faults). */
static bool
setup_gnu(ep_elf_symtab *t)
{
    uint32_t h[4];
    if (!reach(t, &t->hash, 0, sizeof(h))) {
        return false;
    }
    memcpy(h, t->hash.data, sizeof(h));
    t->nbuckets = h[0];
    t->symoffset = h[1];
    t->bloom_size = h[2];
    t->bloom_shift = h[3];
    t->bloom_rel = 16;
    t->buckets_rel = t->bloom_rel + (uint64_t)t->bloom_size * sizeof(bloom_t);
    t->chain_rel = t->buckets_rel + (uint64_t)t->nbuckets * 4;
    if (t->nbuckets == 0 || t->bloom_size == 0 ||
        (t->bloom_size & (t->bloom_size - 1)) != 0) {
        return false;
    }
    return reach(t, &t->hash, 0, t->chain_rel);
}

static bool
word(ep_elf_symtab *t, tab *x, uint64_t rel, uint32_t *w)
{
    if (!reach(t, x, rel, 4)) {
        return false;
    }
    memcpy(w, x->data + rel, 4);
    return true;
}

/* Number of dynamic symbols, as tools without section headers must find
 * it: DT_HASH's nchain, else walk the GNU chains from the highest bucket to
 * the end bit. */
static uint64_t
count_symbols(ep_elf_symtab *t, const dyn_tables *dt)
{
    if (!t->gnu) {
        uint32_t nchain;
        return word(t, &t->hash, 4, &nchain) ? nchain : 0;
    }
    if (dt->have_hash) {
        tab h = {.off = dt->hash, .len = 8, .present = true};
        uint32_t nchain;
        size_t held = t->bytes;
        bool ok = word(t, &h, 4, &nchain);
        free_tab(t, &h);
        t->bytes = held;
        if (ok) {
            return nchain;
        }
    }
    uint32_t top = 0;
    for (uint32_t b = 0; b < t->nbuckets; b++) {
        uint32_t v;
        memcpy(&v, t->hash.data + t->buckets_rel + (uint64_t)b * 4, 4);
        top = v > top ? v : top;
    }
    if (top < t->symoffset) {
        return t->symoffset;
    }
    /* The chain's length is what we are after: read it in growing
     * pieces from the file. */
    tab walk = {
        .off = t->hash.off + t->chain_rel, .len = GUESS_BYTES, .present = true};
    uint64_t n = MAX_SYMS;
    size_t held = t->bytes;
    for (uint64_t i = top; i < MAX_SYMS; i++) {
        uint32_t w;
        if (!word(t, &walk, (i - t->symoffset) * 4, &w)) {
            n = i;
            break;
        }
        if (w & 1) {
            n = i + 1;
            break;
        }
    }
    free_tab(t, &walk);
    t->bytes = held;
    return n;
}

/* A windowed table up to this size, lying wholly inside the file, is read
 * in one piece at its first use: one pread where a lookup would take one
 * per window touched (a pread costs more than copying a few KiB). */
#define SMALL_TABLE (128u * 1024)

static void
whole_if_small(const ep_elf_symtab *t, tab *x)
{
    if (x->present && x->len > 0 && x->len <= SMALL_TABLE &&
        ep_range_ok(x->off, x->len, (uint64_t)t->sb.st_size)) {
        x->unit = (uint32_t)x->len;
    }
}

static void
set_tab(tab *x, bool present, uint64_t off, uint64_t len)
{
    x->present = present;
    x->off = off;
    x->len = len;
}

/* Symbol tables from the dynamic entries; the object then resolves
 * nothing when they are missing or malformed, as for ld.so. */
static void
setup_symbols(ep_elf_symtab *t, const dyn_tables *dt)
{
    if (!dt->have_symtab || (dt->syment != 0 && dt->syment != sizeof(sym_t))) {
        return;
    }
    set_tab(&t->verneed, dt->have_verneed, dt->verneed, VERSION_GUESS);
    set_tab(&t->verdef, dt->have_verdef, dt->verdef, VERSION_GUESS);
    /* ld.so prefers DT_GNU_HASH when both are there (dl-lookup.c
     * _dl_setup_hash). */
    set_tab(&t->hash, dt->have_gnu || dt->have_hash,
            dt->have_gnu ? dt->gnu_hash : dt->hash, HASH_HEADER);
    t->gnu = dt->have_gnu;
    if (t->gnu && !setup_gnu(t)) {
        t->hash.present = false;
    }
    if (!t->gnu && t->hash.present) {
        uint32_t nb = 0;
        if (!word(t, &t->hash, 0, &nb) || nb == 0) {
            t->hash.present = false;
        }
        t->nbuckets = nb;
    }
    t->nsyms = t->hash.present ? count_symbols(t, dt) : 0;
    if (t->nsyms > MAX_SYMS) {
        t->nsyms = 0;
    }
    if (t->hash.present && t->gnu) {
        set_tab(&t->chain, true, t->hash.off + t->chain_rel,
                t->nsyms > t->symoffset ? (t->nsyms - t->symoffset) * 4 : 0);
        t->chain.unit = WINDOW;
    } else if (t->hash.present) {
        t->hash.len = 8 + ((uint64_t)t->nbuckets + t->nsyms) * 4;
    }
    set_tab(&t->sym, true, dt->symtab, t->nsyms * sizeof(sym_t));
    t->sym.unit = WINDOW / sizeof(sym_t) * sizeof(sym_t);
    set_tab(&t->versym, dt->have_versym, dt->versym, t->nsyms * 2);
    t->versym.unit = WINDOW;
    whole_if_small(t, &t->chain);
    whole_if_small(t, &t->sym);
    whole_if_small(t, &t->versym);
    t->usable = true;
}

/* Fill the facts from the dynamic section; false (with why) when it is
 * damaged in a way ld.so would fail on. */
static bool
read_dynamic(ep_elf_symtab *t, const phdr_t *ph, const char **why)
{
    if (ph->p_filesz > MAX_DYN_BYTES ||
        !ep_range_ok(ph->p_offset, ph->p_filesz, (uint64_t)t->sb.st_size)) {
        *why = "the dynamic segment lies outside the file";
        return false;
    }
    set_tab(&t->dyn, true, ph->p_offset, ph->p_filesz);
    size_t ndyn = (size_t)(ph->p_filesz / sizeof(dyn_t));
    if (ndyn == 0 || !reach(t, &t->dyn, 0, ndyn * sizeof(dyn_t))) {
        *why = "the dynamic segment cannot be read";
        return false;
    }
    dyn_tables dt;
    memset(&dt, 0, sizeof(dt));
    const dyn_t *d = (const dyn_t *)(void *)t->dyn.data;
    size_t n = 0;
    for (; n < ndyn; n++) {
        dyn_t e;
        memcpy(&e, &d[n], sizeof(e));
        if (e.d_tag == DT_NULL) {
            break;
        }
        note_table(t, &e, &dt);
    }
    t->facts.has_dynamic = true;
    if (!dt.have_strtab) {
        if (dt.nneeded || dt.have_soname || dt.have_rpath || dt.have_runpath) {
            *why = "DT_STRTAB is missing or outside the loaded segments";
            return false;
        }
        return true;
    }
    set_tab(&t->str, true, dt.strtab, dt.strsz);
    /* DT_STRTAB in windows of WINDOW bytes: loading reads a few strings
     * (SONAME, DT_NEEDED, versions), and a tree looks its objects up one
     * after the other, so a whole table read at load would be held
     * through the loads of all the others. */
    if (!ep_range_ok(dt.strtab, dt.strsz, (uint64_t)t->sb.st_size)) {
        *why = "the dynamic string table lies outside the file";
        return false;
    }
    /* DT_RPATH is split at ':' and DT_RUNPATH too; the strings are copied
     * out of the table into the facts' own storage. */
    const char *soname = dt.have_soname ? dyn_string(t, dt.soname) : NULL;
    char *rpath = NULL, *runpath = NULL;
    if (dt.have_rpath && (rpath = (char *)dyn_string(t, dt.rpath)) != NULL) {
        rpath = strdup(rpath);
    }
    if (dt.have_runpath &&
        (runpath = (char *)dyn_string(t, dt.runpath)) != NULL) {
        runpath = strdup(runpath);
    }
    if ((dt.have_soname && soname == NULL) ||
        (dt.have_rpath && rpath == NULL) ||
        (dt.have_runpath && runpath == NULL)) {
        free(rpath);
        free(runpath);
        *why = "a dynamic entry points outside the dynamic string table";
        return false;
    }
    size_t nr = rpath ? count_colons(rpath) + 1 : 0;
    size_t nrun = runpath ? count_colons(runpath) + 1 : 0;
    t->lists = calloc(dt.nneeded + nr + nrun + 2, sizeof(*t->lists));
    if (t->lists == NULL) {
        free(rpath);
        free(runpath);
        *why = "out of memory";
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        dyn_t e;
        memcpy(&e, &d[i], sizeof(e));
        if (e.d_tag == DT_NEEDED) {
            const char *s = dyn_string(t, e.d_un.d_val);
            if (s == NULL) {
                free(rpath);
                free(runpath);
                *why = "a DT_NEEDED entry points outside the dynamic string "
                       "table";
                return false;
            }
            t->lists[k++] = s;
        }
    }
    t->facts.needed.items = t->lists;
    t->facts.needed.count = k;
    /* The split copies live as long as the object: hand them to lists'
     * trailing slots so close() frees them. */
    if (rpath != NULL) {
        t->facts.rpath.items = t->lists + k;
        t->facts.rpath.count = split_into(t->lists, k, rpath);
        k += t->facts.rpath.count;
    }
    if (runpath != NULL) {
        t->facts.runpath.items = t->lists + k;
        t->facts.runpath.count = split_into(t->lists, k, runpath);
        k += t->facts.runpath.count;
    }
    t->facts.soname = soname;
    t->facts.owned[0] = rpath;
    t->facts.owned[1] = runpath;
    t->facts.has_verneed = dt.have_verneed;
    setup_symbols(t, &dt);
    return true;
}

static bool load(ep_elf_symtab *t, const ep_elf_dynfacts **facts,
                 const char **why);

bool
ep_elf_symtab_load(ep_elf_symtab *t, const ep_elf_dynfacts **facts,
                   const char **why)
{
    bool ok = load(t, facts, why);
    if (t->map != NULL && t->fd >= 0) {
        close(t->fd); /* the mapping serves from here on */
        t->fd = -1;
    }
    return ok;
}

static bool
load(ep_elf_symtab *t, const ep_elf_dynfacts **facts, const char **why)
{
    ehdr_t eh;
    *facts = &t->facts;
    *why = NULL;
    if (t->nhead < sizeof(eh) || t->head[EI_CLASS] != HOST_CLASS ||
        t->head[EI_DATA] != HOST_DATA) {
        *why = "not an object of this machine's class and byte order";
        return false;
    }
    memcpy(&eh, t->head, sizeof(eh));
    t->facts.type = eh.e_type;
    if (eh.e_phentsize != sizeof(phdr_t) || eh.e_phnum == 0 ||
        eh.e_phnum > MAX_PHDRS ||
        !ep_range_ok(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(phdr_t),
                     (uint64_t)t->sb.st_size)) {
        *why = "the program headers lie outside the file";
        return false;
    }
    t->nphdrs = eh.e_phnum;
    t->phdrs = malloc(t->nphdrs * sizeof(*t->phdrs));
    if (t->phdrs == NULL ||
        !fetch(t, t->phdrs, t->nphdrs * sizeof(*t->phdrs), eh.e_phoff)) {
        *why = "the program headers cannot be read";
        return false;
    }
    const phdr_t *dyn = NULL;
    for (size_t i = 0; i < t->nphdrs; i++) {
        const phdr_t *ph = &t->phdrs[i];
        /* _dl_map_segments: a segment past the end of the file is
         * "ELF load command past end of file". */
        if (ph->p_type == PT_LOAD &&
            !ep_range_ok(ph->p_offset, ph->p_filesz, (uint64_t)t->sb.st_size)) {
            *why = "ELF load command past end of file";
            return false;
        }
        if (ph->p_type == PT_DYNAMIC && dyn == NULL) {
            dyn = ph;
        } else if (ph->p_type == PT_INTERP && t->interp == NULL &&
                   ph->p_filesz > 1 && ph->p_filesz < 4096 &&
                   ep_range_ok(ph->p_offset, ph->p_filesz,
                               (uint64_t)t->sb.st_size)) {
            t->interp = calloc(1, (size_t)ph->p_filesz + 1);
            if (t->interp != NULL &&
                read_aside(t, t->interp, (size_t)ph->p_filesz, ph->p_offset)) {
                t->facts.interp = t->interp;
            }
        }
    }
    if (dyn == NULL) {
        return true; /* a static object: needs nothing, defines nothing */
    }
    return read_dynamic(t, dyn, why);
}

bool
ep_elf_symtab_has_versym(const ep_elf_symtab *t)
{
    return t != NULL && t->usable && t->versym.present;
}

bool
ep_elf_symtab_has_verdef(const ep_elf_symtab *t)
{
    return t != NULL && t->usable && t->verdef.present;
}

/* Whether the string at off of DT_STRTAB is want (wantlen bytes and its
 * NUL), without looking for the string's end first. */
static bool
name_is(ep_elf_symtab *t, uint64_t off, const char *want, size_t wantlen)
{
    const tab *x = &t->str;
    if (t->map != NULL) {
        uint64_t size = (uint64_t)t->sb.st_size;
        uint64_t end = x->len;
        if (!x->present || x->off > size) {
            return false;
        }
        if (end > size - x->off) {
            end = size - x->off;
        }
        if (off >= end || wantlen >= end - off) {
            return false;
        }
        return memcmp(t->map + x->off + off, want, wantlen + 1) == 0;
    }
    const char *s = dyn_string(t, off);
    return s != NULL && strcmp(s, want) == 0;
}

/* Symbol i: its name checked against want (wantlen bytes) when want is
 * set, else returned through *name with its length. */
static bool
decode(ep_elf_symtab *t, uint64_t i, ep_elf_symcand *c, const char **name,
       const char *want, size_t wantlen)
{
    const unsigned char *e = entry(t, &t->sym, i, sizeof(sym_t));
    if (e == NULL) {
        return false;
    }
    sym_t s;
    memcpy(&s, e, sizeof(s));
    if (want != NULL) {
        if (!name_is(t, s.st_name, want, wantlen)) {
            return false;
        }
        *name = want;
        c->namelen = wantlen;
    } else {
        *name = dyn_string_len(t, s.st_name, &c->namelen);
        if (*name == NULL) {
            return false;
        }
    }
    c->index = (uint32_t)i;
    c->type = ELF64_ST_TYPE(s.st_info);
    c->bind = ELF64_ST_BIND(s.st_info);
    c->shndx = s.st_shndx;
    c->value = s.st_value;
    c->versym = 0;
    const unsigned char *v = entry(t, &t->versym, i, 2);
    if (v != NULL) {
        memcpy(&c->versym, v, 2);
    }
    return true;
}

size_t
ep_elf_symtab_find(ep_elf_symtab *t, const char *name, size_t namelen,
                   uint32_t gnu_hash, uint32_t sysv_hash, ep_elf_symcand_fn fn,
                   void *ctx)
{
    size_t seen = 0;
    if (t == NULL || !t->usable || t->nsyms == 0 || !t->hash.present) {
        return 0;
    }
    ep_elf_symcand cand;
    cand.total = 0;
    const char *sname;
    if (t->gnu) {
        /* dl-lookup.c do_lookup_x: the bloom filter first, then the
         * bucket's chain of hashes, whose low bit ends the chain. */
        const uint32_t bits = sizeof(bloom_t) * 8;
        bloom_t bword;
        memcpy(&bword,
               t->hash.data + t->bloom_rel +
                   ((gnu_hash / bits) & (t->bloom_size - 1)) * sizeof(bloom_t),
               sizeof(bword));
        /* ld.so shifts its uint_fast32_t hash (64 bits here) by the
         * header's word as is, and the CPU uses the shift modulo the
         * width; in C a shift that large is undefined, so say so. */
        const unsigned hbits = sizeof(uint_fast32_t) * 8;
        bloom_t mask = ((bloom_t)1 << (gnu_hash % bits)) |
                       ((bloom_t)1 << (((uint_fast32_t)gnu_hash >>
                                        (t->bloom_shift % hbits)) %
                                       bits));
        if ((bword & mask) != mask) {
            return 0;
        }
        uint32_t i;
        memcpy(&i,
               t->hash.data + t->buckets_rel +
                   (uint64_t)(gnu_hash % t->nbuckets) * 4,
               4);
        if (i == 0 || i < t->symoffset) {
            return 0;
        }
        for (; i < t->nsyms; i++) {
            uint32_t h;
            const unsigned char *c = entry(t, &t->chain, i - t->symoffset, 4);
            if (c == NULL) {
                break;
            }
            memcpy(&h, c, 4);
            if (((h ^ gnu_hash) >> 1) == 0 &&
                decode(t, i, &cand, &sname, name, namelen)) {
                seen++;
                if (fn(&cand, ctx)) {
                    break;
                }
            }
            if (h & 1) {
                break;
            }
        }
        return seen;
    }
    uint32_t nchain = (uint32_t)t->nsyms;
    uint32_t i;
    if (sysv_hash == 0) {
        sysv_hash = ep_elf_sysv_hash(name); /* only DT_HASH objects need it */
    }
    if (!word(t, &t->hash, 8 + (uint64_t)(sysv_hash % t->nbuckets) * 4, &i)) {
        return 0;
    }
    /* A chain longer than the table has a loop: stop there. */
    for (uint32_t steps = 0; i != 0 && i < nchain && steps < nchain; steps++) {
        if (decode(t, i, &cand, &sname, name, namelen)) {
            seen++;
            if (fn(&cand, ctx)) {
                break;
            }
        }
        if (!word(t, &t->hash, 8 + (uint64_t)t->nbuckets * 4 + (uint64_t)i * 4,
                  &i)) {
            break;
        }
    }
    return seen;
}

/* 16 bytes compared at once (SSE2 on x86-64, NEON on aarch64: GCC's
 * vector extension, no intrinsics). */
typedef unsigned char bytes16 __attribute__((vector_size(16)));

/* memmem for a needle of at least two bytes: 16 positions at a time
 * test its first two bytes, and only where both match is the rest
 * compared. Over libLLVM's 3 MB DT_STRTAB, 2.5 times faster than a
 * memchr for the needle's rare second byte ('y' of "PyInit_", 1 % of the
 * bytes), which restarts at each of its 31,000 hits. */
static bool
contains(const unsigned char *hay, size_t n, const char *needle, size_t nlen)
{
    if (nlen < 2 || n < nlen) {
        return nlen == 0 || (nlen <= n && memmem(hay, n, needle, nlen));
    }
    bytes16 first, second;
    for (size_t k = 0; k < sizeof(first); k++) {
        first[k] = (unsigned char)needle[0];
        second[k] = (unsigned char)needle[1];
    }
    size_t i = 0;
    /* Each step reads hay[i, i + 17): the byte after the 16 too. */
    for (; n - i >= sizeof(first) + 1; i += sizeof(first)) {
        bytes16 a, b;
        memcpy(&a, hay + i, sizeof(a));
        memcpy(&b, hay + i + 1, sizeof(b));
        bytes16 hit = (bytes16)((a == first) & (b == second));
        uint64_t w[2];
        memcpy(w, &hit, sizeof(w));
        if ((w[0] | w[1]) == 0) {
            continue;
        }
        for (size_t k = 0; k < sizeof(hit); k++) {
            if (hit[k] && n - (i + k) >= nlen &&
                memcmp(hay + i + k + 2, needle + 2, nlen - 2) == 0) {
                return true;
            }
        }
    }
    for (; n - i >= nlen; i++) {
        if (memcmp(hay + i, needle, nlen) == 0) {
            return true;
        }
    }
    return false;
}

/* Walking the whole table reads it in chunks this big, not in windows: a
 * walk visits every entry once, so nothing is kept. */
#define WALK_CHUNK (64u * 1024)

/* Room for a name after its start in a run of the string table (a longer
 * one is read on its own). */
#define NAME_TAIL 512u

/* An undefined symbol found by the walk, waiting for its name. */
typedef struct undef {
    uint64_t value;
    uint32_t index; /* below MAX_SYMS */
    uint32_t st_name;
    uint32_t at;  /* its name's offset in the names, UINT32_MAX if unread */
    uint32_t len; /* (the names of one table fit: DT_STRSZ < 4 GiB) */
    uint16_t shndx;
    unsigned char info;
} undef;

/* Append the string at off of DT_STRTAB (chunk holds [base, base + n) of
 * it) to names; false when it cannot be read. A name running past the
 * chunk is read on its own. */
static bool
take_name(ep_elf_symtab *t, ep_strbuf *names, const unsigned char *chunk,
          uint64_t base, size_t n, undef *u)
{
    uint64_t off = u->st_name;
    if (off >= t->str.len) {
        return false;
    }
    const char *s = NULL;
    size_t len = 0;
    if (off >= base && off < base + n) {
        const unsigned char *nul =
            memchr(chunk + (off - base), '\0', (size_t)(base + n - off));
        if (nul != NULL) {
            s = (const char *)chunk + (off - base);
            len = (size_t)(nul - (chunk + (off - base)));
        }
    }
    if (s == NULL) {
        s = dyn_string_len(t, off, &len); /* a long name: its own read */
        if (s == NULL) {
            return false;
        }
    }
    size_t at = names->len;
    if (len >= UINT32_MAX || at >= UINT32_MAX - len - 1) {
        return false;
    }
    ep_strbuf_append(names, s, len + 1); /* with its NUL */
    if (names->failed) {
        return false;
    }
    u->at = (uint32_t)at;
    u->len = (uint32_t)len;
    return true;
}

/* The undefined symbols: the table in chunks, then their names, by the
 * stretch of the string table that holds their start (a counting sort),
 * into one buffer (not a window per name: a fresh page for each costs
 * more than the read), kept in t->undef_names until the object is trimmed
 * or closed. Each stretch is read once: from its first name to a name's
 * length past its last, or whole when needle is given, which is then
 * looked for in the whole table on the way (*found). Kept in t for the
 * next walk of the undefined symbols. */
static void
read_undefined(ep_elf_symtab *t, const char *needle, bool *found)
{
    const uint64_t per = WALK_CHUNK / sizeof(sym_t);
    unsigned char *buf = NULL; /* for what the first read does not hold */
    undef *us = NULL;
    uint32_t *order = NULL; /* indices into us, by string-table stretch */
    size_t nu = 0, cap = 0;
    ep_status st = EP_OK;
    bool cut = false; /* a chunk of the table could not be read */
    for (uint64_t base = 0; base < t->nsyms && st == EP_OK && !cut;
         base += per) {
        uint64_t n = t->nsyms - base < per ? t->nsyms - base : per;
        uint64_t at = t->sym.off + base * sizeof(sym_t);
        const unsigned char *p;
        if (at <= t->nhead && n * sizeof(sym_t) <= t->nhead - at) {
            p = t->head + at;
        } else if (buf == NULL && (buf = malloc(WALK_CHUNK)) == NULL) {
            st = EP_ERR_NOMEM;
            break;
        } else if (fetch(t, buf, (size_t)(n * sizeof(sym_t)), at)) {
            p = buf;
        } else {
            cut = true; /* those before it are still visited */
            break;
        }
        for (uint64_t k = base == 0 ? 1 : 0; k < n; k++) {
            sym_t sy;
            memcpy(&sy, p + k * sizeof(sym_t), sizeof(sy));
            if (sy.st_shndx != SHN_UNDEF) {
                continue;
            }
            if (nu == cap) {
                /* First as many as the unhashed symbols (where linkers put
                 * the undefined ones): one allocation, no copy. */
                size_t first = t->gnu && t->symoffset < t->nsyms
                                   ? (size_t)t->symoffset + 16
                                   : 64;
                size_t ncap = cap ? 2 * cap : first;
                undef *g = realloc(us, ncap * sizeof(*us));
                if (g == NULL) {
                    st = EP_ERR_NOMEM;
                    break;
                }
                us = g;
                cap = ncap;
            }
            undef *u = &us[nu++];
            u->index = (uint32_t)(base + k);
            u->st_name = sy.st_name;
            u->info = sy.st_info;
            u->shndx = sy.st_shndx;
            u->value = sy.st_value;
            u->at = UINT32_MAX;
        }
    }
    ep_strbuf names;
    ep_strbuf_init(&names);
    ep_strbuf_reserve(&names, nu * 24); /* names average under 24 bytes */
    uint64_t size = (uint64_t)t->sb.st_size;
    uint64_t end = t->str.len;
    if (t->str.off >= size) {
        end = 0;
    } else if (end > size - t->str.off) {
        end = size - t->str.off;
    }
    /* One bucket per stretch, and a last one for names past the end.
     * Stretches start every WALK_CHUNK - NAME_TAIL bytes: read whole, two
     * overlap by NAME_TAIL, so a needle across two is in one of them. */
    const uint64_t stretch = WALK_CHUNK - NAME_TAIL;
    size_t nb = (size_t)(end / stretch) + 2;
    uint32_t *first = NULL;
    if (st == EP_OK &&
        ((order = malloc((nu ? nu : 1) * sizeof(*order))) == NULL ||
         (first = calloc(nb + 1, sizeof(*first))) == NULL)) {
        st = EP_ERR_NOMEM;
    }
    if (first != NULL) {
        for (size_t i = 0; i < nu; i++) {
            uint64_t off = us[i].st_name;
            first[(off < end ? off / stretch : nb - 1) + 1]++;
        }
        for (size_t b = 0; b < nb; b++) {
            first[b + 1] += first[b];
        }
        for (size_t i = 0; i < nu; i++) {
            uint64_t off = us[i].st_name;
            order[first[off < end ? off / stretch : nb - 1]++] = (uint32_t)i;
        }
        /* first[b] is now where bucket b + 1 starts. */
        size_t from = 0;
        for (size_t b = 0; b < nb; from = first[b++]) {
            size_t to = first[b];
            bool whole = needle != NULL && b + 1 < nb && b * stretch < end;
            if (from == to && !whole) {
                continue;
            }
            uint64_t lo = b * stretch, hi = lo;
            if (!whole) {
                lo = UINT64_MAX;
                for (size_t k = from; k < to; k++) {
                    uint64_t off = us[order[k]].st_name;
                    lo = off < lo ? off : lo;
                    hi = off > hi ? off : hi;
                }
            }
            const unsigned char *run = NULL;
            size_t rlen = 0;
            if (b + 1 < nb) {
                uint64_t want = whole ? WALK_CHUNK : hi - lo + NAME_TAIL;
                rlen = (size_t)(end - lo < want ? end - lo : want);
                uint64_t at = t->str.off + lo;
                if (at <= t->nhead && rlen <= t->nhead - at) {
                    run = t->head + at; /* in the first read: in place */
                } else if ((buf != NULL || (buf = malloc(WALK_CHUNK))) &&
                           fetch(t, buf, rlen, at)) {
                    run = buf;
                } else {
                    rlen = 0;
                }
            }
            if (whole && !*found) {
                /* Unreadable: not known to be absent. */
                *found =
                    run == NULL || contains(run, rlen, needle, strlen(needle));
            }
            for (size_t k = from; k < to; k++) {
                take_name(t, &names, run, lo, rlen, &us[order[k]]);
            }
        }
        if (names.failed) {
            st = EP_ERR_NOMEM;
        }
    }
    free(first);
    free(order);
    free(buf);
    free(t->undef_names);
    t->undef_names = ep_strbuf_take(&names);
    free(t->undefs);
    t->undefs = us;
    t->nundefs = nu;
    t->undefs_st = st == EP_OK && cut ? EP_ERR_MALFORMED : st;
    t->undefs_ready = true;
}

/* The undefined symbols as read_undefined read them, in table order as
 * the walk of every symbol visits them; stops at the first whose name
 * could not be read, as that walk does. What was read goes (the names
 * stay in t->undef_names for the callers). */
static ep_status
each_undefined(ep_elf_symtab *t, ep_elf_sym_fn fn, void *ctx)
{
    if (!t->undefs_ready) {
        read_undefined(t, NULL, NULL);
    }
    undef *us = t->undefs;
    size_t nu = t->nundefs;
    ep_status st = t->undefs_st;
    t->undefs = NULL;
    t->nundefs = 0;
    t->undefs_ready = false;
    for (size_t i = 0; i < nu && st != EP_ERR_NOMEM; i++) {
        const undef *u = &us[i];
        if (u->at == UINT32_MAX) {
            st = EP_ERR_MALFORMED;
            break;
        }
        const char *name = t->undef_names + u->at;
        ep_elf_symcand c;
        c.namelen = u->len;
        c.total = nu;
        c.index = (uint32_t)u->index;
        c.type = ELF64_ST_TYPE(u->info);
        c.bind = ELF64_ST_BIND(u->info);
        c.shndx = u->shndx;
        c.value = u->value;
        c.versym = 0;
        const unsigned char *v = entry(t, &t->versym, u->index, 2);
        if (v != NULL) {
            memcpy(&c.versym, v, 2);
        }
        if (name[0] != '\0' && fn(name, &c, ctx)) {
            break;
        }
    }
    free(us);
    return st;
}

bool
ep_elf_symtab_undefined_ahead(ep_elf_symtab *t, const char *needle,
                              bool *contains_it)
{
    size_t nlen = needle ? strlen(needle) : 0;
    if (t == NULL || !t->usable || t->nsyms == 0 || t->map != NULL ||
        !t->str.present || nlen == 0 || nlen > NAME_TAIL ||
        !ep_range_ok(t->sym.off, t->nsyms * sizeof(sym_t),
                     (uint64_t)t->sb.st_size)) {
        return false;
    }
    *contains_it = false;
    read_undefined(t, needle, contains_it);
    return true;
}

ep_status
ep_elf_symtab_each(ep_elf_symtab *t, bool undefined_only, ep_elf_sym_fn fn,
                   void *ctx)
{
    if (t == NULL || !t->usable || t->nsyms == 0) {
        return EP_OK;
    }
    const uint64_t per = WALK_CHUNK / sizeof(sym_t);
    if (!ep_range_ok(t->sym.off, t->nsyms * sizeof(sym_t),
                     (uint64_t)t->sb.st_size)) {
        return EP_ERR_MALFORMED;
    }
    if (undefined_only && t->map == NULL) {
        return each_undefined(t, fn, ctx);
    }
    unsigned char *buf = NULL;
    ep_status st = EP_OK;
    bool stop = false;
    for (uint64_t base = 0; base < t->nsyms && !stop; base += per) {
        uint64_t n = t->nsyms - base < per ? t->nsyms - base : per;
        uint64_t at = t->sym.off + base * sizeof(sym_t);
        const unsigned char *p;
        if (at <= t->nhead && n * sizeof(sym_t) <= t->nhead - at) {
            p = t->head + at; /* mapped, or within the first read */
        } else {
            if (buf == NULL && (buf = malloc(WALK_CHUNK)) == NULL) {
                return EP_ERR_NOMEM;
            }
            if (!fetch(t, buf, (size_t)(n * sizeof(sym_t)), at)) {
                st = EP_ERR_MALFORMED;
                break;
            }
            p = buf;
        }
        for (uint64_t k = base == 0 ? 1 : 0; k < n; k++) {
            sym_t sy;
            memcpy(&sy, p + k * sizeof(sym_t), sizeof(sy));
            if (undefined_only && sy.st_shndx != SHN_UNDEF) {
                continue;
            }
            ep_elf_symcand c;
            const char *name = dyn_string_len(t, sy.st_name, &c.namelen);
            if (name == NULL) {
                st = EP_ERR_MALFORMED;
                stop = true;
                break;
            }
            c.index = (uint32_t)(base + k);
            c.total = 0;
            c.type = ELF64_ST_TYPE(sy.st_info);
            c.bind = ELF64_ST_BIND(sy.st_info);
            c.shndx = sy.st_shndx;
            c.value = sy.st_value;
            c.versym = 0;
            const unsigned char *v = entry(t, &t->versym, base + k, 2);
            if (v != NULL) {
                memcpy(&c.versym, v, 2);
            }
            if (name[0] != '\0' && fn(name, &c, ctx)) {
                stop = true;
                break;
            }
        }
    }
    free(buf);
    return st;
}

bool
ep_elf_symtab_strings_contain(ep_elf_symtab *t, const char *needle)
{
    if (t == NULL || !t->usable || t->nsyms == 0) {
        return false; /* no symbol to name it */
    }
    const tab *x = &t->str;
    size_t nlen = strlen(needle);
    uint64_t size = (uint64_t)t->sb.st_size;
    if (!x->present || nlen == 0 || nlen >= WALK_CHUNK) {
        return true;
    }
    if (x->off >= size) {
        return false; /* no string of it can be read */
    }
    /* Only the bytes inside the file: a symbol's name outside them cannot
     * be read, by a walk or otherwise. */
    uint64_t end = x->len < size - x->off ? x->len : size - x->off;
    if (t->map != NULL) {
        return contains(t->map + x->off, (size_t)end, needle, nlen);
    }
    unsigned char *buf = malloc(WALK_CHUNK);
    if (buf == NULL) {
        return true;
    }
    bool found = false;
    /* Chunks overlap by nlen - 1 bytes: a match across two is seen. */
    for (uint64_t at = 0; at < end && !found; at += WALK_CHUNK - (nlen - 1)) {
        size_t n = end - at < WALK_CHUNK ? (size_t)(end - at) : WALK_CHUNK;
        if (!fetch(t, buf, n, x->off + at)) {
            found = true; /* unreadable: not known to be absent */
            break;
        }
        found = contains(buf, n, needle, nlen);
        if (at + n >= end) {
            break;
        }
    }
    free(buf);
    return found;
}

ep_status
ep_elf_symtab_verneeds(ep_elf_symtab *t, ep_elf_verneed_fn fn, void *ctx)
{
    /* dl-version.c _dl_check_map_versions walks vn_next and vna_next until
     * a zero link; the entries have one layout in both ELF classes. */
    if (t == NULL || !t->usable || !t->verneed.present) {
        return EP_OK;
    }
    tab *x = &t->verneed;
    uint64_t off = 0;
    for (size_t n = 0; n < MAX_VERSION_ENTRIES; n++) {
        Elf64_Verneed vn;
        if (!reach(t, x, off, sizeof(vn))) {
            return EP_ERR_MALFORMED;
        }
        memcpy(&vn, x->data + off, sizeof(vn));
        const char *file = dyn_string(t, vn.vn_file);
        uint64_t aoff = off + vn.vn_aux;
        for (size_t k = 0; k < vn.vn_cnt && k < MAX_VERSION_ENTRIES; k++) {
            Elf64_Vernaux va;
            if (aoff < off || !reach(t, x, aoff, sizeof(va))) {
                return EP_ERR_MALFORMED;
            }
            memcpy(&va, x->data + aoff, sizeof(va));
            const char *name = dyn_string(t, va.vna_name);
            if (file == NULL || name == NULL) {
                return EP_ERR_MALFORMED;
            }
            if (fn(file, name, va.vna_hash, va.vna_flags, va.vna_other, ctx)) {
                return EP_OK;
            }
            if (va.vna_next == 0) {
                break;
            }
            aoff += va.vna_next;
        }
        if (vn.vn_next == 0) {
            return EP_OK;
        }
        off += vn.vn_next;
    }
    return EP_ERR_MALFORMED;
}

ep_status
ep_elf_symtab_verdefs(ep_elf_symtab *t, ep_elf_verdef_fn fn, void *ctx)
{
    /* dl-version.c match_symbol: vd_next until zero, the name in the first
     * Verdaux. */
    if (t == NULL || !t->usable || !t->verdef.present) {
        return EP_OK;
    }
    tab *x = &t->verdef;
    uint64_t off = 0;
    for (size_t n = 0; n < MAX_VERSION_ENTRIES; n++) {
        Elf64_Verdef vd;
        Elf64_Verdaux va;
        if (!reach(t, x, off, sizeof(vd))) {
            return EP_ERR_MALFORMED;
        }
        memcpy(&vd, x->data + off, sizeof(vd));
        if (!reach(t, x, off + vd.vd_aux, sizeof(va))) {
            return EP_ERR_MALFORMED;
        }
        memcpy(&va, x->data + off + vd.vd_aux, sizeof(va));
        const char *name = dyn_string(t, va.vda_name);
        if (name == NULL) {
            return EP_ERR_MALFORMED;
        }
        if (fn(name, vd.vd_hash, vd.vd_flags, vd.vd_ndx, ctx)) {
            return EP_OK;
        }
        if (vd.vd_next == 0) {
            return EP_OK;
        }
        off += vd.vd_next;
    }
    return EP_ERR_MALFORMED;
}
