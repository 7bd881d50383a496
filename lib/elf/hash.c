/*
 * Symbol lookup through an object's own hash tables (DT_GNU_HASH, else
 * DT_HASH), the way ld.so finds a definition: the loader emulation asks for
 * one name at a time and only the pages those lookups touch are read. Which
 * candidate binds (versions, weak, hidden) is decided in lib/loader/.
 */
#include "object.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_DATA ELFDATA2LSB
#else
#define HOST_DATA ELFDATA2MSB
#endif

/* A dynamic symbol table larger than this is damage, not data (as in
 * symbols.c): the largest real libraries hold well under a million. */
#define MAX_SYMS (16u * 1024 * 1024)

struct ep_elf_symtab {
    ep_object *obj;
    const unsigned char *map; /* the whole file, read-only */
    size_t map_len;
    bool mapped;              /* map came from mmap (else: the memory image) */
    /* Table offsets in the file; a zero size means absent. */
    uint64_t sym_off, nsyms, syment;
    uint64_t str_off, str_size;
    uint64_t versym_off;      /* 0: no .gnu.version */
    bool has_versym;
    /* DT_GNU_HASH */
    bool gnu;
    uint32_t nbuckets, symoffset, bloom_size, bloom_shift;
    uint64_t bloom_off, buckets_off, chain_off;
    /* DT_HASH */
    bool sysv;
    uint32_t sysv_nbuckets, sysv_nchain;
    uint64_t sysv_buckets_off, sysv_chain_off;
    uint64_t hash_nchain;     /* DT_HASH's symbol count, 0 when unknown */
    /* DT_VERNEED and DT_VERDEF, as file offsets; 0 when absent. */
    uint64_t verneed_off, verdef_off;
};

uint32_t
ep_elf_gnu_hash(const char *name)
{
    /* The GNU hash (dl-hash.h _dl_new_hash): h = h * 33 + c from 5381. */
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

/* Words are read in host order: only objects of the host's class and byte
 * order are ever bound to (ld.so refuses the others before this point). */
static uint32_t
word_at(const ep_elf_symtab *t, uint64_t off)
{
    uint32_t w;
    memcpy(&w, t->map + off, sizeof(w));
    return w;
}

static uint64_t
addr_at(const ep_elf_symtab *t, uint64_t off)
{
    if (t->obj->info.elf_class == 64) {
        uint64_t w;
        memcpy(&w, t->map + off, sizeof(w));
        return w;
    }
    return word_at(t, off);
}

static bool
in_map(const ep_elf_symtab *t, uint64_t off, uint64_t size)
{
    return ep_range_ok(off, size, t->map_len);
}

/* The dynamic entries the lookup needs, as file offsets. */
typedef struct dyn_tables {
    uint64_t symtab, strtab, strsz, syment, versym, gnu_hash, hash;
    uint64_t verneed, verdef;
    bool have_symtab, have_strtab, have_versym, have_gnu, have_hash;
    bool have_verneed, have_verdef;
} dyn_tables;

static bool
read_dyn_tables(ep_object *obj, dyn_tables *dt)
{
    size_t phnum;
    memset(dt, 0, sizeof(*dt));
    if (elf_getphdrnum(obj->elf, &phnum) != 0) {
        return false;
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(obj->elf, (int)i, &ph) == NULL ||
            ph.p_type != PT_DYNAMIC) {
            continue;
        }
        Elf_Data *data = elf_getdata_rawchunk(obj->elf, (int64_t)ph.p_offset,
                                              ph.p_filesz, ELF_T_DYN);
        if (data == NULL) {
            return false;
        }
        size_t ndyn = data->d_size /
                      gelf_fsize(obj->elf, ELF_T_DYN, 1, EV_CURRENT);
        for (size_t k = 0; k < ndyn; k++) {
            GElf_Dyn d;
            if (gelf_getdyn(data, (int)k, &d) == NULL || d.d_tag == DT_NULL) {
                break;
            }
            switch (d.d_tag) {
            case DT_SYMTAB:
                dt->have_symtab = ep_elf_vaddr_to_offset(obj->elf, d.d_un.d_ptr,
                                                         &dt->symtab);
                break;
            case DT_STRTAB:
                dt->have_strtab = ep_elf_vaddr_to_offset(obj->elf, d.d_un.d_ptr,
                                                         &dt->strtab);
                break;
            case DT_STRSZ:
                dt->strsz = d.d_un.d_val;
                break;
            case DT_SYMENT:
                dt->syment = d.d_un.d_val;
                break;
            case DT_VERSYM:
                dt->have_versym = ep_elf_vaddr_to_offset(obj->elf, d.d_un.d_ptr,
                                                         &dt->versym);
                break;
            case DT_GNU_HASH:
                dt->have_gnu = ep_elf_vaddr_to_offset(obj->elf, d.d_un.d_ptr,
                                                      &dt->gnu_hash);
                break;
            case DT_HASH:
                dt->have_hash = ep_elf_vaddr_to_offset(obj->elf, d.d_un.d_ptr,
                                                       &dt->hash);
                break;
            case DT_VERNEED:
                dt->have_verneed = ep_elf_vaddr_to_offset(
                    obj->elf, d.d_un.d_ptr, &dt->verneed);
                break;
            case DT_VERDEF:
                dt->have_verdef = ep_elf_vaddr_to_offset(obj->elf, d.d_un.d_ptr,
                                                         &dt->verdef);
                break;
            default:
                break;
            }
        }
        return true;
    }
    return true; /* no PT_DYNAMIC: nothing to bind to */
}

