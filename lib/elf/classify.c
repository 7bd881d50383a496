/*
 * What a file is, decided from its first bytes and the ELF header tables
 * before libelf is trusted with it, so that every damaged file gets a precise
 * one-line reason ("program headers end at 0x1040, past the end of the file
 * (832 bytes)") rather than a generic libelf message.
 */
#include "elf/object.h"
#include "util/path.h"
#include "elf/names.h"

#include <string.h>

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint32_t
le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 |
           p[0];
}

/* Mach-O: thin 32/64-bit in either byte order, or a fat (universal) file.
 * 0xcafebabe is also a Java class file; like file(1), treat a small
 * architecture count as Mach-O and a large one (class file version) as not. */
static bool
is_macho(const unsigned char *h, size_t n, const char **what)
{
    if (n < 8) {
        return false;
    }
    uint32_t m = be32(h);
    if (m == 0xfeedface || m == 0xcefaedfe) {
        *what = "Mach-O 32-bit (a macOS build)";
        return true;
    }
    if (m == 0xfeedfacf || m == 0xcffaedfe) {
        *what = "Mach-O 64-bit (a macOS build)";
        return true;
    }
    if ((m == 0xcafebabe || m == 0xcafebabf) && be32(h + 4) > 0 &&
        be32(h + 4) < 20) {
        *what = "Mach-O universal binary (a macOS build)";
        return true;
    }
    return false;
}

static bool
is_pe(const unsigned char *h, size_t n)
{
    if (n < 2 || h[0] != 'M' || h[1] != 'Z') {
        return false;
    }
    /* "MZ" alone is two letters of text: need the DOS header's e_lfanew
     * and, where it lies within what was read, the PE signature there. */
    if (n < 0x40) {
        return false;
    }
    uint32_t off = le32(h + 0x3c);
    if (off > n - 4) {
        /* A DOS stub whose PE header lies beyond what we read. Linkers put
         * it within the first KiB; text bytes there make a value of at
         * least 0x20202020, so a small bound tells the two apart. */
        return off < 0x10000;
    }
    return memcmp(h + off, "PE\0\0", 4) == 0;
}

static bool
is_text(const unsigned char *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (h[i] == 0 || (h[i] < 0x20 && h[i] != '\n' && h[i] != '\r' &&
                          h[i] != '\t' && h[i] != '\f')) {
            return false;
        }
    }
    return n > 0;
}

/* .pyc: a 2-byte magic number followed by "\r\n" (PEP 552 header). Text
 * can have those bytes too (a CRLF file that starts with a blank line), so
 * text is not bytecode: a real .pyc holds NULs in its flags field and in the
 * marshalled code object. */
static bool
is_bytecode(const unsigned char *h, size_t n)
{
    return n >= 4 && h[2] == '\r' && h[3] == '\n' && !is_text(h, n);
}

static bool
contains(const unsigned char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        if (memcmp(h + i, needle, k) == 0) {
            return true;
        }
    }
    return false;
}

/* Python source: text that starts the way Python files do. */
static bool
looks_like_python(const unsigned char *h, size_t n)
{
    static const char *const words[] = {
        "import ", "from ", "def ",   "class ",  "#!",         "# ",
        "\"\"\"",  "'''",   "print(", "__all__", "if __name__"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (contains(h, n, words[i])) {
            return true;
        }
    }
    return false;
}

