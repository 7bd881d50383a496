/*
 * shadowed-by-source: the import takes a package or module from an earlier
 * sys.path entry -- the working directory, the script's directory,
 * PYTHONPATH, a .pth line, a test runner's insert -- that lacks the
 * compiled module, while a later entry has it. PathFinder stops at the
 * first entry with a regular match (importlib._bootstrap_external.
 * PathFinder._get_spec), and submodules are then looked up only in that
 * copy's __path__, so the later, complete copy is never reached.
 */
#include "findings/checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a sys.path entry came to be there, for the detail. */
static const char *
origin_story(ep_ctx *c, const ep_search_dir *sd)
{
    switch (sd->origin) {
    case EP_ORIGIN_CWD:
        return ep_arena_printf(c->a,
                               "sys.path[%zu] is the working directory "
                               "%s: `python -c`, `python -m`, pytest's rootdir "
                               "insertion and tox (run from the project root) "
                               "all put it first",
                               sd->entry, c->in->cwd ? c->in->cwd : sd->dir);
    case EP_ORIGIN_SCRIPT_DIR:
        return ep_arena_printf(c->a,
                               "sys.path[%zu] is the directory of the "
                               "script being run",
                               sd->entry);
    case EP_ORIGIN_PYTHONPATH:
        return ep_arena_printf(c->a, "sys.path[%zu] comes from PYTHONPATH=%s",
                               sd->entry,
                               ep_interp_env(c->in, "PYTHONPATH")
                                   ? ep_interp_env(c->in, "PYTHONPATH")
                                   : "");
    case EP_ORIGIN_PTH:
        return ep_arena_printf(c->a, "sys.path[%zu] is added by %s", sd->entry,
                               sd->origin_detail);
    default:
        break;
    }
    if (sd->via != NULL) {
        return ep_arena_printf(c->a, "the directory comes from the %s",
                               sd->via);
    }
    return ep_arena_printf(c->a,
                           "sys.path[%zu] (%s) is set by the "
                           "interpreter's configuration or by code that ran "
                           "before the import (sys.path.insert in a "
                           "conftest.py, a test runner setting)",
                           sd->entry, ep_path_origin_str(sd->origin));
}

/* The fix for a shadowing entry, by where it came from. */
static const char *
origin_fix(ep_ctx *c, const ep_analysis *an, const ep_search_dir *sd,
           const char *copy)
{
    const char *rebuild = ep_fix_rebuild(c, an);
    switch (sd->origin) {
    case EP_ORIGIN_CWD:
        return ep_arena_printf(
            c->a,
            "Run Python from outside the source tree (cd elsewhere; in "
            "tox set changedir = {envtmpdir}; in pytest use "
            "--import-mode=importlib or --import-mode=append), or move the "
            "package under src/ (src layout) so the project root does not "
            "shadow the installed copy. To use the checkout itself, build the "
            "extension in place: %s",
            rebuild);
    case EP_ORIGIN_SCRIPT_DIR:
        return ep_arena_printf(c->a,
                               "Move the script out of the directory "
                               "that holds %s, or build the extension in "
                               "place: %s",
                               copy, rebuild);
    case EP_ORIGIN_PYTHONPATH:
        return ep_arena_printf(c->a,
                               "Remove %s from PYTHONPATH (tox: setenv; "
                               "CI: env), or build the extension there: %s",
                               sd->dir, rebuild);
    case EP_ORIGIN_PTH:
        return ep_arena_printf(
            c->a,
            "%s adds %s to sys.path (a leftover "
            "editable install or `setup.py develop`?): delete "
            "it, or build the extension there: %s",
            sd->origin_detail, sd->dir, rebuild);
    default:
        return ep_arena_printf(c->a,
                               "Remove %s from sys.path, or build the "
                               "extension there: %s",
                               sd->dir, rebuild);
    }
}

