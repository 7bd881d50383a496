/*
 * missing-dependency: a library in the extension's DT_NEEDED tree cannot be
 * found by the loader's search (RPATH of the object and its loaders,
 * LD_LIBRARY_PATH, RUNPATH, ld.so.cache, the default directories). The
 * loader emulation lists every place it tried; this check only words it.
 */
#include "findings/checks.h"

#include <string.h>

#define SHOW_LIBS 6

/* Directory entries looked through for a bundled-libraries directory: a
 * package directory is small; a huge one is not searched to its end (a
 * report note says so). */
#define MISPLACED_MAX_ENTRIES 4096

static bool
ends_with(const char *s, const char *x)
{
    size_t n = strlen(s), m = strlen(x);
    return n >= m && strcmp(s + n - m, x) == 0;
}

/* dir as seen from the module's directory, for a $ORIGIN-relative
 * RUNPATH ("../pkg.libs", ".libs"), or dir itself when unrelated. */
static const char *
from_origin(ep_ctx *c, const char *origin, const char *dir)
{
    if (ep_path_within(dir, origin)) {
        size_t n = strlen(origin);
        return dir[n] == '\0' ? "" : ep_arena_printf(c->a, "/%s", dir + n + 1);
    }
    const char *up = ep_path_dirname(c->a, origin);
    if (up != NULL && ep_path_within(dir, up) && strcmp(dir, up) != 0) {
        return ep_arena_printf(c->a, "/../%s", dir + strlen(up) + 1);
    }
    return NULL;
}

/* The library under another directory the loader never searches: the
 * distribution's RECORD, or a bundled-libraries directory next to the
 * module (auditwheel's <pkg>.libs, .libs, libs) one level around it. */
static const char *
misplaced(ep_ctx *c, const ep_analysis *an, const char *name)
{
    if (an->dist != NULL) {
        for (size_t i = 0; i < an->dist->record.count; i++) {
            const char *r = an->dist->record.items[i];
            if (strcmp(ep_basename(r), name) == 0) {
                const char *p = ep_path_normalize(
                    c->a, ep_path_join(c->a, an->dist->site, r));
                if (p != NULL && ep_fs_isfile(p)) {
                    return p;
                }
            }
        }
    }
    const char *dir = ep_path_dirname(c->a, an->ext_path);
    const char *roots[] = {dir, dir ? ep_path_dirname(c->a, dir) : NULL};
    for (size_t k = 0; k < 2; k++) {
        ep_dirlist dl;
        if (roots[k] == NULL ||
            ep_fs_list(c->a, roots[k], &dl, NULL) != EP_OK) {
            continue;
        }
        if (dl.count > MISPLACED_MAX_ENTRIES) {
            ep_report_note(c->r,
                           "%s has %zu entries; only the first %d were "
                           "searched for a misplaced %s",
                           roots[k], dl.count, MISPLACED_MAX_ENTRIES, name);
        }
        for (size_t i = 0; i < dl.count && i < MISPLACED_MAX_ENTRIES; i++) {
            const char *n = dl.names[i];
            /* ".libs" ends with ".libs" too. */
            bool libdir = ends_with(n, ".libs") || strcmp(n, "libs") == 0 ||
                          strcmp(n, "lib") == 0;
            const char *cand =
                libdir ? ep_arena_printf(c->a, "%s/%s/%s", roots[k], n, name)
                       : NULL;
            if (cand != NULL && ep_fs_isfile(cand)) {
                return cand;
            }
        }
        const char *here = ep_path_join(c->a, roots[k], name);
        if (here != NULL && ep_fs_isfile(here)) {
            return here;
        }
    }
    return NULL;
}

/* The RECORD entry of the module's distribution for a library of this
 * name (a vendored copy: pkg.libs/libfoo-1a2b3c4d.so.1), or NULL. */
static const char *
recorded_library(const ep_analysis *an, const char *name)
{
    const ep_dist *d = an->dist;
    for (size_t i = 0; d != NULL && i < d->record.count; i++) {
        if (strcmp(ep_basename(d->record.items[i]), name) == 0) {
            return d->record.items[i];
        }
    }
    return NULL;
}

