/*
 * The static checks of one analysis, in the order their facts build on
 * each other: where the import goes first (a file that is never reached
 * cannot fail to load), then what the loader would make of the file.
 */
#include "findings/checks.h"

#include <string.h>

static ep_status file_checks(ep_ctx *c, ep_analysis *an);

static ep_status
location_checks(ep_ctx *c, ep_analysis *an)
{
    ep_status (*const checks[])(ep_ctx *, ep_analysis *) = {
        ep_check_unreadable,
        ep_check_shadowed_by_source,
        ep_check_namespace_package,
        ep_check_editable_without_build,
        ep_check_extension_not_installed,
        ep_check_abi_tag_mismatch,
        ep_check_installed_elsewhere,
        ep_check_module_not_found,
    };
    for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++) {
        ep_status st = checks[i](c, an);
        if (st != EP_OK) {
            return st;
        }
    }
    return EP_OK;
}

ep_status
ep_checks_file(ep_ctx *c, ep_analysis *an)
{
    ep_status st = ep_check_abi_tag_mismatch_file(c, an);
    if (st == EP_OK) {
        st = ep_check_unreadable(c, an);
    }
    if (st != EP_OK || an->elf_bad) {
        return st;
    }
    return file_checks(c, an);
}

static ep_status
file_checks(ep_ctx *c, ep_analysis *an)
{
    ep_status st = ep_check_not_an_extension(c, an);
    if (st == EP_OK) {
        st = ep_check_wrong_architecture(c, an);
    }
    if (st == EP_OK) {
        st = ep_check_missing_init_function(c, an);
    }
    if (st == EP_OK) {
        st = ep_check_limited_api_violation(c, an);
    }
    /* What the loader refuses, or accepts to the process's harm, before
     * the needed-library tree: the C library, the stack, static TLS, a
     * second libpython. */
    ep_status (*const loader_checks[])(ep_ctx *, ep_analysis *) = {
        ep_check_libc_mismatch,
        ep_check_executable_stack,
        ep_check_static_tls,
        ep_check_links_libpython,
    };
    for (size_t i = 0; st == EP_OK && !an->elf_bad &&
                       i < sizeof(loader_checks) / sizeof(*loader_checks);
         i++) {
        st = loader_checks[i](c, an);
    }
    if (st != EP_OK || an->elf_bad) {
        return st;
    }
    ep_loader_facts lf;
    st = ep_loader_facts_get(c, an->ext_path, &lf);
    if (st != EP_OK) {
        return st;
    }
    an->deps_checked = lf.available;
    if (!lf.available && lf.note != NULL) {
        bool seen = false;
        for (size_t i = 0; i < c->r->notes.count && !seen; i++) {
            seen = c->r->notes.items[i] == lf.note ||
                   strcmp(c->r->notes.items[i], lf.note) == 0;
        }
        if (!seen) {
            ep_report_note(c->r, "%s", lf.note);
        }
    }
    st = ep_check_missing_dependency(c, an, &lf);
    if (st == EP_OK) {
        st = ep_check_cxx_abi(c, an, &lf);
    }
    if (st == EP_OK) {
        st = ep_check_glibc_too_new(c, an, &lf);
    }
    if (st == EP_OK) {
        st = ep_check_undefined_symbol(c, an, &lf);
    }
    return st;
}

ep_status
ep_checks_static(ep_ctx *c, ep_analysis *an)
{
    const char *hint = NULL;
    const ep_find *f = &an->find;
    /* A copy outside the installed site directories is a checkout: its
     * project files say how it is built. */
    bool installed =
        f->nsteps > 0 && ep_path_origin_installed(f->steps[0].found_in.origin);
    if (f->nsteps > 0 && f->steps[0].dir != NULL && !installed) {
        hint = ep_path_dirname(c->a, f->steps[0].dir);
    }
    if (hint == NULL && !installed) {
        hint = c->in->cwd;
    }
    ep_buildsys_detect(c, an, hint);
    ep_status st = location_checks(c, an);
    if (st == EP_OK && an->ext != NULL) {
        st = file_checks(c, an);
    }
    return st;
}
