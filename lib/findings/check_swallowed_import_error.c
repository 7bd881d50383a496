/*
 * swallowed-import-error: the package imported, but importing a compiled
 * module inside it failed and the package caught the error -- `try: from .
 * import _ext` / `except ImportError: _ext = None` -- so the symptom shows
 * later and elsewhere ("'NoneType' object has no attribute ..."). The trial
 * records the original exception at the import that raised it; the cause
 * of that failure is a separate analysis, ranked right after this one.
 */
#include "findings/checks.h"

#include <string.h>

/* The attributes the package set to None that name the failed module. */
static void
none_attrs(ep_ctx *c, ep_finding_slot *fs, const char *failed)
{
    const ep_trial *t = c->r->trial;
    if (t == NULL) {
        return;
    }
    const char *last = strrchr(failed, '.');
    last = last ? last + 1 : failed;
    for (size_t i = 0; i < t->none_attrs.count; i++) {
        const char *a = t->none_attrs.items[i];
        const char *attr = strrchr(a, '.');
        attr = attr ? attr + 1 : a;
        /* `_ext = None`, or `ext = None` for `import _ext as ext`. */
        const char *bare = last[0] == '_' ? last + 1 : last;
        if (strcmp(attr, last) == 0 || strcmp(attr, bare) == 0) {
            ep_finding_detail(c->r, fs,
                              "After the import, %s is None: the "
                              "package's fallback for the failed import",
                              a);
        }
    }
}

ep_status
ep_check_swallowed_import_error(ep_ctx *c, ep_analysis *outer,
                                const ep_trial_failure *f, ep_analysis *inner,
                                bool optional)
{
    const char *failed = inner         ? inner->name
                         : f->exc_name ? f->exc_name
                                       : f->name;
    ep_finding_slot *fs = ep_check_add(
        c, outer, EP_FINDING_SWALLOWED_IMPORT_ERROR,
        "%s imports, but importing %s inside it failed and was caught: %s: %s",
        outer->name, failed, f->exc_type ? f->exc_type : "ImportError",
        f->message ? f->message : "");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(
        c->r, fs, "The original exception, raised %s%s%s: %s: %s",
        f->importer ? "while " : "",
        f->importer
            ? (strcmp(f->importer, "create_module") == 0 ||
                       strcmp(f->importer, "exec_module") == 0
                   ? "loading the extension"
                   : ep_arena_printf(c->a, "%s imported it", f->importer))
            : "",
        f->importer ? "" : "during the import",
        f->exc_type ? f->exc_type : "ImportError",
        f->message ? f->message : "");
    ep_finding_detail(c->r, fs,
                      "%s catches the ImportError, so `import %s` "
                      "succeeds and the failure shows up later, where the "
                      "compiled module is used",
                      outer->name, outer->name);
    none_attrs(c, fs, failed);
    if (optional) {
        /* A compiled module nothing in the environment says should exist
         * (trial_rules.c weighs it): said, as a warning, without a cause
         * analysis. */
        ep_finding_severity(fs, EP_SEVERITY_WARNING);
        ep_finding_detail(c->r, fs,
                          "Nothing here says the module should exist: no "
                          "compiled file anywhere on the path, no RECORD "
                          "entry, no source beside it -- an optional "
                          "component that is not installed?");
    }
    if (f->path != NULL) {
        ep_finding_path(c->r, fs, f->path);
    }
    if (inner != NULL && inner->ext_path != NULL) {
        ep_finding_path(c->r, fs, inner->ext_path);
    }
    const char *py = c->in->executable ? c->in->executable : "python";
    if (optional) {
        /* No cause finding follows: nothing says what should provide it. */
        ep_finding_fix(c->r, fs,
                       "Nothing to fix if %s is meant to work without %s; "
                       "if you need it, install what provides it (`%s -c "
                       "'import %s'` shows the error directly)",
                       outer->name, failed, py, failed);
        return EP_OK;
    }
    ep_finding_fix(c->r, fs,
                   "Fix the cause (the next finding); `%s -c "
                   "'import %s'` shows the error directly. A package that "
                   "falls back silently should at least warn when its compiled "
                   "module fails to import",
                   py, failed);
    return EP_OK;
}