/* Set up the DT_GNU_HASH view; false when the table does not fit. */
static bool
setup_gnu(ep_elf_symtab *t, uint64_t off)
{
    if (!in_map(t, off, 16)) {
        return false;
    }
    t->nbuckets = word_at(t, off);
    t->symoffset = word_at(t, off + 4);
    t->bloom_size = word_at(t, off + 8);
    t->bloom_shift = word_at(t, off + 12);
    uint64_t wsize = t->obj->info.elf_class == 64 ? 8 : 4;
    t->bloom_off = off + 16;
    t->buckets_off = t->bloom_off + (uint64_t)t->bloom_size * wsize;
    t->chain_off = t->buckets_off + (uint64_t)t->nbuckets * 4;
    /* ld.so requires a power-of-two bloom size; a zero size or bucket
     * count would make its modulo arithmetic fault. */
    if (t->nbuckets == 0 || t->bloom_size == 0 ||
        (t->bloom_size & (t->bloom_size - 1)) != 0 ||
        !in_map(t, t->bloom_off, (uint64_t)t->bloom_size * wsize) ||
        !in_map(t, t->buckets_off, (uint64_t)t->nbuckets * 4)) {
        return false;
    }
    t->gnu = true;
    return true;
}

static bool
setup_sysv(ep_elf_symtab *t, uint64_t off)
{
    if (!in_map(t, off, 8)) {
        return false;
    }
    t->sysv_nbuckets = word_at(t, off);
    t->sysv_nchain = word_at(t, off + 4);
    t->sysv_buckets_off = off + 8;
    t->sysv_chain_off = t->sysv_buckets_off + (uint64_t)t->sysv_nbuckets * 4;
    if (t->sysv_nbuckets == 0 ||
        !in_map(t, t->sysv_buckets_off, (uint64_t)t->sysv_nbuckets * 4) ||
        !in_map(t, t->sysv_chain_off, (uint64_t)t->sysv_nchain * 4)) {
        return false;
    }
    t->sysv = true;
    return true;
}

/* Number of dynamic symbols: DT_HASH says it; otherwise the section header;
 * otherwise walk the GNU chain from the highest bucket to its end bit, as
 * tools without section headers must. */
