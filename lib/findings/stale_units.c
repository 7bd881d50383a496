/*
 * A stale in-place build found through the DWARF: the compilation units of
 * the module name their source files (DW_AT_name, resolved against
 * DW_AT_comp_dir by lib/dwarf). The name rule of the finder (check_stale:
 * _core.pyx, _core.c ... beside the module) misses the common layouts --
 * setuptools' Extension("pkg._core", ["src/core.c"]), maturin's src/lib.rs,
 * meson-python's sources elsewhere -- and the import then silently runs the
 * old code. Shared by shadowed-by-source (a checkout built in place) and
 * editable-without-build (an editable install), which ask it only where
 * their own rule decides, so the helper runs only for modules built outside
 * an installer.
 */
#include "findings/checks.h"

#include <string.h>

/* Sources the user edits: not the system's headers and not anything of
 * the interpreter's installation (its headers, a wheel's files). */
static bool
user_source(const ep_ctx *c, const ep_provenance_info *in, const char *src)
{
    if (src[0] != '/' || ep_path_within(src, "/usr")) {
        return false;
    }
    const char *const roots[] = {c->in->prefix, c->in->base_prefix};
    for (size_t i = 0; i < sizeof(roots) / sizeof(*roots); i++) {
        if (roots[i] != NULL && roots[i][0] == '/' &&
            ep_path_within(src, roots[i])) {
            return false;
        }
    }
    for (size_t i = 0; i < in->python_headers.count; i++) {
        if (ep_path_within(src, in->python_headers.items[i])) {
            return false;
        }
    }
    return ep_fs_isfile(src); /* a regular file (or a link to one) */
}

ep_status
ep_stale_unit_source(ep_ctx *c, ep_analysis *an, const ep_cand *used,
                     const char **src, size_t *more)
{
    *src = NULL;
    *more = 0;
    if (an->stale_unit_done) {
        *src = an->stale_unit;
        *more = an->stale_unit_more;
        return EP_OK;
    }
    an->stale_unit_done = true;
    if (used->mtime <= 0) {
        return EP_OK;
    }
    const ep_provenance_info *in = NULL;
    ep_status st = ep_analysis_provenance(c, an, &in);
    if (st != EP_OK || in == NULL || in->status != EP_DEBUG_READ) {
        return st;
    }
    for (size_t i = 0; i < in->sources.count; i++) {
        const char *p = ep_path_normalize(c->a, in->sources.items[i]);
        if (p == NULL) {
            return ep_fail_nomem(c->err);
        }
        if (!user_source(c, in, p)) {
            continue;
        }
        int64_t t = ep_fs_mtime(p);
        if (t > 0 && t - used->mtime > EP_NEWER_MIN_NS) {
            if (an->stale_unit == NULL) {
                an->stale_unit = p;
            } else {
                an->stale_unit_more++;
            }
        }
    }
    *src = an->stale_unit;
    *more = an->stale_unit_more;
    return EP_OK;
}

void
ep_stale_unit_detail(ep_ctx *c, ep_finding_slot *fs, const ep_cand *used,
                     const char *src, size_t more)
{
    ep_finding_detail(c->r, fs,
                      "%s was compiled from %s (DWARF), modified after "
                      "the build; the import runs the old code",
                      used->path, src);
    if (more > 0) {
        ep_finding_detail(c->r, fs,
                          "%zu more of its sources named in the DWARF "
                          "changed after the build too",
                          more);
    }
}
