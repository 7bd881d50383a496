/*
 * module-not-found: nothing on the search path provides the module, and no
 * more specific finding (a shadowing copy, a wrong tag, an editable tree
 * without a build, a pure wheel) explains why. The detail lists where the
 * walk looked, and whether the compiled file is installed under another
 * import name or in another environment.
 */
#include "findings/checks.h"

#include <string.h>

#define SHOW_DIRS 12

/* A top-level name in the base interpreter's site-packages (C4: installed
 * into another environment than the one importing). */
static const char *
in_base_env(ep_ctx *c, const char *top)
{
    const ep_interp *in = c->in;
    if (!in->in_venv || in->base_prefix == NULL) {
        return NULL;
    }
    const char *dirs[] = {
        ep_arena_printf(c->a, "%s/lib/python%d.%d/site-packages",
                        in->base_prefix, in->major, in->minor),
        ep_arena_printf(c->a, "%s/local/lib/python%d.%d/dist-packages",
                        in->base_prefix, in->major, in->minor),
    };
    for (size_t i = 0; i < 2; i++) {
        if (dirs[i] == NULL || ep_strvec_contains(&in->site_dirs, dirs[i])) {
            continue;
        }
        const char *p = ep_path_join(c->a, dirs[i], top);
        if (p != NULL && ep_fs_isdir(p)) {
            return p;
        }
    }
    return NULL;
}

/* A compiled file for the module in the project's setuptools build tree
 * (build/lib.<platform>-<version>/pkg/_ext.<tag>.so): built, but never in
 * place, and the import never looks there. Any tag counts; the first one
 * this interpreter accepts is preferred. */
static const char *
built_only_in_build_tree(ep_ctx *c, const ep_analysis *an)
{
    const ep_find *f = &an->find;
    const char *root = an->build.project_dir;
    size_t k = f->fail_step;
    if (root == NULL || k == 0 || k >= f->nsteps || f->not_a_package) {
        return NULL;
    }
    /* pkg.sub._ext -> pkg/sub/_ext */
    char *rel = ep_arena_strdup(c->a, f->steps[k].name);
    for (char *p = rel; p != NULL && *p != '\0'; p++) {
        *p = *p == '.' ? '/' : *p;
    }
    const char *build = ep_path_join(c->a, root, "build");
    ep_dirlist dl;
    if (rel == NULL || build == NULL ||
        ep_fs_list(c->a, build, &dl, NULL) != EP_OK || dl.sys_errno != 0) {
        return NULL;
    }
    const char *any = NULL;
    for (size_t i = 0; i < dl.count; i++) {
        const char *d = dl.names[i];
        if (strncmp(d, "lib.", 4) != 0 && strcmp(d, "lib") != 0) {
            continue;
        }
        for (size_t s = 0; s < c->in->ext_suffixes.count; s++) {
            const char *p = ep_arena_printf(c->a, "%s/%s/%s%s", build, d, rel,
                                            c->in->ext_suffixes.items[s]);
            if (p != NULL && ep_fs_isfile(p)) {
                return p;
            }
        }
        const char *dir = ep_path_dirname(
            c->a, ep_arena_printf(c->a, "%s/%s/%s", build, d, rel));
        ep_dirlist files;
        if (any != NULL || dir == NULL ||
            ep_fs_list(c->a, dir, &files, NULL) != EP_OK) {
            continue;
        }
        const char *comp = f->steps[k].component;
        size_t n = strlen(comp);
        for (size_t j = 0; j < files.count && any == NULL; j++) {
            const char *b = files.names[j];
            size_t bl = strlen(b);
            if (strncmp(b, comp, n) == 0 && b[n] == '.' && bl > 3 &&
                strcmp(b + bl - 3, ".so") == 0) {
                any = ep_path_join(c->a, dir, b);
            }
        }
    }
    return any;
}

