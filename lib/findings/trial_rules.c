/*
 * The trial's rules: how what a real import did becomes findings. An
 * exception is classified by its exact text -- CPython passes dlerror()
 * text through unchanged ("<file>: undefined symbol: X") and raises its own
 * texts for a missing PyInit_ and a missing module; these are the strings
 * glibc's ld.so and Python/importdl.c print. When a static finding already
 * names that failure, the real text confirms it; otherwise the real error
 * is authoritative and the check of its code words the finding
 * (ep_check_<slug>_from_trial). A successful import contradicts the static
 * findings that say the import fails. Which caught failure is a cause, and
 * how much it matters, is decided here too; the engine only runs them.
 */
#include "findings/checks.h"

#include <string.h>

static const char *
after(const char *msg, const char *marker)
{
    const char *p = strstr(msg, marker);
    return p ? p + strlen(marker) : NULL;
}

/* The word that follows a marker, up to a delimiter. */
static const char *
word_after(ep_arena *a, const char *msg, const char *marker, const char *stop)
{
    const char *p = after(msg, marker);
    if (p == NULL) {
        return NULL;
    }
    size_t n = strcspn(p, stop);
    return n ? ep_arena_strndup(a, p, n) : NULL;
}

/* The finding code a loader or import error message points to, and its
 * subject (library, symbol, version), or 0 when it says nothing specific.
 * self_enoent: "cannot open shared object file" about the file itself (the
 * loader's misleading text for a wrong e_machine). */
static ep_finding_code
classify(ep_arena *a, const char *exc_type, const char *message,
         const char *file, const char **subject, bool *self_enoent)
{
    const char *msg = message ? message : "";
    *subject = NULL;
    *self_enoent = false;
    if ((exc_type && strcmp(exc_type, "ModuleNotFoundError") == 0) ||
        strncmp(msg, "No module named", 15) == 0) {
        *subject = word_after(a, msg, "No module named '", "'");
        return EP_FINDING_MODULE_NOT_FOUND;
    }
    /* Python/importdl.c (3.x) and the 2.7 wording. */
    if (strstr(msg, "does not define module export function") != NULL ||
        strstr(msg, "does not define init function") != NULL) {
        *subject = word_after(a, msg, "(", ")");
        return EP_FINDING_MISSING_INIT_FUNCTION;
    }
    /* glibc: "undefined symbol: X" (and "X, version V"); musl and bionic
     * word it "symbol not found" / "cannot locate symbol". */
    if (strstr(msg, "undefined symbol: ") != NULL) {
        *subject = word_after(a, msg, "undefined symbol: ", ", \n");
        return EP_FINDING_UNDEFINED_SYMBOL;
    }
    if (strstr(msg, "symbol not found") != NULL ||
        strstr(msg, "cannot locate symbol") != NULL) {
        *subject = word_after(a, msg, "cannot locate symbol \"", "\"");
        return EP_FINDING_UNDEFINED_SYMBOL;
    }
    /* "version `GLIBC_2.99' not found (required by ...)" (quote styles
     * differ between glibc releases). */
    if (strstr(msg, "version `") != NULL || strstr(msg, "version '") != NULL) {
        if (strstr(msg, "' not found") != NULL) {
            const char *v = word_after(a, msg, "version `", "'");
            *subject = v ? v : word_after(a, msg, "version '", "'");
            return ep_version_is_cxx(*subject) ? EP_FINDING_CXX_ABI
                                               : EP_FINDING_GLIBC_TOO_NEW;
        }
    }
    if (strstr(msg, "wrong ELF class") != NULL) {
        return EP_FINDING_WRONG_ARCHITECTURE;
    }
    /* glibc's own words (elf/dl-load.c, elf/dl-tls.c; 2.41 for the stack). */
    if (strstr(msg, "cannot allocate memory in static TLS block") != NULL) {
        return EP_FINDING_STATIC_TLS;
    }
    if (strstr(msg, "cannot enable executable stack") != NULL) {
        return EP_FINDING_EXECUTABLE_STACK;
    }
    if (strstr(msg, "invalid ELF header") != NULL ||
        strstr(msg, "file too short") != NULL ||
        strstr(msg, "ELF load command") != NULL ||
        strstr(msg, "only ET_DYN and ET_EXEC can be loaded") != NULL ||
        strstr(msg, "ELF file's phentsize not the expected size") != NULL) {
        return EP_FINDING_NOT_AN_EXTENSION;
    }
    /* "<file>: cannot open shared object file: Permission denied" is the
     * loader's EACCES, for the module itself or a library. */
    if (strstr(msg, "Permission denied") != NULL) {
        return EP_FINDING_UNREADABLE;
    }
    const char *enoent = strstr(msg, ": cannot open shared object file");
    if (enoent != NULL) {
        const char *lib = ep_arena_strndup(a, msg, (size_t)(enoent - msg));
        *subject = lib;
        /* The loader names the extension itself when its e_machine is
         * wrong (glibc reports ENOENT for an object it cannot use). */
        if (lib != NULL && file != NULL && strcmp(lib, file) == 0) {
            *self_enoent = true;
            return (ep_finding_code)0;
        }
        return EP_FINDING_MISSING_DEPENDENCY;
    }
    return EP_FINDING_IMPORT_ERROR;
}

