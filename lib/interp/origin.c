/*
 * The names of sys.path origins. The facts child (facts.py) writes them; the
 * reports print the same words, so the table is the contract's list.
 */
#include "interp/interp.h"

#include <string.h>

static const char *const names[] = {
    [EP_ORIGIN_NONE] = "",
    [EP_ORIGIN_CWD] = "cwd",
    [EP_ORIGIN_SCRIPT_DIR] = "script-dir",
    [EP_ORIGIN_PYTHONPATH] = "PYTHONPATH",
    [EP_ORIGIN_PTH] = "pth",
    [EP_ORIGIN_USER_SITE] = "user-site",
    [EP_ORIGIN_SITE_PACKAGES] = "site-packages",
    [EP_ORIGIN_STDLIB] = "stdlib",
    [EP_ORIGIN_EDITABLE] = "editable",
    [EP_ORIGIN_OTHER] = "other",
};

const char *
ep_path_origin_str(ep_path_origin origin)
{
    if ((size_t)origin >= sizeof(names) / sizeof(names[0])) {
        return names[EP_ORIGIN_OTHER];
    }
    return names[origin];
}

ep_path_origin
ep_path_origin_parse(const char *name)
{
    /* NONE is never sent: an entry always has an origin. */
    for (size_t i = EP_ORIGIN_NONE + 1; i < sizeof(names) / sizeof(names[0]);
         i++) {
        if (name != NULL && strcmp(name, names[i]) == 0) {
            return (ep_path_origin)i;
        }
    }
    return EP_ORIGIN_OTHER;
}

bool
ep_path_origin_installed(ep_path_origin origin)
{
    return origin == EP_ORIGIN_SITE_PACKAGES || origin == EP_ORIGIN_USER_SITE ||
           origin == EP_ORIGIN_STDLIB;
}
