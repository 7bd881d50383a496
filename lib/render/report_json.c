/*
 * The JSON of `extprobe explain` and `python -m extprobe` (schema 1). One
 * writer for both routes, so they cannot disagree. Keys in CONTRACT.md are
 * stable; the additions are documented in docs/json.md.
 */
#include "report/report.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/arena.h"
#include "render/json.h"
#include "render/render.h"

#include <string.h>

static void
write_python(ep_json *j, const ep_report *r)
{
    const ep_interp *in = r->interp;
    if (in == NULL) {
        ep_json_null(j);
        return;
    }
    ep_json_begin_object(j);
    ep_json_member_string(j, "executable", in->executable);
    ep_json_member_string(j, "version", in->version);
    ep_json_member_string(j, "implementation", in->implementation);
    ep_json_member_string(j, "soabi", in->soabi);
    ep_json_member_strlist(j, "ext_suffixes",
                           ep_strvec_list(&in->ext_suffixes));
    ep_json_member_string(j, "prefix", in->prefix);
    ep_json_member_string(j, "base_prefix", in->base_prefix);
    ep_json_member_bool(j, "in_venv", in->in_venv);
    ep_json_member_string(j, "platform", in->platform);
    ep_json_member_string(j, "multiarch", in->multiarch);
    ep_json_member_string(j, "libc", in->libc);
    ep_json_member_bool(j, "shared_libpython", in->shared);
    ep_json_member_bool(j, "debug", in->debug);
    ep_json_member_bool(j, "free_threaded", in->gil_disabled);
    ep_json_member_string(j, "cwd", in->cwd);
    ep_json_member_string(j, "start", r->start_mode);
    ep_json_key(j, "sys_path");
    ep_json_begin_array(j);
    for (size_t i = 0; i < in->npath; i++) {
        const ep_path_entry *e = &in->path[i];
        ep_json_begin_object(j);
        ep_json_member_string(j, "path", e->path);
        ep_json_key(j, "origin");
        if (e->origin == EP_ORIGIN_PTH && e->detail[0]) {
            ep_strbuf o;
            ep_strbuf_init(&o);
            ep_strbuf_printf(&o, "pth:%s", e->detail);
            ep_json_string(j, o.data ? o.data : "pth");
            ep_strbuf_release(&o);
        } else {
            ep_json_string(j, ep_path_origin_str(e->origin));
        }
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_end_object(j);
}

void
ep_report_json_findings(ep_json *j, const ep_report *r)
{
    ep_json_begin_array(j);
    for (size_t i = 0; i < r->nfindings; i++) {
        const ep_finding *f = &r->findings[i]->pub;
        ep_json_begin_object(j);
        ep_json_member_string(j, "code", ep_finding_slug(f->code));
        ep_json_member_string(j, "severity", ep_severity_str(f->severity));
        ep_json_member_string(j, "summary", f->summary);
        ep_json_member_string(j, "detail", f->detail);
        ep_json_key(j, "paths");
        ep_json_begin_array(j);
        for (size_t k = 0; k < f->npaths; k++) {
            ep_json_string(j, f->paths[k]);
        }
        ep_json_end_array(j);
        ep_json_member_string(j, "fix", f->fix);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
}

static void
write_trial(ep_json *j, const ep_trial *t)
{
    if (t == NULL) {
        ep_json_null(j);
        return;
    }
    bool imported = t->outcome == EP_TRIAL_IMPORTED;
    ep_json_begin_object(j);
    ep_json_member_bool(j, "ok", imported);
    ep_json_member_bool(j, "timed_out", t->timed_out);
    ep_json_member_int(j, "exit_code", t->exit_code);
    ep_json_key(j, "exception");
    if (imported) {
        ep_json_null(j);
    } else {
        ep_json_begin_object(j);
        ep_json_member_string(j, "type", t->exc_type);
        ep_json_member_string(j, "message", t->message);
        ep_json_member_string(j, "name", t->exc_name);
        ep_json_member_string(j, "path", t->exc_path);
        ep_json_member_string(j, "traceback", t->traceback);
        ep_json_end_object(j);
    }
    ep_json_member_string(j, "file", t->file);
    ep_json_key(j, "failures");
    ep_json_begin_array(j);
    for (size_t i = 0; i < t->nfailures; i++) {
        const ep_trial_failure *f = &t->failures[i];
        ep_json_begin_object(j);
        ep_json_member_string(j, "stage", ep_trial_stage_str(f->stage));
        ep_json_member_string(j, "type", f->exc_type);
        ep_json_member_string(j, "message", f->message);
        ep_json_member_string(j, "import", f->name);
        ep_json_member_string(j, "name", f->exc_name);
        ep_json_member_string(j, "path", f->path);
        ep_json_member_string(j, "importer", f->importer);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_member_strlist(j, "none_attributes",
                           ep_strvec_list(&t->none_attrs));
    ep_json_member_string(j, "output", t->output);
    ep_json_end_object(j);
}

char *
ep_report_json(const ep_report *r, ep_error *err)
{
    if (r == NULL) {
        ep_fail(err, EP_ERR_INVALID_ARG, "NULL report");
        return NULL;
    }
    ep_json j;
    ep_json_init(&j, true);
    ep_json_begin_object(&j);
    ep_json_member_int(&j, "schema", 1);
    ep_json_member_string(&j, "module", r->module);
    if (r->subject_file != NULL) {
        ep_json_member_string(&j, "file", r->subject_file);
    }
    ep_json_member_bool(&j, "importable", r->importable);
    ep_json_key(&j, "python");
    write_python(&j, r);
    ep_json_key(&j, "resolved");
    if (r->resolved_path == NULL && r->resolved_kind == NULL) {
        ep_json_null(&j);
    } else {
        ep_json_begin_object(&j);
        ep_json_member_string(&j, "path", r->resolved_path);
        ep_json_member_string(&j, "kind", r->resolved_kind);
        ep_json_end_object(&j);
    }
    ep_json_key(&j, "candidates");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < r->ncandidates; i++) {
        ep_json_begin_object(&j);
        ep_json_member_string(&j, "path", r->candidates[i].path);
        ep_json_member_string(&j, "status", r->candidates[i].status);
        ep_json_member_string(&j, "detail", r->candidates[i].detail);
        ep_json_end_object(&j);
    }
    ep_json_end_array(&j);
    ep_json_key(&j, "findings");
    ep_report_json_findings(&j, r);
    ep_json_key(&j, "trial");
    write_trial(&j, r->trial);
    ep_json_member_strlist(&j, "notes", ep_strvec_list(&r->notes));
    ep_json_end_object(&j);
    char *doc = ep_json_finish(&j);
    if (doc == NULL) {
        ep_fail_nomem(err);
    }
    return doc;
}
