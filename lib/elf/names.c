/*
 * Readable names for ELF header values and symbol attributes. The strings are
 * part of the JSON output: keep them stable.
 */
#include "elf/names.h"

#include <elf.h>

const char *
ep_elf_machine_name(int machine, int elf_class, int data)
{
    switch (machine) {
    case EM_X86_64:
        return elf_class == 32 ? "x32" : "x86_64";
    case EM_386:
        return "i386";
    case EM_AARCH64:
        return data == ELFDATA2MSB ? "aarch64_be" : "aarch64";
    case EM_ARM:
        return "arm";
    case EM_PPC64:
        return data == ELFDATA2LSB ? "ppc64le" : "ppc64";
    case EM_PPC:
        return "ppc";
    case EM_S390:
        return elf_class == 64 ? "s390x" : "s390";
    case EM_RISCV:
        return elf_class == 64 ? "riscv64" : "riscv32";
    case EM_MIPS:
        return elf_class == 64 ? "mips64" : "mips";
    case EM_SPARCV9:
        return "sparc64";
    case EM_SPARC:
        return "sparc";
    case EM_IA_64:
        return "ia64";
    case EM_ALPHA:
        return "alpha";
    case EM_SH:
        return "sh";
    case EM_PARISC:
        return "hppa";
    case EM_68K:
        return "m68k";
#ifdef EM_LOONGARCH
    case EM_LOONGARCH:
        return "loongarch64";
#endif
    case EM_NONE:
        return "none";
    default:
        return "unknown";
    }
}

const char *
ep_elf_type_name(int type)
{
    switch (type) {
    case ET_NONE:
        return "none";
    case ET_REL:
        return "rel";
    case ET_EXEC:
        return "exec";
    case ET_DYN:
        return "dyn";
    case ET_CORE:
        return "core";
    default:
        return "unknown";
    }
}

const char *
ep_elf_osabi_name(int osabi)
{
    switch (osabi) {
    case ELFOSABI_SYSV:
        return "sysv";
    case ELFOSABI_GNU:
        return "gnu";
    case ELFOSABI_FREEBSD:
        return "freebsd";
    case ELFOSABI_NETBSD:
        return "netbsd";
    case ELFOSABI_OPENBSD:
        return "openbsd";
    case ELFOSABI_SOLARIS:
        return "solaris";
    case ELFOSABI_ARM:
        return "arm";
    case ELFOSABI_STANDALONE:
        return "standalone";
    default:
        return "unknown";
    }
}

const char *
ep_symbol_type_str(uint8_t type)
{
    switch (type) {
    case STT_NOTYPE:
        return "notype";
    case STT_OBJECT:
        return "object";
    case STT_FUNC:
        return "func";
    case STT_SECTION:
        return "section";
    case STT_FILE:
        return "file";
    case STT_COMMON:
        return "common";
    case STT_TLS:
        return "tls";
    case STT_GNU_IFUNC:
        return "ifunc";
    default:
        return "unknown";
    }
}

const char *
ep_symbol_bind_str(uint8_t bind)
{
    switch (bind) {
    case STB_LOCAL:
        return "local";
    case STB_GLOBAL:
        return "global";
    case STB_WEAK:
        return "weak";
    case STB_GNU_UNIQUE:
        return "unique";
    default:
        return "unknown";
    }
}

const char *
ep_symbol_visibility_str(uint8_t visibility)
{
    switch (visibility) {
    case STV_DEFAULT:
        return "default";
    case STV_INTERNAL:
        return "internal";
    case STV_HIDDEN:
        return "hidden";
    case STV_PROTECTED:
        return "protected";
    default:
        return "unknown";
    }
}
