/*
 * missing-init-function: the file does not export PyInit_<name> for the
 * last component of the name it is imported as. CPython derives the symbol
 * from the import name, not from the file (Python/importdl.c,
 * _PyImport_LoadDynamicModuleWithSpec; PEP 489 for non-ASCII names), so a
 * module built under another name loads and then fails with "dynamic
 * module does not define module export function (PyInit_x)". Python 2
 * looks for init<name>.
 */
#include "elf/lookup.h"
#include "findings/checks.h"

#include <stdlib.h>
#include <string.h>

static bool
ascii(const char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s >= 0x80) {
            return false;
        }
    }
    return true;
}

/* The fix, for the build system that made the file. */
static const char *
build_fix(ep_ctx *c, const ep_analysis *an, const char *comp, const char *have)
{
    const ep_buildsys *b = &an->build;
    if (b->kind == EP_BUILD_MATURIN || b->rust) {
        return ep_arena_printf(
            c->a,
            "The Rust module is named %s but imported as %s. Make the "
            "names agree: in lib.rs `#[pymodule] fn %s` (or "
            "#[pyo3(name = \"%s\")]), and in pyproject.toml [tool.maturin] "
            "module-name = \"%s\"%s%s%s; then rebuild (%s)",
            have ? have : "differently", comp, comp, comp, an->name,
            b->module_name ? " (now \"" : "",
            b->module_name ? b->module_name : "", b->module_name ? "\")" : "",
            ep_fix_rebuild(c, an));
    }
    if (b->pybind11) {
        return ep_arena_printf(c->a,
                               "PYBIND11_MODULE(%s, m) must name the "
                               "module as it is imported; either change it to "
                               "PYBIND11_MODULE(%s, m) or name the built file "
                               "%s.<suffix>",
                               have ? have : "...", comp, have ? have : comp);
    }
    if (b->cython) {
        return ep_arena_printf(c->a,
                               "Cython names PyInit_ after the .pyx file "
                               "and the Extension name: build %s.pyx as "
                               "Extension(\"%s\", [...]) and do not rename the "
                               "output file",
                               comp, an->name);
    }
    return ep_arena_printf(c->a,
                           "Make the module's own name (PyModuleDef "
                           "m_name and the PyInit_ function; setuptools "
                           "Extension(name=...), meson py.extension_module "
                           "name) match the file name %s, or rename the file "
                           "to %s<suffix>",
                           comp, have ? have : comp);
}

ep_status
ep_check_missing_init_function(ep_ctx *c, ep_analysis *an)
{
    if (an->ext == NULL || an->elf_bad) {
        return EP_OK;
    }
    const char *comp = an->find.steps[an->find.ncomp - 1].component;
    if (!ascii(comp)) {
        ep_report_note(c->r,
                       "%s: PEP 489 PyInitU_ names of non-ASCII modules "
                       "are not checked",
                       an->name);
        return EP_OK;
    }
    bool py2 = c->in->major == 2;
    const char *want =
        ep_arena_printf(c->a, "%s%s", py2 ? "init" : "PyInit_", comp);
    ep_strlist have = {0};
    if (want == NULL) {
        return ep_fail_nomem(c->err);
    }
    if (py2 ? ep_object_defines(an->ext, want)
            : (ep_object_pyinit(an->ext, &have, NULL) != EP_OK ||
               ep_object_defines(an->ext, want))) {
        return EP_OK;
    }
    const char *first =
        have.count > 0 ? have.items[0] + strlen("PyInit_") : NULL;
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_MISSING_INIT_FUNCTION, "%s does not export %s%s%s",
        ep_basename(an->ext_path), want, have.count ? "; it exports " : "",
        have.count ? have.items[0] : "");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs,
                      "CPython looks up %s because the module is "
                      "imported as %s; the file name does not matter",
                      want, an->name);
    if (have.count == 0) {
        ep_finding_detail(c->r, fs,
                          "It exports no PyInit_ function at all: it "
                          "is a plain shared library, not a Python extension "
                          "module");
    }
    for (size_t i = 1; i < have.count; i++) {
        ep_finding_detail(c->r, fs, "It also exports %s", have.items[i]);
    }
    ep_finding_detail(c->r, fs,
                      "Python reports: ImportError: dynamic module "
                      "does not define module export function (%s)",
                      want);
    if (an->build.evidence != NULL) {
        ep_finding_detail(c->r, fs, "Built with %s (%s)", an->build.name,
                          an->build.evidence);
    }
    if (an->build.cargo_lib_name != NULL) {
        ep_finding_detail(c->r, fs, "Cargo.toml [lib] name = \"%s\"",
                          an->build.cargo_lib_name);
    }
    ep_finding_path(c->r, fs, an->ext_path);
    ep_check_fix(c, fs, build_fix(c, an, comp, first));
    return EP_OK;
}

/* The real import failed with the loader's text for this (trial_rules.c),
 * where the static checks saw nothing. */
ep_status
ep_check_missing_init_function_from_trial(ep_ctx *c, ep_analysis *an,
                                          const ep_trial_error *e)
{
    return ep_trial_rebuild_finding(c, an, EP_FINDING_MISSING_INIT_FUNCTION, e);
}