/* What the shadowing copy holds in place of the compiled module. */
static void
describe_copy(ep_ctx *c, ep_finding_slot *fs, const ep_analysis *an,
              const char *dir, const char *comp)
{
    const ep_find *f = &an->find;
    size_t t = f->ncomp - 1;
    ep_finding_detail(c->r, fs,
                      "%s has no %s with any suffix this interpreter "
                      "loads (%s)",
                      dir, comp, ep_suffix_list(c));
    for (size_t i = f->steps[t].cand_first; i < f->steps[t].cand_end; i++) {
        const ep_cand *cd = &f->cands[i];
        if (cd->alternative ||
            strcmp(ep_path_dirname(c->a, cd->path), dir) != 0) {
            continue;
        }
        if (cd->kind == EP_CAND_FOREIGN) {
            ep_finding_detail(c->r, fs, "It has %s: %s", ep_basename(cd->path),
                              cd->tag_why ? cd->tag_why : "another tag");
        }
    }
    static const char *const srcs[] = {".pyx", ".rs", ".c", ".cpp"};
    for (size_t i = 0; i < sizeof(srcs) / sizeof(*srcs); i++) {
        const char *p = ep_arena_printf(c->a, "%s/%s%s", dir, comp, srcs[i]);
        if (p != NULL && ep_fs_isfile(p)) {
            ep_finding_detail(c->r, fs,
                              "It has the source %s, never built "
                              "there",
                              p);
        }
    }
}

/* The directory of the compiled file's own copy of the parent, when that
 * copy is a namespace portion (no __init__.py) and the parent is a regular
 * package: PEP 420 leaves every portion out of a regular package's
 * __path__, whatever its place on sys.path. */
static const ep_cand *
lost_portion(ep_ctx *c, const ep_analysis *an, const ep_cand *ext)
{
    const ep_find *f = &an->find;
    size_t miss = f->fail_step;
    if (miss == 0 || f->steps[miss - 1].kind != EP_SPEC_PACKAGE) {
        return NULL;
    }
    const char *copy = ep_path_dirname(c->a, ext->path);
    for (size_t i = f->steps[miss - 1].cand_first;
         copy != NULL && i < f->steps[miss - 1].cand_end; i++) {
        const ep_cand *cd = &f->cands[i];
        if (cd->kind == EP_CAND_PORTION && strcmp(cd->path, copy) == 0) {
            return cd;
        }
    }
    return NULL;
}

/* A setuptools build tree: build/lib.<platform>-<version>/ (or build/lib/). */
static bool
in_build_lib(const char *path)
{
    return strstr(path, "/build/lib.") != NULL ||
           strstr(path, "/build/lib/") != NULL;
}

/* The compiled module sits in a portion a regular package left out. */
static ep_status
missing_in_portion(ep_ctx *c, ep_analysis *an, const ep_cand *ext,
                   const ep_cand *portion)
{
    const ep_find *f = &an->find;
    size_t miss = f->fail_step;
    const ep_find_step *parent = &f->steps[miss - 1];
    const char *pkg = parent->dir ? parent->dir : "?";
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_SHADOWED_BY_SOURCE,
        "the compiled %s is in %s, a directory without __init__.py, which "
        "the regular package %s (%s) leaves out of %s.__path__",
        an->name, portion->path, pkg, ep_where(c, &parent->found_in),
        parent->name);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(
        c->r, fs,
        "PEP 420: a directory without __init__.py is only a "
        "portion of a namespace package, and portions count "
        "only when no sys.path entry has a regular package; "
        "%s has __init__.py, so %s.__path__ is [%s] and %s "
        "(%s) is never searched, although it comes %s on "
        "sys.path",
        pkg, parent->name, pkg, portion->path, ep_where(c, &portion->where),
        portion->where.entry < parent->found_in.entry ? "first" : "later");
    describe_copy(c, fs, an, pkg, f->steps[miss].component);
    ep_finding_detail(c->r, fs, "The compiled module is %s", ext->path);
    if (in_build_lib(portion->path)) {
        ep_finding_detail(c->r, fs,
                          "%s is a setuptools build tree holding only the "
                          "compiled files (build_ext without build_py copies "
                          "no __init__.py)",
                          portion->where.dir);
    }
    ep_finding_detail(c->r, fs,
                      "Python reports: ModuleNotFoundError: No module "
                      "named '%s'",
                      f->steps[miss].name);
    ep_finding_path(c->r, fs, ext->path);
    ep_finding_path(c->r, fs, pkg);
    const char *entry = portion->where.dir;
    const char *drop =
        portion->where.origin == EP_ORIGIN_PYTHONPATH
            ? ep_arena_printf(c->a, "drop %s from PYTHONPATH", entry)
            : ep_arena_printf(c->a, "remove %s from sys.path (%s)", entry,
                              ep_where(c, &portion->where));
    ep_finding_fix(c->r, fs,
                   "Build the extension into the package the import uses: "
                   "%s; then %s. (Or put the complete build -- with "
                   "__init__.py, e.g. `setup.py build` -- on sys.path "
                   "instead of %s.)",
                   ep_fix_rebuild(c, an), drop,
                   parent->found_in.dir ? parent->found_in.dir : pkg);
    return EP_OK;
}

