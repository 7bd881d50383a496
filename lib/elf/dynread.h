/*
 * The dynamic-section reader: what ld.so reads of a loadable object (the
 * ELF header, the program headers, PT_DYNAMIC and the tables it points at:
 * DT_NEEDED, RPATH/RUNPATH, the symbol hash tables, versions), read with
 * pread as needed, never the section headers. The loader emulation's only
 * view of a file; damaged files get the full diagnosis from
 * ep_object_open().
 */
#ifndef EXTPROBE_ELF_DYNREAD_H
#define EXTPROBE_ELF_DYNREAD_H

#include <extprobe/extprobe.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The loader emulation's view of one file: the header, the program
 * headers, the dynamic section and the tables it points at, read with pread
 * as needed (never the section headers). Damaged files get the full
 * diagnosis from ep_object_open(). */
typedef struct ep_elf_symtab ep_elf_symtab;

struct stat;

/* What ld.so reads of a loadable object. Strings live as long as the
 * ep_elf_symtab. */
typedef struct ep_elf_dynfacts {
    int type;           /* e_type */
    const char *interp; /* PT_INTERP, or NULL */
    bool has_dynamic;
    const char *soname;      /* DT_SONAME, or NULL */
    ep_strlist needed;       /* DT_NEEDED, in order */
    ep_strlist rpath;        /* DT_RPATH split at ':' (empty entries kept) */
    ep_strlist runpath;      /* DT_RUNPATH split at ':' */
    uint64_t flags, flags_1; /* DT_FLAGS, DT_FLAGS_1 */
    bool has_relr;           /* DT_RELR (packed relative relocations) */
    bool has_verneed;        /* DT_VERNEED */
    char *owned[2];          /* private: storage of the split paths */
} ep_elf_dynfacts;

/* One dynamic symbol. */
typedef struct ep_elf_symcand {
    uint32_t index; /* in .dynsym */
    uint64_t value;
    uint16_t shndx;  /* SHN_UNDEF for an undefined symbol */
    uint8_t type;    /* STT_* */
    uint8_t bind;    /* STB_* */
    uint16_t versym; /* raw .gnu.version entry: index | 0x8000 when hidden */
    size_t namelen;  /* strlen of its name */
    /* A walk of the undefined symbols only: how many it visits at most
     * (to size what the caller collects); 0 when not known. */
    size_t total;
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
/* fresh was just opened on the file keep was read from (same device and
 * inode): keep takes fresh's descriptor when parked, and its first read
 * when it holds none, if the file is unchanged (size, mtime); fresh is
 * closed. Spares a batch opening and reading a file it has parked. True
 * when keep took the descriptor. */
bool ep_elf_symtab_adopt(ep_elf_symtab *keep, ep_elf_symtab *fresh);
/* Park, and free the tables read so far except the hash header (they are
 * read again when needed). The strings of the facts returned by _load
 * are freed: copy them first. */
void ep_elf_symtab_trim(ep_elf_symtab *t);
/* The caller has copied the facts and walked the versions: free what only
 * that needed (the dynamic section, the version tables, and the first read
 * unless a symbol table starts in it). The facts' strings stay. */
void ep_elf_symtab_loaded(ep_elf_symtab *t);
/* Bytes of the file held in memory. */
size_t ep_elf_symtab_bytes(const ep_elf_symtab *t);
/* Whether the object has a .gnu.version table (ld.so's l_versyms). */
bool ep_elf_symtab_has_versym(const ep_elf_symtab *t);
/* Whether the object has version definitions (DT_VERDEF). */
bool ep_elf_symtab_has_verdef(const ep_elf_symtab *t);
/* Visit the symbols called name (namelen bytes); returns how many were
 * visited. sysv_hash may be 0: it is computed when the object has only
 * DT_HASH. */
size_t ep_elf_symtab_find(ep_elf_symtab *t, const char *name, size_t namelen,
                          uint32_t gnu_hash, uint32_t sysv_hash,
                          ep_elf_symcand_fn fn, void *ctx);
/* Visit every symbol but the null one (only the undefined ones when
 * undefined_only), in table order. */
ep_status ep_elf_symtab_each(ep_elf_symtab *t, bool undefined_only,
                             ep_elf_sym_fn fn, void *ctx);
/* False when no string of DT_STRTAB that can be read contains needle, so
 * no symbol's name does (a walk for a name prefix can be skipped); true
 * when one may. Reads the table in passing, keeping nothing. */
bool ep_elf_symtab_strings_contain(ep_elf_symtab *t, const char *needle);
/* The same answer (*contains), given while reading the undefined symbols
 * and their names for the next ep_elf_symtab_each(t, true, ...): one pass
 * over DT_STRTAB for both, where the two would read it twice. False, with
 * nothing read, when t is not read that way (a mapped file, no usable
 * tables, a needle longer than 512 bytes): ask the function above. */
bool ep_elf_symtab_undefined_ahead(ep_elf_symtab *t, const char *needle,
                                   bool *contains);
uint32_t ep_elf_gnu_hash(const char *name);
/* The System V hash; also the hash of version names (vna_hash, vd_hash). */
uint32_t ep_elf_sysv_hash(const char *name);
/* The version requirements (DT_VERNEED) and definitions (DT_VERDEF) as
 * dl-version.c walks them, names from DT_STRTAB. Callbacks return true to
 * stop. EP_ERR_MALFORMED when a chain leaves the file. */
typedef bool (*ep_elf_verneed_fn)(const char *file, const char *version,
                                  uint32_t hash, uint16_t flags, uint16_t index,
                                  void *ctx);
typedef bool (*ep_elf_verdef_fn)(const char *name, uint32_t hash,
                                 uint16_t flags, uint16_t index, void *ctx);
ep_status ep_elf_symtab_verneeds(ep_elf_symtab *t, ep_elf_verneed_fn fn,
                                 void *ctx);
ep_status ep_elf_symtab_verdefs(ep_elf_symtab *t, ep_elf_verdef_fn fn,
                                void *ctx);

#endif
