/*
 * Wheel families: the wheels of one project and version given together --
 * typically one pure py3-none-any wheel and native wheels per interpreter
 * and platform. Their METADATA must agree, every native wheel must hold
 * the extension modules the others hold and the pure package imports
 * optionally, and the report says which tags get the native module and
 * which fall back to pure Python (the is_available() story).
 */
#include "wheel/wheel.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The dotted package of a member ("pkg/sub/x.py" -> "pkg.sub"). */
static char *
package_of(ep_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *pkg = ep_arena_strndup(a, path, slash ? (size_t)(slash - path) : 0);
    for (char *c = pkg; c && *c; c++) {
        if (*c == '/') {
            *c = '.';
        }
    }
    return pkg;
}

/* "from .x import", "from ..x import", "from pkg.x import", "import pkg.x"
 * -> the absolute module name, or NULL. */
static const char *
imported_module(ep_arena *a, const char *pkg, const char *s, bool from)
{
    size_t dots = 0;
    while (from && s[dots] == '.') {
        dots++;
    }
    size_t n = 0;
    while (isalnum((unsigned char)s[dots + n]) || s[dots + n] == '_' ||
           s[dots + n] == '.') {
        n++;
    }
    if (n == 0) {
        return NULL;
    }
    const char *name = ep_arena_strndup(a, s + dots, n);
    if (dots == 0) {
        return name;
    }
    /* relative: one dot is the package itself, each further dot its parent */
    char *base = ep_arena_strdup(a, pkg);
    for (size_t d = 1; base != NULL && d < dots; d++) {
        char *last = strrchr(base, '.');
        if (last == NULL) {
            base[0] = '\0';
        } else {
            *last = '\0';
        }
    }
    if (base == NULL || base[0] == '\0') {
        return name;
    }
    return ep_arena_printf(a, "%s.%s", base, name);
}

