/*
 * cxx-abi: the C++ runtime the module gets is older than the one it was
 * built with. Two ways: the libstdc++.so.6 the loader would use for the
 * module (a copy vendored next to a wheel, an LD_LIBRARY_PATH or conda
 * directory, one already in the interpreter) lacks a GLIBCXX_/CXXABI_
 * version the tree needs -- an error; or the module finds a new enough one,
 * but another package ships an older libstdc++.so.6 that, loaded first by
 * that package's module, serves every later one (glibc reuses a loaded
 * object whose SONAME matches) -- a warning: the import depends on order.
 * glibc-too-new keeps the GLIBC_ versions; this file takes libstdc++'s.
 */
#include "findings/checks.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Missing versions listed in the detail; the rest are counted. */
/* Older copies named in one warning (the directories are listed with
 * ep_fs_list_matching, which bounds the entries it reads). */
#define MAX_OLDER 4

#define LIBSTDCXX "libstdc++.so.6"

bool
ep_version_is_cxx(const char *version)
{
    return version != NULL && (strncmp(version, "GLIBCXX_", 8) == 0 ||
                               strncmp(version, "CXXABI_", 7) == 0);
}

/* The first GCC release that defines a libstdc++ version (the libstdc++
 * manual, "ABI Policy and Guidelines", symbol versioning history), or
 * NULL when the table does not know it. */
static const char *
gcc_release(const char *version)
{
    static const struct {
        const char *version, *gcc;
    } table[] = {
        {"GLIBCXX_3.4.19", "4.8.3"}, {"GLIBCXX_3.4.20", "4.9"},
        {"GLIBCXX_3.4.21", "5"},     {"GLIBCXX_3.4.22", "6"},
        {"GLIBCXX_3.4.23", "7"},     {"GLIBCXX_3.4.24", "7.2"},
        {"GLIBCXX_3.4.25", "8"},     {"GLIBCXX_3.4.26", "9"},
        {"GLIBCXX_3.4.27", "9.2"},   {"GLIBCXX_3.4.28", "9.3"},
        {"GLIBCXX_3.4.29", "11"},    {"GLIBCXX_3.4.30", "12"},
        {"GLIBCXX_3.4.31", "13"},    {"GLIBCXX_3.4.32", "13.2"},
        {"GLIBCXX_3.4.33", "14"},    {"CXXABI_1.3.8", "4.9"},
        {"CXXABI_1.3.9", "5"},       {"CXXABI_1.3.10", "6"},
        {"CXXABI_1.3.11", "7"},      {"CXXABI_1.3.12", "9"},
        {"CXXABI_1.3.13", "11"},     {"CXXABI_1.3.14", "13"},
        {"CXXABI_1.3.15", "14"},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
        if (strcmp(table[i].version, version) == 0) {
            return table[i].gcc;
        }
    }
    return NULL;
}

/* " (GCC 12 and later)" for a known version, else "". */
static const char *
gcc_note(ep_ctx *c, const char *version)
{
    const char *gcc = gcc_release(version);
    return gcc ? ep_arena_printf(c->a, " (GCC %s and later)", gcc) : "";
}

/* How the loader came to the libstdc++ the process uses, as a sentence. */
static const char *
how_found(ep_ctx *c, const ep_loader_facts *lf)
{
    const char *how = lf->cxx_how ? lf->cxx_how : "";
    const char *from = lf->cxx_from ? lf->cxx_from : "the module";
    if (strcmp(how, "rpath") == 0 || strcmp(how, "runpath") == 0) {
        return ep_arena_printf(c->a,
                               "It is found through the DT_%s of %s: a copy "
                               "shipped with the package, which the loader "
                               "takes before the system's",
                               strcmp(how, "rpath") == 0 ? "RPATH" : "RUNPATH",
                               from);
    }
    if (strcmp(how, "ld_library_path") == 0) {
        return ep_arena_printf(c->a,
                               "It is found through LD_LIBRARY_PATH=%s, which "
                               "the loader searches before the system's "
                               "directories",
                               ep_interp_env(c->in, "LD_LIBRARY_PATH")
                                   ? ep_interp_env(c->in, "LD_LIBRARY_PATH")
                                   : "");
    }
    if (strcmp(how, "loaded") == 0) {
        return ep_arena_printf(c->a,
                               "It is already in the process before the "
                               "import: the interpreter (%s) loads it, and the "
                               "loader gives every later module that copy",
                               c->in->executable_real ? c->in->executable_real
                                                      : c->in->executable);
    }
    return ep_arena_printf(c->a,
                           "It is this system's libstdc++ (%s): the module "
                           "was built with a newer GCC than this system has",
                           how);
}

