/*
 * limited-api-violation: an abi3 module (file tag ".abi3.so", PEP 384, or a
 * WHEEL tag "cp38-abi3") imports names outside the Stable ABI, or names that
 * joined it after the version the wheel declares. The tag and the
 * Py_LIMITED_API macro are not connected: a build that forgot the macro
 * still gets the abi3 name. The rule, checked against the whole manifest
 * (lib/pyabi/stable_abi.h), for every undefined Py/_Py import:
 *  - not in the manifest: a violation; an error when this interpreter does
 *    not export it (the import fails here), else a warning (it loads here,
 *    but nothing promises it on another CPython 3);
 *  - in the manifest, joined after the WHEEL tag's 3.X: an error (older
 *    interpreters the tag admits may lack it). Without a WHEEL tag the
 *    declared version is unknown and only the first rule applies.
 */
#include "findings/checks.h"
#include "pyabi/stable_abi.h"

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

/* What the check found; the first offender of each kind leads the text. */
typedef struct abi3_tally {
    size_t count;        /* offending imports */
    const char *outside; /* first name outside the manifest */
    const char *newer;   /* first name newer than the declared version */
    int newest;          /* highest `added` among the newer ones */
    bool fails_here;     /* an offender this interpreter does not export */
} abi3_tally;

/* One offending import, or NULL: the detail line to show for it. */
static const char *
judge(ep_ctx *c, const ep_symbol *s, int minor, abi3_tally *t)
{
    const ep_stable_abi_entry *e = ep_stable_abi_find(s->name);
    /* A weak reference may stay unresolved (gABI): it cannot fail a load. */
    bool missing = !s->weak && !ep_ctx_exports(c, s->name);
    const char *here = missing ? "; this interpreter does not export it" : "";
    if (e == NULL) {
        t->outside = t->outside ? t->outside : s->name;
        t->fails_here |= missing;
        return ep_arena_printf(
            c->a, "%s: not in the Stable ABI%s%s", s->name,
            s->name[0] == '_' ? " (private CPython name)" : "", here);
    }
    if (minor < 0 || e->added <= minor) {
        return NULL;
    }
    t->newer = t->newer ? t->newer : s->name;
    t->newest = e->added > t->newest ? e->added : t->newest;
    t->fails_here |= missing;
    return ep_arena_printf(c->a,
                           "%s: in the Stable ABI since 3.%d, after the "
                           "declared 3.%d%s",
                           s->name, e->added, minor, here);
}

static void
add_fix(ep_ctx *c, ep_analysis *an, ep_finding_slot *fs, int minor,
        const abi3_tally *t)
{
    int floor = minor >= 0 ? minor : 8;
    if (t->outside == NULL) {
        /* Only version trouble: either the floor or the calls move. */
        ep_finding_fix(c->r, fs,
                       "Raise the abi3 floor to cp3%d (build with "
                       "-DPy_LIMITED_API=0x03%02x0000 and tag the wheel "
                       "cp3%d-abi3), or keep cp3%d and build with "
                       "-DPy_LIMITED_API=0x03%02x0000, replacing the listed "
                       "calls",
                       t->newest, t->newest, t->newest, floor, floor);
    } else if (an->build.kind == EP_BUILD_MATURIN || an->build.rust) {
        ep_finding_fix(c->r, fs,
                       "Enable PyO3's abi3 feature for the declared "
                       "version (features = [\"abi3-py3%d\"]) so "
                       "Py_LIMITED_API applies, or drop the abi3 tag and "
                       "build per version",
                       floor);
    } else {
        ep_finding_fix(c->r, fs,
                       "Build with -DPy_LIMITED_API=0x03%02x0000 (%s; "
                       "setuptools py_limited_api=True with the define; "
                       "meson limited_api: '3.%d') and replace the calls the "
                       "compiler then rejects, or build version-specific "
                       "modules instead of abi3",
                       floor,
                       minor >= 0 ? ep_arena_printf(c->a,
                                                    "the version of the "
                                                    "cp3%d-abi3 tag",
                                                    minor)
                                  : "the oldest CPython the module supports",
                       floor);
    }
}

/* The symbols are within the Limited API, but the macro info of a -g3
 * build shows the module was compiled without Py_LIMITED_API: the abi3
 * name is not backed by the build (full-API macros and struct layouts may
 * be inlined, which no import table shows). Without macro info nothing
 * can be said. */
