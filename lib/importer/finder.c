/*
 * The import of a dotted name, walked statically the way CPython's meta path
 * would: PathFinder over sys.path (top level) or the parent's __path__
 * (submodules), with FileFinder's per-directory rules, and the editable
 * finders of editable.c in their sys.meta_path position. Every file that
 * matches a name component is recorded as a candidate with a status, also
 * those the import passes over: later sys.path entries, other copies of a
 * parent package, files tagged for another interpreter, stale builds.
 * This file decides where an import goes; whether the file loads is the
 * business of lib/findings/.
 */
#include "importer/importer.h"
#include "util/error.h"
#include "util/arena.h"
#include "util/path.h"
#include "util/grow.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

typedef struct walk {
    ep_arena *a;
    const ep_interp *in;
    const ep_editables *ed;
    ep_find *f;
    ep_error *err;
    ep_status st;
    /* The loader order of FileFinder (_get_supported_file_loaders()):
     * extensions, then source, then bytecode. */
    const char *const *sfx;
    ep_cand_kind *sfx_kind;
    size_t nsfx;
} walk;

/* What one directory holds for one component (FileFinder.find_spec). */
typedef struct dir_hit {
    size_t regular; /* the package or module file FileFinder returns */
    size_t portion; /* a directory without __init__ (PEP 420 portion) */
} dir_hit;

/* A finder's answer for one component. */
typedef struct spec_result {
    ep_spec_kind kind;
    size_t cand;             /* winning candidate (NONE for namespace) */
    ep_strvec path;          /* __path__ for packages and namespaces */
    ep_search_dir *portions; /* PathFinder namespace: where each portion is */
    size_t nportions;
    const char *via;
} spec_result;

static bool
nomem(walk *w)
{
    if (w->st == EP_OK) {
        w->st = ep_fail_nomem(w->err);
    }
    return false;
}

const char *
ep_spec_kind_str(ep_spec_kind kind)
{
    switch (kind) {
    case EP_SPEC_EXTENSION:
        return "extension";
    case EP_SPEC_SOURCE:
        return "source";
    case EP_SPEC_BYTECODE:
        return "bytecode";
    case EP_SPEC_PACKAGE:
        return "package";
    case EP_SPEC_NAMESPACE:
        return "namespace";
    case EP_SPEC_NONE:
        break;
    }
    return NULL;
}

bool
ep_interp_has_ext_suffix(const ep_interp *in, const char *suffix)
{
    return ep_strvec_contains(&in->ext_suffixes, suffix);
}

static bool
has_suffix(const char *s, const char *x)
{
    size_t n = strlen(s), m = strlen(x);
    return n >= m && strcmp(s + n - m, x) == 0;
}

static const char *
impl_name(const char *impl)
{
    if (impl == NULL) {
        return "an unknown implementation";
    }
    if (strcmp(impl, "cpython") == 0) {
        return "CPython";
    }
    if (strcmp(impl, "pypy") == 0) {
        return "PyPy";
    }
    if (strcmp(impl, "graalpy") == 0) {
        return "GraalPy";
    }
    return impl;
}

/* The interpreter as a reader would name it: "CPython 3.11.7 (cpython-311-
 * x86_64-linux-gnu)". */
static const char *
interp_desc(ep_arena *a, const ep_interp *in)
{
    return ep_arena_printf(a, "%s %s%s%s%s", impl_name(in->implementation),
                           in->version ? in->version : "?",
                           in->soabi ? " (" : "", in->soabi ? in->soabi : "",
                           in->soabi ? ")" : "");
}

/* Does the interpreter's version "3.11.7" start with tag version "3.11"? */
static bool
same_version(const ep_interp *in, const char *tagver)
{
    char mine[32];
    snprintf(mine, sizeof(mine), "%d.%d", in->major, in->minor);
    return strcmp(mine, tagver) == 0;
}

