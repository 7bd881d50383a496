/*
 * The checks that turn facts into findings: one check_<slug>.c per finding
 * code, each making its findings whole (summary, detail, fix), and the
 * trial's rules (trial_rules.c) that say which code a real import's
 * failure is. Per-code data is in findings.def. The orchestrator
 * (lib/explain/explain.c) gathers the facts -- interpreter, finder walk,
 * dist-info, ELF objects, the trial -- and calls them; rank.c orders the
 * result. Private to lib/.
 */
#ifndef EXTPROBE_CHECKS_H
#define EXTPROBE_CHECKS_H

#include "findings/findings.h"
#include "importer/importer.h"
#include "report/report.h"

/* The build system a fix should be written for, and what it was told. */
typedef enum ep_build_kind {
    EP_BUILD_UNKNOWN = 0,
    EP_BUILD_SETUPTOOLS,
    EP_BUILD_MATURIN,
    EP_BUILD_MESON_PYTHON,
    EP_BUILD_SCIKIT_BUILD,
    EP_BUILD_OTHER
} ep_build_kind;

typedef struct ep_buildsys {
    ep_build_kind kind;
    const char *name;           /* "maturin", "setuptools", ... */
    const char *evidence;       /* "WHEEL Generator: maturin (1.9.0)" */
    const char *project_dir;    /* directory with pyproject.toml/setup.py */
    const char *module_name;    /* maturin [tool.maturin] module-name */
    const char *python_source;  /* maturin python-source */
    const char *cargo_lib_name; /* Cargo.toml [lib] name */
    bool cython;                /* .pyx sources seen */
    bool rust;                  /* Cargo.toml, or rustc in .comment */
    bool pybind11;              /* pybind11 symbols in the object */
} ep_buildsys;

/* One analysed module name: the walk and what it points at. */
typedef struct ep_analysis {
    const char *name;     /* dotted name */
    ep_find find;         /* the finder walk (candidates owned) */
    const ep_dist *dist;  /* distribution owning the top-level name */
    const char *ext_path; /* the extension file the import loads */
    ep_object *ext;       /* ext_path opened; NULL when none */
    ep_buildsys build;
    ep_finding_slot **slots; /* the findings this analysis added */
    size_t nslots, slots_cap;
    bool cause;          /* explains a failure the trial saw inside
                            the package: its findings get EP_MARK_CAUSE */
    bool elf_bad;        /* not loadable ELF: skip symbol checks */
    bool deps_checked;   /* the loader emulation ran on ext */
    ep_provenance *prov; /* ext's build provenance, read once
                            (ep_analysis_provenance) */
    bool prov_read;
    const char *stale_unit; /* ep_stale_unit_source's answer, once */
    size_t stale_unit_more;
    bool stale_unit_done;
} ep_analysis;

/* Module names analysed in one report: the subject, and the modules the
 * trial's failures point to. Each analysis walks sys.path and may open a
 * file and run the loader emulation; more would be noise. A name beyond
 * the limit is not analysed, and a report note says so. */
#define EP_MAX_ANALYSES 8

/* The longest finding summary, in bytes with its NUL: it is one line, the
 * report's headline. A longer one is cut there, and a note says so. */
#define EP_SUMMARY_MAX 2048

typedef struct ep_ctx {
    ep_report *r;
    const ep_interp *in;
    ep_arena *a; /* the report's arena */
    ep_editables ed;
    ep_dists dists;
    ep_object *interp_exe; /* executable_real; NULL if unreadable */
    ep_object *libpython;  /* when the executable needs libpython */
    const char **exports;  /* Python C-API names the interpreter
                              exports, sorted; NULL until loaded */
    size_t nexports;
    bool exports_loaded;
    ep_analysis *an[EP_MAX_ANALYSES];
    size_t nan;
    const ep_explain_options *opt; /* how the user starts Python (trials) */
    ep_error *err;
} ep_ctx;

/* ---- facts shared by the checks (facts.c) -------------------------------- */