/* Whether a refusal's reason is glibc 2.36's own text (open_verify's and
 * the version check's), which dlopen() puts in the ImportError; the others
 * are extprobe's reading of a damaged file. */
static bool
loader_says(const char *why)
{
    static const char *const texts[] = {
        "invalid ELF header",
        "file too short",
        "ELF file ",
        "nonzero padding in e_ident",
        "only ET_DYN and ET_EXEC",
        "cannot read file data",
        "DT_RELR without GLIBC_ABI_DT_RELR dependency",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        if (strncmp(why, texts[i], strlen(texts[i])) == 0) {
            return true;
        }
    }
    return false;
}

/* The first library was found and refused (a damaged file, or glibc
 * 2.36's DT_RELR rule): what Python says, and the fix for that reason. */
static ep_status
refused_fix(ep_ctx *c, ep_analysis *an, ep_finding_slot *fs,
            const ep_loader_missing_lib *m)
{
    const char *file = m->path ? m->path : m->name;
    if (loader_says(m->refused)) {
        ep_finding_detail(c->r, fs, "Python reports: ImportError: %s: %s", file,
                          m->refused);
    } else {
        /* glibc 2.36 maps a file cut inside a segment and dies of SIGBUS
         * at the first touch past its end (later versions refuse it with
         * "ELF load command past end of file"). */
        ep_finding_detail(c->r, fs,
                          "The import fails there: the loader cannot use "
                          "the file as it is; with a file cut inside a "
                          "segment, glibc 2.36 kills the interpreter with "
                          "SIGBUS instead of raising ImportError");
    }
    ep_finding_path(c->r, fs, file);
    ep_finding_path(c->r, fs, an->ext_path);
    if (strstr(m->refused, "GLIBC_ABI_DT_RELR") != NULL) {
        ep_finding_detail(c->r, fs,
                          "%s packs its relative relocations (DT_RELR) "
                          "without requiring GLIBC_ABI_DT_RELR from libc.so.6, "
                          "which glibc 2.36 and later refuse: lld's "
                          "--pack-dyn-relocs=relr links it so",
                          file);
        ep_finding_fix(c->r, fs,
                       "Relink %s with -z pack-relative-relocs (ld.bfd 2.38+, "
                       "lld 15+, mold), which adds the GLIBC_ABI_DT_RELR "
                       "requirement, or without packed relocations (drop "
                       "--pack-dyn-relocs=relr); then %s",
                       file, ep_fix_rebuild(c, an));
    } else {
        ep_finding_fix(c->r, fs,
                       "Replace %s, which ld.so cannot load as it is: "
                       "reinstall what installed it (%s)",
                       file, ep_fix_reinstall(c, an));
    }
    return EP_OK;
}