void
ep_wheel_scan_imports(ep_wheels *ws, ep_wheel *w, const ep_wmember *m,
                      const char *text)
{
    ep_arena *a = &ws->arena;
    char *pkg = package_of(a, m->path);
    if (pkg == NULL) {
        return;
    }
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        const char *p = line;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        /* an indented import runs under a try:/if: -- the guarded import of
         * an optional accelerator (a top-level one is mandatory) */
        if (p > line) {
            const char *mod = NULL;
            if (strncmp(p, "from ", 5) == 0) {
                mod = imported_module(a, pkg, p + 5, true);
            } else if (strncmp(p, "import ", 7) == 0) {
                mod = imported_module(a, pkg, p + 7, false);
            }
            if (mod != NULL && !ep_strvec_contains(&w->optional_imports, mod)) {
                ep_strvec_push(a, &w->optional_imports, mod);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
}

static bool
is_pure(const ep_wheel *w)
{
    for (size_t i = 0; i < w->fname.ntags; i++) {
        if (strcmp(w->fname.tags[i].plat, "any") != 0) {
            return false;
        }
    }
    return true;
}

static bool
has_module(const ep_wheel *w, const char *module)
{
    for (size_t i = 0; i < w->nmembers; i++) {
        if (w->members[i].module != NULL &&
            strcmp(w->members[i].module, module) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether a module is a Python source of the wheel (then not optional). */
static bool
has_source(ep_arena *a, const ep_wheel *w, const char *module)
{
    char *path = ep_arena_strdup(a, module);
    for (char *c = path; c && *c; c++) {
        if (*c == '.') {
            *c = '/';
        }
    }
    const char *py = ep_arena_printf(a, "%s.py", path);
    const char *init = ep_arena_printf(a, "%s/__init__.py", path);
    for (size_t i = 0; i < w->nmembers; i++) {
        if (strcmp(w->members[i].path, py) == 0 ||
            strcmp(w->members[i].path, init) == 0) {
            return true;
        }
    }
    return false;
}

static const char *
key_of(ep_arena *a, const ep_wheel *w)
{
    const char *name = w->meta_name ? w->meta_name : w->fname.dist;
    const char *ver = w->meta_version ? w->meta_version : w->fname.version;
    if (name == NULL || ver == NULL) {
        return NULL;
    }
    char *k = ep_arena_printf(a, "%s %s", name, ver);
    for (char *c = k; c && *c && *c != ' '; c++) {
        *c = (*c == '_' || *c == '.') ? '-' : (char)tolower((unsigned char)*c);
    }
    return k;
}

static bool
same_list(const ep_strvec *x, const ep_strvec *y)
{
    if (x->count != y->count) {
        return false;
    }
    for (size_t i = 0; i < x->count; i++) {
        if (strcmp(x->items[i], y->items[i]) != 0) {
            return false;
        }
    }
    return true;
}

static void
check_metadata(ep_wheels *ws, ep_wfamily *fam)
{
    const ep_wheel *ref = &ws->wheels[fam->wheels[0]];
    for (size_t i = 1; i < fam->nwheels; i++) {
        ep_wheel *w = &ws->wheels[fam->wheels[i]];
        bool name_ok = ref->meta_name && w->meta_name &&
                       strcmp(ref->meta_name, w->meta_name) == 0;
        bool ver_ok = ref->meta_version && w->meta_version &&
                      strcmp(ref->meta_version, w->meta_version) == 0;
        bool req_ok = same_list(&ref->requires, &w->requires);
        if (name_ok && ver_ok && req_ok) {
            continue;
        }
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_WHEEL_FAMILY_MISMATCH,
            "the METADATA of %s differs from %s of the same release", w->file,
            ref->file);
        if (!name_ok || !ver_ok) {
            ep_finding_detail(
                w->report, f, "Name/Version: %s %s here, %s %s in %s",
                w->meta_name ? w->meta_name : "?",
                w->meta_version ? w->meta_version : "?",
                ref->meta_name ? ref->meta_name : "?",
                ref->meta_version ? ref->meta_version : "?", ref->file);
        }
        for (size_t k = 0; !req_ok && k < w->requires.count; k++) {
            if (!ep_strvec_contains(&ref->requires, w->requires.items[k])) {
                ep_finding_detail(w->report, f, "Requires-Dist only here: %s",
                                  w->requires.items[k]);
            }
        }
        for (size_t k = 0; !req_ok && k < ref->requires.count; k++) {
            if (!ep_strvec_contains(&w->requires, ref->requires.items[k])) {
                ep_finding_detail(w->report, f, "Requires-Dist only in %s: %s",
                                  ref->file, ref->requires.items[k]);
            }
        }
        ep_finding_fix(w->report, f,
                       "build every wheel of a release from the "
                       "same source and configuration: pip resolves "
                       "dependencies from whichever wheel it picks");
        ep_finding_path(w->report, f, w->path);
    }
}

static void
check_native(ep_wheels *ws, ep_wfamily *fam)
{
    ep_arena *a = &ws->arena;
    /* what the pure wheels import under a guard and do not ship as source */
    ep_strvec optional = {0};
    for (size_t i = 0; i < fam->nwheels; i++) {
        const ep_wheel *w = &ws->wheels[fam->wheels[i]];
        if (!is_pure(w)) {
            continue;
        }
        for (size_t k = 0; k < w->optional_imports.count; k++) {
            const char *mod = w->optional_imports.items[k];
            if (!has_source(a, w, mod) && !ep_strvec_contains(&optional, mod)) {
                ep_strvec_push(a, &optional, mod);
            }
        }
    }
    /* keep the guarded imports a native wheel provides, or that belong to
     * one of the family's own packages */
    for (size_t k = 0; k < optional.count; k++) {
        const char *mod = optional.items[k];
        bool ours = false;
        for (size_t i = 0; i < fam->nwheels && !ours; i++) {
            const ep_wheel *w = &ws->wheels[fam->wheels[i]];
            const char *dot = strchr(mod, '.');
            size_t top = dot ? (size_t)(dot - mod) : strlen(mod);
            ours = has_module(w, mod) ||
                   (dot != NULL &&
                    has_source(a, w, ep_arena_strndup(a, mod, top)));
        }
        if (ours && !ep_strvec_contains(&fam->modules, mod)) {
            ep_strvec_push(a, &fam->modules, mod);
        }
    }
    for (size_t i = 0; i < fam->nwheels; i++) {
        const ep_wheel *w = &ws->wheels[fam->wheels[i]];
        for (size_t k = 0; k < w->nmembers; k++) {
            const char *mod = w->members[k].module;
            if (mod != NULL && !ep_strvec_contains(&fam->modules, mod)) {
                ep_strvec_push(a, &fam->modules, mod);
            }
        }
    }
    for (size_t i = 0; i < fam->nwheels; i++) {
        ep_wheel *w = &ws->wheels[fam->wheels[i]];
        const char *tag =
            w->fname.ntags ? ep_wtag_str(a, &w->fname.tags[0]) : w->file;
        if (is_pure(w)) {
            ep_strvec_push(a, &fam->pure_tags, tag);
            continue;
        }
        ep_finding_slot *f = NULL;
        for (size_t k = 0; k < fam->modules.count; k++) {
            if (has_module(w, fam->modules.items[k])) {
                continue;
            }
            if (f == NULL) {
                f = ep_wheel_finding(w, EP_FINDING_WHEEL_FAMILY_MISMATCH,
                                     "the native wheel %s lacks %s: on %s the "
                                     "package falls back to pure Python",
                                     w->file, fam->modules.items[k], tag);
            } else {
                ep_finding_detail(w->report, f, "also lacks %s",
                                  fam->modules.items[k]);
            }
        }
        if (f != NULL) {
            ep_finding_detail(
                w->report, f,
                "the other wheels of %s %s hold the "
                "compiled module (or the pure package imports it "
                "under a guard): is_available()-style checks quietly "
                "report False here",
                fam->name, fam->version);
            ep_finding_fix(w->report, f,
                           "fail the build when the extension does "
                           "not compile (setuptools: optional=False), "
                           "and check the wheel before upload");
            ep_finding_path(w->report, f, w->path);
            ep_strvec_push(a, &fam->pure_tags, tag);
        } else {
            ep_strvec_push(a, &fam->native_tags, tag);
        }
    }
}

void
ep_wheel_families(ep_wheels *ws)
{
    ep_arena *a = &ws->arena;
    const char **keys = calloc(ws->count ? ws->count : 1, sizeof(*keys));
    if (keys == NULL) {
        return;
    }
    for (size_t i = 0; i < ws->count; i++) {
        keys[i] = ws->wheels[i].error ? NULL : key_of(a, &ws->wheels[i]);
    }
    for (size_t i = 0; i < ws->count; i++) {
        if (keys[i] == NULL || ws->wheels[i].family != SIZE_MAX) {
            continue;
        }
        size_t members = 0;
        for (size_t j = i; j < ws->count; j++) {
            members += keys[j] && strcmp(keys[j], keys[i]) == 0;
        }
        if (members < 2) {
            continue;
        }
        ep_wfamily *fams =
            realloc(ws->families, (ws->nfamilies + 1) * sizeof(*fams));
        if (fams == NULL) {
            break;
        }
        ws->families = fams;
        ep_wfamily *fam = &fams[ws->nfamilies];
        memset(fam, 0, sizeof(*fam));
        fam->wheels = calloc(members, sizeof(*fam->wheels));
        if (fam->wheels == NULL) {
            break;
        }
        const ep_wheel *w0 = &ws->wheels[i];
        fam->name = w0->meta_name ? w0->meta_name : w0->fname.dist;
        fam->version = w0->meta_version ? w0->meta_version : w0->fname.version;
        for (size_t j = i; j < ws->count; j++) {
            if (keys[j] && strcmp(keys[j], keys[i]) == 0) {
                ws->wheels[j].family = ws->nfamilies;
                fam->wheels[fam->nwheels++] = j;
            }
        }
        ws->nfamilies++;
        check_metadata(ws, fam);
        check_native(ws, fam);
    }
    free(keys);
}
