/*
 * libFuzzer target: the record stream the child interpreter writes on fd 3
 * (lib/interp/records.c), and the interpreter facts built from it
 * (lib/interp/query.c), as explain and the shim build them.
 */
#include "fuzz_common.h"

#include "interp/interp.h"

#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ep_arena a;
    ep_arena_init(&a);
    ep_record *recs;
    size_t n;
    if (ep_records_parse(&a, (const char *)data, size, &recs, &n, NULL) ==
        EP_OK) {
        for (size_t i = 0; i < n; i++) {
            if (recs[i].nfields > EP_RECORD_MAX_FIELDS) {
                __builtin_trap();
            }
            for (size_t f = 0; f < recs[i].nfields; f++) {
                if (recs[i].field[f] != NULL) {
                    (void)strlen(recs[i].field[f]);
                }
            }
        }
    }
    ep_arena_release(&a);
    ep_interp *in = NULL;
    if (ep_interp_from_records("python3", (const char *)data, size, &in,
                               NULL) == EP_OK) {
        (void)ep_interp_env(in, "PYTHONPATH");
        for (size_t i = 0; i < in->npath; i++) {
            (void)strlen(in->path[i].abs);
        }
        ep_interp_free(in);
    }
    return 0;
}
