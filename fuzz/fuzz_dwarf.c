/*
 * libFuzzer target: build provenance (lib/dwarf/) the way the library
 * reads it -- never libdwarf in this process. Debian's libdwarf 20210528
 * double-frees on malformed DWARF (TOOLCHAIN.md), which is why it only runs
 * in the helper extprobe-dwarf; fuzzing it here would find that known
 * crash of someone else's code, over and over. So an input is one of:
 *
 *  - an ELF file (it starts with the ELF magic): written to a scratch file
 *    and read by ep_provenance_read() -- the debug-file lookup (build-id
 *    note, .gnu_debuglink and its CRC) in this process, then the helper in
 *    its own process under its limits, then the parser of its answer. The
 *    helper may crash, hang or print anything: that must come back as
 *    "unreadable" with a reason, and this process must not crash, hang or
 *    leak. libFuzzer sees the coverage of our code only, not the child's;
 *  - anything else: taken as the helper's answer itself, what a broken or
 *    hostile reader might print, through the same record parser
 *    (ep_provenance_from_records), in this process, where libFuzzer sees
 *    every branch.
 *
 * The helper is the one the build made (EP_FUZZ_DWARF_HELPER) unless
 * $EXTPROBE_DWARF_HELPER names another; debug files are looked for only in
 * the scratch directory.
 */
#include "fuzz_common.h"

#include "dwarf/provenance.h"

#include <extprobe/extprobe.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char elf_path[PATH_MAX];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    setenv("EXTPROBE_DWARF_HELPER", EP_FUZZ_DWARF_HELPER, 0);
    setenv("EXTPROBE_DEBUG_DIRS", ep_fuzz_scratch(), 1);
    snprintf(elf_path, sizeof(elf_path), "%s/fuzz.so", ep_fuzz_scratch());
    return 0;
}

/* What every answer must be, whatever the input. */
static void
check(const ep_provenance_info *in)
{
    if (in == NULL) {
        __builtin_trap();
    }
    switch (in->status) {
    case EP_DEBUG_READ:
        break;
    case EP_DEBUG_UNREADABLE:
        if (in->reason == NULL || in->reason[0] == '\0') {
            __builtin_trap();
        }
        break;
    case EP_DEBUG_ABSENT:
        if (in->nproducers != 0) {
            __builtin_trap();
        }
        break;
    default:
        __builtin_trap();
    }
    size_t units = 0;
    for (size_t i = 0; i < in->nproducers; i++) {
        const ep_build_unit *u = &in->producers[i];
        if (u->producer == NULL || u->units == 0) {
            __builtin_trap();
        }
        units += u->units;
        for (size_t f = 0; f < u->flags.count; f++) {
            if (u->flags.items[f][0] != '-') {
                __builtin_trap();
            }
        }
    }
    /* A read answer's units add up ("end UNITS" is checked against them);
     * an unreadable one may stop halfway through a unit. */
    if (in->status == EP_DEBUG_READ && units != in->units) {
        __builtin_trap();
    }
    for (size_t i = 0; i < in->python_headers.count; i++) {
        (void)strlen(in->python_headers.items[i]);
    }
    /* Unit sources: never empty, at most one a unit (when read) and
     * EP_DWARF_SOURCES_MAX in all, each once. */
    if (in->sources.count > EP_DWARF_SOURCES_MAX ||
        (in->status == EP_DEBUG_READ && in->sources.count > in->units)) {
        __builtin_trap();
    }
    for (size_t i = 0; i < in->sources.count; i++) {
        const char *src = in->sources.items[i];
        if (src[0] == '\0') {
            __builtin_trap();
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(src, in->sources.items[k]) == 0) {
                __builtin_trap();
            }
        }
    }
    (void)ep_debug_status_str(in->status);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (elf_path[0] == '\0') {
        LLVMFuzzerInitialize(NULL, NULL);
    }
    ep_provenance *p = NULL;
    if (size >= 4 && memcmp(data,
                            "\x7f"
                            "ELF",
                            4) == 0) {
        ep_object *obj = NULL;
        if (!ep_fuzz_write(elf_path, data, size) ||
            ep_object_open(elf_path, &obj, NULL) != EP_OK) {
            return 0;
        }
        if (ep_provenance_read(obj, &p, NULL) == EP_OK) {
            check(ep_provenance_get(p));
        }
        ep_object_close(obj);
    } else if (ep_provenance_from_records((const char *)data, size, &p, NULL) ==
               EP_OK) {
        check(ep_provenance_get(p));
    }
    ep_provenance_free(p);
    return 0;
}
