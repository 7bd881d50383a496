/*
 * The dynamic symbol table with each symbol's version, read on first use.
 * Local symbols and section/file symbols are dropped: the loader never binds
 * to them.
 */
#include "elf/lookup.h"
#include "elf/object.h"
#include "util/error.h"
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

/* A .dynsym larger than this many entries is treated as damage, not data:
 * the largest real libraries (libLLVM) hold well under a million. */
#define MAX_DYNSYMS (16u * 1024 * 1024)

static Elf_Scn *
find_section(Elf *elf, GElf_Word type, GElf_Shdr *sh)
{
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL;
         scn = elf_nextscn(elf, scn)) {
        if (gelf_getshdr(scn, sh) != NULL && sh->sh_type == type) {
            return scn;
        }
    }
    return NULL;
}

/* Name the version at .gnu.version index ndx, and for an import the file it
 * is required from. Indexes 0 and 1 mean "local" and "global, unversioned". */
/* The version names by .gnu.version index, built once per object: a
 * library has thousands of symbols and dozens of versions, and a search of
 * the lists for each symbol was most of inspect's own time. need_*: the
 * requirement of that index (an undefined symbol's version), def_name: the
 * (non-base) definition. */
typedef struct version_index {
    size_t size;
    const char **need_name, **need_file, **def_name;
} version_index;

static bool
version_index_build(const ep_object *obj, version_index *vi)
{
    size_t max = 0;
    for (size_t i = 0; i < obj->nneeds; i++) {
        max = obj->needs[i].index > max ? obj->needs[i].index : max;
    }
    for (size_t i = 0; i < obj->ndefs; i++) {
        max = obj->defs[i].index > max ? obj->defs[i].index : max;
    }
    vi->size = max + 1;
    vi->need_name = calloc(3 * vi->size, sizeof(*vi->need_name));
    if (vi->need_name == NULL) {
        return false;
    }
    vi->need_file = vi->need_name + vi->size;
    vi->def_name = vi->need_file + vi->size;
    /* The first entry of an index wins, as the linear search it replaces
     * found it. */
    for (size_t i = obj->nneeds; i-- > 0;) {
        vi->need_name[obj->needs[i].index] = obj->needs[i].version;
        vi->need_file[obj->needs[i].index] = obj->needs[i].file;
    }
    for (size_t i = obj->ndefs; i-- > 0;) {
        if (!obj->defs[i].base) {
            vi->def_name[obj->defs[i].index] = obj->defs[i].name;
        }
    }
    return true;
}

static void
version_of(const version_index *vi, uint16_t ndx, bool defined,
           const char **name, const char **file)
{
    *name = NULL;
    *file = NULL;
    if (ndx <= 1 || ndx >= vi->size) {
        return;
    }
    if (!defined && vi->need_name[ndx] != NULL) {
        *name = vi->need_name[ndx];
        *file = vi->need_file[ndx];
        return;
    }
    *name = vi->def_name[ndx];
}

