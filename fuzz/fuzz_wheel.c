/*
 * libFuzzer target: the wheel reader (lib/wheel/): the zip archive read in
 * place, WHEEL, RECORD and its hashes, the ELF members, the tags, judged
 * for a fixed target tag (no interpreter is run); the JSON must stay valid.
 */
#include "fuzz_common.h"

#include <extprobe/extprobe.h>

#include <limits.h>
#include <stdio.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/fuzz_pkg-1.0-cp311-cp311-linux_x86_64.whl",
             ep_fuzz_scratch());
    if (!ep_fuzz_write(path, data, size)) {
        return 0;
    }
    ep_wheel_options opt;
    ep_wheel_options_init(&opt);
    opt.target = "cp311-cp311-manylinux_2_17_x86_64";
    opt.python = NULL;
    opt.member_limit = 1 << 20;
    const char *files[] = {path};
    ep_wheels *w = NULL;
    if (ep_wheels_audit(files, 1, &opt, &w, NULL) == EP_OK) {
        char *json = ep_wheels_json(w, NULL);
        if (json != NULL) {
            ep_fuzz_check_json(json);
        }
        ep_free(json);
    }
    ep_wheels_free(w);
    return 0;
}
