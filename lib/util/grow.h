/*
 * The one growable-array step: make room for `need` elements of `elem`
 * bytes, doubling the capacity (overflow-checked). On failure the array is
 * unchanged, so the caller's cleanup frees what it had.
 */
#ifndef EXTPROBE_UTIL_GROW_H
#define EXTPROBE_UTIL_GROW_H

#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

/* A heap array (realloc); free(*items) releases it. */
bool ep_grow(void **items, size_t *cap, size_t need, size_t elem);

/* An array in an arena: a larger copy is made in the arena, the old one
 * stays there until the arena is released. */
bool ep_arena_grow(ep_arena *a, void **items, size_t *cap, size_t need,
                   size_t elem);

#endif
