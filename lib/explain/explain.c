/*
 * The explain engine: ep_explain() and ep_probe_file(). It gathers the
 * facts in a fixed order -- the interpreter (a child process, or the
 * shim's own records), the static finder walk, dist-info, the ELF file and
 * the loader emulation, then a real import in a child process -- hands
 * them to the checks of lib/findings/ (and what the import did to the
 * trial's rules there, findings/trial_rules.c), and ranks the result. It
 * decides no finding itself: it chooses which module names to analyse and
 * in what order. Nothing is ever imported into this process. A broken
 * module is a successful diagnosis; only a probe that cannot run returns
 * an error.
 */
#include "findings/checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ep_explain_options_init(ep_explain_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->python = "python3";
    opt->workdir = NULL;
    opt->start = EP_START_MODE_C;
    opt->script = NULL;
    opt->import_trial = true;
    opt->timeout = 60.0;
    opt->facts = NULL;
    opt->facts_len = 0;
}

static ep_status
get_interp(const ep_explain_options *o, ep_interp **out, ep_error *err)
{
    if (o->facts != NULL) {
        ep_status st =
            ep_interp_from_records(o->python, o->facts, o->facts_len, out, err);
        /* Facts that cannot be read mean the probe has no interpreter. */
        if (st != EP_OK && st != EP_ERR_NOMEM) {
            st = EP_ERR_INTERP;
            if (err != NULL) {
                err->status = st;
            }
        }
        return st;
    }
    return ep_interp_query(o->python, o->workdir, o->start, o->script,
                           o->timeout, out, err);
}

static void
ctx_release(ep_ctx *c)
{
    for (size_t i = 0; i < c->nan; i++) {
        ep_analysis_free(c->an[i]);
    }
    c->nan = 0;
    ep_object_close(c->interp_exe);
    ep_object_close(c->libpython);
    free(c->dists.items);
    c->interp_exe = c->libpython = NULL;
    c->dists.items = NULL;
}

/* What the probe could not model, said once in the report's notes. */
static void
model_notes(ep_ctx *c)
{
    for (size_t i = 0; i < c->ed.count; i++) {
        const ep_editable *e = &c->ed.items[i];
        if (e->problem != NULL) {
            ep_report_note(c->r,
                           "the %s editable finder %s could not be "
                           "modelled: %s",
                           ep_editable_kind_str(e->kind), e->file, e->problem);
        }
        if (e->kind != EP_EDITABLE_SETUPTOOLS) {
            ep_report_note(c->r,
                           "the %s editable finder %s rebuilds on import; "
                           "the static walk sees the build directory as it is "
                           "now (the trial import runs the rebuild)",
                           ep_editable_kind_str(e->kind), e->file);
        }
        if (e->meta_index < 0) {
            ep_report_note(c->r,
                           "%s is installed by %s but is not on "
                           "sys.meta_path: did its import line fail?",
                           e->file, e->pth);
        }
    }
    for (size_t i = 0; i < c->ed.unmodelled.count; i++) {
        ep_report_note(c->r,
                       "sys.meta_path holds %s, which the static walk "
                       "does not model (the trial import includes it)",
                       c->ed.unmodelled.items[i]);
    }
    for (size_t i = 0; i < c->dists.egg_info.count; i++) {
        const char *p = c->dists.egg_info.items[i];
        size_t n = strlen(p);
        if (n > 9 && strcmp(p + n - 9, ".egg-link") == 0) {
            ep_report_note(c->r,
                           "legacy develop install %s: seen only through "
                           "the path entry its .pth adds",
                           p);
        }
    }
}

static ep_status
ctx_init(ep_ctx *c, ep_report *r, ep_interp *in, const ep_explain_options *opt,
         ep_error *err)
{
    memset(c, 0, sizeof(*c));
    c->opt = opt;
    c->r = r;
    c->in = in;
    c->a = &r->arena;
    c->err = err;
    ep_status st = ep_editables_load(c->a, in, &c->ed, err);
    if (st == EP_OK) {
        st = ep_dists_load(c->a, in, &c->dists, err);
    }
    if (st == EP_OK) {
        st = ep_ctx_load_exports(c);
    }
    if (st == EP_OK) {
        model_notes(c);
    }
    return st;
}