static void
classify_non_elf(ep_object *obj, const unsigned char *h, size_t n)
{
    const char *what = NULL;
    if (is_macho(h, n, &what)) {
        ep_object_set_bad(obj, EP_KIND_MACHO, "%s, not ELF", what);
    } else if (is_pe(h, n)) {
        ep_object_set_bad(obj, EP_KIND_PE,
                          "PE/COFF (a Windows build), not ELF");
    } else if (n >= 8 && memcmp(h, "!<arch>\n", 8) == 0) {
        ep_object_set_bad(obj, EP_KIND_UNKNOWN,
                          "an ar archive (static library), not a shared "
                          "object");
    } else if (n >= 4 && memcmp(h, "PK\3\4", 4) == 0) {
        ep_object_set_bad(obj, EP_KIND_UNKNOWN,
                          "a zip archive (a wheel?), not a shared object");
    } else if (is_bytecode(h, n)) {
        ep_object_set_bad(obj, EP_KIND_PYTHON_BYTECODE,
                          "Python bytecode, not a compiled extension");
    } else if (is_text(h, n) && looks_like_python(h, n)) {
        ep_object_set_bad(obj, EP_KIND_PYTHON_SOURCE,
                          "Python source text, not a compiled extension");
    } else if (is_text(h, n)) {
        ep_object_set_bad(obj, EP_KIND_UNKNOWN,
                          "a text file, not a compiled object");
    } else {
        ep_object_set_bad(obj, EP_KIND_UNKNOWN,
                          "not ELF: unrecognised magic %02x %02x %02x %02x",
                          n > 0 ? h[0] : 0, n > 1 ? h[1] : 0, n > 2 ? h[2] : 0,
                          n > 3 ? h[3] : 0);
    }
}

/* Decode the ELF header from raw bytes with libelf's own translator, so a
 * header whose tables point past the end of the file can still be
 * described. */
static bool
decode_ehdr(const unsigned char *h, int cls, int data, GElf_Ehdr *out)
{
    Elf_Data src, dst;
    memset(&src, 0, sizeof(src));
    memset(&dst, 0, sizeof(dst));
    src.d_buf = (void *)h;
    src.d_type = ELF_T_EHDR;
    src.d_version = EV_CURRENT;
    dst.d_version = EV_CURRENT;
    if (cls == ELFCLASS32) {
        Elf32_Ehdr e32;
        src.d_size = sizeof(e32);
        dst.d_buf = &e32;
        dst.d_size = sizeof(e32);
        if (elf32_xlatetom(&dst, &src, (unsigned)data) == NULL) {
            return false;
        }
        memcpy(out->e_ident, e32.e_ident, EI_NIDENT);
        out->e_type = e32.e_type;
        out->e_machine = e32.e_machine;
        out->e_version = e32.e_version;
        out->e_entry = e32.e_entry;
        out->e_phoff = e32.e_phoff;
        out->e_shoff = e32.e_shoff;
        out->e_flags = e32.e_flags;
        out->e_ehsize = e32.e_ehsize;
        out->e_phentsize = e32.e_phentsize;
        out->e_phnum = e32.e_phnum;
        out->e_shentsize = e32.e_shentsize;
        out->e_shnum = e32.e_shnum;
        out->e_shstrndx = e32.e_shstrndx;
        return true;
    }
    src.d_size = sizeof(Elf64_Ehdr);
    dst.d_buf = out;
    dst.d_size = sizeof(*out);
    return elf64_xlatetom(&dst, &src, (unsigned)data) != NULL;
}

static void
fill_header_info(ep_object *obj, const GElf_Ehdr *eh)
{
    ep_elf_info *in = &obj->info;
    in->elf_class = eh->e_ident[EI_CLASS] == ELFCLASS32 ? 32 : 64;
    in->data = eh->e_ident[EI_DATA];
    in->osabi = eh->e_ident[EI_OSABI];
    in->abiversion = eh->e_ident[EI_ABIVERSION];
    in->type = eh->e_type;
    in->machine = eh->e_machine;
    in->flags = eh->e_flags;
    in->machine_name =
        ep_elf_machine_name(in->machine, in->elf_class, in->data);
    in->type_name = ep_elf_type_name(in->type);
    in->osabi_name = ep_elf_osabi_name(in->osabi);
    in->endian_name = in->data == ELFDATA2LSB ? "little" : "big";
}

/* Check that a table of num entries of entsize bytes at off lies in the file.
 */