static ep_status
read_symbols(ep_object *obj, ep_error *err)
{
    GElf_Shdr sh, vsh;
    Elf_Scn *scn = find_section(obj->elf, SHT_DYNSYM, &sh);
    if (scn == NULL) {
        return EP_OK;
    }
    size_t entsize = gelf_fsize(obj->elf, ELF_T_SYM, 1, EV_CURRENT);
    if (sh.sh_entsize != entsize) {
        return ep_fail(err, EP_ERR_MALFORMED,
                       "%s: .dynsym entry size %llu, expected %zu", obj->path,
                       (unsigned long long)sh.sh_entsize, entsize);
    }
    size_t count = sh.sh_size / entsize;
    if (count > MAX_DYNSYMS) {
        return ep_fail(err, EP_ERR_MALFORMED, "%s: .dynsym claims %zu symbols",
                       obj->path, count);
    }
    Elf_Data *data = elf_getdata(scn, NULL);
    if (data == NULL) {
        return ep_fail(err, EP_ERR_MALFORMED, "%s: unreadable .dynsym: %s",
                       obj->path, elf_errmsg(-1));
    }
    Elf_Data *vdata = NULL;
    Elf_Scn *vscn = find_section(obj->elf, SHT_GNU_versym, &vsh);
    if (vscn != NULL) {
        vdata = elf_getdata(vscn, NULL);
    }
    version_index vi;
    if (!version_index_build(obj, &vi)) {
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", obj->path);
    }
    obj->symbols = calloc(count ? count : 1, sizeof(*obj->symbols));
    if (obj->symbols == NULL) {
        free(vi.need_name);
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", obj->path);
    }
    for (size_t i = 1; i < count; i++) {
        GElf_Sym s;
        if (gelf_getsym(data, (int)i, &s) == NULL) {
            free(vi.need_name);
            return ep_fail(err, EP_ERR_MALFORMED,
                           "%s: unreadable symbol %zu: %s", obj->path, i,
                           elf_errmsg(-1));
        }
        uint8_t type = GELF_ST_TYPE(s.st_info), bind = GELF_ST_BIND(s.st_info);
        if (bind == STB_LOCAL || type == STT_SECTION || type == STT_FILE) {
            continue;
        }
        const char *name = elf_strptr(obj->elf, sh.sh_link, s.st_name);
        if (name == NULL || name[0] == '\0') {
            continue;
        }
        ep_symbol *sym = &obj->symbols[obj->nsymbols];
        sym->name = name; /* libelf keeps the string table while open */
        sym->defined = s.st_shndx != SHN_UNDEF;
        sym->type = type;
        sym->bind = bind;
        sym->weak = bind == STB_WEAK;
        sym->visibility = GELF_ST_VISIBILITY(s.st_other);
        sym->value = s.st_value;
        sym->size = s.st_size;
        GElf_Versym vs;
        if (vdata != NULL && gelf_getversym(vdata, (int)i, &vs) != NULL) {
            sym->hidden_version = (vs & 0x8000) != 0;
            version_of(&vi, vs & 0x7fff, sym->defined, &sym->version,
                       &sym->version_file);
        }
        obj->nsymbols++;
    }
    free(vi.need_name);
    return EP_OK;
}

ep_status
ep_object_symbols(ep_object *obj, const ep_symbol **syms, size_t *count,
                  ep_error *err)
{
    if (obj == NULL || syms == NULL || count == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *syms = NULL;
    *count = 0;
    if (!obj->symbols_read) {
        const ep_version_need *n;
        size_t nn;
        /* Versions first: symbols refer to them by index. */
        ep_status st = ep_object_version_needs(obj, &n, &nn, err);
        if (st == EP_OK) {
            st = read_symbols(obj, err);
        }
        if (st != EP_OK) {
            free(obj->symbols);
            obj->symbols = NULL;
            obj->nsymbols = 0;
            return st;
        }
        obj->symbols_read = true;
    }
    *syms = obj->symbols;
    *count = obj->nsymbols;
    return EP_OK;
}

ep_status
ep_object_pyinit(ep_object *obj, ep_strlist *out, ep_error *err)
{
    const ep_symbol *syms;
    size_t n;
    if (out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    out->count = 0;
    out->items = NULL;
    ep_status st = ep_object_symbols(obj, &syms, &n, err);
    if (st != EP_OK) {
        return st;
    }
    if (!obj->pyinit_read) {
        ep_strvec v = {0};
        for (size_t i = 0; i < n; i++) {
            /* CPython resolves PyInit_<name> with dlsym: only a defined,
             * default-visibility function can match. */
            if (syms[i].defined && strncmp(syms[i].name, "PyInit_", 7) == 0 &&
                syms[i].name[7] != '\0' &&
                !ep_strvec_push(&obj->arena, &v, syms[i].name)) {
                return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory",
                               obj->path);
            }
        }
        obj->pyinit = ep_strvec_list(&v);
        obj->pyinit_read = true;
    }
    *out = obj->pyinit;
    return EP_OK;
}

bool
ep_object_defines(ep_object *o, const char *name)
{
    const ep_symbol *syms;
    size_t n;
    if (ep_object_symbols(o, &syms, &n, NULL) != EP_OK) {
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined && strcmp(syms[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}
