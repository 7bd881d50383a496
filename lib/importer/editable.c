/*
 * Editable installs put a meta path finder on sys.meta_path through an
 * `import` line in a .pth file (site.py runs such lines at startup). This
 * file reads those finders' generated modules as text -- never importing
 * them -- and keeps the table each one routes names with:
 *  - setuptools (PEP 660 "strict"/default mode): __editable___<dist>_finder.py
 *    with MAPPING = {top-level name: directory}; appended to sys.meta_path,
 *    so PathFinder is asked first;
 *  - meson-python: _<dist>_editable_loader.py ending in install(..., names,
 *    build_dir, ...); inserted at sys.meta_path[0]; its table is the build
 *    directory's meson-info/intro-install_plan.json;
 *  - scikit-build-core: _<dist>_editable.py ending in install(known source
 *    files, known wheel files, build dir, ...); inserted at sys.meta_path[0].
 * The rebuild-on-import of the last two is not modelled (the trial does it).
 */
#include "importer/importer.h"
#include "util/error.h"
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

/* Finders that never serve a module the user would ask extprobe about. */
static const char *const harmless_finders[] = {
    "_frozen_importlib.BuiltinImporter",
    "_frozen_importlib.FrozenImporter",
    "_frozen_importlib_external.PathFinder",
    "_distutils_hack.DistutilsMetaFinder",
    "_virtualenv._Finder",
    "six._SixMetaPathImporter",
    "_pytest.assertion.rewrite.AssertionRewritingHook",
    "pkg_resources.extern.VendorImporter",
    "setuptools.extern.VendorImporter",
    "importlib._bootstrap.BuiltinImporter",
    "importlib._bootstrap.FrozenImporter",
    "importlib._bootstrap_external.PathFinder",
};

const char *
ep_editable_kind_str(ep_editable_kind kind)
{
    switch (kind) {
    case EP_EDITABLE_SETUPTOOLS:
        return "setuptools";
    case EP_EDITABLE_MESON_PYTHON:
        return "meson-python";
    case EP_EDITABLE_SCIKIT_BUILD:
        return "scikit-build-core";
    }
    return "editable";
}

static bool
has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool
has_suffix(const char *s, const char *x)
{
    size_t n = strlen(s), m = strlen(x);
    return n >= m && strcmp(s + n - m, x) == 0;
}

/* Which kind of editable finder a module name is, by the names the three
 * backends generate; false for anything else. */
static bool
classify(const char *module, ep_editable_kind *kind)
{
    if (has_prefix(module, "__editable___") && has_suffix(module, "_finder")) {
        *kind = EP_EDITABLE_SETUPTOOLS;
        return true;
    }
    if (module[0] == '_' && has_suffix(module, "_editable_loader")) {
        *kind = EP_EDITABLE_MESON_PYTHON;
        return true;
    }
    if (module[0] == '_' && has_suffix(module, "_editable")) {
        *kind = EP_EDITABLE_SCIKIT_BUILD;
        return true;
    }
    return false;
}

/* The module names an import line imports: "import a; a.install()" -> a;
 * "import a, b" -> a, b. Only plain `import` statements count. */
static ep_status
import_names(ep_arena *a, const char *line, ep_strvec *out, ep_error *err)
{
    const char *p = line;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ';') {
            p++;
        }
        const char *stmt_end = strchr(p, ';');
        size_t n = stmt_end ? (size_t)(stmt_end - p) : strlen(p);
        if (n > 7 && strncmp(p, "import", 6) == 0 &&
            (p[6] == ' ' || p[6] == '\t')) {
            const char *q = p + 7;
            const char *end = p + n;
            while (q < end) {
                while (q < end && (*q == ' ' || *q == ',' || *q == '\t')) {
                    q++;
                }
                const char *s = q;
                while (q < end && *q != ',' && *q != ' ' && *q != '\t') {
                    q++;
                }
                if (q > s) {
                    const char *name = ep_arena_strndup(a, s, (size_t)(q - s));
                    if (name == NULL || !ep_strvec_push(a, out, name)) {
                        return ep_fail_nomem(err);
                    }
                }
                /* "import a as b": the rest of the statement is not a name. */
                while (q < end && (*q == ' ' || *q == '\t')) {
                    q++;
                }
                if (q < end && *q != ',') {
                    break;
                }
            }
        }
        p += n;
    }
    return EP_OK;
}

/* Offset just after the last line starting with `word` (at column 0). */
static const char *
last_line_start(const char *text, const char *word)
{
    const char *found = NULL;
    size_t n = strlen(word);
    for (const char *p = text; p != NULL && *p != '\0';) {
        if (strncmp(p, word, n) == 0) {
            found = p;
        }
        p = strchr(p, '\n');
        if (p != NULL) {
            p++;
        }
    }
    return found;
}

