/*
 * libc-mismatch: a module built against musl (DT_NEEDED libc.musl-*.so.1,
 * or musl's bare libc.so from musl-gcc) under a glibc interpreter, or a
 * glibc one (libc.so.6) under musl. glibc's loader finds no musl libc, or
 * its own libc.so linker script ("invalid ELF header"); musl has no
 * GLIBC_* versions. PEP 656 tags tell the two apart; a copied file does not.
 */
#include "findings/checks.h"

#include <string.h>

/* "musl", "glibc", or NULL for a needed name that is no C library. */
static const char *
libc_family(const char *needed)
{
    if (strncmp(needed, "libc.musl-", 10) == 0 ||
        strcmp(needed, "libc.so") == 0) {
        return "musl";
    }
    if (strcmp(needed, "libc.so.6") == 0) {
        return "glibc";
    }
    return NULL;
}

ep_status
ep_check_libc_mismatch(ep_ctx *c, ep_analysis *an)
{
    const ep_elf_info *in = an->ext ? ep_object_elf(an->ext) : NULL;
    if (in == NULL || an->elf_bad || c->in->libc == NULL) {
        return EP_OK;
    }
    const char *running = strncmp(c->in->libc, "glibc", 5) == 0  ? "glibc"
                          : strncmp(c->in->libc, "musl", 4) == 0 ? "musl"
                                                                 : NULL;
    if (running == NULL) {
        return EP_OK;
    }
    for (size_t i = 0; i < in->needed.count; i++) {
        const char *fam = libc_family(in->needed.items[i]);
        if (fam == NULL || strcmp(fam, running) == 0) {
            continue;
        }
        ep_finding_slot *fs = ep_check_add(
            c, an, EP_FINDING_LIBC_MISMATCH,
            "%s was built for %s (it needs %s), but this interpreter runs on "
            "%s",
            ep_basename(an->ext_path), fam, in->needed.items[i], c->in->libc);
        if (fs == NULL) {
            return ep_fail_nomem(c->err);
        }
        ep_finding_detail(c->r, fs, "%s has DT_NEEDED %s: the %s C library",
                          an->ext_path, in->needed.items[i], fam);
        if (strcmp(fam, "musl") == 0) {
            ep_finding_detail(c->r, fs,
                              "glibc's loader does not know musl's C library: "
                              "it finds nothing, or glibc's own libc.so, a "
                              "linker script (Python reports: ImportError: "
                              "/lib/x86_64-linux-gnu/libc.so: invalid ELF "
                              "header)");
        }
        if (an->dist != NULL && an->dist->wheel_tags.count > 0) {
            ep_finding_detail(c->r, fs, "The installed wheel is tagged %s",
                              an->dist->wheel_tags.items[0]);
        }
        ep_finding_path(c->r, fs, an->ext_path);
        ep_finding_fix(c->r, fs,
                       "Install the %s wheel for this platform (pip install "
                       "--force-reinstall --no-cache-dir; pip debug --verbose "
                       "lists the accepted tags), or rebuild with this "
                       "system's compiler: %s",
                       strcmp(running, "glibc") == 0 ? "manylinux"
                                                     : "musllinux",
                       ep_fix_rebuild(c, an));
        return EP_OK;
    }
    return EP_OK;
}
