/*
 * static-tls: the module uses the initial-exec TLS model (DF_STATIC_TLS), so
 * the loader must place its thread-local block in the static TLS area that
 * was sized at process start. dlopen() can only use the small surplus glibc
 * reserves for this (SURPLUS_BYTES below, minus what is already used); a
 * larger block,
 * or one after others have used the surplus, fails: "cannot allocate memory
 * in static TLS block".
 */
#include "findings/checks.h"

/* DF_STATIC_TLS in DT_FLAGS (elf.h). */
#define EP_DF_STATIC_TLS 0x10
/* glibc's whole static TLS surplus (elf/dl-tls.c,
 * _dl_tls_static_surplus_init): 1664 bytes kept as before glibc 2.32 plus
 * the 512 of glibc.rtld.optional_static_tls. A larger block never fits; a
 * smaller one fits while what the startup objects and earlier modules used
 * leaves room (measured on glibc 2.36 with CPython 3.11: 1700 bytes load,
 * 1900 fail). */
#define SURPLUS_BYTES (1664 + 512)

ep_status
ep_check_static_tls(ep_ctx *c, ep_analysis *an)
{
    const ep_elf_info *in = an->ext ? ep_object_elf(an->ext) : NULL;
    if (in == NULL || an->elf_bad || !(in->dt_flags & EP_DF_STATIC_TLS) ||
        in->tls_size == 0) {
        return EP_OK;
    }
    bool too_big = in->tls_size > SURPLUS_BYTES;
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_STATIC_TLS,
        too_big ? "%s needs %llu bytes of static TLS (initial-exec model), "
                  "more than dlopen() can allocate"
                : "%s uses static TLS (initial-exec model, %llu bytes): it "
                  "loads only while the loader's small surplus lasts",
        ep_basename(an->ext_path), (unsigned long long)in->tls_size);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_severity(fs, too_big ? EP_SEVERITY_ERROR : EP_SEVERITY_WARNING);
    ep_finding_detail(c->r, fs,
                      "%s has DF_STATIC_TLS and a PT_TLS block of %llu bytes; "
                      "a module loaded by dlopen() gets at most the surplus "
                      "glibc reserves at startup (%d bytes by default, less "
                      "what the objects loaded before it use)",
                      an->ext_path, (unsigned long long)in->tls_size,
                      SURPLUS_BYTES);
    ep_finding_detail(c->r, fs,
                      "Python reports: ImportError: %s: cannot allocate "
                      "memory in static TLS block",
                      an->ext_path);
    ep_finding_path(c->r, fs, an->ext_path);
    ep_finding_fix(c->r, fs,
                   "Build the module (and the libraries it bundles) with the "
                   "global-dynamic TLS model: drop -ftls-model=initial-exec, "
                   "or mark the variables __attribute__((tls_model("
                   "\"global-dynamic\"))); as a stopgap, "
                   "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=%llu or "
                   "LD_PRELOAD the module so it loads at startup: %s",
                   (unsigned long long)in->tls_size + 4096,
                   ep_fix_rebuild(c, an));
    return EP_OK;
}
