/*
 * Hash tables of singly linked chains that start small and double: a
 * one-file process touches a page or two of them, a session of thousands
 * of files keeps chains short. The entries are the caller's; only the
 * heads live here.
 */
#ifndef EXTPROBE_UTIL_CHAIN_H
#define EXTPROBE_UTIL_CHAIN_H

#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

/* The slot of an entry: its key's hash (the table takes it modulo size). */
typedef size_t (*ep_chain_hash_fn)(const void *entry);

/* Make the table (*slots, *size heads) ready for count entries: made with
 * min heads when *slots is NULL, doubled when count exceeds *size, every
 * chain moved in its order (entries with equal keys keep theirs). next_off
 * is the offset of the entry's next pointer. False when memory ran out:
 * a table that existed is left as it was, and still works. */
bool ep_chain_reserve(ep_arena *a, void ***slots, size_t *size, size_t count,
                      size_t min, size_t next_off, ep_chain_hash_fn hash);

#endif
