/*
 * libFuzzer target: the whole loader emulation on one hostile object --
 * DT_NEEDED names, RPATH/RUNPATH with $ORIGIN/$LIB/$PLATFORM (expand.c),
 * the search (search.c, resolve.c), version and symbol checks against this
 * machine's real libraries -- standalone, as ldd loads a file, and the deps
 * JSON, which must stay valid JSON.
 */
#include "fuzz_common.h"

#include <extprobe/extprobe.h>

#include <unistd.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = ep_fuzz_memfd(data, size, path, sizeof(path));
    if (fd < 0) {
        return 0;
    }
    ep_deps_options opt;
    ep_deps_options_init(&opt);
    opt.python = NULL; /* standalone: no interpreter process */
    opt.executable = NULL;
    opt.ld_library_path = "";
    opt.platform = "haswell";
    opt.hwcaps = "x86-64-v3:x86-64-v2";
    opt.legacy_hwcaps = "";
    ep_deps *deps = NULL;
    if (ep_deps_analyze(path, &opt, &deps, NULL) == EP_OK) {
        char *json = ep_deps_json(deps, NULL);
        if (json != NULL) {
            ep_fuzz_check_json(json);
        }
        ep_free(json);
    }
    ep_deps_free(deps);
    close(fd);
    return 0;
}