const char *
ep_tag_mismatch_reason(ep_arena *a, const ep_interp *in, const char *filename)
{
    ep_ext_tag *t = NULL;
    const char *base = ep_basename(filename);
    const char *dot = strchr(base, '.');
    if (dot != NULL && ep_interp_has_ext_suffix(in, dot)) {
        return NULL;
    }
    if (ep_ext_tag_parse(base, &t, NULL) != EP_OK) {
        return ep_arena_printf(a,
                               "its suffix %s is not one of this "
                               "interpreter's EXTENSION_SUFFIXES",
                               dot ? dot : "(none)");
    }
    const char *me = interp_desc(a, in);
    const char *why;
    bool impl_differs = t->implementation != NULL &&
                        in->implementation != NULL &&
                        strcmp(t->implementation, in->implementation) != 0;
    if (t->stable_abi) {
        /* PEP 384: abi3 is CPython's; free-threaded builds have no abi3
         * (until PEP 803's abi3t), PyPy and 2.7 do not load it either. */
        why = in->gil_disabled
                  ? ep_arena_printf(a,
                                    "a stable-ABI (abi3) build; %s is "
                                    "free-threaded and does not load abi3 "
                                    "modules",
                                    me)
                  : ep_arena_printf(a,
                                    "a stable-ABI (abi3) build; %s does "
                                    "not load abi3 modules",
                                    me);
    } else if (t->raw_tag == NULL) {
        why =
            ep_arena_printf(a, "an untagged .so, which %s does not accept", me);
    } else if (t->implementation == NULL) {
        why = ep_arena_printf(a,
                              "tag '%s' names no interpreter extprobe "
                              "knows; %s accepts %s",
                              t->raw_tag, me,
                              in->ext_suffixes.count ? in->ext_suffixes.items[0]
                                                     : "nothing");
    } else if (impl_differs) {
        why = ep_arena_printf(
            a, "built for %s%s%s; this is %s", impl_name(t->implementation),
            t->version ? " " : "", t->version ? t->version : "", me);
    } else if (t->version != NULL && !same_version(in, t->version)) {
        why = ep_arena_printf(a, "built for %s %s; this is %s",
                              impl_name(t->implementation), t->version, me);
    } else if (t->abiflags != NULL &&
               strcmp(t->abiflags, in->abiflags ? in->abiflags : "") != 0) {
        bool tag_d = strchr(t->abiflags, 'd') != NULL;
        bool tag_t = strchr(t->abiflags, 't') != NULL;
        const char *what =
            tag_t != in->gil_disabled
                ? (tag_t ? "a free-threaded (t) build; this interpreter has "
                           "the GIL"
                         : "a build for the GIL ABI; this interpreter is "
                           "free-threaded (t)")
            : tag_d != in->debug ? (tag_d ? "a debug (d) build; this "
                                            "interpreter is a release build"
                                          : "a release build; this interpreter "
                                            "is a debug (d) build")
                                 : "built with other ABI flags";
        why =
            ep_arena_printf(a, "%s (tag %s; this is %s)", what, t->raw_tag, me);
    } else if (t->platform != NULL && in->multiarch != NULL &&
               strcmp(t->platform, in->multiarch) != 0) {
        why = ep_arena_printf(a,
                              "built for platform %s; this interpreter is "
                              "%s",
                              t->platform, in->multiarch);
    } else {
        why = ep_arena_printf(a,
                              "tag %s is not among this interpreter's "
                              "EXTENSION_SUFFIXES (%s)",
                              t->raw_tag, me);
    }
    ep_ext_tag_free(t);
    return why;
}

static size_t
step_of(const ep_find *f, size_t cand)
{
    return f->cands[cand].step;
}

/* Add a candidate (or return the one already recorded for this path in this
 * step: an editable finder and PathFinder can meet the same file). */
static size_t
add_cand(walk *w, size_t step, ep_cand_kind kind, const char *path,
         const ep_search_dir *where, bool alternative, const char *suffix)
{
    ep_find *f = w->f;
    if (path == NULL) {
        nomem(w);
        return NONE;
    }
    for (size_t i = f->steps[step].cand_first; i < f->ncands; i++) {
        if (step_of(f, i) == step && strcmp(f->cands[i].path, path) == 0) {
            return i;
        }
    }
    if (f->ncands >= EP_FIND_MAX_CANDIDATES) {
        f->cands_truncated = true;
        return NONE;
    }
    if (!ep_grow((void **)&f->cands, &f->cands_cap, f->ncands + 1,
                 sizeof(*f->cands))) {
        nomem(w);
        return NONE;
    }
    ep_cand *c = &f->cands[f->ncands];
    memset(c, 0, sizeof(*c));
    c->path = path;
    c->kind = kind;
    c->status = EP_CAND_UNDECIDED;
    c->detail = "";
    c->step = step;
    c->where = *where;
    c->alternative = alternative;
    c->suffix = suffix;
    c->mtime = ep_fs_mtime(path);
    return f->ncands++;
}

/* Every name scan_dir looks for starts with the component. */
static bool
starts_with(const char *name, const void *prefix)
{
    return strncmp(name, prefix, strlen(prefix)) == 0;
}

