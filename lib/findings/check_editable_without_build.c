/*
 * editable-without-build: an editable install (PEP 660; direct_url.json
 * with dir_info.editable, PEP 610) points into a source tree in which the
 * extension was never built, was built for another interpreter, or was
 * built before its sources last changed. An editable install copies no
 * compiled file: the tree must hold one, or the backend's finder must
 * rebuild it (meson-python, scikit-build-core with rebuild on).
 */
#include "findings/checks.h"

#include <string.h>

/* A legacy develop install (`setup.py develop`, or pip -e falling back to
 * it for a backend without PEP 660): NAME.egg-link in site-packages holds
 * the project directory on its first line, and easy-install.pth puts that
 * directory on sys.path. The project whose directory holds dir, or NULL;
 * *link is its .egg-link file. */
static const char *
legacy_project(ep_ctx *c, const char *dir, const char **link)
{
    for (size_t i = 0; dir != NULL && i < c->dists.egg_info.count; i++) {
        const char *p = c->dists.egg_info.items[i];
        size_t n = strlen(p);
        if (n <= 9 || strcmp(p + n - 9, ".egg-link") != 0) {
            continue;
        }
        /* ep_fs_read: a regular file only, so a FIFO named so never
         * blocks the probe. */
        char *line = NULL;
        size_t len;
        ep_error ignored;
        if (ep_fs_read(c->a, p, 4096, &line, &len, NULL, &ignored) != EP_OK) {
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '/' && ep_path_within(dir, line)) {
            *link = p;
            return line;
        }
    }
    return NULL;
}

/* The editable finder that serves the top-level name, if any. */
static const ep_editable *
serving_finder(const ep_ctx *c, const char *top)
{
    size_t n = strlen(top);
    for (size_t i = 0; i < c->ed.count; i++) {
        const ep_editable *e = &c->ed.items[i];
        for (size_t k = 0; k < e->nmap; k++) {
            const char *m = e->map[k].name;
            if (strncmp(m, top, n) == 0 &&
                (m[n] == '\0' || m[n] == '.' || m[n] == '/')) {
                return e;
            }
        }
        if (ep_strvec_contains(&e->top_names, top)) {
            return e;
        }
    }
    return NULL;
}

/* The directory the module should be in, and whether the walk got there
 * through the editable install. */
static const char *
expected_dir(const ep_analysis *an, bool *via_editable)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = ep_analysis_target(an);
    *via_editable = false;
    if (f->found && t != NULL) {
        *via_editable = t->found_in.via != NULL;
        return t->dir;
    }
    if (f->fail_step > 0 && f->fail_step < f->nsteps + 1) {
        const ep_find_step *p = &f->steps[f->fail_step - 1];
        *via_editable = p->found_in.via != NULL;
        return p->dir;
    }
    return NULL;
}