/* The package copy that lacks the module: steps before the first missing
 * component, taken from an earlier entry than the compiled file's copy. */
static ep_status
missing_in_copy(ep_ctx *c, ep_analysis *an, size_t alt_ext)
{
    const ep_find *f = &an->find;
    const ep_cand *ext = &f->cands[alt_ext];
    size_t miss = f->fail_step;
    const ep_cand *portion = lost_portion(c, an, ext);
    if (portion != NULL) {
        return missing_in_portion(c, an, ext, portion);
    }
    const ep_find_step *parent = &f->steps[miss > 0 ? miss - 1 : 0];
    const ep_search_dir *top = &f->steps[0].found_in;
    const char *top_name = f->steps[0].name;
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_SHADOWED_BY_SOURCE,
        "%s is imported from %s (%s), a copy without the compiled %s; the "
        "copy in %s has it but is never reached",
        top_name, f->steps[0].dir ? f->steps[0].dir : top->dir,
        ep_where(c, top), an->name, ext->where.dir);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs, "%s", origin_story(c, top));
    ep_finding_detail(c->r, fs,
                      "PathFinder stops at the first entry that has "
                      "%s, so %s is looked up only in %s",
                      top_name, an->name, parent->dir ? parent->dir : "(none)");
    describe_copy(c, fs, an, parent->dir ? parent->dir : top->dir,
                  f->steps[miss].component);
    ep_finding_detail(c->r, fs, "The compiled module exists at %s (%s)",
                      ext->path, ep_where(c, &ext->where));
    if (an->dist != NULL) {
        const char *rec =
            ep_dist_compiled_for(an->dist, c->in, an->name, false);
        if (rec != NULL) {
            ep_finding_detail(c->r, fs,
                              "Installed by %s %s (its RECORD lists %s)",
                              an->dist->name,
                              an->dist->version ? an->dist->version : "", rec);
        }
    }
    ep_finding_detail(c->r, fs,
                      "Python reports: ModuleNotFoundError: No module "
                      "named '%s'",
                      f->steps[miss].name);
    ep_finding_path(c->r, fs, parent->dir);
    ep_finding_path(c->r, fs, ext->path);
    ep_check_fix(c, fs, origin_fix(c, an, top, top_name));
    return EP_OK;
}

/* The name itself resolves to a source module or package while a compiled
 * module of the same name sits later on the path. */
static ep_status
source_beats_compiled(ep_ctx *c, ep_analysis *an, size_t ext_i)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = &f->steps[f->ncomp - 1];
    const ep_cand *ext = &f->cands[ext_i];
    const ep_cand *used = t->used != SIZE_MAX ? &f->cands[t->used] : NULL;
    if (used == NULL) {
        return EP_OK;
    }
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_SHADOWED_BY_SOURCE,
        "%s resolves to the %s %s (%s), which shadows the compiled %s",
        an->name, ep_spec_kind_str(t->kind), used->path,
        ep_where(c, &used->where), ext->path);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs, "%s", origin_story(c, &used->where));
    ep_finding_detail(c->r, fs,
                      "The compiled module %s (%s) comes later, so "
                      "the import never loads it",
                      ext->path, ep_where(c, &ext->where));
    ep_finding_path(c->r, fs, used->path);
    ep_finding_path(c->r, fs, ext->path);
    ep_check_fix(c, fs, origin_fix(c, an, &used->where, used->path));
    return EP_OK;
}