static bool
listed(const ep_dirlist *dl, const char *name)
{
    size_t lo = 0, hi = dl->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(dl->names[mid], name);
        if (c == 0) {
            return true;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

/* The build inputs a compiled module is made from, when they sit next to it
 * (Cython's in-place builds, setuptools build_ext --inplace). */
static const char *const build_inputs[] = {".pyx", ".py", ".c",
                                           ".cpp", ".cc", ".cxx"};

static void
check_stale(walk *w, const ep_dirlist *dl, const char *dir, const char *comp,
            size_t ci)
{
    ep_cand *c = &w->f->cands[ci];
    /* ".py" is an input only for Cython's pure-Python mode, and then only
     * when a .pxd says so; otherwise it is a fallback, not a source. */
    const char *pxd = ep_arena_printf(w->a, "%s.pxd", comp);
    bool pure_cython = pxd != NULL && listed(dl, pxd);
    for (size_t i = 0; i < sizeof(build_inputs) / sizeof(*build_inputs); i++) {
        if (strcmp(build_inputs[i], ".py") == 0 && !pure_cython) {
            continue;
        }
        const char *name = ep_arena_printf(w->a, "%s%s", comp, build_inputs[i]);
        if (name == NULL) {
            nomem(w);
            return;
        }
        if (!listed(dl, name)) {
            continue;
        }
        const char *src = ep_path_join(w->a, dir, name);
        int64_t m = src ? ep_fs_mtime(src) : -1;
        if (m > 0 && c->mtime > 0 && m - c->mtime > EP_NEWER_MIN_NS) {
            c->newer_source = src;
            return;
        }
    }
}

/* A directory lists the module's file name but stat() fails on it: a
 * dangling symlink (a build directory that was cleaned) or a file that
 * cannot be reached. FileFinder skips it silently; record why. */
static void
unreadable_name(walk *w, size_t step, const ep_search_dir *sd, bool alternative,
                const char *full, const char *suffix)
{
    struct stat st;
    char target[PATH_MAX];
    const char *why;
    if (lstat(full, &st) != 0) {
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        ssize_t n = readlink(full, target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = '\0';
        /* A link that resolves to a device or FIFO is not dangling, and
         * neither is one that leads back to itself. */
        why = stat(full, &st) != 0
                  ? ep_arena_printf(w->a,
                                    errno == ELOOP
                                        ? "it is a symlink loop through %s (%s)"
                                        : "it is a dangling symlink to %s (%s)",
                                    target, strerror(errno))
                  : ep_arena_printf(w->a,
                                    "it is a symlink to %s, which is not a "
                                    "regular file",
                                    target);
    } else if (S_ISDIR(st.st_mode)) {
        /* Named like a module file, but FileFinder takes files only. */
        why = "it is a directory, not a file";
    } else {
        why = "it is not a regular file";
    }
    size_t ci =
        add_cand(w, step, EP_CAND_UNREADABLE, full, sd, alternative, suffix);
    if (ci != NONE) {
        w->f->cands[ci].tag_why = why;
    }
}

/* FileFinder(dir).find_spec(component), recording every match.
 * importlib._bootstrap_external.FileFinder.find_spec: a directory
 * `component` with __init__<suffix> for any loader suffix is a regular
 * package and wins; else `component<suffix>` in loader order; else a
 * directory without __init__ is a namespace portion (PEP 420). */
static dir_hit
scan_dir(walk *w, size_t step, const ep_search_dir *sd, bool alternative)
{
    dir_hit hit = {NONE, NONE};
    const char *comp = w->f->steps[step].component;
    const ep_interp *in = w->in;
    ep_dirlist dl;
    if (w->st != EP_OK) {
        return hit;
    }
    w->st = ep_fs_list_matching(w->a, sd->dir, starts_with, comp, &dl, w->err);
    if (w->st != EP_OK) {
        return hit;
    }
    if (dl.sys_errno == EACCES || dl.sys_errno == EPERM) {
        add_cand(w, step, EP_CAND_UNREADABLE, sd->dir, sd, alternative, NULL);
        return hit;
    }
    if (dl.sys_errno == ENOTDIR &&
        (has_suffix(sd->dir, ".zip") || has_suffix(sd->dir, ".egg") ||
         has_suffix(sd->dir, ".whl"))) {
        const char *n = ep_arena_printf(w->a,
                                        "sys.path entry %s is an archive: "
                                        "zipimport is not modelled",
                                        sd->dir);
        if (n != NULL && !ep_strvec_contains(&w->f->notes, n)) {
            ep_strvec_push(w->a, &w->f->notes, n);
        }
        return hit;
    }
    if (dl.sys_errno != 0) {
        return hit; /* a missing sys.path entry is normal (python311.zip) */
    }
    bool pep420 = in->major > 3 || (in->major == 3 && in->minor >= 3);
    if (listed(&dl, comp)) {
        const char *full = ep_path_join(w->a, sd->dir, comp);
        if (full == NULL) {
            nomem(w);
            return hit;
        }
        if (ep_fs_isdir(full)) {
            for (size_t s = 0; s < w->nsfx && hit.regular == NONE; s++) {
                const char *init =
                    ep_arena_printf(w->a, "%s/__init__%s", full, w->sfx[s]);
                if (init != NULL && ep_fs_isfile(init)) {
                    hit.regular = add_cand(w, step, EP_CAND_PACKAGE, full, sd,
                                           alternative, w->sfx[s]);
                }
            }
            if (hit.regular == NONE && pep420) {
                hit.portion = add_cand(w, step, EP_CAND_PORTION, full, sd,
                                       alternative, NULL);
            }
        }
    }
    for (size_t s = 0; s < w->nsfx; s++) {
        const char *name = ep_arena_printf(w->a, "%s%s", comp, w->sfx[s]);
        if (name == NULL) {
            nomem(w);
            return hit;
        }
        if (!listed(&dl, name)) {
            continue;
        }
        const char *full = ep_path_join(w->a, sd->dir, name);
        if (full == NULL) {
            nomem(w);
            return hit;
        }
        if (!ep_fs_isfile(full)) {
            unreadable_name(w, step, sd, alternative, full, w->sfx[s]);
            continue;
        }
        size_t ci =
            add_cand(w, step, w->sfx_kind[s], full, sd, alternative, w->sfx[s]);
        if (ci != NONE && w->sfx_kind[s] == EP_CAND_EXTENSION) {
            check_stale(w, &dl, sd->dir, comp, ci);
        }
        if (hit.regular == NONE) {
            hit.regular = ci;
        }
    }
    /* Compiled files named for this module with a suffix this interpreter
     * does not try: built for another interpreter (PEP 3149 tags). */
    size_t clen = strlen(comp);
    for (size_t i = 0; i < dl.count; i++) {
        const char *n = dl.names[i];
        if (strncmp(n, comp, clen) != 0 || n[clen] != '.' ||
            !has_suffix(n, ".so") || ep_interp_has_ext_suffix(in, n + clen)) {
            continue;
        }
        const char *full = ep_path_join(w->a, sd->dir, n);
        if (full == NULL || !ep_fs_isfile(full)) {
            continue;
        }
        size_t ci = add_cand(w, step, EP_CAND_FOREIGN, full, sd, alternative,
                             ep_arena_strdup(w->a, n + clen));
        if (ci != NONE) {
            w->f->cands[ci].tag_why = ep_tag_mismatch_reason(w->a, in, n);
        }
    }
    return hit;
}

static ep_spec_kind
spec_of_cand(const ep_cand *c)
{
    switch (c->kind) {
    case EP_CAND_EXTENSION:
        return EP_SPEC_EXTENSION;
    case EP_CAND_SOURCE:
        return EP_SPEC_SOURCE;
    case EP_CAND_BYTECODE:
        return EP_SPEC_BYTECODE;
    case EP_CAND_PACKAGE:
        return EP_SPEC_PACKAGE;
    case EP_CAND_PORTION:
        return EP_SPEC_NAMESPACE;
    case EP_CAND_FOREIGN:
    case EP_CAND_UNREADABLE:
        break;
    }
    return EP_SPEC_NONE;
}

/* importlib._bootstrap_external.PathFinder._get_spec: the first entry with a
 * regular match wins; namespace portions only count when no entry has one.
 * Every directory is scanned (CPython stops at the winner) so that later
 * copies can be reported as shadowed. */
static void
path_finder(walk *w, size_t step, spec_result *res)
{
    ep_find_step *s = &w->f->steps[step];
    ep_search_dir *portions = NULL;
    size_t np = 0;
    memset(res, 0, sizeof(*res));
    res->cand = NONE;
    res->via = "PathFinder";
    if (s->nsearch > 0) {
        portions = ep_arena_alloc(w->a, s->nsearch * sizeof(*portions));
        if (portions == NULL) {
            nomem(w);
            return;
        }
    }
    for (size_t k = 0; k < s->nsearch && w->st == EP_OK; k++) {
        dir_hit hit = scan_dir(w, step, &s->search[k], false);
        if (res->cand != NONE) {
            continue;
        }
        if (hit.regular != NONE) {
            res->cand = hit.regular;
            res->kind = spec_of_cand(&w->f->cands[hit.regular]);
        } else if (hit.portion != NONE) {
            portions[np++] = s->search[k];
            if (!ep_strvec_push(w->a, &res->path,
                                w->f->cands[hit.portion].path)) {
                nomem(w);
                return;
            }
        }
    }
    if (res->cand != NONE) {
        /* A regular match wins over every portion, also those of earlier
         * entries (PEP 420): they are not part of its __path__, which is
         * the package directory alone. */
        res->path = (ep_strvec){0};
        if (res->kind == EP_SPEC_PACKAGE &&
            !ep_strvec_push(w->a, &res->path, w->f->cands[res->cand].path)) {
            nomem(w);
        } else if (res->kind != EP_SPEC_PACKAGE) {
            res->path = (ep_strvec){0};
        }
        return;
    }
    if (np > 0) {
        res->kind = EP_SPEC_NAMESPACE;
        res->portions = portions;
        res->nportions = np;
    }
}

/* A file spec for path (spec_from_file_location): its kind by suffix. */
static ep_cand_kind
kind_of_file(const walk *w, const char *path, const char **suffix)
{
    const char *base = ep_basename(path);
    for (size_t s = 0; s < w->nsfx; s++) {
        if (has_suffix(base, w->sfx[s])) {
            *suffix = w->sfx[s];
            return w->sfx_kind[s];
        }
    }
    *suffix = NULL;
    return has_suffix(base, ".so") ? EP_CAND_FOREIGN : EP_CAND_SOURCE;
}

static const char *
via_text(walk *w, const ep_editable *e)
{
    return ep_arena_printf(w->a, "%s editable finder (%s)",
                           ep_editable_kind_str(e->kind), e->file);
}

/* setuptools' _EditableFinder.find_spec: the longest MAPPING key that is the
 * name or its package prefix; candidate_path/__init__.py, else
 * candidate_path.with_suffix(x) for x in all_suffixes() (source, bytecode,
 * extension: source first, unlike FileFinder). */
static void
setuptools_finder(walk *w, size_t step, const ep_editable *e, spec_result *res)
{
    const char *name = w->f->steps[step].name;
    const ep_edit_map *best = NULL;
    for (size_t i = 0; i < e->nmap; i++) {
        size_t n = strlen(e->map[i].name);
        if (strncmp(name, e->map[i].name, n) == 0 &&
            (name[n] == '\0' || name[n] == '.') &&
            (best == NULL || n > strlen(best->name))) {
            best = &e->map[i];
        }
    }
    if (best == NULL) {
        return;
    }
    /* Path(pkg_path, *rest) */
    const char *cp = best->path;
    const char *rest = name + strlen(best->name);
    if (*rest == '.') {
        char *r = ep_arena_strdup(w->a, rest + 1);
        for (char *p = r; p != NULL && *p != '\0'; p++) {
            if (*p == '.') {
                *p = '/';
            }
        }
        cp = r ? ep_path_join(w->a, best->path, r) : NULL;
    }
    if (cp == NULL) {
        nomem(w);
        return;
    }
    res->via = via_text(w, e);
    ep_search_dir sd = {ep_path_dirname(w->a, cp), EP_ORIGIN_EDITABLE, e->file,
                        NONE, res->via};
    /* Record what the mapped directory holds (wrong tags included); a
     * package_dir mapping to another directory name is not scanned. */
    if (strcmp(ep_basename(cp), w->f->steps[step].component) == 0) {
        scan_dir(w, step, &sd, false);
    }
    const char *init = ep_path_join(w->a, cp, "__init__.py");
    if (init != NULL && ep_fs_isfile(init)) {
        res->cand = add_cand(w, step, EP_CAND_PACKAGE, cp, &sd, false, ".py");
        res->kind = EP_SPEC_PACKAGE;
        if (!ep_strvec_push(w->a, &res->path, cp)) {
            nomem(w);
        }
        return;
    }
    const ep_strvec *order[] = {&w->in->source_suffixes,
                                &w->in->bytecode_suffixes,
                                &w->in->ext_suffixes};
    for (size_t o = 0; o < 3; o++) {
        for (size_t i = 0; i < order[o]->count; i++) {
            const char *file =
                ep_arena_printf(w->a, "%s%s", cp, order[o]->items[i]);
            if (file != NULL && ep_fs_isfile(file)) {
                const char *sfx;
                ep_cand_kind k = kind_of_file(w, file, &sfx);
                res->cand = add_cand(w, step, k, file, &sd, false, sfx);
                res->kind = spec_of_cand(&w->f->cands[res->cand]);
                return;
            }
        }
    }
}

/* meson-python's find_spec over the install-plan tree. */
static void
meson_finder(walk *w, size_t step, const ep_editable *e, spec_result *res)
{
    const char *name = w->f->steps[step].name;
    size_t tlen = strcspn(name, ".");
    bool serves = false;
    for (size_t i = 0; i < e->top_names.count; i++) {
        serves = serves || (strlen(e->top_names.items[i]) == tlen &&
                            strncmp(e->top_names.items[i], name, tlen) == 0);
    }
    if (!serves) {
        return;
    }
    char *rel = ep_arena_strdup(w->a, name);
    if (rel == NULL) {
        nomem(w);
        return;
    }
    for (char *p = rel; *p != '\0'; p++) {
        if (*p == '.') {
            *p = '/';
        }
    }
    res->via = via_text(w, e);
    ep_search_dir sd = {e->build_dir, EP_ORIGIN_EDITABLE, e->file, NONE,
                        res->via};
    size_t rlen = strlen(rel);
    bool namespace = false;
    /* Package: rel/__init__<suffix> in loader order. */
    for (size_t s = 0; s < w->nsfx && res->cand == NONE; s++) {
        const char *key =
            ep_arena_printf(w->a, "%s/__init__%s", rel, w->sfx[s]);
        for (size_t i = 0; key != NULL && i < e->nmap; i++) {
            if (strcmp(e->map[i].name, key) == 0) {
                res->cand = add_cand(w, step, EP_CAND_PACKAGE,
                                     ep_path_dirname(w->a, e->map[i].path), &sd,
                                     false, w->sfx[s]);
                res->kind = EP_SPEC_PACKAGE;
            }
        }
    }
    for (size_t i = 0; i < e->nmap; i++) {
        namespace = namespace || (strncmp(e->map[i].name, rel, rlen) == 0 &&
                                  e->map[i].name[rlen] == '/');
    }
    for (size_t s = 0; s < w->nsfx && res->cand == NONE; s++) {
        const char *key = ep_arena_printf(w->a, "%s%s", rel, w->sfx[s]);
        for (size_t i = 0; key != NULL && i < e->nmap; i++) {
            if (strcmp(e->map[i].name, key) == 0) {
                res->cand = add_cand(w, step, w->sfx_kind[s], e->map[i].path,
                                     &sd, false, w->sfx[s]);
                res->kind = spec_of_cand(&w->f->cands[res->cand]);
            }
        }
    }
    /* Compiled files the plan installs under another tag. */
    for (size_t i = 0; i < e->nmap; i++) {
        const char *n = e->map[i].name;
        if (strncmp(n, rel, rlen) == 0 && n[rlen] == '.' &&
            has_suffix(n, ".so") &&
            !ep_interp_has_ext_suffix(w->in, n + rlen)) {
            size_t ci = add_cand(w, step, EP_CAND_FOREIGN, e->map[i].path, &sd,
                                 false, n + rlen);
            if (ci != NONE) {
                w->f->cands[ci].tag_why =
                    ep_tag_mismatch_reason(w->a, w->in, ep_basename(n));
            }
        }
    }
    if (res->cand != NONE) {
        /* Children are served by the same finder (it is first on
         * sys.meta_path); __path__ is the loader's placeholder. */
        const char *ph = ep_path_join(w->a, e->file, name);
        if (res->kind == EP_SPEC_PACKAGE &&
            (ph == NULL || !ep_strvec_push(w->a, &res->path, ph))) {
            nomem(w);
        }
        return;
    }
    if (namespace) {
        res->kind = EP_SPEC_NAMESPACE;
        const char *ph = ep_path_join(w->a, e->file, name);
        if (ph == NULL || !ep_strvec_push(w->a, &res->path, ph)) {
            nomem(w);
        }
    }
}

/* scikit-build-core's ScikitBuildRedirectingFinder.find_spec. */
static void
skbuild_finder(walk *w, size_t step, const ep_editable *e, spec_result *res)
{
    const char *name = w->f->steps[step].name;
    const ep_edit_map *hit = NULL;
    for (size_t i = 0; i < e->nmap && hit == NULL; i++) {
        if (strcmp(e->map[i].name, name) == 0) {
            hit = &e->map[i];
        }
    }
    if (hit == NULL) {
        return;
    }
    res->via = via_text(w, e);
    const char *dir = ep_path_dirname(w->a, hit->path);
    ep_search_dir sd = {dir, EP_ORIGIN_EDITABLE, e->file, NONE, res->via};
    const char *sfx;
    ep_cand_kind k = kind_of_file(w, hit->path, &sfx);
    bool pkg = has_suffix(hit->path, "/__init__.py") ||
               has_suffix(hit->path, "/__init__.pyc");
    if (pkg) {
        k = EP_CAND_PACKAGE;
    }
    res->cand = add_cand(w, step, k, pkg ? dir : hit->path, &sd, false, sfx);
    if (res->cand == NONE) {
        return;
    }
    res->kind = spec_of_cand(&w->f->cands[res->cand]);
    if (!pkg) {
        return;
    }
    /* __path__: the directories of every file whose parent module is this
     * package, as the finder computes submodule_search_locations. */
    size_t n = strlen(name);
    for (size_t i = 0; i < e->nmap; i++) {
        const char *m = e->map[i].name;
        bool child = strncmp(m, name, n) == 0 && m[n] == '.' &&
                     strchr(m + n + 1, '.') == NULL;
        bool self = strcmp(m, name) == 0;
        if (!child && !self) {
            continue;
        }
        const char *d = ep_path_dirname(w->a, e->map[i].path);
        if (d == NULL) {
            nomem(w);
            return;
        }
        if (!ep_strvec_contains(&res->path, d) &&
            !ep_strvec_push(w->a, &res->path, d)) {
            nomem(w);
            return;
        }
    }
}

/* The finders of sys.meta_path that can answer, in their order: editable
 * finders placed before PathFinder, PathFinder, the rest. */
typedef struct finder_ref {
    const ep_editable *e; /* NULL: PathFinder */
} finder_ref;

static size_t
finder_order(const walk *w, finder_ref *out, size_t cap)
{
    size_t n = 0;
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1 && n < cap) {
            out[n++].e = NULL;
            continue;
        }
        /* Editables sorted by their sys.meta_path index within a pass. */
        for (int idx = -1; idx < (int)w->in->meta_path.count + 1; idx++) {
            for (size_t i = 0; i < w->ed->count && n < cap; i++) {
                const ep_editable *e = &w->ed->items[i];
                bool before = e->before_pathfinder;
                if ((pass == 0) != before || e->meta_index != idx) {
                    continue;
                }
                out[n++].e = e;
            }
        }
    }
    return n;
}

static const char *
where_text(walk *w, const ep_search_dir *sd)
{
    if (sd->entry != NONE && sd->origin != EP_ORIGIN_NONE) {
        return ep_arena_printf(w->a, "sys.path[%zu], %s%s%s", sd->entry,
                               ep_path_origin_str(sd->origin),
                               sd->origin_detail && sd->origin_detail[0] ? " "
                                                                         : "",
                               sd->origin_detail ? sd->origin_detail : "");
    }
    return sd->via ? sd->via : "";
}

const char *
ep_cand_status_str(ep_cand_status status)
{
    switch (status) {
    case EP_CAND_USED:
        return "used";
    case EP_CAND_SHADOWED:
        return "shadowed";
    case EP_CAND_STALE:
        return "stale";
    case EP_CAND_WRONG_TAG:
        return "wrong-tag";
    case EP_CAND_NAMESPACE_PORTION:
        return "namespace-portion";
    case EP_CAND_STATUS_UNREADABLE:
        return "unreadable";
    case EP_CAND_UNDECIDED:
        break;
    }
    return "";
}

/* Give every candidate of the step its status, now that the winner is
 * known. */
static void
set_statuses(walk *w, size_t step, const spec_result *win)
{
    ep_find *f = w->f;
    ep_find_step *s = &f->steps[step];
    const ep_cand *used = win->cand != NONE ? &f->cands[win->cand] : NULL;
    for (size_t i = s->cand_first; i < f->ncands; i++) {
        ep_cand *c = &f->cands[i];
        const char *wt = where_text(w, &c->where);
        if (c->kind == EP_CAND_FOREIGN) {
            c->status = EP_CAND_WRONG_TAG;
            c->detail = c->tag_why ? c->tag_why : "";
            continue;
        }
        if (c->kind == EP_CAND_UNREADABLE) {
            c->status = EP_CAND_STATUS_UNREADABLE;
            c->detail = c->tag_why
                            ? c->tag_why
                            : "the directory cannot be listed: Permission "
                              "denied";
            continue;
        }
        if (i == win->cand) {
            c->status = EP_CAND_USED;
            c->detail = ep_arena_printf(w->a, "%s%s%s", wt,
                                        c->newer_source ? "; older than " : "",
                                        c->newer_source ? c->newer_source : "");
            continue;
        }
        if (c->kind == EP_CAND_PORTION && win->kind == EP_SPEC_NAMESPACE &&
            !c->alternative && ep_strvec_contains(&win->path, c->path)) {
            c->status = EP_CAND_NAMESPACE_PORTION;
            c->detail = ep_arena_printf(w->a,
                                        "a portion of namespace package "
                                        "%s (PEP 420); %s",
                                        s->name, wt);
            continue;
        }
        if (c->alternative) {
            c->status = c->newer_source ? EP_CAND_STALE : EP_CAND_SHADOWED;
            c->detail =
                ep_arena_printf(w->a,
                                "in another copy of %s (%s) that "
                                "the import never reaches",
                                step > 0 ? f->steps[step - 1].name : "", wt);
            continue;
        }
        if (c->kind == EP_CAND_PORTION && used != NULL) {
            c->status = EP_CAND_NAMESPACE_PORTION;
            c->detail =
                ep_arena_printf(w->a,
                                "passed over: portions only count "
                                "when no entry has a regular package or "
                                "module (PEP 420), and %s has one",
                                used->path);
            continue;
        }
        c->status = c->newer_source ? EP_CAND_STALE : EP_CAND_SHADOWED;
        if (used == NULL) {
            c->detail = wt;
        } else if (strcmp(ep_path_dirname(w->a, c->path),
                          ep_path_dirname(w->a, used->path)) == 0 &&
                   !c->where.via == !used->where.via) {
            c->detail = ep_arena_printf(w->a,
                                        "same directory: %s comes first "
                                        "(FileFinder: package, then "
                                        "EXTENSION_SUFFIXES, source, bytecode)",
                                        ep_basename(used->path));
        } else {
            c->detail = ep_arena_printf(w->a, "%s; the import takes %s first",
                                        wt, used->path);
        }
        if (c->newer_source != NULL) {
            c->detail = ep_arena_printf(w->a, "%s; older than %s", c->detail,
                                        c->newer_source);
        }
    }
}

/* The search directories of the next step: the winner's __path__, with the
 * origin of the entry it came from. */
static bool
next_search(walk *w, size_t step, const spec_result *win)
{
    ep_find_step *s = &w->f->steps[step];
    ep_find_step *next = &w->f->steps[step + 1];
    size_t n = win->path.count;
    next->search = n ? ep_arena_alloc(w->a, n * sizeof(*next->search)) : NULL;
    if (n && next->search == NULL) {
        return nomem(w);
    }
    for (size_t i = 0; i < n; i++) {
        ep_search_dir sd = s->found_in;
        if (win->kind == EP_SPEC_NAMESPACE && win->portions != NULL &&
            i < win->nportions) {
            sd = win->portions[i];
        }
        sd.dir = win->path.items[i];
        next->search[i] = sd;
    }
    next->nsearch = n;
    return true;
}

/* Other copies of the parent package: every package directory or portion
 * of this step the import did not use (later sys.path entries, the
 * alternatives of the parent). Modules inside them are never reached. */
static bool
next_alt(walk *w, size_t step)
{
    ep_find *f = w->f;
    ep_find_step *s = &f->steps[step];
    ep_find_step *next = &f->steps[step + 1];
    size_t n = 0;
    for (size_t i = s->cand_first; i < f->ncands; i++) {
        n += f->cands[i].kind == EP_CAND_PACKAGE ||
             f->cands[i].kind == EP_CAND_PORTION;
    }
    next->alt = n ? ep_arena_alloc(w->a, n * sizeof(*next->alt)) : NULL;
    if (n && next->alt == NULL) {
        return nomem(w);
    }
    next->nalt = 0;
    for (size_t i = s->cand_first; i < f->ncands; i++) {
        const ep_cand *c = &f->cands[i];
        if ((c->kind != EP_CAND_PACKAGE && c->kind != EP_CAND_PORTION) ||
            c->status == EP_CAND_USED ||
            (c->status == EP_CAND_NAMESPACE_PORTION && !c->alternative &&
             s->kind == EP_SPEC_NAMESPACE)) {
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < next->nsearch && !dup; k++) {
            dup = strcmp(next->search[k].dir, c->path) == 0;
        }
        for (size_t k = 0; k < next->nalt && !dup; k++) {
            dup = strcmp(next->alt[k].dir, c->path) == 0;
        }
        if (!dup) {
            ep_search_dir sd = c->where;
            sd.dir = c->path;
            next->alt[next->nalt++] = sd;
        }
    }
    return true;
}

/* One component: ask the meta path finders in order (unless an earlier
 * component already failed: then only the other copies of the parent are
 * scanned, for the record), give the candidates their statuses, and prepare
 * the next component's search directories. */
static void
walk_step(walk *w, size_t step, bool dead)
{
    ep_find *f = w->f;
    ep_find_step *s = &f->steps[step];
    finder_ref order[64];
    size_t norder = dead ? 0 : finder_order(w, order, 64);
    spec_result win;
    memset(&win, 0, sizeof(win));
    win.cand = NONE;
    s->cand_first = f->ncands;
    s->used = NONE;

    for (size_t k = 0; k < norder && w->st == EP_OK; k++) {
        spec_result r;
        memset(&r, 0, sizeof(r));
        r.cand = NONE;
        if (order[k].e == NULL) {
            path_finder(w, step, &r);
        } else if (order[k].e->kind == EP_EDITABLE_SETUPTOOLS) {
            setuptools_finder(w, step, order[k].e, &r);
        } else if (order[k].e->kind == EP_EDITABLE_MESON_PYTHON) {
            meson_finder(w, step, order[k].e, &r);
        } else {
            skbuild_finder(w, step, order[k].e, &r);
        }
        /* importlib._bootstrap._find_spec: the first finder with a spec
         * wins (a namespace spec from PathFinder included). */
        if (r.kind != EP_SPEC_NONE && win.kind == EP_SPEC_NONE) {
            win = r;
        }
    }
    for (size_t k = 0; k < s->nalt && w->st == EP_OK; k++) {
        scan_dir(w, step, &s->alt[k], true);
    }
    if (w->st != EP_OK) {
        return;
    }
    s->kind = win.kind;
    s->via = win.via;
    s->path = win.path;
    s->used = win.cand;
    if (win.cand != NONE) {
        const ep_cand *c = &f->cands[win.cand];
        s->found_in = c->where;
        s->dir = win.kind == EP_SPEC_PACKAGE ? c->path
                                             : ep_path_dirname(w->a, c->path);
        s->origin = win.kind == EP_SPEC_PACKAGE
                        ? ep_arena_printf(w->a, "%s/__init__%s", c->path,
                                          c->suffix ? c->suffix : ".py")
                        : c->path;
    } else if (win.kind == EP_SPEC_NAMESPACE && win.nportions > 0) {
        s->found_in = win.portions[0];
    }
    set_statuses(w, step, &win);
    s->cand_end = f->ncands;
    if (step + 1 < f->ncomp) {
        bool is_pkg =
            win.kind == EP_SPEC_PACKAGE || win.kind == EP_SPEC_NAMESPACE;
        if (is_pkg && !next_search(w, step, &win)) {
            return;
        }
        next_alt(w, step);
    }
}

static void
init_suffixes(walk *w)
{
    static const char *const def_src[] = {".py"};
    static const char *const def_pyc[] = {".pyc"};
    const ep_interp *in = w->in;
    size_t ns = in->source_suffixes.count ? in->source_suffixes.count : 1;
    size_t nb = in->bytecode_suffixes.count ? in->bytecode_suffixes.count : 1;
    size_t n = in->ext_suffixes.count + ns + nb;
    const char **sfx = ep_arena_alloc(w->a, n * sizeof(*sfx));
    ep_cand_kind *kind = ep_arena_alloc(w->a, n * sizeof(*kind));
    if (sfx == NULL || kind == NULL) {
        nomem(w);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < in->ext_suffixes.count; i++, k++) {
        sfx[k] = in->ext_suffixes.items[i];
        kind[k] = EP_CAND_EXTENSION;
    }
    for (size_t i = 0; i < ns; i++, k++) {
        sfx[k] = in->source_suffixes.count ? in->source_suffixes.items[i]
                                           : def_src[0];
        kind[k] = EP_CAND_SOURCE;
    }
    for (size_t i = 0; i < nb; i++, k++) {
        sfx[k] = in->bytecode_suffixes.count ? in->bytecode_suffixes.items[i]
                                             : def_pyc[0];
        kind[k] = EP_CAND_BYTECODE;
    }
    w->sfx = sfx;
    w->sfx_kind = kind;
    w->nsfx = n;
}

/* sys.path as the top-level search list (duplicates dropped: the second
 * occurrence can never win). */
static bool
top_search(walk *w)
{
    ep_find_step *s = &w->f->steps[0];
    const ep_interp *in = w->in;
    s->search =
        in->npath ? ep_arena_alloc(w->a, in->npath * sizeof(*s->search)) : NULL;
    if (in->npath && s->search == NULL) {
        return nomem(w);
    }
    for (size_t i = 0; i < in->npath; i++) {
        bool dup = false;
        for (size_t k = 0; k < s->nsearch && !dup; k++) {
            dup = strcmp(s->search[k].dir, in->path[i].abs) == 0;
        }
        if (!dup) {
            s->search[s->nsearch++] =
                (ep_search_dir){in->path[i].abs, in->path[i].origin,
                                in->path[i].detail, i, NULL};
        }
    }
    return true;
}

static bool
split_name(walk *w, const char *name)
{
    ep_find *f = w->f;
    const char *p = name;
    while (f->ncomp < EP_FIND_MAX_DEPTH) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        ep_find_step *s = &f->steps[f->ncomp];
        s->component = ep_arena_strndup(w->a, p, n);
        s->name = ep_arena_strndup(w->a, name, (size_t)(p - name) + n);
        s->used = NONE;
        if (s->component == NULL || s->name == NULL) {
            return nomem(w);
        }
        f->ncomp++;
        if (dot == NULL) {
            return true;
        }
        p = dot + 1;
    }
    w->st = ep_fail(w->err, EP_ERR_INVALID_ARG, "%s: more than %d components",
                    name, EP_FIND_MAX_DEPTH);
    return false;
}

