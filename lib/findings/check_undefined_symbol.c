/*
 * undefined-symbol: a symbol the module needs is provided by nothing in
 * the process. For the Python C API the provider is the interpreter itself
 * (its executable, or libpython for a shared build; extensions do not
 * DT_NEED it), so every undefined Py/_Py import is checked against what
 * this interpreter exports: a module built against other headers -- a
 * newer or older Python, a debug build, an untagged or renamed file the
 * finder accepted -- fails here. Other symbols come from the loader
 * emulation (loader_facts.c).
 */
#include "findings/checks.h"

#include <string.h>

#define SHOW_SYMBOLS 10

static bool
is_python_api(const char *name)
{
    return strncmp(name, "Py", 2) == 0 || strncmp(name, "_Py", 3) == 0;
}

/* Why a set of missing Python symbols is missing, from their names. */
static const char *
hint(ep_ctx *c, const ep_analysis *an, const char *const *miss, size_t n)
{
    const ep_interp *in = c->in;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(miss[i], "_Py_RefTotal") == 0 ||
            strcmp(miss[i], "_Py_NegativeRefcount") == 0 ||
            strncmp(miss[i], "_Py_RefTotal", 12) == 0) {
            return "These are debug-build symbols: the module was compiled "
                   "against a --with-pydebug interpreter's headers; this one "
                   "is a release build";
        }
        if (strncmp(miss[i], "PyUnicodeUCS", 12) == 0) {
            return "PyUnicodeUCS2_/UCS4_ names: built for a Python 2 with the "
                   "other unicode width";
        }
        if (strcmp(miss[i], "PyModule_Create2") == 0 && in->debug) {
            return "A release-build module loaded by a debug interpreter that "
                   "exports PyModule_Create2TraceRefs instead";
        }
    }
    const ep_ext_tag *tag = an->ext ? ep_object_ext_tag(an->ext) : NULL;
    if (tag != NULL && tag->raw_tag == NULL) {
        return ep_arena_printf(c->a,
                               "The file name has no ABI tag (%s), so the "
                               "finder accepted it without a version check; "
                               "it was built against another Python's headers "
                               "than %s",
                               ep_basename(an->ext_path),
                               in->version ? in->version : "this one");
    }
    return ep_arena_printf(c->a,
                           "The module was built against the headers "
                           "of another Python than this %s %s (API added or "
                           "removed between versions)",
                           in->implementation ? in->implementation : "",
                           in->version ? in->version : "");
}

/* The Python C-API imports of the module that this interpreter does not
 * export: the fallback when the loader emulation did not run. */
static ep_status
python_missing(ep_ctx *c, const ep_analysis *an, ep_strvec *miss)
{
    const ep_symbol *syms;
    size_t n;
    if (c->exports == NULL ||
        ep_object_symbols(an->ext, &syms, &n, NULL) != EP_OK) {
        return EP_OK;
    }
    for (size_t i = 0; i < n; i++) {
        const ep_symbol *s = &syms[i];
        /* A weak reference may stay unresolved (gABI); only strong ones
         * fail the load. */
        if (s->defined || s->weak || !is_python_api(s->name) ||
            ep_ctx_exports(c, s->name)) {
            continue;
        }
        if (!ep_strvec_push(c->a, miss, s->name)) {
            return ep_fail_nomem(c->err);
        }
    }
    return EP_OK;
}