static bool
table_ok(ep_object *obj, const char *what, uint64_t off, uint64_t num,
         uint64_t entsize, uint64_t want_entsize)
{
    if (num == 0) {
        return true;
    }
    if (entsize != want_entsize) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT,
                          "%s entry size is %llu bytes, expected %llu", what,
                          (unsigned long long)entsize,
                          (unsigned long long)want_entsize);
        return false;
    }
    if (!ep_range_ok(off, num * entsize, obj->size)) {
        ep_object_set_bad(obj, EP_KIND_TRUNCATED,
                          "%s (%llu entries at offset 0x%llx) end past the "
                          "end of the file (%llu bytes)",
                          what, (unsigned long long)num,
                          (unsigned long long)off,
                          (unsigned long long)obj->size);
        return false;
    }
    return true;
}

bool
ep_elf_precheck(ep_object *obj, const unsigned char *h, size_t n)
{
    if (obj->size == 0) {
        ep_object_set_bad(obj, EP_KIND_EMPTY, "the file is empty (0 bytes)");
        return false;
    }
    if (n < 4 || memcmp(h, ELFMAG, SELFMAG) != 0) {
        if (n < 4 && n > 0 && memcmp(h, ELFMAG, n) == 0) {
            ep_object_set_bad(obj, EP_KIND_TRUNCATED,
                              "ELF magic cut short after %zu bytes", n);
            return false;
        }
        classify_non_elf(obj, h, n);
        return false;
    }
    if (n < EI_NIDENT) {
        ep_object_set_bad(obj, EP_KIND_TRUNCATED,
                          "ELF identification cut short after %zu bytes", n);
        return false;
    }
    int cls = h[EI_CLASS], data = h[EI_DATA];
    if (cls != ELFCLASS32 && cls != ELFCLASS64) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT, "invalid ELF class byte 0x%02x",
                          cls);
        return false;
    }
    if (data != ELFDATA2LSB && data != ELFDATA2MSB) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT,
                          "invalid ELF data encoding byte 0x%02x", data);
        return false;
    }
    if (h[EI_VERSION] != EV_CURRENT) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT,
                          "unsupported ELF version byte 0x%02x", h[EI_VERSION]);
        return false;
    }
    size_t ehsize = cls == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
    if (n < ehsize || obj->size < ehsize) {
        ep_object_set_bad(obj, EP_KIND_TRUNCATED,
                          "ELF header cut short: %llu of %zu bytes",
                          (unsigned long long)obj->size, ehsize);
        return false;
    }
    GElf_Ehdr eh;
    if (!decode_ehdr(h, cls, data, &eh)) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT, "undecodable ELF header: %s",
                          elf_errmsg(-1));
        return false;
    }
    fill_header_info(obj, &eh);
    size_t phent = cls == ELFCLASS32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
    size_t shent = cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
    if (eh.e_phnum == PN_XNUM) {
        /* The real count is in section header 0; libelf reads it. */
    } else if (!table_ok(obj, "program headers", eh.e_phoff, eh.e_phnum,
                         eh.e_phentsize, phent)) {
        return false;
    }
    if (eh.e_shoff != 0 && eh.e_shnum != 0 &&
        !table_ok(obj, "section headers", eh.e_shoff, eh.e_shnum,
                  eh.e_shentsize, shent)) {
        return false;
    }
    if (eh.e_shoff != 0 && eh.e_shnum == 0 &&
        !table_ok(obj, "section header 0", eh.e_shoff, 1, eh.e_shentsize,
                  shent)) {
        return false;
    }
    if (eh.e_shnum != 0 && eh.e_shstrndx != SHN_XINDEX &&
        eh.e_shstrndx >= eh.e_shnum) {
        ep_object_set_bad(obj, EP_KIND_CORRUPT,
                          "section name table index %u is out of range "
                          "(%u sections)",
                          eh.e_shstrndx, eh.e_shnum);
        return false;
    }
    return true;
}
