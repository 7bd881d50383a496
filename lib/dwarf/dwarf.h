/*
 * Build provenance from DWARF, shared by the files of lib/dwarf/ and the
 * helper program (helper_main.c). Only lib/dwarf/scan.c includes
 * libdwarf; everything else here is plain C that never touches DWARF bytes.
 *
 * Debian's libdwarf 20210528 double-frees on malformed input, so the scan
 * never runs in the caller's process: the helper program `extprobe-dwarf`
 * runs it under CPU, memory and wall-clock limits and writes records to its
 * standard output; the caller parses them (docs/design/dwarf.md).
 *
 * Records, one a line, fields separated by a tab; in each field a backslash,
 * tab or newline is written \\, \t, \n:
 *   unit  PRODUCER  LANG  NAME  MACROS  COMPDIR
 *                                         one compilation unit; LANG is the
 *                                         DW_LANG number in decimal (0: none),
 *                                         NAME its DW_AT_name (the source as
 *                                         the compiler was given it, often
 *                                         relative), MACROS 1 when it has
 *                                         .debug_macro, COMPDIR its
 *                                         DW_AT_comp_dir ("" when absent)
 *   pyhdr PATH                            a Python header in its line table
 *   macro NAME  VALUE                     a Python macro (see
 * ep_dwarf_macro_wanted) error MESSAGE                         libdwarf refused
 * the file end   UNITS                           the scan finished: UNITS units
 */
/*
 * Batch protocol (extprobe-dwarf --serve, docs/design/dwarf.md): the caller
 * writes one request a line on the helper's standard input,
 *   file  PATH                            escaped as a record field
 * and the helper answers with that file's records, exactly what
 * `extprobe-dwarf PATH` would print, then one line that closes the answer:
 *   next                                  ready for the next request
 *   exit                                  the helper exits now (it served
 *                                         EP_DWARF_SERVE_FILES files or grew
 *                                         by EP_DWARF_RETIRE_BYTES)
 * Neither line can be a record: every record has a tab after its kind. The
 * end of input ends the helper.
 */
#ifndef EXTPROBE_DWARF_DWARF_H
#define EXTPROBE_DWARF_DWARF_H

#include "util/arena.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* The helper's name, and the limits it runs under. */
#define EP_DWARF_HELPER "extprobe-dwarf"
#define EP_DWARF_CPU_SECONDS 20
#define EP_DWARF_WALL_SECONDS 30.0
#define EP_DWARF_MEMORY_BYTES (1024ull * 1024 * 1024)
/* A well-formed answer is a few KB; more is a runaway reader. */
#define EP_DWARF_RECORDS_MAX (4u * 1024 * 1024)
/* A serving helper is replaced after this many files, or once its address
 * space has grown this much (libdwarf may leak, and a file's 1 GiB budget
 * counts from the size the process has when the file starts). */
#define EP_DWARF_SERVE_FILES 256u
#define EP_DWARF_RETIRE_BYTES (256ull * 1024 * 1024)
/* Distinct unit sources kept (ep_provenance_info.sources); a module of more
 * is rare, and the list is searched for each unit. */
#define EP_DWARF_SOURCES_MAX 1024u
/* A request line longer than this is not one the library writes. */
#define EP_DWARF_REQUEST_MAX (64u * 1024)
/* How long a helper that was told to stop (end of input) may take to exit
 * before it is killed. */
#define EP_DWARF_EXIT_SECONDS 1.0

/* scan.c: read the DWARF of the ELF file open on fd and append records to
 * out, ending with "end" or "error". Runs in the helper only. */
void ep_dwarf_scan(int fd, ep_strbuf *out);

/* records.c: one record line, fields escaped, newline-terminated. */
void ep_dwarf_record(ep_strbuf *out, const char *kind,
                     const char *const *fields, size_t nfields);

/* records.c: the path of a request line ("file\tPATH", NUL-terminated, no
 * newline), unescaped into buf (reset by the caller); NULL when the line
 * is not a request or buf failed. */
const char *ep_dwarf_request_path(const char *line, ep_strbuf *buf);

/* The macros worth a record: the Python version and ABI switches. */
bool ep_dwarf_macro_wanted(const char *name, size_t len);

/* A file of the line table that is one of CPython's public headers (by its
 * base name); its directory names the headers the unit was built against. */
bool ep_dwarf_is_python_header(const char *path);

#endif