static ep_status
add_map(ep_arena *a, ep_editable *e, size_t *cap, const char *name,
        const char *path, ep_error *err)
{
    if (e->nmap == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        ep_edit_map *m = ep_arena_alloc(a, c * sizeof(*m));
        if (m == NULL) {
            return ep_fail_nomem(err);
        }
        if (e->nmap > 0) {
            memcpy(m, e->map, e->nmap * sizeof(*m));
        }
        e->map = m;
        *cap = c;
    }
    e->map[e->nmap].name = name;
    e->map[e->nmap].path = path;
    e->nmap++;
    return EP_OK;
}

/* setuptools: MAPPING = {...} (a "MAPPING: dict[str, str] = " annotation in
 * newer releases). */
static ep_status
load_setuptools(ep_arena *a, ep_editable *e, const char *text, size_t len,
                ep_error *err)
{
    const char *m = last_line_start(text, "MAPPING");
    const char *eq = m ? strchr(m, '=') : NULL;
    if (eq == NULL) {
        e->problem = "no MAPPING table in the finder module";
        return EP_OK;
    }
    size_t pos = (size_t)(eq + 1 - text);
    ep_lit *v;
    ep_error perr;
    ep_status st = ep_lit_python(a, text, len, &pos, &v, &perr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(err);
    }
    if (st != EP_OK || v->type != EP_LIT_OBJECT) {
        e->problem = "its MAPPING table is not a literal dict";
        return EP_OK;
    }
    size_t cap = 0;
    for (size_t i = 0; i < v->count; i++) {
        const ep_lit *p = v->items[i];
        if (v->keys[i] != NULL && p->type == EP_LIT_STRING) {
            st = add_map(a, e, &cap, v->keys[i], p->str, err);
            if (st != EP_OK) {
                return st;
            }
        }
    }
    return EP_OK;
}

/* The arguments of the last top-level `install(` call, as literals. */
static ep_status
install_args(ep_arena *a, const char *text, size_t len, ep_lit ***args,
             size_t *nargs, ep_error *err)
{
    *args = NULL;
    *nargs = 0;
    const char *call = last_line_start(text, "install(");
    if (call == NULL) {
        return EP_OK;
    }
    size_t pos = (size_t)(call - text) + strlen("install");
    /* The argument list parses as a tuple literal. */
    ep_lit *tuple;
    ep_error perr;
    ep_status st = ep_lit_python(a, text, len, &pos, &tuple, &perr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(err);
    }
    if (st == EP_OK && tuple->type == EP_LIT_ARRAY) {
        *args = tuple->items;
        *nargs = tuple->count;
    }
    return EP_OK;
}

/* One install-plan destination "{py_platlib}/pkg/x.so" -> "pkg/x.so". */
static const char *
plan_relpath(const char *dest)
{
    static const char *const roots[] = {"{py_platlib}/", "{py_purelib}/"};
    for (size_t i = 0; i < 2; i++) {
        if (has_prefix(dest, roots[i])) {
            return dest + strlen(roots[i]);
        }
    }
    return NULL;
}

#define MESON_WALK_MAX_FILES 20000
#define MESON_WALK_MAX_DEPTH 16

/* install_subdir(): every file below src lands below rel. lstat-based, so a
 * symlinked directory is never entered (no loops). */
static ep_status
walk_subdir(ep_arena *a, ep_editable *e, size_t *cap, const char *src,
            const char *rel, int depth, size_t *budget, ep_error *err)
{
    ep_dirlist dl;
    if (depth > MESON_WALK_MAX_DEPTH || *budget == 0) {
        return EP_OK;
    }
    ep_status st = ep_fs_list(a, src, &dl, err);
    for (size_t i = 0; st == EP_OK && i<dl.count && * budget> 0; i++) {
        const char *full = ep_path_join(a, src, dl.names[i]);
        const char *r = ep_path_join(a, rel, dl.names[i]);
        if (full == NULL || r == NULL) {
            return ep_fail_nomem(err);
        }
        if (ep_fs_isdir_nofollow(full)) {
            st = walk_subdir(a, e, cap, full, r, depth + 1, budget, err);
        } else if (ep_fs_isfile(full)) {
            (*budget)--;
            st = add_map(a, e, cap, r, full, err);
        }
    }
    return st;
}