ep_status
ep_check_module_not_found(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    if (f->found) {
        return EP_OK;
    }
    /* A more specific finding about where the import goes explains it. */
    if (ep_check_find_about(c, an, EP_ABOUT_LOCATION,
                            EP_FINDING_MODULE_NOT_FOUND) != NULL) {
        return EP_OK;
    }
    size_t k = f->fail_step < f->nsteps ? f->fail_step : f->nsteps - 1;
    const ep_find_step *s = &f->steps[k];
    ep_finding_slot *fs;
    if (f->not_a_package) {
        const ep_find_step *p = &f->steps[k - 1];
        fs = ep_check_add(c, an, EP_FINDING_MODULE_NOT_FOUND,
                          "%s is the module %s, not a package, so it has no %s",
                          p->name, p->origin ? p->origin : "?", s->component);
    } else if (k > 0 && f->steps[k - 1].kind == EP_SPEC_NAMESPACE) {
        /* PEP 420 merged every portion on sys.path into the parent, so no
         * portion having the submodule means nothing provides it. */
        const ep_find_step *p = &f->steps[k - 1];
        fs = ep_check_add(c, an, EP_FINDING_MODULE_NOT_FOUND,
                          "%s is a namespace package (no __init__.py) and "
                          "none of its %zu portion%s has %s",
                          p->name, p->path.count, p->path.count == 1 ? "" : "s",
                          s->component);
        for (size_t i = 0; fs != NULL && i < p->path.count; i++) {
            ep_finding_detail(c->r, fs,
                              "portion of %s: %s (no __init__.py, no %s)",
                              p->name, p->path.items[i], s->component);
            ep_finding_path(c->r, fs, p->path.items[i]);
        }
    } else if (k > 0) {
        const ep_find_step *p = &f->steps[k - 1];
        fs = ep_check_add(c, an, EP_FINDING_MODULE_NOT_FOUND,
                          "%s (%s) has no module %s", p->name,
                          p->dir ? p->dir : "namespace", s->component);
    } else {
        fs = ep_check_add(c, an, EP_FINDING_MODULE_NOT_FOUND,
                          "no sys.path entry provides %s", s->name);
    }
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs,
                      "Python reports: ModuleNotFoundError: No module "
                      "named '%s'",
                      s->name);
    size_t shown = 0;
    for (size_t i = 0; i < s->nsearch && shown < SHOW_DIRS; i++, shown++) {
        ep_finding_detail(c->r, fs, "searched %s (%s)", s->search[i].dir,
                          ep_where(c, &s->search[i]));
    }
    if (s->nsearch > SHOW_DIRS) {
        ep_finding_detail(c->r, fs, "... and %zu more directories",
                          s->nsearch - SHOW_DIRS);
    }
    const char *built = built_only_in_build_tree(c, an);
    if (built != NULL) {
        const char *why = ep_tag_mismatch_reason(c->a, c->in, built);
        ep_finding_detail(c->r, fs,
                          "It was built, but only into the build tree: %s "
                          "(`setup.py build` / `build_ext` without --inplace), "
                          "which is not on sys.path%s%s",
                          built, why ? "; and " : "", why ? why : "");
        ep_finding_path(c->r, fs, built);
        ep_finding_fix(c->r, fs,
                       "Build it in place, next to the package's sources "
                       "(%s), or install the project into this interpreter",
                       ep_fix_rebuild(c, an));
        return EP_OK;
    }
    const ep_dist *owner = NULL;
    const char *elsewhere =
        ep_dists_compiled_named(&c->dists, s->component, &owner);
    if (elsewhere != NULL) {
        char *dotted = ep_arena_strdup(c->a, elsewhere);
        for (char *p = dotted; p != NULL && *p != '\0'; p++) {
            if (*p == '/') {
                *p = '.';
            }
        }
        char *cut = dotted ? strchr(dotted + strlen(dotted) -
                                        strlen(ep_basename(elsewhere)) +
                                        strlen(s->component),
                                    '.')
                           : NULL;
        if (cut != NULL) {
            *cut = '\0';
        }
        ep_finding_detail(c->r, fs,
                          "%s installs %s: that module is importable "
                          "as %s, not %s",
                          owner->name, elsewhere, dotted ? dotted : elsewhere,
                          an->name);
        ep_finding_path(c->r, fs, ep_path_join(c->a, owner->site, elsewhere));
        ep_finding_fix(c->r, fs,
                       "Import it under its installed name (%s), or "
                       "change where the build puts it (maturin: module-name "
                       "in [tool.maturin]; setuptools: Extension name)",
                       dotted ? dotted : elsewhere);
        return EP_OK;
    }
    const char *base = in_base_env(c, f->steps[0].name);
    const char *venv = ep_interp_env(c->in, "VIRTUAL_ENV");
    const char *conda = ep_interp_env(c->in, "CONDA_PREFIX");
    if (base != NULL) {
        ep_finding_detail(c->r, fs,
                          "%s exists in the base interpreter's "
                          "site-packages, which this virtual environment does "
                          "not see",
                          base);
        ep_finding_path(c->r, fs, base);
    }
    if (venv != NULL && c->in->prefix != NULL &&
        strcmp(venv, c->in->prefix) != 0) {
        ep_finding_detail(c->r, fs,
                          "VIRTUAL_ENV is %s but this interpreter's "
                          "prefix is %s: an installer run from the activated "
                          "environment targets another interpreter",
                          venv, c->in->prefix);
    }
    if (venv != NULL && conda != NULL) {
        ep_finding_detail(c->r, fs,
                          "Both VIRTUAL_ENV and CONDA_PREFIX are set; "
                          "build tools (maturin) may pick either environment");
    }
    if (k == 0 && ep_stdlib_missing(c, fs, f->steps[0].name)) {
        return EP_OK;
    }
    /* pip takes the distribution's name, which is often the top-level
     * import name but not always (PyYAML provides yaml). */
    ep_finding_fix(c->r, fs,
                   "Install the distribution that provides %s into this "
                   "interpreter: %s -m pip install %s (if the distribution "
                   "is named otherwise than the import, e.g. PyYAML for yaml, "
                   "use its name), or add the directory that holds %s to its "
                   "sys.path",
                   f->steps[0].name,
                   c->in->executable ? c->in->executable : c->in->python,
                   f->steps[0].name, s->name);
    return EP_OK;
}