ep_status
ep_check_undefined_symbol(ep_ctx *c, ep_analysis *an, const ep_loader_facts *lf)
{
    if (an->ext == NULL || an->elf_bad) {
        return EP_OK;
    }
    /* Python API names (checked against the interpreter's exports) and
     * the rest (the loader emulation resolves them in the process scope;
     * when it ran, it is the authority for both). */
    ep_strvec py = {0}, other = {0}, other_by = {0};
    ep_status st = EP_OK;
    if (lf != NULL && lf->available) {
        for (size_t i = 0; i < lf->nsyms && st == EP_OK; i++) {
            const ep_loader_missing_sym *m = &lf->syms[i];
            /* A missing library or version leaves its symbols unresolved
             * too: those are the other findings' consequence, not a cause. */
            bool consequence = !is_python_api(m->name) && lf->nlibs > 0;
            for (size_t k = 0; !consequence && m->version && k < lf->nvers;
                 k++) {
                consequence = strcmp(lf->vers[k].version, m->version) == 0;
            }
            if (consequence) {
                continue;
            }
            const char *full =
                m->version ? ep_arena_printf(c->a, "%s@%s", m->name, m->version)
                           : m->name;
            bool ok =
                is_python_api(m->name)
                    ? ep_strvec_push(c->a, &py, m->name)
                    : ep_strvec_push(c->a, &other, full) &&
                          ep_strvec_push(c->a, &other_by,
                                         m->needed_by ? m->needed_by : "");
            st = ok ? EP_OK : ep_fail_nomem(c->err);
        }
    } else {
        st = python_missing(c, an, &py);
    }
    if (st != EP_OK) {
        return st;
    }
    if (py.count == 0 && other.count == 0) {
        return EP_OK;
    }
    size_t total = py.count + other.count;
    const char *first = py.count ? py.items[0] : other.items[0];
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_UNDEFINED_SYMBOL,
        "%s needs %s%s, which nothing in the interpreter's process provides",
        ep_basename(an->ext_path), first,
        total > 1 ? ep_arena_printf(c->a, " (and %zu more)", total - 1) : "");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    for (size_t i = 0; i < py.count && i < SHOW_SYMBOLS; i++) {
        ep_finding_detail(c->r, fs, "%s: not exported by %s%s%s", py.items[i],
                          c->interp_exe ? ep_object_path(c->interp_exe)
                                        : "the interpreter",
                          c->libpython ? " or " : "",
                          c->libpython ? ep_object_path(c->libpython) : "");
    }
    if (py.count > 0) {
        ep_finding_detail(c->r, fs, "%s", hint(c, an, py.items, py.count));
    }
    for (size_t i = 0; i < other.count && i < SHOW_SYMBOLS; i++) {
        ep_finding_detail(c->r, fs,
                          "%s: needed by %s, defined by no object of "
                          "the process or the module's libraries",
                          other.items[i], other_by.items[i]);
    }
    ep_finding_detail(c->r, fs,
                      "Python reports: ImportError: %s: undefined "
                      "symbol: %s",
                      an->ext_path, first);
    ep_finding_path(c->r, fs, an->ext_path);
    st = ep_provenance_detail(c, fs, an->ext_path, an->ext);
    if (st != EP_OK) {
        return st;
    }
    /* An abi3 file that needs a symbol this interpreter lacks was built
     * without the Limited API (or for a newer one): the same wheel,
     * reinstalled, brings the same file back. */
    bool abi3 = strstr(ep_basename(an->ext_path), ".abi3.") != NULL;
    if (py.count > 0 && abi3 && an->dist != NULL && !an->dist->editable) {
        ep_finding_fix(c->r, fs,
                       "Reinstalling the same wheel does not help: this "
                       "abi3 file uses %s, which the interpreter does not "
                       "export, so it was not built against the Limited API "
                       "of this version. Build %s from source for this "
                       "interpreter (%s -m pip install --force-reinstall "
                       "--no-binary %s %s), or install a release whose abi3 "
                       "wheel is built with Py_LIMITED_API",
                       first, an->dist->name,
                       c->in->executable ? c->in->executable : c->in->python,
                       an->dist->name, an->dist->name);
    } else if (py.count > 0) {
        ep_finding_fix(c->r, fs,
                       "Rebuild the module against this "
                       "interpreter's headers: %s",
                       ep_fix_rebuild(c, an));
    } else {
        ep_finding_fix(c->r, fs,
                       "Link the library that defines %s (or import "
                       "the package that loads it first, e.g. torch before its "
                       "extensions), and rebuild if the C++ ABI differs "
                       "(_GLIBCXX_USE_CXX11_ABI)",
                       first);
    }
    return EP_OK;
}

/* The real import failed with the loader's text for this (trial_rules.c),
 * where the static checks saw nothing. */
ep_status
ep_check_undefined_symbol_from_trial(ep_ctx *c, ep_analysis *an,
                                     const ep_trial_error *e)
{
    return ep_trial_rebuild_finding(c, an, EP_FINDING_UNDEFINED_SYMBOL, e);
}
