/*
 * libFuzzer target: the ELF facts of one object (lib/elf through the public
 * API) from memory, every lazily read table, and the inspect JSON, which
 * must stay valid JSON whatever names the file holds.
 */
#include "fuzz_common.h"

#include <extprobe/extprobe.h>

#include <stdlib.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ep_object *obj = NULL;
    if (ep_object_open_memory(data, size,
                              "fuzz.cpython-311-x86_64-linux-gnu.so", &obj,
                              NULL) != EP_OK) {
        return 0;
    }
    const ep_symbol *syms;
    size_t nsyms;
    ep_strlist pyinit;
    const ep_version_need *needs = NULL;
    const ep_version_def *defs = NULL;
    size_t nneeds = 0, ndefs = 0;
    (void)ep_object_symbols(obj, &syms, &nsyms, NULL);
    (void)ep_object_pyinit(obj, &pyinit, NULL);
    if (ep_object_version_needs(obj, &needs, &nneeds, NULL) != EP_OK) {
        nneeds = 0;
    }
    if (ep_object_version_defs(obj, &defs, &ndefs, NULL) != EP_OK) {
        ndefs = 0;
    }
    for (size_t i = 0; i < nneeds && i < 16; i++) {
        for (size_t k = 0; k < ndefs && k < 16; k++) {
            (void)ep_version_compare(needs[i].version, defs[k].name);
        }
        (void)ep_version_family_len(needs[i].version);
    }
    char *json = NULL;
    if (ep_inspect_json(&obj, 1, &json, NULL) == EP_OK) {
        ep_fuzz_check_json(json);
    }
    ep_free(json);
    ep_object_close(obj);
    return 0;
}