ep_status
ep_check_editable_without_build(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = ep_analysis_target(an);
    const ep_dist *d = an->dist;
    bool ext_ok = f->found && t != NULL && t->kind == EP_SPEC_EXTENSION;
    const ep_cand *used =
        ext_ok && t->used != SIZE_MAX ? &f->cands[t->used] : NULL;
    bool stale = used != NULL && used->newer_source != NULL;
    const char *stale_src = stale ? used->newer_source : NULL;
    size_t more = 0;
    const char *project = d != NULL && d->editable ? d->url_path : NULL;
    const ep_editable *e = serving_finder(c, f->steps[0].name);
    bool via = false;
    const char *dir = expected_dir(an, &via);
    const char *egg_link = NULL;
    if (project == NULL && e == NULL) {
        project = legacy_project(c, dir, &egg_link);
    }
    /* A package or source module that resolved is not what an editable
     * tree fails to build; a missing or namespace module (or a stale
     * build) is. */
    bool missing = !f->found || (t != NULL && t->kind == EP_SPEC_NAMESPACE);
    if (project == NULL && e == NULL) {
        return EP_OK;
    }
    bool inside =
        project != NULL && dir != NULL && ep_path_within(dir, project);
    bool broken_finder = e != NULL && e->problem != NULL;
    /* The module the editable tree serves, without a source beside it that
     * changed: its DWARF may name one elsewhere (src/core.c, src/lib.rs),
     * as for shadowed-by-source's checkouts built in place. Not for the
     * meson-python and scikit-build-core finders, which can rebuild on
     * import: the code that runs may be newer than the file here. */
    bool rebuilds = e != NULL && (e->kind == EP_EDITABLE_MESON_PYTHON ||
                                  e->kind == EP_EDITABLE_SCIKIT_BUILD);
    bool by_dwarf = false;
    if (!missing && !stale && !rebuilds && used != NULL && (inside || via)) {
        ep_status st = ep_stale_unit_source(c, an, used, &stale_src, &more);
        if (st != EP_OK) {
            return st;
        }
        stale = by_dwarf = stale_src != NULL;
    }
    if (!missing && !stale) {
        return EP_OK;
    }
    if (!inside && !via && !broken_finder) {
        return EP_OK; /* another copy answered: not the editable tree's fault */
    }
    const char *what = d ? d->name : f->steps[0].name;
    const char *tree = project ? project : dir ? dir : "(unknown)";
    size_t foreign = ep_analysis_cand(an, EP_CAND_FOREIGN, 0);
    ep_finding_slot *fs;
    if (broken_finder && !inside) {
        fs = ep_check_add(c, an, EP_FINDING_EDITABLE_WITHOUT_BUILD,
                          "the %s editable install of %s cannot serve %s: %s",
                          ep_editable_kind_str(e->kind), what, an->name,
                          e->problem);
    } else if (stale) {
        fs = ep_check_add(c, an, EP_FINDING_EDITABLE_WITHOUT_BUILD,
                          "%s is an editable install of %s whose build of %s "
                          "is older than its source %s",
                          f->steps[0].name, tree, an->name, stale_src);
    } else if (foreign != SIZE_MAX) {
        fs = ep_check_add(c, an, EP_FINDING_EDITABLE_WITHOUT_BUILD,
                          "%s is an editable install of %s, where %s is built "
                          "only for another interpreter",
                          f->steps[0].name, tree, an->name);
    } else {
        fs = ep_check_add(c, an, EP_FINDING_EDITABLE_WITHOUT_BUILD,
                          "%s is an editable install of %s, where %s was never "
                          "built",
                          f->steps[0].name, tree, an->name);
    }
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    if (stale) {
        ep_finding_severity(fs, EP_SEVERITY_WARNING);
    }
    if (d != NULL && d->editable) {
        ep_finding_detail(c->r, fs,
                          "%s/direct_url.json: url %s, dir_info."
                          "editable true (PEP 610)",
                          d->dir, d->url ? d->url : "?");
    }
    if (egg_link != NULL) {
        ep_finding_detail(c->r, fs,
                          "%s: a legacy develop install (setup.py develop, "
                          "or pip -e falling back to it because the build "
                          "backend has no PEP 660 editable support) of %s",
                          egg_link, project);
        ep_finding_path(c->r, fs, egg_link);
    }
    if (e != NULL) {
        ep_finding_detail(c->r, fs,
                          "%s editable finder %s, installed by %s, "
                          "%s PathFinder on sys.meta_path",
                          ep_editable_kind_str(e->kind), e->file, e->pth,
                          e->before_pathfinder ? "before" : "after");
        if (e->build_dir != NULL) {
            ep_finding_detail(c->r, fs, "build directory: %s%s", e->build_dir,
                              ep_fs_isdir(e->build_dir) ? "" : " (missing)");
        }
    }
    if (dir != NULL && !stale) {
        ep_finding_detail(
            c->r, fs,
            "%s has no %s with a suffix this "
            "interpreter loads (%s first)",
            dir, f->steps[f->ncomp - 1].component,
            c->in->ext_suffixes.count ? c->in->ext_suffixes.items[0] : "?");
        ep_finding_path(c->r, fs, dir);
    }
    if (foreign != SIZE_MAX) {
        ep_finding_detail(c->r, fs, "It has %s: %s", f->cands[foreign].path,
                          f->cands[foreign].tag_why ? f->cands[foreign].tag_why
                                                    : "");
        ep_finding_path(c->r, fs, f->cands[foreign].path);
    }
    if (stale && by_dwarf) {
        ep_stale_unit_detail(c, fs, used, stale_src, more);
        ep_finding_path(c->r, fs, used->path);
    } else if (stale) {
        ep_finding_detail(c->r, fs,
                          "%s was modified after %s was built; the "
                          "import runs the old code",
                          used->newer_source, used->path);
        ep_finding_path(c->r, fs, used->path);
    }
    if (an->build.evidence != NULL) {
        ep_finding_detail(c->r, fs, "Build system: %s (%s)", an->build.name,
                          an->build.evidence);
    }
    ep_finding_detail(c->r, fs,
                      "An editable install links the source tree "
                      "into the environment; it does not copy or build the "
                      "compiled module there unless the backend does");
    if (egg_link != NULL && an->build.kind == EP_BUILD_MESON_PYTHON) {
        /* meson-python's editable installs (PEP 660) came in 0.13; with an
         * older one pip falls back to a develop install that builds
         * nothing, so repeating `pip install -e .` changes nothing. */
        ep_finding_fix(c->r, fs,
                       "Upgrade meson-python to 0.13 or later (its first "
                       "release with editable installs), uninstall %s and "
                       "reinstall it: cd %s && %s -m pip install "
                       "--no-build-isolation -e . ; or install it "
                       "non-editable (pip install .)",
                       what, project,
                       c->in->executable ? c->in->executable : "python");
        return EP_OK;
    }
    ep_finding_fix(c->r, fs,
                   "Build the extension into the tree for this "
                   "interpreter: %s",
                   ep_fix_rebuild(c, an));
    return EP_OK;
}