/* The first line of a message. */
static const char *
first_line(ep_ctx *c, const char *msg)
{
    size_t n = strcspn(msg, "\n");
    const char *line = ep_arena_strndup(c->a, msg, n);
    return line ? line : "";
}

static bool
is_self_or_ancestor(const char *subject, const char *name)
{
    size_t n = strlen(subject);
    return strncmp(name, subject, n) == 0 &&
           (name[n] == '\0' || name[n] == '.');
}

void
ep_trial_details(ep_ctx *c, ep_finding_slot *fs, const ep_trial_error *e,
                 bool unpredicted)
{
    ep_finding_detail(c->r, fs, "A real import in a child process: %s: %s",
                      e->exc_type ? e->exc_type : "?", e->message);
    if (e->traceback != NULL && e->traceback[0] != '\0') {
        ep_finding_detail(c->r, fs, "%s", e->traceback);
    }
    if (unpredicted) {
        ep_finding_detail(c->r, fs,
                          "The static checks did not predict this "
                          "failure; the real import is authoritative");
    }
}

ep_status
ep_trial_rebuild_finding(ep_ctx *c, ep_analysis *an, ep_finding_code code,
                         const ep_trial_error *e)
{
    ep_finding_slot *fs =
        ep_check_add(c, an, code, "importing %s fails: %s", an->name, e->line);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_trial_details(c, fs, e, true);
    ep_finding_fix(c->r, fs, "Rebuild the module for this interpreter: %s",
                   ep_fix_rebuild(c, an));
    if (e->file != NULL) {
        ep_finding_path(c->r, fs, e->file);
    }
    return EP_OK;
}

