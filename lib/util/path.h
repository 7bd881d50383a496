/*
 * Small path and range helpers shared by every part.
 */
#ifndef EXTPROBE_UTIL_PATH_H
#define EXTPROBE_UTIL_PATH_H

#include <stdbool.h>
#include <stdint.h>

/* The part after the last '/'. */
const char *ep_basename(const char *path);

/* Bounds check that cannot overflow: does [off, off+size) fit in total? */
static inline bool
ep_range_ok(uint64_t off, uint64_t size, uint64_t total)
{
    return size <= total && off <= total - size;
}

#endif