ep_status
ep_check_missing_dependency(ep_ctx *c, ep_analysis *an,
                            const ep_loader_facts *lf)
{
    if (an->ext == NULL || an->elf_bad || lf == NULL || !lf->available ||
        lf->nlibs == 0) {
        return EP_OK;
    }
    const ep_loader_missing_lib *m = &lf->libs[0];
    const char *more =
        lf->nlibs > 1 ? ep_arena_printf(c->a, " (and %zu more)", lf->nlibs - 1)
                      : "";
    ep_finding_slot *fs =
        m->refused != NULL
            ? ep_check_add(c, an, EP_FINDING_MISSING_DEPENDENCY,
                           "%s needs %s, which the loader finds but refuses: "
                           "%s%s",
                           ep_basename(an->ext_path), m->name, m->refused, more)
            : ep_check_add(c, an, EP_FINDING_MISSING_DEPENDENCY,
                           "%s needs %s, which the loader cannot find%s",
                           ep_basename(an->ext_path), m->name, more);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    for (size_t i = 0; i < lf->nlibs && i < SHOW_LIBS; i++) {
        const ep_loader_missing_lib *l = &lf->libs[i];
        ep_finding_detail(c->r, fs,
                          "%s (needed by %s) was looked for in:", l->name,
                          l->needed_by ? l->needed_by : an->ext_path);
        if (l->tried != NULL && l->tried[0] != '\0') {
            ep_finding_detail(c->r, fs, "%s", l->tried);
        }
    }
    if (m->refused != NULL) {
        return refused_fix(c, an, fs, m);
    }
    const char *found = misplaced(c, an, m->name);
    const char *recorded = found ? NULL : recorded_library(an, m->name);
    if (recorded != NULL) {
        ep_finding_detail(c->r, fs,
                          "%s %s installed it: its RECORD lists %s, which is "
                          "not on disk (%s/%s) -- the install is damaged (a "
                          "deleted file, a partial copy or a cleanup tool)",
                          an->dist->name,
                          an->dist->version ? an->dist->version : "", recorded,
                          an->dist->site, recorded);
        ep_finding_path(c->r, fs, ep_path_join(c->a, an->dist->site, recorded));
    }
    if (found != NULL) {
        ep_finding_detail(c->r, fs,
                          "%s exists at %s, a directory none of "
                          "these search paths names",
                          m->name, found);
        ep_finding_path(c->r, fs, found);
    }
    bool libpython = strncmp(m->name, "libpython", 9) == 0;
    if (libpython) {
        ep_finding_detail(c->r, fs,
                          "Extensions should not link libpython: the "
                          "interpreter provides the C API (PyO3 without the "
                          "extension-module feature, or an explicit -lpython)");
    }
    ep_finding_detail(c->r, fs,
                      "Python reports: ImportError: %s: cannot open "
                      "shared object file: No such file or directory",
                      m->name);
    ep_finding_path(c->r, fs, an->ext_path);
    if (libpython) {
        ep_finding_fix(c->r, fs,
                       "Build without linking libpython (PyO3: the "
                       "extension-module feature; setuptools/meson do this by "
                       "default), then %s",
                       ep_fix_rebuild(c, an));
    } else if (found != NULL) {
        const char *fdir = ep_path_dirname(c->a, found);
        const char *rel =
            fdir ? from_origin(c, ep_path_dirname(c->a, an->ext_path), fdir)
                 : NULL;
        ep_finding_fix(c->r, fs,
                       "Put %s where the module's RUNPATH/RPATH "
                       "points (the first search directory above), or point "
                       "the module at %s: patchelf --set-rpath '%s%s' %s; then "
                       "fix the packaging step that moved it",
                       m->name, fdir, rel ? "$ORIGIN" : "", rel ? rel : fdir,
                       an->ext_path);
    } else if (recorded != NULL) {
        ep_finding_fix(c->r, fs,
                       "Reinstall the distribution, which brings %s back: %s",
                       recorded, ep_fix_reinstall(c, an));
    } else {
        ep_finding_fix(c->r, fs,
                       "Install %s where the loader looks, or make "
                       "the module find it: bundle it next to the module with "
                       "RUNPATH $ORIGIN (auditwheel repair does this), or set "
                       "LD_LIBRARY_PATH for the process as a stopgap",
                       m->name);
    }
    return EP_OK;
}

/* The real import failed with the loader's text for this (trial_rules.c),
 * where the static checks saw nothing. */
ep_status
ep_check_missing_dependency_from_trial(ep_ctx *c, ep_analysis *an,
                                       const ep_trial_error *e)
{
    ep_finding_slot *fs =
        ep_check_add(c, an, EP_FINDING_MISSING_DEPENDENCY,
                     "importing %s fails: %s", an->name, e->line);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_trial_details(c, fs, e, true);
    ep_finding_fix(c->r, fs,
                   "Install %s where the loader looks, or "
                   "bundle it next to the module with RUNPATH $ORIGIN "
                   "(auditwheel repair)",
                   e->subject ? e->subject : "the library");
    if (e->file != NULL) {
        ep_finding_path(c->r, fs, e->file);
    }
    return EP_OK;
}