/* The static walk found the module, the real import did not: an import
 * system the walk does not model (trial_rules.c). */
ep_status
ep_check_module_not_found_from_trial(ep_ctx *c, ep_analysis *an,
                                     const ep_trial_error *e)
{
    ep_finding_slot *fs = ep_check_add(c, an, EP_FINDING_MODULE_NOT_FOUND,
                                       "the real import does not find %s, "
                                       "although the static walk did",
                                       e->subject ? e->subject : an->name);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_trial_details(c, fs, e, true);
    ep_finding_detail(c->r, fs,
                      "A sys.meta_path finder or path hook "
                      "the static walk does not model may be involved");
    ep_finding_fix(c->r, fs,
                   "Check how %s is installed for this "
                   "interpreter (%s -m pip show, sys.path)",
                   an->name,
                   c->in->executable ? c->in->executable : c->in->python);
    if (e->file != NULL) {
        ep_finding_path(c->r, fs, e->file);
    }
    return EP_OK;
}

void
ep_module_not_found_is_builtin(ep_ctx *c, ep_analysis *an, ep_finding_slot *fs)
{
    ep_finding_severity(fs, EP_SEVERITY_INFO);
    fs->pub.summary = ep_arena_printf(c->a,
                                      "%s is built into the "
                                      "interpreter or frozen: it has no "
                                      "file on sys.path",
                                      an->name);
    fs->pub.detail = "The real import succeeded without a __file__; "
                     "BuiltinImporter and FrozenImporter come before "
                     "PathFinder on sys.meta_path";
    fs->pub.fix = "";
}