/* Append a fix text made elsewhere (NULL when its allocation failed). */
static inline void
ep_check_fix(ep_ctx *c, ep_finding_slot *f, const char *text)
{
    if (text != NULL) {
        ep_finding_fix(c->r, f, "%s", text);
    }
}

/* Load the interpreter's exported Python symbols (executable, libpython). */
ep_status ep_ctx_load_exports(ep_ctx *c);
/* Does the interpreter export this symbol? (true when unknown) */
bool ep_ctx_exports(const ep_ctx *c, const char *sym);

/* The analysis of a name, created and walked (static facts only). */
ep_status ep_analysis_new(ep_ctx *c, const char *name, bool cause,
                          ep_analysis **out);
void ep_analysis_free(ep_analysis *an);

/* Add a finding tied to an analysis (marks rank tier, adds `name` paths). */
ep_finding_slot *ep_check_add(ep_ctx *c, ep_analysis *an, ep_finding_code code,
                              const char *fmt, ...) EP_PRINTF(4, 5);
/* The finding of this code the analysis already has, or NULL. */
ep_finding_slot *ep_check_find(ep_ctx *c, const ep_analysis *an,
                               ep_finding_code code);
/* The finding of the analysis that is about `about` (findings.def) with
 * the lowest place, other than code `except` (0: none), or NULL. */
ep_finding_slot *ep_check_find_about(ep_ctx *c, const ep_analysis *an,
                                     ep_finding_about about,
                                     ep_finding_code except);
/* Any finding at all from this analysis with error severity? */
bool ep_check_any_error(const ep_ctx *c, const ep_analysis *an);

/* A dotted name of identifiers (bytes >= 0x80 allowed: PEP 3131 names). */
bool ep_module_name_valid(const char *name);

/* The last step of the walk (the module itself). */
const ep_find_step *ep_analysis_target(const ep_analysis *an);
/* First candidate of the target component with this kind and (optional)
 * alternative flag; SIZE_MAX when none. alt: 0 no, 1 yes, -1 either. */
size_t ep_analysis_cand(const ep_analysis *an, ep_cand_kind kind, int alt);

/* Human description of a search directory: "sys.path[0] (cwd)". */
const char *ep_where(ep_ctx *c, const ep_search_dir *sd);

/* The interpreter's EXTENSION_SUFFIXES, comma-separated, in the arena. */
const char *ep_suffix_list(ep_ctx *c);

/* ---- build provenance (provenance.c) --------------------------------------
 */

/* What the debug info of a compiled file says about its build, as one
 * detail line of fs: "Built against the Python 3.12 headers
 * (/usr/include/python3.12, PY_VERSION 3.12.1) by gcc 12.2.0". obj may be
 * NULL (path is then opened). Adds nothing when there is no debug info or
 * it names no Python headers. */
ep_status ep_provenance_detail(ep_ctx *c, ep_finding_slot *fs, const char *path,
                               const ep_object *obj);

/* The build provenance of an->ext, read on first use and kept with the
 * analysis, so the checks that need it share one read (and one helper
 * start). *out is NULL when the analysis has no open extension. */
ep_status ep_analysis_provenance(ep_ctx *c, ep_analysis *an,
                                 const ep_provenance_info **out);

/* stale_units.c: a source file named in the DWARF of the extension `used`
 * (the module the import loads, an->ext) that changed after it was built
 * (by EP_NEWER_MIN_NS): only regular files outside /usr, sys.prefix,
 * sys.base_prefix and the Python headers. *src NULL when none (or no debug
 * info); *more counts further such sources. Reads the provenance: call it
 * only for a module not installed from a wheel. Asked once per analysis. */
ep_status ep_stale_unit_source(ep_ctx *c, ep_analysis *an, const ep_cand *used,
                               const char **src, size_t *more);
/* The detail line that says so. */
void ep_stale_unit_detail(ep_ctx *c, ep_finding_slot *fs, const ep_cand *used,
                          const char *src, size_t more);

/* ---- build systems and fixes (buildsys.c) -------------------------------- */