/* meson-python: the tree the loader builds from intro-install_plan.json. */
static ep_status
load_meson_plan(ep_arena *a, ep_editable *e, ep_error *err)
{
    const char *plan =
        ep_path_join(a, e->build_dir, "meson-info/intro-install_plan.json");
    char *text;
    size_t len;
    ep_error rerr;
    if (plan == NULL) {
        return ep_fail_nomem(err);
    }
    ep_status st = ep_fs_read(a, plan, EP_READ_CAP, &text, &len, NULL, &rerr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(err);
    }
    if (st != EP_OK) {
        e->problem = ep_arena_printf(a,
                                     "its build directory has no install "
                                     "plan (%s): was it deleted?",
                                     plan);
        return EP_OK;
    }
    ep_lit *root;
    st = ep_lit_json(a, text, len, &root, &rerr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(err);
    }
    if (st != EP_OK || root->type != EP_LIT_OBJECT) {
        e->problem = ep_arena_printf(a, "%s is not valid JSON", plan);
        return EP_OK;
    }
    size_t cap = 0, budget = MESON_WALK_MAX_FILES;
    for (size_t k = 0; k < root->count; k++) {
        const ep_lit *group = root->items[k];
        const char *key = root->keys[k] ? root->keys[k] : "";
        for (size_t i = 0; group->type == EP_LIT_OBJECT && i < group->count;
             i++) {
            const char *src = group->keys[i];
            const char *dest = ep_lit_get_str(group->items[i], "destination");
            const char *rel = dest ? plan_relpath(dest) : NULL;
            if (src == NULL || rel == NULL) {
                continue;
            }
            src = ep_path_normalize(a, src);
            if (src == NULL) {
                return ep_fail_nomem(err);
            }
            bool is_dir = strcmp(key, "install_subdirs") == 0 ||
                          (strcmp(key, "targets") == 0 && ep_fs_isdir(src));
            st = is_dir ? walk_subdir(a, e, &cap, src, rel, 0, &budget, err)
                        : add_map(a, e, &cap, rel, src, err);
            if (st != EP_OK) {
                return st;
            }
        }
    }
    return EP_OK;
}

static ep_status
load_meson(ep_arena *a, ep_editable *e, const char *text, size_t len,
           ep_error *err)
{
    ep_lit **args;
    size_t n;
    ep_status st = install_args(a, text, len, &args, &n, err);
    if (st != EP_OK) {
        return st;
    }
    /* install(names, build_path, cmd, verbose) in older releases;
     * install(package, names, build_path, cmd, verbose) in newer ones. */
    for (size_t i = 0; i < n; i++) {
        const ep_lit *v = args[i];
        if (v->type == EP_LIT_ARRAY && e->top_names.count == 0 &&
            v->count > 0 && v->items[0]->type == EP_LIT_STRING) {
            for (size_t j = 0; j < v->count; j++) {
                if (v->items[j]->type == EP_LIT_STRING &&
                    !ep_strvec_push(a, &e->top_names, v->items[j]->str)) {
                    return ep_fail_nomem(err);
                }
            }
        } else if (v->type == EP_LIT_STRING && e->top_names.count > 0 &&
                   e->build_dir == NULL && v->str[0] == '/') {
            e->build_dir = v->str;
        }
    }
    if (e->top_names.count == 0 || e->build_dir == NULL) {
        e->problem = "its install(...) call has no module names and build "
                     "directory";
        return EP_OK;
    }
    return load_meson_plan(a, e, err);
}

static ep_status
load_skbuild(ep_arena *a, ep_editable *e, const char *text, size_t len,
             ep_error *err)
{
    ep_lit **args;
    size_t n;
    ep_status st = install_args(a, text, len, &args, &n, err);
    if (st != EP_OK) {
        return st;
    }
    if (n < 2 || args[0]->type != EP_LIT_OBJECT ||
        args[1]->type != EP_LIT_OBJECT) {
        /* An empty {} parses as a list; only a missing call is a problem. */
        if (n < 2) {
            e->problem = "its install(...) call was not found";
            return EP_OK;
        }
    }
    if (n > 2 && args[2]->type == EP_LIT_STRING) {
        e->build_dir = args[2]->str;
    }
    const char *dir = ep_path_dirname(a, e->file);
    size_t cap = 0;
    /* Wheel files first: ScikitBuildRedirectingFinder.find_spec checks
     * known_wheel_files before known_source_files. Their paths are relative
     * to the finder's own directory (site-packages). */
    for (int pass = 1; pass >= 0; pass--) {
        const ep_lit *m = args[pass];
        for (size_t i = 0; m->type == EP_LIT_OBJECT && i < m->count; i++) {
            if (m->keys[i] == NULL || m->items[i]->type != EP_LIT_STRING) {
                continue;
            }
            const char *p = m->items[i]->str;
            if (p[0] != '/') {
                p = ep_path_join(a, dir, p);
            }
            if (p == NULL) {
                return ep_fail_nomem(err);
            }
            st = add_map(a, e, &cap, m->keys[i], p, err);
            if (st != EP_OK) {
                return st;
            }
        }
        if (pass == 1) {
            e->nwheel = e->nmap;
        }
    }
    return EP_OK;
}

