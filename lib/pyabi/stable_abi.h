/*
 * The Stable ABI manifest (PEP 384, PEP 652): every function and data name a
 * module built with Py_LIMITED_API may import, with the 3.x version in which
 * it joined. The rows come from lib/pyabi/stable_abi.txt, derived from the
 * headers and libpython of real CPythons by scripts/gen_stable_abi.py and
 * turned into a sorted C table at build time (gen_table.py). A leaf part:
 * libc only.
 */
#ifndef EXTPROBE_PYABI_STABLE_ABI_H
#define EXTPROBE_PYABI_STABLE_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EP_STABLE_ABI_FUNCTION 1
#define EP_STABLE_ABI_DATA 2

typedef struct ep_stable_abi_entry {
    const char *name;
    uint8_t kind;  /* EP_STABLE_ABI_FUNCTION or EP_STABLE_ABI_DATA */
    uint8_t added; /* minor of 3.x in which it joined: 2 for 3.2 (or
                      earlier data: see stable_abi.txt), 10 for 3.10 */
    bool abi_only; /* Stable ABI but not Limited API: private names the
                      macros expand to (_Py_Dealloc), names since dropped
                      from the headers */
} ep_stable_abi_entry;

/**
 * Look a symbol name up in the manifest (binary search, exact match; a
 * versioned name "PyFoo@VERS" is not stripped here).
 * @param[in] name  the symbol name, e.g. "PyType_FromSpec"
 * @return the entry, or NULL when the name is not in the Stable ABI.
 * Ownership: static
 */
const ep_stable_abi_entry *ep_stable_abi_find(const char *name);

/* The generated table, sorted by strcmp() of the names, and its length. */
extern const ep_stable_abi_entry ep_stable_abi_table[];
extern const size_t ep_stable_abi_count;

#endif
