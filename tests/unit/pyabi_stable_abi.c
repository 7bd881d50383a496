/*
 * The Stable ABI table: lookups of names whose version the real headers
 * state (the Py_LIMITED_API guards of CPython 3.13's Include/), abi-only
 * names the Limited API's macros expand to, names outside the manifest, and
 * the table against its data file lib/pyabi/stable_abi.txt row by row.
 */
#include "test-config.h"

#include "pyabi/stable_abi.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

static void
expect(const char *name, int kind, int added, bool abi_only)
{
    const ep_stable_abi_entry *e = ep_stable_abi_find(name);
    cr_assert(e != NULL, "%s: not in the table", name);
    cr_assert(eq(int, e->kind, kind), "%s: kind", name);
    cr_assert(eq(int, e->added, added), "%s: added 3.%d, want 3.%d", name,
              e->added, added);
    cr_assert(eq(int, e->abi_only, abi_only), "%s: abi_only", name);
}

Test(pyabi, versions_follow_the_header_guards)
{
    expect("PyType_FromSpec", EP_STABLE_ABI_FUNCTION, 2, false);
    /* object.h: Py_LIMITED_API+0 >= 0x03030000 */
    expect("PyType_FromSpecWithBases", EP_STABLE_ABI_FUNCTION, 3, false);
    /* moduleobject.h: >= 0x03050000 */
    expect("PyModule_FromDefAndSpec2", EP_STABLE_ABI_FUNCTION, 5, false);
    /* genericaliasobject.h has no guard, but no CPython before 3.9
     * exports it */
    expect("Py_GenericAlias", EP_STABLE_ABI_FUNCTION, 9, false);
    /* object.h: >= 0x03090000 (CPython's own manifest says 3.10: the
     * Windows python3.dll of 3.9 lacked it) */
    expect("PyType_GetModule", EP_STABLE_ABI_FUNCTION, 9, false);
    expect("PyUnicode_AsUTF8AndSize", EP_STABLE_ABI_FUNCTION, 10, false);
    expect("PyType_GetName", EP_STABLE_ABI_FUNCTION, 11, false);
    expect("PyObject_Vectorcall", EP_STABLE_ABI_FUNCTION, 12, false);
    expect("PyLong_AsInt", EP_STABLE_ABI_FUNCTION, 13, false);
    expect("PyExc_TypeError", EP_STABLE_ABI_DATA, 2, false);
    expect("PyExc_ModuleNotFoundError", EP_STABLE_ABI_DATA, 6, false);
}

Test(pyabi, private_names_the_macros_reach_are_abi_only)
{
    expect("_Py_Dealloc", EP_STABLE_ABI_FUNCTION, 2, true); /* Py_DECREF */
    expect("_Py_NoneStruct", EP_STABLE_ABI_DATA, 2, true);  /* Py_None */
    expect("_PyObject_GC_New", EP_STABLE_ABI_FUNCTION, 2,
           true); /* PyObject_GC_New */
    expect("_Py_BuildValue_SizeT", EP_STABLE_ABI_FUNCTION, 2, true);
    /* exported since 3.10, used by Py_INCREF of 3.12's limited headers */
    expect("_Py_IncRef", EP_STABLE_ABI_FUNCTION, 10, true);
}

Test(pyabi, names_outside_the_manifest_are_not_found)
{
    const char *outside[] = {
        "PyUnicode_New",   /* never Limited API */
        "_PyBytes_Resize", /* declared in old limited headers, a leak */
        "_PyObject_GetAttrId",
        "PyInit_spam",
        "PyType_FromSpe", /* a prefix of a name */
        "PyType_FromSpecX",
        "",
        "malloc",
    };
    for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
        cr_assert(ep_stable_abi_find(outside[i]) == NULL, "%s found",
                  outside[i]);
    }
    cr_assert(ep_stable_abi_find(NULL) == NULL);
}

Test(pyabi, table_is_sorted_and_whole)
{
    cr_assert(gt(sz, ep_stable_abi_count, 800));
    for (size_t i = 1; i < ep_stable_abi_count; i++) {
        cr_assert(lt(int,
                     strcmp(ep_stable_abi_table[i - 1].name,
                            ep_stable_abi_table[i].name),
                     0),
                  "%s before %s", ep_stable_abi_table[i - 1].name,
                  ep_stable_abi_table[i].name);
    }
    /* every entry is found where it is */
    for (size_t i = 0; i < ep_stable_abi_count; i++) {
        cr_assert(ep_stable_abi_find(ep_stable_abi_table[i].name) ==
                  &ep_stable_abi_table[i]);
    }
}

Test(pyabi, table_matches_the_data_file)
{
    FILE *f = fopen(EP_SOURCE_DIR "/lib/pyabi/stable_abi.txt", "r");
    cr_assert(f != NULL);
    char line[512];
    size_t rows = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char name[256], kind[16], abi_only[8];
        int minor;
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        cr_assert(eq(int,
                     sscanf(line, "%255s %15s 3.%d %7s", name, kind, &minor,
                            abi_only),
                     4),
                  "bad row: %s", line);
        expect(name,
               strcmp(kind, "data") == 0 ? EP_STABLE_ABI_DATA
                                         : EP_STABLE_ABI_FUNCTION,
               minor, strcmp(abi_only, "yes") == 0);
        rows++;
    }
    fclose(f);
    cr_assert(eq(sz, rows, ep_stable_abi_count));
}
