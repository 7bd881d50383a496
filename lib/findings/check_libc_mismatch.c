/*
 * libc-mismatch: a module built against musl (DT_NEEDED libc.musl-*.so.1,
 * or musl's bare libc.so from musl-gcc) under a glibc interpreter, or a
 * glibc one (libc.so.6) under musl. glibc's loader finds no musl libc, or
 * its own libc.so linker script ("invalid ELF header"); musl has no
 * GLIBC_* versions. PEP 656 tags tell the two apart; a copied file does not.
 * The interpreter's C library is read from its own ELF (PT_INTERP, else the
 * DT_NEEDED of the executable or libpython), the facts' glibc string
 * otherwise.
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

/* "musl", "glibc", or NULL for a PT_INTERP that is neither loader. */
static const char *
loader_family(const char *interp)
{
    const char *base = interp ? ep_basename(interp) : "";
    if (strncmp(base, "ld-musl-", 8) == 0) {
        return "musl";
    }
    if (strncmp(base, "ld-linux", 8) == 0 || strcmp(base, "ld64.so.2") == 0 ||
        strcmp(base, "ld64.so.1") == 0 || strcmp(base, "ld.so.1") == 0) {
        return "glibc";
    }
    return NULL;
}

const char *
ep_process_libc(const ep_object *exe, const ep_object *libpython,
                const char **evidence, ep_arena *a)
{
    const ep_elf_info *e = exe ? ep_object_elf(exe) : NULL;
    if (e == NULL) {
        return NULL;
    }
    /* The program interpreter decides the process's C library: musl's
     * loader is its libc (/lib/ld-musl-ARCH.so.1), glibc's is ld-linux. */
    const char *fam = loader_family(e->interp);
    if (fam != NULL) {
        *evidence = ep_arena_printf(a, "%s has PT_INTERP %s",
                                    ep_object_path(exe), e->interp);
        return fam;
    }
    const ep_object *objs[] = {exe, libpython};
    for (size_t k = 0; k < 2; k++) {
        const ep_elf_info *o = objs[k] ? ep_object_elf(objs[k]) : NULL;
        for (size_t i = 0; o != NULL && i < o->needed.count; i++) {
            fam = libc_family(o->needed.items[i]);
            if (fam != NULL) {
                *evidence = ep_arena_printf(a, "%s has DT_NEEDED %s",
                                            ep_object_path(objs[k]),
                                            o->needed.items[i]);
                return fam;
            }
        }
    }
    return NULL;
}

ep_status
ep_check_libc_mismatch(ep_ctx *c, ep_analysis *an)
{
    const ep_elf_info *in = an->ext ? ep_object_elf(an->ext) : NULL;
    if (in == NULL || an->elf_bad) {
        return EP_OK;
    }
    /* The interpreter's own ELF first: on musl, facts.py has no libc
     * (os.confstr has no CS_GNU_LIBC_VERSION there), and glibc's string
     * says nothing a static build's ELF would not. */
    const char *evidence = NULL;
    const char *running =
        ep_process_libc(c->interp_exe, c->libpython, &evidence, c->a);
    if (running == NULL && c->in->libc != NULL) {
        running = strncmp(c->in->libc, "glibc", 5) == 0  ? "glibc"
                  : strncmp(c->in->libc, "musl", 4) == 0 ? "musl"
                                                         : NULL;
    }
    if (running == NULL) {
        return EP_OK;
    }
    const char *libc_name = c->in->libc ? c->in->libc : running;
    for (size_t i = 0; i < in->needed.count; i++) {
        const char *fam = libc_family(in->needed.items[i]);
        if (fam == NULL || strcmp(fam, running) == 0) {
            continue;
        }
        ep_finding_slot *fs = ep_check_add(
            c, an, EP_FINDING_LIBC_MISMATCH,
            "%s was built for %s (it needs %s), but this interpreter runs on "
            "%s",
            ep_basename(an->ext_path), fam, in->needed.items[i], libc_name);
        if (fs == NULL) {
            return ep_fail_nomem(c->err);
        }
        ep_finding_detail(c->r, fs, "%s has DT_NEEDED %s: the %s C library",
                          an->ext_path, in->needed.items[i], fam);
        if (evidence != NULL) {
            ep_finding_detail(c->r, fs, "The interpreter runs on %s: %s",
                              running, evidence);
        }
        if (strcmp(fam, "musl") == 0) {
            ep_finding_detail(c->r, fs,
                              "glibc's loader does not know musl's C library: "
                              "it finds nothing, or glibc's own libc.so, a "
                              "linker script (Python reports: ImportError: "
                              "/lib/x86_64-linux-gnu/libc.so: invalid ELF "
                              "header)");
        } else {
            /* musl ldso/dynlink.c words its failures "Error loading shared
             * library" and "Error relocating ...: symbol not found". */
            ep_finding_detail(c->r, fs,
                              "musl's loader has no libc.so.6 and no GLIBC_* "
                              "symbol versions: the load fails on the first "
                              "glibc library or symbol it needs (musl says "
                              "\"Error loading shared library libc.so.6\" or "
                              "\"Error relocating ...: symbol not found\"); "
                              "Alpine's gcompat covers only part of glibc");
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