/* Copy an analysis' candidates into the report (prefixed with the name
 * for analyses other than the main one). */
static ep_status
report_candidates(ep_ctx *c, const ep_analysis *an, bool main)
{
    const ep_find *f = &an->find;
    for (size_t i = 0; i < f->ncands; i++) {
        const ep_cand *cd = &f->cands[i];
        bool dup = false;
        for (size_t k = 0; !main && k < c->r->ncandidates && !dup; k++) {
            dup = strcmp(c->r->candidates[k].path, cd->path) == 0;
        }
        if (dup) {
            continue; /* a parent package the main walk already listed */
        }
        bool ok = main ? ep_report_add_candidate(
                             c->r, cd->path, ep_cand_status_str(cd->status),
                             "%s: %s", f->steps[cd->step].name, cd->detail)
                       : ep_report_add_candidate(
                             c->r, cd->path, ep_cand_status_str(cd->status),
                             "%s (for %s): %s", f->steps[cd->step].name,
                             an->name, cd->detail);
        if (!ok) {
            return ep_fail_nomem(c->err);
        }
    }
    if (f->cands_truncated) {
        ep_report_note(c->r, "%s: more than %d candidates; the list is cut",
                       an->name, EP_FIND_MAX_CANDIDATES);
    }
    for (size_t i = 0; i < f->notes.count; i++) {
        ep_report_note(c->r, "%s", f->notes.items[i]);
    }
    return EP_OK;
}

static void
set_resolved(ep_ctx *c, const ep_analysis *an)
{
    const ep_find_step *t = ep_analysis_target(an);
    if (!an->find.found || t == NULL) {
        ep_report_set_resolved(c->r, NULL, NULL);
        return;
    }
    const char *path = t->origin;
    if (t->kind == EP_SPEC_PACKAGE || t->kind == EP_SPEC_NAMESPACE) {
        path = t->kind == EP_SPEC_PACKAGE ? t->dir
               : t->path.count            ? t->path.items[0]
                                          : NULL;
    }
    ep_report_set_resolved(c->r, path, ep_spec_kind_str(t->kind));
}

static ep_status
analyze(ep_ctx *c, const char *name, bool cause, ep_analysis **out)
{
    ep_status st = ep_analysis_new(c, name, cause, out);
    if (st == EP_OK && *out != NULL) {
        st = ep_checks_static(c, *out);
    }
    if (st == EP_OK && *out != NULL) {
        st = report_candidates(c, *out, !cause);
    }
    return st;
}

/* ---- the trial ------------------------------------------------------------
 */

static bool
has_ext_suffix(const ep_interp *in, const char *path)
{
    const char *base = path ? ep_basename(path) : NULL;
    const char *dot = base ? strchr(base, '.') : NULL;
    return dot != NULL && ep_interp_has_ext_suffix(in, dot);
}

/* The module a recorded failure is about: the spec's name for a failed
 * extension load, ImportError.name otherwise ("pkg:_ext" means `from pkg
 * import _ext`). */
static const char *
failure_name(ep_ctx *c, const ep_trial_failure *f)
{
    if (f->stage == EP_TRIAL_STAGE_EXT && f->name) {
        return f->name;
    }
    if (f->exc_name != NULL && f->exc_name[0] != '\0') {
        return f->exc_name;
    }
    if (f->name == NULL) {
        return NULL;
    }
    const char *colon = strchr(f->name, ':');
    if (colon == NULL) {
        return f->name;
    }
    /* `from pkg import _ext`: the first imported name, if a submodule. */
    size_t n = strcspn(colon + 1, ",");
    return ep_arena_printf(c->a, "%.*s.%.*s", (int)(colon - f->name), f->name,
                           (int)n, colon + 1);
}

/* Remove the last analysis (it was looked at and is not needed). */
static void
drop_last(ep_ctx *c)
{
    if (c->nan > 0) {
        ep_analysis_free(c->an[--c->nan]);
    }
}