static void
cxx_fix(ep_ctx *c, ep_analysis *an, ep_finding_slot *fs,
        const ep_loader_facts *lf, const char *version)
{
    const char *how = lf->cxx_how ? lf->cxx_how : "";
    const char *lib = lf->cxx_path ? lf->cxx_path : LIBSTDCXX;
    /* conda-forge's libstdcxx-ng is versioned like the GCC it comes from. */
    const char *gcc = gcc_release(version);
    const char *conda = gcc ? ep_arena_printf(c->a, "'libstdcxx-ng>=%.*s'",
                                              (int)strcspn(gcc, "."), gcc)
                            : "libstdcxx-ng";
    if (strcmp(how, "rpath") == 0 || strcmp(how, "runpath") == 0) {
        ep_finding_fix(c->r, fs,
                       "Upgrade the package whose copy this is, or remove the "
                       "vendored %s so the system's is used (a wheel repaired "
                       "by auditwheel gives its copy a unique SONAME and "
                       "never collides)",
                       lib);
    } else if (strcmp(how, "ld_library_path") == 0) {
        ep_finding_fix(c->r, fs,
                       "Take the directory of %s out of LD_LIBRARY_PATH, or "
                       "update the libstdc++ there (conda: conda install -c "
                       "conda-forge %s)",
                       lib, conda);
    } else if (c->in->prefix != NULL && ep_path_within(lib, c->in->prefix)) {
        ep_finding_fix(c->r, fs,
                       "Update the environment's libstdc++ (conda: conda "
                       "install -c conda-forge %s)",
                       conda);
    }
    ep_finding_fix(c->r, fs,
                   "As a stopgap, preload a libstdc++.so.6 that defines %s: "
                   "LD_PRELOAD=/path/to/newer/libstdc++.so.6 (ldconfig -p | "
                   "grep libstdc++ lists the system's)",
                   version);
    ep_finding_fix(c->r, fs,
                   "Or install a build made with an older toolchain (a "
                   "manylinux wheel: its image's GCC links what is newer "
                   "statically and needs no more than the base system's "
                   "libstdc++ -- GCC 4.8's for manylinux2014, GCC 8's for "
                   "manylinux_2_28), or rebuild it here: %s",
                   ep_fix_rebuild(c, an));
}

/* The process will use a libstdc++ that lacks versions the tree needs. */
static ep_status
too_old(ep_ctx *c, ep_analysis *an, const ep_loader_facts *lf)
{
    const ep_loader_missing_ver *v = NULL;
    for (size_t i = 0; i < lf->nvers && v == NULL; i++) {
        if (ep_version_is_cxx(lf->vers[i].version)) {
            v = &lf->vers[i];
        }
    }
    if (v == NULL) {
        return EP_OK;
    }
    const char *lib = v->path ? v->path : v->library;
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_CXX_ABI,
        "%s needs %s%s, but the libstdc++ this process uses, %s, is older "
        "(newest: %s)",
        v->needed_by ? ep_basename(v->needed_by) : ep_basename(an->ext_path),
        v->version, gcc_note(c, v->version), lib,
        v->newest ? v->newest : "an older version");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_detail_missing_versions(c, fs, an, lf, true);
    if (lf->cxx_path != NULL && v->path != NULL &&
        strcmp(lf->cxx_path, v->path) == 0) {
        ep_finding_detail(c->r, fs, "%s", how_found(c, lf));
    }
    ep_finding_detail(c->r, fs,
                      "Python reports: ImportError: %s: version `%s' "
                      "not found (required by %s)",
                      lib, v->version,
                      v->needed_by ? v->needed_by : an->ext_path);
    ep_finding_path(c->r, fs, an->ext_path);
    ep_finding_path(c->r, fs, v->path);
    cxx_fix(c, an, fs, lf, v->version);
    return EP_OK;
}

/* The newest version of v's family an object defines, and whether it
 * defines v itself. */
static bool
defines(const ep_version_def *defs, size_t ndefs, const char *v,
        const char **newest)
{
    bool found = false;
    size_t fam = ep_version_family_len(v);
    for (size_t i = 0; i < ndefs; i++) {
        const char *d = defs[i].name;
        if (defs[i].base || d == NULL) {
            continue;
        }
        if (strcmp(d, v) == 0) {
            found = true;
        }
        if (fam > 0 && ep_version_family_len(d) == fam &&
            strncmp(d, v, fam) == 0 &&
            (*newest == NULL || ep_version_compare(d, *newest) > 0)) {
            *newest = d;
        }
    }
    return found;
}