static uint64_t
count_symbols(ep_elf_symtab *t)
{
    if (t->hash_nchain != 0) {
        return t->hash_nchain;
    }
    for (Elf_Scn *scn = elf_nextscn(t->obj->elf, NULL); scn != NULL;
         scn = elf_nextscn(t->obj->elf, scn)) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) != NULL && sh.sh_type == SHT_DYNSYM &&
            sh.sh_entsize != 0) {
            return sh.sh_size / sh.sh_entsize;
        }
    }
    if (!t->gnu) {
        return 0;
    }
    uint32_t top = 0;
    for (uint32_t b = 0; b < t->nbuckets; b++) {
        uint32_t v = word_at(t, t->buckets_off + (uint64_t)b * 4);
        top = v > top ? v : top;
    }
    if (top < t->symoffset) {
        return t->symoffset;
    }
    for (uint64_t i = top; i < MAX_SYMS; i++) {
        uint64_t off = t->chain_off + (i - t->symoffset) * 4;
        if (!in_map(t, off, 4)) {
            return i;
        }
        if (word_at(t, off) & 1) {
            return i + 1;
        }
    }
    return MAX_SYMS;
}

void
ep_elf_symtab_close(ep_elf_symtab *t)
{
    if (t == NULL) {
        return;
    }
    if (t->mapped && t->map != NULL) {
        munmap((void *)t->map, t->map_len);
    }
    free(t);
}

ep_status
ep_elf_symtab_open(ep_object *obj, ep_elf_symtab **out, ep_error *err)
{
    if (obj == NULL || out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *out = NULL;
    if (obj->kind != EP_KIND_ELF || obj->elf == NULL) {
        return ep_fail(err, EP_ERR_NOT_ELF, "%s: %s", obj->path,
                       obj->reason ? obj->reason : "not an ELF file");
    }
    ep_elf_symtab *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", obj->path);
    }
    t->obj = obj;
    if (obj->image != NULL) {
        t->map = obj->image;
        t->map_len = (size_t)obj->size;
    } else if (obj->size > 0 && obj->size <= SIZE_MAX) {
        /* Mapped, not read: a lookup touches a few pages of the tables. */
        void *m = mmap(NULL, (size_t)obj->size, PROT_READ, MAP_PRIVATE,
                       obj->fd, 0);
        if (m == MAP_FAILED) {
            ep_status st = ep_fail_errno(err, errno, "%s: mmap", obj->path);
            free(t);
            return st;
        }
        t->map = m;
        t->map_len = (size_t)obj->size;
        t->mapped = true;
    }
    dyn_tables dt;
    bool native = obj->info.data == HOST_DATA &&
                  obj->info.elf_class == (int)(sizeof(void *) * 8);
    if (!native || !read_dyn_tables(obj, &dt) || !dt.have_symtab ||
        !dt.have_strtab) {
        *out = t; /* nothing the loader could bind to: lookups find nothing */
        return EP_OK;
    }
    t->syment = dt.syment ? dt.syment
                          : gelf_fsize(obj->elf, ELF_T_SYM, 1, EV_CURRENT);
    if (t->syment != gelf_fsize(obj->elf, ELF_T_SYM, 1, EV_CURRENT) ||
        !in_map(t, dt.strtab, dt.strsz)) {
        *out = t;
        return EP_OK;
    }
    t->sym_off = dt.symtab;
    t->str_off = dt.strtab;
    t->str_size = dt.strsz;
    /* ld.so prefers DT_GNU_HASH when both are present (dl-lookup.c
     * _dl_setup_hash). */
    if (!(dt.have_gnu && setup_gnu(t, dt.gnu_hash)) && dt.have_hash) {
        setup_sysv(t, dt.hash);
    }
    if (dt.have_hash && in_map(t, dt.hash, 8)) {
        t->hash_nchain = word_at(t, dt.hash + 4);
    }
    t->nsyms = count_symbols(t);
    if (t->nsyms > MAX_SYMS ||
        !in_map(t, t->sym_off, t->nsyms * t->syment)) {
        t->nsyms = 0;
    }
    if (dt.have_versym && in_map(t, dt.versym, t->nsyms * 2)) {
        t->versym_off = dt.versym;
        t->has_versym = true;
    }
    t->verneed_off = dt.have_verneed ? dt.verneed : 0;
    t->verdef_off = dt.have_verdef ? dt.verdef : 0;
    *out = t;
    return EP_OK;
}

bool
ep_elf_symtab_has_versym(const ep_elf_symtab *t)
{
    return t != NULL && t->has_versym;
}

