/*
 * Growable arrays, on the heap or in an arena (util/grow.h).
 */
#include "util/grow.h"
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The first capacity: small arrays are the common case. */
#define GROW_FIRST 8

/* The capacity that holds need elements, or 0 when it would overflow. */
static size_t
next_cap(size_t cap, size_t need, size_t elem)
{
    size_t c = cap ? cap : GROW_FIRST;
    while (c < need) {
        if (c > SIZE_MAX / 2) {
            return 0;
        }
        c *= 2;
    }
    return c > SIZE_MAX / elem ? 0 : c;
}

bool
ep_grow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap && *items != NULL) {
        return true;
    }
    size_t c = next_cap(*cap, need, elem);
    if (c == 0) {
        return false;
    }
    void *p = realloc(*items, c * elem);
    if (p == NULL) {
        return false;
    }
    *items = p;
    *cap = c;
    return true;
}

bool
ep_arena_grow(ep_arena *a, void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap && *items != NULL) {
        return true;
    }
    size_t c = next_cap(*cap, need, elem);
    if (c == 0) {
        return false;
    }
    /* Only the new part is zeroed (callers may count on it); the old
     * part is copied over. */
    size_t keep = *items != NULL ? *cap : 0;
    void *p = ep_arena_alloc_uninit(a, c * elem);
    if (p == NULL) {
        return false;
    }
    if (keep > 0) {
        memcpy(p, *items, keep * elem);
    }
    memset((char *)p + keep * elem, 0, (c - keep) * elem);
    *items = p;
    *cap = c;
    return true;
}