/* "No module named 'a.b'; 'a' is not a package" */
static ep_status
module_shadows_package(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    size_t k = f->fail_step - 1;
    const ep_find_step *s = &f->steps[k];
    size_t pkg = ep_find_next(f, k, EP_CAND_PACKAGE, 0);
    if (s->used == SIZE_MAX || pkg == SIZE_MAX) {
        return EP_OK;
    }
    const ep_cand *used = &f->cands[s->used];
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_SHADOWED_BY_SOURCE,
        "%s is the module %s (%s), which shadows the package %s", s->name,
        used->path, ep_where(c, &used->where), f->cands[pkg].path);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs, "%s", origin_story(c, &used->where));
    ep_finding_detail(c->r, fs,
                      "Python reports: ModuleNotFoundError: No module "
                      "named '%s'; '%s' is not a package",
                      f->steps[k + 1].name, s->name);
    ep_finding_path(c->r, fs, used->path);
    ep_finding_path(c->r, fs, f->cands[pkg].path);
    ep_check_fix(c, fs,
                 ep_arena_printf(c->a,
                                 "Rename or remove %s (a script or "
                                 "module named like the package %s)",
                                 used->path, s->name));
    return EP_OK;
}

/* Two copies of one build are not a stale build: byte-identical files
 * (compared in chunks, up to a bound) count as the same. */
#define SAME_CONTENT_MAX ((int64_t)256 << 20)

static bool
same_content(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb");
    FILE *fb = fopen(b, "rb");
    bool same = fa != NULL && fb != NULL;
    char ba[8192], bb[8192];
    int64_t total = 0;
    while (same && total < SAME_CONTENT_MAX) {
        size_t na = fread(ba, 1, sizeof(ba), fa);
        size_t nb = fread(bb, 1, sizeof(bb), fb);
        same = na == nb && memcmp(ba, bb, na) == 0;
        if (na == 0) {
            break;
        }
        total += (int64_t)na;
    }
    if (fa != NULL) {
        fclose(fa);
    }
    if (fb != NULL) {
        fclose(fb);
    }
    return same;
}

/* Is `newer` a later, different build than `used`? */
static bool
later_build(const ep_cand *newer, const ep_cand *used)
{
    return newer->mtime > 0 && used->mtime > 0 &&
           newer->mtime - used->mtime > EP_NEWER_MIN_NS &&
           !same_content(newer->path, used->path);
}

/* Two builds side by side, or a build older than its source beside it
 * (an in-place build that was not redone): FileFinder takes the first
 * suffix of EXTENSION_SUFFIXES that exists, whatever its age. An editable
 * tree's stale build is editable-without-build's to report. */