/* Decode symbol i and compare its name; fill cand on a match. */
static bool
match_symbol(const ep_elf_symtab *t, uint64_t i, const char *name,
             size_t namelen, ep_elf_symcand *cand)
{
    if (i >= t->nsyms) {
        return false;
    }
    GElf_Sym sym;
    Elf_Data src = {.d_buf = (void *)(t->map + t->sym_off + i * t->syment),
                    .d_type = ELF_T_SYM,
                    .d_size = (size_t)t->syment,
                    .d_version = EV_CURRENT};
    if (t->obj->info.elf_class == 64) {
        Elf64_Sym s64;
        Elf_Data dst = {.d_buf = &s64, .d_type = ELF_T_SYM,
                        .d_size = sizeof(s64), .d_version = EV_CURRENT};
        if (elf64_xlatetom(&dst, &src, HOST_DATA) == NULL) {
            return false;
        }
        sym.st_name = s64.st_name;
        sym.st_info = s64.st_info;
        sym.st_other = s64.st_other;
        sym.st_shndx = s64.st_shndx;
        sym.st_value = s64.st_value;
    } else {
        Elf32_Sym s32;
        Elf_Data dst = {.d_buf = &s32, .d_type = ELF_T_SYM,
                        .d_size = sizeof(s32), .d_version = EV_CURRENT};
        if (elf32_xlatetom(&dst, &src, HOST_DATA) == NULL) {
            return false;
        }
        sym.st_name = s32.st_name;
        sym.st_info = s32.st_info;
        sym.st_other = s32.st_other;
        sym.st_shndx = s32.st_shndx;
        sym.st_value = s32.st_value;
    }
    /* The name and its NUL must lie inside DT_STRSZ. */
    if (sym.st_name >= t->str_size || t->str_size - sym.st_name <= namelen) {
        return false;
    }
    const char *s = (const char *)t->map + t->str_off + sym.st_name;
    if (memcmp(s, name, namelen) != 0 || s[namelen] != '\0') {
        return false;
    }
    cand->index = (uint32_t)i;
    cand->value = sym.st_value;
    cand->shndx = sym.st_shndx;
    cand->type = GELF_ST_TYPE(sym.st_info);
    cand->bind = GELF_ST_BIND(sym.st_info);
    cand->versym = 0;
    if (t->has_versym) {
        uint16_t v;
        memcpy(&v, t->map + t->versym_off + i * 2, sizeof(v));
        cand->versym = v;
    }
    return true;
}

