/*
 * The ELF facts gathered at open: program headers, the dynamic section as the
 * loader reads it (through PT_DYNAMIC and DT_STRTAB, so sstrip'ed files work),
 * notes, and what the section headers say about provenance.
 */
#include "elf/object.h"
#include "util/error.h"
#include "util/arena.h"
#include "util/path.h"

#include <string.h>

/* Upper bound on .comment bytes read: real ones are a few hundred bytes. */
#define COMMENT_MAX (64 * 1024)

bool
ep_elf_vaddr_to_offset(Elf *elf, uint64_t vaddr, uint64_t *off)
{
    size_t phnum;
    if (elf_getphdrnum(elf, &phnum) != 0) {
        return false;
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD) {
            continue;
        }
        if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
            *off = ph.p_offset + (vaddr - ph.p_vaddr);
            return true;
        }
    }
    return false;
}

static const char *
phdr_type_name(uint32_t type)
{
    switch (type) {
    case PT_LOAD:
        return "LOAD";
    case PT_DYNAMIC:
        return "DYNAMIC";
    case PT_INTERP:
        return "INTERP";
    case PT_NOTE:
        return "NOTE";
    default:
        return "segment";
    }
}

static bool
push(ep_object *obj, ep_strvec *v, const char *s)
{
    const char *copy = ep_arena_strdup(&obj->arena, s);
    return copy != NULL && ep_strvec_push(&obj->arena, v, copy);
}

/* Split a colon-separated search path as ld.so does (empty entries kept: an
 * empty entry means the current directory to the loader). */
static bool
push_split(ep_object *obj, ep_strvec *v, const char *s)
{
    for (;;) {
        const char *colon = strchr(s, ':');
        size_t len = colon ? (size_t)(colon - s) : strlen(s);
        const char *item = ep_arena_strndup(&obj->arena, s, len);
        if (item == NULL || !ep_strvec_push(&obj->arena, v, item)) {
            return false;
        }
        if (colon == NULL) {
            return true;
        }
        s = colon + 1;
    }
}

typedef struct dyn_strings {
    const char *base;
    size_t size;
} dyn_strings;

static const char *
dyn_str(const dyn_strings *ds, uint64_t off)
{
    if (ds->base == NULL || off >= ds->size) {
        return NULL;
    }
    /* The table must hold a NUL after off, or the string runs off its end. */
    if (memchr(ds->base + off, '\0', ds->size - off) == NULL) {
        return NULL;
    }
    return ds->base + off;
}

static const struct {
    uint64_t bit;
    const char *name;
} df_names[] = {{DF_ORIGIN, "ORIGIN"},
                {DF_SYMBOLIC, "SYMBOLIC"},
                {DF_TEXTREL, "TEXTREL"},
                {DF_BIND_NOW, "BIND_NOW"},
                {DF_STATIC_TLS, "STATIC_TLS"}},
  df1_names[] = {{DF_1_NOW, "NOW"},
                 {DF_1_GLOBAL, "GLOBAL"},
                 {DF_1_GROUP, "GROUP"},
                 {DF_1_NODELETE, "NODELETE"},
                 {DF_1_LOADFLTR, "LOADFLTR"},
                 {DF_1_INITFIRST, "INITFIRST"},
                 {DF_1_NOOPEN, "NOOPEN"},
                 {DF_1_ORIGIN, "ORIGIN"},
                 {DF_1_DIRECT, "DIRECT"},
                 {DF_1_INTERPOSE, "INTERPOSE"},
                 {DF_1_NODEFLIB, "NODEFLIB"},
                 {DF_1_NODUMP, "NODUMP"},
                 {DF_1_CONFALT, "CONFALT"},
                 {DF_1_ENDFILTEE, "ENDFILTEE"},
                 {DF_1_DISPRELDNE, "DISPRELDNE"},
                 {DF_1_DISPRELPND, "DISPRELPND"},
                 {DF_1_NODIRECT, "NODIRECT"},
                 {DF_1_PIE, "PIE"}};

