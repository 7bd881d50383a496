/*
 * The load trial: a real `import module` in a child process of the target
 * interpreter (trial.py), never in ours. It yields the exact exception
 * CPython gives and every import failure a package caught on the way.
 */
#include "report/report.h"
#include "util/error.h"
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

static const char *
field(const ep_record *r, size_t i)
{
    return i < r->nfields ? r->field[i] : NULL;
}

static bool
is(const ep_record *r, const char *name)
{
    return r->nfields > 0 && r->field[0] != NULL && strcmp(r->field[0], name) == 0;
}

static bool
add_failure(ep_trial *t, const ep_record *rec)
{
    if (t->nfailures == t->failures_cap) {
        size_t cap = t->failures_cap ? t->failures_cap * 2 : 8;
        ep_trial_failure *p = realloc(t->failures, cap * sizeof(*p));
        if (p == NULL) {
            return false;
        }
        t->failures = p;
        t->failures_cap = cap;
    }
    ep_trial_failure *f = &t->failures[t->nfailures++];
    f->kind = field(rec, 0);
    f->exc_type = field(rec, 1);
    f->message = field(rec, 2);
    f->name = field(rec, 3);
    f->exc_name = field(rec, 4);
    f->path = field(rec, 5);
    f->importer = field(rec, 6);
    return true;
}

static ep_status
apply_records(ep_report *r, const ep_record *recs, size_t n, ep_error *err)
{
    ep_trial *t = &r->trial;
    ep_arena *a = &r->arena;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const ep_record *rec = &recs[i];
        if (is(rec, "result")) {
            t->ok = field(rec, 1) && strcmp(field(rec, 1), "ok") == 0;
            if (!t->ok) {
                t->exc_type = field(rec, 2);
                t->message = field(rec, 3);
                t->exc_name = field(rec, 4);
                t->exc_path = field(rec, 5);
                t->traceback = field(rec, 6);
            }
        } else if (is(rec, "import_failed") || is(rec, "ext_failed")) {
            ok = add_failure(t, rec);
        } else if (is(rec, "file")) {
            t->file = field(rec, 1);
        } else if (is(rec, "module_path") && field(rec, 1)) {
            ok = ep_strvec_push(a, &t->module_path, field(rec, 1));
        } else if (is(rec, "loaded_ext") && field(rec, 2)) {
            const char *s = ep_arena_printf(a, "%s\t%s", field(rec, 1), field(rec, 2));
            ok = s != NULL && ep_strvec_push(a, &t->loaded_ext, s);
        } else if (is(rec, "none_attrs_total") && field(rec, 1)) {
            t->none_attrs_total = strtoul(field(rec, 1), NULL, 10);
        } else if (is(rec, "none_attr") && field(rec, 2)) {
            const char *s = ep_arena_printf(a, "%s.%s", field(rec, 1), field(rec, 2));
            ok = s != NULL && ep_strvec_push(a, &t->none_attrs, s);
        }
    }
    return ok ? EP_OK : ep_fail(err, EP_ERR_NOMEM, "out of memory");
}

ep_status
ep_trial_run(ep_report *r, const char *python, const char *module,
             const char *workdir, ep_start_mode start, const char *script,
             double timeout, ep_error *err)
{
    ep_child child;
    ep_record *recs;
    size_t n;
    const char *args[] = {module, "3", ep_start_mode_arg(start),
                          script ? script : ""};
    /* -B: the trial writes no __pycache__; what it leaves behind is only
     * what the imported code itself does (docs/design/children.md). */
    ep_status st = ep_run_python(python, "-B", ep_trial_py, args, 4, workdir, timeout,
                                 &child, err);
    if (st != EP_OK) {
        return st;
    }
    ep_trial *t = &r->trial;
    t->ran = true;
    t->timed_out = child.timed_out;
    t->exit_code = child.exit_code;
    if (child.output_len > 0) {
        t->output = ep_arena_strndup(&r->arena, child.output, child.output_len);
    }
    st = ep_records_parse(&r->arena, child.records ? child.records : "",
                          child.records_len, &recs, &n, err);
    if (st == EP_OK) {
        st = apply_records(r, recs, n, err);
    }
    /* No result record: the child died inside the import (a crash in the
     * extension's init, a timeout, an exit() at import time). */
    if (st == EP_OK && t->exc_type == NULL && !t->ok) {
        t->exc_type = child.timed_out ? "Timeout" : "ProcessDied";
        t->message = child.timed_out
                         ? ep_arena_printf(&r->arena, "the import did not finish "
                                           "within %.0f s", timeout)
                     : child.exit_code > 128
                         ? ep_arena_printf(&r->arena, "the interpreter was killed by "
                                           "signal %d during the import",
                                           child.exit_code - 128)
                         : ep_arena_printf(&r->arena, "the interpreter exited with "
                                           "status %d during the import",
                                           child.exit_code);
    }
    ep_child_release(&child);
    return st;
}
