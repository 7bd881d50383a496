/*
 * glibc-too-new: the module (or a library it pulls in) needs a symbol
 * version -- GLIBC_2.x, or another library's -- that the library the
 * loader would use does not define (.gnu.version_r against .gnu.version_d).
 * The build machine was newer than this one. libstdc++'s GLIBCXX_/CXXABI_
 * versions are cxx-abi's (check_cxx_abi.c).
 */
#include "findings/checks.h"

#include <stdio.h>
#include <string.h>

/* Missing versions listed in the detail; the rest are counted. */

ep_status
ep_check_glibc_too_new(ep_ctx *c, ep_analysis *an, const ep_loader_facts *lf)
{
    if (an->ext == NULL || an->elf_bad || lf == NULL || !lf->available) {
        return EP_OK;
    }
    /* libstdc++'s versions are cxx-abi's (check_cxx_abi.c). */
    const ep_loader_missing_ver *v = NULL;
    for (size_t i = 0; i < lf->nvers && v == NULL; i++) {
        if (!ep_version_is_cxx(lf->vers[i].version)) {
            v = &lf->vers[i];
        }
    }
    if (v == NULL) {
        return EP_OK;
    }
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_GLIBC_TOO_NEW,
        "%s needs %s from %s, which this system's %s does not provide%s",
        v->needed_by ? ep_basename(v->needed_by) : ep_basename(an->ext_path),
        v->version, v->library, v->path ? v->path : v->library,
        v->newest ? ep_arena_printf(c->a, " (newest: %s)", v->newest) : "");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_detail_missing_versions(c, fs, an, lf, false);
    ep_finding_detail(c->r, fs,
                      "Python reports: ImportError: %s: version `%s' "
                      "not found (required by %s)",
                      v->path ? v->path : v->library, v->version,
                      v->needed_by ? v->needed_by : an->ext_path);
    if (an->dist != NULL && an->dist->wheel_tags.count > 0) {
        const char *tag = an->dist->wheel_tags.items[0];
        int tmaj, tmin, nmaj, nmin;
        /* PEP 600: manylinux_X_Y promises glibc X.Y is enough. A file that
         * needs more makes the tag a lie (vllm's manylinux_2_31 wheel that
         * needs GLIBC_2.34), which auditwheel would have caught. */
        const char *ml = strstr(tag, "manylinux_");
        if (ml != NULL && sscanf(ml, "manylinux_%d_%d", &tmaj, &tmin) == 2 &&
            sscanf(v->version, "GLIBC_%d.%d", &nmaj, &nmin) == 2 &&
            nmaj * 1000 + nmin > tmaj * 1000 + tmin) {
            ep_finding_detail(c->r, fs,
                              "The wheel is tagged %s, which promises glibc "
                              "%d.%d is enough, but it needs %s: the wheel's "
                              "tag is wrong (auditwheel show would say so)",
                              tag, tmaj, tmin, v->version);
        } else {
            ep_finding_detail(c->r, fs, "The installed wheel is tagged %s",
                              tag);
        }
    }
    ep_finding_path(c->r, fs, an->ext_path);
    if (v->path != NULL) {
        ep_finding_path(c->r, fs, v->path);
    }
    ep_finding_fix(c->r, fs,
                   "Install a wheel built for an older glibc "
                   "(a manylinux tag whose glibc version is at most this "
                   "system's, %s), or rebuild on this system: %s",
                   c->in->libc ? c->in->libc : "see ldd --version",
                   ep_fix_rebuild(c, an));
    return EP_OK;
}

/* The real import failed with the loader's text for this (trial_rules.c),
 * where the static checks saw nothing. */
ep_status
ep_check_glibc_too_new_from_trial(ep_ctx *c, ep_analysis *an,
                                  const ep_trial_error *e)
{
    ep_finding_slot *fs =
        ep_check_add(c, an, EP_FINDING_GLIBC_TOO_NEW, "importing %s fails: %s",
                     an->name, e->line);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_trial_details(c, fs, e, true);
    ep_finding_fix(c->r, fs,
                   "Install a build made for this system's "
                   "libraries (%s), or rebuild here: %s",
                   c->in->libc ? c->in->libc : "see ldd --version",
                   ep_fix_rebuild(c, an));
    if (e->file != NULL) {
        ep_finding_path(c->r, fs, e->file);
    }
    return EP_OK;
}
