/*
 * The ep_object structure, shared by the files of lib/elf/ only. Everything
 * outside lib/elf/ goes through the public getters, so that only this
 * directory includes <gelf.h>.
 */
#ifndef EXTPROBE_ELF_OBJECT_H
#define EXTPROBE_ELF_OBJECT_H

#include "elf/names.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/path.h"

#include <gelf.h>
#include <libelf.h>

struct ep_object {
    ep_arena arena; /* every string and array handed out */
    char *path;     /* in the arena */
    int fd;         /* -1 for memory images */
    void *image;    /* owned copy of a memory image, or NULL */
    uint64_t size;
    ep_kind kind;
    const char *reason; /* NULL when loadable ELF */
    Elf *elf;           /* NULL unless kind is ELF */
    ep_elf_info info;
    ep_ext_tag *tag; /* parsed file name, or NULL */

    /* Read on first use (symbols.c, versions.c). */
    bool symbols_read;
    ep_symbol *symbols;
    size_t nsymbols;
    bool pyinit_read;
    ep_strlist pyinit;
    bool versions_read;
    ep_version_need *needs;
    size_t nneeds;
    ep_version_def *defs;
    size_t ndefs;
};

/* classify.c: set kind and reason from the first bytes and the headers.
 * Returns true when the file is well-formed enough to hand to libelf. */
bool ep_elf_precheck(ep_object *obj, const unsigned char *head, size_t nhead);

/* read.c: gather ep_elf_info once libelf has the file. Sets kind to
 * truncated/corrupt with a reason when a segment or table is out of range. */
ep_status ep_elf_read_info(ep_object *obj, ep_error *err);

/* Map a virtual address to a file offset through the PT_LOAD segments, as the
 * loader's l_addr arithmetic does. False when no segment holds it. */
bool ep_elf_vaddr_to_offset(Elf *elf, uint64_t vaddr, uint64_t *off);

/* Set kind and reason (reason formatted into the arena). */
void ep_object_set_bad(ep_object *obj, ep_kind kind, const char *fmt, ...)
    EP_PRINTF(3, 4);

#endif