static bool
name_flags(ep_object *obj, ep_strvec *names)
{
    ep_elf_info *in = &obj->info;
    for (size_t i = 0; i < sizeof(df_names) / sizeof(df_names[0]); i++) {
        if ((in->dt_flags & df_names[i].bit) &&
            !push(obj, names, df_names[i].name)) {
            return false;
        }
    }
    for (size_t i = 0; i < sizeof(df1_names) / sizeof(df1_names[0]); i++) {
        if ((in->dt_flags_1 & df1_names[i].bit) &&
            !ep_strvec_contains(names, df1_names[i].name) &&
            !push(obj, names, df1_names[i].name)) {
            return false;
        }
    }
    return true;
}

/* The data of the SHT_STRTAB section at exactly [off, off + size) of the
 * file, or NULL when there is none. */
static Elf_Data *
section_data_at(Elf *elf, uint64_t off, uint64_t size)
{
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL;
         scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) != NULL && sh.sh_type == SHT_STRTAB &&
            sh.sh_offset == off && sh.sh_size == size &&
            (sh.sh_flags & SHF_COMPRESSED) == 0) {
            Elf_Data *d = elf_getdata(scn, NULL);
            return d != NULL && d->d_size == size && d->d_buf != NULL ? d
                                                                      : NULL;
        }
    }
    return NULL;
}

/* The dynamic section, read from PT_DYNAMIC as ld.so reads it. */
static ep_status
read_dynamic(ep_object *obj, const GElf_Phdr *ph, ep_error *err)
{
    ep_elf_info *in = &obj->info;
    Elf_Data *data = elf_getdata_rawchunk(obj->elf, (int64_t)ph->p_offset,
                                          ph->p_filesz, ELF_T_DYN);
    if (data == NULL) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT,
                          "unreadable dynamic segment: %s", elf_errmsg(-1));
        return EP_OK;
    }
    size_t ndyn = data->d_size / gelf_fsize(obj->elf, ELF_T_DYN, 1, EV_CURRENT);
    uint64_t strtab = 0, strsz = 0;
    bool have_strtab = false;
    for (size_t i = 0; i < ndyn; i++) {
        GElf_Dyn d;
        if (gelf_getdyn(data, (int)i, &d) == NULL || d.d_tag == DT_NULL) {
            break;
        }
        if (d.d_tag == DT_STRTAB) {
            strtab = d.d_un.d_ptr;
            have_strtab = true;
        } else if (d.d_tag == DT_STRSZ) {
            strsz = d.d_un.d_val;
        }
    }
    dyn_strings ds = {NULL, 0};
    uint64_t stroff;
    if (have_strtab) {
        if (!ep_elf_vaddr_to_offset(obj->elf, strtab, &stroff) ||
            !ep_range_ok(stroff, strsz, obj->size)) {
            ep_object_set_bad(obj, EP_KIND_CORRUPT,
                              "dynamic string table (0x%llx, %llu bytes) lies "
                              "outside the file",
                              (unsigned long long)strtab,
                              (unsigned long long)strsz);
            return EP_OK;
        }
        /* The section that holds exactly this table (.dynstr) is read once
         * for the symbol and version names too; a raw read otherwise. */
        Elf_Data *sd = section_data_at(obj->elf, stroff, strsz);
        if (sd == NULL) {
            sd = elf_getdata_rawchunk(obj->elf, (int64_t)stroff, strsz,
                                      ELF_T_BYTE);
        }
        if (sd != NULL) {
            ds.base = sd->d_buf;
            ds.size = sd->d_size;
        }
    }
    ep_strvec needed = {0}, rpath = {0}, runpath = {0}, flags = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < ndyn; i++) {
        GElf_Dyn d;
        if (gelf_getdyn(data, (int)i, &d) == NULL || d.d_tag == DT_NULL) {
            break;
        }
        const char *s = NULL;
        switch (d.d_tag) {
        case DT_NEEDED:
        case DT_SONAME:
        case DT_RPATH:
        case DT_RUNPATH:
            s = dyn_str(&ds, d.d_un.d_val);
            if (s == NULL) {
                ep_object_set_bad(obj, EP_KIND_CORRUPT,
                                  "dynamic entry %zu points outside the "
                                  "dynamic string table",
                                  i);
                return EP_OK;
            }
            break;
        case DT_FLAGS:
            in->dt_flags = d.d_un.d_val;
            break;
        case DT_FLAGS_1:
            in->dt_flags_1 = d.d_un.d_val;
            break;
        default:
            break;
        }
        if (d.d_tag == DT_NEEDED) {
            ok = push(obj, &needed, s);
        } else if (d.d_tag == DT_SONAME) {
            in->soname = ep_arena_strdup(&obj->arena, s);
            ok = in->soname != NULL;
        } else if (d.d_tag == DT_RPATH) {
            ok = push_split(obj, &rpath, s);
        } else if (d.d_tag == DT_RUNPATH) {
            ok = push_split(obj, &runpath, s);
        }
    }
    ok = ok && name_flags(obj, &flags);
    if (!ok) {
        return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", obj->path);
    }
    in->has_dynamic = true;
    in->needed = ep_strvec_list(&needed);
    in->rpath = ep_strvec_list(&rpath);
    in->runpath = ep_strvec_list(&runpath);
    in->flag_names = ep_strvec_list(&flags);
    return EP_OK;
}