ep_status
ep_trial_rule_raised(ep_ctx *c, ep_analysis *an, ep_trial_outcome outcome,
                     const char *exc_type, const char *message,
                     const char *file, const char *traceback)
{
    ep_trial_error e = {0};
    e.outcome = outcome;
    e.exc_type = exc_type;
    e.message = message ? message : "";
    e.file = an->ext_path ? an->ext_path : file;
    e.traceback = traceback;
    ep_finding_code code =
        classify(c->a, exc_type, e.message, e.file, &e.subject, &e.self_enoent);
    ep_finding_slot *fs = NULL;
    if (outcome == EP_TRIAL_DIED) {
        /* Mapping a damaged or foreign object can kill the process (SIGBUS
         * on a truncated file): the static finding is the explanation. */
        fs = ep_check_find(c, an, EP_FINDING_NOT_AN_EXTENSION);
        fs = fs ? fs : ep_check_find(c, an, EP_FINDING_WRONG_ARCHITECTURE);
    }
    if (fs != NULL) {
        code = EP_FINDING_IMPORT_ERROR;
    } else if (e.self_enoent) {
        fs = ep_check_find(c, an, EP_FINDING_WRONG_ARCHITECTURE);
        fs = fs ? fs : ep_check_find(c, an, EP_FINDING_NOT_AN_EXTENSION);
        code = EP_FINDING_IMPORT_ERROR;
    } else if (code == EP_FINDING_MODULE_NOT_FOUND && e.subject != NULL &&
               !is_self_or_ancestor(e.subject, an->name)) {
        /* Another module, imported by this one's initialisation. */
        code = EP_FINDING_IMPORT_ERROR;
    } else if (code == EP_FINDING_MODULE_NOT_FOUND) {
        /* "No module named": the most specific finding about where the
         * import goes is what the real import ran into. */
        fs = ep_check_find_about(c, an, EP_ABOUT_LOCATION, 0);
    } else if (code != EP_FINDING_IMPORT_ERROR) {
        fs = ep_check_find(c, an, code);
    }
    if (fs == NULL && (code == EP_FINDING_NOT_AN_EXTENSION ||
                       code == EP_FINDING_MISSING_DEPENDENCY ||
                       code == EP_FINDING_UNDEFINED_SYMBOL ||
                       code == EP_FINDING_GLIBC_TOO_NEW)) {
        /* A musl module under glibc fails on its C library: glibc's
         * libc.so linker script ("invalid ELF header"), a missing
         * libc.musl-*.so.1, or musl-only symbols. */
        fs = ep_check_find(c, an, EP_FINDING_LIBC_MISMATCH);
    }
    if (fs != NULL) {
        ep_finding_detail(c->r, fs,
                          "Confirmed by a real import in a child process: "
                          "%s: %s",
                          exc_type ? exc_type : "?", e.message);
        /* The import really failed and this finding is why: whatever
         * severity the static facts gave it (a namespace package is legal
         * on its own), it is now an error -- never exit 0 on a failure. */
        ep_finding_severity(fs, EP_SEVERITY_ERROR);
        return EP_OK;
    }
    e.line = first_line(c, e.message);
    switch (code) {
    case EP_FINDING_MODULE_NOT_FOUND:
        return ep_check_module_not_found_from_trial(c, an, &e);
    case EP_FINDING_MISSING_DEPENDENCY:
        return ep_check_missing_dependency_from_trial(c, an, &e);
    case EP_FINDING_GLIBC_TOO_NEW:
        return ep_check_glibc_too_new_from_trial(c, an, &e);
    case EP_FINDING_CXX_ABI:
        return ep_check_cxx_abi_from_trial(c, an, &e);
    case EP_FINDING_MISSING_INIT_FUNCTION:
        return ep_check_missing_init_function_from_trial(c, an, &e);
    case EP_FINDING_UNDEFINED_SYMBOL:
        return ep_check_undefined_symbol_from_trial(c, an, &e);
    case EP_FINDING_WRONG_ARCHITECTURE:
        return ep_check_wrong_architecture_from_trial(c, an, &e);
    case EP_FINDING_NOT_AN_EXTENSION:
        return ep_check_not_an_extension_from_trial(c, an, &e);
    case EP_FINDING_UNREADABLE:
        return ep_check_unreadable_from_trial(c, an, &e);
    default:
        return ep_check_import_error(c, an, &e);
    }
}

void
ep_trial_rule_imported(ep_ctx *c, ep_analysis *main)
{
    const ep_trial *t = c->r->trial;
    for (size_t i = 0; i < main->nslots; i++) {
        ep_finding_slot *f = main->slots[i];
        const ep_finding_info *fi = ep_finding_info_of(f->pub.code);
        if (fi == NULL || !fi->stops_import ||
            f->pub.severity != EP_SEVERITY_ERROR) {
            continue;
        }
        /* Imported without a file: a built-in or frozen module, which
         * BuiltinImporter/FrozenImporter serve before any sys.path entry
         * (the facts do not list sys.builtin_module_names). */
        if (f->pub.code == EP_FINDING_MODULE_NOT_FOUND && t->file == NULL &&
            t->module_path.count == 0) {
            ep_module_not_found_is_builtin(c, main, f);
            continue;
        }
        ep_finding_severity(f, EP_SEVERITY_WARNING);
        ep_finding_detail(c->r, f,
                          "The real import of %s in a child process "
                          "succeeded (%s), so this did not stop it there; "
                          "kept as a warning",
                          main->name, t->file ? t->file : "no __file__");
    }
}

