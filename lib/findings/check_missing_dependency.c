/*
 * missing-dependency: a library in the extension's DT_NEEDED tree cannot be
 * found by the loader's search (RPATH of the object and its loaders,
 * LD_LIBRARY_PATH, RUNPATH, ld.so.cache, the default directories). The
 * loader emulation lists every place it tried; this check only words it.
 */
#include "findings/checks.h"

#include <string.h>

#define SHOW_LIBS 6

ep_status
ep_check_missing_dependency(ep_ctx *c, ep_analysis *an, const ep_loader_facts *lf)
{
    if (an->ext == NULL || an->elf_bad || lf == NULL || !lf->available ||
        lf->nlibs == 0) {
        return EP_OK;
    }
    const ep_loader_missing_lib *m = &lf->libs[0];
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_MISSING_DEPENDENCY,
        "%s needs %s, which the loader cannot find%s",
        ep_basename(an->ext_path), m->name,
        lf->nlibs > 1 ? ep_arena_printf(c->a, " (and %zu more)", lf->nlibs - 1)
                      : "");
    if (fs == NULL) {
        return ep_check_nomem(c);
    }
    for (size_t i = 0; i < lf->nlibs && i < SHOW_LIBS; i++) {
        const ep_loader_missing_lib *l = &lf->libs[i];
        ep_finding_detail(c->r, fs, "%s (needed by %s) was looked for in:",
                          l->name, l->needed_by ? l->needed_by : an->ext_path);
        if (l->tried != NULL && l->tried[0] != '\0') {
            ep_finding_detail(c->r, fs, "%s", l->tried);
        }
    }
    bool libpython = strncmp(m->name, "libpython", 9) == 0;
    if (libpython) {
        ep_finding_detail(c->r, fs, "Extensions should not link libpython: the "
                          "interpreter provides the C API (PyO3 without the "
                          "extension-module feature, or an explicit -lpython)");
    }
    ep_finding_detail(c->r, fs, "Python reports: ImportError: %s: cannot open "
                      "shared object file: No such file or directory", m->name);
    ep_finding_path(c->r, fs, an->ext_path);
    if (libpython) {
        ep_finding_fix(c->r, fs, "Build without linking libpython (PyO3: the "
                       "extension-module feature; setuptools/meson do this by "
                       "default), then %s", ep_fix_rebuild(c, an));
    } else {
        ep_finding_fix(c->r, fs, "Install %s where the loader looks, or make "
                       "the module find it: bundle it next to the module with "
                       "RUNPATH $ORIGIN (auditwheel repair does this), or set "
                       "LD_LIBRARY_PATH for the process as a stopgap",
                       m->name);
    }
    return EP_OK;
}