static ep_status
read_notes(ep_object *obj, const GElf_Phdr *ph, ep_error *err)
{
    ep_elf_info *in = &obj->info;
    Elf_Type t = ph->p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR;
    Elf_Data *data =
        elf_getdata_rawchunk(obj->elf, (int64_t)ph->p_offset, ph->p_filesz, t);
    if (data == NULL) {
        return EP_OK; /* unreadable notes are not worth failing over */
    }
    size_t off = 0, next;
    GElf_Nhdr nh;
    size_t name_off, desc_off;
    while ((next = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
        const char *name = (const char *)data->d_buf + name_off;
        const unsigned char *desc =
            (const unsigned char *)data->d_buf + desc_off;
        bool gnu = nh.n_namesz == 4 && memcmp(name, "GNU", 4) == 0;
        if (gnu && nh.n_type == NT_GNU_BUILD_ID && nh.n_descsz > 0 &&
            nh.n_descsz <= 64 && in->build_id == NULL) {
            char hex[129];
            for (size_t i = 0; i < nh.n_descsz; i++) {
                static const char digits[] = "0123456789abcdef";
                hex[2 * i] = digits[desc[i] >> 4];
                hex[2 * i + 1] = digits[desc[i] & 15];
            }
            hex[2 * nh.n_descsz] = '\0';
            in->build_id = ep_arena_strdup(&obj->arena, hex);
            if (in->build_id == NULL) {
                return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory",
                               obj->path);
            }
        } else if (gnu && nh.n_type == NT_GNU_ABI_TAG && nh.n_descsz >= 16 &&
                   in->abi_tag == NULL) {
            /* Four 32-bit words in the file's byte order: OS, then version. */
            uint32_t w[4];
            Elf_Data src = {.d_buf = (void *)desc,
                            .d_type = ELF_T_WORD,
                            .d_size = 16,
                            .d_version = EV_CURRENT};
            Elf_Data dst = {.d_buf = w,
                            .d_type = ELF_T_WORD,
                            .d_size = 16,
                            .d_version = EV_CURRENT};
            if (gelf_xlatetom(obj->elf, &dst, &src, (unsigned)in->data) !=
                NULL) {
                static const char *const os[] = {"Linux", "GNU", "Solaris",
                                                 "FreeBSD"};
                in->abi_tag = ep_arena_printf(&obj->arena, "%s %u.%u.%u",
                                              w[0] < 4 ? os[w[0]] : "unknown",
                                              w[1], w[2], w[3]);
            }
        }
        off = next;
    }
    return EP_OK;
}

