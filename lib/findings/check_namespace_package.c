/*
 * namespace-package: a directory without __init__.py became a namespace
 * package (PEP 420) and hid or split the package that holds the extension.
 * PathFinder returns a namespace spec when no entry has a regular match,
 * and a meta path finder placed after it -- setuptools' editable finder --
 * is then never asked. A namespace package has no code and __file__ None,
 * so `import x` "works" and the failure surfaces later as an
 * AttributeError.
 */
#include "findings/checks.h"

#include <string.h>

/* Files that say a directory is not Python source: a crate, a build tree. */
static const char *const build_markers[] = {"Cargo.toml",     "CMakeLists.txt",
                                            "meson.build",    "setup.py",
                                            "pyproject.toml", "src"};

static const char *
what_dir_holds(ep_ctx *c, const char *dir)
{
    for (size_t i = 0; i < sizeof(build_markers) / sizeof(*build_markers);
         i++) {
        const char *p = ep_path_join(c->a, dir, build_markers[i]);
        if (p != NULL && (ep_fs_isfile(p) || ep_fs_isdir(p))) {
            return ep_arena_printf(c->a,
                                   "%s holds %s: it looks like a source "
                                   "or build directory, not a Python package",
                                   dir, build_markers[i]);
        }
    }
    return NULL;
}

/* An editable finder after PathFinder that maps this exact name. */
static const ep_editable *
editable_hidden(const ep_ctx *c, const char *name, const char **target)
{
    for (size_t i = 0; i < c->ed.count; i++) {
        const ep_editable *e = &c->ed.items[i];
        if (e->before_pathfinder) {
            continue;
        }
        for (size_t k = 0; k < e->nmap; k++) {
            if (strcmp(e->map[k].name, name) == 0) {
                *target = e->map[k].path;
                return e;
            }
        }
    }
    return NULL;
}

static void
list_portions(ep_ctx *c, ep_finding_slot *fs, const ep_find *f, size_t step)
{
    const ep_find_step *s = &f->steps[step];
    for (size_t i = 0; i < s->path.count; i++) {
        const char *portion = s->path.items[i];
        const char *where = "";
        for (size_t k = s->cand_first; k < s->cand_end; k++) {
            if (strcmp(f->cands[k].path, portion) == 0) {
                where = ep_where(c, &f->cands[k].where);
            }
        }
        ep_finding_detail(c->r, fs, "portion: %s (%s), no __init__.py", portion,
                          where);
        ep_finding_path(c->r, fs, portion);
        const char *holds = what_dir_holds(c, portion);
        if (holds != NULL) {
            ep_finding_detail(c->r, fs, "%s", holds);
        }
    }
}

ep_status
ep_check_namespace_package(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    for (size_t k = 0; k < f->nsteps && k < f->fail_step; k++) {
        const ep_find_step *s = &f->steps[k];
        if (s->kind != EP_SPEC_NAMESPACE) {
            continue;
        }
        bool is_target = k + 1 == f->ncomp;
        const char *mapped = NULL;
        const ep_editable *e = editable_hidden(c, s->name, &mapped);
        size_t compiled =
            is_target ? ep_analysis_cand(an, EP_CAND_EXTENSION, -1) : SIZE_MAX;
        size_t foreign =
            is_target ? ep_analysis_cand(an, EP_CAND_FOREIGN, -1) : SIZE_MAX;
        const char *rec =
            an->dist ? ep_dist_compiled_for(an->dist, c->in, s->name, true)
                     : NULL;
        /* A namespace parent whose portions all lack the submodule hides
         * nothing: every portion on sys.path is part of it, so nothing
         * provides the submodule, and `import pkg.sub` raises
         * ModuleNotFoundError. That is module-not-found's to say (an
         * error), with the portions in its evidence. */
        if (e == NULL && !is_target) {
            continue;
        }
        ep_finding_slot *fs;
        if (e != NULL) {
            fs = ep_check_add(c, an, EP_FINDING_NAMESPACE_PACKAGE,
                              "%s became a namespace package, so the %s "
                              "editable finder never maps it to %s",
                              s->name, ep_editable_kind_str(e->kind), mapped);
        } else {
            fs = ep_check_add(c, an, EP_FINDING_NAMESPACE_PACKAGE,
                              "%s is a namespace package (a directory without "
                              "__init__.py), not %s",
                              s->name,
                              compiled != SIZE_MAX || foreign != SIZE_MAX || rec
                                  ? "the compiled module"
                                  : "a module with code");
        }
        if (fs == NULL) {
            return ep_fail_nomem(c->err);
        }
        list_portions(c, fs, f, k);
        ep_finding_detail(c->r, fs,
                          "PEP 420: with no __init__.py in any "
                          "entry, PathFinder returns a namespace spec (origin "
                          "None, __file__ None) instead of failing");
        if (e != NULL) {
            ep_finding_severity(fs, EP_SEVERITY_ERROR);
            ep_finding_detail(c->r, fs,
                              "%s (from %s) is appended to "
                              "sys.meta_path after PathFinder; PathFinder's "
                              "namespace spec wins, so %s is never used",
                              e->file, e->pth, mapped);
            ep_finding_path(c->r, fs, mapped);
            ep_finding_fix(c->r, fs,
                           "Rename or remove the directory that "
                           "shadows %s (or add it an __init__.py only if it is "
                           "meant to be the package), or run from another "
                           "directory; the editable install maps %s to %s",
                           s->name, s->name, mapped);
            continue;
        }
        {
            bool real =
                compiled != SIZE_MAX || foreign != SIZE_MAX || rec != NULL;
            for (size_t i = 0; s->path.count > 0 && i < s->path.count; i++) {
                real = real || what_dir_holds(c, s->path.items[i]) != NULL;
            }
            /* findings.def makes this a warning by default: a namespace
             * package is legal. It is an error when it stands in for a
             * compiled module or hides a non-Python directory. */
            ep_finding_severity(fs,
                                real ? EP_SEVERITY_ERROR : EP_SEVERITY_WARNING);
            if (compiled != SIZE_MAX) {
                ep_finding_detail(c->r, fs,
                                  "A compiled %s exists at %s but "
                                  "is never reached",
                                  s->name, f->cands[compiled].path);
            } else if (foreign != SIZE_MAX) {
                ep_finding_detail(
                    c->r, fs, "%s exists but %s", f->cands[foreign].path,
                    f->cands[foreign].tag_why ? f->cands[foreign].tag_why
                                              : "has another tag");
            } else if (rec != NULL) {
                ep_finding_detail(c->r, fs,
                                  "%s's RECORD lists %s, which is "
                                  "not on disk",
                                  an->dist->name, rec);
            }
            ep_finding_detail(
                c->r, fs,
                "`import %s` succeeds with an empty "
                "module; the failure shows later as "
                "AttributeError: module '%s' has no attribute ...",
                s->name, s->name);
            ep_finding_fix(c->r, fs,
                           "Build or install the compiled %s (%s), and "
                           "rename the directory %s that shadows it as a "
                           "namespace package",
                           s->name, ep_fix_rebuild(c, an),
                           s->path.count ? s->path.items[0] : "");
            continue;
        }
    }
    return EP_OK;
}
