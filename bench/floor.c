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
 * Built and run by bench/run.py: cc -O2 -o floor floor.c; floor FILE...
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    for (unsigned i = 0; names && i < eh.e_shnum; i++) {
        const char *n = names + sh[i].sh_name;
        if (sh[i].sh_type == SHT_NOBITS) {
            continue;
        }
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
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        bad += one(argv[i]) != 0;
    }
    fprintf(stderr, "%d skipped\n", bad);
    return 0;
}