/* Failures caught inside a package that get a finding and a cause
 * analysis: the first few are the story, each costs an analysis (and
 * maybe a child process). Beyond them a note counts what was left. */
#define MAX_SWALLOWED 3
/* None attributes looked into (each costs up to four static lookups and a
 * trial): a package may set thousands of names to None (issue 9). */
#define MAX_NONE_ATTRS 64

/* The real import succeeded: the static findings it contradicts are the
 * trial's rules' business; where it loaded the module from is the report's
 * resolved path. */
static void
trust_success(ep_ctx *c, ep_analysis *main)
{
    const ep_trial *t = c->r->trial;
    ep_trial_rule_imported(c, main);
    const ep_find_step *s = ep_analysis_target(main);
    const char *static_file = main->find.found && s ? s->origin : NULL;
    if (t->file != NULL && static_file != NULL &&
        strcmp(t->file, static_file) != 0) {
        ep_report_note(c->r,
                       "the static walk resolved %s to %s, the real "
                       "import loaded %s (trusting the import)",
                       main->name, static_file, t->file);
        ep_report_set_resolved(
            c->r, t->file,
            has_ext_suffix(c->in, t->file) ? "extension" : c->r->resolved_kind);
    }
}

/* Import `name` on its own in a child process; a failure is copied into
 * *out and its outcome into *how (strings in the report's arena). The
 * package's own except clause is not in the way there: the exception
 * reaches the top. */
static ep_status
direct_trial(ep_ctx *c, const char *name, ep_trial_failure *out,
             ep_trial_outcome *how, bool *failed)
{
    ep_error terr;
    const ep_explain_options *o = c->opt;
    ep_trial *t = NULL;
    *failed = false;
    const char *py = c->in->executable && c->in->executable[0]
                         ? c->in->executable
                         : o->python;
    ep_status st = ep_trial_run(py, name, o->workdir, o->start, o->script,
                                o->timeout, &t, &terr);
    if (st == EP_OK && t->outcome != EP_TRIAL_IMPORTED) {
        *failed = true;
        *how = t->outcome;
        memset(out, 0, sizeof(*out));
        out->stage = EP_TRIAL_STAGE_DIRECT;
        out->exc_type = ep_arena_strdup(c->a, t->exc_type);
        out->message = ep_arena_strdup(c->a, t->message);
        out->name = ep_arena_strdup(c->a, name);
        out->exc_name = ep_arena_strdup(c->a, t->exc_name);
        out->path = ep_arena_strdup(c->a, t->exc_path);
        out->importer = NULL;
    }
    ep_trial_free(t);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(c->err);
    }
    return EP_OK;
}

/* The modules a None attribute "pkg.attr" may stand for: the usual
 * `from . import _ext` / `import _ext as ext` fallbacks. */
static size_t
none_candidates(ep_ctx *c, const char *attr_path, const char **out, size_t cap)
{
    const char *dot = strrchr(attr_path, '.');
    size_t n = 0;
    if (dot == NULL || cap < 4) {
        return 0;
    }
    const char *attr = dot + 1;
    int plen = (int)(dot - attr_path);
    out[n++] = attr_path;
    if (attr[0] != '_') {
        out[n++] = ep_arena_printf(c->a, "%.*s._%s", plen, attr_path, attr);
        out[n++] = ep_arena_printf(c->a, "_%s", attr);
    }
    out[n++] = attr;
    return n;
}

/* Attributes the package left None whose module fails to import on its own:
 * the failure the package caught before the trial's hooks could see it
 * (`from . import _ext` fails inside importlib's _handle_fromlist, which
 * swallows ModuleNotFoundError and lets IMPORT_FROM raise ImportError). */