void ep_buildsys_detect(ep_ctx *c, ep_analysis *an, const char *hint_dir);
/* The command that rebuilds/reinstalls the module for this interpreter. */
const char *ep_fix_rebuild(ep_ctx *c, const ep_analysis *an);

/* stdlib_missing.c: when top is a standard-library module this interpreter
 * lacks (split off by the distribution, not built, or removed), add the
 * detail and the fix to fs and return true. */
bool ep_stdlib_missing(ep_ctx *c, ep_finding_slot *fs, const char *top);
/* The command that (re)installs the distribution for this interpreter. */
const char *ep_fix_reinstall(ep_ctx *c, const ep_analysis *an);

/* ---- the loader emulation, used in one place (loader_facts.c) ------------ */

typedef struct ep_loader_missing_lib {
    const char *name; /* "libfoo.so.1" */
    const char *needed_by;
    const char *tried;   /* every place looked, one per line */
    const char *refused; /* found, but ld.so refuses it: why; else NULL */
    const char *path;    /* the refused file */
} ep_loader_missing_lib;

typedef struct ep_loader_missing_ver {
    const char *library; /* "libc.so.6" */
    const char *path;    /* where it was found */
    const char *version; /* "GLIBC_2.38" */
    const char *needed_by;
    const char *newest; /* newest version of that family it defines */
} ep_loader_missing_ver;

typedef struct ep_loader_missing_sym {
    const char *name;
    const char *version;
    const char *needed_by;
} ep_loader_missing_sym;

typedef struct ep_loader_facts {
    bool available; /* false: no loader emulation in this build */
    ep_loader_missing_lib *libs;
    size_t nlibs;
    ep_loader_missing_ver *vers;
    size_t nvers;
    ep_loader_missing_sym *syms;
    size_t nsyms;
    const char *note; /* why it could not run, or NULL */
    /* The libstdc++.so.6 of the tree (cxx-abi): the file, the rule that
     * found it ("rpath", "loaded", ...) and the object whose tag or
     * DT_NEEDED led there; NULL path when the tree has none. */
    const char *cxx_path;
    const char *cxx_how;
    const char *cxx_from;
} ep_loader_facts;

/* Resolve the needed-library tree of path as the interpreter's loader would
 * and report what is missing. Strings in the context's arena. */
ep_status ep_loader_facts_get(ep_ctx *c, const char *path,
                              ep_loader_facts *out);

/* ---- the trial's rules (trial_rules.c) ----------------------------------- */

/* One exception a real import raised (the trial's own, one a package
 * caught, or a direct import's), as the rules classified it. */
typedef struct ep_trial_error {
    ep_trial_outcome outcome; /* RAISED, TIMEOUT or DIED */
    const char *exc_type;     /* "ImportError", ...; NULL when unknown */
    const char *message;      /* never NULL */
    const char *line;         /* its first line */
    const char *file;         /* the module's file, else the error's; or NULL */
    const char *traceback;    /* NULL for a caught failure */
    const char *subject;      /* what the text names: library, symbol,
                                 version, module; or NULL */
    bool self_enoent;         /* the loader calls the module file itself
                                 missing (a wrong e_machine) */
} ep_trial_error;

/* A real import of an->name raised: the exception confirms a static
 * finding of the analysis, or the check of its code (or import-error)
 * adds a finding. EP_OK or EP_ERR_NOMEM. */
ep_status ep_trial_rule_raised(ep_ctx *c, ep_analysis *an,
                               ep_trial_outcome outcome, const char *exc_type,
                               const char *message, const char *file,
                               const char *traceback);
/* The real import of main succeeded: its static findings that say the
 * import fails are contradicted, and become warnings (or, for a module
 * with no file, module-not-found's built-in wording). */
void ep_trial_rule_imported(ep_ctx *c, ep_analysis *main);
/* The real import of main failed: when no finding is an error yet, the
 * failure itself becomes one (import-error), so that the exit status can
 * never say 0 for an import that fails. */
ep_status ep_trial_rule_failed(ep_ctx *c, ep_analysis *main);
/* The failure, of those the trial saw on the way, that caused the import
 * of main_name to fail, or NULL: the exception itself tells. */
