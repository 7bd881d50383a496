/*
 * Declarations shared across lib/ and the tests that link the static build.
 * Nothing here is exported from libextprobe.so (hidden visibility).
 */
#ifndef EXTPROBE_INTERNAL_H
#define EXTPROBE_INTERNAL_H

#include <extprobe/extprobe.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define EP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EP_PRINTF(f, a)
#endif

/* ---- errors (util/error.c) ---------------------------------------------- */

/* Fill err (if not NULL) and return status, so a failure is one line:
 * return ep_fail(err, EP_ERR_IO, "%s: %s", path, strerror(errno)); */
ep_status ep_fail(ep_error *err, ep_status status, const char *fmt, ...)
    EP_PRINTF(3, 4);

/* Like ep_fail() with status EP_ERR_IO, recording errno and its text. */
ep_status ep_fail_errno(ep_error *err, int errnum, const char *fmt, ...)
    EP_PRINTF(3, 4);

/* ---- growable string (util/strbuf.c) -------------------------------------- */

typedef struct ep_strbuf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; further appends are no-ops */
} ep_strbuf;

void ep_strbuf_init(ep_strbuf *sb);
void ep_strbuf_release(ep_strbuf *sb);
void ep_strbuf_append(ep_strbuf *sb, const char *s, size_t n);
void ep_strbuf_puts(ep_strbuf *sb, const char *s);
void ep_strbuf_putc(ep_strbuf *sb, char c);
void ep_strbuf_printf(ep_strbuf *sb, const char *fmt, ...) EP_PRINTF(2, 3);
/* Hand the buffer over (NULL if an allocation failed); sb is left empty. */
char *ep_strbuf_take(ep_strbuf *sb);

/* ---- arena: many small allocations freed together (util/arena.c) ---------- */

typedef struct ep_arena_block ep_arena_block;
typedef struct ep_arena {
    ep_arena_block *head;
} ep_arena;

void ep_arena_init(ep_arena *a);
void ep_arena_release(ep_arena *a);
void *ep_arena_alloc(ep_arena *a, size_t size);   /* zeroed, 16-aligned */
char *ep_arena_strdup(ep_arena *a, const char *s);
char *ep_arena_strndup(ep_arena *a, const char *s, size_t n);
char *ep_arena_printf(ep_arena *a, const char *fmt, ...) EP_PRINTF(2, 3);

/* A list of strings that grows in an arena; the result is an ep_strlist. */
typedef struct ep_strvec {
    const char **items;
    size_t count;
    size_t cap;
} ep_strvec;

bool ep_strvec_push(ep_arena *a, ep_strvec *v, const char *s);
bool ep_strvec_contains(const ep_strvec *v, const char *s);
ep_strlist ep_strvec_list(const ep_strvec *v);

/* ---- JSON writer (report/json.c) ------------------------------------------ */

#define EP_JSON_MAX_DEPTH 32

typedef struct ep_json {
    ep_strbuf out;
    int depth;
    bool pretty;
    bool need_comma[EP_JSON_MAX_DEPTH];
    bool after_key;
} ep_json;

void ep_json_init(ep_json *j, bool pretty);
void ep_json_begin_object(ep_json *j);
void ep_json_end_object(ep_json *j);
void ep_json_begin_array(ep_json *j);
void ep_json_end_array(ep_json *j);
void ep_json_key(ep_json *j, const char *key);
void ep_json_string(ep_json *j, const char *s); /* NULL writes null */
void ep_json_int(ep_json *j, long long v);
void ep_json_uint(ep_json *j, unsigned long long v);
void ep_json_bool(ep_json *j, bool v);
void ep_json_null(ep_json *j);
void ep_json_strlist(ep_json *j, ep_strlist list);
/* One object member: the key and its value in one call. */
void ep_json_member_string(ep_json *j, const char *key, const char *s);
void ep_json_member_int(ep_json *j, const char *key, long long v);
void ep_json_member_uint(ep_json *j, const char *key, unsigned long long v);
void ep_json_member_bool(ep_json *j, const char *key, bool v);
void ep_json_member_strlist(ep_json *j, const char *key, ep_strlist list);
/* The document with a trailing newline, or NULL when memory ran out. */
char *ep_json_finish(ep_json *j);

/* ---- small helpers (util/path.c) ------------------------------------------ */

/* The part after the last '/'. */
const char *ep_basename(const char *path);
/* Bounds check that cannot overflow: does [off, off+size) fit in total? */
static inline bool
ep_range_ok(uint64_t off, uint64_t size, uint64_t total)
{
    return size <= total && off <= total - size;
}

/* ---- objects (elf/) --------------------------------------------------------- */

/* Opened once per process (pthread_once), before any other libelf call. */
void ep_elf_library_init(void);

/* Write one object's inspect record (an open JSON object's members). */
void ep_inspect_json_object(ep_json *j, ep_object *obj);

/* ---- a loadable object as ld.so reads it (elf/hash.c) ---------------------- */

/* The loader emulation's view of one file: the header, the program
 * headers, the dynamic section and the tables it points at, read with pread
 * as needed (never the section headers). Damaged files get the full
 * diagnosis from ep_object_open(). */
typedef struct ep_elf_symtab ep_elf_symtab;

struct stat;

/* What ld.so reads of a loadable object. Strings live as long as the
 * ep_elf_symtab. */
