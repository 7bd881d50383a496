/*
 * unreadable: a directory the import must list, or the extension file
 * itself, cannot be read (permissions). FileFinder silently skips a
 * directory it cannot list, so the import fails further along, or picks
 * a later copy, without saying why.
 */
#include "findings/checks.h"

#include <string.h>

ep_status
ep_check_unreadable(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    for (size_t s = 0; s < f->nsteps; s++) {
        for (size_t i = ep_find_next(f, s, EP_CAND_UNREADABLE, 0);
             i != SIZE_MAX; i = ep_find_next(f, s, EP_CAND_UNREADABLE, i + 1)) {
            const ep_cand *cd = &f->cands[i];
            ep_finding_slot *fs =
                cd->suffix != NULL
                    ? ep_check_add(c, an, EP_FINDING_UNREADABLE,
                                   "%s cannot be read: %s", cd->path,
                                   cd->detail)
                    : ep_check_add(
                          c, an, EP_FINDING_UNREADABLE,
                          "%s cannot be listed (Permission denied), so "
                          "the import cannot see whether it holds %s",
                          cd->path, f->steps[s].name);
            if (fs == NULL) {
                return ep_fail_nomem(c->err);
            }
            if (f->found && s < f->nsteps) {
                ep_finding_severity(fs, EP_SEVERITY_WARNING);
            }
            if (cd->suffix != NULL) {
                /* A name the directory lists but stat() cannot follow. */
                ep_finding_detail(c->r, fs,
                                  "%s is listed in its directory, "
                                  "but %s; FileFinder's stat() fails, so the "
                                  "name is skipped",
                                  cd->path, cd->detail);
            } else {
                ep_finding_detail(c->r, fs,
                                  "%s is on the search path (%s) and "
                                  "listing it fails: Permission denied "
                                  "(EACCES); importlib's FileFinder treats it "
                                  "as empty",
                                  cd->path, ep_where(c, &cd->where));
            }
            ep_finding_path(c->r, fs, cd->path);
            if (cd->suffix != NULL) {
                ep_finding_fix(c->r, fs,
                               "Rebuild or reinstall %s so that the "
                               "name points at a readable file (a symlink into "
                               "a build directory breaks when the build is "
                               "cleaned; copy the file instead)",
                               f->steps[s].name);
            } else {
                ep_finding_fix(c->r, fs,
                               "Give the user running Python read and "
                               "execute permission on %s (chmod a+rx), or "
                               "remove it from the search path",
                               cd->path);
            }
        }
    }
    if (an->ext != NULL && ep_object_kind(an->ext) == EP_KIND_UNREADABLE) {
        an->elf_bad = true;
        ep_finding_slot *fs = ep_check_add(c, an, EP_FINDING_UNREADABLE,
                                           "%s cannot be read", an->ext_path);
        if (fs == NULL) {
            return ep_fail_nomem(c->err);
        }
        const char *why = ep_object_reason(an->ext);
        ep_finding_detail(c->r, fs,
                          "The finder picks %s for %s, but opening "
                          "it fails: %s",
                          an->ext_path, an->name, why ? why : "unreadable");
        ep_finding_path(c->r, fs, an->ext_path);
        ep_finding_fix(c->r, fs,
                       "Make %s readable by the user running Python "
                       "(chmod a+r), or reinstall the package",
                       an->ext_path);
    }
    return EP_OK;
}

/* The real import failed with the loader's text for this (trial_rules.c),
 * where the static checks saw nothing. */
ep_status
ep_check_unreadable_from_trial(ep_ctx *c, ep_analysis *an,
                               const ep_trial_error *e)
{
    ep_finding_slot *fs =
        ep_check_add(c, an, EP_FINDING_UNREADABLE, "importing %s fails: %s",
                     an->name, e->line);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_trial_details(c, fs, e, true);
    ep_finding_fix(c->r, fs, "Rebuild the module for this interpreter: %s",
                   ep_fix_rebuild(c, an));
    if (e->file != NULL) {
        ep_finding_path(c->r, fs, e->file);
    }
    return EP_OK;
}