const ep_trial_failure *ep_trial_cause(const ep_trial *t,
                                       const char *main_name);

/* How much a failure the package caught matters. */
typedef enum ep_failure_weight {
    EP_FAILURE_IGNORE,   /* not a compiled module: an optional dependency */
    EP_FAILURE_OPTIONAL, /* a compiled module nothing here says should exist */
    EP_FAILURE_BROKEN    /* a compiled module that exists, or should */
} ep_failure_weight;

/* How much the caught failure f, inside the package of analysis main,
 * matters; an is the analysis of the module that failed. */
ep_failure_weight ep_trial_weigh_failure(ep_ctx *c, const ep_analysis *main,
                                         const ep_trial_failure *f,
                                         const ep_analysis *an);
/* Anything that says a compiled module of this name is meant to exist: a
 * compiled file of any tag, a build source beside it, a RECORD entry. An
 * attribute the package left None is looked into (a direct import) only
 * then. */
bool ep_trial_compiled_evidence(ep_ctx *c, const ep_analysis *an);
/* A source of the module (.pyx, .c, .cpp, .rs) next to where it should be:
 * the project meant to build it there. */
bool ep_analysis_has_build_source(ep_ctx *c, const ep_analysis *an);

/* The lines every finding made from a trial's exception carries: the
 * exception and its traceback, and (unpredicted) that the static checks
 * did not foresee it. */
void ep_trial_details(ep_ctx *c, ep_finding_slot *fs, const ep_trial_error *e,
                      bool unpredicted);

/* The finding `code` for a real import that failed with the loader's text
 * for it where the static checks saw nothing: the exception as summary and
 * evidence, a rebuild for this interpreter as the fix. The codes whose
 * trial finding says nothing more call this from their own check file. */
ep_status ep_trial_rebuild_finding(ep_ctx *c, ep_analysis *an,
                                   ep_finding_code code,
                                   const ep_trial_error *e);

/* ---- the checks ---------------------------------------------------------- */

/* Where the import goes (lib/findings/check_*.c). Each returns EP_OK or
 * EP_ERR_NOMEM; a check that does not apply adds nothing. */
ep_status ep_check_unreadable(ep_ctx *c, ep_analysis *an);
ep_status ep_check_shadowed_by_source(ep_ctx *c, ep_analysis *an);
ep_status ep_check_namespace_package(ep_ctx *c, ep_analysis *an);
ep_status ep_check_editable_without_build(ep_ctx *c, ep_analysis *an);
ep_status ep_check_extension_not_installed(ep_ctx *c, ep_analysis *an);
ep_status ep_check_abi_tag_mismatch(ep_ctx *c, ep_analysis *an);
/* The file's own name (an->ext_path) carries another interpreter's tag. */
ep_status ep_check_abi_tag_mismatch_file(ep_ctx *c, ep_analysis *an);
ep_status ep_check_module_not_found(ep_ctx *c, ep_analysis *an);
/* Nothing on sys.path has it, another interpreter of this machine does. */
ep_status ep_check_installed_elsewhere(ep_ctx *c, ep_analysis *an);
/* The package itself imports, but another sys.path entry's copy of it has
 * compiled modules this copy lacks (run once per explain, after the trial). */
ep_status ep_check_package_shadowing(ep_ctx *c, ep_analysis *an);

/* The compiled file itself (an->ext). */
ep_status ep_check_not_an_extension(ep_ctx *c, ep_analysis *an);
ep_status ep_check_wrong_architecture(ep_ctx *c, ep_analysis *an);
ep_status ep_check_missing_init_function(ep_ctx *c, ep_analysis *an);
ep_status ep_check_limited_api_violation(ep_ctx *c, ep_analysis *an);
ep_status ep_check_libc_mismatch(ep_ctx *c, ep_analysis *an);
/* The C library of the process an interpreter executable starts: "musl"
 * or "glibc" from its PT_INTERP (the loader), else from a DT_NEEDED C
 * library of exe or libpython (may be NULL); NULL when neither tells.
 * *evidence: one line naming the file and the entry, in a. */
