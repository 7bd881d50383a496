/*
 * links-libpython: the module has DT_NEEDED libpython3.X.so. The loader maps
 * that libpython next to the running interpreter: a second runtime when X
 * is another version, or when the interpreter is linked statically (it
 * exports its own copy of every Py* symbol); calls bind to one or the
 * other. It loads, then misbehaves. manylinux forbids it (PEP 513), so even
 * the running interpreter's own libpython is a warning.
 */
#include "findings/checks.h"

#include <stdio.h>
#include <string.h>

ep_status
ep_check_links_libpython(ep_ctx *c, ep_analysis *an)
{
    const ep_elf_info *in = an->ext ? ep_object_elf(an->ext) : NULL;
    if (in == NULL || an->elf_bad) {
        return EP_OK;
    }
    for (size_t i = 0; i < in->needed.count; i++) {
        const char *lib = in->needed.items[i];
        int maj, min;
        if (sscanf(lib, "libpython%d.%d", &maj, &min) != 2) {
            continue;
        }
        bool same_version = maj == c->in->major && min == c->in->minor;
        bool own = same_version && c->in->shared && c->in->instsoname != NULL &&
                   strcmp(c->in->instsoname, lib) == 0;
        /* CPython before 3.8 built with --enable-shared links its own
         * lib-dynload modules so (bpo-21536): the interpreter's build, not
         * a defect of the module. */
        if (own &&
            ((c->in->platstdlib &&
              ep_path_within(an->ext_path, c->in->platstdlib)) ||
             (c->in->stdlib && ep_path_within(an->ext_path, c->in->stdlib)))) {
            continue;
        }
        ep_finding_slot *fs;
        if (own) {
            fs = ep_check_add(c, an, EP_FINDING_LINKS_LIBPYTHON,
                              "%s is linked against libpython (%s), the "
                              "running interpreter's own: it loads, but "
                              "extension modules must not link libpython",
                              ep_basename(an->ext_path), lib);
        } else if (!same_version) {
            fs = ep_check_add(c, an, EP_FINDING_LINKS_LIBPYTHON,
                              "%s is linked against %s: importing it into "
                              "Python %d.%d maps a second Python runtime "
                              "into the process",
                              ep_basename(an->ext_path), lib, c->in->major,
                              c->in->minor);
        } else {
            fs = ep_check_add(c, an, EP_FINDING_LINKS_LIBPYTHON,
                              "%s is linked against %s, but this interpreter "
                              "is linked statically: importing it maps a "
                              "second copy of the Python runtime",
                              ep_basename(an->ext_path), lib);
        }
        if (fs == NULL) {
            return ep_fail_nomem(c->err);
        }
        ep_finding_severity(fs, own ? EP_SEVERITY_WARNING : EP_SEVERITY_ERROR);
        ep_finding_detail(c->r, fs, "%s has DT_NEEDED %s", an->ext_path, lib);
        ep_finding_detail(
            c->r, fs, "The interpreter (%s, Python %s) %s",
            c->in->executable ? c->in->executable : "?",
            c->in->version ? c->in->version : "?",
            c->in->shared && c->in->instsoname
                ? ep_arena_printf(c->a, "uses %s", c->in->instsoname)
                : "has libpython linked in statically");
        if (!own) {
            ep_finding_detail(c->r, fs,
                              "The import can succeed; the two runtimes' "
                              "type objects, allocator and GIL are then "
                              "different objects, and calls bind to one or "
                              "the other by the loader's symbol order");
        }
        ep_finding_detail(c->r, fs,
                          "manylinux forbids linking libpython (PEP 513); "
                          "auditwheel rejects such a wheel");
        ep_finding_path(c->r, fs, an->ext_path);
        ep_finding_fix(c->r, fs,
                       "Build the module without libpython: drop "
                       "-lpython%d.%d (python3-config --ldflags without "
                       "--embed; CMake: Development.Module, not "
                       "Development.Embed), then reinstall: %s",
                       maj, min, ep_fix_rebuild(c, an));
        return EP_OK;
    }
    return EP_OK;
}