size_t
ep_elf_symtab_find(const ep_elf_symtab *t, const char *name,
                   uint32_t gnu_hash, uint32_t sysv_hash,
                   ep_elf_symcand_fn fn, void *ctx)
{
    size_t seen = 0;
    if (t == NULL || t->nsyms == 0) {
        return 0;
    }
    size_t namelen = strlen(name);
    ep_elf_symcand cand;
    if (t->gnu) {
        /* dl-lookup.c do_lookup_x: the bloom filter first, then the bucket's
         * chain of hashes, whose low bit ends the chain. */
        uint64_t bits = t->obj->info.elf_class == 64 ? 64 : 32;
        uint64_t word = addr_at(t, t->bloom_off +
                                       ((gnu_hash / bits) & (t->bloom_size - 1)) *
                                           (bits / 8));
        uint64_t mask = ((uint64_t)1 << (gnu_hash % bits)) |
                        ((uint64_t)1 << ((gnu_hash >> t->bloom_shift) % bits));
        if ((word & mask) != mask) {
            return 0;
        }
        uint32_t i = word_at(t, t->buckets_off + (uint64_t)(gnu_hash % t->nbuckets) * 4);
        if (i == 0 || i < t->symoffset) {
            return 0;
        }
        for (; i < t->nsyms; i++) {
            uint64_t off = t->chain_off + (uint64_t)(i - t->symoffset) * 4;
            if (!in_map(t, off, 4)) {
                break;
            }
            uint32_t h = word_at(t, off);
            if (((h ^ gnu_hash) >> 1) == 0 &&
                match_symbol(t, i, name, namelen, &cand)) {
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
    if (t->sysv) {
        uint32_t i = word_at(t, t->sysv_buckets_off +
                                    (uint64_t)(sysv_hash % t->sysv_nbuckets) * 4);
        /* A chain longer than the table has a loop: stop there. */
        for (uint32_t steps = 0; i != 0 && i < t->sysv_nchain &&
                                 steps < t->sysv_nchain;
             steps++) {
            if (match_symbol(t, i, name, namelen, &cand)) {
                seen++;
                if (fn(&cand, ctx)) {
                    break;
                }
            }
            i = word_at(t, t->sysv_chain_off + (uint64_t)i * 4);
        }
    }
    return seen;
}

bool
ep_elf_header_fields(const ep_object *obj, unsigned char ident[16],
                     uint16_t *type, uint16_t *machine, uint32_t *version,
                     uint16_t *phentsize)
{
    GElf_Ehdr eh;
    if (obj == NULL || obj->elf == NULL || gelf_getehdr(obj->elf, &eh) == NULL) {
        return false;
    }
    memcpy(ident, eh.e_ident, 16);
    *type = eh.e_type;
    *machine = eh.e_machine;
    *version = eh.e_version;
    *phentsize = eh.e_phentsize;
    return true;
}

/* A string of DT_STRTAB, or NULL when it does not end inside the table. */
static const char *
dyn_string(const ep_elf_symtab *t, uint64_t off)
{
    if (off >= t->str_size) {
        return NULL;
    }
    const char *s = (const char *)t->map + t->str_off + off;
    if (memchr(s, '\0', (size_t)(t->str_size - off)) == NULL) {
        return NULL;
    }
    return s;
}

/* Loop bound for version chains: a hostile vn_next can point backwards;
 * real files hold a few dozen entries (as in versions.c). */
#define MAX_VERSION_ENTRIES 65536

ep_status
ep_elf_symtab_verneeds(const ep_elf_symtab *t, ep_elf_verneed_fn fn,
                       void *ctx)
{
    /* dl-version.c _dl_check_map_versions walks vn_next and vna_next until
     * a zero link; the entries have one layout in both ELF classes. */
    if (t == NULL || t->verneed_off == 0 || t->str_size == 0) {
        return EP_OK;
    }
    uint64_t off = t->verneed_off;
    for (size_t n = 0; n < MAX_VERSION_ENTRIES; n++) {
        Elf64_Verneed vn;
        if (!in_map(t, off, sizeof(vn))) {
            return EP_ERR_MALFORMED;
        }
        memcpy(&vn, t->map + off, sizeof(vn));
        const char *file = dyn_string(t, vn.vn_file);
        uint64_t aoff = off + vn.vn_aux;
        for (size_t k = 0; k < vn.vn_cnt && k < MAX_VERSION_ENTRIES; k++) {
            Elf64_Vernaux va;
            if (aoff < off || !in_map(t, aoff, sizeof(va))) {
                return EP_ERR_MALFORMED;
            }
            memcpy(&va, t->map + aoff, sizeof(va));
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
ep_elf_symtab_verdefs(const ep_elf_symtab *t, ep_elf_verdef_fn fn, void *ctx)
{
    /* dl-version.c match_symbol: vd_next until zero, the name in the first
     * Verdaux. */
    if (t == NULL || t->verdef_off == 0 || t->str_size == 0) {
        return EP_OK;
    }
    uint64_t off = t->verdef_off;
    for (size_t n = 0; n < MAX_VERSION_ENTRIES; n++) {
        Elf64_Verdef vd;
        Elf64_Verdaux va;
        if (!in_map(t, off, sizeof(vd))) {
            return EP_ERR_MALFORMED;
        }
        memcpy(&vd, t->map + off, sizeof(vd));
        if (off + vd.vd_aux < off || !in_map(t, off + vd.vd_aux, sizeof(va))) {
            return EP_ERR_MALFORMED;
        }
        memcpy(&va, t->map + off + vd.vd_aux, sizeof(va));
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

bool
ep_elf_symtab_has_verdef(const ep_elf_symtab *t)
{
    return t != NULL && t->verdef_off != 0;
}
