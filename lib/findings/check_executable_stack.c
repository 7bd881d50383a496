/*
 * executable-stack: the module's PT_GNU_STACK has PF_X, or there is no
 * PT_GNU_STACK (the ABI default on x86 is an executable stack). glibc 2.41
 * and later refuse to dlopen() it ("cannot enable executable stack as
 * shared object requires: Invalid argument", glibc 2.41 NEWS); older
 * glibc loads it and makes the whole process stack executable. So: an
 * error for a glibc >= 2.41 interpreter, a warning naming 2.41 before.
 */
#include "findings/checks.h"

#include <elf.h>
#include <stdio.h>

/* The first glibc whose dlopen() refuses such an object. */
#define REFUSING_MAJOR 2
#define REFUSING_MINOR 41

ep_status
ep_check_executable_stack(ep_ctx *c, ep_analysis *an)
{
    const ep_elf_info *in = an->ext ? ep_object_elf(an->ext) : NULL;
    if (in == NULL || an->elf_bad) {
        return EP_OK;
    }
    bool missing = in->stack_flags < 0;
    if (!missing && !(in->stack_flags & PF_X)) {
        return EP_OK;
    }
    int maj = 0, min = 0;
    bool glibc = c->in->libc != NULL &&
                 sscanf(c->in->libc, "glibc %d.%d", &maj, &min) == 2;
    bool refuses = glibc && (maj > REFUSING_MAJOR ||
                             (maj == REFUSING_MAJOR && min >= REFUSING_MINOR));
    const char *what = missing ? "has no PT_GNU_STACK header (so asks for an "
                                 "executable stack by default)"
                               : "asks for an executable stack (PT_GNU_STACK "
                                 "RWE)";
    ep_finding_slot *fs =
        refuses ? ep_check_add(c, an, EP_FINDING_EXECUTABLE_STACK,
                               "%s %s, which this system's %s refuses to "
                               "dlopen",
                               ep_basename(an->ext_path), what, c->in->libc)
                : ep_check_add(c, an, EP_FINDING_EXECUTABLE_STACK,
                               "%s %s: glibc %d.%d and later refuse to load it",
                               ep_basename(an->ext_path), what, REFUSING_MAJOR,
                               REFUSING_MINOR);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_severity(fs, refuses ? EP_SEVERITY_ERROR : EP_SEVERITY_WARNING);
    ep_finding_detail(c->r, fs,
                      "glibc >= %d.%d fails the import with: %s: cannot enable "
                      "executable stack as shared object requires: Invalid "
                      "argument",
                      REFUSING_MAJOR, REFUSING_MINOR, an->ext_path);
    if (!refuses) {
        ep_finding_detail(
            c->r, fs,
            "This interpreter's C library (%s) still loads it, and makes the "
            "whole process's stack executable while doing so (glibc 2.41 "
            "NEWS: https://lists.gnu.org/archive/html/info-gnu/2025-01/"
            "msg00014.html)",
            c->in->libc ? c->in->libc : "unknown");
    }
    ep_finding_path(c->r, fs, an->ext_path);
    ep_finding_fix(c->r, fs,
                   "Rebuild without it: link with -Wl,-z,noexecstack and give "
                   "every assembler file a .note.GNU-stack section; for a "
                   "binary you cannot rebuild, patchelf --clear-execstack %s "
                   "(or, on glibc >= 2.41, GLIBC_TUNABLES="
                   "glibc.rtld.execstack=2 as a stopgap)",
                   an->ext_path);
    return EP_OK;
}