static int
meta_index(const ep_interp *in, const char *module, const char *cls)
{
    size_t n = strlen(module);
    for (size_t i = 0; i < in->meta_path.count; i++) {
        const char *m = in->meta_path.items[i];
        if (strncmp(m, module, n) == 0 && m[n] == '.' &&
            (cls == NULL || strcmp(m + n + 1, cls) == 0)) {
            return (int)i;
        }
    }
    return -1;
}

static int
pathfinder_index(const ep_interp *in)
{
    for (size_t i = 0; i < in->meta_path.count; i++) {
        if (has_suffix(in->meta_path.items[i], ".PathFinder")) {
            return (int)i;
        }
    }
    return -1;
}

static ep_status
load_one(ep_arena *a, const ep_interp *in, ep_editables *out, size_t *cap,
         const char *pth, const char *module, ep_editable_kind kind,
         ep_error *err)
{
    for (size_t i = 0; i < out->count; i++) {
        if (strcmp(out->items[i].module, module) == 0) {
            return EP_OK;
        }
    }
    if (out->count == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        ep_editable *items = ep_arena_alloc(a, c * sizeof(*items));
        if (items == NULL) {
            return ep_fail_nomem(err);
        }
        if (out->count > 0) {
            memcpy(items, out->items, out->count * sizeof(*items));
        }
        out->items = items;
        *cap = c;
    }
    ep_editable *e = &out->items[out->count];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->module = module;
    e->pth = pth;
    const char *dir = ep_path_dirname(a, pth);
    const char *fname = ep_arena_printf(a, "%s.py", module);
    e->file = dir && fname ? ep_path_join(a, dir, fname) : NULL;
    if (e->file == NULL) {
        return ep_fail_nomem(err);
    }
    static const char *const cls[] = {"_EditableFinder", "MesonpyMetaFinder",
                                      "ScikitBuildRedirectingFinder"};
    e->meta_index = meta_index(in, module, cls[kind]);
    int pf = pathfinder_index(in);
    if (e->meta_index >= 0 && pf >= 0) {
        e->before_pathfinder = e->meta_index < pf;
    } else {
        /* Not on sys.meta_path (the hook failed, or facts are partial):
         * assume where each backend puts it. */
        e->before_pathfinder = kind != EP_EDITABLE_SETUPTOOLS;
    }
    out->count++;

    char *text;
    size_t len;
    ep_error rerr;
    ep_status st =
        ep_fs_read(a, e->file, EP_READ_CAP, &text, &len, NULL, &rerr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(err);
    }
    if (st != EP_OK) {
        e->problem = ep_arena_printf(a, "its finder module cannot be read: %s",
                                     rerr.message);
        return EP_OK;
    }
    switch (kind) {
    case EP_EDITABLE_SETUPTOOLS:
        return load_setuptools(a, e, text, len, err);
    case EP_EDITABLE_MESON_PYTHON:
        return load_meson(a, e, text, len, err);
    case EP_EDITABLE_SCIKIT_BUILD:
        return load_skbuild(a, e, text, len, err);
    }
    return EP_OK;
}

ep_status
ep_editables_load(ep_arena *a, const ep_interp *in, ep_editables *out,
                  ep_error *err)
{
    size_t cap = 0;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < in->npth_hooks; i++) {
        ep_strvec names = {0};
        ep_status st = import_names(a, in->pth_hooks[i].value, &names, err);
        for (size_t j = 0; st == EP_OK && j < names.count; j++) {
            ep_editable_kind kind;
            if (classify(names.items[j], &kind)) {
                st = load_one(a, in, out, &cap, in->pth_hooks[i].key,
                              names.items[j], kind, err);
            }
        }
        if (st != EP_OK) {
            return st;
        }
    }
    /* Whatever else is on sys.meta_path is reported as not modelled. */
    for (size_t i = 0; i < in->meta_path.count; i++) {
        const char *m = in->meta_path.items[i];
        bool known = false;
        for (size_t k = 0;
             k < sizeof(harmless_finders) / sizeof(*harmless_finders); k++) {
            known = known || strcmp(m, harmless_finders[k]) == 0;
        }
        for (size_t k = 0; !known && k < out->count; k++) {
            size_t n = strlen(out->items[k].module);
            known = strncmp(m, out->items[k].module, n) == 0 && m[n] == '.';
        }
        if (!known && !ep_strvec_push(a, &out->unmodelled, m)) {
            return ep_fail_nomem(err);
        }
    }
    return EP_OK;
}