static ep_status
read_program_headers(ep_object *obj, ep_error *err)
{
    size_t phnum;
    if (elf_getphdrnum(obj->elf, &phnum) != 0) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT,
                          "unreadable program headers: %s", elf_errmsg(-1));
        return EP_OK;
    }
    /* First pass: every segment must lie in the file; the loader refuses the
     * file otherwise ("ELF load command past end of file"). */
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(obj->elf, (int)i, &ph) == NULL) {
            ep_object_set_bad(obj, EP_KIND_CORRUPT,
                              "unreadable program header %zu: %s", i,
                              elf_errmsg(-1));
            return EP_OK;
        }
        bool in_file = ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC ||
                       ph.p_type == PT_INTERP || ph.p_type == PT_NOTE;
        if (in_file && !ep_range_ok(ph.p_offset, ph.p_filesz, obj->size)) {
            ep_object_set_bad(
                obj, EP_KIND_TRUNCATED,
                "%s segment %zu (offset 0x%llx, %llu bytes) "
                "ends past the end of the file (%llu bytes)",
                phdr_type_name(ph.p_type), i, (unsigned long long)ph.p_offset,
                (unsigned long long)ph.p_filesz, (unsigned long long)obj->size);
            return EP_OK;
        }
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        ep_status st = EP_OK;
        if (gelf_getphdr(obj->elf, (int)i, &ph) == NULL) {
            continue;
        }
        if (ph.p_type == PT_INTERP && ph.p_filesz > 1 && ph.p_filesz < 4096) {
            Elf_Data *d = elf_getdata_rawchunk(obj->elf, (int64_t)ph.p_offset,
                                               ph.p_filesz, ELF_T_BYTE);
            if (d != NULL) {
                obj->info.interp = ep_arena_strndup(
                    &obj->arena, d->d_buf, strnlen(d->d_buf, d->d_size));
            }
        } else if (ph.p_type == PT_DYNAMIC && !obj->info.has_dynamic) {
            st = read_dynamic(obj, &ph, err);
        } else if (ph.p_type == PT_NOTE) {
            st = read_notes(obj, &ph, err);
        } else if (ph.p_type == PT_GNU_STACK) {
            obj->info.stack_flags = (int)ph.p_flags;
        } else if (ph.p_type == PT_TLS) {
            /* The thread-local block a static-TLS module needs from the
             * loader's fixed surplus (glibc: rtld.optional_static_tls). */
            obj->info.tls_size = ph.p_memsz;
        }
        if (st != EP_OK) {
            return st;
        }
        if (obj->kind != EP_KIND_ELF) {
            return EP_OK;
        }
    }
    return EP_OK;
}

static ep_status
read_comment(ep_object *obj, Elf_Scn *scn, ep_error *err)
{
    Elf_Data *d = elf_getdata(scn, NULL);
    if (d == NULL || d->d_buf == NULL) {
        return EP_OK;
    }
    ep_strvec comments = {0};
    const char *p = d->d_buf;
    size_t size = d->d_size < COMMENT_MAX ? d->d_size : COMMENT_MAX;
    for (size_t off = 0; off < size;) {
        size_t len = strnlen(p + off, size - off);
        if (len > 0) {
            const char *s = ep_arena_strndup(&obj->arena, p + off, len);
            if (s == NULL) {
                return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory",
                               obj->path);
            }
            if (!ep_strvec_contains(&comments, s) &&
                !ep_strvec_push(&obj->arena, &comments, s)) {
                return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory",
                               obj->path);
            }
        }
        off += len + 1;
    }
    obj->info.comments = ep_strvec_list(&comments);
    return EP_OK;
}

/* .gnu_debuglink: the separate debug file's name, NUL-terminated and padded
 * to 4 bytes, then its CRC-32 in the file's byte order (gdb manual,
 * "Debugging Information in Separate Files"). A malformed section is
 * ignored: it only stops the search for debug info. */