static ep_status
no_limited_api_macro(ep_ctx *c, ep_analysis *an)
{
    const ep_provenance_info *in = NULL;
    ep_status st = ep_analysis_provenance(c, an, &in);
    if (st != EP_OK || in == NULL || in->status != EP_DEBUG_READ ||
        !in->has_macros || in->python_headers.count == 0 ||
        in->limited_api != NULL) {
        return st;
    }
    ep_finding_slot *fs =
        ep_check_add(c, an, EP_FINDING_LIMITED_API_VIOLATION,
                     "%s is named abi3 but was compiled without Py_LIMITED_API",
                     ep_basename(an->ext_path));
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_severity(fs, EP_SEVERITY_WARNING);
    ep_finding_detail(c->r, fs,
                      "Its debug info (%s) has macro info for %zu "
                      "compilation unit%s that include%s the Python headers "
                      "(%s%s%s), and none defines Py_LIMITED_API",
                      in->debug_file, in->units, in->units == 1 ? "" : "s",
                      in->units == 1 ? "s" : "", in->python_headers.items[0],
                      in->py_version ? ", PY_VERSION " : "",
                      in->py_version ? in->py_version : "");
    ep_finding_detail(c->r, fs,
                      "Its imports are all in the Limited API, but the full "
                      "API's macros and struct layouts of those headers may be "
                      "compiled in: other Python versions can crash or "
                      "misbehave rather than refuse it");
    ep_finding_path(c->r, fs, an->ext_path);
    ep_finding_fix(c->r, fs,
                   "Compile with Py_LIMITED_API defined to the oldest version "
                   "it supports (e.g. -DPy_LIMITED_API=0x03080000; "
                   "setuptools py_limited_api=True with the define; meson "
                   "limited_api: '3.8'), or name it for one version instead "
                   "of .abi3.so");
    return EP_OK;
}

ep_status
ep_check_limited_api_violation(ep_ctx *c, ep_analysis *an)
{
    const ep_ext_tag *tag = an->ext ? ep_object_ext_tag(an->ext) : NULL;
    int minor = declared_minor(an);
    if (an->ext == NULL || an->elf_bad ||
        ((tag == NULL || !tag->stable_abi) && minor < 0)) {
        return EP_OK;
    }
    const ep_symbol *syms;
    size_t n;
    if (ep_object_symbols(an->ext, &syms, &n, NULL) != EP_OK) {
        return EP_OK;
    }
    abi3_tally t = {0};
    const char *shown[SHOW_SYMBOLS];
    for (size_t i = 0; i < n; i++) {
        const char *name = syms[i].name;
        /* PyInit_* is a module's entry point, not C API (an object file
         * may hold several modules and call their inits: abi3audit skips
         * them too). */
        if (syms[i].defined ||
            (strncmp(name, "Py", 2) != 0 && strncmp(name, "_Py", 3) != 0) ||
            strncmp(name, "PyInit_", 7) == 0) {
            continue;
        }
        const char *line = judge(c, &syms[i], minor, &t);
        if (line != NULL && t.count++ < SHOW_SYMBOLS) {
            shown[t.count - 1] = line;
        }
    }
    if (t.count == 0) {
        return no_limited_api_macro(c, an);
    }
    const char *lead = t.outside ? t.outside : t.newer;
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_LIMITED_API_VIOLATION,
        "%s is tagged %s but uses %s, %s", ep_basename(an->ext_path),
        minor >= 0 ? ep_arena_printf(c->a, "cp3%d-abi3", minor) : "abi3", lead,
        t.outside ? "outside the Stable ABI"
                  : ep_arena_printf(c->a, "in the Stable ABI only since 3.%d",
                                    ep_stable_abi_find(lead)->added));
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    /* Outside names that this interpreter exports load here: a warning
     * (exit 0). A name newer than the tag, or one missing here, fails on an
     * interpreter the tag admits: an error. */
    if (t.newer == NULL && !t.fails_here) {
        ep_finding_severity(fs, EP_SEVERITY_WARNING);
    }
    for (size_t i = 0; i < t.count && i < SHOW_SYMBOLS; i++) {
        ep_finding_detail(c->r, fs, "%s", shown[i]);
    }
    if (t.count > SHOW_SYMBOLS) {
        ep_finding_detail(c->r, fs, "... %zu symbols in all", t.count);
    }
    ep_finding_detail(c->r, fs, "Declared version: %s",
                      minor >= 0
                          ? ep_arena_printf(c->a, "3.%d (WHEEL tag of %s)",
                                            minor, an->dist->name)
                          : "unknown (no cpXY-abi3 WHEEL tag); only names "
                            "outside the Stable ABI are reported");
    ep_finding_detail(
        c->r, fs, "%s",
        t.outside != NULL
            ? "An abi3 module must be compiled with "
              "Py_LIMITED_API defined; these imports show it "
              "was not. Other CPython 3 versions may lack them "
              "or give them another meaning"
            : ep_arena_printf(c->a,
                              "The module was compiled with a "
                              "Py_LIMITED_API newer than its tag, or its "
                              "tag was lowered after the build: CPython "
                              "3.%d to 3.%d, which the tag admits, may not "
                              "export these names (undefined symbol)",
                              minor, t.newest - 1));
    ep_finding_path(c->r, fs, an->ext_path);
    add_fix(c, an, fs, minor, &t);
    return EP_OK;
}
