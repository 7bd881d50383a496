/*
 * Growing chained hash tables (chain.h).
 */
#include "util/chain.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void **
next_of(void *entry, size_t next_off)
{
    return (void **)((char *)entry + next_off);
}

bool
ep_chain_reserve(ep_arena *a, void ***slots, size_t *size, size_t count,
                 size_t min, size_t next_off, ep_chain_hash_fn hash)
{
    if (*slots != NULL && count <= *size) {
        return true;
    }
    size_t n = *slots == NULL ? min : *size;
    while (n < count) {
        if (n > SIZE_MAX / 2 / sizeof(void *)) {
            return *slots != NULL;
        }
        n *= 2;
    }
    void **fresh = ep_arena_alloc(a, n * sizeof(*fresh));
    if (fresh == NULL) {
        return false;
    }
    if (*slots != NULL) {
        /* Each entry goes to the tail of its new chain, so entries that
         * shared a chain (equal keys always do) keep their order. */
        void ***tails = malloc(n * sizeof(*tails));
        if (tails == NULL) {
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            tails[i] = &fresh[i];
        }
        for (size_t i = 0; i < *size; i++) {
            void *e = (*slots)[i];
            while (e != NULL) {
                void *next = *next_of(e, next_off);
                size_t k = hash(e) % n;
                *tails[k] = e;
                *next_of(e, next_off) = NULL;
                tails[k] = next_of(e, next_off);
                e = next;
            }
        }
        free(tails);
    }
    *slots = fresh;
    *size = n;
    return true;
}
