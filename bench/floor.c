/*
 * The floor for `extprobe inspect`: the least a reader can do to know what
 * inspect reports -- for each file, pread the ELF header, the section
 * headers and their names, then the sections whose contents inspect shows
 * (.dynamic, .dynsym and .dynstr, the three .gnu.version tables, the notes,
 * .comment), walk every dynamic symbol's name and version index, and print
 * one line of counts. No libelf, no formatting, no JSON: whatever extprobe
 * spends beyond this is its own overhead. ELF64 little-endian only (the
 * benchmark corpus); anything else is counted and skipped.
 *
 * With --dwarf (built with -DFLOOR_DWARF -lz), also the least a reader of
 * the build provenance does: find the DWARF (in the file, under
 * /usr/lib/debug/.build-id, or by .gnu_debuglink beside the file, in its
 * .debug/ or under /usr/lib/debug), pread the sections provenance comes from
 * (.debug_info, _abbrev, _line, _str, _line_str, _str_offsets, _macro) and
 * inflate the compressed ones. No DWARF is parsed, so the figure is below
 * what any reader of units, line tables and macros can do.
 *
 * Built and run by bench/run.py: cc -O2 -o floor floor.c; floor FILE...
 *   cc -O2 -DFLOOR_DWARF -o floor-dwarf floor.c -lz; floor-dwarf --dwarf FILE...
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef FLOOR_DWARF
#include <zlib.h>
#endif

static void *
read_at(int fd, size_t size, off_t off)
{
    void *p = malloc(size ? size : 1);
    if (p != NULL && pread(fd, p, size, off) != (ssize_t)size) {
        free(p);
        return NULL;
    }
    return p;
}

#ifdef FLOOR_DWARF
static int dwarf_mode;

/* Read (and inflate) the DWARF sections provenance comes from. */
static unsigned long
dwarf_sections(const char *path)
{
    static const char *const wanted[] = {".debug_info", ".debug_abbrev", ".debug_line",
                                         ".debug_str", ".debug_line_str",
                                         ".debug_str_offsets", ".debug_macro"};
    unsigned long sum = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    Elf64_Ehdr eh;
    if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shstrndx >= eh.e_shnum) {
        close(fd);
        return 0;
    }
    Elf64_Shdr *sh = read_at(fd, (size_t)eh.e_shnum * sizeof(Elf64_Shdr), (off_t)eh.e_shoff);
    char *names = sh ? read_at(fd, sh[eh.e_shstrndx].sh_size, (off_t)sh[eh.e_shstrndx].sh_offset)
                     : NULL;
    for (unsigned i = 0; names && i < eh.e_shnum; i++) {
        const char *n = names + sh[i].sh_name;
        int want = 0;
        for (size_t k = 0; k < sizeof(wanted) / sizeof(*wanted); k++) {
            want |= strcmp(n, wanted[k]) == 0;
        }
        if (!want || sh[i].sh_type == SHT_NOBITS) {
            continue;
        }
        unsigned char *b = read_at(fd, sh[i].sh_size, (off_t)sh[i].sh_offset);
        if (b == NULL) {
            continue;
        }
        unsigned char *data = b;
        size_t size = sh[i].sh_size;
        if ((sh[i].sh_flags & SHF_COMPRESSED) && size >= sizeof(Elf64_Chdr)) {
            Elf64_Chdr ch;
            memcpy(&ch, b, sizeof(ch));
            uLongf out = ch.ch_size;
            data = ch.ch_type == ELFCOMPRESS_ZLIB ? malloc(out ? out : 1) : NULL;
            if (data == NULL || uncompress(data, &out, b + sizeof(ch), size - sizeof(ch)) != Z_OK) {
                free(data);
                data = NULL;
            }
            size = out;
        }
        for (size_t k = 0; data && k < size; k += 4096) {
            sum += data[k];
        }
        if (data != b) {
            free(data);
        }
        free(b);
    }
    free(names);
    free(sh);
    close(fd);
    return sum;
}

static int
exists(const char *p)
{
    return access(p, F_OK) == 0;
}

/* Where the DWARF is: the file, its build-id file, its debuglink. */
static unsigned long
dwarf_floor(const char *path, int has_info, const char *build_id, const char *debuglink)
{
    char p[4096];
    if (has_info) {
        return dwarf_sections(path);
    }
    if (build_id[0] != '\0' && strlen(build_id) > 2) {
        snprintf(p, sizeof(p), "/usr/lib/debug/.build-id/%.2s/%s.debug", build_id, build_id + 2);
        if (exists(p)) {
            return dwarf_sections(p);
        }
    }
    if (debuglink != NULL && debuglink[0] != '\0') {
        const char *slash = strrchr(path, '/');
        int dl = slash ? (int)(slash - path) : 1;
        const char *dir = slash ? path : ".";
        const char *forms[] = {"%.*s/%s", "%.*s/.debug/%s", "/usr/lib/debug%.*s/%s"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(p, sizeof(p), forms[k], dl, dir, debuglink);
            if (strcmp(p, path) != 0 && exists(p)) {
                return dwarf_sections(p);
            }
        }
    }
    return 0;
}
#endif

