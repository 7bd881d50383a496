/*
 * The load trial: a real `import module` in a child process of the target
 * interpreter (trial.py), never in ours. It yields the exact exception
 * CPython gives and every import failure a package caught on the way, as
 * an ep_trial record; what the record means is for lib/findings/ to say.
 */
#include "interp/trial.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

const char *
ep_trial_outcome_str(ep_trial_outcome outcome)
{
    switch (outcome) {
    case EP_TRIAL_NOT_RUN:
        return "not run";
    case EP_TRIAL_IMPORTED:
        return "ok";
    case EP_TRIAL_RAISED:
        return "error";
    case EP_TRIAL_TIMEOUT:
        return "Timeout";
    case EP_TRIAL_DIED:
        return "ProcessDied";
    }
    return "not run";
}

const char *
ep_trial_stage_str(ep_trial_stage stage)
{
    switch (stage) {
    case EP_TRIAL_STAGE_IMPORT:
        return "import_failed";
    case EP_TRIAL_STAGE_EXT:
        return "ext_failed";
    case EP_TRIAL_STAGE_DIRECT:
        return "direct_import";
    }
    return "import_failed";
}

static const char *
field(const ep_record *r, size_t i)
{
    return i < r->nfields ? r->field[i] : NULL;
}

static bool
is(const ep_record *r, const char *name)
{
    return r->nfields > 0 && r->field[0] != NULL &&
           strcmp(r->field[0], name) == 0;
}

static bool
add_failure(ep_trial *t, ep_trial_stage stage, const ep_record *rec)
{
    if (!ep_grow((void **)&t->failures, &t->failures_cap, t->nfailures + 1,
                 sizeof(*t->failures))) {
        return false;
    }
    ep_trial_failure *f = &t->failures[t->nfailures++];
    f->stage = stage;
    f->exc_type = field(rec, 1);
    f->message = field(rec, 2);
    f->name = field(rec, 3);
    f->exc_name = field(rec, 4);
    f->path = field(rec, 5);
    f->importer = field(rec, 6);
    return true;
}

static ep_status
apply_records(ep_trial *t, const ep_record *recs, size_t n, ep_error *err)
{
    ep_arena *a = &t->arena;
    bool ok = true;
    ep_strvec loading = {0}; /* name, file of each unfinished load */
    for (size_t i = 0; ok && i < n; i++) {
        const ep_record *rec = &recs[i];
        if (is(rec, "result")) {
            bool imported = field(rec, 1) && strcmp(field(rec, 1), "ok") == 0;
            t->outcome = imported ? EP_TRIAL_IMPORTED : EP_TRIAL_RAISED;
            if (!imported) {
                t->exc_type = field(rec, 2);
                t->message = field(rec, 3);
                t->exc_name = field(rec, 4);
                t->exc_path = field(rec, 5);
                t->traceback = field(rec, 6);
            }
        } else if (is(rec, "import_failed")) {
            ok = add_failure(t, EP_TRIAL_STAGE_IMPORT, rec);
        } else if (is(rec, "ext_failed")) {
            ok = add_failure(t, EP_TRIAL_STAGE_EXT, rec);
        } else if (is(rec, "file")) {
            t->file = field(rec, 1);
        } else if (is(rec, "module_path") && field(rec, 1)) {
            ok = ep_strvec_push(a, &t->module_path, field(rec, 1));
        } else if (is(rec, "loaded_ext") && field(rec, 2)) {
            const char *s =
                ep_arena_printf(a, "%s\t%s", field(rec, 1), field(rec, 2));
            ok = s != NULL && ep_strvec_push(a, &t->loaded_ext, s);
        } else if (is(rec, "none_attrs_total") && field(rec, 1)) {
            t->none_attrs_total = strtoul(field(rec, 1), NULL, 10);
        } else if (is(rec, "ext_loading") && field(rec, 1)) {
            /* A stack: an extension's init may load another one. */
            ok =
                ep_strvec_push(a, &loading, field(rec, 1)) &&
                ep_strvec_push(a, &loading, field(rec, 2) ? field(rec, 2) : "");
        } else if (is(rec, "ext_done") && field(rec, 1) && loading.count >= 2 &&
                   strcmp(field(rec, 1), loading.items[loading.count - 2]) ==
                       0) {
            loading.count -= 2;
        } else if (is(rec, "none_attr") && field(rec, 2)) {
            const char *s =
                ep_arena_printf(a, "%s.%s", field(rec, 1), field(rec, 2));
            ok = s != NULL && ep_strvec_push(a, &t->none_attrs, s);
        }
    }
    if (ok && loading.count >= 2) {
        t->dying_name = loading.items[loading.count - 2];
        t->dying_file = loading.items[loading.count - 1][0]
                            ? loading.items[loading.count - 1]
                            : NULL;
    }
    return ok ? EP_OK : ep_fail_nomem(err);
}