static bool
has_ext_suffix(const ep_interp *in, const char *path)
{
    const char *base = path ? ep_basename(path) : NULL;
    const char *dot = base ? strchr(base, '.') : NULL;
    return dot != NULL && ep_interp_has_ext_suffix(in, dot);
}

static bool
within_package(const char *name, const char *module)
{
    size_t top = strcspn(module, ".");
    return strncmp(name, module, top) == 0 && name[top] == '.';
}

/* The names projects give compiled modules (_fraiseql_rs, _rust_backend_native,
 * _speedups, _cext, _foo_c, ...). Without a file, a RECORD entry or a source
 * to show it, a name is the only hint that a missing module is compiled;
 * a plain name (_version, compat) is a pure-Python module the package may
 * do without, and setuptools_scm's guarded `from ._version import version`
 * must not fail the gate. */
static bool
named_like_compiled(const char *last)
{
    static const char *const parts[] = {"native", "rust",   "cext", "speedup",
                                        "accel",  "cython", "pyo3", "binding"};
    static const char *const ends[] = {"_rs", "_c", "_cpp", "_ext"};
    for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
        if (strstr(last, parts[i]) != NULL) {
            return true;
        }
    }
    size_t n = strlen(last);
    for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
        size_t k = strlen(ends[i]);
        if (n >= k && strcmp(last + n - k, ends[i]) == 0) {
            return true;
        }
    }
    return strcmp(last, "_core") == 0 || strcmp(last, "_ext") == 0;
}

/* Is a caught failure the failure of a compiled module (rather than an
 * optional pure-Python dependency the package may do without), and is
 * there evidence the module is meant to be here? */
ep_failure_weight
ep_trial_weigh_failure(ep_ctx *c, const ep_analysis *main,
                       const ep_trial_failure *f, const ep_analysis *an)
{
    if (f->stage == EP_TRIAL_STAGE_EXT) {
        return EP_FAILURE_BROKEN;
    }
    if (has_ext_suffix(c->in, f->path)) {
        /* "cannot import name 'x' from 'pkg._ext' (...so)" */
        return EP_FAILURE_BROKEN;
    }
    const ep_find *fd = &an->find;
    const ep_find_step *t = ep_analysis_target(an);
    if (fd->found && t != NULL && t->kind == EP_SPEC_EXTENSION) {
        return EP_FAILURE_BROKEN;
    }
    const char *last =
        fd->ncomp ? fd->steps[fd->ncomp - 1].component : an->name;
    if (ep_analysis_cand(an, EP_CAND_EXTENSION, -1) != SIZE_MAX ||
        ep_analysis_cand(an, EP_CAND_FOREIGN, -1) != SIZE_MAX ||
        ep_dists_compiled_named(&c->dists, last, NULL) != NULL ||
        ep_analysis_has_build_source(c, an)) {
        return EP_FAILURE_BROKEN;
    }
    /* A missing module of the package itself: its compiled part -- unless
     * "pkg.x" is the implicit-relative attempt Cython's generated code
     * makes for `import x` (it tries the package-relative name first and
     * falls back to the absolute one, which exists). */
    if (!within_package(an->name, main->name) || fd->found) {
        return EP_FAILURE_IGNORE;
    }
    const char *tail = strrchr(an->name, '.');
    ep_find top;
    ep_error err;
    bool absolute_exists = false;
    if (tail != NULL &&
        ep_find_module(c->a, c->in, &c->ed, tail + 1, &top, &err) == EP_OK) {
        absolute_exists = top.found;
        ep_find_release(&top);
    }
    if (absolute_exists || !named_like_compiled(last)) {
        return EP_FAILURE_IGNORE;
    }
    /* Installed from a wheel whose RECORD lacks it: extension-not-installed
     * has the evidence. Otherwise (a distro package split in parts, an
     * optional plug-in) nothing says it should exist. */
    return an->dist != NULL && an->dist->has_wheel ? EP_FAILURE_BROKEN
                                                   : EP_FAILURE_OPTIONAL;
}