static int
one(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    Elf64_Ehdr eh;
    if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
        memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr)) {
        close(fd);
        return -1;
    }
    Elf64_Phdr *ph = read_at(fd, (size_t)eh.e_phnum * sizeof(Elf64_Phdr), (off_t)eh.e_phoff);
    Elf64_Shdr *sh = read_at(fd, (size_t)eh.e_shnum * sizeof(Elf64_Shdr), (off_t)eh.e_shoff);
    if (sh == NULL || eh.e_shstrndx >= eh.e_shnum) {
        free(ph);
        free(sh);
        close(fd);
        return -1;
    }
    char *names = read_at(fd, sh[eh.e_shstrndx].sh_size, (off_t)sh[eh.e_shstrndx].sh_offset);
    unsigned long nsym = 0, nneeded = 0, nnotes = 0, sum = 0;
    Elf64_Sym *syms = NULL;
    char *dynstr = NULL;
    size_t dynstr_size = 0;
#ifdef FLOOR_DWARF
    char build_id[2 * 64 + 1] = "";
    char *debuglink = NULL;
    int has_info = 0;
#endif
    for (unsigned i = 0; names && i < eh.e_shnum; i++) {
        const char *n = names + sh[i].sh_name;
        if (sh[i].sh_type == SHT_NOBITS) {
            continue;
        }
#ifdef FLOOR_DWARF
        has_info |= strcmp(n, ".debug_info") == 0;
        if (dwarf_mode && strcmp(n, ".gnu_debuglink") == 0 && sh[i].sh_size > 0) {
            free(debuglink);
            debuglink = read_at(fd, sh[i].sh_size, (off_t)sh[i].sh_offset);
            if (debuglink) {
                debuglink[sh[i].sh_size - 1] = '\0';
            }
        }
        if (dwarf_mode && strcmp(n, ".note.gnu.build-id") == 0 && sh[i].sh_size > 16 &&
            sh[i].sh_size < 16 + 64 + 4) {
            unsigned char *b = read_at(fd, sh[i].sh_size, (off_t)sh[i].sh_offset);
            Elf64_Nhdr nh;
            if (b != NULL) {
                memcpy(&nh, b, sizeof(nh));
                size_t off = sizeof(nh) + ((nh.n_namesz + 3) & ~3u);
                for (size_t k = 0; k < nh.n_descsz && k < 64 && off + k < sh[i].sh_size; k++) {
                    snprintf(build_id + 2 * k, 3, "%02x", b[off + k]);
                }
            }
            free(b);
        }
#endif
        void *data = NULL;
        if (sh[i].sh_type == SHT_DYNSYM) {
            syms = read_at(fd, sh[i].sh_size, (off_t)sh[i].sh_offset);
            nsym = syms ? sh[i].sh_size / sizeof(Elf64_Sym) : 0;
            Elf64_Shdr *s = &sh[sh[i].sh_link < eh.e_shnum ? sh[i].sh_link : 0];
            dynstr = read_at(fd, s->sh_size, (off_t)s->sh_offset);
            dynstr_size = dynstr ? s->sh_size : 0;
        } else if (sh[i].sh_type == SHT_DYNAMIC) {
            Elf64_Dyn *d = data = read_at(fd, sh[i].sh_size, (off_t)sh[i].sh_offset);
            for (size_t k = 0; d && k < sh[i].sh_size / sizeof(*d); k++) {
                nneeded += d[k].d_tag == DT_NEEDED;
            }
        } else if (sh[i].sh_type == SHT_NOTE || sh[i].sh_type == SHT_GNU_versym ||
                   sh[i].sh_type == SHT_GNU_verneed || sh[i].sh_type == SHT_GNU_verdef ||
                   strcmp(n, ".comment") == 0) {
            unsigned char *b = data = read_at(fd, sh[i].sh_size, (off_t)sh[i].sh_offset);
            nnotes += sh[i].sh_type == SHT_NOTE;
            for (size_t k = 0; b && k < sh[i].sh_size; k += 64) {
                sum += b[k];
            }
        }
        free(data);
    }
    for (unsigned long k = 1; syms && dynstr && k < nsym; k++) {
        if (syms[k].st_name < dynstr_size) {
            sum += (unsigned char)dynstr[syms[k].st_name] + strlen(dynstr + syms[k].st_name);
        }
    }
#ifdef FLOOR_DWARF
    if (dwarf_mode) {
        sum += dwarf_floor(path, has_info, build_id, debuglink);
    }
    free(debuglink);
#endif
    printf("%s %lu %lu %lu %lu\n", path, nsym, nneeded, nnotes, sum);
    free(syms);
    free(dynstr);
    free(names);
    free(ph);
    free(sh);
    close(fd);
    return 0;
}

int
main(int argc, char **argv)
{
    int bad = 0, first = 1;
#ifdef FLOOR_DWARF
    if (argc > 1 && strcmp(argv[1], "--dwarf") == 0) {
        dwarf_mode = 1;
        first = 2;
    }
#endif
    for (int i = first; i < argc; i++) {
        bad += one(argv[i]) != 0;
    }
    fprintf(stderr, "%d skipped\n", bad);
    return 0;
}
