/*
 * lib/dwarf's own declarations beyond dwarf.h: finding the debug file and
 * running the helper. The public entries are ep_provenance_read() and
 * ep_provenance_read_with().
 */
#ifndef EXTPROBE_DWARF_PROVENANCE_H
#define EXTPROBE_DWARF_PROVENANCE_H

#include "dwarf/dwarf.h"
#include "util/arena.h"
#include "util/error.h"

/* isolate.c: the helper program's path ($EXTPROBE_DWARF_HELPER, next to the
 * object holding this code, EP_LIBEXECDIR), or NULL when there is none. */
const char *ep_dwarf_helper_path(ep_arena *a);

/* isolate.c: have r's helper read file, starting a helper when none runs.
 * On EP_OK either *records is the answer (caller frees with free()) or *why
 * says why there is none (in a; the helper was then reaped, and the next
 * file gets a fresh one). Failures of our own process (socket, poll,
 * memory) are the status. */
ep_status ep_dwarf_reader_run(ep_provenance_reader *r, const char *file,
                              ep_arena *a, char **records, const char **why,
                              ep_error *err);

/* isolate.c: kill and reap r's helper now (it answered with something that
 * is not the record format); the next file gets a fresh one. */
void ep_dwarf_reader_retire(ep_provenance_reader *r);

/* provenance.c: the provenance an answer of the helper says (len bytes,
 * any bytes), checked as ep_provenance_read() checks it: what is not the
 * record format makes it unreadable. For the fuzz target fuzz_dwarf, which
 * feeds the parser what a misbehaving reader might print.
 * Ownership: caller frees with ep_provenance_free(). */
ep_status ep_provenance_from_records(const char *data, size_t len,
                                     ep_provenance **out, ep_error *err);

/* locate.c: the file holding obj's DWARF and how it was found ("embedded",
 * "build-id", "debuglink"), or *path NULL with *note saying what was tried
 * (NULL when nothing was there to try). */
ep_status ep_dwarf_locate(const ep_object *obj, ep_arena *a, const char **path,
                          const char **how, const char **note, ep_error *err);

/* locate.c: CRC-32 (IEEE 802.3, as zlib and gdb's .gnu_debuglink compute)
 * of a whole file; false when it cannot be read. */
bool ep_dwarf_file_crc32(const char *path, uint32_t *crc);

#endif
