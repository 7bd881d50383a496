/*
 * limited-api-violation: an abi3 module (file tag ".abi3.so", PEP 384)
 * imports symbols outside the Limited API of the version it declares
 * (the WHEEL tag "cp38-abi3"), so it loads only on some interpreters. The
 * tag and the Py_LIMITED_API macro are not connected: a build that forgot
 * the macro still gets the abi3 name. The rule is in stable_abi.c.
 */
#include "findings/checks.h"

#include <stdio.h>
#include <string.h>

#define SHOW_SYMBOLS 12

/* The declared minimum from WHEEL tags "cp3X-abi3-...", or -1. */
static int
declared_minor(const ep_analysis *an)
{
    int best = -1;
    for (size_t i = 0; an->dist != NULL && i < an->dist->wheel_tags.count;
         i++) {
        int minor;
        char abi[8];
        if (sscanf(an->dist->wheel_tags.items[i], "cp3%d-%7[^-]", &minor,
                   abi) == 2 &&
            strcmp(abi, "abi3") == 0 && (best < 0 || minor < best)) {
            best = minor;
        }
    }
    return best;
}

ep_status
ep_check_limited_api_violation(ep_ctx *c, ep_analysis *an)
{
    const ep_ext_tag *tag = an->ext ? ep_object_ext_tag(an->ext) : NULL;
    if (tag == NULL || !tag->stable_abi || an->elf_bad) {
        return EP_OK;
    }
    const ep_symbol *syms;
    size_t n;
    if (ep_object_symbols(an->ext, &syms, &n, NULL) != EP_OK) {
        return EP_OK;
    }
    int minor = declared_minor(an);
    ep_finding_slot *fs = NULL;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined) {
            continue;
        }
        const char *why = ep_stable_abi_violation(c->a, syms[i].name, minor);
        if (why == NULL) {
            continue;
        }
        if (fs == NULL) {
            fs = ep_check_add(
                c, an, EP_FINDING_LIMITED_API_VIOLATION,
                "%s is tagged abi3 but uses %s, outside the "
                "Limited API%s",
                ep_basename(an->ext_path), syms[i].name,
                minor >= 0 ? ep_arena_printf(c->a, " of 3.%d", minor) : "");
            if (fs == NULL) {
                return ep_fail_nomem(c->err);
            }
        }
        if (count++ < SHOW_SYMBOLS) {
            ep_finding_detail(c->r, fs, "%s: %s", syms[i].name, why);
        }
    }
    if (fs == NULL) {
        return EP_OK;
    }
    if (count > SHOW_SYMBOLS) {
        ep_finding_detail(c->r, fs, "... %zu symbols in all", count);
    }
    ep_finding_detail(c->r, fs, "Declared version: %s",
                      minor >= 0
                          ? ep_arena_printf(c->a, "3.%d (WHEEL tag of %s)",
                                            minor, an->dist->name)
                          : "unknown (no cpXY-abi3 WHEEL tag); only "
                            "symbols never in the Limited API are "
                            "reported");
    ep_finding_detail(c->r, fs,
                      "An abi3 module must be compiled with "
                      "Py_LIMITED_API defined; these imports show it was not, "
                      "or that it used API newer than it declares. Other "
                      "interpreters fail with undefined symbol errors");
    ep_finding_path(c->r, fs, an->ext_path);
    if (an->build.kind == EP_BUILD_MATURIN || an->build.rust) {
        ep_finding_fix(
            c->r, fs,
            "Enable PyO3's abi3 feature for the declared "
            "version (features = [\"abi3-py3%d\"]) so Py_LIMITED_API "
            "applies, or drop the abi3 tag and build per version",
            minor >= 0 ? minor : 8);
    } else {
        ep_finding_fix(c->r, fs,
                       "Define Py_LIMITED_API to the declared version "
                       "(e.g. -DPy_LIMITED_API=0x03%02x0000; setuptools "
                       "py_limited_api=True with the define; meson "
                       "limited_api: '3.%d') and replace the listed calls, or "
                       "build version-specific modules instead of abi3",
                       minor >= 0 ? minor : 8, minor >= 0 ? minor : 8);
    }
    return EP_OK;
}