static ep_status
stale_beside(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = &f->steps[f->ncomp - 1];
    const ep_cand *used = &f->cands[t->used];
    const ep_cand *newer = NULL;
    for (size_t i = t->cand_first; i < t->cand_end && newer == NULL; i++) {
        const ep_cand *cd = &f->cands[i];
        if (cd->kind == EP_CAND_EXTENSION && i != t->used && !cd->alternative &&
            strcmp(ep_path_dirname(c->a, cd->path), t->dir) == 0 &&
            later_build(cd, used)) {
            newer = cd;
        }
    }
    bool editable = an->dist != NULL && an->dist->editable;
    /* Without a source beside it, the DWARF may name one elsewhere: asked
     * for a module outside the site directories only (an installed
     * module's provenance is not read). */
    bool by_dwarf = newer == NULL && used->newer_source == NULL && !editable &&
                    !ep_path_origin_installed(used->where.origin);
    if (newer == NULL && !by_dwarf &&
        (used->newer_source == NULL || editable)) {
        return EP_OK;
    }
    const char *source = used->newer_source;
    size_t more = 0;
    if (by_dwarf) {
        /* Before the owner check: a module without debug info costs
         * nothing here, one with it a helper start, where the owner check
         * may read every RECORD of a large environment. */
        ep_status st = ep_stale_unit_source(c, an, used, &source, &more);
        if (st != EP_OK || source == NULL) {
            return st;
        }
    }
    /* Files an installer wrote from one wheel carry install times, not
     * build times: a source beside an installed module says nothing. Asked
     * only here, where it decides: finding the owner may read every RECORD. */
    if (newer == NULL) {
        const ep_dist *owner =
            ep_dist_has_file(an->dist, used->path)
                ? an->dist
                : ep_dists_owner_of_file(&c->dists, used->path);
        if (owner != NULL && !owner->editable) {
            return EP_OK;
        }
    }
    ep_finding_slot *fs =
        newer != NULL
            ? ep_check_add(c, an, EP_FINDING_SHADOWED_BY_SOURCE,
                           "%s loads %s, an older build than %s beside it",
                           an->name, ep_basename(used->path),
                           ep_basename(newer->path))
            : ep_check_add(c, an, EP_FINDING_SHADOWED_BY_SOURCE,
                           "%s loads %s, built before its source %s last "
                           "changed",
                           an->name, used->path, source);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_severity(fs, EP_SEVERITY_WARNING);
    if (newer != NULL) {
        ep_finding_detail(c->r, fs,
                          "FileFinder tries %s before %s, whatever their "
                          "age: the newer build is never loaded",
                          used->suffix ? used->suffix : "?",
                          newer->suffix ? newer->suffix : "?");
        ep_finding_path(c->r, fs, newer->path);
        ep_finding_fix(c->r, fs,
                       "Delete the build that should not be there (%s or %s), "
                       "then rebuild: %s",
                       used->path, newer->path, ep_fix_rebuild(c, an));
    } else {
        if (by_dwarf) {
            ep_stale_unit_detail(c, fs, used, source, more);
        } else {
            ep_finding_detail(c->r, fs,
                              "%s was modified after %s was built; the "
                              "import runs the old code",
                              source, used->path);
        }
        ep_finding_path(c->r, fs, source);
        ep_finding_fix(c->r, fs, "Rebuild in place: %s", ep_fix_rebuild(c, an));
    }
    ep_finding_path(c->r, fs, used->path);
    return EP_OK;
}

/* The compiled module that loads is an in-place build older than the copy
 * the import never reaches. */
static ep_status
stale_in_place(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = &f->steps[f->ncomp - 1];
    const ep_cand *used = &f->cands[t->used];
    const ep_cand *newer = NULL;
    for (size_t i = t->cand_first; i < t->cand_end; i++) {
        const ep_cand *cd = &f->cands[i];
        if (cd->kind == EP_CAND_EXTENSION && i != t->used &&
            strcmp(ep_path_dirname(c->a, cd->path), t->dir) != 0 &&
            later_build(cd, used)) {
            newer = cd;
            break;
        }
    }
    if (newer == NULL) {
        return stale_beside(c, an);
    }
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_SHADOWED_BY_SOURCE,
        "%s loads the older build %s (%s), not the newer %s", an->name,
        used->path, ep_where(c, &used->where), newer->path);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_severity(fs, EP_SEVERITY_WARNING);
    ep_finding_detail(c->r, fs, "%s", origin_story(c, &used->where));
    ep_finding_detail(c->r, fs,
                      "%s is newer (%s) but comes later, so the "
                      "code that runs is not the code that was last built",
                      newer->path, ep_where(c, &newer->where));
    ep_finding_path(c->r, fs, used->path);
    ep_finding_path(c->r, fs, newer->path);
    ep_check_fix(c, fs, origin_fix(c, an, &used->where, used->path));
    return EP_OK;
}

/* The newcomer's mistake: a numpy.py of one's own in the script's
 * directory or the working directory, named like a library
 * that is installed. The import takes the local file, and what follows --
 * "partially initialized module 'numpy' has no attribute", "No module
 * named 'numpy.linalg'" -- only says so indirectly. */
