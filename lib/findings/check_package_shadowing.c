/*
 * shadowed-by-source, package level: the named package itself imports,
 * from an earlier sys.path entry (typically the working directory holding
 * the source checkout), while the copy in a later entry -- the installed
 * one -- has compiled modules this copy lacks. Whether the package needs
 * them at import time is up to its code: the trial tells (and its failure
 * gets its own analysis); without the trial this is the static verdict.
 */
#include "findings/checks.h"

#include <string.h>

/* Bounds of the walk of the other copy for compiled modules: a package
 * tree is shallow and small; a walk that reaches a bound stops there and a
 * report note says what was left. */
#define WALK_MAX_DEPTH 6
#define WALK_MAX_ENTRIES 4000
#define SHOW_MODULES 6

typedef struct pkg_walk {
    ep_ctx *c;
    size_t budget;
    bool cut;      /* a bound stopped the walk */
    ep_strvec rel; /* "sub/_ext" of each compiled module found */
    ep_strvec files;
} pkg_walk;

/* Record the compiled modules under dir (relative name prefix rel). */
static ep_status
list_compiled(pkg_walk *w, const char *dir, const char *rel, int depth)
{
    ep_dirlist dl;
    if (depth > WALK_MAX_DEPTH) {
        w->cut = true;
        return EP_OK;
    }
    ep_status st = ep_fs_list(w->c->a, dir, &dl, w->c->err);
    size_t i = 0;
    for (; st == EP_OK && i < dl.count && w->budget > 0; i++) {
        const char *n = dl.names[i];
        w->budget--;
        if (strcmp(n, "__pycache__") == 0 || n[0] == '.') {
            continue;
        }
        const char *full = ep_path_join(w->c->a, dir, n);
        if (full == NULL) {
            return ep_fail_nomem(w->c->err);
        }
        const char *dot = strchr(n, '.');
        if (dot == NULL && ep_fs_isdir_nofollow(full)) {
            const char *r =
                rel[0] ? ep_arena_printf(w->c->a, "%s/%s", rel, n) : n;
            st = r ? list_compiled(w, full, r, depth + 1)
                   : ep_fail_nomem(w->c->err);
            continue;
        }
        if (dot == NULL || !ep_interp_has_ext_suffix(w->c->in, dot)) {
            continue;
        }
        const char *stem = ep_arena_strndup(w->c->a, n, (size_t)(dot - n));
        const char *r = stem == NULL ? NULL
                        : rel[0] ? ep_arena_printf(w->c->a, "%s/%s", rel, stem)
                                 : stem;
        if (r == NULL || !ep_strvec_push(w->c->a, &w->rel, r) ||
            !ep_strvec_push(w->c->a, &w->files, full)) {
            return ep_fail_nomem(w->c->err);
        }
    }
    if (st == EP_OK && i < dl.count) {
        w->cut = true; /* the entry budget ran out */
    }
    return st;
}

/* Does dir hold rel (a module path) with any suffix this interpreter loads? */
static bool
has_compiled(ep_ctx *c, const char *dir, const char *rel)
{
    for (size_t i = 0; i < c->in->ext_suffixes.count; i++) {
        const char *p = ep_arena_printf(c->a, "%s/%s%s", dir, rel,
                                        c->in->ext_suffixes.items[i]);
        if (p != NULL && ep_fs_isfile(p)) {
            return true;
        }
    }
    return false;
}

/* Already explained by another analysis (the trial's failure inside)? */
static bool
covered(const ep_ctx *c, const char *file)
{
    for (size_t i = 0; i < c->r->nfindings; i++) {
        const ep_finding_slot *f = c->r->findings[i];
        if (f->pub.code == EP_FINDING_SHADOWED_BY_SOURCE &&
            ep_strvec_contains(&f->paths, file)) {
            return true;
        }
    }
    return false;
}

ep_status
ep_check_package_shadowing(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = ep_analysis_target(an);
    if (!f->found || t == NULL || t->kind != EP_SPEC_PACKAGE ||
        t->dir == NULL) {
        return EP_OK;
    }
    for (size_t i = ep_find_next(f, f->ncomp - 1, EP_CAND_PACKAGE, 0);
         i != SIZE_MAX;
         i = ep_find_next(f, f->ncomp - 1, EP_CAND_PACKAGE, i + 1)) {
        const ep_cand *copy = &f->cands[i];
        if (i == t->used || strcmp(copy->path, t->dir) == 0) {
            continue;
        }
        pkg_walk w = {c, WALK_MAX_ENTRIES, false, {0}, {0}};
        ep_status st = list_compiled(&w, copy->path, "", 0);
        if (st != EP_OK) {
            return st;
        }
        if (w.cut) {
            ep_report_note(c->r,
                           "%s was searched for compiled modules only to %d "
                           "levels and %d entries",
                           copy->path, WALK_MAX_DEPTH, WALK_MAX_ENTRIES);
        }
        ep_strvec missing = {0}, missing_files = {0};
        for (size_t k = 0; k < w.rel.count; k++) {
            if (!has_compiled(c, t->dir, w.rel.items[k]) &&
                !covered(c, w.files.items[k]) &&
                (!ep_strvec_push(c->a, &missing, w.rel.items[k]) ||
                 !ep_strvec_push(c->a, &missing_files, w.files.items[k]))) {
                return ep_fail_nomem(c->err);
            }
        }
        if (missing.count == 0) {
            continue;
        }
        const ep_cand *used = &f->cands[t->used];
        ep_finding_slot *fs = ep_check_add(
            c, an, EP_FINDING_SHADOWED_BY_SOURCE,
            "%s is imported from %s (%s), which lacks %zu compiled module%s "
            "that the copy in %s has",
            an->name, t->dir, ep_where(c, &used->where), missing.count,
            missing.count == 1 ? "" : "s", copy->where.dir);
        if (fs == NULL) {
            return ep_fail_nomem(c->err);
        }
        if (c->r->trial != NULL && c->r->trial->outcome == EP_TRIAL_IMPORTED) {
            /* The import worked: the missing modules are not needed at
             * import time, but whatever imports them later fails. */
            ep_finding_severity(fs, EP_SEVERITY_WARNING);
        }
        for (size_t k = 0; k < missing.count && k < SHOW_MODULES; k++) {
            char *dotted =
                ep_arena_printf(c->a, "%s.%s", an->name, missing.items[k]);
            for (char *p = dotted; p != NULL && *p != '\0'; p++) {
                if (*p == '/') {
                    *p = '.';
                }
            }
            ep_finding_detail(c->r, fs, "%s: %s has it, %s does not",
                              dotted ? dotted : missing.items[k],
                              missing_files.items[k], t->dir);
            ep_finding_path(c->r, fs, missing_files.items[k]);
        }
        if (missing.count > SHOW_MODULES) {
            ep_finding_detail(c->r, fs, "... and %zu more",
                              missing.count - SHOW_MODULES);
        }
        ep_finding_detail(c->r, fs,
                          "PathFinder takes %s from %s first and "
                          "looks up its submodules only there; %s is never "
                          "reached",
                          an->name, t->dir, copy->path);
        ep_finding_path(c->r, fs, t->dir);
        ep_finding_fix(c->r, fs,
                       "Run from a directory that does not contain "
                       "the package source (tox: changedir; pytest: "
                       "--import-mode=importlib), use a src/ layout, or build "
                       "the extensions in place: %s",
                       ep_fix_rebuild(c, an));
    }
    return EP_OK;
}