static ep_status
none_attr_trials(ep_ctx *c, ep_analysis *main, ep_strvec *seen,
                 size_t *reported)
{
    const ep_trial *t = c->r->trial;
    size_t total = t->none_attrs_total > t->none_attrs.count
                       ? t->none_attrs_total
                       : t->none_attrs.count;
    if (total > MAX_NONE_ATTRS) {
        ep_report_note(c->r,
                       "the package sets %zu attributes to None; only the "
                       "first %d (names starting with _ first) were looked "
                       "into for a failed import they stand for",
                       total, MAX_NONE_ATTRS);
    }
    size_t i = 0;
    for (; i < t->none_attrs.count && i < MAX_NONE_ATTRS &&
           *reported < MAX_SWALLOWED;
         i++) {
        const char *names[4];
        size_t n = none_candidates(c, t->none_attrs.items[i], names, 4);
        /* An attribute whose module already has its finding is explained. */
        bool explained = false;
        for (size_t k = 0; k < n && !explained; k++) {
            explained = names[k] != NULL && ep_strvec_contains(seen, names[k]);
        }
        for (size_t k = 0; k < n && !explained; k++) {
            const char *name = names[k];
            if (name == NULL || !ep_module_name_valid(name) ||
                strcmp(name, main->name) == 0 ||
                ep_strvec_contains(seen, name)) {
                continue;
            }
            ep_analysis *an = NULL;
            ep_status st = ep_analysis_new(c, name, true, &an);
            if (st != EP_OK) {
                return st;
            }
            if (an == NULL) {
                return EP_OK;
            }
            bool evidence = ep_trial_compiled_evidence(c, an);
            ep_trial_failure f;
            ep_trial_outcome how = EP_TRIAL_RAISED;
            bool failed = false;
            if (evidence) {
                st = direct_trial(c, name, &f, &how, &failed);
            }
            if (st != EP_OK) {
                return st;
            }
            if (!failed) {
                drop_last(c);
                continue;
            }
            if (!ep_strvec_push(c->a, seen, name)) {
                return ep_fail_nomem(c->err);
            }
            (*reported)++;
            st = ep_check_swallowed_import_error(c, main, &f, an, false);
            if (st == EP_OK) {
                st = ep_checks_static(c, an);
            }
            if (st == EP_OK) {
                st = report_candidates(c, an, false);
            }
            if (st == EP_OK) {
                st = ep_trial_rule_raised(c, an, how, f.exc_type, f.message,
                                          f.path, NULL);
            }
            if (st != EP_OK) {
                return st;
            }
            break;
        }
    }
    size_t left = 0;
    for (; i < t->none_attrs.count && i < MAX_NONE_ATTRS; i++) {
        const char *names[4];
        size_t n = none_candidates(c, t->none_attrs.items[i], names, 4);
        bool explained = false;
        for (size_t k = 0; k < n && !explained; k++) {
            explained = names[k] != NULL && ep_strvec_contains(seen, names[k]);
        }
        left += !explained;
    }
    if (left > 0) {
        ep_report_note(c->r,
                       "%zu attributes %s left None were not looked into: at "
                       "most %d caught import failures are",
                       left, main->name, MAX_SWALLOWED);
    }
    return EP_OK;
}