/* One older copy: its path, the first version it lacks, its newest. */
typedef struct older_copy {
    const char *path;
    const char *missing;
    const char *newest;
    dev_t dev; /* its identity: a copy reached by two names counts once */
    ino_t ino;
} older_copy;

/* Whether the file at path is a libstdc++.so.6 (by SONAME, the name the
 * loader matches loaded objects by) other than the tree's and the nfound
 * already in out[], lacking one of the needed versions; fills out[nfound]. */
static bool
older_than_needed(ep_ctx *c, const char *path, const struct stat *tree,
                  const ep_version_need *needs, size_t nneeds, older_copy *out,
                  size_t nfound)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
        (tree != NULL && st.st_dev == tree->st_dev &&
         st.st_ino == tree->st_ino)) {
        return false;
    }
    for (size_t i = 0; i < nfound; i++) {
        if (out[i].dev == st.st_dev && out[i].ino == st.st_ino) {
            return false;
        }
    }
    out += nfound;
    out->dev = st.st_dev;
    out->ino = st.st_ino;
    ep_object *obj = NULL;
    if (ep_object_open(path, &obj, NULL) != EP_OK) {
        return false;
    }
    const ep_elf_info *in = ep_object_elf(obj);
    const ep_version_def *defs = NULL;
    size_t ndefs = 0;
    bool older = false;
    if (in != NULL && in->soname != NULL &&
        strcmp(in->soname, LIBSTDCXX) == 0 &&
        ep_object_version_defs(obj, &defs, &ndefs, NULL) == EP_OK) {
        for (size_t i = 0; i < nneeds && !older; i++) {
            const char *newest = NULL;
            if (needs[i].weak || strcmp(needs[i].file, LIBSTDCXX) != 0 ||
                defines(defs, ndefs, needs[i].version, &newest)) {
                continue;
            }
            older = true;
            out->path = ep_arena_strdup(c->a, path);
            out->missing = needs[i].version;
            out->newest = newest ? ep_arena_strdup(c->a, newest) : NULL;
        }
    }
    ep_object_close(obj);
    return older && out->path != NULL;
}

/* Names scan_entry looks at: "<name>.libs" in an entry, "libstdc++*.so*"
 * in such a directory. */
static bool
libs_dir(const char *name, const void *unused)
{
    (void)unused;
    size_t len = strlen(name);
    return len > 5 && strcmp(name + len - 5, ".libs") == 0;
}

static bool
libstdcxx_file(const char *name, const void *unused)
{
    (void)unused;
    return strncmp(name, "libstdc++", 9) == 0 && strstr(name, ".so") != NULL;
}

/* The libstdc++.so.6 copies in the "<name>.libs" directories of one
 * sys.path entry -- where wheels keep the libraries they ship -- that lack
 * a version the module needs. */
static void
scan_entry(ep_ctx *c, const char *entry, const struct stat *tree,
           const ep_version_need *needs, size_t nneeds, older_copy *out,
           size_t *nout)
{
    size_t n = *nout;
    ep_dirlist dirs;
    ep_error err;
    if (ep_fs_list_matching(c->a, entry, libs_dir, NULL, &dirs, &err) !=
        EP_OK) {
        return;
    }
    for (size_t i = 0; i < dirs.count && n < MAX_OLDER; i++) {
        const char *libs = ep_path_join(c->a, entry, dirs.names[i]);
        ep_dirlist files;
        if (libs == NULL || ep_fs_list_matching(c->a, libs, libstdcxx_file,
                                                NULL, &files, &err) != EP_OK) {
            continue;
        }
        for (size_t k = 0; k < files.count && n < MAX_OLDER; k++) {
            const char *p = ep_path_join(c->a, libs, files.names[k]);
            if (p != NULL &&
                older_than_needed(c, p, tree, needs, nneeds, out, n)) {
                n++;
            }
        }
    }
    *nout = n;
}

/* The module finds a new enough libstdc++, but an older copy on sys.path
 * would serve it if its package is imported first. */