/* No exception from the child: it died inside the import (a crash in the
 * extension's init, a timeout, an exit() at import time). */
static void
ended_without_exception(ep_trial *t, const ep_child *child, double timeout)
{
    ep_arena *a = &t->arena;
    t->outcome = child->timed_out ? EP_TRIAL_TIMEOUT : EP_TRIAL_DIED;
    t->exc_type = ep_trial_outcome_str(t->outcome);
    const char *during =
        t->dying_name != NULL
            ? ep_arena_printf(a, "while loading the extension %s (%s)",
                              t->dying_name,
                              t->dying_file ? t->dying_file : "no file")
            : "during the import";
    t->message =
        child->timed_out
            ? ep_arena_printf(a, "the import did not finish within %.0f s",
                              timeout)
        : child->exit_code > 128
            ? ep_arena_printf(a, "the interpreter was killed by signal %d %s",
                              child->exit_code - 128, during)
            : ep_arena_printf(a, "the interpreter exited with status %d %s",
                              child->exit_code, during);
}

ep_status
ep_trial_run(const char *python, const char *module, const char *workdir,
             ep_start_mode start, const char *script, double timeout,
             ep_trial **out, ep_error *err)
{
    ep_child child;
    *out = NULL;
    const char *args[] = {module, "3", ep_start_mode_arg(start),
                          script ? script : ""};
    /* -B: the trial writes no __pycache__; what it leaves behind is only
     * what the imported code itself does (docs/design/children.md). */
    ep_status st = ep_run_python(python, "-B", ep_trial_py, args, 4, workdir,
                                 timeout, &child, err);
    if (st != EP_OK) {
        return st;
    }
    st = ep_trial_from_child(&child, timeout, out, err);
    ep_child_release(&child);
    return st;
}

ep_status
ep_trial_from_child(const ep_child *run, double timeout, ep_trial **out,
                    ep_error *err)
{
    const ep_child child = *run;
    ep_record *recs;
    size_t n;
    ep_status st;
    *out = NULL;
    ep_trial *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        return ep_fail_nomem(err);
    }
    ep_arena_init(&t->arena);
    t->timed_out = child.timed_out;
    t->exit_code = child.exit_code;
    if (child.output_len > 0) {
        t->output = ep_arena_strndup(&t->arena, child.output, child.output_len);
    }
    st = ep_records_parse(&t->arena, child.records ? child.records : "",
                          child.records_len, &recs, &n, err);
    if (st == EP_OK) {
        st = apply_records(t, recs, n, err);
    }
    if (st == EP_OK && t->outcome != EP_TRIAL_IMPORTED && t->exc_type == NULL) {
        ended_without_exception(t, &child, timeout);
    }
    if (st != EP_OK) {
        ep_trial_free(t);
        return st;
    }
    *out = t;
    return EP_OK;
}

void
ep_trial_free(ep_trial *t)
{
    if (t != NULL) {
        free(t->failures);
        ep_arena_release(&t->arena);
        free(t);
    }
}