/* A source of the module next to where it should be: the project meant to
 * build it there (Cython, C, Rust). */
bool
ep_analysis_has_build_source(ep_ctx *c, const ep_analysis *an)
{
    static const char *const srcs[] = {".pyx", ".c", ".cpp", ".rs"};
    const ep_find *f = &an->find;
    size_t k = f->fail_step;
    if (f->found || k == 0 || k >= f->nsteps || f->steps[k - 1].dir == NULL) {
        return false;
    }
    for (size_t i = 0; i < sizeof(srcs) / sizeof(*srcs); i++) {
        const char *p = ep_arena_printf(c->a, "%s/%s%s", f->steps[k - 1].dir,
                                        f->steps[k].component, srcs[i]);
        if (p != NULL && ep_fs_isfile(p)) {
            return true;
        }
    }
    return false;
}

bool
ep_trial_compiled_evidence(ep_ctx *c, const ep_analysis *an)
{
    return ep_analysis_cand(an, EP_CAND_EXTENSION, -1) != SIZE_MAX ||
           ep_analysis_cand(an, EP_CAND_FOREIGN, -1) != SIZE_MAX ||
           ep_analysis_has_build_source(c, an) ||
           (an->find.ncomp > 0 &&
            ep_dists_compiled_named(
                &c->dists, an->find.steps[an->find.ncomp - 1].component,
                NULL) != NULL);
}

const ep_trial_failure *
ep_trial_cause(const ep_trial *t, const char *main_name)
{
    /* The innermost extension that failed to load is the cause when the
     * exception travelled up through the package's own imports. */
    const ep_trial_failure *cause = NULL;
    for (size_t i = 0; i < t->nfailures && cause == NULL; i++) {
        const ep_trial_failure *f = &t->failures[i];
        if (f->stage == EP_TRIAL_STAGE_EXT && f->name) {
            cause = f;
        }
    }
    /* Else the module itself or a submodule of it that was not found at
     * all: `from . import _ext` (in the package's __init__, or run by
     * `import pkg._ext` itself) then surfaces as "cannot import name
     * '_ext'", which hides the real failure (recorded first, where it
     * happened). */
    size_t mlen = strlen(main_name);
    for (size_t i = 0; i < t->nfailures && cause == NULL; i++) {
        const ep_trial_failure *f = &t->failures[i];
        if (f->stage == EP_TRIAL_STAGE_IMPORT && f->exc_type != NULL &&
            strcmp(f->exc_type, "ModuleNotFoundError") == 0 && f->name &&
            ep_module_name_valid(f->name) &&
            strncmp(f->name, main_name, mlen) == 0 &&
            (f->name[mlen] == '.' || f->name[mlen] == '\0')) {
            cause = f;
        }
    }
    return cause;
}

ep_status
ep_trial_rule_failed(ep_ctx *c, ep_analysis *main)
{
    const ep_trial *t = c->r->trial;
    if (t == NULL || t->outcome == EP_TRIAL_IMPORTED ||
        ep_report_has_errors(c->r)) {
        return EP_OK;
    }
    /* No rule above made an error of it, yet the import failed: the
     * contract's exit status follows the errors, so the failure itself is
     * one (import-error, with the real exception). */
    ep_trial_error e = {0};
    e.outcome = t->outcome;
    e.exc_type = t->exc_type;
    e.message = t->message ? t->message : "";
    e.line = first_line(c, e.message);
    e.file = main->ext_path ? main->ext_path : t->exc_path;
    e.traceback = t->traceback;
    return ep_check_import_error(c, main, &e);
}