static ep_status
import_order(ep_ctx *c, ep_analysis *an, const ep_loader_facts *lf)
{
    const ep_version_need *needs = NULL;
    size_t nneeds = 0;
    if (ep_object_version_needs(an->ext, &needs, &nneeds, NULL) != EP_OK) {
        return EP_OK;
    }
    bool wants = false;
    for (size_t i = 0; i < nneeds && !wants; i++) {
        wants = !needs[i].weak && strcmp(needs[i].file, LIBSTDCXX) == 0;
    }
    if (!wants) {
        return EP_OK;
    }
    struct stat tree_st;
    const struct stat *tree = NULL;
    if (lf->cxx_path != NULL && stat(lf->cxx_path, &tree_st) == 0) {
        tree = &tree_st;
    }
    older_copy older[MAX_OLDER];
    size_t n = 0;
    for (size_t i = 0; i < c->in->npath && n < MAX_OLDER; i++) {
        const char *abs = c->in->path[i].abs;
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) {
            dup = c->in->path[j].abs != NULL &&
                  strcmp(c->in->path[j].abs, abs ? abs : "") == 0;
        }
        if (abs != NULL && abs[0] != '\0' && !dup) {
            scan_entry(c, abs, tree, needs, nneeds, older, &n);
        }
    }
    if (n == 0) {
        return EP_OK;
    }
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_CXX_ABI,
        "%s needs %s%s, which %s on sys.path lacks: imported after a "
        "module that loads that copy, it fails",
        ep_basename(an->ext_path), older[0].missing,
        gcc_note(c, older[0].missing), older[0].path);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_severity(fs, EP_SEVERITY_WARNING);
    ep_finding_path(c->r, fs, an->ext_path);
    if (lf->cxx_path != NULL) {
        ep_finding_detail(c->r, fs,
                          "On its own, %s gets %s (%s), which has every "
                          "version it needs: imported first, or alone, it "
                          "works",
                          an->ext_path, lf->cxx_path,
                          lf->cxx_how ? lf->cxx_how : "found");
    }
    for (size_t i = 0; i < n; i++) {
        const ep_dist *owner = ep_dists_owner_of_file(&c->dists, older[i].path);
        ep_finding_detail(c->r, fs,
                          "%s%s has SONAME libstdc++.so.6 and defines up to "
                          "%s, not %s",
                          older[i].path,
                          owner ? ep_arena_printf(c->a, " (shipped by %s %s)",
                                                  owner->name, owner->version)
                                : "",
                          older[i].newest ? older[i].newest
                                          : "an older version",
                          older[i].missing);
        ep_finding_path(c->r, fs, older[i].path);
    }
    ep_finding_detail(c->r, fs,
                      "The loader gives a library that is already loaded to "
                      "every later module that needs its SONAME (glibc "
                      "elf/dl-load.c _dl_map_object matches loaded objects "
                      "by name and SONAME before searching), so whichever "
                      "copy is loaded first serves all");
    ep_finding_detail(c->r, fs,
                      "Python then reports (naming that copy by the path it "
                      "was loaded by): ImportError: %s: version `%s' not "
                      "found (required by %s)",
                      older[0].path, older[0].missing, an->ext_path);
    ep_finding_fix(c->r, fs,
                   "Import %s before the module that loads %s: the newer "
                   "libstdc++ is then loaded first and serves both "
                   "(libstdc++ keeps every older version)",
                   an->name, older[0].path);
    ep_finding_fix(c->r, fs,
                   "Or preload the newer one for the whole process: "
                   "LD_PRELOAD=%s",
                   lf->cxx_path ? lf->cxx_path : "/path/to/libstdc++.so.6");
    ep_finding_fix(c->r, fs,
                   "For good: upgrade the package that ships the old copy, "
                   "or have it repair its wheel with auditwheel, which "
                   "renames a vendored library to a unique SONAME");
    return EP_OK;
}

ep_status
ep_check_cxx_abi(ep_ctx *c, ep_analysis *an, const ep_loader_facts *lf)
{
    if (an->ext == NULL || an->elf_bad || lf == NULL || !lf->available) {
        return EP_OK;
    }
    size_t before = an->nslots;
    ep_status st = too_old(c, an, lf);
    if (st != EP_OK || an->nslots != before) {
        return st;
    }
    return import_order(c, an, lf);
}

/* The real import failed with the loader's text for a libstdc++ version
 * (trial_rules.c) where the static checks saw nothing. */
ep_status
ep_check_cxx_abi_from_trial(ep_ctx *c, ep_analysis *an, const ep_trial_error *e)
{
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_CXX_ABI, "importing %s fails: %s", an->name, e->line);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_trial_details(c, fs, e, true);
    ep_finding_fix(c->r, fs,
                   "Make the process use a libstdc++ that defines %s (the "
                   "library named in the error is older), or install a "
                   "build made with an older toolchain, or rebuild here: %s",
                   e->subject ? e->subject : "that version",
                   ep_fix_rebuild(c, an));
    if (e->file != NULL) {
        ep_finding_path(c->r, fs, e->file);
    }
    return EP_OK;
}
