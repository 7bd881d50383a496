/*
 * extension-not-installed: the distribution that installs the package has
 * no compiled module for the name: its RECORD (PEP 376, every file the
 * installer wrote) lists none, typically because a pure-Python wheel
 * (Root-Is-Purelib, py3-none-any) was chosen where no platform wheel
 * existed, or a setup.py swallowed a failed optional extension build.
 */
#include "findings/checks.h"

#include <stdlib.h>
#include <string.h>

/* Up to four compiled files of the RECORD, for the detail. */
static const char *
compiled_sample(ep_ctx *c, const ep_dist *d)
{
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    size_t shown = 0;
    for (size_t i = 0; i < d->record.count && shown < 4; i++) {
        const char *p = d->record.items[i];
        size_t n = strlen(p);
        if (n > 3 && strcmp(p + n - 3, ".so") == 0) {
            ep_strbuf_printf(&sb, "%s%s", shown ? ", " : "", p);
            shown++;
        }
    }
    char *s = ep_strbuf_take(&sb);
    const char *out = s ? ep_arena_strdup(c->a, s) : NULL;
    free(s);
    return out;
}

/* Where the build configuration names the module, per build system. */
static const char *
build_advice(ep_ctx *c, const ep_analysis *an)
{
    const char *parent = ep_arena_strndup(
        c->a, an->name, (size_t)(strrchr(an->name, '.') - an->name));
    switch (an->build.kind) {
    case EP_BUILD_MATURIN:
        return ep_arena_printf(c->a,
                               "maturin builds one module, named by "
                               "[tool.maturin] module-name (\"%s\" here?) "
                               "and #[pymodule]",
                               an->name);
    case EP_BUILD_MESON_PYTHON:
        return ep_arena_printf(c->a,
                               "meson installs only what "
                               "py.extension_module(..., install: true, "
                               "subdir: '%s') declares",
                               parent ? parent : "");
    case EP_BUILD_SETUPTOOLS:
    case EP_BUILD_UNKNOWN:
    case EP_BUILD_OTHER:
    case EP_BUILD_SCIKIT_BUILD:
        break;
    }
    return ep_arena_printf(
        c->a,
        "with setuptools, Extension(\"%s\", [...]) must be in "
        "ext_modules and its package %s must be found by package discovery "
        "([tool.setuptools.packages.find]: an excluded or missing package "
        "ships neither its .py files nor its extensions); scikit-build-core "
        "installs what install(TARGETS ... DESTINATION %s) says",
        an->name, parent ? parent : "", parent ? parent : "");
}

ep_status
ep_check_extension_not_installed(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = ep_analysis_target(an);
    const ep_dist *d = an->dist;
    if (d == NULL || d->editable || !d->has_record) {
        return EP_OK;
    }
    bool missing = !f->found || (t != NULL && t->kind == EP_SPEC_NAMESPACE);
    if (!missing || f->not_a_package || f->ncomp < 2) {
        return EP_OK;
    }
    /* A compiled file in RECORD under another tag is abi-tag-mismatch. */
    if (ep_dist_compiled_for(d, c->in, an->name, true) != NULL) {
        return EP_OK;
    }
    /* The installed copy must be the package the module belongs to: its
     * parent package directory lies in the dist's site directory. */
    size_t parent = f->fail_step > 0 ? f->fail_step - 1 : 0;
    if (f->found) {
        parent = f->ncomp - 2;
    }
    /* No distribution owns a PEP 420 namespace: the portion found may be
     * another distribution's, and the one that would provide the module
     * is simply not installed (module-not-found says so). */
    if (parent < f->nsteps && f->steps[parent].kind == EP_SPEC_NAMESPACE) {
        return EP_OK;
    }
    bool installed_copy = false;
    for (size_t s = parent; s < f->nsteps && s <= parent; s++) {
        for (size_t i = f->steps[s].cand_first; i < f->steps[s].cand_end; i++) {
            installed_copy =
                installed_copy || ep_path_within(f->cands[i].path, d->site);
        }
    }
    if (!installed_copy) {
        return EP_OK;
    }
    size_t ncompiled = ep_dist_compiled_count(d);
    bool pure = d->root_is_purelib || ncompiled == 0;
    ep_finding_slot *fs =
        ep_check_add(c, an, EP_FINDING_EXTENSION_NOT_INSTALLED,
                     "the installed %s %s has no compiled %s%s", d->name,
                     d->version ? d->version : "", an->name,
                     pure ? ": a pure-Python build was installed" : "");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs,
                      "%s/RECORD lists %zu files, %zu of them "
                      "compiled%s%s",
                      d->dir, d->record.count, ncompiled, ncompiled ? ": " : "",
                      ncompiled ? compiled_sample(c, d) : "");
    if (d->has_wheel) {
        ep_finding_detail(
            c->r, fs, "%s/WHEEL: Root-Is-Purelib: %s, Tag: %s%s%s", d->dir,
            d->root_is_purelib ? "true" : "false",
            d->wheel_tags.count ? d->wheel_tags.items[0] : "(none)",
            d->wheel_generator ? ", Generator: " : "",
            d->wheel_generator ? d->wheel_generator : "");
    }
    if (d->installer != NULL) {
        ep_finding_detail(c->r, fs, "installed by %s", d->installer);
    }
    if (d->record_truncated) {
        ep_finding_detail(c->r, fs,
                          "RECORD was larger than %zu bytes and was "
                          "read only in part",
                          (size_t)EP_READ_CAP);
    }
    ep_finding_path(c->r, fs, d->dir);
    if (pure) {
        ep_finding_detail(
            c->r, fs,
            "A pure-Python wheel is what pip picks when "
            "no wheel for this interpreter's tags exists and the "
            "project publishes a py3-none-any fallback, or when a "
            "source build skips an optional extension");
        ep_finding_fix(
            c->r, fs,
            "Install a build with the extension: %s "
            "--only-binary=:all: (fails loudly if no binary wheel "
            "exists for this interpreter), or build from source with "
            "a compiler and read the build log for the skipped "
            "extension (setuptools: Extension(..., optional=False))",
            ep_fix_reinstall(c, an));
    } else {
        ep_finding_fix(c->r, fs,
                       "The package's build did not produce %s: %s; "
                       "then reinstall: %s",
                       an->name, build_advice(c, an), ep_fix_reinstall(c, an));
    }
    return EP_OK;
}