static ep_status
trial_ok(ep_ctx *c, ep_analysis *main)
{
    const ep_trial *t = c->r->trial;
    ep_strvec seen = {0};
    size_t reported = 0;
    size_t i = 0;
    for (; i < t->nfailures && reported < MAX_SWALLOWED; i++) {
        const ep_trial_failure *f = &t->failures[i];
        const char *name = failure_name(c, f);
        /* One exception is recorded at every level it passes (the loader,
         * then each import statement): report it once, by its text. */
        const char *key =
            ep_arena_printf(c->a, "%s: %s", f->exc_type ? f->exc_type : "",
                            f->message ? f->message : "");
        if (name == NULL || key == NULL || strcmp(name, main->name) == 0 ||
            ep_strvec_contains(&seen, name) || ep_strvec_contains(&seen, key) ||
            !ep_strvec_push(c->a, &seen, name) ||
            !ep_strvec_push(c->a, &seen, key)) {
            continue;
        }
        ep_analysis *an = NULL;
        ep_status st = ep_module_name_valid(name)
                           ? ep_analysis_new(c, name, true, &an)
                           : EP_OK;
        if (st != EP_OK) {
            return st;
        }
        if (an == NULL && ep_module_name_valid(name)) {
            continue; /* over EP_MAX_ANALYSES: its note says so */
        }
        ep_failure_weight weight = an != NULL
                                       ? ep_trial_weigh_failure(c, main, f, an)
                                       : EP_FAILURE_IGNORE;
        if (weight == EP_FAILURE_OPTIONAL) {
            drop_last(c);
            reported++;
            st = ep_check_swallowed_import_error(c, main, f, NULL, true);
            if (st != EP_OK) {
                return st;
            }
            continue;
        }
        if (weight == EP_FAILURE_IGNORE) {
            if (an != NULL) {
                drop_last(c);
            }
            ep_report_note(c->r, "%s caught %s: %s (not a compiled module)",
                           f->importer ? f->importer : main->name,
                           f->exc_type ? f->exc_type : "ImportError",
                           f->message ? f->message : "");
            continue;
        }
        reported++;
        st = ep_check_swallowed_import_error(c, main, f, an, false);
        if (st == EP_OK) {
            st = ep_checks_static(c, an);
        }
        if (st == EP_OK) {
            st = report_candidates(c, an, false);
        }
        if (st == EP_OK) {
            st = ep_trial_rule_raised(c, an, EP_TRIAL_RAISED, f->exc_type,
                                      f->message, f->path, NULL);
        }
        if (st != EP_OK) {
            return st;
        }
    }
    size_t left = 0;
    for (; i < t->nfailures; i++) {
        const char *name = failure_name(c, &t->failures[i]);
        left += name != NULL && strcmp(name, main->name) != 0 &&
                !ep_strvec_contains(&seen, name);
    }
    if (left > 0) {
        ep_report_note(c->r,
                       "%zu more import failures caught inside %s were not "
                       "looked into: at most %d are",
                       left, main->name, MAX_SWALLOWED);
    }
    ep_status st = none_attr_trials(c, main, &seen, &reported);
    if (st != EP_OK) {
        return st;
    }
    trust_success(c, main);
    return EP_OK;
}

static bool
is_ancestor_or_self(const char *name, const char *module)
{
    size_t n = strlen(name);
    return strncmp(module, name, n) == 0 &&
           (module[n] == '\0' || module[n] == '.');
}

static ep_status
trial_failed(ep_ctx *c, ep_analysis *main)
{
    const ep_trial *t = c->r->trial;
    const char *exc = t->exc_type, *msg = t->message, *path = t->exc_path;
    /* Only an ImportError's name is a module (an AttributeError's is the
     * attribute: "partially initialized module 'yaml' has no attribute
     * 'safe_load'" names safe_load). */
    bool import_exc = exc != NULL && (strcmp(exc, "ModuleNotFoundError") == 0 ||
                                      strstr(exc, "ImportError") != NULL);
    const char *name = import_exc ? t->exc_name : NULL;
    ep_trial_outcome how = t->outcome;
    const ep_trial_failure *cause = ep_trial_cause(t, main->name);
    if (cause != NULL) {
        how = EP_TRIAL_RAISED; /* a failure on the way raised */
        name = cause->name;
        exc = cause->exc_type;
        msg = cause->message;
        path = cause->path;
    }
    /* The child died: the extension it was loading then is the one to
     * explain, as if its file had been named (a crash in a submodule's
     * init, a damaged file a .pth put first). */
    if (t->outcome == EP_TRIAL_DIED && t->dying_name != NULL &&
        ep_module_name_valid(t->dying_name)) {
        how = EP_TRIAL_DIED;
        name = t->dying_name;
        exc = t->exc_type;
        msg = t->message;
        path = t->dying_file;
    }
    if (name == NULL || !ep_module_name_valid(name) ||
        is_ancestor_or_self(name, main->name)) {
        return ep_trial_rule_raised(c, main, how, exc, msg, path, t->traceback);
    }
    ep_analysis *an = NULL;
    ep_status st = analyze(c, name, true, &an);
    if (st != EP_OK || an == NULL) {
        return st;
    }
    ep_report_note(c->r,
                   "importing %s fails because importing %s inside it "
                   "fails; that import is analysed too",
                   main->name, name);
    return ep_trial_rule_raised(c, an, how, exc, msg, path, t->traceback);
}