static void
read_debuglink(ep_object *obj, Elf_Scn *scn)
{
    Elf_Data *d = elf_getdata(scn, NULL);
    if (d == NULL || d->d_buf == NULL || d->d_size < 8) {
        return;
    }
    const unsigned char *p = d->d_buf;
    size_t len = strnlen((const char *)p, d->d_size);
    size_t at = (len + 4) & ~(size_t)3;
    if (len == 0 || len == d->d_size || at + 4 > d->d_size ||
        memchr(p, '/', len) != NULL) {
        return;
    }
    uint32_t crc = obj->info.data == ELFDATA2MSB
                       ? (uint32_t)p[at] << 24 | (uint32_t)p[at + 1] << 16 |
                             (uint32_t)p[at + 2] << 8 | p[at + 3]
                       : (uint32_t)p[at + 3] << 24 | (uint32_t)p[at + 2] << 16 |
                             (uint32_t)p[at + 1] << 8 | p[at];
    obj->info.debuglink = ep_arena_strndup(&obj->arena, (const char *)p, len);
    obj->info.debuglink_crc = crc;
}

static ep_status
read_sections(ep_object *obj, ep_error *err)
{
    size_t shnum, shstrndx;
    if (elf_getshdrnum(obj->elf, &shnum) != 0) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT,
                          "unreadable section headers: %s", elf_errmsg(-1));
        return EP_OK;
    }
    obj->info.has_section_headers = shnum > 0;
    obj->info.stripped = true;
    if (shnum == 0) {
        return EP_OK;
    }
    if (elf_getshdrstrndx(obj->elf, &shstrndx) != 0) {
        shstrndx = 0;
    }
    Elf_Scn *comment = NULL, *debuglink = NULL;
    for (Elf_Scn *scn = elf_nextscn(obj->elf, NULL); scn != NULL;
         scn = elf_nextscn(obj->elf, scn)) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) == NULL) {
            ep_object_set_bad(obj, EP_KIND_CORRUPT,
                              "unreadable section header %zu: %s",
                              elf_ndxscn(scn), elf_errmsg(-1));
            return EP_OK;
        }
        if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
            !ep_range_ok(sh.sh_offset, sh.sh_size, obj->size)) {
            ep_object_set_bad(obj, EP_KIND_TRUNCATED,
                              "section %zu (offset 0x%llx, %llu bytes) ends "
                              "past the end of the file (%llu bytes)",
                              elf_ndxscn(scn), (unsigned long long)sh.sh_offset,
                              (unsigned long long)sh.sh_size,
                              (unsigned long long)obj->size);
            return EP_OK;
        }
        if (sh.sh_type == SHT_SYMTAB) {
            obj->info.stripped = false;
        }
        const char *name =
            shstrndx ? elf_strptr(obj->elf, shstrndx, sh.sh_name) : NULL;
        if (name == NULL) {
            continue;
        }
        if (strcmp(name, ".comment") == 0 && sh.sh_type == SHT_PROGBITS) {
            comment = scn;
        } else if (strcmp(name, ".debug_info") == 0 ||
                   strcmp(name, ".zdebug_info") == 0) {
            obj->info.has_debug_info = true;
        } else if (strcmp(name, ".gnu_debuglink") == 0 &&
                   sh.sh_type == SHT_PROGBITS) {
            debuglink = scn;
        }
    }
    if (debuglink != NULL) {
        read_debuglink(obj, debuglink);
    }
    return comment ? read_comment(obj, comment, err) : EP_OK;
}

ep_status
ep_elf_read_info(ep_object *obj, ep_error *err)
{
    ep_status st = read_sections(obj, err);
    if (st != EP_OK || obj->kind != EP_KIND_ELF) {
        return st;
    }
    st = read_program_headers(obj, err);
    if (st != EP_OK || obj->kind != EP_KIND_ELF) {
        return st;
    }
    ep_elf_info *in = &obj->info;
    if (in->type == ET_REL) {
        obj->reason = "a relocatable object (.o), not a shared object";
    } else if (in->type == ET_CORE) {
        obj->reason = "a core dump, not a shared object";
    } else if (in->type != ET_DYN && in->type != ET_EXEC) {
        obj->reason = ep_arena_printf(
            &obj->arena, "ELF type 0x%x is not loadable", in->type);
    }
    return EP_OK;
}