const char *ep_process_libc(const ep_object *exe, const ep_object *libpython,
                            const char **evidence, ep_arena *a);
ep_status ep_check_executable_stack(ep_ctx *c, ep_analysis *an);
ep_status ep_check_static_tls(ep_ctx *c, ep_analysis *an);
ep_status ep_check_links_libpython(ep_ctx *c, ep_analysis *an);
ep_status ep_check_undefined_symbol(ep_ctx *c, ep_analysis *an,
                                    const ep_loader_facts *lf);
ep_status ep_check_missing_dependency(ep_ctx *c, ep_analysis *an,
                                      const ep_loader_facts *lf);
ep_status ep_check_glibc_too_new(ep_ctx *c, ep_analysis *an,
                                 const ep_loader_facts *lf);
/* cxx-abi: GLIBCXX_/CXXABI_ needs the process's libstdc++ lacks, or an
 * older libstdc++.so.6 another module may load first (check_cxx_abi.c). */
ep_status ep_check_cxx_abi(ep_ctx *c, ep_analysis *an,
                           const ep_loader_facts *lf);
/* A version of libstdc++'s families (GLIBCXX_, CXXABI_, CXXABI_TM_...):
 * cxx-abi's, not glibc-too-new's. */
bool ep_version_is_cxx(const char *version);
/* The missing versions of lf of one family (libstdc++'s when cxx, else all
 * others) as detail lines of fs: the first few, then how many more. */
void ep_detail_missing_versions(ep_ctx *c, ep_finding_slot *fs,
                                const ep_analysis *an,
                                const ep_loader_facts *lf, bool cxx);

/* From the trial. The package `outer` imported, but a failure inside it
 * was caught (inner: its cause analysis, or NULL); optional: nothing says
 * the failed module should exist, so it is a warning. */
ep_status ep_check_swallowed_import_error(ep_ctx *c, ep_analysis *outer,
                                          const ep_trial_failure *f,
                                          ep_analysis *inner, bool optional);
/* The real import raised and the rules found no more specific code. */
ep_status ep_check_import_error(ep_ctx *c, ep_analysis *an,
                                const ep_trial_error *e);
/* The real import raised with the loader's or importer's text for this
 * code, and no static finding of the analysis had predicted it. */
ep_status ep_check_module_not_found_from_trial(ep_ctx *c, ep_analysis *an,
                                               const ep_trial_error *e);
ep_status ep_check_missing_dependency_from_trial(ep_ctx *c, ep_analysis *an,
                                                 const ep_trial_error *e);
ep_status ep_check_glibc_too_new_from_trial(ep_ctx *c, ep_analysis *an,
                                            const ep_trial_error *e);
ep_status ep_check_cxx_abi_from_trial(ep_ctx *c, ep_analysis *an,
                                      const ep_trial_error *e);
ep_status ep_check_missing_init_function_from_trial(ep_ctx *c, ep_analysis *an,
                                                    const ep_trial_error *e);
ep_status ep_check_undefined_symbol_from_trial(ep_ctx *c, ep_analysis *an,
                                               const ep_trial_error *e);
ep_status ep_check_wrong_architecture_from_trial(ep_ctx *c, ep_analysis *an,
                                                 const ep_trial_error *e);
ep_status ep_check_not_an_extension_from_trial(ep_ctx *c, ep_analysis *an,
                                               const ep_trial_error *e);
ep_status ep_check_unreadable_from_trial(ep_ctx *c, ep_analysis *an,
                                         const ep_trial_error *e);
/* The real import succeeded without a file: the module-not-found finding
 * fs is about a built-in or frozen module, said as information. */
void ep_module_not_found_is_builtin(ep_ctx *c, ep_analysis *an,
                                    ep_finding_slot *fs);

/* Run every static check of an analysis, in order (checks.c). */
ep_status ep_checks_static(ep_ctx *c, ep_analysis *an);
/* Only the checks of the compiled file an->ext, its name first
 * (ep_probe_file()). */
ep_status ep_checks_file(ep_ctx *c, ep_analysis *an);

#endif