ep_status
ep_find_module(ep_arena *a, const ep_interp *in, const ep_editables *ed,
               const char *name, ep_find *out, ep_error *err)
{
    static const ep_editables none = {0};
    walk w = {a, in, ed ? ed : &none, out, err, EP_OK, NULL, NULL, 0};
    memset(out, 0, sizeof(*out));
    out->name = ep_arena_strdup(a, name);
    out->fail_step = NONE;
    if (out->name == NULL) {
        return ep_fail_nomem(err);
    }
    init_suffixes(&w);
    if (w.st != EP_OK || !split_name(&w, name) || !top_search(&w)) {
        return w.st;
    }
    for (size_t i = 0; i < out->ncomp && w.st == EP_OK; i++) {
        walk_step(&w, i, out->fail_step != NONE);
        out->nsteps = i + 1;
        const ep_find_step *s = &out->steps[i];
        if (out->fail_step != NONE) {
            continue;
        }
        if (s->kind == EP_SPEC_NONE) {
            out->fail_step = i;
        } else if (s->kind != EP_SPEC_PACKAGE && s->kind != EP_SPEC_NAMESPACE &&
                   i + 1 < out->ncomp) {
            /* "No module named 'a.b'; 'a' is not a package" */
            out->not_a_package = true;
            out->fail_step = i + 1;
        }
    }
    if (w.st != EP_OK) {
        return w.st;
    }
    if (out->fail_step == NONE) {
        out->fail_step = out->ncomp;
    }
    out->found = out->fail_step == out->ncomp;
    return EP_OK;
}

void
ep_find_release(ep_find *f)
{
    if (f != NULL) {
        free(f->cands);
        f->cands = NULL;
        f->ncands = f->cands_cap = 0;
    }
}

size_t
ep_find_next(const ep_find *f, size_t step, ep_cand_kind kind, size_t from)
{
    if (step >= f->nsteps) {
        return NONE;
    }
    const ep_find_step *s = &f->steps[step];
    for (size_t i = from < s->cand_first ? s->cand_first : from;
         i < s->cand_end; i++) {
        if (f->cands[i].kind == kind) {
            return i;
        }
    }
    return NONE;
}