/* The trial: in the child that took the facts when it waits for it (one)
 * and was started by the very file a trial child would be, else in a child
 * of its own. */
static ep_status
run_trial(ep_ctx *c, const ep_explain_options *o, const char *module,
          const char *workdir, ep_start_mode start, const char *script,
          ep_onestart *one)
{
    ep_error terr;
    const char *py = c->in->executable && c->in->executable[0]
                         ? c->in->executable
                         : o->python;
    ep_status st = EP_OK;
    bool ran = false;
    if (one != NULL && strcmp(py, ep_onestart_exe(one)) == 0) {
        st = ep_onestart_trial(one, o->timeout, &c->r->trial, &ran, &terr);
    }
    ep_onestart_end(one);
    if (st == EP_OK && !ran) {
        st = ep_trial_run(py, module, workdir, start, script, o->timeout,
                          &c->r->trial, &terr);
    }
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(c->err);
    }
    if (st != EP_OK) {
        ep_report_note(c->r, "the trial import could not run: %s",
                       terr.message);
    }
    return EP_OK;
}

/* ---- public entry points ---------------------------------------------------
 */

ep_status
ep_explain(const char *module, const ep_explain_options *opt,
           ep_report **report, ep_error *err)
{
    ep_explain_options defaults;
    ep_ctx c;
    ep_interp *in = NULL;
    ep_onestart *one = NULL;
    if (report == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL report");
    }
    *report = NULL;
    if (!ep_module_name_valid(module)) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "%s: not a dotted module name",
                       module ? module : "(null)");
    }
    if (opt == NULL) {
        ep_explain_options_init(&defaults);
        opt = &defaults;
    }
    ep_report *r = ep_report_new(module);
    if (r == NULL) {
        return ep_fail_nomem(err);
    }
    /* With a trial to run, one child takes the facts and, unless it
     * declines, runs the trial after the static walk. */
    ep_status st = opt->facts == NULL && opt->import_trial
                       ? ep_onestart_begin(opt->python, opt->workdir,
                                           opt->start, opt->script, module,
                                           opt->timeout, &in, &one, err)
                       : get_interp(opt, &in, err);
    if (st != EP_OK) {
        ep_report_free(r);
        return st;
    }
    r->interp = in; /* owned by the report from here on */
    r->start_mode = ep_start_mode_arg(opt->start);
    /* BuiltinImporter comes first on sys.meta_path: a built-in module has
     * no file to find, check or load. */
    if (ep_strvec_contains(&in->builtin_modules, module)) {
        ep_report_set_resolved(r, NULL, NULL);
        r->resolved_kind = "builtin";
        r->importable = true;
        ep_report_note(r,
                       "%s is built into the interpreter "
                       "(sys.builtin_module_names): BuiltinImporter serves "
                       "it before any sys.path entry, so there is no file "
                       "to check",
                       module);
        ep_onestart_end(one);
        *report = r;
        return EP_OK;
    }
    st = ctx_init(&c, r, in, opt, err);
    ep_analysis *main = NULL;
    if (st == EP_OK) {
        st = analyze(&c, module, false, &main);
    }
    if (st == EP_OK && main != NULL) {
        set_resolved(&c, main);
        if (opt->import_trial) {
            st = run_trial(&c, opt, module, opt->workdir, opt->start,
                           opt->script, one);
            one = NULL;
        } else {
            ep_report_note(r, "the trial import is off: the verdict is the "
                              "static analysis alone");
        }
    }
    ep_onestart_end(one); /* the analysis failed before the trial */
    bool imported = r->trial && r->trial->outcome == EP_TRIAL_IMPORTED;
    if (st == EP_OK && main != NULL && r->trial != NULL) {
        st = imported ? trial_ok(&c, main) : trial_failed(&c, main);
    }
    if (st == EP_OK && main != NULL) {
        st = ep_check_package_shadowing(&c, main);
    }
    if (st == EP_OK && main != NULL && r->trial != NULL && !imported) {
        st = ep_trial_rule_failed(&c, main);
    }
    if (st == EP_OK && main != NULL) {
        r->importable = r->trial != NULL
                            ? imported
                            : main->find.found && !ep_check_any_error(&c, main);
    }
    if (st == EP_OK && c.dists.status != EP_OK) {
        st = ep_fail_nomem(err); /* a dist-info read lazily ran out */
    }
    ctx_release(&c);
    if (st != EP_OK) {
        ep_report_free(r);
        return st;
    }
    ep_report_rank(r);
    *report = r;
    return EP_OK;
}

