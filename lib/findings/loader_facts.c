/*
 * The one place the explain engine asks the loader emulation (lib/loader/,
 * the public ep_deps* API) about an extension: which needed libraries the
 * interpreter's loader would not find, which symbol versions are missing,
 * which symbols nothing provides. missing-dependency, glibc-too-new and the
 * non-Python part of undefined-symbol read only what this file returns.
 */
#include "findings/checks.h"

#include <string.h>

ep_status
ep_loader_facts_get(ep_ctx *c, const char *path, ep_loader_facts *out)
{
    memset(out, 0, sizeof(*out));
    (void)path;
    /* Until lib/loader/ is in this build there is nothing to ask; the
     * report says which checks did not run instead of guessing. */
    out->available = false;
    out->note = "the loader emulation (ep_deps) is not in this build: "
                "missing-dependency, glibc-too-new and non-Python "
                "undefined-symbol checks did not run statically";
    (void)c;
    return EP_OK;
}