typedef struct ep_elf_dynfacts {
    int type;                 /* e_type */
    const char *interp;       /* PT_INTERP, or NULL */
    bool has_abi_note;        /* an NT_GNU_ABI_TAG note */
    uint32_t abi_os;          /* its OS word (0: Linux) */
    uint32_t abi_version;     /* its version, a << 16 | b << 8 | c */
    bool has_dynamic;
    const char *soname;       /* DT_SONAME, or NULL */
    ep_strlist needed;        /* DT_NEEDED, in order */
    ep_strlist rpath;         /* DT_RPATH split at ':' (empty entries kept) */
    ep_strlist runpath;       /* DT_RUNPATH split at ':' */
    uint64_t flags, flags_1;  /* DT_FLAGS, DT_FLAGS_1 */
    char *owned[2];           /* private: storage of the split paths */
} ep_elf_dynfacts;

/* One dynamic symbol. */
typedef struct ep_elf_symcand {
    uint32_t index;   /* in .dynsym */
    uint64_t value;
    uint16_t shndx;   /* SHN_UNDEF for an undefined symbol */
    uint8_t type;     /* STT_* */
    uint8_t bind;     /* STB_* */
    uint16_t versym;  /* raw .gnu.version entry: index | 0x8000 when hidden */
    size_t namelen;   /* strlen of its name */
} ep_elf_symcand;

/* Called for each candidate in hash-chain order; return true to stop. */
typedef bool (*ep_elf_symcand_fn)(const ep_elf_symcand *cand, void *ctx);
/* Called for each symbol with its name; return true to stop. */
typedef bool (*ep_elf_sym_fn)(const char *name, const ep_elf_symcand *sym,
                              void *ctx);

/* Open path and read its first bytes, as open_verify does. EP_ERR_IO with
 * *errnum when it cannot be opened. map: map a regular file whole (its
 * tables are then read by touching them) instead of reading parts. */
ep_status ep_elf_symtab_openfile(const char *path, bool map,
                                 ep_elf_symtab **out, int *errnum,
                                 ep_error *err);
/* The first bytes (up to an ELF header's worth) and the errno of a failed
 * read (0 for end of file). */
const unsigned char *ep_elf_symtab_head(const ep_elf_symtab *t, size_t *len,
                                        int *read_errno);
const struct stat *ep_elf_symtab_stat(const ep_elf_symtab *t);
/* Read the program headers and the dynamic section of an object of the
 * host's class and byte order. False (with a one-line why) when they are
 * damaged where ld.so would fail. */
bool ep_elf_symtab_load(ep_elf_symtab *t, const ep_elf_dynfacts **facts,
                        const char **why);
void ep_elf_symtab_close(ep_elf_symtab *t);
/* Close the file descriptor, keeping everything read: a later read opens
 * the file again by its path and fails if it is no longer the same file
 * (device, inode, size, mtime). Bounds the descriptors a long session
 * holds. */
void ep_elf_symtab_park(ep_elf_symtab *t);
bool ep_elf_symtab_is_open(const ep_elf_symtab *t);
/* Park, and free the tables read so far except the hash header (they are
 * read again when needed). The strings of the facts returned by _load
 * are freed: copy them first. */
void ep_elf_symtab_trim(ep_elf_symtab *t);
/* Bytes of the file held in memory. */
size_t ep_elf_symtab_bytes(const ep_elf_symtab *t);
/* Whether the object has a .gnu.version table (ld.so's l_versyms). */
bool ep_elf_symtab_has_versym(const ep_elf_symtab *t);
/* Whether the object has version definitions (DT_VERDEF). */
bool ep_elf_symtab_has_verdef(const ep_elf_symtab *t);
/* Visit the symbols called name (namelen bytes); returns how many were
 * visited. sysv_hash may be 0: it is computed when the object has only
 * DT_HASH. */
size_t ep_elf_symtab_find(ep_elf_symtab *t, const char *name,
                          size_t namelen, uint32_t gnu_hash,
                          uint32_t sysv_hash, ep_elf_symcand_fn fn,
                          void *ctx);
/* Visit every symbol but the null one (only the undefined ones when
 * undefined_only), in table order. */
ep_status ep_elf_symtab_each(ep_elf_symtab *t, bool undefined_only,
                             ep_elf_sym_fn fn, void *ctx);
uint32_t ep_elf_gnu_hash(const char *name);
/* The System V hash; also the hash of version names (vna_hash, vd_hash). */
uint32_t ep_elf_sysv_hash(const char *name);
/* The version requirements (DT_VERNEED) and definitions (DT_VERDEF) as
 * dl-version.c walks them, names from DT_STRTAB. Callbacks return true to
 * stop. EP_ERR_MALFORMED when a chain leaves the file. */
typedef bool (*ep_elf_verneed_fn)(const char *file, const char *version,
                                  uint32_t hash, uint16_t flags,
                                  uint16_t index, void *ctx);
typedef bool (*ep_elf_verdef_fn)(const char *name, uint32_t hash,
                                 uint16_t flags, uint16_t index, void *ctx);
ep_status ep_elf_symtab_verneeds(ep_elf_symtab *t, ep_elf_verneed_fn fn,
                                 void *ctx);
ep_status ep_elf_symtab_verdefs(ep_elf_symtab *t, ep_elf_verdef_fn fn,
                                void *ctx);

#endif /* EXTPROBE_INTERNAL_H */
