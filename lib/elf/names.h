/*
 * Readable names of ELF header values, shared by every part that shows an
 * ELF fact: one spelling of each machine, type and OS ABI ("x86_64",
 * "aarch64"), the one the JSON output has always used.
 */
#ifndef EXTPROBE_ELF_NAMES_H
#define EXTPROBE_ELF_NAMES_H

#include <extprobe/extprobe.h>

/* e_machine with the class (32/64) and data encoding (ELFDATA2*) that
 * refine it; "unknown" for a machine without a name here. */
const char *ep_elf_machine_name(int machine, int elf_class, int data);
const char *ep_elf_type_name(int type);
const char *ep_elf_osabi_name(int osabi);

#endif