ep_status
ep_probe_file(const char *path, const ep_explain_options *opt,
              ep_report **report, ep_error *err)
{
    ep_explain_options defaults;
    ep_ctx c;
    ep_interp *in = NULL;
    if (report == NULL || path == NULL || path[0] == '\0') {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *report = NULL;
    if (opt == NULL) {
        ep_explain_options_init(&defaults);
        opt = &defaults;
    }
    /* The name the file would be imported as: its stem (PEP 3149). */
    const char *base = ep_basename(path);
    size_t stem = strcspn(base, ".");
    char name[256];
    snprintf(name, sizeof(name), "%.*s", (int)stem, base);
    ep_report *r = ep_report_new(name);
    if (r == NULL) {
        return ep_fail_nomem(err);
    }
    r->subject_file = ep_arena_strdup(&r->arena, path);
    ep_status st = get_interp(opt, &in, err);
    if (st != EP_OK) {
        ep_report_free(r);
        return st;
    }
    r->interp = in;
    r->start_mode = ep_start_mode_arg(EP_START_MODE_C);
    st = ctx_init(&c, r, in, opt, err);
    ep_analysis *an = st == EP_OK ? calloc(1, sizeof(*an)) : NULL;
    if (st == EP_OK && an == NULL) {
        st = ep_fail_nomem(err);
    }
    if (st == EP_OK) {
        c.an[c.nan++] = an;
        an->name = r->module;
        an->ext_path = r->subject_file;
        an->find.ncomp = 1;
        an->find.steps[0].name = r->module;
        an->find.steps[0].component = r->module;
        an->dist = ep_dists_owner_of_file(&c.dists, path);
        st = ep_object_open(path, &an->ext, err);
    }
    if (st == EP_OK) {
        ep_buildsys_detect(&c, an, ep_path_dirname(c.a, path));
    }
    if (st == EP_OK) {
        st = ep_checks_file(&c, an);
    }
    if (st == EP_OK) {
        ep_report_set_resolved(r, path, "extension");
        if (opt->import_trial && ep_module_name_valid(r->module)) {
            /* Imported as its stem from its own directory: sys.path[0]. */
            st = run_trial(&c, opt, r->module, ep_path_dirname(c.a, path),
                           EP_START_MODE_C, NULL, NULL);
        }
    }
    bool imported = r->trial && r->trial->outcome == EP_TRIAL_IMPORTED;
    if (st == EP_OK && r->trial != NULL && !imported) {
        st = ep_trial_rule_raised(&c, an, r->trial->outcome, r->trial->exc_type,
                                  r->trial->message, path, r->trial->traceback);
    }
    if (st == EP_OK && r->trial != NULL && !imported) {
        st = ep_trial_rule_failed(&c, an);
    }
    if (st == EP_OK) {
        r->importable =
            r->trial != NULL ? imported : !ep_check_any_error(&c, an);
    }
    if (st == EP_OK && c.dists.status != EP_OK) {
        st = ep_fail_nomem(err); /* a dist-info read lazily ran out */
    }
    ctx_release(&c);
    if (st != EP_OK) {
        ep_report_free(r);
        return st;
    }
    ep_report_rank(r);
    *report = r;
    return EP_OK;
}