static ep_status
local_shadows_library(ep_ctx *c, ep_analysis *an, bool *added)
{
    const ep_find *f = &an->find;
    const ep_find_step *top = &f->steps[0];
    *added = false;
    if (f->nsteps == 0 || top->used == SIZE_MAX) {
        return EP_OK;
    }
    const ep_cand *used = &f->cands[top->used];
    /* A local package of that name is most often a checkout of the library
     * itself (built in place, or not: missing_in_copy's case); a lone
     * module file is not. */
    if ((used->kind != EP_CAND_SOURCE && used->kind != EP_CAND_BYTECODE) ||
        !(used->where.origin == EP_ORIGIN_CWD ||
          used->where.origin == EP_ORIGIN_SCRIPT_DIR)) {
        return EP_OK;
    }
    const ep_cand *lib = NULL;
    for (size_t i = top->cand_first; i < top->cand_end && lib == NULL; i++) {
        const ep_cand *cd = &f->cands[i];
        if (i != top->used && !cd->alternative &&
            (cd->kind == EP_CAND_PACKAGE || cd->kind == EP_CAND_EXTENSION ||
             cd->kind == EP_CAND_SOURCE) &&
            ep_path_origin_installed(cd->where.origin)) {
            lib = cd;
        }
    }
    if (lib == NULL ||
        (an->dist == NULL && lib->where.origin != EP_ORIGIN_STDLIB)) {
        return EP_OK;
    }
    const char *what =
        an->dist != NULL
            ? ep_arena_printf(c->a, "the library %s%s%s", an->dist->name,
                              an->dist->version ? " " : "",
                              an->dist->version ? an->dist->version : "")
            : "the standard library module";
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_SHADOWED_BY_SOURCE,
        "%s is your own file %s (%s), which hides %s installed at %s",
        top->name, used->path, ep_where(c, &used->where), what, lib->path);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    *added = true;
    ep_finding_detail(c->r, fs, "%s", origin_story(c, &used->where));
    ep_finding_detail(c->r, fs,
                      "PathFinder takes the first sys.path entry that has "
                      "%s, so `import %s` runs %s and never reaches %s (%s)",
                      top->name, an->name, used->path, lib->path,
                      ep_where(c, &lib->where));
    ep_finding_detail(
        c->r, fs,
        "What follows only hints at it: AttributeError: "
        "partially initialized module '%s' has no attribute "
        "... (most likely due to a circular import), or "
        "ModuleNotFoundError: No module named '%s.<submodule>'; '%s' "
        "is not a package",
        top->name, top->name, top->name);
    ep_finding_path(c->r, fs, used->path);
    ep_finding_path(c->r, fs, lib->path);
    ep_finding_fix(c->r, fs,
                   "Rename %s to a name that is not a module you import "
                   "(e.g. my_%s.py) and delete %s/__pycache__/%s.*.pyc, and "
                   "update your imports of it",
                   used->path, top->component,
                   ep_path_dirname(c->a, used->path), top->component);
    return EP_OK;
}

ep_status
ep_check_shadowed_by_source(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    bool local = false;
    ep_status st = local_shadows_library(c, an, &local);
    if (st != EP_OK || local) {
        return st;
    }
    if (f->not_a_package) {
        return module_shadows_package(c, an);
    }
    const ep_find_step *t = ep_analysis_target(an);
    if (t == NULL) {
        return EP_OK;
    }
    bool target_is_ext = f->found && t->kind == EP_SPEC_EXTENSION;
    if (target_is_ext) {
        return stale_in_place(c, an);
    }
    size_t alt = ep_analysis_cand(an, EP_CAND_EXTENSION, 1);
    if (!f->found && alt != SIZE_MAX && f->fail_step > 0) {
        return missing_in_copy(c, an, alt);
    }
    if (f->found) {
        size_t later = ep_analysis_cand(an, EP_CAND_EXTENSION, 0);
        if (later == SIZE_MAX) {
            later = alt;
        }
        if (later != SIZE_MAX && t->kind != EP_SPEC_NAMESPACE) {
            return source_beats_compiled(c, an, later);
        }
    }
    return EP_OK;
}
