/*
 * Lookups in the Stable ABI table that gen_table.py generates from
 * stable_abi.txt (sorted, so bsearch applies).
 */
#include "pyabi/stable_abi.h"

#include <stdlib.h>
#include <string.h>

static int
compare_name(const void *key, const void *entry)
{
    return strcmp((const char *)key,
                  ((const ep_stable_abi_entry *)entry)->name);
}

const ep_stable_abi_entry *
ep_stable_abi_find(const char *name)
{
    if (name == NULL) {
        return NULL;
    }
    return bsearch(name, ep_stable_abi_table, ep_stable_abi_count,
                   sizeof *ep_stable_abi_table, compare_name);
}
